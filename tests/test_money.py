"""Budget lines in euros of another year, or in pounds and dollars spent
abroad, converted to the factor's price year with the edition's tables."""

import pandas as pd
import pytest

from carbonclap_methods.compute import compute
from carbonclap_methods.errors import UnitMismatch, UnknownUnit
from carbonclap_methods.money import money_factor, money_parts

SERVICES = 110.0   # kgCO2e per k EUR 2023, Base Carbone ratio "specialised services"
# INSEE IPC annual averages (2015 = 100): 2023 117.47 (read); 2024 = 117.47 x 1.020
# and 2025 = 2024 x 1.009 (INSEE's published annual changes); ECB annual averages.
IPC = {2021: 106.45, 2023: 117.47, 2024: 119.82, 2025: 120.90}
GBP_2024, USD_2023 = 0.8466166015625, 1.081268627451


def line(quantity, unit):
    return pd.DataFrame([("spend_services_specialised_fr_2023", quantity, unit, "production")],
                        columns=["factor", "quantity", "unit", "phase"])


@pytest.mark.parametrize("quantity,unit,expected", [
    (10, "kEUR_2023", 10 * SERVICES),
    (10_000, "EUR_2023", 10 * SERVICES),
    (10, "kEUR_2025", 10 * IPC[2023] / IPC[2025] * SERVICES),      # 1,068.8 kgCO2e
    (0.01, "MEUR_2021", 10 * IPC[2023] / IPC[2021] * SERVICES),
    (10, "kGBP_2024", 10 / GBP_2024 * IPC[2023] / IPC[2024] * SERVICES),
    (10, "kUSD_2023", 10 / USD_2023 * SERVICES),
])
def test_money_lines_by_hand(edition, quantity, unit, expected):
    assert compute(line(quantity, unit), edition)["kgco2e"].iat[0] == pytest.approx(expected, rel=1e-9)


def test_a_year_without_index_is_a_clear_error(edition):
    with pytest.raises(UnitMismatch, match="row 1, column unit: no price index for 2017 in edition 2025.1"):
        compute(line(10, "kEUR_2017"), edition)
    with pytest.raises(UnitMismatch) as info:
        compute(line(10, "kEUR_2017"), edition)
    assert (info.value.location.row, info.value.location.field) == (1, "column unit")


def test_a_year_without_rate_is_a_clear_error(edition):
    with pytest.raises(UnitMismatch, match="no GBP exchange rate for 2026"):
        compute(line(10, "kGBP_2026"), edition)


def test_money_is_not_a_physical_quantity(edition):
    with pytest.raises(UnitMismatch, match="'kEUR_2023'"):
        compute(pd.DataFrame([("train_tgv_fr", 1, "kEUR_2023", "production")],
                             columns=["factor", "quantity", "unit", "phase"]), edition)


def test_money_needs_its_year(edition):
    with pytest.raises(UnknownUnit, match="e.g. kEUR_2024"):
        compute(line(10, "kEUR"), edition)


def test_money_parts():
    assert money_parts("kGBP_2024") == ("GBP", 2024, 1000.0)
    assert money_parts("EUR_2023") == ("EUR", 2023, 1.0)
    assert money_parts("km") is None


def test_only_euros_are_targets(edition):
    with pytest.raises(UnitMismatch, match="only be converted to euros"):
        money_factor("kEUR_2023", "kGBP_2024", edition)
