"""The assessment's two methodological switches, recorded in the assessment
and in the result.

- Contrails (``production.contrails``: ``include``, the default as ADEME
  recommends for footprints, or ``exclude``): every flight or air-freight line
  whose factor has a pair in the other family (``contrails_pair`` column of
  the edition) is computed with the factor of the chosen family; the total
  under the other choice is given beside it. Lines whose factors mix both
  families in the file, and flight lines with no pair, are reported.
- Electricity, market-based (GHG Protocol Scope 2 Guidance, 2015): the
  location-based figure is always the result; a supply contract with
  guarantees of origin (``production.electricity_contract`` or a line's
  ``electricity_contract``) gives the market-based figure of the scope 2
  electricity lines, reported beside it, never instead of it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .errors import InvalidAssessment
from .factors import Edition

CONTRAILS = ("include", "exclude")
FAMILY = {"include": "included", "exclude": "excluded"}


def contrails_setting(production: dict) -> str:
    """``include`` (default) or ``exclude``; anything else is refused."""
    setting = production.get("contrails", "include")
    if setting not in CONTRAILS:
        raise InvalidAssessment(f"production.contrails: {setting!r} is not a choice "
                                f"(one of {', '.join(CONTRAILS)})")
    return setting


def with_contrails(lines: pd.DataFrame, edition: Edition, setting: str) -> pd.DataFrame:
    """The lines with every paired flight factor switched to ``setting``'s family."""
    table = edition.table
    family = table["contrails"].reindex(lines["factor"].astype(str)).to_numpy(dtype=object)
    pair = table["contrails_pair"].reindex(lines["factor"].astype(str)).to_numpy(dtype=object)
    switch = (family == FAMILY["exclude" if setting == "include" else "include"])
    switch &= pd.notna(pair) & (pair != "")
    if not switch.any():
        return lines        # the same object: nothing to switch
    out = lines.copy()
    factors = out["factor"].astype(object).to_numpy(copy=True)
    factors[switch] = pair[switch]
    out["factor"] = factors
    return out


def contrails_summary(lines: pd.DataFrame, edition: Edition, setting: str,
                      total: float, other_total: float) -> dict:
    """The switch as the result records it: the setting, both totals, what is mixed."""
    table = edition.table
    ids = lines["factor"].astype(str)
    family = table["contrails"].reindex(ids).fillna("").to_numpy(dtype=object)
    pair = table["contrails_pair"].reindex(ids).fillna("").to_numpy(dtype=object)
    where = lines["where"].astype(str).to_numpy() if "where" in lines.columns else \
        np.array([f"row {i + 1}" for i in range(len(lines))])
    families = sorted({f for f in family if f})
    unpaired = [str(w) for w, f, p in zip(where, family, pair) if f and not p]
    with_, without = (total, other_total) if setting == "include" else (other_total, total)
    return {
        "setting": setting,
        "total_with_contrails_kgco2e": with_,
        "total_without_contrails_kgco2e": without,
        "families_in_file": families,
        "mixed": len(families) > 1,
        "unpaired_lines": unpaired,
    }


def _contract(node, where: str) -> dict | None:
    if node is None:
        return None
    if not isinstance(node, dict):
        raise InvalidAssessment(f"{where}: must be a mapping with supplier and kgco2e_per_kwh")
    value = node.get("kgco2e_per_kwh")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value < 0:
        raise InvalidAssessment(f"{where}.kgco2e_per_kwh: {value!r} must be a finite number >= 0 "
                                "(the supplier's factor, kgCO2e per kWh)")
    origin = node.get("guarantees_of_origin", False)
    if not isinstance(origin, bool):
        raise InvalidAssessment(f"{where}.guarantees_of_origin: {origin!r} must be true or false")
    return {"supplier": str(node.get("supplier", "")), "kgco2e_per_kwh": float(value),
            "guarantees_of_origin": origin}


def electricity_summary(production: dict, emissions: pd.DataFrame, source: str = "") -> dict:
    """Location-based and market-based figures of the scope 2 electricity lines.

    A line answering a scope 2 field with an activity in kWh is electricity.
    Its market-based figure is kWh x the contract's factor where a contract
    applies (the line's own ``electricity_contract``, else the production's);
    without one, the location-based figure stands (no residual mix is in the
    edition: said in ``note``).
    """
    prefix = f"{source}, " if source else ""
    default = _contract(production.get("electricity_contract"),
                        f"{prefix}production.electricity_contract")
    scope2 = (emissions["ghg_scope"].astype(str) == "2").to_numpy() & \
        (emissions["activity_unit"].astype(str) == "kWh").to_numpy()
    location = emissions["kgco2e"].to_numpy(dtype=float)
    market = location.copy()
    kwh = emissions["quantity_in_activity_unit"].to_numpy(dtype=float)
    own = emissions["extra"] if "extra" in emissions.columns else pd.Series([None] * len(emissions))
    covered = 0.0
    for i in np.flatnonzero(scope2):
        extra = own.iat[i] if isinstance(own.iat[i], dict) else {}
        where = f"{emissions['where'].iat[i]}.electricity_contract" if "where" in emissions.columns \
            else "electricity_contract"
        contract = _contract(extra.get("electricity_contract"), where) or default
        if contract is not None:
            market[i] = kwh[i] * contract["kgco2e_per_kwh"]
            covered += kwh[i]
    return {
        "location_based_kgco2e": float(location[scope2].sum()),
        "market_based_kgco2e": float(market[scope2].sum()),
        "kwh": float(kwh[scope2].sum()),
        "kwh_under_contract": covered,
        "contract": default,
        "total_market_based_kgco2e": float(location.sum() - location[scope2].sum()
                                           + market[scope2].sum()),
        "note": "location-based is the result; market-based replaces the grid factor by the "
                "supplier's for the kWh under a contract (guarantees of origin), and keeps the "
                "grid factor for the others (no residual mix in the edition)",
    }
