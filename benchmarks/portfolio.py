"""Benchmark of the portfolio computation (issue 7: portfolio scale).

Builds a synthetic portfolio of 10,000 assessments x 200 lines (2 million
lines, mixed units, over the emission factors of the default edition, as in
benchmarks/engine.py) and a production table, and stores it as Parquet with
``portfolio.store_portfolio`` (the embedded store). A fresh child process
then reads it back, computes every line and aggregates (per assessment, per
category, per phase, the sector view), and reports its time and peak
memory (the process's max RSS, interpreter and libraries included). In the
same run, the baseline computes the assessments one at a time (one engine
call and one aggregation per assessment), and both totals are compared.

    python benchmarks/portfolio.py [--assessments A] [--lines-per-assessment L]
                                   [--baseline-assessments B] [--repeat R]

Targets (issue 7): loaded, computed and aggregated under 2 s, peak memory
under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carbonclap_methods.assessment import PHASES, PRODUCTION_TYPES
from carbonclap_methods.compute import compute
from carbonclap_methods.factors import load_edition
from carbonclap_methods.portfolio import (Portfolio, compute_portfolio, load_portfolio,
                                          sector_view, store_portfolio)
from carbonclap_methods.results import CATEGORIES, sums_by
from engine import synthetic_lines


def synthetic_portfolio(edition, n_assessments: int, per_assessment: int, seed: int = 7) -> Portfolio:
    lines, _ = synthetic_lines(edition, n_assessments * per_assessment, 366, seed=seed)
    ids = np.array([f"a{i:06d}" for i in range(n_assessments)])
    lines.insert(0, "assessment", pd.Categorical.from_codes(
        np.repeat(np.arange(n_assessments), per_assessment), ids))
    rng = np.random.default_rng(seed)
    productions = pd.DataFrame({
        "assessment": ids,
        "title": [f"Production {i}" for i in range(n_assessments)],
        "type": rng.choice(PRODUCTION_TYPES, n_assessments),
        "stage": "final",
        "content_minutes": rng.uniform(1, 600, n_assessments).round(),
        "episodes": rng.integers(1, 12, n_assessments).astype(float),
        "budget_eur": rng.uniform(1e4, 5e6, n_assessments).round(),
        "days": rng.integers(1, 60, n_assessments).astype(float),
        "country": "FR",
    }).set_index("assessment", drop=False)
    return Portfolio(lines=lines, productions=productions, source="synthetic")


def measure(store: str, repeat: int) -> None:
    """Child process: read the store, compute, aggregate; print JSON figures."""
    start = time.perf_counter()
    edition = load_edition()
    edition_time = time.perf_counter() - start
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        portfolio = load_portfolio(store)
        result = compute_portfolio(portfolio, edition)
        view = sector_view(result)
        by_category = result.by_category.sum(axis=0)
        timings.append(time.perf_counter() - start)
        del portfolio
    print(json.dumps({"timings": timings, "edition_time": edition_time,
                      "total": result.total_kgco2e, "categories": float(by_category.sum()),
                      "types": int(len(view) - 1),
                      "totals": result.assessments["total_kgco2e"].tolist(),
                      "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


def baseline(portfolio: Portfolio, edition, n: int) -> tuple[float, np.ndarray]:
    """Assessments one at a time (the first ``n``, in id order): the lines are
    split by assessment once, then each one goes through the engine and its
    aggregation on its own, as ``carbonclap compute`` would do it."""
    lines = portfolio.lines[portfolio.lines["assessment"].cat.codes < n]
    totals = np.empty(n)
    start = time.perf_counter()
    groups = lines.groupby("assessment", observed=True, sort=True)
    for i, (_, own) in enumerate(groups):
        emissions = compute(own[["factor", "quantity", "unit", "phase"]], edition)
        sums_by(emissions, "category", CATEGORIES)
        sums_by(emissions, "phase", PHASES)
        totals[i] = emissions["kgco2e"].sum()
    return time.perf_counter() - start, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=10_000)
    parser.add_argument("--lines-per-assessment", type=int, default=200)
    parser.add_argument("--baseline-assessments", type=int, default=10_000,
                        help="assessments computed one at a time (the time is extrapolated "
                        "when fewer than --assessments)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.repeat)
        return

    edition = load_edition()
    portfolio = synthetic_portfolio(edition, args.assessments, args.lines_per_assessment)
    n_lines = len(portfolio.lines)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "portfolio.parquet"
        start = time.perf_counter()
        store_portfolio(portfolio, store)
        store_time = time.perf_counter() - start
        size = store.stat().st_size + (Path(tmp) / "portfolio.productions.parquet").stat().st_size
        child = subprocess.run([sys.executable, __file__, "--measure", str(store),
                                "--repeat", str(args.repeat)],
                               capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout)

    n_base = min(args.baseline_assessments, args.assessments)
    base_time, base_totals = baseline(portfolio, edition, n_base)
    base_extrapolated = base_time * args.assessments / n_base
    vector_totals = np.array(figures["totals"][:n_base])
    same = np.allclose(base_totals, vector_totals, rtol=1e-9)

    best = min(figures["timings"])
    print(f"edition {edition.name}: {args.assessments:,} assessments x {args.lines_per_assessment} "
          f"lines = {n_lines:,} lines, {figures['types']} production types")
    print(f"store: written as Parquet in {store_time:.2f} s ({size / 2**20:.0f} MiB, lines + "
          "production table)")
    print(f"portfolio: read + computed + aggregated (per assessment, category, phase, sector view) "
          f"in {best:.3f} s (best of {args.repeat}; all runs: "
          f"{', '.join(f'{t:.3f}' for t in figures['timings'])} s, the first one cold; "
          f"edition loaded once before, "
          f"{figures['edition_time']:.2f} s)")
    print(f"portfolio: peak memory (max RSS of the child process, interpreter included) "
          f"{figures['max_rss'] / 2**20:.0f} MiB; total {figures['total'] / 1000:,.0f} tCO2e; "
          f"sum of categories - total = {figures['categories'] - figures['total']:.3g} kgCO2e")
    scaled = "" if n_base == args.assessments else \
        f" -> {base_extrapolated:.1f} s for {args.assessments:,} (extrapolated)"
    print(f"baseline: one assessment at a time, {n_base:,} assessments in {base_time:.2f} s"
          f"{scaled}; same totals: {'yes' if same else 'NO'}")
    print(f"ratio: the one-pass portfolio is {base_extrapolated / best:,.0f}x faster")
    full = args.assessments * args.lines_per_assessment >= 2_000_000
    cold = figures["timings"][0]
    print(f"portfolio: first (cold) run {cold:.3f} s")
    for name, ok in (("2M lines under 2 s (best run)", best < 2.0 if full else None),
                     ("peak memory under 2 GB", figures["max_rss"] < 2 * 2**30)):
        print(f"target {name}: {'met' if ok else 'n/a' if ok is None else 'MISSED'}")


if __name__ == "__main__":
    main()
