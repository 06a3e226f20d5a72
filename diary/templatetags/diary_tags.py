"""Small presentation filters for the diary pages (labels and durations only; no diary logic)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from diary.choices import MULTI_CHOICE_FIELDS, WOKE_SENTENCES
from diary.dates import long_date
from diary.units import format_temperature

register = template.Library()


@register.filter
def choice_labels(night, field: str) -> str:
    """The labels of a night's multi-choice answers, e.g. `night|choice_labels:"pain_areas"`."""
    choices, _prefix = MULTI_CHOICE_FIELDS[field]
    return ", ".join(str(choices(code).label) for code in getattr(night, field))


@register.filter
def woke_sentence(code: str) -> str:
    """Whether pain woke the person, as the diary list says it: `night.woke_by_pain|woke_sentence`."""
    return str(WOKE_SENTENCES.get(code, ""))


@register.filter
def minutes(value) -> str:
    """Minutes in words a person reads at a glance: 45 → "45 min", 90 → "1 h 30 min" ("1 ч 30 мин")."""
    if value is None or value == "":
        return ""
    value = int(value)
    if value < 60:
        return gettext("%(minutes)s min") % {"minutes": value}
    hours, rest = divmod(value, 60)
    if rest:
        return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    return gettext("%(hours)s h") % {"hours": hours}


@register.filter
def temperature(value_c, unit="C") -> str:
    """A stored °C value in the person's unit: `night.temperature_c|temperature:temperature_unit`."""
    return format_temperature(value_c, str(unit or "C"))


@register.filter
def warning_signs_in(night, unit="C") -> list[str]:
    """The titles of a night's urgent findings (the report's own rules on that night).

    Titles name no temperature, so the unit is not needed; the filter keeps the templates' shape.
    """
    return night.warning_signs


@register.filter
def day(value, style: str = "") -> str:
    """A date the way diary.dates.long_date writes it, in the reader's language:
    `night.date|day:"weekday,short"` → "Tue 3 Nov 2026" / "вт, 3 ноября 2026".

    Styles (comma-separated): "weekday", "short" (abbreviated names), "no-year".
    """
    if not value:
        return ""
    words = set(str(style).split(","))
    return long_date(value, weekday="weekday" in words, abbreviated="short" in words, year="no-year" not in words)
