"""Inflammatory back pain: the Berlin-style pattern and NICE NG65's spondyloarthritis count.

Both share criterion (e), a good response to anti-inflammatory painkillers (NICE NG65 asks about
NSAIDs; paracetamol relief does not count), and the NICE criteria's share-of-nights tests.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.records import (
    Draft,
    NightRecord,
    ProfileFacts,
    Window,
    add_months,
    at_least_share,
    below_share,
    clinical_dates,
    dates_of,
    is_pain_morning,
    number_words,
    onset_age,
)

INFLAMMATORY_STIFFNESS_MIN = 30  # Berlin criteria (Rudwaleit 2006): morning stiffness > 30 min
INFLAMMATORY_DAYS = 28  # issue 5: four weeks of nights
INFLAMMATORY_MIN_NIGHTS = 14  # issue 5: at least half of them logged
INFLAMMATORY_MIN_CRITERIA = 2  # Berlin criteria (Rudwaleit 2006): ≥ 2 of 4, LR+ 3.7
INFLAMMATORY_MAX_ONSET_AGE = 50  # Berlin criteria apply to people under 50 (Rudwaleit 2006)
INFLAMMATORY_MIN_PAIN_MORNINGS = 7  # issue 5: enough mornings for a median
INFLAMMATORY_MIN_EASED_NIGHTS = 7  # issue 5: enough "what eased it" answers
INFLAMMATORY_MOVEMENT_SHARE = (1, 2)  # Rudwaleit 2006 "improvement with exercise": ≥ 50 % of answers
INFLAMMATORY_REST_SHARE = (1, 4)  # Rudwaleit 2006 "not with rest": rest on < 25 % of answers
LATE_WAKING_SHARE = (1, 4)  # Rudwaleit 2006 "awakening in the second half of the night": ≥ 25 % of nights

PAINKILLERS = frozenset({"anti_inflammatory", "painkiller"})
NSAID_MIN_NIGHTS = 4  # rules v2 (e): some painkiller eased the pain on ≥ 4 nights...
NSAID_SHARE = (1, 2)  # ...and an anti-inflammatory was among them on ≥ 50 % (NICE NG65: response to NSAIDs)

SPA_MIN_MONTHS = 3  # NICE NG65: back pain for more than 3 months...
SPA_MAX_ONSET_AGE = 45  # NICE NG65: ...that began before the age of 45
SPA_EARLY_ONSET_AGE = 35  # NICE NG65 criterion: onset before 35
SPA_EASING_SHARE = (1, 2)  # our approximation: movement eased pain on ≥ 50 % of answers
SPA_SHARE_MIN_NIGHTS = 14  # rules v2: a share of nights means nothing on fewer than 14 logged nights
SPA_REFER_MIN = 4  # NICE NG65: ≥ 4 criteria, refer to rheumatology
SPA_TEST_EXACT = 3  # NICE NG65: exactly 3 criteria, consider an HLA-B27 test


def nsaid_response(nights: Sequence[NightRecord]) -> list[NightRecord]:
    """Criterion (e): the nights some painkiller eased the pain, when there are ≥ 4 and an
    anti-inflammatory was among them on ≥ 50 % of them; otherwise no nights (not met)."""
    eased = [night for night in nights if night.eased_by & PAINKILLERS]
    nsaid = [night for night in eased if "anti_inflammatory" in night.eased_by]
    if len(eased) >= NSAID_MIN_NIGHTS and at_least_share(len(nsaid), len(eased), NSAID_SHARE):
        return eased
    return []


def _berlin_criteria(recent: list[NightRecord]) -> list[tuple[str, str, list[NightRecord]]]:
    """Criteria (a)-(e) met over the last 28 days: (letter, words, nights behind it)."""
    met: list[tuple[str, str, list[NightRecord]]] = []
    # (a) long morning stiffness: ≥ 7 pain mornings whose median minutes are > 30.
    pain_mornings = [night for night in recent if is_pain_morning(night)]
    if len(pain_mornings) >= INFLAMMATORY_MIN_PAIN_MORNINGS:
        median_minutes = statistics.median(night.morning_pain_minutes for night in pain_mornings)
        if median_minutes > INFLAMMATORY_STIFFNESS_MIN:
            long = [n for n in pain_mornings if n.morning_pain_minutes > INFLAMMATORY_STIFFNESS_MIN]
            words = _("median morning pain %(median)s min over %(count)d pain mornings") % {
                "median": number_words(median_minutes),
                "count": len(pain_mornings),
            }
            met.append(("a", words, long))
    # (b) better with movement, not with rest: of the nights that say what eased the pain.
    answered = [night for night in recent if night.eased_by]
    moving = [night for night in answered if night.eased_by & {"movement", "hot_shower"}]
    resting = [night for night in answered if "rest" in night.eased_by]
    if (
        len(answered) >= INFLAMMATORY_MIN_EASED_NIGHTS
        and at_least_share(len(moving), len(answered), INFLAMMATORY_MOVEMENT_SHARE)
        and below_share(len(resting), len(answered), INFLAMMATORY_REST_SHARE)
    ):
        words = _("eased by movement/hot shower on %(moving)d/%(answered)d, by rest on %(resting)d") % {
            "moving": len(moving),
            "answered": len(answered),
            "resting": len(resting),
        }
        met.append(("b", words, moving))
    # (c) woken in the second half of the night on ≥ 25 % of logged nights.
    late = [night for night in recent if night.woke_by_pain == "late"]
    if at_least_share(len(late), len(recent), LATE_WAKING_SHARE):
        words = _("woken late on %(late)d/%(count)d nights") % {"late": len(late), "count": len(recent)}
        met.append(("c", words, late))
    # (d) alternating buttock pain: left on one night and right on a different night.
    left = [night for night in recent if "buttock_left" in night.pain_areas]
    right = [night for night in recent if "buttock_right" in night.pain_areas]
    if left and right and not (len(left) == 1 and len(right) == 1 and left[0].date == right[0].date):
        words = _("left buttock on %(left)d, right buttock on %(right)d nights") % {
            "left": len(left),
            "right": len(right),
        }
        met.append(("d", words, left + right))
    # (e) good response to anti-inflammatory painkillers.
    if eased := nsaid_response(recent):
        nsaid = sum(1 for night in eased if "anti_inflammatory" in night.eased_by)
        words = _("eased by a painkiller on %(eased)d nights, an anti-inflammatory on %(nsaid)d") % {
            "eased": len(eased),
            "nsaid": nsaid,
        }
        met.append(("e", words, eased))
    return met


def inflammatory_pattern(window: Window) -> Draft | None:
    """≥ 14 logged nights in the last 28 days and ≥ 2 of the criteria (a)-(e); never when the
    profile gives an onset age of 50 or more (Berlin criteria: age < 50)."""
    recent = window.last_days(INFLAMMATORY_DAYS)
    onset = onset_age(window.profile)
    if len(recent) < INFLAMMATORY_MIN_NIGHTS or (onset is not None and onset >= INFLAMMATORY_MAX_ONSET_AGE):
        return None
    met = _berlin_criteria(recent)
    if len(met) < INFLAMMATORY_MIN_CRITERIA:
        return None
    features = "; ".join(words for _letter, words, _nights in met)
    evidence = dates_of(night for _letter, _words, nights in met for night in nights)
    values = {
        "met": len(met),
        "count": len(recent),
        "days": INFLAMMATORY_DAYS,
        "criteria": "; ".join(f"({letter}) {words}" for letter, words, _nights in met),
        "features": features,
        "dates": clinical_dates(evidence),
    }
    return Draft(
        title=_("Your nights match a pattern doctors call inflammatory back pain"),
        message=_(
            "Several features of your last four weeks — such as long morning stiffness, pain that eases with "
            "movement rather than rest, waking in the second half of the night, pain switching between the "
            "buttocks, or pain eased by anti-inflammatory painkillers — match a pattern doctors call inflammatory "
            "back pain. This is not a diagnosis, but it is worth showing to a doctor, who may check for conditions "
            "such as axial spondyloarthritis."
        ),
        evidence=evidence,
        detail=_("%(met)d of 5 Berlin-style criteria over %(count)d nights in %(days)d days: %(criteria)s.") % values,
        clinician_message=_(
            "Over the last %(days)d days (%(count)d nights logged, %(dates)s) the diary meets %(met)d inflammatory "
            "back pain features (Berlin criteria, Rudwaleit 2006): %(features)s. Consider assessment for axial "
            "spondyloarthritis."
        )
        % values,
        tell_doctor=_("My diary shows %(features)s over the last four weeks.") % values,
    )


def _spa_criteria(window: Window, profile: ProfileFacts, onset: int) -> tuple[list[str], list[NightRecord]]:
    """The NICE NG65 criteria met (in words) and the nights behind the diary criteria.

    Every share-of-nights criterion needs ≥ 14 logged nights in the period, else it is not met.
    """
    nights = window.nights
    enough = len(nights) >= SPA_SHARE_MIN_NIGHTS
    answered = [night for night in nights if night.eased_by]
    late = [night for night in nights if night.woke_by_pain == "late"]
    buttock = [night for night in nights if night.pain_areas & {"buttock_left", "buttock_right"}]
    movement = [night for night in answered if "movement" in night.eased_by]
    nsaid = nsaid_response(nights) if enough else []

    met: list[str] = []
    evidence: list[NightRecord] = []
    if onset < SPA_EARLY_ONSET_AGE:
        met.append(_("onset before %(limit)d (around age %(age)d)") % {"limit": SPA_EARLY_ONSET_AGE, "age": onset})
    if enough and at_least_share(len(late), len(nights), LATE_WAKING_SHARE):
        met.append(
            _("woken in the second half of the night on %(late)d/%(count)d nights")
            % {"late": len(late), "count": len(nights)}
        )
        evidence += late
    if buttock:
        met.append(
            ngettext("buttock pain on %(count)d night", "buttock pain on %(count)d nights", len(buttock))
            % {"count": len(buttock)}
        )
        evidence += buttock
    if enough and at_least_share(len(movement), len(answered), SPA_EASING_SHARE):
        met.append(
            _("eased by movement on %(movement)d/%(answered)d nights")
            % {"movement": len(movement), "answered": len(answered)}
        )
        evidence += movement
    if nsaid:
        met.append(
            ngettext(
                "eased by painkillers on %(count)d night, mostly anti-inflammatories (NSAID response)",
                "eased by painkillers on %(count)d nights, mostly anti-inflammatories (NSAID response)",
                len(nsaid),
            )
            % {"count": len(nsaid)}
        )
        evidence += nsaid
    if profile.family_spondyloarthritis:
        met.append(_("a close relative with spondyloarthritis"))
    if profile.psoriasis_arthritis_enthesitis:
        met.append(_("psoriasis, arthritis or enthesitis"))
    return met, evidence


def spa_referral_criteria(window: Window) -> Draft | None:
    """NICE NG65 count for back pain > 3 months that began before 45; ≥ 3 criteria gives a finding.

    Criteria as computed (docs/report-rules.md): onset before 35; woken late on ≥ 25 % of nights;
    buttock pain on any night; movement on ≥ 50 % of the nights that say what eased the pain;
    criterion (e) over the period's nights (NSAID response); a close relative with spondyloarthritis;
    psoriasis, arthritis or enthesitis. Share criteria need ≥ 14 logged nights in the period.
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
        title = _("Your answers meet the NICE criteria for a rheumatology referral")
        advice = _(
            "UK NICE guidance suggests that people with this combination are referred to a rheumatologist (a "
            "specialist in inflammatory joint and spine conditions) to check for spondyloarthritis. This is not a "
            "diagnosis; show this report to your doctor and ask about a referral."
        )
        ask = _("Should I be referred to a rheumatologist to check for spondyloarthritis?")
        action = _("NICE NG65 recommends rheumatology referral (≥ 4).")
        outcome = _("refer to rheumatology.")
    else:
        title = _("Your answers meet three of the NICE spondyloarthritis criteria")
        advice = _(
            "UK NICE guidance suggests that with exactly three of these features a doctor considers a blood test "
            "called HLA-B27. This is not a diagnosis; ask your doctor whether the test makes sense for you."
        )
        ask = _("Would an HLA-B27 blood test make sense for me?")
        action = _("NICE NG65: consider HLA-B27 (exactly 3).")
        outcome = _("consider HLA-B27 test.")
    criteria = "; ".join(met)
    values = {"count": len(met), "advice": advice, "criteria": criteria, "outcome": outcome, "age": onset}
    nights = _(" (nights: %(dates)s)") % {"dates": clinical_dates(dates_of(evidence))} if evidence else ""
    return Draft(
        title=title,
        message=_(
            "Your back pain has lasted more than three months and began before 45, and you have %(count)d of the "
            "features NICE lists for spondyloarthritis. %(advice)s"
        )
        % values,
        evidence=dates_of(evidence),
        detail=_("NICE NG65: %(count)d of 7 criteria (%(criteria)s); %(outcome)s") % values,
        clinician_message=_(
            "Back pain for more than 3 months with onset around age %(age)d; %(count)d of the NICE NG65 "
            "spondyloarthritis criteria from the profile and diary: %(criteria)s%(nights)s. %(action)s"
        )
        % {**values, "nights": nights, "action": action},
        tell_doctor=_("I have %(criteria)s. %(ask)s") % {"criteria": criteria, "ask": ask},
    )
