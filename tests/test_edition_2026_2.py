"""Edition 2026.2, the edition after the methodological review (issue 10; the default
until 2026.3 added the studio hour):
its built rows recomputed by hand from their parts, and the conventions it
states."""

import pytest

from carbonclap_methods import refrigerant
from carbonclap_methods.factors import load_edition


@pytest.fixture(scope="module")
def e2026_2():
    return load_edition("2026.2")


def test_its_successor_2026_3_is_the_default_and_changes_none_of_its_rows(e2026_2):
    """2026.3 only adds the studio-hour rows (issue 14): every 2026.2 row is the same."""
    default = load_edition()
    assert default.name == "2026.3"
    old, new = e2026_2.table, default.table
    assert set(old.index) <= set(new.index)
    assert (new.loc[old.index, "value"] == old["value"]).all()
    assert sorted(set(new.index) - set(old.index)) == sorted(
        ["building_office_construction_fr_m2"]
        + [f"studio_hour_{s}_{c}" for s in ("small", "medium", "large") for c in ("fr", "de", "gb", "eu27")])


def value(edition, factor_id):
    return float(edition.factor(factor_id)["value_kgco2e"])


def test_air_conditioning_counts_the_end_of_life_loss(e2026_2):
    # Base Carbone: charge 1 kg (14598), leaks 5 %/yr (14603), end-of-life 85 % (14608),
    # R410A 2256 (43632); assumed life 10 years: 1 x (0.05 + 0.85 / 10) x 2256
    assert value(e2026_2, "ac_split_r410a_leak_eol_year_fr") == pytest.approx(304.56)
    assert refrigerant.annual_loss_kg(1, 0.05, 0.85, 10) * 2256 == pytest.approx(304.56)
    # the leak-only row of earlier editions is 1 x 0.05 x 2256
    assert value(e2026_2, "ac_split_r410a_leak_year_fr") == pytest.approx(112.8)


def test_refrigerant_parts_and_bad_lifetime():
    assert refrigerant.yearly_leak_kg(2, 0.05) == pytest.approx(0.1)
    assert refrigerant.yearly_end_of_life_kg(2, 0.85, 10) == pytest.approx(0.17)
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="lifetime_years"):
            refrigerant.yearly_end_of_life_kg(1, 0.85, bad)


# Embodied carbon of each kit over (life years x days of use a year), with the
# parts' values: DEFRA 2024 electrical items IT 24865.47556 and small
# 5647.94563 kgCO2e/t; Base Carbone steel 2211, aluminium 7803 kgCO2e/t,
# high-performance desktop 296, 24" screen 248, laptop 156 kgCO2e/item.
KITS = {
    "kit_camera_day": (15 * 24.86547556 + 30 * 7.803) / (6 * 150),
    "kit_lighting_day": (250 * 5.64794563 + 150 * 2.211) / (10 * 120),
    "kit_grip_day": (600 * 2.211 + 200 * 7.803) / (15 * 120),
    "kit_sound_day": 20 * 5.64794563 / (8 * 150),
    "kit_editing_day": (296 + 2 * 248) / (5 * 220),
    "kit_it_day": (156 + 248) / (4 * 220),
}


@pytest.mark.parametrize("factor_id", sorted(KITS))
def test_kit_day_factors(e2026_2, factor_id):
    row = e2026_2.factor(factor_id)
    assert float(row["value_kgco2e"]) == pytest.approx(KITS[factor_id], rel=1e-5)
    assert row["activity_unit"] == "kit_day" and row["category"] == "technical_equipment"
    assert "status=built" in row["notes"] and "Modelling assumptions" in row["notes"]
    assert float(row["uncertainty_pct"]) == 100


def test_hire_proxy_is_named_as_one(e2026_2):
    row = e2026_2.factor("spend_equipment_rental_proxy_fr_2023")
    assert float(row["value_kgco2e"]) == 273 and row["source_id"] == "43355"
    assert "status=proxy" in row["notes"] and "No rental" in row["notes"]
    assert float(row["uncertainty_pct"]) == 100


def test_one_waste_convention(e2026_2):
    table = e2026_2.table
    waste = table[table["category"] == "waste"]
    # DEFRA's recycling and energy-recovery rows count collection and transport
    # only (cut-off): not the edition's convention, so they are gone.
    for gone in ("waste_paper_recycling_gb", "waste_plastic_recycling_gb",
                 "waste_construction_recycling_gb", "waste_commercial_combustion_gb",
                 "waste_food_anaerobic_digestion_gb"):
        assert gone not in table.index
    french = waste[waste["source"].str.startswith("ADEME Base Carbone")]
    assert len(french) >= 10 and french["notes"].str.contains("avoided emissions").all()
    uk = waste[~waste["source"].str.startswith("ADEME Base Carbone")]
    assert uk.index.str.contains("landfill").all()


def test_electronics_by_weight_not_white_goods(e2026_2):
    assert "white goods" in e2026_2.factor("device_electrical_large_gb_t")["notes"]
    assert "consoles" in e2026_2.factor("device_electrical_small_gb_t")["notes"]
