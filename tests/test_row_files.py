"""Tables whose rows are in a CSV or JSON file beside the declaration (`rows_from:`)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import copy_fixture, html_pages, run_build

from sitegen.cli import main
from sitegen.rowfiles import read_csv

DECLARATION = """\
title: Recipes
source: A fixture table of recipes.
as_of: 2026-03-01
rows_from: recipes.{suffix}
columns:
  dish:
    type: text
  minutes:
    type: integer
    required: true
  cost:
    type: money
    currency: EUR
  serves:
    type: range
    of: number
  tags:
    type: list
pages:
  template: data-row.html
  path: recipes
"""

CSV = (
    "dish,minutes,cost,serves,tags\n"
    "Soup,30,4.5,2-4,warm; quick\n"
    '"Tart, with ""cream""",90,12,6+,sweet\n'
    "Stew,180,,4-6,\n"
)

ROWS = [
    {"dish": "Soup", "minutes": 30, "cost": 4.5, "serves": {"min": 2, "max": 4}, "tags": ["warm"]},
    {"dish": "Tart", "minutes": 90, "serves": {"min": 6}},
]


def site_with(tmp_path: Path, suffix: str, rows: str) -> Path:
    site = copy_fixture("tables", tmp_path / "site")
    data = site / "content" / "data"
    (data / "recipes.yaml").write_text(DECLARATION.format(suffix=suffix))
    (data / f"recipes.{suffix}").write_text(rows)
    (site / "content" / "recipes.md").write_text(
        "---\ntitle: Recipes\ndescription: Dishes.\n---\n::: table recipes\n"
    )
    return site


def cells(page) -> list[list[str]]:
    table = page.select_one("table.data-table")
    rows = table.tbody.find_all("tr")
    return [[c.get_text(strip=True) for c in row.find_all(["th", "td"])] for row in rows]


def test_a_csv_table_renders_as_its_yaml_twin_would(tmp_path: Path):
    site = site_with(tmp_path, "csv", CSV)
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    pages = html_pages(out)
    assert cells(pages["recipes/index.html"]) == [
        ["Soup", "30", "€4.5", "2 – 4", "warm, quick"],
        ['Tart, with "cream"', "90", "€12", "6+", "sweet"],
        ["Stew", "180", "", "4 – 6", ""],
    ]
    assert pages["recipes/stew/index.html"].h1.get_text() == "Stew"


def test_a_json_table_renders_its_rows(tmp_path: Path):
    site = site_with(tmp_path, "json", json.dumps(ROWS, indent=2))
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    assert cells(html_pages(out)["recipes/index.html"]) == [
        ["Soup", "30", "€4.5", "2 – 4", "warm"],
        ["Tart", "90", "", "6+", ""],
    ]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            "dish,minutes\nSoup,thirty\n",
            "content/data/recipes.csv:2:6: error: 'minutes' must be an integer, got text 'thirty'",
        ),
        ("dish,minutes\nSoup,\n", "content/data/recipes.csv:2:1: error: missing required column"),
        ("dish,minuets\nSoup,3\n", "content/data/recipes.csv:1:6: error: unknown column 'minuets'"),
        ('dish,minutes\n"Soup,3\n', "content/data/recipes.csv:2:1: error: invalid CSV: a quoted"),
        (
            "dish;minutes\nSoup;3\n",
            "content/data/recipes.csv:1:1: error: the header is one column, 'dish;minutes': its "
            "cells are separated by semicolons (hint: save the file with commas between cells: "
            "in Excel, as 'CSV UTF-8')",
        ),
        (
            "dish,minutes,dish\nSoup,3,Stew\n",
            "content/data/recipes.csv:1:14: error: a column name 'dish' comes twice",
        ),
        (
            "dish,minutes,cost\nSoup,3,1e400\n",
            "content/data/recipes.csv:2:8: error: 'cost' must be money, got text '1e400'",
        ),
        (
            "dish,minutes,serves\nSoup,3,2-1e999\n",
            "content/data/recipes.csv:2:8: error: 'serves' must be a range",
        ),
        (
            "dish,minutes\nSoup,3\nSoup,4\n",
            "content/data/recipes.csv:3:1: error: duplicate dish 'Soup': row 1 has it too",
        ),
    ],
)
def test_a_wrong_csv_value_is_reported_at_its_csv_line_and_column(
    tmp_path: Path, rows: str, problem: str
):
    site = site_with(tmp_path, "csv", rows)
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.code == 1
    assert failed.problems[0].startswith(problem), failed.problems


def test_a_wrong_json_value_is_reported_at_its_json_line_and_column(tmp_path: Path):
    rows = '[\n  {"dish": "Soup", "minutes": "thirty"}\n]\n'
    failed = run_build("--source", site_with(tmp_path, "json", rows), "--out", tmp_path / "out")
    assert failed.problems[0].startswith(
        "content/data/recipes.json:2:31: error: 'minutes' must be an integer, got text 'thirty'"
    )
    for number, written in (("1e400", ".inf"), ("-Infinity", "-.inf"), ("NaN", ".nan")):
        rows = f'[\n  {{"dish": "Soup", "minutes": 3, "cost": {number}}}\n]\n'
        site = site_with(tmp_path / number, "json", rows)
        failed = run_build("--source", site, "--out", tmp_path / number / "out")
        assert failed.problems[0].startswith(
            f"content/data/recipes.json:2:42: error: 'cost' must be money, got text '{written}'"
        ), failed.problems
    empty = '[\n  {"dish": "Soup", "minutes": null}\n]\n'
    site = site_with(tmp_path / "empty", "json", empty)
    failed = run_build("--source", site, "--out", tmp_path / "empty" / "out")
    assert failed.problems[0] == (
        "content/data/recipes.json:2:31: error: 'minutes' must be an integer, got nothing "
        "(the value is empty or null) (hint: write a whole number such as 3)"
    )
    twice = '[\n  {"dish": "Soup", "minutes": 3,\n   "minutes": 4}\n]\n'
    site = site_with(tmp_path / "twice", "json", twice)
    failed = run_build("--source", site, "--out", tmp_path / "twice" / "out")
    assert failed.problems == [
        "content/data/recipes.json:3:4: error: duplicate key 'minutes' (hint: each key may "
        "appear once; the later one would silently win)"
    ]
    broken = '[\n  {"dish": "Soup",, "minutes": 3}\n]\n'
    site = site_with(tmp_path / "b", "json", broken)
    failed = run_build("--source", site, "--out", tmp_path / "o")
    assert failed.problems == [
        "content/data/recipes.json:2:19: error: invalid JSON: Expecting property name enclosed in "
        "double quotes"
    ]


def test_rows_from_a_missing_file_or_with_rows_is_an_error_in_the_declaration(tmp_path: Path):
    site = site_with(tmp_path, "csv", CSV)
    (site / "content" / "data" / "recipes.csv").unlink()
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [
        "content/data/recipes.yaml:4:12: error: rows_from names 'recipes.csv', which is not in "
        "the folder"
    ]


def test_an_edit_to_the_csv_file_is_seen_by_the_next_build(tmp_path: Path):
    site = site_with(tmp_path, "csv", CSV)
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    rows = site / "content" / "data" / "recipes.csv"
    rows.write_text(rows.read_text().replace("Soup,30", "Soup,35"))
    assert run_build("--source", site, "--out", out).code == 0
    assert cells(html_pages(out)["recipes/index.html"])[0][1] == "35"


def test_csv_cells_know_their_lines_and_columns():
    records, problem = read_csv('a,"b\nc",d\r\n,e,\n')
    assert problem is None
    assert records == [
        [("a", 1, 1), ("b\nc", 1, 3), ("d", 2, 4)],
        [("", 3, 1), ("e", 3, 2), ("", 3, 4)],
    ]


def test_the_schema_of_a_csv_table_describes_its_declaration(tmp_path: Path):
    site = site_with(tmp_path, "csv", CSV)
    out = tmp_path / "schemas"
    assert main(["schemas", "--source", str(site), "--out", str(out)]) == 0
    schema = json.loads((out / "recipes.schema.json").read_text())
    declaration = yaml.safe_load((site / "content" / "data" / "recipes.yaml").read_text())
    declaration["as_of"] = declaration["as_of"].isoformat()
    jsonschema.validate(declaration, schema)  # no rows: they are in the CSV file
    del declaration["rows_from"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(declaration, schema)
