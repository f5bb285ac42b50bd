"""What a directive puts in an article: a data table as HTML, or a chart with its table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import charts
from .cache import fingerprint
from .directives import MARKER, Directive, parse_directive
from .errors import BuildError, SourceSpan, did_you_mean
from .extensions import NO_EXTENSIONS, Extensions
from .render import TemplateRenderer
from .selection import select_rows
from .tables import Column, Table
from .values import format_value

TABLE_TEMPLATE = "partials/table.html"
CHART_TEMPLATE = "partials/chart.html"
CHARTABLE = ("percent", "money", "number", "integer")


@dataclass(frozen=True)
class Cell:
    """One formatted cell, and whether it holds a number (shown right-aligned)."""

    text: str
    numeric: bool
    href: str = ""  # for URL cells: the link target


@dataclass(frozen=True, kw_only=True)
class TableView:
    """A table as the table partial shows it: formatted, in display order."""

    id: str
    name: str  # the data table shown (the first, for a comparison)
    title: str
    caption: str
    unit: str
    source_note: str
    as_of: str
    headers: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]  # the first cell of each row is its row header


class BlockRenderer:
    """Expands directives for the Markdown stage, using the tables and the theme's partials."""

    def __init__(
        self,
        tables: dict[str, Table],
        templates: TemplateRenderer,
        broken: frozenset[str] = frozenset(),
        extensions: Extensions = NO_EXTENSIONS,
    ) -> None:
        self.extensions = extensions
        self.tables = tables
        self.templates = templates
        self.row_url = templates.row_url
        self.broken = broken  # tables that failed to load: their own errors say why

    def fingerprint(self) -> str:
        """Return what a directive's HTML depends on besides its line: tables and templates."""
        return fingerprint(
            self.tables,
            self.templates.template_fingerprint(TABLE_TEMPLATE),
            self.templates.template_fingerprint(CHART_TEMPLATE),
            self.templates.row_pages,
            sorted(self.broken),
        )

    def expand(self, line: str, span: SourceSpan, ids: set[str]) -> tuple[str, BuildError | None]:
        """Return the HTML a directive line stands for, or the error it makes."""
        name = line[len(MARKER) :].split(maxsplit=1)[:1]
        if name and name[0] in self.extensions.directives:
            return self.extensions.expand(line, span, self.tables, self.templates.urls.path)
        directive, error = parse_directive(line, span, tuple(self.extensions.directives))
        if error is not None:
            return "", error
        table = self.tables.get(directive.table)
        if table is None and directive.table in self.broken:
            return "", None
        if table is None:
            return "", BuildError(
                span,
                f"no data table '{directive.table}'",
                did_you_mean(directive.table, tuple(self.tables)),
            )
        if directive.kind in ("table", "chart"):
            table, error = select_rows(table, directive)
            if error is not None:
                return "", error
        if directive.kind == "table":
            return self._table(directive, table, ids)
        if directive.kind == "flow":
            return self._flow(directive, table, ids)
        return self._chart(directive, table, ids)

    def _flow(
        self, directive: Directive, table: Table, ids: set[str]
    ) -> tuple[str, BuildError | None]:
        label = directive.options.get("label", table.key)
        if table.column(label) is None:
            return "", _no_column(directive, table, label, "label")
        svg = charts.flow_diagram(table, label, unique_id(f"flow-{table.name}", ids))
        view = table_view(
            table, list(table.columns), unique_id(f"table-{table.name}", ids), self.row_url
        )
        return self._render_chart(svg, view, directive)

    def _table(
        self, directive: Directive, table: Table, ids: set[str]
    ) -> tuple[str, BuildError | None]:
        names = directive.options.get("columns", "")
        columns = list(table.columns)
        if names:
            columns = []
            for name in names.split(","):
                column = table.column(name)
                if column is None:
                    return "", _no_column(directive, table, name, "columns")
                columns.append(column)
        return self._render_table(
            table_view(table, columns, unique_id(f"table-{table.name}", ids), self.row_url),
            directive,
        )

    def _render_table(self, view: TableView, directive: Directive) -> tuple[str, BuildError | None]:
        html, error = self.templates.render(
            TABLE_TEMPLATE, {"table": view}, directive.span.path, directive.span.line
        )
        return html or "", error

    def _chart(
        self, directive: Directive, table: Table, ids: set[str]
    ) -> tuple[str, BuildError | None]:
        options = directive.options
        label = options.get("label", table.key)
        if table.column(label) is None:
            return "", _no_column(directive, table, label, "label")
        chart_id = unique_id(f"chart-{table.name}", ids)
        if "compare" in options:
            return self._comparison(directive, table, chart_id, ids)
        value = options.get("value") or _first(table, ("range", *CHARTABLE))
        column = table.column(value or "")
        if column is None:
            if value:
                return "", _no_column(directive, table, value, "value")
            return "", BuildError(
                directive.span,
                f"table '{table.name}' has no numeric column to chart",
                "a chart needs a percent, money, number or range column",
            )
        if column.type == "range":
            svg = charts.range_bars(table, label, value, chart_id)
        elif column.type in CHARTABLE:
            svg = charts.share_bars(table, label, value, chart_id)
        else:
            return "", BuildError(
                directive.at("value"),
                f"column '{value}' holds {column.type}, which cannot be charted",
                "chart a percent, money, number or range column",
            )
        view = table_view(
            table, list(table.columns), unique_id(f"table-{table.name}", ids), self.row_url
        )
        return self._render_chart(svg, view, directive)

    def _comparison(
        self, directive: Directive, table: Table, chart_id: str, ids: set[str]
    ) -> tuple[str, BuildError | None]:
        other = self.tables.get(directive.options["compare"])
        if other is None and directive.options["compare"] in self.broken:
            return "", None
        if other is None:
            return "", BuildError(
                directive.at("compare"),
                f"no data table '{directive.options['compare']}'",
                did_you_mean(directive.options["compare"], tuple(self.tables)),
            )
        band = _first(table, ("range",))
        ref = next(
            (c.name for c in other.columns if c.type == "ref" and c.table == table.name), None
        )
        value = _first(other, CHARTABLE)
        if not (band and ref and value):
            return "", BuildError(
                directive.span,
                f"cannot compare '{table.name}' with '{other.name}'",
                f"'{table.name}' needs a range column and "
                f"'{other.name}' a number column and a ref column to "
                f"'{table.name}'",
            )
        svg = charts.comparison_bars(table, band, other, value, ref, chart_id)
        view = comparison_view(
            table, band, other, value, ref, unique_id(f"table-{table.name}-{other.name}", ids)
        )
        return self._render_chart(svg, view, directive)

    def _render_chart(
        self, svg: Markup, view: TableView, directive: Directive
    ) -> tuple[str, BuildError | None]:
        html, error = self.templates.render(
            CHART_TEMPLATE, {"chart": svg, "table": view}, directive.span.path, directive.span.line
        )
        return html or "", error


def table_view(
    table: Table, columns: list[Column], table_id: str, row_url: Callable[[str, Any], str]
) -> TableView:
    """Return a table's rows formatted for display; row headers link to their rows' pages."""
    headers = tuple(Cell(c.label, c.numeric) for c in columns)
    rows = []
    for row in table.rows:
        cells = [make_cell(row[c.name], c) for c in columns]
        if table.pages is not None and columns[0].name == table.key:
            cells[0] = Cell(cells[0].text, cells[0].numeric, row_url(table.name, row[table.key]))
        rows.append(tuple(cells))
    return TableView(
        id=table_id,
        name=table.name,
        title=table.title,
        caption=table.caption,
        unit=table.unit,
        source_note=table.source_note,
        as_of=table.as_of.isoformat(),
        headers=headers,
        rows=tuple(rows),
    )


def comparison_view(
    ranges: Table, band: str, values: Table, value: str, ref: str, table_id: str
) -> TableView:
    """Return one table setting each row of `values` beside the range row it refers to."""
    columns = (
        values.column(values.key),
        values.column(value),
        values.column(ref),  # its label says what the referenced row is
        ranges.column(band),
    )
    headers = tuple(Cell(c.label, c.numeric) for c in columns)
    rows = []
    for row in values.rows:
        other = ranges.get(row[ref])
        cells = (row[values.key], row[value], other[ranges.key], other[band])
        rows.append(tuple(make_cell(v, c) for v, c in zip(cells, columns, strict=True)))
    note = f"{values.source_note} {ranges.source_note}"
    return TableView(
        id=table_id,
        name=values.name,
        title=f"{values.title} and {ranges.title.lower()}",
        caption=f"Each row of '{values.title}' beside the row of '{ranges.title}' for the same "
        "experience.",
        unit=values.unit,
        source_note=note,
        as_of=max(values.as_of, ranges.as_of).isoformat(),
        headers=headers,
        rows=tuple(rows),
    )


def make_cell(value, column: Column) -> Cell:
    """Return a cell for display: typed values print themselves, numbers get separators."""
    href = value if column.type == "url" and value else ""
    return Cell(format_value(value), column.numeric, href)


def unique_id(base: str, ids: set[str]) -> str:
    """Return `base`, or `base-2`, `base-3`... if the page already has it; remember it."""
    candidate, number = base.replace("_", "-"), 1
    while candidate in ids:
        number += 1
        candidate = f"{base.replace('_', '-')}-{number}"
    ids.add(candidate)
    return candidate


def _first(table: Table, types: tuple[str, ...]) -> str | None:
    return next((c.name for c in table.columns if c.type in types), None)


def _no_column(directive: Directive, table: Table, name: str, option: str) -> BuildError:
    return BuildError(
        directive.at(option),
        f"table '{table.name}' has no column '{name}'",
        did_you_mean(name, tuple(c.name for c in table.columns)),
    )
