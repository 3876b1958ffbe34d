"""Aggregation of computed lines: totals, categories, phases, indicators,
equivalences, and the JSON-ready result document of ``carbonclap compute``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .assessment import PHASES, Assessment
from .categories import CATEGORIES  # noqa: F401  (re-exported: results.CATEGORIES)
from .dimensions import BEGES_ITEMS, SCOPES, scope_of
from .factors import GWP_SETS
from .switches import contrails_setting, contrails_summary, electricity_summary, with_contrails
from .compute import compute
from .factors import Edition
from .published import compare_to_published
from .units import conversion_factor



def sums_by(emissions: pd.DataFrame, column: str, keys) -> dict[str, float]:
    """kgCO2e summed by ``column`` over ``keys`` (every key present, zero if unused)."""
    codes, uniques = pd.factorize(emissions[column].astype(str))
    totals = np.bincount(codes, weights=emissions["kgco2e"].to_numpy(), minlength=len(uniques))
    found = {str(k): float(v) for k, v in zip(uniques, totals)}
    ordered = {k: found.pop(k, 0.0) for k in keys}
    ordered.update(found)
    return ordered


def indicators(total_kgco2e: float, production: dict) -> dict[str, float]:
    """Footprint per unit of the production, where the production data allow.

    Keys (kgCO2e per ...): ``per_hour_of_content``, ``per_minute_of_content``
    [content_minutes], ``per_keur_budget`` [budget_eur / 1000],
    ``per_day`` [shooting or recording days], ``per_episode`` [episodes].
    A key is left out when its denominator is missing or zero.
    """
    denominators = {
        "per_hour_of_content": _positive(production.get("content_minutes"), 1 / 60),
        "per_minute_of_content": _positive(production.get("content_minutes"), 1),
        "per_keur_budget": _positive(production.get("budget_eur"), 1 / 1000),
        "per_day": _positive(production.get("days"), 1),
        "per_episode": _positive(production.get("episodes"), 1),
    }
    return {k: total_kgco2e / d for k, d in denominators.items() if d is not None}


def _positive(value, scale: float):
    if value is None or not math.isfinite(float(value)) or float(value) <= 0:
        return None
    return float(value) * scale


def equivalences(total_kgco2e: float, edition: Edition) -> dict:
    """The total expressed as petrol-car km, laps of the Earth and French annual footprints.

    Each figure is computed from the reference factors the edition names in its
    datapackage (``carbonclap.equivalences``); their ids are given beside them.
    """
    refs = edition.equivalences
    out: dict = {}
    car_id = refs.get("petrol_car_km")
    if car_id:
        km = total_kgco2e / edition.factor(car_id)["value_kgco2e"]
        out["petrol_car_km"] = {"value": km, "factor": car_id}
        earth_id = refs.get("earth_circumference")
        if earth_id:
            earth = edition.factor(earth_id)
            circumference_km = earth["value"] * conversion_factor(earth["unit"], "km")
            out["earth_laps_petrol_car"] = {"value": km / circumference_km,
                                            "factors": [car_id, earth_id]}
    person_id = refs.get("french_annual_footprint")
    if person_id:
        person = edition.factor(person_id)
        out["french_annual_footprints"] = {"value": total_kgco2e / person["value_kgco2e"],
                                           "factor": person_id}
    return out


def line_records(emissions: pd.DataFrame) -> list[dict]:
    """Each computed line as a plain dict for JSON output."""
    columns = ["factor", "quantity", "unit", "phase", "category", "activity_unit",
               "factor_kgco2e_per_unit", "kgco2e"]
    columns += [c for c in ("ghg_scope", "beges", "data_quality", "gwp_set")
                if c in emissions.columns]
    records = emissions[columns].astype({c: str for c in columns
                                         if c not in ("quantity", "factor_kgco2e_per_unit",
                                                      "kgco2e")})
    # Column lists zipped into dicts: the same plain-Python values as
    # DataFrame.to_dict(orient="records"), about 10x faster (the guided form
    # recomputes on every keystroke).
    values = [records[c].tolist() for c in columns]
    out = [dict(zip(columns, row)) for row in zip(*values)]
    if "factor_category" in emissions.columns:
        for record, value in zip(out, emissions["factor_category"].astype(str).tolist()):
            record["factor_category"] = value
    for key in ("id", "section", "field", "note"):
        if key in emissions.columns:
            for record, value in zip(out, emissions[key]):
                if value:
                    record[key] = value
    return out


def by_scope(emissions: pd.DataFrame) -> dict[str, float]:
    """kgCO2e by GHG Protocol scope (``"1"``, ``"2"``, ``"3"``), summing to the total."""
    scopes = emissions["ghg_scope"].astype(str).map(scope_of)
    return sums_by(emissions.assign(_scope=scopes), "_scope", ("1", "2", "3"))


def by_scope3_category(emissions: pd.DataFrame) -> dict[str, float]:
    """kgCO2e of scope 3 by its categories (``"3.1"``...), those with lines only."""
    scope3 = emissions[emissions["ghg_scope"].astype(str).str.startswith("3.")]
    keys = [k for k in SCOPES if k.startswith("3.")]
    return {k: v for k, v in sums_by(scope3, "ghg_scope", keys).items() if v}


def gwp_summary(emissions: pd.DataFrame) -> dict:
    """kgCO2e by the GWP set of the factors behind them, and whether sets are mixed."""
    sets = {k: v for k, v in sums_by(emissions, "gwp_set", GWP_SETS).items() if v}
    known = [k for k in sets if k in ("AR4", "AR5", "AR6")]
    return {"by_set": sets, "mixed": len(known) > 1,
            "note": "each factor's GWP100 set as its source states it; a total mixing sets "
                    "adds gases weighted by different IPCC reports" if len(known) > 1 else ""}


def biogenic_summary(emissions: pd.DataFrame) -> dict:
    """Biogenic CO2 beside the total (never in it), where the factors' sources give it."""
    values = emissions["biogenic_co2_kg"].to_numpy(dtype=float)
    given = ~np.isnan(values)
    factors = sorted(set(emissions["factor"].astype(str)[given]))
    return {"kgco2": float(values[given].sum()), "lines": int(given.sum()), "factors": factors,
            "note": "biogenic CO2 (GHG Protocol: reported outside the scopes); positive when "
                    "emitted by burning biofuels, negative for biogenic carbon stored in a "
                    "product; only where the factor's source separates it"}


def assess(assessment: Assessment, edition: Edition) -> dict:
    """The full result document of an assessment (the JSON of ``carbonclap compute``)."""
    setting = contrails_setting(assessment.production)
    lines = with_contrails(assessment.lines, edition, setting)
    emissions = compute(lines, edition)
    total = float(emissions["kgco2e"].sum())
    other_lines = with_contrails(assessment.lines, edition,
                                 "exclude" if setting == "include" else "include")
    same = other_lines is assessment.lines and lines is assessment.lines   # no flight switched
    other_total = total if same else float(compute(other_lines, edition)["kgco2e"].sum())
    result = {
        "title": assessment.title,
        "production": assessment.production,
        "total_kgco2e": total,
        "by_category": sums_by(emissions, "category", CATEGORIES),
        "by_phase": sums_by(emissions, "phase", PHASES),
        "by_scope": by_scope(emissions),
        "by_scope3_category": by_scope3_category(emissions),
        "by_beges": sums_by(emissions, "beges", BEGES_ITEMS),
        "gwp": gwp_summary(emissions),
        "biogenic_co2": biogenic_summary(emissions),
        "contrails": contrails_summary(assessment.lines, edition, setting, total, other_total),
        "electricity": electricity_summary(assessment.production, emissions, assessment.source),
        "lines": line_records(emissions),
        "indicators": indicators(total, assessment.production),
        "equivalences": equivalences(total, edition),
        "edition": edition.name,
        "edition_sha256": edition.sha256,
        "source": assessment.source,
    }
    result["benchmark"] = compare_to_published(result)
    return result
