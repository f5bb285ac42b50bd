"""`where`, `sort` and `limit` on `::: table` and `::: chart` lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_fixture, html_pages, run_build

ROWS = """\
title: Recipes
source: A fixture table of recipes.
as_of: 2026-03-01
columns:
  dish:
    type: text
  course:
    type: enum
    values: [Starter, Main, Dessert]
  minutes:
    type: integer
  rating:
    type: number
    required: true
rows:
  - {dish: Soup, course: Starter, minutes: 30, rating: 4.1}
  - {dish: Tart, course: Dessert, minutes: 90, rating: 4.8}
  - {dish: Stew, course: Main, minutes: 180, rating: 4.5}
  - {dish: Mousse, course: Dessert, minutes: 20, rating: 3.9}
  - {dish: Salad, course: Starter, rating: 4.3}
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("tables", tmp_path / "site")
    (site / "content" / "data" / "recipes.yaml").write_text(ROWS)
    return site


def place(site: Path, *lines: str) -> Path:
    page = site / "content" / "recipes.md"
    page.write_text("---\ntitle: Recipes\ndescription: Dishes.\n---\n" + "\n\n".join(lines) + "\n")
    return page


def shown(soup, index: int = 0) -> list[str]:
    table = soup.select("table.data-table")[index]
    return [row.th.get_text(strip=True) for row in table.tbody.find_all("tr")]


def test_where_sort_and_limit_choose_the_rows_of_a_table(site: Path, tmp_path: Path):
    place(
        site,
        '::: table recipes where="course=Dessert"',
        "::: table recipes sort=-rating limit=3",
        "::: table recipes sort=minutes",
        '::: table recipes where="course!=Starter" sort=dish columns=dish,rating',
        "::: table recipes where=minutes=90",
    )
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    page = html_pages(out)["recipes/index.html"]
    assert shown(page, 0) == ["Tart", "Mousse"]
    assert shown(page, 1) == ["Tart", "Stew", "Salad"]
    assert shown(page, 2) == ["Mousse", "Soup", "Tart", "Stew", "Salad"]  # no time: last
    assert shown(page, 3) == ["Mousse", "Stew", "Tart"]
    headers = [th.get_text() for th in page.select("table.data-table")[3].thead.find_all("th")]
    assert headers == ["Dish", "Rating"]
    assert shown(page, 4) == ["Tart"]


def test_a_chart_shows_the_rows_its_options_select(site: Path, tmp_path: Path):
    place(site, '::: chart recipes value=rating where="course=Starter" sort=-rating')
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0, "build failed"
    figure = html_pages(out)["recipes/index.html"].select_one("figure.chart-figure")
    dishes = ("Soup", "Tart", "Stew", "Mousse", "Salad")
    text = figure.svg.get_text(" ")
    order = sorted((text.index(dish), dish) for dish in dishes if dish in text)
    assert [dish for _, dish in order] == ["Salad", "Soup"]
    assert shown(html_pages(out)["recipes/index.html"]) == ["Salad", "Soup"]


NO_COURS = "table 'recipes' has no column 'cours' (hint: did you mean 'course'?)"
NO_MAINS = "no row of 'recipes' has 'Mains' in 'course' (hint: did you mean 'Main'?)"
NO_VALUE = (
    "where='course' must be written column=value or column!=value "
    '(hint: for example where="dish=Soup")'
)
NO_STARS = (
    "table 'recipes' has no column 'stars' (hint: choose one of: course, dish, minutes, rating)"
)
UNCLOSED = "directive line cannot be read: No closing quotation"


@pytest.mark.parametrize(
    ("line", "at", "problem"),
    [
        ('::: table recipes where="cours=Main"', "where=", NO_COURS),
        ('::: table recipes where="course=Mains"', "where=", NO_MAINS),
        ("::: table recipes where=course", "where=", NO_VALUE),
        ("::: chart recipes value=rating sort=stars", "sort=", NO_STARS),
        ("::: table recipes limit=0", "limit=", "limit='0' must be a whole number, 1 or more"),
        ('::: table recipes where="course=Main" where="x', ":::", UNCLOSED),
        (
            "::: table recipes limit=2 sort=dish limit=3",
            "limit=3",
            "option 'limit' is given twice (hint: keep one 'limit=' on the line)",
        ),
        (
            "::: flow recipes sort=dish",
            "sort=",
            "unknown option 'sort' for flow (hint: choose one of: label)",
        ),
    ],
)
def test_a_selection_that_cannot_be_made_is_an_error_at_its_option(
    site: Path, tmp_path: Path, line: str, at: str, problem: str
):
    page = place(site, "Some text.", line)
    number = page.read_text().splitlines().index(line) + 1
    column = line.index(at) + 1
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems[0] == f"content/recipes.md:{number}:{column}: error: {problem}"


def test_a_table_with_no_rows_is_an_error_that_says_so(site: Path, tmp_path: Path):
    data = site / "content" / "data" / "recipes.yaml"
    data.write_text(ROWS[: ROWS.index("rows:")] + "rows: []\n")
    place(site, "::: table recipes")
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert failed.problems == [
        "content/recipes.md:5:1: error: table 'recipes' has no rows to show "
        "(hint: add rows to content/data/recipes.yaml)"
    ]
