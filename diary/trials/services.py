"""Bed trials: the writes (start, stop, abandon) and the reads that join a trial to its nights.

Views, the command and the report call these; they never build a schedule or an analysis
themselves.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from diary.models import Bed, BedTrial, Night
from diary.trials.analysis import TrialNight, TrialResult, analyse
from diary.trials.schedule import Design, arms_by_night, schedule_dates


class TrialError(ValueError):
    """A trial that cannot be started or changed, with a message a person understands."""


def propose_design() -> Design:
    """The design the app proposes: the default that the simulation chose (docs/bed-trials.md)."""
    return Design()


def start_trial(*, user, bed_a: Bed, bed_b: Bed, start: date, design: Design, seed: int | None = None) -> BedTrial:
    """Draw the schedule from ``seed`` (a fresh random one when None) and store the trial."""
    if bed_a.user_id != user.pk or bed_b.user_id != user.pk:
        raise TrialError(gettext("Choose two of your own beds."))
    if bed_a.pk == bed_b.pk:
        raise TrialError(gettext("Choose two different beds: a trial compares bed A with bed B."))
    if seed is None:
        seed = secrets.randbelow(2**31)
    trial = BedTrial(
        user=user,
        bed_a=bed_a,
        bed_b=bed_b,
        start=start,
        block_nights=design.block_nights,
        pairs=design.pairs,
        seed=seed,
        arms=(arms := arms_by_night(design, seed)),
        end=BedTrial.last_night_of(start, arms),
    )
    try:
        with transaction.atomic():
            trial.save()
    except IntegrityError:
        # The one-active-trial constraint: a second tab, or a trial already running.
        raise TrialError(gettext("You already have a bed trial running: stop or abandon it first.")) from None
    return trial


def stop_trial(trial: BedTrial, *, today: date) -> BedTrial:
    """End a running trial early; the analysis uses the pairs completed so far and says so."""
    return _end(trial, BedTrial.Status.STOPPED, today)


def abandon_trial(trial: BedTrial, *, today: date) -> BedTrial:
    """Give a trial up: it is kept, marked abandoned, and gives no verdict."""
    return _end(trial, BedTrial.Status.ABANDONED, today)


def _end(trial: BedTrial, status: str, today: date) -> BedTrial:
    refresh_status(trial, today=today)
    if trial.status != BedTrial.Status.ACTIVE:
        raise TrialError(
            gettext("This trial is already %(status)s.") % {"status": str(trial.get_status_display()).lower()}
        )
    trial.status = status
    trial.ended_on = today
    trial.save(update_fields=["status", "ended_on", "updated_at"])
    return trial


def refresh_status(trial: BedTrial, *, today: date) -> BedTrial:
    """A running trial whose last night has ended (this morning or before) becomes completed."""
    if trial.status == BedTrial.Status.ACTIVE and today >= trial.end:
        trial.status = BedTrial.Status.COMPLETED
        trial.updated_at = timezone.now()
        BedTrial.objects.filter(pk=trial.pk, status=BedTrial.Status.ACTIVE).update(
            status=trial.status, updated_at=trial.updated_at
        )
    return trial


def running_trial(user, *, today: date) -> BedTrial | None:
    """The user's running trial, if any (a finished one is marked completed on the way)."""
    trial = BedTrial.objects.for_user(user).active().select_related("bed_a", "bed_b").first()
    if trial is not None and refresh_status(trial, today=today).status != BedTrial.Status.ACTIVE:
        return None
    return trial


def latest_trial(user, *, today: date) -> BedTrial | None:
    trial = BedTrial.objects.for_user(user).select_related("bed_a", "bed_b").first()
    return refresh_status(trial, today=today) if trial else None


def through_date(trial: BedTrial, *, today: date) -> date:
    """The last date the analysis reads: today while running, the day it ended otherwise."""
    if trial.status in (BedTrial.Status.STOPPED, BedTrial.Status.ABANDONED) and trial.ended_on:
        return min(trial.ended_on, trial.end)
    return min(today, trial.end)


def trial_nights(trial: BedTrial) -> list[TrialNight]:
    """The user's logged nights inside the trial's dates (read through Night.objects.for_user)."""
    arm_of_bed = {trial.bed_a_id: "A", trial.bed_b_id: "B"}
    rows = (
        Night.objects.for_user(trial.user)
        .in_period(trial.start, trial.end)
        .values_list("date", "bed_id", "night_pain", "morning_pain_minutes")
    )
    return [TrialNight(day, arm_of_bed.get(bed_id, ""), pain, minutes) for day, bed_id, pain, minutes in rows]


def trial_result(trial: BedTrial, *, today: date, nights: list[TrialNight] | None = None) -> TrialResult:
    """Analyse the trial from the user's nights."""
    return analyse(
        arms=trial.arms,
        block_nights=trial.block_nights,
        start=trial.start,
        nights=trial_nights(trial) if nights is None else nights,
        through=through_date(trial, today=today),
        finished=trial.status in (BedTrial.Status.COMPLETED, BedTrial.Status.STOPPED),
    )


def schedule_json(trial: BedTrial) -> dict:
    """The command's ``start`` output: {"schedule": [{"date": "YYYY-MM-DD", "bed": NAME}, ...]}."""
    names = {"A": trial.bed_a.name, "B": trial.bed_b.name}
    return {
        "schedule": [
            {"date": day.isoformat(), "bed": names[arm]} for day, arm in schedule_dates(trial.start, trial.arms)
        ]
    }


@dataclass(frozen=True)
class TonightsBed:
    """What the log form says for a trial night: "Tonight: bed B (trial night 9 of 56)"."""

    trial: BedTrial
    arm: str
    bed: Bed
    number: int
    of: int

    def __str__(self) -> str:
        return gettext("Tonight: bed %(arm)s (trial night %(number)s of %(of)s)") % {
            "arm": self.arm,
            "number": self.number,
            "of": self.of,
        }


def tonights_bed(user, day: date, *, today: date) -> TonightsBed | None:
    """The bed the running trial schedules for the night ending on ``day``, if ``day`` is a trial night."""
    trial = running_trial(user, today=today)
    return trial_night(trial, day) if trial is not None else None


def trial_night(trial: BedTrial, day: date) -> TonightsBed | None:
    if (arm := trial.arm_on(day)) is None:
        return None
    return TonightsBed(trial, arm, trial.bed_on(day), trial.night_number(day), trial.nights)
