"""What issue 12 changed beyond refusing: YAML 1.2 reading, text cells kept as
text, CSV cells escaped, outputs that keep their permissions and are replaced
whole (alone or as a pair), clean exits on Ctrl-C and SIGTERM, escaped titles,
paths of study parameters resolved against the current folder."""

import csv
import io
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from carbonclap_methods import files
from carbonclap_methods.assessment import load_assessment, to_dict
from carbonclap_methods.cli import main
from carbonclap_methods.errors import CarbonClapError
from carbonclap_methods.files import write_atomic, write_atomic_many
from carbonclap_methods.render import csv_cell, csv_text
from carbonclap_methods.workbook import read_workbook, write_workbook
from conftest import MINIMAL


# -- YAML 1.2 core schema: what YAML 1.1 turned into booleans, dates and sexagesimals is text

def test_yaml_12_words_dates_and_colons_are_text(write):
    text = (MINIMAL.replace("country: FR", "country: NO")
            .replace("title: Podcast, episode 12", "title: yes")
            .replace("note: two guests, Paris-Lyon return", "note: 2025-03-01"))
    text += "    id: 1:30\n"
    assessment = load_assessment(write("a.yaml", text))
    assert assessment.production["country"] == "NO"          # Norway, not False
    assert assessment.production["title"] == "yes"
    line = to_dict(assessment)["activities"][0]
    assert line["note"] == "2025-03-01" and line["id"] == "1:30"


def test_yaml_12_numbers(write):
    for written, value in (("1e3", 1000.0), ("0x10", 16.0), ("0o17", 15.0), ("12.5", 12.5),
                           ("0", 0.0), ("0.25", 0.25)):
        path = write("a.yaml", MINIMAL.replace("quantity: 930", f"quantity: {written}"))
        assert load_assessment(path).lines["quantity"].iat[0] == value, written


def test_a_quoted_leading_zero_is_text(write):
    path = write("a.yaml", MINIMAL.replace("title: Podcast, episode 12", "title: '007'"))
    assert load_assessment(path).production["title"] == "007"


# -- workbooks: any text survives the round trip, as text

TEXTS = ['=HYPERLINK("http://example.com","click")', "=1+2", "+33 1 23 45 67 89", "-", "@home",
         "- a list item", "tab\tinside", "  ", "é ☃ 🎬"]


def test_text_that_looks_like_a_formula_round_trips(write, tmp_path):
    data = to_dict(load_assessment(write("a.yaml", MINIMAL)))
    data["production"]["title"] = TEXTS[0]
    data["activities"] = [{**data["activities"][0], "note": t, "id": f"l{i}"}
                          for i, t in enumerate(TEXTS[1:])]
    out = tmp_path / "a.xlsx"
    write_workbook(data, out)
    sheet = load_workbook(out)["production"]
    title = next(row[1] for row in sheet.iter_rows() if row[0].value == "title")
    assert title.data_type == "s" and title.value == TEXTS[0]     # a text, not a live formula
    back = read_workbook(out)
    assert back["production"]["title"] == TEXTS[0]
    assert [line.get("note") for line in back["activities"]] == [t.strip() or None for t in TEXTS[1:]]


def test_a_formula_with_a_computed_value_is_read_as_that_value(write, tmp_path):
    out = tmp_path / "a.xlsx"
    write_workbook(to_dict(load_assessment(write("a.yaml", MINIMAL))), out)
    book = load_workbook(out)
    book["other"]["F2"] = "=2*465"
    book.save(out)
    with zipfile.ZipFile(out) as archive:       # what a spreadsheet application saves
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/") and b"2*465" in parts[n])
    parts[sheet] = parts[sheet].replace(b"<f>2*465</f><v></v>", b"<f>2*465</f><v>930</v>")
    parts[sheet] = parts[sheet].replace(b"<f>2*465</f><v />", b"<f>2*465</f><v>930</v>")
    assert b"<v>930</v>" in parts[sheet]
    with zipfile.ZipFile(out, "w") as archive:
        for name, payload in parts.items():
            archive.writestr(name, payload)
    assert read_workbook(out)["activities"][0]["quantity"] == 930


def test_a_meta_sheet_of_any_shape_is_read(write, tmp_path):
    out = tmp_path / "a.xlsx"
    data = to_dict(load_assessment(write("a.yaml", MINIMAL)))
    data["sections"] = ["travel"]
    write_workbook(data, out)
    book = load_workbook(out)
    meta = book["meta"]
    meta.append(["wide", '"x"', "a third cell", "a fourth"])
    meta.append(["narrow"])
    meta.append(["production", '"not the production"'])
    book.save(out)
    back = read_workbook(out)
    assert back["wide"] == "x" and back["narrow"] is None and back["sections"] == ["travel"]
    assert back["production"]["type"] == "podcast"


# -- CSV cells a spreadsheet would run as formulas are escaped (OWASP)

def test_csv_cells_are_escaped():
    rows = [{"note": t, "kg": -3.5} for t in ("=1+2", "+1", "-x", "@a", "\tb", "plain")]
    read = list(csv.DictReader(io.StringIO(csv_text(rows, ["note", "kg"]), newline="")))
    assert [r["note"] for r in read] == ["'=1+2", "'+1", "'-x", "'@a", "'\tb", "plain"]
    assert {r["kg"] for r in read} == {"-3.5"}                  # numbers are left alone
    assert csv_cell("\rc") == "'\rc" and csv_cell(-2) == -2


def test_export_csv_escapes_notes(write, tmp_path, capsys):
    path = write("a.yaml", MINIMAL.replace("note: two guests, Paris-Lyon return",
                                           "note: '=HYPERLINK(\"http://x\")'"))
    assert main(["export", str(path), "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 0
    assert "'=HYPERLINK" in (tmp_path / "a.csv").read_text(encoding="utf-8")


# -- outputs

def test_overwriting_keeps_the_permissions(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o600


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_failed_pair_leaves_the_previous_pair(tmp_path, monkeypatch):
    a, b = tmp_path / "lines.parquet", tmp_path / "lines.productions.parquet"
    a.write_text("old a")
    b.write_text("old b")
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(OSError):
        write_atomic_many([(b, "new b"), (a, "new a")])
    monkeypatch.setattr(files.os, "replace", real)
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert _temporaries(tmp_path) == []


def test_a_new_pair_that_fails_leaves_nothing(tmp_path, monkeypatch):
    a, b = tmp_path / "x.parquet", tmp_path / "x.productions.parquet"
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(OSError):
        write_atomic_many([(b, "b"), (a, "a")])
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text() == "old" and _temporaries(tmp_path) == []


SLOW_COMMAND = """
import sys, time
from carbonclap_methods import cli
from carbonclap_methods.files import write_atomic

def slow(args):                      # a write under way when the signal comes
    print("ready", flush=True)
    time.sleep(60)
    write_atomic(args.output, "never")

cli.cmd_compute = slow               # build_parser looks it up when main runs
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_exits_cleanly_with_one_line(signum, write, tmp_path):
    path = write("a.yaml", MINIMAL)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_COMMAND, "compute", str(path), "-o", str(tmp_path / "o.txt")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.splitlines() == ["interrupted (outputs are written whole or not at all)"]
    assert not (tmp_path / "o.txt").exists() and _temporaries(tmp_path) == []


# -- what is printed

def test_a_title_with_escape_sequences_is_printed_escaped(write, capsys):
    path = write("a.yaml", MINIMAL.replace("title: Podcast, episode 12",
                                           'title: "\\e[2J\\e[31mred\\nsecond line"'))
    assert main(["compute", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.splitlines()[0] == "\\x1b[2J\\x1b[31mred\\nsecond line"


def test_numpy_numbers_are_shown_as_plain_numbers(tmp_path, capsys):
    lines = pd.DataFrame({"assessment": ["a"], "factor": ["train_tgv_fr"], "quantity": [-930],
                          "unit": ["pkm"], "phase": ["production"]})
    lines.to_parquet(tmp_path / "l.parquet")
    pd.DataFrame({"assessment": ["a"], "type": ["podcast"]}).to_parquet(
        tmp_path / "l.productions.parquet")
    assert main(["portfolio", str(tmp_path / "l.parquet")]) == 2
    err = capsys.readouterr().err
    assert "quantity: -930 is negative" in err and "np." not in err


# -- study parameters: paths are the user's, not the notebook's folder's

def test_relative_study_paths_are_resolved_against_the_current_folder(tmp_path, monkeypatch):
    from carbonclap_methods.factors import resolve_edition
    from carbonclap_methods.studies import check_parameters
    import shutil
    (tmp_path / "mine").mkdir()
    shutil.copytree(resolve_edition("2025.1"), tmp_path / "ed")
    monkeypatch.chdir(tmp_path)
    values = check_parameters("genre_benchmarks", [("examples_dir", "mine"), ("edition", "ed")])
    assert values["examples_dir"] == str(tmp_path / "mine")
    assert values["edition"] == str(tmp_path / "ed")
    assert check_parameters("genre_benchmarks", [("edition", "2025.1")])["edition"] == "2025.1"
    with pytest.raises(CarbonClapError, match="examples_dir: .* is not a folder"):
        check_parameters("genre_benchmarks", [("examples_dir", "studies")])


def test_monte_carlo_draws_that_overflow_name_the_line(write, edition):
    from carbonclap_methods.errors import InvalidQuantity
    from carbonclap_methods.uncertainty import monte_carlo
    path = write("a.yaml", MINIMAL.replace("factor: train_tgv_fr", "factor: hotel_night_gb")
                 .replace("quantity: 930", "quantity: 1.5e307").replace("unit: passenger_km",
                                                                       "unit: night"))
    lines = load_assessment(path).lines           # 1.56e308 kg: finite, its draws are not
    with pytest.raises(InvalidQuantity, match=r"activities\[0\]\.quantity: the Monte Carlo draws overflow"):
        monte_carlo(lines, edition, 1000, seed=1)


def test_the_app_upload_goes_through_the_same_limits(edition):
    """The guided app reads an upload with the package's readers: a 500-byte
    alias bomb is refused instead of growing the kernel, and so is a line
    whose result overflows."""
    from carbonclap_methods.widgets.storage import read_upload
    bomb = (CORPUS / "alias_bomb.yaml").read_bytes()
    with pytest.raises(CarbonClapError, match=r"^alias_bomb\.yaml, line \d+: .*aliases expanded"):
        read_upload("alias_bomb.yaml", bomb, edition)       # benchmarks/limits.py times it
    overflow = (CORPUS / "overflow_line.yaml").read_bytes()
    with pytest.raises(CarbonClapError, match=r"^overflow_line\.yaml, .*overflows"):
        read_upload("overflow_line.yaml", overflow, edition)


CORPUS = Path(__file__).resolve().parent / "malformed"
