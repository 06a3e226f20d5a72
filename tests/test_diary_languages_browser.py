"""The Russian diary in a real browser at 375 px: what diary.js writes comes from the page, in
the reader's language (the taken-date warning)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diary import services
from tests.factories import make_night, users_today

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
