"""Assessment files: the minimal shape loads; every user mistake gets its own
error naming the file, the line and the field."""

import json

import pytest

from carbonclap_methods.assessment import from_dict, load_assessment, to_dict
from carbonclap_methods.errors import InvalidAssessment, InvalidQuantity


def test_minimal_shape_loads(write, minimal_text):
    a = load_assessment(write("a.yaml", minimal_text))
    assert a.production["type"] == "podcast" and a.production["content_minutes"] == 45
    assert a.lines[["factor", "quantity", "unit", "phase"]].values.tolist() == [
        ["train_tgv_fr", 930.0, "passenger_km", "production"]]
    assert a.lines["where"].iat[0].endswith("a.yaml, line 12, activities[0]")


def test_json_and_yaml_agree(write, minimal_text):
    import yaml
    data = yaml.safe_load(minimal_text)
    from_yaml = load_assessment(write("a.yaml", minimal_text))
    from_json = load_assessment(write("a.json", json.dumps(data)))
    assert to_dict(from_yaml) == to_dict(from_json) == data


def test_bom_is_accepted(write, minimal_text):
    assert load_assessment(write("a.yaml", "\ufeff" + minimal_text)).production["type"] == "podcast"


def test_numbers_typed_as_text_are_read(write, minimal_text):
    a = load_assessment(write("a.yaml", minimal_text.replace("quantity: 930", "quantity: 9.3e2")))
    assert a.lines["quantity"].iat[0] == 930


def test_stage_defaults_to_forecast(write, minimal_text):
    a = load_assessment(write("a.yaml", minimal_text.replace("  stage: forecast\n", "")))
    assert a.production["stage"] == "forecast"


BAD = [
    # (name, replace (old, new) in the minimal text or whole content, error, expected words)
    ("empty", None, "", InvalidAssessment, ["is empty"]),
    ("blank", None, "\n   \n", InvalidAssessment, ["is empty"]),
    ("invalid_yaml", ("    phase: production", "    phase: [production"), None,
     InvalidAssessment, ["invalid YAML", "line"]),
    ("not_mapping", None, "- just\n- a list\n", InvalidAssessment, ["must hold a mapping"]),
    ("no_format", ("format: carbonclap-assessment/1\n", ""), None, InvalidAssessment,
     ["missing 'format'"]),
    ("future_format", ("carbonclap-assessment/1", "carbonclap-assessment/9"), None,
     InvalidAssessment, ["line 1", "unsupported format 'carbonclap-assessment/9'"]),
    ("no_production", None, "format: carbonclap-assessment/1\nactivities: []\n",
     InvalidAssessment, ["missing 'production'"]),
    ("no_type", ("  type: podcast\n", ""), None, InvalidAssessment,
     ["line 3, production.type: missing"]),
    ("bad_type", ("type: podcast", "type: podcats"), None, InvalidAssessment,
     ["production.type", "'podcats'", "podcast"]),
    ("bad_stage", ("stage: forecast", "stage: draft"), None, InvalidAssessment,
     ["production.stage", "'draft'", "forecast, final"]),
    ("negative_budget", ("budget_eur: 12000", "budget_eur: -5"), None, InvalidQuantity,
     ["production.budget_eur", "negative"]),
    ("bad_country", ("country: FR", "country: France"), None, InvalidAssessment,
     ["production.country", "'France'"]),
    ("no_activities", ("activities:\n", "other:\n"), None, InvalidAssessment,
     ["missing 'activities'"]),
    ("activities_not_list", None,
     "format: carbonclap-assessment/1\nproduction: {type: podcast}\nactivities: {a: 1}\n",
     InvalidAssessment, ["activities: must be a list"]),
    ("line_not_mapping", None,
     "format: carbonclap-assessment/1\nproduction: {type: podcast}\nactivities: [train]\n",
     InvalidAssessment, ["activities[0]: must be a mapping"]),
    ("missing_factor", ("  - factor: train_tgv_fr\n    quantity", "  - quantity"), None,
     InvalidAssessment, ["line 12, activities[0].factor: missing"]),
    ("missing_unit", ("    unit: passenger_km\n", ""), None, InvalidAssessment,
     ["activities[0].unit: missing"]),
    ("negative_quantity", ("quantity: 930", "quantity: -930"), None, InvalidQuantity,
     ["line 12, activities[0].quantity", "-930", "negative"]),
    ("nan_quantity", ("quantity: 930", "quantity: .nan"), None, InvalidQuantity,
     ["activities[0].quantity", "not a finite number"]),
    ("inf_quantity", ("quantity: 930", "quantity: .inf"), None, InvalidQuantity,
     ["activities[0].quantity", "not a finite number"]),
    ("text_quantity", ("quantity: 930", "quantity: nine hundred"), None, InvalidQuantity,
     ["activities[0].quantity", "'nine hundred' is not a number"]),
    ("decimal_comma", ("quantity: 930", "quantity: 930,5"), None, InvalidQuantity,
     ["decimal comma", "930.5"]),
    ("bool_quantity", ("quantity: 930", "quantity: yes"), None, InvalidQuantity,
     ["True is not a number"]),
    ("bad_phase", ("phase: production", "phase: shooting"), None, InvalidAssessment,
     ["activities[0].phase", "'shooting'", "preparation, production, post-production"]),
    ("numeric_factor", ("factor: train_tgv_fr", "factor: 12"), None, InvalidAssessment,
     ["activities[0].factor", "must be a non-empty text"]),
]


@pytest.mark.parametrize("name,replace,content,error,words", BAD, ids=[b[0] for b in BAD])
def test_malformed_assessments(write, minimal_text, name, replace, content, error, words):
    if content is None:
        old, new = replace
        assert old in minimal_text
        content = minimal_text.replace(old, new)
    path = write(f"{name}.yaml", content)
    with pytest.raises(error) as info:
        load_assessment(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    for word in words:
        assert word in message, (word, message)


def test_undecodable_bytes(write, minimal_text):
    path = write("latin1.yaml", minimal_text.replace("Podcast", "Émission").encode("latin-1"))
    with pytest.raises(InvalidAssessment, match=r"line 3: byte 0xc9 is not UTF-8"):
        load_assessment(path)


def test_missing_file(tmp_path):
    with pytest.raises(InvalidAssessment, match="no such file"):
        load_assessment(tmp_path / "nope.yaml")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(InvalidAssessment, match="is a folder"):
        load_assessment(tmp_path)


def test_unsupported_extension(write, minimal_text):
    with pytest.raises(InvalidAssessment, match="unsupported file type '.txt'"):
        load_assessment(write("a.txt", minimal_text))


def test_invalid_json_names_the_line(write):
    with pytest.raises(InvalidAssessment, match=r"a.json, line 3: invalid JSON"):
        load_assessment(write("a.json", '{\n "format": "carbonclap-assessment/1",\n oops\n}'))


def test_json_nan_quantity(write):
    text = ('{"format": "carbonclap-assessment/1", "production": {"type": "podcast"},'
            ' "activities": [{"factor": "train_tgv_fr", "quantity": NaN, "unit": "pkm",'
            ' "phase": "production"}]}')
    with pytest.raises(InvalidQuantity, match=r"activities\[0\].quantity: nan is not a finite"):
        load_assessment(write("a.json", text))


def test_extra_keys_are_kept():
    data = {"format": "carbonclap-assessment/1", "production": {"type": "podcast", "stage": "final", "producer": "X"},
            "activities": [{"factor": "train_tgv_fr", "quantity": 1, "unit": "pkm",
                            "phase": "production", "section": "transport"}],
            "comments": "kept"}
    a = from_dict(data)
    assert a.production["producer"] == "X" and a.extra == {"comments": "kept"}
    assert to_dict(a) == data


def test_duplicate_line_ids(write, minimal_text):
    text = minimal_text.replace("  - factor: train_tgv_fr", "  - id: travel-1\n    factor: train_tgv_fr")
    text += "  - id: travel-1\n    factor: train_tgv_fr\n    quantity: 1\n    unit: pkm\n    phase: production\n"
    with pytest.raises(InvalidAssessment, match=r"line 18, activities\[1\].id: duplicate line id "
                       r"'travel-1' \(first used at .*line 12, activities\[0\]\)"):
        load_assessment(write("dup.yaml", text))


def test_section_field_and_id_round_trip():
    data = {"format": "carbonclap-assessment/1", "production": {"type": "podcast", "stage": "final"},
            "activities": [{"id": "t1", "section": "people_transport", "field": "train",
                            "factor": "train_tgv_fr", "quantity": 10.0, "unit": "pkm",
                            "phase": "production", "supplier": "SNCF"}]}
    a = from_dict(data)
    assert a.lines[["id", "section", "field"]].values.tolist() == [["t1", "people_transport", "train"]]
    assert to_dict(a) == data
