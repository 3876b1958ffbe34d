"""The questionnaire: section switches and one accordion panel per section.

Built from the production type's template and the lines of an
:class:`.model.AssessmentState`: each section switched on (« sélection des
étapes ») is a panel with its help and one :class:`.form.LineRow` per line
of each field; a field's first row adds a line to the field, its other rows
remove themselves. Lines of a file that answer no field of the template are
gathered in a last panel, *Other lines*, where the factor is typed as an id.

A section's rows are made when its panel is first opened (or a row of it is
asked for): a long questionnaire opens at once, and the browser draws only
what the user looks at.
"""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w

from ..factors import Edition
from .form import LineRow
from .model import AssessmentState
from .text import tr

OTHER = "__other__"


class Questionnaire:
    """Section switches and panels for an assessment state.

    Parameters
    ----------
    state : AssessmentState
        Updated in place with every checked change.
    edition : Edition
    lang : {"fr", "en"}
    on_change : callable
        Called with no argument after the state changed (to recompute).
    on_checked : callable, optional
        Called with no argument when a row's problems appear or go.
    """

    def __init__(self, state: AssessmentState, edition: Edition, lang: str,
                 on_change: Callable[[], None], on_checked: Callable[[], None] | None = None):
        self.state, self.edition, self.lang, self.on_change = state, edition, lang, on_change
        self.on_checked = on_checked
        self.steps_title = w.HTML()
        self.switches: dict[str, w.Checkbox] = {}
        self.switch_box = w.GridBox(layout=w.Layout(
            grid_template_columns="repeat(3, minmax(180px, 1fr))", grid_gap="0 12px"))
        self.accordion = w.Accordion().add_class("cc-sections")
        self.accordion.observe(self._opened, "selected_index")
        self.widget = w.VBox([self.steps_title, self.switch_box, self.accordion])
        self.rows: dict[int, LineRow] = {}
        self.panels: dict[str, w.VBox] = {}
        self.helps: dict[str, w.HTML] = {}
        self.field_boxes: dict[tuple[str, str], w.VBox] = {}
        self._built: set[str] = set()
        self._kg: dict[int, float] = {}           # the last kgCO2e of each line
        self.build()

    # -- building ------------------------------------------------------------

    def build(self) -> None:
        """(Re)build every switch and panel from the state; rows come when needed."""
        self.rows, self.panels, self.helps, self.field_boxes = {}, {}, {}, {}
        self._built = set()
        template = self.state.template
        self.switches = {}
        for section in template.sections:
            switch = w.Checkbox(value=section.id in self.state.sections, indent=False,
                                layout=w.Layout(width="auto")).add_class(f"cc-step-{section.id}")
            switch.observe(lambda c, sid=section.id: self._switch(sid, c["new"]), "value")
            self.switches[section.id] = switch
            self.helps[section.id] = w.HTML().add_class("cc-section-help")
            self.panels[section.id] = w.VBox([self.helps[section.id]])
        other = [self._row(k, first=False, action=False) for k in self.state.other_keys()]
        self.helps[OTHER] = w.HTML().add_class("cc-section-help")
        self.panels[OTHER] = w.VBox([self.helps[OTHER], *[r.widget for r in other]])
        self._built.add(OTHER)
        self.switch_box.children = list(self.switches.values())
        self.accordion.selected_index = None
        self._show_panels()
        self.relabel(self.lang)

    def ensure_rows(self, section_id: str) -> None:
        """Make the rows of a section's panel, if not made yet."""
        if section_id in self._built:
            return
        self._built.add(section_id)
        boxes = []
        for item in self.state.template.section(section_id).fields:
            keys = self.state.keys_of(section_id, item.id)
            box = w.VBox([self._row(k, first=(i == 0)) for i, k in enumerate(keys)])
            self.field_boxes[(section_id, item.id)] = box
            boxes.append(box)
        self.panels[section_id].children = (self.helps[section_id], *boxes)

    def _opened(self, change) -> None:
        ids = self._panel_ids()
        if change["new"] is not None and change["new"] < len(ids):
            self.ensure_rows(ids[change["new"]])

    def _row(self, key: int, first: bool, action: bool = True):
        row = LineRow(key, self.state.lines[key].data, self.state.field_of(key), self.edition,
                      self.lang, self._line_changed,
                      on_action=(self.add_line if first else self.remove_line) if action else None,
                      first=first, on_checked=self.on_checked)
        self.rows[key] = row
        row.show_kg(self._kg.get(key))             # a row made later shows its line's kgCO2e
        return row.widget if action else row

    def _panel_ids(self) -> list[str]:
        ids = [s for s in self.state.template.section_ids if s in self.state.sections]
        return ids + ([OTHER] if self.state.other_keys() else [])

    def _show_panels(self) -> None:
        ids = self._panel_ids()
        selected = self.accordion.selected_index
        self.accordion.children = [self.panels[s] for s in ids]
        self.accordion.titles = tuple(self._title(s) for s in ids)
        selected = selected if selected is not None and selected < len(ids) else None
        if selected is not None:
            self.ensure_rows(ids[selected])
        self.accordion.selected_index = selected

    def _title(self, section_id: str) -> str:
        if section_id == OTHER:
            return tr("other_lines", self.lang)
        return self.state.template.section(section_id).label(self.lang)

    # -- changes -------------------------------------------------------------

    def _line_changed(self, key: int, **values) -> None:
        self.state.update(key, **values)
        self.on_change()

    def _switch(self, section_id: str, enabled: bool) -> None:
        self.state.set_section(section_id, enabled)
        self._show_panels()
        self.on_change()

    def add_line(self, key: int) -> int:
        """Add a blank line to the field of line ``key``; returns the new line's key."""
        section_id, field_id = self.state.lines[key].slot
        new = self.state.add_line(section_id, field_id)
        box = self.field_boxes[(section_id, field_id)]
        box.children = (*box.children, self._row(new, first=False))
        return new

    def remove_line(self, key: int) -> None:
        """Remove an extra line of a field (and its row)."""
        row = self.rows.pop(key)
        box = self.field_boxes[self.state.lines[key].slot]
        box.children = tuple(c for c in box.children if c is not row.widget)
        self.state.remove_line(key)
        self.on_change()

    # -- display -------------------------------------------------------------

    def relabel(self, lang: str) -> None:
        """Every label of the questionnaire in ``lang``."""
        self.lang = lang
        self.steps_title.value = (f"<b>{escape(tr('steps', lang))}</b>"
                                  f'<div class="cc-note">{escape(tr("steps_help", lang))}</div>')
        for section in self.state.template.sections:
            self.switches[section.id].description = section.label(lang)
            self.helps[section.id].value = f'<p class="cc-note">{escape(section.help(lang))}</p>'
        self.helps[OTHER].value = f'<p class="cc-note">{escape(tr("other_help", lang))}</p>'
        for row in self.rows.values():
            row.relabel(lang)
        self.accordion.titles = tuple(self._title(s) for s in self._panel_ids())

    def show_kg(self, kg_by_key: dict[int, float]) -> None:
        """Each row's kgCO2e (rows of lines not counted show nothing)."""
        self._kg = dict(kg_by_key)
        for key, row in self.rows.items():
            row.show_kg(kg_by_key.get(key))

    @property
    def problem_count(self) -> int:
        """Rows whose inputs are not valid now."""
        return sum(bool(r.problems) for r in self.rows.values())

    def row(self, line_id: str) -> LineRow:
        """The row of the line with id ``line_id`` (made if needed; for tests and scripts)."""
        for key, line in self.state.lines.items():
            if line.data.get("id") == line_id:
                if key not in self.rows:
                    self.ensure_rows(line.slot[0])
                return self.rows[key]
        raise KeyError(f"no line with id {line_id!r}")
