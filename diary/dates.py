"""Dates the diary accepts, and how it writes them.

One allowed range for every date a person types: the night form, CSV import, backup restore,
report periods and share links all accept days from EARLIEST_DATE up to today in the user's
own time zone (`today_for`), and refuse the rest with `date_problem`'s words.
"""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy

# The one range of dates the diary takes anywhere: the log form, the profile, CSV import, backup
# restore, report periods and share links. Year 1 used to get in through the CSV import and
# crash every report (date arithmetic before year 1 overflows); tomorrow got in through restore.
EARLIEST_DATE = date(1900, 1, 1)


def today_for(user=None) -> date:
    """Today in `user`'s own time zone (the profile's), else in the active one (a request's user)."""
    if user is None:
        return timezone.localdate()
    from diary.models import Profile  # models import this module's neighbours: read lazily

    try:
        zone = zoneinfo.ZoneInfo(Profile.time_zone_for(user))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)


def date_problem(day: date, today: date) -> str:
    """Why `day` is outside EARLIEST_DATE … `today` (today in the person's own time zone), or ""."""
    if day < EARLIEST_DATE:
        return gettext("%(day)s is before %(earliest)s, the earliest date the diary takes") % {
            "day": day.isoformat(),
            "earliest": EARLIEST_DATE.isoformat(),
        }
    if day > today:
        return gettext("%(day)s is in the future (today is %(today)s)") % {
            "day": day.isoformat(),
            "today": today.isoformat(),
        }
    return ""


# How sentences and pages write a day, in the active language: the one home of date formats.
# Each is a Django date format the catalogue translates (Russian names the month in the
# genitive, "E": 3 ноября 2026). English keeps the shapes the diary always had.
DAY_FORMATS = {
    # (abbreviated, year)
    (False, True): pgettext_lazy("day month year in a sentence", "j F Y"),
    (True, True): pgettext_lazy("day, short month, year", "j M Y"),
    (False, False): pgettext_lazy("day and month in a sentence", "j F"),
    (True, False): pgettext_lazy("day and short month", "j M"),
}
# How the weekday joins the date; the translation may reorder or punctuate ("вт, 3 ноября 2026").
WEEKDAY_AND_DATE = pgettext_lazy("weekday before a date, e.g. Tue 3 Nov 2026", "%(weekday)s %(date)s")
# English capitalises weekday names; most languages (Russian too) write them in lower case
# inside a sentence. The translation says which: "Capitalised" or "lower".
WEEKDAY_CASE = pgettext_lazy("how weekday names are written inside a sentence: Capitalised or lower", "Capitalised")


def long_date(day: date, *, weekday: bool = False, abbreviated: bool = False, year: bool = True) -> str:
    """How sentences and pages name a day in the active language: '3 November 2026' ('3 ноября
    2026'); `weekday` adds 'Tuesday', `abbreviated` shortens the names ('Tue 3 Nov 2026') where
    space is short (messages, chart texts, rows); `year=False` leaves the year out."""
    text = date_format(day, str(DAY_FORMATS[abbreviated, year]))
    if weekday:
        name = date_format(day, "D" if abbreviated else "l")
        if str(WEEKDAY_CASE) == "lower":
            name = name.lower()
        text = str(WEEKDAY_AND_DATE) % {"weekday": name, "date": text}
    return text


def date_ranges(days: tuple[date, ...] | list[date]) -> str:
    """Dates as compact runs, e.g. "28 Oct–3 Nov, 5 Nov, 7–9 Nov 2026", so long evidence stays short."""
    ordered = sorted(set(days))
    runs: list[list[date]] = []
    for day in ordered:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    one_year = len({day.year for day in ordered}) == 1

    def fmt(day: date, with_month: bool = True) -> str:
        text = long_date(day, abbreviated=True, year=False) if with_month else str(day.day)
        return text if one_year else f"{text} {day.year}"

    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(fmt(first))
        elif (first.year, first.month) == (last.year, last.month) and one_year:
            parts.append(f"{first.day}–{fmt(last)}")
        else:
            parts.append(f"{fmt(first)}–{fmt(last)}")
    text = ", ".join(parts)
    return f"{text} {ordered[0].year}" if ordered and one_year else text
