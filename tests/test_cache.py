"""The build cache and parallel rendering: same bytes whatever the route, exactly the right outputs
redone after an edit, and a damaged cache never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import add_articles, copy_fixture, run_build, snapshot


def build(site: Path, out: Path, *args: str) -> dict[str, bytes]:
    # A process of its own: a pool of rendering processes is forked from it.
    result = run_build("--source", site, "--out", out, *args, process="2" in args)
    assert result.code == 0, result.stderr
    return snapshot(out)


def test_cached_cold_and_single_process_builds_are_byte_identical(site: Path, tmp_path: Path):
    add_articles(site, 240)  # above the size at which rendering uses a process pool
    cold = build(site, tmp_path / "cold", "--no-cache", "--jobs", "2")
    assert not (site / ".cache").exists()
    first = build(site, tmp_path / "first", "--jobs", "2")
    cached = build(site, tmp_path / "cached", "--jobs", "2")
    single = build(site, tmp_path / "single", "--no-cache", "--jobs", "1")
    assert len(cold) > 240
    assert cold == first == cached == single


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    "fixture, file, old, new, expected",
    [
        (
            "basic",
            "content/guide/intro.md",
            "A table:",
            "A changed table:",
            {"guide/intro/index.html"},
        ),
        (
            "basic",
            "templates/page.html",
            "<h1>",
            '<h1 class="title">',
            {"guide/index.html", "guide/intro/index.html", "guide/braces/index.html"},
        ),
        (
            "basic",
            "site.yaml",
            "title: Fixture Guide",
            "title: Renamed Guide",
            {
                "index.html",
                "guide/index.html",
                "guide/intro/index.html",
                "guide/braces/index.html",
                "404.html",
                "feed.xml",
            },
        ),
        (
            "tables",
            "content/data/pay.yaml",
            "headcount: 1200",
            "headcount: 1300",
            {"index.html", "levels/junior/index.html"},
        ),
    ],
)
def test_an_edit_changes_exactly_the_outputs_it_should(
    tmp_path: Path, fixture: str, file: str, old: str, new: str, expected: set[str]
):
    site = copy_fixture(fixture, tmp_path / "site")
    out = tmp_path / "out"
    before = build(site, out)
    inodes = {p: (out / p).stat().st_ino for p in before}
    edit(site / file, old, new)
    after = build(site, out)
    assert changed(before, after) == expected
    assert after == build(site, tmp_path / "cold", "--no-cache")
    # Unchanged output files are not rewritten.
    assert all((out / p).stat().st_ino == inodes[p] for p in after if p not in expected)


def test_a_damaged_or_foreign_cache_entry_is_ignored_with_a_warning(site: Path, tmp_path: Path):
    cold = build(site, tmp_path / "cold", "--no-cache")
    build(site, tmp_path / "warm")
    entries = sorted((site / ".cache").rglob("*.bin"))
    damaged, foreign = entries[0], entries[1]
    damaged.write_bytes(damaged.read_bytes()[:-7] + b"garbage")
    foreign.write_bytes(b"\0" * 32 + b"cos\nsystem\n(S'echo owned'\ntR.")  # not signed by us
    result = run_build("--source", site, "--out", tmp_path / "again")
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 2
    assert all("ignored a damaged or foreign cache entry" in line for line in warnings)
    assert all(line.startswith(".cache/") for line in warnings)
    assert snapshot(tmp_path / "again") == cold
