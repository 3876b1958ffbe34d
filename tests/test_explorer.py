"""Factor explorer and charts: search, compare, provenance, intervals, chart
specs and offline SVG. Expected figures are typed by hand (from ADEME Base
Carbone V23.6 for the real edition, from the CSV written below for the small
one), never read back from the code under test."""

import csv
import json
import math
import re

import altair as alt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbonclap_methods import charts, explorer
from carbonclap_methods.errors import CarbonClapError, UnknownFactor
from carbonclap_methods.factors import load_edition, resolve_edition
from conftest import unseal

HEADER = ("id,activity,category,label_fr,label_en,value,unit,activity_unit,geography,year,"
          "source,source_id,url,uncertainty_pct,notes")
# A small edition whose every figure the tests below know by heart.
SMALL_ROWS = """\
train_tgv_fr,train_high_speed_passenger_km,transport,TGV,TGV high-speed train,0.00293,kgCO2e,passenger_km,FR,2022,ADEME Base Carbone V23.6,43256,https://base-empreinte.ademe.fr/,20,
elec_fr_2024,electricity_grid_mix,electricity,Électricité France 2024,Electricity France 2024,0.0519,kgCO2e,kWh,FR,2024,ADEME Base Carbone V23.6,43642,https://base-empreinte.ademe.fr/,10,
elec_fr_2023,electricity_grid_mix,electricity,Électricité France 2023,Electricity France 2023,0.058,kgCO2e,kWh,FR,2023,ADEME Base Carbone V23.6,43273,https://base-empreinte.ademe.fr/,10,
elec_de_2024,electricity_grid_mix,electricity,Électricité Allemagne 2024,Electricity Germany 2024,0.341,kgCO2e,kWh,DE,2024,Test grid data 2024,,https://example.org/grid,20,
elec_gb_2024_gen,electricity_grid_mix_generation_based,electricity,Électricité Royaume-Uni 2024,Electricity United Kingdom 2024,0.2,kgCO2e,kWh,GB,2024,Test grid data 2024,,https://example.org/grid,20,
meal_beef_test,meal_beef,food,Repas à dominante bœuf,Beef meal,6.29,kgCO2e,meal,FR,2018,Test food data,,https://example.org/food,50,"Agribalyse recipe; veau exclu"
hotel_test,hotel_night,accommodation,Nuit d'hôtel,Hotel night,0.0043,tCO2e,night,FR,2022,Test hotel data,,https://example.org/hotel,50,
meal_veg_a,meal_vegetarian,food,Repas végétarien,Vegetarian meal,0.51,kgCO2e,meal,FR,2018,Test food data,,https://example.org/food,50,
meal_veg_b,meal_vegetarian,food,Repas végétarien,Vegetarian meal,0.54,kgCO2e,meal,FR,2024,Test food data,,https://example.org/food,50,
ref_earth,earth_circumference,reference,Circonférence de la Terre,Earth circumference,40075,km,dimensionless,WORLD,2000,Test constants,,https://example.org/earth,0,
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """An edition of ten hand-written rows, with the shipped schema."""
    folder = tmp_path_factory.mktemp("editions") / "small"
    folder.mkdir()
    package = json.loads((resolve_edition("2025.1") / "datapackage.json").read_text("utf-8"))
    package["resources"] = package["resources"][:1]   # the factors table only
    package["carbonclap"]["equivalences"] = {}         # its rows hold no reference factor
    unseal(package)
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (folder / "factors.csv").write_text(HEADER + "\n" + SMALL_ROWS, encoding="utf-8")
    return load_edition(folder)


def ids(frame):
    return list(frame["id"])


def shipped_rows(edition):
    """The shipped CSV read with the csv module, independently of the loader."""
    with open(edition.path / "factors.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------
# search

def test_search_ignores_case_and_accents(small):
    electricity_fr = {"elec_fr_2024", "elec_fr_2023", "elec_de_2024", "elec_gb_2024_gen"}
    assert set(ids(explorer.search(small, "electricite"))) == electricity_fr
    assert set(ids(explorer.search(small, "ÉLECTRICITÉ"))) == electricity_fr
    assert ids(explorer.search(small, "boeuf")) == ["meal_beef_test"]
    assert ids(explorer.search(small, "BŒUF")) == ["meal_beef_test"]
    assert ids(explorer.search(small, "vegetarien")) == ["meal_veg_a", "meal_veg_b"]


def test_search_looks_into_ids_activity_source_and_notes(small):
    assert ids(explorer.search(small, "tgv_fr")) == ["train_tgv_fr"]
    assert ids(explorer.search(small, "generation_based")) == ["elec_gb_2024_gen"]
    assert ids(explorer.search(small, "43642")) == ["elec_fr_2024"]
    assert ids(explorer.search(small, "agribalyse")) == ["meal_beef_test"]
    assert set(ids(explorer.search(small, "test hotel"))) == {"hotel_test"}


def test_every_word_must_match(small):
    assert ids(explorer.search(small, "electricite 2024 allemagne")) == ["elec_de_2024"]
    assert ids(explorer.search(small, "  France   2023 ")) == ["elec_fr_2023"]


def test_search_on_the_shipped_edition_finds_accented_labels(edition):
    found = set(ids(explorer.search(edition, "electricite")))
    assert {"electricity_fr_2024", "electricity_fr_2023"} <= found
    assert found == set(ids(explorer.search(edition, "Électricité")))


def test_filters_combine(small):
    found = explorer.search(small, "", category="electricity", geography="de")
    assert ids(found) == ["elec_de_2024"]
    assert ids(explorer.search(small, category="electricity", source="base carbone",
                               year_range=(2024, None))) == ["elec_fr_2024"]
    found = explorer.search(small, category="electricity", year_range=(None, 2023))
    assert ids(found) == ["elec_fr_2023"]
    assert ids(explorer.search(small, "2024", geography="FR")) == ["elec_fr_2024", "meal_veg_b"]
    assert ids(explorer.search(small, category="food", year_range=(2018, 2018))) == [
        "meal_beef_test", "meal_veg_a"]


def test_empty_filters_mean_everything(small):
    assert len(explorer.search(small)) == 10
    assert len(explorer.search(small, "  ", category="", geography="", source="")) == 10


def test_no_match_gives_an_empty_table_with_the_same_columns(small):
    found = explorer.search(small, "zeppelin")
    assert found.empty and list(found.columns) == list(small.table.columns)
    # a known category absent from the edition is not an error either
    assert explorer.search(small, category="studio_use").empty


def test_unknown_category_is_named(small):
    with pytest.raises(CarbonClapError, match=r"unknown category 'catering'.*transport"):
        explorer.search(small, category="catering")


def test_unknown_geography_lists_the_available_ones(small):
    with pytest.raises(CarbonClapError, match=r"'XX'.*DE, FR, GB, WORLD"):
        explorer.search(small, geography="XX")


@pytest.mark.parametrize("years", [(2025, 2020), (2020,), 2020])
def test_bad_year_range(small, years):
    with pytest.raises(CarbonClapError, match="year_range"):
        explorer.search(small, year_range=years)


def test_search_leaves_the_edition_untouched(small):
    before = small.table.copy()
    found = explorer.search(small, category="food")
    found.loc[:, "value"] = -1.0
    assert small.table.equals(before)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=12))
def test_any_text_gives_a_subset(small, text):
    found = explorer.search(small, text)
    assert set(found.index) <= set(small.table.index)


@pytest.mark.parametrize("text, folded", [("Électricité", "electricite"), ("BŒUF", "boeuf"),
                                          ("Nuit d’hôtel", "nuit d'hotel"), ("", "")])
def test_fold(text, folded):
    assert explorer.fold(text) == folded


# ---------------------------------------------------------------------------
# intervals

def test_interval_by_hand_for_the_tgv():
    # Base Carbone 43256: 0.00293 kgCO2e/passenger_km, uncertainty 20 %
    low, high = explorer.interval(0.00293, 20)
    assert low == pytest.approx(0.00293 / 1.2, rel=1e-12)
    assert low == pytest.approx(0.0024416667, rel=1e-7)
    assert high == pytest.approx(0.003516, rel=1e-12)


def test_interval_arrays_zero_and_nan():
    low, high = explorer.interval(np.array([1.0, 3.0, math.nan, 2.0]),
                                  np.array([100.0, 0.0, 10.0, math.nan]))
    np.testing.assert_allclose(low, [0.5, 3.0, math.nan, math.nan])
    np.testing.assert_allclose(high, [2.0, 3.0, math.nan, math.nan])


# ---------------------------------------------------------------------------
# compare

def test_compare_lists_every_geography_and_year(small):
    table = explorer.compare(small, "electricity_grid_mix")
    assert ids(table) == ["elec_de_2024", "elec_fr_2023", "elec_fr_2024"]
    assert list(table["value_kgco2e"]) == [0.341, 0.058, 0.0519]
    assert list(table["source_id"]) == ["", "43273", "43642"]
    fr_2024 = table.loc["elec_fr_2024"]
    assert fr_2024["low_kgco2e"] == pytest.approx(0.0519 / 1.1)
    assert fr_2024["high_kgco2e"] == pytest.approx(0.05709)
    assert fr_2024["activity_unit"] == "kWh" and fr_2024["year"] == 2024


def test_compare_by_prefix_spans_activities(small):
    assert ids(explorer.compare(small, "electricity")) == [
        "elec_de_2024", "elec_fr_2023", "elec_fr_2024", "elec_gb_2024_gen"]
    assert ids(explorer.compare(small, "meal_veg")) == ["meal_veg_a", "meal_veg_b"]


def test_compare_converts_to_kgco2e(small):
    hotel = explorer.compare(small, "hotel_night").loc["hotel_test"]
    assert hotel["value_kgco2e"] == pytest.approx(4.3)  # 0.0043 tCO2e
    assert hotel["high_kgco2e"] == pytest.approx(4.3 * 1.5)


def test_compare_every_geography_of_the_shipped_grid_mix(edition):
    rows = shipped_rows(edition)
    activity = next(r["activity"] for r in rows if r["id"] == "electricity_fr_2024")
    expected = {r["id"]: r["geography"] for r in rows if r["activity"] == activity}
    table = explorer.compare(edition, activity)
    assert dict(zip(table["id"], table["geography"])) == expected
    assert len(set(expected.values())) >= 2
    assert table.loc["electricity_fr_2024", "value_kgco2e"] == 0.0519
    assert table.loc["electricity_fr_2023", "value_kgco2e"] == 0.058


@pytest.mark.parametrize("key", ["", "   ", "teleportation"])
def test_compare_unknown_activity(small, key):
    with pytest.raises(CarbonClapError, match=repr(key.strip()) if key.strip() else "empty"):
        explorer.compare(small, key)


def test_compare_suggests_a_close_activity(small):
    with pytest.raises(CarbonClapError, match="did you mean 'electricity_grid_mix'"):
        explorer.compare(small, "electricty_grid_mix")


# ---------------------------------------------------------------------------
# provenance

def test_provenance_of_the_tgv(edition):
    record = explorer.provenance(edition, "train_tgv_fr")
    assert record["value"] == 0.00293 and record["value_kgco2e"] == 0.00293
    assert record["unit"] == "kgCO2e" and record["activity_unit"] == "passenger_km"
    assert "Base Carbone" in record["source"] and record["source_id"] == "43256"
    assert record["url"].startswith("https://")
    assert record["geography"] == "FR" and isinstance(record["year"], int)
    u = record["uncertainty_pct"] / 100
    assert record["low_kgco2e"] == pytest.approx(0.00293 / (1 + u))
    assert record["high_kgco2e"] == pytest.approx(0.00293 * (1 + u))
    assert record["edition"] == "2025.1" and len(record["edition_sha256"]) == 64
    json.dumps(record)  # plain Python types only


def test_provenance_of_a_reference_value(edition):
    record = explorer.provenance(edition, "ref_france_footprint_per_capita_2023")
    assert record["value"] == 9.4 and record["unit"] == "tCO2e"
    assert record["value_kgco2e"] == pytest.approx(9400)
    earth = explorer.provenance(edition, "ref_earth_circumference")
    assert earth["value_kgco2e"] is None and earth["low_kgco2e"] is None


def test_provenance_of_an_unknown_id(edition):
    with pytest.raises(UnknownFactor, match=r"'train_tgv'.*2025\.1.*did you mean 'train_tgv_fr'"):
        explorer.provenance(edition, "train_tgv")


def test_provenance_text_in_both_languages(small):
    record = explorer.provenance(small, "elec_fr_2024")
    french = explorer.provenance_text(record, "fr")
    assert "Identifiant dans la source: 43642" in french
    assert "Libellé: Électricité France 2024" in french
    assert "Catégorie: Électricité" in french
    english = explorer.provenance_text(record, "en")
    assert "Identifier in the source: 43642" in english
    assert "95 % interval: 0.04718 – 0.05709 kgCO2e" in english
    with pytest.raises(CarbonClapError, match="'de'"):
        explorer.provenance_text(record, "de")


# ---------------------------------------------------------------------------
# widget options and display table

def test_category_options_follow_the_report_order(small):
    assert explorer.category_options(small, "fr") == [
        ("Toutes les catégories", ""), ("Transports", "transport"), ("Alimentation", "food"),
        ("Hébergement", "accommodation"), ("Électricité", "electricity"),
        ("Valeurs de référence", "reference")]
    assert explorer.category_options(small, "en")[4] == ("Electricity", "electricity")


def test_geography_and_factor_options(small):
    assert explorer.geography_options(small) == [
        ("All geographies", ""), ("DE", "DE"), ("FR", "FR"), ("GB", "GB"), ("WORLD", "WORLD")]
    food = explorer.search(small, category="food")
    assert explorer.factor_options(food, "fr")[0] == ("Repas à dominante bœuf · meal_beef_test",
                                                     "meal_beef_test")


def test_summary_columns(small):
    view = explorer.summary(explorer.search(small, "hotel"), "fr")
    assert list(view.columns) == ["id", "libellé", "kgCO2e / unité", "unité", "géographie",
                                  "année", "source", "id source", "incertitude %"]
    assert view.iloc[0]["kgCO2e / unité"] == pytest.approx(4.3)


def test_results_html_counts_escapes_and_limits(small):
    page = explorer.results_html(explorer.search(small, category="food"), "fr", limit=2)
    assert page.startswith("<p><b>3 facteur(s) (2 premiers affichés)</b></p>")
    assert page.count("<tr") == 3  # header + 2 rows
    assert "Repas à dominante bœuf" in page and "meal_veg_b" not in page
    hotel = explorer.search(small, "hotel")
    assert "Hotel night" in explorer.results_html(hotel, "en")
    hotel.loc[:, "label_en"] = "<script>alert(1)</script>"
    page = explorer.results_html(hotel, "en")
    assert "<script" not in page and "&lt;script&gt;" in page
    empty = explorer.results_html(explorer.search(small, "zeppelin"))
    assert empty.startswith("<p><b>0 factor(s)</b>")


def test_ui_text():
    assert explorer.ui_text("category", "fr") == "Catégorie"
    assert explorer.ui_text("found", "en", count=7) == "7 factor(s)"


# ---------------------------------------------------------------------------
# charts

def chart_rows(spec):
    return spec["datasets"][spec["data"]["name"]]


def test_category_chart_spec(small):
    spec = charts.category_chart(explorer.search(small, category="electricity"), "en").to_dict()
    rows = chart_rows(spec)
    assert [r["id"] for r in rows] == ["elec_de_2024", "elec_gb_2024_gen", "elec_fr_2023",
                                       "elec_fr_2024"]  # largest first
    assert rows[3]["factor"] == "Electricity France 2024 [kWh]"
    assert rows[3]["value_kgco2e"] == 0.0519
    assert rows[3]["low_kgco2e"] == pytest.approx(0.0519 / 1.1)
    assert rows[3]["high_kgco2e"] == pytest.approx(0.0519 * 1.1)
    assert rows[0]["low_kgco2e"] == pytest.approx(0.341 / 1.2)
    assert rows[3]["source_id"] == "43642"
    bars, whiskers = spec["layer"]
    assert bars["mark"]["type"] == "bar" and whiskers["mark"]["type"] == "errorbar"
    assert bars["encoding"]["x"]["field"] == "value_kgco2e"
    assert bars["encoding"]["y"]["field"] == "factor"
    assert bars["encoding"]["y"]["sort"] == [r["factor"] for r in rows]
    assert whiskers["encoding"]["x"]["field"] == "low_kgco2e"
    assert whiskers["encoding"]["x2"]["field"] == "high_kgco2e"
    tips = {t["field"] for t in bars["encoding"]["tooltip"]}
    assert {"source", "source_id", "value_kgco2e", "low_kgco2e", "high_kgco2e"} <= tips
    assert spec["title"]["text"] == "Electricity"
    assert spec["config"]["locale"]["number"]["decimal"] == "."


def test_category_chart_in_french(small):
    spec = charts.category_chart(explorer.search(small, category="accommodation"), "fr").to_dict()
    assert spec["title"]["text"] == "Hébergement"
    assert chart_rows(spec)[0]["factor"] == "Nuit d'hôtel [night]"
    assert chart_rows(spec)[0]["value_kgco2e"] == pytest.approx(4.3)  # 0.0043 tCO2e
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"].startswith("kgCO2e par unité")
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_chart_tells_identical_labels_apart(small):
    rows = chart_rows(charts.category_chart(explorer.search(small, "vegetarian")).to_dict())
    assert [r["factor"] for r in rows] == ["Vegetarian meal [meal] · meal_veg_b",
                                           "Vegetarian meal [meal] · meal_veg_a"]


def test_chart_leaves_reference_values_out(small):
    spec = charts.category_chart(explorer.search(small, category="reference")).to_dict()
    assert chart_rows(spec) == []
    mixed = charts.category_chart(explorer.search(small)).to_dict()
    assert mixed["title"]["text"] == "Emission factors"


def test_chart_of_a_comparison(small):
    spec = charts.category_chart(explorer.compare(small, "electricity_grid_mix"), "fr").to_dict()
    assert [r["id"] for r in chart_rows(spec)] == ["elec_de_2024", "elec_fr_2023", "elec_fr_2024"]
    assert spec["title"]["text"] == "Facteurs d'émission"


def test_chart_unknown_language(small):
    with pytest.raises(CarbonClapError, match="'es'"):
        charts.category_chart(explorer.search(small), "es")


def _urls(svg):
    return set(re.findall(r"https?://[^\s\"'<>)]+", svg))


XML_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_to_svg_is_static_and_offline(small):
    chart = charts.category_chart(explorer.search(small, category="electricity"), "fr")
    svg = charts.to_svg(chart)
    assert svg.lstrip().startswith("<svg")
    assert "<script" not in svg.lower()
    assert _urls(svg) <= XML_NAMESPACES
    assert "Électricité France 2024 [kWh]" in svg
    assert re.search(r">0,\d", svg)  # French decimal comma on the axis


def test_to_svg_of_an_empty_chart(small):
    svg = charts.to_svg(charts.category_chart(explorer.search(small, "zeppelin")))
    assert svg.lstrip().startswith("<svg") and _urls(svg) <= XML_NAMESPACES


def test_to_svg_refuses_external_data():
    chart = alt.Chart("https://example.org/data.csv").mark_bar().encode(x="a:Q")
    with pytest.raises(CarbonClapError, match="example.org"):
        charts.to_svg(chart)
