"""Every invalid site gives its exact located errors, no traceback, and keeps the last good output.

Each case in tests/fixtures/invalid/ holds only the files that differ from tests/fixtures/basic
(in tests/fixtures/invalid-tables/, from tests/fixtures/tables), plus `expected.txt`: the exact
lines the build must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_fixture, run_build, snapshot

BASES = {"invalid": "basic", "invalid-tables": "tables"}
CASES = sorted(
    f"{folder}/{case.name}"
    for folder in BASES
    for case in (FIXTURES / folder).iterdir()
    if case.is_dir()
)


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_reports_located_errors_and_keeps_previous_output(case: str, tmp_path: Path):
    site = copy_fixture(BASES[case.split("/")[0]], tmp_path / "site")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    before = snapshot(out)

    overlay = FIXTURES / case
    shutil.copytree(overlay, site, dirs_exist_ok=True)
    (site / "expected.txt").unlink()
    result = run_build("--source", site, "--out", out)

    expected = (overlay / "expected.txt").read_text().splitlines()
    assert result.code == 1
    assert result.problems == expected
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "staging folder left"


def test_all_problems_of_a_stage_are_reported_together(site: Path, tmp_path: Path):
    for name in ("intro.md", "index.md"):
        page = site / "content" / "guide" / name
        page.write_text(page.read_text().replace("title:", "titel:", 1))
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    assert [line.split(": error: ")[1].split(" (hint")[0] for line in result.problems] == [
        "unknown front-matter key 'titel'",
        "missing required front-matter key 'title'",
    ] * 2
    assert {line.split(":")[0] for line in result.problems} == {
        "content/guide/index.md",
        "content/guide/intro.md",
    }


def test_a_broken_shared_template_is_reported_once(site: Path, tmp_path: Path):
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("{{ site.title }}", "{{ site.name }}"))
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    assert result.problems == [
        "templates/base.html:6:47: error: undefined variable 'site.name' (hint: choose one of: "
        "author, base_url, csp, description, language, menu, pages, search, source_title, title; "
        "while rendering content/guide/index.md)"
    ]


def test_one_run_reports_front_matter_table_and_link_errors_together(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    levels = site / "content" / "levels" / "index.md"
    levels.write_text(levels.read_text().replace("title:", "titel:", 1))
    pay = site / "content" / "data" / "pay.yaml"
    pay.write_text(pay.read_text().replace("salary: {min: 70000,", "salary: {min: -5,", 1))
    home = site / "content" / "index.md"
    home.write_text(
        home.read_text() + "\nSee [nowhere](nowhere.md) and [levels](levels/index.md).\n"
    )
    line = len(home.read_text().splitlines())
    result = run_build("--source", site, "--out", tmp_path / "out")
    assert result.code == 1
    # Nothing more: the link to the page with errors, and the templates placing the table with
    # errors, are no errors of their own.
    # File by file, top to bottom.
    assert result.problems == [
        "content/data/pay.yaml:43:19: error: 'min' must be at least 0, got -5",
        f"content/index.md:{line}:15: error: link to missing page content/nowhere.md "
        "(hint: links to other pages are relative paths to their .md files)",
        "content/levels/index.md:2:1: error: unknown front-matter key 'titel' "
        "(hint: did you mean 'title'?)",
        "content/levels/index.md:2:1: error: missing required front-matter key 'title' "
        "(hint: add a line 'title: ...')",
    ]
