"""The CSV's optional medicine and PEG columns (issue 17), after the 13 night columns::

    ...,notes,medicines,peg_pain,peg_enjoyment,peg_activity

* ``medicines``: the medicines taken that night, separated by ``;``, each written
  ``NAME DOSE UNIT (KIND) xCOUNT`` with an optional `` @HH:MM`` (time of the last dose), e.g.
  ``Ibuprofen 400 mg (nsaid) x2 @22:30; Paracetamol 1 g (paracetamol) x1``. UNIT is one of
  mg, g, mcg, ml, tablet; KIND one of nsaid, paracetamol, opioid, muscle_relaxant, nerve_pain,
  other. On import a name already in the account (whatever its case) means that medicine; a new
  name creates it with the dose, unit and kind written.
* ``peg_pain``, ``peg_enjoyment``, ``peg_activity``: the weekly PEG check-in of that date (all
  three or none, 0-10). A check-in on a date without a night has a row of its own whose night
  columns are all empty.

An export has these columns only when the diary has medicines taken or check-ins in it; a file
without them (every export before issue 17) imports as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.utils.translation import gettext

from diary.choices import DoseUnit, MedicineClass
from diary.models import MAX_DOSES_PER_NIGHT, Medicine, MedicineDose, PegCheckIn

EXTRA_HEADER = ("medicines", "peg_pain", "peg_enjoyment", "peg_activity")
PEG_COLUMNS = EXTRA_HEADER[1:]
ENTRY_SEPARATOR = ";"
_ENTRY = re.compile(
    r"(?P<name>.+?) (?P<dose>[0-9]{1,6}(?:\.[0-9]{1,2})?) (?P<unit>[a-z]+) \((?P<kind>[a-z_]+)\) "
    r"[x×](?P<count>[0-9]{1,3})(?: @(?P<time>[0-9]{1,2}:[0-9]{2}))?",
    re.IGNORECASE,
)
_NAME_MAX = Medicine._meta.get_field("name").max_length
_UNITS = tuple(DoseUnit.values)
_KINDS = tuple(MedicineClass.values)


@dataclass(frozen=True, slots=True)
class DoseCell:
    """One medicine entry of a ``medicines`` cell, checked."""

    name: str
    dose: Decimal
    unit: str
    kind: str
    count: int
    taken_at: time | None


# --- Export -------------------------------------------------------------------------------------


def medicine_cells(user, start: date | None, end: date | None) -> dict[date, str]:
    """The ``medicines`` cell of each night of `user` in [start, end] that has any (one query)."""
    rows = MedicineDose.objects.filter(night__user=user)
    if start:
        rows = rows.filter(night__date__gte=start)
    if end:
        rows = rows.filter(night__date__lte=end)
    cells: dict[date, list[str]] = {}
    for day, name, dose, unit, kind, count, taken_at in rows.order_by("night__date", "medicine__name").values_list(
        "night__date",
        "medicine__name",
        "medicine__dose",
        "medicine__unit",
        "medicine__medicine_class",
        "doses",
        "taken_at",
    ):
        entry = f"{name} {_number(dose)} {unit} ({kind}) x{count}" + (f" @{taken_at:%H:%M}" if taken_at else "")
        cells.setdefault(day, []).append(entry)
    return {day: f"{ENTRY_SEPARATOR} ".join(entries) for day, entries in cells.items()}


def peg_cells(user, start: date | None, end: date | None) -> dict[date, tuple[str, str, str]]:
    rows = PegCheckIn.objects.for_user(user)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return {
        day: (str(pain), str(enjoyment), str(activity))
        for day, pain, enjoyment, activity in rows.values_list("date", "pain", "enjoyment", "activity")
    }


def _number(dose: Decimal) -> str:
    """A dose as the file writes it, whatever the reader's language: "400", "0.5"."""
    return f"{dose.normalize():f}" if isinstance(dose, Decimal) else str(dose)


# --- Import -------------------------------------------------------------------------------------


def parse_medicines(text: str, problem) -> list[DoseCell]:
    """The entries of a ``medicines`` cell; each bad entry is a problem (column ``medicines``)."""
    entries: list[DoseCell] = []
    seen: set[str] = set()
    for raw in (part.strip() for part in text.split(ENTRY_SEPARATOR)):
        if not raw:
            continue
        match = _ENTRY.fullmatch(raw)
        if match is None:
            problem(
                "medicines",
                gettext("“%(entry)s” is not written NAME DOSE UNIT (KIND) xCOUNT, e.g. “Ibuprofen 400 mg (nsaid) x2”")
                % {"entry": short_cell(raw)},
            )
            continue
        name, unit, kind = " ".join(match["name"].split()), match["unit"].lower(), match["kind"].lower()
        unit = "tablet" if unit == "tablets" else unit
        count, dose = int(match["count"]), Decimal(match["dose"])
        taken_at = _time(match["time"]) if match["time"] else None
        reasons = []
        if len(name) > _NAME_MAX:
            reasons.append(gettext("the name is longer than %(most)s characters") % {"most": _NAME_MAX})
        if unit not in _UNITS:
            reasons.append(
                gettext("unknown unit “%(unit)s”; use one of: %(units)s") % {"unit": unit, "units": ", ".join(_UNITS)}
            )
        if kind not in _KINDS:
            reasons.append(
                gettext("unknown kind “%(kind)s”; use one of: %(kinds)s") % {"kind": kind, "kinds": ", ".join(_KINDS)}
            )
        if dose <= 0:
            reasons.append(gettext("the dose must be above 0"))
        if not 1 <= count <= MAX_DOSES_PER_NIGHT:
            reasons.append(gettext("the count must be from 1 to %(most)s") % {"most": MAX_DOSES_PER_NIGHT})
        if match["time"] and taken_at is None:
            reasons.append(gettext("“%(time)s” is not a time (HH:MM)") % {"time": match["time"]})
        if name.casefold() in seen:
            reasons.append(gettext("it is listed twice on this night"))
        seen.add(name.casefold())
        if reasons:
            problem("medicines", f"{short_cell(raw)}: {'; '.join(reasons)}")
            continue
        entries.append(DoseCell(name, dose, unit, kind, count, taken_at))
    return entries


def parse_peg(cells: dict[str, str], problem) -> tuple[int, int, int] | None:
    """The row's PEG check-in (all three 0-10 answers) or None when the three cells are empty."""
    texts = [cells.get(column, "").strip() for column in PEG_COLUMNS]
    if not any(texts):
        return None
    values = []
    for column, text in zip(PEG_COLUMNS, texts, strict=True):
        if not text:
            problem(column, gettext("give all three PEG answers (0 to 10), or none"))
        elif not re.fullmatch(r"[0-9]{1,2}", text) or int(text) > 10:
            problem(column, gettext("“%(text)s” is not a whole number from 0 to 10") % {"text": short_cell(text)})
        else:
            values.append(int(text))
    return tuple(values) if len(values) == 3 else None


def write_medicines_and_peg(user, nights_by_date: dict, doses: dict[date, list[DoseCell]], peg: dict, replace: bool):
    """Inside the import's transaction: create the new medicines, the night doses and the check-ins.

    `nights_by_date` maps each imported night's date to its (saved) Night. A check-in on a date
    that already has one is replaced only with `replace`; otherwise it is kept (the night rows
    decided the replace question already). Returns (medicines created, check-ins written).
    """
    medicines = {medicine.name.casefold(): medicine for medicine in Medicine.objects.for_user(user)}
    created = []
    for entries in doses.values():
        for entry in entries:
            if entry.name.casefold() not in medicines:
                medicine = Medicine(
                    user=user, name=entry.name, medicine_class=entry.kind, dose=entry.dose, unit=entry.unit
                )
                medicines[entry.name.casefold()] = medicine
                created.append(medicine)
    for medicine in created:
        medicine.save()
    MedicineDose.objects.bulk_create(
        [
            MedicineDose(
                night=nights_by_date[day],
                medicine=medicines[entry.name.casefold()],
                doses=entry.count,
                taken_at=entry.taken_at,
            )
            for day, entries in doses.items()
            for entry in entries
        ],
        batch_size=500,
    )
    existing = set(PegCheckIn.objects.for_user(user).filter(date__in=list(peg)).values_list("date", flat=True))
    if replace and existing:
        PegCheckIn.objects.for_user(user).filter(date__in=list(existing)).delete()
        existing = set()
    check_ins = [
        PegCheckIn(user=user, date=day, pain=p, enjoyment=e, activity=a)
        for day, (p, e, a) in peg.items()
        if day not in existing
    ]
    PegCheckIn.objects.bulk_create(check_ins)
    return tuple(medicine.name for medicine in created), len(check_ins)


def _time(text: str) -> time | None:
    hours, minutes = (int(part) for part in text.split(":"))
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


def short_cell(text: str, limit: int = 40) -> str:
    """A cell as quoted in a problem message: at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
