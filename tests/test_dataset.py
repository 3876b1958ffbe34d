"""Partitioned Parquet datasets as portfolios, and the dask backend on a
cluster of worker processes (``--backend dask --scheduler ADDRESS``).

The hand figures are those of tests/test_portfolio.py (typed factor values
of edition 2025.1: TGV 0.00293 kgCO2e per passenger-km, average meal 2.04
kgCO2e per meal, French electricity 2024 0.0519 kgCO2e per kWh).
"""

import io
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from carbonclap_methods.cli import main
from carbonclap_methods.errors import InvalidAssessment, UnknownFactor
from carbonclap_methods.factors import load_edition
from carbonclap_methods.portfolio import compute_portfolio, load_portfolio, sector_view
from test_portfolio import (LINES_CSV, PRODUCTIONS_CSV, TOTALS, check_hand_figures,
                            random_portfolio)


def write_parts(frame: pd.DataFrame, folder, sizes) -> list:
    """``frame`` as Parquet parts of the given row counts, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, start = [], 0
    for i, size in enumerate(sizes):
        path = folder / f"part.{i}.parquet"
        frame.iloc[start:start + size].to_parquet(path, index=False)
        paths.append(path)
        start += size
    assert start == len(frame)
    return paths


@pytest.fixture
def lines():
    return pd.read_csv(io.StringIO(LINES_CSV))


@pytest.fixture
def productions():
    return pd.read_csv(io.StringIO(PRODUCTIONS_CSV))


@pytest.fixture
def data(tmp_path, lines, productions):
    """The hand portfolio as a dataset of 3 parts and a production table of 2 parts."""
    write_parts(lines, tmp_path / "lines", [3, 2, 2])
    write_parts(productions, tmp_path / "lines.productions", [2, 1])
    return tmp_path / "lines"


def cli(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(capsys, argv) -> str:
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# ---------------------------------------------------------------------------
# reading a dataset

@pytest.mark.parametrize("backend", ["pandas", "dask"])
def test_dataset_by_hand(data, edition, backend):
    check_hand_figures(compute_portfolio(load_portfolio(data, backend=backend), edition))


def test_production_table_as_one_file_beside_the_dataset(tmp_path, lines, productions, edition):
    write_parts(lines, tmp_path / "lines", [4, 3])
    productions.to_parquet(tmp_path / "lines.productions.parquet", index=False)
    check_hand_figures(compute_portfolio(load_portfolio(tmp_path / "lines"), edition))


def test_productions_option_takes_a_folder_of_parts(data, tmp_path, capsys):
    (tmp_path / "lines.productions").rename(tmp_path / "meta")
    assert main(["portfolio", str(data), "--format", "json", "--productions",
                 str(tmp_path / "meta")]) == 0
    assert json.loads(capsys.readouterr().out)["total_kgco2e"] == pytest.approx(sum(TOTALS.values()))


def test_parts_in_subfolders_and_side_files(tmp_path, lines, productions, edition):
    """Hive-style folders are walked; ``_metadata`` and hidden files are not parts."""
    write_parts(lines.iloc[:4], tmp_path / "lines" / "year=2024", [4])
    write_parts(lines.iloc[4:], tmp_path / "lines" / "year=2025", [3])
    (tmp_path / "lines" / "_metadata").write_bytes(b"not parquet")
    (tmp_path / "lines" / ".part.9.parquet").write_bytes(b"not parquet")
    write_parts(productions, tmp_path / "lines.productions", [3])
    check_hand_figures(compute_portfolio(load_portfolio(tmp_path / "lines"), edition))


# ---------------------------------------------------------------------------
# bad input: one clear line each, exit 2

def test_part_with_other_columns_is_refused_naming_it(data, lines, capsys):
    lines.iloc[:1].rename(columns={"phase": "stage"}).to_parquet(data / "part.3.parquet", index=False)
    err = one_line_error(capsys, ["portfolio", data])
    assert "part.3.parquet: this part's columns differ" in err
    assert "extra column(s) stage; missing column(s) phase" in err


def test_a_part_copied_twice_is_refused_naming_both(data, capsys):
    first = sorted(data.glob("*.parquet"))[0]
    (data / "copy.parquet").write_bytes(first.read_bytes())      # counted twice otherwise
    err = one_line_error(capsys, ["portfolio", data])
    assert "the same bytes as" in err and "copy.parquet" in err and first.name in err


def test_production_part_with_other_columns_is_refused(data, productions, capsys):
    productions.iloc[:1].drop(columns="title").to_parquet(
        data.parent / "lines.productions" / "part.2.parquet", index=False)
    err = one_line_error(capsys, ["portfolio", data])
    assert "lines.productions/part.2.parquet" in err and "missing column(s) title" in err


def test_production_table_missing_assessments_lists_them(data, lines, capsys):
    ghosts = pd.DataFrame({"assessment": ["ghost2", "ghost1", "ghost2"],
                           "factor": "meal_average_fr", "quantity": 1.0, "unit": "meal",
                           "phase": "production"})
    ghosts.to_parquet(data / "part.3.parquet", index=False)
    err = one_line_error(capsys, ["portfolio", data])
    assert "2 assessment(s) have lines but no row in the production table: 'ghost1', 'ghost2'" in err


def test_many_missing_assessments_are_counted(tmp_path, lines, productions, edition):
    extra = pd.DataFrame({"assessment": [f"x{i:02d}" for i in range(25)], "factor": "meal_average_fr",
                          "quantity": 1.0, "unit": "meal", "phase": "production"})
    write_parts(pd.concat([lines, extra]), tmp_path / "lines", [7, 25])
    write_parts(productions, tmp_path / "lines.productions", [3])
    with pytest.raises(InvalidAssessment, match=r"25 assessment\(s\) .*'x09' and 15 more$"):
        compute_portfolio(load_portfolio(tmp_path / "lines"), edition)


def test_assessment_without_type(data, productions, capsys):
    productions.loc[2, "type"] = None
    write_parts(productions, data.parent / "lines.productions", [2, 1])
    err = one_line_error(capsys, ["portfolio", data])
    assert "lines.productions/part.1.parquet, row 1, column type: assessment 'doc1' has no " \
           "production type" in err


def test_assessment_without_type_in_a_csv_table(tmp_path, capsys):
    (tmp_path / "l.csv").write_text(LINES_CSV, encoding="utf-8")
    (tmp_path / "l.productions.csv").write_text(PRODUCTIONS_CSV.replace("Podcast 2,podcast", "Podcast 2,"),
                                                encoding="utf-8")
    err = one_line_error(capsys, ["portfolio", tmp_path / "l.csv"])
    assert "l.productions.csv, row 2, column type: assessment 'pod2' has no production type" in err


def test_duplicated_assessment_ids_across_parts_name_both(data, productions, capsys):
    again = productions.iloc[[0]].assign(title="again")
    again.to_parquet(data.parent / "lines.productions" / "part.2.parquet", index=False)
    err = one_line_error(capsys, ["portfolio", data])
    assert ("lines.productions/part.2.parquet, row 1, column assessment: duplicate id 'pod1' "
            "(also ") in err and "lines.productions/part.0.parquet, row 1)" in err


@pytest.mark.parametrize("backend", ["pandas", "dask"])
def test_empty_dataset(tmp_path, lines, productions, capsys, backend):
    (tmp_path / "lines").mkdir()
    (tmp_path / "lines" / "_SUCCESS").write_text("")
    productions.to_parquet(tmp_path / "lines.productions.parquet", index=False)
    err = one_line_error(capsys, ["portfolio", tmp_path / "lines", "--backend", backend])
    assert "no assessment file" in err and "no .parquet part" in err
    write_parts(lines.iloc[:0], tmp_path / "lines", [0])
    err = one_line_error(capsys, ["portfolio", tmp_path / "lines", "--backend", backend])
    assert "lines: empty dataset (1 part(s), no line)" in err


def test_empty_production_table(data, productions, capsys):
    for part in (data.parent / "lines.productions").iterdir():
        part.unlink()
    write_parts(productions.iloc[:0], data.parent / "lines.productions", [0])
    err = one_line_error(capsys, ["portfolio", data])
    assert "lines.productions: empty production table (no assessment)" in err


def test_scheduler_needs_the_dask_backend(data, capsys):
    err = one_line_error(capsys, ["portfolio", data, "--scheduler", "tcp://127.0.0.1:1"])
    assert "--scheduler needs --backend dask" in err


def test_unreachable_scheduler_is_a_clear_error_within_the_timeout(data):
    with socket.socket() as s:        # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    proc = cli("portfolio", data, "--backend", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
               "--scheduler-timeout", "2")
    elapsed = time.monotonic() - start
    assert proc.returncode == 2
    assert proc.stderr == (f"error: dask scheduler tcp://127.0.0.1:{port}: no answer within 2 s "
                           f"(Timed out trying to connect to tcp://127.0.0.1:{port} after 2 s); "
                           "start one with `dask scheduler` and `dask worker ADDRESS`, or check "
                           "the address\n")
    assert elapsed < 60          # it gives up: no hang (generous bound for a loaded machine)


# ---------------------------------------------------------------------------
# a cluster of worker processes

def test_dask_on_worker_processes_equals_pandas(edition, tmp_path):
    from distributed import LocalCluster

    lines, productions = random_portfolio(edition, n_assessments=300, per=20)
    folder = tmp_path / "big"
    write_parts(lines, folder, [1000, 2500, 500, 2000])
    write_parts(productions, tmp_path / "big.productions", [100, 200])
    expected = compute_portfolio(load_portfolio(folder), edition)
    # one assessment by hand, independent of the portfolio code
    own = lines[lines["assessment"] == "p0042"]
    by_hand = sum(q * edition.table.at[f, "value_kgco2e"] for f, q in zip(own["factor"], own["quantity"]))
    assert expected.assessments.at["p0042", "total_kgco2e"] == pytest.approx(by_hand, rel=1e-12)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        assert all(w.process is not None for w in cluster.workers.values())   # real processes
        proc = cli("portfolio", folder, "--backend", "dask", "--scheduler",
                   cluster.scheduler_address, "--format", "json", "--edition", edition.name)
        assert proc.returncode == 0, proc.stderr
        from carbonclap_methods.cluster import connected
        with connected(cluster.scheduler_address):
            result = compute_portfolio(load_portfolio(folder, backend="dask"), edition)
    for name in ("assessments", "by_category", "by_phase"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(expected, name),
                                      check_exact=False, rtol=1e-12, atol=1e-9)
    pd.testing.assert_frame_equal(sector_view(result), sector_view(expected), check_exact=False,
                                  rtol=1e-12)
    document = json.loads(proc.stdout)
    assert document["total_kgco2e"] == pytest.approx(expected.total_kgco2e, rel=1e-12)
    assert {r["assessment"]: r["total_kgco2e"] for r in document["assessments"]} == pytest.approx(
        expected.assessments["total_kgco2e"].to_dict(), rel=1e-12)


def test_bad_scheduler_address_and_timeout(data, capsys):
    err = one_line_error(capsys, ["portfolio", data, "--backend", "dask", "--scheduler", "nowhere"])
    assert "dask scheduler 'nowhere': not a scheduler address" in err
    err = one_line_error(capsys, ["portfolio", data, "--backend", "dask", "--scheduler",
                                  "tcp://127.0.0.1:1", "--scheduler-timeout", "0"])
    assert "--scheduler-timeout: '0' is not a number of seconds > 0" in err


@pytest.mark.parametrize("backend", ["pandas", "dask"])
def test_bad_line_names_its_part_and_row(tmp_path, lines, productions, capsys, backend):
    lines.loc[5, "factor"] = "train_xyz"              # 6th line: the 2nd row of the second part
    write_parts(lines, tmp_path / "lines", [4, 3])
    productions.to_parquet(tmp_path / "lines.productions.parquet", index=False)
    err = one_line_error(capsys, ["portfolio", tmp_path / "lines", "--backend", backend,
                                  "--edition", "2025.1"])
    assert f"{tmp_path / 'lines' / 'part.1.parquet'}, row 2: unknown factor id 'train_xyz'" in err
    with pytest.raises(UnknownFactor) as info:       # the same place, as data
        compute_portfolio(load_portfolio(tmp_path / "lines", backend=backend), load_edition("2025.1"))
    assert (Path(info.value.location.file).name, info.value.location.row) == ("part.1.parquet", 2)
