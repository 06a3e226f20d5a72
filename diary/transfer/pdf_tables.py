"""The PDF's tables of nights: one monospace text block per night (a table cell per value made
WeasyPrint take seconds for a year), and beyond NIGHT_TABLE_MAX_NIGHTS nights one row per week or
month. Used by diary.transfer.pdf."""

from __future__ import annotations

import calendar
import statistics
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from diary.choices import SHORT_LABELS
from diary.rules import NightRecord, has_fever, urgent_findings
from diary.units import from_celsius


def _labels(codes: frozenset[str]) -> str:
    # Sorted by the label table's order so every row lists things the same way.
    return ", ".join(str(label) for code, label in SHORT_LABELS.items() if code in codes)


# How the night table marks a night a clinician should see at once (words, so it survives grayscale).
FLAG_WORDS = {
    "warning": gettext_lazy("Warning sign: needs care the same day"),
    "fever": gettext_lazy("Fever: 38 °C (100.4 °F) or more"),
}


def night_flags(nights: tuple[NightRecord, ...] | list[NightRecord]) -> dict[date, str]:
    """ "warning" for nights with a warning sign (the report's urgent rules on that night alone,
    as the log form warns), "fever" for other nights of 38 °C or more."""
    flags: dict[date, str] = {}
    for night in nights:
        if urgent_findings(night):
            flags[night.date] = "warning"
        elif has_fever(night):
            flags[night.date] = "fever"
    return flags


def night_rows(
    nights: tuple[NightRecord, ...] | list[NightRecord],
    temperature_unit: str = "C",
    flags: dict[date, str] | None = None,
) -> list[dict[str, object]]:
    """One row per night for the table, with multi-choice answers as short words, the
    temperature in the person's unit and its flag ("warning", "fever" or "", see night_flags).

    The bed is named only on the first night and when it changes, so changes stand out.
    """
    flags = flags or {}
    previous_beds = [None, *(night.bed_name for night in nights)]
    return [
        {
            "date": night.date,
            "night_pain": night.night_pain,
            "woke": SHORT_LABELS.get(night.woke_by_pain, night.woke_by_pain),
            "areas": _labels(night.pain_areas),
            "morning_minutes": night.morning_pain_minutes,
            "eased_by": _labels(night.eased_by),
            "bed": night.bed_name if night.bed_name != previous_bed else "",
            "temperature_c": None
            if night.temperature_c is None
            else from_celsius(night.temperature_c, temperature_unit),
            "night_urinations": night.night_urinations,
            "symptoms": _labels(night.symptoms),
            "stress": night.stress,
            "notes": night.notes,
            "flag": flags.get(night.date, ""),
        }
        for night, previous_bed in zip(nights, previous_beds, strict=False)
    ]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str  # lazily translated
    width: int  # characters
    numeric: bool = False


# The night table is set in a monospace font, one text block per night: a table cell per value
# made WeasyPrint take several seconds for a year of nights; this takes a fraction of a second.
NIGHT_COLUMNS = (
    # Headings are translated: a translation must fit the column's width (the PDF legend explains them).
    Column("date", pgettext_lazy("PDF night table heading, 13 characters at most", "Date"), 13),
    Column("night_pain", pgettext_lazy("PDF night table heading, 4 characters at most", "Pain"), 4, numeric=True),
    Column("woke", pgettext_lazy("PDF night table heading, 5 characters at most", "Woke"), 5),
    Column("areas", pgettext_lazy("PDF night table heading, 18 characters at most", "Pain areas"), 18),
    Column("morning_minutes", pgettext_lazy("PDF night table heading, 4 characters at most", "AM"), 4, numeric=True),
    Column("eased_by", pgettext_lazy("PDF night table heading, 18 characters at most", "Eased by"), 18),
    Column("bed", pgettext_lazy("PDF night table heading, 12 characters at most", "Bed"), 12),
    # 100.4 (°F) needs five
    Column("temperature_c", pgettext_lazy("PDF night table heading, 5 characters at most", "Temp"), 5, numeric=True),
    Column("night_urinations", pgettext_lazy("PDF night table heading, 4 characters at most", "Urin"), 4, numeric=True),
    Column("symptoms", pgettext_lazy("PDF night table heading, 18 characters at most", "Symptoms"), 18),
    Column("stress", pgettext_lazy("PDF night table heading, 6 characters at most", "Stress"), 6, numeric=True),
)
COLUMN_GAP = "  "
TABLE_WIDTH = sum(column.width for column in NIGHT_COLUMNS) + len(COLUMN_GAP) * (len(NIGHT_COLUMNS) - 1)
NOTE_INDENT = NIGHT_COLUMNS[0].width + len(COLUMN_GAP)


def table_day(day: date) -> str:
    """A night's date in the fixed-width tables: 'Mon 2 Nov 26' (13 characters at most)."""
    return date_format(day, pgettext("PDF table date, 13 characters at most (Django date format)", "D j M y"))


def _cell_text(key: str, value: object) -> str:
    if value is None:
        return ""
    if key == "date":
        return table_day(value)
    if key == "temperature_c":
        return number_format(value)  # the reader's decimal mark: 38.4, Russian 38,4
    return str(value)


def _table_line(cells: list[list[str]], columns: tuple[Column, ...] = NIGHT_COLUMNS) -> list[str]:
    height = max(len(lines) for lines in cells)
    out = []
    for i in range(height):
        parts = []
        for column, lines in zip(columns, cells, strict=True):
            text = lines[i] if i < len(lines) else ""
            parts.append(text.rjust(column.width) if column.numeric else text.ljust(column.width))
        out.append(COLUMN_GAP.join(parts).rstrip())
    return out


def night_table(rows: list[dict[str, object]]) -> tuple[str, list[str]]:
    """The night table as fixed-width text: a heading line and one block of lines per night.

    Long answers wrap inside their column; a flagged night's flag, then notes, follow on their
    own lines under the night.
    """
    heading = _table_line([[str(column.heading)] for column in NIGHT_COLUMNS])[0]
    blocks = []
    for row in rows:
        cells = [
            textwrap.wrap(_cell_text(column.key, row[column.key]), column.width) or [""] for column in NIGHT_COLUMNS
        ]
        lines = _table_line(cells)
        if row.get("flag"):
            lines.append(" " * NOTE_INDENT + f"!! {FLAG_WORDS[str(row['flag'])]}")
        notes = str(row.get("notes") or "").strip()
        if notes:
            # The patient's own words, as written (the PDF's legend says so; Russian quotes them).
            note = pgettext("a night's note in the PDF", "Note: %(note)s") % {"note": " ".join(notes.split())}
            wrapped = textwrap.wrap(note, TABLE_WIDTH - NOTE_INDENT)
            lines += [" " * NOTE_INDENT + line for line in wrapped]
        blocks.append("\n".join(lines))
    return heading, blocks


def flagged_table(rows: list[dict[str, object]]) -> tuple[str, list[tuple[str, str]]]:
    """night_table with each block paired with its row's flag, so the template can mark the row."""
    heading, blocks = night_table(rows)
    return heading, [(block, str(row["flag"])) for block, row in zip(blocks, rows, strict=True)]


# --- A long period: the nights summarised by week or month -----------------------------------

# Beyond about three months a clinician reads a summary, not every night (issue 13): up to two
# years a row per week, longer a row per month (20 years: 240 rows). The nights the findings cite
# are still listed one by one, so every piece of evidence can be read.
NIGHT_TABLE_MAX_NIGHTS = 90
WEEKLY_UP_TO_DAYS = 731

SUMMARY_COLUMNS = (
    Column("label", pgettext_lazy("PDF summary heading, 13 characters at most", "Week of"), 13),
    Column("nights", pgettext_lazy("PDF summary heading, 6 characters at most", "Nights"), 6, numeric=True),
    Column("pain_mean", pgettext_lazy("PDF summary heading, 8 characters at most", "Pain avg"), 8, numeric=True),
    Column("pain_max", pgettext_lazy("PDF summary heading, 4 characters at most", "max"), 4, numeric=True),
    Column("woke", pgettext_lazy("PDF summary heading, 5 characters at most", "Woke"), 5, numeric=True),
    Column("morning_median", pgettext_lazy("PDF summary heading, 6 characters at most", "AM med"), 6, numeric=True),
    Column("temperature_max", pgettext_lazy("PDF summary heading, 8 characters at most", "Temp max"), 8, numeric=True),
    Column("symptom_nights", pgettext_lazy("PDF summary heading, 6 characters at most", "Sympt"), 6, numeric=True),
    Column("beds", pgettext_lazy("PDF summary heading, 34 characters at most", "Beds"), 34),
)


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One week or month of the period: how many nights were logged and what they held."""

    label: str
    nights: int
    pain_mean: str = ""
    pain_max: str = ""
    woke: str = ""  # nights woken by pain
    morning_median: str = ""
    temperature_max: str = ""
    symptom_nights: str = ""  # nights with any kidney-type or red-flag symptom
    beds: str = ""


def summary_unit(start: date, end: date) -> Literal["week", "month"]:
    return "week" if (end - start).days + 1 <= WEEKLY_UP_TO_DAYS else "month"


def _groups(start: date, end: date, unit: str) -> list[tuple[date, date]]:
    """Consecutive [first, last] spans covering start..end: ISO weeks (Monday first) or months."""
    spans = []
    first = start
    while first <= end:
        if unit == "week":
            last = first + timedelta(days=6 - first.weekday())
        else:
            last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        last = min(last, end)
        spans.append((first, last))
        first = last + timedelta(days=1)
    return spans


def night_summary(
    nights: tuple[NightRecord, ...] | list[NightRecord], start: date, end: date, temperature_unit: str = "C"
) -> tuple[str, list[SummaryRow]]:
    """The period as one row per week (up to two years) or month (longer), weeks or months
    without a logged night included, so missing data shows. Returns the unit and the rows."""
    unit = summary_unit(start, end)
    spans = _groups(start, end, unit)
    by_span: list[list[NightRecord]] = [[] for _ in spans]
    index = 0
    for night in sorted(nights, key=lambda n: n.date):
        while index < len(spans) and night.date > spans[index][1]:
            index += 1
        if index < len(spans) and night.date >= spans[index][0]:
            by_span[index].append(night)
    rows = []
    for (first, _last), group in zip(spans, by_span, strict=True):
        label = (
            table_day(first)
            if unit == "week"
            else date_format(first, pgettext("PDF summary month (Django date format)", "M Y"))
        )
        if not group:
            rows.append(SummaryRow(label, 0))
            continue
        pains = [n.night_pain for n in group]
        temperatures = [n.temperature_c for n in group if n.temperature_c is not None]
        beds = list(dict.fromkeys(n.bed_name for n in group))
        rows.append(
            SummaryRow(
                label=label,
                nights=len(group),
                pain_mean=number_format(statistics.fmean(pains), 1),
                pain_max=str(max(pains)),
                woke=str(sum(1 for n in group if n.woke_by_pain in ("early", "late"))),
                morning_median=f"{statistics.median(n.morning_pain_minutes for n in group):g}",
                temperature_max=number_format(from_celsius(max(temperatures), temperature_unit))
                if temperatures
                else "",
                symptom_nights=str(sum(1 for n in group if n.symptoms)),
                beds=", ".join(beds),
            )
        )
    return unit, rows


def summary_table(unit: str, rows: list[SummaryRow]) -> tuple[str, list[str]]:
    """The summary as fixed-width text, like the night table: a heading line and a line per row."""
    month = Column("label", pgettext("PDF summary heading, 13 characters at most", "Month"), 13)
    columns = SUMMARY_COLUMNS if unit == "week" else (month, *SUMMARY_COLUMNS[1:])
    heading = _table_line([[str(column.heading)] for column in columns], columns)[0]
    blocks = []
    for row in rows:
        cells = [textwrap.wrap(str(getattr(row, column.key)), column.width) or [""] for column in columns]
        blocks.append("\n".join(_table_line(cells, columns)))
    return heading, blocks
