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

from . import bundled
from .errors import (EditionIntegrity, InvalidEdition, Location, Problem, UnknownEdition,
                     UnknownFactor, UnknownUnit)
from .files import cache_root, parse_json, read_text
from .units import conversion_factor, is_emission_unit, unit_dimensions

DATAPACKAGE = "datapackage.json"
DRAFT_STATUS = "draft edition"     # how every result computed with a draft is marked
REFERENCE_CATEGORY = "reference"
# Sources that give every element an identifier of their own: a row copied
# from them must quote it (Base Carbone element id, DEFRA row id, Impact CO2 slug).
SOURCES_WITH_IDS = ("ADEME Base Carbone", "DEFRA", "DESNZ", "ADEME Impact CO2")


FACTORS_DIR_ENV = "CARBONCLAP_FACTORS_DIR"


def user_factors_dir() -> Path | None:
    """The folder of user editions, ``$CARBONCLAP_FACTORS_DIR`` (``--factors-dir``), if set."""
    env = os.environ.get(FACTORS_DIR_ENV)
    return Path(env).expanduser() if env else None


def factors_roots() -> list[Path]:
    """Folders searched for editions, in order: the user folder
    (``$CARBONCLAP_FACTORS_DIR``), then the editions shipped with the package."""
    user = user_factors_dir()
    return ([user] if user else []) + [bundled.editions()]


def factors_root() -> Path:
    """The first folder searched for editions (where new drafts go by default)."""
    return factors_roots()[0]


def available_editions() -> list[str]:
    """Names of the edition folders of every root, oldest first."""
    names = {p.name for root in factors_roots() if root.is_dir()
             for p in root.iterdir() if (p / DATAPACKAGE).is_file()}
    return sorted(names, key=_version_key)


def _version_key(name: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", name))


EDITION_ENV = "CARBONCLAP_EDITION"


def default_edition() -> str:
    """``$CARBONCLAP_EDITION`` (set by ``carbonclap app --edition``), else the edition
    named in ``DEFAULT`` (the user folder's, else the package's), else the newest."""
    if os.environ.get(EDITION_ENV):
        return os.environ[EDITION_ENV]
    for root in factors_roots():
        marker = root / "DEFAULT"
        if marker.is_file():
            return marker.read_text(encoding="utf-8").strip()
    editions = available_editions()
    if not editions:
        raise UnknownEdition("no factor edition found", Location(factors_root()))
    return editions[-1]


def resolve_edition(edition: str | os.PathLike | None) -> Path:
    """Folder of an edition given by name (``2025.1``), by path, or ``None`` for the default.

    A name is looked up in the user folder first, then in the package.
    """
    if edition is None:
        edition = default_edition()
    candidate = Path(edition)
    if (candidate / DATAPACKAGE).is_file():
        return candidate
    for root in factors_roots():
        named = root / str(edition)
        if (named / DATAPACKAGE).is_file():
            return named
    known = ", ".join(available_editions()) or "none"
    raise UnknownEdition(f"unknown factor edition {str(edition)!r} (available: {known})")


def edition_sha256(folder: Path) -> str:
    """sha256 over every file of an edition folder.

    The digest covers each file's relative path and its own sha256, in sorted
    path order, so renaming, adding or editing any file changes it. The line
    of ``datapackage.json`` holding the seal of its metadata is left out: the
    seal is derived from the rest of the file (and checked against it), and
    adding it to an edition released before seals existed changes no digest
    that results, studies and later editions record.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if rel == DATAPACKAGE:
            data = _SEAL_LINE.sub(b"", data)
        digest.update(f"{rel}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


# The seal's line as release and the migration write it (see DESCRIPTOR_SEAL).
_SEAL_LINE = re.compile(rb'^[ \t]*"descriptor_sha256": "sha256:[0-9a-f]{64}",?\r?\n', re.M)


# ---------------------------------------------------------------------------
# Validation

@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)

    def add(self, where: Location | Path, message: str) -> None:
        self.items.append(Problem(message, where if isinstance(where, Location) else Location(where)))


def _read_datapackage(folder: Path) -> dict:
    path = folder / DATAPACKAGE
    text = read_text(path, InvalidEdition)
    package = parse_json(path, text, InvalidEdition)
    problems = package_shape_problems(package, path)
    if problems:
        raise InvalidEdition(problems)
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
                unit_dimensions(row[column])
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
    for problem in (resource_path_problems(folder, package) + sealed_hash_problems(folder, package)
                    + schema_type_problems(folder, package)):
        problems.items.append(problem)
    if problems.items:
        return problems.items
    for resource in package["resources"]:
        _validate_resource(folder, resource, problems)
    _check_foreign_keys(folder, package["resources"], problems)
    _check_sealed_files(folder, package, problems)
    problems.items.extend(descriptor_seal_problems(folder, package))
    return problems.items


def _column(folder: Path, resource: dict, name: str) -> list[tuple[int, str]]:
    """(line, value) of one column of a resource's CSV (empty if it cannot be read)."""
    try:
        text = (folder / resource.get("path", "factors.csv")).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    reader = csv.DictReader(io.StringIO(text))
    return [(reader.line_num, row.get(name) or "") for row in reader]


def _check_foreign_keys(folder: Path, resources: list[dict], problems: _Problems) -> None:
    """Each ``foreignKeys`` entry: every value of the field is a key of the referenced resource
    (e.g. a factor row's ``source_ref`` names a row of the sources table)."""
    by_name = {r.get("name", "factors"): r for r in resources}
    for resource in resources:
        for key in resource.get("schema", {}).get("foreignKeys", []):
            field_name, ref = key.get("fields"), key.get("reference", {})
            target = by_name.get(ref.get("resource"))
            path = folder / resource.get("path", "factors.csv")
            if target is None:
                problems.add(folder / DATAPACKAGE, f"foreign key {field_name!r} refers to "
                             f"an unknown resource {ref.get('resource')!r}")
                continue
            known = {v for _, v in _column(folder, target, ref.get("fields"))}
            for line, value in _column(folder, resource, field_name):
                if value and value not in known:
                    problems.add(Location(path, line, f"column {field_name}"),
                                 f"{value!r} is not an {ref.get('fields')} of "
                                 f"{target.get('path')}")


def _check_sealed_files(folder: Path, package: dict, problems: _Problems) -> None:
    """A released edition: its other files (README, CHANGELOG) match the sha256 recorded
    at release (``carbonclap.sealed_files``), and no file was added since."""
    sealed = package.get("carbonclap", {}).get("sealed_files")
    if sealed is None:
        return
    tables = {r.get("path", "factors.csv") for r in package["resources"]}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == DATAPACKAGE or rel in tables:
            continue
        recorded = sealed.get(rel)
        if recorded is None:
            problems.add(path, "added after the edition was released: a released edition "
                         "must not be edited, make a new one (carbonclap factors new)")
        elif recorded != f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}":
            problems.add(path, f"content does not match the hash recorded in {DATAPACKAGE} "
                         f"({recorded}): a released edition must not be edited, make a new one")
    for rel in sealed:
        if not (folder / rel).is_file():
            problems.add(folder / rel, "removed after the edition was released")


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

        def where(column: str, line=line) -> Location:
            return Location(csv_path, line, f"column {column}")

        if None in row:
            problems.add(Location(csv_path, line), "more cells than columns")
        row = {k: (v or "") for k, v in row.items() if k is not None}
        for name, spec in specs.items():
            if name in row:
                _check_cell(row[name], spec, where(name), problems)
        if is_factors:
            _check_units(row, where, problems)
            _check_source_id(row, where, problems)
            pairs[row.get("id", "")] = (row.get("contrails", ""), row.get("contrails_pair", ""),
                                        row.get("activity_unit", ""), where)
        check_project_rules(resource.get("name", "factors"), row, where, problems)
        for key in keys:
            values = tuple(row.get(c, "") for c in key)
            if all(v == "" for v in values):
                continue
            first = seen.setdefault((key, values), line)
            if first != line:
                problems.add(where(key[0]), f"duplicate {'+'.join(key)} {'/'.join(values)!r} "
                             f"(first at line {first})")
    if count == 0:
        problems.add(csv_path, "has a header but no rows")
    _check_contrails_pairs(pairs, problems)
    if is_factors:
        _check_labels_not_ids(text, csv_path, problems)


def _check_labels_not_ids(text: str, csv_path: Path, problems: _Problems) -> None:
    """No factor's ``label_fr`` or ``label_en`` is another factor's id: a label
    is what a workbook cell shows, and a cell holding an id is read as that id."""
    reader = csv.DictReader(io.StringIO(text))
    rows = [(reader.line_num, row) for row in reader]
    ids = {row.get("id") or "" for _, row in rows} - {""}
    for line, row in rows:
        for column in ("label_fr", "label_en"):
            label = (row.get(column) or "").strip()
            if label in ids and label != row.get("id"):
                problems.add(Location(csv_path, line, f"column {column}"),
                             f"the label {label!r} is the id of another factor; a label must "
                             "not be another factor's id (a workbook would read it as that one)")


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
        problems.add(Location(csv_path, 1), f"missing column(s): {', '.join(missing)}")
    if extra:
        problems.add(Location(csv_path, 1), f"unexpected column(s): {', '.join(extra)}")


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


# ---------------------------------------------------------------------------
# The project's own rules for an edition: they apply whatever the edition's
# datapackage.json says (a copy that drops a constraint is not trusted).

# Columns each resource must have, with the type the schema must give them and
# the rule their values follow: "id" (non-empty, pattern), "text" (non-empty),
# "unit" (a multiplicative unit pint reads), "nonneg" (finite, >= 0),
# "positive" (finite, > 0), "year" (whole number 1900-2100).
PROJECT_RULES = {
    "factors": {"id": ("string", "id"), "value": ("number", "nonneg"),
                "unit": ("string", "unit"), "activity_unit": ("string", "unit"),
                "category": ("string", "text"), "uncertainty_pct": ("number", "nonneg"),
                "year": ("integer", "year")},
    "price_index": {"series": ("string", "text"), "year": ("integer", "year"),
                    "value": ("number", "positive")},
    "exchange_rates": {"currency": ("string", "text"), "year": ("integer", "year"),
                       "per_eur": ("number", "positive")},
}
_ID = re.compile(r"[a-z0-9][a-z0-9_]*")
_SHA256 = re.compile(r"(sha256:)?[0-9a-f]{64}")


def package_shape_problems(package, path: Path) -> list[str]:
    """What makes a ``datapackage.json`` unusable, before any table is read:
    each piece the package relies on must have the JSON type it needs."""
    file = Location(path)
    if not isinstance(package, dict):
        return [Problem("must hold a JSON object", file)]
    problems = []
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        return [Problem("'resources' must list the factors table", file)]
    names = []
    for i, resource in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(resource, dict):
            problems.append(Problem(f"{where} must be an object", file))
            continue
        names.append(resource.get("name", "factors"))
        for key in ("name", "path", "hash"):
            if key in resource and not isinstance(resource[key], str):
                problems.append(Problem(f"{where}.{key} must be a text", file))
        problems += _schema_problems(resource.get("schema", {}), file, f"{where}.schema")
    if "factors" not in names:
        problems.append(Problem("no resource named 'factors'", file))
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(Problem(f"resource name(s) used twice: {', '.join(map(str, duplicates))}",
                                file))
    extras = package.get("carbonclap", {})
    if not isinstance(extras, dict) or not isinstance(extras.get("equivalences", {}), dict):
        problems.append(Problem("'carbonclap' must be an object, its 'equivalences' too", file))
    licences = package.get("licenses", [])
    if not isinstance(licences, list) or not all(isinstance(l, dict) for l in licences):
        problems.append(Problem("'licenses' must be a list of objects", file))
    return problems


def _schema_problems(schema, file: Location, where: str) -> list[str]:
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return [Problem(f"{where}.fields is missing (a list of fields)", file)]
    problems = []
    for j, spec in enumerate(schema["fields"]):
        at = f"{where}.fields[{j}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            problems.append(Problem(f"{at} must be an object with a 'name' text", file))
            continue
        constraints = spec.get("constraints", {})
        if not isinstance(constraints, dict):
            problems.append(Problem(f"{at}.constraints must be an object", file))
            continue
        for key in ("minimum", "maximum"):
            value = constraints.get(key)
            if key in constraints and (isinstance(value, bool) or not isinstance(value, (int, float))):
                problems.append(Problem(f"{at}.constraints.{key} must be a number", file))
        if "enum" in constraints and not isinstance(constraints["enum"], list):
            problems.append(Problem(f"{at}.constraints.enum must be a list", file))
        if "pattern" in constraints:
            try:
                re.compile(constraints["pattern"])
            except (re.error, TypeError) as exc:
                problems.append(Problem(f"{at}.constraints.pattern is not a regular expression "
                                        f"({exc})", file))
    names = {f.get("name") for f in schema["fields"] if isinstance(f, dict)}
    keys = schema.get("uniqueKeys", [])
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    if not isinstance(keys, list) or not all(isinstance(k, list) for k in keys) \
            or not isinstance(pk, list):
        problems.append(Problem(f"{where}: primaryKey and uniqueKeys must be lists of field names",
                                file))
    elif any(c not in names for k in keys + [pk] for c in k):
        problems.append(Problem(f"{where}: primaryKey or uniqueKeys names a field the schema lacks",
                                file))
    return problems


def resource_path_problems(folder: Path, package: dict) -> list[str]:
    """Every table is a file inside the edition folder (its sha256 covers
    only that folder): no absolute path, no ``..``, no link leading out."""
    problems = []
    root = folder.resolve()
    for i, resource in enumerate(package["resources"]):
        name = resource.get("path", "factors.csv")
        target = (folder / name).resolve()
        if Path(name).is_absolute() or root not in target.parents:
            problems.append(Problem(f"resources[{i}].path {name!r} is outside the edition "
                                    "folder; every table must be a file inside it",
                                    Location(folder / DATAPACKAGE)))
    return problems


def sealed_hash_problems(folder: Path, package: dict) -> list[str]:
    """A sealed edition records a sha256 for every table: once one resource has
    a hash, all must (a table cannot be added or un-hashed silently), and each
    hash must be a well-formed sha256."""
    path = folder / DATAPACKAGE
    hashes = [r.get("hash") for r in package["resources"]]
    problems = [Problem(f"resources[{i}].hash {h!r} is not 'sha256:' and 64 hex digits",
                        Location(path))
                for i, h in enumerate(hashes) if h is not None and not _SHA256.fullmatch(h)]
    if any(hashes) and not all(hashes):
        unsealed = [str(r.get("name", i)) for i, r in enumerate(package["resources"]) if not r.get("hash")]
        problems.append(Problem(f"the edition is sealed (tables carry a hash) but "
                                f"{', '.join(unsealed)} has none", Location(path)))
    return problems


# The seal of a released edition's own metadata (title, version, equivalences,
# descriptions, schemas...): sha256 of the datapackage without the seal itself.
DESCRIPTOR_SEAL = "descriptor_sha256"


def descriptor_sha256(package: dict) -> str:
    """``sha256:`` of the datapackage as canonical JSON (sorted keys, no spaces,
    UTF-8), leaving out ``carbonclap.descriptor_sha256``: a change of any value
    changes it, a change of layout (indentation, key order) does not."""
    extras = package.get("carbonclap")
    if isinstance(extras, dict) and DESCRIPTOR_SEAL in extras:
        package = {**package, "carbonclap": {k: v for k, v in extras.items()
                                             if k != DESCRIPTOR_SEAL}}
    text = json.dumps(package, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def descriptor_seal_problems(folder: Path, package: dict) -> list[str]:
    """A released edition (its tables carry a hash, or it records a seal)
    records the seal of its datapackage, and the datapackage still matches it
    (one hash of a small JSON): removing the table hashes to edit a release
    changes the datapackage, so the recorded seal no longer matches. A draft
    (``factors new`` drops every hash and the seal) is not checked."""
    extras = package.get("carbonclap")
    extras = extras if isinstance(extras, dict) else {}
    path, recorded = folder / DATAPACKAGE, extras.get(DESCRIPTOR_SEAL)
    if recorded is None and not any(r.get("hash") for r in package["resources"]):
        return []
    if recorded is None:
        return [Problem("the edition is released (its tables carry a hash) but records no "
                        f"carbonclap.{DESCRIPTOR_SEAL}, the seal of its metadata; a released "
                        "edition must not be edited, make a new one (an edition released before "
                        "metadata seals existed: carbonclap factors seal NAME)", Location(path))]
    if recorded != descriptor_sha256(package):
        return [Problem("the released metadata changed (title, version, equivalences, "
                        f"schemas...: the file no longer matches carbonclap.{DESCRIPTOR_SEAL} "
                        "recorded at release); a released edition must not be edited, make a "
                        "new one", Location(path))]
    return []


def check_project_rules(resource: str, row: dict, where, problems: _Problems) -> None:
    """One row of a table against :data:`PROJECT_RULES`, whatever its schema says."""
    for column, (_, rule) in PROJECT_RULES.get(resource, {}).items():
        if column not in row:
            continue                   # reported once, on the header
        text = row[column].strip()
        if rule in ("nonneg", "positive", "year"):
            try:
                number = float(text)
            except ValueError:
                problems.add(where(column), f"{text!r} is not a number")
                continue
            if not math.isfinite(number) or number < 0 or (rule == "positive" and number == 0):
                bound = "> 0" if rule == "positive" else ">= 0"
                problems.add(where(column), f"{text!r} must be a finite number {bound} "
                             "(a project rule, whatever the schema says)")
            elif rule == "year" and not (number.is_integer() and 1900 <= number <= 2100):
                problems.add(where(column), f"{text!r} is not a year (1900-2100)")
        elif rule == "id" and not _ID.fullmatch(text):
            problems.add(where(column), f"{text!r} is not an id (a-z, 0-9, _)")
        elif rule == "text" and not text:
            problems.add(where(column), "is required but empty")
        elif rule == "unit":
            try:
                unit_dimensions(text)
            except UnknownUnit as exc:
                if text:
                    problems.add(where(column), str(exc))
                else:
                    problems.add(where(column), "is required but empty")


def schema_type_problems(folder: Path, package: dict) -> list[str]:
    """The schema gives each column of :data:`PROJECT_RULES` the type the code reads it as."""
    problems = []
    for i, resource in enumerate(package["resources"]):
        rules = PROJECT_RULES.get(resource.get("name", "factors"), {})
        specs = {f["name"]: f for f in resource["schema"]["fields"]}
        for column, (kind, _) in rules.items():
            declared = specs.get(column, {}).get("type", "string")
            if column in specs and declared != kind:
                problems.append(Problem(f"resources[{i}] field {column!r} must have type "
                                        f"{kind!r}, not {declared!r}", Location(folder / DATAPACKAGE)))
            elif column not in specs:
                problems.append(Problem(f"resources[{i}] has no field {column!r}",
                                        Location(folder / DATAPACKAGE)))
    return problems


def _check_hash(resource: dict, csv_path: Path, problems: _Problems) -> None:
    recorded = resource.get("hash")
    if not recorded:
        return
    algorithm, _, expected = str(recorded).rpartition(":")
    actual = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    if (algorithm or "sha256") != "sha256" or actual != expected:
        problems.add(csv_path, f"content does not match the hash recorded in {DATAPACKAGE} "
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
    tables: dict = field(default_factory=dict)     # other resources (price_index, exchange_rates,
                                                   # sources)
    settings: dict = field(default_factory=dict)   # the datapackage's "carbonclap" block
    draft: bool = False                            # made by `factors new`, not yet released

    def factor(self, factor_id: str) -> pd.Series:
        """One factor's row; :class:`UnknownFactor` if the id is not in the edition."""
        try:
            return self.table.loc[factor_id]
        except KeyError:
            raise UnknownFactor(f"unknown factor id {factor_id!r} in edition {self.name}") from None

    def describe(self) -> dict:
        """``edition`` and ``edition_sha256``, and ``edition_status: "draft edition"`` for a draft."""
        doc = {"edition": self.name, "edition_sha256": self.sha256}
        if self.draft:
            doc["edition_status"] = DRAFT_STATUS
        return doc


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
    marker = _validated_marker(digest)
    problems = [] if marker is not None and marker.is_file() else validate_edition(folder)
    if problems:
        if all("must not be edited" in p or "released" in p for p in problems):
            first = problems[0]
            raise EditionIntegrity("; ".join([getattr(first, "message", first), *problems[1:]]),
                                   getattr(first, "location", None))
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
    problems = _equivalence_problems(folder, extras.get("equivalences", {}), table)
    if problems:
        raise InvalidEdition(problems)
    _remember_valid(marker)
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
        draft=package.get("draft") is True,
    )


def _validated_marker(digest: str) -> Path | None:
    """A file in the user's cache saying that the edition of this digest passed
    :func:`validate_edition` under this version of the rules (the digest covers
    every file of the edition; the key also covers the sources of the rules,
    this module and the unit definitions, so a change of them validates again).
    Validation is about 0.1 s of every ``carbonclap compute``."""
    here = Path(__file__).parent
    try:
        rules = hashlib.sha256(b"".join((here / name).read_bytes() for name in
                                        ("factors.py", "units.py", "units.txt"))).hexdigest()
    except OSError:
        return None
    key = hashlib.sha256(f"{digest}|{rules}".encode()).hexdigest()[:32]
    return cache_root() / "valid-editions" / key


def _remember_valid(marker: Path | None) -> None:
    if marker is None or marker.is_file():
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass                            # no cache where none can be written


def _equivalence_problems(folder: Path, refs: dict, table: pd.DataFrame) -> list[str]:
    """Each reference factor of an equivalence exists and is > 0 (a total is divided by it)."""
    problems = []
    for key, factor_id in refs.items():
        where = Location(folder / DATAPACKAGE, field=f"carbonclap.equivalences.{key}")
        if factor_id not in table.index:
            problems.append(Problem(f"unknown factor id {factor_id!r}", where))
        elif not table.at[factor_id, "value"] > 0:
            problems.append(Problem(f"the reference factor {factor_id!r} has the value "
                                    f"{table.at[factor_id, 'value']!r}; an equivalence divides "
                                    "by it, it must be > 0", where))
    return problems


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
