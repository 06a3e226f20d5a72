"""Two readers (rules v2): the person reads `message`, a clinician (share page, PDF) reads the
clinical title and `clinician_message`, and never an internal rule code."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from diary.models import ShareLink
from diary.rules import RULE_CODES
from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def diary(alice):
    """Two weeks of November: saddle numbness on 22-23 Nov (before the last 7 days), leg weakness
    on 29 Nov, fever on 30 Nov, leg pain every night."""
    bed = make_bed(alice, "Old mattress")
    for day in range(17, 31):
        make_night(alice, bed, date=date(2026, 11, day), night_pain=4, morning_pain_minutes=10, pain_areas=["leg"])
    alice.nights.filter(date__in=[date(2026, 11, 22), date(2026, 11, 23)]).update(symptom_saddle_numbness=True)
    alice.nights.filter(date=date(2026, 11, 29)).update(symptom_leg_weakness=True)
    alice.nights.filter(date=date(2026, 11, 30)).update(temperature_c=Decimal("38.4"))
    return alice


def share_link(user) -> str:
    _link, token = ShareLink.create_for(
        user, start=date(2026, 11, 17), end=date(2026, 11, 30), expiry_days=7, label="GP", passcode=""
    )
    return token


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def flat(html: str) -> str:
    return " ".join(html.split())


CLINICIAN_WORDS = (
    "Possible cauda equina signs",
    "The patient logged new weakness in a leg with back pain on 29 Nov 2026",
    "Earlier possible cauda equina signs",
    "Earlier in the period the patient logged numbness around the genitals, buttocks or inner thighs on 22–23 Nov 2026",
    "Fever with back pain",
    "The patient logged a temperature of 38.0 °C or more with back pain on 30 Nov 2026",
    "Persistent leg pain (possible sciatica)",
    "The patient logged pain radiating down a leg on 14 nights",
)


def test_share_page_shows_clinical_titles_and_clinician_wording_and_no_code(client, diary):
    html = flat(client.get(reverse("diary:shared-report", kwargs={"token": share_link(diary)})).content.decode())
    for words in CLINICIAN_WORDS:
        assert words in html
    assert "You logged" not in html
    for code in RULE_CODES:
        assert code not in html


def test_shared_pdf_shows_clinician_wording_and_no_code(client, diary):
    response = client.get(reverse("diary:shared-report-pdf", kwargs={"token": share_link(diary)}))
    text = pdf_text(response.content)
    for words in CLINICIAN_WORDS:
        assert words in text
    for code in RULE_CODES:
        assert code not in text


def test_own_pdf_shows_clinician_wording_and_no_code(alice_client, diary):
    text = pdf_text(alice_client.get(reverse("diary:report-pdf"), {"period": "all"}).content)
    for words in CLINICIAN_WORDS:
        assert words in text
    for code in RULE_CODES:
        assert code not in text


def test_the_person_reads_their_own_wording_on_the_report_page(alice_client, diary):
    html = flat(alice_client.get(reverse("diary:report"), {"period": "all"}).content.decode())
    assert "You logged new weakness in a leg" in html  # RED_FLAG_NERVES, for the person
    assert "On 22 Nov, 23 Nov you logged numbness around the genitals" in html
    assert "The patient logged" not in html
    for code in RULE_CODES:
        assert code not in html


def test_diary_report_json_gains_the_clinician_message(diary, capsys):
    call_command("diary_report", diary.email, "--format", "json")
    findings = json.loads(capsys.readouterr().out)["findings"]
    by_code = {finding["code"]: finding for finding in findings}
    assert by_code["RED_FLAG_EARLIER"]["clinician_message"].startswith("Earlier in the period the patient logged")
    assert by_code["FEVER"]["message"].startswith("You had a temperature")
    for finding in findings:
        assert set(finding) == {
            "code",
            "level",
            "title",
            "message",
            "clinician_message",
            "detail",
            "evidence",
            "article",
            "tell_doctor",
        }
        assert finding["clinician_message"]
