"""The pages the site's folders imply, and where each page stands among them.

A folder of `content/` is a section: its page is its `index.md`, or, without one, a page made
here that lists what the folder holds. Without `content/index.md` the home page is made too.
The tree follows URLs (a page's parent is the page one level up), as breadcrumbs do, so a page
whose slug renames it stays in its folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import SiteConfig
from .content import CONTENT_DIR, Page
from .navigation import NavLink
from .urls import UrlMaker

SECTION_TEMPLATE = "section.html"
HOME_TEMPLATE = "home.html"


@dataclass(frozen=True)
class Family:
    """Where a page stands: the section it is in, the pages above it, those it holds."""

    section: NavLink | None = None  # the page one level up (none for the home page)
    parents: tuple[NavLink, ...] = ()  # from the home page down to `section`
    children: tuple[NavLink, ...] = ()  # the pages one level down, in reading order


def parent_url(url: str) -> str | None:
    """The URL one level up ('a/b/' -> 'a/', 'a/' -> ''), or None for the home page."""
    if not url:
        return None
    return url.rstrip("/").rpartition("/")[0] + "/" if "/" in url.rstrip("/") else ""


def section_pages(pages: list[Page], taken: set[str], config: SiteConfig) -> list[Page]:
    """A page for every level above `pages` that has none (`taken` holds the URLs that have
    one, loaded or not), the home page included; each goes just before what it holds."""
    wanted: dict[str, int] = {}  # URL -> the lowest weight below it
    for page in pages:
        url = parent_url(page.url)
        while url is not None:
            wanted[url] = min(wanted.get(url, page.weight), page.weight)
            url = parent_url(url)
    if not pages:
        wanted[""] = 0  # a site with no page at all still has a home page
    made = []
    for url, weight in sorted(wanted.items()):
        if url in taken:
            continue
        folder = url.rstrip("/")
        name = folder.rpartition("/")[2].replace("-", " ").replace("_", " ")
        title = config.title if not url else name[:1].upper() + name[1:]
        made.append(
            Page(
                source=f"{CONTENT_DIR}/{folder}".rstrip("/"),
                content_path=f"{url}index.md",
                url=url,
                output=f"{url}index.html",
                title=title,
                description=config.description if not url else f"The pages of {title}.",
                body="",
                body_line=1,
                template=HOME_TEMPLATE if not url else SECTION_TEMPLATE,
                weight=weight - 1,
                generated=True,
            )
        )
    return made


@dataclass(frozen=True)
class Standing:
    """Where every page stands (by URL) and each tagged page's tags (by content path): made
    from the pages' front matter, so an edit below the front matter keeps it."""

    families: dict[str, Family]
    tags: dict[str, tuple[NavLink, ...]]


def families(ordered: list[Page], urls: UrlMaker) -> dict[str, Family]:
    """Where each page of the reading order stands, by its URL (site-root relative)."""
    links = {
        page.url: NavLink(page.title, urls.path(page.url), page.description) for page in ordered
    }
    children: dict[str, list[NavLink]] = {}
    for page in ordered:
        up = parent_url(page.url)
        if up is not None:
            children.setdefault(up, []).append(links[page.url])
    found = {}
    for page in ordered:
        parents, up = [], parent_url(page.url)
        while up is not None:
            if up in links:
                parents.append(links[up])
            up = parent_url(up)
        parents.reverse()
        found[page.url] = Family(
            section=parents[-1] if parents else None,
            parents=tuple(parents),
            children=tuple(children.get(page.url, ())),
        )
    return found
