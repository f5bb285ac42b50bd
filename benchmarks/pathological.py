"""Time a whole build of each pathological page of `tests/pathological.py` (target: under 2 s).

Usage: python benchmarks/pathological.py

Each page (about 100 KB) is put into a copy of the tests' basic fixture site, which is built
cold (`--no-cache`) from process start to exit, as an editor's save would be, three times: a
case's time is the median of the three, so that one run slowed by the machine does not stand for
the page. Prints each case's time and outcome (built, or failed with located errors), slowest
first.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pathological import CASES  # noqa: E402

TARGET = 2.0
RUNS = 3


def build(site: Path) -> tuple[float, str]:
    """Build `site` cold; return the seconds it took and what it did."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--source", str(site), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    if "Traceback" in done.stderr:
        return seconds, "TRACEBACK"
    if done.returncode == 0:
        return seconds, "built"
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    return seconds, f"{len(errors)} located error{'s' * (len(errors) != 1)}"


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in CASES.items():
            site = Path(scratch) / name
            shutil.copytree(ROOT / "tests" / "fixtures" / "basic", site)
            page = "---\ntitle: Pathological\ndescription: A hard page.\n---\n" + text + "\n"
            (site / "content" / "pathological.md").write_text(page, encoding="utf-8")
            runs = [build(site) for _ in range(RUNS)]
            seconds = statistics.median(seconds for seconds, _ in runs)
            outcome = "TRACEBACK" if any(o == "TRACEBACK" for _, o in runs) else runs[0][1]
            results.append((seconds, outcome, name))
    results.sort(reverse=True)
    print(f"Pathological pages, median of {RUNS} cold builds each (target: under {TARGET:.0f} s):")
    for seconds, outcome, name in results:
        print(f"  {name:26} {seconds:5.2f} s  {outcome}")
    slowest = results[0][0]
    met = "met" if slowest < TARGET and all(r[1] != "TRACEBACK" for r in results) else "NOT met"
    print(f"slowest {slowest:.2f} s over {len(results)} pages: {met}")


if __name__ == "__main__":
    main()
