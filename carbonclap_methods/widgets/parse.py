"""Checking what a user types in a form field, before it reaches the assessment.

Each check returns the accepted value, or a :class:`Problem` (a text key of
:mod:`.text` and its fields) that the form shows next to the field; nothing
here raises for a user's mistake. Units are checked against the factor's
activity unit with the same conversions as the engine (pint, then the
edition's money tables), once per distinct pair.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..errors import CarbonClapError, UnitMismatch, UnknownUnit
from ..factors import Edition
from ..money import money_factor, money_parts
from ..units import conversion_factor
from .text import tr

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# Spaces a French user may type between thousands: space, no-break, narrow no-break.
_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_EN_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")
# "times" between the factors of a product: ×, x, X or *, spaces allowed around it.
_TIMES = re.compile(r"\s*[×xX*]\s*")
_COUNTRY = re.compile(r"[A-Za-z]{2}")

# Units offered next to a field's own unit (the user may type any other one).
UNIT_SUGGESTIONS = {
    "km": ("km", "mile"),
    "kg": ("kg", "t", "g"),
    "t": ("t", "kg"),
    "L": ("L", "m3"),
    "kWh": ("kWh", "MWh"),
    "GB": ("GB", "TB"),
    "TB_year": ("TB_year", "GB_year"),
    "hour": ("hour", "minute"),
    "kEUR_2023": ("kEUR_2023", "kEUR_2024", "kEUR_2025", "EUR_2025", "kGBP_2024", "kUSD_2024"),
}


@dataclass(frozen=True)
class Problem:
    """A user mistake: a text key of :data:`.text.TEXT` and its fields."""

    key: str
    fields: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """The problem in French or English."""
        return tr(self.key, lang, **self.fields)


def parse_number(text: str, empty: float | None = 0.0, lang: str = "en") -> float | None | Problem:
    """A number >= 0 typed in a text box, read the way ``lang`` writes numbers.

    Parameters
    ----------
    text : str
        What the user typed. Spaces (normal, no-break, narrow no-break)
        between groups of three digits are accepted in both languages
        (``14 183``). In French the decimal separator is a comma (``45,5``;
        a point is read as a decimal point too: ``45.5``). In English, commas
        group thousands (``1,234.5``); a lone decimal comma (``12,5``) gets its
        own message.
        A product is worked out, for the counts a producer multiplies:
        travellers × trips × km, people × nights (``3 × 2 × 465``, ``4 x 5``,
        ``12*3``).
    empty : float or None, default 0.0
        The value of an empty box.
    lang : {"fr", "en"}, default "en"

    Returns
    -------
    float, None or Problem
        The number, ``empty`` for a blank box, or the problem: ``bad_comma``,
        ``bad_mixed``, ``bad_number``, ``bad_finite`` or ``bad_negative``.
    """
    stripped = str(text).strip()
    if not stripped:
        return empty
    factors = _TIMES.split(stripped)
    if len(factors) > 1:
        values = [parse_number(f, None, lang) for f in factors]
        problem = next((v for v in values if isinstance(v, Problem)), None)
        if problem is not None or None in values:
            return problem or Problem("bad_number", {"text": stripped})
        product = math.prod(values)
        return product if math.isfinite(product) else Problem("bad_finite", {"text": stripped})
    return _single_number(stripped, lang)


def is_product(text: str) -> bool:
    """Whether ``text`` is typed as a product (``3 × 930``): kept as typed."""
    return len(_TIMES.split(str(text).strip())) > 1


def _single_number(text: str, lang: str) -> float | Problem:
    stripped = _GROUP_SPACES.sub("", text)
    if stripped.lower().lstrip("+-") in ("inf", "nan", "infinity"):
        return Problem("bad_finite", {"text": stripped})
    plain = _plain(stripped, lang)
    if isinstance(plain, Problem):
        return plain
    if not _NUMBER.fullmatch(plain):
        return Problem("bad_number", {"text": stripped})
    value = float(plain)
    if not math.isfinite(value):
        return Problem("bad_finite", {"text": stripped})
    if value < 0:
        return Problem("bad_negative", {"text": stripped})
    return value


def _plain(text: str, lang: str) -> str | Problem:
    """``text`` with a point as decimal separator and no thousands separator."""
    if "," not in text:
        return text
    if lang == "fr":
        if "." in text or text.count(",") > 1:
            return Problem("bad_mixed", {"text": text})
        return text.replace(",", ".")
    if _EN_GROUPED.fullmatch(text):
        return text.replace(",", "")
    fixed = text.replace(",", ".", 1)
    if text.count(",") == 1 and _NUMBER.fullmatch(fixed):
        return Problem("bad_comma", {"fixed": fixed})
    return Problem("bad_number", {"text": text})


def parse_country(text: str) -> str | None | Problem:
    """An ISO 3166 two-letter code (upper-cased), None when blank, or ``bad_country``."""
    stripped = str(text).strip()
    if not stripped:
        return None
    if not _COUNTRY.fullmatch(stripped):
        return Problem("bad_country", {"text": stripped})
    return stripped.upper()


# (unit, activity unit, edition sha256) -> None if the pair converts, else the error.
_PAIRS: dict[tuple[str, str, str], CarbonClapError | None] = {}


def _pair_error(unit: str, activity_unit: str, edition: Edition) -> CarbonClapError | None:
    """Why ``unit`` does not convert to ``activity_unit`` (None if it does), cached."""
    key = (unit, activity_unit, edition.sha256)
    if key not in _PAIRS:
        try:
            try:
                conversion_factor(unit, activity_unit)
            except UnitMismatch:
                if not (money_parts(unit) and money_parts(activity_unit)):
                    raise
                money_factor(unit, activity_unit, edition)
            _PAIRS[key] = None
        except CarbonClapError as exc:
            _PAIRS[key] = exc
    return _PAIRS[key]


def unit_problem(unit: str, activity_unit: str, edition: Edition) -> Problem | None:
    """None if ``unit`` converts to ``activity_unit`` (as the engine does), else the problem.

    Parameters
    ----------
    unit : str
        The unit the user chose or typed for a line.
    activity_unit : str
        The activity unit of the line's factor.
    edition : Edition
        Edition whose price index and exchange rates convert money.
    """
    unit = str(unit).strip()
    if not unit:
        return Problem("bad_unit_empty")
    error = _pair_error(unit, activity_unit, edition)
    if error is None:
        return None
    if isinstance(error, UnknownUnit):
        return Problem("bad_unit_unknown", {"unit": unit})
    return Problem("bad_unit", {"unit": unit, "activity_unit": activity_unit})


def unit_options(unit: str, activity_unit: str, edition: Edition) -> tuple[str, ...]:
    """Units to suggest for a line: its own unit first, then those of
    :data:`UNIT_SUGGESTIONS` that convert to ``activity_unit``."""
    options = [unit] + [u for u in UNIT_SUGGESTIONS.get(unit, ()) if u != unit]
    return tuple(u for i, u in enumerate(options)
                 if i == 0 or unit_problem(u, activity_unit, edition) is None)
