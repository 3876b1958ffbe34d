"""The Excel workbook: layout a production manager can fill, lossless round
trips, and every mistake in a workbook named by file, sheet and cell."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from carbonclap_methods.assessment import load_assessment, to_dict
from carbonclap_methods.cli import main
from carbonclap_methods.errors import (InvalidAssessment, InvalidQuantity, UnitMismatch, UnknownFactor,
                                       UnknownUnit)
from carbonclap_methods.results import assess
from carbonclap_methods.templates import get_template
from carbonclap_methods.workbook import workbook_bytes, write_workbook
from conftest import assert_user_error

def _csv_labels(column, edition="2026.3"):
    """Factor id -> label, read straight from the edition's factors.csv."""
    import csv
    path = Path(__file__).resolve().parent.parent / "factors" / edition / "factors.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["id"]: row[column] for row in csv.DictReader(handle)}


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
TGV = 0.00293


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_yaml_to_xlsx_to_yaml_loses_nothing(path, tmp_path):
    original = to_dict(load_assessment(path))
    target = tmp_path / f"{path.stem}.xlsx"
    write_workbook(original, target)
    assert to_dict(load_assessment(target)) == original
    # and back to YAML text and in again
    again = tmp_path / "again.yaml"
    assert main(["export", str(target), "--format", "yaml", "-o", str(again)]) == 0
    assert to_dict(load_assessment(again)) == original


def test_extra_keys_survive(tmp_path):
    data = {"format": "carbonclap-assessment/1",
            "production": {"type": "podcast", "stage": "final", "producer": {"name": "X", "siret": 123}},
            "activities": [{"id": "a", "section": "nowhere", "factor": "train_tgv_fr", "quantity": 12.5,
                            "unit": "pkm", "phase": "production", "supplier": "SNCF", "tags": [1, 2]}],
            "sections": ["guests"], "comments": "kept"}
    target = tmp_path / "x.xlsx"
    write_workbook(data, target)
    assert to_dict(load_assessment(target)) == data


def test_layout_follows_the_template(tmp_path):
    target = tmp_path / "blank.xlsx"
    assert main(["export", "--blank", "documentary", "--format", "xlsx", "-o", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    template = get_template("documentary")
    assert book.sheetnames[0] == "production"
    # sheets titled by the sections' French labels (the workbook's language), ids kept in meta
    assert book.sheetnames[1:1 + len(template.sections)] == [s.label_fr[:31] for s in template.sections]
    assert book.sheetnames[1] == "Bureau de production"
    assert book["lists"].sheet_state == "hidden"
    # one row per field, its default factor written, no quantity yet
    section = template.sections[0]
    sheet = book[section.label_fr[:31]]
    assert [c.value for c in sheet[1]][:6] == ["Identifiant [id]", "Champ [field]", "Libellé [label]",
                                              "Facteur [factor]", "Quantité [quantity]",
                                              "Unité [unit]"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [f.id for f in section.fields]
    # factors shown by their French label, as factors.csv of the default edition gives it
    labels = _csv_labels("label_fr")
    assert [r[3] for r in rows] == [labels[f.default_factor] for f in section.fields]
    assert all(r[4] is None for r in rows)
    # the factor cell of the first field offers the default and the alternatives, by label
    rule = next(v for v in sheet.data_validations.dataValidation if "D2" in str(v.sqref))
    column = rule.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    offered = [c.value for c in book["lists"][column] if c.value]
    assert offered == [labels[f] for f in section.fields[0].factors]
    # a blank questionnaire computes to nothing
    result = assess(load_assessment(target), __import__("carbonclap_methods.factors").factors.load_edition())
    assert result["total_kgco2e"] == 0 and result["lines"] == []


def test_filling_the_workbook_computes(tmp_path, edition):
    target = tmp_path / "filled.xlsx"
    data = yaml.safe_load((Path(__file__).parent / "conftest.py").read_text().split('MINIMAL = """\\\n')[1].split('"""')[0])
    write_workbook(data, target)
    book = openpyxl.load_workbook(target)
    book["production"]["B2"] = "Podcast rempli dans Excel"
    book.save(target)
    result = assess(load_assessment(target), edition)
    assert result["title"] == "Podcast rempli dans Excel"
    assert result["total_kgco2e"] == pytest.approx(930 * TGV)


# --- malformed workbooks ---------------------------------------------------

def _minimal():
    return {"format": "carbonclap-assessment/1",
            "production": {"title": "T", "type": "podcast", "stage": "forecast", "budget_eur": 1000.0},
            "activities": [{"id": "travel", "section": "guests", "field": "guest_train",
                            "factor": "train_tgv_fr", "quantity": 930.0, "unit": "passenger_km",
                            "phase": "production"}]}


def _book(tmp_path, change=None, data=None):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(data or _minimal())))
    if change:
        change(book)
    path = tmp_path / "broken.xlsx"
    book.save(path)
    return path


def _sheet_with_line(book):
    """The first sheet holding a filled line (its quantity in column E)."""
    for sheet in book.worksheets:
        if sheet.title not in ("production", "lists", "meta"):
            for row in sheet.iter_rows(min_row=2):
                if isinstance(row[4].value, (int, float)) and row[4].value:
                    return sheet, row[0].row
    raise AssertionError("no filled line")


def _set(column, value):
    def change(book):
        sheet, row = _sheet_with_line(book)
        sheet[f"{column}{row}"] = value
    return change


def _production(key, value):
    def change(book):
        sheet = book["production"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
    return change


def _remove_production(book):
    del book["production"]


def _merge(book):
    sheet, row = _sheet_with_line(book)
    sheet.merge_cells(f"A{row}:C{row}")


def _duplicate_id(book):
    sheet, row = _sheet_with_line(book)
    sheet.append([c.value for c in sheet[row]])


def _drop_column(book):
    sheet, _ = _sheet_with_line(book)
    sheet["F1"] = "units"


def _second_production_row(book):
    book["production"].append(["type", "documentary"])


def _second_quantity_column(book):
    sheet, _ = _sheet_with_line(book)
    sheet.cell(row=1, column=sheet.max_column + 1, value="quantity")


def _hide_quantity_column(book):
    sheet, _ = _sheet_with_line(book)
    sheet.column_dimensions["E"].hidden = True


BAD_WORKBOOKS = [
    ("production_key_twice", _second_production_row, InvalidAssessment,
     ["sheet production, row", "'type' is given twice"]),
    ("quantity_column_twice", _second_quantity_column, InvalidAssessment,
     ["row 1: column quantity is given twice"]),
    ("hidden_quantity_column", _hide_quantity_column, InvalidAssessment,
     ["column E (quantity): the column is hidden"]),
    ("missing_production_sheet", _remove_production, InvalidAssessment, ["missing sheet 'production'"]),
    ("merged_cells", _merge, InvalidAssessment, ["merged cells", "are not allowed"]),
    ("text_in_quantity", _set("E", "beaucoup"), InvalidAssessment, ["cell E", "(quantity): 'beaucoup' is not a number"]),
    ("text_in_budget", _production("budget_eur", "douze mille"), InvalidAssessment,
     ["sheet production, cell B7 (budget_eur): 'douze mille' is not a number"]),
    ("negative_budget", _production("budget_eur", -5), InvalidQuantity, ["sheet production", "budget_eur", "negative"]),
    ("negative_quantity", _set("E", -3), InvalidQuantity, ["quantity", "negative"]),
    ("unknown_factor_in_dropdown", _set("D", "train_tgv_xx"), UnknownFactor, ["unknown factor id 'train_tgv_xx'", ", row "]),
    ("unit_mismatch", _set("F", "km"), UnitMismatch, ["'km'", "'passenger_km'", ", row "]),
    ("wrong_stage", _production("stage", "définitive"), InvalidAssessment,
     ["broken.xlsx, sheet production, row 4, column B (stage): 'définitive' is not an assessment "
      "stage; choose one of: Prévisionnel (forecast), Définitif (final)"]),
    ("wrong_type", _production("type", "podcasts"), InvalidAssessment,
     ["broken.xlsx, sheet production, row 3, column B (type): 'podcasts' is not a production "
      "type; choose one of: Long métrage cinéma (feature_film), ", "Podcast (podcast)"]),
    ("stage_as_a_number", _production("stage", 2), InvalidAssessment,
     ["row 4, column B (stage): 2 is not an assessment stage"]),
    ("duplicated_line_ids", _duplicate_id, InvalidAssessment, ["duplicate line id 'travel'"]),
    ("bad_phase", _set("G", "tournage"), InvalidAssessment, ["phase", "'tournage'"]),
    ("missing_column", _drop_column, InvalidAssessment, ["row 1: missing column(s) unit"]),
]


@pytest.mark.parametrize("name,change,error,words", BAD_WORKBOOKS, ids=[b[0] for b in BAD_WORKBOOKS])
def test_malformed_workbooks(tmp_path, edition, capsys, name, change, error, words):
    path = _book(tmp_path, change)
    assert_user_error(path, error, words, edition)
    assert main(["compute", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_wrong_stage_in_an_english_book_lists_the_english_labels(tmp_path):
    path = tmp_path / "en.xlsx"
    write_workbook(_minimal(), path, lang="en")
    book = openpyxl.load_workbook(path)
    book["production"]["B4"] = "finale"
    book.save(path)
    with pytest.raises(InvalidAssessment, match=re.escape(
            "en.xlsx, sheet production, row 4, column B (stage): 'finale' is not an assessment "
            "stage; choose one of: Forecast (forecast), Final (final)")):
        load_assessment(path)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_not_a_workbook(tmp_path, content):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(InvalidAssessment, match="not an Excel workbook"):
        load_assessment(path)


def test_export_xlsx_needs_an_output(capsys):
    assert main(["export", str(EXAMPLES[0]), "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_export_csv_lists_the_lines(tmp_path, capsys):
    assert main(["export", str(EXAMPLES[0]), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "id,section,field,factor,quantity,unit,phase,note"
    assert len(out) == 1 + len(load_assessment(EXAMPLES[0]).lines)


def test_result_sheet_is_written_for_people_and_ignored_when_reading(tmp_path):
    original = to_dict(load_assessment(EXAMPLES[0]))
    rows = [("h", ["Résultats"]), ("td", ["Total", 12.5, "kgCO2e"]),
            ("th", ["Ligne", "kgCO2e"]), ("td", ["=HYPERLINK(\"x\")", 1.0])]
    target = tmp_path / "with-results.xlsx"
    target.write_bytes(workbook_bytes(original, "fr", result_rows=rows))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["production", "résultats"]
    sheet = book["résultats"]
    assert sheet["A4"].value == '=HYPERLINK("x")' and sheet["A4"].data_type == "s"
    assert sheet["B2"].value == 12.5
    assert to_dict(load_assessment(target)) == original


# --- data quality per line (issue 13) --------------------------------------

def _with_quality():
    data = _minimal()
    data["activities"][0]["data_quality"] = "measured"
    data["activities"].append({"id": "stray", "section": "nowhere", "factor": "train_tgv_fr",
                               "quantity": 10.0, "unit": "passenger_km", "phase": "production",
                               "data_quality": "proxy"})
    return data


def test_data_quality_round_trip_and_drop_down(tmp_path):
    data = _with_quality()
    target = tmp_path / "q.xlsx"
    write_workbook(data, target, lang="en")
    book = openpyxl.load_workbook(target)
    sheet, row = _sheet_with_line(book)
    header = [c.value for c in sheet[1]]
    column = openpyxl.utils.get_column_letter(header.index("Data quality [data_quality]") + 1)
    # written as the level's label in the workbook's language
    assert sheet[f"{column}{row}"].value == "Measured or invoiced"
    rule = next(v for v in sheet.data_validations.dataValidation
                if f"{column}{row}" in str(v.sqref))
    letter = rule.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    offered = [c.value for c in book["lists"][letter] if c.value]
    assert offered == ["Measured or invoiced", "Computed from plans", "Estimated",
                       "Spend-based or proxy"]
    assert "empty: the field's default level" in rule.prompt
    assert to_dict(load_assessment(target)) == data
    # a French workbook shows the French labels and reads back the same levels
    write_workbook(data, target, lang="fr")
    book = openpyxl.load_workbook(target)
    sheet, row = _sheet_with_line(book)
    assert sheet[f"{column}{row}"].value == "Mesuré ou facturé"
    assert book["other"]["J2"].value == "Ratio monétaire ou proxy"      # section column first
    assert to_dict(load_assessment(target)) == data


@pytest.mark.parametrize("typed,level", [("Estimé", "estimated"), ("estimated", "estimated"),
                                         ("  spend-based or proxy ", "proxy"), ("", None)])
def test_data_quality_typed_in_either_language(tmp_path, typed, level):
    path = _book(tmp_path, _set("I", typed))
    line = to_dict(load_assessment(path))["activities"][0]
    assert line.get("data_quality") == level


def test_data_quality_changes_the_interval_not_the_total(tmp_path, edition):
    """A line set to "proxy" (±50 %) computes the same total as "measured" (±5 %)."""
    data = _minimal()
    data["production"]["stage"] = "final"
    for level in ("measured", "proxy"):
        data["activities"][0]["data_quality"] = level
        path = tmp_path / f"{level}.xlsx"
        write_workbook(data, path)
        result = assess(load_assessment(path), edition)
        assert result["total_kgco2e"] == pytest.approx(930 * TGV)
        assert result["lines"][0]["data_quality"] == level


def test_unknown_data_quality_names_sheet_row_and_column(tmp_path, edition, capsys):
    path = _book(tmp_path, _set("I", "à peu près"))
    with pytest.raises(InvalidAssessment) as error:
        load_assessment(path)
    message = str(error.value)
    assert "sheet Invités, row 2, column I (data_quality): 'à peu près' is not a data-quality" \
        in message
    where = error.value.location                     # the place as data
    assert (where.file, where.sheet, where.row, where.field) == (
        path, "Invités", 2, "column I (data_quality)")
    assert "Mesuré ou facturé / Measured or invoiced" in message
    assert main(["compute", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_workbook_without_data_quality_column_still_loads(tmp_path):
    """A workbook written before the column existed (no data_quality header)."""
    def drop(book):
        for name in book.sheetnames:
            sheet = book[name]
            if name not in ("production", "lists", "meta") and sheet["I1"].value == "data_quality":
                sheet.delete_cols(9)
        book["other"].delete_cols(10) if book["other"]["J1"].value == "data_quality" else None
    path = _book(tmp_path, drop)
    assert to_dict(load_assessment(path)) == _minimal()


# --- the result sheet: scopes, BEGES, GWP, biogenic, electricity ------------

# Factors typed by hand from factors/2026.2/factors.csv: gazole non routier
# (Base Carbone 14015) 3.16 kgCO2e/L, of which upstream 0.589 of 2.57 + 0.589,
# biogenic CO2 0.0925216 kg/L; grid electricity FR 0.0519 kgCO2e/kWh, of which
# upstream + losses 0.0131 + 0.0038 of 0.035 + 0.0131 + 0.0038; TGV 0.00293.
GNR_UP = 0.589 / (2.57 + 0.589)
GRID_UP = (0.0131 + 0.0038) / (0.035 + 0.0131 + 0.0038)


def _result_sheet(lang):
    from carbonclap_methods.assessment import from_dict
    from carbonclap_methods.factors import load_edition
    edition = load_edition("2026.2")            # the edition the figures above come from
    from carbonclap_methods.widgets.report import workbook_result_rows
    data = {"format": "carbonclap-assessment/1",
            "production": {"title": "t", "type": "feature_film", "stage": "final",
                           "electricity_contract": {"supplier": "Vert", "kgco2e_per_kwh": 0.01,
                                                    "guarantees_of_origin": True}},
            "activities": [
                {"section": "energy_generators", "field": "generator_fuel", "phase": "production",
                 "factor": "diesel_nonroad_generator_fr_l", "quantity": 100, "unit": "L"},
                {"section": "energy_generators", "field": "grid_electricity", "phase": "production",
                 "factor": "electricity_fr_2024", "quantity": 1000, "unit": "kWh",
                 "data_quality": "measured"},
                {"section": "people_transport", "field": "train", "phase": "production",
                 "factor": "train_tgv_fr", "quantity": 1000, "unit": "passenger_km"}]}
    result = assess(from_dict(data), edition)
    rows = workbook_result_rows(result, lang, lambda line: line.get("field", ""), edition)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(data, lang, result_rows=rows)))
    sheet = book["résultats" if lang == "fr" else "results"]
    return {str(r[0]).strip(): r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}


def test_result_sheet_by_scope_and_beges_by_hand():
    cells = _result_sheet("fr")
    total = 316 + 51.9 + 2.93
    upstream = 316 * GNR_UP + 51.9 * GRID_UP
    assert cells["Total"][0] == pytest.approx(total)
    assert cells["Scope 1 : émissions directes"][0] == pytest.approx(316 * (1 - GNR_UP), rel=1e-5)
    assert cells["Scope 2 : énergie achetée"][0] == pytest.approx(51.9 * (1 - GRID_UP), rel=1e-5)
    assert cells["Scope 3 : autres émissions indirectes"][0] == pytest.approx(2.93 + upstream,
                                                                              rel=1e-5)
    assert cells["3.3 Énergie (amont, hors scopes 1 et 2)"][0] == pytest.approx(upstream, rel=1e-5)
    assert cells["3.6 Déplacements professionnels"][0] == pytest.approx(2.93)
    # BEGES v5: combustion in 1.1 and 2.1, the upstream of energy in 4.1
    assert cells["1.1 Sources fixes de combustion"][0] == pytest.approx(316 * (1 - GNR_UP), rel=1e-5)
    assert cells["2.1 Consommation d'électricité"][0] == pytest.approx(51.9 * (1 - GRID_UP), rel=1e-5)
    assert cells["4.1 Achats de biens"][0] == pytest.approx(upstream, rel=1e-5)
    assert cells["4 Émissions indirectes associées aux produits achetés"][0] == \
        pytest.approx(upstream, rel=1e-5)
    assert cells["3.5 Déplacements professionnels"][0] == pytest.approx(2.93)
    # biogenic CO2 beside the total, not in it: 100 L x 0.0925216 kg/L
    assert cells["CO2 biogénique (hors total)"][:2] == (pytest.approx(9.25216), "kgCO2")
    # every factor here is AR5 (DEFRA and Base Carbone, AR5 GWPs)
    assert cells["AR5"][0] == pytest.approx(total)
    assert "AR5" in cells["Jeux de PRG (GWP) des facteurs"][0]
    # market-based: 1000 kWh x 0.01 under the contract, beside the location-based 51.9
    assert cells["Électricité, méthode fondée sur la localisation"][0] == pytest.approx(51.9)
    assert cells["Électricité, méthode fondée sur le marché (contrat)"][0] == pytest.approx(10)
    assert cells["Total avec l'électricité fondée sur le marché"][0] == \
        pytest.approx(total - 51.9 + 10)


def test_result_sheet_in_english_labels_each_line_s_data_quality():
    cells = _result_sheet("en")
    assert cells["Scope 3: other indirect emissions"][0] == pytest.approx(
        2.93 + 316 * GNR_UP + 51.9 * GRID_UP, rel=1e-5)
    assert cells["4.1 Purchased goods"][0] == pytest.approx(316 * GNR_UP + 51.9 * GRID_UP, rel=1e-5)
    assert cells["Biogenic CO2 (outside the total)"][0] == pytest.approx(9.25216)
    # lines: label, then factor, quantity, unit, phase, kgCO2e, data quality, id
    assert cells["grid_electricity"][5] == "Measured or invoiced"
    assert cells["train"][5] == "Computed from plans"          # the field's default


def test_contrails_switch_in_the_production_sheet(tmp_path, edition):
    """The switch has its row and drop-down; a file without it reads back without it."""
    from carbonclap_methods.factors import load_edition
    target = tmp_path / "c.xlsx"
    write_workbook(_minimal(), target)
    book = openpyxl.load_workbook(target)
    rows = {r[0].value: r[1] for r in book["production"].iter_rows(min_row=2)}
    assert rows["contrails"].value is None
    assert "contrails" not in to_dict(load_assessment(target))["production"]
    rows["contrails"].value = "exclude"
    rule = next(v for v in book["production"].data_validations.dataValidation
                if rows["contrails"].coordinate in str(v.sqref))
    sheet_name, cells = rule.formula1.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    assert [c.value for (c,) in book[sheet_name][first:last]] == ["include", "exclude"]
    book.save(target)
    data = _minimal()
    data["activities"] = [{"id": "f", "section": "guests", "field": "guest_flights",
                           "factor": "flight_500_1000_contrails_fr", "quantity": 1000.0,
                           "unit": "passenger_km", "phase": "production"}]
    write_workbook(data, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    for row in book["production"].iter_rows(min_row=2):
        if row[0].value == "contrails":
            row[1].value = "exclude"
    book.save(tmp_path / "f.xlsx")
    result = assess(load_assessment(tmp_path / "f.xlsx"), load_edition("2026.2"))
    # 1000 passenger-km x 0.124 (Base Carbone 43744, without contrails); with: x 0.225 (43743)
    assert result["total_kgco2e"] == pytest.approx(124)
    assert result["contrails"]["total_with_contrails_kgco2e"] == pytest.approx(225)


def test_a_workbook_with_ids_for_sheets_and_headers_still_reads(tmp_path):
    """Workbooks written before the labels (sheet titled by section id, headers
    as bare ids, no sheet table in meta) read back the same."""
    data = _minimal()
    path = tmp_path / "old.xlsx"
    write_workbook(data, path)
    book = openpyxl.load_workbook(path)
    sheet, _ = _sheet_with_line(book)
    assert sheet.title == "Invités" and sheet["D1"].value == "Facteur [factor]"
    sheet.title = "guests"
    for cell in sheet[1]:
        cell.value = cell.value.rsplit("[", 1)[1].rstrip("]")
    meta = book["meta"]
    for row in list(meta.iter_rows(min_row=2)):
        if row[0].value == "sheets":
            meta.delete_rows(row[0].row)
    book.save(path)
    assert to_dict(load_assessment(path))["activities"] == to_dict(
        load_assessment(_book(tmp_path, None)))["activities"]


def test_a_bad_line_of_a_workbook_carries_its_sheet_and_row(tmp_path):
    """A mistake found once the lines are read (here a negative quantity) is placed,
    as data, at the sheet and row of the workbook, with the line's field."""
    place = {}

    def negative(book):
        sheet, row = _sheet_with_line(book)
        column = next(c.column_letter for c in sheet[1]
                      if str(c.value or "").endswith("[quantity]") or c.value == "quantity")
        sheet[f"{column}{row}"] = -3
        place.update(sheet=sheet.title, row=row)

    path = _book(tmp_path, negative)
    with pytest.raises(InvalidQuantity) as error:
        load_assessment(path)
    where = error.value.location
    assert (where.file, where.sheet, where.row) == (str(path), place["sheet"], place["row"])
    assert re.fullmatch(r"activities\[\d+\]\.quantity", where.field)
    assert str(error.value).startswith(f"{path}, sheet {place['sheet']}, row {place['row']}, "
                                       f"{where.field}: -3.0 is negative")


# --- labels in factor, unit and phase cells (issue 16) ---------------------

# Typed by hand from factors/2026.3/factors.csv (row train_tgv_fr: labels; its
# 0.00293 kgCO2e per passenger-km is the same in 2025.1, the edition fixture)
# and from the app's unit and phase labels.
TGV_LABEL = {"fr": "TGV (par passager.km)", "en": "High-speed train TGV (per passenger-km)"}
PKM_LABEL = {"fr": "passager·km", "en": "passenger-km"}
KEUR_LABEL = "k€ (2023)"
SHOOTING = {"fr": "Tournage / enregistrement", "en": "Shooting / recording"}
PHASE_LIST = {"fr": ["Préparation", "Tournage / enregistrement", "Post-production"],
              "en": ["Preparation", "Shooting / recording", "Post-production"]}
# spend_it_services_fr_2023, IT services per k EUR 2023 excl. VAT: 75 kgCO2e / k EUR,
# typed from factors.csv (2025.1 and 2026.3).
IT_SERVICES = 75.0


def _labelled():
    data = _minimal()
    data["activities"].append({"id": "hosting", "section": "nowhere",
                               "factor": "spend_it_services_fr_2023", "quantity": 0.02,
                               "unit": "kEUR_2023", "phase": "post-production"})
    return data


def _cells(path, sheet_name, row):
    sheet = openpyxl.load_workbook(path)[sheet_name]
    header = [str(c.value).rsplit("[", 1)[-1].rstrip("]") for c in sheet[1]]
    return {name: sheet.cell(row=row, column=i + 1).value for i, name in enumerate(header)}


@pytest.mark.parametrize("lang,sheet_name", [("fr", "Invités"), ("en", "Guests")])
def test_factor_unit_and_phase_cells_show_labels_and_read_back(tmp_path, edition, lang,
                                                               sheet_name):
    data = _labelled()
    path = tmp_path / f"labels-{lang}.xlsx"
    write_workbook(data, path, lang=lang)
    line = _cells(path, sheet_name, 2)
    assert line["field"] == "guest_train"
    assert line["factor"] == TGV_LABEL[lang]
    assert line["unit"] == PKM_LABEL[lang]
    assert line["phase"] == SHOOTING[lang]
    other = _cells(path, "other", 2)
    assert other["unit"] == KEUR_LABEL
    assert other["factor"] != "spend_it_services_fr_2023" and "2023" in other["factor"]
    book = openpyxl.load_workbook(path)
    # the phase drop-down offers the labels
    sheet = book[sheet_name]
    rule = next(v for v in sheet.data_validations.dataValidation if "G2" in str(v.sqref))
    column = rule.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    assert [c.value for c in book["lists"][column] if c.value] == PHASE_LIST[lang]
    # no visible sheet shows the ids; the hidden ids sheet holds them
    for name in (sheet_name, "other"):
        values = {c.value for row in book[name].iter_rows() for c in row}
        assert not {"train_tgv_fr", "passenger_km", "production", "kEUR_2023"} & values
    assert book["ids"].sheet_state == "hidden"
    ids = [tuple(r) for r in book["ids"].iter_rows(values_only=True)]
    assert ("factor", "train_tgv_fr", TGV_LABEL[lang], TGV_LABEL["fr"], TGV_LABEL["en"]) in ids
    # reading back: the same ids, the same total
    assert to_dict(load_assessment(path)) == data
    result = assess(load_assessment(path), edition)
    assert result["total_kgco2e"] == pytest.approx(930 * TGV + 0.02 * IT_SERVICES)


@pytest.mark.parametrize("factor,unit,phase", [
    ("train_tgv_fr", "passenger_km", "production"),                        # bare ids
    (TGV_LABEL["en"], PKM_LABEL["en"], SHOOTING["en"]),                     # the other language
    ("  tgv  (PAR passager.km) ", "passager·km", "tournage / ENREGISTREMENT"),  # case, spaces
    ("TGV (par passager.km) [train_tgv_fr]", "passager·km [passenger_km]",   # label [id]
     "Tournage / enregistrement [production]"),
    ("High-speed train TGV (per passenger-km) [train_tgv_fr]", "passenger-km [passenger_km]",
     "Shooting / recording [production]"),                                  # English label [id]
    ("[train_tgv_fr]", "[passenger_km]", "[production]"),                   # the id alone
])
def test_factor_unit_and_phase_cells_typed_any_way_read_the_same(tmp_path, factor, unit, phase):
    def change(book):
        sheet, row = _sheet_with_line(book)
        sheet[f"D{row}"], sheet[f"F{row}"], sheet[f"G{row}"] = factor, unit, phase
    path = _book(tmp_path, change)
    line = to_dict(load_assessment(path))["activities"][0]
    assert (line["factor"], line["unit"], line["phase"]) == ("train_tgv_fr", "passenger_km",
                                                              "production")


def test_a_factor_label_the_book_does_not_record_is_read_from_the_edition(tmp_path):
    """No ids sheet (deleted, or a book someone built): a factor label typed in
    either language is found in the default edition's labels."""
    def change(book):
        del book["ids"]
        sheet, row = _sheet_with_line(book)
        sheet[f"D{row}"] = TGV_LABEL["en"]
    path = _book(tmp_path, change)
    assert to_dict(load_assessment(path))["activities"][0]["factor"] == "train_tgv_fr"


def test_a_workbook_holding_bare_ids_still_reads(tmp_path, edition):
    """A workbook written before the labels: ids in every factor, unit and phase
    cell and no ids sheet."""
    path = tmp_path / "ids.xlsx"
    write_workbook(_labelled(), path)
    book = openpyxl.load_workbook(path)
    book["Invités"]["D2"], book["Invités"]["F2"] = "train_tgv_fr", "passenger_km"
    book["Invités"]["G2"] = "production"
    book["other"]["E2"], book["other"]["G2"] = "spend_it_services_fr_2023", "kEUR_2023"
    book["other"]["H2"] = "post-production"
    del book["ids"]
    book.save(path)
    assert to_dict(load_assessment(path)) == _labelled()
    assert assess(load_assessment(path), edition)["total_kgco2e"] == pytest.approx(
        930 * TGV + 0.02 * IT_SERVICES)


@pytest.mark.parametrize("column,typed,error,words", [
    ("D", "TGV (par passager.kmm)", UnknownFactor,
     ["broken.xlsx, sheet Invités, row 2, column D (factor): 'TGV (par passager.kmm)' is not "
      "the label or id of a factor; choose one of: TGV (par passager.km), Intercités"]),
    ("F", "passager.kmm", UnknownUnit,
     ["sheet Invités, row 2, column F (unit): unknown unit 'passager.kmm'",
      "write e.g. passager.km, or"]),
    ("G", "tournage", InvalidAssessment,
     ["sheet Invités, row 2, column G (phase): 'tournage' is not a phase; choose one of: "
      "Préparation, Tournage / enregistrement, Post-production"]),
])
def test_a_typo_in_a_labelled_cell_is_one_line_naming_the_cell_and_choices(
        tmp_path, edition, capsys, column, typed, error, words):
    path = _book(tmp_path, _set(column, typed))
    assert_user_error(path, error, words, edition)
    assert main(["compute", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert words[0] in err


def test_factors_sharing_a_label_in_one_drop_down_show_their_ids(tmp_path, edition_copy):
    """Two factors of the guest_train list given the same French label in a
    copied edition: each shows 'label [id]', and each reads back as itself."""
    from carbonclap_methods.factors import load_edition
    factors = edition_copy / "factors.csv"
    text = factors.read_text(encoding="utf-8")
    factors.write_text(text.replace("Intercités (par passager.km)", "Train (par passager.km)")
                       .replace("TGV (par passager.km)", "Train (par passager.km)"),
                       encoding="utf-8")
    data = _minimal()
    data["activities"].append({**data["activities"][0], "id": "intercites",
                               "factor": "train_intercites_fr", "quantity": 100.0})
    path = tmp_path / "same.xlsx"
    write_workbook(data, path, edition=load_edition(edition_copy))
    book = openpyxl.load_workbook(path)
    sheet = book["Invités"]
    assert sheet["D2"].value == "Train (par passager.km) [train_tgv_fr]"
    assert sheet["D3"].value == "Train (par passager.km) [train_intercites_fr]"
    rule = next(v for v in sheet.data_validations.dataValidation if "D2" in str(v.sqref))
    column = rule.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    offered = [c.value for c in book["lists"][column] if c.value]
    assert offered[:2] == ["Train (par passager.km) [train_tgv_fr]",
                           "Train (par passager.km) [train_intercites_fr]"]
    assert offered[2] == "TER, traction moyenne (par passager.km)"     # unique: no id
    assert to_dict(load_assessment(path)) == data
    # typed without its id, the shared label names both: refused, naming them
    sheet["D2"] = "Train (par passager.km)"
    book.save(path)
    with pytest.raises(UnknownFactor, match="label of several factors"):
        load_assessment(path)


def test_a_label_another_factor_has_in_the_other_language_shows_the_id(tmp_path, edition_copy):
    """Intercités given, in English, TGV's French label: the French book shows
    TGV with its id, so that reading back cannot take one for the other."""
    from carbonclap_methods.factors import load_edition
    factors = edition_copy / "factors.csv"
    text = factors.read_text(encoding="utf-8")
    factors.write_text(text.replace("Intercités conventional long-distance train (per passenger-km)",
                                    "TGV (par passager.km)"), encoding="utf-8")
    path = tmp_path / "cross.xlsx"
    write_workbook(_minimal(), path, edition=load_edition(edition_copy))
    assert openpyxl.load_workbook(path)["Invités"]["D2"].value == "TGV (par passager.km) [train_tgv_fr]"
    assert to_dict(load_assessment(path)) == _minimal()


def _edition_with_label(factor, column, label):
    """The default edition with one factor's label changed in memory (an edition
    on disk with such a label is refused by validation: see test_factors)."""
    import dataclasses

    from carbonclap_methods.factors import load_edition
    edition = load_edition()
    table = edition.table.copy()
    table.loc[factor, column] = label
    return dataclasses.replace(edition, table=table)


def test_a_factor_label_equal_to_another_factor_s_id_is_written_with_its_own_id(tmp_path):
    """TGV labelled "train_intercites_fr" (another factor's id): the cell and the
    drop-down show "train_intercites_fr [train_tgv_fr]", read back as TGV; a
    cell holding the bare id train_intercites_fr is Intercités."""
    edition = _edition_with_label("train_tgv_fr", "label_fr", "train_intercites_fr")
    path = tmp_path / "label-is-an-id.xlsx"
    write_workbook(_minimal(), path, edition=edition)
    book = openpyxl.load_workbook(path)
    sheet = book["Invités"]
    assert sheet["D2"].value == "train_intercites_fr [train_tgv_fr]"
    rule = next(v for v in sheet.data_validations.dataValidation if "D2" in str(v.sqref))
    column = rule.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    offered = [c.value for c in book["lists"][column] if c.value]
    assert offered[:2] == ["train_intercites_fr [train_tgv_fr]", "Intercités (par passager.km)"]
    assert to_dict(load_assessment(path))["activities"][0]["factor"] == "train_tgv_fr"
    sheet["D2"] = "train_intercites_fr"
    book.save(path)
    assert to_dict(load_assessment(path))["activities"][0]["factor"] == "train_intercites_fr"


def test_the_book_s_own_text_is_read_before_any_other_rule(tmp_path):
    """A book written by an older version: TGV shown bare as "train_intercites_fr"
    (its label then). The hidden ids sheet records that text for TGV, and the
    cell reads back as TGV, not as the id it looks like."""
    path = tmp_path / "old.xlsx"
    write_workbook(_minimal(), path)
    book = openpyxl.load_workbook(path)
    book["Invités"]["D2"] = "train_intercites_fr"
    for row in book["ids"].iter_rows(min_row=2):
        if row[1].value == "train_tgv_fr":
            row[2].value = "train_intercites_fr"
    book.save(path)
    assert to_dict(load_assessment(path))["activities"][0]["factor"] == "train_tgv_fr"


@pytest.mark.parametrize("typed", ["passager.km", "passager-km", "Passager km", "passagers·km",
                                   "passager.km [passenger_km]"])
def test_a_unit_typed_the_french_way_reads_as_its_id(tmp_path, typed):
    path = _book(tmp_path, _set("F", typed))
    assert to_dict(load_assessment(path))["activities"][0]["unit"] == "passenger_km"


@pytest.mark.parametrize("column,typed,words", [
    ("D", "TGV (par passager.km) [meal_average_fr]",
     "row 2, column D (factor): the label 'TGV (par passager.km)' and the id [meal_average_fr] "
     "disagree"),
    ("D", "Intercités (par passager.km) [train_tgv_fr]",
     "the label 'Intercités (par passager.km)' and the id [train_tgv_fr] disagree "
     "(train_tgv_fr is 'TGV (par passager.km)')"),
    ("F", "véhicule·km [passenger_km]",
     "row 2, column F (unit): the label 'véhicule·km' and the id [passenger_km] disagree "
     "(passenger_km is 'passager·km')"),
    ("G", "post-production [production]",
     "row 2, column G (phase): the label 'post-production' and the id [production] disagree "
     "(production is 'Tournage / enregistrement')"),
])
def test_a_label_and_an_id_that_disagree_are_refused(tmp_path, capsys, column, typed, words):
    path = _book(tmp_path, _set(column, typed))
    with pytest.raises(InvalidAssessment, match=re.escape(words)):
        load_assessment(path)
    assert main(["compute", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "broken.xlsx, sheet Invités, row 2" in err


def test_a_unit_whose_label_reads_as_another_unit_keeps_its_id(tmp_path):
    """full_time_equivalent_hour and FTE_hour share « heure ETP »; a unit typed as
    « litre » in YAML is not the id L: both round trip exactly."""
    data = _minimal()
    data["activities"] = [
        {"id": "a", "section": "nowhere", "factor": "workstation_gb_fte_hour", "quantity": 1.0,
         "unit": "full_time_equivalent_hour", "phase": "post-production"},
        {"id": "b", "section": "nowhere", "factor": "workstation_gb_fte_hour", "quantity": 2.0,
         "unit": "FTE_hour", "phase": "post-production"},
        {"id": "c", "section": "nowhere", "factor": "diesel_nonroad_generator_fr_l",
         "quantity": 3.0, "unit": "litre", "phase": "production"}]
    path = tmp_path / "units.xlsx"
    write_workbook(data, path)
    sheet = openpyxl.load_workbook(path)["other"]
    assert [sheet[f"G{r}"].value for r in (2, 3, 4)] == [
        "heure ETP [full_time_equivalent_hour]", "heure ETP", "litre [litre]"]
    assert to_dict(load_assessment(path)) == data


# --- the command line's export carries the results --------------------------

def test_cli_export_writes_the_result_sheet_and_reading_ignores_it(tmp_path, write):
    from conftest import MINIMAL
    source = write("a.yaml", MINIMAL)
    for lang, sheet_name, total in (("fr", "résultats", "Total"), ("en", "results", "Total")):
        target = tmp_path / f"a-{lang}.xlsx"
        assert main(["export", str(source), "--format", "xlsx", "--lang", lang,
                     "-o", str(target)]) == 0
        book = openpyxl.load_workbook(target)
        assert book.sheetnames[:2] == ["production", sheet_name]
        cells = {r[0]: r[1:] for r in book[sheet_name].iter_rows(values_only=True) if r[0]}
        assert cells[total][0] == pytest.approx(930 * TGV)
        assert cells[SHOOTING[lang]][0] == pytest.approx(930 * TGV)           # by phase
        assert cells["Transports" if lang == "fr" else "Transport"][0] == pytest.approx(930 * TGV)
        transport = next(r for r in book[sheet_name].iter_rows()
                         if r[0].value == ("Transports" if lang == "fr" else "Transport"))
        assert transport[2].value == 1.0 and transport[2].number_format == "0.0%"  # one line: 100 %
        line = cells[TGV_LABEL[lang]]          # a line of no field is named by its factor
        assert line[:3] == (TGV_LABEL[lang], 930, PKM_LABEL[lang])
        assert line[4] == pytest.approx(930 * TGV)
        # edited result cells change nothing read back
        book[sheet_name]["B3"] = "=1/0"
        book.save(target)
        assert to_dict(load_assessment(target)) == to_dict(load_assessment(source))


def test_cli_export_uses_the_chosen_edition(tmp_path, write):
    from conftest import MINIMAL
    source = write("a.yaml", MINIMAL)
    target = tmp_path / "a.xlsx"
    assert main(["export", str(source), "--format", "xlsx", "--edition", "2025.1",
                 "-o", str(target)]) == 0
    note = openpyxl.load_workbook(target)["résultats"]["A2"].value
    assert "2025.1" in note


def _folder_sha256(folder):
    """The edition digest as its docstring defines it, computed here: sha256 of
    each file's relative path and own sha256, in sorted path order, the
    datapackage's line holding the seal of its metadata left out."""
    import hashlib
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "datapackage.json":
            data = b"".join(line for line in data.splitlines(keepends=True)
                            if b'"descriptor_sha256": "sha256:' not in line)
        own = hashlib.sha256(data).hexdigest()
        digest.update(f"{path.relative_to(folder).as_posix()}\0{own}\n".encode())
    return digest.hexdigest()


@pytest.mark.parametrize("lang,words", [
    ("fr", "Calculés à l'export avec l'édition des facteurs {name} (sha256 {sha}…), édition "
           "provisoire (draft edition) ; cette feuille n'est pas relue"),
    ("en", "Computed when exporting with factor edition {name} (sha256 {sha}…), draft edition; "
           "this sheet is not read back")])
def test_the_result_note_names_the_edition_its_sha256_and_a_draft(tmp_path, write, edition_copy,
                                                                   lang, words):
    import json

    from conftest import MINIMAL
    package = json.loads((edition_copy / "datapackage.json").read_text(encoding="utf-8"))
    package["draft"] = True
    (edition_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    source = write("a.yaml", MINIMAL)
    target = tmp_path / "a.xlsx"
    assert main(["export", str(source), "--format", "xlsx", "--lang", lang, "--edition",
                 str(edition_copy), "-o", str(target)]) == 0
    note = openpyxl.load_workbook(target)[{"fr": "résultats", "en": "results"}[lang]]["A2"].value
    # a draft outside the factors folder is named by its folder (edition_copy: "edition")
    assert words.format(name="edition", sha=_folder_sha256(edition_copy)[:12]) in note, note
    # a released edition: its sha256, no draft mark
    assert main(["export", str(source), "--format", "xlsx", "--edition", "2025.1",
                 "-o", str(target)]) == 0
    note = openpyxl.load_workbook(target)["résultats"]["A2"].value
    from carbonclap_methods.factors import resolve_edition
    assert (f"l'édition des facteurs 2025.1 (sha256 {_folder_sha256(resolve_edition('2025.1'))[:12]}"
            "…) ; cette feuille") in note
    assert "provisoire" not in note


def test_cli_export_of_an_assessment_that_does_not_compute_writes_it_without_results(
        tmp_path, write, capsys):
    """A factor an older edition had: the producer fixes it in Excel, so the
    book is written, without the result sheet, and one warning line says why."""
    from conftest import MINIMAL
    source = write("a.yaml", MINIMAL.replace("train_tgv_fr", "train_tgv_xx"))
    target = tmp_path / "a.xlsx"
    assert main(["export", str(source), "--format", "xlsx", "-o", str(target)]) == 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("warning: no result sheet: ") and "train_tgv_xx" in err
    book = openpyxl.load_workbook(target)
    assert "résultats" not in book.sheetnames and "results" not in book.sheetnames
    assert to_dict(load_assessment(target))["activities"][0]["factor"] == "train_tgv_xx"


@pytest.mark.parametrize("text,unit", [("passager·km", "passenger_km"), ("passenger-km", "passenger_km"),
                                       ("k€ (2023)", "kEUR_2023"), ("€ (2020)", "EUR_2020"),
                                       ("k£ (2024)", "kGBP_2024"), ("heure ETP", "FTE_hour"),
                                       ("To·an", "TB_year"), ("MWh", "MWh"), ("mWh", None),
                                       # typed as French users type them
                                       ("passager.km", "passenger_km"),
                                       ("passager-km", "passenger_km"),
                                       ("passager km", "passenger_km"),
                                       ("Passager·km", "passenger_km"),
                                       ("passagers.km", "passenger_km"),
                                       ("nuitées", "night"), ("Nuitée", "night"),
                                       ("kit.jour d\u2019utilisation", "kit_day"),
                                       ("m3.km", "m3_km"), ("tonnes-km", "tonne_km"),
                                       ("heures ETP", "FTE_hour"), ("Go.an", "GB_year"),
                                       # symbols keep their case; a typo stays refused
                                       ("mwh", None), ("go", None), ("passager.kmm", None),
                                       ("véhicule passager", None)])
def test_unit_labels_read_back_to_their_ids(text, unit):
    from carbonclap_methods.vocabulary import unit_from_label
    assert unit_from_label(text) == unit


@pytest.mark.parametrize("lang,type_label,stage_label", [
    ("fr", "Long métrage cinéma", "Prévisionnel"), ("en", "Feature film", "Forecast")])
def test_production_type_and_stage_show_labels_and_read_back(tmp_path, lang, type_label,
                                                             stage_label):
    data = {"format": "carbonclap-assessment/1",
            "production": {"title": "T", "type": "feature_film", "stage": "forecast"},
            "activities": [{"factor": "train_tgv_fr", "quantity": 930, "unit": "passenger_km",
                            "phase": "production"}]}
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook_bytes(data, lang))
    book = openpyxl.load_workbook(path)
    cells = {r[0]: r[1] for r in book["production"].iter_rows(min_row=2, values_only=True)}
    assert (cells["type"], cells["stage"]) == (type_label, stage_label)
    production = to_dict(load_assessment(path))["production"]
    assert (production["type"], production["stage"]) == ("feature_film", "forecast")
    # the other language's label, an id, odd case and spaces all read
    for typed, stage in (("  fiction TV  unitaire", "Final"), ("tv_film", "définitif")):
        book["production"]["B3"], book["production"]["B4"] = typed, stage
        book.save(path)
        production = to_dict(load_assessment(path))["production"]
        assert (production["type"], production["stage"]) == ("tv_film", "final")
    book["production"]["B3"] = "Long métrag"
    book.save(path)
    with pytest.raises(InvalidAssessment, match="Long métrag"):
        load_assessment(path)
