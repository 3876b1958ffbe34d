"""The main job on embedded defaults (``make demo``).

Computes every example assessment with the default factor edition and
writes, into the output folder, one JSON result per example and a
``summary.csv`` with one row per example.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .assessment import load_assessment
from .errors import CarbonClapError, Location, NoAssessments
from .factors import load_edition
from .files import write_atomic
from .render import csv_text, json_text, text_table
from .results import assess

SUMMARY_COLUMNS = ["example", "type", "stage", "total_kgco2e", "per_hour_of_content",
                   "per_keur_budget", "edition", "edition_sha256"]
# The printed table: one number format for every figure, units in the headers.
PRINTED = {"example": "example", "type": "type", "stage": "stage",
           "total_kgco2e": "total [kgCO2e]", "per_hour_of_content": "per hour of content [kgCO2e/h]",
           "per_keur_budget": "per k EUR of budget [kgCO2e/kEUR]"}


def printed_table(summary: list[dict]) -> str:
    """The summary as printed by ``make demo``: every figure as ``21,430.3``
    (thousands grouped, one decimal), right-aligned, headers with units."""
    rows = [{PRINTED[k]: (f"{row[k]:,.1f}" if isinstance(row.get(k), (int, float)) else
                          ("–" if row.get(k) is None and k in SUMMARY_COLUMNS[3:6] else row.get(k)))
             for k in PRINTED} for row in summary]
    return text_table(rows, list(PRINTED.values()), right=list(PRINTED.values())[3:])


def run(examples: Path, output: Path, edition: str | None = None) -> list[dict]:
    """Compute every ``*.yaml``/``*.json`` of ``examples``; return the summary rows."""
    loaded = load_edition(edition)
    files = sorted(p for p in Path(examples).iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    if not files:
        raise NoAssessments("no assessment file (.yaml, .yml, .json)", Location(examples))
    summary = []
    for path in files:
        result = assess(load_assessment(path), loaded)
        write_atomic(Path(output) / f"{path.stem}.json", json_text(result))
        summary.append({
            "example": path.stem, "type": result["production"]["type"],
            "stage": result["production"]["stage"], "total_kgco2e": result["total_kgco2e"],
            "per_hour_of_content": result["indicators"].get("per_hour_of_content"),
            "per_keur_budget": result["indicators"].get("per_keur_budget"),
            "edition": result["edition"], "edition_sha256": result["edition_sha256"],
        })
    write_atomic(Path(output) / "summary.csv", csv_text(summary, SUMMARY_COLUMNS))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", default="examples")
    parser.add_argument("--output", default="output")
    parser.add_argument("--edition")
    args = parser.parse_args(argv)
    try:
        summary = run(Path(args.examples), Path(args.output), args.edition)
    except CarbonClapError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(printed_table(summary))
    sys.stdout.write(f"\n{len(summary)} results written to {args.output}/\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
