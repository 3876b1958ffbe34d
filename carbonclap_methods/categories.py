"""Carbon'Clap's result categories and the rule that gives a line its category.

The vocabulary sits at the bottom of the package: templates, the engine and
everything that reports a split import it from here.

The rule (one place for compute, compare, portfolio, workbook, app and
studies): a line that answers a questionnaire field (its ``section`` and
``field`` name a field of the templates) feeds the Carbon'Clap category that
field declares, whatever factor prices it (equipment hire is technical
equipment even when a monetary ratio of machinery computes it). A line with no
section/field, or one naming a field the questionnaires do not have, falls
back to its factor's own category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Carbon'Clap's result categories, in the order its reports show them
# (DESIGN.md; Ecoprod, Rapport Carbon'Clap 2024), plus studio use for sound
# production. Labels: (fr, en).
CATEGORIES = {
    "transport": ("Transports", "Transport"),
    "purchases": ("Achats (décors, costumes, maquillage, effets)", "Purchases of goods (sets, costumes, make-up, SFX)"),
    "food": ("Alimentation", "Food"),
    "technical_equipment": ("Matériel technique", "Technical equipment"),
    "post_production": ("Prestations de post-production", "Post-production services"),
    "services": ("Services et assurances", "Services and insurance"),
    "generators": ("Groupes électrogènes", "Generators"),
    "accommodation": ("Hébergement", "Accommodation"),
    "electricity": ("Électricité", "Electricity"),
    "heating": ("Chauffage", "Heating"),
    "digital": ("Numérique", "Digital data"),
    "waste": ("Déchets", "Waste"),
    "air_conditioning": ("Climatisation", "Air-conditioning"),
    "buildings": ("Bâtiments", "Buildings"),
    "studio_use": ("Utilisation de studio", "Studio use"),
}

_SEP = "\x1f"


def field_pairs(lines: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str]]] | None:
    """Each line's code in the list of distinct ``(section, field)`` pairs, or
    ``None`` when the lines have no section/field columns. Computed once and
    shared by every per-field lookup of a table of lines."""
    if "section" not in lines.columns or "field" not in lines.columns or not len(lines):
        return None
    # Distinct pairs only: a portfolio has millions of lines but a few hundred pairs.
    sections = lines["section"].to_numpy(dtype=object, na_value="")
    fields = lines["field"].to_numpy(dtype=object, na_value="")
    section_codes, section_uniques = pd.factorize(sections)
    field_codes, field_uniques = pd.factorize(fields)
    width = max(len(field_uniques), 1)
    codes, uniques = pd.factorize(section_codes.astype(np.int64) * width + field_codes)
    pairs = [(str(section_uniques[u // width]), str(field_uniques[u % width])) for u in uniques]
    return codes, pairs


def field_values(lines: pd.DataFrame, fallback: np.ndarray,
                 table: dict[tuple[str, str], str],
                 pairs: tuple[np.ndarray, list] | None = None) -> np.ndarray:
    """A per-field value for every line: the field's where the line answers a
    known field (its ``section`` and ``field`` are a key of ``table``), else
    ``fallback`` (same length as ``lines``). ``pairs``: :func:`field_pairs`
    of ``lines``, when already computed.

    The one rule behind a line's result category, GHG scope, BEGES item and
    data-quality level.
    """
    out = np.asarray(fallback, dtype=object).copy()
    if pairs is None:
        pairs = field_pairs(lines)
    if pairs is None:
        return out
    codes, keys = pairs
    mapped = np.array([table.get(key) for key in keys] or [None], dtype=object)
    known = np.array([m is not None for m in mapped], dtype=bool)
    if known.any():
        hit = known[codes]
        out[hit] = mapped[codes[hit]]
    return out


def line_categories(lines: pd.DataFrame, factor_categories: np.ndarray,
                    field_categories: dict[tuple[str, str], str]) -> np.ndarray:
    """The result category of every line.

    Parameters
    ----------
    lines : pandas.DataFrame
        Activity lines; optional ``section`` and ``field`` columns (text,
        empty or missing where a line answers no field).
    factor_categories : numpy.ndarray
        The category of each line's factor (same length as ``lines``).
    field_categories : dict
        ``(section, field) -> category`` of the questionnaire fields
        (:func:`templates.field_categories`).

    Returns
    -------
    numpy.ndarray
        Of str (object): the field's category where the line answers a known
        field, else the factor's.
    """
    return field_values(lines, factor_categories, field_categories)
