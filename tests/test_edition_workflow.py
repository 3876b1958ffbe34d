"""The methodologist's workflow: factors new -> edit -> validate -> release."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from carbonclap_methods import bundled, edition_workflow
from carbonclap_methods.cli import main
from carbonclap_methods.errors import EditionIntegrity, InvalidEdition
from carbonclap_methods.factors import edition_sha256, load_edition, resolve_edition, validate_edition
from conftest import run_cli

TGV = 0.00293   # kgCO2e per passenger-km, ADEME Base Carbone V23.6 element 43256 (2026.2, 2026.3)
PARENT = "2026.3"   # the default edition: the templates name its studio-hour rows


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _edit(path: Path, **changes) -> None:
    """Set columns of factor rows: ``_edit(csv, train_tgv_fr={"value": "0.0035"})``;
    a change of ``None`` removes the row."""
    rows = []
    for row in _rows(path):
        change = changes.get(row["id"], {})
        if change is not None:
            rows.append({**row, **change})
    _write_rows(path, rows)


def _complete_sources(folder: Path) -> None:
    rows = _rows(folder / "sources.csv")
    for row in rows:
        row["licence"] = row["licence"] or "etalab-2.0"
        row["access_date"] = "2026-11-20"
    _write_rows(folder / "sources.csv", rows)


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    folder = tmp_path / "editions"
    folder.mkdir()
    monkeypatch.setenv("CARBONCLAP_FACTORS_DIR", str(folder))
    return folder


@pytest.fixture
def draft(user_dir):
    proc = run_cli("factors", "new", "2026.9", "--from", PARENT)
    assert proc.returncode == 0, proc.stderr
    return user_dir / "2026.9"


def test_new_makes_an_unsealed_draft_with_a_sources_table(draft):
    package = json.loads((draft / "datapackage.json").read_text(encoding="utf-8"))
    assert package["draft"] is True and package["version"] == "2026.9"
    assert package["title"].endswith("edition 2026.9")
    assert all("hash" not in r for r in package["resources"])
    assert "descriptor_sha256" not in package["carbonclap"]
    parent = load_edition(PARENT)
    assert package["carbonclap"]["parent"] == {"edition": PARENT, "sha256": parent.sha256}
    assert package["carbonclap"]["derived_from"] == PARENT and PARENT in package["description"]
    assert not (draft / "CHANGELOG.md").exists()
    sources = {r["id"]: r for r in _rows(draft / "sources.csv")}
    factors = _rows(draft / "factors.csv")
    # one source per distinct citation of the parent, each row pointing to its own
    assert len(sources) == len({r["source"] for r in factors})
    for row in factors:
        assert sources[row["source_ref"]]["title"] == row["source"]
    assert sources["ademe_base_carbone_v23_6"]["licence"] == "etalab-2.0"
    assert validate_edition(draft) == []
    # the shipped edition is untouched: still sealed, its files match their hashes
    assert load_edition(PARENT).sha256 == parent.sha256 and validate_edition(resolve_edition(PARENT)) == []


def test_a_draft_computes_marked_as_a_draft(draft, write, minimal_text):
    path = write("a.yaml", minimal_text)
    proc = run_cli("compute", path, "--edition", "2026.9", "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["edition"] == "2026.9" and doc["edition_status"] == "draft edition"
    assert doc["total_kgco2e"] == pytest.approx(930 * TGV)
    assert "draft edition" in run_cli("compute", path, "--edition", "2026.9").stdout
    forecast = write("f.yaml", minimal_text)
    final = write("g.yaml", minimal_text.replace("stage: forecast", "stage: final"))
    compare = run_cli("compare", forecast, final, "--edition", "2026.9", "--format", "json")
    assert json.loads(compare.stdout)["edition_status"] == "draft edition"
    released = json.loads(run_cli("compute", path, "--edition", PARENT, "--format", "json").stdout)
    assert "edition_status" not in released
    # every result names the draft: CSV lines, plans, portfolios (table and JSON)
    assert "2026.9 (draft edition)" in run_cli("compute", path, "--edition", "2026.9",
                                               "--format", "csv").stdout
    assert "draft edition" in run_cli("plan", path, "--edition", "2026.9").stdout
    plan = json.loads(run_cli("plan", path, "--edition", "2026.9", "--format", "json").stdout)
    assert plan["edition_status"] == "draft edition"
    folder = Path(path).parent
    assert "(draft edition)" in run_cli("portfolio", folder, "--edition", "2026.9").stdout
    portfolio = json.loads(run_cli("portfolio", folder, "--edition", "2026.9",
                                   "--format", "json").stdout)
    assert portfolio["edition_status"] == "draft edition"


def test_validate_names_every_template_field_and_example_line_a_removal_breaks(draft):
    _edit(draft / "factors.csv", meal_average_fr=None)
    proc = run_cli("factors", "validate", "2026.9")
    assert proc.returncode == 2
    problems = proc.stdout.strip().splitlines()          # the listing; stderr has one line
    uses = [p for p in problems if "meal_average_fr" in p]
    assert uses == problems
    # every example line using it, by file and line number, as grep finds them
    example_lines = []
    for path in sorted(bundled.examples().glob("*.yaml")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.strip() == "factor: meal_average_fr":
                example_lines.append((path.name, number))
    assert example_lines
    for name, _ in example_lines:
        assert any(name in p for p in problems), name
    assert any("default_factor 'meal_average_fr'" in p for p in problems)
    assert len(proc.stderr.splitlines()) == 1 and "edition is not valid" in proc.stderr


@pytest.mark.parametrize("key, change, words", [
    ("earth_circumference", {"value": "0"}, "it must be > 0"),
    ("petrol_car_km", None, "unknown factor id"),
])
def test_an_equivalence_reference_must_exist_and_be_positive(draft, key, change, words):
    package = json.loads((draft / "datapackage.json").read_text(encoding="utf-8"))
    factor_id = package["carbonclap"]["equivalences"][key]
    if change is None:                     # the reference names a row that is not there
        package["carbonclap"]["equivalences"][key] = "nope"
        (draft / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    else:
        _edit(draft / "factors.csv", **{factor_id: change})
    proc = run_cli("factors", "validate", "2026.9")
    assert proc.returncode == 2
    assert f"carbonclap.equivalences.{key}" in proc.stdout and words in proc.stdout


def test_a_source_ref_must_name_a_source(draft):
    _edit(draft / "factors.csv", train_tgv_fr={"source_ref": "nowhere"})
    problems = validate_edition(draft)
    assert len(problems) == 1
    assert "factors.csv, line" in problems[0] and "column source_ref" in problems[0]
    assert "'nowhere'" in problems[0]


def test_release_refuses_a_draft_whose_sources_lack_licence_or_date(draft):
    sources = _rows(draft / "sources.csv")               # copied from the parent, then
    sources[0]["licence"] = ""                           # a source not checked yet
    for row in sources[1:3]:
        row["access_date"] = ""
    _write_rows(draft / "sources.csv", sources)
    before = (draft / "datapackage.json").read_text(encoding="utf-8")
    proc = run_cli("factors", "release", "2026.9")
    assert proc.returncode == 2
    missing = [p for p in proc.stdout.splitlines() if "required to release" in p]
    assert len(missing) == 3
    assert len([p for p in missing if "access_date" in p]) == 2 and "column licence" in missing[0]
    assert (draft / "datapackage.json").read_text(encoding="utf-8") == before
    assert not (draft / "CHANGELOG.md").exists()


def test_release_writes_the_changelog_and_seals(draft):
    _complete_sources(draft)
    _edit(draft / "factors.csv", train_tgv_fr={"value": "0.0035"}, electricity_fr_2025_em=None)
    proc = run_cli("factors", "release", "2026.9")
    assert proc.returncode == 0, proc.stderr
    log = (draft / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"from edition {PARENT}" in log and "1 changed, 0 added, 1 removed" in log
    # 0.0035 / 0.00293 - 1 = +19.45 %
    assert ("| `train_tgv_fr` | value | 0.00293 kgCO2e/passenger_km | "
            "0.0035 kgCO2e/passenger_km | +19.45 |") in log
    assert "| `electricity_fr_2025_em` | 0.031 kgCO2e/kWh |" in log
    package = json.loads((draft / "datapackage.json").read_text(encoding="utf-8"))
    assert "draft" not in package
    assert all(r["hash"].startswith("sha256:") for r in package["resources"])
    assert set(package["carbonclap"]["sealed_files"]) == {"README.md", "CHANGELOG.md"}
    assert package["carbonclap"]["descriptor_sha256"] == _canonical_sha256(package)
    edition = load_edition("2026.9")
    assert not edition.draft and "edition_status" not in edition.describe()
    # immutable from now on
    again = run_cli("factors", "release", "2026.9")
    assert again.returncode == 2 and "already released" in again.stderr
    readme = (draft / "README.md").read_text(encoding="utf-8")
    (draft / "README.md").write_text("edited\n", encoding="utf-8")
    with pytest.raises(EditionIntegrity, match="must not be edited"):
        load_edition(draft)
    (draft / "README.md").write_text(readme, encoding="utf-8")
    assert validate_edition(draft) == []
    package["description"] = "changed after release"
    (draft / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(EditionIntegrity, match="datapackage.json: the released metadata changed"):
        load_edition(draft)


def test_release_adds_a_row_with_its_source(draft):
    _complete_sources(draft)
    rows = _rows(draft / "factors.csv")
    tgv = next(r for r in rows if r["id"] == "train_tgv_fr")
    rows.append({**tgv, "id": "train_tgv_fr_2027", "year": "2027", "value": "0.0031"})
    _write_rows(draft / "factors.csv", rows)
    edition_workflow.release_edition("2026.9")
    log = (draft / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "0 changed, 1 added, 0 removed" in log
    assert "| `train_tgv_fr_2027` | 0.0031 kgCO2e/passenger_km | ADEME Base Carbone V23.6 |" in log


def test_release_refuses_an_invalid_draft(draft):
    _complete_sources(draft)
    _edit(draft / "factors.csv", train_tgv_fr={"value": "-1"})
    with pytest.raises(InvalidEdition, match="below the minimum"):
        edition_workflow.release_edition("2026.9")
    assert json.loads((draft / "datapackage.json").read_text(encoding="utf-8"))["draft"] is True


def test_new_refuses_a_taken_name_and_a_read_only_install(user_dir, monkeypatch):
    proc = run_cli("factors", "new", "2026.1", "--from", "2025.1")
    assert proc.returncode == 2 and "already exists" in proc.stderr
    bad = run_cli("factors", "new", "../x", "--from", "2025.1")
    assert bad.returncode == 2 and "not a valid edition name" in bad.stderr
    monkeypatch.delenv("CARBONCLAP_FACTORS_DIR")
    monkeypatch.setattr(bundled, "checkout", lambda: None)     # as in an installed wheel
    wheel = run_cli("factors", "new", "2026.9", "--from", "2025.1")
    assert wheel.returncode == 2 and "--factors-dir" in wheel.stderr
    assert list(user_dir.iterdir()) == []


def test_the_app_marks_a_draft_edition(draft, tmp_path):
    from carbonclap_methods.widgets import GuidedAssessment
    for lang, words in (("fr", "édition provisoire"), ("en", "draft edition")):
        app = GuidedAssessment("podcast", lang, edition="2026.9", save_folder=tmp_path)
        assert words in app.edition_note.value
    released = GuidedAssessment("podcast", "en", edition=PARENT, save_folder=tmp_path)
    assert "draft" not in released.edition_note.value


def test_app_edition_option_reaches_the_kernel(draft, monkeypatch):
    from carbonclap_methods.widgets import serve
    seen = {}
    monkeypatch.setattr(serve, "serve", lambda port, open_browser, save_dir, app="guided":
                        seen.setdefault("edition", __import__("os").environ.get("CARBONCLAP_EDITION"))
                        and 0)
    assert run_cli("app", "--no-browser", "--edition", "2026.9").returncode == 0
    assert seen["edition"] == str(draft.resolve())
    bad = run_cli("app", "--no-browser", "--edition", "nope")
    assert bad.returncode == 2 and "unknown factor edition 'nope'" in bad.stderr


def test_an_edition_never_sealed_is_released_like_a_draft(user_dir):
    """An edition made by hand (no hash, no draft flag, ``derived_from``, a CHANGELOG
    written by hand): ``factors sources`` then ``factors release``."""
    import shutil
    folder = user_dir / "2026.8"
    shutil.copytree(resolve_edition(PARENT), folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    package.pop("draft", None)
    package.setdefault("carbonclap", {})["derived_from"] = "2026.1"
    package["carbonclap"].pop("sealed_files", None)
    package["carbonclap"].pop("parent", None)        # made by hand: no parent recorded by factors new
    package["carbonclap"].pop("descriptor_sha256", None)
    package["resources"] = [r for r in package["resources"] if r.get("name") != "sources"]
    for resource in package["resources"]:          # as made by hand: no seal, no sources table
        resource.pop("hash", None)
        schema = resource.get("schema", {})
        schema.pop("foreignKeys", None)
        schema["fields"] = [f for f in schema.get("fields", []) if f["name"] != "source_ref"]
    (folder / "sources.csv").unlink()
    rows = _rows(folder / "factors.csv")
    _write_rows(folder / "factors.csv", [{k: v for k, v in r.items() if k != "source_ref"}
                                         for r in rows])
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (folder / "CHANGELOG.md").write_text("# By hand\n\nWhy rows moved.\n", encoding="utf-8")
    refused = run_cli("factors", "release", "2026.8")
    assert refused.returncode == 2 and "carbonclap factors sources 2026.8" in refused.stderr
    assert run_cli("factors", "sources", "2026.8").returncode == 0
    _complete_sources(folder)
    proc = run_cli("factors", "release", "2026.8")
    assert proc.returncode == 0, proc.stderr
    log = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.startswith("# Edition 2026.8") and "from edition 2026.1" in log
    assert "## Notes kept from the draft's CHANGELOG.md" in log and "Why rows moved." in log
    again = run_cli("factors", "sources", "2026.8")
    assert again.returncode == 2 and "already released" in again.stderr


# ---------------------------------------------------------------------------
# The seal of a released edition's metadata (datapackage.json itself)

def _released_copy(tmp_path: Path, name: str = "2026.2") -> Path:
    import shutil
    folder = tmp_path / name
    shutil.copytree(resolve_edition(name), folder)
    return folder


def _canonical_sha256(package: dict) -> str:
    """The seal computed here by hand: the datapackage without its seal, keys sorted, no spaces."""
    import hashlib
    package = json.loads(json.dumps(package))
    package["carbonclap"].pop("descriptor_sha256", None)
    text = json.dumps(package, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", ["2025.1", "2026.1", "2026.2", "2026.3"])
def test_every_released_edition_seals_its_metadata(name):
    path = resolve_edition(name) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    assert package["carbonclap"]["descriptor_sha256"] == _canonical_sha256(package)


def test_an_unchanged_copy_of_a_released_edition_validates(tmp_path):
    assert validate_edition(_released_copy(tmp_path)) == []


@pytest.mark.parametrize("change", ["title", "equivalence"])
def test_an_edited_released_datapackage_is_refused(tmp_path, monkeypatch, change):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _released_copy(tmp_path)
    load_edition(folder)                    # valid: remembered in the cache by its digest
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    if change == "title":
        package["title"] += " (edited)"
    else:                                   # another reference factor for the car equivalence
        package["carbonclap"]["equivalences"]["petrol_car_km"] = "car_petrol_fr_vkm"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = validate_edition(folder)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: the released metadata changed")
    with pytest.raises(EditionIntegrity, match="released metadata changed.*must not be edited"):
        load_edition(folder)                # the cache of valid editions does not hide the edit


def test_a_released_edition_without_its_metadata_seal_is_refused(tmp_path):
    folder = _released_copy(tmp_path, "2025.1")
    path = folder / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if '"descriptor_sha256"' not in l), encoding="utf-8")
    problems = validate_edition(folder)
    assert problems == [f"{path}: the edition is released (its tables carry a hash) but records "
                        "no carbonclap.descriptor_sha256, the seal of its metadata; a released "
                        "edition must not be edited, make a new one (an edition released before "
                        "metadata seals existed: carbonclap factors seal NAME)"]
    # the migration adds it back as one line, nothing else changed
    assert edition_workflow.add_descriptor_seal(folder) is True
    assert path.read_text(encoding="utf-8").splitlines(keepends=True) == lines
    assert edition_workflow.add_descriptor_seal(folder) is False
    assert validate_edition(folder) == []


def test_a_release_with_its_hashes_removed_is_still_refused(tmp_path, monkeypatch):
    """Removing the table hashes to edit a release changes the datapackage, so the
    recorded seal no longer matches: refused, not taken for a draft."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _released_copy(tmp_path, "2026.3")
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource.pop("hash", None)
    package["carbonclap"].pop("sealed_files", None)
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = folder / "factors.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",2.04,kgCO2e,meal,", ",0.04,kgCO2e,meal,"),
                     encoding="utf-8")
    problems = validate_edition(folder)
    assert len(problems) == 1 and problems[0].startswith(f"{path}: the released metadata changed")
    with pytest.raises(EditionIntegrity):
        load_edition(folder)


def test_the_seal_line_is_left_out_of_the_edition_digest(tmp_path):
    """2026.3 recorded its parent 2026.2's digest at release, before seals of the
    metadata existed: adding the seal line to 2026.2 changed no digest."""
    recorded = json.loads((resolve_edition("2026.3") / "datapackage.json").read_text(
        encoding="utf-8"))["carbonclap"]["parent"]["sha256"]
    assert recorded == "0ddfbe1558361e89e82a10bc3e4c1583f64acf6c9c619510cbe23a153371ef63"
    folder = _released_copy(tmp_path, "2026.2")
    assert edition_sha256(folder) == recorded
    path = folder / "datapackage.json"
    path.write_text("".join(l for l in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if '"descriptor_sha256"' not in l), encoding="utf-8")
    assert edition_sha256(folder) == recorded
    path.write_text(path.read_text(encoding="utf-8").replace("2026.2", "2026.2 (edited)", 1),
                    encoding="utf-8")
    assert edition_sha256(folder) != recorded


def test_factors_seal_adds_the_missing_seal_only_to_an_untouched_release(tmp_path, capsys):
    folder = _released_copy(tmp_path, "2025.1")
    path = folder / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if '"descriptor_sha256"' not in l), encoding="utf-8")
    table = folder / "factors.csv"
    original = table.read_text(encoding="utf-8")
    table.write_text(original.replace(",2.04,", ",0.04,", 1), encoding="utf-8")   # edited
    assert main(["factors", "seal", str(folder)]) == 2
    assert "is not sealed: it does not match its release" in capsys.readouterr().err
    table.write_text(original, encoding="utf-8")
    assert main(["factors", "seal", str(folder)]) == 0
    assert path.read_text(encoding="utf-8").splitlines(keepends=True) == lines
    assert validate_edition(folder) == []
    assert main(["factors", "seal", str(folder)]) == 2                  # nothing to seal
    assert "needs no seal" in capsys.readouterr().err
