"""Benchmark of the input limits (issue 12: nothing unbounded).

For each unbounded input the issue found, times (and measures the Python
peak memory of, with tracemalloc) the naive reading on a scaled-down input
and the package's reading of the full-size input, which it refuses:

- a YAML alias bomb: PyYAML's safe_load then a JSON dump of the result
  (naive, 6 levels of 9 aliases) against ``files.parse_yaml`` on the 9-level
  bomb of the issue (about 700 bytes);
- a long unit string: pint's parser (naive, 1,000 to 4,000 characters, to
  show how it grows) against ``units.parse_unit`` on 1 MB;
- a workbook of many rows: openpyxl's load_workbook (naive, 30,000 rows)
  against ``workbook.read_workbook`` on 500,000 rows (under the file size
  limit, over the uncompressed one).

    python benchmarks/limits.py
"""

from __future__ import annotations

import io
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook

from carbonclap_methods.errors import CarbonClapError, InvalidAssessment
from carbonclap_methods.files import parse_yaml
from carbonclap_methods.units import parse_unit, registry
from carbonclap_methods.workbook import read_workbook


def measure(function) -> tuple[float, float, str]:
    """Seconds, Python peak memory [MB] and outcome of ``function()``."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        function()
        outcome = "accepted"
    except CarbonClapError as exc:
        outcome = "refused: " + str(exc).split(": ", 1)[-1][:70]
    except Exception as exc:  # noqa: BLE001 - the naive readers' own failures
        outcome = f"failed: {type(exc).__name__}"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, outcome


def bomb(levels: int) -> str:
    rows = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"  l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "format: carbonclap-assessment/1\nbomb:\n" + "\n".join(rows) + "\nactivities: []\n"


def workbook_bytes(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("production")
    sheet.append(["key", "value"])
    sheet.append(["type", "podcast"])
    for i in range(rows):
        sheet.append([f"k{i}", i])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report(name: str, figures: tuple[float, float, str]) -> None:
    seconds, peak, outcome = figures
    print(f"  {name:<44} {seconds:9.3f} s {peak:9.1f} MB  {outcome}")


def main() -> None:
    print("YAML alias bomb")
    naive = bomb(6)
    report(f"naive safe_load + json, 6 levels ({len(naive)} B)",
           measure(lambda: json.dumps(yaml.safe_load(naive))))
    full = bomb(9)
    report(f"parse_yaml, 9 levels ({len(full)} B)",
           measure(lambda: parse_yaml(Path("bomb.yaml"), full, InvalidAssessment)))

    print("Unit string")
    registry().parse_expression("kWh")                 # the registry is built once, not timed
    for size in (1_000, 2_000, 4_000):
        text = "k" * size
        report(f"naive pint parse_expression, {size:,} chars",
               measure(lambda text=text: registry().parse_expression(text)))
    report("parse_unit, 1,000,000 chars", measure(lambda: parse_unit("k" * 1_000_000)))

    print("Workbook rows")
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "small.xlsx"
        small.write_bytes(workbook_bytes(30_000))
        report(f"naive load_workbook, 30,000 rows ({small.stat().st_size // 1024} kB)",
               measure(lambda: load_workbook(small)))
        big = Path(folder) / "big.xlsx"
        big.write_bytes(workbook_bytes(500_000))
        report(f"read_workbook, 500,000 rows ({big.stat().st_size // 1024} kB)",
               measure(lambda: read_workbook(big)))


if __name__ == "__main__":
    main()
