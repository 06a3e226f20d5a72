"""One range of diary dates everywhere: 1900-01-01 to today in the person's zone (issue 13, item 8).

Year 1 came in through the CSV import and then crashed the report, the PDF and the FHIR bundle
(date arithmetic before year 1 overflows); a custom period or a share link from year 1 crashed
the same way. The range lives in diary/dates.py; restore's side is in tests/test_backup.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.dates import EARLIEST_DATE, date_problem
from diary.forms_share import ShareLinkForm
from diary.period import PeriodForm
from diary.transfer.csv_import import parse_diary_csv
from tests.factories import make_night
from tests.test_csv import csv_bytes, row

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (date(1, 1, 1), "before 1900-01-01"),
        (date(1899, 12, 31), "before 1900-01-01"),
        (EARLIEST_DATE, ""),
        (TODAY, ""),
        (TODAY + timedelta(days=1), "in the future"),
        (date(9999, 12, 31), "in the future"),
    ],
)
def test_the_one_range_runs_from_1900_to_today(day, problem):
    found = date_problem(day, TODAY)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31"])
def test_the_csv_import_refuses_dates_before_1900(alice, text):
    result = parse_diary_csv(csv_bytes(row(date=text)), alice)
    assert not result.ok
    assert "after 1900" in result.problems[0].reason


@pytest.mark.parametrize("name", ["diary:report", "diary:report-pdf", "diary:report-fhir"])
def test_a_custom_period_in_year_1_is_refused_not_a_crash(alice_client, alice, name):
    make_night(alice, date=timezone.localdate() - timedelta(days=1))
    response = alice_client.get(reverse(name), {"period": "custom", "start": "0001-01-01", "end": "0001-01-10"})
    assert response.status_code in (200, 400)  # the page says why; the FHIR endpoint answers 400 with the reason
    if response.status_code == 400:
        assert "1900-01-01" in response.content.decode()


def test_a_period_before_1900_says_why():
    period = PeriodForm({"period": "custom", "start": "1899-12-01", "end": "1900-01-10"}, today=TODAY).period
    assert "1900-01-01" in period.error


def test_a_share_link_cannot_start_before_1900(alice):
    form = ShareLinkForm({"start": "0001-01-01", "end": "0001-01-10", "expiry_days": 7})
    assert not form.is_valid()
    assert "1900" in form.errors["start"][0]


@pytest.mark.parametrize("name", ["diary:report", "diary:report-pdf", "diary:report-fhir"])
def test_a_night_stored_in_year_1_before_the_range_was_enforced_does_not_crash_the_report(alice_client, alice, name):
    make_night(alice, date=date(1, 1, 1))
    make_night(alice, date=timezone.localdate() - timedelta(days=1))
    assert alice_client.get(reverse(name)).status_code == 200
