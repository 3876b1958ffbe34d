"""A result as HTML for reading: total (biogenic CO2 beside it), categories,
phases, scopes and BEGES items, GWP sets, contrails and market-based
electricity (:mod:`.dimensions_view`), indicators, equivalences and the
comparison to published means.

Pure functions of a result document (:func:`results.assess`) returning HTML
fragments with every text escaped; the results panel and the printable
report both use them. Numbers follow the language (:func:`.text.number`).
"""

from __future__ import annotations

from html import escape
from typing import Callable

from ..published import published_category_split
from ..results import CATEGORIES
from .dimensions_view import biogenic_html, dimensions_html
from .text import LANGS, number, percent, phase_label, tr

INDICATORS = ("per_hour_of_content", "per_minute_of_content", "per_keur_budget", "per_day",
              "per_episode")
EQUIVALENCES = ("petrol_car_km", "earth_laps_petrol_car", "french_annual_footprints")


def total_html(result: dict, lang: str) -> str:
    """The total in kgCO2e and tCO2e (class ``cc-total`` holds the kgCO2e figure),
    biogenic CO2 beside it where a factor gives some (never in it)."""
    kg = result["total_kgco2e"]
    biogenic = biogenic_html(result, lang)
    return (f'<div class="cc-total-box"><span class="cc-total-label">{escape(tr("total", lang))}'
            f'</span> <span class="cc-total">{escape(number(kg, lang))}</span> kgCO2e '
            f'<span class="cc-total-t">({escape(number(kg / 1000, lang))} tCO2e)</span>'
            + (f" {biogenic}" if biogenic else "") + "</div>")


def _table(header: list[str], rows: list[list[str]], css: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f'<table class="cc-table {css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def categories_html(result: dict, lang: str) -> str:
    """Categories with emissions: kgCO2e, share of the total, and Carbon'Clap
    2024's mean share of that category across all assessments."""
    total = result["total_kgco2e"]
    published = published_category_split()
    i = LANGS.index(lang)
    rows = [[CATEGORIES[k][i] if k in CATEGORIES else k, number(v, lang),
             percent(100 * v / total, lang),
             percent(published[k], lang) if k in published else "–"]
            for k, v in sorted(result["by_category"].items(), key=lambda kv: -kv[1]) if v > 0]
    header = [tr("category", lang), "kgCO2e", tr("share", lang), tr("published_share", lang)]
    return (f"<h4>{escape(tr('by_category', lang))}</h4>" + _table(header, rows, "cc-categories")
            + f'<div class="cc-note">{escape(tr("published_share_note", lang))}</div>')


def phases_html(result: dict, lang: str) -> str:
    """The three phases: kgCO2e and share of the total."""
    total = result["total_kgco2e"]
    rows = [[phase_label(k, lang), number(v, lang), percent(100 * v / total, lang)]
            for k, v in result["by_phase"].items()]
    header = [tr("phase", lang), "kgCO2e", tr("share", lang)]
    return f"<h4>{escape(tr('by_phase', lang))}</h4>" + _table(header, rows, "cc-phases")


def indicators_html(result: dict, lang: str) -> str:
    """kgCO2e per hour and minute of content, per k EUR, per day, per episode."""
    found = [k for k in INDICATORS if k in result["indicators"]]
    head = f"<h4>{escape(tr('indicators', lang))}</h4>"
    if not found:
        return head + f'<p class="cc-note">{escape(tr("no_indicator", lang))}</p>'
    items = "".join(f"<li>{escape(number(result['indicators'][k], lang))} kgCO2e "
                    f"{escape(tr(k, lang))}</li>" for k in found)
    return head + f'<ul class="cc-indicators">{items}</ul>'


def equivalences_html(result: dict, lang: str,
                      factor_name: Callable[[str], str] | None = None) -> str:
    """Petrol-car km, laps of the Earth and French annual footprints, with the
    reference factors they are computed from (named by ``factor_name(id)``
    when given, their ids in the tooltip)."""
    items = []
    for key in EQUIVALENCES:
        entry = result["equivalences"].get(key)
        if entry:
            ids = entry.get("factors") or [entry["factor"]]
            names = [factor_name(i) for i in ids] if factor_name else ids
            items.append(f"<li>{escape(number(entry['value'], lang))} {escape(tr(key, lang))} "
                         f'<span class="cc-ref" title="{escape(", ".join(ids))}">'
                         f'({escape(" ; ".join(names))})</span></li>')
    return (f"<h4>{escape(tr('equivalences', lang))}</h4>"
            f'<ul class="cc-equivalences">{"".join(items)}</ul>')


def benchmark_html(result: dict, lang: str) -> str:
    """Sentences comparing the result to Carbon'Clap 2024's published means, with sources."""
    head = f"<h4>{escape(tr('benchmark', lang))}</h4>"
    entries = list(result.get("benchmark", {}).values())
    if not entries:
        return head + f'<p class="cc-note">{escape(tr("no_benchmark", lang))}</p>'
    colon = "\u00a0:" if lang == "fr" else ":"
    items = "".join(
        f"<li>{escape(entry['text_' + lang])} <span class=\"cc-ref\">("
        f"{escape(tr('source', lang))}{colon} {escape(source_text(entry['source'], lang))}, "
        f"{escape(_confidence(entry['confidence'], lang))})</span></li>" for entry in entries)
    return head + f'<ul class="cc-benchmark">{items}</ul>'


# The published sources' citations are kept as published; the notes in English
# that the benchmark table adds to them are said in French on a French page.
SOURCE_NOTES_FR = {"(via secondary compilation)": "(via une compilation secondaire)",
                   "(press release 5 March 2025)": "(communiqué de presse du 5 mars 2025)"}


def source_text(source: str, lang: str) -> str:
    """A benchmark's source as shown in ``lang`` (see :data:`SOURCE_NOTES_FR`)."""
    if lang == "fr":
        for english, french in SOURCE_NOTES_FR.items():
            source = source.replace(english, french)
    return source


def _confidence(text: str, lang: str) -> str:
    """The benchmark table's confidence note (``confirmed``, ``secondary``...) in ``lang``."""
    for kind in ("confirmed", "secondary"):
        if str(text).startswith(kind):
            return tr(f"confidence_{kind}", lang)
    return str(text)


def summary_html(result: dict, lang: str,
                 factor_name: Callable[[str], str] | None = None) -> str:
    """Every block of the result below the total, or a note when nothing is filled yet.

    ``factor_name(id)``, if given, names the reference factors of the equivalences.
    """
    if result["total_kgco2e"] <= 0:
        return f'<p class="cc-note">{escape(tr("no_result", lang))}</p>'
    return (categories_html(result, lang) + phases_html(result, lang)
            + dimensions_html(result, lang) + indicators_html(result, lang) + equivalences_html(result, lang, factor_name)
            + benchmark_html(result, lang))
