"""The weekly PEG check-in (Krebs et al., J Gen Intern Med 2009;24:733): when it is due, and its score.

Pure functions, no ORM: the views, the report and the exports all call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

PEG_MEANINGFUL_SHARE = 0.3  # Krebs 2009: a 30 % change in the PEG score is meaningful
PEG_INTERVAL_DAYS = 7  # Krebs 2009: the items ask about "the past week"
# With a chosen weekday, the next check-in is that weekday at least this many days after the
# last one, so a check-in done a day or two early does not bring a second one in the same week.
PEG_MIN_GAP_DAYS = 4


def next_check_in(last: date | None, weekday: int | None, today: date) -> date:
    """The day the next PEG check-in is offered: today when there was none yet; with a chosen
    weekday (0 = Monday), that weekday at least PEG_MIN_GAP_DAYS after the last check-in;
    otherwise PEG_INTERVAL_DAYS after the last one."""
    if last is None:
        return today
    if weekday is None:
        return last + timedelta(days=PEG_INTERVAL_DAYS)
    earliest = last + timedelta(days=PEG_MIN_GAP_DAYS)
    return earliest + timedelta(days=(weekday - earliest.weekday()) % 7)


def check_in_due(last: date | None, weekday: int | None, today: date) -> bool:
    """Whether the log form and the diary offer the PEG questions today (it stays offered until done)."""
    return next_check_in(last, weekday, today) <= today


def peg_score(pain: int, enjoyment: int, activity: int) -> float:
    """The PEG score: the mean of the three 0-10 items, to one decimal (Krebs 2009)."""
    return round((pain + enjoyment + activity) / 3, 1)


@dataclass(frozen=True, slots=True)
class PegRecord:
    """One check-in as the report sees it."""

    date: date
    pain: int
    enjoyment: int
    activity: int

    @property
    def score(self) -> float:
        return peg_score(self.pain, self.enjoyment, self.activity)


@dataclass(frozen=True, slots=True)
class PegSummary:
    """The PEG over the report's period: first and latest check-ins and the change between them."""

    check_ins: int
    first: PegRecord
    latest: PegRecord

    @property
    def change(self) -> float:
        """Latest minus first score (negative = better)."""
        return round(self.latest.score - self.first.score, 1)

    @property
    def change_percent(self) -> int | None:
        """The change as a whole percentage of the first score; None when the first score is 0."""
        if self.first.score == 0:
            return None
        return round((self.latest.score - self.first.score) / self.first.score * 100)


def summarize_peg(check_ins: Sequence[PegRecord]) -> PegSummary | None:
    """First, latest and count of the period's check-ins (any order); None without any."""
    if not check_ins:
        return None
    ordered = sorted(check_ins, key=lambda record: record.date)
    return PegSummary(check_ins=len(ordered), first=ordered[0], latest=ordered[-1])
