"""The example assessments compute with the default edition, and one is checked by hand."""

from pathlib import Path

import pytest

from carbonclap_methods.assessment import load_assessment
from carbonclap_methods.demo import run
from carbonclap_methods.factors import load_edition
from carbonclap_methods.results import assess

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_computes(path):
    result = assess(load_assessment(path), load_edition())
    assert result["total_kgco2e"] > 0
    assert sum(result["by_category"].values()) == pytest.approx(result["total_kgco2e"])


def test_podcast_example_by_hand():
    # factor values typed from their sources: TGV 0.00293 /pkm (Base Carbone 43256),
    # Paris metro 0.00444 /pkm (43253), electricity FR 2024 0.0519 /kWh (43642),
    # R410A split unit-year with its end-of-life loss, 1 kg x (5 % + 85 % / 10 years) x GWP 2256
    # = 304.56 (Base Carbone 14598, 14603, 14608, 43632; 10-year life assumed),
    # average meal 2.04 (20682), editing suite per day of use (296 + 2 x 248) / (5 x 220) = 0.72
    # (Base Carbone 27004, 27006), DEFRA workstation 0.03144 /FTE hour, specialised services
    # 110 and IT services 75 /k EUR 2023 (Base Carbone ratios), cloud storage FR energy-based
    # 1.8577 /TB-year (edition's built row), data transfer 0.00950468087 /GB (Impact CO2)
    expected = (1860 * 0.00293 + (32 + 60) * 0.00444 + 6 * 0.7 * 0.0519
                + 1 * 6 / 1600 * 1 * (0.05 + 0.85 / 10) * 2256 + 5 * 2.04
                + 2 * (296 + 2 * 248) / (5 * 220) + 16 * 0.03144
                + 600 / 12 / 1000 * 110 + 0.020 * 75
                + 0.200 * 1.8577 + 5000 * 0.043 * 0.00950468087)
    result = assess(load_assessment(EXAMPLES / "podcast_episode.yaml"), load_edition())
    assert result["total_kgco2e"] == pytest.approx(expected, rel=1e-9)   # 28.6 kgCO2e
    assert result["indicators"]["per_hour_of_content"] == pytest.approx(expected / 0.75)


def test_demo_writes_every_result(tmp_path):
    summary = run(EXAMPLES, tmp_path)
    names = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    assert sorted(row["example"] for row in summary) == names
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{n}.json" for n in names] + ["summary.csv"])
