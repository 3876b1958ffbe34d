"""Portfolios: many assessments computed together, in one vectorised pass.

A portfolio is one long table of activity lines with an ``assessment``
column (``assessment, factor, quantity, unit, phase``) and a production
table (one row per assessment: ``assessment, type`` and optionally
``title, stage, content_minutes, episodes, budget_eur, days, country``).
It is read from

- a folder of assessment files (``.yaml``, ``.yml``, ``.json``; the
  assessment id is the file name without its extension), or
- a long table in Parquet or CSV (``lines.parquet``) with its production
  table beside it (``lines.productions.parquet``; another path can be given).

:func:`store_portfolio` writes a portfolio as that pair of Parquet files
(the embedded store: no server, dictionary-encoded text columns); reading it
back is the fast path.

:func:`compute_portfolio` runs the engine once over every line, sums
kgCO2e by (assessment, category, phase), and builds the per-assessment, per
production type, per category views and the sector view of Ecoprod's
annual report. The same call accepts a pandas or a dask DataFrame of lines
(``backend="dask"`` also turns a pandas one into dask): with dask, each
partition is computed and summed on the workers and only the small
(assessment, category, phase) sums come back.
"""

from __future__ import annotations

import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .assessment import PHASES, PRODUCTION_NUMBERS, PRODUCTION_TYPES, load_assessment
from .compute import compute
from .errors import CarbonClapError, InvalidAssessment
from .factors import Edition
from .files import write_atomic
from .render import text_table
from .dimensions import BEGES_ITEMS, scope_of
from .results import CATEGORIES
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


# ---------------------------------------------------------------------------
# Loading

def load_portfolio(path: str | Path, productions: str | Path | None = None,
                   backend: str = "pandas", progress: bool | None = None) -> Portfolio:
    """Read a portfolio from a folder of assessment files or a long table.

    Parameters
    ----------
    path : str or Path
        A folder of assessment files, or a ``.parquet`` / ``.csv`` long table
        with columns ``assessment, factor, quantity, unit, phase``.
    productions : str or Path, optional
        The production table of a long table; by default the file beside it
        named ``<stem>.productions<suffix>`` (``lines.productions.parquet``).
    backend : {"pandas", "dask"}, default "pandas"
        ``"dask"`` reads a long table with dask.dataframe (lazy, partitioned).
    progress : bool, optional
        Progress bar on stderr while reading a folder; ``None`` shows it only
        on a terminal and when reading lasts more than a second.

    Raises
    ------
    InvalidAssessment
        For a missing path, an empty folder, a file type that is not
        supported, missing columns, duplicate or unknown assessment ids, bad
        production data; the message names the file, row and column.
    """
    _check_backend(backend)
    path = Path(path)
    if path.is_dir():
        portfolio = _load_folder(path, progress)
        if backend == "dask":
            portfolio.lines = _to_dask(portfolio.lines)
        return portfolio
    if not path.exists():
        raise InvalidAssessment(f"{path}: no such file or folder")
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InvalidAssessment(f"{path}: unsupported portfolio file {path.suffix!r} (expected a "
                                "folder of assessments, or a .parquet or .csv long table)")
    prod_path = Path(productions) if productions else productions_path(path)
    if not prod_path.exists():
        raise InvalidAssessment(f"{path}: no production table beside it (expected {prod_path}); "
                                "give one with --productions")
    table = _read_productions(prod_path)
    lines = _read_lines(path, backend)
    return Portfolio(lines=lines, productions=table, source=str(path))


def productions_path(lines_path: str | Path) -> Path:
    """The production table stored beside a long table: ``X.parquet`` -> ``X.productions.parquet``."""
    lines_path = Path(lines_path)
    return lines_path.with_name(f"{lines_path.stem}.productions{lines_path.suffix}")


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise CarbonClapError(f"unknown backend {backend!r} (one of {', '.join(BACKENDS)})")


def _load_folder(folder: Path, progress: bool | None) -> Portfolio:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in ASSESSMENT_SUFFIXES)
    if not files:
        raise InvalidAssessment(f"{folder}: no assessment file ({', '.join(ASSESSMENT_SUFFIXES)})")
    seen: dict[str, Path] = {}
    frames, rows = [], []
    for path in tqdm(files, desc="Reading assessments", unit="file", file=sys.stderr, delay=1.0,
                     disable=None if progress is None else not progress, leave=False):
        if seen.setdefault(path.stem, path) != path:
            raise InvalidAssessment(f"{path}: assessment id {path.stem!r} is also "
                                    f"{seen[path.stem].name}; rename one of them")
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
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq
            schema = pq.read_schema(path)
            present = [c for c in dictionary if c in schema.names]
            return pq.read_table(path, read_dictionary=present).to_pandas()
        return pd.read_csv(path, dtype={c: "category" for c in dictionary},
                           encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidAssessment(f"{path}: cannot be read as a {path.suffix[1:]} table "
                                f"({str(exc).splitlines()[0]})") from exc


def _read_lines(path: Path, backend: str):
    if backend == "dask":
        import dask.dataframe as dd
        reader = dd.read_parquet if path.suffix.lower() == ".parquet" else dd.read_csv
        try:
            lines = reader(str(path))
        except (OSError, ValueError) as exc:
            raise InvalidAssessment(f"{path}: cannot be read ({str(exc).splitlines()[0]})") from exc
    else:
        lines = _read_table(path, dictionary=TEXT_COLUMNS)
    _require(lines.columns, LINE_COLUMNS, path)
    return lines


def _require(columns, required, path) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise InvalidAssessment(f"{path}: missing column(s) {', '.join(missing)} "
                                f"(a long table has {', '.join(required)})")


def _read_productions(path: Path) -> pd.DataFrame:
    return _check_productions(_read_table(path), str(path))


def _check_productions(table: pd.DataFrame, where: str) -> pd.DataFrame:
    """The production table indexed by assessment id, checked; errors name row and column."""
    _require(table.columns, ("assessment", "type"), where)
    table = table.copy()
    ids = table["assessment"]
    empty = ids.isna().to_numpy() | (ids.astype(str).str.strip() == "").to_numpy()
    if empty.any():
        position = int(np.flatnonzero(empty)[0])
        raise InvalidAssessment(f"{where}, row {position + 1}, column assessment: empty")
    table["assessment"] = ids.astype(str)
    duplicated = table["assessment"].duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InvalidAssessment(f"{where}, row {position + 1}, column assessment: duplicate id "
                                f"{table['assessment'].iat[position]!r}")
    known = table["type"].isin(PRODUCTION_TYPES).to_numpy()
    if not known.all():
        position = int(np.flatnonzero(~known)[0])
        raise InvalidAssessment(f"{where}, row {position + 1}, column type: unknown production "
                                f"type {table['type'].iat[position]!r} "
                                f"(one of {', '.join(PRODUCTION_TYPES)})")
    for column in PRODUCTION_NUMBERS:
        if column not in table.columns:
            table[column] = np.nan
            continue
        values = pd.to_numeric(table[column], errors="coerce")
        bad = (values.isna() & table[column].notna()) | (values < 0) | np.isinf(values)
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise InvalidAssessment(f"{where}, row {position + 1}, column {column}: "
                                    f"{table[column].iat[position]!r} is not a number >= 0")
        table[column] = values.astype(float)
    for column in ("title", "stage", "country"):
        if column not in table.columns:
            table[column] = ""
        table[column] = table[column].fillna("").astype(str)
    return table.set_index("assessment", drop=False)


def _to_dask(lines: pd.DataFrame):
    import dask.dataframe as dd
    return dd.from_pandas(lines, npartitions=max(1, math.ceil(len(lines) / PARTITION_LINES)))


def store_portfolio(portfolio: Portfolio, path: str | Path) -> tuple[Path, Path]:
    """Write a portfolio as Parquet: the long table at ``path`` and the
    production table beside it (:func:`productions_path`).

    Text columns are dictionary-encoded, so they are read back as
    categoricals with no factorising. Each file is written atomically
    (temporary file, then rename). Returns both paths.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if path.suffix.lower() != ".parquet":
        raise CarbonClapError(f"{path}: the portfolio store is Parquet, name it <name>.parquet")
    lines = portfolio.lines
    if not isinstance(lines, pd.DataFrame):
        lines = lines.compute()
    kept = [*LINE_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in lines.columns)]
    lines = lines[kept].astype({c: "category" for c in TEXT_COLUMNS if c in kept})
    productions = portfolio.productions.reset_index(drop=True)
    columns = [c for c in (*PRODUCTION_COLUMNS, "source") if c in productions.columns]
    target = productions_path(path)
    for frame, destination in ((productions[columns], target), (lines, path)):
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
        try:
            write_atomic(destination, buffer.getvalue())
        except OSError as exc:
            raise CarbonClapError(f"{destination}: cannot write ({exc.strerror})") from exc
    return path, target


# ---------------------------------------------------------------------------
# Computing

def partial_sums(lines: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    """kgCO2e and line counts of one table of lines, by (assessment, category, phase).

    The engine computes every line once (:func:`carbonclap_methods.compute.compute`);
    the sums use integer codes and ``numpy.bincount``. This is the map step
    of the dask backend (one call per partition) and the whole of the pandas one.

    Returns
    -------
    pandas.DataFrame
        ``assessment``, ``category``, ``phase`` (categoricals) and ``kgco2e``
        [kgCO2e], ``lines`` [count], one row per combination present.
    """
    if "assessment" not in lines.columns:
        raise InvalidAssessment("portfolio lines: missing column assessment")
    missing = lines["assessment"].isna().to_numpy()
    if missing.any():
        raise InvalidAssessment(f"row {int(np.flatnonzero(missing)[0]) + 1}, "
                                "column assessment: empty")
    emissions = compute(_with_contrails(lines, edition), edition)
    keys, labels = [], []
    for column in SUM_KEYS:
        values = emissions[column]
        if isinstance(values.dtype, pd.CategoricalDtype):    # codes are there already
            codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
        else:
            codes, uniques = pd.factorize(values)
        keys.append(codes.astype(np.int64))
        labels.append(np.asarray(uniques, dtype=object).astype(str))
    combined = np.zeros(len(emissions), dtype=np.int64)
    for codes, uniques in zip(keys, labels):      # mixed radix: one integer per combination
        combined = combined * max(len(uniques), 1) + codes
    groups, uniques = pd.factorize(combined)
    rest = np.asarray(uniques, dtype=np.int64)
    columns = {}
    for column, values in reversed(list(zip(SUM_KEYS, labels))):
        radix = max(len(values), 1)
        columns[column] = pd.Categorical.from_codes(rest % radix, values)
        rest = rest // radix
    return pd.DataFrame({
        **{column: columns[column] for column in SUM_KEYS},
        "kgco2e": np.bincount(groups, weights=emissions["kgco2e"].to_numpy(dtype=float),
                              minlength=len(uniques)),
        # the upstream part of scope 1 and 2 lines, reported in scope 3.3
        "upstream_kgco2e": np.bincount(groups, weights=_upstream(emissions), minlength=len(uniques)),
        "lines": np.bincount(groups, minlength=len(uniques)).astype(np.int64),
    })


def _upstream(emissions: pd.DataFrame) -> np.ndarray:
    direct = np.isin(emissions["ghg_scope"].to_numpy(dtype=object), ("1", "2"))
    return np.where(direct, emissions["kgco2e"].to_numpy(dtype=float)
                    * emissions["upstream_share"].to_numpy(dtype=float), 0.0)


# What the portfolio sums by (every combination present): the result category,
# the phase, the GHG Protocol scope code and the BEGES item of the lines.
SUM_KEYS = ("assessment", "category", "phase", "ghg_scope", "beges")
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


_PARTIAL_META = pd.DataFrame({**{c: pd.Series(dtype=object) for c in SUM_KEYS},
                              "kgco2e": pd.Series(dtype=float),
                              "upstream_kgco2e": pd.Series(dtype=float),
                              "lines": pd.Series(dtype=np.int64)})


def _partial_text(lines: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    """:func:`partial_sums` with plain text keys: partitions' categories differ."""
    sums = partial_sums(lines, edition)
    return sums.astype({c: object for c in SUM_KEYS})


def _sums(lines, edition: Edition, backend: str | None) -> pd.DataFrame:
    is_pandas = isinstance(lines, pd.DataFrame)
    if backend is None:
        backend = "pandas" if is_pandas else "dask"
    _check_backend(backend)
    if backend == "pandas":
        return partial_sums(lines if is_pandas else lines.compute(), edition)
    if is_pandas:
        lines = _to_dask(lines)
    partials = lines.map_partitions(_partial_text, edition, meta=_PARTIAL_META)
    summed = partials.groupby(list(SUM_KEYS)).agg(
        {"kgco2e": "sum", "upstream_kgco2e": "sum", "lines": "sum"}).compute()
    return summed.reset_index()


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
    try:
        sums = _sums(portfolio.lines, edition, backend)
    except CarbonClapError as exc:
        if isinstance(portfolio.lines, pd.DataFrame) and "where" in portfolio.lines.columns:
            raise                      # the message already names the file and line
        raise type(exc)(f"{portfolio.source}, {exc}") from None
    return _aggregate(sums, portfolio, edition)


def _positions(column: pd.Series, keys: pd.Index) -> np.ndarray:
    """Position of each value of ``column`` in ``keys`` (-1 if absent), by category when it can."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return keys.get_indexer(column.cat.categories.astype(str))[column.cat.codes.to_numpy()]
    return keys.get_indexer(column.astype(str))


def _aggregate(sums: pd.DataFrame, portfolio: Portfolio, edition: Edition) -> PortfolioResult:
    productions = portfolio.productions
    ids = productions.index
    rows = _positions(sums["assessment"], ids)
    if (rows < 0).any():
        unknown = sums["assessment"].iat[int(np.flatnonzero(rows < 0)[0])]
        raise InvalidAssessment(f"{portfolio.source}: assessment {unknown!r} has lines but no row "
                                "in the production table")
    present = [str(c) for c in sums["category"].unique()]     # observed categories only
    categories = list(CATEGORIES) + [c for c in present if c not in CATEGORIES]
    kg = sums["kgco2e"].to_numpy(dtype=float)

    def matrix(column: str, keys: list[str]) -> pd.DataFrame:
        return matrix_of(sums[column], keys)

    def matrix_of(values: pd.Series, keys: list[str], weights=kg) -> pd.DataFrame:
        cols = _positions(values, pd.Index(keys))
        values = np.bincount(rows * len(keys) + cols, weights=weights,
                             minlength=len(ids) * len(keys))
        return pd.DataFrame(values.reshape(len(ids), len(keys)), index=ids, columns=keys)

    by_category, by_phase = matrix("category", categories), matrix("phase", list(PHASES))
    scopes = sums["ghg_scope"].astype(str).map(scope_of)
    by_scope = matrix_of(scopes, ["1", "2", "3"])
    if "upstream_kgco2e" in sums.columns:           # upstream of scope 1 and 2: to scope 3.3
        moved = matrix_of(scopes, ["1", "2", "3"], sums["upstream_kgco2e"].to_numpy(dtype=float))
        by_scope = by_scope - moved
        by_scope["3"] += moved["1"] + moved["2"]
    by_beges = matrix("beges", list(BEGES_ITEMS))
    assessments = productions.copy()
    assessments["lines"] = np.bincount(rows, weights=sums["lines"].to_numpy(dtype=float),
                                       minlength=len(ids)).astype(np.int64)
    assessments["total_kgco2e"] = by_category.sum(axis=1)
    hours = assessments["content_minutes"] / 60
    assessments["kgco2e_per_hour"] = (assessments["total_kgco2e"] / hours).where(hours > 0)
    return PortfolioResult(edition=edition.name, edition_sha256=edition.sha256,
                           source=portfolio.source, assessments=assessments,
                           by_category=by_category, by_phase=by_phase,
                           by_scope=by_scope, by_beges=by_beges)


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
    out = [f"Portfolio: {result.source}",
           f"{len(a):,} assessments, {int(a['lines'].sum()):,} lines, total "
           f"{result.total_kgco2e / 1000:,.1f} tCO2e",
           f"Edition: {result.edition} (sha256 {result.edition_sha256[:12]}...)", "",
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
