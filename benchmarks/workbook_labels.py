"""Benchmark of the workbook with labels (issue 16), writing and reading a
large workbook.

A podcast assessment whose lines (every field of the podcast questionnaire,
filled, repeated up to ``LINES`` lines) is written with
``workbook.workbook_bytes`` and read back with ``workbook.read_workbook``.
Baselines, in the same run:

- writing: the drop-downs applied cell by cell with openpyxl's
  ``DataValidation.add`` (as the writer did before; each ``add`` checks the
  cells already added, so it grows with the square of the rows), against
  one range per drop-down;
- reading: the same workbook with the factor, unit and phase cells
  rewritten to bare ids and no ``ids`` sheet (the format before labels,
  which reading still accepts), against the labelled one.

Each figure is the best of ``REPEAT`` runs.

    python benchmarks/workbook_labels.py
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from carbonclap_methods.factors import load_edition
from carbonclap_methods.templates import skeleton
from carbonclap_methods import workbook
from carbonclap_methods.workbook import IDS_SHEET, read_workbook, workbook_bytes

LINES = 5_000
REPEAT = 3


def best(function) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def assessment() -> dict:
    data = skeleton("podcast")
    fields = data["activities"]
    lines = []
    for i in range(LINES):
        line = dict(fields[i % len(fields)])
        line.update(id=f"l{i}", quantity=float(i % 97 + 1))
        lines.append(line)
    data["activities"] = lines
    return data


def with_ids(content: bytes, data: dict) -> bytes:
    """The same workbook with ids in the factor, unit and phase cells."""
    book = load_workbook(io.BytesIO(content))
    by_id = {line["id"]: line for line in data["activities"]}
    for sheet in book.worksheets:
        header = [str(c.value or "").rsplit("[", 1)[-1].rstrip("]") for c in sheet[1]]
        if "factor" not in header:
            continue
        columns = {name: header.index(name) for name in ("id", "factor", "unit", "phase")}
        for row in sheet.iter_rows(min_row=2):
            line = by_id.get(row[columns["id"]].value)
            if line:
                for name in ("factor", "unit", "phase"):
                    row[columns[name]].value = line[name]
    del book[IDS_SHEET]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def per_cell(sheet, rule, column: str, first: int, last: int) -> None:
    """The naive way: the drop-down added to one cell at a time."""
    sheet.add_data_validation(rule)
    for row in range(first, last + 1):
        rule.add(f"{column}{row}")


def main() -> None:
    edition = load_edition()
    data = assessment()
    content = workbook_bytes(data, "fr", edition=edition)
    print(f"Workbook of {LINES:,} lines ({len(content) // 1024} kB), best of {REPEAT}")
    ranged = best(lambda: workbook_bytes(data, "fr", edition=edition))
    one_range, workbook._rule = workbook._rule, per_cell
    try:
        naive = best(lambda: workbook_bytes(data, "fr", edition=edition))
    finally:
        workbook._rule = one_range
    print(f"  write, drop-downs cell by cell (baseline) {naive:7.3f} s")
    print(f"  write, one range per drop-down            {ranged:7.3f} s  ({naive / ranged:.1f}x faster)")
    with tempfile.TemporaryDirectory() as folder:
        labelled, bare = Path(folder) / "labels.xlsx", Path(folder) / "ids.xlsx"
        labelled.write_bytes(content)
        bare.write_bytes(with_ids(content, data))
        assert read_workbook(labelled)["activities"] == read_workbook(bare)["activities"]
        ids = best(lambda: read_workbook(bare))
        labels = best(lambda: read_workbook(labelled))
    print(f"  read, bare ids (baseline)                 {ids:7.3f} s")
    print(f"  read, labels                              {labels:7.3f} s  ({labels / ids:.2f}x the baseline)")


if __name__ == "__main__":
    main()
