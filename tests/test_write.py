"""Writing the output: deterministic, swapped in whole, never half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_build, snapshot

from sitegen.outputs import OutputFile
from sitegen.write import write_site


def test_two_builds_into_different_folders_are_byte_identical(site: Path, tmp_path: Path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_build("--source", site, "--out", first).code == 0
    os.utime(site / "content" / "guide" / "intro.md", (0, 0))  # mtimes must not matter
    assert run_build("--source", site, "--out", second).code == 0
    assert snapshot(first) == snapshot(second)
    assert len(snapshot(first)) == 11


def test_a_rebuild_removes_pages_that_no_longer_exist(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out, "--drafts").code == 0
    assert (out / "draft" / "index.html").is_file()
    assert run_build("--source", site, "--out", out).code == 0
    assert not (out / "draft").exists()
    assert (out / "guide" / "intro" / "index.html").is_file()


def test_a_write_that_fails_midway_leaves_the_previous_output(tmp_path: Path):
    out = tmp_path / "out"
    write_site([OutputFile("index.html", b"old")], out)
    files = [OutputFile("a.html", b"new"), OutputFile("b.css", copy_from=tmp_path / "missing")]
    with pytest.raises(FileNotFoundError):
        write_site(files, out)
    assert snapshot(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_new_output_replaces_the_old_whole(tmp_path: Path):
    out = tmp_path / "out"
    write_site([OutputFile("old.html", b"1"), OutputFile("keep/x.css", b"2")], out)
    write_site([OutputFile("new.html", b"3")], out)
    assert snapshot(out) == {"new.html": b"3"}
    assert oct(out.stat().st_mode & 0o777) == "0o755"
