"""The guided assessment's widgets, driven without a browser.

Each test builds the app object, sets widget values as a user would, and
checks what the app displays against figures computed here by hand from the
factors' published values (ADEME Base Carbone V23.6 element ids in the
comments), never read back from the code under test.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
import yaml

from carbonclap_methods import cli
from carbonclap_methods.assessment import load_assessment
from carbonclap_methods.factors import load_edition
from carbonclap_methods.widgets import app as app_module
from carbonclap_methods.widgets import serve
from carbonclap_methods.widgets.app import GuidedAssessment
from carbonclap_methods.widgets.parse import Problem, parse_country, parse_number, unit_options
from carbonclap_methods.widgets.result_charts import benchmark_rows
from carbonclap_methods.widgets.text import TEXT, number, tr

ROOT = Path(__file__).resolve().parent.parent

# Published factor values, typed from their sources.
TGV = 0.00293            # kgCO2e / passenger-km, TGV, Base Carbone 43256
INTERCITES = 0.0075      # kgCO2e / passenger-km, Intercités, Base Carbone 43272
ELECTRICITY_FR = 0.0519  # kgCO2e / kWh, France 2024 average mix, Base Carbone 43642
MEAL = 2.04              # kgCO2e / meal, average meal, Base Carbone 20682
METRO = 0.00444          # kgCO2e / passenger-km, Paris metro, Base Carbone 43253
SERVICES = 110.0         # kgCO2e / k EUR 2023, specialised services, Base Carbone 43315
CLOUD_FR = 1.8577        # kgCO2e / TB-year, cloud storage, energy-based, France (edition row)
AC_SPLIT = 1 * (0.05 + 0.85 / 10) * 2256  # kgCO2e / unit-year with end-of-life: 1 kg R410A x (5 % leaks + 85 % lost at the end of a 10-year life) x GWP 2256 (BC 14598, 14603, 14608, 43632)
EDITING_SUITE = (296 + 2 * 248) / (5 * 220)  # kgCO2e / kit-day: BC 27004 + 2 x 27006 over 5 years x 220 days
WORKSTATION = 0.03144    # kgCO2e / FTE hour, DEFRA 2024 homeworking office equipment
IT_SERVICES = 75.0       # kgCO2e / k EUR 2023, IT services, Base Carbone ratio
TRANSFER = 0.00950468087  # kgCO2e / GB, data transfer, Impact CO2


@pytest.fixture(scope="module")
def edition():
    """The default edition: the questionnaires' default factors are its rows."""
    from carbonclap_methods.factors import load_edition
    return load_edition()


@pytest.fixture
def app(tmp_path, edition):
    """A blank podcast assessment in French, charts drawn at once, saving to tmp_path."""
    return GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                            chart_delay=0)


@pytest.fixture
def default_app(tmp_path):
    """As ``app``, with the default edition, the one the examples are written for."""
    return GuidedAssessment("podcast", "fr", edition=load_edition(), save_folder=tmp_path,
                            chart_delay=0)


def shown_total(app: GuidedAssessment) -> str:
    """The total as displayed (the text of the ``cc-total`` element)."""
    return re.search(r'class="cc-total">([^<]*)<', app.results.total.value).group(1)


def said(widget) -> str:
    """The text an HTML widget shows (entities such as &#x27; read back)."""
    return html.unescape(widget.value)


def as_float(text: str, lang: str = "fr") -> float:
    if lang == "fr":
        text = text.replace("\u202f", "").replace(",", ".")
    return float(text.replace(",", ""))


def typed(app: GuidedAssessment, line_id: str, text: str):
    row = app.questionnaire.row(line_id)
    row.quantity.value = text
    return row


# ---------------------------------------------------------------------------
# Live result

def test_blank_app_shows_nothing_yet(app):
    assert shown_total(app) == "0"
    assert "Pas encore de résultat" in app.results.summary.value
    assert app.last_problem is None


def test_total_follows_each_field(app):
    row = typed(app, "guests.guest_train", "930")
    assert shown_total(app) == "2,72"                      # 930 x 0.00293 = 2.7249
    assert row.kg.value == "2,72 kgCO2e"
    typed(app, "studio_recording.studio_electricity", "35")
    assert shown_total(app) == "4,54"                      # + 35 x 0.0519 = 4.5414
    typed(app, "logistics_catering.meals", "5")
    assert shown_total(app) == "14,7"                      # + 5 x 2.04 = 14.7414
    assert app.result["total_kgco2e"] == pytest.approx(930 * TGV + 35 * ELECTRICITY_FR + 5 * MEAL)
    summary = app.results.summary.value
    assert "Alimentation" in summary and "69,2" in summary  # 10.2 / 14.7414 = 69.19 %
    assert "Tournage / enregistrement" in summary


def test_factor_choice_and_compatible_units(app):
    row = typed(app, "guests.guest_train", "930")
    row.factor.value = "train_intercites_fr"
    assert app.result["total_kgco2e"] == pytest.approx(930 * INTERCITES)  # 6.975
    assert as_float(shown_total(app)) == pytest.approx(930 * INTERCITES, abs=0.006)
    studio = app.questionnaire.row("studio_recording.studio_electricity")
    assert ("MWh", "MWh") in studio.unit.options          # (label, unit id)
    studio.unit.value = "MWh"
    studio.quantity.value = "0.035"
    assert app.result["total_kgco2e"] == pytest.approx(930 * INTERCITES + 35 * ELECTRICITY_FR)
    assert app.state.lines[studio.key].data["unit"] == "MWh"


def test_spaces_between_thousands_are_accepted(app):
    typed(app, "guests.guest_train", "1 000")
    assert app.result["total_kgco2e"] == pytest.approx(1000 * TGV)


def test_french_decimal_comma_is_read_and_numbers_follow_the_language(app):
    row = typed(app, "guests.guest_train", "1\u202f234,5")
    assert app.result["total_kgco2e"] == pytest.approx(1234.5 * TGV)
    assert row.message.value == ""
    app.production.numbers["content_minutes"].value = "45,5"
    assert app.state.production["content_minutes"] == 45.5
    app.set_lang("en")
    assert row.quantity.value == "1234.5"                 # written again for English
    assert app.production.numbers["content_minutes"].value == "45.5"
    row.quantity.value = "12,5"                           # English: a decimal comma is refused
    assert "decimal comma: write 12.5" in said(row.message)
    row.quantity.value = "2,500.5"                        # English thousands separator
    assert app.result["total_kgco2e"] == pytest.approx(2500.5 * TGV)


# ---------------------------------------------------------------------------
# Bad input: shown next to the field, nothing else changes, nothing typed is lost

@pytest.mark.parametrize("text, french", [
    ("1,2,5", "« 1,2,5 » mélange virgule et point"),
    ("-3", "-3 est négatif"),
    ("abc", "« abc » n'est pas un nombre"),
    ("nan", "n'est pas un nombre fini"),
    ("1e400", "n'est pas un nombre fini"),
])
def test_bad_quantity_is_shown_and_changes_nothing(app, text, french):
    row = typed(app, "guests.guest_train", "930")
    before = app.result
    key = row.key
    row.quantity.value = text
    assert french in said(row.message)
    assert "la valeur précédente (930 passager·km) reste prise en compte" in said(row.message)
    assert row.message.layout.display is None             # shown
    assert row.quantity.value == text                     # what was typed stays
    assert app.state.lines[key].data["quantity"] == 930   # the last valid value
    assert app.result is before and shown_total(app) == "2,72"
    assert "1 champ(s) à corriger" in app.fix_note.value
    row.quantity.value = "100"
    assert row.message.value == "" and row.message.layout.display == "none"
    assert app.result["total_kgco2e"] == pytest.approx(100 * TGV)
    assert app.fix_note.value == ""


def test_unit_drop_down_offers_only_units_that_fit_with_labels(app):
    row = app.questionnaire.row("guests.guest_train")
    assert row.unit.options == (("passager·km", "passenger_km"),)
    app.set_lang("en")
    assert row.unit.options == (("passenger-km", "passenger_km"),)


def test_unit_that_does_not_fit_is_shown_and_changes_nothing(app, tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text("format: carbonclap-assessment/1\nproduction: {type: podcast}\n"
                    "activities:\n  - {factor: electricity_fr_2024, quantity: 35, unit: kWh, phase: production}\n",
                    encoding="utf-8")
    assert app.open_path(path)
    row = next(app.questionnaire.rows[k] for k in app.state.other_keys())
    row.unit.value = "kg"
    assert "l'unité « kg » ne convient pas" in said(row.message)
    assert "kWh" in said(row.message)
    assert app.result["total_kgco2e"] == pytest.approx(35 * ELECTRICITY_FR)
    row.unit.value = "furlong_per_fortnight"
    assert "unité inconnue « furlong_per_fortnight »" in said(row.message)
    row.unit.value = "kWh"
    assert row.message.value == ""


def test_messages_follow_the_language(app):
    row = typed(app, "guests.guest_train", "-12,5")
    app.set_lang("en")
    assert "-12,5 is negative" in said(row.message)
    assert "1 field(s) to fix" in app.fix_note.value
    assert row.quantity.value == "-12,5"


def test_bad_production_numbers(app):
    typed(app, "guests.guest_train", "930")
    app.production.numbers["content_minutes"].value = "45"
    per_hour = 930 * TGV / (45 / 60)                           # 3.6332
    assert f"{number(per_hour, 'fr')} kgCO2e par heure de contenu" in app.results.summary.value
    app.production.numbers["budget_eur"].value = "12 000"
    per_keur = 930 * TGV / 12                                  # 0.22708
    assert f"{number(per_keur, 'fr')} kgCO2e par k EUR de budget" in app.results.summary.value
    app.production.numbers["budget_eur"].value = "12 000,5,1"
    assert "mélange virgule et point" in said(app.production.messages["budget_eur"])
    assert app.state.production["budget_eur"] == 12000
    app.production.country.value = "France"
    assert "code pays ISO" in said(app.production.messages["country"])
    app.production.country.value = "fr"
    assert app.state.production["country"] == "FR"
    app.production.numbers["budget_eur"].value = ""
    assert "budget_eur" not in app.state.production
    assert "par k EUR" not in app.results.summary.value


# ---------------------------------------------------------------------------
# Language

def test_language_switch_changes_labels_not_values(app):
    row = typed(app, "guests.guest_train", "930")
    titles_fr = app.questionnaire.accordion.titles
    assert "Invités" in titles_fr
    assert row.factor.label == "TGV (par passager.km)"
    app.language.value = "en"                       # as a click on "English"
    assert "Guests" in app.questionnaire.accordion.titles
    assert row.factor.label == "High-speed train TGV (per passenger-km)"
    assert row.factor.value == "train_tgv_fr" and row.quantity.value == "930"
    assert shown_total(app) == "2.72"
    assert "Guided carbon assessment" in app.heading.value
    assert app.results.tabs.titles == ("Categories", "Phases", "Lines", "Benchmark")
    assert "Transport" in app.results.charts["category"].value
    assert dict(app.stage.options) == {"Forecast": "forecast", "Final": "final"}
    assert app.files.save.description == "Save"
    app.set_lang("fr")
    assert app.questionnaire.accordion.titles == titles_fr
    assert shown_total(app) == "2,72"


def test_every_text_has_both_languages():
    for key, pair in TEXT.items():
        assert len(pair) == 2 and all(pair), key
        fr, en = (sorted(re.findall(r"{(\w+)}", text)) for text in pair)
        assert fr == en, key


# ---------------------------------------------------------------------------
# Sections, lines, production type

def test_section_switch_leaves_lines_out_and_brings_them_back(app):
    typed(app, "guests.guest_train", "930")
    app.questionnaire.switches["guests"].value = False
    assert shown_total(app) == "0"
    assert "Invités" not in app.questionnaire.accordion.titles
    assert all(line["section"] != "guests" for line in app.state.to_data()["activities"])
    app.questionnaire.switches["guests"].value = True
    assert shown_total(app) == "2,72"
    assert app.questionnaire.row("guests.guest_train").quantity.value == "930"


def test_add_and_remove_a_line_of_a_field(app):
    row = typed(app, "guests.guest_train", "930")
    row.action.click()                                   # "+" adds a line to the field
    new = app.questionnaire.rows[max(app.questionnaire.rows)]
    assert app.state.lines[new.key].data["id"] == "guests.guest_train.2"
    new.quantity.value = "100"
    assert app.result["total_kgco2e"] == pytest.approx(1030 * TGV)
    new.action.click()                                   # "−" removes it
    assert new.key not in app.state.lines
    assert app.result["total_kgco2e"] == pytest.approx(930 * TGV)


def test_type_change_keeps_what_was_typed(app):
    typed(app, "guests.guest_train", "930")
    typed(app, "studio_recording.studio_electricity", "35")
    app.type.value = "feature_film"                      # no guests, no studio sections
    assert app.state.production["type"] == "feature_film"
    assert app.result["total_kgco2e"] == pytest.approx(930 * TGV + 35 * ELECTRICITY_FR)
    assert "Autres lignes" in app.questionnaire.accordion.titles
    others = [app.questionnaire.rows[k] for k in app.state.other_keys()]
    assert sorted(r.factor.value for r in others) == ["electricity_fr_2024", "train_tgv_fr"]
    assert "Décors" in app.questionnaire.accordion.titles


def test_other_line_factor_is_checked(app, tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump({
        "format": "carbonclap-assessment/1",
        "production": {"type": "podcast"},
        "activities": [{"factor": "train_tgv_fr", "quantity": 100, "unit": "passenger_km",
                        "phase": "production"}]}), encoding="utf-8")
    assert app.open_path(path)
    (key,) = app.state.other_keys()
    row = app.questionnaire.rows[key]
    row.factor.value = "no_such_factor"
    assert "« no_such_factor » n'est pas un facteur d'émission" in said(row.message)
    assert app.result["total_kgco2e"] == pytest.approx(100 * TGV)
    row.factor.value = "train_intercites_fr"
    assert app.result["total_kgco2e"] == pytest.approx(100 * INTERCITES)


# ---------------------------------------------------------------------------
# Files

def test_save_and_open_round_trip(app, tmp_path, edition):
    typed(app, "guests.guest_train", "930")
    typed(app, "logistics_catering.meals", "5")
    app.production.title.value = "Épisode 3"
    app.production.numbers["content_minutes"].value = "45"
    app.stage.value = "final"
    app.files.name.value = "episode-3.yaml"
    app.files.save.click()
    path = tmp_path / "episode-3.yaml"
    assert "Enregistré" in said(app.files.status) and str(path) in said(app.files.status)
    assert 'download="episode-3.yaml"' in app.files.links.value
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["production"] == {"title": "Épisode 3", "type": "podcast", "stage": "final",
                                  "content_minutes": 45}
    assert [(l["field"], l["quantity"]) for l in data["activities"]] == \
        [("guest_train", 930), ("meals", 5)]
    again = GuidedAssessment("documentary", "en", edition=edition, save_folder=tmp_path,
                             chart_delay=0)
    assert again.open_path(path)
    assert again.type.value == "podcast" and again.stage.value == "final"
    assert again.production.title.value == "Épisode 3"
    assert again.questionnaire.row("guests.guest_train").quantity.value == "930"
    assert again.result["total_kgco2e"] == pytest.approx(930 * TGV + 5 * MEAL)
    assert again.files.name.value == "episode-3.yaml"
    assert "Opened: episode-3.yaml (2 lines)" in again.files.status.value


def test_json_save(app, tmp_path):
    typed(app, "guests.guest_train", "930")
    app.files.name.value = "x.json"
    app.save()
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert data["activities"][0]["quantity"] == 930


def test_open_example_keeps_every_line(default_app, tmp_path):
    app = default_app
    example = ROOT / "examples" / "podcast_episode.yaml"
    assert app.open_path(example)
    expected = (1860 * TGV + (32 + 60) * METRO + 4.2 * ELECTRICITY_FR + 0.00375 * AC_SPLIT
                + 5 * MEAL + 2 * EDITING_SUITE + 16 * WORKSTATION + 0.05 * SERVICES
                + 0.02 * IT_SERVICES + 0.2 * CLOUD_FR + 215 * TRANSFER)  # 200 GB-year = 0.2 TB-year
    assert app.result["total_kgco2e"] == pytest.approx(expected)
    assert app.questionnaire.row("sessions_storage").unit.value == "GB_year"
    app.files.name.value = "copy.yaml"
    app.save()
    saved = yaml.safe_load((tmp_path / "copy.yaml").read_text(encoding="utf-8"))
    original = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert saved["activities"] == original["activities"]
    assert saved["production"] == original["production"]


@pytest.mark.parametrize("name, content, words", [
    ("broken.yaml", b"format: [", "invalid YAML"),
    ("unknown.yaml", b"format: carbonclap-assessment/1\nproduction: {type: podcast}\n"
     b"activities:\n- {factor: nope, quantity: 1, unit: kWh, phase: production}\n",
     "unknown factor id 'nope'"),
    ("negative.yaml", b"format: carbonclap-assessment/1\nproduction: {type: podcast}\n"
     b"activities:\n- {factor: train_tgv_fr, quantity: -1, unit: passenger_km, "
     b"phase: production}\n", "negative"),
    ("units.yaml", b"format: carbonclap-assessment/1\nproduction: {type: podcast}\n"
     b"activities:\n- {factor: train_tgv_fr, quantity: 1, unit: kg, phase: production}\n",
     "kg"),
    ("notes.txt", b"hello", "unsupported file type"),
])
def test_a_bad_file_changes_nothing(app, name, content, words):
    row = typed(app, "guests.guest_train", "930")
    state, result = app.state, app.result
    assert app.open_file(name, content) is False
    assert "Fichier refusé" in said(app.files.status) and words in said(app.files.status)
    assert name in said(app.files.status) and "carbonclap-upload" not in said(app.files.status)
    assert app.state is state and app.result is result
    assert app.questionnaire.row("guests.guest_train") is row and row.quantity.value == "930"


def test_upload_widget_opens_a_file(default_app):
    app = default_app
    content = (ROOT / "examples" / "podcast_episode.yaml").read_bytes()
    app.files.upload.value = ({"name": "podcast_episode.yaml", "type": "",
                               "size": len(content), "content": memoryview(content),
                               "last_modified": datetime.now(timezone.utc)},)
    assert "Ouvert : podcast_episode.yaml (12 lignes)" in said(app.files.status)
    assert app.files.upload.value == ()


def test_bad_file_name_writes_nothing(app, tmp_path):
    for name in ("../escape.yaml", "noext", ".hidden.yaml", "a/b.yaml", "x.xlsx"):
        app.files.name.value = name
        assert app.save() is None
        assert "nom de fichier invalide" in said(app.files.status)
    assert list(tmp_path.iterdir()) == []


def test_excel_export_reads_back_the_same(app, tmp_path, edition):
    typed(app, "guests.guest_train", "930")
    typed(app, "logistics_catering.meals", "5")
    app.files.name.value = "wb.yaml"
    app.files.xlsx.click()
    path = tmp_path / "wb.xlsx"
    assert path.read_bytes()[:2] == b"PK"
    back = load_assessment(path)
    quantities = sorted(back.lines["quantity"])
    assert quantities == [5, 930]
    assert 'download="wb.xlsx"' in app.files.links.value
    # The result sheet: second, labelled in French, kgCO2e by category and per line.
    import openpyxl
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[1] == "résultats"
    # line sheets show labels (factors.csv's label_fr, the app's units and phases), not ids
    guests = {row[1]: row for row in book["Invités"].iter_rows(values_only=True)}
    assert guests["guest_train"][3:7] == ("TGV (par passager.km)", 930, "passager·km",
                                          "Tournage / enregistrement")
    cells = {row[0]: row[1:] for row in book["résultats"].iter_rows(values_only=True) if row}
    assert cells["Total"][0] == pytest.approx(930 * TGV + 5 * MEAL)
    assert cells["Alimentation"][0] == pytest.approx(5 * MEAL)
    assert cells["Transports"][0] == pytest.approx(930 * TGV)
    assert cells["Tournage / enregistrement"][0] == pytest.approx(930 * TGV + 5 * MEAL)
    meals = cells["Repas (type inconnu)"]
    assert meals[1:3] == (5, "repas") and meals[4] == pytest.approx(5 * MEAL)
    # Reading back ignores the result sheet, even if someone edits it.
    book["résultats"]["B3"] = "=1/0"
    book["résultats"].append(["x", "y", "text in a number column"])
    book.save(path)
    assert sorted(load_assessment(path).lines["quantity"]) == [5, 930]


def test_printable_report_is_standalone(app, tmp_path):
    typed(app, "guests.guest_train", "930")
    typed(app, "logistics_catering.meals", "5")
    app.production.title.value = "Épisode <3>"
    app.files.name.value = "ep.yaml"
    app.files.report.click()
    text = (tmp_path / "ep-rapport.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "Bilan carbone : Épisode &lt;3&gt;" in text
    assert text.count("<svg") == 3                     # categories, phases, lines
    assert "<script" not in text and "<link" not in text and " src=" not in text
    assert "12,9" in text and "Repas (type inconnu)" in text      # 930 x 0.00293 + 5 x 2.04
    # scopes and BEGES items too: the train is business travel (3.6) and, for BEGES,
    # visitors' travel (3.4); meals are purchased goods (3.1, BEGES 4.1): 5 x 2.04
    scopes = table_rows(text, "cc-scopes")
    assert scopes["3.6 Déplacements professionnels"] == "2,72"
    assert scopes["3.1 Achats de biens et services"] == "10,2"
    assert table_rows(text, "cc-beges")["4.1 Achats de biens"] == "10,2"
    app.set_lang("en")
    app.export_report()
    english = (tmp_path / "ep-report.html").read_text(encoding="utf-8")
    assert "Carbon assessment: Épisode &lt;3&gt;" in english and "12.9" in english
    # Human labels for factors, units and equivalence references; ids only in tooltips.
    assert "Train à grande vitesse" not in english
    assert ">passenger-km</td>" in english and ">passenger_km<" not in english
    car = app.result["equivalences"]["petrol_car_km"]["factor"]
    table = app.edition.table
    assert f"({table.at[car, 'label_en']})" in english and f">({car})<" not in english
    assert f"({table.at[car, 'label_fr']})" in html.escape(text, quote=False) or \
        f"({table.at[car, 'label_fr']})" in text
    assert f'title="{car}"' in text and ">passager·km</td>" in text


def test_equivalences_name_their_reference_factors(app):
    typed(app, "guests.guest_train", "930")
    summary = html.unescape(app.results.summary.value)
    car = app.result["equivalences"]["petrol_car_km"]["factor"]
    assert f"({app.edition.table.at[car, 'label_fr']})" in summary
    assert f'title="{car}"' in summary and f"({car})" not in summary


# ---------------------------------------------------------------------------
# Benchmark, charts, problems

def test_benchmark_against_the_genre(tmp_path, edition):
    app = GuidedAssessment("documentary", "fr", edition=edition, save_folder=tmp_path,
                           chart_delay=0)
    app.questionnaire.row("people_transport.train").quantity.value = "1000"
    # Ecoprod's 2024 report: 11 tCO2e per documentary (published_benchmarks.csv);
    # this one: 1000 passenger-km x 0.00293 = 2.93 kgCO2e = 0.00293 tCO2e.
    rows = benchmark_rows(app.result, "fr")
    assert rows[0][:2] == ("par production", "Cette production")
    assert rows[0][2] == pytest.approx(1000 * TGV / 1000)
    assert rows[1] == ("par production", "Moyenne Carbon'Clap 2024", 11.0)
    app.results.tabs.selected_index = 3
    chart = app.results.charts["benchmark"].value
    assert "<svg" in chart and "Moyenne Carbon'Clap 2024" in chart
    assert "documentaires" in app.results.summary.value


def test_charts_are_drawn_only_when_their_rows_change(app):
    typed(app, "guests.guest_train", "930")
    drawn = app.results.cache.drawn
    app.production.title.value = "A title"                # changes no chart
    app.questionnaire.row("guests.guest_train").quantity.value = "930.0"   # same value
    assert app.results.cache.drawn == drawn
    typed(app, "guests.guest_train", "931")               # the chart in view: categories
    assert app.results.cache.drawn == drawn + 1
    typed(app, "guests.guest_train", "930")               # drawn before: from the cache
    assert app.results.cache.drawn == drawn + 1
    assert "<svg" not in app.results.charts["lines"].value
    app.results.tabs.selected_index = 2                   # the lines tab: drawn when shown
    assert "<svg" in app.results.charts["lines"].value
    assert "Invités sur place, train" in app.results.charts["lines"].value
    assert app.results.cache.drawn == drawn + 2


def test_charts_wait_for_a_pause_in_typing(tmp_path, edition):
    async def scenario():
        app = GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                               chart_delay=0.05)
        row = app.questionnaire.row("guests.guest_train")
        for text in ("9", "93", "930"):
            row.quantity.value = text
        assert shown_total(app) == "2,72"                  # figures at once
        assert "<svg" not in app.results.charts["category"].value
        for _ in range(100):                                # drawn by the worker thread
            await asyncio.sleep(0.05)
            if "<svg" in app.results.charts["category"].value:
                break
        assert "<svg" in app.results.charts["category"].value
        assert app.results.rendering == 0
        return app.results.cache.drawn
    assert asyncio.run(scenario()) == 1                    # one drawing for three keystrokes


def test_unexpected_problem_is_shown_not_raised(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(app_module, "assess", broken)
    typed(app, "guests.guest_train", "930")
    assert "Problème inattendu (RuntimeError) : boom" in said(app.files.status)
    assert "RuntimeError: boom" in app.last_problem
    assert app.questionnaire.row("guests.guest_train").quantity.value == "930"


def test_open_assessment_given_to_the_constructor(tmp_path):
    app = GuidedAssessment(assessment=ROOT / "examples" / "podcast_episode.yaml",
                           edition=load_edition(), save_folder=tmp_path, chart_delay=0, lang="en")
    assert app.state.production["title"] == "Podcast « Sons du réel », episode 12"
    assert app.result["total_kgco2e"] > 0


# ---------------------------------------------------------------------------
# Parsing and numbers

@pytest.mark.parametrize("text, expected", [
    ("12", 12.0), (" 7.5 ", 7.5), ("1e3", 1000.0), ("1 000", 1000.0), ("1\u202f000", 1000.0),
    ("", 0.0), (".5", 0.5), ("0", 0.0), ("1,000.5", 1000.5), ("12,345", 12345.0),
])
def test_parse_number_accepts(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text, lang, expected", [
    ("3 × 2 × 465", "fr", 2790.0), ("4 x 5", "en", 20.0), ("12*3", "en", 36.0),
    ("2 × 1 234,5", "fr", 2469.0), ("3 X 1,000.5", "en", 3001.5),
])
def test_parse_number_works_out_products(text, lang, expected):
    assert parse_number(text, lang=lang) == pytest.approx(expected)


@pytest.mark.parametrize("text, key", [
    ("3 × ", "bad_number"), ("× 3", "bad_number"), ("3 × -2", "bad_negative"),
    ("1e200 × 1e200", "bad_finite"), ("3 × abc", "bad_number"), ("x", "bad_number"),
])
def test_parse_number_refuses_bad_products(text, key):
    problem = parse_number(text, lang="fr")
    assert isinstance(problem, Problem) and problem.key == key


def test_travellers_times_km_typed_in_a_row(app):
    row = typed(app, "guests.guest_train", "3 × 930")          # 3 travellers, 930 km
    assert app.result["total_kgco2e"] == pytest.approx(3 * 930 * TGV)
    app.set_lang("en")
    assert row.quantity.value == "3 × 930"                    # what was typed stays


@pytest.mark.parametrize("text, expected", [
    ("45,5", 45.5), ("14 183", 14183.0), ("14\u00a0183", 14183.0), ("1\u202f234,5", 1234.5),
    ("45.5", 45.5), ("0,00293", 0.00293), ("12,345", 12.345), ("1,5e3", 1500.0),
])
def test_parse_number_accepts_french(text, expected):
    assert parse_number(text, lang="fr") == expected


@pytest.mark.parametrize("text, key", [
    ("12,5", "bad_comma"), ("-3", "bad_negative"), ("abc", "bad_number"), ("inf", "bad_finite"),
    ("1,00.5", "bad_number"), ("1 00", "bad_number"), ("--1", "bad_number"),
])
def test_parse_number_refuses(text, key):
    problem = parse_number(text)
    assert isinstance(problem, Problem) and problem.key == key


@pytest.mark.parametrize("text, key", [
    ("1.234,5", "bad_mixed"), ("1,2,3", "bad_mixed"), ("-1,5", "bad_negative"),
    ("-inf", "bad_finite"), ("abc", "bad_number"),
])
def test_parse_number_refuses_french(text, key):
    problem = parse_number(text, lang="fr")
    assert isinstance(problem, Problem) and problem.key == key


def test_parse_country():
    assert parse_country(" fr ") == "FR" and parse_country("") is None
    assert parse_country("FRA").key == "bad_country"


def test_unit_options_keep_only_units_that_convert(edition):
    assert unit_options("kWh", "kWh", edition) == ("kWh", "MWh")
    assert unit_options("km", "vehicle_km", edition) == ("km", "mile")
    assert unit_options("night", "night", edition) == ("night",)
    assert "kGBP_2024" in unit_options("kEUR_2023", "kEUR_2023", edition)


@pytest.mark.parametrize("value, fr, en", [
    (2.7249, "2,72", "2.72"), (14.7414, "14,7", "14.7"), (0.0123456, "0,0123", "0.0123"),
    (12345.6, "12\u202f346", "12,346"), (0, "0", "0"), (100.0, "100", "100"),
])
def test_numbers_are_written_for_each_language(value, fr, en):
    assert number(value, "fr") == fr and number(value, "en") == en


def test_tr_rejects_an_unknown_language():
    with pytest.raises(ValueError):
        tr("total", "de")


# ---------------------------------------------------------------------------
# Web app plumbing and the notebook

def test_voila_command_serves_localhost_with_the_offline_template(monkeypatch, tmp_path):
    command = serve.voila_command(8123, open_browser=False)
    assert command[:3] == [sys.executable, "-m", "carbonclap_methods.widgets.serve"]
    assert "--Voila.ip=127.0.0.1" in command and "--port=8123" in command
    assert "--template=carbonclap" in command and "--no-browser" in command
    env = serve.voila_env("~/x")
    assert env["JUPYTER_PATH"].split(":")[0] == str(serve.SHARE)
    assert env["CARBONCLAP_SAVE_DIR"] == str(Path("~/x").expanduser().resolve())
    monkeypatch.delenv("CARBONCLAP_SAVE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert serve.voila_env()["CARBONCLAP_SAVE_DIR"] == str(tmp_path.resolve() / "assessments")
    template = serve.SHARE / "voila" / "templates" / "carbonclap"
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    assert serve.NOTEBOOK.is_file()


def test_app_command_line(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.build_parser().parse_args(["app", "--help"])
    assert stop.value.code == 0
    assert "--no-browser" in capsys.readouterr().out
    assert cli.main(["app", "--port", "0"]) == 2
    assert "must be >= 1" in capsys.readouterr().err


def test_app_command_runs_voila(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(serve, "_run", lambda command, env: calls.append((command, env)) or 0)
    assert cli.main(["app", "--port", "8765", "--no-browser", "--save-dir", str(tmp_path)]) == 0
    command, env = calls[0]
    assert "--port=8765" in command and "--no-browser" in command
    assert env["CARBONCLAP_SAVE_DIR"] == str(tmp_path.resolve())


@pytest.mark.parametrize("name", ["guided_assessment", "scenario_explorer"])
def test_notebook_is_thin_and_clean(name):
    """The app's notebooks only call the package: no outputs, a parameters cell, no CDN."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert sum(len(c.source.splitlines()) for c in code[1:]) <= 6
    assert "cdn" not in json.dumps(notebook.dict()).lower()


# ---------------------------------------------------------------------------
# Uncertainty panel (Monte Carlo on request)

import math  # noqa: E402

from carbonclap_methods.errors import CarbonClapError  # noqa: E402
from carbonclap_methods.widgets import uncertainty_panel  # noqa: E402

TGV_UNCERTAINTY = 20.0    # % ("Incertitude" of the train_tgv_fr row, Base Carbone 43256)
Z_95, Z_975 = 1.6448536, 1.9599640     # 95th and 97.5th percentiles of N(0, 1)


def shown_interval(app: GuidedAssessment, lang: str = "fr") -> tuple[float, float, float]:
    """(p5, p50, p95) [kgCO2e] as the panel's sentence writes them."""
    text = said(app.uncertainty.figures)
    num = r"([\d\u202f.,]+)"
    median = re.search(rf"(?:Total médian|Median total) {num} kgCO2e", text).group(1)
    low, high = re.search(rf"90\u00a0%(?: interval)?\s?: {num} – {num} kgCO2e", text).groups()
    return as_float(low, lang), as_float(median, lang), as_float(high, lang)


def test_uncertainty_interval_of_one_line(app, edition):
    assert edition.table.at["train_tgv_fr", "uncertainty_pct"] == TGV_UNCERTAINTY
    typed(app, "guests.guest_train", "930")
    assert app.uncertainty.widget.layout.display is None          # shown, nothing run yet
    assert app.uncertainty.mc is None and "<svg" not in app.uncertainty.charts["tornado"].value
    app.uncertainty.button.click()
    assert app.last_problem is None
    p5, p50, p95 = shown_interval(app)
    # The factor: lognormal, median v, 95 % interval [v / 1.2, v * 1.2]; the quantity:
    # the guests' field is "computed" data, u = 15 % (dimensions.DATA_QUALITY). The
    # product is lognormal with sigma = sqrt(ln(1.2)^2 + ln(1.15)^2) / 1.96,
    # p95 / p50 = exp(1.645 sigma) = 1.2072; 5,000 draws and 3 shown digits: within 1.5 %.
    sigma = math.hypot(math.log(1 + TGV_UNCERTAINTY / 100), math.log(1.15)) / Z_975
    ratio = math.exp(Z_95 * sigma)
    assert p50 == pytest.approx(930 * TGV, rel=0.01)               # 2.7249
    assert p95 / p50 == pytest.approx(ratio, rel=0.015)
    assert p50 / p5 == pytest.approx(ratio, rel=0.015)
    assert "Calcul déterministe : 2,72 kgCO2e" in said(app.uncertainty.figures)
    assert "graine 2025" in said(app.uncertainty.note)
    assert "5\u202f000 tirages" in said(app.uncertainty.note)
    charts = {k: v.value for k, v in app.uncertainty.charts.items()}
    assert all(svg.startswith("<svg") for svg in charts.values())
    assert "Distribution du total" in charts["distribution"]
    assert "Transport" in charts["interval"] and "train_tgv_fr" in charts["tornado"]
    first = app.uncertainty.figures.value
    app.uncertainty.button.click()                                 # fixed seed: same figures
    assert app.uncertainty.figures.value == first


def test_uncertainty_goes_out_of_date(app):
    typed(app, "guests.guest_train", "930")
    app.uncertainty.button.click()
    assert app.uncertainty.current and app.uncertainty.results.layout.display is None
    app.production.title.value = "A title"                        # changes no line
    assert app.uncertainty.current and app.uncertainty.status.value == ""
    typed(app, "logistics_catering.meals", "5")
    assert not app.uncertainty.current
    assert app.uncertainty.results.layout.display == "none"       # old figures hidden
    assert "Le bilan a changé depuis l'estimation" in said(app.uncertainty.status)
    typed(app, "logistics_catering.meals", "0")                   # back to the estimated lines
    assert app.uncertainty.current and app.uncertainty.results.layout.display is None
    app.questionnaire.switches["guests"].value = False
    assert not app.uncertainty.current
    app.questionnaire.switches["guests"].value = True
    typed(app, "logistics_catering.meals", "5")
    app.uncertainty.button.click()                                # run again: current
    assert app.uncertainty.current and app.uncertainty.status.value == ""
    _, p50, _ = shown_interval(app)
    assert p50 == pytest.approx(930 * TGV + 5 * MEAL, rel=0.05)   # 12.9, meals spread widely


def test_uncertainty_of_nothing_or_of_bad_input(app, monkeypatch):
    app.uncertainty.button.click()                                 # blank assessment
    assert "Rien à estimer : remplissez au moins une quantité" in said(app.uncertainty.status)
    assert app.uncertainty.results.layout.display == "none" and app.last_problem is None
    row = typed(app, "guests.guest_train", "930")
    row.quantity.value = "12,5,1"                                  # refused: 930 is kept
    app.uncertainty.button.click()
    assert "1 champ(s) à corriger" in said(app.uncertainty.status)
    assert shown_interval(app)[1] == pytest.approx(930 * TGV, rel=0.01)

    def refused(*args, **kwargs):
        raise CarbonClapError("line x: no factor")
    monkeypatch.setattr(uncertainty_panel, "monte_carlo", refused)
    app.uncertainty.button.click()
    assert "Estimation impossible : line x: no factor" in said(app.uncertainty.status)
    assert app.uncertainty.mc is None and app.uncertainty.results.layout.display == "none"
    assert app.last_problem is None


def test_uncertainty_labels_follow_the_language(app):
    assert app.uncertainty.button.description == "Estimer l'incertitude"
    assert "Incertitude" in app.uncertainty.title.value
    typed(app, "guests.guest_train", "930")
    app.uncertainty.button.click()
    app.language.value = "en"
    assert app.uncertainty.button.description == "Estimate uncertainty"
    assert "Uncertainty" in app.uncertainty.title.value
    note = said(app.uncertainty.note)
    assert "seed 2025" in note and "5,000 draws" in note
    p5, p50, p95 = shown_interval(app, "en")
    assert "Median total 2.72 kgCO2e" in said(app.uncertainty.figures)
    assert p5 < p50 < p95
    assert "Distribution of the total" in app.uncertainty.charts["distribution"].value
    typed(app, "guests.guest_train", "100")
    assert "The assessment has changed since the estimate" in said(app.uncertainty.status)


def test_uncertainty_charts_drawn_by_the_worker(tmp_path, edition):
    async def scenario():
        app = GuidedAssessment("podcast", "en", edition=edition, save_folder=tmp_path,
                               chart_delay=0.05)
        typed(app, "guests.guest_train", "930")
        app.uncertainty.button.click()
        assert "Median total 2.72" in said(app.uncertainty.figures)    # figures at once
        charts = app.uncertainty.charts.values()
        for _ in range(200):
            if all(c.value.startswith("<svg") for c in charts):
                break
            await asyncio.sleep(0.05)
        return [c.value for c in charts], app.last_problem
    svgs, problem = asyncio.run(scenario())
    assert problem is None and all(svg.startswith("<svg") for svg in svgs)


# ---------------------------------------------------------------------------
# First screen, file name, draft, unsaved changes

from carbonclap_methods.widgets import draft as drafts  # noqa: E402


@pytest.fixture
def served_app(tmp_path, edition):
    """The app as `carbonclap app` serves it: first screen and autosaved draft."""
    return GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                            chart_delay=0, welcome=True, autosave=True)


def test_first_screen_starts_a_new_assessment(served_app):
    app = served_app
    assert app.welcome.widget.layout.display is None and app.work.layout.display == "none"
    assert app.welcome.draft_box.layout.display == "none"           # no draft yet
    assert len(app.welcome.example.options) >= 10
    app.welcome.type.value, app.welcome.stage.value = "documentary", "final"
    app.welcome.start.click()
    assert app.work.layout.display is None and app.welcome.widget.layout.display == "none"
    assert app.state.production["type"] == "documentary"
    assert app.state.production["stage"] == "final" and app.stage.value == "final"
    assert app.files.name.value == "documentary.yaml" and not app.unsaved


def test_file_name_follows_title_and_type_until_chosen(app):
    assert app.files.name.value == "podcast.yaml"
    app.production.title.value = "Épisode 12 : « Sons »"
    assert app.files.name.value == "podcast-episode-12-sons.yaml"
    app.type.value = "radio_show"
    assert app.files.name.value == "radio-show-episode-12-sons.yaml"
    app.files.name.value = "mine.yaml"
    app.production.title.value = "Autre"
    assert app.files.name.value == "mine.yaml"


def test_example_opens_from_the_first_screen_with_kg_on_its_rows(served_app):
    app = served_app
    app.welcome.example.label = "Podcast « Sons du réel », episode 12"
    app.welcome.open_example.click()
    assert app.work.layout.display is None
    row = app.questionnaire.row("guests_train")      # made after opening: shows its kgCO2e
    assert row.kg.value == f"{number(1860 * TGV, 'fr')} kgCO2e"
    assert app.files.name.value == "podcast-sons-du-reel-episode-12.yaml"


def test_draft_is_written_restored_and_discarded(served_app, tmp_path, edition):
    app = served_app
    app.welcome.start.click()
    typed(app, "guests.guest_train", "930")
    assert app.unsaved and "cc-unsaved" in app.dirty.value
    written = drafts.read_draft(tmp_path)
    assert written is not None and written.file_name == "podcast.yaml"
    # The next visit offers the draft; restoring it brings the line back.
    later = GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                             chart_delay=0, welcome=True, autosave=True)
    assert later.welcome.draft_box.layout.display is None
    assert "Podcast" in later.welcome.draft_text.value
    later.welcome.restore.click()
    assert later.result["total_kgco2e"] == pytest.approx(930 * TGV)
    assert later.unsaved and later.work.layout.display is None
    # Saving clears the unsaved mark and the draft (the work is in the file).
    assert later.save() == tmp_path / "podcast.yaml"
    assert not later.unsaved and later.dirty.value == "" and drafts.read_draft(tmp_path) is None
    typed(later, "guests.guest_train", "100")
    later.show_welcome()
    later.welcome.discard.click()
    assert drafts.read_draft(tmp_path) is None
    assert later.welcome.draft_box.layout.display == "none"


def test_unreadable_draft_is_not_offered_and_left_alone(tmp_path, edition):
    (tmp_path / drafts.DRAFT_NAME).write_text("format: carbonclap-draft/1\nassessment: [",
                                              encoding="utf-8")
    app = GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                           chart_delay=0, welcome=True, autosave=True)
    assert app.welcome.draft_box.layout.display == "none"
    assert (tmp_path / drafts.DRAFT_NAME).is_file()


def test_download_link_follows_the_language(app):
    typed(app, "guests.guest_train", "930")
    app.save()
    assert ">télécharger podcast.yaml</a>" in app.files.links.value
    app.set_lang("en")
    assert ">download podcast.yaml</a>" in app.files.links.value


def test_template_warns_before_leaving_with_unsaved_changes():
    page = (serve.SHARE / "voila" / "templates" / "carbonclap" / "index.html.j2").read_text()
    assert "beforeunload" in page and ".cc-unsaved" in page


# ---------------------------------------------------------------------------
# Forecast against final

def test_keep_forecast_then_see_the_final_against_it(app, tmp_path):
    typed(app, "guests.guest_train", "930")
    typed(app, "logistics_catering.meals", "5")
    app.compare.keep.click()
    assert app.stage.value == "final" and app.state.production["stage"] == "final"
    assert "Prévisionnel : « sans titre »" in said(app.compare.status)
    typed(app, "logistics_catering.meals", "8")                 # final: 3 meals more
    comparison = app.compare.comparison
    forecast, final = 930 * TGV + 5 * MEAL, 930 * TGV + 8 * MEAL
    assert comparison["total"]["forecast_kgco2e"] == pytest.approx(forecast)
    assert comparison["total"]["final_kgco2e"] == pytest.approx(final)
    assert comparison["by_category"]["food"]["change_kgco2e"] == pytest.approx(3 * MEAL)
    tables = app.compare.tables.value
    assert "Alimentation" in tables and "+6,12" in tables          # 3 x 2.04 kgCO2e
    assert "Repas (type inconnu)" in tables and "+60,0\u00a0%" in tables   # 8 / 5 - 1
    assert "<svg" in app.compare.chart.value and "Prévisionnel" in app.compare.chart.value
    app.set_lang("en")
    assert "Meals" in app.compare.tables.value and "+6.12" in app.compare.tables.value
    app.compare.clear.click()
    assert app.compare.forecast is None and app.compare.tables.value == ""


def test_load_a_forecast_file(app, tmp_path):
    forecast = ROOT / "examples" / "podcast_episode.yaml"
    assert app.load_forecast("podcast_episode.yaml", forecast.read_bytes())
    assert app.compare.comparison["total"]["final_kgco2e"] == 0
    assert not app.load_forecast("bad.yaml", b"format: nope\n")
    assert "Fichier refusé" in said(app.compare.status)
    assert app.compare.forecast is not None                      # the previous one stays


# ---------------------------------------------------------------------------
# Flight distance helper (offline airports)

import math as _math  # noqa: E402

from carbonclap_methods import distance  # noqa: E402


def _haversine_km(lat1, lon1, lat2, lon2, radius=6371.0088):
    """Great-circle distance written out here, independently of the module."""
    p1, p2 = _math.radians(lat1), _math.radians(lat2)
    dp, dl = p2 - p1, _math.radians(lon2 - lon1)
    h = _math.sin(dp / 2) ** 2 + _math.cos(p1) * _math.cos(p2) * _math.sin(dl / 2) ** 2
    return 2 * radius * _math.asin(_math.sqrt(h))


def test_distance_between_airports():
    cdg, mrs = distance.place("CDG"), distance.place("marseille")
    assert (cdg.town, mrs.code) == ("Paris", "MRS")
    expected = _haversine_km(cdg.lat, cdg.lon, mrs.lat, mrs.lon)
    assert distance.great_circle_km(cdg, mrs) == pytest.approx(expected)
    assert 600 < expected < 700                      # Paris-Marseille, about 650 km
    assert distance.flight_km(cdg, mrs) == pytest.approx(expected * 1.08)
    assert [distance.flight_band(km) for km in (499.9, 500, 1999, 2000, 5001)] == \
        ["lt500", "500_1000", "1000_2000", "2000_5000", "gt5000"]
    with pytest.raises(distance.UnknownPlace, match="Atlantis"):
        distance.place("Atlantis")


@pytest.mark.parametrize("typed_name, code", [
    ("London", "LHR"), ("Londres", "LHR"), ("New York", "JFK"),      # main airport, not the first
    ("Bordeaux", "BOD"), ("Toulouse", "TLS"), ("Lille", "LIL"),       # "Bordeaux/Merignac"
    ("Genève", "GVA"), ("Bruxelles", "BRU"), ("München", "MUC"), ("Ajaccio", "AJA"),
    ("Istanbul", "IST"), ("Montréal", "YUL"), ("saint-pétersbourg", "LED")])
def test_towns_by_their_french_names_and_main_airports(typed_name, code):
    assert distance.place(typed_name).code == code


def test_distance_helper_fills_the_plane_field(app):
    helper = app.distance
    assert helper.mode.value == "plane"
    assert helper.target.value == ("guests", "guest_flights", "passenger_km")
    helper.origin.value, helper.destination.value = "Paris", "Nice"
    helper.travellers.value, helper.round_trip.value = "2", True
    done = helper.compute()
    cdg, nce = distance.place("CDG"), distance.place("NCE")
    one_way = _haversine_km(cdg.lat, cdg.lon, nce.lat, nce.lon) * 1.08   # about 740 km
    assert done["band"] == "500_1000" and done["quantity"] == pytest.approx(one_way * 4)
    row = app.questionnaire.row("guests.guest_flights")
    assert row.factor.value.startswith("flight_500_1000_")
    factor = app.edition.table.at[row.factor.value, "value_kgco2e"]
    assert app.result["total_kgco2e"] == pytest.approx(round(one_way * 4, 1) * factor)
    assert "Nice (NCE, FR)" in said(helper.result)
    assert "Lieux retenus : Paris (CDG, FR) (aéroport) → Nice (NCE, FR) (aéroport)" in \
        said(helper.result)
    helper.destination.value = "Atlantis"
    assert helper.compute() is None
    assert said(helper.result).endswith("Lieu introuvable : aucun aéroport pour « Atlantis » : "
                                        "tapez une ville desservie par un aéroport ou un code "
                                        "IATA (CDG).</span>")


def test_distance_helper_by_train_between_stations(app):
    """Paris Gare de Lyon to Marseille Saint-Charles (SNCF positions), 2 travellers,
    return: great circle × 1.2 (Labos 1point5) × 2 legs × 2 travellers."""
    helper = app.distance
    helper.mode.value = "train"
    assert helper.target.value == ("guests", "guest_train", "passenger_km")
    factor_before = app.questionnaire.row("guests.guest_train").factor.value \
        if "guests.guest_train" in app.questionnaire.rows else None
    helper.origin.value, helper.destination.value = "Paris Gare de Lyon", "marseille st-charles"
    helper.travellers.value, helper.round_trip.value = "2", True
    done = helper.compute()
    one_way = _haversine_km(48.844888, 2.37352, 43.302666, 5.380407) * 1.2     # 790 km
    assert done["band"] is None and done["quantity"] == pytest.approx(one_way * 4)
    row = app.questionnaire.row("guests.guest_train")
    assert as_float(row.quantity.value) == pytest.approx(round(one_way * 4, 1))
    assert factor_before in (None, row.factor.value)               # the factor is kept
    text = said(helper.result)
    assert "Marseille Saint-Charles (MSC, FR) (gare)" in text and "× 1,2" in text


def test_distance_helper_by_car_counts_vehicles_and_names_the_other_matches(app):
    helper = app.distance
    helper.mode.value = "car"
    fields = [value for _, value in helper.target.options]
    assert ("guests", "guest_car", "km") in fields
    helper.target.value = ("guests", "guest_car", "km")
    assert said(helper.labels["travellers"]) == "Véhicules"       # a field in vehicle-km
    helper.origin.value, helper.destination.value = "Avignon", "Arles"
    helper.travellers.value, helper.round_trip.value = "1", False
    done = helper.compute()
    one_way = _haversine_km(43.94834, 4.80892, 43.67681, 4.63031) * 1.3   # GeoNames, 42.5 km
    assert done["quantity"] == pytest.approx(one_way)
    assert "véhicule(s)" in said(helper.result)
    helper.mode.value = "train"
    helper.origin.value, helper.destination.value = "Lyon", "Marseille"
    helper.compute()
    text = said(helper.result)
    assert "Lyon (FR) (ville)" in text and "« Lyon » désigne aussi : Lyon Part Dieu (LYD, FR)" \
        in text and "tapez-le tel qu'affiché (« Lyon Part Dieu (LYD, FR) »)" in text
    helper.origin.value = "Lyon Part Dieu (LYD, FR)"                 # as the hint says
    assert helper.compute()["places"][0].code == "LYD"
    helper.origin.value = "Xyzzyville"
    assert helper.compute() is None and "aucune ville, gare ou aéroport pour « Xyzzyville »" \
        in said(helper.result)
    helper.origin.value = "Lyon"
    app.language.value = "en"
    assert helper.mode.options[1] == ("Train", "train") and said(helper.labels["travellers"]) \
        == "Travellers"
    helper.compute()
    assert "'Lyon' also matches" in said(helper.result)


PLY, MSC, LYD = (48.844888, 2.37352), (43.302666, 5.380407), (45.760559, 4.859355)   # SNCF


def test_a_second_trip_fills_a_new_line_with_its_note_and_both_reload(app, tmp_path):
    """Two guests' train journeys for the same field: the second never replaces
    the first (it goes in a new line, as the field's « + » adds), each line
    notes its estimate, and the notes come back from the saved YAML."""
    helper = app.distance
    helper.mode.value = "train"
    helper.origin.value, helper.destination.value = "Paris Gare de Lyon", "Marseille Saint-Charles"
    helper.travellers.value, helper.round_trip.value = "2", True
    helper.compute()
    first_km = _haversine_km(*PLY, *MSC) * 1.2 * 2 * 2              # 658.3 × 1.2 × 4 = 3160 km
    helper.origin.value, helper.destination.value = "Lyon Part Dieu", "Marseille Saint-Charles"
    helper.travellers.value, helper.round_trip.value = "1", False
    done = helper.compute()
    second_km = _haversine_km(*LYD, *MSC) * 1.2                      # 276.4 × 1.2 = 331.7 km
    keys = app.state.keys_of("guests", "guest_train")
    assert len(keys) == 2
    lines = [app.state.lines[k].data for k in keys]
    assert [line["quantity"] for line in lines] == [pytest.approx(round(first_km, 1)),
                                                     pytest.approx(round(second_km, 1))]
    assert lines[0]["note"] == (
        "Estimation de l'outil distance : Paris Gare de Lyon (PLY, FR) → Marseille "
        "Saint-Charles (MSC, FR) : 658 km à vol d'oiseau × 1,2 (train, Labos 1point5) × "
        "2 trajet(s) × 2 voyageur(s) = 3\u202f160 passager·km remplis")   # the quantity filled
    assert lines[1]["note"] == done["note"] == (
        "Estimation de l'outil distance : Lyon Part Dieu (LYD, FR) → Marseille "
        "Saint-Charles (MSC, FR) : 276 km à vol d'oiseau × 1,2 (train, Labos 1point5) × "
        "1 trajet(s) × 1 voyageur(s) = 332 passager·km remplis")
    assert "Note de la ligne remplie : Estimation de l'outil distance : Lyon Part Dieu" in \
        said(helper.result)
    assert "Note : Estimation de l'outil distance : Lyon Part Dieu" in \
        said(app.questionnaire.rows[keys[1]].label)                # shown by the line too
    app.files.name.value = "trains.yaml"
    app.files.save.click()
    saved = yaml.safe_load((tmp_path / "trains.yaml").read_text(encoding="utf-8"))
    notes = [a.get("note") for a in saved["activities"] if a.get("field") == "guest_train"]
    assert notes == [lines[0]["note"], lines[1]["note"]]
    again = GuidedAssessment("podcast", "en", edition=app.edition, save_folder=tmp_path,
                             chart_delay=0)
    assert again.open_path(tmp_path / "trains.yaml")
    reloaded = [again.state.lines[k].data for k in again.state.keys_of("guests", "guest_train")]
    assert [line["note"] for line in reloaded] == notes
    assert [line["quantity"] for line in reloaded] == [pytest.approx(round(first_km, 1)),
                                                        pytest.approx(round(second_km, 1))]


def test_the_helper_fills_the_first_empty_line_never_a_filled_one(app):
    row = typed(app, "guests.guest_train", "120")                   # the user's own line
    app.questionnaire.add_line(row.key)                              # the field's « + »
    helper = app.distance
    helper.mode.value = "train"
    helper.origin.value, helper.destination.value = "Lyon Part Dieu", "Marseille Saint-Charles"
    helper.travellers.value, helper.round_trip.value = "1", False
    helper.compute()
    keys = app.state.keys_of("guests", "guest_train")
    assert len(keys) == 2                                            # the empty one was used
    assert app.state.lines[keys[0]].data["quantity"] == 120.0
    assert "note" not in app.state.lines[keys[0]].data
    assert app.state.lines[keys[1]].data["quantity"] == pytest.approx(
        round(_haversine_km(*LYD, *MSC) * 1.2, 1))
    assert as_float(app.questionnaire.rows[keys[0]].quantity.value) == 120.0


def test_the_helper_asks_for_a_check_abroad_and_far_in_both_languages(app):
    helper = app.distance
    helper.mode.value = "car"
    helper.target.value = ("guests", "guest_car", "km")
    helper.origin.value, helper.destination.value = "Paris", "Saint-Denis (RE)"
    helper.travellers.value, helper.round_trip.value = "1", False
    done = helper.compute()
    direct = _haversine_km(48.85341, 2.3488, -20.88231, 55.4504)     # GeoNames, 9,365 km
    assert done["quantity"] == pytest.approx(direct * 1.3)           # filled all the same
    text = said(helper.result)
    assert "À vérifier : " in text and "km à vol d'oiseau, plus de 2\u202f000 km, est peu " \
        "probable pour un trajet en voiture" in text.replace("\xa0", "\u202f")
    helper.destination.value = "Saint-Laurent"
    helper.compute()
    assert "À vérifier : « Saint-Laurent » n'est trouvé qu'à l'étranger (Saint-Laurent (CA))" \
        in said(helper.result)
    app.language.value = "en"
    helper.destination.value = "Saint-Denis (RE)"
    helper.compute()
    assert "Please check: " in said(helper.result) and "is unlikely for a production's trip " \
        "by car" in said(helper.result)
    helper.destination.value = "Saint-Paul"
    helper.compute()
    assert "only found abroad" not in said(helper.result)           # Réunion's, French
    assert "Places used: Paris (FR) (town) → Saint-Paul (RE) (town)" in said(helper.result)


def test_documents_to_collect_per_department(app, tmp_path):
    import csv
    app.questionnaire.switches["waste"].value = False           # a step the production lacks
    path = app.export_checklist()
    assert path == tmp_path / "podcast-documents.csv"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")                            # French Excel opens it as UTF-8
    rows = list(csv.reader(text[1:].splitlines(), delimiter=";"))
    assert rows[0] == ["Poste", "Donnée", "Unité", "Document à collecter", "Reçu"]
    template = app.state.template
    expected = sum(len(s.fields) for s in template.sections if s.id != "waste")
    assert len(rows) == 1 + expected
    train = next(r for r in rows if r[1] == "Invités sur place, train")
    assert train[0] == "Invités" and train[2] == "passager·km" and "billets" in train[3]
    assert not any(r[0] == template.section("waste").label("fr") for r in rows[1:])
    assert 'download="podcast-documents.csv"' in app.files.links.value
    app.set_lang("en")
    english = app.export_checklist().read_text(encoding="utf-8")
    assert english.startswith("Department,Figure,Unit,Document to collect,Received")


def test_dashboard_of_the_save_folder(served_app, tmp_path):
    """The portfolio engine's totals agree with the single-assessment engine's."""
    from carbonclap_methods.results import assess
    app = served_app
    assert "Aucun bilan enregistré" in app.show_dashboard()
    for name in ("podcast_episode.yaml", "documentary.yaml"):
        (tmp_path / name).write_bytes((ROOT / "examples" / name).read_bytes())
    (tmp_path / "broken.yaml").write_text("format: nope\n", encoding="utf-8")
    app.welcome.start.click()
    typed(app, "guests.guest_train", "930")                      # writes the draft: left out
    app.show_welcome()
    app.welcome.dashboard_button.click()
    shown = html.unescape(app.welcome.dashboard.value)
    podcast = assess(load_assessment(tmp_path / "podcast_episode.yaml"), app.edition)
    documentary = assess(load_assessment(tmp_path / "documentary.yaml"), app.edition)
    assert f"<td>{number(podcast['total_kgco2e'] / 1000, 'fr')}</td>" in shown
    assert f"<td>{number(documentary['total_kgco2e'] / 1000, 'fr')}</td>" in shown
    assert "Fichier ignoré" in shown and "broken.yaml" in shown
    assert "carbonclap-draft" not in shown
    assert "Prévisionnel et définitif" not in shown              # no production at both stages


def test_dashboard_sets_forecast_and_final_side_by_side(served_app, tmp_path):
    """A final copy of the podcast with its guests' train halved: -930 pkm x TGV."""
    app = served_app
    text = (ROOT / "examples" / "podcast_episode.yaml").read_text(encoding="utf-8")
    assert "stage: forecast" in text and "quantity: 1860" in text
    (tmp_path / "forecast.yaml").write_text(text, encoding="utf-8")
    final = text.replace("stage: forecast", "stage: final").replace("quantity: 1860", "quantity: 930")
    (tmp_path / "final.yaml").write_text(final, encoding="utf-8")
    shown = html.unescape(app.show_dashboard())
    pairs = shown[shown.index("Prévisionnel et définitif"):]
    forecast_kg = 28.8                     # the example's total (README, make demo), rounded
    change = -930 * TGV                    # -2.72 kgCO2e
    assert f"<td>{number(forecast_kg / 1000, 'fr')}</td>" in pairs
    percent_text = f"{100 * change / forecast_kg:.1f}".replace(".", ",").replace("-", "−")
    assert percent_text[:4] in pairs.replace("-", "−")
    assert "Transport" in shown and "Alimentation" in shown     # three largest categories


def test_benchmark_source_notes_in_french():
    from carbonclap_methods.widgets.summary import source_text
    source = "Rapport Carbon'Clap et Label Ecoprod 2024 (press release 5 March 2025)"
    assert source_text(source, "fr") == ("Rapport Carbon'Clap et Label Ecoprod 2024 "
                                         "(communiqué de presse du 5 mars 2025)")
    assert source_text(source, "en") == source
    assert "compilation secondaire" in source_text("X (via secondary compilation)", "fr")


# ---------------------------------------------------------------------------
# Scopes, BEGES items, GWP sets, biogenic CO2, contrails, data quality (issue 13)

FLIGHT_CONTRAILS = 0.225      # kgCO2e / passenger-km, 500-1000 km with contrails, Base Carbone 43743
FLIGHT_NO_CONTRAILS = 0.124   # the same without contrails, Base Carbone 43744
# Electricity FR 2024 (Base Carbone 43642): power plants 0.035 of 0.0519 kgCO2e/kWh, the
# rest (upstream 0.0131 + grid losses 0.0038) upstream of energy.
GRID_PLANTS = 0.035
DIESEL_B7_BIOGENIC = 0.155899  # kg CO2b / L, road diesel B7, Base Carbone 25775 (combustion post)


def filled(app) -> dict:
    """The one line of the result with a quantity."""
    [line] = [line for line in app.result["lines"] if line["quantity"]]
    return line


def table_rows(summary_html: str, css: str) -> dict[str, str]:
    """First cell -> second cell (kgCO2e as shown) of the table with class ``css``."""
    table = re.search(rf'<table class="cc-table {css}">(.*?)</table>', summary_html, re.S).group(1)
    cells = re.findall(r"<tr[^>]*><td[^>]*>([^<]*)</td><td>([^<]*)</td>", table)
    return {html.unescape(a): b for a, b in cells}


def test_results_by_scope_and_beges_item_with_labels(app):
    typed(app, "studio_recording.studio_electricity", "1000")     # 51.9 kgCO2e, scope 2
    typed(app, "guests.guest_train", "930")                        # 2.7249, scope 3.6, BEGES 3.4
    summary = app.results.summary.value
    scopes = table_rows(summary, "cc-scopes")
    # scope 2 holds the power plants' part (1000 x 0.035); the upstream 16.9 is scope 3.3
    assert scopes["Scope 2 : énergie achetée"] == "35"
    assert scopes["Scope 3 : autres émissions indirectes"] == "19,6"     # 2.7249 + 16.9
    assert scopes["3.3 Énergie (amont, hors scopes 1 et 2)"] == "16,9"
    assert scopes["3.6 Déplacements professionnels"] == "2,72"
    assert scopes["Scope 1 : émissions directes"] == "0"
    assert "biogénique" not in said(app.results.total)     # neither factor gives biogenic CO2
    beges = table_rows(summary, "cc-beges")
    # BEGES v5: electricity in 2.1 for the plants only, its upstream in 4.1
    assert beges["2.1 Consommation d'électricité"] == "35"
    assert beges["4.1 Achats de biens"] == "16,9"
    assert beges["3.4 Déplacements des visiteurs et des clients"] == "2,72"
    assert beges["3 Émissions indirectes associées au transport"] == "2,72"
    app.language.value = "en"
    beges = table_rows(app.results.summary.value, "cc-beges")
    assert beges["2.1 Electricity consumption"] == "35"
    assert beges["4 Indirect emissions from products bought"] == "16.9"
    scopes = table_rows(app.results.summary.value, "cc-scopes")
    assert scopes["Scope 3: other indirect emissions"] == "19.6"


def test_gwp_sets_listed_and_a_mix_flagged(app):
    typed(app, "studio_recording.studio_electricity", "1000")      # Base Carbone: AR5
    assert "PRG utilisés par les facteurs : AR5." in said(app.results.summary)
    assert "mélange" not in said(app.results.summary)
    typed(app, "studio_recording.studio_air_conditioning", "1")    # R410A row: AR6
    text = said(app.results.summary)
    assert "PRG utilisés par les facteurs : AR5, AR6." in text
    assert "Attention : le total mélange des PRG de rapports du GIEC différents (AR5, AR6)." in text
    assert re.search(r'<p class="cc-bad cc-gwp-mixed">Attention : le total mélange',
                     app.results.summary.value)


def test_biogenic_co2_beside_the_total_not_in_it(app):
    row = typed(app, "people_transport.vehicle_fuel", "100")      # 100 L road diesel B7
    assert row.factor.value == "diesel_road_fr_l"
    assert shown_total(app) == "310"                               # 100 x 3.1, no biogenic CO2
    total = said(app.results.total)
    assert "CO2 biogénique (hors total)\u00a0: 15,6 kgCO2" in total   # 100 x 0.155899
    app.language.value = "en"
    assert "Biogenic CO2 (outside the total): 15.6 kgCO2" in said(app.results.total)


def test_contrails_switch_in_the_form_and_both_totals(app, tmp_path):
    typed(app, "guests.guest_flights", "1000")
    assert shown_total(app) == "225"                               # 1000 x 0.225
    choices = table_rows(app.results.summary.value, "cc-choices")
    assert choices == {"Total avec traînées de condensation": "225",
                       "Total sans traînées de condensation": "124"}
    assert "Traînées de condensation des vols : incluses (recommandation ADEME)." in \
        said(app.results.summary)
    assert dict(app.production.contrails.options) == {
        "incluses (recommandation ADEME)": "include", "exclues": "exclude"}
    app.production.contrails.value = "exclude"
    assert shown_total(app) == "124"                               # 1000 x 0.124
    assert filled(app)["factor"] == "flight_500_1000_no_contrails_fr"
    assert table_rows(app.results.summary.value, "cc-choices")[
        "Total avec traînées de condensation"] == "225"
    app.files.name.value = "vols.yaml"
    app.files.save.click()
    data = yaml.safe_load((tmp_path / "vols.yaml").read_text(encoding="utf-8"))
    assert data["production"]["contrails"] == "exclude"
    assert data["activities"][0]["factor"] == "flight_500_1000_contrails_fr"   # as typed
    again = GuidedAssessment("podcast", "en", edition=app.edition, save_folder=tmp_path,
                             chart_delay=0)
    assert again.open_path(tmp_path / "vols.yaml")
    assert again.production.contrails.value == "exclude"
    assert dict(again.production.contrails.options)["excluded"] == "exclude"
    assert again.result["total_kgco2e"] == pytest.approx(1000 * FLIGHT_NO_CONTRAILS)


def test_data_quality_per_line_is_saved_and_opened(app, tmp_path):
    row = typed(app, "guests.guest_train", "930")
    # the field's default first (guest train: computed from plans), then the four levels
    assert [label for label, _ in row.quality.options] == [
        "Défaut", "Mesuré", "Calculé", "Estimé", "Proxy"]
    assert row.quality.value == ""
    assert "Ratio monétaire ou proxy ±50 %" in row.quality.tooltip
    assert "Défaut de ce champ : Calculé à partir des plans." in row.quality.tooltip
    assert filled(app)["data_quality"] == "computed"
    row.quality.value = "estimated"
    assert filled(app)["data_quality"] == "estimated"
    assert shown_total(app) == "2,72"                              # the total does not move
    app.files.name.value = "q.yaml"
    app.files.save.click()
    data = yaml.safe_load((tmp_path / "q.yaml").read_text(encoding="utf-8"))
    assert data["activities"][0]["data_quality"] == "estimated"
    again = GuidedAssessment("podcast", "en", edition=app.edition, save_folder=tmp_path,
                             chart_delay=0)
    assert again.open_path(tmp_path / "q.yaml")
    row_again = again.questionnaire.row("guests.guest_train")
    assert row_again.quality.value == "estimated"
    assert row_again.quality.label == "Estimated"
    row_again.quality.value = ""                                   # back to the default
    again.files.name.value = "q2.yaml"
    again.files.save.click()
    data = yaml.safe_load((tmp_path / "q2.yaml").read_text(encoding="utf-8"))
    assert "data_quality" not in data["activities"][0]


def test_data_quality_set_in_the_row_widens_the_interval(app):
    """The level set in the row reaches the Monte Carlo: "proxy" is u = 50 % on the
    quantity (dimensions.DATA_QUALITY), so the product of the two lognormals has
    sigma = sqrt(ln(1.2)^2 + ln(1.5)^2) / 1.96 and p95 / p50 = exp(1.645 sigma) = 1.3859."""
    row = typed(app, "guests.guest_train", "930")
    row.quality.value = "proxy"
    app.uncertainty.button.click()
    assert app.last_problem is None
    p5, p50, p95 = shown_interval(app)
    sigma = math.hypot(math.log(1 + TGV_UNCERTAINTY / 100), math.log(1.5)) / Z_975
    assert p95 / p50 == pytest.approx(math.exp(Z_95 * sigma), rel=0.015)
    assert p50 == pytest.approx(930 * TGV, rel=0.02)


# ---------------------------------------------------------------------------
# Reduction plan (issue 15): the panel's figures against savings worked out here
# from the factor values of the edition's CSV, read with the csv module.

def csv_factors(edition, *ids: str) -> list[float]:
    """Values of factor rows of the edition's factors.csv [kgCO2e per activity unit]."""
    import csv

    with open(ROOT / "factors" / edition.name / "factors.csv", encoding="utf-8") as handle:
        rows = {row["id"]: float(row["value"]) for row in csv.DictReader(handle)}
    return [rows[factor_id] for factor_id in ids]


def plan_app(app, nights: str = "10", meals: str = "100"):
    """The podcast with guests' hotel nights and meals, the plan panel open."""
    typed(app, "guests.guest_hotel_nights", nights)
    typed(app, "logistics_catering.meals", meals)
    app.plan.open()
    return app.plan


def shown_saving(panel, lever_id: str, lang: str = "fr") -> float:
    """The saving alone a lever's row shows (``−8,6 kgCO2e (−3,5 %)`` -> 8.6)."""
    text = said(panel.rows[lever_id].saving)
    return as_float(re.search(r"[−+]([\d\u202f.,]+) kgCO2e", text).group(1), lang)


def totals_shown(panel, lang: str = "fr") -> dict[str, float]:
    cells = re.findall(r"<td>([^<]*)</td><td>[−+]?([\d\u202f.,]+) kgCO2e", said(panel.totals))
    return {label: as_float(value, lang) for label, value in cells}


def test_plan_panel_lists_levers_with_their_saving_alone(app, edition):
    hotel, meal, vegetarian, call = csv_factors(edition, "hotel_night_fr", "meal_average_fr",
                                                "meal_vegetarian_fr",
                                                "video_call_fr_hour_impactco2")
    typed(app, "guests.guest_hotel_nights", "10")
    typed(app, "logistics_catering.meals", "100")
    assert app.plan.computed == 0 and app.plan.rows == {}         # closed: nothing computed
    app.plan.open()
    panel = app.plan
    shown = list(panel.list.children)
    assert {panel.rows[k].widget for k in ("vegetarian_meals", "fewer_hotel_nights",
                                           "remote_guests")} == set(shown)
    # share 0.5 of 100 meals vegetarian; 20 % of 10 nights avoided; the guests
    # remote: their 10 nights gone, 2 guests x 1 hour of video call added
    assert shown_saving(panel, "vegetarian_meals") == pytest.approx(
        0.5 * 100 * (meal - vegetarian), abs=0.05)                         # 76.5
    assert shown_saving(panel, "fewer_hotel_nights") == pytest.approx(0.2 * 10 * hotel,
                                                                      abs=0.005)  # 8.6
    assert shown_saving(panel, "remote_guests") == pytest.approx(10 * hotel - 2 * call,
                                                                 abs=0.05)  # 42.9
    # largest saving first, the percent of the total beside it
    assert shown[0] is panel.rows["vegetarian_meals"].widget
    assert "(−31,0\u00a0%)" in said(panel.rows["vegetarian_meals"].saving)  # 76.5 / 247
    assert totals_shown(panel) == {"Avant le plan": pytest.approx(10 * hotel + 100 * meal)}
    assert "Cochez des leviers" in said(panel.totals)
    assert "<svg" in panel.charts.value and app.last_problem is None
    # the panel follows the assessment
    typed(app, "logistics_catering.meals", "200")
    assert shown_saving(panel, "vegetarian_meals") == pytest.approx(
        0.5 * 200 * (meal - vegetarian))                                   # 153


def test_plan_ticks_parameters_and_totals(app, edition):
    hotel, meal, vegetarian, call = csv_factors(edition, "hotel_night_fr", "meal_average_fr",
                                                "meal_vegetarian_fr",
                                                "video_call_fr_hour_impactco2")
    panel = plan_app(app)
    before = 10 * hotel + 100 * meal                                        # 247
    panel.rows["vegetarian_meals"].tick.value = True
    panel.rows["fewer_hotel_nights"].tick.value = True
    after = before - 0.5 * 100 * (meal - vegetarian) - 0.2 * 10 * hotel     # 161.9
    totals = totals_shown(panel)
    assert totals["Avant le plan"] == pytest.approx(before)
    assert totals["Après le plan"] == pytest.approx(after, abs=0.5)         # shown as 162
    assert totals["Économie du plan"] == pytest.approx(before - after, abs=0.05)  # 85.1
    assert app.unsaved
    # a parameter out of its range: shown in red beside it, nothing else changes
    share = panel.rows["fewer_hotel_nights"].boxes["share"]       # a share, typed in percent
    assert share.value == "20"
    share.value = "150"
    message = said(panel.rows["fewer_hotel_nights"].message)
    assert 'class="cc-bad"' in message and "hors de l'intervalle permis, de 0 à 100" in message
    assert "(20)" in message and share.value == "150"
    assert totals_shown(panel)["Après le plan"] == pytest.approx(after, abs=0.5)
    assert app.state.extra["plan"]["parameters"]["fewer_hotel_nights.share"] == 0.2
    share.value = "50 %"                                                   # half the nights
    assert panel.rows["fewer_hotel_nights"].message.layout.display == "none"
    assert shown_saving(panel, "fewer_hotel_nights") == pytest.approx(0.5 * 10 * hotel)  # 21.5
    after = before - 0.5 * 100 * (meal - vegetarian) - 0.5 * 10 * hotel     # 148.5
    assert totals_shown(panel)["Après le plan"] == pytest.approx(after, abs=0.5)
    # overlapping levers: the guests remote first leave no night to avoid; the
    # combined saving is computed, not the sum of the savings alone
    panel.rows["vegetarian_meals"].tick.value = False
    panel.rows["fewer_hotel_nights"].tick.value = False
    panel.rows["remote_guests"].tick.value = True
    panel.rows["fewer_hotel_nights"].tick.value = True
    combined = 10 * hotel - 2 * call                                        # 42.9
    assert totals_shown(panel)["Économie du plan"] == pytest.approx(combined, abs=0.05)
    alone = combined + 0.5 * 10 * hotel                                     # 64.4
    assert f"additionneraient {number(alone, 'fr')} kgCO2e" in said(panel.totals)
    assert app.state.extra["plan"]["levers"] == ["remote_guests", "fewer_hotel_nights"]


def test_plan_is_saved_with_the_file_and_opened_back(app, tmp_path, edition):
    hotel, meal, vegetarian = csv_factors(edition, "hotel_night_fr", "meal_average_fr",
                                          "meal_vegetarian_fr")
    panel = plan_app(app)
    panel.rows["fewer_hotel_nights"].tick.value = True
    panel.rows["vegetarian_meals"].tick.value = True
    panel.rows["vegetarian_meals"].boxes["share"].value = "80"
    path = app.save()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["plan"] == {"levers": ["fewer_hotel_nights", "vegetarian_meals"],
                            "parameters": {"fewer_hotel_nights.share": 0.2,
                                           "vegetarian_meals.share": 0.8}}
    # the command line reads the same plan from the file
    assert cli.main(["plan", str(path), "--format", "json", "--output",
                     str(tmp_path / "plan.json")]) in (0, None)
    doc = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    after = 10 * hotel + 100 * meal - 0.2 * 10 * hotel - 0.8 * 100 * (meal - vegetarian)
    assert doc["plan_kgco2e"] == pytest.approx(after)                       # 124.64
    # opened in a new app (in English): ticks, values and totals come back
    other = GuidedAssessment("podcast", "en", edition=edition, save_folder=tmp_path,
                             chart_delay=0, assessment=path)
    other.plan.open()
    rows = other.plan.rows
    assert rows["vegetarian_meals"].tick.value and rows["fewer_hotel_nights"].tick.value
    assert not rows["remote_guests"].tick.value
    assert rows["vegetarian_meals"].boxes["share"].value == "80"
    assert totals_shown(other.plan, "en")["After the plan"] == pytest.approx(after, abs=0.5)
    assert "Order of application: Fewer hotel nights" in said(other.plan.totals)
    # unticking everything removes the block
    rows["vegetarian_meals"].tick.value = rows["fewer_hotel_nights"].tick.value = False
    assert "plan" not in other.state.to_data()


def test_plan_travels_in_the_draft(served_app, tmp_path, edition):
    app = served_app
    app.welcome.start.click()
    panel = plan_app(app)
    panel.rows["vegetarian_meals"].tick.value = True
    later = GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                             chart_delay=0, welcome=True, autosave=True)
    later.welcome.restore.click()
    assert later.state.extra["plan"]["levers"] == ["vegetarian_meals"]
    later.plan.open()
    assert later.plan.rows["vegetarian_meals"].tick.value
    assert "Après le plan" in said(later.plan.totals)


def test_plan_labels_and_numbers_follow_the_language(app, edition):
    meal, vegetarian = csv_factors(edition, "meal_average_fr", "meal_vegetarian_fr")
    panel = plan_app(app, nights="0", meals="2000")
    saving = 0.5 * 2000 * (meal - vegetarian)                               # 1530
    pct = 100 * saving / (2000 * meal)                                      # 37.5
    row = panel.rows["vegetarian_meals"]
    assert re.sub("<[^>]+>", "", said(row.saving)) == "−1\u202f530 kgCO2e (−37,5\u00a0%)"
    assert row.boxes["share"].value == "50"
    app.language.value = "en"
    assert panel.widget.titles == ("Reduction plan",)
    assert re.sub("<[^>]+>", "", said(row.saving)) == \
        f"−{number(saving, 'en')} kgCO2e (−{pct:.1f}\u00a0%)"             # −1,530 (−37.5 %)
    assert row.boxes["share"].value == "50"
    assert "Share of the meals" in said(row.names["share"])
    assert "Before the plan" in said(panel.totals) and "Total before" in panel.charts.value
    row.boxes["share"].value = "200"
    assert "outside the allowed range, from 0 to 100" in said(row.message)


def test_plan_shares_are_typed_and_shown_in_percent(app, edition):
    """levers.yaml keeps a share as a fraction (0.12); the panel and its report
    write it in percent, the reader's way (issue 16)."""
    (hotel,) = csv_factors(edition, "hotel_night_fr")
    panel = plan_app(app, nights="10", meals="0")
    row = panel.rows["fewer_hotel_nights"]
    assert row.boxes["share"].value == "20"                   # the default, 0.2
    assert re.sub("<[^>]+>", "", said(row.ranges["share"])) == "% (de 0 à 100)"
    row.tick.value = True
    row.boxes["share"].value = "12,5"                         # 12.5 % of the 10 nights avoided
    saving = 0.125 * 10 * hotel                               # 1.25 nights
    assert shown_saving(panel, "fewer_hotel_nights") == pytest.approx(saving, rel=5e-3)
    assert app.state.extra["plan"]["parameters"]["fewer_hotel_nights.share"] == 0.125
    report = html.unescape(panel.report_html())
    assert "Part des nuits évitées 12,5\u00a0%" in report
    app.language.value = "en"
    assert row.boxes["share"].value == "12.5"
    assert re.sub("<[^>]+>", "", said(row.ranges["share"])) == "% (from 0 to 100)"
    assert "Share of nights avoided 12.5\u00a0%" in html.unescape(panel.report_html())
    row.boxes["share"].value = "30 %"                         # a typed % sign is read too
    assert app.state.extra["plan"]["parameters"]["fewer_hotel_nights.share"] == pytest.approx(0.3)
    assert said(row.message) == ""
    app.language.value = "fr"
    row.boxes["share"].value = "0,3"                          # a fraction typed as files hold it
    assert app.state.extra["plan"]["parameters"]["fewer_hotel_nights.share"] == \
        pytest.approx(0.003)                                  # taken as typed: 0.3 %...
    assert "vouliez-vous dire 30\u00a0%\u00a0?" in html.unescape(said(row.message))  # ...with a word
    row.boxes["share"].value = "25"
    assert said(row.message) == ""


def test_plan_with_nothing_filled_says_so(app):
    app.plan.open()
    assert "Aucun levier ne s'applique" in said(app.plan.status)
    assert app.plan.list.children == () and app.plan.totals.value == ""


def test_plan_waits_for_a_pause_in_typing(tmp_path, edition):
    (meal,) = csv_factors(edition, "meal_average_fr")

    async def scenario():
        app = GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                               chart_delay=0.05)
        app.plan.open()
        opened = app.plan.computed
        row = app.questionnaire.row("logistics_catering.meals")
        for text in ("1", "10", "100"):
            row.quantity.value = text
        assert app.plan.computed == opened                  # not on each keystroke
        for _ in range(100):
            await asyncio.sleep(0.05)
            if "<svg" in app.plan.charts.value:
                break
        assert app.plan.computed == opened + 1               # once, after the pause
        assert totals_shown(app.plan)["Avant le plan"] == pytest.approx(100 * meal)
        assert "<svg" in app.plan.charts.value and app.last_problem is None
        app.plan.rows["vegetarian_meals"].tick.value = True    # a click: at once
        assert app.plan.computed == opened + 2
        assert app.state.extra["plan"]["parameters"] == {"vegetarian_meals.share": 0.5}
        share = app.plan.rows["vegetarian_meals"].boxes["share"]
        for text in ("8", "80"):                             # a share typed in percent
            share.value = text
        assert app.plan.computed == opened + 2
        for _ in range(100):
            await asyncio.sleep(0.05)
            if app.plan.computed > opened + 2:
                break
        assert app.plan.computed == opened + 3                # once, after the pause
        assert app.state.extra["plan"]["parameters"] == {"vegetarian_meals.share": 0.8}
    asyncio.run(scenario())


def test_green_electricity_shows_its_market_based_saving(app, edition):
    (grid,) = csv_factors(edition, "electricity_fr_2024")
    typed(app, "studio_recording.studio_electricity", "100")
    app.plan.open()
    row = app.plan.rows["green_electricity"]
    text = re.sub("<[^>]+>", "", said(row.saving))
    # location-based total unchanged; market-based: 100 kWh x (grid - supplier's 0.01)
    assert text.startswith("0 kgCO2e ; « market-based » : ")
    assert text.endswith(f"−{number(100 * (grid - 0.01), 'fr')} kgCO2e")            # 4.19
    row.tick.value = True
    totals = totals_shown(app.plan)
    assert totals["Après le plan"] == totals["Avant le plan"] == pytest.approx(100 * grid,
                                                                            abs=0.005)
    assert f"économie du plan −{number(100 * (grid - 0.01), 'fr')} kgCO2e" in said(app.plan.totals)


def test_forecast_kept_with_its_plan_is_compared_with_the_plan_applied(app, edition):
    meal, vegetarian = csv_factors(edition, "meal_average_fr", "meal_vegetarian_fr")
    panel = plan_app(app, nights="0", meals="100")
    panel.rows["vegetarian_meals"].tick.value = True
    app.compare.keep.click()                       # the forecast carries its plan
    typed(app, "logistics_catering.meals", "80")
    planned = 100 * meal - 0.5 * 100 * (meal - vegetarian)                 # 127.5
    now = 80 * meal                                                         # 163.2
    change = f"{100 * (now / planned - 1):.1f}".replace(".", ",")            # 28,0
    assert ("Prévisionnel avec son plan de réduction (Une part de repas végétariens) : "
            f"{number(planned, 'fr')} kgCO2e ; bilan en cours : {number(now, 'fr')} kgCO2e "
            f"(+{change}\u00a0%)") in said(app.compare.planned)
    app.compare.clear.click()
    assert app.compare.planned.value == ""


def test_a_ticked_lever_that_no_longer_applies_is_said_and_left_out(app, edition):
    (meal,) = csv_factors(edition, "meal_average_fr")
    panel = plan_app(app, nights="10", meals="100")
    panel.rows["fewer_hotel_nights"].tick.value = True
    typed(app, "guests.guest_hotel_nights", "0")                # no night left to avoid
    assert "Moins de nuits d'hôtel" in said(panel.status) and "hors du plan" in said(panel.status)
    assert panel.rows["fewer_hotel_nights"].widget not in panel.list.children
    assert totals_shown(panel) == {"Avant le plan": pytest.approx(100 * meal)}
    typed(app, "guests.guest_hotel_nights", "10")               # back: still ticked
    assert panel.rows["fewer_hotel_nights"].tick.value and "Après le plan" in said(panel.totals)
    assert panel.status.value == ""


def test_a_file_with_a_bad_plan_opens_and_says_so(app, tmp_path):
    text = ("format: carbonclap-assessment/1\nproduction: {type: podcast}\nactivities:\n"
            "  - {section: logistics_catering, field: meals, factor: meal_average_fr, "
            "quantity: 10, unit: meal, phase: production}\nplan:\n  levers: [teleportation]\n")
    assert app.open_file("planned.yaml", text.encode())
    app.plan.open()
    assert "Plan du fichier ignoré : unknown lever 'teleportation'" in said(app.plan.status)
    assert not any(row.tick.value for row in app.plan.rows.values())
    assert app.state.to_data()["plan"] == {"levers": ["teleportation"]}   # kept as it was


def test_printable_report_carries_the_plan(app, tmp_path, edition):
    hotel, meal, vegetarian = csv_factors(edition, "hotel_night_fr", "meal_average_fr",
                                          "meal_vegetarian_fr")
    typed(app, "guests.guest_hotel_nights", "10")
    typed(app, "logistics_catering.meals", "100")
    app.files.name.value = "ep.yaml"
    app.export_report()
    assert "Plan de réduction" not in (tmp_path / "ep-rapport.html").read_text(encoding="utf-8")
    app.plan.open()
    app.plan.rows["vegetarian_meals"].tick.value = True
    app.plan.rows["vegetarian_meals"].boxes["share"].value = "80"          # percent
    saved = app.save()
    # opened again, panel left folded: the report still computes and shows the plan
    other = GuidedAssessment("podcast", "fr", edition=edition, save_folder=tmp_path,
                             chart_delay=0, assessment=saved)
    other.files.name.value = "ep.yaml"
    other.export_report()
    text = html.unescape((tmp_path / "ep-rapport.html").read_text(encoding="utf-8"))
    saving = 0.8 * 100 * (meal - vegetarian)                                # 122.4
    before = 10 * hotel + 100 * meal                                        # 247
    assert "<h4>Plan de réduction</h4>" in text
    assert (f"<td>Une part de repas végétariens</td><td>Part des repas 80\u00a0%</td>"
            f"<td>−{number(saving, 'fr')} kgCO2e (−{number(100 * saving / before, 'fr')}") in text
    assert f"<td>Après le plan</td><td>{number(before - saving, 'fr')} kgCO2e</td>" in text


def test_uncertainty_of_the_plan_saving(app, edition):
    import csv
    import math

    from carbonclap_methods.widgets.uncertainty_panel import ITERATIONS, SEED

    with open(ROOT / "factors" / edition.name / "factors.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == "hotel_night_fr")
    hotel, u = float(row["value"]), float(row["uncertainty_pct"]) / 100      # 4.3, 0.5
    panel = plan_app(app, nights="10", meals="0")
    assert panel.mc_box.layout.display == "none"                  # nothing ticked yet
    panel.rows["fewer_hotel_nights"].tick.value = True
    panel.mc_button.click()
    # saving = 20 % of 10 nights x the hotel factor, lognormal (median its value,
    # 95 % interval value / (1 + u) to value x (1 + u)): quantiles by hand
    sigma = math.log(1 + u) / 1.959964
    median = 0.2 * 10 * hotel                                              # 8.6
    text = said(panel.mc_text)
    p50 = re.search(r"médiane ([\d,]+) kgCO2e", text).group(1)
    p5, p95 = re.search(r"([\d,]+) – ([\d,]+) kgCO2e", text).groups()
    assert as_float(p50) == pytest.approx(median, rel=0.02)
    assert as_float(p5) == pytest.approx(median * math.exp(-1.644854 * sigma), rel=0.03)  # 5.78
    assert as_float(p95) == pytest.approx(median * math.exp(1.644854 * sigma), rel=0.03)  # 12.8
    assert f"graine {SEED}" in text and f"{number(ITERATIONS, 'fr')} tirages" in text
    share = panel.rows["fewer_hotel_nights"].boxes["share"]
    share.value = "50"
    share.value = "20"                                            # its default again: no change
    assert "médiane" in said(panel.mc_text)
    typed(app, "guests.guest_hotel_nights", "12")                 # out of date
    assert "a changé depuis l'estimation" in said(panel.mc_text)


def test_every_questionnaire_unit_has_a_label_in_both_languages():
    """A unit a form row can offer is shown by its label, never its id (money
    units are written from their parts)."""
    from carbonclap_methods.templates import get_template, list_templates
    from carbonclap_methods.widgets.text import UNITS
    units = {field.unit for t in list_templates() for section in get_template(t.type).sections
             for field in section.fields}
    money = {u for u in units if "EUR" in u}
    assert {"kit_day", "passenger_km"} <= units
    assert sorted(units - money - set(UNITS)) == []


def test_an_uploaded_file_error_is_placed_at_its_name(edition):
    """The temporary copy never shows: the error's place (as data) is the file's name."""
    from carbonclap_methods.errors import UnknownFactor
    from carbonclap_methods.widgets.storage import read_upload

    content = (b"format: carbonclap-assessment/1\nproduction: {type: podcast}\n"
               b"activities:\n- {factor: nope, quantity: 1, unit: kWh, phase: production}\n")
    with pytest.raises(UnknownFactor) as info:
        read_upload("unknown.yaml", content, edition)
    where = info.value.location
    assert (where.file, where.line, where.field) == ("unknown.yaml", 4, "activities[0]")
    assert str(info.value).startswith("unknown.yaml, line 4, activities[0]: unknown factor id 'nope'")
