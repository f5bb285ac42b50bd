"""The section navigation: the top level, opened down to the page being read, bounded in size
however many pages a section holds."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import html_pages, run_build

from sitegen.navigation import NavLink
from sitegen.sections import Family
from sitegen.sidebar import NEIGHBOURS, WINDOW, SectionTree


def links(item) -> int:
    return 1 + sum(links(child) for child in item.children)


def test_a_flat_section_of_thousands_lists_a_window_around_the_current_page():
    pages = [NavLink(f"Page {n}", f"/page-{n}/") for n in range(10_000)]
    families = {"": Family(children=tuple(pages))}
    families.update({f"page-{n}/": Family(section=NavLink("Home", "/")) for n in range(10_000)})
    relative = {"/": ""} | {f"/page-{n}/": f"page-{n}/" for n in range(10_000)}
    tree = SectionTree(families, relative, NavLink("Home", "/"))
    for current in (0, 5_000, 9_999):
        nav = tree.nav(f"page-{current}/")
        assert len(nav.children) == NEIGHBOURS and nav.more == 10_000 - NEIGHBOURS
        assert links(nav) == NEIGHBOURS + 1
        [here] = [item for item in nav.children if item.current]
        assert here.url == f"/page-{current}/"
    assert tree.nav("page-5000/").children[0].url == f"/page-{5000 - NEIGHBOURS // 2}/"
    # A level of WINDOW entries or fewer lists them all.
    small = {"": Family(children=tuple(pages[:WINDOW]))}
    nav = SectionTree(small, relative, NavLink("Home", "/")).nav("page-3/")
    assert len(nav.children) == WINDOW and nav.more == 0


def test_the_section_on_the_way_is_open_and_the_others_are_links():
    def link(url: str) -> NavLink:
        return NavLink(url.strip("/") or "Home", "/" + url)

    families = {
        "": Family(children=(link("a/"), link("b/"), link("c/"))),
        "a/": Family(children=(link("a/one/"), link("a/two/"))),
        "a/one/": Family(),
        "a/two/": Family(),
        "b/": Family(children=(link("b/x/"),)),
        "b/x/": Family(),
        "c/": Family(),
    }
    relative = {"/" + url: url for url in families}
    nav = SectionTree(families, relative, link("")).nav("a/two/")
    a, b, c = nav.children
    assert a.open and a.section and [i.url for i in a.children] == ["/a/one/", "/a/two/"]
    assert [i.current for i in a.children] == [False, True] and not a.current
    assert b.section and not b.open and b.children == ()  # closed: its pages are not listed
    assert not c.section and not c.open


def test_a_built_page_marks_itself_in_the_navigation_of_its_folder(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content" / "guide").mkdir(parents=True)
    (site / "site.yaml").write_text(
        "title: Folders\ndescription: A site of folders.\nlanguage: en\n"
        "base_url: https://example.org/\n"
    )
    for name in ("intro", "setup"):
        (site / "content" / "guide" / f"{name}.md").write_text(
            f"---\ntitle: {name.title()}\ndescription: The {name}.\n---\nText.\n"
        )
    (site / "content" / "about.md").write_text("---\ntitle: About\ndescription: About.\n---\n")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)

    def nav(path: str) -> BeautifulSoup:
        return pages[path].find("nav", attrs={"aria-label": "Sections"})

    setup = nav("guide/setup/index.html")
    assert [a["href"] for a in setup.select("[aria-current='page']")] == ["/guide/setup/"]
    assert {"/guide/intro/", "/guide/setup/", "/about/"} <= {a["href"] for a in setup.find_all("a")}
    assert setup.find("details").summary.get_text() == "Guide"  # the open section folds
    about = nav("about/index.html")
    assert "/guide/intro/" not in {a["href"] for a in about.find_all("a")}  # guide/ is closed
    assert about.find("a", href="/guide/") is not None
