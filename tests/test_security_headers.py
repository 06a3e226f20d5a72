"""Headers and sessions: strict CSP with no inline code, frame denial, HSTS and secure cookies in
production, session expiry, CSRF on every form, no caching of private pages, password rules."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from diary.models import Bed, Night, Profile, ShareLink
from tests.factories import PASSWORD, make_bed, make_night
from tests.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.fixture
def diary(alice):
    """Alice with a fortnight of nights on two beds and a share link, so every page has content."""
    old, new = make_bed(alice, "Old mattress"), make_bed(alice, "New mattress")
    for offset in range(14):
        make_night(
            alice,
            bed=old if offset >= 7 else new,
            date=TODAY - timedelta(days=offset),
            night_pain=offset % 10,
            morning_pain_minutes=offset * 5,
            pain_areas=["lower_back"],
            notes=f"note {offset}",
        )
    _link, token = ShareLink.create_for(alice, start=TODAY - timedelta(days=13), end=TODAY, expiry_days=7)
    return {"token": token, "night": Night.objects.for_user(alice).first(), "bed": old}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False):
        yield


def article_slug() -> str:
    from articles.models import Article

    article = Article.objects.published().first()
    assert article is not None, "no published article in the test database (articles are loaded by a migration)"
    return article.slug


def public_pages() -> list[str]:
    return [
        reverse("home"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("articles:list"),
        reverse("articles:detail", kwargs={"slug": article_slug()}),
    ]


def private_pages(diary) -> list[str]:
    return [
        reverse("diary:night-create"),
        reverse("diary:night-list"),
        reverse("diary:calendar"),
        reverse("diary:charts"),
        reverse("diary:night-edit", kwargs={"pk": diary["night"].pk}),
        reverse("diary:bed-list"),
        reverse("diary:bed-create"),
        reverse("diary:bed-edit", kwargs={"pk": diary["bed"].pk}),
        reverse("diary:report"),
        reverse("diary:share-list"),
        reverse("diary:import-csv"),
        reverse("profile"),
        reverse("account-delete"),
        reverse("account-restore"),
        reverse("account_change_password"),
        reverse("account_email"),
        reverse("articles:list"),
        reverse("articles:detail", kwargs={"slug": article_slug()}),
    ]


def private_downloads() -> list[str]:
    return [
        reverse("diary:export-csv"),
        reverse("diary:report-pdf"),
        reverse("diary:report-fhir"),
        reverse("account-backup"),
    ]


def shared_pages(diary) -> list[str]:
    return [reverse("diary:shared-report", kwargs={"token": diary["token"]})]


def every_page(client, alice, diary) -> list[tuple[str, object]]:
    """(url, response) for each main page: anonymous pages, the shared report, then Alice's pages."""
    responses = [(url, client.get(url)) for url in public_pages() + shared_pages(diary)]
    client.force_login(alice)
    responses += [(url, client.get(url)) for url in private_pages(diary)]
    client.logout()
    return responses


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class InlineCodeFinder(HTMLParser):
    """Collects everything a strict CSP would block: inline scripts, styles and event handlers."""

    # json_script's data blocks are never executed, so CSP does not apply to them.
    DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") not in self.DATA_BLOCK_TYPES:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="{value}" on <{tag}> at line {self.getpos()[0]}')
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}> at line {self.getpos()[0]}")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


# --- Content-Security-Policy and the other headers ---


def test_every_main_page_renders(client, alice, diary):
    for url, response in every_page(client, alice, diary):
        assert response.status_code == 200, f"{url} answered {response.status_code}"


def test_every_main_page_has_a_strict_content_security_policy(client, alice, diary):
    for url, response in every_page(client, alice, diary):
        csp = parse_csp(response.get("Content-Security-Policy", ""))
        assert csp, f"{url} has no Content-Security-Policy"
        assert csp["default-src"] == ["'self'"], url
        for directive in ("script-src", "style-src"):
            sources = csp.get(directive, csp["default-src"])
            assert "'unsafe-inline'" not in sources, f"{url}: {directive} allows inline code"
            assert "'unsafe-eval'" not in sources, f"{url}: {directive} allows eval"
            assert not any(source.startswith(("'nonce-", "'sha")) for source in sources), (
                f"{url}: {directive} allows inline code by nonce/hash; move it to a static file"
            )
            assert "*" not in sources and "https:" not in sources, f"{url}: {directive} allows any host"
        assert csp["object-src"] == ["'none'"], url
        assert csp["frame-ancestors"] == ["'none'"], url
        assert csp["base-uri"] == ["'self'"], url
        assert csp["form-action"] == ["'self'"], url


def test_no_main_page_contains_inline_scripts_or_styles(client, alice, diary):
    problems = {url: inline_code_in(response.content.decode()) for url, response in every_page(client, alice, diary)}
    problems = {url: found for url, found in problems.items() if found}
    assert not problems, f"inline code that the CSP blocks (move it to static/js or static/css): {problems}"


def test_the_inline_code_finder_catches_what_csp_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/js/site.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href="javascript:void(0)">x</a></p>'
        '<script type="application/json" id="data">{}</script>'
    )
    assert len(inline_code_in(html)) == 5


def test_every_main_page_sends_the_protective_headers(client, alice, diary):
    for url, response in every_page(client, alice, diary):
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}, url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_downloads_carry_the_headers_too(client, alice, diary):
    client.force_login(alice)
    for url in private_downloads():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url


# --- Caching ---


def test_private_pages_and_downloads_are_never_stored_by_a_cache(client, alice, diary):
    client.force_login(alice)
    for url in private_pages(diary) + private_downloads():
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), f"{url} may be cached: {response.get('Cache-Control')}"
    client.logout()
    for url in shared_pages(diary):
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), f"{url} may be cached"


# --- Production settings: HTTPS only, HSTS, secure cookies ---

PRODUCTION_PROBE = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from django.contrib.auth import get_user_model

setup_test_environment()
connection.creation.create_test_db(verbosity=0, autoclobber=True)
host = {"HTTP_HOST": "diary.example.org"}
plain = Client(**host).get("/accounts/login/")
https = Client(**host, HTTP_X_FORWARDED_PROTO="https")
page = https.get("/accounts/login/")
get_user_model().objects.create_user("probe", "probe@example.org", "a-long-unusual-pass-42")
login = https.post("/accounts/login/", {"login": "probe@example.org", "password": "a-long-unusual-pass-42"})
session, csrf = login.cookies.get("sessionid"), page.cookies.get("csrftoken")
print(json.dumps({
    "http_status": plain.status_code,
    "http_location": plain.get("Location", ""),
    "hsts": page.get("Strict-Transport-Security", ""),
    "login_status": login.status_code,
    "session_secure": bool(session and session["secure"]),
    "session_httponly": bool(session and session["httponly"]),
    "session_samesite": session["samesite"] if session else "",
    "csrf_secure": bool(csrf and csrf["secure"]),
}))
"""


@pytest.fixture(scope="module")
def production_probe():
    # Without collectstatic there is no manifest; the storage choice is irrelevant to headers and cookies.
    env = {**PRODUCTION_ENV, "STATIC_MANIFEST": "false"}
    result = run_manage("shell", "--no-imports", "-c", PRODUCTION_PROBE, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(False)
def test_production_redirects_plain_http_to_https(production_probe):
    assert production_probe["http_status"] == 301
    assert production_probe["http_location"].startswith("https://diary.example.org/")


@pytest.mark.django_db(False)
def test_production_sends_hsts_for_a_year_with_subdomains(production_probe):
    hsts = production_probe["hsts"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


@pytest.mark.django_db(False)
def test_production_cookies_are_secure_and_http_only(production_probe):
    assert production_probe["login_status"] == 302
    assert production_probe["session_secure"]
    assert production_probe["session_httponly"]
    assert production_probe["session_samesite"] == "Lax"
    assert production_probe["csrf_secure"]


# --- Sessions ---


def log_in(client, remember: bool = False):
    data = {"login": "alice@example.com", "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 302
    return response


def test_the_session_cookie_is_http_only_and_lasts_session_cookie_age(client, alice):
    response = log_in(client, remember=True)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 24 * 14


@pytest.mark.parametrize("remember", [True, False])
def test_a_session_expires_after_session_cookie_age(client, alice, remember):
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    profile_url = reverse("profile")
    with time_machine.travel(start, tick=False):
        log_in(client, remember=remember)
        assert client.get(profile_url).status_code == 200
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE - 120), tick=False):
        assert client.get(profile_url).status_code == 200
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60), tick=False):
        response = client.get(profile_url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- CSRF on every form ---


def csrf_targets(diary) -> list[str]:
    return [
        reverse("diary:night-create"),
        reverse("diary:night-edit", kwargs={"pk": diary["night"].pk}),
        reverse("diary:night-delete", kwargs={"pk": diary["night"].pk}),
        reverse("diary:bed-create"),
        reverse("diary:bed-edit", kwargs={"pk": diary["bed"].pk}),
        reverse("diary:bed-delete", kwargs={"pk": diary["bed"].pk}),
        reverse("diary:import-csv"),
        reverse("diary:share-list"),
        reverse("diary:share-revoke", kwargs={"pk": ShareLink.objects.first().pk}),
        reverse("profile"),
        reverse("account-delete"),
        reverse("account-restore"),
        reverse("account_change_password"),
        reverse("account_logout"),
    ]


def database_snapshot(user) -> dict:
    return {
        "nights": list(Night.objects.for_user(user).order_by("pk").values()),
        "beds": list(Bed.objects.for_user(user).order_by("pk").values()),
        "links": list(ShareLink.objects.for_user(user).order_by("pk").values()),
        "profile": list(Profile.objects.filter(user=user).values()),
        "users": get_user_model().objects.filter(pk=user.pk).count(),
    }


def test_every_form_refuses_a_post_without_a_csrf_token(alice, diary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = database_snapshot(alice)
    # Plausible, valid-looking data: only the missing token should stop it.
    data = {"date": "2026-11-21", "night_pain": "4", "woke_by_pain": "no", "name": "Sofa", "password": PASSWORD}
    for url in csrf_targets(diary):
        response = client.post(url, data)
        assert response.status_code == 403, f"POST {url} without a CSRF token answered {response.status_code}"
    assert database_snapshot(alice) == before


# Views allowed to be csrf_exempt, each because it checks CSRF itself.
CSRF_EXEMPT_ALLOWED = {
    # Checks the size before csrf_protect reads the body (an oversized upload is refused unread);
    # the test above proves a POST without a token is still a 403.
    "diary:import-csv",
    # The footer's language switcher: no token in cached pages; it refuses cross-site posts by their
    # Sec-Fetch-Site / Origin headers instead (tests/test_languages.py proves a forged post changes nothing).
    "set-language",
}


def walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def test_no_view_switches_csrf_protection_off():
    exempt = {name for name, view in walk(get_resolver()) if getattr(view, "csrf_exempt", False)}
    assert exempt <= CSRF_EXEMPT_ALLOWED, f"csrf_exempt views: {sorted(exempt - CSRF_EXEMPT_ALLOWED)}"


# --- Passwords ---


@pytest.mark.parametrize("password", ["password", "12345678901", "alice@example.com", "short1!"])
def test_sign_up_refuses_weak_passwords(client, password):
    response = client.post(
        reverse("account_signup"), {"email": "alice@example.com", "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not get_user_model().objects.filter(email="alice@example.com").exists()
