"""pytest plugin for the browser tests: the ``open_browser`` fixture, and screenshots on failure.

Test modules load it with ``pytest_plugins = ["tests.browser_plugin"]``. Modules whose tests
share one Chromium (faster) use ``signed_in_browser`` instead: alice signed in, cookies cleared
between tests, the viewport from the module's ``CHROMIUM_VIEWPORT`` ("phone" unless set). Every browser the
fixture opens keeps a screenshot per step (Browser.snap); when the test fails, those screenshots
and each browser's last page (PNG and HTML) are written to artifacts/browser/<test name>/.
"""

from __future__ import annotations

import shutil

import pytest

from tests.browser import ARTIFACTS, Browser, login_cookie, safe_name, start_chromium

_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def shipped_articles(db):
    """The shipped articles in every language, which a transactional test's flush removed (the report links to them)."""
    from articles.loading import load_shipped_articles, load_shipped_translations
    from articles.models import Article

    load_shipped_articles(Article)
    load_shipped_translations(Article)


@pytest.fixture
def open_browser(request, live_server, tmp_path, shipped_articles):
    """open_browser(viewport="phone", javascript=True, name=None, language="en-GB") -> Browser, closed after the test."""
    opened: list[Browser] = []

    def open_(
        viewport: str = "phone", *, javascript: bool = True, name: str | None = None, language: str = "en-GB"
    ) -> Browser:
        download_dir = tmp_path / f"downloads-{len(opened)}"
        download_dir.mkdir()
        driver = start_chromium(viewport, download_dir, javascript=javascript, language=language)
        name = name or f"browser{len(opened) + 1}-{viewport}"
        browser = Browser(driver, live_server.url, name, download_dir, javascript=javascript)
        opened.append(browser)
        return browser

    yield open_
    reports = request.node.stash.get(_REPORTS, {})
    failed = any(report.failed for report in reports.values())
    if failed and opened:
        folder = ARTIFACTS / safe_name(request.node.name)
        shutil.rmtree(folder, ignore_errors=True)  # only this run's screenshots
        for browser in opened:
            browser.save_artifacts(folder)
        print(f"Screenshots of each step saved in {folder}")
    for browser in opened:
        browser.quit()


@pytest.fixture(scope="module")
def module_chromium(request, tmp_path_factory):
    """One Chromium for every test of a module, at the module's CHROMIUM_VIEWPORT ("phone" by default)."""
    viewport = getattr(request.module, "CHROMIUM_VIEWPORT", "phone")
    driver = start_chromium(viewport, tmp_path_factory.mktemp("downloads"))
    yield driver
    driver.quit()


@pytest.fixture
def signed_in_browser(request, module_chromium, live_server, alice):
    """The module's Chromium with alice signed in and no cookies left over from the test before."""
    module_chromium.delete_all_cookies()
    name = request.module.__name__.rsplit(".", 1)[-1]
    browser = Browser(module_chromium, live_server.url, name, download_dir=None)
    login_cookie(browser, alice)
    return browser
