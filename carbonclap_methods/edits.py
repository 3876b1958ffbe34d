"""Edits of an assessment: the one module behind the reduction levers
(:mod:`levers`, :mod:`plan`), the audio scenarios (:mod:`scenario_set`, the
``audio_scenarios`` study) and the scenario explorer (``carbonclap app scenarios``).

Two levels, nothing changed in place:

- line edits (:func:`select`, :func:`scale`, :func:`replace`, :func:`split`,
  :func:`add`) take the lines (the long table of :class:`assessment.Assessment`)
  and return a new table. A selection is the lines answering the given
  questionnaire fields (``"section.field"``) and/or using the given factors
  (both given: both must hold);
- what-if edits of a whole assessment (:func:`with_studio`, :func:`guests_remote`,
  :func:`guests_travel_by`, :func:`guests_scaled`, :func:`electricity_from`,
  :func:`vegetarian_meals`) return a new :class:`assessment.Assessment`.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from .assessment import Assessment
from .errors import InvalidScenario
from .factors import Edition
from .studio import (GRID, MEALS, REMOTE_CALL, REMOTE_WORKSTATION, TRAVEL, Scenario, flight_factor,
                     studio_hour_lines)


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


# ---------------------------------------------------------------------------
# What-if edits of an assessment

STUDIO_SECTION = "studio_recording"
# Fields of the questionnaire's "guests" section (templates/sections.yaml).
GUEST_TRAVEL_FIELDS = ("guest_train", "guest_car", "guest_flights", "guest_local_transport",
                       "guest_hotel_nights")
# The guests' long-distance trips (their length follows the trip's distance).
GUEST_TRIP_FIELDS = ("guest_train", "guest_car", "guest_flights")


def _new_lines(rows: list[dict]) -> pd.DataFrame:
    from .assessment import LINE_COLUMNS as ASSESSMENT_COLUMNS

    return pd.DataFrame([{**{c: "" for c in ASSESSMENT_COLUMNS}, "extra": {}, **row} for row in rows],
                        columns=ASSESSMENT_COLUMNS)


def _with_lines(assessment: Assessment, lines: pd.DataFrame) -> Assessment:
    return Assessment(production=dict(assessment.production), lines=lines.reset_index(drop=True),
                      source=assessment.source, extra=dict(assessment.extra))


def _guest_lines(lines: pd.DataFrame, fields: tuple[str, ...]) -> np.ndarray:
    return ((lines["section"] == "guests") & lines["field"].isin(fields)).to_numpy()


def studio_lines(scenario: Scenario, hours: float, profile: dict | None = None) -> pd.DataFrame:
    """The studio part of ``hours`` studio hours, as assessment lines (section studio_recording).

    Only the studio itself (energy, refrigerant, equipment manufacture): a
    production counts its own people, meals and data.
    """
    lines = studio_hour_lines(scenario, profile)
    lines = lines[lines["part"] == "studio"]
    # no questionnaire field: the model's components are not fields (each line
    # takes its factor's category); the component is in the note and the id
    return _new_lines([{"id": f"studio_{row['id']}", "section": STUDIO_SECTION,
                        "field": "", "factor": row["factor"],
                        "quantity": row["quantity"] * hours, "unit": row["unit"],
                        "phase": "production", "note": f"{hours:g} studio hours x ({row['note']})",
                        "where": f"studio model {scenario.studio_size}, {row['id']}"}
                       for row in lines.to_dict(orient="records")])


def with_studio(assessment: Assessment, scenario: Scenario, hours: float,
                profile: dict | None = None) -> Assessment:
    """The assessment with its studio lines replaced by the model's for ``hours`` studio hours
    (``profile``: the studio size's profile, when already read)."""
    kept = assessment.lines[assessment.lines["section"] != STUDIO_SECTION]
    return _with_lines(assessment, pd.concat([kept, studio_lines(scenario, hours, profile)],
                                             ignore_index=True))


def guests_remote(assessment: Assessment, guests: float, hours_each: float,
                  of: float | None = None) -> Assessment:
    """``guests`` of the production's ``of`` guests (default: all of them) take part remotely.

    Their share of every guest travel and hotel line is dropped (each guest
    taken to travel alike: a modelling assumption; all of it when every guest
    is remote), and ``guests`` x ``hours_each`` of video call and of
    workstation are added (the questionnaire's remote-guest lines). Catering is kept.
    """
    of = guests if of is None else of
    if not 0 <= guests <= of:
        raise InvalidScenario(f"guests_remote: {guests:g} is not between 0 and the {of:g} guests")
    if guests == 0:
        return assessment
    lines = guests_scaled(assessment, (of - guests) / of).lines
    hours = guests * hours_each
    added = _new_lines([
        {"id": "scenario_remote_call", "section": "guests", "field": "remote_guest_call_hours",
         "factor": REMOTE_CALL, "quantity": hours, "unit": "hour", "phase": "production",
         "note": f"{guests:g} guests x {hours_each:g} h remote"},
        {"id": "scenario_remote_workstation", "section": "guests",
         "field": "remote_guest_workstation_hours", "factor": REMOTE_WORKSTATION, "quantity": hours,
         "unit": "FTE_hour", "phase": "production", "note": f"{guests:g} guests x {hours_each:g} h remote"},
    ])
    return _with_lines(assessment, pd.concat([lines, added], ignore_index=True))


def guests_scaled(assessment: Assessment, ratio: float,
                  fields: tuple[str, ...] = GUEST_TRAVEL_FIELDS) -> Assessment:
    """The guests' lines of ``fields`` (default: all their travel and hotel
    lines) x ``ratio`` (>= 0); at 0 they are dropped."""
    if ratio < 0:
        raise InvalidScenario(f"guest lines: ratio {ratio:g} must be >= 0")
    lines = assessment.lines
    chosen = _guest_lines(lines, fields)
    if ratio == 0:
        return _with_lines(assessment, lines[~chosen])
    return _with_lines(assessment, scale(lines, chosen, ratio) if ratio != 1 else lines)


def guests_travel_by(assessment: Assessment, mode: str, one_way_km: float) -> Assessment:
    """Guests' long-distance trips all by ``"train"`` (TGV), ``"plane"`` or ``"car"``.

    Lines of field ``guest_flights`` become ``train_tgv_fr``; or lines of field
    ``guest_train`` become the flight factor of ``one_way_km``'s band; or
    both become the average car, each guest driving alone (one vehicle-km
    per passenger-km, as :data:`studio.TRAVEL` assumes). Each keeps its
    distance (rail, road and air distances taken as equal); taxis
    (``guest_car``) and local transport are kept.
    """
    if mode == "train":
        sources, factor, unit = ("guest_flights",), TRAVEL["train"][0], TRAVEL["train"][1]
    elif mode == "plane":
        sources, factor, unit = ("guest_train",), flight_factor(one_way_km), TRAVEL["plane"][1]
    elif mode == "car":
        sources, (factor, unit) = ("guest_train", "guest_flights"), TRAVEL["car"]
    else:
        raise InvalidScenario(f"guest travel scenario: {mode!r} is not train, plane or car")
    target = {"train": "guest_train", "plane": "guest_flights", "car": "guest_car"}[mode]
    lines = assessment.lines.copy()
    chosen = _guest_lines(lines, sources)
    lines.loc[chosen, "factor"] = factor
    lines.loc[chosen, "field"] = target
    if mode == "car":
        lines.loc[chosen, "unit"] = unit
    return _with_lines(assessment, lines)


def electricity_from(assessment: Assessment, country: str, edition: Edition) -> Assessment:
    """Every electricity line (factor of category electricity) on the grid of ``country``."""
    if country not in GRID:
        raise InvalidScenario(f"country: {country!r} is not one of {', '.join(GRID)}")
    lines = assessment.lines.copy()
    category = edition.table["category"].reindex(lines["factor"]).to_numpy()
    lines.loc[category == "electricity", "factor"] = GRID[country]
    return _with_lines(assessment, lines)


def vegetarian_meals(assessment: Assessment, share: float) -> Assessment:
    """A ``share`` (0 to 1) of every average meal (factor ``meal_average_fr``)
    served vegetarian instead (``meal_vegetarian_fr``), as the lever
    ``vegetarian_meals`` does on the catering lines."""
    if not 0 <= share <= 1:
        raise InvalidScenario(f"vegetarian_share: {share!r} must be between 0 and 1")
    lines = assessment.lines
    mask = select(lines, factors=[MEALS["average"]])
    return _with_lines(assessment, split(lines, mask, share, MEALS["vegetarian"], suffix="vegetarian"))
