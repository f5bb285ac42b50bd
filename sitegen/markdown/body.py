"""What rendering a page's Markdown gives later stages: HTML, contents, ids and links."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SourceSpan


@dataclass(frozen=True)
class TocEntry:
    """A heading of a page, for its on-page table of contents."""

    level: int
    id: str
    title: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class Link:
    """A link or image source written in a page's Markdown, as it stands in the HTML."""

    href: str
    span: SourceSpan
    target: str = ""  # for a link to a page of the site: its content path ('a/b.md')
    anchor: str = ""  # the #fragment, decoded
    reported: bool = False  # its problem is reported already (a missing page, left as written)


@dataclass(frozen=True)
class PageBody:
    """A page's Markdown rendered to HTML, with what later stages check or show."""

    html: str
    toc: tuple[TocEntry, ...]
    ids: frozenset[str]
    links: tuple[Link, ...]

    def link_to(self, href: str) -> Link | None:
        """The first link the page's Markdown writes that comes out as `href`."""
        return next((link for link in self.links if link.href == href), None)
