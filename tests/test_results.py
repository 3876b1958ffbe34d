"""Results a producer recognises: equivalences against Ecoprod's own
statement, the genre benchmark, forecast against final."""

import json
import subprocess
import sys

import pytest

from carbonclap_methods.assessment import from_dict
from carbonclap_methods.compare import compare_stages
from carbonclap_methods.errors import InvalidAssessment
from carbonclap_methods.published import compare_to_published, published_category_split
from carbonclap_methods.results import CATEGORIES, equivalences

EARTH_KM = 40075           # equatorial circumference
ECOPROD_T_PER_HOUR = 16    # Ecoprod 2024: 16 tCO2e per hour of content...
# ...which the report says is "1.8 laps of the Earth in a petrol car and the
# annual footprint of 1.7 French people".


def test_ecoprod_statement_which_factors_reproduce_it():
    from carbonclap_methods.factors import load_edition
    edition = load_edition()          # the default edition
    total = ECOPROD_T_PER_HOUR * 1000
    # 9.4 tCO2e per French person (SDES 2023) reproduces "1.7 French people"
    assert round(total / 9400, 1) == 1.7
    # "1.8 laps" needs a car between 16000/(1.85*40075) and 16000/(1.75*40075)
    # kgCO2e/km, i.e. 0.2158 to 0.2281. ADEME Impact CO2's "voiture thermique"
    # of 2022-2024 (0.192 use + 0.0256 construction = 0.2176) fits; Base
    # Carbone V23.6's petrol car (element 43787, 0.357) gives 1.1 laps.
    assert round(total / (0.192 + 0.0256) / EARTH_KM, 1) == 1.8
    assert round(total / 0.357 / EARTH_KM, 1) == 1.1
    # the default edition reproduces both statements
    eq = equivalences(total, edition)
    assert eq["earth_laps_petrol_car"]["factors"][0] == "car_thermal_fr_vkm_impactco2_2022"
    assert eq["earth_laps_petrol_car"]["value"] == pytest.approx(16000 / 0.2176 / 40075)
    assert round(eq["earth_laps_petrol_car"]["value"], 1) == 1.8
    assert round(eq["french_annual_footprints"]["value"], 1) == 1.7
    assert eq["french_annual_footprints"]["value"] == pytest.approx(total / 9400)


def test_edition_2025_1_petrol_row_misses_the_statement():
    from carbonclap_methods.factors import load_edition
    eq = equivalences(16000, load_edition("2025.1"))
    # by how much the old default (petrol car 0.357) differs from the 1.8 laps: -38 %
    assert eq["earth_laps_petrol_car"]["value"] / 1.8 - 1 == pytest.approx(-0.3789, abs=1e-3)


def _result(kind, total, **production):
    minutes = production.get("content_minutes")
    indicators = {}
    if minutes:
        indicators["per_hour_of_content"] = total / (minutes / 60)
    if production.get("episodes"):
        indicators["per_episode"] = total / production["episodes"]
    return {"production": {"type": kind, **production}, "total_kgco2e": total,
            "indicators": indicators}


def test_documentary_against_its_genre():
    # 23.1 t for a 52' documentary: 2.1x the 11 t mean; per hour 26.65 t vs 10.3 t
    bench = compare_to_published(_result("documentary", 23100, content_minutes=52, episodes=1))
    assert bench["per_production"]["ratio"] == pytest.approx(23.1 / 11)
    assert bench["per_production"]["text_en"] == \
        "2.1x the 2024 Carbon'Clap mean for documentaries (per production)"
    assert bench["per_production"]["text_fr"].startswith("2,1 fois la moyenne")
    assert bench["per_hour"]["ratio"] == pytest.approx(23.1 / (52 / 60) / 10.3)
    assert bench["per_hour_all_genres"]["ratio"] == pytest.approx(23.1 / (52 / 60) / 16)
    assert bench["per_production"]["benchmark"] == "ecoprod_documentary"


def test_series_compare_per_episode():
    bench = compare_to_published(_result("fiction_series", 8 * 45000, episodes=8, content_minutes=8 * 52))
    assert bench["per_episode"]["ratio"] == pytest.approx(45 / 38)
    assert "per_production" not in bench


def test_sound_productions_are_not_set_against_the_audiovisual_mean():
    # SIRTI/Bilobay 2024: one podcast on several platforms 3.7 kgCO2e, a
    # morning show 1.1 tCO2e, a 30-second local radio spot 1.38 kgCO2e
    for kind, published_kg in (("podcast", 3.7), ("radio_show", 1100), ("audio_advertising", 1.38)):
        bench = compare_to_published(_result(kind, 180, content_minutes=45))
        assert set(bench) == {"nearest_published"}, kind
        entry = bench["nearest_published"]
        assert entry["ratio"] == pytest.approx(180 / published_kg)
        assert "not a mean" in entry["scope"] and "scope" in entry["scope"]
        assert "no Carbon'Clap mean is published for sound productions" in entry["text_en"]
        assert "aucune moyenne Carbon'Clap" in entry["text_fr"]


def test_published_split_covers_the_categories():
    split = published_category_split()
    assert set(split) <= set(CATEGORIES)
    assert split["transport"] == 27.5 and split["purchases"] == 24.6
    assert sum(split.values()) == pytest.approx(100.0, abs=0.5)   # rounding in the report


TGV, MEAL, CAR = 0.00293, 2.04, 0.357


def _assessment(stage, lines):
    return from_dict({"format": "carbonclap-assessment/1",
                      "production": {"type": "documentary", "stage": stage},
                      "activities": [dict(zip(("id", "factor", "quantity", "unit"), line),
                                          phase="production") for line in lines]},
                     source=f"{stage}.yaml")


def test_forecast_against_final_by_hand(edition):
    forecast = _assessment("forecast", [("travel", "train_tgv_fr", 1000, "pkm"),
                                        ("food", "meal_average_fr", 100, "meal")])
    final = _assessment("final", [("travel", "train_tgv_fr", 1500, "pkm"),
                                  ("food", "meal_average_fr", 80, "meal"),
                                  ("car", "car_petrol_fr_vkm", 200, "km")])
    doc = compare_stages(forecast, final, edition)
    old, new = 1000 * TGV + 100 * MEAL, 1500 * TGV + 80 * MEAL + 200 * CAR
    assert doc["total"]["forecast_kgco2e"] == pytest.approx(old)       # 206.93
    assert doc["total"]["final_kgco2e"] == pytest.approx(new)          # 239.235
    assert doc["total"]["relative_change"] == pytest.approx(new / old - 1)
    assert doc["by_category"]["transport"]["change_kgco2e"] == pytest.approx(500 * TGV + 200 * CAR)
    assert doc["by_category"]["food"]["change_kgco2e"] == pytest.approx(-20 * MEAL)
    lines = {line["line"]: line for line in doc["lines"]}
    assert lines["car"]["forecast_kgco2e"] == 0 and lines["car"]["final_kgco2e"] == pytest.approx(200 * CAR)
    assert lines["food"]["relative_change"] == pytest.approx(-0.2)


def test_compare_refuses_swapped_stages(edition):
    forecast = _assessment("forecast", [("a", "train_tgv_fr", 1, "pkm")])
    with pytest.raises(InvalidAssessment, match="final.yaml: production.stage is 'final' but "
                       "the file is given as the forecast"):
        compare_stages(_assessment("final", [("a", "train_tgv_fr", 1, "pkm")]), forecast, edition)


def test_compare_command(tmp_path, minimal_text):
    forecast = tmp_path / "forecast.yaml"
    forecast.write_text(minimal_text)
    final = tmp_path / "final.yaml"
    final.write_text(minimal_text.replace("stage: forecast", "stage: final")
                     .replace("quantity: 930", "quantity: 1860"))
    proc = subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", "compare", str(forecast),
                           str(final), "--format", "json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["total"]["change_kgco2e"] == pytest.approx(930 * TGV)
    table = subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", "compare", str(forecast),
                            str(final)], capture_output=True, text=True)
    assert "+100.0 %" in table.stdout


def test_small_ratios_keep_two_significant_digits():
    bench = compare_to_published(_result("documentary", 180, content_minutes=45))
    # 180 kgCO2e over 0.75 h = 240 kgCO2e/h against 16,000: 0.015x
    assert bench["per_hour_all_genres"]["text_en"].startswith("0.015x the 2024 Carbon'Clap mean")
    assert bench["per_hour_all_genres"]["text_fr"].startswith("0,015 fois la moyenne")
