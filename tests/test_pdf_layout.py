"""The clinician PDF as printed (issue 15, defect 6): no half-empty pages before the last, no
internal rule codes, and fever and warning-sign nights marked in the nights table."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from diary.models import Profile
from tests.factories import make_bed, make_night
from tests.pdf_layout import page_fill

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        yield


def busy_diary(user, nights: int) -> None:
    """Many findings (risk factors, fevers with kidney-area pain, a warning sign), three beds, notes."""
    Profile.objects.filter(user=user).update(
        birth_year=1990,
        back_pain_since=date(2026, 1, 1),
        family_spondyloarthritis=True,
        psoriasis_arthritis_enthesitis=True,
        history_of_cancer=True,
    )
    beds = [make_bed(user, name) for name in ("Old mattress", "Memory foam", "Sofa")]
    for i in range(nights):
        make_night(
            user,
            beds[(i // 5) % 3],
            date=TODAY - timedelta(days=i),
            night_pain=(i * 7) % 11,
            morning_pain_minutes=(i * 13) % 90,
            woke_by_pain="late" if i % 3 else "no",
            temperature_c=Decimal("38.4") if i % 9 == 0 else None,
            pain_areas=["flank_left", "leg"] if i % 4 == 0 else ["lower_back"],
            symptoms=["painful_urination", "chills"] if i % 9 == 0 else (["leg_weakness"] if i % 17 == 0 else []),
            eased_by=["movement"] if i % 2 else ["rest"],
            notes="A longer note about the night. " * (i % 3) * 3,
        )


def pdf_of(client, period: str) -> bytes:
    response = client.get(f"/report/pdf/?period={period}")
    assert response.status_code == 200
    return response.content


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(("nights", "period"), [(8, "14"), (20, "30"), (30, "30"), (60, "90"), (90, "90")])
def test_no_page_but_the_last_is_less_than_half_full(alice_client, alice, nights, period):
    busy_diary(alice, nights)
    fills = page_fill(pdf_of(alice_client, period))
    assert all(fill >= 0.5 for fill in fills[:-1]), [round(fill, 2) for fill in fills]


def test_no_internal_rule_code_is_printed(alice_client, alice):
    busy_diary(alice, 60)
    text = text_of(pdf_of(alice_client, "90"))
    assert "Findings, most urgent first" in text
    assert re.findall(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b", text) == []


def test_fever_and_warning_sign_nights_are_marked_in_the_nights_table(alice_client, alice):
    bed = make_bed(alice)
    for back in range(10):
        make_night(alice, bed, date=TODAY - timedelta(days=back), night_pain=3)
    make_night(alice, bed, date=TODAY - timedelta(days=12), temperature_c=Decimal("38.6"))  # fever
    make_night(alice, bed, date=TODAY - timedelta(days=13), symptoms=["leg_weakness"])  # a warning sign
    text = text_of(pdf_of(alice_client, "30"))
    table = text.split("Every night in the period", 1)[1]
    blocks = dict(re.findall(r"(\w{3} \d{1,2} \w{3} \d{2})(.*?)(?=\w{3} \d{1,2} \w{3} \d{2}|\Z)", table, re.S))
    assert "!! Fever: 38 °C (100.4 °F) or more" in blocks["Thu 19 Nov 26"]
    assert "!! Warning sign: needs care the same day" in blocks["Wed 18 Nov 26"]
    ordinary = [f"{day:%a} {day.day} {day:%b %y}" for day in (TODAY - timedelta(days=back) for back in range(10))]
    assert all(day in blocks and "!!" not in blocks[day] for day in ordinary)
