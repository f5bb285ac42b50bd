"""What rendering a page's Markdown gives later stages: HTML, contents, ids and links."""

from __future__ import annotations

import functools
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
    reported: bool = False  # its problem is reported already (a missing page, left as written)


@dataclass(frozen=True)
class PageBody:
    """A page's Markdown rendered to HTML, with what later stages check or show."""

    html: str
    toc: tuple[TocEntry, ...]
    ids: frozenset[str]
    links: tuple[Link, ...]

    def links_to(self, href: str) -> list[Link]:
        """Every link the page's Markdown writes that comes out as `href`, in source order."""
        return self._by_href.get(href, [])

    @functools.cached_property
    def _by_href(self) -> dict[str, list[Link]]:
        found: dict[str, list[Link]] = {}
        for link in self.links:
            found.setdefault(link.href, []).append(link)
        return found
