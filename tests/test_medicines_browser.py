"""Medicines and the weekly PEG check-in in headless Chromium, at 375 px and on a desktop: add a
medicine, log a night with "ibuprofen 400 mg ×2" and the check-in in one form, then a check-in
from the diary's banner in four taps; no page scrolls sideways, axe is clean."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diary.models import Medicine, MedicineDose, Night, PegCheckIn
from tests.browser import VIEWPORTS, axe_violations, describe, login_cookie
from tests.factories import make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]
MIN_TAP_PX = 44  # the site's minimum button height (WCAG 2.5.5 target size)


def looks_right(browser, viewport: str) -> None:
    width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport][0], f"{browser.path} scrolls sideways ({width}px wide)"
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)


def tap_target_heights(browser, css: str) -> list[float]:
    return browser.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.getBoundingClientRect().height)", css
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_log_a_medicine_and_the_weekly_check_in(open_browser, alice, viewport):
    make_bed(alice, "Old mattress")
    browser = open_browser(viewport)
    login_cookie(browser, alice)

    # Add ibuprofen 400 mg from the medicines page.
    browser.go("/medicines/")
    looks_right(browser, viewport)
    browser.click_and_load(browser.link("/medicines/new/"))
    browser.fill("input[name='name']", "Ibuprofen")
    browser.select("select[name='medicine_class']", value="nsaid")
    browser.fill("input[name='dose']", "400")
    browser.select("select[name='unit']", value="mg")
    looks_right(browser, viewport)
    browser.click_and_load("form button[type='submit']")
    browser.wait_text("Ibuprofen 400 mg")
    ibuprofen = Medicine.objects.get(user=alice)

    # The log form: "took ibuprofen 400 mg ×2" is one tap; the first check-in is offered too.
    browser.go("/log/")
    assert "Ibuprofen 400 mg" in browser.text() and "Weekly check-in" in browser.text()
    looks_right(browser, viewport)
    browser.choose("night_pain", "4")
    browser.choose("morning_quick", "15")
    browser.choose(f"med-m{ibuprofen.pk}", "2")
    for name, value in (("peg-pain", "6"), ("peg-enjoyment", "5"), ("peg-activity", "4")):
        browser.choose(name, value)
    browser.snap("log-with-medicine")
    browser.click_and_load(".night-save")
    dose = MedicineDose.objects.get(night__user=alice)
    assert (dose.medicine, dose.doses, dose.night.date) == (ibuprofen, 2, users_today())
    assert PegCheckIn.objects.get(user=alice).score == 5

    # Edit it later: ×1 instead of ×2.
    browser.go(f"/diary/{dose.night.pk}/edit/")
    assert browser.find(f"input[name='med-m{ibuprofen.pk}'][value='2']").is_selected()
    browser.choose(f"med-m{ibuprofen.pk}", "1")
    browser.click_and_load(".night-save")
    dose.refresh_from_db()
    assert dose.doses == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_weekly_check_in_from_the_diary_takes_four_taps(open_browser, alice, viewport):
    for offset in range(1, 4):
        make_night(alice, date=users_today() - timedelta(days=offset))
    PegCheckIn.objects.create(user=alice, date=users_today() - timedelta(days=8), pain=7, enjoyment=7, activity=7)
    browser = open_browser(viewport)
    login_cookie(browser, alice)

    browser.go("/diary/")
    browser.wait_text("Your weekly check-in is due")
    browser.click_and_load(browser.link("/check-in/"))
    looks_right(browser, viewport)
    # Every answer button is a full-size tap target, and the three questions and the save button
    # are all there is to do: three taps and one to save.
    heights = tap_target_heights(browser, ".peg-item .btn")
    assert len(heights) == 33 and min(heights) >= MIN_TAP_PX
    for name, value in (("peg-pain", "3"), ("peg-enjoyment", "3"), ("peg-activity", "4")):
        browser.choose(name, value)
    browser.snap("check-in")
    browser.click_and_load(".peg-form button[type='submit']")
    browser.wait_text("score 3.3 out of 10")
    assert PegCheckIn.objects.filter(user=alice).count() == 2
    assert "Your weekly check-in is due" not in browser.text()
    assert Night.objects.filter(user=alice).count() == 3
