"""Charts as inline SVG drawn on the server: the report opens offline with no script and no chart library.

Every chart has a ``<title>`` and ``<desc>`` it is labelled by, axis labels, a ``viewBox`` (the page's CSS
scales it to the column's width) and a ``<title>`` on each mark for its exact number. Every text is escaped:
outlet, entity and speaker names are page data.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from html import escape

WIDTH = 960
FONT = 14   # px in the viewBox
CHAR = 7.7   # rough width of one character at FONT, to size labels and wrap the legend
BAR, GAP = 20, 6   # a horizontal bar's thickness and the space between bars
ROW = 20   # a heatmap row's height
MAX_LABEL = 34   # characters of a row label; a longer one is cut, whole in its mark's <title>
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")
EMPTY_CELL = "#f3f4f6"
LOW, HIGH = (239, 243, 255), (8, 69, 148)   # a heatmap's colours for 0 and its maximum
DAY_TICKS = 8   # at most this many dates under a day axis


def horizontal_bars(key: str, title: str, desc: str, labels: Sequence[str], series: Sequence[str],
                    values: Sequence[Sequence[float]], *, axis: str) -> str:
    """A bar per label, stacked by series (``values[label][series]``); one series draws no legend."""
    label_width = _label_width(labels)
    legend, legend_height = _legend(series, label_width) if len(series) > 1 else ("", 0)
    top = 8 + legend_height
    plot = WIDTH - label_width - 56   # room right of the longest bar for its number
    scale, ticks = _scale(max((sum(row) for row in values), default=0), plot)
    bottom = top + len(labels) * (BAR + GAP)
    marks = []
    for index, (label, row) in enumerate(zip(labels, values, strict=True)):
        y = top + index * (BAR + GAP)
        marks.append(_text(label_width - 8, y + BAR / 2, _cut(label), anchor="end", title=label))
        x = label_width
        for number, (name, value) in enumerate(zip(series, row, strict=True)):
            if value:
                tip = f"{label}: {_number(value)}" + (f" {name}" if len(series) > 1 else "")
                marks.append(_rect(x, y, value * scale, BAR, _colour(number), tip))
                x += value * scale
        marks.append(_text(x + 4, y + BAR / 2, _number(sum(row)), css="value"))
    grid = "".join(_line(label_width + t * scale, top - 4, label_width + t * scale, bottom, "grid")
                   + _text(label_width + t * scale, bottom + 14, _number(t), anchor="middle") for t in ticks)
    axis_label = _text(label_width + plot / 2, bottom + 34, axis, anchor="middle", css="axis")
    return _svg(key, title, desc, bottom + 44, legend + grid + "".join(marks) + axis_label)


def day_columns(key: str, title: str, desc: str, counts: Mapping[tuple[date, str], float], series: Sequence[str],
                *, axis: str) -> str:
    """A column per day from the first to the last day in ``counts`` (``(day, series) -> value``), stacked
    by series; days without a value stay empty, so gaps in time show as gaps."""
    left = 56
    legend, legend_height = _legend(series, left)
    top, height = 8 + legend_height, 260
    days = _days(day for day, _ in counts)
    plot = WIDTH - left - 16
    slot = plot / len(days)
    totals = {day: sum(counts.get((day, name), 0) for name in series) for day in days}
    scale, ticks = _scale(max(totals.values()), height)
    bottom = top + height
    marks = []
    for index, day in enumerate(days):
        y = bottom
        for number, name in enumerate(series):
            value = counts.get((day, name), 0)
            if value:
                y -= value * scale
                marks.append(_rect(left + index * slot + slot * 0.1, y, max(slot * 0.8, 0.5), value * scale, _colour(number),
                                   f"{day.isoformat()}, {name}: {_number(value)}"))
    grid = "".join(_line(left, bottom - t * scale, left + plot, bottom - t * scale, "grid")
                   + _text(left - 6, bottom - t * scale, _number(t), anchor="end") for t in ticks)
    y_label = (f'<text class="axis" transform="translate(14 {top + height / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape(axis)}</text>')
    x_axis = _day_axis(days, left, slot, bottom)
    return _svg(key, title, desc, bottom + 44, legend + grid + "".join(marks) + y_label + x_axis)


def heatmap(key: str, title: str, desc: str, cells: Mapping[tuple[str, date], float], rows: Sequence[str], *,
            maximum: float, shown: Callable[[float], str], heading: str) -> str:
    """A row per ``rows`` entry and a column per day from the first to the last day in ``cells``
    (``(row, day) -> value``), darker for higher values up to ``maximum``; a day without a value is grey.
    ``heading`` is written above it: small multiples of one kind need their names on the picture."""
    label_width = _label_width(rows)
    top = 54
    days = _days(day for _, day in cells)
    plot = WIDTH - label_width - 16
    slot = plot / len(days)
    marks = []
    for index, row in enumerate(rows):
        y = top + index * ROW
        marks.append(_text(label_width - 8, y + ROW / 2, _cut(row), anchor="end", title=row))
        marks.append(_rect(label_width, y + 1, plot, ROW - 2, EMPTY_CELL, f"{row}: no articles that day"))
        for column, day in enumerate(days):
            value = cells.get((row, day))
            if value is not None:
                marks.append(_rect(label_width + column * slot, y + 1, max(slot, 0.5), ROW - 2,
                                   _shade(value / maximum if maximum else 0), f"{row}, {day.isoformat()}: {shown(value)}"))
    bottom = top + len(rows) * ROW
    key_marks = "".join(_rect(label_width + i * 40, 26, 40, 14, _shade(i / 4), shown(maximum * i / 4)) for i in range(5))
    key_text = (_text(8, 11, heading, css="axis")
                + _text(label_width + 206, 33, f"{shown(0)} to {shown(maximum)}; grey: no article that day"))
    return _svg(key, title, desc, bottom + 44, key_marks + key_text + "".join(marks) + _day_axis(days, label_width, slot, bottom))


def _svg(key: str, title: str, desc: str, height: float, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {math.ceil(height)}" role="img" '
            f'aria-labelledby="{key}-title {key}-desc" font-size="{FONT}">'
            f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(desc)}</desc>{body}</svg>')


def _legend(series: Sequence[str], left: float) -> tuple[str, int]:
    """Swatches with the series' names, wrapped to the chart's width; the markup and its height."""
    items, x, y = [], left, 0
    for number, name in enumerate(series):
        width = 22 + len(_cut(name)) * CHAR + 14
        if x + width > WIDTH and x > left:
            x, y = left, y + 20
        items.append(_rect(x, y + 4, 14, 14, _colour(number), name) + _text(x + 20, y + 11, _cut(name)))
        x += width
    return "".join(items), y + 28


def _day_axis(days: list[date], left: float, slot: float, y: float) -> str:
    """Dates under a day axis (at most ``DAY_TICKS``) and the axis' label."""
    step = max(1, math.ceil(len(days) / DAY_TICKS))
    ticks = "".join(_text(left + (index + 0.5) * slot, y + 14, day.isoformat(), anchor="middle")
                    for index, day in enumerate(days) if index % step == 0)
    return ticks + _text(left + len(days) * slot / 2, y + 34, "day (UTC)", anchor="middle", css="axis")


def _days(found) -> list[date]:
    """Every day from the first to the last of ``found``."""
    days = set(found)
    first, last = min(days), max(days)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _scale(maximum: float, length: float) -> tuple[float, list[float]]:
    """Units per value along ``length`` and round tick values from 0 past ``maximum`` (1, 2 or 5 × 10^k apart,
    and at least 1 apart from a maximum of 1 up: the charts count things)."""
    if maximum <= 0:
        return 0.0, [0]
    rough = maximum / 5
    power = 10 ** math.floor(math.log10(rough))
    step = next(n * power for n in (1, 2, 5, 10) if n * power >= rough)
    if step < 1 and maximum >= 1:
        step = 1
    count = math.ceil(maximum / step)
    return length / (count * step), [n * step for n in range(count + 1)]


def _colour(number: int) -> str:
    """The ``number``th series' colour (the palette repeats past its end)."""
    return PALETTE[number % len(PALETTE)]


def _shade(fraction: float) -> str:
    fraction = min(max(fraction, 0.0), 1.0)
    red, green, blue = (round(low + (high - low) * fraction) for low, high in zip(LOW, HIGH, strict=True))
    return f"#{red:02x}{green:02x}{blue:02x}"


def _label_width(labels: Sequence[str]) -> int:
    return round(16 + CHAR * max((len(_cut(label)) for label in labels), default=4))


def _cut(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _rect(x: float, y: float, width: float, height: float, colour: str, title: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}">'
            f"<title>{escape(title)}</title></rect>")


def _line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line class="{css}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def _text(x: float, y: float, text: str, *, anchor: str = "start", css: str = "", title: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    tip = f"<title>{escape(title)}</title>" if title and title != text else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle"{cls}>'
            f"{tip}{escape(text)}</text>")
