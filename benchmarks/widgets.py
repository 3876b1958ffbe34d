"""Benchmark of the guided assessment (issue 5): typing in a 500-line assessment,
and the web app's cold start.

1. A synthetic 500-line feature-film assessment (every questionnaire field,
   several lines each, mixed units) is opened in the app, then one quantity
   is changed at a time, as a keystroke would, on rows spread over the form:

   - figures: the row's check, the state update, the engine
     (``results.assess``), the total, tables, indicators, equivalences,
     comparison, and the kgCO2e of the rows, all done at once;
   - charts: the drawing that follows a pause in typing (only the charts
     whose rows changed are drawn again, by vl-convert; in a kernel a worker
     thread does it), and how long a keystroke takes while it runs;
   - naive baseline A: recompute and draw all four charts again, with no
     cache and no check of what changed;
   - naive baseline B: rebuild the whole app from the data, as re-running a
     notebook cell would.

   Widget values are serialised as in a kernel (no frontend attached).

2. Opening the web app: seconds from the command to Voilà's first HTTP
   200, and, when /usr/bin/chromium and playwright are there, from opening
   the page to a usable first screen in headless chromium, for a few visits;
   with pre-started kernels (Voilà's preheat, as ``carbonclap app`` runs)
   against the naive baseline of a kernel started for each page; and the
   kernel side alone (a fresh Python importing the package and building the
   app).

    python benchmarks/widgets.py [--lines N] [--changes K] [--no-cold-start]

Targets: figures and charts after one change under 50 ms, so typing feels
instant; a page usable under 3 s after it is opened.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

from carbonclap_methods.assessment import from_dict
from carbonclap_methods.charts import to_svg
from carbonclap_methods.factors import load_edition
from carbonclap_methods.results import assess
from carbonclap_methods.templates import get_template
from carbonclap_methods.widgets import serve
from carbonclap_methods.widgets.app import GuidedAssessment
from carbonclap_methods.widgets.parse import unit_options
from carbonclap_methods.widgets.results_view import CHARTS, chart_for, chart_rows
from carbonclap_methods.widgets.summary import summary_html, total_html

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


def synthetic_assessment(n_lines: int, edition, seed: int = 5) -> dict:
    """A feature-film assessment of ``n_lines`` lines over every field, in file shape."""
    rng = np.random.default_rng(seed)
    template = get_template("feature_film")
    fields = [(s, f) for s in template.sections for f in s.fields]
    activities = []
    for i in range(n_lines):
        section, item = fields[i % len(fields)]
        factor = item.factors[rng.integers(len(item.factors))]
        activity_unit = edition.table.at[factor, "activity_unit"]
        units = unit_options(item.unit, activity_unit, edition)
        activities.append({
            "id": f"{section.id}.{item.id}.{i}", "section": section.id, "field": item.id,
            "factor": factor, "quantity": float(np.round(rng.uniform(1, 500), 1)),
            "unit": units[rng.integers(len(units))], "phase": item.phase})
    return {"format": "carbonclap-assessment/1",
            "production": {"title": "Synthetic feature film", "type": "feature_film",
                           "stage": "forecast", "content_minutes": 100, "episodes": 1,
                           "budget_eur": 4_000_000, "days": 35, "country": "FR"},
            "activities": activities}


def ms(seconds: list[float]) -> str:
    return (f"median {1000 * statistics.median(seconds):7.1f} ms   "
            f"p90 {1000 * np.percentile(seconds, 90):7.1f} ms")


def typing(n_lines: int, n_changes: int) -> dict[str, list[float]]:
    """Times of each step after one change, over ``n_changes`` changes."""
    edition = load_edition()
    data = synthetic_assessment(n_lines, edition)
    times: dict[str, list[float]] = {key: [] for key in (
        "open", "all_rows", "figures", "charts", "both", "during", "naive_a", "naive_b")}

    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            app = GuidedAssessment(assessment=from_dict(data), edition=edition,
                                   save_folder=folder, chart_delay=0.3)
            times["open"].append(time.perf_counter() - start)
            start = time.perf_counter()
            for section_id in app.state.sections:       # as if every panel were opened
                app.questionnaire.ensure_rows(section_id)
            times["all_rows"].append(time.perf_counter() - start)
            rows = list(app.questionnaire.rows.values())
            picks = np.linspace(0, len(rows) - 1, n_changes).astype(int)
            for n, i in enumerate(picks):
                row = rows[i]
                start = time.perf_counter()
                row.quantity.value = f"{float(row.valid[1]) + 1 + n:g}"   # figures now
                figures = time.perf_counter() - start
                start = time.perf_counter()
                app.results.draw_charts()               # the drawing after the pause
                charts = time.perf_counter() - start
                times["figures"].append(figures)
                times["charts"].append(charts)
                times["both"].append(figures + charts)
                times["naive_a"].append(naive_redraw(app, edition))
                times["during"].append(await keystroke_while_drawing(app, row, n))
            assert app.last_problem is None, app.last_problem
            for _ in range(3):
                start = time.perf_counter()
                GuidedAssessment(assessment=from_dict(app.state.to_data()), edition=edition,
                                 save_folder=folder, chart_delay=0)
                times["naive_b"].append(time.perf_counter() - start)

    asyncio.run(scenario())
    return times


async def keystroke_while_drawing(app: GuidedAssessment, row, n: int) -> float:
    """Seconds a keystroke takes while the worker thread draws the charts."""
    row.quantity.value = f"{float(row.valid[1]) + 0.5:g}"
    while app.results.rendering == 0:                   # the pause, then the worker starts
        await asyncio.sleep(0.005)
    start = time.perf_counter()
    row.quantity.value = f"{float(row.valid[1]) + 0.25:g}"
    took = time.perf_counter() - start
    while app.results.rendering:
        await asyncio.sleep(0.01)
    app.results.draw_charts()
    return took


def naive_redraw(app: GuidedAssessment, edition) -> float:
    """Seconds to recompute and draw everything again, with no cache."""
    start = time.perf_counter()
    result = assess(from_dict(app.state.to_data()), edition)
    total_html(result, app.lang)
    summary_html(result, app.lang)
    for kind in CHARTS:
        rows = chart_rows(kind, result, app.lang, app.line_label)
        if rows:
            to_svg(chart_for(kind, rows, app.lang))
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cold_start(visits: int = 3) -> dict[str, float]:
    """Seconds to Voilà's first answer and from opening the page to a usable
    first screen, with pre-started kernels (as ``carbonclap app`` runs) and
    without (the behaviour before them: a kernel started for each page)."""
    out = {}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from carbonclap_methods.widgets.app import "
                    "GuidedAssessment; GuidedAssessment(chart_delay=0, save_folder='/tmp')"],
                   check=True, cwd=ROOT)
    out["kernel side (fresh python: import + build the app)"] = time.perf_counter() - start
    for preheat in (False, True):
        label = "pre-started kernel" if preheat else "naive: a kernel per page"
        for name, seconds in _serve_and_visit(preheat, visits).items():
            out[f"{label}: {name}"] = seconds
    return out


def _serve_and_visit(preheat: bool, visits: int) -> dict[str, float]:
    out = {}
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        process = subprocess.Popen(serve.voila_command(port, False, preheat=preheat),
                                   env=serve.voila_env(folder), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=300) as response:
                        response.read()
                    break
                except OSError:
                    time.sleep(0.1)
            out["server start -> first HTTP 200"] = time.perf_counter() - start
            if preheat:
                time.sleep(8)             # the pool refills after that first page
            shown = _page_times(url, visits, pause=8 if preheat else 0)
            if shown:
                out[f"page open -> usable first screen (median of {len(shown)})"] = \
                    statistics.median(shown)
                out["page open -> usable first screen (worst)"] = max(shown)
        finally:
            process.terminate()
            process.wait(timeout=60)
    return out


def _page_times(url: str, visits: int, pause: float) -> list[float]:
    """Seconds from ``goto`` to the first screen's Start button, for each visit
    (``pause`` seconds between visits, as a person would take)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return []
    if not CHROMIUM.exists():
        return []
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            for _ in range(visits):
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector(".cc-start", timeout=300_000)
                times.append(time.perf_counter() - start)
                page.close()
                time.sleep(pause)
        finally:
            browser.close()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--no-cold-start", action="store_true")
    args = parser.parse_args(argv)

    print(f"Guided assessment, {args.lines}-line feature film, {args.changes} changes, "
          "one at a time:")
    times = typing(args.lines, args.changes)
    print(f"  open the assessment in the app       {1000 * times['open'][0]:7.0f} ms "
          "(panels closed: rows made when opened)")
    print(f"  make the rows of every panel         {1000 * times['all_rows'][0]:7.0f} ms "
          f"({args.lines} rows)")
    print(f"  figures after one change             {ms(times['figures'])}")
    print(f"  charts after the pause (changed only) {ms(times['charts'])}")
    print(f"  figures + charts                     {ms(times['both'])}   (target < 50 ms)")
    print(f"  a keystroke while the charts draw    {ms(times['during'])}   (charts in a worker)")
    print(f"  naive A: recompute + all 4 charts    {ms(times['naive_a'])}")
    print(f"  naive B: rebuild the whole app       {ms(times['naive_b'])}")
    ratio_a = statistics.median(times["naive_a"]) / statistics.median(times["both"])
    ratio_b = statistics.median(times["naive_b"]) / statistics.median(times["both"])
    print(f"  speed-up: {ratio_a:.1f}x against naive A, {ratio_b:.0f}x against naive B")
    if not args.no_cold_start:
        print("Cold start of the web app:")
        for name, seconds in cold_start().items():
            print(f"  {name:<78} {seconds:6.1f} s")


if __name__ == "__main__":
    main()
