"""The assessment being filled in the guided form: production data and lines.

:class:`AssessmentState` holds the last *valid* values of every line (the
form keeps what the user typed, valid or not, in its text boxes). A line
answers one field of the production type's questionnaire (``section`` and
``field``), or is an *other* line from a file that matches no field. Each
field has at least one line: the ones read from a file, or a blank line with
quantity 0 and the field's default factor.

What is computed and saved (:meth:`AssessmentState.frame`,
:meth:`AssessmentState.to_data`) leaves out the lines of the sections the
user switched off; they stay in memory and come back when the section is
switched on again. Saving writes the lines read from a file and the lines
given a quantity; blank lines left at 0 are not written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..assessment import FORMAT, Assessment, from_dict, to_dict
from ..templates import Field, Template, get_template

# Columns of the table handed to the engine (compute needs the first five).
FRAME_COLUMNS = ["factor", "quantity", "unit", "phase", "where", "id", "section", "field", "note",
                 "data_quality"]


@dataclass
class Line:
    """One activity line: its file-format mapping and where it came from.

    ``data`` has the keys of an activity line of the file format (``id``,
    ``section``, ``field``, ``factor``, ``quantity``, ``unit``, ``phase``,
    ``note`` and any other key read from a file). ``from_file`` is True for
    lines read from a file, which are always saved back.
    """

    data: dict
    from_file: bool = False

    @property
    def slot(self) -> tuple[str, str]:
        """(section, field) the line answers (empty texts for an unplaced line)."""
        return str(self.data.get("section") or ""), str(self.data.get("field") or "")

    @property
    def saved(self) -> bool:
        """Whether :meth:`AssessmentState.to_data` writes the line."""
        return self.from_file or bool(self.data.get("quantity")) or bool(self.data.get("note"))


class AssessmentState:
    """Production data and activity lines of one assessment, keyed by line number.

    Parameters
    ----------
    production : dict
        The file format's ``production`` mapping (``type`` required).
    lines : list of Line
        Lines in file order.
    sections : list of str, optional
        Sections switched on (default: every section of the type's template).
    extra : dict, optional
        Other top-level keys of a file, written back unchanged.
    """

    def __init__(self, production: dict, lines: list[Line], sections=None, extra=None):
        self.production = dict(production)
        self.template: Template = get_template(self.production["type"])
        self.lines: dict[int, Line] = {}
        self._next_key = 0
        self._frame: pd.DataFrame | None = None     # the engine's table, kept up to date
        for line in lines:
            self._insert(line)
        ids = self.template.section_ids
        self.sections = [s for s in ids if sections is None or s in sections
                         or s in self._sections_with_data()]
        self.extra = dict(extra or {})
        self.extra.pop("sections", None)
        self._fill_blanks()

    # -- construction ------------------------------------------------------

    @classmethod
    def blank(cls, production_type: str) -> "AssessmentState":
        """An empty assessment of a production type: one blank line per field."""
        production = {"title": "", "type": production_type, "stage": "forecast"}
        return cls(production, [])

    @classmethod
    def from_assessment(cls, assessment: Assessment) -> "AssessmentState":
        """The state of a loaded (and checked) assessment; its lines are kept as read."""
        data = to_dict(assessment)
        lines = [Line(dict(item), from_file=True) for item in data["activities"]]
        extra = {k: v for k, v in data.items() if k not in ("format", "production", "activities")}
        return cls(data["production"], lines, sections=data.get("sections"), extra=extra)

    def _insert(self, line: Line) -> int:
        self._frame = None
        key = self._next_key
        self._next_key += 1
        self.lines[key] = line
        return key

    def _sections_with_data(self) -> set[str]:
        return {line.slot[0] for line in self.lines.values() if line.from_file}

    def _fill_blanks(self) -> None:
        """A blank line for every field of the template that has none."""
        taken = {line.slot for line in self.lines.values()}
        for section in self.template.sections:
            for item in section.fields:
                if (section.id, item.id) not in taken:
                    self._insert(Line(self._blank_data(section.id, item)))

    def _blank_data(self, section_id: str, item: Field) -> dict:
        return {"id": self._free_id(f"{section_id}.{item.id}"), "section": section_id,
                "field": item.id, "factor": item.default_factor, "quantity": 0.0,
                "unit": item.unit, "phase": item.phase}

    def _free_id(self, wanted: str) -> str:
        ids = {line.data.get("id") for line in self.lines.values()}
        candidate, n = wanted, 1
        while candidate in ids:
            n += 1
            candidate = f"{wanted}.{n}"
        return candidate

    # -- questions about lines ---------------------------------------------

    def field_of(self, key: int) -> Field | None:
        """The template field a line answers, or None for an other line."""
        section_id, field_id = self.lines[key].slot
        if section_id not in self.template.section_ids:
            return None
        section = self.template.section(section_id)
        return next((f for f in section.fields if f.id == field_id), None)

    def keys_of(self, section_id: str, field_id: str) -> list[int]:
        """Keys of the lines of one field, in order."""
        return [k for k, line in self.lines.items() if line.slot == (section_id, field_id)]

    def other_keys(self) -> list[int]:
        """Keys of the lines that answer no field of the template."""
        return [k for k in self.lines if self.field_of(k) is None]

    def counted(self, key: int) -> bool:
        """Whether a line enters the result (its section is switched on, or it is an other line)."""
        return self.field_of(key) is None or self.lines[key].slot[0] in self.sections

    # -- changes -----------------------------------------------------------

    def update(self, key: int, **values) -> None:
        """Set values of a line (``factor``, ``quantity``, ``unit``...), already checked;
        an empty ``data_quality`` is the field's default: the key is left out."""
        self.lines[key].data.update(values)
        if "data_quality" in values and not values["data_quality"]:
            self.lines[key].data.pop("data_quality")
        if self._frame is not None and key in self._frame.index:
            for column, value in values.items():
                if column in FRAME_COLUMNS and column != "where":
                    self._frame.at[key, column] = float(value) if column == "quantity" else value

    def add_line(self, section_id: str, field_id: str) -> int:
        """A new blank line for a field; returns its key."""
        item = self.template.section(section_id).field(field_id)
        return self._insert(Line(self._blank_data(section_id, item)))

    def remove_line(self, key: int) -> None:
        """Drop a line (the form only offers it for a field's extra lines)."""
        del self.lines[key]
        self._frame = None

    def set_section(self, section_id: str, enabled: bool) -> None:
        """Switch a section on or off (« sélection des étapes »)."""
        self.template.section(section_id)
        wanted = set(self.sections) | {section_id} if enabled else set(self.sections) - {section_id}
        self.sections = [s for s in self.template.section_ids if s in wanted]
        self._frame = None

    def set_type(self, production_type: str) -> None:
        """Change the production type, keeping every line that holds data.

        Blank lines of fields the new type lacks are dropped; lines with data
        whose field the new type lacks become other lines; new fields get
        blank lines; every section of the new type is switched on.
        """
        template = get_template(production_type)
        slots = {(s.id, f.id) for s in template.sections for f in s.fields}
        self.lines = {k: line for k, line in self.lines.items()
                      if line.saved or line.slot in slots}
        self.production["type"] = production_type
        self.template = template
        self.sections = list(template.section_ids)
        self._frame = None
        self._fill_blanks()

    # -- output ------------------------------------------------------------

    def counted_keys(self) -> list[int]:
        return [k for k in self.lines if self.counted(k)]

    def frame(self) -> pd.DataFrame:
        """The counted lines as the engine's long table, indexed by line key.

        Built once, then kept up to date by :meth:`update`; any other change
        builds it again. Callers must not modify it.
        """
        if self._frame is None:
            self._frame = self._build_frame()
        return self._frame

    def _build_frame(self) -> pd.DataFrame:
        keys = self.counted_keys()
        rows = [self.lines[k].data for k in keys]
        frame = pd.DataFrame({c: [row.get(c, "") or "" for row in rows] for c in FRAME_COLUMNS
                              if c not in ("quantity", "where")}, index=keys)
        frame["quantity"] = [float(row["quantity"]) for row in rows]
        frame["where"] = [str(row.get("id") or k) for k, row in zip(keys, rows)]
        return frame[FRAME_COLUMNS]

    def assessment(self, source: str = "<form>") -> Assessment:
        """The counted lines as an :class:`Assessment` for :func:`results.assess`."""
        return Assessment(production=dict(self.production), lines=self.frame(), source=source)

    def to_data(self) -> dict:
        """The assessment in the file format's shape, checked by :func:`assessment.from_dict`.

        Writes the switched-on sections (``sections``), the lines read from a
        file and the lines given a quantity or a note, of counted sections.
        """
        activities = [dict(self.lines[k].data) for k in self.counted_keys()
                      if self.lines[k].saved]
        data = {"format": FORMAT, "production": dict(self.production),
                "sections": list(self.sections), "activities": activities, **self.extra}
        from_dict(data)          # the same checks as reading the file back
        return data
