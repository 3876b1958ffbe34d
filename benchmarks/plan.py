"""Benchmark of reduction plans (issue 15).

A 500-line assessment (the feature-film example's lines repeated, each
answering its questionnaire field, so that most levers apply): every lever
that applies, each alone, plus the combined plan of all of them, with 10,000
Monte Carlo draws shared by every scenario (``plan.reduction_plan``). In the
same run, the naive baseline re-runs the engine for the baseline and each
scenario at every draw with perturbed factors; it is timed over
``--naive-draws`` draws and extrapolated to the full number.

    python benchmarks/plan.py [--lines N] [--iterations I] [--naive-draws D] [--repeat R]

Target (issue 15): under 1 s for 500 lines, every lever plus the plan, 10,000 draws.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carbonclap_methods.assessment import Assessment, load_assessment
from carbonclap_methods.compute import compute
from carbonclap_methods.factors import load_edition
from carbonclap_methods.levers import apply_lever, load_levers, selected
from carbonclap_methods.plan import reduction_plan
from carbonclap_methods.uncertainty import log_sigma

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "feature_film.yaml"


def assessment_of(lines_wanted: int) -> Assessment:
    base = load_assessment(EXAMPLE)
    copies = -(-lines_wanted // len(base.lines))
    lines = pd.concat([base.lines] * copies, ignore_index=True).iloc[:lines_wanted].copy()
    lines["id"] = [f"l{i}" for i in range(len(lines))]
    return Assessment(production=base.production, lines=lines.reset_index(drop=True),
                      source="benchmark")


def naive(assessment: Assessment, edition, lever_ids: list[str], draws: int, seed: int) -> float:
    """Seconds for ``draws`` draws of: perturb every factor, re-run the engine on
    the baseline and on each scenario (each lever alone, then the plan)."""
    levers = load_levers()
    scenarios = [assessment.lines]
    plan_lines = assessment.lines
    for lever_id in lever_ids:
        scenarios.append(apply_lever(levers[lever_id], assessment.lines, assessment.production)[0])
        plan_lines = apply_lever(levers[lever_id], plan_lines, assessment.production)[0]
    scenarios.append(plan_lines)
    rng = np.random.default_rng(seed)
    sigma = log_sigma(edition.table["uncertainty_pct"].to_numpy(dtype=float))
    start = time.perf_counter()
    for _ in range(draws):
        table = edition.table.copy()
        table["value_kgco2e"] = table["value_kgco2e"] * np.exp(sigma * rng.standard_normal(len(table)))
        drawn = dataclasses.replace(edition, table=table)
        for lines in scenarios:
            compute(lines, drawn)["kgco2e"].sum()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--naive-draws", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    edition = load_edition()
    assessment = assessment_of(args.lines)
    levers = load_levers()
    applicable = [lid for lid, lever in levers.items()
                  if selected(lever, assessment.lines, assessment.production["type"])]
    reduction_plan(assessment, edition, applicable, iterations=100, seed=1)      # warm caches
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        doc = reduction_plan(assessment, edition, applicable, iterations=args.iterations, seed=1)
        times.append(time.perf_counter() - start)
    naive_seconds = naive(assessment, edition, applicable, args.naive_draws, 1)
    naive_full = naive_seconds / args.naive_draws * args.iterations
    best = min(times)
    print(f"{len(assessment.lines)} lines, {len(applicable)} levers alone + the combined plan "
          f"({len(applicable) + 2} scenarios), {args.iterations:,} shared draws")
    print(f"  plan.reduction_plan: best {best:.3f} s, median {sorted(times)[len(times) // 2]:.3f} s "
          f"over {args.repeat} runs")
    print(f"  naive (engine re-run per scenario per draw): {naive_seconds / args.naive_draws:.3f} s "
          f"per draw, {naive_full:,.0f} s for {args.iterations:,} draws (extrapolated from "
          f"{args.naive_draws}); {naive_full / best:,.0f}x slower")
    combined = doc["combined"]
    print(f"  combined saving {combined['saving_kgco2e']:,.0f} kgCO2e "
          f"({combined['saving_pct']:.1f} %), 90 % interval {combined['p5']:,.0f} - "
          f"{combined['p95']:,.0f}; the levers alone add up to {combined['sum_of_savings_kgco2e']:,.0f}")


if __name__ == "__main__":
    main()
