"""The engine: hand-computed lines, unit properties, sums, vectorisation."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from carbonclap_methods.assessment import load_assessment
from carbonclap_methods.compute import compute
from carbonclap_methods.errors import InvalidQuantity, UnitMismatch, UnknownFactor, UnknownUnit
from carbonclap_methods.results import assess

# Factor values typed from their sources (ADEME Base Carbone V23.6), not read
# from the edition: element 43256 TGV 2022, 43787 petrol car 2023, 43642
# electricity mix 2024, 20682 average meal.
TGV = 0.00293          # kgCO2e per passenger-km
PETROL_CAR = 0.357     # kgCO2e per vehicle-km
ELECTRICITY_FR = 0.0519  # kgCO2e per kWh
MEAL = 2.04            # kgCO2e per meal
MILE_KM = 1.609344


def lines(*rows):
    return pd.DataFrame(rows, columns=["factor", "quantity", "unit", "phase"])


def test_tgv_line_by_hand(edition):
    out = compute(lines(("train_tgv_fr", 930, "passenger_km", "production")), edition)
    assert out["kgco2e"].iat[0] == pytest.approx(930 * TGV, rel=1e-12)   # 2.7249 kgCO2e
    assert out["kgco2e"].iat[0] == pytest.approx(2.7249, rel=1e-12)


def test_conversions_by_hand(edition):
    out = compute(lines(
        ("car_petrol_fr_vkm", 10, "mile", "preparation"),
        ("electricity_fr_2024", 0.1, "MWh", "post-production"),
        ("meal_average_fr", 12, "meal", "production"),
    ), edition)
    expected = [10 * MILE_KM * PETROL_CAR, 100 * ELECTRICITY_FR, 12 * MEAL]
    assert out["kgco2e"].tolist() == pytest.approx(expected, rel=1e-12)
    assert out["category"].astype(str).tolist() == ["transport", "electricity", "food"]


def test_minimal_assessment_totals(edition, write, minimal_text):
    text = minimal_text + """\
  - factor: meal_average_fr
    quantity: 3
    unit: meal
    phase: production
  - factor: electricity_fr_2024
    quantity: 250
    unit: kWh
    phase: post-production
"""
    result = assess(load_assessment(write("a.yaml", text)), edition)
    total = 930 * TGV + 3 * MEAL + 250 * ELECTRICITY_FR   # 2.7249 + 6.12 + 12.975
    assert result["total_kgco2e"] == pytest.approx(21.8199, rel=1e-12)
    assert result["total_kgco2e"] == pytest.approx(total, rel=1e-12)
    assert result["by_category"]["transport"] == pytest.approx(930 * TGV)
    assert result["by_category"]["food"] == pytest.approx(3 * MEAL)
    assert result["by_phase"]["post-production"] == pytest.approx(250 * ELECTRICITY_FR)
    assert result["by_phase"]["preparation"] == 0
    # indicators: 45 minutes of content, 12,000 EUR, one day, one episode
    assert result["indicators"]["per_hour_of_content"] == pytest.approx(total / 0.75)
    assert result["indicators"]["per_minute_of_content"] == pytest.approx(total / 45)
    assert result["indicators"]["per_keur_budget"] == pytest.approx(total / 12)
    assert result["indicators"]["per_day"] == pytest.approx(total)
    assert result["edition"] == "2025.1" and len(result["edition_sha256"]) == 64


def test_equivalences_use_named_reference_factors(edition, write, minimal_text):
    result = assess(load_assessment(write("a.yaml", minimal_text)), edition)
    total = 930 * TGV
    eq = result["equivalences"]
    # petrol car 0.357 kgCO2e/km (Base Carbone 43787); Earth 40,075 km;
    # French footprint 9.4 tCO2e per person and year (SDES 2023)
    assert eq["petrol_car_km"]["value"] == pytest.approx(total / PETROL_CAR)
    assert eq["petrol_car_km"]["factor"] == "car_petrol_fr_vkm"
    assert eq["earth_laps_petrol_car"]["value"] == pytest.approx(total / PETROL_CAR / 40075)
    assert eq["french_annual_footprints"]["value"] == pytest.approx(total / 9400)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_miles_and_km_give_the_same_emissions(edition, miles):
    out = compute(lines(("car_petrol_fr_vkm", miles, "mile", "production"),
                        ("car_petrol_fr_vkm", miles * MILE_KM, "km", "production")), edition)
    assert out["kgco2e"].iat[0] == pytest.approx(out["kgco2e"].iat[1], rel=1e-12, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["train_tgv_fr", "car_petrol_fr_vkm", "electricity_fr_2024", "meal_average_fr"]),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.sampled_from(["preparation", "production", "post-production"])), min_size=1, max_size=40))
def test_sums_by_category_and_phase_equal_the_total(edition, rows):
    unit = {"train_tgv_fr": "pkm", "car_petrol_fr_vkm": "km", "electricity_fr_2024": "kWh",
            "meal_average_fr": "meal"}
    from carbonclap_methods.assessment import from_dict
    data = {"format": "carbonclap-assessment/1", "production": {"type": "documentary"},
            "activities": [{"factor": f, "quantity": q, "unit": unit[f], "phase": p}
                           for f, q, p in rows]}
    result = assess(from_dict(data), edition)
    total = result["total_kgco2e"]
    assert sum(result["by_category"].values()) == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert sum(result["by_phase"].values()) == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert sum(line["kgco2e"] for line in result["lines"]) == pytest.approx(total, rel=1e-9, abs=1e-9)


def test_vectorised_equals_line_by_line(edition):
    rng = np.random.default_rng(1)
    choices = [("train_tgv_fr", "pkm", TGV), ("car_petrol_fr_vkm", "mile", PETROL_CAR * MILE_KM),
               ("electricity_fr_2024", "MWh", ELECTRICITY_FR * 1000), ("meal_average_fr", "meal", MEAL)]
    picks = rng.integers(0, 4, 2000)
    qty = rng.uniform(0, 100, 2000)
    table = lines(*[(choices[k][0], q, choices[k][1], "production") for k, q in zip(picks, qty)])
    expected = [q * choices[k][2] for k, q in zip(picks, qty)]
    assert compute(table, edition)["kgco2e"].tolist() == pytest.approx(expected, rel=1e-12)


def test_categorical_columns_are_accepted(edition):
    table = lines(("train_tgv_fr", 1000, "pkm", "production"), ("meal_average_fr", 2, "meal", "production"))
    for column in ("factor", "unit", "phase"):
        table[column] = table[column].astype("category")
    assert compute(table, edition)["kgco2e"].tolist() == pytest.approx([1000 * TGV, 2 * MEAL])


def test_empty_activity_list_gives_zero(edition):
    out = compute(lines(), edition)
    assert len(out) == 0 and out["kgco2e"].sum() == 0


@pytest.mark.parametrize("row,error,words", [
    (("train_tgv_fr", 5, "km", "production"), UnitMismatch, ["'km'", "'passenger_km'", "train_tgv_fr"]),
    (("train_tgv_fr", 5, "kilometres_ish", "production"), UnknownUnit, ["'kilometres_ish'"]),
    (("no_such_factor", 5, "km", "production"), UnknownFactor, ["'no_such_factor'", "2025.1"]),
    (("train_tgv_fr", -1, "pkm", "production"), InvalidQuantity, ["negative"]),
    (("train_tgv_fr", math.nan, "pkm", "production"), InvalidQuantity, ["empty or NaN"]),
    (("train_tgv_fr", math.inf, "pkm", "production"), InvalidQuantity, ["finite"]),
    (("train_tgv_fr", "ten", "pkm", "production"), InvalidQuantity, ["'ten'"]),
    (("ref_earth_circumference", 1, "dimensionless", "production"), UnknownFactor, ["reference value"]),
])
def test_engine_errors_name_the_line(edition, row, error, words):
    with pytest.raises(error) as info:
        compute(lines(("meal_average_fr", 1, "meal", "production"), row), edition)
    message = str(info.value)
    assert "row 2" in message
    for word in words:
        assert word in message
