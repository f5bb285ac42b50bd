"""No page can stall a build: each pathological page builds, or fails with located errors.

The pages (`pathological.py`, about 100 KB each) nest blocks deeply, repeat delimiters, leave
brackets open, or fill a table. How long each build takes is shown by `make bench`
(`benchmarks/pathological.py`, target: under 2 s each); here the timeout only catches a hang.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_build
from pathological import CASES

PAGE = "content/pathological.md"
LOCATED = re.compile(rf"{re.escape(PAGE)}:\d+:\d+: error: \S")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_pathological_page_builds_or_fails_with_located_errors(
    name: str, site: Path, tmp_path: Path
):
    (site / PAGE).write_text(
        f"---\ntitle: Pathological\ndescription: A page made to be hard to parse.\n---\n"
        f"{CASES[name]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out, "--no-cache")
    assert "Traceback" not in result.stderr
    if result.code == 0:
        page = (out / "pathological" / "index.html").read_text(encoding="utf-8")
        assert "main" in StartTags.of(page)
        return
    assert result.code == 1, result.stderr[-2000:]
    problems = result.problems
    assert problems, result.stderr[-2000:]
    assert all(LOCATED.match(line) for line in problems), problems[:3]
    assert not out.exists()


class StartTags(HTMLParser):
    """The names of the elements a page opens, in order.

    The standard library's parser, without a tree: Beautiful Soup takes quadratic time over
    thousands of nested elements, which these pages are made of.
    """

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.names.append(tag)

    @classmethod
    def of(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.names
