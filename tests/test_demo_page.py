"""The end of `make demo`: output/index.html, the printed summary, the log of the studies."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from carbonclap_methods import demo_page, studies
from carbonclap_methods.demo import printed_table
from carbonclap_methods.errors import CarbonClapError


@pytest.mark.parametrize("value, lang, expected", [
    (21430.279489927732, "en", "21,430.3"),
    (114080.4, "en", "114,080.4"),
    (21430.279489927732, "fr", "21\u202f430,3"),
    (3.8641792238765156, "en", "3.9"),
    (0.04, "en", "0.0"),
    (None, "en", "–"),
    (float("nan"), "fr", "–"),
])
def test_one_number_format(value, lang, expected):
    assert demo_page.number(value, lang) == expected


def test_printed_summary_has_units_and_one_format():
    summary = [
        {"example": "a", "type": "documentary", "stage": "final", "total_kgco2e": 21430.279,
         "per_hour_of_content": 114080.44, "per_keur_budget": 47.6228},
        {"example": "b", "type": "podcast", "stage": "forecast", "total_kgco2e": 303.3,
         "per_hour_of_content": None, "per_keur_budget": 5.0},
    ]
    text = printed_table(summary)
    header = text.splitlines()[0]
    for unit in ("[kgCO2e]", "[kgCO2e/h]", "[kgCO2e/kEUR]"):
        assert unit in header
    lines = text.splitlines()[2:]
    assert lines[0].split()[-3:] == ["21,430.3", "114,080.4", "47.6"]
    assert lines[1].split()[-3:] == ["303.3", "–", "5.0"]
    for figure in re.findall(r"\d[\d,]*\.\d+", text):
        assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d", figure), figure


def _fake_output(folder: Path) -> None:
    example = {"production": {"title": "Podcast 12", "type": "podcast", "stage": "forecast"},
               "total_kgco2e": 1234.56, "by_category": {"transport": 1000.0, "food": 234.56},
               "indicators": {"per_hour_of_content": 1646.08, "per_keur_budget": 102.88},
               "edition": "2025.1"}
    (folder / "podcast_episode.json").write_text(json.dumps(example), encoding="utf-8")
    (folder / "summary.csv").write_text("example\npodcast_episode\n", encoding="utf-8")
    study = folder / "my_study"
    study.mkdir()
    (study / "results.json").write_text(json.dumps({
        "edition": "2025.1",
        "headline": {"value": 2.5, "unit": "kgCO2e/h", "label_en": "One hour", "label_fr": "Une heure"},
    }), encoding="utf-8")
    (study / "chart_en.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (study / "chart_fr.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")


def test_index_page_links_every_file_and_loads_nothing_remote(tmp_path):
    _fake_output(tmp_path)
    page = demo_page.write(tmp_path).read_text(encoding="utf-8")
    assert "1,234.6" in page and "1\u202f234,6" in page          # total, EN and FR
    assert '<strong><span lang="en">1.2</span><span lang="fr">1,2</span></strong> tCO2e' in page  # 1234.56 kg
    assert "1,646.1" in page and "102.9" in page                 # indicators
    assert '<span lang="en">2.5</span><span lang="fr">2,5</span></strong> kgCO2e/h' in page  # headline
    for name in ("podcast_episode.json", "summary.csv", "my_study/results.json",
                 "my_study/chart_en.svg", "my_study/chart_fr.svg"):
        assert f"href='{name}'" in page, name
    assert "src='my_study/chart_en.svg'" in page and "src='my_study/chart_fr.svg'" in page
    for url in re.findall(r"""(?:src|href)=['"]([^'"]+)""", page):
        assert not re.match(r"(https?:)?//", url), url
        if not url.startswith("#"):
            assert (tmp_path / url).is_file(), url
    # headers give their units
    for unit in ("[kgCO2e]", "[kgCO2e/h]", "[kgCO2e/kEUR]"):
        assert unit in page


def test_index_page_refuses_an_empty_folder_and_changes_nothing(tmp_path):
    with pytest.raises(CarbonClapError, match="no example result"):
        demo_page.write(tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert demo_page.main(["--output", str(tmp_path / "missing")]) == 2


def test_studies_log_one_line_per_step_off_a_terminal(monkeypatch, tmp_path):
    monkeypatch.setattr(studies, "study_names", lambda: ["first", "second"])
    monkeypatch.setattr(studies, "run", lambda name, values, out: Path(out))
    stream = io.StringIO()                      # not a terminal: no progress bar
    folders = studies.run_all(tmp_path, stream=stream)
    assert folders == [tmp_path / "first", tmp_path / "second"]
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert [re.sub(r"[\d.]+ s$", "N s", line) for line in lines] == [
        "study 1/2 first: done in N s", "study 2/2 second: done in N s"]
