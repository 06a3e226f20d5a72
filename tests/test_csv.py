"""CSV import and export: the round trip, every kind of bad file, atomicity and the web pages."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from diary.models import Bed, Night, Profile
from diary.transfer import csv_import
from diary.transfer.csv_export import HEADER, export_lines, export_text
from diary.transfer.csv_import import MAX_PROBLEMS, parse_diary_csv
from tests.factories import make_bed, make_night

HEADER_LINE = ",".join(HEADER)
TODAY = date(2026, 11, 25)
NOON = datetime(2026, 11, 25, 12, tzinfo=UTC)
GOOD = {
    "date": "2026-11-01",
    "night_pain": "3",
    "woke_by_pain": "no",
    "pain_areas": "lower_back",
    "morning_pain_minutes": "10",
    "eased_by": "",
    "bed": "Old mattress",
    "temperature_c": "",
    "night_urinations": "",
    "symptoms": "",
    "stress": "",
    "day_pain": "",
    "notes": "",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(NOON, tick=False):
        yield


def row(**cells: str) -> str:
    """One CSV line (no line ending): a good night with some cells changed."""
    out = io.StringIO()
    csv.writer(out).writerow([{**GOOD, **cells}[name] for name in HEADER])
    return out.getvalue().removesuffix("\r\n")


def csv_bytes(*rows: str, header: str = HEADER_LINE) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def problems(data: bytes, user, **options) -> list[tuple[int | None, str, str]]:
    result = parse_diary_csv(data, user, **options)
    assert not result.imported
    return [(p.row, p.column, p.reason) for p in result.problems]


def problem_at(data: bytes, user, row_number: int | None, column: str) -> str:
    """The single problem reported, checked to be at (row, column); returns its reason."""
    (found,) = problems(data, user)
    assert found[:2] == (row_number, column)
    return found[2]


def comparable(user) -> list:
    """A user's nights with everything that must survive a round trip (not database ids)."""
    return [dataclasses.replace(record, bed_id=None) for record in Night.objects.for_user(user).records()]


# --- Round trip ----------------------------------------------------------------------------

TRICKY_NOTES = [
    'Woke at 3, then again at 5, "the usual"',
    "Line one\nline two\r\nline three",
    "Dolor de espalda — 背中の痛み — 😴",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-stiff",
    "@doctor",
    "\tindented",
    "'=typed with an apostrophe",
    "''+two apostrophes",
    "'just quoted",
    "  spaces kept  ",
]


def make_tricky_diary(user):
    mattress = make_bed(user, "Old mattress")
    sofa = make_bed(user, 'Sofa, living room "blue"')
    formula_bed = make_bed(user, "=cmd|' /C calc'!A0")
    beds = [mattress, sofa, formula_bed]
    for i, notes in enumerate(TRICKY_NOTES):
        make_night(
            user,
            bed=beds[i % 3],
            date=date(2026, 10, 1) + timedelta(days=i),
            night_pain=i % 11,
            woke_by_pain=["no", "early", "late"][i % 3],
            morning_pain_minutes=[0, 5, 1440, 45][i % 4],
            pain_areas=[[], ["leg", "lower_back"], ["flank_left", "flank_right", "buttock_left"]][i % 3],
            eased_by=[[], ["painkiller", "movement"]][i % 2],
            symptoms=[[], ["chills", "painful_urination"], ["weight_loss"]][i % 3],
            temperature_c=[None, Decimal("37.5"), Decimal("34.0"), Decimal("43.0")][i % 4],
            night_urinations=[None, 0, 20][i % 3],
            stress=[None, 0, 10][i % 3],
            day_pain=[None, 10, 4][i % 3],
            notes=notes,
        )
    make_night(user, bed=mattress, date=date(2026, 10, 30), night_pain=0, morning_pain_minutes=0)  # all empty


def test_export_then_import_into_another_account_is_identical(alice, bob):
    make_tricky_diary(alice)

    result = parse_diary_csv(export_text(alice).encode(), bob)

    assert result.ok, result.problems
    assert result.created == len(TRICKY_NOTES) + 1
    assert comparable(bob) == comparable(alice)
    assert sorted(Bed.objects.for_user(bob).values_list("name", flat=True)) == sorted(
        Bed.objects.for_user(alice).values_list("name", flat=True)
    )
    assert set(result.beds_created) == {"Old mattress", 'Sofa, living room "blue"', "=cmd|' /C calc'!A0"}


def test_export_import_export_gives_the_same_file(alice, bob):
    make_tricky_diary(alice)
    first = export_text(alice)

    parse_diary_csv(first.encode(), bob)

    assert export_text(bob) == first


def test_export_has_the_exact_header_and_oldest_night_first(alice):
    make_night(alice, date=date(2026, 11, 3))
    make_night(alice, date=date(2026, 11, 1))

    lines = export_text(alice).splitlines()

    assert lines[0] == HEADER_LINE
    assert [line[:10] for line in lines[1:]] == ["2026-11-01", "2026-11-03"]


def test_export_writes_codes_in_a_stable_order_and_empty_cells_for_not_recorded(alice):
    make_night(alice, pain_areas=["leg", "lower_back"], eased_by=["rest", "movement"], symptoms=[])

    (night,) = list(csv.DictReader(io.StringIO(export_text(alice))))

    assert night["pain_areas"] == "lower_back;leg"
    assert night["eased_by"] == "movement;rest"
    assert night["symptoms"] == night["temperature_c"] == night["stress"] == night["notes"] == ""
    assert night["woke_by_pain"] == "no"


@pytest.mark.parametrize(
    ("notes", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'plain", "'plain"),
        ("a=b", "a=b"),
    ],
)
def test_export_neutralises_formulas(alice, notes, written):
    make_night(alice, notes=notes)

    (night,) = list(csv.DictReader(io.StringIO(export_text(alice), newline="")))

    assert night["notes"] == written


def test_import_strips_only_the_apostrophe_the_export_added(alice):
    data = csv_bytes(
        row(date="2026-11-01", notes="'=SUM(A1)"),
        row(date="2026-11-02", notes="'hello"),
        row(date="2026-11-03", notes="''-x"),
    )

    assert parse_diary_csv(data, alice).ok
    notes = list(Night.objects.for_user(alice).order_by("date").values_list("notes", flat=True))
    assert notes == ["=SUM(A1)", "'hello", "'-x"]


def test_export_of_a_date_range(alice):
    for day in (1, 10, 20):
        make_night(alice, date=date(2026, 11, day))

    lines = export_text(alice, date(2026, 11, 5), date(2026, 11, 20)).splitlines()

    assert [line[:10] for line in lines[1:]] == ["2026-11-10", "2026-11-20"]


def test_ten_years_export_as_one_line_per_night(alice):
    bed = make_bed(alice)
    Night.objects.bulk_create(
        Night(user=alice, bed=bed, date=date(2016, 11, 1) + timedelta(days=i), night_pain=i % 11, notes="x, y")
        for i in range(3650)
    )

    # Speed is measured by `python -m benchmarks`, not in the suite.
    lines = sum(1 for _ in export_lines(alice))

    assert lines == 3651


# --- Import: what is accepted -----------------------------------------------------------------


def test_bed_names_match_whatever_their_case_as_on_the_log_form(alice):
    existing = make_bed(alice, "Sofa")
    data = csv_bytes(
        row(date="2026-11-01", bed="sofa"),
        row(date="2026-11-02", bed="Guest Bed"),
        row(date="2026-11-03", bed="guest bed"),
    )

    result = parse_diary_csv(data, alice)

    assert result.beds_created == ("Guest Bed",)
    nights = list(Night.objects.for_user(alice).order_by("date").select_related("bed"))
    assert nights[0].bed == existing
    assert nights[1].bed == nights[2].bed
    assert Bed.objects.for_user(alice).count() == 2


def test_nothing_helped_cannot_be_combined_with_something_that_helped(alice):
    reason = problem_at(csv_bytes(row(eased_by="nothing;rest")), alice, 2, "eased_by")
    assert "cannot be ticked together" in reason
    assert not Night.objects.for_user(alice).exists()


def test_import_creates_nights_and_new_beds_and_reuses_existing_beds(alice):
    existing = make_bed(alice, "Old mattress")
    data = csv_bytes(
        row(date="2026-11-01", bed="Old mattress"),
        row(date="2026-11-02", bed="  Futon  ", woke_by_pain="", morning_pain_minutes=""),
    )

    result = parse_diary_csv(data, alice)

    assert (result.created, result.replaced, result.beds_created) == (2, 0, ("Futon",))
    first, second = Night.objects.for_user(alice).order_by("date")
    assert first.bed == existing
    assert second.bed.name == "Futon"
    assert second.woke_by_pain == "no"  # empty means "no"
    assert second.morning_pain_minutes == 0


def test_import_reads_every_column(alice):
    data = csv_bytes(
        row(
            night_pain="7",
            woke_by_pain="LATE",
            pain_areas=" flank_left ; lower_back ;",
            morning_pain_minutes="1440",
            eased_by="hot_shower",
            temperature_c="38",
            night_urinations="20",
            symptoms="chills;painful_urination",
            stress="0",
            day_pain="10",
            notes="Hot, then cold",
        )
    )

    assert parse_diary_csv(data, alice).ok
    night = Night.objects.for_user(alice).get()
    assert (night.night_pain, night.woke_by_pain, night.morning_pain_minutes) == (7, "late", 1440)
    assert night.pain_areas == ("lower_back", "flank_left")
    assert night.eased_by == ("hot_shower",)
    assert night.symptoms == ("painful_urination", "chills")
    assert night.temperature_c == Decimal("38.0")
    assert (night.night_urinations, night.stress, night.day_pain) == (20, 0, 10)
    assert night.notes == "Hot, then cold"


def test_import_accepts_a_utf8_byte_order_mark_and_bare_newlines(alice):
    data = "\ufeff" + HEADER_LINE + "\n" + row(notes="Café") + "\n"

    assert parse_diary_csv(data.encode(), alice).ok
    assert Night.objects.for_user(alice).get().notes == "Café"


def test_blank_rows_are_skipped(alice):
    data = csv_bytes(row(date="2026-11-01"), "", ",,,,,,,,,,,,", row(date="2026-11-02"), "")

    assert parse_diary_csv(data, alice).created == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("night_pain", "0"),
        ("night_pain", "10"),
        ("morning_pain_minutes", "0"),
        ("morning_pain_minutes", "1440"),
        ("temperature_c", "34.0"),
        ("temperature_c", "43.0"),
        ("temperature_c", "43"),
        ("temperature_c", "37.50"),
        ("night_urinations", "0"),
        ("night_urinations", "20"),
        ("stress", "10"),
        ("day_pain", "10"),
        ("date", TODAY.isoformat()),
        ("notes", "x" * 4000),
        ("bed", "b" * 80),
    ],
)
def test_values_at_the_boundaries_are_accepted(alice, column, value):
    assert parse_diary_csv(csv_bytes(row(**{column: value})), alice).ok


# --- Import: every kind of bad file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("night_pain", "", "Choose how bad the pain was"),
        ("night_pain", "11", "from 0 (no pain) to 10"),
        ("night_pain", "-1", "from 0 (no pain) to 10"),
        ("night_pain", "3.5", "from 0 (no pain) to 10"),
        ("night_pain", "three", "from 0 (no pain) to 10"),
        ("night_pain", "٣", "from 0 (no pain) to 10"),
        ("night_pain", "9" * 5000, "from 0 (no pain) to 10"),
        ("stress", "99999999", "from 0 to 10"),
        ("morning_pain_minutes", "1441", "from 0 to 1440"),
        ("temperature_c", "33.9", "from 34.0 to 43.0 °C"),
        ("temperature_c", "43.1", "from 34.0 to 43.0 °C"),
        ("temperature_c", "37.55", "at most one decimal"),
        ("temperature_c", "37,5", "write it with a decimal point"),
        ("temperature_c", "hot", "Enter a temperature such as 37.8"),
        ("night_urinations", "21", "from 0 to 20"),
        ("stress", "11", "from 0 to 10"),
        ("day_pain", "11", "from 0 to 10"),
        ("woke_by_pain", "yes", "unknown answer “yes”; use one of: no, early, late"),
        ("pain_areas", "lower_back;neck", "unknown code “neck”"),
        ("eased_by", "yoga", "unknown code “yoga”"),
        ("symptoms", "fever,chills", "unknown code “fever,chills”"),
        ("date", "", "Enter the date of the morning this night ended"),
        ("date", "01/11/2026", "not a date written YYYY-MM-DD"),
        ("date", "2026-02-30", "not a date written YYYY-MM-DD"),
        ("date", "2026-11-26", "in the future (today is 25 November 2026)"),
        ("bed", "", "the bed is required"),
        ("bed", "   ", "the bed is required"),
        ("bed", "b" * 81, "at most 80 characters (it has 81)"),
        ("notes", "n" * 4001, "at most 4000 characters (it has 4001)"),
    ],
)
def test_bad_cells_are_reported_with_row_column_and_reason(alice, column, value, reason):
    data = csv_bytes(row(date="2026-10-31"), row(**{"date": "2026-11-02", column: value}))

    assert reason in problem_at(data, alice, 3, column)
    assert not Night.objects.exists()


def test_future_means_after_today_in_the_users_time_zone(alice, bob):
    Profile.objects.filter(user=bob).update(time_zone="Pacific/Auckland")
    late_evening_utc = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # already the 26th in Auckland
    data = csv_bytes(row(date="2026-11-26"))

    with time_machine.travel(late_evening_utc, tick=False):
        assert parse_diary_csv(data, bob).ok
        assert "in the future" in problem_at(data, alice, 2, "date")


def test_duplicate_dates_in_the_file(alice):
    data = csv_bytes(row(date="2026-11-01"), row(date="2026-11-02"), row(date="2026-11-01"))

    assert problem_at(data, alice, 4, "date") == "2026-11-01 is also on row 2; each night may appear once"


def test_a_date_already_in_the_diary_is_an_error_unless_replace(alice):
    make_night(alice, date=date(2026, 11, 1), night_pain=9, notes="old")
    data = csv_bytes(row(date="2026-11-01", night_pain="2", notes="new"), row(date="2026-11-02"))

    assert "already in your diary" in problem_at(data, alice, 2, "date")
    assert Night.objects.for_user(alice).count() == 1

    result = parse_diary_csv(data, alice, replace=True)

    assert (result.created, result.replaced) == (1, 1)
    night = Night.objects.for_user(alice).get(date=date(2026, 11, 1))
    assert (night.night_pain, night.notes) == (2, "new")


def test_replace_leaves_other_users_alone(alice, bob):
    make_night(bob, date=date(2026, 11, 1), notes="bob's")

    assert parse_diary_csv(csv_bytes(row(date="2026-11-01")), alice, replace=True).created == 1
    assert Night.objects.for_user(bob).get().notes == "bob's"


def test_one_bad_row_means_nothing_is_imported(alice):
    data = csv_bytes(
        row(date="2026-11-01", bed="New bed"),
        row(date="2026-11-02", night_pain="12"),
        row(date="2026-11-03"),
    )

    result = parse_diary_csv(data, alice)

    assert not result.ok
    assert not Night.objects.exists()
    assert not Bed.objects.exists()


def test_every_problem_is_reported_at_once(alice):
    data = csv_bytes(
        row(date="2026-11-01", night_pain="11", symptoms="sneezing"),
        row(date="2026-11-02"),
        row(date="2026-11-03", bed="", temperature_c="50"),
    )

    found = [(r, c) for r, c, _reason in problems(data, alice)]

    assert found == [(2, "night_pain"), (2, "symptoms"), (4, "bed"), (4, "temperature_c")]  # in column order


def test_problem_list_is_capped_with_a_count_of_the_rest(alice):
    data = csv_bytes(*(row(date=f"2026-{m:02}-{d:02}", night_pain="x") for m in (1, 2, 3, 4, 5) for d in range(1, 29)))

    result = parse_diary_csv(data, alice)

    assert len(result.problems) == MAX_PROBLEMS
    assert result.more_problems == 140 - MAX_PROBLEMS
    assert result.problem_count == 140


def test_rows_are_numbered_as_a_spreadsheet_shows_them_even_with_multi_line_notes(alice):
    data = csv_bytes(row(date="2026-11-01", notes="one\ntwo\nthree"), row(date="2026-11-02", night_pain="x"))

    problem_at(data, alice, 3, "night_pain")


@pytest.mark.parametrize(
    ("header", "reasons"),
    [
        (HEADER_LINE.replace(",notes", ""), ["missing column: notes"]),
        (HEADER_LINE + ",mood", ["unexpected column: “mood”"]),
        (HEADER_LINE.replace("date,night_pain", "night_pain,date"), ["the columns are in the wrong order"]),
        (HEADER_LINE.replace("stress", "night_pain"), ["missing column: stress", "column given twice: night_pain"]),
        (
            HEADER_LINE.replace(",", ";"),
            ["the columns are separated by “;”; save the file with commas between columns"],
        ),
        ("Date,Pain,Notes", [f"missing columns: {', '.join(HEADER)}", "unexpected columns: “Date”, “Pain”, “Notes”"]),
    ],
)
def test_wrong_headers_are_refused(alice, header, reasons):
    found = problems(csv_bytes(row(), header=header), alice)

    assert [reason for _row, _column, reason in found] == [*reasons, f"the first row must be exactly: {HEADER_LINE}"]
    assert all(row_number == 1 and column == "" for row_number, column, _reason in found)


def test_header_cells_may_have_surrounding_spaces(alice):
    assert parse_diary_csv(csv_bytes(row(), header=", ".join(HEADER)), alice).ok


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (csv_bytes(), "the file has a header row but no nights"),
        (csv_bytes("", ",,,,,,,,,,,,"), "the file has a header row but no nights"),
        ((HEADER_LINE + "\r\n" + row(notes="café")).encode("cp1252"), "the file is not UTF-8 text"),
        ((HEADER_LINE + "\r\n" + row()).encode("utf-16"), "the file is saved as UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a CSV text file"),
    ],
)
def test_unreadable_files_are_refused_with_a_plain_message(alice, data, reason):
    (found,) = problems(data, alice)

    assert found[0] is None
    assert reason in found[2]


def test_a_row_with_the_wrong_number_of_cells(alice):
    data = csv_bytes(row(date="2026-11-01"), row(date="2026-11-02") + ",extra", "2026-11-03,4")

    found = problems(data, alice)

    assert found == [
        (3, "", "this row has 14 cells; every row needs 13"),
        (4, "", "this row has 2 cells; every row needs 13"),
    ]


@pytest.mark.parametrize(
    "bad_line",
    [
        '2026-11-02,3,no,,0,,Bed,,,,,,"unterminated note',
        '2026-11-02,3,no,,0,,Bed,,,,,,"quoted" then text',
    ],
)
def test_malformed_csv_is_reported_not_crashed(alice, bad_line):
    data = csv_bytes(row(date="2026-11-01"), bad_line)

    (found,) = problems(data, alice)

    assert found[0] == 3
    assert "not valid CSV" in found[2]


def test_files_over_the_size_limit_are_refused(alice, settings):
    settings.DIARY_IMPORT_MAX_BYTES = 1000
    data = csv_bytes(*(row(date=f"2026-10-{d:02}") for d in range(1, 31)))
    assert len(data) > 1000

    (found,) = problems(data, alice)

    assert found == (None, "", "the file is larger than 1,000 bytes; split it into smaller files")


def test_files_over_the_row_limit_are_refused(alice, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 5)
    data = csv_bytes(*(row(date=f"2026-10-{d:02}") for d in range(1, 8)))

    (found,) = problems(data, alice)

    assert found[0] == 7
    assert "more than 5 nights" in found[2]


@hypothesis_settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.lists(
        st.lists(
            st.sampled_from(["", "3", "-1", "x", "2026-11-01", "lower_back;x", "'=1", '"', "\n", "99.99"]),
            min_size=0,
            max_size=15,
        ),
        max_size=6,
    )
)
def test_random_files_never_crash_and_never_half_import(alice, body):
    lines = [HEADER_LINE, *(",".join(cells) for cells in body)]
    before = Night.objects.count()

    result = parse_diary_csv("\n".join(lines).encode(), alice)

    assert result.ok or Night.objects.count() == before


# --- Web --------------------------------------------------------------------------------------


def upload(client, data: bytes, replace: bool = False, name: str = "diary.csv"):
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if replace:
        payload["replace"] = "on"
    return client.post(reverse("diary:import-csv"), payload)


@pytest.mark.parametrize("name", ["diary:import-csv", "diary:export-csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_upload_imports_nothing(client, alice):
    response = upload(client, csv_bytes(row()))

    assert response.status_code == 302
    assert not Night.objects.exists()


def test_the_example_on_the_import_page_imports(alice):
    from diary.views.transfer import EXAMPLE_ROWS

    assert parse_diary_csv(csv_bytes(*EXAMPLE_ROWS), alice).created == len(EXAMPLE_ROWS)


def test_import_page_explains_the_format_without_inline_styles_or_scripts(alice_client):
    response = alice_client.get(reverse("diary:import-csv"))

    assert response.status_code == 200
    page = response.content.decode()
    assert HEADER_LINE in page
    assert reverse("diary:export-csv") in page
    assert "Replace nights that already exist" in page
    assert 'type="file"' in page
    assert "style=" not in page
    assert "<style" not in page
    assert "<script>" not in page


def test_uploading_a_good_file_imports_and_redirects_to_the_diary(alice_client, alice, bob):
    response = upload(alice_client, csv_bytes(row(date="2026-11-01"), row(date="2026-11-02")))

    assert response.status_code == 302
    assert response["Location"] == reverse("diary:night-list")
    assert Night.objects.for_user(alice).count() == 2
    assert not Night.objects.for_user(bob).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Imported 2 nights (0 replaced). New bed: Old mattress."]


def test_uploading_a_bad_file_shows_every_problem_and_imports_nothing(alice_client):
    response = upload(alice_client, csv_bytes(row(date="2026-11-01", night_pain="12"), row(date="2099-01-01")))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported: 2 problems" in page
    assert "<code>night_pain</code>" in page
    assert "from 0 (no pain) to 10" in page
    assert "This date is in the future" in page
    assert not Night.objects.exists()


def test_problems_are_escaped_on_the_page(alice_client):
    response = upload(alice_client, csv_bytes(row(woke_by_pain="<script>x</script>")))

    assert b"<script>x</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_the_replace_checkbox_overwrites_existing_nights(alice_client, alice):
    make_night(alice, date=date(2026, 11, 1), night_pain=9)
    data = csv_bytes(row(date="2026-11-01", night_pain="1"))

    assert upload(alice_client, data).status_code == 200
    assert Night.objects.for_user(alice).get().night_pain == 9

    response = upload(alice_client, data, replace=True)

    assert response.status_code == 302
    assert Night.objects.for_user(alice).get().night_pain == 1
    assert [str(m) for m in response.wsgi_request._messages] == ["Imported 1 night (1 replaced)."]


def test_an_upload_over_the_limit_is_refused_cleanly(alice_client, settings):
    settings.DIARY_IMPORT_MAX_BYTES = 500

    response = upload(alice_client, csv_bytes(*(row(date=f"2026-10-{d:02}") for d in range(1, 20))))

    assert response.status_code == 200
    assert "the limit is 500" in response.content.decode()
    assert not Night.objects.exists()


def test_a_request_body_far_over_the_limit_is_refused_before_it_is_read(alice_client, settings):
    settings.DIARY_IMPORT_MAX_BYTES = 100

    response = upload(alice_client, b"x" * 200_000)

    assert response.status_code == 413
    assert "larger than 100" in response.content.decode()
    assert not Night.objects.exists()


def test_uploads_need_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = upload(client, csv_bytes(row()))

    assert response.status_code == 403
    assert not Night.objects.exists()


def test_an_upload_without_a_file_shows_the_form_again(alice_client):
    response = alice_client.post(reverse("diary:import-csv"), {})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def download(client, **params) -> tuple:
    response = client.get(reverse("diary:export-csv"), params)
    return response, b"".join(response.streaming_content).decode("utf-8") if response.status_code == 200 else ""


def test_download_contains_only_the_requesters_nights(alice_client, alice, bob):
    make_night(alice, date=date(2026, 11, 1), notes="alice's night")
    make_night(bob, date=date(2026, 11, 2), notes="bob's secret")

    response, text = download(alice_client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="night-diary-2026-11-01-to-2026-11-01.csv"'
    assert "no-store" in response["Cache-Control"]
    assert text.startswith("\ufeff" + HEADER_LINE)
    assert "alice's night" in text
    assert "bob's secret" not in text


def test_download_of_a_date_range_is_named_after_it(alice_client, alice):
    for day in (1, 10, 20):
        make_night(alice, date=date(2026, 11, day))

    response, text = download(alice_client, start="2026-11-05", end="2026-11-15")

    assert response["Content-Disposition"] == 'attachment; filename="night-diary-2026-11-05-to-2026-11-15.csv"'
    assert [line[:10] for line in text.splitlines()[1:]] == ["2026-11-10"]


def test_download_of_an_empty_diary_is_just_the_header(alice_client):
    response, text = download(alice_client)

    assert response["Content-Disposition"] == 'attachment; filename="night-diary-2026-11-25.csv"'
    assert text == "\ufeff" + HEADER_LINE + "\r\n"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "yesterday"}, "Enter the start date as YYYY-MM-DD."),
        ({"end": "2026-13-01"}, "Enter the end date as YYYY-MM-DD."),
        ({"start": "2026-11-10", "end": "2026-11-01"}, "The start date is after the end date."),
    ],
)
def test_download_with_bad_dates_is_a_clear_400(alice_client, params, message):
    response, _text = download(alice_client, **params)

    assert response.status_code == 400
    assert response.content.decode() == message


def test_web_download_then_web_upload_into_another_account_is_identical(alice_client, alice, bob):
    make_tricky_diary(alice)
    _response, text = download(alice_client)
    bob_client = Client()
    bob_client.force_login(bob)

    response = upload(bob_client, text.encode("utf-8"))

    assert response.status_code == 302
    assert comparable(bob) == comparable(alice)
