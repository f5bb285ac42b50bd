"""The site's navigation: the menu from site.yaml and the reading order of pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import SiteConfig
from .content import Page
from .errors import BuildError
from .urls import UrlMaker

DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class NavLink:
    """A link shown in navigation: its text and URL (compare it with `page.url`)."""

    title: str
    url: str
    description: str = ""


def reading_order(pages: list[Page]) -> list[Page]:
    """Return pages in reading order: by weight, then title (numbers in it by their value:
    'Part 2' before 'Part 10'), then source path."""
    return sorted(pages, key=lambda p: (p.weight, title_order(p.title), p.source))


def title_order(title: str) -> tuple[str | int, ...]:
    """A title as people order it: letters without case, the numbers in it by value."""
    # Split at runs of digits: text and numbers alternate, so two keys compare part by part.
    return tuple(
        int(part) if n % 2 else part for n, part in enumerate(DIGITS.split(title.casefold()))
    )


def build_menu(
    config: SiteConfig,
    pages: list[Page],
    urls: UrlMaker,
    drafts: frozenset[str] = frozenset(),
    unreadable: frozenset[str] = frozenset(),
) -> tuple[tuple[NavLink, ...], list[BuildError]]:
    """Resolve the menu of site.yaml to links; report entries naming missing pages (not those
    whose file did not load: its own errors are reported)."""
    by_path = {p.content_path: p for p in pages}
    links, errors = [], []
    for item in config.menu:
        if item.url:
            links.append(NavLink(item.title, urls.path(item.url)))
            continue
        target = item.page.removeprefix("content/")
        page = by_path.get(target)
        if page is None and target in unreadable:
            continue
        if page is None:
            what = "draft page" if target in drafts else "missing page"
            errors.append(
                BuildError(
                    item.span,
                    f"menu entry '{item.title}' links to {what} content/{target}",
                    "'page' is a path inside content/, such as 'salaries.md'",
                )
            )
            continue
        links.append(NavLink(item.title, urls.path(page.url)))
    return tuple(links), errors


def breadcrumbs(url: str, titles: dict[str, str], urls: UrlMaker) -> tuple[NavLink, ...]:
    """Return the trail from the home page to the page at `url`, for every level that is a page.

    `titles` maps the site-root URL of each page ('' for home, 'a/' ...) to its title.
    """
    parts = [part for part in url.split("/") if part]
    levels = [""] + ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]
    if url == "":
        return ()
    return tuple(
        NavLink("Home" if level == "" else titles[level], urls.path(level))
        for level in levels
        if level in titles
    )
