"""Server-side SVG charts of a diary: night pain and morning-pain minutes over time.

Used by the diary's charts page, the report page and the PDF, so every picture is the same.

Why hand-written SVG rather than matplotlib:

* speed: ten years (3,650 nights) render in a few milliseconds; matplotlib needs ~100 ms+ per
  figure and a heavy import;
* a strict Content-Security-Policy: only presentation attributes (``fill=``, ``stroke=``) are
  used, never ``style=""`` or ``<style>``, which matplotlib emits and CSP would block;
* deterministic output, so tests can parse and compare it;
* accessibility: ``role="img"`` with a ``<title>`` and a ``<desc>`` that says in words what the
  chart shows (period, nights logged, mean and highest value, bed changes).

The functions return a plain ``str``. Every piece of text inside (bed names, dates, labels) is
XML-escaped here, so callers may mark it safe (``mark_safe``) to embed it inline.

Printed in grayscale, the series, bed changes and reference line differ by dash pattern and
weight as well as colour.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from diary.dates import long_date
from diary.peg import PEG_MEANINGFUL_SHARE, PegRecord
from diary.rules import MORNING_PAIN_LIMIT_MIN, BedChange, NightRecord

# Above this many days a point per night is too dense to read (and bloats the SVG): plot weekly means.
WEEKLY_ABOVE_DAYS = 120
BED_LABEL_CHARS = 16
DESC_BED_CHANGES = 10  # bed changes named in the text alternative before "and N more"

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
class _Point:
    day: date  # where it is drawn on the time axis
    value: float
    step: int  # index of the day or week, so neighbours can be told from gaps


@dataclass(frozen=True, slots=True)
class _Spec:
    kind: str  # used in element ids
    title: str
    y_label: str
    unit: str  # as written after a number in the text alternative
    value: Callable[[NightRecord], float]


def night_pain_chart(
    nights: Sequence[NightRecord],
    bed_changes: Sequence[BedChange],
    start: date,
    end: date,
    id_prefix: str | None = None,
) -> str:
    """Worst night pain (0–10) per night from `start` to `end`, with bed changes marked."""
    spec = _Spec("night-pain", "Night pain", "Night pain (0–10)", " out of 10", lambda n: n.night_pain)
    return _chart(spec, nights, bed_changes, start, end, id_prefix, y_max=10, y_step=2)


def morning_minutes_chart(
    nights: Sequence[NightRecord],
    bed_changes: Sequence[BedChange],
    start: date,
    end: date,
    id_prefix: str | None = None,
) -> str:
    """Minutes of back pain or stiffness after getting up, per night, with bed changes marked.

    A dotted reference line marks 15 minutes, the threshold the report uses.
    """
    spec = _Spec(
        "morning-minutes",
        "Morning pain",
        "Minutes",
        " minutes",
        lambda n: n.morning_pain_minutes,
    )
    in_period = [n.morning_pain_minutes for n in nights if start <= n.date <= end]
    y_max, y_step = _minutes_scale(max(in_period, default=0))
    return _chart(spec, nights, bed_changes, start, end, id_prefix, y_max, y_step, reference=MORNING_PAIN_LIMIT_MIN)


def peg_chart(check_ins: Sequence[PegRecord], start: date, end: date, id_prefix: str | None = None) -> str:
    """The weekly PEG score (0-10, mean of its three items) at each check-in from `start` to `end`.

    Check-ins are weekly, so consecutive ones are joined by a line (a missed week is a longer
    segment, not a gap) and each check-in gets a dot. A dotted line marks 30 % below the first
    score, the meaningful improvement of Krebs 2009.
    """
    if end < start:
        start, end = end, start
    shown = sorted((c for c in check_ins if start <= c.date <= end), key=lambda c: c.date)
    span_days = (end - start).days + 1
    fingerprint = f"peg|{start}|{end}|" + ",".join(f"{c.date}:{c.score}" for c in shown)
    prefix = id_prefix or f"chart-peg-{hashlib.blake2s(fingerprint.encode(), digest_size=4).hexdigest()}"

    def x(day: date) -> float:
        if span_days == 1:
            return LEFT + PLOT_W / 2
        return LEFT + (day - start).days / (span_days - 1) * PLOT_W

    def y(value: float) -> float:
        return TOP + PLOT_H - min(max(value, 0), 10) / 10 * PLOT_H

    title = f"Weekly PEG score, {long_date(start, abbreviated=True)} to {long_date(end, abbreviated=True)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="diary-chart" id="{prefix}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(_peg_description(shown, start, end))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    parts += _y_axis("PEG score (0–10)", 10, 2, y)
    parts += _x_axis(start, end, span_days, x, label="Day of the check-in")
    if shown and shown[0].score > 0:
        target = shown[0].score * (1 - PEG_MEANINGFUL_SHARE)
        ry = _f(y(target))
        parts.append(
            f'<g aria-hidden="true"><line x1="{LEFT}" y1="{ry}" x2="{LEFT + PLOT_W}" y2="{ry}" stroke="{AXIS}" '
            f'stroke-width="1" stroke-dasharray="1 3"/><text x="{LEFT + 4}" y="{_f(y(target) - 3)}" '
            f'font-size="12" {FONT} fill="{AXIS}">30 % better than the first</text></g>'
        )
    if shown:
        coords = " ".join(f"{_f(x(c.date))},{_f(y(c.score))}" for c in shown)
        parts.append('<g class="series" aria-hidden="true">')
        if len(shown) > 1:
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        parts += [f'<circle cx="{_f(x(c.date))}" cy="{_f(y(c.score))}" r="3" fill="{INK}"/>' for c in shown]
        parts.append("</g>")
    else:
        parts.append(
            f'<text x="{LEFT + PLOT_W / 2}" y="{TOP + PLOT_H / 2}" text-anchor="middle" font-size="14" {FONT} '
            f'fill="{AXIS}">No weekly check-ins in this period yet.</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _peg_description(shown: list[PegRecord], start: date, end: date) -> str:
    period = f"From {long_date(start, abbreviated=True)} to {long_date(end, abbreviated=True)}"
    if not shown:
        return f"{period}: no weekly check-ins yet."
    first, latest = shown[0], shown[-1]
    count = f"{len(shown)} check-in{'s' if len(shown) != 1 else ''}"
    sentences = [
        f"{period}: {count}.",
        f"First score {_number(first.score)} on {long_date(first.date, abbreviated=True)}.",
    ]
    if len(shown) > 1:
        sentences.append(f"Latest score {_number(latest.score)} on {long_date(latest.date, abbreviated=True)}.")
    return " ".join(sentences)


def _minutes_scale(highest: float) -> tuple[int, int]:
    """A round top for the minutes axis (at least an hour, so the 15-minute line is visible)."""
    for top, step in ((60, 15), (120, 30), (180, 30), (240, 60), (360, 60), (480, 120), (720, 120)):
        if highest <= top:
            return top, step
    return 1440, 240


def _chart(
    spec: _Spec,
    nights: Sequence[NightRecord],
    bed_changes: Sequence[BedChange],
    start: date,
    end: date,
    id_prefix: str | None,
    y_max: int,
    y_step: int,
    reference: int | None = None,
) -> str:
    if end < start:
        start, end = end, start
    in_period = [n for n in nights if start <= n.date <= end]
    changes = [c for c in bed_changes if start <= c.date <= end]
    span_days = (end - start).days + 1
    weekly = span_days > WEEKLY_ABOVE_DAYS
    points = (
        _weekly_points(in_period, spec.value, start, end) if weekly else _daily_points(in_period, spec.value, start)
    )
    prefix = id_prefix or _default_prefix(spec.kind, in_period, changes, start, end)

    def x(day: date) -> float:
        if span_days == 1:
            return LEFT + PLOT_W / 2
        return LEFT + (day - start).days / (span_days - 1) * PLOT_W

    def y(value: float) -> float:
        return TOP + PLOT_H - min(max(value, 0), y_max) / y_max * PLOT_H

    title = f"{spec.title}, {long_date(start, abbreviated=True)} to {long_date(end, abbreviated=True)}"
    desc = _description(spec, in_period, changes, start, end, span_days, weekly)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="diary-chart" id="{prefix}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    parts += _y_axis(spec.y_label, y_max, y_step, y)
    parts += _x_axis(start, end, span_days, x)
    if reference is not None and reference < y_max:
        ry = _f(y(reference))
        parts.append(
            f'<g aria-hidden="true"><line x1="{LEFT}" y1="{ry}" x2="{LEFT + PLOT_W}" y2="{ry}" stroke="{AXIS}" '
            f'stroke-width="1" stroke-dasharray="1 3"/><text x="{LEFT + 4}" y="{_f(y(reference) - 3)}" '
            f'font-size="12" {FONT} fill="{AXIS}">{reference} min</text></g>'
        )
    parts += _bed_change_marks(changes, x)
    if points:
        parts += _series(points, x, y, dots=not weekly)
    else:
        parts.append(
            f'<text x="{LEFT + PLOT_W / 2}" y="{TOP + PLOT_H / 2}" text-anchor="middle" font-size="14" {FONT} '
            f'fill="{AXIS}">No nights logged in this period yet.</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _daily_points(nights: list[NightRecord], value: Callable[[NightRecord], float], start: date) -> list[_Point]:
    by_day = {n.date: n for n in nights}  # one night per date; the last one wins if a caller repeats one
    return [_Point(day, float(value(n)), (day - start).days) for day, n in sorted(by_day.items())]


def _weekly_points(
    nights: list[NightRecord], value: Callable[[NightRecord], float], start: date, end: date
) -> list[_Point]:
    """The mean per Monday-to-Sunday week, drawn mid-week (kept inside the period)."""
    # Day ordinal 1 (1 Jan of year 1) is a Monday, so (ordinal - 1) // 7 numbers the weeks.
    weeks: dict[int, list[float]] = {}
    for n in nights:
        weeks.setdefault((n.date.toordinal() - 1) // 7, []).append(value(n))
    points = []
    for week, values in sorted(weeks.items()):
        middle = min(max(date.fromordinal(week * 7 + 4), start), end)
        points.append(_Point(middle, sum(values) / len(values), week))
    return points


def _series(points: list[_Point], x, y, dots: bool) -> list[str]:
    """Runs of consecutive days (or weeks) as lines; a lone point as a dot. Gaps stay gaps.

    With `dots`, every night also gets a small dot, so single nights can be counted.
    """
    runs: list[list[_Point]] = [[points[0]]]
    for point in points[1:]:
        if point.step == runs[-1][-1].step + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    parts = ['<g class="series" aria-hidden="true">']
    for run in runs:
        if len(run) == 1:
            p = run[0]
            parts.append(f'<circle class="lone" cx="{_f(x(p.day))}" cy="{_f(y(p.value))}" r="3" fill="{INK}"/>')
        else:
            coords = " ".join(f"{_f(x(p.day))},{_f(y(p.value))}" for p in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
            if dots:
                parts += [f'<circle cx="{_f(x(p.day))}" cy="{_f(y(p.value))}" r="2" fill="{INK}"/>' for p in run]
    parts.append("</g>")
    return parts


def _y_axis(label: str, y_max: int, y_step: int, y) -> list[str]:
    parts = ['<g class="y-axis" aria-hidden="true">']
    for value in range(0, y_max + 1, y_step):
        gy = _f(y(value))
        parts.append(
            f'<line x1="{LEFT}" y1="{gy}" x2="{LEFT + PLOT_W}" y2="{gy}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_f(y(value) + 4.5)}" text-anchor="end" font-size="13" {FONT} '
            f'fill="{AXIS}">{value}</text>'
        )
    mid = TOP + PLOT_H / 2
    parts.append(
        f'<text x="12" y="{_f(mid)}" transform="rotate(-90 12 {_f(mid)})" text-anchor="middle" font-size="13" '
        f'{FONT} fill="{AXIS}">{escape(label)}</text>'
    )
    parts.append("</g>")
    return parts


def _x_axis(start: date, end: date, span_days: int, x, label: str = "Morning the night ended") -> list[str]:
    base = TOP + PLOT_H
    parts = [
        '<g class="x-axis" aria-hidden="true">',
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + PLOT_W}" y2="{base}" stroke="{AXIS}" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{AXIS}" stroke-width="1"/>',
    ]
    for day, text in _x_ticks(start, end, span_days):
        tx = _f(x(day))
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
        f'fill="{AXIS}">{escape(label)}</text>'
    )
    parts.append("</g>")
    return parts


def _x_ticks(start: date, end: date, span_days: int) -> list[tuple[date, str]]:
    """About 4–12 readable date ticks for the period."""
    if span_days <= 10:
        # Every night up to a week; every other night beyond, so 13 px labels do not collide.
        days = [start + timedelta(days=i) for i in range(0, span_days, 1 if span_days <= 7 else 2)]
        return [(d, f"{d.day} {d:%b}") for d in days]
    if span_days <= 45:
        days = [start + timedelta(days=i) for i in range(0, span_days, 7)]
        return [(d, f"{d.day} {d:%b}") for d in days]
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
            ticks.append((first, f"{first:%b %Y}" if first.month == 1 or not ticks else f"{first:%b}"))
    return ticks or [(start, f"{start.day} {start:%b %Y}"), (end, f"{end.day} {end:%b %Y}")]


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


def _bed_change_marks(changes: list[BedChange], x) -> list[str]:
    parts = []
    for change, spot in zip(changes, _place_bed_labels(changes, x), strict=True):
        cx = _f(x(change.date))
        full = f"Bed change on {long_date(change.date, abbreviated=True)}: {change.from_bed} → {change.to_bed}"
        line_top = (spot[3] if spot else BED_LABEL_ROWS[-1]) + 3
        parts.append(
            f'<g class="bed-change"><title>{escape(full)}</title>'
            f'<line x1="{cx}" y1="{line_top}" x2="{cx}" y2="{TOP + PLOT_H}" stroke="{BED_INK}" '
            f'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
        if spot:
            text, text_x, anchor, row = spot
            parts.append(
                f'<text x="{_f(text_x)}" y="{row}" text-anchor="{anchor}" font-size="{BED_LABEL_FONT}" {FONT} '
                f'fill="{BED_INK}">{escape(text)}</text>'
            )
        parts.append("</g>")
    return parts


def _description(
    spec: _Spec,
    nights: list[NightRecord],
    changes: list[BedChange],
    start: date,
    end: date,
    span_days: int,
    weekly: bool,
) -> str:
    period = f"From {long_date(start, abbreviated=True)} to {long_date(end, abbreviated=True)}"
    if not nights:
        return f"{period}: no nights logged yet."
    logged = len({n.date for n in nights})
    values = [spec.value(n) for n in nights]
    mean = sum(values) / len(values)
    highest = max(nights, key=spec.value)
    sentences = [
        f"{period}: {logged} of {span_days} nights logged.",
        f"Mean {_number(mean)}{spec.unit}; highest {_number(spec.value(highest))}{spec.unit} on {long_date(highest.date, abbreviated=True)}.",
    ]
    if weekly:
        sentences.append("Shown as weekly means because the period is long.")
    sentences.append("Gaps in the line are nights not logged.")
    if changes:
        named = "; ".join(f"{long_date(c.date, abbreviated=True)} to {c.to_bed}" for c in changes[:DESC_BED_CHANGES])
        more = len(changes) - DESC_BED_CHANGES
        count = f"{len(changes)} bed change{'s' if len(changes) != 1 else ''}"
        sentences.append(f"{count}: {named}{f' and {more} more' if more > 0 else ''}.")
    else:
        sentences.append("No bed changes.")
    return " ".join(sentences)


def _default_prefix(kind: str, nights: list[NightRecord], changes: list[BedChange], start: date, end: date) -> str:
    """A deterministic id prefix, different for each chart kind, period and data set on one page.

    Pass `id_prefix` to tell apart two charts of the very same data on one page.
    """
    pain = sum(n.night_pain for n in nights)
    minutes = sum(n.morning_pain_minutes for n in nights)
    fingerprint = f"{kind}|{start}|{end}|{len(nights)}|{pain}|{minutes}|{len(changes)}"
    return f"chart-{kind}-{hashlib.blake2s(fingerprint.encode(), digest_size=4).hexdigest()}"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _f(value: float) -> str:
    return f"{value:.1f}"
