"""The published JSON Schema of the file format agrees with the loader."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "carbonclap_methods" / "schemas" / "assessment-1.schema.json").read_text())


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_follow_the_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), SCHEMA)


@pytest.mark.parametrize("change", [
    lambda d: d.pop("format"),
    lambda d: d.update(format="carbonclap-assessment/2"),
    lambda d: d["production"].update(type="podcats"),
    lambda d: d["production"].update(stage="draft"),
    lambda d: d["production"].update(budget_eur=-1),
    lambda d: d["activities"][0].update(quantity=-3),
    lambda d: d["activities"][0].update(quantity="ten"),
    lambda d: d["activities"][0].pop("unit"),
    lambda d: d["activities"][0].update(phase="shooting"),
])
def test_malformed_documents_fail_the_schema(minimal_text, change):
    data = yaml.safe_load(minimal_text)
    jsonschema.validate(data, SCHEMA)
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
