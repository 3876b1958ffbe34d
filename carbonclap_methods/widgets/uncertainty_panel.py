"""The uncertainty panel: a Monte Carlo estimate of the total, run on request.

The estimate is run by a button, never on a keystroke:
:func:`carbonclap_methods.uncertainty.monte_carlo` with :data:`ITERATIONS`
draws and the fixed seed :data:`SEED` (shown in the panel), so the same
assessment always gives the same figures. The panel
shows the median and the 90 % interval (5th - 95th percentile) of the total
in a sentence, and the distribution, category interval and tornado charts
of :mod:`carbonclap_methods.charts` as static SVG, rendered like the
results' charts (in the :mod:`.svg_worker` process when a kernel loop runs,
at once otherwise).

The estimate belongs to the lines it was run on (:func:`lines_key`): when
the assessment changes, its figures and charts are hidden and the panel says
it is out of date; they come back if the lines come back to what they were.
"""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w
import pandas as pd

from .. import charts
from ..charts import to_svg
from ..errors import CarbonClapError
from ..factors import Edition
from ..uncertainty import monte_carlo, summary
from .background import draw_in_worker, running_loop
from .text import number, tr

ITERATIONS = 5_000
SEED = 2025
TOP_FACTORS = 10
CHART_WIDTH = 250         # width of a chart's plotting area [px], as the results' charts
MC_CHARTS = ("distribution", "interval", "tornado")
KEY_COLUMNS = ["factor", "quantity", "unit", "phase"]


def estimable_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """The lines of the engine's table that emit something (quantity > 0)."""
    return frame[frame["quantity"] > 0]


def lines_key(lines: pd.DataFrame) -> tuple:
    """What an estimate depends on: (factor, quantity, unit, phase) of each line."""
    return tuple(lines[KEY_COLUMNS].itertuples(index=False, name=None))


def interval_text(totals, deterministic: float, lang: str) -> str:
    """The median and 90 % interval of the drawn totals [kgCO2e], as a sentence in ``lang``."""
    stats = summary(totals)
    return tr("mc_interval", lang, p50=number(stats["p50"], lang), p5=number(stats["p5"], lang),
              p95=number(stats["p95"], lang), det=number(deterministic, lang))


def mc_charts(mc, lang: str) -> list:
    """The distribution, interval and tornado charts of a Monte Carlo result (altair)."""
    built = [charts.distribution_chart(mc, lang), charts.interval_chart(mc, lang),
             charts.tornado_chart(mc, TOP_FACTORS, lang)]
    return [chart.properties(width=CHART_WIDTH) for chart in built]


class UncertaintyPanel:
    """The « Estimer l'incertitude » button and what it shows.

    Parameters
    ----------
    edition : Edition
        Factor edition: values and ``uncertainty_pct``.
    lang : {"fr", "en"}
    chart_delay : float, default 0.3
        0 renders the charts at once, in this process; otherwise, with a
        running event loop, in the :mod:`.svg_worker` process.
    on_problem : callable, optional
        Called with an unexpected exception raised while drawing later.

    Attributes
    ----------
    mc : MonteCarlo or None
        The last estimate, run on the lines of ``mc_key``.
    """

    def __init__(self, edition: Edition, lang: str, chart_delay: float = 0.3,
                 on_problem: Callable | None = None):
        self.edition, self.lang = edition, lang
        self.chart_delay, self.on_problem = chart_delay, on_problem
        self.mc, self.mc_key, self.key = None, None, ()
        self._charts_for = None                # (mc, lang) the chart widgets show or await
        self.title, self.note = w.HTML(), w.HTML().add_class("cc-mc-note")
        self.button = w.Button(layout=w.Layout(width="auto")).add_class("cc-mc-run")
        self.status = w.HTML().add_class("cc-mc-status")
        self.figures = w.HTML().add_class("cc-mc-figures")
        self.charts = {k: w.HTML().add_class(f"cc-mc-{k}").add_class("cc-mc-chart")
                       for k in MC_CHARTS}
        self.results = w.VBox([self.figures, *self.charts.values()])
        self.widget = w.VBox([self.title, self.note, self.button, self.status,
                              self.results]).add_class("cc-uncertainty")
        self.relabel(lang)

    # -- following the assessment ----------------------------------------------

    def follow(self, frame: pd.DataFrame) -> None:
        """The assessment now has these lines (the engine's table): show whether
        the estimate is still theirs."""
        self.key = lines_key(estimable_lines(frame))
        self._show()

    def relabel(self, lang: str) -> None:
        """Labels, sentence and charts in ``lang``."""
        self.lang = lang
        self.title.value = f"<h4>{escape(tr('mc_title', lang))}</h4>"
        method = tr("mc_method", lang, seed=SEED, iterations=number(ITERATIONS, lang))
        self.note.value = f'<p class="cc-note">{escape(method)}</p>'
        self.button.description = tr("mc_button", lang)
        self._show()

    # -- running ---------------------------------------------------------------

    def estimate(self, frame: pd.DataFrame, fields_to_fix: int = 0) -> None:
        """Run the Monte Carlo estimate on the lines of ``frame`` and show it.

        ``fields_to_fix`` fields hold a value that was refused: the estimate
        uses their last valid values, and says so.
        """
        lines = estimable_lines(frame)
        self.key = lines_key(lines)
        self.mc, self.mc_key = None, None
        if lines.empty:
            return self._tell("mc_empty", bad=True)
        try:
            self.mc = monte_carlo(lines, self.edition, ITERATIONS, seed=SEED, progress=False)
        except CarbonClapError as exc:
            return self._tell("mc_failed", bad=True, message=str(exc))
        self.mc_key = self.key
        self._show()
        if fields_to_fix:
            self._tell("fields_to_fix", bad=True, count=fields_to_fix)

    def _tell(self, key: str, bad: bool = False, **fields) -> None:
        text = escape(tr(key, self.lang, **fields))
        self.status.value = f'<span class="cc-bad">{text}</span>' if bad else \
            f'<span class="cc-note">{text}</span>'
        if self.mc is None:
            self.results.layout.display = "none"

    # -- showing -----------------------------------------------------------------

    @property
    def current(self) -> bool:
        """Whether there is an estimate, run on the lines the assessment has now."""
        return self.mc is not None and self.mc_key == self.key

    def _show(self) -> None:
        if self.mc is None:
            self.status.value, self.results.layout.display = "", "none"
            return
        if not self.current:
            self.results.layout.display = "none"
            return self._tell("mc_stale", bad=True)
        self.status.value, self.results.layout.display = "", None
        sentence = interval_text(self.mc.totals, self.mc.deterministic_total, self.lang)
        self.figures.value = f'<p class="cc-mc-sentence">{escape(sentence)}</p>'
        self._draw()

    def _draw(self) -> None:
        wanted = (self.mc, self.lang)
        if self._charts_for is not None and self._charts_for[0] is wanted[0] \
                and self._charts_for[1] == wanted[1]:
            return
        self._charts_for = wanted
        built = mc_charts(*wanted)
        if self.chart_delay <= 0 or running_loop() is None:
            return self._put(wanted, [to_svg(chart) for chart in built])
        for widget in self.charts.values():
            widget.value = f'<p class="cc-note">{escape(tr("mc_drawing", self.lang))}</p>'
        draw_in_worker(built, lambda svgs: self._put(wanted, svgs), self.on_problem)

    def _put(self, wanted: tuple, svgs: list[str]) -> None:
        if self._charts_for is wanted:            # still the charts wanted
            for widget, svg in zip(self.charts.values(), svgs):
                widget.value = svg
