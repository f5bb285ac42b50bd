"""Charts of data tables, drawn at build time as inline SVG (no script, no chart library).

Charts are laid out in CSS pixels with percentage widths, so text stays the same size at any
screen width while bars stretch. Colours come from CSS custom properties via classes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .tables import Table
from .values import Range, format_money, format_number

LINE = 18  # height of one line of label text
BAR = 18
LABEL_CHARACTERS = 34  # longer labels take two lines, to stay legible on a 360 px screen
PLOT = 96.0  # percent of the width bars may use, leaving room for a marker at the end


@dataclass(frozen=True)
class Bar:
    """One row of a chart: its label and where its bar starts and ends on the axis."""

    label: tuple[str, ...]  # one or two lines
    start: float
    end: float | None  # None: open-ended, runs to the edge
    marker: float | None = None


def share_bars(table: Table, label: str, value: str, chart_id: str) -> Markup:
    """Horizontal bars, one per row, for percentages or other amounts."""
    rows = [(str(row[label]), row[value]) for row in table.rows if row[value] is not None]
    amounts = [_amount(v) for _, v in rows]
    top = 100.0 if table.column(value).type == "percent" else max(amounts, default=1) or 1
    bars = [Bar(_label(name, str(v)), 0, _amount(v)) for name, v in rows]
    words = "; ".join(f"{name}, {v}" for name, v in rows)
    desc = f"{table.column(value).label} by {table.column(label).label.lower()}: {words}."
    return _svg(chart_id, table.title, desc, bars, top, axis=None)


def range_bars(table: Table, label: str, value: str, chart_id: str) -> Markup:
    """Bars from each range's lower to its upper end on a shared axis from zero."""
    rows = [(str(row[label]), row[value]) for row in table.rows if row[value] is not None]
    top = _nice_top([r.max if r.max is not None else r.min * 1.25 for _, r in rows])
    bars = [Bar(_label(name, str(r)), r.min, r.max) for name, r in rows]
    words = "; ".join(f"{name}, {_range_words(r)}" for name, r in rows)
    desc = f"{table.column(value).label} by {table.column(label).label.lower()}: {words}."
    return _svg(chart_id, table.title, desc, bars, top, axis=_formatter(rows[0][1]))


def comparison_bars(
    ranges: Table,
    range_column: str,
    values: Table,
    value_column: str,
    ref_column: str,
    chart_id: str,
) -> Markup:
    """Ranges of one table with the matching values of another marked on them."""
    bars, words, tops = [], [], []
    for row in values.rows:
        other = ranges.get(row[ref_column])
        band: Range = other[range_column]
        amount = _amount(row[value_column])
        text = f"range {band} · {values.column(value_column).label.lower()} {row[value_column]}"
        bars.append(Bar((_row_name(values, row), text), band.min, band.max, amount))
        tops += [band.max if band.max is not None else band.min * 1.25, amount]
        words.append(
            f"{row[values.key]} averages {row[value_column]}, while the range table "
            f"gives {other[ranges.key]} {_range_words(band)}"
        )
    title = f"{ranges.title} compared with {values.title.lower()}"
    desc = "; ".join(words) + "."
    legend = (ranges.column(range_column).label, values.column(value_column).label)
    axis = _formatter(ranges.rows[0][range_column])
    return _svg(chart_id, title, desc, bars, _nice_top(tops), axis, legend)


def _svg(
    chart_id: str,
    title: str,
    desc: str,
    bars: list[Bar],
    top: float,
    axis: Callable[[float], str] | None,
    legend: tuple[str, str] | None = None,
) -> Markup:
    def x(value: float) -> str:
        return f"{value / top * PLOT:.2f}%"

    parts: list[str] = []
    y = 0
    if legend:
        parts.append(
            f'<rect class="chart-bar" x="0" y="{y + 4}" width="14" height="14"/>'
            f'<text class="chart-label" x="20" y="{y + 16}">{escape(legend[0])}</text>'
            f'<rect class="chart-marker" x="0" y="{y + 26}" width="14" height="14"/>'
            f'<text class="chart-label" x="20" y="{y + 38}">{escape(legend[1])}</text>'
        )
        y += 48
    for bar in bars:
        for line in bar.label:
            parts.append(f'<text class="chart-label" x="0" y="{y + 14}">{escape(line)}</text>')
            y += LINE
        top_of_bar = y + 4
        end = top if bar.end is None else bar.end
        kind = "chart-bar chart-open" if bar.end is None else "chart-bar"
        parts.append(
            f'<rect class="{kind}" x="{x(bar.start)}" y="{top_of_bar}" '
            f'width="{x(end - bar.start)}" height="{BAR}"/>'
        )
        if bar.marker is not None:
            parts.append(
                f'<line class="chart-marker-line" x1="{x(bar.marker)}" x2="{x(bar.marker)}" '
                f'y1="{top_of_bar - 4}" y2="{top_of_bar + BAR + 4}"/>'
            )
        y = top_of_bar + BAR + 14
    if axis is not None:
        parts.append(
            f'<line class="chart-axis" x1="0" x2="{PLOT:.0f}%" y1="{y + 2}" y2="{y + 2}"/>'
        )
        for tick in _ticks(top):
            anchor = "start" if tick == 0 else "end" if tick / top > 0.8 else "middle"
            parts.append(
                f'<text class="chart-tick" x="{x(tick)}" y="{y + 20}" '
                f'text-anchor="{anchor}">{escape(axis(tick))}</text>'
            )
        y += 28
    head = (
        f'<svg class="chart" role="img" width="100%" height="{y + 4}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(parts) + "</svg>")


def _label(name: str, value: str) -> tuple[str, ...]:
    """Return a bar's label: 'name: value' on one line, or on two if that is too long."""
    text = f"{name}: {value}"
    return (text,) if len(text) <= LABEL_CHARACTERS else (name, value)


def _row_name(table: Table, row: dict) -> str:
    """Return a row's key, with its span of years if the table has one."""
    span = next((c.name for c in table.columns if c.type == "year_span"), None)
    return f"{row[table.key]} ({row[span]})" if span and row[span] else str(row[table.key])


def _amount(value) -> float:
    for attribute in ("amount", "value"):
        if hasattr(value, attribute):
            return float(getattr(value, attribute))
    return float(value)


def _range_words(band: Range) -> str:
    if band.max is None:
        return f"from {band.show(band.min)} upwards"
    return f"from {band.show(band.min)} to {band.show(band.max)}"


def _formatter(sample) -> Callable[[float], str]:
    currency = getattr(sample, "currency", "")
    return (lambda v: format_money(v, currency)) if currency else format_number


def _nice_top(values: list[float]) -> float:
    """Return a round axis end a little above the largest value."""
    largest = max(values, default=1) or 1
    step = _step(largest)
    return math.ceil(largest / step) * step


def _step(top: float) -> float:
    magnitude = 10 ** math.floor(math.log10(top))
    for factor in (1, 2, 5, 10):
        if top / (factor * magnitude) <= 5:
            return factor * magnitude
    return 10 * magnitude


def _ticks(top: float) -> list[float]:
    step = _step(top)
    count = int(round(top / step))
    return [i * step for i in range(count + 1) if i * step <= top and (i % 2 == 0 or count <= 4)]


def flow_diagram(table: Table, label: str, chart_id: str) -> Markup:
    """A top-to-bottom diagram of a table's rows as numbered steps joined by arrows."""
    box, gap = 32, 16
    parts, y = [], 0
    names = [str(row[label]) for row in table.rows]
    for number, name in enumerate(names, start=1):
        parts.append(
            f'<rect class="flow-box" x="1" y="{y + 1}" width="99%" height="{box}" rx="6"/>'
            f'<text class="chart-label" x="12" y="{y + 21}">{number}. {escape(name)}</text>'
        )
        y += box + 2
        if number < len(names):
            parts.append(
                f'<line class="flow-arrow" x1="50%" x2="50%" y1="{y}" y2="{y + gap - 6}"/>'
                f'<svg x="50%" y="{y + gap - 8}" overflow="visible">'
                f'<path class="flow-head" d="M-5 0 L5 0 L0 7 Z"/></svg>'
            )
            y += gap
    steps = "; ".join(f"{n}. {name}" for n, name in enumerate(names, start=1))
    desc = f"{len(names)} steps in order: {steps}."
    head = (
        f'<svg class="chart flow" role="img" width="100%" height="{y + 2}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(table.title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(parts) + "</svg>")
