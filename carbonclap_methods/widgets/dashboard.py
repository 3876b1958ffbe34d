"""The dashboard of a folder: its assessments side by side, through the portfolio engine.

Every assessment file of the save folder that reads (the draft and refused
files are listed apart, never fatal) goes through
:func:`portfolio.compute_portfolio` in one pass; the table gives each one's
title, type, stage, total, kgCO2e per hour of content and its three largest
categories; a second table sets the forecast and the final of a production
(same title and type) side by side.
"""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

from ..assessment import load_assessment
from ..errors import CarbonClapError
from ..factors import Edition
from ..portfolio import ASSESSMENT_SUFFIXES, compute_portfolio, load_portfolio
from ..results import CATEGORIES
from ..templates import get_template
from .draft import DRAFT_NAME
from .text import LANGS, number, percent, tr


def readable_files(folder: Path) -> tuple[list[Path], list[str]]:
    """The assessment files of ``folder`` that read, and one message per refused file."""
    good, refused = [], []
    if not Path(folder).is_dir():
        return good, refused
    for path in sorted(Path(folder).iterdir()):
        if path.name == DRAFT_NAME or path.suffix.lower() not in ASSESSMENT_SUFFIXES:
            continue
        try:
            load_assessment(path)
        except CarbonClapError as exc:
            refused.append(str(exc))
            continue
        good.append(path)
    return good, refused


def dashboard_html(folder: Path, edition: Edition, lang: str) -> str:
    """The folder's assessments as an HTML table (or a note when there are none)."""
    good, refused = readable_files(folder)
    head = f"<h4>{escape(tr('dash_title', lang, folder=str(folder)))}</h4>"
    notes = "".join(f'<div class="cc-bad">{escape(tr("dash_refused", lang, message=m))}</div>'
                    for m in refused)
    if not good:
        return head + f'<p class="cc-note">{escape(tr("dash_none", lang))}</p>' + notes
    with tempfile.TemporaryDirectory(prefix="carbonclap-dashboard-") as temp:
        for path in good:                      # the engine reads a folder: the good files
            (Path(temp) / path.name).symlink_to(path.resolve())
        result = compute_portfolio(load_portfolio(temp, progress=False), edition)
    rows = []
    table = result.assessments.sort_values("total_kgco2e", ascending=False)
    for key, row in table.iterrows():
        total = float(row["total_kgco2e"])
        cells = [str(row["title"] or key), _kind(row["type"], lang),
                 tr(str(row["stage"] or "forecast"), lang),
                 number(total / 1000, lang), number(row["kgco2e_per_hour"], lang),
                 _largest(result.by_category.loc[key], total, lang)]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    header = "".join(f"<th>{escape(tr(k, lang))}</th>" for k in
                     ("title", "type", "stage", "dash_total", "dash_per_hour", "dash_top"))
    return (head + f'<table class="cc-table cc-dashboard"><thead><tr>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>' + _pairs_html(table, lang)
            + f'<div class="cc-note">{escape(tr("dash_note", lang, edition=edition.name))}</div>'
            + notes)


def _kind(production_type, lang: str) -> str:
    try:
        return get_template(str(production_type)).label(lang)
    except CarbonClapError:
        return str(production_type)


def _largest(split, total: float, lang: str, count: int = 3) -> str:
    """The ``count`` largest categories of an assessment with their share of its total."""
    i = LANGS.index(lang)
    top = split[split > 0].sort_values(ascending=False).head(count)
    return ", ".join(f"{CATEGORIES[c][i] if c in CATEGORIES else c} ({percent(100 * v / total, lang)})"
                     for c, v in top.items()) or "–"


def _pairs_html(table, lang: str) -> str:
    """Forecast against final for each production (same title and type) saved at both stages."""
    rows = []
    for (title, kind), group in table.groupby(["title", "type"], sort=True, observed=True):
        stages = dict(zip(group["stage"], group["total_kgco2e"]))
        if "forecast" in stages and "final" in stages:
            forecast, final = float(stages["forecast"]), float(stages["final"])
            change = percent(100 * (final / forecast - 1), lang) if forecast else "–"
            cells = [str(title), _kind(kind, lang), number(forecast / 1000, lang),
                     number(final / 1000, lang), ("+" if final > forecast else "") + change]
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    if not rows:
        return ""
    header = "".join(f"<th>{escape(tr(k, lang))}</th>" for k in
                     ("title", "type", "dash_forecast", "dash_final", "dash_change"))
    return (f'<h4>{escape(tr("dash_pairs", lang))}</h4><table class="cc-table cc-dashboard-pairs">'
            f'<thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
