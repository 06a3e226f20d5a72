"""Bed changes: the display list, runs and away nights, and the judged changes (their three
outcome rules are in ``bed_outcomes``, the per-bed figures in ``bed_figures``, BED_LIKELY in
``mornings``).

A judged bed change (docs/report-rules.md, "Bed change") gets at most one outcome:
BED_CHANGE_HELPED, BED_CHANGE_NO_EFFECT or BED_CHANGE_TOO_EARLY. The three rules share one
implementation (``judged_changes``); only their wording differs. Away nights (a night or two on
a friend's sofa, or any night on an "occasional" bed) are never a bed change and are left out of
every change's baseline and new-bed nights (issue 16).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from diary.rules.records import (
    BY_DATE,
    BedChange,
    NightRecord,
    Window,
)

BED_CHANGE_MAX_GAP_DAYS = 3  # issue 5: a change is only judged when the nights either side are close
RUN_MAX_GAP_DAYS = 3  # issue 16: a run of nights on one bed continues across gaps of at most 3 days
AWAY_MAX_NIGHTS = 2  # issue 16: a run of 1-2 nights on another bed, then back, is an away run
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


# --- Bed history ------------------------------------------------------------------------------------


def bed_key(night: NightRecord) -> int | str | None:
    """Which bed a night was spent in: its id, or its name for hand-built records without ids."""
    if night.bed_id is not None:
        return night.bed_id
    return night.bed_name or None


def changes_with_index(nights: Sequence[NightRecord]) -> tuple[list[NightRecord], list[tuple[int, int]]]:
    """Nights that have a bed, and (index, gap in days) of each night whose bed differs from the last."""
    keyed = [(key, night) for night in nights if (key := bed_key(night)) is not None]
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
    with_bed, changes = changes_with_index(sorted(nights, key=BY_DATE))
    return [BedChange(with_bed[i].date, with_bed[i - 1].bed_name, with_bed[i].bed_name) for i, _gap in changes]


def bed_history(window: Window) -> tuple[list[NightRecord], list[tuple[int, int]]]:
    """Context nights that have a bed, and the (index, gap) of every change among them (once per window)."""
    return window.cached("bed_history", lambda w: changes_with_index(w.context))


# --- Runs and away nights (issue 16) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """Logged nights on one bed, each at most RUN_MAX_GAP_DAYS after the one before."""

    bed: int | str
    nights: tuple[NightRecord, ...]
    away: bool = False

    @property
    def first(self) -> NightRecord:
        return self.nights[0]


def bed_runs(nights: Sequence[NightRecord]) -> list[Run]:
    """The runs of date-ordered nights, each marked away or not (docs/report-rules.md).

    An away run is a run on an occasional bed, or a run of 1-2 nights on a bed other than the
    last non-away run's, followed (after any gap) by a return to that bed: the next run that is
    not on an occasional bed is on it. A short run with nothing after it (the end of the
    period) is therefore not away: it is a change, too early to judge.
    """
    grouped: list[tuple[int | str, list[NightRecord]]] = []
    for night in nights:
        key = bed_key(night)
        if key is None:
            continue
        if grouped and grouped[-1][0] == key and (night.date - grouped[-1][1][-1].date).days <= RUN_MAX_GAP_DAYS:
            grouped[-1][1].append(night)
        else:
            grouped.append((key, [night]))
    occasional = [all(night.bed_occasional for night in run) for _key, run in grouped]
    runs: list[Run] = []
    home: int | str | None = None  # the bed of the last non-away run
    for i, (key, run) in enumerate(grouped):
        next_regular = next((grouped[j][0] for j in range(i + 1, len(grouped)) if not occasional[j]), None)
        in_trial = any(night.in_trial for night in run)  # a planned trial's short blocks are not away
        away = occasional[i] or (
            not in_trial and home is not None and key != home and len(run) <= AWAY_MAX_NIGHTS and next_regular == home
        )
        runs.append(Run(key, tuple(run), away))
        if not away:
            home = key
    return runs


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """A bed change for the rules: run ``index`` starts on another bed than ``before`` (a non-away night)."""

    index: int
    before: NightRecord

    def gap(self, runs: Sequence[Run]) -> int:
        return (runs[self.index].first.date - self.before.date).days


def change_points(runs: Sequence[Run]) -> list[ChangePoint]:
    """Every non-away run whose bed differs from the last non-away night's bed, whatever the gap."""
    points, last = [], None
    for index, run in enumerate(runs):
        if run.away:
            continue
        if last is not None and run.bed != bed_key(last):
            points.append(ChangePoint(index, last))
        last = run.nights[-1]
    return points


def away_dates(window: Window) -> frozenset[date]:
    """Dates of the away nights among the window's context nights (worked out once per window)."""
    return window.cached(
        "away_dates",
        lambda w: frozenset(night.date for run in _runs(w) if run.away for night in run.nights),
    )


def _runs(window: Window) -> list[Run]:
    return window.cached("bed_runs", lambda w: bed_runs(w.context))


# --- Judged bed changes -----------------------------------------------------------------------------


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

    def late_nights(self) -> list[NightRecord]:
        return self.on_new_bed(BED_LATE_WINDOW_FIRST_DAY, BED_TRIAL_LAST_DAY)

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
        if trial_over and len(self.late_nights()) >= BED_NO_EFFECT_MIN_NIGHTS:
            return "BED_CHANGE_NO_EFFECT"
        if not trial_over:
            return "BED_CHANGE_TOO_EARLY"
        return None  # the four weeks are over but too few nights were logged to judge


def bed_trials(window: Window) -> list[tuple[BedTrial, str | None]]:
    """Each judged bed change of the period with its outcome code (worked out once per window)."""
    return window.cached("bed_trials", lambda w: [(trial, trial.outcome(w.end)) for trial in _judged(w)])


def _judged(window: Window) -> list[BedTrial]:
    """The bed changes in the period that can be judged: the last non-away night before is at most
    3 days earlier, and the baseline has ≥ 5 non-away nights with a mean ≥ 2."""
    runs = _runs(window)
    away = away_dates(window)
    points = change_points(runs)
    trials = []
    for position, point in enumerate(points):
        night = runs[point.index].first
        if night.date < window.start or point.gap(runs) > BED_CHANGE_MAX_GAP_DAYS:
            continue
        if night.in_trial:  # a planned bed trial's switches are judged by the trial, not as changes
            continue
        baseline = [
            n
            for n in window.context_between(
                night.date - timedelta(days=BED_BASELINE_DAYS), night.date - timedelta(days=1)
            )
            if n.date not in away
        ]
        if len(baseline) < BED_BASELINE_MIN_NIGHTS:
            continue
        baseline_sum = sum(n.night_pain for n in baseline)
        if baseline_sum < BED_BASELINE_MIN_PAIN * len(baseline):
            continue
        # Nights on the new bed: the non-away runs from D up to the next change of any kind
        # (whatever its gap); nothing after D+27 is ever judged.
        next_index = points[position + 1].index if position + 1 < len(points) else len(runs)
        last_judged = night.date + timedelta(days=BED_TRIAL_LAST_DAY)
        new_bed = tuple(
            n for run in runs[point.index : next_index] if not run.away for n in run.nights if n.date <= last_judged
        )
        change = BedChange(night.date, point.before.bed_name, night.bed_name)
        trials.append(BedTrial(change, tuple(baseline), new_bed, baseline_sum))
    return trials
