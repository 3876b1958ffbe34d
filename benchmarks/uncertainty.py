"""Benchmark of the Monte Carlo (issue 7: uncertainty).

Builds 500 synthetic activity lines over the emission factors of the default
edition (mixed units, as in benchmarks/engine.py), then times
``uncertainty.monte_carlo`` with 10,000 iterations (draws, totals and
categories, quantiles) and, in the same run, two baselines that loop over
iterations in Python:

- naive: each iteration draws one multiplier per factor, builds a perturbed
  edition and re-runs the engine on the lines (what "run the calculation N
  times" amounts to); timed over --naive-iterations and extrapolated;
- lean loop: each iteration draws one multiplier per factor and sums the
  precomputed lines by category with numpy (all 10,000 iterations).

All use the same seed; the lean loop must give exactly the same figures.

    python benchmarks/uncertainty.py [--lines N] [--iterations I] [--factors F] [--repeat R]

Target (issue 7): 10,000 iterations x 500 lines under 1 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import tracemalloc

import numpy as np
import pandas as pd

from carbonclap_methods.compute import compute
from carbonclap_methods.factors import load_edition
from carbonclap_methods.uncertainty import log_sigma, monte_carlo, summary
from engine import synthetic_lines


def mc_run(lines: pd.DataFrame, edition, iterations: int, seed: int):
    mc = monte_carlo(lines, edition, iterations, seed=seed, progress=False)
    stats = {"total": summary(mc.totals), **{c: summary(mc.by_group[c]) for c in mc.by_group}}
    return mc, stats


def naive_engine_run(lines: pd.DataFrame, edition, iterations: int, seed: int) -> np.ndarray:
    """A Python loop over iterations re-running the engine with perturbed factors."""
    rng = np.random.default_rng(seed)
    sigma = log_sigma(edition.table["uncertainty_pct"].to_numpy(dtype=float))
    totals = np.empty(iterations)
    for i in range(iterations):
        table = edition.table.copy()
        table["value_kgco2e"] = table["value_kgco2e"] * np.exp(sigma * rng.standard_normal(len(table)))
        totals[i] = compute(lines, dataclasses.replace(edition, table=table))["kgco2e"].sum()
    return totals


def naive_run(lines: pd.DataFrame, edition, iterations: int, seed: int) -> tuple[np.ndarray, list]:
    """The lean loop over iterations: per iteration, one draw per factor, lines
    multiplied by their factor's draw and summed by category."""
    emissions = compute(lines, edition)
    factor_ids, f_codes = np.unique(emissions["factor"].astype(str).to_numpy(), return_inverse=True)
    c_codes, categories = pd.factorize(emissions["category"].astype(str))
    kg = emissions["kgco2e"].to_numpy()
    sigma = log_sigma(edition.table.loc[factor_ids, "uncertainty_pct"].to_numpy(dtype=float))
    rng = np.random.default_rng(seed)
    out = np.empty((iterations, len(categories)))
    for i in range(iterations):
        multipliers = np.exp(sigma * rng.standard_normal(len(factor_ids)))
        out[i] = np.bincount(c_codes, weights=kg * multipliers[f_codes], minlength=len(categories))
    stats = [summary(out.sum(axis=1))] + [summary(out[:, j]) for j in range(len(categories))]
    return out, list(categories), stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--factors", type=int, default=366)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--naive-iterations", type=int, default=1_000)
    args = parser.parse_args()

    edition = load_edition()
    lines, _ = synthetic_lines(edition, args.lines, args.factors)
    mc_run(lines, edition, 10, args.seed)  # first-call set-up outside the timing

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        mc, stats = mc_run(lines, edition, args.iterations, args.seed)
        timings.append(time.perf_counter() - start)
    best = min(timings)

    tracemalloc.start()
    mc_run(lines, edition, args.iterations, args.seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    start = time.perf_counter()
    naive, categories, naive_stats = naive_run(lines, edition, args.iterations, args.seed)
    naive_time = time.perf_counter() - start
    same = np.allclose(naive, mc.by_group[categories].to_numpy(), rtol=1e-10, atol=1e-9)

    start = time.perf_counter()
    naive_engine_run(lines, edition, args.naive_iterations, args.seed)
    engine_loop = (time.perf_counter() - start) * args.iterations / args.naive_iterations

    n_factors = len(mc.factors)
    det = mc.deterministic_total
    expected_mean = float((mc.factors["kgco2e"] * np.exp(mc.factors["sigma"] ** 2 / 2)).sum())
    total = stats["total"]
    print(f"edition {edition.name}: {len(lines):,} lines over {n_factors} distinct factors, "
          f"{mc.by_group.shape[1]} categories, seed {args.seed}")
    print(f"monte carlo: {args.iterations:,} iterations x {len(lines):,} lines (draws, totals, "
          f"categories, quantiles) in {best:.3f} s (best of {args.repeat}; all runs: "
          f"{', '.join(f'{t:.3f}' for t in timings)} s)")
    print(f"monte carlo: peak traced memory {peak / 2**20:.0f} MiB")
    print(f"naive: Python loop re-running the engine per iteration: {engine_loop:.1f} s for "
          f"{args.iterations:,} iterations (timed over {args.naive_iterations:,}, extrapolated); "
          f"vectorised is {engine_loop / best:,.0f}x faster")
    print(f"lean loop: Python loop over {args.iterations:,} iterations, numpy inside, in "
          f"{naive_time:.3f} s; same figures as the vectorised run: {'yes' if same else 'NO'}; "
          f"vectorised is {naive_time / best:,.1f}x faster")
    print(f"total: deterministic {det:,.0f} kgCO2e; MC mean {total['mean']:,.0f} "
          f"({100 * (total['mean'] / det - 1):+.2f} %; analytical {100 * (expected_mean / det - 1):+.2f} %), "
          f"p5 {total['p5']:,.0f}, p50 {total['p50']:,.0f}, p95 {total['p95']:,.0f}")
    met = best < 1.0 if args.iterations >= 10_000 and len(lines) >= 500 else None
    print(f"target 10,000 iterations x 500 lines under 1 s: "
          f"{'met' if met else 'n/a' if met is None else 'MISSED'}")


if __name__ == "__main__":
    main()
