"""Reading user files safely and writing outputs atomically.

Limits on what a user file may hold, each refused with its own message
naming the limit (README, "Limits"):

- :data:`MAX_FILE_BYTES`: size of a file read as text (assessments, editions,
  templates) or as a workbook;
- :data:`MAX_DEPTH`, :data:`MAX_ALIASES`, :data:`MAX_NODES`: nesting depth,
  YAML aliases, and values (counting each value an alias repeats) of a
  YAML or JSON document.

YAML is read with the YAML 1.2 core schema: ``yes``/``no``/``on``/``off``
and ``NO`` are text, ``1:30`` is text, dates are text; numbers with a leading
zero (``010``: 8 for YAML 1.1, 10 for 1.2) are refused as ambiguous, and so
are duplicate keys and the tags that are not plain data (``!!binary``,
``!!set``, ``!!timestamp``, ``!!omap``, ``!!python/...``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import tempfile
from pathlib import Path

import yaml

from .errors import CarbonClapError, Location, OutputError, _escaped, printable  # noqa: F401 (printable: re-exported)

# Key under which a reader records where a mapping was read: a YAML line
# number, or a position text such as "sheet sets, row 4" for workbooks.
LINE_KEY = "__line__"

# Limits (choices, documented in the README), far above real files: the
# largest example (fiction_series.yaml, 54 lines) is 10 kB and 839 values,
# about 190 bytes and 15 values per line, so 10 MiB holds some 50,000 lines.
MAX_FILE_BYTES = 10 * 1024 * 1024      # 10 MiB
MAX_DEPTH = 64                         # nested mappings / lists
MAX_ALIASES = 100                      # YAML *alias references per file
# Values, aliases expanded: about 13,000 lines of 15 values, more than the
# 10,000 rows a workbook sheet may hold; PyYAML (pure Python here, for the
# line numbers and the checks) reads some 45,000 values a second on the
# shared development machine: 190,000 values in 4.3 s, and a 900,000-value
# file is refused after 4.1 s (it took 42 s and 745 MB with a limit of 1 M).
MAX_NODES = 200_000
# Most Monte Carlo iterations of one run: the draws of every group are kept,
# 1 M iterations x 16 categories = 128 MB (here, not in uncertainty.py, so
# that the command line checks it without importing numpy).
MAX_ITERATIONS = 1_000_000

def cache_root() -> Path:
    """The user's cache folder of the package (``$XDG_CACHE_HOME`` or ~/.cache):
    parsed unit definitions and questionnaire tables, never needed, only faster."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "carbonclap-methods"


_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def terminal_safe(text: str) -> str:
    """A whole output for a terminal: line breaks and tabs kept, every other
    control character (escape sequences from a title) shown as an escape."""
    return _TERMINAL_CONTROL.sub(_escaped, text)


def shown(value: object) -> str:
    """``repr`` of a value as a user wrote it: numpy scalars as plain numbers."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    return repr(value)


def check_regular_file(path: Path, error: type[CarbonClapError],
                       limit: int | None = None) -> os.stat_result:
    """stat of ``path``: a regular file within ``limit`` bytes, or ``error``.

    Checked before opening: opening a FIFO or a device would block or never end.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error("no such file", Location(path)) from None
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror})", Location(path)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise error("is a folder, a file is expected", Location(path))
    if not stat.S_ISREG(info.st_mode):
        raise error("is not a regular file (a pipe, socket or device); give a file",
                    Location(path))
    if limit is not None and info.st_size > limit:
        raise error(f"{info.st_size:,} bytes is over the limit of {limit:,} bytes for this file",
                    Location(path))
    return info


def read_bytes(path: Path, error: type[CarbonClapError], limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``error`` naming it."""
    path = Path(path)
    check_regular_file(path, error, limit)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1) if limit is not None else handle.read()
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror})", Location(path)) from exc
    if limit is not None and len(data) > limit:
        raise error(f"over the limit of {limit:,} bytes for this file", Location(path))
    return data


def read_text(path: Path, error: type[CarbonClapError], limit: int | None = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is accepted), or raise ``error`` naming it.

    Missing files, folders, pipes and devices, files over ``limit`` bytes,
    undecodable bytes and empty files each get their own message.
    """
    path = Path(path)
    data = read_bytes(path, error, limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8",
                    Location(path, line)) from exc
    if not text.strip():
        raise error("the file is empty", Location(path))
    return text


# ---------------------------------------------------------------------------
# YAML: 1.2 core schema, no duplicate keys, bounded

class _Refused(yaml.YAMLError):
    """A YAML form refused by the package, with the line where it is."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN")
_AMBIGUOUS = "tag:carbonclap,2025:ambiguous-number"
_ALLOWED_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null",
                                                     "seq", "map")}


class _Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema, refusing duplicate keys,
    tags other than plain data, and documents over the limits."""

    yaml_implicit_resolvers: dict = {}
    yaml_constructors = dict(yaml.SafeLoader.yaml_constructors)
    record_lines = True

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = self._aliases = self._nodes = 0
        self._sizes: dict[int, int] = {}

    # -- composing: depth, aliases and the expanded size are bounded
    def compose_node(self, parent, index):
        event = self.peek_event()
        is_alias = isinstance(event, yaml.AliasEvent)
        if is_alias:
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(f"more than {MAX_ALIASES} aliases (*name); the limit is "
                               f"{MAX_ALIASES}", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"nested deeper than the limit of {MAX_DEPTH} levels", event.start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._nodes += self._size(node) if is_alias else 1
        if self._nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES:,} values (aliases expanded); the limit is "
                           f"{MAX_NODES:,}", event.start_mark)
        return node

    def _size(self, node) -> int:
        key = id(node)
        if key not in self._sizes:
            self._sizes[key] = 0            # a recursive alias counts once
            if isinstance(node, yaml.MappingNode):
                size = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                size = 1 + sum(self._size(v) for v in node.value)
            else:
                size = 1
            self._sizes[key] = min(size, MAX_NODES + 1)
        return self._sizes[key]

    # -- constructing: plain data only, no duplicate keys
    def construct_object(self, node, deep=False):
        if node.tag not in _ALLOWED_TAGS and node.tag != _AMBIGUOUS:
            raise _Refused(f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not "
                           "allowed (only text, numbers, true/false, null, lists and mappings)",
                           node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        first: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                line = first.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:
                raise _Refused("a key must be a text or a number", key_node.start_mark) from None
            if line != key_node.start_mark.line + 1:
                raise _Refused(f"duplicate key {key!r} (first on line {line}); "
                               "each key may appear once", key_node.start_mark)
        mapping = super().construct_mapping(node, deep=deep)
        if self.record_lines:
            mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        try:
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        except ValueError:
            raise _Refused(f"the number {text[:20]}... has more digits than Python reads "
                           "(4,300)", node.start_mark) from None

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node)
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        return float(text)

    def construct_ambiguous(self, node):
        text = self.construct_scalar(node)
        stripped = text.lstrip("+-").lstrip("0") or "0"
        raise _Refused(f"{text} is ambiguous: a number with a leading zero is octal for YAML 1.1 "
                       f"tools ({int(text, 8) if re.fullmatch(r'[-+]?[0-7]+', text) else 'invalid'}) "
                       f"and decimal for YAML 1.2; write {stripped}, or quote it if it is a text",
                       node.start_mark)


for _tag in list(_Loader.yaml_constructors):
    if _tag not in _ALLOWED_TAGS:
        del _Loader.yaml_constructors[_tag]
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor(_AMBIGUOUS, _Loader.construct_ambiguous)
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"(?:~|null|Null|NULL|)$"),
                              ["~", "n", "N", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver(_AMBIGUOUS, re.compile(_LEADING_ZERO.pattern + "$"), list("-+0"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(f"(?:{_INT.pattern})$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(f"(?:{_FLOAT.pattern})$"),
                              list("-+.0123456789"))


class _PlainLoader(_Loader):
    record_lines = False


def parse_yaml(path: Path, text: str, error: type[CarbonClapError], lines: bool = True):
    """The YAML ``text`` of ``path`` (YAML 1.2 core schema, see the module's
    docstring); a syntax error or a refused form raises ``error`` naming file and line.

    With ``lines``, every mapping records its line number under :data:`LINE_KEY`
    for later messages.
    """
    try:
        return yaml.load(text, Loader=_Loader if lines else _PlainLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise error(f"invalid YAML ({printable(problem)})",
                    Location(path, mark.line + 1 if mark else None)) from None
    except RecursionError:
        raise error(f"nested deeper than the limit of {MAX_DEPTH} levels",
                    Location(path)) from None


# ---------------------------------------------------------------------------
# JSON: no duplicate keys, no NaN, bounded

class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    mapping: dict = {}
    for key, value in pairs:
        if key in mapping:
            raise _DuplicateKey(key)
        mapping[key] = value
    return mapping


def _duplicate_line(text: str) -> int | None:
    """Line of the object holding the first duplicate key, found by parsing
    again with the pure-Python scanner (only when there is a duplicate)."""
    import json.decoder
    import json.scanner

    found: list[int] = []

    def parse_object(s_and_end, *args):
        try:
            return json.decoder.JSONObject(s_and_end, *args)
        except _DuplicateKey:
            if not found:
                found.append(s_and_end[0].count("\n", 0, s_and_end[1]) + 1)
            raise

    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)
    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        decoder.decode(text)
    except (ValueError, RecursionError):
        pass
    return found[0] if found else None


def parse_json(path: Path, text: str, error: type[CarbonClapError]):
    """The JSON ``text`` of ``path``; refuses duplicate keys and documents over :data:`MAX_DEPTH` levels or :data:`MAX_NODES` values."""
    where = Location(path)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise error(f"invalid JSON (duplicate key {printable(exc.args[0])!r}; each key may "
                    "appear once in an object)", Location(path, _duplicate_line(text))) from None
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON ({exc.msg})", Location(path, exc.lineno)) from None
    except ValueError as exc:         # NaN, integers over 4,300 digits
        raise error(f"invalid JSON ({printable(str(exc).splitlines()[0])})", where) from None
    except RecursionError:
        raise error(f"nested deeper than the limit of {MAX_DEPTH} levels", where) from None
    _check_bounds(data, where, error)
    return data


def _check_bounds(data, where: Location, error: type[CarbonClapError]) -> None:
    """Depth and number of values of a parsed document, walked without recursion."""
    stack, count = [(data, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise error(f"nested deeper than the limit of {MAX_DEPTH} levels", where)
        if count > MAX_NODES:
            raise error(f"more than {MAX_NODES:,} values; the limit is {MAX_NODES:,}", where)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


# ---------------------------------------------------------------------------
# Writing

def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _mode_for(path: Path) -> int:
    """The mode a file written at ``path`` gets: the replaced file's own mode if
    there is one (overwriting never widens permissions), else what open() gives."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _temporary(path: Path, payload: bytes) -> str:
    """``payload`` written and synced to a unique hidden temporary file beside
    ``path`` (``.<name>.<random>.tmp``), with the mode ``path`` will have."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, a failure (or Ctrl-C, or
    SIGTERM under the command line) leaves any previous file untouched and
    removes the temporary file; an overwritten file keeps its permissions.
    Only SIGKILL or a power cut can leave a ``.<name>.<random>.tmp`` file.
    """
    write_atomic_many([(Path(path), data)])


def _backup(path: Path) -> str:
    """A copy of ``path`` beside it (a hard link when the file system has them)."""
    fd, backup = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(backup)
        os.link(path, backup)
    except OSError:
        shutil.copyfile(path, backup)
    return backup


def write_atomic_many(items: list[tuple[Path, str | bytes]]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written to its temporary file; the previous files are
    kept aside (hard links) while the renames happen, and restored if one
    rename fails, so a pair such as a Parquet store and its production table
    is never left mixed.
    """
    items = [(Path(p), d.encode("utf-8") if isinstance(d, str) else d) for p, d in items]
    for path, _ in items:
        _check_replaceable(path)
    temps: list[str] = []
    backups: list[tuple[Path, str]] = []
    done: list[Path] = []
    try:
        for path, payload in items:
            path.parent.mkdir(parents=True, exist_ok=True)
            temps.append(_temporary(path, payload))
        if len(items) > 1:
            for path, _ in items:
                if path.is_file():
                    backups.append((path, _backup(path)))
        for (path, _), tmp in zip(items, temps):
            os.replace(tmp, path)
            done.append(path)
    except BaseException:
        kept = {path for path, _ in backups}
        for path in done:
            if path not in kept:
                path.unlink(missing_ok=True)
        for path, backup in backups:
            if path in done:
                os.replace(backup, path)
        raise
    finally:
        for tmp in temps:
            Path(tmp).unlink(missing_ok=True)
        for _, backup in backups:
            Path(backup).unlink(missing_ok=True)


def _check_replaceable(path: Path) -> None:
    """A write replaces ``path`` by a rename: refused when it exists and is not a
    regular file (a folder, or a device such as /dev/null or a pipe, which the
    rename would turn into a plain file)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device or a pipe)"
        raise OutputError(f"is {kind}; write to a file (or leave out --output to print); "
                          "nothing was written", Location(path))


def check_output(output: str | os.PathLike | None, inputs: list, what: str = "output") -> None:
    """Refuse an output that would overwrite an input file or land inside an
    input folder (``inputs``: files and folders read by the same run), or
    replace something that is not a regular file."""
    if not output:
        return
    _check_replaceable(Path(output))
    target = Path(output).resolve()
    for source in inputs:
        if source is None:
            continue
        source = Path(source).resolve()
        if target == source or (source.is_dir() and source in target.parents):
            place = "is" if target == source else "is inside"
            raise OutputError(f"the {what} {place} the input {printable(source)}; write it "
                              "elsewhere (nothing was written)", Location(output))


class Interrupted(BaseException):
    """SIGTERM received: unwinds like Ctrl-C so temporary files are removed."""


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def on_termination():
    """Make SIGTERM unwind the program (running ``finally`` and cleanup code,
    so no temporary file is left) instead of killing it; returns the handler
    it replaces, for :func:`restore_termination`."""
    try:
        return signal.signal(signal.SIGTERM, _raise_interrupted)
    except ValueError:             # not the main thread
        return None


def restore_termination(previous) -> None:
    """Put back the SIGTERM handler :func:`on_termination` replaced."""
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
