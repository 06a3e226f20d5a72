"""Bed changes: the display list, the judged trials, the three outcome rules and BED_LIKELY.

A judged bed change (docs/report-rules.md, "Bed change") gets at most one outcome:
BED_CHANGE_HELPED, BED_CHANGE_NO_EFFECT or BED_CHANGE_TOO_EARLY. The three rules share one
implementation (``judged_changes``); only their wording differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from diary.rules.records import (
    BY_DATE,
    MORNING_PAIN_LIMIT_MIN,
    BedChange,
    Draft,
    Level,
    NightRecord,
    Window,
    at_least_share,
    clinical_dates,
    count_of,
    dates_of,
    fmt,
    has_fever,
    is_pain_morning,
    mean_pain,
)
from diary.rules.signs import has_red_flag

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

BED_LIKELY_DAYS = 14  # issue 5: two weeks of mornings
BED_LIKELY_MIN_PAIN_MORNINGS = 5  # issue 5: enough pain mornings to judge
BED_LIKELY_SHORT_SHARE = (4, 5)  # issue 5: ≥ 80 % of pain mornings short (source article's test)
BED_UNLIKELY_AREAS = frozenset({"flank_left", "flank_right", "groin"})  # rules v2: kidney-area pain is not the bed


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
    """The bed changes in the period that can be judged (close nights, a baseline of ≥ 5 nights, B ≥ 2)."""
    with_bed, changes = bed_history(window)
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


def _change_words(trial: BedTrial) -> str:
    change = trial.change
    return f"Bed change {change.date.isoformat()} ({change.from_bed} → {change.to_bed})"


def _helped(trial: BedTrial, window: Window) -> Draft:
    judged = trial.helped_nights()
    base, new, change = trial.baseline_mean, mean_pain(judged), trial.change
    return Draft(
        title=f"Night pain fell after the change to {change.to_bed}",
        message=(
            f"Since you started sleeping on {change.to_bed}, your night pain has been clearly lower than "
            "in the two weeks before. The bed may have been part of the problem. Keep logging: a change "
            "is most reliable once it has lasted about four weeks."
        ),
        evidence=dates_of([*judged, *trial.new_bed[:1]]),
        detail=(
            f"{_change_words(trial)}: night pain {fmt(base)} over {len(trial.baseline)} nights before, "
            f"{fmt(new)} over {len(judged)} nights in days 2–{BED_TRIAL_LAST_DAY} after."
        ),
        clinician_message=(
            f"After a bed change on {clinical_dates([change.date])} ({change.from_bed} to {change.to_bed}), mean "
            f"night pain fell from {fmt(base)}/10 ({len(trial.baseline)} nights before) to {fmt(new)}/10 "
            f"({len(judged)} nights, days 2–{BED_TRIAL_LAST_DAY}): a meaningful fall (≥ 2 points or ≥ 30 %)."
        ),
        tell_doctor=(
            f"When I changed to {change.to_bed} on {change.date:%d %b %Y}, my night pain fell from about "
            f"{fmt(base)} to {fmt(new)} out of 10."
        ),
    )


def _no_effect(trial: BedTrial, window: Window) -> Draft:
    late = trial.late_nights()
    base, new, change = trial.baseline_mean, mean_pain(late), trial.change
    return Draft(
        title=f"Four weeks on {change.to_bed} did not ease your night pain",
        message=(
            f"You have slept on {change.to_bed} for about four weeks and your night pain has not clearly "
            "improved. That makes the bed an unlikely cause, so it is worth asking a doctor what else "
            "could be behind the pain."
        ),
        evidence=dates_of([*late, *trial.new_bed[:1]]),
        detail=(
            f"{_change_words(trial)}: night pain {fmt(base)} over {len(trial.baseline)} nights before, "
            f"{fmt(new)} over {len(late)} nights in days {BED_LATE_WINDOW_FIRST_DAY}–{BED_TRIAL_LAST_DAY} after; "
            "no fall of ≥ 2 points or ≥ 30 %."
        ),
        clinician_message=(
            f"After a bed change on {clinical_dates([change.date])} ({change.from_bed} to {change.to_bed}), mean "
            f"night pain was {fmt(new)}/10 over {len(late)} nights in weeks 3–4 against {fmt(base)}/10 before: no "
            "meaningful fall after four weeks, so the bed is an unlikely cause."
        ),
        tell_doctor=(
            f"I changed my bed on {change.date:%d %b %Y} and after four weeks my night pain is still about "
            f"{fmt(new)} out of 10 (it was {fmt(base)} before)."
        ),
    )


def _too_early(trial: BedTrial, window: Window) -> Draft:
    change = trial.change
    days_in = (window.end - change.date).days
    return Draft(
        title=f"Too early to judge {change.to_bed}",
        message=(
            f"You changed to {change.to_bed} {count_of(days_in, 'day')} before the end of this report. Studies "
            "judged mattresses after about four weeks, so keep logging before deciding whether it helps."
        ),
        evidence=dates_of(trial.new_bed),
        detail=(
            f"{_change_words(trial)}: baseline {fmt(trial.baseline_mean)} over {len(trial.baseline)} nights; "
            f"{count_of(len(trial.new_bed), 'night')} on the new bed so far; judged at day {BED_TRIAL_LAST_DAY}."
        ),
        clinician_message=(
            f"Bed changed on {clinical_dates([change.date])} ({change.from_bed} to {change.to_bed}), "
            f"{count_of(days_in, 'day')} before the end of the report: too early to judge (about four weeks needed)."
        ),
        tell_doctor=f"I changed my bed on {change.date:%d %b %Y}; it is too early to say whether it helps.",
    )


_WORDING: dict[str, Callable[[BedTrial, Window], Draft]] = {
    "BED_CHANGE_HELPED": _helped,
    "BED_CHANGE_NO_EFFECT": _no_effect,
    "BED_CHANGE_TOO_EARLY": _too_early,
}


# --- BED_LIKELY -----------------------------------------------------------------------------------------


def bed_likely(window: Window) -> Draft | None:
    """≥ 5 pain mornings in the last 14 days, ≥ 80 % of them ≤ 15 min, no urgent or see_doctor
    finding from any other rule, no flank or groin pain in the last 14 days, and no fever or
    red-flag symptom on any night of the period."""
    pain_mornings = [night for night in window.last_days(BED_LIKELY_DAYS) if is_pain_morning(night)]
    short = [night for night in pain_mornings if night.morning_pain_minutes <= MORNING_PAIN_LIMIT_MIN]
    if len(pain_mornings) < BED_LIKELY_MIN_PAIN_MORNINGS:
        return None
    if not at_least_share(len(short), len(pain_mornings), BED_LIKELY_SHORT_SHARE):
        return None
    if window.fired_at(Level.URGENT, Level.SEE_DOCTOR):
        return None
    if any(night.pain_areas & BED_UNLIKELY_AREAS for night in window.last_days(BED_LIKELY_DAYS)):
        return None  # rules v2: kidney-area or groin pain points elsewhere
    if any(has_fever(night) or has_red_flag(night) for night in window.nights):
        return None  # rules v2: a fever or a red flag anywhere in the period points elsewhere
    return Draft(
        title="Your pattern fits a bed-related cause",
        message=(
            "Your morning pain usually fades within a quarter of an hour of getting up, and nothing else in "
            "your diary points to a medical cause. That fits pain from the bed or sleeping position; trying a "
            "different (medium-firm) mattress for about four weeks is a reasonable next step."
        ),
        evidence=dates_of(short),
        detail=(
            f"{len(short)} of {len(pain_mornings)} pain mornings in the last {BED_LIKELY_DAYS} days lasted "
            f"≤ {MORNING_PAIN_LIMIT_MIN} min; no urgent or see-doctor finding."
        ),
        clinician_message=(
            f"Morning pain lasted {MORNING_PAIN_LIMIT_MIN} minutes or less on {len(short)} of {len(pain_mornings)} "
            f"pain mornings in the last {BED_LIKELY_DAYS} days ({clinical_dates(dates_of(short))}), with no kidney-area "
            "pain, fever or red-flag symptom logged: compatible with mechanical pain related to the bed or position."
        ),
        tell_doctor="My morning back pain usually goes within 15 minutes of getting up.",
    )
