"""The whole journey in a real browser (headless Chromium), at a phone and a desktop viewport.

Sign up → profile → a bed → three nights (one on a new bed) → diary and calendar → edit a night →
report with findings and charts → PDF → share link opened by a stranger → revoked → gone. Plus
the article behind a finding, a CSV import with a row-level error, and log-in throttling.
Every step keeps a screenshot; they are written to artifacts/browser/ when a test fails.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.models import Night
from diary.transfer.csv_export import HEADER
from tests.browser import Browser, login_cookie, overlapping_texts
from tests.factories import PASSWORD, make_bed, make_night

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIME_ZONE = "America/New_York"
EMAIL = "sam@example.com"
NEW_PASSWORD = "night-owl-lumbar-2026"
PASSCODE = "k7mq4xtp9r"  # at least 10 characters (docs/security.md)


def local_today(time_zone: str = TIME_ZONE) -> date:
    return datetime.now(ZoneInfo(time_zone)).date()


def sign_up(browser: Browser) -> None:
    # The browser lives in New York: sign-up detects that (site.js fills a hidden field).
    browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": TIME_ZONE})
    browser.go("/")
    browser.snap("home")
    browser.click_and_load(browser.link("/accounts/signup/", "Start a diary"))
    browser.fill("#id_email", EMAIL)
    browser.fill("#id_password1", NEW_PASSWORD)
    browser.fill("#id_password2", NEW_PASSWORD)
    browser.snap("sign-up")
    browser.click_and_load("main form button[type=submit]")
    # A new account lands on the log form, signed in.
    assert browser.path == "/log/", browser.text()
    browser.wait("form.night-form")


def check_time_zone(browser: Browser) -> None:
    """The zone detected at sign-up is the account's, named on the profile (nothing to choose)."""
    browser.go("/account/")
    assert f"Your time zone: {TIME_ZONE}" in browser.text("#active-time-zone")
    assert browser.find("#id_time_zone").get_attribute("value") == TIME_ZONE
    browser.snap("profile")
    browser.click_and_load("main form button[type=submit]")
    browser.wait_text("Your profile is saved.")


def add_bed(browser: Browser, name: str) -> None:
    browser.go("/beds/")
    browser.click_and_load(browser.link("/beds/new/", "Add a bed"))
    browser.fill("#id_name", name)
    browser.snap("bed-form")
    browser.click_and_load("main form button[type=submit]")
    browser.wait_text(f"Added the bed “{name}”.")


def log_night(
    browser: Browser,
    day: date,
    pain: int,
    *,
    woke: str = "no",
    morning: str = "15",
    areas: tuple[str, ...] = (),
    eased: tuple[str, ...] = (),
    new_bed: str | None = None,
    from_calendar: bool = False,
    same_as_last: bool = False,
) -> None:
    """Fill the log form with its real controls: labels of the pain/woke/minute buttons, chips, the bed disclosure."""
    if from_calendar:  # an empty day of the calendar links to the log form for that date
        browser.go(f"/diary/calendar/?month={day:%Y-%m}")
        browser.click_and_load(browser.link(f"/log/?date={day.isoformat()}", within=".calendar"))
    else:
        browser.go(f"/log/?date={day.isoformat()}")
    assert browser.find("#id_date").get_attribute("value") == day.isoformat()
    if from_calendar:
        assert browser.find("#id_bed option:checked").text == "Old mattress"
    browser.choose("night_pain", str(pain))
    browser.choose("woke_by_pain", woke)
    if same_as_last:  # one tap copies the bed, areas and eased-by of the night before
        browser.click(".same-as-last a")
        for name, codes in (("pain_areas", areas), ("eased_by", eased)):
            ticked = {
                box.get_attribute("value") for box in browser.find_all(f"input[name={name}]") if box.is_selected()
            }
            assert ticked == set(codes), (name, ticked)
        assert browser.find(f"input[name=night_pain][value='{pain}']").is_selected(), "the pain must stay"
    else:
        for area in areas:
            browser.choose("pain_areas", area)
        for code in eased:
            browser.choose("eased_by", code)
    browser.choose("morning_quick", morning)
    if new_bed:
        browser.click(".new-bed summary")
        browser.fill("#id_new_bed_name", new_bed)
    browser.snap(f"log-{day.isoformat()}")
    # The sticky Save is on screen once the form is filled, on a phone too, and nothing covers it.
    assert browser.driver.execute_script(
        "const b = document.querySelector('.night-save'), r = b.getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;"
    ), "Save is not visible without scrolling"
    browser.click_and_load(".night-save")
    assert browser.path == "/diary/", browser.text()
    browser.wait_text(f"Saved the night ending {day:%a} {day.day} {day:%b %Y}.")


def check_diary_and_calendar(browser: Browser, days: list[date]) -> None:
    browser.go("/diary/")
    rows = browser.find_all(".night-row")
    assert len(rows) == 3
    # Newest first; the new bed shows as a bed change on its first night.
    assert "Pain 3" in rows[0].text and "Bed: Sofa" in rows[0].text
    assert "Bed changed: Old mattress → Sofa" in rows[0].text
    assert "Pain 7" in rows[2].text and "Woke early in the night" in rows[2].text
    browser.snap("diary")

    browser.click_and_load(browser.link("/diary/calendar/", "Calendar"))
    this_month = [day for day in days if (day.year, day.month) == (days[-1].year, days[-1].month)]
    logged = browser.find_all(".cal-day--logged")
    assert len(logged) == len(this_month)
    today_cell = browser.link(f"/diary/{Night.objects.get(date=days[-1]).pk}/edit/", within=".calendar")
    assert "night pain 3 out of 10" in today_cell.get_attribute("textContent")
    assert "bed changed from Old mattress to Sofa" in today_cell.get_attribute("textContent")
    browser.snap("calendar")


def edit_night(browser: Browser, day: date, new_pain: int) -> None:
    browser.go("/diary/")
    night = Night.objects.get(date=day)
    browser.click_and_load(browser.link(f"/diary/{night.pk}/edit/", "Edit"))
    assert browser.find(f"input[name=night_pain][value='{night.night_pain}']").is_selected()
    browser.choose("night_pain", str(new_pain))
    browser.snap("edit")
    browser.click_and_load(".night-save")
    browser.wait_text(f"Saved the night ending {day:%a} {day.day} {day:%b %Y}.")
    row = browser.link(f"/diary/{night.pk}/edit/", within=".night-list").find_element("xpath", "ancestor::li[1]")
    assert f"Pain {new_pain}" in row.text
    night.refresh_from_db()
    assert night.night_pain == new_pain


def open_report(browser: Browser) -> None:
    browser.go("/report/")
    browser.wait_text("Not enough nights yet")  # 3 nights: the NOT_ENOUGH_DATA finding
    charts = browser.find_all("main svg[role=img]")
    assert charts, "no chart on the report"
    for chart in charts:
        label = chart.get_attribute("aria-label") or chart.get_attribute("aria-labelledby")
        assert label, "a chart without a text alternative"
        assert chart.find_elements("css selector", "title"), "a chart without a <title>"
    count, overlaps = overlapping_texts(browser, "main svg.diary-chart")
    assert count == 2 and overlaps == [], overlaps  # bed-change and axis labels stay apart (issue 15)
    browser.snap("report")


def download_pdf(browser: Browser) -> None:
    browser.click("main form[action='/report/pdf/'] button[type=submit]:not([formaction])")
    # Chromium writes to a hidden temporary file, then *.crdownload, then renames it to its name.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        files = list(browser.download_dir.iterdir())
        pdfs = [path for path in files if path.suffix == ".pdf"]
        if pdfs and not any(path.suffix == ".crdownload" or path.name.startswith(".") for path in files):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"no PDF downloaded into {browser.download_dir}: {files}")
    assert pdfs[0].name.startswith("night-pain-report-"), pdfs[0].name
    assert pdfs[0].read_bytes().startswith(b"%PDF"), pdfs[0].name


def create_share_link(browser: Browser) -> str:
    browser.click_and_load(browser.link("/share/", "Share with a clinician"))
    browser.snap("share-list")
    browser.fill("#id_passcode", PASSCODE)
    browser.click_and_load("main form[action='/share/'] button[type=submit]")
    browser.wait_text("Your new link")
    browser.snap("share-created")
    url = browser.find(".share-url a").get_attribute("href")
    assert re.fullmatch(r"http://[^/]+/s/[A-Za-z0-9_-]{20,}/", url), url
    return url.split(browser.base_url, 1)[1]


def open_with_passcode(stranger: Browser, share_path: str) -> None:
    """A fresh browser types a wrong, then the right passcode (a real form post: Origin and CSRF)."""
    stranger.go(share_path)
    stranger.wait_text("protected by a passcode")
    stranger.fill("#id_passcode", "0000")
    stranger.click_and_load("main form button[type=submit]")
    assert "Forbidden" not in stranger.title and "CSRF" not in stranger.text("body"), stranger.text("body")
    stranger.wait_text("That passcode is not right.")
    stranger.snap("shared-wrong-passcode")
    stranger.fill("#id_passcode", PASSCODE)
    stranger.click_and_load("main form button[type=submit]")
    assert "CSRF" not in stranger.text("body"), stranger.text("body")
    assert stranger.path == share_path


def revoke_share_link(browser: Browser) -> None:
    browser.go("/share/")
    browser.click_and_load("main form[action*='/revoke/'] button[type=submit]")
    browser.wait_text("the link no longer opens")
    browser.snap("share-revoked")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_whole_journey_from_sign_up_to_a_revoked_share_link(open_browser, viewport):
    browser = open_browser(viewport, name=f"owner-{viewport}")
    sign_up(browser)
    check_time_zone(browser)
    add_bed(browser, "Old mattress")

    today = local_today()
    days = [today - timedelta(days=2), today - timedelta(days=1), today]
    log_night(browser, days[0], 7, woke="early", morning="30", areas=("lower_back",), eased=("movement",))
    log_night(browser, days[2], 3, morning="5", eased=("movement", "painkiller"), new_bed="Sofa")
    # The gap between them, filled from the calendar, offers the bed of the night before it (issue 15),
    # not the newest night's Sofa, which would record two false bed changes.
    log_night(browser, days[1], 5, areas=("lower_back",), eased=("movement",), from_calendar=True, same_as_last=True)
    assert Night.objects.get(date=days[1]).bed.name == "Old mattress"
    # Last night is logged now: signing in (LOGIN_REDIRECT_URL is the home page) lands on the diary.
    browser.go("/")
    assert browser.path == "/diary/"
    night = Night.objects.get(date=days[0])
    assert (
        list(night.pain_areas) == ["lower_back"]
        and night.morning_pain_minutes == 30
        and night.bed.name == "Old mattress"
    )
    assert Night.objects.get(date=days[2]).bed.name == "Sofa"

    check_diary_and_calendar(browser, days)
    edit_night(browser, days[1], 4)
    open_report(browser)
    download_pdf(browser)
    share_path = create_share_link(browser)

    stranger = open_browser(viewport, name=f"stranger-{viewport}")
    open_with_passcode(stranger, share_path)
    stranger.wait_text("3 nights logged out of 3 days")  # the clinician sees the report
    assert stranger.find_all("main svg[role=img]")
    assert "Sign out" not in stranger.text("header"), "the stranger must not be signed in"
    stranger.snap("shared-report")

    revoke_share_link(browser)
    stranger.go(share_path)
    stranger.snap("shared-report-revoked")
    assert "nights logged" not in stranger.text("body")
    assert stranger.title.startswith("Page not found")
    assert "expired or been revoked" in stranger.text()
    status, _headers, _body = stranger.fetch(share_path)
    assert status == 404


def test_a_finding_links_to_its_article(open_browser, alice):
    bed = make_bed(alice)
    make_night(alice, bed=bed, date=local_today("Europe/London"))
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/report/")
    browser.wait_text("Not enough nights yet")
    browser.snap("report")
    finding = browser.find(".finding")
    assert "Not enough nights yet" in finding.text
    browser.click_and_load(browser.link("/articles/keeping-a-pain-diary/", within=".finding"))
    assert browser.path == "/articles/keeping-a-pain-diary/"
    assert browser.find("main h1").text
    browser.snap("article")


def test_a_csv_import_with_a_bad_row_lists_the_row_and_imports_nothing(open_browser, alice, tmp_path):
    csv_file = tmp_path / "nights.csv"
    header = ",".join(HEADER)
    csv_file.write_text(
        f"{header}\n"
        "2026-01-01,4,no,lower_back,10,movement,Old mattress,,,,,,\n"
        "2026-01-02,12,no,lower_back,10,movement,Old mattress,,,,,,\n"
    )
    browser = open_browser("phone")
    login_cookie(browser, alice)
    browser.go("/diary/import/")
    browser.find("input[type=file]").send_keys(str(csv_file))
    browser.click_and_load("main form button[type=submit]")
    browser.wait_text("Nothing was imported")
    browser.snap("import-error")
    rows = [row.text for row in browser.find_all("section[aria-labelledby=import-problems-heading] tbody tr")]
    assert any(row.startswith("3 ") and "night_pain" in row for row in rows), rows
    assert not Night.objects.filter(user=alice).exists()


def test_repeated_wrong_passwords_are_throttled(open_browser, alice):
    browser = open_browser("phone")
    browser.go("/accounts/login/")
    for attempt in range(6):
        browser.fill("#id_login", alice.email)
        browser.fill("#id_password", f"wrong-password-{attempt}")
        browser.click_and_load("main form button[type=submit]")
        if "Too many failed login attempts" in browser.text():
            break
    browser.snap("throttled")
    browser.wait_text("Too many failed login attempts")
    # Even the right password is refused while throttled.
    browser.fill("#id_login", alice.email)
    browser.fill("#id_password", PASSWORD)
    browser.click_and_load("main form button[type=submit]")
    assert "Sign out" not in browser.text("header")
