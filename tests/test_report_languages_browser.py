"""The report in its reader's language in real Chromium at 375 px (issue 19): a Russian-speaking
person makes an English link for her clinician and downloads the PDF in English; the clinician's
Russian browser still gets English, and a Russian link opened from an English browser is Russian;
every page fits the phone and passes axe."""

from __future__ import annotations

import io
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from diary.models import Profile, ShareLink
from tests.browser import VIEWPORTS, axe_violations, describe, login_cookie
from tests.factories import make_bed, make_night

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def russian_diary(alice):
    """Alice reads the site in Russian; two weeks of leg pain on a bed she named in Russian."""
    Profile.objects.update_or_create(user=alice, defaults={"language": "ru"})
    bed = make_bed(alice, "Старый матрас")
    today = date.today()
    for offset in range(14):
        make_night(alice, bed, date=today - timedelta(days=offset), night_pain=4, pain_areas=["leg"])
    return alice


def fits_and_passes_axe(browser) -> None:
    width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"][0], f"{browser.path} scrolls sideways ({width}px wide)"
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)


def test_a_russian_speaker_shares_in_english_and_her_russian_clinician_reads_english(open_browser, russian_diary):
    person = open_browser("phone", language="ru")
    login_cookie(person, russian_diary)
    person.go("/report/?period=all")
    assert person.find("html").get_attribute("lang") == "ru"
    person.wait_text("Боль в ноге в большинство ночей")
    assert person.find("#pdf-language").get_attribute("value") == "ru"  # her own language, unless she picks another
    fits_and_passes_axe(person)

    # The PDF for an English-reading doctor, from the Russian page.
    person.select("#pdf-language", value="en-gb")
    status, headers, body = person.fetch("/report/pdf/?period=all&paper=a4&language=en-gb")
    assert status == 200 and headers["Content-Language"] == "en-gb"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Persistent leg pain" in text and "Старый матрас" in text  # her bed's name as she wrote it

    # A share link in English, chosen on the Russian share page.
    person.go("/share/")
    fits_and_passes_axe(person)
    person.fill("#id_label", "Dr Smith")
    person.choose("language", "en-gb")
    person.click_and_load("form[action='/share/'] button[type=submit]")
    link = ShareLink.objects.get()
    assert link.language == "en-gb"
    url = person.find(".share-url a").get_attribute("href")
    person.wait_text("English", css=".share-once")

    clinician = open_browser("phone", language="ru", name="clinician")
    clinician.go(urlsplit(url).path)
    assert clinician.find("html").get_attribute("lang") == "en-gb"
    clinician.wait_text("Persistent leg pain (possible sciatica)")
    assert "in the patient’s own words" in clinician.find(".own-words").get_attribute("title")
    fits_and_passes_axe(clinician)


def test_a_russian_link_opens_in_russian_in_an_english_browser_and_passes_axe(open_browser, russian_diary):
    _link, token = ShareLink.create_for(
        russian_diary, start=date.today() - timedelta(days=13), end=date.today(), expiry_days=7, language="ru"
    )
    clinician = open_browser("phone", language="en-GB")
    clinician.go(f"/s/{token}/")
    assert clinician.find("html").get_attribute("lang") == "ru"
    clinician.wait_text("Стойкая боль в ноге (возможен ишиас)")
    assert clinician.find(".own-words").get_attribute("title") == "со слов пациента"
    fits_and_passes_axe(clinician)
