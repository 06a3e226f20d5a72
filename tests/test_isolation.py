"""Isolation over every URL: nobody sees or touches another person's diary.

The tests walk the whole URL configuration, so a URL added later is covered automatically: a
route with a parameter that this file does not know makes the walk fail until someone says
which object it takes (and the checks then prove it is protected).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from diary.models import Bed, BedTrial, Medicine, MedicineDose, Night, PegCheckIn, Profile, ShareLink
from diary.trials.schedule import Design
from diary.trials.services import start_trial
from tests.factories import make_bed, make_night, make_user

pytestmark = pytest.mark.django_db

ALICE_MARKER = "alice-private-marker"
BOB_MARKER = "bob-private-marker"


# --- Walking the URL configuration ---


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "diary:night-edit"; "" when the pattern has no name
    namespace: str
    route: str  # the full pattern text, for messages
    params: tuple[str, ...]


def pattern_params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def walk(resolver, prefix: str = "", namespace: str = "", params: tuple[str, ...] = ()):
    """Every URLPattern under `resolver`, includes and namespaces followed."""
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        here = params + pattern_params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, text, inner, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(name=name, namespace=namespace, route=text, params=here)


def all_routes() -> list[Route]:
    return list(walk(get_resolver()))


# --- What each route is, stated once ---

# Owner-only routes, by URL name -> which of Alice's objects fills the parameter.
OWNED_OBJECT_ROUTES = {
    "diary:night-edit": "night",
    "diary:night-delete": "night",
    "diary:bed-edit": "bed",
    "diary:bed-delete": "bed",
    "diary:share-revoke": "share_link",
    "diary:medicine-edit": "medicine",
    "diary:medicine-delete": "medicine",
    "diary:trial-detail": "bed_trial",
    "diary:trial-stop": "bed_trial",
    "diary:trial-abandon": "bed_trial",
}

# Bearer-token routes: the token is the only credential (a clinician has no account), so a
# valid token opens the report for anyone; every other value must be a 404.
SHARE_TOKEN_ROUTES = {"diary:shared-report", "diary:shared-report-pdf"}

# Parameterised routes that are public on purpose.
PUBLIC_PARAMETER_ROUTES = {
    # Articles are the same for everybody; they belong to no user (the language prefix is public too).
    "articles:detail",
    "articles:list",
    # The web-app manifest in another language (/ru/manifest.webmanifest): the same for everybody.
    "manifest",
}

# Routes skipped on purpose, with the reason.
SKIPPED_ROUTES = {
    # allauth's own single-use e-mail and password-reset keys: generated and checked by allauth,
    # not tied to a diary object; they are tested by allauth itself.
    "account_confirm_email",
    "account_reset_password_from_key",
}
# The admin's internal routes (object ids, content types, its catch-all) are behind the admin's
# own staff check; test_admin_* below prove non-staff users and staff non-superusers get nothing.
SKIPPED_NAMESPACES = {"admin"}

# Parameterless pages anyone may open; every other parameterless URL must ask for a log-in.
PUBLIC_PAGES = {
    "home",
    "manifest",
    "service-worker",
    "robots-txt",
    "articles:list",
    # Choosing a language (POST only): anyone may, and it touches only the chooser's own profile.
    "set-language",
    # allauth's log-in, sign-up, log-out and password-reset flow
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
}


def is_skipped(route: Route) -> bool:
    return route.name in SKIPPED_ROUTES or route.namespace in SKIPPED_NAMESPACES


def parameterised_routes() -> list[Route]:
    return [r for r in all_routes() if r.params and not is_skipped(r)]


def parameterless_private_routes() -> list[Route]:
    return [r for r in all_routes() if not r.params and not is_skipped(r) and r.name not in PUBLIC_PAGES]


def test_every_parameterised_route_is_known_to_the_isolation_tests():
    known = set(OWNED_OBJECT_ROUTES) | SHARE_TOKEN_ROUTES | PUBLIC_PARAMETER_ROUTES
    unknown = [f"{r.name or '(unnamed)'} at /{r.route}" for r in parameterised_routes() if r.name not in known]
    assert not unknown, (
        f"New URL(s) with a parameter: {unknown}. Add each to OWNED_OBJECT_ROUTES (with the object it takes), "
        "SHARE_TOKEN_ROUTES or PUBLIC_PARAMETER_ROUTES in tests/test_isolation.py, so the isolation tests cover it."
    )


def test_the_walk_finds_the_routes_it_must_protect():
    names = {r.name for r in all_routes()}
    expected = set(OWNED_OBJECT_ROUTES) | SHARE_TOKEN_ROUTES | {"diary:report", "diary:export-csv", "account-backup"}
    assert expected <= names
    # The lists above must not name routes that no longer exist (they would protect nothing).
    stale = (set(OWNED_OBJECT_ROUTES) | SHARE_TOKEN_ROUTES | PUBLIC_PARAMETER_ROUTES | PUBLIC_PAGES) - names
    assert not stale, f"tests/test_isolation.py lists routes that do not exist: {sorted(stale)}"


# --- Alice's objects ---


@pytest.fixture
def alice_objects(alice):
    bed = make_bed(alice, f"Waterbed {ALICE_MARKER}", notes=ALICE_MARKER)
    night = make_night(alice, bed=bed, date=timezone.localdate() - timedelta(days=1), notes=ALICE_MARKER)
    medicine = Medicine.objects.create(user=alice, name=f"Codeine {ALICE_MARKER}", medicine_class="opioid", dose=30)
    MedicineDose.objects.create(night=night, medicine=medicine, doses=2)
    today = timezone.localdate()
    PegCheckIn.objects.create(user=alice, date=today, pain=7, enjoyment=6, activity=5)
    link, token = ShareLink.create_for(alice, start=today - timedelta(days=13), end=today, expiry_days=7)
    revoked, revoked_token = ShareLink.create_for(alice, start=today - timedelta(days=13), end=today, expiry_days=7)
    revoked.revoke()
    other_bed = make_bed(alice, f"Futon {ALICE_MARKER}")
    trial = start_trial(user=alice, bed_a=bed, bed_b=other_bed, start=today, design=Design(), seed=1)
    expired, expired_token = ShareLink.create_for(alice, start=today - timedelta(days=13), end=today, expiry_days=1)
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    return {
        "night": night,
        "bed": bed,
        "medicine": medicine,
        "bed_trial": trial,
        "share_link": link,
        "token": token,
        "revoked_token": revoked_token,
        "expired_token": expired_token,
    }


def snapshot(user) -> dict:
    """Everything of `user` a request could change."""
    return {
        "nights": list(Night.objects.for_user(user).order_by("pk").values()),
        "beds": list(Bed.objects.for_user(user).order_by("pk").values()),
        "links": list(ShareLink.objects.for_user(user).order_by("pk").values()),
        "medicines": list(Medicine.objects.for_user(user).order_by("pk").values()),
        "doses": list(MedicineDose.objects.filter(night__user=user).order_by("pk").values()),
        "peg": list(PegCheckIn.objects.for_user(user).order_by("pk").values()),
        "trials": list(BedTrial.objects.for_user(user).order_by("pk").values()),
        "profile": list(Profile.objects.filter(user=user).values()),
    }


def owned_url(route: Route, objects) -> str:
    obj = objects[OWNED_OBJECT_ROUTES[route.name]]
    assert route.params == ("pk",), f"{route.name} takes {route.params}; teach owned_url() how to fill them"
    return reverse(route.name, kwargs={"pk": obj.pk})


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login") + "?next=")


# --- Object URLs: other user -> 404, anonymous -> log-in, owner -> works ---


def owned_routes() -> list[Route]:
    return [r for r in parameterised_routes() if r.name in OWNED_OBJECT_ROUTES]


def test_another_user_gets_404_for_every_url_with_alices_object(client, alice, bob, alice_objects):
    client.force_login(bob)
    before = snapshot(alice)
    for route in owned_routes():
        url = owned_url(route, alice_objects)
        get = client.get(url)
        # A POST-only view may refuse the method (405) before looking anything up: that reveals nothing.
        assert get.status_code in {404, 405}, f"Bob GET {url} ({route.name}) answered {get.status_code}"
        post = client.post(url, {"name": "Hijacked", "night_pain": "1", "date": "2026-01-01"})
        assert post.status_code == 404, f"Bob POST {url} ({route.name}) answered {post.status_code}"
        assert ALICE_MARKER not in get.content.decode(errors="replace") + post.content.decode(errors="replace")
    assert snapshot(alice) == before


def test_anonymous_visitors_are_sent_to_log_in_for_every_url_with_an_object(client, alice, alice_objects):
    before = snapshot(alice)
    for route in owned_routes():
        url = owned_url(route, alice_objects)
        get = client.get(url)
        assert is_login_redirect(get) or get.status_code == 405, f"anonymous GET {url} answered {get.status_code}"
        post = client.post(url, {})
        assert is_login_redirect(post), f"anonymous POST {url} answered {post.status_code}"
    assert snapshot(alice) == before


def test_the_owner_can_open_every_url_with_her_object(client, alice, alice_objects):
    # The control: without it, a URL that is a 404 for everybody would pass the tests above.
    client.force_login(alice)
    for route in owned_routes():
        url = owned_url(route, alice_objects)
        response = client.get(url)
        assert response.status_code in {200, 405}, f"Alice GET {url} answered {response.status_code}"


def test_another_users_delete_and_revoke_change_nothing(client, alice, bob, alice_objects):
    client.force_login(bob)
    link = alice_objects["share_link"]
    assert client.post(reverse("diary:share-revoke", kwargs={"pk": link.pk})).status_code == 404
    assert client.post(reverse("diary:night-delete", kwargs={"pk": alice_objects["night"].pk})).status_code == 404
    assert client.post(reverse("diary:bed-delete", kwargs={"pk": alice_objects["bed"].pk})).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.post(reverse("diary:medicine-delete", kwargs={"pk": alice_objects["medicine"].pk})).status_code == 404
    assert Night.objects.filter(pk=alice_objects["night"].pk).exists()
    assert Bed.objects.filter(pk=alice_objects["bed"].pk).exists()
    assert MedicineDose.objects.filter(medicine=alice_objects["medicine"]).exists()


# --- Share tokens: only the exact, live token opens the report ---


def share_token_routes() -> list[Route]:
    return [r for r in parameterised_routes() if r.name in SHARE_TOKEN_ROUTES]


def wrong_tokens(objects) -> dict[str, str]:
    link = objects["share_link"]
    return {
        "revoked": objects["revoked_token"],
        "expired": objects["expired_token"],
        "stored hash": link.token_hash,  # a leaked database row must not open the link
        "link id": str(link.pk),
        "truncated": objects["token"][:-1],
        "made up": "x" * len(objects["token"]),
    }


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_share_urls_are_404_for_every_token_but_the_live_one(client, bob, alice_objects, who):
    if who == "bob":
        client.force_login(bob)
    for route in share_token_routes():
        for kind, token in wrong_tokens(alice_objects).items():
            url = reverse(route.name, kwargs={"token": token})
            for response in (client.get(url), client.post(url, {"passcode": "1234"})):
                assert response.status_code == 404, f"{who} {url} with a {kind} token answered {response.status_code}"
                assert ALICE_MARKER not in response.content.decode(errors="replace")


def test_the_live_share_token_opens_the_report_without_an_account(client, alice_objects):
    # The control for the test above.
    for route in share_token_routes():
        response = client.get(reverse(route.name, kwargs={"token": alice_objects["token"]}))
        assert response.status_code == 200, route.name


# --- Private pages without parameters: anonymous -> log-in ---


def test_every_private_page_sends_anonymous_visitors_to_log_in(client, alice_objects):
    routes = parameterless_private_routes()
    assert {"diary:night-list", "diary:report", "diary:export-csv", "profile", "account-backup"} <= {
        r.name for r in routes
    }
    for route in routes:
        url = reverse(route.name)
        response = client.get(url)
        assert is_login_redirect(response), (
            f"anonymous GET {url} ({route.name}) answered {response.status_code}; if it is public on purpose, "
            "add it to PUBLIC_PAGES in tests/test_isolation.py"
        )
        post = client.post(url, {})
        assert is_login_redirect(post) or post.status_code == 405, f"anonymous POST {url} answered {post.status_code}"


# --- Pages and exports show only the requester's data ---


@pytest.fixture
def two_diaries(alice, bob):
    today = timezone.localdate()
    for user, marker in ((alice, ALICE_MARKER), (bob, BOB_MARKER)):
        bed = make_bed(user, f"Bed {marker}", notes=marker)
        medicine = Medicine.objects.create(user=user, name=f"Pill {marker}", medicine_class="nsaid", dose=200)
        for offset in range(1, 6):
            night = make_night(
                user, bed=bed, date=today - timedelta(days=offset), night_pain=offset, notes=f"{marker} {offset}"
            )
            MedicineDose.objects.create(night=night, medicine=medicine, doses=offset)
        PegCheckIn.objects.create(user=user, date=today - timedelta(days=1), pain=offset, enjoyment=3, activity=4)
    return today


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def bob_reads(client, bob, url: str):
    """What Bob gets at `url` right after Alice opened it: pages and exports keep rendered HTML in
    the cache, and a cache key without the user would hand Alice's diary to Bob."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="alice@example.com"))
    first = client.get(url)
    assert first.status_code == 200, f"{url} answered Alice {first.status_code}"
    client.logout()
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return body(response)


@pytest.mark.parametrize(
    "name",
    [
        "diary:night-list",
        "diary:calendar",
        "diary:charts",
        "diary:report",
        "diary:share-list",
        "diary:bed-list",
        "diary:medicine-list",
        "diary:peg-check-in",
        "diary:night-create",
    ],
)
def test_pages_show_only_the_signed_in_persons_data(client, bob, two_diaries, name):
    page = bob_reads(client, bob, reverse(name) + ("?period=all" if name == "diary:report" else "")).decode()
    assert ALICE_MARKER not in page


def test_the_diary_page_shows_bobs_own_nights(client, bob, two_diaries):
    assert BOB_MARKER in bob_reads(client, bob, reverse("diary:night-list")).decode()


def test_csv_export_contains_only_the_requesters_nights(client, bob, two_diaries):
    text = bob_reads(client, bob, reverse("diary:export-csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 5  # header and Bob's five nights
    assert ALICE_MARKER not in text
    assert BOB_MARKER in text


def test_pdf_report_contains_only_the_requesters_data(client, bob, two_diaries):
    pdf = bob_reads(client, bob, reverse("diary:report-pdf") + "?period=all")
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert ALICE_MARKER not in text
    assert BOB_MARKER in text.replace("\n", " ")


def test_fhir_bundle_contains_only_the_requesters_data(client, bob, two_diaries):
    raw = bob_reads(client, bob, reverse("diary:report-fhir") + "?period=all").decode()
    bundle = json.loads(raw)
    assert bundle["resourceType"] == "Bundle"
    assert ALICE_MARKER not in raw
    assert "alice@example.com" not in raw
    patients = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) <= 1


def test_backup_contains_only_the_requesters_data(client, bob, two_diaries):
    raw = bob_reads(client, bob, reverse("account-backup")).decode()
    assert ALICE_MARKER not in raw
    assert "alice@example.com" not in raw
    assert BOB_MARKER in raw


def test_bobs_share_link_shows_only_bobs_report(client, bob, two_diaries):
    link, token = ShareLink.create_for(bob, start=two_diaries - timedelta(days=10), end=two_diaries, expiry_days=1)
    page = client.get(reverse("diary:shared-report", kwargs={"token": token})).content.decode()
    assert ALICE_MARKER not in page


# --- The admin: non-staff users get nothing, staff see no health data ---

HEALTH_ADMIN_MODELS = ["night", "profile", "bed"]


@pytest.fixture
def staff(django_user_model):
    """A staff account granted every diary permission: being staff must still not be enough."""
    user = make_user(django_user_model, "staff@example.com")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="diary"))
    return user


def admin_urls(objects, alice) -> list[str]:
    urls = ["/admin/", "/admin/diary/", "/admin/auth/user/"]
    for model in HEALTH_ADMIN_MODELS:
        urls.append(f"/admin/diary/{model}/")
    urls += [
        f"/admin/diary/night/{objects['night'].pk}/change/",
        f"/admin/diary/bed/{objects['bed'].pk}/change/",
        f"/admin/diary/profile/{alice.profile.pk}/change/",
    ]
    return urls


def test_admin_sends_a_signed_in_non_staff_user_to_the_admin_log_in(client, alice, bob, alice_objects):
    client.force_login(bob)
    for url in admin_urls(alice_objects, alice):
        response = client.get(url)
        assert response.status_code == 302, f"{url} answered {response.status_code}"
        assert response["Location"].startswith("/admin/login/"), url


def test_admin_shows_staff_who_are_not_superusers_no_health_data(client, alice, staff, alice_objects):
    client.force_login(staff)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/diary/" not in index.content.decode()
    for url in admin_urls(alice_objects, alice)[1:]:
        if url == "/admin/auth/user/":
            continue
        response = client.get(url)
        assert response.status_code in {403, 404}, f"staff GET {url} answered {response.status_code}"
        assert ALICE_MARKER not in response.content.decode()
    # Nor may staff change or delete it.
    night = alice_objects["night"]
    response = client.post(f"/admin/diary/night/{night.pk}/delete/", {"post": "yes"})
    assert response.status_code in {403, 404}
    assert Night.objects.filter(pk=night.pk).exists()


def test_admin_lets_a_superuser_see_the_diary(client, django_user_model, alice_objects):
    # The control: the admin pages above exist; they are closed, not missing.
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-unusual-pass-42")
    client.force_login(root)
    assert client.get("/admin/diary/night/").status_code == 200
    assert client.get(f"/admin/diary/night/{alice_objects['night'].pk}/change/").status_code == 200


def test_the_share_link_tokens_are_not_stored(alice_objects):
    # Why the stored-hash test above matters: the database holds only SHA-256 of the token.
    link = alice_objects["share_link"]
    assert link.token_hash == ShareLink.hash_token(alice_objects["token"])
    assert alice_objects["token"] not in str(ShareLink.objects.filter(pk=link.pk).values().get())


def test_the_report_period_cannot_reach_another_users_nights(client, bob, two_diaries):
    # Period parameters are the only input the report takes: no user id, no share id.
    client.force_login(bob)
    start = (two_diaries - timedelta(days=30)).isoformat()
    for query in (f"?period=custom&start={start}&end={two_diaries}", "?user=1", "?user_id=1&period=all"):
        for name in ("diary:report", "diary:report-fhir"):
            response = client.get(reverse(name) + query)
            assert response.status_code == 200
            assert ALICE_MARKER not in response.content.decode()
