"""Factor editions: find, validate, load, look up and hash.

An edition is a folder ``factors/<name>/`` holding ``factors.csv`` and a
Frictionless ``datapackage.json`` whose table schema (fields, constraints,
enums, primary and unique keys) is applied here, together with the checks
the schema cannot express: units that pint understands, emission units on
emission factors, identifiers for sources that publish them. Validation
collects every problem before failing, each with file, line and column.

frictionless-py is not used: it would add some thirty dependencies to check
the same constraints, and knows nothing of units.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import (EditionIntegrity, InvalidEdition, UnknownEdition,
                     UnknownFactor, UnknownUnit)
from .files import read_text
from .units import conversion_factor, is_emission_unit, parse_unit

DATAPACKAGE = "datapackage.json"
REFERENCE_CATEGORY = "reference"
# Sources that give every element an identifier of their own: a row copied
# from them must quote it (Base Carbone element id, DEFRA row id, Impact CO2 slug).
SOURCES_WITH_IDS = ("ADEME Base Carbone", "DEFRA", "DESNZ", "ADEME Impact CO2")


def factors_root() -> Path:
    """Folder holding the editions: ``$CARBONCLAP_FACTORS_DIR`` or the repository's ``factors/``."""
    env = os.environ.get("CARBONCLAP_FACTORS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "factors"


def available_editions() -> list[str]:
    """Names of the edition folders under :func:`factors_root`, oldest first."""
    root = factors_root()
    if not root.is_dir():
        return []
    names = [p.name for p in root.iterdir() if (p / DATAPACKAGE).is_file()]
    return sorted(names, key=_version_key)


def _version_key(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", name))


def default_edition() -> str:
    """The edition named in ``factors/DEFAULT`` (a released, complete one)."""
    marker = factors_root() / "DEFAULT"
    if marker.is_file():
        return marker.read_text(encoding="utf-8").strip()
    editions = available_editions()
    if not editions:
        raise UnknownEdition(f"{factors_root()}: no factor edition found")
    return editions[-1]


def resolve_edition(edition: str | os.PathLike | None) -> Path:
    """Folder of an edition given by name (``2025.1``), by path, or ``None`` for the default."""
    if edition is None:
        edition = default_edition()
    candidate = Path(edition)
    if (candidate / DATAPACKAGE).is_file():
        return candidate
    named = factors_root() / str(edition)
    if (named / DATAPACKAGE).is_file():
        return named
    known = ", ".join(available_editions()) or "none"
    raise UnknownEdition(f"unknown factor edition {str(edition)!r} (available: {known})")


def edition_sha256(folder: Path) -> str:
    """sha256 over every file of an edition folder.

    The digest covers each file's relative path and its own sha256, in sorted
    path order, so renaming, adding or editing any file changes it.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        digest.update(f"{rel}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------
# Validation

@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _read_datapackage(folder: Path) -> dict:
    path = folder / DATAPACKAGE
    text = read_text(path, InvalidEdition)
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidEdition([f"{path}, line {exc.lineno}: invalid JSON ({exc.msg})"]) from exc
    resources = package.get("resources") if isinstance(package, dict) else None
    if not resources or not isinstance(resources, list) or not isinstance(resources[0], dict):
        raise InvalidEdition([f"{path}: 'resources' must list the factors table"])
    schema = resources[0].get("schema", {})
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise InvalidEdition([f"{path}: resources[0].schema.fields is missing"])
    return package


def _check_cell(value: str, spec: dict, where: str, problems: _Problems):
    """Check one cell against its schema field; return the typed value or None."""
    constraints = spec.get("constraints", {})
    if value.strip() == "":
        if constraints.get("required"):
            problems.add(where, "is required but empty")
        return None
    kind = spec.get("type", "string")
    typed: object = value
    if kind in ("number", "integer"):
        try:
            typed = float(value)
        except ValueError:
            problems.add(where, f"{value!r} is not a number")
            return None
        if not math.isfinite(typed):
            problems.add(where, f"{value!r} is not a finite number")
            return None
        if kind == "integer":
            if not typed.is_integer():
                problems.add(where, f"{value!r} is not a whole number")
                return None
            typed = int(typed)
        if "minimum" in constraints and typed < constraints["minimum"]:
            problems.add(where, f"{value} is below the minimum {constraints['minimum']}")
        if "maximum" in constraints and typed > constraints["maximum"]:
            problems.add(where, f"{value} is above the maximum {constraints['maximum']}")
    if "enum" in constraints and typed not in constraints["enum"]:
        problems.add(where, f"{value!r} is not one of {', '.join(map(str, constraints['enum']))}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        problems.add(where, f"{value!r} does not match the pattern {constraints['pattern']}")
    if spec.get("format") == "uri" and not re.match(r"^https?://\S+$", value):
        problems.add(where, f"{value!r} is not an http(s) URL")
    return typed


def _check_units(row: dict, where, problems: _Problems) -> None:
    for column in ("unit", "activity_unit"):
        if row.get(column):
            try:
                parse_unit(row[column])
            except UnknownUnit as exc:
                problems.add(where(column), str(exc))
    unit = row.get("unit")
    if unit and row.get("category") != REFERENCE_CATEGORY and not is_emission_unit(unit):
        problems.add(where("unit"), f"{unit!r} is not an emission unit (kgCO2e, tCO2e...)")


def _check_source_id(row: dict, where, problems: _Problems) -> None:
    source = row.get("source") or ""
    if any(s in source for s in SOURCES_WITH_IDS) and not (row.get("source_id") or "").strip():
        problems.add(where("source_id"), f"required: {source!r} publishes an identifier for each element")


def validate_edition(folder: str | os.PathLike) -> list[str]:
    """Every problem of an edition folder, each naming file, line and column.

    Every table resource of the datapackage is checked against its schema;
    the factors table also gets the unit and provenance checks. An empty
    list means the edition is valid.
    """
    folder = Path(folder)
    try:
        package = _read_datapackage(folder)
    except InvalidEdition as exc:
        return exc.problems
    problems = _Problems()
    for resource in package["resources"]:
        _validate_resource(folder, resource, problems)
    return problems.items


def _validate_resource(folder: Path, resource: dict, problems: _Problems) -> None:
    csv_path = folder / resource.get("path", "factors.csv")
    try:
        text = read_text(csv_path, InvalidEdition)
    except InvalidEdition as exc:
        problems.items.extend(exc.problems)
        return
    _check_hash(resource, csv_path, problems)
    is_factors = resource.get("name", "factors") == "factors"
    specs = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
    reader = csv.DictReader(io.StringIO(text))
    _check_header(reader.fieldnames or [], specs, csv_path, problems)
    keys = _unique_keys(resource.get("schema", {}), specs)
    seen: dict[tuple, int] = {}
    pairs: dict[str, tuple] = {}
    count = 0
    for row in reader:
        count += 1
        line = reader.line_num

        def where(column: str, line=line) -> str:
            return f"{csv_path}, line {line}, column {column}"

        if None in row:
            problems.add(f"{csv_path}, line {line}", "more cells than columns")
        row = {k: (v or "") for k, v in row.items() if k is not None}
        for name, spec in specs.items():
            if name in row:
                _check_cell(row[name], spec, where(name), problems)
        if is_factors:
            _check_units(row, where, problems)
            _check_source_id(row, where, problems)
            pairs[row.get("id", "")] = (row.get("contrails", ""), row.get("contrails_pair", ""),
                                        row.get("activity_unit", ""), where)
        for key in keys:
            values = tuple(row.get(c, "") for c in key)
            if all(v == "" for v in values):
                continue
            first = seen.setdefault((key, values), line)
            if first != line:
                problems.add(where(key[0]), f"duplicate {'+'.join(key)} {'/'.join(values)!r} "
                             f"(first at line {first})")
    if count == 0:
        problems.add(str(csv_path), "has a header but no rows")
    _check_contrails_pairs(pairs, problems)


def _check_contrails_pairs(rows: dict[str, tuple], problems: _Problems) -> None:
    """A contrails pair names a row of the other family with the same activity unit,
    which names it back."""
    other = {"included": "excluded", "excluded": "included"}
    for factor_id, (family, pair, unit, where) in rows.items():
        if not pair:
            continue
        if pair not in rows:
            problems.add(where("contrails_pair"), f"{pair!r} is not a factor of the edition")
            continue
        pair_family, back, pair_unit, _ = rows[pair]
        if family not in other or pair_family != other[family]:
            problems.add(where("contrails_pair"), f"{factor_id!r} ({family or 'no family'}) and "
                         f"{pair!r} ({pair_family or 'no family'}) are not one included and one "
                         "excluded")
        elif back != factor_id or pair_unit != unit:
            problems.add(where("contrails_pair"), f"{pair!r} does not pair back to {factor_id!r} "
                         "with the same activity unit")


def _check_header(header: list[str], specs: dict, csv_path: Path, problems: _Problems) -> None:
    missing = [name for name in specs if name not in header]
    extra = [name for name in header if name not in specs]
    if missing:
        problems.add(f"{csv_path}, line 1", f"missing column(s): {', '.join(missing)}")
    if extra:
        problems.add(f"{csv_path}, line 1", f"unexpected column(s): {', '.join(extra)}")


def _unique_keys(schema: dict, specs: dict) -> list[tuple]:
    """Column tuples whose values must be unique: unique fields, uniqueKeys, primaryKey."""
    keys = [(name,) for name, f in specs.items() if f.get("constraints", {}).get("unique")]
    keys += [tuple(k) for k in schema.get("uniqueKeys", [])]
    pk = schema.get("primaryKey")
    if pk:
        pk = tuple(pk) if isinstance(pk, list) else (pk,)
        if pk not in keys:
            keys.append(pk)
    return keys


def _check_hash(resource: dict, csv_path: Path, problems: _Problems) -> None:
    recorded = resource.get("hash")
    if not recorded:
        return
    algorithm, _, expected = str(recorded).rpartition(":")
    actual = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    if (algorithm or "sha256") != "sha256" or actual != expected:
        problems.add(str(csv_path), f"content does not match the hash recorded in {DATAPACKAGE} "
                     f"({recorded}): a released edition must not be edited, make a new one")


# ---------------------------------------------------------------------------
# Loading

@dataclass(frozen=True)
class Edition:
    """A loaded, validated factor edition.

    ``table`` is indexed by factor id; ``value_kgco2e`` holds each emission
    factor in kgCO2e per ``activity_unit`` (NaN for reference values).
    ``tables`` holds the edition's other resources by name (price indices and
    exchange rates used to convert money).
    """

    name: str
    path: Path
    version: str
    sha256: str
    licences: tuple
    equivalences: dict
    table: pd.DataFrame
    tables: dict = field(default_factory=dict)     # other resources (price_index, exchange_rates)
    settings: dict = field(default_factory=dict)   # the datapackage's "carbonclap" block

    def factor(self, factor_id: str) -> pd.Series:
        """One factor's row; :class:`UnknownFactor` if the id is not in the edition."""
        try:
            return self.table.loc[factor_id]
        except KeyError:
            raise UnknownFactor(f"unknown factor id {factor_id!r} in edition {self.name}") from None

    def describe(self) -> dict:
        return {"edition": self.name, "edition_sha256": self.sha256}


_CACHE: dict[tuple[str, str], Edition] = {}


def load_edition(edition: str | os.PathLike | None = None) -> Edition:
    """Load and validate an edition (by name, path, or the default).

    Raises
    ------
    UnknownEdition
        If no such edition exists.
    InvalidEdition
        With every problem found, if validation fails.
    EditionIntegrity
        If ``factors.csv`` no longer matches the hash its datapackage records.
    """
    folder = resolve_edition(edition).resolve()
    digest = edition_sha256(folder)
    key = (str(folder), digest)
    if key not in _CACHE:
        _CACHE[key] = _load(folder, digest)
    return _CACHE[key]


def _load(folder: Path, digest: str) -> Edition:
    problems = validate_edition(folder)
    if problems:
        if len(problems) == 1 and "does not match the hash" in problems[0]:
            raise EditionIntegrity(problems[0])
        raise InvalidEdition(problems)
    package = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8-sig"))
    tables = {r.get("name", "factors"): _read_typed(folder, r) for r in package["resources"]}
    table = tables.pop("factors")
    table["value_kgco2e"] = [
        value * conversion_factor(unit, "kgCO2e") if is_emission_unit(unit) else math.nan
        for value, unit in zip(table["value"], table["unit"])
    ]
    table = _with_dimensions(table).set_index("id", drop=False)
    extras = package.get("carbonclap", {})
    return Edition(
        name=folder.name,
        path=folder,
        version=str(package.get("version", folder.name)),
        sha256=digest,
        licences=tuple(l.get("name", "") for l in package.get("licenses", [])),
        equivalences=dict(extras.get("equivalences", {})),
        table=table,
        tables=tables,
        settings=dict(extras),
    )


# Methodological dimensions of a factor row (from edition 2026.2 on); an
# older edition without them reads as: GWP set unstated, no biogenic CO2 given,
# no contrails family.
DIMENSION_DEFAULTS = {"gwp_set": "unstated", "biogenic_co2": math.nan, "upstream_share": math.nan,
                      "contrails": "", "contrails_pair": ""}
GWP_SETS = ("AR4", "AR5", "AR6", "unstated", "n/a")


def _with_dimensions(table: pd.DataFrame) -> pd.DataFrame:
    for column, default in DIMENSION_DEFAULTS.items():
        if column not in table.columns:
            table[column] = default
    return table


def _read_typed(folder: Path, resource: dict) -> pd.DataFrame:
    """A resource's CSV with its number and integer columns typed (already validated)."""
    frame = pd.read_csv(folder / resource.get("path", "factors.csv"), dtype=str,
                        keep_default_na=False, encoding="utf-8-sig")
    for spec in resource.get("schema", {}).get("fields", []):
        if spec.get("type") == "number":
            # optional number columns (biogenic_co2) keep empty cells as NaN
            frame[spec["name"]] = pd.to_numeric(frame[spec["name"]].replace("", math.nan))
        elif spec.get("type") == "integer":
            frame[spec["name"]] = frame[spec["name"]].astype(int)
    return frame


LIST_COLUMNS = ["id", "value", "unit", "activity_unit", "category", "geography", "year",
                "source", "source_id", "uncertainty_pct", "label_en", "label_fr", "url", "notes"]
