"""Assessment files: a production and its activity lines.

The file format ``carbonclap-assessment/1`` is YAML (human-written) or JSON;
its minimal shape is documented in DESIGN.md and README.md. Loading checks
the shape and the production data; the activity lines become a long-format
table (one row per line) that :mod:`compute` turns into emissions, where
factor ids and units are checked against the edition.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .dimensions import DATA_QUALITY
from .errors import InvalidAssessment, InvalidQuantity, Location
from .files import LINE_KEY, parse_json, parse_yaml, read_text, shown

# The shared words live in vocabulary.py; importable from here too.
from .vocabulary import FORMAT, PHASES, PRODUCTION_NUMBERS, PRODUCTION_TYPES, STAGES  # noqa: F401
# Optional text keys of an activity line: a line id (unique in the file, used to
# match forecast and final lines), the questionnaire section and field it
# answers, and a free note.
LINE_TEXT_KEYS = ("id", "section", "field", "note", "data_quality")
# Keys of an activity line that readers know, in the order files are written;
# any other key is kept in "extra" and written back. ``data_quality`` (one of
# dimensions.DATA_QUALITY) overrides the default level of the line's field.
LINE_KEYS = ("id", "section", "field", "factor", "quantity", "unit", "phase", "note",
             "data_quality")
LINE_COLUMNS = list(LINE_KEYS) + ["where", "extra"]


@dataclass
class Assessment:
    """A production's data and its activity lines (long format, one row per line)."""

    production: dict
    lines: pd.DataFrame
    source: str = "<memory>"
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.production.get("title", ""))


def load_assessment(path: str | Path) -> Assessment:
    """Read and check an assessment file (``.yaml``, ``.yml``, ``.json`` or ``.xlsx``).

    Raises
    ------
    InvalidAssessment
        For a missing, empty, undecodable or malformed file, a wrong format
        version, missing keys or bad production data; the message names the
        file, the line where known, and the field.
    InvalidQuantity
        For a quantity that is not a finite number >= 0.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from .workbook import read_workbook  # imported here: workbook imports this module
        return from_dict(read_workbook(path), source=str(path))
    text = read_text(path, InvalidAssessment)
    data = _parse(path, text)
    return from_dict(data, source=str(path))


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        return parse_json(path, text, InvalidAssessment)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InvalidAssessment(f"unsupported file type {path.suffix!r} "
                                "(expected .yaml, .yml, .json or .xlsx)", Location(path))
    return parse_yaml(path, text, InvalidAssessment)


def _where(source: str, node: Any, path: str | None = None) -> Location:
    """The place of ``path`` in ``node``: its file and line; a reader other than
    YAML records its own position instead of a line number (a workbook: a
    :class:`Location` with the sheet and row)."""
    position = node.get(LINE_KEY) if isinstance(node, dict) else None
    if isinstance(position, Location):
        return Location(source, position.line, path, position.sheet, position.row)
    return Location(source, position, path)


def _clean(node: Any) -> Any:
    """Drop the recorded line numbers from a loaded structure."""
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if k != LINE_KEY}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _number_from_text(text: str, where: Location) -> float:
    """Numbers YAML reads as text (``1e3``, ``"12"``); a decimal comma gets its own message."""
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped):
        return float(stripped)
    if _NUMBER.fullmatch(stripped.replace(",", ".", 1)):
        raise InvalidQuantity(f"{text!r} uses a decimal comma; write "
                              f"{stripped.replace(',', '.', 1)}", where)
    raise InvalidQuantity(f"{text!r} is not a number", where)


def as_quantity(value: Any, where: Location) -> float:
    """A finite number >= 0, or :class:`InvalidQuantity` naming ``where``."""
    if isinstance(value, str):
        value = _number_from_text(value, where)
    if hasattr(value, "dtype") and hasattr(value, "item"):     # a numpy scalar
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidQuantity(f"{shown(value)} is not a number", where)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InvalidQuantity(f"{shown(value)[:40]} is not a finite number", where)
    if number < 0:
        raise InvalidQuantity(f"{shown(value)} is negative; quantities must be >= 0", where)
    return number


def from_dict(data: Any, source: str = "<memory>") -> Assessment:
    """Build an :class:`Assessment` from parsed YAML/JSON, checking its shape."""
    if data is None:
        raise InvalidAssessment("the file is empty (no data, only comments)", Location(source))
    if not isinstance(data, dict):
        raise InvalidAssessment("the file must hold a mapping with 'format', 'production' and "
                                "'activities'", Location(source))
    fmt = data.get("format")
    if fmt is None:
        raise InvalidAssessment(f"missing 'format' (expected {FORMAT!r})", Location(source))
    if fmt != FORMAT:
        raise InvalidAssessment(f"unsupported format {fmt!r} (expected {FORMAT!r})",
                                _where(source, data, "format"))
    production = _production(data.get("production"), data, source)
    activities = data.get("activities")
    if activities is None:
        raise InvalidAssessment("missing 'activities' (a list of activity lines)",
                                Location(source))
    if not isinstance(activities, list):
        raise InvalidAssessment("must be a list", _where(source, data, "activities"))
    rows = [_line(item, i, source) for i, item in enumerate(activities)]
    _check_unique_ids(rows)
    lines = pd.DataFrame(rows, columns=LINE_COLUMNS) if rows else \
        pd.DataFrame({c: pd.Series(dtype=float if c == "quantity" else object)
                      for c in LINE_COLUMNS})
    extra = {k: v for k, v in _clean(data).items()
             if k not in ("format", "production", "activities")}
    return Assessment(production=production, lines=lines, source=source, extra=extra)


def _production(node: Any, root: dict, source: str) -> dict:
    if node is None:
        raise InvalidAssessment("missing 'production'", Location(source))
    if not isinstance(node, dict):
        raise InvalidAssessment("must be a mapping", _where(source, root, "production"))
    where = lambda key: _where(source, node, f"production.{key}")  # noqa: E731
    kind = node.get("type")
    if kind is None:
        raise InvalidAssessment(f"missing (one of {', '.join(PRODUCTION_TYPES)})", where("type"))
    if kind not in PRODUCTION_TYPES:
        raise InvalidAssessment(f"unknown production type {kind!r} "
                                f"(one of {', '.join(PRODUCTION_TYPES)})", where("type"))
    stage = node.get("stage", "forecast")
    if stage not in STAGES:
        raise InvalidAssessment(f"{stage!r} is not a stage (one of {', '.join(STAGES)})",
                                where("stage"))
    production = _clean(node)
    production["stage"] = stage
    for key in PRODUCTION_NUMBERS:
        if node.get(key) is not None:
            production[key] = as_quantity(node[key], where(key))
    contrails = node.get("contrails", "include")
    if contrails not in ("include", "exclude"):
        raise InvalidAssessment(f"{contrails!r} is not a choice (one of include, exclude)",
                                where("contrails"))
    country = node.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)):
        raise InvalidAssessment(f"{country!r} is not an ISO 3166 two-letter country code "
                                "(FR, GB, DE...)", where("country"))
    return production


def _line(item: Any, index: int, source: str) -> dict:
    label = f"activities[{index}]"
    if not isinstance(item, dict):
        raise InvalidAssessment("must be a mapping with factor, quantity, unit and phase",
                                Location(source, None, label))
    where = lambda key: _where(source, item, f"{label}.{key}")  # noqa: E731
    for key in ("factor", "quantity", "unit", "phase"):
        if item.get(key) is None:
            raise InvalidAssessment("missing", where(key))
    for key in ("factor", "unit"):
        if not isinstance(item[key], str) or not item[key].strip():
            raise InvalidAssessment(f"{item[key]!r} must be a non-empty text", where(key))
    phase = item["phase"]
    if phase not in PHASES:
        raise InvalidAssessment(f"{phase!r} is not a phase (one of {', '.join(PHASES)})",
                                where("phase"))
    # codes are read without surrounding spaces; a note is kept as typed
    row = {key: _text(item.get(key), where(key), strip=key != "note") for key in LINE_TEXT_KEYS}
    if row["data_quality"] and row["data_quality"] not in DATA_QUALITY:
        raise InvalidAssessment(f"{row['data_quality']!r} is not a data-quality level "
                                f"(one of {', '.join(DATA_QUALITY)})", where("data_quality"))
    row.update(factor=item["factor"].strip(), quantity=as_quantity(item["quantity"], where("quantity")),
               unit=item["unit"].strip(), phase=phase, where=_where(source, item, label),
               extra={k: v for k, v in _clean(item).items() if k not in LINE_KEYS})
    return row


def _text(value: Any, where: Location, strip: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise InvalidAssessment(f"must be a text, not a {type(value).__name__}", where)
    return str(value).strip() if strip else str(value)


def _check_unique_ids(rows: list[dict]) -> None:
    first: dict[str, Location] = {}
    for row in rows:
        if row["id"] and first.setdefault(row["id"], row["where"]) != row["where"]:
            raise InvalidAssessment(f"duplicate line id {row['id']!r} "
                                    f"(first used at {first[row['id']]})", row["where"].at("id"))


def to_dict(assessment: Assessment) -> dict:
    """The assessment in the file format's shape (the inverse of :func:`from_dict`).

    Optional text keys are written only when set; extra keys are kept.
    """
    activities = []
    for row in assessment.lines.to_dict(orient="records"):
        line = {key: row[key] for key in LINE_KEYS
                if key not in LINE_TEXT_KEYS or row.get(key)}
        line.update(row.get("extra") or {})
        activities.append(line)
    return {"format": FORMAT, "production": dict(assessment.production),
            "activities": activities, **assessment.extra}
