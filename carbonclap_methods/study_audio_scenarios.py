"""The audio-scenarios study (``studies/audio_scenarios.ipynb``): the audio
example productions with their studio lines from the studio model, under the
scenarios a working group discusses; its document, tables and charts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .assessment import Assessment
from .charts import Chart, grouped_bars, stacked_bars
from .errors import InvalidScenario
from .explorer import lang_index
from .factors import Edition
from .money import money_parts
from .scenario_set import (STUDY_SCENARIOS, load_productions, load_scenario_set, resolve,
                           same_as_baseline,
                           scenario_assessments, scenario_figures, study_set)
from .studio import DATA, GRID
from .vocabulary import LANGS, localized_number


# Scenario name -> (fr, en) label, in report order.
AUDIO_SCENARIOS = {name: labels for name, (labels, _) in STUDY_SCENARIOS.items()}


def audio_scenarios(assessment: Assessment, production: dict, edition: Edition, country: str = "FR",
                    alternative_grid: str = "EU27", lifetime_scale: float = 2.0) -> dict[str, Assessment]:
    """The scenarios of one audio production, each as an assessment (keys of :data:`AUDIO_SCENARIOS`).

    ``baseline`` is the example with its studio lines from the model (the
    production's studio size, hours and utilisation; electricity on the grid
    of ``country``); every other scenario changes one thing from it: guests
    remote, a small or a large studio, guests by train or by plane, the
    electricity of ``alternative_grid``, equipment lifetimes x ``lifetime_scale``
    (:func:`scenario_set.study_set`).
    """
    chosen = study_set("production", production, country, alternative_grid, lifetime_scale)
    return scenario_assessments(chosen, edition, assessment)


def audio_scenarios_document(edition: Edition, parameters: dict | None = None,
                             country: str = "FR", alternative_grid: str = "EU27",
                             lifetime_scale: float = 2.0, folder: str | Path = DATA,
                             scenarios: str | Path | None = None) -> dict:
    """Every scenario of every audio production of ``audio_productions.yaml``, computed;
    or, with ``scenarios`` (a scenario set file, :mod:`scenario_set`), that set's.

    Returns
    -------
    dict
        ``study``, ``parameters``, ``edition``, ``edition_sha256``, ``scenarios``
        (labels, in order, of every production's scenarios), and
        ``productions``: for each, ``title``, ``type``, ``example`` (the
        file), ``example_kgco2e`` (the example as written), the studio
        settings, ``settings`` (the baseline's), and ``scenarios``: for each,
        ``label_fr``, ``label_en``, ``total_kgco2e``, ``change_kgco2e`` and
        ``change_pct`` against the baseline, ``same_as_baseline``,
        ``by_category`` and ``indicators``; ``reconciliation`` (from the example
        as written to the baseline, :func:`baseline_reconciliation`),
        ``largest_lines`` (of the baseline) and ``levers`` (the saving of each
        lever that applies to the baseline, :func:`lever_savings`).
    """
    from .assessment import load_assessment

    if alternative_grid not in GRID:
        raise InvalidScenario(f"alternative_grid: {alternative_grid!r} is not one of {', '.join(GRID)}")
    if not (isinstance(lifetime_scale, (int, float)) and lifetime_scale > 0):
        raise InvalidScenario(f"lifetime_scale: {lifetime_scale!r} must be > 0")
    if scenarios:
        chosen = load_scenario_set(scenarios)
        sets = {Path(chosen.assessment).stem: chosen}
    else:
        sets = {name: study_set(name, production, country, alternative_grid, lifetime_scale)
                for name, production in load_productions(folder).items()}
    productions, labels = {}, {}
    for name, chosen in sets.items():
        assessment = load_assessment(resolve(chosen.assessment, chosen.source or None))
        variants = scenario_assessments(chosen, edition, assessment)
        figures = scenario_figures(chosen, edition, assessment, variants)
        settings = figures["settings"]
        productions[name] = {**figures, "example": str(resolve(chosen.assessment, chosen.source or None)
                                                         .name),
                             "studio_size": settings["studio_size"],
                             "studio_hours": settings["studio_hours"],
                             "utilisation_hours_per_year": settings["utilisation_hours_per_year"],
                             "reconciliation": baseline_reconciliation(assessment, variants["baseline"],
                                                                       edition),
                             "largest_lines": largest_lines(variants["baseline"], edition),
                             "levers": lever_savings(variants["baseline"], edition)}
        for key, result in figures["scenarios"].items():
            labels.setdefault(key, {"label_fr": result["label_fr"], "label_en": result["label_en"]})
    return {
        "study": "audio_scenarios", "parameters": dict(parameters or {}),
        **edition.describe(),
        "scenarios": labels,
        "productions": productions,
    }


def audio_scenarios_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """One row per production and scenario: totals, change against the baseline, per hour
    of content, and kgCO2e by category (categories used by some production only)."""
    rows = []
    for name, production in document["productions"].items():
        for key, result in production["scenarios"].items():
            rows.append({"production": name, "scenario": key,
                         "label": document["scenarios"][key][f"label_{lang}"],
                         "total_kgco2e": result["total_kgco2e"],
                         "change_kgco2e": result["change_kgco2e"], "change_pct": result["change_pct"],
                         "kgco2e_per_hour_of_content": result["indicators"].get("per_hour_of_content"),
                         **{f"kgco2e_{c}": v for c, v in result["by_category"].items()}})
    frame = pd.DataFrame(rows)
    unused = [c for c in frame.columns if c.startswith("kgco2e_") and c not in
              ("kgco2e_per_hour_of_content",) and not frame[c].any()]
    return frame.drop(columns=unused)


def scenario_pivot(document: dict, value: str = "total_kgco2e", lang: str = "en") -> pd.DataFrame:
    """One of a scenario's figures (``total_kgco2e``, ``change_kgco2e``, ``change_pct``):
    scenarios (rows, in :data:`AUDIO_SCENARIOS` order) by production (columns)."""
    labels = {k: v[f"label_{lang}"] for k, v in document["scenarios"].items()}
    data = {name: {labels[k]: r[value] for k, r in p["scenarios"].items()}
            for name, p in document["productions"].items()}
    return pd.DataFrame(data).reindex(list(labels.values())).rename_axis("scenario")


def _note(result: dict, same: str, lang: str) -> str:
    """What a bar too short to see says: ``= baseline``, or its change under 1 %."""
    if result["same_as_baseline"]:
        return same
    pct = result["change_pct"]
    if abs(pct) >= 1:
        return ""
    sign = "\u2212" if pct < 0 else "+"          # a minus sign, not a hyphen
    return f"{sign}{localized_number(f'{abs(pct):.2g}', lang)}\u00a0%"


def audio_scenarios_charts(document: dict) -> dict[str, Chart]:
    """``scenarios_<lang>``: every scenario's total, stacked by category, one panel per
    production; ``changes_<lang>``: change against each production's baseline [%]."""
    from .results import CATEGORIES

    text = {"title": ("Scénarios audio par catégorie", "Audio scenarios by category"),
            "kg": ("kgCO2e", "kgCO2e"),
            "changes": ("Écart à la référence de chaque production", "Change from each production's baseline"),
            "changes_sub": ("Une hypothèse changée à la fois", "One assumption changed at a time"),
            "same": ("= référence", "= baseline"),
            "pct": ("Écart [%]", "Change [%]")}
    charts = {}
    for lang in LANGS:
        i = lang_index(lang)
        labels = {k: v[f"label_{lang}"] for k, v in document["scenarios"].items()}
        rows, changes = [], []
        for name, production in document["productions"].items():
            title = f"{production['title']}"
            for key, result in production["scenarios"].items():
                for n, (c, names) in enumerate(CATEGORIES.items()):
                    if result["by_category"].get(c):
                        rows.append({"production": title, "scenario": labels[key], "category": names[i],
                                     "kgco2e": result["by_category"][c], "order": n})
                if key != "baseline":
                    changes.append({"production": title, "scenario": labels[key],
                                    "change_pct": result["change_pct"],
                                    "note": _note(result, text["same"][i], lang)})
        order = list(labels.values())
        charts[f"scenarios_{lang}"] = stacked_bars(
            pd.DataFrame(rows), "scenario", "kgco2e", "category", text["title"][i], text["kg"][i], lang,
            y_order=order, color_order=[names[i] for names in CATEGORIES.values()], facet="production")
        charts[f"changes_{lang}"] = grouped_bars(
            pd.DataFrame(changes), "scenario", "change_pct", "production", text["changes"][i],
            text["pct"][i], lang, y_order=order[1:], rule_at=0, subtitle=text["changes_sub"][i],
            note="note")
    return charts


# ---------------------------------------------------------------------------
# From the example to the baseline, and the levers on the largest parts

def baseline_reconciliation(assessment: Assessment, baseline: Assessment, edition: Edition) -> list[dict]:
    """Why the baseline differs from the example as written (``make demo``'s
    figure for the same example, with the same edition): the example's studio
    lines removed, the studio model's added, and any other change (every
    electricity line on the baseline's grid). Each row: ``step``,
    ``label_fr``, ``label_en``, ``kgco2e`` (a total, or a change for the middle rows)."""
    from .edits import STUDIO_SECTION
    from .results import assess

    def studio(result: dict) -> float:
        return sum(line["kgco2e"] for line in result["lines"] if line.get("section") == STUDIO_SECTION)

    example, base = assess(assessment, edition), assess(baseline, edition)
    removed, added = -studio(example), studio(base)
    other = base["total_kgco2e"] - example["total_kgco2e"] - removed - added
    if same_as_baseline(other, base["total_kgco2e"]):
        other = 0.0                  # the same lines summed in another order
    return [
        {"step": "example", "label_fr": "Exemple tel qu'écrit (make demo)",
         "label_en": "Example as written (make demo)", "kgco2e": example["total_kgco2e"]},
        {"step": "studio_removed", "label_fr": "Lignes studio de l'exemple retirées",
         "label_en": "Example's studio lines removed", "kgco2e": removed},
        {"step": "studio_model", "label_fr": "Lignes du modèle de studio ajoutées",
         "label_en": "Studio model's lines added", "kgco2e": added},
        {"step": "other", "label_fr": "Autres changements (mix électrique de la référence)",
         "label_en": "Other changes (the baseline's electricity grid)", "kgco2e": other},
        {"step": "baseline", "label_fr": "Référence de l'étude", "label_en": "Study baseline",
         "kgco2e": base["total_kgco2e"]},
    ]


def largest_lines(baseline: Assessment, edition: Edition, count: int = 5) -> list[dict]:
    """The ``count`` largest lines of the baseline: ``id``, ``field``, ``factor``,
    ``category``, ``kgco2e``, ``share_pct`` and ``spend`` (priced from money,
    a monetary ratio)."""
    from .results import assess

    result = assess(baseline, edition)
    total = result["total_kgco2e"]
    lines = sorted(result["lines"], key=lambda line: -line["kgco2e"])[:count]
    units = edition.table["activity_unit"]
    return [{"id": line.get("id") or "", "field": f"{line.get('section') or ''}.{line.get('field') or ''}",
             "factor": line["factor"], "category": line.get("category", ""),
             "kgco2e": line["kgco2e"], "share_pct": 100 * line["kgco2e"] / total if total else 0.0,
             "spend": money_parts(str(units[line["factor"]])) is not None}
            for line in lines]


def lever_savings(baseline: Assessment, edition: Edition) -> list[dict]:
    """Every reduction lever that applies to the baseline, alone, with its
    saving (:func:`plan.reduction_plan`), largest first."""
    from .plan import reduction_plan

    rows = reduction_plan(baseline, edition)["levers"]
    return sorted(({k: r[k] for k in ("id", "label_fr", "label_en", "saving_kgco2e", "saving_pct",
                                      "lines_changed", "source")} for r in rows),
                  key=lambda r: -r["saving_kgco2e"])
