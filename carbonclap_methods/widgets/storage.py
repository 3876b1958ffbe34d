"""Files of the guided assessment: reading an upload, writing saves and exports.

Everything a user sends or gets back goes through here: an uploaded file is
read into a temporary file of the same name and checked like any assessment
(:func:`assessment.load_assessment`, then computed with the edition) before
it replaces anything; saves, Excel workbooks and reports are written
atomically to the save folder (:func:`files.write_atomic`) and offered as a
download link that needs no server route (a ``data:`` URL).
"""

from __future__ import annotations

import base64
import json
import os
import re
import tempfile
import unicodedata
from html import escape
from pathlib import Path

import yaml

from ..assessment import Assessment, load_assessment
from ..errors import CarbonClapError, InvalidAssessment, Location, OutputError, relocated
from ..factors import Edition
from ..files import write_atomic
from ..results import assess

SAVE_DIR_ENV = "CARBONCLAP_SAVE_DIR"
SAVE_SUFFIXES = (".yaml", ".yml", ".json")
LOAD_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
MIME = {".yaml": "application/x-yaml", ".yml": "application/x-yaml",
        ".json": "application/json", ".html": "text/html", ".csv": "text/csv",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_PLAIN_NAME = re.compile(r"[^/\\:*?\"<>|\x00-\x1f]+")


def save_dir(folder: str | os.PathLike | None = None) -> Path:
    """Where saves and exports go: ``folder``, else ``$CARBONCLAP_SAVE_DIR``,
    else ``assessments/`` in the current folder."""
    return Path(folder or os.environ.get(SAVE_DIR_ENV) or "assessments").expanduser().resolve()


def check_file_name(name: str) -> str | None:
    """``name`` stripped if it is a plain file name ending in .yaml, .yml or .json, else None."""
    name = str(name).strip()
    if not _PLAIN_NAME.fullmatch(name) or name.startswith(".") or \
            Path(name).suffix.lower() not in SAVE_SUFFIXES:
        return None
    return name


def slug(title: str, default: str = "bilan") -> str:
    """A file-name stem from a title (letters, digits, dashes)."""
    ascii_title = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()
    return stem[:60] or default


def assessment_text(data: dict, suffix: str) -> str:
    """An assessment (file-format dict) as YAML or JSON text."""
    if suffix.lower() == ".json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_file(folder: Path, name: str, payload: str | bytes) -> Path:
    """Write ``payload`` to ``folder/name`` atomically; CarbonClapError if it cannot."""
    path = Path(folder) / name
    try:
        write_atomic(path, payload)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", Location(path)) from exc
    return path


def download_link(name: str, payload: str | bytes, label: str) -> str:
    """An HTML link that downloads ``payload`` as ``name`` with no server route."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    mime = MIME.get(Path(name).suffix.lower(), "application/octet-stream")
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<a class="cc-download" download="{escape(name)}" href="{href}">'
            f"{escape(label)}</a>")


def read_upload(name: str, content: bytes, edition: Edition) -> Assessment:
    """Read and check an uploaded assessment file.

    Parameters
    ----------
    name : str
        The file's name as uploaded (its suffix picks the format).
    content : bytes
        The file's bytes.
    edition : Edition
        The assessment must compute with it (known factors, units that fit).

    Returns
    -------
    Assessment
        With ``source`` set to ``name``.

    Raises
    ------
    CarbonClapError
        With a message naming the file (not the temporary copy).
    """
    base = Path(str(name)).name
    suffix = Path(base).suffix.lower()
    if suffix not in LOAD_SUFFIXES:
        raise InvalidAssessment(f"unsupported file type {suffix or '(none)'!r} "
                                "(expected .yaml, .yml, .json or .xlsx)", Location(base))
    with tempfile.TemporaryDirectory(prefix="carbonclap-upload-") as folder:
        path = Path(folder) / base
        path.write_bytes(bytes(content))
        try:
            assessment = load_assessment(path)
            assessment.source = base
            assess(assessment, edition)
        except CarbonClapError as exc:
            raise _named(exc, path, base) from None
    return assessment


def _named(exc: CarbonClapError, copy: Path, name: str) -> CarbonClapError:
    """The error at the uploaded file's name, not at its temporary ``copy``."""
    message = exc.message.replace(str(copy), name)      # a second place quoted in the text
    where = exc.location
    if where is None:
        return type(exc)(message)
    return relocated(exc, where.within(name) if str(where.file) == str(copy) else where, message)
