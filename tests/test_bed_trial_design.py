"""Bed trials, the pure part: the randomised schedule and the analysis on constructed diaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from diary.rules.stats import t_quantile
from diary.trials.analysis import (
    BETTER,
    MIN_PAIRS,
    NO_CLEAR_DIFFERENCE,
    TOO_EARLY,
    WORSE,
    TrialNight,
    analyse,
    estimate,
    subset_rank,
)
from diary.trials.schedule import Design, arms_by_night, pair_orders, schedule_dates

START = date(2026, 3, 2)


# --- The schedule ---


def test_the_same_seed_gives_the_same_schedule_and_another_seed_another():
    assert pair_orders(8, seed=42) == pair_orders(8, seed=42)
    assert len({pair_orders(8, seed=seed) for seed in range(20)}) > 10


def test_a_known_seed_keeps_its_schedule_across_versions():
    # Random(seed).random() is stable across Python versions: a stored trial could be redrawn.
    assert pair_orders(8, seed=1) == "ABBABAABABABBABA"


def test_every_pair_holds_one_block_of_each_bed():
    design = Design(block_nights=3, pairs=7)
    arms = arms_by_night(design, seed=5)
    assert len(arms) == design.nights == 42
    for pair in range(7):
        block_a, block_b = arms[6 * pair : 6 * pair + 3], arms[6 * pair + 3 : 6 * pair + 6]
        assert {block_a, block_b} == {"AAA", "BBB"}


def test_the_order_inside_pairs_is_a_fair_coin():
    firsts = "".join(pair_orders(8, seed=seed)[::2] for seed in range(500))
    assert 0.45 < firsts.count("A") / len(firsts) < 0.55


def test_schedule_dates_run_from_the_start_one_night_each():
    dated = schedule_dates(START, "AABB")
    assert dated == [
        (START, "A"),
        (START + timedelta(days=1), "A"),
        (START + timedelta(days=2), "B"),
        (START + timedelta(days=3), "B"),
    ]


@pytest.mark.parametrize(("block_nights", "pairs"), [(0, 8), (29, 8), (2, MIN_PAIRS - 1), (2, 13)])
def test_designs_outside_the_limits_are_refused(block_nights, pairs):
    with pytest.raises(ValueError):
        Design(block_nights=block_nights, pairs=pairs)


# --- Statistics helpers ---


@pytest.mark.parametrize(("df", "quantile"), [(1, 12.706), (2, 4.303), (4, 2.776), (10, 2.228), (30, 2.042)])
def test_t_quantiles_match_the_tables(df, quantile):
    assert t_quantile(0.975, df) == pytest.approx(quantile, abs=0.001)


def test_six_pairs_is_the_fewest_that_give_a_95_percent_interval():
    assert MIN_PAIRS == 6
    assert [subset_rank(pairs) for pairs in (5, 6, 7, 8, 10)] == [0, 1, 3, 6, 25]


def test_the_interval_is_bounded_by_subset_means():
    # Seven pairs: k = 3, so the bounds are the 3rd smallest and 3rd largest of 127 subset means.
    result = estimate([-1, -2, -3, -1, -2, -1, 0])
    assert result.difference == pytest.approx(-10 / 7)
    assert (result.low, result.high) == (-2.5, -0.5)


def test_fewer_than_six_pairs_give_an_estimate_without_interval():
    result = estimate([-2, -2, -2, -2, -2])
    assert result.difference == -2 and result.low is None and result.high is None


# --- The analysis on constructed diaries ---


def diary(arms: str, pain_a, pain_b, *, minutes_a=20, minutes_b=5, skip=(), other_bed=()) -> list[TrialNight]:
    """Nights following ``arms``; pain_a/pain_b are numbers or functions of the night index."""
    nights = []
    for i, arm in enumerate(arms):
        if i in skip:
            continue
        value = pain_a if arm == "A" else pain_b
        pain = value(i) if callable(value) else value
        slept_on = "" if i in other_bed else arm
        nights.append(TrialNight(START + timedelta(days=i), slept_on, pain, minutes_a if arm == "A" else minutes_b))
    return nights


def run(arms, nights, *, through=None, finished=True, block_nights=2):
    return analyse(
        arms=arms,
        block_nights=block_nights,
        start=START,
        nights=nights,
        through=through or START + timedelta(days=len(arms) - 1),
        finished=finished,
    )


ARMS = arms_by_night(Design(block_nights=2, pairs=8), seed=11)


def wobble(i: int) -> int:
    return (i * 7) % 3  # 0, 1, 2 repeating: day-to-day noise that is not the bed


def test_bed_b_two_points_lower_every_pair_is_better():
    result = run(ARMS, diary(ARMS, lambda i: 6 + wobble(i), lambda i: 4 + wobble(i)))
    assert result.verdict == BETTER
    assert result.night_pain.high < 0
    assert result.morning_minutes.difference == pytest.approx(-15)
    assert (result.nights_a, result.nights_b, result.deviations, result.adherence) == (16, 16, 0, 1.0)


def test_bed_b_higher_is_worse():
    assert run(ARMS, diary(ARMS, 3, 6)).verdict == WORSE


def test_no_difference_in_noisy_pain_is_no_clear_difference():
    result = run(ARMS, diary(ARMS, lambda i: 5 + wobble(i), lambda i: 5 + wobble(i + 1)))
    assert result.verdict == NO_CLEAR_DIFFERENCE
    assert result.night_pain.low < 0 < result.night_pain.high


def test_a_running_trial_is_too_early_whatever_the_numbers_so_far():
    through = START + timedelta(days=27)
    result = run(ARMS, diary(ARMS, 7, 3), through=through, finished=False)
    assert result.verdict == TOO_EARLY
    assert result.night_pain.difference == -4  # the "so far" estimate is still shown
    assert result.pairs_elapsed == 7 and not result.stopped_early


def test_a_trial_stopped_with_too_few_pairs_is_too_early_and_says_it_stopped_early():
    through = START + timedelta(days=19)  # 5 pairs of 4 nights
    result = run(ARMS, diary(ARMS, 7, 3), through=through, finished=True)
    assert result.verdict == TOO_EARLY and result.stopped_early
    assert result.pairs_used == 5 and result.night_pain.low is None


def test_a_trial_stopped_after_six_pairs_gets_a_verdict():
    through = START + timedelta(days=23)
    result = run(ARMS, diary(ARMS, 7, 3), through=through, finished=True)
    assert result.verdict == BETTER and result.stopped_early and result.pairs_used == 6


def test_nights_on_another_bed_are_deviations_and_lower_adherence():
    result = run(ARMS, diary(ARMS, 7, 3, other_bed={0, 5}))
    assert result.deviations == 2
    assert result.nights_a + result.nights_b == 30
    assert result.adherence == pytest.approx(30 / 32)


def test_a_block_with_under_half_its_nights_on_schedule_drops_its_pair():
    # Block 0 (nights 0-1) loses both nights: one missing, one on the other bed.
    result = run(ARMS, diary(ARMS, 7, 3, skip={0}, other_bed={1}))
    assert result.missing == 1 and result.deviations == 1
    assert result.pairs_used == 7 and result.verdict == BETTER


def test_nights_outside_the_schedule_are_ignored():
    nights = diary(ARMS, 7, 3) + [
        TrialNight(START - timedelta(days=1), "A", 0, 0),
        TrialNight(START + timedelta(days=40), "B", 10, 0),
    ]
    assert run(ARMS, nights).night_pain.difference == -4


def test_the_contract_shape():
    contract = run(ARMS, diary(ARMS, 6, 4)).as_contract()
    assert contract == {
        "verdict": "better",
        "night_pain": {"difference": -2.0, "low": -2.0, "high": -2.0},
        "morning_minutes": {"difference": -15.0, "low": -15.0, "high": -15.0},
        "nights": {"a": 16, "b": 16, "deviations": 0},
        "adherence": 1.0,
    }
