"""The design of a bed trial: a blocked, randomised crossover.

The trial is ``pairs`` pairs of blocks; each block is ``block_nights`` consecutive nights on one
bed. Inside each pair one block is bed A and the other bed B, in an order drawn at random from
the trial's seed, so a slow drift in pain (healing, a busy month) cannot masquerade as a bed
effect (AHRQ N-of-1 guide, Kravitz & Duan 2014). The schedule is stored with the trial, so a
later change to this code never changes a running trial's plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext

from diary.trials.analysis import MIN_PAIRS

# The default design: the fewest nights that reach >= 80 % power for a 2-point fall (Farrar 2001)
# with <= 5 % false alarms at autocorrelation 0.5 and 0.7 in benchmarks/bed_trial_design.py.
DEFAULT_BLOCK_NIGHTS = 2
DEFAULT_PAIRS = 8
# What that simulation printed for the default design (docs/bed-trials.md), shown on the start page.
DEFAULT_POWER_PERCENT = 86
DEFAULT_FALSE_ALARMS_UNDER_PERCENT = 5
MAX_BLOCK_NIGHTS = 28
MAX_PAIRS = 12

ARMS = ("A", "B")


@dataclass(frozen=True)
class Design:
    block_nights: int = DEFAULT_BLOCK_NIGHTS
    pairs: int = DEFAULT_PAIRS

    def __post_init__(self) -> None:
        if not 1 <= self.block_nights <= MAX_BLOCK_NIGHTS:
            raise ValueError(gettext("A block is 1 to %(most)s nights.") % {"most": MAX_BLOCK_NIGHTS})
        if not MIN_PAIRS <= self.pairs <= MAX_PAIRS:
            raise ValueError(
                gettext("A trial has %(least)s to %(most)s pairs of blocks.") % {"least": MIN_PAIRS, "most": MAX_PAIRS}
            )

    @property
    def nights(self) -> int:
        return 2 * self.block_nights * self.pairs


def pair_orders(pairs: int, seed: int) -> str:
    """The order of the two beds inside each pair, e.g. "ABBABA" for three pairs, from the seed.

    ``Random(seed).random()`` is the same sequence on every Python version for an integer seed.
    """
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # a reproducible coin toss, not a secret
    return "".join("AB" if rng.random() < 0.5 else "BA" for _ in range(pairs))


def arms_by_night(design: Design, seed: int) -> str:
    """The bed for every night of the trial, e.g. "AAAABBBBBBBBAAAA…" (one letter a night)."""
    return "".join(arm * design.block_nights for arm in pair_orders(design.pairs, seed))


def schedule_dates(start: date, arms: str) -> list[tuple[date, str]]:
    """(date, arm) for each night; a night is dated by the morning it ends, like the diary."""
    return [(start + timedelta(days=i), arm) for i, arm in enumerate(arms)]
