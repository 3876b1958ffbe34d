"""Altair chart builders: each returns a chart and displays nothing.

Charts must render with no network. Altair's default HTML renderer loads
Vega from a CDN, and its ``mimetype`` renderer emits
``application/vnd.vegalite.v6.json``, which JupyterLab 4 does not render
(it knows Vega-Lite v3 to v5). :func:`to_svg` therefore renders a chart to a
static SVG string with vl-convert (Vega bundled in the wheel, external data
requests refused), which shows offline in JupyterLab, Voilà, nbviewer and
any browser. Tooltips live in the Vega-Lite spec and work wherever the spec
is rendered interactively; a static SVG has none.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert as vlc

from .errors import CarbonClapError
from .explorer import category_label, lang_index, with_interval

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
# d3-format number locales (the one vl-convert ships as "fr-FR", and d3's default):
# a French chart reads 0,05 where an English one reads 0.05.
NUMBER_LOCALES = (
    {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"],
     "percent": "\u202f%"},
    {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
)
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
    return chart.configure(locale=alt.Locale(number=NUMBER_LOCALES[i]))


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
        return vlc.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version(),
                                   allowed_base_urls=[])
    except ValueError as exc:
        raise CarbonClapError(f"chart could not be rendered to SVG: {exc}") from exc


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes (``v6.4.1`` -> ``6.4``), if vl-convert has it."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else None
