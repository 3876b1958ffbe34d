"""Questionnaire templates: data, validation against the edition, skeletons, CLI, examples."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from carbonclap_methods.assessment import PRODUCTION_TYPES, from_dict, load_assessment
from carbonclap_methods.cli import main
from carbonclap_methods.results import assess
from carbonclap_methods.templates import (TEMPLATES_DIR, InvalidTemplate, UnknownTemplate,
                                          check_factors, get_template, list_templates,
                                          load_templates, render_template, skeleton,
                                          validate_templates)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def edition():
    """The default edition: the questionnaires' default factors are its rows."""
    from carbonclap_methods.factors import load_edition
    return load_edition()

# Typed by hand from issue 4, not read from the package.
TYPES = ("feature_film", "tv_film", "fiction_series", "short_film", "documentary",
         "entertainment", "magazine_news", "live_capture", "advertising",
         "music_corporate_video", "animation", "podcast", "radio_show", "audio_advertising")
SOUND_TYPES = ("podcast", "radio_show", "audio_advertising")
SOUND_SECTIONS = {"studio_recording", "guests", "editing_mixing", "hosting_distribution"}
PHASES = {"preparation", "production", "post-production"}


def example_files():
    return sorted(EXAMPLES.glob("*.yaml"))


# ---------------------------------------------------------------------------
# The shipped templates

def test_every_template_validates_against_the_default_edition(edition):
    templates = validate_templates(edition)
    assert tuple(templates) == TYPES
    assert check_factors(templates, edition) == []


def test_every_production_type_has_a_template():
    assert tuple(PRODUCTION_TYPES) == TYPES
    assert [t.type for t in list_templates()] == list(TYPES)


def test_sound_types_have_the_sound_sections_and_audiovisual_types_do_not():
    for template in list_templates():
        sections = set(template.section_ids)
        if template.type in SOUND_TYPES:
            assert {"studio_recording", "guests", "editing_mixing"} <= sections, template.type
        else:
            assert not sections & SOUND_SECTIONS, template.type


def test_section_order_follows_the_budget_logic():
    assert get_template("feature_film").section_ids == (
        "production_office", "filming_locations", "sets", "hair_makeup_costume",
        "people_transport", "freight", "logistics_catering", "technical_equipment",
        "energy_generators", "post_production", "digital_data", "waste")
    assert get_template("podcast").section_ids == (
        "production_office", "studio_recording", "guests", "people_transport",
        "logistics_catering", "technical_equipment", "editing_mixing", "hosting_distribution",
        "waste")


@pytest.mark.parametrize("section, field, unit, default", [
    # from factors/2025.1/README.md, "Defaults a questionnaire uses"
    ("people_transport", "train", "passenger_km", "train_tgv_fr"),
    ("people_transport", "cars", "km", "car_average_fr_vkm"),
    ("people_transport", "cars_per_passenger", "passenger_km", "car_average_fr_pkm"),
    ("people_transport", "taxis", "km", "car_average_fr_vkm"),
    ("people_transport", "vans_minibuses", "km", "van_passenger_fr_vkm_impactco2"),
    ("people_transport", "coach_bus", "passenger_km", "coach_fr_pkm"),
    ("people_transport", "helicopter_fuel", "L", "kerosene_jet_a1_fr_l"),
    ("freight", "trucks", "km", "hgv_gb_vkm_incl_wtt"),
    ("freight", "goods_by_truck", "tonne_km", "truck_rigid_12_20t_fr_tkm"),
    ("logistics_catering", "hotel_nights", "night", "hotel_night_fr"),
    ("logistics_catering", "meals", "meal", "meal_average_fr"),
    ("logistics_catering", "breakfasts", "meal", "breakfast_continental_fr"),
    ("energy_generators", "generator_fuel", "L", "diesel_nonroad_generator_fr_l"),
    ("energy_generators", "grid_electricity", "kWh", "electricity_fr_2024"),
    ("sets", "set_timber", "t", "material_wood_gb_t"),
    ("technical_equipment", "equipment_rental", "kEUR_2023", "spend_equipment_rental_proxy_fr_2023"),
    ("technical_equipment", "camera_kit_days", "kit_day", "kit_camera_day"),
    ("filming_locations", "air_conditioning_units", "item", "ac_split_r410a_leak_eol_year_fr"),
    ("post_production", "post_services", "kEUR_2023", "spend_film_tv_music_fr_2023"),
    ("digital_data", "cloud_storage", "TB_year", "cloud_storage_eu27_tb_year_energy"),
    ("waste", "set_strike_waste", "t", "waste_mixed_site_average_fr"),
])
def test_fields_use_the_editions_defaults(section, field, unit, default):
    item = get_template("feature_film").section(section).field(field)
    assert (item.unit, item.default_factor) == (unit, default)


def test_flights_offer_every_ademe_distance_band():
    transport = get_template("tv_film").section("people_transport")
    choices = transport.field("flights_short_haul").factors
    for band in ("flight_lt500_contrails_fr", "flight_500_1000_contrails_fr",
                 "flight_1000_2000_contrails_fr", "flight_2000_5000_contrails_fr",
                 "flight_gt5000_contrails_fr"):
        assert band in choices


def test_every_field_is_complete_in_both_languages():
    for template in list_templates():
        for section in template.sections:
            assert section.label_fr and section.label_en and section.help_fr and section.help_en
            for item in section.fields:
                assert item.label_fr and item.label_en and item.help_fr and item.help_en
                assert item.phase in PHASES
                assert item.default_factor not in item.choices
                assert len(set(item.choices)) == len(item.choices)


def test_remote_guests_use_the_studio_use_workstation_factor(edition):
    item = get_template("podcast").section("guests").field("remote_guest_workstation_hours")
    assert item.default_factor == "workstation_gb_fte_hour"
    assert edition.factor(item.default_factor)["category"] == "studio_use"


def test_overrides_change_only_what_they_name():
    animation = get_template("animation").section("production_office")
    feature = get_template("feature_film").section("production_office")
    assert animation.label_en == "Animation studio and offices"
    assert feature.label_en == "Production office"
    assert animation.phase == "production" and feature.phase == "preparation"
    studio, office = animation.field("office_electricity"), feature.field("office_electricity")
    assert studio.label_en == "Studio electricity (workstations, render farm)"
    assert office.label_en == "Office electricity"
    assert (studio.unit, studio.default_factor, studio.choices) == \
        (office.unit, office.default_factor, office.choices)
    # the field's phase follows the overridden section phase
    assert studio.phase == "production"
    guests = get_template("audio_advertising").section("guests")
    assert guests.label_fr == "Comédiens voix et clients"


def test_unknown_type_section_and_field():
    with pytest.raises(UnknownTemplate, match="one of feature_film, .*audio_advertising"):
        get_template("podcats")
    with pytest.raises(UnknownTemplate, match="no section 'sets'"):
        get_template("podcast").section("sets")
    with pytest.raises(UnknownTemplate, match="no field 'gin'"):
        get_template("podcast").section("guests").field("gin")


# ---------------------------------------------------------------------------
# Broken templates are refused, naming file and field

@pytest.fixture
def broken(tmp_path):
    """Copy the templates, apply one text replacement to one file, return the folder."""
    def _broken(name, old, new):
        folder = tmp_path / "templates"
        shutil.copytree(TEMPLATES_DIR, folder)
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder
    return _broken


def test_a_plain_km_is_refused_for_a_passenger_km_factor(broken, edition):
    folder = broken("sections.yaml", "unit: passenger_km\n        default_factor: train_tgv_fr",
                    "unit: km\n        default_factor: train_tgv_fr")
    with pytest.raises(InvalidTemplate) as info:
        validate_templates(edition, folder)
    message = str(info.value)
    assert "sections.yaml, line" in message
    assert "section people_transport, field train" in message
    assert "'km'" in message and "'passenger_km'" in message


def test_an_unknown_factor_is_refused(broken, edition):
    folder = broken("sections.yaml", "default_factor: spend_insurance_fr_2023",
                    "default_factor: spend_insurance_fr_2099")
    with pytest.raises(InvalidTemplate, match=r"section production_office, field insurance: "
                       r"default_factor 'spend_insurance_fr_2099' is not a factor"):
        validate_templates(edition, folder)


def test_every_problem_is_listed_once(broken, edition):
    # a wrong choice set member shows in many fields and in all 14 types: one line per field
    folder = broken("sections.yaml", "[metro_idf_fr, rer_transilien_idf_fr",
                    "[metro_idf_fr, car_average_fr_vkm")
    with pytest.raises(InvalidTemplate) as info:
        validate_templates(edition, folder)
    assert len(info.value.problems) == 2   # local_public_transport and guest_local_transport
    assert all("choice 'car_average_fr_vkm'" in p for p in info.value.problems)


@pytest.mark.parametrize("name, old, new, expected", [
    ("sections.yaml", "        default_factor: kerosene_jet_a1_fr_l",
     "        default_factor: kerosene_jet_a1_fr_l\n        colour: blue",
     "field helicopter_fuel: unknown key(s) colour"),
    ("sections.yaml", "choice_sets: [trains]\n", "choice_sets: [planes]\n",
     "field train.choice_sets: unknown set 'planes'"),
    ("sections.yaml", "unit: tonne_km", "unit: tonnes_km",
     "field goods_by_van.unit: unknown unit 'tonnes_km'"),
    ("sections.yaml", "    phase: post-production\n    ghg_scope: \"3.1\"\n    beges: \"4.5\"\n    data_quality: measured\n    category: post_production",
     "    phase: postprod\n    ghg_scope: \"3.1\"\n    beges: \"4.5\"\n    data_quality: measured\n    category: post_production",
     "section post_production.phase: 'postprod' is not a phase"),
    ("types.yaml", "  short_film:\n", "  short_films:\n",
     "no template for short_film; unknown production type(s) short_films"),
    ("types.yaml", "[production_office, people_transport, logistics_catering",
     "[production_office, people_transport, catering",
     "type animation.sections: unknown section 'catering'"),
    ("types.yaml", "          office_electricity:\n", "          office_power:\n",
     "the section has no field 'office_power'"),
    ("types.yaml", "      hair_makeup_costume:\n        label_fr: Maquillage",
     "      sets:\n        label_fr: Maquillage",
     "type magazine_news.overrides: 'sets' is not one of the type's sections"),
    ("types.yaml", "types:\n", "types:\n  - oops\n", "invalid YAML"),
])
def test_malformed_templates_are_refused(broken, name, old, new, expected):
    folder = broken(name, old, new)
    with pytest.raises(InvalidTemplate) as info:
        load_templates(folder)
    assert expected in str(info.value)
    assert name in str(info.value)


def test_a_failed_load_leaves_the_shipped_templates_usable(broken):
    with pytest.raises(InvalidTemplate):
        load_templates(broken("types.yaml", "  short_film:\n", "  short_films:\n"))
    assert get_template("short_film").type == "short_film"


# ---------------------------------------------------------------------------
# Skeletons (« sélection des étapes »)

def test_skeleton_holds_one_blank_line_per_field_with_the_default_factor(edition):
    doc = skeleton("podcast")
    # podcast: 9 sections, fields counted by hand in sections.yaml
    # 9 + 4 + 7 + 14 + 10 + 10 + 3 + 3 + 7 (studio: hours, electricity, air-conditioning, hire;
    # catering 9 + hotel spend; equipment 4 + 6 kits)
    assert len(doc["activities"]) == 67
    assert doc["sections"] == ["production_office", "studio_recording", "guests",
                               "people_transport", "logistics_catering", "technical_equipment",
                               "editing_mixing", "hosting_distribution", "waste"]
    first = doc["activities"][0]
    assert first == {"id": "production_office.office_electricity", "section": "production_office",
                     "field": "office_electricity", "factor": "electricity_fr_2024",
                     "quantity": 0, "unit": "kWh", "phase": "preparation"}
    result = assess(from_dict(doc), edition)          # a valid, computable assessment
    assert result["total_kgco2e"] == 0


def test_a_section_switched_off_has_no_lines():
    doc = skeleton("feature_film", enabled_sections=[
        "production_office", "people_transport", "logistics_catering", "digital_data"])
    sections = {line["section"] for line in doc["activities"]}
    assert sections == {"production_office", "people_transport", "logistics_catering",
                        "digital_data"}
    assert not [line for line in doc["activities"] if line["section"] == "waste"]
    assert len(doc["activities"]) == 9 + 14 + 10 + 5


def test_skeleton_follows_the_template_order_and_refuses_unknown_sections():
    doc = skeleton("radio_show", enabled_sections=["waste", "guests"])
    assert doc["sections"] == ["guests", "waste"]
    assert doc["activities"][0]["section"] == "guests"
    assert skeleton("radio_show", enabled_sections=[])["activities"] == []
    with pytest.raises(UnknownTemplate, match="no section 'sets'"):
        skeleton("radio_show", enabled_sections=["sets"])
    with pytest.raises(UnknownTemplate):
        skeleton("podcats")


# ---------------------------------------------------------------------------
# Rendering and the command line

def test_render_in_french_and_english(edition):
    fr = render_template(get_template("podcast"), "fr", edition)
    en = render_template(get_template("podcast"), "en")
    assert fr.startswith("Podcast (podcast) : 9 sections, 67 champs")
    assert en.startswith("Podcast (podcast): 9 sections, 67 fields")
    assert "2. Enregistrement en studio" in fr and "2. Studio recording" in en
    assert "Défaut : electricity_fr_2024 (0.0519 kgCO2e/kWh)" in fr
    assert "Default: electricity_fr_2024" in en
    with pytest.raises(UnknownTemplate):
        render_template(get_template("podcast"), "de")


def test_cli_template_list(capsys):
    assert main(["template", "list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for kind in TYPES:
        assert kind in out
    assert "Radio show" in out
    assert main(["template", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["templates"]
    assert [r["type"] for r in rows] == list(TYPES)
    assert rows[-1]["label"] == "Publicité audio"


def test_cli_template_show_in_french_and_english(capsys):
    assert main(["template", "show", "radio_show"]) == 0
    fr = capsys.readouterr().out
    assert "Émission de radio (radio_show)" in fr and "Studio d'antenne" in fr
    assert main(["template", "show", "radio_show", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "Radio show (radio_show)" in en and "On-air studio" in en


def test_cli_template_show_json_and_yaml(capsys):
    assert main(["template", "show", "documentary", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "documentary" and doc["label_fr"] == "Documentaire"
    assert "sets" not in [s["id"] for s in doc["sections"]]
    assert main(["template", "show", "documentary", "--format", "yaml"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == doc


def test_cli_unknown_type_exits_2_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", "template", "show",
                           "podcats"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "'podcats'" in lines[0]
    assert "feature_film" in lines[0] and "audio_advertising" in lines[0]


def test_cli_unknown_language_exits_2(capsys):
    assert main(["template", "show", "podcast", "--lang", "de"]) == 2
    assert "invalid choice" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# Examples follow their templates

def test_every_production_type_has_an_example():
    kinds = [yaml.safe_load(p.read_text(encoding="utf-8"))["production"]["type"]
             for p in example_files()]
    assert sorted(kinds) == sorted(TYPES)


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_example_lines_answer_their_template(path):
    assessment = load_assessment(path)
    assert path.read_text(encoding="utf-8").startswith("# Illustrative")
    template = get_template(assessment.production["type"])
    for line in assessment.lines.to_dict(orient="records"):
        assert line["id"] and line["section"] and line["field"], line["where"]
        item = template.section(line["section"]).field(line["field"])
        assert line["factor"] in item.factors, (line["where"], line["factor"])


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_example_covers_several_sections(path):
    sections = set(load_assessment(path).lines["section"])
    assert len(sections) >= 5, path.stem


@pytest.mark.parametrize("production_type", ["podcast", "radio_show", "audio_advertising"])
def test_sound_questionnaires_take_studio_hours_with_the_studio_hour_factors(production_type, edition):
    item = get_template(production_type).section("studio_recording").field("studio_hours")
    assert (item.unit, item.category, item.default_factor) == ("hour", "studio_use", "studio_hour_medium_fr")
    offered = {item.default_factor, *item.choices}
    assert {f"studio_hour_{size}_{country}" for size in ("small", "medium", "large")
            for country in ("fr", "de", "gb", "eu27")} == offered
    for factor in offered:
        row = edition.factor(factor)
        assert (row["category"], row["activity_unit"]) == ("studio_use", "hour")


def test_field_tables_cache_is_never_trusted_blindly(tmp_path, monkeypatch):
    """The per-field tables are kept in the user's cache (start-up speed); a cache
    file that does not read is ignored and written again."""
    from carbonclap_methods import templates as t
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = t._folder(None).resolve()
    stamps = t._stamps(folder)
    t._field_tables.cache_clear()
    first = t._field_tables(str(folder), stamps)
    cached = list((tmp_path / "carbonclap-methods").glob("field-tables-*.json"))
    assert len(cached) == 1
    cached[0].write_text("{not json", encoding="utf-8")
    t._field_tables.cache_clear()
    assert t._field_tables(str(folder), stamps) == first
    assert first["category"][("people_transport", "train")] == "transport"
    t._field_tables.cache_clear()
