"""Factor explorer: search, filter, compare and trace the factors of an edition.

Pure functions over a loaded :class:`~carbonclap_methods.factors.Edition`:
each returns a new DataFrame, dict or string and displays nothing, so the
explorer notebook only wires them to widgets.

Uncertainty intervals
---------------------
An edition's ``uncertainty_pct`` is ADEME's *Incertitude*, read as the
relative half-width ``u`` of a 95 % interval (DESIGN.md), and Monte Carlo
draws a lognormal with that spread. The interval shown here is that
lognormal's: the factor value ``v`` is the median and ``1 + u`` the ratio of
the 97.5th percentile to it (log-sd ``ln(1 + u) / 1.96``), so

    low = v / (1 + u),    high = v * (1 + u).

It stays positive for any ``u`` (ADEME quotes up to 100 % and more, where the
symmetric ``v * (1 - u)`` would reach zero) and is wider above the value than
below it. For ``u`` = 20 %: low = v / 1.2, high = v * 1.2. :func:`interval`
and :data:`INTERVAL_METHOD` are defined in :mod:`carbonclap_methods.uncertainty`
(one definition shared with the Monte Carlo) and re-exported here.
"""

from __future__ import annotations

import difflib
import html
import math
import unicodedata

import pandas as pd

from .errors import InvalidParameter, UnknownFactor
from .factors import REFERENCE_CATEGORY, Edition
from .results import CATEGORIES
# The lognormal convention is defined once, in uncertainty.py; re-exported here.
from .uncertainty import INTERVAL_METHOD, interval  # noqa: F401
from .vocabulary import LANGS

# Columns a free-text search looks into.
SEARCH_COLUMNS = ("id", "label_fr", "label_en", "activity", "source", "source_id",
                  "geography", "year", "notes")
# Labels of the reference category (equivalence values), which results.CATEGORIES leaves out.
REFERENCE_LABELS = ("Valeurs de référence", "Reference values")
# Letters that Unicode decomposition leaves whole, spelled as French users type them.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "ʼ": "'"})


# Field names of the provenance record, as shown to users: (fr, en).
_FIELD_LABELS = {
    "id": ("Identifiant", "Factor id"),
    "label": ("Libellé", "Label"),
    "category": ("Catégorie", "Category"),
    "activity": ("Activité", "Activity"),
    "value": ("Valeur", "Value"),
    "value_kgco2e": ("Valeur [kgCO2e par unité]", "Value [kgCO2e per unit]"),
    "interval": ("Intervalle à 95 %", "95 % interval"),
    "uncertainty_pct": ("Incertitude [%]", "Uncertainty [%]"),
    "geography": ("Géographie", "Geography"),
    "year": ("Année de validité", "Validity year"),
    "source": ("Source", "Source"),
    "source_id": ("Identifiant dans la source", "Identifier in the source"),
    "url": ("Adresse", "URL"),
    "notes": ("Notes", "Notes"),
    "edition": ("Édition des facteurs", "Factor edition"),
}
_ALL = {"category": ("Toutes les catégories", "All categories"),
        "geography": ("Toutes les géographies", "All geographies")}
# Texts of the explorer notebook's widgets: (fr, en).
UI_TEXT = {
    "search": ("Recherche", "Search"),
    "placeholder": ("électricité, TGV, 43256…", "electricity, TGV, 43256…"),
    "category": ("Catégorie", "Category"),
    "geography": ("Géographie", "Geography"),
    "factor": ("Facteur", "Factor"),
    "found": ("{count} facteur(s)", "{count} factor(s)"),
    "first": ("{limit} premiers affichés", "first {limit} shown"),
    "choose_category": ("Choisissez une catégorie pour tracer ses facteurs.",
                        "Choose a category to chart its factors."),
}


# ---------------------------------------------------------------------------
# Text and labels

def fold(text: str) -> str:
    """Text folded for matching: lower case, accents and ligatures removed.

    ``fold("Électricité")`` and ``fold("ELECTRICITE")`` are both ``"electricite"``;
    ``fold("Bœuf")`` is ``"boeuf"``.
    """
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def lang_index(lang: str) -> int:
    """0 for ``"fr"``, 1 for ``"en"`` (the position in the package's (fr, en) label pairs)."""
    if lang not in LANGS:
        raise InvalidParameter(f"unknown language {lang!r} (use 'fr' or 'en')")
    return LANGS.index(lang)


def ui_text(key: str, lang: str = "en", **fields) -> str:
    """A widget text of the explorer (:data:`UI_TEXT`) in French or English,
    with ``{fields}`` filled in."""
    return UI_TEXT[key][lang_index(lang)].format(**fields)


def category_label(category: str, lang: str = "en") -> str:
    """The French or English label of a result category (or of ``reference``)."""
    check_category(category)
    labels = REFERENCE_LABELS if category == REFERENCE_CATEGORY else CATEGORIES[category]
    return labels[lang_index(lang)]


def check_category(category: str) -> None:
    """Raise :class:`CarbonClapError` naming ``category`` if it is not a known category."""
    if category != REFERENCE_CATEGORY and category not in CATEGORIES:
        known = ", ".join([*CATEGORIES, REFERENCE_CATEGORY])
        raise InvalidParameter(f"unknown category {category!r} (known: {known})")


# ---------------------------------------------------------------------------
# Search and filters

def search(edition: Edition, text: str = "", category: str | None = None,
           geography: str | None = None, source: str | None = None,
           year_range: tuple[int | None, int | None] | None = None) -> pd.DataFrame:
    """Factors matching a free-text query and filters, all combined (AND).

    Parameters
    ----------
    edition : Edition
        A loaded factor edition.
    text : str, default ""
        Words to look for; every word must occur in one of
        :data:`SEARCH_COLUMNS` (id, labels FR/EN, activity, source, source id,
        geography, year, notes). Case, accents and ligatures are ignored:
        ``"electricite"`` finds ``"Électricité"``. Empty matches every factor.
    category : str, optional
        A result category id (``"transport"``, ``"electricity"``...) or
        ``"reference"``. ``None`` or ``""``: every category.
    geography : str, optional
        A geography of the edition (``"FR"``, ``"EU27"``...), case-insensitive.
        ``None`` or ``""``: every geography.
    source : str, optional
        Part of the source name, case- and accent-insensitive
        (``"base carbone"`` matches ``"ADEME Base Carbone V23.6"``).
    year_range : tuple of (int or None, int or None), optional
        Inclusive bounds on the validity year [year]; ``None`` leaves a side open.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``edition.table`` (same columns, indexed by
        factor id, in edition order); empty if nothing matches.

    Raises
    ------
    CarbonClapError
        For an unknown category, a geography absent from the edition, or a
        year range whose low bound is above its high bound.
    """
    table = edition.table
    mask = pd.Series(True, index=table.index)
    if text and text.strip():
        haystack = _haystack(table)
        for word in fold(text).split():
            mask &= haystack.str.contains(word, regex=False)
    if category:
        check_category(category)
        mask &= table["category"] == category
    if geography:
        mask &= table["geography"].str.casefold() == _check_geography(edition, geography)
    if source and source.strip():
        mask &= table["source"].map(fold).str.contains(fold(source.strip()), regex=False)
    if year_range is not None:
        mask &= _year_mask(table["year"], year_range)
    return table.loc[mask.to_numpy()].copy()


def _haystack(table: pd.DataFrame) -> pd.Series:
    joined = table[list(SEARCH_COLUMNS)].astype(str).agg("\n".join, axis=1)
    return joined.map(fold)


def _check_geography(edition: Edition, geography: str) -> str:
    wanted = geography.strip().casefold()
    known = geographies(edition)
    if wanted not in {g.casefold() for g in known}:
        raise InvalidParameter(f"unknown geography {geography!r} in edition {edition.name} "
                              f"(available: {', '.join(known)})")
    return wanted


def _year_mask(years: pd.Series, year_range) -> pd.Series:
    try:
        low, high = year_range
    except (TypeError, ValueError):
        raise InvalidParameter(f"year_range must be a pair (low, high), "
                              f"got {year_range!r}") from None
    if low is not None and high is not None and low > high:
        raise InvalidParameter(f"year_range {year_range!r}: low bound {low} "
                              f"is above high bound {high}")
    mask = pd.Series(True, index=years.index)
    if low is not None:
        mask &= years >= low
    if high is not None:
        mask &= years <= high
    return mask


def geographies(edition: Edition) -> list[str]:
    """The geographies of an edition, sorted."""
    return sorted(edition.table["geography"].unique())


def category_options(edition: Edition, lang: str = "en") -> list[tuple[str, str]]:
    """(label, category id) pairs for a dropdown: "all" (``""``) then the categories
    present in the edition, in Carbon'Clap's report order, reference values last."""
    present = set(edition.table["category"])
    ordered = [c for c in [*CATEGORIES, REFERENCE_CATEGORY] if c in present]
    first = (_ALL["category"][lang_index(lang)], "")
    return [first] + [(category_label(c, lang), c) for c in ordered]


def geography_options(edition: Edition, lang: str = "en") -> list[tuple[str, str]]:
    """(label, geography) pairs for a dropdown: "all" (``""``) then each geography."""
    first = (_ALL["geography"][lang_index(lang)], "")
    return [first] + [(g, g) for g in geographies(edition)]


def factor_options(frame: pd.DataFrame, lang: str = "en") -> list[tuple[str, str]]:
    """(label, factor id) pairs for a picker: ``"<label> · <id>"``, in frame order."""
    lang_index(lang)
    return [(f"{lab} · {fid}", fid) for fid, lab in zip(frame["id"], frame[f"label_{lang}"])]


# ---------------------------------------------------------------------------
# Uncertainty and comparison

def with_interval(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a factor table with ``low_kgco2e`` and ``high_kgco2e`` columns
    [kgCO2e per activity unit], from ``value_kgco2e`` and ``uncertainty_pct``."""
    out = frame.copy()
    out["low_kgco2e"], out["high_kgco2e"] = interval(out["value_kgco2e"].to_numpy(dtype=float),
                                                     out["uncertainty_pct"].to_numpy(dtype=float))
    return out


COMPARE_COLUMNS = ["id", "activity", "geography", "year", "value_kgco2e", "activity_unit",
                   "uncertainty_pct", "low_kgco2e", "high_kgco2e", "source", "source_id",
                   "label_fr", "label_en"]


def compare(edition: Edition, activity_or_prefix: str) -> pd.DataFrame:
    """The same activity across geographies and years, side by side.

    Parameters
    ----------
    edition : Edition
        A loaded factor edition.
    activity_or_prefix : str
        An activity (``"electricity_grid_mix"``): its factors. Otherwise, a
        prefix of activities or factor ids (``"electricity"``, ``"car_"``):
        every factor whose activity or id starts with it.

    Returns
    -------
    pandas.DataFrame
        Indexed by factor id, sorted by activity, geography, year and source,
        with columns :data:`COMPARE_COLUMNS`: ``value_kgco2e``, ``low_kgco2e`` and
        ``high_kgco2e`` [kgCO2e per ``activity_unit``; NaN for reference
        values], ``uncertainty_pct`` [%], ``year`` [year], and the labels, so
        that :func:`carbonclap_methods.charts.category_chart` can draw it.

    Raises
    ------
    CarbonClapError
        If the argument is empty or matches no activity nor id.
    """
    key = (activity_or_prefix or "").strip()
    if not key:
        raise InvalidParameter("compare needs an activity or a prefix, got an empty string")
    table = edition.table
    mask = table["activity"] == key
    if not mask.any():
        mask = table["activity"].str.startswith(key) | table["id"].str.startswith(key)
    if not mask.any():
        raise UnknownFactor(f"no activity nor factor id starts with {key!r} "
                              f"in edition {edition.name}{_suggest(key, table['activity'])}")
    rows = with_interval(table.loc[mask.to_numpy()])
    rows = rows.sort_values(["activity", "geography", "year", "source"], kind="stable")
    return rows[COMPARE_COLUMNS]


def _suggest(key: str, candidates) -> str:
    close = difflib.get_close_matches(key, sorted(set(candidates)), n=3)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


# ---------------------------------------------------------------------------
# Provenance

def provenance(edition: Edition, factor_id: str) -> dict:
    """Everything needed to check one factor at its source.

    Returns
    -------
    dict
        ``id``, ``label_fr``, ``label_en``, ``category``, ``activity``,
        ``value`` [``unit`` per ``activity_unit``], ``unit``, ``activity_unit``,
        ``value_kgco2e`` [kgCO2e per activity unit; None for reference values],
        ``uncertainty_pct`` [%], ``low_kgco2e`` and ``high_kgco2e`` (95 %
        interval, None for reference values), ``interval_method``,
        ``geography``, ``year``, ``source``, ``source_id``, ``url``, ``notes``,
        ``edition``, ``edition_sha256`` and ``licences``. Plain Python types.

    Raises
    ------
    UnknownFactor
        If the id is not in the edition, with the closest ids as suggestions.
    """
    if factor_id not in edition.table.index:
        raise UnknownFactor(f"unknown factor id {factor_id!r} in edition {edition.name}"
                            f"{_suggest(str(factor_id), edition.table.index)}")
    row = edition.table.loc[factor_id]
    value_kg = _number_or_none(row["value_kgco2e"])
    low, high = interval(value_kg, row["uncertainty_pct"]) if value_kg is not None else (None, None)
    record = {name: str(row[name]) for name in
              ("id", "label_fr", "label_en", "category", "activity", "unit", "activity_unit",
               "geography", "source", "source_id", "url", "notes")}
    record.update(value=float(row["value"]), value_kgco2e=value_kg, year=int(row["year"]),
                  uncertainty_pct=float(row["uncertainty_pct"]), low_kgco2e=low,
                  high_kgco2e=high, interval_method=INTERVAL_METHOD, edition=edition.name,
                  edition_sha256=edition.sha256, licences=list(edition.licences))
    return record


def _number_or_none(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def provenance_text(record: dict, lang: str = "en") -> str:
    """A provenance record (from :func:`provenance`) as plain-text lines, labels in FR or EN."""
    i = lang_index(lang)
    value_text = interval_text = "—"
    if record["value_kgco2e"] is not None:
        value_text = f"{record['value_kgco2e']:.6g}"
        interval_text = f"{record['low_kgco2e']:.4g} – {record['high_kgco2e']:.4g} kgCO2e"
    values = {
        "id": record["id"],
        "label": record[f"label_{lang}"],
        "category": category_label(record["category"], lang),
        "activity": record["activity"],
        "value": f"{record['value']:g} {record['unit']} / {record['activity_unit']}",
        "value_kgco2e": value_text,
        "interval": interval_text,
        "uncertainty_pct": f"{record['uncertainty_pct']:g}",
        "geography": record["geography"],
        "year": str(record["year"]),
        "source": record["source"],
        "source_id": record["source_id"] or "—",
        "url": record["url"],
        "notes": record["notes"] or "—",
        "edition": f"{record['edition']} (sha256 {record['edition_sha256'][:12]}…)",
    }
    return "\n".join(f"{_FIELD_LABELS[k][i]}: {v}" for k, v in values.items())


# ---------------------------------------------------------------------------
# Display table

def summary(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A slim view of factor rows for reading: id, label in ``lang``, value
    [kgCO2e per activity unit], activity unit, geography, year, source,
    source id, uncertainty [%]; column names in French or English."""
    i = lang_index(lang)
    columns = {"id": ("id", "id"), f"label_{lang}": ("libellé", "label"),
               "value_kgco2e": ("kgCO2e / unité", "kgCO2e / unit"),
               "activity_unit": ("unité", "unit"), "geography": ("géographie", "geography"),
               "year": ("année", "year"), "source": ("source", "source"),
               "source_id": ("id source", "source id"),
               "uncertainty_pct": ("incertitude %", "uncertainty %")}
    view = frame[list(columns)].rename(columns={k: v[i] for k, v in columns.items()})
    return view.reset_index(drop=True)


def results_html(frame: pd.DataFrame, lang: str = "en", limit: int = 50) -> str:
    """The :func:`summary` of the first ``limit`` rows as an HTML table (cells
    escaped), headed by the number of factors found."""
    head = ui_text("found", lang, count=len(frame))
    if len(frame) > limit:
        head += f" ({ui_text('first', lang, limit=limit)})"
    table = summary(frame.head(limit), lang).to_html(index=False, na_rep="—",
                                                     float_format="{:.4g}".format, border=0)
    return f"<p><b>{html.escape(head)}</b></p>\n{table}"
