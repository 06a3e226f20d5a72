"""What the rules read and return: night records, profile facts, findings and the report window.

Pure Python, no ORM: records are built from Night rows (``Night.as_record``) or by hand in tests.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from operator import attrgetter

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from diary.dates import long_date
from diary.medication import MedicineTaken
from diary.peg import PegRecord

FEVER_C = Decimal("38.0")  # NHS / NICE NG111: a high temperature is 38 °C or above
MORNING_PAIN_LIMIT_MIN = 15  # source article's "quarter of an hour" test (unconfirmed rule of thumb)


@dataclass(frozen=True, slots=True)
class NightRecord:
    """What the rules read of one night (built from a Night row, or by hand in tests)."""

    date: date
    night_pain: int
    woke_by_pain: str = "no"  # "no" | "early" | "late"
    pain_areas: frozenset[str] = frozenset()
    morning_pain_minutes: int = 0
    eased_by: frozenset[str] = frozenset()
    bed_id: int | None = None
    bed_name: str = ""
    bed_occasional: bool = False  # an "occasional" bed (travel, a friend's sofa): always an away night
    in_trial: bool = False  # inside a planned bed trial, on one of its beds: no bed change, never away
    temperature_c: Decimal | float | None = None
    night_urinations: int | None = None
    symptoms: frozenset[str] = frozenset()
    stress: int | None = None
    day_pain: int | None = None
    notes: str = ""
    medicines: tuple[MedicineTaken, ...] = ()  # the medicines taken that night (issue 17)


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    """Optional facts from the profile page."""

    birth_year: int | None = None
    back_pain_since: date | None = None
    history_of_cancer: bool = False
    osteoporosis: bool = False
    long_term_steroids: bool = False
    family_spondyloarthritis: bool = False
    psoriasis_arthritis_enthesitis: bool = False


class Level(StrEnum):
    URGENT = "urgent"
    SEE_DOCTOR = "see_doctor"
    INFO = "info"


LEVEL_ORDER = {Level.URGENT: 0, Level.SEE_DOCTOR: 1, Level.INFO: 2}
BY_DATE = attrgetter("date")


@dataclass(frozen=True, slots=True)
class Draft:
    """What a rule function says about a diary; the RULES table adds code, level and article.

    ``message`` speaks to the person ("You logged …"); ``clinician_message`` tells a clinician
    what the diary shows, in the third person and with dates ("The patient logged … on 24–25 Nov").
    """

    title: str
    message: str
    evidence: tuple[date, ...]  # sorted, oldest first
    detail: str
    clinician_message: str
    tell_doctor: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    level: Level
    title: str  # for the person
    message: str  # for the person, second person
    evidence: tuple[date, ...]  # sorted, oldest first
    article: str | None
    detail: str
    tell_doctor: str = ""
    clinician_message: str = ""  # for a clinician (share page, PDF), third person with dates
    clinical_title: str = ""  # the heading a clinician reads, from the RULES table


@dataclass(frozen=True, slots=True)
class BedChange:
    date: date
    from_bed: str
    to_bed: str


TemperatureWords = Callable[[Decimal | float], str]


def in_celsius(value_c: Decimal | float) -> str:
    """'38.5 °C' (Russian '38,5 °C'): how findings write a temperature unless the caller passes the person's unit."""
    return f"{number_format(value_c)} °C"


class Window:
    """The nights of one report, indexed by date so every "last N days" slice is a bisect.

    ``nights`` are the logged nights in [start, end]; ``context`` are all nights up to ``end``,
    including the ones before ``start`` that only serve as bed-change context. ``profile`` holds
    the profile facts; ``fired(code, ...)`` tells a rule whether other rules gave a finding on
    this window (the rules runner answers it, evaluating each rule at most once).
    """

    def __init__(
        self,
        nights: Sequence[NightRecord],
        start: date,
        end: date,
        profile: ProfileFacts | None = None,
        temperature: TemperatureWords | None = None,
        peg: Sequence[PegRecord] = (),
    ):
        context = sorted((night for night in nights if night.date <= end), key=BY_DATE)
        self.start, self.end, self.profile = start, end, profile
        # How a temperature is written in the findings: the person's unit (diary.units), °C by default.
        self.temperature: TemperatureWords = temperature or in_celsius
        # The weekly PEG check-ins dated in [start, end], oldest first.
        self.peg: list[PegRecord] = sorted((c for c in peg if start <= c.date <= end), key=BY_DATE)
        self.context: list[NightRecord] = context
        self._context_dates = [night.date for night in context]
        first = bisect_left(self._context_dates, start)
        self.nights: list[NightRecord] = context[first:]
        self._dates = self._context_dates[first:]
        # Set by the rules runner (diary.rules.table.run_rules): the findings of one rule, and
        # the codes of the rules at some levels.
        self.findings_of: Callable[[str], Sequence[Finding]] = _no_runner
        self.codes_at: Callable[[tuple[Level, ...]], Sequence[str]] = _no_runner
        self._cache: dict[str, object] = {}

    def between(self, first: date, last: date) -> list[NightRecord]:
        """Logged nights of the period dated first..last inclusive."""
        return self.nights[bisect_left(self._dates, first) : bisect_right(self._dates, last)]

    def context_between(self, first: date, last: date) -> list[NightRecord]:
        """Logged nights dated first..last, including context nights before the period."""
        return self.context[bisect_left(self._context_dates, first) : bisect_right(self._context_dates, last)]

    def last_days(self, days: int) -> list[NightRecord]:
        """Logged nights of the period in end-(days-1)..end."""
        return self.between(self.end - timedelta(days=days - 1), self.end)

    def fired(self, *codes: str) -> bool:
        """Whether any of these rules gives a finding on this window."""
        return any(self.findings_of(code) for code in codes)

    def fired_at(self, *levels: Level) -> bool:
        """Whether any rule at these levels gives a finding on this window."""
        return self.fired(*self.codes_at(levels))

    def cached(self, key: str, compute: Callable[[Window], object]) -> object:
        """Work shared by several rules (e.g. the judged bed changes), done once per window."""
        if key not in self._cache:
            self._cache[key] = compute(self)
        return self._cache[key]


def _no_runner(*args: object) -> Sequence:
    raise RuntimeError("rules that depend on other rules run through diary.rules.run_rules / build_report")


# --- Small helpers shared by the rules -------------------------------------------------------------


def dates_of(nights: Iterable[NightRecord]) -> tuple[date, ...]:
    """The sorted, distinct dates of some nights (a finding's evidence)."""
    return tuple(sorted({night.date for night in nights}))


def at_least_share(count: int, total: int, share: tuple[int, int]) -> bool:
    """count / total ≥ numerator / denominator, exactly (False when total is 0)."""
    numerator, denominator = share
    return total > 0 and count * denominator >= numerator * total


def below_share(count: int, total: int, share: tuple[int, int]) -> bool:
    """count / total < numerator / denominator, exactly (False when total is 0)."""
    numerator, denominator = share
    return total > 0 and count * denominator < numerator * total


def mean_pain(nights: Sequence[NightRecord]) -> float:
    return sum(night.night_pain for night in nights) / len(nights)


def fmt(value: float) -> str:
    """A mean or score with one decimal, in the active language's style ('4.5', Russian '4,5')."""
    return number_format(value, 1)


def number_words(value: float) -> str:
    """A median or a minute count: whole numbers without decimals ('20'), else one decimal ('17.5')."""
    return str(int(value)) if float(value).is_integer() else number_format(value, 1)


def nights_words(count: int) -> str:
    """'1 night', '3 nights' (Russian: '1 ночь', '3 ночи', '5 ночей')."""
    return ngettext("%(count)d night", "%(count)d nights", count) % {"count": count}


def listing(items: Sequence[str]) -> str:
    """'a, b and c' in the active language."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def quoted(text: str) -> str:
    """Free text the person wrote (a bed or medicine name) inside a finding's sentence: shown as
    written, in the quotes of the active language, so it reads as their own words (issue 19)."""
    return pgettext("quotes around the person's own words", "“%(text)s”") % {"text": text}


def day_month(day: date, *, year: bool = False) -> str:
    """'3 Nov' / '3 Nov 2026' (Russian: '3 ноября' / '3 ноября 2026'), in diary.dates' formats."""
    return long_date(day, abbreviated=True, year=year)


def day_list(days: Sequence[date], limit: int = 6) -> str:
    """'3 Nov, 5 Nov and 2 more'."""
    shown = ", ".join(day_month(day) for day in days[:limit])
    if len(days) <= limit:
        return shown
    hidden = len(days) - limit
    return _("%(dates)s and %(count)d more") % {"dates": shown, "count": hidden}


def clinical_dates(days: Sequence[date], limit: int = 8) -> str:
    """Dates as a clinician reads them: runs of consecutive days joined, '24–25 Nov, 28 Nov 2026'.

    The year is written once, at the end (or on each run when the dates span two years).
    """
    if not days:
        return ""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    one_year = days[0].year == days[-1].year

    def run_words(run: list[date]) -> str:
        first, last = run[0], run[-1]
        if first == last:
            return day_month(first, year=not one_year)
        if first.month == last.month and first.year == last.year:
            return f"{first.day}–{day_month(last, year=not one_year)}"
        return f"{day_month(first, year=not one_year)}–{day_month(last, year=not one_year)}"

    shown = ", ".join(run_words(run) for run in runs[:limit])
    if one_year:
        shown += f" {days[-1].year}"
    hidden = sum(len(run) for run in runs[limit:])
    if not hidden:
        return shown
    return ngettext("%(dates)s and %(count)d more night", "%(dates)s and %(count)d more nights", hidden) % {
        "dates": shown,
        "count": hidden,
    }


def has_fever(night: NightRecord) -> bool:
    """Temperature ≥ 38.0 °C (Decimal or float)."""
    return night.temperature_c is not None and night.temperature_c >= FEVER_C


def has_urinary_signs(night: NightRecord) -> bool:
    """Pain when urinating or blood in the urine that night."""
    return "painful_urination" in night.symptoms or "blood_in_urine" in night.symptoms


def is_pain_morning(night: NightRecord) -> bool:
    """Any pain or stiffness after getting up (morning_pain_minutes > 0)."""
    return night.morning_pain_minutes > 0


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def onset_age(profile: ProfileFacts | None) -> int | None:
    """Age when the back pain began, from the birth year (so it may be a year off)."""
    if profile is None or profile.birth_year is None or profile.back_pain_since is None:
        return None
    return profile.back_pain_since.year - profile.birth_year
