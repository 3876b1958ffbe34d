"""The studio-hour study (``studies/studio_hour.ipynb``): its document
(results.json), tables (results.csv) and charts, computed with the studio
model of :mod:`carbonclap_methods.studio` and the Monte Carlo of the factors.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import altair as alt
import pandas as pd

from .charts import stacked_bars, tornado
from .explorer import lang_index
from .factors import Edition
from .results import CATEGORIES
from .studies import number
from .studio import (COMPONENTS, DATA, SIZES, Scenario, _number, by_size, load_profile,
                     sensitivity, studio_hour, studio_hour_lines)
from .vocabulary import LANGS


# Chart texts: (fr, en).
TEXT = {
    "kg_per_studio_hour": ("kgCO2e par heure de studio", "kgCO2e per studio hour"),
    "change_per_studio_hour": ("Écart en kgCO2e par heure de studio (échelle symlog)",
                               "Change in kgCO2e per studio hour (symlog scale)"),
    "by_category": ("Une heure de studio par catégorie", "One studio hour by category"),
    "sensitivity": ("Quelle hypothèse fait le plus varier le résultat ?",
                    "Which assumption moves the result most?"),
    "sensitivity_sub": ("Une hypothèse à la fois, divisée par 2 ou multipliée par 2, ou remplacée ; "
                        "studio {size}, {value} kgCO2e/h", "One assumption at a time, halved, "
                        "doubled or switched; {size} studio, {value} kgCO2e/h"),
    "increase": ("hausse", "increase"),
    "decrease": ("baisse", "decrease"),
    "size": ({"small": "Petit", "medium": "Moyen", "large": "Grand"},
             {"small": "Small", "medium": "Medium", "large": "Large"}),
}


def studio_hour_charts(document: dict, mc=None) -> dict[str, alt.TopLevelMixin]:
    """The studio-hour study's charts, in French and English.

    ``by_category_<lang>``: kgCO2e per studio hour of every size, stacked by
    result category; ``sensitivity_<lang>``: the one-at-a-time sensitivity of
    the chosen size (a tornado). With a Monte Carlo ``mc`` of the chosen
    studio hour (:func:`studio_hour_monte_carlo`):
    ``uncertainty_distribution_<lang>`` (histogram of the draws with p5, p50,
    p95 and the deterministic value), ``uncertainty_interval_<lang>`` (90 %
    interval of each category) and ``uncertainty_tornado_<lang>`` (the
    factors that matter most), all in kgCO2e per studio hour.
    """
    from .charts import distribution_chart, interval_chart, tornado_chart
    from .results import CATEGORIES

    charts = {}
    for lang in LANGS:
        i = lang_index(lang)
        sizes = TEXT["size"][i]
        rows = [{"size": sizes[size], "category": labels[i], "kgco2e": values["by_category"].get(c, 0.0),
                 "order": n}
                for size, values in document["by_size"].items()
                for n, (c, labels) in enumerate(CATEGORIES.items())
                if values["by_category"].get(c, 0.0)]
        charts[f"by_category_{lang}"] = stacked_bars(
            pd.DataFrame(rows), "size", "kgco2e", "category", TEXT["by_category"][i],
            TEXT["kg_per_studio_hour"][i], lang, y_order=list(sizes.values()),
            color_order=[labels[i] for labels in CATEGORIES.values()])
        table = pd.DataFrame(document["sensitivity"])
        data = pd.DataFrame({"label": table[f"label_{lang}"], "rank": table["rank"],
                             "setting": table[f"setting_{lang}"], "change": table["change_kgco2e"]})
        value = number(document["kgco2e_per_studio_hour"])
        subtitle = TEXT["sensitivity_sub"][i].format(
            size=sizes[document["studio"]["size"]].lower(),
            value=value.replace(".", ",") if lang == "fr" else value)
        charts[f"sensitivity_{lang}"] = tornado(
            data, TEXT["sensitivity"][i], subtitle, TEXT["change_per_studio_hour"][i], lang,
            TEXT["increase"][i], TEXT["decrease"][i])
        if mc is not None:
            charts[f"uncertainty_distribution_{lang}"] = distribution_chart(mc, lang)
            charts[f"uncertainty_interval_{lang}"] = interval_chart(mc, lang)
            charts[f"uncertainty_tornado_{lang}"] = tornado_chart(mc, UNCERTAINTY_TOP, lang)
    return charts


TABLE_COLUMNS = ["studio_size", "id", "component", "part", "category", "factor", "quantity", "unit",
                 "factor_kgco2e_per_unit", "kgco2e_per_studio_hour", "note"]


def _line_records(emissions: pd.DataFrame) -> list[dict]:
    frame = emissions.rename(columns={"kgco2e": "kgco2e_per_studio_hour"})
    frame = frame.astype({"category": str})
    return frame[TABLE_COLUMNS[1:]].to_dict(orient="records")


UNCERTAINTY_TOP = 10     # factors listed in the uncertainty block, largest share first


def studio_hour_monte_carlo(scenario: Scenario, edition: Edition, iterations: int,
                            seed: int | None, profile: dict | None = None):
    """Monte Carlo of the studio-hour lines of ``scenario`` (per studio hour).

    One lognormal draw per factor per iteration, shared by the lines using it
    (:func:`carbonclap_methods.uncertainty.monte_carlo`), grouped by result
    category; no progress bar.

    Parameters
    ----------
    iterations : int
        Number of draws, >= 0; 0 gives ``None`` (no Monte Carlo).
    seed : int
        Seed of the draws (>= 0): the same seed gives the same figures.

    Returns
    -------
    carbonclap_methods.uncertainty.MonteCarlo or None
        Totals [kgCO2e per studio hour]; ``None`` for 0 iterations.
    """
    from .uncertainty import monte_carlo

    if isinstance(iterations, int) and not isinstance(iterations, bool) and iterations == 0:
        return None
    scenario.check()
    # The studio's quantities come from the profile's stated assumptions, not
    # from a production's data: no data-quality level applies; the spread of
    # those assumptions is studied by the sensitivity analysis instead.
    return monte_carlo(studio_hour_lines(scenario, profile), edition, iterations, seed,
                       by="category", progress=False, data=False)


def uncertainty_summary(mc, top: int = UNCERTAINTY_TOP) -> dict:
    """The ``uncertainty`` block of the studio-hour document, per studio hour.

    Keys: ``iterations``, ``seed``, ``method``, ``deterministic_kgco2e_per_studio_hour``,
    ``kgco2e_per_studio_hour`` (``mean``, ``std``, ``p5``, ``p50``, ``p95`` of
    the draws) [kgCO2e per studio hour], ``by_category`` (each category of
    the lines -> the same statistics) and ``contributions`` (the ``top``
    factors by share of the variance of the total, with the total when the
    factor is at the low / high end of its 95 % interval).
    """
    from .uncertainty import uncertainty_block

    block = uncertainty_block(mc, top)
    return {
        "iterations": block["iterations"],
        "seed": block["seed"],
        "method": block["method"],
        "deterministic_kgco2e_per_studio_hour": block["deterministic_kgco2e"],
        "kgco2e_per_studio_hour": block["total"],
        "by_category": block["by_category"],
        "contributions": block["contributions"],
    }


def uncertainty_tables(document: dict, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The document's uncertainty as two tables [kgCO2e per studio hour]: the
    total and each category (p5, p50, p95, mean, deterministic value), and the
    factors that matter most (share of the variance [%], uncertainty [%],
    kgCO2e at the factor value, total with the factor at its low and high end)."""
    i = 0 if lang == "fr" else 1
    block = document["uncertainty"]
    rows = []
    for category, stats in block["by_category"].items():
        label = CATEGORIES[category][i] if category in CATEGORIES else category
        rows.append({"category": label, "p5": stats["p5"], "p50": stats["p50"], "p95": stats["p95"],
                     "mean": stats["mean"], "deterministic": document["by_category"].get(category, 0.0)})
    total = block["kgco2e_per_studio_hour"]
    rows.append({"category": "Total", "p5": total["p5"], "p50": total["p50"], "p95": total["p95"],
                 "mean": total["mean"], "deterministic": block["deterministic_kgco2e_per_studio_hour"]})
    factors = pd.DataFrame([{"factor": c["factor"], "share_pct": 100 * c["share"],
                             "uncertainty_pct": c["uncertainty_pct"], "kgco2e": c["kgco2e"],
                             "low_kgco2e": c["low_kgco2e"], "high_kgco2e": c["high_kgco2e"]}
                            for c in block["contributions"]])
    return pd.DataFrame(rows).set_index("category"), factors


def studio_hour_document(scenario: Scenario, edition: Edition, parameters: dict | None = None,
                         mc=None) -> dict:
    """Everything the studio-hour study reports, as a JSON-ready document.

    Keys: ``study``, ``parameters`` (as given), ``scenario``, ``edition``,
    ``edition_sha256``, ``studio`` (size, labels, area), ``kgco2e_per_studio_hour``
    [kgCO2e per studio hour], ``by_category``, ``by_component``, ``by_part``,
    ``by_size`` (the same figures for every size, other settings kept),
    ``sensitivity`` (rows of :func:`sensitivity`), ``lines`` (the computed
    lines of the chosen size), ``profile_files`` and, when a Monte Carlo
    ``mc`` of the same scenario is given (:func:`studio_hour_monte_carlo`),
    ``uncertainty`` (:func:`uncertainty_summary`).
    """
    scenario.check()
    profile = load_profile(scenario.studio_size)
    result = studio_hour(scenario, edition, profile)
    document = {
        "study": "studio_hour",
        "parameters": dict(parameters or {}),
        "scenario": asdict(scenario),
        **edition.describe(),
        "studio": {"size": scenario.studio_size, "label_en": profile.get("label_en"),
                   "label_fr": profile.get("label_fr"), "area_m2": _number(profile, "area_m2")},
        "kgco2e_per_studio_hour": result["kgco2e_per_studio_hour"],
        "by_category": result["by_category"],
        "by_component": result["by_component"],
        "by_part": result["by_part"],
        "by_size": by_size(scenario, edition),
        "sensitivity": sensitivity(scenario, edition, profile).to_dict(orient="records"),
        "lines": _line_records(result["lines"]),
        "profile_files": [Path(f).relative_to(DATA.parent.parent).as_posix()
                          if Path(f).is_relative_to(DATA.parent.parent) else f
                          for f in profile["_files"]],
    }
    if mc is not None:
        document["uncertainty"] = uncertainty_summary(mc)
    return document


def studio_hour_table(scenario: Scenario, edition: Edition) -> pd.DataFrame:
    """Every line of every size (``results.csv``): columns :data:`TABLE_COLUMNS`."""
    frames = []
    for size in SIZES:
        lines = studio_hour(replace(scenario, studio_size=size), edition)["lines"]
        frame = pd.DataFrame(_line_records(lines))
        frame.insert(0, "studio_size", size)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[TABLE_COLUMNS]


def _by_size_table(document: dict, key: str, labels: dict, column: str, lang: str) -> pd.DataFrame:
    """kgCO2e per studio hour of ``document["by_size"][size][key]`` for every size, with totals.

    Rows that are zero for every size are left out.
    """
    i = 0 if lang == "fr" else 1
    sizes = document["by_size"]
    rows = []
    for item, names in labels.items():
        values = {size: sizes[size][key].get(item, 0.0) for size in sizes}
        if any(values.values()):
            rows.append({column: names[i], **values})
    rows.append({column: "Total", **{s: sizes[s]["kgco2e_per_studio_hour"] for s in sizes}})
    return pd.DataFrame(rows).set_index(column)


def category_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """kgCO2e per studio hour by result category (rows) for every size (columns), with totals."""
    return _by_size_table(document, "by_category", CATEGORIES, "category", lang)


def component_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """kgCO2e per studio hour by component for every size, with totals."""
    return _by_size_table(document, "by_component", COMPONENTS, "component", lang)
