"""Rules on the course of the pain: unrelieved nights, worsening, no improvement, persistent leg
pain, the stress link, and a diary too short to judge."""

from __future__ import annotations

from datetime import timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.records import (
    Draft,
    Window,
    clinical_dates,
    dates_of,
    fmt,
    mean_pain,
)
from diary.rules.stats import rho_at_least, spearman_rho

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

LEG_PAIN_DAYS = 14  # NICE NG59: sciatica that is not improving needs review; two weeks of nights
LEG_PAIN_MIN_NIGHTS = 7  # rules v2: leg pain on half of them or more


def night_pain_unrelieved(window: Window) -> Draft | None:
    """In the last 14 days: woken by pain on ≥ 8 nights, with nothing easing it on ≥ 4 of those."""
    woken = [night for night in window.last_days(UNRELIEVED_DAYS) if night.woke_by_pain != "no"]
    unrelieved = [night for night in woken if "nothing" in night.eased_by]
    if len(woken) < UNRELIEVED_MIN_WOKEN or len(unrelieved) < UNRELIEVED_MIN_NOTHING:
        return None
    values = {
        "woken": len(woken),
        "days": UNRELIEVED_DAYS,
        "unrelieved": len(unrelieved),
        "dates": clinical_dates(dates_of(woken)),
    }
    return Draft(
        title=_("Night pain that wakes you and nothing eases"),
        message=_(
            "Pain woke you on most nights of the last two weeks, and on several of them nothing you tried helped. "
            "Night pain on its own is common and rarely serious, but pain like this deserves a doctor's look."
        ),
        evidence=dates_of(woken),
        detail=_("Woken by pain on %(woken)d of the last %(days)d days; nothing eased it on %(unrelieved)d of those.")
        % values,
        clinician_message=_(
            "The patient was woken by back pain on %(woken)d of the last %(days)d days (%(dates)s), with nothing "
            "easing it on %(unrelieved)d of those nights."
        )
        % values,
        tell_doctor=ngettext(
            "Pain woke me on %(woken)d night in the last two weeks and on %(unrelieved)d of them nothing helped.",
            "Pain woke me on %(woken)d nights in the last two weeks and on %(unrelieved)d of them nothing helped.",
            len(woken),
        )
        % values,
    )


def pain_worsening(window: Window) -> Draft | None:
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
    values = {
        "now": fmt(now),
        "before": fmt(before),
        "rise": fmt(now - before),
        "recent": len(recent),
        "earlier": len(earlier),
        "recent_days": WORSENING_RECENT_DAYS,
        "earlier_days": WORSENING_EARLIER_DAYS,
        "dates": clinical_dates(dates_of(recent)),
    }
    return Draft(
        title=_("Your night pain is getting worse"),
        message=_(
            "Your night pain this week is clearly higher than in the three weeks before. Pain that keeps getting "
            "worse should be checked by a doctor; book an appointment."
        ),
        evidence=dates_of(recent),
        detail=_(
            "Mean night pain %(now)s over %(recent)d nights in the last %(recent_days)d days vs %(before)s over "
            "%(earlier)d nights in the %(earlier_days)d days before (+%(rise)s)."
        )
        % values,
        clinician_message=_(
            "Night pain rose from a mean of %(before)s/10 over %(earlier)d nights to %(now)s/10 over %(recent)d "
            "nights in the last week (%(dates)s): worsening pain."
        )
        % values,
        tell_doctor=_("My night pain rose from about %(before)s to %(now)s out of 10 over the last week.") % values,
    )


def pain_not_improving(window: Window) -> Draft | None:
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
    before, now = mean_pain(first), mean_pain(last)
    values = {
        "before": fmt(before),
        "now": fmt(now),
        "group": NOT_IMPROVING_GROUP_NIGHTS,
        "span": span_days,
        "first_dates": clinical_dates(dates_of(first)),
        "last_dates": clinical_dates(dates_of(last)),
    }
    return Draft(
        title=_("Your night pain has not improved in a month or more"),
        message=_(
            "Over more than four weeks of your diary, your night pain has not clearly improved. Back pain that "
            "does not get better after a month is worth showing to a doctor; book an appointment."
        ),
        evidence=dates_of([*first, *last]),
        detail=_(
            "Mean night pain %(before)s over the first %(group)d logged nights and %(now)s over the last %(group)d "
            "(%(span)d-day span); a fall of < 30 %%."
        )
        % values,
        clinician_message=_(
            "Night pain %(before)s/10 over the first %(group)d logged nights (%(first_dates)s) and %(now)s/10 over "
            "the last %(group)d (%(last_dates)s): less than a 30 %% fall over %(span)d days."
        )
        % values,
        tell_doctor=_(
            "Over %(span)d days my night pain went from about %(before)s to %(now)s out of 10 — not much better."
        )
        % values,
    )


def stress_link(window: Window) -> Draft | None:
    """≥ 21 nights with both stress and night pain logged, Spearman ρ ≥ 0.4."""
    paired = [night for night in window.nights if night.stress is not None]
    if len(paired) < STRESS_MIN_NIGHTS:
        return None
    stress = [night.stress for night in paired]
    pain = [night.night_pain for night in paired]
    if not rho_at_least(stress, pain, STRESS_MIN_RHO):
        return None
    values = {"rho": number_format(spearman_rho(stress, pain) or 0.0, 2), "count": len(paired)}
    return Draft(
        title=_("Your night pain tends to be worse on stressful days"),
        message=_(
            "In your diary, nights after more stressful days tend to be more painful. Stress can make back pain "
            "feel worse; ways of easing stress may help alongside other treatment."
        ),
        evidence=dates_of(paired),
        detail=_("Spearman ρ = %(rho)s between stress and night pain over %(count)d nights.") % values,
        clinician_message=_(
            "Night pain correlates with the previous day's stress (Spearman ρ = %(rho)s, %(count)d nights)."
        )
        % values,
        tell_doctor=_("My diary shows night pain rising with stress (Spearman ρ %(rho)s over %(count)d nights).")
        % values,
    )


def not_enough_data(window: Window) -> Draft | None:
    """Fewer than 7 logged nights in the period (the other rules still run)."""
    if len(window.nights) >= NOT_ENOUGH_NIGHTS:
        return None
    days_in_period = (window.end - window.start).days + 1
    values = {"count": len(window.nights), "days": days_in_period, "needed": NOT_ENOUGH_NIGHTS}
    return Draft(
        title=_("Not enough nights yet"),
        message=ngettext(
            "This report has %(count)d logged night. Patterns only show after at least a week of entries, so keep "
            "logging each morning.",
            "This report has %(count)d logged nights. Patterns only show after at least a week of entries, so keep "
            "logging each morning.",
            len(window.nights),
        )
        % values,
        evidence=dates_of(window.nights),
        detail=_("%(count)d of %(days)d nights logged; at least %(needed)d needed.") % values,
        clinician_message=ngettext(
            "Only %(count)d night of %(days)d logged: too few to judge patterns.",
            "Only %(count)d nights of %(days)d logged: too few to judge patterns.",
            len(window.nights),
        )
        % values,
        tell_doctor=ngettext(
            "I have logged %(count)d night so far, so my diary is still short.",
            "I have logged %(count)d nights so far, so my diary is still short.",
            len(window.nights),
        )
        % values,
    )


def leg_pain_persists(window: Window) -> Draft | None:
    """Leg pain on ≥ 7 nights of the last 14 days (NICE NG59: sciatica that is not improving needs review)."""
    leg = [night for night in window.last_days(LEG_PAIN_DAYS) if "leg" in night.pain_areas]
    if len(leg) < LEG_PAIN_MIN_NIGHTS:
        return None
    days = dates_of(leg)
    values = {"count": len(days), "days": LEG_PAIN_DAYS, "dates": clinical_dates(days)}
    return Draft(
        title=_("Leg pain on most nights"),
        message=ngettext(
            "Pain went down your leg on %(count)d night of the last two weeks. Leg pain from the back (sciatica) "
            "often settles, but when it keeps going it is worth a doctor's review. Seek help at once if the leg "
            "becomes weak or numb, or you have trouble controlling your bladder or bowel.",
            "Pain went down your leg on %(count)d nights of the last two weeks. Leg pain from the back (sciatica) "
            "often settles, but when it keeps going it is worth a doctor's review. Seek help at once if the leg "
            "becomes weak or numb, or you have trouble controlling your bladder or bowel.",
            len(days),
        )
        % values,
        evidence=days,
        detail=_("Leg pain on %(count)d of the last %(days)d days.") % values,
        clinician_message=ngettext(
            "The patient logged pain radiating down a leg on %(count)d night of the last %(days)d days (%(dates)s): "
            "persistent sciatica-like pain (NICE NG59: review if not improving).",
            "The patient logged pain radiating down a leg on %(count)d nights of the last %(days)d days "
            "(%(dates)s): persistent sciatica-like pain (NICE NG59: review if not improving).",
            len(days),
        )
        % values,
        tell_doctor=ngettext(
            "Pain has gone down my leg on %(count)d night in the last two weeks.",
            "Pain has gone down my leg on %(count)d nights in the last two weeks.",
            len(days),
        )
        % values,
    )
