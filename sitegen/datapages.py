"""Pages made from data: a table can ask for one page per row, at a URL from its key column."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .content import Page
from .errors import BuildError, SourceSpan
from .tables import Table


@dataclass(frozen=True, kw_only=True)
class DataPage:
    """One row's page: where it is published, and what renders it."""

    table: str
    key: str
    url: str  # site-root relative, e.g. 'certifications/aws-machine-learning/'
    title: str
    template: str
    span: SourceSpan  # the row in its table file

    @property
    def output(self) -> str:
        """The file written for this page."""
        return f"{self.url}index.html"


def slugify(text: str) -> str:
    """Return a stable URL segment for a key: 'Ph.D. (US)' -> 'ph-d-us'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def data_pages(tables: dict[str, Table]) -> tuple[list[DataPage], list[BuildError]]:
    """Return the pages every table with `pages:` asks for; report keys that make no URL."""
    pages, errors = [], []
    for table in tables.values():
        if table.pages is None:
            continue
        taken: dict[str, str] = {}
        for row, line in zip(table.rows, table.row_lines, strict=True):
            key = str(row[table.key])
            span = SourceSpan(table.rows_source or table.source, line)
            slug = slugify(key)
            if not slug or slug in taken:
                clash = f"; '{taken[slug]}' gives the same" if slug in taken else ""
                errors.append(
                    BuildError(
                        span,
                        f"key '{key}' gives no URL of its own{clash}",
                        "page URLs come from the key column: use letters or "
                        "digits, distinct after dropping punctuation",
                    )
                )
                continue
            taken[slug] = key
            title = str(row[table.pages.title] or key)
            pages.append(
                DataPage(
                    table=table.name,
                    key=key,
                    url=f"{table.pages.path}/{slug}/",
                    title=title,
                    template=table.pages.template,
                    span=span,
                )
            )
    return pages, errors


def mentions(rows: list[DataPage], pages: list[Page]) -> dict[str, list[Page]]:
    """The pages whose text names each row's title (whole words, any case), by the row
    page's URL: read once through each page, however many rows there are."""
    titles: dict[str, list[str]] = {}
    for row in rows:
        titles.setdefault(row.title.casefold(), []).append(row.url)
    if not titles:
        return {}
    names = sorted(titles, key=len, reverse=True)  # the longest name first, where one holds another
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", re.I)
    found: dict[str, list[Page]] = {}
    for page in pages:
        for name in {match.casefold() for match in pattern.findall(page.body)}:
            for url in titles.get(name, ()):
                found.setdefault(url, []).append(page)
    return found
