"""Dates the diary accepts, and how it writes them.

One allowed range for every date a person types: the night form, CSV import, backup restore,
report periods and share links all accept days from EARLIEST_DATE up to today in the user's
own time zone (`today_for`), and refuse the rest with `date_problem`'s words.
"""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.utils import timezone

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
        return f"{day.isoformat()} is before {EARLIEST_DATE.isoformat()}, the earliest date the diary takes"
    if day > today:
        return f"{day.isoformat()} is in the future (today is {today.isoformat()})"
    return ""


def long_date(day: date, *, weekday: bool = False, abbreviated: bool = False) -> str:
    """How sentences name a day: '3 November 2026'; `weekday` adds 'Tuesday', `abbreviated`
    shortens both names ('Tue 3 Nov 2026') where space is short (messages, chart texts)."""
    month = f"{day:%b %Y}" if abbreviated else f"{day:%B %Y}"
    text = f"{day.day} {month}"
    if weekday:
        text = f"{day:%a} {text}" if abbreviated else f"{day:%A} {text}"
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
        text = f"{day.day} {day:%b}" if with_month else str(day.day)
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
