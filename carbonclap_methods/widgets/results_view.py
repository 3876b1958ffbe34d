"""The results panel: total, tables and sentences at once, charts as static SVG.

The total and the tables (:mod:`.summary`) are cheap and change on every
keystroke. The charts are altair charts rendered to SVG by vl-convert
(:func:`carbonclap_methods.charts.to_svg`, offline), 20 to 150 ms each, so
only the chart in view is drawn, only when the rows it shows change, from a
cache of recent drawings, and, when a kernel event loop runs (Voilà,
Jupyter), after a short pause in typing (``chart_delay``) and in a worker
process; with no loop, or a delay of 0, at once.
"""

from __future__ import annotations

from collections import OrderedDict
from html import escape
from typing import Callable

import ipywidgets as w

from ..charts import bar_chart, to_svg
from . import result_charts as rc
from . import svg_worker
from .background import draw_in_worker, guard, running_loop
from .summary import summary_html, total_html
from .text import tr

CHARTS = ("category", "phase", "lines", "benchmark")
TAB_KEYS = {"category": "tab_category", "phase": "tab_phase", "lines": "tab_lines",
            "benchmark": "tab_benchmark"}
CACHE_SIZE = 64


def chart_rows(kind: str, result: dict, lang: str, label: Callable[[dict], str]) -> tuple:
    """The rows one chart shows (what decides whether it must be drawn again)."""
    if kind == "category":
        return rc.category_rows(result, lang)
    if kind == "phase":
        return rc.phase_rows(result, lang) if result["total_kgco2e"] > 0 else ()
    if kind == "lines":
        return rc.line_rows(result, label)
    return rc.benchmark_rows(result, lang)


def chart_for(kind: str, rows: tuple, lang: str):
    """The altair chart of ``rows`` for one of :data:`CHARTS`."""
    if kind == "benchmark":
        return rc.benchmark_chart(rows, lang)
    title = {"category": tr("chart_category", lang), "phase": tr("chart_phase", lang),
             "lines": tr("chart_lines", lang, n=rc.TOP_LINES)}[kind]
    return bar_chart(rows, lang, title, tr("chart_kg", lang))


class SvgCache:
    """Recently drawn charts: (kind, lang, rows) -> SVG text, least recent dropped first."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self.drawn = 0            # how many charts were actually rendered

    def get(self, kind: str, rows: tuple, lang: str) -> str | None:
        key = (kind, lang, rows)
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        return None

    def put(self, kind: str, rows: tuple, lang: str, svg: str) -> None:
        self._items[(kind, lang, rows)] = svg
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def svg(self, kind: str, rows: tuple, lang: str) -> str:
        """The chart's SVG, from the cache or rendered now."""
        svg = self.get(kind, rows, lang)
        if svg is None:
            svg = render(kind, rows, lang)
            self.drawn += 1
            self.put(kind, rows, lang, svg)
        return svg


def render(kind: str, rows: tuple, lang: str) -> str:
    """A chart rendered to SVG by vl-convert (pure: safe in a worker thread)."""
    return to_svg(chart_for(kind, rows, lang))


class ResultsView:
    """Widgets showing a result: ``total``, ``summary`` and a ``tabs`` of charts.

    Parameters
    ----------
    chart_delay : float, default 0.3
        Seconds of calm before the charts are drawn again [s]; 0 draws at once.
    on_problem : callable, optional
        Called with an unexpected exception raised while drawing later.

    Notes
    -----
    Only the chart of the selected tab is drawn; another tab's chart is drawn
    when the tab is selected. With a running event loop (a kernel), a chart
    that must be drawn again is rendered after the pause by a worker process
    (:mod:`.svg_worker`: the kernel stays free for the next keystroke) and put
    in its widget by the loop, unless its rows changed again meanwhile. With
    no loop, everything happens at once, in this process.
    """

    def __init__(self, chart_delay: float = 0.3, on_problem: Callable | None = None,
                 factor_name: Callable[[str, str], str] | None = None):
        self.chart_delay = chart_delay
        self.factor_name = factor_name            # (factor id, lang) -> label
        self.on_problem = on_problem
        self.cache = SvgCache()
        self.total = w.HTML().add_class("cc-total-widget")
        self.summary = w.HTML().add_class("cc-summary")
        self.charts = {kind: w.HTML().add_class(f"cc-chart-{kind}") for kind in CHARTS}
        self.tabs = w.Tab(children=[self.charts[k] for k in CHARTS], selected_index=0,
                          layout=w.Layout(width="100%")).add_class("cc-charts")
        self.widget = w.VBox([self.total, self.summary, self.tabs]).add_class("cc-results")
        self._wanted: dict[str, tuple] = {}    # kind -> (lang, rows) of the latest result
        self._shown: dict[str, tuple] = {}     # kind -> (lang, rows) drawn or being drawn
        self._handle = None
        self.rendering = 0        # charts being rendered by the worker now
        self.tabs.observe(lambda _: self._guard(self._tab_selected), "selected_index")
        if chart_delay > 0 and running_loop() is not None:
            svg_worker.warm()

    def show(self, result: dict, lang: str, label: Callable[[dict], str],
             charts_now: bool = False) -> None:
        """Show ``result`` in ``lang``: figures now, charts now or after the delay.

        ``label`` names a line record for the top-lines chart.
        """
        self.total.value = total_html(result, lang)
        name = (lambda factor: self.factor_name(factor, lang)) if self.factor_name else None
        self.summary.value = summary_html(result, lang, name)
        self.tabs.titles = tuple(tr(TAB_KEYS[k], lang) for k in CHARTS)
        self._wanted = {kind: (lang, chart_rows(kind, result, lang, label)) for kind in CHARTS}
        if charts_now or self.chart_delay <= 0 or running_loop() is None:
            self.draw_charts()
        elif self._stale():
            self._schedule()

    def _visible(self) -> str:
        return CHARTS[self.tabs.selected_index or 0]

    def _stale(self) -> list[str]:
        """The visible chart, if its widget does not show (or wait for) its latest rows."""
        kind = self._visible()
        stale = kind in self._wanted and self._shown.get(kind) != self._wanted[kind]
        return [kind] if stale else []

    def _schedule(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = running_loop().call_later(self.chart_delay, self._guard, self._draw_later)

    def _guard(self, step: Callable, *args) -> None:
        guard(step, self.on_problem, *args)

    def _tab_selected(self) -> None:
        if self.chart_delay <= 0 or running_loop() is None:
            self.draw_charts()
        else:
            self._draw_later()

    def _put(self, kind: str, lang: str, rows: tuple, svg: str | None) -> None:
        if self._shown.get(kind) == (lang, rows):          # still the latest wanted
            self.charts[kind].value = svg if rows else \
                f'<p class="cc-note">{escape(self._empty(kind, lang))}</p>'

    def draw_charts(self) -> None:
        """Draw now the visible chart, if its rows changed."""
        for kind in self._stale():
            lang, rows = self._shown[kind] = self._wanted[kind]
            self._put(kind, lang, rows, self.cache.svg(kind, rows, lang) if rows else None)

    def _draw_later(self) -> None:
        self._handle = None
        for kind in self._stale():
            lang, rows = self._shown[kind] = self._wanted[kind]
            svg = self.cache.get(kind, rows, lang) if rows else None
            if rows and svg is None:
                self._render_in_worker(kind, lang, rows)
            else:
                self._put(kind, lang, rows, svg)

    def _render_in_worker(self, kind: str, lang: str, rows: tuple) -> None:
        self.rendering += 1
        draw_in_worker([chart_for(kind, rows, lang)],
                       lambda svgs: self._rendered(kind, lang, rows, svgs[0]), self.on_problem)

    def _rendered(self, kind: str, lang: str, rows: tuple, svg: str) -> None:
        self.rendering -= 1
        self.cache.drawn += 1
        self.cache.put(kind, rows, lang, svg)
        self._put(kind, lang, rows, svg)

    @staticmethod
    def _empty(kind: str, lang: str) -> str:
        return tr("no_benchmark" if kind == "benchmark" else "no_result", lang)

    def svgs(self, result: dict, lang: str, label: Callable[[dict], str]) -> dict[str, str]:
        """The SVG of each chart of ``result`` (empty text for a chart with no data)."""
        out = {}
        for kind in CHARTS:
            rows = chart_rows(kind, result, lang, label)
            out[kind] = self.cache.svg(kind, rows, lang) if rows else ""
        return out
