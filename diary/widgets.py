"""Date and time inputs that a browser can show: the one home for their value format.

An `<input type="date">` only accepts its value as YYYY-MM-DD and `<input type="time">` as HH:MM;
anything else (Django's en-GB default renders 01/06/2026) shows as empty and is sent back empty,
so saving a form for another reason silently wiped the date (issue 15).
"""

from __future__ import annotations

from django import forms

DATE_VALUE_FORMAT = "%Y-%m-%d"  # HTML's "valid date string"
TIME_VALUE_FORMAT = "%H:%M"  # HTML's "valid time string" (minutes are all a person picks)
# What the server reads back from a date input, in every language: the browser's picker shows the
# date the reader's way (01.12.2026 in Russian) but sends this; Django's per-language input
# formats (01/12/2026, 01.12.2026) would read a typed date differently by language, so none is used.
DATE_INPUT_FORMATS = [DATE_VALUE_FORMAT]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATE_VALUE_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=TIME_VALUE_FORMAT)
