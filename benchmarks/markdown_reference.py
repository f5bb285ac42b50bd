"""The Markdown stage as it was before markdown-it-py, for `markdown_stage.py --compare`.

Usage: PYTHON benchmarks/markdown_reference.py CONTENT_DIR RUNS

Python-Markdown with the extensions and settings the stage used (tables, fenced_code, codehilite,
footnotes, admonition, attr_list, def_list, toc with permalinks), run in the benchmark tools'
environment, which has Python-Markdown. The site's own processors of that time (link rewriting,
directives, anchor labels, table boxes) are left out, so this is a lower bound of what the old
stage cost. Prints the median milliseconds per page of RUNS runs after a warm-up run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import markdown


def bodies(folder: Path) -> list[str]:
    """The Markdown below the front matter of every page of the corpus."""
    return [path.read_text().split("---\n", 2)[2] for path in sorted(folder.rglob("*.md"))]


def main() -> None:
    folder, runs = Path(sys.argv[1]), int(sys.argv[2])
    md = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "codehilite",
            "footnotes",
            "admonition",
            "attr_list",
            "def_list",
            "toc",
        ],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"permalink": "#", "permalink_class": "anchor"},
        },
        output_format="html",
    )
    texts = bodies(folder)
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        for text in texts:
            md.reset()
            md.convert(text)
        if run:
            times.append((time.perf_counter() - started) / len(texts) * 1000)
    print(f"{statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
