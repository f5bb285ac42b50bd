"""`build.py check`: what a publishable site needs beyond a build: fresh data, alt text, HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from .config import CONFIG_FILE, SiteConfig
from .content import Page
from .errors import BuildError, SourceSpan, warning
from .markdown import PageBody
from .tables import Table

IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT = re.compile(r"""\balt\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
SOURCE = re.compile(r"""\bsrc\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def stale_tables(
    site: Path, tables: dict[str, Table], max_age: int, today: dt.date
) -> list[BuildError]:
    """Warn about tables whose `as_of` date is more than `max_age` days old (0: never)."""
    found = []
    for table in tables.values():
        age = (today - table.as_of).days
        if max_age and age > max_age:
            line = _line_of(site / table.source, "as_of:")
            found.append(
                warning(
                    SourceSpan(table.source, line),
                    f"data is {age} days old (as_of {table.as_of.isoformat()}; "
                    f"max_age is {max_age} days)",
                    "check the figures against their source, then update as_of",
                )
            )
    return found


def images_without_alt(pages: list[Page], bodies: dict[str, PageBody]) -> list[BuildError]:
    """Report images in articles that have no alternative text, at the line that places them."""
    found = []
    for page in pages:
        for tag in IMAGE.findall(bodies[page.content_path].html):
            alt = ALT.search(tag)
            if alt and (alt.group(2) or alt.group(3) or "").strip():
                continue
            src = SOURCE.search(tag)
            target = src.group(1) if src else ""
            written = bodies[page.content_path].links_to(target) if target else []
            link = written[0] if written else None
            at = page.body.find(target) if target else -1
            line = page.body_line + page.body.count("\n", 0, at) if at >= 0 else page.body_line
            found.append(
                BuildError(
                    link.span if link else SourceSpan(page.source, line),
                    f"image {target!r} has no alternative text",
                    "describe it: ![what it shows](file.png)",
                )
            )
    return found


def pages_without_description(pages: list[Page]) -> list[BuildError]:
    """Report pages whose description is empty (front matter requires one; this is a guard)."""
    return [
        BuildError(SourceSpan(p.source), "page has no description", "add 'description: ...'")
        for p in pages
        if not p.description.strip()
    ]


def placeholder_descriptions(pages: list[Page], placeholder: str) -> list[BuildError]:
    """Warn of pages whose description is still the `placeholder` that `new article` wrote."""
    return [
        warning(
            SourceSpan(p.source, p.key_lines.get("description", 1), 1),
            "the description is still the placeholder that 'new article' wrote",
            "say in one sentence what this page covers: search engines show it",
        )
        for p in pages
        if p.description.strip() == placeholder
    ]


# The checker's grammar for Content-Security-Policy predates CSP Level 3's 'wasm-unsafe-eval',
# which current browsers support and Pagefind's search needs: not an error in the page.
OUTDATED_CSP_GRAMMAR = """Expecting source-expression but found "'wasm-unsafe-eval'"."""


def html_errors(out: Path, checker: Path, shown_as: str = "") -> list[BuildError]:
    """Run the Nu HTML Checker on the output when Java and the checker are installed.

    Files are named as in `shown_as`, the output folder the site is published from (a check
    builds into a temporary one), or else in `out`.
    """
    shown_as = shown_as or out.name
    java = shutil.which("java")
    if not java or not checker.is_file():
        return [
            warning(
                SourceSpan(shown_as),
                "HTML validity not checked: the Nu HTML Checker needs Java and vnu.jar",
                "install Java, and vnu.jar with 'npm install vnu-jar' in the site folder",
            )
        ]
    done = subprocess.run(
        [
            java,
            # A check is a short run: the JIT's optimising tier and the parallel collector cost
            # more CPU than they save (a third of the time for a guide, the same for 1,000 pages).
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(checker),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
            "--stdout",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = []
    for message in json.loads(done.stdout or '{"messages": []}')["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        if OUTDATED_CSP_GRAMMAR in message.get("message", ""):
            continue
        path = message.get("url", "").removeprefix("file:")
        where = Path(path).relative_to(out.resolve()).as_posix() if path.startswith("/") else path
        found.append(
            BuildError(
                SourceSpan(
                    f"{shown_as}/{where}", message.get("lastLine", 1), message.get("firstColumn", 1)
                ),
                f"invalid HTML: {message.get('message', '')}",
            )
        )
    return found


def _line_of(path: Path, prefix: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith(prefix)), 1)


def format_problems(problems: list[BuildError], style: str) -> str:
    """Return problems as text lines, as JSON, or as GitHub Actions annotations."""
    if style == "json":
        return json.dumps(
            [
                {
                    "path": p.span.path,
                    "line": p.span.line,
                    "column": p.span.column,
                    "severity": p.severity,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in problems
            ],
            indent=2,
        )
    if style == "github":

        def clean(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        return "\n".join(
            f"::{p.severity} file={p.span.path},line={p.span.line},col={p.span.column}::"
            + clean(p.message + (f" (hint: {p.hint})" if p.hint else ""))
            for p in problems
        )
    return "\n".join(p.format() for p in problems)


def robots_placement(config: SiteConfig) -> list[BuildError]:
    """Warn that a site served under a sub-path has no robots.txt crawlers would read."""
    parts = urlsplit(config.base_url)
    if config.base_path == "/":
        return []
    root = f"{parts.scheme}://{parts.netloc}/robots.txt"
    return [
        warning(
            config.spans.get("base_url", SourceSpan(CONFIG_FILE)),
            f"no robots.txt written: the site is served under {config.base_path}, and crawlers "
            f"read robots.txt only at the host's root, {root}",
            "if you publish the host's root, put a robots.txt there that names this site's "
            "sitemap.xml",
        )
    ]
