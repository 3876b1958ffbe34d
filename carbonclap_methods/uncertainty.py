"""Uncertainty of an assessment: Monte Carlo over the factors, and each
factor's share of the variance of the total.

Modelling assumption
--------------------
ADEME's *Incertitude* [1]_ ``u`` (``uncertainty_pct / 100``) is read as the
relative half-width of a 95 % interval (DESIGN.md) [2]_. Each factor is a
lognormal variable whose **median** is its value ``v`` and whose 2.5th and
97.5th percentiles are ``v / (1 + u)`` and ``v * (1 + u)``::

    X = v * exp(sigma * Z),   Z ~ N(0, 1),   sigma = ln(1 + u) / 1.959964

(1.959964 is the 97.5th percentile of N(0, 1), often rounded to 1.96).

The same interval is the one the factor explorer shows (:func:`interval`,
defined here only). What follows from the assumption:

- the interval is asymmetric and always positive, for any ``u`` (ADEME
  quotes 100 % and more, where ``v * (1 - u)`` would reach zero);
- ``u = 0`` gives no spread at all: the factor is drawn as exactly ``v``;
- the factor value is the median, not the mean: ``E[X] = v * exp(sigma**2 / 2)``,
  so the Monte Carlo mean is above the deterministic total, by +0.43 % for
  ``u`` = 20 %, +2.2 % for 50 %, +2.9 % for 60 %, +4.6 % for 80 %, +6.5 % for 100 %
  (:data:`MEAN_SHIFT_EXAMPLES`); the median of a single factor's draws is
  its value;
- factors are independent of each other, and one draw per factor per
  iteration is shared by every line using that factor, so those lines are
  fully correlated;
- quantities are uncertain too (``data=True``, the default): each line's
  quantity is a lognormal with its value as median and the uncertainty of
  its data-quality level (:data:`dimensions.DATA_QUALITY`: measured 5 %,
  computed from plans 15 %, estimated 30 %, spend-based or proxy 50 %, a
  modelling assumption), one independent draw per line per iteration.

Under independence the variance of the total decomposes exactly by factor:
with ``A_f`` the kgCO2e of all the lines using factor ``f`` (at its value),
``total = sum_f A_f * M_f`` with ``M_f = exp(sigma_f * Z_f)``, and

    Var(total) = sum_f A_f**2 * Var(M_f),   Var(M_f) = (exp(sigma_f**2) - 1) * exp(sigma_f**2),

which gives each factor's share (:func:`contributions`), analytically and
without sampling error.

With quantities uncertain, the first-order shares add each line's
``a_l**2 * Var(Q_l)`` (``a_l`` its kgCO2e) to the factors' terms, and the
variance of the total splits into a part due to the factors, a part due to
the data and their interaction, all computed exactly
(:func:`variance_split`).

Vectorised: the engine computes each line once; lines are summed per factor
and group (category by default) into a ``(factors, groups)`` matrix, and the
draws ``(iterations, factors)`` multiply it. With data uncertainty, draws are
made per line in chunks of at most :data:`CHUNK_VALUES` values.

References
----------
.. [1] ADEME, Base Carbone: the "Incertitude" (%) given with each element,
   https://base-empreinte.ademe.fr/
.. [2] DESIGN.md, "Factor editions": uncertainty read as the relative
   half-width of a 95 % interval, lognormal spread, one draw per factor per
   iteration shared by every line that uses it.
"""

from __future__ import annotations

import math
import secrets
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .compute import compute
from .dimensions import DATA_QUALITY
from .errors import InvalidParameter, InvalidQuantity, Location
from .factors import Edition
from .files import MAX_ITERATIONS, shown  # noqa: F401 (MAX_ITERATIONS: its callers)
from .render import text_table
from .results import CATEGORIES

# 97.5th and 95th percentiles of the standard normal distribution.
Z_975 = 1.959963984540054
Z_95 = 1.6448536269514722
QUANTILES = {"p5": 5.0, "p50": 50.0, "p95": 95.0}
INTERVAL_METHOD = ("lognormal 95 % interval: low = value / (1 + u), high = value * (1 + u), "
                   "u = uncertainty_pct / 100")
MONTE_CARLO_METHOD = ("lognormal per factor, median = factor value, 95 % interval "
                      "[value / (1 + u), value * (1 + u)], u = uncertainty_pct / 100; "
                      "one draw per factor per iteration, shared by its lines; factors independent; "
                      "with data uncertainty, one lognormal draw per line quantity too (median = "
                      "quantity, u of its data-quality level)")
# Relative excess of the mean over the median (the deterministic value), by u [%].
MEAN_SHIFT_EXAMPLES = {u: math.exp((math.log1p(u / 100) / Z_975) ** 2 / 2) - 1
                       for u in (10, 20, 30, 50, 60, 80, 100)}
# Draws per chunk (iterations x factors): 4 M float64 = 32 MB at a time.
CHUNK_VALUES = 4_000_000



# ---------------------------------------------------------------------------
# The lognormal convention

def log_sigma(uncertainty_pct):
    """Log-standard deviation of a factor's lognormal.

    Parameters
    ----------
    uncertainty_pct : float or array-like
        Relative half-width of the 95 % interval [%], >= 0.

    Returns
    -------
    float or numpy.ndarray
        ``sigma = ln(1 + u) / 1.959964`` [dimensionless], ``u = uncertainty_pct / 100``;
        0 for ``u = 0``; NaN where the input is NaN.
    """
    sigma = np.log1p(np.asarray(uncertainty_pct, dtype=float) / 100.0) / Z_975
    return float(sigma) if sigma.ndim == 0 else sigma


def interval(value, uncertainty_pct):
    """Lognormal 95 % interval of a factor (see the module docstring).

    Parameters
    ----------
    value : float or array-like
        Factor value [kgCO2e per activity unit], taken as the median.
    uncertainty_pct : float or array-like
        Relative half-width of the 95 % interval [%], >= 0.

    Returns
    -------
    low, high : float or numpy.ndarray
        ``value / (1 + u)`` and ``value * (1 + u)`` with ``u = uncertainty_pct / 100``
        [same unit as ``value``], i.e. ``value * exp(-/+ 1.959964 * sigma)``;
        NaN where an input is NaN.

    References
    ----------
    .. [1] ADEME, Base Carbone: the "Incertitude" (%) given with each element,
       https://base-empreinte.ademe.fr/
    .. [2] DESIGN.md, "Factor editions": uncertainty read as the relative
       half-width of a 95 % interval, lognormal spread.
    """
    ratio = 1.0 + np.asarray(uncertainty_pct, dtype=float) / 100.0
    v = np.asarray(value, dtype=float)
    low, high = v / ratio, v * ratio
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


# ---------------------------------------------------------------------------
# Monte Carlo

@dataclass(frozen=True)
class MonteCarlo:
    """Draws of an assessment's total and of its groups (categories by default).

    ``totals`` [kgCO2e] has one value per iteration; ``by_group`` [kgCO2e]
    one row per iteration and one column per group; ``factors`` one row per
    factor used (index: factor id) with ``category``, ``label_fr``, ``label_en``,
    ``kgco2e`` (its lines' kgCO2e at the factor value), ``uncertainty_pct`` [%]
    and ``sigma``.
    """

    iterations: int
    seed: int
    by: str
    deterministic_total: float
    deterministic_by_group: pd.Series
    totals: np.ndarray
    by_group: pd.DataFrame
    factors: pd.DataFrame
    lines: pd.DataFrame | None = None   # per line with data uncertainty: where, factor,
    # kgco2e, data_quality, uncertainty_pct, sigma (None when quantities are exact)


def _check_iterations(iterations) -> int:
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) \
            or iterations <= 0:
        raise InvalidParameter(f"iterations: {shown(iterations)} must be a whole number >= 1")
    if iterations > MAX_ITERATIONS:
        raise InvalidParameter(f"iterations: {int(iterations):,} is over the limit of "
                               f"{MAX_ITERATIONS:,}")
    return int(iterations)


def _check_seed(seed) -> int:
    if seed is None:
        return secrets.randbits(63)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidParameter(f"seed: {shown(seed)} must be a whole number >= 0")
    return int(seed)


def _group_order(values, by: str) -> list[str]:
    present = list(dict.fromkeys(values))
    if by == "category":
        return [c for c in CATEGORIES if c in present] + [c for c in present if c not in CATEGORIES]
    return present


def monte_carlo(lines: pd.DataFrame, edition: Edition, iterations: int, seed: int | None = None,
                by: str = "category", progress: bool | None = None,
                data: bool = True) -> MonteCarlo:
    """Monte Carlo of an assessment's total and groups, one lognormal draw per factor.

    Parameters
    ----------
    lines : pandas.DataFrame
        Activity lines, as for :func:`carbonclap_methods.compute.compute`
        (``factor``, ``quantity``, ``unit``, ``phase``...).
    edition : Edition
        Factor edition: values [kgCO2e per activity unit] and ``uncertainty_pct`` [%].
    iterations : int
        Number of draws, >= 1.
    seed : int, optional
        Seed of ``numpy.random.default_rng`` (>= 0); the same seed gives the
        same figures. ``None``: a random seed, recorded in the result.
    by : str, default "category"
        Line column to group by (``"category"``, ``"phase"``, a line ``id``...).
    progress : bool, optional
        Progress bar on stderr; ``None`` shows it only on a terminal and only
        when the run lasts more than a second.
    data : bool, default True
        Draw the quantities too (lognormal per line, uncertainty of the
        line's data-quality level); ``False``: quantities exact.

    Returns
    -------
    MonteCarlo

    Raises
    ------
    InvalidParameter
        For iterations < 1, a seed that is not a whole number >= 0, an unknown ``by``.
    CarbonClapError
        Any error of the engine, naming the faulty line.
    """
    iterations, seed = _check_iterations(iterations), _check_seed(seed)
    emissions = compute(lines, edition)
    if by not in emissions.columns:
        raise InvalidParameter(f"by: no line column {by!r} to group by "
                               f"(available: {', '.join(map(str, emissions.columns))})")
    factor_ids, f_codes = np.unique(emissions["factor"].astype(str).to_numpy(), return_inverse=True)
    group_values = emissions[by].astype(str).to_numpy()
    groups = _group_order(group_values, by)
    g_codes = pd.Index(groups).get_indexer(group_values)
    kg = emissions["kgco2e"].to_numpy(dtype=float)
    n_f, n_g = len(factor_ids), len(groups)
    matrix = np.bincount(f_codes * n_g + g_codes, weights=kg,
                         minlength=n_f * n_g).reshape(n_f, n_g)
    table = edition.table.loc[factor_ids]
    sigma = log_sigma(table["uncertainty_pct"].to_numpy(dtype=float))
    line_table = _line_table(emissions) if data else None
    with np.errstate(over="ignore", invalid="ignore"):
        if line_table is None:
            samples = _draw(matrix, sigma, iterations, seed, progress)
        else:
            samples = _draw_with_data(kg, f_codes, g_codes, n_g, sigma,
                                      line_table["sigma"].to_numpy(), iterations, seed, progress)
        # the summaries square the draws (variances): they must stay finite too
        spread = samples.sum(axis=1).var() if np.isfinite(samples).all() else np.inf
    if not np.isfinite(samples).all() or not np.isfinite(spread):
        first = int(np.argmax(kg))
        where = Location.of(emissions["where"].iat[first]).at("quantity") \
            if "where" in emissions.columns else Location(row=first + 1, field="column quantity")
        raise InvalidQuantity("the Monte Carlo draws overflow (not a finite number); check the "
                              "largest quantities and their units", where)
    factors = pd.DataFrame({"category": table["category"].astype(str).to_numpy(),
                            "label_fr": table["label_fr"].to_numpy(),
                            "label_en": table["label_en"].to_numpy(),
                            "kgco2e": matrix.sum(axis=1),
                            "uncertainty_pct": table["uncertainty_pct"].to_numpy(dtype=float),
                            "sigma": sigma}, index=pd.Index(factor_ids, name="factor"))
    return MonteCarlo(iterations=iterations, seed=seed, by=by,
                      deterministic_total=float(kg.sum()),
                      deterministic_by_group=pd.Series(matrix.sum(axis=0), index=groups, dtype=float),
                      totals=samples.sum(axis=1),
                      by_group=pd.DataFrame(samples, columns=groups),
                      factors=factors, lines=line_table)


def _line_table(emissions: pd.DataFrame) -> pd.DataFrame:
    quality = emissions["data_quality"].astype(str).to_numpy()
    pct = np.array([DATA_QUALITY[q][0] for q in quality], dtype=float)
    where = emissions["id"].astype(str) if "id" in emissions.columns else None
    if where is None or not where.str.len().all():
        where = emissions["where"].astype(str) if "where" in emissions.columns else \
            pd.Series([f"row {i + 1}" for i in range(len(emissions))])
    return pd.DataFrame({"line": where.to_numpy(), "factor": emissions["factor"].astype(str).to_numpy(),
                         "kgco2e": emissions["kgco2e"].to_numpy(dtype=float),
                         "data_quality": quality, "uncertainty_pct": pct,
                         "sigma": log_sigma(pct)})


def _draw_with_data(kg: np.ndarray, f_codes: np.ndarray, g_codes: np.ndarray, n_g: int,
                    sigma_f: np.ndarray, sigma_q: np.ndarray, iterations: int, seed: int,
                    progress: bool | None) -> np.ndarray:
    """``(iterations, groups)`` sums of ``kg_l * exp(sigma_q Z_l) * exp(sigma_f W_f(l))``.

    The factors are drawn from the same stream as without data uncertainty
    (``default_rng(seed)``), the quantities from a second one
    (``default_rng([seed, 1])``); each stream is read in order, so the figures
    do not depend on the chunk size.
    """
    rng = np.random.default_rng(seed)
    rng_q = np.random.default_rng([seed, 1])
    n_l, n_f = len(kg), len(sigma_f)
    onehot = np.zeros((n_l, n_g))
    onehot[np.arange(n_l), g_codes] = 1.0
    out = np.empty((iterations, n_g))
    step = max(1, CHUNK_VALUES // max(n_l + n_f, 1))
    bar = tqdm(total=iterations, desc="Monte Carlo", unit="it", file=sys.stderr, delay=1.0,
               disable=None if progress is None else not progress, leave=False)
    with bar:
        for start in range(0, iterations, step):
            n = min(step, iterations - start)
            factor_draws = np.exp(rng.standard_normal((n, n_f)) * sigma_f)
            line_draws = np.exp(rng_q.standard_normal((n, n_l)) * sigma_q)
            line_draws *= factor_draws[:, f_codes]
            line_draws *= kg
            out[start:start + n] = line_draws @ onehot
            bar.update(n)
    return out


def _lognormal_moments(sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E[X] and E[X**2] of X = exp(sigma Z)."""
    s2 = np.asarray(sigma, dtype=float) ** 2
    return np.exp(s2 / 2), np.exp(2 * s2)


def variance_split(mc: MonteCarlo) -> dict[str, float]:
    """Exact variance of the total and its split between factors and data.

    ``total`` [kgCO2e**2]; ``factors``: the variance with quantities exact;
    ``data``: with factors at their values; ``interaction``: the rest; and
    their shares of ``total``. Without data uncertainty, all is factors.
    """
    f = mc.factors
    if mc.lines is None:
        s2 = f["sigma"].to_numpy() ** 2
        var_f = float((f["kgco2e"].to_numpy() ** 2 * np.expm1(s2) * np.exp(s2)).sum())
        return _split(var_f, var_f, 0.0)
    lines = mc.lines
    a = lines["kgco2e"].to_numpy()
    codes = pd.Index(f.index).get_indexer(lines["factor"])
    m1, m2 = _lognormal_moments(f["sigma"].to_numpy())
    q1, q2 = _lognormal_moments(lines["sigma"].to_numpy())

    def variance(q1, q2, m1, m2) -> float:
        per_factor = np.bincount(codes, weights=a * q1, minlength=len(f))     # sum a E[Q]
        own = np.bincount(codes, weights=(a ** 2) * (q2 - q1 ** 2), minlength=len(f))
        second = m2 * (per_factor ** 2 + own)           # E[(M_f sum a Q)^2]
        first = m1 * per_factor
        return float(second.sum() - (first ** 2).sum())

    one_f, one_q = np.ones_like(m1), np.ones_like(q1)
    total = variance(q1, q2, m1, m2)
    var_f = variance(one_q, one_q, m1, m2)
    var_q = variance(q1, q2, one_f, one_f)
    return _split(total, var_f, var_q)


def _split(total: float, var_f: float, var_q: float) -> dict[str, float]:
    rest = total - var_f - var_q
    share = (lambda v: v / total) if total > 0 else (lambda v: 0.0)
    return {"total": total, "factors": var_f, "data": var_q, "interaction": rest,
            "factors_share": share(var_f), "data_share": share(var_q),
            "interaction_share": share(rest)}


def line_contributions(mc: MonteCarlo) -> pd.DataFrame:
    """Each line's data variance ``a_l**2 * Var(Q_l)`` and its share of the
    first-order variance (factors' and lines' terms together), largest first."""
    if mc.lines is None:
        return pd.DataFrame(columns=["line", "factor", "kgco2e", "data_quality",
                                     "uncertainty_pct", "variance", "share"])
    lines = mc.lines.copy()
    s2 = lines["sigma"].to_numpy() ** 2
    lines["variance"] = lines["kgco2e"].to_numpy() ** 2 * np.expm1(s2) * np.exp(s2)
    first_order = lines["variance"].sum() + _factor_variances(mc.factors).sum()
    lines["share"] = lines["variance"] / first_order if first_order > 0 else 0.0
    return lines.drop(columns="sigma").sort_values(["share", "line"], ascending=[False, True],
                                                   kind="stable", ignore_index=True)


def _factor_variances(f: pd.DataFrame) -> np.ndarray:
    s2 = f["sigma"].to_numpy() ** 2
    return f["kgco2e"].to_numpy() ** 2 * np.expm1(s2) * np.exp(s2)


def _draw(matrix: np.ndarray, sigma: np.ndarray, iterations: int, seed: int,
          progress: bool | None) -> np.ndarray:
    """``(iterations, groups)`` sums of ``exp(sigma * Z) @ matrix``, drawn in chunks.

    Chunks are consecutive pieces of one stream of standard normals, so the
    figures do not depend on the chunk size.
    """
    rng = np.random.default_rng(seed)
    n_f, n_g = matrix.shape
    out = np.empty((iterations, n_g))
    step = max(1, CHUNK_VALUES // max(n_f, 1))
    bar = tqdm(total=iterations, desc="Monte Carlo", unit="it", file=sys.stderr, delay=1.0,
               disable=None if progress is None else not progress, leave=False)
    with bar:
        for start in range(0, iterations, step):
            n = min(step, iterations - start)
            draws = rng.standard_normal((n, n_f))
            np.multiply(draws, sigma, out=draws)
            np.exp(draws, out=draws)
            out[start:start + n] = draws @ matrix
            bar.update(n)
    return out


def summary(samples) -> dict[str, float]:
    """``mean``, ``std``, ``p5``, ``p50`` and ``p95`` of an array of draws [their unit]."""
    samples = np.asarray(samples, dtype=float)
    p5, p50, p95 = np.percentile(samples, list(QUANTILES.values()))
    return {"mean": float(samples.mean()), "std": float(samples.std(ddof=1)) if samples.size > 1
            else 0.0, "p5": float(p5), "p50": float(p50), "p95": float(p95)}


def contributions(mc: MonteCarlo) -> pd.DataFrame:
    """Each factor's share of the variance of the total, largest first.

    Returns
    -------
    pandas.DataFrame
        One row per factor used: ``factor``, ``category``, ``label_fr``,
        ``label_en``, ``kgco2e`` (its
        lines at the factor value) [kgCO2e], ``uncertainty_pct`` [%],
        ``variance`` (``A_f**2 * Var(M_f)``) [kgCO2e**2], ``share`` of the
        variance of the total (sums to 1; 0 everywhere when nothing is
        uncertain), and ``low_kgco2e`` / ``high_kgco2e``: the deterministic
        total with this factor at the low / high end of its 95 % interval
        and every other factor at its value [kgCO2e] (the tornado bars).
    """
    f = mc.factors
    variance = _factor_variances(f)
    # First-order shares: with data uncertainty, the lines' terms share the total too.
    total_variance = variance.sum() + (line_contributions(mc)["variance"].sum()
                                       if mc.lines is not None else 0.0)
    share = variance / total_variance if total_variance > 0 else np.zeros_like(variance)
    low, high = interval(f["kgco2e"].to_numpy(), f["uncertainty_pct"].to_numpy())
    base = mc.deterministic_total - f["kgco2e"].to_numpy()
    out = pd.DataFrame({"factor": f.index.to_numpy(), "category": f["category"].to_numpy(),
                        "label_fr": f["label_fr"].to_numpy(), "label_en": f["label_en"].to_numpy(),
                        "kgco2e": f["kgco2e"].to_numpy(),
                        "uncertainty_pct": f["uncertainty_pct"].to_numpy(),
                        "variance": variance, "share": share,
                        "low_kgco2e": base + low, "high_kgco2e": base + high})
    return out.sort_values(["share", "factor"], ascending=[False, True], kind="stable",
                           ignore_index=True)


def uncertainty_block(mc: MonteCarlo, top: int | None = None) -> dict:
    """The ``uncertainty`` block of ``carbonclap compute --uncertainty N --seed S``.

    Keys: ``iterations``, ``seed``, ``method``, ``deterministic_kgco2e``,
    ``total`` {mean, std, p5, p50, p95} [kgCO2e], ``by_<by>`` (each group
    present in the lines -> the same statistics), ``contributions`` (list of
    factors, largest share first, from :func:`contributions`; the first
    ``top`` only when given).
    """
    rows = contributions(mc)
    if top is not None:
        rows = rows.head(top)
    return {
        "iterations": mc.iterations,
        "seed": mc.seed,
        "method": MONTE_CARLO_METHOD,
        "deterministic_kgco2e": mc.deterministic_total,
        "total": summary(mc.totals),
        f"by_{mc.by}": {str(g): summary(mc.by_group[g]) for g in mc.by_group.columns},
        "contributions": [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                          for row in rows.to_dict(orient="records")],
        "data_uncertainty": mc.lines is not None,
        "variance_split": variance_split(mc),
        "lines_that_matter": [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                              for row in line_contributions(mc).head(top or 10)
                              .to_dict(orient="records")],
    }


def uncertainty_text(block: dict, top: int = 10) -> str:
    """An ``uncertainty`` block as readable text: the total's interval, the
    groups' intervals and the factors that matter most."""
    total = block["total"]
    det = block["deterministic_kgco2e"]
    shift = 100 * (total["mean"] / det - 1) if det else 0.0
    out = [f"Uncertainty (Monte Carlo, {block['iterations']:,} iterations, seed {block['seed']})",
           f"Total: {total['p50']:,.1f} kgCO2e, 90 % interval {total['p5']:,.1f} - "
           f"{total['p95']:,.1f} (p5 - p95); mean {total['mean']:,.1f} "
           f"({shift:+.1f} % over the deterministic {det:,.1f})", ""]
    key = next(k for k in block if k.startswith("by_"))
    rows = [{key[3:]: g, "p5": s["p5"], "p50": s["p50"], "p95": s["p95"], "mean": s["mean"]}
            for g, s in block[key].items()]
    out.append(f"By {key[3:]} (kgCO2e)")
    out.append(text_table(rows, [key[3:], "p5", "p50", "p95", "mean"]))
    rows = [{"factor": c["factor"], "share_%": round(100 * c["share"], 2),
             "uncertainty_%": c["uncertainty_pct"],
             "kgCO2e": c["kgco2e"]} for c in block["contributions"][:top]]
    out.append("Factors by share of the variance of the total")
    out.append(text_table(rows, ["factor", "share_%", "uncertainty_%", "kgCO2e"]))
    split = block.get("variance_split")
    if split and block.get("data_uncertainty"):
        out.append(f"Variance of the total: factors {100 * split['factors_share']:.1f} %, data "
                   f"{100 * split['data_share']:.1f} %, both together "
                   f"{100 * split['interaction_share']:.1f} %")
        rows = [{"line": c["line"], "data_quality": c["data_quality"],
                 "uncertainty_%": c["uncertainty_pct"], "share_%": round(100 * c["share"], 2),
                 "kgCO2e": c["kgco2e"]} for c in block.get("lines_that_matter", [])[:top]]
        out.append("Lines whose data matter most")
        out.append(text_table(rows, ["line", "data_quality", "uncertainty_%", "share_%", "kgCO2e"]))
    return "\n".join(out)
