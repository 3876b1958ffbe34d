"""Forecast against final: how an assessment moved between the CNC's two
stages, by category and by line."""

from __future__ import annotations

import math

from .assessment import Assessment
from .errors import InvalidAssessment, Location
from .factors import Edition
from .plan import apply_plan
from .results import CATEGORIES, assess


def _key(line: dict) -> tuple:
    """Lines are matched by their id, or else by section, field and factor."""
    if line.get("id"):
        return ("id", line["id"])
    return ("line", line.get("section", ""), line.get("field", ""), line["factor"])


def change(old: float, new: float) -> dict:
    """Forecast, final, change [kgCO2e] and ``change_pct`` [%] (inf from 0 to more)."""
    pct = 100 * (new / old - 1) if old else (math.nan if new == 0 else math.inf)
    return {"forecast_kgco2e": old, "final_kgco2e": new, "change_kgco2e": new - old,
            "change_pct": pct}


def _grouped(lines: list[dict]) -> dict[tuple, dict]:
    """Lines of a result keyed for matching; same-key lines are summed."""
    grouped: dict[tuple, dict] = {}
    for line in lines:
        key = _key(line)
        entry = grouped.setdefault(key, {"label": line.get("id") or " / ".join(
            part for part in (line.get("section"), line.get("field"), line["factor"]) if part),
            "category": line["category"], "kgco2e": 0.0, "record": line})
        entry["kgco2e"] += line["kgco2e"]
    return grouped


def compare_stages(forecast: Assessment, final: Assessment, edition: Edition) -> dict:
    """Change from the forecast assessment to the final one.

    Both are computed with the same edition so that only the activity data
    differ. Returns ``forecast`` and ``final`` summaries (total, stage, title),
    ``total`` (forecast, final, change [kgCO2e], ``change_pct`` [%]),
    ``by_category`` and ``lines`` (matched by line id, else by section,
    field and factor; a line present in one stage only has 0 in the other).
    """
    for assessment, stage in ((forecast, "forecast"), (final, "final")):
        if assessment.production["stage"] != stage:
            raise InvalidAssessment(
                f"production.stage is {assessment.production['stage']!r} but the file is given "
                f"as the {stage} assessment", Location(assessment.source))
    before, after = assess(forecast, edition), assess(final, edition)
    planned = planned_total(forecast, edition)
    comparison = compare_results(before, after, edition)
    # the forecast carries its reduction plan: the final against it too
    comparison["forecast_with_plan"] = None if planned is None else {
        "levers": planned[1], "total": change(planned[0], after["total_kgco2e"])}
    return comparison


def planned_total(forecast: Assessment, edition: Edition) -> tuple[float, list[str]] | None:
    """The forecast's total [kgCO2e] with its reduction plan applied, and the
    plan's levers; None when the forecast carries no plan."""
    planned = apply_plan(forecast, edition)
    if planned is None:
        return None
    return assess(planned, edition)["total_kgco2e"], list(forecast.extra["plan"]["levers"])


def compare_results(before: dict, after: dict, edition: Edition) -> dict:
    """:func:`compare_stages` of two result documents already computed with
    ``edition`` (:func:`results.assess`), whatever their stages (the guided app
    compares the assessment being filled with a kept forecast), without the
    reduction plan. Each line also gives the ``factor``, ``section`` and
    ``field`` it was matched on."""
    old_lines, new_lines = _grouped(before["lines"]), _grouped(after["lines"])
    lines = []
    for key in list(old_lines) + [k for k in new_lines if k not in old_lines]:
        ref = old_lines.get(key) or new_lines[key]
        record = ref["record"]
        lines.append({"line": ref["label"], "category": ref["category"],
                      **{k: record.get(k, "") for k in ("factor", "section", "field")},
                      **change(old_lines.get(key, {}).get("kgco2e", 0.0),
                                new_lines.get(key, {}).get("kgco2e", 0.0))})
    return {
        "forecast": {"title": before["title"], "stage": before["production"]["stage"],
                     "source": before["source"]},
        "final": {"title": after["title"], "stage": after["production"]["stage"],
                  "source": after["source"]},
        **edition.describe(),
        "total": change(before["total_kgco2e"], after["total_kgco2e"]),
        "by_category": {c: change(before["by_category"][c], after["by_category"][c])
                        for c in CATEGORIES
                        if before["by_category"][c] or after["by_category"][c]},
        "by_scope": _changes(before.get("by_scope", {}), after.get("by_scope", {})),
        "by_beges": _changes(before.get("by_beges", {}), after.get("by_beges", {})),
        "lines": lines,
        "contrails": {"forecast": before["contrails"]["setting"],
                      "final": after["contrails"]["setting"],
                      "same": before["contrails"]["setting"] == after["contrails"]["setting"],
                      "note": "" if before["contrails"]["setting"] == after["contrails"]["setting"]
                      else "the two files count flights differently (contrails); the change of "
                           "convention moves the transport figures, not the activity"},
    }


def _changes(old: dict, new: dict) -> dict:
    """The change of each key present in either split (both zero: left out)."""
    return {k: change(old.get(k, 0.0), new.get(k, 0.0))
            for k in list(old) + [k for k in new if k not in old] if old.get(k) or new.get(k)}
