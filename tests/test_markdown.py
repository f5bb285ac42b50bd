"""Markdown rendering: extensions, heading anchors, links between pages, template syntax as text."""

from __future__ import annotations

import ast
import re
from importlib import metadata
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT, copy_fixture, html_pages, render_markdown, run_build


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


# The dialect, rendered by the stage itself: what GitHub does, and what the site adds.


def soup_of(markdown: str, **options) -> BeautifulSoup:
    body, problems = render_markdown(markdown, **options)
    assert problems == [], [p.format() for p in problems]
    return BeautifulSoup(body.html, "html.parser")


def test_heading_ids_are_githubs():
    body, _ = render_markdown(
        "## People & Body\n\n## Options\n\n## Options\n\n## Details {#custom .wide}\n\n"
        "## Café au lait — 2024 ✓\n\n## 日本語の見出し\n\n### `code` and *emphasis*\n"
    )
    soup = BeautifulSoup(body.html, "html.parser")
    ids = [h["id"] for h in soup.find_all(["h2", "h3"])]
    assert ids == [
        "people--body",
        "options",
        "options-1",
        "custom",
        "café-au-lait--2024-",
        "日本語の見出し",
        "code-and-emphasis",
    ]
    custom = soup.find(id="custom")
    assert custom["class"] == ["wide"] and custom.get_text() == "Details#"
    assert [a["href"] for a in soup.select("a.anchor")] == [f"#{i}" for i in ids]
    assert [(e.level, e.id) for e in body.toc][:2] == [(2, "people--body"), (2, "options")]
    assert body.toc[-1].children[0].id == "code-and-emphasis"  # h3 under the h2 before it
    assert body.toc[-1].children[0].title == "code and emphasis"


def test_a_generated_id_never_takes_one_given_by_hand():
    soup = soup_of("## Intro {#options}\n\n## Options\n\n## Options\n")
    assert [h["id"] for h in soup.find_all("h2")] == ["options", "options-1", "options-2"]


def test_an_id_given_twice_is_an_error_at_the_second_heading():
    _, problems = render_markdown("## One {#same}\n\n## Two {#same}\n")
    assert [p.format() for p in problems] == [
        "content/page.md:7:1: error: id 'same' is used twice on this page "
        "(hint: ids must differ; change one of them)"
    ]


def test_an_attribute_that_could_run_code_or_style_is_refused_where_written():
    _, problems = render_markdown("A paragraph.\n{: onclick=alert(1) }\n\n## Title {style=x}\n")
    assert [p.format() for p in problems] == [
        "content/page.md:6:1: error: attribute 'onclick' is not allowed in Markdown "
        "(hint: use #id, .class, lang, dir, title, role, data-* or aria-* attributes)",
        "content/page.md:8:1: error: attribute 'style' is not allowed in Markdown "
        "(hint: use #id, .class, lang, dir, title, role, data-* or aria-* attributes)",
    ]


def test_paragraph_attributes_and_braces_that_are_not_attributes():
    soup = soup_of(
        "A lead.\n{: .lead #top }\n\nAn aside.\n{.aside}\n\nKeep {braces} and {{ x }}.\n"
    )
    first, second, third = soup.find_all("p")
    assert (first["class"], first["id"], first.get_text()) == (["lead"], "top", "A lead.")
    assert second["class"] == ["aside"]
    assert third.get_text() == "Keep {braces} and {{ x }}." and not third.attrs


def test_footnotes_have_githubs_ids_and_named_backlinks():
    soup = soup_of(
        "One claim.[^a] Another.[^b] The first again.[^a]\n\n[^a]: Its source.\n"
        "[^b]: Another source.\n"
    )
    refs = [(a["href"], a["id"], a.get_text()) for a in soup.select("sup.footnote-ref a")]
    assert refs == [
        ("#fn-a", "fnref-a", "1"),
        ("#fn-b", "fnref-b", "2"),
        ("#fn-a", "fnref-a-2", "1"),
    ]
    notes = soup.find("section", class_="footnotes")
    assert notes["aria-label"] == "Footnotes"
    first = notes.find("li", id="fn-a")
    backs = [(a["href"], a["aria-label"]) for a in first.select("a.footnote-backref")]
    assert backs == [("#fnref-a", "Back to reference 1"), ("#fnref-a-2", "Back to reference 1-2")]


def test_definition_lists_admonitions_and_alerts():
    soup = soup_of(
        'Term\n: Its definition.\n\n!!! warning "Mind the gap"\n    Between train and edge.\n\n'
        + "".join(
            f"> [!{kind}]\n> About {kind.lower()}.\n\n"
            for kind in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
        )
    )
    assert (soup.dl.dt.get_text(), soup.dl.dd.get_text(strip=True)) == ("Term", "Its definition.")
    boxes = soup.find_all("div", class_="admonition")
    assert [(b["class"], b.find(class_="admonition-title").get_text()) for b in boxes] == [
        (["admonition", "warning"], "Mind the gap"),
        (["admonition", "note"], "Note"),
        (["admonition", "tip"], "Tip"),
        (["admonition", "important"], "Important"),
        (["admonition", "warning"], "Warning"),
        (["admonition", "caution"], "Caution"),
    ]
    assert boxes[1].find_all("p")[-1].get_text() == "About note."
    assert soup.find("blockquote") is None


def test_tables_align_by_class_and_scroll_in_a_named_box():
    soup = soup_of("| Tool | Cost | Note |\n|:-----|-----:|:----:|\n| a \\| b | 3 | `x\\|y` |\n")
    box = soup.find("div", class_="table-wrap")
    assert (box["role"], box["tabindex"], box["aria-label"]) == (
        "region",
        "0",
        "Table: Tool, Cost, Note",
    )
    cells = box.find_all(["th", "td"])
    assert [c.get("class") for c in cells] == [
        ["align-left"],
        ["align-right"],
        ["align-center"],
    ] * 2
    assert not any(c.has_attr("style") for c in cells)
    assert [c.get_text() for c in cells[3:]] == ["a | b", "3", "x|y"]


def test_task_lists_are_disabled_checkboxes():
    soup = soup_of("- [ ] to do\n- [x] done\n  - [ ] nested\n")
    boxes = soup.find_all("input")
    assert [(b["type"], b.has_attr("disabled"), b.has_attr("checked")) for b in boxes] == [
        ("checkbox", True, False),
        ("checkbox", True, True),
        ("checkbox", True, False),
    ]


def test_without_raw_html_tags_are_text_and_autolinks_still_work():
    soup = soup_of("<b>bold</b> and <https://example.org> and www.example.com\n", raw_html=False)
    assert soup.find("b") is None and "<b>bold</b>" in soup.get_text()
    assert [a["href"] for a in soup.find_all("a")] == [
        "https://example.org",
        "http://www.example.com",
    ]


def test_a_directive_inside_a_list_or_quote_places_its_table(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    (site / "content" / "nested.md").write_text(
        "---\ntitle: Nested\ndescription: Directives in containers.\n---\n"
        "- A list item holding a table:\n\n  ::: table pay\n\n> ::: table shares\n"
    )
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    main = html_pages(out)["nested/index.html"].find("main")
    assert main.find("li").find("table", id="table-pay") is not None
    assert main.find("blockquote").find("table", id="table-shares") is not None


def test_python_markdown_is_no_longer_a_dependency_nor_imported():
    required = {
        re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
        for requirement in metadata.requires("mlguide-sitegen") or []
        if "extra ==" not in requirement
    }
    assert {"markdown-it-py", "mdit-py-plugins"} <= required
    assert "markdown" not in required
    imported = set()
    for module in (ROOT / "sitegen").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert "markdown_it" in imported and "markdown" not in imported


def test_page_links_keep_their_query_and_raw_html_stays_well_formed():
    lookup = {"a.md": "/a/"}.get
    body, problems = render_markdown(
        "[q](a.md?x=1#y) and <a href='a.md#it&#39;s'>quoted</a>", lookup=lookup
    )
    assert problems == []
    soup = BeautifulSoup(body.html, "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == ["/a/?x=1#y", "/a/#it's"]


def test_a_fence_may_have_a_title_and_no_language():
    soup = soup_of('```title="a.py"\nprint(1)\n```\n')
    assert soup.figcaption.get_text() == "a.py"
    assert soup.code.get("class") is None and soup.code.find("span") is None


def test_an_admonition_needs_a_kind():
    soup = soup_of('!!! "Only a title"\n    body\n')
    assert soup.find("div") is None
    assert soup.p.get_text() == '!!! "Only a title"\nbody'


def test_attribute_lists_are_read_before_autolinks_and_an_escaped_one_is_text():
    soup = soup_of("## Contact {data-mail=me@example.org}\n\n## Kept \\{#id}\n")
    contact, kept = soup.find_all("h2")
    assert (contact["id"], contact["data-mail"]) == ("contact", "me@example.org")
    assert contact.find("a", href=lambda h: h.startswith("mailto:")) is None
    assert kept["id"] == "kept-id" and kept.get_text() == "Kept {#id}#"


def test_headings_without_letters_get_ids_no_github_heading_can_have():
    soup = soup_of("## !!!\n\n## 🎉\n\n## Section\n")
    assert [h["id"] for h in soup.find_all("h2")] == ["§1", "§2", "section"]


def test_an_id_repeated_by_a_paragraph_is_an_error_where_it_repeats():
    _, problems = render_markdown(
        "## Foo {#bar}\n\nText.\n{: #bar }\n\nMore.\n{: #fn-1 }\n\nA[^1]\n\n[^1]: n\n"
    )
    assert [str(p.span) for p in problems] == ["content/page.md:7:1", "content/page.md:10:1"]
    assert all(p.message.startswith("id '") for p in problems)
