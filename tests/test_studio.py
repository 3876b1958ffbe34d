"""The studio-hour model (carbonclap_methods/studio.py), without papermill.

Expected values are computed here by hand from the source figures, typed
below with their provenance, never read back from the implementation.
"""

import math
import shutil
from dataclasses import replace

import numpy as np
import pytest

from carbonclap_methods import studio, study_studio_hour
from carbonclap_methods.factors import load_edition
from carbonclap_methods.studio import InvalidScenario, Scenario, StudioDataError


@pytest.fixture(scope="module")
def edition():
    """The edition with the building factor and the studio-hour factors (2026.3)."""
    return load_edition("2026.3")


# Factor values (kgCO2e per activity unit), typed from their sources.
ELEC_FR = 0.0519            # electricity_fr_2024, ADEME Base Carbone 43642
ELEC_DE = 0.341             # electricity_de_2024_em, Electricity Maps 2024
ELEC_EU27 = 0.21302         # electricity_eu27_2024_ember, Ember 2024
GAS_LHV = 0.239             # natural_gas_fr_kwh_lhv, Base Carbone 37132
R410A = 2256                # refrigerant_r410a, Base Carbone 43632
LAPTOP = 156                # device_laptop_fr, Base Carbone 27002
SCREEN_24 = 248             # device_screen_24_fr, Base Carbone 27006
SMALL_ELEC_KG = 5.64794563  # device_electrical_small_gb_t, DEFRA 2024 (5647.94563 per t)
METRO = 0.00444             # metro_idf_fr, Base Carbone 43253
TGV = 0.00293               # train_tgv_fr, Base Carbone 43256
FLIGHT_LT500 = 0.289        # flight_lt500_contrails_fr, Base Carbone
MEAL = 2.04                 # meal_average_fr, Base Carbone 20682
MEAL_VEG = 0.51             # meal_vegetarian_fr
CALL = 0.05706336546216     # video_call_fr_hour_impactco2, Impact CO2
WORKSTATION = 0.03144       # workstation_gb_fte_hour, DEFRA 2024
STORAGE_FR = 1.8577         # cloud_storage_fr_tb_year_energy, built row (per TB-year)
CAR = 0.256                 # car_average_fr_vkm, Base Carbone
BUILDING = 650              # building_office_construction_fr_m2, Base Carbone 24302 (per m2 SHON)
GAS_EU = 0.243              # natural_gas_eu_kwh_lhv, Base Carbone 13515
STORAGE_EU27 = 7.6247       # cloud_storage_eu27_tb_year_energy, built row (per TB-year)
HOTEL_FR = 6.7              # hotel_night_fr_defra, DEFRA 2024 29_600_4016_13_1
HOTEL_DE = 13.2             # hotel_night_de, DEFRA 2024 29_600_4017_13_1

# Studio figures (studies/data), typed from studio-equipment.csv and the profiles' assumptions.
U, S = 1600, 8              # default utilisation [h/year] and session [h]
SMALL_W = 50 + 20 + 2 * 15 + 10 + 2 * 0.48 + 3 * 0 + 20   # laptop, screen, 2 monitors, interface, 2 mics, 3 headphones, amp
SMALL_AREA = 20
# outside sessions: laptop 0.5 W, screen 0.5 W, 2 monitors x 4.5 W, interface 5 W, amp 5 W
SMALL_IDLE_W = 0.5 + 0.5 + 2 * 4.5 + 5 + 5


def small_parts(u=U, s=S, elec=ELEC_FR, guests=2, km=930, travel=TGV, meal=MEAL, life=1.0,
                gas=GAS_LHV, storage=STORAGE_FR):
    """The small studio's components by hand [kgCO2e per studio hour]."""
    embodied = (LAPTOP / (4 * life) + SCREEN_24 / (6 * life)
                + SMALL_ELEC_KG * (2 * 5 / (10 * life) + 1.5 / (8 * life) + 2 * 0.5 / (15 * life)
                                   + 3 * 0.3 / (5 * life) + 4 / (12 * life))) / u
    return {
        "equipment_electricity": SMALL_W / 1000 * elec,
        "idle_loads": SMALL_IDLE_W * (8760 - u) / u / 1000 * elec,   # every idle hour of the year
        "building_electricity": SMALL_AREA * 121 / u * elec,      # 121 kWh/(m2.year), Base Carbone 23624
        "heating": SMALL_AREA * 177 / u * gas,                    # 177 kWh/(m2.year), Base Carbone 23732
        "refrigerant": 1 * 1 * (0.05 + 0.85 / 10) / u * R410A,    # 1 kg, 5 %/yr, 85 % at end of life
        "embodied_equipment": embodied,
        "building_embodied": SMALL_AREA / (50 * u) * BUILDING,    # 650 kgCO2e/m2 over 50 years
        "staff_travel": 1 * 20 / s * METRO,
        "guest_travel": guests * km / s * travel,
        "meals": (1 + guests) * meal / s,
        "storage": 4 * 0.5184 * 5 / 1000 * storage,              # 4 tracks x 518.4 MB x 5 years
    }


@pytest.fixture(scope="module")
def small(edition):
    return studio.studio_hour(Scenario(studio_size="small"), edition)


def test_small_studio_by_hand(small):
    parts = small_parts()
    assert small["kgco2e_per_studio_hour"] == pytest.approx(sum(parts.values()), rel=1e-9)  # about 2.34
    for component, value in parts.items():
        assert small["by_component"][component] == pytest.approx(value, rel=1e-9), component
    assert small["by_component"]["remote_guests"] == 0


def test_small_studio_categories(small):
    parts = small_parts()
    by_category = small["by_category"]
    assert by_category["electricity"] == pytest.approx(parts["equipment_electricity"] + parts["idle_loads"]
                                                       + parts["building_electricity"])
    assert by_category["buildings"] == pytest.approx(parts["building_embodied"])
    assert by_category["heating"] == pytest.approx(parts["heating"])
    assert by_category["air_conditioning"] == pytest.approx(parts["refrigerant"])
    assert by_category["technical_equipment"] == pytest.approx(parts["embodied_equipment"])
    assert by_category["transport"] == pytest.approx(parts["staff_travel"] + parts["guest_travel"])
    assert by_category["food"] == pytest.approx(parts["meals"])
    assert by_category["digital"] == pytest.approx(parts["storage"])
    assert set(by_category) >= {"transport", "studio_use", "buildings"}   # every category present


def test_two_scopes_sum_to_the_whole(small):
    parts = small_parts()
    studio_part = sum(parts[c] for c in ("equipment_electricity", "idle_loads", "building_electricity",
                                         "heating", "refrigerant", "embodied_equipment",
                                         "building_embodied"))
    whole = sum(parts.values())
    assert small["by_part"]["studio"] == pytest.approx(studio_part)
    assert small["by_part"]["session"] == pytest.approx(whole - studio_part)
    assert small["by_scope"]["studio_itself"] == pytest.approx(studio_part)
    assert small["by_scope"]["studio_with_people"] == pytest.approx(whole)
    assert small["by_part"]["studio"] + small["by_part"]["session"] == pytest.approx(whole)
    assert small["idle_hours_per_year"] == 8760 - 1600


COUNTRY_LINES = {"equipment_electricity", "idle_loads", "building_electricity", "heating", "storage",
                 "guest_stays"}


@pytest.mark.parametrize("size", studio.SIZES)
def test_switching_country_changes_exactly_the_country_lines_by_their_ratio(edition, size):
    # guests from 1,200 km away stay a night, so the hotel line is there too
    fr = studio.studio_hour(Scenario(studio_size=size, country="FR", guest_travel_km=1200), edition)
    de = studio.studio_hour(Scenario(studio_size=size, country="DE", guest_travel_km=1200), edition)
    ratio = {"equipment_electricity": ELEC_DE / ELEC_FR, "idle_loads": ELEC_DE / ELEC_FR,
             "building_electricity": ELEC_DE / ELEC_FR, "heating": GAS_EU / GAS_LHV,
             "storage": STORAGE_EU27 / STORAGE_FR, "guest_stays": HOTEL_DE / HOTEL_FR}
    fr_lines = fr["lines"].set_index("id")
    de_lines = de["lines"].set_index("id")
    assert list(fr_lines.index) == list(de_lines.index)
    assert fr_lines.loc["guest_stays", "kgco2e"] > 0
    for line in fr_lines.index:
        component = fr_lines.loc[line, "component"]
        expected = fr_lines.loc[line, "kgco2e"] * ratio.get(component, 1.0)
        assert de_lines.loc[line, "kgco2e"] == pytest.approx(expected, rel=1e-12), line
        assert (de_lines.loc[line, "factor"] != fr_lines.loc[line, "factor"]) == (component in COUNTRY_LINES)


@pytest.mark.parametrize("size", studio.SIZES)
def test_doubling_utilisation_halves_the_building_and_equipment_parts(edition, size):
    base = studio.studio_hour(Scenario(studio_size=size), edition)["by_component"]
    double = studio.studio_hour(Scenario(studio_size=size, utilisation_hours_per_year=3200), edition)["by_component"]
    for component in ("embodied_equipment", "building_embodied", "building_electricity", "heating",
                      "refrigerant"):
        assert double[component] == pytest.approx(base[component] / 2, rel=1e-12), component
    for component in ("equipment_electricity", "staff_travel", "guest_travel", "meals", "storage"):
        assert double[component] == pytest.approx(base[component], rel=1e-12), component
    # the idle hours of the year: (8760 - 3200) / 3200 against (8760 - 1600) / 1600
    assert double["idle_loads"] == pytest.approx(base["idle_loads"] * (5560 / 3200) / (7160 / 1600))


def test_staff_commute_mode_and_distance(edition):
    car = studio.studio_hour(Scenario(studio_size="small", staff_travel_mode="car", staff_commute_km=30),
                             edition)
    line = car["lines"].set_index("id").loc["staff_travel"]
    assert (line["factor"], line["unit"]) == ("car_average_fr_vkm", "vehicle_km")
    assert line["kgco2e"] == pytest.approx(1 * 30 / 8 * CAR)
    none = studio.studio_hour(Scenario(studio_size="small", staff_travel_mode="none"), edition)
    assert none["by_component"]["staff_travel"] == 0


def test_guests_stay_a_night_beyond_the_distance(edition):
    near = studio.studio_hour(Scenario(studio_size="small", guest_travel_km=930), edition)   # 465 km
    far = studio.studio_hour(Scenario(studio_size="small", guest_travel_km=1200), edition)   # 600 km
    assert near["by_component"]["guest_stays"] == 0
    assert far["by_component"]["guest_stays"] == pytest.approx(2 * 1 / 8 * HOTEL_FR)
    assert far["by_category"]["accommodation"] == pytest.approx(2 / 8 * HOTEL_FR)
    closer = studio.studio_hour(Scenario(studio_size="small", guest_overnight_km=300), edition)
    assert closer["by_component"]["guest_stays"] == pytest.approx(2 / 8 * HOTEL_FR)


def test_longer_lifetime_lowers_only_the_embodied_part(edition):
    parts = small_parts(life=2.0)
    result = studio.studio_hour(Scenario(studio_size="small", equipment_lifetime_scale=2.0), edition)
    assert result["by_component"]["embodied_equipment"] == pytest.approx(parts["embodied_equipment"])
    assert result["kgco2e_per_studio_hour"] == pytest.approx(sum(parts.values()))


def test_plane_car_and_no_travel(edition):
    plane = studio.studio_hour(Scenario(studio_size="small", guest_travel_mode="plane"), edition)
    assert plane["by_component"]["guest_travel"] == pytest.approx(2 * 930 / 8 * FLIGHT_LT500)  # 465 km one way
    car = studio.studio_hour(Scenario(studio_size="small", guest_travel_mode="car", guest_travel_km=40), edition)
    line = car["lines"].set_index("id").loc["guest_travel"]
    assert (line["factor"], line["unit"]) == ("car_average_fr_vkm", "vehicle_km")
    assert line["kgco2e"] == pytest.approx(2 * 40 / 8 * CAR)
    none = studio.studio_hour(Scenario(studio_size="small", guest_travel_mode="none"), edition)
    assert none["by_component"]["guest_travel"] == 0
    assert "guest_travel" not in set(none["lines"]["id"])


@pytest.mark.parametrize("one_way, factor", [
    (0, "flight_lt500_contrails_fr"), (499.9, "flight_lt500_contrails_fr"),
    (500, "flight_500_1000_contrails_fr"), (1000, "flight_1000_2000_contrails_fr"),
    (4999, "flight_2000_5000_contrails_fr"), (5000, "flight_gt5000_contrails_fr"),
    (20000, "flight_gt5000_contrails_fr")])
def test_flight_band_by_one_way_distance(one_way, factor):
    assert studio.flight_factor(one_way) == factor


def test_remote_guests_replace_travel_and_meals(edition):
    remote = studio.studio_hour(Scenario(studio_size="small", guests_on_site=0, guests_remote=2), edition)
    parts = small_parts(guests=0)
    expected = sum(parts.values()) + 2 * 2 * CALL + 2 * WORKSTATION   # the call on both ends
    assert remote["kgco2e_per_studio_hour"] == pytest.approx(expected)
    assert remote["by_category"]["studio_use"] == pytest.approx(2 * WORKSTATION)
    assert remote["by_component"]["guest_travel"] == 0


def test_vegetarian_meals(edition):
    result = studio.studio_hour(Scenario(studio_size="small", meal="vegetarian"), edition)
    assert result["by_component"]["meals"] == pytest.approx(3 * MEAL_VEG / 8)


def test_sizes_grow(edition):
    sizes = studio.by_size(Scenario(), edition)
    assert list(sizes) == ["small", "medium", "large"]
    totals = [sizes[s]["kgco2e_per_studio_hour"] for s in sizes]
    assert totals == sorted(totals)
    assert sizes["small"]["kgco2e_per_studio_hour"] == pytest.approx(sum(small_parts().values()))


def test_sensitivity_by_hand(edition):
    table = studio.sensitivity(Scenario(studio_size="small"), edition)
    parts = small_parts()
    base = sum(parts.values())
    rows = table.set_index(["assumption", "case"])
    # doubling utilisation halves what is shared over the year
    yearly = (parts["building_electricity"] + parts["heating"] + parts["refrigerant"]
              + parts["embodied_equipment"] + parts["building_embodied"])
    idle_w_h = SMALL_IDLE_W / 1000 * ELEC_FR          # idle kWh per idle hour x grid
    idle = {u: idle_w_h * (8760 - u) / u for u in (800, 1600, 3200)}
    assert rows.loc[("utilisation_hours_per_year", "high"), "change_kgco2e"] == pytest.approx(
        -yearly / 2 + idle[3200] - idle[1600])
    assert rows.loc[("utilisation_hours_per_year", "low"), "change_kgco2e"] == pytest.approx(
        yearly + idle[800] - idle[1600])
    assert rows.loc[("country", "alternative"), "change_kgco2e"] == pytest.approx(
        (parts["equipment_electricity"] + parts["idle_loads"] + parts["building_electricity"])
        * (ELEC_EU27 / ELEC_FR - 1) + parts["heating"] * (GAS_EU / GAS_LHV - 1)
        + parts["storage"] * (STORAGE_EU27 / STORAGE_FR - 1))
    plane = rows.loc[("guest_travel_mode", "alternative")]
    assert plane["change_kgco2e"] == pytest.approx(2 * 930 / 8 * (FLIGHT_LT500 - TGV))
    assert plane["change_pct"] == pytest.approx(100 * plane["change_kgco2e"] / base)
    # ranks: 1 is the assumption with the largest absolute change, and they follow the swings
    swing = table.assign(a=table["change_kgco2e"].abs()).groupby("assumption")["a"].max()
    ranks = table.drop_duplicates("assumption").set_index("assumption")["rank"]
    assert list(swing.sort_values(ascending=False).index[:1]) == ["guest_travel_mode"]
    assert ranks["guest_travel_mode"] == 1
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    assert all(swing[a] >= swing[b] for a in ranks.index for b in ranks.index if ranks[a] < ranks[b])


def test_sensitivity_alternatives_follow_the_scenario(edition):
    table = studio.sensitivity(Scenario(studio_size="small", country="EU27", guest_travel_mode="plane",
                                        guests_on_site=0, guests_remote=1, meal="beef"), edition)
    settings = dict(zip(table["assumption"] + ":" + table["case"] + ":" + table["setting_en"], table["rank"]))
    assert any(k.startswith("country:alternative:FR") for k in settings)
    assert any(k.startswith("guest_travel_mode:alternative:train") for k in settings)
    assert any(k.startswith("guests_presence:alternative:all on site") for k in settings)
    assert not any(k.startswith("meal:alternative:beef") for k in settings)


@pytest.mark.parametrize("settings, message", [
    ({"studio_size": "huge"}, "studio_size"),
    ({"country": "FRA"}, "country"),
    ({"guest_travel_mode": "rocket"}, "guest_travel_mode"),
    ({"meal": "pizza"}, "meal"),
    ({"utilisation_hours_per_year": 0}, "utilisation_hours_per_year"),
    ({"utilisation_hours_per_year": 9000}, "utilisation_hours_per_year"),
    ({"session_hours": 25}, "session_hours"),
    ({"guests_on_site": -1}, "guests_on_site"),
    ({"guest_travel_km": math.nan}, "guest_travel_km"),
    ({"guests_remote": True}, "guests_remote"),
    ({"equipment_lifetime_scale": 0}, "equipment_lifetime_scale"),
])
def test_scenario_refuses_bad_settings(settings, message):
    with pytest.raises(InvalidScenario, match=message):
        Scenario(**settings).check()


def test_lines_name_their_factor_and_arithmetic():
    lines = studio.studio_hour_lines(Scenario(studio_size="large"))
    assert list(lines.columns) == studio.LINE_COLUMNS
    assert lines["id"].is_unique
    assert (lines["quantity"] > 0).all() and (lines["phase"] == "production").all()
    assert set(lines["part"]) == {"studio", "session"}
    assert lines.set_index("id").loc["embodied_console_large_format", "note"] == \
        "1 x 816 kg / (25 years x 1600 h)"


# ---------------------------------------------------------------------------
# Profiles: every value sourced or stated as an assumption

@pytest.mark.parametrize("size", studio.SIZES)
def test_every_profile_value_has_a_source_or_an_assumption(size):
    table = studio.provenance(studio.load_profile(size))
    assert len(table) > 30
    assert set(table["kind"]) <= {"source", "assumption"}
    assert table["text"].str.strip().str.len().gt(5).all()
    assert "area_m2" in set(table["value_of"])


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(studio.DATA, target)
    return target


def test_a_value_without_provenance_is_refused(data_copy):
    path = data_copy / "studio_small.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if 'assumption: "a booth of about 6 m2' in x)
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    with pytest.raises(StudioDataError, match=r"studio_small.yaml, area_m2: .*exactly one"):
        studio.load_profile("small", data_copy)
    path.write_text(text.replace(line, line.replace("assumption:", "note:")), encoding="utf-8")
    with pytest.raises(StudioDataError, match=r"area_m2: unexpected key\(s\) note"):
        studio.load_profile("small", data_copy)


def test_a_value_with_both_source_and_assumption_is_refused(data_copy):
    path = data_copy / "studio_common.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    value: 121\n", "    value: 121\n    assumption: guess\n"),
                    encoding="utf-8")
    with pytest.raises(StudioDataError, match="building.electricity_kwh_per_m2_year"):
        studio.load_profile("small", data_copy)


def test_an_unknown_item_is_refused(data_copy):
    path = data_copy / "studio_small.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("item: laptop", "item: theremin"),
                    encoding="utf-8")
    with pytest.raises(StudioDataError, match="'theremin' is not in equipment.yaml"):
        studio.load_profile("small", data_copy)


def test_a_size_file_overrides_common_values(data_copy, edition):
    path = data_copy / "studio_small.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "building:\n  heating_kwh_per_m2_year:\n    value: 0\n    unit: kWh/(m2.year)\n"
        "    assumption: heat pump counted in electricity\n"), encoding="utf-8")
    profile = studio.load_profile("small", data_copy)
    assert profile["building"]["electricity_kwh_per_m2_year"]["value"] == 121   # kept from common
    result = studio.studio_hour(Scenario(studio_size="small"), edition, profile)
    assert result["by_component"]["heating"] == 0
    assert result["kgco2e_per_studio_hour"] == pytest.approx(sum(small_parts().values()) - small_parts()["heating"])


def test_profile_errors_name_the_file(tmp_path):
    (tmp_path / "studio_common.yaml").write_text("format: x\nbuilding: [1,\n", encoding="utf-8")
    with pytest.raises(StudioDataError, match="studio_common.yaml"):
        studio.load_profile("small", tmp_path)


def test_a_missing_or_bad_number_names_the_item(data_copy):
    path = data_copy / "equipment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      value: 50\n      unit: W\n", "      value: -50\n      unit: W\n", 1),
                    encoding="utf-8")
    profile = studio.load_profile("small", data_copy)
    with pytest.raises(StudioDataError, match="equipment item 'laptop': power_w = -50 is not a number >= 0"):
        studio.studio_hour_lines(Scenario(studio_size="small"), profile)


# ---------------------------------------------------------------------------
# Uncertainty of a studio hour (Monte Carlo of the factors)

# Uncertainty of the factors [%, half-width of the 95 % interval], typed from
# the uncertainty_pct column of factors/2025.1/factors.csv.
U_PCT = {"electricity_fr_2024": 10, "natural_gas_fr_kwh_lhv": 5, "refrigerant_r410a": 30,
         "device_laptop_fr": 50, "device_screen_24_fr": 50, "device_electrical_small_gb_t": 50,
         "metro_idf_fr": 20, "train_tgv_fr": 20, "meal_average_fr": 50,
         "cloud_storage_fr_tb_year_energy": 100,
         "building_office_construction_fr_m2": 50}      # Base Carbone 24302: 50 %


def small_by_factor():
    """The small studio hour by factor, by hand [kgCO2e per studio hour]."""
    parts = small_parts()
    laptop, screen = LAPTOP / 4 / U, SCREEN_24 / 6 / U
    return {"electricity_fr_2024": parts["equipment_electricity"] + parts["idle_loads"]
            + parts["building_electricity"],
            "building_office_construction_fr_m2": parts["building_embodied"],
            "natural_gas_fr_kwh_lhv": parts["heating"], "refrigerant_r410a": parts["refrigerant"],
            "device_laptop_fr": laptop, "device_screen_24_fr": screen,
            "device_electrical_small_gb_t": parts["embodied_equipment"] - laptop - screen,
            "metro_idf_fr": parts["staff_travel"], "train_tgv_fr": parts["guest_travel"],
            "meal_average_fr": parts["meals"], "cloud_storage_fr_tb_year_energy": parts["storage"]}


def lognormal_moments(by_factor):
    """Mean and variance of the sum of independent lognormal factors (median = value)."""
    mean = var = 0.0
    for factor, kg in by_factor.items():
        s2 = (math.log(1 + U_PCT[factor] / 100) / 1.959964) ** 2
        mean += kg * math.exp(s2 / 2)
        var += kg ** 2 * (math.exp(s2) - 1) * math.exp(s2)
    return mean, var


@pytest.fixture(scope="module")
def small_mc(edition):
    """The factors alone (quantities at the scenario's values), to check against the lognormal algebra."""
    return study_studio_hour.studio_hour_monte_carlo(Scenario(studio_size="small"), edition, 20000, 2025,
                                                     assumptions=False)


def test_monte_carlo_of_the_small_studio_by_hand(small_mc):
    by_factor = small_by_factor()
    total = sum(small_parts().values())
    assert set(small_mc.factors.index) == set(by_factor)
    assert small_mc.deterministic_total == pytest.approx(total, rel=1e-9)
    mean, var = lognormal_moments(by_factor)
    draws = small_mc.totals
    assert len(draws) == 20000
    assert draws.mean() == pytest.approx(mean, abs=4 * math.sqrt(var / 20000))
    assert draws.std() == pytest.approx(math.sqrt(var), rel=0.05)
    assert float(sorted(draws)[10000]) == pytest.approx(total, rel=0.03)     # the median, near the value
    assert (draws > 0).all()


def test_uncertainty_summary_per_studio_hour(edition, small_mc):
    block = study_studio_hour.uncertainty_summary(small_mc)
    stats = block["kgco2e_per_studio_hour"]
    total = sum(small_parts().values())
    assert (block["iterations"], block["seed"]) == (20000, 2025)
    assert block["deterministic_kgco2e_per_studio_hour"] == pytest.approx(total)
    assert stats["p5"] < stats["p50"] < stats["p95"] and stats["p50"] == pytest.approx(total, rel=0.03)
    # the meal dominates: its share of the variance, by hand
    by_factor = small_by_factor()
    _, var = lognormal_moments(by_factor)
    s2 = (math.log(1.5) / 1.959964) ** 2
    top = block["contributions"][0]
    assert top["factor"] == "meal_average_fr"
    assert top["share"] == pytest.approx(by_factor["meal_average_fr"] ** 2 * (math.exp(s2) - 1)
                                         * math.exp(s2) / var, rel=0.03)   # over the drawn variance
    assert top["high_kgco2e"] == pytest.approx(total + 0.5 * by_factor["meal_average_fr"])
    assert top["low_kgco2e"] == pytest.approx(total - by_factor["meal_average_fr"] / 3)
    assert len(block["contributions"]) == 10                   # the top 10 of 11 factors
    # categories: food is the meal alone, a lognormal whose quantiles are known exactly
    food = block["by_category"]["food"]
    meals = small_parts()["meals"]
    assert food["p95"] == pytest.approx(meals * math.exp(1.644854 * math.sqrt(s2)), rel=0.03)
    assert food["p5"] == pytest.approx(meals * math.exp(-1.644854 * math.sqrt(s2)), rel=0.03)
    document = study_studio_hour.studio_hour_document(Scenario(studio_size="small"), edition, {}, small_mc)
    assert {k: v for k, v in document["uncertainty"].items()
            if k not in ("variance_split", "assumptions")} == block
    assert "uncertainty" not in study_studio_hour.studio_hour_document(Scenario(studio_size="small"), edition, {})


def test_same_seed_same_figures_and_zero_iterations(edition):
    scenario = Scenario(studio_size="medium", country="DE")
    one = study_studio_hour.studio_hour_monte_carlo(scenario, edition, 3000, 7)
    two = study_studio_hour.studio_hour_monte_carlo(scenario, edition, 3000, 7)
    other = study_studio_hour.studio_hour_monte_carlo(scenario, edition, 3000, 8)
    assert (one.totals == two.totals).all()
    assert study_studio_hour.uncertainty_summary(one) == study_studio_hour.uncertainty_summary(two)
    assert not (one.totals == other.totals).all()
    assert study_studio_hour.studio_hour_monte_carlo(scenario, edition, 0, 7) is None
    with pytest.raises(Exception, match="iterations"):
        study_studio_hour.studio_hour_monte_carlo(scenario, edition, -1, 7)


def triangular_quantile(q, low, mode, high):
    """Quantile of a triangular distribution, by hand."""
    if q < (mode - low) / (high - low):
        return low + math.sqrt(q * (high - low) * (mode - low))
    return high - math.sqrt((1 - q) * (high - low) * (high - mode))


def test_utilisation_range_gives_the_interval_of_the_studio_part(edition, monkeypatch):
    """With the factors at their values and only utilisation ranged (x0.5 to x1.5, triangular),
    the studio part decreases with utilisation, so its p5 and p95 are the model at the
    utilisation's p95 and p5, computed by hand."""
    monkeypatch.setattr(studio, "ranges", lambda *a: {"utilisation_hours_per_year": (0.5, 1.5)})
    mc = study_studio_hour.studio_hour_monte_carlo(Scenario(studio_size="small"), edition, 40000, 3,
                                                   factors=False, part="studio")
    studio_components = ("equipment_electricity", "idle_loads", "building_electricity", "heating",
                         "refrigerant", "embodied_equipment", "building_embodied")

    def studio_part(u):
        return sum(small_parts(u=u)[c] for c in studio_components)

    u95 = triangular_quantile(0.95, 800, 1600, 2400)     # 2147.0 h
    u5 = triangular_quantile(0.05, 800, 1600, 2400)      # 1053.0 h
    p5, p95 = (float(x) for x in np.percentile(mc.totals, [5, 95]))
    assert p5 == pytest.approx(studio_part(u95), rel=0.01)
    assert p95 == pytest.approx(studio_part(u5), rel=0.01)
    assert p95 / p5 > 1.8             # the factor-only interval of this part is far narrower


def test_the_interval_includes_the_assumption_ranges(edition):
    scenario = Scenario(studio_size="medium")
    both = study_studio_hour.studio_hour_monte_carlo(scenario, edition, 20000, 11)
    factors = study_studio_hour.studio_hour_monte_carlo(scenario, edition, 20000, 11, assumptions=False)
    width = lambda mc: float(np.subtract(*np.percentile(mc.totals, [95, 5])))
    assert width(both) > 2 * width(factors)
    # a quarter less or more utilisation (the assumption that moves the result most) is inside
    p5, p95 = np.percentile(both.totals, [5, 95])
    at = lambda u: studio.studio_hour(replace(scenario, utilisation_hours_per_year=u), edition)[
        "kgco2e_per_studio_hour"]
    assert p5 < at(2000) < both.deterministic_total < at(1200) < p95
    split = study_studio_hour.variance_split(scenario, edition, 5000, 11)
    assert split["assumptions_share"] > split["factors_share"] > 0


def test_assumption_file_agrees_with_the_scenario_defaults():
    declared = studio.load_assumptions()
    defaults = Scenario()
    for name, item in declared.items():
        assert getattr(defaults, name) == item["value"], name
    assert set(studio.ranges()) >= {"utilisation_hours_per_year", "heating_scale",
                                    "building_lifetime_scale", "equipment_lifetime_scale"}


def test_a_bad_range_is_refused(data_copy):
    path = data_copy / "studio_assumptions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("low: 0.5", "low: 1.5", 1), encoding="utf-8")
    with pytest.raises(StudioDataError, match="utilisation_hours_per_year: low and high"):
        studio.load_assumptions(data_copy)


@pytest.mark.parametrize("size", studio.SIZES)
@pytest.mark.parametrize("country", ["FR", "DE", "GB", "EU27"])
def test_the_derived_factor_equals_the_studys_figure(edition, size, country):
    from carbonclap_methods.studio_factors import factor_id

    row = edition.factor(factor_id(size, country))
    figure = studio.studio_hour(Scenario(studio_size=size, country=country), edition)
    assert row["value"] == pytest.approx(figure["by_scope"]["studio_itself"], rel=1e-5)
    assert row["category"] == "studio_use" and row["activity_unit"] == "hour"
    assert "studio_hour/2" in row["notes"] and "studio_medium.yaml sha256" not in row["notes"] or \
        size == "medium"
    assert f"studio_{size}.yaml sha256" in row["notes"]


def test_the_small_french_studio_factor_by_hand(edition):
    parts = small_parts()
    studio_itself = sum(parts[c] for c in ("equipment_electricity", "idle_loads", "building_electricity",
                                           "heating", "refrigerant", "embodied_equipment",
                                           "building_embodied"))
    assert edition.factor("studio_hour_small_fr")["value"] == pytest.approx(studio_itself, rel=1e-5)


def test_derived_rows_carry_the_current_data_hashes(edition):
    from carbonclap_methods.studio_factors import data_hashes

    for size in studio.SIZES:
        notes = edition.factor(f"studio_hour_{size}_fr")["notes"]
        for name, digest in data_hashes(size).items():
            assert f"{name} sha256 {digest}" in notes, (size, name)


def test_deriving_into_a_released_edition_is_refused(tmp_path):
    from carbonclap_methods.errors import EditionExists
    from carbonclap_methods.factors import load_edition as load
    from carbonclap_methods.studio_factors import write

    with pytest.raises(EditionExists, match="released"):
        write(tmp_path, load("2026.2"))
