"""Edits of an assessment's activity lines: the one module behind reduction
levers, scenario explorers and studies that change a production.

Every function takes the lines (the long table of :class:`assessment.Assessment`)
and returns a new table; nothing is changed in place. A selection is the lines
answering the given questionnaire fields (``"section.field"``) and/or using
the given factors (both given: both must hold).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


def select(lines: pd.DataFrame, fields: Iterable[str] = (), factors: Iterable[str] = ()) -> np.ndarray:
    """Boolean mask of the lines answering one of ``fields`` and/or using one of ``factors``."""
    fields, factors = list(fields), list(factors)
    mask = np.ones(len(lines), dtype=bool)
    if fields:
        keys = (lines.get("section", pd.Series([""] * len(lines), index=lines.index)).fillna("").astype(str)
                + "." + lines.get("field", pd.Series([""] * len(lines), index=lines.index))
                .fillna("").astype(str))
        mask &= keys.isin(fields).to_numpy()
    if factors:
        mask &= lines["factor"].astype(str).isin(factors).to_numpy()
    if not fields and not factors:
        mask[:] = False
    return mask


def scale(lines: pd.DataFrame, mask: np.ndarray, ratio: float) -> pd.DataFrame:
    """The selected lines' quantities multiplied by ``ratio`` (>= 0)."""
    out = lines.copy()
    quantities = out["quantity"].to_numpy(dtype=float, copy=True)
    quantities[mask] *= ratio
    out["quantity"] = quantities
    return out


def replace(lines: pd.DataFrame, mask: np.ndarray, factor: str, unit: str | None = None,
            quantity_factor: float = 1.0) -> pd.DataFrame:
    """The selected lines computed with ``factor`` (quantity x ``quantity_factor``,
    in ``unit`` when given)."""
    out = lines.copy()
    out["factor"] = np.where(mask, factor, out["factor"].astype(object).to_numpy())
    if unit is not None:
        out["unit"] = np.where(mask, unit, out["unit"].astype(object).to_numpy())
    return scale(out, mask, quantity_factor) if quantity_factor != 1.0 else out


def split(lines: pd.DataFrame, mask: np.ndarray, share: float, factor: str,
          unit: str | None = None, quantity_factor: float = 1.0, suffix: str = "plan") -> pd.DataFrame:
    """A ``share`` of each selected line moved to ``factor``: the line keeps
    ``1 - share`` of its quantity and a new line beside it takes ``share``
    (x ``quantity_factor``, in ``unit`` when given)."""
    if not mask.any() or share == 0:
        return lines
    moved = replace(lines[mask], np.ones(int(mask.sum()), dtype=bool), factor, unit,
                    quantity_factor * share)
    if "id" in moved.columns:
        moved["id"] = [f"{i}.{suffix}" if i else "" for i in moved["id"].fillna("").astype(str)]
    kept = scale(lines, mask, 1.0 - share)
    return pd.concat([kept, moved], ignore_index=True)


def add(lines: pd.DataFrame, field: str, factor: str, quantity: float, unit: str,
        phase: str = "production", line_id: str = "") -> pd.DataFrame:
    """One new line answering ``field`` (``"section.field"``)."""
    section, _, field_id = field.partition(".")
    row = {column: "" for column in lines.columns if lines[column].dtype == object}
    row.update(section=section, field=field_id, factor=factor, quantity=float(quantity),
               unit=unit, phase=phase, id=line_id)
    if "extra" in lines.columns:
        row["extra"] = {}
    if "where" in lines.columns:
        row["where"] = f"added line {line_id or field}"
    new = pd.DataFrame([row])
    return pd.concat([lines, new[[c for c in new.columns if c in lines.columns or c in row]]],
                     ignore_index=True)
