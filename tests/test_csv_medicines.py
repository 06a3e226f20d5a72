"""CSV: the optional medicines and PEG columns (issue 17) go out and come back; old files still import."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
import time_machine

from diary.models import Medicine, MedicineDose, Night, PegCheckIn
from diary.transfer.csv_export import HEADER, export_text
from diary.transfer.csv_import import parse_diary_csv
from diary.transfer.csv_medicines import EXTRA_HEADER
from tests.factories import make_night

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 25, 12, tzinfo=UTC)
NIGHT = dict.fromkeys(HEADER, "") | {"date": "2026-11-01", "night_pain": "3", "bed": "Old mattress"}


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(NOON, tick=False):
        yield


def file_of(*rows: dict, header=HEADER + EXTRA_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in header])
    return out.getvalue().encode()


def reasons(result) -> list[str]:
    return [f"{problem.column}: {problem.reason}" for problem in result.problems]


def alices_diary(alice):
    first = make_night(alice, date=date(2026, 11, 1), night_pain=6)
    make_night(alice, date=date(2026, 11, 2), night_pain=2)
    ibuprofen = Medicine.objects.create(user=alice, name="Ibuprofen", medicine_class="nsaid", dose=400)
    codeine = Medicine.objects.create(
        user=alice, name="Co-codamol", medicine_class="opioid", dose=Decimal(2), unit="tablet", current=False
    )
    MedicineDose.objects.create(night=first, medicine=ibuprofen, doses=2, taken_at=time(22, 30))
    MedicineDose.objects.create(night=first, medicine=codeine, doses=1)
    PegCheckIn.objects.create(user=alice, date=date(2026, 11, 1), pain=6, enjoyment=5, activity=4)
    PegCheckIn.objects.create(user=alice, date=date(2026, 11, 8), pain=4, enjoyment=4, activity=3)  # no night


def test_the_export_adds_the_medicine_and_peg_columns(alice):
    alices_diary(alice)
    rows = list(csv.reader(io.StringIO(export_text(alice))))
    assert tuple(rows[0]) == HEADER + EXTRA_HEADER
    assert rows[1][len(HEADER) :] == [
        "Co-codamol 2 tablet (opioid) x1; Ibuprofen 400 mg (nsaid) x2 @22:30",
        "6",
        "5",
        "4",
    ]
    assert rows[2][len(HEADER) :] == ["", "", "", ""]
    assert rows[3] == ["2026-11-08", *[""] * (len(HEADER) - 1), "", "4", "4", "3"]  # a check-in without a night


def test_a_diary_without_medicines_or_check_ins_exports_the_old_columns(alice):
    make_night(alice, date=date(2026, 11, 1))
    assert export_text(alice).splitlines()[0] == ",".join(HEADER)


def test_export_then_import_into_another_account_keeps_medicines_and_check_ins(alice, bob):
    alices_diary(alice)
    result = parse_diary_csv(export_text(alice).encode(), bob)
    assert result.ok, reasons(result)
    assert (result.created, result.check_ins, set(result.medicines_created)) == (2, 2, {"Ibuprofen", "Co-codamol"})
    assert export_text(bob) == export_text(alice)
    codeine = Medicine.objects.get(user=bob, name="Co-codamol")
    assert (codeine.medicine_class, codeine.dose, codeine.unit) == ("opioid", Decimal(2), "tablet")


def test_an_import_uses_a_medicine_already_in_the_account_whatever_its_case(bob):
    ibuprofen = Medicine.objects.create(user=bob, name="Ibuprofen", medicine_class="nsaid", dose=200)
    result = parse_diary_csv(file_of(NIGHT | {"medicines": "IBUPROFEN 400 mg (nsaid) x3"}), bob)
    assert result.ok and result.medicines_created == ()
    assert MedicineDose.objects.get().medicine == ibuprofen and MedicineDose.objects.get().doses == 3


def test_an_old_13_column_file_still_imports(bob):
    result = parse_diary_csv(file_of(NIGHT, header=HEADER), bob)
    assert result.ok and result.created == 1 and not MedicineDose.objects.exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"medicines": "Ibuprofen 400 mg (nsaid) x-1"}, "medicines: “Ibuprofen 400 mg (nsaid) x-1” is not written"),
        ({"medicines": "Ibuprofen -400 mg (nsaid) x1"}, "is not written NAME DOSE UNIT (KIND) xCOUNT"),
        ({"medicines": "Ibuprofen 400 mg (nsaid) x0"}, "the count must be from 1 to 24"),
        ({"medicines": "Ibuprofen 400 mg (nsaid) x25"}, "the count must be from 1 to 24"),
        ({"medicines": "Ibuprofen 400 mg (herbal) x1"}, "unknown kind “herbal”"),
        ({"medicines": "Ibuprofen 400 kg (nsaid) x1"}, "unknown unit “kg”"),
        ({"medicines": "Ibuprofen 400 mg (nsaid) x1 @25:00"}, "is not a time"),
        ({"medicines": "Ibuprofen 400 mg (nsaid) x1; ibuprofen 400 mg (nsaid) x2"}, "listed twice"),
        (
            {"peg_pain": "11", "peg_enjoyment": "3", "peg_activity": "3"},
            "peg_pain: “11” is not a whole number from 0 to 10",
        ),
        ({"peg_pain": "5"}, "peg_enjoyment: give all three PEG answers"),
    ],
)
def test_bad_medicine_and_peg_cells_are_refused_and_nothing_is_written(bob, cells, expected):
    result = parse_diary_csv(file_of(NIGHT | cells), bob)
    assert not result.ok
    assert any(expected in reason for reason in reasons(result)), reasons(result)
    assert not Night.objects.exists() and not Medicine.objects.exists() and not PegCheckIn.objects.exists()
