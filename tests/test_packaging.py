"""Optional extras, the search order of editions, and lazy imports of the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from carbonclap_methods import bundled, cli
from carbonclap_methods.factors import available_editions, resolve_edition
from conftest import run_cli


@pytest.mark.parametrize("argv, extra, module", [
    (["study", "list"], "studies", "papermill"),
    (["study", "run", "studio_hour"], "studies", "papermill"),
    (["app", "--no-browser"], "app", "voila"),
    (["portfolio", "lines.parquet"], "scale", "pyarrow"),
    (["portfolio", "folder", "--backend", "dask"], "scale", "dask"),
])
def test_a_missing_extra_exits_2_naming_it(monkeypatch, argv, extra, module):
    real = cli.find_spec
    monkeypatch.setattr(cli, "find_spec", lambda name: None if name == module else real(name))
    proc = run_cli(*argv)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"[{extra}]" in lines[0] and module in lines[0]
    assert f"pip install 'carbonclap-methods[{extra}]'" in lines[0]


def test_every_extra_of_the_cli_is_declared_in_pyproject():
    import re
    import tomllib
    project = tomllib.loads((bundled.checkout() / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    declared = {name: {re.split(r"[\[<>=]", r)[0].replace("-python", "").replace("-", "_")
                       for r in extras[name]} for name in cli.EXTRAS}
    for name, modules in cli.EXTRAS.items():
        assert set(modules) <= declared[name], (name, set(modules) - declared[name])
    assert "carbonclap-methods[app,studies,scale]" in extras["all"]


def test_compute_imports_only_the_core():
    code = ("import sys; from carbonclap_methods.cli import main; "
            f"main(['compute', {str(bundled.examples() / 'podcast_episode.yaml')!r}, "
            "'--format', 'json']); "
            "heavy = [m for m in ('openpyxl', 'dask', 'altair', 'papermill', 'ipywidgets', "
            "'voila', 'tqdm', 'vl_convert') if m in sys.modules]; "
            "print('HEAVY', heavy, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr


def test_excel_export_needs_no_app_extra(tmp_path):
    """The export's result sheet reuses the app's result rows (the FR/EN text
    catalogue lives in widgets/), without importing the widgets or charts."""
    code = ("import sys; from carbonclap_methods.cli import main; "
            f"main(['export', {str(bundled.examples() / 'podcast_episode.yaml')!r}, "
            f"'--format', 'xlsx', '-o', {str(tmp_path / 'p.xlsx')!r}]); "
            "app = [m for m in ('ipywidgets', 'voila', 'altair', 'vl_convert') if m in sys.modules]; "
            "print('APP', app, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "APP []" in proc.stderr and (tmp_path / "p.xlsx").is_file()


def test_user_editions_are_searched_first(tmp_path, monkeypatch):
    shipped = resolve_edition("2025.1")
    user = tmp_path / "mine"
    shutil.copytree(shipped, user / "2025.1")
    shutil.copytree(shipped, user / "9.0")
    monkeypatch.setenv("CARBONCLAP_FACTORS_DIR", str(user))
    assert resolve_edition("2025.1") == user / "2025.1"          # the user's copy first
    assert resolve_edition("2026.1").parent == bundled.editions()  # then the package's
    assert {"2025.1", "2026.1", "9.0"} <= set(available_editions())


def test_factors_dir_option(tmp_path):
    shutil.copytree(resolve_edition("2025.1"), tmp_path / "x.1")
    proc = run_cli("--factors-dir", tmp_path, "factors", "list", "--edition", "x.1",
                   "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert '"edition": "x.1"' in proc.stdout
    missing = run_cli("--factors-dir", tmp_path / "nope", "factors", "list")
    assert missing.returncode == 2 and "no such folder" in missing.stderr


def test_the_package_finds_its_data_with_importlib_resources():
    assert (bundled.editions() / "DEFAULT").is_file()
    assert (bundled.studies() / "studio_hour.ipynb").is_file()
    assert (bundled.studio_data() / "studio_small.yaml").is_file()
    assert (bundled.notebooks() / "guided_assessment.ipynb").is_file()
    assert (bundled.notebooks() / "scenario_explorer.ipynb").is_file()
    assert (bundled.examples() / "podcast_episode.yaml").is_file()
