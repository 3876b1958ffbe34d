"""The guided assessment: a production type, a questionnaire and live results.

:class:`GuidedAssessment` composes the pieces of this package: the header
(production type, stage, language), the files bar (open, save, Excel,
printable report), the production data, the questionnaire (section
switches and panels), the results panel and the uncertainty panel (run by
its button). Every checked change updates the :class:`.model.AssessmentState`
and recomputes the result with the vectorised engine (:func:`results.assess`);
a user's mistake is shown next to its field and changes nothing else, and any
unexpected problem is shown in the status line instead of being lost in the
kernel's log.

The notebook ``notebooks/guided_assessment.ipynb`` only builds one and
displays ``app.widget``; tests drive the same object by setting widget
values.
"""

from __future__ import annotations

import functools
import sys
import traceback
from html import escape
from pathlib import Path

import ipywidgets as w

from ..assessment import STAGES, Assessment, load_assessment
from ..errors import CarbonClapError
from ..factors import Edition, load_edition
from ..results import assess
from ..templates import list_templates
from ..workbook import workbook_bytes
from . import storage
from .files_panel import FilesPanel
from .form import ProductionForm
from .model import AssessmentState
from .questionnaire import Questionnaire
from .report import report_html
from .results_view import ResultsView
from .style import CSS
from .text import check_lang, tr
from .uncertainty_panel import UncertaintyPanel

LANGUAGE_NAMES = (("Français", "fr"), ("English", "en"))


def guarded(method):
    """Run a callback; show an unexpected exception in the status line, never raise."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - shown to the user and logged
            self.unexpected(exc)
            return None
    return wrapper


class GuidedAssessment:
    """A guided assessment in widgets.

    Parameters
    ----------
    production_type : str, default "podcast"
        Type of the blank assessment to start from.
    lang : {"fr", "en"}, default "fr"
    edition : str, Edition or None
        Factor edition (name, folder or loaded); None for the default.
    assessment : str, Path or Assessment, optional
        An assessment to open instead of a blank one.
    save_folder : str or Path, optional
        Where saves and exports are written (see :func:`.storage.save_dir`).
    chart_delay : float, default 0.3
        Pause in typing before the charts are drawn again [s]; 0 draws at once.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole app, to display.
    state : AssessmentState
        Production data and the last valid value of every line.
    result : dict
        The result document now shown (:func:`results.assess`).
    """

    def __init__(self, production_type: str = "podcast", lang: str = "fr",
                 edition: str | Edition | None = None,
                 assessment: str | Path | Assessment | None = None,
                 save_folder: str | Path | None = None, chart_delay: float = 0.3):
        self.lang = check_lang(lang)
        self.edition = edition if isinstance(edition, Edition) else load_edition(edition)
        self.save_folder = storage.save_dir(save_folder)
        self.state = self._initial_state(production_type, assessment)
        self.result: dict | None = None
        self.last_problem: str | None = None
        self._chart_delay = chart_delay
        self._quiet = False
        self._build()
        self.refresh(charts_now=True)

    def _initial_state(self, production_type, assessment) -> AssessmentState:
        if assessment is None:
            return AssessmentState.blank(production_type)
        if not isinstance(assessment, Assessment):
            assessment = load_assessment(assessment)
        assess(assessment, self.edition)      # refuse what does not compute, before showing it
        return AssessmentState.from_assessment(assessment)

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        self.heading = w.HTML().add_class("cc-heading")
        self.language = w.ToggleButtons(options=LANGUAGE_NAMES, value=self.lang,
                                        style={"button_width": "90px"}).add_class("cc-lang")
        self.type = w.Dropdown(layout=w.Layout(width="300px")).add_class("cc-type")
        self.stage = w.ToggleButtons(style={"button_width": "110px"}).add_class("cc-stage")
        self.type_label, self.stage_label = w.HTML(), w.HTML()
        self.edition_note = w.HTML().add_class("cc-edition")
        self.fix_note = w.HTML().add_class("cc-fix")
        self.production_title = w.HTML()
        self.production = ProductionForm(self.state.production, self.lang,
                                         self._production_changed, self._show_fix_count)
        self.questionnaire = Questionnaire(self.state, self.edition, self.lang, self.refresh,
                                           self._show_fix_count)
        self.results = ResultsView(self._chart_delay, on_problem=self.unexpected)
        self.uncertainty = UncertaintyPanel(self.edition, self.lang, self._chart_delay,
                                            on_problem=self.unexpected)
        self.uncertainty.button.on_click(lambda _: self.estimate_uncertainty())
        self.files = FilesPanel(self.lang, self._file_name(), self.open_file, self.save,
                                self.export_xlsx, self.export_report)
        self.results_title = w.HTML()
        self.widget = self._layout()
        self._set_header_values()
        self.language.observe(lambda c: self.set_lang(c["new"]), "value")
        self.type.observe(lambda c: self._type_changed(c["new"]), "value")
        self.stage.observe(lambda c: self._stage_changed(c["new"]), "value")
        self._relabel_header()

    def _layout(self) -> w.VBox:
        """Header, files bar, then the form and the results side by side, each
        scrolling on its own so that the results stay in view."""
        left = w.VBox([self.production_title, self.production.widget, self.questionnaire.widget],
                      layout=w.Layout(flex="1 1 auto", min_width="790px")).add_class("cc-pane")
        right = w.VBox([self.results_title, self.results.widget, self.uncertainty.widget],
                       layout=w.Layout(flex="0 0 500px", width="500px", margin="0 0 0 16px",
                                       padding="0 8px 0 0")).add_class("cc-pane")
        return w.VBox([
            w.HTML(CSS),
            w.HBox([self.heading, self.language], layout=w.Layout(
                justify_content="space-between", align_items="center")),
            w.HBox([self.type_label, self.type, self.stage_label, self.stage],
                   layout=w.Layout(align_items="center", grid_gap="8px")),
            self.edition_note, self.files.widget, self.fix_note,
            w.HBox([left, right], layout=w.Layout(align_items="flex-start")),
        ]).add_class("cc-app")

    def _file_name(self) -> str:
        return storage.slug(self.state.production.get("title") or
                            self.state.production["type"]) + ".yaml"

    def _set_header_values(self) -> None:
        self._quiet = True
        try:
            self.type.options = [(t.label(self.lang), t.type) for t in list_templates()]
            self.type.value = self.state.production["type"]
            self.stage.options = [(tr(s, self.lang), s) for s in STAGES]
            self.stage.value = self.state.production.get("stage", "forecast")
        finally:
            self._quiet = False

    def _relabel_header(self) -> None:
        lang = self.lang
        self.heading.value = (f"<h2>{escape(tr('app_title', lang))}</h2>"
                              f'<div class="cc-subtitle">{escape(tr("app_subtitle", lang))}</div>')
        self.type_label.value = f"<b>{escape(tr('type', lang))}</b>"
        self.stage_label.value = f"<b>{escape(tr('stage', lang))}</b>"
        self.edition_note.value = escape(tr("edition_draft" if self.edition.draft else "edition",
                                            lang, name=self.edition.name,
                                            sha=self.edition.sha256[:12]))
        self.production_title.value = f"<h4>{escape(tr('production', lang))}</h4>"
        self.results_title.value = f"<h4>{escape(tr('results', lang))}</h4>"

    # -- recomputing -----------------------------------------------------------

    @guarded
    def refresh(self, charts_now: bool = False) -> None:
        """Recompute the result from the state and show it (charts maybe later)."""
        assessment = self.state.assessment()
        try:
            result = assess(assessment, self.edition)
        except CarbonClapError as exc:          # checked inputs make this rare
            self.files.tell("not_computed", {"message": str(exc)}, bad=True)
            return
        self.result = result
        kgs = dict(zip(assessment.lines.index, (line["kgco2e"] for line in result["lines"])))
        self.questionnaire.show_kg(kgs)
        self.results.show(result, self.lang, self.line_label, charts_now=charts_now)
        self.uncertainty.follow(self.state.frame())
        self._show_fix_count()

    @guarded
    def estimate_uncertainty(self) -> None:
        """Run the Monte Carlo estimate of the current lines (the « Estimer
        l'incertitude » button); see :mod:`.uncertainty_panel`."""
        count = self.questionnaire.problem_count + self.production.problem_count
        self.uncertainty.estimate(self.state.frame(), fields_to_fix=count)

    def line_label(self, record: dict) -> str:
        """The name of a line record in the current language: its field's label,
        else its factor's label."""
        template = self.state.template
        section_id, field_id = record.get("section"), record.get("field")
        if section_id in template.section_ids:
            section = template.section(section_id)
            item = next((f for f in section.fields if f.id == field_id), None)
            if item is not None:
                return item.label(self.lang)
        table = self.edition.table
        factor = record["factor"]
        return str(table.at[factor, f"label_{self.lang}"]) if factor in table.index else factor

    @guarded
    def _show_fix_count(self) -> None:
        count = self.questionnaire.problem_count + self.production.problem_count
        text = escape(tr("fields_to_fix", self.lang, count=count))
        self.fix_note.value = f'<span class="cc-bad">{text}</span>' if count else ""

    # -- header callbacks ------------------------------------------------------

    @guarded
    def set_lang(self, lang: str) -> None:
        """Show every label, message, number and chart in ``lang`` ("fr" or "en")."""
        self.lang = check_lang(lang)
        if self.language.value != lang:
            self.language.value = lang
        self._set_header_values()
        self._relabel_header()
        self.production.relabel(lang)
        self.questionnaire.relabel(lang)
        self.files.relabel(lang)
        self.uncertainty.relabel(lang)
        self.refresh(charts_now=True)

    @guarded
    def _type_changed(self, production_type: str) -> None:
        if self._quiet or production_type == self.state.production["type"]:
            return
        self.state.set_type(production_type)
        self.questionnaire.build()
        self.refresh(charts_now=True)

    @guarded
    def _stage_changed(self, stage: str) -> None:
        if not self._quiet:
            self.state.production["stage"] = stage

    @guarded
    def _production_changed(self, key: str, value) -> None:
        if self._quiet:
            return
        if value is None or (key == "title" and not value):
            self.state.production.pop(key, None)
        else:
            self.state.production[key] = value
        if key != "title":
            self.refresh()

    # -- files -----------------------------------------------------------------

    @guarded
    def open_file(self, name: str, content: bytes) -> bool:
        """Open an assessment file's bytes; on any problem keep the current one.

        Returns True if the file was opened.
        """
        try:
            assessment = storage.read_upload(name, content, self.edition)
        except CarbonClapError as exc:
            self.files.tell("load_refused", {"message": str(exc)}, bad=True)
            return False
        self._replace_state(AssessmentState.from_assessment(assessment), Path(name).name)
        self.files.tell("loaded", {"name": Path(name).name, "count": len(assessment.lines)},
                        links="")
        return True

    def open_path(self, path: str | Path) -> bool:
        """Open an assessment file from disk (see :meth:`open_file`)."""
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.files.tell("load_refused", {"message": f"{path}: {exc.strerror}"}, bad=True)
            return False
        return self.open_file(path.name, content)

    def _replace_state(self, state: AssessmentState, file_name: str = "") -> None:
        self.state = state
        self._quiet = True
        try:
            self.production.load(state.production)
        finally:
            self._quiet = False
        self._set_header_values()
        self.questionnaire.state = state
        self.questionnaire.build()
        self.files.name.value = (file_name if storage.check_file_name(file_name)
                                 else Path(file_name).stem + ".yaml" if file_name
                                 else self._file_name())
        self.refresh(charts_now=True)

    def _save_name(self) -> str | None:
        name = storage.check_file_name(self.files.name.value)
        if name is None:
            self.files.tell("bad_file_name", {"name": self.files.name.value}, bad=True)
        return name

    def _write(self, name: str, payload: str | bytes) -> tuple[Path, str] | None:
        try:
            path = storage.write_file(self.save_folder, name, payload)
        except CarbonClapError as exc:
            self.files.tell("save_refused", {"message": str(exc)}, bad=True)
            return None
        return path, storage.download_link(name, payload, tr("download", self.lang, name=name))

    def _tell_written(self, path: Path, link: str) -> None:
        count = self.questionnaire.problem_count + self.production.problem_count
        if count:
            self.files.tell("saved_with_fixes", {"path": str(path), "count": count}, bad=True,
                            links=link)
        else:
            self.files.tell("saved", {"path": str(path)}, links=link)

    @guarded
    def save(self) -> Path | None:
        """Save the assessment (YAML or JSON, by the file name) in the save folder."""
        name = self._save_name()
        if name is None:
            return None
        try:
            text = storage.assessment_text(self.state.to_data(), Path(name).suffix)
        except CarbonClapError as exc:
            self.files.tell("save_refused", {"message": str(exc)}, bad=True)
            return None
        written = self._write(name, text)
        if written:
            self._tell_written(*written)
            return written[0]
        return None

    @guarded
    def export_xlsx(self) -> Path | None:
        """Write the assessment as an Excel workbook (labels in the current language)."""
        name = self._save_name()
        if name is None:
            return None
        data = self.state.to_data()
        written = self._write(Path(name).stem + ".xlsx", workbook_bytes(data, self.lang))
        if written:
            self._tell_written(*written)
            return written[0]
        return None

    @guarded
    def export_report(self) -> Path | None:
        """Write the printable HTML report (static SVG charts) of the current result."""
        name = self._save_name()
        if name is None:
            return None
        self.refresh(charts_now=True)
        lang = self.lang
        html_text = report_html(
            {**self.result, "production": dict(self.state.production)}, lang,
            self.results.svgs(self.result, lang, self.line_label), self.edition,
            self.line_label,
            type_label=self.state.template.label(lang),
            stage=tr(self.state.production.get("stage", "forecast"), lang))
        suffix = "-rapport.html" if lang == "fr" else "-report.html"
        written = self._write(Path(name).stem + suffix, html_text)
        if written:
            self._tell_written(*written)
            return written[0]
        return None

    # -- problems ----------------------------------------------------------------

    def unexpected(self, exc: BaseException) -> None:
        """Show an unexpected exception in the status line and log its traceback."""
        self.last_problem = "".join(traceback.format_exception(exc))
        sys.stderr.write(self.last_problem)
        try:
            self.files.tell("unexpected", {"kind": type(exc).__name__, "message": str(exc)},
                            bad=True)
        except Exception:  # noqa: BLE001 - the status line itself failed: the log has it
            pass


__all__ = ["GuidedAssessment", "guarded"]
