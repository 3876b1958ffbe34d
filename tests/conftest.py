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
    for resource in package["resources"]:
        resource.pop("hash", None)        # an edited copy is a draft, not the released edition
    (target / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return target


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
