"""A result against published averages of its genre (Ecoprod's 2024 report).

The figures are in ``data/published_benchmarks.csv`` with their citations.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import bundled

DATA = bundled.package_data() / "published_benchmarks.csv"
REPORT = "2024 Carbon'Clap"
# Genre names for sentences ("the 2024 Carbon'Clap mean for documentaries").
GENRES = {
    "feature_film": ("longs-métrages", "feature films"),
    "tv_film": ("fictions TV unitaires", "TV films"),
    "fiction_series": ("épisodes de séries de fiction", "fiction series episodes"),
    "short_film": ("courts-métrages", "short films"),
    "documentary": ("documentaires", "documentaries"),
    "entertainment": ("programmes de flux", "entertainment programmes"),
    "magazine_news": ("magazines", "magazines and news"),
    "live_capture": ("captations", "live captures"),
    "advertising": ("films publicitaires", "advertising films"),
    "music_corporate_video": ("clips et films institutionnels", "music and corporate videos"),
}


@lru_cache(maxsize=1)
def published() -> pd.DataFrame:
    """The published benchmarks table (one row per figure, with citations)."""
    return pd.read_csv(DATA, dtype={"production_type": str}, keep_default_na=False)


def _figure(production_type: str, metric: str) -> pd.Series | None:
    table = published()
    rows = table[(table["production_type"] == production_type) & (table["metric"] == metric)]
    return rows.iloc[0] if len(rows) else None


# Sound productions: no Carbon'Clap mean is published; their results are set
# beside the nearest published single figure (metric ``nearest_published``)
# and never beside the audiovisual means.
AUDIO_TYPES = ("podcast", "radio_show", "audio_advertising")
# The scope of each nearest figure in French (the CSV's notes give it in English).
SCOPE_FR = {
    "sirti_podcast_multi_platform": "un podcast diffusé sur plusieurs plateformes ; périmètre "
                                    "conception + production + diffusion ; un cas publié, pas une "
                                    "moyenne",
    "sirti_local_radio_morning_show": "une matinale de radio locale ; périmètre conception + "
                                      "production + diffusion ; période couverte non précisée ; un "
                                      "cas publié, pas une moyenne",
    "sirti_local_radio_spot_30s": "un spot de 30 secondes en radio locale ; périmètre conception + "
                                  "production + diffusion ; un cas publié, pas une moyenne",
}
NO_AUDIO_MEAN = (
    "aucune moyenne Carbon'Clap n'est publiée pour la production sonore",
    "no Carbon'Clap mean is published for sound productions",
)

# What a figure is per: (fr, en).
PER = {
    "per_production": ("par production", "per production"),
    "per_episode": ("par épisode", "per episode"),
    "per_hour": ("par heure de contenu", "per hour of content"),
}


def _ratio_text(ratio: float) -> str:
    """One decimal from 1 up ("2.1"), two significant digits below ("0.012")."""
    return f"{ratio:.1f}" if ratio >= 0.95 else f"{ratio:.2g}"


def _against(value_kgco2e: float, figure: pd.Series) -> dict:
    """A value [kgCO2e] beside a published figure [tCO2e]: the ratio and the citation."""
    return {
        "value_tco2e": value_kgco2e / 1000,
        "published_tco2e": float(figure["value"]),
        "ratio": value_kgco2e / (figure["value"] * 1000),
        "benchmark": figure["id"],
        "source": figure["source"],
        "url": figure["url"],
        "confidence": figure["confidence"],
    }


def _entry(value_kgco2e: float, figure: pd.Series, genre: tuple[str, str] | None, metric: str) -> dict:
    entry = _against(value_kgco2e, figure)
    ratio = entry["ratio"]
    scope_en = f"for {genre[1]}" if genre else "across genres"
    scope_fr = f"des {genre[0]}" if genre else "tous genres confondus"
    return {
        **entry,
        "text_en": f"{_ratio_text(ratio)}x the {REPORT} mean {scope_en} ({PER[metric][1]})",
        "text_fr": _ratio_text(ratio).replace(".", ",") + f" fois la moyenne {REPORT} {scope_fr} "
                   f"({PER[metric][0]})",
    }


def compare_to_published(result: dict) -> dict:
    """Ratios of a result to the published means of its genre.

    Parameters
    ----------
    result : dict
        A result document of :func:`results.assess` (needs ``production.type``,
        ``total_kgco2e`` and ``indicators``).

    Returns
    -------
    dict
        ``per_production`` (or ``per_episode`` for series), ``per_hour`` and
        ``per_hour_all_genres`` where a figure is published and the production
        data allow; each with the value, the published mean [tCO2e], the ratio,
        the benchmark id and citation, and a sentence in French and English.
    """
    kind = result["production"]["type"]
    if kind in AUDIO_TYPES:
        return _nearest_published(result["total_kgco2e"], kind)
    genre = GENRES.get(kind)
    out: dict = {}
    total = result["total_kgco2e"]
    per_episode = result["indicators"].get("per_episode")
    for metric, value in (("per_production", total), ("per_episode", per_episode)):
        figure = _figure(kind, metric)
        if figure is not None and value is not None:
            out[metric] = _entry(value, figure, genre, metric)
    per_hour = result["indicators"].get("per_hour_of_content")
    if per_hour is not None:
        figure = _figure(kind, "per_hour")
        if figure is not None:
            out["per_hour"] = _entry(per_hour, figure, genre, "per_hour")
        out["per_hour_all_genres"] = _entry(per_hour, _figure("", "per_hour"), None, "per_hour")
    return out


def _nearest_published(total_kgco2e: float, kind: str) -> dict:
    """A sound production against the nearest published single figure, scope stated."""
    figure = _figure(kind, "nearest_published")
    if figure is None:
        return {}
    entry = _against(total_kgco2e, figure)
    ratio = entry["ratio"]
    scope = str(figure["notes"])
    value_kg = _ratio_text(figure["value"] * 1000)
    return {"nearest_published": {
        **entry,
        "scope": scope,
        "text_en": f"{_ratio_text(ratio)}x the SIRTI/Bilobay 2024 figure of {value_kg} kgCO2e "
                   f"({scope}); {NO_AUDIO_MEAN[1]}",
        "text_fr": _ratio_text(ratio).replace(".", ",") + " fois le chiffre SIRTI/Bilobay 2024 de "
                   f"{value_kg.replace('.', ',')} kgCO2e ({SCOPE_FR.get(figure['id'], scope)}) ; "
                   f"{NO_AUDIO_MEAN[0]}",
    }}


def published_category_split() -> dict[str, float]:
    """Ecoprod 2024's share of each result category in all assessments [%]."""
    table = published()
    shares = table[table["metric"].str.startswith("share_")]
    return {m.removeprefix("share_"): float(v) for m, v in zip(shares["metric"], shares["value"])}
