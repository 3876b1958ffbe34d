"""The command line: contracts of DESIGN.md, exit statuses, atomic output."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from carbonclap_methods.cli import main
from conftest import run_cli

TGV = 0.00293  # kgCO2e per passenger-km, ADEME Base Carbone V23.6 element 43256


run = run_cli        # the entry point, in this process


def test_the_command_runs_as_a_process_without_traceback(write):
    """One real process: ``python -m carbonclap_methods.cli`` and a user error."""
    proc = subprocess.run([sys.executable, "-m", "carbonclap_methods.cli", "compute",
                           write("bad.yaml", "format: [")], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_compute_json_contract(write, minimal_text):
    proc = run("compute", write("a.yaml", minimal_text), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    for key in ("total_kgco2e", "by_category", "by_phase", "lines", "indicators",
                "equivalences", "edition", "edition_sha256"):
        assert key in doc
    assert doc["total_kgco2e"] == pytest.approx(930 * TGV)
    line = doc["lines"][0]
    assert (line["factor"], line["quantity"], line["unit"]) == ("train_tgv_fr", 930, "passenger_km")
    assert line["kgco2e"] == pytest.approx(930 * TGV)
    assert doc["equivalences"]["earth_laps_petrol_car"]["factors"] == ["car_thermal_fr_vkm_impactco2_2022", "ref_earth_circumference"]


def test_compute_table_and_csv(write, minimal_text):
    path = write("a.yaml", minimal_text)
    table = run("compute", path)
    assert table.returncode == 0 and "Total: 2.7 kgCO2e" in table.stdout
    csv_out = run("compute", path, "--format", "csv")
    header, row = csv_out.stdout.splitlines()[:2]
    assert header.startswith("factor,quantity,unit,phase,category")
    assert row.startswith("train_tgv_fr,930.0,passenger_km,production,transport")


def test_output_is_written_atomically(write, minimal_text, tmp_path):
    out = tmp_path / "deep" / "result.json"
    assert main(["compute", str(write("a.yaml", minimal_text)), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["total_kgco2e"] == pytest.approx(930 * TGV)
    assert [p.name for p in out.parent.iterdir()] == ["result.json"]   # no temporary left


def test_failed_compute_keeps_the_previous_output(write, minimal_text, tmp_path):
    out = tmp_path / "result.json"
    out.write_text("previous")
    bad = write("bad.yaml", minimal_text.replace("quantity: 930", "quantity: -1"))
    assert main(["compute", str(bad), "-o", str(out)]) == 2
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "result.json"]


@pytest.mark.parametrize("args,words", [
    (["compute", "{missing}"], ["no such file"]),
    (["compute", "{bad}"], ["unknown factor id 'train_tgv_xx'", "activities[0]"]),
    (["compute", "{mismatch}"], ["'km'", "'passenger_km'", "line 12"]),
    (["compute", "{ok}", "--edition", "1999.9"], ["unknown factor edition '1999.9'"]),
    (["compute", "{ok}", "--format", "pdf"], ["invalid choice: 'pdf'"]),
    (["factors", "show", "no_such_id"], ["unknown factor id 'no_such_id'"]),
    (["frobnicate"], ["invalid choice: 'frobnicate'"]),
])
def test_user_mistakes_exit_2_with_one_line(write, minimal_text, tmp_path, args, words):
    files = {
        "missing": tmp_path / "nope.yaml",
        "bad": write("bad.yaml", minimal_text.replace("train_tgv_fr", "train_tgv_xx")),
        "mismatch": write("mm.yaml", minimal_text.replace("unit: passenger_km", "unit: km")),
        "ok": write("ok.yaml", minimal_text),
    }
    proc = run(*[a.format(**files) for a in args])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


def test_factors_list_formats():
    from carbonclap_methods.factors import load_edition
    edition = load_edition()          # factors list shows the default edition
    as_json = json.loads(run("factors", "list", "--format", "json").stdout)
    rows = {row["id"]: row for row in as_json["factors"]}
    assert len(rows) == len(edition.table)
    tgv = rows["train_tgv_fr"]
    for key in ("id", "value", "unit", "activity_unit", "category", "geography", "year",
                "source", "source_id", "uncertainty_pct"):
        assert key in tgv
    assert (tgv["value"], tgv["activity_unit"], tgv["source_id"]) == (0.00293, "passenger_km", "43256")
    as_csv = run("factors", "list", "--format", "csv").stdout.splitlines()
    assert as_csv[0].startswith("id,value,unit,activity_unit,category,geography,year,source,source_id,uncertainty_pct")
    assert len(as_csv) == len(edition.table) + 1
    assert "train_tgv_fr" in run("factors", "list").stdout


def test_factors_show():
    proc = run("factors", "show", "train_tgv_fr")
    assert proc.returncode == 0
    assert "43256" in proc.stdout and "passenger_km" in proc.stdout


def test_factors_validate_ok_and_broken(edition, edition_copy):
    from carbonclap_methods.factors import default_edition
    ok = run("factors", "validate", default_edition())       # the edition the templates follow
    assert ok.returncode == 0 and "valid" in ok.stdout and "templates and examples fit" in ok.stdout
    # an older edition is valid on its own; today's questionnaires are checked on demand
    old = run("factors", "validate", edition.path, "--no-templates", "--no-examples")
    assert old.returncode == 0, old.stderr
    lines = (edition_copy / "factors.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    lines.append(lines[1])                                  # duplicate id on the last line
    lines[2] = lines[2].replace(",kgCO2e,", ",kgCO2e,", 1)
    (edition_copy / "factors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = run("factors", "validate", edition_copy)
    assert broken.returncode == 2
    assert f"line {len(lines)}, column id: duplicate id '{first[0]}'" in broken.stdout
    assert len(broken.stderr.splitlines()) == 1 and "edition is not valid" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_no_traceback_for_a_broken_edition(write, minimal_text, edition_copy):
    (edition_copy / "factors.csv").write_bytes(b"\xff\xfe")
    proc = run("compute", write("a.yaml", minimal_text), "--edition", edition_copy)
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr and "Traceback" not in proc.stderr


def test_outputs_get_ordinary_permissions(tmp_path, write, minimal_text):
    old = os.umask(0o022)
    try:
        out = tmp_path / "result.json"
        assert main(["compute", str(write("a.yaml", minimal_text)), "--format", "json", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_table_shows_the_genre_benchmark():
    proc = run("compute", Path(__file__).resolve().parent.parent / "examples" / "documentary.yaml")
    assert proc.returncode == 0
    assert "the 2024 Carbon'Clap mean for documentaries (per production) [ecoprod_documentary" in proc.stdout


def test_the_script_ends_quickly_with_its_whole_output(tmp_path):
    """The ``carbonclap`` script ends compute with os._exit after flushing:
    the output is whole, on a pipe and in a file, and a mistake still exits 2."""
    example = str(Path(__file__).resolve().parent.parent / "examples" / "podcast_episode.yaml")
    script = [sys.executable, "-c", "from carbonclap_methods.cli import console; console()"]
    piped = subprocess.run(script + ["compute", example, "--format", "csv"],
                           capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stderr == ""
    rows = piped.stdout.splitlines()
    assert rows[0].startswith("factor,quantity,unit") and len(rows) > 10
    out = tmp_path / "result.csv"
    written = subprocess.run(script + ["compute", example, "--format", "csv", "-o", str(out)],
                             capture_output=True, text=True)
    assert written.returncode == 0 and out.read_text().splitlines() == rows
    mistake = subprocess.run(script + ["compute", str(tmp_path / "absent.yaml")],
                             capture_output=True, text=True)
    assert mistake.returncode == 2 and mistake.stderr.startswith("error: ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_standard_output_is_one_line():
    example = str(Path(__file__).resolve().parent.parent / "examples" / "podcast_episode.yaml")
    script = [sys.executable, "-c", "from carbonclap_methods.cli import console; console()"]
    with open("/dev/full", "w") as full:
        proc = subprocess.run(script + ["compute", example, "--format", "csv"], stdout=full,
                              stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2
    assert proc.stderr == "error: standard output: cannot write (No space left on device)\n"
