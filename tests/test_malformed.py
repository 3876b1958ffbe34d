"""The corpus of malformed assessments: each mistake gets its specific error,
naming the file, the line and the field; the command line exits 2 with one line."""

import re
from pathlib import Path

import pytest

from carbonclap_methods import errors
from carbonclap_methods.cli import main
from conftest import assert_user_error

CORPUS = Path(__file__).resolve().parent / "malformed"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".yaml")


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
