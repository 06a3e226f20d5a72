"""Spearman's rank correlation in plain Python, with an exact (integer) threshold test."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
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
