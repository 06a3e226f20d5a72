"""The checks of a backup before it is restored (diary/transfer/restore.py): every object is built
unsaved and validated (types, the models' validators, unknown codes, duplicates, dates, the beds
and medicines the nights name) so that restore writes only a wholly valid file.
"""

from __future__ import annotations

import secrets
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext

from diary.choices import MULTI_CHOICE_FIELDS
from diary.dates import date_problem
from diary.models import Bed, Medicine, MedicineDose, Night, PegCheckIn, Profile, ShareLink
from diary.transfer.backup import (
    BED_FIELDS,
    DOSE_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    MAX_ENTRIES,
    MEDICINE_FIELDS,
    NIGHT_FIELDS,
    PEG_FIELDS,
    PROFILE_FIELDS,
    READABLE_VERSIONS,
    SHARE_LINK_FIELDS,
    count_of,
    too_large,
)

MAX_PROBLEMS = 30  # enough to fix a file; more would bury the first ones


class StopRestore(Exception):
    """Raised to stop at the first structural problem (the rest of the file cannot be read)."""


class Checker:
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
            self.add(where, gettext("%(field)s is missing.") % {"field": name})
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
            self.add(
                where, gettext("%(field)s has the wrong type (%(type)s).") % {"field": name, "type": type(raw).__name__}
            )
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
            self.add(where, gettext("is not an object."))
            return None
        unknown = set(raw) - set(names) - set(extra or {})
        if unknown:
            self.add(where, gettext("unknown fields %(fields)s.") % {"fields": sorted(unknown)})
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
class Checked:
    """The backup's objects, built and checked, unsaved: what restore writes when there is no problem."""

    profile: Profile | None = None
    beds: list[Bed] = field(default_factory=list)
    nights: list[tuple[Night, str]] = field(default_factory=list)  # night, bed name
    medicines: list[Medicine] = field(default_factory=list)
    doses: list[tuple[Night, str, MedicineDose]] = field(default_factory=list)  # night, medicine name, dose
    peg: list[PegCheckIn] = field(default_factory=list)
    links: list[ShareLink] = field(default_factory=list)


def check_backup(user, data) -> tuple[list[str], Checked]:
    """Every problem of the file (at most MAX_PROBLEMS), and its objects built for `user`."""
    _check_shape(data)
    checker, checked = Checker(), Checked()
    profile = checked.profile = _check_profile(checker, user, data.get("profile", {}))
    # Dates must lie in the diary's one range, up to today in the zone the account will have.
    today = _today_in(profile.time_zone if profile is not None else Profile.time_zone_for(user))
    if profile is not None and profile.back_pain_since:
        checker.check_date(gettext("Profile"), "back_pain_since", profile.back_pain_since, today)
    same_name = gettext("appears twice (bed names are the same whatever their case).")
    checked.beds = _check_named(checker, user, data.get("beds", []), Bed, BED_FIELDS, gettext("Bed"), same_name)
    checked.medicines = _check_named(
        checker,
        user,
        data.get("medicines", []),
        Medicine,
        MEDICINE_FIELDS,
        gettext("Medicine"),
        gettext("appears twice."),
    )
    _check_nights(checker, user, data.get("nights", []), today, checked)
    checked.peg = _check_peg(checker, user, data.get("peg_check_ins", []), today)
    checked.links = _check_links(checker, user, data.get("share_links", []), today)
    return checker.problems, checked


def _check_shape(data) -> None:
    """Stop (StopRestore) at a file that is no backup, of an unknown version, or too large."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StopRestore([gettext("This is not a Night Back-Pain Diary backup file.")])
    if data.get("format_version") not in READABLE_VERSIONS:
        message = gettext("This backup has format version %(found)s; this site reads version %(version)s.")
        raise StopRestore([message % {"found": repr(data.get("format_version")), "version": FORMAT_VERSION}])
    for key in ("beds", "nights", "share_links", "medicines", "peg_check_ins"):
        if not isinstance(data.get(key, []), list):
            raise StopRestore([gettext("%(key)s must be a list.") % {"key": key}])
        if len(data.get(key, [])) > MAX_ENTRIES[key]:
            limit = formats.number_format(MAX_ENTRIES[key], force_grouping=True)
            what = gettext("%(count)s (at most %(limit)s)") % {"count": count_of(key, len(data[key])), "limit": limit}
            raise StopRestore([too_large(what)])


def _check_profile(checker: Checker, user, raw) -> Profile | None:
    where = gettext("Profile")
    profile = checker.build(Profile, raw, PROFILE_FIELDS, where)
    if profile is not None:
        profile.user = user
        checker.clean(profile, where, exclude=["user"])
        try:
            zoneinfo.ZoneInfo(profile.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            checker.add(where, gettext("unknown time zone %(zone)r.") % {"zone": profile.time_zone})
    return profile


def _check_named(checker: Checker, user, raws: list, model, names, label: str, twice: str) -> list:
    """Beds or medicines: each a `model` of `user` whose name is unique whatever its case."""
    objects: list = []
    for number, raw in enumerate(raws, start=1):
        obj = checker.build(model, raw, names, f"{label} {number}")
        if obj is None:
            continue
        obj.user = user
        checker.clean(obj, f"{label} {obj.name!r}", exclude=["user"])
        if any(other.name.lower() == obj.name.lower() for other in objects):
            checker.add(f"{label} {obj.name!r}", twice)
        objects.append(obj)
    return objects


def _check_nights(checker: Checker, user, raws: list, today: date, checked: Checked) -> None:
    """The nights and the medicines taken on them, into `checked` (their beds and medicines were checked first)."""
    bed_names = {bed.name for bed in checked.beds}
    medicine_names = {medicine.name for medicine in checked.medicines}
    seen_dates: set[date] = set()
    multi = tuple(MULTI_CHOICE_FIELDS)
    for number, raw in enumerate(raws, start=1):
        where = (
            gettext("Night %(date)s") % {"date": raw.get("date")}
            if isinstance(raw, dict) and isinstance(raw.get("date"), str)
            else gettext("Night %(number)s") % {"number": number}
        )
        night = checker.build(
            Night, raw, NIGHT_FIELDS, where, extra={"bed": None, "medicines": None, **dict.fromkeys(multi)}
        )
        if night is None:
            continue
        night.user = user
        _check_codes(checker, night, raw, where)
        bed_name = raw.get("bed")
        if not isinstance(bed_name, str) or bed_name not in bed_names:
            checker.add(where, gettext("its bed %(name)r is not among the beds in the file.") % {"name": bed_name})
        checker.clean(night, where, exclude=["user", "bed"])
        _check_doses(checker, night, raw.get("medicines", []), medicine_names, where, checked)
        if night.date in seen_dates:
            checker.add(where, gettext("this date appears twice."))
        checker.check_date(where, "date", night.date, today)
        seen_dates.add(night.date)
        checked.nights.append((night, bed_name))


def _check_codes(checker: Checker, night: Night, raw: dict, where: str) -> None:
    """A night's multi-choice answers: each a list of known codes."""
    for name in MULTI_CHOICE_FIELDS:
        codes = raw.get(name, [])
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            checker.add(where, gettext("%(field)s must be a list of codes.") % {"field": name})
            continue
        try:
            setattr(night, name, codes)
        except ValueError as error:
            checker.add(where, str(error))


def _check_peg(checker: Checker, user, raws: list, today: date) -> list[PegCheckIn]:
    check_ins: list[PegCheckIn] = []
    seen: set[date] = set()
    for number, raw in enumerate(raws, start=1):
        where = gettext("PEG check-in %(number)s") % {"number": number}
        check_in = checker.build(PegCheckIn, raw, PEG_FIELDS, where)
        if check_in is None:
            continue
        check_in.user = user
        checker.clean(check_in, where, exclude=["user"])
        if check_in.date in seen:
            checker.add(where, gettext("this date appears twice."))
        checker.check_date(where, "date", check_in.date, today)
        seen.add(check_in.date)
        check_ins.append(check_in)
    return check_ins


def _check_links(checker: Checker, user, raws: list, today: date) -> list[ShareLink]:
    links: list[ShareLink] = []
    for number, raw in enumerate(raws, start=1):
        where = gettext("Share link %(number)s") % {"number": number}
        link = checker.build(ShareLink, raw, SHARE_LINK_FIELDS, where, extra={"has_passcode": None})
        if link is None:
            continue
        if not isinstance(raw.get("has_passcode", False), bool):
            checker.add(where, gettext("%(field)s has the wrong type.") % {"field": "has_passcode"})
        link.user = user
        # The secret token is not in the file: a fresh random hash nobody holds a token for.
        link.token_hash = ShareLink.hash_token(secrets.token_urlsafe(ShareLink.TOKEN_BYTES))
        link.passcode_hash = make_password(None) if raw.get("has_passcode") else ""  # unusable, keeps the fact
        link.revoked_at = link.revoked_at or timezone.now()
        checker.clean(link, where, exclude=["user"])
        if link.start and link.end and link.start > link.end:
            checker.add(where, gettext("starts after it ends."))
        for name in ("start", "end"):
            checker.check_date(where, name, getattr(link, name), today)
        links.append(link)
    return links


def _check_doses(checker: Checker, night: Night, raw, medicine_names: set[str], where: str, checked: Checked) -> None:
    """A night's medicines: a list of {"medicine": a name among the file's medicines, "doses", "taken_at"}."""
    if not isinstance(raw, list):
        checker.add(where, gettext("%(key)s must be a list.") % {"key": "medicines"})
        return
    seen: set[str] = set()
    for entry in raw:
        name = entry.get("medicine") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name not in medicine_names:
            checker.add(
                where, gettext("its medicine %(name)r is not among the medicines in the file.") % {"name": name}
            )
            continue
        if name in seen:
            checker.add(where, gettext("%(name)r is listed twice.") % {"name": name})
        seen.add(name)
        dose = checker.build(MedicineDose, entry, DOSE_FIELDS, f"{where}, {name}", extra={"medicine": None})
        if dose is None:
            continue
        checker.clean(dose, f"{where}, {name}", exclude=["night", "medicine"])
        checked.doses.append((night, name, dose))


def _today_in(zone_name: str) -> date:
    try:
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(zone_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.localdate()
