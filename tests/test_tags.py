"""Tags: `/tags/`, a page and a feed per tag, one tag whatever its case or spacing, clashes."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import copy_fixture, html_pages, run_build

ATOM = "{http://www.w3.org/2005/Atom}"


def tag(site: Path, path: str, *tags: str) -> None:
    page = site / "content" / path
    listed = ", ".join(f'"{t}"' for t in tags)
    page.write_text(page.read_text().replace("---\n", f"---\ntags: [{listed}]\n", 1))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("basic", tmp_path / "site")
    shutil.rmtree(site / "templates")  # the theme's
    tag(site, "guide/intro.md", "Machine Learning", "python")
    tag(site, "guide/literal-braces.md", "machine  learning", "Jinja")
    return site


def test_tags_get_an_index_a_page_each_and_a_feed_each(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    pages = html_pages(out)
    index = pages["tags/index.html"]
    assert [
        (a.get_text(), a.find_next("span").get_text()) for a in index.select(".tag-list a")
    ] == [
        ("Jinja", "1 page"),
        ("Machine Learning", "2 pages"),
        ("python", "1 page"),
    ]
    one = pages["tags/machine-learning/index.html"]
    assert one.h1.get_text() == "Tagged “Machine Learning”"
    assert [a["href"] for a in one.select("nav.contents a")] == ["/guide/intro/", "/guide/braces/"]
    assert one.find("link", type="application/atom+xml", href="/tags/machine-learning/feed.xml")
    feed = ET.parse(out / "tags" / "machine-learning" / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == "https://example.org/tags/machine-learning/"
    entries = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert entries == ["Introduction"]  # the dated one; the other page has no date
    page = pages["guide/intro/index.html"]
    assert [(a.get_text(), a["href"]) for a in page.select("p.tags a")] == [
        ("Machine Learning", "/tags/machine-learning/"),
        ("python", "/tags/python/"),
    ]
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/tags/</loc>" in sitemap
    assert "<loc>https://example.org/tags/jinja/</loc>" in sitemap


def test_a_tag_whose_address_is_a_pages_is_an_error_naming_both_files(site: Path, tmp_path: Path):
    folder = site / "content" / "tags"
    folder.mkdir()
    (folder / "python.md").write_text(
        "---\ntitle: Python\ndescription: About Python.\n---\nText.\n"
    )
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert [p for p in failed.problems if "tags/python/index.html" in p] == [
        "content/guide/intro.md:2:1: error: writes tags/python/index.html, which "
        "content/tags/python.md writes too (hint: rename or move one of them)"
    ]


def test_two_tags_with_one_address_are_an_error_naming_both(site: Path, tmp_path: Path):
    tag(site, "guide/index.md", "Python!")
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [
        "content/guide/intro.md:2:1: error: tag 'python' and tag 'Python!' (content/guide/index.md)"
        " both make /tags/python/ (hint: spell one of them differently, or use the same tag on "
        "both pages)"
    ]


def test_a_page_edited_below_its_front_matter_keeps_its_tags_and_section(
    site: Path, tmp_path: Path
):
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(intro.read_text() + "\nOne more line.\n")
    again = run_build("--source", site, "--out", out)
    assert again.code == 0 and "pages rendered again)" in again.stdout
    page = html_pages(out)["guide/intro/index.html"]
    assert "One more line." in page.get_text()
    assert [a.get_text() for a in page.select("p.tags a")] == ["Machine Learning", "python"]
    assert [a.get_text() for a in page.select(".breadcrumbs a")] == [
        "Home",
        "The guide",
        "Introduction",
    ]


def test_a_tag_beyond_ascii_has_its_page_and_an_encoded_address_in_the_sitemap(
    site: Path, tmp_path: Path
):
    tag(site, "guide/index.md", "Café")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)
    assert pages["tags/café/index.html"].h1.get_text() == "Tagged “Café”"
    link = pages["guide/index.html"].find("a", string="Café")
    assert link["href"] == "/tags/café/"  # in HTML as it reads: the browser encodes it
    root = ET.parse(out / "sitemap.xml").getroot()
    locs = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://example.org/tags/caf%C3%A9/" in locs and not any("é" in loc for loc in locs)


def test_a_number_is_a_tag_and_a_tag_that_cannot_be_is_an_error_at_its_line(
    site: Path, tmp_path: Path
):
    index = site / "content" / "guide" / "index.md"
    text = index.read_text()
    index.write_text(text.replace("---\n", "---\ntags: [2024]\n", 1))
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    year = html_pages(out)["tags/2024/index.html"]
    assert [a["href"] for a in year.select("nav.contents a")] == ["/guide/"]
    for tags, problem in (
        ("[[nested]]", "tag ['nested'] must be a word or words"),
        ("['  ']", "tag '  ' must be a word or words"),
        (f"[{'long ' * 60}]", f"tag '{'long ' * 7}lo...' is too long to be a folder's name"),
    ):
        index.write_text(text.replace("---\n", f"---\ntags: {tags}\n", 1))
        failed = run_build("--source", site, "--out", out)
        assert failed.problems[0].startswith(f"content/guide/index.md:2:1: error: {problem}")
