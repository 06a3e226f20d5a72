"""The charts page: both charts, a text alternative, the period filter.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from pytest_django.asserts import assertContains

from tests.factories import make_bed, make_night
from tests.night_pages.helpers import TODAY

# --- charts ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_charts_page_draws_both_charts_with_a_text_alternative(alice, alice_client, bed):
    sofa = make_bed(alice, "Sofa")
    make_night(alice, bed, date=date(2026, 10, 20), night_pain=6, morning_pain_minutes=45)
    make_night(alice, sofa, date=date(2026, 11, 2), night_pain=2, morning_pain_minutes=5)
    response = alice_client.get("/diary/charts/")
    html = response.content.decode()
    assert html.count('role="img"') == 2
    assert "<title" in html and "<desc" in html
    assert "2 nights logged out of 14 days." in html
    assert "Night pain: 4 out of 10 on average, 6 at worst." in html
    assert "2 Nov 2026: Old mattress → Sofa" in html
    assert "Show the numbers as a table" in html


@pytest.mark.django_db
def test_the_charts_period_filter_limits_the_nights(alice, alice_client, bed):
    make_night(alice, bed, date=date(2026, 9, 1))
    make_night(alice, bed, date=date(2026, 11, 2))
    response = alice_client.get("/diary/charts/?period=14")
    assert response.context["period"].start == date(2026, 10, 20)
    assertContains(response, "1 night logged out of 14 days.")
    assertContains(response, 'href="?period=14" aria-current="page"')
    custom = alice_client.get("/diary/charts/?period=custom&start=2026-09-01&end=2026-09-30")
    assertContains(custom, "1 night logged out of 30 days.")


@pytest.mark.django_db
def test_a_bed_change_on_the_first_night_of_the_chart_period_is_marked(alice, alice_client, bed):
    sofa = make_bed(alice, "Sofa")
    make_night(alice, bed, date=date(2026, 9, 1))
    make_night(alice, sofa, date=date(2026, 10, 25))
    response = alice_client.get("/diary/charts/?period=14")
    assert [c.to_bed for c in response.context["bed_changes"]] == ["Sofa"]


@pytest.mark.django_db
def test_an_impossible_chart_period_gives_a_message_not_an_error_page(alice, alice_client, bed):
    make_night(alice, bed, date=TODAY)
    response = alice_client.get("/diary/charts/?period=custom&start=2026-11-03&end=2026-11-01")
    assert response.status_code == 200
    assertContains(response, "The start date is after the end date. Showing every night instead.")


@pytest.mark.django_db
def test_the_charts_of_an_empty_diary_say_what_to_do(alice_client):
    response = alice_client.get("/diary/charts/")
    assert response.status_code == 200
    assertContains(response, "No nights logged in this period yet.")
