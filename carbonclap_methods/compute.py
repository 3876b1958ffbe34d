"""The calculation engine: activity lines x factors -> emissions, vectorised.

Lines are a long-format table (one row per activity line) with columns
``factor``, ``quantity``, ``unit`` and ``phase``. Each line's kgCO2e is

    quantity [line unit] x conversion(line unit -> factor's activity unit)
             x factor value [kgCO2e per activity unit]

The conversion is computed by pint once per distinct (line unit, activity
unit) pair and applied to the whole column; no pint object is made per line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .assessment import PHASES
from .categories import field_values, line_categories
from .dimensions import CATEGORY_DIMENSIONS, DATA_QUALITY, DEFAULT_DATA_QUALITY
from .errors import CarbonClapError, InvalidAssessment, InvalidQuantity, UnitMismatch, UnknownFactor
from .factors import Edition
from .money import money_factor, money_parts
from .units import conversion_factor

REQUIRED_COLUMNS = ("factor", "quantity", "unit", "phase")


def _where(lines: pd.DataFrame, position: int) -> str:
    if "where" in lines.columns:
        return str(lines["where"].iat[position])
    return f"row {position + 1}"


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
        raise UnknownFactor(f"{_where(lines, first)}: unknown factor id "
                            f"{lines['factor'].iat[first]!r} in edition {edition.name}{more}")
    return positions_of_ids[codes]


def _quantities(lines: pd.DataFrame) -> np.ndarray:
    column = lines["quantity"]
    if column.dtype.kind in "fiu":
        values = column.to_numpy(dtype=float)
    else:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raw = column.iat[first]
        reason = "is negative" if np.isfinite(values[first]) else "is not a finite number"
        raise InvalidQuantity(f"{_where(lines, first)}.quantity: {raw!r} {reason} "
                              f"({int(bad.sum())} bad quantities in all)")
    return values


def _check_phases(lines: pd.DataFrame) -> None:
    codes, phases = _codes(lines["phase"])
    unknown = [i for i, phase in enumerate(phases) if phase not in PHASES]
    if unknown or (codes < 0).any():
        first = int(np.flatnonzero(np.isin(codes, unknown) | (codes < 0))[0])
        raise InvalidAssessment(f"{_where(lines, first)}.phase: {lines['phase'].iat[first]!r} "
                                f"is not a phase (one of {', '.join(PHASES)})")


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
                raise CarbonClapError("missing unit")
            multipliers[k] = _multiplier(str(units[unit_code]), str(act_units[act_code]), edition)
        except CarbonClapError as exc:
            first = int(np.flatnonzero(pair_codes == k)[0])
            factor_id = edition.table.index[positions[first]]
            raise type(exc)(f"{_where(lines, first)}.unit: {exc} "
                            f"(activity unit of factor {factor_id!r})") from None
    return multipliers[pair_codes]


def _field_categories() -> dict:
    # Imported here: templates reads YAML and is only needed once lines name fields.
    from .templates import field_categories
    return field_categories()


def _field_table(key: str) -> dict:
    from .templates import field_table
    return field_table(key)


def _dimensions(lines: pd.DataFrame, factor_category: np.ndarray) -> dict[str, np.ndarray]:
    """GHG scope, BEGES item and data-quality level of every line: the field's,
    else (no field) from the factor's category; a line's own ``data_quality``
    wins over its field's default."""
    codes, categories = pd.factorize(factor_category)
    pairs = [CATEGORY_DIMENSIONS.get(c, ("3.1", "6.1")) for c in categories]
    scope = np.array([p[0] for p in pairs] or [""], dtype=object)[codes]
    beges = np.array([p[1] for p in pairs] or [""], dtype=object)[codes]
    quality = np.full(len(lines), DEFAULT_DATA_QUALITY, dtype=object)
    if "section" in lines.columns and "field" in lines.columns:
        scope = field_values(lines, scope, _field_table("ghg_scope"))
        beges = field_values(lines, beges, _field_table("beges"))
        quality = field_values(lines, quality, _field_table("data_quality"))
    if "data_quality" in lines.columns:
        own = lines["data_quality"].astype(object).where(lines["data_quality"].notna(), "")
        own = own.to_numpy(dtype=object)
        set_here = own != ""
        unknown = set_here & ~np.isin(own, list(DATA_QUALITY))
        if unknown.any():
            first = int(np.flatnonzero(unknown)[0])
            raise InvalidAssessment(f"{_where(lines, first)}.data_quality: {own[first]!r} is not a "
                                    f"data-quality level (one of {', '.join(DATA_QUALITY)})")
        quality = np.where(set_here, own, quality)
    return {"ghg_scope": scope, "beges": beges, "data_quality": quality}


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
        raise UnknownFactor(f"{_where(lines, first)}.factor: {lines['factor'].iat[first]!r} "
                            "is a reference value, not an emission factor")
    converted = quantities * _conversions(lines, edition, positions)
    category_codes, categories = pd.factorize(edition.table["category"])
    act_codes, act_units = pd.factorize(edition.table["activity_unit"])
    result = lines.copy(deep=False)
    factor_category = pd.Categorical.from_codes(category_codes[positions], categories)
    if "section" in lines.columns and "field" in lines.columns:
        if field_categories is None:
            field_categories = _field_categories()
        result["category"] = pd.Categorical(line_categories(
            lines, np.asarray(factor_category, dtype=object), field_categories))
    else:
        result["category"] = factor_category
    result["factor_category"] = factor_category
    for column, column_values in _dimensions(lines, np.asarray(factor_category, dtype=object)).items():
        result[column] = pd.Categorical(column_values)
    table = edition.table
    result["gwp_set"] = pd.Categorical(table["gwp_set"].to_numpy(dtype=object)[positions])
    result["biogenic_co2_kg"] = converted * table["biogenic_co2"].to_numpy(dtype=float)[positions]
    result["activity_unit"] = pd.Categorical.from_codes(act_codes[positions], act_units)
    result["factor_kgco2e_per_unit"] = values
    result["quantity_in_activity_unit"] = converted
    result["kgco2e"] = converted * values
    return result
