"""What a person meets on a phone, in a real browser (issue 15): logging effort, the sticky Save,
"Same as last night", a taken date flagged at once, the time zone without JavaScript, and chart
labels that never overlap. One Chromium at 375 px serves the module.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.models import Night, Profile
from tests.browser import Browser, overlapping_texts
from tests.factories import make_bed, make_night, users_today

pytest_plugins = ["tests.browser_plugin"]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_VIEWPORT = "phone"  # one Chromium serves the module (tests/browser_plugin.py)

MAX_TAPS = 6  # plus the pain value (issue 15)


@pytest.fixture
def browser(signed_in_browser):
    return signed_in_browser


class Taps:
    """Counts the taps a person makes (scrolling is free)."""

    def __init__(self, browser: Browser):
        self.browser, self.count = browser, 0

    def tap(self, target) -> None:
        self.count += 1
        self.browser.click(target)

    def tap_and_load(self, target) -> None:
        self.count += 1
        self.browser.click_and_load(target)

    def choose(self, name: str, value: str) -> None:
        self.count += 1
        self.browser.choose(name, value)


def in_view_and_uncovered(browser: Browser, css: str) -> bool:
    """The element is inside the viewport and is what a tap at its centre would hit."""
    return browser.driver.execute_script(
        """
        const el = document.querySelector(arguments[0]);
        const r = el.getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight || r.left < 0 || r.right > window.innerWidth) return false;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === el || el.contains(hit);
        """,
        css,
    )


# --- 7: logging a typical night ------------------------------------------------------------------


def test_a_typical_night_takes_at_most_six_taps_plus_the_pain_on_a_phone(browser, alice):
    sofa = make_bed(alice, "Sofa")
    make_bed(alice, "Guest bed")  # newer: the form must not pick it
    make_night(alice, sofa, date=users_today() - timedelta(days=1), pain_areas=["lower_back"], eased_by=["movement"])
    browser.go("/log/")
    taps = Taps(browser)
    browser.choose("night_pain", "5")  # the pain value itself is not counted
    taps.tap(".same-as-last a")  # fills in place: the pain chosen first stays
    assert browser.find("input[name=night_pain][value='5']").is_selected()
    assert browser.find("input[name=pain_areas][value='lower_back']").is_selected()
    taps.choose("morning_quick", "15")
    browser.snap("filled")
    assert in_view_and_uncovered(browser, ".night-save"), "Save must be on screen once the form is filled"
    taps.tap_and_load(".night-save")
    browser.wait_text("Saved the night ending")
    assert taps.count <= MAX_TAPS, taps.count
    night = Night.objects.get(user=alice, date=users_today())
    assert (night.night_pain, night.bed, night.pain_areas, night.eased_by, night.morning_pain_minutes) == (
        5,
        sofa,
        ("lower_back",),
        ("movement",),
        15,
    )


def test_the_sticky_save_bar_never_covers_a_field(browser, alice):
    make_night(alice, date=users_today() - timedelta(days=1))
    browser.go("/log/")
    browser.click(".night-more summary")  # the folded fields too
    assert in_view_and_uncovered(browser, ".night-save"), "Save reachable at the top of the form"
    covered = browser.driver.execute_script(
        """
        const bar = document.querySelector('.night-save-bar');
        const fields = document.querySelectorAll(
          'form.night-form label.btn, form.night-form select, form.night-form textarea, form.night-form summary,'
          + ' form.night-form input:not([type=hidden]):not(.btn-check):not([type=submit])');
        const covered = [];
        for (const field of fields) {
          if (!field.checkVisibility()) continue;  // inside a folded section
          field.scrollIntoView({block: 'end', behavior: 'instant'});  // as a focused field is brought into view
          const f = field.getBoundingClientRect(), b = bar.getBoundingClientRect();
          if (f.height && f.bottom > b.top + 1 && f.top < b.bottom) covered.push(field.outerHTML.slice(0, 80));
        }
        return covered;
        """
    )
    assert covered == []


def test_a_date_already_logged_is_flagged_at_once_with_a_link_to_edit_it(browser, alice):
    night = make_night(alice, date=users_today() - timedelta(days=2))
    browser.go("/log/")
    assert browser.text("#date-taken") == ""
    browser.driver.execute_script(
        "const input = document.querySelector('#id_date'); input.value = arguments[0];"
        "input.dispatchEvent(new Event('change', {bubbles: true}));",
        night.date.isoformat(),
    )
    browser.wait_text("already logged", "#date-taken")
    assert browser.find("#date-taken a").get_attribute("href").endswith(f"/diary/{night.pk}/edit/")
    browser.snap("date-taken")


# --- 4: the time zone without JavaScript -------------------------------------------------------


def test_without_javascript_sign_up_starts_on_utc_and_the_profile_says_so(open_browser, django_user_model):
    browser = open_browser("phone", javascript=False, name="no-js-sign-up")
    browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Pacific/Auckland"})
    browser.go("/accounts/signup/")
    browser.fill("#id_email", "nojs@example.com")
    browser.fill("#id_password1", "night-owl-lumbar-2026")
    browser.fill("#id_password2", "night-owl-lumbar-2026")
    browser.click_and_load("main form button[type=submit]")
    user = django_user_model.objects.get(email="nojs@example.com")
    assert Profile.objects.get(user=user).time_zone == "UTC"
    browser.go("/account/")
    assert "Your time zone: UTC" in browser.text("#active-time-zone")
    assert "could not be detected" in browser.text("#active-time-zone")


def test_with_javascript_sign_up_takes_the_browsers_time_zone(browser, django_user_model):
    browser.driver.delete_all_cookies()
    browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Pacific/Auckland"})
    try:
        browser.go("/accounts/signup/")
        browser.fill("#id_email", "kiri@example.com")
        browser.fill("#id_password1", "night-owl-lumbar-2026")
        browser.fill("#id_password2", "night-owl-lumbar-2026")
        browser.click_and_load("main form button[type=submit]")
        assert browser.path == "/log/"
        # Auckland's today, whatever the server's clock says.
        assert (
            browser.find("#id_date").get_attribute("value")
            == datetime.now(ZoneInfo("Pacific/Auckland")).date().isoformat()
        )
        user = django_user_model.objects.get(email="kiri@example.com")
        assert Profile.objects.get(user=user).time_zone == "Pacific/Auckland"
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})


# --- 5: chart labels never overlap ---------------------------------------------------------------


def three_bed_changes_in_eight_days(user) -> None:
    """A month of nights; the bed changes three times within eight days (long names, close together)."""
    old, foam, lounge = (make_bed(user, name) for name in ("Old mattress", "New memory foam", "Sofa bed in the lounge"))
    for back in range(30, -1, -1):
        bed = foam if back in (8, 6) else lounge if back == 7 else old
        make_night(
            user, bed, date=users_today() - timedelta(days=back), night_pain=back % 9, morning_pain_minutes=back * 3
        )
    # Changes: foam (8 days ago), lounge (7), foam (6), old mattress (5): four within four days.


def assert_no_overlapping_labels(browser: Browser, css: str, expected_charts: int) -> None:
    count, overlaps = overlapping_texts(browser, css)
    assert count == expected_charts, f"{count} charts matched {css} on {browser.path}"
    assert overlaps == [], overlaps


@pytest.mark.parametrize("width", [375, 1280])
def test_chart_labels_never_overlap_on_the_charts_page_report_and_pdf(browser, alice, width):
    from diary import charts
    from diary.reporting import load_report

    three_bed_changes_in_eight_days(alice)
    browser.driver.set_window_size(width, 812)
    try:
        for path in ("/diary/charts/?period=30", "/diary/charts/?period=14", "/diary/charts/?period=all"):
            browser.go(path)
            assert_no_overlapping_labels(browser, "main svg.diary-chart", 2)
        browser.go("/report/?period=30")
        assert_no_overlapping_labels(browser, "main svg.diary-chart", 2)
        browser.snap("report-charts")
        # The PDF's own charts (the same SVG it embeds), at the width it prints them side by side.
        report = load_report(alice, users_today() - timedelta(days=29), users_today())
        changes = report.summary.bed_changes
        pdf_svgs = [
            charts.night_pain_chart(report.nights, changes, report.start, report.end),
            charts.morning_minutes_chart(report.nights, changes, report.start, report.end),
        ]
        browser.driver.execute_script(
            "document.body.innerHTML = arguments[0].map(svg => `<div class='pdf-size'>${svg}</div>`).join('');"
            "document.querySelectorAll('.pdf-size').forEach(d => d.setAttribute('width', '330'));"
            "document.querySelectorAll('.pdf-size svg').forEach(s => { s.setAttribute('width', '330'); });",
            pdf_svgs,
        )
        assert_no_overlapping_labels(browser, ".pdf-size svg", 2)
        texts = browser.driver.execute_script(
            "return [...document.querySelectorAll('.pdf-size text')].map(t => t.textContent)"
        )
        assert any("memory" in text for text in texts), texts  # the labels are there, not dropped to avoid the test
    finally:
        browser.driver.set_window_size(375, 812)
