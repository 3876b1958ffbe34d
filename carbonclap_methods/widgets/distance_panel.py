"""The flight-distance helper of the form: from two places to the plane line.

The user types where the flight leaves from and goes to (towns or IATA
codes), the number of travellers and whether it is a return trip; the
helper finds the airports (:mod:`carbonclap_methods.distance`, offline),
works out the flight distance (great circle + 8 %, DEFRA), then fills the
chosen plane field of the questionnaire: its quantity in passenger-km and
its factor moved to the matching distance band.
"""

from __future__ import annotations

import re
from html import escape
from typing import Callable

import ipywidgets as w

from ..distance import flight_band, flight_km, great_circle_km, place
from ..errors import CarbonClapError
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
    """Widgets of the helper. ``targets()`` lists the plane fields as
    ``(label, (section, field))``; ``on_fill(section, field, band, quantity_text)``
    fills the first line of a field and returns the factor it chose."""

    def __init__(self, lang: str, targets: Callable[[], list[tuple[str, tuple]]],
                 on_fill: Callable):
        self.lang, self._targets, self._on_fill = lang, targets, on_fill
        self.origin = w.Text(layout=w.Layout(width="200px")).add_class("cc-d-from")
        self.destination = w.Text(layout=w.Layout(width="200px")).add_class("cc-d-to")
        self.travellers = w.Text(value="1", layout=w.Layout(width="70px")).add_class(
            "cc-d-travellers")
        self.round_trip = w.Checkbox(value=True, indent=False,
                                     layout=w.Layout(width="auto")).add_class("cc-d-return")
        self.target = w.Dropdown(layout=w.Layout(width="300px")).add_class("cc-d-target")
        self.fill = w.Button(button_style="info").add_class("cc-d-fill")
        self.labels = {k: w.HTML() for k in ("from", "to", "travellers", "target")}
        self.result = w.HTML().add_class("cc-d-result")
        self.help = w.HTML()
        self.widget = w.VBox([
            self.help,
            w.HBox([self.labels["from"], self.origin, self.labels["to"], self.destination],
                   layout=w.Layout(flex_flow="row wrap", align_items="center",
                                   grid_gap="6px")),
            w.HBox([self.labels["travellers"], self.travellers, self.round_trip,
                    self.labels["target"], self.target, self.fill],
                   layout=w.Layout(flex_flow="row wrap", align_items="center",
                                   grid_gap="6px")),
            self.result]).add_class("cc-distance")
        self.fill.on_click(lambda _: self.compute())
        self.relabel(lang)

    def compute(self) -> dict | None:
        """Find the places, work out the distance and fill the chosen field."""
        lang = self.lang
        count = parse_number(self.travellers.value, empty=1.0, lang=lang)
        if isinstance(count, Problem) or self.target.value is None:
            self._say(count.message(lang) if isinstance(count, Problem) else
                      tr("d_no_target", lang), bad=True)
            return None
        try:
            a, b = place(self.origin.value), place(self.destination.value)
        except CarbonClapError as exc:
            self._say(tr("d_unknown", lang, message=str(exc)), bad=True)
            return None
        one_way = flight_km(a, b)
        band = flight_band(one_way)
        legs = 2 if self.round_trip.value else 1
        quantity = one_way * legs * count
        section, field = self.target.value
        factor = self._on_fill(section, field, band, input_number(round(quantity, 1), lang))
        self._say(tr("d_result", lang, a=a.describe(), b=b.describe(),
                     direct=number(great_circle_km(a, b), lang), flight=number(one_way, lang),
                     band=tr(f"d_band_{band}", lang), legs=legs,
                     travellers=number(count, lang), quantity=number(quantity, lang),
                     unit=unit_label("passenger_km", lang)))
        return {"km": one_way, "band": band, "quantity": quantity, "factor": factor}

    def _say(self, text: str, bad: bool = False) -> None:
        css = "cc-bad" if bad else "cc-note"
        self.result.value = f'<span class="{css}">{escape(text)}</span>'

    def refresh_targets(self) -> None:
        """The plane fields of the current questionnaire, labelled in the language."""
        value = self.target.value
        options = self._targets()
        self.target.options = options
        values = [v for _, v in options]
        if values:
            self.target.value = value if value in values else values[0]

    def relabel(self, lang: str) -> None:
        """Every label in ``lang``."""
        self.lang = lang
        self.help.value = f'<div class="cc-note">{escape(tr("d_help", lang))}</div>'
        for key, label in self.labels.items():
            label.value = escape(tr(f"d_{key}", lang))
        self.round_trip.description = tr("d_return", lang)
        self.fill.description = tr("d_fill", lang)
        self.fill.layout.width = "auto"
        self.origin.placeholder = "Paris, CDG…"
        self.destination.placeholder = "Marseille, MRS…"
        self.refresh_targets()
