"""The sector report study: Ecoprod's annual report, recomputed over any portfolio.

Ecoprod's *Rapport Carbon'Clap et Label Ecoprod 2024* summarises the
Carbon'Clap assessments of a year: how many by production type and stage,
the mean footprint of each type, tCO2e per hour of content, the split by
category. No portfolio of real assessments is public, so nobody outside can
recompute it; this module computes the same tables over any portfolio
(:func:`carbonclap_methods.portfolio.load_portfolio`: a folder of assessment
files, a long table, a partitioned Parquet dataset) and sets the published
2024 figure beside each, with its citation (``data/published_benchmarks.csv``).

Without a real portfolio, :func:`synthetic_portfolio` builds one from the
example assessments of ``examples/`` with seeded, documented variation. It
is labelled synthetic everywhere it appears (titles, ``results.json``,
charts): its figures say what the method gives on invented productions, not
what the sector emits.

Used by ``studies/sector_report.ipynb``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from . import bundled
from .assessment import PRODUCTION_TYPES
from .errors import StudyError
from .explorer import lang_index
from .portfolio import Portfolio, PortfolioResult, load_portfolio
from .published import AUDIO_TYPES, published
from .results import CATEGORIES
from .charts import Chart, grouped_bars, stacked_bars, titled
from .vocabulary import LANGS

EXAMPLES_DIR = bundled.examples()

# The synthetic portfolio's variation (modelling assumptions, not data: no
# distribution of real assessments is published). Each synthetic assessment
# copies one example (the examples in turn, so every type has the same count)
# and scales it:
# - a production size s ~ lognormal(median 1, log-sd SIZE_SIGMA) multiplies
#   every quantity, the budget and the number of days (a larger or smaller
#   production of the same kind; content duration and episodes unchanged);
#   0.5 puts 90 % of the sizes between 0.44x and 2.3x the example;
# - each line's quantity is further multiplied by lognormal(1, LINE_SIGMA)
#   (productions differ in their mix, not only their size);
# - the stage is final with probability FINAL_SHARE, else forecast.
SIZE_SIGMA = 0.5
LINE_SIGMA = 0.3
FINAL_SHARE = 0.5
SYNTHETIC_NOTE = ("SYNTHETIC portfolio: invented productions built from the example assessments "
                  "with seeded random variation; not real assessments, not the sector's footprint")

# Sound productions (Carbon'Clap's 2025 extension): the 2024 report covers
# audiovisual assessments only, so its all-genre figures (16 tCO2e per hour,
# the category split) are compared with the portfolio's audiovisual
# assessments, never with the sound ones (like with like).
SOUND_TYPES = AUDIO_TYPES
TOP = 5          # the largest categories listed

TEXT = {
    "synthetic": ("Portefeuille SYNTHÉTIQUE (exemples variés au hasard, graine {seed})",
                  "SYNTHETIC portfolio (examples with random variation, seed {seed})"),
    "real": ("Portefeuille : {source}", "Portfolio: {source}"),
    "portfolio": ("Ce portefeuille", "This portfolio"),
    "published": ("Rapport Carbon'Clap 2024", "Carbon'Clap report 2024"),
    "mean": ("Empreinte moyenne par type de production", "Mean footprint by production type"),
    "mean_x": ("tCO2e par production (par épisode pour les séries ; échelle log)",
               "tCO2e per production (per episode for series; log scale)"),
    "hour": ("Empreinte par heure de contenu", "Footprint per hour of content"),
    "hour_x": ("tCO2e par heure de contenu (échelle log)", "tCO2e per hour of content (log scale)"),
    "split": ({"audiovisual": "Répartition par catégorie, audiovisuel (hors son)", "all": "Répartition "
               "par catégorie, tous types", "sound": "Répartition par catégorie, son"},
              {"audiovisual": "Split by category, audiovisual (no sound)", "all": "Split by category, "
               "all types", "sound": "Split by category, sound"}),
    "share": ("Part de l'empreinte [%]", "Share of the footprint [%]"),
    "by_type": ("Répartition par catégorie et par type", "Split by category and production type"),
    "stages": ("Bilans par type et par étape", "Assessments by type and stage"),
    "count": ("Nombre de bilans", "Number of assessments"),
    "stage": ({"forecast": "prévisionnel", "final": "définitif", "other": "autre"},
              {"forecast": "forecast", "final": "final", "other": "other"}),
}


# ---------------------------------------------------------------------------
# The synthetic portfolio

def synthetic_portfolio(assessments: int = 280, seed: int = 2024,
                        examples_dir: str | Path | None = None) -> Portfolio:
    """A SYNTHETIC portfolio: ``assessments`` variations of the example assessments.

    Parameters
    ----------
    assessments : int
        Number of synthetic assessments [count], >= 1; assessment ``i`` copies
        the ``i``-th example (in file-name order, cycling).
    seed : int
        Seed of the variation (same seed, same portfolio).
    examples_dir : str or Path, optional
        Folder of assessment files to vary; default ``examples/``.

    Returns
    -------
    Portfolio
        Lines (pandas) and productions; ids ``syn00001``...; titles start with
        "Synthetic"; ``source`` says it is synthetic. The variation is
        described by :data:`SIZE_SIGMA`, :data:`LINE_SIGMA` and :data:`FINAL_SHARE`.
    """
    if assessments < 1:
        raise StudyError(f"synthetic_assessments: {assessments!r} must be a whole number >= 1")
    base = load_portfolio(examples_dir or EXAMPLES_DIR, progress=False)
    rng = np.random.default_rng(seed)
    examples = list(base.productions.index)
    pick = np.arange(assessments) % len(examples)
    size = rng.lognormal(0.0, SIZE_SIGMA, assessments)
    final = rng.random(assessments) < FINAL_SHARE
    ids = np.array([f"syn{i + 1:05d}" for i in range(assessments)])

    lines = base.lines.drop(columns=["where"], errors="ignore")
    own = lines["assessment"].astype(str).to_numpy()
    rows_of = {name: np.flatnonzero(own == name) for name in examples}
    take = np.concatenate([rows_of[examples[k]] for k in pick])
    owner = np.repeat(np.arange(assessments), [len(rows_of[examples[k]]) for k in pick])
    out = lines.iloc[take].reset_index(drop=True)
    out["assessment"] = pd.Categorical.from_codes(owner, ids)
    noise = rng.lognormal(0.0, LINE_SIGMA, len(out))
    out["quantity"] = out["quantity"].to_numpy(dtype=float) * size[owner] * noise

    source = base.productions.loc[[examples[k] for k in pick]].reset_index(drop=True)
    productions = source.assign(
        assessment=ids,
        title=[f"Synthetic {t} {i + 1}" for i, t in enumerate(source["type"])],
        stage=np.where(final, "final", "forecast"),
        budget_eur=source["budget_eur"].to_numpy() * size,
        days=source["days"].to_numpy() * size,
        source=[f"synthetic from {examples[k]}" for k in pick],
    ).set_index("assessment", drop=False)
    return Portfolio(lines=out, productions=productions,
                     source=f"synthetic portfolio ({assessments} assessments from the examples, "
                            f"seed {seed})")


def synthetic_description(assessments: int, seed: int, examples_dir: str | Path | None = None) -> dict:
    """What ``results.json`` says of a synthetic portfolio: how it was made."""
    return {"synthetic": True, "note": SYNTHETIC_NOTE, "assessments": assessments, "seed": seed,
            "examples": str(examples_dir or "examples/"),
            "size_sigma": SIZE_SIGMA, "line_sigma": LINE_SIGMA, "final_share": FINAL_SHARE,
            "method": "assessment i copies example i mod n (file-name order); every quantity, the "
                      "budget and the days are multiplied by a size s ~ lognormal(1, size_sigma); "
                      "each line's quantity by lognormal(1, line_sigma); stage final with "
                      "probability final_share; durations and episodes are the example's"}


def compute_report_portfolio(edition, portfolio: str = "", productions: str = "",
                             backend: str = "pandas", scheduler: str = "",
                             synthetic_assessments: int = 280, seed: int = 2024
                             ) -> tuple[PortfolioResult, dict | None]:
    """The study's portfolio, computed: the one at ``portfolio`` (any form
    :func:`load_portfolio` reads), else the synthetic one. With ``scheduler``,
    the dask backend runs on that cluster. Returns the result and the
    synthetic description (``None`` for a real portfolio)."""
    from .cluster import connected
    from .portfolio import compute_portfolio

    if portfolio:
        data, synthetic = load_portfolio(portfolio, productions or None, backend=backend,
                                         progress=False), None
    else:
        data = synthetic_portfolio(synthetic_assessments, seed)
        synthetic = synthetic_description(synthetic_assessments, seed)
    with connected(scheduler):
        return compute_portfolio(data, edition, backend=backend), synthetic


# ---------------------------------------------------------------------------
# The report's tables

def _figure(production_type: str, metric: str) -> dict | None:
    table = published()
    rows = table[(table["production_type"] == production_type) & (table["metric"] == metric)]
    if not len(rows):
        return None
    row = rows.iloc[0]
    return {"value": float(row["value"]), "unit": row["unit"], "id": row["id"],
            "source": row["source"], "url": row["url"], "confidence": row["confidence"],
            "notes": row["notes"]}


def _types(frame: pd.DataFrame) -> list[str]:
    found = set(frame["type"])
    return [t for t in PRODUCTION_TYPES if t in found]


def _groups(frame: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """(name, mask) of each type present, then ``audiovisual`` (every type but
    the sound ones, when both kinds are present) and ``all``."""
    kinds = frame["type"].to_numpy()
    groups = [(t, kinds == t) for t in _types(frame)]
    audiovisual = ~np.isin(kinds, SOUND_TYPES)
    if audiovisual.any() and not audiovisual.all():
        groups.append(("audiovisual", audiovisual))
    groups.append(("all", np.ones(len(frame), dtype=bool)))
    return groups


def _scope(frame: pd.DataFrame) -> str:
    """The group the report's all-genre figures are compared with."""
    audiovisual = ~frame["type"].isin(SOUND_TYPES)
    if not audiovisual.any():
        return ""
    return "all" if audiovisual.all() else "audiovisual"


def stages_table(result: PortfolioResult) -> pd.DataFrame:
    """Assessments by production type and stage: ``forecast``, ``final``, ``other``
    (any other or no stage), ``assessments`` [count], ``forecast_share`` and
    ``final_share`` [0-1];
    then ``audiovisual`` and ``all`` (see :func:`_groups`)."""
    frame = result.assessments
    stage = frame["stage"].to_numpy()
    rows = []
    for name, mask in _groups(frame):
        counts = {s: int((stage[mask] == s).sum()) for s in ("forecast", "final")}
        counts["other"] = int(mask.sum()) - counts["forecast"] - counts["final"]
        rows.append({"type": name, **counts, "assessments": int(mask.sum()),
                     "forecast_share": counts["forecast"] / mask.sum(),
                     "final_share": counts["final"] / mask.sum()})
    return pd.DataFrame(rows).set_index("type")


def footprint_table(result: PortfolioResult) -> pd.DataFrame:
    """Per production type (then ``audiovisual`` and ``all``): assessments, mean,
    median, min and max tCO2e per assessment; for series also per episode; tCO2e
    per hour of content (total of the assessments with a duration / their
    hours); beside each, the 2024 published figure and the ratio to it (the
    all-genre hour beside the audiovisual assessments only)."""
    frame = result.assessments
    scope = _scope(frame)
    rows = []
    for kind, mask in _groups(frame):
        own = frame[mask]
        tonnes = own["total_kgco2e"].to_numpy() / 1000
        hours = own["content_minutes"].to_numpy() / 60
        timed = hours > 0
        row = {"type": kind, "assessments": len(own), "mean_tco2e": tonnes.mean(),
               "median_tco2e": float(np.median(tonnes)), "min_tco2e": tonnes.min(),
               "max_tco2e": tonnes.max(), "mean_tco2e_per_episode": math.nan,
               "tco2e_per_hour": tonnes[timed].sum() / hours[timed].sum() if timed.any() else math.nan}
        episodes = own["episodes"].to_numpy()
        if kind == "fiction_series" and (episodes > 0).any():
            row["mean_tco2e_per_episode"] = float(np.mean(tonnes[episodes > 0] / episodes[episodes > 0]))
        metric = "per_episode" if kind == "fiction_series" else "per_production"
        mean = _figure(kind, metric) if kind in PRODUCTION_TYPES else None
        value = row["mean_tco2e_per_episode"] if metric == "per_episode" else row["mean_tco2e"]
        row.update({"published_metric": metric if mean else None,
                    "published_tco2e": mean["value"] if mean else math.nan,
                    "ratio": value / mean["value"] if mean else math.nan,
                    "published_id": mean["id"] if mean else ""})
        hour = _figure(kind, "per_hour") if kind in PRODUCTION_TYPES else \
            _figure("", "per_hour") if kind == scope else None
        row.update({"published_tco2e_per_hour": hour["value"] if hour else math.nan,
                    "ratio_per_hour": row["tco2e_per_hour"] / hour["value"] if hour else math.nan,
                    "published_per_hour_id": hour["id"] if hour else ""})
        rows.append(row)
    return pd.DataFrame(rows).set_index("type")


def category_split(result: PortfolioResult) -> pd.DataFrame:
    """Share of each category in the summed footprint [%] of the audiovisual
    assessments (all of them when there is none: no published figure then),
    beside the 2024 report's share and the difference [percentage points];
    ``rank`` of each in the portfolio (1: largest) and in the report."""
    scope = _scope(result.assessments)
    mask = ~result.assessments["type"].isin(SOUND_TYPES).to_numpy() if scope else \
        np.ones(len(result.assessments), dtype=bool)
    totals = result.by_category[mask].sum(axis=0)
    grand = totals.sum()
    shares = {c: _figure("", f"share_{c}") if scope else None for c in totals.index}
    frame = pd.DataFrame({
        "portfolio_pct": 100 * totals / grand if grand else 0.0 * totals,
        "published_pct": [s["value"] if s else math.nan for s in shares.values()],
        "published_id": [s["id"] if s else "" for s in shares.values()],
    }, index=totals.index)
    frame["difference_points"] = frame["portfolio_pct"] - frame["published_pct"]
    frame["rank"] = frame["portfolio_pct"].rank(ascending=False, method="first").astype(int)
    frame["published_rank"] = frame["published_pct"].rank(ascending=False, method="first")
    frame.index.name = "category"
    return frame


def split_by_type(result: PortfolioResult) -> pd.DataFrame:
    """Share of each category in each production type's summed footprint [%]
    (one row per type, then ``audiovisual`` and ``all``; categories used by some
    assessment)."""
    matrix = result.by_category.to_numpy()
    groups = _groups(result.assessments)
    sums = pd.DataFrame([matrix[mask].sum(axis=0) for _, mask in groups],
                        index=[name for name, _ in groups], columns=result.by_category.columns)
    used = [c for c in sums.columns if sums.at["all", c] > 0]
    return (100 * sums[used].div(sums[used].sum(axis=1), axis=0)).fillna(0.0)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (the index first; NaN as None; ints stay ints)."""
    out = []
    for record in frame.reset_index().to_dict(orient="records"):
        for name, value in record.items():
            if isinstance(value, (np.integer,)):
                record[name] = int(value)
            elif isinstance(value, (float, np.floating)):
                record[name] = None if math.isnan(value) else float(value)
        out.append(record)
    return out


def report_document(result: PortfolioResult, parameters: dict, synthetic: dict | None) -> dict:
    """``results.json`` of the study: every table, the parameters, the edition, the
    citations, and ``synthetic`` (how the portfolio was made, or ``None`` for a real one)."""
    footprint = footprint_table(result)
    split = category_split(result)
    used = set(footprint["published_id"]) | set(footprint["published_per_hour_id"]) | \
        set(split["published_id"])
    table = published()
    citations = [{"benchmark": r["id"], "value": float(r["value"]), "unit": r["unit"],
                  "metric": r["metric"], "production_type": r["production_type"],
                  "source": r["source"], "url": r["url"], "confidence": r["confidence"]}
                 for _, r in table[table["id"].isin(used - {""})].iterrows()]
    largest = split.sort_values("rank").head(TOP)
    by_type = split_by_type(result)
    by_type.index.name = "type"
    return {
        "study": "sector_report", "parameters": dict(parameters),
        "edition": result.edition, "edition_sha256": result.edition_sha256,
        "portfolio": {"source": result.source if not synthetic else "synthetic",
                      "synthetic": bool(synthetic), "generator": synthetic,
                      "assessments": int(len(result.assessments)),
                      "lines": int(result.assessments["lines"].sum()),
                      "total_tco2e": result.total_kgco2e / 1000},
        "stages": _records(stages_table(result)),
        "footprint": _records(footprint),
        "category_split_scope": {"all": "all", "audiovisual": "audiovisual", "": "sound"}[
            _scope(result.assessments)],
        "category_split": _records(split),
        "largest_categories": [{"category": c, "portfolio_pct": float(r["portfolio_pct"]),
                                "published_pct": None if math.isnan(r["published_pct"])
                                else float(r["published_pct"])} for c, r in largest.iterrows()],
        "category_split_by_type": {t: {c: float(v) for c, v in row.items() if v}
                                   for t, row in by_type.iterrows()},
        "citations": sorted(citations, key=lambda c: c["benchmark"]),
        "published_scope": "the report's all-genre figures (per hour, category split) are set "
                           "beside the audiovisual assessments only; sound productions have no "
                           "published figure",
        "notes": [
            "tCO2e per hour of content is a ratio of sums: the total of the assessments that "
            "give a duration divided by their hours (long productions weigh more)",
            "series are compared per episode (the report's metric), the other types per production",
            "shares are of the summed footprint of the audiovisual assessments (large productions "
            "weigh more), as in the report; studio_use has no published share",
            "no mean is published for animation or sound productions (SIRTI/Bilobay publish single "
            "cases of sound productions, not means: see the genre_benchmarks study)",
        ],
    }


def report_table(document: dict) -> pd.DataFrame:
    """``results.csv``: one row per production type (then ``all``), stages and footprints."""
    stages = pd.DataFrame(document["stages"]).set_index("type")
    footprint = pd.DataFrame(document["footprint"]).set_index("type")
    joined = stages.join(footprint.drop(columns="assessments"))
    return joined.reset_index()


# ---------------------------------------------------------------------------
# Charts, in French and English

def _type_labels(lang: str) -> dict[str, str]:
    from .templates import load_templates

    templates = load_templates()
    labels = {t: templates[t].label(lang) if t in templates else t for t in PRODUCTION_TYPES}
    labels["audiovisual"] = "Audiovisuel (hors son)" if lang == "fr" else "Audiovisual (no sound)"
    labels["all"] = "Tous types" if lang == "fr" else "All types"
    return labels


def report_charts(document: dict) -> dict[str, Chart]:
    """``mean_by_type``, ``per_hour``, ``category_split``, ``split_by_type`` and
    ``stages``, each ``_fr`` and ``_en``; every subtitle says whether the
    portfolio is synthetic."""
    charts = {}
    generator = document["portfolio"]["generator"]
    for lang in LANGS:
        i = lang_index(lang)
        types = _type_labels(lang)
        if generator:
            subtitle = TEXT["synthetic"][i].format(seed=generator["seed"])
        else:
            subtitle = TEXT["real"][i].format(source=Path(document["portfolio"]["source"]).name)
        ours, theirs = TEXT["portfolio"][i], TEXT["published"][i]
        footprint = [r for r in document["footprint"] if r["type"] in PRODUCTION_TYPES]
        order = [types[r["type"]] for r in footprint]
        groups = [r for r in document["footprint"] if r["type"] not in PRODUCTION_TYPES]
        rows = []
        for r in footprint:
            mine = r["mean_tco2e_per_episode"] if r["published_metric"] == "per_episode" else r["mean_tco2e"]
            rows.append({"type": types[r["type"]], "source": ours, "tco2e": mine})
            if r["published_tco2e"] is not None:
                rows.append({"type": types[r["type"]], "source": theirs, "tco2e": r["published_tco2e"]})
        charts[f"mean_by_type_{lang}"] = grouped_bars(
            pd.DataFrame(rows), "type", "tco2e", "source", TEXT["mean"][i], TEXT["mean_x"][i], lang,
            y_order=order, log=True, subtitle=subtitle, color_order=[ours, theirs])
        rows = []
        for r in footprint + groups:
            if r["tco2e_per_hour"] is not None:
                rows.append({"type": types[r["type"]], "source": ours, "tco2e": r["tco2e_per_hour"]})
            if r["published_tco2e_per_hour"] is not None:
                rows.append({"type": types[r["type"]], "source": theirs,
                             "tco2e": r["published_tco2e_per_hour"]})
        charts[f"per_hour_{lang}"] = grouped_bars(
            pd.DataFrame(rows), "type", "tco2e", "source", TEXT["hour"][i], TEXT["hour_x"][i], lang,
            y_order=order + [types[r["type"]] for r in groups], log=True, subtitle=subtitle, color_order=[ours, theirs])
        rows = [{"category": CATEGORIES.get(r["category"], (r["category"],) * 2)[i], "source": src,
                 "share": r[key]}
                for r in document["category_split"]
                for src, key in ((ours, "portfolio_pct"), (theirs, "published_pct"))
                if r[key] is not None and (r["portfolio_pct"] or r["published_pct"])]
        charts[f"category_split_{lang}"] = grouped_bars(
            pd.DataFrame(rows), "category", "share", "source", TEXT["split"][i][document["category_split_scope"]],
            TEXT["share"][i],
            lang, y_order=[v[i] for v in CATEGORIES.values()], subtitle=subtitle,
            color_order=[ours, theirs])
        rows = [{"type": types[t], "category": CATEGORIES.get(c, (c, c))[i], "share": v,
                 "order": list(CATEGORIES).index(c) if c in CATEGORIES else len(CATEGORIES)}
                for t, split in document["category_split_by_type"].items() for c, v in split.items()]
        charts[f"split_by_type_{lang}"] = titled(stacked_bars(
            pd.DataFrame(rows), "type", "share", "category", TEXT["by_type"][i], TEXT["share"][i],
            lang, y_order=order + [types[r["type"]] for r in groups],
            color_order=[v[i] for v in CATEGORIES.values()], x_domain=[0, 100]),
            TEXT["by_type"][i], subtitle)
        stage_names = TEXT["stage"][i]
        rows = [{"type": types[r["type"]], "stage": stage_names[s], "assessments": r[s],
                 "order": n}
                for r in document["stages"] if r["type"] in PRODUCTION_TYPES
                for n, s in enumerate(("forecast", "final", "other")) if r[s]]
        charts[f"stages_{lang}"] = titled(stacked_bars(
            pd.DataFrame(rows), "type", "assessments", "stage", TEXT["stages"][i], TEXT["count"][i],
            lang, y_order=order, color_order=list(stage_names.values())), TEXT["stages"][i], subtitle)
    return charts

