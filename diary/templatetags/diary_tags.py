"""Small presentation filters for the diary pages (labels and durations only; no diary logic)."""

from __future__ import annotations

from django import template

from diary.choices import MULTI_CHOICE_FIELDS
from diary.units import format_temperature

register = template.Library()


@register.filter
def choice_labels(night, field: str) -> str:
    """The labels of a night's multi-choice answers, e.g. `night|choice_labels:"pain_areas"`."""
    choices, _prefix = MULTI_CHOICE_FIELDS[field]
    return ", ".join(choices(code).label for code in getattr(night, field))


@register.filter
def minutes(value) -> str:
    """Minutes in words a person reads at a glance: 45 → "45 min", 90 → "1 h 30 min"."""
    if value is None or value == "":
        return ""
    value = int(value)
    if value < 60:
        return f"{value} min"
    hours, rest = divmod(value, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


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
