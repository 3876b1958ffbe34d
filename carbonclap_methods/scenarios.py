"""What-if edits of an assessment: studio lines added from the studio model,
guests remote or travelling another way, electricity from another grid.
Each returns a new assessment; the original is left as it was.
"""

from __future__ import annotations

import pandas as pd

from .assessment import Assessment
from .errors import InvalidScenario
from .factors import Edition
from .studio import (GRID, REMOTE_CALL, REMOTE_WORKSTATION, TRAVEL, Scenario, flight_factor,
                     studio_hour_lines)


def _new_lines(rows: list[dict]) -> pd.DataFrame:
    from .assessment import LINE_COLUMNS as ASSESSMENT_COLUMNS

    return pd.DataFrame([{**{c: "" for c in ASSESSMENT_COLUMNS}, "extra": {}, **row} for row in rows],
                        columns=ASSESSMENT_COLUMNS)


def _with_lines(assessment: Assessment, lines: pd.DataFrame) -> Assessment:
    return Assessment(production=dict(assessment.production), lines=lines.reset_index(drop=True),
                      source=assessment.source, extra=dict(assessment.extra))


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


def with_studio(assessment: Assessment, scenario: Scenario, hours: float) -> Assessment:
    """The assessment with its studio lines replaced by the model's for ``hours`` studio hours."""
    kept = assessment.lines[assessment.lines["section"] != STUDIO_SECTION]
    return _with_lines(assessment, pd.concat([kept, studio_lines(scenario, hours)], ignore_index=True))


def guests_remote(assessment: Assessment, guests: float, hours_each: float) -> Assessment:
    """Every guest's travel and hotel lines dropped; ``guests`` x ``hours_each`` of video call
    and of workstation added (the questionnaire's remote-guest lines). Catering is kept."""
    lines = assessment.lines
    travel = (lines["section"] == "guests") & lines["field"].isin(GUEST_TRAVEL_FIELDS)
    hours = guests * hours_each
    added = _new_lines([
        {"id": "scenario_remote_call", "section": "guests", "field": "remote_guest_call_hours",
         "factor": REMOTE_CALL, "quantity": hours, "unit": "hour", "phase": "production",
         "note": f"{guests:g} guests x {hours_each:g} h remote"},
        {"id": "scenario_remote_workstation", "section": "guests",
         "field": "remote_guest_workstation_hours", "factor": REMOTE_WORKSTATION, "quantity": hours,
         "unit": "FTE_hour", "phase": "production", "note": f"{guests:g} guests x {hours_each:g} h remote"},
    ])
    return _with_lines(assessment, pd.concat([lines[~travel], added], ignore_index=True))


def guests_travel_by(assessment: Assessment, mode: str, one_way_km: float) -> Assessment:
    """Guests' long-distance trips all by ``"train"`` (TGV) or all by ``"plane"``.

    Lines of field ``guest_flights`` become ``train_tgv_fr``, or lines of field
    ``guest_train`` become the flight factor of ``one_way_km``'s band, keeping
    their passenger-km (the rail and air distances are taken as equal).
    """
    if mode not in ("train", "plane"):
        raise InvalidScenario(f"guest travel scenario: {mode!r} is not train or plane")
    lines = assessment.lines.copy()
    source, target, factor = (("guest_flights", "guest_train", TRAVEL["train"][0]) if mode == "train"
                              else ("guest_train", "guest_flights", flight_factor(one_way_km)))
    chosen = (lines["section"] == "guests") & (lines["field"] == source)
    lines.loc[chosen, "factor"] = factor
    lines.loc[chosen, "field"] = target
    return _with_lines(assessment, lines)


def electricity_from(assessment: Assessment, country: str, edition: Edition) -> Assessment:
    """Every electricity line (factor of category electricity) on the grid of ``country``."""
    if country not in GRID:
        raise InvalidScenario(f"country: {country!r} is not one of {', '.join(GRID)}")
    lines = assessment.lines.copy()
    category = edition.table["category"].reindex(lines["factor"]).to_numpy()
    lines.loc[category == "electricity", "factor"] = GRID[country]
    return _with_lines(assessment, lines)


# Fields of the questionnaire's "guests" section (templates/sections.yaml).
GUEST_TRAVEL_FIELDS = ("guest_train", "guest_car", "guest_flights", "guest_local_transport",
                       "guest_hotel_nights")


STUDIO_SECTION = "studio_recording"
