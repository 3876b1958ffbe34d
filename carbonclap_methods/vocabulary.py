"""The words every layer shares: the assessment format, production types,
stages, phases, production amounts and the languages of the labels.

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
# How a number is written in each language: a French reader reads ``14 183,5``
# (narrow no-break space between thousands, decimal comma), an English one ``14,183.5``.
FRENCH_THOUSANDS = "\u202f"


def localized_number(text: str, lang: str) -> str:
    """A number Python wrote the English way (``f"{x:,.1f}"``: ``14,183.5``), as
    ``lang`` writes it: ``14 183,5`` in French (:data:`FRENCH_THOUSANDS`), as is
    in English. ``text`` holds the number only (other commas would be changed)."""
    return text.replace(",", FRENCH_THOUSANDS).replace(".", ",") if lang == "fr" else text
