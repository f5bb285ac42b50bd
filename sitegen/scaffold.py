"""`build.py new`: start an article or a table with valid front matter or declarations."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from .config import load_config
from .content import CONTENT_DIR, load_pages
from .content import DATA_DIR as TABLES_IN_CONTENT
from .datapages import slugify
from .errors import BuildError, BuildFailed, SourceSpan
from .tables import DATA_DIR

TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
PAGE_PATH = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")
# What `new article` writes as the description, for its author to replace (`check` says so).
PLACEHOLDER_DESCRIPTION = "Say in one sentence what this page covers (under 160 characters)."


def today() -> dt.date:
    """Today's date, or the date of SOURCE_DATE_EPOCH when it is set (for reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def new_article(site: Path, title: str) -> Path:
    """Write content/SLUG.md with valid front matter; refuse to overwrite anything."""
    slug = slugify(title)
    if not slug:
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan("title"),
                    f"title {title!r} gives no file name",
                    "use letters or digits in the title",
                )
            ]
        )
    # Last in the reading order: after every page that loads (those with errors have no say).
    weights = [page.weight for page in load_pages(site)[0]]
    text = (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
        f"description: {PLACEHOLDER_DESCRIPTION}\n"
        f"date: {today().isoformat()}\n"
        f"weight: {max(weights, default=0) + 10}\n---\n"
        "Write the article here, in Markdown. Link to other pages by their .md file.\n"
    )
    return _create(site, f"{CONTENT_DIR}/{slug}.md", text)


def new_page(site: Path, path: str) -> Path:
    """Write content/PATH.md, a page without a date: `index` is the home page, first in the
    reading order; `guide/index` a folder's page; any page else goes last."""
    path = path.removesuffix(".md").strip("/")
    if not PAGE_PATH.fullmatch(path) or path.split("/")[0] == TABLES_IN_CONTENT:
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan("path"),
                    f"page path {path!r} is not allowed",
                    "a path inside content/ without '.md', in lowercase letters, digits, '-' and "
                    "'_', such as 'index' (the home page) or 'guide/faq'",
                )
            ]
        )
    weights = [page.weight for page in load_pages(site)[0]]
    parts = path.split("/")
    if path == "index":
        try:
            title = load_config(site).title
        except BuildFailed:  # a site.yaml with errors: they are reported by the build
            title = "Home"
        weight = min(weights, default=10) - 10
    else:
        name = parts[-2] if parts[-1] == "index" else parts[-1]
        title = name.replace("-", " ").replace("_", " ").capitalize()
        weight = max(weights, default=0) + 10
    text = (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
        f"description: {PLACEHOLDER_DESCRIPTION}\n"
        f"weight: {weight}\n---\n"
        "Write the page here, in Markdown. Link to other pages by their .md file.\n"
    )
    return _create(site, f"{CONTENT_DIR}/{path}.md", text)


def new_table(site: Path, name: str) -> Path:
    """Write content/data/NAME.yaml with declared columns and one example row."""
    if not TABLE_NAME.fullmatch(name):
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan("name"),
                    f"table name {name!r} is not allowed",
                    "use lowercase letters, digits and '_', e.g. 'salaries'",
                )
            ]
        )
    text = (
        f"# yaml-language-server: $schema=../../schemas/{name}.schema.json\n"
        f"title: {name.replace('_', ' ').capitalize()}\n"
        "caption: Say what the table shows.\n"
        "source: Say where the figures come from.\n"
        f"as_of: {today().isoformat()}\n"
        "columns:\n"
        "  name:\n    type: text\n    label: Name\n"
        "  value:\n    type: number\n    label: Value\n    required: true\n"
        "rows:\n"
        "  - name: Example\n    value: 1\n"
    )
    return _create(site, f"{DATA_DIR}/{name}.yaml", text)


def _create(site: Path, relative: str, text: str) -> Path:
    path = site / relative
    if path.exists():
        raise BuildFailed(
            [
                BuildError(
                    SourceSpan(relative),
                    "already exists; nothing was written",
                    "choose another title or name, or edit the existing file",
                )
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # 'x': never overwrite, even in a race
        stream.write(text)
    return path
