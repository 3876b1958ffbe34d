"""Partitioned Parquet datasets: a folder of ``.parquet`` parts with the same columns.

A portfolio too large for one file is written as many parts (what
``dask.dataframe.to_parquet``, Spark or ``pyarrow.dataset.write_dataset``
produce): ``lines/part.0.parquet, lines/part.1.parquet, ...``. The parts are
found recursively in sorted order; hidden files and the ``_metadata`` /
``_common_metadata`` side files are skipped. Every part must hold the same
columns (its schema is read from its footer, not its data): a part with
other columns is refused, naming it and the columns that differ.

Reading is done with pyarrow (pandas backend: every part in memory) or with
dask (one partition per part, read where the task runs: the client never
holds the lines).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InvalidAssessment, Location

SUFFIX = ".parquet"


def is_dataset(folder: Path) -> bool:
    """True when ``folder`` holds Parquet parts (at any depth)."""
    return folder.is_dir() and bool(parts(folder, required=False))


def parts(folder: str | Path, required: bool = True) -> list[Path]:
    """The Parquet parts of a dataset folder, sorted; :class:`InvalidAssessment` if none."""
    folder = Path(folder)
    found = sorted(p for p in folder.rglob(f"*{SUFFIX}")
                   if p.is_file() and not any(s.startswith((".", "_"))
                                              for s in p.relative_to(folder).parts))
    if required and not found:
        raise InvalidAssessment(f"empty dataset (no {SUFFIX} part in the folder)", Location(folder))
    _check_no_copies(found)
    return found


def _check_no_copies(found: list[Path]) -> None:
    """A part that is a byte-for-byte copy of another (a file copied into the folder
    twice) would count its lines twice: refused, naming both. Only parts of the same
    size are hashed."""
    import hashlib
    from collections import defaultdict

    by_size = defaultdict(list)
    for part in found:
        by_size[part.stat().st_size].append(part)
    for same_size in (group for group in by_size.values() if len(group) > 1):
        seen: dict[str, Path] = {}
        for part in same_size:
            with open(part, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            if digest in seen:
                raise InvalidAssessment(f"the same bytes as {seen[digest]}; a part copied twice "
                                        "would count its lines twice (remove one)", Location(part))
            seen[digest] = part


def columns(found: list[Path], folder: str | Path) -> list[str]:
    """The columns shared by every part; a part with other columns is refused, naming it."""
    import pyarrow.parquet as pq

    expected, first = None, None
    for part in found:
        try:
            names = pq.read_schema(part).names
        except (OSError, ValueError) as exc:
            raise InvalidAssessment(f"cannot be read as a Parquet part ({str(exc).splitlines()[0]})",
                                    Location(part)) from exc
        names = [n for n in names if not n.startswith("__index_level_")]
        if expected is None:
            expected, first = names, part
        elif set(names) != set(expected):
            extra = sorted(set(names) - set(expected))
            missing = sorted(set(expected) - set(names))
            detail = "; ".join(x for x in (f"extra column(s) {', '.join(extra)}" if extra else "",
                                           f"missing column(s) {', '.join(missing)}" if missing
                                           else "") if x)
            raise InvalidAssessment(f"this part's columns differ from the other parts' "
                                    f"({detail}; first part {first.relative_to(folder)})",
                                    Location(part))
    return list(expected)


def locate(found: list[Path], rows: list[int], position: int) -> Location:
    """The part and row (from 1) of the ``position``-th row (from 0) of the parts read in order."""
    for part, count in zip(found, rows):
        if position < count:
            return Location(part, row=position + 1)
        position -= count
    return Location(row=position + 1)


def row_counts(found: list[Path]) -> list[int]:
    """Rows of each part, from its footer."""
    import pyarrow.parquet as pq

    return [pq.read_metadata(p).num_rows for p in found]


def read_pandas(found: list[Path], names: list[str], dictionary=(), part_column: str | None = None
                ) -> pd.DataFrame:
    """Every part as one pandas DataFrame; ``dictionary`` columns as categoricals.

    With ``part_column``, a column of that name holds each row's part (as a
    path) and ``<part_column>_row`` its row number in that part (from 1), so
    that a message can name both.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for part in found:
        try:
            table = pq.read_table(part, columns=names,
                                  read_dictionary=[c for c in dictionary if c in names])
        except (OSError, ValueError) as exc:
            raise InvalidAssessment(f"cannot be read as a Parquet part ({str(exc).splitlines()[0]})",
                                    Location(part)) from exc
        if part_column:
            table = table.append_column(part_column, pa.array([str(part)] * table.num_rows))
            table = table.append_column(f"{part_column}_row",
                                        pa.array(range(1, table.num_rows + 1), pa.int64()))
        tables.append(table)
    try:
        joined = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidAssessment(f"the parts' column types differ ({str(exc).splitlines()[0]})",
                                Location(found[0].parent)) from exc
    frame = joined.to_pandas()
    for column in dictionary:        # parts' dictionaries differ: unify as one categorical
        if column in frame.columns and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")
    return frame


def read_dask(found: list[Path], names: list[str]):
    """The parts as a dask DataFrame, one partition per part (read on the workers)."""
    import dask.dataframe as dd

    try:     # one partition per part, in order: an error can name its part
        return dd.read_parquet([str(p) for p in found], columns=names, split_row_groups=False,
                               aggregate_files=False)
    except (OSError, ValueError) as exc:
        raise InvalidAssessment(f"cannot be read ({str(exc).splitlines()[0]})",
                                Location(found[0].parent)) from exc
