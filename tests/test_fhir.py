"""FHIR R4 export: the bundle validates with fhir.resources (R4B models), codes and values are right."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from diary.rules import NightRecord
from diary.transfer.fhir import LOCAL_ANSWERS, LOCAL_CODES, LOCAL_SYSTEM, build_fhir_bundle
from tests.factories import make_bed, make_night

GENERATED_AT = datetime(2026, 11, 10, 7, 30, tzinfo=UTC)
LOINC = "http://loinc.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"

FULL_NIGHT = NightRecord(
    date=date(2026, 11, 2),
    night_pain=7,
    woke_by_pain="late",
    pain_areas=frozenset({"lower_back", "buttock_left"}),
    morning_pain_minutes=45,
    eased_by=frozenset({"movement", "hot_shower"}),
    bed_id=2,
    bed_name="New mattress",
    temperature_c=Decimal("38.2"),
    night_urinations=2,
    symptoms=frozenset({"chills"}),
    stress=6,
    day_pain=4,
    notes="Woke at 4, better after a walk.",
)
PLAIN_NIGHT = NightRecord(date=date(2026, 11, 1), night_pain=3, bed_id=1, bed_name="Old mattress")


def bundle_of(nights, *, start=date(2026, 11, 1), end=date(2026, 11, 30), name=None) -> dict:
    return build_fhir_bundle(nights, period_start=start, period_end=end, patient_name=name, generated_at=GENERATED_AT)


def observations(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]


def patients(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]


def coded(bundle: dict, system: str, code: str) -> list[dict]:
    return [
        o
        for o in observations(bundle)
        if (o["code"]["coding"][0]["system"], o["code"]["coding"][0]["code"]) == (system, code)
    ]


def local(bundle: dict, code: str) -> list[dict]:
    return coded(bundle, LOCAL_SYSTEM, code)


def answer(observation: dict) -> str:
    coding = observation["valueCodeableConcept"]["coding"]
    assert len(coding) == 1 and coding[0]["system"] == LOCAL_SYSTEM
    return coding[0]["code"]


# --- The bundle -----------------------------------------------------------------------------


def test_the_whole_bundle_validates_as_fhir_r4():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT], name="Alice Example")
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert bundle["timestamp"] == "2026-11-10T07:30:00+00:00"
    assert {type(e.resource).__name__ for e in parsed.entry} == {"Patient", "Observation"}


def test_every_entry_has_a_unique_urn_uuid_full_url():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(
        re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u) for u in urls
    )
    assert len(set(urls)) == len(urls)


def test_the_same_input_gives_the_same_bundle_and_other_input_other_uuids():
    assert bundle_of([PLAIN_NIGHT, FULL_NIGHT]) == bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    assert bundle_of([PLAIN_NIGHT])["entry"][0]["fullUrl"] != bundle_of([FULL_NIGHT])["entry"][0]["fullUrl"]


def test_one_patient_with_no_name_unless_included():
    (patient,) = patients(bundle_of([FULL_NIGHT]))
    assert set(patient) == {"resourceType", "id"}
    (named,) = patients(bundle_of([FULL_NIGHT], name="Alice Example"))
    assert named["name"] == [{"text": "Alice Example"}]


def test_every_observation_is_final_self_reported_and_dated_by_the_night():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    patient_url = bundle["entry"][0]["fullUrl"]
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"
    for observation in observations(bundle):
        assert observation["status"] == "final"
        assert observation["subject"] == {"reference": patient_url}
        assert observation["performer"] == [{"reference": patient_url}]
        assert observation["effectiveDateTime"] in {"2026-11-01", "2026-11-02"}
    assert {o["effectiveDateTime"] for o in observations(bundle_of([FULL_NIGHT]))} == {"2026-11-02"}


def test_night_pain_is_loinc_72514_3_with_an_integer_score_and_the_notes():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    pain = coded(bundle, LOINC, "72514-3")
    assert [o["valueInteger"] for o in pain] == [3, 7]
    assert pain[0]["code"]["coding"][0]["display"] == "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
    assert "note" not in pain[0]
    assert pain[1]["note"] == [{"text": "Woke at 4, better after a walk."}]


def test_temperature_is_a_vital_sign_loinc_8310_5_in_celsius():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    (temperature,) = coded(bundle, LOINC, "8310-5")
    assert temperature["code"]["coding"][0]["display"] == "Body temperature"
    assert temperature["category"][0]["coding"][0] == {
        "system": CATEGORY_SYSTEM,
        "code": "vital-signs",
        "display": "Vital Signs",
    }
    assert temperature["valueQuantity"] == {
        "value": 38.2,
        "unit": "Cel",
        "system": "http://unitsofmeasure.org",
        "code": "Cel",
    }


def test_everything_but_temperature_is_in_the_survey_category():
    for observation in observations(bundle_of([PLAIN_NIGHT, FULL_NIGHT])):
        (category,) = observation["category"]
        expected = "vital-signs" if observation["code"]["coding"][0]["code"] == "8310-5" else "survey"
        assert category["coding"][0]["system"] == CATEGORY_SYSTEM
        assert category["coding"][0]["code"] == expected


def test_items_without_a_standard_code_use_the_local_code_system():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    assert [o["valueQuantity"] for o in local(bundle, "morning-pain-minutes")] == [
        {"value": 0, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"},
        {"value": 45, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"},
    ]
    assert [answer(o) for o in local(bundle, "woke-by-pain")] == ["woke-by-pain.no", "woke-by-pain.late"]
    assert [o["valueInteger"] for o in local(bundle, "night-urinations")] == [2]
    assert sorted(answer(o) for o in local(bundle, "pain-area")) == ["pain-area.buttock_left", "pain-area.lower_back"]
    assert sorted(answer(o) for o in local(bundle, "eased-by")) == ["eased-by.hot_shower", "eased-by.movement"]
    assert [answer(o) for o in local(bundle, "symptom")] == ["symptom.chills"]
    assert [o["valueString"] for o in local(bundle, "bed")] == ["Old mattress", "New mattress"]
    assert [o["valueInteger"] for o in local(bundle, "stress")] == [6]
    assert [o["valueInteger"] for o in local(bundle, "day-pain")] == [4]
    # Nothing recorded, nothing exported: the plain night has no temperature, urinations or symptoms.
    assert {o["effectiveDateTime"] for o in local(bundle, "pain-area")} == {"2026-11-02"}


def test_a_bed_change_is_true_on_the_change_night_with_from_and_to():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT])
    (change,) = local(bundle, "bed-change")
    assert change["valueBoolean"] is True
    assert change["effectiveDateTime"] == "2026-11-02"
    assert change["note"] == [{"text": "Old mattress → New mattress"}]


def test_nights_before_the_period_are_context_for_bed_changes_only():
    bundle = bundle_of([PLAIN_NIGHT, FULL_NIGHT], start=date(2026, 11, 2), end=date(2026, 11, 2))
    assert {o["effectiveDateTime"] for o in observations(bundle)} == {"2026-11-02"}
    assert len(local(bundle, "bed-change")) == 1


def test_an_empty_period_is_a_valid_bundle_with_just_the_patient():
    bundle = bundle_of([])
    Bundle.model_validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


def test_every_local_code_is_documented_and_every_answer_code_exists():
    docs = Path(__file__).resolve().parent.parent.joinpath("docs", "fhir.md").read_text()
    assert LOCAL_SYSTEM in docs
    for code in [*LOCAL_CODES, *LOCAL_ANSWERS]:
        assert f"`{code}`" in docs, code


def test_a_ten_year_diary_builds_well_under_a_second():
    nights = [
        NightRecord(
            date=date(2016, 1, 1) + timedelta(days=i),
            night_pain=i % 11,
            woke_by_pain="early",
            pain_areas=frozenset({"lower_back", "leg"}),
            morning_pain_minutes=20,
            eased_by=frozenset({"movement"}),
            bed_id=i // 200,
            bed_name=f"Bed {i // 200}",
            temperature_c=Decimal("36.9"),
            night_urinations=1,
            symptoms=frozenset({"nausea"}),
            stress=2,
            day_pain=3,
            notes="n" if i % 7 == 0 else "",
        )
        for i in range(3650)
    ]
    # Speed is measured by `python -m benchmarks`, not in the suite.
    bundle = bundle_of(nights, start=nights[0].date, end=nights[-1].date)
    assert len(observations(bundle)) > 3650 * 12


# --- From the database: the command and the view -------------------------------------------


@pytest.fixture
def alice_diary(alice):
    old, new = make_bed(alice, "Old mattress"), make_bed(alice, "New mattress", firmness="medium")
    make_night(alice, old, date=date(2026, 11, 1), night_pain=3, notes="alice-first")
    make_night(
        alice,
        new,
        date=date(2026, 11, 2),
        night_pain=7,
        woke_by_pain="late",
        morning_pain_minutes=45,
        temperature_c=Decimal("38.2"),
        night_urinations=2,
        stress=6,
        day_pain=4,
        pain_areas=["lower_back", "buttock_left"],
        eased_by=["movement"],
        symptoms=["chills"],
        notes="alice-second",
    )
    make_night(alice, new, date=date(2026, 11, 3), night_pain=2, notes="alice-third")
    alice.profile.display_name = "Alice Example"
    alice.profile.save()
    return alice


@pytest.fixture
def bob_diary(bob):
    make_night(bob, date=date(2026, 11, 2), night_pain=9, notes="bob-secret")
    return bob


def run_export(*args) -> dict:
    out = StringIO()
    call_command("export_fhir", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_command_prints_a_valid_bundle_of_the_users_nights(alice_diary, bob_diary):
    bundle = run_export("alice")
    Bundle.model_validate(bundle)
    assert {o["effectiveDateTime"] for o in observations(bundle)} == {"2026-11-01", "2026-11-02", "2026-11-03"}
    assert "bob-secret" not in json.dumps(bundle)
    assert "name" not in patients(bundle)[0]
    (change,) = local(bundle, "bed-change")
    assert change["note"] == [{"text": "Old mattress → New mattress"}]


@pytest.mark.django_db
def test_the_command_takes_an_email_dates_and_the_name_choice(alice_diary):
    bundle = run_export("ALICE@example.com", "--start", "2026-11-02", "--end", "2026-11-02", "--include-name")
    assert {o["effectiveDateTime"] for o in observations(bundle)} == {"2026-11-02"}
    assert patients(bundle)[0]["name"] == [{"text": "Alice Example"}]
    assert [o["valueQuantity"]["value"] for o in coded(bundle, LOINC, "8310-5")] == [38.2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [("nobody",), ("alice", "--start", "yesterday"), ("alice", "--start", "2026-11-03", "--end", "2026-11-01")],
)
def test_the_command_refuses_an_unknown_user_or_bad_dates(alice_diary, args):
    with pytest.raises(CommandError):
        run_export(*args)


@pytest.mark.django_db
def test_the_download_needs_a_login(client):
    response = client.get(reverse("diary:report-fhir"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_download_is_a_fhir_attachment_of_only_the_requesters_nights(client, alice_diary, bob_diary):
    client.force_login(alice_diary)
    response = client.get(reverse("diary:report-fhir"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"] == 'attachment; filename="night-diary-fhir-2026-11-01-to-2026-11-03.json"'
    assert "no-store" in response["Cache-Control"]
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    text = response.content.decode()
    assert "alice-second" in text and "bob-secret" not in text
    assert "Alice Example" not in text
    assert [o["valueInteger"] for o in coded(bundle, LOINC, "72514-3")] == [3, 7, 2]


@pytest.mark.django_db
def test_the_download_follows_the_report_period_and_the_name_choice(client, alice_diary):
    client.force_login(alice_diary)
    query = {"period": "custom", "start": "2026-11-02", "end": "2026-11-03", "include_name": "1"}
    response = client.get(reverse("diary:report-fhir"), query)
    assert "2026-11-02-to-2026-11-03" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    assert {o["effectiveDateTime"] for o in observations(bundle)} == {"2026-11-02", "2026-11-03"}
    assert patients(bundle)[0]["name"] == [{"text": "Alice Example"}]
    # The night before the period still tells that 2 November was a bed change.
    assert [o["effectiveDateTime"] for o in local(bundle, "bed-change")] == ["2026-11-02"]


@pytest.mark.django_db
def test_an_impossible_period_is_refused_plainly(client, alice_diary):
    client.force_login(alice_diary)
    response = client.get(
        reverse("diary:report-fhir"), {"period": "custom", "start": "2026-11-03", "end": "2026-11-01"}
    )
    assert response.status_code == 400
    assert b"start date is after the end date" in response.content


@pytest.mark.django_db
def test_bob_gets_only_his_own_bundle(client, alice_diary, bob_diary):
    client.force_login(bob_diary)
    text = client.get(reverse("diary:report-fhir")).content.decode()
    assert "bob-secret" in text
    assert "alice" not in text.lower()
