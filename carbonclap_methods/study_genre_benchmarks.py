"""The genre-benchmarks study (``studies/genre_benchmarks.ipynb``): every
example assessment against the published means of its genre (Ecoprod's 2024
report), per production, per hour and per k EUR; its document, table and charts.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from . import bundled
from .charts import Chart, dots, grouped_bars
from .errors import Location, StudyError
from .explorer import lang_index
from .vocabulary import LANGS


EXAMPLES_DIR = bundled.examples()


GENRE_COLUMNS = ["example", "type", "title", "total_tco2e", "published_metric", "published_tco2e",
                 "ratio", "tco2e_per_hour", "published_tco2e_per_hour", "ratio_per_hour",
                 "ratio_per_hour_all_genres", "kgco2e_per_keur", "published_kgco2e_per_keur",
                 "ratio_per_keur", "benchmarks"]


def genre_budgets(folder: str | os.PathLike | None = None) -> dict[str, dict]:
    """Mean budgets behind the published means (``studies/data/genre_budgets.yaml``):
    production type -> ``{value [k EUR], unit, source}``."""
    from .studio import DATA, _read_yaml

    return dict(_read_yaml(Path(folder or DATA) / "genre_budgets.yaml").get("budgets") or {})


def _citation(entry: dict) -> dict:
    return {k: entry[k] for k in ("benchmark", "source", "url", "confidence")}


def genre_benchmarks_document(edition, examples_dir: str | os.PathLike | None = None,
                              parameters: dict | None = None) -> dict:
    """Every assessment of ``examples_dir`` against the published means of its genre.

    For each production: the total against the published mean per production
    (per episode for series), per hour of content against the genre's and
    all genres' means, and per k EUR of budget against the published mean
    divided by the genre's mean budget (:func:`genre_budgets`), each with its
    citation; where nothing is published for the genre (animation, sound
    productions) the comparison is left out. The category split of all the
    productions together (share of their summed footprint) is set against the
    2024 report's split.

    Returns
    -------
    dict
        ``study``, ``parameters``, ``edition``, ``edition_sha256``,
        ``productions`` (a list), ``category_split`` (``examples_pct``,
        ``published_pct``, ``difference_points`` by category) and ``citations``.
    """
    from .assessment import load_assessment
    from .published import AUDIO_TYPES, published_category_split
    from .results import CATEGORIES, assess

    folder = Path(examples_dir) if examples_dir else EXAMPLES_DIR
    files = sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        raise StudyError("no assessment file (.yaml, .yml, .json)", Location(folder))
    budgets = genre_budgets()
    productions, citations, sums = [], {}, dict.fromkeys(CATEGORIES, 0.0)
    for path in files:
        result = assess(load_assessment(path), edition)
        kind = result["production"]["type"]
        bench = result["benchmark"]
        comparisons = {k: v for k, v in bench.items()}
        metric = "per_episode" if "per_episode" in bench else "per_production"
        budget = budgets.get(kind)
        per_keur = result["indicators"].get("per_keur_budget")
        if metric in bench and budget and per_keur is not None:
            published = bench[metric]["published_tco2e"] * 1000 / budget["value"]
            comparisons["per_keur"] = {
                "value_kgco2e_per_keur": per_keur, "published_kgco2e_per_keur": published,
                "ratio": per_keur / published, "budget_keur": budget["value"],
                "budget_source": budget["source"],
                **_citation(bench[metric])}
        for entry in comparisons.values():
            citations[entry["benchmark"]] = _citation(entry)
        if kind not in AUDIO_TYPES:       # the report's split is of audiovisual productions
            for category, value in result["by_category"].items():
                sums[category] = sums.get(category, 0.0) + value
        total = result["total_kgco2e"]
        productions.append({
            "example": path.name, "title": result["title"], "type": kind,
            "total_kgco2e": total, "indicators": result["indicators"],
            "published_metric": metric if metric in bench else None,
            "comparisons": comparisons,
            "category_pct": {c: 100 * v / total for c, v in result["by_category"].items() if v},
        })
    grand = sum(sums.values())
    published = published_category_split()
    examples_pct = {c: 100 * sums.get(c, 0.0) / grand for c in CATEGORIES}
    return {
        "study": "genre_benchmarks", "parameters": dict(parameters or {}),
        **edition.describe(),
        "productions": productions,
        "category_split": {
            "examples_pct": examples_pct, "published_pct": published,
            "difference_points": {c: examples_pct[c] - published[c] for c in published},
            "note": "share of the summed footprint of the audiovisual productions (sound "
                    "productions left out: the report's split is of audiovisual assessments); "
                    "studio_use has no published share",
        },
        "citations": sorted(citations.values(), key=lambda c: c["benchmark"]),
    }


def genre_benchmarks_table(document: dict) -> pd.DataFrame:
    """One row per production (``results.csv``): columns :data:`GENRE_COLUMNS`; t = tCO2e."""
    rows = []
    for p in document["productions"]:
        c = p["comparisons"]
        main = c.get(p["published_metric"] or "", {})
        rows.append({
            "example": p["example"], "type": p["type"], "title": p["title"],
            "total_tco2e": p["total_kgco2e"] / 1000, "published_metric": p["published_metric"],
            "published_tco2e": main.get("published_tco2e"), "ratio": main.get("ratio"),
            "tco2e_per_hour": (p["indicators"].get("per_hour_of_content") or math.nan) / 1000,
            "published_tco2e_per_hour": c.get("per_hour", {}).get("published_tco2e"),
            "ratio_per_hour": c.get("per_hour", {}).get("ratio"),
            "ratio_per_hour_all_genres": c.get("per_hour_all_genres", {}).get("ratio"),
            "kgco2e_per_keur": p["indicators"].get("per_keur_budget"),
            "published_kgco2e_per_keur": c.get("per_keur", {}).get("published_kgco2e_per_keur"),
            "ratio_per_keur": c.get("per_keur", {}).get("ratio"),
            "benchmarks": " ".join(sorted({v["benchmark"] for v in c.values()})),
        })
    return pd.DataFrame(rows, columns=GENRE_COLUMNS)


def genre_benchmarks_charts(document: dict) -> dict[str, Chart]:
    """``ratios_<lang>``: each production's ratio to the published means (log scale);
    ``category_split_<lang>``: the productions' category split against the 2024 report's."""
    from .results import CATEGORIES

    metrics = {"per_production": ("par production (ou épisode)", "per production (or episode)"),
               "per_episode": ("par production (ou épisode)", "per production (or episode)"),
               "per_hour": ("par heure de contenu, genre", "per hour of content, genre"),
               "per_hour_all_genres": ("par heure, tous genres", "per hour, all genres"),
               "per_keur": ("par k€ de budget", "per k EUR of budget"),
               "nearest_published": ("chiffre publié le plus proche (son, SIRTI 2024)",
                                     "nearest published figure (sound, SIRTI 2024)")}
    text = {"ratios": ("Rapport aux moyennes publiées (Ecoprod 2024)",
                       "Ratio to the published means (Ecoprod 2024)"),
            "ratios_sub": ("1 = la moyenne du genre ; échelle logarithmique",
                           "1 = the genre's mean; logarithmic scale"),
            "ratio": ("Rapport à la moyenne publiée", "Ratio to the published mean"),
            "split": ("Répartition par catégorie", "Split by category"),
            "split_sub": ("Exemples du projet (tous ensemble) et rapport Carbon'Clap 2024",
                          "The project's examples (all together) and the 2024 Carbon'Clap report"),
            "share": ("Part de l'empreinte [%]", "Share of the footprint [%]"),
            "examples": ("Exemples du projet", "Project examples"),
            "published": ("Rapport Carbon'Clap 2024", "Carbon'Clap report 2024")}
    charts = {}
    for lang in LANGS:
        i = lang_index(lang)
        rows = [{"production": f"{p['title']} ({p['type']})", "metric": metrics[k][i], "ratio": v["ratio"]}
                for p in document["productions"] for k, v in p["comparisons"].items()]
        order = [f"{p['title']} ({p['type']})" for p in document["productions"]]
        charts[f"ratios_{lang}"] = dots(
            pd.DataFrame(rows), "production", "ratio", "metric", text["ratios"][i], text["ratio"][i],
            lang, y_order=order, rule_at=1, subtitle=text["ratios_sub"][i])
        split = document["category_split"]
        rows = [{"category": labels[i], "source": text[src][i], "share": split[f"{src}_pct"].get(c, 0.0)}
                for c, labels in CATEGORIES.items() if c in split["published_pct"]
                for src in ("examples", "published")]
        charts[f"category_split_{lang}"] = grouped_bars(
            pd.DataFrame(rows), "category", "share", "source", text["split"][i], text["share"][i],
            lang, y_order=[labels[i] for c, labels in CATEGORIES.items() if c in split["published_pct"]],
            subtitle=text["split_sub"][i])
    return charts
