"""Aggregation of computed lines: totals, categories, phases, indicators,
equivalences, and the JSON-ready result document of ``carbonclap compute``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .assessment import PHASES, Assessment
from .categories import CATEGORIES  # noqa: F401  (re-exported: results.CATEGORIES)
from .dimensions import (BEGES_ITEMS, DIRECT_BEGES_CATEGORIES, DIRECT_SCOPES, SCOPES,
                         UPSTREAM_BEGES, UPSTREAM_SCOPE, scope_of)
from .factors import GWP_SETS
from .switches import (assessment_lines, contrails_setting, contrails_summary,
                       electricity_summary, with_contrails)
from .compute import compute
from .errors import InvalidQuantity, Location
from .factors import Edition
from .published import compare_to_published
from .units import conversion_factor



def sums_by(emissions: pd.DataFrame, column: str, keys) -> dict[str, float]:
    """kgCO2e summed by ``column`` over ``keys`` (every key present, zero if unused)."""
    values = emissions[column]
    if isinstance(values.dtype, pd.CategoricalDtype):     # codes are there already
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
        used = codes >= 0
        codes, weights = codes[used], emissions["kgco2e"].to_numpy()[used]
    else:
        codes, uniques = pd.factorize(values.astype(str))
        weights = emissions["kgco2e"].to_numpy()
    totals = np.bincount(codes, weights=weights, minlength=len(uniques))
    seen = np.bincount(codes, minlength=len(uniques)) > 0     # categories unused are left out
    found = {str(k): float(v) for k, v, s in zip(uniques, totals, seen) if s}
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


def _upstream_parts(emissions: pd.DataFrame, column: str, direct, target: str) -> pd.DataFrame:
    """Each line's kgCO2e by ``column`` code: a line whose code is ``direct``
    keeps its combustion part there and gives its upstream part (``upstream_share``
    of its factor: fuel supply chain, transmission losses) to ``target``."""
    code = emissions[column].astype(str).to_numpy(dtype=object)
    kg = emissions["kgco2e"].to_numpy(dtype=float)
    share = emissions["upstream_share"].to_numpy(dtype=float) \
        if "upstream_share" in emissions.columns else np.zeros(len(kg))
    upstream = np.where(direct(code), kg * share, 0.0)
    return pd.DataFrame({column: np.concatenate([code, np.full(len(kg), target, dtype=object)]),
                         "kgco2e": np.concatenate([kg - upstream, upstream])})


def scope_parts(emissions: pd.DataFrame) -> pd.DataFrame:
    """Each line's kgCO2e by scope code: the upstream part of scope 1 and 2 lines
    goes to scope 3.3 (GHG Protocol)."""
    return _upstream_parts(emissions, "ghg_scope", lambda code: np.isin(code, DIRECT_SCOPES),
                           UPSTREAM_SCOPE)


def beges_parts(emissions: pd.DataFrame) -> pd.DataFrame:
    """Each line's kgCO2e by BEGES item: the upstream part of the lines of
    categories 1 and 2 goes to item 4.1 (BEGES v5: categories 1 and 2 hold the
    combustion only; see :data:`dimensions.UPSTREAM_BEGES`)."""
    return _upstream_parts(emissions, "beges", direct_beges, UPSTREAM_BEGES)


def direct_beges(items: np.ndarray) -> np.ndarray:
    """Whether each BEGES item is in category 1 or 2 (direct emissions, energy)."""
    codes, uniques = pd.factorize(np.asarray(items, dtype=object))
    direct = np.array([str(u).split(".")[0] in DIRECT_BEGES_CATEGORIES for u in uniques] + [False])
    return direct[codes]          # code -1 (missing) reads the last entry: False


def by_beges(emissions: pd.DataFrame) -> dict[str, float]:
    """kgCO2e by BEGES item (the 22, in order), summing to the total."""
    return sums_by(beges_parts(emissions), "beges", BEGES_ITEMS)


def by_scope(emissions: pd.DataFrame) -> dict[str, float]:
    """kgCO2e by GHG Protocol scope (``"1"``, ``"2"``, ``"3"``), summing to the total."""
    parts = scope_parts(emissions)
    parts["_scope"] = parts["ghg_scope"].map(scope_of)
    return sums_by(parts, "_scope", ("1", "2", "3"))


def by_scope3_category(emissions: pd.DataFrame) -> dict[str, float]:
    """kgCO2e of scope 3 by its categories (``"3.1"``...), those with lines only;
    3.3 holds the upstream part of the scope 1 and 2 lines."""
    parts = scope_parts(emissions)
    scope3 = parts[parts["ghg_scope"].str.startswith("3.")]
    keys = [k for k in SCOPES if k.startswith("3.")]
    return {k: v for k, v in sums_by(scope3, "ghg_scope", keys).items() if v}


def gwp_summary(emissions: pd.DataFrame) -> dict:
    """kgCO2e by the GWP set of the factors behind them, and whether sets are mixed."""
    sets = {k: v for k, v in sums_by(emissions, "gwp_set", GWP_SETS).items() if v}
    known = [k for k in sets if k in ("AR4", "AR5", "AR6")]
    notes = []
    if len(known) > 1:
        notes.append("a total mixing sets adds gases weighted by different IPCC reports")
    if "unstated" in sets:
        notes.append(f"{sets['unstated']:,.1f} kgCO2e come from factors whose source does not "
                     "state its GWP set")
    return {"by_set": sets, "mixed": len(known) > 1, "unstated_kgco2e": sets.get("unstated", 0.0),
            "note": "; ".join(notes)}


def biogenic_summary(emissions: pd.DataFrame) -> dict:
    """Biogenic CO2 beside the total (never in it), where the factors' sources give it."""
    values = emissions["biogenic_co2_kg"].to_numpy(dtype=float)
    given = ~np.isnan(values)
    factors = sorted(set(emissions["factor"].astype(str)[given]))
    return {"kgco2": float(values[given].sum()), "lines": int(given.sum()), "factors": factors,
            "emitted_kgco2": float(values[given & (values > 0)].sum()),
            "stored_kgco2": float(values[given & (values < 0)].sum()),
            "note": "biogenic CO2 (GHG Protocol: reported outside the scopes); positive when "
                    "emitted by burning biofuels, negative for biogenic carbon stored in a "
                    "product; only where the factor's source separates it"}


def assess(assessment: Assessment, edition: Edition) -> dict:
    """The full result document of an assessment (the JSON of ``carbonclap compute``)."""
    setting = contrails_setting(assessment.production)
    lines = assessment_lines(assessment, edition)
    emissions = compute(lines, edition)
    with np.errstate(over="ignore", invalid="ignore"):     # an overflow is named below
        total = float(emissions["kgco2e"].sum())
        paired = (edition.table["contrails_pair"].astype(str) != "").any()
        other_lines = with_contrails(assessment.lines, edition,
                                     "exclude" if setting == "include" else "include") \
            if paired else assessment.lines
        same = other_lines is assessment.lines and lines is assessment.lines   # no flight switched
        other_total = total if same else float(compute(other_lines, edition)["kgco2e"].sum())
        result = _document(assessment, edition, emissions, total, setting, other_total)
    _check_finite(result)
    result["benchmark"] = compare_to_published(result)
    return result


def _document(assessment: Assessment, edition: Edition, emissions: pd.DataFrame,
              total: float, setting: str, other_total: float) -> dict:
    return {
        "title": assessment.title,
        "production": assessment.production,
        "total_kgco2e": total,
        "by_category": sums_by(emissions, "category", CATEGORIES),
        "by_phase": sums_by(emissions, "phase", PHASES),
        "by_scope": by_scope(emissions),
        "by_scope3_category": by_scope3_category(emissions),
        "by_beges": by_beges(emissions),
        "gwp": gwp_summary(emissions),
        "biogenic_co2": biogenic_summary(emissions),
        "contrails": contrails_summary(assessment.lines, edition, setting, total, other_total),
        "electricity": electricity_summary(assessment.production, emissions, assessment.source),
        "lines": line_records(emissions),
        "indicators": indicators(total, assessment.production),
        "equivalences": equivalences(total, edition),
        **edition.describe(),            # edition, edition_sha256 (and "draft edition")
        "source": assessment.source,
    }


# The production field each indicator divides by (named when one overflows).
_DENOMINATORS = {"per_hour_of_content": "content_minutes", "per_minute_of_content": "content_minutes",
                 "per_keur_budget": "budget_eur", "per_day": "days", "per_episode": "episodes"}


def _check_finite(result: dict) -> None:
    """Every figure of the result is finite; lines are checked by the engine, so
    an overflow here comes from a sum or a ratio, named in the message."""
    source = result["source"]
    sums = [("total", result["total_kgco2e"])] + list(result["by_category"].items()) \
        + list(result["by_phase"].items())
    for name, value in sums:
        if not math.isfinite(value):
            raise InvalidQuantity(f"the {name} of the lines overflows (not a finite number); "
                                  "check the largest quantities and their units", Location(source))
    for name, value in result["indicators"].items():
        if not math.isfinite(value):
            field = _DENOMINATORS.get(name, name)
            raise InvalidQuantity(f"{name} is not a finite number; {field} is too small",
                                  Location(source, field=f"production.{field}"))
    for name, entry in result["equivalences"].items():
        if not math.isfinite(entry["value"]):
            raise InvalidQuantity(f"the equivalence {name} is not a finite number; check the "
                                  "largest quantities and their units", Location(source))
