"""Signing out, one-time codes and limits hold in every worker process (issue 13, items 1-5).

The defects lived in each gunicorn worker's own memory, so most tests here run two real gunicorn
workers against the test database (tests/servers.py) and talk to them over loopback, one new
connection per request, as a browser on a shared computer would. docs/security.md explains
what is shared where.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.servers import WebClient

TOO_MANY = "Too many failed login attempts"
WRONG_PASSWORD = "not correct"
REQUESTS = 20  # new connections after each step; two workers share them about evenly


@pytest.fixture
def argon2_passwords(settings):
    """The workers hash with the site's own hashers (the suite's fast MD5 is unknown to them)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture
def carol(transactional_db, argon2_passwords, django_user_model):
    return make_user(django_user_model, "carol@example.com")


def at_once(requests) -> list:
    """Send the requests (callables) four at a time, so both workers are busy and both answer."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda send: send(), requests))


def signed_in_browser(base: str, user) -> WebClient:
    """A browser holding a session cookie for `user`, made in the shared session store."""
    client = Client()
    client.force_login(user)
    return WebClient(base, cookies={django_settings.SESSION_COOKIE_NAME: client.cookies["sessionid"].value})


def sign_in(browser: WebClient, email: str, password: str):
    browser.get(reverse("account_login"))
    return browser.post(reverse("account_login"), {"login": email, "password": password})


# --- 1. Signing out ends the session in every worker -------------------------------------------


@pytest.mark.shared_state  # CI runs it again on Redis (REDIS_URL)
def test_signing_out_ends_the_session_in_every_worker(gunicorn_workers, carol):
    browser = signed_in_browser(gunicorn_workers, carol)
    diary = reverse("diary:night-list")
    # Both workers serve (and, before the fix, kept their own copy of) the signed-in session.
    assert {answer.status for answer in at_once([lambda: browser.get(diary)] * REQUESTS)} == {200}

    old_cookies = dict(browser.cookies)
    browser.get(reverse("account_logout"))
    assert browser.post(reverse("account_logout"), {}).status == 302
    assert not Session.objects.filter(session_key=old_cookies["sessionid"]).exists()

    # The next person at this computer, with the old cookie, is signed out whichever worker answers.
    next_person = WebClient(gunicorn_workers, cookies=old_cookies)
    answers = at_once([lambda: next_person.get(diary)] * REQUESTS)
    assert {answer.status for answer in answers} == {302}
    assert all(answer.location.startswith(reverse("account_login")) for answer in answers)


def test_a_changed_time_zone_gives_every_worker_the_new_today_at_once(gunicorn_workers, carol):
    from importlib import import_module
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from diary.models import Profile

    def today_in(zone: str) -> str:  # as the profile page writes it: "Today is Tuesday 1 December 2026"
        day = timezone.localdate(timezone=ZoneInfo(zone))
        return f"Today is {day:%A} {day.day} {day:%B %Y}"

    # 25 hours apart, so their dates always differ.
    before, after = "Pacific/Pago_Pago", "Pacific/Kiritimati"
    Profile.objects.filter(user=carol).update(time_zone=before)
    browser = signed_in_browser(gunicorn_workers, carol)
    profile = reverse("profile")
    assert all(today_in(before) in answer.text for answer in at_once([lambda: browser.get(profile)] * REQUESTS))
    # What saving the profile does (the zone, and the session's copy of it); then every worker
    # must show the new zone's "today".
    Profile.objects.filter(user=carol).update(time_zone=after)
    session = import_module(django_settings.SESSION_ENGINE).SessionStore(browser.cookies["sessionid"])
    session["time_zone"] = after
    session.save()
    answers = at_once([lambda: browser.get(profile)] * REQUESTS)
    assert all(today_in(after) in answer.text for answer in answers)


# --- 2. A TOTP code works once, whichever worker sees it again ---------------------------------


def current_totp(secret: str) -> tuple[str, float]:
    """The code of this 30 s step, and the seconds it has left."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    now = time.time()
    return format_hotp_value(hotp_value(secret, int(now) // 30)), 30 - now % 30


@pytest.fixture
def carol_with_totp(carol):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(carol, secret)
    return carol, secret


def start_sign_in_with_code(base: str) -> WebClient:
    browser = WebClient(base)
    answer = sign_in(browser, "carol@example.com", PASSWORD)
    assert answer.location == reverse("mfa_authenticate"), answer.status
    browser.get(reverse("mfa_authenticate"))
    return browser


@pytest.mark.shared_state  # CI runs it again on Redis (REDIS_URL)
def test_a_totp_code_signs_in_once_whichever_worker_sees_it_again(gunicorn_workers, carol_with_totp):
    _user, secret = carol_with_totp
    code, seconds_left = current_totp(secret)
    if seconds_left < 8:  # the replays must fall in the same 30 s step as the first use
        time.sleep(seconds_left + 0.5)
        code, _ = current_totp(secret)
    browsers = [start_sign_in_with_code(gunicorn_workers) for _ in range(4)]
    answers = at_once([lambda b=browser: b.post(reverse("mfa_authenticate"), {"code": code}) for browser in browsers])
    signed_in = [answer for answer in answers if answer.status == 302]
    assert len(signed_in) == 1, [answer.status for answer in answers]
    assert all("Incorrect code" in answer.text for answer in answers if answer.status != 302)


# --- 3. Limits count every worker's attempts ---------------------------------------------------


@pytest.mark.shared_state  # CI runs it again on Redis (REDIS_URL)
def test_wrong_passwords_are_limited_to_five_per_account_across_workers(gunicorn_workers, carol):
    answers = at_once([lambda: sign_in(WebClient(gunicorn_workers), "carol@example.com", "wrong-password-123")] * 8)
    assert sum(TOO_MANY in answer.text for answer in answers) == 3
    assert sum(WRONG_PASSWORD in answer.text for answer in answers) == 5
    # Even the right password waits now: the account is locked for everyone, on every worker.
    assert TOO_MANY in sign_in(WebClient(gunicorn_workers), "carol@example.com", PASSWORD).text


@pytest.mark.shared_state  # CI runs it again on Redis (REDIS_URL)
def test_wrong_totp_codes_are_limited_to_five_across_workers(gunicorn_workers, carol_with_totp):
    _user, secret = carol_with_totp
    browser = start_sign_in_with_code(gunicorn_workers)
    right, _ = current_totp(secret)
    wrong = "000000" if right != "000000" else "111111"
    answers = at_once([lambda: browser.post(reverse("mfa_authenticate"), {"code": wrong})] * 7)
    assert sum(TOO_MANY in answer.text for answer in answers) == 2
    assert sum("Incorrect code" in answer.text for answer in answers) == 5


# --- 4. Other traffic cannot wipe the limits ---------------------------------------------------


def security_cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {django_settings.CACHES['default']['LOCATION']}")  # noqa: S608
        return cursor.fetchone()[0]


def fail_sign_in(client: Client, email: str = "alice@example.com", **headers) -> str:
    response = client.post(reverse("account_login"), {"login": email, "password": "wrong-password-123"}, **headers)
    return response.content.decode()


@pytest.mark.django_db
def test_many_distinct_pages_do_not_evict_a_lock_out(alice, bob, client, monkeypatch):
    for _ in range(5):
        fail_sign_in(client)
    assert TOO_MANY in fail_sign_in(client)
    rows = security_cache_rows()

    # Bob opens a flood of distinct report URLs: each may be cached, but among the pages only.
    bob_client = Client()
    bob_client.force_login(bob)
    for number in range(60):
        assert bob_client.get(reverse("diary:report"), {"x": number}).status_code == 200
    assert security_cache_rows() == rows

    # And however many counters the security cache holds, a live one is never culled to make room.
    security = caches["default"]
    monkeypatch.setattr(security, "_max_entries", 20)  # a small table, so the test stays quick
    security.set_many({f"flood:{n}": n for n in range(70)}, timeout=300)
    security.set("one-more", 1)
    assert TOO_MANY in fail_sign_in(client)
    assert security.get("flood:0") == 0


@pytest.mark.django_db
def test_the_security_cache_culls_expired_entries_only(settings):
    from backpain_site.cache import SecurityDatabaseCache

    small = SecurityDatabaseCache(settings.CACHES["default"]["LOCATION"], {"OPTIONS": {"MAX_ENTRIES": 10}})
    small.set_many({f"expired:{n}": n for n in range(10)}, timeout=-1)  # stored already expired
    small.set_many({f"live:{n}": n for n in range(30)}, timeout=300)
    assert all(small.get(f"live:{n}") == n for n in range(30))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {small._table} WHERE cache_key LIKE %s", ["%expired%"])  # noqa: S608
        assert cursor.fetchone()[0] == 0


# --- 5. Behind a proxy, the limit counts each client, not the proxy ----------------------------

PROXY = {"REMOTE_ADDR": "10.0.0.2"}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_client_cannot_lock_out_the_others(alice, client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(10):  # ten different accounts: the per-address limit, not the per-account one
        fail_sign_in(client, f"nobody{number}@example.com", HTTP_X_FORWARDED_FOR="203.0.113.7", **PROXY)
    assert TOO_MANY in fail_sign_in(client, "nobody@example.com", HTTP_X_FORWARDED_FOR="203.0.113.7", **PROXY)
    # Alice comes through the same proxy from her own address and signs in.
    alice_client = Client()
    response = alice_client.post(
        reverse("account_login"),
        {"login": "alice@example.com", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **PROXY,
    )
    assert response.status_code == 302
    assert alice_client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_a_client_cannot_pick_its_own_address_without_a_trusted_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # no proxy in front: X-Forwarded-For is the client's own words
    for number in range(10):
        fail_sign_in(client, f"nobody{number}@example.com", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert TOO_MANY in fail_sign_in(client, "nobody@example.com", HTTP_X_FORWARDED_FOR="203.0.113.99")


# --- 13. Request bodies are refused by size before they are read ------------------------------


@pytest.mark.django_db
def test_a_large_post_to_the_sign_in_page_is_refused_unread(client):
    response = client.post(
        reverse("account_login"), data=b"x" * (django_settings.REQUEST_MAX_BYTES + 1), content_type="text/plain"
    )
    assert response.status_code == 413


def refused_before_reading(base: str, path: str, claimed_bytes: int) -> int:
    """Announce a multipart body of `claimed_bytes`, send 64 kB of it, and read the answer (a
    server waiting for the rest of the body would leave the socket silent until its timeout)."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=20) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
            "Content-Type: multipart/form-data; boundary=xyz\r\n"
            f"Content-Length: {claimed_bytes}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"--xyz\r\n" + b"x" * 64 * 1024)
        answer = sock.recv(200).decode("latin-1")  # the server must answer without the rest
    return int(answer.split()[1])


def test_an_anonymous_300_mb_upload_to_the_sign_in_page_is_refused_before_it_is_read(gunicorn_workers):
    assert refused_before_reading(gunicorn_workers, reverse("account_login"), 300 * 1024 * 1024) == 413


def test_only_the_import_and_restore_pages_take_files_up_to_their_sizes(client, alice, settings):
    from backpain_site.middleware import max_request_bytes

    client.force_login(alice)
    envelope = settings.UPLOAD_ENVELOPE_BYTES
    assert max_request_bytes("diary:import-csv") == settings.DIARY_IMPORT_MAX_BYTES + envelope
    assert max_request_bytes("account-restore") == settings.BACKUP_MAX_BYTES + envelope
    for name in ("diary:night-create", "profile", "account_login", "diary:share-list"):
        assert max_request_bytes(name) == settings.REQUEST_MAX_BYTES
    too_big = b"x" * (settings.BACKUP_MAX_BYTES + envelope + 1)
    response = client.post(reverse("account-restore"), data=too_big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "one file of up to 10 MB" in response.content.decode()


def test_behind_tls_proxy_trusts_one_proxy_unless_told_otherwise():
    from tests.test_settings import PRODUCTION_ENV, run_manage

    code = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV).stdout.strip() == "1"
    two = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2"}
    assert run_manage("shell", "--no-imports", "-c", code, env=two).stdout.strip() == "2"
    direct = {**PRODUCTION_ENV, "BEHIND_TLS_PROXY": "false"}
    assert run_manage("shell", "--no-imports", "-c", code, env=direct).stdout.strip() == "0"
