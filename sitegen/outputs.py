"""Stage 5: the files the built site consists of, besides its pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .content import Page
from .errors import BuildError, SourceSpan
from .urls import UrlMaker

STATIC_DIR = "static"


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path in the output folder and its bytes or source file."""

    path: str
    data: bytes | None = None
    copy_from: Path | None = None
    origin: str = ""  # the source it comes from, for error messages


def static_files(site: Path) -> list[OutputFile]:
    """Return every file under static/, to be copied as it is."""
    root = site / STATIC_DIR
    if not root.is_dir():
        return []
    files = [p for p in root.rglob("*") if p.is_file()]
    return [
        OutputFile(
            p.relative_to(root).as_posix(), copy_from=p, origin=p.relative_to(site).as_posix()
        )
        for p in sorted(files, key=lambda p: p.relative_to(root).as_posix())
    ]


def sitemap(
    pages: list[Page], urls: UrlMaker, more: list[tuple[str, dt.date | None]] = ()
) -> OutputFile:
    """Return sitemap.xml listing every published page, with its last change date.

    `more` adds (URL path, date) entries for pages that do not come from Markdown.
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    entries = [(p.url, p.lastmod) for p in pages if not p.draft] + list(more)
    for url, lastmod in sorted(entries, key=lambda entry: entry[0]):
        lines.append(
            f"  <url><loc>{escape(urls.absolute(url))}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>\n")
    return OutputFile("sitemap.xml", "\n".join(lines).encode())


def robots_txt(urls: UrlMaker) -> OutputFile:
    """Return robots.txt allowing everything and naming the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"
    return OutputFile("robots.txt", text.encode())


def find_path_clashes(files: list[OutputFile]) -> list[BuildError]:
    """Report output paths written by two sources (a page and a static file, say)."""
    first: dict[str, OutputFile] = {}
    errors = []
    for item in files:
        other = first.setdefault(item.path, item)
        if other is not item:
            errors.append(
                BuildError(
                    SourceSpan(item.origin or item.path),
                    f"writes {item.path}, which {other.origin or 'the build'} writes too",
                    "rename or move one of them",
                )
            )
    return errors
