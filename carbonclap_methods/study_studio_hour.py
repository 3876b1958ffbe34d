"""The studio-hour study (``studies/studio_hour.ipynb``): its document
(results.json), tables (results.csv) and charts, computed with the studio
model of :mod:`carbonclap_methods.studio` and the Monte Carlo of the factors.
"""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .charts import Chart, stacked_bars, titled, tornado
from . import studio
from .explorer import lang_index
from .factors import Edition
from .results import CATEGORIES
from .studies import number
from .studio import (COMPONENTS, DATA, SCALED, SIZES, Scenario, _number, assumption_quantities,
                     by_size, draw_assumptions, load_assumptions, load_profile, ranges, sensitivity,
                     studio_hour, studio_hour_lines)
from .vocabulary import LANGS, localized_number


# Chart texts: (fr, en).
TEXT = {
    "kg_per_studio_hour": ("kgCO2e par heure de studio", "kgCO2e per studio hour"),
    "change_per_studio_hour": ("Écart en kgCO2e par heure de studio",
                               "Change in kgCO2e per studio hour"),
    "by_category": ("Une heure de studio par catégorie, {country}",
                    "One studio hour by category, {country}"),
    "sensitivity": ("Quelle hypothèse fait le plus varier le résultat ? Studio {size}, {country}",
                    "Which assumption moves the result most? {size} studio, {country}"),
    "uncertainty": ("Incertitude : studio {size}, {country}", "Uncertainty: {size} studio, {country}"),
    "sensitivity_sub": ("Une hypothèse à la fois, divisée par 2 ou multipliée par 2, ou remplacée ; "
                        "studio {size}, {value} kgCO2e/h", "One assumption at a time, halved, "
                        "doubled or switched; {size} studio, {value} kgCO2e/h"),
    "increase": ("hausse", "increase"),
    "decrease": ("baisse", "decrease"),
    "size": ({"small": "Petit", "medium": "Moyen", "large": "Grand"},
             {"small": "Small", "medium": "Medium", "large": "Large"}),
}
# Countries of studio.GRID: (fr, en).
COUNTRY_NAMES = {
    "FR": ("France", "France"), "GB": ("Royaume-Uni", "United Kingdom"), "DE": ("Allemagne", "Germany"),
    "BE": ("Belgique", "Belgium"), "ES": ("Espagne", "Spain"), "IT": ("Italie", "Italy"),
    "NL": ("Pays-Bas", "Netherlands"), "PT": ("Portugal", "Portugal"), "CH": ("Suisse", "Switzerland"),
    "US": ("États-Unis", "United States"), "CA": ("Canada", "Canada"), "MA": ("Maroc", "Morocco"),
    "EU27": ("UE-27 (moyenne)", "EU-27 (average)"), "WORLD": ("monde (moyenne)", "world (average)"),
}


def country_name(code: str, lang: str = "en") -> str:
    """The name of a country code of :data:`carbonclap_methods.studio.GRID` in ``lang``."""
    return COUNTRY_NAMES.get(code, (code, code))[lang_index(lang)]


def studio_hour_charts(document: dict, mc=None) -> dict[str, Chart]:
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
        country = country_name(document["scenario"]["country"], lang)
        size = sizes[document["studio"]["size"]]
        charts[f"by_category_{lang}"] = stacked_bars(
            pd.DataFrame(rows), "size", "kgco2e", "category",
            TEXT["by_category"][i].format(country=country),
            TEXT["kg_per_studio_hour"][i], lang, y_order=list(sizes.values()),
            color_order=[labels[i] for labels in CATEGORIES.values()])
        table = pd.DataFrame(document["sensitivity"])
        data = pd.DataFrame({"label": table[f"label_{lang}"], "rank": table["rank"],
                             "setting": table[f"setting_{lang}"], "change": table["change_kgco2e"]})
        value = number(document["kgco2e_per_studio_hour"])
        subtitle = TEXT["sensitivity_sub"][i].format(
            size=sizes[document["studio"]["size"]].lower(),
            value=localized_number(value, lang))
        charts[f"sensitivity_{lang}"] = tornado(
            data, TEXT["sensitivity"][i].format(size=size if lang == "en" else size.lower(),
                                                 country=country), subtitle, TEXT["change_per_studio_hour"][i], lang,
            TEXT["increase"][i], TEXT["decrease"][i])
        if mc is not None:
            named = f"{size if lang == 'en' else size.lower()} studio, {country}" if lang == "en" \
                else f"studio {size.lower()}, {country}"
            charts[f"uncertainty_distribution_{lang}"] = _named(distribution_chart(mc, lang), named, lang)
            charts[f"uncertainty_interval_{lang}"] = _named(interval_chart(mc, lang), named, lang)
            charts[f"uncertainty_tornado_{lang}"] = _named(tornado_chart(mc, UNCERTAINTY_TOP, lang),
                                                           named, lang)
            ends = document.get("uncertainty", {}).get("assumptions")
            if ends:
                charts[f"uncertainty_assumptions_{lang}"] = _assumption_chart(
                    ends, document["kgco2e_per_studio_hour"], lang, named)
    return charts


def _named(chart, suffix: str, lang: str = "en"):
    """The chart with ``suffix`` (size and country) added to its title."""
    title = chart.title
    colon = "\u00a0: " if lang == "fr" else ": "     # French: a no-break space before the colon
    return titled(chart, f"{title.text}{colon}{suffix}", title.subtitle)


def _assumption_chart(ends: list[dict], base: float, lang: str, named: str):
    """Each ranged assumption at the ends of its range (a linear tornado) [kgCO2e per studio hour]."""
    i = lang_index(lang)
    rows = []
    for rank, end in enumerate(ends, 1):
        for side in ("low", "high"):
            value = end[side]
            k = value / end["value"] if end["value"] else 1.0
            text = f"×{k:g}" if end["assumption"].endswith("_scale") else f"×{k:g} ({value:,.0f})"
            text = localized_number(text, lang)       # 2 400 and ×0,5 in French
            rows.append({"label": end[f"label_{lang}"], "rank": rank,
                         "setting": text,
                         "change": end[f"{side}_kgco2e"] - base})
    title = ("Hypothèses aux bornes de leur plage : " if lang == "fr"
             else "Assumptions at the ends of their ranges: ") + named
    subtitle = ("Une hypothèse à la fois, les autres à leur valeur (studio_assumptions.yaml)",
                "One assumption at a time, the others at their values (studio_assumptions.yaml)")[i]
    return tornado(pd.DataFrame(rows), title, subtitle, TEXT["change_per_studio_hour"][i], lang,
                   TEXT["increase"][i], TEXT["decrease"][i])


TABLE_COLUMNS = ["studio_size", "id", "component", "part", "category", "factor", "quantity", "unit",
                 "factor_kgco2e_per_unit", "kgco2e_per_studio_hour", "note"]


def _line_records(emissions: pd.DataFrame) -> list[dict]:
    frame = emissions.rename(columns={"kgco2e": "kgco2e_per_studio_hour"})
    frame = frame.astype({"category": str})
    return frame[TABLE_COLUMNS[1:]].to_dict(orient="records")


UNCERTAINTY_TOP = 10     # factors listed in the uncertainty block, largest share first


def studio_hour_monte_carlo(scenario: Scenario, edition: Edition, iterations: int,
                            seed: int | None, profile: dict | None = None,
                            assumptions: bool = True, factors: bool = True,
                            part: str | None = None):
    """Monte Carlo of the studio-hour lines of ``scenario`` (per studio hour).

    Two sources of uncertainty, drawn together in each iteration:

    - the study's assumptions (``assumptions=True``): every setting with a
      declared range in ``studies/data/studio_assumptions.yaml`` (utilisation,
      power draws in and outside sessions, building electricity and heating per
      m2, refrigerant losses, equipment and building lifetimes, staff commute)
      is drawn from a triangular distribution around the scenario's value
      (:func:`carbonclap_methods.studio.draw_assumptions`), and the lines'
      quantities follow the model;
    - the factors (``factors=True``): one lognormal draw per factor per
      iteration, shared by the lines using it, as in
      :func:`carbonclap_methods.uncertainty.monte_carlo` (median = value, 95 %
      interval [v / (1 + u), v x (1 + u)]).

    The assumptions are drawn first from the seeded stream, then the factors.

    Parameters
    ----------
    iterations : int
        Number of draws, >= 0; 0 gives ``None`` (no Monte Carlo).
    seed : int
        Seed of the draws (>= 0): the same seed gives the same figures.
    assumptions, factors : bool
        Which uncertainties are drawn (both by default; one alone splits the variance).
    part : {"studio", "session"}, optional
        Only the lines of that part (``"studio"``: the studio itself).

    Returns
    -------
    carbonclap_methods.uncertainty.MonteCarlo or None
        Totals and categories [kgCO2e per studio hour]; ``factors`` holds the
        factors used with their kgCO2e at the scenario's values. ``None`` for
        0 iterations.
    """
    import numpy as np

    from .compute import compute
    from .uncertainty import MonteCarlo, _check_iterations, _check_seed, _group_order, log_sigma

    if isinstance(iterations, int) and not isinstance(iterations, bool) and iterations == 0:
        return None
    iterations, seed = _check_iterations(iterations), _check_seed(seed)
    scenario.check()
    p = profile if profile is not None else load_profile(scenario.studio_size)
    emissions = compute(studio_hour_lines(scenario, p), edition)
    if part is not None:
        emissions = emissions[emissions["part"] == part].reset_index(drop=True)
    kg = emissions["kgco2e"].to_numpy(dtype=float)
    per_unit = kg / emissions["quantity"].to_numpy(dtype=float)      # kgCO2e per line unit
    rng = np.random.default_rng(seed)
    if assumptions:
        draws = draw_assumptions(scenario, iterations, rng)
        quantities = assumption_quantities(scenario, draws, p)[list(emissions["id"])].to_numpy()
        samples = quantities * per_unit
    else:
        samples = np.tile(kg, (iterations, 1))
    factor_ids, f_codes = np.unique(emissions["factor"].astype(str).to_numpy(), return_inverse=True)
    table = edition.table.loc[factor_ids]
    sigma = log_sigma(table["uncertainty_pct"].to_numpy(dtype=float))
    if factors:
        samples = samples * np.exp(rng.standard_normal((iterations, len(factor_ids))) * sigma)[:, f_codes]
    categories = emissions["category"].astype(str).to_numpy()
    groups = _group_order(categories, "category")
    by_group = pd.DataFrame({g: samples[:, categories == g].sum(axis=1) for g in groups})
    factor_table = pd.DataFrame({
        "category": table["category"].astype(str).to_numpy(),
        "label_fr": table["label_fr"].to_numpy(), "label_en": table["label_en"].to_numpy(),
        "kgco2e": np.bincount(f_codes, weights=kg, minlength=len(factor_ids)),
        "uncertainty_pct": table["uncertainty_pct"].to_numpy(dtype=float),
        "sigma": sigma if factors else np.zeros_like(sigma)}, index=pd.Index(factor_ids, name="factor"))
    return MonteCarlo(iterations=iterations, seed=seed, by="category",
                      deterministic_total=float(kg.sum()),
                      deterministic_by_group=emissions.groupby(categories)["kgco2e"].sum().reindex(groups),
                      totals=samples.sum(axis=1), by_group=by_group, factors=factor_table,
                      lines=None)


def assumption_ends(scenario: Scenario, edition: Edition, profile: dict | None = None) -> list[dict]:
    """Each ranged assumption at the ends of its declared range, the others at their values.

    Returns
    -------
    list of dict
        One per ranged setting, largest swing first: ``assumption``,
        ``label_fr``, ``label_en``, ``value`` (the scenario's), ``low`` and
        ``high`` (the range's ends, in the setting's unit), ``low_kgco2e`` and
        ``high_kgco2e`` [kgCO2e per studio hour], and ``assumption_text``.
    """
    p = profile if profile is not None else load_profile(scenario.studio_size)
    declared = load_assumptions()
    labels = {name: (fr, en) for name, fr, en in SCALED}
    rows = []
    for name, (low, high) in ranges(declared).items():
        x = float(getattr(scenario, name))
        ends = {end: studio_hour(replace(scenario, **{name: k * x}), edition, p)["kgco2e_per_studio_hour"]
                for end, k in (("low", low), ("high", high))}
        fr, en = labels.get(name, (name, name))
        rows.append({"assumption": name, "label_fr": fr, "label_en": en, "value": x,
                     "low": low * x, "high": high * x, "low_kgco2e": ends["low"],
                     "high_kgco2e": ends["high"], "assumption_text": declared[name]["assumption"]})
    return sorted(rows, key=lambda r: -abs(r["high_kgco2e"] - r["low_kgco2e"]))


def uncertainty_summary(mc, top: int = UNCERTAINTY_TOP, split: dict | None = None,
                        ends: list[dict] | None = None) -> dict:
    """The ``uncertainty`` block of the studio-hour document, per studio hour.

    Keys: ``iterations``, ``seed``, ``method``, ``deterministic_kgco2e_per_studio_hour``,
    ``kgco2e_per_studio_hour`` (``mean``, ``std``, ``p5``, ``p50``, ``p95`` of
    the draws) [kgCO2e per studio hour], ``by_category`` (each category of
    the lines -> the same statistics), ``contributions`` (the ``top`` factors:
    ``share`` is the factor's first-order variance ``A_f**2 Var(M_f)`` over the
    variance of the drawn totals, with the total when the factor is at the low
    / high end of its 95 % interval), and when given, ``variance_split``
    (shares of the variance due to the factors alone, to the assumptions
    alone, and to both together: :func:`variance_split`) and
    ``assumptions`` (:func:`assumption_ends`).
    """
    from .uncertainty import MONTE_CARLO_METHOD, contributions, summary

    rows = contributions(mc).head(top)
    variance = float(np.var(mc.totals, ddof=1)) if mc.iterations > 1 else 0.0
    block = {
        "iterations": mc.iterations,
        "seed": mc.seed,
        "method": MONTE_CARLO_METHOD + "; the study's assumptions drawn from their declared ranges "
                  "(triangular, studies/data/studio_assumptions.yaml)",
        "deterministic_kgco2e_per_studio_hour": mc.deterministic_total,
        "kgco2e_per_studio_hour": summary(mc.totals),
        "by_category": {str(g): summary(mc.by_group[g]) for g in mc.by_group.columns},
        "contributions": [{"factor": r["factor"], "category": r["category"], "label_fr": r["label_fr"],
                           "label_en": r["label_en"], "kgco2e": float(r["kgco2e"]),
                           "uncertainty_pct": float(r["uncertainty_pct"]),
                           "share": float(r["variance"] / variance) if variance > 0 else 0.0,
                           "low_kgco2e": float(r["low_kgco2e"]), "high_kgco2e": float(r["high_kgco2e"])}
                          for r in rows.to_dict(orient="records")],
    }
    if split is not None:
        block["variance_split"] = split
    if ends is not None:
        block["assumptions"] = ends
    return block


def variance_split(scenario: Scenario, edition: Edition, iterations: int, seed: int | None,
                   profile: dict | None = None) -> dict:
    """Variance of the studio hour with the factors alone, the assumptions alone and both.

    Three Monte Carlo runs with the same seed [kgCO2e**2 per studio hour**2]:
    ``factors``, ``assumptions``, ``total`` and ``interaction`` (the rest), and
    their shares of ``total``.
    """
    runs = {key: studio_hour_monte_carlo(scenario, edition, iterations, seed, profile,
                                         assumptions=a, factors=f)
            for key, a, f in (("total", True, True), ("factors", False, True),
                              ("assumptions", True, False))}
    var = {key: float(np.var(mc.totals, ddof=1)) for key, mc in runs.items()}
    var["interaction"] = var["total"] - var["factors"] - var["assumptions"]
    share = {f"{k}_share": (v / var["total"] if var["total"] > 0 else 0.0)
             for k, v in var.items() if k != "total"}
    return {**var, **share}


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
    lines of the chosen size), ``by_scope`` (the studio itself, the studio
    with its people), ``idle_hours_per_year``, ``profile_files`` and, when a
    Monte Carlo ``mc`` of the same scenario is given
    (:func:`studio_hour_monte_carlo`), ``uncertainty``
    (:func:`uncertainty_summary` with the variance split and the assumptions'
    ends).
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
        "by_scope": result["by_scope"],
        "idle_hours_per_year": result["idle_hours_per_year"],
        "by_size": by_size(scenario, edition),
        "sensitivity": sensitivity(scenario, edition, profile).to_dict(orient="records"),
        "lines": _line_records(result["lines"]),
        "profile_files": [Path(f).relative_to(DATA.parent.parent).as_posix()
                          if Path(f).is_relative_to(DATA.parent.parent) else f
                          for f in profile["_files"]],
    }
    if mc is not None:
        document["uncertainty"] = uncertainty_summary(
            mc, split=variance_split(scenario, edition, mc.iterations, mc.seed, profile),
            ends=assumption_ends(scenario, edition, profile))
    document["headlines"] = headlines(document)
    return document


def headlines(document: dict) -> list[str]:
    """The study's headline figures, one English sentence each (``study run`` prints them)."""
    size = TEXT["size"][1][document["studio"]["size"]]
    country = country_name(document["scenario"]["country"])
    value = document["kgco2e_per_studio_hour"]
    first = f"{size} studio, {country}: {number(value)} kgCO2e per studio hour"
    block = document.get("uncertainty")
    if block:
        stats = block["kgco2e_per_studio_hour"]
        first += (f" (90 % interval {number(stats['p5'])} to {number(stats['p95'])}, factors and "
                  f"assumption ranges, {block['iterations']:,} draws)")
    scopes = document["by_scope"]
    out = [first,
           f"The studio itself {number(scopes['studio_itself'])}, the studio with its people "
           f"{number(scopes['studio_with_people'])} kgCO2e per studio hour "
           f"({number(document['idle_hours_per_year'])} idle hours a year counted)",
           "By size: " + ", ".join(f"{TEXT['size'][1][s].lower()} {number(v['kgco2e_per_studio_hour'])}"
                                   f" (studio itself {number(v['by_scope']['studio_itself'])})"
                                   for s, v in document["by_size"].items()) + " kgCO2e per studio hour"]
    if block and block.get("assumptions"):
        top = block["assumptions"][0]
        out.append(f"Assumption that moves it most: {top['label_en'].lower()} "
                   f"({number(top['low'])} to {number(top['high'])}: {number(top['low_kgco2e'])} to "
                   f"{number(top['high_kgco2e'])} kgCO2e per studio hour)")
    return out


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


def scope_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """kgCO2e per studio hour in the two scopes (rows) for every size (columns):
    the studio itself, the people and recordings, and the studio with its people (the whole)."""
    i = lang_index(lang)
    sizes = document["by_size"]
    people = ("Personnes et enregistrements", "People and recordings")[i]
    rows = [{"scope": studio.SCOPES[0][2 + i], **{s: v["by_scope"]["studio_itself"] for s, v in sizes.items()}},
            {"scope": people, **{s: v["by_part"]["session"] for s, v in sizes.items()}},
            {"scope": studio.SCOPES[1][2 + i],
             **{s: v["by_scope"]["studio_with_people"] for s, v in sizes.items()}}]
    return pd.DataFrame(rows).set_index("scope")


def assumption_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """Each ranged assumption: its value, its range and the studio hour at the range's ends
    [kgCO2e per studio hour], largest swing first (empty without a Monte Carlo)."""
    ends = document.get("uncertainty", {}).get("assumptions", [])
    return pd.DataFrame([{"assumption": e[f"label_{lang}"], "value": e["value"], "low": e["low"],
                          "high": e["high"], "low_kgco2e": e["low_kgco2e"],
                          "high_kgco2e": e["high_kgco2e"]} for e in ends],
                        columns=["assumption", "value", "low", "high", "low_kgco2e", "high_kgco2e"])


def component_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """kgCO2e per studio hour by component for every size, with totals."""
    return _by_size_table(document, "by_component", COMPONENTS, "component", lang)


# ---------------------------------------------------------------------------
# Held against outside figures

def _published(figure_id: str) -> dict:
    """A row of the package's published benchmarks (data/published_benchmarks.csv), or of the
    outside figures below that it does not hold (read from the same sources)."""
    from .published import published

    table = published().set_index("id")
    if figure_id in table.index:
        return table.loc[figure_id].to_dict()
    return OUTSIDE[figure_id]


# Figures the package's benchmark table does not hold, with their citation (the project's
# reference table shared/reference/published-benchmarks.csv, same rows).
OUTSIDE = {
    "bbc_remote_contribution_hour": {
        "value": 0.037, "unit": "kWh", "year": 2011,
        "source": "vendor case study quoting BBC figures (inqualitymedia.com/sustainable-production)",
        "confidence": "confirmed (vendor)",
        "notes": "energy of a one-hour radio discussion from a remote contribution terminal; the same "
                 "source gives 17 kgCO2e for the guest's 80 km car round trip to the studio"},
    "bbc_car_round_trip_80km": {
        "value": 17.0, "unit": "kgCO2e", "year": 2011,
        "source": "vendor case study quoting BBC figures (inqualitymedia.com/sustainable-production)",
        "confidence": "confirmed (vendor)", "notes": "an 80 km car round trip of a guest to the studio"},
    "albert_edit_suite_session": {
        "value": 2.999, "unit": "kWh", "year": 2020,
        "source": "secondary review of albert's calculator data (5 sub-metered edit suites)",
        "confidence": "secondary", "notes": "energy per editing session, equipment only"},
}
OUTSIDE_COLUMNS = ["figure", "published", "published_unit", "published_scope", "model", "model_low",
                   "model_high", "model_scope", "ratio", "beyond_uncertainty", "why"]


def _interval(scenario: Scenario, edition: Edition, part: str | None = None,
              iterations: int = 4000, seed: int = 2025) -> tuple[float, float, float]:
    """(value, p5, p95) of a studio hour [kgCO2e], factors and assumption ranges drawn together."""
    mc = studio_hour_monte_carlo(scenario, edition, iterations, seed, part=part)
    p5, p95 = np.percentile(mc.totals, [5, 95])
    return mc.deterministic_total, float(p5), float(p95)


def outside_figures(edition: Edition) -> pd.DataFrame:
    """The model beside published figures, each with its scope [their units].

    Each row: the published figure and its scope, the model's figure for the
    nearest case it can compute (``model_scope`` says which) with its 90 %
    interval (factors and assumption ranges, or the power-draw range for
    energies), the ratio published / model, whether the published figure is
    outside the model's interval, and why the two differ.

    References
    ----------
    SIRTI with Bilobay, score d'impact carbone des radios locales (2024),
    https://fr.themedialeader.com/le-sirti-devoile-le-score-dimpact-carbone-des-radios-locales;
    BBC remote contribution figures quoted in https://inqualitymedia.com/sustainable-production/;
    albert edit-suite benchmark (secondary review of albert's calculator data).
    """
    rows = []
    local = dict(guest_travel_mode="metro", guest_travel_km=20.0)

    def add(figure_id, published_value, unit, scope, model, low, high, model_scope, why):
        rows.append({"figure": figure_id, "published": published_value, "published_unit": unit,
                     "published_scope": scope, "model": model, "model_low": low, "model_high": high,
                     "model_scope": model_scope, "ratio": published_value / model if model else math.nan,
                     "beyond_uncertainty": not low <= published_value <= high, "why": why})

    # One hour in a small studio with one local guest stands for both SIRTI single items.
    small_hour = _interval(replace(Scenario(), studio_size="small", guests_on_site=1, **local),
                           edition)
    # SIRTI: one podcast on several platforms, 3.7 kgCO2e (conception + production + distribution).
    fig = _published("sirti_podcast_multi_platform")
    value, low, high = small_hour
    add("SIRTI/Bilobay 2024: one podcast on several platforms", 1000 * fig["value"], "kgCO2e",
        "conception + production + distribution (hosting, listening)", value, low, high,
        "one hour in a small studio, one local guest by metro, the studio with its people",
        "the published figure adds distribution and listening, which a studio hour leaves out; "
        "recording alone is about 40 % of it")
    # SIRTI: one 30-second local radio spot, 1.38 kgCO2e.
    fig = _published("sirti_local_radio_spot_30s")
    value, low, high = small_hour
    add("SIRTI/Bilobay 2024: one 30-second local radio spot", 1000 * fig["value"], "kgCO2e",
        "conception + production + broadcast", value, low, high,
        "one hour in a small studio (a voice-over session), one voice actor by metro",
        "a spot takes well under an hour of studio, and its broadcast is in the published scope; "
        "the two are of the same order, and the published case is a single station's, not a mean")
    # SIRTI: a local radio morning show, 1.1 tCO2e (period not stated).
    fig = _published("sirti_local_radio_morning_show")
    value, low, high = _interval(replace(Scenario(), studio_size="medium", guests_on_site=2, **local),
                                 edition)
    shows = 200     # an assumption: a season of weekday morning shows
    add("SIRTI/Bilobay 2024: a local radio morning show", 1000 * fig["value"], "kgCO2e",
        "conception + production + broadcast; period (one show or a season) not stated",
        value * 3 * shows, low * 3 * shows, high * 3 * shows,
        f"a season of {shows} three-hour shows in a medium studio, two local guests each",
        "the published figure is a hundred times one show (about 11 kgCO2e in the model) and half "
        "a 200-show season: it can only cover many shows (about 100, or a smaller studio), the "
        "period is not stated, and it holds broadcast, which the model leaves out")
    # BBC: remote contribution 0.037 kWh against 17 kgCO2e for an 80 km car round trip.
    fig = _published("bbc_remote_contribution_hour")
    grid = edition.factor(studio.GRID["FR"])["value"]
    remote = edition.factor(studio.REMOTE_CALL)["value"] * 2 + edition.factor(
        studio.REMOTE_WORKSTATION)["value"]
    add("BBC: one-hour remote contribution (energy of the link)", fig["value"] * grid, "kgCO2e",
        "energy of the remote terminal and link only (0.037 kWh, here on the French grid)",
        remote, remote / 2, remote * 2,
        "one remote guest for an hour: a video call on both ends (Impact CO2, devices and network "
        "included) and the guest's workstation",
        "the model counts the devices' manufacture and the network, the BBC figure only the "
        "terminal's energy: both are tiny beside a guest's travel")
    car = edition.factor(studio.TRAVEL["car"][0])
    trip = 80 * car["value"]
    u = car["uncertainty_pct"] / 100
    add("BBC: the guest's 80 km car round trip", 17.0, "kgCO2e", "one car round trip of 80 km",
        trip, trip / (1 + u), trip * (1 + u), "80 vehicle-km with the edition's average car "
        "(ADEME, fuel upstream and manufacture included), its 95 % interval",
        "within the factor's uncertainty: the model's car includes its manufacture and fuel upstream")
    # albert: an edit suite uses about 3 kWh per session (equipment, sub-metered).
    fig = _published("albert_edit_suite_session")
    for size in ("small", "medium"):
        lines = studio_hour_lines(replace(Scenario(), studio_size=size))
        kwh = float(lines.set_index("id").loc["equipment_electricity", "quantity"]) * 8
        add(f"albert: energy of an edit-suite session ({size} studio gear)", fig["value"], "kWh",
            "equipment of an edit suite, sub-metered, per session", kwh, 0.7 * kwh, 1.3 * kwh,
            f"the {size} studio's equipment drawing its power for an 8-hour session (power draws "
            "x0.7 to x1.3, their declared range)",
            "an edit suite is a workstation, screens and monitors: between the small studio's laptop "
            "set-up and the medium studio's consoles and outboard")
    return pd.DataFrame(rows, columns=OUTSIDE_COLUMNS)
