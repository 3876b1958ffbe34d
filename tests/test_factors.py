"""Factor editions: validation reports every problem with file, line and
column; hashes change with content; lookups fail clearly."""

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from carbonclap_methods.errors import EditionIntegrity, InvalidEdition, UnknownEdition, UnknownFactor
from carbonclap_methods.factors import descriptor_sha256, edition_sha256, load_edition, validate_edition


def rows_of(folder):
    with open(folder / "factors.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(folder, rows):
    with open(folder / "factors.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def line_of(rows, factor_id):
    """CSV line number of a factor (header is line 1; no field spans lines in our files)."""
    return 2 + [r["id"] for r in rows].index(factor_id)


def test_shipped_edition_is_valid(edition):
    assert validate_edition(edition.path) == []
    assert len(edition.table) >= 30
    assert edition.table.index.is_unique


def test_every_row_has_provenance(edition):
    table = edition.table
    for column in ("source", "url", "label_fr", "label_en", "geography"):
        assert (table[column].str.strip() != "").all(), column
    assert table["uncertainty_pct"].between(0, 200).all()
    ids_required = table["source"].str.contains("Base Carbone|DEFRA|DESNZ|Impact CO2")
    assert (table.loc[ids_required, "source_id"].str.strip() != "").all()


def test_known_values_match_their_source(edition):
    # figures typed from ADEME Base Carbone V23.6 and SDES, with their identifiers
    expected = {
        "train_tgv_fr": (0.00293, "43256"),
        "car_petrol_fr_vkm": (0.357, "43787"),
        "car_diesel_fr_vkm": (0.19, "43788"),
        "electricity_fr_2024": (0.0519, "43642"),
        "electricity_fr_2023": (0.058, "43273"),
        "meal_average_fr": (2.04, "20682"),
        "diesel_road_fr_l": (3.1, "25775"),
    }
    for factor_id, (value, source_id) in expected.items():
        row = edition.factor(factor_id)
        assert row["value"] == value and row["source_id"] == source_id, factor_id
    assert edition.factor("ref_france_footprint_per_capita_2023")["value_kgco2e"] == 9400


def test_unknown_factor_names_the_id_and_edition(edition):
    with pytest.raises(UnknownFactor, match="'train_tgv_xx'.*2025.1"):
        edition.factor("train_tgv_xx")


def test_unknown_edition_lists_the_available_ones():
    with pytest.raises(UnknownEdition, match="'1999.9'.*2025.1"):
        load_edition("1999.9")


def test_all_problems_are_reported_at_once(edition_copy):
    rows = rows_of(edition_copy)
    rows[0]["value"] = "-1"
    rows[1]["activity_unit"] = "kilometres_ish"
    rows[2]["source"] = ""
    rows[3]["id"] = rows[4]["id"]
    rows[5]["category"] = "catering_typo"
    rows[6]["uncertainty_pct"] = "900"
    rows[7]["unit"] = "kg"
    rows[8]["year"] = "2023.5"
    write_rows(edition_copy, rows)
    problems = validate_edition(edition_copy)
    text = "\n".join(problems)
    assert len(problems) >= 8
    for line, column in [(2, "value"), (3, "activity_unit"), (4, "source"), (6, "id"),
                         (7, "category"), (8, "uncertainty_pct"), (9, "unit"), (10, "year")]:
        assert f"line {line}, column {column}" in text, (line, column, text)
    assert "factors.csv" in text
    with pytest.raises(InvalidEdition) as info:
        load_edition(edition_copy)
    assert len(info.value.problems) == len(problems)


def test_a_label_equal_to_another_factor_s_id_is_refused(edition_copy):
    """A workbook cell holding an id is read as that id: no label may be another
    factor's id (its own id is allowed)."""
    rows = rows_of(edition_copy)
    rows[0]["label_en"] = rows[1]["id"]
    rows[2]["label_fr"] = " " + rows[3]["id"]
    rows[4]["label_fr"] = rows[4]["id"]
    write_rows(edition_copy, rows)
    text = "\n".join(validate_edition(edition_copy))
    assert (f"factors.csv, line 2, column label_en: the label {rows[1]['id']!r} is the id of "
            "another factor") in text
    assert f"line 4, column label_fr: the label {rows[3]['id']!r} is the id" in text
    assert "line 6, column label_fr" not in text
    with pytest.raises(InvalidEdition):
        load_edition(edition_copy)


def test_duplicate_activity_source_year_geography_is_refused(edition_copy):
    rows = rows_of(edition_copy)
    clone = dict(rows[0], id=rows[0]["id"] + "_bis")
    write_rows(edition_copy, rows + [clone])
    problems = validate_edition(edition_copy)
    assert any("duplicate activity+source+year+geography" in p for p in problems), problems


def test_missing_source_id_for_base_carbone(edition_copy):
    rows = rows_of(edition_copy)
    target = next(r for r in rows if "Base Carbone" in r["source"])
    target["source_id"] = ""
    write_rows(edition_copy, rows)
    problems = validate_edition(edition_copy)
    assert problems == [f"{edition_copy / 'factors.csv'}, line {line_of(rows, target['id'])}, "
                        "column source_id: required: 'ADEME Base Carbone V23.6' publishes an "
                        "identifier for each element"]


@pytest.mark.parametrize("content,words", [
    (b"", "empty"),
    (b"id,activity\n\xff\xfe broken", "not UTF-8"),
])
def test_unreadable_csv(edition_copy, content, words):
    (edition_copy / "factors.csv").write_bytes(content)
    assert any(words in p for p in validate_edition(edition_copy))


def test_missing_and_extra_columns(edition_copy):
    text = (edition_copy / "factors.csv").read_text(encoding="utf-8")
    (edition_copy / "factors.csv").write_text(text.replace("uncertainty_pct", "uncertainty"), encoding="utf-8")
    text = "\n".join(validate_edition(edition_copy))
    assert "missing column(s): uncertainty_pct" in text and "unexpected column(s): uncertainty" in text


def test_broken_datapackage(edition_copy):
    (edition_copy / "datapackage.json").write_text("{\n  \"resources\": [,]\n}", encoding="utf-8")
    problems = validate_edition(edition_copy)
    assert len(problems) == 1 and "line 2" in problems[0] and "invalid JSON" in problems[0]


def test_sha256_changes_with_any_byte(edition_copy):
    before = edition_sha256(edition_copy)
    assert before == edition_sha256(edition_copy)
    with open(edition_copy / "factors.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert edition_sha256(edition_copy) != before


def test_sha256_definition(tmp_path):
    # computed by hand from the documented rule: sha256 over "path\0sha256(file)\n" lines
    (tmp_path / "a.txt").write_bytes(b"x")
    (tmp_path / "b.txt").write_bytes(b"y")
    lines = "".join(f"{n}\0{hashlib.sha256(c).hexdigest()}\n" for n, c in (("a.txt", b"x"), ("b.txt", b"y")))
    assert edition_sha256(tmp_path) == hashlib.sha256(lines.encode()).hexdigest()


def test_recorded_hash_protects_a_released_edition(edition_copy):
    package = json.loads((edition_copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:     # a sealed edition hashes every table
        resource["hash"] = "sha256:" + hashlib.sha256(
            (edition_copy / resource["path"]).read_bytes()).hexdigest()
    package["carbonclap"]["descriptor_sha256"] = descriptor_sha256(package)   # and its metadata
    (edition_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert load_edition(edition_copy).name == "edition"
    rows = rows_of(edition_copy)
    rows[0]["value"] = str(float(rows[0]["value"]) * 2)
    write_rows(edition_copy, rows)
    with pytest.raises(EditionIntegrity, match="must not be edited"):
        load_edition(edition_copy)


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "emission-factors.csv"


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/reference is not beside the checkout")
def test_rows_copied_from_the_reference_keep_its_value(edition):
    """Every row whose notes cite a reference row has that row's value, digit for digit."""
    with open(REFERENCE, encoding="utf-8") as handle:
        reference = {row["id"]: row for row in csv.DictReader(handle)}
    cited = 0
    for factor_id, notes, value in zip(edition.table.index, edition.table["notes"], edition.table["value"]):
        match = re.search(r"Reference row emission-factors\.csv#([a-z0-9_]+)", notes)
        if not match or match.group(1) not in reference:
            continue
        cited += 1
        assert value == float(reference[match.group(1)]["value"]), factor_id
    assert cited >= 300


@pytest.mark.parametrize("name", ["2025.1", "2026.1"])
def test_released_editions_are_sealed(name):
    """A released edition records the sha256 of each of its tables, so an edit is refused."""
    folder = load_edition(name).path
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        digest = hashlib.sha256((folder / resource["path"]).read_bytes()).hexdigest()
        assert resource["hash"] == f"sha256:{digest}", resource["name"]
