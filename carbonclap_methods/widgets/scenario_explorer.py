"""The audio scenario explorer (``carbonclap app scenarios``): a podcast, radio
show or audio ad (an example or an opened file), its baseline settings and
named scenarios, side by side with a chart and the saving of each; the set
saved as the YAML file that ``carbonclap study run audio_scenarios -p
scenarios FILE`` reproduces.

Every figure comes from :mod:`..scenario_set` (and so from :mod:`..edits`),
the module the study uses: the explorer only holds the set being edited.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import bundled
from ..assessment import Assessment, load_assessment
from ..errors import CarbonClapError
from ..factors import Edition, load_edition
from ..scenario_set import (SETTINGS, TRAVEL_MODES, check, default_settings, save_scenario_set,
                            scenario_figures, study_set)
from ..studio import GRID, SIZES
from .files_panel import file_upload
from .storage import read_upload, save_dir, slug
from .style import CSS
from .parse import Problem, parse_number
from .text import check_lang, input_number, number, percent, tr

AUDIO_TYPES = ("podcast", "radio_show", "audio_advertising")
# Settings typed in a text box (numbers in the reader's language).
TEXT_BOXES = ("studio_hours", "guest_hours", "travel_km", "equipment_lifetime_scale")
# The settings a person changes here, in order (utilisation and the studio's
# country stay the baseline's: the study's values, or DEFAULTS).
SHOWN = ("studio_size", "studio_hours", "guests_on_site", "guests_remote", "guest_hours",
         "travel_mode", "travel_km", "grid", "equipment_lifetime_scale", "vegetarian_share")
EXPLORER_CSS = """
<style>
.cc-sc-settings { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr));
  gap: 4px 16px; max-width: 100%; }
.cc-sc-settings > * { width: 100% !important; margin: 0 !important; }
.cc-sc-settings .widget-label { white-space: normal; line-height: 1.15; }
.cc-sc-main { gap: 24px; }
.cc-sc-main > * { min-width: 0; }
.cc-sc-chart svg { width: 100%; max-width: 820px; height: auto; }
.cc-sc-table .widget-html-content { line-height: 1.35; }
.cc-sc-table table { width: 100%; max-width: 820px; }
.cc-sc-same { color: #5b6770; font-style: italic; }
</style>
"""


def audio_examples() -> dict[str, str]:
    """The audio examples of the package: name -> title."""
    out = {}
    for path in sorted(bundled.examples().glob("*.yaml")):
        assessment = load_assessment(path)
        if assessment.production.get("type") in AUDIO_TYPES:
            out[path.stem] = assessment.title
    return out


class ScenarioExplorer:
    """The explorer's widgets and the scenario set being edited.

    Parameters
    ----------
    lang : {"fr", "en"}
    edition : str, Edition or None
        Factor edition (name, folder or loaded); None for the default.
    example : str
        The audio example to start from (``examples/<example>.yaml``).
    assessment : str or None
        An assessment file to open instead of an example.
    save_folder : str or None
        Where the set is saved (default ``$CARBONCLAP_SAVE_DIR`` or ``./assessments``).
    """

    def __init__(self, lang: str = "fr", edition: str | Edition | None = None,
                 example: str = "podcast_episode", assessment: str | None = None,
                 save_folder: str | None = None):
        self.lang = check_lang(lang)
        self.edition = edition if isinstance(edition, Edition) else load_edition(edition)
        self.save_folder = save_dir(save_folder)
        self.examples = audio_examples()
        self.upload_payload: tuple[str, bytes] | None = None
        self._quiet = False
        self.widget = w.VBox().add_class("cc-app").add_class("cc-scenarios")
        self._build()
        if assessment:
            path = Path(assessment).expanduser().resolve()
            self._start(load_assessment(path), str(path))
        else:
            self.example.value = example

    # -- widgets -----------------------------------------------------------

    def _build(self) -> None:
        lang = self.lang
        self.language = w.ToggleButtons(options=[("FR", "fr"), ("EN", "en")], value=lang,
                                        style={"button_width": "48px"}).add_class("cc-sc-lang")
        self.heading = w.HTML(f"<h2>{escape(tr('sc_title', lang))}</h2>"
                              f"<div class='cc-subtitle'>{escape(tr('sc_subtitle', lang))}</div>"
                              f"<div class='cc-edition'>{escape(tr('edition', lang, name=self.edition.name, sha=self.edition.sha256[:12]))}</div>"
                              ).add_class("cc-heading")
        self.example = w.Dropdown(options=[(title, name) for name, title in self.examples.items()],
                                  value=None, description=tr("sc_example", lang),
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="auto", max_width="560px"))
        self.upload = file_upload(self.open_file)
        self.upload.description = ""
        self.upload.tooltip = tr("sc_open", lang)          # drawn by the cc-upload style
        self.source_note = w.HTML().add_class("cc-note")
        self.scenario = w.Dropdown(description=tr("sc_scenario", lang),
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="auto", max_width="460px"))
        self.new_name = w.Text(placeholder=tr("sc_new_name", lang), layout=w.Layout(width="240px"))
        self.add = w.Button(description=tr("sc_add", lang), layout=w.Layout(width="auto"))
        self.remove = w.Button(description=tr("sc_remove", lang), layout=w.Layout(width="auto"))
        self.settings_title = w.HTML()
        self.controls = self._controls()
        self.results = w.HTML().add_class("cc-sc-table")
        self.chart = w.HTML().add_class("cc-sc-chart")
        self.file_name = w.Text(description=tr("sc_file_name", lang), layout=w.Layout(width="360px"))
        self.save = w.Button(description=tr("sc_save", lang), button_style="primary",
                             layout=w.Layout(width="auto"))
        self.status = w.HTML().add_class("cc-status")
        form = w.VBox([
            w.HBox([self.example, self.upload], layout=w.Layout(flex_flow="row wrap",
                                                                align_items="center")),
            self.source_note,
            w.HBox([self.scenario, self.remove, self.new_name, self.add],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.settings_title,
            w.Box(list(self.controls.values())).add_class("cc-sc-settings"),
            w.HTML(f"<div class='cc-note'>{escape(tr('sc_baseline_note', lang))}</div>"),
            w.HBox([self.file_name, self.save], layout=w.Layout(flex_flow="row wrap",
                                                                align_items="center")),
            self.status], layout=w.Layout(flex="1 1 600px"))
        results = w.VBox([w.HTML(f"<h4>{escape(tr('sc_results', lang))}</h4>"), self.results,
                          self.chart], layout=w.Layout(flex="1 1 560px"))
        self.widget.children = [w.HTML(CSS + EXPLORER_CSS),
                                w.HBox([self.heading, self.language],
                                       layout=w.Layout(justify_content="space-between",
                                                       align_items="flex-start")),
                                w.HBox([form, results], layout=w.Layout(flex_flow="row wrap",
                                                                        align_items="flex-start")
                                       ).add_class("cc-sc-main")]
        self.new_name.add_class("cc-sc-name")
        self.add.add_class("cc-sc-add")
        self.save.add_class("cc-sc-save")
        self.file_name.add_class("cc-sc-file")
        self.example.add_class("cc-sc-example")
        self.scenario.add_class("cc-sc-scenario")
        for key, control in self.controls.items():
            control.add_class(f"cc-sc-{key.replace('_', '-')}")
        self.language.observe(lambda change: self.set_lang(change["new"]), "value")
        self.example.observe(self._example_chosen, "value")
        self.scenario.observe(self._scenario_chosen, "value")
        self.add.on_click(lambda _: self.add_scenario(self.new_name.value))
        self.remove.on_click(lambda _: self.remove_scenario(self.scenario.value))
        self.save.on_click(lambda _: self.save_set())
        for key, control in self.controls.items():
            control.observe(lambda change, key=key: self._setting_changed(key), "value")

    def _controls(self) -> dict[str, w.Widget]:
        lang, i = self.lang, (0 if self.lang == "fr" else 1)
        style, layout = {"description_width": "130px"}, w.Layout(width="100%")

        def label(key):
            return tr(f"sc_{key}", lang) if key in ("guests_on_site", "guests_remote") \
                else SETTINGS[key][2 + i]

        def choice(key, options):
            return w.Dropdown(options=options, description=label(key), style=style, layout=layout)

        def number_box(key):          # typed the reader's way (1,5 in French), read by parse
            return w.Text(description=label(key), continuous_update=False, style=style,
                          layout=layout)

        return {
            "studio_size": choice("studio_size", [(tr(f"sc_size_{s}", lang), s) for s in SIZES]),
            "studio_hours": number_box("studio_hours"),
            "guests_on_site": w.BoundedIntText(min=0, max=1000, description=label("guests_on_site"),
                                               style=style, layout=layout),
            "guests_remote": w.BoundedIntText(min=0, max=1000, description=label("guests_remote"),
                                              style=style, layout=layout),
            "guest_hours": number_box("guest_hours"),
            "travel_mode": choice("travel_mode", [(tr(f"sc_mode_{m}", lang), m) for m in TRAVEL_MODES]),
            "travel_km": number_box("travel_km"),
            "grid": choice("grid", list(GRID)),
            "equipment_lifetime_scale": number_box("equipment_lifetime_scale"),
            # in percent, whole numbers: the same in both languages
            "vegetarian_share": w.IntSlider(min=0, max=100, step=5, description=label("vegetarian_share")
                                            + " [%]", style=style, layout=layout),
        }

    # -- the production ----------------------------------------------------

    def set_lang(self, lang: str) -> None:
        """Show the explorer in ``lang``, keeping the set and the scenario being edited."""
        self.lang = check_lang(lang)
        current, file_name, example = self.scenario.value, self.file_name.value, self.example.value
        self._build()
        self._quiet = True
        self.example.value = example
        self._quiet = False
        self.file_name.value = file_name
        name = self.set.assessment
        self.source_note.value = "" if name in self.examples else \
            escape(tr("sc_opened", self.lang, name=Path(name).name))
        self._refresh_scenarios(current)

    def _example_chosen(self, change) -> None:
        if change["new"] and not self._quiet:
            path = bundled.examples() / f"{change['new']}.yaml"
            self._start(load_assessment(path), change["new"])

    def open_file(self, name: str, content: bytes) -> None:
        """Open an uploaded assessment file (``name``, ``content``) as the production."""
        try:
            assessment = read_upload(name, content, self.edition)
        except CarbonClapError as exc:
            self.status.value = f"<span class='cc-bad'>{escape(str(exc))}</span>"
            return
        kind = assessment.production.get("type")
        if kind not in AUDIO_TYPES:
            self.status.value = (f"<span class='cc-bad'>"
                                 f"{escape(tr('sc_not_audio', self.lang, name=name, type=kind))}</span>")
            return
        self.upload_payload = (Path(name).name, content)
        self._quiet = True
        self.example.value = None
        self._quiet = False
        self._start(assessment, Path(name).name)

    def _start(self, assessment: Assessment, name: str) -> None:
        """Start a set for ``assessment`` (``name``: an example's name or a file):
        the study's scenarios, from the study's settings for its examples."""
        self.assessment = assessment
        baseline = default_settings(assessment, name if name in self.examples else None)
        production = {"example": name, "studio_size": baseline["studio_size"],
                      "studio_hours": baseline["studio_hours"],
                      "utilisation_hours_per_year": baseline["utilisation_hours_per_year"],
                      "guests_on_site": baseline["guests"], "guest_hours": baseline["guest_hours"],
                      "guest_trip_one_way_km": baseline["travel_km"]}
        started = study_set(name, production, baseline["country"])
        self.set = replace(started, assessment=name, baseline={**started.baseline, **baseline})
        if name in self.examples or not (self.upload_payload and self.upload_payload[0] == name):
            self.upload_payload = None
        self.source_note.value = escape(tr("sc_opened", self.lang, name=Path(name).name)) \
            if name not in self.examples else ""
        self.file_name.value = f"scenarios-{slug(Path(name).stem, 'audio')}.yaml"
        self.status.value = ""
        self._refresh_scenarios("baseline")

    # -- scenarios ---------------------------------------------------------

    def label(self, name: str) -> str:
        fr, en = self.set.labels(name)
        return fr if self.lang == "fr" else en

    def _refresh_scenarios(self, selected: str) -> None:
        self._quiet = True
        self.scenario.options = [(self.label(n), n) for n in self.set.names()]
        self.scenario.value = selected
        self._quiet = False
        self._show_settings()
        self.update()

    def _scenario_chosen(self, change) -> None:
        if not self._quiet and change["new"]:
            self._show_settings()

    def _show_settings(self) -> None:
        name = self.scenario.value
        settings = self.set.settings(name)
        self.remove.disabled = name == "baseline"
        self.settings_title.value = f"<h4>{escape(tr('sc_settings', self.lang, name=self.label(name)))}</h4>"
        self._quiet = True
        for key, control in self.controls.items():
            if key == "guests_on_site":
                control.value = int(round(settings["guests"] - settings["guests_remote"]))
            elif key == "guests_remote":
                control.value = int(round(settings["guests_remote"]))
            elif key == "vegetarian_share":
                control.value = int(round(100 * settings[key]))
            elif key in TEXT_BOXES:
                control.value = input_number(settings[key], self.lang)
            else:
                control.value = settings[key]
        self._quiet = False

    def _setting_changed(self, key: str) -> None:
        if self._quiet:
            return
        name = self.scenario.value
        values = {k: c.value for k, c in self.controls.items()}
        if key in ("guests_on_site", "guests_remote"):
            changed = {"guests": float(values["guests_on_site"] + values["guests_remote"]),
                       "guests_remote": float(values["guests_remote"])}
        elif key == "vegetarian_share":
            changed = {key: values[key] / 100}
        elif key in TEXT_BOXES:
            number = parse_number(values[key], None, self.lang)
            if number is None or isinstance(number, Problem):
                problem = number.message(self.lang) if number is not None else ""
                self.status.value = (f"<span class='cc-bad'>{escape(self.controls[key].description)}"
                                     f" : {escape(problem or tr('sc_bad_value', self.lang))}</span>")
                return
            changed = {key: number}
        else:
            changed = {key: values[key]}
        self.set_settings(name, **changed)

    def set_settings(self, name: str, **settings) -> None:
        """Change settings of scenario ``name`` (``"baseline"``: the baseline's),
        then show the figures again. A scenario keeps only what differs from the baseline."""
        try:
            if name == "baseline":
                updated = replace(self.set, baseline={**self.set.baseline, **settings})
            else:
                own = {**self.set.scenarios[name], **settings}
                own = {k: v for k, v in own.items() if k not in SETTINGS or v != self.set.baseline[k]}
                updated = replace(self.set, scenarios={**self.set.scenarios, name: own})
            self.set = check(updated)
        except CarbonClapError as exc:
            self.status.value = (f"<span class='cc-bad'>{escape(tr('sc_out_of_range', self.lang))}"
                                 f" ({escape(str(exc))})</span>")
            self._show_settings()
            return
        self.status.value = ""
        if self.scenario.value == name:
            self._show_settings()
        self.update()

    def add_scenario(self, label: str) -> str | None:
        """A new scenario named ``label``, a copy of the one being edited; returns its name."""
        label = " ".join(str(label).split())
        name = re.sub(r"[^a-z0-9]+", "_", slug(label, "").replace("-", "_")).strip("_")
        if not label or not name or name == "baseline" or name in self.set.scenarios:
            self.status.value = f"<span class='cc-bad'>{escape(tr('sc_bad_scenario', self.lang, name=label))}</span>"
            return None
        current = self.scenario.value
        own = {} if current == "baseline" else {k: v for k, v in self.set.scenarios[current].items()
                                                 if k in SETTINGS}
        self.set = replace(self.set, scenarios={**self.set.scenarios,
                                                name: {"label_fr": label, "label_en": label, **own}})
        self.new_name.value = ""
        self._refresh_scenarios(name)
        return name

    def remove_scenario(self, name: str) -> None:
        if name == "baseline" or name not in self.set.scenarios:
            return
        scenarios = {k: v for k, v in self.set.scenarios.items() if k != name}
        self.set = replace(self.set, scenarios=scenarios)
        self._refresh_scenarios("baseline")

    # -- figures -----------------------------------------------------------

    def update(self) -> None:
        """Compute every scenario of the set and show the table and the chart."""
        self.figures = scenario_figures(self.set, self.edition, self.assessment)
        table, charts = self.table_html(), self.chart_svg()
        self.results.value, self.chart.value = table, charts      # shown together

    def table_html(self) -> str:
        lang = self.lang
        head = "".join(f"<th>{escape(tr(k, lang))}</th>" for k in
                       ("sc_total", "sc_saving", "sc_change_pct"))
        rows = []
        for name, result in self.figures["scenarios"].items():
            if name == "baseline":
                saving, pct = "", ""
            elif result["same_as_baseline"]:
                saving = pct = f"<span class='cc-sc-same'>{escape(tr('sc_same', lang))}</span>"
            else:
                saving = number(-result["change_kgco2e"], lang)
                pct = percent(result["change_pct"], lang)
            rows.append(f"<tr data-scenario='{escape(name)}'><td>{escape(self.label(name))}</td>"
                        f"<td>{number(result['total_kgco2e'], lang)}</td><td>{saving}</td>"
                        f"<td>{pct}</td></tr>")
        return (f"<table class='cc-table'><tr><th>{escape(tr('sc_name_col', lang))}</th>{head}</tr>"
                + "".join(rows) + "</table>")

    def chart_frame(self) -> pd.DataFrame:
        from ..results import CATEGORIES

        i = 0 if self.lang == "fr" else 1
        rows = []
        for name, result in self.figures["scenarios"].items():
            for n, (category, names) in enumerate(CATEGORIES.items()):
                value = result["by_category"].get(category)
                if value:
                    rows.append({"scenario": self.label(name), "category": names[i], "kgco2e": value,
                                 "order": n})
        return pd.DataFrame(rows)

    def saving_frame(self) -> pd.DataFrame:
        """Every scenario but the baseline: its saving [kgCO2e] and what its bar says
        when it is too short to see (``= baseline``, or the saving when it is under 1 %
        of the largest change)."""
        scenarios = {n: r for n, r in self.figures["scenarios"].items() if n != "baseline"}
        largest = max((abs(r["change_kgco2e"]) for r in scenarios.values()), default=0.0)

        def note(result: dict) -> str:
            if result["same_as_baseline"]:
                return tr("sc_same", self.lang)
            if abs(result["change_kgco2e"]) < 0.01 * largest:       # a bar too short to see
                return number(-result["change_kgco2e"], self.lang)
            return ""

        rows = [{"scenario": self.label(name), "production": self.figures["title"],
                 "saving_kgco2e": -result["change_kgco2e"], "note": note(result)}
                for name, result in scenarios.items()]
        return pd.DataFrame(rows, columns=["scenario", "production", "saving_kgco2e", "note"])

    def chart_svg(self) -> str:
        """The savings chart (when there are scenarios) and the totals by category, as SVG."""
        from ..charts import grouped_bars, stacked_bars, to_svg
        from ..results import CATEGORIES

        i = 0 if self.lang == "fr" else 1
        order = [self.label(n) for n in self.set.names()]
        svgs = []
        savings = self.saving_frame()
        if len(savings):
            chart = grouped_bars(savings, "scenario", "saving_kgco2e", "production",
                                 tr("sc_saving_title", self.lang), tr("sc_saving", self.lang),
                                 self.lang, y_order=order[1:], rule_at=0, note="note")
            svgs.append(to_svg(chart.properties(width=440)))
        chart = stacked_bars(self.chart_frame(), "scenario", "kgco2e", "category",
                             tr("sc_chart_title", self.lang), "kgCO2e", self.lang, y_order=order,
                             color_order=[names[i] for names in CATEGORIES.values()])
        svgs.append(to_svg(chart.properties(width=440)))
        return "".join(f"<div>{svg}</div>" for svg in svgs)

    # -- saving ------------------------------------------------------------

    def save_set(self, name: str | None = None) -> Path | None:
        """Save the set as YAML in the save folder (an opened file is saved beside
        it, as ``<set>-assessment<suffix>``, so that the set finds it); returns the path."""
        file_name = str(name if name is not None else self.file_name.value).strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._ -]*\.ya?ml", file_name):
            self.status.value = f"<span class='cc-bad'>{escape(tr('sc_bad_name', self.lang))}</span>"
            return None
        from ..files import write_atomic

        chosen = self.set
        try:
            self.save_folder.mkdir(parents=True, exist_ok=True)
            if self.set.assessment not in self.examples and self.upload_payload:
                upload_name, content = self.upload_payload
                companion = f"{Path(file_name).stem}-assessment{Path(upload_name).suffix.lower()}"
                write_atomic(self.save_folder / companion, content)
                chosen = replace(chosen, assessment=companion)
            path = save_scenario_set(chosen, self.save_folder / file_name, title=self.assessment.title)
        except (CarbonClapError, OSError) as exc:
            self.status.value = f"<span class='cc-bad'>{escape(str(exc))}</span>"
            return None
        self.status.value = escape(tr("sc_saved", self.lang, path=str(path)))
        return path
