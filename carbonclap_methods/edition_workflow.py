"""The methodologist's workflow: a draft edition made from a released one,
checked against the questionnaires and examples, then released (sealed).

- :func:`new_edition` copies an edition into a draft: its seals removed,
  ``version`` and ``title`` set, ``"draft": true``, the parent recorded, and
  a sources table (``sources.csv``) that the factor rows reference, built
  from the parent's rows when the parent has none.
- :func:`check_edition` is ``factors validate``: the edition's own checks,
  then the questionnaire templates and the example assessments against it
  (every default and choice factor exists and its unit converts; every
  example line computes), each break named by template field or example line.
- :func:`release_edition` refuses a draft that fails :func:`check_edition` or
  whose sources lack a licence or an access date; otherwise it writes
  ``CHANGELOG.md`` from the diff against the parent, seals every file with
  its sha256 and drops the draft flag. The loader then refuses any edit.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from . import bundled
from .errors import CarbonClapError, EditionExists, InvalidEdition, Location, Problem, UsageError
from .factors import (DATAPACKAGE, DESCRIPTOR_SEAL, descriptor_sha256, factors_roots,
                      load_edition, resolve_edition, user_factors_dir, validate_edition)
from .files import write_atomic

SOURCES = "sources.csv"
MARK = "Written by `carbonclap factors release`"
CHANGELOG = "CHANGELOG.md"
SOURCE_REF = "source_ref"
SOURCE_COLUMNS = ["id", "title", "publisher", "url", "licence", "access_date", "notes"]
SOURCES_SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "description": "Source id, referenced by the "
         "source_ref column of factors.csv", "constraints": {"required": True, "unique": True,
                                                             "pattern": "^[a-z0-9_]+$"}},
        {"name": "title", "type": "string", "description": "The source as cited in the factor "
         "rows (name, version, year)", "constraints": {"required": True}},
        {"name": "publisher", "type": "string", "description": "Who publishes it"},
        {"name": "url", "type": "string", "format": "uri", "description": "Where it is read"},
        {"name": "licence", "type": "string", "description": "Licence of the data (a name of the "
         "datapackage's licenses); required to release"},
        {"name": "access_date", "type": "string", "description": "When it was read (YYYY-MM-DD); "
         "required to release", "constraints": {"pattern": r"^\d{4}-\d{2}-\d{2}$"}},
        {"name": "notes", "type": "string"},
    ],
    "primaryKey": ["id"],
}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


# ---------------------------------------------------------------------------
# factors new

def drafts_root() -> Path:
    """Where ``factors new`` writes: the user folder (``--factors-dir``,
    ``$CARBONCLAP_FACTORS_DIR``), else the checkout's ``factors/``; an installed
    package's own editions are not written to."""
    user = user_factors_dir()
    if user:
        return user
    if bundled.checkout():
        return bundled.editions()
    raise UsageError("carbonclap factors new: no folder for new editions: give --factors-dir "
                     "DIR or set CARBONCLAP_FACTORS_DIR (the installed package's editions are "
                     "read-only)")


def new_edition(name: str, parent: str, root: str | os.PathLike | None = None) -> Path:
    """A draft edition ``name`` copied from the edition ``parent``.

    Parameters
    ----------
    name : str
        The new edition's name and version (letters, digits, ``.``, ``_``, ``-``).
    parent : str
        An edition name or folder; it must load (be valid).
    root : path, optional
        Folder to create it in (default: :func:`drafts_root`).

    Returns
    -------
    pathlib.Path
        The draft's folder, created atomically (a failure leaves nothing).

    Raises
    ------
    UsageError
        For a name that is not a valid folder name.
    EditionExists
        If an edition of that name exists in any searched folder or in ``root``.
    """
    if not NAME.fullmatch(name or ""):
        raise UsageError(f"carbonclap factors new: {name!r} is not a valid edition name "
                         "(letters, digits, '.', '_' or '-')")
    source = load_edition(parent)
    root = Path(root) if root else drafts_root()
    target = root / name
    clash = [r / name for r in factors_roots() + [root] if (r / name).exists()]
    if clash:
        raise EditionExists(f"edition {name!r} already exists; choose another name",
                            Location(clash[0]))
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        draft = work / name
        shutil.copytree(source.path, draft)
        (draft / CHANGELOG).unlink(missing_ok=True)      # the parent's changelog
        package = json.loads((draft / DATAPACKAGE).read_text(encoding="utf-8-sig"))
        _make_draft(package, name, source)
        if not any(r.get("name") == "sources" for r in package["resources"]):
            _add_sources(draft, package)
        write_atomic(draft / DATAPACKAGE, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
        os.replace(draft, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _make_draft(package: dict, name: str, parent) -> None:
    for resource in package["resources"]:
        resource.pop("hash", None)
    package["version"] = name
    title = package.get("title") or "carbonclap-methods emission factors"
    package["title"] = re.sub(r"edition \S+$", f"edition {name}", title) \
        if re.search(r"edition \S+$", title) else f"{title}, edition {name}"
    package["draft"] = True
    extras = package.setdefault("carbonclap", {})
    extras.pop("sealed_files", None)
    extras.pop("released", None)
    extras.pop(DESCRIPTOR_SEAL, None)
    extras["parent"] = {"edition": parent.name, "sha256": parent.sha256}
    extras["derived_from"] = parent.name                 # not the parent's own parent
    package["description"] = (f"Draft edition {name}, made from edition {parent.name} by "
                              "`carbonclap factors new`: say here what it changes and why.")


def _slug(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text.lower())).strip("_")[:60] or "source"


def _licence_for(title: str, licences: list[dict]) -> str:
    """The datapackage licence whose title names this source (``... (ADEME Base Carbone,
    ADEME Impact CO2)``), if exactly one does; else empty, to be filled before release."""
    found = []
    for licence in licences:
        named = re.search(r"\(([^)]*)\)\s*$", licence.get("title", ""))
        sources = [s.strip() for s in named.group(1).split(",")] if named else []
        if any(s and title.startswith(s.split(" conversion")[0].split(" yearly")[0])
               for s in sources):
            found.append(licence.get("name", ""))
    return found[0] if len(found) == 1 else ""


def _add_sources(folder: Path, package: dict) -> None:
    """``sources.csv`` from the distinct ``source`` of the factor rows, and a
    ``source_ref`` column in ``factors.csv`` referencing it."""
    factors = next(r for r in package["resources"] if r.get("name", "factors") == "factors")
    path = folder / factors.get("path", "factors.csv")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)))
    ids: dict[str, str] = {}
    sources = []
    for row in rows:
        title = row.get("source", "")
        if title and title not in ids:
            ident = _slug(title)
            while ident in ids.values():
                ident += "_"
            ids[title] = ident
            url = urlsplit(row.get("url") or "")
            sources.append({
                "id": ident, "title": title, "publisher": "",
                "url": f"{url.scheme}://{url.netloc}/" if url.netloc else "",
                "licence": _licence_for(title, package.get("licenses", [])),
                "access_date": "",
                "notes": "made by `carbonclap factors new` from the parent's rows: check the "
                         "publisher, url, licence and access date before release"})
    at = header.index("source") + 1
    columns = header[:at] + [SOURCE_REF] + header[at:]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, SOURCE_REF: ids.get(row.get("source", ""), "")})
    write_atomic(path, out.getvalue())
    out = io.StringIO()
    writer = csv.DictWriter(out, SOURCE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sources)
    write_atomic(folder / SOURCES, out.getvalue())
    fields = factors["schema"]["fields"]
    at = next(i for i, f in enumerate(fields) if f["name"] == "source") + 1
    fields.insert(at, {"name": SOURCE_REF, "type": "string", "description": "id of the "
                       "source in sources.csv (its title, publisher, url, licence, access date)",
                       "constraints": {"required": True}})
    factors["schema"]["foreignKeys"] = [{"fields": SOURCE_REF,
                                         "reference": {"resource": "sources", "fields": "id"}}]
    package["resources"].append({"name": "sources", "path": SOURCES, "profile": "tabular-data-resource",
                                 "format": "csv", "encoding": "utf-8", "schema": SOURCES_SCHEMA})


# ---------------------------------------------------------------------------
# factors validate

def check_edition(folder: str | os.PathLike, examples: str | os.PathLike | None = None,
                  templates: bool = True, examples_too: bool = True) -> list[str]:
    """Every problem of an edition: its files, then the questionnaire templates
    and the example assessments against it.

    Parameters
    ----------
    folder : path
        The edition folder.
    examples : path, optional
        Folder of assessments to check (default: the examples shipped with the package).
    templates, examples_too : bool
        Also check the questionnaire templates, the examples.

    Returns
    -------
    list of str
        Each problem naming the file with line and column, the template
        field, or the example line; empty when the edition is valid.
    """
    problems = validate_edition(folder)
    if problems:
        return problems
    try:
        edition = load_edition(folder)
    except CarbonClapError as exc:
        return getattr(exc, "problems", [str(exc)])
    if templates:
        from .templates import check_factors, load_templates
        problems += check_factors(load_templates(), edition)
    if examples_too:
        problems += check_examples(edition, examples or bundled.examples())
    return problems


def check_examples(edition, folder: str | os.PathLike) -> list[str]:
    """Every example line that does not compute with ``edition`` (unknown factor,
    unit that does not convert...), named by file and line."""
    from .assessment import load_assessment
    from .compute import compute

    problems = []
    files = sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    for path in files:
        try:
            assessment = load_assessment(path)
        except CarbonClapError as exc:
            problems.append(_problem(exc, Location(path)))
            continue
        try:
            compute(assessment.lines, edition)
            continue
        except CarbonClapError:
            pass
        for i in range(len(assessment.lines)):
            line = assessment.lines.iloc[[i]]
            try:
                compute(line, edition)
            except CarbonClapError as exc:
                problems.append(_problem(exc, line["where"].iloc[0]
                                         or Location(path, None, f"activities[{i}]")))
    return problems


def _problem(exc: CarbonClapError, where: Location) -> Problem:
    """An example's error as a problem: at its own place when it names a file, else at ``where``."""
    if exc.location is not None and exc.location.file is not None:
        return Problem(exc.message, exc.location)
    return Problem(str(exc), where)


# ---------------------------------------------------------------------------
# factors release

def release_problems(folder: Path, package: dict) -> list[str]:
    """What a draft lacks to be released, beyond validity: every source with a
    licence and an access date."""
    problems = []
    sources = next((r for r in package["resources"] if r.get("name") == "sources"), None)
    if sources is None:
        return [Problem("no sources table (sources.csv): every row's licence must be known to "
                        f"release; `carbonclap factors sources {folder.name}` makes one from the "
                        "rows", Location(folder / DATAPACKAGE))]
    text = (folder / sources.get("path", SOURCES)).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        for column in ("licence", "access_date"):
            if not (row.get(column) or "").strip():
                where = Location(folder / sources.get("path", SOURCES), reader.line_num,
                                 f"column {column}")
                problems.append(Problem(f"required to release ({row.get('id')})", where))
    return problems


def release_edition(name: str, examples: str | os.PathLike | None = None,
                    today: dt.date | None = None) -> Path:
    """Release the draft ``name``: check it, write its CHANGELOG, seal its files.

    Raises
    ------
    InvalidEdition
        With every problem, if the draft is not valid, breaks a template or an
        example, or lacks a source's licence or access date (nothing is written).
    EditionExists
        If the edition is already released (sealed). An edition never sealed
        (no ``hash``) is released like a draft; a CHANGELOG.md written by hand
        in it is kept below the generated one.
    """
    folder = resolve_edition(name)
    package = _unsealed(folder)
    problems = check_edition(folder, examples) or release_problems(folder, package)
    if problems:
        raise InvalidEdition(problems)
    draft = load_edition(folder)
    today = today or dt.date.today()
    text = changelog(draft, _parent(package), today)
    kept = _hand_written_changelog(folder)
    if kept:
        text += "\n## Notes kept from the draft's CHANGELOG.md\n\n" + kept
    write_atomic(folder / CHANGELOG, text)
    tables = {r.get("path", "factors.csv") for r in package["resources"]}
    for resource in package["resources"]:
        resource["hash"] = "sha256:" + _sha256(folder / resource.get("path", "factors.csv"))
    package.pop("draft", None)
    extras = package.setdefault("carbonclap", {})
    extras["released"] = today.isoformat()
    extras["sealed_files"] = {
        p.relative_to(folder).as_posix(): "sha256:" + _sha256(p)
        for p in sorted(folder.rglob("*")) if p.is_file()
        and p.relative_to(folder).as_posix() not in tables | {DATAPACKAGE}}
    extras.pop(DESCRIPTOR_SEAL, None)
    extras[DESCRIPTOR_SEAL] = descriptor_sha256(package)      # last: it covers all the rest
    write_atomic(folder / DATAPACKAGE, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    return folder


def seal_metadata(name: str) -> Path:
    """``carbonclap factors seal NAME``: :func:`add_descriptor_seal` for a user's
    edition released before metadata seals existed, only if the missing seal
    is its one problem (every table and file still matches its hash).

    Raises
    ------
    InvalidEdition
        Naming the first other problem, or saying the edition needs no seal.
    """
    folder = resolve_edition(name)
    problems = validate_edition(folder)
    missing = [p for p in problems if f"records no carbonclap.{DESCRIPTOR_SEAL}" in p]
    if not missing:
        raise InvalidEdition(f"edition {name} needs no seal: " + (
            f"it has another problem: {problems[0]}" if problems else
            "it is valid (a draft is sealed by 'factors release')"), Location(folder))
    if len(problems) > len(missing):
        other = next(p for p in problems if p not in missing)
        raise InvalidEdition(f"edition {name} is not sealed: it does not match its release "
                             f"({other})", Location(folder))
    add_descriptor_seal(folder)
    return folder


def add_descriptor_seal(folder: str | os.PathLike) -> bool:
    """Migration, once, of an edition released before its metadata was sealed:
    add ``carbonclap.descriptor_sha256`` as one line after ``"carbonclap": {``,
    changing nothing else in ``datapackage.json`` (so ``git diff`` shows one added
    line and every table hash stays). Returns False if the seal was there already.

    Run for the editions of the repository with
    ``python -c "from carbonclap_methods.edition_workflow import add_descriptor_seal as a; a('factors/2025.1')"``.
    """
    path = Path(folder) / DATAPACKAGE
    text = path.read_text(encoding="utf-8")
    package = json.loads(text)
    extras = package.get("carbonclap")
    if not isinstance(extras, dict):
        raise InvalidEdition("no 'carbonclap' object to hold the seal", Location(path))
    if DESCRIPTOR_SEAL in extras:
        return False
    seal = descriptor_sha256(package)
    head = re.search(r'^( *)"carbonclap": \{\n( *)', text, re.M)
    if head is None:
        raise InvalidEdition("no line '\"carbonclap\": {' followed by a key", Location(path))
    new = f'{text[:head.end()]}"{DESCRIPTOR_SEAL}": "{seal}",\n{head.group(2)}{text[head.end():]}'
    sealed = json.loads(new)
    if sealed["carbonclap"].pop(DESCRIPTOR_SEAL, None) != seal or sealed != package:
        raise InvalidEdition("the seal line could not be added alone", Location(path))
    write_atomic(path, new)
    return True


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_older_release(folder: Path) -> bool:
    """A released edition other than the default, older than it (today's
    questionnaires and examples are written for the default edition)."""
    from .factors import _version_key, default_edition, resolve_edition

    default = resolve_edition(None).resolve()
    if Path(folder).resolve() == default:
        return False
    package = json.loads((Path(folder) / DATAPACKAGE).read_text(encoding="utf-8-sig"))
    return is_sealed(package) and _version_key(Path(folder).name) < _version_key(default_edition())


def is_sealed(package: dict) -> bool:
    """A released edition: its tables carry a ``hash`` or its files are sealed."""
    return any(r.get("hash") for r in package["resources"]) or \
        "sealed_files" in package.get("carbonclap", {})


def _unsealed(folder: Path) -> dict:
    """The datapackage of an edition that may still change (a draft, or an edition
    never sealed), else :class:`EditionExists`."""
    package = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8-sig"))
    if is_sealed(package):
        raise EditionExists(f"edition {folder.name} is already released and must not be changed; "
                            f"make a new one (carbonclap factors new NAME --from {folder.name})",
                            Location(folder))
    return package


def _hand_written_changelog(folder: Path) -> str:
    """A CHANGELOG.md the methodologist wrote in the draft (not one this module wrote)."""
    path = folder / CHANGELOG
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    return "" if MARK in text else text.strip() + "\n"


def add_sources(name: str) -> Path:
    """Give an unsealed edition without one a sources table built from its rows
    (``carbonclap factors sources NAME``); returns the table's path."""
    folder = resolve_edition(name)
    package = _unsealed(folder)
    if any(r.get("name") == "sources" for r in package["resources"]):
        raise EditionExists(f"edition {folder.name} already has a sources table",
                            Location(folder / SOURCES))
    _add_sources(folder, package)
    write_atomic(folder / DATAPACKAGE, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    return folder / SOURCES


def _parent(package: dict):
    """The parent edition recorded by ``factors new`` (or ``derived_from``), loaded, or None."""
    extras = package.get("carbonclap", {})
    parent = extras.get("parent", {}).get("edition") or extras.get("derived_from")
    if not parent:
        return None
    try:
        return load_edition(parent)
    except CarbonClapError:
        return None


def _fmt(value, unit: str = "") -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    text = f"{value:.6g}" if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip()


def changelog(edition, parent, today: dt.date) -> str:
    """``CHANGELOG.md`` of a release: factors added, removed and changed
    against the parent, with old and new values and the change in percent."""
    head = [f"# Edition {edition.name}", ""]
    if parent is None:
        return "\n".join(head + [f"Released {today.isoformat()}. No parent edition was "
                                 "recorded or found: no diff.", ""])
    from .diff import TRACKED, diff_factors

    diff = diff_factors(parent, edition)
    counts = diff["status"].value_counts()
    head += [f"Released {today.isoformat()} from edition {parent.name} "
             f"(sha256 {parent.sha256}): " + ", ".join(
                 f"{counts.get(s, 0)} {s}" for s in ("changed", "added", "removed")) + ".",
             "", f"{MARK}. A value's change in percent is "
             "computed in kgCO2e per the parent's activity unit (a unit change alone is no "
             "change).", ""]
    old, new = parent.table, edition.table
    out = head
    changed = diff[diff["status"] == "changed"]
    if len(changed):
        out += ["## Changed", "", "| id | column | old | new | change % |",
                "| --- | --- | --- | --- | ---: |"]
        for row in changed.itertuples():
            for column in [c for c in TRACKED if c in row.changed.split(",")]:
                a, b = old.loc[row.id, column], new.loc[row.id, column]
                pct = f"{row.change_pct:+.2f}" if column == "value" and not math.isnan(
                    row.change_pct) else ""
                unit_a = f"{old.loc[row.id, 'unit']}/{old.loc[row.id, 'activity_unit']}"
                unit_b = f"{new.loc[row.id, 'unit']}/{new.loc[row.id, 'activity_unit']}"
                out.append(f"| `{row.id}` | {column} | "
                           f"{_fmt(a, unit_a if column == 'value' else '')} | "
                           f"{_fmt(b, unit_b if column == 'value' else '')} | {pct} |")
        out.append("")
    for status, table in (("added", new), ("removed", old)):
        rows = diff[diff["status"] == status]
        if len(rows):
            out += [f"## {status.capitalize()}", "", "| id | value | source | source id |",
                    "| --- | --- | --- | --- |"]
            for row in rows.itertuples():
                r = table.loc[row.id]
                out.append(f"| `{row.id}` | {_fmt(float(r['value']), r['unit'] + '/' + r['activity_unit'])} | "
                           f"{r['source']} | {r['source_id']} |")
            out.append("")
    if not len(diff):
        out += ["No factor changed.", ""]
    return "\n".join(out).rstrip("\n") + "\n"
