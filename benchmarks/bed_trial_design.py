"""`python -m benchmarks.bed_trial_design`: shows by simulation that the bed-trial design works.

Simulates many trials through the app's own schedule and analysis code (diary/trials/) with
nightly pain that has a standard deviation of 1.5 points and day-to-day autocorrelation AR(1)
(ρ = 0.5, and 0.7 for false alarms), logged as whole points 0-10 like the diary, and prints:

- power: the share of trials that say `better` when bed B lowers pain by 2 points (Farrar
  2001's meaningful change); target >= 80 %;
- false alarms: the share that say `better` or `worse` when the beds do not differ; target
  <= 5 %, at ρ = 0.5 and 0.7;
- the nights each design needs, and the design with the fewest nights that meets both targets
  (it must be the default in diary/trials/schedule.py);
- what a naive night-level t-test (every night an independent observation) and a t interval
  over the pair differences would have said about the same no-difference trials.

It is a figure printer, not a timed test: about a minute on a quiet machine (docs/bed-trials.md).

    python -m benchmarks.bed_trial_design               # the figures of docs/bed-trials.md
    python -m benchmarks.bed_trial_design --trials 1000 # quicker, noisier
    python -m benchmarks.bed_trial_design --strict      # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta

from diary.rules.stats import t_quantile
from diary.trials.analysis import BETTER, WORSE, TrialNight, TrialResult, analyse
from diary.trials.schedule import DEFAULT_BLOCK_NIGHTS, DEFAULT_PAIRS, MIN_PAIRS, Design, arms_by_night

PAIN_SD = 1.5  # issue 16: nightly pain's standard deviation
RHO = 0.5  # issue 16: day-to-day autocorrelation
RHO_HIGH = 0.7  # false alarms must also hold with stronger autocorrelation
EFFECT = -2.0  # Farrar 2001: a 2-point fall is a meaningful change
MEAN_PAIN_A = 6.0  # room on both sides of the 0-10 scale
POWER_TARGET = 0.80
FALSE_ALARM_TARGET = 0.05
START = date(2026, 1, 5)

# Designs compared in the table: every block length a person might keep up, from 6 pairs (the
# fewest that can give a 95 % randomisation interval) up; sorted by nights.
CANDIDATES = sorted(
    (Design(block, pairs) for block in (2, 3, 4, 7) for pairs in range(MIN_PAIRS, 9) if 2 * block * pairs <= 84),
    key=lambda design: (design.nights, -design.block_nights),
)


@dataclass
class Tally:
    trials: int = 0
    hits: int = 0

    def add(self, hit: bool) -> None:
        self.trials += 1
        self.hits += hit

    @property
    def share(self) -> float:
        return self.hits / self.trials


def simulate_nights(design: Design, arms: str, *, rho: float, effect: float, carry_over: bool, rng) -> list[TrialNight]:
    """One trial's nights: AR(1) noise around each bed's mean, rounded to whole points 0-10.

    With ``carry_over`` the first night after a switch still carries half of the previous bed's
    effect (a body that needs a night to settle): a check of how fragile short blocks are.
    """
    innovation_sd = PAIN_SD * math.sqrt(1 - rho * rho)
    noise = rng.gauss(0, PAIN_SD)  # start from the stationary distribution
    nights = []
    for i, arm in enumerate(arms):
        if i:
            noise = rho * noise + rng.gauss(0, innovation_sd)
        shift = effect if arm == "B" else 0.0
        if carry_over and i and arms[i - 1] != arm:
            shift = (shift + (effect if arms[i - 1] == "B" else 0.0)) / 2
        pain = MEAN_PAIN_A + shift + noise
        minutes = max(0, round(3 * pain + rng.gauss(0, 5)))
        nights.append(TrialNight(START + timedelta(days=i), arm, min(10, max(0, round(pain))), minutes))
    return nights


def run_trial(
    design: Design, *, rho: float, effect: float, rng, carry_over: bool = False
) -> tuple[TrialResult, list[TrialNight]]:
    arms = arms_by_night(design, rng.randrange(2**31))
    nights = simulate_nights(design, arms, rho=rho, effect=effect, carry_over=carry_over, rng=rng)
    result = analyse(
        arms=arms,
        block_nights=design.block_nights,
        start=START,
        nights=nights,
        through=START + timedelta(days=design.nights),
        finished=True,
    )
    return result, nights


def naive_night_t_test_alarms(nights: list[TrialNight]) -> bool:
    """Two-sample t-test of A nights against B nights, as if every night were independent."""
    a = [n.night_pain for n in nights if n.arm == "A"]
    b = [n.night_pain for n in nights if n.arm == "B"]
    pooled = ((len(a) - 1) * statistics.variance(a) + (len(b) - 1) * statistics.variance(b)) / (len(a) + len(b) - 2)
    if pooled == 0:
        return False
    t = (statistics.fmean(b) - statistics.fmean(a)) / math.sqrt(pooled * (1 / len(a) + 1 / len(b)))
    return abs(t) > t_quantile(0.975, len(a) + len(b) - 2)


def pair_t_test_alarms(arms: str, design: Design, nights: list[TrialNight]) -> bool:
    """A t interval over the pair differences: right unit, but assumes pairs are independent."""
    size = design.block_nights
    differences = []
    for pair in range(design.pairs):
        block = nights[2 * pair * size : (2 * pair + 2) * size]
        a = [n.night_pain for n in block if n.arm == "A"]
        b = [n.night_pain for n in block if n.arm == "B"]
        differences.append(statistics.fmean(b) - statistics.fmean(a))
    spread = statistics.stdev(differences)
    if spread == 0:
        return statistics.fmean(differences) != 0
    t = statistics.fmean(differences) / (spread / math.sqrt(len(differences)))
    return abs(t) > t_quantile(0.975, len(differences) - 1)


def before_after_alarms(trials: int, rng, *, rho: float, nights_each: int = 28) -> float:
    """The usual unplanned test: 28 nights on the old bed, then 28 on the new one, naive t-test."""
    tally = Tally()
    arms = "A" * nights_each + "B" * nights_each
    design = Design(nights_each, MIN_PAIRS)  # only its block length is used by simulate_nights
    for _ in range(trials):
        tally.add(
            naive_night_t_test_alarms(simulate_nights(design, arms, rho=rho, effect=0.0, carry_over=False, rng=rng))
        )
    return tally.share


def power(design: Design, trials: int, rng, *, rho: float = RHO, carry_over: bool = False) -> float:
    tally = Tally()
    for _ in range(trials):
        result, _ = run_trial(design, rho=rho, effect=EFFECT, rng=rng, carry_over=carry_over)
        tally.add(result.verdict == BETTER)
    return tally.share


def false_alarms(design: Design, trials: int, rng, *, rho: float) -> tuple[float, float, float]:
    """(this analysis, naive night-level t-test, pair t-test) false-alarm shares on the same trials."""
    ours, naive, pair_t = Tally(), Tally(), Tally()
    for _ in range(trials):
        result, nights = run_trial(design, rho=rho, effect=0.0, rng=rng)
        ours.add(result.verdict in (BETTER, WORSE))
        naive.add(naive_night_t_test_alarms(nights))
        pair_t.add(pair_t_test_alarms("".join(n.arm for n in nights), design, nights))
    return ours.share, naive.share, pair_t.share


def meets(power_share: float, alarm_shares: list[float]) -> bool:
    return power_share >= POWER_TARGET and all(share <= FALSE_ALARM_TARGET for share in alarm_shares)


def percent(share: float) -> str:
    return f"{100 * share:5.1f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=4000, help="simulated trials per figure for the default design")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    began = time.perf_counter()
    screening = max(200, args.trials // 4)

    print(f"Nightly pain: SD {PAIN_SD}, AR(1); bed A mean {MEAN_PAIN_A:g}; whole points 0-10.")
    print(f"Targets: power >= {POWER_TARGET:.0%} for an effect of {EFFECT:g} at rho {RHO}; ", end="")
    print(f"false alarms <= {FALSE_ALARM_TARGET:.0%} at rho {RHO} and {RHO_HIGH}.\n")
    print(f"Candidate designs ({screening} trials each; Monte-Carlo error about ±2 points on power):")
    print(" block x pairs  nights   power    alarms .5  alarms .7  meets   naive t-test alarms .5 / .7")
    chosen = None
    for design in CANDIDATES:
        null_5 = false_alarms(design, screening, rng, rho=RHO)
        null_7 = false_alarms(design, screening, rng, rho=RHO_HIGH)
        shares = (power(design, screening, rng), null_5[0], null_7[0])
        ok = meets(shares[0], list(shares[1:]))
        if ok and chosen is None:
            chosen = design
        print(
            f"  {design.block_nights:>2} x {design.pairs:<2}      {design.nights:>3}   {percent(shares[0])}   "
            f"{percent(shares[1])}    {percent(shares[2])}    {'yes' if ok else 'no ':<3}   "
            f"{percent(null_5[1])} / {percent(null_7[1])}"
        )
    default = Design(DEFAULT_BLOCK_NIGHTS, DEFAULT_PAIRS)
    print(
        f"\nFewest nights meeting both targets: {chosen.block_nights}-night blocks x {chosen.pairs} pairs"
        if chosen
        else ""
    )
    print(f"Default design (diary/trials/schedule.py): {default.block_nights}-night blocks x {default.pairs} pairs")

    print(f"\nDefault design, {args.trials} trials per figure:")
    default_power = power(default, args.trials, rng)
    power_high = power(default, args.trials // 2, rng, rho=RHO_HIGH)
    power_carry = power(default, args.trials // 2, rng, carry_over=True)
    alarms = {rho: false_alarms(default, args.trials, rng, rho=rho) for rho in (RHO, RHO_HIGH)}
    print(f"  nights needed                         {default.nights}")
    print(f"  power (rho {RHO})                       {percent(default_power)}   target >= {POWER_TARGET:.0%}")
    for rho, (ours, _, _) in alarms.items():
        print(f"  false alarms (rho {rho})                {percent(ours)}   target <= {FALSE_ALARM_TARGET:.0%}")
    print(f"  power (rho {RHO_HIGH})                       {percent(power_high)}   (information)")
    print(f"  power with one-night carry-over       {percent(power_carry)}   (information: see docs/bed-trials.md)")
    for rho, (_, naive, pair_t) in alarms.items():
        print(f"  naive night-level t-test, rho {rho}    {percent(naive)}   false alarms on the same trials")
        print(f"  t interval over pairs, rho {rho}       {percent(pair_t)}   false alarms on the same trials")
    for rho in (RHO, RHO_HIGH):
        share = before_after_alarms(args.trials // 2, rng, rho=rho)
        print(f"  before/after 28 + 28 nights, naive t-test, rho {rho}: {percent(share)} false alarms")
    met = meets(default_power, [alarms[RHO][0], alarms[RHO_HIGH][0]]) and chosen == default
    print(f"\nBoth targets met by the default design, which has the fewest nights: {'yes' if met else 'NO'}")
    print(f"({time.perf_counter() - began:.0f} s; timings are noisy on a shared machine)")
    return 0 if met or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
