"""Bed changes: the display list, runs and away nights, the judged changes and the three outcome
rules (the per-bed figures are in ``bed_figures``, BED_LIKELY in ``mornings``).

A judged bed change (docs/report-rules.md, "Bed change") gets at most one outcome:
BED_CHANGE_HELPED, BED_CHANGE_NO_EFFECT or BED_CHANGE_TOO_EARLY. The three rules share one
implementation (``judged_changes``); only their wording differs. Away nights (a night or two on
a friend's sofa, or any night on an "occasional" bed) are never a bed change and are left out of
every change's baseline and new-bed nights (issue 16).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.records import (
    BY_DATE,
    BedChange,
    Draft,
    NightRecord,
    Window,
    clinical_dates,
    dates_of,
    day_month,
    fmt,
    mean_pain,
    number_words,
    quoted,
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


# --- The three outcome rules: one implementation, three wordings -------------------------------------


def judged_changes(window: Window, outcome: str) -> list[Draft]:
    """One finding per judged bed change of the period whose outcome is `outcome`."""
    wording = _WORDING[outcome]
    return [wording(trial, window) for trial, found in bed_trials(window) if found == outcome]


def bed_change_helped(window: Window) -> list[Draft]:
    """For each judged bed change: ≥ 3 nights on the new bed in [D+2, D+27] with mean ≤ B-2 or ≤ 0.7 × B."""
    return judged_changes(window, "BED_CHANGE_HELPED")


def bed_change_no_effect(window: Window) -> list[Draft]:
    """For each judged bed change: not helped, end ≥ D+27 and ≥ 7 nights on the new bed in [D+14, D+27]."""
    return judged_changes(window, "BED_CHANGE_NO_EFFECT")


def bed_change_too_early(window: Window) -> list[Draft]:
    """For each judged bed change: neither of the two above, and end < D+27."""
    return judged_changes(window, "BED_CHANGE_TOO_EARLY")


def _morning_words(before: Sequence[NightRecord], after: Sequence[NightRecord]) -> str:
    """Morning minutes before and after a change (issue 16: every change card shows them)."""
    median_before = statistics.median(night.morning_pain_minutes for night in before)
    median_after = statistics.median(night.morning_pain_minutes for night in after)
    return _("morning pain median %(before)s min before, %(after)s min after") % {
        "before": number_words(median_before),
        "after": number_words(median_after),
    }


def _change_words(trial: BedTrial) -> str:
    change = trial.change
    return _("Bed change %(date)s (%(from_bed)s → %(to_bed)s)") % {
        "date": change.date.isoformat(),
        "from_bed": change.from_bed,
        "to_bed": change.to_bed,
    }


def _change_values(trial: BedTrial, judged: Sequence[NightRecord]) -> dict[str, object]:
    """What every wording of a bed change says: the beds (quoted: the person's own names), dates, means."""
    change = trial.change
    return {
        "change": _change_words(trial),
        "from_bed": quoted(change.from_bed),
        "to_bed": quoted(change.to_bed),
        "date": clinical_dates([change.date]),
        "day": day_month(change.date, year=True),
        "base": fmt(trial.baseline_mean),
        "new": fmt(mean_pain(judged)) if judged else "",
        "before_count": len(trial.baseline),
        "count": len(judged),
        "mornings": _morning_words(trial.baseline, judged) if judged else "",
        "last_day": BED_TRIAL_LAST_DAY,
        "first_day": BED_LATE_WINDOW_FIRST_DAY,
    }


def _helped(trial: BedTrial, window: Window) -> Draft:
    judged = trial.helped_nights()
    values = _change_values(trial, judged)
    return Draft(
        title=_("Night pain fell after the change to %(to_bed)s") % values,
        message=_(
            "Since you started sleeping on %(to_bed)s, your night pain has been clearly lower than in the two weeks "
            "before. The bed may have been part of the problem. Keep logging: a change is most reliable once it "
            "has lasted about four weeks."
        )
        % values,
        evidence=dates_of([*judged, *trial.new_bed[:1]]),
        detail=_(
            "%(change)s: night pain %(base)s over %(before_count)d nights before, %(new)s over %(count)d nights in "
            "days 2–%(last_day)d after; %(mornings)s."
        )
        % values,
        clinician_message=_(
            "After a bed change on %(date)s (%(from_bed)s to %(to_bed)s), mean night pain fell from %(base)s/10 "
            "(%(before_count)d nights before) to %(new)s/10 (%(count)d nights, days 2–%(last_day)d): a meaningful "
            "fall (≥ 2 points or ≥ 30 %%)."
        )
        % values,
        tell_doctor=_(
            "When I changed to %(to_bed)s on %(day)s, my night pain fell from about %(base)s to %(new)s out of 10."
        )
        % values,
    )


def _no_effect(trial: BedTrial, window: Window) -> Draft:
    late = trial.late_nights()
    values = _change_values(trial, late)
    return Draft(
        title=_("Four weeks on %(to_bed)s did not ease your night pain") % values,
        message=_(
            "You have slept on %(to_bed)s for about four weeks and your night pain has not clearly improved. That "
            "makes the bed an unlikely cause, so it is worth asking a doctor what else could be behind the pain."
        )
        % values,
        evidence=dates_of([*late, *trial.new_bed[:1]]),
        detail=_(
            "%(change)s: night pain %(base)s over %(before_count)d nights before, %(new)s over %(count)d nights in "
            "days %(first_day)d–%(last_day)d after; no fall of ≥ 2 points or ≥ 30 %%; %(mornings)s."
        )
        % values,
        clinician_message=_(
            "After a bed change on %(date)s (%(from_bed)s to %(to_bed)s), mean night pain was %(new)s/10 over "
            "%(count)d nights in weeks 3–4 against %(base)s/10 before: no meaningful fall after four weeks, so the "
            "bed is an unlikely cause."
        )
        % values,
        tell_doctor=_(
            "I changed my bed on %(day)s and after four weeks my night pain is still about %(new)s out of 10 (it "
            "was %(base)s before)."
        )
        % values,
    )


def _too_early(trial: BedTrial, window: Window) -> Draft:
    days_in = (window.end - trial.change.date).days
    values = {**_change_values(trial, trial.new_bed), "days_in": days_in}
    return Draft(
        title=_("Too early to judge %(to_bed)s") % values,
        message=ngettext(
            "You changed to %(to_bed)s %(days_in)d day before the end of this report. Studies judged mattresses "
            "after about four weeks, so keep logging before deciding whether it helps.",
            "You changed to %(to_bed)s %(days_in)d days before the end of this report. Studies judged mattresses "
            "after about four weeks, so keep logging before deciding whether it helps.",
            days_in,
        )
        % values,
        evidence=dates_of(trial.new_bed),
        detail=ngettext(
            "%(change)s: baseline %(base)s over %(before_count)d nights; %(count)d night on the new bed so far, "
            "night pain %(new)s; %(mornings)s; judged at day %(last_day)d.",
            "%(change)s: baseline %(base)s over %(before_count)d nights; %(count)d nights on the new bed so far, "
            "night pain %(new)s; %(mornings)s; judged at day %(last_day)d.",
            len(trial.new_bed),
        )
        % values,
        clinician_message=ngettext(
            "Bed changed on %(date)s (%(from_bed)s to %(to_bed)s), %(days_in)d day before the end of the report: "
            "too early to judge (about four weeks needed).",
            "Bed changed on %(date)s (%(from_bed)s to %(to_bed)s), %(days_in)d days before the end of the report: "
            "too early to judge (about four weeks needed).",
            days_in,
        )
        % values,
        tell_doctor=_("I changed my bed on %(day)s; it is too early to say whether it helps.") % values,
    )


_WORDING: dict[str, Callable[[BedTrial, Window], Draft]] = {
    "BED_CHANGE_HELPED": _helped,
    "BED_CHANGE_NO_EFFECT": _no_effect,
    "BED_CHANGE_TOO_EARLY": _too_early,
}
