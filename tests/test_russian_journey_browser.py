"""The whole product in Russian, in a real browser at 375 px whose user reads Russian
(Chromium's --lang=ru and Accept-Language: ru): sign up, log nights, read an article, see the
report and download its PDF, every page in Russian with no English left; then a share link made
in English for the clinician opens in English although the diary is Russian."""

from __future__ import annotations

import io
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from diary.models import Night
from tests.browser import Browser
from tests.russian_text import english_words, visible_text

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIME_ZONE = "Europe/Moscow"
EMAIL = "olga@example.com"
PASSWORD = "ночная-сова-поясница-2026"
OWN_WORDS = {EMAIL, "olga"}  # the address she typed, and the user name allauth made of it


# English found on the way, per step: the journey goes on to the end, then fails with all of it.
ENGLISH_FOUND: dict[str, list[str]] = {}


def assert_russian(browser: Browser, step: str) -> None:
    """The page is Russian from its <html lang> to its last button, with no English UI text."""
    browser.snap(step)
    assert browser.find("html").get_attribute("lang") == "ru", f"{step}: {browser.path} is not Russian"
    words = english_words(visible_text(browser.driver.page_source), allowed=OWN_WORDS)
    if words:
        ENGLISH_FOUND[f"{step} ({browser.path})"] = words


def wait_for_download(browser: Browser, suffix: str = ".pdf", seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        files = list(browser.download_dir.iterdir())
        done = [path for path in files if path.suffix == suffix]
        if done and not any(path.suffix == ".crdownload" or path.name.startswith(".") for path in files):
            return done[0].read_bytes()
        time.sleep(0.2)
    raise AssertionError(f"nothing downloaded into {browser.download_dir}")


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def sign_up(browser: Browser) -> None:
    browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": TIME_ZONE})
    browser.go("/")
    assert_russian(browser, "home")
    assert browser.find("h1").text == "Почему по ночам болит спина?"
    browser.click_and_load(browser.link("/accounts/signup/", "Начать дневник"))
    assert_russian(browser, "sign-up")
    browser.fill("#id_email", EMAIL)
    browser.fill("#id_password1", PASSWORD)
    browser.fill("#id_password2", PASSWORD)
    browser.click_and_load("main form button[type=submit]")
    assert browser.path == "/log/", browser.text()
    browser.wait("form.night-form")
    assert_russian(browser, "log form")


def log_night(browser: Browser, day, pain: int, *, new_bed: str | None = None, morning: str = "15") -> None:
    browser.go(f"/log/?date={day.isoformat()}")
    browser.choose("night_pain", str(pain))
    browser.choose("woke_by_pain", "early" if pain > 5 else "no")
    browser.choose("pain_areas", "lower_back")
    browser.choose("eased_by", "movement")
    browser.choose("morning_quick", morning)
    if new_bed:
        if not browser.find(".new-bed").get_attribute("open"):  # a first night opens it already
            browser.click(".new-bed summary")
        browser.fill("#id_new_bed_name", new_bed)
    assert_russian(browser, f"log {day}")
    browser.click_and_load(".night-save")
    assert browser.path == "/diary/", browser.text()
    assert_russian(browser, f"saved {day}")  # the diary, with its "saved" message


def test_a_russian_reader_uses_the_whole_product_in_russian(open_browser, monkeypatch):
    ENGLISH_FOUND.clear()
    monkeypatch.setattr("diary.forms_share.suggest_passcode", lambda: "7km29xq4tz")  # random letters could spell a word
    browser = open_browser("phone", name="olga", language="ru")
    sign_up(browser)

    today = datetime.now(ZoneInfo(TIME_ZONE)).date()
    log_night(browser, today - timedelta(days=2), 7, new_bed="Старый матрас", morning="30")
    log_night(browser, today - timedelta(days=1), 5)
    log_night(browser, today, 3)
    assert Night.objects.count() == 3
    for path in ("/diary/", "/diary/calendar/", "/diary/charts/", "/beds/", "/account/"):
        browser.go(path)
        assert_russian(browser, path)

    # An article, reached from the footer, in Russian.
    browser.click_and_load(browser.link("/ru/articles/", within="footer"))
    assert_russian(browser, "articles")
    assert browser.find("h1").text == "Статьи"
    browser.click_and_load(browser.link("/ru/articles/is-it-your-bed/"))
    assert browser.find("h1").text.startswith("Дело в кровати?")
    assert_russian(browser, "article")  # around its text, which cites its sources as they are titled

    # The report, and its PDF in Russian.
    browser.go("/report/")
    assert_russian(browser, "report")
    assert browser.find("main h1").text, "the report has a heading"
    assert browser.find_all("main svg[role=img]"), "no chart on the report"
    browser.click("main form[action='/report/pdf/'] button[type=submit]:not([formaction])")
    text = pdf_text(wait_for_download(browser))
    if words := english_words(text, allowed=OWN_WORDS | {"MSK"}):  # MSK: her time zone
        ENGLISH_FOUND["the report's PDF"] = words
    letters = re.findall(r"[A-Za-zА-Яа-яЁё]", text)
    cyrillic_share = sum("А" <= letter <= "я" or letter in "Ёё" for letter in letters) / len(letters)

    # A share link for an English-reading clinician: the diary is Russian, the link is English.
    browser.go("/share/")
    assert_russian(browser, "share links")
    browser.choose("language", "en-gb")  # the language the clinician reads
    browser.click_and_load("main form[action='/share/'] button[type=submit]")
    share_path = browser.find(".share-url a").get_attribute("href").split(browser.base_url, 1)[1]
    assert_russian(browser, "share link created")

    clinician = open_browser("phone", name="clinician", language="ru")  # even a Russian browser gets English
    clinician.go(share_path)
    clinician.snap("shared report")
    assert clinician.find("html").get_attribute("lang") == "en-gb"
    assert "nights logged out of" in clinician.text()
    assert not any("а" <= letter <= "я" for letter in clinician.text("header").lower())
    assert cyrillic_share > 0.9, f"the PDF is {cyrillic_share:.0%} Cyrillic: {text[:300]}"
    assert not ENGLISH_FOUND, "English on the Russian journey:\n" + "\n".join(
        f"  {step}: {words}" for step, words in ENGLISH_FOUND.items()
    )
