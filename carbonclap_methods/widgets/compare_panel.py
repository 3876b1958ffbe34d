"""Forecast against final in the app: keep or load a forecast, see the change.

The CNC asks for a forecast assessment (bilan prévisionnel) and a final one
(bilan définitif). Here the user keeps the assessment being filled as the
forecast (or loads a forecast file), then fills or opens the final one: the
panel shows, as ``carbonclap compare`` does (:func:`compare.compare_results`,
same matching of lines), the change by category and the lines that change
most, with a chart of both stages by category. A forecast that carries a
reduction plan (its ``plan:`` block) is also shown with its plan applied
(:func:`compare.planned_total`, as ``compare`` does) against the assessment being
filled. The forecast's results are computed once; each change of the
assessment only compares two results.
"""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w
import pandas as pd

from ..assessment import Assessment
from ..charts import BENCH_COLORS, paired_bars, to_svg
from ..compare import change, compare_results, planned_total
from ..errors import CarbonClapError
from ..factors import Edition
from ..levers import load_levers
from ..results import CATEGORIES, assess
from .files_panel import file_upload
from .result_charts import short
from .text import LANGS, number, percent, tr

TOP_LINES = 8


def change_rows(comparison: dict, lang: str) -> tuple[tuple[str, float, float], ...]:
    """(category label, forecast, current [kgCO2e]) of each category with emissions."""
    i = LANGS.index(lang)
    return tuple((CATEGORIES[k][i] if k in CATEGORIES else k, v["forecast_kgco2e"],
                  v["final_kgco2e"]) for k, v in comparison["by_category"].items())


def compare_chart(rows, lang: str):
    """Grouped horizontal bars: forecast and current assessment by category [kgCO2e]."""
    series = [tr("cmp_forecast", lang), tr("cmp_now", lang)]
    data = pd.DataFrame([(short(label), series[0], old) for label, old, _ in rows]
                        + [(short(label), series[1], new) for label, _, new in rows],
                        columns=["label", "series", "value"])
    return paired_bars(data, series, list(BENCH_COLORS[::-1]), tr("cmp_chart", lang),
                       tr("chart_kg", lang), lang)


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + number(value, lang)


def _relative(moved: dict, lang: str) -> str:
    pct = moved["change_pct"]
    if pct != pct or pct in (float("inf"), float("-inf")):
        return "–"
    return ("+" if pct > 0 else "") + percent(pct, lang)


def comparison_html(comparison: dict, lang: str, line_label: Callable[[dict], str]) -> str:
    """The change by category and the lines that change most, as HTML tables."""
    head = (f"<th>{escape(tr('category', lang))}</th><th>{escape(tr('cmp_forecast', lang))}</th>"
            f"<th>{escape(tr('cmp_now', lang))}</th><th>{escape(tr('cmp_change', lang))}</th>"
            "<th>%</th>")
    i = LANGS.index(lang)
    total = comparison["total"]
    rows = [(CATEGORIES[k][i] if k in CATEGORIES else k, v)
            for k, v in comparison["by_category"].items()] + [(tr("total", lang), total)]
    body = "".join(
        f"<tr><td>{escape(label)}</td><td>{escape(number(v['forecast_kgco2e'], lang))}</td>"
        f"<td>{escape(number(v['final_kgco2e'], lang))}</td>"
        f"<td>{escape(_signed(v['change_kgco2e'], lang))}</td>"
        f"<td>{escape(_relative(v, lang))}</td></tr>" for label, v in rows)
    moved = sorted((line for line in comparison["lines"] if line["change_kgco2e"]),
                   key=lambda line: -abs(line["change_kgco2e"]))[:TOP_LINES]
    line_rows = "".join(
        f"<tr><td title=\"{escape(line['line'])}\">{escape(line_label(line))}</td>"
        f"<td>{escape(number(line['forecast_kgco2e'], lang))}</td>"
        f"<td>{escape(number(line['final_kgco2e'], lang))}</td>"
        f"<td>{escape(_signed(line['change_kgco2e'], lang))}</td>"
        f"<td>{escape(_relative(line, lang))}</td></tr>" for line in moved)
    lines_head = head.replace(escape(tr("category", lang)), escape(tr("line", lang)), 1)
    return (f'<table class="cc-table cc-cmp-categories"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
            + (f"<h4>{escape(tr('cmp_lines', lang))}</h4>"
               f'<table class="cc-table cc-cmp-lines"><thead><tr>{lines_head}</tr></thead>'
               f"<tbody>{line_rows}</tbody></table>" if moved else ""))


class ComparePanel:
    """Widgets of the forecast-against-final panel.

    Parameters
    ----------
    edition : Edition
    lang : {"fr", "en"}
    on_keep : callable
        Called with no argument by « Garder comme prévisionnel ».
    on_upload : callable
        ``on_upload(name, content)`` for a forecast file.
    """

    def __init__(self, edition: Edition, lang: str, on_keep: Callable, on_upload: Callable):
        self.edition, self.lang = edition, lang
        self.forecast: Assessment | None = None
        self.forecast_result: dict | None = None
        self.comparison: dict | None = None
        self.planned_total: float | None = None     # the forecast with its plan [kgCO2e]
        self.planned_levers: list[str] = []
        self.title = w.HTML()
        self.help = w.HTML()
        self.keep = w.Button().add_class("cc-cmp-keep")
        self.upload = file_upload(on_upload)
        self.upload.add_class("cc-cmp-upload")
        self.clear = w.Button().add_class("cc-cmp-clear")
        self.status = w.HTML().add_class("cc-cmp-status")
        self.planned = w.HTML().add_class("cc-cmp-plan")
        self.tables = w.HTML().add_class("cc-cmp")
        self.chart = w.HTML().add_class("cc-cmp")
        self._chart_key: tuple | None = None
        self.widget = w.VBox([
            self.title, self.help,
            w.HBox([self.keep, self.upload, self.clear],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.status, self.planned, self.tables, self.chart]).add_class("cc-compare")
        self.keep.on_click(lambda _: on_keep())
        self.clear.on_click(lambda _: self.set_forecast(None))
        self._said: tuple = ("cmp_none", {}, False)
        self.relabel(lang)

    def set_forecast(self, forecast: Assessment | None) -> None:
        """Keep ``forecast`` (checked and computable) as the forecast; None forgets it."""
        self.forecast = forecast
        self.forecast_result = assess(forecast, self.edition) if forecast is not None else None
        self.comparison = None
        self._chart_key = None
        self.planned_total, self.planned_levers = self._with_plan(forecast)
        if forecast is None:
            self.tell("cmp_none")
            self.tables.value = self.chart.value = self.planned.value = ""
        else:
            self.tell("cmp_loaded", {"title": forecast.production.get("title")
                                     or tr("untitled", self.lang),
                                     "total": self.forecast_result["total_kgco2e"]})
        self.clear.layout.display = None if forecast is not None else "none"

    def _with_plan(self, forecast: Assessment | None) -> tuple[float | None, list[str]]:
        """The forecast's total with its reduction plan applied, and the plan's levers
        (None, [] without a plan, or with one that does not read)."""
        try:
            planned = planned_total(forecast, self.edition) if forecast is not None else None
        except CarbonClapError:
            planned = None
        return planned if planned is not None else (None, [])

    def _show_planned(self, result: dict) -> None:
        if self.planned_total is None:
            self.planned.value = ""
            return
        lang, levers = self.lang, load_levers()
        now = result["total_kgco2e"]
        names = ", ".join(getattr(levers[x], f"label_{lang}") for x in self.planned_levers)
        text = tr("cmp_with_plan", lang, levers=names, planned=number(self.planned_total, lang),
                  now=number(now, lang), change=_relative(change(self.planned_total, now), lang))
        self.planned.value = f'<p class="cc-cmp-plan-text">{escape(text)}</p>'

    def tell(self, key: str, fields: dict | None = None, bad: bool = False) -> None:
        """A status line (follows the language)."""
        self._said = (key, dict(fields or {}), bad)
        self._show_status()

    def _show_status(self) -> None:
        key, fields, bad = self._said
        if "total" in fields:
            fields = {**fields, "total": number(fields["total"], self.lang)}
        text = escape(tr(key, self.lang, **fields))
        self.status.value = f'<span class="cc-bad">{text}</span>' if bad else \
            f'<span class="cc-note">{text}</span>'

    def show(self, result: dict, line_label: Callable[[dict], str], chart_now: bool = True
             ) -> None:
        """Compare ``result`` (the assessment being filled) with the forecast."""
        if self.forecast_result is None:
            return
        self.comparison = compare_results(self.forecast_result, result, self.edition)
        self._show_planned(result)
        self.tables.value = comparison_html(self.comparison, self.lang, line_label)
        if chart_now:
            self.draw_chart()

    def draw_chart(self) -> None:
        """Draw the chart by category, if its rows changed since the last one."""
        if self.comparison is None:
            return
        rows = change_rows(self.comparison, self.lang)
        key = (self.lang, rows)
        if key != self._chart_key:
            self._chart_key = key
            self.chart.value = to_svg(compare_chart(rows, self.lang)) if rows else ""

    def relabel(self, lang: str) -> None:
        """Every label in ``lang``."""
        self.lang = lang
        self.title.value = f"<h4>{escape(tr('cmp_title', lang))}</h4>"
        self.help.value = f'<div class="cc-note">{escape(tr("cmp_help", lang))}</div>'
        self.keep.description = tr("cmp_keep", lang)
        self.upload.description = ""
        self.upload.tooltip = tr("cmp_load", lang)
        self.clear.description = tr("cmp_clear", lang)
        for button in (self.keep, self.clear):
            button.layout.width = "auto"
        self.clear.layout.display = None if self.forecast is not None else "none"
        self._show_status()
