"""Questionnaire templates: one per production type, kept as data.

``templates/sections.yaml`` defines every questionnaire section once (labels
and help in French and English, default phase, fields); ``templates/types.yaml``
lists, for each production type of :data:`assessment.PRODUCTION_TYPES`, the
sections it uses, in order, with its own overrides. This module reads both,
checks their shape, merges them into one :class:`Template` per type, checks
the factors against an edition, builds empty assessments (skeletons) and
renders a template as text.

A field is one line of the questionnaire: the unit the user types, a default
factor and the factors the user may choose instead. Every one of those
factors must exist in the edition and have an activity unit that the field's
unit converts to (:func:`units.conversion_factor`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable


from .categories import CATEGORIES
from .dimensions import BEGES_ITEMS, DATA_QUALITY, SCOPES
from .errors import CarbonClapError, InvalidTemplate, Location, Problem, UnknownTemplate
from .factors import REFERENCE_CATEGORY, Edition, load_edition
from .files import LINE_KEY, cache_root, parse_yaml, read_text, write_atomic
from .units import conversion_factor, unit_dimensions
from .vocabulary import FORMAT, LANGS, PHASES, PRODUCTION_TYPES

TEMPLATES_DIR = Path(__file__).with_name("templates")
SECTIONS_FILE = "sections.yaml"
TYPES_FILE = "types.yaml"
TEXT_KEYS = ("label_fr", "label_en", "help_fr", "help_en")
SECTION_KEYS = TEXT_KEYS + ("phase", "fields")
# Per-field dimensions a section may set as the default of its fields.
DIMENSION_KEYS = ("category", "ghg_scope", "beges", "data_quality")
SECTION_OPTIONAL = DIMENSION_KEYS
FIELD_REQUIRED = ("id",) + TEXT_KEYS + ("unit", "default_factor")
FIELD_OPTIONAL = ("choices", "choice_sets", "phase") + DIMENSION_KEYS
# A type may override a field's texts, unit, factors and phase, never its
# result category, scope, BEGES item or data quality: one (section, field)
# means one thing in every type.
FIELD_OVERRIDABLE = tuple(k for k in FIELD_REQUIRED[1:] + FIELD_OPTIONAL if k not in DIMENSION_KEYS)
TYPE_REQUIRED = ("label_fr", "label_en", "sections")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


class _Texts:
    """``label(lang)`` and ``help(lang)`` from ``label_fr/en`` and ``help_fr/en`` fields."""

    def label(self, lang: str) -> str:
        return getattr(self, f"label_{_lang(lang)}")

    def help(self, lang: str) -> str:
        return getattr(self, f"help_{_lang(lang)}")


@dataclass(frozen=True)
class Field(_Texts):
    """One questionnaire line: what to enter, in which unit, with which factors.

    ``choices`` holds the alternatives to ``default_factor`` (never the default
    itself); ``where`` names the file, line, section and field it comes from.
    """

    id: str
    label_fr: str
    label_en: str
    help_fr: str
    help_en: str
    unit: str
    default_factor: str
    choices: tuple[str, ...]
    phase: str
    category: str
    ghg_scope: str = "3.1"
    beges: str = "4.1"
    data_quality: str = "computed"
    where: Location | None = field(default=None, compare=False, repr=False)

    @property
    def factors(self) -> tuple[str, ...]:
        """The default factor followed by the choices."""
        return (self.default_factor,) + self.choices


@dataclass(frozen=True)
class Section(_Texts):
    """A questionnaire section (a step of the budget logic) and its fields."""

    id: str
    label_fr: str
    label_en: str
    help_fr: str
    help_en: str
    phase: str
    fields: tuple[Field, ...]
    category: str | None = None
    ghg_scope: str | None = None
    beges: str | None = None
    data_quality: str | None = None

    def field(self, field_id: str) -> Field:
        """The field ``field_id``; :class:`UnknownTemplate` if the section has none."""
        for item in self.fields:
            if item.id == field_id:
                return item
        raise UnknownTemplate(f"section {self.id!r} has no field {field_id!r} (fields: "
                              f"{', '.join(f.id for f in self.fields)})")


@dataclass(frozen=True)
class Template:
    """The questionnaire of one production type: its sections, in order."""

    type: str
    label_fr: str
    label_en: str
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section:
        """The section ``section_id``; :class:`UnknownTemplate` if the type has none."""
        for item in self.sections:
            if item.id == section_id:
                return item
        raise UnknownTemplate(f"production type {self.type!r} has no section {section_id!r} "
                              f"(sections: {', '.join(self.section_ids)})")

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    @property
    def field_count(self) -> int:
        return sum(len(s.fields) for s in self.sections)

    def label(self, lang: str) -> str:
        return getattr(self, f"label_{_lang(lang)}")


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownTemplate(f"unknown language {lang!r} (one of {', '.join(LANGS)})")
    return lang


# ---------------------------------------------------------------------------
# Reading the YAML files

def _read_yaml(path: Path) -> dict:
    data = parse_yaml(path, read_text(path, InvalidTemplate), InvalidTemplate)
    if not isinstance(data, dict):
        raise InvalidTemplate("must hold a mapping", Location(path))
    return data


def _at(path: Path, node: Any, what: str | None = None) -> Location:
    line = node.get(LINE_KEY) if isinstance(node, dict) else None
    return Location(path, line, what)


def _mapping(node: Any, where: Location) -> dict:
    """``node`` itself if it is a mapping (its recorded line kept), else an error."""
    if not isinstance(node, dict):
        raise InvalidTemplate("must be a mapping", where)
    return node


def _keys(node: dict) -> list:
    return [k for k in node if k != LINE_KEY]


def _without_line(node: dict) -> dict:
    return {k: v for k, v in node.items() if k != LINE_KEY}


def _id_list(node: Any, where: Location) -> list[str]:
    if not isinstance(node, list) or not all(isinstance(x, str) and x.strip() for x in node):
        raise InvalidTemplate("must be a list of ids", where)
    return [x.strip() for x in node]


def _check_keys(node: dict, required: Iterable[str], optional: Iterable[str],
                where: Location) -> None:
    missing = [k for k in required if k not in node]
    if missing:
        raise InvalidTemplate(f"missing {', '.join(missing)}", where)
    unknown = [k for k in _keys(node) if k not in (*required, *optional)]
    if unknown:
        raise InvalidTemplate(f"unknown key(s) {', '.join(map(str, unknown))} "
                              f"(allowed: {', '.join((*required, *optional))})", where)


def _text(node: dict, key: str, where: Location) -> str:
    value = node[key]
    if not isinstance(value, str) or not value.strip():
        raise InvalidTemplate("must be a non-empty text", where.at(key))
    return " ".join(value.split())


def _phase(value: Any, where: Location) -> str:
    if value not in PHASES:
        raise InvalidTemplate(f"{value!r} is not a phase (one of {', '.join(PHASES)})",
                              where.at("phase"))
    return value


# What each per-field dimension may hold, and how an error names it.
_DIMENSION_VALUES = {
    "category": (CATEGORIES, "a result category"),
    "ghg_scope": (SCOPES, "a GHG Protocol scope (1, 2, or 3.1 to 3.15)"),
    "beges": (BEGES_ITEMS, "a BEGES item (1.1 to 6.1)"),
    "data_quality": (DATA_QUALITY, "a data-quality level"),
}


def _dimension(key: str, value: Any, where: Location) -> str:
    allowed, what = _DIMENSION_VALUES[key]
    if not isinstance(value, str):
        # YAML reads 3.10 as the number 3.1: codes must be quoted text
        raise InvalidTemplate(f"{value!r} must be text in quotes (e.g. '3.6')", where.at(key))
    if value not in allowed:
        raise InvalidTemplate(f"{value!r} is not {what} (one of {', '.join(allowed)})",
                              where.at(key))
    return value


def _category(value: Any, where: Location) -> str:
    return _dimension("category", value, where)


def _identifier(value: Any, where: Location) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise InvalidTemplate(f"{value!r} is not an id (lower-case letters, digits, _)", where)
    return value


# ---------------------------------------------------------------------------
# Building sections and templates

def _build_field(raw: dict, phase: str, defaults: dict, choice_sets: dict,
                 where: Location) -> Field:
    """A :class:`Field` from its (merged) YAML mapping, with choice sets expanded.

    Its result category, scope, BEGES item and data quality are its own, else
    its section's (``defaults``).
    """
    _check_keys(raw, FIELD_REQUIRED, FIELD_OPTIONAL, where)
    texts = {key: _text(raw, key, where) for key in FIELD_REQUIRED}
    try:
        unit_dimensions(texts["unit"])
    except CarbonClapError as exc:
        raise InvalidTemplate(str(exc), where.at("unit")) from exc
    choices = []
    for name in _id_list(raw.get("choice_sets", []), where.at("choice_sets")):
        if name not in choice_sets:
            raise InvalidTemplate(f"unknown set {name!r} (defined: {', '.join(choice_sets)})",
                                  where.at("choice_sets"))
        choices += choice_sets[name]
    choices += _id_list(raw.get("choices", []), where.at("choices"))
    unique = tuple(dict.fromkeys(c for c in choices if c != texts["default_factor"]))
    return Field(id=texts["id"], label_fr=texts["label_fr"], label_en=texts["label_en"],
                 help_fr=texts["help_fr"], help_en=texts["help_en"], unit=texts["unit"],
                 default_factor=texts["default_factor"], choices=unique,
                 phase=_phase(raw.get("phase", phase), where),
                 **{key: _field_dimension(raw, defaults, key, where) for key in DIMENSION_KEYS},
                 where=where)


def _field_dimension(raw: dict, defaults: dict, key: str, where: Location) -> str:
    if key in raw:
        return _dimension(key, raw[key], where)
    if defaults.get(key) is None:
        what = "result category" if key == "category" else key
        raise InvalidTemplate(f"no {what} (give the field or its section a {key}, one of "
                              f"{', '.join(_DIMENSION_VALUES[key][0])})", where)
    return defaults[key]


def _build_section(section_id: str, raw: dict, choice_sets: dict, path: Path,
                   note: str = "", changed: Iterable[str] = ()) -> Section:
    """A :class:`Section`; error locations name ``path``, the line, section and field.

    ``note`` is added to the location of the section and of the ``changed``
    fields (those a type overrides).
    """
    where = _at(path, raw, f"section {section_id}{note}")
    _check_keys(raw, SECTION_KEYS, SECTION_OPTIONAL, where)
    phase = _phase(raw["phase"], where)
    defaults = {key: _dimension(key, raw[key], where) if key in raw else None
                for key in DIMENSION_KEYS}
    if not isinstance(raw["fields"], list) or not raw["fields"]:
        raise InvalidTemplate("must be a non-empty list", where.at("fields"))
    fields, seen = [], set()
    for index, item in enumerate(raw["fields"]):
        label = item.get("id", index) if isinstance(item, dict) else index
        item_where = _at(path, item, f"section {section_id}, field {label}"
                         + (note if label in changed else ""))
        node = _mapping(item, item_where)
        field_id = _identifier(node.get("id"), item_where.at("id"))
        if field_id in seen:
            raise InvalidTemplate(f"duplicate field id {field_id!r}", item_where)
        seen.add(field_id)
        fields.append(_build_field(node, phase, defaults, choice_sets, item_where))
    return Section(id=section_id, phase=phase, fields=tuple(fields), **defaults,
                   **{key: _text(raw, key, where) for key in TEXT_KEYS})


def _read_sections(path: Path) -> tuple[dict, dict]:
    """Choice sets and raw sections (YAML mappings) of ``sections.yaml``."""
    doc = _read_yaml(path)
    _check_keys(doc, ("sections",), ("choice_sets",), Location(path))
    sets_node = _mapping(doc.get("choice_sets", {}), _at(path, doc, "choice_sets"))
    choice_sets = {_identifier(name, _at(path, sets_node, "choice_sets")):
                   _id_list(ids, _at(path, sets_node, f"choice_sets.{name}"))
                   for name, ids in _without_line(sets_node).items()}
    sections_node = _mapping(doc["sections"], _at(path, doc, "sections"))
    sections = {}
    for section_id, node in _without_line(sections_node).items():
        where = _at(path, sections_node, f"section {section_id}")
        sections[_identifier(section_id, where)] = _mapping(node, where)
    return choice_sets, sections


def _override(raw: dict, changes: dict, where: Location) -> dict:
    """A section's raw mapping with a type's overrides applied (a new mapping)."""
    _check_keys(changes, (), TEXT_KEYS + ("phase", "fields"), where)
    merged = {**raw, **{k: v for k, v in _without_line(changes).items() if k != "fields"}}
    field_changes = _mapping(changes.get("fields", {}), where.at("fields"))
    fields = raw["fields"] if isinstance(raw.get("fields"), list) else []
    known = {f.get("id") for f in fields if isinstance(f, dict)}
    for field_id, change in _without_line(field_changes).items():
        change_where = where.at(f"fields.{field_id}")
        if field_id not in known:
            raise InvalidTemplate(f"the section has no field {field_id!r}", change_where)
        _check_keys(_mapping(change, change_where), (), FIELD_OVERRIDABLE, change_where)
    if fields:
        merged["fields"] = [{**f, **_without_line(field_changes.get(f.get("id"), {}))}
                            if isinstance(f, dict) else f for f in fields]
    return merged


def _build_template(type_id: str, node: dict, sections: dict, choice_sets: dict,
                    path: Path) -> Template:
    where = _at(path, node, f"type {type_id}")
    _check_keys(node, TYPE_REQUIRED, ("overrides",), where)
    ids = _id_list(node["sections"], where.at("sections"))
    for section_id in ids:
        if section_id not in sections:
            raise InvalidTemplate(f"unknown section {section_id!r} "
                                  f"(defined: {', '.join(sections)})", where.at("sections"))
    if len(set(ids)) != len(ids):
        raise InvalidTemplate("a section is listed twice", where.at("sections"))
    overrides = _mapping(node.get("overrides", {}), where.at("overrides"))
    for section_id in _keys(overrides):
        if section_id not in ids:
            raise InvalidTemplate(f"{section_id!r} is not one of the type's sections",
                                  where.at("overrides"))
    built = []
    for section_id in ids:
        raw, note, changed = sections[section_id], "", ()
        if section_id in overrides:
            change = _mapping(overrides[section_id],
                              _at(path, overrides, f"type {type_id}, overrides.{section_id}"))
            change_where = _at(path, change, f"type {type_id}, overrides.{section_id}")
            raw = _override(raw, change, change_where)
            note = f" (overridden at {TYPES_FILE}, type {type_id})"
            changed = _keys(change.get("fields") or {})
        built.append(_build_section(section_id, raw, choice_sets, path.with_name(SECTIONS_FILE),
                                    note, changed))
    return Template(type=type_id, label_fr=_text(node, "label_fr", where),
                    label_en=_text(node, "label_en", where), sections=tuple(built))


def _folder(folder: str | Path | None) -> Path:
    return Path(folder) if folder is not None else TEMPLATES_DIR


def load_templates(folder: str | Path | None = None) -> dict[str, Template]:
    """Read and check the templates of ``folder`` (default: the package's templates/).

    Parameters
    ----------
    folder : str or Path, optional
        Folder holding ``sections.yaml`` and ``types.yaml``.

    Returns
    -------
    dict
        Production type -> :class:`Template`, in the order of
        :data:`assessment.PRODUCTION_TYPES`.

    Raises
    ------
    InvalidTemplate
        For a missing or malformed file, an unknown key, section, field,
        choice set or phase, a unit that does not parse, or a production type
        missing from (or unknown to) ``types.yaml``; the message names the
        file, line, section and field.
    """
    folder = _folder(folder).resolve()
    return dict(_load_cached(str(folder), _stamps(folder)))


def _stamps(folder: Path) -> tuple:
    return tuple((folder / name).stat().st_mtime_ns if (folder / name).is_file() else 0
                 for name in (SECTIONS_FILE, TYPES_FILE))


@lru_cache(maxsize=8)
def _load_cached(folder: str, stamps: tuple) -> dict[str, Template]:
    choice_sets, sections = _read_sections(Path(folder) / SECTIONS_FILE)
    path = Path(folder) / TYPES_FILE
    doc = _read_yaml(path)
    _check_keys(doc, ("types",), (), Location(path))
    types = _mapping(doc["types"], _at(path, doc, "types"))
    missing = [t for t in PRODUCTION_TYPES if t not in types]
    unknown = [t for t in _keys(types) if t not in PRODUCTION_TYPES]
    if missing or unknown:
        parts = ([f"no template for {', '.join(missing)}"] if missing else []) + \
            ([f"unknown production type(s) {', '.join(unknown)} (one of "
              f"{', '.join(PRODUCTION_TYPES)})"] if unknown else [])
        raise InvalidTemplate("; ".join(parts), Location(path))
    return {t: _build_template(t, _mapping(types[t], _at(path, types, f"type {t}")), sections,
                               choice_sets, path)
            for t in PRODUCTION_TYPES}


# ---------------------------------------------------------------------------
# Checking against a factor edition

def check_factors(templates: dict[str, Template], edition: Edition) -> list[str]:
    """Every problem between templates and an edition, each naming file and field.

    A factor must exist, must not be a reference value, and its activity unit
    must be one the field's unit converts to. An empty list means they fit.
    """
    problems: dict[str, None] = {}
    for template in templates.values():
        for section in template.sections:
            for item in section.fields:
                for factor_id in item.factors:
                    problem = _factor_problem(item, factor_id, edition)
                    if problem:
                        problems.setdefault(Problem(problem, item.where))
    return list(problems)


def _factor_problem(item: Field, factor_id: str, edition: Edition) -> str | None:
    role = "default_factor" if factor_id == item.default_factor else "choice"
    if factor_id not in edition.table.index:
        return f"{role} {factor_id!r} is not a factor of edition {edition.name}"
    row = edition.table.loc[factor_id]
    if row["category"] == REFERENCE_CATEGORY:
        return f"{role} {factor_id!r} is a reference value, not an emission factor"
    try:
        conversion_factor(item.unit, row["activity_unit"])
    except CarbonClapError as exc:
        return f"{role} {factor_id!r} has activity unit {row['activity_unit']!r}: {exc}"
    return None


def validate_templates(edition: str | Edition | None = None,
                       folder: str | Path | None = None) -> dict[str, Template]:
    """Load the templates and check every factor against an edition.

    Parameters
    ----------
    edition : str or Edition, optional
        Edition name, folder or loaded edition (default: ``factors/DEFAULT``).
    folder : str or Path, optional
        Templates folder (default: the package's templates/).

    Returns
    -------
    dict
        Production type -> :class:`Template`.

    Raises
    ------
    InvalidTemplate
        With every problem found.
    """
    templates = load_templates(folder)
    loaded = edition if isinstance(edition, Edition) else load_edition(edition)
    problems = check_factors(templates, loaded)
    if problems:
        raise InvalidTemplate(problems)
    return templates


def field_categories(folder: str | Path | None = None) -> dict[tuple[str, str], str]:
    """``(section, field) -> result category`` over every production type's questionnaire.

    The one table :func:`categories.line_categories` reads: a line answering
    a field feeds that field's Carbon'Clap category, whatever its factor.
    """
    return field_table("category", folder)


def field_table(key: str, folder: str | Path | None = None) -> dict[tuple[str, str], str]:
    """``(section, field) -> value`` of one per-field dimension (``category``,
    ``ghg_scope``, ``beges``, ``data_quality``) over every questionnaire."""
    if key not in DIMENSION_KEYS:
        raise ValueError(f"unknown field dimension {key!r} (one of {', '.join(DIMENSION_KEYS)})")
    folder = _folder(folder).resolve()
    return _field_table_cached(str(folder), _stamps(folder), key)


@lru_cache(maxsize=32)
def _field_table_cached(folder: str, stamps: tuple, key: str) -> dict[tuple[str, str], str]:
    return _field_tables(folder, stamps)[key]


@lru_cache(maxsize=8)
def _field_tables(folder: str, stamps: tuple) -> dict[str, dict[tuple[str, str], str]]:
    """Every per-field dimension table. Reading the questionnaires (pure-Python
    YAML, with line numbers) takes about 0.25 s, most of ``carbonclap compute``'s
    start: the tables are kept in the user's cache folder, keyed by the sha256
    of the two template files (an edited file is read again, and checked)."""
    import hashlib
    import json

    digest = hashlib.sha256(b"".join((Path(folder) / name).read_bytes()
                                     for name in (SECTIONS_FILE, TYPES_FILE))).hexdigest()
    cache = cache_root() / f"field-tables-{digest[:24]}.json"
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        return {key: {(s, f): v for s, f, v in stored[key]} for key in DIMENSION_KEYS}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    tables = {key: {(s.id, f.id): getattr(f, key) for t in _load_cached(folder, stamps).values()
                    for s in t.sections for f in s.fields} for key in DIMENSION_KEYS}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, json.dumps({key: [[s, f, v] for (s, f), v in table.items()]
                                        for key, table in tables.items()}))
    except OSError:
        pass                            # no cache where none can be written
    return tables



def list_templates(folder: str | Path | None = None) -> list[Template]:
    """Every template, in the order of :data:`assessment.PRODUCTION_TYPES`."""
    return list(load_templates(folder).values())


def get_template(production_type: str, folder: str | Path | None = None) -> Template:
    """The template of one production type.

    Raises
    ------
    UnknownTemplate
        If ``production_type`` is not a production type; the message lists
        the valid ones.
    """
    templates = load_templates(folder)
    if production_type not in templates:
        raise UnknownTemplate(f"unknown production type {production_type!r} "
                              f"(one of {', '.join(templates)})")
    return templates[production_type]


# ---------------------------------------------------------------------------
# Skeletons and rendering

def skeleton(production_type: str, enabled_sections: Iterable[str] | None = None,
             folder: str | Path | None = None) -> dict:
    """An empty assessment for a production type, in the file format's shape.

    Parameters
    ----------
    production_type : str
        One of :data:`assessment.PRODUCTION_TYPES`.
    enabled_sections : iterable of str, optional
        The sections switched on (« sélection des étapes »); default all the
        type's sections. Order follows the template.
    folder : str or Path, optional
        Templates folder (default: the package's templates/).

    Returns
    -------
    dict
        ``format``, ``production`` (type, stage ``forecast``), ``sections``
        (the ids switched on) and ``activities``: one line per field of each
        section switched on, with ``id`` (``section.field``), ``section``,
        ``field``, the default factor, quantity 0 [the field's unit], unit and
        phase.

    Raises
    ------
    UnknownTemplate
        For an unknown production type or a section the type does not have.
    """
    template = get_template(production_type, folder)
    if isinstance(enabled_sections, str):
        enabled_sections = [enabled_sections]
    wanted = template.section_ids if enabled_sections is None else tuple(enabled_sections)
    for section_id in wanted:
        template.section(section_id)        # raises UnknownTemplate
    sections = [s for s in template.sections if s.id in wanted]
    activities = [{"id": f"{s.id}.{f.id}", "section": s.id, "field": f.id,
                   "factor": f.default_factor, "quantity": 0, "unit": f.unit, "phase": f.phase}
                  for s in sections for f in s.fields]
    return {"format": FORMAT,
            "production": {"title": "", "type": production_type, "stage": "forecast"},
            "sections": [s.id for s in sections], "activities": activities}


def as_dict(template: Template) -> dict:
    """A template as plain data (both languages), for JSON or YAML output."""
    def field_dict(item: Field) -> dict:
        return {"id": item.id, "label_fr": item.label_fr, "label_en": item.label_en,
                "help_fr": item.help_fr, "help_en": item.help_en, "unit": item.unit,
                "default_factor": item.default_factor, "choices": list(item.choices),
                "phase": item.phase, **{key: getattr(item, key) for key in DIMENSION_KEYS}}

    return {"type": template.type, "label_fr": template.label_fr, "label_en": template.label_en,
            "sections": [{"id": s.id, "label_fr": s.label_fr, "label_en": s.label_en,
                          "help_fr": s.help_fr, "help_en": s.help_en, "phase": s.phase,
                          "fields": [field_dict(f) for f in s.fields]}
                         for s in template.sections]}


# Words of the text rendering, by language.
WORDS = {
    "fr": {":": " :", "sections": "sections", "fields": "champs", "phase": "phase",
           "default": "Défaut", "choices": "Autres facteurs", "none": "aucun", "help": "Aide",
           "preparation": "préparation", "production": "tournage / enregistrement",
           "post-production": "post-production"},
    "en": {":": ":", "sections": "sections", "fields": "fields", "phase": "phase",
           "default": "Default", "choices": "Other factors", "none": "none", "help": "Help",
           "preparation": "preparation", "production": "shooting / recording",
           "post-production": "post-production"},
}
WIDTH = 92


def render_template(template: Template, lang: str = "fr", edition: Edition | None = None) -> str:
    """A template as readable text in French or English.

    Parameters
    ----------
    template : Template
    lang : {"fr", "en"}
    edition : Edition, optional
        When given, each default factor is followed by its value and units.

    Returns
    -------
    str
        A heading, then each section (label, id, phase, help) and its fields
        (label, id, unit, default factor, other factors, help).
    """
    words = WORDS[_lang(lang)]
    out = [f"{template.label(lang)} ({template.type}){words[':']} {len(template.sections)} "
           f"{words['sections']}, {template.field_count} {words['fields']}", ""]
    for number, section in enumerate(template.sections, start=1):
        out.append(f"{number}. {section.label(lang)}  [{section.id}; {words['phase']}{words[':']} "
                   f"{words[section.phase]}]")
        out += _wrap(section.help(lang), "   ", hanging="")
        for item in section.fields:
            out += _render_field(item, lang, words, edition)
        out.append("")
    return "\n".join(out)


def _render_field(item: Field, lang: str, words: dict, edition: Edition | None) -> list[str]:
    default = item.default_factor
    if edition is not None and default in edition.table.index:
        row = edition.table.loc[default]
        default += f" ({row['value']:.6g} {row['unit']}/{row['activity_unit']})"
    lines = [f"   - {item.label(lang)}  [{item.id}; {item.unit}]",
             f"       {words['default']}{words[':']} {default}"]
    lines += _wrap(f"{words['choices']}{words[':']} {', '.join(item.choices) or words['none']}",
                   " " * 7)
    lines += _wrap(f"{words['help']}{words[':']} {item.help(lang)}", " " * 7)
    return lines


def _wrap(text: str, indent: str, hanging: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hanging,
                         break_on_hyphens=False, break_long_words=False)


__all__ = ["Field", "Section", "Template", "InvalidTemplate", "UnknownTemplate",
           "load_templates", "validate_templates", "check_factors", "list_templates",
           "get_template", "skeleton", "as_dict", "render_template"]
