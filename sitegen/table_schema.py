"""JSON Schemas for table files: one for any table's declarations, one per table for its rows.

The same schemas check tables during the build and, written out by `build.py schemas`, let an
editor's YAML language server complete and underline table files while they are typed.
"""

from __future__ import annotations

from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Each column type: the word editors use, and what a valid value looks like (for messages).
TYPES = {
    "text": "text",
    "integer": "an integer",
    "number": "a number",
    "percent": "a percentage (a number such as 32, meaning 32%)",
    "money": "money",
    "range": "a range such as {min: 70000, max: 120000}",
    "year_span": "a span of years such as {min: 0, max: 2}",
    "url": "an http(s) URL",
    "date": "a date (YYYY-MM-DD)",
    "enum": "one of the allowed values",
    "list": "a list of text",
    "ref": "the key of a row of another table",
}

HINTS = {
    "money": "write a plain number such as 70000: no currency sign, no 'k', no commas",
    "percent": "write a plain number such as 32: no '%' sign",
    "integer": "write a whole number such as 3",
    "number": "write a plain number such as 2.5",
    "range": "write {min: 70000, max: 120000}, or just {min: 180000} for '180,000+'",
    "year_span": "write {min: 0, max: 2}, or just {min: 5} for '5+ years'",
    "date": "write the date as YYYY-MM-DD, e.g. 2026-11-24",
    "url": "write the full address, starting with https://",
}

_TEXT = {"type": "string", "minLength": 1}

COLUMN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A column: its type and the rules every value in it must follow.",
    "properties": {
        "type": {"enum": sorted(TYPES), "description": "the kind of value in this column"},
        "label": {**_TEXT, "description": "header text shown above the column"},
        "description": {**_TEXT, "description": "what the column holds, for editors"},
        "required": {"type": "boolean", "description": "every row must have a value"},
        "unique": {"type": "boolean", "description": "no two rows may share a value"},
        "min": {"type": "number", "description": "smallest allowed value"},
        "max": {"type": "number", "description": "largest allowed value"},
        "pattern": {**_TEXT, "format": "regex", "description": "regular expression for text"},
        "values": {
            "type": "array",
            "items": _TEXT,
            "minItems": 1,
            "uniqueItems": True,
            "description": "allowed values of an enum column",
        },
        "currency": {
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO 4217 code, e.g. USD, for money and money ranges",
        },
        "of": {"enum": ["number", "integer", "money"], "description": "what a range is of"},
        "table": {**_TEXT, "description": "for a ref column: the table whose keys it names"},
        "sums_to": {
            "type": "number",
            "description": "the column's values must add up to this, e.g. 100",
        },
    },
    "required": ["type"],
    "additionalProperties": False,
    "allOf": [
        {"if": {"properties": {"type": {"const": "money"}}}, "then": {"required": ["currency"]}},
        {"if": {"properties": {"type": {"const": "enum"}}}, "then": {"required": ["values"]}},
        {"if": {"properties": {"type": {"const": "ref"}}}, "then": {"required": ["table"]}},
        {
            "if": {"properties": {"of": {"const": "money"}}, "required": ["of"]},
            "then": {"required": ["currency"]},
        },
    ],
}

PAGES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Make one page per row, at PATH/KEY/, rendered with TEMPLATE.",
    "properties": {
        "template": {**_TEXT, "description": "template in templates/ for each row's page"},
        "path": {
            "type": "string",
            "pattern": r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$",
            "description": "URL folder of the pages, e.g. certifications",
        },
        "title": {**_TEXT, "description": "the column whose value titles each page"},
    },
    "required": ["template", "path"],
    "additionalProperties": False,
}

NAME = r"^[a-z][a-z0-9_]*$"


def file_schema(
    rows: dict[str, Any] | None = None, title: str = "data table", rows_key: str = "rows"
) -> dict[str, Any]:
    """Return the schema of a table file; without `rows`, any list of mappings is accepted.
    `rows_key` is 'rows_from' for a table whose rows are in a CSV or JSON file."""
    return {
        "$schema": DIALECT,
        "title": title,
        "type": "object",
        "properties": {
            "title": {**_TEXT, "description": "the table's title"},
            "caption": {**_TEXT, "description": "caption shown with the table"},
            "unit": {**_TEXT, "description": "unit of the figures, e.g. 'USD per year'"},
            "source": {
                **_TEXT,
                "description": "where the figures come from, shown under the table",
            },
            "as_of": {
                "type": "string",
                "format": "date",
                "description": "the date the figures describe or were taken (YYYY-MM-DD)",
            },
            "key": {
                "type": "string",
                "pattern": NAME,
                "description": "the column that identifies a row (default: the first)",
            },
            "columns": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": NAME},
                "additionalProperties": COLUMN_SCHEMA,
                "description": "the columns, in display order",
            },
            "rows": rows or {"type": "array", "items": {"type": "object"}},
            "rows_from": {
                "type": "string",
                "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(csv|json)$",
                "description": "a CSV or JSON file beside this one that holds the rows",
            },
            "pages": PAGES_SCHEMA,
        },
        "required": ["title", "source", "as_of", "columns", rows_key],
        "additionalProperties": False,
    }


def value_schema(column: dict[str, Any], ref_keys: list[str] | None) -> dict[str, Any]:
    """Return the schema of one cell of a column declared as `column`."""
    kind = column["type"]
    bounds = {k: column[j] for j, k in (("min", "minimum"), ("max", "maximum")) if j in column}
    if kind == "text":
        schema: dict[str, Any] = dict(_TEXT)
        if "pattern" in column:
            schema["pattern"] = column["pattern"]
    elif kind in ("integer", "number", "money"):
        schema = {"type": "integer" if kind == "integer" else "number", **bounds}
    elif kind == "percent":
        schema = {"type": "number", "minimum": 0, "maximum": 100, **bounds}
    elif kind in ("range", "year_span"):
        of = "integer" if kind == "year_span" else column.get("of", "number")
        end = {
            "type": "integer" if of == "integer" else "number",
            "$comment": "money" if of == "money" else of,
            "minimum": 0 if kind == "year_span" else None,
            **bounds,
        }
        end = {k: v for k, v in end.items() if v is not None}
        schema = {
            "type": "object",
            "properties": {"min": end, "max": end},
            "required": ["min"],
            "additionalProperties": False,
        }
    elif kind == "url":
        schema = {"type": "string", "format": "uri", "pattern": "^https?://"}
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "enum":
        schema = {"enum": list(column["values"])}
    elif kind == "list":
        schema = {"type": "array", "items": _TEXT}
    else:  # ref
        schema = {"type": "string", **({"enum": ref_keys} if ref_keys is not None else {})}
    schema["$comment"] = f"ref:{column['table']}" if kind == "ref" else kind
    if "description" in column:
        schema["description"] = column["description"]
    return schema


def rows_schema(
    columns: dict[str, dict[str, Any]], ref_keys: dict[str, list[str]]
) -> dict[str, Any]:
    """Return the schema of a table's rows from its column declarations."""
    return {
        "type": "array",
        "description": "the rows; each is a mapping of column name to value",
        "items": {
            "type": "object",
            "properties": {
                name: value_schema(col, ref_keys.get(col.get("table", "")))
                for name, col in columns.items()
            },
            "required": [name for name, col in columns.items() if col.get("required")],
            "additionalProperties": False,
        },
    }
