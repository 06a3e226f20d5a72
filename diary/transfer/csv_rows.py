"""One CSV row through the night form's rules (diary/transfer/csv_import.py reads the file).

NightRowForm is the log form with a file's wording; parse_row() turns a row's cells into a Row
ready to become a Night, or into problems located by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.utils.translation import gettext, gettext_lazy

from diary.choices import MULTI_CHOICE_FIELDS, WokeByPain
from diary.forms import NightForm
from diary.models import Bed
from diary.transfer.csv_export import CODE_SEPARATOR, HEADER, restore_formula
from diary.transfer.csv_medicines import PEG_COLUMNS, parse_medicines, parse_peg, short_cell
from diary.units import TemperatureUnit

_BED_NAME_MAX = Bed._meta.get_field("name").max_length
# Cells left empty mean what the log form starts with.
_EMPTY_MEANS = {"woke_by_pain": WokeByPain.NO.value, "morning_pain_minutes": "0"}


class NightRowForm(NightForm):
    """One CSV row through the log form's rules: the bed by name, temperatures in °C, dates ISO.

    Only the words change for a file (they name the codes to write); every rule is NightForm's.
    """

    bed = forms.CharField(
        max_length=_BED_NAME_MAX,
        error_messages={
            "required": gettext_lazy("the bed is required: the name of the bed, sofa or mattress slept on")
        },
    )
    morning_quick = new_bed_name = new_bed_kind = new_bed_firmness = None

    class Meta(NightForm.Meta):
        fields = [name for name in NightForm.Meta.fields if name != "bed"]  # a name, not a Bed

    check_date_taken = False

    def __init__(self, *, today: date):
        # Not NightForm.__init__: that sets up the page (defaults, layout, queries) for one night.
        forms.ModelForm.__init__(self, {})
        self.user = None
        self.today = today
        self.temperature_unit = TemperatureUnit.CELSIUS
        self.fields["date"].input_formats = ["%Y-%m-%d"]
        self.fields["date"].error_messages["invalid"] = gettext(
            "not a date written YYYY-MM-DD (for example 2026-11-01)"
        )
        self.fields["notes"].strip = False  # kept exactly as written: spaces, line breaks and all
        for name in ("woke_by_pain", *MULTI_CHOICE_FIELDS):
            field = self.fields[name]
            codes = ", ".join(str(value) for value, _label in field.choices)
            # %(value)s stays for Django to fill with the unknown code.
            message = (
                gettext("unknown code “%(value)s”; use any of: %(codes)s, separated by “%(separator)s”")
                if name in MULTI_CHOICE_FIELDS
                else gettext("unknown answer “%(value)s”; use one of: %(codes)s")
            )
            field.error_messages["invalid_choice"] = message % {
                "value": "%(value)s",
                "codes": codes,
                "separator": CODE_SEPARATOR,
            }

    def check(self, data: dict) -> dict:
        """`data`'s errors by field. One form checks every row: a form per row would copy all its
        fields each time, which made a large import three times slower."""
        self.data, self._errors = data, None
        return self.errors

    def _post_clean(self):
        # The database constraints repeat the fields' rules and would cost queries on every row;
        # the import builds its nights from cleaned_data and writes them in bulk.
        pass

    def row_values(self) -> tuple[dict, dict]:
        """(column values, multi-choice codes) for a Night."""
        skip = {"date", *MULTI_CHOICE_FIELDS}
        values = {name: self.cleaned_data[name] for name in self._meta.fields if name not in skip}
        return values, {name: self.cleaned_data[name] for name in MULTI_CHOICE_FIELDS}


@dataclass
class Row:
    """One validated row, ready to become a Night."""

    number: int
    date: date
    bed_name: str
    values: dict
    multi: dict
    doses: list = field(default_factory=list)  # csv_medicines.DoseCell entries
    peg: tuple[int, int, int] | None = None
    has_night: bool = True  # False: a row with only a PEG check-in


def parse_row(
    number: int, raw: list[str], form: NightRowForm, columns: tuple[str, ...] = HEADER
) -> tuple[Row | None, list[tuple[str, str]]]:
    """One row's cells as a Row (None when there is any problem), and its problems as (column,
    reason) in the order of the columns."""
    cells = dict(zip(columns, (restore_formula(cell) for cell in raw), strict=True))
    found: list[tuple[str, str]] = []

    def problem(column: str, reason: str) -> None:
        found.append((column, reason))

    peg = parse_peg(cells, problem) if PEG_COLUMNS[0] in cells else None
    doses = parse_medicines(cells.get("medicines", ""), problem)
    errors = form.check(_form_data(cells, problem))
    # A row with only a date and a PEG check-in records no night: only its date must be right.
    peg_only = not any(cells[name].strip() for name in HEADER[1:]) and not cells.get("medicines", "").strip()
    peg_given = any(cells.get(column, "").strip() for column in PEG_COLUMNS)
    for name, messages in errors.items():
        if not peg_only or name == "date" or (name == "night_pain" and not peg_given):
            problem(name, " ".join(messages))
    found.sort(key=lambda item: columns.index(item[0]))  # as the columns run
    if found or (peg_only and peg is None):
        return None, found
    if peg_only:
        return Row(number, form.cleaned_data["date"], "", {}, {}, peg=peg, has_night=False), found
    values, multi = form.row_values()
    row = Row(number, form.cleaned_data["date"], form.cleaned_data["bed"], values, multi, doses=doses, peg=peg)
    return row, found


def _form_data(cells: dict[str, str], problem) -> dict:
    """The night form's data from the row's cells, as the file format writes them."""
    data = {name: cells[name].strip() or _EMPTY_MEANS.get(name, "") for name in HEADER}
    data["notes"] = cells["notes"]
    for name in MULTI_CHOICE_FIELDS:
        data[name] = [code.strip().lower() for code in cells[name].split(CODE_SEPARATOR) if code.strip()]
    data["woke_by_pain"] = data["woke_by_pain"].lower()
    if "," in data["temperature_c"]:  # commas separate the file's columns; its decimal mark is "."
        text = short_cell(data.pop("temperature_c"))
        problem(
            "temperature_c",
            gettext("“%(text)s” is not a temperature in °C (write it with a decimal point, e.g. 37.5)")
            % {"text": text},
        )
    return data
