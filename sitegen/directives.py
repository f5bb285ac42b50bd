"""The one-line Markdown directives that place a data table or chart in an article.

A directive is a line of its own that starts with three colons (at the margin of the block it
stands in, so a directive may be placed in a list item or a quote too):

    ::: table salary_ranges
    ::: table skills columns=skill,description
    ::: chart industries
    ::: chart salary_ranges value=salary label=level
    ::: chart salary_ranges compare=salary_averages
    ::: flow workflow_steps
    ::: table recipes where="course=Dessert" sort=-rating limit=5 (see selection.py)

Nothing else in Markdown starts a line with ':::', and it cannot be taken for template code.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from .errors import BuildError, SourceSpan, did_you_mean

MARKER = ":::"
OPTIONS = {
    "table": ("columns", "where", "sort", "limit"),
    "chart": ("value", "label", "compare", "where", "sort", "limit"),
    "flow": ("label",),
}


@dataclass(frozen=True)
class Directive:
    """A parsed directive: what to place, from which table, with which options."""

    kind: str
    table: str
    span: SourceSpan
    options: dict[str, str] = field(default_factory=dict)


def parse_directive(
    line: str, span: SourceSpan, more: tuple[str, ...] = ()
) -> tuple[Directive | None, BuildError | None]:
    """Parse `::: KIND TABLE [key=value ...]`; return the directive or a located error. `more`
    names the directives the site's extensions add, for the hint."""
    try:
        words = shlex.split(line[len(MARKER) :])  # a value may be quoted: where="a=b c"
    except ValueError as exc:
        return None, BuildError(span, f"directive line cannot be read: {exc}")
    usage = "write '::: table NAME', '::: chart NAME' or '::: flow NAME', NAME a table"
    if len(words) < 2:
        return None, BuildError(span, f"incomplete directive '{line.strip()}'", usage)
    kind, table, *rest = words
    if kind not in OPTIONS:
        return None, BuildError(
            span, f"unknown directive '{kind}'", did_you_mean(kind, (*OPTIONS, *more))
        )
    options = {}
    for word in rest:
        name, sep, value = word.partition("=")
        if not sep or not value:
            return None, BuildError(span, f"option '{word}' must be written name=value", usage)
        if name not in OPTIONS[kind]:
            return None, BuildError(
                span, f"unknown option '{name}' for {kind}", did_you_mean(name, OPTIONS[kind])
            )
        options[name] = value
    return Directive(kind, table, span, options), None
