"""Reduction plans: what each lever saves on one production, alone and
combined, and how sure that is.

Every scenario (the baseline, each lever alone, the combined plan with the
levers applied in order) is computed by the engine from edited lines
(:mod:`levers`, :mod:`edits`): a combined saving is computed, never added,
so levers that overlap (vegetarian meals, then fewer meals...) are counted
once.

Uncertainty of the savings
--------------------------
One draw per factor per iteration, shared by every scenario (the factors of
all scenarios drawn together from ``numpy.random.default_rng(seed)``, in
sorted order of their ids, lognormal as in :mod:`uncertainty`): a saving's
interval is that of the difference of two totals that share their factor
draws, narrower than the difference of two independent runs. The plan's
quantities are taken as it states them (the same activity data in every
scenario).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .assessment import Assessment
from .compute import compute
from .errors import InvalidLever, Location
from .factors import Edition
from .levers import Lever, apply_lever, load_levers, selected
from .switches import contrails_setting, electricity_summary, with_contrails
from .uncertainty import QUANTILES, _check_iterations, _check_seed, log_sigma


def parse_parameters(pairs: list[tuple[str, str]] | dict, levers: dict[str, Lever]) -> dict:
    """``LEVER.PARAM VALUE`` pairs (or a mapping) -> ``{lever: {param: value}}``, checked."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    out: dict[str, dict[str, float]] = {}
    for key, raw in items:
        lever_id, _, name = str(key).partition(".")
        if lever_id not in levers:
            raise InvalidLever(f"-p {key}: unknown lever {lever_id!r} (levers: "
                               f"{', '.join(levers)})")
        if not name:
            raise InvalidLever(f"-p {key}: write LEVER.PARAM (parameters of {lever_id}: "
                               f"{', '.join(levers[lever_id].parameters) or 'none'})")
        try:
            value = float(raw) if isinstance(raw, str) else raw
        except ValueError:
            raise InvalidLever(f"-p {key}: {raw!r} is not a number") from None
        out.setdefault(lever_id, {})[name] = value
    for lever_id, values in out.items():
        levers[lever_id].values(values)          # unknown parameter or out of range
    return out


def plan_block(assessment: Assessment, levers: dict[str, Lever]) -> tuple[list[str], dict]:
    """The ``plan:`` block of an assessment file: ``levers`` (ids, in order) and
    ``parameters`` (``{"LEVER.PARAM": value}``), checked."""
    node = assessment.extra.get("plan")
    where = Location(assessment.source, field="plan")
    if not isinstance(node, dict) or not isinstance(node.get("levers"), list) \
            or not all(isinstance(x, str) for x in node["levers"]):
        raise InvalidLever("must be a mapping with levers (a list of lever ids, in order) and "
                           "optional parameters", where)
    raw = node.get("parameters") or {}
    if not isinstance(raw, dict):
        raise InvalidLever("must map LEVER.PARAM to a number", where.at("parameters"))
    try:
        parameters = parse_parameters(raw, levers)
    except InvalidLever as exc:
        raise InvalidLever(str(exc), where.at("parameters")) from None
    return list(node["levers"]), parameters


def apply_plan(assessment: Assessment, edition: Edition) -> Assessment | None:
    """The assessment with its own ``plan:`` applied (``None`` without a plan)."""
    if "plan" not in assessment.extra:
        return None
    levers = load_levers()
    lever_ids, parameters = plan_block(assessment, levers)
    lines, production = assessment.lines, dict(assessment.production)
    for lever_id in lever_ids:
        if lever_id not in levers:
            raise InvalidLever(f"unknown lever {lever_id!r} (levers: {', '.join(levers)})",
                               Location(assessment.source, field="plan.levers"))
        lines, production, _ = apply_lever(levers[lever_id], lines, production,
                                           parameters.get(lever_id))
    return Assessment(production=production, lines=lines, source=f"{assessment.source} (with "
                      "its plan)", extra={k: v for k, v in assessment.extra.items() if k != "plan"})


def _scenario(lines: pd.DataFrame, production: dict, edition: Edition) -> dict:
    emissions = compute(lines, edition)
    return {"emissions": emissions, "total": float(emissions["kgco2e"].sum()),
            "market": electricity_summary(production, emissions)["total_market_based_kgco2e"]}


def reduction_plan(assessment: Assessment, edition: Edition, lever_ids: list[str] | None = None,
                   parameters: dict | None = None, iterations: int = 0,
                   seed: int | None = None) -> dict:
    """The plan document of ``carbonclap plan``.

    Parameters
    ----------
    assessment : Assessment
    edition : Edition
    lever_ids : list of str, optional
        The levers of the plan, in the order they are applied. ``None``: every
        lever that applies to the assessment, each alone (no combined plan).
    parameters : dict, optional
        ``{lever: {param: value}}`` (:func:`parse_parameters`); defaults otherwise.
    iterations, seed : int, optional
        Monte Carlo draws shared by every scenario (0: none).

    Returns
    -------
    dict
        ``baseline_kgco2e``, ``plan_kgco2e`` (the combined plan, ``None``
        without ``lever_ids``), ``levers`` (each: ``id``, ``label_fr``,
        ``label_en``, ``saving_kgco2e``, ``saving_pct``, ``lines_changed``,
        ``source``, ``parameters``, ``market_based_saving_kgco2e``; with
        iterations ``p5``, ``p50``, ``p95`` of the saving), ``combined``,
        ``edition``, ``edition_sha256``, and ``uncertainty`` with iterations.

    Raises
    ------
    InvalidLever
        For an unknown lever, a parameter out of its range, or a lever given
        explicitly that does not apply; the message names the valid choices.
    """
    levers = load_levers()
    parameters = parameters or {}
    kind = assessment.production["type"]
    lines = with_contrails(assessment.lines, edition, contrails_setting(assessment.production))
    applicable = [lid for lid, lever in levers.items()
                  if selected(lever, lines, kind, parameters.get(lid))]
    chosen = _chosen(lever_ids, levers, applicable)
    for lever_id in parameters:
        if lever_id not in chosen:
            raise InvalidLever(f"-p {lever_id}.*: lever {lever_id} is not in the plan "
                               f"(plan: {', '.join(chosen) or 'none'})")
    production = assessment.production
    baseline = _scenario(lines, production, edition)
    scenarios = {"baseline": baseline}
    rows = []
    for lever_id in chosen:
        lever = levers[lever_id]
        new_lines, new_production, changed = apply_lever(lever, lines, production,
                                                        parameters.get(lever_id))
        scenarios[lever_id] = _scenario(new_lines, new_production, edition)
        rows.append(_row(lever, changed, baseline, scenarios[lever_id],
                         lever.values(parameters.get(lever_id))))
    combined = None
    if lever_ids:
        plan_lines, plan_production, changed = lines, production, 0
        for lever_id in chosen:
            plan_lines, plan_production, n = apply_lever(levers[lever_id], plan_lines,
                                                         plan_production, parameters.get(lever_id))
            changed += n
        scenarios["plan"] = _scenario(plan_lines, plan_production, edition)
        combined = _saving(baseline, scenarios["plan"])
        combined.update(lines_changed=changed, levers=chosen,
                        sum_of_savings_kgco2e=float(sum(r["saving_kgco2e"] for r in rows)))
    document = {
        "title": assessment.title, "source": assessment.source,
        "baseline_kgco2e": baseline["total"],
        "plan_kgco2e": scenarios["plan"]["total"] if combined else None,
        "levers": rows, "combined": combined,
        "applicable": applicable,
        **edition.describe(),            # edition, edition_sha256 (and "draft edition")
    }
    if iterations:
        document["uncertainty"] = _uncertainty(scenarios, edition, iterations, seed, rows, combined)
    return document


def _chosen(lever_ids, levers: dict[str, Lever], applicable: list[str]) -> list[str]:
    if lever_ids is None:
        return applicable
    if not lever_ids:
        raise InvalidLever("--levers: no lever given (applicable to this assessment: "
                           f"{', '.join(applicable) or 'none'})")
    for lever_id in lever_ids:
        if lever_id not in levers:
            raise InvalidLever(f"--levers: unknown lever {lever_id!r} (levers: {', '.join(levers)})")
        if lever_id not in applicable:
            raise InvalidLever(f"--levers: lever {lever_id!r} does not apply to this assessment "
                               f"(applicable: {', '.join(applicable) or 'none'})")
    if len(set(lever_ids)) != len(lever_ids):
        raise InvalidLever("--levers: a lever is given twice")
    return list(lever_ids)


def _saving(baseline: dict, scenario: dict) -> dict:
    saving = baseline["total"] - scenario["total"]
    return {"saving_kgco2e": saving,
            "saving_pct": 100 * saving / baseline["total"] if baseline["total"] else 0.0,
            "market_based_saving_kgco2e": baseline["market"] - scenario["market"]}


def _row(lever: Lever, changed: int, baseline: dict, scenario: dict, values: dict) -> dict:
    return {"id": lever.id, "label_fr": lever.label_fr, "label_en": lever.label_en,
            **_saving(baseline, scenario), "lines_changed": changed, "source": lever.source,
            "parameters": values}


def _uncertainty(scenarios: dict, edition: Edition, iterations: int, seed, rows: list[dict],
                 combined: dict | None) -> dict:
    iterations, seed = _check_iterations(iterations), _check_seed(seed)
    names = list(scenarios)
    factor_ids = sorted(set().union(*(set(s["emissions"]["factor"].astype(str))
                                      for s in scenarios.values())))
    index = pd.Index(factor_ids)
    matrix = np.zeros((len(factor_ids), len(names)))
    for j, name in enumerate(names):
        e = scenarios[name]["emissions"]
        codes = index.get_indexer(e["factor"].astype(str))
        matrix[:, j] = np.bincount(codes, weights=e["kgco2e"].to_numpy(dtype=float),
                                   minlength=len(factor_ids))
    sigma = log_sigma(edition.table.loc[factor_ids, "uncertainty_pct"].to_numpy(dtype=float))
    totals = shared_totals(matrix, sigma, iterations, seed)
    savings = totals[:, [0]] - totals[:, 1:]
    for j, name in enumerate(names[1:]):
        p5, p50, p95 = np.percentile(savings[:, j], list(QUANTILES.values()))
        target = combined if name == "plan" else next(r for r in rows if r["id"] == name)
        target.update(p5=float(p5), p50=float(p50), p95=float(p95))
    return {"iterations": iterations, "seed": seed,
            "method": "shared lognormal factor draws in every scenario (savings are differences "
                      "of totals sharing their draws); quantities as the plan states them"}


def shared_totals(matrix: np.ndarray, sigma: np.ndarray, iterations: int, seed: int,
                  chunk_values: int = 4_000_000) -> np.ndarray:
    """``(iterations, scenarios)`` totals ``exp(sigma Z) @ matrix``, one stream of draws."""
    rng = np.random.default_rng(seed)
    n_f = matrix.shape[0]
    out = np.empty((iterations, matrix.shape[1]))
    step = max(1, chunk_values // max(n_f, 1))
    for start in range(0, iterations, step):
        n = min(step, iterations - start)
        out[start:start + n] = np.exp(rng.standard_normal((n, n_f)) * sigma) @ matrix
    return out


def plan_table(document: dict, lang: str = "en") -> str:
    """The plan as readable text: baseline, each lever's saving, the combined plan."""
    from .render import text_table

    label = "label_fr" if lang == "fr" else "label_en"
    out = [f"{document.get('title') or document.get('source')}",
           f"Baseline: {document['baseline_kgco2e']:,.1f} kgCO2e (edition {document['edition']}"
           + (f", {document['edition_status']}" if document.get("edition_status") else "") + ")", ""]
    columns = ["lever", "saving_kgCO2e", "saving_%", "lines"]
    if "uncertainty" in document:
        columns += ["p5", "p95"]
    rows = [{"lever": r[label], "saving_kgCO2e": r["saving_kgco2e"],
             "saving_%": round(r["saving_pct"], 2), "lines": r["lines_changed"],
             "p5": r.get("p5"), "p95": r.get("p95")} for r in document["levers"]]
    out.append(text_table(rows, columns))
    if document["combined"]:
        c = document["combined"]
        out.append(f"Plan ({', '.join(c['levers'])}): {document['plan_kgco2e']:,.1f} kgCO2e, "
                   f"saving {c['saving_kgco2e']:,.1f} kgCO2e ({c['saving_pct']:.1f} %); "
                   f"the levers alone would add up to {c['sum_of_savings_kgco2e']:,.1f}"
                   + (f"; 90 % interval of the saving {c['p5']:,.1f} - {c['p95']:,.1f}"
                      if "p5" in c else ""))
    return "\n".join(out) + "\n"
