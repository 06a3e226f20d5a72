"""Morning rules: stiffness over 30 minutes (an inflammatory feature) and pain over 15 minutes."""

from __future__ import annotations

import statistics

from diary.rules.records import MORNING_PAIN_LIMIT_MIN, Draft, Window, clinical_dates, count_of, dates_of

MORNING_PAIN_DAYS = 14  # issue 5: two weeks of mornings
MORNING_PAIN_MIN_NIGHTS = 4  # issue 5: ≥ 4 long mornings in 14 days
STIFFNESS_LONG_MIN = 30  # ASAS / Berlin (Rudwaleit 2006): morning stiffness > 30 min is an inflammatory feature


def _longer_than(window: Window, minutes: int) -> list:
    return [night for night in window.last_days(MORNING_PAIN_DAYS) if night.morning_pain_minutes > minutes]


def morning_stiffness_long(window: Window) -> Draft | None:
    """≥ 4 nights in the last 14 days with morning pain or stiffness lasting more than 30 minutes."""
    long_mornings = _longer_than(window, STIFFNESS_LONG_MIN)
    if len(long_mornings) < MORNING_PAIN_MIN_NIGHTS:
        return None
    days = dates_of(long_mornings)
    median_minutes = statistics.median(night.morning_pain_minutes for night in long_mornings)
    return Draft(
        title="Morning stiffness that lasts more than half an hour",
        message=(
            f"On {count_of(len(days), 'morning')} in the last two weeks your pain or stiffness lasted more than 30 "
            "minutes after getting up. Long morning stiffness is one of the features doctors look for in "
            "inflammatory back pain, so it is worth discussing with a doctor."
        ),
        evidence=days,
        detail=(
            f"Morning pain > {STIFFNESS_LONG_MIN} min on {len(days)} of the last {MORNING_PAIN_DAYS} days "
            f"(median {median_minutes:g} min on those mornings)."
        ),
        clinician_message=(
            f"Morning stiffness over {STIFFNESS_LONG_MIN} minutes on {count_of(len(days), 'morning')} of the last "
            f"{MORNING_PAIN_DAYS} days (median {median_minutes:g} min; {clinical_dates(days)}): an inflammatory "
            "feature (ASAS / Berlin criteria)."
        ),
        tell_doctor=f"On {len(days)} mornings in two weeks my back stayed painful or stiff for more than 30 minutes.",
    )


def morning_pain_persists(window: Window) -> Draft | None:
    """≥ 4 nights in the last 14 days with morning pain over 15 minutes, when MORNING_STIFFNESS_LONG
    did not fire."""
    long_mornings = _longer_than(window, MORNING_PAIN_LIMIT_MIN)
    if len(long_mornings) < MORNING_PAIN_MIN_NIGHTS or window.fired("MORNING_STIFFNESS_LONG"):
        return None
    days = dates_of(long_mornings)
    median_minutes = statistics.median(night.morning_pain_minutes for night in long_mornings)
    return Draft(
        title="Morning pain that lasts more than a quarter of an hour",
        message=(
            "On several mornings your pain or stiffness lasted more than 15 minutes after getting up. That is "
            "common with back pain from muscles and joints; it makes the bed a less likely cause on its own. "
            "Worth mentioning at your next appointment."
        ),
        evidence=days,
        detail=(
            f"Morning pain > {MORNING_PAIN_LIMIT_MIN} min on {len(days)} of the last {MORNING_PAIN_DAYS} days "
            f"(median {median_minutes:g} min on those mornings)."
        ),
        clinician_message=(
            f"Morning pain or stiffness over {MORNING_PAIN_LIMIT_MIN} minutes on {count_of(len(days), 'morning')} "
            f"of the last {MORNING_PAIN_DAYS} days (median {median_minutes:g} min; {clinical_dates(days)}); fewer "
            f"than {MORNING_PAIN_MIN_NIGHTS} mornings over {STIFFNESS_LONG_MIN} minutes, so mostly within the "
            "mechanical range."
        ),
        tell_doctor=f"On {len(days)} mornings in two weeks my back pain or stiffness lasted more than 15 minutes after getting up.",
    )
