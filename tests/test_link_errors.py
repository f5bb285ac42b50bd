"""Broken links are reported at the line and column where they are written, wherever that is.

In a nested list, a table cell, a footnote, raw HTML or a template; `links:` in site.yaml makes
missing pages or anchors warnings, so that a migrated site builds while its links are fixed.
"""

from __future__ import annotations

from pathlib import Path

from conftest import copy_fixture, html_pages, render_markdown, run_build

from sitegen.themes import DEFAULT_THEME

PROBLEMS = """\
---
title: Problems
description: Broken links in every kind of place.
---
- An outer item
  - an inner one, linking to [a page](nowhere.md) that does not exist

| Topic | Where |
| ----- | ----- |
| pay   | see [the table](gone.md) |

A claim that needs a source.[^1] Read [the introduction](guide/intro.md#no-such-part).

> Quoted: <a href="lost.md">a raw link</a> and <a href="/no/such/page/">another</a>.

::: tabel shares

[^1]: Sourced in [a missing page](absent.md).
"""

EXPECTED = [
    "content/problems.md:6:39: error: link to missing page content/nowhere.md "
    "(hint: links to other pages are relative paths to their .md files)",
    "content/problems.md:10:27: error: link to missing page content/gone.md "
    "(hint: links to other pages are relative paths to their .md files)",
    "content/problems.md:14:20: error: link to missing page content/lost.md "
    "(hint: links to other pages are relative paths to their .md files)",
    "content/problems.md:16:1: error: unknown directive 'tabel' (hint: did you mean 'table'?)",
    "content/problems.md:18:35: error: link to missing page content/absent.md "
    "(hint: links to other pages are relative paths to their .md files)",
]


def add_page(site: Path, text: str = PROBLEMS, name: str = "problems.md") -> None:
    (site / "content" / name).write_text(text, encoding="utf-8")


def error_places(site: Path, out: Path, text: str) -> list[str]:
    """Build the site with `text` as content/problems.md; return where each error is."""
    add_page(site, text)
    result = run_build("--source", site, "--out", out)
    return [problem.split(": error:")[0] for problem in result.problems]


def test_each_missing_page_is_reported_where_its_link_is_written(site: Path, tmp_path: Path):
    add_page(site)
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    # With what only the finished site shows (an anchor, a link in raw HTML), line by line.
    assert result.problems == [
        *EXPECTED[:2],
        "content/problems.md:12:58: error: anchor '#no-such-part' does not exist on "
        "guide/intro.md (hint: anchors on that page: custom-id, fn-1, fnref-1, "
        "getting-started)",
        EXPECTED[2],
        "content/problems.md:14:57: error: link '/no/such/page/' leads to "
        "no/such/page/index.html, which the site does not have "
        "(hint: links to other pages are relative paths to their .md files)",
        *EXPECTED[3:],
    ]


def test_a_missing_anchor_and_a_raw_html_link_are_reported_where_written(
    site: Path, tmp_path: Path
):
    # Without the errors the Markdown stage finds, the finished site's check alone.
    page = PROBLEMS.replace("nowhere.md", "guide/index.md").replace("gone.md", "index.md")
    page = page.replace("lost.md", "guide/intro.md").replace("absent.md", "index.md")
    add_page(site, page.replace("::: tabel shares", ""))
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    assert result.problems == [
        "content/problems.md:12:58: error: anchor '#no-such-part' does not exist on "
        "guide/intro.md (hint: anchors on that page: custom-id, fn-1, fnref-1, "
        "getting-started)",
        "content/problems.md:14:64: error: link '/no/such/page/' leads to "
        "no/such/page/index.html, which the site does not have "
        "(hint: links to other pages are relative paths to their .md files)",
    ]


def test_links_set_to_warning_let_the_site_build_with_the_links_as_written(
    site: Path, tmp_path: Path
):
    (site / "site.yaml").write_text(
        (site / "site.yaml").read_text()
        + "links:\n  missing_page: warning\n  missing_anchor: warning\n"
    )
    add_page(site, PROBLEMS.replace("::: tabel shares", ""))
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings == [
        line.replace(": error: ", ": warning: ") for line in EXPECTED if "directive" not in line
    ] + [
        "content/problems.md:12:58: warning: anchor '#no-such-part' does not exist on "
        "guide/intro.md (hint: anchors on that page: custom-id, fn-1, fnref-1, "
        "getting-started)",
        "content/problems.md:14:57: warning: link '/no/such/page/' leads to "
        "no/such/page/index.html, which the site does not have "
        "(hint: links to other pages are relative paths to their .md files)",
    ]
    main = html_pages(out)["problems/index.html"].find("main")
    hrefs = [a["href"] for a in main.find_all("a", href=True)]
    assert "nowhere.md" in hrefs and "absent.md" in hrefs  # left as written
    assert "/guide/intro/#no-such-part" in hrefs
    assert run_build("--source", site, "--out", out, "--strict").code == 1


def test_a_link_a_template_writes_is_reported_at_the_template_line(site: Path, tmp_path: Path):
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("</main>", '</main>\n<a href="/nope/">x</a>'))
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    line = next(n for n, text in enumerate(base.read_text().splitlines(), 1) if "/nope/" in text)
    assert set(result.problems) == {
        f"templates/base.html:{line}:10: error: link '/nope/' leads to nope/index.html, which "
        "the site does not have (hint: links made by templates should use url(); links in "
        "Markdown point to .md files)"
    }


def test_a_broken_link_on_a_page_made_from_a_row_names_one_place(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    row = site / "templates" / "data-row.html"  # the theme's, overridden with a broken link
    link = "<p><a href=\"{{ url('gone/' ~ page.title) }}\">x</a></p>\n</article>"
    theme = (DEFAULT_THEME / "templates" / "data-row.html").read_text()
    row.write_text(theme.replace("</article>", link))
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    for problem in result.problems:
        place = problem.split(": error: ")[0]
        path, line, column = place.split(":")  # one location, never 'x.yaml:19:1:1:1'
        assert path.startswith("content/data/") and line.isdigit() and column.isdigit()


def test_a_huge_broken_link_is_reported_on_one_short_line(site: Path, tmp_path: Path):
    target = "a" * 50_000 + "-end.md"
    add_page(site, f"---\ntitle: Long\ndescription: A long link.\n---\nSee [it]({target}).\n")
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    [problem] = result.problems
    assert problem.startswith("content/problems.md:5:10: error: link to missing page content/a")
    assert len(problem) < 400 and "-end.md" in problem


def located(markdown: str, lookup=None) -> list[str]:
    """The problems of a page's Markdown, as `path:line:col` only (the body starting at line 1)."""
    _, problems = render_markdown(markdown, lookup=lookup, body_line=1)
    return [str(problem.span) for problem in problems]


def test_links_in_table_cells_are_located_past_escaped_pipes_and_code():
    head = "| a | b |\n|---|---|\n"
    assert located(head + "| x \\| y [l](nope.md) | z |\n") == ["content/page.md:3:14"]
    assert located(head + "| `[l](nope.md)` | [l](nope.md) |\n") == ["content/page.md:3:24"]
    assert located(head + "| [a](x.md) | [b](y.md) |\n") == [
        "content/page.md:3:7",
        "content/page.md:3:19",
    ]
    assert located("> | a |\n> |---|\n> | [x](nope.md) |\n") == ["content/page.md:3:9"]


def test_a_target_is_located_where_it_is_written():
    assert located("[x](   nope.md)") == ["content/page.md:1:8"]
    assert located("[t\nu](\nnope.md)") == ["content/page.md:3:1"]
    assert located("[x](<nope.md>)") == ["content/page.md:1:6"]
    assert located("[x](nope.md 'a ](b')") == ["content/page.md:1:5"]
    # A reference link at its use; the image inside it at its own target.
    assert located("[![i](pic.md)][ref]\n\n[ref]: gone.md") == [
        "content/page.md:1:1",
        "content/page.md:1:7",
    ]


def test_a_link_after_unclosed_brackets_is_still_checked():
    for opened in (6, 8, 9, 30):
        assert located("[" * opened + " [z](nope.md)") == [f"content/page.md:1:{opened + 6}"]


def test_a_lone_carriage_return_ends_a_line(site: Path, tmp_path: Path):
    text = "---\ntitle: CR\ndescription: Old line ends.\n---\na\rb\n\n[x](nope.md)\n"
    assert error_places(site, tmp_path / "out", text) == ["content/problems.md:8:5"]


def test_a_link_out_of_content_says_so():
    _, [problem] = render_markdown("[x](../outside.md)")
    assert problem.message == "link to ../outside.md leads outside content/"


def test_a_broken_link_written_twice_is_reported_at_both(site: Path, tmp_path: Path):
    text = (
        "---\ntitle: Twice\ndescription: The same broken link twice.\n---\n"
        "See [here](#nope).\n\nAnd [again](#nope), <a href='/gone/'>x</a> <a href='/gone/'>y</a>\n"
    )
    assert error_places(site, tmp_path / "out", text) == [
        "content/problems.md:5:12",
        "content/problems.md:7:13",
        "content/problems.md:7:30",
        "content/problems.md:7:53",
    ]


def test_a_link_to_the_sites_own_address_is_located(site: Path, tmp_path: Path):
    text = (
        "---\ntitle: Own\ndescription: Links to this site by its address.\n---\n"
        "Visit https://example.org/nowhere/ or <https://example.org/away/>.\n"
    )
    assert error_places(site, tmp_path / "out", text) == [
        "content/problems.md:5:7",
        "content/problems.md:5:40",
    ]
