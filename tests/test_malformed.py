"""The corpus of malformed assessments: each mistake gets its specific error,
naming the file, the line and the field; the command line exits 2 with one line."""

import csv
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from carbonclap_methods import errors
from carbonclap_methods.cli import main
from carbonclap_methods.results import assess
from conftest import assert_user_error, unseal

CORPUS = Path(__file__).resolve().parent / "malformed"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".yaml" and p.name != "cases.yaml")


def expectation(path: Path) -> tuple[type, list[str]]:
    last = path.read_bytes().decode("utf-8", errors="replace").strip().splitlines()[-1]
    match = re.fullmatch(r"# expect: (\w+): (.*)", last)
    assert match, f"{path.name}: last line must be '# expect: ERROR: fragment | ...'"
    return getattr(errors, match.group(1)), [w.strip() for w in match.group(2).split("|")]


def test_corpus_is_large_enough():
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_library_error(path, edition):
    error, fragments = expectation(path)
    assert_user_error(path, error, fragments, edition)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_command_line_exit_2(path, capsys):
    _, fragments = expectation(path)
    assert main(["compute", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert fragments[-1] in err


# ---------------------------------------------------------------------------
# The corpus of cases.yaml: mistakes that are not one assessment file

import io
import json
import os
import shutil
import zipfile

import yaml
from openpyxl import load_workbook

from carbonclap_methods.assessment import load_assessment, to_dict
from carbonclap_methods.diff import diff_assessments
from carbonclap_methods.factors import load_edition, resolve_edition
from carbonclap_methods.files import check_output, printable
from carbonclap_methods.portfolio import compute_portfolio, load_portfolio
from carbonclap_methods.uncertainty import monte_carlo
from carbonclap_methods.workbook import write_workbook
from conftest import MINIMAL

CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def test_cases_are_named_once_and_complete():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert {"name", "class", "command", "library", "error", "expect"} <= set(case), case["name"]
        assert case["class"] in ("silent wrong result", "data lost", "unbounded", "traceback",
                                 "message"), case["name"]
        assert all(isinstance(f, str) for f in case["expect"]), case["name"]


def test_corpus_size():
    """The whole corpus: assessment files plus cases (the count the issue asks for)."""
    assert len(FILES) + len(CASES) >= 90


# -- builders: each makes the files of a case in the current folder

def build_minimal(*paths):
    for path in paths:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(MINIMAL, encoding="utf-8")


def build_json_huge_integer(path):
    doc = json.dumps({"format": "carbonclap-assessment/1", "production": {"type": "podcast"},
                      "activities": [{"factor": "train_tgv_fr", "quantity": 0, "unit": "pkm",
                                      "phase": "production"}]})
    Path(path).write_text(doc.replace('"quantity": 0', '"quantity": ' + "7" * 5000), encoding="utf-8")


def build_json_nested(path, depth):
    Path(path).write_text('{"format": "carbonclap-assessment/1", "production": {"type": "podcast"}, '
                          '"activities": [], "nested": ' + "[" * depth + "]" * depth + "}",
                          encoding="utf-8")


def build_fifo(path):
    os.mkfifo(path)


def build_sparse(path, size):
    with open(path, "wb") as handle:
        handle.truncate(size)


def build_workbook(path, mutation):
    build_minimal("source.yaml")
    write_workbook(to_dict(load_assessment("source.yaml")), path)
    if mutation == "malformed_xml":
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row r='1'><c"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return
    book = load_workbook(path)
    sheet = book["other"]
    if mutation == "formula_quantity":
        sheet["F2"] = "=2*465"                    # openpyxl stores no computed value
    elif mutation == "hidden_sheet":
        sheet.sheet_state = "hidden"
    elif mutation == "hidden_row":
        sheet.row_dimensions[2].hidden = True
    elif mutation == "too_many_rows":
        for row in range(3, 10_003):
            sheet.cell(row=row, column=1, value="x")
    elif mutation == "too_big":
        for row in range(3, 603):
            sheet.cell(row=row, column=9, value="x" * 32_000)
    book.save(path)


def build_portfolio_table(path, kind):
    path = Path(path)
    rows = [{"assessment": "a", "factor": "train_tgv_fr", "quantity": 930.0, "unit": "pkm",
             "phase": "production"}]
    if kind == "boolean":
        rows = [{**rows[0], "quantity": True}]
    elif kind == "late_text":
        rows = rows * 5000 + [{**rows[0], "quantity": "many"}]
    elif kind == "empty_quantity":
        rows = rows + [{**rows[0], "quantity": None}]
    elif kind == "negative_integer":
        rows = [{**rows[0], "quantity": -930}]
    elif kind == "overflow":
        rows = [{**rows[0], "factor": "hotel_night_gb", "unit": "night", "quantity": 1e307}] * 2
    lines = pd.DataFrame(rows)
    productions = pd.DataFrame([{"assessment": "a", "type": "podcast"}])
    beside = path.with_name(f"{path.stem}.productions{path.suffix}")
    if path.suffix == ".parquet":
        lines.to_parquet(path)
        productions.to_parquet(beside)
    else:
        lines.to_csv(path, index=False)
        if kind == "fifo_productions":
            os.mkfifo(beside)
        else:
            productions.to_csv(beside, index=False)


def build_edition(folder, mutation):
    build_minimal("a.yaml")
    folder = Path(folder)
    shutil.copytree(resolve_edition("2025.1"), folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    unseal(package)                               # a copy to break is a draft
    factors = package["resources"][0]
    fields = factors["schema"]["fields"]
    value = next(f for f in fields if f["name"] == "value")
    rows = (folder / "factors.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")

    def set_cell(column, text):
        cells = next(csv.reader([rows[1]]))
        cells[header.index(column)] = text
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(cells)
        rows[1] = buffer.getvalue()
        (folder / "factors.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    text = None
    if mutation == "negative_value":
        value["constraints"].pop("minimum")
        set_cell("value", "-1")
    elif mutation == "path_outside":
        Path("x").mkdir()
        shutil.copy(folder / "factors.csv", "x/factors.csv")
        factors["path"] = "../x/factors.csv"
    elif mutation == "offset_unit":
        set_cell("activity_unit", "degC")
    elif mutation == "half_sealed":
        factors["hash"] = "sha256:" + hashlib.sha256((folder / "factors.csv").read_bytes()).hexdigest()
    elif mutation == "malformed_hash":
        factors["hash"] = "md5:0"
    elif mutation == "value_string":
        value["type"] = "string"
    elif mutation == "duplicate_key":
        text = json.dumps(package)
        text = text[:-1] + ', "resources": []}'
    elif mutation != "none":
        (key, new), = yaml.safe_load(mutation).items()
        if key == "package":
            package = new
        elif key == "resource":
            package["resources"].append(new)
        elif key == "field":
            fields[0] = new
        elif key in ("constraints", "pattern"):
            if key == "constraints":
                fields[0]["constraints"] = new
            else:
                fields[0]["constraints"]["pattern"] = new
        elif key == "minimum":
            value["constraints"]["minimum"] = new
        elif key == "primaryKey":
            factors["schema"]["primaryKey"] = new
        elif key in ("path", "name"):
            factors[key] = new
        else:
            package[key] = new
    (folder / "datapackage.json").write_text(text or json.dumps(package), encoding="utf-8")


BUILDERS = {name[6:]: f for name, f in dict(globals()).items() if name.startswith("build_")}


# -- the library calls a case names

def _study_parameters(name, key, value):
    from carbonclap_methods.studies import check_parameters
    return check_parameters(name, [(key, value)])


LIBRARY = {
    "compute": lambda path: assess(load_assessment(path), load_edition()),
    "check_output": lambda output, *inputs: check_output(output, list(inputs)),
    "export_xlsx": lambda path, output: _export_xlsx(path, output),
    "monte_carlo": lambda path, n: monte_carlo(load_assessment(path).lines, load_edition(), n),
    "diff_assessments": lambda folder: diff_assessments(Path(folder), load_edition("2025.1"),
                                                        load_edition("2026.1")),
    "study_parameters": _study_parameters,
    "portfolio": lambda path, backend="pandas": compute_portfolio(
        load_portfolio(path, backend=backend), load_edition()),
    "load_edition": load_edition,
}


def _export_xlsx(path, output):
    from carbonclap_methods.errors import Location, OutputError
    try:
        write_workbook(to_dict(load_assessment(path)), Path(output))
    except OSError as exc:            # what the command line turns into its message
        raise OutputError(f"cannot write ({exc.strerror})", Location(output)) from exc


@pytest.fixture
def case_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _prepare(case):
    for name, text in (case.get("files") or {}).items():
        Path(name).write_text(text, encoding="utf-8")
    if case.get("build"):
        builder, *args = case["build"]
        BUILDERS[builder](*args)


def _listing(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_case_library(case, case_folder):
    _prepare(case)
    function, *args = case["library"]
    with pytest.raises(getattr(errors, case["error"])) as info:
        LIBRARY[function](*args)
    message = printable(info.value)
    for fragment in case["expect"]:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_case_command_line(case, case_folder, capsys):
    _prepare(case)
    before = _listing(case_folder)
    assert main([str(a) for a in case["command"]]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert len(err.splitlines()) == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and "\x1b" not in err
    for fragment in case["expect"]:
        assert fragment in err, (fragment, err)
    assert _listing(case_folder) == before, "a failed run changed files"


# ---------------------------------------------------------------------------
# Every error of the corpus carries its place as data (``.location``), not only
# in its text: the file it names, and the line the expectation gives.

# Cases whose mistake is in no file: an option or a study parameter, or a text
# of an assessment given to the workbook writer as data.
NOT_IN_A_FILE = {"uncertainty_over_the_limit", "uncertainty_huge_digits", "study_integer_too_long",
                 "study_iterations_over_the_limit", "export_control_character"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_library_error_carries_its_file_and_line(path, edition):
    _, fragments = expectation(path)
    with pytest.raises(errors.CarbonClapError) as info:
        assess(load_assessment(path), edition)
    where = info.value.location
    assert where is not None and Path(where.file) == path, (path.name, where)
    lines = [int(m[1]) for f in fragments for m in [re.fullmatch(r"line (\d+)", f)] if m]
    if lines:
        assert where.line == lines[0], (path.name, where)


def _names(case) -> set[str]:
    """Every name a case's command, files and build step give (files, folders)."""
    given = [*case["command"], *(case.get("files") or {}), *(case.get("build") or [])[1:]]
    return {Path(str(a)).name for a in given if str(a).strip()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_case_error_carries_its_file(case, case_folder):
    _prepare(case)
    function, *args = case["library"]
    with pytest.raises(errors.CarbonClapError) as info:
        LIBRARY[function](*args)
    where = info.value.location
    if case["name"] in NOT_IN_A_FILE:
        assert where is None or where.file is None, where
        return
    assert where is not None and where.file is not None, (case["name"], str(info.value))
    file = Path(str(where.file))        # a file the case gives, or one its expectation names
    assert _names(case) & set(file.parts) or any(file.name in f for f in case["expect"]), \
        (case["name"], where)
