"""Time the Markdown stage alone: milliseconds per article of the shared corpus, on one core.

Usage: python benchmarks/markdown_stage.py [--articles 1000] [--runs 5] [--short]

Reads the corpus's pages with the content stage, then renders every body with one renderer in
this process (as each rendering process does), links resolved as in a build. Prints the median
of the runs, after one warm-up run that also fills the parser's own caches.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--short", action="store_true", help="the corpus of short pages")
    args = parser.parse_args()
    pages, problems = load_pages(corpus_site(args.articles, args.short))
    assert pages and not problems, problems[:3]
    urls = {page.content_path: f"/{page.url}" for page in pages}
    renderer = MarkdownRenderer()
    times = []
    for run in range(args.runs + 1):
        started = time.perf_counter()
        for page in pages:
            renderer.render(page, urls.get)
        if run:  # the first run warms up
            times.append((time.perf_counter() - started) / len(pages) * 1000)
    kind = "short pages" if args.short else "articles"
    print(
        f"Markdown stage: {statistics.median(times):.2f} ms per page "
        f"({len(pages)} {kind} of the shared corpus, one core, median of {args.runs} runs)"
    )


if __name__ == "__main__":
    main()
