"""The study runner and the study notebooks, run with papermill into temporary folders.

Every expected number is computed here by hand from typed source figures or
from the input files (examples, studio data), never read back from the code
under test; the properties the issue asks for are checked on the output
files: the electricity part changes by exactly the ratio of the two
countries' grid factors, doubling utilisation halves what is shared over the
year, and a factor change makes the strict nbval check fail and show the
difference.
"""

import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from conftest import run_cli, unseal
from carbonclap_methods import studies, studio, study_studio_hour
from carbonclap_methods.cli import main
from carbonclap_methods.factors import load_edition
from carbonclap_methods.studies import InvalidParameter, Parameter
from test_studio import (CALL, ELEC_DE, ELEC_EU27, ELEC_FR, FLIGHT_LT500, GAS_EU, GAS_LHV, MEAL, METRO,
                         R410A, STORAGE_EU27, STORAGE_FR, TGV, WORKSTATION, small_parts)

ROOT = Path(__file__).resolve().parent.parent
STUDIES = ROOT / "studies"
EXAMPLES = ROOT / "examples"
SANITIZE = STUDIES / "nbval_sanitize.cfg"
NAMES = ["audio_scenarios", "genre_benchmarks", "sector_report", "studio_hour"]


def cli(*args, cwd=None):
    """The command as a user runs it (its entry point, in this process)."""
    return run_cli(*args, cwd=cwd)


def example_line(name: str, line_id: str) -> dict:
    """One activity line of an example assessment (an input of the studies)."""
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return next(line for line in data["activities"] if line.get("id") == line_id)


def read(folder: Path) -> tuple[dict, pd.DataFrame]:
    return (json.loads((folder / "results.json").read_text(encoding="utf-8")),
            pd.read_csv(folder / "results.csv"))


# ---------------------------------------------------------------------------
# The notebooks and their parameters

def test_every_study_is_found():
    assert studies.study_names() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_declares_every_parameter_with_type_and_help(name):
    notebook = nbformat.read(STUDIES / f"{name}.ipynb", as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assignments = [line for line in tagged[0].source.splitlines() if line.strip() and not line.startswith("#")]
    params = studies.parameters(name)
    assert len(params) == len(assignments)     # papermill skips a line it cannot parse
    for line, (key, param) in zip(assignments, params.items()):
        assert re.match(rf"{key}: (str|int|float|bool) = .+  # .+", line), line
        assert param.type in ("str", "int", "float", "bool") and len(param.help) > 10
        ast.literal_eval(line.split("=", 1)[1].split("  #")[0].strip())   # a literal: nothing derived
    assert "output_dir" in params and "edition" in params


@pytest.mark.parametrize("name", NAMES)
def test_help_notebook_documents_the_parameters(name):
    proc = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook",
                           str(STUDIES / f"{name}.ipynb")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for key in studies.parameters(name):
        assert f"  {key}: " in proc.stdout


def test_committed_studies_hold_outputs_without_random_html():
    for name in NAMES:
        notebook = nbformat.read(STUDIES / f"{name}.ipynb", as_version=4)
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert outputs, name
        for output in outputs:
            data = output.get("data", {})
            assert "application/vnd.vegalite.v6+json" not in data
            assert "altair" not in data.get("text/html", "") and "vega" not in data.get("text/html", "")
            assert output.get("output_type") != "error"


@pytest.mark.parametrize("param, text, value", [
    (Parameter("n", "int", 2, "h"), "3", 3), (Parameter("n", "int", 2, "h"), "-1", -1),
    (Parameter("x", "float", 1.0, "h"), "3200", 3200.0), (Parameter("x", "float", 1.0, "h"), "1.5e3", 1500.0),
    (Parameter("b", "bool", False, "h"), "yes", True), (Parameter("b", "bool", True, "h"), "False", False),
    (Parameter("s", "str", "", "h"), "DE", "DE")])
def test_convert(param, text, value):
    converted = studies.convert(param, text)
    assert converted == value and type(converted) is type(value)


@pytest.mark.parametrize("param, text", [
    (Parameter("n", "int", 2, "h"), "2.5"), (Parameter("n", "int", 2, "h"), "two"),
    (Parameter("x", "float", 1.0, "h"), "abc"), (Parameter("x", "float", 1.0, "h"), "nan"),
    (Parameter("x", "float", 1.0, "h"), "inf"), (Parameter("b", "bool", True, "h"), "maybe")])
def test_convert_refuses_the_wrong_type(param, text):
    with pytest.raises(InvalidParameter, match=f"'{param.name}' expects {param.type}"):
        studies.convert(param, text)


def test_check_parameters_completes_defaults_and_types_values():
    values = studies.check_parameters("studio_hour", [("country", "DE"), ("guests_on_site", "3"),
                                                      ("utilisation_hours_per_year", "800")])
    assert values["country"] == "DE" and values["guests_on_site"] == 3
    assert values["utilisation_hours_per_year"] == 800.0
    assert values["studio_size"] == "medium" and values["edition"] == "2026.3"
    assert "output_dir" not in values
    assert studies.check_parameters("studio_hour", {"guest_travel_km": 100})["guest_travel_km"] == 100.0


@pytest.mark.parametrize("name, values, message", [
    ("studio_hour", [("guest_count", "2")], "unknown parameter 'guest_count'"),
    ("studio_hour", [("output_dir", "/tmp")], "set by --output"),
    ("studio_hour", [("guests_on_site", "2.5")], "'guests_on_site' expects int"),
    ("studio_hour", {"guests_on_site": True}, "'guests_on_site' expects int"),
    ("studio_hour", [("utilisation_hours_per_year", "lots")], "expects float"),
    ("studio_hour", [("studio_size", "huge")], "studio_size: 'huge' is not one of small, medium, large"),
    ("studio_hour", [("country", "XX")], "country: 'XX'"),
    ("studio_hour", [("guest_travel_mode", "rocket")], "guest_travel_mode"),
    ("studio_hour", [("staff_travel_mode", "rocket")], "staff_travel_mode"),
    ("studio_hour", [("staff_commute_km", "-5")], "staff_commute_km"),
    ("studio_hour", [("utilisation_hours_per_year", "0")], "utilisation_hours_per_year"),
    ("studio_hour", [("edition", "1999.1")], "unknown factor edition '1999.1'"),
    ("studio_hour", [("uncertainty_iterations", "-1")], "uncertainty_iterations: -1"),
    ("studio_hour", [("uncertainty_iterations", "1.5")], "'uncertainty_iterations' expects int"),
    ("studio_hour", [("seed", "-3")], "seed: -3"),
    ("audio_scenarios", [("alternative_grid", "Mars")], "alternative_grid: 'Mars'"),
    ("audio_scenarios", [("equipment_lifetime_scale", "0")], "equipment_lifetime_scale"),
    ("genre_benchmarks", [("examples_dir", "/no/such/folder")], "examples_dir"),
])
def test_bad_parameters_are_refused_with_the_valid_ones(name, values, message):
    with pytest.raises(InvalidParameter, match=re.escape(message)) as info:
        studies.check_parameters(name, values)
    assert "valid parameters: " in str(info.value) and "edition (str)" in str(info.value)
    assert "output_dir" not in str(info.value).split("valid parameters: ")[1]


def test_unknown_study():
    with pytest.raises(studies.UnknownStudy, match="studies: audio_scenarios, genre_benchmarks, sector_report, studio_hour"):
        studies.parameters("studio_hours")


# ---------------------------------------------------------------------------
# The command line

def test_cli_study_list(capsys):
    assert main(["study", "list"]) == 0
    text = capsys.readouterr().out
    for name in NAMES:
        assert f"{name}: " in text
    assert "-p utilisation_hours_per_year (float, default 1600.0)" in text
    proc = cli("study", "list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [s["name"] for s in doc["studies"]] == NAMES
    assert "output_dir" not in {p["name"] for s in doc["studies"] for p in s["parameters"]}


@pytest.mark.parametrize("args, message", [
    (["-p", "guest_count", "2"], "unknown parameter 'guest_count'"),
    (["-p", "guests_on_site", "two"], "'guests_on_site' expects int, got 'two'"),
    (["-p", "utilisation_hours_per_year", "1,600"], "expects float"),
    (["-p", "country", "France"], "country: 'France'"),
])
def test_cli_refuses_before_running(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["study", "run", "studio_hour", *args, "--output", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "valid parameters: studio_size (str), country (str)" in lines[0]
    assert not out.exists()                       # nothing ran, nothing written


def test_cli_refuses_in_a_subprocess_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", "study", "run",
                           "studio_hour", "-p", "guests_on_site", "2.5", "--output",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: study studio_hour: parameter 'guests_on_site' expects int")
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_cli_unknown_study_and_missing_value(capsys):
    assert main(["study", "run", "studio_hours"]) == 2
    assert "unknown study 'studio_hours'" in capsys.readouterr().err
    assert main(["study", "run", "studio_hour", "-p", "country"]) == 2
    assert "expected 2 arguments" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# studio_hour, run with papermill

@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio_hour_default")
    assert main(["study", "run", "studio_hour", "--output", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def germany_run(tmp_path_factory):
    return studies.run("studio_hour", [("country", "DE")], tmp_path_factory.mktemp("studio_hour_de"))


@pytest.fixture(scope="module")
def busy_run(tmp_path_factory):
    return studies.run("studio_hour", {"utilisation_hours_per_year": 3200.0},
                       tmp_path_factory.mktemp("studio_hour_busy"))


def test_studio_hour_writes_its_files(default_run):
    charts = [f"{c}_{lang}.{ext}" for c in ("by_category", "sensitivity", "uncertainty_distribution",
                                            "uncertainty_interval", "uncertainty_tornado",
                                            "uncertainty_assumptions")
              for lang in ("fr", "en") for ext in ("png", "svg")]
    assert sorted(p.name for p in default_run.iterdir()) == sorted(
        ["results.json", "results.csv", "studio_hour.ipynb", *charts])
    for name in charts:
        data = (default_run / name).read_bytes()
        assert data.startswith(b"\x89PNG") if name.endswith(".png") else b"<svg" in data[:200]
    assert "Guest travel mode" in (default_run / "sensitivity_en.svg").read_text(encoding="utf-8")
    assert "Mode de transport des invités" in (default_run / "sensitivity_fr.svg").read_text(encoding="utf-8")
    assert "Distribution du total" in (default_run / "uncertainty_distribution_fr.svg").read_text(encoding="utf-8")
    assert "meal_average_fr" in (default_run / "uncertainty_tornado_en.svg").read_text(encoding="utf-8")
    # chart titles name the size and the country
    assert "Medium studio, France" in (default_run / "sensitivity_en.svg").read_text(encoding="utf-8")
    assert "Studio moyen, France" in (default_run / "sensitivity_fr.svg").read_text(encoding="utf-8")
    assert "France" in (default_run / "by_category_en.svg").read_text(encoding="utf-8")
    assert "symlog" not in (default_run / "sensitivity_en.svg").read_text(encoding="utf-8")


def test_study_run_prints_the_headline_figures(default_run, capsys, monkeypatch):
    doc, _ = read(default_run)
    assert doc["headlines"][0].startswith(
        f"Medium studio, France: {studies.number(doc['kgco2e_per_studio_hour'])} kgCO2e per studio hour")
    assert studies.headlines(default_run) == doc["headlines"]
    # the command prints them before the files it wrote
    monkeypatch.setattr(studies, "run", lambda *args, **kwargs: default_run)
    assert main(["study", "run", "studio_hour"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:len(doc["headlines"])] == doc["headlines"]
    assert out[len(doc["headlines"])].startswith("studio_hour: written to ")


def test_studio_hour_results_by_hand(default_run):
    doc, table = read(default_run)
    assert doc["study"] == "studio_hour" and doc["edition"] == "2026.3"
    assert re.fullmatch(r"[0-9a-f]{64}", doc["edition_sha256"])
    assert doc["parameters"] == {k: v for k, v in studies.check_parameters("studio_hour").items()}
    assert doc["kgco2e_per_studio_hour"] == pytest.approx(sum(doc["by_category"].values()))
    # the medium studio's shared parts by hand: 50 m2, 2 split units, 2 staff
    components = doc["by_component"]
    assert components["heating"] == pytest.approx(50 * 177 / 1600 * GAS_LHV)
    assert components["building_electricity"] == pytest.approx(50 * 121 / 1600 * ELEC_FR)
    assert components["refrigerant"] == pytest.approx(2 * (0.05 + 0.085) / 1600 * R410A)
    assert components["guest_travel"] == pytest.approx(2 * 930 / 8 * TGV)
    assert components["meals"] == pytest.approx((2 + 2) * MEAL / 8)
    # the small studio of every size's comparison, entirely by hand
    assert doc["by_size"]["small"]["kgco2e_per_studio_hour"] == pytest.approx(sum(small_parts().values()))
    assert doc["by_size"]["medium"]["kgco2e_per_studio_hour"] == pytest.approx(doc["kgco2e_per_studio_hour"])
    # two scopes: the studio itself, and the studio with its people (the whole)
    scopes = doc["by_scope"]
    assert scopes["studio_with_people"] == pytest.approx(doc["kgco2e_per_studio_hour"])
    assert scopes["studio_itself"] + doc["by_part"]["session"] == pytest.approx(doc["kgco2e_per_studio_hour"])
    assert components["building_embodied"] == pytest.approx(50 / (50 * 1600) * 650)  # Base Carbone 24302
    assert doc["idle_hours_per_year"] == 8760 - 1600
    # the edition's studio-hour factor is the study's figure for the studio itself (factors.csv
    # read here, not through the package)
    edition_rows = pd.read_csv(ROOT / "factors" / doc["edition"] / "factors.csv").set_index("id")
    for size, values in doc["by_size"].items():
        assert edition_rows.loc[f"studio_hour_{size}_fr", "value"] == pytest.approx(
            values["by_scope"]["studio_itself"], rel=1e-5)
    # results.csv: every line of every size
    assert set(table["studio_size"]) == {"small", "medium", "large"}
    for size, rows in table.groupby("studio_size"):
        assert rows["kgco2e_per_studio_hour"].sum() == pytest.approx(
            doc["by_size"][size]["kgco2e_per_studio_hour"])
    top = [row for row in doc["sensitivity"] if row["rank"] == 1]
    assert [row["assumption"] for row in top] == ["guest_travel_mode"]
    assert top[0]["change_kgco2e"] == pytest.approx(2 * 930 / 8 * (FLIGHT_LT500 - TGV))


def _uncertainty_by_hand(doc: dict) -> tuple[float, float]:
    """Mean and standard deviation of the studio hour under the lognormal
    convention, from the lines of results.json and the uncertainty_pct column
    of the edition's factors.csv (read here, not through the package)."""
    table = pd.read_csv(ROOT / "factors" / doc["edition"] / "factors.csv").set_index("id")
    by_factor = pd.DataFrame(doc["lines"]).groupby("factor")["kgco2e_per_studio_hour"].sum()
    mean = var = 0.0
    for factor, kg in by_factor.items():
        s2 = (math.log1p(table.loc[factor, "uncertainty_pct"] / 100) / 1.959964) ** 2
        mean += kg * math.exp(s2 / 2)
        var += kg ** 2 * math.expm1(s2) * math.exp(s2)
    return mean, math.sqrt(var)


def test_studio_hour_uncertainty_block(default_run):
    edition = load_edition("2026.3")
    doc, _ = read(default_run)
    block = doc["uncertainty"]
    stats = block["kgco2e_per_studio_hour"]
    value = doc["kgco2e_per_studio_hour"]
    assert (block["iterations"], block["seed"]) == (5000, 2025)
    assert block["deterministic_kgco2e_per_studio_hour"] == pytest.approx(value)
    assert stats["p5"] < stats["p50"] < stats["p95"]
    assert stats["p50"] == pytest.approx(value, rel=0.03)          # factor values are medians
    # the factors alone follow the lognormal algebra, by hand
    factors_only = study_studio_hour.studio_hour_monte_carlo(studio.Scenario(), edition, 5000, 2025,
                                                             assumptions=False)
    mean, sd = _uncertainty_by_hand(doc)
    assert factors_only.totals.mean() == pytest.approx(mean, abs=4 * sd / math.sqrt(5000))
    assert factors_only.totals.std() == pytest.approx(sd, rel=0.05)
    # the assumptions' ranges widen the interval: the spread is well beyond the factors' alone
    assert stats["std"] > 2 * sd
    split = block["variance_split"]
    assert split["assumptions_share"] + split["factors_share"] + split["interaction_share"] == \
        pytest.approx(1)
    assert split["assumptions_share"] > split["factors_share"]
    ends = block["assumptions"]
    assert ends[0]["assumption"] == "utilisation_hours_per_year"
    assert (ends[0]["low"], ends[0]["high"]) == (800, 2400)
    assert set(block["by_category"]) == {c for c, v in doc["by_category"].items() if v}
    for category, interval in block["by_category"].items():
        assert interval["p5"] <= doc["by_category"][category] * 1.001
        assert interval["p95"] >= doc["by_category"][category] * 0.999
    # the average meal (50 %) dominates; the total with it at the ends of its 95 % interval
    meals = doc["by_component"]["meals"]
    top = block["contributions"][0]
    assert top["factor"] == "meal_average_fr" and top["uncertainty_pct"] == 50
    assert (top["low_kgco2e"], top["high_kgco2e"]) == (pytest.approx(value - meals / 3),
                                                       pytest.approx(value + meals / 2))
    assert len(block["contributions"]) == 10
    assert sum(c["share"] for c in block["contributions"]) <= 1 + 1e-12
    # the same seed gives the same figures, in another process
    scenario = studio.Scenario()
    mc = study_studio_hour.studio_hour_monte_carlo(scenario, edition, 5000, 2025)
    again = study_studio_hour.studio_hour_document(scenario, edition, {}, mc)["uncertainty"]
    assert json.loads(json.dumps(again)) == block


def test_studio_hour_without_uncertainty(tmp_path):
    folder = studies.run("studio_hour", [("uncertainty_iterations", "0"), ("studio_size", "small")],
                         tmp_path / "out")
    doc, _ = read(folder)
    assert "uncertainty" not in doc and doc["parameters"]["uncertainty_iterations"] == 0
    assert not list(folder.glob("uncertainty_*"))
    assert (folder / "sensitivity_en.png").is_file()


def test_electricity_changes_by_the_ratio_of_the_two_grids(default_run, germany_run):
    fr, _ = read(default_run)
    de, de_table = read(germany_run)
    assert de["parameters"]["country"] == "DE"
    ratio = {"electricity": ELEC_DE / ELEC_FR, "heating": GAS_EU / GAS_LHV,
             "digital": STORAGE_EU27 / STORAGE_FR}      # grid, heating gas, storage of the country
    for category, value in fr["by_category"].items():
        assert de["by_category"][category] == pytest.approx(value * ratio.get(category, 1), rel=1e-12)
    assert set(de_table.loc[de_table["category"] == "electricity", "factor"]) == {"electricity_de_2024_em"}
    executed = nbformat.read(germany_run / "studio_hour.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'country = "DE"' in injected[0].source


def test_doubling_utilisation_halves_the_embodied_part(default_run, busy_run):
    base, _ = read(default_run)
    busy, _ = read(busy_run)
    for category in ("technical_equipment", "air_conditioning", "heating", "buildings"):
        assert busy["by_category"][category] == pytest.approx(base["by_category"][category] / 2, rel=1e-12)
    for category in ("transport", "food", "digital"):
        assert busy["by_category"][category] == pytest.approx(base["by_category"][category], rel=1e-12)


# ---------------------------------------------------------------------------
# audio_scenarios and genre_benchmarks, run with papermill

@pytest.fixture(scope="module")
def audio_run(tmp_path_factory):
    return studies.run("audio_scenarios", None, tmp_path_factory.mktemp("audio"))


@pytest.fixture(scope="module")
def genre_run(tmp_path_factory):
    return studies.run("genre_benchmarks", None, tmp_path_factory.mktemp("genre"))


def test_audio_scenarios_by_hand(audio_run):
    doc, table = read(audio_run)
    productions = yaml.safe_load((STUDIES / "data" / "audio_productions.yaml").read_text())["productions"]
    assert set(doc["productions"]) == {"podcast_episode", "radio_show", "audio_advertising"}
    assert len(table) == 3 * 8
    podcast = doc["productions"]["podcast_episode"]["scenarios"]
    base = podcast["baseline"]
    train = example_line("podcast_episode.yaml", "guests_train")["quantity"]          # passenger-km
    guests_metro = example_line("podcast_episode.yaml", "guests_metro")["quantity"]   # passenger-km
    studio_kwh = example_line("podcast_episode.yaml", "studio_session")["quantity"]
    studio_ac = example_line("podcast_episode.yaml", "studio_air_conditioning")["quantity"]  # unit-years
    hours = productions["podcast_episode"]["studio_hours"]["value"]
    # the baseline swaps the example's studio lines (electricity; air-conditioning, an R410A split
    # unit-year with its end-of-life loss = 1 kg x (5 % + 85 % / 10 years) x GWP) for the small
    # studio's part, by hand
    studio_part = sum(small_parts()[c] for c in ("equipment_electricity", "idle_loads",
                                                 "building_electricity", "heating", "refrigerant",
                                                 "embodied_equipment", "building_embodied"))
    example_total = doc["productions"]["podcast_episode"]["example_kgco2e"]
    assert base["total_kgco2e"] == pytest.approx(
        example_total - studio_kwh * ELEC_FR - studio_ac * 1 * (0.05 + 0.85 / 10) * R410A
        + hours * studio_part)
    assert podcast["guests_plane"]["change_kgco2e"] == pytest.approx(train * (FLIGHT_LT500 - TGV))
    guests = productions["podcast_episode"]["guests_on_site"]["value"]
    guest_hours = productions["podcast_episode"]["guest_hours"]["value"]
    assert podcast["guests_remote"]["change_kgco2e"] == pytest.approx(
        -train * TGV - guests_metro * METRO + guests * guest_hours * (CALL + WORKSTATION))
    assert podcast["lifetime_longer"]["change_kgco2e"] == pytest.approx(
        -hours * small_parts()["embodied_equipment"] / 2)
    assert podcast["studio_small"]["change_kgco2e"] == pytest.approx(0, abs=1e-12)
    for name, production in doc["productions"].items():
        scenarios = production["scenarios"]
        assert scenarios["grid_alternative"]["by_category"]["electricity"] == pytest.approx(
            scenarios["baseline"]["by_category"]["electricity"] * ELEC_EU27 / ELEC_FR, rel=1e-12), name
        assert scenarios["baseline"]["change_pct"] == 0
    assert {p.name for p in audio_run.glob("*.png")} == {
        f"{c}_{lang}.png" for c in ("scenarios", "changes") for lang in ("fr", "en")}


def test_genre_benchmarks_against_typed_published_figures(genre_run):
    doc, table = read(genre_run)
    assert len(table) == len(list(EXAMPLES.glob("*.yaml")))
    rows = {p["type"]: p for p in doc["productions"]}
    documentary = rows["documentary"]
    budget = yaml.safe_load((EXAMPLES / "documentary.yaml").read_text())["production"]["budget_eur"]
    total = documentary["total_kgco2e"]
    # Ecoprod 2024: documentaries 11 tCO2e on average for about 200 k EUR (secondary compilation)
    assert documentary["comparisons"]["per_production"]["ratio"] == pytest.approx(total / 11_000)
    assert documentary["comparisons"]["per_keur"]["published_kgco2e_per_keur"] == pytest.approx(11_000 / 200)
    assert documentary["comparisons"]["per_keur"]["ratio"] == pytest.approx(
        total / (budget / 1000) / (11_000 / 200))
    # series per episode: 38 tCO2e (secondary compilation)
    series = rows["fiction_series"]
    episodes = yaml.safe_load((EXAMPLES / "fiction_series.yaml").read_text())["production"]["episodes"]
    assert series["published_metric"] == "per_episode"
    assert series["comparisons"]["per_episode"]["ratio"] == pytest.approx(series["total_kgco2e"] / episodes / 38_000)
    # a podcast has no Carbon'Clap mean and is never set against the audiovisual
    # 16 tCO2e per hour: only SIRTI/Bilobay's 3.7 kgCO2e for one podcast, scope stated
    podcast = rows["podcast"]
    assert set(podcast["comparisons"]) == {"nearest_published"}
    assert podcast["comparisons"]["nearest_published"]["ratio"] == pytest.approx(
        podcast["total_kgco2e"] / 3.7)
    split = doc["category_split"]
    assert split["published_pct"]["transport"] == 27.5 and split["published_pct"]["purchases"] == 24.6
    assert sum(split["examples_pct"].values()) == pytest.approx(100)
    audiovisual = [p for p in doc["productions"]
                   if p["type"] not in ("podcast", "radio_show", "audio_advertising")]
    transport = sum(p["total_kgco2e"] * p["category_pct"].get("transport", 0) / 100 for p in audiovisual)
    grand = sum(p["total_kgco2e"] for p in audiovisual)
    assert split["examples_pct"]["transport"] == pytest.approx(100 * transport / grand)
    assert {c["benchmark"] for c in doc["citations"]} >= {"ecoprod_documentary", "ecoprod_all_genres_per_hour"}
    assert all(c["url"].startswith("https://") for c in doc["citations"])


# ---------------------------------------------------------------------------
# nbval: a factor change that moves a result fails the strict check

def _nbval(notebook: Path, factors: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CARBONCLAP_FACTORS_DIR": str(factors)}
    return subprocess.run([sys.executable, "-m", "pytest", str(notebook), "--nbval", "--nbval-current-env",
                           "--nbval-sanitize-with", str(SANITIZE), "-p", "no:cacheprovider", "-q"],
                          capture_output=True, text=True, cwd=notebook.parent, env=env, timeout=600)


def test_a_factor_change_fails_nbval_and_shows_the_difference(tmp_path):
    factors = tmp_path / "factors"
    shutil.copytree(ROOT / "factors", factors)
    package_path = factors / "2026.3" / "datapackage.json"      # the studies' edition
    package = json.loads(package_path.read_text(encoding="utf-8"))
    unseal(package)                       # an edited copy is a draft, not the sealed release
    package_path.write_text(json.dumps(package), encoding="utf-8")
    notebook = tmp_path / "studio_hour.ipynb"
    nb = nbformat.read(STUDIES / "studio_hour.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace('output_dir: str = ""', f'output_dir: str = "{tmp_path / "out"}"')
    nbformat.write(nb, notebook)
    # The unchanged study passing is make test's strict nbval run; here the
    # difference shown must be the headline's own, so the failure is the change's.
    # the average meal: 2.04 -> 3.04 kgCO2e; the medium studio hour moves from 4.31 to 4.81
    # (the medium profile counts 0.5 meal per studio hour: +0.5 kgCO2e)
    csv_path = factors / "2026.3" / "factors.csv"
    text = csv_path.read_text(encoding="utf-8")
    assert text.count(",2.04,kgCO2e,meal,") == 1
    csv_path.write_text(text.replace(",2.04,kgCO2e,meal,", ",3.04,kgCO2e,meal,"), encoding="utf-8")
    changed = _nbval(notebook, factors)
    report = re.sub(r"\x1b\[[0-9;]*m", "", changed.stdout)
    assert changed.returncode != 0 and "Cell outputs differ" in report
    assert "4.31 kgCO2e" in report and "4.81 kgCO2e" in report    # the headline's diff


def test_a_failing_cell_is_reported_in_one_line_and_changes_nothing(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "studies"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('level: int = 1  # how deep\noutput_dir: str = ""  # where')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Broken"), cell,
                nbformat.v4.new_code_cell("raise ValueError(f'broken at level {level}')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "broken.ipynb")
    monkeypatch.setattr(studies, "STUDIES_DIR", folder)
    out = tmp_path / "out"
    assert main(["study", "run", "broken", "-p", "level", "3", "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: study broken failed in cell") and "ValueError: broken at level 3" in err
    assert len(err.splitlines()) == 1
    assert not out.exists()                                        # a failed run changes nothing
    kept = Path(err.rsplit("executed notebook: ", 1)[1].rstrip(")"))
    assert kept.name == "broken.ipynb" and "broken at level 3" in kept.read_text()   # for inspection
    out.mkdir()
    (out / "earlier.json").write_text("{}")                          # a folder that existed stays
    assert main(["study", "run", "broken", "--output", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == ["earlier.json"]


def test_ctrl_c_during_a_study_is_one_line_and_leaves_nothing(tmp_path):
    """The kernel runs in its own session with its stderr silenced: Ctrl-C reaches
    the command only, which stops the kernel and says so in one line."""
    import signal
    import time
    out = tmp_path / "o"
    script = Path(sys.executable).with_name("carbonclap")
    process = subprocess.Popen([str(script), "study", "run", "studio_hour", "--output", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)                          # past the start: the kernel is running cells
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["interrupted (outputs are written whole or not at all)"]
    assert not out.exists()
