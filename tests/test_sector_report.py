"""The sector report study: its synthetic portfolio, its tables against hand
figures, and the study run from the command line on a partitioned dataset.

Published figures are typed here from Ecoprod's 2024 report (see
carbonclap_methods/data/published_benchmarks.csv): documentaries 11 tCO2e
per production and 10.3 tCO2e per hour (secondary compilation), 16 tCO2e per
hour across genres and transport 27.5 % of the footprint (Ecoprod's press
release). Emission factors are those of tests/test_portfolio.py.
"""

import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from carbonclap_methods import sector_report
from carbonclap_methods.assessment import PRODUCTION_TYPES
from carbonclap_methods.portfolio import compute_portfolio, load_portfolio
from test_dataset import write_parts
from test_portfolio import DOC1, LINES_CSV, PRODUCTIONS_CSV, TOTALS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


# ---------------------------------------------------------------------------
# the synthetic portfolio

def example_productions():
    out = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = (data["production"], data["activities"])
    return out


def test_synthetic_portfolio_is_seeded_and_labelled():
    a = sector_report.synthetic_portfolio(42, seed=7)
    b = sector_report.synthetic_portfolio(42, seed=7)
    c = sector_report.synthetic_portfolio(42, seed=8)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    pd.testing.assert_frame_equal(a.productions, b.productions)
    assert not np.allclose(a.lines["quantity"], c.lines["quantity"])
    assert "synthetic" in a.source
    assert a.productions["title"].str.startswith("Synthetic").all()
    # the examples in turn: 42 assessments over 14 examples, 3 of each type
    assert a.productions["type"].value_counts().to_dict() == {t: 3 for t in PRODUCTION_TYPES}


def test_synthetic_portfolio_varies_the_examples_as_documented():
    examples = example_productions()
    names = sorted(examples)
    n = 14 * 40
    portfolio = sector_report.synthetic_portfolio(n, seed=11)
    productions = portfolio.productions
    sizes, line_ratios = [], []
    for i, (assessment, row) in enumerate(productions.iterrows()):
        production, activities = examples[names[i % len(names)]]
        assert row["type"] == production["type"]
        assert row["content_minutes"] == production["content_minutes"]     # duration unchanged
        size = row["budget_eur"] / production["budget_eur"]
        if "days" in production:
            assert row["days"] == pytest.approx(production["days"] * size)     # same size for days
        own = portfolio.lines[portfolio.lines["assessment"] == assessment]
        assert list(own["factor"].astype(str)) == [a["factor"] for a in activities]
        quantities = np.array([float(a["quantity"]) for a in activities])
        positive = quantities > 0
        line_ratios.extend(own["quantity"].to_numpy()[positive] / (quantities[positive] * size))
        sizes.append(size)
    # lognormal(median 1, log-sd 0.5) sizes and lognormal(1, 0.3) line noise (sampling error
    # of a log-sd over 560 and over thousands of draws: about 3 % and 1 %)
    assert np.std(np.log(sizes)) == pytest.approx(0.5, rel=0.1)
    assert abs(np.median(np.log(sizes))) < 0.1
    assert np.std(np.log(line_ratios)) == pytest.approx(0.3, rel=0.05)
    final = (productions["stage"] == "final").mean()
    assert abs(final - 0.5) < 0.07                    # about half finals (binomial sd 0.021)


def test_synthetic_size_is_refused_below_one():
    with pytest.raises(Exception, match="synthetic_assessments: 0 must be a whole number >= 1"):
        sector_report.synthetic_portfolio(0)


# ---------------------------------------------------------------------------
# the tables, by hand

@pytest.fixture
def hand(tmp_path, edition):
    (tmp_path / "lines.csv").write_text(LINES_CSV, encoding="utf-8")
    (tmp_path / "lines.productions.csv").write_text(PRODUCTIONS_CSV, encoding="utf-8")
    return compute_portfolio(load_portfolio(tmp_path / "lines.csv"), edition)


def test_stages_by_hand(hand):
    stages = sector_report.stages_table(hand)
    # pod1 and pod2 final podcasts; doc1 a forecast documentary
    assert stages.loc["podcast", ["forecast", "final", "other"]].tolist() == [0, 2, 0]
    assert stages.loc["documentary", ["forecast", "final", "other"]].tolist() == [1, 0, 0]
    assert stages.loc["audiovisual", "assessments"] == 1
    assert stages.loc["all", "final_share"] == pytest.approx(2 / 3)
    assert stages.loc["all", "forecast_share"] == pytest.approx(1 / 3)


def test_footprint_by_hand_against_the_published_means(hand):
    table = sector_report.footprint_table(hand)
    doc = TOTALS["doc1"] / 1000
    assert table.at["documentary", "mean_tco2e"] == pytest.approx(doc)
    assert table.at["documentary", "published_tco2e"] == 11
    assert table.at["documentary", "ratio"] == pytest.approx(doc / 11)
    assert table.at["documentary", "tco2e_per_hour"] == pytest.approx(doc / 1.5)      # 90 minutes
    assert table.at["documentary", "ratio_per_hour"] == pytest.approx(doc / 1.5 / 10.3)
    pods = [TOTALS["pod1"] / 1000, TOTALS["pod2"] / 1000]
    assert table.at["podcast", "median_tco2e"] == pytest.approx(sum(pods) / 2)
    assert table.at["podcast", "min_tco2e"] == pytest.approx(min(pods))
    assert table.at["podcast", "max_tco2e"] == pytest.approx(max(pods))
    assert math.isnan(table.at["podcast", "published_tco2e"])                # no sound figure
    assert math.isnan(table.at["podcast", "published_tco2e_per_hour"])
    # the all-genre hour (16 t) is set beside the audiovisual assessments only, not "all"
    assert table.at["audiovisual", "published_tco2e_per_hour"] == 16
    assert table.at["audiovisual", "ratio_per_hour"] == pytest.approx(doc / 1.5 / 16)
    assert math.isnan(table.at["all", "published_tco2e_per_hour"])
    assert table.at["all", "tco2e_per_hour"] == pytest.approx(
        sum(TOTALS.values()) / 1000 / ((45 + 30 + 90) / 60))


def test_category_split_by_hand(hand):
    split = sector_report.category_split(hand)        # audiovisual: the documentary alone
    assert split.at["transport", "portfolio_pct"] == pytest.approx(100 * DOC1["transport"] / TOTALS["doc1"])
    assert split.at["transport", "published_pct"] == 27.5
    assert split.at["transport", "difference_points"] == pytest.approx(
        100 * DOC1["transport"] / TOTALS["doc1"] - 27.5)
    assert split.at["food", "rank"] == 1                 # 100 meals outweigh 2,000 km of TGV
    by_type = sector_report.split_by_type(hand)
    pod_elec = 35 * 0.0519 + 1000 * 0.0519
    assert by_type.at["podcast", "electricity"] == pytest.approx(
        100 * pod_elec / (TOTALS["pod1"] + TOTALS["pod2"]))
    assert by_type.loc["all"].sum() == pytest.approx(100)


def test_document_cites_every_published_figure_it_uses(hand):
    doc = sector_report.report_document(hand, {}, None)
    cited = {c["benchmark"] for c in doc["citations"]}
    assert {"ecoprod_documentary", "ecoprod_documentary_per_hour", "ecoprod_all_genres_per_hour",
            "ecoprod_share_transport"} <= cited
    assert all(c["url"].startswith("https://") for c in doc["citations"])
    assert doc["portfolio"]["synthetic"] is False and doc["portfolio"]["generator"] is None


# ---------------------------------------------------------------------------
# the study, from the command line

def test_study_on_a_partitioned_dataset(tmp_path):
    lines = pd.read_csv(io.StringIO(LINES_CSV))
    write_parts(lines, tmp_path / "lines", [4, 3])
    write_parts(pd.read_csv(io.StringIO(PRODUCTIONS_CSV)), tmp_path / "lines.productions", [1, 2])
    out = tmp_path / "report"
    # a path relative to the user's working directory (the notebook runs in studies/)
    proc = cli("study", "run", "sector_report", "-p", "portfolio", "lines", "-p", "edition", "2025.1",
               "--output", "report", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["portfolio"]["synthetic"] is False and doc["portfolio"]["assessments"] == 3
    assert doc["portfolio"]["total_tco2e"] == pytest.approx(sum(TOTALS.values()) / 1000)
    rows = {r["type"]: r for r in doc["footprint"]}
    assert rows["documentary"]["ratio"] == pytest.approx(TOTALS["doc1"] / 11_000)
    table = pd.read_csv(out / "results.csv")
    assert list(table["type"]) == ["documentary", "podcast", "audiovisual", "all"]
    charts = {"mean_by_type", "per_hour", "category_split", "split_by_type", "stages"}
    assert {p.name for p in out.glob("*.png")} == {f"{c}_{lang}.png" for c in charts
                                                   for lang in ("fr", "en")}
    svg = (out / "mean_by_type_fr.svg").read_text(encoding="utf-8")
    assert "Portefeuille : lines" in svg and "SYNTH" not in svg


def test_default_study_is_the_labelled_synthetic_portfolio(tmp_path):
    out = tmp_path / "report"
    proc = cli("study", "run", "sector_report", "-p", "synthetic_assessments", "28", "-p", "seed",
               "5", "--output", out)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    generator = doc["portfolio"]["generator"]
    assert doc["portfolio"]["synthetic"] is True
    assert generator["seed"] == 5 and generator["size_sigma"] == 0.5 and generator["line_sigma"] == 0.3
    assert "SYNTHETIC" in generator["note"]
    assert {r["type"]: r["assessments"] for r in doc["stages"] if r["type"] in PRODUCTION_TYPES} == \
        {t: 2 for t in PRODUCTION_TYPES}
    for lang, word in (("fr", "SYNTHÉTIQUE"), ("en", "SYNTHETIC")):
        assert word in (out / f"category_split_{lang}.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["-p", "portfolio", "/nonexistent/folder"], "portfolio: '/nonexistent/folder': no such file"),
    (["-p", "backend", "spark"], "backend: 'spark' is not one of pandas, dask"),
    (["-p", "synthetic_assessments", "0"], "synthetic_assessments: 0 must be a whole number >= 1"),
    (["-p", "scheduler", "tcp://127.0.0.1:1"], "scheduler: needs backend dask"),
])
def test_bad_parameters_are_refused_before_running(tmp_path, args, message):
    proc = cli("study", "run", "sector_report", *args, "--output", tmp_path / "never")
    assert proc.returncode == 2 and message in proc.stderr and proc.stderr.count("\n") == 1
    assert not (tmp_path / "never").exists()
