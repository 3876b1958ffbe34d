"""Reduction plans (issue 15): each lever's saving on a small assessment
computed by hand; overlapping levers combined; shared draws; bad input.

Factor values typed by hand from factors/2026.2/factors.csv (the default
edition), each with its source id in the comment."""

import json
import math

import numpy as np
import pytest
import yaml

from carbonclap_methods.assessment import from_dict, load_assessment
from carbonclap_methods.cli import main
from carbonclap_methods.compare import compare_stages
from carbonclap_methods.errors import InvalidLever
from carbonclap_methods.factors import load_edition
from carbonclap_methods.levers import check_levers, load_levers
from carbonclap_methods.plan import reduction_plan
from carbonclap_methods.templates import load_templates
from carbonclap_methods.uncertainty import monte_carlo

FLIGHT, TGV = 0.225, 0.00293        # Base Carbone 43743 (500-1000 km, contrails), 43256
CAR, EV = 0.256, 0.103              # average car, compact electric car (per vehicle-km)
GNR, HVO, DIESEL = 3.16, 0.544, 3.1  # per litre: 14015, 37112, 25775
GRID = 0.0519                       # France 2024, 43642
MEAL, VEGE, BEEF, CHICKEN = 2.04, 0.51, 6.29, 1.35
HOTEL = 4.3                         # Impact CO2 hotel night, France
WOOD_SPEND, TEXTILE_SPEND = 205, 271  # kgCO2e per k EUR 2023
CLOUD_EU = 7.6247                   # per TB-year, built row
CAMERA = 0.674525                   # kit_camera_day
AC_EOL = 304.56                     # ac_split_r410a_leak_eol_year_fr
CALL = 0.05706336546216             # Impact CO2 video call per hour
SERVICES_SPEND = 110                # spend_services_specialised_fr_2023, per k EUR 2023 (Base Carbone 43315)
AIR_LONG, RAIL = 0.89939, 0.02779   # DEFRA 2025 freight per tonne-km


def line(field, factor, quantity, unit):
    section, _, field_id = field.partition(".")
    return {"section": section, "field": field_id, "factor": factor, "quantity": quantity,
            "unit": unit, "phase": "production"}


FILM = [
    line("people_transport.flights_short_haul", "flight_500_1000_contrails_fr", 1000, "passenger_km"),
    line("people_transport.cars", "car_average_fr_vkm", 1000, "km"),
    line("energy_generators.generator_fuel", "diesel_nonroad_generator_fr_l", 100, "L"),
    line("energy_generators.grid_electricity", "electricity_fr_2024", 1000, "kWh"),
    line("people_transport.vehicle_fuel", "diesel_road_fr_l", 50, "L"),
    line("logistics_catering.meals", "meal_average_fr", 100, "meal"),
    line("logistics_catering.meat_meals", "meal_beef_classic_fr", 10, "meal"),
    line("logistics_catering.hotel_nights", "hotel_night_fr", 10, "night"),
    line("sets.set_purchases_spend", "spend_wood_products_fr_2023", 2, "kEUR_2023"),
    line("hair_makeup_costume.costumes_spend", "spend_textile_clothing_fr_2023", 1, "kEUR_2023"),
    line("digital_data.cloud_storage", "cloud_storage_eu27_tb_year_energy", 10, "TB_year"),
    line("technical_equipment.camera_kit_days", "kit_camera_day", 10, "kit_day"),
    line("freight.goods_by_truck", "freight_air_long_haul_rf_tkm", 1000, "tonne_km"),
]
PODCAST = [
    line("guests.guest_train", "train_tgv_fr", 1000, "passenger_km"),
    line("guests.guest_hotel_nights", "hotel_night_fr", 2, "night"),
    line("studio_recording.studio_electricity", "electricity_fr_2024", 100, "kWh"),
    line("studio_recording.studio_air_conditioning", "ac_split_r410a_leak_eol_year_fr", 0.01, "item"),
    line("editing_mixing.mixing_services", "spend_services_specialised_fr_2023", 0.6, "kEUR_2023"),
]

# Saving of each lever alone with its defaults, by hand [kgCO2e].
BY_HAND = {
    "flights_to_train": 1000 * (FLIGHT - TGV),
    "car_to_train": 0.5 * 1000 * CAR - 0.5 * 1000 * 1.5 * TGV,      # share 0.5, 1.5 people a car
    "car_sharing": 0.5 * 1000 * CAR,
    "electric_cars": 1000 * (CAR - EV),
    "generator_to_grid": 100 * GNR - 100 * 2.94 * GRID,               # 2.94 kWh per litre
    "generator_to_battery": 100 * GNR - 100 * 3.27 * GRID,
    "generator_hvo": 100 * (GNR - HVO),
    "vehicles_hvo": 50 * (DIESEL - HVO),
    "vegetarian_meals": 50 * (MEAL - VEGE),
    "no_red_meat": 10 * (BEEF - CHICKEN),
    "fewer_hotel_nights": 0.2 * 10 * HOTEL,
    "reused_sets": 0.3 * 2 * WOOD_SPEND,
    "hired_costumes": 0.5 * 1 * TEXTILE_SPEND,
    "led_lighting": 0.5 * 0.6 * (100 * GNR + 1000 * GRID),
    "fewer_data_copies": (1 - 0.667) * 10 * CLOUD_EU,
    "shorter_data_retention": 0.5 * 10 * CLOUD_EU,
    "equipment_kept_longer": (1 - 0.714) * 10 * CAMERA,
    "freight_rail_or_sea": 1000 * (AIR_LONG - RAIL),
    "green_electricity": 0.0,                 # location-based total does not move
}
BY_HAND_PODCAST = {
    "remote_guests": 1000 * TGV + 2 * HOTEL - 1 * 2 * 1 * CALL,        # 2 guests, 1 h each
    "smaller_studio": (1 - 0.26) * (100 * GRID + 0.01 * AC_EOL),
    "fewer_paid_services": 0.25 * 0.6 * SERVICES_SPEND,                 # a quarter of the spend
}


def assessment(lines, kind="feature_film", **extra):
    return from_dict({"format": "carbonclap-assessment/1",
                      "production": {"title": "t", "type": kind}, "activities": lines, **extra})


@pytest.fixture(scope="module")
def edition():
    return load_edition()


@pytest.fixture(scope="module")
def film_plan(edition):
    return reduction_plan(assessment(FILM), edition)


@pytest.mark.parametrize("lever", sorted(BY_HAND))
def test_each_lever_alone_by_hand(film_plan, lever):
    rows = {r["id"]: r for r in film_plan["levers"]}
    assert rows[lever]["saving_kgco2e"] == pytest.approx(BY_HAND[lever], rel=1e-9, abs=1e-9)
    baseline = film_plan["baseline_kgco2e"]
    assert rows[lever]["saving_pct"] == pytest.approx(100 * BY_HAND[lever] / baseline)


@pytest.mark.parametrize("lever", sorted(BY_HAND_PODCAST))
def test_audio_levers_by_hand(edition, lever):
    rows = {r["id"]: r for r in reduction_plan(assessment(PODCAST, "podcast"), edition)["levers"]}
    assert rows[lever]["saving_kgco2e"] == pytest.approx(BY_HAND_PODCAST[lever], rel=1e-9)


def test_green_electricity_moves_the_market_based_figure_only(film_plan):
    row = next(r for r in film_plan["levers"] if r["id"] == "green_electricity")
    assert row["saving_kgco2e"] == 0
    assert row["market_based_saving_kgco2e"] == pytest.approx(1000 * (GRID - 0.01))


def test_every_lever_applies_somewhere_and_not_where_it_cannot(film_plan):
    assert set(film_plan["applicable"]) == set(BY_HAND)          # audio levers are not for a film
    assert {r["id"] for r in film_plan["levers"]} == set(BY_HAND)
    assert film_plan["plan_kgco2e"] is None and film_plan["combined"] is None


def test_overlapping_levers_are_counted_once(edition):
    doc = reduction_plan(assessment(FILM), edition, ["generator_hvo", "led_lighting"])
    hvo = 100 * (GNR - HVO)
    led_after_hvo = 0.3 * (100 * HVO + 1000 * GRID)         # LED on what is left
    assert doc["combined"]["saving_kgco2e"] == pytest.approx(hvo + led_after_hvo)
    alone = BY_HAND["generator_hvo"] + BY_HAND["led_lighting"]
    assert doc["combined"]["sum_of_savings_kgco2e"] == pytest.approx(alone)
    assert doc["combined"]["saving_kgco2e"] < alone - 70      # 293.5 against 372.0
    assert doc["plan_kgco2e"] == pytest.approx(doc["baseline_kgco2e"] - hvo - led_after_hvo)


def test_shared_draws_make_a_narrower_saving_than_independent_runs(edition):
    a = assessment(FILM)
    doc = reduction_plan(a, edition, ["flights_to_train"], iterations=20_000, seed=5)
    row = doc["levers"][0]
    assert row["p5"] < row["saving_kgco2e"] < row["p95"]
    shared = row["p95"] - row["p5"]
    from carbonclap_methods.levers import apply_lever
    lines, _, _ = apply_lever(load_levers()["flights_to_train"], a.lines, a.production)
    before = monte_carlo(a.lines, edition, 20_000, seed=5, data=False).totals
    after = monte_carlo(lines, edition, 20_000, seed=6, data=False).totals
    independent = np.subtract(*np.percentile(before - after, [95, 5]))
    assert shared < 0.5 * independent


def test_the_plan_travels_with_the_assessment(tmp_path, edition):
    forecast = {"format": "carbonclap-assessment/1",
                "production": {"title": "f", "type": "feature_film", "stage": "forecast"},
                "activities": FILM[5:6],
                "plan": {"levers": ["vegetarian_meals"], "parameters": {"vegetarian_meals.share": 1}}}
    path = tmp_path / "forecast.yaml"
    path.write_text(yaml.safe_dump(forecast), "utf-8")
    loaded = load_assessment(path)                      # readers ignoring it accept it
    assert loaded.extra["plan"]["levers"] == ["vegetarian_meals"]
    final = assessment([dict(FILM[5], quantity=80)])
    final.production["stage"] = "final"
    doc = compare_stages(loaded, final, edition)
    assert doc["total"]["forecast_kgco2e"] == pytest.approx(100 * MEAL)
    planned = doc["forecast_with_plan"]["total"]
    assert planned["forecast_kgco2e"] == pytest.approx(100 * VEGE)        # all meals vegetarian
    assert planned["final_kgco2e"] == pytest.approx(80 * MEAL)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_plan_json_and_bad_input(tmp_path, capsys):
    path = tmp_path / "film.yaml"
    path.write_text(yaml.safe_dump({"format": "carbonclap-assessment/1",
                                    "production": {"title": "t", "type": "feature_film"},
                                    "activities": FILM}), "utf-8")
    code, out, err = run(capsys, "plan", path, "--levers", "vegetarian_meals,no_red_meat",
                         "-p", "vegetarian_meals.share", "1", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert {"baseline_kgco2e", "plan_kgco2e", "levers", "edition", "edition_sha256"} <= set(doc)
    assert set(doc["levers"][0]) >= {"id", "label_fr", "label_en", "saving_kgco2e", "saving_pct",
                                     "lines_changed", "source"}
    assert doc["combined"]["saving_kgco2e"] == pytest.approx(100 * (MEAL - VEGE) + 10 * (BEEF - CHICKEN))
    for args, words in (
            (["--levers", "nope"], ["unknown lever 'nope'", "flights_to_train"]),
            (["--levers", "remote_guests"], ["does not apply", "applicable:"]),
            (["--levers", "vegetarian_meals", "-p", "vegetarian_meals.share", "2"],
             ["share = 2.0 is out of its range [0, 1]"]),
            (["--levers", "vegetarian_meals", "-p", "vegetarian_meals.portion", "2"],
             ["unknown parameter 'portion'", "share"]),
            (["--levers", "vegetarian_meals", "-p", "no_red_meat.share", "1"],
             ["not in the plan"])):
        code, out, err = run(capsys, "plan", path, *args)
        assert code == 2, (args, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        for word in words:
            assert word in err, (word, err)


def test_levers_file_is_complete_and_fits_the_edition(edition):
    levers = load_levers()
    assert len(levers) >= 20
    assert check_levers(levers, edition, load_templates()) == []
    for lever in levers.values():
        assert lever.label_fr and lever.label_en and lever.rationale_fr and lever.rationale_en
        assert lever.source and ("assumption" in lever.source.lower() or any(
            s in lever.source for s in ("ADEME", "DEFRA", "GHG Protocol", "questionnaire")))


def test_malformed_levers_are_refused(tmp_path):
    path = tmp_path / "levers.yaml"
    path.write_text("levers:\n  x:\n    label_fr: a\n    label_en: b\n    rationale_fr: c\n"
                    "    rationale_en: d\n    source: e\n    parameters:\n"
                    "      share: {default: 2, min: 0, max: 1}\n"
                    "    changes:\n      - {kind: scale, fields: [a.b], share: share}\n", "utf-8")
    with pytest.raises(InvalidLever, match=r"lever x: parameter share: default 2 outside \[0, 1\]"):
        load_levers(path)
    path.write_text(path.read_text("utf-8").replace("default: 2", "default: 1")
                    .replace("kind: scale", "kind: shrink"), "utf-8")
    with pytest.raises(InvalidLever, match="kind must be one of"):
        load_levers(path)
