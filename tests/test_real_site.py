"""The guide itself builds cleanly, completely and at the root and under a sub-path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, html_pages, run_build, snapshot
from serving import crawl, serve
from test_outputs import assert_complete_head

from sitegen.tables import load_tables
from sitegen.values import format_value


@pytest.fixture(scope="module")
def real_site(guide: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "out"
    result = run_build("--source", guide, "--out", out, "--strict")
    assert result.code == 0, result.stderr
    return out


def test_every_page_is_complete(real_site: Path):
    pages = html_pages(real_site)
    articles = [p for p in (ROOT / "content").rglob("*.md") if "data" not in p.parts]
    tables, _ = load_tables(ROOT)
    row_pages = sum(len(t.rows) for t in tables.values() if t.pages)
    assert row_pages > 0
    tag_pages = sum(path.startswith("tags/") for path in pages)  # /tags/ and one page a tag
    assert tag_pages > 1
    assert len(pages) == len(articles) + row_pages + tag_pages + 1  # and the 404 page
    for path, soup in pages.items():
        assert_complete_head(path, (real_site / path).read_bytes(), soup)
        assert soup.find("main") is not None and soup.h1 is not None, path
    for name in ("sitemap.xml", "robots.txt", "404.html", "favicon.svg"):
        assert (real_site / name).is_file(), name


@pytest.mark.parametrize(
    "base_url, prefix", [("https://example.org/", "/"), ("https://example.org/sub/", "/sub/")]
)
def test_no_internal_link_or_anchor_is_broken(
    guide: Path, tmp_path: Path, base_url: str, prefix: str
):
    out = tmp_path / "out"
    assert run_build("--source", guide, "--out", out, "--base-url", base_url).code == 0
    with serve(out, prefix) as root:
        pages, broken = crawl(root, extra=(root + "404.html",))
    assert broken == []
    assert len(pages) == len(html_pages(out))  # every page is reachable by following links


def test_builds_are_byte_identical(real_site: Path, guide: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert run_build("--source", guide, "--out", again).code == 0
    assert snapshot(again) == snapshot(real_site)


def test_console_script_runs_the_same_build(guide: Path, tmp_path: Path):
    script = Path(sys.executable).parent / "sitegen"
    out = tmp_path / "out"
    done = subprocess.run(
        [str(script), "build", "--out", str(out)],
        cwd=guide,  # the site in the current folder
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built ")
    reference = tmp_path / "reference"
    assert run_build("--source", guide, "--out", reference).code == 0
    assert snapshot(out) == snapshot(reference)


def test_every_row_of_every_table_is_shown(real_site: Path):
    shown: dict[str, set[str]] = {}
    for soup in html_pages(real_site).values():
        for block in soup.find_all(attrs={"data-table": True}):
            for anchor in block.select("a.anchor"):
                anchor.decompose()
            texts = {e.get_text(strip=True) for e in block.find_all(["th", "td", "h2", "p"])}
            texts |= {e["id"] for e in block.find_all(id=True)}
            shown.setdefault(block["data-table"], set()).update(texts)
    tables, _ = load_tables(ROOT)
    assert len(tables) >= 9
    for name, table in tables.items():
        cells = shown.get(name, set())
        for row in table.rows:
            for column in table.columns:
                value = format_value(row[column.name])
                assert value in cells or not value, f"{name}: {column.name} {value!r} not shown"


def test_the_guide_has_accessible_charts(real_site: Path):
    charts = [svg for soup in html_pages(real_site).values() for svg in soup.select("svg.chart")]
    assert len(charts) >= 4
    for svg in charts:
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg["role"] == "img"
        assert svg.find("title", id=title_id).get_text().strip()
        assert svg.find("desc", id=desc_id).get_text().strip()


def test_faq_page_has_every_question_with_an_anchor_and_faqpage_json_ld(real_site: Path):
    page = html_pages(real_site)["faq/index.html"]
    tables, _ = load_tables(ROOT)
    faq = tables["faq"]
    assert len(faq.rows) == 10
    scripts = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    [data] = [d for d in scripts if d["@type"] == "FAQPage"]
    assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
    assert len(data["mainEntity"]) == len(faq.rows)
    for row, entity in zip(faq.rows, data["mainEntity"], strict=True):
        heading = page.find("h2", id=row["id"])
        heading.find("a", class_="anchor").decompose()
        assert heading.get_text() == row["question"] == entity["name"]
        assert entity["@type"] == "Question"
        assert entity["acceptedAnswer"] == {"@type": "Answer", "text": row["answer"]}
        assert heading.find_next("p").get_text() == row["answer"]


def test_workflow_diagram_is_drawn_from_its_table(real_site: Path):
    page = html_pages(real_site)["what-ml-engineers-do/index.html"]
    diagram = page.select_one("svg.chart.flow")
    tables, _ = load_tables(ROOT)
    steps = [row["step"] for row in tables["workflow_steps"].rows]
    labels = [text.get_text() for text in diagram.find_all("text")]
    assert labels == [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
    assert len(diagram.find_all("rect", class_="flow-box")) == len(steps)


FIGURE = re.compile(r"\$\s?\d|\d\s?%|\d[\d,]{2,}")


def test_articles_take_their_figures_from_tables_not_retyped(real_site: Path):
    for article in (ROOT / "content").glob("*.md"):
        body = article.read_text().split("---", 2)[2]
        for line in body.splitlines():
            line = re.sub(r"^\s*(#+\s*)?\d+\.\s", "", line)  # list and heading numbering
            assert not FIGURE.search(line), f"{article.name}: figure in prose: {line!r}"


def test_pages_follow_a_reading_order_with_previous_and_next(real_site: Path):
    pages = html_pages(real_site)
    nexts = {path: soup.find("a", rel="next") for path, soup in pages.items()}
    chain, path = [], "what-ml-engineers-do/index.html"
    while path and path not in chain:
        chain.append(path)
        link = nexts.get(path)
        path = link["href"].lstrip("/") + "index.html" if link else None
    articles = [p for p in (ROOT / "content").glob("*.md") if p.name != "index.md"]
    assert len(chain) == len(articles)  # every article, once, in one chain
    assert chain[-1] == "faq/index.html"
