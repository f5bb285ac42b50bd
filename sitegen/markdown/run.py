"""What the rules rendering one page share: the page, the site around it, and what they found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import LinkLevels
from ..content import Page
from ..errors import BuildError, SourceSpan
from .body import Link, TocEntry
from .locations import Locator

# Maps a content path ('a/b.md') to the site-absolute URL of that page, or None if unpublished.
UrlLookup = Callable[[str], str | None]
# Expands a directive line at a place to HTML, given the ids the page already uses.
Expander = Callable[[str, SourceSpan, set[str]], tuple[str, BuildError | None]]


@dataclass(kw_only=True)
class RenderRun:
    """One page's render, passed to every rule in markdown-it's `env` (as env['run'])."""

    page: Page
    lookup: UrlLookup
    drafts: frozenset[str]
    expand: Expander | None
    levels: LinkLevels
    raw_html: bool
    locate: Locator
    problems: list[BuildError] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)  # ids given so far (headings, footnotes, tables)
    toc: tuple[TocEntry, ...] = ()
    too_deep: bool = False  # blocks nested past the limit, reported once
