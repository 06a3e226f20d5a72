"""Rules that weigh several features together: the inflammatory pattern (Berlin), NICE NG65's
spondyloarthritis count, and night pain with risk factors from the profile."""

from __future__ import annotations

import statistics

from diary.rules.records import (
    Draft,
    NightRecord,
    ProfileFacts,
    Window,
    add_months,
    at_least_share,
    below_share,
    dates_of,
    is_pain_morning,
    onset_age,
)

INFLAMMATORY_STIFFNESS_MIN = 30  # Berlin criteria (Rudwaleit 2006): morning stiffness > 30 min
INFLAMMATORY_DAYS = 28  # issue 5: four weeks of nights
INFLAMMATORY_MIN_NIGHTS = 14  # issue 5: at least half of them logged
INFLAMMATORY_MIN_CRITERIA = 2  # Berlin criteria (Rudwaleit 2006): ≥ 2 of 4, LR+ 3.7
INFLAMMATORY_MIN_PAIN_MORNINGS = 7  # issue 5: enough mornings for a median
INFLAMMATORY_MIN_EASED_NIGHTS = 7  # issue 5: enough "what eased it" answers
INFLAMMATORY_MOVEMENT_SHARE = (1, 2)  # Rudwaleit 2006 "improvement with exercise": ≥ 50 % of answers
INFLAMMATORY_REST_SHARE = (1, 4)  # Rudwaleit 2006 "not with rest": rest on < 25 % of answers
LATE_WAKING_SHARE = (1, 4)  # Rudwaleit 2006 "awakening in the second half of the night": ≥ 25 % of nights

RISK_PAIN_DAYS = 14  # issue 5: two weeks of nights
RISK_MIN_PAIN_NIGHTS = 3  # issue 5: ≥ 3 nights with night pain ≥ 1
RISK_ONSET_AGE = 50  # Chou 2007: back pain starting at age ≥ 50 is a cancer red flag

SPA_MIN_MONTHS = 3  # NICE NG65: back pain for more than 3 months...
SPA_MAX_ONSET_AGE = 45  # NICE NG65: ...that began before the age of 45
SPA_EARLY_ONSET_AGE = 35  # NICE NG65 criterion: onset before 35
SPA_EASING_SHARE = (1, 2)  # our approximation: movement / painkiller eased pain on ≥ 50 % of answers
SPA_REFER_MIN = 4  # NICE NG65: ≥ 4 criteria, refer to rheumatology
SPA_TEST_EXACT = 3  # NICE NG65: exactly 3 criteria, consider an HLA-B27 test


def inflammatory_pattern(window: Window) -> Draft | None:
    """≥ 14 logged nights in the last 28 days and ≥ 2 of the four Berlin-style criteria (a)-(d)."""
    recent = window.last_days(INFLAMMATORY_DAYS)
    if len(recent) < INFLAMMATORY_MIN_NIGHTS:
        return None
    met: list[str] = []
    evidence: list[NightRecord] = []

    # (a) long morning stiffness: ≥ 7 pain mornings whose median minutes are > 30.
    pain_mornings = [night for night in recent if is_pain_morning(night)]
    if len(pain_mornings) >= INFLAMMATORY_MIN_PAIN_MORNINGS:
        median_minutes = statistics.median(night.morning_pain_minutes for night in pain_mornings)
        if median_minutes > INFLAMMATORY_STIFFNESS_MIN:
            met.append(f"(a) median morning pain {median_minutes:g} min over {len(pain_mornings)} pain mornings")
            evidence += [n for n in pain_mornings if n.morning_pain_minutes > INFLAMMATORY_STIFFNESS_MIN]

    # (b) better with movement, not with rest: of the nights that say what eased the pain.
    answered = [night for night in recent if night.eased_by]
    moving = [night for night in answered if night.eased_by & {"movement", "hot_shower"}]
    resting = [night for night in answered if "rest" in night.eased_by]
    if (
        len(answered) >= INFLAMMATORY_MIN_EASED_NIGHTS
        and at_least_share(len(moving), len(answered), INFLAMMATORY_MOVEMENT_SHARE)
        and below_share(len(resting), len(answered), INFLAMMATORY_REST_SHARE)
    ):
        met.append(f"(b) eased by movement/hot shower on {len(moving)}/{len(answered)}, by rest on {len(resting)}")
        evidence += moving

    # (c) woken in the second half of the night on ≥ 25 % of logged nights.
    late = [night for night in recent if night.woke_by_pain == "late"]
    if at_least_share(len(late), len(recent), LATE_WAKING_SHARE):
        met.append(f"(c) woken late on {len(late)}/{len(recent)} nights")
        evidence += late

    # (d) alternating buttock pain: left on one night and right on a different night.
    left = [night for night in recent if "buttock_left" in night.pain_areas]
    right = [night for night in recent if "buttock_right" in night.pain_areas]
    if left and right and not (len(left) == 1 and len(right) == 1 and left[0].date == right[0].date):
        met.append(f"(d) left buttock on {len(left)}, right buttock on {len(right)} nights")
        evidence += left + right

    if len(met) < INFLAMMATORY_MIN_CRITERIA:
        return None
    return Draft(
        title="Your nights match a pattern doctors call inflammatory back pain",
        message=(
            "Several features of your last four weeks — such as long morning stiffness, pain that eases with "
            "movement rather than rest, waking in the second half of the night, or pain switching between the "
            "buttocks — match a pattern doctors call inflammatory back pain. This is not a diagnosis, but it is "
            "worth showing to a doctor, who may check for conditions such as axial spondyloarthritis."
        ),
        evidence=dates_of(evidence),
        detail=f"{len(met)} of 4 Berlin-style criteria over {len(recent)} nights in {INFLAMMATORY_DAYS} days: "
        + "; ".join(met)
        + ".",
        tell_doctor="My diary shows " + "; ".join(item[4:] for item in met) + " over the last four weeks.",
    )


def night_pain_risk_factors(window: Window) -> Draft | None:
    """≥ 3 nights with night pain ≥ 1 in the last 14 days and a red-flag risk factor."""
    profile = window.profile
    painful = [night for night in window.last_days(RISK_PAIN_DAYS) if night.night_pain >= 1]
    if len(painful) < RISK_MIN_PAIN_NIGHTS:
        return None
    weight_loss = [night for night in window.nights if "weight_loss" in night.symptoms]
    factors = []
    if profile is not None:
        if profile.history_of_cancer:
            factors.append("a history of cancer")
        if profile.osteoporosis:
            factors.append("osteoporosis")
        if profile.long_term_steroids:
            factors.append("long-term steroid tablets")
    onset = onset_age(profile)
    if onset is not None and onset >= RISK_ONSET_AGE:
        factors.append(f"back pain that began around age {onset}")
    if weight_loss:
        factors.append("unexplained weight loss")
    if not factors:
        return None
    return Draft(
        title="Night pain together with a risk factor",
        message=(
            f"You have had night pain on several nights and you recorded {', '.join(factors)}. Night pain on "
            "its own is rarely serious, but with this background doctors like to check the cause. Book an "
            "appointment and mention it."
        ),
        evidence=dates_of(painful + weight_loss),
        detail=f"Night pain ≥ 1 on {len(painful)} of the last {RISK_PAIN_DAYS} days; risk factors: {', '.join(factors)}.",
        tell_doctor=f"I have had night back pain on {len(painful)} nights in two weeks, and I have {', '.join(factors)}.",
    )


def spa_referral_criteria(window: Window) -> Draft | None:
    """NICE NG65 count for back pain > 3 months that began before 45; ≥ 3 criteria gives a finding.

    Each criterion as computed from the diary and profile:
    1. onset before 35: back_pain_since.year - birth_year < 35;
    2. waking in the second half of the night: woke_by_pain == "late" on ≥ 25 % of logged nights in the period;
    3. buttock pain: buttock_left or buttock_right on any logged night in the period;
    4. improvement with movement: "movement" on ≥ 50 % of the nights that say what eased the pain;
    5. improvement with NSAIDs within 48 h: approximated by "painkiller" on ≥ 50 % of those nights
       (the diary does not record which painkiller or how soon it worked);
    6. first-degree relative with spondyloarthritis: profile.family_spondyloarthritis;
    7. current or past psoriasis, arthritis or enthesitis: profile.psoriasis_arthritis_enthesitis.
    """
    profile = window.profile
    onset = onset_age(profile)
    if profile is None or onset is None or profile.back_pain_since is None or onset >= SPA_MAX_ONSET_AGE:
        return None
    if window.end <= add_months(profile.back_pain_since, SPA_MIN_MONTHS):
        return None  # not yet more than 3 months of back pain
    met, evidence = _spa_criteria(window, profile, onset)
    if len(met) < SPA_TEST_EXACT:
        return None
    refer = len(met) >= SPA_REFER_MIN
    if refer:
        title = "Your answers meet the NICE criteria for a rheumatology referral"
        advice = (
            "UK NICE guidance suggests that people with this combination are referred to a rheumatologist "
            "(a specialist in inflammatory joint and spine conditions) to check for spondyloarthritis. This is "
            "not a diagnosis; show this report to your doctor and ask about a referral."
        )
        ask = "Should I be referred to a rheumatologist to check for spondyloarthritis?"
    else:
        title = "Your answers meet three of the NICE spondyloarthritis criteria"
        advice = (
            "UK NICE guidance suggests that with exactly three of these features a doctor considers a blood "
            "test called HLA-B27. This is not a diagnosis; ask your doctor whether the test makes sense for you."
        )
        ask = "Would an HLA-B27 blood test make sense for me?"
    return Draft(
        title=title,
        message=f"Your back pain has lasted more than three months and began before 45, and you have {len(met)} of "
        f"the features NICE lists for spondyloarthritis. {advice}",
        evidence=dates_of(evidence),
        detail=f"NICE NG65: {len(met)} of 7 criteria ({'; '.join(met)}); "
        + ("refer to rheumatology." if refer else "consider HLA-B27 test."),
        tell_doctor=f"I have {'; '.join(met)}. {ask}",
    )


def _spa_criteria(window: Window, profile: ProfileFacts, onset: int) -> tuple[list[str], list[NightRecord]]:
    """The NICE NG65 criteria met (in words) and the nights behind the diary criteria."""
    nights = window.nights
    answered = [night for night in nights if night.eased_by]
    late = [night for night in nights if night.woke_by_pain == "late"]
    buttock = [night for night in nights if night.pain_areas & {"buttock_left", "buttock_right"}]
    movement = [night for night in answered if "movement" in night.eased_by]
    painkiller = [night for night in answered if "painkiller" in night.eased_by]

    met: list[str] = []
    evidence: list[NightRecord] = []
    if onset < SPA_EARLY_ONSET_AGE:
        met.append(f"onset before {SPA_EARLY_ONSET_AGE} (around age {onset})")
    if at_least_share(len(late), len(nights), LATE_WAKING_SHARE):
        met.append(f"woken in the second half of the night on {len(late)}/{len(nights)} nights")
        evidence += late
    if buttock:
        met.append(f"buttock pain on {len(buttock)} nights")
        evidence += buttock
    if at_least_share(len(movement), len(answered), SPA_EASING_SHARE):
        met.append(f"eased by movement on {len(movement)}/{len(answered)} nights")
        evidence += movement
    if at_least_share(len(painkiller), len(answered), SPA_EASING_SHARE):
        met.append(f"eased by a painkiller on {len(painkiller)}/{len(answered)} nights (stands in for NSAID response)")
        evidence += painkiller
    if profile.family_spondyloarthritis:
        met.append("a close relative with spondyloarthritis")
    if profile.psoriasis_arthritis_enthesitis:
        met.append("psoriasis, arthritis or enthesitis")
    return met, evidence
