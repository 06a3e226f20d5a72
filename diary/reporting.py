"""Loads a user's report: the one place the ORM meets the pure report rules.

The report page, the PDF, the FHIR bundle, share links and the diary_report command all call
load_report(), so every number is the same everywhere. diary_overview() is the one query the
diary and report pages make before reading nights (logged range, count, profile facts, PEG).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from diary.choices import MedicineClass
from diary.medication import MedicineInfo, MedicineTaken
from diary.models import (
    MG_PER_UNIT,
    BedTrial,
    Medicine,
    MedicineDose,
    Night,
    PegCheckIn,
    Profile,
    dose_text,
)
from diary.peg import PegRecord
from diary.rules import NightRecord, ProfileFacts, Report, build_report
from diary.units import format_temperature

CONTEXT_DAYS = 28
PROFILE_FACTS = tuple(field.name for field in fields(ProfileFacts))


class Unread:
    """The default of load_report(profile=…): not read yet (None means the user has no profile)."""


UNREAD = Unread()


@dataclass(frozen=True, slots=True)
class DiaryOverview:
    """What the diary and report pages need to know of a diary before they read its nights."""

    first: date | None  # first and latest logged night, as Night.objects.logged_range()
    last: date | None
    listed: int  # nights in the [start, end] asked for (all nights when neither is given)
    profile: ProfileFacts | None  # the facts the report rules read (None without a profile)
    # The weekly PEG check-in: date of the last one and the chosen weekday (diary.peg.check_in_due).
    peg_last: date | None
    peg_weekday: int | None
    has_trials: bool  # any planned bed trial (the report then looks one up)


def diary_overview(user, start: date | None = None, end: date | None = None) -> DiaryOverview:
    """The logged range, the number of nights in [start, end], the profile facts, the PEG
    check-in state and whether there is a bed trial, in one query from the user's row (issue 9
    allows at most 10 queries per page: this one stands for five)."""
    nights = Night.objects.filter(user=OuterRef("pk")).order_by()
    listed = nights.in_period(start, end).values("user").annotate(count=Count("pk")).values("count")
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            first_logged=Subquery(nights.order_by("date").values("date")[:1]),
            last_logged=Subquery(nights.order_by("-date").values("date")[:1]),
            listed=Coalesce(Subquery(listed), 0),
            peg_last=Subquery(PegCheckIn.objects.filter(user=OuterRef("pk")).order_by("-date").values("date")[:1]),
            has_trials=Exists(BedTrial.objects.filter(user=OuterRef("pk"))),
            peg_weekday=F("profile__peg_weekday"),
            **{fact: F(f"profile__{fact}") for fact in PROFILE_FACTS},
        )
        .get()
    )
    profile = {fact: row[fact] for fact in PROFILE_FACTS}
    return DiaryOverview(
        first=row["first_logged"],
        last=row["last_logged"],
        listed=row["listed"],
        # Without a profile row every fact reads NULL (a saved profile's booleans never do).
        profile=None if all(value is None for value in profile.values()) else ProfileFacts(**profile),
        peg_last=row["peg_last"],
        peg_weekday=row["peg_weekday"],
        has_trials=row["has_trials"],
    )


def load_report(
    user, start: date, end: date, *, profile: ProfileFacts | None | Unread = UNREAD, temperature_unit: str = "C"
) -> Report:
    """Build the report for the nights of `user` in [start, end].

    `profile` may be passed when the caller has already read it (diary_overview());
    findings write temperatures in `temperature_unit` (diary.units).
    """
    # Nights before the period are context only (the bed of the night before, bed-change baselines).
    nights = Night.objects.for_user(user).in_period(start - timedelta(days=CONTEXT_DAYS), end).records()
    if isinstance(profile, Unread):
        row = Profile.objects.filter(user=user).first()
        profile = row.facts() if row else None
    medicines, doses, peg = medicines_and_peg(user, start, end)
    nights = with_medicines(nights, doses)
    return build_report(
        nights,
        profile,
        start,
        end,
        partial(format_temperature, unit=temperature_unit),
        diary_start=_diary_start(user, nights, start),
        peg=peg,
        medicines=medicines,
    )


def _diary_start(user, nights: list, start: date) -> date:
    """The first logged night of the diary if it is inside the period, else `start` (the day
    completeness counts from). Reads the database only when the loaded context cannot tell."""
    if not nights or nights[0].date <= start:
        return start  # nothing logged yet, or a night on or before the first day
    if Night.objects.for_user(user).filter(date__lt=start - timedelta(days=CONTEXT_DAYS)).exists():
        return start  # logged long before the period, then a gap
    return nights[0].date


# The report's medicines, the doses taken in the period and the PEG check-ins of the period come
# in one UNION ALL query (issue 9 allows at most 10 queries per page; the report page had 9). Each
# branch fills its own columns; unused ones are NULL (typed in the first branch, as PostgreSQL
# resolves a UNION's column types from left to right). Values are read back with the model fields'
# to_python, so SQLite's text dates and PostgreSQL's date objects read the same.
MEDICINES_AND_PEG_SQL = """
SELECT 'medicine', m.id, m.name, m.medicine_class, m.dose, m.unit, m.current,
       CAST(NULL AS DATE), CAST(NULL AS SMALLINT), CAST(NULL AS TIME), CAST(NULL AS SMALLINT), CAST(NULL AS SMALLINT)
  FROM diary_medicine m WHERE m.user_id = %s
UNION ALL
SELECT 'dose', d.medicine_id, NULL, NULL, NULL, NULL, NULL,
       n.date, d.doses, d.taken_at, NULL, NULL
  FROM diary_medicinedose d JOIN diary_night n ON n.id = d.night_id
 WHERE n.user_id = %s AND n.date >= %s AND n.date <= %s
UNION ALL
SELECT 'peg', NULL, NULL, NULL, NULL, NULL, NULL,
       p.date, p.pain, NULL, p.enjoyment, p.activity
  FROM diary_pegcheckin p WHERE p.user_id = %s AND p.date >= %s AND p.date <= %s
"""


def medicines_and_peg(
    user, start: date, end: date
) -> tuple[list[MedicineInfo], dict[date, tuple[MedicineTaken, ...]], list[PegRecord]]:
    """`user`'s medicines (by name), the medicines taken on each night of [start, end], and the
    PEG check-ins of [start, end] (oldest first), in one query whatever the size of the diary."""
    with connection.cursor() as cursor:
        cursor.execute(MEDICINES_AND_PEG_SQL, [user.pk, user.pk, start, end, user.pk, start, end])
        rows = cursor.fetchall()
    labels = dict(MedicineClass.choices)
    infos: dict[int, MedicineInfo] = {}
    dose_mg: dict[int, Decimal | None] = {}
    for kind, medicine_id, name, medicine_class, dose, unit, current, *_rest in rows:
        if kind == "medicine":
            dose = _DOSE.to_python(dose)
            per_unit = MG_PER_UNIT.get(unit)
            dose_mg[medicine_id] = None if per_unit is None else dose * per_unit
            infos[medicine_id] = MedicineInfo(
                id=medicine_id,
                name=name,
                medicine_class=medicine_class,
                class_label=labels.get(medicine_class, ""),
                dose_text=dose_text(dose, unit),
                current=bool(current),
                dose_value=dose,
                dose_unit=unit,
            )
    by_date: dict[date, list[MedicineTaken]] = {}
    peg: list[PegRecord] = []
    for kind, medicine_id, *_medicine, day, number, taken_at, enjoyment, activity in rows:
        if kind == "dose":
            info = infos[medicine_id]
            by_date.setdefault(_DATE.to_python(day), []).append(
                MedicineTaken(
                    medicine_id=medicine_id,
                    name=info.name,
                    medicine_class=info.medicine_class,
                    doses=number,
                    dose_mg=dose_mg[medicine_id],
                    taken_at=_TIME.to_python(taken_at),
                )
            )
        elif kind == "peg":
            peg.append(PegRecord(_DATE.to_python(day), number, enjoyment, activity))
    medicines = sorted(infos.values(), key=lambda info: info.name.lower())
    doses = {day: tuple(sorted(taken, key=lambda t: t.name.lower())) for day, taken in by_date.items()}
    return medicines, doses, sorted(peg, key=lambda record: record.date)


_DOSE = Medicine._meta.get_field("dose")
_DATE = PegCheckIn._meta.get_field("date")
_TIME = MedicineDose._meta.get_field("taken_at")


def with_medicines(nights: list[NightRecord], doses: dict[date, tuple]) -> list[NightRecord]:
    """The night records with the medicines taken on them."""
    if not doses:
        return nights
    return [replace(night, medicines=doses[night.date]) if night.date in doses else night for night in nights]
