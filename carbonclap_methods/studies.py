"""Study notebooks run with papermill: list, check parameters, run, write outputs.

A study is a notebook ``studies/<name>.ipynb`` whose cell tagged
``parameters`` declares each parameter as ``name: type = default  # help``,
so that ``papermill --help-notebook`` documents it. :func:`parameters` reads
that cell with papermill's own inspection; :func:`check_parameters` refuses
an unknown name, a value of the wrong type or out of its domain before
anything runs; :func:`run` executes the notebook into an output folder, where
the notebook writes ``results.json``, ``results.csv`` and its charts (PNG and
SVG, French and English) through :func:`write_outputs`.

``python -m carbonclap_methods.studies [--output DIR]`` runs every study with
its defaults (``make demo``), with a progress bar.
"""

from __future__ import annotations

import argparse
import ast
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from . import __version__, bundled
from .errors import CarbonClapError, InvalidParameter, Location, StudyError, UnknownStudy
from .factors import resolve_edition
from .files import write_atomic
from .render import csv_cell, json_text
from .files import MAX_ITERATIONS

STUDIES_DIR = bundled.studies()
# Default output folder: output/ in the current folder (the repository's for `make demo`).
OUTPUT_DIR = Path("output")
# Set by the runner from --output, never by -p.
RESERVED = ("output_dir",)
# Parameters naming a file or folder, relative to the user's working directory.
PATH_PARAMETERS = ("examples_dir", "portfolio", "productions", "scenarios")
KERNEL = "python3"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a study notebook, as declared in its parameters cell."""

    name: str
    type: str       # "str", "int", "float" or "bool"
    default: object
    help: str


# ---------------------------------------------------------------------------
# Finding studies and their parameters

def study_names() -> list[str]:
    """Names of the studies (``studies/*.ipynb``), sorted."""
    return sorted(p.stem for p in STUDIES_DIR.glob("*.ipynb"))


def study_path(name: str) -> Path:
    """The notebook of a study; :class:`UnknownStudy` lists the valid names."""
    path = STUDIES_DIR / f"{name}.ipynb"
    if not re.fullmatch(r"[a-z0-9_]+", name or "") or not path.is_file():
        raise UnknownStudy(f"unknown study {name!r} (studies: {', '.join(study_names()) or 'none'})")
    return path


def parameters(name: str) -> dict[str, Parameter]:
    """The parameters of a study, read from its cell tagged ``parameters``.

    Uses papermill's inspection (``papermill --help-notebook``); defaults are
    the Python literals of the cell.
    """
    import papermill

    found = papermill.inspect_notebook(str(study_path(name)))
    out = {}
    for key, spec in found.items():
        try:
            default = ast.literal_eval(spec["default"])
        except (ValueError, SyntaxError):
            default = spec["default"]
        out[key] = Parameter(key, spec["inferred_type_name"], default, spec["help"] or "")
    return out


def title(name: str) -> str:
    """The study's first Markdown heading (its title)."""
    notebook = json.loads(study_path(name).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return name


def _valid(params: dict[str, Parameter]) -> str:
    return ", ".join(f"{p.name} ({p.type})" for p in params.values() if p.name not in RESERVED)


def convert(param: Parameter, text: str):
    """A command-line value (text) as the parameter's type, or :class:`InvalidParameter`."""
    value = str(text).strip()
    wrong = InvalidParameter(f"parameter {param.name!r} expects {param.type}, got {text!r}")
    if param.type == "int":
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
            raise wrong
        return int(value)
    if param.type == "float":
        try:
            number = float(value)
        except ValueError:
            raise wrong from None
        if not math.isfinite(number):
            raise wrong
        return number
    if param.type == "bool":
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if value.lower() not in words:
            raise wrong
        return words[value.lower()]
    return str(text)


def _typed(param: Parameter, value):
    """A Python value checked against the parameter's type (ints are accepted for floats)."""
    if isinstance(value, str):
        return convert(param, value)
    ok = {"int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value),
          "bool": isinstance(value, bool)}.get(param.type, False)
    if not ok:
        raise InvalidParameter(f"parameter {param.name!r} expects {param.type}, got {value!r}")
    return float(value) if param.type == "float" else value


def check_parameters(name: str, values: dict | list[tuple[str, str]] | None = None) -> dict:
    """The study's parameters with ``values`` applied, typed and checked.

    Parameters
    ----------
    name : str
        A study name.
    values : dict or list of (name, value) pairs, optional
        Values given by the user: text from the command line (converted to
        the parameter's type) or Python values.

    Returns
    -------
    dict
        Every parameter of the study (defaults completed), except the
        reserved ``output_dir``.

    Raises
    ------
    InvalidParameter
        For an unknown or reserved name, a value that is not of the
        parameter's type, or a setting out of its domain (an unknown studio
        size, country, travel mode, edition...); the message lists the valid
        parameters.
    """
    params = parameters(name)
    pairs = list(values.items()) if isinstance(values, dict) else list(values or [])
    given = {}
    for key, value in pairs:
        if key not in params or key in RESERVED:
            hint = " (set by --output)" if key in RESERVED else ""
            raise InvalidParameter(f"study {name}: unknown parameter {key!r}{hint}; "
                                   f"valid parameters: {_valid(params)}")
        try:
            given[key] = _typed(params[key], value)
        except InvalidParameter as exc:
            raise InvalidParameter(f"study {name}: {exc}; valid parameters: {_valid(params)}") from None
    result = {k: p.default for k, p in params.items() if k not in RESERVED}
    result.update(_absolute_paths(given))
    try:
        _check_domain(result)
    except CarbonClapError as exc:
        raise InvalidParameter(f"study {name}: {exc}; valid parameters: {_valid(params)}") from None
    return result


def _absolute_paths(values: dict) -> dict:
    """Folders given by the user, resolved against the current folder: the
    notebook runs in ``studies/``, where a relative path would mean another place.

    ``examples_dir`` is always a folder; ``edition`` is a folder when one of that
    name exists in the current folder, else an edition name.
    """
    values = dict(values)
    for key in ("examples_dir", "scenarios"):
        if values.get(key):
            values[key] = str(Path(values[key]).resolve())
    edition = values.get("edition")
    if edition and Path(edition).is_dir():
        values["edition"] = str(Path(edition).resolve())
    return values


def _check_domain(values: dict) -> None:
    """Settings the notebook would refuse, refused before it runs."""
    from .studio import Scenario

    from .studio import GRID

    if "edition" in values:
        resolve_edition(values["edition"])
    if "alternative_grid" in values and values["alternative_grid"] not in GRID:
        raise InvalidParameter(f"alternative_grid: {values['alternative_grid']!r} is not one of "
                               f"{', '.join(GRID)}")
    if values.get("examples_dir") and not Path(values["examples_dir"]).is_dir():
        raise InvalidParameter(f"examples_dir: {values['examples_dir']!r} is not a folder")
    for key in ("portfolio", "productions"):
        if values.get(key) and not Path(values[key]).exists():
            raise InvalidParameter(f"{key}: {values[key]!r}: no such file or folder")
    if values.get("scenarios"):
        from .scenario_set import load_scenario_set

        load_scenario_set(values["scenarios"])      # one line naming the file and the key
    if "backend" in values and values["backend"] not in ("pandas", "dask"):
        raise InvalidParameter(f"backend: {values['backend']!r} is not one of pandas, dask")
    if values.get("scheduler") and values.get("backend") != "dask":
        raise InvalidParameter("scheduler: needs backend dask")
    if "synthetic_assessments" in values and values["synthetic_assessments"] < 1:
        raise InvalidParameter(f"synthetic_assessments: {values['synthetic_assessments']!r} must be "
                               "a whole number >= 1")
    for key in ("uncertainty_iterations", "seed"):
        if key in values and values[key] < 0:
            raise InvalidParameter(f"{key}: {values[key]!r} must be a whole number >= 0")
    if values.get("uncertainty_iterations", 0) > MAX_ITERATIONS:
        raise InvalidParameter(f"uncertainty_iterations: {values['uncertainty_iterations']:,} is "
                               f"over the limit of {MAX_ITERATIONS:,}")
    names = {f.name for f in fields(Scenario)}
    settings = {k: v for k, v in values.items() if k in names}
    if settings:
        Scenario(**settings).check()


# ---------------------------------------------------------------------------
# Running

def output_folder(name: str, output_dir: str | os.PathLike | None = None) -> Path:
    """The folder a study writes into: ``output_dir``, or ``output/<name>`` in the current folder."""
    return Path(output_dir) if output_dir else OUTPUT_DIR / name


def run(name: str, values: dict | list[tuple[str, str]] | None = None,
        output: str | os.PathLike | None = None, progress: bool = False) -> Path:
    """Check the parameters, then execute the study with papermill.

    The executed notebook is written (atomically) to ``<output>/<name>.ipynb``
    beside the files the study writes. Returns the output folder.

    Raises
    ------
    InvalidParameter
        Before anything runs, for a bad parameter (see :func:`check_parameters`).
    StudyError
        If a cell of the notebook fails; the message names the cell and the
        error. A failed run changes nothing in the output folder: the files it
        made there are removed, and the executed notebook is kept for
        inspection in the system's temporary folder (named in the message).
    """
    import papermill

    path = study_path(name)
    params = check_parameters(name, values)
    folder = output_folder(name, output).resolve()
    existed = folder.is_dir()
    before = {p.name for p in folder.iterdir()} if existed else set()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudyError(f"cannot create the output folder ({exc.strerror})", Location(folder)) from exc
    params["output_dir"] = str(folder)
    for key in PATH_PARAMETERS:         # the notebook runs in studies/: paths are the user's
        if params.get(key):
            params[key] = str(Path(params[key]).resolve())
    target = folder / f"{name}.ipynb"
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".ipynb", dir=folder)
    os.close(fd)
    # papermill (for nbclient) and jupyter_client (traitlets) log what is then
    # raised (a kernel stopped by Ctrl-C: "Kernel died while waiting for execute
    # reply" and a traceback): the error is reported once, in one line, by the
    # command line
    loggers = [logging.getLogger(name) for name in ("papermill", "traitlets")]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.setLevel(logging.CRITICAL)
    try:
        papermill.execute_notebook(str(path), tmp, parameters=params, kernel_name=KERNEL,
                                   cwd=str(STUDIES_DIR), progress_bar=progress, log_output=False,
                                   # the kernel warns on stderr about its local TCP transport
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                   kernel_manager_class=_kernel_manager())
    except papermill.PapermillExecutionError as exc:
        kept = Path(tempfile.mkdtemp(prefix=f"carbonclap-{name}-failed-")) / f"{name}.ipynb"
        shutil.move(tmp, kept)
        _undo(folder, before, existed)
        raise StudyError(f"study {name} failed in cell {exc.exec_count}: {exc.ename}: "
                         f"{exc.evalue} (nothing written to {folder}; executed notebook: "
                         f"{kept})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        _undo(folder, before, existed)
        raise
    finally:
        for log, level in zip(loggers, levels):
            log.setLevel(level)
    os.replace(tmp, target)
    return folder


def _kernel_manager():
    """A kernel manager that starts the kernel in its own session, its stderr
    silenced: Ctrl-C in the terminal then reaches only this process (which
    stops the kernel and exits with one line), and a kernel stopped in the
    middle of a reply prints no traceback of its own (a cell's error still
    comes back through papermill, named in the one-line message)."""
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class OwnSessionKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            kw.setdefault("independent", True)
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return OwnSessionKernelManager


def _undo(folder: Path, before: set[str], existed: bool) -> None:
    """Remove what a failed run made in ``folder``: its new files, and the
    folder itself if the run created it."""
    for path in folder.iterdir():
        if path.name not in before:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    if not existed:
        folder.rmdir()


# ---------------------------------------------------------------------------
# Outputs

def to_png(chart, scale: float = 2.0) -> bytes:
    """Render a chart to PNG bytes, offline (:func:`carbonclap_methods.charts.to_png`)."""
    from .charts import to_png as render

    return render(chart, scale)


def to_svg(chart) -> str:
    """Render a chart to an SVG string, offline (:func:`carbonclap_methods.charts.to_svg`)."""
    from .charts import to_svg as render

    return render(chart)


def write_outputs(folder: str | os.PathLike, results: dict, table: pd.DataFrame | list[dict],
                  charts: dict | None = None) -> list[Path]:
    """Write a study's files into ``folder``, each atomically.

    ``results.json`` (the ``results`` document, with the package version
    added), ``results.csv`` (``table``) and, for each chart ``name``,
    ``<name>.png`` and ``<name>.svg`` (``charts``: name -> altair chart of
    :mod:`carbonclap_methods.charts`). Returns the paths written.
    """
    folder = Path(folder)
    document = {**results, "package_version": __version__}
    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    written = [folder / "results.json", folder / "results.csv"]
    write_atomic(written[0], json_text(document))
    write_atomic(written[1], frame.map(csv_cell).to_csv(index=False, lineterminator="\n"))
    for chart_name, chart in (charts or {}).items():
        write_atomic(folder / f"{chart_name}.svg", to_svg(chart))
        write_atomic(folder / f"{chart_name}.png", to_png(chart))
        written += [folder / f"{chart_name}.svg", folder / f"{chart_name}.png"]
    return written


def headlines(folder: str | os.PathLike) -> list[str]:
    """The headline sentences a study wrote in ``results.json`` (its ``headlines`` list), if any."""
    try:
        document = json.loads((Path(folder) / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    lines = document.get("headlines") if isinstance(document, dict) else None
    return [str(line) for line in lines] if isinstance(lines, list) else []


def show(paths: list[Path], folder: str | os.PathLike) -> str:
    """The files written, relative to their folder, one per line (for the notebook)."""
    return "\n".join(str(Path(p).relative_to(folder)) for p in paths)


# ---------------------------------------------------------------------------
# Numbers in the studies' tables


def number(value: float) -> str:
    """A number for tables: 3 significant digits, thousands grouped above 1,000."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


# ---------------------------------------------------------------------------
# The genre-benchmarks study's document


# ---------------------------------------------------------------------------
# make demo: every study with its defaults

def run_all(output: str | os.PathLike = OUTPUT_DIR, progress: bool | None = None,
            stream=None) -> list[Path]:
    """Run every study with its defaults into ``<output>/<name>/``.

    On a terminal a progress bar shows; elsewhere (a log, CI) one line per
    study is written when it ends (``study 2/3 genre_benchmarks: done in
    25.9 s``), with no carriage-return redraws. ``progress`` forces one or the
    other; ``stream`` defaults to stderr.
    """
    stream = stream or sys.stderr
    names = study_names()
    if progress is None:
        progress = bool(getattr(stream, "isatty", lambda: False)())
    folders = []
    if progress:
        from tqdm import tqdm

        with tqdm(names, desc="studies", unit="study", file=stream) as bar:
            for name in bar:
                bar.set_postfix_str(name)
                folders.append(run(name, None, Path(output) / name))
        return folders
    for index, name in enumerate(names, 1):
        start = time.perf_counter()
        folders.append(run(name, None, Path(output) / name))
        stream.write(f"study {index}/{len(names)} {name}: done in "
                     f"{time.perf_counter() - start:.1f} s\n")
        stream.flush()
    return folders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every study with its defaults.")
    parser.add_argument("--output", default=str(OUTPUT_DIR), help="folder of the study folders")
    args = parser.parse_args(argv)
    try:
        folders = run_all(args.output)
    except CarbonClapError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    for folder in folders:
        files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        sys.stdout.write(f"{folder}: {', '.join(files)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
