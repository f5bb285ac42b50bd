"""Time the Markdown stage alone: milliseconds per article of the shared corpus, on one core.

Usage: python benchmarks/markdown_stage.py [--articles 1000] [--runs 5] [--short]
                                           [--compare PYTHON] [--rounds 3]

Reads the corpus's pages with the content stage, then renders every body with one renderer in
this process (as each rendering process does), links resolved as in a build. Prints the median
of the runs, after one warm-up run that also fills the parser's own caches.

With --compare, PYTHON (an environment with Python-Markdown) runs `markdown_reference.py`, the
stage as it was before, on the same pages; the two alternate for --rounds rounds, so that both
see the same machine, and the medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compare import CORPUS_SCRIPT, WORK  # noqa: E402

from sitegen.content import load_pages  # noqa: E402
from sitegen.markdown import MarkdownRenderer  # noqa: E402


def corpus_site(articles: int, short: bool) -> Path:
    """A site folder holding the corpus as its content (made once, then reused)."""
    site = WORK / f"markdown-{'short' if short else 'articles'}-{articles}"
    if not site.exists():
        command = [sys.executable, str(CORPUS_SCRIPT), str(site / "content"), str(articles)]
        subprocess.run(command + ["--short"] * short, check=True, stdout=subprocess.DEVNULL)
    return site


def measure(pages: list, runs: int) -> float:
    """Median milliseconds per page to render every page's Markdown, after a warm-up run."""
    urls = {page.content_path: f"/{page.url}" for page in pages}
    renderer = MarkdownRenderer()
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        for page in pages:
            renderer.render(page, urls.get)
        if run:  # the first run warms up
            times.append((time.perf_counter() - started) / len(pages) * 1000)
    return statistics.median(times)


def reference(python: str, site: Path, runs: int) -> float:
    """The old stage's milliseconds per page, measured by `markdown_reference.py` in `python`."""
    script = Path(__file__).with_name("markdown_reference.py")
    done = subprocess.run(
        [python, str(script), str(site / "content"), str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--short", action="store_true", help="the corpus of short pages")
    parser.add_argument("--compare", metavar="PYTHON", help="also time the old stage in PYTHON")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    site = corpus_site(args.articles, args.short)
    pages, problems = load_pages(site)
    assert pages and not problems, problems[:3]
    kind = "short pages" if args.short else "articles"
    what = f"{len(pages)} {kind} of the shared corpus, one core"
    if not args.compare:
        ours = measure(pages, args.runs)
        print(f"Markdown stage: {ours:.2f} ms per page ({what}, median of {args.runs} runs)")
        return
    new, old = [], []
    for _ in range(args.rounds):
        new.append(measure(pages, args.runs))
        old.append(reference(args.compare, site, args.runs))
    ours, before = statistics.median(new), statistics.median(old)
    print(
        f"Markdown stage ({what}, median of {args.rounds} rounds of {args.runs} runs):\n"
        f"  markdown-it-py, this stage:             {ours:.2f} ms per page "
        f"(rounds: {', '.join(f'{t:.2f}' for t in new)})\n"
        f"  Python-Markdown, the stage before:      {before:.2f} ms per page "
        f"(rounds: {', '.join(f'{t:.2f}' for t in old)})\n"
        f"  ratio: {ours / before:.2f}" + ("" if args.short else " (target: at most 0.50)")
    )


if __name__ == "__main__":
    main()
