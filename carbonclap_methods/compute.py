"""The calculation engine: activity lines x factors -> emissions, vectorised.

Lines are a long-format table (one row per activity line) with columns
``factor``, ``quantity``, ``unit`` and ``phase``. Each line's kgCO2e is

    quantity [line unit] x conversion(line unit -> factor's activity unit)
             x factor value [kgCO2e per activity unit]

The conversion is computed by pint once per distinct (line unit, activity
unit) pair and applied to the whole column; no pint object is made per line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .assessment import PHASES
from .categories import field_pairs
from .dimensions import CATEGORY_DIMENSIONS, DATA_QUALITY, DEFAULT_DATA_QUALITY
from .errors import (CarbonClapError, InvalidAssessment, InvalidQuantity, Location, UnitMismatch,
                     UnknownFactor, UnknownUnit)
from .factors import Edition
from .files import shown
from .money import money_factor, money_parts
from .units import conversion_factor

REQUIRED_COLUMNS = ("factor", "quantity", "unit", "phase")


def _where(lines: pd.DataFrame, position: int, key: str | None = None) -> Location:
    """The place of a line, ``key`` the field in it: the line's ``where`` (a
    :class:`Location` from the reader, or a text naming a line made in code),
    else the row of a bare table (from 1) and its column."""
    if "where" in lines.columns:
        where = Location.of(lines["where"].iat[position])
        return where.at(key) if key else where
    return Location(row=position + 1, field=f"column {key}" if key else None)


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and distinct values of a text column (categoricals are reused)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _factor_positions(lines: pd.DataFrame, edition: Edition) -> np.ndarray:
    codes, ids = _codes(lines["factor"])
    positions_of_ids = edition.table.index.get_indexer(ids)
    missing = np.flatnonzero(positions_of_ids < 0)
    if (codes < 0).any() or missing.size:
        bad_codes = np.isin(codes, missing) | (codes < 0)
        first = int(np.flatnonzero(bad_codes)[0])
        unknown = sorted({str(ids[i]) for i in missing})
        more = f" ({len(unknown)} unknown ids: {', '.join(unknown[:5])}...)" if len(unknown) > 1 else ""
        raise UnknownFactor(f"unknown factor id {shown(lines['factor'].iat[first])} in edition "
                            f"{edition.name}{more}", _where(lines, first))
    return positions_of_ids[codes]


def _quantities(lines: pd.DataFrame) -> np.ndarray:
    """The quantity column as floats; booleans and text that is not a number
    are refused (``True`` is not 1), as are negative and non-finite values."""
    column = lines["quantity"]
    if column.dtype.kind == "b" or str(column.dtype) == "boolean":
        raise InvalidQuantity("the column holds true/false values, not numbers",
                              _where(lines, 0, "quantity"))
    if column.dtype.kind in "fiu":
        values = column.to_numpy(dtype=float)
        boolean = np.zeros(len(values), dtype=bool)
    else:
        boolean = np.fromiter((isinstance(v, (bool, np.bool_)) for v in column), dtype=bool,
                              count=len(column))
        with np.errstate(over="ignore"):
            values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values) | (values < 0) | boolean
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raw = column.iat[first]
        reason = ("is not a number" if boolean[first] or isinstance(raw, str)
                  else "is negative" if np.isfinite(values[first]) else "is not a finite number")
        what = ("is empty or NaN" if isinstance(raw, float) and math.isnan(raw)
                else "is empty" if _is_blank(raw) else f"{shown(raw)} {reason}")
        raise InvalidQuantity(f"{what} ({int(bad.sum())} bad quantities in all)",
                              _where(lines, first, "quantity"))
    return values


def _is_blank(raw) -> bool:
    """An empty cell: None, pandas' NA or text of spaces."""
    if isinstance(raw, str):
        return not raw.strip()
    return raw is None or raw is pd.NA


def _check_finite(lines: pd.DataFrame, converted: np.ndarray, kgco2e: np.ndarray) -> None:
    """Every intermediate of a line is finite: a huge quantity or factor that
    overflows (1e308 t = 1e311 kg) is an error naming the line, never ``inf``."""
    bad = ~(np.isfinite(converted) & np.isfinite(kgco2e))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        step = "converted to the factor's unit" if not np.isfinite(converted[first]) \
            else "times the factor"
        raise InvalidQuantity(f"{shown(lines['quantity'].iat[first])} {lines['unit'].iat[first]} "
                              f"{step} overflows (not a finite number); check the quantity and "
                              "its unit", _where(lines, first, "quantity"))


def _check_phases(lines: pd.DataFrame) -> None:
    codes, phases = _codes(lines["phase"])
    unknown = [i for i, phase in enumerate(phases) if phase not in PHASES]
    if unknown or (codes < 0).any():
        first = int(np.flatnonzero(np.isin(codes, unknown) | (codes < 0))[0])
        raise InvalidAssessment(f"{shown(lines['phase'].iat[first])} is not a phase "
                                f"(one of {', '.join(PHASES)})", _where(lines, first, "phase"))


def _multiplier(unit: str, activity_unit: str, edition: Edition) -> float:
    """Conversion of one pair of units; money goes through the edition's rates and index."""
    try:
        return conversion_factor(unit, activity_unit)
    except UnitMismatch:
        if money_parts(unit) and money_parts(activity_unit):
            return money_factor(unit, activity_unit, edition)
        raise


def _conversions(lines: pd.DataFrame, edition: Edition, positions: np.ndarray) -> np.ndarray:
    """Per-line multiplier from the line's unit to its factor's activity unit."""
    unit_codes, units = _codes(lines["unit"])
    act_codes, act_units = pd.factorize(edition.table["activity_unit"])
    line_act = act_codes[positions]
    pair_codes, pairs = pd.factorize(unit_codes.astype(np.int64) * len(act_units) + line_act)
    multipliers = np.empty(len(pairs))
    for k, pair in enumerate(pairs):
        unit_code, act_code = divmod(int(pair), len(act_units))
        try:
            if unit_code < 0:
                raise UnknownUnit("missing unit")
            multipliers[k] = _multiplier(str(units[unit_code]), str(act_units[act_code]), edition)
        except CarbonClapError as exc:
            first = int(np.flatnonzero(pair_codes == k)[0])
            factor_id = edition.table.index[positions[first]]
            raise type(exc)(f"{exc} (activity unit of factor {factor_id!r})",
                            _where(lines, first, "unit")) from None
    return multipliers[pair_codes]


def _field_categories() -> dict:
    # Imported here: templates reads YAML and is only needed once lines name fields.
    from .templates import field_categories
    return field_categories()


def _field_table(key: str) -> dict:
    from .templates import field_table
    return field_table(key)


def _coded(fallback_codes: np.ndarray, fallback_uniques, pairs, table: dict) -> pd.Categorical:
    """The field's value where a line answers a known field, else the fallback,
    computed on integer codes (no string per line: a portfolio has millions)."""
    uniques = [str(u) for u in fallback_uniques]
    index = {u: i for i, u in enumerate(uniques)}
    codes = fallback_codes
    if pairs is not None:
        pair_codes, keys = pairs
        mapped = np.full(len(keys), -1, dtype=np.int64)
        for k, key in enumerate(keys):
            value = table.get(key)
            if value is not None:
                mapped[k] = index.setdefault(value, len(uniques))
                if mapped[k] == len(uniques):
                    uniques.append(value)
        line_mapped = mapped[pair_codes]
        codes = np.where(line_mapped >= 0, line_mapped, fallback_codes)
    return pd.Categorical.from_codes(codes, uniques)


def _by_category(category_codes: np.ndarray, categories, position: int):
    """Codes and values of a per-category default (scope or BEGES item)."""
    values = [CATEGORY_DIMENSIONS.get(c, ("3.1", "6.1"))[position] for c in categories]
    codes_of_category, uniques = pd.factorize(np.asarray(values or [""], dtype=object))
    return codes_of_category[category_codes], list(uniques)


def _dimensions(lines: pd.DataFrame, category_codes: np.ndarray, categories,
                pairs) -> dict[str, pd.Categorical]:
    """GHG scope, BEGES item and data-quality level of every line: the field's,
    else (no field) from the factor's category; a line's own ``data_quality``
    wins over its field's default; on a forecast, nothing is measured yet."""
    scope = _coded(*_by_category(category_codes, categories, 0), pairs,
                   _field_table("ghg_scope") if pairs is not None else {})
    beges = _coded(*_by_category(category_codes, categories, 1), pairs,
                   _field_table("beges") if pairs is not None else {})
    quality = _coded(np.zeros(len(lines), dtype=np.int64), [DEFAULT_DATA_QUALITY], pairs,
                     _field_table("data_quality") if pairs is not None else {})
    if "data_quality" in lines.columns or "stage" in lines.columns:
        quality = np.asarray(quality, dtype=object)
        if "data_quality" in lines.columns:
            own = lines["data_quality"].to_numpy(dtype=object, na_value="")
            set_here = own != ""
            unknown = set_here & ~np.isin(own, list(DATA_QUALITY))
            if unknown.any():
                first = int(np.flatnonzero(unknown)[0])
                raise InvalidAssessment(f"{own[first]!r} is not a data-quality level "
                                        f"(one of {', '.join(DATA_QUALITY)})",
                                        _where(lines, first, "data_quality"))
            quality = np.where(set_here, own, quality)
        if "stage" in lines.columns:
            # a forecast has no invoice or meter reading yet: "measured" is a plan's figure
            forecast = lines["stage"].to_numpy(dtype=object, na_value="") == "forecast"
            quality = np.where(forecast & (quality == "measured"), "computed", quality)
        quality = pd.Categorical(quality)
    return {"ghg_scope": scope, "beges": beges, "data_quality": quality}


def _check_fields(lines: pd.DataFrame, pairs, table: dict) -> None:
    """A line naming both a section and a field must name a questionnaire field:
    a typo would otherwise file it under its factor's category, silently."""
    codes, keys = pairs
    sections: dict[str, list[str]] = {}
    for section, field in table:
        sections.setdefault(section, []).append(field)
    for k, (section, field) in enumerate(keys):
        if not section or not field or (section, field) in table:
            continue
        first = int(np.flatnonzero(codes == k)[0])
        if section not in sections:
            raise InvalidAssessment(f"{section!r} is not a questionnaire section "
                                    f"(one of {', '.join(sections)})", _where(lines, first, "section"))
        raise InvalidAssessment(f"{field!r} is not a field of section {section} "
                                f"(fields: {', '.join(sections[section])})",
                                _where(lines, first, "field"))


def compute(lines: pd.DataFrame, edition: Edition,
            field_categories: dict[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """kgCO2e of every activity line.

    Parameters
    ----------
    lines : pandas.DataFrame
        One row per activity line: ``factor`` (factor id of the edition),
        ``quantity`` [the line's unit], ``unit`` (any unit compatible with the
        factor's activity unit), ``phase``; an optional ``where`` column names
        each line in error messages.
    edition : Edition
        The factor edition to use.
    field_categories : dict, optional
        ``(section, field) -> category`` (default: the package's questionnaires,
        :func:`templates.field_categories`).

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``category`` (the result category: the
        questionnaire field's when the line answers one, else the factor's,
        :func:`categories.line_categories`), ``factor_category``, ``activity_unit``,
        ``factor_kgco2e_per_unit`` [kgCO2e per activity unit],
        ``quantity_in_activity_unit`` and ``kgco2e`` [kgCO2e].

    Raises
    ------
    UnknownFactor, InvalidQuantity, InvalidAssessment, UnknownUnit, UnitMismatch
        Naming the first faulty line.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in lines.columns]
    if missing:
        raise InvalidAssessment(f"activity table: missing column(s) {', '.join(missing)}")
    positions = _factor_positions(lines, edition)
    quantities = _quantities(lines)
    _check_phases(lines)
    values = edition.table["value_kgco2e"].to_numpy()[positions]
    not_emission = np.isnan(values)
    if not_emission.any():
        first = int(np.flatnonzero(not_emission)[0])
        raise UnknownFactor(f"{shown(lines['factor'].iat[first])} is a reference value, not an "
                            "emission factor", _where(lines, first, "factor"))
    with np.errstate(over="ignore", invalid="ignore"):
        converted = quantities * _conversions(lines, edition, positions)
        kgco2e = converted * values
    _check_finite(lines, converted, kgco2e)
    category_codes, categories = pd.factorize(edition.table["category"])
    act_codes, act_units = pd.factorize(edition.table["activity_unit"])
    result = lines.copy(deep=False)
    line_category_codes = category_codes[positions]
    factor_category = pd.Categorical.from_codes(line_category_codes, categories)
    pairs = field_pairs(lines)
    if pairs is not None:
        if field_categories is None:
            field_categories = _field_categories()
        _check_fields(lines, pairs, field_categories)
        result["category"] = _coded(line_category_codes, categories, pairs, field_categories)
    else:
        result["category"] = factor_category
    result["factor_category"] = factor_category
    for column, column_values in _dimensions(lines, line_category_codes, categories, pairs).items():
        result[column] = column_values
    table = edition.table
    gwp_codes, gwp_sets = pd.factorize(table["gwp_set"].to_numpy(dtype=object))
    result["gwp_set"] = pd.Categorical.from_codes(gwp_codes[positions], list(gwp_sets))
    result["biogenic_co2_kg"] = converted * table["biogenic_co2"].to_numpy(dtype=float)[positions]
    result["upstream_share"] = np.nan_to_num(table["upstream_share"].to_numpy(dtype=float)[positions])
    result["activity_unit"] = pd.Categorical.from_codes(act_codes[positions], act_units)
    result["factor_kgco2e_per_unit"] = values
    result["quantity_in_activity_unit"] = converted
    result["kgco2e"] = kgco2e
    return result
