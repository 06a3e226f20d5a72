"""Rules v2 inputs (groin, pain_in_waves, anti_inflammatory vs painkiller) through every door:
log form, edit form, CSV both ways (old files still import), JSON backup, FHIR, admin, migration."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from diary.choices import EasedBy, PainArea, Symptom
from diary.models import Night
from diary.transfer.backup import dump_account
from diary.transfer.csv_export import HEADER, export_text
from diary.transfer.csv_import import parse_diary_csv
from diary.transfer.fhir import LOCAL_ANSWERS, build_fhir_bundle
from diary.transfer.restore import restore_account
from tests.factories import make_bed, make_night, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
NEW_ANSWERS = {"pain_areas": ["flank_right", "groin"], "eased_by": ["anti_inflammatory"], "symptoms": ["pain_in_waves"]}


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        yield


def test_the_new_answers_have_the_issue_wording():
    assert PainArea("groin").label == "Groin or lower belly, one side"
    assert Symptom("pain_in_waves").label == "Pain came in waves and I couldn't keep still"
    assert EasedBy("anti_inflammatory").label == "Anti-inflammatory painkiller (e.g. ibuprofen, naproxen, diclofenac)"
    assert EasedBy("painkiller").label == "Another painkiller (e.g. paracetamol)"


def log_data(bed, **overrides):
    data = {"date": TODAY.isoformat(), "night_pain": "6", "woke_by_pain": "no", "morning_quick": "15", "bed": bed.pk}
    data.update(overrides)
    return data


def test_the_log_form_offers_and_saves_the_new_answers(alice, alice_client):
    bed = make_bed(alice, "Old mattress")
    page = alice_client.get("/log/").content.decode()
    for code in ("groin", "pain_in_waves", "anti_inflammatory", "painkiller"):
        assert f'value="{code}"' in page
    assert alice_client.post("/log/", log_data(bed, **NEW_ANSWERS)).status_code == 302
    night = Night.objects.get(user=alice)
    assert set(night.pain_areas) == {"flank_right", "groin"}
    assert night.eased_by == ("anti_inflammatory",)
    assert night.symptoms == ("pain_in_waves",)


def test_the_edit_form_shows_and_changes_the_new_answers(alice, alice_client):
    night = make_night(alice, date=TODAY, **NEW_ANSWERS)
    page = alice_client.get(f"/diary/{night.pk}/edit/").content.decode()
    for field, code in (("pain_areas", "groin"), ("eased_by", "anti_inflammatory"), ("symptoms", "pain_in_waves")):
        assert re.search(rf'<input type="checkbox"[^>]*name="{field}" value="{code}"[^>]* checked>', page)
    response = alice_client.post(
        f"/diary/{night.pk}/edit/", log_data(night.bed, eased_by=["painkiller"], symptoms=[], pain_areas=["groin"])
    )
    assert response.status_code == 302
    night.refresh_from_db()
    assert night.eased_by == ("painkiller",) and night.symptoms == () and night.pain_areas == ("groin",)


def test_saving_a_kidney_stone_night_with_chills_warns_at_once(alice, alice_client):
    bed = make_bed(alice, "Old mattress")
    response = alice_client.post("/log/", log_data(bed, **{**NEW_ANSWERS, "symptoms": ["chills"]}), follow=True)
    page = response.content.decode()
    assert "Seek medical care now." in page
    assert "Get emergency help now: kidney-stone pain with fever or shivering" in page


def test_csv_exports_and_imports_the_new_codes(alice, django_user_model):
    make_night(alice, date=TODAY, **NEW_ANSWERS)
    text = export_text(alice)
    assert "flank_right;groin" in text and "anti_inflammatory" in text and "pain_in_waves" in text
    carol = make_user(django_user_model, "carol@example.com")
    result = parse_diary_csv(text.encode(), carol, today=TODAY)
    assert not result.problems and result.created == 1
    night = Night.objects.get(user=carol)
    assert set(night.pain_areas) == {"flank_right", "groin"}
    assert night.eased_by == ("anti_inflammatory",) and night.symptoms == ("pain_in_waves",)


def test_an_old_csv_file_still_imports_and_its_painkiller_stays_painkiller(alice):
    # A file written before rules v2: same header, "painkiller" meaning any painkiller.
    old = (
        ",".join(HEADER)
        + "\n2026-11-01,5,late,lower_back,20,painkiller;movement,Old mattress,,1,,3,2,\n"
        + "2026-11-02,4,no,flank_left,0,painkiller,Old mattress,37.2,,chills,,,\n"
    )
    result = parse_diary_csv(old.encode(), alice, today=TODAY)
    assert not result.problems and result.created == 2
    nights = {night.date: night for night in Night.objects.filter(user=alice)}
    assert set(nights[date(2026, 11, 1)].eased_by) == {"movement", "painkiller"}
    assert nights[date(2026, 11, 2)].eased_by == ("painkiller",)
    assert not any(night.eased_anti_inflammatory for night in nights.values())


def test_the_json_backup_round_trips_the_new_answers(alice, django_user_model):
    make_night(alice, date=TODAY, **NEW_ANSWERS)
    backup = dump_account(alice)
    (saved,) = backup["nights"]
    assert set(saved["pain_areas"]) == {"flank_right", "groin"}
    assert saved["eased_by"] == ["anti_inflammatory"] and saved["symptoms"] == ["pain_in_waves"]
    carol = make_user(django_user_model, "carol@example.com")
    restore_account(carol, backup)
    night = Night.objects.get(user=carol)
    assert (set(night.pain_areas), night.eased_by, night.symptoms) == (
        {"flank_right", "groin"},
        ("anti_inflammatory",),
        ("pain_in_waves",),
    )


def test_fhir_codes_the_new_answers_in_the_local_answer_system(alice):
    make_night(alice, date=TODAY, **NEW_ANSWERS)
    records = Night.objects.for_user(alice).records()
    bundle = build_fhir_bundle(
        records,
        period_start=TODAY,
        period_end=TODAY,
        patient_name=None,
        generated_at=datetime(2026, 11, 25, tzinfo=UTC),
    )
    codes = {
        coding["code"]
        for entry in bundle["entry"]
        for coding in entry["resource"].get("valueCodeableConcept", {}).get("coding", [])
    }
    assert {"pain-area.groin", "eased-by.anti_inflammatory", "symptom.pain_in_waves"} <= codes
    assert LOCAL_ANSWERS["eased-by.painkiller"] == "Another painkiller (e.g. paracetamol)"


def test_the_admin_edits_the_new_columns(client, django_user_model, alice):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-only")
    client.force_login(admin)
    night = make_night(alice, date=TODAY, **NEW_ANSWERS)
    page = client.get(f"/admin/diary/night/{night.pk}/change/").content.decode()
    for column in ("area_groin", "symptom_pain_in_waves", "eased_anti_inflammatory", "eased_painkiller"):
        assert f'name="{column}"' in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_painkiller_answers_as_painkiller(django_user_model):
    executor = MigrationExecutor(connection)
    before, after = [("diary", "0009_bed_name_unique_any_case")], [("diary", "0010_rules_v2_inputs")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = django_user_model.objects.create_user(username="old", email="old@example.com", password="x-for-tests")
    bed = old_apps.get_model("diary", "Bed").objects.create(user_id=user.pk, name="Old bed")
    old_apps.get_model("diary", "Night").objects.create(
        user_id=user.pk, bed=bed, date=date(2026, 11, 1), night_pain=4, eased_painkiller=True
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    night = Night.objects.get(user=user)
    assert night.eased_by == ("painkiller",)
    assert not night.eased_anti_inflammatory and not night.area_groin and not night.symptom_pain_in_waves


def test_the_article_migration_updates_an_unedited_article_and_keeps_an_edited_one(monkeypatch):
    import hashlib
    import importlib

    from django.apps import apps

    from articles.models import Article

    migration = importlib.import_module("articles.migrations.0005_rules_v2_article_sections")
    kidney, disc = Article.objects.get(slug="kidney-pain-or-back-pain"), Article.objects.get(slug="herniated-disc")
    kidney.body, disc.body = "first shipped body", "an editor's own text"
    kidney.save()
    disc.save()
    monkeypatch.setattr(
        migration,
        "FIRST_SHIPPED_BODY_SHA256",
        {
            slug: hashlib.sha256(b"first shipped body").hexdigest()
            for slug in ("kidney-pain-or-back-pain", "herniated-disc")
        },
    )

    migration.add_sections(apps, type("Editor", (), {"connection": connection})())

    kidney.refresh_from_db()
    disc.refresh_from_db()
    assert "## Kidney stones" in kidney.body and "Pain came in waves" in kidney.body
    assert kidney.reviewed_on == date(2026, 12, 1)
    assert disc.body == "an editor's own text"
