"""The studio hour: one hour of recording in a studio, as activity lines.

No published per-studio-hour factor exists (factors/2025.1/README.md, gaps),
so a studio hour is built from the parts of a studio profile
(``studies/data/studio_<size>.yaml`` on top of ``studio_common.yaml``, with
the item catalogue ``equipment.yaml``; every value there names its source or
states its assumption) and turned into activity lines that the engine
(:func:`carbonclap_methods.compute.compute`) multiplies by the factors of an
edition, so each line keeps its factor's provenance. Per studio hour, with
``U`` the hours the studio is booked per year and ``S`` the hours of a
session (a booking day):

    equipment electricity  sum(count x power_w) / 1000            [kWh]  x grid of the country
    building electricity   area x kWh per m2-year / U             [kWh]  x grid of the country
    heating                area x kWh per m2-year / U             [kWh]  x heating fuel
    refrigerant            units x charge x (leak rate + end-of-life loss / AC lifetime) / U   [kg] x GWP
    embodied equipment     count x embodied quantity / (lifetime x U)   [item or kg] x embodied factor
    staff travel           staff x commute km / S                 [passenger_km]
    guest travel           guests on site x round-trip km / S     [passenger_km, vehicle_km by car]
    meals                  (staff + guests on site) x meals / S   [meal]
    remote guests          guests remote x 1 h                    [hour of video call, FTE_hour of workstation]
    storage                tracks x GB per track-hour x years kept   [GB_year]

The first five components are the studio itself (``part = "studio"``); the
others belong to the session (``part = "session"``): a production that
already counts its people and data reuses only the studio part
(:func:`studio_lines`).

References
----------
Project reference table shared/reference/studio-equipment.csv (power draws,
masses, ADEME Base Carbone V23.6 per-item embodied values, split
air-conditioner charge and leak rates, office energy benchmarks), quoted row
by row in the profiles.
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import pandas as pd

from .assessment import Assessment
from .compute import compute
from .errors import InvalidScenario, StudioDataError
from .factors import Edition
from .files import parse_yaml, read_text
from .results import CATEGORIES, sums_by
from .refrigerant import yearly_end_of_life_kg, yearly_leak_kg

DATA = Path(__file__).resolve().parent.parent / "studies" / "data"
SIZES = ("small", "medium", "large")

# Grid electricity by country: the defaults of factors/2025.1/README.md
# ("Defaults a questionnaire uses"): ADEME Base Carbone for France,
# Electricity Maps 2024 for the other listed countries, Ember 2024 for the
# EU-27 and the world average.
GRID = {
    "FR": "electricity_fr_2024",
    "GB": "electricity_gb_2024_em", "DE": "electricity_de_2024_em",
    "BE": "electricity_be_2024_em", "ES": "electricity_es_2024_em",
    "IT": "electricity_it_2024_em", "NL": "electricity_nl_2024_em",
    "PT": "electricity_pt_2024_em", "CH": "electricity_ch_2024_em",
    "US": "electricity_us_2024_em", "CA": "electricity_ca_2024_em",
    "MA": "electricity_ma_2024_em",
    "EU27": "electricity_eu27_2024_ember", "WORLD": "electricity_world_2024_ember",
}
# Guests' travel: mode -> (factor id, activity unit). Defaults of the same
# table; by car each guest drives alone (one vehicle-km per km travelled);
# by plane the factor follows the one-way distance band (FLIGHT_BANDS).
TRAVEL = {
    "train": ("train_tgv_fr", "passenger_km"),
    "regional_train": ("train_ter_fr", "passenger_km"),
    "plane": (None, "passenger_km"),
    "car": ("car_average_fr_vkm", "vehicle_km"),
    "coach": ("coach_fr_pkm", "passenger_km"),
    "metro": ("metro_idf_fr", "passenger_km"),
    "none": (None, None),
}
# ADEME flights with contrails by one-way distance [km]: upper bound, factor id.
FLIGHT_BANDS = (
    (500, "flight_lt500_contrails_fr"),
    (1000, "flight_500_1000_contrails_fr"),
    (2000, "flight_1000_2000_contrails_fr"),
    (5000, "flight_2000_5000_contrails_fr"),
    (math.inf, "flight_gt5000_contrails_fr"),
)
MEALS = {
    "average": "meal_average_fr",
    "vegetarian": "meal_vegetarian_fr",
    "vegan": "meal_vegan_fr_impactco2",
    "chicken": "meal_chicken_classic_fr",
    "beef": "meal_beef_classic_fr",
}
REMOTE_CALL = "video_call_fr_hour_impactco2"        # per participant-hour
REMOTE_WORKSTATION = "workstation_gb_fte_hour"      # the template's remote-guest line
# Components of a studio hour, in report order: (fr, en) labels.
COMPONENTS = {
    "equipment_electricity": ("Électricité des équipements", "Equipment electricity"),
    "building_electricity": ("Électricité du bâtiment", "Building electricity"),
    "heating": ("Chauffage", "Heating"),
    "refrigerant": ("Fuites de fluide frigorigène", "Refrigerant leaks"),
    "embodied_equipment": ("Fabrication des équipements", "Equipment manufacture"),
    "staff_travel": ("Trajets de l'équipe", "Staff travel"),
    "guest_travel": ("Trajets des invités", "Guest travel"),
    "meals": ("Repas", "Meals"),
    "remote_guests": ("Invités à distance", "Remote guests"),
    "storage": ("Stockage des enregistrements", "Storage of the recordings"),
}
STUDIO_COMPONENTS = ("equipment_electricity", "building_electricity", "heating",
                     "refrigerant", "embodied_equipment")
LINE_COLUMNS = ["id", "section", "component", "part", "factor", "quantity", "unit", "phase",
                "note", "where"]




# ---------------------------------------------------------------------------
# Scenario

@dataclass(frozen=True)
class Scenario:
    """The settings of a studio hour.

    Parameters
    ----------
    studio_size : {"small", "medium", "large"}
        Profile ``studies/data/studio_<size>.yaml``.
    country : str
        Grid of the studio's electricity, a key of :data:`GRID`.
    utilisation_hours_per_year : float
        Hours the studio is booked per year [h/year]; the building's energy,
        the refrigerant and the equipment's manufacture are shared over them.
        Default 1,600 (8 h a day, 200 days a year: an assumption).
    session_hours : float
        Hours of a session (a booking day) [h]; travel and meals are shared
        over them.
    guests_on_site, guests_remote : float
        Guests per session who come to the studio, and who take part by video
        call [person].
    guest_travel_mode : str
        A key of :data:`TRAVEL`.
    guest_travel_km : float
        Round trip of each guest on site [km].
    meal : str
        A key of :data:`MEALS`: the meal of every person on site.
    equipment_lifetime_scale : float
        Multiplies every equipment lifetime of the profile (2: kept twice as long).
    power_scale, building_electricity_scale, heating_scale, refrigerant_leak_scale : float
        Multiply the profile's power draws, building electricity and heating
        per m2, and refrigerant losses (sensitivity analysis).
    """

    studio_size: str = "medium"
    country: str = "FR"
    utilisation_hours_per_year: float = 1600.0
    session_hours: float = 8.0
    guests_on_site: float = 2
    guests_remote: float = 0
    guest_travel_mode: str = "train"
    guest_travel_km: float = 930.0
    meal: str = "average"
    equipment_lifetime_scale: float = 1.0
    power_scale: float = 1.0
    building_electricity_scale: float = 1.0
    heating_scale: float = 1.0
    refrigerant_leak_scale: float = 1.0

    def check(self) -> "Scenario":
        """Return the scenario, or raise :class:`InvalidScenario` naming the setting."""
        for name, allowed in (("studio_size", SIZES), ("country", tuple(GRID)),
                              ("guest_travel_mode", tuple(TRAVEL)), ("meal", tuple(MEALS))):
            value = getattr(self, name)
            if value not in allowed:
                raise InvalidScenario(f"{name}: {value!r} is not one of {', '.join(allowed)}")
        bounds = {"utilisation_hours_per_year": (0, 8760), "session_hours": (0, 24)}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InvalidScenario(f"{f.name}: {value!r} is not a finite number")
            low, high = bounds.get(f.name, (None, None))
            if low is not None and not low < value <= high:
                raise InvalidScenario(f"{f.name}: {value!r} must be > {low} and <= {high}")
            if f.name.endswith("_scale") and value <= 0:
                raise InvalidScenario(f"{f.name}: {value!r} must be > 0")
            if value < 0:
                raise InvalidScenario(f"{f.name}: {value!r} must be >= 0")
        return self


def flight_factor(one_way_km: float) -> str:
    """The ADEME flight factor (with contrails) of a one-way distance [km]."""
    for upper, factor in FLIGHT_BANDS:
        if one_way_km < upper:
            return factor
    return FLIGHT_BANDS[-1][1]


def travel_factor(mode: str, round_trip_km: float) -> tuple[str | None, str | None]:
    """(factor id, activity unit) of a guest's trip; (None, None) for ``"none"``."""
    if mode not in TRAVEL:
        raise InvalidScenario(f"guest_travel_mode: {mode!r} is not one of {', '.join(TRAVEL)}")
    factor, unit = TRAVEL[mode]
    if mode == "plane":
        factor = flight_factor(round_trip_km / 2)
    return factor, unit


# ---------------------------------------------------------------------------
# Profiles

def _read_yaml(path: Path) -> dict:
    data = parse_yaml(path, read_text(path, StudioDataError), StudioDataError, lines=False)
    if not isinstance(data, dict):
        raise StudioDataError(f"{path}: must hold a mapping")
    _check_provenance(data, path, "")
    return data


def _check_provenance(node, path: Path, where: str) -> None:
    """Every ``{value: ...}`` mapping has exactly one non-empty ``source`` or ``assumption``."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check_provenance(item, path, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if "value" in node:
        extra = set(node) - {"value", "unit", "source", "assumption"}
        given = [k for k in ("source", "assumption") if str(node.get(k) or "").strip()]
        if extra:
            raise StudioDataError(f"{path}, {where}: unexpected key(s) {', '.join(sorted(extra))}")
        if len(given) != 1:
            raise StudioDataError(f"{path}, {where}: a value needs exactly one of 'source' "
                                  "or 'assumption'")
        return
    for key, value in node.items():
        _check_provenance(value, path, f"{where}.{key}" if where else str(key))


def _merge(base: dict, top: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and "value" not in value and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_profile(size: str, root: Path) -> dict:
    common = _read_yaml(root / "studio_common.yaml")
    own = _read_yaml(root / f"studio_{size}.yaml")
    catalogue = _read_yaml(root / "equipment.yaml").get("items") or {}
    profile = _merge(common, own)
    profile["_files"] = [str(root / "studio_common.yaml"), str(root / f"studio_{size}.yaml"),
                         str(root / "equipment.yaml")]
    equipment = []
    for i, entry in enumerate(profile.get("equipment") or []):
        item = entry.get("item") if isinstance(entry, dict) else None
        if item not in catalogue:
            raise StudioDataError(f"{root / f'studio_{size}.yaml'}, equipment[{i}].item: "
                                  f"{item!r} is not in equipment.yaml")
        equipment.append({"item": item, "count": entry.get("count"), **catalogue[item]})
    profile["equipment"] = equipment
    return profile


def load_profile(size: str, folder: str | Path = DATA) -> dict:
    """A studio profile: ``studio_common.yaml`` overlaid with ``studio_<size>.yaml``.

    Each equipment entry is completed from ``equipment.yaml``. Values keep
    their provenance (``{value, unit, source | assumption}``).

    Raises
    ------
    InvalidScenario
        For an unknown size.
    StudioDataError
        For a missing or malformed file, a value without exactly one source or
        assumption, or an unknown equipment item.
    """
    if size not in SIZES:
        raise InvalidScenario(f"studio_size: {size!r} is not one of {', '.join(SIZES)}")
    return _read_profile(size, Path(folder))


def _name(node: dict) -> str:
    if "item" in node:
        return f"equipment item {node['item']!r}"
    return f"studio profile {node.get('size')!r} ({', '.join(node.get('_files', []))})"


def _value(profile: dict, *keys: str):
    """The ``value`` at ``keys`` of a profile (or of an equipment entry)."""
    node = profile
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise StudioDataError(f"{_name(profile)}: missing {'.'.join(keys)}")
        node = node[key]
    if not isinstance(node, dict) or "value" not in node:
        raise StudioDataError(f"{_name(profile)}: {'.'.join(keys)} must be a mapping with value "
                              "and source or assumption")
    return node["value"]


def _number(profile: dict, *keys: str) -> float:
    value = _value(profile, *keys)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise StudioDataError(f"{_name(profile)}: {'.'.join(keys)} = {value!r} is not a number >= 0")
    return float(value)


def provenance(profile: dict) -> pd.DataFrame:
    """Every value of a profile with its unit and its source or assumption (one row each)."""
    rows: list[dict] = []

    def walk(node, where):
        if isinstance(node, dict) and "value" in node:
            kind = "source" if node.get("source") else "assumption"
            rows.append({"value_of": where, "value": node["value"], "unit": node.get("unit", ""),
                         "kind": kind, "text": node[kind]})
        elif isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("_"):
                    walk(value, f"{where}.{key}" if where else key)
        elif isinstance(node, list):
            for item in node:
                label = item.get("item", "") if isinstance(item, dict) else ""
                walk({k: v for k, v in item.items() if k != "item"}, f"{where}.{label}")

    walk({k: profile[k] for k in ("area_m2", "building", "air_conditioning", "equipment", "staff",
                                  "recordings") if k in profile}, "")
    return pd.DataFrame(rows, columns=["value_of", "value", "unit", "kind", "text"])


# ---------------------------------------------------------------------------
# The model

def studio_hour_lines(scenario: Scenario, profile: dict | None = None) -> pd.DataFrame:
    """Activity lines of one studio hour (quantities per studio hour).

    Parameters
    ----------
    scenario : Scenario
        The settings; checked first.
    profile : dict, optional
        A profile from :func:`load_profile`; by default the scenario's size.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LINE_COLUMNS`: ``factor``, ``quantity`` [``unit`` per
        studio hour], ``phase`` ("production"), ``component`` (a key of
        :data:`COMPONENTS`), ``part`` ("studio" or "session"), ``note`` (the
        arithmetic). Lines of zero quantity are left out.
    """
    s = scenario.check()
    p = profile if profile is not None else load_profile(s.studio_size)
    size = p.get("size", s.studio_size)
    hours = s.utilisation_hours_per_year
    area = _number(p, "area_m2")
    grid = GRID[s.country]
    rows: list[dict] = []

    def add(id_, component, factor, quantity, unit, note):
        if quantity > 0:
            part = "studio" if component in STUDIO_COMPONENTS else "session"
            rows.append({"id": id_, "section": "studio_hour", "component": component, "part": part,
                         "factor": factor, "quantity": float(quantity), "unit": unit,
                         "phase": "production", "note": note,
                         "where": f"studio profile {size}, line {id_}"})

    # Equipment electricity: every item draws its power during the hour.
    watts = sum(_number(e, "count") * _number(e, "power_w") for e in p["equipment"])
    add("equipment_electricity", "equipment_electricity", grid, watts * s.power_scale / 1000, "kWh",
        f"{watts:g} W x {s.power_scale:g} x 1 h / 1000")
    # The building: annual energy per m2 shared over the booked hours.
    kwh_m2 = _number(p, "building", "electricity_kwh_per_m2_year")
    add("building_electricity", "building_electricity", grid,
        area * kwh_m2 * s.building_electricity_scale / hours, "kWh",
        f"{area:g} m2 x {kwh_m2:g} kWh/(m2.year) x {s.building_electricity_scale:g} / {hours:g} h")
    heat_m2 = _number(p, "building", "heating_kwh_per_m2_year")
    add("heating", "heating", _value(p, "building", "heating_factor"),
        area * heat_m2 * s.heating_scale / hours, "kWh",
        f"{area:g} m2 x {heat_m2:g} kWh/(m2.year) x {s.heating_scale:g} / {hours:g} h")
    # Refrigerant: annual leaks, and the end-of-life loss spread over the unit's life.
    units = _number(p, "air_conditioning", "units")
    charge = _number(p, "air_conditioning", "charge_kg_per_unit")
    leak = _number(p, "air_conditioning", "annual_leak_rate")
    loss = _number(p, "air_conditioning", "end_of_life_loss_rate")
    ac_life = _number(p, "air_conditioning", "lifetime_years")
    gas = _value(p, "air_conditioning", "refrigerant_factor")
    k = s.refrigerant_leak_scale
    add("refrigerant_leaks", "refrigerant", gas, units * yearly_leak_kg(charge, leak) * k / hours, "kg",
        f"{units:g} units x {charge:g} kg x {leak:g}/year x {k:g} / {hours:g} h")
    add("refrigerant_end_of_life", "refrigerant", gas,
        units * yearly_end_of_life_kg(charge, loss, ac_life) * k / hours,
        "kg", f"{units:g} units x {charge:g} kg x {loss:g} x {k:g} / ({ac_life:g} years x {hours:g} h)")
    # Embodied equipment: each item's manufacture over its life's booked hours.
    for e in p["equipment"]:
        count, quantity = _number(e, "count"), _number(e, "embodied", "quantity")
        life = _number(e, "lifetime_years") * s.equipment_lifetime_scale
        unit = e["embodied"]["quantity"].get("unit", "item")
        add(f"embodied_{e['item']}", "embodied_equipment", _value(e, "embodied", "factor"),
            count * quantity / (life * hours), unit,
            f"{count:g} x {quantity:g} {unit} / ({life:g} years x {hours:g} h)")
    # People on site, per session.
    staff = _number(p, "staff", "people")
    commute = _number(p, "staff", "commute_km_round_trip")
    session = s.session_hours
    add("staff_travel", "staff_travel", _value(p, "staff", "commute_factor"),
        staff * commute / session, "passenger_km",
        f"{staff:g} people x {commute:g} km / {session:g} h")
    factor, unit = travel_factor(s.guest_travel_mode, s.guest_travel_km)
    if factor:
        add("guest_travel", "guest_travel", factor, s.guests_on_site * s.guest_travel_km / session,
            unit, f"{s.guests_on_site:g} guests x {s.guest_travel_km:g} km "
            f"({s.guest_travel_mode}) / {session:g} h")
    meals = _number(p, "staff", "meals_per_person_per_session")
    add("meals", "meals", MEALS[s.meal], (staff + s.guests_on_site) * meals / session, "meal",
        f"({staff:g} staff + {s.guests_on_site:g} guests) x {meals:g} meal / {session:g} h")
    add("remote_guests_call", "remote_guests", REMOTE_CALL, s.guests_remote, "hour",
        f"{s.guests_remote:g} remote guests x 1 h")
    add("remote_guests_workstation", "remote_guests", REMOTE_WORKSTATION, s.guests_remote,
        "FTE_hour", f"{s.guests_remote:g} remote guests x 1 h")
    # Storage of what was recorded in the hour.
    tracks = _number(p, "recordings", "tracks")
    gb = _number(p, "recordings", "gb_per_track_hour")
    years = _number(p, "recordings", "years_kept")
    add("storage", "storage", _value(p, "recordings", "storage_factor"), tracks * gb * years,
        "GB_year", f"{tracks:g} tracks x {gb:g} GB x {years:g} years")
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def studio_hour(scenario: Scenario, edition: Edition, profile: dict | None = None) -> dict:
    """kgCO2e of one studio hour, by result category and by component.

    Returns
    -------
    dict
        ``kgco2e_per_studio_hour`` [kgCO2e per studio hour], ``by_category``
        (every result category of :data:`results.CATEGORIES`),
        ``by_component`` (every key of :data:`COMPONENTS`), ``by_part``
        (studio, session) and ``lines``: the computed lines (DataFrame).
    """
    emissions = compute(studio_hour_lines(scenario, profile), edition)
    return {
        "kgco2e_per_studio_hour": float(emissions["kgco2e"].sum()),
        "by_category": sums_by(emissions, "category", CATEGORIES),
        "by_component": sums_by(emissions, "component", COMPONENTS),
        "by_part": sums_by(emissions, "part", ("studio", "session")),
        "lines": emissions,
    }


# ---------------------------------------------------------------------------
# Sensitivity, one assumption at a time

# Numeric assumptions halved and doubled: (setting, fr, en).
SCALED = (
    ("utilisation_hours_per_year", "Heures d'utilisation par an", "Utilisation hours per year"),
    ("session_hours", "Durée d'une séance", "Session length"),
    ("guests_on_site", "Invités sur place", "Guests on site"),
    ("guest_travel_km", "Distance parcourue par invité", "Guest travel distance"),
    ("equipment_lifetime_scale", "Durée de vie des équipements", "Equipment lifetime"),
    ("power_scale", "Puissance des équipements", "Equipment power draw"),
    ("building_electricity_scale", "Électricité du bâtiment par m²", "Building electricity per m2"),
    ("heating_scale", "Chauffage par m²", "Heating per m2"),
    ("refrigerant_leak_scale", "Fuites de fluide frigorigène", "Refrigerant leaks"),
)
# Words of categorical settings: (fr, en).
WORDS = {
    "train": ("train", "train"), "regional_train": ("TER", "regional train"),
    "plane": ("avion", "plane"), "car": ("voiture", "car"), "coach": ("car", "coach"),
    "metro": ("métro", "metro"), "none": ("aucun", "none"),
    "average": ("repas moyen", "average meal"), "vegetarian": ("végétarien", "vegetarian"),
    "vegan": ("végétalien", "vegan"), "chicken": ("poulet", "chicken"), "beef": ("bœuf", "beef"),
    "remote": ("tous à distance", "all remote"), "on_site": ("tous sur place", "all on site"),
}
SENSITIVITY_COLUMNS = ["rank", "assumption", "label_fr", "label_en", "case", "setting_fr",
                       "setting_en", "kgco2e_per_studio_hour", "change_kgco2e", "change_pct"]


def _alternatives(s: Scenario) -> list[tuple[str, str, str, str, str, Scenario]]:
    """Categorical alternatives: (assumption, fr, en, setting_fr, setting_en, scenario)."""
    out = []
    grid = "EU27" if s.country != "EU27" else "FR"
    out.append(("country", "Réseau électrique", "Electricity grid", grid, grid,
                replace(s, country=grid)))
    mode = "plane" if s.guest_travel_mode != "plane" else "train"
    out.append(("guest_travel_mode", "Mode de transport des invités", "Guest travel mode",
                *WORDS[mode], replace(s, guest_travel_mode=mode)))
    everyone = s.guests_on_site + s.guests_remote
    if s.guests_on_site > 0:
        out.append(("guests_presence", "Invités sur place ou à distance", "Guests on site or remote",
                    *WORDS["remote"], replace(s, guests_on_site=0, guests_remote=everyone)))
    elif s.guests_remote > 0:
        out.append(("guests_presence", "Invités sur place ou à distance", "Guests on site or remote",
                    *WORDS["on_site"], replace(s, guests_on_site=everyone, guests_remote=0)))
    for meal in ("vegetarian", "beef"):
        if meal != s.meal:
            out.append(("meal", "Repas", "Meals", *WORDS[meal], replace(s, meal=meal)))
    return out


def sensitivity(scenario: Scenario, edition: Edition, profile: dict | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity of the studio hour.

    Each numeric assumption of :data:`SCALED` is halved (case ``low``) and
    doubled (``high``), the others kept; each categorical one is switched to
    its alternatives (EU-27 grid, plane or train, guests all remote or all on
    site, vegetarian or beef meals; case ``alternative``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENSITIVITY_COLUMNS`, one row per case;
        ``change_kgco2e`` [kgCO2e per studio hour] and ``change_pct`` [%]
        against the scenario. ``rank`` orders the assumptions by their largest
        absolute change (1 moves the result most); rows are sorted by rank.
    """
    scenario.check()
    p = profile if profile is not None else load_profile(scenario.studio_size)
    base = studio_hour(scenario, edition, p)["kgco2e_per_studio_hour"]
    rows = []

    def row(assumption, fr, en, case, set_fr, set_en, s):
        value = studio_hour(s, edition, p)["kgco2e_per_studio_hour"]
        rows.append({"assumption": assumption, "label_fr": fr, "label_en": en, "case": case,
                     "setting_fr": set_fr, "setting_en": set_en, "kgco2e_per_studio_hour": value,
                     "change_kgco2e": value - base,
                     "change_pct": 100 * (value - base) / base if base else math.nan})

    for name, fr, en in SCALED:
        current = getattr(scenario, name)
        for case, k in (("low", 0.5), ("high", 2.0)):
            new = current * k
            text = f"×{k:g} ({new:g})" if not name.endswith("_scale") else f"×{k:g}"
            row(name, fr, en, case, text.replace(".", ","), text, replace(scenario, **{name: new}))
    for name, fr, en, set_fr, set_en, s in _alternatives(scenario):
        row(name, fr, en, "alternative", set_fr, set_en, s)
    table = pd.DataFrame(rows)
    swing = table.assign(size=table["change_kgco2e"].abs()).groupby("assumption", sort=False)["size"].max()
    order = swing.sort_values(ascending=False, kind="stable")
    table["rank"] = table["assumption"].map({a: i + 1 for i, a in enumerate(order.index)})
    table = table.sort_values(["rank", "case"], kind="stable").reset_index(drop=True)
    return table[SENSITIVITY_COLUMNS]


def by_size(scenario: Scenario, edition: Edition) -> dict[str, dict]:
    """:func:`studio_hour` for every size, the other settings kept (lines left out)."""
    out = {}
    for size in SIZES:
        result = studio_hour(replace(scenario, studio_size=size), edition)
        out[size] = {k: v for k, v in result.items() if k != "lines"}
    return out


def scenario_settings(scenario: Scenario) -> dict:
    """The scenario as a plain dict (for results files)."""
    return asdict(scenario)


# ---------------------------------------------------------------------------
# The studio-hour study's document (results.json) and table (results.csv)

TABLE_COLUMNS = ["studio_size", "id", "component", "part", "category", "factor", "quantity", "unit",
                 "factor_kgco2e_per_unit", "kgco2e_per_studio_hour", "note"]


def _line_records(emissions: pd.DataFrame) -> list[dict]:
    frame = emissions.rename(columns={"kgco2e": "kgco2e_per_studio_hour"})
    frame = frame.astype({"category": str})
    return frame[TABLE_COLUMNS[1:]].to_dict(orient="records")


# ---------------------------------------------------------------------------
# Uncertainty of one studio hour (Monte Carlo of the factors)

UNCERTAINTY_TOP = 10     # factors listed in the uncertainty block, largest share first


def studio_hour_monte_carlo(scenario: Scenario, edition: Edition, iterations: int,
                            seed: int | None, profile: dict | None = None):
    """Monte Carlo of the studio-hour lines of ``scenario`` (per studio hour).

    One lognormal draw per factor per iteration, shared by the lines using it
    (:func:`carbonclap_methods.uncertainty.monte_carlo`), grouped by result
    category; no progress bar.

    Parameters
    ----------
    iterations : int
        Number of draws, >= 0; 0 gives ``None`` (no Monte Carlo).
    seed : int
        Seed of the draws (>= 0): the same seed gives the same figures.

    Returns
    -------
    carbonclap_methods.uncertainty.MonteCarlo or None
        Totals [kgCO2e per studio hour]; ``None`` for 0 iterations.
    """
    from .uncertainty import monte_carlo

    if isinstance(iterations, int) and not isinstance(iterations, bool) and iterations == 0:
        return None
    scenario.check()
    # The studio's quantities come from the profile's stated assumptions, not
    # from a production's data: no data-quality level applies; the spread of
    # those assumptions is studied by the sensitivity analysis instead.
    return monte_carlo(studio_hour_lines(scenario, profile), edition, iterations, seed,
                       by="category", progress=False, data=False)


def uncertainty_summary(mc, top: int = UNCERTAINTY_TOP) -> dict:
    """The ``uncertainty`` block of the studio-hour document, per studio hour.

    Keys: ``iterations``, ``seed``, ``method``, ``deterministic_kgco2e_per_studio_hour``,
    ``kgco2e_per_studio_hour`` (``mean``, ``std``, ``p5``, ``p50``, ``p95`` of
    the draws) [kgCO2e per studio hour], ``by_category`` (each category of
    the lines -> the same statistics) and ``contributions`` (the ``top``
    factors by share of the variance of the total, with the total when the
    factor is at the low / high end of its 95 % interval).
    """
    from .uncertainty import uncertainty_block

    block = uncertainty_block(mc, top)
    return {
        "iterations": block["iterations"],
        "seed": block["seed"],
        "method": block["method"],
        "deterministic_kgco2e_per_studio_hour": block["deterministic_kgco2e"],
        "kgco2e_per_studio_hour": block["total"],
        "by_category": block["by_category"],
        "contributions": block["contributions"],
    }


def uncertainty_tables(document: dict, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The document's uncertainty as two tables [kgCO2e per studio hour]: the
    total and each category (p5, p50, p95, mean, deterministic value), and the
    factors that matter most (share of the variance [%], uncertainty [%],
    kgCO2e at the factor value, total with the factor at its low and high end)."""
    i = 0 if lang == "fr" else 1
    block = document["uncertainty"]
    rows = []
    for category, stats in block["by_category"].items():
        label = CATEGORIES[category][i] if category in CATEGORIES else category
        rows.append({"category": label, "p5": stats["p5"], "p50": stats["p50"], "p95": stats["p95"],
                     "mean": stats["mean"], "deterministic": document["by_category"].get(category, 0.0)})
    total = block["kgco2e_per_studio_hour"]
    rows.append({"category": "Total", "p5": total["p5"], "p50": total["p50"], "p95": total["p95"],
                 "mean": total["mean"], "deterministic": block["deterministic_kgco2e_per_studio_hour"]})
    factors = pd.DataFrame([{"factor": c["factor"], "share_pct": 100 * c["share"],
                             "uncertainty_pct": c["uncertainty_pct"], "kgco2e": c["kgco2e"],
                             "low_kgco2e": c["low_kgco2e"], "high_kgco2e": c["high_kgco2e"]}
                            for c in block["contributions"]])
    return pd.DataFrame(rows).set_index("category"), factors


def studio_hour_document(scenario: Scenario, edition: Edition, parameters: dict | None = None,
                         mc=None) -> dict:
    """Everything the studio-hour study reports, as a JSON-ready document.

    Keys: ``study``, ``parameters`` (as given), ``scenario``, ``edition``,
    ``edition_sha256``, ``studio`` (size, labels, area), ``kgco2e_per_studio_hour``
    [kgCO2e per studio hour], ``by_category``, ``by_component``, ``by_part``,
    ``by_size`` (the same figures for every size, other settings kept),
    ``sensitivity`` (rows of :func:`sensitivity`), ``lines`` (the computed
    lines of the chosen size), ``profile_files`` and, when a Monte Carlo
    ``mc`` of the same scenario is given (:func:`studio_hour_monte_carlo`),
    ``uncertainty`` (:func:`uncertainty_summary`).
    """
    scenario.check()
    profile = load_profile(scenario.studio_size)
    result = studio_hour(scenario, edition, profile)
    document = {
        "study": "studio_hour",
        "parameters": dict(parameters or {}),
        "scenario": asdict(scenario),
        "edition": edition.name,
        "edition_sha256": edition.sha256,
        "studio": {"size": scenario.studio_size, "label_en": profile.get("label_en"),
                   "label_fr": profile.get("label_fr"), "area_m2": _number(profile, "area_m2")},
        "kgco2e_per_studio_hour": result["kgco2e_per_studio_hour"],
        "by_category": result["by_category"],
        "by_component": result["by_component"],
        "by_part": result["by_part"],
        "by_size": by_size(scenario, edition),
        "sensitivity": sensitivity(scenario, edition, profile).to_dict(orient="records"),
        "lines": _line_records(result["lines"]),
        "profile_files": [Path(f).relative_to(DATA.parent.parent).as_posix()
                          if Path(f).is_relative_to(DATA.parent.parent) else f
                          for f in profile["_files"]],
    }
    if mc is not None:
        document["uncertainty"] = uncertainty_summary(mc)
    return document


def studio_hour_table(scenario: Scenario, edition: Edition) -> pd.DataFrame:
    """Every line of every size (``results.csv``): columns :data:`TABLE_COLUMNS`."""
    frames = []
    for size in SIZES:
        lines = studio_hour(replace(scenario, studio_size=size), edition)["lines"]
        frame = pd.DataFrame(_line_records(lines))
        frame.insert(0, "studio_size", size)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[TABLE_COLUMNS]


def _by_size_table(document: dict, key: str, labels: dict, column: str, lang: str) -> pd.DataFrame:
    """kgCO2e per studio hour of ``document["by_size"][size][key]`` for every size, with totals.

    Rows that are zero for every size are left out.
    """
    i = 0 if lang == "fr" else 1
    sizes = document["by_size"]
    rows = []
    for item, names in labels.items():
        values = {size: sizes[size][key].get(item, 0.0) for size in sizes}
        if any(values.values()):
            rows.append({column: names[i], **values})
    rows.append({column: "Total", **{s: sizes[s]["kgco2e_per_studio_hour"] for s in sizes}})
    return pd.DataFrame(rows).set_index(column)


def category_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """kgCO2e per studio hour by result category (rows) for every size (columns), with totals."""
    return _by_size_table(document, "by_category", CATEGORIES, "category", lang)


def component_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """kgCO2e per studio hour by component for every size, with totals."""
    return _by_size_table(document, "by_component", COMPONENTS, "component", lang)


# ---------------------------------------------------------------------------
# Audio productions: an example assessment with its studio lines from the
# model, and the scenarios a working group discusses

# Fields of the questionnaire's "guests" section (templates/sections.yaml).
GUEST_TRAVEL_FIELDS = ("guest_train", "guest_car", "guest_flights", "guest_local_transport",
                       "guest_hotel_nights")
STUDIO_SECTION = "studio_recording"
# Scenario name -> (fr, en) label, in report order.
AUDIO_SCENARIOS = {
    "baseline": ("Référence", "Baseline"),
    "guests_remote": ("Invités à distance", "Guests remote"),
    "studio_small": ("Petit studio", "Small studio"),
    "studio_large": ("Grand studio", "Large studio"),
    "guests_train": ("Invités en train", "Guests by train"),
    "guests_plane": ("Invités en avion", "Guests by plane"),
    "grid_alternative": ("Autre mix électrique", "Other electricity mix"),
    "lifetime_longer": ("Équipements gardés plus longtemps", "Equipment kept longer"),
}


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
        raise StudioDataError(f"{path}: 'productions' must map names to productions")
    keys = ("example", "studio_size", "studio_hours", "utilisation_hours_per_year",
            "guests_on_site", "guest_hours", "guest_trip_one_way_km")
    out = {}
    for name, production in data.items():
        missing = [k for k in keys if not isinstance(production.get(k), dict)]
        if missing:
            raise StudioDataError(f"{path}, productions.{name}: missing {', '.join(missing)}")
        out[name] = {k: production[k]["value"] for k in keys}
    return out


def _new_lines(rows: list[dict]) -> pd.DataFrame:
    from .assessment import LINE_COLUMNS as ASSESSMENT_COLUMNS

    return pd.DataFrame([{**{c: "" for c in ASSESSMENT_COLUMNS}, "extra": {}, **row} for row in rows],
                        columns=ASSESSMENT_COLUMNS)


def _with_lines(assessment: Assessment, lines: pd.DataFrame) -> Assessment:
    return Assessment(production=dict(assessment.production), lines=lines.reset_index(drop=True),
                      source=assessment.source, extra=dict(assessment.extra))


def studio_lines(scenario: Scenario, hours: float, profile: dict | None = None) -> pd.DataFrame:
    """The studio part of ``hours`` studio hours, as assessment lines (section studio_recording).

    Only the studio itself (energy, refrigerant, equipment manufacture): a
    production counts its own people, meals and data.
    """
    lines = studio_hour_lines(scenario, profile)
    lines = lines[lines["part"] == "studio"]
    # no questionnaire field: the model's components are not fields (each line
    # takes its factor's category); the component is in the note and the id
    return _new_lines([{"id": f"studio_{row['id']}", "section": STUDIO_SECTION,
                        "field": "", "factor": row["factor"],
                        "quantity": row["quantity"] * hours, "unit": row["unit"],
                        "phase": "production", "note": f"{hours:g} studio hours x ({row['note']})",
                        "where": f"studio model {scenario.studio_size}, {row['id']}"}
                       for row in lines.to_dict(orient="records")])


def with_studio(assessment: Assessment, scenario: Scenario, hours: float) -> Assessment:
    """The assessment with its studio lines replaced by the model's for ``hours`` studio hours."""
    kept = assessment.lines[assessment.lines["section"] != STUDIO_SECTION]
    return _with_lines(assessment, pd.concat([kept, studio_lines(scenario, hours)], ignore_index=True))


def guests_remote(assessment: Assessment, guests: float, hours_each: float) -> Assessment:
    """Every guest's travel and hotel lines dropped; ``guests`` x ``hours_each`` of video call
    and of workstation added (the questionnaire's remote-guest lines). Catering is kept."""
    lines = assessment.lines
    travel = (lines["section"] == "guests") & lines["field"].isin(GUEST_TRAVEL_FIELDS)
    hours = guests * hours_each
    added = _new_lines([
        {"id": "scenario_remote_call", "section": "guests", "field": "remote_guest_call_hours",
         "factor": REMOTE_CALL, "quantity": hours, "unit": "hour", "phase": "production",
         "note": f"{guests:g} guests x {hours_each:g} h remote"},
        {"id": "scenario_remote_workstation", "section": "guests",
         "field": "remote_guest_workstation_hours", "factor": REMOTE_WORKSTATION, "quantity": hours,
         "unit": "FTE_hour", "phase": "production", "note": f"{guests:g} guests x {hours_each:g} h remote"},
    ])
    return _with_lines(assessment, pd.concat([lines[~travel], added], ignore_index=True))


def guests_travel_by(assessment: Assessment, mode: str, one_way_km: float) -> Assessment:
    """Guests' long-distance trips all by ``"train"`` (TGV) or all by ``"plane"``.

    Lines of field ``guest_flights`` become ``train_tgv_fr``, or lines of field
    ``guest_train`` become the flight factor of ``one_way_km``'s band, keeping
    their passenger-km (the rail and air distances are taken as equal).
    """
    if mode not in ("train", "plane"):
        raise InvalidScenario(f"guest travel scenario: {mode!r} is not train or plane")
    lines = assessment.lines.copy()
    source, target, factor = (("guest_flights", "guest_train", TRAVEL["train"][0]) if mode == "train"
                              else ("guest_train", "guest_flights", flight_factor(one_way_km)))
    chosen = (lines["section"] == "guests") & (lines["field"] == source)
    lines.loc[chosen, "factor"] = factor
    lines.loc[chosen, "field"] = target
    return _with_lines(assessment, lines)


def electricity_from(assessment: Assessment, country: str, edition: Edition) -> Assessment:
    """Every electricity line (factor of category electricity) on the grid of ``country``."""
    if country not in GRID:
        raise InvalidScenario(f"country: {country!r} is not one of {', '.join(GRID)}")
    lines = assessment.lines.copy()
    category = edition.table["category"].reindex(lines["factor"]).to_numpy()
    lines.loc[category == "electricity", "factor"] = GRID[country]
    return _with_lines(assessment, lines)


def audio_scenarios(assessment: Assessment, production: dict, edition: Edition, country: str = "FR",
                    alternative_grid: str = "EU27", lifetime_scale: float = 2.0) -> dict[str, Assessment]:
    """The scenarios of one audio production, each as an assessment (keys of :data:`AUDIO_SCENARIOS`).

    ``baseline`` is the example with its studio lines from the model (the
    production's studio size, hours and utilisation; electricity on the grid
    of ``country``); every other scenario changes one thing from it: guests
    remote, a small or a large studio, guests by train or by plane, the
    electricity of ``alternative_grid``, equipment lifetimes x ``lifetime_scale``.
    """
    base = Scenario(studio_size=production["studio_size"], country=country,
                    utilisation_hours_per_year=production["utilisation_hours_per_year"]).check()
    hours = production["studio_hours"]
    example = electricity_from(assessment, country, edition)
    baseline = with_studio(example, base, hours)
    return {
        "baseline": baseline,
        "guests_remote": guests_remote(baseline, production["guests_on_site"], production["guest_hours"]),
        "studio_small": with_studio(example, replace(base, studio_size="small"), hours),
        "studio_large": with_studio(example, replace(base, studio_size="large"), hours),
        "guests_train": guests_travel_by(baseline, "train", production["guest_trip_one_way_km"]),
        "guests_plane": guests_travel_by(baseline, "plane", production["guest_trip_one_way_km"]),
        "grid_alternative": electricity_from(baseline, alternative_grid, edition),
        "lifetime_longer": with_studio(example, replace(base, equipment_lifetime_scale=lifetime_scale),
                                       hours),
    }


def audio_scenarios_document(edition: Edition, parameters: dict | None = None,
                             country: str = "FR", alternative_grid: str = "EU27",
                             lifetime_scale: float = 2.0, folder: str | Path = DATA) -> dict:
    """Every scenario of every audio production of ``audio_productions.yaml``, computed.

    Returns
    -------
    dict
        ``study``, ``parameters``, ``edition``, ``edition_sha256``, ``scenarios``
        (labels), and ``productions``: for each, ``title``, ``type``,
        ``example`` (the file), ``example_kgco2e`` (the example as written),
        the studio settings, and ``scenarios``: for each, ``total_kgco2e``,
        ``change_kgco2e`` and ``change_pct`` against the baseline,
        ``by_category`` and ``indicators``.
    """
    from .assessment import load_assessment
    from .results import assess

    root = Path(folder).resolve().parent.parent
    if alternative_grid not in GRID:
        raise InvalidScenario(f"alternative_grid: {alternative_grid!r} is not one of {', '.join(GRID)}")
    if not (isinstance(lifetime_scale, (int, float)) and lifetime_scale > 0):
        raise InvalidScenario(f"lifetime_scale: {lifetime_scale!r} must be > 0")
    productions = {}
    for name, production in load_productions(folder).items():
        assessment = load_assessment(root / production["example"])
        variants = audio_scenarios(assessment, production, edition, country, alternative_grid,
                                   lifetime_scale)
        results = {key: assess(variant, edition) for key, variant in variants.items()}
        base = results["baseline"]["total_kgco2e"]
        productions[name] = {
            "title": assessment.title, "type": assessment.production["type"],
            "example": production["example"],
            "example_kgco2e": assess(assessment, edition)["total_kgco2e"],
            "studio_size": production["studio_size"], "studio_hours": production["studio_hours"],
            "utilisation_hours_per_year": production["utilisation_hours_per_year"],
            "scenarios": {key: {"total_kgco2e": r["total_kgco2e"],
                                "change_kgco2e": r["total_kgco2e"] - base,
                                "change_pct": 100 * (r["total_kgco2e"] - base) / base,
                                "by_category": r["by_category"], "indicators": r["indicators"]}
                          for key, r in results.items()},
        }
    return {
        "study": "audio_scenarios", "parameters": dict(parameters or {}),
        "edition": edition.name, "edition_sha256": edition.sha256,
        "scenarios": {k: {"label_fr": fr, "label_en": en} for k, (fr, en) in AUDIO_SCENARIOS.items()},
        "productions": productions,
    }


def audio_scenarios_table(document: dict, lang: str = "en") -> pd.DataFrame:
    """One row per production and scenario: totals, change against the baseline, per hour
    of content, and kgCO2e by category (categories used by some production only)."""
    rows = []
    for name, production in document["productions"].items():
        for key, result in production["scenarios"].items():
            rows.append({"production": name, "scenario": key,
                         "label": document["scenarios"][key][f"label_{lang}"],
                         "total_kgco2e": result["total_kgco2e"],
                         "change_kgco2e": result["change_kgco2e"], "change_pct": result["change_pct"],
                         "kgco2e_per_hour_of_content": result["indicators"].get("per_hour_of_content"),
                         **{f"kgco2e_{c}": v for c, v in result["by_category"].items()}})
    frame = pd.DataFrame(rows)
    unused = [c for c in frame.columns if c.startswith("kgco2e_") and c not in
              ("kgco2e_per_hour_of_content",) and not frame[c].any()]
    return frame.drop(columns=unused)


def scenario_pivot(document: dict, value: str = "total_kgco2e", lang: str = "en") -> pd.DataFrame:
    """One of a scenario's figures (``total_kgco2e``, ``change_kgco2e``, ``change_pct``):
    scenarios (rows, in :data:`AUDIO_SCENARIOS` order) by production (columns)."""
    labels = {k: v[f"label_{lang}"] for k, v in document["scenarios"].items()}
    data = {name: {labels[k]: r[value] for k, r in p["scenarios"].items()}
            for name, p in document["productions"].items()}
    return pd.DataFrame(data).reindex(list(labels.values())).rename_axis("scenario")
