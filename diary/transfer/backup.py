"""Full account backup as JSON, and restore of such a backup into an empty account.

The backup holds the profile, the beds, the medicines, every night (multi-choice answers as lists
of codes, the bed by name, the medicines taken as name, doses and time), the weekly PEG check-ins
and the *metadata* of share links. Format version 1 files (before medicines and PEG) still restore. It never holds a share link's token hash or
passcode hash, so a restored link cannot be opened: it comes back revoked (see RESTORED_LINKS).

Restore checks everything before writing anything (format, types, ranges via the models'
validators, unknown codes, duplicate dates, beds that the nights name), refuses an account that
already has beds or nights, and writes in one transaction: all or nothing.
"""

from __future__ import annotations

import json
import secrets
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from diary.choices import ALL_FLAG_COLUMNS, MULTI_CHOICE_FIELDS
from diary.dates import date_problem
from diary.models import Bed, Medicine, MedicineDose, Night, PegCheckIn, Profile, ShareLink
from diary.period import MAX_SPAN_DAYS

FORMAT = "night-back-pain-diary-backup"
FORMAT_VERSION = 2  # 2 added medicines, each night's medicines and PEG check-ins (issue 17)
READABLE_VERSIONS = (1, 2)
MAX_PROBLEMS = 30  # enough to fix a file; more would bury the first ones
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
TOO_LARGE = "This backup holds more than this site can restore: {what}. Nothing was restored."

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
RESTORED_LINKS = (
    "Share links come back as history only: their secret links are not in the backup, so every "
    "restored link is revoked. Create a new link to share again."
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


# --- Restore -------------------------------------------------------------------------------------


class UnreadableBackup(ValueError):
    """The uploaded bytes cannot be a backup; the message says why, in plain words."""


def parse_backup(raw: bytes):
    """The JSON of an uploaded backup, read so that no file can exhaust the worker.

    The containers ({ and [) are counted on the bytes before parsing (MAX_CONTAINERS), and nesting
    deeper than Python's recursion limit is answered as a bad file instead of crashing with a
    RecursionError; the json module's C parser raises it cleanly at that depth.
    """
    if raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS:
        raise UnreadableBackup(TOO_LARGE.format(what=f"more than {MAX_CONTAINERS:,} entries"))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise UnreadableBackup("This file is not a backup: it is nested far too deeply.") from None
    except (UnicodeDecodeError, ValueError):
        raise UnreadableBackup("This file is not a backup: it could not be read as JSON.") from None


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


class _Problems(Exception):
    """Raised to stop at the first structural problem (the rest of the file cannot be read)."""


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{where}: {message}" if where else message)

    def value(self, model_field: models.Field, raw, where: str):
        """One JSON value as the model field's Python value, strictly typed; None after a problem."""
        name = model_field.name
        if raw is None:
            if model_field.null:
                return None
            self.add(where, f"{name} is missing.")
            return None
        expected: tuple[type, ...]
        if isinstance(model_field, models.BooleanField):
            expected = (bool,)
        elif isinstance(model_field, models.IntegerField):
            expected = (int,)
        elif isinstance(model_field, models.DecimalField):
            expected = (str, int, float)
        else:  # text, dates and times all travel as strings
            expected = (str,)
        if not isinstance(raw, expected) or (isinstance(raw, bool) and bool not in expected):
            self.add(where, f"{name} has the wrong type ({type(raw).__name__}).")
            return None
        try:
            value = model_field.to_python(str(raw) if isinstance(raw, float) else raw)
        except ValidationError as error:
            self.add(where, f"{name}: {' '.join(error.messages)}")
            return None
        if isinstance(value, datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
        return value

    def build(self, model: type[models.Model], raw, names, where: str, extra: dict | None = None):
        """An unsaved instance from a JSON object holding (some of) `names`; None after a problem."""
        if not isinstance(raw, dict):
            self.add(where, "is not an object.")
            return None
        unknown = set(raw) - set(names) - set(extra or {})
        if unknown:
            self.add(where, f"unknown fields {sorted(unknown)}.")
        values, before = {}, len(self.problems)
        for name in names:
            if name in raw:
                values[name] = self.value(model._meta.get_field(name), raw[name], where)
        if len(self.problems) > before:
            return None
        return model(**values)

    def check_date(self, where: str, name: str, day, today: date) -> None:
        if isinstance(day, date):
            problem = date_problem(day, today)
            if problem:
                self.add(where, f"{name}: {problem}.")

    def clean(self, instance: models.Model, where: str, exclude=()) -> None:
        # Constraints and uniqueness are checked here in Python (empty account, no duplicates in
        # the file) and again by the database on insert; running them per row would cost a query each.
        try:
            instance.full_clean(exclude=[*exclude], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = "" if name == "__all__" else f"{name}: "
                self.add(where, label + " ".join(messages))


@dataclass
class _Checked:
    medicines: list[Medicine] = field(default_factory=list)
    doses: list[tuple[Night, str, MedicineDose]] = field(default_factory=list)  # night, medicine name, dose
    peg: list[PegCheckIn] = field(default_factory=list)


def _check(
    user, data, extra: _Checked
) -> tuple[list[str], Profile | None, list[Bed], list[tuple[Night, str]], list[ShareLink]]:
    checker = _Checker()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Problems(["This is not a Night Back-Pain Diary backup file."])
    if data.get("format_version") not in READABLE_VERSIONS:
        raise _Problems(
            [
                f"This backup has format version {data.get('format_version')!r}; this site reads version {FORMAT_VERSION}."
            ]
        )
    for key in ("beds", "nights", "share_links", "medicines", "peg_check_ins"):
        if not isinstance(data.get(key, []), list):
            raise _Problems([f"{key} must be a list."])
        if len(data.get(key, [])) > MAX_ENTRIES[key]:
            what = f"{len(data[key]):,} {key.replace('_', ' ')} (at most {MAX_ENTRIES[key]:,})"
            raise _Problems([TOO_LARGE.format(what=what)])

    profile = checker.build(Profile, data.get("profile", {}), PROFILE_FIELDS, "Profile")
    if profile is not None:
        profile.user = user
        checker.clean(profile, "Profile", exclude=["user"])
        try:
            zoneinfo.ZoneInfo(profile.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            checker.add("Profile", f"unknown time zone {profile.time_zone!r}.")
    # Dates must lie in the diary's one range, up to today in the zone the account will have.
    today = _today_in(profile.time_zone if profile is not None else Profile.time_zone_for(user))
    if profile is not None and profile.back_pain_since:
        checker.check_date("Profile", "back_pain_since", profile.back_pain_since, today)

    beds: list[Bed] = []
    for number, raw in enumerate(data.get("beds", []), start=1):
        where = f"Bed {number}"
        bed = checker.build(Bed, raw, BED_FIELDS, where)
        if bed is None:
            continue
        bed.user = user
        checker.clean(bed, f"Bed {bed.name!r}", exclude=["user"])
        if any(other.name.lower() == bed.name.lower() for other in beds):
            checker.add(f"Bed {bed.name!r}", "appears twice (bed names are the same whatever their case).")
        beds.append(bed)
    bed_names = {bed.name for bed in beds}

    for number, raw in enumerate(data.get("medicines", []), start=1):
        medicine = checker.build(Medicine, raw, MEDICINE_FIELDS, f"Medicine {number}")
        if medicine is None:
            continue
        medicine.user = user
        checker.clean(medicine, f"Medicine {medicine.name!r}", exclude=["user"])
        if any(other.name.lower() == medicine.name.lower() for other in extra.medicines):
            checker.add(f"Medicine {medicine.name!r}", "appears twice.")
        extra.medicines.append(medicine)
    medicine_names = {medicine.name for medicine in extra.medicines}

    nights: list[tuple[Night, str]] = []
    seen_dates: set[date] = set()
    multi = tuple(MULTI_CHOICE_FIELDS)
    for number, raw in enumerate(data.get("nights", []), start=1):
        where = (
            f"Night {raw.get('date')}"
            if isinstance(raw, dict) and isinstance(raw.get("date"), str)
            else f"Night {number}"
        )
        night = checker.build(
            Night, raw, NIGHT_FIELDS, where, extra={"bed": None, "medicines": None, **dict.fromkeys(multi)}
        )
        if night is None:
            continue
        night.user = user
        for name in multi:
            codes = raw.get(name, [])
            if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
                checker.add(where, f"{name} must be a list of codes.")
                continue
            try:
                setattr(night, name, codes)
            except ValueError as error:
                checker.add(where, str(error))
        bed_name = raw.get("bed")
        if not isinstance(bed_name, str) or bed_name not in bed_names:
            checker.add(where, f"its bed {bed_name!r} is not among the beds in the file.")
        checker.clean(night, where, exclude=["user", "bed"])
        _check_doses(checker, night, raw.get("medicines", []), medicine_names, where, extra)
        if night.date in seen_dates:
            checker.add(where, "this date appears twice.")
        checker.check_date(where, "date", night.date, today)
        seen_dates.add(night.date)
        nights.append((night, bed_name))

    seen_peg: set[date] = set()
    for number, raw in enumerate(data.get("peg_check_ins", []), start=1):
        where = f"PEG check-in {number}"
        check_in = checker.build(PegCheckIn, raw, PEG_FIELDS, where)
        if check_in is None:
            continue
        check_in.user = user
        checker.clean(check_in, where, exclude=["user"])
        if check_in.date in seen_peg:
            checker.add(where, "this date appears twice.")
        checker.check_date(where, "date", check_in.date, today)
        seen_peg.add(check_in.date)
        extra.peg.append(check_in)

    links: list[ShareLink] = []
    for number, raw in enumerate(data.get("share_links", []), start=1):
        where = f"Share link {number}"
        link = checker.build(ShareLink, raw, SHARE_LINK_FIELDS, where, extra={"has_passcode": None})
        if link is None:
            continue
        if not isinstance(raw.get("has_passcode", False), bool):
            checker.add(where, "has_passcode has the wrong type.")
        link.user = user
        # The secret token is not in the file: a fresh random hash nobody holds a token for.
        link.token_hash = ShareLink.hash_token(secrets.token_urlsafe(ShareLink.TOKEN_BYTES))
        link.passcode_hash = make_password(None) if raw.get("has_passcode") else ""  # unusable, keeps the fact
        link.revoked_at = link.revoked_at or timezone.now()
        checker.clean(link, where, exclude=["user"])
        if link.start and link.end and link.start > link.end:
            checker.add(where, "starts after it ends.")
        for name in ("start", "end"):
            checker.check_date(where, name, getattr(link, name), today)
        links.append(link)

    return checker.problems, profile, beds, nights, links


def _check_doses(checker: _Checker, night: Night, raw, medicine_names: set[str], where: str, extra: _Checked) -> None:
    """A night's medicines: a list of {"medicine": a name among the file's medicines, "doses", "taken_at"}."""
    if not isinstance(raw, list):
        checker.add(where, "medicines must be a list.")
        return
    seen: set[str] = set()
    for entry in raw:
        name = entry.get("medicine") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name not in medicine_names:
            checker.add(where, f"its medicine {name!r} is not among the medicines in the file.")
            continue
        if name in seen:
            checker.add(where, f"{name!r} is listed twice.")
        seen.add(name)
        dose = checker.build(MedicineDose, entry, DOSE_FIELDS, f"{where}, {name}", extra={"medicine": None})
        if dose is None:
            continue
        checker.clean(dose, f"{where}, {name}", exclude=["night", "medicine"])
        extra.doses.append((night, name, dose))


def restore_account(user, data) -> RestoreResult:
    """Restore a backup (as parsed from JSON) into `user`'s account, which must have no beds or nights.

    Nothing is written unless the whole file is valid; then everything is written in one
    transaction. Restored share links are revoked (their tokens are not in the backup).
    """
    if _has_diary_data(user):
        return RestoreResult(problems=[_NOT_EMPTY])
    try:
        extra = _Checked()
        problems, profile, beds, nights, links = _check(user, data, extra)
    except _Problems as stop:
        return RestoreResult(problems=stop.args[0])
    if problems:
        return RestoreResult(problems=problems)

    try:
        with transaction.atomic():
            # Lock the user row so two restores into the same account cannot interleave.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            if _has_diary_data(user):
                return RestoreResult(problems=[_NOT_EMPTY])
            existing = Profile.objects.filter(user=user).first()
            if existing is not None:
                profile.pk = existing.pk
            profile.save()
            for bed in beds:
                _save_as_is(bed)
            by_name = {bed.name: bed for bed in beds}
            for night, bed_name in nights:
                night.bed = by_name[bed_name]
                _save_as_is(night)
            for medicine in extra.medicines:
                _save_as_is(medicine)
            medicine_by_name = {medicine.name: medicine for medicine in extra.medicines}
            for night, name, dose in extra.doses:
                dose.night, dose.medicine = night, medicine_by_name[name]
            MedicineDose.objects.bulk_create([dose for _night, _name, dose in extra.doses])
            for check_in in extra.peg:
                _save_as_is(check_in)
            ShareLink.objects.bulk_create(links)
    except DatabaseError:
        return RestoreResult(problems=["The database refused this backup; nothing was restored."])
    return RestoreResult(
        beds=len(beds),
        nights=len(nights),
        share_links=len(links),
        medicines=len(extra.medicines),
        peg_check_ins=len(extra.peg),
    )


_NOT_EMPTY = (
    "This account already has beds, nights, medicines or weekly check-ins. "
    "A backup can only be restored into an empty account."
)


def _today_in(zone_name: str) -> date:
    try:
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(zone_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.localdate()


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
