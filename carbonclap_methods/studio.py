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
    always-on and standby  sum(count x idle_w) x (8760 - U) / U / 1000   [kWh] x grid of the country
    building electricity   area x kWh per m2-year / U             [kWh]  x grid of the country
    heating                area x kWh per m2-year / U             [kWh]  x gas of the country
    refrigerant            units x charge x (leak rate + end-of-life loss / AC lifetime) / U   [kg] x GWP
    embodied equipment     count x embodied quantity / (lifetime x U)   [item or kg] x embodied factor
    building construction  area / (building lifetime x U)         [m2]   x building factor per m2
    staff travel           staff x commute km / S                 [passenger_km or vehicle_km] x mode
    guest travel           guests on site x round-trip km / S     [passenger_km, vehicle_km by car]
    guest stays            guests on site x 1 night / S when one way > overnight km   [night] x hotel of the country
    meals                  (staff + guests on site) x meals / S   [meal]
    remote guests          guests remote x 1 h of video call on each end and 1 h of workstation
    storage                tracks x GB per track-hour x years kept   [GB_year] x storage of the country

``8760 - U`` are the idle hours of the year: the loads left on outside
sessions (servers, disks, network, standby) are counted over every hour of
the year and shared over the booked ones.

Two scopes side by side: the studio itself (``part = "studio"``: energy,
standby, building, equipment, refrigerant), which an energy-and-equipment
audit of a studio can be compared with, and the studio with its people (the
whole: ``part = "session"`` adds travel, meals, stays, remote guests and the
storage of the recordings). A production that already counts its people and
data reuses only the studio part (:func:`studio_lines`; the edition's
``studio_hour_<size>_<country>`` factors).

The country of the studio changes every country-specific factor
(:data:`COUNTRY_FACTORS`: electricity, heating gas, storage, hotel nights);
the others (travel, meals, equipment, building, refrigerant) are the same
everywhere in the edition.

The settings that are assumptions of the study have declared ranges
(``studio_assumptions.yaml``), drawn by :func:`draw_assumptions` in the
study's Monte Carlo.

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

import numpy as np
import pandas as pd

from . import bundled
from .compute import compute
from .errors import InvalidScenario, Location, StudioDataError
from .factors import Edition
from .files import parse_yaml, read_text
from .results import CATEGORIES, sums_by
from .refrigerant import yearly_end_of_life_kg, yearly_leak_kg
from .vocabulary import localized_number

DATA = bundled.studio_data()
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
# Country-specific factors of a studio hour: country -> (heating gas, storage
# of the recordings, hotel night). Heating: ADEME Base Carbone 37132 (France),
# DEFRA 2024 incl. well-to-tank (UK), Base Carbone 13515 generic natural gas
# elsewhere. Storage: the edition's energy-based estimates (France, UK, EU-27
# grid; EU-27 stands in for the other countries). Hotel nights: DEFRA 2024
# per room-night for every country it lists, so that switching country
# compares like with like (France: hotel_night_fr_defra, 6.7, not Impact
# CO2's 4.3, whose scope differs); France's row stands in where DEFRA has none
# (MA, EU27, WORLD). Electricity: :data:`GRID`.
_GAS_EU, _STORE_EU = "natural_gas_eu_kwh_lhv", "cloud_storage_eu27_tb_year_energy"
_HOTEL = {"FR": "hotel_night_fr_defra", "GB": "hotel_night_gb", "DE": "hotel_night_de",
          "BE": "hotel_night_be", "ES": "hotel_night_es", "IT": "hotel_night_it",
          "NL": "hotel_night_nl", "PT": "hotel_night_pt", "CH": "hotel_night_ch",
          "US": "hotel_night_us", "CA": "hotel_night_ca"}
COUNTRY_FACTORS = {
    country: {
        "electricity": grid,
        "heating": {"FR": "natural_gas_fr_kwh_lhv",
                    "GB": "natural_gas_gb_kwh_lhv_incl_wtt"}.get(country, _GAS_EU),
        "storage": {"FR": "cloud_storage_fr_tb_year_energy",
                    "GB": "cloud_storage_gb_tb_year_energy"}.get(country, _STORE_EU),
        "hotel": _HOTEL.get(country, "hotel_night_fr_defra"),
    }
    for country, grid in GRID.items()
}
MEALS = {
    "average": "meal_average_fr",
    "vegetarian": "meal_vegetarian_fr",
    "vegan": "meal_vegan_fr_impactco2",
    "chicken": "meal_chicken_classic_fr",
    "beef": "meal_beef_classic_fr",
}
REMOTE_CALL = "video_call_fr_hour_impactco2"        # per participant-hour
REMOTE_WORKSTATION = "workstation_gb_fte_hour"      # the template's remote-guest line
HOURS_PER_YEAR = 8760
# Components of a studio hour, in report order: (fr, en) labels.
COMPONENTS = {
    "equipment_electricity": ("Électricité des équipements", "Equipment electricity"),
    "idle_loads": ("Veille et charges permanentes (hors séances)",
                   "Always-on and standby loads (outside sessions)"),
    "building_electricity": ("Électricité du bâtiment", "Building electricity"),
    "heating": ("Chauffage", "Heating"),
    "refrigerant": ("Fuites de fluide frigorigène", "Refrigerant leaks"),
    "embodied_equipment": ("Fabrication des équipements", "Equipment manufacture"),
    "building_embodied": ("Construction du bâtiment", "Building construction"),
    "staff_travel": ("Trajets de l'équipe", "Staff travel"),
    "guest_travel": ("Trajets des invités", "Guest travel"),
    "guest_stays": ("Nuits d'hôtel des invités", "Guests' hotel nights"),
    "meals": ("Repas", "Meals"),
    "remote_guests": ("Invités à distance", "Remote guests"),
    "storage": ("Stockage des enregistrements", "Storage of the recordings"),
}
STUDIO_COMPONENTS = ("equipment_electricity", "idle_loads", "building_electricity", "heating",
                     "refrigerant", "embodied_equipment", "building_embodied")
# The two scopes reported side by side: (key, part(s), fr, en).
SCOPES = (
    ("studio_itself", ("studio",), "Le studio lui-même", "The studio itself"),
    ("studio_with_people", ("studio", "session"), "Le studio avec ses personnes",
     "The studio with its people"),
)
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
    power_scale, idle_power_scale, building_electricity_scale, heating_scale,
    refrigerant_leak_scale, building_lifetime_scale : float
        Multiply the profile's power draws in and outside sessions, building
        electricity and heating per m2, refrigerant losses and the building's
        lifetime (sensitivity analysis, Monte Carlo of the assumptions).
    staff_travel_mode : str
        A key of :data:`TRAVEL`: how the studio's staff commute (default
        metro, an assumption: ``studio_assumptions.yaml``).
    staff_commute_km : float
        Round trip of each staff member [km] (default 20, an assumption).
    guest_overnight_km : float
        One-way distance [km] beyond which a guest on site stays one hotel
        night per session (default 500, an assumption).

    Defaults of the settings that are assumptions are written down, with
    their ranges, in ``studies/data/studio_assumptions.yaml``.
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
    idle_power_scale: float = 1.0
    building_lifetime_scale: float = 1.0
    staff_travel_mode: str = "metro"
    staff_commute_km: float = 20.0
    guest_overnight_km: float = 500.0

    def check(self) -> "Scenario":
        """Return the scenario, or raise :class:`InvalidScenario` naming the setting."""
        for name, allowed in (("studio_size", SIZES), ("country", tuple(GRID)),
                              ("guest_travel_mode", tuple(TRAVEL)),
                              ("staff_travel_mode", tuple(TRAVEL)), ("meal", tuple(MEALS))):
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
        raise StudioDataError("must hold a mapping", Location(path))
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
        extra = set(node) - {"value", "unit", "source", "assumption", "low", "high"}
        given = [k for k in ("source", "assumption") if str(node.get(k) or "").strip()]
        if extra:
            raise StudioDataError(f"unexpected key(s) {', '.join(sorted(extra))}",
                                  Location(path, field=where))
        if len(given) != 1:
            raise StudioDataError("a value needs exactly one of 'source' or 'assumption'",
                                  Location(path, field=where))
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
            raise StudioDataError(f"{item!r} is not in equipment.yaml",
                                  Location(root / f"studio_{size}.yaml", field=f"equipment[{i}].item"))
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

def _rows(s: Scenario, p: dict, notes: bool = True) -> list[tuple]:
    """The model's lines: (id, component, factor, quantity, unit, note).

    The numeric settings of ``s`` may be numpy arrays (one value per draw of
    the Monte Carlo, :func:`assumption_quantities`): quantities are then
    arrays and notes are left empty. Lines of zero quantity are kept here.
    """
    hours = s.utilisation_hours_per_year
    idle_hours = HOURS_PER_YEAR - hours
    area = _number(p, "area_m2")
    country = COUNTRY_FACTORS[s.country]
    grid = country["electricity"]
    rows: list[tuple] = []

    def add(id_, component, factor, quantity, unit, note):
        rows.append((id_, component, factor, quantity, unit, note() if notes else ""))

    # Equipment electricity: every item draws its power during the hour.
    watts = sum(_number(e, "count") * _number(e, "power_w") for e in p["equipment"])
    add("equipment_electricity", "equipment_electricity", grid, watts * s.power_scale / 1000, "kWh",
        lambda: f"{watts:g} W x {s.power_scale:g} x 1 h / 1000")
    # Outside sessions: standby and always-on loads over the idle hours of the year.
    idle = sum(_number(e, "count") * _number(e, "idle_w") for e in p["equipment"])
    add("idle_loads", "idle_loads", grid, idle * s.idle_power_scale * idle_hours / hours / 1000,
        "kWh", lambda: f"{idle:g} W x {s.idle_power_scale:g} x ({HOURS_PER_YEAR} - {hours:g}) idle h"
        f" / {hours:g} h / 1000")
    # The building: annual energy per m2 shared over the booked hours.
    kwh_m2 = _number(p, "building", "electricity_kwh_per_m2_year")
    add("building_electricity", "building_electricity", grid,
        area * kwh_m2 * s.building_electricity_scale / hours, "kWh",
        lambda: f"{area:g} m2 x {kwh_m2:g} kWh/(m2.year) x {s.building_electricity_scale:g} / {hours:g} h")
    heat_m2 = _number(p, "building", "heating_kwh_per_m2_year")
    add("heating", "heating", country["heating"], area * heat_m2 * s.heating_scale / hours, "kWh",
        lambda: f"{area:g} m2 x {heat_m2:g} kWh/(m2.year) x {s.heating_scale:g} / {hours:g} h")
    # Refrigerant: annual leaks, and the end-of-life loss spread over the unit's life.
    units = _number(p, "air_conditioning", "units")
    charge = _number(p, "air_conditioning", "charge_kg_per_unit")
    leak = _number(p, "air_conditioning", "annual_leak_rate")
    loss = _number(p, "air_conditioning", "end_of_life_loss_rate")
    ac_life = _number(p, "air_conditioning", "lifetime_years")
    gas = _value(p, "air_conditioning", "refrigerant_factor")
    k = s.refrigerant_leak_scale
    add("refrigerant_leaks", "refrigerant", gas, units * yearly_leak_kg(charge, leak) * k / hours, "kg",
        lambda: f"{units:g} units x {charge:g} kg x {leak:g}/year x {k:g} / {hours:g} h")
    add("refrigerant_end_of_life", "refrigerant", gas,
        units * yearly_end_of_life_kg(charge, loss, ac_life) * k / hours, "kg",
        lambda: f"{units:g} units x {charge:g} kg x {loss:g} x {k:g} / ({ac_life:g} years x {hours:g} h)")
    # Embodied equipment: each item's manufacture over its life's booked hours.
    for e in p["equipment"]:
        count, quantity = _number(e, "count"), _number(e, "embodied", "quantity")
        life = _number(e, "lifetime_years") * s.equipment_lifetime_scale
        unit = e["embodied"]["quantity"].get("unit", "item")
        add(f"embodied_{e['item']}", "embodied_equipment", _value(e, "embodied", "factor"),
            count * quantity / (life * hours), unit,
            lambda count=count, quantity=quantity, unit=unit, life=life:
            f"{count:g} x {quantity:g} {unit} / ({life:g} years x {hours:g} h)")
    # The building's construction, per m2, over its lifetime's booked hours.
    b_life = _number(p, "building", "lifetime_years") * s.building_lifetime_scale
    add("building_embodied", "building_embodied", _value(p, "building", "embodied_factor"),
        area / (b_life * hours), "m2", lambda: f"{area:g} m2 / ({b_life:g} years x {hours:g} h)")
    # People on site, per session.
    staff = _number(p, "staff", "people")
    session = s.session_hours
    factor, unit = travel_factor(s.staff_travel_mode, 0.0)
    if factor:
        add("staff_travel", "staff_travel", factor, staff * s.staff_commute_km / session, unit,
            lambda: f"{staff:g} people x {s.staff_commute_km:g} km ({s.staff_travel_mode}) / {session:g} h")
    factor, unit = travel_factor(s.guest_travel_mode, s.guest_travel_km)
    if factor:
        add("guest_travel", "guest_travel", factor, s.guests_on_site * s.guest_travel_km / session,
            unit, lambda: f"{s.guests_on_site:g} guests x {s.guest_travel_km:g} km "
            f"({s.guest_travel_mode}) / {session:g} h")
        if s.guest_travel_km / 2 > s.guest_overnight_km:
            add("guest_stays", "guest_stays", country["hotel"], s.guests_on_site / session, "night",
                lambda: f"{s.guests_on_site:g} guests x 1 night ({s.guest_travel_km / 2:g} km one "
                f"way > {s.guest_overnight_km:g} km) / {session:g} h")
    meals = _number(p, "staff", "meals_per_person_per_session")
    add("meals", "meals", MEALS[s.meal], (staff + s.guests_on_site) * meals / session, "meal",
        lambda: f"({staff:g} staff + {s.guests_on_site:g} guests) x {meals:g} meal / {session:g} h")
    # A remote guest: the video call on their end and on the studio's, and their workstation.
    add("remote_guests_call", "remote_guests", REMOTE_CALL, s.guests_remote, "hour",
        lambda: f"{s.guests_remote:g} remote guests x 1 h (guest's end)")
    add("remote_guests_call_studio", "remote_guests", REMOTE_CALL, s.guests_remote, "hour",
        lambda: f"{s.guests_remote:g} remote guests x 1 h (studio's end)")
    add("remote_guests_workstation", "remote_guests", REMOTE_WORKSTATION, s.guests_remote,
        "FTE_hour", lambda: f"{s.guests_remote:g} remote guests x 1 h")
    # Storage of what was recorded in the hour.
    tracks = _number(p, "recordings", "tracks")
    gb = _number(p, "recordings", "gb_per_track_hour")
    years = _number(p, "recordings", "years_kept")
    add("storage", "storage", country["storage"], tracks * gb * years, "GB_year",
        lambda: f"{tracks:g} tracks x {gb:g} GB x {years:g} years")
    return rows


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
    rows = [{"id": id_, "section": "studio_hour", "component": component,
             "part": "studio" if component in STUDIO_COMPONENTS else "session",
             "factor": factor, "quantity": float(quantity), "unit": unit, "phase": "production",
             "note": note, "where": f"studio profile {size}, line {id_}"}
            for id_, component, factor, quantity, unit, note in _rows(s, p) if quantity > 0]
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


# ---------------------------------------------------------------------------
# Assumption ranges (the study's Monte Carlo)

def load_assumptions(folder: str | Path = DATA) -> dict:
    """``studio_assumptions.yaml``: setting -> {value, unit, low, high, assumption}.

    Raises
    ------
    StudioDataError
        For a missing file, a value without its assumption, a ranged setting
        that is not a numeric setting of :class:`Scenario`, or a range that
        does not hold 1 (``0 < low <= 1 <= high``).
    """
    path = Path(folder) / "studio_assumptions.yaml"
    items = _read_yaml(path).get("assumptions")
    if not isinstance(items, dict):
        raise StudioDataError("must hold a mapping 'assumptions'", Location(path))
    names = {f.name: f.type for f in fields(Scenario)}
    for name, item in items.items():
        if name not in names or not isinstance(item, dict) or "value" not in item:
            raise StudioDataError(f"not a setting of the study (settings: {', '.join(names)})",
                                  Location(path, field=f"assumptions.{name}"))
        if "low" in item or "high" in item:
            low, high = item.get("low"), item.get("high")
            ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high))
            if not ok or not 0 < low <= 1 <= high:
                raise StudioDataError(f"low and high must be numbers with 0 < low <= 1 <= high "
                                      f"(got {low!r}, {high!r})",
                                      Location(path, field=f"assumptions.{name}"))
            if names[name] not in ("float", float):
                raise StudioDataError("only a numeric setting takes a range",
                                      Location(path, field=f"assumptions.{name}"))
    return items


def ranges(assumptions: dict | None = None) -> dict[str, tuple[float, float]]:
    """The ranged settings: name -> (low, high) multipliers of the scenario's value."""
    items = load_assumptions() if assumptions is None else assumptions
    return {name: (float(item["low"]), float(item["high"])) for name, item in items.items()
            if "low" in item}


def draw_assumptions(scenario: Scenario, iterations: int, rng, spans: dict | None = None) -> dict:
    """Draws of the ranged settings: name -> array of ``iterations`` values.

    Each setting ``x`` (the scenario's value) is drawn from a triangular
    distribution with mode ``x`` and ends ``low * x`` and ``high * x``
    (:func:`ranges`), independently of the others.
    """
    out = {}
    for name, (low, high) in (ranges() if spans is None else spans).items():
        x = float(getattr(scenario, name))
        out[name] = (np.full(iterations, x) if low == high == 1
                     else rng.triangular(low * x, x, high * x, iterations))
    return out


def assumption_quantities(scenario: Scenario, draws: dict, profile: dict | None = None) -> pd.DataFrame:
    """Quantities of the scenario's lines for every draw of the settings.

    Returns
    -------
    pandas.DataFrame
        One column per line of :func:`studio_hour_lines` (its ``id``), one row
        per draw [the line's unit per studio hour].
    """
    s = scenario.check()
    p = profile if profile is not None else load_profile(s.studio_size)
    ids = list(studio_hour_lines(s, p)["id"])
    n = len(next(iter(draws.values()))) if draws else 1
    drawn = replace(s, **draws)
    columns = {id_: np.broadcast_to(np.asarray(q, dtype=float), (n,))
               for id_, _, _, q, _, _ in _rows(drawn, p, notes=False)}
    return pd.DataFrame({id_: columns[id_] for id_ in ids})


def studio_hour(scenario: Scenario, edition: Edition, profile: dict | None = None) -> dict:
    """kgCO2e of one studio hour, by result category and by component.

    Returns
    -------
    dict
        ``kgco2e_per_studio_hour`` [kgCO2e per studio hour], ``by_category``
        (every result category of :data:`results.CATEGORIES`),
        ``by_component`` (every key of :data:`COMPONENTS`), ``by_part``
        (studio, session), ``by_scope`` (the two scopes of :data:`SCOPES`:
        the studio itself, the studio with its people, i.e. the whole),
        ``idle_hours_per_year`` [h] and ``lines``: the computed lines (DataFrame).
    """
    emissions = compute(studio_hour_lines(scenario, profile), edition)
    by_part = sums_by(emissions, "part", ("studio", "session"))
    return {
        "kgco2e_per_studio_hour": float(emissions["kgco2e"].sum()),
        "by_category": sums_by(emissions, "category", CATEGORIES),
        "by_component": sums_by(emissions, "component", COMPONENTS),
        "by_part": by_part,
        "by_scope": {key: sum(by_part[part] for part in parts) for key, parts, _, _ in SCOPES},
        "idle_hours_per_year": HOURS_PER_YEAR - scenario.utilisation_hours_per_year,
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
    ("idle_power_scale", "Consommation hors séances (veille, serveurs)",
     "Draw outside sessions (standby, servers)"),
    ("building_lifetime_scale", "Durée de vie du bâtiment", "Building lifetime"),
    ("staff_commute_km", "Trajet domicile-travail de l'équipe", "Staff commute distance"),
    ("guest_overnight_km", "Distance au-delà de laquelle un invité dort sur place",
     "Distance beyond which a guest stays the night"),
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
    out.append(("country", "Pays du studio (électricité, chauffage, stockage, hôtels)",
                "Studio country (electricity, heating, storage, hotels)", grid, grid,
                replace(s, country=grid)))
    mode = "car" if s.staff_travel_mode != "car" else "metro"
    out.append(("staff_travel_mode", "Mode de transport de l'équipe", "Staff travel mode",
                *WORDS[mode], replace(s, staff_travel_mode=mode)))
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
    its alternatives (the EU-27 as the country, car for the staff, plane or
    train for guests, guests all remote or all on site, vegetarian or beef
    meals; case ``alternative``).

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
            text = f"×{k:g} ({new:,g})" if not name.endswith("_scale") else f"×{k:g}"
            row(name, fr, en, case, localized_number(text, "fr"), text,
                replace(scenario, **{name: new}))
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
