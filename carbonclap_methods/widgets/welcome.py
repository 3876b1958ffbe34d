"""The first screen: what to assess (type and stage), an example, a file, or the draft.

Only widgets and their labels; the app does the work. The examples are the
assessment files of the checkout's ``examples/`` folder (or the package's
own copy, when it ships one), listed by their title.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Callable

import ipywidgets as w
import yaml

from ..assessment import STAGES
from ..templates import list_templates
from .files_panel import file_upload
from .text import tr

_PACKAGE = Path(__file__).resolve().parents[1]
EXAMPLE_FOLDERS = (_PACKAGE / "examples", _PACKAGE.parent / "examples")


def example_files() -> list[tuple[str, Path]]:
    """(title, path) of each example assessment, by title; empty if none ships."""
    for folder in EXAMPLE_FOLDERS:
        if folder.is_dir():
            found = []
            for path in sorted(folder.glob("*.yaml")):
                try:
                    data = yaml.safe_load(path.read_text(encoding="utf-8"))
                    title = str(data["production"]["title"])
                except (OSError, yaml.YAMLError, KeyError, TypeError):
                    continue
                found.append((title, path))
            return sorted(found)
    return []


class Welcome:
    """Widgets of the first screen.

    Parameters
    ----------
    lang : {"fr", "en"}
    on_start : callable
        ``on_start(production_type, stage)`` for a new assessment.
    on_example : callable
        ``on_example(path)`` to open an example.
    on_upload : callable
        ``on_upload(name, content)`` for an uploaded file.
    on_restore, on_discard : callable
        Called with no argument to restore or discard the draft.
    """

    def __init__(self, lang: str, on_start: Callable, on_example: Callable,
                 on_upload: Callable, on_restore: Callable, on_discard: Callable,
                 production_type: str = "podcast"):
        self.examples = example_files()
        self.title = w.HTML()
        self.draft_text = w.HTML()
        self.restore = w.Button(button_style="primary").add_class("cc-draft-restore")
        self.discard = w.Button().add_class("cc-draft-discard")
        self.draft_box = w.VBox([self.draft_text, w.HBox([self.restore, self.discard])],
                                layout=w.Layout(display="none")).add_class("cc-draft")
        self.new_label = w.HTML()
        self.type = w.Dropdown(layout=w.Layout(width="340px")).add_class("cc-welcome-type")
        self.stage = w.ToggleButtons(style={"button_width": "120px"}).add_class(
            "cc-welcome-stage")
        self._first = (production_type, STAGES[0])
        self.start = w.Button(button_style="primary").add_class("cc-start")
        self.example_label = w.HTML()
        self.example = w.Dropdown(options=[(t, str(p)) for t, p in self.examples],
                                  layout=w.Layout(width="520px")).add_class("cc-example")
        self.open_example = w.Button().add_class("cc-open-example")
        self.file_label = w.HTML()
        self.upload = file_upload(on_upload)
        self.status = w.HTML().add_class("cc-status")
        self.dashboard_button = w.Button().add_class("cc-dashboard-button")
        self.dashboard = w.HTML().add_class("cc-dashboard-box")
        example_row = ([self.example_label, w.HBox([self.example, self.open_example])]
                       if self.examples else [])
        self.widget = w.VBox([
            self.title, self.draft_box, self.new_label,
            w.HBox([self.type, self.stage, self.start], layout=w.Layout(
                align_items="center", grid_gap="10px", flex_flow="row wrap")),
            *example_row, self.file_label, w.HBox([self.upload]), self.status,
            w.HBox([self.dashboard_button]), self.dashboard,
        ]).add_class("cc-welcome")
        self.start.on_click(lambda _: on_start(self.type.value, self.stage.value))
        self.open_example.on_click(lambda _: on_example(Path(self.example.value))
                                   if self.example.value else None)
        self.restore.on_click(lambda _: on_restore())
        self.discard.on_click(lambda _: on_discard())
        self._draft_fields: dict | None = None
        self.relabel(lang)

    def offer_draft(self, fields: dict | None) -> None:
        """Show the draft's title, type and date with restore/discard (None hides it)."""
        self._draft_fields = fields
        self.draft_box.layout.display = None if fields else "none"
        self.relabel(self.lang)

    def relabel(self, lang: str) -> None:
        """Every label in ``lang`` (the chosen type and stage stay)."""
        self.lang = lang
        self.title.value = f"<h3>{escape(tr('welcome_title', lang))}</h3>"
        self.new_label.value = f"<b>{escape(tr('welcome_new', lang))}</b>"
        value = self.type.value or self._first[0]
        self.type.options = sorted(((t.label(lang), t.type) for t in list_templates()),
                                   key=lambda item: item[0].lower())
        if value is not None:
            self.type.value = value
        stage = self.stage.value or self._first[1]
        self.stage.options = [(tr(s, lang), s) for s in STAGES]
        if stage is not None:
            self.stage.value = stage
        self.start.description = tr("welcome_start", lang)
        self.example_label.value = f"<b>{escape(tr('welcome_example', lang))}</b>"
        self.open_example.description = tr("welcome_open_example", lang)
        self.file_label.value = f"<b>{escape(tr('welcome_file', lang))}</b>"
        self.upload.description = ""
        self.upload.tooltip = tr("load_button", lang)
        self.restore.description = tr("draft_restore", lang)
        self.discard.description = tr("draft_discard", lang)
        self.dashboard_button.description = tr("dash_button", lang)
        for button in (self.start, self.open_example, self.restore, self.discard,
                       self.dashboard_button):
            button.layout.width = "auto"
        if self._draft_fields:
            self.draft_text.value = escape(tr("draft_found", lang, **self._draft_fields))

    def tell(self, text_html: str) -> None:
        """A status line under the choices (already escaped HTML)."""
        self.status.value = text_html
