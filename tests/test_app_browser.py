"""The guided assessment served by `carbonclap app`, driven in a real browser.

Starts the app (Voilà) on a free port, opens it in Debian's headless
chromium through Python's playwright at 1280x800, starts a podcast from the
first screen, fills fields (French decimal commas), checks the displayed
total against figures computed here by hand, reloads the page (a warning
asks first; the first screen offers the draft, which brings the work back),
saves, builds a reduction plan (a lever ticked, a parameter out of
its range), opens an example, switches to English and widens the window to
1920x1080, and fills lines with the distance helper by plane, by train (a new
line beside the example's own) and by car (a far trip flagged). At each step it checks that nothing overflows the window
horizontally or is clipped (text cut by its box, drop-downs too narrow for
their label), and fails on any request that leaves localhost, any console
error and any error text in the page. A screenshot of each step is written
to test-artifacts/browser/.

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

from conftest import stop_process
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
STUDIO_KWH_FR = "35,5"                               # typed the French way: 35.5 kWh
TOTAL_1 = TGV_PKM * TGV                              # 2.7249
TOTAL_2 = TOTAL_1 + 35.5 * ELECTRICITY               # 4.56735
TOTAL_3 = TOTAL_2 + MEALS * MEAL                     # 14.76735
CONTENT_MINUTES = 45
PER_HOUR = TOTAL_3 / (CONTENT_MINUTES / 60)          # 19.6898
PLAN_SAVING = 0.5 * MEALS * (MEAL - 0.51)           # half the meals vegetarian (20683: 0.51)
SIZES = {"small": {"width": 1280, "height": 800}, "large": {"width": 1920, "height": 1080}}

# Everything shown that pushes past the window or is cut by its own box
# (ipywidgets labels cut with an ellipsis, a pane hiding its overflow), and
# every visible drop-down too narrow for the label of its choice (measured
# with the drop-down's own font, plus room for its arrow).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const name = (el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') +
    ' "' + (el.innerText || el.value || '').slice(0, 40).replace(/\\s+/g, ' ') + '"';
  if (document.documentElement.scrollWidth > width + 1) {
    found.push('page is ' + document.documentElement.scrollWidth + ' px wide for ' + width);
  }
  for (const el of document.querySelectorAll('.cc-app *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (box.right > width + 1) found.push(name(el) + ' ends at ' + Math.round(box.right) + ' px');
    if (el.tagName !== 'SELECT' && el.tagName !== 'INPUT' && style.overflowX !== 'visible' &&
        el.scrollWidth > el.clientWidth + 1) {
      found.push(name(el) + ' cuts ' + (el.scrollWidth - el.clientWidth) + ' px of its content');
    }
  }
  const ctx = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('.cc-app select')) {
    if (!select.offsetParent || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select);
    ctx.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
    const text = select.options[select.selectedIndex].text;
    const needed = ctx.measureText(text).width + 24;
    if (needed > select.clientWidth) {
      found.push('drop-down "' + text + '" needs ' + Math.round(needed) + ' px, has ' +
                 select.clientWidth);
    }
  }
  return found.slice(0, 15);
}"""

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


def serve_app(tmp_path_factory, *app_args: str):
    """``carbonclap app [app_args]`` running on a free port until the generator
    is closed; yields (url, save folder, log path)."""
    save_dir = tmp_path_factory.mktemp("saved")
    log_path = tmp_path_factory.mktemp("log") / "voila.log"
    port = _free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "carbonclap_methods.cli", "app", *app_args, "--port", str(port),
             "--no-browser", "--save-dir", str(save_dir)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, process, START_TIMEOUT_S)
        yield url, save_dir, log_path
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app running on a free port; yields (url, save folder, log path)."""
    yield from serve_app(tmp_path_factory)


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
        """A screenshot of this step, after checking that nothing overflows."""
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        self.page.screenshot(path=str(ARTIFACTS / f"{self.step:02d}-{name}-"
                                      f"{size['width']}x{size['height']}.png"),
                             full_page=full_page)
        self.check_fits(name)

    def check_fits(self, step: str) -> None:
        time.sleep(0.3)                                   # let the layout settle
        found = self.page.evaluate(OVERFLOW_JS)
        assert found == [], f"{step} at {self.page.viewport_size}: {found}"

    def check_below_bar(self, selector: str) -> None:
        """``selector`` scrolled to the top of the window (as a browser does for a
        focused field or an opened section) shows below the sticky total bar of the
        stacked layout, not under it (issue 16: the bar hid the plan's heading)."""
        heading = self.page.locator(selector).first
        heading.evaluate("el => el.scrollIntoView({block: 'start'})")
        time.sleep(0.2)
        bar = self.page.locator(".cc-total-bar").bounding_box()
        box = heading.bounding_box()
        assert bar is not None and box is not None, selector
        assert box["y"] >= bar["y"] + bar["height"] - 1, (selector, box, bar)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(".cc-welcome", timeout=START_TIMEOUT_S * 1000)

    def total(self) -> float:
        return _number(self.page.locator(".cc-total-widget .cc-total").inner_text())

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


def test_a_day_of_work_in_the_browser(served):
    url, save_dir, log_path = served
    shutil.rmtree(ARTIFACTS, ignore_errors=True)          # screenshots of this run only
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = chromium.new_context(viewport=SIZES["small"], accept_downloads=True)
            browser = Browser(context.new_page())
            _run_steps(browser, url, save_dir)
        finally:
            chromium.close()


def _run_steps(browser: Browser, url: str, save_dir: Path) -> None:
    page = browser.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    # First screen: what to assess, or an example; no developer text.
    browser.open(url)
    body = page.locator("body").inner_text()
    assert "GuidedAssessment" not in body and "carbonclap_methods" not in body
    assert page.locator(".cc-example select option").count() >= 10
    browser.check_clean()
    browser.shot("welcome-fr")
    page.locator(".cc-welcome-type select").select_option(label="Podcast")
    page.locator(".cc-start").click()
    page.locator(".cc-total-widget .cc-total").wait_for()
    assert browser.total() == 0
    name = page.locator(".cc-file-name input")
    assert name.input_value() == "podcast.yaml"
    browser.type_in("cc-p-title", "Épisode 12")
    page.wait_for_function("() => document.querySelector('.cc-file-name input').value"
                           " === 'podcast-episode-12.yaml'")
    browser.shot("new-podcast-fr")

    # Fill three fields in three sections, one with a French decimal comma.
    browser.open_section("Invités")
    browser.type_in("cc-q-guests-guest_train", str(TGV_PKM))
    browser.wait_total(TOTAL_1)
    browser.open_section("Enregistrement en studio")
    browser.type_in("cc-q-studio_recording-studio_electricity", STUDIO_KWH_FR)
    browser.wait_total(TOTAL_2)
    assert page.locator(".cc-msg-studio_recording-studio_electricity").is_hidden()
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
    page.wait_for_function("() => { const c = document.querySelector('.cc-chart-category svg');"
                           " return c && c.textContent.includes('Alimentation'); }",
                           timeout=30000)
    assert page.locator(".cc-unsaved").is_visible()
    browser.shot("filled-fr")
    page.locator(".cc-results-pane").scroll_into_view_if_needed()
    browser.shot("filled-fr-results")

    # Bad input: shown next to the field, nothing else changes, the text stays.
    browser.type_in("cc-q-logistics_catering-meals", "12,5,1")
    message = page.locator(".cc-msg-logistics_catering-meals")
    message.wait_for()
    assert "mélange virgule et point" in message.inner_text()
    assert page.locator(".cc-q-logistics_catering-meals input").input_value() == "12,5,1"
    time.sleep(0.5)
    assert browser.total() == pytest.approx(TOTAL_3, rel=0.005)
    browser.type_in("cc-q-logistics_catering-meals", str(MEALS))
    message.wait_for(state="hidden")
    browser.wait_total(TOTAL_3)
    time.sleep(1.5)                                       # the draft is written after 1 s

    # Reload: the browser asks first; the first screen offers the draft, which restores it all.
    page.reload()
    page.wait_for_selector(".cc-welcome", timeout=START_TIMEOUT_S * 1000)
    assert "beforeunload" in dialogs
    draft = page.locator(".cc-draft")
    draft.wait_for()
    assert "Épisode 12" in draft.inner_text()
    browser.shot("draft-offered-fr")
    page.locator(".cc-draft-restore").click()
    browser.wait_total(TOTAL_3)
    assert name.input_value() == "podcast-episode-12.yaml"
    assert page.locator(".cc-p-content_minutes input").input_value() == "45"
    browser.open_section("Enregistrement en studio")
    assert page.locator(".cc-q-studio_recording-studio_electricity input").input_value() == "35,5"
    assert "kgCO2e" in page.locator(".cc-kg-studio_recording-studio_electricity").inner_text()
    browser.shot("draft-restored-fr")

    # Save: written to the save folder, offered as a download; nothing left unsaved.
    page.locator(".cc-save").click()
    page.locator(".cc-status", has_text="Enregistré").wait_for()
    saved = save_dir / "podcast-episode-12.yaml"
    assert saved.is_file()
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    quantities = {line["field"]: line["quantity"] for line in data["activities"]}
    assert quantities == {"guest_train": TGV_PKM, "studio_electricity": 35.5, "meals": MEALS}
    assert data["production"]["content_minutes"] == CONTENT_MINUTES
    with page.expect_download() as download:
        page.locator("a.cc-download").click()
    assert Path(download.value.path()).read_bytes() == saved.read_bytes()
    assert page.locator(".cc-unsaved").count() == 0
    browser.shot("saved-fr")

    # Wide window: form and results side by side.
    page.set_viewport_size(SIZES["large"])
    form = page.locator(".cc-form-pane").bounding_box()
    results = page.locator(".cc-results-pane").bounding_box()
    assert results["x"] >= form["x"] + form["width"] and abs(results["y"] - form["y"]) < 2
    browser.shot("saved-fr")
    for width in (1366, 1440, 1600, 1699, 1700, 1800):       # every width in between fits too
        page.set_viewport_size({"width": width, "height": 900})
        browser.check_fits(f"saved-fr at {width} px")
    page.set_viewport_size(SIZES["large"])

    # Reduction plan: the levers that apply with their saving; tick one, a bad
    # parameter is shown beside it; totals before and after, and their chart.
    page.locator(".cc-plan .jupyter-widget-Collapse-header").click()
    saving = page.locator(".cc-plan-vegetarian_meals .cc-plan-kg")
    saving.wait_for(timeout=30000)
    shown = re.search(r"−([\d\u202f,]+) kgCO2e", saving.inner_text())
    assert shown and _number(shown.group(1)) == pytest.approx(PLAN_SAVING, rel=0.005)
    page.locator(".cc-plan-vegetarian_meals .cc-plan-tick input").check()
    totals = page.locator(".cc-plan-totals")
    page.wait_for_function("() => document.querySelector('.cc-plan-totals')"
                           ".innerText.includes('Après le plan')")
    after = re.search(r"Après le plan\s+([\d\u202f,]+) kgCO2e", totals.inner_text())
    assert after and _number(after.group(1)) == pytest.approx(TOTAL_3 - PLAN_SAVING, rel=0.005)
    page.locator(".cc-plan-mc").click()                        # 90 % interval of the saving
    page.locator(".cc-plan-mc-text", has_text="médiane").wait_for(timeout=30000)
    browser.type_in("cc-plan-vegetarian_meals-share", "150")
    page.locator(".cc-plan-vegetarian_meals .cc-bad", has_text="hors de l'intervalle").wait_for()
    page.wait_for_function("() => { const c = document.querySelector('.cc-plan-chart svg');"
                           " return c && c.textContent.includes('Après le plan'); }",
                           timeout=30000)
    page.locator(".cc-plan").scroll_into_view_if_needed()
    browser.shot("plan-fr")
    page.set_viewport_size(SIZES["small"])
    browser.check_below_bar(".cc-results-pane h4")
    browser.check_below_bar(".cc-plan .jupyter-widget-Collapse-header")
    browser.shot("plan-fr")
    browser.type_in("cc-plan-vegetarian_meals-share", "50")
    page.locator(".cc-plan-vegetarian_meals .cc-bad").wait_for(state="detached")
    page.locator(".cc-save").click()                          # the plan goes with the file
    page.locator(".cc-status", has_text="Enregistré").wait_for()
    page.wait_for_function("() => !document.querySelector('.cc-unsaved')")
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["plan"] == {"levers": ["vegetarian_meals"],
                            "parameters": {"vegetarian_meals.share": 0.5}}
    page.set_viewport_size(SIZES["large"])

    # English: labels, numbers, charts and the download link follow.
    page.locator(".cc-lang button", has_text="English").click()
    page.locator(".cc-heading", has_text="Guided carbon assessment").wait_for()
    page.locator(".cc-sections .jupyter-widget-Collapse-header", has_text="Guests").wait_for()
    page.wait_for_function("() => { const c = document.querySelector('.cc-chart-category svg');"
                           " return c && c.textContent.includes('Food'); }", timeout=30000)
    assert page.locator(".cc-total-widget .cc-total").inner_text().strip() == "14.8"
    assert "kgCO2e per hour of content" in page.locator(".cc-indicators").inner_text()
    assert page.locator("a.cc-download").inner_text().startswith("download")
    assert page.locator(".cc-q-studio_recording-studio_electricity input").input_value() == "35.5"
    browser.shot("english")
    page.locator(".cc-charts .lm-TabBar-tab", has_text="Lines").click()
    page.wait_for_function("() => { const c = document.querySelector('.cc-chart-lines svg');"
                           " return c && c.textContent.includes('Meals'); }", timeout=30000)
    browser.shot("english-chart-lines")
    page.wait_for_function("() => { const c = document.querySelector('.cc-plan-chart svg');"
                           " return c && c.textContent.includes('After the plan'); }",
                           timeout=30000)
    assert "A share of vegetarian meals" in page.locator(".cc-plan-levers").inner_text()
    page.locator(".cc-plan").scroll_into_view_if_needed()
    browser.shot("plan-english")
    page.set_viewport_size(SIZES["small"])
    page.locator(".cc-plan").scroll_into_view_if_needed()
    browser.shot("plan-english")
    page.locator(".cc-heading").scroll_into_view_if_needed()
    browser.shot("english")

    # Back to the first screen, open an example: its lines show their kgCO2e at once.
    page.locator(".cc-new").click()
    page.locator(".cc-welcome").wait_for()
    browser.shot("english-welcome")
    page.locator(".cc-dashboard-button").click()           # the save folder, side by side
    page.locator(".cc-dashboard", has_text="pisode 12").wait_for()
    browser.shot("english-dashboard")
    page.locator(".cc-example select").select_option(label="Podcast « Sons du réel », episode 12")
    page.locator(".cc-open-example").click()
    page.locator(".cc-status", has_text="Opened").wait_for()
    assert browser.total() > 0
    browser.open_section("Guests")
    assert "kgCO2e" in page.locator(".cc-kg-guests_train").inner_text()
    assert page.locator(".cc-files .cc-upload").evaluate("e => getComputedStyle(e).fontSize") == "0px"
    browser.shot("english-example")
    page.set_viewport_size(SIZES["large"])
    browser.shot("english-example")
    # Scopes and BEGES items with their labels, the GWP sets and the contrails choice.
    assert "Scope 3: other indirect emissions" in page.locator(".cc-scopes").inner_text()
    assert "4 Indirect emissions from products bought" in page.locator(".cc-beges").inner_text()
    assert "GWP sets used by the factors" in page.locator(".cc-gwp").inner_text()
    page.locator(".cc-beges").scroll_into_view_if_needed()
    browser.shot("english-example-scopes")
    page.set_viewport_size(SIZES["small"])
    page.locator(".cc-beges").scroll_into_view_if_needed()
    browser.shot("english-example-scopes")
    page.set_viewport_size(SIZES["large"])

    # Forecast against final: keep the example as forecast, halve the guests' train.
    page.locator(".cc-cmp-keep").click()
    page.locator(".cc-cmp-status", has_text="Forecast:").wait_for()
    browser.type_in("cc-q-guests_train", "930")
    table = page.locator(".cc-cmp-categories")
    change = f"{-930 * TGV:.2f}"                                  # -2.72 kgCO2e of transport
    page.wait_for_function("(text) => { const t = document.querySelector('.cc-cmp-categories');"
                           " return t && t.innerText.includes(text); }", arg=change)
    assert "Transport" in table.inner_text()
    page.wait_for_function("() => { const c = document.querySelector('.cc-cmp svg');"
                           " return c && c.textContent.includes('Forecast'); }", timeout=30000)
    page.locator(".cc-compare").scroll_into_view_if_needed()
    browser.shot("english-forecast-final")
    page.set_viewport_size(SIZES["small"])
    page.locator(".cc-compare").scroll_into_view_if_needed()
    browser.shot("english-forecast-final")

    # Flight-distance helper: Paris to Nice, 2 travellers, return: fills the plane field.
    page.locator(".cc-tools .jupyter-widget-Collapse-header").click()
    page.locator(".cc-d-from input").fill("Paris")
    page.locator(".cc-d-to input").fill("Nice")
    page.locator(".cc-d-travellers input").fill("2")
    page.locator(".cc-d-fill").click()
    page.locator(".cc-d-result", has_text="Nice (NCE, FR)").wait_for()
    page.locator(".cc-tools").scroll_into_view_if_needed()
    browser.shot("english-flight-helper")
    browser.check_clean()

    # The same helper by train: a station typed without accents nor hyphens, and
    # an ambiguous town (Lyon: the town is used, its three stations are named).
    page.locator(".cc-d-mode button", has_text="Train").click()
    page.locator(".cc-d-from input").fill("Lyon")
    page.locator(".cc-d-to input").fill("marseille st charles")
    page.locator(".cc-d-fill").click()
    page.locator(".cc-d-result", has_text="Marseille Saint-Charles (MSC, FR)").wait_for()
    assert "Lyon Part Dieu" in page.locator(".cc-d-result").inner_text()
    # The example's own train line (930 passenger-km typed above) is kept: the
    # trip went into a new line of the field, whose note records the estimate.
    assert page.locator(".cc-q-guests_train input").input_value() == "930"
    assert "Note of the filled line: Distance helper estimate: Lyon (FR) → Marseille " \
        "Saint-Charles (MSC, FR)" in page.locator(".cc-d-result").inner_text()
    page.locator(".cc-tools").scroll_into_view_if_needed()
    browser.shot("english-train-helper")
    page.set_viewport_size(SIZES["large"])
    page.locator(".cc-tools").scroll_into_view_if_needed()
    browser.shot("english-train-helper")
    browser.check_clean()
    added = page.locator(".cc-q-guests-guest_train input")           # the new line
    assert added.input_value() not in ("", "0")
    added.scroll_into_view_if_needed()
    page.locator(".cc-row", has=added).locator("summary").click()   # the line's help and note
    page.locator(".cc-line-note", has_text="Note: Distance helper estimate: Lyon (FR)").wait_for()
    browser.shot("english-train-helper-two-lines")

    # By car to a namesake overseas: Saint-Paul is Réunion's (French, before
    # Minnesota's), and a ground trip of over 2,000 km asks for a check.
    page.set_viewport_size(SIZES["small"])
    page.locator(".cc-d-mode button", has_text="Car").click()
    page.locator(".cc-d-from input").fill("Paris")
    page.locator(".cc-d-to input").fill("Saint-Paul")
    page.locator(".cc-d-fill").click()
    page.locator(".cc-d-warning", has_text="Please check").wait_for()
    assert "Saint-Paul (RE)" in page.locator(".cc-d-result").inner_text()
    page.locator(".cc-tools").scroll_into_view_if_needed()
    browser.shot("english-car-helper-check")
    browser.check_clean()
    page.locator(".cc-lang button", has_text="Français").click()     # the same, in French
    page.locator(".cc-d-fill", has_text="Calculer et remplir").wait_for()
    page.locator(".cc-d-to input").fill("Saint-Laurent")              # only abroad (Montréal)
    page.locator(".cc-d-fill").click()
    page.locator(".cc-d-warning", has_text="n'est trouvé qu'à l'étranger").wait_for()
    page.locator(".cc-tools").scroll_into_view_if_needed()
    browser.shot("french-car-helper-check")
    browser.check_clean()
