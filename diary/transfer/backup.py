"""Full account backup as JSON: its format, the dump, and the reading of an uploaded file.

Restoring a backup (checks, then writes) is in diary/transfer/restore.py.

The backup holds the profile, the beds, the medicines, every night (multi-choice answers as lists
of codes, the bed by name, the medicines taken as name, doses and time), the weekly PEG check-ins
and the *metadata* of share links. Format version 1 files (before medicines and PEG) still restore. It never holds a share link's token hash or
passcode hash, so a restored link cannot be opened: it comes back revoked (see RESTORED_LINKS).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from diary.choices import ALL_FLAG_COLUMNS, MULTI_CHOICE_FIELDS
from diary.models import Bed, Medicine, MedicineDose, Night, PegCheckIn, Profile, ShareLink
from diary.period import MAX_SPAN_DAYS

FORMAT = "night-back-pain-diary-backup"
FORMAT_VERSION = 2  # 2 added medicines, each night's medicines and PEG check-ins (issue 17)
READABLE_VERSIONS = (1, 2)
# The most of each a restore accepts, far above any real diary (twenty years of nights is the
# longest report period); a larger list is refused before a single object is built from it.
MAX_ENTRIES = {
    "beds": 1_000,
    "medicines": 1_000,
    "nights": MAX_SPAN_DAYS,
    "peg_check_ins": MAX_SPAN_DAYS,
    "share_links": 1_000,
}
# Objects and lists a backup within MAX_ENTRIES can hold ({} and [] per night and per dose, with
# room for brackets in notes): counted on the raw bytes, so a file of a million "{}" is refused
# before it is parsed into a million dicts.
MAX_CONTAINERS = 16 * sum(MAX_ENTRIES.values())


def too_large(what: str) -> str:
    """The message for a backup larger than MAX_ENTRIES / MAX_CONTAINERS; `what` says what is too much."""
    return gettext("This backup holds more than this site can restore: %(what)s. Nothing was restored.") % {
        "what": what
    }


def count_of(key: str, count: int) -> str:
    """ "200,000 nights" for a list of the backup, in the reader's language and plural form."""
    number = formats.number_format(count, force_grouping=True)
    texts = {
        "beds": ngettext("%(count)s bed", "%(count)s beds", count),
        "nights": ngettext("%(count)s night", "%(count)s nights", count),
        "share_links": ngettext("%(count)s share link", "%(count)s share links", count),
        "medicines": ngettext("%(count)s medicine", "%(count)s medicines", count),
        "peg_check_ins": ngettext("%(count)s weekly check-in", "%(count)s weekly check-ins", count),
    }
    return texts[key] % {"count": number}


# What a backup holds of each model. Everything not listed (ids, the user, share-link secrets and
# lock-out counters) stays out; the multi-choice booleans travel as code lists instead.
PROFILE_FIELDS = tuple(f.name for f in Profile._meta.concrete_fields if f.name not in {"id", "user", "updated_at"})
BED_FIELDS = ("name", "kind", "firmness", "occasional", "notes", "created_at")
NIGHT_FIELDS = tuple(
    f.name for f in Night._meta.concrete_fields if f.name not in {"id", "user", "bed", *ALL_FLAG_COLUMNS}
)
MEDICINE_FIELDS = ("name", "medicine_class", "dose", "unit", "current", "created_at")
DOSE_FIELDS = ("doses", "taken_at")
PEG_FIELDS = ("date", "pain", "enjoyment", "activity", "created_at")
SHARE_LINK_FIELDS = (
    "label",
    "start",
    "end",
    "include_name",
    "created_at",
    "expires_at",
    "revoked_at",
    "open_count",
    "last_opened_at",
)


def _jsonable(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact: "37.5", never 37.499999
    return value


def _fields(obj, names) -> dict:
    return {name: _jsonable(getattr(obj, name)) for name in names}


def dump_account(user) -> dict:
    """Everything in `user`'s account as a JSON-able dict (see the module docstring for what is left out)."""
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    nights = Night.objects.for_user(user).select_related("bed").order_by("date")
    doses: dict[int, list[dict]] = {}
    for dose in MedicineDose.objects.filter(night__user=user).select_related("medicine").order_by("medicine__name"):
        doses.setdefault(dose.night_id, []).append({"medicine": dose.medicine.name, **_fields(dose, DOSE_FIELDS)})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().astimezone(UTC).isoformat(),
        "account": {"email": user.email},  # to recognise the file; restore ignores it
        "profile": _fields(profile, PROFILE_FIELDS),
        "beds": [_fields(bed, BED_FIELDS) for bed in Bed.objects.for_user(user).order_by("name")],
        "nights": [
            {
                **_fields(night, NIGHT_FIELDS),
                "bed": night.bed.name,
                **{name: list(getattr(night, name)) for name in MULTI_CHOICE_FIELDS},
                "medicines": doses.get(night.pk, []),
            }
            for night in nights
        ],
        "medicines": [
            _fields(medicine, MEDICINE_FIELDS) for medicine in Medicine.objects.for_user(user).order_by("name")
        ],
        "peg_check_ins": [
            _fields(check_in, PEG_FIELDS) for check_in in PegCheckIn.objects.for_user(user).order_by("date")
        ],
        "share_links": [
            {**_fields(link, SHARE_LINK_FIELDS), "has_passcode": link.has_passcode}
            for link in ShareLink.objects.for_user(user).order_by("created_at", "pk")
        ],
    }


class UnreadableBackup(ValueError):
    """The uploaded bytes cannot be a backup; the message says why, in plain words."""


def parse_backup(raw: bytes):
    """The JSON of an uploaded backup, read so that no file can exhaust the worker.

    The containers ({ and [) are counted on the bytes before parsing (MAX_CONTAINERS), and nesting
    deeper than Python's recursion limit is answered as a bad file instead of crashing with a
    RecursionError; the json module's C parser raises it cleanly at that depth.
    """
    if raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS:
        entries = formats.number_format(MAX_CONTAINERS, force_grouping=True)
        raise UnreadableBackup(too_large(gettext("more than %(count)s entries") % {"count": entries}))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise UnreadableBackup(gettext("This file is not a backup: it is nested far too deeply.")) from None
    except (UnicodeDecodeError, ValueError):
        raise UnreadableBackup(gettext("This file is not a backup: it could not be read as JSON.")) from None
