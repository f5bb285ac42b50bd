"""Which rows a `::: table` or `::: chart` shows: `where`, `sort` and `limit` of its line.

    ::: table recipes where="course=Dessert" sort=-rating limit=5
    ::: chart salary_ranges where="region!=Remote"

`where` keeps the rows whose column equals (`=`) or differs from (`!=`) a value, written as it is
in the table or as the page shows it; `sort` orders by a column, `-column` from the largest;
`limit` keeps the first N. A column or value the table does not have is an error at the option.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .directives import Directive
from .errors import BuildError, did_you_mean
from .tables import Table
from .values import Money, Percent, Range, Ref, YearSpan, format_value


def select_rows(table: Table, directive: Directive) -> tuple[Table, BuildError | None]:
    """`table` with only the rows the directive's options select, in their order."""
    options, at = directive.options, directive.at
    pairs = list(zip(table.rows, table.row_lines or [0] * len(table.rows), strict=True))
    if "where" in options:
        condition = options["where"]
        name, differ, value = _condition(condition)
        if name is None:
            return table, BuildError(
                at("where"),
                f"where={condition!r} must be written column=value or column!=value",
                f'for example where="{table.key}={format_value(table.rows[0][table.key])}"'
                if table.rows
                else "",
            )
        if table.column(name) is None:
            return table, _no_column(at("where"), table, name)
        held = [_texts(row.get(name)) for row, _ in pairs]
        if not any(value in texts for texts in held):
            shown = sorted({format_value(row.get(name)) for row, _ in pairs} - {""})
            hint = did_you_mean(value, tuple(shown)) if len(shown) <= 30 else ""
            return table, BuildError(
                at("where"), f"no row of '{table.name}' has {value!r} in '{name}'", hint
            )
        pairs = [
            pair for pair, texts in zip(pairs, held, strict=True) if (value in texts) != differ
        ]
    if "sort" in options:
        name = options["sort"].removeprefix("-")
        if table.column(name) is None:
            return table, _no_column(at("sort"), table, name)
        present = [pair for pair in pairs if pair[0].get(name) is not None]
        present.sort(key=lambda pair: _order(pair[0][name]), reverse=options["sort"][0] == "-")
        pairs = present + [pair for pair in pairs if pair[0].get(name) is None]  # blanks last
    if "limit" in options:
        limit = options["limit"]
        if not limit.isdigit() or int(limit) < 1:
            return table, BuildError(
                at("limit"), f"limit={limit!r} must be a whole number, 1 or more"
            )
        pairs = pairs[: int(limit)]
    if not table.rows:
        return table, BuildError(
            directive.span,
            f"table '{table.name}' has no rows to show",
            f"add rows to {table.rows_source or table.source}",
        )
    if not pairs:
        return table, BuildError(
            directive.span, f"the options leave no row of '{table.name}' to show"
        )
    rows = tuple(row for row, _ in pairs)
    lines = tuple(line for _, line in pairs) if table.row_lines else ()
    return replace(table, rows=rows, row_lines=lines), None


def _condition(text: str) -> tuple[str | None, bool, str]:
    """(column, whether it must differ, value) of 'column=value' or 'column!=value'."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        return None, False, ""
    differ = name.endswith("!")
    return name.removesuffix("!").strip(), differ, value.strip()


def _texts(value: Any) -> set[str]:
    """The ways a value may be written in a condition: as in the table and as shown."""
    if value is None:
        return {""}
    if isinstance(value, tuple | list):
        return {format_value(value)} | {str(item) for item in value}
    texts = {format_value(value), str(value)}
    if isinstance(value, Money | Percent):
        texts.add(format_value(value.amount if isinstance(value, Money) else value.value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        texts.add(repr(value))
    return texts


def _order(value: Any) -> tuple:
    """A sort key that orders numbers by size, ranges by their lower end, text alphabetically."""
    if isinstance(value, bool):
        return (0, int(value), "")
    if isinstance(value, int | float):
        return (0, value, "")
    if isinstance(value, Money):
        return (0, value.amount, "")
    if isinstance(value, Percent):
        return (0, value.value, "")
    if isinstance(value, Range | YearSpan):
        return (0, value.min, "")
    if isinstance(value, Ref):
        return (1, 0, value.key.casefold())
    return (1, 0, format_value(value).casefold())


def _no_column(span, table: Table, name: str) -> BuildError:
    return BuildError(
        span,
        f"table '{table.name}' has no column '{name}'",
        did_you_mean(name, tuple(c.name for c in table.columns)),
    )
