"""A printable report of an assessment: one standalone HTML page.

Inline CSS and inline SVG charts only, no script and no external resource,
so the page opens and prints the same offline. It holds the production data,
the total, the tables, indicators, equivalences, the comparison to
published means, the charts, the reduction plan if there is one, every
line and the factor edition with its sha256.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Callable

from .. import __version__
from ..dimensions import DATA_QUALITY
from ..factors import Edition
from ..results import CATEGORIES
from ..templates import Template
from . import dimensions_view as dv
from .summary import summary_html, total_html
from .text import LANGS, number, phase_label, tr, unit_label

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2327;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h4 { margin: 1.2rem 0 0.3rem; }
.cc-total-box { font-size: 1.4rem; margin: 1rem 0; } .cc-total { font-weight: 700; }
table { border-collapse: collapse; margin: 0.3rem 0; }
th, td { border-bottom: 1px solid #d7dce0; padding: 0.2rem 0.6rem; text-align: left; }
td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
.cc-ref, .cc-note, .cc-meta { color: #5b6770; font-size: 0.9em; }
tr.cc-level-0 td { font-weight: 600; } tr.cc-level-1 td:first-child { padding-left: 1.4rem; }
.cc-biogenic { color: #5b6770; font-size: 0.7em; white-space: nowrap; }
.cc-charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.cc-plan-report td:nth-child(2) { text-align: left; } .cc-plan-table { margin-top: 0.6rem; }
.cc-charts svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } .cc-charts > div { break-inside: avoid; }
               table { break-inside: auto; } tr { break-inside: avoid; } }
"""


def _production_rows(production: dict, lang: str) -> str:
    cells = []
    for key, unit in (("content_minutes", "unit_minutes"), ("episodes", None),
                      ("budget_eur", "unit_eur"), ("days", "unit_days")):
        if production.get(key) is not None:
            value = number(production[key], lang, digits=6)
            cells.append(f"<tr><td>{escape(tr(key, lang))}</td><td>{escape(value)} "
                         f"{escape(tr(unit, lang)) if unit else ''}</td></tr>")
    if production.get("country"):
        cells.append(f"<tr><td>{escape(tr('country', lang))}</td>"
                     f"<td>{escape(production['country'])}</td></tr>")
    return f'<table class="cc-production">{"".join(cells)}</table>' if cells else ""


def _factor_name(edition: Edition, factor: str, lang: str) -> str:
    table = edition.table
    return str(table.at[factor, f"label_{lang}"]) if factor in table.index else factor


def line_name(record: dict, template: Template | None, edition: Edition, lang: str) -> str:
    """The name of a line record in ``lang``: its questionnaire field's label,
    else its factor's label (else its factor id)."""
    section_id, field_id = record.get("section"), record.get("field")
    if template is not None and section_id in template.section_ids:
        item = next((f for f in template.section(section_id).fields if f.id == field_id), None)
        if item is not None:
            return item.label(lang)
    return _factor_name(edition, record["factor"], lang)


def _lines_table(result: dict, lang: str, label: Callable[[dict], str],
                 edition: Edition) -> str:
    head = "".join(f"<th>{escape(tr(k, lang))}</th>"
                   for k in ("line", "factor", "quantity", "unit", "phase")) + "<th>kgCO2e</th>"
    rows = "".join(
        f"<tr><td>{escape(label(l))}</td><td title=\"{escape(l['factor'])}\">"
        f"{escape(_factor_name(edition, l['factor'], lang))}</td>"
        f"<td>{escape(number(l['quantity'], lang, digits=6))}</td>"
        f"<td title=\"{escape(l['unit'])}\">{escape(unit_label(l['unit'], lang))}</td>"
        f"<td>{escape(phase_label(l['phase'], lang))}</td>"
        f"<td>{escape(number(l['kgco2e'], lang))}</td></tr>"
        for l in sorted(result["lines"], key=lambda l: -l["kgco2e"]) if l["quantity"] > 0)
    return (f"<h4>{escape(tr('report_lines', lang))}</h4>"
            f'<table class="cc-lines"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def report_html(result: dict, lang: str, svgs: dict[str, str], edition: Edition,
                label: Callable[[dict], str], type_label: str = "", stage: str = "",
                today: date | None = None, plan: str = "") -> str:
    """The printable report of a result, as a complete HTML document.

    Parameters
    ----------
    result : dict
        A result document of :func:`results.assess`.
    lang : {"fr", "en"}
    svgs : dict
        Chart kind -> SVG text (empty for a chart with no data).
    edition : Edition
        The edition the result was computed with (named with its sha256).
    label : callable
        Names a line record.
    type_label, stage : str
        The production type and stage, as shown to the user.
    today : date, optional
        Date written in the report (default: today).
    plan : str, optional
        The reduction plan's section (:meth:`.plan_panel.PlanPanel.report_html`).
    """
    production = result["production"]
    title = str(production.get("title") or tr("untitled", lang))
    heading = tr("report_title", lang, title=title)
    charts = "".join(f"<div>{svg}</div>" for svg in svgs.values() if svg)
    made = tr("report_made", lang, date=(today or date.today()).isoformat(),
              version=__version__, edition=edition.name, sha=edition.sha256)
    subtitle = " · ".join(t for t in (type_label, stage) if t)
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(heading)}</title><style>{CSS}</style></head><body>"
            f"<h1>{escape(heading)}</h1><p class=\"cc-meta\">{escape(subtitle)}</p>"
            f"{_production_rows(production, lang)}{total_html(result, lang)}"
            f'{summary_html(result, lang, lambda f: _factor_name(edition, f, lang))}'
            f'<div class="cc-charts">{charts}</div>{plan}'
            f"{_lines_table(result, lang, label, edition)}<p class=\"cc-meta\">{escape(made)}</p>"
            "</body></html>\n")


def workbook_result_rows(result: dict, lang: str, label: Callable[[dict], str],
                         edition: Edition) -> list[tuple[str, list]]:
    """The result sheet of the Excel export (:func:`workbook.workbook_bytes`):
    total with biogenic CO2 and the GWP sets beside it, kgCO2e by category, by
    phase, by GHG scope and by BEGES item, contrails and market-based
    electricity (:func:`.dimensions_view.sheet_rows`), and every line with its
    kgCO2e and data quality, labelled in ``lang`` (ids in a last, technical
    column)."""
    i = LANGS.index(lang)
    total = result["total_kgco2e"]
    share = (lambda v: v / total if total else 0.0)
    rows: list[tuple[str, list]] = [
        ("h", [tr("xlsx_results", lang)]),
        ("note", [tr("xlsx_results_note", lang, edition=edition.name, sha=edition.sha256[:12],
                     draft=tr("xlsx_results_draft", lang) if edition.draft else "")]),
        ("td", [tr("total", lang), float(total), "kgCO2e"])]
    biogenic = dv.biogenic_kg(result)
    if biogenic is not None:
        rows.append(("td", [tr("biogenic_co2", lang), float(biogenic), "kgCO2",
                            tr("biogenic_note", lang)]))
    if dv.gwp_sentence(result, lang):
        rows.append(("td", [tr("gwp_sets", lang), dv.gwp_sentence(result, lang)]))
    rows += [("td", []), ("h", [tr("by_category", lang)]),
             ("th", [tr("category", lang), "kgCO2e", tr("share", lang), "id"])]
    rows += [("td", [CATEGORIES[k][i] if k in CATEGORIES else k, float(v), share(v), k])
             for k, v in sorted(result["by_category"].items(), key=lambda kv: -kv[1]) if v > 0]
    rows += [("td", []), ("h", [tr("by_phase", lang)]),
             ("th", [tr("phase", lang), "kgCO2e", tr("share", lang), "id"])]
    rows += [("td", [phase_label(k, lang), float(v), share(v), k])
             for k, v in result["by_phase"].items()]
    rows += dv.sheet_rows(result, lang)
    rows += [("td", []), ("h", [tr("report_lines", lang)]),
             ("th", [tr("line", lang), tr("factor", lang), tr("quantity", lang), tr("unit", lang),
                     tr("phase", lang), "kgCO2e", tr("data_quality", lang), "id"])]
    rows += [("td", [label(line), _factor_name(edition, line["factor"], lang),
                     float(line["quantity"]), unit_label(line["unit"], lang),
                     phase_label(line["phase"], lang), float(line["kgco2e"]),
                     _quality(line.get("data_quality"), i),
                     f"{line.get('id') or ''} {line['factor']}".strip()])
             for line in result["lines"]]
    return rows


def _quality(level: str | None, i: int) -> str:
    """A line's data-quality level as a person reads it (its id if unknown)."""
    return DATA_QUALITY[level][1][i] if level in DATA_QUALITY else str(level or "")
