"""Spearman's rank correlation (with an exact threshold test), Student's t, and a mean's interval for
correlated nights, in plain Python."""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from operator import mul


def spearman_rho(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation of two equal-length sequences; None when it is undefined.

    Computed in plain Python as the Pearson correlation of the ranks, tied values getting the
    average of the ranks they span (so it is the textbook ρ with the tie correction).
    """
    moments = _rank_moments(xs, ys)
    if moments is None:
        return None
    covariance, variance_x, variance_y = moments
    return covariance / math.sqrt(variance_x * variance_y)


def _doubled_average_ranks(values: Sequence[float]) -> list[int]:
    """2 × the 1-based average rank of each value (doubling keeps tied averages integral).

    A value seen `count` times after `below` smaller values spans ranks below+1 … below+count,
    whose average doubled is 2·below + count + 1.
    """
    counts = Counter(values)
    doubled_rank, below = {}, 0
    for value in sorted(counts):
        doubled_rank[value] = 2 * below + counts[value] + 1
        below += counts[value]
    return [doubled_rank[value] for value in values]


def _rank_moments(xs: Sequence[float], ys: Sequence[float]) -> tuple[int, int, int] | None:
    """n²·cov, n²·var(x), n²·var(y) of the doubled ranks, as integers; None if a variance is 0."""
    n = len(xs)
    if n < 2 or len(ys) != n:
        return None
    rx, ry = _doubled_average_ranks(xs), _doubled_average_ranks(ys)
    sum_x, sum_y = sum(rx), sum(ry)
    covariance = n * sum(map(mul, rx, ry)) - sum_x * sum_y
    variance_x = n * sum(map(mul, rx, rx)) - sum_x * sum_x
    variance_y = n * sum(map(mul, ry, ry)) - sum_y * sum_y
    if variance_x == 0 or variance_y == 0:
        return None
    return covariance, variance_x, variance_y


def rho_at_least(xs: Sequence[float], ys: Sequence[float], threshold: tuple[int, int]) -> bool:
    """ρ ≥ numerator / denominator (> 0), decided exactly on integers (no rounding at the boundary)."""
    moments = _rank_moments(xs, ys)
    if moments is None:
        return False
    covariance, variance_x, variance_y = moments
    numerator, denominator = threshold
    # cov / sqrt(vx · vy) ≥ n / d  ⇔  cov > 0 and cov² · d² ≥ n² · vx · vy
    return covariance > 0 and covariance * covariance * denominator**2 >= numerator**2 * variance_x * variance_y


@functools.lru_cache(maxsize=512)
def t_quantile(probability: float, df: int) -> float:
    """The t distribution's quantile for a probability > 0.5 and integer df, by bisection on its CDF.

    Pure and called with few distinct (probability, df) pairs (one per bed and period length), so
    it is memoised: t_cdf costs df/2 terms, and a 10-year diary's bed has df in the hundreds.
    """
    low, high = 0.0, 1.0
    while t_cdf(high, df) < probability:
        high *= 2
    while high - low > 1e-12:
        middle = (low + high) / 2
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with integer df: the finite sums of Abramowitz & Stegun 26.7.3-4."""
    if df < 1:
        raise ValueError("df must be at least 1")
    theta = math.atan(abs(t) / math.sqrt(df))
    sin, cos = math.sin(theta), math.cos(theta)
    if df % 2:  # odd
        total, term = 0.0, cos
        for k in range(1, (df - 1) // 2 + 1):
            total += term
            term *= cos * cos * (2 * k) / (2 * k + 1)
        central = 2 / math.pi * (theta + (sin * total if df > 1 else 0.0))
    else:
        total, term = 0.0, 1.0
        for k in range(1, df // 2 + 1):
            total += term
            term *= cos * cos * (2 * k - 1) / (2 * k)
        central = sin * total
    return 0.5 + math.copysign(central / 2, t)


# Nights on one bed are autocorrelated, so n nights carry less information than n independent
# ones. With lag-1 autocorrelation r, an AR(1) series' mean has the variance of
# n·(1-r)/(1+r) independent values (the "effective sample size"); r is estimated from pairs of
# consecutive nights, and assumed to be 0.5 (the bed-trial simulation's value) when fewer than
# MIN_PAIRS_FOR_R pairs exist. Negative estimates count as 0: never narrower than independence.
ASSUMED_AUTOCORRELATION = 0.5
MIN_PAIRS_FOR_R = 10
MAX_AUTOCORRELATION = 0.9
ONE_DAY = timedelta(days=1)


def lag1_autocorrelation(values_by_day: dict, mean: float, squares: float) -> float | None:
    """r from the pairs of values on consecutive days (None when fewer than MIN_PAIRS_FOR_R pairs);
    `squares` is the sum of the squared deviations from `mean`."""
    pairs = [
        (value, values_by_day[next_day])
        for day, value in values_by_day.items()
        if (next_day := day + ONE_DAY) in values_by_day
    ]
    if len(pairs) < MIN_PAIRS_FOR_R:
        return None
    variance = squares / len(values_by_day)
    if variance == 0:
        return 0.0
    covariance = sum([(a - mean) * (b - mean) for a, b in pairs]) / len(pairs)
    return covariance / variance


def correlated_mean_interval(values_by_day: dict, confidence: float = 0.95) -> tuple[float, float, float] | None:
    """(mean, low, high) of daily values, the interval widened for AR(1) correlation; None below 3 values."""
    n = len(values_by_day)
    if n < 3:
        return None
    values = list(values_by_day.values())
    mean = sum(values) / n
    squares = sum([(value - mean) ** 2 for value in values])  # once for r and the SD (a ten-year bed: ~1,000)
    r = lag1_autocorrelation(values_by_day, mean, squares)
    r = ASSUMED_AUTOCORRELATION if r is None else min(max(r, 0.0), MAX_AUTOCORRELATION)
    effective_n = max(2.0, n * (1 - r) / (1 + r))
    sd = math.sqrt(squares / (n - 1))
    half_width = t_quantile((1 + confidence) / 2, max(1, math.floor(effective_n) - 1)) * sd / math.sqrt(effective_n)
    return mean, mean - half_width, mean + half_width
