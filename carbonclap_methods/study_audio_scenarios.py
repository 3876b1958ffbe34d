"""The audio-scenarios study (``studies/audio_scenarios.ipynb``): the audio
example productions with their studio lines from the studio model, under the
scenarios a working group discusses; its document, tables and charts.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from .assessment import Assessment
from .charts import grouped_bars, stacked_bars
from .errors import InvalidScenario
from .explorer import lang_index
from .factors import Edition
from .scenario_set import (STUDY_SCENARIOS, load_productions, load_scenario_set, resolve,
                           scenario_assessments, scenario_figures, study_set)
from .studio import DATA, GRID
from .vocabulary import LANGS


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
        ``by_category`` and ``indicators``.
    """
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
        figures = scenario_figures(chosen, edition)
        settings = figures["settings"]
        productions[name] = {**figures, "example": str(resolve(chosen.assessment, chosen.source or None)
                                                         .name),
                             "studio_size": settings["studio_size"],
                             "studio_hours": settings["studio_hours"],
                             "utilisation_hours_per_year": settings["utilisation_hours_per_year"]}
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


def audio_scenarios_charts(document: dict) -> dict[str, alt.TopLevelMixin]:
    """``scenarios_<lang>``: every scenario's total, stacked by category, one panel per
    production; ``changes_<lang>``: change against each production's baseline [%]."""
    from .results import CATEGORIES

    text = {"title": ("Scénarios audio par catégorie", "Audio scenarios by category"),
            "kg": ("kgCO2e", "kgCO2e"),
            "changes": ("Écart à la référence de chaque production", "Change from each production's baseline"),
            "changes_sub": ("Une hypothèse changée à la fois", "One assumption changed at a time"),
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
                                    "change_pct": result["change_pct"]})
        order = list(labels.values())
        charts[f"scenarios_{lang}"] = stacked_bars(
            pd.DataFrame(rows), "scenario", "kgco2e", "category", text["title"][i], text["kg"][i], lang,
            y_order=order, color_order=[names[i] for names in CATEGORIES.values()], facet="production")
        charts[f"changes_{lang}"] = grouped_bars(
            pd.DataFrame(changes), "scenario", "change_pct", "production", text["changes"][i],
            text["pct"][i], lang, y_order=order[1:], rule_at=0, subtitle=text["changes_sub"][i])
    return charts
