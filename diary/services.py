"""Writes of diary data (HackSoft styleguide: domain writes in plain functions, not Form.save()).

Every function takes the user explicitly and touches only that user's rows. Changes to a night's
medicines bump the night's updated_at, so the cached diary and report pages see them
(diary.reporting.diary_state / data_stamp).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.models import Medicine, MedicineDose, Night, PegCheckIn


@dataclass(frozen=True, slots=True)
class DoseData:
    """One medicine taken on a night, as the log form or an import gives it."""

    medicine: Medicine
    doses: int
    taken_at: time | None = None


def set_night_medicines(night: Night, doses: list[DoseData]) -> None:
    """Make `doses` the medicines recorded for `night` (others are removed), in one transaction."""
    for dose in doses:
        if dose.medicine.user_id != night.user_id:
            raise ValueError("A night can only record its own user's medicines.")
    with transaction.atomic():
        wanted = {dose.medicine.pk: dose for dose in doses}
        existing = {row.medicine_id: row for row in MedicineDose.objects.filter(night=night)}
        gone = [pk for medicine_id, pk in ((m, row.pk) for m, row in existing.items()) if medicine_id not in wanted]
        changed = bool(gone)
        if gone:
            MedicineDose.objects.filter(pk__in=gone).delete()
        for medicine_id, dose in wanted.items():
            row = existing.get(medicine_id)
            if row is None:
                MedicineDose.objects.create(
                    night=night, medicine=dose.medicine, doses=dose.doses, taken_at=dose.taken_at
                )
                changed = True
            elif (row.doses, row.taken_at) != (dose.doses, dose.taken_at):
                row.doses, row.taken_at = dose.doses, dose.taken_at
                row.save(update_fields=["doses", "taken_at"])
                changed = True
        if changed:
            Night.objects.filter(pk=night.pk).update(updated_at=timezone.now())


def delete_medicine(medicine: Medicine) -> int:
    """Delete a medicine and its records on nights (the nights themselves stay).

    Returns how many nights lost their record of it. Those nights' updated_at is bumped, so
    cached pages and the report no longer show it.
    """
    with transaction.atomic():
        night_ids = list(MedicineDose.objects.filter(medicine=medicine).values_list("night_id", flat=True))
        MedicineDose.objects.filter(medicine=medicine).delete()
        Night.objects.filter(pk__in=night_ids).update(updated_at=timezone.now())
        medicine.delete()
    return len(night_ids)


def record_peg(*, user, day: date, pain: int, enjoyment: int, activity: int) -> PegCheckIn:
    """Save the PEG check-in of `day` (a second one on the same day replaces the first)."""
    values = {"pain": pain, "enjoyment": enjoyment, "activity": activity}
    try:
        with transaction.atomic():
            check_in, _created = PegCheckIn.objects.update_or_create(user=user, date=day, defaults=values)
    except IntegrityError:  # a double tap created it in between: update that one
        check_in = PegCheckIn.objects.for_user(user).get(date=day)
        for name, value in values.items():
            setattr(check_in, name, value)
        check_in.save()
    return check_in


def save_medicine(medicine: Medicine, *, user) -> Medicine:
    """Save a new or edited medicine of `user` (its name is unique per user; the form checked it)."""
    medicine.user = user
    medicine.save()
    return medicine


def save_peg_weekday(profile, weekday: int | None) -> None:
    """Keep the weekday of the weekly check-in on the profile (None: 7 days after the last one)."""
    profile.peg_weekday = weekday
    profile.save(update_fields=["peg_weekday", "updated_at"])
