"""Share links: created by the owner, opened by a clinician without an account, safely."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from diary.models import Night, Profile, ShareLink
from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LIST_URL = reverse("diary:share-list")


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def diary(alice):
    """November on one bed; a marker note on 5 Nov (inside the shared period) and 25 Nov (outside)."""
    bed = make_bed(alice, "Old mattress")
    for day in range(1, 31):
        make_night(alice, bed, date=date(2026, 11, day), night_pain=4, morning_pain_minutes=20)
    Night.objects.filter(user=alice, date=date(2026, 11, 5)).update(notes="inside-the-period")
    Night.objects.filter(user=alice, date=date(2026, 11, 25)).update(notes="outside-the-period")
    return alice


def share(user, passcode: str = "", days: int = 7, include_name: bool = False) -> tuple[ShareLink, str]:
    return ShareLink.create_for(
        user,
        start=date(2026, 11, 1),
        end=date(2026, 11, 14),
        expiry_days=days,
        label="Dr Okafor",
        passcode=passcode,
        include_name=include_name,
    )


def shared_url(token: str, pdf: bool = False) -> str:
    return reverse("diary:shared-report-pdf" if pdf else "diary:shared-report", kwargs={"token": token})


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


# --- The owner's page ---


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_creation_shows_the_link_and_qr_once_and_stores_only_its_hash(alice_client, diary):
    form = {"label": "Dr Okafor", "start": "2026-11-01", "end": "2026-11-14", "expiry_days": "7", "passcode": ""}
    html = alice_client.post(LIST_URL, form).content.decode()
    token = re.search(r"http://testserver/s/([A-Za-z0-9_-]+)/", html).group(1)
    assert len(token) >= 43  # 32 random bytes
    link = ShareLink.objects.get()
    assert link.token_hash == ShareLink.hash_token(token)
    assert token not in str(ShareLink.objects.values().get())
    assert (link.user, link.start, link.end, link.label) == (diary, date(2026, 11, 1), date(2026, 11, 14), "Dr Okafor")
    assert link.expires_at == NOW + timedelta(days=7)
    assert "shown only this once" in html
    assert '<svg role="img" aria-label="QR code of the share link"' in html
    assert "style=" not in html and "<style" not in html
    # Afterwards the list shows the link's facts, never the token.
    later = alice_client.get(LIST_URL).content.decode()
    assert token not in later
    assert "Dr Okafor" in later and "1 Nov 2026 to 14 Nov 2026" in later and "Not yet" in later


def test_the_form_starts_with_the_period_of_the_report(alice_client, diary):
    html = alice_client.get(LIST_URL, {"period": "14"}).content.decode()
    assert 'value="2026-11-17"' in html
    assert 'value="2026-11-30"' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"passcode": "4321"}, "at least 10 characters"),
        ({"passcode": "x" * 65}, "at most 64 characters"),
        ({"passcode": "1234567890"}, "among the most common passwords"),
        ({"passcode": "qwertyuiop"}, "among the most common passwords"),
        ({"expiry_days": "365"}, "Select a valid choice"),
        ({"start": "2026-11-20", "end": "2026-11-10"}, "The start date is after the end date."),
        ({"end": "2027-01-10"}, "The end date is in the future."),
    ],
)
def test_bad_requests_for_a_link_are_explained(alice_client, diary, changes, message):
    form = {"label": "", "start": "2026-11-01", "end": "2026-11-14", "expiry_days": "7", **changes}
    response = alice_client.post(LIST_URL, form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ShareLink.objects.exists()


def test_passcode_is_stored_hashed(alice_client, diary):
    form = {"start": "2026-11-01", "end": "2026-11-14", "expiry_days": "1", "passcode": "k7mq4xtp9r"}
    alice_client.post(LIST_URL, form)
    link = ShareLink.objects.get()
    assert link.passcode_hash and "k7mq4xtp9r" not in link.passcode_hash
    assert link.expires_at == NOW + timedelta(days=1)


def test_list_shows_only_your_own_links(alice_client, diary, bob):
    share(diary)
    ShareLink.create_for(bob, start=date(2026, 11, 1), end=date(2026, 11, 2), expiry_days=1, label="Bob's GP")
    html = alice_client.get(LIST_URL).content.decode()
    assert "Dr Okafor" in html
    assert "Bob" not in html


def test_owner_can_revoke_with_a_post(alice_client, diary, client):
    link, token = share(diary)
    response = alice_client.post(reverse("diary:share-revoke", kwargs={"pk": link.pk}))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at == NOW
    assert "Revoked" in alice_client.get(LIST_URL).content.decode()
    assert client.get(shared_url(token)).status_code == 404
    assert client.get(shared_url(token, pdf=True)).status_code == 404


def test_revoke_refuses_get(alice_client, diary):
    link, _token = share(diary)
    assert alice_client.get(reverse("diary:share-revoke", kwargs={"pk": link.pk})).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


def test_another_user_cannot_revoke_your_link(client, diary, bob):
    link, token = share(diary)
    client.force_login(bob)
    assert client.post(reverse("diary:share-revoke", kwargs={"pk": link.pk})).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert "Dr Okafor" not in client.get(LIST_URL).content.decode()


# --- The clinician's side ---


def test_link_opens_without_an_account_for_exactly_its_period(client, diary):
    _link, token = share(diary)
    response = client.get(shared_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 Nov 2026 to 14 Nov 2026" in html
    assert "14 nights logged out of 14 days in this period." in html
    assert "Self-reported by the patient" in html
    assert "not a diagnosis" in html.lower()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Referrer-Policy"] == "strict-origin"  # never the token-bearing path
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert "Dr Okafor" not in html  # the label is for the owner only


def test_period_parameters_cannot_widen_the_link(client, diary):
    _link, token = share(diary)
    for query in ({"period": "all"}, {"period": "custom", "start": "2026-11-01", "end": "2026-11-30"}):
        html = client.get(shared_url(token), query).content.decode()
        assert "1 Nov 2026 to 14 Nov 2026" in html
        assert "30 Nov 2026" not in html
    pdf = pdf_text(client.get(shared_url(token, pdf=True), {"period": "all"}).content)
    assert "inside-the-period" in pdf
    assert "outside-the-period" not in pdf


def test_shared_page_has_no_way_into_the_account_or_editing(client, diary):
    _link, token = share(diary)
    html = client.get(shared_url(token)).content.decode()
    for name in ("diary:night-create", "diary:night-list", "diary:report", "diary:share-list", "profile"):
        assert f'href="{reverse(name)}' not in html
    assert "/edit/" not in html and "/delete/" not in html
    assert "style=" not in html and "<style" not in html and "<script" not in html


def test_shared_page_shows_the_name_only_when_chosen(client, diary):
    Profile.objects.filter(user=diary).update(display_name="Alice Example")
    _link, without = share(diary)
    _link, with_name = share(diary, include_name=True)
    assert "Alice Example" not in client.get(shared_url(without)).content.decode()
    assert "Alice Example" in client.get(shared_url(with_name)).content.decode()


def test_opens_are_counted(client, diary, alice_client, pinned_now):
    link, token = share(diary)
    client.get(shared_url(token))
    pinned_now.move_to(NOW + timedelta(hours=2))
    client.get(shared_url(token, pdf=True))
    link.refresh_from_db()
    assert link.open_count == 2
    assert link.last_opened_at == NOW + timedelta(hours=2)
    assert "2 times, last 1 Dec 2026" in alice_client.get(LIST_URL).content.decode()


def test_link_expires(client, diary, pinned_now):
    _link, token = share(diary, days=1)
    pinned_now.move_to(NOW + timedelta(days=1) - timedelta(seconds=1))
    assert client.get(shared_url(token)).status_code == 200
    pinned_now.move_to(NOW + timedelta(days=1))
    response = client.get(shared_url(token))
    assert response.status_code == 404
    assert "inside-the-period" not in response.content.decode()
    assert client.get(shared_url(token, pdf=True)).status_code == 404


@pytest.mark.parametrize("token", ["made-up-token", "x" * 43, "x" * 500])
def test_unknown_tokens_are_a_plain_404(client, diary, token):
    share(diary)
    response = client.get(shared_url(token))
    assert response.status_code == 404
    assert "Old mattress" not in response.content.decode()


def test_the_stored_hash_does_not_open_the_link(client, diary):
    link, _token = share(diary)
    assert client.get(shared_url(link.token_hash)).status_code == 404


def test_shared_pdf_is_the_report_of_the_period(client, diary):
    _link, token = share(diary)
    response = client.get(shared_url(token, pdf=True), {"paper": "letter"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="night-pain-report-2026-11-01-to-2026-11-14.pdf"'
    assert response["Referrer-Policy"] == "strict-origin"  # never the token-bearing path
    text = pdf_text(response.content)
    assert "1 Nov 2026 to 14 Nov 2026" in text
    assert "Self-reported by the patient" in text
    assert round(PdfReader(io.BytesIO(response.content)).pages[0].mediabox.width) == 612


# --- Passcodes ---


def test_passcode_is_asked_before_anything_is_shown(client, diary):
    _link, token = share(diary, passcode="4321")
    html = client.get(shared_url(token)).content.decode()
    assert "protected by a passcode" in html
    assert "Nov 2026" not in html and "nights logged" not in html
    pdf = client.get(shared_url(token, pdf=True))
    assert pdf.status_code == 302
    assert pdf["Location"] == shared_url(token)


def test_wrong_passcode_is_refused_with_a_clear_error(client, diary):
    link, token = share(diary, passcode="4321")
    response = client.post(shared_url(token), {"passcode": "0000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That passcode is not right." in html
    assert "nights logged" not in html
    link.refresh_from_db()
    assert link.open_count == 0


def test_right_passcode_opens_the_link_for_this_browser_only(client, diary, django_user_model):
    _link, token = share(diary, passcode="4321")
    response = client.post(shared_url(token), {"passcode": "4321"})
    assert response.status_code == 302
    assert "14 nights logged" in client.get(shared_url(token)).content.decode()
    assert client.get(shared_url(token, pdf=True)).status_code == 200
    from django.test import Client

    assert "protected by a passcode" in Client().get(shared_url(token)).content.decode()


def test_passcode_form_keeps_csrf_and_accepts_the_origin_a_browser_sends(diary):
    """Chromium sends `Origin: null` under Referrer-Policy no-referrer (issue 15): the policy must
    let the real origin through, and CSRF must still refuse a foreign or null origin."""
    from django.test import Client

    _link, token = share(diary, passcode="4321")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(shared_url(token))
    assert page["Referrer-Policy"] == "strict-origin"
    assert '<meta name="referrer" content="strict-origin">' in page.content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    for origin in ("null", "https://evil.example"):
        refused = browser.post(shared_url(token), {"passcode": "4321", "csrfmiddlewaretoken": csrf}, HTTP_ORIGIN=origin)
        assert refused.status_code == 403, origin
    opened = browser.post(
        shared_url(token), {"passcode": "4321", "csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="http://testserver"
    )
    assert opened.status_code == 302
    assert "14 nights logged" in browser.get(shared_url(token)).content.decode()


def test_unlocking_one_link_does_not_unlock_another(client, diary):
    _first, first_token = share(diary, passcode="4321")
    _second, second_token = share(diary, passcode="8765")
    client.post(shared_url(first_token), {"passcode": "4321"})
    assert "protected by a passcode" in client.get(shared_url(second_token)).content.decode()


def wrong_guesses(client, token: str, count: int, address: str = "127.0.0.1") -> list[int]:
    return [client.post(shared_url(token), {"passcode": "0000"}, REMOTE_ADDR=address).status_code for _ in range(count)]


def test_five_wrong_passcodes_pause_the_link_for_that_address_for_fifteen_minutes(client, diary, pinned_now):
    _link, token = share(diary, passcode="4321")
    assert wrong_guesses(client, token, 6) == [200] * 5 + [429]
    locked = client.post(shared_url(token), {"passcode": "4321"})
    assert locked.status_code == 429  # even the right passcode waits, and nothing is revealed
    assert "try again later" in locked.content.decode().lower()
    assert "nights logged" not in locked.content.decode()
    pinned_now.move_to(NOW + timedelta(minutes=15, seconds=1))
    assert client.post(shared_url(token), {"passcode": "4321"}).status_code == 302
    assert "14 nights logged" in client.get(shared_url(token)).content.decode()


def test_the_pause_grows_with_more_wrong_passcodes(client, diary, pinned_now):
    # 5 per 15 minutes, 10 per 2 hours, 20 per day (settings.ACCOUNT_RATE_LIMITS["share_passcode"]).
    _link, token = share(diary, passcode="4321")

    def at(delta: timedelta, guesses: int) -> list[int]:
        pinned_now.move_to(NOW + delta)
        return wrong_guesses(client, token, guesses)

    assert at(timedelta(0), 6) == [200] * 5 + [429]
    assert at(timedelta(minutes=16), 6) == [200] * 5 + [429]
    assert at(timedelta(minutes=40), 1) == [429]  # ten in two hours: the pause is now two hours
    assert at(timedelta(hours=2, minutes=20), 6) == [200] * 5 + [429]
    assert at(timedelta(hours=2, minutes=40), 6) == [200] * 5 + [429]
    assert at(timedelta(hours=5), 1) == [429]  # twenty in a day: now it is a day
    pinned_now.move_to(NOW + timedelta(days=1, minutes=20))
    assert client.post(shared_url(token), {"passcode": "4321"}).status_code == 302


def test_someone_holding_the_link_cannot_lock_the_clinician_out(client, diary):
    from django.test import Client

    _link, token = share(diary, passcode="4321")
    assert wrong_guesses(Client(), token, 30, address="203.0.113.7")[-1] == 429
    clinician = client.post(shared_url(token), {"passcode": "4321"}, REMOTE_ADDR="198.51.100.20")
    assert clinician.status_code == 302


def test_the_pause_holds_for_every_browser_at_that_address(client, diary):
    from django.test import Client

    _link, token = share(diary, passcode="4321")
    for _ in range(5):
        Client().post(shared_url(token), {"passcode": "0000"})  # a new session each time
    assert client.post(shared_url(token), {"passcode": "4321"}).status_code == 429


def test_a_right_passcode_clears_the_count_of_wrong_ones(client, diary):
    _link, token = share(diary, passcode="4321")
    wrong_guesses(client, token, 4)
    assert client.post(shared_url(token), {"passcode": "4321"}).status_code == 302
    assert wrong_guesses(Client(), token, 6) == [200] * 5 + [429]


def test_passcode_attempts_on_a_revoked_link_are_a_404(client, diary):
    link, token = share(diary, passcode="4321")
    link.revoke()
    assert client.post(shared_url(token), {"passcode": "4321"}).status_code == 404


def test_passcode_matches_only_the_passcode(diary):
    link, _token = share(diary, passcode="abcd")
    assert link.passcode_matches("abcd")
    assert not link.passcode_matches("nope")
    assert not share(diary)[0].passcode_matches("")


def test_the_form_suggests_a_strong_random_passcode(alice_client, diary):
    from diary.forms_share import PASSCODE_ALPHABET, SUGGESTED_LENGTH

    first, second = (alice_client.get(LIST_URL).content.decode() for _ in range(2))
    pattern = rf"made for you at random: ([{PASSCODE_ALPHABET}]{{{SUGGESTED_LENGTH}}})"
    suggestions = [re.search(pattern, html).group(1) for html in (first, second)]
    assert suggestions[0] != suggestions[1]


def test_active_excludes_expired_and_revoked_links(diary, pinned_now):
    live, _ = share(diary, days=30)
    revoked, _ = share(diary)
    revoked.revoke()
    short, _ = share(diary, days=1)
    pinned_now.move_to(NOW + timedelta(days=2))
    assert list(ShareLink.objects.for_user(diary).active()) == [live]
    assert short.status() == ShareLink.Status.EXPIRED
    assert revoked.status() == ShareLink.Status.REVOKED
    assert live.status() == ShareLink.Status.ACTIVE
