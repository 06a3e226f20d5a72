"""Issue 16, part 1-2: away nights, the bed-change definition at its edges, per-bed figures.

No database: diaries are NightRecord lists. Days are offsets from the first night (day 0).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from diary.rules import NightRecord, build_report, report_as_dict
from diary.rules.beds import bed_runs
from diary.rules.stats import correlated_mean_interval

DAY0 = date(2026, 9, 1)
BED_IDS = {"Old": 1, "New": 2, "Sofa": 3, "Hotel": 4, "Futon": 5}
CHANGE_CODES = {"BED_CHANGE_HELPED", "BED_CHANGE_NO_EFFECT", "BED_CHANGE_TOO_EARLY"}


def on(bed: str, days, pain: int = 7, minutes: int = 20, occasional: bool = False) -> list[NightRecord]:
    return [
        NightRecord(
            date=DAY0 + timedelta(days=offset),
            night_pain=pain,
            morning_pain_minutes=minutes,
            bed_id=BED_IDS[bed],
            bed_name=bed,
            bed_occasional=occasional,
        )
        for offset in days
    ]


def change_findings(diary, end_offset: int):
    built = build_report(diary, None, DAY0, DAY0 + timedelta(days=end_offset))
    return [(f.code, f.detail.split(":")[0]) for f in built.findings if f.code in CHANGE_CODES]


def away_days(diary) -> list[int]:
    return sorted((n.date - DAY0).days for run in bed_runs(diary) if run.away for n in run.nights)


# --- Runs and away runs ---


def test_runs_continue_across_gaps_of_up_to_3_days_and_break_at_4():
    runs = bed_runs(on("Old", [0, 3, 7]))
    assert [[(n.date - DAY0).days for n in run.nights] for run in runs] == [[0, 3], [7]]


def test_the_sofa_example_one_night_away_does_not_split_a_mattress_trial():
    # The example: 14 nights on the old mattress at ~7, then the new mattress at ~3.5, with
    # one night on a friend's sofa on day 20. v1 gave three "too early" cards; now: one change.
    diary = on("Old", range(14), pain=7) + on("New", range(14, 20), pain=3) + on("Sofa", [20], pain=8)
    diary += on("New", range(21, 42), pain=4)
    assert away_days(diary) == [20]
    findings = change_findings(diary, 41)
    assert findings == [("BED_CHANGE_HELPED", "Bed change 2026-09-15 (Old → New)")]
    [card] = [
        f for f in build_report(diary, None, DAY0, DAY0 + timedelta(days=41)).findings if f.code == "BED_CHANGE_HELPED"
    ]
    # Mean night pain before and after, the nights counted, and morning minutes; day 20 left out.
    assert "night pain 7.0 over 14 nights before, 3.8 over 25 nights in days 2–27 after" in card.detail
    assert "morning pain median 20 min before, 20 min after" in card.detail
    assert DAY0 + timedelta(days=20) not in card.evidence


def test_away_nights_are_left_out_of_the_new_bed_nights_and_the_baseline():
    diary = on("Old", range(10), pain=4) + on("Sofa", [10, 11], pain=0) + on("Old", range(12, 14), pain=4)
    diary += on("New", range(14, 42), pain=4)
    built = build_report(diary, None, DAY0, DAY0 + timedelta(days=41))
    # With the two painless sofa nights in the baseline it would be 3.5 and 4 would not be "no effect"
    # in the same way; without them the baseline is exactly 4.0 over 12 nights.
    no_effect = [f for f in built.findings if f.code == "BED_CHANGE_NO_EFFECT"]
    assert len(no_effect) == 1 and "4.0 over 12 nights before" in no_effect[0].detail


def test_two_nights_away_then_back_is_away_but_three_nights_is_a_change():
    two = on("Old", range(14), pain=6) + on("Hotel", [14, 15]) + on("Old", range(16, 20), pain=6)
    assert away_days(two) == [14, 15]
    assert change_findings(two, 19) == []
    three = on("Old", range(14), pain=6) + on("Hotel", [14, 15, 16]) + on("Old", range(17, 20), pain=6)
    assert away_days(three) == []
    assert [code for code, _ in change_findings(three, 19)] == ["BED_CHANGE_TOO_EARLY", "BED_CHANGE_TOO_EARLY"]


def test_the_return_may_come_after_any_gap():
    diary = on("Old", range(14), pain=6) + on("Hotel", [14]) + on("Old", [40, 41])
    assert away_days(diary) == [14]


def test_a_short_run_followed_by_a_third_bed_is_not_away():
    diary = on("Old", range(14), pain=6) + on("Hotel", [14]) + on("New", range(15, 20), pain=6)
    assert away_days(diary) == []


@pytest.mark.parametrize("nights_at_end", [1, 2])
def test_a_1_or_2_night_run_at_the_end_of_the_period_is_a_change_too_early_to_judge(nights_at_end):
    diary = on("Old", range(14), pain=6) + on("New", range(14, 14 + nights_at_end), pain=2)
    end = 13 + nights_at_end
    assert away_days(diary) == []
    assert change_findings(diary, end) == [("BED_CHANGE_TOO_EARLY", "Bed change 2026-09-15 (Old → New)")]


def test_nights_after_end_are_ignored_so_a_later_return_does_not_make_the_end_run_away():
    diary = on("Old", range(14), pain=6) + on("New", [14]) + on("Old", range(15, 20))
    assert change_findings(diary, 14) == [("BED_CHANGE_TOO_EARLY", "Bed change 2026-09-15 (Old → New)")]
    assert change_findings(diary, 19) == []  # with the return inside the period it is an away night


def test_an_occasional_beds_nights_are_always_away_however_many():
    diary = on("Old", range(10), pain=6) + on("Sofa", range(10, 15), occasional=True) + on("Old", range(15, 20))
    assert away_days(diary) == list(range(10, 15))
    assert change_findings(diary, 19) == []
    # Even at the end of the period, with no return yet.
    assert change_findings(diary, 14) == []


def test_an_occasional_bed_between_an_away_run_and_the_return_is_skipped():
    diary = on("Old", range(14), pain=6) + on("Hotel", [14]) + on("Sofa", [15], occasional=True) + on("Old", [16, 17])
    assert away_days(diary) == [14, 15]


def test_the_gap_is_measured_to_the_last_non_away_night():
    # Old ... day 13, sofa day 14-15 (away), New from day 17: 4 days after the last non-away
    # night, so the change is not judged (v1 measured 2 days to the sofa night and judged it).
    diary = on("Old", range(14), pain=6) + on("Sofa", [14, 15]) + on("Old", [16]) + on("New", range(20, 30), pain=2)
    assert change_findings(diary, 29) == []


# --- Per-bed figures ---


def test_per_bed_figures_leave_away_nights_apart():
    diary = on("Old", range(14), pain=7, minutes=30) + on("Sofa", [14], pain=9, minutes=0)
    diary += on("Old", range(15, 20), pain=7, minutes=10)
    built = build_report(diary, None, DAY0, DAY0 + timedelta(days=19))
    old, sofa = built.beds
    assert (old.bed_name, old.nights, old.away_nights) == ("Old", 19, 0)
    assert (sofa.bed_name, sofa.nights, sofa.away_nights, sofa.mean_night_pain) == ("Sofa", 0, 1, None)
    assert old.mean_night_pain == 7 and old.median_morning_minutes == 30 and old.share_mornings_over_15 == 14 / 19
    as_dict = report_as_dict(built)["beds"]
    assert as_dict[0]["bed"] == "Old" and as_dict[1] == {
        "bed": "Sofa",
        "nights": 0,
        "away_nights": 1,
        "mean_night_pain": None,
        "mean_night_pain_low": None,
        "mean_night_pain_high": None,
        "median_morning_minutes": None,
        "share_mornings_over_15": None,
    }


def test_the_interval_is_wider_for_correlated_nights_than_for_independent_ones():
    # The same 20 values, once as slow waves (strongly correlated night to night), once alternating.
    waves = [5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5]
    ordered = sorted(waves)
    alternating = [ordered[i // 2] if i % 2 == 0 else ordered[-(i // 2) - 1] for i in range(20)]  # 3, 8, 3, 8, 4, ...
    by_day = lambda values: {DAY0 + timedelta(days=i): v for i, v in enumerate(values)}  # noqa: E731
    mean_w, low_w, high_w = correlated_mean_interval(by_day(waves))
    mean_a, low_a, high_a = correlated_mean_interval(by_day(alternating))
    assert mean_w == mean_a
    assert high_w - low_w > 2 * (high_a - low_a)


def test_few_nights_assume_a_correlation_of_one_half_and_two_nights_give_no_interval():
    assert correlated_mean_interval({DAY0: 3, DAY0 + timedelta(days=1): 5}) is None
    mean, low, high = correlated_mean_interval({DAY0 + timedelta(days=i): v for i, v in enumerate([3, 5, 4, 4, 6, 2])})
    # n = 6, r = 0.5 assumed: effective n = 2, df 1, t = 12.706; sd = 1.414
    assert mean == 4 and high - mean == pytest.approx(12.706 * 1.4142 / 2**0.5, rel=1e-3)


def test_a_planned_trials_nights_are_never_away_and_its_switches_never_bed_changes():
    def in_trial(nights):
        return [NightRecord(**{**{f: getattr(n, f) for f in n.__slots__}, "in_trial": True}) for n in nights]

    diary = on("Old", range(14), pain=6)
    diary += in_trial(
        on("New", [14, 15]) + on("Old", [16, 17, 18, 19]) + on("New", [20, 21, 22, 23]) + on("Old", [24, 25])
    )
    assert away_days(diary) == []
    assert change_findings(diary, 25) == []
