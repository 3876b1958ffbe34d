"""Portfolios: loading (folder, long table, Parquet store), one-pass
computation, aggregations, sector view, the dask backend and the command.

Expected figures are computed by hand from typed factor values of edition
2025.1 (ADEME Base Carbone V23.6): TGV 0.00293 kgCO2e per passenger-km,
average meal 2.04 kgCO2e per meal, French electricity 2024 0.0519 kgCO2e
per kWh.
"""

import json
from pathlib import Path
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from conftest import run_cli
from carbonclap_methods.cli import main
from carbonclap_methods.errors import InvalidAssessment, InvalidQuantity, UnknownFactor
from carbonclap_methods.results import CATEGORIES
from carbonclap_methods.portfolio import (compute_portfolio, load_portfolio,
                                          portfolio_document, productions_path, sector_view,
                                          store_portfolio)

TGV, MEAL, ELEC = 0.00293, 2.04, 0.0519

LINES_CSV = """\
assessment,factor,quantity,unit,phase
pod1,train_tgv_fr,930,passenger_km,production
pod1,meal_average_fr,5,meal,preparation
pod1,electricity_fr_2024,35,kWh,production
pod2,electricity_fr_2024,1,MWh,post-production
pod2,meal_average_fr,10,meal,production
doc1,train_tgv_fr,2000,passenger_km,preparation
doc1,meal_average_fr,100,meal,production
"""
PRODUCTIONS_CSV = """\
assessment,title,type,stage,content_minutes,episodes,budget_eur,days,country
pod1,Podcast 1,podcast,final,45,1,12000,1,FR
pod2,Podcast 2,podcast,final,30,1,8000,1,FR
doc1,Documentary,documentary,forecast,90,1,300000,20,FR
"""
# By hand: pod1 = 930 x 0.00293 + 5 x 2.04 + 35 x 0.0519
POD1 = {"transport": 930 * TGV, "food": 5 * MEAL, "electricity": 35 * ELEC}
POD2 = {"electricity": 1000 * ELEC, "food": 10 * MEAL}
DOC1 = {"transport": 2000 * TGV, "food": 100 * MEAL}
TOTALS = {"pod1": sum(POD1.values()), "pod2": sum(POD2.values()), "doc1": sum(DOC1.values())}


@pytest.fixture
def table(tmp_path):
    """The long table and its production table, as CSV, side by side."""
    (tmp_path / "lines.csv").write_text(LINES_CSV, encoding="utf-8")
    (tmp_path / "lines.productions.csv").write_text(PRODUCTIONS_CSV, encoding="utf-8")
    return tmp_path / "lines.csv"


def assessment_yaml(kind, minutes, activities):
    lines = "\n".join(f"  - {{factor: {f}, quantity: {q}, unit: {u}, phase: {p}}}"
                      for f, q, u, p in activities)
    return textwrap.dedent(f"""\
        format: carbonclap-assessment/1
        production:
          title: test
          type: {kind}
          content_minutes: {minutes}
        activities:
        """) + lines + "\n"


@pytest.fixture
def folder(tmp_path):
    """The same three assessments as YAML files in a folder."""
    target = tmp_path / "assessments"
    target.mkdir()
    rows = [r.split(",") for r in LINES_CSV.splitlines()[1:]]
    meta = {"pod1": ("podcast", 45), "pod2": ("podcast", 30), "doc1": ("documentary", 90)}
    for name, (kind, minutes) in meta.items():
        own = [(f, q, u, p) for a, f, q, u, p in rows if a == name]
        (target / f"{name}.yaml").write_text(assessment_yaml(kind, minutes, own), encoding="utf-8")
    return target


# ---------------------------------------------------------------------------
# totals by hand

def check_hand_figures(result):
    a = result.assessments
    for name, total in TOTALS.items():
        assert a.at[name, "total_kgco2e"] == pytest.approx(total, rel=1e-12)
    assert result.by_category.at["pod1", "transport"] == pytest.approx(930 * TGV)
    assert result.by_category.at["pod2", "electricity"] == pytest.approx(51.9)
    assert result.by_category.at["doc1", "electricity"] == 0.0
    assert result.by_phase.at["pod1", "preparation"] == pytest.approx(10.2)
    assert result.by_phase.at["pod2", "post-production"] == pytest.approx(51.9)
    assert a.at["pod1", "kgco2e_per_hour"] == pytest.approx(TOTALS["pod1"] / 0.75)
    assert a["lines"].to_dict() == {"pod1": 3, "pod2": 2, "doc1": 2}
    assert result.total_kgco2e == pytest.approx(sum(TOTALS.values()))
    assert list(result.by_category.columns) == list(CATEGORIES)    # every category, no other
    assert list(result.by_phase.columns) == ["preparation", "production", "post-production"]


def test_long_table_by_hand(table, edition):
    check_hand_figures(compute_portfolio(load_portfolio(table), edition))


def test_folder_by_hand(folder, edition):
    check_hand_figures(compute_portfolio(load_portfolio(folder), edition))


def test_sector_view_by_hand(table, edition):
    view = sector_view(compute_portfolio(load_portfolio(table), edition))
    assert list(view.index) == ["documentary", "podcast", "all"]   # Carbon'Clap's order, then all
    podcasts = TOTALS["pod1"] + TOTALS["pod2"]
    assert view.at["podcast", "assessments"] == 2
    assert view.at["podcast", "total_tco2e"] == pytest.approx(podcasts / 1000)
    assert view.at["podcast", "mean_tco2e"] == pytest.approx(podcasts / 2 / 1000)
    assert view.at["podcast", "content_hours"] == pytest.approx(1.25)
    assert view.at["podcast", "kgco2e_per_hour"] == pytest.approx(podcasts / 1.25)
    assert view.at["podcast", "share_transport"] == pytest.approx(930 * TGV / podcasts)
    assert view.at["podcast", "share_food"] == pytest.approx(15 * MEAL / podcasts)
    assert view.at["documentary", "kgco2e_per_hour"] == pytest.approx(TOTALS["doc1"] / 1.5)
    everything = sum(TOTALS.values())
    assert view.at["all", "kgco2e_per_hour"] == pytest.approx(everything / 2.75)
    assert view.at["all", "median_tco2e"] == pytest.approx(TOTALS["pod2"] / 1000)   # 14.7 < 72.3 < 209.9
    shares = view.loc["all", [c for c in view.columns if c.startswith("share_")]]
    assert shares.sum() == pytest.approx(1.0)


def test_assessment_without_duration_is_left_out_of_per_hour(table, edition, tmp_path):
    text = PRODUCTIONS_CSV.replace("pod2,Podcast 2,podcast,final,30", "pod2,Podcast 2,podcast,final,")
    (tmp_path / "lines.productions.csv").write_text(text, encoding="utf-8")
    result = compute_portfolio(load_portfolio(table), edition)
    assert np.isnan(result.assessments.at["pod2", "kgco2e_per_hour"])
    view = sector_view(result)
    assert view.at["podcast", "kgco2e_per_hour"] == pytest.approx(TOTALS["pod1"] / 0.75)
    assert view.at["podcast", "mean_tco2e"] == pytest.approx((TOTALS["pod1"] + TOTALS["pod2"]) / 2000)


def test_assessment_without_lines_counts_as_zero(table, edition, tmp_path):
    text = PRODUCTIONS_CSV + "empty,Nothing yet,podcast,forecast,10,1,0,0,FR\n"
    (tmp_path / "lines.productions.csv").write_text(text, encoding="utf-8")
    result = compute_portfolio(load_portfolio(table), edition)
    assert result.assessments.at["empty", "total_kgco2e"] == 0.0
    assert sector_view(result).at["podcast", "assessments"] == 3


def test_document(table, edition):
    doc = portfolio_document(compute_portfolio(load_portfolio(table), edition))
    assert doc["assessments_count"] == 3 and doc["lines_count"] == 7
    assert doc["total_kgco2e"] == pytest.approx(sum(TOTALS.values()))
    assert doc["by_category"]["food"] == pytest.approx(115 * MEAL)
    assert doc["by_type"]["podcast"]["assessments"] == 2
    record = {r["assessment"]: r for r in doc["assessments"]}["pod2"]
    assert record["by_category"] == pytest.approx(POD2)
    json.dumps(doc, allow_nan=False)     # plain, strict JSON


# ---------------------------------------------------------------------------
# the Parquet store

def test_store_round_trip(folder, edition, tmp_path):
    portfolio = load_portfolio(folder)
    lines_path, prod_path = store_portfolio(portfolio, tmp_path / "store" / "all.parquet")
    assert prod_path == tmp_path / "store" / "all.productions.parquet"
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == \
        ["all.parquet", "all.productions.parquet"]          # no temporary left
    stored = load_portfolio(lines_path)
    assert isinstance(stored.lines["factor"].dtype, pd.CategoricalDtype)
    check_hand_figures(compute_portfolio(stored, edition))


def test_productions_path():
    assert productions_path("x/lines.parquet").name == "lines.productions.parquet"
    assert productions_path("x/lines.csv").name == "lines.productions.csv"


# ---------------------------------------------------------------------------
# dask

def random_portfolio(edition, n_assessments=300, per=20, seed=3):
    rng = np.random.default_rng(seed)
    usable = edition.table[edition.table["category"] != "reference"]
    usable = usable[usable["activity_unit"].isin(["kWh", "passenger_km", "meal", "kg", "night"])]
    picks = rng.integers(0, len(usable), n_assessments * per)
    ids = [f"p{i:04d}" for i in range(n_assessments)]
    lines = pd.DataFrame({
        "assessment": np.repeat(ids, per),
        "factor": usable.index.to_numpy()[picks],
        "quantity": rng.uniform(0, 500, n_assessments * per),
        "unit": usable["activity_unit"].to_numpy()[picks],
        "phase": rng.choice(["preparation", "production", "post-production"], n_assessments * per),
    }).sample(frac=1.0, random_state=1).reset_index(drop=True)    # assessments spread over partitions
    productions = pd.DataFrame({"assessment": ids,
                                "type": rng.choice(["podcast", "feature_film", "documentary"],
                                                   n_assessments),
                                "content_minutes": rng.uniform(0, 120, n_assessments)})
    return lines, productions


def test_dask_equals_pandas_on_a_local_cluster(edition, tmp_path):
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    lines, productions = random_portfolio(edition)
    lines.to_csv(tmp_path / "big.csv", index=False)
    productions.to_csv(tmp_path / "big.productions.csv", index=False)
    expected = compute_portfolio(load_portfolio(tmp_path / "big.csv"), edition)
    # hand check of one assessment, independent of the portfolio code
    own = lines[lines["assessment"] == "p0007"]
    by_hand = sum(q * edition.table.at[f, "value_kgco2e"] for f, q in zip(own["factor"], own["quantity"]))
    assert expected.assessments.at["p0007", "total_kgco2e"] == pytest.approx(by_hand, rel=1e-12)

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster, Client(cluster):
        # the same calling code, with a dask DataFrame of lines ...
        portfolio = load_portfolio(tmp_path / "big.csv")
        portfolio.lines = dd.from_pandas(portfolio.lines, npartitions=4)
        from_dask = compute_portfolio(portfolio, edition)
        # ... with the backend switch ...
        switched = compute_portfolio(load_portfolio(tmp_path / "big.csv"), edition, backend="dask")
        # ... and read by dask from the file
        read = compute_portfolio(load_portfolio(tmp_path / "big.csv", backend="dask"), edition)
    for result in (from_dask, switched, read):
        for name in ("assessments", "by_category", "by_phase"):
            pd.testing.assert_frame_equal(getattr(result, name), getattr(expected, name),
                                          check_exact=False, rtol=1e-12, atol=1e-9)
        pd.testing.assert_frame_equal(sector_view(result), sector_view(expected),
                                      check_exact=False, rtol=1e-12)


def test_dask_reads_the_parquet_store(folder, edition, tmp_path):
    path, _ = store_portfolio(load_portfolio(folder), tmp_path / "s.parquet")
    result = compute_portfolio(load_portfolio(path, backend="dask"), edition)
    check_hand_figures(result)


# ---------------------------------------------------------------------------
# bad input: one message naming file, row and column

def test_missing_column(table, tmp_path):
    (tmp_path / "lines.csv").write_text(LINES_CSV.replace("phase", "stage"), encoding="utf-8")
    with pytest.raises(InvalidAssessment, match=r"lines.csv: missing column\(s\) phase"):
        load_portfolio(table)


def test_missing_production_table(table, tmp_path):
    (tmp_path / "lines.productions.csv").unlink()
    with pytest.raises(InvalidAssessment, match="no production table beside it"):
        load_portfolio(table)


def test_unknown_production_type(table, tmp_path):
    (tmp_path / "lines.productions.csv").write_text(
        PRODUCTIONS_CSV.replace("documentary,forecast", "opera,forecast"), encoding="utf-8")
    with pytest.raises(InvalidAssessment, match="row 3, column type: unknown production type 'opera'") as info:
        load_portfolio(table)
    where = info.value.location                      # the place as data, not parsed from the text
    assert (where.file, where.row, where.field) == (str(tmp_path / "lines.productions.csv"), 3,
                                                    "column type")


def test_duplicate_assessment_id(table, tmp_path):
    (tmp_path / "lines.productions.csv").write_text(
        PRODUCTIONS_CSV + "pod1,again,podcast,final,1,1,1,1,FR\n", encoding="utf-8")
    with pytest.raises(InvalidAssessment, match="row 4, column assessment: duplicate id 'pod1'"):
        load_portfolio(table)


def test_bad_production_number(table, tmp_path):
    (tmp_path / "lines.productions.csv").write_text(
        PRODUCTIONS_CSV.replace("Podcast 2,podcast,final,30", "Podcast 2,podcast,final,-30"),
        encoding="utf-8")
    with pytest.raises(InvalidAssessment, match="row 2, column content_minutes"):
        load_portfolio(table)


def test_lines_of_an_unknown_assessment(table, edition, tmp_path):
    (tmp_path / "lines.csv").write_text(LINES_CSV + "ghost,meal_average_fr,1,meal,production\n",
                                        encoding="utf-8")
    with pytest.raises(InvalidAssessment, match="1 assessment\\(s\\) have lines but no row in the production table: 'ghost'"):
        compute_portfolio(load_portfolio(table), edition)


def test_unknown_factor_names_file_and_row(table, edition, tmp_path):
    (tmp_path / "lines.csv").write_text(LINES_CSV.replace("doc1,train_tgv_fr", "doc1,train_xyz"),
                                        encoding="utf-8")
    with pytest.raises(UnknownFactor, match=r"lines.csv, row 6: unknown factor id 'train_xyz'") as info:
        compute_portfolio(load_portfolio(table), edition)
    where = info.value.location
    assert (Path(where.file).name, where.row, where.field) == ("lines.csv", 6, None)
    assert info.value.message.startswith("unknown factor id 'train_xyz'")


def test_a_bad_quantity_of_a_table_names_its_row_and_column(table, edition, tmp_path):
    text = (tmp_path / "lines.csv").read_text(encoding="utf-8").splitlines()
    cells = text[2].split(",")                       # the table's 2nd line: header is line 1
    cells[2] = "-5"
    text[2] = ",".join(cells)
    (tmp_path / "lines.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InvalidQuantity) as info:
        compute_portfolio(load_portfolio(table), edition)
    where = info.value.location
    assert (Path(where.file).name, where.row, where.field) == ("lines.csv", 2, "column quantity")
    assert str(info.value).startswith(f"{tmp_path / 'lines.csv'}, row 2, column quantity: -5")


def test_a_folder_portfolio_error_names_the_assessment_file_and_line(tmp_path, edition, minimal_text):
    (tmp_path / "a.yaml").write_text(minimal_text.replace("train_tgv_fr", "train_xyz"),
                                     encoding="utf-8")
    with pytest.raises(UnknownFactor) as info:
        compute_portfolio(load_portfolio(tmp_path), edition)
    where = info.value.location
    assert (Path(where.file).name, where.line, where.field) == ("a.yaml", 12, "activities[0]")


def test_bad_file_in_folder_names_it(folder, edition):
    (folder / "pod2.yaml").write_text((folder / "pod2.yaml").read_text().replace(
        "quantity: 10", "quantity: -10"), encoding="utf-8")
    with pytest.raises(InvalidAssessment, match="pod2.yaml.*negative"):
        load_portfolio(folder)


def test_empty_folder_and_wrong_suffix(tmp_path):
    with pytest.raises(InvalidAssessment, match="no assessment file"):
        load_portfolio(tmp_path)
    (tmp_path / "x.xlsx").write_bytes(b"")
    with pytest.raises(InvalidAssessment, match="unsupported portfolio file"):
        load_portfolio(tmp_path / "x.xlsx")


def test_bad_backend(table):
    with pytest.raises(Exception, match="unknown backend 'spark'"):
        load_portfolio(table, backend="spark")


# ---------------------------------------------------------------------------
# command line

def run(*args):
    return run_cli(*args)


def test_cli_portfolio_json(table):
    proc = run("portfolio", table, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["total_kgco2e"] == pytest.approx(sum(TOTALS.values()))
    assert {r["assessment"]: r["total_kgco2e"] for r in doc["assessments"]} == pytest.approx(TOTALS)
    assert proc.stderr == ""


def test_cli_portfolio_table_and_store(folder, tmp_path):
    store = tmp_path / "out" / "p.parquet"
    proc = run("portfolio", folder, "--store", store)
    assert proc.returncode == 0, proc.stderr
    assert "Sector view" in proc.stdout and "podcast" in proc.stdout
    assert store.is_file() and productions_path(store).is_file()
    again = run("portfolio", store, "--format", "json")
    assert json.loads(again.stdout)["total_kgco2e"] == pytest.approx(sum(TOTALS.values()))


def test_cli_portfolio_errors_change_nothing(table, tmp_path, capsys):
    (tmp_path / "lines.csv").write_text(LINES_CSV.replace("assessment,", "id,"), encoding="utf-8")
    store = tmp_path / "never.parquet"
    assert main(["portfolio", str(table), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "lines.csv: missing column(s) assessment" in err and err.count("\n") == 1
    assert not store.exists()


def test_cli_portfolio_productions_option(table, tmp_path, capsys):
    other = tmp_path / "meta.csv"
    (tmp_path / "lines.productions.csv").rename(other)
    assert main(["portfolio", str(table), "--format", "json", "--productions", str(other)]) == 0
    assert json.loads(capsys.readouterr().out)["assessments_count"] == 3
