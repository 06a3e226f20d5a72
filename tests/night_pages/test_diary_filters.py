"""The diary filter: a date range, kept across pages, bad dates answered with a message.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from pytest_django.asserts import assertContains

from tests.factories import make_night
from tests.night_pages.helpers import TODAY, nights_for

# --- the diary filter --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_diary_filters_by_a_date_range(alice, alice_client):
    nights_for(alice, 10)
    response = alice_client.get("/diary/?start=2026-10-30&end=2026-11-01")
    dates = [n.date for n in response.context["page"].object_list]
    assert dates == [date(2026, 11, 1), date(2026, 10, 31), date(2026, 10, 30)]
    assertContains(response, 'href="/diary/export.csv?start=2026-10-30&amp;end=2026-11-01"')
    only_start = alice_client.get("/diary/?start=2026-11-02")
    assert [n.date for n in only_start.context["page"].object_list] == [TODAY, date(2026, 11, 2)]


@pytest.mark.django_db
def test_pages_of_a_filtered_diary_keep_the_filter(alice, alice_client):
    nights_for(alice, 40)
    response = alice_client.get("/diary/?start=2026-09-01&end=2026-11-03")
    assertContains(response, 'href="?start=2026-09-01&amp;end=2026-11-03&amp;page=2"')


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field_error"),
    [
        ("start=yesterday", "Enter the start date as YYYY-MM-DD."),
        ("start=2026-11-03&end=2026-11-01", "The start date is after the end date."),
        ("end=2026-13-45", "Enter the end date as YYYY-MM-DD."),
    ],
)
def test_bad_filter_dates_give_a_message_not_an_error_page(alice, alice_client, bed, query, field_error):
    make_night(alice, bed, date=TODAY)
    response = alice_client.get(f"/diary/?{query}")
    assert response.status_code == 200
    assertContains(response, "Those dates could not be used, so every night is shown.")
    assertContains(response, field_error)
    assert len(response.context["page"].object_list) == 1


@pytest.mark.django_db
def test_a_filter_with_no_nights_says_so(alice, alice_client, bed):
    make_night(alice, bed, date=TODAY)
    assertContains(alice_client.get("/diary/?start=2020-01-01&end=2020-01-31"), "No nights in these dates")
