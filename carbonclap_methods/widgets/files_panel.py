"""The files bar: open an assessment, save it, export Excel and a printable report.

Only widgets and their labels; the app does the work (:mod:`.storage`).
"""

from __future__ import annotations

from html import escape
from typing import Callable

import ipywidgets as w

from .storage import download_link
from .text import tr



def file_upload(on_upload: Callable[[str, bytes], object]) -> w.FileUpload:
    """An upload button for an assessment file: ``on_upload(name, content)`` per file
    chosen; emptied after each, so that the same file can be opened again."""
    upload = w.FileUpload(accept=".yaml,.yml,.json,.xlsx", multiple=False,
                          layout=w.Layout(width="auto")).add_class("cc-upload")

    def uploaded(change) -> None:
        if change["new"]:
            item = change["new"][0]
            upload.value = ()
            on_upload(item["name"], bytes(item["content"]))
    upload.observe(uploaded, "value")
    return upload

class FilesPanel:
    """Widgets of the files bar.

    Parameters
    ----------
    lang : {"fr", "en"}
    file_name : str
        Initial save name.
    on_upload : callable
        ``on_upload(name, content)`` for an uploaded file.
    on_save, on_xlsx, on_report : callable
        Called with no argument when the matching button is pressed.
    """

    def __init__(self, lang: str, file_name: str, on_upload: Callable, on_save: Callable,
                 on_xlsx: Callable, on_report: Callable, on_checklist: Callable | None = None):
        self.upload = file_upload(on_upload)
        self.name = w.Text(value=file_name,
                           layout=w.Layout(width="340px")).add_class("cc-file-name")
        self.name_label = w.HTML()
        self.save = w.Button(button_style="primary").add_class("cc-save")
        self.xlsx = w.Button().add_class("cc-xlsx")
        self.report = w.Button().add_class("cc-report")
        self.checklist = w.Button().add_class("cc-checklist")
        self.new = w.Button().add_class("cc-new")
        self.status = w.HTML().add_class("cc-status")
        self.links = w.HTML().add_class("cc-links")
        self.title = w.HTML()
        self.widget = w.VBox([
            self.title,
            w.HBox([self.new, self.upload, self.name_label, self.name, self.save, self.xlsx,
                    self.report, self.checklist],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.status, self.links]).add_class("cc-files")
        self.save.on_click(lambda _: on_save())
        self.xlsx.on_click(lambda _: on_xlsx())
        self.report.on_click(lambda _: on_report())
        self.checklist.on_click(lambda _: on_checklist() if on_checklist else None)
        self._said: tuple | None = None
        self._downloads: list[tuple[str, str | bytes]] = []
        self._lang = lang
        self.relabel(lang)

    def relabel(self, lang: str) -> None:
        """Button and field labels, and the status line, in ``lang``."""
        self._lang = lang
        self._show_status(lang)
        self.title.value = f"<b>{escape(tr('files', lang))}</b>"
        # The upload button always appends "(number of files)" to its description;
        # the CSS shows its tooltip instead (``.cc-upload::before``).
        self.upload.description = ""
        self.upload.tooltip = tr("load_button", lang)
        self.new.description = tr("new_assessment", lang)
        self.name_label.value = escape(tr("file_name", lang))
        self.save.description = tr("save", lang)
        self.xlsx.description = tr("export_xlsx", lang)
        self.report.description = tr("export_report", lang)
        self.checklist.description = tr("export_checklist", lang)
        for button in (self.new, self.save, self.xlsx, self.report, self.checklist):
            button.layout.width = "auto"

    def tell(self, key: str, fields: dict | None = None, bad: bool = False,
             downloads: list[tuple[str, str | bytes]] | None = None,
             lang: str | None = None) -> None:
        """Show a status line: the text ``key`` of :data:`.text.TEXT` with its
        fields, in red when ``bad``, and download links of ``downloads``
        (``(file name, content)`` pairs; an empty list removes the links, None
        keeps them). The line and the links follow the language (:meth:`relabel`)."""
        self._said = (key, dict(fields or {}), bad)
        if downloads is not None:
            self._downloads = list(downloads)
        self._show_status(lang or self._lang)

    def _show_status(self, lang: str) -> None:
        self.links.value = "".join(download_link(name, payload, tr("download", lang, name=name))
                                   for name, payload in self._downloads)
        if self._said is None:
            self.status.value = ""
            return
        key, fields, bad = self._said
        text = escape(tr(key, lang, **fields))
        self.status.value = f'<span class="cc-bad">{text}</span>' if bad else text
