"""The import_diary and export_diary management commands."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from diary.models import Night
from diary.transfer.csv_export import HEADER
from tests.factories import make_bed, make_night

HEADER_LINE = ",".join(HEADER)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        yield


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_diary", *args, stdout=out)
    return out.getvalue()


def import_(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_diary", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def records(user) -> list:
    return [dataclasses.replace(r, bed_id=None) for r in Night.objects.for_user(user).records()]


def test_export_prints_the_diary_as_csv(alice, bob):
    make_night(alice, date=date(2026, 11, 2), notes="second, with a comma", pain_areas=["lower_back", "leg"])
    make_night(alice, date=date(2026, 11, 1), notes="=1+1")
    make_night(bob, date=date(2026, 11, 1), notes="bob's")

    rows = list(csv.DictReader(io.StringIO(export("alice"), newline="")))

    assert [r["date"] for r in rows] == ["2026-11-01", "2026-11-02"]
    assert rows[0]["notes"] == "'=1+1"  # neutralised for spreadsheets
    assert rows[1]["notes"] == "second, with a comma"
    assert rows[1]["pain_areas"] == "lower_back;leg"
    assert "bob's" not in export("alice")


def test_export_accepts_an_email_and_a_date_range(alice):
    for day in (1, 10, 20):
        make_night(alice, date=date(2026, 11, day))

    text = export("ALICE@example.com", "--start", "2026-11-05", "--end", "2026-11-10")

    lines = text.splitlines()
    assert lines[0] == HEADER_LINE
    assert [line[:10] for line in lines[1:]] == ["2026-11-10"]


def test_export_of_an_empty_diary_is_the_header(alice):
    assert export("alice") == HEADER_LINE + "\r\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No user with the username or e-mail 'nobody'."),
        (["alice", "--start", "last week"], "--start 'last week' is not a date; use YYYY-MM-DD, e.g. 2026-11-01."),
        (
            ["alice", "--start", "2026-11-10", "--end", "2026-11-01"],
            "--start (2026-11-10) is after --end (2026-11-01).",
        ),
    ],
)
def test_export_errors(alice, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        export(*args)


def test_export_then_import_into_another_account_is_identical(alice, bob, tmp_path):
    mattress, sofa = make_bed(alice, "Old mattress"), make_bed(alice, "Sofa")
    make_night(alice, bed=mattress, date=date(2026, 11, 1), notes='Quote " and\nnew line', symptoms=["chills"])
    make_night(alice, bed=sofa, date=date(2026, 11, 2), night_pain=0, morning_pain_minutes=0, notes="@sofa")
    path = tmp_path / "diary.csv"
    path.write_text(export("alice"), encoding="utf-8", newline="")

    out, err = import_("bob@example.com", str(path))

    assert out.strip() == "Imported 2 nights (0 replaced). New beds: Old mattress, Sofa."
    assert err == ""
    assert records(bob) == records(alice)


def test_import_prints_every_problem_and_imports_nothing(alice, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER_LINE
        + "\n2026-11-01,3,no,,10,,Bed,,,,,,"
        + "\n2026-11-02,11,no,,10,,Bed,,,,,,"
        + "\n2026-11-03,3,sometimes,neck,10,,,,,,,,"
        + "\n",
        encoding="utf-8",
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 4 problems in"):
        call_command("import_diary", "alice", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "Row 3, night_pain: Choose a number from 0 (no pain) to 10 (worst imaginable).",
        "Row 4, woke_by_pain: unknown answer “sometimes”; use one of: no, early, late",
        "Row 4, pain_areas: unknown code “neck”; use any of: lower_back, upper_back, flank_left, flank_right, groin, "
        "buttock_left, buttock_right, leg, separated by “;”",
        "Row 4, bed: the bed is required: the name of the bed, sofa or mattress slept on",
    ]
    assert not Night.objects.exists()


def test_import_refuses_existing_dates_unless_replace(alice, tmp_path):
    make_night(alice, date=date(2026, 11, 1), night_pain=9)
    path = tmp_path / "one.csv"
    path.write_text(HEADER_LINE + "\n2026-11-01,1,no,,0,,Old mattress,,,,,,\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing imported: 1 problem in"):
        import_("alice", str(path))
    assert Night.objects.for_user(alice).get().night_pain == 9

    out, _err = import_("alice", str(path), "--replace")

    assert out.strip() == "Imported 1 night (1 replaced)."
    assert Night.objects.for_user(alice).get().night_pain == 1


def test_import_of_a_file_that_is_not_utf8(alice, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER_LINE + "\n2026-11-01,1,no,,0,,Lit de l'hôtel,,,,,,\n").encode("latin-1"))
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_diary", "alice", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().startswith("File: the file is not UTF-8 text")


def test_import_of_a_file_over_the_limit(alice, tmp_path, settings):
    settings.DIARY_IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_text(HEADER_LINE + "\n" + "2026-11-01,1,no,,0,,Bed,,,,,,\n" * 10, encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_diary", "alice", str(path), stdout=io.StringIO(), stderr=err)

    assert "larger than 100 bytes" in err.getvalue()


@pytest.mark.parametrize(
    ("username", "file_name", "message"),
    [
        ("nobody", "diary.csv", "No user with the username or e-mail 'nobody'."),
        ("alice", "missing.csv", "Cannot read"),
    ],
)
def test_import_errors(alice, tmp_path, username, file_name, message):
    (tmp_path / "diary.csv").write_text(HEADER_LINE + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        import_(username, str(tmp_path / file_name))


def test_import_exits_non_zero_from_the_shell(alice, tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "import_diary", "alice", str(path)]).execute()

    assert exit_info.value.code == 1
    assert "File: the file is empty" in capsys.readouterr().err
