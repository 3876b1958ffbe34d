"""The guided assessment in ipywidgets, built from the questionnaire templates.

One idea per module: :mod:`.text` (every label, French and English),
:mod:`.parse` (checking what is typed), :mod:`.model` (the assessment being
filled), :mod:`.form` (a line's and the production's widgets),
:mod:`.questionnaire` (sections and their panels), :mod:`.summary` (a result
as HTML), :mod:`.dimensions_view` (scopes, BEGES items, GWP sets, biogenic
CO2, contrails and electricity, as HTML and as result-sheet rows), :mod:`.result_charts`
(the rows of a result's charts, drawn by
:mod:`carbonclap_methods.charts`),
:mod:`.results_view` (the results panel, charts drawn as static SVG),
:mod:`.uncertainty_panel` (Monte Carlo on request), :mod:`.background`
(charts drawn by the worker, callbacks guarded),
:mod:`.report` (the printable report), :mod:`.storage` (files),
:mod:`.files_panel` (the files bar), :mod:`.welcome` (the first screen),
:mod:`.draft` (the autosaved draft), :mod:`.compare_panel` (forecast against
final), :mod:`.distance_panel` (the trip-distance helper),
:mod:`.checklist` (documents to collect), :mod:`.dashboard` (a folder's
assessments side by side), :mod:`.app` (all of it together) and
:mod:`.serve` (the web app, with Voilà). :mod:`.scenario_explorer` is the
audio scenario explorer (``carbonclap app scenarios``).
"""

__all__ = ["GuidedAssessment"]


def __getattr__(name: str):
    # Imported on first use, so that ``carbonclap app`` starts Voilà without
    # loading ipywidgets and altair in the launching process.
    if name == "GuidedAssessment":
        from .app import GuidedAssessment
        return GuidedAssessment
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
