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

from .errors import InvalidAssessment, Location
from .factors import Edition

CONTRAILS = ("include", "exclude")
FAMILY = {"include": "included", "exclude": "excluded"}


def contrails_setting(production: dict) -> str:
    """``include`` (default) or ``exclude``; anything else is refused."""
    setting = production.get("contrails", "include")
    if setting not in CONTRAILS:
        raise InvalidAssessment(f"{setting!r} is not a choice (one of {', '.join(CONTRAILS)})",
                                Location(field="production.contrails"))
    return setting


def assessment_lines(assessment, edition: Edition) -> pd.DataFrame:
    """An assessment's lines as every computation uses them: its contrails switch
    applied (compute, Monte Carlo, portfolio, compare, plans)."""
    lines = with_contrails(assessment.lines, edition, contrails_setting(assessment.production))
    if assessment.production.get("stage") == "forecast":
        lines = lines.copy() if lines is assessment.lines else lines
        lines["stage"] = "forecast"       # no quantity is measured yet (compute._dimensions)
    return lines


def with_contrails(lines: pd.DataFrame, edition: Edition, setting: str) -> pd.DataFrame:
    """The lines with every paired flight factor switched to ``setting``'s family;
    ``factor_entered`` keeps the factor the file gave.

    Raises
    ------
    InvalidAssessment
        For ``exclude`` with an edition that pairs no flight factors (before 2026.2).
    """
    table = edition.table
    if setting == "exclude" and not (table["contrails_pair"].astype(str) != "").any():
        raise InvalidAssessment("exclude needs an edition that pairs flights with and without "
                                f"contrails (2026.2 or later); edition {edition.name} does not",
                                Location(field="production.contrails"))
    # per distinct factor, not per line: a portfolio has millions of lines
    column = lines["factor"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, ids = column.cat.codes.to_numpy(), pd.Index(column.cat.categories.astype(str))
    else:
        codes, uniques = pd.factorize(column.to_numpy(dtype=object))
        ids = pd.Index(uniques.astype(str))
    family = table["contrails"].reindex(ids).fillna("").to_numpy(dtype=object)
    pair = table["contrails_pair"].reindex(ids).fillna("").to_numpy(dtype=object)
    switching = (family == FAMILY["exclude" if setting == "include" else "include"]) & (pair != "")
    if not switching.any() or not switching[codes].any():
        return lines        # the same object: nothing to switch
    out = lines.copy()
    entered = column.to_numpy(dtype=object)
    out["factor_entered"] = entered
    new_ids = np.where(switching, pair, ids.to_numpy(dtype=object))
    out["factor"] = new_ids[codes]
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


CONTRACT_KEYS = ("supplier", "kgco2e_per_kwh", "guarantees_of_origin")
# Above the most carbon-intensive grids (about 1 kgCO2e/kWh, coal): a factor in
# g/kWh typed as kg/kWh.
MAX_KGCO2E_PER_KWH = 1.5


def _contract(node, where: Location) -> dict | None:
    if node is None:
        return None
    if not isinstance(node, dict):
        raise InvalidAssessment("must be a mapping with supplier and kgco2e_per_kwh", where)
    unknown = [k for k in node if k not in CONTRACT_KEYS and not str(k).startswith("__")]
    if unknown:
        raise InvalidAssessment(f"unknown key {unknown[0]!r} (keys: {', '.join(CONTRACT_KEYS)})",
                                where)
    value = node.get("kgco2e_per_kwh")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value < 0:
        raise InvalidAssessment(f"{value!r} must be a finite number >= 0 (the supplier's factor, "
                                "kgCO2e per kWh)", where.at("kgco2e_per_kwh"))
    if value > MAX_KGCO2E_PER_KWH:
        raise InvalidAssessment(f"{value!r} is above {MAX_KGCO2E_PER_KWH} kgCO2e/kWh, more than "
                                "any grid (g/kWh typed as kg/kWh?)", where.at("kgco2e_per_kwh"))
    origin = node.get("guarantees_of_origin", False)
    if not isinstance(origin, bool):
        raise InvalidAssessment(f"{origin!r} must be true or false",
                                where.at("guarantees_of_origin"))
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
    default = _contract(production.get("electricity_contract"),
                        Location(source or None, field="production.electricity_contract"))
    scope2 = (emissions["ghg_scope"].astype(str) == "2").to_numpy() & \
        (emissions["activity_unit"].astype(str) == "kWh").to_numpy()
    location = emissions["kgco2e"].to_numpy(dtype=float)
    market = location.copy()
    kwh = emissions["quantity_in_activity_unit"].to_numpy(dtype=float)
    own = emissions["extra"] if "extra" in emissions.columns else pd.Series([None] * len(emissions))
    covered = 0.0
    for i in range(len(emissions)):
        extra = own.iat[i] if isinstance(own.iat[i], dict) else {}
        if "electricity_contract" not in extra and not scope2[i]:
            continue
        where = Location.of(emissions["where"].iat[i]).at("electricity_contract") \
            if "where" in emissions.columns else Location(field="electricity_contract")
        contract = _contract(extra.get("electricity_contract"), where)
        if contract is not None and not scope2[i]:
            raise InvalidAssessment("a supply contract on a line that is not scope 2 electricity "
                                    f"in kWh (factor {emissions['factor'].iat[i]!r})", where)
        contract = contract or default
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
