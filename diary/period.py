"""The report period: which nights a report, PDF, FHIR bundle, CSV export or share link covers.

PeriodForm is the only parser of ?period=14|30|90|all|custom&start=&end= (pages, exports, the
diary filter and the commands); `check_range` is the one rule for a start and end date, which the
share-link form calls too. Errors read the same everywhere: pages show them and fall back to
every night, downloads answer 400 with the message, commands print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from diary.dates import EARLIEST_DATE, today_for
from diary.widgets import DATE_INPUT_FORMATS, DateInput

PRESETS = {"14": 14, "30": 30, "90": 90}
# The period buttons, in order, with their one label (report page and charts).
PRESET_CHOICES = (
    ("14", _("Last 14 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("all", _("All nights")),
)
MAX_SPAN_DAYS = 366 * 20

INCOMPLETE = _("Enter both a start and an end date (YYYY-MM-DD).")
START_AFTER_END = _("The start date is after the end date.")
END_IN_FUTURE = _("The end date is in the future.")
TOO_EARLY = format_lazy(_("Choose a start date from {earliest} on."), earliest=EARLIEST_DATE.isoformat())
TOO_LONG = _("That period is too long.")


@dataclass(frozen=True, slots=True)
class Period:
    choice: str  # "14" | "30" | "90" | "all" | "custom"
    start: date
    end: date
    error: str = ""  # a plain message when the request asked for something impossible

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_query(self) -> dict[str, str]:
        if self.choice == "custom":
            return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.choice}


def check_range(start: date, end: date, today: date) -> None:
    """Raise a ValidationError (code "order", "future", "too_early" or "too_long") unless
    start..end is a period a report can cover: the one allowed range, 1900-01-01 to today."""
    if start > end:
        raise forms.ValidationError(START_AFTER_END, code="order")
    if end > today:
        raise forms.ValidationError(END_IN_FUTURE, code="future")
    if start < EARLIEST_DATE:
        raise forms.ValidationError(TOO_EARLY, code="too_early")
    if (end - start).days > MAX_SPAN_DAYS:
        raise forms.ValidationError(TOO_LONG, code="too_long")


def field_of(error: forms.ValidationError) -> str:
    """The date a check_range() error is shown next to."""
    return "start" if error.code in ("too_early", "too_long") else "end"


# The message for a date that is not YYYY-MM-DD, per field.
NOT_A_DATE = {
    "start": _("Enter the start date as YYYY-MM-DD."),
    "end": _("Enter the end date as YYYY-MM-DD."),
}
NOT_A_DATE_ANY = _("Enter the date as YYYY-MM-DD.")  # a command's own date option says its name itself


def date_field(label: str, which: str, *, required: bool = False) -> forms.DateField:
    """A YYYY-MM-DD date with a native date picker and a plain message for anything else."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": NOT_A_DATE.get(which, NOT_A_DATE_ANY), "required": INCOMPLETE},
    )


class PeriodForm(forms.Form):
    """?period=14|30|90|all|custom&start=&end= → `.period` (a Period, never raises).

    "all" (the default) runs from the first to the latest logged night, as the report rules
    define it; presets end at the latest logged night (or today with an empty diary).
    `period=custom` needs both dates. Without `period`, a start or an end alone is an open
    period: the other end is the diary's first or latest night (exports, the diary filter,
    the commands).
    """

    start = date_field(_("From"), "start")
    end = date_field(_("To"), "end")

    def __init__(self, params=None, *, first_logged: date | None = None, last_logged: date | None = None, today=None):
        params = params or {}
        choice = str(params.get("period") or "")
        given = {name: params.get(name) or "" for name in ("start", "end")}
        if choice not in (*PRESETS, "all", "custom"):
            choice = "custom" if any(given.values()) else "all"
        self.choice = choice
        self.both_required = str(params.get("period") or "") == "custom"
        self.first_logged, self.last_logged = first_logged, last_logged
        self.today = today or today_for()
        super().__init__(given if choice == "custom" else {})

    @classmethod
    def for_user(cls, user, params, *, today=None) -> PeriodForm:
        """The form for `user`'s diary (reads its logged range: one query)."""
        from diary.models import Night

        first, last = Night.objects.for_user(user).logged_range()
        return cls(params, first_logged=first, last_logged=last, today=today or today_for())

    @property
    def dates_given(self) -> bool:
        return self.choice == "custom"

    def clean(self):
        cleaned = super().clean()
        if self.choice != "custom":
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.both_required and (start is None or end is None):
            raise forms.ValidationError(INCOMPLETE, code="incomplete")
        if self.errors:
            return cleaned
        # An open end is filled from the diary, but never past the given one.
        if end is None:
            end = max(self.last_logged or self.today, start or date.min)
        if start is None:
            start = min(self.first_logged or end, end)
        try:
            check_range(start, end, self.today)
        except forms.ValidationError as error:
            self.add_error(field_of(error), error)
            return cleaned
        cleaned["period"] = Period("custom", start, end)
        return cleaned

    @cached_property
    def period(self) -> Period:
        if self.choice in PRESETS:
            end = self.last_logged or self.today
            return Period(self.choice, end - timedelta(days=PRESETS[self.choice] - 1), end)
        if self.choice == "custom" and self.is_valid():
            return self.cleaned_data["period"]
        return self._all(self.error)

    @property
    def error(self) -> str:
        """The first problem, in plain words ("" when there is none)."""
        if self.choice != "custom" or self.is_valid():
            return ""
        errors = [
            *self.non_field_errors(),
            *(message for field in self.fields for message in self.errors.get(field, [])),
        ]
        return errors[0]

    def _all(self, error: str = "") -> Period:
        if self.first_logged is None or self.last_logged is None:
            return Period("all", self.today, self.today, error)
        # Clamped, in case a night from before EARLIEST_DATE was stored before the range was enforced.
        first, last = (max(day, EARLIEST_DATE) for day in (self.first_logged, self.last_logged))
        return Period("all", first, last, error)
