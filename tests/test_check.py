"""`build.py check`: located problems as text, JSON or GitHub annotations; exit 1 on errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT, copy_fixture, snapshot

NOVEMBER_24 = "1795478400"  # 2026-11-24, so that table ages do not depend on the day tests run


def check(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--source", str(site), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": NOVEMBER_24},
    )


def test_a_broken_anchor_is_an_annotation_on_its_line(site: Path):
    overlay = FIXTURES / "invalid" / "link-to-missing-anchor" / "content" / "guide" / "intro.md"
    (site / "content" / "guide" / "intro.md").write_text(overlay.read_text())
    done = check(site, "--format", "github")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "::error file=content/guide/intro.md,line=7,col=21::anchor '#chapter-list' does not "
        "exist on guide/index.md (hint: anchors on that page: chapters)"
    ]


def test_stale_tables_are_warnings_at_their_as_of_line(tmp_path: Path):
    site = copy_fixture("tables", tmp_path / "site")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "max_age: 280\n")
    done = check(site, "--format", "text")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        "content/data/pay.yaml:5:1: warning: data is 297 days old (as_of 2026-01-31; max_age is "
        "280 days) (hint: check the figures against their source, then update as_of)",
        "content/data/shares.yaml:3:1: warning: data is 297 days old (as_of 2026-01-31; max_age "
        "is 280 days) (hint: check the figures against their source, then update as_of)",
    ]
    assert "averages.yaml" not in done.stdout  # 269 days old: still fresh


def test_an_image_without_alt_text_is_an_error_with_file_and_line(site: Path):
    (site / "static" / "pic.png").write_bytes(b"png")
    page = site / "content" / "guide" / "intro.md"
    original = page.read_text()
    page.write_text(original + "\n![](../../pic.png)\n\n![A chart](../../pic.png)\n")
    image_line = len(original.splitlines()) + 2
    done = check(site, "--format", "json")
    assert done.returncode == 1
    [problem] = json.loads(done.stdout)
    assert problem == {
        "path": "content/guide/intro.md",
        "line": image_line,
        "column": 5,  # where the file is named, after the "![]("
        "severity": "error",
        "message": "image '../../pic.png' has no alternative text",
        "hint": "describe it: ![what it shows](file.png)",
    }


def test_invalid_html_is_reported_by_the_nu_checker(site: Path):
    page = site / "content" / "guide" / "intro.md"
    page.write_text(page.read_text() + '\n<span><div id="x">block in inline</div></span>\n')
    done = check(site)
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "invalid HTML" in line]
    assert lines and all(line.startswith("_site/guide/intro/index.html:") for line in lines)
    assert any("“span”" in line for line in lines)


def test_the_guide_passes_its_own_check(guide: Path):
    done = check(guide)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("no errors")


def test_check_prints_only_json_and_leaves_the_output_folder_alone(site: Path, tmp_path: Path):
    published = site / "_site"
    published.mkdir()
    (published / "keep.txt").write_text("the site as published")
    before = snapshot(published)
    done = check(site, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)  # standard output is the JSON alone
    assert done.stderr.strip().endswith("no errors")
    assert snapshot(published) == before
    assert not (site / "_site" / "index.html").exists()
