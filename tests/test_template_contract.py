"""docs/templates.md is the contract of templates: it lists exactly what the theme has and what
templates see. A name added on either side alone fails here."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import jinja2
from conftest import ROOT, run_build
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_NAMESPACE

from sitegen.blocks import Cell, TableView
from sitegen.cli import main
from sitegen.markdown import TocEntry
from sitegen.navigation import NavLink
from sitegen.pagination import Paginator
from sitegen.render import PageView, SiteView
from sitegen.sidebar import NavItem
from sitegen.tables import Column, Table
from sitegen.themes import DEFAULT_THEME

DOC = ROOT / "docs" / "templates.md"
CLASSES = {
    c.__name__: c
    for c in (
        SiteView,
        PageView,
        NavLink,
        NavItem,
        TocEntry,
        Paginator,
        Table,
        Column,
        TableView,
        Cell,
    )
}


def rows() -> dict[str, list[list[str]]]:
    """The cells of every table row (its header row aside), by the heading above it."""
    found: dict[str, list[list[str]]] = {}
    heading = ""
    for line in DOC.read_text().splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("| ") and not line.startswith(("| Name |", "| Template |")):
            found.setdefault(heading, []).append([c.strip() for c in line.split("|")[1:-1]])
    return found


def sections() -> dict[str, list[str]]:
    """The first cell of every table row, by the heading above it."""
    return {heading: [row[0] for row in table] for heading, table in rows().items()}


def names(cell: str) -> list[str]:
    """The names written in backquotes in a table cell, without call parentheses."""
    return [re.sub(r"\(.*\)$", "", name) for name in re.findall(r"`([^`]+)`", cell)]


def test_the_documented_templates_are_the_themes():
    documented = [n for cell in sections()["Templates of the default theme"] for n in names(cell)]
    templates = DEFAULT_THEME / "templates"
    assert sorted(documented) == sorted(
        p.relative_to(templates).as_posix() for p in templates.rglob("*.html")
    )


def test_every_field_templates_see_is_documented_and_every_documented_one_exists():
    checked = set()
    for heading, cells in sections().items():
        found = re.search(r"\((\w+)\)$", heading)
        if not found:
            continue
        cls = CLASSES[found[1]]
        documented = sorted(name.split(".", 1)[1] for cell in cells for name in names(cell)[:1])
        assert documented == sorted(f.name for f in dataclasses.fields(cls)), heading
        checked.add(cls)
    assert checked == set(CLASSES.values())


def test_each_template_sees_the_documented_variables_helpers_and_filters(
    tmp_path: Path, monkeypatch
):
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    tasks = site / "content" / "data" / "tasks.yaml"
    rows_pages = "pages:\n  template: data-row.html\n  path: first-article\n"
    tasks.write_text(tasks.read_text() + rows_pages)
    article = site / "content" / "first-article.md"
    article.write_text(article.read_text().replace("---\n", "---\ntags: [example]\n", 1))
    (site / "content" / "notes").mkdir()  # a folder without index.md: a section page
    (site / "content" / "notes" / "a.md").write_text("---\ntitle: A\ndescription: A note.\n---\n")
    seen: dict[str, set[str]] = {}
    environments = []
    render = jinja2.Template.render

    def recording(self, *args, **kwargs):
        seen.setdefault(self.name, set()).update(dict(*args, **kwargs))
        environments.append(self.environment)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", recording)
    done = run_build("--source", site, "--out", tmp_path / "out", "--no-cache", "--jobs", "1")
    assert done.code == 0, done.stderr

    documented = {
        template: set(names(variables))
        for templates, variables in rows()["Variables by template"]
        for template in names(templates)
    }
    pages = {"page.html", "home.html", "404.html", "data-row.html", "section.html", "tags.html"}
    assert set(seen) == pages | {"tag.html", "partials/table.html", "partials/chart.html"}
    for template, variables in seen.items():
        assert variables == documented[template], template

    env = environments[0]
    helpers = {n for cell in sections()["Helpers"] for n in names(cell)[:1]}
    assert set(env.globals) - set(DEFAULT_NAMESPACE) == helpers
    filters = {n for cell in sections()["Filters"] for n in names(cell)[:1]}
    assert set(env.filters) - set(DEFAULT_FILTERS) == filters
