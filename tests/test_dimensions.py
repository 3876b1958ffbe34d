"""What a methodologist reads beside a total (issue 13): scopes, BEGES items,
GWP sets, biogenic CO2, the contrails switch, market-based electricity and
the uncertainty of the activity data. Factor values are typed by hand from
factors/2026.2/factors.csv (the default edition); expected figures are summed
by hand here."""

import math

import numpy as np
import pytest

from carbonclap_methods.assessment import from_dict
from carbonclap_methods.errors import InvalidAssessment, InvalidTemplate
from carbonclap_methods.factors import load_edition
from carbonclap_methods.results import assess
from carbonclap_methods.uncertainty import Z_95, Z_975, monte_carlo, variance_split


@pytest.fixture(scope="module")
def edition():
    return load_edition()


def doc(lines, **production):
    return from_dict({"format": "carbonclap-assessment/1",
                      "production": {"title": "t", "type": "feature_film", **production},
                      "activities": [{"phase": "production", **line} for line in lines]})


def line(section, field, factor, quantity, unit, **more):
    return {"section": section, "field": field, "factor": factor, "quantity": quantity,
            "unit": unit, **more}


SMALL = [
    # Base Carbone 14015: gazole non routier 3.16 kgCO2e/L, CO2b of its combustion 0.0925216
    line("energy_generators", "generator_fuel", "diesel_nonroad_generator_fr_l", 100, "L"),
    line("energy_generators", "grid_electricity", "electricity_fr_2024", 1000, "kWh"),      # 0.0519
    line("people_transport", "train", "train_tgv_fr", 1000, "passenger_km"),                 # 0.00293
    line("technical_equipment", "camera_kit_days", "kit_camera_day", 10, "kit_day"),         # 0.674525
    line("waste", "residual_waste", "waste_residual_average_fr", 100, "kg"),                 # 386 /t
    line("filming_locations", "air_conditioning_units", "ac_split_r410a_leak_eol_year_fr", 1, "item"),
    # Base Carbone 34424: B100 1.22 kgCO2e/L, CO2b of its combustion 2.479456
    line("people_transport", "vehicle_fuel", "b100_road_fr_l", 10, "L"),
]


# Upstream shares from the Base Carbone posts (typed by hand): GNR 14015 combustion
# 2.57 + upstream 0.589; electricity 43642 plants 0.035 + upstream 0.0131 + losses
# 0.0038; B100 34424 combustion 0 + upstream 1.22 (its combustion CO2 is biogenic).
GNR_UP = 0.589 / (2.57 + 0.589)
GRID_UP = (0.0131 + 0.0038) / (0.035 + 0.0131 + 0.0038)


def test_scopes_and_beges_by_hand(edition):
    result = assess(doc(SMALL), edition)
    upstream = 316 * GNR_UP + 51.9 * GRID_UP + 12.2          # scope 3.3
    assert result["by_scope"] == pytest.approx({"1": 316 * (1 - GNR_UP) + 304.56,
                                                "2": 51.9 * (1 - GRID_UP),
                                                "3": 2.93 + 6.74525 + 38.6 + upstream}, rel=1e-5)
    assert result["by_scope3_category"] == pytest.approx(
        {"3.3": upstream, "3.5": 38.6, "3.6": 2.93, "3.8": 6.74525}, rel=1e-5)
    beges = {k: v for k, v in result["by_beges"].items() if v}
    # BEGES v5: categories 1 and 2 hold the combustion only, the upstream of energy
    # is in item 4.1 (B100's 12.2 is all upstream: its combustion CO2 is biogenic)
    assert beges == pytest.approx({"1.1": 316 * (1 - GNR_UP), "1.4": 304.56,
                                   "2.1": 51.9 * (1 - GRID_UP), "4.1": upstream,
                                   "3.5": 2.93, "4.3": 38.6, "4.4": 6.74525}, rel=1e-5)
    assert len(result["by_beges"]) == 22
    total = result["total_kgco2e"]
    assert sum(result["by_scope"].values()) == pytest.approx(total)
    assert sum(result["by_beges"].values()) == pytest.approx(total)


def test_gwp_sets_are_listed_and_a_mix_flagged(edition):
    result = assess(doc(SMALL), edition)
    # the split air-conditioner row is built on R410A's AR6 GWP; the rest is AR5
    assert result["gwp"]["by_set"] == pytest.approx({"AR5": 316 + 51.9 + 2.93 + 6.74525 + 38.6 + 12.2,
                                                     "AR6": 304.56})
    assert result["gwp"]["mixed"] is True and result["gwp"]["note"]
    alone = assess(doc(SMALL[:2]), edition)
    assert alone["gwp"]["mixed"] is False


def test_biogenic_co2_beside_the_total_not_in_it(edition):
    result = assess(doc(SMALL), edition)
    assert result["biogenic_co2"]["kgco2"] == pytest.approx(100 * 0.0925216 + 10 * 2.479456)
    assert result["biogenic_co2"]["factors"] == ["b100_road_fr_l", "diesel_nonroad_generator_fr_l"]
    # the total is the fossil figure only
    assert result["total_kgco2e"] == pytest.approx(316 + 51.9 + 2.93 + 6.74525 + 38.6 + 304.56 + 12.2)


FLIGHT = line("people_transport", "flights_short_haul", "flight_500_1000_contrails_fr", 1000,
              "passenger_km")      # ADEME 43743 with contrails 0.225, 43744 without 0.124


def test_contrails_switch(edition):
    include = assess(doc([FLIGHT]), edition)
    assert include["total_kgco2e"] == pytest.approx(225)
    assert include["contrails"]["setting"] == "include"
    assert include["contrails"]["total_without_contrails_kgco2e"] == pytest.approx(124)
    exclude = assess(doc([FLIGHT], contrails="exclude"), edition)
    assert exclude["total_kgco2e"] == pytest.approx(124)
    assert exclude["lines"][0]["factor"] == "flight_500_1000_no_contrails_fr"
    assert exclude["contrails"]["total_with_contrails_kgco2e"] == pytest.approx(225)
    assert include["contrails"]["mixed"] is False


def test_mixed_contrail_families_and_unpaired_lines_are_flagged(edition):
    no_trails = dict(FLIGHT, factor="flight_500_1000_no_contrails_fr")
    uk = line("people_transport", "flights_short_haul", "flight_short_haul_rf_gb_incl_wtt", 100,
              "passenger_km")
    result = assess(doc([FLIGHT, no_trails, uk]), edition)
    assert result["contrails"]["mixed"] is True
    assert result["contrails"]["families_in_file"] == ["excluded", "included"]
    assert result["contrails"]["unpaired_lines"] == ["<memory>, activities[2]"]
    # include: both ADEME lines with contrails, the DEFRA line as it is (0.20878)
    assert result["total_kgco2e"] == pytest.approx(2 * 225 + 100 * 0.20878)


def test_bad_contrails_setting_is_refused():
    with pytest.raises(InvalidAssessment, match="production.contrails: 'maybe' is not a choice"):
        doc([FLIGHT], contrails="maybe")


def test_market_based_electricity_beside_location_based(edition):
    contract = {"supplier": "Enercoop", "kgco2e_per_kwh": 0.01, "guarantees_of_origin": True}
    result = assess(doc(SMALL[:3], electricity_contract=contract), edition)
    elec = result["electricity"]
    assert elec["location_based_kgco2e"] == pytest.approx(51.9)
    assert elec["market_based_kgco2e"] == pytest.approx(10.0)
    assert elec["total_market_based_kgco2e"] == pytest.approx(316 + 10.0 + 2.93)
    assert result["total_kgco2e"] == pytest.approx(316 + 51.9 + 2.93)     # location-based stays
    # a line's own contract wins over the production's
    own = dict(SMALL[1], electricity_contract={"kgco2e_per_kwh": 0.0})
    assert assess(doc([own], electricity_contract=contract), edition)["electricity"][
        "market_based_kgco2e"] == 0.0
    with pytest.raises(InvalidAssessment, match="electricity_contract.kgco2e_per_kwh"):
        assess(doc(SMALL[:2], electricity_contract={"kgco2e_per_kwh": -1}), edition)


def test_unknown_data_quality_is_refused():
    with pytest.raises(InvalidAssessment, match=r"activities\[0\].data_quality: 'guessed'"):
        doc([dict(SMALL[0], data_quality="guessed")])


def test_one_line_interval_is_the_lognormal_product(edition):
    # TGV: factor u_f = 20 % (Base Carbone 43256); a line without field is
    # "computed" data, u_q = 15 %: ln X ~ N(ln v, sf^2 + sq^2)
    lines = doc([{"factor": "train_tgv_fr", "quantity": 1000, "unit": "passenger_km"}]).lines
    mc = monte_carlo(lines, edition, 200_000, seed=7, progress=False)
    v = 2.93
    sigma = math.hypot(math.log(1.2), math.log(1.15)) / Z_975
    p5, p95 = np.percentile(mc.totals, [5, 95])
    assert p5 == pytest.approx(v * math.exp(-Z_95 * sigma), rel=0.01)
    assert p95 == pytest.approx(v * math.exp(Z_95 * sigma), rel=0.01)
    # exact variance split: Var(QM) = E[Q^2]E[M^2] - (E[Q]E[M])^2
    sf2, sq2 = (math.log(1.2) / Z_975) ** 2, (math.log(1.15) / Z_975) ** 2
    split = variance_split(mc)
    total = v ** 2 * (math.exp(2 * sf2 + 2 * sq2) - math.exp(sf2 + sq2))
    assert split["total"] == pytest.approx(total)
    assert split["factors"] == pytest.approx(v ** 2 * (math.exp(2 * sf2) - math.exp(sf2)))
    assert split["data"] == pytest.approx(v ** 2 * (math.exp(2 * sq2) - math.exp(sq2)))
    assert np.var(mc.totals) == pytest.approx(total, rel=0.03)
    # quantities exact: the factor's interval alone
    exact = monte_carlo(lines, edition, 200_000, seed=7, progress=False, data=False)
    assert np.percentile(exact.totals, 95) == pytest.approx(
        v * math.exp(Z_95 * math.log(1.2) / Z_975), rel=0.01)


def test_data_quality_of_the_line_wins_over_its_field(edition):
    measured = doc([dict(SMALL[2], data_quality="measured")])
    mc = monte_carlo(measured.lines, edition, 10, seed=1, progress=False)
    assert list(mc.lines["uncertainty_pct"]) == [5.0]
    default = monte_carlo(doc([SMALL[2]]).lines, edition, 10, seed=1, progress=False)
    assert list(default.lines["data_quality"]) == ["computed"]      # people_transport's default


def test_every_example_sums_by_scope_and_beges(edition):
    from pathlib import Path
    from carbonclap_methods.assessment import load_assessment
    for path in sorted((Path(__file__).parent.parent / "examples").glob("*.yaml")):
        result = assess(load_assessment(path), edition)
        assert sum(result["by_scope"].values()) == pytest.approx(result["total_kgco2e"]), path
        assert sum(result["by_beges"].values()) == pytest.approx(result["total_kgco2e"]), path


def test_scope_codes_must_be_quoted_in_templates(tmp_path):
    import shutil
    from carbonclap_methods.templates import TEMPLATES_DIR, load_templates
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    path = folder / "sections.yaml"
    text = path.read_text("utf-8")
    assert text.count('    ghg_scope: "3.6"\n') >= 1
    path.write_text(text.replace('    ghg_scope: "3.6"\n', "    ghg_scope: 3.6\n", 1), "utf-8")
    with pytest.raises(InvalidTemplate, match="ghg_scope: 3.6 must be text in quotes"):
        load_templates(folder)
    path.write_text(text.replace('    beges: "4.5"\n', '    beges: "7.1"\n', 1), "utf-8")
    with pytest.raises(InvalidTemplate, match="beges: '7.1' is not a BEGES item"):
        load_templates(folder)


def test_portfolio_sums_by_scope_and_beges(tmp_path, edition):
    import yaml
    from carbonclap_methods.portfolio import compute_portfolio, load_portfolio, portfolio_document
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({
        "format": "carbonclap-assessment/1", "production": {"title": "a", "type": "documentary"},
        "activities": [dict(l, phase="production") for l in SMALL]}), "utf-8")
    document = portfolio_document(compute_portfolio(load_portfolio(tmp_path), edition))
    assert sum(document["by_scope"].values()) == pytest.approx(document["total_kgco2e"])
    assert document["by_beges"]["1.4"] == pytest.approx(304.56)
    upstream = 316 * GNR_UP + 51.9 * GRID_UP + 12.2
    assert document["by_beges"]["4.1"] == pytest.approx(upstream, rel=1e-5)
    assert document["by_beges"]["1.1"] == pytest.approx(316 * (1 - GNR_UP), rel=1e-5)
    assert document["by_beges"]["1.2"] == pytest.approx(0, abs=1e-9)
    assert sum(document["by_beges"].values()) == pytest.approx(document["total_kgco2e"])


def test_bad_contracts_are_refused(edition):
    grid = SMALL[1]
    for contract, words in (({"kgco2e_per_kwh": 50}, "above 1.5 kgCO2e/kWh"),
                            ({"kgco2e_per_kwh": 0.01, "price": 3}, "unknown key 'price'"),
                            (7, "must be a mapping")):
        with pytest.raises(InvalidAssessment, match=words):
            assess(doc([dict(grid, electricity_contract=contract)]), edition)
    with pytest.raises(InvalidAssessment, match=r"activities\[0\].electricity_contract: a supply "
                                                r"contract on a line that is not scope 2"):
        assess(doc([dict(SMALL[0], electricity_contract={"kgco2e_per_kwh": 0.01})]), edition)


def test_contrails_switch_in_every_path(tmp_path, edition):
    """Monte Carlo and portfolio compute the lines the switch gives, as compute does."""
    import yaml
    from carbonclap_methods.portfolio import compute_portfolio, load_portfolio
    from carbonclap_methods.switches import assessment_lines
    a = doc([FLIGHT], contrails="exclude")
    mc = monte_carlo(assessment_lines(a, edition), edition, 100, seed=1)
    assert mc.deterministic_total == pytest.approx(124)
    (tmp_path / "x.yaml").write_text(yaml.safe_dump({
        "format": "carbonclap-assessment/1",
        "production": {"title": "x", "type": "documentary", "contrails": "exclude"},
        "activities": [dict(FLIGHT, phase="production")]}), "utf-8")
    result = compute_portfolio(load_portfolio(tmp_path), edition)
    assert result.total_kgco2e == pytest.approx(124)
    old = load_edition("2025.1")
    with pytest.raises(InvalidAssessment, match="exclude needs an edition that pairs flights"):
        assess(a, old)


def test_portfolio_scopes_equal_compute_scopes(tmp_path, edition):
    import yaml
    from carbonclap_methods.portfolio import compute_portfolio, load_portfolio, portfolio_document
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({
        "format": "carbonclap-assessment/1", "production": {"title": "a", "type": "documentary"},
        "activities": [dict(l, phase="production") for l in SMALL]}), "utf-8")
    document = portfolio_document(compute_portfolio(load_portfolio(tmp_path), edition))
    upstream = 316 * GNR_UP + 51.9 * GRID_UP + 12.2
    assert document["by_scope"] == pytest.approx({"1": 316 * (1 - GNR_UP) + 304.56,
                                                  "2": 51.9 * (1 - GRID_UP),
                                                  "3": 2.93 + 6.74525 + 38.6 + upstream}, rel=1e-5)
