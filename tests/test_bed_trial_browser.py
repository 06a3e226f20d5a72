"""Bed trials in headless Chromium at 375 px: start one from the beds page, log a trial night
with the pre-selected bed, read the trial page and stop it; no page scrolls sideways, axe is clean."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diary.models import BedTrial, Night
from tests.browser import VIEWPORTS, axe_violations, describe, login_cookie
from tests.factories import make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]


def fits_the_phone(browser) -> None:
    width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"][0], f"{browser.path} scrolls sideways ({width}px wide)"
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bed_trial_from_start_to_stop_on_a_phone(open_browser, alice):
    old = make_bed(alice, "Old spring mattress with a rather long name")
    new = make_bed(alice, "New medium-firm mattress")
    for offset in range(1, 8):
        make_night(alice, bed=old, date=users_today() - timedelta(days=offset), night_pain=6)
    browser = open_browser("phone")
    login_cookie(browser, alice)

    browser.go("/beds/")
    fits_the_phone(browser)
    browser.click_and_load(browser.link("/beds/trials/new/"))
    fits_the_phone(browser)
    browser.select("select[name='bed_a']", value=str(old.pk))
    browser.select("select[name='bed_b']", value=str(new.pk))
    # The night that ended this morning is night 1 (a date input takes its value in ISO form from script).
    browser.driver.execute_script(
        "arguments[0].value = arguments[1]", browser.find("input[name='start']"), users_today().isoformat()
    )
    browser.snap("trial-start")
    browser.click_and_load("form button[type='submit']")
    trial = BedTrial.objects.get()
    assert browser.path == f"/beds/trials/{trial.pk}/"
    browser.wait_text("So far")
    assert "1 of 32 trial nights passed" in browser.text()
    fits_the_phone(browser)
    browser.snap("trial-page")

    # The log form names tonight's trial bed and has it selected.
    browser.go("/log/")
    expected = trial.bed_on(users_today())
    assert f"Tonight: bed {trial.arm_on(users_today())} (trial night 1 of 32)" in browser.text()
    assert browser.find("select[name='bed']").get_attribute("value") == str(expected.pk)
    fits_the_phone(browser)
    browser.choose("night_pain", "3")
    browser.choose("morning_quick", "5")
    browser.click_and_load(".night-save")
    assert Night.objects.get(user=alice, date=users_today()).bed_id == expected.pk

    browser.go(f"/beds/trials/{trial.pk}/")
    assert "1 of 1 logged on it" in browser.text()  # block 1 so far: tonight only
    browser.click_and_load("form[action$='/stop/'] button")
    browser.wait_text("Stopped early")
    trial.refresh_from_db()
    assert trial.status == BedTrial.Status.STOPPED
    fits_the_phone(browser)
    browser.snap("trial-stopped")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_per_bed_figures_and_a_trial_result_on_the_report_and_share_page_fit_a_phone(open_browser, alice):
    from diary.models import ShareLink
    from diary.trials.schedule import Design
    from diary.trials.services import start_trial

    old = make_bed(alice, "Old spring mattress with a rather long name")
    new = make_bed(alice, "New medium-firm mattress")
    start = users_today() - timedelta(days=40)
    trial = start_trial(user=alice, bed_a=old, bed_b=new, start=start, design=Design(), seed=5)
    for offset, arm in enumerate(trial.arms):
        make_night(
            alice,
            bed=old if arm == "A" else new,
            date=start + timedelta(days=offset),
            night_pain=(7 if arm == "A" else 4) + offset % 2,
            morning_pain_minutes=25 if arm == "A" else 10,
        )
    _link, token = ShareLink.create_for(alice, start=start, end=users_today(), expiry_days=7)
    browser = open_browser("phone")
    login_cookie(browser, alice)
    for path in ("/report/?period=all", "/beds/", f"/s/{token}/"):
        browser.go(path)
        assert "Night pain by bed" in browser.text()
        assert "A before/after comparison" in browser.text()
        if path != "/beds/":
            assert "Result: Bed B better." in browser.text()
        fits_the_phone(browser)
        browser.snap(path.strip("/").split("/")[0] or "page")
