"""Distances between places for data entry, offline: airports and their towns.

A producer knows "Paris to Marseille", not the km. :func:`place` finds a place
in the airport table of the ``airportsdata`` package (maintained, MIT licence,
about 7,900 airports with an IATA code: code, name, town, country, latitude
and longitude from OurAirports/Wikipedia, see its README) by IATA code
(``CDG``) or by town (``Marseille``, accents and case ignored). A town with
several airports gives its main passenger airport where :data:`MAIN_AIRPORT`
names it (a modelling choice: London is Heathrow, not Biggin Hill; name another
by its code), else its first in code order; towns are also found by the parts
of the table's compound town names (``Bordeaux/Merignac``, ``Arnavutköy,
Istanbul``) and by their French names (:data:`FRENCH_NAMES`).
:func:`great_circle_km` is the haversine distance on a sphere, and
:func:`flight_km` adds the 8 % uplift DEFRA applies to great-circle distances
for flights (indirect routes, stacking, delays); :func:`flight_band` names the
distance band of the Base Carbone's flight factors (< 500 km, 500-1000,
1000-2000, 2000-5000, > 5000 km of flight).

Train and road distances are not computed here: a great-circle distance
would understate them (no detour factor is sourced for France), so only
flights are filled from a distance.

References
----------
- Mean Earth radius R1 = 6371.0088 km (IUGG; Moritz, "Geodetic Reference
  System 1980", Journal of Geodesy 74, 2000).
- UK DESNZ/DEFRA, "Greenhouse gas reporting: conversion factors 2024,
  methodology paper", section on business travel by air: great-circle
  distances are increased by 8 %.
- ADEME Base Carbone, "Transport de personnes, aérien": flight factors by
  distance band (the edition's ``flight_<band>_...`` rows).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass

from .errors import CarbonClapError

EARTH_RADIUS_KM = 6371.0088       # IUGG mean radius R1
FLIGHT_UPLIFT = 1.08              # DEFRA 2024: great-circle distance + 8 %
# Upper bounds [km] of the Base Carbone flight bands, and the band names used in
# the edition's factor ids (flight_<band>_contrails_fr...).
FLIGHT_BANDS = ((500, "lt500"), (1000, "500_1000"), (2000, "1000_2000"), (5000, "2000_5000"),
                (math.inf, "gt5000"))


# The main passenger airport of towns with several (a choice, by passenger
# traffic as the airports publish it; another is named by its IATA code).
MAIN_AIRPORT = {
    "london": "LHR", "new york": "JFK", "paris": "CDG", "rome": "FCO", "milan": "MXP",
    "tokyo": "HND", "moscow": "SVO", "chicago": "ORD", "washington": "IAD", "sao paulo": "GRU",
    "buenos aires": "EZE", "toronto": "YYZ", "montreal": "YUL", "istanbul": "IST",
    "osaka": "KIX", "beijing": "PEK", "shanghai": "PVG", "bangkok": "BKK", "seoul": "ICN",
    "johannesburg": "JNB", "athens": "ATH", "warsaw": "WAW", "stockholm": "ARN",
    "bucharest": "OTP", "venice": "VCE", "berlin": "BER", "brussels": "BRU", "lyon": "LYS",
    "dubai": "DXB", "madrid": "MAD", "barcelona": "BCN", "copenhagen": "CPH",
    "frankfurt": "FRA", "saint petersburg": "LED", "ajaccio": "AJA",
}
# French names of towns whose airport table uses another name (folded).
FRENCH_NAMES = {
    "londres": "london", "bruxelles": "brussels", "geneve": "geneva", "barcelone": "barcelona",
    "lisbonne": "lisbon", "venise": "venice", "varsovie": "warsaw", "copenhague": "copenhagen",
    "edimbourg": "edinburgh", "athenes": "athens", "moscou": "moscow", "pekin": "beijing",
    "seoul": "seoul", "le caire": "cairo", "bucarest": "bucharest", "francfort": "frankfurt",
    "hambourg": "hamburg", "montreal": "montreal", "saint-petersbourg": "saint petersburg",
    "munchen": "munich", "koln": "cologne",
}


class UnknownPlace(CarbonClapError):
    """No airport has this IATA code or serves this town."""


@dataclass(frozen=True)
class Place:
    """An airport: its IATA code, name, town, country (ISO 3166) and position [degrees]."""

    code: str
    name: str
    town: str
    country: str
    lat: float
    lon: float

    def describe(self) -> str:
        """``Marseille (MRS, FR)``."""
        return f"{self.town or self.name} ({self.code}, {self.country})"


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces (``Saint-Étienne`` -> ``saint-etienne``)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


@functools.lru_cache(maxsize=1)
def _airports() -> tuple[dict[str, Place], dict[str, Place]]:
    """(by IATA code, by folded town name) from airportsdata, loaded once."""
    import airportsdata

    by_code, by_town, by_part = {}, {}, {}
    for code, row in sorted(airportsdata.load("IATA").items()):
        place = Place(code, row["name"], row["city"], row["country"], float(row["lat"]),
                      float(row["lon"]))
        by_code[code] = place
        by_town.setdefault(_fold(row["city"]), place)
        for part in row["city"].replace(",", "/").split("/"):   # "Bordeaux/Merignac"
            by_part.setdefault(_fold(part), place)
    for town, code in MAIN_AIRPORT.items():
        by_town[town] = by_code[code]
    return by_code, {**by_part, **by_town}


def place(name: str) -> Place:
    """The airport named by an IATA code or a town.

    Raises
    ------
    UnknownPlace
        With the name as typed.
    """
    text = str(name).strip()
    by_code, by_town = _airports()
    if len(text) == 3 and text.upper() in by_code:
        return by_code[text.upper()]
    folded = _fold(text).replace("st. ", "saint ").replace("st ", "saint ")
    found = by_town.get(FRENCH_NAMES.get(folded, folded))
    if found is None:
        raise UnknownPlace(f"no airport found for {text!r} (give a town served by an airport "
                           "or an IATA code such as CDG)")
    return found


def great_circle_km(a: Place, b: Place) -> float:
    """Haversine distance between two places on a sphere of radius
    :data:`EARTH_RADIUS_KM` [km]."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def flight_km(a: Place, b: Place) -> float:
    """Flight distance: the great-circle distance plus DEFRA's 8 % uplift [km]."""
    return great_circle_km(a, b) * FLIGHT_UPLIFT


def flight_band(km: float) -> str:
    """The Base Carbone band of a one-way flight of ``km`` [km] (``lt500``...)."""
    return next(band for bound, band in FLIGHT_BANDS if km < bound)
