"""The page that ends ``make demo``: ``output/index.html``.

Reads what the demo wrote (one result JSON per example, ``summary.csv``, one
folder per study with its ``results.json`` and charts) and writes one HTML
page that opens offline: the headline figure of each example and study, a
chart of each example by category, the charts of each study, and a link to
every file of the output folder. French and English (a button switches);
every table uses one number format (:func:`number`) and gives its units in
the headers. Nothing is loaded from the network: the charts are the studies'
own SVG files and bars drawn in HTML.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
from pathlib import Path

from .errors import CarbonClapError, DemoError, Location
from .files import write_atomic
from .categories import CATEGORIES
from .vocabulary import STAGE_LABELS, localized_number

PAGE = "index.html"


def number(value, lang: str = "en", decimals: int = 1) -> str:
    """The page's one number format: thousands grouped, ``decimals`` decimals;
    ``21,430.3`` in English, ``21 430,3`` in French (narrow no-break space)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return localized_number(f"{float(value):,.{decimals}f}", lang)


def both(en: str, fr: str) -> str:
    """Escaped text in English and French (the page shows one language)."""
    return f'<span lang="en">{html.escape(en)}</span><span lang="fr">{html.escape(fr)}</span>'


def num(value, decimals: int = 1) -> str:
    return both(number(value, "en", decimals), number(value, "fr", decimals))


# ---------------------------------------------------------------------------
# What the demo wrote

def read_examples(output: Path) -> list[tuple[str, dict]]:
    """(name, result document) of every example result in ``output``."""
    found = []
    for path in sorted(output.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DemoError(f"not a readable result ({exc})", Location(path)) from None
        if isinstance(document, dict) and "total_kgco2e" in document:
            found.append((path.stem, document))
    return found


def read_studies(output: Path) -> list[tuple[str, dict]]:
    """(name, results.json) of every study folder in ``output``."""
    found = []
    for folder in sorted(p for p in output.iterdir() if p.is_dir()):
        path = folder / "results.json"
        if path.is_file():
            try:
                found.append((folder.name, json.loads(path.read_text(encoding="utf-8"))))
            except ValueError as exc:
                raise DemoError(f"not valid JSON ({exc})", Location(path)) from None
    return found


# ---------------------------------------------------------------------------
# Headlines of the studies (one sentence each, with its unit)

def study_headline(name: str, document: dict) -> str:
    """The headline figure of a study's ``results.json``, as HTML.

    A study may declare its own (``headline``: ``value``, ``unit``,
    ``label_en``, ``label_fr``); the three studies of the project are read
    from their known keys; any other study is listed with its files only.
    """
    declared = document.get("headline")
    if isinstance(declared, dict) and "value" in declared:
        unit = html.escape(str(declared.get("unit", "")))
        return (f"{both(declared.get('label_en', ''), declared.get('label_fr', ''))}: "
                f"<strong>{num(declared['value'])}</strong> {unit}")
    reader = _HEADLINES.get(name)
    return reader(document) if reader else both("See the study's files below.",
                                                "Voir les fichiers de l'étude ci-dessous.")


_SIZES = {"small": ("small", "petit"), "medium": ("medium", "moyen"), "large": ("large", "grand")}


def _studio_hour(document: dict) -> str:
    studio = document.get("studio", {})
    text = (f"{both(studio.get('label_en', 'Studio'), studio.get('label_fr', 'Studio'))}: "
            f"<strong>{num(document['kgco2e_per_studio_hour'], 2)}</strong> "
            f"{both('kgCO2e per studio hour', 'kgCO2e par heure de studio')}")
    spread = document.get("uncertainty", {}).get("kgco2e_per_studio_hour", {})
    if "p5" in spread and "p95" in spread:
        text += (f" ({both('90 % interval', 'intervalle à 90 %')} {num(spread['p5'], 2)} – "
                 f"{num(spread['p95'], 2)})")
    sizes = document.get("by_size", {})
    if sizes:
        text += "; " + ", ".join(f"{both(*_SIZES.get(size, (size, size)))} "
                                 f"{num(values['kgco2e_per_studio_hour'], 2)}"
                                 for size, values in sizes.items())
    return text


def _audio_scenarios(document: dict) -> str:
    parts = []
    for production in document.get("productions", {}).values():
        totals = [s["total_kgco2e"] for s in production.get("scenarios", {}).values()]
        baseline = production.get("scenarios", {}).get("baseline", {}).get("total_kgco2e")
        parts.append(f"{html.escape(production.get('title', ''))}: <strong>{num(baseline)}</strong> "
                     f"kgCO2e ({both('scenarios', 'scénarios')} {num(min(totals))} – "
                     f"{num(max(totals))} kgCO2e)")
    return "<br>".join(parts)


def _genre_benchmarks(document: dict) -> str:
    ratios = []
    for production in document.get("productions", []):
        comparison = production.get("comparisons", {}).get(production.get("published_metric"), {})
        if "ratio" in comparison:
            ratios.append(comparison["ratio"])
    if not ratios:
        return both("No comparison.", "Aucune comparaison.")
    return (f"{len(ratios)} {both('examples, from', 'exemples, de')} <strong>{num(min(ratios), 2)}</strong>"
            f" {both('to', 'à')} <strong>{num(max(ratios), 2)}</strong> "
            f"{both('times the 2024 Carbon’Clap mean of their genre', 'fois la moyenne 2024 Carbon’Clap de leur genre')}")


def _sector_report(document: dict) -> str:
    from .categories import CATEGORIES
    count = document.get("portfolio", {}).get("generator", {}).get("assessments")
    synthetic = document.get("portfolio", {}).get("synthetic")
    text = (f"<strong>{num(count, 0)}</strong> "
            f"{both('synthetic assessments', 'bilans synthétiques') if synthetic else both('assessments', 'bilans')}"
            if count else "")
    largest = (document.get("largest_categories") or [{}])[0]
    if "category" in largest:
        fr, en = CATEGORIES.get(largest["category"], (largest["category"],) * 2)
        text += (f"; {both('largest category', 'première catégorie')} {both(en, fr)} "
                 f"<strong>{num(largest['portfolio_pct'])} %</strong> "
                 f"({both('2024 report', 'rapport 2024')} {num(largest.get('published_pct'))} %)")
    return text or both("See the study's files below.", "Voir les fichiers de l'étude ci-dessous.")


_HEADLINES = {"studio_hour": _studio_hour, "audio_scenarios": _audio_scenarios,
              "genre_benchmarks": _genre_benchmarks, "sector_report": _sector_report}
# Study names as people read them: (en, fr).
_STUDY_TITLES = {
    "studio_hour": ("One studio hour of sound recording", "Une heure d'enregistrement en studio"),
    "audio_scenarios": ("Audio productions: scenarios", "Productions sonores : scénarios"),
    "genre_benchmarks": ("Examples against the published means of their genre",
                         "Les exemples face aux moyennes publiées de leur genre"),
    "sector_report": ("Sector report over a portfolio", "Rapport sectoriel sur un portefeuille"),
}


def _headline_total(kgco2e: float) -> str:
    """A total in tCO2e from one tonne up, else in kgCO2e (a podcast is not 0.0 t)."""
    if kgco2e >= 1000:
        return f"<strong>{num(kgco2e / 1000, 1)}</strong> tCO2e"
    return f"<strong>{num(kgco2e, 1)}</strong> kgCO2e"


# ---------------------------------------------------------------------------
# The page

def category_bars(by_category: dict) -> str:
    """Horizontal bars of the categories with a non-zero total, largest first."""
    rows = sorted(((k, v) for k, v in by_category.items() if v), key=lambda kv: -kv[1])
    if not rows:
        return ""
    top = max(v for _, v in rows)
    out = ['<table class="bars"><tbody>']
    for key, value in rows:
        fr, en = CATEGORIES.get(key, (key, key))
        width = max(0.5, 100 * value / top)
        out.append(f'<tr><th scope="row">{both(en, fr)}</th><td class="bar">'
                   f'<span style="width:{width:.1f}%"></span></td><td class="n">{num(value)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _stage_label(production: dict) -> str:
    """The stage as the CNC names it, in both languages (its text if unknown)."""
    stage = str(production.get("stage", ""))
    fr, en = STAGE_LABELS.get(stage, (stage, stage))
    return both(en.lower(), fr.lower())


def _type_label(production: dict) -> str:
    """The production type's questionnaire label in both languages (its id if unknown)."""
    from .errors import UnknownTemplate
    from .templates import get_template
    kind = str(production.get("type", ""))
    try:
        template = get_template(kind)
    except UnknownTemplate:
        return html.escape(kind)
    return both(template.label_en, template.label_fr)


def examples_section(examples: list[tuple[str, dict]]) -> str:
    header = (f"<tr><th>{both('Example', 'Exemple')}</th><th>{both('Type', 'Type')}</th>"
              f"<th>{both('Stage', 'Étape')}</th>"
              f"<th class='n'>{both('Total', 'Total')} [kgCO2e]</th>"
              f"<th class='n'>{both('Per hour of content', 'Par heure de contenu')} [kgCO2e/h]</th>"
              f"<th class='n'>{both('Per k EUR of budget', 'Par k€ de budget')} [kgCO2e/kEUR]</th>"
              f"<th>{both('Files', 'Fichiers')}</th></tr>")
    rows, cards = [], []
    for name, document in examples:
        production = document.get("production", {})
        indicators = document.get("indicators", {})
        rows.append(f"<tr><td><a href='#ex-{html.escape(name)}'>{html.escape(production.get('title', name))}</a></td>"
                    f"<td title='{html.escape(str(production.get('type', '')))}'>{_type_label(production)}</td>"
                    f"<td>{_stage_label(production)}</td>"
                    f"<td class='n'>{num(document['total_kgco2e'])}</td>"
                    f"<td class='n'>{num(indicators.get('per_hour_of_content'))}</td>"
                    f"<td class='n'>{num(indicators.get('per_keur_budget'))}</td>"
                    f"<td><a href='{html.escape(name)}.json'>{html.escape(name)}.json</a></td></tr>")
        cards.append(f"<article id='ex-{html.escape(name)}'><h3>{html.escape(production.get('title', name))}</h3>"
                     f"<p class='headline'>{_headline_total(document['total_kgco2e'])} "
                     f"· {both('edition', 'édition')} {html.escape(str(document.get('edition', '')))}</p>"
                     f"<p class='caption'>{both('By result category', 'Par catégorie de résultat')} [kgCO2e]</p>"
                     f"{category_bars(document.get('by_category', {}))}</article>")
    return (f"<section><h2>{both('Examples', 'Exemples')}</h2>"
            f"<p>{both('Every example assessment of examples/, computed with the default factor edition.', 'Chaque bilan d’exemple de examples/, calculé avec l’édition de facteurs par défaut.')}</p>"
            f"<div class='scroll'><table class='summary'><thead>{header}</thead><tbody>{''.join(rows)}</tbody></table></div>"
            f"<div class='cards'>{''.join(cards)}</div></section>")


def studies_section(output: Path, studies: list[tuple[str, dict]]) -> str:
    parts = [f"<section><h2>{both('Studies', 'Études')}</h2>"]
    for name, document in studies:
        folder = output / name
        charts = sorted(folder.glob("*_en.svg"))
        images = []
        for chart in charts:
            french = chart.with_name(chart.name[:-len("_en.svg")] + "_fr.svg")
            images.append(f"<img lang='en' src='{html.escape(name)}/{html.escape(chart.name)}' alt='{html.escape(chart.stem)}'>")
            if french.is_file():
                images.append(f"<img lang='fr' src='{html.escape(name)}/{html.escape(french.name)}' alt='{html.escape(french.stem)}'>")
        loose = sorted(p for p in folder.glob("*.svg") if not p.name.endswith(("_en.svg", "_fr.svg")))
        images += [f"<img src='{html.escape(name)}/{html.escape(p.name)}' alt='{html.escape(p.stem)}'>"
                   for p in loose]
        parts.append(f"<article id='study-{html.escape(name)}'><h3>{both(*_STUDY_TITLES[name]) if name in _STUDY_TITLES else html.escape(name)} "
                     f"<code>{html.escape(name)}</code></h3>"
                     f"<p class='headline'>{study_headline(name, document)}</p>"
                     f"<p class='meta'>{both('edition', 'édition')} {html.escape(str(document.get('edition', '')))}</p>"
                     f"<div class='charts'>{''.join(images)}</div></article>")
    parts.append("</section>")
    return "".join(parts)


def files_section(output: Path) -> str:
    files = sorted(p for p in output.rglob("*") if p.is_file() and p.name != PAGE
                   and not any(part.startswith(".") for part in p.relative_to(output).parts))
    items = "".join(f"<li><a href='{html.escape(p.relative_to(output).as_posix())}'>"
                    f"{html.escape(p.relative_to(output).as_posix())}</a> "
                    f"<span class='meta'>{num(p.stat().st_size / 1024)} kB</span></li>" for p in files)
    return (f"<section><h2>{both('Every file', 'Tous les fichiers')} ({len(files)})</h2>"
            f"<ul class='files'>{items}</ul></section>")


STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:1rem 2rem;color:#222}
html[lang=en] [lang=fr],html[lang=fr] [lang=en]{display:none}
header{display:flex;justify-content:space-between;align-items:center}
table{border-collapse:collapse;margin:.5rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th.n{white-space:normal}
.scroll{overflow-x:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1rem}
article{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.5rem 0}
.headline{font-size:1.1rem}.meta,.caption{color:#666;font-size:.9rem}
table.bars{width:100%}table.bars th{font-weight:normal;width:40%}
td.bar{width:45%}td.bar span{display:block;height:.9rem;background:#4c78a8}
.charts img{max-width:100%;margin:.5rem 1rem .5rem 0;vertical-align:top}
ul.files{columns:2}
"""

SCRIPT = """
function setLang(l){document.documentElement.lang=l;
document.getElementById('lang').textContent=l==='fr'?'English':'Français';}
"""


def render(output: Path) -> str:
    """The page's HTML for the output folder ``output``."""
    examples, studies = read_examples(output), read_studies(output)
    if not examples and not studies:
        raise DemoError("no example result or study folder (run make demo)", Location(output))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>carbonclap-methods: demo</title><style>{STYLE}</style>"
            f"<script>{SCRIPT}</script></head><body>"
            f"<header><h1>{both('carbonclap-methods: what make demo computed', 'carbonclap-methods : ce que make demo a calculé')}</h1>"
            f"<button id='lang' onclick=\"setLang(document.documentElement.lang==='fr'?'en':'fr')\">Français</button></header>"
            f"{examples_section(examples) if examples else ''}"
            f"{studies_section(output, studies) if studies else ''}"
            f"{files_section(output)}</body></html>\n")


def write(output: str | Path) -> Path:
    """Write ``<output>/index.html`` atomically and return its path."""
    output = Path(output)
    if not output.is_dir():
        raise DemoError("no such folder (run make demo first)", Location(output))
    target = output / PAGE
    write_atomic(target, render(output))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write output/index.html from what make demo wrote.")
    parser.add_argument("--output", default="output", help="the demo's output folder")
    args = parser.parse_args(argv)
    try:
        target = write(args.output)
    except CarbonClapError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"open {target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
