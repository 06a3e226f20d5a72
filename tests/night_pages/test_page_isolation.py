"""Night pages: anonymous -> log in, owner -> 200, another user -> 404.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

import re

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from diary.models import Night
from tests.factories import make_bed, make_night
from tests.night_pages.helpers import TODAY, log_data

# --- isolation: anonymous → log in, owner → 200, another user → 404 ---------------------------------------------------


OWN_PAGES = ["/log/", "/diary/", "/diary/calendar/", "/diary/charts/"]
NIGHT_PAGES = ["/diary/{pk}/edit/", "/diary/{pk}/delete/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWN_PAGES + NIGHT_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, alice, bed, url):
    night = make_night(alice, bed, date=TODAY)
    url = url.format(pk=night.pk)
    response = client.get(url)
    assertRedirects(response, f"/accounts/login/?next={url}", fetch_redirect_response=False)


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWN_PAGES + NIGHT_PAGES)
def test_the_owner_sees_every_page(alice, alice_client, bed, url):
    night = make_night(alice, bed, date=TODAY)
    assert alice_client.get(url.format(pk=night.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", NIGHT_PAGES)
def test_another_users_night_is_not_found(client, alice, bob, bed, url):
    night = make_night(alice, bed, date=TODAY)
    client.force_login(bob)
    assert client.get(url.format(pk=night.pk)).status_code == 404
    assert client.post(url.format(pk=night.pk), log_data(bed)).status_code == 404
    night.refresh_from_db()
    assert night.night_pain == 3


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWN_PAGES)
def test_another_users_pages_show_none_of_alices_nights(client, alice, bob, url):
    make_night(alice, make_bed(alice, "Secret sofa"), date=TODAY, night_pain=9)
    client.force_login(bob)
    response = client.get(url + ("?month=2026-11" if "calendar" in url else ""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret sofa" not in html
    assert not re.search(r"[Pp]ain 9\b|9 at worst", html)


@pytest.mark.django_db
def test_a_night_cannot_be_logged_on_another_users_bed(client, alice, bob, bed):
    client.force_login(bob)
    response = client.post("/log/", log_data(bed))
    assertContains(response, "Choose one of your beds from the list.")
    assert Night.objects.count() == 0
