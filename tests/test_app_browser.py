"""The guided assessment served by `carbonclap app`, driven in a real browser.

Starts the app (Voilà) on a free port, opens it in Debian's headless
chromium through Python's playwright, fills fields, checks the displayed
total against figures computed here by hand, saves, reloads the page and
opens the saved file, switches to English, and fails on any request that
leaves localhost, any console error and any error text in the page. A
screenshot of each step is written to test-artifacts/browser/.

Skipped, with the reason, where /usr/bin/chromium or playwright is missing
(`.ci/run` installs chromium before `make test`).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 180
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Text that means something went wrong: Voilà's cell errors, a Python traceback,
# an exception name shown by the app's guard, a script that did not load.
ERROR_TEXT = re.compile(r"traceback|\berror\b|\w+error\b|exception|erreur|error loading script",
                        re.IGNORECASE)

# Factor values typed from their sources (ADEME Base Carbone V23.6), not read
# from the edition: TGV 0.00293 kgCO2e per passenger-km (element 43256);
# electricity France 2024 average mix 0.0519 kgCO2e per kWh (43642);
# average meal 2.04 kgCO2e per meal (20682).
TGV_PKM, TGV = 930, 0.00293
STUDIO_KWH, ELECTRICITY = 35, 0.0519
MEALS, MEAL = 5, 2.04
TOTAL_1 = TGV_PKM * TGV                              # 2.7249
TOTAL_2 = TOTAL_1 + STUDIO_KWH * ELECTRICITY         # 4.5414
TOTAL_3 = TOTAL_2 + MEALS * MEAL                     # 14.7414
CONTENT_MINUTES = 45
PER_HOUR = TOTAL_3 / (CONTENT_MINUTES / 60)          # 19.6552

playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="Python playwright is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is missing (apt-get install chromium; "
                                       ".ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"carbonclap app exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer 200 within {timeout} s")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app running on a free port; yields (url, save folder, log path)."""
    save_dir = tmp_path_factory.mktemp("saved")
    log_path = tmp_path_factory.mktemp("log") / "voila.log"
    port = _free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "carbonclap_methods.cli", "app", "--port", str(port),
             "--no-browser", "--save-dir", str(save_dir)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, process, START_TIMEOUT_S)
        yield url, save_dir, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _number(text: str) -> float:
    """A number as the app writes it in French or English (``14,7``, ``1 234``, ``1,234``)."""
    text = text.strip().replace("\u202f", "").replace("\u00a0", "")
    if "," in text and "." not in text and not re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", ".")
    return float(text.replace(",", ""))


class Browser:
    """A page of the app, with what it requested and logged, and numbered screenshots."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.step = 0
        page.on("response", lambda response: response.status >= 400 and self.failed.append(
            f"{response.status} {response.request.method} {response.url}"))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error"
                and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def shot(self, name: str, full_page: bool = False) -> None:
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.step:02d}-{name}.png"),
                             full_page=full_page)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(".cc-total", timeout=START_TIMEOUT_S * 1000)

    def total(self) -> float:
        return _number(self.page.locator(".cc-total").inner_text())

    def wait_total(self, expected: float, rel: float = 0.005) -> None:
        """Wait until the displayed total matches ``expected`` to its display precision."""
        deadline = time.monotonic() + 30
        shown = None
        while time.monotonic() < deadline:
            shown = self.total()
            if shown == pytest.approx(expected, rel=rel):
                return
            time.sleep(0.1)
        raise AssertionError(f"displayed total {shown} kgCO2e, expected {expected:.4f}")

    def open_section(self, title: str) -> None:
        header = self.page.locator(".cc-sections .jupyter-widget-Collapse-header",
                                   has_text=title).first
        header.click()
        header.locator("xpath=..").locator(".jupyter-widget-Collapse-contents").wait_for()

    def type_in(self, css_class: str, text: str) -> None:
        box = self.page.locator(f".{css_class} input").first
        box.fill(text)

    def check_clean(self) -> None:
        outside = [u for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                   and urlparse(u).hostname not in LOCAL_HOSTS]
        assert outside == [], f"requests left localhost: {outside}"
        assert self.console_errors == [], (f"browser console errors: {self.console_errors}; "
                                           f"failed responses: {self.failed}")
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"
        body = self.page.locator("body").inner_text()
        found = ERROR_TEXT.search(body)
        if found is not None:
            context = body[max(0, found.start() - 200):found.end() + 200]
            raise AssertionError(f"error text in the page: ...{context}...")


def test_fill_save_reload_switch_language(served):
    url, save_dir, log_path = served
    shutil.rmtree(ARTIFACTS, ignore_errors=True)          # screenshots of this run only
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = chromium.new_context(viewport={"width": 1400, "height": 1000},
                                           accept_downloads=True)
            browser = Browser(context.new_page())
            _run_steps(browser, url, save_dir)
        finally:
            chromium.close()


def _run_steps(browser: Browser, url: str, save_dir: Path) -> None:
    page = browser.page
    browser.open(url)
    assert browser.total() == 0
    browser.check_clean()
    browser.shot("start-fr")

    # Fill three fields in three sections; the total follows each one.
    browser.open_section("Invités")
    browser.type_in("cc-q-guests-guest_train", str(TGV_PKM))
    browser.wait_total(TOTAL_1)
    browser.open_section("Enregistrement en studio")
    browser.type_in("cc-q-studio_recording-studio_electricity", str(STUDIO_KWH))
    browser.wait_total(TOTAL_2)
    browser.open_section("Régie, hébergement et restauration")
    browser.type_in("cc-q-logistics_catering-meals", str(MEALS))
    browser.wait_total(TOTAL_3)
    browser.type_in("cc-p-content_minutes", str(CONTENT_MINUTES))
    indicators = page.locator(".cc-indicators")
    indicators.wait_for()
    page.wait_for_function("() => document.querySelector('.cc-indicators') && "
                           "document.querySelector('.cc-indicators').innerText.includes('heure')")
    per_hour = re.search(r"([\d\u202f,]+) kgCO2e par heure de contenu", indicators.inner_text())
    assert per_hour and _number(per_hour.group(1)) == pytest.approx(PER_HOUR, rel=0.005)
    # The charts follow after a pause in typing: food is now the largest category.
    page.wait_for_function("() => { const c = document.querySelector('.cc-chart-category svg');"
                           " return c && c.textContent.includes('Alimentation'); }",
                           timeout=30000)
    browser.shot("filled-fr")

    # Bad input: shown next to the field, nothing else changes, the text stays.
    browser.type_in("cc-q-logistics_catering-meals", "12,5")
    message = page.locator(".cc-msg-logistics_catering-meals")
    message.wait_for()
    assert "virgule décimale" in message.inner_text()
    assert page.locator(".cc-q-logistics_catering-meals input").input_value() == "12,5"
    time.sleep(0.5)
    assert browser.total() == pytest.approx(TOTAL_3, rel=0.005)
    browser.shot("bad-input-fr")
    browser.type_in("cc-q-logistics_catering-meals", str(MEALS))
    message.wait_for(state="hidden")
    browser.wait_total(TOTAL_3)

    # Save: the file is written to the save folder and offered as a download.
    page.locator(".cc-file-name input").fill("browser-test.yaml")
    page.locator(".cc-save").click()
    page.locator(".cc-status", has_text="Enregistré").wait_for()
    saved = save_dir / "browser-test.yaml"
    assert saved.is_file()
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    quantities = {line["field"]: line["quantity"] for line in data["activities"]}
    assert quantities == {"guest_train": TGV_PKM, "studio_electricity": STUDIO_KWH,
                          "meals": MEALS}
    assert data["production"]["content_minutes"] == CONTENT_MINUTES
    with page.expect_download() as download:
        page.locator("a.cc-download").click()
    assert Path(download.value.path()).read_bytes() == saved.read_bytes()
    browser.shot("saved-fr")

    # Reload the page (a new kernel, a blank assessment), then open the saved file.
    browser.check_clean()
    page.reload()
    page.wait_for_selector(".cc-total", timeout=START_TIMEOUT_S * 1000)
    browser.wait_total(0)
    with page.expect_file_chooser() as chooser:       # the widget makes its input on click
        page.locator(".cc-upload").click()
    chooser.value.set_files(str(saved))
    page.locator(".cc-status", has_text="Ouvert").wait_for()
    browser.wait_total(TOTAL_3)
    assert page.locator(".cc-p-content_minutes input").input_value() == "45"
    browser.shot("reloaded-fr")

    # Switch to English: labels, numbers and charts follow.
    page.locator(".cc-lang button", has_text="English").click()
    page.locator(".cc-heading", has_text="Guided carbon assessment").wait_for()
    page.locator(".cc-sections .jupyter-widget-Collapse-header", has_text="Guests").wait_for()
    page.wait_for_function("() => { const c = document.querySelector('.cc-chart-category svg');"
                           " return c && c.textContent.includes('Food'); }", timeout=30000)
    assert page.locator(".cc-total").inner_text().strip() == "14.7"
    assert "kgCO2e per hour of content" in page.locator(".cc-indicators").inner_text()
    browser.shot("english")

    # The charts, in view: categories, then the top lines (drawn when their tab opens).
    page.locator(".cc-charts").scroll_into_view_if_needed()
    browser.shot("english-chart-categories")
    page.locator(".cc-charts .lm-TabBar-tab", has_text="Lines").click()
    page.wait_for_function("() => { const c = document.querySelector('.cc-chart-lines svg');"
                           " return c && c.textContent.includes('Meals'); }", timeout=30000)
    browser.shot("english-chart-lines")
    browser.check_clean()
