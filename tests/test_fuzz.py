"""Bad input, property-based: whatever is sent, no server error and no partial write.

Every example runs inside a transaction that is rolled back afterwards, so examples are
independent although they share the `alice` and `bob` fixtures (hence the suppressed
function-scoped-fixture health check). After a rejected submission the database must be exactly
as before; after an accepted one it must hold exactly what was accepted and nothing else.
"""

from __future__ import annotations

import json
import zoneinfo
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from diary.choices import EasedBy, PainArea, Symptom, WokeByPain
from diary.models import Bed, Night, Profile, ShareLink
from diary.transfer.csv_export import HEADER
from diary.transfer.csv_import import parse_diary_csv
from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    # The alice/bob fixtures are shared by every example; rolled_back() keeps the examples apart.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW_FUZZ = settings(FUZZ, max_examples=25)  # PDF rendering takes a fraction of a second each


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False):
        yield


@contextmanager
def rolled_back():
    """Run one example in a transaction that is always rolled back, with no rate limits carried over."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def snapshot(user) -> dict:
    """Every row of `user` that a submission could write."""
    return {
        "nights": list(Night.objects.for_user(user).order_by("pk").values()),
        "beds": list(Bed.objects.for_user(user).order_by("pk").values()),
        "profile": list(Profile.objects.filter(user=user).values()),
        "links": list(ShareLink.objects.for_user(user).order_by("pk").values()),
    }


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Strategies: each field is either a plausible value or junk ---

junk = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=5000),
    st.sampled_from(["", " ", "\x00", "-1", "1e9", "NaN", "Infinity", "0x10", "１０", "<script>", "'; DROP TABLE x"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
iso_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
recent_dates = st.dates(min_value=TODAY - timedelta(days=60), max_value=TODAY + timedelta(days=2)).map(date.isoformat)


def either(valid):
    return st.one_of(valid, junk)


def codes(choices):
    return st.lists(either(st.sampled_from(list(choices.values))), max_size=4)


def valid_codes(choices):
    return st.lists(st.sampled_from(list(choices.values)), unique=True, max_size=3)


@st.composite
def mostly_valid(draw, valid: dict, broken: dict, optional: dict | None = None, max_broken: int = 3):
    """A submission that is valid but for up to `max_broken` fields, so that both the accepted
    and the rejected paths are exercised (random values in every field would never be accepted)."""
    values = {name: draw(strategy) for name, strategy in valid.items()}
    for name, strategy in (optional or {}).items():
        if draw(st.booleans()):
            values[name] = draw(strategy)
    for name in draw(st.sets(st.sampled_from(sorted(broken)), max_size=max_broken)):
        values[name] = draw(broken[name])
    return values


def blank_or(strategy):
    return st.one_of(st.just(""), strategy)


night_posts = mostly_valid(
    valid={
        "date": recent_dates,
        "night_pain": st.integers(0, 10).map(str),
        "woke_by_pain": st.sampled_from(list(WokeByPain.values)),
        "pain_areas": valid_codes(PainArea),
        "morning_quick": st.sampled_from(["0", "5", "15", "30", "60", "120", "180"]),
        "morning_pain_minutes": blank_or(st.integers(0, 1440).map(str)),
        "eased_by": valid_codes(EasedBy),
        "bed": st.just("own"),
        "new_bed_name": st.sampled_from(["", "", "", "Sofa", "Old mattress", "  guest   bed "]),
        "new_bed_kind": st.sampled_from(list(Bed.Kind.values)),
        "new_bed_firmness": st.sampled_from(list(Bed.Firmness.values)),
        "temperature_c": blank_or(st.decimals(34, 43, places=1).map(str)),
        "night_urinations": blank_or(st.integers(0, 20).map(str)),
        "symptoms": valid_codes(Symptom),
        "stress": blank_or(st.integers(0, 10).map(str)),
        "day_pain": blank_or(st.integers(0, 10).map(str)),
        "notes": st.text(max_size=200),
    },
    broken={
        "date": st.one_of(iso_dates, junk),
        "night_pain": junk,
        "woke_by_pain": junk,
        "pain_areas": codes(PainArea),
        "morning_quick": junk,
        "morning_pain_minutes": st.one_of(st.integers(-5, 1500).map(str), junk),
        "eased_by": codes(EasedBy),
        # Bob's bed (someone else's id), junk, or none at all.
        "bed": st.sampled_from(["bob", "junk", ""]),
        "new_bed_name": st.one_of(st.text(min_size=79, max_size=90), junk),
        "new_bed_kind": junk,
        "new_bed_firmness": junk,
        "temperature_c": st.one_of(st.decimals(30, 45, places=2).map(str), st.just("37,8"), junk),
        "night_urinations": st.one_of(st.integers(-2, 25).map(str), junk),
        "symptoms": codes(Symptom),
        "stress": st.one_of(st.integers(-2, 12).map(str), junk),
        "day_pain": st.one_of(st.integers(-2, 12).map(str), junk),
        "notes": st.one_of(st.text(min_size=3990, max_size=4100), junk),
    },
)


@pytest.fixture
def alice_diary(alice, bob):
    own = make_bed(alice, "Old mattress")
    make_night(alice, bed=own, date=TODAY - timedelta(days=3), notes="already logged")
    bobs = make_bed(bob, "Bob's bed")
    make_night(bob, bed=bobs, date=TODAY - timedelta(days=3))
    return {"own_bed": own, "bob_bed": bobs}


def assert_valid_night(night: Night) -> None:
    night.full_clean()  # every model validator and constraint holds for what was saved
    assert night.date <= TODAY
    assert night.bed.user_id == night.user_id


# --- The log form ---


@FUZZ
@given(data=night_posts)
def test_the_log_form_never_errors_and_never_half_saves(client, alice, bob, alice_diary, data):
    client.force_login(alice)
    bed = data.pop("bed")
    data["bed"] = {"own": alice_diary["own_bed"].pk, "bob": alice_diary["bob_bed"].pk, "junk": "abc", "": ""}[bed]
    with rolled_back():
        before, bobs_before = snapshot(alice), snapshot(bob)
        response = client.post(reverse("diary:night-create"), data)
        event(f"status {response.status_code}")  # pytest --hypothesis-show-statistics
        assert response.status_code < 500
        after = snapshot(alice)
        if response.status_code == 302:
            assert len(after["nights"]) == len(before["nights"]) + 1
            assert len(after["beds"]) - len(before["beds"]) in {0, 1}
            assert after["profile"] == before["profile"]
            new = Night.objects.for_user(alice).exclude(pk__in=[n["id"] for n in before["nights"]]).get()
            assert_valid_night(new)
            assert new.bed_id != alice_diary["bob_bed"].pk
        else:
            assert response.status_code in {200, 400}
            assert after == before
        assert snapshot(bob) == bobs_before


@FUZZ
@given(data=night_posts)
def test_editing_a_night_with_bad_values_leaves_it_as_it_was(client, alice, bob, alice_diary, data):
    client.force_login(alice)
    night = Night.objects.for_user(alice).get()
    data.pop("bed", None)
    data["bed"] = alice_diary["own_bed"].pk
    with rolled_back():
        before = snapshot(alice)
        response = client.post(reverse("diary:night-edit", kwargs={"pk": night.pk}), data)
        event(f"status {response.status_code}")
        assert response.status_code < 500
        if response.status_code == 302:
            night.refresh_from_db()
            assert_valid_night(night)
            assert Night.objects.for_user(alice).count() == 1
        else:
            assert snapshot(alice) == before


# --- The profile form ---

time_zone_names = st.sampled_from(["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"])
PROFILE_FLAGS = (
    "history_of_cancer",
    "osteoporosis",
    "long_term_steroids",
    "family_spondyloarthritis",
    "psoriasis_arthritis_enthesitis",
    "reminder_enabled",
)
profile_posts = mostly_valid(
    valid={
        "display_name": st.text(max_size=100),
        "time_zone": time_zone_names,
        "birth_year": blank_or(st.integers(TODAY.year - 120, TODAY.year).map(str)),
        "back_pain_since": blank_or(st.dates(date(1900, 1, 1), TODAY).map(date.isoformat)),
        "reminder_time": blank_or(st.times().map(lambda t: t.strftime("%H:%M"))),
    },
    optional={name: st.just("on") for name in PROFILE_FLAGS},
    broken={
        "display_name": st.one_of(st.text(min_size=101, max_size=200), junk),
        "time_zone": st.one_of(st.sampled_from(["Mars/Olympus", "utc", "../../etc/passwd", "Europe"]), junk),
        "birth_year": st.one_of(st.integers(1800, 2100).map(str), junk),
        "back_pain_since": st.one_of(iso_dates, junk),
        "reminder_time": junk,
        **dict.fromkeys(PROFILE_FLAGS, junk),
    },
)


@FUZZ
@given(data=profile_posts)
def test_the_profile_form_never_errors_and_never_half_saves(client, alice, bob, data):
    client.force_login(alice)
    with rolled_back():
        before, bobs_before = snapshot(alice), snapshot(bob)
        response = client.post(reverse("profile"), data)
        event(f"status {response.status_code}")
        assert response.status_code < 500
        if response.status_code == 302:
            profile = Profile.objects.get(user=alice)
            profile.full_clean()
            zoneinfo.ZoneInfo(profile.time_zone)
            assert profile.birth_year is None or TODAY.year - 120 <= profile.birth_year <= TODAY.year
            assert profile.back_pain_since is None or date(1900, 1, 1) <= profile.back_pain_since <= TODAY
            assert not profile.reminder_enabled or profile.reminder_time is not None
            assert snapshot(alice)["nights"] == before["nights"]
        else:
            assert response.status_code in {200, 400}
            assert snapshot(alice) == before
        assert snapshot(bob) == bobs_before


# --- The CSV import: the parse function and the web upload ---

CSV_VALID_CELLS = {
    "date": recent_dates,
    "night_pain": st.integers(0, 10).map(str),
    "woke_by_pain": st.sampled_from(["", *WokeByPain.values]),
    "pain_areas": valid_codes(PainArea).map(";".join),
    "morning_pain_minutes": st.integers(0, 1440).map(str),
    "eased_by": st.sampled_from(["", "movement", "rest;painkiller"]),
    "bed": st.sampled_from(["Old mattress", "Sofa", "=cmd|' /C calc'!A0"]),
    "temperature_c": blank_or(st.decimals(34, 43, places=1).map(str)),
    "night_urinations": blank_or(st.integers(0, 20).map(str)),
    "symptoms": st.sampled_from(["", "chills", "chills;nausea"]),
    "stress": blank_or(st.integers(0, 10).map(str)),
    "day_pain": blank_or(st.integers(0, 10).map(str)),
    "notes": st.text(max_size=100),
}
CSV_BROKEN_CELLS = dict.fromkeys(HEADER, junk) | {
    "date": st.one_of(iso_dates, junk),
    "temperature_c": st.decimals(33, 44, places=2).map(str),
}


def in_header_order(row: dict) -> list[str]:
    return [row[name] for name in HEADER]


csv_rows = mostly_valid(CSV_VALID_CELLS, CSV_BROKEN_CELLS, max_broken=2).map(in_header_order)
valid_csv_rows = mostly_valid(CSV_VALID_CELLS, CSV_BROKEN_CELLS, max_broken=0).map(in_header_order)


def to_csv(rows: list[list[str]], header=HEADER) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


csv_uploads = st.one_of(
    st.lists(valid_csv_rows, min_size=1, max_size=6).map(to_csv),
    st.lists(csv_rows, min_size=1, max_size=8).map(to_csv),
    st.lists(csv_rows, max_size=3).map(lambda rows: to_csv(rows, header=list(reversed(HEADER)))),
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
    st.lists(csv_rows, min_size=1, max_size=3).map(lambda rows: to_csv(rows).decode().encode("utf-16")),
)


def check_import_outcome(alice, before, ok: bool, created: int) -> None:
    after = snapshot(alice)
    if not ok:
        assert after == before
        return
    assert len(after["nights"]) == len(before["nights"]) + created
    assert after["profile"] == before["profile"]
    for night in Night.objects.for_user(alice).select_related("bed"):
        assert_valid_night(night)


@FUZZ
@given(upload=csv_uploads, replace=st.booleans())
def test_parsing_any_csv_never_raises_and_imports_all_or_nothing(alice, bob, alice_diary, upload, replace):
    with rolled_back():
        before, bobs_before = snapshot(alice), snapshot(bob)
        result = parse_diary_csv(upload, alice, replace=replace, today=TODAY)
        event(f"imported {result.created}" if result.ok else "rejected")
        check_import_outcome(alice, before, result.ok, result.created)
        if not result.ok:
            assert result.problems and all(str(problem) for problem in result.problems)
        assert snapshot(bob) == bobs_before


@FUZZ
@given(upload=csv_uploads, replace=st.booleans())
def test_uploading_any_csv_never_errors_and_imports_all_or_nothing(client, alice, bob, alice_diary, upload, replace):
    client.force_login(alice)
    data = {"file": SimpleUploadedFile("nights.csv", upload, content_type="text/csv")}
    if replace:
        data["replace"] = "on"
    with rolled_back():
        before, bobs_before = snapshot(alice), snapshot(bob)
        response = client.post(reverse("diary:import-csv"), data)
        event(f"status {response.status_code}")
        assert response.status_code < 500
        accepted = response.status_code == 302
        if accepted:
            assert len(snapshot(alice)["nights"]) >= len(before["nights"])
            for night in Night.objects.for_user(alice).select_related("bed"):
                assert_valid_night(night)
        else:
            assert response.status_code in {200, 400, 413}
            assert snapshot(alice) == before
        assert snapshot(bob) == bobs_before


# --- The report period parameters ---

period_queries = st.dictionaries(
    keys=st.one_of(st.sampled_from(["period", "start", "end", "include_name", "paper", "page"]), st.text(max_size=8)),
    values=st.one_of(
        st.sampled_from(["14", "30", "90", "all", "custom", "0", "-1", "365000"]),
        iso_dates,
        recent_dates,
        junk,
    ),
    max_size=5,
)


def get_with_query(client, name: str, query: dict[str, str]):
    return client.get(reverse(name) + "?" + urlencode(query))


@FUZZ
@given(query=period_queries)
def test_the_report_page_answers_any_period_without_a_server_error(client, alice, alice_diary, query):
    client.force_login(alice)
    response = get_with_query(client, "diary:report", query)
    assert response.status_code in {200, 400}


@FUZZ
@given(query=period_queries)
def test_the_fhir_download_answers_any_period_without_a_server_error(client, alice, alice_diary, query):
    client.force_login(alice)
    response = get_with_query(client, "diary:report-fhir", query)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert json.loads(response.content)["resourceType"] == "Bundle"


@SLOW_FUZZ
@given(query=period_queries)
def test_the_pdf_download_answers_any_period_without_a_server_error(client, alice, alice_diary, query):
    client.force_login(alice)
    response = get_with_query(client, "diary:report-pdf", query)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert body_of(response).startswith(b"%PDF")


@FUZZ
@given(query=period_queries)
def test_the_csv_export_and_charts_answer_any_period_without_a_server_error(client, alice, alice_diary, query):
    client.force_login(alice)
    for name in ("diary:export-csv", "diary:charts", "diary:night-list", "diary:calendar"):
        response = get_with_query(client, name, query)
        assert response.status_code in {200, 400}, name
        body_of(response)  # a streamed export fails while streaming, not before


# --- Share-link creation ---

share_posts = mostly_valid(
    valid={
        "label": st.text(max_size=80),
        "start": st.dates(TODAY - timedelta(days=400), TODAY - timedelta(days=14)).map(date.isoformat),
        "end": st.dates(TODAY - timedelta(days=13), TODAY).map(date.isoformat),
        "expiry_days": st.sampled_from(["1", "7", "30"]),
        "passcode": blank_or(st.text(alphabet="abcdefghjkmnpqrstuvwxyz23456789", min_size=10, max_size=20)),
    },
    optional={"include_name": st.just("on")},
    broken={
        "label": st.one_of(st.text(min_size=81, max_size=200), junk),
        "start": st.one_of(iso_dates, recent_dates, junk),
        "end": st.one_of(iso_dates, recent_dates, junk),
        "expiry_days": st.one_of(st.sampled_from(["0", "2", "365", "-7", "7.0"]), junk),
        "passcode": st.one_of(st.text(max_size=9), st.text(min_size=65, max_size=100), junk),
        "include_name": junk,
    },
)


@FUZZ
@given(data=share_posts)
def test_creating_a_share_link_never_errors_and_never_half_saves(client, alice, bob, alice_diary, data):
    client.force_login(alice)
    with rolled_back():
        before, bobs_before = snapshot(alice), snapshot(bob)
        response = client.post(reverse("diary:share-list"), data)
        assert response.status_code < 500
        after = snapshot(alice)
        created = len(after["links"]) - len(before["links"])
        event(f"status {response.status_code}, {created} created")
        assert created in {0, 1}
        assert {key: value for key, value in after.items() if key != "links"} == {
            key: value for key, value in before.items() if key != "links"
        }
        if created:
            link = ShareLink.objects.for_user(alice).latest("created_at")
            link.full_clean()
            assert link.start <= link.end <= TODAY
            assert (link.expires_at - link.created_at).days in ShareLink.EXPIRY_DAYS
            assert link.revoked_at is None and link.open_count == 0
            # The form strips input as str.strip() does: a passcode of only whitespace (e.g. "\x85")
            # is no passcode at all, and '' is trivially "in" any hash.
            passcode = (data.get("passcode") or "").strip()
            if passcode:
                assert passcode not in link.passcode_hash
        else:
            assert after == before
        assert snapshot(bob) == bobs_before


# --- Oversized and overfull request bodies ---


def form_targets(alice_diary) -> list[str]:
    night = Night.objects.filter(user=alice_diary["own_bed"].user).first()
    return [
        reverse("diary:night-create"),
        reverse("diary:night-edit", kwargs={"pk": night.pk}),
        reverse("profile"),
        reverse("diary:bed-create"),
        reverse("diary:share-list"),
    ]


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_an_oversized_request_body_is_refused_unread(client, alice, alice_diary, encoding):
    client.force_login(alice)
    notes = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    before = snapshot(alice)
    for url in form_targets(alice_diary):
        data = {"date": "2026-11-19", "night_pain": "3", "morning_quick": "0", "notes": notes, "display_name": notes}
        if encoding == "urlencoded":
            response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
        else:
            response = client.post(url, data)
        # 413 from RequestSizeLimitMiddleware, from Content-Length, before anything reads the body.
        assert response.status_code == 413, f"{url} ({encoding}) answered {response.status_code}"
    assert snapshot(alice) == before


def test_a_request_with_too_many_fields_is_refused_with_400(client, alice, alice_diary):
    client.force_login(alice)
    before = snapshot(alice)
    fields = urlencode([("pain_areas", f"area{i}") for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)])
    for url in form_targets(alice_diary):
        response = client.post(url, fields, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, f"{url} answered {response.status_code}"
    assert snapshot(alice) == before
