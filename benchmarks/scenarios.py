"""Benchmark of the audio scenario explorer's figures (``carbonclap app scenarios``).

What one change of a setting costs in the explorer: every scenario of the
podcast's set (the study's eight, plus ``--extra`` more) computed by
``scenario_set.scenario_figures`` (studio profiles read once per set), against
the naive way in the same run (each scenario reading its studio profile again,
as ``edits.with_studio`` does without one), and the chart drawn to SVG.

    python benchmarks/scenarios.py [--extra N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from carbonclap_methods import scenario_set
from carbonclap_methods.assessment import load_assessment
from carbonclap_methods.factors import load_edition
from carbonclap_methods.results import assess


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def naive(chosen, edition, assessment):
    """Each scenario applied with its own profile read (no sharing), then computed."""
    for name in chosen.names():
        settings = chosen.settings(name)
        variant = scenario_set.apply_settings(assessment, settings, chosen.baseline, edition,
                                              profiles=None)
        assess(variant, edition)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=8, help="scenarios added to the study's eight")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    edition = load_edition()
    productions = scenario_set.load_productions()
    chosen = scenario_set.study_set("podcast_episode", productions["podcast_episode"])
    extra = {f"extra_{i}": {"vegetarian_share": (i + 1) / (args.extra + 1),
                            "studio_size": ("small", "medium", "large")[i % 3]}
             for i in range(args.extra)}
    chosen = replace(chosen, scenarios={**chosen.scenarios, **extra})
    assessment = load_assessment(scenario_set.example_path("podcast_episode"))
    count = len(chosen.names())
    shared = timed(lambda: scenario_set.scenario_figures(chosen, edition, assessment), args.repeat)
    alone = timed(lambda: naive(chosen, edition, assessment), args.repeat)
    print(f"{count} scenarios of the podcast, median of {args.repeat} runs")
    print(f"  figures, profiles read once per set : {shared * 1000:8.1f} ms")
    print(f"  naive, a profile read per scenario  : {alone * 1000:8.1f} ms  "
          f"({alone / shared:.1f}x slower)")
    from carbonclap_methods.widgets.scenario_explorer import ScenarioExplorer

    explorer = ScenarioExplorer("en", edition=edition, save_folder="/tmp")
    explorer.set = chosen
    explorer.assessment = assessment
    update = timed(explorer.update, args.repeat)
    svg = timed(explorer.chart_svg, args.repeat)
    print(f"  explorer update (figures, table, 2 charts as SVG): {update * 1000:8.1f} ms "
          f"(of which the charts {svg * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
