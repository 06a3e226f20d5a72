"""Headless Chromium for the browser tests: Debian's chromium + chromium-driver via Selenium.

Selenium is pointed at /usr/bin/chromedriver and /usr/bin/chromium explicitly, so Selenium
Manager never tries to download a driver (there is no network in tests). A missing Chromium is
an error, not a skip: CI installs it with scripts/system-deps.sh --test.

Browser tests get a `Browser` from the ``open_browser`` fixture of tests/browser_plugin.py.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver")
WAIT_SECONDS = 15

VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 800)}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def start_chromium(
    viewport: str, download_dir: Path, *, javascript: bool = True, language: str = "en-GB"
) -> webdriver.Chrome:
    """A headless Chromium at one of VIEWPORTS, whose user speaks `language` (its Accept-Language);
    its console log is kept (for CSP reports)."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not Path(binary).exists():
            # Fail, never skip: a suite that silently drops its browser tests proves nothing.
            raise RuntimeError(f"{binary} is missing; install it with `bash scripts/system-deps.sh --test`.")
    width, height = VIEWPORTS[viewport]
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--lang={language}")
    if viewport == "phone":
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}}
        )
    prefs = {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": True,
        "intl.accept_languages": language,
    }
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    return driver


def wait_for(driver, css: str, timeout: float = 10):
    return WebDriverWait(driver, timeout).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def save_screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def axe_violations(driver, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (from its npm package, injected from disk) on the current page."""
    driver.execute_script(AXE_JS.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', description: String(e), nodes: []}])));"
    )
    return [v for v in json.loads(result) if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(node.get("target", [])) for node in v.get("nodes", [])][:5]
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('description')} at {targets}")
        for node in v.get("nodes", [])[:2]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {summary[:300]}")
    return "\n".join(lines)


class Browser:
    """One Chromium session against the live server, with small helpers for readable tests."""

    def __init__(self, driver: webdriver.Chrome, base_url: str, name: str, download_dir: Path, javascript: bool = True):
        self.driver = driver
        self.javascript = javascript
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.download_dir = download_dir
        self.steps: list[tuple[str, bytes]] = []

    # --- navigation ---------------------------------------------------------------------------

    def go(self, path: str) -> Browser:
        self.driver.get(self.base_url + path)
        self._wait_loaded()
        return self

    @property
    def path(self) -> str:
        return urlsplit(self.driver.current_url).path

    @property
    def title(self) -> str:
        return self.driver.title

    def _wait_loaded(self) -> None:
        # Selenium's own scripts still run when the page's JavaScript is disabled.
        # A script can fail while the next document replaces the last one: then just ask again.
        WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=[WebDriverException]).until(
            lambda d: d.execute_script("return document.readyState") == "complete",
            message=f"{self.driver.current_url} did not finish loading",
        )

    # --- finding things -----------------------------------------------------------------------

    def find(self, css: str, within: WebElement | None = None) -> WebElement:
        return (within or self.driver).find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str, within: WebElement | None = None) -> list[WebElement]:
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def wait(self, css: str, timeout: float = WAIT_SECONDS) -> WebElement:
        return WebDriverWait(self.driver, timeout).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)),
            message=f"{css!r} not found on {self.path}",
        )

    def wait_text(self, text: str, css: str = "main", timeout: float = WAIT_SECONDS) -> None:
        try:
            WebDriverWait(self.driver, timeout).until(
                expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
            )
        except TimeoutException:
            # The page is read for the message only now: read before waiting, it could be the
            # page being left (a stale element while the next one loads).
            raise AssertionError(f"{text!r} not in {css} on {self.path}: {self.text(css)[:500]!r}") from None

    def text(self, css: str = "main") -> str:
        elements = self.find_all(css)
        return " ".join(element.text for element in elements)

    def link(self, href_contains: str, text: str | None = None, within: str = "main") -> WebElement:
        """The first link in `within` whose href contains `href_contains` (and whose text contains `text`)."""
        for anchor in self.find_all(f"{within} a[href*='{href_contains}']"):
            if text is None or text.lower() in (anchor.text or anchor.get_attribute("textContent")).lower():
                return anchor
        raise AssertionError(f"no link to {href_contains!r} (text {text!r}) in {within} on {self.path}")

    # --- acting ---------------------------------------------------------------------------------

    def click(self, target: str | WebElement) -> None:
        element = self.find(target) if isinstance(target, str) else target
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        if self.javascript:
            element.click()
        else:
            self._tap(element)

    def _tap(self, element: WebElement) -> None:
        """A mouse click sent straight to the page: chromedriver's own click() never returns when
        the page's JavaScript is off (it waits for scripts that cannot run)."""
        x, y = self.driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];",
            element,
        )
        for event in ("mousePressed", "mouseReleased"):
            self.driver.execute_cdp_cmd(
                "Input.dispatchMouseEvent", {"type": event, "x": x, "y": y, "button": "left", "clickCount": 1}
            )

    def click_and_load(self, target: str | WebElement) -> None:
        """Click something that loads a new page (a link or a submit button) and wait for it."""
        old_page = self.driver.find_element(By.TAG_NAME, "html")
        self.click(target)

        def old_page_gone(driver) -> bool:
            try:
                old_page.is_enabled()
            except WebDriverException:  # stale, or chromedriver's "node does not belong to the document" mid-navigation
                return True
            return False

        WebDriverWait(self.driver, WAIT_SECONDS).until(
            old_page_gone, message=f"clicking {target!r} on {self.path} loaded no page"
        )
        self._wait_loaded()

    def fill(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def choose(self, name: str, value: str) -> None:
        """Tick a radio or checkbox by clicking its visible label, as a person does."""
        control = self.find(f"input[name='{name}'][value='{value}']")
        self.click(f"label[for='{control.get_attribute('id')}']")
        assert control.is_selected(), f"clicking the label did not select {name}={value}"

    def select(self, css: str, visible_text: str | None = None, value: str | None = None) -> None:
        from selenium.webdriver.support.select import Select

        menu = Select(self.find(css))
        if value is not None:
            menu.select_by_value(value)
        else:
            menu.select_by_visible_text(visible_text)

    # --- cookies and fetching -----------------------------------------------------------------

    def fetch(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """GET a live-server path with this browser's cookies (loopback only): status, headers, body."""
        url = path if path.startswith("http") else self.base_url + path
        assert urlsplit(url).hostname in {"localhost", "127.0.0.1"}, url
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310  # loopback live server
        try:
            with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:  # noqa: S310  # nosec B310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def console_messages(self) -> list[str]:
        return [entry.get("message", "") for entry in self.driver.get_log("browser")]

    # --- screenshots ------------------------------------------------------------------------

    def snap(self, step: str) -> None:
        """Keep a screenshot of this step; written to artifacts/browser/ only if the test fails."""
        self.steps.append((step, self.driver.get_screenshot_as_png()))

    def save_artifacts(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for number, (step, png) in enumerate(self.steps, start=1):
            (folder / f"{self.name}-{number:02d}-{safe_name(step)}.png").write_bytes(png)
        try:
            self.driver.save_screenshot(str(folder / f"{self.name}-last-page.png"))
            (folder / f"{self.name}-last-page.html").write_text(self.driver.page_source)
        except WebDriverException:
            pass  # the browser itself may be what failed

    def quit(self) -> None:
        self.driver.quit()


OVERLAPPING_TEXTS = """
const overlaps = [];
for (const svg of document.querySelectorAll(arguments[0])) {
  // Rendered boxes (getBoundingClientRect: getBBox with the rotation and scaling applied).
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) {
        overlaps.push(`${svg.id}: "${a}" / "${b}"`);
      }
    }
  }
}
return [document.querySelectorAll(arguments[0]).length, overlaps];
"""


def overlapping_texts(browser: Browser, css: str) -> tuple[int, list[str]]:
    """How many SVGs match `css`, and every pair of <text> in one of them whose drawn boxes intersect."""
    return browser.driver.execute_script(OVERLAPPING_TEXTS, css)


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80]


def login_cookie(browser: Browser, user) -> None:
    """Sign `user` in without the log-in form (for tests about other pages): a real session cookie."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    browser.go("/robots.txt")  # a cookie can only be set on the live server's origin
    browser.driver.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"})
