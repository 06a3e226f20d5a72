"""The clinician PDF: what a doctor reads, checked through the text pypdf extracts."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from diary.dates import date_ranges
from diary.models import Night, Profile
from diary.rules import RULE_CODES, NightRecord, build_report
from diary.transfer.pdf import bed_runs, render_report_pdf
from diary.transfer.pdf_tables import (
    NIGHT_TABLE_MAX_NIGHTS,
    TABLE_WIDTH,
    night_rows,
    night_summary,
    night_table,
    summary_table,
)
from tests.factories import make_bed, make_diary, make_night

TODAY = date(2026, 12, 1)
URL = reverse("diary:report-pdf")
A4_POINTS = (595, 842)
LETTER_POINTS = (612, 792)


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        yield


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def known_diary(alice):
    """Three weeks on an old mattress, then a week on a new one; the last night has leg weakness."""
    old, new = make_bed(alice, "Old mattress"), make_bed(alice, "Memory foam")
    for i in range(21):
        make_night(alice, old, date=date(2026, 11, 2) + timedelta(days=i), night_pain=6, morning_pain_minutes=40)
    for i in range(7):
        make_night(alice, new, date=date(2026, 11, 23) + timedelta(days=i), night_pain=4, morning_pain_minutes=20)
    night = Night.objects.get(user=alice, date=date(2026, 11, 29))
    night.symptom_leg_weakness = True
    night.temperature_c = Decimal("37.4")
    night.night_urinations = 2
    night.stress = 7
    night.notes = "Left leg felt weak on the stairs"
    night.save()
    return alice


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_pdf_is_an_attachment_named_after_the_period_and_never_cached(alice_client, known_diary):
    response = alice_client.get(URL, {"period": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="night-pain-report-2026-11-02-to-2026-11-29.pdf"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_pdf_holds_the_findings_period_and_every_night(alice_client, known_diary):
    pages = pdf_pages(alice_client.get(URL, {"period": "all"}).content)
    text = flat(" ".join(pages))
    assert "2 Nov 2026 to 29 Nov 2026" in text
    assert "28 nights logged out of 28 days in this period" in text
    assert "Seek medical care today" in text
    # Clinical titles and the clinician's wording, never an internal code.
    assert "Possible cauda equina signs" in text
    assert "The patient logged new weakness in a leg with back pain on 29 Nov 2026" in text
    assert "Morning stiffness over 30 minutes" in text
    for code in RULE_CODES:
        assert code not in text
    assert "Nights (1): 29 Nov 2026" in text
    # The night table: one row per night, with the answers of the last one.
    assert "Every night in the period" in text
    for day in ("Mon 2 Nov 26", "Sun 15 Nov 26", "Sun 29 Nov 26"):
        assert day in text
    assert "leg weakness" in text
    assert "37.4" in text
    assert "Left leg felt weak on the stairs" in text
    assert "Bed history" in text
    assert "23 Nov 2026: Old mattress → Memory foam" in text


@pytest.mark.django_db
def test_page_one_holds_who_period_completeness_and_key_numbers(alice_client, known_diary):
    first = flat(pdf_pages(alice_client.get(URL, {"period": "all"}).content)[0])
    assert "Night back-pain diary report" in first
    assert "Name not included by the patient" in first
    assert "28 nights logged out of 28 days" in first
    assert "Key numbers" in first
    assert "mean 5.5 · median 6 · worst 6" in first
    assert "Nights woken by pain" in first
    assert "Findings, most urgent first" in first
    assert first.index("Seek medical care today") < first.index("Book an appointment")


@pytest.mark.django_db
def test_every_page_says_self_reported_not_a_diagnosis_and_its_number(alice_client, known_diary):
    pages = pdf_pages(alice_client.get(URL, {"period": "all"}).content)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = flat(page)
        assert "Self-reported by the patient" in text
        assert "Not a diagnosis" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Generated 1 Dec 2026" in text


@pytest.mark.django_db
def test_pdf_follows_the_chosen_period(alice_client, known_diary):
    response = alice_client.get(URL, {"period": "custom", "start": "2026-11-10", "end": "2026-11-12"})
    text = flat(" ".join(pdf_pages(response.content)))
    assert "10 Nov 2026 to 12 Nov 2026" in text
    assert "3 nights logged out of 3 days" in text
    assert "Tue 10 Nov 26" in text
    assert "Mon 9 Nov 26" not in text
    assert "Fri 13 Nov 26" not in text
    assert "2026-11-10-to-2026-11-12" in response["Content-Disposition"]


@pytest.mark.django_db
def test_name_is_printed_only_when_the_user_chooses_it(alice_client, known_diary):
    Profile.objects.filter(user=known_diary).update(display_name="Alice Example")
    without = flat(" ".join(pdf_pages(alice_client.get(URL).content)))
    with_name = flat(" ".join(pdf_pages(alice_client.get(URL, {"include_name": "1"}).content)))
    assert "Alice Example" not in without
    assert "Name not included by the patient" in without
    assert "Patient Alice Example" in with_name


@pytest.mark.django_db
def test_name_falls_back_to_the_account_name(alice_client, alice):
    alice.first_name, alice.last_name = "Alice", "Liddell"
    alice.save()
    make_night(alice, date=date(2026, 11, 20))
    text = flat(" ".join(pdf_pages(alice_client.get(URL, {"include_name": "1"}).content)))
    assert "Alice Liddell" in text


@pytest.mark.django_db
def test_paper_is_a4_by_default_and_letter_on_request(alice_client, known_diary):
    a4 = PdfReader(io.BytesIO(alice_client.get(URL).content)).pages[0].mediabox
    letter = PdfReader(io.BytesIO(alice_client.get(URL, {"paper": "letter"}).content)).pages[0].mediabox
    assert (round(a4.width), round(a4.height)) == A4_POINTS
    assert (round(letter.width), round(letter.height)) == LETTER_POINTS


@pytest.mark.django_db
def test_empty_diary_still_gives_a_valid_pdf(alice_client):
    response = alice_client.get(URL)
    assert response.content.startswith(b"%PDF")
    text = flat(" ".join(pdf_pages(response.content)))
    assert "0 nights logged" in text
    assert "No nights were logged in this period." in text


@pytest.mark.django_db
def test_only_the_requesters_nights_are_in_the_pdf(alice_client, alice, bob):
    make_night(alice, date=date(2026, 11, 20), notes="alice-note")
    make_night(bob, date=date(2026, 11, 20), notes="bob-secret-note")
    text = flat(" ".join(pdf_pages(alice_client.get(URL).content)))
    assert "alice-note" in text
    assert "bob-secret-note" not in text


@pytest.mark.django_db
def test_a_year_of_nights_works(alice_client, alice):
    make_diary(alice, 365, seed=7, end=date(2026, 11, 30))
    response = alice_client.get(URL, {"period": "all"})
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    text = flat(" ".join(pages))
    logged = Night.objects.filter(user=alice).count()
    assert f"{logged} nights logged" in text
    assert "Mon 30 Nov 26" in text  # the last week's row of the summary
    # A year is summarised week by week (issue 13); the nights the findings cite follow one by one.
    assert "The period week by week" in text
    assert "The nights the findings cite" in text
    # However many findings a year brings, page 1 still holds the summary, both charts and the findings.
    first = flat(pages[0])
    assert "Key numbers" in first
    assert first.count("Morning the night ended") == 2  # the x-axis title of each chart
    assert "Findings, most urgent first" in first


def test_notes_are_escaped_and_cannot_pull_in_files():
    night = NightRecord(
        date=date(2026, 11, 1), night_pain=3, bed_name="<b>Bed</b>", notes='<img src="file:///etc/passwd"> & more'
    )
    report = build_report([night], None, date(2026, 11, 1), date(2026, 11, 1))
    pdf = render_report_pdf(report, patient_name="<script>x</script>", paper="A4", generated_at=datetime.now(UTC))
    text = flat(" ".join(pdf_pages(pdf)))
    assert '<img src="file:///etc/' in text  # printed as text (the narrow column may wrap it)
    assert 'passwd"> & more' in text
    assert "<b>Bed</b>" in text
    assert "<script>x</script>" in text


def test_paper_must_be_a4_or_letter():
    report = build_report([], None, date(2026, 11, 1), date(2026, 11, 1))
    with pytest.raises(ValueError, match="paper"):
        render_report_pdf(report, patient_name=None, paper="A3", generated_at=datetime.now(UTC))  # type: ignore[arg-type]


def test_evidence_dates_are_written_as_compact_runs():
    days = [date(2026, 10, 28), date(2026, 10, 29), date(2026, 10, 30), date(2026, 10, 31), date(2026, 11, 1)]
    assert date_ranges(days) == "28 Oct–1 Nov 2026"
    assert date_ranges([date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 6)]) == "3 Nov, 5–6 Nov 2026"
    assert date_ranges([date(2025, 12, 31), date(2026, 1, 2)]) == "31 Dec 2025, 2 Jan 2026"
    assert date_ranges([]) == ""


def test_bed_history_joins_consecutive_nights_on_one_bed():
    nights = [
        NightRecord(date=date(2026, 11, d), night_pain=3, bed_name=bed)
        for d, bed in [(1, "Old"), (2, "Old"), (4, "New"), (5, "Old")]
    ]
    runs = bed_runs(nights)
    assert [(r.bed_name, r.first.day, r.last.day, r.nights) for r in runs] == [
        ("Old", 1, 2, 2),
        ("New", 4, 4, 1),
        ("Old", 5, 5, 1),
    ]
    assert [row["bed"] for row in night_rows(nights)] == ["Old", "", "New", "Old"]


def test_night_table_wraps_long_answers_in_their_column_and_puts_notes_below():
    night = NightRecord(
        date=date(2026, 11, 2),
        night_pain=7,
        woke_by_pain="late",
        pain_areas=frozenset({"lower_back", "flank_left", "buttock_right", "leg"}),
        morning_pain_minutes=45,
        bed_name="Old mattress",
        temperature_c=Decimal("38.1"),
        night_urinations=3,
        stress=6,
        notes="Woke at 4 am;\nwalked it off.",
    )
    heading, (block,) = night_table(night_rows([night]))
    lines = block.split("\n")
    assert heading.split() == [
        "Date",
        "Pain",
        "Woke",
        "Pain",
        "areas",
        "AM",
        "Eased",
        "by",
        "Bed",
        "Temp",
        "Urin",
        "Symptoms",
        "Stress",
    ]
    assert lines[0].startswith("Mon 2 Nov 26      7  late   lower back, L")
    assert "38.1" in lines[0] and lines[0].endswith("6")
    assert "R buttock" in block
    assert lines[-1].strip() == "Note: Woke at 4 am; walked it off."
    assert all(len(line) <= TABLE_WIDTH for line in lines)


# --- A long period: a summary by week or month, the cited nights one by one (issue 13, item 7) ---


def _nights(first: date, count: int, **values) -> list[NightRecord]:
    return [
        NightRecord(date=first + timedelta(days=i), night_pain=values.get("pain", 4), bed_name="Old mattress")
        for i in range(count)
    ]


@pytest.mark.django_db
def test_up_to_ninety_nights_every_night_is_listed(alice_client, alice):
    make_diary(alice, NIGHT_TABLE_MAX_NIGHTS, seed=3, end=date(2026, 11, 30))
    text = flat(" ".join(pdf_pages(alice_client.get(URL, {"period": "all"}).content)))
    assert "Every night in the period" in text
    assert "week by week" not in text


@pytest.mark.django_db
def test_a_long_period_is_summarised_by_week_and_still_lists_the_cited_nights(alice_client, alice):
    make_diary(alice, 120, seed=4, end=date(2026, 11, 30))
    night = Night.objects.get(user=alice, date=date(2026, 11, 10))
    night.symptom_leg_weakness = True
    night.notes = "Left leg gave way on the stairs"
    night.save()
    text = flat(" ".join(pdf_pages(alice_client.get(URL, {"period": "all"}).content)))
    assert "The period week by week" in text
    assert "The nights the findings cite" in text
    assert "Tue 10 Nov 26" in text and "Left leg gave way on the stairs" in text  # an urgent finding's night
    assert "Wed 11 Nov 26" not in text  # an uncited night is only counted in its week


def test_the_summary_has_a_row_per_week_including_weeks_without_a_night():
    nights = _nights(date(2026, 1, 5), 14) + _nights(date(2026, 2, 2), 7, pain=8)  # Mondays; a gap in between
    unit, rows = night_summary(nights, date(2026, 1, 5), date(2026, 2, 8))
    assert unit == "week"
    assert [(row.label, row.nights) for row in rows] == [
        ("Mon 5 Jan 26", 7),
        ("Mon 12 Jan 26", 7),
        ("Mon 19 Jan 26", 0),
        ("Mon 26 Jan 26", 0),
        ("Mon 2 Feb 26", 7),
    ]
    assert (rows[-1].pain_mean, rows[-1].pain_max, rows[-1].beds) == ("8.0", "8", "Old mattress")


def test_beyond_two_years_the_summary_has_a_row_per_month():
    start, end = date(2016, 12, 1), date(2026, 11, 30)
    unit, rows = night_summary(_nights(start, (end - start).days + 1), start, end)
    assert unit == "month"
    assert len(rows) == 120
    assert (rows[0].label, rows[0].nights, rows[-1].label, rows[-1].nights) == ("Dec 2016", 31, "Nov 2026", 30)
    heading, blocks = summary_table(unit, rows)
    assert heading.startswith("Month") and len(blocks) == 120


def test_a_ten_year_pdf_lists_months_not_3650_nights():
    nights = _nights(date(2016, 12, 1), 3652)
    report = build_report(nights, None, nights[0].date, nights[-1].date)
    content = render_report_pdf(report, patient_name=None, generated_at=datetime(2026, 12, 1, tzinfo=UTC))
    pages = pdf_pages(content)
    text = flat(" ".join(pages))
    assert "The period month by month" in text
    assert "Dec 2016" in text and "Nov 2026" in text
    assert "Mon 1 Jun 20" not in text  # a night no finding cites is not a row of its own
    assert len(pages) <= 6  # not the ~80 pages of 3,650 rows
