"""`aliases:` in front matter: a redirect page at each old address, and `_redirects`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_fixture, html_pages, run_build


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("basic", tmp_path / "site")
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(
        intro.read_text().replace("---\n", "---\naliases: [old/intro/, /older.html]\n", 1)
    )
    return site


def test_each_alias_gets_a_redirect_page_and_a_line_in_redirects(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out, "--base-url", "https://example.org/sub/")
    assert done.code == 0, done.stderr
    pages = html_pages(out)
    for path in ("old/intro/index.html", "older.html"):
        page = pages[path]
        assert page.find("link", rel="canonical")["href"] == "https://example.org/sub/guide/intro/"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh == "0; url=/sub/guide/intro/"
        assert page.find("a")["href"] == "/sub/guide/intro/"
        assert page.find("script") is None
    assert (out / "_redirects").read_text().splitlines()[1:] == [
        "/sub/old/intro/ /sub/guide/intro/ 301",
        "/sub/older.html /sub/guide/intro/ 301",
    ]
    sitemap = (out / "sitemap.xml").read_text()
    assert "old/intro" not in sitemap and "older.html" not in sitemap


def test_an_alias_with_spaces_or_letters_beyond_ascii_is_written_encoded_in_redirects(
    site: Path, tmp_path: Path
):
    intro = site / "content" / "guide" / "intro.md"
    aliases = "['old page/', 'caf%C3%A9/', 'naïve.html']"
    intro.write_text(intro.read_text().replace("[old/intro/, /older.html]", aliases))
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    pages = html_pages(out)
    for path in ("old page/index.html", "café/index.html", "naïve.html"):
        assert pages[path].find("a")["href"] == "/guide/intro/"
    assert (out / "_redirects").read_text().splitlines()[1:] == [
        "/caf%C3%A9/ /guide/intro/ 301",
        "/na%C3%AFve.html /guide/intro/ 301",
        "/old%20page/ /guide/intro/ 301",
    ]


def test_an_alias_on_a_page_or_another_alias_is_an_error_naming_both(site: Path, tmp_path: Path):
    draft = site / "content" / "guide" / "literal-braces.md"
    draft.write_text(draft.read_text().replace("---\n", "---\naliases: [old/intro/]\n", 1))
    index = site / "content" / "index.md"
    index.write_text(index.read_text().replace("---\n", "---\naliases: [guide/]\n", 1))
    failed = run_build("--source", site, "--out", tmp_path / "out")
    problems = [p for p in failed.problems if "writes" in p]
    assert sorted(problems) == sorted(
        [
            "content/guide/literal-braces.md:2:1: error: writes old/intro/index.html, which "
            "content/guide/intro.md writes too (hint: rename or move one of them)",
            "content/index.md:2:1: error: writes guide/index.html, which content/guide/index.md "
            "writes too (hint: rename or move one of them)",
        ]
    )


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        (
            "https://example.com/x/",
            "alias 'https://example.com/x/' must be a path of this site, such as 'old/address/'",
        ),
        ("a/../b/", "alias 'a/../b/' must not have empty, '.' or '..' parts"),
        ("a/%2E%2E/b/", "alias 'a/%2E%2E/b/' must not have empty, '.' or '..' parts"),
        (
            "javascript:alert(1)",
            "alias 'javascript:alert(1)' must be a path of this site, such as 'old/address/'",
        ),
        (
            "old/?page=2",
            "alias 'old/?page=2' must be a path alone: a query ('?') or a fragment ('#') has no "
            "file of its own",
        ),
        ("guide/intro/", "alias 'guide/intro/' is the page's own address"),
    ],
)
def test_an_alias_that_cannot_be_is_an_error_at_its_line(
    site: Path, tmp_path: Path, alias: str, problem: str
):
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(intro.read_text().replace("[old/intro/, /older.html]", f"['{alias}']"))
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [f"content/guide/intro.md:2:1: error: {problem}"]


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        (
            "sitemap.xml",
            "writes sitemap.xml/index.html, inside sitemap.xml, which the build writes as a file",
        ),
        (
            "Feed.XML",
            "writes Feed.XML/index.html, inside feed.xml, which the build writes as a file",
        ),
        (
            "pagefind/old/",
            "writes pagefind/old/index.html, in pagefind/, where the build puts the search index",
        ),
    ],
)
def test_an_alias_on_a_file_the_build_writes_is_an_error_at_its_line(
    site: Path, tmp_path: Path, alias: str, problem: str
):
    config = site / "site.yaml"
    config.write_text(config.read_text() + "search: true\n")
    intro = site / "content" / "guide" / "intro.md"
    intro.write_text(intro.read_text().replace("[old/intro/, /older.html]", f"['{alias}']"))
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.code == 1 and "Traceback" not in failed.stderr
    assert failed.problems == [
        f"content/guide/intro.md:2:1: error: {problem} (hint: "
        + ("rename or move it)" if alias.startswith("pagefind") else "rename or move one of them)")
    ]
