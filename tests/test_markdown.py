"""Markdown rendering: extensions, heading anchors, links between pages, template syntax as text."""

from __future__ import annotations

from pathlib import Path

from conftest import html_pages, run_build


def intro(built: Path):
    return html_pages(built)["guide/intro/index.html"]


def test_tables_footnotes_admonitions_definitions_and_attribute_lists(built: Path):
    soup = intro(built)
    table = soup.find("table")
    assert [th.get_text() for th in table.find_all("th")] == ["Tool", "Use"]
    ref = soup.find("a", id="fnref-1")
    assert soup.find(id=ref["href"][1:]).get_text(" ", strip=True).startswith("The footnote text.")
    note = soup.find("div", class_="admonition")
    assert note["class"] == ["admonition", "note"]
    assert note.find(class_="admonition-title").get_text() == "Remember"
    assert soup.find("p", class_="lead").get_text() == "A paragraph with a class."
    assert soup.find("dl").dt.get_text() == "Glossary term"


def test_fenced_code_is_highlighted_with_css_classes(built: Path):
    block = intro(built).find("div", class_="highlight")
    keyword = block.find("span", class_="k")
    assert keyword.get_text() == "def"
    assert block.find("span", style=True) is None  # classes, not inline styles


def test_headings_have_stable_ids_and_a_visible_anchor_link(built: Path):
    soup = intro(built)
    headings = soup.find_all("h2")
    assert [h["id"] for h in headings] == ["getting-started", "custom-id"]
    for heading in headings:
        anchor = heading.find("a", class_="anchor")
        assert anchor["href"] == f"#{heading['id']}"
        assert anchor.get_text() == "#"
        assert anchor["aria-label"].startswith("Link to section: ")
    toc = [a["href"] for a in soup.find("ol", class_="toc").find_all("a")]
    assert toc == ["#getting-started", "#custom-id"]


def test_links_to_md_files_become_page_urls(built: Path):
    pages = html_pages(built)
    home_links = [a["href"] for a in pages["index.html"].find("main").p.find_all("a")]
    assert home_links == ["/guide/", "/guide/intro/#getting-started"]
    chapter_links = [a["href"] for a in pages["guide/index.html"].find("main").ul.find_all("a")]
    assert chapter_links == ["/guide/intro/", "/guide/braces/", "/"]
    detail = pages["guide/intro/index.html"].find(id="custom-id").find_next("p")
    assert [a["href"] for a in detail.find_all("a")] == ["#getting-started", "/guide/#chapters"]


def test_links_follow_the_base_url_sub_path(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert (
        run_build("--source", site, "--out", out, "--base-url", "https://example.org/sub/").code
        == 0
    )
    home = html_pages(out)["index.html"]
    links = [a["href"] for a in home.find("main").p.find_all("a")]
    assert links == ["/sub/guide/", "/sub/guide/intro/#getting-started"]


def test_template_syntax_in_markdown_is_shown_literally(built: Path):
    main = html_pages(built)["guide/braces/index.html"].find("main")
    paragraph = main.find("h2").find_next("p")
    assert paragraph.get_text() == (
        "Write {{ site.title }} and {% raw %} in text; they stay as written."
    )
    assert main.find("pre").get_text() == "{{ site.title }} and {% raw %} in code\n"
    assert main.find_all("p")[-1].code.get_text() == "{{ page.title }}"
