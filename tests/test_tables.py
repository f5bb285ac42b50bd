"""Data tables: typed values, rendering as tables and charts, pages from rows, JSON Schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, copy_fixture, html_pages, run_build

from sitegen.tables import load_tables
from sitegen.values import Money, Percent, Range, YearSpan, format_value


@pytest.fixture(scope="module")
def tables_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    site = copy_fixture("tables", folder / "site")
    result = run_build("--source", site, "--out", folder / "out")
    assert result.code == 0, result.stderr
    return folder / "out"


@pytest.mark.parametrize(
    "value, text",
    [
        (Money(120000, "USD"), "$120,000"),
        (Money(1500.5, "CHF"), "1,500.5 CHF"),
        (Percent(32), "32%"),
        (Percent(60.5), "60.5%"),
        (Range(70000, 120000, "USD"), "$70,000 \u2013 $120,000"),
        (Range(180000, None, "USD"), "$180,000+"),
        (Range(2, 5.5), "2 \u2013 5.5"),
        (YearSpan(0, 2), "0\u20132 years"),
        (YearSpan(5, None), "5+ years"),
        (1200, "1,200"),
        (("Python", "R"), "Python, R"),
        (None, ""),
    ],
)
def test_values_print_with_their_units(value, text: str):
    assert format_value(value) == text


def test_tables_load_as_typed_rows():
    tables, problems = load_tables(FIXTURES / "tables")
    assert problems == []
    pay = tables["pay"]
    junior = pay.get("Junior")
    assert junior["salary"] == Range(70000, 120000, "USD")
    assert junior["years"] == YearSpan(0, 2)
    assert junior["tags"] == ("entry", "new")
    assert pay.get("Senior")["headcount"] is None
    assert tables["averages"].get("Top")["average"] == Money(150000, "EUR")
    assert str(tables["averages"].get("Top")["band"]) == "Senior"
    assert tables["shares"].rows[1]["share"] == Percent(39.5)


def test_templates_see_tables_by_name_with_typed_values(tables_site: Path):
    text = html_pages(tables_site)["index.html"].find(id="from-template").get_text()
    assert text == (
        "2 levels; top pay $180,000+; junior from 70000 to 120000 USD; "
        "share 60.5 (60.5%); page Senior."
    )


def test_table_is_semantic_html_with_formatted_right_aligned_numbers(tables_site: Path):
    table = html_pages(tables_site)["index.html"].find("table", id="table-pay")
    assert table.caption.get_text(" ", strip=True).startswith("Pay by level")
    headers = table.thead.find_all("th")
    assert all(th["scope"] == "col" for th in headers)
    assert [th.get_text() for th in headers][:3] == ["Level", "Experience", "Salary"]
    assert "num" in headers[2]["class"] and "num" not in headers[0].get("class", [])
    first = table.tbody.tr
    assert first.th["scope"] == "row" and first.th.get_text() == "Junior"
    cells = [td.get_text() for td in first.find_all("td")]
    assert cells[:4] == ["0\u20132 years", "$70,000 \u2013 $120,000", "junior", "1,200"]
    assert first.find("a", href="https://example.com/junior") is not None
    senior = table.tbody.find_all("tr")[1]
    assert senior.find_all("td")[1].get_text() == "$180,000+"
    assert "num" in senior.find_all("td")[1]["class"]
    note = table.find_parent("div").find_next_sibling("p", class_="table-source")
    assert note.get_text(" ", strip=True) == (
        "Source: A fixture table. Figures in US dollars per year. Data recorded 2026-01-31 ."
    )
    assert table.find_parent("div")["class"] == ["table-wrap"]  # scrolls inside itself


def test_table_directive_can_choose_columns(tables_site: Path):
    table = html_pages(tables_site)["index.html"].find("table", id="table-shares-2")
    assert [th.get_text() for th in table.find_all("th", scope="col")] == ["Group"]
    assert [th.get_text() for th in table.find_all("th", scope="row")] == ["Alpha", "Beta"]


def test_directive_inside_code_stays_text(tables_site: Path):
    code = html_pages(tables_site)["index.html"].find("pre").get_text()
    assert code == "::: table not_a_directive_inside_code\n"


def charts(tables_site: Path):
    return html_pages(tables_site)["index.html"].find_all("svg")


def test_charts_are_accessible_svg_next_to_their_table(tables_site: Path):
    page = html_pages(tables_site)["index.html"]
    svgs = charts(tables_site)
    assert len(svgs) == 3
    for svg in svgs:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title", id=title_id).get_text()
        assert svg.find("desc", id=desc_id).get_text()
        assert not svg.find_all(attrs={"fill": True}) and not svg.find_all(style=True)
        figure = svg.find_parent("figure")
        link = figure.figcaption.a["href"]
        assert link.startswith("#") and page.find(id=link[1:]).name == "table"
        assert figure.find_next_sibling("div", class_="table-wrap").table["id"] == link[1:]
    assert page.find("script") is None


def test_range_chart_states_the_data_in_words(tables_site: Path):
    svg = charts(tables_site)[0]
    assert svg.title.get_text() == "Pay by level"
    assert svg.desc.get_text() == (
        "Salary by level: Junior, from $70,000 to $120,000; Senior, from $180,000 upwards."
    )
    bars = svg.find_all("rect", class_="chart-bar")
    assert [b["x"] for b in bars] == ["22.40%", "57.60%"]
    assert "chart-open" in bars[1]["class"]  # an open range runs to the edge


def test_share_chart_has_a_bar_per_row(tables_site: Path):
    svg = charts(tables_site)[1]
    assert svg.desc.get_text() == "Share by group: Alpha, 60.5%; Beta, 39.5%."
    assert [b["width"] for b in svg.find_all("rect", class_="chart-bar")] == ["58.08%", "37.92%"]


def test_comparison_chart_marks_values_of_one_table_on_ranges_of_another(tables_site: Path):
    svg = charts(tables_site)[2]
    assert "Entry averages \u20ac80,000" in svg.desc.get_text()
    assert len(svg.find_all("line", class_="chart-marker-line")) == 2
    table = svg.find_parent("figure").find_next_sibling("div").table
    assert [td.get_text() for td in table.tbody.tr.find_all("td")] == [
        "\u20ac80,000",
        "Junior",
        "$70,000 \u2013 $120,000",
    ]


def test_a_table_can_make_a_page_per_row(tables_site: Path):
    pages = html_pages(tables_site)
    assert {"levels/junior/index.html", "levels/senior/index.html"} <= set(pages)
    senior = pages["levels/senior/index.html"]
    assert senior.h1.get_text() == "Senior"
    details = dict(
        zip(
            [dt.get_text() for dt in senior.find_all("dt")],
            [dd.get_text() for dd in senior.find_all("dd")],
            strict=True,
        )
    )
    assert details["Salary"] == "$180,000+"
    listing = pages["levels/index.html"].find("table")
    assert listing.tbody.tr.th.a["href"] == "/levels/junior/"
    sitemap = (tables_site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/levels/senior/</loc><lastmod>2026-01-31</lastmod>" in sitemap


def test_schemas_command_writes_a_schema_per_table_that_accepts_each_table(tmp_path: Path):
    out = tmp_path / "schemas"
    result = run_build_command("schemas", "--source", ROOT, "--out", out)
    assert result.returncode == 0, result.stderr
    files = sorted((ROOT / "content" / "data").glob("*.yaml"))
    assert len(files) >= 9
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{f.stem}.schema.json" for f in files)
    for table in files:
        schema = json.loads((out / f"{table.stem}.schema.json").read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)
        validate(schema, yaml.safe_load(table.read_text()))


def test_a_schema_rejects_a_wrong_type_and_an_unknown_column(tmp_path: Path):
    out = tmp_path / "schemas"
    assert (
        run_build_command("schemas", "--source", FIXTURES / "tables", "--out", out).returncode == 0
    )
    schema = json.loads((out / "pay.schema.json").read_text())
    data = yaml.safe_load((FIXTURES / "tables" / "content" / "data" / "pay.yaml").read_text())
    validate(schema, data)
    data["rows"][0]["salary"]["min"] = "70k"
    with pytest.raises(jsonschema.ValidationError, match="'70k' is not of type 'number'"):
        validate(schema, data)
    data["rows"][0]["salary"]["min"] = 70000
    data["rows"][0]["salray"] = 1
    with pytest.raises(jsonschema.ValidationError, match="'salray' was unexpected"):
        validate(schema, data)


def test_a_build_with_a_bad_table_keeps_the_previous_output(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    pay = site / "content" / "data" / "pay.yaml"
    pay.write_text(pay.read_text().replace("headcount: 1200", "headcount: lots"))
    result = run_build("--source", site, "--out", out)
    assert result.code == 1
    assert result.problems == [
        "content/data/pay.yaml:45:16: error: 'headcount' must be an "
        "integer, got text 'lots' (hint: write a whole number such as 3)"
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def validate(schema: dict, data: dict) -> None:
    """Validate YAML data as an editor's language server would: dates are text there."""
    as_json = json.loads(json.dumps(data, default=str))
    jsonschema.validate(as_json, schema, format_checker=jsonschema.FormatChecker())


def run_build_command(*args: str | Path) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS`."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
