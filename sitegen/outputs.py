"""Stage 5: the files the built site consists of, besides its pages."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from html import escape as _escape
from pathlib import Path

from .config import SiteConfig
from .content import CONTENT_DIR, DATA_DIR, Page
from .errors import BuildError, SourceSpan
from .paths import RENAME, clash_key, entries_below, name_problem
from .themes import Theme
from .urls import UrlMaker, encoded


def escape(text: str) -> str:
    """Escape text for XML element content (&, < and >)."""
    return _escape(text, quote=False)


def files_under(folder: Path) -> list[str]:
    """The paths of the files and links under `folder`, relative to it with `/`, sorted."""
    return sorted(
        path for path, entry in entries_below(folder) if entry.is_file() or entry.is_symlink()
    )


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path in the output folder and its bytes or source file."""

    path: str
    data: bytes | None = None
    copy_from: Path | None = None
    origin: SourceSpan | None = None  # the source it comes from, for error messages
    template: str = ""  # the template that made it, if one did


def static_files(theme: Theme) -> list[OutputFile]:
    """Return every static file of the site and its theme, to be copied as it is; where both
    have a file at one path, the site's."""
    found: dict[str, Path] = {}
    for root in reversed(theme.static_folders):
        if root.is_dir():
            found.update(
                (p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file()
            )
    return [
        OutputFile(path, copy_from=found[path], origin=SourceSpan(theme.display(found[path])))
        for path in sorted(found)
    ]


def content_files(site: Path) -> list[OutputFile]:
    """Every file of content/ that is not a page, nor a table, nor hidden: an image beside
    its page, say, copied to the same place in the output."""
    root = site / CONTENT_DIR
    return [
        OutputFile(path, copy_from=root / path, origin=SourceSpan(f"{CONTENT_DIR}/{path}"))
        for path in files_under(root)
        if not path.endswith(".md")
        and not path.startswith(f"{DATA_DIR}/")
        and not any(part.startswith(".") for part in path.split("/"))
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
            f"  <url><loc>{escape(urls.base_url + encoded(url.lstrip('/')))}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>\n")
    return OutputFile("sitemap.xml", "\n".join(lines).encode())


def robots_txt(urls: UrlMaker) -> list[OutputFile]:
    """Return robots.txt allowing everything and naming the sitemap, when the site is served
    from its host's root: crawlers read it there alone (`check` says so for a sub-path)."""
    if urls.base_path != "/":
        return []
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"
    return [OutputFile("robots.txt", text.encode())]


def find_path_clashes(files: list[OutputFile], reserved: tuple[str, ...] = ()) -> list[BuildError]:
    """Report output paths written by two sources (a page and a static file, say), paths that
    differ only by case or Unicode normalisation, which are one file on many hosts, a file
    that another needs as a folder, and files in the `reserved` folders, which the build
    fills later (the search index)."""
    first: dict[str, OutputFile] = {}
    errors = []
    for item in files:
        if item.path.startswith(reserved):
            folder = next(folder for folder in reserved if item.path.startswith(folder))
            errors.append(
                BuildError(
                    item.origin or SourceSpan(item.path),
                    f"writes {item.path}, in {folder}, where the build puts the search index",
                    "rename or move it",
                )
            )
        other = first.setdefault(clash_key(item.path), item)
        if other is item:
            continue
        how = (
            ""
            if other.path == item.path
            else f" as {other.path}: the names differ only by case or Unicode normalisation, "
            "and many hosts store them as one file"
        )
        errors.append(
            BuildError(
                item.origin or SourceSpan(item.path),
                f"writes {item.path}, which {_name(other)} writes too{how}",
                "rename or move one of them",
            )
        )
    folders = {}  # each folder the files need, by its clash key, and one file needing it
    for item in files:
        parts = item.path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.setdefault(clash_key("/".join(parts[:depth])), item)
    for key, needing in folders.items():
        if (item := first.get(key)) is not None:
            errors.append(
                BuildError(
                    needing.origin or SourceSpan(needing.path),
                    f"writes {needing.path}, inside {item.path}, which {_name(item)} writes "
                    "as a file",
                    "rename or move one of them",
                )
            )
    return errors


def _name(item: OutputFile) -> str:
    if item.origin is None:
        return "the build"
    path = Path(item.origin.path)
    return f"the theme's {path.name}" if path.is_absolute() else item.origin.path


def find_unsafe_paths(files: list[OutputFile]) -> list[BuildError]:
    """Report output paths with a name no host can be trusted to serve (from a slug, say)."""
    errors = []
    for item in files:
        for name in item.path.split("/"):
            if problem := name_problem(name):
                errors.append(
                    BuildError(
                        item.origin or SourceSpan(item.path),
                        f"would write {item.path!r}, whose name {name!r} {problem}",
                        RENAME,
                    )
                )
                break
    return errors


def atom_feed(
    pages: list[Page], config: SiteConfig, urls: UrlMaker, path: str = "feed.xml", title: str = ""
) -> OutputFile:
    """Return feed.xml, an Atom feed of the newest dated articles (`feed_limit` of site.yaml),
    newest first.

    With no dated article its `updated` comes from SOURCE_DATE_EPOCH, or is the epoch itself,
    so that the output never depends on when it was built.
    """
    dated = sorted(
        (p for p in pages if p.date and not p.draft), key=lambda p: (p.lastmod, p.url), reverse=True
    )[: config.feed_limit]
    home = path.removesuffix("feed.xml")  # the page the feed is of
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    newest = (
        dated[0].lastmod.isoformat()
        if dated
        else (dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat())
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(f'{config.title}: {title}' if title else config.title)}</title>",
        f"  <subtitle>{escape(config.description)}</subtitle>",
        f'  <link rel="alternate" type="text/html" href="{escape(urls.absolute(home))}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{escape(urls.absolute(path))}"/>',
        f"  <id>{escape(urls.absolute(home))}</id>",
        f"  <updated>{newest}T00:00:00Z</updated>",
        f"  <author><name>{escape(config.author or config.title)}</name></author>",
    ]
    for page in dated:
        link = escape(urls.absolute(page.url))
        lines += [
            "  <entry>",
            f"    <title>{escape(page.title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{link}"/>',
            f"    <id>{link}</id>",
            f"    <published>{page.date.isoformat()}T00:00:00Z</published>",
            f"    <updated>{page.lastmod.isoformat()}T00:00:00Z</updated>",
            f"    <summary>{escape(page.description)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>\n")
    return OutputFile(path, "\n".join(lines).encode())
