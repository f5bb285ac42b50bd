"""Fuzzing: generated front matter, Markdown and table files, valid and broken. A build either
succeeds or reports each problem as `path:line:col`; it never shows a traceback, never writes
outside the output folder and never leaves a partial output.

`make test` runs a fixed budget, the same examples every time; `make fuzz` a long random one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from sitegen import cli as command_line

LOCATED = re.compile(r"^[^\n:]+:\d+:\d+: (error|warning): \S")
SUMMARY = re.compile(
    r"^build failed: \d+ errors?; (the previous output is unchanged|nothing written)$"
)
TEMPLATE = (
    '<!doctype html><html lang="en"><head><title>{{ page.title }}</title></head>'
    "<body><main>{{ page.content }}</main></body></html>\n"
)

# Pieces editors type: Markdown syntax, directives, links, HTML, odd characters.
SNIPPETS = [
    "# Heading\n",
    "## Part {: #id }\n",
    "[link](other.md)",
    "[anchor](other.md#nowhere)",
    "[home](index.md)",
    "[top](#heading)",
    "::: table t\n",
    "::: chart t\n",
    "::: table missing\n",
    "::: chart t compare=t\n",
    "::: flow t\n",
    "```python\n",
    "```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "!!! note\n    text\n",
    "[^1]\n\n[^1]: note\n",
    "<div>",
    "</div>",
    "<script>x</script>",
    "{{ page.title }}",
    "{% if %}",
    "\t",
    "\r\n",
    "\u00e9",
    "\u200b",
    "\x00",
    "---\n",
    "- item\n",
    "> quote\n",
    "![img](pic.png)\n",
]
markdown_text = st.lists(
    st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=20)), max_size=12
).map("".join)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
FRONT_KEYS = [
    "title",
    "description",
    "date",
    "updated",
    "template",
    "slug",
    "weight",
    "draft",
    "tags",
    "extra",
    "titel",
]
front_matter = st.dictionaries(
    st.sampled_from(FRONT_KEYS) | st.text(max_size=8), values, max_size=6
).map(lambda d: {"title": "T", "description": "D", **d} if len(d) % 2 else d)

COLUMN_TYPES = [
    "text",
    "integer",
    "number",
    "percent",
    "money",
    "date",
    "url",
    "enum",
    "list",
    "range",
    "year_span",
    "ref",
    "boolean",
    "nonsense",
]
column_specs = st.fixed_dictionaries(
    {"type": st.sampled_from(COLUMN_TYPES)},
    optional={
        "required": st.booleans(),
        "min": st.integers(-5, 100),
        "max": st.integers(-5, 100),
        "values": st.lists(st.text(max_size=5), max_size=3),
        "of": st.sampled_from(["money", "integer", "percent"]),
        "currency": st.sampled_from(["USD", "EUR", "usd", ""]),
        "table": st.sampled_from(["t", "u"]),
        "label": st.text(max_size=10),
    },
)
tables = st.fixed_dictionaries(
    {
        "title": st.text(max_size=20),
        "columns": st.dictionaries(
            st.sampled_from(["a", "b", "c", "key"]), column_specs, max_size=3
        ),
        "rows": st.lists(
            st.dictionaries(st.sampled_from(["a", "b", "c", "key", "z"]), values, max_size=4),
            max_size=4,
        ),
    },
    optional={
        "source": st.text(max_size=10),
        "as_of": st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1))
        | st.text(max_size=5),
        "key": st.sampled_from(["a", "key", "missing"]),
        "pages": st.fixed_dictionaries(
            {"template": st.just("page.html"), "path": st.text(max_size=6)}
        ),
    },
)


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def sites(draw) -> dict[str, bytes]:
    """A small site as {path: bytes}: pages and tables, some valid and some broken."""
    files = {
        "site.yaml": b"title: Fuzz\ndescription: A generated site.\nlanguage: en\n"
        b"base_url: https://example.org/\n",
        "templates/page.html": TEMPLATE.encode(),
        "content/index.md": b"---\ntitle: Home\ndescription: Home.\n---\nHome.\n",
    }
    for n in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(["other", "a/b", f"page{n}", "index", "x y", "caf\u00e9"]))
        front = draw(st.one_of(front_matter.map(dump), st.text(max_size=40)))
        text = f"---\n{front}---\n{draw(markdown_text)}"
        raw = text.encode("utf-8", "surrogatepass")
        if draw(st.integers(0, 9)) == 0:
            raw = raw.replace(b"e", b"\xe9", 1)  # now and then, not UTF-8
        files[f"content/{name}.md"] = raw
    for name in draw(st.lists(st.sampled_from(["t", "u"]), max_size=2, unique=True)):
        table = draw(st.one_of(tables.map(dump), st.text(max_size=60)))
        files[f"content/data/{name}.yaml"] = table.encode("utf-8", "surrogatepass")
    return files


def run(site_files: dict[str, bytes]) -> tuple[int, str, Path]:
    """Write the site to a fresh folder, build it in this process; return code, stderr, root."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    for path, data in site_files.items():
        target = root / "site" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = command_line.main(
            ["build", "--source", str(root / "site"), "--out", str(root / "out"), "--no-cache"]
        )
    return code, stderr.getvalue(), root


@given(sites())
def test_a_build_succeeds_or_reports_located_errors(site_files: dict[str, bytes]):
    code, stderr, root = run(site_files)
    try:
        lines = stderr.splitlines()
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr and "--debug" not in stderr, stderr
        assert sorted(p.name for p in root.iterdir()) == (
            ["out", "site"] if code == 0 else ["site"]
        )
        if code == 0:
            assert (root / "out" / "index.html").is_file()
            assert all(LOCATED.match(line) for line in lines), stderr
        else:
            assert lines and SUMMARY.match(lines[-1]), stderr
            assert all(LOCATED.match(line) for line in lines[:-1]), stderr
            assert any(": error: " in line for line in lines), stderr
    finally:
        shutil.rmtree(root, ignore_errors=True)
