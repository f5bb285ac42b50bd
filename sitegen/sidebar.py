"""A page's section navigation: the site's sections, opened down to the page being read.

The top level lists what the home page holds; the section on the way to the current page is
open and lists what it holds, and so on down to the page. A level of more than `WINDOW` entries
lists the `NEIGHBOURS` around the one on the way, with a count of the others (its section's page
lists them all), so a page carries a bounded number of links however large its site or section
is: each of them is written, and checked, on every page of the section.
"""

from __future__ import annotations

from dataclasses import dataclass

from .navigation import NavLink
from .sections import Family, parent_url

WINDOW = 25  # a level of this many entries or fewer lists them all
NEIGHBOURS = 5  # the entries a longer level lists: the one on the way in the middle


@dataclass(frozen=True)
class NavItem:
    """One entry of the section navigation: a page, and if it is open, what it holds."""

    title: str
    url: str  # the page's URL path
    current: bool = False  # the page being read
    open: bool = False  # a section on the way to the page being read (or that page)
    section: bool = False  # it holds pages (listed when it is open)
    children: tuple[NavItem, ...] = ()
    more: int = 0  # the entries it holds that are not listed


class SectionTree:
    """The site's sections, made once a build, from which each page's navigation is cut."""

    def __init__(self, families: dict[str, Family], relative: dict[str, str], home: NavLink):
        """`families` by site-relative URL; `relative` gives a page's site-relative URL by its
        URL path; `home` is the home page's link."""
        self.families, self.relative, self.home = families, relative, home
        self.place = {  # a page's index among the pages its section holds
            relative[child.url]: index
            for family in families.values()
            for index, child in enumerate(family.children)
            if child.url in relative
        }

    def nav(self, url: str) -> NavItem:
        """The navigation of the page at site-relative `url`: the home page's entry, whose
        children are the top level."""
        way, up = set(), url
        while up is not None:
            way.add(up)
            up = parent_url(up)
        return self._item(self.home, "", url, way)

    def _item(self, link: NavLink, at: str, current: str, way: set[str]) -> NavItem:
        held = self.families.get(at, Family()).children
        if at not in way or not held:
            return NavItem(link.title, link.url, at == current, at in way, bool(held), (), 0)
        start, more = 0, 0
        shown = len(held)
        if len(held) > WINDOW:
            on_way = [self.place[up] for up in way if parent_url(up) == at and up in self.place]
            middle = on_way[0] if on_way else 0
            shown = NEIGHBOURS
            start = max(0, min(middle - shown // 2, len(held) - shown))
            more = len(held) - shown
        children = tuple(
            self._item(child, self.relative[child.url], current, way)
            if child.url in self.relative
            else NavItem(child.title, child.url)
            for child in held[start : start + shown]
        )
        return NavItem(link.title, link.url, at == current, True, True, children, more)
