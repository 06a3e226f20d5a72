"""The report period: which nights a report, PDF, FHIR bundle or share link covers.

Pure functions; the views pass in the query parameters and what they know of the diary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PRESETS = {"14": 14, "30": 30, "90": 90}
MAX_SPAN_DAYS = 366 * 20

# The one range of dates the diary takes anywhere: the log form, the profile, CSV import, backup
# restore, report periods and share links. Year 1 used to get in through the CSV import and
# crash every report (date arithmetic before year 1 overflows); tomorrow got in through restore.
EARLIEST_DATE = date(1900, 1, 1)


def date_problem(day: date, today: date) -> str:
    """Why `day` is outside EARLIEST_DATE … `today` (today in the person's own time zone), or ""."""
    if day < EARLIEST_DATE:
        return f"{day.isoformat()} is before {EARLIEST_DATE.isoformat()}, the earliest date the diary takes"
    if day > today:
        return f"{day.isoformat()} is in the future (today is {today.isoformat()})"
    return ""


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


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def parse_period(params, first_logged: date | None, last_logged: date | None, today: date) -> Period:
    """Read ?period=14|30|90|all|custom&start=&end= into a Period; never raises.

    "all" (the default) runs from the first to the latest logged night, as the report rules
    define it; presets end at the latest logged night (or today with an empty diary).
    """
    choice = str(params.get("period") or "all")
    end_default = last_logged or today
    if choice in PRESETS:
        end = end_default
        return Period(choice, end - timedelta(days=PRESETS[choice] - 1), end)
    if choice == "custom":
        start, end = _parse_date(params.get("start")), _parse_date(params.get("end"))
        error = ""
        if start is None or end is None:
            error = "Enter both a start and an end date (YYYY-MM-DD)."
        elif start > end:
            error = "The start date is after the end date."
        elif end > today:
            error = "The end date is in the future."
        elif start < EARLIEST_DATE:
            error = f"Choose a start date from {EARLIEST_DATE.isoformat()} on."
        elif (end - start).days > MAX_SPAN_DAYS:
            error = "That period is too long."
        if not error:
            return Period("custom", start, end)
        fallback = _all(first_logged, last_logged, today)
        return Period(fallback.choice, fallback.start, fallback.end, error)
    return _all(first_logged, last_logged, today)


def _all(first_logged: date | None, last_logged: date | None, today: date) -> Period:
    if first_logged is None or last_logged is None:
        return Period("all", today, today)
    # Clamped, in case a night from before EARLIEST_DATE was stored before the range was enforced.
    return Period("all", max(first_logged, EARLIEST_DATE), max(last_logged, EARLIEST_DATE))
