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
from datetime import date

from django.utils.formats import get_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from diary.chart_drawing import (
    INK,
    bed_change_marks,
    daily_points,
    empty_plot,
    plot_scales,
    px,
    reference_line,
    series,
    svg_start,
    weekly_points,
    x_axis,
    y_axis,
)
from diary.dates import long_date
from diary.peg import PEG_MEANINGFUL_SHARE, PegRecord
from diary.rules import MORNING_PAIN_LIMIT_MIN, BedChange, NightRecord

# Above this many days a point per night is too dense to read (and bloats the SVG): plot weekly means.
WEEKLY_ABOVE_DAYS = 120
DESC_BED_CHANGES = 10  # bed changes named in the text alternative before "and N more"


@dataclass(frozen=True, slots=True)
class _Spec:
    kind: str  # used in element ids
    title: str
    y_label: str
    unit: str  # a value with its unit in the text alternative, "%(value)s out of 10" (translated)
    value: Callable[[NightRecord], float]


def night_pain_chart(
    nights: Sequence[NightRecord],
    bed_changes: Sequence[BedChange],
    start: date,
    end: date,
    id_prefix: str | None = None,
) -> str:
    """Worst night pain (0–10) per night from `start` to `end`, with bed changes marked."""
    spec = _Spec(
        "night-pain", _("Night pain"), _("Night pain (0–10)"), _("%(value)s out of 10"), lambda n: n.night_pain
    )
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
        _("Morning pain"),
        _("Minutes"),
        _("%(value)s minutes"),
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

    x, y = plot_scales(start, span_days, 10)
    title = _title(_("Weekly PEG score"), start, end)
    parts = svg_start(prefix, title, _peg_description(shown, start, end))
    parts += y_axis(gettext("PEG score (0–10)"), 10, 2, y)
    parts += x_axis(start, end, span_days, x, label=gettext("Day of the check-in"))
    if shown and shown[0].score > 0:
        parts.append(
            reference_line(y(shown[0].score * (1 - PEG_MEANINGFUL_SHARE)), gettext("30 % better than the first"))
        )
    if shown:
        coords = " ".join(f"{px(x(c.date))},{px(y(c.score))}" for c in shown)
        parts.append('<g class="series" aria-hidden="true">')
        if len(shown) > 1:
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{INK}" stroke-width="2" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        parts += [f'<circle cx="{px(x(c.date))}" cy="{px(y(c.score))}" r="3" fill="{INK}"/>' for c in shown]
        parts.append("</g>")
    else:
        parts.append(empty_plot(gettext("No weekly check-ins in this period yet.")))
    parts.append("</svg>")
    return "".join(parts)


def _peg_description(shown: list[PegRecord], start: date, end: date) -> str:
    period = _period(start, end)
    if not shown:
        return gettext("%(period)s: no weekly check-ins yet.") % {"period": period}
    first, latest = shown[0], shown[-1]
    count = ngettext("%(count)s check-in", "%(count)s check-ins", len(shown)) % {"count": len(shown)}
    sentences = [
        f"{period}: {count}.",
        gettext("First score %(score)s on %(date)s.")
        % {"score": _number(first.score), "date": long_date(first.date, abbreviated=True)},
    ]
    if len(shown) > 1:
        sentences.append(
            gettext("Latest score %(score)s on %(date)s.")
            % {"score": _number(latest.score), "date": long_date(latest.date, abbreviated=True)}
        )
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
    points = weekly_points(in_period, spec.value, start, end) if weekly else daily_points(in_period, spec.value, start)
    prefix = id_prefix or _default_prefix(spec.kind, in_period, changes, start, end)

    x, y = plot_scales(start, span_days, y_max)
    title = _title(spec.title, start, end)
    parts = svg_start(prefix, title, _description(spec, in_period, changes, start, end, span_days, weekly))
    parts += y_axis(spec.y_label, y_max, y_step, y)
    parts += x_axis(start, end, span_days, x)
    if reference is not None and reference < y_max:
        parts.append(reference_line(y(reference), gettext("%(minutes)s min") % {"minutes": reference}))
    parts += bed_change_marks(changes, x)
    if points:
        parts += series(points, x, y, dots=not weekly)
    else:
        parts.append(empty_plot(gettext("No nights logged in this period yet.")))
    parts.append("</svg>")
    return "".join(parts)


def _description(
    spec: _Spec,
    nights: list[NightRecord],
    changes: list[BedChange],
    start: date,
    end: date,
    span_days: int,
    weekly: bool,
) -> str:
    period = _period(start, end)
    if not nights:
        return gettext("%(period)s: no nights logged yet.") % {"period": period}
    logged = len({n.date for n in nights})
    values = [spec.value(n) for n in nights]
    mean = sum(values) / len(values)
    highest = max(nights, key=spec.value)
    sentences = [
        gettext("%(period)s: %(logged)s of %(days)s nights logged.")
        % {"period": period, "logged": logged, "days": span_days},
        gettext("Mean %(mean)s; highest %(highest)s on %(date)s.")
        % {
            "mean": spec.unit % {"value": _number(mean)},
            "highest": spec.unit % {"value": _number(spec.value(highest))},
            "date": long_date(highest.date, abbreviated=True),
        },
    ]
    if weekly:
        sentences.append(gettext("Shown as weekly means because the period is long."))
    sentences.append(gettext("Gaps in the line are nights not logged."))
    if changes:
        named = "; ".join(
            gettext("%(date)s to %(bed)s") % {"date": long_date(c.date, abbreviated=True), "bed": c.to_bed}
            for c in changes[:DESC_BED_CHANGES]
        )
        more = len(changes) - DESC_BED_CHANGES
        count = ngettext("%(count)s bed change", "%(count)s bed changes", len(changes)) % {"count": len(changes)}
        if more > 0:
            named = gettext("%(named)s and %(more)s more") % {"named": named, "more": more}
        sentences.append(f"{count}: {named}.")
    else:
        sentences.append(gettext("No bed changes."))
    return " ".join(sentences)


def _default_prefix(kind: str, nights: list[NightRecord], changes: list[BedChange], start: date, end: date) -> str:
    """A deterministic id prefix, different for each chart kind, period and data set on one page.

    Pass `id_prefix` to tell apart two charts of the very same data on one page.
    """
    pain = sum(n.night_pain for n in nights)
    minutes = sum(n.morning_pain_minutes for n in nights)
    fingerprint = f"{kind}|{start}|{end}|{len(nights)}|{pain}|{minutes}|{len(changes)}"
    return f"chart-{kind}-{hashlib.blake2s(fingerprint.encode(), digest_size=4).hexdigest()}"


def _title(chart: str, start: date, end: date) -> str:
    return gettext("%(chart)s, %(start)s to %(end)s") % {
        "chart": chart,
        "start": long_date(start, abbreviated=True),
        "end": long_date(end, abbreviated=True),
    }


def _period(start: date, end: date) -> str:
    return gettext("From %(start)s to %(end)s") % {
        "start": long_date(start, abbreviated=True),
        "end": long_date(end, abbreviated=True),
    }


def _number(value: float) -> str:
    """To one decimal, without a trailing ".0", in the reader's decimal mark (3.5; Russian 3,5)."""
    return f"{value:.1f}".removesuffix(".0").replace(".", get_format("DECIMAL_SEPARATOR"))
