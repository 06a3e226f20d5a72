"""The report rules of issue 5: for every rule a diary just below its threshold and one exactly at it.

No database: the diaries are built from NightRecord objects by the small helpers below. Days are
written as offsets from END (0 = the last night of the report, -6 = six days before it).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from articles.loading import shipped_articles
from diary.rules import (
    ARTICLE_SLUGS,
    RULE_CODES,
    BedChange,
    Level,
    NightRecord,
    ProfileFacts,
    Report,
    bed_changes,
    build_report,
    report_as_dict,
    spearman_rho,
)

END = date(2026, 11, 30)
# The slugs of the articles the app ships (articles/content), read from the files themselves.
KNOWN_ARTICLES = {article.slug for article in shipped_articles()}


# --- helpers ---------------------------------------------------------------------------------------


def day(offset: int) -> date:
    return END + timedelta(days=offset)


def night(offset: int, pain: int = 3, bed: str = "Old mattress", **fields) -> NightRecord:
    """One night `offset` days from END; sets (pain_areas, eased_by, symptoms) may be given as lists."""
    for key in ("pain_areas", "eased_by", "symptoms"):
        if key in fields:
            fields[key] = frozenset(fields[key])
    bed_ids = {"Old mattress": 1, "New mattress": 2, "Sofa": 3, "Guest bed": 4}
    return NightRecord(date=day(offset), night_pain=pain, bed_id=bed_ids.get(bed), bed_name=bed, **fields)


def nights(offsets, pain: int = 3, **fields) -> list[NightRecord]:
    return [night(offset, pain, **fields) for offset in offsets]


def report(diary, profile: ProfileFacts | None = None, start: date | None = None, end: date | None = END) -> Report:
    return build_report(diary, profile, start, end)


def codes(diary, **kwargs) -> list[str]:
    return [finding.code for finding in report(diary, **kwargs).findings]


def finding(diary, code: str, **kwargs):
    found = [f for f in report(diary, **kwargs).findings if f.code == code]
    return found[0] if found else None


def quiet_week(offsets=range(-13, 1)) -> list[NightRecord]:
    """Nights with nothing worth flagging (no morning pain, no symptoms)."""
    return nights(offsets, pain=2)


def replace(diary: list[NightRecord], *changed: NightRecord) -> list[NightRecord]:
    """The diary with the nights of the same dates swapped for `changed`."""
    by_date = {n.date: n for n in diary}
    by_date.update({n.date: n for n in changed})
    return sorted(by_date.values(), key=lambda n: n.date)


# --- RED_FLAG_NERVES ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sign", ["saddle_numbness", "bladder_bowel_change", "leg_weakness"])
def test_a_nerve_warning_sign_six_days_before_the_end_is_urgent(sign):
    diary = replace(quiet_week(), night(-6, symptoms=[sign]))
    found = finding(diary, "RED_FLAG_NERVES")
    assert found.level == Level.URGENT
    assert found.evidence == (day(-6),)
    assert "now" in found.message


@pytest.mark.parametrize("sign", ["saddle_numbness", "bladder_bowel_change", "leg_weakness"])
def test_a_nerve_warning_sign_seven_days_before_the_end_is_outside_the_last_week(sign):
    diary = replace(quiet_week(), night(-7, symptoms=[sign]))
    assert "RED_FLAG_NERVES" not in codes(diary)


def test_other_symptoms_are_not_nerve_warning_signs():
    diary = replace(quiet_week(), night(0, symptoms=["chills", "nausea", "weight_loss"]))
    assert "RED_FLAG_NERVES" not in codes(diary)


def test_a_warning_sign_before_the_period_start_is_context_only():
    diary = replace(quiet_week(), night(-5, symptoms=["leg_weakness"]))
    assert "RED_FLAG_NERVES" not in codes(diary, start=day(-4))


def test_nights_after_the_end_are_ignored():
    diary = [*quiet_week(), night(1, symptoms=["leg_weakness"])]
    assert "RED_FLAG_NERVES" not in codes(diary)


# --- KIDNEY_INFECTION_SIGNS and FEVER ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sign",
    [{"pain_areas": ["flank_left"]}, {"pain_areas": ["flank_right"]}]
    + [{"symptoms": [s]} for s in ("painful_urination", "chills", "nausea")],
)
def test_fever_of_38_with_a_kidney_sign_yesterday_is_urgent(sign):
    diary = replace(quiet_week(), night(-1, temperature_c=Decimal("38.0"), **sign))
    found = finding(diary, "KIDNEY_INFECTION_SIGNS")
    assert found.level == Level.URGENT
    assert found.evidence == (day(-1),)
    assert "today" in found.message


def test_37_9_with_flank_pain_is_not_kidney_infection_signs():
    diary = replace(quiet_week(), night(0, temperature_c=Decimal("37.9"), pain_areas=["flank_left"]))
    assert "KIDNEY_INFECTION_SIGNS" not in codes(diary)


def test_a_float_temperature_of_38_counts_as_fever():
    diary = replace(quiet_week(), night(0, temperature_c=38.0, symptoms=["chills"]))
    assert "KIDNEY_INFECTION_SIGNS" in codes(diary)


def test_kidney_signs_two_days_before_the_end_are_outside_the_last_two_days():
    diary = replace(quiet_week(), night(-2, temperature_c=Decimal("39.0"), pain_areas=["flank_right"]))
    assert "KIDNEY_INFECTION_SIGNS" not in codes(diary)


def test_fever_and_flank_pain_on_different_nights_are_not_kidney_signs():
    diary = replace(quiet_week(), night(-1, temperature_c=Decimal("38.5")), night(0, pain_areas=["flank_left"]))
    assert "KIDNEY_INFECTION_SIGNS" not in codes(diary)


def test_two_fever_nights_in_the_last_week_need_a_doctor():
    diary = replace(quiet_week(), night(-6, temperature_c=Decimal("38.0")), night(0, temperature_c=Decimal("38.1")))
    found = finding(diary, "FEVER")
    assert found.level == Level.SEE_DOCTOR
    assert found.evidence == (day(-6), day(0))


def test_one_night_of_37_9_is_not_fever_and_one_of_38_0_is():  # rules v2: one night is enough (v1: two)
    assert "FEVER" not in codes(replace(quiet_week(), night(-6, temperature_c=Decimal("37.9"))))
    assert finding(replace(quiet_week(), night(-6, temperature_c=Decimal("38.0"))), "FEVER").evidence == (day(-6),)


def test_a_fever_night_eight_days_ago_does_not_count_for_fever():
    diary = replace(quiet_week(), night(-7, temperature_c=Decimal("38.0")))
    assert "FEVER" not in codes(diary)


def test_fever_is_not_repeated_when_kidney_infection_signs_fired():
    diary = replace(
        quiet_week(),
        night(-3, temperature_c=Decimal("38.2")),
        night(0, temperature_c=Decimal("38.4"), pain_areas=["flank_left"]),
    )
    assert "KIDNEY_INFECTION_SIGNS" in codes(diary)
    assert "FEVER" not in codes(diary)


# --- URINARY_SYMPTOMS and FREQUENT_NIGHT_URINATION ----------------------------------------------------------


def test_painful_urination_on_two_nights_of_the_last_week_needs_a_doctor():
    diary = replace(quiet_week(), night(-6, symptoms=["painful_urination"]), night(0, symptoms=["painful_urination"]))
    found = finding(diary, "URINARY_SYMPTOMS")
    assert found.level == Level.SEE_DOCTOR
    assert found.evidence == (day(-6), day(0))


def test_painful_urination_on_one_night_is_not_enough():
    diary = replace(quiet_week(), night(-7, symptoms=["painful_urination"]), night(0, symptoms=["painful_urination"]))
    assert "URINARY_SYMPTOMS" not in codes(diary)


def test_blood_in_urine_once_in_the_last_week_needs_a_doctor():
    diary = replace(quiet_week(), night(-6, symptoms=["blood_in_urine"]))
    assert finding(diary, "URINARY_SYMPTOMS").evidence == (day(-6),)


def test_blood_in_urine_eight_days_ago_is_outside_the_last_week():
    diary = replace(quiet_week(), night(-7, symptoms=["blood_in_urine"]))
    assert "URINARY_SYMPTOMS" not in codes(diary)


def test_two_or_more_night_voids_on_four_nights_is_worth_mentioning():
    diary = replace(quiet_week(), *(night(o, pain=2, night_urinations=2) for o in (-6, -4, -2, 0)))
    found = finding(diary, "FREQUENT_NIGHT_URINATION")
    assert found.level == Level.INFO
    assert found.evidence == (day(-6), day(-4), day(-2), day(0))


def test_two_night_voids_on_three_nights_is_not_frequent():
    diary = replace(
        quiet_week(),
        *(night(o, pain=2, night_urinations=2) for o in (-7, -4, -2, 0)),
        night(-1, pain=2, night_urinations=1),
        night(-3, pain=2, night_urinations=None),
    )
    assert "FREQUENT_NIGHT_URINATION" not in codes(diary)


# --- MORNING_PAIN_PERSISTS --------------------------------------------------------------------------


def test_four_mornings_of_16_minutes_in_two_weeks_are_worth_knowing():  # rules v2: info (v1: see_doctor)
    diary = replace(quiet_week(), *(night(o, morning_pain_minutes=16) for o in (-13, -9, -5, 0)))
    found = finding(diary, "MORNING_PAIN_PERSISTS")
    assert found.level == Level.INFO
    assert found.evidence == (day(-13), day(-9), day(-5), day(0))
    assert found.article == "why-does-my-back-hurt-at-night"


def test_four_mornings_of_exactly_15_minutes_do_not_persist():
    diary = replace(quiet_week(), *(night(o, morning_pain_minutes=15) for o in (-13, -9, -5, 0)))
    assert "MORNING_PAIN_PERSISTS" not in codes(diary)


def test_three_long_mornings_in_two_weeks_do_not_persist():
    diary = replace(quiet_week(range(-14, 1)), *(night(o, morning_pain_minutes=60) for o in (-14, -9, -5, 0)))
    assert "MORNING_PAIN_PERSISTS" not in codes(diary)


# --- BED_LIKELY ---------------------------------------------------------------------------------------------


def short_mornings(offsets, minutes: int = 10) -> list[NightRecord]:
    return [night(o, pain=2, morning_pain_minutes=minutes) for o in offsets]


def test_five_short_pain_mornings_and_nothing_else_point_to_the_bed():
    diary = replace(quiet_week(), *short_mornings((-13, -10, -7, -3, 0), minutes=15))
    found = finding(diary, "BED_LIKELY")
    assert found.level == Level.INFO
    assert found.article == "is-it-your-bed"
    assert len(found.evidence) == 5


def test_four_pain_mornings_are_too_few_to_point_to_the_bed():
    diary = replace(quiet_week(range(-14, 1)), *short_mornings((-14, -13, -10, -3, 0)))  # 4 in the window
    assert "BED_LIKELY" not in codes(diary)


def test_exactly_80_percent_short_mornings_point_to_the_bed():
    diary = replace(quiet_week(), *short_mornings((-13, -10, -7, -3)), night(0, pain=2, morning_pain_minutes=16))
    assert "BED_LIKELY" in codes(diary)


def test_under_80_percent_short_mornings_do_not_point_to_the_bed():
    long_mornings = [night(o, pain=2, morning_pain_minutes=20) for o in (-1, 0)]
    diary = replace(quiet_week(), *short_mornings((-13, -11, -9, -7, -5, -3, -2)), *long_mornings)  # 7 of 9
    assert "BED_LIKELY" not in codes(diary)


def test_a_see_doctor_finding_rules_out_the_bed():
    diary = replace(
        quiet_week(),
        *short_mornings((-13, -10, -7, -3)),
        night(0, pain=2, morning_pain_minutes=5, symptoms=["blood_in_urine"]),
    )
    assert "URINARY_SYMPTOMS" in codes(diary)
    assert "BED_LIKELY" not in codes(diary)


def test_an_urgent_finding_rules_out_the_bed():
    diary = replace(
        quiet_week(),
        *short_mornings((-13, -10, -7, -3)),
        night(0, pain=2, morning_pain_minutes=5, symptoms=["leg_weakness"]),
    )
    assert "BED_LIKELY" not in codes(diary)


def test_an_info_finding_does_not_rule_out_the_bed():
    diary = replace(
        quiet_week(),
        *short_mornings((-13, -10, -7)),
        *(night(o, 2, morning_pain_minutes=5, night_urinations=3) for o in (-3, -2, -1, 0)),
    )
    assert {"FREQUENT_NIGHT_URINATION", "BED_LIKELY"} <= set(codes(diary))


# --- Bed changes ----------------------------------------------------------------------------------------
# D is day(-10) unless said otherwise; the baseline is [D-14, D-1].

D = -10


def before_change(pain: int = 5, offsets=None, bed: str = "Old mattress") -> list[NightRecord]:
    offsets = range(D - 14, D) if offsets is None else offsets
    return nights(offsets, pain=pain, bed=bed)


def on_new_bed(pains: dict[int, int], bed: str = "New mattress") -> list[NightRecord]:
    """Nights on the new bed, as {days after D: pain}."""
    return [night(D + after, pain, bed=bed) for after, pain in pains.items()]


def bed_codes(diary, end: date | None = None, start: date | None = None) -> list[tuple[str, date]]:
    found = report(diary, start=start, end=end or diary[-1].date).findings
    return [(f.code, f.detail.split(" ")[2]) for f in found if f.code.startswith("BED_CHANGE")]


def test_a_fall_to_exactly_b_minus_2_means_the_new_bed_helped():
    diary = before_change(pain=8) + on_new_bed({0: 8, 1: 8, 2: 6, 3: 6, 4: 6})  # B = 8, mean 6
    found = finding(diary, "BED_CHANGE_HELPED", end=day(D + 4))
    assert found.level == Level.INFO
    assert found.evidence == (day(D), day(D + 2), day(D + 3), day(D + 4))
    assert "Old mattress → New mattress" in found.detail


def test_a_fall_just_short_of_b_minus_2_does_not_count_as_helped():
    diary = before_change(pain=8) + on_new_bed({0: 8, 2: 6, 3: 6, 4: 7})  # mean 6.33 > 6 and > 5.6
    assert bed_codes(diary) == [("BED_CHANGE_TOO_EARLY", day(D).isoformat())]


def test_a_fall_to_exactly_70_percent_of_b_means_the_new_bed_helped():
    diary = before_change(pain=5) + on_new_bed({0: 5, 2: 4, 3: 3, 4: 4, 5: 3})  # B = 5, mean 3.5 = 0.7 × 5
    assert bed_codes(diary) == [("BED_CHANGE_HELPED", day(D).isoformat())]


def test_a_fall_just_above_70_percent_of_b_is_not_helped():
    diary = before_change(pain=5) + on_new_bed({0: 5, 2: 4, 3: 3, 4: 4, 5: 4})  # mean 3.75
    assert bed_codes(diary) == [("BED_CHANGE_TOO_EARLY", day(D).isoformat())]


def test_the_first_two_nights_on_a_new_bed_are_not_judged():
    diary = before_change(pain=5) + on_new_bed({0: 0, 1: 0, 2: 0, 3: 0})  # only 2 nights in [D+2, D+27]
    assert bed_codes(diary) == [("BED_CHANGE_TOO_EARLY", day(D).isoformat())]


def test_three_good_nights_from_d_plus_2_are_enough_to_say_it_helped():
    diary = before_change(pain=5) + on_new_bed({0: 0, 1: 0, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == [("BED_CHANGE_HELPED", day(D).isoformat())]


def test_a_night_at_d_plus_27_is_judged_and_one_at_d_plus_28_is_not():
    judged = before_change(pain=5) + on_new_bed({0: 5, 2: 0, 3: 0, 27: 0})
    assert bed_codes(judged) == [("BED_CHANGE_HELPED", day(D).isoformat())]
    too_late = before_change(pain=5) + on_new_bed({0: 5, 2: 0, 3: 0, 28: 0})
    assert bed_codes(too_late) == []  # four weeks over, too few nights in [D+14, D+27]


def test_a_baseline_of_four_nights_is_not_enough_to_judge_a_change():
    diary = before_change(pain=5, offsets=range(D - 4, D)) + on_new_bed({0: 5, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == []


def test_a_baseline_of_five_nights_is_enough_to_judge_a_change():
    diary = before_change(pain=5, offsets=range(D - 5, D)) + on_new_bed({0: 5, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == [("BED_CHANGE_HELPED", day(D).isoformat())]


def test_baseline_nights_older_than_d_minus_14_do_not_count():
    diary = before_change(pain=5, offsets=[D - 15, *range(D - 4, D)]) + on_new_bed({0: 5, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == []


def test_a_baseline_mean_of_exactly_2_is_judged():
    diary = before_change(pain=2, offsets=range(D - 5, D)) + on_new_bed({0: 2, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == [("BED_CHANGE_HELPED", day(D).isoformat())]


def test_a_baseline_mean_below_2_is_not_judged():
    baseline = before_change(pain=2, offsets=range(D - 5, D - 1)) + [night(D - 1, 1)]  # mean 1.8
    assert bed_codes(baseline + on_new_bed({0: 2, 2: 0, 3: 0, 4: 0})) == []


def test_a_change_three_days_after_the_old_bed_is_judged():
    diary = before_change(pain=5, offsets=range(D - 14, D - 2)) + on_new_bed({0: 5, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == [("BED_CHANGE_HELPED", day(D).isoformat())]


def test_a_change_four_days_after_the_old_bed_is_not_judged_but_is_shown():
    diary = before_change(pain=5, offsets=range(D - 14, D - 3)) + on_new_bed({0: 5, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary) == []
    assert bed_changes(diary) == [BedChange(day(D), "Old mattress", "New mattress")]


def test_four_weeks_without_a_fall_is_no_effect():
    diary = before_change(pain=5) + on_new_bed(dict.fromkeys(range(28), 5))
    found = finding(diary, "BED_CHANGE_NO_EFFECT", end=day(D + 27))
    assert found.level == Level.SEE_DOCTOR
    assert found.evidence == (day(D), *(day(D + k) for k in range(14, 28)))


def test_one_day_short_of_four_weeks_is_too_early():
    diary = before_change(pain=5) + on_new_bed(dict.fromkeys(range(27), 5))
    assert bed_codes(diary, end=day(D + 26)) == [("BED_CHANGE_TOO_EARLY", day(D).isoformat())]


def test_seven_nights_in_the_last_two_weeks_of_the_trial_are_enough_for_no_effect():
    diary = before_change(pain=5) + on_new_bed(dict.fromkeys([0, 1, 2, 14, 16, 18, 20, 22, 24, 27], 5))
    assert bed_codes(diary) == [("BED_CHANGE_NO_EFFECT", day(D).isoformat())]


def test_six_nights_in_the_last_two_weeks_of_the_trial_give_no_bed_finding():
    diary = before_change(pain=5) + on_new_bed(dict.fromkeys([0, 1, 2, 13, 14, 16, 18, 20, 22, 27], 5))
    assert bed_codes(diary) == []


def test_nights_on_the_new_bed_stop_counting_when_switching_back():
    # Old → New on D (no better) → Old on D+5 → New again on D+8 (much better).
    diary = (
        before_change(pain=5)
        + on_new_bed({0: 5, 1: 5, 2: 5, 3: 5, 4: 5})
        + [night(D + k, 5, bed="Old mattress") for k in (5, 6, 7)]
        + on_new_bed({8: 0, 9: 0, 10: 0, 11: 0, 12: 0})
    )
    assert bed_codes(diary) == [
        ("BED_CHANGE_HELPED", day(D + 8).isoformat()),
        ("BED_CHANGE_TOO_EARLY", day(D).isoformat()),
        ("BED_CHANGE_TOO_EARLY", day(D + 5).isoformat()),
    ]


def test_two_changes_are_judged_separately():
    diary = (
        before_change(pain=6, offsets=range(D - 30, D))
        + on_new_bed(dict.fromkeys(range(0, 28), 6))
        + [night(D + k, 1, bed="Sofa") for k in range(28, 34)]
    )
    found = report(diary, end=day(D + 33)).findings
    assert [(f.code, f.evidence[0]) for f in found if f.code.startswith("BED_CHANGE")] == [
        ("BED_CHANGE_NO_EFFECT", day(D)),
        ("BED_CHANGE_HELPED", day(D + 28)),
    ]


def test_a_change_before_the_period_is_not_judged_but_its_baseline_context_is_used():
    diary = before_change(pain=5) + on_new_bed({0: 5, 1: 0, 2: 0, 3: 0, 4: 0})
    assert bed_codes(diary, start=day(D)) == [("BED_CHANGE_HELPED", day(D).isoformat())]
    assert bed_codes(diary, start=day(D + 1)) == []


def test_bed_changes_lists_every_switch_with_any_gap_and_skips_nights_without_a_bed():
    diary = [
        night(-20, bed="Old mattress"),
        night(-10, bed="New mattress"),
        NightRecord(date=day(-9), night_pain=2),
        night(-8, bed="New mattress"),
        night(-7, bed="Old mattress"),
        night(-6, bed="Sofa"),
    ]
    assert bed_changes(reversed(diary)) == [
        BedChange(day(-10), "Old mattress", "New mattress"),
        BedChange(day(-7), "New mattress", "Old mattress"),
        BedChange(day(-6), "Old mattress", "Sofa"),
    ]


# --- INFLAMMATORY_PATTERN ----------------------------------------------------------------------------------
# Fourteen quiet nights in the last 28 days, then criteria added; (d) is the "other" criterion.


def fourteen_nights() -> list[NightRecord]:
    return nights(range(-27, 1, 2), pain=3)  # every other day: 14 nights


ALTERNATING_BUTTOCKS = (night(-27, pain_areas=["buttock_left"]), night(-25, pain_areas=["buttock_right"]))


def with_stiffness(diary, minutes_list) -> list[NightRecord]:
    offsets = [n.date for n in diary][-len(minutes_list) :]
    return replace(
        diary, *(night((d - END).days, morning_pain_minutes=m) for d, m in zip(offsets, minutes_list, strict=True))
    )


def test_two_berlin_criteria_over_fourteen_nights_match_the_inflammatory_pattern():
    diary = with_stiffness(replace(fourteen_nights(), *ALTERNATING_BUTTOCKS), [31] * 7)
    found = finding(diary, "INFLAMMATORY_PATTERN")
    assert found.level == Level.SEE_DOCTOR
    assert found.article == "ankylosing-spondylitis"
    assert "pattern doctors call inflammatory back pain" in found.message
    assert "you have" not in found.message.lower()


def test_thirteen_nights_are_too_few_for_the_inflammatory_pattern():
    diary = with_stiffness(replace(fourteen_nights(), *ALTERNATING_BUTTOCKS), [31] * 7)
    assert "INFLAMMATORY_PATTERN" not in codes(diary[1:])  # drop one quiet night


def test_one_berlin_criterion_is_not_enough():
    diary = replace(fourteen_nights(), *ALTERNATING_BUTTOCKS)
    assert "INFLAMMATORY_PATTERN" not in codes(diary)


def test_nights_28_days_before_the_end_are_outside_the_window():
    diary = with_stiffness(
        replace(fourteen_nights(), night(-28, pain_areas=["buttock_left"]), night(-27, pain_areas=["buttock_right"])),
        [31] * 7,
    )
    assert "INFLAMMATORY_PATTERN" not in codes(diary)


@pytest.mark.parametrize(
    ("minutes", "fires"),
    [
        ([31] * 7, True),
        ([30] * 7, False),
        ([60] * 6, False),
        ([20, 20, 20, 31, 60, 60, 60], True),
        ([20, 20, 20, 30, 60, 60, 60], False),
    ],
)
def test_morning_stiffness_criterion_needs_seven_pain_mornings_with_median_over_30(minutes, fires):
    diary = with_stiffness(replace(fourteen_nights(), *ALTERNATING_BUTTOCKS), minutes)
    assert ("INFLAMMATORY_PATTERN" in codes(diary)) is fires


def with_easing(answers: list[list[str]]) -> list[NightRecord]:
    diary = replace(fourteen_nights(), *ALTERNATING_BUTTOCKS)
    dates = [n.date for n in diary][-len(answers) :]
    return replace(diary, *(night((d - END).days, eased_by=a) for d, a in zip(dates, answers, strict=True)))


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        ([["movement"]] * 4 + [["painkiller"]] * 3 + [["rest"]], True),  # 4/8 movement, 1/8 rest
        ([["hot_shower"]] * 4 + [["painkiller"]] * 4, True),  # hot shower counts as movement
        ([["movement"]] * 3 + [["painkiller"]] * 5, False),  # 3/8 < 50 %
        ([["movement"]] * 6 + [["rest"]] * 2, False),  # rest on 2/8 = 25 %, not < 25 %
        ([["movement"]] * 6, False),  # only 6 nights say what eased it
        ([["movement", "rest"]] * 1 + [["movement"]] * 6, True),  # 7 answers, rest 1/7 < 25 %
    ],
)
def test_movement_criterion_counts_only_nights_that_say_what_eased_the_pain(answers, fires):
    assert ("INFLAMMATORY_PATTERN" in codes(with_easing(answers))) is fires


@pytest.mark.parametrize(("late_nights", "fires"), [(4, True), (3, False)])
def test_late_waking_criterion_needs_a_quarter_of_logged_nights(late_nights, fires):
    diary = replace(
        nights(range(-15, 1), pain=3), night(-15, pain_areas=["buttock_left"]), night(-14, pain_areas=["buttock_right"])
    )
    diary = replace(diary, *(night(o, woke_by_pain="late") for o in range(-late_nights + 1, 1)))
    assert ("INFLAMMATORY_PATTERN" in codes(diary)) is fires


def test_both_buttocks_on_one_night_are_not_alternating():
    diary = with_stiffness(
        replace(fourteen_nights(), night(-27, pain_areas=["buttock_left", "buttock_right"])), [31] * 7
    )
    assert "INFLAMMATORY_PATTERN" not in codes(diary)


def test_both_buttocks_on_one_night_and_one_side_on_another_are_alternating():
    diary = with_stiffness(
        replace(
            fourteen_nights(),
            night(-27, pain_areas=["buttock_left", "buttock_right"]),
            night(-25, pain_areas=["buttock_left"]),
        ),
        [31] * 7,
    )
    assert "INFLAMMATORY_PATTERN" in codes(diary)


# --- NIGHT_PAIN_UNRELIEVED -------------------------------------------------------------------------------------


def woken(offsets, nothing_on=()) -> list[NightRecord]:
    return [night(o, woke_by_pain="early", eased_by=["nothing"] if o in nothing_on else ["rest"]) for o in offsets]


def test_woken_on_eight_nights_with_nothing_helping_on_four_needs_a_doctor():
    diary = replace(quiet_week(), *woken(range(-13, -5), nothing_on=(-13, -11, -9, -7)))
    found = finding(diary, "NIGHT_PAIN_UNRELIEVED")
    assert found.level == Level.SEE_DOCTOR
    assert len(found.evidence) == 8


def test_woken_on_seven_nights_is_not_enough():
    diary = replace(quiet_week(range(-14, 1)), *woken([-14, *range(-12, -5)], nothing_on=(-12, -11, -9, -7)))
    assert "NIGHT_PAIN_UNRELIEVED" not in codes(diary)


def test_nothing_helping_on_three_woken_nights_is_not_enough():
    diary = replace(quiet_week(), *woken(range(-13, -5), nothing_on=(-13, -11, -9)), night(0, eased_by=["nothing"]))
    assert "NIGHT_PAIN_UNRELIEVED" not in codes(diary)


# --- PAIN_WORSENING -----------------------------------------------------------------------------------------------


def worsening(recent_pain=5, recent_offsets=range(-4, 1), earlier_offsets=range(-27, -17), earlier=None) -> list:
    earlier_nights = earlier or nights(earlier_offsets, pain=3)
    return [*earlier_nights, *nights(recent_offsets, pain=recent_pain)]


def test_a_rise_of_exactly_two_points_is_worsening():
    found = finding(worsening(), "PAIN_WORSENING")
    assert found.level == Level.SEE_DOCTOR
    assert found.evidence == tuple(day(o) for o in range(-4, 1))


def test_a_rise_just_under_two_points_is_not_worsening():
    earlier = [*nights(range(-27, -18), pain=3), night(-18, pain=4)]  # mean 3.1
    assert "PAIN_WORSENING" not in codes(worsening(earlier=earlier))


def test_four_recent_nights_are_too_few_for_worsening():
    assert "PAIN_WORSENING" not in codes(worsening(recent_offsets=range(-3, 1)))


def test_nine_earlier_nights_are_too_few_for_worsening():
    assert "PAIN_WORSENING" not in codes(worsening(earlier_offsets=[-28, *range(-26, -17)]))


def test_a_night_seven_days_before_the_end_belongs_to_the_earlier_weeks():
    diary = worsening(recent_offsets=[-7, -3, -2, -1, 0], earlier_offsets=range(-27, -18))
    assert "PAIN_WORSENING" not in codes(diary)  # 4 recent nights; the one on -7 counts as earlier


# --- PAIN_NOT_IMPROVING -----------------------------------------------------------------------------------------


def month(first_pains, last_pains, last_start=-6, first_start=-27) -> list[NightRecord]:
    first = [night(first_start + i, p) for i, p in enumerate(first_pains)]
    last = [night(last_start + i, p) for i, p in enumerate(last_pains)]
    return first + last


def test_a_month_without_a_30_percent_fall_is_not_improving():
    found = finding(month([4] * 7, [3, 3, 3, 3, 3, 3, 2]), "PAIN_NOT_IMPROVING")  # 4 → 2.86 > 2.8
    assert found.level == Level.SEE_DOCTOR
    assert len(found.evidence) == 14


def test_a_fall_to_exactly_70_percent_counts_as_improving():
    first = [5, 5, 4, 4, 4, 4, 4]  # sum 30, mean 4.29; 0.7 × 30 = 21
    assert "PAIN_NOT_IMPROVING" not in codes(month(first, [3] * 7))  # sum 21
    assert "PAIN_NOT_IMPROVING" in codes(month(first, [4, 3, 3, 3, 3, 3, 3]))  # sum 22


def test_a_first_week_under_4_is_not_checked():
    assert "PAIN_NOT_IMPROVING" not in codes(month([4, 4, 4, 4, 4, 4, 3], [4] * 7))


def test_a_span_of_27_days_is_too_short():
    diary = month([4] * 7, [4] * 7, last_start=-7)  # -27 .. -1: 27 days inclusive
    assert "PAIN_NOT_IMPROVING" not in codes(diary, end=day(-1))
    assert "PAIN_NOT_IMPROVING" in codes(month([4] * 7, [4] * 7))  # -27 .. 0: 28 days


# --- STRESS_LINK ------------------------------------------------------------------------------------------------

STRESS = [9, 7, 5, 1, 1, 6, 1, 7, 10, 4, 9, 8, 10, 0, 8, 10, 6, 7, 4, 8, 7]
PAIN_AT_RHO_0_4 = [7, 9, 8, 1, 6, 8, 2, 5, 9, 4, 9, 4, 5, 2, 4, 8, 9, 2, 1, 0, 6]  # ρ exactly 0.4 (with ties)
PAIN_BELOW = [*PAIN_AT_RHO_0_4[:6], 3, *PAIN_AT_RHO_0_4[7:]]  # ρ ≈ 0.395


def stress_diary(stress, pain) -> list[NightRecord]:
    return [night(-len(stress) + 1 + i, p, stress=s) for i, (s, p) in enumerate(zip(stress, pain, strict=True))]


def reference_rho(xs, ys) -> Fraction:
    """ρ² with sign, from average ranks via Fractions, as an independent check."""

    def ranks(values):
        ordered = sorted(values)
        return [Fraction(ordered.index(v) + 1 + ordered.index(v) + ordered.count(v), 2) for v in values]

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    return cov * abs(cov) / (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))


def test_the_boundary_diary_really_has_rho_of_exactly_0_4():
    assert reference_rho(STRESS, PAIN_AT_RHO_0_4) == Fraction(4, 25)
    assert reference_rho(STRESS, PAIN_BELOW) < Fraction(4, 25)


def test_spearman_rho_matches_the_textbook_formula_without_ties():
    assert spearman_rho([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)  # 1 - 6·4 / (5·24)
    assert spearman_rho([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman_rho([1, 1, 1], [1, 2, 3]) is None


def test_spearman_rho_uses_average_ranks_for_ties():
    xs, ys = [1, 2, 2, 3], [1, 3, 2, 4]
    assert spearman_rho(xs, ys) ** 2 == pytest.approx(float(reference_rho(xs, ys)))


def test_stress_and_pain_with_rho_exactly_0_4_over_21_nights_are_linked():
    found = finding(stress_diary(STRESS, PAIN_AT_RHO_0_4), "STRESS_LINK")
    assert found.level == Level.INFO
    assert found.article == "stress-and-back-pain"
    assert "0.40" in found.detail


def test_rho_just_under_0_4_is_not_a_link():
    assert "STRESS_LINK" not in codes(stress_diary(STRESS, PAIN_BELOW))


def test_twenty_nights_are_too_few_for_a_stress_link():
    assert "STRESS_LINK" in codes(stress_diary(range(21), range(21)))
    assert "STRESS_LINK" not in codes(stress_diary(range(20), range(20)))


def test_nights_without_stress_are_left_out_of_the_link():
    diary = [*stress_diary(range(20), range(20)), night(-40, 9)]
    assert "STRESS_LINK" not in codes(diary)


# --- NOT_ENOUGH_DATA ---------------------------------------------------------------------------------------


def test_six_nights_are_not_enough_data():
    found = finding(nights(range(-5, 1), pain=2), "NOT_ENOUGH_DATA")
    assert found.level == Level.INFO
    assert "6 of 6 nights" in found.detail


def test_seven_nights_are_enough_data():
    assert "NOT_ENOUGH_DATA" not in codes(nights(range(-6, 1), pain=2))


def test_an_empty_diary_gives_a_valid_report_for_today():
    empty = build_report([])
    assert empty.start == empty.end == date.today()
    assert [f.code for f in empty.findings] == ["NOT_ENOUGH_DATA"]
    assert empty.summary.nights_logged == 0
    assert empty.summary.mean_night_pain is None


def test_an_empty_period_with_dates_is_still_a_report():
    empty = build_report([], start=day(-13), end=END)
    assert empty.summary.nights_in_period == 14
    assert [f.code for f in empty.findings] == ["NOT_ENOUGH_DATA"]


def test_the_default_period_runs_from_the_first_to_the_last_logged_night():
    built = build_report(nights([-9, -3], pain=2))
    assert (built.start, built.end) == (day(-9), day(-3))


# --- NIGHT_PAIN_RISK_FACTORS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile",
    [
        ProfileFacts(history_of_cancer=True),
        ProfileFacts(osteoporosis=True),
        ProfileFacts(long_term_steroids=True),
        ProfileFacts(birth_year=1970, back_pain_since=date(2020, 1, 1)),  # began at 50
    ],
)
def test_three_painful_nights_with_a_risk_factor_need_a_doctor(profile):
    diary = replace(nights(range(-13, 1), pain=0), *nights([-3, -1, 0], pain=1))
    found = finding(diary, "NIGHT_PAIN_RISK_FACTORS", profile=profile)
    assert found.level == Level.SEE_DOCTOR
    assert found.evidence == (day(-3), day(-1), day(0))


def test_two_painful_nights_with_a_risk_factor_are_not_enough():
    diary = replace(nights(range(-14, 1), pain=0), night(-14, 5), night(-1, 1), night(0, 1))  # -14 is outside
    assert "NIGHT_PAIN_RISK_FACTORS" not in codes(diary, profile=ProfileFacts(history_of_cancer=True))


def test_back_pain_that_began_at_49_is_not_a_risk_factor():
    profile = ProfileFacts(birth_year=1971, back_pain_since=date(2020, 12, 31))
    assert "NIGHT_PAIN_RISK_FACTORS" not in codes(nights(range(-2, 1), pain=4), profile=profile)


def test_logged_weight_loss_is_a_risk_factor_even_without_a_profile():
    diary = [night(-20, symptoms=["weight_loss"]), *nights(range(-2, 1), pain=4)]
    assert "NIGHT_PAIN_RISK_FACTORS" in codes(diary)
    assert "NIGHT_PAIN_RISK_FACTORS" not in codes(diary, start=day(-19))  # weight loss before the period


def test_without_a_risk_factor_night_pain_alone_is_never_flagged():
    assert "NIGHT_PAIN_RISK_FACTORS" not in codes(nights(range(-13, 1), pain=8), profile=ProfileFacts())


# --- SPA_REFERRAL_CRITERIA ------------------------------------------------------------------------------


def spa_profile(born=1990, since=date(2020, 1, 1), family=True, psoriasis=True) -> ProfileFacts:
    return ProfileFacts(
        birth_year=born,
        back_pain_since=since,
        family_spondyloarthritis=family,
        psoriasis_arthritis_enthesitis=psoriasis,
    )


def test_three_nice_criteria_suggest_asking_about_an_hla_b27_test():
    found = finding(quiet_week(), "SPA_REFERRAL_CRITERIA", profile=spa_profile())  # onset 30, family, psoriasis
    assert found.level == Level.SEE_DOCTOR
    assert "HLA-B27" in found.message
    assert "3 of 7" in found.detail
    assert found.evidence == ()


def test_four_nice_criteria_suggest_a_rheumatology_referral():
    diary = replace(quiet_week(), night(-3, pain_areas=["buttock_left"]))
    found = finding(diary, "SPA_REFERRAL_CRITERIA", profile=spa_profile())
    assert "rheumatolog" in found.message
    assert "4 of 7" in found.detail
    assert found.evidence == (day(-3),)


def test_two_nice_criteria_give_no_finding():
    assert "SPA_REFERRAL_CRITERIA" not in codes(quiet_week(), profile=spa_profile(psoriasis=False))


def test_onset_at_35_is_not_early_onset():
    assert "SPA_REFERRAL_CRITERIA" not in codes(quiet_week(), profile=spa_profile(born=1985))
    assert "SPA_REFERRAL_CRITERIA" in codes(quiet_week(), profile=spa_profile(born=1986))


def test_back_pain_that_began_at_45_is_outside_nice_ng65():
    diary = replace(
        quiet_week(),
        night(-3, pain_areas=["buttock_left"]),
        night(-2, woke_by_pain="late"),
        night(-1, woke_by_pain="late"),
        night(0, woke_by_pain="late"),
    )
    assert "SPA_REFERRAL_CRITERIA" not in codes(diary, profile=spa_profile(born=1975))
    assert "SPA_REFERRAL_CRITERIA" in codes(diary, profile=spa_profile(born=1976))  # began at 44


def test_back_pain_of_exactly_three_months_is_not_more_than_three_months():
    assert "SPA_REFERRAL_CRITERIA" not in codes(quiet_week(), profile=spa_profile(born=1995, since=date(2026, 8, 30)))
    assert "SPA_REFERRAL_CRITERIA" in codes(quiet_week(), profile=spa_profile(born=1995, since=date(2026, 8, 29)))


def test_no_profile_or_no_birth_year_means_no_spa_count():
    assert "SPA_REFERRAL_CRITERIA" not in codes(quiet_week())
    assert "SPA_REFERRAL_CRITERIA" not in codes(quiet_week(), profile=spa_profile(born=None))


@pytest.mark.parametrize(("late", "fires"), [(4, True), (3, False)])
def test_late_waking_on_a_quarter_of_nights_is_a_nice_criterion(late, fires):
    diary = replace(
        nights(range(-15, 1), pain=2), *(night(o, woke_by_pain="late") for o in range(-late + 1, 1))
    )  # of 16
    assert ("SPA_REFERRAL_CRITERIA" in codes(diary, profile=spa_profile(psoriasis=False))) is fires


# rules v2: "another painkiller" (e.g. paracetamol) no longer stands in for NICE's NSAID response.
@pytest.mark.parametrize(("eased", "fires"), [("movement", True), ("painkiller", False), ("rest", False)])
def test_movement_on_half_of_the_answers_is_a_nice_criterion(eased, fires):
    answers = [
        night(-3, eased_by=[eased]),
        night(-2, eased_by=[eased]),
        night(-1, eased_by=["hot_shower"]),
        night(0, eased_by=["hot_shower"]),
    ]
    diary = replace(quiet_week(), *answers)
    assert ("SPA_REFERRAL_CRITERIA" in codes(diary, profile=spa_profile(psoriasis=False))) is fires


def test_painkiller_on_under_half_of_the_answers_is_not_a_nice_criterion():
    answers = [night(-2, eased_by=["painkiller"]), night(-1, eased_by=["rest"]), night(0, eased_by=["rest"])]
    assert "SPA_REFERRAL_CRITERIA" not in codes(replace(quiet_week(), *answers), profile=spa_profile(psoriasis=False))


# --- ordering, wording, articles --------------------------------------------------------------------------


def test_findings_are_ordered_urgent_then_see_doctor_then_info_in_table_order():
    diary = replace(
        quiet_week(range(-20, 1)),
        night(-6, symptoms=["blood_in_urine"]),
        *(night(o, 2, night_urinations=3) for o in (-3, -2, -1)),
        night(0, 2, night_urinations=3, temperature_c=Decimal("38.5"), symptoms=["chills", "leg_weakness"]),
        *(night(o, 2, morning_pain_minutes=40) for o in (-12, -11, -10, -9)),
    )
    found = report(diary).findings
    assert [f.code for f in found] == [
        "RED_FLAG_NERVES",
        "KIDNEY_INFECTION_SIGNS",
        "URINARY_SYMPTOMS",
        "MORNING_STIFFNESS_LONG",
        "FREQUENT_NIGHT_URINATION",
    ]
    assert [f.level for f in found] == sorted(
        (f.level for f in found), key=[Level.URGENT, Level.SEE_DOCTOR, Level.INFO].index
    )


def test_every_finding_has_plain_words_sorted_evidence_and_a_known_article():
    diary = replace(
        quiet_week(range(-40, 1)),
        night(
            0,
            symptoms=["leg_weakness", "blood_in_urine", "weight_loss"],
            temperature_c=Decimal("39"),
            pain_areas=["flank_left", "buttock_left"],
        ),
        night(
            -1, woke_by_pain="late", eased_by=["nothing"], pain_areas=["buttock_right"], temperature_c=Decimal("38.5")
        ),
    )
    found = report(diary, profile=spa_profile()).findings
    assert len(found) >= 5
    for f in found:
        assert f.code in RULE_CODES
        assert f.title and f.message and f.detail and f.clinician_message and f.clinical_title
        assert f.code not in f.clinician_message and f.code not in f.clinical_title
        assert list(f.evidence) == sorted(set(f.evidence))
        assert f.article in ARTICLE_SLUGS
        assert "you have ankylosing" not in f.message.lower()


def test_article_slugs_are_all_real_articles_and_rule_codes_are_unique():
    assert ARTICLE_SLUGS <= KNOWN_ARTICLES
    assert len(set(RULE_CODES)) == len(RULE_CODES) == 29  # 25 + the medicine and PEG rules of issue 17


# --- summary and JSON --------------------------------------------------------------------------------------


def summary_diary() -> list[NightRecord]:
    return [
        night(-40, 9, bed="Guest bed"),  # context only
        night(-9, 2, bed="Old mattress", morning_pain_minutes=0),
        night(-8, 4, bed="Old mattress", morning_pain_minutes=20, woke_by_pain="late"),
        night(-6, 6, bed="New mattress", morning_pain_minutes=10, temperature_c=Decimal("38.0")),
        night(-5, 3, bed="New mattress", morning_pain_minutes=16, symptoms=["blood_in_urine"]),
        night(-4, 5, bed="Old mattress", morning_pain_minutes=5, woke_by_pain="early", temperature_c=Decimal("37.9")),
    ]


def test_the_summary_counts_only_the_period():
    summary = report(summary_diary(), start=day(-9), end=day(0)).summary
    assert summary.nights_logged == 5
    assert summary.nights_in_period == 10
    assert summary.mean_night_pain == 4.0
    assert summary.median_night_pain == 4.0
    assert summary.max_night_pain == 6
    assert summary.nights_woken == 2
    assert summary.median_morning_minutes == 10.0
    assert summary.share_mornings_over_15 == 0.4
    assert summary.nights_with_fever == 1
    assert summary.nights_with_urinary_signs == 1
    assert summary.beds_used == ("Old mattress", "New mattress")
    assert summary.bed_changes == (
        BedChange(day(-9), "Guest bed", "Old mattress"),
        BedChange(day(-6), "Old mattress", "New mattress"),
        BedChange(day(-4), "New mattress", "Old mattress"),
    )
    assert summary.completeness == 0.5


def test_report_as_dict_has_the_issue_json_shape():
    as_dict = report_as_dict(report(summary_diary(), start=day(-9), end=day(0)))
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert (as_dict["start"], as_dict["end"]) == ("2026-11-21", "2026-11-30")
    assert as_dict["summary"]["nights_logged"] == 5
    assert as_dict["summary"]["bed_changes"][1] == {
        "date": "2026-11-24",
        "from_bed": "Old mattress",
        "to_bed": "New mattress",
    }
    urinary = next(f for f in as_dict["findings"] if f["code"] == "URINARY_SYMPTOMS")
    assert set(urinary) >= {"code", "level", "title", "message", "detail", "evidence", "article"}
    assert urinary["level"] == "see_doctor"
    assert urinary["evidence"] == ["2026-11-25"]
    assert urinary["article"] == "kidney-pain-or-back-pain"


def test_report_nights_are_the_period_oldest_first():
    built = report(list(reversed(summary_diary())), start=day(-9), end=day(-5))
    assert [n.date for n in built.nights] == [day(-9), day(-8), day(-6), day(-5)]


# --- a long diary (speed itself is measured by `python -m benchmarks`, never in the suite) ----------


def test_ten_years_of_busy_nights_build_a_complete_report():
    beds = ["Old mattress", "New mattress", "Sofa"]
    decade = [
        night(
            -3649 + i,
            (i * 7) % 11,
            bed=beds[(i // 9) % 3],
            woke_by_pain=("no", "early", "late")[i % 3],
            morning_pain_minutes=(0, 10, 20, 40)[i % 4],
            eased_by=[("movement", "rest", "nothing", "painkiller")[i % 4]],
            stress=(i * 3) % 11,
            temperature_c=Decimal("38.2") if i % 17 == 0 else None,
            pain_areas=[("buttock_left", "buttock_right", "lower_back")[i % 3]],
        )
        for i in range(3650)
    ]
    built = build_report(decade, spa_profile())
    assert built.summary.nights_logged == 3650
    assert len(built.summary.bed_changes) > 100
    assert built.findings
