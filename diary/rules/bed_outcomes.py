"""The three outcome rules of a judged bed change (``beds``): BED_CHANGE_HELPED,
BED_CHANGE_NO_EFFECT and BED_CHANGE_TOO_EARLY. One implementation (``judged_changes``), three
wordings.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.beds import BED_LATE_WINDOW_FIRST_DAY, BED_TRIAL_LAST_DAY, BedTrial, bed_trials
from diary.rules.records import (
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
