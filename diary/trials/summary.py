"""A trial as people read it: verdict in words, progress, and the schedule block by block.

The one home of the trial's wording, used by the trial page, the report page, the share page,
the PDF and the FHIR bundle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext

from diary.dates import long_date
from diary.models import BedTrial
from diary.trials.analysis import BETTER, MIN_PAIRS, NO_CLEAR_DIFFERENCE, VERDICT_LABELS, WORSE, TrialNight, TrialResult
from diary.trials.services import refresh_status, through_date, trial_nights, trial_result


@dataclass(frozen=True)
class Block:
    number: int
    arm: str
    bed_name: str
    first: date
    last: date
    on_schedule: int  # logged nights on this block's bed
    deviations: int  # logged nights on another bed
    elapsed: int  # nights of the block up to the analysis date


@dataclass(frozen=True)
class TrialSummary:
    trial: BedTrial
    result: TrialResult
    nights_elapsed: int
    tonight_arm: str | None  # while running: the bed for the night ending today
    blocks: tuple[Block, ...]

    min_pairs = MIN_PAIRS

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.result.verdict])

    @property
    def verdict_sentence(self) -> str:
        """The plain verdict, with the beds' names."""
        trial, result = self.trial, self.result
        beds = {"bed_a": trial.bed_a, "bed_b": trial.bed_b}
        if result.verdict == BETTER:
            return (
                gettext("Night pain was lower on %(bed_b)s (B) than on %(bed_a)s (A), beyond what chance explains.")
                % beds
            )
        if result.verdict == WORSE:
            return (
                gettext("Night pain was higher on %(bed_b)s (B) than on %(bed_a)s (A), beyond what chance explains.")
                % beds
            )
        if result.verdict == NO_CLEAR_DIFFERENCE:
            return gettext("No clear difference in night pain between %(bed_a)s (A) and %(bed_b)s (B).") % beds
        if trial.status == BedTrial.Status.ABANDONED:
            return gettext("The trial was abandoned, so it gives no verdict; its numbers so far are kept.")
        if trial.status == BedTrial.Status.ACTIVE:
            return gettext(
                "The verdict comes after the last trial night, ending on %(date)s; "
                "until then the numbers are only a first look."
            ) % {"date": long_date(trial.end)}
        return gettext(
            "Too few complete pairs for a verdict: %(usable)s usable, %(needed)s needed "
            "(a block counts when at least half its nights were on its bed)."
        ) % {"usable": result.pairs_used, "needed": MIN_PAIRS}

    @property
    def tonight_bed(self) -> str:
        return {"A": self.trial.bed_a.name, "B": self.trial.bed_b.name}.get(self.tonight_arm or "", "")

    @property
    def is_final(self) -> bool:
        return self.result.finished

    @property
    def stopped_note(self) -> str:
        if not self.result.stopped_early:
            return ""
        return gettext(
            "Stopped early after %(elapsed)s of %(planned)s pairs: "
            "the result is less certain than the planned trial's would have been."
        ) % {"elapsed": self.result.pairs_elapsed, "planned": self.result.pairs_planned}

    @property
    def progress_percent(self) -> int:
        return round(100 * self.nights_elapsed / self.trial.nights)

    def as_dict(self) -> dict:
        """For exports: the command's contract plus the trial's identity and wording."""
        return {
            "bed_a": self.trial.bed_a.name,
            "bed_b": self.trial.bed_b.name,
            "start": self.trial.start.isoformat(),
            "end": self.trial.end.isoformat(),
            "status": self.trial.status,
            "block_nights": self.trial.block_nights,
            "pairs": self.trial.pairs,
            **self.result.as_contract(),
            "stopped_early": self.result.stopped_early,
            "summary": self.verdict_sentence,
        }


def trial_summary(trial: BedTrial, *, today: date, known: tuple[date, date, Sequence] | None = None) -> TrialSummary:
    """The trial as shown; ``known`` = (first, last, NightRecords of those dates) already loaded
    (the report's nights) saves reading the trial's nights again when they cover it."""
    through = through_date(trial, today=today)
    if known is not None and known[0] <= trial.start and through <= known[1]:
        arm_of_bed = {trial.bed_a_id: "A", trial.bed_b_id: "B"}
        nights = [
            TrialNight(n.date, arm_of_bed.get(n.bed_id, ""), n.night_pain, n.morning_pain_minutes)
            for n in known[2]
            if trial.start <= n.date <= trial.end
        ]
    else:
        nights = trial_nights(trial)
    result = trial_result(trial, today=today, nights=nights)
    elapsed = max(0, min((through - trial.start).days + 1, trial.nights))
    running = trial.status == BedTrial.Status.ACTIVE
    return TrialSummary(
        trial=trial,
        result=result,
        nights_elapsed=elapsed,
        tonight_arm=trial.arm_on(today) if running else None,
        blocks=tuple(_blocks(trial, nights, through)),
    )


def _blocks(trial: BedTrial, nights: list[TrialNight], through: date) -> list[Block]:
    by_date = {night.date: night for night in nights}
    names = {"A": trial.bed_a.name, "B": trial.bed_b.name}
    blocks = []
    for number, offset in enumerate(range(0, trial.nights, trial.block_nights), start=1):
        arm = trial.arms[offset]
        first = trial.start + timedelta(days=offset)
        days = [first + timedelta(days=i) for i in range(trial.block_nights)]
        logged = [by_date[day] for day in days if day in by_date and day <= through]
        blocks.append(
            Block(
                number=number,
                arm=arm,
                bed_name=names[arm],
                first=first,
                last=days[-1],
                on_schedule=sum(night.arm == arm for night in logged),
                deviations=sum(night.arm != arm for night in logged),
                elapsed=sum(day <= through for day in days),
            )
        )
    return blocks


def trial_for_period(
    user, start: date, end: date, *, today: date, nights: Sequence | None = None
) -> TrialSummary | None:
    """The latest of the user's trials whose nights touch [start, end] (for the report and exports).

    ``nights``: the report's NightRecords of [start, end], when loaded (one query fewer)."""
    candidates = BedTrial.objects.for_user(user).filter(start__lte=end).select_related("bed_a", "bed_b")
    for trial in candidates:  # newest start first
        if trial.end >= start:
            refresh_status(trial, today=today)
            return trial_summary(trial, today=today, known=(start, end, nights) if nights is not None else None)
    return None
