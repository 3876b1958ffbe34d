"""Reading user files safely and writing outputs atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .errors import CarbonClapError

# Key under which a reader records where a mapping was read: a YAML line
# number, or a position text such as "sheet sets, row 4" for workbooks.
LINE_KEY = "__line__"


def read_text(path: Path, error: type[CarbonClapError]) -> str:
    """Read a UTF-8 text file (a BOM is accepted), or raise ``error`` naming it.

    Missing files, folders, undecodable bytes and empty files each get their
    own message.
    """
    path = Path(path)
    if not path.exists():
        raise error(f"{path}: no such file")
    if path.is_dir():
        raise error(f"{path}: is a folder, a file is expected")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text; "
            "save the file as UTF-8"
        ) from exc
    if not text.strip():
        raise error(f"{path}: the file is empty")
    return text


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of each mapping under :data:`LINE_KEY`."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


def parse_yaml(path: Path, text: str, error: type[CarbonClapError], lines: bool = True):
    """The YAML ``text`` of ``path``; a syntax error raises ``error`` naming file and line.

    With ``lines``, every mapping records its line number under :data:`LINE_KEY`
    for later messages.
    """
    try:
        return yaml.load(text, Loader=_LineLoader if lines else yaml.SafeLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise error(f"{path}{line}: invalid YAML ({problem})") from exc


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and a failure leaves any previous
    file untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
