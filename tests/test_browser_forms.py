"""Every edit form survives "open it, change nothing, save" in a real browser (issue 15, defect 2).

A date input only shows a YYYY-MM-DD value and a time input HH:MM; anything else looks empty and
is sent back empty, so the profile silently lost "Back pain since". The Django test client posts
whatever text the server rendered, so only a browser catches this. One Chromium serves the module.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from diary.models import Bed, Night, Profile, ShareLink
from tests.browser import Browser
from tests.factories import make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_VIEWPORT = "desktop"  # one Chromium serves the module (tests/browser_plugin.py)


@pytest.fixture
def browser(signed_in_browser):
    return signed_in_browser


def row(instance) -> dict:
    """The stored columns of a row, except its change stamp."""
    fresh = type(instance).objects.get(pk=instance.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields if f.name != "updated_at"}


def save_unchanged(browser: Browser, path: str, button: str = "main form button[type=submit]") -> None:
    browser.go(path)
    browser.click_and_load(button)
    assert "is-invalid" not in browser.driver.page_source, browser.text()


def test_saving_the_profile_unchanged_keeps_back_pain_since(browser, alice):
    Profile.objects.filter(user=alice).update(
        birth_year=1990, back_pain_since=date(2025, 6, 1), family_spondyloarthritis=True, display_name="Alice"
    )
    profile = Profile.objects.get(user=alice)
    before = row(profile)
    browser.go("/account/")
    assert browser.find("#id_back_pain_since").get_attribute("value") == "2025-06-01"
    save_unchanged(browser, "/account/")
    browser.wait_text("Your profile is saved.")
    assert row(profile) == before


def test_saving_the_profile_unchanged_keeps_the_reminder_time(browser, alice):
    Profile.objects.filter(user=alice).update(reminder_enabled=True, reminder_time=time(7, 30))
    profile = Profile.objects.get(user=alice)
    before = row(profile)
    save_unchanged(browser, "/account/")
    browser.wait_text("Your profile is saved.")
    assert row(profile) == before
    assert row(profile)["reminder_time"] == time(7, 30)


def test_saving_a_night_unchanged_keeps_every_answer(browser, alice):
    night = make_night(
        alice,
        date=users_today() - timedelta(days=3),
        night_pain=6,
        woke_by_pain="late",
        morning_pain_minutes=25,
        temperature_c=Decimal("37.6"),
        night_urinations=2,
        stress=4,
        day_pain=3,
        notes="Long drive",
        pain_areas=["lower_back", "flank_left"],
        eased_by=["movement"],
        symptoms=["chills"],
    )
    before = row(night)
    save_unchanged(browser, f"/diary/{night.pk}/edit/", ".night-save")
    assert browser.path == "/diary/"
    assert row(night) == before


def test_saving_a_bed_unchanged_keeps_it(browser, alice):
    bed = make_bed(alice, "Guest room", kind=Bed.Kind.SOFA, firmness=Bed.Firmness.FIRM, notes="Too short")
    before = row(bed)
    save_unchanged(browser, f"/beds/{bed.pk}/edit/")
    assert browser.path == "/beds/"
    assert row(bed) == before


def test_a_share_link_made_from_the_form_as_offered_covers_the_shown_period(browser, alice):
    start, end = users_today() - timedelta(days=20), users_today() - timedelta(days=6)
    make_night(alice, date=start)
    browser.go(f"/share/?period=custom&start={start}&end={end}")
    assert browser.find("#id_start").get_attribute("value") == start.isoformat()
    browser.click_and_load("main form[action='/share/'] button[type=submit]")
    browser.wait_text("Your new link")
    link = ShareLink.objects.get(user=alice)
    assert (link.start, link.end) == (start, end)
    assert Night.objects.filter(user=alice).count() == 1
