"""The diary list: newest first, a summary per night, bed changes, 30 nights a page.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytest_django.asserts import assertContains

from tests.factories import make_bed, make_night
from tests.night_pages.helpers import TODAY, nights_for

# --- the diary list ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_empty_diary_says_what_to_do_next(alice_client):
    response = alice_client.get("/diary/")
    assertContains(response, "No nights logged yet")
    assertContains(response, 'href="/log/"')
    assertContains(response, 'href="/diary/import/"')


@pytest.mark.django_db
def test_the_diary_lists_nights_newest_first_with_a_summary_of_each(alice, alice_client, bed):
    make_night(alice, bed, date=date(2026, 11, 1), night_pain=2)
    make_night(
        alice,
        bed,
        date=date(2026, 11, 2),
        night_pain=8,
        woke_by_pain="late",
        morning_pain_minutes=90,
        pain_areas=["lower_back", "leg"],
        symptoms=["leg_weakness"],
    )
    html = alice_client.get("/diary/").content.decode()
    assert html.index("Mon 2 Nov 2026") < html.index("Sun 1 Nov 2026")
    for text in (
        "Pain 8",
        "pain-badge pain-8",
        "Woke towards morning",
        "Morning: 1 h 30 min",
        "Lower back, Down a leg",
    ):
        assert text in html
    assert "Bed: Old mattress" in html
    assert "Warning sign" in html
    for link in ("/diary/calendar/", "/diary/charts/", "/diary/export.csv", "/diary/import/", "/beds/"):
        assert f'href="{link}"' in html


@pytest.mark.django_db
def test_the_diary_says_in_words_whether_pain_woke_the_person(alice, alice_client, bed):
    make_night(alice, bed, date=date(2026, 11, 1), woke_by_pain="no")
    make_night(alice, bed, date=date(2026, 11, 2), woke_by_pain="early")
    make_night(alice, bed, date=date(2026, 11, 3), woke_by_pain="late")
    html = alice_client.get("/diary/").content.decode()
    assert html.index("Woke towards morning") < html.index("Woke early in the night") < html.index("Did not wake")


@pytest.mark.django_db
def test_the_diary_marks_the_first_night_on_a_different_bed(alice, alice_client, bed):
    sofa = make_bed(alice, "Sofa")
    make_night(alice, bed, date=date(2026, 11, 1))
    make_night(alice, sofa, date=date(2026, 11, 2))
    make_night(alice, sofa, date=date(2026, 11, 3))
    response = alice_client.get("/diary/")
    assertContains(response, "Bed changed: Old mattress → Sofa", count=1)


@pytest.mark.django_db
def test_the_bed_change_marker_sees_the_night_on_the_next_page(alice, alice_client, bed):
    sofa = make_bed(alice, "Sofa")
    nights_for(alice, 30, bed=sofa)  # 5 Oct to 3 Nov, page 1
    make_night(alice, bed, date=date(2026, 10, 4))  # page 2
    response = alice_client.get("/diary/")
    assertContains(response, "Bed changed: Old mattress → Sofa", count=1)
    assertContains(response, "Page 1 of 2")


@pytest.mark.django_db
def test_the_diary_shows_30_nights_a_page(alice, alice_client):
    nights_for(alice, 35)
    first, second = alice_client.get("/diary/"), alice_client.get("/diary/?page=2")
    assert len(first.context["page"].object_list) == 30
    assert [n.date for n in second.context["page"].object_list][0] == TODAY - timedelta(days=30)
    assert len(second.context["page"].object_list) == 5
    assertContains(first, 'href="?page=2"')
    assert alice_client.get("/diary/?page=banana").status_code == 200
    assert alice_client.get("/diary/?page=99").context["page"].number == 2
