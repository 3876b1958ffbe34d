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
import os
import sys
import traceback
from html import escape
from pathlib import Path

import ipywidgets as w

from ..assessment import STAGES, Assessment, from_dict, load_assessment
from ..errors import CarbonClapError
from ..factors import Edition, load_edition
from ..results import assess
from ..templates import get_template, list_templates
from ..workbook import workbook_bytes
from . import draft as drafts
from . import storage
from .background import guard, running_loop
from .checklist import checklist_csv
from .dashboard import dashboard_html
from .compare_panel import ComparePanel
from .distance_panel import DistancePanel, banded_factor
from .files_panel import FilesPanel
from .form import ProductionForm
from .model import AssessmentState
from .plan_panel import PlanPanel
from .questionnaire import Questionnaire
from .report import line_name, report_html, workbook_result_rows
from .results_view import ResultsView
from .style import CSS
from .summary import total_html
from .text import check_lang, tr
from .uncertainty_panel import UncertaintyPanel
from .welcome import Welcome

LANGUAGE_NAMES = (("Français", "fr"), ("English", "en"))
DRAFT_DELAY = 1.0         # pause in typing before the draft is written [s]


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
    welcome : bool, default False
        Open on the first screen (type and stage, an example, a file or the
        draft) instead of the form (the served app does).
    autosave : bool, default False
        Write a draft to the save folder after each change (:mod:`.draft`);
        the served app does, and its first screen offers to restore it.

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
                 save_folder: str | Path | None = None, chart_delay: float = 0.3,
                 welcome: bool = False, autosave: bool = False):
        self.lang = check_lang(lang)
        self.edition = edition if isinstance(edition, Edition) else load_edition(edition)
        self.save_folder = storage.save_dir(save_folder)
        self.state = self._initial_state(production_type, assessment)
        self.result: dict | None = None
        self.last_problem: str | None = None
        self.autosave = autosave
        self.unsaved = False              # changed since opened or saved
        self._name_chosen = assessment is not None
        self._draft_handle = None
        self._chart_delay = chart_delay
        self._quiet = False
        self._naming = False
        self._build(welcome)
        self.refresh(charts_now=True)

    def _initial_state(self, production_type, assessment) -> AssessmentState:
        if assessment is None:
            return AssessmentState.blank(production_type)
        if not isinstance(assessment, Assessment):
            assessment = load_assessment(assessment)
        assess(assessment, self.edition)      # refuse what does not compute, before showing it
        return AssessmentState.from_assessment(assessment)

    # -- building ------------------------------------------------------------

    def _build(self, welcome: bool) -> None:
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
        self.questionnaire = Questionnaire(self.state, self.edition, self.lang,
                                           self._lines_changed, self._show_fix_count)
        self.results = ResultsView(self._chart_delay, on_problem=self.unexpected,
                                   factor_name=self.factor_label)
        self.uncertainty = UncertaintyPanel(self.edition, self.lang, self._chart_delay,
                                            on_problem=self.unexpected)
        self.uncertainty.button.on_click(lambda _: self.estimate_uncertainty())
        self.compare = ComparePanel(self.edition, self.lang, self.keep_forecast,
                                    self.load_forecast)
        self._compare_handle = None
        self.plan = PlanPanel(self.edition, self.lang, self._chart_delay,
                              on_change=self._plan_changed, on_problem=self.unexpected)
        self.plan.load(self.state.extra.get("plan"))
        self.distance = DistancePanel(self.lang, self._distance_fields, self.fill_distance)
        self.tools = w.Accordion([self.distance.widget], selected_index=None).add_class(
            "cc-tools")
        self.files = FilesPanel(self.lang, self._file_name(), self.open_file, self.save,
                                self.export_xlsx, self.export_report, self.export_checklist)
        self.files.name.observe(self._name_typed, "value")
        self.files.new.on_click(lambda _: self.show_welcome())
        self.results_title = w.HTML()
        self.total_bar = w.HTML().add_class("cc-total-bar")
        self.dirty = w.HTML().add_class("cc-dirty")
        self.welcome = (Welcome(self.lang, self.start_new, self.open_example, self._welcome_upload,
                                self.restore_draft, self.discard_draft,
                                self.state.production["type"]) if welcome else None)
        self.widget = self._layout()
        if self.welcome is not None:
            self.welcome.dashboard_button.on_click(lambda _: self.show_dashboard())
            self.show_welcome()
        self._set_header_values()
        self.language.observe(lambda c: self.set_lang(c["new"]), "value")
        self.type.observe(lambda c: self._type_changed(c["new"]), "value")
        self.stage.observe(lambda c: self._stage_changed(c["new"]), "value")
        self._relabel_header()

    def _layout(self) -> w.VBox:
        """Header, files bar, then the form and the results: side by side, each
        scrolling on its own, where the window is wide enough, else stacked
        with the total kept in view (the CSS of :mod:`.style` decides)."""
        form = w.VBox([self.production_title, self.production.widget, self.tools,
                       self.questionnaire.widget]
                      ).add_class("cc-pane").add_class("cc-form-pane")
        results = w.VBox([self.results_title, self.results.widget, self.plan.widget,
                          self.compare.widget, self.uncertainty.widget]
                         ).add_class("cc-pane").add_class("cc-results-pane")
        self.work = w.VBox([
            w.HBox([self.type_label, self.type, self.stage_label, self.stage],
                   layout=w.Layout(align_items="center", grid_gap="8px",
                                   flex_flow="row wrap")),
            self.edition_note, self.files.widget, self.dirty, self.fix_note, self.total_bar,
            w.Box([form, results]).add_class("cc-main"),
        ]).add_class("cc-work")
        return w.VBox([
            w.HTML(CSS),
            w.HBox([self.heading, self.language], layout=w.Layout(
                justify_content="space-between", align_items="center")).add_class("cc-top"),
            *([self.welcome.widget] if self.welcome is not None else []),
            self.work,
        ]).add_class("cc-app")

    # -- first screen ----------------------------------------------------------

    def show_welcome(self) -> None:
        """Show the first screen (the draft, if any, is offered there)."""
        if self.welcome is None:
            return
        self.flush_draft()
        self._offer_draft()
        self.welcome.tell("")
        self.welcome.widget.layout.display = None
        self.work.layout.display = "none"

    @guarded
    def page_opened(self) -> None:
        """Served with pre-started kernels (Voilà's ``preheat_kernel``), the app
        was built before anyone opened the page: wait for the page's request,
        then look at the save folder again (a draft may have been written by
        another page since). Returns at once otherwise."""
        if os.environ.get("VOILA_PREHEAT", "False") != "False":
            from voila.utils import wait_for_request

            wait_for_request()
        if self.welcome is not None and self.welcome.widget.layout.display != "none":
            self._offer_draft()

    def show_work(self) -> None:
        """Show the form and the results (leave the first screen)."""
        if self.welcome is not None:
            self.welcome.widget.layout.display = "none"
        self.work.layout.display = None

    def _offer_draft(self) -> None:
        found = drafts.read_draft(self.save_folder) if self.autosave else None
        fields = None
        if found is not None:
            production = found.assessment.production
            try:
                type_label = get_template(production["type"]).label(self.lang)
            except CarbonClapError:
                type_label = str(production["type"])
            fields = {"title": production.get("title") or tr("untitled", self.lang),
                      "type": type_label, "date": found.saved_at.replace("T", " ")[:16] + " UTC"}
        self.welcome.offer_draft(fields)

    @guarded
    def show_dashboard(self) -> str:
        """The save folder's assessments side by side (first screen's button)."""
        html_text = dashboard_html(self.save_folder, self.edition, self.lang)
        if self.welcome is not None:
            self.welcome.dashboard.value = html_text
        return html_text

    @guarded
    def start_new(self, production_type: str, stage: str = "forecast") -> None:
        """A blank assessment of ``production_type`` at ``stage`` (first screen's Start)."""
        state = AssessmentState.blank(production_type)
        state.production["stage"] = stage
        self._name_chosen = False
        self._replace_state(state)
        self.unsaved = False
        self._show_dirty()
        self.show_work()

    @guarded
    def open_example(self, path: str | Path) -> bool:
        """Open an example file; its save name then follows its title."""
        if not self.open_path(path):
            if self.welcome is not None:
                self.welcome.tell(self.files.status.value)
            return False
        self._name_chosen = False
        self._follow_name()
        self.show_work()
        return True

    def _welcome_upload(self, name: str, content: bytes) -> None:
        if self.open_file(name, content):
            self.show_work()
        elif self.welcome is not None:
            self.welcome.tell(self.files.status.value)

    @guarded
    def restore_draft(self) -> bool:
        """Restore the draft of the save folder (the first screen's button)."""
        found = drafts.read_draft(self.save_folder)
        if found is None:
            self._offer_draft()
            return False
        assess(found.assessment, self.edition)
        self._replace_state(AssessmentState.from_assessment(found.assessment))
        self._name_chosen = found.file_name_chosen
        self._set_name(found.file_name if storage.check_file_name(found.file_name)
                       else self._file_name())
        self.unsaved = True
        self._show_dirty()
        self.files.tell("draft_restored", {"title": self.state.production.get("title")
                                           or tr("untitled", self.lang)}, downloads=[])
        self.show_work()
        return True

    @guarded
    def discard_draft(self) -> None:
        """Remove the draft of the save folder (the first screen's button)."""
        drafts.discard_draft(self.save_folder)
        self._offer_draft()
        if self.welcome is not None:
            self.welcome.tell(escape(tr("draft_discarded", self.lang)))

    # -- unsaved changes and the draft ----------------------------------------

    def _edited(self) -> None:
        """The user changed the assessment: mark it unsaved and plan the draft."""
        self.unsaved = True
        self._show_dirty()
        if not self.autosave:
            return
        loop = running_loop()
        if loop is None:
            self.write_draft()
            return
        if self._draft_handle is not None:
            self._draft_handle.cancel()
        self._draft_handle = loop.call_later(DRAFT_DELAY, guard, self.write_draft,
                                             self.unexpected)

    def write_draft(self) -> Path | None:
        """Write the draft now (see :mod:`.draft`); returns its path."""
        self._draft_handle = None
        try:
            return drafts.write_draft(self.save_folder, self.state.to_data(),
                                      self.files.name.value, self._name_chosen)
        except CarbonClapError as exc:
            self.files.tell("save_refused", {"message": str(exc)}, bad=True)
            return None

    def flush_draft(self) -> None:
        """Write a planned draft at once."""
        if self._draft_handle is not None:
            self._draft_handle.cancel()
            self.write_draft()

    def _show_dirty(self) -> None:
        """The unsaved-changes mark; the page's ``beforeunload`` handler looks
        for ``.cc-unsaved`` (Voilà template ``carbonclap``)."""
        self.dirty.value = (f'<span class="cc-unsaved">{escape(tr("unsaved", self.lang))}</span>'
                            if self.unsaved else "")

    # -- the file name ---------------------------------------------------------

    def _name_typed(self, change) -> None:
        if not self._naming:
            self._name_chosen = True

    def _set_name(self, name: str) -> None:
        self._naming = True
        try:
            self.files.name.value = name
        finally:
            self._naming = False

    def _follow_name(self) -> None:
        """The save name follows the title and type until the user types one."""
        if not self._name_chosen:
            self._set_name(self._file_name())

    def _file_name(self) -> str:
        """``<type>-<title>.yaml`` (``<type>.yaml`` with no title), as a plain name."""
        production = self.state.production
        kind, title = storage.slug(production["type"]), storage.slug(production.get("title") or "")
        if not production.get("title"):
            return kind + ".yaml"
        return (title if title.startswith(kind) else f"{kind}-{title}") + ".yaml"

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
        self.tools.titles = (tr("d_title", lang),)
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
        self.total_bar.value = total_html(result, self.lang)
        self._show_comparison(charts_now)
        self.plan.follow(self.state.production, self.state.frame(), now=charts_now)
        self.uncertainty.follow(self.state.frame())
        self._show_fix_count()

    def _show_comparison(self, charts_now: bool) -> None:
        """The forecast against the assessment being filled (chart after a pause)."""
        if self.compare.forecast is None:
            return
        loop = running_loop()
        now = charts_now or loop is None or self._chart_delay <= 0
        self.compare.show(self.result, self.line_label, chart_now=now)
        if not now:
            if self._compare_handle is not None:
                self._compare_handle.cancel()
            self._compare_handle = loop.call_later(self._chart_delay, guard,
                                                   self.compare.draw_chart, self.unexpected)

    @guarded
    def _plan_changed(self) -> None:
        """The user changed the reduction plan: it becomes the assessment's ``plan:``
        block (saved with the file and in the draft)."""
        block = self.plan.block()
        if block is None:
            self.state.extra.pop("plan", None)
        else:
            self.state.extra["plan"] = block
        self._edited()

    # The factors a trip by each mode of the distance helper can fill (prefix of
    # the factor id), and the units of the fields it fills.
    _MODE_FACTORS = {"plane": ("flight_",), "train": ("train_",), "car": ("car_",)}

    def _distance_fields(self, mode: str) -> list[tuple[str, tuple[str, str, str]]]:
        """The questionnaire's fields a trip by ``mode`` fills: in passenger-km
        (or vehicle-km by car) and offering a factor of that mode."""
        template, lang = self.state.template, self.lang
        units = ("passenger_km", "km") if mode == "car" else ("passenger_km",)
        prefixes = self._MODE_FACTORS[mode]
        return [(f"{section.label(lang)} — {item.label(lang)}", (section.id, item.id, item.unit))
                for section in template.sections for item in section.fields
                if item.unit in units and any(f.startswith(prefixes) for f in item.factors)]

    @guarded
    def fill_distance(self, section_id: str, field_id: str, band: str | None,
                      quantity: str, note: str = "") -> str:
        """Fill a field from the distance helper: its first empty line (no
        quantity, or 0), else a new line of the field (as its « + » button
        adds), never a line the user filled; the quantity, the ``note``
        recording the estimate, and for a plane field the factor of distance
        ``band`` (same variant); returns the factor."""
        if section_id not in self.state.sections:
            self.questionnaire.switches[section_id].value = True
        self.questionnaire.ensure_rows(section_id)
        keys = self.state.keys_of(section_id, field_id)
        key = next((k for k in keys if self._empty_line(k)), None)
        if key is None:
            key = self.questionnaire.add_line(keys[0])
        row = self.questionnaire.rows[key]
        if band is not None:
            offered = tuple(value for _, value in row.factor.options)
            row.factor.value = banded_factor(str(row.factor.value), band, offered)
        if note:
            self.state.update(key, note=note)
            row.show_note(note)
        row.quantity.value = quantity
        return str(row.factor.value)

    def _empty_line(self, key: int) -> bool:
        """A line the user has not filled: its quantity box is blank or 0, it
        shows no mistake and carries no note."""
        row, data = self.questionnaire.rows[key], self.state.lines[key].data
        blank = str(row.quantity.value).strip().strip("0,.") == ""
        return blank and not row.problems and not data.get("note") and \
            float(data.get("quantity") or 0) == 0

    @guarded
    def keep_forecast(self) -> None:
        """Keep the assessment being filled as the forecast, and go on with the
        final one (the stage switches to final)."""
        data = self.state.to_data()
        data["production"] = {**data["production"], "stage": "forecast"}
        self.compare.set_forecast(from_dict(data, source="<forecast>"))
        self.stage.value = "final"
        self.refresh(charts_now=True)

    @guarded
    def load_forecast(self, name: str, content: bytes) -> bool:
        """Load a forecast file to compare with; on any problem keep the current one."""
        try:
            forecast = storage.read_upload(name, content, self.edition)
        except CarbonClapError as exc:
            self.compare.tell("load_refused", {"message": str(exc)}, bad=True)
            return False
        self.compare.set_forecast(forecast)
        self.refresh(charts_now=True)
        return True

    @guarded
    def estimate_uncertainty(self) -> None:
        """Run the Monte Carlo estimate of the current lines (the « Estimer
        l'incertitude » button); see :mod:`.uncertainty_panel`."""
        count = self.questionnaire.problem_count + self.production.problem_count
        self.uncertainty.estimate(self.state.frame(), fields_to_fix=count)

    def factor_label(self, factor: str, lang: str | None = None) -> str:
        """A factor's label in ``lang`` (the current language by default); its id if unknown."""
        table = self.edition.table
        lang = lang or self.lang
        return str(table.at[factor, f"label_{lang}"]) if factor in table.index else factor

    def line_label(self, record: dict) -> str:
        """The name of a line record in the current language: its field's label,
        else its factor's label."""
        return line_name(record, self.state.template, self.edition, self.lang)

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
        self.compare.relabel(lang)
        self.plan.relabel(lang)
        self.distance.relabel(lang)
        if self.welcome is not None:
            self.welcome.relabel(lang)
            self._offer_draft()
        self._show_dirty()
        self.refresh(charts_now=True)

    @guarded
    def _type_changed(self, production_type: str) -> None:
        if self._quiet or production_type == self.state.production["type"]:
            return
        self.state.set_type(production_type)
        self.questionnaire.build()
        self.distance.refresh_targets()
        self.refresh(charts_now=True)
        self._follow_name()
        self._edited()

    @guarded
    def _stage_changed(self, stage: str) -> None:
        if not self._quiet:
            self.state.production["stage"] = stage
            self._edited()

    @guarded
    def _lines_changed(self) -> None:
        self.refresh()
        self._edited()

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
        else:
            self._follow_name()
        self._edited()

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
        self._name_chosen = True
        self.unsaved = False
        self._show_dirty()
        self.files.tell("loaded", {"name": Path(name).name, "count": len(assessment.lines)},
                        downloads=[])
        self.show_work()
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
        self.plan.load(state.extra.get("plan"))
        self.questionnaire.build()
        self.distance.refresh_targets()
        self._set_name(file_name if storage.check_file_name(file_name)
                       else Path(file_name).stem + ".yaml" if file_name
                       else self._file_name())
        self.refresh(charts_now=True)

    def _save_name(self) -> str | None:
        name = storage.check_file_name(self.files.name.value)
        if name is None:
            self.files.tell("bad_file_name", {"name": self.files.name.value}, bad=True)
        return name

    def _write(self, name: str, payload: str | bytes) -> tuple[Path, tuple] | None:
        try:
            path = storage.write_file(self.save_folder, name, payload)
        except CarbonClapError as exc:
            self.files.tell("save_refused", {"message": str(exc)}, bad=True)
            return None
        return path, (name, payload)

    def _tell_written(self, path: Path, download: tuple) -> None:
        count = self.questionnaire.problem_count + self.production.problem_count
        if count:
            self.files.tell("saved_with_fixes", {"path": str(path), "count": count}, bad=True,
                            downloads=[download])
        else:
            self.files.tell("saved", {"path": str(path)}, downloads=[download])

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
            self._name_chosen = True
            self.unsaved = False
            self._show_dirty()
            if self.autosave:
                if self._draft_handle is not None:
                    self._draft_handle.cancel()
                    self._draft_handle = None
                drafts.discard_draft(self.save_folder)
            return written[0]
        return None

    @guarded
    def export_xlsx(self) -> Path | None:
        """Write the assessment as an Excel workbook (labels in the current language)."""
        name = self._save_name()
        if name is None:
            return None
        data = self.state.to_data()
        rows = workbook_result_rows(self.result, self.lang, self.line_label, self.edition)
        written = self._write(Path(name).stem + ".xlsx",
                              workbook_bytes(data, self.lang, result_rows=rows,
                                             edition=self.edition))
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
            stage=tr(self.state.production.get("stage", "forecast"), lang),
            plan=self.plan.report_html())
        suffix = "-rapport.html" if lang == "fr" else "-report.html"
        written = self._write(Path(name).stem + suffix, html_text)
        if written:
            self._tell_written(*written)
            return written[0]
        return None

    @guarded
    def export_checklist(self) -> Path | None:
        """Write the documents to collect, per department, as CSV (see :mod:`.checklist`)."""
        name = self._save_name()
        if name is None:
            return None
        suffix = "-documents.csv" if self.lang == "fr" else "-documents-en.csv"
        text = checklist_csv(self.state.template, self.state.sections, self.lang)
        written = self._write(Path(name).stem + suffix, text)
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
