"""A set of audio scenarios: one production (an example or an assessment file),
its baseline settings and named scenarios, each changing some settings; the
YAML file that holds them and the figures of each scenario.

The same set gives the same figures wherever it is computed: the scenario
explorer (``carbonclap app scenarios``) saves it, ``carbonclap study run
audio_scenarios -p scenarios FILE`` reproduces it, and the study's own
scenarios are such sets (:func:`study_set`). Every edit is one of
:mod:`edits`.

The file::

    format: carbonclap-scenario-set/1
    assessment: podcast_episode      # an example's name, or an assessment file
                                     # (relative to the set's folder)
    baseline:                        # settings (:data:`SETTINGS`); omitted ones take
      studio_size: small             # the study's values for an example, else DEFAULTS
      guests: 2
    scenarios:
      guests_remote:
        label_fr: Invités à distance # optional labels (default: the name)
        label_en: Guests remote
        guests_remote: 2             # what changes from the baseline

A scenario is the assessment as written with its settings (the baseline's,
then its own) applied in this order: its studio lines replaced by the studio
model's (size, hours, utilisation, country, equipment lifetime); every
electricity line on the grid; the guests' long trips by another mode; their
length scaled by ``travel_km`` / the baseline's; the guests' travel and hotel
lines scaled by ``guests`` / the baseline's, then ``guests_remote`` of them
remote; a share of the average meals vegetarian. The baseline's ``guests``
and ``travel_km`` describe the assessment as written (a scale of 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from . import bundled
from .assessment import Assessment, load_assessment
from .edits import (GUEST_TRIP_FIELDS, electricity_from, guests_remote, guests_scaled,
                    guests_travel_by, vegetarian_meals, with_studio)
from .errors import CarbonClapError, InvalidScenario, Location, StudioDataError
from .factors import Edition
from .files import LINE_KEY, parse_yaml, read_text, write_atomic
from .studio import DATA, GRID, SIZES, Scenario, _read_yaml, load_profile

FORMAT = "carbonclap-scenario-set/1"
TRAVEL_MODES = ("as_written", "train", "plane", "car")

# name -> (kind, domain, fr label, en label). Kinds: "choice" (domain: the
# choices) or "number" (domain: (low, high, low included)).
SETTINGS = {
    "studio_size": ("choice", SIZES, "Taille du studio", "Studio size"),
    "studio_hours": ("number", (0, 10_000, False), "Heures de studio", "Studio hours"),
    "utilisation_hours_per_year": ("number", (0, 8760, False), "Heures de studio réservées par an",
                                   "Studio hours booked per year"),
    "country": ("choice", tuple(GRID), "Pays du studio", "Studio's country"),
    "grid": ("choice", tuple(GRID), "Mix électrique", "Electricity grid"),
    "guests": ("number", (0, 1000, True), "Invités", "Guests"),
    "guests_remote": ("number", (0, 1000, True), "Invités à distance", "Guests remote"),
    "guest_hours": ("number", (0, 24, True), "Heures d'appel par invité à distance",
                    "Call hours per remote guest"),
    "travel_mode": ("choice", TRAVEL_MODES, "Mode de trajet des invités", "Guests' travel mode"),
    "travel_km": ("number", (0, 20_000, False), "Trajet aller des invités [km]",
                  "Guests' one-way trip [km]"),
    "equipment_lifetime_scale": ("number", (0, 10, False), "Durée de vie des équipements (x)",
                                 "Equipment lifetime (x)"),
    "vegetarian_share": ("number", (0, 1, True), "Part de repas végétariens",
                         "Share of vegetarian meals"),
}
LABEL_KEYS = ("label_fr", "label_en")

# Settings of a production that is not one of the study's (modelling
# assumptions): the studio-hour model's defaults (studio.Scenario: a medium
# studio booked 1,600 h a year, 2 guests, a 930 km round trip), one 8-hour
# session per recording day, one hour of call per remote guest.
SESSION_HOURS = 8.0
DEFAULTS = {"studio_size": "medium", "utilisation_hours_per_year": 1600.0, "country": "FR",
            "guests": 2.0, "guests_remote": 0.0, "guest_hours": 1.0, "travel_mode": "as_written",
            "travel_km": 465.0, "equipment_lifetime_scale": 1.0, "vegetarian_share": 0.0}

# The study's scenarios: name -> ((fr, en) label, settings changed from the
# baseline); the values in braces are the study's parameters.
STUDY_SCENARIOS = {
    "baseline": (("Référence", "Baseline"), {}),
    "guests_remote": (("Invités à distance", "Guests remote"), {"guests_remote": "{guests}"}),
    "studio_small": (("Petit studio", "Small studio"), {"studio_size": "small"}),
    "studio_large": (("Grand studio", "Large studio"), {"studio_size": "large"}),
    "guests_train": (("Invités en train", "Guests by train"), {"travel_mode": "train"}),
    "guests_plane": (("Invités en avion", "Guests by plane"), {"travel_mode": "plane"}),
    "grid_alternative": (("Autre mix électrique", "Other electricity mix"),
                         {"grid": "{alternative_grid}"}),
    "lifetime_longer": (("Équipements gardés plus longtemps", "Equipment kept longer"),
                        {"equipment_lifetime_scale": "{lifetime_scale}"}),
}


@dataclass(frozen=True)
class ScenarioSet:
    """A production, its baseline settings and its scenarios (name -> labels and settings)."""

    assessment: str                       # an example's name or a file path
    baseline: dict
    scenarios: dict = field(default_factory=dict)     # name -> {"label_fr", "label_en", settings...}
    source: str = ""                      # the file it was read from

    def settings(self, name: str) -> dict:
        """The complete settings of scenario ``name`` (``"baseline"``: the baseline's)."""
        own = {} if name == "baseline" else self.scenarios[name]
        return {**self.baseline, **{k: v for k, v in own.items() if k in SETTINGS}}

    def labels(self, name: str) -> tuple[str, str]:
        if name == "baseline":
            return STUDY_SCENARIOS["baseline"][0]
        own = self.scenarios[name]
        return own.get("label_fr", name), own.get("label_en", name)

    def names(self) -> list[str]:
        return ["baseline", *[n for n in self.scenarios if n != "baseline"]]


# ---------------------------------------------------------------------------
# The study's productions and defaults

def load_productions(folder: str | Path = DATA) -> dict[str, dict]:
    """The audio productions of ``audio_productions.yaml``, values without their provenance.

    Raises
    ------
    StudioDataError
        For a malformed file or a value without exactly one source or assumption.
    """
    path = Path(folder) / "audio_productions.yaml"
    data = _read_yaml(path).get("productions")
    if not isinstance(data, dict) or not data:
        raise StudioDataError("'productions' must map names to productions", Location(path))
    keys = ("example", "studio_size", "studio_hours", "utilisation_hours_per_year",
            "guests_on_site", "guest_hours", "guest_trip_one_way_km")
    out = {}
    for name, production in data.items():
        missing = [k for k in keys if not isinstance(production.get(k), dict)]
        if missing:
            raise StudioDataError(f"missing {', '.join(missing)}",
                                  Location(path, field=f"productions.{name}"))
        out[name] = {k: production[k]["value"] for k in keys}
    return out


def example_path(name: str) -> Path:
    """The example assessment ``examples/<name>.yaml``."""
    return bundled.examples() / f"{name}.yaml"


def default_settings(assessment: Assessment, name: str | None = None,
                     folder: str | Path = DATA) -> dict:
    """The baseline settings of a production: the study's values when ``name``
    is one of its productions, else :data:`DEFAULTS` (studio hours: 8 per
    recording day; country and grid: the production's country when it has a grid)."""
    productions = load_productions(folder)
    country = assessment.production.get("country")
    country = country if country in GRID else DEFAULTS["country"]
    settings = {**DEFAULTS, "country": country, "grid": country,
                "studio_hours": SESSION_HOURS * float(assessment.production.get("days") or 1)}
    if name in productions:
        p = productions[name]
        settings.update(studio_size=p["studio_size"], studio_hours=float(p["studio_hours"]),
                        utilisation_hours_per_year=float(p["utilisation_hours_per_year"]),
                        guests=float(p["guests_on_site"]), guest_hours=float(p["guest_hours"]),
                        travel_km=float(p["guest_trip_one_way_km"]))
    return settings


def study_set(name: str, production: dict, country: str = "FR", alternative_grid: str = "EU27",
              lifetime_scale: float = 2.0) -> ScenarioSet:
    """The study's scenarios (:data:`STUDY_SCENARIOS`) of one production of
    ``audio_productions.yaml`` (``production``: its values)."""
    values = {"guests": float(production["guests_on_site"]), "alternative_grid": alternative_grid,
              "lifetime_scale": float(lifetime_scale)}
    baseline = {**DEFAULTS, "studio_size": production["studio_size"],
                "studio_hours": float(production["studio_hours"]),
                "utilisation_hours_per_year": float(production["utilisation_hours_per_year"]),
                "country": country, "grid": country, "guests": values["guests"],
                "guest_hours": float(production["guest_hours"]),
                "travel_km": float(production["guest_trip_one_way_km"])}
    scenarios = {}
    for key, ((fr, en), changes) in STUDY_SCENARIOS.items():
        if key == "baseline":
            continue
        settings = {k: (values[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v)
                    for k, v in changes.items()}
        scenarios[key] = {"label_fr": fr, "label_en": en, **settings}
    return check(ScenarioSet(Path(production["example"]).stem, baseline, scenarios))


# ---------------------------------------------------------------------------
# Checking, reading, writing

def _check_value(key: str, value, where: Location):
    kind, domain, _, _ = SETTINGS[key]
    if kind == "choice":
        if value not in domain:
            raise InvalidScenario(f"{value!r} is not one of {', '.join(domain)}", where.at(key))
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidScenario(f"{value!r} is not a number", where.at(key))
    low, high, closed = domain
    if not ((low <= value) if closed else (low < value)) or value > high:
        bracket = "[" if closed else "]"
        raise InvalidScenario(f"{value!r} is outside {bracket}{low:g}, {high:g}]", where.at(key))
    return float(value)


def check(scenario_set: ScenarioSet, where: str = "") -> ScenarioSet:
    """The set with its settings checked (and numbers as floats); raises
    :class:`InvalidScenario` naming the key (``where``: the file)."""
    file = Location(where or None)
    baseline = {}
    for key, value in scenario_set.baseline.items():
        if key not in SETTINGS:
            raise InvalidScenario(f"unknown setting (settings: {', '.join(SETTINGS)})",
                                  file.at(f"baseline.{key}"))
        baseline[key] = _check_value(key, value, file.at("baseline"))
    missing = [k for k in SETTINGS if k not in baseline]
    if missing:
        raise InvalidScenario(f"missing {', '.join(missing)}", file.at("baseline"))
    scenarios = {}
    for name, own in scenario_set.scenarios.items():
        at = file.at(f"scenarios.{name}")
        if name == "baseline" or not isinstance(own, dict):
            raise InvalidScenario("must be a mapping of settings, named other than baseline", at)
        checked = {}
        for key, value in own.items():
            if key in LABEL_KEYS:
                if not isinstance(value, str) or not value.strip():
                    raise InvalidScenario("must be a non-empty text", at.at(key))
                checked[key] = " ".join(value.split())
            elif key in SETTINGS:
                checked[key] = _check_value(key, value, at)
            else:
                raise InvalidScenario(f"unknown setting (settings: {', '.join(SETTINGS)}, "
                                      "label_fr, label_en)", at.at(key))
        scenarios[str(name)] = checked
    result = replace(scenario_set, baseline=baseline, scenarios=scenarios)
    for name in result.names():
        settings = result.settings(name)
        if settings["guests_remote"] > settings["guests"]:
            at = "baseline" if name == "baseline" else f"scenarios.{name}"
            raise InvalidScenario(f"{settings['guests_remote']:g} is more than the "
                                  f"{settings['guests']:g} guests", file.at(f"{at}.guests_remote"))
    return result


def _plain(node):
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items() if k != LINE_KEY}
    return node


def load_scenario_set(path: str | Path) -> ScenarioSet:
    """Read and check a scenario set file; the baseline settings it omits are
    completed by :func:`default_settings`.

    Raises
    ------
    InvalidScenario
        For a missing or malformed file, an unknown assessment or setting, a
        value out of its domain; one line naming the file and the key.
    """
    path = Path(path)
    doc = parse_yaml(path, read_text(path, InvalidScenario), InvalidScenario)
    if not isinstance(doc, dict):
        raise InvalidScenario("must be a mapping (format, assessment, baseline, scenarios)",
                              Location(path))
    doc = _plain(doc)
    unknown = [k for k in doc if k not in ("format", "title", "assessment", "baseline", "scenarios")]
    if unknown:
        raise InvalidScenario("unknown key (keys: format, title, assessment, baseline, scenarios)",
                              Location(path, field=str(unknown[0])))
    if doc.get("format") != FORMAT:
        raise InvalidScenario(f"must be {FORMAT!r}, not {doc.get('format')!r}",
                              Location(path, field="format"))
    for key, kind in (("baseline", dict), ("scenarios", dict)):
        if not isinstance(doc.get(key, {}), kind):
            raise InvalidScenario("must be a mapping", Location(path, field=key))
    name = doc.get("assessment")
    if not isinstance(name, str) or not name.strip():
        raise InvalidScenario("must name an example or an assessment file",
                              Location(path, field="assessment"))
    assessment = _read_assessment(name, path)
    stem = name if example_path(name).is_file() else None
    try:
        defaults = default_settings(assessment, stem)
    except CarbonClapError as exc:
        raise InvalidScenario(str(exc), Location(path)) from None
    given = doc.get("baseline") or {}
    return check(ScenarioSet(name, {**defaults, **given}, doc.get("scenarios") or {}, str(path)),
                 str(path))


def resolve(name: str, relative_to: str | Path | None = None) -> Path:
    """The file of ``assessment``: an example's name, else a path (relative to
    the set's folder)."""
    if example_path(name).is_file() and "/" not in name and "\\" not in name:
        return example_path(name)
    path = Path(name).expanduser()
    if not path.is_absolute() and relative_to is not None:
        path = Path(relative_to).parent / path
    return path


def _read_assessment(name: str, where: str | Path) -> Assessment:
    path = resolve(name, where)
    if not path.is_file():
        examples = sorted(p.stem for p in bundled.examples().glob("*.yaml"))
        raise InvalidScenario(f"{name!r} is neither an example ({', '.join(examples)}) nor a file",
                              Location(where, field="assessment"))
    try:
        return load_assessment(path)
    except CarbonClapError as exc:     # the set's key as place; the assessment's own in the text
        raise InvalidScenario(str(exc), Location(where, field="assessment")) from None


def to_yaml(scenario_set: ScenarioSet, title: str = "") -> str:
    """The set as the YAML text :func:`load_scenario_set` reads back."""
    doc = {"format": FORMAT, **({"title": title} if title else {}),
           "assessment": scenario_set.assessment,
           "baseline": {k: scenario_set.baseline[k] for k in SETTINGS},
           "scenarios": {name: dict(own) for name, own in scenario_set.scenarios.items()}}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def save_scenario_set(scenario_set: ScenarioSet, path: str | Path, title: str = "") -> Path:
    """Write the set to ``path`` atomically (temporary file, then rename)."""
    path = Path(path)
    write_atomic(path, to_yaml(check(scenario_set), title))
    return path


# ---------------------------------------------------------------------------
# Figures

def apply_settings(assessment: Assessment, settings: dict, baseline: dict,
                   edition: Edition, profiles: dict | None = None) -> Assessment:
    """The assessment as written with ``settings`` applied (see the module's
    notes); ``baseline``: the baseline's settings, which describe the
    assessment as written (guests, trip length); ``profiles``: studio
    profiles by size, read once for many scenarios (filled as they are read)."""
    s = settings
    studio = Scenario(studio_size=s["studio_size"], country=s["country"],
                      utilisation_hours_per_year=s["utilisation_hours_per_year"],
                      equipment_lifetime_scale=s["equipment_lifetime_scale"]).check()
    profiles = {} if profiles is None else profiles
    if s["studio_size"] not in profiles:
        profiles[s["studio_size"]] = load_profile(s["studio_size"])
    result = with_studio(assessment, studio, s["studio_hours"], profiles[s["studio_size"]])
    result = electricity_from(result, s["grid"], edition)
    if s["travel_mode"] != "as_written":
        result = guests_travel_by(result, s["travel_mode"], s["travel_km"])
    if s["travel_km"] != baseline["travel_km"]:
        result = guests_scaled(result, s["travel_km"] / baseline["travel_km"], GUEST_TRIP_FIELDS)
    if s["guests"] != baseline["guests"] and baseline["guests"] > 0:
        result = guests_scaled(result, s["guests"] / baseline["guests"])
    result = guests_remote(result, s["guests_remote"], s["guest_hours"], of=s["guests"])
    return vegetarian_meals(result, s["vegetarian_share"])


def scenario_assessments(scenario_set: ScenarioSet, edition: Edition,
                         assessment: Assessment | None = None) -> dict[str, Assessment]:
    """Every scenario of the set (the baseline first) as an assessment.
    ``assessment``: the assessment as written, when already read."""
    if assessment is None:
        assessment = _read_assessment(scenario_set.assessment, scenario_set.source or None)
    profiles: dict = {}
    return {name: apply_settings(assessment, scenario_set.settings(name), scenario_set.baseline,
                                 edition, profiles)
            for name in scenario_set.names()}


def same_as_baseline(change_kgco2e: float, baseline_kgco2e: float) -> bool:
    """Whether a scenario's total equals the baseline's (to 1e-9 of it: sums of
    the same lines in another order differ in their last digits)."""
    return abs(change_kgco2e) <= 1e-9 * max(abs(baseline_kgco2e), 1.0)


def scenario_figures(scenario_set: ScenarioSet, edition: Edition,
                     assessment: Assessment | None = None,
                     variants: dict[str, Assessment] | None = None) -> dict:
    """The figures of every scenario of the set.

    Returns
    -------
    dict
        ``title``, ``type``, ``assessment``, ``example_kgco2e`` (the assessment
        as written), ``settings`` (the baseline's) and ``scenarios``: for
        each, ``label_fr``, ``label_en``, ``settings`` (those changed from the
        baseline), ``total_kgco2e``, ``change_kgco2e`` and ``change_pct``
        against the baseline, ``same_as_baseline``, ``by_category`` and
        ``indicators``. ``variants``: the scenarios' assessments, when already made.
    """
    from .results import assess

    if assessment is None:
        assessment = _read_assessment(scenario_set.assessment, scenario_set.source or None)
    variants = variants or scenario_assessments(scenario_set, edition, assessment)
    results = {key: assess(variant, edition) for key, variant in variants.items()}
    base = results["baseline"]["total_kgco2e"]
    scenarios = {}
    for key, r in results.items():
        change = r["total_kgco2e"] - base
        fr, en = scenario_set.labels(key)
        changed = {} if key == "baseline" else {
            k: v for k, v in scenario_set.scenarios[key].items() if k in SETTINGS}
        scenarios[key] = {"label_fr": fr, "label_en": en, "settings": changed,
                          "total_kgco2e": r["total_kgco2e"], "change_kgco2e": change,
                          "change_pct": 100 * change / base if base else 0.0,
                          "same_as_baseline": same_as_baseline(change, base),
                          "by_category": r["by_category"], "indicators": r["indicators"]}
    return {"title": assessment.title, "type": assessment.production["type"],
            "assessment": scenario_set.assessment,
            "example_kgco2e": assess(assessment, edition)["total_kgco2e"],
            "settings": dict(scenario_set.baseline), "scenarios": scenarios}
