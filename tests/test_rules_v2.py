"""Rules v2 (issue 14): every changed or new rule just below and exactly at each threshold, every
case of the issue's opening list as a named test, and the log form's warning agreeing with the
report on a table of single nights.

No database except the form-agreement test. Days are offsets from END (0 = the report's last night).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from diary.rules import Level, NightRecord, ProfileFacts, build_report
from tests.factories import make_bed

END = date(2026, 11, 30)


def day(offset: int) -> date:
    return END + timedelta(days=offset)


def night(offset: int, pain: int = 3, **fields) -> NightRecord:
    for key in ("pain_areas", "eased_by", "symptoms"):
        if key in fields:
            fields[key] = frozenset(fields[key])
    if isinstance(fields.get("temperature_c"), str):
        fields["temperature_c"] = Decimal(fields["temperature_c"])
    return NightRecord(date=day(offset), night_pain=pain, bed_id=1, bed_name="Old mattress", **fields)


def quiet(offsets=range(-13, 1)) -> list[NightRecord]:
    return [night(offset, pain=2) for offset in offsets]


def diary(*changed: NightRecord, base=None) -> list[NightRecord]:
    by_date = {n.date: n for n in (quiet() if base is None else base)}
    by_date.update({n.date: n for n in changed})
    return sorted(by_date.values(), key=lambda n: n.date)


def codes(nights, profile=None, start=None, end=END) -> list[str]:
    return [f.code for f in build_report(nights, profile, start, end).findings]


def finding(nights, code, profile=None, start=None, end=END):
    return next((f for f in build_report(nights, profile, start, end).findings if f.code == code), None)


def bed_like_mornings(offsets=range(-13, 1)) -> list[NightRecord]:
    """Two weeks of short (10-minute) pain mornings: on its own, BED_LIKELY."""
    return [night(offset, pain=3, morning_pain_minutes=10) for offset in offsets]


FLANK = ["flank_right"]


# --- The opening list of the issue, one named test per case ------------------------------------------


def test_case_one_night_at_39_5_with_back_pain_is_fever_and_not_bed_likely():
    nights = diary(night(0, 5, morning_pain_minutes=10, temperature_c="39.5"), base=bed_like_mornings())
    found = codes(nights)
    assert "FEVER" in found
    assert "BED_LIKELY" not in found
    assert finding(nights, "FEVER").level == Level.SEE_DOCTOR


@pytest.mark.parametrize("period_days", [7, 14, 30, 90])
def test_case_kidney_infection_signs_three_days_ago_are_a_finding_in_every_period(period_days):
    nights = diary(
        night(-3, 6, temperature_c="38.6", pain_areas=FLANK, symptoms=["painful_urination", "chills"]),
        base=quiet(range(-(period_days - 1), 1)),
    )
    found = finding(nights, "KIDNEY_EPISODE_EARLIER", start=day(-(period_days - 1)))
    assert found.level == Level.SEE_DOCTOR
    assert found.evidence == (day(-3),)
    assert "seek care at once" in found.message


def test_case_kidney_area_pain_with_shivering_and_vomiting_without_a_thermometer_is_urgent():
    found = finding(diary(night(0, 6, pain_areas=FLANK, symptoms=["chills", "nausea"])), "KIDNEY_INFECTION_SIGNS")
    assert found.level == Level.URGENT


def test_case_kidney_area_pain_with_visible_blood_in_the_urine_is_urgent():
    found = finding(diary(night(0, 6, pain_areas=FLANK, symptoms=["blood_in_urine"])), "KIDNEY_INFECTION_SIGNS")
    assert found.level == Level.URGENT


def test_case_saddle_numbness_8_days_before_the_end_of_a_90_day_report_stays_and_bed_likely_does_not_fire():
    nights = diary(
        night(-8, 3, morning_pain_minutes=10, symptoms=["saddle_numbness"]), base=bed_like_mornings(range(-89, 1))
    )
    found = codes(nights, start=day(-89))
    assert "RED_FLAG_EARLIER" in found
    assert "BED_LIKELY" not in found
    assert finding(nights, "RED_FLAG_EARLIER", start=day(-89)).evidence == (day(-8),)


def test_case_kidney_area_pain_every_night_does_not_read_as_a_bed_cause():
    nights = [night(o, 3, morning_pain_minutes=10, pain_areas=["flank_left"]) for o in range(-13, 1)]
    assert "BED_LIKELY" not in codes(nights)


@pytest.mark.parametrize("stone_sign", [{"symptoms": ["pain_in_waves"]}, {"pain_areas": ["flank_left", "groin"]}])
def test_case_a_kidney_stone_pattern_can_be_recorded_and_is_flagged(stone_sign):
    fields = {"pain_areas": ["flank_left"], **stone_sign}
    found = finding(diary(night(-5, 7, **fields)), "KIDNEY_STONE_PATTERN")
    assert found.level == Level.SEE_DOCTOR and found.evidence == (day(-5),)


@pytest.mark.parametrize("minutes", [16, 30])
def test_case_16_to_30_minutes_of_morning_stiffness_is_info_not_see_doctor(minutes):
    nights = diary(*(night(o, morning_pain_minutes=minutes) for o in (-13, -9, -5, 0)))
    assert finding(nights, "MORNING_PAIN_PERSISTS").level == Level.INFO
    assert not [f for f in build_report(nights, None, None, END).findings if f.level != Level.INFO]


def test_case_paracetamol_relief_is_not_a_response_to_nsaids():
    late = [night(o, woke_by_pain="late", eased_by=["painkiller"]) for o in range(-27, 1)]
    assert "INFLAMMATORY_PATTERN" not in codes(late)  # (c) only; (e) needs anti-inflammatories
    anti = [night(o, woke_by_pain="late", eased_by=["anti_inflammatory"]) for o in range(-27, 1)]
    assert "INFLAMMATORY_PATTERN" in codes(anti)  # (c) and (e)


def test_case_one_logged_night_and_profile_answers_do_not_reach_the_referral_wording():
    profile = ProfileFacts(
        birth_year=1996,
        back_pain_since=date(2026, 1, 1),
        family_spondyloarthritis=True,
        psoriasis_arthritis_enthesitis=True,
    )
    one = [night(0, woke_by_pain="late", eased_by=["movement", "anti_inflammatory"])]
    found = finding(one, "SPA_REFERRAL_CRITERIA", profile=profile)
    assert found is not None and "three of the NICE" in found.title  # onset < 35 + two profile answers
    assert "referral" not in found.title


def test_case_the_inflammatory_pattern_does_not_fire_for_pain_that_began_at_75():
    nights = [night(o, woke_by_pain="late", morning_pain_minutes=60) for o in range(-27, 1)]
    assert "INFLAMMATORY_PATTERN" in codes(nights)
    assert "INFLAMMATORY_PATTERN" not in codes(nights, ProfileFacts(birth_year=1950, back_pain_since=date(2025, 6, 1)))


def test_case_persistent_leg_pain_is_flagged():
    found = finding([night(o, 5, pain_areas=["leg", "lower_back"]) for o in range(-13, 1)], "LEG_PAIN_PERSISTS")
    assert found.level == Level.SEE_DOCTOR and found.article == "herniated-disc"


def test_case_upper_back_pain_with_risk_factors_is_flagged():
    nights = diary(*(night(o, 4, pain_areas=["upper_back"]) for o in (-6, -3, 0)))
    found = finding(nights, "UPPER_BACK_PAIN_RISK", profile=ProfileFacts(osteoporosis=True))
    assert found.level == Level.SEE_DOCTOR and found.evidence == (day(-6), day(-3), day(0))


# --- KIDNEY_INFECTION_SIGNS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "fires"),
    [
        ({"temperature_c": "38.0", "pain_areas": FLANK}, True),
        ({"temperature_c": "37.9", "pain_areas": FLANK}, False),
        ({"temperature_c": "38.0", "symptoms": ["nausea"]}, True),
        ({"temperature_c": "37.9", "symptoms": ["nausea", "chills"]}, False),
        ({"pain_areas": FLANK, "symptoms": ["chills"]}, True),
        ({"symptoms": ["chills", "nausea"]}, False),
        ({"pain_areas": FLANK, "symptoms": ["nausea"]}, False),
        ({"pain_areas": FLANK, "symptoms": ["blood_in_urine"]}, True),
        ({"pain_areas": ["lower_back"], "symptoms": ["blood_in_urine"]}, False),
        ({"pain_areas": FLANK}, False),
    ],
)
def test_kidney_infection_signs_at_and_below_each_trigger(fields, fires):
    assert ("KIDNEY_INFECTION_SIGNS" in codes(diary(night(0, **fields)))) is fires


@pytest.mark.parametrize(("offset", "fires"), [(-1, True), (-2, False)])
def test_kidney_infection_signs_look_at_the_last_two_days(offset, fires):
    assert ("KIDNEY_INFECTION_SIGNS" in codes(diary(night(offset, pain_areas=FLANK, symptoms=["chills"])))) is fires


# --- KIDNEY_STONE_WITH_FEVER and KIDNEY_STONE_PATTERN ---------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"pain_areas": FLANK, "symptoms": ["pain_in_waves"], "temperature_c": "38.0"},
            {"KIDNEY_STONE_WITH_FEVER", "KIDNEY_INFECTION_SIGNS"},
        ),
        ({"pain_areas": FLANK, "symptoms": ["pain_in_waves"], "temperature_c": "37.9"}, {"KIDNEY_STONE_PATTERN"}),
        (
            {"pain_areas": [*FLANK, "groin"], "symptoms": ["chills"]},
            {"KIDNEY_STONE_WITH_FEVER", "KIDNEY_INFECTION_SIGNS"},
        ),
        ({"pain_areas": [*FLANK, "groin"]}, {"KIDNEY_STONE_PATTERN"}),
        ({"pain_areas": ["groin"], "symptoms": ["pain_in_waves", "chills"]}, set()),
        ({"pain_areas": FLANK, "temperature_c": "38.5"}, {"KIDNEY_INFECTION_SIGNS"}),
    ],
)
def test_kidney_stone_rules_at_and_below_each_trigger(fields, expected):
    kidney = {"KIDNEY_STONE_WITH_FEVER", "KIDNEY_INFECTION_SIGNS", "KIDNEY_STONE_PATTERN", "KIDNEY_EPISODE_EARLIER"}
    assert set(codes(diary(night(0, 7, **fields)))) & kidney == expected


@pytest.mark.parametrize(("offset", "fires"), [(-1, True), (-2, False)])
def test_kidney_stone_with_fever_looks_at_the_last_two_days(offset, fires):
    stone = night(offset, 7, pain_areas=[*FLANK, "groin"], temperature_c="38.4")
    assert ("KIDNEY_STONE_WITH_FEVER" in codes(diary(stone))) is fires


@pytest.mark.parametrize(("offset", "fires"), [(-13, True), (-14, False)])
def test_kidney_stone_pattern_looks_at_the_last_fourteen_days(offset, fires):
    nights = diary(night(offset, 6, pain_areas=FLANK, symptoms=["pain_in_waves"]), base=quiet(range(-20, 1)))
    assert ("KIDNEY_STONE_PATTERN" in codes(nights)) is fires


def test_kidney_stone_pattern_is_silent_when_an_urgent_kidney_rule_fired():
    nights = diary(
        night(-5, 6, pain_areas=FLANK, symptoms=["pain_in_waves"]), night(0, pain_areas=FLANK, symptoms=["chills"])
    )
    assert "KIDNEY_INFECTION_SIGNS" in codes(nights) and "KIDNEY_STONE_PATTERN" not in codes(nights)


# --- KIDNEY_EPISODE_EARLIER and RED_FLAG_EARLIER ---------------------------------------------------------


@pytest.mark.parametrize(("offset", "expected"), [(-2, "KIDNEY_EPISODE_EARLIER"), (-1, "KIDNEY_INFECTION_SIGNS")])
def test_kidney_signs_before_the_last_two_days_are_an_earlier_episode(offset, expected):
    found = codes(diary(night(offset, pain_areas=FLANK, temperature_c="38.0")))
    assert expected in found
    assert ("KIDNEY_EPISODE_EARLIER" in found) is (expected == "KIDNEY_EPISODE_EARLIER")


def test_an_earlier_stone_with_fever_is_an_earlier_episode_and_nights_before_the_period_are_not():
    stone = night(-10, pain_areas=["flank_left", "groin"], symptoms=["chills"])
    assert finding(diary(stone), "KIDNEY_EPISODE_EARLIER").evidence == (day(-10),)
    assert "KIDNEY_EPISODE_EARLIER" not in codes(diary(stone), start=day(-9))


@pytest.mark.parametrize(("offset", "expected"), [(-7, "RED_FLAG_EARLIER"), (-6, "RED_FLAG_NERVES")])
def test_red_flags_before_the_last_seven_days_are_earlier_red_flags(offset, expected):
    found = codes(diary(night(offset, symptoms=["bladder_bowel_change"])))
    assert expected in found
    assert {"RED_FLAG_EARLIER", "RED_FLAG_NERVES"} & set(found) == {expected}


def test_red_flags_before_the_period_are_not_reported():
    assert "RED_FLAG_EARLIER" not in codes(diary(night(-10, symptoms=["leg_weakness"])), start=day(-9))


# --- FEVER -----------------------------------------------------------------------------------------------


def test_fever_is_silent_when_kidney_stone_with_fever_fired():
    nights = diary(night(0, pain_areas=FLANK, symptoms=["pain_in_waves"], temperature_c="38.2"))
    assert "KIDNEY_STONE_WITH_FEVER" in codes(nights) and "FEVER" not in codes(nights)


# --- MORNING_STIFFNESS_LONG and MORNING_PAIN_PERSISTS ----------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "count", "expected"),
    [
        (31, 4, "MORNING_STIFFNESS_LONG"),
        (30, 4, "MORNING_PAIN_PERSISTS"),
        (31, 3, None),
        (16, 4, "MORNING_PAIN_PERSISTS"),
        (15, 4, None),
    ],
)
def test_morning_rules_at_and_below_their_thresholds(minutes, count, expected):
    nights = diary(*(night(o, morning_pain_minutes=minutes) for o in (-13, -9, -5, 0)[:count]))
    found = {"MORNING_STIFFNESS_LONG", "MORNING_PAIN_PERSISTS"} & set(codes(nights))
    assert found == ({expected} if expected else set())


@pytest.mark.parametrize(("first", "fires"), [(-13, True), (-14, False)])
def test_morning_stiffness_long_counts_the_last_fourteen_days(first, fires):
    nights = diary(*(night(o, morning_pain_minutes=45) for o in (first, -9, -5, 0)), base=quiet(range(-20, 1)))
    assert ("MORNING_STIFFNESS_LONG" in codes(nights)) is fires


# --- LEG_PAIN_PERSISTS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offsets", "fires"),
    [((-13, -11, -9, -7, -5, -3, 0), True), ((-11, -9, -7, -5, -3, 0), False), ((-14, -11, -9, -7, -5, -3, 0), False)],
)
def test_leg_pain_on_seven_of_the_last_fourteen_days(offsets, fires):
    nights = diary(*(night(o, 4, pain_areas=["leg"]) for o in offsets), base=quiet(range(-20, 1)))
    assert ("LEG_PAIN_PERSISTS" in codes(nights)) is fires


# --- UPPER_BACK_PAIN_RISK ----------------------------------------------------------------------------------


UPPER = (-10, -5, 0)


@pytest.mark.parametrize(
    ("profile", "fires"),
    [
        (ProfileFacts(birth_year=1976), True),  # 50 at the end date (2026 - 1976)
        (ProfileFacts(birth_year=1977), False),  # 49
        (ProfileFacts(history_of_cancer=True), True),
        (ProfileFacts(long_term_steroids=True), True),
        (ProfileFacts(family_spondyloarthritis=True), False),
        (None, False),
    ],
)
def test_upper_back_pain_needs_a_risk_factor(profile, fires):
    nights = diary(*(night(o, 4, pain_areas=["upper_back"]) for o in UPPER))
    assert ("UPPER_BACK_PAIN_RISK" in codes(nights, profile)) is fires


@pytest.mark.parametrize(("offsets", "fires"), [((-13, -5, 0), True), ((-5, 0), False), ((-14, -5, 0), False)])
def test_upper_back_pain_on_three_of_the_last_fourteen_days(offsets, fires):
    nights = diary(*(night(o, 4, pain_areas=["upper_back"]) for o in offsets), base=quiet(range(-20, 1)))
    assert ("UPPER_BACK_PAIN_RISK" in codes(nights, ProfileFacts(osteoporosis=True))) is fires


# --- NIGHT_PAIN_RISK_FACTORS: new back pain at 50 or over ----------------------------------------------------


NEW_YEAR_END = date(2026, 1, 10)


@pytest.mark.parametrize(
    ("birth_year", "since", "fires"),
    [
        (1976, date(2025, 10, 11), True),  # 50 at the end date, pain began 2 months 30 days before it (onset age 49)
        (1976, date(2025, 10, 10), False),  # exactly 3 calendar months before: not "less than"
        (1977, date(2025, 10, 11), False),  # 49 at the end date
    ],
)
def test_new_back_pain_at_fifty_or_over_is_a_risk_factor(birth_year, since, fires):
    nights = [NightRecord(date=NEW_YEAR_END - timedelta(days=i), night_pain=3) for i in range(14)]
    found = codes(nights, ProfileFacts(birth_year=birth_year, back_pain_since=since), end=NEW_YEAR_END)
    assert ("NIGHT_PAIN_RISK_FACTORS" in found) is fires


# --- INFLAMMATORY_PATTERN criterion (e) ---------------------------------------------------------------------


def inflammatory(eased: list[list[str]], late: int = 7) -> list[NightRecord]:
    """28 nights; the last `late` woken late (criterion (c) at 7/28); `eased` answers on the first nights."""
    nights = [night(o, woke_by_pain="late" if o > -late else "no") for o in range(-27, 1)]
    for i, answer in enumerate(eased):
        nights[i] = night(-27 + i, eased_by=answer)
    return nights


@pytest.mark.parametrize(
    ("eased", "fires"),
    [
        ([["anti_inflammatory"]] * 2 + [["painkiller"]] * 2, True),  # 4 nights, 50 % anti-inflammatory
        ([["anti_inflammatory"]] + [["painkiller"]] * 3, False),  # 25 %
        ([["anti_inflammatory"]] * 3, False),  # only 3 nights
        ([["anti_inflammatory", "painkiller"]] * 4, True),
    ],
)
def test_nsaid_response_is_criterion_e_of_the_inflammatory_pattern(eased, fires):
    assert ("INFLAMMATORY_PATTERN" in codes(inflammatory(eased))) is fires


@pytest.mark.parametrize(("birth_year", "fires"), [(1976, False), (1977, True)])  # onset 50 / 49 (since 2026)
def test_the_inflammatory_pattern_needs_an_onset_before_fifty(birth_year, fires):
    nights = inflammatory([["anti_inflammatory"]] * 4)
    profile = ProfileFacts(birth_year=birth_year, back_pain_since=date(2026, 3, 1))
    assert ("INFLAMMATORY_PATTERN" in codes(nights, profile)) is fires


# --- SPA_REFERRAL_CRITERIA: share criteria need 14 nights, (e) over the period --------------------------------


SPA = ProfileFacts(birth_year=1990, back_pain_since=date(2025, 1, 1), psoriasis_arthritis_enthesitis=True)  # onset 35


@pytest.mark.parametrize(("logged", "fires"), [(14, True), (13, False)])
def test_share_of_nights_criteria_need_fourteen_logged_nights(logged, fires):
    # movement on every night and late waking on every night: 2 share criteria + psoriasis = 3
    nights = [night(-i, woke_by_pain="late", eased_by=["movement"]) for i in range(logged)]
    assert ("SPA_REFERRAL_CRITERIA" in codes(nights, SPA)) is fires


@pytest.mark.parametrize(("anti", "fires"), [(2, True), (1, False)])
def test_nsaid_response_counts_over_the_period_for_nice(anti, fires):
    answers = [["anti_inflammatory"]] * anti + [["painkiller"]] * (4 - anti)
    nights = [night(-i, eased_by=answers[i] if i < 4 else ["rest"]) for i in range(20)]
    nights += [night(-25, pain_areas=["buttock_left"])]  # buttock pain: + psoriasis + (e) = 3
    assert ("SPA_REFERRAL_CRITERIA" in codes(sorted(nights, key=lambda n: n.date), SPA)) is fires


# --- BED_LIKELY guards ---------------------------------------------------------------------------------------


def test_bed_likely_fires_on_short_mornings_alone():
    assert "BED_LIKELY" in codes(bed_like_mornings())


@pytest.mark.parametrize(
    ("area", "offset", "fires"), [("flank_left", -13, False), ("groin", -13, False), ("flank_left", -14, True)]
)
def test_bed_likely_is_silent_with_kidney_area_or_groin_pain_in_the_last_fourteen_days(area, offset, fires):
    nights = diary(night(offset, pain_areas=[area]), base=bed_like_mornings(range(-20, 1)))
    assert ("BED_LIKELY" in codes(nights)) is fires


@pytest.mark.parametrize(("offset", "start", "fires"), [(-20, -20, False), (-20, -19, True)])
def test_bed_likely_is_silent_after_a_fever_anywhere_in_the_period(offset, start, fires):
    nights = diary(night(offset, temperature_c="38.0"), base=bed_like_mornings(range(-20, 1)))
    assert ("BED_LIKELY" in codes(nights, start=day(start))) is fires


# --- The form's warning and the report agree on single nights -------------------------------------------------


SINGLE_NIGHTS = {
    "nothing": {},
    "fever alone": {"temperature_c": "39.0"},
    "37.9 with flank pain": {"temperature_c": "37.9", "pain_areas": FLANK},
    "38.0 with flank pain": {"temperature_c": "38.0", "pain_areas": ["flank_left"]},
    "fever and painful urination": {"temperature_c": "38.5", "symptoms": ["painful_urination"]},
    "fever and chills": {"temperature_c": "38.1", "symptoms": ["chills"]},
    "fever and nausea": {"temperature_c": "38.3", "symptoms": ["nausea"]},
    "37.9 with nausea": {"temperature_c": "37.9", "symptoms": ["nausea"]},
    "flank and chills": {"pain_areas": FLANK, "symptoms": ["chills"]},
    "flank and nausea": {"pain_areas": FLANK, "symptoms": ["nausea"]},
    "flank and blood in urine": {"pain_areas": ["flank_left"], "symptoms": ["blood_in_urine"]},
    "blood in urine alone": {"symptoms": ["blood_in_urine"]},
    "painful urination and flank, no fever": {"pain_areas": FLANK, "symptoms": ["painful_urination"]},
    "stone pattern, no fever": {"pain_areas": FLANK, "symptoms": ["pain_in_waves"]},
    "stone pattern with fever": {"pain_areas": FLANK, "symptoms": ["pain_in_waves"], "temperature_c": "38.0"},
    "stone pattern via groin with chills": {"pain_areas": ["flank_left", "groin"], "symptoms": ["chills"]},
    "groin and waves without flank": {"pain_areas": ["groin"], "symptoms": ["pain_in_waves", "chills"]},
    "saddle numbness": {"symptoms": ["saddle_numbness"]},
    "bladder or bowel change": {"symptoms": ["bladder_bowel_change"]},
    "leg weakness with fever and flank": {"symptoms": ["leg_weakness"], "temperature_c": "38.9", "pain_areas": FLANK},
    "weight loss and chills": {"symptoms": ["weight_loss", "chills"]},
    "leg pain and lower back": {"pain_areas": ["leg", "lower_back"]},
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", SINGLE_NIGHTS)
def test_the_log_form_warning_is_the_reports_urgent_findings_on_that_night(alice_client, alice, case, time_machine):
    time_machine.move_to(date(2026, 11, 30), tick=False)
    fields = SINGLE_NIGHTS[case]
    record = night(0, 6, **fields)
    urgent = [f for f in build_report([record], None, END, END).findings if f.level == Level.URGENT]
    bed = make_bed(alice, "Old mattress")
    post = {"date": END.isoformat(), "night_pain": "6", "woke_by_pain": "no", "morning_quick": "0", "bed": bed.pk}
    post.update(fields)
    response = alice_client.post("/log/", post)
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    if urgent:
        assert message == "Seek medical care now. On the night ending Mon 30 Nov 2026: " + " ".join(
            f"{f.title}. {f.message}" for f in urgent
        )
    else:
        assert message == "Saved the night ending Mon 30 Nov 2026."


def test_the_table_of_single_nights_covers_every_urgent_rule_firing_and_not():
    fired = {
        f.code
        for fields in SINGLE_NIGHTS.values()
        for f in build_report([night(0, **fields)], None, END, END).findings
        if f.level == Level.URGENT
    }
    assert len(SINGLE_NIGHTS) >= 20
    assert fired == {"RED_FLAG_NERVES", "KIDNEY_INFECTION_SIGNS", "KIDNEY_STONE_WITH_FEVER"}
