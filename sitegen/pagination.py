"""Long lists split into pages: `paginate: N` in site.yaml (default 20) pages of a list's page.

Page 1 stays at the list's address; page K is at `page/K/` below it. Templates see
`page.paginator` (none when the list fits on one page).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .navigation import NavLink
from .urls import UrlMaker

PAGE_PATH = "page"


@dataclass(frozen=True, kw_only=True)
class Paginator:
    """Where a page of a split list stands among the others."""

    number: int  # this page's, from 1
    count: int  # how many pages the list has
    previous: NavLink | None = None
    next: NavLink | None = None
    pages: tuple[NavLink, ...] = ()  # every page of the list, titled by its number


def page_url(url: str, number: int) -> str:
    """The address (site-root relative) of page `number` of the list at `url`."""
    return url if number == 1 else f"{url}{PAGE_PATH}/{number}/"


def split(
    children: tuple[NavLink, ...], per_page: int, url: str, urls: UrlMaker
) -> list[tuple[tuple[NavLink, ...], Paginator | None, str]]:
    """The pages of the list `children` at `url`: each one's items, paginator and address."""
    if len(children) <= per_page:
        return [(children, None, url)]
    count = -(-len(children) // per_page)
    links = tuple(NavLink(str(n), urls.path(page_url(url, n))) for n in range(1, count + 1))
    made = []
    for number in range(1, count + 1):
        paginator = Paginator(
            number=number,
            count=count,
            previous=links[number - 2] if number > 1 else None,
            next=links[number] if number < count else None,
            pages=links,
        )
        items = children[(number - 1) * per_page : number * per_page]
        made.append((items, paginator, page_url(url, number)))
    return made


def paginated_views(view, per_page: int, url: str, urls: UrlMaker) -> list[tuple[object, str]]:
    """The views of each page of `view`'s list (a `PageView`), with their addresses; the first
    is `view` itself with its first page of children."""
    made = []
    for items, paginator, address in split(view.children, per_page, url, urls):
        number = paginator.number if paginator else 1
        changed = replace(view, children=items, paginator=paginator)
        if number > 1:
            changed = replace(
                changed,
                title=f"{view.title}, page {number}",
                url=urls.path(address),
                permalink=urls.absolute(address),
            )
        made.append((changed, address))
    return made
