"""The person's time zone: detected at sign-up, shown on the profile, and "today" is theirs (issue 15, defect 4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from diary.models import Night, Profile
from tests.factories import make_bed

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-pass-42"


def sign_up(client, **extra):
    data = {"email": "kiri@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 302
    return get_user_model().objects.get(email="kiri@example.com")


def test_the_sign_up_form_carries_a_hidden_time_zone_field_for_the_sites_script(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'type="hidden" name="time_zone"' in html and "data-detect-time-zone" in html


def test_the_time_zone_detected_at_sign_up_is_the_accounts(client):
    user = sign_up(client, time_zone="Pacific/Auckland")
    assert Profile.objects.get(user=user).time_zone == "Pacific/Auckland"
    html = client.get(reverse("profile")).content.decode()
    assert "Your time zone: <strong>Pacific/Auckland</strong>" in html
    assert "could not be detected" not in html


@pytest.mark.parametrize("sent", [{}, {"time_zone": ""}, {"time_zone": "Mars/Olympus_Mons"}])
def test_without_a_detected_time_zone_the_account_is_on_utc_and_the_profile_says_so(client, sent):
    user = sign_up(client, **sent)
    assert Profile.objects.get(user=user).time_zone == "UTC"
    html = client.get(reverse("profile")).content.decode()
    assert "Your time zone: <strong>UTC</strong>" in html
    assert "could not be detected" in html


def test_today_is_the_persons_own_date_in_auckland(client, time_machine):
    # 8 pm UTC on 1 December is 9 am on 2 December in Auckland: this morning's night is not "in the future".
    time_machine.move_to(datetime(2026, 12, 1, 20, 0, tzinfo=UTC), tick=False)
    user = sign_up(client, time_zone="Pacific/Auckland")
    bed = make_bed(user)
    form = client.get(reverse("diary:night-create")).content.decode()
    assert 'name="date" value="2026-12-02"' in form
    assert "Today is Wednesday 2 December 2026" in client.get(reverse("profile")).content.decode()
    data = {"date": "2026-12-02", "night_pain": "3", "woke_by_pain": "no", "morning_quick": "5", "bed": bed.pk}
    assert client.post(reverse("diary:night-create"), data).status_code == 302
    assert Night.objects.get(user=user).date.isoformat() == "2026-12-02"
