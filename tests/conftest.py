"""Shared helpers: copy a fixture site, run the real command line, read what it wrote."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from sitegen import cli
from sitegen.content import Page
from sitegen.errors import BuildError
from sitegen.markdown import MarkdownRenderer, PageBody

# Hypothesis: in `make test` the same examples every run (a failure is never luck), and no
# example database written into the repository; `make fuzz` draws a long random budget.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="hypothesis-"))  # its caches, out of the tree
settings.register_profile(
    "default",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GUIDE = ("site.yaml", "extensions.py", "content", "templates")  # what the guide is made of


@dataclass(frozen=True)
class Run:
    """The outcome of one `build.py` run."""

    code: int
    stdout: str
    stderr: str

    @property
    def problems(self) -> list[str]:
        """The error and warning lines printed, without the closing summary."""
        return [line for line in self.stderr.splitlines() if not line.startswith("build failed")]


def run_build(*args: str | Path, cwd: Path | None = None, process: bool = False) -> Run:
    """Run `build.py build ARGS` as a user would; return its exit code and output.

    In this process, through the command line's `main`, unless `process` asks for a process of
    its own (for the pool of rendering processes, which is forked) or `cwd` for another folder.
    """
    if process or cwd is not None:
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "build", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or ROOT,
            timeout=120,
        )
        return Run(done.returncode, done.stdout, done.stderr)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main(["build", *map(str, args)], home=ROOT)
        except SystemExit as exit:  # argparse, for an option it does not know
            code = exit.code if isinstance(exit.code, int) else 2
    return Run(code, stdout.getvalue(), stderr.getvalue())


def add_articles(site: Path, count: int) -> None:
    """Add COUNT generated articles under content/many/ (linking into the basic fixture)."""
    folder = site / "content" / "many"
    folder.mkdir()
    for n in range(count):
        (folder / f"article-{n:03}.md").write_text(
            f"---\ntitle: Article {n}\ndescription: Generated article {n}.\nweight: {n + 10}\n---\n"
            f"## Section {n}\n\nText with a [link](../guide/intro.md#getting-started) and `code`.\n"
        )


def render_markdown(
    markdown: str,
    lookup=None,
    raw_html: bool = True,
    body_line: int = 5,
    renderer: MarkdownRenderer | None = None,
) -> tuple[PageBody, list[BuildError]]:
    """Render `markdown` as the body of content/page.md (its first line being `body_line`),
    with `renderer` if given (one for many pages, as a build has)."""
    page = Page(
        source="content/page.md",
        content_path="page.md",
        url="page/",
        output="page/index.html",
        title="Page",
        description="A page.",
        body=markdown,
        body_line=body_line,
    )
    renderer = renderer or MarkdownRenderer(raw_html=raw_html)
    return renderer.render(page, lookup or (lambda path: None))


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    """One renderer for many pages, as a build has: what one left behind would show in the next."""
    return MarkdownRenderer(raw_html=True)


def rendered(renderer: MarkdownRenderer, markdown: str) -> str:
    """The HTML of `markdown` rendered by `renderer` (links to .md files left unresolved)."""
    return render_markdown(markdown, renderer=renderer, body_line=1)[0].html


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy tests/fixtures/NAME to DEST and return DEST."""
    shutil.copytree(FIXTURES / name, dest)
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` with its bytes, keyed by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def html_pages(folder: Path) -> dict[str, BeautifulSoup]:
    """Parse every HTML file under `folder`."""
    return {
        path: BeautifulSoup(data, "html.parser")
        for path, data in snapshot(folder).items()
        if path.endswith(".html")
    }


def copy_guide(dest: Path) -> Path:
    """Copy the guide's own site (without its output, cache or tools) to DEST; return DEST."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in GUIDE:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def guide(tmp_path_factory) -> Path:
    """A copy of the guide's site to build: tests never build in the project folder."""
    return copy_guide(tmp_path_factory.mktemp("guide"))


def cache_folders() -> dict[str, float]:
    """Every `.cache` folder in the project's own tree (the site's and any under tests/), with
    the last time anything was added to it (a folder's time changes when an entry is added)."""
    found = [ROOT / ".cache", *(ROOT / "tests").rglob(".cache")]
    return {
        str(path): max(os.stat(folder).st_mtime for folder, _, _ in os.walk(path))
        for path in found
        if path.exists()
    }


@pytest.fixture(scope="session", autouse=True)
def the_repository_is_left_alone():
    """No test builds in the project folder or its fixtures: no cache appears or changes there."""
    before = cache_folders()
    yield
    assert cache_folders() == before, "a test built inside the project folder"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh copy of the basic fixture site."""
    return copy_fixture("basic", tmp_path / "site")


@pytest.fixture
def built(site: Path, tmp_path: Path) -> Path:
    """The basic fixture site, built; returns the output folder."""
    out = tmp_path / "out"
    result = run_build("--source", site, "--out", out)
    assert result.code == 0, result.stderr
    return out
