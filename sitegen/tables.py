"""Stage 2b: load the data tables of content/data/, validated to the column, as typed rows."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import StageCache, fingerprint
from .errors import BuildError, SourceSpan, decode_source, did_you_mean
from .rowfiles import ROWS_FROM, with_rows_from
from .schema import described, type_name
from .table_schema import HINTS, TYPES, file_schema, rows_schema
from .values import Money, Percent, Range, Ref, YearSpan
from .yamlsrc import YamlDocument, parse_yaml

if TYPE_CHECKING:
    from jsonschema import ValidationError

DATA_DIR = "content/data"
JSON_TYPES = {
    "object": "a mapping of keys to values",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
}
NUMERIC = {"integer", "number", "percent", "money", "range", "year_span"}


@dataclass(frozen=True, kw_only=True)
class Column:
    """A declared column of a table."""

    name: str
    type: str
    label: str
    required: bool = False
    unique: bool = False
    currency: str = ""
    of: str = ""
    table: str = ""
    sums_to: float | None = None

    @property
    def numeric(self) -> bool:
        """Whether values are numbers, shown right-aligned."""
        return self.type in NUMERIC


@dataclass(frozen=True)
class PagesSpec:
    """A table's request for one page per row."""

    template: str
    path: str
    title: str  # the column whose value titles each page


@dataclass(frozen=True, kw_only=True)
class Table:
    """A validated data table: its metadata, columns and typed rows."""

    name: str
    source: str  # e.g. 'content/data/salaries.yaml'
    title: str
    caption: str
    unit: str
    source_note: str
    as_of: dt.date
    key: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    pages: PagesSpec | None = None
    row_lines: tuple[int, ...] = ()
    rows_source: str = ""  # the file the rows are in: `source`, or its rows_from file

    def column(self, name: str) -> Column | None:
        """Return the column called `name`, if there is one."""
        return next((c for c in self.columns if c.name == name), None)

    def get(self, key: Any) -> dict[str, Any] | None:
        """Return the row whose key column holds `key` (a Ref or its text)."""
        wanted = str(key)
        return next((row for row in self.rows if str(row[self.key]) == wanted), None)


def table_names(site: Path) -> list[str]:
    """The names of the tables content/data/ holds a file for, loadable or not."""
    return [path.stem for path in find_table_files(site)]


def find_table_files(site: Path) -> list[Path]:
    """Return the YAML files of content/data/, in a stable order."""
    root = site / DATA_DIR
    if not root.is_dir():
        return []
    files = [p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(files, key=lambda p: p.name)


def load_tables(
    site: Path, cache: StageCache | None = None
) -> tuple[dict[str, Table], list[BuildError]]:
    """Read and validate every table; report all problems of all tables together.

    Tables refer to each other, so they are checked together: any change redoes them all.
    """
    files = sorted(p for p in (site / DATA_DIR).glob("*") if p.is_file())  # CSV and JSON too
    key = fingerprint(*((p.name, p.read_bytes()) for p in files))
    return (cache or StageCache()).get("tables", key, lambda: _load_tables(site))


def _load_tables(site: Path) -> tuple[dict[str, Table], list[BuildError]]:
    docs, ref_keys, names, errors = read_declarations(site)
    tables = {}
    for name, doc in docs.items():
        problems = check_table(doc, name, ref_keys, names)
        errors += problems
        if not problems:
            tables[name] = build_table(doc, name, _key_column(doc.data))
    return tables, sorted(errors, key=lambda e: e.span)


def table_schemas(site: Path) -> tuple[dict[str, dict[str, Any]], list[BuildError]]:
    """Return the JSON Schema of every table whose declarations are valid, by table name."""
    docs, ref_keys, _, errors = read_declarations(site)
    return {name: table_schema(doc, name, ref_keys) for name, doc in docs.items()}, errors


def table_schema(doc: YamlDocument, name: str, ref_keys: dict[str, list[str]]) -> dict[str, Any]:
    """Return the JSON Schema that accepts exactly the valid versions of one table file."""
    rows_key = ROWS_FROM if ROWS_FROM in doc.data else "rows"
    return file_schema(rows_schema(doc.data["columns"], ref_keys), title=name, rows_key=rows_key)


def read_declarations(
    site: Path,
) -> tuple[dict[str, YamlDocument], dict[str, list[str]], set[str], list[BuildError]]:
    """Read every table file; return those with valid declarations, each one's row keys (for
    references), the names of all table files, and the problems found."""
    docs: dict[str, YamlDocument] = {}
    errors: list[BuildError] = []
    files = find_table_files(site)
    for path in files:
        doc, problems = read_table_file(site, path)
        errors += problems
        if doc is not None and not problems:
            docs[path.stem] = doc
    ref_keys = {
        name: [
            str(row.get(_key_column(doc.data))) for row in doc.data["rows"] if isinstance(row, dict)
        ]
        for name, doc in docs.items()
    }
    return docs, ref_keys, {p.stem for p in files}, errors


def read_table_file(site: Path, path: Path) -> tuple[YamlDocument | None, list[BuildError]]:
    """Parse one table file and check its metadata and column declarations."""
    source = path.relative_to(site).as_posix()
    text, errors = decode_source(path.read_bytes(), source)
    if text is None:
        return None, errors
    doc, errors = parse_yaml(text, source)
    if doc is None or errors:
        return doc, errors
    if doc.data is None:
        return None, [
            BuildError(
                SourceSpan(source),
                "the table file is empty",
                "a table needs title, source, as_of, columns and rows",
            )
        ]
    if not isinstance(doc.data, dict):
        return None, [
            BuildError(
                doc.value_span(()),
                f"a table file must be a mapping of keys to values, got {type_name(doc.data)}",
                "start with 'title: ...' at the left margin",
            )
        ]
    doc, errors = with_rows_from(doc, path.parent)
    if errors:
        return doc, errors
    errors = schema_errors(
        doc, file_schema(rows_key=ROWS_FROM if ROWS_FROM in doc.data else "rows")
    )
    if not errors:
        key = _key_column(doc.data)
        if key not in doc.data["columns"]:
            errors.append(
                BuildError(
                    doc.value_span(("key",)),
                    f"key column '{key}' is not declared",
                    did_you_mean(key, tuple(doc.data["columns"])),
                )
            )
    return doc, errors


def check_table(
    doc: YamlDocument, name: str, ref_keys: dict[str, list[str]], all_tables: set[str]
) -> list[BuildError]:
    """Check every row of a table against its columns, and the rules across rows.

    `ref_keys` holds the keys of the tables that loaded; a reference to a table that exists but
    has errors of its own is not checked, as those errors are reported already.
    """
    columns = doc.data["columns"]
    errors = []
    for column, spec in columns.items():
        if spec["type"] == "ref" and spec["table"] not in all_tables:
            errors.append(
                BuildError(
                    doc.value_span(("columns", column, "table")),
                    f"column '{column}' refers to table '{spec['table']}', which does not exist",
                    did_you_mean(spec["table"], tuple(sorted(all_tables))),
                )
            )
    if errors:
        return errors
    errors = schema_errors(doc, table_schema(doc, name, ref_keys))
    return errors or _cross_row_errors(doc, _key_column(doc.data))


def schema_errors(doc: YamlDocument, schema: dict[str, Any]) -> list[BuildError]:
    """Validate a table file with a JSON Schema; return the errors at their places."""
    import jsonschema  # here: a build whose tables are all cached never needs it

    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    found = []
    for error in validator.iter_errors(_as_json(doc.data)):
        found += _describe(doc, error)
    return sorted(set(found), key=lambda e: (e.span.line, e.span.column, e.message))


def _describe(doc: YamlDocument, error: ValidationError) -> list[BuildError]:
    """Turn one JSON Schema error into messages an editor understands."""
    path = tuple(error.absolute_path)
    in_rows = bool(path) and path[0] == "rows"
    what = "column" if in_rows else "column setting" if len(path) >= 2 else "key"
    field = next((p for p in reversed(path) if isinstance(p, str)), "value")
    if len(path) == 2 and in_rows:
        field = f"row {path[1] + 1}"
    value, schema, rule = error.instance, error.schema, error.validator
    kind = str(schema.get("$comment", ""))
    span = doc.value_span(path)
    if rule == "additionalProperties":
        allowed = tuple(schema.get("properties", {}))
        return [
            BuildError(
                doc.key_span((*path, extra)),
                f"unknown {what} '{extra}'",
                did_you_mean(extra, allowed),
            )
            for extra in value
            if extra not in allowed
        ]
    if rule == "required":
        return [
            BuildError(
                span,
                f"missing required {what} '{missing}'",
                f"add '{missing}: ...'" + (" to this row" if in_rows else ""),
            )
            for missing in error.validator_value
            if missing not in value
        ]
    if kind.startswith("ref:") and rule == "enum":
        table = kind.removeprefix("ref:")
        return [
            BuildError(
                span,
                f"'{field}' refers to '{value}', which is not a row of table '{table}'",
                did_you_mean(str(value), error.validator_value),
            )
        ]
    if rule == "enum":
        choices = ", ".join(map(str, error.validator_value))
        return [BuildError(span, f"'{field}' must be one of {choices}; got {value!r}")]
    if rule in ("minimum", "maximum"):
        bound = "at least" if rule == "minimum" else "at most"
        return [BuildError(span, f"'{field}' must be {bound} {error.validator_value}, got {value}")]
    if rule in ("minLength", "minItems", "minProperties"):
        return [BuildError(span, f"'{field}' must not be empty")]
    if rule == "propertyNames":
        return [
            BuildError(
                doc.key_span((*path, value)),
                f"column name '{value}' must be "
                "lowercase letters, digits and '_', starting with a letter",
            )
        ]
    if rule == "pattern" and kind == "text":
        return [
            BuildError(
                span,
                f"'{field}' must match the pattern {error.validator_value}, got {_show(value)}",
            )
        ]
    if rule in ("type", "format", "pattern") and kind in TYPES:
        return [
            BuildError(
                span,
                f"'{field}' must be {TYPES[kind]}, got {described(value)}",
                HINTS.get(kind, ""),
            )
        ]
    if rule == "type":
        expected = JSON_TYPES.get(str(error.validator_value), str(error.validator_value))
        return [BuildError(span, f"'{field}' must be {expected}, got {described(value)}")]
    return [BuildError(span, f"'{field}': {error.message}")]


def _cross_row_errors(doc: YamlDocument, key: str) -> list[BuildError]:
    """Rules JSON Schema cannot say: unique values, shares adding up, ranges in order."""
    errors = []
    rows = doc.data["rows"]
    for name, spec in doc.data["columns"].items():
        seen: dict[str, int] = {}
        for index, row in enumerate(rows):
            if name not in row:
                continue
            value = row[name]
            if (spec.get("unique") or name == key) and str(value) in seen:
                errors.append(
                    BuildError(
                        doc.value_span(("rows", index, name)),
                        f"duplicate {name} '{value}': row {seen[str(value)] + 1} has it too",
                        f"each row needs its own '{name}'",
                    )
                )
            seen.setdefault(str(value), index)
            if (
                isinstance(value, dict)
                and value.get("max") is not None
                and value["max"] < value["min"]
            ):
                errors.append(
                    BuildError(
                        doc.value_span(("rows", index, name, "max")),
                        f"'max' ({value['max']}) is less than 'min' ({value['min']})",
                        "swap the two ends",
                    )
                )
        if "sums_to" in spec:
            total = sum(row.get(name) or 0 for row in rows)
            if abs(total - spec["sums_to"]) > 1e-9:
                errors.append(
                    BuildError(
                        doc.key_span(("rows",)),
                        f"'{name}' adds up to {total:g}, not {spec['sums_to']:g}",
                        "the shares of all rows must add up to "
                        f"{spec['sums_to']:g}; check each row",
                    )
                )
    return errors


def build_table(doc: YamlDocument, name: str, key: str) -> Table:
    """Return the typed table of a file that passed validation."""
    data = doc.data
    columns = tuple(
        Column(
            name=col,
            type=spec["type"],
            label=spec.get("label") or col.replace("_", " ").capitalize(),
            required=bool(spec.get("required")) or col == key,
            unique=bool(spec.get("unique")) or col == key,
            currency=spec.get("currency", ""),
            of=spec.get("of", ""),
            table=spec.get("table", ""),
            sums_to=spec.get("sums_to"),
        )
        for col, spec in data["columns"].items()
    )
    rows = tuple({c.name: typed_value(c, row.get(c.name)) for c in columns} for row in data["rows"])
    pages = data.get("pages")
    return Table(
        name=name,
        source=doc.path,
        title=data["title"],
        caption=data.get("caption", ""),
        unit=data.get("unit", ""),
        source_note=data["source"],
        as_of=data["as_of"],
        key=key,
        columns=columns,
        rows=rows,
        pages=PagesSpec(pages["template"], pages["path"], pages.get("title", key))
        if pages
        else None,
        row_lines=tuple(doc.value_span(("rows", i)).line for i in range(len(rows))),
        rows_source=doc.value_span(("rows",)).path,
    )


def typed_value(column: Column, value: Any) -> Any:
    """Return a cell's value with its unit: Money, Percent, Range, YearSpan, Ref or plain."""
    if value is None:
        return None
    if column.type == "money":
        return Money(value, column.currency)
    if column.type == "percent":
        return Percent(value)
    if column.type == "range":
        return Range(
            value["min"], value.get("max"), column.currency if column.of == "money" else ""
        )
    if column.type == "year_span":
        return YearSpan(value["min"], value.get("max"))
    if column.type == "ref":
        return Ref(column.table, str(value))
    if column.type == "list":
        return tuple(value)
    return value


def _key_column(data: dict[str, Any]) -> str:
    return data.get("key") or next(iter(data["columns"]))


def _as_json(value: Any) -> Any:
    """Return YAML data as JSON Schema sees it: dates become ISO text, keys become text, and
    infinity and not-a-number (YAML's .inf and .nan, JSON's 1e400) the text YAML gives them,
    as no table or chart can show them."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
