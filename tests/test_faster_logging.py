"""Logging a night with less effort (issue 15, defect 7): the parts the server does.

The browser parts (taps, the sticky Save, filling in place, the taken-date flag) are in
tests/test_browser_ux.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_bed, make_night

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 3)


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 3, 8, 0, tzinfo=UTC), tick=False)


def sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_signing_in_lands_on_the_log_form_while_last_night_is_not_logged(client, alice):
    make_night(alice, date=date(2026, 11, 2))
    response = sign_in(client, alice)
    assert client.get(response["Location"])["Location"] == reverse("diary:night-create")


def test_signing_in_lands_on_the_diary_once_last_night_is_logged(client, alice):
    make_night(alice, date=TODAY)
    response = sign_in(client, alice)
    assert client.get(response["Location"])["Location"] == reverse("diary:night-list")


def test_same_as_last_night_copies_bed_areas_and_eased_by_but_not_pain(alice_client, alice):
    sofa = make_bed(alice, "Sofa")
    make_bed(alice, "Guest bed")
    make_night(alice, sofa, date=date(2026, 11, 2), night_pain=8, pain_areas=["leg"], eased_by=["rest"])
    page = alice_client.get("/log/").content.decode()
    assert 'href="/log/?same=last"' in page and "data-same-as-last=" in page
    html = alice_client.get("/log/?same=last").content.decode()
    assert f'<option value="{sofa.pk}" selected>Sofa</option>' in html
    assert (
        'name="pain_areas" value="leg"' in html and 'value="leg" class="btn-check" id="id_pain_areas_7" checked' in html
    )
    assert 'value="rest" class="btn-check" id="id_eased_by_2" checked' in html
    assert 'name="night_pain" value="8" class="btn-check" id="id_night_pain_8" checked' not in html
    assert 'name="date" value="2026-11-03"' in html


def test_a_past_date_copies_the_nearest_night_before_it(alice_client, alice):
    make_night(alice, date=date(2026, 10, 20), pain_areas=["leg"])
    make_night(alice, date=date(2026, 11, 2), pain_areas=["upper_back"])
    html = alice_client.get("/log/?date=2026-10-25&same=last").content.decode()
    assert 'value="leg" class="btn-check" id="id_pain_areas_7" checked' in html
    assert "checked" not in html.split('value="upper_back"')[1].split(">")[0]


def test_no_same_as_last_button_before_the_first_night(alice_client):
    assert "data-same-as-last" not in alice_client.get("/log/").content.decode()


def test_the_form_knows_which_dates_are_taken_and_the_server_still_refuses_them(alice_client, alice):
    night = make_night(alice, date=date(2026, 11, 2))
    html = alice_client.get("/log/").content.decode()
    assert f'data-logged-nights="2026-11-02={night.pk}"' in html
    edit = alice_client.get(f"/diary/{night.pk}/edit/").content.decode()
    assert 'data-logged-nights=""' in edit  # its own date is not "taken"
    data = {"date": "2026-11-02", "night_pain": "4", "woke_by_pain": "no", "morning_quick": "15", "bed": night.bed_id}
    response = alice_client.post("/log/", data)
    assert "You have already logged the night ending" in response.content.decode()


def test_save_sits_in_a_sticky_bar(alice_client):
    html = alice_client.get("/log/").content.decode()
    assert 'class="night-save-bar"' in html
