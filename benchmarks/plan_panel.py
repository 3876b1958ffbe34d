"""Benchmark of the app's « Plan de réduction » panel (issue 15).

On the synthetic 500-line feature-film assessment of ``benchmarks/widgets.py``
(every questionnaire field, so that most levers apply), opened in the app,
quantities are changed one at a time as keystrokes would:

- closed panel: what a keystroke costs with the panel folded (the panel
  only keeps the lines it would compute on);
- open panel: what one computation of the plan costs (every lever that
  applies alone, plus the ticked plan, by ``plan.reduction_plan``), done
  once after a pause in typing, and its two charts;
- naive baseline: the plan computed again on every keystroke (no pause, the
  panel always computed), timed per keystroke in the same run.

    python benchmarks/plan_panel.py [--lines N] [--changes K]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from widgets import ms, synthetic_assessment  # noqa: E402

from carbonclap_methods.assessment import from_dict  # noqa: E402
from carbonclap_methods.charts import to_svg  # noqa: E402
from carbonclap_methods.factors import load_edition  # noqa: E402
from carbonclap_methods.widgets.app import GuidedAssessment  # noqa: E402
from carbonclap_methods.widgets.plan_panel import plan_charts  # noqa: E402


def keystrokes(app: GuidedAssessment, n_changes: int, first: int = 10) -> list[float]:
    """Seconds of each of ``n_changes`` quantity changes, on rows spread over the form."""
    keys = [k for k in app.state.counted_keys() if app.state.field_of(k) is not None]
    step = max(1, len(keys) // n_changes)
    times = []
    for i, key in enumerate(keys[::step][:n_changes]):
        section = app.state.lines[key].slot[0]
        app.questionnaire.ensure_rows(section)
        row = app.questionnaire.rows[key]
        start = time.perf_counter()
        row.quantity.value = str(first + i)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args(argv)
    edition = load_edition()
    data = synthetic_assessment(args.lines, edition)
    with tempfile.TemporaryDirectory() as folder:
        app = GuidedAssessment("feature_film", "en", edition=edition, save_folder=folder,
                               chart_delay=0,
                               assessment=from_dict(data, source="<synthetic>"))
        closed = keystrokes(app, args.changes)
        start = time.perf_counter()
        app.plan.open()                                     # computed once, charts drawn
        opened = time.perf_counter() - start
        for lever_id in ("flights_to_train", "vegetarian_meals", "generator_to_grid"):
            if lever_id in app.plan.rows:
                app.plan.rows[lever_id].tick.value = True
        computes = []
        for i in range(args.changes):
            app.plan._computed_for = None                   # as after a pause in typing
            start = time.perf_counter()
            app.plan.compute()
            computes.append(time.perf_counter() - start)
        start = time.perf_counter()
        svgs = [to_svg(chart) for chart in plan_charts(app.plan.chart_rows(), "en")]
        charts = time.perf_counter() - start
        # naive: the plan computed on every keystroke, whatever the panel shows
        app.plan.delay = 0
        naive = keystrokes(app, args.changes, first=100)
    levers = len(app.plan.listed)
    print(f"{args.lines} lines, {levers} levers listed, {len(app.plan.chosen)} ticked, "
          f"{args.changes} keystrokes")
    print(f"keystroke, panel closed:            {ms(closed)}")
    print(f"opening the panel (plan + charts):  {opened * 1000:.0f} ms")
    print(f"one computation of the plan:        {ms(computes)}")
    print(f"its two charts (vl-convert):        {charts * 1000:.0f} ms ({len(svgs)} charts)")
    print(f"naive, plan on every keystroke:     {ms(naive)} per keystroke "
          f"({statistics.median(naive) / statistics.median(closed):.1f}x the closed panel)")


if __name__ == "__main__":
    main()
