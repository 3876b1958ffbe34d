"""What a factor update changes, on deliberately modified copies of an edition."""

import csv
import json
import shutil

import pytest

from carbonclap_methods.cli import main
from carbonclap_methods.diff import diff_assessments, diff_factors
from carbonclap_methods.factors import load_edition

TGV = 0.00293  # kgCO2e/passenger-km, Base Carbone 43256
ELECTRICITY_FR = 0.0519  # kgCO2e/kWh, Base Carbone 43642


@pytest.fixture
def two_editions(edition_copy, tmp_path):
    """The old edition, and a new one where TGV doubles, French electricity is
    expressed per MWh (same value), one factor is removed and one added."""
    new = tmp_path / "new"
    shutil.copytree(edition_copy, new)
    with open(new / "factors.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {r["id"]: r for r in rows}
    by_id["train_tgv_fr"]["value"] = str(TGV * 2)
    by_id["electricity_fr_2024"]["value"] = str(ELECTRICITY_FR * 1000)
    by_id["electricity_fr_2024"]["activity_unit"] = "MWh"
    removed = next(r["id"] for r in rows if r["id"] not in
                   ("train_tgv_fr", "electricity_fr_2024", "car_petrol_fr_vkm")
                   and r["category"] != "reference")
    rows = [r for r in rows if r["id"] != removed]
    rows.append(dict(by_id["train_tgv_fr"], id="train_tgv_fr_2026", activity="tgv_test_added",
                     value="0.0025"))
    with open(new / "factors.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return edition_copy, new, removed


def test_diff_lists_added_removed_changed(two_editions):
    old_dir, new_dir, removed = two_editions
    diff = diff_factors(load_edition(old_dir), load_edition(new_dir)).set_index("id")
    assert diff.loc["train_tgv_fr", "status"] == "changed"
    assert diff.loc["train_tgv_fr", "change_pct"] == pytest.approx(100.0)   # doubled: +100 %
    assert diff.loc["train_tgv_fr", "changed"] == "value"
    # same emissions per kWh, new unit: a unit change alone is not a value change
    assert diff.loc["electricity_fr_2024", "change_pct"] == pytest.approx(0.0, abs=1e-10)
    assert diff.loc["electricity_fr_2024", "changed"] == "value,activity_unit"
    assert diff.loc[removed, "status"] == "removed"
    assert diff.loc["train_tgv_fr_2026", "status"] == "added"
    assert diff.loc["train_tgv_fr_2026", "new_value"] == 0.0025
    assert len(diff) == 4


def test_assessments_move_by_hand(two_editions, tmp_path, minimal_text, write, capsys):
    old_dir, new_dir, removed = two_editions
    folder = tmp_path / "assessments"
    folder.mkdir()
    (folder / "podcast.yaml").write_text(minimal_text, encoding="utf-8")
    (folder / "uses_removed.yaml").write_text(
        minimal_text.replace("train_tgv_fr", removed).replace("passenger_km",
            load_edition(old_dir).factor(removed)["activity_unit"]), encoding="utf-8")
    moves = {m["assessment"]: m for m in diff_assessments(folder, load_edition(old_dir),
                                                           load_edition(new_dir))}
    podcast = moves["podcast.yaml"]
    assert podcast["old_total"] == pytest.approx(930 * TGV)        # 2.7249
    assert podcast["new_total"] == pytest.approx(930 * TGV * 2)    # 5.4498
    assert podcast["change_pct"] == pytest.approx(100.0)
    assert podcast["by_category"] == {"transport": [pytest.approx(2.7249), pytest.approx(5.4498)]}
    assert removed in moves["uses_removed.yaml"]["error"]

    out = tmp_path / "diff.json"
    # the diff is written, and the exit status says an assessment no longer computes
    assert main(["factors", "diff", str(old_dir), str(new_dir), "--assessments", str(folder),
                 "--format", "json", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1 assessment(s) do not compute" in err[0]
    assert "uses_removed.yaml" in err[0] and removed in err[0] and "podcast.yaml" not in err[0]
    doc = json.loads(out.read_text())
    assert {f["id"] for f in doc["factors"]} >= {"train_tgv_fr", removed, "train_tgv_fr_2026"}
    assert doc["assessments"][0]["new_total"] == pytest.approx(5.4498)


def test_identical_editions_have_no_difference(edition):
    assert diff_factors(edition, edition).empty


def test_diff_between_the_shipped_editions():
    """2026.1 revises one DEFRA flight row and adds the 2025 French electricity
    row (factors/2026.1/README.md); figures typed from the two sources."""
    diff = diff_factors(load_edition("2025.1"), load_edition("2026.1")).set_index("id")
    assert sorted(diff.index) == ["electricity_fr_2025_em", "flight_short_haul_no_rf_gb"]
    flight = diff.loc["flight_short_haul_no_rf_gb"]
    assert flight["status"] == "changed"
    assert (flight["old_value"], flight["new_value"]) == (0.10974, 0.07559)   # DEFRA 2024 -> 2025
    assert flight["change_pct"] == pytest.approx(100 * (0.07559 / 0.10974 - 1))  # -31.12 %
    assert diff.loc["electricity_fr_2025_em", "status"] == "added"
    assert diff.loc["electricity_fr_2025_em", "new_value"] == 0.031


def test_assessment_moves_between_the_shipped_editions(tmp_path, minimal_text):
    text = minimal_text.replace("train_tgv_fr", "flight_short_haul_no_rf_gb")
    (tmp_path / "flight.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "train.yaml").write_text(minimal_text, encoding="utf-8")
    moves = {m["assessment"]: m for m in diff_assessments(tmp_path, load_edition("2025.1"),
                                                           load_edition("2026.1"))}
    assert moves["flight.yaml"]["old_total"] == pytest.approx(930 * 0.10974)
    assert moves["flight.yaml"]["new_total"] == pytest.approx(930 * 0.07559)
    assert moves["train.yaml"]["change_pct"] == 0
    assert moves["train.yaml"]["by_category"] == {}
