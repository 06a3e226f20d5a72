"""The language switcher in real Chromium at phone width: its post carries the browser's own
Sec-Fetch-Site / Origin headers (which the view checks instead of a token), and the Russian
pages it leads to pass axe."""

from __future__ import annotations

import pytest

from diary.models import Profile
from tests.browser import VIEWPORTS, axe_violations, describe, login_cookie

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_sideways_scroll(browser) -> None:
    page_width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= VIEWPORTS["phone"][0], f"{browser.path} scrolls sideways ({page_width}px wide)"


def switch_to(browser, language_name: str) -> None:
    button = next(b for b in browser.find_all("footer .language-switcher button") if b.text == language_name)
    browser.click_and_load(button)


def test_a_visitor_switches_an_article_to_russian_and_back(open_browser):
    browser = open_browser("phone")
    browser.go("/articles/is-it-your-bed/")

    switch_to(browser, "Русский")

    assert browser.path == "/ru/articles/is-it-your-bed/"
    assert browser.find("html").get_attribute("lang") == "ru"
    assert browser.find("h1").text.startswith("Дело в кровати?")
    browser.wait_text("Язык:", css="footer")
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)
    assert_no_sideways_scroll(browser)  # long Russian words wrap at 375 px

    # The choice sticks (a cookie): other pages open in Russian too, then back to English.
    browser.go("/accounts/login/")
    assert browser.find("html").get_attribute("lang") == "ru"
    switch_to(browser, "English")
    assert browser.path == "/accounts/login/"
    assert browser.find("html").get_attribute("lang") == "en-gb"


def test_a_signed_in_person_switches_on_a_cached_diary_page_and_it_is_saved(open_browser, alice):
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/diary/")
    browser.go("/diary/")  # now served from the page cache, which holds no per-request token

    switch_to(browser, "Русский")

    assert browser.path == "/diary/"
    assert browser.find("html").get_attribute("lang") == "ru"
    assert Profile.language_for(alice) == "ru"
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)
    assert_no_sideways_scroll(browser)


@pytest.mark.parametrize("slug", ["ankylosing-spondylitis", "when-to-see-a-doctor", "keeping-a-pain-diary"])
def test_long_russian_articles_fit_a_phone_and_pass_axe(open_browser, slug):
    browser = open_browser("phone")
    browser.go(f"/ru/articles/{slug}/")

    assert browser.find("html").get_attribute("lang") == "ru"
    assert_no_sideways_scroll(browser)
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)


def test_a_russian_browser_gets_russian_on_its_first_visit_and_the_russian_articles(open_browser):
    browser = open_browser("phone")
    user_agent = browser.driver.execute_script("return navigator.userAgent")
    browser.driver.execute_cdp_cmd(
        "Emulation.setUserAgentOverride", {"userAgent": user_agent, "acceptLanguage": "ru-RU,ru"}
    )
    browser.go("/")

    assert browser.find("html").get_attribute("lang") == "ru"
    browser.click_and_load(browser.link("/ru/articles/", within="footer"))
    assert browser.path == "/ru/articles/"
    assert browser.find("h1").text == "Статьи"
    assert_no_sideways_scroll(browser)
    violations = axe_violations(browser.driver)
    assert not violations, describe(violations)
