"""The built wheel works outside the repository.

The wheel is built from the checkout, installed with its ``app`` and
``studies`` extras in a fresh virtual environment outside the repository,
and run from another folder: every edition, template, study and notebook it
needs must come from the package itself (importlib.resources), none from
the checkout. pip installs the dependencies from its cache or the registry.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import stop_process

from carbonclap_methods.assessment import load_assessment
from carbonclap_methods.factors import load_edition
from carbonclap_methods.results import assess

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "podcast_episode.yaml"
APP_TIMEOUT_S = 120


def _env(**extra) -> dict[str, str]:
    """The environment of the installed command: nothing that points back to the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CARBONCLAP_FACTORS_DIR", "VIRTUAL_ENV", "JUPYTER_PATH")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(carbonclap command, a working folder outside the repository)."""
    base = tmp_path_factory.mktemp("wheel")
    dist, venv, work = base / "dist", base / "venv", base / "work"
    work.mkdir()
    # built from a copy of the working tree: nothing (build/, egg-info) is written into
    # the checkout, and a build running beside this one cannot mix their files
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "output", "test-artifacts", "assessments", "*.egg-info",
        "_build", "generated",              # docs built by test_docs, maybe on another worker
        "__pycache__", ".pytest_cache", ".hypothesis"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                            "--wheel-dir", str(dist), str(source)],
                           capture_output=True, text=True, cwd=base)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next(dist.glob("carbonclap_methods-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {f"carbonclap_methods/editions/{p.relative_to(ROOT / 'factors').as_posix()}"
                for p in (ROOT / "factors").glob("*/*") if p.suffix in (".csv", ".json", ".md")}
    expected |= {f"carbonclap_methods/study_notebooks/{p.name}" for p in (ROOT / "studies").glob("*.ipynb")}
    expected |= {f"carbonclap_methods/study_notebooks/data/{p.name}"
                 for p in (ROOT / "studies" / "data").glob("*.yaml")}
    expected |= {f"carbonclap_methods/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    expected |= {f"carbonclap_methods/examples/{p.name}" for p in (ROOT / "examples").glob("*.yaml")}
    expected |= {"carbonclap_methods/editions/DEFAULT", "carbonclap_methods/units.txt"}
    assert expected <= names, sorted(expected - names)[:10]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-compile",
                              f"{wheel}[app,studies]"], capture_output=True, text=True, cwd=base)
    assert install.returncode == 0, install.stderr[-3000:]
    return venv / "bin" / "carbonclap", work


def run(installed, *args, **kwargs):
    command, work = installed
    return subprocess.run([str(command), *map(str, args)], capture_output=True, text=True,
                          cwd=work, env=_env(), **kwargs)


def test_the_installed_package_is_not_the_checkout(installed):
    command, work = installed
    python = command.parent / "python"
    proc = subprocess.run([str(python), "-c", "import carbonclap_methods.bundled as b; "
                           "print(b.editions()); print(b.checkout())"],
                          capture_output=True, text=True, cwd=work, env=_env())
    editions, checkout = proc.stdout.split()
    assert Path(editions).is_relative_to(command.parent.parent)
    assert checkout == "None"


def test_compute_on_a_copied_example(installed):
    _, work = installed
    shutil.copy(EXAMPLE, work / "episode.yaml")
    proc = run(installed, "compute", "episode.yaml", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    # the same edition, byte for byte, as the checkout's: same sha256, same figures
    edition = load_edition(doc["edition"])
    assert doc["edition_sha256"] == edition.sha256
    expected = assess(load_assessment(EXAMPLE), edition)["total_kgco2e"]
    assert doc["total_kgco2e"] == pytest.approx(expected, rel=1e-12)


def test_factors_list_and_study_list(installed):
    proc = run(installed, "factors", "list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["edition"] == load_edition().name
    assert len(doc["factors"]) == len(load_edition().table)
    proc = run(installed, "study", "list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    names = [s["name"] for s in json.loads(proc.stdout)["studies"]]
    assert names == sorted(p.stem for p in (ROOT / "studies").glob("*.ipynb"))


def test_study_run_writes_its_outputs(installed):
    _, work = installed
    proc = run(installed, "study", "run", "studio_hour", "-p", "uncertainty_iterations", "0",
               "--output", "out")
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((work / "out" / "results.json").read_text())
    from carbonclap_methods import studies
    edition = load_edition(studies.parameters("studio_hour")["edition"].default)
    assert (results["edition"], results["edition_sha256"]) == (edition.name, edition.sha256)
    assert (work / "out" / "studio_hour.ipynb").is_file()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_app_answers_on_its_port(installed, tmp_path):
    command, work = installed
    port = _free_port()
    log = tmp_path / "app.log"
    with open(log, "w") as out:
        process = subprocess.Popen([str(command), "app", "--port", str(port), "--no-browser",
                                    "--save-dir", str(tmp_path / "saved")],
                                   cwd=work, env=_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + APP_TIMEOUT_S
        status = None
        while time.monotonic() < deadline and status is None:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
                    status = response.status
            except OSError:
                time.sleep(0.25)
        assert status == 200, log.read_text()[-3000:]
    finally:
        stop_process(process)
