"""Pain with risk factors from the profile: night pain, and upper-back pain (Chou 2007 red flags).

Red flags alone diagnose poorly (Henschke 2013), so these are see_doctor, never urgent.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.records import (
    Draft,
    ProfileFacts,
    Window,
    add_months,
    clinical_dates,
    dates_of,
    onset_age,
)

RISK_PAIN_DAYS = 14  # issue 5: two weeks of nights
RISK_MIN_PAIN_NIGHTS = 3  # issue 5: ≥ 3 nights with night pain ≥ 1
RISK_ONSET_AGE = 50  # Chou 2007: back pain starting at age ≥ 50 is a cancer red flag
RISK_AGE = 50  # Chou 2007 / UK red-flag lists: age over 50
RISK_NEW_PAIN_MONTHS = 3  # rules v2: new back pain (< 3 calendar months) at 50 or over
UPPER_BACK_DAYS = 14  # rules v2: two weeks of nights
UPPER_BACK_MIN_NIGHTS = 3  # rules v2: upper-back pain on ≥ 3 of them


def age_at_end(window: Window) -> int | None:
    """Age at the report's end date: end year − birth year (the birth month is unknown)."""
    profile = window.profile
    return None if profile is None or profile.birth_year is None else window.end.year - profile.birth_year


def _history(profile: ProfileFacts | None) -> list[str]:
    if profile is None:
        return []
    return [
        words
        for present, words in (
            (profile.history_of_cancer, _("a history of cancer")),
            (profile.osteoporosis, _("osteoporosis")),
            (profile.long_term_steroids, _("long-term steroid tablets")),
        )
        if present
    ]


def _new_pain_at_risk_age(window: Window) -> bool:
    """Age ≥ 50 at the end date and back pain that began less than 3 calendar months before it."""
    age, profile = age_at_end(window), window.profile
    if age is None or age < RISK_AGE or profile is None or profile.back_pain_since is None:
        return False
    return window.end < add_months(profile.back_pain_since, RISK_NEW_PAIN_MONTHS)


def night_pain_risk_factors(window: Window) -> Draft | None:
    """≥ 3 nights with night pain ≥ 1 in the last 14 days and a red-flag risk factor."""
    painful = [night for night in window.last_days(RISK_PAIN_DAYS) if night.night_pain >= 1]
    if len(painful) < RISK_MIN_PAIN_NIGHTS:
        return None
    weight_loss = [night for night in window.nights if "weight_loss" in night.symptoms]
    factors = _history(window.profile)
    onset = onset_age(window.profile)
    if onset is not None and onset >= RISK_ONSET_AGE:
        factors.append(_("back pain that began around age %(age)d") % {"age": onset})
    if _new_pain_at_risk_age(window):
        factors.append(_("new back pain (less than three months) at age %(age)d") % {"age": age_at_end(window)})
    if weight_loss:
        factors.append(_("unexplained weight loss"))
    if not factors:
        return None
    evidence = dates_of(painful + weight_loss)
    values = {
        "factors": ", ".join(factors),
        "count": len(painful),
        "days": RISK_PAIN_DAYS,
        "dates": clinical_dates(dates_of(painful)),
    }
    if weight_loss:
        weight = _(" (weight loss logged %(dates)s)") % {"dates": clinical_dates(dates_of(weight_loss))}
    else:
        weight = ""
    return Draft(
        title=_("Night pain together with a risk factor"),
        message=_(
            "You have had night pain on several nights and you recorded %(factors)s. Night pain on its own is "
            "rarely serious, but with this background doctors like to check the cause. Book an appointment and "
            "mention it."
        )
        % values,
        evidence=evidence,
        detail=_("Night pain ≥ 1 on %(count)d of the last %(days)d days; risk factors: %(factors)s.") % values,
        clinician_message=ngettext(
            "Night pain on %(count)d night of the last %(days)d days (%(dates)s) with red-flag risk factors "
            "(Chou 2007): %(factors)s%(weight)s.",
            "Night pain on %(count)d nights of the last %(days)d days (%(dates)s) with red-flag risk factors "
            "(Chou 2007): %(factors)s%(weight)s.",
            len(painful),
        )
        % {**values, "weight": weight},
        tell_doctor=ngettext(
            "I have had night back pain on %(count)d night in two weeks, and I have %(factors)s.",
            "I have had night back pain on %(count)d nights in two weeks, and I have %(factors)s.",
            len(painful),
        )
        % values,
    )


def upper_back_pain_risk(window: Window) -> Draft | None:
    """Upper-back pain on ≥ 3 nights of the last 14 days with a risk factor: age ≥ 50 at the end
    date, a history of cancer, osteoporosis or long-term steroids."""
    upper = [night for night in window.last_days(UPPER_BACK_DAYS) if "upper_back" in night.pain_areas]
    if len(upper) < UPPER_BACK_MIN_NIGHTS:
        return None
    factors = _history(window.profile)
    age = age_at_end(window)
    if age is not None and age >= RISK_AGE:
        factors.insert(0, _("age %(age)d") % {"age": age})
    if not factors:
        return None
    days = dates_of(upper)
    values = {"factors": ", ".join(factors), "count": len(days), "days": UPPER_BACK_DAYS, "dates": clinical_dates(days)}
    return Draft(
        title=_("Upper-back pain together with a risk factor"),
        message=ngettext(
            "You logged pain in the upper or middle back on %(count)d night of the last two weeks, and your profile "
            "records %(factors)s. Pain in this part of the back with this background is something doctors like to "
            "check; book an appointment and mention it.",
            "You logged pain in the upper or middle back on %(count)d nights of the last two weeks, and your "
            "profile records %(factors)s. Pain in this part of the back with this background is something doctors "
            "like to check; book an appointment and mention it.",
            len(days),
        )
        % values,
        evidence=days,
        detail=_("Upper-back pain on %(count)d of the last %(days)d days; risk factors: %(factors)s.") % values,
        clinician_message=ngettext(
            "Thoracic (upper or middle back) pain on %(count)d night of the last %(days)d days (%(dates)s) with "
            "risk factors: %(factors)s (thoracic pain with risk factors is a red flag, Chou 2007).",
            "Thoracic (upper or middle back) pain on %(count)d nights of the last %(days)d days (%(dates)s) with "
            "risk factors: %(factors)s (thoracic pain with risk factors is a red flag, Chou 2007).",
            len(days),
        )
        % values,
        tell_doctor=ngettext(
            "I have had upper-back pain on %(count)d night in two weeks, and I have %(factors)s.",
            "I have had upper-back pain on %(count)d nights in two weeks, and I have %(factors)s.",
            len(days),
        )
        % values,
    )
