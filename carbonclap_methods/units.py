"""The one pint registry of the package, built from ``units.txt``.

Units stay string labels in the data (long-format tables); pint is only used
at the boundary, once per distinct pair of units, to get a conversion factor
that is then applied to a whole numpy column. The registry uses exact
fractions, so a conversion factor such as mile -> km is 1.609344 exactly and
is rounded to a float only once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sys
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from .errors import UnitMismatch, UnknownUnit
from .files import cache_root


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


pint = _import_pint()

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
        except OSError:
            # a cache entry pointing to files that are gone (pint keys its
            # entries by path): start the cache again, once
            shutil.rmtree(folder, ignore_errors=True)
    return _build_registry(cache_folder=None)


def _cache_folder() -> Path:
    """pint's cache for this installation: one folder per pint install and
    definitions file, so that a removed or another virtual environment's
    entries (pint keys them by file path) are never read."""
    key = f"{pint.__file__}|{getattr(pint, '__version__', '')}|{DEFINITIONS}"
    return cache_root() / f"pint-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _build_registry(cache_folder) -> pint.UnitRegistry:
    ureg = pint.UnitRegistry(non_int_type=Fraction, autoconvert_offset_to_baseunit=False,
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


def _describe_dimensionality(unit: pint.Unit) -> str:
    parts = []
    for dim, power in sorted(unit.dimensionality.items()):
        power = int(power) if Fraction(power).denominator == 1 else float(power)
        parts.append(dim if power == 1 else f"{dim}^{power}")
    return " * ".join(parts) or "dimensionless"


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
    if not isinstance(quantity, pint.Quantity) or quantity.magnitude != 1:
        raise UnknownUnit(f"unknown unit {name!r}: a unit name is expected, not a quantity")
    if not quantity._is_multiplicative:
        raise UnknownUnit(f"unit {name!r} is an offset scale (a temperature such as degC or "
                          "degF), not an amount of activity; use delta_degC or K")
    return quantity.units


def dimension_of(name: str) -> str:
    """Human-readable dimensionality of a unit label, e.g. ``[length]``."""
    return _describe_dimensionality(parse_unit(name))


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a magnitude in ``from_unit`` to ``to_unit``.

    Computed once per pair with exact fractions, then cached.

    Raises
    ------
    UnknownUnit
        If either label is not a unit.
    UnitMismatch
        If the two units measure different things; the message names both.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.dimensionality != target.dimensionality:
        raise UnitMismatch(
            f"unit {from_unit!r} ({_describe_dimensionality(source)}) is not compatible "
            f"with {to_unit!r} ({_describe_dimensionality(target)})"
        )
    factor = registry().Quantity(Fraction(1), source).to(target).magnitude
    return float(factor)


def is_emission_unit(name: str) -> bool:
    """True for kgCO2e, tCO2e, gCO2e and anything else of the emissions dimension."""
    try:
        return parse_unit(name).dimensionality == parse_unit("kgCO2e").dimensionality
    except UnknownUnit:
        return False
