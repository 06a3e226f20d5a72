"""The diary's CSV format, both ways: an export re-imports into another account unchanged.

One row per night, under exactly this header::

    date,night_pain,woke_by_pain,pain_areas,morning_pain_minutes,eased_by,bed,temperature_c,
    night_urinations,symptoms,stress,day_pain,notes

* ``date`` is ``YYYY-MM-DD``, the morning the night ended; one row per date.
* multi-choice columns hold ``;``-separated codes (in the model's order on export);
* an empty cell means "not recorded": no codes, no temperature, ``woke_by_pain`` = ``no``,
  ``morning_pain_minutes`` = 0 (the model's default);
* ``bed`` is the bed's name and is required (every night is slept somewhere, and the bed-change
  rules depend on it); a name not yet in the account creates a new bed. Names are matched whatever their case,
  after trimming spaces.

Formula injection: spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula. On export such a cell gets a leading apostrophe, which
spreadsheets show as plain text. So that an export re-imports unchanged, the rule is a
bijection: export prefixes ``'`` to any cell matching ``'*[=+\\-@\\t\\r]`` (apostrophes, then
one of those characters), and import strips exactly one apostrophe from any cell matching
``'+[=+\\-@\\t\\r]``. A note the person typed as ``'=x`` exports as ``''=x`` and comes back as
``'=x``. Numeric columns never start with ``-`` (no field allows a negative number).

Medicines and the weekly PEG check-in travel in four optional columns after ``notes`` (issue 17):
see diary/transfer/csv_medicines.py. Files without them import as before.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date

from diary.choices import MULTI_CHOICE_FIELDS, codes_from_flags, flag_columns
from diary.models import Night
from diary.transfer.csv_medicines import (
    EXTRA_HEADER,
    medicine_cells,
    peg_cells,
)

HEADER = (
    "date",
    "night_pain",
    "woke_by_pain",
    "pain_areas",
    "morning_pain_minutes",
    "eased_by",
    "bed",
    "temperature_c",
    "night_urinations",
    "symptoms",
    "stress",
    "day_pain",
    "notes",
)
CODE_SEPARATOR = ";"

_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_WAS_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise_formula(cell: str) -> str:
    """The cell as written to CSV: a leading ``'`` if a spreadsheet would run it as a formula."""
    return "'" + cell if _NEEDS_QUOTE.match(cell) else cell


def restore_formula(cell: str) -> str:
    """Undo neutralise_formula(): strip the one apostrophe the export added."""
    return cell[1:] if _WAS_QUOTED.match(cell) else cell


# --- Export ---------------------------------------------------------------------------------

_SCALARS = (
    "date",
    "night_pain",
    "woke_by_pain",
    "morning_pain_minutes",
    "bed__name",
    "temperature_c",
    "night_urinations",
    "stress",
    "day_pain",
    "notes",
)


class _Line:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, line: str) -> str:
        return line


def export_lines(user, start: date | None = None, end: date | None = None, bom: bool = False) -> Iterator[str]:
    """The diary of `user` as CSV text, one line at a time (header first, oldest night first).

    Streams from the database in chunks, so a large diary never sits in memory. With `bom`, the
    first line starts with a UTF-8 byte-order mark, which Excel needs to read accents correctly.
    """
    writer = csv.writer(_Line())
    medicines, peg = medicine_cells(user, start, end), peg_cells(user, start, end)
    extended = bool(medicines or peg)  # the four optional columns only when there is data for them
    yield ("\ufeff" if bom else "") + writer.writerow(HEADER + EXTRA_HEADER if extended else HEADER)
    # Check-ins on dates without a night get rows of their own, in date order among the nights.
    lone_check_ins = sorted(peg)
    flags = [column for name in MULTI_CHOICE_FIELDS for column in flag_columns(name).values()]
    rows = (
        Night.objects.for_user(user)
        .in_period(start, end)
        .order_by("date")
        .values_list(*_SCALARS, *flags)
        .iterator(chunk_size=2000)
    )
    for row in rows:
        values = dict(zip(_SCALARS, row, strict=False))
        while lone_check_ins and lone_check_ins[0] < values["date"]:
            day = lone_check_ins.pop(0)
            yield writer.writerow([day.isoformat(), *[""] * (len(HEADER) - 1), "", *peg[day]])
        if lone_check_ins and lone_check_ins[0] == values["date"]:
            lone_check_ins.pop(0)
        offset = len(_SCALARS)
        multi = {}
        for name in MULTI_CHOICE_FIELDS:
            width = len(flag_columns(name))
            multi[name] = CODE_SEPARATOR.join(codes_from_flags(name, row[offset : offset + width]))
            offset += width
        cells = (
            values["date"].isoformat(),
            str(values["night_pain"]),
            values["woke_by_pain"],
            multi["pain_areas"],
            str(values["morning_pain_minutes"]),
            multi["eased_by"],
            values["bed__name"],
            _blank_if_none(values["temperature_c"]),
            _blank_if_none(values["night_urinations"]),
            multi["symptoms"],
            _blank_if_none(values["stress"]),
            _blank_if_none(values["day_pain"]),
            values["notes"],
        )
        if extended:
            day = values["date"]
            cells = (*cells, medicines.get(day, ""), *peg.get(day, ("", "", "")))
        yield writer.writerow([neutralise_formula(cell) for cell in cells])
    for day in lone_check_ins:
        yield writer.writerow([day.isoformat(), *[""] * (len(HEADER) - 1), "", *peg[day]])


def export_text(user, start: date | None = None, end: date | None = None) -> str:
    """The whole export as one string (for tests and small callers)."""
    return "".join(export_lines(user, start, end))


def _blank_if_none(value) -> str:
    return "" if value is None else str(value)
