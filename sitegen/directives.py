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

import re
import shlex
from dataclasses import dataclass, field

from .errors import BuildError, SourceSpan, did_you_mean

MARKER = ":::"
WORD = re.compile(r"""(?:[^\s"']|"[^"]*"|'[^']*')+""")
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
    option_spans: dict[str, SourceSpan] = field(default_factory=dict)

    def at(self, option: str) -> SourceSpan:
        """Where an option is written on the line (the line's start if that is not known)."""
        return self.option_spans.get(option, self.span)


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
    places = _word_places(line, span)
    if len(places) != len(words):
        places = [span] * len(words)  # a line shlex reads otherwise (backslashes): its start
    options, option_spans = {}, {}
    for word, at in zip(rest, places[2:], strict=True):
        name, sep, value = word.partition("=")
        if not sep or not value:
            return None, BuildError(at, f"option '{word}' must be written name=value", usage)
        if name not in OPTIONS[kind]:
            return None, BuildError(
                at, f"unknown option '{name}' for {kind}", did_you_mean(name, OPTIONS[kind])
            )
        if name in options:
            return None, BuildError(
                at, f"option '{name}' is given twice", f"keep one '{name}=' on the line"
            )
        options[name], option_spans[name] = value, at
    return Directive(kind, table, span, options, option_spans), None


def _word_places(line: str, span: SourceSpan) -> list[SourceSpan]:
    """Where each word of a directive line starts, quotes kept within their word."""
    return [
        SourceSpan(span.path, span.line, span.column + found.start())
        for found in WORD.finditer(line, len(MARKER))
    ]
