"""The command line: options, exit status, summary and error output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
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
    assert line.startswith("built 4 pages, 0 tables, 6 static files in ")
    assert line.endswith(f" s into {out}")


def test_default_output_is_site_folder_underscore_site(site: Path):
    result = run_build("--source", site)
    assert result.code == 0, result.stderr
    assert (site / "_site" / "index.html").is_file()


def test_default_source_of_build_py_is_its_folder(tmp_path: Path):
    out = tmp_path / "out"
    result = run_build("--out", out, "--no-cache", cwd=tmp_path)  # nothing written beside it
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
    debug = run_build("--source", site, "--out", blocker / "out", "--debug", process=True)
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


def wheel_of_the_project(tmp_path: Path) -> Path:
    """Build the project's wheel from a copy of it (a build writes beside the sources)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "sitegen", project / "sitegen", ignore=shutil.ignore_patterns("__py*"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(project), "--no-deps", "--no-build-isolation"]
        + ["--quiet", "--wheel-dir", str(tmp_path / "wheels")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (tmp_path / "wheels").glob("*.whl")
    return wheel


def test_the_wheel_installs_the_package_and_the_sitegen_command_only(tmp_path: Path):
    names = zipfile.ZipFile(wheel_of_the_project(tmp_path)).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"sitegen"}
    assert "sitegen/markdown/parser.py" in names
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel_of_the_project(tmp_path / "again")).read(entry_points).decode()
    assert "sitegen = sitegen.cli:main" in text.splitlines()


def test_sitegen_works_beside_pypa_build_and_names_itself(tmp_path: Path):
    target = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
        + [str(wheel_of_the_project(tmp_path))],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert not (target / "build.py").exists()
    pypa = tmp_path / "pypa" / "build"  # a package named build, as PyPA's installs
    pypa.mkdir(parents=True)
    (pypa / "__init__.py").write_text('"""PyPA\'s build."""\n')
    # Without `site` (-S), this environment's editable install of the project stays out of the
    # way; its libraries are still found, after the installed wheel and PyPA's build.
    libraries = sysconfig.get_paths()["purelib"]
    path = os.pathsep.join([str(pypa.parent), str(target), libraries])
    env = {**os.environ, "PYTHONPATH": path}

    def python(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-S", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            cwd=tmp_path,  # not the project folder, whose sitegen/ would come first
        )

    assert python("-c", "import sitegen; print(sitegen.__file__)").stdout.startswith(str(target))
    assert python("-m", "sitegen", "--help").stdout.startswith("usage: python -m sitegen ")
    script = "import sys; from sitegen.cli import main; sys.argv[0] = 'sitegen'; sys.exit(main())"
    helped = python("-c", script, "build", "--help")
    assert helped.stdout.startswith("usage: sitegen build ")
    assert "(default: the current folder)" in " ".join(helped.stdout.split())
    out = tmp_path / "out"
    built = python("-m", "sitegen", "build", "--source", str(ROOT), "--out", str(out), "--no-cache")
    assert built.returncode == 0, built.stderr
    assert (out / "index.html").is_file() and (out / "salaries" / "index.html").is_file()


def test_new_and_serve_outside_a_site_say_so_and_exit_1(tmp_path: Path):
    for command in (["new", "article", "A first page"], ["serve", "--port", "0"]):
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", *command, "--source", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        first = done.stderr.splitlines()[0]
        assert first.startswith("site.yaml:1:1: error: no site.yaml in the site folder"), first
        assert "serving" not in done.stdout
    assert list(tmp_path.iterdir()) == []  # no page, no cache: nothing written


def test_a_failed_build_speaks_of_a_previous_output_only_when_there_is_one(site: Path, tmp_path):
    page = site / "content" / "guide" / "intro.md"
    good = page.read_text()
    page.write_text(good.replace("title:", "titel:", 1))
    first = run_build("--source", site, "--out", tmp_path / "out")
    assert first.code == 1
    assert first.stderr.splitlines()[-1].endswith("; nothing written")
    assert not (tmp_path / "out").exists()
    page.write_text(good)
    assert run_build("--source", site, "--out", tmp_path / "out").code == 0
    page.write_text(good.replace("title:", "titel:", 1))
    again = run_build("--source", site, "--out", tmp_path / "out")
    assert again.stderr.splitlines()[-1].endswith("; the previous output is unchanged")


def test_a_build_that_fails_before_its_output_exists_writes_nothing(site: Path, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_build("--source", empty).code == 1
    assert list(empty.iterdir()) == []  # no .cache/secret, no _site
    page = site / "content" / "guide" / "intro.md"
    good = page.read_text()
    page.write_text(good.replace("title:", "titel:", 1))  # the other pages are made meanwhile
    before = sorted(p.name for p in site.iterdir())
    assert run_build("--source", site).code == 1
    assert sorted(p.name for p in site.iterdir()) == before  # no .cache, no _site
    page.write_text(good)
    assert run_build("--source", site).code == 0
    cached = {p for p in (site / ".cache").rglob("*") if p.is_file()}
    page.write_text(good.replace("title:", "titel:", 1))
    assert run_build("--source", site).code == 1  # with an output: its work is kept
    assert cached <= {p for p in (site / ".cache").rglob("*") if p.is_file()}
