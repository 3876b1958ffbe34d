"""Numbers in charts are written the reader's way (issue 16): in French a decimal
comma and a narrow no-break space between thousands, in the spec (Vega-Lite's
``config.locale``, which the app's SVG and the studies' PNG/SVG both read) and in
what vl-convert draws."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from carbonclap_methods import charts
from carbonclap_methods.vocabulary import localized_number

NNBSP = "\u202f"          # narrow no-break space: French thousands (14 183)
# Bars of 12 345.6 and 2 500.5 kgCO2e: the axis of the larger one passes 10 000.
ROWS = (("Transport", 12345.6), ("Repas", 2500.5))


def axis_labels(svg: str) -> list[str]:
    return re.findall(r">([^<]*\d[^<]*)<", svg)


def test_a_french_chart_spec_carries_the_french_number_format():
    spec = charts.bar_chart(ROWS, "fr", "Par catégorie", "kgCO2e").to_dict()
    number = spec["config"]["locale"]["number"]
    assert number["decimal"] == ","
    assert number["thousands"] == NNBSP and number["grouping"] == [3]
    assert number["percent"] == "\u00a0%"
    english = charts.bar_chart(ROWS, "en", "By category", "kgCO2e").to_dict()
    assert english["config"]["locale"]["number"]["thousands"] == ","
    assert english["config"]["locale"]["number"]["decimal"] == "."


@pytest.mark.parametrize("lang, ten_thousand", [("fr", f"10{NNBSP}000"), ("en", "10,000")])
def test_axis_labels_group_thousands_in_the_svg(lang, ten_thousand):
    labels = axis_labels(charts.to_svg(charts.bar_chart(ROWS, lang, "t", "kgCO2e")))
    assert ten_thousand in labels
    assert "10000" not in labels and ("10,000" not in labels if lang == "fr" else True)


def test_every_builder_sets_the_locale_of_its_language():
    """The study builders as well as the app's: a log axis in French reads 1 000."""
    data = pd.DataFrame({"y": ["a", "b"], "x": [0.5, 1500.0], "c": ["p", "q"]})
    built = [charts.grouped_bars(data, "y", "x", "c", "t", "kg", "fr", log=True),
             charts.stacked_bars(data, "y", "x", "c", "t", "kg", "fr"),
             charts.dots(data, "y", "x", "c", "t", "kg", "fr", rule_at=1),
             charts.paired_bars(data.rename(columns={"y": "label", "x": "value", "c": "series"}),
                                ["p", "q"], ["#000000", "#ffffff"], "t", "kg", "fr")]
    for chart in built:
        assert chart.to_dict()["config"]["locale"]["number"]["thousands"] == NNBSP
    assert f"1{NNBSP}000" in axis_labels(charts.to_svg(built[0]))          # 10^3 on the log axis


@pytest.mark.parametrize("text, lang, expected", [
    ("14,183.5", "fr", f"14{NNBSP}183,5"), ("14,183.5", "en", "14,183.5"),
    ("×2 (1,860)", "fr", f"×2 (1{NNBSP}860)"), ("0.5", "fr", "0,5"), ("1,000,000", "fr",
                                                                      f"1{NNBSP}000{NNBSP}000")])
def test_localized_number(text, lang, expected):
    assert localized_number(text, lang) == expected


def test_small_scenario_changes_are_written_the_reader_s_way():
    from carbonclap_methods.study_audio_scenarios import _note
    small = {"same_as_baseline": False, "change_pct": -0.53}
    assert _note(small, "=", "fr") == "\u22120,53\u00a0%"      # minus sign, comma, no-break space
    assert _note(small, "=", "en") == "\u22120.53\u00a0%"
    assert _note({"same_as_baseline": False, "change_pct": 0.012}, "=", "fr") == "+0,012\u00a0%"
    assert _note({"same_as_baseline": False, "change_pct": 4.0}, "=", "fr") == ""   # bar visible
    assert _note({"same_as_baseline": True, "change_pct": 0.0}, "= référence", "fr") == "= référence"


def test_percentages_group_thousands_the_reader_s_way():
    from carbonclap_methods.widgets.text import percent
    assert percent(1584.33, "fr") == "1\u202f584,3\u00a0%"     # narrow no-break space, comma
    assert percent(1584.33, "en") == "1,584.3\u00a0%"
    assert percent(12.5, "fr") == "12,5\u00a0%"
