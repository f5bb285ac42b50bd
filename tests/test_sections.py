"""Section pages: a folder without index.md gets a page listing it; a missing home page is made."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_fixture, html_pages, run_build


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The basic fixture with the theme's templates, without content/index.md and
    content/guide/index.md, and with a folder two levels deep."""
    site = copy_fixture("basic", tmp_path / "site")
    shutil.rmtree(site / "templates")
    (site / "content" / "index.md").unlink()
    (site / "content" / "guide" / "index.md").unlink()
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(intro.read_text().replace("(index.md#chapters)", "(index.md)"))
    deep = site / "content" / "guide" / "more-reading"
    deep.mkdir()
    (deep / "papers.md").write_text(
        "---\ntitle: Papers\ndescription: Papers to read.\nweight: 5\n---\n"
        "Back to [the guide](../index.md).\n"
    )
    return site


def listed(soup) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in soup.select("nav.contents a")]


def test_folders_without_index_get_a_page_listing_them_and_the_home_page_is_made(
    site: Path, tmp_path: Path
):
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    pages = html_pages(out)
    home = pages["index.html"]
    assert home.title.string == "Fixture Guide" and home.h1.get_text() == "Fixture Guide"
    assert listed(home) == [("Guide", "/guide/")]
    guide = pages["guide/index.html"]
    assert guide.h1.get_text() == "Guide"
    assert listed(guide) == [
        ("Introduction", "/guide/intro/"),
        ("Template syntax in text", "/guide/braces/"),
        ("More reading", "/guide/more-reading/"),  # weighed just before its first page
    ]
    deep = pages["guide/more-reading/index.html"]
    assert listed(deep) == [("Papers", "/guide/more-reading/papers/")]
    crumbs = [
        a.get_text() for a in pages["guide/more-reading/papers/index.html"].select(".breadcrumbs a")
    ]
    assert crumbs == ["Home", "Guide", "More reading", "Papers"]
    sitemap = (out / "sitemap.xml").read_text()
    assert "https://example.org/guide/more-reading/</loc>" in sitemap


def test_templates_see_the_section_the_parents_and_the_children(site: Path, tmp_path: Path):
    templates = site / "templates"
    templates.mkdir()
    (templates / "section.html").write_text(
        '<!doctype html><html lang="en"><title>{{ page.title }}</title><main>'
        '<p id="section">{{ page.section.title if page.section else "none" }}</p>'
        '<p id="parents">{{ page.parents | map(attribute="title") | join(",") }}</p>'
        '<p id="children">{{ page.children | map(attribute="url") | join(",") }}</p>'
        "</main></html>\n"
    )
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    deep = html_pages(out)["guide/more-reading/index.html"]
    assert deep.find(id="section").get_text() == "Guide"
    assert deep.find(id="parents").get_text() == "Fixture Guide,Guide"
    assert deep.find(id="children").get_text() == "/guide/more-reading/papers/"


def test_a_folders_own_index_page_is_kept_and_lists_its_pages(tmp_path: Path):
    site = copy_fixture("basic", tmp_path / "site")
    shutil.rmtree(site / "templates")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    guide = html_pages(out)["guide/index.html"]
    assert guide.h1.get_text() == "The guide"  # content/guide/index.md's own title
    assert [t for t, _ in listed(guide)] == ["Introduction", "Template syntax in text"]


def test_pages_of_one_weight_are_listed_by_title_with_numbers_by_value(site: Path, tmp_path: Path):
    deep = site / "content" / "guide" / "more-reading"
    for n in (10, 2, 1):
        (deep / f"part-{n}.md").write_text(
            f"---\ntitle: Part {n}\ndescription: Part {n}.\nweight: 9\n---\nText.\n"
        )
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    titles = [text for text, _ in listed(html_pages(out)["guide/more-reading/index.html"])]
    assert titles == ["Papers", "Part 1", "Part 2", "Part 10"]
