"""The rows of an assessment's result charts: by category, by phase, top
lines, and against the published means of its genre.

Each chart is built from a small table of rows (:func:`category_rows`,
:func:`phase_rows`, :func:`line_rows`, :func:`benchmark_rows`), so that a
view can tell whether a chart would change before drawing it again. The
charts themselves are built by :mod:`carbonclap_methods.charts`
(:func:`~carbonclap_methods.charts.bar_chart`, :func:`benchmark_chart` with
:func:`~carbonclap_methods.charts.paired_bars`) and rendered offline by
:func:`carbonclap_methods.charts.to_svg`.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ..charts import BENCH_COLORS, paired_bars
from ..results import CATEGORIES
from .text import LANGS, phase_label, tr

TOP_LINES = 10
# Labels are shortened here rather than by Vega (``labelLimit``): Vega measures
# the text again and again to fit it, which makes vl-convert several times slower.
LABEL_CHARS = 34
BENCH_METRICS = ("per_production", "per_episode", "per_hour", "per_hour_all_genres")


def short(label: str, chars: int = LABEL_CHARS) -> str:
    """``label`` cut to ``chars`` characters, an ellipsis marking the cut."""
    return label if len(label) <= chars else label[:chars - 1].rstrip() + "…"


def category_rows(result: dict, lang: str) -> tuple[tuple[str, float], ...]:
    """(category label, kgCO2e) of the categories with emissions, largest first."""
    labels = {k: short(v[LANGS.index(lang)]) for k, v in CATEGORIES.items()}
    rows = [(labels.get(k, k), v) for k, v in result["by_category"].items() if v > 0]
    return tuple(sorted(rows, key=lambda r: -r[1]))


def phase_rows(result: dict, lang: str) -> tuple[tuple[str, float], ...]:
    """(phase label, kgCO2e) of the three phases, in production order."""
    return tuple((phase_label(k, lang), v) for k, v in result["by_phase"].items())


def line_rows(result: dict, label: Callable[[dict], str],
              n: int = TOP_LINES) -> tuple[tuple[str, float], ...]:
    """(line label, kgCO2e) of the ``n`` lines that emit most, largest first.

    ``label`` names a line record of ``result["lines"]``; labels are cut to
    :data:`LABEL_CHARS`, and two lines with the same label are told apart by
    their rank.
    """
    lines = sorted((l for l in result["lines"] if l["kgco2e"] > 0), key=lambda l: -l["kgco2e"])
    rows, seen = [], set()
    for position, record in enumerate(lines[:n], start=1):
        name = short(label(record))
        if name in seen:
            name = short(label(record), LABEL_CHARS - 5) + f" ({position})"
        seen.add(name)
        rows.append((name, record["kgco2e"]))
    return tuple(rows)


def benchmark_rows(result: dict, lang: str) -> tuple[tuple[str, str, float], ...]:
    """(comparison label, series label, tCO2e): this production and the published
    mean, for each published comparison of :func:`published.compare_to_published`."""
    rows = []
    for metric in BENCH_METRICS:
        entry = result.get("benchmark", {}).get(metric)
        if entry:
            name = short(tr(f"bench_{metric}", lang))
            rows.append((name, tr("this_production", lang), entry["value_tco2e"]))
            rows.append((name, tr("published_mean", lang), entry["published_tco2e"]))
    return tuple(rows)


def benchmark_chart(rows, lang: str):
    """Grouped horizontal bars: this production against the published mean
    [tCO2e] for each comparison of :func:`benchmark_rows`."""
    data = pd.DataFrame(list(rows), columns=["label", "series", "value"])
    series = [tr("this_production", lang), tr("published_mean", lang)]
    return paired_bars(data, series, list(BENCH_COLORS), tr("chart_benchmark", lang),
                       tr("chart_t", lang), lang)

