"""The diary calendar: colours, numbers, bed changes, months.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_bed, make_night

# --- calendar ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_colours_each_logged_day_and_writes_the_number(alice, alice_client, bed):
    night = make_night(alice, bed, date=date(2026, 11, 2), night_pain=7)
    response = alice_client.get("/diary/calendar/?month=2026-11")
    assertContains(response, "<caption>November 2026: 1 night logged.")
    assertContains(response, "cal-day cal-day--logged pain-7")
    assertContains(response, f'href="/diary/{night.pk}/edit/"')
    assertContains(response, "Monday 2 November: night pain 7 out of 10")
    assertContains(response, '<th scope="col" abbr="Monday">Mon</th>', html=True)


@pytest.mark.django_db
def test_the_calendar_offers_to_log_empty_past_days_but_not_future_ones(alice_client):
    response = alice_client.get("/diary/calendar/?month=2026-11")
    assertContains(response, 'href="/log/?date=2026-11-01"')
    assertNotContains(response, 'href="/log/?date=2026-11-04"')


@pytest.mark.django_db
def test_the_calendar_marks_bed_changes_even_from_the_month_before(alice, alice_client, bed):
    sofa = make_bed(alice, "Sofa")
    make_night(alice, bed, date=date(2026, 9, 28))
    make_night(alice, sofa, date=date(2026, 10, 1))
    response = alice_client.get("/diary/calendar/?month=2026-10")
    assertContains(response, "bed changed from Old mattress to Sofa")
    assertContains(response, "cal-day--bed-change", count=1)


@pytest.mark.django_db
def test_the_calendar_moves_between_months(alice_client):
    response = alice_client.get("/diary/calendar/?month=2026-10")
    assertContains(response, 'href="?month=2026-09"')
    assertContains(response, 'href="?month=2026-11"')
    current = alice_client.get("/diary/calendar/")
    assertContains(current, "November 2026")
    assertNotContains(current, 'href="?month=2026-12"')


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2026-13", "nonsense", "0001-01", "2026"])
def test_a_bad_month_shows_this_month_with_a_message(alice_client, month):
    response = alice_client.get(f"/diary/calendar/?month={month}")
    assert response.status_code == 200
    assertContains(response, "Choose a month as YYYY-MM")
    assertContains(response, "<caption>November 2026")
