"""Temperatures in the person's unit: stored in °C, typed and shown in °C or °F (the profile's choice).

The one home of the conversion, its rounding and the wording of a temperature; forms, pages and
the PDF call these. The CSV and FHIR exports stay in °C (their formats say so).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

TENTH = Decimal("0.1")


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", _("°C (Celsius)")
    FAHRENHEIT = "F", _("°F (Fahrenheit)")


def symbol(unit: str) -> str:
    return "°F" if unit == TemperatureUnit.FAHRENHEIT else "°C"


def from_celsius(value_c: Decimal, unit: str) -> Decimal:
    """A stored °C value in `unit`, to one decimal."""
    value_c = Decimal(value_c)
    if unit == TemperatureUnit.FAHRENHEIT:
        return (value_c * 9 / 5 + 32).quantize(TENTH, ROUND_HALF_UP)
    return value_c.quantize(TENTH, ROUND_HALF_UP)


def to_celsius(value: Decimal, unit: str) -> Decimal:
    """A typed value in `unit` as °C to one decimal (the stored precision)."""
    if unit == TemperatureUnit.FAHRENHEIT:
        return ((value - 32) * 5 / 9).quantize(TENTH, ROUND_HALF_UP)
    return value.quantize(TENTH, ROUND_HALF_UP)


def format_temperature(value_c: Decimal | float | None, unit: str) -> str:
    """'37.8 °C' or '100.0 °F' in the reader's number format ('37,8 °C' in Russian); empty for no value.

    For reading only: an <input type="number"> takes from_celsius's dotted value instead."""
    if value_c is None:
        return ""
    return f"{number_format(from_celsius(Decimal(str(value_c)), unit), 1)} {symbol(unit)}"


SESSION_KEY = "temperature_unit"


def unit_of(request) -> str:
    """The signed-in person's unit, kept in their session like their time zone (no query per page).

    The profile page refreshes it when the person changes it.
    """
    unit = request.session.get(SESSION_KEY)
    if unit not in TemperatureUnit.values:
        from diary.models import Profile

        unit = Profile.temperature_unit_for(request.user)
        request.session[SESSION_KEY] = unit
    return unit
