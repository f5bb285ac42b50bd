"""Stage 2: find the Markdown pages under `content/` and read their front matter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import StageCache, fingerprint
from .errors import BuildError, SourceSpan, decode_source, warning
from .paths import entries_below
from .schema import Field, validate_mapping
from .workers import map_in_workers
from .yamlsrc import YamlDocument, parse_yaml

CONTENT_DIR = "content"
DATA_DIR = "data"  # inside content/: tables, not pages
DESCRIPTION_LIMIT = 160  # search engines cut longer descriptions
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _check_slug(value: str) -> str:
    if not SLUG.fullmatch(value) or ".." in value:
        return "must be one URL segment of letters, digits, '-', '_' or '.', such as 'salaries'"
    return ""


FRONT_MATTER = (
    Field("title", "text", required=True),
    Field("description", "text", required=True),
    Field("date", "date"),
    Field("updated", "date"),
    Field("template", "text", default="page.html"),
    Field("slug", "text", check=_check_slug),
    Field("weight", "integer", default=0),
    Field("draft", "boolean", default=False),
    Field("tags", "list", default=[]),
    Field("aliases", "list", default=[]),  # old addresses of the page, redirected to it
    Field("extra", "mapping", default={}),
)


@dataclass(frozen=True, kw_only=True)
class Page:
    """A Markdown source file with its front matter, and where it will be published."""

    source: str  # path relative to the site folder, e.g. 'content/a/b.md'
    content_path: str  # path relative to content/, e.g. 'a/b.md'
    url: str  # URL path relative to the site root, e.g. 'a/b/' ('' for the home page)
    output: str  # file written, e.g. 'a/b/index.html'
    title: str
    description: str
    body: str
    body_line: int  # the file line on which `body` starts
    date: dt.date | None = None
    updated: dt.date | None = None
    template: str = "page.html"
    weight: int = 0
    draft: bool = False
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> file line
    generated: bool = False  # made for a folder without index.md (sections.py), not read

    @property
    def lastmod(self) -> dt.date | None:
        """The date the page last changed, for the sitemap."""
        return self.updated or self.date


def find_sources(site: Path) -> list[Path]:
    """Return every Markdown page file under content/, in a stable order: not in content/data/,
    nor in hidden files or folders, nor in linked folders."""

    def shown(path: str) -> bool:
        return not path.rpartition("/")[2].startswith(".")

    below = entries_below(site / CONTENT_DIR, lambda path: shown(path) and path != DATA_DIR)
    found = [
        (path, entry.path)
        for path, entry in below
        if path.endswith(".md") and shown(path) and entry.is_file()
    ]
    return [Path(full) for _, full in sorted(found)]


def load_pages(
    site: Path, cache: StageCache | None = None, jobs: int = 1, sources: list[Path] | None = None
) -> tuple[list[Page], list[BuildError]]:
    """Read every page under content/ (`sources`, if found already), in `jobs` processes;
    return the good ones and every problem found."""
    cache = cache or StageCache()
    if not (site / CONTENT_DIR).is_dir():
        hint = "is --source the site folder? it holds site.yaml, content/, templates/, static/"
        return [], [BuildError(SourceSpan(f"{CONTENT_DIR}/"), "no content/ folder", hint)]

    def read(_, path: Path):
        raw = path.read_bytes()
        key = fingerprint(path.relative_to(site).as_posix(), raw)
        found, made = cache.peek("page", key)
        return key, found, made if found else read_page(site, path, raw)

    sources = find_sources(site) if sources is None else sources
    pages, problems = [], []
    for key, found, (page, page_problems) in map_in_workers(lambda: None, read, sources, jobs):
        cache.record("page", key, (page, page_problems), found)
        problems += page_problems
        if page is not None:
            pages.append(page)
    problems += find_url_clashes(pages)
    first = {}
    for page in pages:  # a page whose URL an earlier one has is left out, with its error
        first.setdefault(page.url, page)
    return list(first.values()), problems


def read_page(
    site: Path, path: Path, raw: bytes | None = None
) -> tuple[Page | None, list[BuildError]]:
    """Parse one Markdown file (whose bytes are `raw`, if read already): front matter, body, URL."""
    source = path.relative_to(site).as_posix()
    content_path = path.relative_to(site / CONTENT_DIR).as_posix()
    text, problems = decode_source(path.read_bytes() if raw is None else raw, source)
    if text is None:
        return None, problems
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [
            BuildError(
                SourceSpan(source),
                "missing front matter",
                "start the file with '---', then 'title: ...' and 'description: ...', then '---'",
            )
        ]
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if close is None:
        return None, [
            BuildError(
                SourceSpan(source),
                "front matter is not closed",
                "did you forget the second '---' line after the front matter?",
            )
        ]
    doc, errors = parse_yaml(
        "\n".join(lines[1:close]), source, first_line=2, end_name="the closing '---'"
    )
    if doc is None:
        return None, errors
    if doc.data is None:
        doc = YamlDocument({}, source, {(): (1, 1)})
    values, problems = validate_mapping(doc, FRONT_MATTER, what="front-matter key")
    errors += problems
    if errors:
        return None, errors
    url = page_url(content_path, values["slug"])
    if url is None:
        return None, [
            BuildError(
                doc.value_span(("slug",)),
                "the home page cannot have a slug",
                "remove 'slug' from content/index.md",
            )
        ]
    page = Page(
        source=source,
        content_path=content_path,
        url=url,
        output=f"{url}index.html",
        body="\n".join(lines[close + 1 :]),
        body_line=close + 2,
        key_lines={key: line for (key, *_), (line, _) in doc.key_marks.items()},
        **{f.name: values[f.name] for f in FRONT_MATTER if f.name != "slug"},
    )
    return page, _page_warnings(page, doc)


def page_url(content_path: str, slug: str | None) -> str | None:
    """Return the URL path of a content file ('a/b.md' -> 'a/b/'); None if `slug` can't apply."""
    parts = content_path[: -len(".md")].split("/")
    if parts[-1] == "index":
        parts.pop()
    if slug:
        if not parts:
            return None
        parts[-1] = slug
    return "".join(f"{part}/" for part in parts)


def find_url_clashes(pages: list[Page]) -> list[BuildError]:
    """Report every page whose URL an earlier page already has, naming both files."""
    first: dict[str, Page] = {}
    errors = []
    for page in pages:
        other = first.setdefault(page.url, page)
        if other is not page:
            errors.append(
                BuildError(
                    SourceSpan(page.source),
                    f"URL '/{page.url}' is also the URL of {other.source}",
                    "rename one of the files or give one a different 'slug'",
                )
            )
    return errors


def _page_warnings(page: Page, doc) -> list[BuildError]:
    found = []
    if len(page.description) > DESCRIPTION_LIMIT:
        found.append(
            warning(
                doc.value_span(("description",)),
                f"description is {len(page.description)} characters long",
                f"search engines show about {DESCRIPTION_LIMIT}; shorten it",
            )
        )
    if page.date and page.updated and page.updated < page.date:
        found.append(
            warning(
                doc.value_span(("updated",)),
                "'updated' is earlier than 'date'",
                "swap them or fix the typo",
            )
        )
    return found
