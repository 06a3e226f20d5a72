"""CSV import: the other half of the format described in diary.transfer.csv_export.

All or nothing: every problem in the file is listed, and nothing is saved unless there are none.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from diary.dates import today_for
from diary.models import Bed, Night
from diary.transfer.csv_export import HEADER
from diary.transfer.csv_medicines import EXTRA_HEADER, short_cell, write_medicines_and_peg
from diary.transfer.csv_rows import NightRowForm, Row, parse_row

MAX_ROWS = 20_000  # about 55 years of nights; anything larger is not a diary
MAX_PROBLEMS = 100  # listed one by one; the rest are counted ("and N more")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an upload, located as a spreadsheet shows it (the header is row 1)."""

    row: int | None  # None: the file as a whole
    column: str  # "" when the whole row or file is at fault
    reason: str

    def __str__(self) -> str:
        where = [gettext("Row %(row)s") % {"row": self.row} if self.row else gettext("File")]
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: either problems (and nothing written) or the counts written."""

    problems: tuple[Problem, ...] = ()
    more_problems: int = 0  # problems found beyond the MAX_PROBLEMS listed
    created: int = 0
    replaced: int = 0
    beds_created: tuple[str, ...] = field(default_factory=tuple)
    medicines_created: tuple[str, ...] = field(default_factory=tuple)
    check_ins: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> int:
        return self.created + self.replaced

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems


class _Problems:
    """Collects problems, keeping the first MAX_PROBLEMS and counting the rest."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.more = 0

    def add(self, row: int | None, column: str, reason: str) -> None:
        if len(self.listed) < MAX_PROBLEMS:
            self.listed.append(Problem(row, column, reason))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.listed)

    def result(self) -> ImportResult:
        return ImportResult(problems=tuple(self.listed), more_problems=self.more)


def parse_diary_csv(data: bytes, user, replace: bool = False, today: date | None = None) -> ImportResult:
    """Validate a whole CSV upload for `user`, then import it in one transaction, or nothing.

    Every problem is collected before anything is written; if there is any, the database is not
    touched and the result lists them (row as a spreadsheet numbers it, column, reason). Nights
    whose date is already in the diary are a problem unless `replace`, which overwrites them.
    `today` (default: today in the user's own time zone) is the last date allowed.
    """
    if today is None:
        today = today_for(user)
    problems = _Problems()
    text = _decode(data, problems)
    if text is None:
        return problems.result()
    rows = _read_rows(text, today, problems)
    if problems or rows is None:
        return problems.result()

    existing = _existing_dates(user, [row.date for row in rows if row.has_night] or [rows[0].date])
    if not replace:
        for row in rows:
            if row.has_night and row.date in existing:
                problems.add(
                    row.number,
                    "date",
                    gettext(
                        "a night for %(date)s is already in your diary "
                        "(choose to replace existing nights to overwrite it)"
                    )
                    % {"date": row.date.isoformat()},
                )
        if problems:
            return problems.result()

    try:
        return _write(user, rows, existing, replace)
    except AccountGone:
        problems.add(None, "", str(ACCOUNT_GONE))
        return problems.result()
    except IntegrityError:
        # Someone (another tab, a second upload) saved a night or bed for one of these dates in
        # the meantime; the transaction rolled back, so nothing is half-imported.
        problems.add(
            None, "", gettext("your diary changed while this file was being imported; nothing was saved, try again")
        )
        return problems.result()


def _decode(data: bytes, problems: _Problems) -> str | None:
    limit = settings.DIARY_IMPORT_MAX_BYTES
    if len(data) > limit:
        problems.add(
            None,
            "",
            gettext("the file is larger than %(limit)s; split it into smaller files") % {"limit": human_size(limit)},
        )
        return None
    if not data.strip():
        problems.add(None, "", gettext("the file is empty"))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(None, "", gettext("the file is saved as UTF-16; save it as “CSV UTF-8” instead"))
        return None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark from Excel is fine
    except UnicodeDecodeError as error:
        problems.add(
            None,
            "",
            gettext(
                "the file is not UTF-8 text (unreadable byte at position %(position)s); "
                "if it is a spreadsheet, save it as “CSV UTF-8” and upload that"
            )
            % {"position": error.start},
        )
        return None
    if "\x00" in text:
        problems.add(None, "", gettext("the file is not a CSV text file (it contains binary data)"))
        return None
    return text


def human_size(n: int) -> str:
    """A byte count as people say it: 1,000 bytes, 64 kB, 1 MB."""
    if n < 1024:
        return ngettext("%(size)s byte", "%(size)s bytes", n) % {"size": number_format(n, force_grouping=True)}
    if n < 1024 * 1024:
        return gettext("%(size)s kB") % {"size": f"{n / 1024:.0f}"}
    size = f"{n / (1024 * 1024):.1f}".removesuffix(".0").replace(".", get_format("DECIMAL_SEPARATOR"))
    return gettext("%(size)s MB") % {"size": size}


def _read_rows(text: str, today: date, problems: _Problems) -> list[Row] | None:
    """Parse and check every row; returns None when the file cannot be read as our CSV at all."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    first_row_of_date: dict[date, int] = {}
    number = 0  # the spreadsheet row: records, not physical lines (a note may span several)
    columns = HEADER
    form = NightRowForm(today=today)
    try:
        for cells in reader:
            number += 1
            if number == 1:
                if not _header_ok(cells, problems):
                    return None
                columns = tuple(cell.strip() for cell in cells)
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank rows, as spreadsheets often leave at the end
            if number - 1 > MAX_ROWS:
                problems.add(
                    number,
                    "",
                    gettext("the file has more than %(most)s nights; split it into smaller files")
                    % {"most": number_format(MAX_ROWS, force_grouping=True)},
                )
                return None
            row = _data_row(number, cells, columns, form, first_row_of_date, problems)
            if row is not None:
                rows.append(row)
    except csv.Error as error:
        problems.add(
            number + 1,
            "",
            gettext("this row is not valid CSV (%(error)s); check for a stray quote mark") % {"error": error},
        )
        return None
    if number == 0:
        problems.add(None, "", gettext("the file is empty"))
        return None
    if not rows and not problems:
        problems.add(None, "", gettext("the file has a header row but no nights"))
        return None
    return rows


def _data_row(
    number: int,
    cells: list[str],
    columns: tuple[str, ...],
    form: NightRowForm,
    first_row_of_date: dict[date, int],
    problems: _Problems,
) -> Row | None:
    """One data row checked (its cell count, its answers through the night form, its date not
    seen on an earlier row), or None after a problem."""
    if len(cells) != len(columns):
        problems.add(
            number,
            "",
            gettext("this row has %(cells)s cells; every row needs %(columns)s")
            % {"cells": len(cells), "columns": len(columns)},
        )
        return None
    row, found = parse_row(number, cells, form, columns)
    for column, reason in found:
        problems.add(number, column, reason)
    if row is None:
        return None
    if row.date in first_row_of_date:
        problems.add(
            number,
            "date",
            gettext("%(date)s is also on row %(row)s; each night may appear once")
            % {"date": row.date.isoformat(), "row": first_row_of_date[row.date]},
        )
        return None
    first_row_of_date[row.date] = number
    return row


def _header_ok(cells: list[str], problems: _Problems) -> bool:
    found = [cell.strip() for cell in cells]
    if tuple(found) in (HEADER, HEADER + EXTRA_HEADER):
        return True
    expected = ",".join(HEADER)
    if len(found) == 1 and found[0].count(";") >= len(HEADER) - 1:
        # Spreadsheets set to some European locales save "CSV" with semicolons between columns.
        problems.add(1, "", gettext("the columns are separated by “;”; save the file with commas between columns"))
        problems.add(1, "", gettext("the first row must be exactly: %(header)s") % {"header": expected})
        return False
    missing = [name for name in HEADER if name not in found]
    extra = [name for name in found if name not in HEADER + EXTRA_HEADER]
    repeated = sorted({name for name in found if name in HEADER and found.count(name) > 1})
    if missing:
        problems.add(
            1,
            "",
            ngettext("missing column: %(names)s", "missing columns: %(names)s", len(missing))
            % {"names": ", ".join(missing)},
        )
    if extra:
        shown = ", ".join(f"“{short_cell(name)}”" for name in extra[:10])
        problems.add(
            1,
            "",
            ngettext("unexpected column: %(names)s", "unexpected columns: %(names)s", len(extra)) % {"names": shown},
        )
    if repeated:
        problems.add(
            1,
            "",
            ngettext("column given twice: %(names)s", "columns given twice: %(names)s", len(repeated))
            % {"names": ", ".join(repeated)},
        )
    if not (missing or extra or repeated):
        problems.add(1, "", gettext("the columns are in the wrong order"))
    problems.add(1, "", gettext("the first row must be exactly: %(header)s") % {"header": expected})
    return False


def _existing_dates(user, dates: list[date]) -> set[date]:
    # One query over the file's date range rather than a huge IN (...) list.
    found = Night.objects.for_user(user).in_period(min(dates), max(dates)).values_list("date", flat=True).iterator()
    wanted = set(dates)
    return {day for day in found if day in wanted}


ACCOUNT_GONE = gettext_lazy("this account was deleted while the file was being imported; nothing was saved")


class AccountGone(Exception):
    """The account was deleted (committed) before the import could lock it."""


def _write(user, rows: list[Row], existing: set[date], replace: bool = False) -> ImportResult:
    check_ins = {row.date: row.peg for row in rows if row.peg is not None}
    rows = [row for row in rows if row.has_night]
    with transaction.atomic():
        # Lock the account first: a deletion that started earlier finishes before this import
        # looks (and then there is nothing to import into); one that starts later waits for this
        # import and then deletes its nights too. Never a half-deleted account, never a 500.
        if not get_user_model().objects.select_for_update().filter(pk=user.pk).exists():
            raise AccountGone
        # Bed names match whatever their case, as on the log form ("Sofa" and "sofa" are one bed);
        # a new bed takes the spelling of its first row.
        beds = {name.casefold(): bed_id for name, bed_id in Bed.objects.for_user(user).values_list("name", "id")}
        spellings: dict[str, str] = {}
        for row in rows:
            spellings.setdefault(row.bed_name.casefold(), row.bed_name)
        medicines_created: tuple[str, ...] = ()
        written_check_ins = 0
        new_names = sorted(name for key, name in spellings.items() if key not in beds)
        if new_names:
            Bed.objects.bulk_create([Bed(user=user, name=name) for name in new_names])
            beds = {name.casefold(): bed_id for name, bed_id in Bed.objects.for_user(user).values_list("name", "id")}
        replaced = [row.date for row in rows if row.date in existing]
        for start in range(0, len(replaced), 500):
            Night.objects.for_user(user).filter(date__in=replaced[start : start + 500]).delete()
        nights = []
        for row in rows:
            night = Night(user=user, date=row.date, bed_id=beds[row.bed_name.casefold()], **row.values)
            for name, codes in row.multi.items():
                setattr(night, name, codes)  # the model's setter: codes to boolean columns
            nights.append(night)
        Night.objects.bulk_create(nights, batch_size=500)
        doses = {row.date: row.doses for row in rows if row.doses}
        if doses or check_ins:
            by_date = {}
            if doses:
                dates = sorted(doses)
                by_date = {
                    n.date: n for n in Night.objects.for_user(user).in_period(dates[0], dates[-1]).only("id", "date")
                }
            medicines_created, written_check_ins = write_medicines_and_peg(user, by_date, doses, check_ins, replace)
    return ImportResult(
        created=len(rows) - len(replaced),
        replaced=len(replaced),
        beds_created=tuple(new_names),
        medicines_created=medicines_created,
        check_ins=written_check_ins,
    )
