"""Full account backup and restore: a faithful round trip, all or nothing, only into an empty account."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.models import Bed, Medicine, MedicineDose, Night, PegCheckIn, Profile, ShareLink
from diary.transfer.backup import FORMAT, FORMAT_VERSION, MAX_ENTRIES, dump_account, parse_backup
from diary.transfer.restore import restore_account
from tests.factories import make_bed, make_night, make_user

pytestmark = pytest.mark.django_db

CREATED = datetime(2026, 11, 1, 7, 15, tzinfo=UTC)
RESTORED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users and share-link passcodes are hashed in every setup here; Argon2 would make that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carol(django_user_model):
    return make_user(django_user_model, "carol@example.com")


@pytest.fixture
def alice_account(alice, bob):
    """Alice with every profile field, two beds, nights using every field, and two share links."""
    Profile.objects.filter(user=alice).update(
        display_name="Alice Example",
        time_zone="America/New_York",
        birth_year=1990,
        back_pain_since=date(2025, 3, 1),
        history_of_cancer=True,
        osteoporosis=True,
        long_term_steroids=True,
        family_spondyloarthritis=True,
        psoriasis_arthritis_enthesitis=True,
        reminder_enabled=True,
        reminder_time=time(7, 30),
        reminder_last_sent_on=date(2026, 11, 3),
    )
    with time_machine.travel(CREATED, tick=False):
        old = make_bed(alice, "Old mattress", kind="mattress", firmness="soft", notes="Sags in the middle")
        sofa = make_bed(alice, "Sofa", kind="sofa", firmness="firm")
        make_night(alice, old, date=date(2026, 11, 1), night_pain=3)
        make_night(
            alice,
            sofa,
            date=date(2026, 11, 2),
            night_pain=8,
            woke_by_pain="late",
            morning_pain_minutes=90,
            temperature_c=Decimal("38.4"),
            night_urinations=3,
            stress=7,
            day_pain=5,
            notes="Couldn't sleep; “fever” → doctor?",
            pain_areas=["lower_back", "flank_left", "leg"],
            eased_by=["movement", "painkiller"],
            symptoms=["chills", "painful_urination"],
        )
        last = make_night(alice, old, date=date(2026, 11, 3), night_pain=0, woke_by_pain="early", eased_by=["nothing"])
        ibuprofen = Medicine.objects.create(user=alice, name="Ibuprofen", medicine_class="nsaid", dose=400)
        codeine = Medicine.objects.create(
            user=alice, name="Co-codamol", medicine_class="opioid", dose=Decimal("2"), unit="tablet", current=False
        )
        MedicineDose.objects.create(night=last, medicine=ibuprofen, doses=2, taken_at=time(22, 30))
        MedicineDose.objects.create(night=last, medicine=codeine, doses=1)
        PegCheckIn.objects.create(user=alice, date=date(2026, 11, 3), pain=6, enjoyment=5, activity=4)
        active, _ = ShareLink.create_for(
            alice, start=date(2026, 11, 1), end=date(2026, 11, 3), expiry_days=7, label="Dr Patel", passcode="2468"
        )
        revoked, _ = ShareLink.create_for(alice, start=date(2026, 11, 2), end=date(2026, 11, 2), expiry_days=1)
    revoked.revoke()
    active.record_open()
    make_night(bob, date=date(2026, 11, 2), night_pain=9, notes="bob-secret")
    return alice


def comparable(backup: dict) -> dict:
    """A backup without what differs between two accounts or two exports."""
    backup = copy.deepcopy(backup)
    del backup["exported_at"], backup["account"]
    return backup


# --- The backup ----------------------------------------------------------------------------


def test_a_backup_holds_the_profile_beds_nights_and_link_metadata(alice_account):
    backup = dump_account(alice_account)
    json.dumps(backup)  # JSON-able as it is
    assert backup["format"] == FORMAT and backup["format_version"] == FORMAT_VERSION
    assert backup["profile"]["time_zone"] == "America/New_York"
    assert backup["profile"]["reminder_time"] == "07:30:00"
    assert [bed["name"] for bed in backup["beds"]] == ["Old mattress", "Sofa"]
    assert [night["date"] for night in backup["nights"]] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    full = backup["nights"][1]
    assert full["bed"] == "Sofa"
    assert full["temperature_c"] == "38.4"
    assert full["pain_areas"] == ["lower_back", "flank_left", "leg"]
    assert full["eased_by"] == ["movement", "painkiller"]
    assert full["symptoms"] == ["painful_urination", "chills"]
    assert set(full) == {
        *("date", "night_pain", "woke_by_pain", "morning_pain_minutes", "temperature_c", "night_urinations"),
        *("stress", "day_pain", "notes", "created_at", "updated_at", "bed", "pain_areas", "eased_by", "symptoms"),
        "medicines",
    }
    assert backup["nights"][2]["medicines"] == [
        {"medicine": "Co-codamol", "doses": 1, "taken_at": None},
        {"medicine": "Ibuprofen", "doses": 2, "taken_at": "22:30:00"},
    ]
    assert [(m["name"], m["medicine_class"], m["dose"], m["unit"], m["current"]) for m in backup["medicines"]] == [
        ("Co-codamol", "opioid", "2.00", "tablet", False),
        ("Ibuprofen", "nsaid", "400.00", "mg", True),
    ]
    assert [(c["date"], c["pain"], c["enjoyment"], c["activity"]) for c in backup["peg_check_ins"]] == [
        ("2026-11-03", 6, 5, 4)
    ]
    assert [(link["label"], link["has_passcode"], link["open_count"]) for link in backup["share_links"]] == [
        ("Dr Patel", True, 1),
        ("", False, 0),
    ]


def test_a_backup_never_holds_link_secrets_or_another_users_data(alice_account):
    text = json.dumps(dump_account(alice_account))
    for link in ShareLink.objects.for_user(alice_account):
        assert link.token_hash not in text
        assert not link.passcode_hash or link.passcode_hash not in text
    assert "token" not in text and "passcode_hash" not in text and "failed_attempts" not in text
    assert "bob-secret" not in text


# --- Restore -------------------------------------------------------------------------------


def test_a_restored_account_backs_up_exactly_like_the_original(alice_account, carol):
    original = dump_account(alice_account)
    with time_machine.travel(RESTORED, tick=False):
        result = restore_account(carol, json.loads(json.dumps(original)))
    assert result.ok, result.problems
    assert (result.beds, result.nights, result.share_links) == (2, 3, 2)

    again = dump_account(carol)
    expected = comparable(original)
    # The only change: the link that was still active comes back revoked, at the moment of the restore.
    assert expected["share_links"][0]["revoked_at"] is None
    expected["share_links"][0]["revoked_at"] = RESTORED.isoformat()
    assert comparable(again) == expected

    def records(user):  # bed ids differ between accounts; everything else must not
        return [dataclasses.replace(r, bed_id=None) for r in Night.objects.for_user(user).records()]

    assert records(carol) == records(alice_account)


def test_a_backup_without_timestamps_restores_with_the_time_of_the_restore(alice_account, carol):
    backup = dump_account(alice_account)
    for row in [*backup["beds"], *backup["nights"]]:
        row.pop("created_at"), row.pop("updated_at", None)
    with time_machine.travel(RESTORED, tick=False):
        assert restore_account(carol, backup).ok
    assert set(Night.objects.for_user(carol).values_list("created_at", "updated_at")) == {(RESTORED, RESTORED)}
    assert set(Bed.objects.for_user(carol).values_list("created_at", flat=True)) == {RESTORED}


def test_restored_share_links_cannot_be_opened(alice_account, carol):
    restore_account(carol, dump_account(alice_account))
    links = list(ShareLink.objects.for_user(carol))
    assert len(links) == 2
    assert all(link.revoked_at is not None for link in links)
    assert not ShareLink.objects.for_user(carol).active().exists()
    with_passcode = next(link for link in links if link.label == "Dr Patel")
    assert with_passcode.has_passcode
    assert not with_passcode.passcode_matches("2468")


def test_restore_refuses_an_account_that_has_a_bed_or_a_night(alice_account, carol):
    backup = dump_account(alice_account)
    make_bed(carol, "Carol's bed")
    result = restore_account(carol, backup)
    assert not result.ok
    assert "empty account" in result.problems[0]
    assert Bed.objects.for_user(carol).count() == 1
    assert not Night.objects.for_user(carol).exists()
    assert Profile.objects.get(user=carol).time_zone == "Europe/London"


def broken(backup: dict, change) -> dict:
    backup = copy.deepcopy(backup)
    change(backup)
    return backup


def _night(index: int, **values):
    def change(backup):
        backup["nights"][index].update(values)

    return change


MUTATIONS = {
    "not a backup": lambda b: b.update(format="something-else"),
    "a newer version": lambda b: b.update(format_version=FORMAT_VERSION + 1),
    "a night's medicine not in the file": lambda b: b["nights"][2]["medicines"].append(
        {"medicine": "Tramadol", "doses": 1}
    ),
    "negative doses": lambda b: b["nights"][2]["medicines"][0].update(doses=-1),
    "doses not a number": lambda b: b["nights"][2]["medicines"][0].update(doses="2"),
    "a medicine twice": lambda b: b["medicines"].append(dict(b["medicines"][0])),
    "a negative usual dose": lambda b: b["medicines"][0].update(dose="-400"),
    "an unknown medicine class": lambda b: b["medicines"][0].update(medicine_class="homeopathy"),
    "a PEG item of 11": lambda b: b["peg_check_ins"][0].update(pain=11),
    "a PEG check-in twice": lambda b: b["peg_check_ins"].append(dict(b["peg_check_ins"][0])),
    "nights not a list": lambda b: b.update(nights={"2026-11-01": {}}),
    "a night not an object": lambda b: b["nights"].append("2026-11-04"),
    "pain above 10": _night(1, night_pain=11),
    "pain as text": _night(1, night_pain="8"),
    "pain as a boolean": _night(1, night_pain=True),
    "negative minutes": _night(0, morning_pain_minutes=-5),
    "temperature too precise": _night(1, temperature_c="38.45"),
    "temperature out of range": _night(1, temperature_c="45.0"),
    "an unknown symptom": _night(1, symptoms=["chills", "hiccups"]),
    "an unknown woke code": _night(1, woke_by_pain="sometimes"),
    "a bad date": _night(2, date="2026-02-30"),
    "a missing date": _night(2, date=None),
    "a duplicate date": _night(2, date="2026-11-01"),
    "a bed not in the file": _night(2, bed="Hammock"),
    "an unknown field": _night(0, mood="fine"),
    "a duplicate bed": lambda b: b["beds"].append(dict(b["beds"][0])),
    "a bad bed kind": lambda b: b["beds"][0].update(kind="waterbed"),
    "a bad time zone": lambda b: b["profile"].update(time_zone="Mars/Olympus"),
    "a bad reminder time": lambda b: b["profile"].update(reminder_time="25:00"),
    "a link ending before it starts": lambda b: b["share_links"][0].update(start="2026-11-05"),
    "a link without expiry": lambda b: b["share_links"][0].update(expires_at=None),
    # Dates outside the diary's one range, 1900-01-01 to today (issue 13, items 8 and 9).
    "a night dated the day after tomorrow": _night(2, date=(datetime.now(UTC) + timedelta(days=2)).date().isoformat()),
    "a night dated 9999-12-31": _night(2, date="9999-12-31"),
    "a night dated 0001-01-01": _night(2, date="0001-01-01"),
    "a night dated 1899-12-31": _night(2, date="1899-12-31"),
    "a PEG check-in next year": lambda b: b["peg_check_ins"][0].update(date=f"{datetime.now(UTC).year + 1}-01-05"),
    "a link from year 1": lambda b: b["share_links"][0].update(start="0001-01-01"),
    "pain since year 1": lambda b: b["profile"].update(back_pain_since="0001-01-01"),
    "a bed twice in another case": lambda b: b["beds"].append({**b["beds"][0], "name": b["beds"][0]["name"].upper()}),
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_a_bad_backup_is_refused_and_nothing_is_written(alice_account, carol, mutation):
    result = restore_account(carol, broken(dump_account(alice_account), mutation))
    assert not result.ok
    assert result.problems and all(isinstance(p, str) and p for p in result.problems)
    assert not Bed.objects.for_user(carol).exists()
    assert not Night.objects.for_user(carol).exists()
    assert not ShareLink.objects.for_user(carol).exists()
    assert Profile.objects.get(user=carol).time_zone == "Europe/London"


@pytest.mark.parametrize("data", [None, [], "backup", 42, {"format": FORMAT}])
def test_something_that_is_not_a_backup_object_is_refused(carol, data):
    result = restore_account(carol, data)
    assert not result.ok
    assert not Bed.objects.for_user(carol).exists()


def test_problems_name_the_night_and_the_field(alice_account, carol):
    result = restore_account(carol, broken(dump_account(alice_account), _night(1, night_pain=11, symptoms=["hiccups"])))
    assert any(p.startswith("Night 2026-11-02: night_pain") for p in result.problems)
    assert any("hiccups" in p for p in result.problems)


def test_a_database_failure_half_way_writes_nothing(alice_account, carol, monkeypatch):
    backup = dump_account(alice_account)

    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ShareLink.objects, "bulk_create", fail)  # the last write
    result = restore_account(carol, backup)
    assert not result.ok
    assert not Bed.objects.for_user(carol).exists()
    assert not Night.objects.for_user(carol).exists()
    assert Profile.objects.get(user=carol).time_zone == "Europe/London"


# --- The pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["account-backup", "account-restore"])
def test_backup_and_restore_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_backup_downloads_as_a_private_json_attachment(client, alice_account):
    client.force_login(alice_account)
    with time_machine.travel(datetime(2026, 11, 21, 3, 0, tzinfo=UTC), tick=False):  # still 20 Nov in New York
        response = client.get(reverse("account-backup"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="night-diary-backup-2026-11-20.json"'
    assert "no-store" in response["Cache-Control"]
    assert comparable(json.loads(response.content)) == comparable(dump_account(alice_account))
    assert b"bob-secret" not in response.content


def upload(content: bytes, name: str = "backup.json") -> dict:
    return {"backup": SimpleUploadedFile(name, content, content_type="application/json")}


def test_uploading_a_backup_restores_it_with_a_message(client, alice_account, carol):
    content = json.dumps(dump_account(alice_account)).encode()
    client.force_login(carol)
    assert client.get(reverse("account-restore")).status_code == 200
    response = client.post(reverse("account-restore"), upload(content), follow=True)
    assert response.redirect_chain[-1][0] == reverse("diary:night-list")
    text = response.content.decode()
    assert "Your backup is restored: 3 nights, 2 beds" in text
    assert Night.objects.for_user(carol).count() == 3
    assert client.session["time_zone"] == "America/New_York"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "could not be read as JSON"),
        (b"\xff\xfe\x00garbage", "could not be read as JSON"),
        (b'{"format": "night-back-pain-diary-backup", "format_version": 9}', "format version 9"),
    ],
)
def test_uploading_a_broken_file_lists_the_problem_and_writes_nothing(client, carol, content, message):
    client.force_login(carol)
    response = client.post(reverse("account-restore"), upload(content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Night.objects.for_user(carol).exists()


def test_uploading_bad_values_lists_each_problem(client, alice_account, carol):
    backup = broken(dump_account(alice_account), _night(1, night_pain=11, bed="Hammock"))
    client.force_login(carol)
    text = client.post(reverse("account-restore"), upload(json.dumps(backup).encode())).content.decode()
    assert "Nothing was restored" in text
    assert "Night 2026-11-02: night_pain" in text
    assert "Hammock" in text
    assert not Night.objects.for_user(carol).exists()


def test_uploading_into_a_diary_with_nights_is_refused(client, alice_account):
    content = json.dumps(dump_account(alice_account)).encode()
    client.force_login(alice_account)
    response = client.get(reverse("account-restore"))
    assert "can only be restored into an empty account" in response.content.decode()
    response = client.post(reverse("account-restore"), upload(content))
    assert "Nothing was restored" in response.content.decode()
    assert Night.objects.for_user(alice_account).count() == 3


def test_an_oversized_upload_is_refused(client, carol):
    client.force_login(carol)
    with override_settings(BACKUP_MAX_BYTES=100):
        response = client.post(reverse("account-restore"), upload(b" " * 101 + b"{}"))
    assert "too large" in response.content.decode()
    assert not Night.objects.for_user(carol).exists()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    section=st.sampled_from(["profile", "beds", "nights", "share_links"]),
    key=st.sampled_from(["date", "night_pain", "bed", "symptoms", "name", "kind", "time_zone", "start", "expires_at"]),
    value=JSON_VALUES,
)
def test_any_value_anywhere_is_either_restored_whole_or_refused_cleanly(alice_account, carol, section, key, value):
    backup = dump_account(alice_account)
    target = backup[section] if section == "profile" else backup[section][0]
    target[key] = value
    result = restore_account(carol, backup)
    counts = (Bed.objects.for_user(carol).count(), Night.objects.for_user(carol).count())
    if result.ok:
        assert counts == (2, 3)
        Night.objects.for_user(carol).delete()
        Bed.objects.for_user(carol).delete()
        ShareLink.objects.for_user(carol).delete()
    else:
        assert counts == (0, 0)
        assert not ShareLink.objects.for_user(carol).exists()


def test_a_version_1_backup_from_before_medicines_still_restores(alice_account, carol):
    backup = dump_account(alice_account)
    del backup["medicines"], backup["peg_check_ins"]
    for night in backup["nights"]:
        del night["medicines"]
    backup["format_version"] = 1
    result = restore_account(carol, backup)
    assert result.ok, result.problems
    assert (result.nights, result.medicines, result.peg_check_ins) == (3, 0, 0)


def test_medicines_and_check_ins_come_back_from_a_restore(alice_account, carol):
    result = restore_account(carol, dump_account(alice_account))
    assert (result.medicines, result.peg_check_ins) == (2, 1)
    doses = MedicineDose.objects.filter(night__user=carol).select_related("medicine").order_by("medicine__name")
    assert [(d.medicine.name, d.medicine.user, d.doses, d.taken_at) for d in doses] == [
        ("Co-codamol", carol, 1, None),
        ("Ibuprofen", carol, 2, time(22, 30)),
    ]
    assert PegCheckIn.objects.get(user=carol).score == 5


# --- Files built to exhaust the worker (issue 13, item 6) ---------------------------------------


def test_a_backup_of_200000_empty_nights_is_refused_at_once_without_building_a_night(carol, monkeypatch):
    raw = json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "nights": [{}] * 200_000}).encode()
    assert len(raw) < 1024 * 1024  # 0.6 MB: well within the upload limit
    monkeypatch.setattr(Night, "__init__", lambda *a, **k: pytest.fail("a night was built"))
    result = restore_account(carol, parse_backup(raw))  # took 100 s and 479 MB when it built them
    assert result.problems == [
        "This backup holds more than this site can restore: 200,000 nights (at most 7,320). Nothing was restored."
    ]


def test_a_file_of_a_million_empty_objects_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(ValueError, match="more than this site can restore"):
        parse_backup(b"[" + b"{}," * 1_000_000 + b"{}]")


def test_a_list_longer_than_its_cap_is_refused_before_any_entry_is_read(carol, monkeypatch):
    backup = {"format": FORMAT, "format_version": FORMAT_VERSION, "beds": [{}] * (MAX_ENTRIES["beds"] + 1)}
    monkeypatch.setattr(Bed, "__init__", lambda *a, **k: pytest.fail("a bed was built"))
    result = restore_account(carol, backup)
    assert not result.ok
    assert "1,001 beds (at most 1,000)" in result.problems[0]


def test_a_deeply_nested_file_is_a_clear_refusal_not_a_crash(client, carol):
    client.force_login(carol)
    response = client.post(reverse("account-restore"), upload(b"[" * 100_000 + b"]" * 100_000))
    assert response.status_code == 200
    assert "nested far too deeply" in response.content.decode()
    assert not Night.objects.for_user(carol).exists()
