"""Restore of a full account backup (diary/transfer/backup.py) into an empty account.

Restore checks everything before writing anything (format, types, ranges via the models'
validators, unknown codes, duplicate dates, beds that the nights name), refuses an account that
already has beds or nights, and writes in one transaction: all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from diary.models import Bed, Medicine, MedicineDose, Night, PegCheckIn, Profile, ShareLink
from diary.transfer.restore_checks import Checked, StopRestore, check_backup

RESTORED_LINKS = gettext_lazy(
    "Share links come back as history only: their secret links are not in the backup, so every "
    "restored link is revoked. Create a new link to share again."
)


@dataclass
class RestoreResult:
    problems: list[str] = field(default_factory=list)
    beds: int = 0
    nights: int = 0
    share_links: int = 0
    medicines: int = 0
    peg_check_ins: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def restore_account(user, data) -> RestoreResult:
    """Restore a backup (as parsed from JSON) into `user`'s account, which must have no beds or nights.

    Nothing is written unless the whole file is valid; then everything is written in one
    transaction. Restored share links are revoked (their tokens are not in the backup).
    """
    if _has_diary_data(user):
        return RestoreResult(problems=[_NOT_EMPTY])
    try:
        problems, checked = check_backup(user, data)
    except StopRestore as stop:
        return RestoreResult(problems=stop.args[0])
    if problems:
        return RestoreResult(problems=problems)

    try:
        with transaction.atomic():
            # Lock the user row so two restores into the same account cannot interleave.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            if _has_diary_data(user):
                return RestoreResult(problems=[_NOT_EMPTY])
            _write(user, checked)
    except DatabaseError:
        return RestoreResult(problems=[gettext("The database refused this backup; nothing was restored.")])
    return RestoreResult(
        beds=len(checked.beds),
        nights=len(checked.nights),
        share_links=len(checked.links),
        medicines=len(checked.medicines),
        peg_check_ins=len(checked.peg),
    )


def _write(user, checked: Checked) -> None:
    """Insert the checked objects, linked to each other by name (inside restore's transaction)."""
    existing = Profile.objects.filter(user=user).first()
    if existing is not None:
        checked.profile.pk = existing.pk
    checked.profile.save()
    for bed in checked.beds:
        _save_as_is(bed)
    by_name = {bed.name: bed for bed in checked.beds}
    for night, bed_name in checked.nights:
        night.bed = by_name[bed_name]
        _save_as_is(night)
    for medicine in checked.medicines:
        _save_as_is(medicine)
    medicine_by_name = {medicine.name: medicine for medicine in checked.medicines}
    for night, name, dose in checked.doses:
        dose.night, dose.medicine = night, medicine_by_name[name]
    MedicineDose.objects.bulk_create([dose for _night, _name, dose in checked.doses])
    for check_in in checked.peg:
        _save_as_is(check_in)
    ShareLink.objects.bulk_create(checked.links)


_NOT_EMPTY = gettext_lazy(
    "This account already has beds, nights, medicines or weekly check-ins. "
    "A backup can only be restored into an empty account."
)


def _has_diary_data(user) -> bool:
    return any(model.objects.for_user(user).exists() for model in (Bed, Night, Medicine, PegCheckIn))


def _save_as_is(obj: models.Model) -> None:
    """Insert `obj` with the backup's created_at / updated_at, as Django's loaddata does.

    A raw save skips the auto_now(_add) stamping that a normal save or bulk_create applies, and
    is faster here than stamping and then putting the times back with bulk_update.
    """
    now = timezone.now()
    for name in ("created_at", "updated_at"):
        if hasattr(obj, name) and getattr(obj, name) is None:
            setattr(obj, name, now)  # a hand-made backup without the time: "now", as a new row would get
    obj.save_base(raw=True)
