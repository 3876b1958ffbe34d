"""Benchmark of the calculation engine (issue: calculation core).

Builds an in-memory table of 1,000,000 synthetic activity lines over 200
factors of the default edition, in mixed units (miles and km, MWh and kWh,
kg and t...), then times validation + compute + aggregation by category and
phase, and measures peak memory. In the same run, 10,000 of those lines are
computed the naive way (one pint Quantity multiplication per line), and the
per-line ratio is printed.

    python benchmarks/engine.py [--lines N] [--naive-lines M] [--factors F] [--repeat R]

Targets (issue 2): 1M lines under 1 s on a 2-core machine, >= 100x faster per
line than the naive way, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd
import pint

from carbonclap_methods.assessment import PHASES
from carbonclap_methods.compute import compute
from carbonclap_methods.factors import load_edition
from carbonclap_methods.results import CATEGORIES, sums_by
from carbonclap_methods.units import DEFINITIONS, conversion_factor

# Units a producer may type for each activity unit (all convert exactly).
ALTERNATIVES = {
    "vehicle_km": ["km", "mile", "vehicle_km"],
    "km": ["km", "mile"],
    "passenger_km": ["passenger_km", "pkm"],
    "tonne_km": ["tonne_km", "tkm"],
    "kWh": ["kWh", "MWh"],
    "L": ["L", "m3"],
    "t": ["t", "kg"],
    "kg": ["kg", "t"],
    "GB": ["GB", "TB"],
    "TB_year": ["TB_year", "GB_year"],
    "hour": ["hour", "minute", "day"],
    "person_day": ["person_day", "person_year"],
}


def synthetic_lines(edition, n_lines: int, n_factors: int, seed: int = 42) -> pd.DataFrame:
    """n_lines random activity lines over the first n_factors emission factors."""
    rng = np.random.default_rng(seed)
    usable = edition.table[edition.table["category"] != "reference"]
    chosen = usable.iloc[:n_factors]
    picks = rng.integers(0, len(chosen), n_lines)
    factor_ids = chosen.index.to_numpy()[picks]
    activity_units = chosen["activity_unit"].to_numpy()[picks]
    choice = rng.integers(0, 3, n_lines)
    units = np.array([ALTERNATIVES.get(a, [a])[c % len(ALTERNATIVES.get(a, [a]))]
                      for a, c in zip(activity_units, choice)], dtype=object)
    return pd.DataFrame({
        "factor": pd.Categorical(factor_ids),
        "quantity": rng.uniform(0, 1000, n_lines),
        "unit": pd.Categorical(units),
        "phase": pd.Categorical.from_codes(rng.integers(0, 3, n_lines), PHASES),
    }), len(chosen)


def engine_run(lines: pd.DataFrame, edition) -> tuple[float, dict, dict]:
    emissions = compute(lines, edition)
    total = float(emissions["kgco2e"].sum())
    return total, sums_by(emissions, "category", CATEGORIES), sums_by(emissions, "phase", PHASES)


def naive_run(lines: pd.DataFrame, edition) -> list[float]:
    """One pint Quantity multiplication per line (the baseline to beat)."""
    ureg = pint.UnitRegistry()
    ureg.load_definitions(str(DEFINITIONS))
    factors = {i: (v, f"kgCO2e / {a}") for i, v, a in zip(
        edition.table.index, edition.table["value_kgco2e"], edition.table["activity_unit"])}
    out = []
    for factor, quantity, unit in zip(lines["factor"], lines["quantity"], lines["unit"]):
        value, factor_unit = factors[factor]
        activity = ureg.Quantity(quantity, unit)
        out.append((activity * ureg.Quantity(value, factor_unit)).to("kgCO2e").magnitude)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--naive-lines", type=int, default=10_000)
    parser.add_argument("--factors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    edition = load_edition()
    lines, n_factors = synthetic_lines(edition, args.lines, args.factors)
    engine_run(lines.iloc[:1000], edition)  # imports and first-call set-up outside the timing

    timings = []
    for _ in range(args.repeat):
        conversion_factor.cache_clear()
        start = time.perf_counter()
        total, by_category, by_phase = engine_run(lines, edition)
        timings.append(time.perf_counter() - start)
    best = min(timings)

    as_text = lines.astype({"factor": object, "unit": object, "phase": object})
    start = time.perf_counter()
    engine_run(as_text, edition)
    text_time = time.perf_counter() - start

    tracemalloc.start()
    engine_run(lines, edition)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    sample = lines.iloc[: args.naive_lines]
    start = time.perf_counter()
    naive = naive_run(sample, edition)
    naive_time = time.perf_counter() - start
    vector = compute(sample, edition)["kgco2e"].to_numpy()
    assert np.allclose(naive, vector, rtol=1e-9), "naive and vectorised results differ"

    per_line_engine = best / len(lines)
    per_line_naive = naive_time / len(sample)
    print(f"edition {edition.name}: {n_factors} factors, {lines['unit'].nunique()} distinct line units")
    print(f"engine: {len(lines):,} lines validated + computed + aggregated in {best:.3f} s "
          f"(best of {args.repeat}; all runs: {', '.join(f'{t:.3f}' for t in timings)} s)")
    print(f"engine: {per_line_engine * 1e9:.0f} ns per line; total {total / 1000:,.1f} tCO2e; "
          f"sum of categories - total = {sum(by_category.values()) - total:.3g} kgCO2e")
    print(f"engine: {text_time:.3f} s for the same lines as plain text columns (object dtype, "
          "as read from files) instead of categoricals")
    print(f"engine: peak traced memory {peak / 2**20:.0f} MiB during one run; "
          f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"naive: {len(sample):,} lines, one pint Quantity per line, in {naive_time:.3f} s "
          f"({per_line_naive * 1e6:.1f} us per line)")
    print(f"ratio: engine is {per_line_naive / per_line_engine:,.0f}x faster per line than naive")
    targets = [("1M lines under 1 s", best < 1.0 if len(lines) >= 1_000_000 else None),
               (">= 100x faster per line", per_line_naive / per_line_engine >= 100),
               ("peak memory under 1 GB", peak < 2**30)]
    for name, ok in targets:
        print(f"target {name}: {'met' if ok else 'n/a' if ok is None else 'MISSED'}")


if __name__ == "__main__":
    main()
