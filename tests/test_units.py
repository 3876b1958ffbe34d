"""Units: exact conversions between compatible units, clear errors otherwise."""

import pytest
from hypothesis import given, strategies as st

from carbonclap_methods.errors import UnitMismatch, UnknownUnit
from carbonclap_methods.units import conversion_factor, parse_unit

# (from, to, exact multiplier from the unit definitions: 1 mile = 1609.344 m by
# the 1959 international agreement; SI prefixes; 1 m3 = 1000 L; 1 day = 24 h)
EXACT = [
    ("mile", "km", 1.609344),
    ("MWh", "kWh", 1000.0),
    ("t", "kg", 1000.0),
    ("m3", "L", 1000.0),
    ("TB", "GB", 1000.0),
    ("GB", "TB", 0.001),
    ("day", "h", 24.0),
    ("tCO2e", "kgCO2e", 1000.0),
    ("gCO2e", "kgCO2e", 0.001),
    ("kEUR_2023", "EUR_2023", 1000.0),
    ("TB_year", "GB_year", 1000.0),
    ("tonne_km", "tkm", 1.0),
    ("pkm", "passenger_km", 1.0),
    ("mile", "vehicle_km", 1.609344),
    ("person_day", "person_year", 1 / 365.25),
    ("studio_hour", "studio_hour", 1.0),
    ("pcs", "item", 1.0),
    ("unit", "item", 1.0),
]


@pytest.mark.parametrize("source,target,expected", EXACT)
def test_conversions_are_exact(source, target, expected):
    assert conversion_factor(source, target) == expected


@pytest.mark.parametrize("source,target", [
    ("km", "passenger_km"),       # a distance is not a passenger-km
    ("kWh", "L"),
    ("kEUR_2020", "kEUR_2023"),   # price years differ until deflated
    ("GB", "dimensionless"),      # data volume is not a plain number
    ("kgCO2e", "kg"),             # emissions are not material mass
    ("meal", "night"),
])
def test_incompatible_units_name_both(source, target):
    with pytest.raises(UnitMismatch) as info:
        conversion_factor(source, target)
    assert repr(source) in str(info.value) and repr(target) in str(info.value)


@pytest.mark.parametrize("name", ["", "   ", "furlongz", "2 km", "km/", "3", "passenger km km/"])
def test_unknown_units_are_their_own_error(name):
    with pytest.raises(UnknownUnit) as info:
        parse_unit(name)
    assert "unit" in str(info.value)


def test_unknown_unit_is_not_a_mismatch():
    with pytest.raises(UnknownUnit, match="'kWhz'"):
        conversion_factor("kWhz", "kWh")


@given(st.sampled_from(["km", "mile", "m", "vehicle_km"]), st.sampled_from(["km", "mile", "m"]))
def test_round_trip_is_identity(a, b):
    assert conversion_factor(a, b) * conversion_factor(b, a) == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("name", ["EUR", "kEUR", "kGBP", "USD"])
def test_money_without_a_year_asks_for_it(name):
    with pytest.raises(UnknownUnit, match=f"money needs the year it was spent, e.g. {name}_2024"):
        parse_unit(name)


def _clear_unit_caches():
    from carbonclap_methods import units
    for cached in (units._facts_file, units._known_facts, units.conversion_factor):
        cached.cache_clear()
    return units


@pytest.fixture
def fresh_cache(monkeypatch, tmp_path):
    """The unit-facts cache of a new user (its own cache folder); ``fresh_cache()``
    reads it again as a new process would. The caches are emptied afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    yield _clear_unit_caches
    monkeypatch.undo()
    _clear_unit_caches()


def test_remembered_unit_facts_give_the_same_conversions(fresh_cache, tmp_path):
    units = fresh_cache()
    first = [units.conversion_factor(a, b) for a, b, _ in EXACT]
    assert list(tmp_path.glob("carbonclap-methods/unit-facts-*.json"))
    units = fresh_cache()                                   # a second run reads the file
    assert [units.conversion_factor(a, b) for a, b, _ in EXACT] == first \
        == [expected for _, _, expected in EXACT]
    with pytest.raises(UnitMismatch, match=r"'kWh' \(.*length.*\) is not compatible with 'L'"):
        units.conversion_factor("kWh", "L")


def test_a_damaged_unit_cache_is_not_believed(fresh_cache, tmp_path):
    import json
    units = fresh_cache()
    units.conversion_factor("mile", "km")
    path, = tmp_path.glob("carbonclap-methods/unit-facts-*.json")
    known = json.loads(path.read_text())
    known['["factor", "mile", "km"]'] = 0.0                    # not a conversion
    known['["dimensions", "km"]'] = "[length]"                   # not pairs
    path.write_text(json.dumps(known))
    units = fresh_cache()
    assert units.conversion_factor("mile", "km") == 1.609344
    path.write_text("{not json")
    units = fresh_cache()
    assert units.conversion_factor("mile", "km") == 1.609344


def test_wrong_remembered_dimensions_are_still_a_mismatch(fresh_cache, tmp_path):
    import json
    units = fresh_cache()
    units.conversion_factor("kWh", "MWh")
    units.conversion_factor("L", "m3")
    path, = tmp_path.glob("carbonclap-methods/unit-facts-*.json")
    known = json.loads(path.read_text())
    known['["dimensions", "kWh"]'] = known['["dimensions", "L"]']     # well formed, wrong
    path.write_text(json.dumps(known))
    units = fresh_cache()
    with pytest.raises(UnitMismatch, match="'kWh' is not compatible with 'L'"):
        units.conversion_factor("kWh", "L")
    units = fresh_cache()                     # the disagreeing cache was emptied
    with pytest.raises(UnitMismatch, match=r"'kWh' \(.*\) is not compatible with 'L'"):
        units.conversion_factor("kWh", "L")
    assert units.conversion_factor("kWh", "MWh") == 0.001


def test_a_cache_that_cannot_be_written_only_costs_time(fresh_cache, tmp_path):
    units = fresh_cache()
    units._facts_file().mkdir(parents=True)   # a folder where the file would go
    assert units.conversion_factor("mile", "km") == 1.609344


def test_a_compute_with_known_units_does_not_import_pint(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    example = Path(__file__).resolve().parent.parent / "examples" / "podcast_episode.yaml"
    code = ("import sys; from carbonclap_methods.cli import main; "
            f"main(['compute', {str(example)!r}, '--format', 'csv']); "
            "print('pint' in sys.modules, file=sys.stderr)")
    env = {**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True) for _ in range(2)]
    assert [run.stderr.strip() for run in runs] == ["True", "False"]   # first run fills the cache
    assert runs[0].stdout == runs[1].stdout
