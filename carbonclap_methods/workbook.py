"""The Excel workbook a production manager fills, and reading it back.

Layout (one assessment per workbook):

- ``production`` (first sheet): one row per production key (title, type,
  stage, content, budget, days, country, contrails...), with labels in French
  and English and drop-down lists for the type, the stage and the contrails
  switch (empty: include, the default);
- one sheet per questionnaire section switched on, in the template's order:
  one row per line (``id``, ``field``, label, ``factor`` with a drop-down of
  the field's default and alternative factors, ``quantity``, ``unit``,
  ``phase`` with a drop-down, ``note``, ``data_quality`` with a drop-down of the four levels
  of :data:`dimensions.DATA_QUALITY` labelled in the workbook's language,
  empty for the field's default); a field with no line yet gets an empty row
  with its default factor, and rows left without a quantity are not read back;
- ``other``: lines that belong to no section of the template;
- factor, unit and phase cells and drop-downs show labels in the workbook's
  language (the edition's factor labels, :mod:`vocabulary`'s unit and phase
  labels; ``label [id]`` where a label alone would be ambiguous); reading
  takes a label in either language, the bare id or ``label [id]``;
- hidden ``lists`` (the drop-down lists), ``meta`` (other top-level keys) and
  ``ids`` (the id behind each label shown);
- optionally a result sheet (``résultats`` / ``results``, see
  :data:`RESULT_SHEETS`): totals and kgCO2e per line as the caller computed
  them when exporting, for reading in Excel; reading ignores it.

Reading refuses what would silently lose data: a missing sheet, merged
cells, text in a number cell, a missing column; each error names the file,
sheet and cell (a data-quality level that is neither an id nor a label in
French or English names the sheet, row and column). Writing is atomic. ``workbook -> dict -> workbook`` and
``YAML -> workbook -> YAML`` lose nothing: keys the layout has no column for
are kept as JSON text in the ``extra`` column (lines) or the ``meta`` sheet.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from .dimensions import DATA_QUALITY
from .errors import CarbonClapError, InvalidAssessment, Location, UnknownFactor, UnknownUnit
from .factors import Edition, load_edition
from .switches import CONTRAILS
from .files import LINE_KEY, MAX_FILE_BYTES, read_bytes, shown, write_atomic
from .templates import Template, UnknownTemplate, get_template
from .units import unit_dimensions
from .vocabulary import (FORMAT, LANGS, PHASE_LABELS, PHASES, PRODUCTION_NUMBERS,
                         PRODUCTION_TYPES, STAGE_LABELS, unit_from_label, unit_label)

PRODUCTION_SHEET = "production"
OTHER_SHEET = "other"
LISTS_SHEET = "lists"
META_SHEET = "meta"
# Hidden: the id behind each factor, unit and phase label the book shows
# (kind, id, label shown, label fr, label en); reading uses its factor rows.
IDS_SHEET = "ids"
IDS_HEADER = ["kind", "id", "shown", "label_fr", "label_en"]
RESULT_SHEETS = {"fr": "résultats", "en": "results"}   # written for people, never read back
# "n" is the line's position in the file, so that reading the workbook back
# restores the order of the lines (sheets group them by section).
LINE_HEADER = ["id", "field", "label", "factor", "quantity", "unit", "phase", "note",
               "data_quality", "extra", "n"]
# Headers as people read them; each keeps its id in brackets ("Facteur [factor]"),
# which is what reading looks for (a bare id, as in older workbooks, reads too).
HEADER_LABELS = {
    "section": ("Étape", "Section"), "id": ("Identifiant", "Id"), "field": ("Champ", "Field"),
    "label": ("Libellé", "Label"), "factor": ("Facteur", "Factor"),
    "quantity": ("Quantité", "Quantity"), "unit": ("Unité", "Unit"), "phase": ("Phase", "Phase"),
    "note": ("Note", "Note"), "data_quality": ("Qualité de la donnée", "Data quality"),
    "extra": ("Autres clés", "Other keys"), "n": ("Ordre", "Order"),
}
# Meta key recording which section each line sheet holds (sheets are titled by label).
SHEETS_KEY = "sheets"
_HEADER_ID = re.compile(r"\[([a-z_]+)\]\s*$")
# A label with its id in brackets, as a drop-down shows two factors that share
# a label ("Repas [meal_fr]"): the id in brackets is what is read.
_LABEL_WITH_ID = re.compile(r"^(.*?)\s*\[([^\[\]]+)\]$")
_FACTOR_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")       # datapackage.json's id pattern


def _key(text: str) -> str:
    """A factor or phase label as it is matched: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\']")
# Columns of the line sheets (letters), written and read by header name.
QUALITY_COLUMN = get_column_letter(LINE_HEADER.index("data_quality") + 1)
# Production keys of the first sheet, with their labels (fr, en).
PRODUCTION_KEYS = {
    "title": ("Titre", "Title"),
    "type": ("Type de production", "Production type"),
    "stage": ("Étape (prévisionnel / définitif)", "Stage (forecast / final)"),
    "content_minutes": ("Durée du contenu [minutes]", "Content duration [minutes]"),
    "episodes": ("Nombre d'épisodes", "Number of episodes"),
    "budget_eur": ("Budget [EUR HT]", "Budget [EUR excl. VAT]"),
    "days": ("Jours de tournage ou d'enregistrement", "Shooting or recording days"),
    "country": ("Pays (code ISO, ex. FR)", "Country (ISO code, e.g. FR)"),
    "contrails": ("Traînées des vols : include (défaut, ADEME) ou exclude",
                  "Flight contrails: include (default, ADEME) or exclude"),
}
# Limits on a workbook read back (README, "Limits"): its parts uncompressed
# (openpyxl holds about 8 bytes per byte of sheet XML) and rows per sheet.
MAX_WORKBOOK_XML_BYTES = 16 * 1024 * 1024
MAX_WORKBOOK_ROWS = 10_000
# Longest text a cell holds (Excel's own limit).
MAX_CELL_CHARS = 32_767
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


# ---------------------------------------------------------------------------
# Writing

def _template(data: dict) -> Template | None:
    try:
        return get_template(data.get("production", {}).get("type", ""))
    except UnknownTemplate:
        return None


def _write_header(sheet, header: list[str], lang: str | None = None) -> None:
    """Row 1: the column ids, or with ``lang`` their labels with the id in brackets."""
    if lang is not None:
        i = LANGS.index(lang)
        header = [f"{HEADER_LABELS[h][i]} [{h}]" if h in HEADER_LABELS else h for h in header]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    sheet.freeze_panes = "A2"


def production_choice_labels(key: str) -> dict[str, tuple[str, str]]:
    """The (fr, en) labels of the production type or stage ids a person picks
    from; contrails keep their ids (include/exclude, explained beside them)."""
    if key == "type":
        return {t: (get_template(t).label("fr"), get_template(t).label("en"))
                for t in PRODUCTION_TYPES}
    if key == "stage":
        return dict(STAGE_LABELS)
    return {c: (c, c) for c in CONTRAILS}


def _production_sheet(book: Workbook, production: dict, lang: str, lists: "_Lists") -> None:
    sheet = book.active
    sheet.title = PRODUCTION_SHEET
    _write_header(sheet, ["key", "value", "libellé", "label"])
    keys = list(PRODUCTION_KEYS) + [k for k in production if k not in PRODUCTION_KEYS]
    pick = LANGS.index(lang)
    for key in keys:
        fr, en = PRODUCTION_KEYS.get(key, ("", ""))
        value = production.get(key)
        if key not in PRODUCTION_KEYS:
            value = json.dumps(value, ensure_ascii=False)
        elif key in ("type", "stage") and value in production_choice_labels(key):
            value = production_choice_labels(key)[value][pick]     # the id stays in column A's key
        sheet.append([key, value, fr, en])
    for key in ("type", "stage", "contrails"):
        row = keys.index(key) + 2
        labels = [pair[pick] for pair in production_choice_labels(key).values()]
        rule = DataValidation(type="list", formula1="=" + lists.add(labels),
                              allow_blank=key == "contrails")
        rule.add(f"B{row}")
        sheet.add_data_validation(rule)
    for column, width in zip("ABCD", (18, 40, 38, 34)):
        sheet.column_dimensions[column].width = width


class _Lists:
    """The hidden sheet holding one drop-down list per column."""

    def __init__(self, book: Workbook):
        self.sheet = book.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.columns = 0
        self._quality: dict[str, str] = {}

    def quality(self, lang: str) -> str:
        """The reference of the drop-down list of data-quality levels (labels in ``lang``)."""
        if lang not in self._quality:
            self._quality[lang] = self.add([quality_label(k, lang) for k in DATA_QUALITY])
        return self._quality[lang]

    def phases(self, shown: "_Shown") -> str:
        """The reference of the drop-down list of phases (labels in the book's language)."""
        if "phases" not in self._quality:
            self._quality["phases"] = self.add([shown.phase(p) for p in PHASES])
        return self._quality["phases"]

    def add(self, values: list[str]) -> str:
        self.columns += 1
        letter = get_column_letter(self.columns)
        for row, value in enumerate(values, start=1):
            self.sheet.cell(row=row, column=self.columns, value=value)
        return f"{LISTS_SHEET}!${letter}$1:${letter}${len(values)}"


class _Shown:
    """What the book shows for a factor, a unit or a phase id: its label in the
    book's language (factors: the edition's ``label_fr`` / ``label_en``; units
    and phases: :mod:`vocabulary`), the id in brackets where the label alone
    would read back as another id (a label two factors share, in either
    language, or a label equal to another factor's id). Records every id shown for the hidden ``ids`` sheet."""

    def __init__(self, edition: Edition, lang: str):
        self.table, self.lang = edition.table, lang
        self.rows: dict[tuple[str, str, str], list[str]] = {}
        self._owners: dict[str, set[str]] = {}          # label (either language) -> factor ids
        for column in ("label_fr", "label_en"):
            for factor, label in zip(self.table.index, self.table[column]):
                self._owners.setdefault(_key(str(label)), set()).add(factor)
        for factor in self.table.index:       # every id is taken: a label equal to another
            self._owners.setdefault(_key(str(factor)), set()).add(factor)   # id carries its own

    def _record(self, kind: str, id_: str, shown: str, fr: str = "", en: str = "") -> str:
        self.rows.setdefault((kind, id_, shown), [kind, id_, shown, fr, en])
        return shown

    def _factor_labels(self, factor: str) -> tuple[str, str]:
        if factor in self.table.index:
            return (str(self.table.at[factor, "label_fr"]), str(self.table.at[factor, "label_en"]))
        return ("", "")

    def factor(self, factor: str) -> str:
        """A factor's label in the book's language (``label [id]`` if another
        factor has that label); its id if the edition has no such factor."""
        labels = self._factor_labels(factor)
        label = labels[LANGS.index(self.lang)] or factor
        alone = self._owners.get(_key(label), {factor}) <= {factor}
        shown = label if alone else f"{label} [{factor}]"
        return self._record("factor", factor, shown, *labels)

    def factors(self, ids: list[str]) -> dict[str, str]:
        """Id -> text of one drop-down (unique: a shared label carries its id)."""
        return {i: self.factor(i) for i in ids}

    def unit(self, unit: str) -> str:
        """A unit's label; ``label [id]`` if the label reads back as another unit
        (``heure ETP`` is ``FTE_hour``, so ``full_time_equivalent_hour`` shows its id)."""
        label = unit_label(unit, self.lang)
        back = unit_from_label(label)
        shown = label if back == unit or (back is None and label == unit) else f"{label} [{unit}]"
        return self._record("unit", unit, shown, unit_label(unit, "fr"), unit_label(unit, "en"))

    def phase(self, phase: str) -> str:
        if phase not in PHASE_LABELS:
            return str(phase)
        return self._record("phase", phase, PHASE_LABELS[phase][LANGS.index(self.lang)],
                            *PHASE_LABELS[phase])


def quality_label(level: str, lang: str) -> str:
    """The label of a data-quality level in ``lang`` (the drop-down shows these)."""
    return DATA_QUALITY[level][1][LANGS.index(lang)]


def _quality_cell(line: dict, lang: str) -> str:
    level = line.get("data_quality") or ""
    return quality_label(level, lang) if level in DATA_QUALITY else str(level)


def _quality_prompt(lang: str, default: str | None) -> tuple[str, str]:
    """Title and text of the input message of a data-quality cell (Excel: 32 and
    255 characters at most)."""
    levels = "; ".join(f"{quality_label(k, lang)} ±{v[0]:g} %" for k, v in DATA_QUALITY.items())
    if lang == "fr":
        title, empty = "Qualité de la donnée", "vide : niveau par défaut de la rubrique"
    else:
        title, empty = "Data quality", "empty: the field's default level"
    if default:
        empty += f" ({quality_label(default, lang)})"
    return title, f"{levels}. {empty}."[:255]


def _quality_rule(lists: _Lists, lang: str, default: str | None) -> DataValidation:
    rule = DataValidation(type="list", formula1="=" + lists.quality(lang), allow_blank=True)
    rule.promptTitle, rule.prompt = _quality_prompt(lang, default)
    rule.showInputMessage = True
    rule.error = {"fr": "Choisissez un niveau de la liste, ou laissez vide.",
                  "en": "Pick a level from the list, or leave it empty."}[lang]
    rule.showErrorMessage = True
    return rule


def _line_row(line: dict, label: str, position: int | None, shown: _Shown,
              factors: dict[str, str] | None = None) -> list:
    """A line's cells; factor, unit and phase as labels (``factors``: the texts
    of the row's factor drop-down, by id)."""
    extra = {k: v for k, v in line.items() if k not in
             ("id", "section", "field", "factor", "quantity", "unit", "phase", "note",
              "data_quality")}
    factor = line["factor"]
    if isinstance(factor, str):
        factor = (factors or {}).get(factor) or shown.factor(factor)
    unit = shown.unit(line["unit"]) if isinstance(line["unit"], str) else line["unit"]
    phase = shown.phase(line["phase"]) if isinstance(line["phase"], str) else line["phase"]
    return [line.get("id", ""), line.get("field", ""), label, factor, line["quantity"],
            unit, phase, line.get("note", ""), _quality_cell(line, shown.lang),
            json.dumps(extra, ensure_ascii=False) if extra else "", position]


def _sheet_title(section, lang: str, taken: set[str]) -> str:
    """The section's label as a sheet title: Excel's 31 characters, none of
    []:*?/\\', unique in the book. An apostrophe (allowed by Excel inside a
    title, not at its ends) becomes the typographic one: « l’équipe »."""
    label = section.label(lang).replace("'", "\u2019")
    base = _SHEET_TITLE_BAD.sub(" ", label).strip()[:31].strip() or section.id[:31]
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:28]} {n}"
        n += 1
    taken.add(title.lower())
    return title


def _section_sheet(book: Workbook, section, lines: list[tuple[int, dict]], lists: _Lists,
                   shown: _Shown, titles: dict[str, str]) -> None:
    lang = shown.lang
    taken = {name.lower() for name in book.sheetnames} | {
        n.lower() for n in (PRODUCTION_SHEET, OTHER_SHEET, LISTS_SHEET, META_SHEET, IDS_SHEET,
                            *RESULT_SHEETS.values())}
    title = _sheet_title(section, lang, taken)
    titles[title] = section.id
    sheet = book.create_sheet(title)
    _write_header(sheet, LINE_HEADER, lang)
    sheet[f"{QUALITY_COLUMN}1"].comment = Comment(_quality_prompt(lang, None)[1], "carbonclap")
    row = 1                                 # the last row written
    for item in section.fields:
        rows = [(n, l) for n, l in lines if l.get("field") == item.id] or [
            (None, {"id": f"{section.id}.{item.id}", "field": item.id, "factor": item.default_factor,
                    "quantity": None, "unit": item.unit, "phase": item.phase})]
        factors = shown.factors(list(item.factors))
        first = row + 1
        for n, line in rows:
            sheet.append(_line_row(line, item.label(lang), n, shown, factors))
            row += 1
            sheet[f"C{row}"].comment = Comment(item.help(lang)[:1000], "carbonclap")
        _rule(sheet, DataValidation(type="list", formula1="=" + lists.add(list(factors.values()))),
              "D", first, row)
        _rule(sheet, _quality_rule(lists, lang, item.data_quality), QUALITY_COLUMN, first, row)
    known = {f.id for f in section.fields}
    first = row + 1
    for n, line in lines:
        if line.get("field") not in known:
            sheet.append(_line_row(line, "", n, shown))
            row += 1
    _rule(sheet, _quality_rule(lists, lang, None), QUALITY_COLUMN, first, row)
    _rule(sheet, DataValidation(type="list", formula1="=" + lists.phases(shown)), "G", 2, row)
    for column, width in zip("ABCDEFGHIJ", (28, 20, 44, 60, 12, 16, 26, 30, 26, 16)):
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions[get_column_letter(len(LINE_HEADER))].hidden = True


def _rule(sheet, rule: DataValidation, column: str, first: int, last: int) -> None:
    """Apply ``rule`` to rows ``first`` to ``last`` of ``column`` as one range
    (openpyxl's per-cell ``add`` checks every cell already added: quadratic)."""
    if last >= first:
        rule.sqref = MultiCellRange(f"{column}{first}:{column}{last}")
        sheet.add_data_validation(rule)


def _ids_sheet(book: Workbook, shown: _Shown) -> None:
    """The hidden sheet of ids: the language, then each factor, unit and phase shown."""
    sheet = book.create_sheet(IDS_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append(IDS_HEADER)
    sheet.append(["lang", shown.lang, "", "", ""])
    for row in sorted(shown.rows.values(), key=lambda r: (("factor", "unit", "phase").index(r[0]),
                                                          r[1], r[2])):
        sheet.append(row)


def _check_storable(node: Any, where: str) -> None:
    """Every text of the assessment fits in a cell: no control character an
    .xlsx cannot hold, no text over Excel's 32,767 characters."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != LINE_KEY:
                _check_storable(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_storable(value, f"{where}[{i}]")
    elif isinstance(node, str):
        bad = ILLEGAL_CHARACTERS_RE.search(node)
        if bad:
            raise InvalidAssessment(f"holds the control character U+{ord(bad.group()):04X}, "
                                    "which a workbook cannot store", Location(field=where))
        if len(node) > MAX_CELL_CHARS:
            raise InvalidAssessment(f"{len(node):,} characters is over the {MAX_CELL_CHARS:,} "
                                    "a workbook cell holds", Location(field=where))


def _all_text_as_text(book: Workbook) -> None:
    """Cells are written as values, never formulas: openpyxl turns a text that
    starts with ``=`` (a title ``=HYPERLINK(...)``) into a live formula; the
    toolkit writes no formula, so every such cell is stored back as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


# Headers of share columns in the result rows (the app's "Part" / "Share"),
# shown as percentages.
SHARE_HEADERS = ("Part", "Share")


def _result_sheet(book: Workbook, rows: list[tuple[str, list]], lang: str) -> None:
    """The result sheet, second in the book. Each row is ``(kind, cells)``:
    ``"h"`` a heading, ``"th"`` a header, ``"td"`` data, ``"note"`` a remark."""
    sheet = book.create_sheet(RESULT_SHEETS[lang], index=1)
    percent = set()                           # columns of the last header holding shares
    for kind, cells in rows:
        sheet.append(list(cells))
        if kind == "th":
            percent = {i for i, text in enumerate(cells) if text in SHARE_HEADERS}
        for i, cell in enumerate(sheet[sheet.max_row] if cells else ()):
            if isinstance(cell.value, str):
                cell.data_type = "s"          # text stays text, even if it starts with "="
            elif isinstance(cell.value, float):
                cell.number_format = "0.0%" if i in percent else "#,##0.000"
            if kind == "h":
                cell.font = Font(bold=True, size=12)
            elif kind == "th":
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            elif kind == "note":
                cell.font = Font(italic=True, color="5B6770")
    for column, width in zip("ABCDEFGH", (46, 50, 14, 16, 24, 14, 24, 30)):
        sheet.column_dimensions[column].width = width


def workbook_bytes(data: dict, lang: str = "fr",
                   result_rows: list[tuple[str, list]] | None = None,
                   edition: Edition | None = None) -> bytes:
    """An assessment (in the file format's dict shape) as an .xlsx workbook.

    Parameters
    ----------
    data : dict
        ``format``, ``production``, ``activities`` and optional other keys
        (``sections``: the questionnaire sections switched on).
    lang : {"fr", "en"}
        Language of the field labels and help comments.
    result_rows : list of (kind, cells), optional
        Rows of the result sheet (headings ``"h"``, headers ``"th"``, data
        ``"td"``, remarks ``"note"``: totals by category and phase, kgCO2e per
        line), labelled in ``lang`` by the caller; the sheet is named
        ``RESULT_SHEETS[lang]`` and ignored when reading.
    edition : Edition, optional
        Whose factor labels the book shows (default: the default edition);
        factor, unit and phase cells show labels in ``lang``, their ids are
        in the hidden ``ids`` sheet.
    """
    _check_storable(data, "")
    book = Workbook()
    lists = _Lists(book)
    _production_sheet(book, data.get("production", {}), lang, lists)
    shown = _Shown(edition if edition is not None else load_edition(), lang)
    template = _template(data)
    lines = list(data.get("activities", []))
    placed: set[int] = set()
    titles: dict[str, str] = {}             # sheet title -> section id
    if template is not None:
        enabled = data.get("sections") or list(template.section_ids)
        for section in template.sections:
            mine = [i for i, l in enumerate(lines) if l.get("section") == section.id]
            if section.id not in enabled and not mine:
                continue
            placed.update(mine)
            _section_sheet(book, section, [(i, lines[i]) for i in mine], lists, shown, titles)
    other = book.create_sheet(OTHER_SHEET)
    _write_header(other, ["section"] + LINE_HEADER, lang)
    row = 1
    for i, line in enumerate(lines):
        if i not in placed:
            other.append([line.get("section", "")] + _line_row(line, "", i, shown))
            row += 1
    _rule(other, _quality_rule(lists, lang, None),
          get_column_letter(LINE_HEADER.index("data_quality") + 2), 2, row)
    _rule(other, DataValidation(type="list", formula1="=" + lists.phases(shown)),
          get_column_letter(LINE_HEADER.index("phase") + 2), 2, row)
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["key", "json"])
    for key, value in data.items():
        if key not in ("production", "activities", SHEETS_KEY):
            meta.append([key, json.dumps(value, ensure_ascii=False)])
    meta.append([SHEETS_KEY, json.dumps(titles, ensure_ascii=False)])
    _ids_sheet(book, shown)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    _all_text_as_text(book)
    if result_rows:
        _result_sheet(book, result_rows, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(data: dict, path: str | Path, lang: str = "fr",
                   result_rows: list[tuple[str, list]] | None = None,
                   edition: Edition | None = None) -> None:
    """Write :func:`workbook_bytes` to ``path`` atomically."""
    write_atomic(Path(path), workbook_bytes(data, lang, result_rows, edition))


# ---------------------------------------------------------------------------
# Reading

def _open(path: Path):
    """The workbook, cells holding formulas replaced by the values last computed
    (refused when the file holds none: a formula openpyxl or a script wrote)."""
    data = read_bytes(path, InvalidAssessment, MAX_FILE_BYTES)
    _check_size(path, data)
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - any failure to parse a user's file
        raise InvalidAssessment("not an Excel workbook (.xlsx) that can be read "
                                f"({type(exc).__name__})", Location(path)) from None
    for sheet in book.worksheets:
        if sheet.max_row > MAX_WORKBOOK_ROWS:
            raise InvalidAssessment(f"{sheet.max_row:,} rows is over the limit of "
                                    f"{MAX_WORKBOOK_ROWS:,} rows per sheet",
                                    Location(path, sheet=sheet.title))
    _formulas_to_values(path, book, data)
    return book


def _check_size(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidAssessment("not an Excel workbook (.xlsx) that can be read "
                                f"({type(exc).__name__})", Location(path)) from None
    if size > MAX_WORKBOOK_XML_BYTES:
        raise InvalidAssessment(f"{size:,} bytes uncompressed is over the limit of "
                                f"{MAX_WORKBOOK_XML_BYTES:,} bytes for a workbook", Location(path))


def _formulas_to_values(path: Path, book, data: bytes) -> None:
    values = None
    for sheet in book.worksheets:
        if sheet.title in RESULT_SHEETS.values():      # written for people, never read back
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                if values is None:
                    values = load_workbook(io.BytesIO(data), data_only=True)
                cached = values[sheet.title][cell.coordinate].value
                if cached is None:
                    formula = str(getattr(cell.value, "text", cell.value))[:40]
                    raise InvalidAssessment(
                        f"holds the formula {formula} with no computed value; type the value, "
                        "or open and save the file in a spreadsheet application",
                        Location(path, field=f"cell {cell.coordinate}", sheet=sheet.title))
                cell.value = cached
                if isinstance(cached, str):
                    cell.data_type = "s"


def _visible(path: Path, sheet) -> None:
    """A hidden sheet or row would be counted without being seen: refused."""
    if sheet.sheet_state != "visible":
        raise InvalidAssessment("the sheet is hidden; unhide it (its lines would count without "
                                "being seen) or delete it", Location(path, sheet=sheet.title))
    for number, dimension in sheet.row_dimensions.items():
        if dimension.hidden and any(c.value not in (None, "") for c in sheet[number]):
            raise InvalidAssessment("the row is hidden; unhide it (it would count without being "
                                    "seen) or delete it", Location(path, sheet=sheet.title, row=number))


def _no_merged_cells(path: Path, sheet) -> None:
    ranges = list(sheet.merged_cells.ranges)
    if ranges:
        raise InvalidAssessment(f"merged cells {ranges[0].coord} are not allowed; unmerge them "
                                "so each value has its own cell", Location(path, sheet=sheet.title))


def _number(path: Path, sheet, cell, key: str) -> float | None:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidAssessment(f"{value!r} is not a number", Location(
            path, field=f"cell {cell.coordinate} ({key})", sheet=sheet.title))
    return float(value)


def _json_or_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return value


def _read_production(path: Path, book) -> dict:
    if PRODUCTION_SHEET not in book.sheetnames:
        raise InvalidAssessment(f"missing sheet {PRODUCTION_SHEET!r} (sheets found: "
                                f"{', '.join(book.sheetnames)})", Location(path))
    sheet = book[PRODUCTION_SHEET]
    _no_merged_cells(path, sheet)
    _visible(path, sheet)
    production: dict = {}
    for row in sheet.iter_rows(min_row=2):
        key = row[0].value
        if key is None or str(key).strip() == "":
            continue
        key = str(key).strip()
        if key in production:
            raise InvalidAssessment(f"{shown(key)} is given twice; keep one row",
                                    Location(path, sheet=PRODUCTION_SHEET, row=row[0].row))
        if key in PRODUCTION_NUMBERS:
            value = _number(path, sheet, row[1], key)
        elif key in ("type", "stage"):
            value = _production_choice(path, key, row[1], _book_lang(book))
        elif key in PRODUCTION_KEYS:
            value = row[1].value
        else:
            value = _json_or_text(row[1].value)
        if value is not None and value != "":
            production[key] = value
    production[LINE_KEY] = Location(sheet=PRODUCTION_SHEET)
    return production


def _book_lang(book) -> str:
    """The language the book was written in (its hidden ids sheet), else French."""
    if IDS_SHEET in book.sheetnames:
        for row in book[IDS_SHEET].iter_rows(min_row=2, max_row=3, values_only=True):
            if row and row[0] == "lang" and len(row) > 1 and row[1] in LANGS:
                return row[1]
    return "fr"


def _production_choice(path: Path, key: str, cell, lang: str):
    """A production type or stage as its id: the id itself, or its label in
    either language (case and spaces ignored). Anything else is refused naming
    the cell and the choices as the book's drop-down shows them (labels in
    ``lang``), with their ids."""
    value = _text(cell)
    if value is None or value == "":
        return None
    choices = production_choice_labels(key)
    if isinstance(value, str):
        wanted = _key(value)
        for choice, labels in choices.items():
            if wanted in (choice.casefold(), *(_key(label) for label in labels)):
                return choice
    names = ", ".join(f"{labels[LANGS.index(lang)]} ({choice})" for choice, labels in choices.items())
    what = {"type": "a production type", "stage": "an assessment stage"}[key]
    raise InvalidAssessment(f"{value!r} is not {what}; choose one of: {names}",
                            Location(path, field=f"column {cell.column_letter} ({key})",
                                     sheet=PRODUCTION_SHEET, row=cell.row))


def _header_ids(sheet) -> list[str]:
    """Row 1 as column ids: ``Facteur [factor]`` -> ``factor``; a bare id as it is."""
    out = []
    for cell in sheet[1]:
        text = str(cell.value).strip() if cell.value is not None else ""
        found = _HEADER_ID.search(text)
        out.append(found.group(1) if found else text)
    return out


def _header(path: Path, sheet, wanted: list[str]) -> dict[str, int]:
    header = _header_ids(sheet)
    missing = [name for name in wanted if name not in header]
    if missing:
        raise InvalidAssessment(f"missing column(s) {', '.join(missing)}",
                                Location(path, sheet=sheet.title, row=1))
    twice = [name for name in wanted if header.count(name) > 1]
    if twice:
        raise InvalidAssessment(f"column {twice[0]} is given twice; keep one (the other would be "
                                "ignored)", Location(path, sheet=sheet.title, row=1))
    return {name: header.index(name) for name in wanted}


def _no_hidden_columns(path: Path, sheet, columns: dict[str, int]) -> None:
    """A hidden column that is read would count without being seen (the writer
    hides only its technical column ``n``)."""
    hidden = set()
    for dimension in sheet.column_dimensions.values():
        if dimension.hidden:
            hidden.update(range(dimension.min or 0, (dimension.max or dimension.min or 0) + 1))
    for name, index in columns.items():
        if name != "n" and index + 1 in hidden:
            raise InvalidAssessment("the column is hidden; unhide it (it would count without "
                                    "being seen)", Location(path, sheet=sheet.title, field=f"column "
                                                            f"{get_column_letter(index + 1)} ({name})"))


class _Names:
    """Reading factor, unit and phase cells: a label in either language, the
    bare id, or ``label [id]``. Factor labels come from the book's hidden
    ``ids`` sheet, else from the default edition; unit and phase labels from
    :mod:`vocabulary`. An id-shaped factor or any unit that is no label is
    read as it is (computing checks it against the edition)."""

    def __init__(self, path: Path, book, production_type: Any):
        self.path, self.lang = path, "fr"
        self.factor_names: dict[str, set[str]] = {}
        self.factor_shown: dict[str, str] = {}
        self.factor_labels: dict[str, tuple[str, str]] = {}     # id -> (label_fr, label_en)
        self.factor_by_text: dict[str, str] = {}      # a cell's exact text as written -> id
        self._edition_table = None
        self._edition_names: dict[str, set[str]] | None = None
        self._type = production_type
        twice: set[str] = set()
        if IDS_SHEET in book.sheetnames:
            for row in book[IDS_SHEET].iter_rows(min_row=2, values_only=True):
                kind, id_, *labels = (tuple(str(c) if c is not None else "" for c in row)
                                      + ("",) * 5)[:5]
                if kind == "lang" and id_ in LANGS:
                    self.lang = id_
                elif kind == "factor" and id_:
                    self.factor_shown.setdefault(id_, labels[0] or id_)
                    self.factor_labels.setdefault(id_, (labels[1], labels[2]))
                    text = labels[0].strip()
                    if text and self.factor_by_text.setdefault(text, id_) != id_:
                        twice.add(text)         # an edited ids sheet: the text names no one
                    for name in (id_, *labels):
                        if name:
                            self.factor_names.setdefault(_key(name), set()).add(id_)
        for text in twice:
            del self.factor_by_text[text]
        self.phase_names = {_key(n): p for p, labels in PHASE_LABELS.items()
                            for n in (p, *labels)}

    def _where(self, sheet, cell, column: str) -> Location:
        return Location(self.path, field=f"column {cell.column_letter} ({column})",
                        sheet=sheet.title, row=cell.row)

    def _table(self):
        """The default edition's table, None if there is no usable one (the book's labels only)."""
        if self._edition_table is None:
            try:
                self._edition_table = load_edition().table
            except CarbonClapError:
                self._edition_table = False
        return self._edition_table if self._edition_table is not False else None

    def _factor_labels_of(self, factor: str) -> tuple[str, ...]:
        """A factor's labels (fr, en): the book's, else the default edition's; () if unknown."""
        if factor in self.factor_labels:
            return self.factor_labels[factor]
        table = self._table()
        if table is not None and factor in table.index:
            return tuple(str(table.at[factor, f"label_{lang}"]) for lang in LANGS)
        return ()

    def _agreeing(self, sheet, cell, column: str, bracket, names: tuple[str, ...]) -> str:
        """The id of a ``label [id]`` cell once its label is checked: absent, the
        id itself, or a label of the id in either language (case and spaces
        ignored; ``names`` empty: the id is unknown here, computing checks it)."""
        label, id_ = bracket.group(1).strip(), bracket.group(2).strip()
        if not label or not any(names) or _key(label) in {_key(n) for n in (id_, *names) if n}:
            return id_
        raise InvalidAssessment(
            f"the label {label!r} and the id [{id_}] disagree ({id_} is "
            f"{names[LANGS.index(self.lang)] or names[0]!r}); keep one of them",
            self._where(sheet, cell, column))

    def _from_edition(self, key: str) -> set[str]:
        if self._edition_names is None:
            self._edition_names = {}
            table = self._table()
            if table is None:                # no usable default edition: the book's labels only
                return set()
            for lang in LANGS:
                for factor, label in zip(table.index, table[f"label_{lang}"]):
                    self._edition_names.setdefault(_key(str(label)), set()).add(factor)
        return self._edition_names.get(key, set())

    def factor(self, sheet, cell, line: dict) -> Any:
        value = _text(cell)
        if not isinstance(value, str) or not value:
            return value
        if value in self.factor_by_text:     # the text the book wrote: unique by construction
            return self.factor_by_text[value]
        if value in self.factor_labels:      # a bare id of the book (before labels equal to it)
            return value
        bracket = _LABEL_WITH_ID.match(value)
        if bracket:
            return self._agreeing(sheet, cell, "factor", bracket,
                                  self._factor_labels_of(bracket.group(2).strip()))
        found = self.factor_names.get(_key(value), set())
        if len(found) == 1:
            return next(iter(found))
        if _FACTOR_ID.match(value):
            return value
        found = found or self._from_edition(_key(value))
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise UnknownFactor(f"{value!r} is the label of several factors "
                                f"({', '.join(sorted(found))}); write it as '{value} [id]'",
                                self._where(sheet, cell, "factor"))
        raise UnknownFactor(f"{value!r} is not the label or id of a factor; choose "
                            f"{self._factor_choices(line)}", self._where(sheet, cell, "factor"))

    def _field(self, line: dict):
        """The questionnaire field a line answers, or None."""
        try:
            return get_template(str(self._type)).section(line.get("section")).field(
                line.get("field"))
        except UnknownTemplate:
            return None

    def _factor_choices(self, line: dict) -> str:
        item = self._field(line)
        if item is None:
            return "a factor id (carbonclap factors list)"
        names = [self.factor_shown.get(f, f) for f in item.factors]
        more = f"… ({len(names)} in the cell's drop-down)" if len(names) > 3 else ""
        return "one of: " + ", ".join(names[:3]) + more

    def unit(self, sheet, cell, line: dict) -> Any:
        value = _text(cell)
        if not isinstance(value, str) or not value:
            return value
        found = unit_from_label(value)
        if found:
            return found
        bracket = _LABEL_WITH_ID.match(value)
        if bracket:
            unit = bracket.group(2).strip()
            if unit_from_label(bracket.group(1).strip()) == unit:
                return unit
            return self._agreeing(sheet, cell, "unit", bracket,
                                  tuple(unit_label(unit, lang) for lang in LANGS))
        try:
            unit_dimensions(value)      # any unit pint reads (km, pkm, kEUR_2024); remembered
        except UnknownUnit as exc:
            item = self._field(line)
            example = (unit_label(item.unit, self.lang).replace("·", ".")     # typeable
                       if item is not None else "km, kWh, kg")
            raise UnknownUnit(f"{exc}; write e.g. {example}, or another unit of the same kind",
                              self._where(sheet, cell, "unit")) from None
        return value

    def phase(self, sheet, cell) -> Any:
        value = _text(cell)
        if not isinstance(value, str) or not value:
            return value
        bracket = _LABEL_WITH_ID.match(value)
        found = self.phase_names.get(_key(value))
        if not found and bracket and bracket.group(2).strip() in PHASES:
            found = self._agreeing(sheet, cell, "phase", bracket,
                                   PHASE_LABELS[bracket.group(2).strip()])
        if found in PHASES:
            return found
        choices = ", ".join(PHASE_LABELS[p][LANGS.index(self.lang)] for p in PHASES)
        raise InvalidAssessment(f"{value!r} is not a phase; choose one of: {choices}",
                                self._where(sheet, cell, "phase"))


def _read_lines(path: Path, sheet, section: str | None, names: _Names) -> list[tuple[float, dict]]:
    _no_merged_cells(path, sheet)
    _visible(path, sheet)
    wanted = (["section"] if section is None else []) + ["id", "field", "factor", "quantity",
                                                         "unit", "phase", "note", "extra"]
    columns = _header(path, sheet, wanted)
    header = _header_ids(sheet)
    for optional in ("n", "data_quality"):     # workbooks written before data_quality
        if optional in header:
            columns[optional] = header.index(optional)
    _no_hidden_columns(path, sheet, columns)
    lines = []
    for row in sheet.iter_rows(min_row=2):
        cells = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        quantity = _number(path, sheet, cells["quantity"], "quantity") if cells["quantity"] else None
        if quantity is None:
            continue                      # a questionnaire row left empty
        line: dict = {LINE_KEY: Location(sheet=sheet.title, row=row[0].row)}
        line_section = section if section is not None else _text(cells["section"])
        for key, value in (("id", _text(cells["id"])), ("section", line_section),
                           ("field", _text(cells["field"]))):
            if value:
                line[key] = value
        line.update(factor=names.factor(sheet, cells["factor"], line), quantity=quantity,
                    unit=names.unit(sheet, cells["unit"], line),
                    phase=names.phase(sheet, cells["phase"]))
        if _text(cells["note"]):
            line["note"] = cells["note"].value if isinstance(cells["note"].value, str) \
                else _text(cells["note"])              # a note is kept as typed
        extra = _json_or_text(cells["extra"].value) if cells["extra"] else None
        if isinstance(extra, dict):
            line.update(extra)
        quality = _quality(path, sheet, cells.get("data_quality"))
        if quality:
            line["data_quality"] = quality
        position = cells.get("n").value if cells.get("n") is not None else None
        lines.append((position if isinstance(position, (int, float)) else math.inf, line))
    return lines


# A data-quality cell holds a level's id or its label in either language.
_QUALITY_NAMES = {name.casefold(): level for level, (_, labels) in DATA_QUALITY.items()
                  for name in (level, *labels)}


def _quality(path: Path, sheet, cell) -> str | None:
    """The data-quality level of a line's cell: None when empty (the field's
    default applies); an unknown value names the sheet, row and column."""
    value = _text(cell)
    if value is None or value == "":
        return None
    level = _QUALITY_NAMES.get(str(value).casefold())
    if level is None:
        names = ", ".join(f"{quality_label(k, 'fr')} / {quality_label(k, 'en')}"
                          for k in DATA_QUALITY)
        raise InvalidAssessment(f"{value!r} is not a data-quality level; choose one of: {names}, "
                                "or leave it empty", Location(path, sheet=sheet.title, row=cell.row,
                                field=f"column {cell.column_letter} (data_quality)"))
    return level


def _text(cell) -> Any:
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return str(value).strip() if isinstance(value, str) else value


def read_workbook(path: str | Path) -> dict:
    """An assessment workbook as a dict in the file format's shape.

    Rows whose quantity is empty are questionnaire lines not filled in and
    are skipped. The dict records each line's sheet and row for error
    messages; :func:`assessment.from_dict` checks the content.

    Raises
    ------
    InvalidAssessment
        Naming the file, sheet and cell: not a workbook, missing sheet or
        column, merged cells, text in a number cell.
    """
    path = Path(path)
    book = _open(path)
    data: dict = {"format": FORMAT}
    titles: dict = {}
    if META_SHEET in book.sheetnames:
        for row in book[META_SHEET].iter_rows(min_row=2, values_only=True):
            key, value = (tuple(row) + (None, None))[:2]
            if str(key) == SHEETS_KEY:
                found = _json_or_text(value)
                titles = found if isinstance(found, dict) else {}
            elif key not in (None, "") and str(key) not in ("format", "production", "activities"):
                data[str(key)] = _json_or_text(value)
    data["production"] = _read_production(path, book)
    names = _Names(path, book, data["production"].get("type"))
    activities = []
    for name in book.sheetnames:
        if name in (PRODUCTION_SHEET, LISTS_SHEET, META_SHEET, IDS_SHEET, *RESULT_SHEETS.values()):
            continue
        section = None if name == OTHER_SHEET else str(titles.get(name, name))
        activities += _read_lines(path, book[name], section, names)
    # lines written by the toolkit come back in file order; rows a user added follow
    activities.sort(key=lambda pair: pair[0])
    data["activities"] = [line for _, line in activities]
    return data
