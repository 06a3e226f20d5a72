"""The analysis of a bed trial: B − A in night pain and morning minutes, with 95 % intervals.

Consecutive nights are correlated (a bad night tends to follow a bad night), so nights are not
independent observations and a night-level t-test claims far too much certainty (in the
simulation of docs/bed-trials.md it raised false alarms to 19-26 % with weekly blocks, and to
26-39 % for 28 nights before and 28 after a change). The unit of analysis is therefore the
*pair of blocks*: for each pair, the mean of its B nights minus the mean of its A
nights; the estimate is the mean of those pair differences.

The 95 % interval is a randomisation interval (Edgington; Hartigan 1969): the order of the beds
inside each pair was a coin toss, so if bed B changes pain by a constant Δ, each pair difference
minus Δ was equally likely to come out with either sign, *whatever the correlation between
nights*. Inverting that sign-flip test gives the interval between the k-th smallest and the k-th
largest of the 2^n − 1 means of non-empty subsets of the n pair differences, k = ⌊0.025·2^n⌋: its false-alarm rate is at most 5 % by construction (4.7 % at 7 or 8 pairs), which a
t interval cannot promise when pairs are close in time. It needs 6 usable pairs (2^6 = 64 ≥ 40).

The verdict looks at night pain, the trial's primary outcome: ``better`` when the whole
interval is below 0, ``worse`` when it is above 0, ``no_clear_difference`` otherwise, and
``too_early`` while the trial runs (looking repeatedly and stopping on a good-looking result
would inflate false alarms) or when fewer than six pairs are usable.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy

BETTER = "better"
WORSE = "worse"
NO_CLEAR_DIFFERENCE = "no_clear_difference"
TOO_EARLY = "too_early"
VERDICTS = (BETTER, WORSE, NO_CLEAR_DIFFERENCE, TOO_EARLY)
VERDICT_LABELS = {
    BETTER: gettext_lazy("Bed B better"),
    WORSE: gettext_lazy("Bed B worse"),
    NO_CLEAR_DIFFERENCE: gettext_lazy("No clear difference"),
    TOO_EARLY: gettext_lazy("Too early to judge"),
}

CONFIDENCE = 0.95
# A block counts when at least half of its nights were logged on its scheduled bed: a mean of
# one night out of seven would carry a block's full weight with a seventh of its information.
MIN_BLOCK_SHARE = 0.5
MAX_PAIRS_ANALYSED = 16  # 2^16 subset means at most; the design allows far fewer pairs


@dataclass(frozen=True)
class TrialNight:
    """One logged night inside the trial: which arm's bed it was spent on ("A", "B" or "" for another bed)."""

    date: date
    arm: str
    night_pain: int
    morning_pain_minutes: int


@dataclass(frozen=True)
class Estimate:
    """B − A with its 95 % interval; the interval is None below MIN_PAIRS usable pairs (and all is None without any)."""

    difference: float | None = None
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {"difference": _round(self.difference), "low": _round(self.low), "high": _round(self.high)}


@dataclass(frozen=True)
class TrialResult:
    verdict: str
    night_pain: Estimate
    morning_minutes: Estimate
    nights_a: int  # logged nights on bed A in A blocks (the nights the estimate uses)
    nights_b: int
    deviations: int  # logged trial nights not on the scheduled bed
    missing: int  # trial nights up to ``through`` with nothing logged
    adherence: float | None  # share of logged trial nights on the scheduled bed
    pairs_used: int
    pairs_planned: int
    pairs_elapsed: int  # pairs whose last night is on or before ``through``
    finished: bool
    stopped_early: bool

    def as_contract(self) -> dict:
        """The shape printed by `manage.py bed_trial USERNAME report --format json` (issue 16)."""
        return {
            "verdict": self.verdict,
            "night_pain": self.night_pain.as_dict(),
            "morning_minutes": self.morning_minutes.as_dict(),
            "nights": {"a": self.nights_a, "b": self.nights_b, "deviations": self.deviations},
            "adherence": _round(self.adherence, 3),
        }


def subset_rank(pairs: int) -> int:
    """k such that the k-th smallest/largest subset mean bound a >= 95 % interval; 0 when impossible."""
    return math.floor((1 - CONFIDENCE) / 2 * 2**pairs)


MIN_PAIRS = next(pairs for pairs in range(1, 20) if subset_rank(pairs) >= 1)  # 6


def estimate(differences: Sequence[float]) -> Estimate:
    """Mean of the pair differences with the randomisation interval (module docstring)."""
    if not differences:
        return Estimate()
    mean = statistics.fmean(differences)
    k = subset_rank(len(differences))
    if k < 1 or len(differences) > MAX_PAIRS_ANALYSED:
        return Estimate(mean)
    # Sums and sizes of every subset, doubling the list with each pair difference (2^k entries).
    sums, sizes = [0.0], [0]
    for difference in differences:
        sums += [total + difference for total in sums]
        sizes += [size + 1 for size in sizes]
    means = [total / size for total, size in zip(sums[1:], sizes[1:], strict=True)]
    low = heapq.nsmallest(k, means)[-1]
    high = heapq.nlargest(k, means)[-1]
    # Pain is logged in whole points, so sums are exact in binary only up to rounding: snap
    # near-zero bounds to 0 so that "the interval excludes 0" does not hinge on 1e-16.
    return Estimate(mean, _snap(low), _snap(high))


def _snap(value: float) -> float:
    return 0.0 if abs(value) < 1e-9 else value


def verdict_for(night_pain: Estimate, *, finished: bool) -> str:
    if not finished or night_pain.low is None or night_pain.high is None:
        return TOO_EARLY
    if night_pain.high < 0:
        return BETTER
    if night_pain.low > 0:
        return WORSE
    return NO_CLEAR_DIFFERENCE


def analyse(
    *,
    arms: str,
    block_nights: int,
    start: date,
    nights: Iterable[TrialNight],
    through: date,
    finished: bool,
) -> TrialResult:
    """Analyse a trial whose schedule is ``arms`` (one letter per night from ``start``).

    ``nights`` are the logged nights (any dates: those outside the schedule or after ``through``
    are ignored). ``finished`` is True once the trial is completed or stopped; before that the
    numbers are "so far" and the verdict is ``too_early``.
    """
    last = min(through, start + timedelta(days=len(arms) - 1))
    by_date = {night.date: night for night in nights if start <= night.date <= last}
    blocks = [arms[i : i + block_nights] for i in range(0, len(arms), block_nights)]
    pain_differences: list[float] = []
    minute_differences: list[float] = []
    on_arm_count = {"A": 0, "B": 0}
    deviations = missing = 0
    for pair in range(len(blocks) // 2):
        means = {}
        for block in (2 * pair, 2 * pair + 1):
            arm = blocks[block][0]
            first = start + timedelta(days=block * block_nights)
            on_arm, off_arm, not_logged = _block_nights(by_date, first, block_nights, last, arm)
            deviations += off_arm
            missing += not_logged
            on_arm_count[arm] += len(on_arm)
            if on_arm and len(on_arm) >= MIN_BLOCK_SHARE * block_nights:
                means[arm] = (
                    statistics.fmean(n.night_pain for n in on_arm),
                    statistics.fmean(n.morning_pain_minutes for n in on_arm),
                )
        if len(means) == 2:
            pain_differences.append(means["B"][0] - means["A"][0])
            minute_differences.append(means["B"][1] - means["A"][1])
    nights_a, nights_b = on_arm_count["A"], on_arm_count["B"]
    logged = nights_a + nights_b + deviations
    night_pain = estimate(pain_differences)
    pairs_planned = len(blocks) // 2
    days_elapsed = (last - start).days + 1 if last >= start else 0
    pairs_elapsed = days_elapsed // (2 * block_nights)
    return TrialResult(
        verdict=verdict_for(night_pain, finished=finished),
        night_pain=night_pain,
        morning_minutes=estimate(minute_differences),
        nights_a=nights_a,
        nights_b=nights_b,
        deviations=deviations,
        missing=missing,
        adherence=(nights_a + nights_b) / logged if logged else None,
        pairs_used=len(pain_differences),
        pairs_planned=pairs_planned,
        pairs_elapsed=pairs_elapsed,
        finished=finished,
        stopped_early=finished and pairs_elapsed < pairs_planned,
    )


def _block_nights(
    by_date: dict[date, TrialNight], first: date, block_nights: int, last: date, arm: str
) -> tuple[list[TrialNight], int, int]:
    """A block's logged nights on its own arm, and how many of its nights up to `last` were slept
    on the other arm (deviations) or not logged (missing)."""
    on_arm: list[TrialNight] = []
    deviations = missing = 0
    for offset in range(block_nights):
        day = first + timedelta(days=offset)
        if day > last:
            break
        night = by_date.get(day)
        if night is None:
            missing += 1
        elif night.arm != arm:
            deviations += 1
        else:
            on_arm.append(night)
    return on_arm, deviations, missing


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
