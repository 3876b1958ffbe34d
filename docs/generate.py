"""Pages of the documentation site generated from the project's data.

``conf.py`` runs :func:`generate` at the start of every build, so the
questionnaires, the factor catalogues, the edition READMEs and changelogs, the
studies and the API reference always follow the templates, the editions, the
notebooks and the modules as they are; nothing here is copied by hand. The
pages go to ``docs/generated/`` (not committed); a file is rewritten only
when its text changes, so that an unchanged page is not read again by Sphinx.

Editions are found through :mod:`carbonclap_methods.factors`
(``available_editions``, ``default_edition``, ``load_edition``), templates
through :mod:`carbonclap_methods.templates` and studies through
:mod:`carbonclap_methods.studies`, so a new edition, a moved folder or a new
study flows in without a change here.
"""

from __future__ import annotations

import html
import json
import math
import pkgutil
import re
from pathlib import Path

import carbonclap_methods
from carbonclap_methods import studies
from carbonclap_methods.assessment import PHASES
from carbonclap_methods.factors import available_editions, default_edition, load_edition
from carbonclap_methods.categories import CATEGORIES
from carbonclap_methods.results import equivalences
from carbonclap_methods.templates import list_templates

DOCS = Path(__file__).resolve().parent
OUT = DOCS / "generated"
# Markdown punctuation escaped in table cells (CommonMark backslash escapes).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~$&#!])")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")
# The statement Ecoprod's users know (2024 report, press release of 5 March
# 2025): 16 tCO2e for one hour of content = 1.8 laps of the Earth by petrol car
# = the annual footprint of 1.7 French people (carbonclap_methods/data/
# published_benchmarks.csv, row ecoprod_all_genres_per_hour).
# Rows of an edition that feed no result category (REFERENCE_CATEGORY of factors.py).
OTHER_CATEGORIES = {"reference": ("Valeurs de référence (équivalences)",
                                  "Reference values (equivalences)")}
PUBLISHED_STATEMENT = {"kgco2e": 16000.0, "earth_laps_petrol_car": 1.8,
                       "french_annual_footprints": 1.7}


# ---------------------------------------------------------------------------
# Small helpers

def md(text) -> str:
    """Text safe in a Markdown table cell (no markup, no line break)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def code(text) -> str:
    """Inline code in a Markdown table cell (no escapes inside code spans)."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def number(value) -> str:
    """A factor value as written in its CSV (up to 10 significant digits)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):.10g}"


def anchor(factor_id: str) -> str:
    """The HTML id of a factor's row in its catalogue."""
    return "f-" + factor_id


def factor_link(factor_id: str, edition: str, prefix: str = "..") -> str:
    """Raw HTML link to a factor's row in an edition's catalogue page."""
    href = f"{prefix}/factors/{edition}.html#{anchor(factor_id)}"
    return f'<a class="factor-link" href="{html.escape(href)}"><code>{html.escape(factor_id)}</code></a>'


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` gives one letter per column (l or r)."""
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"] + \
           ["| " + " | ".join(r) + " |" for r in rows]


def category_label(category: str) -> str:
    fr, en = {**OTHER_CATEGORIES, **CATEGORIES}.get(category, (category, category))
    return f"{md(en)} ({md(fr)})" if fr != en else md(en)


def field_category(field, section, edition) -> str:
    """The result category a field's lines feed: the field's own, else its
    section's, else its default factor's (the methodology rule of DESIGN.md)."""
    for holder in (field, section):
        value = getattr(holder, "category", None)
        if value:
            return str(value)
    return str(edition.factor(field.default_factor)["category"])


def _write(path: Path, text: str, written: set) -> None:
    written.add(path.resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _toctree(entries: list[str], maxdepth: int = 1) -> list[str]:
    return ["```{toctree}", f":maxdepth: {maxdepth}", ""] + entries + ["```", ""]


# ---------------------------------------------------------------------------
# Questionnaires

def questionnaire_pages(out: Path, written: set) -> None:
    edition = load_edition(None)
    templates = list_templates()
    index = ["# Questionnaires", "",
             "One page per production type, generated from the templates "
             "(`carbonclap_methods/templates/`). Each field gives the unit the producer "
             "types, the result category its lines feed, and its default factor and the "
             f"factors that may replace it, linked to the catalogue of the default edition "
             f"({edition.name}).", ""]
    index += table(["Production type", "Sections", "Fields"],
                   [[f"[{md(t.label('en'))} ({md(t.label('fr'))})]({t.type}.md)",
                     str(len(t.sections)), str(t.field_count)] for t in templates], "lrr")
    index += [""] + _toctree([t.type for t in templates])
    _write(out / "questionnaires" / "index.md", "\n".join(index), written)
    for template in templates:
        _write(out / "questionnaires" / f"{template.type}.md",
               questionnaire_page(template, edition), written)


def _dimensions(item) -> str:
    """A field's GHG Protocol scope, BEGES item and default data quality, where declared."""
    values = [getattr(item, key, None) for key in ("ghg_scope", "beges", "data_quality")]
    return " · ".join(md(v) for v in values if v)


def _alternatives(choices, edition: str) -> str:
    """The factors that may replace the default: listed when few, folded when many."""
    links = " ".join(factor_link(c, edition) for c in choices)
    if len(choices) <= 3:
        return links
    return f"<details><summary>{len(choices)} factors</summary>{links}</details>"


def questionnaire_page(template, edition) -> str:
    lines = [f"# {md(template.label('en'))} ({md(template.label('fr'))})", "",
             f"Production type `{template.type}`: {len(template.sections)} sections, "
             f"{template.field_count} fields, in the order of the questionnaire. Factors link "
             f"to the catalogue of edition {edition.name} (the default). Print the same with "
             f"`carbonclap template show {template.type}`.", "",
             "Sections: " + " · ".join(
                 f'<a href="#{template.type}-{x.id}">{html.escape(x.label("en"))}</a>'
                 for x in template.sections), ""]
    for section in template.sections:
        lines += [f"## {md(section.label('en'))} ({md(section.label('fr'))})", "",
                  f'<span id="{template.type}-{section.id}"></span>Section `{section.id}`, '
                  f"phase *{section.phase}*.", "",
                  md(section.help("en")), ""]
        if section.help("fr"):
            lines += [f"*{md(section.help('fr'))}*", ""]
        rows = []
        for item in section.fields:
            rows.append([
                f'<span id="{template.type}-{section.id}-{item.id}"></span>`{item.id}`',
                f"{md(item.label('en'))}<br>*{md(item.label('fr'))}*",
                code(item.unit),
                category_label(field_category(item, section, edition)),
                item.phase,
                _dimensions(item),
                factor_link(item.default_factor, edition.name),
                _alternatives(item.choices, edition.name),
            ])
        lines += table(["Field", "Label (EN / FR)", "Unit", "Result category", "Phase",
                        "Scope · BEGES · data quality", "Default factor", "Alternatives"], rows)
        lines += ["", "Help:", ""]
        for item in section.fields:
            lines += [f"- `{item.id}`: {md(item.help('en'))}"]
        lines += [""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Factor catalogues, READMEs and changelogs

def _licence_rules(edition) -> list[tuple[str, str]]:
    """(source prefix, licence) pairs from the datapackage's licences, whose
    titles name the sources in brackets ("Licence Ouverte 2.0 (ADEME Base
    Carbone, ADEME Impact CO2)"); the first two words of a name match the
    start of a factor's source."""
    package = json.loads((edition.path / "datapackage.json").read_text(encoding="utf-8-sig"))
    rules = []
    for licence in package.get("licenses", []):
        found = re.search(r"\(([^)]*)\)", licence.get("title", ""))
        for name in (found.group(1).split(",") if found else []):
            words = name.split()[:2]
            if words:
                rules.append((" ".join(words), licence.get("name", "")))
    return rules


def _sources_licences(edition) -> dict[str, str]:
    """Source -> licence from an edition's sources table, when it has one."""
    table_ = edition.tables.get("sources")
    if table_ is None:
        return {}
    columns = {c.lower(): c for c in table_.columns}
    name = next((columns[c] for c in ("source", "name", "title") if c in columns), None)
    licence = next((columns[c] for c in ("licence", "license") if c in columns), None)
    if not name or not licence:
        return {}
    return {str(s): str(l) for s, l in zip(table_[name], table_[licence])}


def licence_of(source: str, rules: list, sources: dict) -> str:
    if source in sources:
        return sources[source]
    for prefix, licence in rules:
        if str(source).startswith(prefix):
            return licence
    return "as published (see README)"


def catalogue_page(edition, is_default: bool, extra_pages: list[tuple[str, str]]) -> str:
    frame = edition.table
    rules, sources = _licence_rules(edition), _sources_licences(edition)
    lines = [f"# Factor catalogue, edition {edition.name}", "",
             f"Version {md(edition.version)}"
             + (" (the default edition)." if is_default else ".")
             + f" {len(frame)} factors; sha256 of the edition `{edition.sha256}`.", "",
             "Licences: " + ", ".join(f"`{md(l)}`" for l in edition.licences) + ".", ""]
    if extra_pages:
        lines += ["Read with it: " + ", ".join(f"[{title}]({page}.md)"
                                              for title, page in extra_pages) + ".", ""]
    lines += ["Uncertainty is the relative half-width of a 95 % interval (see the method). "
              "Each table is one result category; the id of a row is its anchor.", ""]
    order = list(CATEGORIES) + sorted(set(frame["category"]) - set(CATEGORIES))
    present = [c for c in order if (frame["category"] == c).any()]
    lines += ["Categories: " + " · ".join(
        f'<a href="#c-{c}">{html.escape(c)}</a> ({int((frame["category"] == c).sum())})'
        for c in present), ""]
    for category in order:
        rows = frame[frame["category"] == category]
        if rows.empty:
            continue
        lines += [f"## {category_label(category)}", "",
                  f'<span id="c-{category}"></span>Category `{category}`: {len(rows)} factors.', ""]
        body = []
        for _, row in rows.iterrows():
            source = md(row["source"])
            if isinstance(row.get("url"), str) and row["url"].startswith("http"):
                source = f'<a href="{html.escape(row["url"])}">{html.escape(" ".join(str(row["source"]).split()))}</a>'
            body.append([
                f'<span id="{anchor(row["id"])}"></span>`{row["id"]}`',
                f"{md(row['label_en'])}<br>*{md(row['label_fr'])}*",
                number(row["value"]),
                code(f"{row['unit']}/{row['activity_unit']}"),
                md(row["geography"]), md(_year(row["year"])), source, md(row["source_id"]),
                md(licence_of(row["source"], rules, sources)),
                number(row["uncertainty_pct"]),
                "<details><summary>notes</summary>" + md(row["notes"]) + "</details>"
                if md(row["notes"]) else "",
            ])
        lines += table(["Id", "Factor (EN / FR)", "Value", "Unit", "Geography", "Year", "Source",
                        "Source id", "Licence", "Uncertainty [%]", "Notes"], body,
                       "llrllrlllrl")
        lines += [""]
    return "\n".join(lines)


def _year(value) -> str:
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return "" if value is None else str(value)


def edition_document(path: Path, editions: list[str], title: str) -> str:
    """An edition's README or CHANGELOG as a page: links to another edition's
    README/CHANGELOG point to its page; other relative links become plain text."""
    text = path.read_text(encoding="utf-8")

    def relink(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match.group(0)
        parts = Path(target.split("#")[0]).parts
        name = parts[-1] if parts else ""
        other = parts[-2] if len(parts) >= 2 and parts[-2] in editions else None
        if name in ("README.md", "CHANGELOG.md"):
            edition = other or path.parent.name
            if edition in editions:
                return f"[{label}]({edition}-{name[:-3].lower()}.md)"
        return f"{label} (`{target}`)" if label.strip("`") != target else label

    text = _MD_LINK.sub(relink, text)
    if not text.lstrip().startswith("# "):
        text = f"# {title}\n\n{text}"
    return text


def factor_pages(out: Path, written: set) -> None:
    default = default_edition()
    editions = available_editions()
    index = ["# Factor catalogues", "",
             "One catalogue per edition, generated from its `factors.csv` and "
             "`datapackage.json`, with its README and changelog. An edition is never "
             f"edited after release; the default is **{default}**.", ""]
    rows, entries = [], []
    for name in reversed(editions):
        edition = load_edition(name)
        extra = []
        for doc in ("README.md", "CHANGELOG.md"):
            source = edition.path / doc
            if source.is_file():
                page = f"{name}-{doc[:-3].lower()}"
                title = f"{'README' if doc == 'README.md' else 'Changelog'} of edition {name}"
                _write(out / "factors" / f"{page}.md", edition_document(source, editions, title),
                       written)
                extra.append((title, page))
        _write(out / "factors" / f"{name}.md", catalogue_page(edition, name == default, extra),
               written)
        rows.append([f"[{name}]({name}.md)" + (" (default)" if name == default else ""),
                     md(edition.version), str(len(edition.table)),
                     ", ".join(f"[{t}]({p}.md)" for t, p in extra)])
        entries += [name] + [p for _, p in extra]
    index += table(["Edition", "Version", "Factors", "Documents"], rows, "llrl")
    index += [""] + _toctree(entries)
    _write(out / "factors" / "index.md", "\n".join(index), written)


# ---------------------------------------------------------------------------
# Studies

def study_pages(out: Path, written: set) -> None:
    names = studies.study_names()
    index = ["# Studies", "",
             "The reproducible studies of `studies/`, rendered from the outputs committed "
             "with each notebook (nothing is executed to build this site). Run one with "
             "`carbonclap study run NAME`.", ""]
    index += table(["Study", "Title"], [[f"[`{n}`]({n}.ipynb)", md(studies.title(n))]
                                        for n in names])
    index += [""] + _toctree(names)
    _write(out / "studies" / "index.md", "\n".join(index), written)
    for name in names:
        _write(out / "studies" / f"{name}.ipynb", study_notebook(studies.study_path(name)),
               written)


def study_notebook(path: Path) -> str:
    """A study notebook as committed, its outputs untouched; in markdown cells,
    links to files of the repository (``data/studio_small.yaml``), which are
    not pages of the site, become plain text naming the file."""
    notebook = json.loads(path.read_text(encoding="utf-8"))

    def relink(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match.group(0)
        return f"{label} (`{target}`)" if label.strip("`") != target else label

    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = _MD_LINK.sub(relink, source)
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------------------
# API reference

def api_modules() -> list[str]:
    """Every module of the package, sorted by name (new modules flow in)."""
    found = pkgutil.walk_packages(carbonclap_methods.__path__, "carbonclap_methods.")
    return sorted(m.name for m in found if not m.name.rsplit(".", 1)[-1].startswith("_")
                  and not m.name.endswith("__main__"))


def api_page(out: Path, written: set) -> None:
    """One page per module (autodoc + numpydoc) and an index listing them."""
    modules = api_modules()
    lines = ["# API reference", "",
             "Generated from the docstrings of every module of `carbonclap_methods` "
             "(autodoc with numpydoc). The command line is the stable surface; these "
             "modules are what it calls, from the vocabulary at the bottom (units, "
             "factors) to what draws and serves (charts, widgets, cli).", ""]
    lines += table(["Module", "Summary"],
                   [[f"[`{m}`]({m}.md)", md(_summary(m))] for m in modules])
    lines += [""] + _toctree(modules)
    _write(out / "api" / "index.md", "\n".join(lines), written)
    for module in modules:
        page = [f"# `{module}`", "", "```{eval-rst}", f".. automodule:: {module}",
                "   :members:", "```", ""]
        _write(out / "api" / f"{module}.md", "\n".join(page), written)


def _summary(module: str) -> str:
    """First line of a module's docstring."""
    import importlib

    doc = importlib.import_module(module).__doc__ or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


# ---------------------------------------------------------------------------
# Tables of the method page (included by method.md)

def method_tables(out: Path, written: set) -> None:
    edition = load_edition(None)
    target = out / "method"
    _write(target / "categories.md", categories_table(edition), written)
    _write(target / "phases.md", phases_table(), written)
    _write(target / "equivalences.md", equivalences_table(edition), written)
    _write(target / "money.md", money_tables(edition), written)
    _write(target / "uncertainty.md", uncertainty_table(edition), written)
    _write(target / "dimensions.md", dimensions_tables(), written)


def categories_table(edition) -> str:
    feeds: dict[str, dict[tuple, list[str]]] = {c: {} for c in CATEGORIES}
    for template in list_templates():
        for section in template.sections:
            for item in section.fields:
                category = field_category(item, section, edition)
                feeds.setdefault(category, {}).setdefault((section.id, item.id), []).append(
                    template.type)
    rows = []
    for category, fields in feeds.items():
        listed = "; ".join(
            f'<a href="generated/questionnaires/{types[0]}.html#{types[0]}-{s}-{f}"><code>{s}.{f}</code></a>'
            f" ({len(types)} types)" for (s, f), types in sorted(fields.items()))
        count = int((edition.table["category"] == category).sum())
        rows.append([f"`{category}`", category_label(category), str(count), listed or "none"])
    return "\n".join(table(["Id", "Category (EN / FR)", f"Factors in {edition.name}",
                            "Questionnaire fields that feed it (section.field)"], rows, "llrl")) + "\n"


def phases_table() -> str:
    counts: dict[str, set] = {p: set() for p in PHASES}
    for template in list_templates():
        for section in template.sections:
            for item in section.fields:
                counts.setdefault(item.phase, set()).add(f"{section.id}.{item.id}")
    rows = [[f"`{p}`", str(len(fields))] for p, fields in counts.items()]
    return "\n".join(table(["Phase", "Distinct questionnaire fields in this phase"], rows, "lr")) + "\n"


def _vocabulary_label(entry) -> str:
    """English label of a vocabulary entry: ``(fr, en)``, or ``(pct, (fr, en))``
    for data-quality levels (their uncertainty %)."""
    if isinstance(entry, (tuple, list)) and len(entry) == 2:
        if isinstance(entry[1], (tuple, list)):
            return f"{entry[1][1]} (uncertainty {number(entry[0])} %)"
        return str(entry[1])
    return str(entry)


def dimensions_tables() -> str:
    """Fields by GHG Protocol scope and by BEGES item (vocabulary of dimensions.py)."""
    from carbonclap_methods import dimensions

    out = []
    for key, vocabulary, title in (("ghg_scope", getattr(dimensions, "SCOPES", {}), "GHG Protocol scope"),
                                   ("beges", getattr(dimensions, "BEGES_ITEMS", {}), "BEGES item (v5)"),
                                   ("data_quality", getattr(dimensions, "DATA_QUALITY", {}),
                                    "Default data quality")):
        fields: dict[str, set] = {}
        for template in list_templates():
            for section in template.sections:
                for item in section.fields:
                    value = getattr(item, key, None)
                    if value:
                        fields.setdefault(str(value), set()).add(f"{section.id}.{item.id}")
        if not fields:
            continue
        rows = []
        for value in [v for v in vocabulary if v in fields] + sorted(set(fields) - set(vocabulary)):
            label = _vocabulary_label(vocabulary.get(value, value))
            rows.append([f"`{value}`", md(label), str(len(fields[value])),
                         ", ".join(f"`{f}`" for f in sorted(fields[value]))])
        out += table([title, "Label", "Fields", "Questionnaire fields (section.field)"], rows, "llrl")
        out += [""]
    return "\n".join(out) if out else "No field declares a scope, a BEGES item or a data quality.\n"


def equivalences_table(edition) -> str:
    rows = []
    for key, factor_id in edition.equivalences.items():
        row = edition.factor(factor_id)
        rows.append([f"`{key}`", factor_link(factor_id, edition.name, "generated"),
                     number(row["value"]), code(f"{row['unit']}/{row['activity_unit']}"),
                     md(row["source"]), md(row["source_id"])])
    lines = table(["Equivalence", "Reference factor", "Value", "Unit", "Source", "Source id"],
                  rows, "llrlll")
    computed = equivalences(PUBLISHED_STATEMENT["kgco2e"], edition)
    lines += ["", f"The published statement, recomputed with edition {edition.name}:", ""]
    statement = []
    for key in ("earth_laps_petrol_car", "french_annual_footprints"):
        if key in computed:
            statement.append([f"`{key}`", f"{PUBLISHED_STATEMENT[key]:.1f}",
                              f"{float(computed[key]['value']):.2f}"])
    lines += table(["16 tCO2e as", "Published (Ecoprod 2024)", f"Edition {edition.name}"],
                   statement, "lrr")
    return "\n".join(lines) + "\n"


def money_tables(edition) -> str:
    lines = []
    note = edition.settings.get("deflator_note")
    if note:
        lines += [f"Deflator of edition {edition.name}: `{md(edition.settings.get('deflator'))}`. "
                  + md(note), ""]
    for name, frame in sorted(edition.tables.items()):
        columns = [c for c in frame.columns if c != "notes"]
        lines += [f"**`{name}.csv`** of edition {edition.name}:", ""]
        lines += table([md(c) for c in columns],
                       [[md(number(v) if isinstance(v, float) else v) for v in r]
                        for r in frame[columns].itertuples(index=False)])
        lines += [""]
    return "\n".join(lines)


def uncertainty_table(edition) -> str:
    frame = edition.table
    counts = frame["uncertainty_pct"].value_counts().sort_index()
    rows = []
    for pct, count in counts.items():
        sigma = math.log(1 + pct / 100) / 1.96
        rows.append([number(pct), str(int(count)), f"{sigma:.4f}",
                     f"{100 * (math.exp(sigma ** 2 / 2) - 1):.1f}"])
    return "\n".join(table(["Uncertainty u [%]", f"Factors in {edition.name}", "sigma = ln(1 + u) / 1.96",
                            "Mean above median [%]"], rows, "rrrr")) + "\n"


# ---------------------------------------------------------------------------

def generate(out: Path = OUT) -> list[Path]:
    """Write every generated page under ``out``; remove pages no longer produced."""
    written: set = set()
    questionnaire_pages(out, written)
    factor_pages(out, written)
    study_pages(out, written)
    api_page(out, written)
    method_tables(out, written)
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in written:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(written)


if __name__ == "__main__":
    for page in generate():
        print(page)
