"""What a factor update changes: factors added, removed and changed between
two editions, and how assessments move from one to the other."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .assessment import load_assessment
from .errors import CarbonClapError, Location, NoAssessments, UsageError
from .factors import Edition
from .results import CATEGORIES, assess
from .units import conversion_factor

# Columns whose change is reported beside the value.
TRACKED = ["value", "unit", "activity_unit", "category", "source", "source_id", "year",
           "geography", "uncertainty_pct"]


def _comparable_value(row: pd.Series, activity_unit: str) -> float:
    """The factor in kgCO2e per ``activity_unit`` (NaN if the units do not convert)."""
    try:
        return row["value_kgco2e"] * conversion_factor(activity_unit, row["activity_unit"])
    except CarbonClapError:
        return math.nan


def diff_factors(old: Edition, new: Edition) -> pd.DataFrame:
    """One row per factor that is added, removed or changed.

    Columns: ``id``, ``status`` (added | removed | changed), ``old_value``,
    ``new_value`` [kgCO2e per the old activity unit, so a unit change alone is
    not a value change], ``change_pct`` [%] (100 (new / old - 1)), ``changed``
    (the names of the columns that differ).
    """
    rows = []
    for factor_id in old.table.index.union(new.table.index, sort=False):
        in_old, in_new = factor_id in old.table.index, factor_id in new.table.index
        if in_old and in_new:
            a, b = old.table.loc[factor_id], new.table.loc[factor_id]
            changed = [c for c in TRACKED if str(a[c]) != str(b[c])]
            if not changed:
                continue
            old_value = a["value_kgco2e"] if a["category"] != "reference" else a["value"]
            new_value = _comparable_value(b, a["activity_unit"]) if a["category"] != "reference" \
                else b["value"]
            rows.append(_row(factor_id, "changed", old_value, new_value, changed))
        elif in_old:
            rows.append(_row(factor_id, "removed", old.table.loc[factor_id, "value"], math.nan, []))
        else:
            rows.append(_row(factor_id, "added", math.nan, new.table.loc[factor_id, "value"], []))
    frame = pd.DataFrame(rows, columns=["id", "status", "old_value", "new_value",
                                        "change_pct", "changed"])
    order = {"changed": 0, "added": 1, "removed": 2}
    return frame.sort_values(["status", "id"], key=lambda s: s.map(order) if s.name == "status" else s,
                             ignore_index=True)


def _row(factor_id, status, old_value, new_value, changed) -> dict:
    pct = 100 * (new_value / old_value - 1) if old_value and not math.isnan(old_value) \
        and not math.isnan(new_value) else math.nan
    return {"id": factor_id, "status": status, "old_value": float(old_value),
            "new_value": float(new_value), "change_pct": pct, "changed": ",".join(changed)}


def diff_assessments(folder: Path, old: Edition, new: Edition) -> list[dict]:
    """How each assessment of ``folder`` moves between two editions.

    One dict per file: ``assessment``, ``old_total``, ``new_total``
    [kgCO2e], ``change_pct`` [%], ``by_category`` (category -> [old, new])
    for the categories that move, and ``error`` when the file cannot be
    computed with one of the editions (e.g. a factor removed in the new one).
    """
    if not Path(folder).is_dir():
        raise UsageError("--assessments must be a folder of assessment files", Location(folder))
    files = sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        raise NoAssessments("no assessment file (.yaml, .yml, .json)", Location(folder))
    out = []
    for path in files:
        entry = {"assessment": path.name}
        try:
            assessment = load_assessment(path)
            before, after = assess(assessment, old), assess(assessment, new)
        except CarbonClapError as exc:
            entry["error"] = str(exc)
            out.append(entry)
            continue
        entry["old_total"], entry["new_total"] = before["total_kgco2e"], after["total_kgco2e"]
        entry["change_pct"] = (100 * (after["total_kgco2e"] / before["total_kgco2e"] - 1)
                               if before["total_kgco2e"] else math.nan)
        entry["by_category"] = {
            c: [before["by_category"][c], after["by_category"][c]] for c in CATEGORIES
            if not math.isclose(before["by_category"][c], after["by_category"][c],
                                rel_tol=1e-12, abs_tol=1e-12)}
        out.append(entry)
    return out
