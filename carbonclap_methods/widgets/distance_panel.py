"""The distance helper of the form: from two places to a travel line.

The user picks the mode (plane, train or car), types where the trip leaves
from and goes to (towns, stations, IATA codes), the number of travellers (or
vehicles, for a field in km) and whether it is a return trip; the helper
finds the places (:mod:`carbonclap_methods.distance`, offline), works out the
one-way distance (plane: great circle + 8 %, DEFRA; train and car: great
circle times the mode's detour factor, Labos 1point5), shows which places it
used (and the other places an ambiguous name matches; a place abroad when
no French place has the name, or a ground trip of over 2,000 km as the crow
flies, is flagged for a check), then fills the chosen field of the
questionnaire: its first empty line, else a new line of the field (a line
the user filled is never overwritten), with the quantity, a note recording
the estimate and, for a plane field, the factor moved to the matching
distance band.
"""

from __future__ import annotations

import re
from html import escape
from typing import Callable

import ipywidgets as w

from ..distance import (GROUND_TRIP_CHECK_KM, MODES, flight_band, great_circle_km, locate,
                        route_factor, route_km, unlikely_ground_trip)
from ..errors import CarbonClapError, UnknownPlace
from .parse import Problem, parse_number
from .text import input_number, number, tr, unit_label

_BAND = re.compile(r"^flight_(lt500|500_1000|1000_2000|2000_5000|gt5000)_")


def banded_factor(factor: str, band: str, offered: tuple[str, ...]) -> str:
    """``factor`` moved to distance ``band`` if the field offers that variant, else itself."""
    moved = _BAND.sub(f"flight_{band}_", factor) if _BAND.match(factor) else factor
    if moved not in offered and "widebody" in moved:
        moved = moved.replace("_widebody", "")
    return moved if moved in offered else factor


class DistancePanel:
    """Widgets of the helper. ``targets(mode)`` lists the fields a trip by
    ``mode`` can fill as ``(label, (section, field, unit))``;
    ``on_fill(section, field, band, quantity_text)`` fills the first line of a
    field (moving a plane factor to ``band``; ``band`` is ``None`` by train or
    car) and returns the factor it chose."""

    def __init__(self, lang: str, targets: Callable[[str], list[tuple[str, tuple]]],
                 on_fill: Callable):
        self.lang, self._targets, self._on_fill = lang, targets, on_fill
        self.mode = w.ToggleButtons(options=[(m, m) for m in MODES], value="plane",
                                    style={"button_width": "90px"}).add_class("cc-d-mode")
        self.origin = w.Text(layout=w.Layout(width="220px")).add_class("cc-d-from")
        self.destination = w.Text(layout=w.Layout(width="220px")).add_class("cc-d-to")
        self.travellers = w.Text(value="1", layout=w.Layout(width="70px")).add_class(
            "cc-d-travellers")
        self.round_trip = w.Checkbox(value=True, indent=False,
                                     layout=w.Layout(width="auto")).add_class("cc-d-return")
        self.target = w.Dropdown(layout=w.Layout(width="300px")).add_class("cc-d-target")
        self.fill = w.Button(button_style="info").add_class("cc-d-fill")
        self.labels = {k: w.HTML() for k in ("mode", "from", "to", "travellers", "target")}
        self.result = w.HTML().add_class("cc-d-result")
        self.help = w.HTML()
        row = {"flex_flow": "row wrap", "align_items": "center", "grid_gap": "6px"}
        self.widget = w.VBox([
            self.help,
            w.HBox([self.labels["mode"], self.mode], layout=w.Layout(**row)),
            w.HBox([self.labels["from"], self.origin, self.labels["to"], self.destination],
                   layout=w.Layout(**row)),
            w.HBox([self.labels["travellers"], self.travellers, self.round_trip,
                    self.labels["target"], self.target, self.fill],
                   layout=w.Layout(**row)),
            self.result]).add_class("cc-distance")
        self.fill.on_click(lambda _: self.compute())
        self.mode.observe(lambda _: self.refresh_targets(), "value")
        self.target.observe(lambda _: self._label_count(), "value")
        self.relabel(lang)

    def compute(self) -> dict | None:
        """Find the places, work out the distance and fill the chosen field."""
        lang, mode = self.lang, self.mode.value
        count = parse_number(self.travellers.value, empty=1.0, lang=lang)
        if isinstance(count, Problem) or self.target.value is None:
            self._say(count.message(lang) if isinstance(count, Problem) else
                      tr("d_no_target", lang), bad=True)
            return None
        try:
            first, second = locate(self.origin.value, mode), locate(self.destination.value, mode)
            one_way = route_km(first.place, second.place, mode)
        except UnknownPlace as exc:
            key = "d_not_found_plane" if mode == "plane" else "d_not_found"
            self._say(tr("d_unknown", lang, message=tr(key, lang, name=exc.name)), bad=True)
            return None
        except CarbonClapError as exc:
            self._say(tr("d_unknown", lang, message=str(exc)), bad=True)
            return None
        a, b = first.place, second.place
        band = flight_band(one_way) if mode == "plane" else None
        legs = 2 if self.round_trip.value else 1
        quantity = one_way * legs * count
        section, field, unit = self.target.value
        direct = great_circle_km(a, b)
        who = "d_who_vehicles" if unit == "km" else "d_who_travellers"
        note = self._note(a, b, mode, direct, one_way, legs, count, who) + " = " + \
            tr("d_note_total", lang, total=number(quantity, lang), unit=unit_label(unit, lang))
        factor = self._on_fill(section, field, band, input_number(round(quantity, 1), lang), note)
        if mode == "plane":
            summary = tr("d_result", lang, a=a.describe(), b=b.describe(),
                         direct=number(direct, lang), flight=number(one_way, lang),
                         band=tr(f"d_band_{band}", lang), legs=legs,
                         travellers=number(count, lang), quantity=number(quantity, lang),
                         unit=unit_label(unit, lang))
        else:
            summary = tr("d_result_route", lang, a=a.describe(), b=b.describe(),
                         direct=number(direct, lang), factor=number(route_factor(mode), lang),
                         route=number(one_way, lang), legs=legs, count=number(count, lang),
                         who=tr(who, lang), quantity=number(quantity, lang),
                         unit=unit_label(unit, lang))
        lines = [tr("d_matched", lang, a=a.describe(), kind_a=tr(f"d_kind_{a.kind}", lang),
                    b=b.describe(), kind_b=tr(f"d_kind_{b.kind}", lang)), summary]
        for typed, match in ((self.origin.value, first), (self.destination.value, second)):
            if match.others:
                lines.append(tr("d_others", lang, typed=typed.strip(),
                                others=", ".join(match.others), example=match.others[0]))
        warnings = [tr("d_abroad", lang, typed=typed.strip(), place=match.place.describe())
                    for typed, match in ((self.origin.value, first),
                                         (self.destination.value, second)) if match.abroad]
        if unlikely_ground_trip(a, b, mode):
            warnings.append(tr("d_far", lang, direct=number(direct, lang),
                               limit=number(GROUND_TRIP_CHECK_KM, lang),
                               mode=tr(f"d_mode_{mode}", lang).lower()))
        lines.append(tr("d_noted", lang, note=note))
        self._say(*lines, warnings=warnings)
        return {"km": one_way, "band": band, "quantity": quantity, "factor": factor,
                "places": (a, b), "others": (first.others, second.others), "note": note,
                "warnings": warnings}

    def _note(self, a, b, mode: str, direct: float, one_way: float, legs: int, count: float,
              who: str) -> str:
        """The estimate written out for the line's note, in the user's language."""
        lang = self.lang
        common = {"a": a.describe(), "b": b.describe(), "direct": number(direct, lang),
                  "legs": legs, "count": number(count, lang), "who": tr(who, lang)}
        if mode == "plane":
            return tr("d_note_plane", lang, flight=number(one_way, lang), **common)
        return tr("d_note_route", lang, factor=number(route_factor(mode), lang),
                  mode=tr(f"d_mode_{mode}", lang).lower(), **common)

    def _say(self, *lines: str, bad: bool = False, warnings: list[str] = ()) -> None:
        css = "cc-bad" if bad else "cc-note"
        self.result.value = "<br>".join(
            [f'<span class="cc-bad cc-d-warning">{escape(line)}</span>' for line in warnings]
            + [f'<span class="{css}">{escape(line)}</span>' for line in lines])

    def refresh_targets(self) -> None:
        """The fields of the current questionnaire a trip by the chosen mode
        fills, labelled in the language."""
        value = self.target.value
        options = self._targets(self.mode.value)
        self.target.options = options
        values = [v for _, v in options]
        if values:
            self.target.value = value if value in values else values[0]
        self._label_count()

    def _label_count(self) -> None:
        """« Voyageurs », or « Véhicules » for a field in vehicle-km."""
        vehicles = self.target.value is not None and self.target.value[2] == "km"
        self.labels["travellers"].value = escape(tr("d_vehicles" if vehicles else
                                                    "d_travellers", self.lang))

    def relabel(self, lang: str) -> None:
        """Every label in ``lang``."""
        self.lang = lang
        self.help.value = f'<div class="cc-note">{escape(tr("d_help", lang))}</div>'
        for key, label in self.labels.items():
            label.value = escape(tr(f"d_{key}", lang))
        value = self.mode.value
        self.mode.options = [(tr(f"d_mode_{m}", lang), m) for m in MODES]
        self.mode.value = value
        self.round_trip.description = tr("d_return", lang)
        self.fill.description = tr("d_fill", lang)
        self.fill.layout.width = "auto"
        self.origin.placeholder = "Paris, CDG, Paris Gare de Lyon…"
        self.destination.placeholder = "Marseille, MRS, Uzès…"
        self.refresh_targets()
