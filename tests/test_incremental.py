"""Builds that skip work: nothing changed, or only some pages' text. Each must leave exactly the
output a cold build makes, and fall back to a full build whenever skipping could be wrong."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import Run, run_build, snapshot

INTRO = "content/guide/intro.md"


def build(site: Path, out: Path, *args: str) -> Run:
    result = run_build("--source", site, "--out", out, *args)
    assert result.code == 0, result.stderr
    return result


def cold(site: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    """The output of a build (with `args`) that uses no cache and no snapshot."""
    out = tmp_path / "cold"
    build(site, out, "--no-cache", *args)
    return snapshot(out)


def edit(site: Path, path: str, old: str, new: str) -> None:
    file = site / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def test_a_build_with_nothing_changed_touches_nothing(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    before = stats(out)
    again = build(site, out)
    assert again.stdout.rstrip().endswith("(nothing changed)")
    assert stats(out) == before
    assert snapshot(out) == cold(site, tmp_path)


def test_an_output_changed_by_hand_is_put_right(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    (out / "guide" / "intro" / "index.html").unlink()
    (out / "stray.html").write_text("not ours")
    with (out / "index.html").open("a") as stream:
        stream.write("<!-- edited -->")
    again = build(site, out)
    assert "nothing changed" not in again.stdout
    assert snapshot(out) == cold(site, tmp_path)


def test_a_page_whose_text_alone_changed_is_rendered_alone(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    before = stats(out)
    edit(site, INTRO, "A table:", "A changed table:")
    again = build(site, out)
    assert again.stdout.rstrip().endswith("(1 of 4 pages rendered again)")
    after = stats(out)
    assert {path for path in after if after[path] != before.get(path)} == {
        "guide/intro",  # the folder whose file was replaced
        "guide/intro/index.html",
    }
    assert snapshot(out) == cold(site, tmp_path)
    assert build(site, out).stdout.rstrip().endswith("(nothing changed)")


def test_a_change_to_front_matter_rebuilds_the_pages_that_show_it(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    edit(site, INTRO, "title: Introduction", "title: Opening")
    again = build(site, out)
    assert "rendered again" not in again.stdout  # neighbours, menu and feed show the title
    assert snapshot(out) == cold(site, tmp_path)
    assert b"Opening" in snapshot(out)["guide/index.html"]


def test_removing_an_anchor_another_page_links_to_is_caught(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    before = snapshot(out)
    edit(site, INTRO, "## Getting started", "## First steps")
    failed = run_build("--source", site, "--out", out)
    assert failed.code == 1
    assert any(
        line.startswith("content/index.md:") and "getting-started" in line
        for line in failed.stderr.splitlines()
    ), failed.stderr
    assert snapshot(out) == before


def test_a_broken_link_in_an_edited_page_is_caught(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    edit(site, INTRO, "A table:", "A table, see [the missing page](missing.md):")
    failed = run_build("--source", site, "--out", out)
    assert failed.code == 1
    assert any(
        line.startswith(f"{INTRO}:") and "missing.md" in line for line in failed.stderr.splitlines()
    )
    # The failed build kept nothing: putting the text back is a build with nothing to do.
    edit(site, INTRO, "A table, see [the missing page](missing.md):", "A table:")
    assert build(site, out).stdout.rstrip().endswith("(nothing changed)")


def test_an_edit_that_keeps_size_and_modification_time_is_seen(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    page = site / INTRO
    stat = page.stat()
    page.write_text(page.read_text().replace("A table:", "B table:"))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as if nothing had happened
    build(site, out)
    assert snapshot(out) == cold(site, tmp_path)
    assert b"B table:" in snapshot(out)["guide/intro/index.html"]


def test_warnings_are_repeated_by_a_build_with_nothing_to_do(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    edit(site, INTRO, "description: The first chapter", "description: " + "Long. " * 40)
    first = build(site, out)
    again = build(site, out)
    assert "nothing changed" in again.stdout
    assert again.stderr == first.stderr
    assert "description is" in again.stderr


def test_other_options_are_another_build(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    again = build(site, out, "--base-url", "https://example.com/guide/")
    assert "nothing changed" not in again.stdout
    assert snapshot(out) == cold(site, tmp_path, "--base-url", "https://example.com/guide/")


def test_a_damaged_snapshot_is_ignored_with_a_warning(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    (snapshot_file,) = (site / ".cache" / "snapshots").rglob("snapshot.bin")
    snapshot_file.write_bytes(snapshot_file.read_bytes()[:-5] + b"junk!")
    again = build(site, out)
    assert "nothing changed" not in again.stdout
    assert "ignored a damaged or foreign cache entry" in again.stderr
    assert snapshot(out) == cold(site, tmp_path)
    assert build(site, out).stdout.rstrip().endswith("(nothing changed)")


def test_a_page_removed_or_added_rebuilds_the_site(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(site, out)
    (site / "content" / "guide" / "literal-braces.md").unlink()
    edit(site, "content/guide/index.md", "- [Templates in text](literal-braces.md)\n", "")
    build(site, out)
    assert snapshot(out) == cold(site, tmp_path)
    assert "guide/literal-braces/index.html" not in snapshot(out)
    (site / "content" / "guide" / "new.md").write_text(
        "---\ntitle: New\ndescription: A new page.\n---\nNew text.\n"
    )
    build(site, out)
    assert "guide/new/index.html" in snapshot(out)
    assert snapshot(out) == cold(site, tmp_path)


def test_two_pages_edited_at_once_are_rendered_alone_and_switched_in_whole(
    site: Path, tmp_path: Path
):
    out = tmp_path / "out"
    build(site, out)
    edit(site, INTRO, "A table:", "A changed table:")
    edit(site, "content/guide/index.md", "[Back home]", "[Back to the home page]")
    again = build(site, out)
    assert again.stdout.rstrip().endswith("(2 of 4 pages rendered again)")
    assert snapshot(out) == cold(site, tmp_path)
    assert build(site, out).stdout.rstrip().endswith("(nothing changed)")
