"""Benchmark of the studio-hour Monte Carlo with assumption ranges (issue 13/14).

The study draws its assumptions (utilisation, benchmark scales, lifetimes,
commute...) from their declared ranges and the factors together. It
evaluates the model once with numpy arrays of draws
(``studio.assumption_quantities``). The naive baseline, timed in the same
run, rebuilds the lines of the model once per draw (``studio_hour_lines``
with a scenario per iteration), over --naive-iterations and extrapolated.
Both use the same assumption draws; their quantities must agree.

    python benchmarks/studio_ranges.py [--iterations I] [--naive-iterations N] [--size S]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

from carbonclap_methods import studio
from carbonclap_methods.factors import load_edition
from carbonclap_methods.study_studio_hour import studio_hour_monte_carlo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--naive-iterations", type=int, default=300)
    parser.add_argument("--size", default="large", choices=studio.SIZES)
    args = parser.parse_args()
    edition = load_edition()
    scenario = studio.Scenario(studio_size=args.size)
    profile = studio.load_profile(args.size)

    start = time.perf_counter()
    mc = studio_hour_monte_carlo(scenario, edition, args.iterations, 2025, profile)
    vectorised = time.perf_counter() - start

    draws = studio.draw_assumptions(scenario, args.naive_iterations, np.random.default_rng(1))
    start = time.perf_counter()
    quantities = studio.assumption_quantities(scenario, draws, profile)
    array_model = time.perf_counter() - start
    start = time.perf_counter()
    naive = []
    for i in range(args.naive_iterations):
        one = replace(scenario, **{k: float(v[i]) for k, v in draws.items()})
        naive.append(studio.studio_hour_lines(one, profile).set_index("id")["quantity"])
    per_draw = (time.perf_counter() - start) / args.naive_iterations
    agree = np.allclose(np.array([q.reindex(quantities.columns).to_numpy() for q in naive]),
                        quantities.to_numpy(), rtol=1e-12)

    print(f"studio hour ({args.size}, {len(quantities.columns)} lines), assumptions and factors drawn")
    print(f"  vectorised Monte Carlo, {args.iterations:,} draws: {vectorised:.3f} s "
          f"(p5 {np.percentile(mc.totals, 5):.3g}, p95 {np.percentile(mc.totals, 95):.3g} kgCO2e)")
    print(f"  model on arrays, {args.naive_iterations} draws: {array_model * 1000:.1f} ms")
    print(f"  naive (lines rebuilt per draw): {per_draw * 1000:.2f} ms per draw, "
          f"{per_draw * args.iterations:.1f} s extrapolated to {args.iterations:,} draws "
          f"({per_draw * args.iterations / vectorised:.0f}x slower)")
    print(f"  same quantities: {agree}")


if __name__ == "__main__":
    main()
