"""Morning rules: stiffness over 30 minutes (an inflammatory feature), pain over 15 minutes, and
BED_LIKELY (short morning pain with nothing else pointing to a medical cause)."""

from __future__ import annotations

import statistics

from diary.rules.records import (
    MORNING_PAIN_LIMIT_MIN,
    Draft,
    Level,
    Window,
    at_least_share,
    clinical_dates,
    count_of,
    dates_of,
    has_fever,
    is_pain_morning,
)
from diary.rules.signs import has_red_flag

MORNING_PAIN_DAYS = 14  # issue 5: two weeks of mornings
MORNING_PAIN_MIN_NIGHTS = 4  # issue 5: ≥ 4 long mornings in 14 days
BED_LIKELY_DAYS = 14  # issue 5: two weeks of mornings
BED_LIKELY_MIN_PAIN_MORNINGS = 5  # issue 5: enough pain mornings to judge
BED_LIKELY_SHORT_SHARE = (4, 5)  # issue 5: ≥ 80 % of pain mornings short (source article's test)
BED_UNLIKELY_AREAS = frozenset({"flank_left", "flank_right", "groin"})  # rules v2: kidney-area pain is not the bed
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
