"""A line's result category is the Carbon'Clap category of the questionnaire
field it answers, whatever factor prices it (issue 10); the factor's own
category only for lines that answer no field.

Factor values are copied by hand from factors/2026.2/factors.csv (the
default edition) and the expected splits are summed by hand here.
"""

import numpy as np
import pandas as pd
import pytest

from carbonclap_methods.assessment import from_dict
from carbonclap_methods.categories import CATEGORIES, line_categories
from carbonclap_methods.errors import InvalidTemplate
from carbonclap_methods.factors import load_edition
from carbonclap_methods.portfolio import compute_portfolio, load_portfolio
from carbonclap_methods.results import assess
from carbonclap_methods.templates import field_categories, load_templates

# One line per questionnaire section (section, field, factor, quantity, unit,
# kgCO2e by hand, expected category). Where the factor's own category differs
# from the field's, the factor's is in the comment.
LINES = [
    ("production_office", "insurance", "spend_insurance_fr_2023", 2, "kEUR_2023", 77 * 2, "services"),
    ("production_office", "office_electricity", "electricity_fr_2024", 1000, "kWh", 0.0519 * 1000, "electricity"),
    ("filming_locations", "air_conditioning_units", "ac_split_r410a_leak_eol_year_fr", 0.5, "item",
     304.56 * 0.5, "air_conditioning"),
    ("sets", "set_purchases_spend", "spend_wood_products_fr_2023", 2, "kEUR_2023", 205 * 2, "purchases"),
    ("hair_makeup_costume", "costumes_spend", "spend_textile_clothing_fr_2023", 1, "kEUR_2023", 271, "purchases"),
    ("people_transport", "train", "train_tgv_fr", 1000, "passenger_km", 2.93, "transport"),
    # factor category: services
    ("freight", "courier_spend", "spend_postal_fr_2023", 1, "kEUR_2023", 112, "transport"),
    # factor category: services
    ("logistics_catering", "catering_spend", "spend_accommodation_catering_fr_2023", 1, "kEUR_2023", 250, "food"),
    ("logistics_catering", "hotel_spend", "spend_accommodation_catering_fr_2023", 2, "kEUR_2023", 500,
     "accommodation"),
    ("logistics_catering", "hotel_nights", "hotel_night_fr", 10, "night", 43, "accommodation"),
    # factor category: purchases (the monetary ratio of machinery)
    ("technical_equipment", "equipment_rental", "spend_machinery_equipment_fr_2023", 15, "kEUR_2023", 273 * 15,
     "technical_equipment"),
    ("technical_equipment", "camera_kit_days", "kit_camera_day", 40, "kit_day", 0.674525 * 40,
     "technical_equipment"),
    ("energy_generators", "generator_fuel", "diesel_nonroad_generator_fr_l", 100, "L", 316, "generators"),
    ("post_production", "post_services", "spend_film_tv_music_fr_2023", 10, "kEUR_2023", 1560, "post_production"),
    # factor category: technical_equipment
    ("digital_data", "storage_media", "device_external_ssd_fr_impactco2", 6, "item", 135.1904175 * 6, "digital"),
    ("waste", "residual_waste", "waste_residual_average_fr", 100, "kg", 38.6, "waste"),
    # factor category: post_production
    ("studio_recording", "studio_rental", "spend_film_tv_music_fr_2023", 1, "kEUR_2023", 156, "studio_use"),
    # factor category: studio_use
    ("guests", "remote_guest_workstation_hours", "workstation_gb_fte_hour", 10, "FTE_hour", 0.3144, "digital"),
    ("editing_mixing", "editing_workstation_hours", "workstation_gb_fte_hour", 100, "FTE_hour", 3.144,
     "post_production"),
    # factor category: services
    ("hosting_distribution", "hosting_services", "spend_it_services_fr_2023", 1, "kEUR_2023", 75, "digital"),
]
# Lines that answer no questionnaire field keep their factor's category.
NO_FIELD = [
    (None, None, "meal_average_fr", 10, "meal", 20.4, "food"),
    ("sets", None, "spend_machinery_equipment_fr_2023", 1, "kEUR_2023", 273, "purchases"),
]


def _assessment(rows, kind="feature_film"):
    activities = []
    for n, (section, field, factor, quantity, unit, _, _) in enumerate(rows):
        line = {"id": f"l{n}", "factor": factor, "quantity": quantity, "unit": unit, "phase": "production"}
        if section:
            line.update(section=section, **({"field": field} if field else {}))
        activities.append(line)
    return from_dict({"format": "carbonclap-assessment/1",
                      "production": {"title": "t", "type": kind}, "activities": activities})


def _expected(rows):
    split = dict.fromkeys(CATEGORIES, 0.0)
    for *_, kg, category in rows:
        split[category] += kg
    return split


def test_every_section_feeds_the_category_of_its_field():
    sections = {r[0] for r in LINES}
    every = {s.id for t in load_templates().values() for s in t.sections}
    assert sections == every               # one line for each of the 16 sections
    result = assess(_assessment(LINES + NO_FIELD), load_edition())
    expected = _expected(LINES + NO_FIELD)
    assert result["by_category"] == pytest.approx(expected)
    assert result["total_kgco2e"] == pytest.approx(sum(expected.values()))
    by_line = {line["id"]: line["category"] for line in result["lines"]}
    assert by_line == {f"l{n}": r[6] for n, r in enumerate(LINES + NO_FIELD)}


def test_documentary_hire_is_technical_equipment_not_purchases():
    # The review's case: 15 k EUR of hire priced by the machinery ratio
    # (273 kgCO2e/k EUR) was shown as purchases of goods.
    result = assess(_assessment([LINES[10]], "documentary"), load_edition())
    assert result["by_category"]["technical_equipment"] == pytest.approx(4095)
    assert result["by_category"]["purchases"] == 0
    assert result["lines"][0]["category"] == "technical_equipment"


def test_line_categories_vectorised_matches_the_rule():
    lines = pd.DataFrame({"section": ["a", "a", None, "b", ""],
                          "field": ["x", "y", "x", "x", ""]})
    got = line_categories(lines, np.array(["f1", "f2", "f3", "f4", "f5"], dtype=object),
                          {("a", "x"): "food", ("b", "x"): "waste"})
    assert list(got) == ["food", "f2", "f3", "waste", "f5"]
    # no section/field columns: the factor's categories, unchanged
    assert list(line_categories(pd.DataFrame({"factor": ["a"]}), np.array(["f"]), {})) == ["f"]


def test_field_categories_cover_every_field():
    table = field_categories()
    fields = {(s.id, f.id) for t in load_templates().values() for s in t.sections for f in s.fields}
    assert set(table) == fields
    assert set(table.values()) <= set(CATEGORIES)
    assert table[("technical_equipment", "equipment_rental")] == "technical_equipment"
    assert table[("logistics_catering", "catering_spend")] == "food"


def test_portfolio_classifies_by_field(tmp_path):
    import yaml
    for name, rows in (("a", LINES[:8]), ("b", LINES[8:] + NO_FIELD)):
        doc = {"format": "carbonclap-assessment/1",
               "production": {"title": name, "type": "feature_film"},
               "activities": [{"section": s, "field": f, "factor": fa, "quantity": q, "unit": u,
                               "phase": "production"} if s and f else
                              {"section": s, "factor": fa, "quantity": q, "unit": u,
                               "phase": "production"} if s else
                              {"factor": fa, "quantity": q, "unit": u, "phase": "production"}
                              for s, f, fa, q, u, _, _ in rows]}
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = compute_portfolio(load_portfolio(tmp_path), load_edition())
    expected = _expected(LINES + NO_FIELD)
    got = result.by_category.sum(axis=0)
    for category, kg in expected.items():
        assert got.get(category, 0.0) == pytest.approx(kg)


# --- templates that get a category wrong are refused when they load -------------

def _write_templates(tmp_path, category_line):
    from carbonclap_methods import templates
    folder = tmp_path / "templates"
    folder.mkdir()
    types = (templates.TEMPLATES_DIR / templates.TYPES_FILE).read_text("utf-8")
    sections = (templates.TEMPLATES_DIR / templates.SECTIONS_FILE).read_text("utf-8")
    marker = "        default_factor: spend_insurance_fr_2023\n"
    assert sections.count(marker) == 1
    sections = sections.replace(marker, marker + category_line)
    (folder / templates.TYPES_FILE).write_text(types, "utf-8")
    (folder / templates.SECTIONS_FILE).write_text(sections, "utf-8")
    return folder


def test_unknown_field_category_is_refused_naming_file_and_field(tmp_path):
    folder = _write_templates(tmp_path, "        category: catering\n")
    with pytest.raises(InvalidTemplate) as err:
        load_templates(folder)
    message = str(err.value)
    assert "sections.yaml" in message and "field insurance" in message
    assert "'catering' is not a result category" in message


def test_field_without_any_category_is_refused(tmp_path):
    folder = _write_templates(tmp_path, "")
    text = (folder / "sections.yaml").read_text("utf-8")
    text = text.replace("    data_quality: measured\n    category: services\n",
                        "    data_quality: measured\n", 1)
    (folder / "sections.yaml").write_text(text, "utf-8")
    with pytest.raises(InvalidTemplate, match="field insurance: no result category"):
        load_templates(folder)


def test_a_type_cannot_override_a_field_category(tmp_path):
    folder = _write_templates(tmp_path, "")
    types = (folder / "types.yaml").read_text("utf-8")
    head, sep, rest = types.partition("  podcast:\n")
    rest = rest.replace("    overrides:\n", "    overrides:\n      production_office:\n"
                        "        fields:\n          insurance: {category: purchases}\n", 1)
    (folder / "types.yaml").write_text(head + sep + rest, "utf-8")
    with pytest.raises(InvalidTemplate, match="unknown key.*category"):
        load_templates(folder)


def test_a_field_typo_is_refused_not_misfiled():
    from carbonclap_methods.errors import InvalidAssessment
    typo = [("technical_equipment", "equipment_rentals", "spend_machinery_equipment_fr_2023", 10,
             "kEUR_2023", 2730, "technical_equipment")]
    with pytest.raises(InvalidAssessment, match=r"activities\[0\].field: 'equipment_rentals' is not "
                                                r"a field of section technical_equipment"):
        assess(_assessment(typo), load_edition())
    unknown = [("lighting", "hmi", "spend_machinery_equipment_fr_2023", 10, "kEUR_2023", 0, "")]
    with pytest.raises(InvalidAssessment, match="'lighting' is not a questionnaire section"):
        assess(_assessment(unknown), load_edition())
