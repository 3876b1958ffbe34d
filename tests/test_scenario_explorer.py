"""The audio scenario sets (scenario_set.py, edits.py) and their explorer
(``carbonclap app scenarios``), driven without a browser.

Figures are computed here by hand from the example files and the factors'
published values (constants of test_studio.py, with their sources), never read
back from the code under test; a saved set is run through the study and must
give the explorer's figures.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
import re
from pathlib import Path

import pytest
import yaml

from carbonclap_methods import edits, studies
from carbonclap_methods.assessment import load_assessment
from carbonclap_methods.errors import InvalidScenario
from carbonclap_methods.factors import load_edition
from carbonclap_methods.scenario_set import (load_scenario_set, scenario_figures,
                                             save_scenario_set)
from carbonclap_methods.study_audio_scenarios import (audio_scenarios_charts,
                                                      audio_scenarios_document)
from carbonclap_methods.widgets.scenario_explorer import ScenarioExplorer
from conftest import run_cli
from test_studio import (CALL, ELEC_DE, ELEC_FR, MEAL, MEAL_VEG, METRO, R410A, TGV, WORKSTATION,
                         small_parts)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SPECIALISED_SERVICES = 110.0    # spend_services_specialised_fr_2023, per k EUR 2023 (Base Carbone 43315)


def example_line(name: str, line_id: str) -> dict:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return next(line for line in data["activities"] if line.get("id") == line_id)


@pytest.fixture(scope="module")
def edition():
    return load_edition("2026.3")     # the studio model's building factor is in 2026.3


@pytest.fixture
def explorer(tmp_path, edition):
    return ScenarioExplorer("en", edition=edition, example="podcast_episode", save_folder=tmp_path)


def totals(figures: dict) -> dict[str, float]:
    return {name: r["total_kgco2e"] for name, r in figures["scenarios"].items()}


# ---------------------------------------------------------------------------
# The edits, by hand

def test_edits_of_an_assessment_by_hand(edition):
    podcast = load_assessment(EXAMPLES / "podcast_episode.yaml")
    train = example_line("podcast_episode.yaml", "guests_train")["quantity"]
    metro = example_line("podcast_episode.yaml", "guests_metro")["quantity"]
    meals = example_line("podcast_episode.yaml", "lunch")["quantity"]
    from carbonclap_methods.results import assess

    base = assess(podcast, edition)["total_kgco2e"]

    def change(edited):
        return assess(edited, edition)["total_kgco2e"] - base

    # one of the two guests remote: half of their travel, plus one guest's 2 h of call
    assert change(edits.guests_remote(podcast, 1, 2, of=2)) == pytest.approx(
        -0.5 * (train * TGV + metro * METRO) + 2 * (CALL + WORKSTATION))
    # 40 % of the average meals vegetarian
    assert change(edits.vegetarian_meals(podcast, 0.4)) == pytest.approx(
        -0.4 * meals * (MEAL - MEAL_VEG))
    # the guests' long trips twice as long; local transport unchanged
    assert change(edits.guests_scaled(podcast, 2, edits.GUEST_TRIP_FIELDS)) == pytest.approx(
        train * TGV)
    # the train trips by car, each guest driving alone (average car, Base Carbone: 0.256 / km)
    assert change(edits.guests_travel_by(podcast, "car", 465)) == pytest.approx(
        train * (0.256 - TGV))
    with pytest.raises(InvalidScenario, match="guests_remote: 3 is not between 0 and the 2 guests"):
        edits.guests_remote(podcast, 3, 1, of=2)
    # the original is left as it was
    assert assess(podcast, edition)["total_kgco2e"] == base


# ---------------------------------------------------------------------------
# The explorer, driven as a person would

def test_explorer_starts_with_the_study_scenarios_of_the_example(explorer):
    podcast = explorer.figures["scenarios"]
    hours = 6                                          # audio_productions.yaml: studio_hours
    studio_kwh = example_line("podcast_episode.yaml", "studio_session")["quantity"]
    studio_ac = example_line("podcast_episode.yaml", "studio_air_conditioning")["quantity"]
    example = explorer.figures["example_kgco2e"]
    studio_part = sum(small_parts()[c] for c in ("equipment_electricity", "idle_loads",
                                                 "building_electricity", "heating", "refrigerant",
                                                 "embodied_equipment", "building_embodied"))
    assert podcast["baseline"]["total_kgco2e"] == pytest.approx(
        example - studio_kwh * ELEC_FR - studio_ac * (0.05 + 0.85 / 10) * R410A + hours * studio_part)
    # the podcast is already recorded in a small studio, its guests already by train
    table = explorer.results.value
    for name in ("studio_small", "guests_train"):
        row = re.search(rf"<tr data-scenario='{name}'>(.*?)</tr>", table).group(1)
        assert row.count("= baseline") == 2, row
    assert "<svg" in explorer.chart.value and "Large studio" in explorer.chart.value


def test_explorer_settings_give_hand_computed_savings(explorer):
    train = example_line("podcast_episode.yaml", "guests_train")["quantity"]
    metro = example_line("podcast_episode.yaml", "guests_metro")["quantity"]
    meals = example_line("podcast_episode.yaml", "lunch")["quantity"]
    name = explorer.add_scenario("Half veggie, one guest remote")
    assert explorer.scenario.value == name
    explorer.controls["vegetarian_share"].value = 50
    explorer.controls["guests_on_site"].value = 1        # of the two guests, one on site...
    explorer.controls["guests_remote"].value = 1         # ...and one remote, 2 h of call
    saving = (0.5 * meals * (MEAL - MEAL_VEG) + 0.5 * (train * TGV + metro * METRO)
              - 1 * 2 * (CALL + WORKSTATION))
    result = explorer.figures["scenarios"][name]
    assert -result["change_kgco2e"] == pytest.approx(saving)
    row = re.search(rf"<tr data-scenario='{name}'>(.*?)</tr>", explorer.results.value).group(1)
    assert f"<td>{saving:.3g}</td>" in row                   # the saving, 3 significant digits
    # another scenario: the guests' one-way trip 930 km instead of 465 (their train km doubled)
    longer = explorer.add_scenario("Guests from farther")
    explorer.controls["vegetarian_share"].value = 0
    explorer.controls["guests_on_site"].value = 2
    explorer.controls["guests_remote"].value = 0
    explorer.controls["travel_km"].value = "930"
    assert explorer.figures["scenarios"][longer]["change_kgco2e"] == pytest.approx(train * TGV)
    # the grid of the baseline: every scenario's electricity moves, the saving stays a difference
    explorer.scenario.value = "baseline"
    before = explorer.figures["scenarios"]["baseline"]["by_category"]["electricity"]
    explorer.controls["grid"].value = "DE"
    assert explorer.figures["scenarios"]["baseline"]["by_category"]["electricity"] == pytest.approx(
        before * ELEC_DE / ELEC_FR)
    explorer.remove_scenario(longer)
    assert longer not in explorer.figures["scenarios"]


def test_explorer_refuses_what_it_cannot_do(explorer):
    assert explorer.add_scenario("Baseline") is None
    assert "Invalid or taken scenario name" in explorer.status.value
    assert explorer.save_set("../out.yaml") is None
    assert "Invalid file name" in explorer.status.value
    film = (EXAMPLES / "feature_film.yaml")
    if film.is_file():
        explorer.open_file("film.yaml", film.read_bytes())
        assert "made for podcasts" in explorer.status.value
        assert explorer.set.assessment == "podcast_episode"      # nothing changed


def test_french_labels(tmp_path, edition):
    french = ScenarioExplorer("fr", edition=edition, example="audio_advertising", save_folder=tmp_path)
    assert "Explorateur de scénarios audio" in french.heading.value
    assert "= référence" in french.results.value
    assert french.controls["guests_on_site"].description == "Invités sur place"
    assert re.search(r"<td>\d+,\d+</td>", french.results.value)     # decimal commas
    assert french.controls["guest_hours"].value == "3"                 # audio_productions.yaml
    french.controls["equipment_lifetime_scale"].value = "1,5"            # typed the French way
    assert french.set.baseline["equipment_lifetime_scale"] == 1.5
    assert french.controls["equipment_lifetime_scale"].value == "1,5"
    before = french.set
    french.controls["travel_km"].value = "loin"
    assert "cc-bad" in french.status.value and french.set == before     # nothing changed
    french.controls["equipment_lifetime_scale"].value = "0"              # must be > 0
    assert "hors des limites" in french.status.value and french.set == before
    assert french.controls["equipment_lifetime_scale"].value == "1,5"    # the last valid value


# ---------------------------------------------------------------------------
# Saved from the explorer, reproduced by the study

def test_saved_set_is_reproduced_by_the_study(explorer, edition, tmp_path):
    name = explorer.add_scenario("Remote and veggie")
    explorer.controls["guests_remote"].value = 2
    explorer.controls["guests_on_site"].value = 0
    explorer.controls["vegetarian_share"].value = 100
    explorer.scenario.value = "baseline"
    explorer.controls["equipment_lifetime_scale"].value = "1.5"
    shown = totals(explorer.figures)
    path = explorer.save_set("my set.yaml")
    assert path == tmp_path / "my set.yaml" and "study run audio_scenarios" in explorer.status.value
    document = audio_scenarios_document(edition, scenarios=path)
    assert list(document["productions"]) == ["podcast_episode"]
    reproduced = document["productions"]["podcast_episode"]
    assert totals(reproduced) == shown                       # figure for figure
    assert reproduced["scenarios"][name]["label_en"] == "Remote and veggie"
    assert load_scenario_set(path).baseline["equipment_lifetime_scale"] == 1.5


def test_opened_file_is_saved_beside_the_set(tmp_path, edition):
    explorer = ScenarioExplorer("en", edition=edition, save_folder=tmp_path)
    content = (EXAMPLES / "radio_show.yaml").read_bytes()
    explorer.upload.value = ({"name": "morning.yaml", "type": "", "size": len(content),
                              "content": memoryview(content),
                              "last_modified": datetime.now(timezone.utc)},)   # the button
    assert explorer.set.assessment == "morning.yaml" and "morning.yaml" in explorer.source_note.value
    shown = totals(explorer.figures)
    path = explorer.save_set("radio.yaml")
    assert (tmp_path / "radio-assessment.yaml").read_bytes() == content
    assert yaml.safe_load(path.read_text())["assessment"] == "radio-assessment.yaml"
    figures = scenario_figures(load_scenario_set(path), edition)
    assert totals(figures) == pytest.approx(shown, rel=1e-12)


def test_study_run_reproduces_a_saved_set(explorer, tmp_path):
    """The command line: ``study run audio_scenarios -p scenarios FILE`` (papermill)."""
    name = explorer.add_scenario("Plane from Nice")
    explorer.controls["travel_mode"].value = "plane"
    explorer.controls["travel_km"].value = "930"
    shown = totals(explorer.figures)
    path = explorer.save_set("nice.yaml")
    out = tmp_path / "out"
    result = run_cli("study", "run", "audio_scenarios", "-p", "scenarios", str(path),
                     "--output", str(out))
    assert result.returncode == 0, result.stderr
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert totals(document["productions"]["podcast_episode"]) == pytest.approx(shown, rel=1e-12)
    assert document["parameters"]["scenarios"] == str(path)
    assert name in document["scenarios"]


# ---------------------------------------------------------------------------
# Bad scenario files: exit 2, one line naming the file and the key

BAD = [
    ("format: carbonclap-scenario-set/1\nassessment: podcast_episode\nbaseline: {studio_size: huge}\n",
     "baseline.studio_size: 'huge' is not one of small, medium, large"),
    ("format: carbonclap-scenario-set/1\nassessment: podcast_episode\n"
     "scenarios: {x: {colour: blue}}\n", "scenarios.x.colour: unknown setting"),
    ("format: carbonclap-scenario-set/1\nassessment: podcast_episode\n"
     "scenarios: {x: {guests_remote: 5}}\n", "scenarios.x.guests_remote: 5 is more than the 2 guests"),
    ("format: carbonclap-scenario-set/1\nassessment: no_such_example\n",
     "assessment: 'no_such_example' is neither an example"),
    ("format: carbonclap-scenario-set/1\nassessment: podcast_episode\n"
     "scenarios: {x: {vegetarian_share: 2}}\n", "scenarios.x.vegetarian_share: 2 is outside [0, 1]"),
    ("format: other\n", "format: must be 'carbonclap-scenario-set/1'"),
    ("assessment: [\n", "invalid YAML"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_scenario_files_are_refused(tmp_path, text, message):
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidScenario, match=re.escape(message)):
        load_scenario_set(path)
    with pytest.raises(studies.InvalidParameter) as caught:
        studies.check_parameters("audio_scenarios", [("scenarios", str(path))])
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_bad_scenario_file_on_the_command_line(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(BAD[0][0], encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("study", "run", "audio_scenarios", "-p", "scenarios", str(path),
                     "--output", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "baseline.studio_size" in lines[0]
    assert "Traceback" not in result.stderr and not out.exists()


def test_save_is_atomic_and_round_trips(tmp_path, edition):
    path = tmp_path / "set.yaml"
    path.write_text("keep me", encoding="utf-8")
    explorer = ScenarioExplorer("en", edition=edition, save_folder=tmp_path)
    chosen = explorer.set
    save_scenario_set(chosen, path)
    again = load_scenario_set(path)
    assert again.baseline == chosen.baseline and again.scenarios == chosen.scenarios
    assert [p.name for p in tmp_path.iterdir()] == ["set.yaml"]      # no temporary file left


# ---------------------------------------------------------------------------
# The study's additions (issue 14): example -> baseline, levers on the largest parts, labels

def test_study_explains_its_baseline_and_adds_levers(edition):
    document = audio_scenarios_document(edition)
    podcast = document["productions"]["podcast_episode"]
    steps = {row["step"]: row["kgco2e"] for row in podcast["reconciliation"]}
    studio_kwh = example_line("podcast_episode.yaml", "studio_session")["quantity"]
    studio_ac = example_line("podcast_episode.yaml", "studio_air_conditioning")["quantity"]
    studio_part = sum(small_parts()[c] for c in ("equipment_electricity", "idle_loads",
                                                 "building_electricity", "heating", "refrigerant",
                                                 "embodied_equipment", "building_embodied"))
    assert steps["studio_removed"] == pytest.approx(
        -studio_kwh * ELEC_FR - studio_ac * (0.05 + 0.85 / 10) * R410A)
    assert steps["studio_model"] == pytest.approx(6 * studio_part)
    assert steps["other"] == pytest.approx(0, abs=1e-9)      # French example on the French grid
    assert steps["example"] + steps["studio_removed"] + steps["studio_model"] + steps["other"] \
        == pytest.approx(steps["baseline"])
    # the example as written is make demo's figure (carbonclap compute, default edition)
    computed = json.loads(run_cli("compute", str(EXAMPLES / "podcast_episode.yaml"), "--format",
                                  "json", "--edition", "2026.3").stdout)
    assert steps["example"] == pytest.approx(computed["total_kgco2e"], rel=1e-12)
    # the largest line of the audio ad is a spend line (casting), and a lever acts on it
    advert = document["productions"]["audio_advertising"]
    casting = example_line("audio_advertising.yaml", "casting")
    assert advert["largest_lines"][0]["id"] == "casting" and advert["largest_lines"][0]["spend"]
    levers = {r["id"]: r["saving_kgco2e"] for r in podcast["levers"]}
    artwork = example_line("podcast_episode.yaml", "cover_artwork")["quantity"]
    assert levers["fewer_paid_services"] == pytest.approx(0.25 * artwork * SPECIALISED_SERVICES)
    assert casting["factor"] == "spend_employment_services_fr_2023"
    # scenarios equal to their baseline are labelled, not drawn as empty bars
    assert podcast["scenarios"]["studio_small"]["same_as_baseline"]
    assert not podcast["scenarios"]["lifetime_longer"]["same_as_baseline"]
    charts = audio_scenarios_charts(document)
    from carbonclap_methods.charts import to_svg

    # the podcast and the ad: recorded in a small studio, no guest flies (small studio and
    # guests by train equal their baselines); the radio show: a medium studio, one guest flies
    assert to_svg(charts["changes_en"]).count(">= baseline</text>") == 4
    assert to_svg(charts["changes_fr"]).count(">= référence</text>") == 4


def test_language_switch_keeps_the_set(explorer):
    name = explorer.add_scenario("Kept")
    explorer.controls["vegetarian_share"].value = 25
    explorer.language.value = "fr"
    assert "Explorateur" in explorer.heading.value and explorer.scenario.value == name
    assert explorer.controls["vegetarian_share"].value == 25
    assert "Référence" in explorer.results.value and "Kept" in explorer.results.value


def test_savings_chart_labels_scenarios_equal_to_the_baseline(explorer):
    savings = explorer.saving_frame().set_index("scenario")
    assert list(savings.loc[["Small studio", "Guests by train"], "note"]) == ["= baseline"] * 2
    # bars under 1 % of the largest change (guests by plane, 532 kg) say their saving: the
    # other grid, longer lifetimes, and guests remote (5.24 kg, 0.98 %)
    small = savings.loc[["Guests remote", "Other electricity mix", "Equipment kept longer"],
                        "saving_kgco2e"]
    assert (small.abs() < 0.01 * savings["saving_kgco2e"].abs().max()).all()
    assert list(savings.loc[small.index, "note"]) == [f"{v:.3g}" for v in small]
    assert (savings.drop(["Small studio", "Guests by train", *small.index])["note"] == "").all()
    assert explorer.chart.value.count("<svg") == 2
    assert explorer.chart.value.count(">= baseline</text>") == 2


def test_app_scenarios_serves_the_explorer_notebook(monkeypatch, tmp_path, capsys):
    from carbonclap_methods import cli
    from carbonclap_methods.widgets import serve

    calls = []
    monkeypatch.setattr(serve, "_run", lambda command, env: calls.append((command, env)) or 0)
    assert cli.main(["app", "scenarios", "--port", "8765", "--no-browser",
                     "--save-dir", str(tmp_path)]) == 0
    command, env = calls[0]
    assert str(serve.APPS["scenarios"]) in command and "--port=8765" in command
    assert serve.APPS["scenarios"].name == "scenario_explorer.ipynb"
    assert env["CARBONCLAP_SAVE_DIR"] == str(tmp_path.resolve())
    assert cli.main(["app", "nonsense"]) == 2
    assert "invalid choice" in capsys.readouterr().err
