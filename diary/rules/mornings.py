"""Morning rules: stiffness over 30 minutes (an inflammatory feature), pain over 15 minutes, and
BED_LIKELY (short morning pain with nothing else pointing to a medical cause)."""

from __future__ import annotations

import statistics

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.records import (
    MORNING_PAIN_LIMIT_MIN,
    Draft,
    Level,
    Window,
    at_least_share,
    clinical_dates,
    dates_of,
    has_fever,
    is_pain_morning,
    number_words,
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
    median_minutes = number_words(statistics.median(night.morning_pain_minutes for night in long_mornings))
    values = {
        "count": len(days),
        "limit": STIFFNESS_LONG_MIN,
        "days": MORNING_PAIN_DAYS,
        "median": median_minutes,
        "dates": clinical_dates(days),
    }
    return Draft(
        title=_("Morning stiffness that lasts more than half an hour"),
        message=ngettext(
            "On %(count)d morning in the last two weeks your pain or stiffness lasted more than 30 minutes after "
            "getting up. Long morning stiffness is one of the features doctors look for in inflammatory back "
            "pain, so it is worth discussing with a doctor.",
            "On %(count)d mornings in the last two weeks your pain or stiffness lasted more than 30 minutes after "
            "getting up. Long morning stiffness is one of the features doctors look for in inflammatory back "
            "pain, so it is worth discussing with a doctor.",
            len(days),
        )
        % values,
        evidence=days,
        detail=_(
            "Morning pain > %(limit)d min on %(count)d of the last %(days)d days (median %(median)s min on those "
            "mornings)."
        )
        % values,
        clinician_message=ngettext(
            "Morning stiffness over %(limit)d minutes on %(count)d morning of the last %(days)d days (median "
            "%(median)s min; %(dates)s): an inflammatory feature (ASAS / Berlin criteria).",
            "Morning stiffness over %(limit)d minutes on %(count)d mornings of the last %(days)d days (median "
            "%(median)s min; %(dates)s): an inflammatory feature (ASAS / Berlin criteria).",
            len(days),
        )
        % values,
        tell_doctor=ngettext(
            "On %(count)d morning in two weeks my back stayed painful or stiff for more than 30 minutes.",
            "On %(count)d mornings in two weeks my back stayed painful or stiff for more than 30 minutes.",
            len(days),
        )
        % values,
    )


def morning_pain_persists(window: Window) -> Draft | None:
    """≥ 4 nights in the last 14 days with morning pain over 15 minutes, when MORNING_STIFFNESS_LONG
    did not fire."""
    long_mornings = _longer_than(window, MORNING_PAIN_LIMIT_MIN)
    if len(long_mornings) < MORNING_PAIN_MIN_NIGHTS or window.fired("MORNING_STIFFNESS_LONG"):
        return None
    days = dates_of(long_mornings)
    median_minutes = number_words(statistics.median(night.morning_pain_minutes for night in long_mornings))
    values = {
        "count": len(days),
        "limit": MORNING_PAIN_LIMIT_MIN,
        "days": MORNING_PAIN_DAYS,
        "median": median_minutes,
        "dates": clinical_dates(days),
        "few": MORNING_PAIN_MIN_NIGHTS,
        "long": STIFFNESS_LONG_MIN,
    }
    return Draft(
        title=_("Morning pain that lasts more than a quarter of an hour"),
        message=_(
            "On several mornings your pain or stiffness lasted more than 15 minutes after getting up. That is "
            "common with back pain from muscles and joints; it makes the bed a less likely cause on its own. "
            "Worth mentioning at your next appointment."
        ),
        evidence=days,
        detail=_(
            "Morning pain > %(limit)d min on %(count)d of the last %(days)d days (median %(median)s min on those "
            "mornings)."
        )
        % values,
        clinician_message=ngettext(
            "Morning pain or stiffness over %(limit)d minutes on %(count)d morning of the last %(days)d days "
            "(median %(median)s min; %(dates)s); fewer than %(few)d mornings over %(long)d minutes, so mostly "
            "within the mechanical range.",
            "Morning pain or stiffness over %(limit)d minutes on %(count)d mornings of the last %(days)d days "
            "(median %(median)s min; %(dates)s); fewer than %(few)d mornings over %(long)d minutes, so mostly "
            "within the mechanical range.",
            len(days),
        )
        % values,
        tell_doctor=ngettext(
            "On %(count)d morning in two weeks my back pain or stiffness lasted more than 15 minutes after getting up.",
            "On %(count)d mornings in two weeks my back pain or stiffness lasted more than 15 minutes after getting "
            "up.",
            len(days),
        )
        % values,
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
    values = {
        "short": len(short),
        "count": len(pain_mornings),
        "days": BED_LIKELY_DAYS,
        "limit": MORNING_PAIN_LIMIT_MIN,
        "dates": clinical_dates(dates_of(short)),
    }
    return Draft(
        title=_("Your pattern fits a bed-related cause"),
        message=_(
            "Your morning pain usually fades within a quarter of an hour of getting up, and nothing else in your "
            "diary points to a medical cause. That fits pain from the bed or sleeping position; trying a different "
            "(medium-firm) mattress for about four weeks is a reasonable next step."
        ),
        evidence=dates_of(short),
        detail=_(
            "%(short)d of %(count)d pain mornings in the last %(days)d days lasted ≤ %(limit)d min; no urgent or "
            "see-doctor finding."
        )
        % values,
        clinician_message=_(
            "Morning pain lasted %(limit)d minutes or less on %(short)d of %(count)d pain mornings in the last "
            "%(days)d days (%(dates)s), with no kidney-area pain, fever or red-flag symptom logged: compatible with "
            "mechanical pain related to the bed or position."
        )
        % values,
        tell_doctor=_("My morning back pain usually goes within 15 minutes of getting up."),
    )
