"""The dev server's watcher: every change under the watched folders and to the watched files, as
the kernel tells it (inotify) and as looking finds it."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from sitegen.watch import Watcher, _Inotify

KINDS = [
    pytest.param(
        True, id="told", marks=pytest.mark.skipif(sys.platform != "linux", reason="inotify")
    ),
    pytest.param(False, id="looked"),
]


def settle(watcher: Watcher, seconds: float = 2.0) -> set[str]:
    """Every change the watcher reports until it has reported some and then none for a while."""
    found: set[str] = set()
    deadline = time.monotonic() + seconds
    quiet_since = None
    while time.monotonic() < deadline:
        changes = watcher.changes()
        found |= changes
        if changes:
            quiet_since = None
        elif found:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 0.3:
                break
        time.sleep(0.02)
    return found


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "guide").mkdir(parents=True)
    (tmp_path / "content" / "index.md").write_text("home\n")
    (tmp_path / "content" / "guide" / "intro.md").write_text("intro\n")
    (tmp_path / "site.yaml").write_text("title: T\n")
    return tmp_path


@pytest.mark.parametrize("kernel", KINDS)
def test_edits_additions_and_removals_are_reported_by_path(site: Path, kernel: bool):
    watcher = Watcher([site / "content", site / "site.yaml"], kernel=kernel)
    assert watcher.told == kernel
    time.sleep(0.05)  # a changed file's time must differ from the first look's
    (site / "content" / "guide" / "intro.md").write_text("intro, edited\n")
    assert str(site / "content" / "guide" / "intro.md") in settle(watcher)

    (site / "content" / "new" / "deep").mkdir(parents=True)
    (site / "content" / "new" / "deep" / "page.md").write_text("new\n")
    assert str(site / "content" / "new" / "deep" / "page.md") in settle(watcher)

    (site / "content" / "index.md").unlink()
    assert str(site / "content" / "index.md") in settle(watcher)

    (site / "site.yaml").write_text("title: Changed\n")
    (site / "notes.txt").write_text("beside the site's files: not watched\n")
    changes = settle(watcher)
    assert str(site / "site.yaml") in changes
    assert str(site / "notes.txt") not in changes
    assert watcher.changes() == set()  # each change is reported once
    watcher.close()


@pytest.mark.parametrize("kernel", KINDS)
def test_a_folder_moved_in_is_reported_with_its_files(site: Path, tmp_path_factory, kernel: bool):
    outside = tmp_path_factory.mktemp("outside") / "part"
    (outside / "inner").mkdir(parents=True)
    (outside / "inner" / "a.md").write_text("a\n")
    watcher = Watcher([site / "content"], kernel=kernel)
    shutil.move(outside, site / "content" / "part")
    changes = settle(watcher)
    assert str(site / "content" / "part" / "inner" / "a.md") in changes
    # And a file then written in the folder moved in is seen as well.
    (site / "content" / "part" / "inner" / "b.md").write_text("b\n")
    assert str(site / "content" / "part" / "inner" / "b.md") in settle(watcher)
    watcher.close()


def test_editors_that_replace_a_file_by_renaming_are_seen(site: Path):
    watcher = Watcher([site / "content", site / "site.yaml"])
    for target in (site / "content" / "guide" / "intro.md", site / "site.yaml"):
        swap = target.with_name(f".{target.name}.swp")
        swap.write_text("saved the way many editors save\n")
        os.replace(swap, target)
        assert str(target) in settle(watcher)
    watcher.close()


@pytest.mark.skipif(sys.platform != "linux", reason="inotify")
def test_out_of_kernel_watches_the_watcher_looks_instead_and_misses_nothing(
    site: Path, monkeypatch
):
    watcher = Watcher([site / "content"])
    assert watcher.told

    def out_of_watches(self, folder: str) -> int:
        raise OSError(28, "No space left on device", folder)  # ENOSPC: no watches left

    monkeypatch.setattr(_Inotify, "_watch", out_of_watches)
    (site / "content" / "more").mkdir()
    assert str(site / "content") in settle(watcher)  # all of it may have changed
    assert not watcher.told
    time.sleep(0.05)
    (site / "content" / "more" / "page.md").write_text("in the folder no watch could cover\n")
    assert str(site / "content" / "more" / "page.md") in settle(watcher)
