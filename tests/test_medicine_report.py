"""Medicines and the PEG on the report page, the share page and the PDF, with constant queries."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from diary.models import Medicine, MedicineDose, Night, PegCheckIn, ShareLink
from tests.factories import make_diary, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def add_medicines_and_peg(user, *, weeks: int) -> None:
    """Ibuprofen on every other night, codeine every third, paracetamol 1 g ×5 on the latest night,
    and a weekly PEG check-in going from 6 to 4 (a meaningful improvement)."""
    ibuprofen = Medicine.objects.create(user=user, name="Ibuprofen", medicine_class="nsaid", dose=400)
    codeine = Medicine.objects.create(user=user, name="Codeine", medicine_class="opioid", dose=30)
    paracetamol = Medicine.objects.create(
        user=user, name="Paracetamol", medicine_class="paracetamol", dose=Decimal(1), unit="g"
    )
    Medicine.objects.create(user=user, name="Gabapentin", medicine_class="nerve_pain", dose=300)
    nights = list(Night.objects.for_user(user).order_by("date"))
    doses = [MedicineDose(night=n, medicine=ibuprofen, doses=2) for n in nights[::2]]
    doses += [MedicineDose(night=n, medicine=codeine, doses=1) for n in nights[::3]]
    doses.append(MedicineDose(night=nights[-1], medicine=paracetamol, doses=5))
    MedicineDose.objects.bulk_create(doses)
    last = nights[-1].date
    PegCheckIn.objects.bulk_create(
        PegCheckIn(user=user, date=last - timedelta(days=7 * week), pain=4 + min(week, 2), enjoyment=4, activity=4)
        for week in range(weeks)
    )


@pytest.fixture
def diary(alice):
    make_diary(alice, 60, seed=3)
    add_medicines_and_peg(alice, weeks=8)
    return alice


def test_the_report_page_shows_medicines_and_the_peg(alice_client, diary):
    page = alice_client.get(reverse("diary:report") + "?period=all").content.decode()
    assert "Current medicines:" in page and "Gabapentin 300 mg" in page
    assert "Ibuprofen 400 mg" in page and "Mean night pain on nights with / without it" in page
    assert "an observation, not proof" in page
    assert "Weekly PEG score" in page and 'id="chart-peg-' in page
    assert "More than 4 g of paracetamol in a day" in page


def test_the_pdf_shows_medicines_the_peg_and_the_findings(alice_client, diary):
    pdf = alice_client.get(reverse("diary:report-pdf") + "?period=all").content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Current medicines:" in text and "Ibuprofen 400 mg" in text
    assert "not proof" in text
    assert "Weekly PEG score" in text and "Latest 4.0" in text
    assert "Paracetamol above 4 g in a day" in text and "BNF adult maximum" in text


def test_the_share_page_shows_the_medicines_too(client, diary):
    first = Night.objects.for_user(diary).order_by("date").first().date
    link, token = ShareLink.create_for(diary, start=first, end=first + timedelta(days=59), expiry_days=1)
    page = client.get(reverse("diary:shared-report", kwargs={"token": token})).content.decode()
    assert "Current medicines:" in page and "Codeine 30 mg" in page and "Weekly PEG score" in page


def test_a_changed_dose_shows_on_the_cached_report_at_once(alice_client, diary):
    url = reverse("diary:report") + "?period=all"
    assert "More than 4 g of paracetamol" in alice_client.get(url).content.decode()
    night = Night.objects.for_user(diary).order_by("-date").first()
    from diary.services import DoseData, set_night_medicines

    set_night_medicines(night, [DoseData(Medicine.objects.get(user=diary, name="Paracetamol"), 4)])
    assert "More than 4 g of paracetamol" not in alice_client.get(url).content.decode()
    PegCheckIn.objects.filter(user=diary).delete()
    assert "Weekly PEG score" not in alice_client.get(url).content.decode()


def queries(client, url: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(20) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["diary:report", "diary:report-pdf"])
def test_a_year_with_medicines_and_52_check_ins_costs_no_more_queries_than_30_nights(
    name, client, django_user_model, django_assert_max_num_queries
):
    small = make_user(django_user_model, "thirty@example.com")
    make_diary(small, 30, seed=30)
    year = make_user(django_user_model, "year@example.com")
    make_diary(year, 365, seed=365)
    add_medicines_and_peg(year, weeks=52)
    assert PegCheckIn.objects.filter(user=year).count() == 52
    counts = []
    for user in (small, year):
        client.force_login(user)
        counts.append(queries(client, reverse(name) + "?period=all", django_assert_max_num_queries))
    assert counts[1] <= counts[0], f"{name}: {counts[0]} queries for 30 nights, {counts[1]} for a year"
