"""FHIR: MedicationStatements with their dose, the PEG Questionnaire, a QuestionnaireResponse and a
score Observation per check-in; the whole bundle validates with fhir.resources (R4B models)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from diary.medication import MedicineInfo, MedicineTaken
from diary.models import Medicine, MedicineDose, PegCheckIn
from diary.peg import PegRecord
from diary.rules import NightRecord
from diary.transfer.fhir import LOCAL_CODES, LOCAL_SYSTEM, PEG_QUESTIONNAIRE_URL, build_fhir_bundle
from tests.factories import make_night

GENERATED = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
IBUPROFEN = MedicineInfo(1, "Ibuprofen", "nsaid", "Anti-inflammatory (NSAID)", "400 mg", True, Decimal(400), "mg")
CO_CODAMOL = MedicineInfo(2, "Co-codamol", "opioid", "Opioid", "2 tablets", True, Decimal(2), "tablet")


def bundle(nights, peg=()) -> dict:
    return build_fhir_bundle(
        nights,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        patient_name=None,
        generated_at=GENERATED,
        medicines=[IBUPROFEN, CO_CODAMOL],
        peg=peg,
    )


def resources(built: dict, kind: str) -> list[dict]:
    return [entry["resource"] for entry in built["entry"] if entry["resource"]["resourceType"] == kind]


def test_each_medicine_taken_is_a_medication_statement_with_its_dose():
    night = NightRecord(
        date=date(2026, 11, 3),
        night_pain=6,
        medicines=(
            MedicineTaken(1, "Ibuprofen", "nsaid", 2, Decimal(400), time(22, 30)),
            MedicineTaken(2, "Co-codamol", "opioid", 1, None),
        ),
    )
    built = bundle([night])
    Bundle.model_validate(built)
    ibuprofen, co_codamol = resources(built, "MedicationStatement")
    assert ibuprofen["medicationCodeableConcept"] == {"text": "Ibuprofen"}
    assert ibuprofen["status"] == "completed" and ibuprofen["effectiveDateTime"] == "2026-11-03"
    dosage = ibuprofen["dosage"][0]
    assert dosage["text"] == "2 × 400 mg" and dosage["timing"] == {"repeat": {"count": 2}}
    assert dosage["doseAndRate"][0]["doseQuantity"] == {
        "value": 400.0,
        "unit": "mg",
        "system": "http://unitsofmeasure.org",
        "code": "mg",
    }
    assert ibuprofen["note"][0]["text"] == "Kind of medicine: Anti-inflammatory (NSAID); Last dose taken at 22:30"
    assert co_codamol["dosage"][0]["doseAndRate"][0]["doseQuantity"]["code"] == "{tbl}"
    assert ibuprofen["subject"] == ibuprofen["informationSource"]


def test_peg_check_ins_are_a_questionnaire_responses_and_score_observations():
    peg = [
        PegRecord(date(2026, 11, 2), 6, 6, 6),
        PegRecord(date(2026, 11, 9), 5, 4, 4),
        PegRecord(date(2026, 12, 9), 1, 1, 1),
    ]
    built = bundle([NightRecord(date=date(2026, 11, 2), night_pain=4)], peg=peg)
    Bundle.model_validate(built)
    (questionnaire,) = resources(built, "Questionnaire")
    assert questionnaire["url"] == PEG_QUESTIONNAIRE_URL
    assert [item["linkId"] for item in questionnaire["item"]] == ["pain", "enjoyment", "activity"]
    responses = resources(built, "QuestionnaireResponse")
    assert len(responses) == 2  # the check-in after the period is not exported
    assert responses[1]["questionnaire"] == PEG_QUESTIONNAIRE_URL and responses[1]["authored"] == "2026-11-09"
    assert [item["answer"][0]["valueInteger"] for item in responses[1]["item"]] == [5, 4, 4]
    scores = [o for o in resources(built, "Observation") if o["code"]["coding"][0]["code"] == "peg-score"]
    assert [o["valueQuantity"]["value"] for o in scores] == [6.0, 4.3]
    assert scores[0]["code"]["coding"][0]["system"] == LOCAL_SYSTEM
    urls = {
        entry["resource"]["resourceType"] + entry["resource"].get("authored", ""): entry["fullUrl"]
        for entry in built["entry"]
    }
    assert scores[1]["derivedFrom"] == [{"reference": urls["QuestionnaireResponse2026-11-09"]}]


def test_no_check_ins_means_no_questionnaire():
    assert not resources(bundle([NightRecord(date=date(2026, 11, 2), night_pain=4)]), "Questionnaire")


def test_the_peg_score_code_is_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "fhir.md").read_text(encoding="utf-8")
    assert "peg-score" in LOCAL_CODES and "`peg-score`" in doc
    assert PEG_QUESTIONNAIRE_URL in doc and "MedicationStatement" in doc


@pytest.mark.django_db
def test_the_web_export_carries_medicines_and_peg_and_validates(alice_client, alice):
    night = make_night(alice, date=date(2026, 11, 3))
    ibuprofen = Medicine.objects.create(user=alice, name="Ibuprofen", medicine_class="nsaid", dose=400)
    MedicineDose.objects.create(night=night, medicine=ibuprofen, doses=2)
    PegCheckIn.objects.create(user=alice, date=date(2026, 11, 3), pain=7, enjoyment=6, activity=5)
    response = alice_client.get(reverse("diary:report-fhir") + "?period=custom&start=2026-11-01&end=2026-11-30")
    built = json.loads(response.content)
    Bundle.model_validate(built)
    (statement,) = resources(built, "MedicationStatement")
    assert statement["dosage"][0]["text"] == "2 × 400 mg"
    assert len(resources(built, "QuestionnaireResponse")) == 1
