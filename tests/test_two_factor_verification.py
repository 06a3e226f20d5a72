"""Two-factor sign-in needs a verified e-mail address: the path there works end to end
(issue 15, defect 8: the 2FA page said "verify your e-mail first", but nothing had been sent
and nothing offered to send it)."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-unusual-pass-42"
EMAIL = "tui@example.com"


def _current_totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_sign_up_sends_a_verification_link(client):
    client.post(reverse("account_signup"), {"email": EMAIL, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_from_the_two_factor_page_to_an_active_authenticator(client, time_machine):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    time_machine.move_to(time.time())  # (ticking) so that minutes can pass below
    client.post(reverse("account_signup"), {"email": EMAIL, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user = get_user_model().objects.get(email=EMAIL)
    mail.outbox.clear()  # the sign-up link was lost, say

    # Activating is refused while the address is unverified, and the page says what to do.
    refused = client.get(reverse("mfa_activate_totp"), follow=True)
    page = refused.content.decode()
    assert "until you have verified your email address" in page
    assert "First, verify your e-mail address" in page
    assert f'name="email" value="{EMAIL}"' in page and 'name="action_send"' in page

    # One button sends the link again (allauth sends one per address every 3 minutes)...
    time_machine.shift(4 * 60)
    client.post(reverse("account_email"), {"email": EMAIL, "action_send": ""})
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    # ...which verifies the address...
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(user=user, email=EMAIL).verified
    assert "First, verify your e-mail address" not in client.get(reverse("mfa_index")).content.decode()

    # ...and two-factor can be turned on.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": NEW_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    client.post(reverse("mfa_activate_totp"), {"code": _current_totp(client.session["mfa.totp.secret"])})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_a_verified_address_sees_no_verification_box(alice_client):
    assert "First, verify your e-mail address" not in alice_client.get(reverse("mfa_index")).content.decode()
