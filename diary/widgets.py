"""Date and time inputs that a browser can show: the one home for their value format.

An `<input type="date">` only accepts its value as YYYY-MM-DD and `<input type="time">` as HH:MM;
anything else (Django's en-GB default renders 01/06/2026) shows as empty and is sent back empty,
so saving a form for another reason silently wiped the date (issue 15).
"""

from __future__ import annotations

from django import forms

DATE_VALUE_FORMAT = "%Y-%m-%d"  # HTML's "valid date string"
TIME_VALUE_FORMAT = "%H:%M"  # HTML's "valid time string" (minutes are all a person picks)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATE_VALUE_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=TIME_VALUE_FORMAT)
