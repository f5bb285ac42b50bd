"""Escaping: text from front matter, site.yaml and table cells never becomes markup, a handler or
a live link, wherever a template or chart places it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from conftest import copy_fixture, html_pages, run_build

PAYLOAD = '<script>alert(1)</script> "onmouseover="alert(2)" javascript:alert(3) </title><b>x</b>'
ALLOWED_SCRIPTS = {"application/ld+json"}


def set_front_matter(page: Path, **values: object) -> None:
    _, front, body = page.read_text().split("---\n", 2)
    data = yaml.safe_load(front)
    data.update(values)
    page.write_text(f"---\n{yaml.safe_dump(data, allow_unicode=True)}---\n{body}")


def poison(site: Path) -> None:
    """Put the payload into every text that editors control."""
    config = yaml.safe_load((site / "site.yaml").read_text())
    for key in ("title", "description", "author"):
        config[key] = f"{key} {PAYLOAD}"
    config["source_title"] = f"Source {PAYLOAD}"
    for item in config.get("menu", []):
        item["title"] = f"Menu {PAYLOAD}"
    (site / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    for page in (site / "content").rglob("*.md"):
        set_front_matter(page, title=f"Page {PAYLOAD}", description=f"About {PAYLOAD}")
    for table_file in (site / "content" / "data").glob("*.yaml"):
        table = yaml.safe_load(table_file.read_text())
        for key in ("title", "caption", "source", "unit"):
            if key in table:
                table[key] = f"{table[key]} {PAYLOAD}"
        text_columns = [
            name
            for name, spec in table["columns"].items()
            if spec.get("type") == "text" and "pattern" not in spec and name != table.get("key")
        ]  # keys are left alone: other tables refer to them
        for name in text_columns:
            table["columns"][name]["label"] = f"{name} {PAYLOAD}"
        for row in table["rows"]:
            for name in text_columns:
                if row.get(name) is not None:
                    row[name] = f"{row[name]} {PAYLOAD}"
        table_file.write_text(yaml.safe_dump(table, allow_unicode=True, sort_keys=False))


def assert_inert(name: str, soup: BeautifulSoup) -> None:
    for script in soup.find_all("script"):
        assert script.get("type") in ALLOWED_SCRIPTS or script.get("src"), (name, script)
        if script.get("type") == "application/ld+json":
            assert "</" not in script.string
            json.loads(script.string)  # data, still whole
    assert not soup.find("b"), name  # the payload's <b> stayed text
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), (name, element)
            if attribute in ("href", "src", "action", "xlink:href"):
                assert not str(value).strip().lower().startswith("javascript:"), (name, element)
    # '</title>' did not end the document's title early: all of the payload is in it.
    assert soup.head.title.string.endswith(PAYLOAD), name


def test_text_from_yaml_and_front_matter_is_escaped_everywhere(tmp_path: Path):
    for fixture in ("basic", "tables"):
        site = copy_fixture(fixture, tmp_path / fixture)
        poison(site)
        out = tmp_path / f"{fixture}-out"
        result = run_build("--source", site, "--out", out, "--drafts")
        assert result.code == 0, result.stderr
        pages = html_pages(out)
        assert len(pages) >= 4
        shown = 0
        for name, soup in pages.items():
            assert_inert(name, soup)
            shown += soup.get_text().count("alert(1)")
        assert shown >= len(pages)  # the payload is there, as text, on every page
        for name in ("feed.xml", "sitemap.xml"):
            if (out / name).exists():
                xml = (out / name).read_text()
                assert "<script>" not in xml and "<b>" not in xml


def test_a_javascript_url_in_a_table_is_an_error(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    data = site / "content" / "data" / "pay.yaml"
    data.write_text(
        data.read_text().replace("link: https://example.com/junior", "link: javascript:alert(1)")
    )
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    assert re.search(r"^content/data/pay\.yaml:\d+:\d+: error: .*link", result.stderr, re.M)


RAW = (
    'Text with <span class="x" onclick="alert(1)">inline HTML</span>.\n\n'
    "<div>\n<script>alert(2)</script>\n</div>\n"
)


def add_raw_html_page(site: Path, config_line: str = "") -> None:
    if config_line:
        (site / "site.yaml").write_text((site / "site.yaml").read_text() + config_line)
    (site / "content" / "raw.md").write_text(
        f"---\ntitle: Raw\ndescription: Raw HTML in Markdown.\n---\n{RAW}"
    )


def test_raw_html_in_markdown_is_allowed_for_editors_by_default(site: Path, tmp_path: Path):
    add_raw_html_page(site)
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    main = html_pages(out)["raw/index.html"].find("main")
    assert main.find("span", class_="x") is not None
    assert main.find("script") is not None


def test_site_yaml_can_forbid_raw_html(site: Path, tmp_path: Path):
    add_raw_html_page(site, "raw_html: false\n")
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    main = html_pages(out)["raw/index.html"].find("main")
    assert main.find("span") is None and main.find("script") is None and main.find("div") is None
    assert '<span class="x" onclick="alert(1)">' in main.get_text()
    assert "<script>alert(2)</script>" in main.get_text()


def test_forbidding_raw_html_makes_script_links_errors(site: Path, tmp_path: Path):
    add_raw_html_page(site, "raw_html: false\n")
    raw = site / "content" / "raw.md"
    raw.write_text(
        raw.read_text() + "\n[Click](javascript:alert(3)) and [ok](https://example.org/).\n"
    )
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "content/raw.md:11:9: error: link to a javascript: URL, which runs code "
        "(hint: site.yaml forbids raw HTML (raw_html: false), and with it such links)"
    ]
