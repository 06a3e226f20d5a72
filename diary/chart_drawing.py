"""Drawing pieces shared by the SVG charts (diary/charts.py): the canvas, the points of a
series, the axes and their date ticks, and the bed-change marks with their labels.

Every piece of text is XML-escaped here; see diary/charts.py for why the charts are hand-written SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext

from diary.dates import long_date
from diary.rules import BedChange, NightRecord

# Canvas (viewBox units; the SVG scales to the width of its container).
WIDTH, HEIGHT = 520, 260
LEFT, RIGHT, TOP, BOTTOM = 54, 14, 40, 52
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM

INK = "#1d4e89"  # the site's brand blue; dark enough to print as near-black
GRID = "#d0d4da"
AXIS = "#4a4f57"
BED_INK = "#8a4b00"
FONT = 'font-family="sans-serif"'


@dataclass(frozen=True, slots=True)
class Point:
    day: date  # where it is drawn on the time axis
    value: float
    step: int  # index of the day or week, so neighbours can be told from gaps


def plot_scales(start: date, span_days: int, y_max: float) -> tuple[Callable[[date], float], Callable[[float], float]]:
    """x(day) and y(value) on the plot for a period of `span_days` from `start` and a 0–`y_max` axis
    (a value beyond the axis is drawn at its end)."""

    def x(day: date) -> float:
        if span_days == 1:
            return LEFT + PLOT_W / 2
        return LEFT + (day - start).days / (span_days - 1) * PLOT_W

    def y(value: float) -> float:
        return TOP + PLOT_H - min(max(value, 0), y_max) / y_max * PLOT_H

    return x, y


def svg_start(prefix: str, title: str, desc: str) -> list[str]:
    """The opening of a chart: the <svg> with its accessible title and text alternative, and a white canvas."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="diary-chart" id="{prefix}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]


def reference_line(at_y: float, label: str) -> str:
    """A dotted horizontal line across the plot at `at_y`, labelled just above its left end."""
    ry = px(at_y)
    return (
        f'<g aria-hidden="true"><line x1="{LEFT}" y1="{ry}" x2="{LEFT + PLOT_W}" y2="{ry}" stroke="{AXIS}" '
        f'stroke-width="1" stroke-dasharray="1 3"/><text x="{LEFT + 4}" y="{px(at_y - 3)}" '
        f'font-size="12" {FONT} fill="{AXIS}">{escape(label)}</text></g>'
    )


def empty_plot(message: str) -> str:
    """`message` in the middle of a plot with nothing to draw."""
    return (
        f'<text x="{LEFT + PLOT_W / 2}" y="{TOP + PLOT_H / 2}" text-anchor="middle" font-size="14" {FONT} '
        f'fill="{AXIS}">{escape(message)}</text>'
    )


def daily_points(nights: list[NightRecord], value: Callable[[NightRecord], float], start: date) -> list[Point]:
    by_day = {n.date: n for n in nights}  # one night per date; the last one wins if a caller repeats one
    return [Point(day, float(value(n)), (day - start).days) for day, n in sorted(by_day.items())]


def weekly_points(
    nights: list[NightRecord], value: Callable[[NightRecord], float], start: date, end: date
) -> list[Point]:
    """The mean per Monday-to-Sunday week, drawn mid-week (kept inside the period)."""
    # Day ordinal 1 (1 Jan of year 1) is a Monday, so (ordinal - 1) // 7 numbers the weeks.
    weeks: dict[int, list[float]] = {}
    for n in nights:
        weeks.setdefault((n.date.toordinal() - 1) // 7, []).append(value(n))
    points = []
    for week, values in sorted(weeks.items()):
        middle = min(max(date.fromordinal(week * 7 + 4), start), end)
        points.append(Point(middle, sum(values) / len(values), week))
    return points


def series(points: list[Point], x, y, dots: bool) -> list[str]:
    """Runs of consecutive days (or weeks) as lines; a lone point as a dot. Gaps stay gaps.

    With `dots`, every night also gets a small dot, so single nights can be counted.
    """
    runs: list[list[Point]] = [[points[0]]]
    for point in points[1:]:
        if point.step == runs[-1][-1].step + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    parts = ['<g class="series" aria-hidden="true">']
    for run in runs:
        if len(run) == 1:
            p = run[0]
            parts.append(f'<circle class="lone" cx="{px(x(p.day))}" cy="{px(y(p.value))}" r="3" fill="{INK}"/>')
        else:
            coords = " ".join(f"{px(x(p.day))},{px(y(p.value))}" for p in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
            if dots:
                parts += [f'<circle cx="{px(x(p.day))}" cy="{px(y(p.value))}" r="2" fill="{INK}"/>' for p in run]
    parts.append("</g>")
    return parts


def y_axis(label: str, y_max: int, y_step: int, y) -> list[str]:
    parts = ['<g class="y-axis" aria-hidden="true">']
    for value in range(0, y_max + 1, y_step):
        gy = px(y(value))
        parts.append(
            f'<line x1="{LEFT}" y1="{gy}" x2="{LEFT + PLOT_W}" y2="{gy}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{px(y(value) + 4.5)}" text-anchor="end" font-size="13" {FONT} '
            f'fill="{AXIS}">{value}</text>'
        )
    mid = TOP + PLOT_H / 2
    parts.append(
        f'<text x="12" y="{px(mid)}" transform="rotate(-90 12 {px(mid)})" text-anchor="middle" font-size="13" '
        f'{FONT} fill="{AXIS}">{escape(str(label))}</text>'
    )
    parts.append("</g>")
    return parts


def x_axis(
    start: date, end: date, span_days: int, x, label: str = gettext_lazy("Morning the night ended")
) -> list[str]:
    base = TOP + PLOT_H
    parts = [
        '<g class="x-axis" aria-hidden="true">',
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + PLOT_W}" y2="{base}" stroke="{AXIS}" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{AXIS}" stroke-width="1"/>',
    ]
    for day, text in _x_ticks(start, end, span_days):
        tx = px(x(day))
        # A label on the plot's left edge starts there (centred, it ran into the y axis's "0"), one on
        # the right edge ends there (inside the canvas).
        anchor = "start" if x(day) <= LEFT + 1 else "end" if x(day) >= LEFT + PLOT_W - 1 else "middle"
        parts.append(
            f'<line x1="{tx}" y1="{TOP}" x2="{tx}" y2="{base}" stroke="{GRID}" stroke-width="1"/>'
            f'<line x1="{tx}" y1="{base}" x2="{tx}" y2="{base + 4}" stroke="{AXIS}" stroke-width="1"/>'
            f'<text x="{tx}" y="{base + 19}" text-anchor="{anchor}" font-size="13" {FONT} fill="{AXIS}">'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<text x="{LEFT + PLOT_W / 2}" y="{HEIGHT - 6}" text-anchor="middle" font-size="13" {FONT} '
        f'fill="{AXIS}">{escape(str(label))}</text>'
    )
    parts.append("</g>")
    return parts


def _x_ticks(start: date, end: date, span_days: int) -> list[tuple[date, str]]:
    """About 4–12 readable date ticks for the period."""
    if span_days <= 10:
        # Every night up to a week; every other night beyond, so 13 px labels do not collide.
        days = [start + timedelta(days=i) for i in range(0, span_days, 1 if span_days <= 7 else 2)]
        return [(d, _tick(d, "day")) for d in days]
    if span_days <= 45:
        days = [start + timedelta(days=i) for i in range(0, span_days, 7)]
        return [(d, _tick(d, "day")) for d in days]
    if span_days <= 400:
        every = 1 if span_days <= 200 else 2
    elif span_days <= 1100:
        every = 3 if span_days <= 750 else 6
    else:
        every = 12
    ticks = []
    for first in _month_starts(start, end, every):
        if every == 12:
            years = (end.year - start.year) + 1
            if (first.year - start.year) % max(1, -(-years // 10)):
                continue
            ticks.append((first, str(first.year)))
        else:
            ticks.append((first, _tick(first, "month and year" if first.month == 1 or not ticks else "month")))
    return ticks or [(start, _tick(start, "day and year")), (end, _tick(end, "day and year"))]


def _tick(day: date, shape: str) -> str:
    """An axis label in the reader's language: short, so 13 px labels do not collide ("3 Nov",
    "Nov 2026"; Russian numbers the day and month instead, "03.11", as its short forms do)."""
    formats = {
        "day": pgettext("chart axis: day and month", "j M"),
        "day and year": pgettext("chart axis: day, month and year", "j M Y"),
        "month": pgettext("chart axis: month", "M"),
        "month and year": pgettext("chart axis: month and year", "M Y"),
    }
    return date_format(day, formats[shape])


def _month_starts(start: date, end: date, every: int) -> list[date]:
    """First days of the month within [start, end], on months divisible by `every` (Jan = 0)."""
    year, month = start.year, start.month
    firsts = []
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        if first >= start and (month - 1) % every == 0:
            firsts.append(first)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return firsts


# Bed-change labels: 12 px text in two rows above the plot. Widths are estimated generously (a
# wide sans-serif averages ~0.6 em a character), so labels placed apart here never touch once drawn.
BED_LABEL_ROWS = (12, 28)  # baselines: 16 px apart, so two rows of 12 px text never touch
BED_LABEL_FONT = 12
BED_LABEL_CHAR_W = 0.66 * BED_LABEL_FONT
BED_LABEL_GAP = 6  # between two labels in a row
BED_LABEL_CHARS = 16  # longer bed names are shortened with "…"


def _label_width(text: str) -> float:
    return len(text) * BED_LABEL_CHAR_W


def _place_bed_labels(changes: list[BedChange], x) -> list[tuple[str, float, str, int] | None]:
    """(text, text_x, anchor, y) for each bed change's label, or None when no room is left.

    Greedy, left to right: each label goes in the first row where it fits beside the labels
    already there, shortened ("…") only when it fits nowhere whole; a change with no room at
    all keeps its line and its tooltip, and is named in the chart's text alternative.
    """
    rows: dict[int, list[tuple[float, float]]] = {row: [] for row in BED_LABEL_ROWS}
    placed: list[tuple[str, float, str, int] | None] = []
    for change in changes:
        cx = x(change.date)
        name = change.to_bed
        if len(name) > BED_LABEL_CHARS:
            name = name[: BED_LABEL_CHARS - 1] + "…"
        candidates = [name] + [name[:n] + "…" for n in range(min(len(name), BED_LABEL_CHARS) - 2, 1, -1)]
        spot = None
        for text in candidates:
            width = _label_width(text)
            # Start at the line, or end at it when the text would run off the right edge.
            anchor = "start" if cx + 3 + width <= WIDTH - 2 else "end"
            left = cx + 3 if anchor == "start" else cx - 3 - width
            if left < 2:
                continue
            for row, taken in rows.items():
                if all(left + width + BED_LABEL_GAP <= a or b + BED_LABEL_GAP <= left for a, b in taken):
                    taken.append((left, left + width))
                    spot = (text, cx + 3 if anchor == "start" else cx - 3, anchor, row)
                    break
            if spot:
                break
        placed.append(spot)
    return placed


def bed_change_marks(changes: list[BedChange], x) -> list[str]:
    parts = []
    for change, spot in zip(changes, _place_bed_labels(changes, x), strict=True):
        cx = px(x(change.date))
        full = gettext("Bed change on %(date)s: %(from_bed)s → %(to_bed)s") % {
            "date": long_date(change.date, abbreviated=True),
            "from_bed": change.from_bed,
            "to_bed": change.to_bed,
        }
        line_top = (spot[3] if spot else BED_LABEL_ROWS[-1]) + 3
        parts.append(
            f'<g class="bed-change"><title>{escape(full)}</title>'
            f'<line x1="{cx}" y1="{line_top}" x2="{cx}" y2="{TOP + PLOT_H}" stroke="{BED_INK}" '
            f'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
        if spot:
            text, text_x, anchor, row = spot
            parts.append(
                f'<text x="{px(text_x)}" y="{row}" text-anchor="{anchor}" font-size="{BED_LABEL_FONT}" {FONT} '
                f'fill="{BED_INK}">{escape(text)}</text>'
            )
        parts.append("</g>")
    return parts


def px(value: float) -> str:
    return f"{value:.1f}"
