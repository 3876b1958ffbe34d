"""What a methodologist reads beside a total, for people: the total by GHG
Protocol scope and by BEGES category and item, the GWP sets of the factors,
biogenic CO2, both contrails totals and market-based electricity.

Pure functions of a result document (:func:`results.assess`): rows of labels
and figures (:func:`scope_rows`, :func:`beges_rows`, :func:`gwp_rows`), the
HTML of the results panel and of the printable report
(:func:`dimensions_html`, :func:`biogenic_html`) and the rows of the Excel
result sheet (:func:`sheet_rows`). Every label is in French and English.
"""

from __future__ import annotations

from html import escape

from ..dimensions import BEGES_CATEGORIES, BEGES_ITEMS, SCOPE_TOTALS, SCOPES, beges_category_of
from .text import LANGS, number, percent, tr

# A row: (label, kgCO2e, id, level); level 0 a total (scope, BEGES category),
# level 1 a part of it (scope 3 category, BEGES item).
Row = tuple[str, float, str, int]


def scope_rows(result: dict, lang: str) -> list[Row]:
    """Scopes 1, 2 and 3 (every one, even at 0), each scope 3 category with
    emissions below scope 3."""
    i = LANGS.index(lang)
    rows: list[Row] = []
    for scope, kg in result.get("by_scope", {}).items():
        rows.append((SCOPE_TOTALS[scope][i] if scope in SCOPE_TOTALS else scope, kg, scope, 0))
        if scope == "3":
            rows += [(SCOPES[code][i] if code in SCOPES else code, v, code, 1)
                     for code, v in result.get("by_scope3_category", {}).items() if v]
    return rows


def beges_rows(result: dict, lang: str) -> list[Row]:
    """The BEGES categories with emissions (``"2 Émissions indirectes…"``) and,
    below each, its items with emissions (``"2.1 Consommation d'électricité"``)."""
    i = LANGS.index(lang)
    by_item = {k: v for k, v in result.get("by_beges", {}).items() if v}
    rows: list[Row] = []
    for category, labels in BEGES_CATEGORIES.items():
        items = [(k, v) for k, v in by_item.items() if beges_category_of(k) == category]
        if not items:
            continue
        rows.append((f"{category} {labels[i]}", sum(v for _, v in items), category, 0))
        rows += [(f"{k} {BEGES_ITEMS[k][i]}" if k in BEGES_ITEMS else k, v, k, 1) for k, v in items]
    return rows


def gwp_rows(result: dict, lang: str) -> list[Row]:
    """kgCO2e by the GWP set of the factors behind them."""
    sets = result.get("gwp", {}).get("by_set", {})
    return [(tr("gwp_unstated", lang) if name == "unstated" else name, kg, name, 0)
            for name, kg in sets.items() if kg]


def gwp_sentence(result: dict, lang: str, with_mix: bool = True) -> str:
    """The GWP sets used, in one sentence; a mix of IPCC reports is flagged
    (unless ``with_mix`` is False: the caller shows :func:`gwp_mix` apart)."""
    gwp = result.get("gwp", {})
    known = [k for k, v in gwp.get("by_set", {}).items() if v and k != "unstated"]
    if not known and not gwp.get("unstated_kgco2e"):
        return ""
    text = tr("gwp_used", lang, sets=", ".join(known) or "–")
    if gwp.get("unstated_kgco2e"):
        text += " " + tr("gwp_unstated_part", lang, value=number(gwp["unstated_kgco2e"], lang))
    if with_mix and gwp_mix(result, lang):
        text += " " + gwp_mix(result, lang)
    return text


def gwp_mix(result: dict, lang: str) -> str:
    """The warning when the total mixes GWP sets of different IPCC reports ("" if not)."""
    gwp = result.get("gwp", {})
    if not gwp.get("mixed"):
        return ""
    known = [k for k, v in gwp.get("by_set", {}).items() if v and k != "unstated"]
    return tr("gwp_mixed", lang, sets=", ".join(known))


def contrails_rows(result: dict, lang: str) -> list[Row]:
    """Both totals, with and without flight contrails (empty when they are equal)."""
    c = result.get("contrails")
    if not c or c["total_with_contrails_kgco2e"] == c["total_without_contrails_kgco2e"]:
        return []
    return [(tr("contrails_with", lang), c["total_with_contrails_kgco2e"], "include", 0),
            (tr("contrails_without", lang), c["total_without_contrails_kgco2e"], "exclude", 0)]


def contrails_sentence(result: dict, lang: str) -> str:
    """Which family the total uses, and a warning when the file mixes them."""
    c = result.get("contrails")
    if not c:
        return ""
    text = tr("contrails_setting_is", lang,
              setting=tr(f"contrails_{c['setting']}", lang))
    if c.get("mixed"):
        text += " " + tr("contrails_mixed", lang)
    return text


def electricity_rows(result: dict, lang: str) -> list[Row]:
    """Location- and market-based electricity and the market-based total, when a
    supply contract gives a market-based figure (empty otherwise)."""
    e = result.get("electricity")
    if not e or not e.get("kwh_under_contract"):
        return []
    return [(tr("electricity_location", lang), e["location_based_kgco2e"], "location", 0),
            (tr("electricity_market", lang), e["market_based_kgco2e"], "market", 0),
            (tr("total_market_based", lang), e["total_market_based_kgco2e"], "total_market", 0)]


def biogenic_kg(result: dict) -> float | None:
    """Biogenic CO2 [kg] beside the total, None when no line has any (no factor
    of the lines gives it, or those that do give 0)."""
    b = result.get("biogenic_co2")
    return b["kgco2"] if b and b.get("lines") and b["kgco2"] != 0 else None


# ---------------------------------------------------------------------------
# HTML (results panel, printable report)

def _table(header: list[str], rows: list[Row], total: float, lang: str, css: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f'<tr class="cc-level-{level}"><td title="{escape(code)}">{escape(label)}</td>'
        f"<td>{escape(number(kg, lang))}</td>"
        f"<td>{escape(percent(100 * kg / total, lang) if total else '–')}</td></tr>"
        for label, kg, code, level in rows)
    return (f'<table class="cc-table {css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def biogenic_html(result: dict, lang: str) -> str:
    """Biogenic CO2 beside the total (empty text when no factor gives it)."""
    kg = biogenic_kg(result)
    if kg is None:
        return ""
    colon = "\u00a0:" if lang == "fr" else ":"
    return (f'<span class="cc-biogenic" title="{escape(tr("biogenic_note", lang))}">'
            f'{escape(tr("biogenic_co2", lang))}{colon} {escape(number(kg, lang))} kgCO2</span>')


def dimensions_html(result: dict, lang: str) -> str:
    """By scope, by BEGES item, GWP sets, contrails and electricity, as HTML."""
    total = result["total_kgco2e"]
    share = tr("share", lang)
    out = (f"<h4>{escape(tr('by_scope', lang))}</h4>"
           + _table([tr("scope", lang), "kgCO2e", share], scope_rows(result, lang), total, lang,
                    "cc-scopes")
           + f"<h4>{escape(tr('by_beges', lang))}</h4>"
           + _table([tr("beges_item", lang), "kgCO2e", share], beges_rows(result, lang), total,
                    lang, "cc-beges")
           + f'<div class="cc-note">{escape(tr("beges_note", lang))}</div>')
    extra = contrails_rows(result, lang) + electricity_rows(result, lang)
    out += f"<h4>{escape(tr('method_choices', lang))}</h4>"
    if extra:
        out += _table(["", "kgCO2e", share], extra, total, lang, "cc-choices")
    notes = [("cc-note cc-gwp", gwp_sentence(result, lang, with_mix=False)),
             ("cc-bad cc-gwp-mixed", gwp_mix(result, lang)),
             ("cc-note cc-contrails", contrails_sentence(result, lang))]
    out += "".join(f'<p class="{css}">{escape(text)}</p>' for css, text in notes if text)
    return out


# ---------------------------------------------------------------------------
# Excel result sheet

def sheet_rows(result: dict, lang: str) -> list[tuple[str, list]]:
    """Rows of the Excel result sheet (:func:`workbook.workbook_bytes`) for the
    dimensions: tables by scope and by BEGES item (label, kgCO2e, share, id;
    parts indented), kgCO2e by GWP set with the sentence that flags a mix,
    contrails and electricity figures."""
    total = result["total_kgco2e"]

    def table(title: str, first: str, rows: list[Row]) -> list[tuple[str, list]]:
        out = [("td", []), ("h", [title]), ("th", [first, "kgCO2e", tr("share", lang), "id"])]
        out += [("td", [("    " if level else "") + label, float(kg),
                        kg / total if total else 0.0, code]) for label, kg, code, level in rows]
        return out

    rows = table(tr("by_scope", lang), tr("scope", lang), scope_rows(result, lang))
    rows += table(tr("by_beges", lang), tr("beges_item", lang), beges_rows(result, lang))
    rows.append(("note", [tr("beges_note", lang)]))
    rows += table(tr("gwp_by_set", lang), tr("gwp_set", lang), gwp_rows(result, lang))
    if gwp_sentence(result, lang):
        rows.append(("note", [gwp_sentence(result, lang)]))
    choices = contrails_rows(result, lang) + electricity_rows(result, lang)
    if choices:
        rows += table(tr("method_choices", lang), "", choices)
    if contrails_sentence(result, lang):
        rows.append(("note", [contrails_sentence(result, lang)]))
    return rows
