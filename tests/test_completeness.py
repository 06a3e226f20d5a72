"""Completeness counts from the first logged night when the period starts before the diary
(issue 15, defect 11): "20 of 21 days", not "20 of 90", on the report, the PDF and the share page."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from diary.models import ShareLink
from diary.reporting import load_report
from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)
BEGAN = TODAY - timedelta(days=20)  # 21 days ago, counting today


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def new_diary(alice):
    """20 nights in the 21 days since the diary began (one missed)."""
    bed = make_bed(alice)
    for back in range(21):
        if back != 10:
            make_night(alice, bed, date=TODAY - timedelta(days=back))
    return alice


def flat(text: str) -> str:
    return " ".join(text.split())


EXPECTED = "20 nights logged out of 21 days since the diary began on 10 Nov 2026."


def test_the_summary_counts_from_the_first_night(new_diary):
    summary = load_report(new_diary, TODAY - timedelta(days=89), TODAY).summary
    assert (summary.nights_logged, summary.days_counted, summary.nights_in_period) == (20, 21, 90)
    assert summary.counted_from == BEGAN
    assert round(summary.completeness, 3) == round(20 / 21, 3)


def test_the_report_page_says_20_of_21_days(alice_client, new_diary):
    html = flat(alice_client.get("/report/?period=90").content.decode())
    assert EXPECTED in html and "out of 90 days" not in html


def test_the_pdf_says_20_of_21_days(alice_client, new_diary):
    pdf = alice_client.get("/report/pdf/?period=90").content
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert EXPECTED in text and "out of 90 days" not in text


def test_the_share_page_says_20_of_21_days(client, new_diary):
    _link, token = ShareLink.create_for(new_diary, start=TODAY - timedelta(days=89), end=TODAY, expiry_days=7)
    html = flat(client.get(f"/s/{token}/").content.decode())
    assert EXPECTED in html and "out of 90 days" not in html


def test_a_period_inside_the_diary_counts_every_day(alice_client, new_diary):
    html = flat(alice_client.get("/report/?period=14").content.decode())
    assert "13 nights logged out of 14 days in this period." in html


def test_a_diary_begun_long_before_the_period_counts_the_whole_period(alice_client, new_diary):
    make_night(new_diary, date=TODAY - timedelta(days=200))  # then a long gap
    html = flat(alice_client.get("/report/?period=90").content.decode())
    assert "20 nights logged out of 90 days in this period." in html
