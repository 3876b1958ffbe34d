"""The ``carbonclap`` command.

Exit status 0 on success; 2 with one line on stderr for any user mistake
(bad file, unknown factor, bad option). Anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from . import __version__
from .assessment import load_assessment, to_dict
from .compare import compare_stages
from .diff import diff_assessments, diff_factors
from .errors import CarbonClapError, UsageError
from .factors import LIST_COLUMNS, load_edition, validate_edition
from .files import write_atomic
from .render import csv_text, json_records, json_text, result_table, text_table
from .results import assess
from .uncertainty import monte_carlo, uncertainty_block, uncertainty_text
from .templates import (as_dict, get_template, list_templates, render_template, skeleton,
                        validate_templates)
from .workbook import write_workbook

EXIT_USER_ERROR = 2



class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _emit(text: str, output: str | None) -> None:
    if output:
        try:
            write_atomic(Path(output), text)
        except OSError as exc:
            raise CarbonClapError(f"{output}: cannot write ({exc.strerror})") from exc
    else:
        sys.stdout.write(text)


def cmd_compute(args) -> None:
    edition = load_edition(args.edition)
    assessment = load_assessment(args.path)
    result = assess(assessment, edition)
    _add_uncertainty(result, assessment, edition, args)
    if args.format == "json":
        text = json_text(result)
    elif args.format == "csv":
        text = csv_text(result["lines"], ["factor", "quantity", "unit", "phase", "category",
                                          "activity_unit", "factor_kgco2e_per_unit", "kgco2e"])
    else:
        text = result_table(result)
        if "uncertainty" in result:
            text += "\n" + uncertainty_text(result["uncertainty"])
    _emit(text, args.output)


def cmd_factors_list(args) -> None:
    edition = load_edition(args.edition)
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
    edition = load_edition(args.edition)
    row = edition.factor(args.id)
    lines = [f"{column:>16}: {row[column]}" for column in LIST_COLUMNS + ["activity"]]
    lines.append(f"{'edition':>16}: {edition.name} (sha256 {edition.sha256})")
    sys.stdout.write("\n".join(lines) + "\n")


def cmd_factors_validate(args) -> None:
    problems = validate_edition(args.dir)
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        raise CarbonClapError(f"{args.dir}: {len(problems)} problem(s), edition is not valid")
    edition = load_edition(args.dir)
    sys.stdout.write(f"{args.dir}: valid, {len(edition.table)} factors, sha256 {edition.sha256}\n")


def cmd_factors_diff(args) -> None:
    old, new = load_edition(args.old), load_edition(args.new)
    factors = diff_factors(old, new)
    moves = diff_assessments(Path(args.assessments), old, new) if args.assessments else None
    if args.format == "json":
        doc = {"old": old.describe(), "new": new.describe(),
               "factors": json_records(factors)}
        if moves is not None:
            doc["assessments"] = moves
        _emit(json_text(doc), args.output)
        return
    if args.format == "csv":
        _emit(csv_text(json_records(factors), list(factors.columns)), args.output)
        return
    counts = factors["status"].value_counts()
    text = [f"{old.name} -> {new.name}: " + ", ".join(
        f"{counts.get(s, 0)} {s}" for s in ("changed", "added", "removed")), ""]
    text.append(text_table(json_records(factors), list(factors.columns)))
    if moves is not None:
        rows = [{"assessment": m["assessment"], "old_kgco2e": m.get("old_total"),
                 "new_kgco2e": m.get("new_total"), "change_%": 100 * m["relative_change"]
                 if "relative_change" in m else None,
                 "categories_moved": m.get("error") or ", ".join(m["by_category"])} for m in moves]
        text.append(text_table(rows, ["assessment", "old_kgco2e", "new_kgco2e", "change_%",
                                      "categories_moved"]))
    _emit("\n".join(text), args.output)


def cmd_compare(args) -> None:
    edition = load_edition(args.edition)
    doc = compare_stages(load_assessment(args.forecast), load_assessment(args.final), edition)
    if args.format == "json":
        _emit(json_text(doc), args.output)
        return
    total = doc["total"]
    text = [f"Forecast: {doc['forecast']['source']}", f"Final:    {doc['final']['source']}",
            f"Total: {total['forecast_kgco2e']:,.1f} -> {total['final_kgco2e']:,.1f} kgCO2e "
            f"({100 * total['relative_change']:+.1f} %)", ""]
    if not doc["contrails"]["same"]:
        text[-1:-1] = [f"WARNING: {doc['contrails']['note']} (forecast "
                       f"{doc['contrails']['forecast']}, final {doc['contrails']['final']})"]
    if doc.get("forecast_with_plan"):
        planned = doc["forecast_with_plan"]["total"]
        text[-1:-1] = [f"Forecast with its plan ({', '.join(doc['forecast_with_plan']['levers'])}): "
                       f"{planned['forecast_kgco2e']:,.1f} -> {planned['final_kgco2e']:,.1f} kgCO2e "
                       f"({100 * planned['relative_change']:+.1f} %)"]
    columns = ["forecast_kgco2e", "final_kgco2e", "change_kgco2e", "change_%"]
    rows = [{"category": c, **v, "change_%": 100 * v["relative_change"]}
            for c, v in doc["by_category"].items()]
    text.append(text_table(rows, ["category"] + columns))
    rows = [{**line, "change_%": 100 * line["relative_change"]} for line in doc["lines"]]
    text.append(text_table(rows, ["line", "category"] + columns))
    _emit("\n".join(text), args.output)


def cmd_template_list(args) -> None:
    rows = [{"type": t.type, "label": t.label(args.lang), "sections": len(t.sections),
             "fields": t.field_count} for t in list_templates()]
    if args.format == "json":
        _emit(json_text({"templates": rows}), None)
    else:
        _emit(text_table(rows, ["type", "label", "sections", "fields"]), None)


def cmd_template_show(args) -> None:
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
    from . import studies  # imported here: papermill and altair are slow to import

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
    from . import studies

    folder = studies.run(args.name, [tuple(pair) for pair in args.parameter or []], args.output)
    files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
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
    run.add_argument("--output", "-o", help="output folder (default: output/<name> in the repository)")
    run.set_defaults(run=cmd_study_run)


def _add_template_parser(commands) -> None:
    template = commands.add_parser("template", help="questionnaire templates by production type")
    sub = template.add_subparsers(dest="template_command", required=True, parser_class=_Parser)
    listing = sub.add_parser("list", help="list the production types and their questionnaires")
    listing.add_argument("--lang", choices=["fr", "en"], default="fr")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(run=cmd_template_list)
    show = sub.add_parser("show", help="show the questionnaire of one production type")
    show.add_argument("type", help="production type (see `carbonclap template list`)")
    show.add_argument("--lang", choices=["fr", "en"], default="fr", help="language of the table")
    show.add_argument("--format", choices=["table", "json", "yaml"], default="table",
                      help="json and yaml hold both languages")
    show.add_argument("--edition", help="factor edition the template is checked against")
    show.set_defaults(run=cmd_template_show)


EXPORT_LINE_COLUMNS = ["id", "section", "field", "factor", "quantity", "unit", "phase", "note"]


def cmd_export(args) -> None:
    if bool(args.path) == bool(args.blank):
        raise UsageError("carbonclap export: give either an assessment PATH or --blank TYPE")
    if args.blank:
        data = skeleton(args.blank)
        for line in data["activities"]:
            line["quantity"] = None           # left for the producer to fill
    else:
        data = to_dict(load_assessment(args.path))
    if args.format == "xlsx":
        if not args.output:
            raise UsageError("carbonclap export: --format xlsx needs --output FILE.xlsx")
        write_workbook(data, Path(args.output), lang=args.lang)
    elif args.format == "json":
        _emit(json_text(data), args.output)
    elif args.format == "yaml":
        _emit(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), args.output)
    else:
        _emit(csv_text(data["activities"], EXPORT_LINE_COLUMNS), args.output)


def _whole(minimum: int):
    """An argparse type: a whole number >= ``minimum`` (a bad one exits 2 with one line)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be >= {minimum}")
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
    mc = monte_carlo(assessment_lines(assessment, edition), edition, args.uncertainty,
                     seed=args.seed)
    result["uncertainty"] = uncertainty_block(mc)


def cmd_portfolio(args) -> None:
    from .portfolio import (compute_portfolio, load_portfolio, portfolio_document,
                            portfolio_text, store_portfolio)

    if args.store and Path(args.store).suffix.lower() != ".parquet":
        raise UsageError(f"carbonclap portfolio: --store {args.store}: the store is Parquet, "
                         "name it <name>.parquet")
    edition = load_edition(args.edition)
    portfolio = load_portfolio(args.path, productions=args.productions, backend=args.backend)
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
    portfolio.add_argument("path", help="a folder of assessment files, or a .parquet/.csv long "
                           "table with columns assessment, factor, quantity, unit, phase")
    portfolio.add_argument("--productions", help="production table of a long table (default: "
                           "<name>.productions.parquet/.csv beside it)")
    portfolio.add_argument("--edition")
    portfolio.add_argument("--format", choices=["table", "json"], default="table")
    portfolio.add_argument("--output", "-o")
    portfolio.add_argument("--store", metavar="FILE.parquet", help="also save the portfolio as "
                           "Parquet (lines + FILE.productions.parquet), the fast way to read it again")
    portfolio.add_argument("--backend", choices=["pandas", "dask"], default="pandas")
    portfolio.set_defaults(run=cmd_portfolio)


def cmd_app(args) -> None:
    from .widgets.serve import serve  # imported here: only this command needs Voilà
    status = serve(args.port, open_browser=not args.no_browser, save_dir=args.save_dir)
    if status:
        raise CarbonClapError(f"carbonclap app: Voilà stopped with status {status}")


def _add_app_parser(commands) -> None:
    app = commands.add_parser("app", help="serve the guided assessment as a web app (Voilà) "
                              "on localhost")
    app.add_argument("--port", type=_whole(1), help="port to serve on (default: a free port)")
    app.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    app.add_argument("--save-dir", metavar="DIR", help="folder where the app saves assessments "
                     "and exports (default: $CARBONCLAP_SAVE_DIR or ./assessments)")
    app.set_defaults(run=cmd_app)


def cmd_plan(args) -> None:
    from .levers import load_levers
    from .plan import parse_parameters, plan_table, reduction_plan

    edition = load_edition(args.edition)
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
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    compute = commands.add_parser("compute", help="compute an assessment file")
    compute.add_argument("path", help="assessment file (.yaml, .yml, .json, .xlsx)")
    compute.add_argument("--edition", help="factor edition name or folder (default: factors/DEFAULT)")
    compute.add_argument("--format", choices=["table", "json", "csv"], default="table")
    compute.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")
    compute.add_argument("--uncertainty", type=_whole(1), metavar="N",
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
    export.add_argument("--lang", choices=["fr", "en"], default="fr", help="workbook labels")
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
    validate = sub.add_parser("validate", help="validate an edition folder, listing every problem")
    validate.add_argument("dir")
    validate.set_defaults(run=cmd_factors_validate)
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


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.run(args)
    except CarbonClapError as exc:
        message = str(exc)
        sys.stderr.write(f"error: {message}\n")
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
