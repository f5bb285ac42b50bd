"""Finding pages and reading their front matter."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import html_pages

from sitegen.content import load_pages, page_url


@pytest.mark.parametrize(
    "path, slug, url",
    [
        ("index.md", None, ""),
        ("a.md", None, "a/"),
        ("a/b.md", None, "a/b/"),
        ("a/index.md", None, "a/"),
        ("a/b.md", "c", "a/c/"),
        ("a/index.md", "z", "z/"),
        ("index.md", "x", None),
    ],
)
def test_page_url(path: str, slug: str | None, url: str | None):
    assert page_url(path, slug) == url


def test_pages_are_read_with_front_matter_and_body_position(site: Path):
    (site / "content" / "data").mkdir()
    (site / "content" / "data" / "notes.md").write_text("tables live here, not pages")
    (site / "content" / ".hidden.md").write_text("an editor's backup")
    pages, problems = load_pages(site)
    assert problems == []
    by_path = {p.content_path: p for p in pages}
    assert list(by_path) == [
        "draft.md",
        "guide/index.md",
        "guide/intro.md",
        "guide/literal-braces.md",
        "index.md",
    ]
    intro = by_path["guide/intro.md"]
    assert (intro.url, intro.output) == ("guide/intro/", "guide/intro/index.html")
    assert (intro.date, intro.updated) == (dt.date(2024, 3, 2), dt.date(2024, 4, 10))
    assert intro.extra == {"reviewed_by": "Editor"}
    assert intro.body_line == 10
    assert intro.body.splitlines()[0] == "## Getting started"
    assert by_path["draft.md"].draft is True


def test_bom_and_crlf_read_like_plain_utf8(site: Path):
    page = site / "content" / "guide" / "intro.md"
    plain = load_pages(site)[0]
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    assert load_pages(site)[0] == plain


def test_a_file_that_is_not_utf8_is_named_with_its_byte_offset(site: Path):
    (site / "content" / "latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    _, problems = load_pages(site)
    assert [p.format() for p in problems] == [
        "content/latin1.md:2:11: error: not UTF-8: byte 14 cannot be decoded "
        "(hint: save the file as UTF-8)"
    ]


def test_reading_order_follows_weight_for_previous_and_next(built: Path):
    pages = html_pages(built)
    assert pages["guide/index.html"].find("a", rel="next")["href"] == "/guide/intro/"
    assert pages["guide/intro/index.html"].find("a", rel="next")["href"] == "/guide/braces/"
    assert pages["guide/braces/index.html"].find("a", rel="next") is None


def test_a_site_without_content_folder_is_a_clear_error(site: Path):
    shutil.rmtree(site / "content")
    pages, problems = load_pages(site)
    assert pages == []
    assert [p.format().split(" (hint")[0] for p in problems] == [
        "content/:1:1: error: no content/ folder"
    ]
