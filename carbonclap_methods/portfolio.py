"""Portfolios: many assessments computed together, in one vectorised pass.

A portfolio is one long table of activity lines with an ``assessment``
column (``assessment, factor, quantity, unit, phase``) and a production
table (one row per assessment: ``assessment, type`` and optionally
``title, stage, content_minutes, episodes, budget_eur, days, country``).
It is read from

- a folder of assessment files (``.yaml``, ``.yml``, ``.json``; the
  assessment id is the file name without its extension), or
- a long table in Parquet or CSV (``lines.parquet``) with its production
  table beside it (``lines.productions.parquet``; another path can be given), or
- a partitioned Parquet dataset: a folder of ``.parquet`` parts with the same
  columns (``lines/``, see :mod:`carbonclap_methods.dataset`), with its
  production table beside it, itself a file or a dataset
  (``lines.productions/`` or ``lines.productions.parquet``).

:func:`store_portfolio` writes a portfolio as that pair of Parquet files
(the embedded store: no server, dictionary-encoded text columns); reading it
back is the fast path.

:func:`compute_portfolio` runs the engine once over every line, sums
kgCO2e by assessment and category and by assessment and phase, and builds the per-assessment, per
production type, per category views and the sector view of Ecoprod's
annual report. The same call accepts a pandas or a dask DataFrame of lines
(``backend="dask"`` also turns a pandas one into dask): with dask, each
partition is computed and summed on the workers, the per-assessment sums are
added up on the cluster, and only one row per assessment (kgCO2e by category
and phase, line count) comes back.
"""

from __future__ import annotations

import io
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from . import dataset
from .assessment import PHASES, PRODUCTION_NUMBERS, PRODUCTION_TYPES, load_assessment
from .compute import compute
from .errors import (CarbonClapError, InvalidAssessment, InvalidParameter, InvalidQuantity,
                     Location, OutputError, UsageError, relocated)
from .factors import Edition
from .files import check_regular_file, printable, shown, write_atomic_many
from .render import text_table
from .dimensions import BEGES_ITEMS, DIRECT_SCOPES, UPSTREAM_BEGES, scope_of
from .results import CATEGORIES, direct_beges
from .switches import with_contrails

LINE_COLUMNS = ("assessment", "factor", "quantity", "unit", "phase")
# Optional: the questionnaire field a line answers decides its result category
# (categories.line_categories); without them a line takes its factor's.
FIELD_COLUMNS = ("section", "field")
# Optional too: each line's assessment's contrails switch (include | exclude).
OPTIONAL_COLUMNS = (*FIELD_COLUMNS, "contrails")
TEXT_COLUMNS = ("assessment", "factor", "unit", "phase", *OPTIONAL_COLUMNS)
PRODUCTION_COLUMNS = ("assessment", "title", "type", "stage", *PRODUCTION_NUMBERS, "country")
ASSESSMENT_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".parquet", ".csv")
BACKENDS = ("pandas", "dask")
# Lines per dask partition when a pandas table is handed to the dask backend.
PARTITION_LINES = 1_000_000


@dataclass
class Portfolio:
    """Activity lines of many assessments (pandas or dask DataFrame, long
    format, with an ``assessment`` column) and their production table
    (pandas, one row per assessment, indexed by assessment id)."""

    lines: object
    productions: pd.DataFrame
    source: str = "<memory>"
    # A partitioned dataset's parts and their row counts, in reading order
    # (one dask partition each), so that an error names the part and its row.
    parts: tuple = ()
    part_rows: tuple = ()


# ---------------------------------------------------------------------------
# Loading

def load_portfolio(path: str | Path, productions: str | Path | None = None,
                   backend: str = "pandas", progress: bool | None = None) -> Portfolio:
    """Read a portfolio from a folder of assessment files or a long table.

    Parameters
    ----------
    path : str or Path
        A folder of assessment files, a ``.parquet`` / ``.csv`` long table
        with columns ``assessment, factor, quantity, unit, phase``, or a
        folder of ``.parquet`` parts with those columns (a partitioned dataset).
    productions : str or Path, optional
        The production table of a long table or dataset (a file or a folder of
        parts); by default the one beside it named ``<stem>.productions<suffix>``
        (``lines.productions.parquet``; for a dataset ``lines/``:
        ``lines.productions/``, else ``lines.productions.parquet``).
    backend : {"pandas", "dask"}, default "pandas"
        ``"dask"`` reads a long table with dask.dataframe (lazy, partitioned;
        one partition per part of a dataset, read on the workers).
    progress : bool, optional
        Progress bar on stderr while reading a folder; ``None`` shows it only
        on a terminal and when reading lasts more than a second.

    Raises
    ------
    InvalidAssessment
        For a missing path, an empty folder or dataset, a file type that is
        not supported, missing columns, a part whose columns differ from the
        others', duplicate or unknown assessment ids (also across parts), a
        production without a type, bad production data; the message names the
        file (or part), row and column.
    """
    _check_backend(backend)
    path = Path(path)
    if path.is_dir() and dataset.is_dataset(path) and not _assessment_files(path):
        return _load_dataset(path, productions, backend)
    if path.is_dir():
        portfolio = _load_folder(path, progress)
        if backend == "dask":
            portfolio.lines = _to_dask(portfolio.lines)
        return portfolio
    if not path.exists():
        raise InvalidAssessment("no such file or folder", Location(path))
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InvalidAssessment(f"unsupported portfolio file {path.suffix!r} (expected a folder "
                                "of assessments, or a .parquet or .csv long table)", Location(path))
    prod_path = Path(productions) if productions else productions_path(path)
    if not prod_path.exists():
        raise InvalidAssessment(f"no production table beside it (expected {prod_path}); give one "
                                "with --productions", Location(path))
    table = _read_productions(prod_path)
    lines = _read_lines(path, backend)
    return Portfolio(lines=lines, productions=table, source=str(path))


def productions_path(lines_path: str | Path) -> Path:
    """The production table stored beside a long table: ``X.parquet`` -> ``X.productions.parquet``."""
    lines_path = Path(lines_path)
    return lines_path.with_name(f"{lines_path.stem}.productions{lines_path.suffix}")


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise InvalidParameter(f"unknown backend {backend!r} (one of {', '.join(BACKENDS)})")


def _assessment_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in ASSESSMENT_SUFFIXES)


def _load_folder(folder: Path, progress: bool | None) -> Portfolio:
    files = _assessment_files(folder)
    if not files:
        raise InvalidAssessment(f"no assessment file ({', '.join(ASSESSMENT_SUFFIXES)}) "
                                "and no .parquet part", Location(folder))
    seen: dict[str, Path] = {}
    frames, rows = [], []
    for path in tqdm(files, desc="Reading assessments", unit="file", file=sys.stderr, delay=1.0,
                     disable=None if progress is None else not progress, leave=False):
        if seen.setdefault(path.stem, path) != path:
            raise InvalidAssessment(f"assessment id {path.stem!r} is also "
                                    f"{seen[path.stem].name}; rename one of them", Location(path))
        assessment = load_assessment(path)
        lines = assessment.lines[["factor", "quantity", "unit", "phase", "where"]].copy()
        for column in FIELD_COLUMNS:
            lines[column] = (assessment.lines[column].fillna("").astype(str)
                             if column in assessment.lines.columns else "")
        lines["contrails"] = assessment.production.get("contrails", "include")
        lines.insert(0, "assessment", path.stem)
        frames.append(lines)
        production = {k: assessment.production.get(k) for k in PRODUCTION_COLUMNS[1:]}
        rows.append({"assessment": path.stem, **production, "source": str(path)})
    lines = pd.concat(frames, ignore_index=True)
    lines = lines.astype({c: "category" for c in TEXT_COLUMNS})
    lines["quantity"] = lines["quantity"].astype(float)
    productions = _check_productions(pd.DataFrame(rows), str(folder))
    return Portfolio(lines=lines, productions=productions, source=str(folder))


def _read_table(path: Path, columns=None, dictionary=()) -> pd.DataFrame:
    """A Parquet or CSV table, text columns in ``dictionary`` as categoricals."""
    check_regular_file(path, InvalidAssessment)      # a FIFO would hang the reader
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq
            schema = pq.read_schema(path)
            present = [c for c in dictionary if c in schema.names]
            return pq.read_table(path, read_dictionary=present).to_pandas()
        return pd.read_csv(path, dtype={c: "category" for c in dictionary},
                           encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidAssessment(f"cannot be read as a {path.suffix[1:]} table "
                                f"({str(exc).splitlines()[0]})", Location(path)) from exc


def _read_lines(path: Path, backend: str):
    if backend == "dask":
        import dask.dataframe as dd
        check_regular_file(path, InvalidAssessment)
        try:
            if path.suffix.lower() == ".parquet":
                lines = dd.read_parquet(str(path))
            else:   # every column as text: dask guesses types from the first rows only
                lines = dd.read_csv(str(path), dtype=object)
        except (OSError, ValueError) as exc:
            raise InvalidAssessment(f"cannot be read ({str(exc).splitlines()[0]})",
                                    Location(path)) from exc
    else:
        lines = _read_table(path, dictionary=TEXT_COLUMNS)
    _require(lines.columns, LINE_COLUMNS, path)
    return lines


def _require(columns, required, path) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise InvalidAssessment(f"missing column(s) {', '.join(missing)} "
                                f"(a long table has {', '.join(required)})", Location(path))


def _read_productions(path: Path) -> pd.DataFrame:
    if path.is_dir():
        return _read_partitioned_productions(path)
    return _check_productions(_read_table(path), str(path))


def _read_partitioned_productions(folder: Path) -> pd.DataFrame:
    """A production table written as parts; an id in two parts is refused naming both."""
    found = dataset.parts(folder)
    names = dataset.columns(found, folder)
    table = dataset.read_pandas(found, names, part_column="_part")
    place = [Location(part, row=int(row))
             for part, row in zip(table.pop("_part"), table.pop("_part_row"))]
    if "assessment" in table.columns:
        ids = table["assessment"].astype(str)
        repeated = ids.duplicated(keep=False).to_numpy() & table["assessment"].notna().to_numpy()
        if repeated.any():
            first = int(np.flatnonzero(repeated)[0])
            second = int(np.flatnonzero(repeated & (ids == ids.iat[first]).to_numpy())[1])
            raise InvalidAssessment(f"duplicate id {ids.iat[first]!r} (also {place[first]})",
                                    place[second].at("column assessment"))
    return _check_productions(table, str(folder), lambda position: place[position])


def _check_productions(table: pd.DataFrame, where: str, at=None) -> pd.DataFrame:
    """The production table indexed by assessment id, checked; errors name row and column.

    ``at(position)`` is the :class:`Location` of a row (default: ``where``, row from 1)."""
    at = at or (lambda position: Location(where, row=position + 1))
    _require(table.columns, ("assessment", "type"), where)
    if not len(table):
        raise InvalidAssessment("empty production table (no assessment)", Location(where))
    table = table.copy()
    ids = table["assessment"]
    empty = ids.isna().to_numpy() | (ids.astype(str).str.strip() == "").to_numpy()
    if empty.any():
        position = int(np.flatnonzero(empty)[0])
        raise InvalidAssessment("empty", at(position).at("column assessment"))
    table["assessment"] = ids.astype(str)
    duplicated = table["assessment"].duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InvalidAssessment(f"duplicate id {shown(table['assessment'].iat[position])}",
                                at(position).at("column assessment"))
    kinds = table["type"]
    untyped = kinds.isna().to_numpy() | (kinds.astype(str).str.strip() == "").to_numpy()
    if untyped.any():
        position = int(np.flatnonzero(untyped)[0])
        raise InvalidAssessment(f"assessment {shown(table['assessment'].iat[position])} has no "
                                f"production type (one of {', '.join(PRODUCTION_TYPES)})",
                                at(position).at("column type"))
    known = kinds.isin(PRODUCTION_TYPES).to_numpy()
    if not known.all():
        position = int(np.flatnonzero(~known)[0])
        raise InvalidAssessment(f"unknown production type {shown(table['type'].iat[position])} "
                                f"(one of {', '.join(PRODUCTION_TYPES)})",
                                at(position).at("column type"))
    for column in PRODUCTION_NUMBERS:
        if column not in table.columns:
            table[column] = np.nan
            continue
        raw = table[column]
        boolean = raw.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
        values = pd.to_numeric(raw.astype(object).where(~boolean, "bool"), errors="coerce")
        bad = (values.isna() & raw.notna()) | (values < 0) | np.isinf(values) | boolean
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise InvalidAssessment(f"{shown(table[column].iat[position])} is not a number >= 0",
                                    at(position).at(f"column {column}"))
        table[column] = values.astype(float)
    for column in ("title", "stage", "country"):
        if column not in table.columns:
            table[column] = ""
        table[column] = table[column].fillna("").astype(str)
    return table.set_index("assessment", drop=False)


def _load_dataset(folder: Path, productions: str | Path | None, backend: str) -> Portfolio:
    """A partitioned Parquet dataset of lines and its production table (file or parts)."""
    found = dataset.parts(folder)
    names = dataset.columns(found, folder)
    _require(names, LINE_COLUMNS, folder)
    rows = dataset.row_counts(found)
    if sum(rows) == 0:
        raise InvalidAssessment(f"empty dataset ({len(found)} part(s), no line)", Location(folder))
    if productions:
        prod_path = Path(productions)
    else:
        prod_path = productions_path(folder)
        if not prod_path.exists():
            prod_path = prod_path.with_name(prod_path.name + dataset.SUFFIX)
    if not prod_path.exists():
        raise InvalidAssessment(f"no production table beside it (expected "
                                f"{productions_path(folder)}/ or {prod_path}); give one with "
                                "--productions", Location(folder))
    table = _read_productions(prod_path)
    if backend == "dask":
        lines = dataset.read_dask(found, names)
    else:
        lines = dataset.read_pandas(found, names, dictionary=TEXT_COLUMNS)
    return Portfolio(lines=lines, productions=table, source=str(folder), parts=tuple(found),
                     part_rows=tuple(rows))


def _to_dask(lines: pd.DataFrame):
    import dask.dataframe as dd
    return dd.from_pandas(lines, npartitions=max(1, math.ceil(len(lines) / PARTITION_LINES)))


def store_portfolio(portfolio: Portfolio, path: str | Path) -> tuple[Path, Path]:
    """Write a portfolio as Parquet: the long table at ``path`` and the
    production table beside it (:func:`productions_path`).

    Text columns are dictionary-encoded, so they are read back as
    categoricals with no factorising. Each file is written atomically
    (temporary file, then rename), and the pair is replaced together: a
    failure leaves the previous pair, never one old and one new file.
    Returns both paths.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if path.suffix.lower() != ".parquet":
        raise UsageError("the portfolio store is Parquet, name it <name>.parquet", Location(path))
    lines = portfolio.lines
    if not isinstance(lines, pd.DataFrame):
        lines = lines.compute()
    kept = [*LINE_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in lines.columns)]
    lines = lines[kept].astype({c: "category" for c in TEXT_COLUMNS if c in kept})
    productions = portfolio.productions.reset_index(drop=True)
    columns = [c for c in (*PRODUCTION_COLUMNS, "source") if c in productions.columns]
    target = productions_path(path)
    payloads = []
    for frame, destination in ((productions[columns], target), (lines, path)):
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
        payloads.append((destination, buffer.getvalue()))
    try:
        write_atomic_many(payloads)      # both files replaced, or neither
    except OSError as exc:
        raise OutputError(f"cannot write the store ({exc.strerror or exc}); the previous pair, "
                          "if any, is unchanged", Location(path)) from exc
    return path, target


# ---------------------------------------------------------------------------
# Computing

def _emissions(lines: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    """The engine over lines that each name their assessment."""
    if "assessment" not in lines.columns:
        raise InvalidAssessment("portfolio lines: missing column assessment")
    missing = lines["assessment"].isna().to_numpy()
    if missing.any():
        raise InvalidAssessment("empty", Location(row=int(np.flatnonzero(missing)[0]) + 1,
                                                  field="column assessment"))
    return compute(_with_contrails(lines, edition), edition)


def _with_contrails(lines: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    """Each assessment's contrails switch (``contrails`` column, default include),
    as :func:`results.assess` applies it."""
    if "contrails" not in lines.columns:
        return with_contrails(lines, edition, "include")
    exclude = (lines["contrails"].astype(str) == "exclude").to_numpy()
    if not exclude.any():
        return with_contrails(lines, edition, "include")
    parts = [with_contrails(lines[~exclude], edition, "include"),
             with_contrails(lines[exclude], edition, "exclude")]
    return pd.concat(parts).loc[lines.index]


# Where the upstream part of energy goes, by column (results.scope_parts, beges_parts).
_UPSTREAM_TO = {"ghg_scope": "3", "beges": UPSTREAM_BEGES}


def _upstream(emissions: pd.DataFrame, column: str) -> np.ndarray:
    """The upstream part [kgCO2e] of the lines of scopes 1 and 2 (``column``
    ``ghg_scope``, reported in scope 3.3) or of BEGES categories 1 and 2
    (``beges``, reported in item 4.1); 0 elsewhere."""
    codes = emissions[column].to_numpy(dtype=object)
    if column == "ghg_scope":
        direct = np.isin(codes, DIRECT_SCOPES)
    else:
        direct = direct_beges(codes)
    return np.where(direct, emissions["kgco2e"].to_numpy(dtype=float)
                    * emissions["upstream_share"].to_numpy(dtype=float), 0.0)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (int64) and text labels of a column; a categorical's codes are reused."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object).astype(str)


# ---------------------------------------------------------------------------
# Both backends reduce lines to one row per assessment (kgCO2e by category, by
# phase, line count) with partial_wide: pandas once over every line; dask once
# per partition on the workers, those rows then summed in a tree on the
# cluster, so that only one row per assessment reaches the client.

def _category_columns(edition: Edition) -> list[str]:
    """Every category a line can be given: Carbon'Clap's, then the edition's others."""
    extra = sorted(set(edition.table["category"].astype(str)) - set(CATEGORIES))
    return list(CATEGORIES) + extra


# The sums of each assessment: kgCO2e by result category, phase, GHG Protocol
# scope (the scope code's first digit) and BEGES item of its lines.
SCOPES = ("1", "2", "3")


def _dimensions(categories: list[str]) -> list[tuple[str, list[str]]]:
    """(column of the engine's output, its keys) of each sum."""
    return [("category", categories), ("phase", list(PHASES)), ("ghg_scope", list(SCOPES)),
            ("beges", list(BEGES_ITEMS))]


def _wide_columns(categories: list[str]) -> list[str]:
    return [f"{column}:{key}" for column, keys in _dimensions(categories) for key in keys] + ["lines"]


def partial_wide(lines: pd.DataFrame, edition: Edition, categories: list[str]) -> pd.DataFrame:
    """One row per assessment of a table of lines: ``assessment`` then kgCO2e by
    ``category:<c>`` (in ``categories``), ``phase:<p>``, ``ghg_scope:<1|2|3>`` and
    ``beges:<item>`` [kgCO2e], and ``lines`` [count].

    The whole of the pandas backend, and the map step of the dask one (run
    on the workers): the engine once over the lines
    (:func:`carbonclap_methods.compute.compute`), then one ``numpy.bincount``
    per matrix over the lines' integer codes.
    """
    emissions = _emissions(lines, edition)
    rows, ids = _codes(emissions["assessment"])
    kg = emissions["kgco2e"].to_numpy(dtype=float)
    blocks = []
    for column, keys in _dimensions(categories):
        codes, labels = _codes(emissions[column])
        if column == "ghg_scope":
            labels = np.array([scope_of(code) for code in labels], dtype=object)
        cols = pd.Index(keys).get_indexer(labels)[codes]
        if (cols < 0).any():
            raise InvalidAssessment(f"{column} {labels[codes[np.flatnonzero(cols < 0)[0]]]!r} "
                                    f"is not one of {', '.join(keys)}")
        block = np.bincount(rows * len(keys) + cols, weights=kg,
                            minlength=len(ids) * len(keys)).reshape(len(ids), len(keys))
        if column in _UPSTREAM_TO and "upstream_share" in emissions.columns:
            moved = np.bincount(rows * len(keys) + cols, weights=_upstream(emissions, column),
                                minlength=len(ids) * len(keys)).reshape(len(ids), len(keys))
            block = block - moved          # the upstream of energy: scope 3 (3.3), BEGES 4.1
            block[:, keys.index(_UPSTREAM_TO[column])] += moved.sum(axis=1)
        blocks.append(block)
    count = np.bincount(rows, minlength=len(ids))
    frame = pd.DataFrame(np.hstack(blocks), columns=_wide_columns(categories)[:-1])
    frame["lines"] = count.astype(np.int64)
    frame.insert(0, "assessment", np.asarray(ids, dtype=object))
    return frame[count > 0].reset_index(drop=True)


def _partial_wide_of_part(lines: pd.DataFrame, edition: Edition, categories: list[str],
                          parts: tuple, partition_info=None) -> pd.DataFrame:
    """:func:`partial_wide` of one part of a dataset; an error names the part."""
    try:
        return partial_wide(lines, edition, categories)
    except CarbonClapError as exc:
        number = (partition_info or {}).get("number")
        if number is None or number >= len(parts):
            raise
        raise relocated(exc, _in_file(exc, parts[number])) from None


def _dask_wide(lines, edition: Edition, parts: tuple = ()) -> pd.DataFrame:
    """The per-assessment sums of a dask DataFrame of lines, computed on the cluster
    (``parts``: the dataset part of each partition, to name it in an error)."""
    categories = _category_columns(edition)
    meta = pd.DataFrame({"assessment": pd.Series(dtype=object),
                         **{c: pd.Series(dtype=float) for c in _wide_columns(categories)[:-1]},
                         "lines": pd.Series(dtype=np.int64)})
    if parts and lines.npartitions == len(parts):
        partials = lines.map_partitions(_partial_wide_of_part, edition, categories,
                                        tuple(str(p) for p in parts), meta=meta)
    else:
        partials = lines.map_partitions(partial_wide, edition, categories, meta=meta)
    # split_out=1: a tree of sums into one partition (a shuffle would move every row)
    return partials.groupby("assessment").sum(split_out=1).compute()


@dataclass
class PortfolioResult:
    """A computed portfolio.

    ``assessments``: the production table plus ``lines`` [count],
    ``total_kgco2e`` and ``kgco2e_per_hour`` (NaN without content duration);
    ``by_category`` and ``by_phase``: one row per assessment, one column per
    category / phase [kgCO2e]. All indexed by assessment id.
    """

    edition: str
    edition_sha256: str
    source: str
    assessments: pd.DataFrame
    by_category: pd.DataFrame
    by_phase: pd.DataFrame
    by_scope: pd.DataFrame | None = None      # GHG Protocol scopes 1, 2, 3
    by_beges: pd.DataFrame | None = None      # the 22 BEGES items
    edition_status: str = ""                  # "draft edition" for a draft

    @property
    def total_kgco2e(self) -> float:
        return float(self.assessments["total_kgco2e"].sum())


def compute_portfolio(portfolio: Portfolio, edition: Edition,
                      backend: str | None = None) -> PortfolioResult:
    """Compute every assessment of a portfolio in one pass.

    Parameters
    ----------
    portfolio : Portfolio
        Lines as a pandas or dask DataFrame, and the production table.
    edition : Edition
        The factor edition.
    backend : {"pandas", "dask"}, optional
        Default: the lines' own kind. ``"dask"`` on pandas lines splits them
        into partitions of :data:`PARTITION_LINES`; it uses the current dask
        scheduler (a ``distributed.Client`` if one is active).

    Returns
    -------
    PortfolioResult

    Raises
    ------
    CarbonClapError
        Any error of the engine (unknown factor, unit, quantity, phase),
        naming the row; :class:`InvalidAssessment` for lines whose
        assessment has no row in the production table.
    """
    lines = portfolio.lines
    if backend is None:
        backend = "pandas" if isinstance(lines, pd.DataFrame) else "dask"
    _check_backend(backend)
    try:
        if backend == "dask":
            wide = _dask_wide(_to_dask(lines) if isinstance(lines, pd.DataFrame) else lines,
                              edition, portfolio.parts)
        else:
            lines = lines if isinstance(lines, pd.DataFrame) else lines.compute()
            wide = partial_wide(lines, edition, _category_columns(edition)).set_index("assessment")
    except CarbonClapError as exc:
        raise _named(exc, lines, portfolio) from None
    return _from_wide(wide, portfolio, edition)


def _in_file(exc: CarbonClapError, file) -> Location:
    """The error's place (a row of a table, or none) in ``file``."""
    return exc.location.within(file) if exc.location is not None else Location(file)


def _named(exc: CarbonClapError, lines, portfolio: Portfolio) -> CarbonClapError:
    """The engine's error, naming the file (or dataset part) and row it is about."""
    where = exc.location
    if where is not None and where.file is not None:
        return exc                     # a line of an assessment file, or named by its dask part
    if portfolio.parts and isinstance(lines, pd.DataFrame) and where is not None and where.row:
        place = dataset.locate(list(portfolio.parts), list(portfolio.part_rows), where.row - 1)
        return relocated(exc, replace(where, file=place.file, row=place.row))
    return relocated(exc, _in_file(exc, portfolio.source))


def _check_known(rows: np.ndarray, named, portfolio: Portfolio) -> None:
    """Refuse lines of assessments the production table lacks, listing them."""
    if (rows < 0).any():
        unknown = sorted({str(x) for x in np.asarray(named, dtype=object)[rows < 0]})
        listed = ", ".join(shown(x) for x in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise InvalidAssessment(f"{len(unknown)} assessment(s) have lines but no row in the "
                                f"production table: {listed}{more}", Location(portfolio.source))


def _from_wide(wide: pd.DataFrame, portfolio: Portfolio, edition: Edition) -> PortfolioResult:
    """A result from the per-assessment sums (:func:`partial_wide`, indexed by assessment);
    categories beyond Carbon'Clap's appear only when some line has kgCO2e in them."""
    ids = portfolio.productions.index
    _check_known(ids.get_indexer(wide.index.astype(str)), wide.index, portfolio)
    wide = wide.reindex(ids.astype(object), fill_value=0)
    columns = _category_columns(edition)
    by_category = wide[[f"category:{c}" for c in columns]].set_axis(columns, axis=1)
    extra = [c for c in columns[len(CATEGORIES):] if not by_category[c].any()]
    by_category = by_category.drop(columns=extra).set_axis(ids, axis=0)

    def matrix(column: str, keys: list[str]) -> pd.DataFrame:
        frame = wide[[f"{column}:{k}" for k in keys]].astype(float)
        return frame.set_axis(list(keys), axis=1).set_axis(ids, axis=0)

    assessments = portfolio.productions.copy()
    assessments["lines"] = wide["lines"].to_numpy().astype(np.int64)
    assessments["total_kgco2e"] = by_category.sum(axis=1)
    hours = assessments["content_minutes"] / 60
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        assessments["kgco2e_per_hour"] = (assessments["total_kgco2e"] / hours).where(hours > 0)
    _check_finite(assessments, portfolio.source)
    return PortfolioResult(edition=edition.name, edition_sha256=edition.sha256,
                           source=portfolio.source, assessments=assessments,
                           by_category=by_category.astype(float),
                           by_phase=matrix("phase", list(PHASES)),
                           by_scope=matrix("ghg_scope", list(SCOPES)),
                           by_beges=matrix("beges", list(BEGES_ITEMS)),
                           edition_status=edition.describe().get("edition_status", ""))


def _check_finite(assessments: pd.DataFrame, source: str) -> None:
    """Sums and ratios of every assessment are finite (lines are checked by the
    engine): an overflow names the assessment, never shows as ``inf``."""
    for column, hint in (("total_kgco2e", "check its largest quantities and their units"),
                         ("kgco2e_per_hour", "its content_minutes is too small")):
        values = assessments[column].to_numpy(dtype=float)
        bad = np.isinf(values) | (np.isnan(values) if column == "total_kgco2e" else False)
        if bad.any():
            name = assessments.index[int(np.flatnonzero(bad)[0])]
            raise InvalidQuantity(f"{column} is not a finite number; {hint}",
                                  Location(source, field=f"assessment {shown(name)}"))
    totals = assessments["total_kgco2e"].to_numpy(dtype=float)
    with np.errstate(over="ignore"):
        overall = totals.sum()
    if not np.isfinite(overall):
        name = assessments.index[int(np.argmax(totals))]
        raise InvalidQuantity(f"the portfolio's total is not a finite number (each "
                              f"assessment's is); the largest is assessment {shown(name)}, "
                              f"{totals.max():.3g} kgCO2e: check its quantities and their units",
                              Location(source))


# ---------------------------------------------------------------------------
# Views

def sector_view(result: PortfolioResult) -> pd.DataFrame:
    """The sector view of Ecoprod's annual report, over any portfolio.

    One row per production type present (in Carbon'Clap's order), then
    ``all``:

    - ``assessments`` [count], ``total_tco2e`` [tCO2e], ``mean_tco2e`` and
      ``median_tco2e`` per assessment [tCO2e];
    - ``content_hours`` [h] and ``kgco2e_per_hour`` [kgCO2e per hour of
      content]: total of the assessments that give a content duration divided
      by their hours (a ratio of sums, so long productions weigh more; those
      without a duration are left out of both);
    - ``share_<category>``: the category's share of the type's total [0-1].
    """
    frame = result.assessments
    found = set(frame["type"])
    types = [t for t in PRODUCTION_TYPES if t in found]
    groups = [(t, frame["type"].to_numpy() == t) for t in types]
    groups.append(("all", np.ones(len(frame), dtype=bool)))
    rows = []
    for name, mask in groups:
        totals = frame["total_kgco2e"].to_numpy()[mask]
        hours = (frame["content_minutes"].to_numpy()[mask]) / 60
        timed = hours > 0
        split = result.by_category.to_numpy()[mask].sum(axis=0)
        grand = split.sum()
        row = {"type": name, "assessments": int(mask.sum()),
               "total_tco2e": totals.sum() / 1000,
               "mean_tco2e": totals.mean() / 1000 if mask.any() else math.nan,
               "median_tco2e": float(np.median(totals)) / 1000 if mask.any() else math.nan,
               "content_hours": float(hours[timed].sum()),
               "kgco2e_per_hour": totals[timed].sum() / hours[timed].sum() if timed.any()
               else math.nan}
        for category, value in zip(result.by_category.columns, split):
            row[f"share_{category}"] = value / grand if grand else 0.0
        rows.append(row)
    return pd.DataFrame(rows).set_index("type")


def portfolio_document(result: PortfolioResult) -> dict:
    """The JSON document of ``carbonclap portfolio --format json``.

    Keys: ``edition``, ``edition_sha256``, ``source``, ``assessments_count``,
    ``lines_count``, ``total_kgco2e``, ``by_category`` and ``by_phase``
    (portfolio totals [kgCO2e], every category / phase), ``by_type`` (the
    :func:`sector_view` rows, shares as ``category_share``), ``assessments``
    (one record per assessment: id, title, type, stage, lines,
    ``total_kgco2e``, ``kgco2e_per_hour``, ``by_category`` with the
    categories it uses).
    """
    view = sector_view(result)
    by_type = {}
    for name, row in view.iterrows():
        record = {k: _plain(v) for k, v in row.items() if not k.startswith("share_")}
        record["assessments"] = int(record["assessments"])
        record["category_share"] = {k[6:]: float(v) for k, v in row.items()
                                    if k.startswith("share_") and v}
        by_type[name] = record
    a = result.assessments
    categories = result.by_category
    records = []
    for position, (assessment, row) in enumerate(a.iterrows()):
        split = categories.iloc[position]
        records.append({"assessment": assessment, "title": row["title"], "type": row["type"],
                        "stage": row["stage"], "lines": int(row["lines"]),
                        "total_kgco2e": float(row["total_kgco2e"]),
                        "kgco2e_per_hour": _plain(row["kgco2e_per_hour"]),
                        "by_category": {k: float(v) for k, v in split.items() if v}})
    return {"edition": result.edition, "edition_sha256": result.edition_sha256,
            **({"edition_status": result.edition_status} if result.edition_status else {}),
            "source": result.source, "assessments_count": len(a),
            "lines_count": int(a["lines"].sum()), "total_kgco2e": result.total_kgco2e,
            "by_category": {k: float(v) for k, v in categories.sum(axis=0).items()},
            "by_phase": {k: float(v) for k, v in result.by_phase.sum(axis=0).items()},
            "by_scope": {k: float(v) for k, v in result.by_scope.sum(axis=0).items()},
            "by_beges": {k: float(v) for k, v in result.by_beges.sum(axis=0).items()},
            "by_type": by_type, "assessments": records}


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def portfolio_text(result: PortfolioResult, list_limit: int = 50) -> str:
    """A computed portfolio as readable text: totals, sector view, category
    split by type, and the assessments (when there are at most ``list_limit``)."""
    a = result.assessments
    view = sector_view(result)
    out = [f"Portfolio: {printable(result.source)}",
           f"{len(a):,} assessments, {int(a['lines'].sum()):,} lines, total "
           f"{result.total_kgco2e / 1000:,.1f} tCO2e",
           f"Edition: {result.edition}"
           + (f" ({result.edition_status})" if result.edition_status else "")
           + f" (sha256 {result.edition_sha256[:12]}...)", "",
           "Sector view (per production type)"]
    columns = ["type", "assessments", "total_tco2e", "mean_tco2e", "median_tco2e",
               "content_hours", "kgco2e_per_hour"]
    out.append(text_table([{"type": t, **row} for t, row in view[columns[1:]].iterrows()], columns))
    used = [c for c in result.by_category.columns if result.by_category[c].any()]
    out.append("Category split (% of each type's total)")
    rows = [{"category": c, **{t: round(100 * view.at[t, f"share_{c}"], 1) for t in view.index}}
            for c in used]
    out.append(text_table(rows, ["category", *view.index]))
    if len(a) <= list_limit:
        out.append("Assessments")
        rows = [{"assessment": i, "type": r["type"], "lines": int(r["lines"]),
                 "kgCO2e": float(r["total_kgco2e"]), "kgCO2e_per_hour": _plain(r["kgco2e_per_hour"])}
                for i, r in a.iterrows()]
        out.append(text_table(rows, ["assessment", "type", "lines", "kgCO2e", "kgCO2e_per_hour"]))
    else:
        out.append(f"({len(a):,} assessments: use --format json for each one's figures)\n")
    return "\n".join(out)
