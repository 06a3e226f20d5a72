"""The report rules: pure, typed functions over a user's nights. No ORM, no request.

One function per rule, named after its code, returning a ``Finding`` (or ``None``; the bed-change
rules return a list, one finding per bed change at most). ``build_report`` runs them in the order
of the rules table and sorts the findings by level. Every threshold is a named constant; the
sources and the exact definitions are in docs/report-rules.md.

Counting conventions (issue 5):
- a night's ``date`` is the morning it ended; the report covers [start, end];
- "the last N days" are the dates end-(N-1)..end, and counts are of *logged* nights there;
- "pain morning" means ``morning_pain_minutes > 0``;
- means are compared exactly (integer arithmetic), so a threshold written "≤ 0.7 × B" is met at
  exactly 0.7 × B whatever floating point would say.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from operator import attrgetter, mul


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
    temperature_c: Decimal | float | None = None
    night_urinations: int | None = None
    symptoms: frozenset[str] = frozenset()
    stress: int | None = None
    day_pain: int | None = None
    notes: str = ""


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


BY_DATE = attrgetter("date")
LEVEL_ORDER = {Level.URGENT: 0, Level.SEE_DOCTOR: 1, Level.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    level: Level
    title: str
    message: str
    evidence: tuple[date, ...]  # sorted, oldest first
    article: str | None
    detail: str
    tell_doctor: str = ""


@dataclass(frozen=True, slots=True)
class BedChange:
    date: date
    from_bed: str
    to_bed: str


@dataclass(frozen=True, slots=True)
class Summary:
    nights_logged: int
    nights_in_period: int
    mean_night_pain: float | None
    median_night_pain: float | None
    max_night_pain: int | None
    nights_woken: int
    median_morning_minutes: float | None
    share_mornings_over_15: float | None  # of logged nights, 0..1
    nights_with_fever: int
    nights_with_urinary_signs: int
    beds_used: tuple[str, ...]
    bed_changes: tuple[BedChange, ...]

    @property
    def completeness(self) -> float:
        """Share of the period's nights that were logged, 0..1 (gaps are not improvement)."""
        return self.nights_logged / self.nights_in_period if self.nights_in_period else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    start: date
    end: date
    nights: tuple[NightRecord, ...]  # in the period, oldest first
    summary: Summary
    findings: tuple[Finding, ...] = field(default_factory=tuple)  # urgent, see_doctor, info


# --- Thresholds --------------------------------------------------------------------------------

FEVER_C = Decimal("38.0")  # NHS / NICE NG111: a high temperature is 38 °C or above
MORNING_PAIN_LIMIT_MIN = 15  # source article's "quarter of an hour" test (unconfirmed rule of thumb)
INFLAMMATORY_STIFFNESS_MIN = 30  # Berlin criteria (Rudwaleit 2006): morning stiffness > 30 min

RED_FLAG_DAYS = 7  # Chou 2007 / NHS: cauda equina signs need care now; a week keeps recent ones visible
RED_FLAG_SYMPTOMS = ("saddle_numbness", "bladder_bowel_change", "leg_weakness")  # Chou 2007 cauda equina signs

KIDNEY_DAYS = 2  # NHS / NICE NG111: fever with kidney-area pain needs same-day care, so only fresh nights
KIDNEY_AREAS = frozenset({"flank_left", "flank_right"})  # NICE NG111: pain in the side under the ribs
KIDNEY_SYMPTOMS = frozenset({"painful_urination", "chills", "nausea"})  # NICE NG111 / NHS pyelonephritis signs

FEVER_DAYS = 7  # Chou 2007: fever is an infection red flag
FEVER_MIN_NIGHTS = 2  # two feverish nights, so one mis-typed reading does not fire

URINARY_DAYS = 7  # NICE NG111 / NHS: urinary symptoms with back pain need a check
PAINFUL_URINATION_MIN_NIGHTS = 2  # NICE NG111: repeated painful urination, not one night
BLOOD_IN_URINE_MIN_NIGHTS = 1  # NHS: blood in urine always needs a doctor

NIGHT_URINATION_DAYS = 7  # nocturia: ≥ 2 voids a night tracks with moderate-severe urinary symptoms
NIGHT_URINATIONS_MIN = 2  # nocturia: ≥ 2 voids a night
NIGHT_URINATION_MIN_NIGHTS = 4  # "most nights" of a week (issue 5)

MORNING_PAIN_DAYS = 14  # issue 5: two weeks of mornings
MORNING_PAIN_MIN_NIGHTS = 4  # issue 5: ≥ 4 long mornings in 14 days

BED_LIKELY_DAYS = 14  # issue 5: two weeks of mornings
BED_LIKELY_MIN_PAIN_MORNINGS = 5  # issue 5: enough pain mornings to judge
BED_LIKELY_SHORT_SHARE = (4, 5)  # issue 5: ≥ 80 % of pain mornings short (source article's test)

BED_CHANGE_MAX_GAP_DAYS = 3  # issue 5: a change is only judged when the nights either side are close
BED_BASELINE_DAYS = 14  # issue 5: baseline B = mean night pain over [D-14, D-1]
BED_BASELINE_MIN_NIGHTS = 5  # issue 5: a baseline needs ≥ 5 logged nights
BED_BASELINE_MIN_PAIN = 2  # issue 5: with B < 2 there is no room for a meaningful fall (Farrar 2001)
BED_SETTLE_DAYS = 2  # issue 5: the first two nights on a new bed are not judged
BED_TRIAL_LAST_DAY = 27  # Jacobson 2009 / Kovacs 2003: judge a mattress after ~4 weeks, D..D+27
BED_HELPED_MIN_NIGHTS = 3  # issue 5: ≥ 3 nights on the new bed in [D+2, D+27]
BED_HELPED_FALL_POINTS = 2  # Farrar 2001: a fall of ≥ 2 points on 0-10 is meaningful
BED_HELPED_RATIO = (7, 10)  # Farrar 2001: a fall of ≥ 30 %, i.e. mean ≤ 0.7 × B
BED_LATE_WINDOW_FIRST_DAY = 14  # issue 5: "no effect" is judged on [D+14, D+27]
BED_NO_EFFECT_MIN_NIGHTS = 7  # issue 5: ≥ 7 nights on the new bed in [D+14, D+27]

INFLAMMATORY_DAYS = 28  # issue 5: four weeks of nights
INFLAMMATORY_MIN_NIGHTS = 14  # issue 5: at least half of them logged
INFLAMMATORY_MIN_CRITERIA = 2  # Berlin criteria (Rudwaleit 2006): ≥ 2 of 4, LR+ 3.7
INFLAMMATORY_MIN_PAIN_MORNINGS = 7  # issue 5: enough mornings for a median
INFLAMMATORY_MIN_EASED_NIGHTS = 7  # issue 5: enough "what eased it" answers
INFLAMMATORY_MOVEMENT_SHARE = (1, 2)  # Rudwaleit 2006 "improvement with exercise": ≥ 50 % of answers
INFLAMMATORY_REST_SHARE = (1, 4)  # Rudwaleit 2006 "not with rest": rest on < 25 % of answers
LATE_WAKING_SHARE = (1, 4)  # Rudwaleit 2006 "awakening in the second half of the night": ≥ 25 % of nights

UNRELIEVED_DAYS = 14  # issue 5: two weeks of nights
UNRELIEVED_MIN_WOKEN = 8  # issue 5: woken by pain on ≥ 8 of 14 nights
UNRELIEVED_MIN_NOTHING = 4  # issue 5 / Chou 2007: pain that nothing eases deserves a look

WORSENING_RECENT_DAYS = 7  # issue 5: the last week...
WORSENING_EARLIER_DAYS = 21  # issue 5: ...against the three weeks before it
WORSENING_MIN_RECENT_NIGHTS = 5  # issue 5
WORSENING_MIN_EARLIER_NIGHTS = 10  # issue 5
WORSENING_RISE_POINTS = 2  # Farrar 2001: a 2-point change on 0-10 is meaningful

NOT_IMPROVING_MIN_SPAN_DAYS = 28  # Chou 2007: "no improvement after a month" (cancer red flag)
NOT_IMPROVING_GROUP_NIGHTS = 7  # issue 5: first 7 vs last 7 logged nights
NOT_IMPROVING_MIN_START_PAIN = 4  # issue 5: only for pain that started at least moderate
NOT_IMPROVING_RATIO = (7, 10)  # Farrar 2001: a fall of < 30 % is not a meaningful improvement

STRESS_MIN_NIGHTS = 21  # issue 5: three weeks of paired answers
STRESS_MIN_RHO = (2, 5)  # issue 5: Spearman ρ ≥ 0.4 (a moderate correlation)

NOT_ENOUGH_NIGHTS = 7  # issue 5: fewer than a week of nights says little

RISK_PAIN_DAYS = 14  # issue 5: two weeks of nights
RISK_MIN_PAIN_NIGHTS = 3  # issue 5: ≥ 3 nights with night pain ≥ 1
RISK_ONSET_AGE = 50  # Chou 2007: back pain starting at age ≥ 50 is a cancer red flag

SPA_MIN_MONTHS = 3  # NICE NG65: back pain for more than 3 months...
SPA_MAX_ONSET_AGE = 45  # NICE NG65: ...that began before the age of 45
SPA_EARLY_ONSET_AGE = 35  # NICE NG65 criterion: onset before 35
SPA_EASING_SHARE = (1, 2)  # our approximation: movement / painkiller eased pain on ≥ 50 % of answers
SPA_REFER_MIN = 4  # NICE NG65: ≥ 4 criteria, refer to rheumatology
SPA_TEST_EXACT = 3  # NICE NG65: exactly 3 criteria, consider an HLA-B27 test

# --- Codes and articles ------------------------------------------------------------------------

RULE_CODES: tuple[str, ...] = (
    "RED_FLAG_NERVES",
    "KIDNEY_INFECTION_SIGNS",
    "FEVER",
    "URINARY_SYMPTOMS",
    "FREQUENT_NIGHT_URINATION",
    "MORNING_PAIN_PERSISTS",
    "BED_LIKELY",
    "BED_CHANGE_HELPED",
    "BED_CHANGE_NO_EFFECT",
    "BED_CHANGE_TOO_EARLY",
    "INFLAMMATORY_PATTERN",
    "NIGHT_PAIN_UNRELIEVED",
    "PAIN_WORSENING",
    "PAIN_NOT_IMPROVING",
    "STRESS_LINK",
    "NOT_ENOUGH_DATA",
    "NIGHT_PAIN_RISK_FACTORS",
    "SPA_REFERRAL_CRITERIA",
)
_TABLE_ORDER = {code: i for i, code in enumerate(RULE_CODES)}

ARTICLES: dict[str, str] = {
    "RED_FLAG_NERVES": "when-to-see-a-doctor",
    "KIDNEY_INFECTION_SIGNS": "kidney-pain-or-back-pain",
    "FEVER": "when-to-see-a-doctor",
    "URINARY_SYMPTOMS": "kidney-pain-or-back-pain",
    "FREQUENT_NIGHT_URINATION": "kidney-pain-or-back-pain",
    "MORNING_PAIN_PERSISTS": "why-does-my-back-hurt-at-night",
    "BED_LIKELY": "is-it-your-bed",
    "BED_CHANGE_HELPED": "is-it-your-bed",
    "BED_CHANGE_NO_EFFECT": "why-does-my-back-hurt-at-night",
    "BED_CHANGE_TOO_EARLY": "is-it-your-bed",
    "INFLAMMATORY_PATTERN": "ankylosing-spondylitis",
    "NIGHT_PAIN_UNRELIEVED": "why-does-my-back-hurt-at-night",
    "PAIN_WORSENING": "when-to-see-a-doctor",
    "PAIN_NOT_IMPROVING": "when-to-see-a-doctor",
    "STRESS_LINK": "stress-and-back-pain",
    "NOT_ENOUGH_DATA": "keeping-a-pain-diary",
    "NIGHT_PAIN_RISK_FACTORS": "when-to-see-a-doctor",
    "SPA_REFERRAL_CRITERIA": "ankylosing-spondylitis",
}
ARTICLE_SLUGS: frozenset[str] = frozenset(ARTICLES.values())


# --- Small helpers -------------------------------------------------------------------------------


def _dates(nights: Iterable[NightRecord]) -> tuple[date, ...]:
    return tuple(sorted({night.date for night in nights}))


def _at_least_share(count: int, total: int, share: tuple[int, int]) -> bool:
    """count / total ≥ numerator / denominator, exactly (False when total is 0)."""
    numerator, denominator = share
    return total > 0 and count * denominator >= numerator * total


def _below_share(count: int, total: int, share: tuple[int, int]) -> bool:
    numerator, denominator = share
    return total > 0 and count * denominator < numerator * total


def _mean(nights: Sequence[NightRecord]) -> float:
    return sum(night.night_pain for night in nights) / len(nights)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _day_list(days: Sequence[date], limit: int = 6) -> str:
    shown = ", ".join(f"{day:%d %b}".lstrip("0") for day in days[:limit])
    return shown + (f" and {len(days) - limit} more" if len(days) > limit else "")


def has_fever(night: NightRecord) -> bool:
    """Temperature ≥ 38.0 °C (Decimal or float)."""
    return night.temperature_c is not None and night.temperature_c >= FEVER_C


def has_urinary_signs(night: NightRecord) -> bool:
    """Pain when urinating or blood in the urine that night."""
    return "painful_urination" in night.symptoms or "blood_in_urine" in night.symptoms


def is_pain_morning(night: NightRecord) -> bool:
    """Any pain or stiffness after getting up (morning_pain_minutes > 0)."""
    return night.morning_pain_minutes > 0


def _bed_key(night: NightRecord) -> int | str | None:
    """Which bed a night was spent in: its id, or its name for hand-built records without ids."""
    if night.bed_id is not None:
        return night.bed_id
    return night.bed_name or None


def spearman_rho(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation of two equal-length sequences; None when it is undefined.

    Computed in plain Python as the Pearson correlation of the ranks, tied values getting the
    average of the ranks they span (so it is the textbook ρ with the tie correction).
    """
    moments = _rank_moments(xs, ys)
    if moments is None:
        return None
    covariance, variance_x, variance_y = moments
    return covariance / math.sqrt(variance_x * variance_y)


def _doubled_average_ranks(values: Sequence[float]) -> list[int]:
    """2 × the 1-based average rank of each value (doubling keeps tied averages integral).

    A value seen `count` times after `below` smaller values spans ranks below+1 … below+count,
    whose average doubled is 2·below + count + 1.
    """
    counts = Counter(values)
    doubled_rank, below = {}, 0
    for value in sorted(counts):
        doubled_rank[value] = 2 * below + counts[value] + 1
        below += counts[value]
    return [doubled_rank[value] for value in values]


def _rank_moments(xs: Sequence[float], ys: Sequence[float]) -> tuple[int, int, int] | None:
    """n²·cov, n²·var(x), n²·var(y) of the doubled ranks, as integers; None if a variance is 0."""
    n = len(xs)
    if n < 2 or len(ys) != n:
        return None
    rx, ry = _doubled_average_ranks(xs), _doubled_average_ranks(ys)
    sum_x, sum_y = sum(rx), sum(ry)
    covariance = n * sum(map(mul, rx, ry)) - sum_x * sum_y
    variance_x = n * sum(map(mul, rx, rx)) - sum_x * sum_x
    variance_y = n * sum(map(mul, ry, ry)) - sum_y * sum_y
    if variance_x == 0 or variance_y == 0:
        return None
    return covariance, variance_x, variance_y


def _rho_at_least(xs: Sequence[float], ys: Sequence[float], threshold: tuple[int, int]) -> bool:
    """ρ ≥ numerator / denominator (> 0), decided exactly on integers (no rounding at the boundary)."""
    moments = _rank_moments(xs, ys)
    if moments is None:
        return False
    covariance, variance_x, variance_y = moments
    numerator, denominator = threshold
    # cov / sqrt(vx · vy) ≥ n / d  ⇔  cov > 0 and cov² · d² ≥ n² · vx · vy
    return covariance > 0 and covariance * covariance * denominator**2 >= numerator**2 * variance_x * variance_y


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


# --- The nights a rule looks at -----------------------------------------------------------------


class Window:
    """The nights of one report, indexed by date so every "last N days" slice is a bisect.

    ``nights`` are the logged nights in [start, end]; ``context`` are all nights up to ``end``,
    including the ones before ``start`` that only serve as bed-change context.
    """

    def __init__(self, nights: Sequence[NightRecord], start: date, end: date):
        context = sorted((night for night in nights if night.date <= end), key=BY_DATE)
        self.start, self.end = start, end
        self.context: list[NightRecord] = context
        self._context_dates = [night.date for night in context]
        first = bisect_left(self._context_dates, start)
        self.nights: list[NightRecord] = context[first:]
        self._dates = self._context_dates[first:]

    def between(self, first: date, last: date) -> list[NightRecord]:
        """Logged nights of the period dated first..last inclusive."""
        return self.nights[bisect_left(self._dates, first) : bisect_right(self._dates, last)]

    def context_between(self, first: date, last: date) -> list[NightRecord]:
        """Logged nights dated first..last, including context nights before the period."""
        return self.context[bisect_left(self._context_dates, first) : bisect_right(self._context_dates, last)]

    def last_days(self, days: int) -> list[NightRecord]:
        """Logged nights of the period in end-(days-1)..end."""
        return self.between(self.end - timedelta(days=days - 1), self.end)

    @cached_property
    def bed_history(self) -> tuple[list[NightRecord], list[tuple[int, int]]]:
        """Context nights that have a bed, and (index, gap in days) of every bed change among them."""
        return _changes_with_index(self.context)

    @cached_property
    def bed_trials(self) -> list[tuple[BedTrial, str | None]]:
        """Each judged bed change of the period with its outcome code (worked out once)."""
        return [(trial, trial.outcome(self.end)) for trial in _bed_trials(self)]


# --- Bed changes ---------------------------------------------------------------------------------


def _changes_with_index(nights: Sequence[NightRecord]) -> tuple[list[NightRecord], list[tuple[int, int]]]:
    """Nights that have a bed, and (index, gap in days) of each night whose bed differs from the last."""
    keyed = [(key, night) for night in nights if (key := _bed_key(night)) is not None]
    with_bed = [night for _key, night in keyed]
    changes = [
        (i, (with_bed[i].date - with_bed[i - 1].date).days)
        for i in range(1, len(keyed))
        if keyed[i][0] != keyed[i - 1][0]
    ]
    return with_bed, changes


def bed_changes(nights: Iterable[NightRecord]) -> list[BedChange]:
    """Every night whose bed differs from the bed of the previous logged night, oldest first.

    For display (charts, diary, PDF): there is no limit on the gap between the two nights.
    Nights without a bed are skipped.
    """
    with_bed, changes = _changes_with_index(sorted(nights, key=BY_DATE))
    return [BedChange(with_bed[i].date, with_bed[i - 1].bed_name, with_bed[i].bed_name) for i, _gap in changes]


@dataclass(frozen=True, slots=True)
class BedTrial:
    """One judged bed change: the baseline before it and the nights on the new bed after it."""

    change: BedChange
    baseline: tuple[NightRecord, ...]  # logged nights in [D-14, D-1]
    new_bed: tuple[NightRecord, ...]  # nights on the new bed in [D, D+27], until the next change
    baseline_sum: int

    @property
    def baseline_mean(self) -> float:
        return self.baseline_sum / len(self.baseline)

    def on_new_bed(self, first_day: int, last_day: int) -> list[NightRecord]:
        first, last = self.change.date + timedelta(days=first_day), self.change.date + timedelta(days=last_day)
        return [night for night in self.new_bed if first <= night.date <= last]

    def helped_nights(self) -> list[NightRecord]:
        return self.on_new_bed(BED_SETTLE_DAYS, BED_TRIAL_LAST_DAY)

    def helped(self) -> bool:
        """≥ 3 nights in [D+2, D+27] with mean ≤ B - 2 or ≤ 0.7 × B (exact arithmetic)."""
        judged = self.helped_nights()
        if len(judged) < BED_HELPED_MIN_NIGHTS:
            return False
        new_sum, new_n = sum(night.night_pain for night in judged), len(judged)
        base_sum, base_n = self.baseline_sum, len(self.baseline)
        fell_by_points = new_sum * base_n <= (base_sum - BED_HELPED_FALL_POINTS * base_n) * new_n
        numerator, denominator = BED_HELPED_RATIO
        fell_by_share = denominator * new_sum * base_n <= numerator * base_sum * new_n
        return fell_by_points or fell_by_share

    def outcome(self, end: date) -> str | None:
        """Which of the three bed-change codes this change gets, if any."""
        if self.helped():
            return "BED_CHANGE_HELPED"
        trial_over = end >= self.change.date + timedelta(days=BED_TRIAL_LAST_DAY)
        if (
            trial_over
            and len(self.on_new_bed(BED_LATE_WINDOW_FIRST_DAY, BED_TRIAL_LAST_DAY)) >= BED_NO_EFFECT_MIN_NIGHTS
        ):
            return "BED_CHANGE_NO_EFFECT"
        if not trial_over:
            return "BED_CHANGE_TOO_EARLY"
        return None  # the four weeks are over but too few nights were logged to judge


def _bed_trials(window: Window) -> list[BedTrial]:
    """The bed changes in the period that can be judged (close nights, a baseline of ≥ 5 nights, B ≥ 2)."""
    with_bed, changes = window.bed_history
    trials = []
    for position, (i, gap) in enumerate(changes):
        night = with_bed[i]
        if night.date < window.start or gap > BED_CHANGE_MAX_GAP_DAYS:
            continue
        baseline = window.context_between(
            night.date - timedelta(days=BED_BASELINE_DAYS), night.date - timedelta(days=1)
        )
        if len(baseline) < BED_BASELINE_MIN_NIGHTS:
            continue
        baseline_sum = sum(n.night_pain for n in baseline)
        if baseline_sum < BED_BASELINE_MIN_PAIN * len(baseline):
            continue
        # Nights on the new bed stop counting at the next change, whatever its gap; nothing after
        # D+27 is ever judged, and dates are unique, so at most 28 nights are kept.
        next_change = changes[position + 1][0] if position + 1 < len(changes) else len(with_bed)
        last_judged = night.date + timedelta(days=BED_TRIAL_LAST_DAY)
        new_bed = tuple(n for n in with_bed[i : min(next_change, i + BED_TRIAL_LAST_DAY + 1)] if n.date <= last_judged)
        change = BedChange(night.date, with_bed[i - 1].bed_name, night.bed_name)
        trials.append(BedTrial(change, tuple(baseline), new_bed, baseline_sum))
    return trials


# --- The rules (table order) -----------------------------------------------------------------------


def _count(number: int, noun: str) -> str:
    """'1 night', '3 nights': plain words rather than 'night(s)'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def red_flag_nerves(window: Window) -> Finding | None:
    """Saddle numbness, new bladder/bowel trouble or leg weakness on any night of the last 7 days."""
    flagged = [
        night for night in window.last_days(RED_FLAG_DAYS) if any(sign in night.symptoms for sign in RED_FLAG_SYMPTOMS)
    ]
    if not flagged:
        return None
    signs = sorted(
        {sign.replace("_", " ") for night in flagged for sign in RED_FLAG_SYMPTOMS if sign in night.symptoms}
    )
    days = _dates(flagged)
    return Finding(
        code="RED_FLAG_NERVES",
        level=Level.URGENT,
        title="Get medical help now: possible pressure on the nerves of the lower back",
        message=(
            "You logged numbness around the genitals, buttocks or inner thighs, new trouble controlling "
            "your bladder or bowel, or new weakness in a leg. With back pain these can be signs of pressure "
            "on the nerves at the base of the spine, which must be checked straight away. Go to an emergency "
            "department or call your emergency number now, even if the pain is mild."
        ),
        evidence=days,
        article=ARTICLES["RED_FLAG_NERVES"],
        detail=f"Possible cauda equina signs ({', '.join(signs)}) on {_count(len(days), 'night')} in the last {RED_FLAG_DAYS} days.",
        tell_doctor=f"I have back pain and on {_day_list(days)} I noticed {', '.join(signs)}.",
    )


def kidney_infection_signs(window: Window) -> Finding | None:
    """Temperature ≥ 38.0 °C with flank pain, painful urination, chills or nausea in the last 2 days."""
    flagged = [
        night
        for night in window.last_days(KIDNEY_DAYS)
        if has_fever(night) and (night.pain_areas & KIDNEY_AREAS or night.symptoms & KIDNEY_SYMPTOMS)
    ]
    if not flagged:
        return None
    days = _dates(flagged)
    top = max(night.temperature_c for night in flagged)
    signs = sorted(
        {
            s.replace("_", " ")
            for night in flagged
            for s in (night.pain_areas & KIDNEY_AREAS) | (night.symptoms & KIDNEY_SYMPTOMS)
        }
    )
    return Finding(
        code="KIDNEY_INFECTION_SIGNS",
        level=Level.URGENT,
        title="Get medical help today: fever with kidney-area signs",
        message=(
            "You had a temperature of 38 °C or more together with pain in the side under the ribs, pain when "
            "urinating, chills or nausea. This combination can come from a kidney infection, which needs "
            "treatment the same day. Contact a doctor or urgent care today; if you feel confused, very drowsy "
            "or cannot keep fluids down, go to an emergency department now."
        ),
        evidence=days,
        article=ARTICLES["KIDNEY_INFECTION_SIGNS"],
        detail=f"Temperature up to {top} °C with {', '.join(signs)} in the last {KIDNEY_DAYS} days.",
        tell_doctor=f"On {_day_list(days)} my temperature was up to {top} °C and I had {', '.join(signs)}.",
    )


def fever(window: Window, kidney_fired: bool = False) -> Finding | None:
    """≥ 2 nights with temperature ≥ 38.0 °C in the last 7 days, unless KIDNEY_INFECTION_SIGNS fired."""
    if kidney_fired:
        return None
    feverish = [night for night in window.last_days(FEVER_DAYS) if has_fever(night)]
    if len(feverish) < FEVER_MIN_NIGHTS:
        return None
    days = _dates(feverish)
    top = max(night.temperature_c for night in feverish)
    return Finding(
        code="FEVER",
        level=Level.SEE_DOCTOR,
        title="Fever on several nights",
        message=(
            "You had a temperature of 38 °C or more on more than one night this week. Fever together with "
            "back pain should be checked by a doctor, because an infection needs to be ruled out. Book an "
            "appointment soon; seek care today if you feel very unwell."
        ),
        evidence=days,
        article=ARTICLES["FEVER"],
        detail=f"Temperature ≥ 38.0 °C on {len(days)} of the last {FEVER_DAYS} days (max {top} °C).",
        tell_doctor=f"I had a temperature of 38 °C or more on {len(days)} nights ({_day_list(days)}), up to {top} °C.",
    )


def urinary_symptoms(window: Window) -> Finding | None:
    """Painful urination on ≥ 2 nights or blood in urine on ≥ 1 night in the last 7 days."""
    recent = window.last_days(URINARY_DAYS)
    painful = [night for night in recent if "painful_urination" in night.symptoms]
    blood = [night for night in recent if "blood_in_urine" in night.symptoms]
    if len(painful) < PAINFUL_URINATION_MIN_NIGHTS and len(blood) < BLOOD_IN_URINE_MIN_NIGHTS:
        return None
    days = _dates(painful + blood)
    return Finding(
        code="URINARY_SYMPTOMS",
        level=Level.SEE_DOCTOR,
        title="Urinary symptoms with back pain",
        message=(
            "You logged pain when urinating or blood in your urine. With back pain these are worth a check "
            "for a urinary or kidney problem. Book an appointment soon; seek care today if you also have a "
            "fever, chills or pain under the ribs."
        ),
        evidence=days,
        article=ARTICLES["URINARY_SYMPTOMS"],
        detail=f"Painful urination on {len(painful)} and blood in urine on {len(blood)} of the last {URINARY_DAYS} days.",
        tell_doctor=(
            f"In the last week I had pain when urinating on {_count(len(painful), 'night')} and noticed blood in my urine "
            f"on {len(blood)} ({_day_list(days)})."
        ),
    )


def frequent_night_urination(window: Window) -> Finding | None:
    """Woke to urinate ≥ 2 times on ≥ 4 nights of the last 7 days."""
    frequent = [
        night
        for night in window.last_days(NIGHT_URINATION_DAYS)
        if night.night_urinations is not None and night.night_urinations >= NIGHT_URINATIONS_MIN
    ]
    if len(frequent) < NIGHT_URINATION_MIN_NIGHTS:
        return None
    days = _dates(frequent)
    return Finding(
        code="FREQUENT_NIGHT_URINATION",
        level=Level.INFO,
        title="Waking often to urinate",
        message=(
            "On most nights this week you got up at least twice to urinate. This is common and has many "
            "causes, most of them not serious, but it is worth mentioning at your next appointment."
        ),
        evidence=days,
        article=ARTICLES["FREQUENT_NIGHT_URINATION"],
        detail=f"≥ {NIGHT_URINATIONS_MIN} night voids on {len(days)} of the last {NIGHT_URINATION_DAYS} days.",
        tell_doctor=f"I got up to urinate two or more times a night on {len(days)} nights in the last week.",
    )


def morning_pain_persists(window: Window) -> Finding | None:
    """≥ 4 nights in the last 14 days with morning pain lasting more than 15 minutes."""
    long_mornings = [
        night for night in window.last_days(MORNING_PAIN_DAYS) if night.morning_pain_minutes > MORNING_PAIN_LIMIT_MIN
    ]
    if len(long_mornings) < MORNING_PAIN_MIN_NIGHTS:
        return None
    days = _dates(long_mornings)
    median_minutes = statistics.median(night.morning_pain_minutes for night in long_mornings)
    return Finding(
        code="MORNING_PAIN_PERSISTS",
        level=Level.SEE_DOCTOR,
        title="Morning pain that lasts more than a quarter of an hour",
        message=(
            "On several mornings your pain or stiffness lasted more than 15 minutes after getting up. Pain "
            "that lingers like this is less likely to come from the bed alone and is worth discussing with a "
            "doctor."
        ),
        evidence=days,
        article=ARTICLES["MORNING_PAIN_PERSISTS"],
        detail=(
            f"Morning pain > {MORNING_PAIN_LIMIT_MIN} min on {len(days)} of the last {MORNING_PAIN_DAYS} days "
            f"(median {median_minutes:g} min on those mornings)."
        ),
        tell_doctor=f"On {len(days)} mornings in two weeks my back pain or stiffness lasted more than 15 minutes after getting up.",
    )


def bed_change_helped(window: Window) -> list[Finding]:
    """For each judged bed change: ≥ 3 nights on the new bed in [D+2, D+27] with mean ≤ B-2 or ≤ 0.7 × B."""
    findings = []
    for trial, outcome in window.bed_trials:
        if outcome != "BED_CHANGE_HELPED":
            continue
        judged = trial.helped_nights()
        base, new = trial.baseline_mean, _mean(judged)
        change = trial.change
        findings.append(
            Finding(
                code="BED_CHANGE_HELPED",
                level=Level.INFO,
                title=f"Night pain fell after the change to {change.to_bed}",
                message=(
                    f"Since you started sleeping on {change.to_bed}, your night pain has been clearly lower than "
                    "in the two weeks before. The bed may have been part of the problem. Keep logging: a change "
                    "is most reliable once it has lasted about four weeks."
                ),
                evidence=_dates([*judged, *trial.new_bed[:1]]),
                article=ARTICLES["BED_CHANGE_HELPED"],
                detail=(
                    f"Bed change {change.date.isoformat()} ({change.from_bed} → {change.to_bed}): night pain "
                    f"{_fmt(base)} over {len(trial.baseline)} nights before, {_fmt(new)} over {len(judged)} nights "
                    f"in days 2–{BED_TRIAL_LAST_DAY} after."
                ),
                tell_doctor=(
                    f"When I changed to {change.to_bed} on {change.date:%d %b %Y}, my night pain fell from about "
                    f"{_fmt(base)} to {_fmt(new)} out of 10."
                ),
            )
        )
    return findings


def bed_change_no_effect(window: Window) -> list[Finding]:
    """For each judged bed change: not helped, end ≥ D+27 and ≥ 7 nights on the new bed in [D+14, D+27]."""
    findings = []
    for trial, outcome in window.bed_trials:
        if outcome != "BED_CHANGE_NO_EFFECT":
            continue
        late = trial.on_new_bed(BED_LATE_WINDOW_FIRST_DAY, BED_TRIAL_LAST_DAY)
        base, new = trial.baseline_mean, _mean(late)
        change = trial.change
        findings.append(
            Finding(
                code="BED_CHANGE_NO_EFFECT",
                level=Level.SEE_DOCTOR,
                title=f"Four weeks on {change.to_bed} did not ease your night pain",
                message=(
                    f"You have slept on {change.to_bed} for about four weeks and your night pain has not clearly "
                    "improved. That makes the bed an unlikely cause, so it is worth asking a doctor what else "
                    "could be behind the pain."
                ),
                evidence=_dates([*late, *trial.new_bed[:1]]),
                article=ARTICLES["BED_CHANGE_NO_EFFECT"],
                detail=(
                    f"Bed change {change.date.isoformat()} ({change.from_bed} → {change.to_bed}): night pain "
                    f"{_fmt(base)} over {len(trial.baseline)} nights before, {_fmt(new)} over {len(late)} nights "
                    f"in days {BED_LATE_WINDOW_FIRST_DAY}–{BED_TRIAL_LAST_DAY} after; no fall of ≥ 2 points or ≥ 30 %."
                ),
                tell_doctor=(
                    f"I changed my bed on {change.date:%d %b %Y} and after four weeks my night pain is still about "
                    f"{_fmt(new)} out of 10 (it was {_fmt(base)} before)."
                ),
            )
        )
    return findings


def bed_change_too_early(window: Window) -> list[Finding]:
    """For each judged bed change: neither of the two above, and end < D+27."""
    findings = []
    for trial, outcome in window.bed_trials:
        if outcome != "BED_CHANGE_TOO_EARLY":
            continue
        change = trial.change
        days_in = (window.end - change.date).days
        findings.append(
            Finding(
                code="BED_CHANGE_TOO_EARLY",
                level=Level.INFO,
                title=f"Too early to judge {change.to_bed}",
                message=(
                    f"You changed to {change.to_bed} {_count(days_in, 'day')} before the end of this report. Studies "
                    "judged mattresses after about four weeks, so keep logging before deciding whether it helps."
                ),
                evidence=_dates(trial.new_bed),
                article=ARTICLES["BED_CHANGE_TOO_EARLY"],
                detail=(
                    f"Bed change {change.date.isoformat()} ({change.from_bed} → {change.to_bed}): baseline "
                    f"{_fmt(trial.baseline_mean)} over {len(trial.baseline)} nights; "
                    f"{_count(len(trial.new_bed), 'night')} on the new bed so far; judged at day {BED_TRIAL_LAST_DAY}."
                ),
                tell_doctor=f"I changed my bed on {change.date:%d %b %Y}; it is too early to say whether it helps.",
            )
        )
    return findings


def inflammatory_pattern(window: Window) -> Finding | None:
    """≥ 14 logged nights in the last 28 days and ≥ 2 of the four Berlin-style criteria (a)-(d)."""
    recent = window.last_days(INFLAMMATORY_DAYS)
    if len(recent) < INFLAMMATORY_MIN_NIGHTS:
        return None
    met: list[str] = []
    evidence: list[NightRecord] = []

    # (a) long morning stiffness: ≥ 7 pain mornings whose median minutes are > 30.
    pain_mornings = [night for night in recent if is_pain_morning(night)]
    if len(pain_mornings) >= INFLAMMATORY_MIN_PAIN_MORNINGS:
        median_minutes = statistics.median(night.morning_pain_minutes for night in pain_mornings)
        if median_minutes > INFLAMMATORY_STIFFNESS_MIN:
            met.append(f"(a) median morning pain {median_minutes:g} min over {len(pain_mornings)} pain mornings")
            evidence += [n for n in pain_mornings if n.morning_pain_minutes > INFLAMMATORY_STIFFNESS_MIN]

    # (b) better with movement, not with rest: of the nights that say what eased the pain.
    answered = [night for night in recent if night.eased_by]
    moving = [night for night in answered if night.eased_by & {"movement", "hot_shower"}]
    resting = [night for night in answered if "rest" in night.eased_by]
    if (
        len(answered) >= INFLAMMATORY_MIN_EASED_NIGHTS
        and _at_least_share(len(moving), len(answered), INFLAMMATORY_MOVEMENT_SHARE)
        and _below_share(len(resting), len(answered), INFLAMMATORY_REST_SHARE)
    ):
        met.append(f"(b) eased by movement/hot shower on {len(moving)}/{len(answered)}, by rest on {len(resting)}")
        evidence += moving

    # (c) woken in the second half of the night on ≥ 25 % of logged nights.
    late = [night for night in recent if night.woke_by_pain == "late"]
    if _at_least_share(len(late), len(recent), LATE_WAKING_SHARE):
        met.append(f"(c) woken late on {len(late)}/{len(recent)} nights")
        evidence += late

    # (d) alternating buttock pain: left on one night and right on a different night.
    left = [night for night in recent if "buttock_left" in night.pain_areas]
    right = [night for night in recent if "buttock_right" in night.pain_areas]
    if left and right and not (len(left) == 1 and len(right) == 1 and left[0].date == right[0].date):
        met.append(f"(d) left buttock on {len(left)}, right buttock on {len(right)} nights")
        evidence += left + right

    if len(met) < INFLAMMATORY_MIN_CRITERIA:
        return None
    return Finding(
        code="INFLAMMATORY_PATTERN",
        level=Level.SEE_DOCTOR,
        title="Your nights match a pattern doctors call inflammatory back pain",
        message=(
            "Several features of your last four weeks — such as long morning stiffness, pain that eases with "
            "movement rather than rest, waking in the second half of the night, or pain switching between the "
            "buttocks — match a pattern doctors call inflammatory back pain. This is not a diagnosis, but it is "
            "worth showing to a doctor, who may check for conditions such as axial spondyloarthritis."
        ),
        evidence=_dates(evidence),
        article=ARTICLES["INFLAMMATORY_PATTERN"],
        detail=f"{len(met)} of 4 Berlin-style criteria over {len(recent)} nights in {INFLAMMATORY_DAYS} days: "
        + "; ".join(met)
        + ".",
        tell_doctor="My diary shows " + "; ".join(item[4:] for item in met) + " over the last four weeks.",
    )


def night_pain_unrelieved(window: Window) -> Finding | None:
    """In the last 14 days: woken by pain on ≥ 8 nights, with nothing easing it on ≥ 4 of those."""
    woken = [night for night in window.last_days(UNRELIEVED_DAYS) if night.woke_by_pain != "no"]
    unrelieved = [night for night in woken if "nothing" in night.eased_by]
    if len(woken) < UNRELIEVED_MIN_WOKEN or len(unrelieved) < UNRELIEVED_MIN_NOTHING:
        return None
    return Finding(
        code="NIGHT_PAIN_UNRELIEVED",
        level=Level.SEE_DOCTOR,
        title="Night pain that wakes you and nothing eases",
        message=(
            "Pain woke you on most nights of the last two weeks, and on several of them nothing you tried "
            "helped. Night pain on its own is common and rarely serious, but pain like this deserves a "
            "doctor's look."
        ),
        evidence=_dates(woken),
        article=ARTICLES["NIGHT_PAIN_UNRELIEVED"],
        detail=f"Woken by pain on {len(woken)} of the last {UNRELIEVED_DAYS} days; nothing eased it on {len(unrelieved)} of those.",
        tell_doctor=(
            f"Pain woke me on {len(woken)} nights in the last two weeks and on {len(unrelieved)} of them nothing helped."
        ),
    )


def pain_worsening(window: Window) -> Finding | None:
    """≥ 5 nights in the last 7 days, ≥ 10 in the 21 before, and the recent mean ≥ the earlier mean + 2."""
    recent = window.last_days(WORSENING_RECENT_DAYS)
    earlier_last = window.end - timedelta(days=WORSENING_RECENT_DAYS)
    earlier = window.between(earlier_last - timedelta(days=WORSENING_EARLIER_DAYS - 1), earlier_last)
    if len(recent) < WORSENING_MIN_RECENT_NIGHTS or len(earlier) < WORSENING_MIN_EARLIER_NIGHTS:
        return None
    recent_sum, earlier_sum = sum(n.night_pain for n in recent), sum(n.night_pain for n in earlier)
    # recent_sum / len(recent) ≥ earlier_sum / len(earlier) + 2, in integers.
    if recent_sum * len(earlier) < (earlier_sum + WORSENING_RISE_POINTS * len(earlier)) * len(recent):
        return None
    before, now = earlier_sum / len(earlier), recent_sum / len(recent)
    return Finding(
        code="PAIN_WORSENING",
        level=Level.SEE_DOCTOR,
        title="Your night pain is getting worse",
        message=(
            "Your night pain this week is clearly higher than in the three weeks before. Pain that keeps "
            "getting worse should be checked by a doctor; book an appointment."
        ),
        evidence=_dates(recent),
        article=ARTICLES["PAIN_WORSENING"],
        detail=(
            f"Mean night pain {_fmt(now)} over {len(recent)} nights in the last {WORSENING_RECENT_DAYS} days vs "
            f"{_fmt(before)} over {len(earlier)} nights in the {WORSENING_EARLIER_DAYS} days before (+{_fmt(now - before)})."
        ),
        tell_doctor=f"My night pain rose from about {_fmt(before)} to {_fmt(now)} out of 10 over the last week.",
    )


def pain_not_improving(window: Window) -> Finding | None:
    """Span ≥ 28 days, first 7 nights' mean ≥ 4 and last 7 nights' mean > 0.7 × that."""
    nights = window.nights
    if len(nights) < NOT_IMPROVING_GROUP_NIGHTS:
        return None
    # The span counts calendar days inclusively, like "the last N days": 1 Nov..28 Nov is 28 days.
    span_days = (nights[-1].date - nights[0].date).days + 1
    if span_days < NOT_IMPROVING_MIN_SPAN_DAYS:
        return None
    first, last = nights[:NOT_IMPROVING_GROUP_NIGHTS], nights[-NOT_IMPROVING_GROUP_NIGHTS:]
    first_sum, last_sum = sum(n.night_pain for n in first), sum(n.night_pain for n in last)
    if first_sum < NOT_IMPROVING_MIN_START_PAIN * NOT_IMPROVING_GROUP_NIGHTS:
        return None
    numerator, denominator = NOT_IMPROVING_RATIO
    if denominator * last_sum <= numerator * first_sum:  # improved by ≥ 30 %
        return None
    before, now = _mean(first), _mean(last)
    return Finding(
        code="PAIN_NOT_IMPROVING",
        level=Level.SEE_DOCTOR,
        title="Your night pain has not improved in a month or more",
        message=(
            "Over more than four weeks of your diary, your night pain has not clearly improved. Back pain "
            "that does not get better after a month is worth showing to a doctor; book an appointment."
        ),
        evidence=_dates([*first, *last]),
        article=ARTICLES["PAIN_NOT_IMPROVING"],
        detail=(
            f"Mean night pain {_fmt(before)} over the first {NOT_IMPROVING_GROUP_NIGHTS} logged nights and "
            f"{_fmt(now)} over the last {NOT_IMPROVING_GROUP_NIGHTS} ({span_days}-day span); a fall of < 30 %."
        ),
        tell_doctor=(
            f"Over {span_days} days my night pain went from about {_fmt(before)} to {_fmt(now)} out of 10 — "
            "not much better."
        ),
    )


def stress_link(window: Window) -> Finding | None:
    """≥ 21 nights with both stress and night pain logged, Spearman ρ ≥ 0.4."""
    paired = [night for night in window.nights if night.stress is not None]
    if len(paired) < STRESS_MIN_NIGHTS:
        return None
    stress = [night.stress for night in paired]
    pain = [night.night_pain for night in paired]
    if not _rho_at_least(stress, pain, STRESS_MIN_RHO):
        return None
    rho = spearman_rho(stress, pain) or 0.0
    return Finding(
        code="STRESS_LINK",
        level=Level.INFO,
        title="Your night pain tends to be worse on stressful days",
        message=(
            "In your diary, nights after more stressful days tend to be more painful. Stress can make back "
            "pain feel worse; ways of easing stress may help alongside other treatment."
        ),
        evidence=_dates(paired),
        article=ARTICLES["STRESS_LINK"],
        detail=f"Spearman ρ = {rho:.2f} between stress and night pain over {len(paired)} nights.",
        tell_doctor=f"My diary shows night pain rising with stress (Spearman ρ {rho:.2f} over {len(paired)} nights).",
    )


def not_enough_data(window: Window) -> Finding | None:
    """Fewer than 7 logged nights in the period (the other rules still run)."""
    if len(window.nights) >= NOT_ENOUGH_NIGHTS:
        return None
    days_in_period = (window.end - window.start).days + 1
    return Finding(
        code="NOT_ENOUGH_DATA",
        level=Level.INFO,
        title="Not enough nights yet",
        message=(
            f"This report has {_count(len(window.nights), 'logged night')}. Patterns only show after at least a week "
            "of entries, so keep logging each morning."
        ),
        evidence=_dates(window.nights),
        article=ARTICLES["NOT_ENOUGH_DATA"],
        detail=f"{len(window.nights)} of {days_in_period} nights logged; at least {NOT_ENOUGH_NIGHTS} needed.",
        tell_doctor=f"I have logged {_count(len(window.nights), 'night')} so far, so my diary is still short.",
    )


def _onset_age(profile: ProfileFacts | None) -> int | None:
    """Age when the back pain began, from the birth year (so it may be a year off)."""
    if profile is None or profile.birth_year is None or profile.back_pain_since is None:
        return None
    return profile.back_pain_since.year - profile.birth_year


def night_pain_risk_factors(window: Window, profile: ProfileFacts | None = None) -> Finding | None:
    """≥ 3 nights with night pain ≥ 1 in the last 14 days and a red-flag risk factor."""
    painful = [night for night in window.last_days(RISK_PAIN_DAYS) if night.night_pain >= 1]
    if len(painful) < RISK_MIN_PAIN_NIGHTS:
        return None
    weight_loss = [night for night in window.nights if "weight_loss" in night.symptoms]
    factors = []
    if profile is not None:
        if profile.history_of_cancer:
            factors.append("a history of cancer")
        if profile.osteoporosis:
            factors.append("osteoporosis")
        if profile.long_term_steroids:
            factors.append("long-term steroid tablets")
    onset = _onset_age(profile)
    if onset is not None and onset >= RISK_ONSET_AGE:
        factors.append(f"back pain that began around age {onset}")
    if weight_loss:
        factors.append("unexplained weight loss")
    if not factors:
        return None
    return Finding(
        code="NIGHT_PAIN_RISK_FACTORS",
        level=Level.SEE_DOCTOR,
        title="Night pain together with a risk factor",
        message=(
            f"You have had night pain on several nights and you recorded {', '.join(factors)}. Night pain on "
            "its own is rarely serious, but with this background doctors like to check the cause. Book an "
            "appointment and mention it."
        ),
        evidence=_dates(painful + weight_loss),
        article=ARTICLES["NIGHT_PAIN_RISK_FACTORS"],
        detail=f"Night pain ≥ 1 on {len(painful)} of the last {RISK_PAIN_DAYS} days; risk factors: {', '.join(factors)}.",
        tell_doctor=f"I have had night back pain on {len(painful)} nights in two weeks, and I have {', '.join(factors)}.",
    )


def spa_referral_criteria(window: Window, profile: ProfileFacts | None = None) -> Finding | None:
    """NICE NG65 count for back pain > 3 months that began before 45; ≥ 3 criteria gives a finding.

    Each criterion as computed from the diary and profile:
    1. onset before 35: back_pain_since.year - birth_year < 35;
    2. waking in the second half of the night: woke_by_pain == "late" on ≥ 25 % of logged nights in the period;
    3. buttock pain: buttock_left or buttock_right on any logged night in the period;
    4. improvement with movement: "movement" on ≥ 50 % of the nights that say what eased the pain;
    5. improvement with NSAIDs within 48 h: approximated by "painkiller" on ≥ 50 % of those nights
       (the diary does not record which painkiller or how soon it worked);
    6. first-degree relative with spondyloarthritis: profile.family_spondyloarthritis;
    7. current or past psoriasis, arthritis or enthesitis: profile.psoriasis_arthritis_enthesitis.
    """
    onset = _onset_age(profile)
    if profile is None or onset is None or profile.back_pain_since is None or onset >= SPA_MAX_ONSET_AGE:
        return None
    if window.end <= _add_months(profile.back_pain_since, SPA_MIN_MONTHS):
        return None  # not yet more than 3 months of back pain
    nights = window.nights
    answered = [night for night in nights if night.eased_by]
    late = [night for night in nights if night.woke_by_pain == "late"]
    buttock = [night for night in nights if night.pain_areas & {"buttock_left", "buttock_right"}]
    movement = [night for night in answered if "movement" in night.eased_by]
    painkiller = [night for night in answered if "painkiller" in night.eased_by]

    met: list[str] = []
    evidence: list[NightRecord] = []
    if onset < SPA_EARLY_ONSET_AGE:
        met.append(f"onset before {SPA_EARLY_ONSET_AGE} (around age {onset})")
    if _at_least_share(len(late), len(nights), LATE_WAKING_SHARE):
        met.append(f"woken in the second half of the night on {len(late)}/{len(nights)} nights")
        evidence += late
    if buttock:
        met.append(f"buttock pain on {len(buttock)} nights")
        evidence += buttock
    if _at_least_share(len(movement), len(answered), SPA_EASING_SHARE):
        met.append(f"eased by movement on {len(movement)}/{len(answered)} nights")
        evidence += movement
    if _at_least_share(len(painkiller), len(answered), SPA_EASING_SHARE):
        met.append(f"eased by a painkiller on {len(painkiller)}/{len(answered)} nights (stands in for NSAID response)")
        evidence += painkiller
    if profile.family_spondyloarthritis:
        met.append("a close relative with spondyloarthritis")
    if profile.psoriasis_arthritis_enthesitis:
        met.append("psoriasis, arthritis or enthesitis")

    if len(met) < SPA_TEST_EXACT:
        return None
    refer = len(met) >= SPA_REFER_MIN
    if refer:
        title = "Your answers meet the NICE criteria for a rheumatology referral"
        advice = (
            "UK NICE guidance suggests that people with this combination are referred to a rheumatologist "
            "(a specialist in inflammatory joint and spine conditions) to check for spondyloarthritis. This is "
            "not a diagnosis; show this report to your doctor and ask about a referral."
        )
        ask = "Should I be referred to a rheumatologist to check for spondyloarthritis?"
    else:
        title = "Your answers meet three of the NICE spondyloarthritis criteria"
        advice = (
            "UK NICE guidance suggests that with exactly three of these features a doctor considers a blood "
            "test called HLA-B27. This is not a diagnosis; ask your doctor whether the test makes sense for you."
        )
        ask = "Would an HLA-B27 blood test make sense for me?"
    return Finding(
        code="SPA_REFERRAL_CRITERIA",
        level=Level.SEE_DOCTOR,
        title=title,
        message=f"Your back pain has lasted more than three months and began before 45, and you have {len(met)} of "
        f"the features NICE lists for spondyloarthritis. {advice}",
        evidence=_dates(evidence),
        article=ARTICLES["SPA_REFERRAL_CRITERIA"],
        detail=f"NICE NG65: {len(met)} of 7 criteria ({'; '.join(met)}); "
        + ("refer to rheumatology." if refer else "consider HLA-B27 test."),
        tell_doctor=f"I have {'; '.join(met)}. {ask}",
    )


def bed_likely(window: Window, findings: Sequence[Finding] = ()) -> Finding | None:
    """Decided last: ≥ 5 pain mornings in the last 14 days, ≥ 80 % of them ≤ 15 min, and no
    urgent or see_doctor finding at all."""
    if any(finding.level in (Level.URGENT, Level.SEE_DOCTOR) for finding in findings):
        return None
    pain_mornings = [night for night in window.last_days(BED_LIKELY_DAYS) if is_pain_morning(night)]
    short = [night for night in pain_mornings if night.morning_pain_minutes <= MORNING_PAIN_LIMIT_MIN]
    if len(pain_mornings) < BED_LIKELY_MIN_PAIN_MORNINGS:
        return None
    if not _at_least_share(len(short), len(pain_mornings), BED_LIKELY_SHORT_SHARE):
        return None
    return Finding(
        code="BED_LIKELY",
        level=Level.INFO,
        title="Your pattern fits a bed-related cause",
        message=(
            "Your morning pain usually fades within a quarter of an hour of getting up, and nothing else in "
            "your diary points to a medical cause. That fits pain from the bed or sleeping position; trying a "
            "different (medium-firm) mattress for about four weeks is a reasonable next step."
        ),
        evidence=_dates(short),
        article=ARTICLES["BED_LIKELY"],
        detail=(
            f"{len(short)} of {len(pain_mornings)} pain mornings in the last {BED_LIKELY_DAYS} days lasted "
            f"≤ {MORNING_PAIN_LIMIT_MIN} min; no urgent or see-doctor finding."
        ),
        tell_doctor="My morning back pain usually goes within 15 minutes of getting up.",
    )


# --- Summary and report ----------------------------------------------------------------------------


def summarize(nights: Sequence[NightRecord], start: date, end: date, changes: Sequence[BedChange]) -> Summary:
    """The report's numbers, over the logged nights of [start, end] (oldest first)."""
    pains = [night.night_pain for night in nights]
    minutes = [night.morning_pain_minutes for night in nights]
    beds_used = tuple(dict.fromkeys(night.bed_name for night in nights if _bed_key(night) is not None))
    return Summary(
        nights_logged=len(nights),
        nights_in_period=(end - start).days + 1,
        mean_night_pain=sum(pains) / len(pains) if pains else None,
        median_night_pain=float(statistics.median(pains)) if pains else None,
        max_night_pain=max(pains) if pains else None,
        nights_woken=sum(1 for night in nights if night.woke_by_pain != "no"),
        median_morning_minutes=float(statistics.median(minutes)) if minutes else None,
        share_mornings_over_15=(
            sum(1 for m in minutes if m > MORNING_PAIN_LIMIT_MIN) / len(minutes) if minutes else None
        ),
        nights_with_fever=sum(1 for night in nights if has_fever(night)),
        nights_with_urinary_signs=sum(1 for night in nights if has_urinary_signs(night)),
        beds_used=beds_used,
        bed_changes=tuple(change for change in changes if start <= change.date <= end),
    )


# The rules that need nothing but the window, in table order (FEVER, BED_LIKELY and the profile
# rules are called by build_report with what they depend on).
_SINGLE_RULES: tuple[Callable[[Window], Finding | None], ...] = (
    urinary_symptoms,
    frequent_night_urination,
    morning_pain_persists,
)
_LATER_RULES: tuple[Callable[[Window], Finding | None], ...] = (
    inflammatory_pattern,
    night_pain_unrelieved,
    pain_worsening,
    pain_not_improving,
    stress_link,
    not_enough_data,
)


def build_report(
    nights: Sequence[NightRecord],
    profile: ProfileFacts | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Report:
    """Run every rule over `nights` and return the report for [start, end].

    `nights` may include nights before `start`: they are context only (the bed of the night
    before, bed-change baselines). Nights after `end` are ignored. start/end default to the first
    and latest logged night; with no nights and no dates, both are today.
    """
    ordered = sorted(nights, key=BY_DATE)
    if end is None:
        end = ordered[-1].date if ordered else (start or date.today())
    if start is None:
        in_range = [night.date for night in ordered if night.date <= end]
        start = in_range[0] if in_range else end
    if start > end:
        raise ValueError(f"The report starts ({start}) after it ends ({end}).")

    window = Window(ordered, start, end)
    found: list[Finding | None] = [red_flag_nerves(window)]
    kidney = kidney_infection_signs(window)
    found += [kidney, fever(window, kidney_fired=kidney is not None)]
    found += [rule(window) for rule in _SINGLE_RULES]
    found += [*bed_change_helped(window), *bed_change_no_effect(window), *bed_change_too_early(window)]
    found += [rule(window) for rule in _LATER_RULES]
    found += [night_pain_risk_factors(window, profile), spa_referral_criteria(window, profile)]
    findings = [finding for finding in found if finding is not None]
    findings.append(bed_likely(window, findings))  # decided last: only when nothing else points elsewhere

    ranked = sorted(
        (finding for finding in findings if finding is not None),
        key=lambda finding: (LEVEL_ORDER[finding.level], _TABLE_ORDER[finding.code]),
    )
    with_bed, changes = window.bed_history
    every_change = [BedChange(with_bed[i].date, with_bed[i - 1].bed_name, with_bed[i].bed_name) for i, _gap in changes]
    summary = summarize(window.nights, start, end, every_change)
    return Report(start=start, end=end, nights=tuple(window.nights), summary=summary, findings=tuple(ranked))


def report_as_dict(report: Report) -> dict:
    """The report in the JSON shape of issue 5 (ISO dates), plus tell_doctor and completeness."""
    summary = report.summary

    def rounded(value: float | None, places: int) -> float | None:
        return None if value is None else round(value, places)

    return {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "summary": {
            "nights_logged": summary.nights_logged,
            "nights_in_period": summary.nights_in_period,
            "completeness": round(summary.completeness, 3),
            "mean_night_pain": rounded(summary.mean_night_pain, 2),
            "median_night_pain": summary.median_night_pain,
            "max_night_pain": summary.max_night_pain,
            "nights_woken": summary.nights_woken,
            "median_morning_minutes": summary.median_morning_minutes,
            "share_mornings_over_15": rounded(summary.share_mornings_over_15, 3),
            "nights_with_fever": summary.nights_with_fever,
            "nights_with_urinary_signs": summary.nights_with_urinary_signs,
            "beds_used": list(summary.beds_used),
            "bed_changes": [
                {"date": change.date.isoformat(), "from_bed": change.from_bed, "to_bed": change.to_bed}
                for change in summary.bed_changes
            ],
        },
        "findings": [
            {
                "code": finding.code,
                "level": str(finding.level),
                "title": finding.title,
                "message": finding.message,
                "detail": finding.detail,
                "evidence": [day.isoformat() for day in finding.evidence],
                "article": finding.article,
                "tell_doctor": finding.tell_doctor,
            }
            for finding in report.findings
        ],
    }
