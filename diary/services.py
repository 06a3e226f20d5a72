"""Writes of diary data (HackSoft styleguide: domain writes in plain functions, not Form.save()).

Every function takes the user explicitly and touches only that user's rows. Changes to a night's
medicines bump the night's updated_at, so the cached diary and report pages see them
(diary.caching.data_stamp).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from diary.dates import long_date
from diary.models import Bed, Medicine, MedicineDose, Night, PegCheckIn, Profile


@dataclass(frozen=True, slots=True)
class NewBed:
    """A bed first named on the log form, created together with the night."""

    name: str
    kind: str = Bed.Kind.MATTRESS
    firmness: str = Bed.Firmness.UNKNOWN


def name_taken(model: type[Bed | Medicine], user, name: str, exclude_pk: int | None = None) -> bool:
    """Bed and medicine names are unique per user whatever their case ("Sofa" and "sofa" are one
    bed), as the database's constraints hold them."""
    return model.objects.for_user(user).filter(name__iexact=name).exclude(pk=exclude_pk).exists()


def duplicate_night_message(existing: Night) -> str:
    """Why a second night on the same date is refused, with a link to the one already logged."""
    return format_html(
        gettext(
            "You have already logged the night ending {date} (perhaps this form was sent twice). "
            '<a href="{url}">Edit that night</a> instead.'
        ),
        date=long_date(existing.date, weekday=True),
        url=reverse("diary:night-edit", args=[existing.pk]),
    )


def log_night(*, user, night: Night, new_bed: NewBed | None = None, doses: list[DoseData] | None = None) -> Night:
    """Save `night` (new or edited) for `user`, with its new bed and its medicines, in one transaction.

    Raises ValidationError (keyed by form field) when another request saved the same date or bed
    name first (a double tap that beat the form's own check); nothing is saved then.
    """
    night.user = user
    chosen_bed = night.bed if night.bed_id else None
    try:
        with transaction.atomic():
            if new_bed is not None:
                night.bed = Bed.objects.create(
                    user=user, name=new_bed.name, kind=new_bed.kind, firmness=new_bed.firmness
                )
            night.save()
            if doses is not None:
                set_night_medicines(night, doses)
    except IntegrityError:
        night.bed = chosen_bed  # a new bed was rolled back together with the night
        existing = Night.objects.for_user(user).filter(date=night.date).exclude(pk=night.pk).first()
        if existing is not None:
            raise ValidationError({"date": duplicate_night_message(existing)}) from None
        if new_bed is not None and name_taken(Bed, user, new_bed.name):
            raise ValidationError(
                {"new_bed_name": gettext("You already have a bed with this name: choose it from the list above.")}
            ) from None
        raise
    return night


def save_bed(bed: Bed, *, user) -> Bed:
    """Save a new or edited bed of `user`; ValidationError on its name if a concurrent request took it first."""
    return _save_named(bed, user=user, taken=gettext("You already have a bed with this name. Choose another name."))


def save_medicine(medicine: Medicine, *, user) -> Medicine:
    """Save a new or edited medicine of `user`; ValidationError on its name if a concurrent request took it first."""
    return _save_named(
        medicine, user=user, taken=gettext("You already have a medicine with this name. Choose another name.")
    )


def _save_named(obj: Bed | Medicine, *, user, taken: str) -> Bed | Medicine:
    # The forms checked the name; two simultaneous posts both pass that check, and the database's
    # constraint refuses the second: say so next to the name instead of failing.
    obj.user = user
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        if name_taken(type(obj), user, obj.name, exclude_pk=obj.pk):
            raise ValidationError({"name": taken}) from None
        raise
    return obj


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
        gone = [row.pk for medicine_id, row in existing.items() if medicine_id not in wanted]
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


def save_peg_weekday(profile, weekday: int | None) -> None:
    """Keep the weekday of the weekly check-in on the profile (None: 7 days after the last one)."""
    profile.peg_weekday = weekday
    profile.save(update_fields=["peg_weekday", "updated_at"])


def save_language(*, user, language: str) -> None:
    """Keep the language `user` chose on their profile (created if they have none yet)."""
    updated = Profile.objects.filter(user=user).update(language=language)  # stamps updated_at (OwnedQuerySet)
    if not updated:
        Profile.objects.create(user=user, language=language)
