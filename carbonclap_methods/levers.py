"""Reduction levers as data (``data/levers.yaml``): what each changes in an
assessment's lines, its parameters with defaults and ranges, where it applies.

A lever is applied to an assessment by :func:`apply_lever`, which returns
new lines (and production data) through :mod:`edits`; what a lever saves is
computed by the engine (:mod:`plan`), never written in the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import bundled, edits
from .assessment import PRODUCTION_TYPES
from .errors import InvalidLever, Location, Problem
from .files import LINE_KEY, parse_yaml, read_text

LEVERS_FILE = bundled.package_data() / "levers.yaml"
KINDS = ("replace", "scale", "split", "remove", "add", "contract")
TEXT_KEYS = ("label_fr", "label_en", "rationale_fr", "rationale_en", "source")


@dataclass(frozen=True)
class Parameter:
    """A lever's parameter: default and allowed range [its unit]."""

    name: str
    default: float
    minimum: float
    maximum: float
    unit: str
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class Lever:
    """One reduction lever: texts, source, types it applies to, parameters, changes."""

    id: str
    label_fr: str
    label_en: str
    rationale_fr: str
    rationale_en: str
    source: str
    types: tuple[str, ...]
    parameters: dict[str, Parameter]
    changes: tuple[dict, ...]
    where: Location | None = field(default=None, compare=False, repr=False)

    def values(self, given: dict[str, float] | None = None) -> dict[str, float]:
        """The parameters' values: ``given`` checked against their ranges, else defaults."""
        given = dict(given or {})
        unknown = [k for k in given if k not in self.parameters]
        if unknown:
            raise InvalidLever(f"lever {self.id}: unknown parameter {unknown[0]!r} (parameters: "
                               f"{', '.join(self.parameters) or 'none'})")
        out = {}
        for name, spec in self.parameters.items():
            value = given.get(name, spec.default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or not spec.minimum <= value <= spec.maximum:
                share = (" (a share: 0.3 for 30 %)" if spec.unit == "share" else "")
                raise InvalidLever(f"lever {self.id}: parameter {name} = {value!r} is out of its "
                                   f"range [{spec.minimum:g}, {spec.maximum:g}]{share}")
            out[name] = float(value)
        return out


# ---------------------------------------------------------------------------
# Reading and checking the file

def _fail(where: Location, message: str):
    raise InvalidLever(message, where)


def _at(path: Path, node: Any, what: str) -> Location:
    line = node.get(LINE_KEY) if isinstance(node, dict) else None
    return Location(path, line, what)


def _texts(node: dict, where: Location) -> dict[str, str]:
    out = {}
    for key in TEXT_KEYS:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            _fail(where, f"{key} must be a non-empty text")
        out[key] = " ".join(value.split())
    return out


def _parameter(name: str, node: Any, where: Location) -> Parameter:
    if not isinstance(node, dict):
        _fail(where, f"parameter {name} must be a mapping")
    numbers = {}
    for key in ("default", "min", "max"):
        value = node.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            _fail(where, f"parameter {name}.{key} must be a number")
        numbers[key] = float(value)
    if not numbers["min"] <= numbers["default"] <= numbers["max"]:
        _fail(where, f"parameter {name}: default {numbers['default']:g} outside "
                     f"[{numbers['min']:g}, {numbers['max']:g}]")
    return Parameter(name, numbers["default"], numbers["min"], numbers["max"],
                     str(node.get("unit", "")), str(node.get("label_fr", name)),
                     str(node.get("label_en", name)))


def _names(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _change(node: Any, parameters: dict, where: Location) -> dict:
    if not isinstance(node, dict) or node.get("kind") not in KINDS:
        _fail(where, f"kind must be one of {', '.join(KINDS)}")
    change = {k: ({kk: vv for kk, vv in v.items() if kk != LINE_KEY} if isinstance(v, dict) else v)
              for k, v in node.items() if k != LINE_KEY}
    for key in ("share", "ratio", "quantity_factor", "quantity"):
        for name in _names(change.get(key, [])):
            if isinstance(name, str) and name not in parameters:
                _fail(where, f"{key} names {name!r}, not a parameter of the lever")
    kind = change["kind"]
    if kind in ("replace", "scale", "split", "remove", "contract") and not (
            change.get("fields") or change.get("factors") or change.get("band_km")):
        _fail(where, f"a {kind} change needs fields, factors or band_km")
    if kind in ("replace", "split") and not change.get("to"):
        _fail(where, f"a {kind} change needs 'to' (the new factor)")
    if kind == "add" and not all(change.get(k) for k in ("field", "factor", "unit", "quantity")):
        _fail(where, "an add change needs field, factor, unit and quantity")
    if "band_km" in change and "max_km" not in parameters:
        _fail(where, "band_km needs a parameter max_km")
    return change


def _lever(lever_id: str, node: Any, path: Path) -> Lever:
    where = _at(path, node, f"lever {lever_id}")
    if not isinstance(node, dict):
        _fail(where, "must be a mapping")
    texts = _texts(node, where)
    types = node.get("types", list(PRODUCTION_TYPES))
    unknown = [t for t in types if t not in PRODUCTION_TYPES]
    if unknown:
        _fail(where, f"unknown production type {unknown[0]!r}")
    raw = node.get("parameters") or {}
    parameters = {name: _parameter(name, spec, where)
                  for name, spec in raw.items() if name != LINE_KEY}
    changes = node.get("changes")
    if not isinstance(changes, list) or not changes:
        _fail(where, "changes must be a non-empty list")
    return Lever(id=lever_id, types=tuple(types), parameters=parameters, where=where,
                 changes=tuple(_change(c, parameters, _at(path, c, f"lever {lever_id}, change"))
                               for c in changes), **texts)


def load_levers(path: str | Path | None = None) -> dict[str, Lever]:
    """Every lever of ``path`` (default: the package's ``data/levers.yaml``), checked.

    Raises
    ------
    InvalidLever
        For a malformed file or lever, naming the file, line and lever.
    """
    path = Path(path) if path is not None else LEVERS_FILE
    return dict(_load_cached(str(path.resolve()), path.stat().st_mtime_ns if path.exists() else 0))


@lru_cache(maxsize=4)
def _load_cached(path: str, stamp: int) -> dict[str, Lever]:
    file = Path(path)
    doc = parse_yaml(file, read_text(file, InvalidLever), InvalidLever)
    if not isinstance(doc, dict) or not isinstance(doc.get("levers"), dict):
        raise InvalidLever("must hold a mapping 'levers'", Location(file))
    return {lever_id: _lever(lever_id, node, file)
            for lever_id, node in doc["levers"].items() if lever_id != LINE_KEY}


def check_levers(levers: dict[str, Lever], edition, templates) -> list[str]:
    """Every lever's factor and field that the edition or the questionnaires lack."""
    fields = {f"{s.id}.{f.id}" for t in templates.values() for s in t.sections for f in s.fields}
    problems = []
    for lever in levers.values():
        for change in lever.changes:
            ids = list(change.get("factors", [])) + list(change.get("band_km", {}))
            ids += [change[k] for k in ("to", "factor") if k in change]
            for factor_id in ids:
                if factor_id not in edition.table.index:
                    problems.append(Problem(f"factor {factor_id!r} is not in edition "
                                            f"{edition.name}", lever.where))
            for name in list(change.get("fields", [])) + ([change["field"]] if "field" in change else []):
                if name not in fields:
                    problems.append(Problem(f"field {name!r} is in no questionnaire", lever.where))
    return problems


# ---------------------------------------------------------------------------
# Applying a lever

def _product(value, values: dict[str, float]) -> float:
    out = 1.0
    for name in _names(value):
        out *= values[name] if isinstance(name, str) else float(name)
    return out


def _mask(change: dict, lines: pd.DataFrame, values: dict[str, float]):
    if "band_km" in change:
        bands = {f: km for f, km in change["band_km"].items() if km <= values["max_km"]}
        return edits.select(lines, change.get("fields", ()), bands) if bands else \
            edits.select(lines, (), ())
    return edits.select(lines, change.get("fields", ()), change.get("factors", ()))


def selected(lever: Lever, lines: pd.DataFrame, production_type: str,
             values: dict[str, float] | None = None) -> int:
    """How many lines the lever's changes select in an assessment (0: it does not apply)."""
    if production_type not in lever.types:
        return 0
    values = lever.values(values)
    return int(sum(_mask(c, lines, values).sum() for c in lever.changes if c["kind"] != "add"))


def apply_lever(lever: Lever, lines: pd.DataFrame, production: dict,
                values: dict[str, float] | None = None) -> tuple[pd.DataFrame, dict, int]:
    """The lines and production data with the lever applied, and the number of
    lines it changed."""
    values = lever.values(values)
    production = dict(production)
    changed = 0
    for change in lever.changes:
        kind = change["kind"]
        if kind == "add":
            if changed:
                lines = edits.add(lines, change["field"], change["factor"],
                                  _product(change["quantity"], values), change["unit"],
                                  line_id=f"plan.{lever.id}")
            continue
        mask = _mask(change, lines, values)
        count = int(mask.sum())
        if not count:
            continue
        changed += count
        factor = _product(change.get("quantity_factor", 1.0), values)
        if kind == "replace":
            lines = edits.replace(lines, mask, change["to"], change.get("unit"), factor)
        elif kind == "split":
            share = _product(change.get("share", "share"), values) if "share" in lever.parameters \
                or "share" in change else 1.0
            lines = edits.split(lines, mask, share, change["to"], change.get("unit"), factor,
                                suffix=f"plan.{lever.id}")
        elif kind == "scale":
            ratio = _product(change["ratio"], values) if "ratio" in change else \
                1.0 - _product(change["share"], values)
            lines = edits.scale(lines, mask, ratio)
        elif kind == "remove":
            lines = lines[~mask].reset_index(drop=True)
        elif kind == "contract":
            production["electricity_contract"] = {
                "supplier": f"plan: {lever.id}", "kgco2e_per_kwh": values["kgco2e_per_kwh"],
                "guarantees_of_origin": True}
    return lines, production, changed
