"""The words every layer shares: the assessment format, production types,
stages, phases, production amounts, the languages of the labels, and the
labels of phases and units in French and English (one catalogue: the app,
the report and the workbook all show these), and how each language writes
a number.

A leaf module: it imports nothing from the package, and everything may
import it.
"""

FORMAT = "carbonclap-assessment/1"

# Carbon'Clap's production types (audiovisual, then sound production).
PRODUCTION_TYPES = (
    "feature_film", "tv_film", "fiction_series", "short_film", "documentary",
    "entertainment", "magazine_news", "live_capture", "advertising",
    "music_corporate_video", "animation",
    "podcast", "radio_show", "audio_advertising",
)
# The CNC's two assessments: forecast (bilan prévisionnel), final (bilan définitif).
STAGES = ("forecast", "final")
PHASES = ("preparation", "production", "post-production")
# Production keys holding amounts; each must be a finite number >= 0.
PRODUCTION_NUMBERS = ("content_minutes", "episodes", "budget_eur", "days")
# Languages of every label a person reads, in the order label pairs are written (fr, en).
LANGS = ("fr", "en")

# Phases as people read them (fr, en); the app, the report and the workbook show these.
PHASE_LABELS = {
    "preparation": ("Préparation", "Preparation"),
    "production": ("Tournage / enregistrement", "Shooting / recording"),
    "post-production": ("Post-production", "Post-production"),
}

# Stages of an assessment as people read them (fr, en).
STAGE_LABELS = {"forecast": ("Prévisionnel", "Forecast"), "final": ("Définitif", "Final")}

# Units as people read them (fr, en); ids stay in tooltips and technical columns.
# Money units (kEUR_2023) are written by :func:`unit_label` from their parts.
UNIT_LABELS = {
    "passenger_km": ("passager·km", "passenger-km"),
    "vehicle_km": ("véhicule·km", "vehicle-km"),
    "tonne_km": ("tonne·km", "tonne-km"),
    "m3_km": ("m³·km", "m³-km"),
    "TB_year": ("To·an", "TB-year"),
    "GB_year": ("Go·an", "GB-year"),
    "GB": ("Go", "GB"),
    "TB": ("To", "TB"),
    "FTE_hour": ("heure ETP", "FTE hour"),
    "person_year": ("personne·an", "person-year"),
    "person_day": ("personne·jour", "person-day"),
    "studio_hour": ("heure de studio", "studio hour"),
    "studio": ("studio", "studio"),
    "kit_day": ("kit·jour d'utilisation", "kit-day of use"),
    "passenger": ("passager", "passenger"),
    "person": ("personne", "person"),
    "full_time_equivalent_hour": ("heure ETP", "FTE hour"),
    "item": ("unité", "item"),
    "meal": ("repas", "meal"),
    "night": ("nuitée", "night"),
    "hour": ("heure", "hour"),
    "minute": ("minute", "minute"),
    "mile": ("mile", "mile"),
    "m2": ("m²", "m²"),
    "m3": ("m³", "m³"),
    "L": ("litre", "litre"),
    "t": ("tonne", "tonne"),
    "kg": ("kg", "kg"),
    "kWh": ("kWh", "kWh"),
    "MWh": ("MWh", "MWh"),
    "km": ("km", "km"),
    "g": ("g", "g"),
    "dimensionless": ("sans unité", "no unit"),
}
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
# Label -> unit id, the first id of UNIT_LABELS for a label two ids share.
_UNIT_BY_LABEL = {label: unit for unit, labels in reversed(UNIT_LABELS.items())
                  for label in labels}
# Separators a unit label may be typed with: « passager·km », « passager.km »
# (the factor labels' notation), « passager-km », « passager km »; m3 for m³.
_UNIT_SEPARATORS = str.maketrans({"·": " ", ".": " ", "-": " ", "\u2019": "'", "²": "2",
                                  "³": "3"})


def _unit_words(text: str, fold: bool) -> str:
    """A unit label as it is matched when not typed exactly: separators
    equivalent, a trailing plural s or x of each word dropped, case folded if
    ``fold``."""
    words = str(text).translate(_UNIT_SEPARATORS).split()
    if fold:
        words = [w.casefold() for w in words]
    return " ".join(w[:-1] if len(w) > 2 and w[-1] in "sx" else w for w in words)


def _unit_index(fold: bool) -> dict[str, set[str]]:
    """Matched form -> the unit ids it may stand for. Case is folded only for
    labels written in lower case (« passager·km », « nuitée »): the case of a
    symbol carries its meaning (MWh is not mWh, Go is not go)."""
    index: dict[str, set[str]] = {}
    for label, unit in _UNIT_BY_LABEL.items():
        if not fold or label == label.lower():
            index.setdefault(_unit_words(label, fold), set()).add(unit)
    return index


_UNIT_LOOSE = (_unit_index(False), _unit_index(True))


def unit_label(unit: str, lang: str) -> str:
    """A unit id as people read it in ``lang`` ("fr" or "en"): ``passenger_km``
    -> « passager·km », ``kEUR_2023`` -> « k€ (2023) »; an unknown id is shown
    as it is."""
    unit = str(unit)
    if unit in UNIT_LABELS:
        return UNIT_LABELS[unit][LANGS.index(lang)]
    prefix, _, year = unit.partition("_")
    thousands = prefix.startswith("k") and prefix[1:] in CURRENCY_SYMBOLS
    currency = prefix[1:] if thousands else prefix
    if currency in CURRENCY_SYMBOLS and year.isdigit():
        return f"{'k' if thousands else ''}{CURRENCY_SYMBOLS[currency]} ({year})"
    return unit


def unit_from_label(text: str) -> str | None:
    """The unit id a label of :func:`unit_label` stands for, in either language;
    None if ``text`` is no unit label. A label shared by two ids (``heure ETP``)
    names the first of :data:`UNIT_LABELS`.

    Typed otherwise, a label is still found if it names one label only once
    the separators · . - and space are taken as one, a trailing plural s or x
    of each word is dropped, the typographic apostrophe is read as ', ² and ³
    as 2 and 3, and the
    case of labels written in lower case is ignored: « Passager.km »,
    « passager-km », « nuitées ». Symbols keep their case (``MWh`` is not
    ``mWh``)."""
    text = " ".join(str(text).split())
    if text in _UNIT_BY_LABEL:
        return _UNIT_BY_LABEL[text]
    for fold, index in zip((False, True), _UNIT_LOOSE):
        units = index.get(_unit_words(text, fold), set())
        if len(units) == 1:
            return next(iter(units))
        if units:
            return None                     # several units: refused, as a typo would be
    for code, symbol in CURRENCY_SYMBOLS.items():
        for thousands in ("k", ""):
            head = f"{thousands}{symbol} ("
            if text.startswith(head) and text.endswith(")") and text[len(head):-1].isdigit():
                return f"{thousands}{code}_{text[len(head):-1]}"
    return None


# How a number is written in each language: a French reader reads ``14 183,5``
# (narrow no-break space between thousands, decimal comma), an English one ``14,183.5``.
FRENCH_THOUSANDS = "\u202f"


def localized_number(text: str, lang: str) -> str:
    """A number Python wrote the English way (``f"{x:,.1f}"``: ``14,183.5``), as
    ``lang`` writes it: ``14 183,5`` in French (:data:`FRENCH_THOUSANDS`), as is
    in English. ``text`` holds the number only (other commas would be changed)."""
    return text.replace(",", FRENCH_THOUSANDS).replace(".", ",") if lang == "fr" else text
