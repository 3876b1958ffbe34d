"""Altair chart builders: each returns a chart and displays nothing.

Charts must render with no network. Altair's default HTML renderer loads
Vega from a CDN, and its ``mimetype`` renderer emits
``application/vnd.vegalite.v6.json``, which JupyterLab 4 does not render
(it knows Vega-Lite v3 to v5). :func:`to_svg` therefore renders a chart to a
static SVG string with vl-convert (Vega bundled in the wheel, external data
requests refused), which shows offline in JupyterLab, Voilà, nbviewer and
any browser. Tooltips live in the Vega-Lite spec and work wherever the spec
is rendered interactively; a static SVG has none. :func:`to_png` renders
a PNG the same way (the studies write both).

Every altair chart of the package is built here (factor, uncertainty, study
and app charts); the studies and the app's widgets assemble the rows and the
texts in the reader's language and call these builders. Each chart carries
its number locale (``config.locale``: decimal comma and grouped thousands in
French), which vl-convert and Vega apply to axes, labels and tooltips.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from .errors import ChartError
from .explorer import category_label, lang_index, with_interval
from .results import CATEGORIES
from .uncertainty import contributions, summary
from .vocabulary import FRENCH_THOUSANDS, localized_number

# Axis, tooltip and title texts: (fr, en).
_TEXT = {
    "x": ("kgCO2e par unité [unité entre crochets]", "kgCO2e per unit [unit in brackets]"),
    "factor": ("Facteur", "Factor"),
    "value": ("Valeur [kgCO2e/unité]", "Value [kgCO2e/unit]"),
    "low": ("Borne basse 95 %", "95 % low"),
    "high": ("Borne haute 95 %", "95 % high"),
    "uncertainty": ("Incertitude [%]", "Uncertainty [%]"),
    "geography": ("Géographie", "Geography"),
    "year": ("Année", "Year"),
    "source": ("Source", "Source"),
    "source_id": ("Identifiant source", "Source id"),
    "title": ("Facteurs d'émission", "Emission factors"),
    "subtitle": ("Barres : valeur ; traits : intervalle à 95 % (lognormal)",
                 "Bars: value; whiskers: 95 % interval (lognormal)"),
}
# d3-format number locales, (fr, en). French: vl-convert's "fr-FR" with the app's
# separators (vocabulary.localized_number, widgets.text.percent): a narrow no-break
# space between thousands (14 183), a no-break space before % (12 %); a French chart
# reads 0,05 and 14 183 where an English one reads 0.05 and 14,183 (d3's default).
NUMBER_LOCALES = (
    {"decimal": ",", "thousands": FRENCH_THOUSANDS, "grouping": [3], "currency": ["", "\u00a0€"],
     "percent": "\u00a0%"},
    {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
)
# The app's colours and bar-area width [px] (its labels add about 200 px).
BAR_COLOR = "#2f6f5e"
BENCH_COLORS = ("#2f6f5e", "#b0b7bf")
APP_WIDTH = 250
# A chart of any kind (what the builders return).
Chart = alt.TopLevelMixin
CHART_COLUMNS = ["factor", "id", "value_kgco2e", "low_kgco2e", "high_kgco2e", "activity_unit",
                 "uncertainty_pct", "geography", "year", "source", "source_id"]


def chart_data(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The rows a factor chart draws, largest value first.

    Keeps emission factors only (``value_kgco2e`` not NaN), adds the 95 %
    interval (``low_kgco2e``, ``high_kgco2e`` [kgCO2e per activity unit], see
    :func:`carbonclap_methods.explorer.interval`) and a bar label ``factor``: ``"<label> [<activity unit>]"``, followed by the
    factor id where two labels would be the same.
    """
    lang_index(lang)
    rows = frame[frame["value_kgco2e"].notna()]
    rows = with_interval(rows).sort_values("value_kgco2e", ascending=False, kind="stable")
    label = rows[f"label_{lang}"] + " [" + rows["activity_unit"] + "]"
    duplicated = label.duplicated(keep=False)
    rows["factor"] = label.where(~duplicated, label + " · " + rows["id"])
    return rows[CHART_COLUMNS].reset_index(drop=True)


def category_chart(frame: pd.DataFrame, lang: str = "en",
                   title: str | None = None) -> alt.LayerChart:
    """Horizontal bars of factors with their 95 % interval as error bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        Factor rows, e.g. ``explorer.search(edition, category="electricity")``;
        reference values (no kgCO2e) are left out.
    lang : {"en", "fr"}, default "en"
        Language of labels, axis, tooltips and title, and number format
        (decimal comma in French).
    title : str, optional
        Chart title; by default the category's label when the frame holds a
        single category.

    Returns
    -------
    altair.LayerChart
        Bars of ``value_kgco2e`` [kgCO2e per activity unit] by factor, and
        error bars from ``low_kgco2e`` to ``high_kgco2e``: the lognormal 95 %
        interval ``value / (1 + u)`` to ``value * (1 + u)``, ``u`` =
        ``uncertainty_pct / 100`` (ADEME's uncertainty read as the relative
        half-width of a 95 % interval). Tooltips give the value, interval,
        uncertainty, geography, year, source and source id.
    """
    i = lang_index(lang)
    data = chart_data(frame, lang)
    order = list(data["factor"])
    y = alt.Y("factor:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    x_axis = alt.Axis(title=_TEXT["x"][i], tickCount=6)
    bars = alt.Chart().mark_bar(color="#4c78a8").encode(
        y=y, x=alt.X("value_kgco2e:Q", axis=x_axis), tooltip=_tooltip(i))
    whiskers = alt.Chart().mark_errorbar(ticks=True, color="#222222").encode(
        y=y, x=alt.X("low_kgco2e:Q", axis=x_axis), x2="high_kgco2e:Q")
    heading = alt.TitleParams(title or _title(frame, lang), subtitle=_TEXT["subtitle"][i],
                              anchor="start")
    chart = alt.layer(bars, whiskers, data=data, title=heading).properties(width=420)
    return localized(chart, lang)


def _tooltip(i: int) -> list[alt.Tooltip]:
    def tip(field, key, **kw):
        return alt.Tooltip(field, title=_TEXT[key][i], **kw)
    return [tip("factor:N", "factor"), tip("value_kgco2e:Q", "value", format=".4g"),
            tip("low_kgco2e:Q", "low", format=".4g"), tip("high_kgco2e:Q", "high", format=".4g"),
            tip("uncertainty_pct:Q", "uncertainty"), tip("geography:N", "geography"),
            tip("year:O", "year"), tip("source:N", "source"), tip("source_id:N", "source_id")]


def _title(frame: pd.DataFrame, lang: str) -> str:
    categories = frame["category"].unique() if "category" in frame else []
    if len(categories) == 1:
        return category_label(categories[0], lang)
    return _TEXT["title"][lang_index(lang)]


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to a standalone SVG string, offline.

    Vega and Vega-Lite come bundled with vl-convert; requests for external
    data are refused (``allowed_base_urls=[]``), so the result never depends
    on the network. Number formats follow the chart's ``config.locale``.

    Raises
    ------
    CarbonClapError
        If the chart cannot be rendered (e.g. it points at external data).
    """
    try:
        return vlc.vegalite_to_svg(chart.to_dict(), vl_version=vl_version(),
                                   allowed_base_urls=[])
    except ValueError as exc:
        raise ChartError(f"chart could not be rendered to SVG: {exc}") from exc


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    """Render a chart to PNG bytes, offline (vl-convert; external data refused).

    Raises
    ------
    ChartError
        If the chart cannot be rendered.
    """
    try:
        return vlc.vegalite_to_png(chart.to_dict(), vl_version=vl_version(), scale=scale,
                                   allowed_base_urls=[])
    except ValueError as exc:
        raise ChartError(f"chart could not be rendered to PNG: {exc}") from exc


def vl_version() -> str | None:
    """The Vega-Lite version Altair writes (``v6.4.1`` -> ``6.4``), if vl-convert has it."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else None


# ---------------------------------------------------------------------------
# Uncertainty charts (Monte Carlo results of carbonclap_methods.uncertainty)

_MC_TEXT = {
    "kg": ("kgCO2e", "kgCO2e"),
    "total": ("Total [kgCO2e]", "Total [kgCO2e]"),
    "count": ("Tirages", "Draws"),
    "statistic": ("Statistique", "Statistic"),
    "p5": ("5e centile", "5th percentile"),
    "p50": ("Médiane", "Median"),
    "p95": ("95e centile", "95th percentile"),
    "deterministic": ("Calcul déterministe", "Deterministic total"),
    "factor": ("Facteur", "Factor"),
    "share": ("Part de la variance", "Share of the variance"),
    "low": ("Total, facteur au bas de son intervalle", "Total, factor at its 95 % low"),
    "high": ("Total, facteur au haut de son intervalle", "Total, factor at its 95 % high"),
    "uncertainty": ("Incertitude [%]", "Uncertainty [%]"),
    "group": ("Groupe", "Group"),
    "dist_title": ("Distribution du total (Monte Carlo)", "Distribution of the total (Monte Carlo)"),
    "dist_sub": ("{n} tirages ; traits : 5e centile, médiane, 95e centile, calcul déterministe",
                 "{n} draws; rules: 5th percentile, median, 95th percentile, deterministic total"),
    "int_title": ("Intervalles à 90 % (5e - 95e centile)", "90 % intervals (5th - 95th percentile)"),
    "int_sub": ("Point : médiane ; trait : calcul déterministe",
                "Point: median; tick: deterministic value"),
    "tor_title": ("Facteurs qui comptent le plus", "Factors that matter most"),
    "tor_sub": ("Total quand un facteur parcourt son intervalle à 95 %, les autres à leur valeur",
                "Total when one factor spans its 95 % interval, the others at their values"),
}


def _mc(key: str, i: int, **fields) -> str:
    return _MC_TEXT[key][i].format(**fields)


def distribution_chart(mc, lang: str = "en", bins: int = 40) -> alt.LayerChart:
    """Histogram of the Monte Carlo totals, with rules at p5, p50, p95 and the
    deterministic total.

    Parameters
    ----------
    mc : carbonclap_methods.uncertainty.MonteCarlo
        A Monte Carlo result.
    lang : {"en", "fr"}, default "en"
    bins : int, default 40
        Number of histogram bins (computed with numpy, so the chart holds
        ``bins`` rows, not one per draw).

    Returns
    -------
    altair.LayerChart
        Bars: number of draws per bin of the total [kgCO2e]; rules: the
        statistics, coloured, with a legend.
    """
    i = lang_index(lang)
    counts, edges = np.histogram(mc.totals, bins=bins)
    hist = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts})
    stats = summary(mc.totals)
    rules = pd.DataFrame({"statistic": [_mc(k, i) for k in ("p5", "p50", "p95", "deterministic")],
                          "value": [stats["p5"], stats["p50"], stats["p95"], mc.deterministic_total]})
    bars = alt.Chart(hist).mark_bar(color="#9ecae9").encode(
        x=alt.X("start:Q", title=_mc("total", i), bin="binned"), x2="end:Q",
        y=alt.Y("count:Q", title=_mc("count", i)),
        tooltip=[alt.Tooltip("start:Q", format=".4g"), alt.Tooltip("end:Q", format=".4g"),
                 alt.Tooltip("count:Q", title=_mc("count", i))])
    lines = alt.Chart(rules).mark_rule(strokeWidth=2).encode(
        x="value:Q", color=alt.Color("statistic:N", title=_mc("statistic", i),
                                     sort=list(rules["statistic"])),
        tooltip=[alt.Tooltip("statistic:N", title=_mc("statistic", i)),
                 alt.Tooltip("value:Q", title=_mc("kg", i), format=".4g")])
    n = localized_number(f"{mc.iterations:,}", lang)                 # 5 000 / 5,000
    heading = alt.TitleParams(_mc("dist_title", i), subtitle=_mc("dist_sub", i, n=n),
                              anchor="start")
    chart = alt.layer(bars, lines, title=heading).properties(width=420, height=220)
    return localized(chart, lang)


def interval_chart(mc, lang: str = "en") -> alt.LayerChart:
    """The 90 % interval (p5 - p95) of each group of a Monte Carlo result
    (categories by default), with its median and its deterministic value.

    Returns
    -------
    altair.LayerChart
        One row per group [kgCO2e]: an error bar from p5 to p95, a point at
        the median and a tick at the deterministic value; categories are
        labelled in ``lang``.
    """
    i = lang_index(lang)
    rows = []
    for group in mc.by_group.columns:
        stats = summary(mc.by_group[group])
        label = category_label(group, lang) if mc.by == "category" and group in CATEGORIES \
            else str(group)
        rows.append({"group": label, "p5": stats["p5"], "p50": stats["p50"], "p95": stats["p95"],
                     "deterministic": float(mc.deterministic_by_group[group])})
    data = pd.DataFrame(rows, columns=["group", "p5", "p50", "p95", "deterministic"])
    data = data.sort_values("p50", ascending=False, kind="stable")
    y = alt.Y("group:N", sort=list(data["group"]), title=None, axis=alt.Axis(labelLimit=300))
    x_axis = alt.Axis(title=_mc("kg", i))
    tooltip = [alt.Tooltip("group:N", title=_mc("group", i))] + [
        alt.Tooltip(f"{k}:Q", title=_mc(k, i), format=".4g") for k in ("p5", "p50", "p95", "deterministic")]
    whiskers = alt.Chart().mark_errorbar(ticks=True, color="#4c78a8").encode(
        y=y, x=alt.X("p5:Q", axis=x_axis), x2="p95:Q")
    median = alt.Chart().mark_point(filled=True, color="#4c78a8", size=50).encode(
        y=y, x="p50:Q", tooltip=tooltip)
    det = alt.Chart().mark_tick(color="#e45756", thickness=2).encode(y=y, x="deterministic:Q",
                                                                     tooltip=tooltip)
    heading = alt.TitleParams(_mc("int_title", i), subtitle=_mc("int_sub", i), anchor="start")
    chart = alt.layer(whiskers, median, det, data=data, title=heading).properties(width=420)
    return localized(chart, lang)


def tornado_chart(mc, top: int = 10, lang: str = "en") -> alt.LayerChart:
    """Tornado chart of the factors that matter most.

    Parameters
    ----------
    mc : carbonclap_methods.uncertainty.MonteCarlo
        A Monte Carlo result.
    top : int, default 10
        Number of factors shown, largest share of the variance of the total first.
    lang : {"en", "fr"}, default "en"

    Returns
    -------
    altair.LayerChart
        One bar per factor (labelled in ``lang``, its id in the tooltip) from
        the total with that factor at the low end of
        its 95 % interval to the total with it at the high end, the others at
        their values [kgCO2e] (:func:`carbonclap_methods.uncertainty.contributions`);
        a rule at the deterministic total; the share of the variance in the tooltip.
    """
    i = lang_index(lang)
    data = contributions(mc).head(top)
    data["label"] = data[f"label_{'fr' if i == 0 else 'en'}"].where(data["label_en"] != "", data["factor"])
    y = alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=300))
    tooltip = [alt.Tooltip("label:N", title=_mc("factor", i)), alt.Tooltip("factor:N", title="id"),
               alt.Tooltip("share:Q", title=_mc("share", i), format=".1%"),
               alt.Tooltip("uncertainty_pct:Q", title=_mc("uncertainty", i)),
               alt.Tooltip("low_kgco2e:Q", title=_mc("low", i), format=".4g"),
               alt.Tooltip("high_kgco2e:Q", title=_mc("high", i), format=".4g")]
    bars = alt.Chart(data).mark_bar(color="#f58518").encode(
        y=y, x=alt.X("low_kgco2e:Q", title=_mc("total", i), scale=alt.Scale(zero=False)),
        x2="high_kgco2e:Q", tooltip=tooltip)
    rule = alt.Chart(pd.DataFrame({"value": [mc.deterministic_total]})).mark_rule(
        color="#222222").encode(x="value:Q")
    heading = alt.TitleParams(_mc("tor_title", i), subtitle=_mc("tor_sub", i), anchor="start")
    chart = alt.layer(bars, rule, title=heading).properties(width=420)
    return localized(chart, lang)


def localized(chart: Chart, lang: str) -> Chart:
    """``chart`` with the number locale of ``lang`` (:data:`NUMBER_LOCALES`)."""
    return chart.configure(locale=alt.Locale(number=NUMBER_LOCALES[lang_index(lang)]))


def titled(chart: Chart, title: str, subtitle=alt.Undefined) -> Chart:
    """``chart`` with a new title (and subtitle), anchored at the start."""
    return chart.properties(title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))


def stacked_bars(data: pd.DataFrame, y: str, x: str, color: str, title: str, x_title: str,
                 lang: str = "en", y_order: list | None = None, color_order: list | None = None,
                 facet: str | None = None, x_domain: list | None = None) -> alt.TopLevelMixin:
    """Horizontal bars of ``x`` by ``y``, stacked by ``color`` (optionally one panel per
    ``facet``; ``x_domain`` fixes the axis, e.g. [0, 100] for shares)."""
    base = alt.Chart(data).mark_bar().encode(
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X(f"sum({x}):Q", title=x_title,
                scale=alt.Scale(domain=x_domain, nice=False) if x_domain else alt.Undefined),
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
    return localized(chart, lang)


def tornado(data: pd.DataFrame, title: str, subtitle: str, x_title: str, lang: str = "en",
            increase: str = "increase", decrease: str = "decrease") -> alt.TopLevelMixin:
    """Change of a result against its baseline, one row per assumption, largest swing on top.

    ``data`` holds ``label`` (assumption), ``rank``, ``setting`` (the case, written at
    the bar's end) and ``change`` (the result's change [result unit]). The change axis
    is linear, so that a bar twice as long is a change twice as large.
    """
    frame = data.copy()
    frame["direction"] = frame["change"].map(lambda c: increase if c > 0 else decrease)
    frame = frame.assign(size=frame["change"].abs()).sort_values("size", ascending=False)
    order = list(frame.sort_values("rank", kind="stable")["label"].drop_duplicates())
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    low, high = min(0.0, float(frame["change"].min())), max(0.0, float(frame["change"].max()))
    pad = 0.2 * (high - low) or 1.0      # room for the settings written beyond the bars' ends
    x = alt.X("change:Q", title=x_title, axis=alt.Axis(labelFlush=False, tickCount=8),
              scale=alt.Scale(domain=[low - 1.5 * pad if low < 0 else 0.0, high + pad], nice=False))
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
    return localized(chart, lang)


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
    return localized(chart, lang)


def grouped_bars(data: pd.DataFrame, y: str, x: str, color: str, title: str, x_title: str,
                 lang: str = "en", y_order: list | None = None, log: bool = False,
                 rule_at: float | None = None, subtitle: str = "",
                 color_order: list | None = None, note: str | None = None) -> alt.TopLevelMixin:
    """Horizontal bars of ``x`` by ``y``, side by side by ``color`` (in ``color_order``);
    an optional rule at ``rule_at``; ``note``: a text column written beside the
    bar's start where it is not empty (a bar of length 0 that would show nothing)."""
    scale = alt.Undefined
    if log:     # the axis starts at the power of ten below the smallest bar, so every bar shows
        smallest = data.loc[data[x] > 0, x].min()
        scale = alt.Scale(type="log", domainMin=10 ** math.floor(math.log10(smallest))
                          if smallest == smallest else alt.Undefined)
    bars = alt.Chart().mark_bar().encode(
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset(f"{color}:N", sort=color_order or alt.Undefined),
        # side by side, never stacked (a stacked bar from 0 cannot be drawn on a log scale)
        x=alt.X(f"{x}:Q", title=x_title, scale=scale, stack=None if log else alt.Undefined),
        color=alt.Color(f"{color}:N", title=None, sort=color_order or alt.Undefined,
                        legend=alt.Legend(orient="bottom", labelLimit=300)),
        tooltip=[f"{y}:N", f"{color}:N", alt.Tooltip(f"{x}:Q", format=".3g")])
    layers = [bars]
    if rule_at is not None:
        layers.append(alt.Chart().mark_rule(color="#333333", strokeDash=[4, 3]).encode(
            x=alt.datum(rule_at)))
    if note is not None and (data[note].astype(str) != "").any():
        layers.append(alt.Chart().transform_filter(f"datum['{note}'] != ''").mark_text(
            align="left", baseline="middle", dx=4, fontSize=10, color="#333333").encode(
            y=alt.Y(f"{y}:N", sort=y_order),
            yOffset=alt.YOffset(f"{color}:N", sort=color_order or alt.Undefined),
            x=alt.X(f"{x}:Q"), text=alt.Text(f"{note}:N")))
    chart = alt.layer(*layers, data=data).properties(
        width=420, title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start"))
    return localized(chart, lang)


# ---------------------------------------------------------------------------
# The app's charts (rows and texts assembled by carbonclap_methods.widgets)

def bar_chart(rows, lang: str, title: str, x_title: str,
              colors: list[str] | None = None) -> alt.Chart:
    """Horizontal bars of (label, value) rows, in the given order.

    Parameters
    ----------
    rows : sequence of (str, float)
        Bar label and value [the unit of ``x_title``].
    lang : {"fr", "en"}
        Number format of the axis (decimal comma in French).
    title, x_title : str
        Chart and axis titles.
    colors : list of str, optional
        One colour per bar, in the rows' order (no legend: the labels name the
        bars); by default every bar in :data:`BAR_COLOR`, with a tooltip.
    """
    data = pd.DataFrame(list(rows), columns=["label", "value"])
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))
    x = alt.X("value:Q", title=x_title, axis=alt.Axis(tickCount=5))
    base = alt.Chart(data, title=alt.TitleParams(title, anchor="start"))
    if colors is None:
        chart = base.mark_bar(color=BAR_COLOR).encode(
            y=y, x=x, tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=".3~f")])
    else:
        chart = base.mark_bar().encode(y=y, x=x, color=alt.Color(
            "label:N", sort=order, legend=None, scale=alt.Scale(domain=order, range=colors)))
    return localized(chart.properties(width=APP_WIDTH), lang)


def paired_bars(data: pd.DataFrame, series: list[str], colors: list[str], title: str,
                x_title: str, lang: str) -> alt.Chart:
    """Horizontal bars of ``value`` by ``label`` (in the data's order), the two
    ``series`` side by side in ``colors``, a legend below."""
    chart = alt.Chart(data, title=alt.TitleParams(title, anchor="start")).mark_bar().encode(
        y=alt.Y("label:N", sort=list(dict.fromkeys(data["label"])), title=None,
                axis=alt.Axis(labelLimit=0)),
        yOffset=alt.YOffset("series:N", sort=series),
        x=alt.X("value:Q", title=x_title, axis=alt.Axis(tickCount=5)),
        color=alt.Color("series:N", sort=series, title=None,
                        scale=alt.Scale(domain=series, range=colors),
                        legend=alt.Legend(orient="bottom")),
    ).properties(width=APP_WIDTH)
    return localized(chart, lang)
