"""The audio scenario explorer served by `carbonclap app scenarios`, driven in
a real browser (Debian's headless chromium through playwright), as
tests/test_app_browser.py drives the guided assessment: the podcast's
scenarios shown in French at 1280x800, a scenario added and set, its saving
checked against a figure computed here by hand, the set saved and read back,
then English at 1920x1080. At each step nothing may overflow the window or
be clipped, no request may leave localhost, no console error nor error text
may show. Screenshots in test-artifacts/browser-scenarios/.
"""

from __future__ import annotations

import time

import pytest

from test_app_browser import (CHROMIUM, LAUNCH_ARGS, ROOT, SIZES, START_TIMEOUT_S, Browser,
                              _number, playwright_api, serve_app)
import test_app_browser

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is missing (apt-get install chromium; "
                                       ".ci/run installs it)")
ARTIFACTS = ROOT / "test-artifacts" / "browser-scenarios"
# The podcast example: its guests' train trips, 1,860 passenger-km (examples/podcast_episode.yaml,
# line guests_train) at 0.00293 kgCO2e per passenger-km (TGV, Base Carbone 43256). A one-way trip
# of 930 km instead of 465 doubles them: the scenario emits 1,860 x 0.00293 = 5.45 kg more.
TRAIN_PKM, TGV = 1860, 0.00293


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The scenario explorer running on a free port; yields (url, save folder)."""
    for url, save_dir, _ in serve_app(tmp_path_factory, "scenarios"):
        yield url, save_dir


def _row(page, label: str) -> list[str]:
    row = page.locator(".cc-sc-table tr", has_text=label).first
    return [cell.inner_text() for cell in row.locator("td").all()]


def _wait_row(page, label: str, column: int, expected: float, rel: float = 0.005) -> None:
    deadline, shown = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        cells = _row(page, label) if page.locator(".cc-sc-table tr", has_text=label).count() else []
        if len(cells) > column and cells[column].strip():
            try:
                shown = _number(cells[column])
            except ValueError:
                shown = cells[column]
            if shown == pytest.approx(expected, rel=rel):
                return
        time.sleep(0.2)
    raise AssertionError(f"row {label!r}: column {column} shows {shown}, expected {expected:.4g}")


def _wait_chart(page, label: str) -> None:
    """Wait until the chart (drawn after the table) shows ``label``."""
    page.wait_for_function("(label) => [...document.querySelectorAll('.cc-sc-chart svg text')]"
                           ".some(t => t.textContent === label)", arg=label)


def test_scenario_explorer_in_the_browser(served, monkeypatch):
    url, save_dir = served
    monkeypatch.setattr(test_app_browser, "ARTIFACTS", ARTIFACTS)
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = chromium.new_context(viewport=SIZES["small"])
            browser = Browser(context.new_page())
            page = browser.page
            page.goto(url)
            page.wait_for_selector(".cc-sc-table table", timeout=START_TIMEOUT_S * 1000)
            body = page.locator("body").inner_text()
            assert "ScenarioExplorer" not in body and "carbonclap_methods" not in body
            assert "Explorateur de scénarios audio" in body
            assert page.locator(".cc-sc-table tr").count() == 1 + 8       # header + 8 scenarios
            assert "= référence" in _row(page, "Petit studio")[2]
            _wait_chart(page, "Grand studio")
            browser.check_clean()
            browser.shot("explorer-fr")
            browser.shot("explorer-fr-page", full_page=True)

            # a new scenario: the guests come from twice as far
            page.locator(".cc-sc-name input").fill("Invités de plus loin")
            page.locator(".cc-sc-add button, button.cc-sc-add").first.click()
            page.wait_for_function("() => [...document.querySelectorAll('.cc-sc-table tr')]"
                                   ".some(r => r.innerText.includes('Invités de plus loin'))")
            box = page.locator(".cc-sc-travel-km input")
            box.fill("930")
            box.press("Enter")
            _wait_row(page, "Invités de plus loin", 2, -TRAIN_PKM * TGV)      # saving < 0
            _wait_chart(page, "Invités de plus loin")
            browser.check_clean()
            browser.shot("scenario-added-fr", full_page=True)

            # save the set; the file is the one the study reads
            page.locator(".cc-sc-file input").fill("mes-scenarios.yaml")
            page.locator(".cc-sc-save button, button.cc-sc-save").first.click()
            page.wait_for_function("() => document.body.innerText.includes('study run audio_scenarios')")
            from carbonclap_methods.scenario_set import load_scenario_set
            saved = load_scenario_set(save_dir / "mes-scenarios.yaml")
            assert saved.scenarios["invites_de_plus_loin"]["travel_km"] == 930

            # English, on a large screen
            page.set_viewport_size(SIZES["large"])
            page.locator(".cc-sc-lang button", has_text="EN").click()
            page.wait_for_function("() => [...document.querySelectorAll('.cc-sc-table tr')]"
                                   ".some(r => r.innerText.includes('Small studio'))")
            assert "= baseline" in _row(page, "Small studio")[2]
            _wait_row(page, "Invités de plus loin", 2, -TRAIN_PKM * TGV)
            _wait_chart(page, "Large studio")
            browser.check_clean()
            browser.shot("explorer-en")
            browser.shot("explorer-en-page", full_page=True)
            page.set_viewport_size(SIZES["small"])
            browser.shot("explorer-en-small")
        finally:
            chromium.close()
