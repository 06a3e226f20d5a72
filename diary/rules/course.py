"""Rules on the course of the pain: unrelieved nights, worsening, no improvement, persistent leg
pain, the stress link, and a diary too short to judge."""

from __future__ import annotations

from datetime import timedelta

from diary.rules.records import (
    Draft,
    Window,
    clinical_dates,
    count_of,
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
    return Draft(
        title="Night pain that wakes you and nothing eases",
        message=(
            "Pain woke you on most nights of the last two weeks, and on several of them nothing you tried "
            "helped. Night pain on its own is common and rarely serious, but pain like this deserves a "
            "doctor's look."
        ),
        evidence=dates_of(woken),
        detail=f"Woken by pain on {len(woken)} of the last {UNRELIEVED_DAYS} days; nothing eased it on {len(unrelieved)} of those.",
        clinician_message=(
            f"The patient was woken by back pain on {len(woken)} of the last {UNRELIEVED_DAYS} days "
            f"({clinical_dates(dates_of(woken))}), with nothing easing it on {len(unrelieved)} of those nights."
        ),
        tell_doctor=(
            f"Pain woke me on {len(woken)} nights in the last two weeks and on {len(unrelieved)} of them nothing helped."
        ),
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
    return Draft(
        title="Your night pain is getting worse",
        message=(
            "Your night pain this week is clearly higher than in the three weeks before. Pain that keeps "
            "getting worse should be checked by a doctor; book an appointment."
        ),
        evidence=dates_of(recent),
        detail=(
            f"Mean night pain {fmt(now)} over {len(recent)} nights in the last {WORSENING_RECENT_DAYS} days vs "
            f"{fmt(before)} over {len(earlier)} nights in the {WORSENING_EARLIER_DAYS} days before (+{fmt(now - before)})."
        ),
        clinician_message=(
            f"Night pain rose from a mean of {fmt(before)}/10 over {len(earlier)} nights to {fmt(now)}/10 over "
            f"{len(recent)} nights in the last week ({clinical_dates(dates_of(recent))}): worsening pain."
        ),
        tell_doctor=f"My night pain rose from about {fmt(before)} to {fmt(now)} out of 10 over the last week.",
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
    return Draft(
        title="Your night pain has not improved in a month or more",
        message=(
            "Over more than four weeks of your diary, your night pain has not clearly improved. Back pain "
            "that does not get better after a month is worth showing to a doctor; book an appointment."
        ),
        evidence=dates_of([*first, *last]),
        detail=(
            f"Mean night pain {fmt(before)} over the first {NOT_IMPROVING_GROUP_NIGHTS} logged nights and "
            f"{fmt(now)} over the last {NOT_IMPROVING_GROUP_NIGHTS} ({span_days}-day span); a fall of < 30 %."
        ),
        clinician_message=(
            f"Night pain {fmt(before)}/10 over the first {NOT_IMPROVING_GROUP_NIGHTS} logged nights "
            f"({clinical_dates(dates_of(first))}) and {fmt(now)}/10 over the last {NOT_IMPROVING_GROUP_NIGHTS} "
            f"({clinical_dates(dates_of(last))}): less than a 30 % fall over {span_days} days."
        ),
        tell_doctor=(
            f"Over {span_days} days my night pain went from about {fmt(before)} to {fmt(now)} out of 10 — "
            "not much better."
        ),
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
    rho = spearman_rho(stress, pain) or 0.0
    return Draft(
        title="Your night pain tends to be worse on stressful days",
        message=(
            "In your diary, nights after more stressful days tend to be more painful. Stress can make back "
            "pain feel worse; ways of easing stress may help alongside other treatment."
        ),
        evidence=dates_of(paired),
        detail=f"Spearman ρ = {rho:.2f} between stress and night pain over {len(paired)} nights.",
        clinician_message=(
            f"Night pain correlates with the previous day's stress (Spearman ρ = {rho:.2f}, {len(paired)} nights)."
        ),
        tell_doctor=f"My diary shows night pain rising with stress (Spearman ρ {rho:.2f} over {len(paired)} nights).",
    )


def not_enough_data(window: Window) -> Draft | None:
    """Fewer than 7 logged nights in the period (the other rules still run)."""
    if len(window.nights) >= NOT_ENOUGH_NIGHTS:
        return None
    days_in_period = (window.end - window.start).days + 1
    return Draft(
        title="Not enough nights yet",
        message=(
            f"This report has {count_of(len(window.nights), 'logged night')}. Patterns only show after at least a week "
            "of entries, so keep logging each morning."
        ),
        evidence=dates_of(window.nights),
        detail=f"{len(window.nights)} of {days_in_period} nights logged; at least {NOT_ENOUGH_NIGHTS} needed.",
        clinician_message=(
            f"Only {count_of(len(window.nights), 'night')} of {days_in_period} logged: too few to judge patterns."
        ),
        tell_doctor=f"I have logged {count_of(len(window.nights), 'night')} so far, so my diary is still short.",
    )


def leg_pain_persists(window: Window) -> Draft | None:
    """Leg pain on ≥ 7 nights of the last 14 days (NICE NG59: sciatica that is not improving needs review)."""
    leg = [night for night in window.last_days(LEG_PAIN_DAYS) if "leg" in night.pain_areas]
    if len(leg) < LEG_PAIN_MIN_NIGHTS:
        return None
    days = dates_of(leg)
    return Draft(
        title="Leg pain on most nights",
        message=(
            f"Pain went down your leg on {count_of(len(days), 'night')} of the last two weeks. Leg pain from the back "
            "(sciatica) often settles, but when it keeps going it is worth a doctor's review. Seek help at once if "
            "the leg becomes weak or numb, or you have trouble controlling your bladder or bowel."
        ),
        evidence=days,
        detail=f"Leg pain on {len(days)} of the last {LEG_PAIN_DAYS} days.",
        clinician_message=(
            f"The patient logged pain radiating down a leg on {count_of(len(days), 'night')} of the last "
            f"{LEG_PAIN_DAYS} days ({clinical_dates(days)}): persistent sciatica-like pain (NICE NG59: review if "
            "not improving)."
        ),
        tell_doctor=f"Pain has gone down my leg on {len(days)} nights in the last two weeks.",
    )
