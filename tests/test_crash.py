"""Crash safety: a build killed with SIGKILL at any moment leaves the previous output whole (or,
if it got that far, the new one whole), and the next build is right, its cache included."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, add_articles, copy_fixture, run_build, snapshot

KILLS = 20


def edit(site: Path, rng: random.Random, n: int) -> None:
    """Change the site the way editors do: one page's text, a page's title, or every page."""
    kind = n % 3
    if kind == 0:
        page = site / "content" / "many" / f"article-{rng.randrange(40):03}.md"
        page.write_text(page.read_text() + f"\nMore text {n}.\n")
    elif kind == 1:
        page = site / "content" / "many" / f"article-{rng.randrange(40):03}.md"
        text = page.read_text()
        page.write_text(text.replace("title: ", f"title: Renamed {n} ", 1))
    else:
        config = site / "site.yaml"
        lines = config.read_text().splitlines()
        lines[0] = f"title: Fixture Guide {n}"
        config.write_text("\n".join(lines) + "\n")


def start_build(site: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--source", str(site), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_build_killed_at_any_moment_leaves_a_whole_site(tmp_path: Path):
    site = copy_fixture("basic", tmp_path / "site")
    add_articles(site, 40)
    out = tmp_path / "out"
    started = time.perf_counter()
    assert run_build("--source", site, "--out", out).code == 0
    duration = time.perf_counter() - started
    previous = snapshot(out)
    rng = random.Random(20261129)
    for n in range(KILLS):
        edit(site, rng, n)
        build = start_build(site, out)
        time.sleep(rng.uniform(0.05, 1.2) * duration)
        build.send_signal(signal.SIGKILL)
        build.wait()
        after = snapshot(out)
        # The next build (with whatever cache the killed one left) must give what a cold one does.
        assert run_build("--source", site, "--out", out).code == 0
        expected = snapshot(out)
        cold = tmp_path / f"cold-{n}"
        assert run_build("--source", site, "--out", cold, "--no-cache").code == 0
        assert expected == snapshot(cold), f"kill {n}: the build after it was wrong"
        assert after in (previous, expected), f"kill {n}: a mix of two sites was left"
        previous = expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
