"""Study notebooks run with papermill: list, check parameters, run, write outputs.

A study is a notebook ``studies/<name>.ipynb`` whose cell tagged
``parameters`` declares each parameter as ``name: type = default  # help``,
so that ``papermill --help-notebook`` documents it. :func:`parameters` reads
that cell with papermill's own inspection; :func:`check_parameters` refuses
an unknown name, a value of the wrong type or out of its domain before
anything runs; :func:`run` executes the notebook into an output folder, where
the notebook writes ``results.json``, ``results.csv`` and its charts (PNG and
SVG, French and English) through :func:`write_outputs`.

``python -m carbonclap_methods.studies [--output DIR]`` runs every study with
its defaults (``make demo``), with a progress bar.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import re
import sys
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from . import __version__
from .charts import NUMBER_LOCALES, vl_version
from .errors import CarbonClapError, InvalidParameter, StudyError, UnknownStudy
from .explorer import lang_index
from .factors import resolve_edition
from .files import write_atomic
from .render import json_text

ROOT = Path(__file__).resolve().parent.parent
STUDIES_DIR = ROOT / "studies"
OUTPUT_DIR = ROOT / "output"
# Set by the runner from --output, never by -p.
RESERVED = ("output_dir",)
KERNEL = "python3"
LANGS = ("fr", "en")





@dataclass(frozen=True)
class Parameter:
    """One parameter of a study notebook, as declared in its parameters cell."""

    name: str
    type: str       # "str", "int", "float" or "bool"
    default: object
    help: str


# ---------------------------------------------------------------------------
# Finding studies and their parameters

def study_names() -> list[str]:
    """Names of the studies (``studies/*.ipynb``), sorted."""
    return sorted(p.stem for p in STUDIES_DIR.glob("*.ipynb"))


def study_path(name: str) -> Path:
    """The notebook of a study; :class:`UnknownStudy` lists the valid names."""
    path = STUDIES_DIR / f"{name}.ipynb"
    if not re.fullmatch(r"[a-z0-9_]+", name or "") or not path.is_file():
        raise UnknownStudy(f"unknown study {name!r} (studies: {', '.join(study_names()) or 'none'})")
    return path


def parameters(name: str) -> dict[str, Parameter]:
    """The parameters of a study, read from its cell tagged ``parameters``.

    Uses papermill's inspection (``papermill --help-notebook``); defaults are
    the Python literals of the cell.
    """
    import papermill

    found = papermill.inspect_notebook(str(study_path(name)))
    out = {}
    for key, spec in found.items():
        try:
            default = ast.literal_eval(spec["default"])
        except (ValueError, SyntaxError):
            default = spec["default"]
        out[key] = Parameter(key, spec["inferred_type_name"], default, spec["help"] or "")
    return out


def title(name: str) -> str:
    """The study's first Markdown heading (its title)."""
    notebook = json.loads(study_path(name).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return name


def _valid(params: dict[str, Parameter]) -> str:
    return ", ".join(f"{p.name} ({p.type})" for p in params.values() if p.name not in RESERVED)


def convert(param: Parameter, text: str):
    """A command-line value (text) as the parameter's type, or :class:`InvalidParameter`."""
    value = str(text).strip()
    wrong = InvalidParameter(f"parameter {param.name!r} expects {param.type}, got {text!r}")
    if param.type == "int":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise wrong
        return int(value)
    if param.type == "float":
        try:
            number = float(value)
        except ValueError:
            raise wrong from None
        if not math.isfinite(number):
            raise wrong
        return number
    if param.type == "bool":
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if value.lower() not in words:
            raise wrong
        return words[value.lower()]
    return str(text)


def _typed(param: Parameter, value):
    """A Python value checked against the parameter's type (ints are accepted for floats)."""
    if isinstance(value, str):
        return convert(param, value)
    ok = {"int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value),
          "bool": isinstance(value, bool)}.get(param.type, False)
    if not ok:
        raise InvalidParameter(f"parameter {param.name!r} expects {param.type}, got {value!r}")
    return float(value) if param.type == "float" else value


def check_parameters(name: str, values: dict | list[tuple[str, str]] | None = None) -> dict:
    """The study's parameters with ``values`` applied, typed and checked.

    Parameters
    ----------
    name : str
        A study name.
    values : dict or list of (name, value) pairs, optional
        Values given by the user: text from the command line (converted to
        the parameter's type) or Python values.

    Returns
    -------
    dict
        Every parameter of the study (defaults completed), except the
        reserved ``output_dir``.

    Raises
    ------
    InvalidParameter
        For an unknown or reserved name, a value that is not of the
        parameter's type, or a setting out of its domain (an unknown studio
        size, country, travel mode, edition...); the message lists the valid
        parameters.
    """
    params = parameters(name)
    pairs = list(values.items()) if isinstance(values, dict) else list(values or [])
    given = {}
    for key, value in pairs:
        if key not in params or key in RESERVED:
            hint = " (set by --output)" if key in RESERVED else ""
            raise InvalidParameter(f"study {name}: unknown parameter {key!r}{hint}; "
                                   f"valid parameters: {_valid(params)}")
        try:
            given[key] = _typed(params[key], value)
        except InvalidParameter as exc:
            raise InvalidParameter(f"study {name}: {exc}; valid parameters: {_valid(params)}") from None
    result = {k: p.default for k, p in params.items() if k not in RESERVED}
    result.update(given)
    try:
        _check_domain(result)
    except CarbonClapError as exc:
        raise InvalidParameter(f"study {name}: {exc}; valid parameters: {_valid(params)}") from None
    return result


def _check_domain(values: dict) -> None:
    """Settings the notebook would refuse, refused before it runs."""
    from .studio import Scenario

    from .studio import GRID

    if "edition" in values:
        resolve_edition(values["edition"])
    if "alternative_grid" in values and values["alternative_grid"] not in GRID:
        raise CarbonClapError(f"alternative_grid: {values['alternative_grid']!r} is not one of "
                              f"{', '.join(GRID)}")
    if values.get("examples_dir") and not Path(values["examples_dir"]).is_dir():
        raise CarbonClapError(f"examples_dir: {values['examples_dir']!r} is not a folder")
    for key in ("uncertainty_iterations", "seed"):
        if key in values and values[key] < 0:
            raise CarbonClapError(f"{key}: {values[key]!r} must be a whole number >= 0")
    names = {f.name for f in fields(Scenario)}
    settings = {k: v for k, v in values.items() if k in names}
    if settings:
        Scenario(**settings).check()


# ---------------------------------------------------------------------------
# Running

def output_folder(name: str, output_dir: str | os.PathLike | None = None) -> Path:
    """The folder a study writes into: ``output_dir``, or ``output/<name>`` of the repository."""
    return Path(output_dir) if output_dir else OUTPUT_DIR / name


def run(name: str, values: dict | list[tuple[str, str]] | None = None,
        output: str | os.PathLike | None = None, progress: bool = False) -> Path:
    """Check the parameters, then execute the study with papermill.

    The executed notebook is written (atomically) to ``<output>/<name>.ipynb``
    beside the files the study writes. Returns the output folder.

    Raises
    ------
    InvalidParameter
        Before anything runs, for a bad parameter (see :func:`check_parameters`).
    StudyError
        If a cell of the notebook fails; the message names the cell and the
        error, and the executed notebook is kept for inspection.
    """
    import papermill

    path = study_path(name)
    params = check_parameters(name, values)
    folder = output_folder(name, output).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudyError(f"{folder}: cannot create the output folder ({exc.strerror})") from exc
    params["output_dir"] = str(folder)
    target = folder / f"{name}.ipynb"
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".ipynb", dir=folder)
    os.close(fd)
    try:
        papermill.execute_notebook(str(path), tmp, parameters=params, kernel_name=KERNEL,
                                   cwd=str(STUDIES_DIR), progress_bar=progress, log_output=False,
                                   # the kernel warns on stderr about its local TCP transport
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except papermill.PapermillExecutionError as exc:
        os.replace(tmp, target)
        raise StudyError(f"study {name} failed in cell {exc.exec_count}: {exc.ename}: "
                         f"{exc.evalue} (executed notebook: {target})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return folder


# ---------------------------------------------------------------------------
# Outputs

def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Render a chart to PNG bytes, offline (vl-convert; external data refused)."""
    try:
        return vlc.vegalite_to_png(chart.to_dict(), vl_version=vl_version(), scale=scale,
                                   allowed_base_urls=[])
    except ValueError as exc:
        raise CarbonClapError(f"chart could not be rendered to PNG: {exc}") from exc


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to an SVG string, offline (see :func:`carbonclap_methods.charts.to_svg`)."""
    from .charts import to_svg as render

    return render(chart)


def write_outputs(folder: str | os.PathLike, results: dict, table: pd.DataFrame | list[dict],
                  charts: dict[str, alt.TopLevelMixin] | None = None) -> list[Path]:
    """Write a study's files into ``folder``, each atomically.

    ``results.json`` (the ``results`` document, with the package version
    added), ``results.csv`` (``table``) and, for each chart ``name``,
    ``<name>.png`` and ``<name>.svg``. Returns the paths written.
    """
    folder = Path(folder)
    document = {**results, "package_version": __version__}
    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    written = [folder / "results.json", folder / "results.csv"]
    write_atomic(written[0], json_text(document))
    write_atomic(written[1], frame.to_csv(index=False, lineterminator="\n"))
    for chart_name, chart in (charts or {}).items():
        write_atomic(folder / f"{chart_name}.svg", to_svg(chart))
        write_atomic(folder / f"{chart_name}.png", to_png(chart))
        written += [folder / f"{chart_name}.svg", folder / f"{chart_name}.png"]
    return written


def show(paths: list[Path], folder: str | os.PathLike) -> str:
    """The files written, relative to their folder, one per line (for the notebook)."""
    return "\n".join(str(Path(p).relative_to(folder)) for p in paths)


# ---------------------------------------------------------------------------
# Charts (altair; no display side effect; rendered by write_outputs)

def _locale(chart, lang: str):
    return chart.configure(locale=alt.Locale(number=NUMBER_LOCALES[lang_index(lang)]))


def stacked_bars(data: pd.DataFrame, y: str, x: str, color: str, title: str, x_title: str,
                 lang: str = "en", y_order: list | None = None, color_order: list | None = None,
                 facet: str | None = None) -> alt.TopLevelMixin:
    """Horizontal bars of ``x`` by ``y``, stacked by ``color`` (optionally one panel per ``facet``)."""
    base = alt.Chart(data).mark_bar().encode(
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X(f"sum({x}):Q", title=x_title),
        color=alt.Color(f"{color}:N", sort=color_order, title=None, scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=260)),
        order=alt.Order("order:Q") if "order" in data else alt.Undefined,
        tooltip=[f"{y}:N", f"{color}:N", alt.Tooltip(f"{x}:Q", format=".3g")])
    if facet:
        chart = base.properties(width=260).facet(
            row=alt.Row(f"{facet}:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                                   labelFontWeight="bold")),
            title=alt.TitleParams(title, anchor="start")).resolve_scale(x="independent", y="independent")
    else:
        chart = base.properties(width=420, title=alt.TitleParams(title, anchor="start"))
    return _locale(chart, lang)


def tornado(data: pd.DataFrame, title: str, subtitle: str, x_title: str, lang: str = "en",
            increase: str = "increase", decrease: str = "decrease") -> alt.TopLevelMixin:
    """Change of a result against its baseline, one row per assumption, largest swing on top.

    ``data`` holds ``label`` (assumption), ``rank``, ``setting`` (the case, written at
    the bar's end) and ``change`` (the result's change [result unit]). The change axis
    is symmetric-logarithmic, so that a case a hundred times larger than the others
    still leaves them readable.
    """
    frame = data.copy()
    frame["direction"] = frame["change"].map(lambda c: increase if c > 0 else decrease)
    frame = frame.assign(size=frame["change"].abs()).sort_values("size", ascending=False)
    order = list(frame.sort_values("rank", kind="stable")["label"].drop_duplicates())
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    reach = float(frame["size"].max()) if len(frame) else 1.0
    ticks = [t for m in (1, 10, 100, 1000, 10000) for t in (m, 2 * m, 5 * m) if t <= reach * 1.05]
    ticks = sorted({0.0, *ticks, *(-t for t in ticks if t <= -frame["change"].min() * 1.05)})
    x = alt.X("change:Q", title=x_title, scale=alt.Scale(type="symlog"),
              axis=alt.Axis(values=ticks, labelFlush=False))
    bars = alt.Chart().mark_bar(opacity=0.85).encode(
        y=y, x=x, color=alt.Color("direction:N", scale=alt.Scale(domain=[increase, decrease],
                                                                 range=["#d62728", "#2ca02c"]),
                                  title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["label:N", "setting:N", alt.Tooltip("change:Q", format=".3g")])
    right = alt.Chart().mark_text(align="left", dx=3, fontSize=10).encode(
        y=y, x=x, text="setting:N").transform_filter("datum.change > 0")
    left = alt.Chart().mark_text(align="right", dx=-3, fontSize=10).encode(
        y=y, x=x, text="setting:N").transform_filter("datum.change <= 0")
    rule = alt.Chart().mark_rule(color="#333333").encode(x=alt.datum(0))
    chart = alt.layer(bars, right, left, rule, data=frame).properties(
        width=420, title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))
    return _locale(chart, lang)


def dots(data: pd.DataFrame, y: str, x: str, color: str, title: str, x_title: str,
         lang: str = "en", y_order: list | None = None, rule_at: float | None = None,
         subtitle: str = "") -> alt.TopLevelMixin:
    """A dot per row on a logarithmic ``x`` axis (ratios), coloured and shaped by ``color``,
    with a dashed rule at ``rule_at``."""
    encoding = dict(
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=360, grid=True)),
        x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(type="log")))
    points = alt.Chart().mark_point(filled=True, size=90, opacity=0.85).encode(
        **encoding, color=alt.Color(f"{color}:N", title=None, legend=alt.Legend(orient="bottom", columns=2,
                                                                            labelLimit=300)),
        shape=alt.Shape(f"{color}:N", title=None),
        tooltip=[f"{y}:N", f"{color}:N", alt.Tooltip(f"{x}:Q", format=".3g")])
    layers = [points]
    if rule_at is not None:
        layers.insert(0, alt.Chart().mark_rule(color="#333333", strokeDash=[4, 3]).encode(
            x=alt.datum(rule_at)))
    chart = alt.layer(*layers, data=data).properties(
        width=360, title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start"))
    return _locale(chart, lang)


def grouped_bars(data: pd.DataFrame, y: str, x: str, color: str, title: str, x_title: str,
                 lang: str = "en", y_order: list | None = None, log: bool = False,
                 rule_at: float | None = None, subtitle: str = "") -> alt.TopLevelMixin:
    """Horizontal bars of ``x`` by ``y``, side by side by ``color``; an optional rule at ``rule_at``."""
    scale = alt.Scale(type="log") if log else alt.Undefined
    bars = alt.Chart().mark_bar().encode(
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset(f"{color}:N"),
        x=alt.X(f"{x}:Q", title=x_title, scale=scale),
        color=alt.Color(f"{color}:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=300)),
        tooltip=[f"{y}:N", f"{color}:N", alt.Tooltip(f"{x}:Q", format=".3g")])
    layers = [bars]
    if rule_at is not None:
        layers.append(alt.Chart().mark_rule(color="#333333", strokeDash=[4, 3]).encode(
            x=alt.datum(rule_at)))
    chart = alt.layer(*layers, data=data).properties(
        width=420, title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start"))
    return _locale(chart, lang)


# Chart texts: (fr, en).
TEXT = {
    "kg_per_studio_hour": ("kgCO2e par heure de studio", "kgCO2e per studio hour"),
    "change_per_studio_hour": ("Écart en kgCO2e par heure de studio (échelle symlog)",
                               "Change in kgCO2e per studio hour (symlog scale)"),
    "by_category": ("Une heure de studio par catégorie", "One studio hour by category"),
    "sensitivity": ("Quelle hypothèse fait le plus varier le résultat ?",
                    "Which assumption moves the result most?"),
    "sensitivity_sub": ("Une hypothèse à la fois, divisée par 2 ou multipliée par 2, ou remplacée ; "
                        "studio {size}, {value} kgCO2e/h", "One assumption at a time, halved, "
                        "doubled or switched; {size} studio, {value} kgCO2e/h"),
    "increase": ("hausse", "increase"),
    "decrease": ("baisse", "decrease"),
    "size": ({"small": "Petit", "medium": "Moyen", "large": "Grand"},
             {"small": "Small", "medium": "Medium", "large": "Large"}),
}


def number(value: float) -> str:
    """A number for tables: 3 significant digits, thousands grouped above 1,000."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def studio_hour_charts(document: dict, mc=None) -> dict[str, alt.TopLevelMixin]:
    """The studio-hour study's charts, in French and English.

    ``by_category_<lang>``: kgCO2e per studio hour of every size, stacked by
    result category; ``sensitivity_<lang>``: the one-at-a-time sensitivity of
    the chosen size (a tornado). With a Monte Carlo ``mc`` of the chosen
    studio hour (:func:`carbonclap_methods.studio.studio_hour_monte_carlo`):
    ``uncertainty_distribution_<lang>`` (histogram of the draws with p5, p50,
    p95 and the deterministic value), ``uncertainty_interval_<lang>`` (90 %
    interval of each category) and ``uncertainty_tornado_<lang>`` (the
    factors that matter most), all in kgCO2e per studio hour.
    """
    from .charts import distribution_chart, interval_chart, tornado_chart
    from .results import CATEGORIES
    from .studio import UNCERTAINTY_TOP

    charts = {}
    for lang in LANGS:
        i = lang_index(lang)
        sizes = TEXT["size"][i]
        rows = [{"size": sizes[size], "category": labels[i], "kgco2e": values["by_category"].get(c, 0.0),
                 "order": n}
                for size, values in document["by_size"].items()
                for n, (c, labels) in enumerate(CATEGORIES.items())
                if values["by_category"].get(c, 0.0)]
        charts[f"by_category_{lang}"] = stacked_bars(
            pd.DataFrame(rows), "size", "kgco2e", "category", TEXT["by_category"][i],
            TEXT["kg_per_studio_hour"][i], lang, y_order=list(sizes.values()),
            color_order=[labels[i] for labels in CATEGORIES.values()])
        table = pd.DataFrame(document["sensitivity"])
        data = pd.DataFrame({"label": table[f"label_{lang}"], "rank": table["rank"],
                             "setting": table[f"setting_{lang}"], "change": table["change_kgco2e"]})
        value = number(document["kgco2e_per_studio_hour"])
        subtitle = TEXT["sensitivity_sub"][i].format(
            size=sizes[document["studio"]["size"]].lower(),
            value=value.replace(".", ",") if lang == "fr" else value)
        charts[f"sensitivity_{lang}"] = tornado(
            data, TEXT["sensitivity"][i], subtitle, TEXT["change_per_studio_hour"][i], lang,
            TEXT["increase"][i], TEXT["decrease"][i])
        if mc is not None:
            charts[f"uncertainty_distribution_{lang}"] = distribution_chart(mc, lang)
            charts[f"uncertainty_interval_{lang}"] = interval_chart(mc, lang)
            charts[f"uncertainty_tornado_{lang}"] = tornado_chart(mc, UNCERTAINTY_TOP, lang)
    return charts


# ---------------------------------------------------------------------------
# The genre-benchmarks study's document

EXAMPLES_DIR = ROOT / "examples"
GENRE_COLUMNS = ["example", "type", "title", "total_tco2e", "published_metric", "published_tco2e",
                 "ratio", "tco2e_per_hour", "published_tco2e_per_hour", "ratio_per_hour",
                 "ratio_per_hour_all_genres", "kgco2e_per_keur", "published_kgco2e_per_keur",
                 "ratio_per_keur", "benchmarks"]


def genre_budgets(folder: str | os.PathLike | None = None) -> dict[str, dict]:
    """Mean budgets behind the published means (``studies/data/genre_budgets.yaml``):
    production type -> ``{value [k EUR], unit, source}``."""
    from .studio import DATA, _read_yaml

    return dict(_read_yaml(Path(folder or DATA) / "genre_budgets.yaml").get("budgets") or {})


def _citation(entry: dict) -> dict:
    return {k: entry[k] for k in ("benchmark", "source", "url", "confidence")}


def genre_benchmarks_document(edition, examples_dir: str | os.PathLike | None = None,
                              parameters: dict | None = None) -> dict:
    """Every assessment of ``examples_dir`` against the published means of its genre.

    For each production: the total against the published mean per production
    (per episode for series), per hour of content against the genre's and
    all genres' means, and per k EUR of budget against the published mean
    divided by the genre's mean budget (:func:`genre_budgets`), each with its
    citation; where nothing is published for the genre (animation, sound
    productions) the comparison is left out. The category split of all the
    productions together (share of their summed footprint) is set against the
    2024 report's split.

    Returns
    -------
    dict
        ``study``, ``parameters``, ``edition``, ``edition_sha256``,
        ``productions`` (a list), ``category_split`` (``examples_pct``,
        ``published_pct``, ``difference_points`` by category) and ``citations``.
    """
    from .assessment import load_assessment
    from .published import AUDIO_TYPES, published_category_split
    from .results import CATEGORIES, assess

    folder = Path(examples_dir) if examples_dir else EXAMPLES_DIR
    files = sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        raise StudyError(f"{folder}: no assessment file (.yaml, .yml, .json)")
    budgets = genre_budgets()
    productions, citations, sums = [], {}, dict.fromkeys(CATEGORIES, 0.0)
    for path in files:
        result = assess(load_assessment(path), edition)
        kind = result["production"]["type"]
        bench = result["benchmark"]
        comparisons = {k: v for k, v in bench.items()}
        metric = "per_episode" if "per_episode" in bench else "per_production"
        budget = budgets.get(kind)
        per_keur = result["indicators"].get("per_keur_budget")
        if metric in bench and budget and per_keur is not None:
            published = bench[metric]["published_tco2e"] * 1000 / budget["value"]
            comparisons["per_keur"] = {
                "value_kgco2e_per_keur": per_keur, "published_kgco2e_per_keur": published,
                "ratio": per_keur / published, "budget_keur": budget["value"],
                "budget_source": budget["source"],
                **_citation(bench[metric])}
        for entry in comparisons.values():
            citations[entry["benchmark"]] = _citation(entry)
        if kind not in AUDIO_TYPES:       # the report's split is of audiovisual productions
            for category, value in result["by_category"].items():
                sums[category] = sums.get(category, 0.0) + value
        total = result["total_kgco2e"]
        productions.append({
            "example": path.name, "title": result["title"], "type": kind,
            "total_kgco2e": total, "indicators": result["indicators"],
            "published_metric": metric if metric in bench else None,
            "comparisons": comparisons,
            "category_pct": {c: 100 * v / total for c, v in result["by_category"].items() if v},
        })
    grand = sum(sums.values())
    published = published_category_split()
    examples_pct = {c: 100 * sums.get(c, 0.0) / grand for c in CATEGORIES}
    return {
        "study": "genre_benchmarks", "parameters": dict(parameters or {}),
        "edition": edition.name, "edition_sha256": edition.sha256,
        "productions": productions,
        "category_split": {
            "examples_pct": examples_pct, "published_pct": published,
            "difference_points": {c: examples_pct[c] - published[c] for c in published},
            "note": "share of the summed footprint of the audiovisual productions (sound "
                    "productions left out: the report's split is of audiovisual assessments); "
                    "studio_use has no published share",
        },
        "citations": sorted(citations.values(), key=lambda c: c["benchmark"]),
    }


def genre_benchmarks_table(document: dict) -> pd.DataFrame:
    """One row per production (``results.csv``): columns :data:`GENRE_COLUMNS`; t = tCO2e."""
    rows = []
    for p in document["productions"]:
        c = p["comparisons"]
        main = c.get(p["published_metric"] or "", {})
        rows.append({
            "example": p["example"], "type": p["type"], "title": p["title"],
            "total_tco2e": p["total_kgco2e"] / 1000, "published_metric": p["published_metric"],
            "published_tco2e": main.get("published_tco2e"), "ratio": main.get("ratio"),
            "tco2e_per_hour": (p["indicators"].get("per_hour_of_content") or math.nan) / 1000,
            "published_tco2e_per_hour": c.get("per_hour", {}).get("published_tco2e"),
            "ratio_per_hour": c.get("per_hour", {}).get("ratio"),
            "ratio_per_hour_all_genres": c.get("per_hour_all_genres", {}).get("ratio"),
            "kgco2e_per_keur": p["indicators"].get("per_keur_budget"),
            "published_kgco2e_per_keur": c.get("per_keur", {}).get("published_kgco2e_per_keur"),
            "ratio_per_keur": c.get("per_keur", {}).get("ratio"),
            "benchmarks": " ".join(sorted({v["benchmark"] for v in c.values()})),
        })
    return pd.DataFrame(rows, columns=GENRE_COLUMNS)


def genre_benchmarks_charts(document: dict) -> dict[str, alt.TopLevelMixin]:
    """``ratios_<lang>``: each production's ratio to the published means (log scale);
    ``category_split_<lang>``: the productions' category split against the 2024 report's."""
    from .results import CATEGORIES

    metrics = {"per_production": ("par production (ou épisode)", "per production (or episode)"),
               "per_episode": ("par production (ou épisode)", "per production (or episode)"),
               "per_hour": ("par heure de contenu, genre", "per hour of content, genre"),
               "per_hour_all_genres": ("par heure, tous genres", "per hour, all genres"),
               "per_keur": ("par k€ de budget", "per k EUR of budget"),
               "nearest_published": ("chiffre publié le plus proche (son, SIRTI 2024)",
                                     "nearest published figure (sound, SIRTI 2024)")}
    text = {"ratios": ("Rapport aux moyennes publiées (Ecoprod 2024)",
                       "Ratio to the published means (Ecoprod 2024)"),
            "ratios_sub": ("1 = la moyenne du genre ; échelle logarithmique",
                           "1 = the genre's mean; logarithmic scale"),
            "ratio": ("Rapport à la moyenne publiée", "Ratio to the published mean"),
            "split": ("Répartition par catégorie", "Split by category"),
            "split_sub": ("Exemples du projet (tous ensemble) et rapport Carbon'Clap 2024",
                          "The project's examples (all together) and the 2024 Carbon'Clap report"),
            "share": ("Part de l'empreinte [%]", "Share of the footprint [%]"),
            "examples": ("Exemples du projet", "Project examples"),
            "published": ("Rapport Carbon'Clap 2024", "Carbon'Clap report 2024")}
    charts = {}
    for lang in LANGS:
        i = lang_index(lang)
        rows = [{"production": f"{p['title']} ({p['type']})", "metric": metrics[k][i], "ratio": v["ratio"]}
                for p in document["productions"] for k, v in p["comparisons"].items()]
        order = [f"{p['title']} ({p['type']})" for p in document["productions"]]
        charts[f"ratios_{lang}"] = dots(
            pd.DataFrame(rows), "production", "ratio", "metric", text["ratios"][i], text["ratio"][i],
            lang, y_order=order, rule_at=1, subtitle=text["ratios_sub"][i])
        split = document["category_split"]
        rows = [{"category": labels[i], "source": text[src][i], "share": split[f"{src}_pct"].get(c, 0.0)}
                for c, labels in CATEGORIES.items() if c in split["published_pct"]
                for src in ("examples", "published")]
        charts[f"category_split_{lang}"] = grouped_bars(
            pd.DataFrame(rows), "category", "share", "source", text["split"][i], text["share"][i],
            lang, y_order=[labels[i] for c, labels in CATEGORIES.items() if c in split["published_pct"]],
            subtitle=text["split_sub"][i])
    return charts


def audio_scenarios_charts(document: dict) -> dict[str, alt.TopLevelMixin]:
    """``scenarios_<lang>``: every scenario's total, stacked by category, one panel per
    production; ``changes_<lang>``: change against each production's baseline [%]."""
    from .results import CATEGORIES

    text = {"title": ("Scénarios audio par catégorie", "Audio scenarios by category"),
            "kg": ("kgCO2e", "kgCO2e"),
            "changes": ("Écart à la référence de chaque production", "Change from each production's baseline"),
            "changes_sub": ("Une hypothèse changée à la fois", "One assumption changed at a time"),
            "pct": ("Écart [%]", "Change [%]")}
    charts = {}
    for lang in LANGS:
        i = lang_index(lang)
        labels = {k: v[f"label_{lang}"] for k, v in document["scenarios"].items()}
        rows, changes = [], []
        for name, production in document["productions"].items():
            title = f"{production['title']}"
            for key, result in production["scenarios"].items():
                for n, (c, names) in enumerate(CATEGORIES.items()):
                    if result["by_category"].get(c):
                        rows.append({"production": title, "scenario": labels[key], "category": names[i],
                                     "kgco2e": result["by_category"][c], "order": n})
                if key != "baseline":
                    changes.append({"production": title, "scenario": labels[key],
                                    "change_pct": result["change_pct"]})
        order = list(labels.values())
        charts[f"scenarios_{lang}"] = stacked_bars(
            pd.DataFrame(rows), "scenario", "kgco2e", "category", text["title"][i], text["kg"][i], lang,
            y_order=order, color_order=[names[i] for names in CATEGORIES.values()], facet="production")
        charts[f"changes_{lang}"] = grouped_bars(
            pd.DataFrame(changes), "scenario", "change_pct", "production", text["changes"][i],
            text["pct"][i], lang, y_order=order[1:], rule_at=0, subtitle=text["changes_sub"][i])
    return charts


# ---------------------------------------------------------------------------
# make demo: every study with its defaults

def run_all(output: str | os.PathLike = OUTPUT_DIR, progress: bool = True) -> list[Path]:
    """Run every study with its defaults into ``<output>/<name>/``, with a progress bar."""
    from tqdm import tqdm

    folders = []
    names = study_names()
    with tqdm(names, desc="studies", unit="study", disable=not progress) as bar:
        for name in bar:
            bar.set_postfix_str(name)
            folders.append(run(name, None, Path(output) / name))
    return folders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every study with its defaults.")
    parser.add_argument("--output", default=str(OUTPUT_DIR), help="folder of the study folders")
    args = parser.parse_args(argv)
    try:
        folders = run_all(args.output)
    except CarbonClapError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    for folder in folders:
        files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        sys.stdout.write(f"{folder}: {', '.join(files)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
