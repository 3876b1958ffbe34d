"""Money across price years and currencies.

Monetary emission factors are published per k EUR of one price year (e.g.
ADEME's ratios per k EUR 2023, excl. VAT). A budget line in EUR of another
year, or in GBP or USD spent abroad, is converted to the factor's unit with
the edition's own tables, so the conversion is versioned with the factors:

    amount [XXX_y] / (XXX per EUR in year y)          -> EUR of year y
                   x index(factor year) / index(y)    -> EUR of the factor year

``exchange_rates`` gives annual-average units of currency per EUR (ECB
reference rates); ``price_index`` gives an annual-average price index for
France; the datapackage's ``carbonclap.deflator`` names the index series used.
"""

from __future__ import annotations

import re

from .errors import UnitMismatch
from .units import conversion_factor, unit_dimensions

_CURRENCY_DIM = re.compile(r"\[currency_([A-Z]{3})_(\d{4})\]")


def money_parts(unit: str) -> tuple[str, int, float] | None:
    """(currency, year, multiplier to one currency unit) of a money unit, or None.

    ``kGBP_2024`` gives ``("GBP", 2024, 1000.0)``.
    """
    dims = unit_dimensions(unit)
    if len(dims) != 1:
        return None
    (dim, power), = dims
    match = _CURRENCY_DIM.fullmatch(dim)
    if not match or power != "1":
        return None
    currency, year = match.group(1), int(match.group(2))
    return currency, year, conversion_factor(unit, f"{currency}_{year}")


def _rate(edition, currency: str, year: int) -> float:
    if currency == "EUR":
        return 1.0
    rates = edition.tables.get("exchange_rates")
    row = None if rates is None else rates[(rates["currency"] == currency) & (rates["year"] == year)]
    if row is None or row.empty:
        raise UnitMismatch(f"no {currency} exchange rate for {year} in edition {edition.name}")
    return float(row["per_eur"].iloc[0])


def _index(edition, year: int) -> float:
    table = edition.tables.get("price_index")
    series = edition.settings.get("deflator")
    row = None if table is None else table[(table["series"] == series) & (table["year"] == year)]
    if row is None or row.empty:
        raise UnitMismatch(f"no price index for {year} in edition {edition.name} "
                           f"(series {series!r})")
    return float(row["value"].iloc[0])


# Conversion factors already computed, by (from unit, to unit, edition sha256):
# the guided form recomputes on every keystroke.
_CACHE: dict[tuple[str, str, str], float] = {}


def money_factor(from_unit: str, to_unit: str, edition) -> float:
    """Multiplier taking an amount in ``from_unit`` to ``to_unit`` (EUR of a price year).

    Raises
    ------
    UnitMismatch
        If either unit is not money, the target is not in EUR, or the edition
        has no rate or index for a year needed.
    """
    key = (from_unit, to_unit, edition.sha256)
    if key not in _CACHE:
        _CACHE[key] = _money_factor(from_unit, to_unit, edition)
    return _CACHE[key]


def _money_factor(from_unit: str, to_unit: str, edition) -> float:
    source, target = money_parts(from_unit), money_parts(to_unit)
    if source is None or target is None:
        raise UnitMismatch(f"unit {from_unit!r} is not compatible with {to_unit!r}")
    currency, year, scale = source
    target_currency, target_year, target_scale = target
    if target_currency != "EUR":
        raise UnitMismatch(f"money can only be converted to euros, not to {to_unit!r}")
    eur = scale / _rate(edition, currency, year)
    if year != target_year:
        eur *= _index(edition, target_year) / _index(edition, year)
    return eur / target_scale
