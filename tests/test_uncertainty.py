"""Monte Carlo uncertainty and variance contributions.

Expected figures are computed here, independently of the code under test:
factor values and uncertainties are typed by hand (ADEME Base Carbone V23.6
for the shipped edition, the CSV below for the small one), lognormal
quantiles and moments from their closed forms, and sampling tolerances from
the asymptotic standard errors of sample quantiles and means.
"""

import json
import math
import subprocess
import sys

import altair as alt
import numpy as np
import pandas as pd
import pytest

from conftest import run_cli, unseal
from carbonclap_methods import charts, explorer, uncertainty
from carbonclap_methods.cli import main
from carbonclap_methods.factors import load_edition, resolve_edition
from carbonclap_methods.uncertainty import InvalidParameter, contributions
from carbonclap_methods.uncertainty import monte_carlo as monte_carlo_with_data


def monte_carlo(*args, **kwargs):
    """The factor draws alone (quantities exact): what this module checks against
    the analytical lognormal. Draws of the quantities: tests/test_dimensions.py."""
    return monte_carlo_with_data(*args, **{"data": False, **kwargs})

Z975 = 1.959963984540054   # 97.5th percentile of N(0, 1)
Z95 = 1.6448536269514722   # 95th percentile of N(0, 1)
TGV, TGV_U = 0.00293, 20   # kgCO2e per passenger-km, Base Carbone 43256, uncertainty 20 %
MEAL, MEAL_U = 2.04, 50    # kgCO2e per meal, meal_average_fr, uncertainty 50 %

HEADER = ("id,activity,category,label_fr,label_en,value,unit,activity_unit,geography,year,"
          "source,source_id,url,uncertainty_pct,notes")
SMALL_ROWS = """\
wide_test,wide,purchases,Large,Wide,10,kgCO2e,kg,FR,2024,Test data,,https://example.org/a,100,
narrow_test,narrow,transport,Étroit,Narrow,2,kgCO2e,km,FR,2024,Test data,,https://example.org/b,20,
exact_test,exact,electricity,Exact,Exact,0.5,kgCO2e,kWh,FR,2024,Test data,,https://example.org/c,0,
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Three hand-written factors: u = 100 %, 20 % and 0 %."""
    folder = tmp_path_factory.mktemp("editions") / "small_mc"
    folder.mkdir()
    package = json.loads((resolve_edition("2025.1") / "datapackage.json").read_text("utf-8"))
    package["resources"] = package["resources"][:1]
    package["carbonclap"]["equivalences"] = {}         # its rows hold no reference factor
    unseal(package)
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (folder / "factors.csv").write_text(HEADER + "\n" + SMALL_ROWS, encoding="utf-8")
    return load_edition(folder)


def lines(*rows):
    """Activity lines from (factor, quantity, unit[, id]) tuples."""
    records = [{"factor": r[0], "quantity": r[1], "unit": r[2], "phase": "production",
                "id": r[3] if len(r) > 3 else ""} for r in rows]
    return pd.DataFrame(records)


def sigma_of(u_pct):
    return math.log(1 + u_pct / 100) / Z975


def quantile_se_log(sigma, p, n):
    """Standard error of log(sample p-quantile) of a lognormal, asymptotically."""
    z = {0.5: 0.0, 0.95: Z95, 0.05: -Z95}[p]
    density = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    return sigma * math.sqrt(p * (1 - p) / n) / density


# ---------------------------------------------------------------------------
# the lognormal convention

def test_log_sigma_by_hand():
    assert uncertainty.log_sigma(20) == pytest.approx(math.log(1.2) / 1.959963984540054)
    assert uncertainty.log_sigma(0) == 0.0
    values = uncertainty.log_sigma(np.array([0, 100, np.nan]))
    assert values[1] == pytest.approx(math.log(2) / 1.959963984540054)
    assert math.isnan(values[2])


def test_interval_is_the_lognormal_2_5_and_97_5_percentiles():
    low, high = uncertainty.interval(TGV, TGV_U)
    s = sigma_of(TGV_U)
    assert low == pytest.approx(TGV * math.exp(-Z975 * s), rel=1e-12)
    assert high == pytest.approx(TGV * math.exp(Z975 * s), rel=1e-12)
    assert (low, high) == pytest.approx((0.00293 / 1.2, 0.00293 * 1.2))


def test_one_definition_shared_with_the_explorer():
    assert explorer.interval is uncertainty.interval
    assert explorer.INTERVAL_METHOD is uncertainty.INTERVAL_METHOD


def test_mean_shift_examples_by_hand():
    # exp(sigma^2 / 2) - 1, sigma = ln(1 + u) / 1.96: typed from a calculator
    shifts = uncertainty.MEAN_SHIFT_EXAMPLES
    assert shifts[20] == pytest.approx(0.00434, abs=2e-5)
    assert shifts[50] == pytest.approx(0.02164, abs=2e-5)
    assert shifts[100] == pytest.approx(0.06454, abs=2e-5)


# ---------------------------------------------------------------------------
# statistics against the analytical lognormal

def test_single_factor_quantile_ratio_median_and_mean(edition):
    n = 200_000
    mc = monte_carlo(lines(("meal_average_fr", 10, "meal")), edition, n, seed=11)
    s = sigma_of(MEAL_U)
    value = 10 * MEAL
    p5, p50, p95 = np.percentile(mc.totals, [5, 50, 95])
    tol_ratio = 4 * (quantile_se_log(s, 0.95, n) + quantile_se_log(s, 0.5, n))
    assert math.log(p95 / p50) == pytest.approx(Z95 * s, abs=tol_ratio)
    assert math.log(p50 / p5) == pytest.approx(Z95 * s, abs=tol_ratio)
    assert math.log(p50 / value) == pytest.approx(0, abs=4 * quantile_se_log(s, 0.5, n))
    mean = value * math.exp(s * s / 2)
    sd = value * math.sqrt((math.exp(s * s) - 1) * math.exp(s * s))
    assert mc.totals.mean() == pytest.approx(mean, abs=4 * sd / math.sqrt(n))
    assert mc.totals.std() == pytest.approx(sd, rel=0.02)
    assert mc.deterministic_total == pytest.approx(value)


def test_summary_keys_and_category(edition):
    mc = monte_carlo(lines(("train_tgv_fr", 930, "passenger_km")), edition, 1000, seed=1)
    block = uncertainty.uncertainty_block(mc)
    assert set(block["total"]) == {"mean", "std", "p5", "p50", "p95"}
    assert list(block["by_category"]) == ["transport"]
    assert block["by_category"]["transport"] == block["total"]
    assert block["deterministic_kgco2e"] == pytest.approx(930 * TGV)
    assert block["iterations"] == 1000 and block["seed"] == 1


def test_two_lines_sharing_one_factor_are_fully_correlated(edition):
    mc = monte_carlo(lines(("train_tgv_fr", 930, "passenger_km", "a"),
                           ("train_tgv_fr", 200, "passenger_km", "b")),
                     edition, 20_000, seed=5, by="id")
    a, b = mc.by_group["a"].to_numpy(), mc.by_group["b"].to_numpy()
    # one draw shared: each line is its quantity times the same multiplier
    np.testing.assert_allclose(a / b, 930 / 200, rtol=1e-12)
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(1.0, abs=1e-12)
    # so the total spreads like a single line of 1,130 passenger-km
    s = sigma_of(TGV_U)
    p50, p95 = np.percentile(mc.totals, [50, 95])
    assert math.log(p95 / p50) == pytest.approx(
        Z95 * s, abs=4 * (quantile_se_log(s, 0.95, 20_000) + quantile_se_log(s, 0.5, 20_000)))


def test_two_factors_are_independent(edition):
    n = 20_000
    mc = monte_carlo(lines(("train_tgv_fr", 930, "passenger_km", "a"),
                           ("meal_average_fr", 5, "meal", "b")), edition, n, seed=9, by="id")
    r = np.corrcoef(mc.by_group["a"], mc.by_group["b"])[0, 1]
    assert abs(r) < 4 / math.sqrt(n)


def test_zero_uncertainty_gives_no_spread(small):
    mc = monte_carlo(lines(("exact_test", 30, "kWh")), small, 500, seed=3)
    assert np.all(mc.totals == 15.0)
    stats = uncertainty.summary(mc.totals)
    assert stats["p5"] == stats["p50"] == stats["p95"] == stats["mean"] == 15.0
    assert stats["std"] == 0.0


def test_by_category_sums_to_total(small):
    mc = monte_carlo(lines(("wide_test", 3, "kg"), ("narrow_test", 40, "km"),
                           ("exact_test", 10, "kWh")), small, 2000, seed=4)
    assert list(mc.by_group.columns) == ["transport", "purchases", "electricity"]
    np.testing.assert_allclose(mc.by_group.sum(axis=1), mc.totals, rtol=1e-12)
    assert np.all(mc.by_group["electricity"] == 5.0)
    assert mc.deterministic_by_group.to_dict() == pytest.approx(
        {"transport": 80.0, "purchases": 30.0, "electricity": 5.0})


# ---------------------------------------------------------------------------
# seeds and chunks

def test_same_seed_same_figures_other_seed_other_figures(edition):
    rows = lines(("train_tgv_fr", 930, "passenger_km"), ("meal_average_fr", 5, "meal"))
    first = monte_carlo(rows, edition, 3000, seed=42)
    again = monte_carlo(rows, edition, 3000, seed=42)
    other = monte_carlo(rows, edition, 3000, seed=43)
    np.testing.assert_array_equal(first.totals, again.totals)
    assert uncertainty.uncertainty_block(first) == uncertainty.uncertainty_block(again)
    assert not np.array_equal(first.totals, other.totals)


def test_random_seed_is_recorded_and_reproduces(edition):
    rows = lines(("meal_average_fr", 5, "meal"))
    mc = monte_carlo(rows, edition, 100)
    assert isinstance(mc.seed, int) and mc.seed >= 0
    np.testing.assert_array_equal(monte_carlo(rows, edition, 100, seed=mc.seed).totals, mc.totals)


def test_figures_with_data_do_not_depend_on_the_chunk_size(edition, monkeypatch):
    rows = lines(("train_tgv_fr", 930, "passenger_km"), ("meal_average_fr", 10, "meal"))
    whole = monte_carlo_with_data(rows, edition, 1001, seed=8)
    monkeypatch.setattr(uncertainty, "CHUNK_VALUES", 7)
    chunked = monte_carlo_with_data(rows, edition, 1001, seed=8)
    np.testing.assert_array_equal(whole.totals, chunked.totals)


def test_figures_do_not_depend_on_the_chunk_size(edition, monkeypatch):
    rows = lines(("train_tgv_fr", 930, "passenger_km"), ("meal_average_fr", 5, "meal"))
    whole = monte_carlo(rows, edition, 1001, seed=8)
    monkeypatch.setattr(uncertainty, "CHUNK_VALUES", 14)   # 7 iterations per chunk
    chunked = monte_carlo(rows, edition, 1001, seed=8)
    np.testing.assert_array_equal(whole.totals, chunked.totals)


def test_lines_order_does_not_change_the_figures(edition):
    rows = lines(("train_tgv_fr", 930, "passenger_km"), ("meal_average_fr", 5, "meal"))
    a = monte_carlo(rows, edition, 500, seed=2)
    b = monte_carlo(rows.iloc[::-1].reset_index(drop=True), edition, 500, seed=2)
    np.testing.assert_allclose(a.totals, b.totals, rtol=1e-12)


def test_draws_match_a_loop_over_iterations(small):
    """Reference: a plain loop, one standard normal per factor (sorted ids) per iteration."""
    rows = lines(("wide_test", 3, "kg"), ("narrow_test", 40, "km"), ("wide_test", 1, "kg"))
    mc = monte_carlo(rows, small, 50, seed=77)
    rng = np.random.default_rng(77)
    s_narrow, s_wide = sigma_of(20), sigma_of(100)   # factor ids sorted: narrow, wide
    for i in range(50):
        z_narrow, z_wide = rng.standard_normal(2)
        expected = 80 * math.exp(s_narrow * z_narrow) + 40 * math.exp(s_wide * z_wide)
        assert mc.totals[i] == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------
# variance contributions

def test_contributions_by_hand(small):
    rows = lines(("wide_test", 3, "kg"), ("narrow_test", 40, "km"), ("exact_test", 10, "kWh"))
    mc = monte_carlo(rows, small, 200_000, seed=21)
    table = contributions(mc).set_index("factor")

    def var(amount, u):
        s2 = sigma_of(u) ** 2
        return amount ** 2 * (math.exp(s2) - 1) * math.exp(s2)

    v_wide, v_narrow = var(30, 100), var(80, 20)
    assert list(table.index) == ["wide_test", "narrow_test", "exact_test"]
    assert table.at["wide_test", "share"] == pytest.approx(v_wide / (v_wide + v_narrow))
    assert table.at["narrow_test", "share"] == pytest.approx(v_narrow / (v_wide + v_narrow))
    assert table.at["exact_test", "share"] == 0.0
    assert table["share"].sum() == pytest.approx(1.0)
    # the decomposition is the variance of the sampled total, within sampling error
    assert mc.totals.var() == pytest.approx(v_wide + v_narrow, rel=0.05)
    # tornado bars: total with the factor at its 95 % bounds, others at their values
    assert table.at["wide_test", "low_kgco2e"] == pytest.approx(80 + 5 + 30 / 2)
    assert table.at["wide_test", "high_kgco2e"] == pytest.approx(80 + 5 + 30 * 2)
    assert table.at["narrow_test", "high_kgco2e"] == pytest.approx(30 + 5 + 80 * 1.2)


def test_contributions_when_nothing_is_uncertain(small):
    mc = monte_carlo(lines(("exact_test", 10, "kWh")), small, 10, seed=1)
    assert contributions(mc)["share"].tolist() == [0.0]


# ---------------------------------------------------------------------------
# bad input

@pytest.mark.parametrize("iterations", [0, -5, 1.5, True, "100", None])
def test_bad_iterations(edition, iterations):
    with pytest.raises(InvalidParameter, match="iterations"):
        monte_carlo(lines(("meal_average_fr", 5, "meal")), edition, iterations, seed=1)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seed(edition, seed):
    with pytest.raises(InvalidParameter, match="seed"):
        monte_carlo(lines(("meal_average_fr", 5, "meal")), edition, 10, seed=seed)


def test_unknown_group_column(edition):
    with pytest.raises(InvalidParameter, match="no line column 'supplier'"):
        monte_carlo(lines(("meal_average_fr", 5, "meal")), edition, 10, seed=1, by="supplier")


def test_engine_errors_name_the_line(edition):
    with pytest.raises(Exception, match="row 2.*unknown factor id 'nope'"):
        monte_carlo(lines(("meal_average_fr", 5, "meal"), ("nope", 1, "kg")), edition, 10, seed=1)


def test_empty_assessment(edition):
    mc = monte_carlo(lines(("meal_average_fr", 5, "meal")).iloc[:0], edition, 10, seed=1)
    assert mc.totals.tolist() == [0.0] * 10 and contributions(mc).empty


# ---------------------------------------------------------------------------
# progress bar

def test_progress_bar_on_stderr_only_when_asked(edition, capsys):
    rows = lines(("meal_average_fr", 5, "meal"))
    monte_carlo(rows, edition, 100, seed=1, progress=False)
    assert capsys.readouterr() == ("", "")
    monte_carlo(rows, edition, 100, seed=1)          # not a terminal: no bar
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------------------
# charts

def test_charts_render_offline(edition):
    rows = lines(("train_tgv_fr", 930, "passenger_km"), ("meal_average_fr", 5, "meal"),
                 ("electricity_fr_2024", 35, "kWh"))
    mc = monte_carlo(rows, edition, 2000, seed=1)
    tornado = charts.tornado_chart(mc, top=2)
    assert isinstance(tornado, alt.TopLevelMixin)
    spec = tornado.to_dict()
    values = spec["datasets"][spec["layer"][0]["data"]["name"]]
    # meal: 10.2 kgCO2e at u = 50 %, far more variance than the TGV's 2.7 at 20 %
    assert [v["factor"] for v in values] == ["meal_average_fr", "train_tgv_fr"]
    for chart in (tornado, charts.distribution_chart(mc, lang="fr"), charts.interval_chart(mc)):
        svg = charts.to_svg(chart)
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Alimentation" in charts.to_svg(charts.interval_chart(mc, lang="fr"))


# ---------------------------------------------------------------------------
# command line

def run(*args):
    return run_cli(*args)


def test_cli_uncertainty_block(write, minimal_text):
    path = write("a.yaml", minimal_text)
    proc = run("compute", path, "--format", "json", "--uncertainty", 4000, "--seed", 12)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    block = doc["uncertainty"]
    assert block["iterations"] == 4000 and block["seed"] == 12
    assert set(block["total"]) >= {"mean", "p5", "p50", "p95"}
    assert block["deterministic_kgco2e"] == pytest.approx(930 * TGV)
    assert block["total"]["p5"] < 930 * TGV < block["total"]["p95"]
    assert list(block["by_category"]) == ["transport"]
    assert block["contributions"][0]["factor"] == "train_tgv_fr"
    # first-order shares: the TGV factor (u = 20 %) against the line's data,
    # "computed" (u = 15 %) for a line without field: a^2 (e^s2 - 1) e^s2 each
    var = lambda u: (math.exp(sigma_of(u) ** 2) - 1) * math.exp(sigma_of(u) ** 2)  # noqa: E731
    assert block["contributions"][0]["share"] == pytest.approx(var(20) / (var(20) + var(15)))
    assert block["data_uncertainty"] is True
    assert block["lines_that_matter"][0]["data_quality"] == "computed"
    assert block["lines_that_matter"][0]["share"] == pytest.approx(var(15) / (var(20) + var(15)))
    again = run("compute", path, "--format", "json", "--uncertainty", 4000, "--seed", 12)
    assert json.loads(again.stdout)["uncertainty"] == block


def test_cli_uncertainty_table(write, minimal_text):
    proc = run("compute", write("a.yaml", minimal_text), "--uncertainty", 1000, "--seed", 1)
    assert proc.returncode == 0, proc.stderr
    assert "90 % interval" in proc.stdout and "seed 1" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize("args, message", [
    (["--uncertainty", "0"], "--uncertainty: '0' must be >= 1"),
    (["--uncertainty", "-3"], "--uncertainty: '-3' must be >= 1"),
    (["--uncertainty", "ten"], "--uncertainty: 'ten' is not a whole number"),
    (["--uncertainty", "10", "--seed", "1.5"], "--seed: '1.5' is not a whole number"),
    (["--uncertainty", "10", "--seed", "-1"], "--seed: '-1' must be >= 0"),
    (["--seed", "3"], "--seed needs --uncertainty"),
    (["--uncertainty", "10", "--format", "csv"], "not csv"),
])
def test_cli_bad_uncertainty_options(write, minimal_text, capsys, args, message):
    assert main(["compute", str(write("a.yaml", minimal_text)), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_tornado_labels_factors_in_the_chosen_language(edition):
    lines = pd.DataFrame([("train_tgv_fr", 930.0, "passenger_km", "production")],
                         columns=["factor", "quantity", "unit", "phase"])
    mc = monte_carlo(lines, edition, 100, seed=1)
    for lang in ("fr", "en"):
        spec = charts.tornado_chart(mc, top=1, lang=lang).to_dict()
        rows = next(iter(spec["datasets"].values()))
        expected = edition.table.loc["train_tgv_fr", f"label_{lang}"]
        assert rows[0]["label"] == expected and rows[0]["factor"] == "train_tgv_fr"
