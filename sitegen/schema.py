"""Declared fields for YAML mappings (site.yaml, front matter), validated with locations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import BuildError, did_you_mean
from .yamlsrc import Path, YamlDocument

# A kind names the expected type as editors would say it, and how to recognise it.
KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "text": ("text", lambda v: isinstance(v, str)),
    "integer": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "boolean": ("true or false", lambda v: isinstance(v, bool)),
    "date": ("a date (YYYY-MM-DD)", lambda v: isinstance(v, dt.date)),
    "mapping": ("a mapping of keys to values", lambda v: isinstance(v, dict)),
    "list": ("a list", lambda v: isinstance(v, list)),
}


@dataclass(frozen=True)
class Field:
    """One allowed key: its kind, whether it is required, its default and an extra check."""

    name: str
    kind: str
    required: bool = False
    default: Any = None
    check: Callable[[Any], str] | None = None  # returns a problem, or "" when fine
    items: tuple[Field, ...] | None = None  # of a mapping, or of each mapping in a list


def type_name(value: Any) -> str:
    """Return how an editor would name the type of a YAML value."""
    for kind, (_, test) in KINDS.items():
        if test(value):
            return kind
    return "nothing" if value is None else type(value).__name__


def described(value: Any) -> str:
    """A value as a message shows what was written: its kind and, if any, itself."""
    if value is None:
        return "nothing (the value is empty or null)"
    return f"{type_name(value)} {_show(value)}"


def validate_mapping(
    doc: YamlDocument, fields: tuple[Field, ...], where: Path = (), what: str = "key"
) -> tuple[dict[str, Any], list[BuildError]]:
    """Check the mapping at `where` against `fields`; return its values with defaults filled in."""
    errors: list[BuildError] = []
    mapping = _lookup(doc.data, where)
    if not isinstance(mapping, dict):
        errors.append(
            BuildError(
                doc.value_span(where),
                f"expected a mapping of keys to values, got {type_name(mapping)}",
                "write one 'key: value' per line",
            )
        )
        return {}, errors
    known = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    for key in mapping:
        if str(key) not in known:
            errors.append(
                BuildError(
                    doc.key_span((*where, str(key))),
                    f"unknown {what} '{key}'",
                    did_you_mean(str(key), tuple(known)),
                )
            )
    for f in fields:
        here = (*where, f.name)
        if f.name not in mapping or mapping[f.name] is None:
            if f.required:
                errors.append(
                    BuildError(
                        doc.value_span(where) if where else doc.key_span(()),
                        f"missing required {what} '{f.name}'",
                        f"add a line '{f.name}: ...'",
                    )
                )
            values[f.name] = f.default
            continue
        value = mapping[f.name]
        label, test = KINDS[f.kind]
        if not test(value):
            errors.append(
                BuildError(
                    doc.value_span(here),
                    f"'{f.name}' must be {label}, got {described(value)}",
                )
            )
            values[f.name] = f.default
            continue
        problem = f.check(value) if f.check else ""
        if f.required and f.kind == "text" and not value.strip():
            problem = "must not be empty"
        if problem:
            errors.append(BuildError(doc.value_span(here), f"'{f.name}' {problem}"))
        if f.items is not None and f.kind == "mapping":
            value, item_errors = validate_mapping(doc, f.items, here, what=f"{f.name} key")
            errors.extend(item_errors)
        elif f.items is not None:
            value, item_errors = _validate_items(doc, f, here)
            errors.extend(item_errors)
        values[f.name] = value
    return values, errors


def _validate_items(doc: YamlDocument, f: Field, here: Path) -> tuple[list, list[BuildError]]:
    items, errors = [], []
    for index in range(len(_lookup(doc.data, here))):
        item, item_errors = validate_mapping(
            doc, f.items or (), (*here, index), what=f"{f.name} key"
        )
        items.append(item)
        errors.extend(item_errors)
    return items, errors


def _lookup(data: Any, where: Path) -> Any:
    for part in where:
        data = data[part]
    return data


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
