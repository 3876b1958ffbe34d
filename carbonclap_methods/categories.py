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


def field_values(lines: pd.DataFrame, fallback: np.ndarray,
                 table: dict[tuple[str, str], str]) -> np.ndarray:
    """A per-field value for every line: the field's where the line answers a
    known field (its ``section`` and ``field`` are a key of ``table``), else
    ``fallback`` (same length as ``lines``).

    The one rule behind a line's result category, GHG scope, BEGES item and
    data-quality level.
    """
    out = np.asarray(fallback, dtype=object).copy()
    if "section" not in lines.columns or "field" not in lines.columns or not len(lines):
        return out
    # Distinct (section, field) pairs only: a portfolio has millions of lines
    # but a few hundred pairs.
    section_codes, sections = pd.factorize(lines["section"].astype(object).where(
        lines["section"].notna(), ""))
    field_codes, fields = pd.factorize(lines["field"].astype(object).where(
        lines["field"].notna(), ""))
    width = max(len(fields), 1)
    pair_codes, pairs = pd.factorize(section_codes.astype(np.int64) * width + field_codes)
    mapped = np.array([table.get((str(sections[p // width]), str(fields[p % width])))
                       for p in pairs], dtype=object)
    known = np.array([m is not None for m in mapped], dtype=bool)
    if known.any():
        hit = known[pair_codes]
        out[hit] = mapped[pair_codes[hit]]
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
