import json
import shutil
import textwrap
from pathlib import Path

import pytest

from carbonclap_methods.factors import load_edition, resolve_edition

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def edition():
    return load_edition("2025.1")


@pytest.fixture
def edition_copy(tmp_path):
    """A writable, unsealed copy of edition 2025.1, to break on purpose."""
    target = tmp_path / "edition"
    shutil.copytree(resolve_edition("2025.1"), target)
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    unseal(package)                       # an edited copy is a draft, not the released edition
    (target / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return target


def unseal(package: dict) -> dict:
    """A released edition's datapackage as a hand-made draft's: no table hash,
    no seal of its metadata (what ``factors new`` removes too)."""
    for resource in package["resources"]:
        resource.pop("hash", None)
    package.get("carbonclap", {}).pop("descriptor_sha256", None)
    return package


@pytest.fixture
def write(tmp_path):
    """Write a text file (dedented) into tmp_path and return its path."""
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return _write


MINIMAL = """\
format: carbonclap-assessment/1
production:
  title: Podcast, episode 12
  type: podcast
  stage: forecast
  content_minutes: 45
  episodes: 1
  budget_eur: 12000
  days: 1
  country: FR
activities:
  - factor: train_tgv_fr
    quantity: 930
    unit: passenger_km
    phase: production
    note: two guests, Paris-Lyon return
"""


@pytest.fixture
def minimal_text():
    return MINIMAL


def assert_user_error(path, error, fragments, edition):
    """Loading and computing ``path`` raises ``error``; its message starts with
    the path and holds every fragment."""
    from carbonclap_methods.assessment import load_assessment
    from carbonclap_methods.results import assess
    with pytest.raises(error) as info:
        assess(load_assessment(path), edition)
    message = str(info.value)
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def run_cli(*args, cwd=None, timeout=None):
    """Run ``carbonclap ARGS`` in this process (the entry point, not a new
    interpreter: the suite starts no process per case) and return a
    ``subprocess.CompletedProcess`` with its exit status, stdout and stderr.
    An exception escaping the command (a bug) gives status 1 and its
    traceback on stderr, as a process would. ``timeout`` is ignored."""
    import contextlib
    import io
    import os
    import subprocess
    import traceback

    from carbonclap_methods.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = [str(a) for a in args]
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exc:     # --help, --version
                status = exc.code if isinstance(exc.code, int) else 0
            except Exception:             # noqa: BLE001 - a bug: report it as a process would
                traceback.print_exc()
                status = 1
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["carbonclap", *argv], status, out.getvalue(), err.getvalue())


def stop_process(process) -> None:
    """Stop a server started by a test: SIGTERM, then SIGKILL after 30 s."""
    import subprocess
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
