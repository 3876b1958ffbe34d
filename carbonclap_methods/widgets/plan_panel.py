"""The « Plan de réduction » panel: levers that apply, their savings, a plan.

The panel lists the levers of ``data/levers.yaml`` that apply to the
assessment being filled, each with what it saves alone; the user ticks the
levers of a plan (applied in the order they were ticked) and sets their
parameters (a value outside its range is shown in red next to its field and
the last valid value stays in use). Totals before and after the plan, and
two charts (totals; each lever's saving alone), follow; a button gives the
90 % interval of the plan's saving, from factor draws shared by the
assessment and the plan (run on request, like the uncertainty panel).

Every figure comes from :func:`carbonclap_methods.plan.reduction_plan`, the
engine behind ``carbonclap plan``: nothing is computed here. The lines with
a quantity are handed over (the form's blank lines do not make a lever
apply). Computing is skipped while the panel is closed; open, it follows the
assessment after a pause in typing (``delay``), like the charts.

The plan is the assessment file's ``plan:`` block (:func:`plan.plan_block`):
:meth:`PlanPanel.block` writes it, :meth:`PlanPanel.load` reads it back.
"""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w
import pandas as pd

from ..assessment import Assessment
from ..charts import BAR_COLOR, BENCH_COLORS, bar_chart, to_svg
from ..errors import CarbonClapError, InvalidLever
from ..factors import Edition
from ..levers import Lever, Parameter, load_levers, selected
from ..plan import plan_block, reduction_plan
from ..switches import contrails_setting, with_contrails
from .background import draw_in_worker, guard, running_loop
from .form import message_html
from .parse import Problem, parse_number
from .result_charts import short
from .text import input_number, number, percent, tr, unit_label
from .uncertainty_panel import ITERATIONS, SEED

PARAMETER_UNITS = {"person": "unit_person"}        # unit ids of levers.yaml with a text key
SHARE = "share"          # levers.yaml's unit of a fraction of 1, shown and typed in percent


def planned_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """The lines that hold a quantity (what the plan is computed on)."""
    return frame[frame["quantity"] > 0]


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def saving_text(saving: float, pct: float, lang: str) -> str:
    """``−76,5 kgCO2e (−31,0 %)``: a saving (a negative one is written as a rise)."""
    if _same(saving, 0.0):
        return "0 kgCO2e"
    key = "plan_saving" if saving > 0 else "plan_increase"
    return tr(key, lang, value=number(abs(saving), lang), pct=percent(abs(pct), lang))


def kg_text(saving: float, lang: str) -> str:
    """``−1,5 kgCO2e``: a saving without its percent."""
    if _same(saving, 0.0):
        return "0 kgCO2e"
    return ("−" if saving > 0 else "+") + f"{number(abs(saving), lang)} kgCO2e"


def record_text(record: dict, lang: str) -> str:
    """A lever's (or the plan's) saving; its market-based saving too where it differs
    (an electricity contract changes only that one)."""
    text = saving_text(record["saving_kgco2e"], record["saving_pct"], lang)
    market = record.get("market_based_saving_kgco2e")
    if market is None or _same(market, record["saving_kgco2e"]):
        return text
    return tr("plan_market", lang, saving=text, market=kg_text(market, lang))


def shown(spec: Parameter) -> float:
    """What a parameter's value is multiplied by to be shown and typed: 100 for a
    share (0.12 is written 12 %), else 1."""
    return 100.0 if spec.unit == SHARE else 1.0


def parameter_text(value: float, spec: Parameter, lang: str) -> str:
    """A parameter's value for reading, with its unit: ``12 %`` for a share of
    0.12, ``1,5 personne`` / ``1.5 person``, ``0,5`` for a plain ratio."""
    unit = _parameter_unit(spec, lang)
    gap = "\u00a0" if spec.unit == SHARE else " "
    return number(value * shown(spec), lang) + (f"{gap}{unit}" if unit else "")


def _parameter_unit(spec: Parameter, lang: str) -> str:
    if spec.unit == SHARE:
        return "%"
    if spec.unit in PARAMETER_UNITS:
        return tr(PARAMETER_UNITS[spec.unit], lang)
    return unit_label(spec.unit, lang) if spec.unit else ""


def totals_chart(before: float, after: float, lang: str):
    """Two bars: the total before and after the plan [kgCO2e]."""
    rows = [(tr("plan_before", lang), before), (tr("plan_after", lang), after)]
    return bar_chart(rows, lang, tr("plan_chart_totals", lang), tr("chart_kg", lang),
                     colors=[BENCH_COLORS[1], BAR_COLOR])


def plan_charts(rows: tuple, lang: str) -> list:
    """The charts of :meth:`PlanPanel.chart_rows`: totals, then savings alone."""
    (before, after), savings = rows
    built = [totals_chart(before, after, lang)]
    if savings:
        built.append(bar_chart(savings, lang, tr("plan_chart_levers", lang), tr("chart_kg", lang)))
    return built


def _charts_html(svgs: list[str]) -> str:
    return '<div class="cc-plan-svgs">' + "".join(f"<div>{svg}</div>" for svg in svgs) + "</div>"


class LeverRow:
    """One lever: tick box, label (rationale and source as tooltip), saving
    alone, parameters with their ranges and a line for a refused value."""

    def __init__(self, lever: Lever, lang: str, on_tick: Callable, on_value: Callable):
        self.lever = lever
        self.tick = w.Checkbox(value=False, indent=False,
                               layout=w.Layout(width="28px", min_width="28px")
                               ).add_class("cc-plan-tick")
        self.label = w.HTML(layout=w.Layout(flex="1 1 0", min_width="0"))
        self.saving = w.HTML(layout=w.Layout(max_width="60%")).add_class("cc-plan-saving")
        self.boxes: dict[str, w.Text] = {}
        self.names: dict[str, w.HTML] = {}
        self.ranges: dict[str, w.HTML] = {}
        self.problems: dict[str, Problem | None] = {}
        self.hints: dict[str, str] = {}
        self.valid: dict[str, float] = {}        # last valid value of each parameter
        parts = []
        for name, spec in lever.parameters.items():
            self.names[name] = w.HTML().add_class("cc-plan-param-name")
            self.boxes[name] = w.Text(value=input_number(spec.default * shown(spec), lang),
                                      layout=w.Layout(width="72px")
                                      ).add_class(f"cc-plan-{lever.id}-{name}")
            self.ranges[name] = w.HTML().add_class("cc-plan-range")
            self.problems[name] = None
            self.valid[name] = spec.default
            parts.append(w.HBox([self.names[name], self.boxes[name], self.ranges[name]],
                                layout=w.Layout(align_items="center", grid_gap="4px")))
        self.message = w.HTML(layout=w.Layout(display="none")).add_class("cc-message")
        self.widget = w.VBox(
            [w.HBox([self.tick, self.label, self.saving],
                    layout=w.Layout(align_items="center", grid_gap="6px")),
             *([w.HBox(parts, layout=w.Layout(flex_flow="row wrap", grid_gap="2px 14px",
                                              padding="0 0 0 32px"))] if parts else []),
             self.message]).add_class("cc-plan-lever").add_class(f"cc-plan-{lever.id}")
        self.lang = lang
        self._quiet = False
        self.tick.observe(lambda c: None if self._quiet else on_tick(lever.id, c["new"]), "value")
        for name, box in self.boxes.items():
            box.observe(lambda c, name=name: None if self._quiet else
                        on_value(lever.id, name, c["new"]), "value")
        self.relabel(lang)

    def check(self, name: str, text: str, lang: str) -> float | None:
        """The value typed for parameter ``name`` (a share typed in percent is
        returned as a fraction), or None (problem shown)."""
        spec = self.lever.parameters[name]
        scale = shown(spec)
        if spec.unit == SHARE:              # "12 %" is read as 12
            text = str(text).strip().removesuffix("%").rstrip()
        value = parse_number(text, empty=spec.default * scale, lang=lang)
        if not isinstance(value, Problem):
            value = value / scale
        if not isinstance(value, Problem) and not spec.minimum <= value <= spec.maximum:
            value = Problem("plan_bad_range", {"value": number(value * scale, lang),
                                               "min": number(spec.minimum * scale, lang),
                                               "max": number(spec.maximum * scale, lang)})
        self.problems[name] = value if isinstance(value, Problem) else None
        # a share typed as a fraction (0,3 for 30 %, as files hold it) is taken
        # as typed, in percent, with a word: the saving would be 100 times smaller
        self.hints[name] = (tr("plan_share_hint", lang, value=number(value * scale, lang),
                               percent=number(value * scale * 100, lang))
                            if spec.unit == SHARE and not isinstance(value, Problem)
                            and 0 < value * scale < 1 else "")
        if not isinstance(value, Problem):
            self.valid[name] = float(value)
        self._show_problems()
        return None if isinstance(value, Problem) else float(value)

    def _show_problems(self) -> None:
        bad = [name for name, p in self.problems.items() if p is not None]
        kept = ", ".join(number(self.valid[name] * shown(self.lever.parameters[name]), self.lang)
                         for name in bad)
        html_text = message_html([self.problems[name] for name in bad], self.lang, kept)
        hints = [hint for hint in self.hints.values() if hint]
        if hints:
            html_text += f'<span class="cc-hint">{escape(" ; ".join(hints))}</span>'
        self.message.value = html_text
        self.message.layout.display = None if html_text else "none"

    def set_values(self, ticked: bool, values: dict[str, float]) -> None:
        """Show a tick and parameter values (from a file) without callbacks."""
        self._quiet = True
        try:
            self.tick.value = ticked
            for name, box in self.boxes.items():
                self.valid[name] = values.get(name, self.lever.parameters[name].default)
                box.value = input_number(self.valid[name] * shown(self.lever.parameters[name]),
                                         self.lang)
                self.problems[name] = None
        finally:
            self._quiet = False
        self._show_problems()

    def relabel(self, lang: str) -> None:
        """Labels and ranges in ``lang``; valid values written its way."""
        old, self.lang = self.lang, lang
        lever = self.lever
        tip = f"{getattr(lever, f'rationale_{lang}')} — {tr('source', lang)}: {lever.source}"
        self.label.value = (f'<span class="cc-plan-label" title="{escape(tip)}">'
                            f"{escape(getattr(lever, f'label_{lang}'))}</span>")
        self._quiet = True
        try:
            for name, spec in lever.parameters.items():
                self.names[name].value = escape(getattr(spec, f"label_{lang}"))
                unit = _parameter_unit(spec, lang)
                span = tr("plan_range", lang, min=number(spec.minimum * shown(spec), lang),
                          max=number(spec.maximum * shown(spec), lang))
                self.ranges[name].value = (f'<span class="cc-note">{escape(unit)} ({escape(span)})'
                                           "</span>" if unit else
                                           f'<span class="cc-note">({escape(span)})</span>')
                value = parse_number(self.boxes[name].value, empty=None, lang=old)
                if old != lang and self.problems[name] is None and isinstance(value, float):
                    self.boxes[name].value = input_number(value, lang)
        finally:
            self._quiet = False
        self._show_problems()


class PlanPanel:
    """Widgets of the reduction plan, folded until opened.

    Parameters
    ----------
    edition : Edition
    lang : {"fr", "en"}
    delay : float, default 0.3
        Pause in typing before the plan is computed again [s]; 0 at once.
    on_change : callable, optional
        Called with no argument once the plan the user changed (a tick, a
        parameter) is computed: the caller writes :meth:`block` into the
        assessment.
    on_problem : callable, optional
        Called with an unexpected exception raised in a delayed step.

    Attributes
    ----------
    chosen : list of str
        The ticked levers, in the order they were ticked.
    values : dict
        ``{lever: {param: value}}``: valid values the user set or the file gave.
    document, plan_document : dict or None
        The last :func:`reduction_plan` results: each lever alone, and the
        ticked levers combined (None with nothing ticked).
    """

    def __init__(self, edition: Edition, lang: str, delay: float = 0.3,
                 on_change: Callable | None = None, on_problem: Callable | None = None):
        self.edition, self.lang, self.delay = edition, lang, delay
        self.on_change, self.on_problem = on_change, on_problem
        self.levers = load_levers()
        self.chosen: list[str] = []
        self.values: dict[str, dict[str, float]] = {}
        self.document: dict | None = None
        self.listed: list[str] = []            # levers shown: they apply (with defaults or values)
        self.plan_document: dict | None = None
        self.computed = 0                      # how many times the plan was computed
        self._assessment: Assessment | None = None
        self._computed_for: tuple | None = None
        self._handle = None
        self._changed = False                  # the user changed the plan since the last compute
        self._chart_key: tuple | None = None
        self._file_problem: str | None = None
        self.rows: dict[str, LeverRow] = {}
        self.help = w.HTML()
        self.status = w.HTML().add_class("cc-plan-status")
        self.list = w.VBox().add_class("cc-plan-levers")
        self.totals = w.HTML().add_class("cc-plan-totals")
        self.charts = w.HTML().add_class("cc-plan-chart")
        self.mc_button = w.Button(layout=w.Layout(width="auto")).add_class("cc-plan-mc")
        self.mc_text = w.HTML().add_class("cc-plan-mc-text")
        self._mc: tuple | None = None           # (what it was run on, the plan's saving)
        self.mc_button.on_click(lambda _: guard(self.estimate, self.on_problem))
        self.mc_box = w.VBox([self.mc_button, self.mc_text],
                             layout=w.Layout(align_items="flex-start"))
        body = w.VBox([self.help, self.status, self.list, self.totals, self.mc_box,
                       self.charts])
        self.widget = w.Accordion([body], selected_index=None).add_class("cc-plan")
        self.widget.observe(lambda c: guard(self._opened, self.on_problem), "selected_index")
        self.relabel(lang)

    # -- what the panel follows ------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.widget.selected_index == 0

    def open(self) -> None:
        """Unfold the panel (computes the plan)."""
        self.widget.selected_index = 0

    def follow(self, production: dict, frame: pd.DataFrame, now: bool = False) -> None:
        """The assessment now has this production data and these lines."""
        lines = planned_lines(frame)
        self._assessment = Assessment(production=dict(production), lines=lines, source="<form>")
        if self.is_open:
            self._schedule(now)

    def load(self, block) -> None:
        """Show the plan of a file's ``plan:`` block (None: no plan)."""
        self.chosen, self.values, self._file_problem = [], {}, None
        self._changed = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if block is not None:
            probe = Assessment(production={}, lines=pd.DataFrame(), source="file",
                               extra={"plan": block})
            try:
                lever_ids, values = plan_block(probe, self.levers)
                unknown = [x for x in lever_ids if x not in self.levers]
                if unknown:
                    raise InvalidLever(f"unknown lever {unknown[0]!r}")
            except CarbonClapError as exc:
                self._file_problem = str(exc)
            else:
                self.chosen = list(dict.fromkeys(lever_ids))
                self.values = {k: dict(v) for k, v in values.items()}
        for lever_id, row in self.rows.items():
            row.set_values(lever_id in self.chosen, self.values.get(lever_id, {}))
        self._computed_for = None          # computed again by the next follow()

    def block(self) -> dict | None:
        """The ``plan:`` block of the plan shown: the ticked levers that apply, in
        order, with their parameters (None with no lever)."""
        applicable = set(self.document["applicable"]) if self.document else set(self.chosen)
        levers = [x for x in self.chosen if x in applicable]
        if not levers:
            return None
        return {"levers": levers,
                "parameters": {f"{lid}.{name}": value for lid in levers
                               for name, value in self.levers[lid].values(
                                   self.values.get(lid)).items()}}

    # -- user actions ------------------------------------------------------------

    def _ticked(self, lever_id: str, ticked: bool) -> None:
        if ticked and lever_id not in self.chosen:
            self.chosen.append(lever_id)
        elif not ticked and lever_id in self.chosen:
            self.chosen.remove(lever_id)
        self._changed = True
        self._schedule(True)                         # a click: at once

    def _typed(self, lever_id: str, name: str, text: str) -> None:
        value = self.rows[lever_id].check(name, text, self.lang)
        if value is None:
            return                                   # shown in red; the last valid value stays
        self.values.setdefault(lever_id, {})[name] = value
        self._changed = True
        self._schedule(False)                        # typing: after a pause

    # -- computing ----------------------------------------------------------------

    def _opened(self) -> None:
        if self.is_open:
            self._schedule(True)

    def _schedule(self, now: bool) -> None:
        loop = running_loop()
        if now or loop is None or self.delay <= 0:
            self.compute()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, guard, self.compute, self.on_problem)

    def _key(self) -> tuple:
        lines = self._assessment.lines
        return (tuple(lines[["factor", "quantity", "unit", "section", "field"]].itertuples(
                    index=False, name=None)),
                tuple(sorted((k, str(v)) for k, v in self._assessment.production.items())),
                tuple(self.chosen), self._values_key())

    def _values_key(self) -> tuple:
        """The parameters that differ from their defaults (typing a default back is
        no change)."""
        out = []
        for lever_id, given in sorted(self.values.items()):
            lever = self.levers[lever_id]
            values = lever.values(given)
            if values != lever.values():
                out.append((lever_id, tuple(sorted(values.items()))))
        return tuple(out)

    def compute(self) -> None:
        """Compute the plan of the current assessment (skipped if nothing changed)."""
        self._handle = None
        changed, self._changed = self._changed, False
        if self._assessment is None:
            return
        key = self._key()
        if key != self._computed_for:
            self._computed_for = key
            self.computed += 1
            try:
                self._compute()
            except CarbonClapError as exc:
                self.document = self.plan_document = None
                self._tell("plan_failed", bad=True, message=str(exc))
                self.list.children, self.totals.value, self.charts.value = (), "", ""
                self._show_mc()
        if changed and self.on_change is not None:
            self.on_change()                         # the user changed the plan

    def _compute(self) -> None:
        assessment, levers = self._assessment, self.levers
        kind = assessment.production["type"]
        lines = with_contrails(assessment.lines, self.edition,
                               contrails_setting(assessment.production))
        # the engine takes parameters only for the levers that apply with them;
        # a lever that applies with its defaults stays listed whatever its values
        values = {k: v for k, v in self.values.items() if selected(levers[k], lines, kind, v)}
        self.listed = [k for k, lever in levers.items()
                       if k in values or selected(lever, lines, kind)]
        self.document = reduction_plan(assessment, self.edition, None, values)
        ticked = [x for x in self.chosen if x in self.document["applicable"]]
        self.plan_document = reduction_plan(
            assessment, self.edition, ticked, {k: v for k, v in values.items() if k in ticked}
        ) if ticked else None
        self._show()

    # -- showing ------------------------------------------------------------------

    def _row(self, lever_id: str) -> LeverRow:
        if lever_id not in self.rows:
            row = LeverRow(self.levers[lever_id], self.lang, self._ticked_guarded,
                           self._typed_guarded)
            row.set_values(lever_id in self.chosen, self.values.get(lever_id, {}))
            self.rows[lever_id] = row
        return self.rows[lever_id]

    def _ticked_guarded(self, lever_id: str, ticked: bool) -> None:
        guard(self._ticked, self.on_problem, lever_id, ticked)

    def _typed_guarded(self, lever_id: str, name: str, text: str) -> None:
        guard(self._typed, self.on_problem, lever_id, name, text)

    def _show(self) -> None:
        document, lang = self.document, self.lang
        if document is None:
            return
        savings = {r["id"]: r for r in document["levers"]}
        order = sorted(self.listed, key=lambda k: -savings[k]["saving_kgco2e"]
                       if k in savings else 0.0)
        widgets = []
        for lever_id in order:
            row = self._row(lever_id)
            record = savings.get(lever_id)
            text = record_text(record, lang) if record else tr("plan_not_now", lang)
            row.saving.value = f'<span class="cc-plan-kg">{escape(text)}</span>'
            widgets.append(row.widget)
        if tuple(widgets) != tuple(self.list.children):
            self.list.children = tuple(widgets)
        rows = order
        gone = [x for x in self.chosen if x not in document["applicable"]]
        if self._file_problem:
            self._tell("plan_file_refused", bad=True, message=self._file_problem)
        elif not rows:
            self._tell("plan_none")
        elif gone:
            self._tell("plan_gone", bad=True, levers=", ".join(
                getattr(self.levers[x], f"label_{lang}") for x in gone))
        else:
            self.status.value = ""
        self.totals.value = self._totals_html() if rows else ""
        self._show_mc()
        self._draw(self.chart_rows() if rows else None)

    def _totals_html(self) -> str:
        lang, document, plan = self.lang, self.document, self.plan_document
        before = document["baseline_kgco2e"]
        cells = [(tr("plan_before", lang), f"{number(before, lang)} kgCO2e")]
        notes = []
        if plan is None:
            notes.append(tr("plan_no_lever", lang))
        else:
            combined = plan["combined"]
            cells.append((tr("plan_after", lang), f"{number(plan['plan_kgco2e'], lang)} kgCO2e"))
            cells.append((tr("plan_total_saving", lang),
                          saving_text(combined["saving_kgco2e"], combined["saving_pct"], lang)))
            labels = [getattr(self.levers[x], f"label_{lang}") for x in combined["levers"]]
            if len(labels) > 1:
                notes.append(tr("plan_order", lang, levers=" → ".join(labels)))
            alone = combined["sum_of_savings_kgco2e"]
            if not _same(alone, combined["saving_kgco2e"]):
                notes.append(tr("plan_overlap", lang, sum=number(alone, lang)))
            market = combined["market_based_saving_kgco2e"]
            if not _same(market, combined["saving_kgco2e"]):
                notes.append(tr("plan_market_note", lang, market=kg_text(market, lang)))
        body = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in cells)
        return (f'<table class="cc-table cc-plan-table"><tbody>{body}</tbody></table>'
                + "".join(f'<p class="cc-note">{escape(n)}</p>' for n in notes))

    def chart_rows(self) -> tuple:
        """What the charts show: (before, after) totals and (lever label, saving alone)."""
        before = self.document["baseline_kgco2e"]
        after = self.plan_document["plan_kgco2e"] if self.plan_document else before
        savings = tuple((short(r[f"label_{self.lang}"]), r["saving_kgco2e"])
                        for r in sorted(self.document["levers"], key=lambda r: -r["saving_kgco2e"])
                        if r["saving_kgco2e"] > 0)
        return ((before, after), savings)

    def _draw(self, rows: tuple | None) -> None:
        key = (self.lang, rows)
        if key == self._chart_key:
            return
        self._chart_key = key
        if rows is None:
            self.charts.value = ""
            return
        built = plan_charts(rows, self.lang)
        if self.delay <= 0 or running_loop() is None:
            self.charts.value = _charts_html([to_svg(chart) for chart in built])
            return
        draw_in_worker(built, lambda svgs: self._put(key, svgs), self.on_problem)

    def _put(self, key: tuple, svgs: list[str]) -> None:
        if key == self._chart_key:                 # still the charts wanted
            self.charts.value = _charts_html(svgs)

    def estimate(self) -> None:
        """The 90 % interval of the plan's saving (« Incertitude de l'économie »):
        :data:`ITERATIONS` factor draws shared by the assessment and the plan,
        seed :data:`SEED` (:func:`reduction_plan` with ``iterations``)."""
        self.compute()
        if self.plan_document is None:
            return
        combined = self.plan_document["combined"]
        values = {k: v for k, v in self.values.items() if k in combined["levers"]}
        document = reduction_plan(self._assessment, self.edition, combined["levers"], values,
                                  ITERATIONS, SEED)
        self._mc = (self._computed_for, document["combined"])
        self._show_mc()

    def _show_mc(self) -> None:
        lang = self.lang
        self.mc_box.layout.display = None if self.plan_document is not None else "none"
        if self._mc is None:
            self.mc_text.value = ""
        elif self._mc[0] != self._computed_for:
            self.mc_text.value = (f'<span class="cc-bad">{escape(tr("plan_mc_stale", lang))}'
                                  "</span>")
        else:
            saving = self._mc[1]
            text = tr("plan_mc", lang, p50=number(saving["p50"], lang),
                      p5=number(saving["p5"], lang), p95=number(saving["p95"], lang),
                      iterations=number(ITERATIONS, lang), seed=SEED)
            self.mc_text.value = f'<p class="cc-note">{escape(text)}</p>'

    def report_html(self) -> str:
        """The plan for the printable report: each ticked lever (parameters,
        saving alone) and the totals before and after; empty without a plan."""
        if self._assessment is None or not self.chosen:
            return ""
        self.compute()                               # even if the panel stayed folded
        if self.plan_document is None:
            return ""
        lang, alone = self.lang, {r["id"]: r for r in self.document["levers"]}
        head = (f"<th>{escape(tr('plan_lever', lang))}</th>"
                f"<th>{escape(tr('plan_parameters', lang))}</th>"
                f"<th>{escape(tr('plan_alone', lang))}</th>")
        rows = []
        for lever_id in self.plan_document["combined"]["levers"]:
            lever, record = self.levers[lever_id], alone[lever_id]
            values = ", ".join(
                f"{getattr(spec, f'label_{lang}')} {parameter_text(record['parameters'][name], spec, lang)}"
                for name, spec in lever.parameters.items())
            rows.append(f"<tr><td>{escape(getattr(lever, f'label_{lang}'))}</td>"
                        f"<td>{escape(values)}</td><td>{escape(record_text(record, lang))}</td></tr>")
        return (f"<h4>{escape(tr('plan_title', lang))}</h4>"
                f'<table class="cc-plan-report"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>{self._totals_html()}")

    def _tell(self, text_key: str, bad: bool = False, **fields) -> None:
        text = escape(tr(text_key, self.lang, **fields))
        self.status.value = f'<span class="cc-bad">{text}</span>' if bad else \
            f'<span class="cc-note">{text}</span>'

    def relabel(self, lang: str) -> None:
        """Every label, figure and chart in ``lang``."""
        self.lang = lang
        self.widget.titles = (tr("plan_title", lang),)
        self.mc_button.description = tr("plan_mc_button", lang)
        self._show_mc()
        self.help.value = f'<p class="cc-note">{escape(tr("plan_help", lang))}</p>'
        for row in self.rows.values():
            row.relabel(lang)
        if self.document is not None:
            self._show()
