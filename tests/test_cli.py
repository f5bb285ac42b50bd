"""The command line: options, exit status, summary and error output."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import ROOT, run_build


def test_help_explains_every_build_option():
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--source", "--out", "--base-url", "--drafts", "--strict", "--debug"):
        line = next(line for line in done.stdout.splitlines() if line.strip().startswith(option))
        assert len(line.strip()) > len(option) + 5, f"{option} has no explanation"


def test_success_prints_one_summary_line(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.startswith("built 4 pages, 0 tables, 1 static files in ")
    assert line.endswith(f" s into {out}")


def test_default_output_is_site_folder_underscore_site(site: Path):
    result = run_build("--source", site)
    assert result.code == 0, result.stderr
    assert (site / "_site" / "index.html").is_file()


def test_default_source_is_the_folder_of_build_py(tmp_path: Path):
    out = tmp_path / "out"
    result = run_build("--out", out, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert (out / "index.html").is_file()


def test_warnings_print_with_location_and_fail_only_under_strict(site: Path, tmp_path: Path):
    page = site / "content" / "guide" / "index.md"
    page.write_text(
        page.read_text().replace("date: 2024-03-01", "date: 2024-03-01\nupdated: 2024-01-01")
    )
    relaxed = run_build("--source", site, "--out", tmp_path / "a")
    assert relaxed.code == 0
    assert relaxed.problems == [
        "content/guide/index.md:5:10: warning: 'updated' is earlier than "
        "'date' (hint: swap them or fix the typo)"
    ]
    strict = run_build("--source", site, "--out", tmp_path / "b", "--strict")
    assert strict.code == 1
    assert strict.problems == relaxed.problems
    assert not (tmp_path / "b").exists()


def test_system_errors_are_one_line_without_debug_and_a_traceback_with_it(
    site: Path, tmp_path: Path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_build("--source", site, "--out", blocker / "out")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    [line] = result.problems
    assert line.startswith(f"{blocker}: error: ")
    assert "run with --debug" in line
    debug = run_build("--source", site, "--out", blocker / "out", "--debug")
    assert debug.code == 1
    assert "Traceback" in debug.stderr


def test_output_folder_may_not_replace_the_sources(site: Path):
    def sources():  # the cache may grow; the sources must not change
        return sorted(p.relative_to(site) for p in site.rglob("*") if ".cache" not in p.parts)

    before = sources()
    for out in (site, site / "content", site.parent):
        result = run_build("--source", site, "--out", out)
        assert result.code == 1
        assert result.problems[0].startswith("--out:1:1: error: output folder ")
    assert sources() == before


def test_pip_install_ships_every_subpackage():
    # An editable install maps the whole folder; a wheel holds only the packages listed.
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "sitegen").rglob("__init__.py")
    }
    assert found == listed
