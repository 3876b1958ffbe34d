"""The autosaved draft of the guided assessment: work is never lost.

While the user types, the app writes the assessment being filled to one
draft file in the save folder (:data:`DRAFT_NAME`, atomically: a reader never
sees half a file); the next visit offers to restore it or to discard it. The
draft wraps an assessment in the file format with what the app needs to
restore the session (the file name and whether the user chose it)::

    format: carbonclap-draft/1
    saved_at: 2026-11-29T10:12:03+00:00
    file_name: podcast-episode-12.yaml
    file_name_chosen: false
    assessment: {format: carbonclap-assessment/1, production: ..., activities: ...}

A draft that cannot be read (truncated by hand, an older format) is left on
disk untouched and not offered: :func:`read_draft` returns None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..assessment import Assessment, from_dict
from ..errors import CarbonClapError, Location, OutputError
from ..files import write_atomic

DRAFT_NAME = "carbonclap-draft.yaml"
DRAFT_FORMAT = "carbonclap-draft/1"


@dataclass
class Draft:
    """A draft read back: the assessment and the session around it."""

    assessment: Assessment
    data: dict
    file_name: str
    file_name_chosen: bool
    saved_at: str


def draft_path(folder: str | Path) -> Path:
    """The draft file of a save folder."""
    return Path(folder) / DRAFT_NAME


def write_draft(folder: str | Path, data: dict, file_name: str, chosen: bool) -> Path:
    """Write the draft of ``data`` (an assessment in the file format's shape).

    Raises
    ------
    CarbonClapError
        If the folder cannot be written (the message names the file).
    """
    document = {"format": DRAFT_FORMAT,
                "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "file_name": file_name, "file_name_chosen": bool(chosen), "assessment": data}
    path = draft_path(folder)
    try:
        write_atomic(path, yaml.safe_dump(document, sort_keys=False, allow_unicode=True,
                                          width=100))
    except OSError as exc:
        raise OutputError(f"cannot write the draft ({exc.strerror})", Location(path)) from exc
    return path


def read_draft(folder: str | Path) -> Draft | None:
    """The draft of a save folder, or None if there is none or it cannot be read."""
    path = draft_path(folder)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or document.get("format") != DRAFT_FORMAT:
            return None
        data = document["assessment"]
        assessment = from_dict(data, source=str(path))
        return Draft(assessment, data, str(document.get("file_name") or ""),
                     bool(document.get("file_name_chosen")), str(document.get("saved_at", "")))
    except (OSError, yaml.YAMLError, KeyError, TypeError, CarbonClapError):
        return None


def discard_draft(folder: str | Path) -> None:
    """Remove the draft of a save folder (nothing happens if there is none)."""
    try:
        draft_path(folder).unlink()
    except FileNotFoundError:
        pass
