"""Accounts: sign-up, log-in/out, password change, profile and account deletion."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from diary.models import Bed, Night, Profile
from tests.factories import PASSWORD, make_bed, make_night

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_account_and_logs_the_person_in(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = client.post(
        reverse("account_signup"),
        {"email": "carol@example.com", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="carol@example.com")
    assert user.password.startswith("argon2")
    assert client.get(reverse("diary:night-create")).status_code == 200


def test_sign_up_rejects_a_common_password_with_a_message_next_to_the_field(client):
    response = client.post(
        reverse("account_signup"), {"email": "dan@example.com", "password1": "password123", "password2": "password123"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.filter(email="dan@example.com").exists()


def test_log_in_with_email_and_password(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("diary:night-list")).status_code == 200


def test_log_in_with_a_wrong_password_is_refused(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failed_log_ins_are_throttled_even_for_the_right_password(client, alice):
    from django.core.cache import cache

    cache.clear()
    for attempt in range(5):
        client.post(reverse("account_login"), {"login": "alice@example.com", "password": f"wrong-{attempt}"})
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_log_out_ends_the_session(alice_client):
    response = alice_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("diary:night-list")).status_code == 302


def test_password_change_needs_the_old_password(alice_client, alice):
    url = reverse("account_change_password")
    bad = alice_client.post(
        url, {"oldpassword": "wrong", "password1": "brand-new-pass-77", "password2": "brand-new-pass-77"}
    )
    assert bad.status_code == 200
    good = alice_client.post(
        url, {"oldpassword": PASSWORD, "password1": "brand-new-pass-77", "password2": "brand-new-pass-77"}
    )
    assert good.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-77")


def test_password_reset_sends_an_email(client, alice, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "alice@example.com" in mailoutbox[0].to


@pytest.mark.parametrize("name", ["diary:night-create", "diary:night-list", "diary:report", "profile"])
def test_private_pages_redirect_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_page_is_public_and_signed_in_people_land_on_the_log_form(client, alice):
    assert client.get(reverse("home")).status_code == 200
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("diary:night-create")


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password"],
)
def test_account_pages_use_the_site_layout(client, name):
    html = client.get(reverse(name)).content.decode()
    assert "Skip to main content" in html
    assert "vendor/bootstrap/css/bootstrap.min.css" in html
    assert "form-control" in html


@pytest.mark.parametrize("name", ["account_change_password", "account_email", "mfa_index", "profile"])
def test_account_management_pages_use_the_site_layout(alice_client, name):
    response = alice_client.get(reverse(name))
    assert response.status_code == 200
    assert "Skip to main content" in response.content.decode()


def test_profile_saves_time_zone_and_optional_facts(alice_client, alice):
    response = alice_client.post(
        reverse("profile"),
        {"time_zone": "America/New_York", "birth_year": "1980", "back_pain_since": "2025-01-15", "osteoporosis": "on"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert profile.time_zone == "America/New_York"
    assert profile.birth_year == 1980
    assert profile.osteoporosis


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("birth_year", "1800", "Enter a year between"),
        ("back_pain_since", "2999-01-01", "in the future"),
    ],
)
def test_profile_rejects_impossible_values_next_to_the_field(alice_client, alice, field, value, message):
    data = {"time_zone": "Europe/London", field: value}
    response = alice_client.post(reverse("profile"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Profile.objects.get(user=alice).time_zone == "Europe/London"


def test_profile_asks_for_a_time_when_reminders_are_on(alice_client):
    response = alice_client.post(reverse("profile"), {"time_zone": "Europe/London", "reminder_enabled": "on"})
    assert response.status_code == 200
    assert "Choose a time for the reminder" in response.content.decode()


def test_account_deletion_needs_the_password(alice_client, alice):
    response = alice_client.post(reverse("account-delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=alice.pk).exists()


def test_account_deletion_removes_every_trace_and_logs_out(alice_client, alice, bob):
    bed = make_bed(alice)
    make_night(alice, bed, notes="private")
    make_night(bob)
    response = alice_client.post(reverse("account-delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not Night.objects.filter(user_id=alice.pk).exists()
    assert not Bed.objects.filter(user_id=alice.pk).exists()
    assert not Profile.objects.filter(user_id=alice.pk).exists()
    assert Night.objects.filter(user=bob).count() == 1
    assert "_auth_user_id" not in alice_client.session


def _current_totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_two_factor_with_an_authenticator_app_and_recovery_codes(client, alice):
    from allauth.mfa.models import Authenticator

    client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    # Security settings ask for the password again first.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Skip to main content" in page.content.decode()
    secret = client.session["mfa.totp.secret"]

    wrong = client.post(
        reverse("mfa_activate_totp"), {"code": "000000" if _current_totp(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=alice).exists()

    client.post(reverse("mfa_activate_totp"), {"code": _current_totp(secret)})
    kinds = set(Authenticator.objects.filter(user=alice).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}

    # From now on the password alone does not sign Alice in: the code is asked for.
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": _current_totp(secret)})
    assert client.session["_auth_user_id"] == str(alice.pk)
