"""Phone first: the log form fits a phone, a common night takes a few taps, everything works
without JavaScript, no inline code (a strict CSP holds), distinct page titles, the navbar marks
where you are, and empty pages say what to do next."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest

from diary.models import Night, ShareLink
from tests.browser import VIEWPORTS, login_cookie
from tests.factories import PASSWORD, make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]
SITE = "Night Back-Pain Diary"
ARTICLE = "/articles/keeping-a-pain-diary/"


@pytest.fixture
def diary(alice):
    """A fortnight of nights, feverish lately (so the report has urgent findings), and a share link."""
    old, new = make_bed(alice, "Old mattress"), make_bed(alice, "Sofa bed")
    for offset in range(14):
        make_night(
            alice,
            bed=new if offset < 5 else old,
            date=users_today() - timedelta(days=offset + 1),
            night_pain=(offset * 3) % 11,
            morning_pain_minutes=(offset % 4) * 15,
            pain_areas=["lower_back"],
            temperature_c=Decimal("38.4") if offset < 2 else None,
        )
    _link, token = ShareLink.create_for(
        alice, start=users_today() - timedelta(days=14), end=users_today(), expiry_days=7
    )
    return {"token": token, "night": Night.objects.for_user(alice).first()}


# --- The log form on a phone ---------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_log_form_fits_a_phone_in_about_one_scroll(open_browser, alice):
    make_night(alice, date=users_today() - timedelta(days=1))  # the usual case: a bed and yesterday's night
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/log/")
    _width, height = VIEWPORTS["phone"]
    assert not browser.find("details.night-more").get_attribute("open"), "the rare fields must start folded away"
    save_bottom = browser.driver.execute_script(
        "return document.querySelector('.night-save').getBoundingClientRect().bottom + window.scrollY"
    )
    page_width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    browser.snap("log-form")
    assert save_bottom <= 2 * height, f"Save night is {save_bottom}px down a {height}px screen"
    assert page_width <= VIEWPORTS["phone"][0], f"the page scrolls sideways ({page_width}px wide)"
    save = browser.find(".night-save")
    assert save.size["height"] >= 44 and save.size["width"] >= 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_common_night_takes_three_taps(open_browser, alice):
    bed = make_bed(alice, "Old mattress")
    make_night(alice, bed=bed, date=users_today() - timedelta(days=1))
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/log/")
    browser.choose("night_pain", "2")  # tap 1; "Did the pain wake you?" defaults to No
    browser.choose("morning_quick", "5")  # tap 2; the bed defaults to last night's
    browser.click_and_load(".night-save")  # tap 3
    assert browser.path == "/diary/"
    night = Night.objects.get(user=alice, date=users_today())
    assert (night.night_pain, night.woke_by_pain, night.morning_pain_minutes, night.bed) == (2, "no", 5, bed)


# --- Without JavaScript --------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_logging_a_night_and_reading_the_report_work_without_javascript(open_browser, diary, alice):
    browser = open_browser("phone", javascript=False)
    browser.go("/accounts/login/")
    assert "no-js" in browser.find("html").get_attribute("class"), "JavaScript is not off"
    browser.fill("#id_login", alice.email)
    browser.fill("#id_password", PASSWORD)
    browser.click_and_load("main form button[type=submit]")
    assert browser.path == "/log/"
    # The menu is open (no collapse button needs a script) and marks the page.
    assert browser.find("header a[href='/report/']").is_displayed()
    assert not browser.find("header .navbar-toggler").is_displayed()

    browser.choose("night_pain", "6")
    browser.choose("woke_by_pain", "late")
    browser.choose("pain_areas", "lower_back")
    browser.choose("morning_quick", "60")
    browser.click("details.night-more summary")  # <details> opens without a script
    browser.fill("#id_temperature_c", "37,2")
    browser.snap("log-form-no-js")
    browser.click_and_load(".night-save")
    assert browser.path == "/diary/"
    night = Night.objects.get(user=alice, date=users_today())
    assert (night.night_pain, night.morning_pain_minutes, night.temperature_c) == (6, 60, Decimal("37.2"))
    assert "Pain 6" in browser.find(".night-row").text
    browser.snap("diary-no-js")

    browser.go("/report/")
    browser.wait_text("What your diary shows")
    assert browser.find_all("main svg[role=img]"), "the charts are plain SVG and need no script"
    browser.snap("report-no-js")


# --- Strict CSP: no inline code, no violations ---------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_strict_content_security_policy(open_browser, diary, alice):
    browser = open_browser("phone")
    status, headers, _ = browser.fetch("/")
    assert status == 200 and "script-src 'self'" in headers.get("Content-Security-Policy", "")
    public = ["/", "/accounts/login/", "/accounts/signup/", "/articles/", ARTICLE, f"/s/{diary['token']}/"]
    private = ["/log/", "/diary/", "/diary/calendar/", "/diary/charts/", "/report/", "/share/", "/account/"]
    problems = {}

    def sweep(paths):
        for path in paths:
            browser.go(path)
            inline = browser.driver.execute_script(
                "return [...document.querySelectorAll('script:not([src]), [style]')].map(e => e.outerHTML.slice(0, 120))"
                ".concat([...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)))"
            )
            refused = [m for m in browser.console_messages() if "Content Security Policy" in m]
            if inline or refused:
                problems[path] = inline + refused

    sweep(public)
    login_cookie(browser, alice)
    sweep(private)
    assert not problems, problems

    # The check itself works: an inline script added now is refused, and the refusal is logged.
    browser.driver.execute_script(
        "const s = document.createElement('script'); s.textContent = '1'; document.body.append(s)"
    )
    assert any("Content Security Policy" in m for m in browser.console_messages())


# --- Titles, "you are here", empty states (plain requests are enough) -----------------------


def page_title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "no <title>"
    return " ".join(unescape(match.group(1)).split())


def main_nav_current(html: str) -> list[str]:
    nav = re.search(r'<nav[^>]*aria-label="Main".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', nav, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", link).split()) for link in links]


@pytest.mark.django_db
def test_every_page_has_its_own_sensible_title(client, diary, alice, shipped_articles):
    pages = {
        "/": None,
        "/accounts/login/": "Sign in",  # allauth's wording
        "/accounts/signup/": "Sign",
        "/articles/": "Articles",
        ARTICLE: "How to keep a useful pain diary",
        f"/s/{diary['token']}/": "report",
    }
    private = {
        "/log/": "Log last night",
        f"/diary/{diary['night'].pk}/edit/": "Edit the night",
        "/diary/": "Diary",
        "/diary/calendar/": "Calendar",
        "/diary/charts/": "Charts",
        "/report/": "report",
        "/share/": "Share",
        "/beds/": "Beds",
        "/diary/import/": "Import",
        "/account/": "account",
    }
    titles = {path: page_title(client.get(path).content.decode()) for path in pages}
    client.force_login(alice)
    titles |= {path: page_title(client.get(path).content.decode()) for path in private}
    for path, expected in (pages | private).items():
        title = titles[path]
        assert title.endswith(f" · {SITE}") and len(title) > len(SITE) + 5, (path, title)
        if expected:
            assert expected.lower() in title.lower(), (path, title)
    assert len(set(titles.values())) == len(titles), titles


@pytest.mark.django_db
def test_the_navbar_marks_the_current_section(client, diary, alice, shipped_articles):
    anonymous = {"/": [], "/accounts/login/": ["Sign in"], "/accounts/signup/": ["Sign up"], "/articles/": ["Articles"]}
    for path, expected in anonymous.items():
        assert main_nav_current(client.get(path).content.decode()) == expected, path
    client.force_login(alice)
    signed_in = {
        "/log/": ["Log a night"],
        "/diary/": ["Diary"],
        "/diary/calendar/": ["Diary"],
        "/diary/charts/": ["Diary"],
        "/beds/": ["Diary"],
        "/diary/import/": ["Diary"],
        "/report/": ["Report"],
        "/share/": ["Report"],
        ARTICLE: ["Articles"],
        "/account/": ["My account"],
    }
    for path, expected in signed_in.items():
        assert main_nav_current(client.get(path).content.decode()) == expected, path


@pytest.mark.django_db
def test_empty_pages_say_what_to_do_next(alice_client):
    report = alice_client.get("/report/").content.decode()
    assert "no nights yet" in report and 'href="/log/"' in report
    diary = alice_client.get("/diary/").content.decode()
    assert "No nights logged yet" in diary and 'href="/log/"' in diary and 'href="/diary/import/"' in diary
    charts = alice_client.get("/diary/charts/").content.decode()
    assert "No nights logged" in charts and 'href="/log/"' in charts
