"""The audio-scenarios study (``studies/audio_scenarios.ipynb``): the audio
example productions with their studio lines from the studio model, under the
scenarios a working group discusses; its document, tables and charts.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import altair as alt
import pandas as pd

from .assessment import Assessment
from .charts import grouped_bars, stacked_bars
from .errors import InvalidScenario, StudioDataError
from .explorer import lang_index
from .factors import Edition
from .scenarios import electricity_from, guests_remote, guests_travel_by, with_studio
from .studio import DATA, GRID, Scenario, _read_yaml
from .vocabulary import LANGS


# Scenario name -> (fr, en) label, in report order.
AUDIO_SCENARIOS = {
    "baseline": ("Référence", "Baseline"),
    "guests_remote": ("Invités à distance", "Guests remote"),
    "studio_small": ("Petit studio", "Small studio"),
    "studio_large": ("Grand studio", "Large studio"),
    "guests_train": ("Invités en train", "Guests by train"),
    "guests_plane": ("Invités en avion", "Guests by plane"),
    "grid_alternative": ("Autre mix électrique", "Other electricity mix"),
    "lifetime_longer": ("Équipements gardés plus longtemps", "Equipment kept longer"),
}


def load_productions(folder: str | Path = DATA) -> dict[str, dict]:
    """The audio productions of ``audio_productions.yaml``, values without their provenance.

    Raises
    ------
    StudioDataError
        For a malformed file or a value without exactly one source or assumption.
    """
    path = Path(folder) / "audio_productions.yaml"
    data = _read_yaml(path).get("productions")
    if not isinstance(data, dict) or not data:
        raise StudioDataError(f"{path}: 'productions' must map names to productions")
    keys = ("example", "studio_size", "studio_hours", "utilisation_hours_per_year",
            "guests_on_site", "guest_hours", "guest_trip_one_way_km")
    out = {}
    for name, production in data.items():
        missing = [k for k in keys if not isinstance(production.get(k), dict)]
        if missing:
            raise StudioDataError(f"{path}, productions.{name}: missing {', '.join(missing)}")
        out[name] = {k: production[k]["value"] for k in keys}
    return out


def audio_scenarios(assessment: Assessment, production: dict, edition: Edition, country: str = "FR",
                    alternative_grid: str = "EU27", lifetime_scale: float = 2.0) -> dict[str, Assessment]:
    """The scenarios of one audio production, each as an assessment (keys of :data:`AUDIO_SCENARIOS`).

    ``baseline`` is the example with its studio lines from the model (the
    production's studio size, hours and utilisation; electricity on the grid
    of ``country``); every other scenario changes one thing from it: guests
    remote, a small or a large studio, guests by train or by plane, the
    electricity of ``alternative_grid``, equipment lifetimes x ``lifetime_scale``.
    """
    base = Scenario(studio_size=production["studio_size"], country=country,
                    utilisation_hours_per_year=production["utilisation_hours_per_year"]).check()
    hours = production["studio_hours"]
    example = electricity_from(assessment, country, edition)
    baseline = with_studio(example, base, hours)
    return {
        "baseline": baseline,
        "guests_remote": guests_remote(baseline, production["guests_on_site"], production["guest_hours"]),
        "studio_small": with_studio(example, replace(base, studio_size="small"), hours),
        "studio_large": with_studio(example, replace(base, studio_size="large"), hours),
        "guests_train": guests_travel_by(baseline, "train", production["guest_trip_one_way_km"]),
        "guests_plane": guests_travel_by(baseline, "plane", production["guest_trip_one_way_km"]),
        "grid_alternative": electricity_from(baseline, alternative_grid, edition),
        "lifetime_longer": with_studio(example, replace(base, equipment_lifetime_scale=lifetime_scale),
                                       hours),
    }


def audio_scenarios_document(edition: Edition, parameters: dict | None = None,
                             country: str = "FR", alternative_grid: str = "EU27",
                             lifetime_scale: float = 2.0, folder: str | Path = DATA) -> dict:
    """Every scenario of every audio production of ``audio_productions.yaml``, computed.

    Returns
    -------
    dict
        ``study``, ``parameters``, ``edition``, ``edition_sha256``, ``scenarios``
        (labels), and ``productions``: for each, ``title``, ``type``,
        ``example`` (the file), ``example_kgco2e`` (the example as written),
        the studio settings, and ``scenarios``: for each, ``total_kgco2e``,
        ``change_kgco2e`` and ``change_pct`` against the baseline,
        ``by_category`` and ``indicators``.
    """
    from .assessment import load_assessment
    from .results import assess

    root = Path(folder).resolve().parent.parent
    if alternative_grid not in GRID:
        raise InvalidScenario(f"alternative_grid: {alternative_grid!r} is not one of {', '.join(GRID)}")
    if not (isinstance(lifetime_scale, (int, float)) and lifetime_scale > 0):
        raise InvalidScenario(f"lifetime_scale: {lifetime_scale!r} must be > 0")
    productions = {}
    for name, production in load_productions(folder).items():
        assessment = load_assessment(root / production["example"])
        variants = audio_scenarios(assessment, production, edition, country, alternative_grid,
                                   lifetime_scale)
        results = {key: assess(variant, edition) for key, variant in variants.items()}
        base = results["baseline"]["total_kgco2e"]
        productions[name] = {
            "title": assessment.title, "type": assessment.production["type"],
            "example": production["example"],
            "example_kgco2e": assess(assessment, edition)["total_kgco2e"],
            "studio_size": production["studio_size"], "studio_hours": production["studio_hours"],
            "utilisation_hours_per_year": production["utilisation_hours_per_year"],
            "scenarios": {key: {"total_kgco2e": r["total_kgco2e"],
                                "change_kgco2e": r["total_kgco2e"] - base,
                                "change_pct": 100 * (r["total_kgco2e"] - base) / base,
                                "by_category": r["by_category"], "indicators": r["indicators"]}
                          for key, r in results.items()},
        }
    return {
        "study": "audio_scenarios", "parameters": dict(parameters or {}),
        **edition.describe(),
        "scenarios": {k: {"label_fr": fr, "label_en": en} for k, (fr, en) in AUDIO_SCENARIOS.items()},
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
