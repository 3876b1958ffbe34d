"""Assessment files: the minimal shape loads; every user mistake gets its own
error naming the file, the line and the field."""

import json
from pathlib import Path

import pytest

from carbonclap_methods.assessment import from_dict, load_assessment, to_dict
from carbonclap_methods.errors import InvalidAssessment, InvalidQuantity


def test_minimal_shape_loads(write, minimal_text):
    a = load_assessment(write("a.yaml", minimal_text))
    assert a.production["type"] == "podcast" and a.production["content_minutes"] == 45
    assert a.lines[["factor", "quantity", "unit", "phase"]].values.tolist() == [
        ["train_tgv_fr", 930.0, "passenger_km", "production"]]
    where = a.lines["where"].iat[0]          # the line's place, as data
    assert (Path(where.file).name, where.line, where.field) == ("a.yaml", 12, "activities[0]")
    assert str(where).endswith("a.yaml, line 12, activities[0]")


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


# Each malformed-file case of the corpus tests/malformed/ is checked in test_malformed.py.


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


def test_a_note_is_kept_as_typed(write):
    """Codes lose their surrounding spaces; a note keeps them (a lossless round trip)."""
    from carbonclap_methods.assessment import load_assessment, to_dict
    path = write("n.yaml", "format: carbonclap-assessment/1\nproduction: {type: podcast}\n"
                           "activities:\n- {factor: ' train_tgv_fr ', quantity: 1, unit: passenger_km,"
                           " phase: production, note: '  lead and trail  '}\n")
    assessment = load_assessment(path)
    assert assessment.lines["factor"].iat[0] == "train_tgv_fr"
    assert assessment.lines["note"].iat[0] == "  lead and trail  "
    assert to_dict(assessment)["activities"][0]["note"] == "  lead and trail  "
