"""Accessibility in a real browser at the phone viewport: axe-core on every main page, the 0–10
pain choice by keyboard, a label on every control, visible focus, and charts with text alternatives."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from selenium.webdriver.common.keys import Keys

from diary.models import Night, Profile, ShareLink
from tests.browser import Browser, axe_violations, describe, login_cookie
from tests.factories import make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = "/articles/keeping-a-pain-diary/"


@pytest.fixture
def diary(alice):
    """Three weeks of nights on two beds, with fever and kidney-area pain lately (urgent findings), and a share link."""
    old, new = make_bed(alice, "Old mattress"), make_bed(alice, "Sofa bed")
    for offset in range(21):
        recent = offset < 3
        make_night(
            alice,
            bed=new if offset < 10 else old,
            date=users_today() - timedelta(days=offset),
            night_pain=(offset * 3) % 11,
            woke_by_pain="late" if offset % 3 else "no",
            morning_pain_minutes=(offset % 5) * 15,
            pain_areas=["flank_left", "lower_back"] if recent else ["lower_back"],
            eased_by=["movement"],
            symptoms=["chills"] if recent else [],
            temperature_c=Decimal("38.6") if recent else None,
            night_urinations=offset % 4,
            stress=offset % 7,
        )
    _link, token = ShareLink.create_for(
        alice, start=users_today() - timedelta(days=20), end=users_today(), expiry_days=7
    )
    return {"token": token, "night": Night.objects.for_user(alice).first()}


def public_pages(token: str) -> dict[str, str]:
    return {
        "home": "/",
        "sign-up": "/accounts/signup/",
        "log-in": "/accounts/login/",
        "article list": "/articles/",
        "article": ARTICLE,
        "shared report": f"/s/{token}/",
    }


def private_pages(night: Night) -> dict[str, str]:
    return {
        "log form": "/log/",
        "edit form": f"/diary/{night.pk}/edit/",
        "diary": "/diary/",
        "calendar": "/diary/calendar/",
        "charts": "/diary/charts/",
        "report": "/report/",
        "share links": "/share/",
        "beds": "/beds/",
        "import": "/diary/import/",
        "account": "/account/",
    }


def test_no_serious_or_critical_axe_violations_on_any_main_page(open_browser, diary, alice):
    browser = open_browser("phone")
    found: dict[str, str] = {}

    def check(pages: dict[str, str]) -> None:
        for name, path in pages.items():
            browser.go(path)
            browser.snap(name)
            violations = axe_violations(browser.driver)
            if violations:
                found[f"{name} ({path})"] = describe(violations)

    check(public_pages(diary["token"]))
    login_cookie(browser, alice)
    check(private_pages(diary["night"]))
    assert not found, "axe-core found serious/critical problems:\n\n" + "\n\n".join(
        f"== {page}\n{text}" for page, text in found.items()
    )


def test_no_serious_or_critical_axe_violations_on_the_russian_pages(open_browser, diary, alice):
    """The same pages for a Russian reader: a Russian browser, then her profile's language; each page
    says it is Russian (<html lang="ru">, which screen readers use to pick their voice)."""
    Profile.objects.filter(user=alice).update(language="ru")
    browser = open_browser("phone", language="ru")
    found: dict[str, str] = {}
    russian_articles = {"article list": "/ru/articles/", "article": f"/ru{ARTICLE}"}

    def check(pages: dict[str, str]) -> None:
        for name, path in pages.items():
            browser.go(path)
            browser.snap(f"ru {name}")
            problems = []
            if browser.find("html").get_attribute("lang") != "ru":
                problems.append(f'<html lang="{browser.find("html").get_attribute("lang")}"> instead of "ru"')
            violations = axe_violations(browser.driver)
            if violations:
                problems.append(describe(violations))
            if problems:
                found[f"{name} ({path})"] = "\n".join(problems)

    # A shared report is in the language its link was made for: here a link made for a Russian reader.
    _link, russian_token = ShareLink.create_for(
        alice, start=users_today() - timedelta(days=20), end=users_today(), expiry_days=7, language="ru"
    )
    check({**public_pages(russian_token), **russian_articles})
    login_cookie(browser, alice)
    check(private_pages(diary["night"]))
    assert not found, "Russian pages with axe-core problems:\n\n" + "\n\n".join(
        f"== {page}\n{text}" for page, text in found.items()
    )


def test_the_pain_scale_is_a_named_group_operable_by_keyboard(open_browser, alice):
    make_bed(alice)
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/log/")

    group = browser.find("fieldset:has(input[name=night_pain])")
    assert group.aria_role == "group"
    assert group.accessible_name.startswith("Worst back pain during the night"), group.accessible_name
    first = browser.find("#id_night_pain_0")
    assert first.accessible_name == "0"

    # Keyboard only: focus the group's first radio, move with the arrow keys, confirm with space.
    browser.driver.execute_script("arguments[0].focus()", first)
    first.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.SPACE)
    focused = browser.driver.switch_to.active_element
    assert focused.get_attribute("id") == "id_night_pain_3"
    assert focused.is_selected()
    # The hidden radio's focus is drawn on its visible button.
    label = browser.find("label[for=id_night_pain_3]")
    assert label.value_of_css_property("outline-style") != "none"
    browser.snap("pain-3-by-keyboard")

    browser.choose("morning_quick", "0")
    browser.click_and_load(".night-save")
    assert browser.path == "/diary/", browser.text()
    assert Night.objects.get(user=alice).night_pain == 3


def unlabelled_controls(browser: Browser) -> list[str]:
    # Open every disclosure first: the controls folded away need labels too.
    browser.driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    missing = []
    for control in browser.find_all("main input:not([type=hidden]), main select, main textarea"):
        if not (control.accessible_name or "").strip():
            missing.append(control.get_attribute("outerHTML")[:160])
    return missing


def test_every_form_control_has_an_accessible_name(open_browser, diary, alice):
    browser = open_browser("phone")
    problems = {}
    for name in ("sign-up", "log-in"):
        browser.go(public_pages(diary["token"])[name])
        problems[name] = unlabelled_controls(browser)
    login_cookie(browser, alice)
    for name in ("log form", "diary", "charts", "report", "share links", "import", "account"):
        browser.go(private_pages(diary["night"])[name])
        problems[name] = unlabelled_controls(browser)
    assert not any(problems.values()), {page: found for page, found in problems.items() if found}


def focus_ring(browser: Browser) -> tuple[str, bool]:
    """(description, has a visible ring) of the focused element; a hidden .btn-check shows focus on its label."""
    element = browser.driver.switch_to.active_element
    if "btn-check" in (element.get_attribute("class") or ""):
        element = browser.find(f"label[for='{element.get_attribute('id')}']")
    outline_style, outline_width, shadow = browser.driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.boxShadow];", element
    )
    visible = (outline_style != "none" and outline_width != "0px") or shadow != "none"
    return element.get_attribute("outerHTML")[:100], visible


def test_keyboard_focus_is_always_visible(open_browser, alice):
    make_bed(alice)
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/log/")
    invisible = []
    body = browser.find("body")
    body.send_keys(Keys.TAB)
    for _ in range(14):  # skip link, menu button, the form's first controls, …
        element, visible = focus_ring(browser)
        if not visible:
            invisible.append(element)
        browser.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert not invisible, invisible
    # And on a plain page with links and buttons.
    browser.go("/diary/")
    for css in ("main a.btn", "header .navbar-toggler", "main a:not(.btn)"):
        element = browser.find(css)
        browser.driver.execute_script("arguments[0].focus()", element)
        outline = element.value_of_css_property("outline-style")
        assert outline != "none", f"{css} has no visible focus"


def test_charts_have_text_alternatives(open_browser, diary, alice):
    browser = open_browser("phone")
    login_cookie(browser, alice)
    for path in ("/report/", "/diary/charts/", f"/s/{diary['token']}/"):
        browser.go(path)
        charts = browser.find_all("main svg")
        assert charts, f"no chart on {path}"
        for chart in charts:
            assert chart.aria_role in {"img", "image"}, path  # Chromium reports role=img as "image"
            name = chart.accessible_name
            assert len(name) > 10, f"chart on {path} is named {name!r}"
            assert chart.find_elements("css selector", "desc") or chart.get_attribute("aria-describedby"), path
