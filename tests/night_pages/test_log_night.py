"""Logging a night: the log page, its defaults, errors and saving twice.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from diary.models import Night
from tests.factories import make_bed, make_night
from tests.night_pages.helpers import TODAY, log_data, message_texts

# --- log a night --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_log_page_defaults_to_today_and_the_last_bed(alice_client, bed):
    sofa = make_bed(bed.user, "Sofa")
    make_night(bed.user, sofa, date=date(2026, 11, 1))
    response = alice_client.get("/log/")
    assertContains(response, 'name="date" value="2026-11-03"')
    assertContains(response, f'<option value="{sofa.pk}" selected>Sofa</option>', html=True)


@pytest.mark.django_db
def test_today_on_the_log_page_is_the_users_own_today(alice, alice_client, time_machine):
    time_machine.move_to(datetime(2026, 11, 3, 23, 30, tzinfo=UTC), tick=False)
    alice.profile.time_zone = "Pacific/Auckland"
    alice.profile.save()
    assertContains(alice_client.get("/log/"), 'name="date" value="2026-11-04"')
    response = alice_client.post("/log/", log_data(make_bed(alice), date="2026-11-04"))
    assertRedirects(response, "/diary/")


@pytest.mark.django_db
def test_the_night_pain_scale_is_a_labelled_group_of_real_radio_buttons(alice_client, bed):
    html = alice_client.get("/log/").content.decode()
    fieldset = re.search(r'<fieldset id="div_id_night_pain".*?</fieldset>', html, re.S).group(0)
    assert "<legend" in fieldset and "Worst back pain during the night" in fieldset
    assert len(re.findall(r'<input type="radio" name="night_pain"', fieldset)) == 11
    assert fieldset.count("<label") == 11


@pytest.mark.django_db
def test_the_log_page_has_no_inline_script_or_style(alice_client, bed):
    html = alice_client.get("/log/").content.decode()
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


@pytest.mark.django_db
def test_the_home_page_sends_a_signed_in_user_to_the_log_page(alice_client):
    assertRedirects(alice_client.get("/"), "/log/")


@pytest.mark.django_db
def test_logging_a_night_saves_it_and_shows_the_diary_with_a_calm_message(alice, alice_client, bed):
    response = alice_client.post("/log/", log_data(bed, pain_areas=["lower_back"], morning_pain_minutes="20"))
    assertRedirects(response, "/diary/")
    night = Night.objects.get()
    assert (night.user, night.date, night.night_pain, night.morning_pain_minutes) == (alice, TODAY, 4, 20)
    assert night.pain_areas == ("lower_back",)
    assert message_texts(response) == ["Saved the night ending Tue 3 Nov 2026."]


@pytest.mark.django_db
def test_a_night_with_a_new_bed_is_logged_in_one_go(alice_client, bed):
    response = alice_client.post("/log/", log_data(bed, new_bed_name="Sofa", new_bed_kind="sofa"))
    assertRedirects(response, "/diary/")
    assert Night.objects.get().bed.name == "Sofa"


@pytest.mark.django_db
def test_an_invalid_night_saves_nothing_and_keeps_the_answers(alice_client, bed):
    response = alice_client.post("/log/", log_data(bed, night_pain="", new_bed_name="Sofa", temperature_c="38,4"))
    assert response.status_code == 200
    assertContains(response, "Nothing was saved yet.")
    assertContains(response, "Choose how bad the pain was, from 0 (none) to 10.")
    assertContains(response, 'value="38,4"')
    assertContains(response, '<details class="night-details mb-3 new-bed" open>')
    assert Night.objects.count() == 0
    assert bed.user.beds.count() == 1


@pytest.mark.django_db
def test_a_phone_style_comma_temperature_is_saved(alice_client, bed):
    alice_client.post("/log/", log_data(bed, temperature_c="37,8"))
    assert str(Night.objects.get().temperature_c) == "37.8"


@pytest.mark.django_db
def test_the_more_section_opens_when_it_holds_an_error(alice_client, bed):
    response = alice_client.post("/log/", log_data(bed, night_urinations="21"))
    assertContains(response, '<details class="night-details mb-3 night-more" open>')
    assertContains(response, "Enter a number from 0 to 20, or leave it empty.")


@pytest.mark.django_db
def test_the_more_section_starts_closed_and_opens_when_editing_a_night_with_notes(alice, alice_client, bed):
    assertContains(alice_client.get("/log/"), '<details class="night-details mb-3 night-more">')
    night = make_night(alice, bed, date=TODAY, notes="Slept badly")
    assertContains(alice_client.get(f"/diary/{night.pk}/edit/"), '<details class="night-details mb-3 night-more" open>')


@pytest.mark.django_db
def test_saving_twice_creates_one_night_and_explains_the_second(alice_client, bed):
    first = alice_client.post("/log/", log_data(bed))
    second = alice_client.post("/log/", log_data(bed))
    assert first.status_code == 302
    assert Night.objects.count() == 1
    assert second.status_code == 200
    assertContains(second, "You have already logged the night ending Tuesday 3 November 2026")
    assertContains(second, f'<a href="/diary/{Night.objects.get().pk}/edit/">Edit that night</a>')


@pytest.mark.django_db
def test_the_calendar_can_ask_for_a_past_date_but_not_a_future_one(alice_client, bed):
    past = alice_client.get("/log/?date=2026-10-20")
    assertContains(past, 'name="date" value="2026-10-20"')
    assertContains(past, "Log the night ending Tuesday 20 October 2026")
    assertContains(alice_client.get("/log/?date=2026-12-20"), 'name="date" value="2026-11-03"')
    assertContains(alice_client.get("/log/?date=nonsense"), 'name="date" value="2026-11-03"')
