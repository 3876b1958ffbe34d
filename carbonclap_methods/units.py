"""The one pint registry of the package, built from ``units.txt``, and the
facts the engine needs of each unit label.

Units stay string labels in the data (long-format tables); pint is only used
at the boundary, once per distinct unit label, to get the label's dimensions
and its size in base units (:class:`UnitFacts`); a conversion factor is the
ratio of two sizes, applied to a whole numpy column. The registry uses exact
fractions, so a conversion factor such as mile -> km is 1.609344 exactly and
is rounded to a float only once.

The facts of every label read so far are kept in the user's cache folder,
keyed on ``units.txt`` and pint's own definitions, so that a command whose
labels are all known does not import pint at all (0.1 to 0.2 s of every
``carbonclap compute``, ``benchmarks/startup.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import pickle
import re
import shutil
import sys
from fractions import Fraction
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CarbonClapError, UnitMismatch, UnknownUnit
from .files import cache_root, write_atomic

if TYPE_CHECKING:                       # annotations only: pint is imported when needed
    import pint


def _import_pint():
    """pint, imported without dask.

    ``pint.compat`` imports dask at start-up when dask is installed (0.1 s
    or more, for dask-array support the package never uses); with dask
    hidden during the import, pint skips it. A dask imported later (the
    portfolio's Dask backend) works as usual.
    """
    if "pint" in sys.modules or "dask" in sys.modules:
        import pint
        return pint
    sys.modules["dask"] = None          # find_spec("dask") -> None while pint imports
    try:
        import pint
    finally:
        del sys.modules["dask"]
    return pint


DEFINITIONS = Path(__file__).with_name("units.txt")
# Longest unit label read (a limit, README "Limits"): pint's parser is slow on
# long text; the longest label of the editions is 13 characters.
MAX_UNIT_CHARS = 64
_MONEY_WITHOUT_YEAR = re.compile(r"[kM]?(EUR|GBP|USD|€|£|\$)")


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The package's unit registry: pint defaults plus ``units.txt``.

    pint keeps the parsed definitions in the user's cache folder
    (``cache_folder=":auto:"``), keyed on the definition files (an edit of
    units.txt refreshes it): a registry then builds in about 0.08 s instead
    of 0.45 s (``benchmarks/startup.py``). Where no cache can be written, the
    files are parsed every time, as with ``CARBONCLAP_UNITS_CACHE=off``.
    """
    if os.environ.get("CARBONCLAP_UNITS_CACHE", "on").lower() in ("0", "off", "no"):
        return _build_registry(cache_folder=None)
    folder = _cache_folder()
    for _ in range(2):
        try:
            return _build_registry(cache_folder=folder)
        except (OSError, EOFError, pickle.UnpicklingError):
            # a cache entry pointing to files that are gone (pint keys its
            # entries by path), or one half written by another process (pint
            # writes its pickles in place): start the cache again, once
            shutil.rmtree(folder, ignore_errors=True)
    return _build_registry(cache_folder=None)


def _cache_folder() -> Path:
    """pint's cache for this installation: one folder per pint install and
    definitions file, so that a removed or another virtual environment's
    entries (pint keys them by file path) are never read."""
    pint = _import_pint()
    key = f"{pint.__file__}|{getattr(pint, '__version__', '')}|{DEFINITIONS}"
    return cache_root() / f"pint-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _build_registry(cache_folder) -> pint.UnitRegistry:
    ureg = _import_pint().UnitRegistry(non_int_type=Fraction, autoconvert_offset_to_baseunit=False,
                             cache_folder=cache_folder)
    # units.txt redefines byte as a dimension of its own on purpose; pint logs
    # a warning for each redefinition, which is noise for users.
    pint_logger = logging.getLogger("pint.util")
    level = pint_logger.level
    pint_logger.setLevel(logging.ERROR)
    try:
        ureg.load_definitions(str(DEFINITIONS))
    finally:
        pint_logger.setLevel(level)
    return ureg


@lru_cache(maxsize=4096)
def parse_unit(name: str) -> pint.Unit:
    """Parse a unit label such as ``passenger_km`` or ``MWh``.

    Raises
    ------
    UnknownUnit
        If the label is empty, holds a number, or names no known unit.
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownUnit(f"empty unit {name!r}")
    if len(name) > MAX_UNIT_CHARS:
        raise UnknownUnit(f"unit {name[:20]!r}... is {len(name):,} characters long, over the "
                          f"limit of {MAX_UNIT_CHARS}")
    if _MONEY_WITHOUT_YEAR.fullmatch(name.strip()):
        raise UnknownUnit(f"unknown unit {name!r}: money needs the year it was spent, "
                          f"e.g. {name.strip()}_2024")
    try:
        quantity = registry().parse_expression(name.strip())
    except Exception as exc:  # pint's parser raises many types for malformed text
        raise UnknownUnit(f"unknown unit {name!r}") from exc
    if not isinstance(quantity, _import_pint().Quantity) or quantity.magnitude != 1:
        raise UnknownUnit(f"unknown unit {name!r}: a unit name is expected, not a quantity")
    if not quantity._is_multiplicative:
        raise UnknownUnit(f"unit {name!r} is an offset scale (a temperature such as degC or "
                          "degF), not an amount of activity; use delta_degC or K")
    return quantity.units


def unit_dimensions(name: str) -> tuple[tuple[str, str], ...]:
    """The dimensions of a unit label as sorted (dimension, power) pairs, the
    power as the text of a fraction: ``(("[length]", "1"), ("[person]", "1"))``.

    Raises
    ------
    UnknownUnit
        As :func:`parse_unit`.
    """
    if not isinstance(name, str):
        parse_unit(name)                # raises: not a label
    return _remembered(("dimensions", name), lambda: tuple(sorted(
        (dim, str(Fraction(power))) for dim, power in parse_unit(name).dimensionality.items())))


def describe_dimensions(dimensions: tuple[tuple[str, str], ...]) -> str:
    """Dimensions as people read them, e.g. ``[length] * [person]``."""
    parts = []
    for dim, power in dimensions:
        power = Fraction(power)
        power = int(power) if power.denominator == 1 else float(power)
        parts.append(dim if power == 1 else f"{dim}^{power}")
    return " * ".join(parts) or "dimensionless"


def dimension_of(name: str) -> str:
    """Human-readable dimensionality of a unit label, e.g. ``[length]``."""
    return describe_dimensions(unit_dimensions(name))


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a magnitude in ``from_unit`` to ``to_unit``.

    Computed once per pair with exact fractions, rounded to a float once,
    and remembered.

    Raises
    ------
    UnknownUnit
        If either label is not a unit.
    UnitMismatch
        If the two units measure different things; the message names both.
    """
    source, target = unit_dimensions(from_unit), unit_dimensions(to_unit)
    if source != target:
        raise UnitMismatch(
            f"unit {from_unit!r} ({describe_dimensions(source)}) is not compatible "
            f"with {to_unit!r} ({describe_dimensions(target)})"
        )
    return _remembered(("factor", from_unit, to_unit), lambda: _pint_factor(from_unit, to_unit))


def _pint_factor(from_unit: str, to_unit: str) -> float:
    """The factor by pint, which checks the dimensions itself (the remembered
    ones could be damaged): a mismatch is still :class:`UnitMismatch`."""
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.dimensionality != target.dimensionality:
        _forget_facts()
        raise UnitMismatch(f"unit {from_unit!r} is not compatible with {to_unit!r}")
    return float(registry().Quantity(Fraction(1), source).to(target).magnitude)


def is_emission_unit(name: str) -> bool:
    """True for kgCO2e, tCO2e, gCO2e and anything else of the emissions dimension."""
    try:
        return unit_dimensions(name) == unit_dimensions("kgCO2e")
    except UnknownUnit:
        return False


def _remembered(key: tuple, compute):
    """``compute()`` once per key across runs: unit facts already read come
    from the user's cache, so that a command whose units are all known does
    not import pint at all. Only successes are remembered (an unknown unit
    goes through pint, and its message, every time)."""
    known = _known_facts()
    text = json.dumps(key)
    if not _well_formed(key[0], known.get(text)):     # absent, or a damaged cache entry
        known[text] = compute()
        _save_facts(known)
    value = known[text]
    return tuple(tuple(pair) for pair in value) if key[0] == "dimensions" else value


def _well_formed(kind: str, value) -> bool:
    if kind == "factor":
        return isinstance(value, float) and math.isfinite(value) and value > 0
    return isinstance(value, (list, tuple)) and all(
        isinstance(pair, (list, tuple)) and len(pair) == 2
        and all(isinstance(part, str) for part in pair) for pair in value)


@lru_cache(maxsize=1)
def _known_facts() -> dict:
    path = _facts_file()
    if path is None:
        return {}
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}                       # no cache yet, or one that cannot be read: rebuilt
    return known if isinstance(known, dict) else {}


def _forget_facts() -> None:
    """Empty the remembered facts (they disagreed with pint)."""
    _known_facts().clear()
    _save_facts({})


def _save_facts(known: dict) -> None:
    path = _facts_file()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(known, sort_keys=True))
    except (OSError, TypeError, ValueError, CarbonClapError):
        pass                            # no cache where none can be written (a folder in the way...)


@lru_cache(maxsize=1)
def _facts_file() -> Path | None:
    """The cache of unit facts, keyed on what makes them: ``units.txt`` and
    this module (its rules on labels), and pint's own files (path, size and
    time of its package, default and constant definitions: another pint,
    another cache), found without importing pint. None when caches are off,
    or with ``CARBONCLAP_UNITS_CACHE=registry`` (pint's cache only: benchmarks)."""
    if os.environ.get("CARBONCLAP_UNITS_CACHE", "on").lower() in ("0", "off", "no", "registry"):
        return None
    try:
        spec = find_spec("pint")
        pint_files = [Path(spec.origin)] + [Path(spec.origin).with_name(name) for name in
                                            ("default_en.txt", "constants_en.txt")]
        stats = [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in pint_files]
        key = (repr(stats).encode() + DEFINITIONS.read_bytes() + Path(__file__).read_bytes())
    except (OSError, AttributeError, TypeError, ValueError):
        return None
    return cache_root() / f"unit-facts-{hashlib.sha256(key).hexdigest()[:24]}.json"
