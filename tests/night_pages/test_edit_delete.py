"""Editing and deleting a night.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from diary.models import Night
from tests.factories import make_night
from tests.night_pages.helpers import TODAY, log_data, message_texts

# --- edit and delete -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_edit_page_shows_the_saved_answers_and_saves_changes(alice, alice_client, bed):
    night = make_night(alice, bed, date=TODAY, night_pain=5, pain_areas=["leg"], morning_pain_minutes=45)
    page = alice_client.get(f"/diary/{night.pk}/edit/")
    assertContains(page, 'value="5" class="btn-check" id="id_night_pain_5" required checked')
    assertContains(page, 'value="leg" class="btn-check" id="id_pain_areas_7" checked')
    assertContains(page, 'name="morning_pain_minutes" value="45"')
    assertContains(page, f'href="/diary/{night.pk}/delete/"')
    response = alice_client.post(f"/diary/{night.pk}/edit/", log_data(bed, night_pain="2", morning_quick="60"))
    assertRedirects(response, "/diary/")
    night.refresh_from_db()
    assert (night.night_pain, night.morning_pain_minutes, night.pain_areas) == (2, 60, ())


@pytest.mark.django_db
def test_delete_asks_first_and_deletes_only_on_post(alice, alice_client, bed):
    night = make_night(alice, bed, date=TODAY)
    page = alice_client.get(f"/diary/{night.pk}/delete/")
    assertContains(page, "Delete the night ending Tuesday 3 November 2026?")
    assertContains(page, '<form method="post"')
    assert Night.objects.count() == 1
    response = alice_client.post(f"/diary/{night.pk}/delete/")
    assertRedirects(response, "/diary/")
    assert Night.objects.count() == 0
    assert message_texts(response) == ["The night ending Tue 3 Nov 2026 was deleted."]


@pytest.mark.django_db
def test_delete_refuses_other_methods(alice, alice_client, bed):
    night = make_night(alice, bed, date=TODAY)
    assert alice_client.put(f"/diary/{night.pk}/delete/").status_code == 405
    assert alice_client.delete(f"/diary/{night.pk}/delete/").status_code == 405
    assert Night.objects.count() == 1
