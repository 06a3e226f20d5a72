"""The Russian diary in a real browser at 375 px: what diary.js writes comes from the page, in
the reader's language (the taken-date warning), and the longer Russian labels fit a phone (no
sideways scroll, no clipped button) with axe clean."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from diary import services
from diary.models import Medicine
from tests.browser import VIEWPORTS, axe_violations, describe
from tests.factories import make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_VIEWPORT = "phone"


def test_a_taken_date_is_flagged_in_russian_with_a_link_to_that_night(signed_in_browser, alice):
    services.save_language(user=alice, language="ru")
    night = make_night(alice, date=users_today() - timedelta(days=2))
    browser = signed_in_browser
    browser.go("/log/")
    browser.driver.execute_script(
        "const input = document.querySelector('#id_date'); input.value = arguments[0];"
        "input.dispatchEvent(new Event('change', {bubbles: true}));",
        night.date.isoformat(),
    )

    browser.wait_text("Ночь на эту дату уже записана.", "#date-taken")
    assert browser.text("#date-taken") == "Ночь на эту дату уже записана. Лучше измените эту ночь."
    assert browser.find("#date-taken a").get_attribute("href").endswith(f"/diary/{night.pk}/edit/")


# Every diary page a person meets, with enough data to show its lists, charts and badges.
RUSSIAN_PAGES = ["/log/", "/diary/", "/diary/calendar/", "/diary/charts/", "/beds/", "/medicines/", "/check-in/"]


def test_the_russian_diary_pages_fit_a_phone_and_pass_axe(signed_in_browser, alice):
    services.save_language(user=alice, language="ru")
    today = users_today()
    old, futon = make_bed(alice, "Old mattress"), make_bed(alice, "Guest room futon")
    for days_ago in range(1, 15):
        make_night(
            alice,
            old if days_ago > 5 else futon,
            date=today - timedelta(days=days_ago),
            night_pain=days_ago % 9,
            morning_pain_minutes=20 * (days_ago % 4),
            pain_areas=["lower_back", "flank_left"],
            symptoms=["chills"] if days_ago == 2 else [],
            temperature_c=Decimal("38.4") if days_ago == 2 else None,
        )
    Medicine.objects.create(user=alice, name="Ibuprofen", dose=400, unit="mg", medicine_class="nsaid")
    browser = signed_in_browser

    for path in RUSSIAN_PAGES:
        browser.go(path)
        assert browser.find("html").get_attribute("lang") == "ru"
        width = browser.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"][0], f"{path} scrolls sideways ({width}px wide)"
        # No button's Russian label is cut off or runs out of its button.
        clipped = browser.driver.execute_script(
            "return [...document.querySelectorAll('.btn, label.btn')]"
            ".filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1).map(b => b.textContent.trim());"
        )
        assert clipped == [], f"{path}: {clipped}"
        violations = axe_violations(browser.driver)
        assert not violations, f"{path}: {describe(violations)}"
