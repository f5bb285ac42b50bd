"""Writing the output: deterministic, swapped in whole, never half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_build, snapshot

from sitegen.outputs import OutputFile
from sitegen.write import update_files, write_site


def test_two_builds_into_different_folders_are_byte_identical(site: Path, tmp_path: Path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_build("--source", site, "--out", first).code == 0
    os.utime(site / "content" / "guide" / "intro.md", (0, 0))  # mtimes must not matter
    assert run_build("--source", site, "--out", second).code == 0
    assert snapshot(first) == snapshot(second)
    assert len(snapshot(first)) == 16


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


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_files_made_while_the_pages_are_written_are_written_with_them(
    tmp_path: Path, existing: bool
):
    out = tmp_path / "out"
    if existing:
        write_site([OutputFile("old.html", b"old")], out)
    pages = [OutputFile(f"page-{n}/index.html", f"page {n}".encode()) for n in range(300)]
    index = [OutputFile("pagefind/a.pf", b"a"), OutputFile("pagefind/b/c.pf", b"c")]
    written = write_site(pages, out, later=lambda: index)
    assert written == pages + index
    assert snapshot(out) == {f.path: f.data for f in pages + index}

    def failing() -> list[OutputFile]:
        raise RuntimeError("the index could not be made")

    with pytest.raises(RuntimeError):  # then nothing of it is written, and nothing is left
        write_site([OutputFile("other.html", b"x")], out, later=failing)
    assert snapshot(out) == {f.path: f.data for f in pages + index}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError):
        write_site(pages, fresh, later=failing)
    assert not fresh.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_new_output_replaces_the_old_whole(tmp_path: Path):
    out = tmp_path / "out"
    write_site([OutputFile("old.html", b"1"), OutputFile("keep/x.css", b"2")], out)
    write_site([OutputFile("new.html", b"3")], out)
    assert snapshot(out) == {"new.html": b"3"}
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_an_edited_page_and_its_index_replace_only_the_index_folder(tmp_path: Path):
    out = tmp_path / "out"
    pages = [OutputFile(f"page-{n}/index.html", f"page {n}".encode()) for n in range(50)]
    index = [OutputFile("pagefind/a.pf", b"old a"), OutputFile("pagefind/b.pf", b"b")]
    write_site(pages + index, out)
    site_folder, index_folder = out.stat().st_ino, (out / "pagefind").stat().st_ino
    (out / ".pagefind.new-left").mkdir()  # what an update killed while staging would leave
    edited = [OutputFile("page-3/index.html", b"page 3, edited")]
    renewed = [OutputFile("pagefind/a2.pf", b"new a"), OutputFile("pagefind/b.pf", b"b")]
    written = update_files(edited + renewed, out, renewed="pagefind/")
    assert written == ["page-3/index.html", "pagefind/a.pf", "pagefind/a2.pf"]
    files = snapshot(out)
    assert files["page-3/index.html"] == b"page 3, edited"
    assert {p: d for p, d in files.items() if p.startswith("pagefind/")} == {
        "pagefind/a2.pf": b"new a",
        "pagefind/b.pf": b"b",
    }
    assert len(files) == 52
    # The index folder was exchanged, not the site's: the rest was not staged again.
    assert out.stat().st_ino == site_folder
    assert (out / "pagefind").stat().st_ino != index_folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_files_known_to_be_as_before_are_neither_read_nor_written(tmp_path: Path):
    out = tmp_path / "out"
    write_site([OutputFile("index.html", b"home"), OutputFile("pagefind/b.pf", b"b")], out)
    unread = OutputFile("pagefind/b.pf", copy_from=tmp_path / "gone")  # reading it would fail
    written = update_files(
        [OutputFile("index.html", b"home, edited"), OutputFile("pagefind/c.pf", b"c"), unread],
        out,
        renewed="pagefind/",
        as_before=frozenset({"pagefind/b.pf"}),
    )
    assert written == ["index.html", "pagefind/c.pf"]
    assert snapshot(out) == {
        "index.html": b"home, edited",
        "pagefind/b.pf": b"b",
        "pagefind/c.pf": b"c",
    }
