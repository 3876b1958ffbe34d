"""Form widgets built from a questionnaire template: one row per activity line.

A :class:`LineRow` holds a line's factor (a drop-down of the field's default
and alternative factors, labelled in the current language), its quantity (a
text box: what the user typed is never replaced), its unit (a combo box
suggesting the compatible units), its data quality (a drop-down of the
four levels, or the field's default) and, once computed, its kgCO2e. Every
change is checked (:mod:`.parse`); a mistake is shown in red next to the
field and nothing else changes: the line keeps its last valid values, and so
does the result. :class:`ProductionForm` does the same for the production
data (title, duration, episodes, budget, days, country).
"""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w

from ..dimensions import DATA_QUALITY, DEFAULT_DATA_QUALITY
from ..factors import Edition
from ..switches import CONTRAILS
from ..templates import Field
from .parse import Problem, is_product, parse_country, parse_number, unit_options, unit_problem
from .text import input_number, number, tr, unit_label

# A row is a grid: the label and the factor share what the pane leaves (the
# factor drop-down gets the larger part, so that its label shows in full at
# 1280 px), the quantity, unit, data quality and kgCO2e keep fixed columns.
ROW_COLUMNS = "minmax(100px, 0.2fr) minmax(0, 1fr) 88px 116px 100px 96px 34px"
ROW_WIDTHS = {"label": "auto", "factor": "auto", "quantity": "auto", "unit": "auto",
              "quality": "auto", "kg": "auto", "action": "34px"}
_LAYOUTS: dict[str, w.Layout] = {}


def shared_layout(part: str) -> w.Layout:
    """One Layout per part of a row, shared by every row.

    A widget without a layout gets its own Layout widget; sharing them halves
    the widgets a long questionnaire creates (and sends to the browser).
    Never change a shared layout: give a widget its own to hide it.
    """
    if part not in _LAYOUTS or _LAYOUTS[part].comm is None:   # a closed widget is rebuilt
        _LAYOUTS[part] = (w.Layout(width=ROW_WIDTHS[part], min_width="0") if part in ROW_WIDTHS
                          else w.Layout(grid_template_columns=ROW_COLUMNS, grid_gap="0 6px",
                                        align_items="center", width="100%")
                          if part == "inputs" else w.Layout())
    return _LAYOUTS[part]


def plain_number(value: float, lang: str = "en") -> str:
    """A quantity as the text box shows it: ``930``, ``1.5`` / ``1,5``, ``0.00293``."""
    return input_number(value, lang)


def message_html(problems: list[Problem], lang: str, kept: str = "") -> str:
    """Problems as one red line (empty text when there is none)."""
    if not problems:
        return ""
    text = (" ; " if lang == "fr" else "; ").join(p.message(lang) for p in problems)
    if kept:
        text += " — " + tr("kept_previous", lang, value=kept)
    return f'<span class="cc-bad">{escape(text)}</span>'


def _show(widget: w.HTML, html_text: str) -> None:
    """Set an HTML widget's content and hide it when empty (no blank line left)."""
    widget.value = html_text
    widget.layout.display = None if html_text else "none"


class LineRow:
    """The widgets of one activity line.

    Parameters
    ----------
    key : int
        The line's key in the assessment state.
    data : dict
        The line (``factor``, ``quantity``, ``unit``, ``id``...).
    item : Field or None
        The template field it answers; None for an other line, whose factor
        is typed as an id.
    edition : Edition
    lang : {"fr", "en"}
    on_valid : callable
        ``on_valid(key, factor=..., quantity=..., unit=...)`` with checked values.
    on_action : callable
        ``on_action(key)`` when the row's button is pressed (add a line to the
        field on a field's first row, remove the line on the others).
    first : bool
        Whether this is the field's first row (its button adds a line).
    on_checked : callable, optional
        Called with no argument after every check (to count the fields to fix).
    """

    def __init__(self, key: int, data: dict, item: Field | None, edition: Edition, lang: str,
                 on_valid: Callable, on_action: Callable | None = None, first: bool = True,
                 on_checked: Callable | None = None):
        self.key, self.item, self.edition, self.lang = key, item, edition, lang
        self.on_valid, self.on_action, self.first = on_valid, on_action, first
        self.on_checked = on_checked
        self.note = str(data.get("note") or "")
        self.valid = (data["factor"], float(data["quantity"]), data["unit"])
        self.problems: list[Problem] = []
        self._quiet = False
        self._kg_shown: tuple | None = None
        self.label = w.HTML(layout=shared_layout("label"))
        self.factor = self._factor_widget(data["factor"])
        shown = "" if not data["quantity"] and item is not None and not data.get("note") else \
            plain_number(data["quantity"], lang)
        self.quantity = w.Text(value=shown, placeholder="0", continuous_update=True,
                               layout=shared_layout("quantity"))
        self.unit = self._unit_widget(data["factor"], data["unit"])
        level = data.get("data_quality") or ""
        self.quality = w.Dropdown(options=quality_options(self._default_quality, lang, level),
                                  value=level, layout=shared_layout("quality"))
        self.kg = w.HTML(layout=shared_layout("kg")).add_class("cc-line-kg")
        self.action = w.Button(description="+" if first else "−", layout=shared_layout("action"))
        self.message = w.HTML(layout=w.Layout(display="none")).add_class("cc-message")
        slot = data.get("id") or str(key)
        for widget, part in ((self.quantity, "q"), (self.unit, "unit"), (self.factor, "factor"),
                             (self.message, "msg"), (self.action, "action"), (self.kg, "kg"),
                             (self.quality, "quality")):
            widget.add_class(f"cc-{part}-{_css(slot)}")
        inputs = w.GridBox([self.label, self.factor, self.quantity, self.unit, self.quality,
                            self.kg]
                           + ([self.action] if on_action else []),
                           layout=shared_layout("inputs")).add_class("cc-inputs")
        self.widget = w.VBox([inputs, self.message],
                             layout=shared_layout("box")).add_class("cc-row")
        for widget in (self.factor, self.quantity, self.unit):
            widget.observe(self._changed, "value")
        self.quality.observe(self._quality_changed, "value")
        self.action.on_click(lambda _: self.on_action(self.key) if self.on_action else None)
        self.relabel(lang)

    # -- widgets -----------------------------------------------------------

    @property
    def _default_quality(self) -> str:
        """The data-quality level of the line when none is set: its field's."""
        return self.item.data_quality if self.item is not None else DEFAULT_DATA_QUALITY

    def _quality_changed(self, change) -> None:
        if not self._quiet:
            self.on_valid(self.key, data_quality=change["new"] or "")

    def _factor_widget(self, factor_id: str) -> w.ValueWidget:
        if self.item is None:
            ids = self.edition.table.index[self.edition.table["value_kgco2e"].notna()]
            return w.Combobox(value=factor_id, options=tuple(ids), ensure_option=False,
                              layout=shared_layout("factor"))
        return w.Dropdown(options=self._factor_options(factor_id, self.lang), value=factor_id,
                          layout=shared_layout("factor"))

    def _factor_options(self, current: str, lang: str) -> list[tuple[str, str]]:
        ids = list(self.item.factors) + ([current] if current not in self.item.factors else [])
        table = self.edition.table
        return [(str(table.at[i, f"label_{lang}"]) if i in table.index else i, i) for i in ids]

    def _unit_widget(self, factor_id: str, unit: str) -> w.ValueWidget:
        """A drop-down of the units that fit (human labels) for a field's line;
        a combo box where any unit may be typed for an other line."""
        options = self._unit_options(factor_id, unit)
        if self.item is None:
            return w.Combobox(value=unit, ensure_option=False, options=options,
                              layout=shared_layout("unit"))
        return w.Dropdown(options=self._unit_choices(options, self.lang), value=unit,
                          layout=shared_layout("unit"))

    @staticmethod
    def _unit_choices(options: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
        return [(unit_label(u, lang), u) for u in options]

    def _activity_unit(self, factor_id: str) -> str | None:
        table = self.edition.table
        if factor_id in table.index and table.at[factor_id, "value_kgco2e"] == \
                table.at[factor_id, "value_kgco2e"]:          # not NaN: an emission factor
            return str(table.at[factor_id, "activity_unit"])
        return None

    def _unit_options(self, factor_id: str, current: str) -> tuple[str, ...]:
        base = self.item.unit if self.item is not None else current
        activity_unit = self._activity_unit(factor_id)
        options = unit_options(base, activity_unit, self.edition) if activity_unit else (base,)
        return options if current in options or not current else (current,) + options

    # -- checking ----------------------------------------------------------

    def _changed(self, change) -> None:
        if self._quiet:
            return
        if change["owner"] is self.factor:
            activity_unit = self._activity_unit(str(self.factor.value).strip())
            if activity_unit:
                self._set_unit_options(self._unit_options(self.factor.value, self.unit.value))
            self.factor.tooltip = self._factor_tip(str(self.factor.value or ""), self.lang)
            if self.item is None:
                self.relabel(self.lang)          # an other line is named by its factor
        self.check()

    def _set_unit_options(self, options: tuple[str, ...]) -> None:
        if isinstance(self.unit, w.Dropdown):
            value = self.unit.value
            choices = self._unit_choices(options, self.lang)
            self._quiet = True
            try:
                self.unit.options = choices
                self.unit.value = value if value in options else options[0]
            finally:
                self._quiet = False
        else:
            self._set_quietly(self.unit, "options", options)

    def check(self) -> None:
        """Check the three inputs; pass them on if they are all valid, else show why."""
        problems, factor_id = [], str(self.factor.value or "").strip()
        quantity = parse_number(self.quantity.value, lang=self.lang)
        if isinstance(quantity, Problem):
            problems.append(quantity)
        activity_unit = self._activity_unit(factor_id)
        if activity_unit is None:
            problems.append(Problem("bad_factor", {"factor": factor_id,
                                                   "edition": self.edition.name}))
        else:
            problem = unit_problem(self.unit.value, activity_unit, self.edition)
            if problem:
                problems.append(problem)
        had_problems, self.problems = bool(self.problems), problems
        self._show_message()
        if problems or had_problems:
            self._checked()
        if problems:
            return
        values = (factor_id, quantity, str(self.unit.value).strip())
        if values != self.valid:
            self.valid = values
            self.on_valid(self.key, factor=values[0], quantity=values[1], unit=values[2])

    def _checked(self) -> None:
        if self.on_checked is not None:
            self.on_checked()

    def _show_message(self) -> None:
        kept = (f"{plain_number(self.valid[1], self.lang)} {unit_label(self.valid[2], self.lang)}"
                if self.problems else "")
        _show(self.message, message_html(self.problems, self.lang, kept))

    # -- display -----------------------------------------------------------

    def _set_quietly(self, widget, name: str, value) -> None:
        self._quiet = True
        try:
            setattr(widget, name, value)
        finally:
            self._quiet = False

    def relabel(self, lang: str) -> None:
        """Show labels, factor names, units, help and messages in ``lang``; a
        valid quantity is written again the new language's way."""
        old, self.lang = self.lang, lang
        if old != lang and not self.problems and self.quantity.value.strip() and \
                not is_product(self.quantity.value):
            value = parse_number(self.quantity.value, lang=old)
            if not isinstance(value, Problem):
                self._set_quietly(self.quantity, "value", plain_number(value, lang))
        if isinstance(self.unit, w.Dropdown):
            self._set_unit_options(tuple(value for _, value in self.unit.options))
        self.factor.tooltip = self._factor_tip(str(self.factor.value or ""), lang)
        if self.item is not None:
            label = escape(self.item.label(lang)) + ("" if self.first else " (+)")
            note = (f'<div class="cc-line-note">{escape(tr("line_note", lang, note=self.note))}'
                    "</div>" if self.note else "")
            self.label.value = (f'<details class="cc-help"><summary>{label}</summary>'
                                f"{escape(self.item.help(lang))}{note}</details>")
            self._quiet = True
            try:
                value = self.factor.value
                self.factor.options = self._factor_options(value, lang)
                self.factor.value = value
            finally:
                self._quiet = False
        else:
            self.factor.placeholder = tr("factor_id_placeholder", lang)
            table = self.edition.table
            factor_id = str(self.factor.value)
            name = table.at[factor_id, f"label_{lang}"] if factor_id in table.index else factor_id
            self.label.value = f'<span title="{escape(factor_id)}">{escape(str(name))}</span>'
        level = self.quality.value
        self._quiet = True
        try:
            self.quality.options = quality_options(self._default_quality, lang, level)
            self.quality.value = level
        finally:
            self._quiet = False
        self.quality.tooltip = quality_tip(self._default_quality, lang)
        self.action.tooltip = tr("add_line" if self.first else "remove_line", lang)
        self.quantity.tooltip = tr("quantity_tip", lang)
        self._show_message()

    def show_note(self, note: str) -> None:
        """Show the line's note (the distance helper's estimate) under its
        field's help."""
        self.note = note
        self.relabel(self.lang)

    def _factor_tip(self, factor_id: str, lang: str) -> str:
        """The chosen factor's full label, id and source (the drop-down's tooltip)."""
        table = self.edition.table
        if factor_id not in table.index:
            return factor_id
        return (f"{table.at[factor_id, f'label_{lang}']}\n{factor_id} — "
                f"{table.at[factor_id, 'source']}")

    def show_kg(self, kgco2e: float | None) -> None:
        """Show the line's kgCO2e (blank for nothing)."""
        if (kgco2e, self.lang) == self._kg_shown:
            return
        self._kg_shown = (kgco2e, self.lang)
        text = tr("line_kg", self.lang, value=number(kgco2e, self.lang)) if kgco2e else ""
        if self.kg.value != text:
            self.kg.value = text


def quality_options(default: str, lang: str, current: str = "") -> list[tuple[str, str]]:
    """The data-quality drop-down: the field's default (value ``""``), then the
    four levels (``Mesuré``); short, so that the factor keeps its width from
    1280 px (full labels, uncertainties and the default in :func:`quality_tip`)."""
    options = [(tr("dq_default", lang), "")]
    options += [(tr(f"dq_{level}", lang), level) for level in DATA_QUALITY]
    if current and current not in DATA_QUALITY:
        options.append((current, current))
    return options


def quality_tip(default: str, lang: str) -> str:
    """The drop-down's tooltip: each level in full with its uncertainty, and the default."""
    i = 0 if lang == "fr" else 1
    levels = "; ".join(f"{labels[i]} ±{u:g} %" for u, labels in DATA_QUALITY.values())
    name = DATA_QUALITY[default][1][i] if default in DATA_QUALITY else default
    return tr("data_quality_tip", lang, levels=levels, default=name)


def _css(text: str) -> str:
    """A CSS-class-safe version of a line id (``guests.guest_train`` -> ``guests-guest_train``)."""
    return "".join(c if c.isalnum() or c in "_-" else "-" for c in str(text))


# ---------------------------------------------------------------------------
# Production data

PRODUCTION_NUMBER_UNITS = {"content_minutes": "unit_minutes", "episodes": None,
                           "budget_eur": "unit_eur", "days": "unit_days"}




class ProductionForm:
    """Title, content duration, episodes, budget, days and country of the
    production, and the contrails switch (``production.contrails``).

    ``on_valid(key, value)`` receives each checked value (None for a blank box);
    ``on_checked()``, if given, is called after every check.
    """

    def __init__(self, production: dict, lang: str, on_valid: Callable,
                 on_checked: Callable | None = None):
        self.on_valid, self.lang, self.on_checked = on_valid, lang, on_checked
        self._quiet = False
        self.title = w.Text(value=str(production.get("title") or ""),
                            layout=w.Layout(width="460px")).add_class("cc-p-title")
        self.numbers = {key: w.Text(value=plain_number(production[key], lang)
                                    if production.get(key) is not None else "",
                                    layout=w.Layout(width="120px")).add_class(f"cc-p-{key}")
                        for key in PRODUCTION_NUMBER_UNITS}
        self.country = w.Text(value=str(production.get("country") or ""),
                              layout=w.Layout(width="60px")).add_class("cc-p-country")
        self.contrails = w.Dropdown(options=self._contrails_options(lang),
                                    value=production.get("contrails") or "include",
                                    layout=w.Layout(width="300px")).add_class("cc-p-contrails")
        self.labels = {key: w.HTML(layout=w.Layout(width="250px"))
                       for key in ["title", *PRODUCTION_NUMBER_UNITS, "country", "contrails"]}
        self.units = {key: w.HTML() for key in PRODUCTION_NUMBER_UNITS}
        self.messages = {key: w.HTML(layout=w.Layout(display="none")).add_class("cc-message")
                         for key in self.labels}
        self.problems: dict[str, Problem | None] = {key: None for key in self.labels}
        rows = [w.VBox([w.HBox([self.labels["title"], self.title]), self.messages["title"]])]
        for key, box in self.numbers.items():
            rows.append(w.VBox([w.HBox([self.labels[key], box, self.units[key]],
                                       layout=w.Layout(align_items="center")),
                                self.messages[key]]))
        rows.append(w.VBox([w.HBox([self.labels["country"], self.country]),
                            self.messages["country"]]))
        rows.append(w.HBox([self.labels["contrails"], self.contrails]))
        self.widget = w.VBox(rows).add_class("cc-production")
        self.title.observe(lambda c: self.on_valid("title", c["new"]), "value")
        for key, box in self.numbers.items():
            box.observe(lambda c, key=key: self._number(key, c["new"]), "value")
        self.country.observe(lambda c: self._country(c["new"]), "value")
        self.contrails.observe(self._contrails_changed, "value")
        self.relabel(lang)

    @staticmethod
    def _contrails_options(lang: str) -> list[tuple[str, str]]:
        return [(tr(f"contrails_{k}", lang), k) for k in CONTRAILS]

    def _contrails_changed(self, change) -> None:
        if not self._quiet:
            self.on_valid("contrails", change["new"])

    def _number(self, key: str, text: str) -> None:
        if self._quiet:
            return
        value = parse_number(text, empty=None, lang=self.lang)
        self._report(key, value)

    def _country(self, text: str) -> None:
        self._report("country", parse_country(text))

    def _report(self, key: str, value) -> None:
        problem = value if isinstance(value, Problem) else None
        self.problems[key] = problem
        _show(self.messages[key], message_html([problem] if problem else [], self.lang))
        if problem is None:
            self.on_valid(key, value)
        if self.on_checked is not None:
            self.on_checked()

    def load(self, production: dict) -> None:
        """Show another production's data (the caller ignores the resulting callbacks)."""
        self.title.value = str(production.get("title") or "")
        for key, box in self.numbers.items():
            value = production.get(key)
            box.value = plain_number(value, self.lang) if value is not None else ""
        self.country.value = str(production.get("country") or "")
        self.contrails.value = production.get("contrails") or "include"
        self.problems = {key: None for key in self.labels}
        self.relabel(self.lang)

    def relabel(self, lang: str) -> None:
        """Labels, units and messages in ``lang``; valid numbers written its way."""
        old, self.lang = self.lang, lang
        for key, box in self.numbers.items():
            value = parse_number(box.value, empty=None, lang=old)
            if old != lang and self.problems[key] is None and isinstance(value, float):
                self._quiet = True
                try:
                    box.value = plain_number(value, lang)
                finally:
                    self._quiet = False
        for key, label in self.labels.items():
            label.value = escape(tr(key, lang))
        self._quiet = True
        try:
            value = self.contrails.value
            self.contrails.options = self._contrails_options(lang)
            self.contrails.value = value
        finally:
            self._quiet = False
        self.contrails.tooltip = tr("contrails_tip", lang)
        for key, unit in self.units.items():
            unit_key = PRODUCTION_NUMBER_UNITS[key]
            unit.value = escape(tr(unit_key, lang)) if unit_key else ""
        for key, problem in self.problems.items():
            _show(self.messages[key], message_html([problem] if problem else [], lang))

    @property
    def problem_count(self) -> int:
        return sum(p is not None for p in self.problems.values())
