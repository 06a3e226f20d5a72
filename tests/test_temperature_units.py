"""Temperatures in °F for those who choose it: typed and shown in °F, stored in °C (issue 15, defect 9)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from pypdf import PdfReader

from diary.models import Night, Profile, ShareLink
from diary.units import format_temperature, from_celsius, to_celsius
from tests.factories import make_bed, make_night

TODAY = date(2026, 11, 3)


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    time_machine.move_to(datetime(2026, 11, 3, 8, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def fahrenheit(alice):
    Profile.objects.filter(user=alice).update(temperature_unit="F")
    return alice


def log(client, bed, temperature: str, day: date = TODAY):
    data = {
        "date": day.isoformat(),
        "night_pain": "4",
        "woke_by_pain": "no",
        "morning_quick": "15",
        "bed": bed.pk,
        "temperature_c": temperature,
    }
    return client.post("/log/", data)


@pytest.mark.parametrize(
    ("celsius", "fahrenheit"),
    [("34.0", "93.2"), ("37.0", "98.6"), ("38.0", "100.4"), ("43.0", "109.4"), ("36.5", "97.7")],
)
def test_conversions_agree_both_ways_at_one_decimal(celsius, fahrenheit):
    assert from_celsius(Decimal(celsius), "F") == Decimal(fahrenheit)
    assert to_celsius(Decimal(fahrenheit), "F") == Decimal(celsius)
    assert format_temperature(Decimal(celsius), "F") == f"{fahrenheit} °F"
    assert format_temperature(Decimal(celsius), "C") == f"{celsius} °C"


@pytest.mark.django_db
def test_the_unit_is_chosen_on_the_profile(alice_client, alice):
    html = alice_client.get("/account/").content.decode()
    assert 'name="temperature_unit"' in html and "°F (Fahrenheit)" in html


@pytest.mark.django_db
def test_a_temperature_typed_in_fahrenheit_is_stored_in_celsius(alice_client, fahrenheit):
    bed = make_bed(fahrenheit)
    form = alice_client.get("/log/").content.decode()
    assert "Temperature (°F)" in form
    response = log(alice_client, bed, "100.4")
    assert response.status_code == 302
    night = Night.objects.get(user=fahrenheit)
    assert night.temperature_c == Decimal("38.0")
    edit = alice_client.get(f"/diary/{night.pk}/edit/").content.decode()
    assert 'name="temperature_c" value="100.4"' in edit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("F", "120", "Enter a temperature from 93.2 to 109.4 °F, or leave it empty."),
        ("F", "37.8", "37.8 looks like °C: your profile is set to °F"),
        ("C", "100.4", "100.4 looks like °F: your profile is set to °C"),
        ("C", "30", "Enter a temperature from 34.0 to 43.0 °C, or leave it empty."),
    ],
)
def test_out_of_range_temperatures_get_a_clear_error_in_the_persons_unit(alice_client, alice, unit, typed, message):
    Profile.objects.filter(user=alice).update(temperature_unit=unit)
    response = log(alice_client, make_bed(alice), typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Night.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_diary_report_share_page_and_pdf_show_the_persons_unit(alice_client, client, fahrenheit):
    bed = make_bed(fahrenheit)
    make_night(fahrenheit, bed, date=date(2026, 11, 1), temperature_c=Decimal("38.5"), pain_areas=["flank_left"])
    diary = alice_client.get("/diary/").content.decode()
    assert "101.3 °F" in diary and "°C" not in diary
    report = alice_client.get("/report/?period=14").content.decode()
    assert "Nights with a temperature of 100.4 °F or more" in report
    assert "101.3 °F" in report and "°C" not in report  # the findings too (diary.rules' TemperatureWords)
    pdf = alice_client.get("/report/pdf/?period=14").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "101.3" in text and "Temp: °F" in text
    _link, token = ShareLink.create_for(fahrenheit, start=date(2026, 10, 21), end=TODAY, expiry_days=7)
    shared = client.get(f"/s/{token}/").content.decode()
    assert "101.3 °F" in shared and "°C" not in shared


@pytest.mark.django_db
def test_the_warning_message_names_the_temperature_in_the_persons_unit(alice_client, fahrenheit):
    bed = make_bed(fahrenheit)
    data = {
        "date": TODAY.isoformat(),
        "night_pain": "6",
        "woke_by_pain": "no",
        "morning_quick": "15",
        "bed": bed.pk,
        "temperature_c": "101.3",
        "pain_areas": ["flank_right"],
    }
    page = alice_client.post("/log/", data, follow=True).content.decode()
    assert "You logged a temperature of 101.3 °F and pain in the right side under the ribs" in page


@pytest.mark.django_db
def test_a_cached_diary_page_is_shown_in_each_devices_own_unit(alice):
    make_night(alice, make_bed(alice), date=date(2026, 11, 1), temperature_c=Decimal("38.5"))
    laptop, phone = Client(), Client()
    laptop.force_login(alice)
    assert "38.5 °C" in laptop.get("/diary/").content.decode()  # now cached; the laptop's session keeps °C
    Profile.objects.filter(user=alice).update(temperature_unit="F")  # chosen on the phone
    phone.force_login(alice)
    assert "101.3 °F" in phone.get("/diary/").content.decode()
