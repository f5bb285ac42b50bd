"""Rows kept in a CSV or JSON file beside a table's declaration: `rows_from: NAME.csv`.

The rows join the declaration as if written under `rows:`, with the place of every value in
their own file, so that each row is checked against the columns exactly as a YAML row is and
every problem is named at the CSV (or JSON) line and column.

CSV: the first line names the columns; an empty cell is no value. Cells are read by the type of
their column: numbers as numbers, a range as `70000-120000` or `180000+`, a list as `a; b`.
JSON: an array of objects, one per row.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from .errors import BuildError, SourceSpan, decode_source
from .yamlsrc import YamlDocument, parse_yaml

ROWS_FROM = "rows_from"
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.(csv|json)")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
SPAN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?)|(\+))?\s*")

Marks = dict[tuple, tuple[int, int]]


def with_rows_from(doc: YamlDocument, folder: Path) -> tuple[YamlDocument, list[BuildError]]:
    """The declaration `doc` with the rows of the file its `rows_from` names (in `folder`,
    the declaration's), or `doc` itself when it has none."""
    data = doc.data
    if not isinstance(data, dict) or ROWS_FROM not in data:
        return doc, []
    name, span = data[ROWS_FROM], doc.value_span((ROWS_FROM,))
    if "rows" in data:
        return doc, [
            BuildError(
                doc.key_span(("rows",)),
                "a table takes its rows from 'rows' or from 'rows_from', not both",
                "remove one of them",
            )
        ]
    if not isinstance(name, str) or not FILE_NAME.fullmatch(name):
        return doc, [
            BuildError(
                span,
                f"rows_from must name a .csv or .json file beside the table, got {name!r}",
                "for example 'rows_from: recipes.csv'",
            )
        ]
    path = folder / name
    source = f"{Path(doc.path).parent.as_posix()}/{name}"
    if not path.is_file():
        return doc, [BuildError(span, f"rows_from names '{name}', which is not in the folder")]
    text, errors = decode_source(path.read_bytes(), source)
    if text is None:
        return doc, errors
    columns = data.get("columns") if isinstance(data.get("columns"), dict) else {}
    if name.endswith(".csv"):
        rows, values, keys, errors = _csv_rows(text, source, columns)
    else:
        rows, values, keys, errors = _json_rows(text, source)
    if errors:
        return doc, errors
    merged = YamlDocument(
        {**data, "rows": rows},
        doc.path,
        {**doc.value_marks, **values},
        {**doc.key_marks, **keys},
        sources={("rows",): source},
    )
    return merged, []


def _csv_rows(
    text: str, source: str, columns: dict[str, Any]
) -> tuple[list[dict[str, Any]], Marks, Marks, list[BuildError]]:
    records, problem = read_csv(text)
    if problem:
        line, column, message = problem
        return [], {}, {}, [BuildError(SourceSpan(source, line, column), f"invalid CSV: {message}")]
    if not records:
        return [], {}, {}, [BuildError(SourceSpan(source), "the CSV file has no header line")]
    header = records[0]
    if len(header) == 1 and (other := next((s for s in ";\t|" if s in header[0][0]), None)):
        shown = {";": "semicolons", "\t": "tabs", "|": "bars"}[other]
        error = BuildError(
            SourceSpan(source, header[0][1], header[0][2]),
            f"the header is one column, {header[0][0]!r}: its cells are separated by {shown}",
            "save the file with commas between cells: in Excel, as 'CSV UTF-8'",
        )
        return [], {}, {}, [error]
    seen: set[str] = set()
    for cell, line, column in header:
        if not cell.strip() or cell in seen:
            reason = "is empty" if not cell.strip() else f"'{cell}' comes twice"
            error = BuildError(SourceSpan(source, line, column), f"a column name {reason}")
            return [], {}, {}, [error]
        seen.add(cell)
    rows: list[dict[str, Any]] = []
    values: Marks = {("rows",): (header[0][1], 1)}
    keys: Marks = {}
    for index, record in enumerate(records[1:]):
        if len(record) == 1 and not record[0][0]:
            continue  # a blank line
        row: dict[str, Any] = {}
        values[("rows", len(rows))] = (record[0][1], 1)
        for (cell, line, column), (name, head_line, head_column) in zip(
            record, header, strict=False
        ):
            keys[("rows", len(rows), name)] = (head_line, head_column)
            if cell == "":
                continue
            row[name] = cell_value(cell, (columns.get(name) or {}))
            values[("rows", len(rows), name)] = (line, column)
        if len(record) > len(header):
            cell, line, column = record[len(header)]
            message = f"row {index + 1} has {len(record)} cells, the header {len(header)}"
            return [], {}, {}, [BuildError(SourceSpan(source, line, column), message)]
        rows.append(row)
    return rows, values, keys, []


def cell_value(cell: str, column: dict[str, Any]) -> Any:
    """A CSV cell read by its column's type; left as text when it is not of that type (the
    table's checks then say what it should be)."""
    kind = column.get("type") if isinstance(column, dict) else None
    text = cell.strip()
    if kind in ("integer", "number", "money", "percent") and NUMBER.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            return cell  # 1e400: too large to be a number a page can show
        return int(number) if kind == "integer" or number.is_integer() else number
    if kind in ("range", "year_span") and (found := SPAN.fullmatch(text)):
        low, high = _number(found[1]), _number(found[2]) if found[2] is not None else None
        if not all(math.isfinite(n) for n in (low, high) if n is not None):
            return cell
        return {"min": low} if high is None else {"min": low, "max": high}
    if kind == "list":
        return [item.strip() for item in text.split(";") if item.strip()]
    return cell


def _number(text: str) -> int | float:
    number = float(text)
    return int(number) if math.isfinite(number) and number.is_integer() else number


def read_csv(text: str) -> tuple[list[list[tuple[str, int, int]]], tuple[int, int, str] | None]:
    """Split CSV text (RFC 4180: commas, double quotes, "" inside quotes) into records of
    (cell, line, column); or say where it cannot be read."""
    records: list[list[tuple[str, int, int]]] = []
    record: list[tuple[str, int, int]] = []
    line, column, at = 1, 1, 0
    while at <= len(text):
        start_line, start_column = line, column
        if at < len(text) and text[at] == '"':
            at, column = at + 1, column + 1
            cell = []
            while True:
                if at >= len(text):
                    return records, (start_line, start_column, "a quoted cell is never closed")
                char = text[at]
                if char == '"' and text.startswith('""', at):
                    cell.append('"')
                    at, column = at + 2, column + 2
                elif char == '"':
                    at, column = at + 1, column + 1
                    break
                else:
                    cell.append(char)
                    at += 1
                    line, column = (line + 1, 1) if char == "\n" else (line, column + 1)
            value = "".join(cell)
            if at < len(text) and text[at] not in ",\r\n":
                return records, (line, column, "text after a quoted cell; quote the whole cell")
        else:
            end = at
            while end < len(text) and text[end] not in ",\r\n":
                if text[end] == '"':
                    return records, (line, column + end - at, "a quote inside an unquoted cell")
                end += 1
            value = text[at:end]
            column += end - at
            at = end
        record.append((value, start_line, start_column))
        if at >= len(text):
            break
        if text[at] == ",":
            at, column = at + 1, column + 1
            continue
        at += 2 if text.startswith("\r\n", at) else 1  # the end of a record
        line, column = line + 1, 1
        records.append(record)
        record = []
        if at >= len(text):
            break
    if record and record != [("", line, 1)]:
        records.append(record)
    return records, None


def _json_rows(text: str, source: str) -> tuple[list[Any], Marks, Marks, list[BuildError]]:
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        error = BuildError(SourceSpan(source, exc.lineno, exc.colno), f"invalid JSON: {exc.msg}")
        return [], {}, {}, [error]
    if not isinstance(rows, list):
        error = BuildError(SourceSpan(source), "a JSON rows file must be an array of objects")
        return [], {}, {}, [error]
    # JSON is YAML too: parsed again as YAML, it gives the place of every value.
    doc, problems = parse_yaml(text, source)
    marks = doc.value_marks if doc is not None else {}
    key_marks = doc.key_marks if doc is not None else {}
    values = {("rows", *where): mark for where, mark in marks.items()}
    keys = {("rows", *where): mark for where, mark in key_marks.items()}
    # JSON keeps the last of two equal keys without a word; YAML's reading finds them. (Its
    # other complaints are about YAML, which the file is not written as.)
    twice = [problem for problem in problems if problem.message.startswith("duplicate key")]
    return rows, values, keys, twice
