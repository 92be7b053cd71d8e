"""The ``govdisclosure`` command line: a thin layer over the library.

Every command calls public functions; nothing here computes what the library
cannot. Exit status: 0 when no errors were found, 1 when errors were found,
2 when an input could not be read or the usage is wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import _files
from ._api import load
from ._cli_words import display_width, lang_of, localise_parser, translate_usage_error, word
from ._corpus import (
    CheckOptions,
    FileResult,
    SeriesResult,
    check_paths,
    count_report_files,
    finding_to_json,
    is_error,
)
from ._summary import Summary, coverage_text, result_key
from .bodies import Aliases, read_aliases
from .errors import GovDisclosureError, ReadError
from .formats import available, get_format
from .model.report import EDITIONS, Edition, Report
from .validation import RULES, infer

if TYPE_CHECKING:
    from ._baseline import Baseline

__all__ = ["build_parser", "finding_to_json", "main"]  # finding_to_json: kept importable here

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def _traceback(err: TextIO) -> None:
    import traceback  # only --debug shows one

    traceback.print_exc(file=err)


class _UsageError(GovDisclosureError):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse exits by itself on bad usage; route that through main's handling
    # so the exit status is 2 and the message has the usual prefix.
    lang = "en"  # set by localise_parser's caller, for argparse's own "usage: "

    def error(self, message: str) -> Any:
        raise _UsageError(message)

    def _usage_words(self, text: str) -> str:
        prefix = "usage: "
        if self.lang == "en":
            return text
        if text.startswith(prefix):
            text = word("usage", self.lang) + text[len(prefix):]
        for title in ("positionals", "options"):  # argparse ends a heading with ":"
            heading = word(title, self.lang)
            text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text

    def format_usage(self) -> str:
        return self._usage_words(super().format_usage())

    def format_help(self) -> str:
        return self._usage_words(super().format_help())


def _read(path: str, args: argparse.Namespace) -> Report:
    report = load(path, args.from_format, edition=args.edition)
    return infer(report) if getattr(args, "infer", False) else report


# --- check ---------------------------------------------------------------------


def _summary_line(result: FileResult, shown: Sequence[dict[str, Any]], lang: str) -> str:
    """A file's line: edition, year, body, failed errors and warnings, notes, and
    apart from them the cells that could not be checked (one D1 finding each)."""
    counts = word(
        "counts", lang,
        errors=sum(1 for f in shown if is_error(f)),
        warnings=sum(1 for f in shown if f["severity"] == "warning" and f["status"] == "failed"),
        notes=sum(1 for f in shown if f["severity"] == "info"),
        cells=sum(1 for f in shown if f["rule"] == "D1" and f["status"] == "not_assessable"),
    )
    if result.duplicate_of is not None:
        counts += word("duplicate", lang, _files.display_path(result.duplicate_of))
    if result.coverage is not None:
        counts += word("then", lang) + coverage_text(result.coverage, lang)
    year = result.year if result.year is not None else "?"
    who = result.agency or word("no_agency", lang)
    return word("summary", lang, file=result.shown, edition=result.edition, year=year, who=who,
                counts=counts)


def _result_word(finding: dict[str, Any], lang: str) -> str:
    """One word for what a finding says: 错误, 警告, 提示 or 无法核对."""
    return word(result_key(finding), lang)


_width = display_width


def _finding_rows(findings: Sequence[dict[str, Any]], out: TextIO, lang: str = "zh") -> None:
    """The findings as a table under a header row: line, rule, result, message."""
    if not findings:
        return
    rows = [(word("col_line", lang), word("col_rule", lang), word("col_result", lang),
             word("col_message", lang))]
    rows += [
        (f"L{f['line']}" if f["line"] is not None else "-", f["rule"], _result_word(f, lang),
         f["message"])
        for f in findings
    ]
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
        out.write("  " + "  ".join(cells) + "  " + row[3] + "\n")


class _Progress:
    """A progress bar on stderr, only when stderr is a terminal."""

    WIDTH = 24

    def __init__(self, err: TextIO, total: Callable[[], int]) -> None:
        self.err = err
        self.enabled = err.isatty()
        self.total = total() if self.enabled else 0  # counted only when shown
        self.count = 0

    def step(self, path: str) -> None:
        self.count += 1
        if self.enabled:
            total = max(self.total, self.count)
            filled = self.WIDTH * self.count // total
            bar = "█" * filled + "░" * (self.WIDTH - filled)
            name = path if len(path) <= 40 else "…" + path[-39:]
            self.err.write(f"\r\x1b[K{bar} {self.count}/{total} {name}")
            self.err.flush()

    def done(self) -> None:
        if self.enabled and self.count:
            self.err.write("\r\x1b[K")
            self.err.flush()


def _series_line(result: SeriesResult, shown: Sequence[dict[str, Any]], lang: str) -> str:
    return word("series", lang, body=result.body, n=len(result.files), count=len(shown))


def _aliases(args: argparse.Namespace) -> Aliases | None:
    return read_aliases(args.aliases) if args.aliases else None


#: Fewer files than this, named one by one, are checked in this process: starting
#: workers costs more than it saves (and keeps ``check FILE`` quick to start).
_FILES_FOR_WORKERS = 64


def _default_jobs(paths: Sequence[str]) -> int:
    """All cores for a folder or many files; one process for a few named files."""
    if len(paths) < _FILES_FOR_WORKERS and not any(map(os.path.isdir, paths)):
        return 1
    return os.cpu_count() or 1


def _json(document: Any, indent: int | None = None) -> str:
    """``document`` as JSON text (``--json``, ``--jsonl``; json is imported for them)."""
    import json

    return json.dumps(document, ensure_ascii=False, indent=indent)


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    options = CheckOptions(format=args.from_format, edition=args.edition, infer=args.infer,
                           lang=args.lang, aliases=_aliases(args))
    baseline: Baseline | None = None
    record = False
    started_from: frozenset[str] | None = None  # the baseline file as this run found it
    if args.baseline:
        from ._baseline import Baseline, fingerprint

        found: Baseline | None = None
        if os.path.exists(args.baseline):
            try:
                found = Baseline.read(args.baseline)
            except ReadError:
                if not args.update_baseline:
                    raise
            else:
                started_from = frozenset(found.fingerprints)
        if found is not None and not args.update_baseline:
            baseline = found
        else:
            baseline, record = Baseline(), True
    jobs = args.jobs or _default_jobs(args.files)
    summary = Summary()
    progress = _Progress(err, lambda: count_report_files(args.files))
    documents: list[dict[str, Any]] = []
    status = EXIT_OK
    # Series are formed when a folder is checked (a corpus); files named one by
    # one are checked one by one.
    series = not args.no_series and any(map(os.path.isdir, args.files))
    named = {path for path in args.files if not os.path.isdir(path)}
    for result in check_paths(args.files, options, jobs, series=series):
        if isinstance(result, FileResult):
            progress.step(result.shown)
        shown: Sequence[dict[str, Any]] = result.findings
        if record and baseline is not None:
            baseline.fingerprints.update(fingerprint(result, f) for f in result.findings)
        elif baseline is not None:
            shown = [f for f in result.findings if not baseline.hides(result, f)]
        if isinstance(result, SeriesResult):
            summary.add_series(result, shown)
        else:
            summary.add(result, shown)
            # A file in a folder that is not a report is listed in the summary;
            # one named on the command line is an input that cannot be read.
            if result.error is not None or (result.not_report is not None
                                            and result.file in named):
                status = EXIT_UNREADABLE
        if any(is_error(f) for f in shown) and status == EXIT_OK:
            status = EXIT_FINDINGS
        document = result.to_json()
        if "findings" in document:
            document["ok"] = not any(is_error(f) for f in shown)
            document["findings"] = list(shown)
        progress.done()
        if args.jsonl:
            out.write(_json(document) + "\n")
        elif args.json:
            documents.append(document)
        elif isinstance(result, SeriesResult):
            if shown:
                out.write(_series_line(result, shown, args.lang) + "\n")
                _finding_rows(shown, out, args.lang)
        elif result.error is not None:
            err.write(word("error", args.lang, result.error) + "\n")
        elif result.not_report is not None:
            if result.file in named:
                err.write(word("error", args.lang, word(
                    "not_report", args.lang, file=result.shown, why=result.not_report)) + "\n")
        else:
            out.write(_summary_line(result, shown, args.lang) + "\n")
            _finding_rows(shown, out, args.lang)
    progress.done()
    if args.json:
        out.write(_json(documents, indent=2) + "\n")
    if record and baseline is not None:
        merged = baseline.save(args.baseline, started_from)
        if merged:
            err.write(word("baseline_merged", args.lang,
                           file=_files.display_path(args.baseline), n=merged) + "\n")
    if not (args.json or args.jsonl) and (summary.files > 1 or any(map(os.path.isdir,
                                                                        args.files))):
        out.write("\n".join(summary.lines(args.lang)) + "\n")
    return status


# --- export --------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Read and check every file; write reports, cells and findings to a store."""
    from .dataset import export

    progress = _Progress(err, lambda: count_report_files(args.files))
    result = export(
        args.files, args.output, jobs=args.jobs or os.cpu_count() or 1, store=args.store,
        format=args.from_format, edition=args.edition, infer=args.infer,
        aliases=_aliases(args), series=not args.no_series, lang=args.lang,
        progress=progress.step,
    )
    progress.done()
    out.write("\n".join(result.lines(args.lang)) + "\n")
    return EXIT_OK


# --- convert -------------------------------------------------------------------


def _emit(text: str, output: str | None, out: TextIO) -> None:
    """A command's output: to the file ``output`` when given, else standard output."""
    if output:
        _files.write_text(output, text)
    else:
        out.write(text)


def _emit_report(report: Report, to: str, output: str | None, out: TextIO, lang: str) -> None:
    """A report written in format ``to``: a binary format (Word) only to a file."""
    fmt = get_format(to)
    if fmt.write_bytes is None:
        _emit(fmt.writer()(report), output, out)
    elif output is None:
        raise _UsageError(word("binary_needs_o", lang, to))
    else:
        fmt.check_write_path(output)
        _files.write_bytes(output, fmt.write_bytes(report))


def _cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = get_format(args.to)
    if not fmt.can_write:
        fmt.writer()  # says the format cannot be written
    if fmt.write_bytes is not None and args.output is None:
        raise _UsageError(word("binary_needs_o", args.lang, args.to))
    try:
        report = _read(args.file, args)
    except ReadError as error:
        err.write(word("error", args.lang, error.text(args.lang)) + "\n")
        return EXIT_UNREADABLE
    _emit_report(report, args.to, args.output, out, args.lang)
    if args.output:
        out.write(word("wrote", args.lang, args.output) + "\n")
    return EXIT_OK


# --- review --------------------------------------------------------------------


def _cmd_review_site(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the review site of a folder: index, review pages, overview with charts."""
    from .dataset import write_site

    if not args.output:
        raise _UsageError(word("site_needs_o", args.lang))
    progress = _Progress(err, lambda: count_report_files([args.file]))
    result = write_site(
        [args.file], args.output, jobs=args.jobs or os.cpu_count() or 1,
        format=args.from_format, edition=args.edition, infer=args.infer,
        aliases=_aliases(args), lang=args.lang, progress=progress.step,
    )
    progress.done()
    out.write("\n".join(result.summary.lines(args.lang)) + "\n")
    out.write(word("wrote", args.lang, result.index) + "\n")
    return EXIT_OK


def _cmd_review(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write a report's review page: the official layout with its findings marked."""
    if os.path.isdir(args.file):
        return _cmd_review_site(args, out, err)
    from .review import review_page
    from .validation import validate

    try:
        report = _read(args.file, args)
    except ReadError as error:
        err.write(word("error", args.lang, error.text(args.lang)) + "\n")
        return EXIT_UNREADABLE
    result = validate(report)
    _emit(review_page(report, result, lang=args.lang), args.output, out)
    if args.output:
        out.write(word("wrote", args.lang, args.output) + "\n")
    return EXIT_FINDINGS if result.errors else EXIT_OK


# --- formats, rules, template -------------------------------------------------


def _cmd_formats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for fmt in available():
        can = "/".join(word(w, args.lang) for w, ok in (("can_read", fmt.can_read),
                                                         ("can_write", fmt.can_write)) if ok)
        exts = " ".join(fmt.extensions) or "-"
        origin = "" if fmt.origin == "govdisclosure" else f"  [{fmt.origin}]"
        can += " " * (10 - _width(can))
        out.write(f"{fmt.name:<10} {can} {exts:<12} {fmt.describe(args.lang)}{origin}\n")
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for rule in RULES:
        editions = ",".join(rule.editions)
        statement = rule.statement_en if args.lang == "en" else rule.statement
        severity = word(f"sev_{rule.severity.value}", args.lang)
        severity += " " * (8 - _width(severity))
        out.write(f"{rule.id:<4} {severity} {editions:<10} {statement}\n")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._jsonschema import json_schema

    out.write(_json(json_schema(args.schema_edition), indent=2) + "\n")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The form of one edition to fill in: what ``new`` writes, for any body and year."""
    from .templates import new_report

    edition: Edition = args.template_edition
    report = new_report(edition, year=args.year, agency=args.agency)
    _emit_report(report, _output_format(args.to, args.output), args.output, out, args.lang)
    if args.output:
        out.write(word("wrote", args.lang, args.output) + "\n")
    return EXIT_OK


# --- new, build ----------------------------------------------------------------


def _output_format(to: str | None, output: str | None) -> str:
    """The format to write: ``--to``, else the output file's, else JSON."""
    if to:
        return to
    if output:
        from .formats import format_for_path

        return format_for_path(output).name
    return "json"


def _cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write a new report to fill in: placeholders in every section, blank tables."""
    from .templates import new_report

    report = new_report(args.new_edition, year=args.year, agency=args.agency)
    _emit_report(report, _output_format(args.to, args.output), args.output, out, args.lang)
    if args.output:
        out.write(word("wrote", args.lang, args.output) + "\n")
    return EXIT_OK


def _read_register(path: str) -> tuple[str, tuple[Any, ...]]:
    """A register file and what it holds: ``applications`` or ``appeals`` cases,
    told apart by its header."""
    from .registers import read_appeal_register, read_application_register

    text = _files.read_text(path)
    try:
        return "applications", read_application_register(text, source=path)
    except ReadError as as_applications:
        try:
            return "appeals", read_appeal_register(text, source=path)
        except ReadError as as_appeals:
            raise ReadError.single(
                word("not_register", "en", applications=as_applications.text("en"),
                     appeals=as_appeals.text("en")),
                source=path,
                zh=word("not_register", "zh", applications=as_applications.text("zh"),
                        appeals=as_appeals.text("zh")),
            ) from None


def _cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Count tables 三 and 四 from case registers into a report, check it, write it."""
    from .registers import with_registers
    from .templates import new_report
    from .validation import validate

    registers: dict[str, tuple[Any, ...]] = {}
    for path in args.registers:
        kind, cases = _read_register(path)
        if kind in registers:
            raise _UsageError(word("two_registers", args.lang, kind=word(kind, args.lang)))
        registers[kind] = cases
    if args.report:
        report = _read(args.report, args)
    elif args.year is None or args.agency is None:
        raise _UsageError(word("build_needs", args.lang))
    else:
        report = new_report(args.edition or "2021", year=args.year, agency=args.agency)
    report = with_registers(report, applications=registers.get("applications"),
                            appeals=registers.get("appeals"))
    _emit_report(report, _output_format(args.to, args.output), args.output, out, args.lang)
    result = validate(report)
    if args.output:
        shown = [finding_to_json(f, args.lang) for f in result]
        counted = word("counted", args.lang,
                       applications=len(registers.get("applications", ())),
                       appeals=len(registers.get("appeals", ())))
        out.write(word("wrote", args.lang, args.output) + counted + "\n")
        out.write(_summary_line(FileResult(file=args.output, ok=result.ok,
                                           edition=report.edition, year=report.year,
                                           agency=report.agency), shown, args.lang) + "\n")
        _finding_rows([f for f in shown if f["rule"] != "D1"], out, args.lang)
    return EXIT_FINDINGS if result.errors else EXIT_OK


# --- parser ----------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser, default: Any) -> None:
    # Accepted before and after the command name; a subcommand's SUPPRESS default
    # keeps the value given before it.
    p.add_argument("--debug", action="store_true", default=default,
                   help="show tracebacks for unexpected errors")
    p.add_argument("--lang", choices=("zh", "en"), default=default,
                   help="language of messages (default: zh)")


def _add_read_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--infer", action="store_true",
                   help="fill the blanks the identities determine (marked as inferred) first")
    p.add_argument("--from", dest="from_format", metavar="FORMAT",
                   help="input format (default: from the file extension)")
    p.add_argument("--edition", choices=EDITIONS,
                   help="the form's edition, when the content does not tell")


def _version() -> str:
    from . import __version__

    return f"govdisclosure {__version__}"


class _VersionAction(argparse.Action):
    """``--version``: print the version and exit (read only when asked for)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        parser._print_message(_version() + "\n", sys.stdout)
        parser.exit()


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The argument parser of the ``govdisclosure`` command, its help in ``lang``."""
    parser = _Parser(
        prog="govdisclosure",
        description="Read, check and convert 政府信息公开工作年度报告 "
        "(government information disclosure annual reports).",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    _add_common(parser, None)
    parser.set_defaults(debug=False, lang="zh")
    common = _Parser(add_help=False)
    _add_common(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", parents=[common], help="check reports against the form's rules",
                           description="Check reports: every identity of the form (勾稽关系), "
                           "cell domains, and what the reader met. A folder is walked for "
                           "every file; files that are not reports are listed. Exit 0: no "
                           "errors; 1: errors found; 2: an input could not be read.")
    check.add_argument("files", nargs="+", metavar="FILE_OR_DIR")
    out_mode = check.add_mutually_exclusive_group()
    out_mode.add_argument("--json", action="store_true", help="print findings as JSON")
    out_mode.add_argument("--jsonl", action="store_true",
                          help="stream one JSON object per file, one per line")
    check.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="worker processes (default: all cores for a folder or 64 files "
                       "or more, else 1)")
    check.add_argument("--baseline", metavar="FILE",
                       help="hide findings recorded in FILE; record them there if FILE "
                       "does not exist yet")
    check.add_argument("--update-baseline", action="store_true",
                       help="rewrite the --baseline FILE with the current findings")
    check.add_argument("--no-series", action="store_true",
                       help="do not group reports of the same body into series")
    check.add_argument("--aliases", metavar="FILE",
                       help="CSV of `name,body`: other names of bodies, for the series")
    _add_read_options(check)
    check.set_defaults(handler=_cmd_check)

    export = sub.add_parser(
        "export", parents=[common], help="write a folder of reports as tables (CSV, SQLite, …)",
        description="Read and check every file (as `check` does) and write the tables "
        "reports, cells and findings: a folder of CSV files, or by the ending of OUT an "
        "SQLite file (.sqlite, .db), Parquet datasets (.parquet) or a DuckDB file "
        "(.duckdb). An existing store is appended to; files already in it are skipped. "
        "Exit 0 when the store was written (findings and unreadable files are in it); "
        "2 when it could not be.")
    export.add_argument("files", nargs="+", metavar="FILE_OR_DIR")
    export.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the store: a folder (CSV), or a file ending in .sqlite, .db, "
                        ".parquet or .duckdb")
    export.add_argument("--store", choices=("csv", "sqlite", "parquet", "duckdb"),
                        help="the kind of store, whatever OUT ends in")
    export.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="worker processes (default: all cores)")
    export.add_argument("--no-series", action="store_true",
                        help="do not group reports of the same body into series")
    export.add_argument("--aliases", metavar="FILE",
                        help="CSV of `name,body`: other names of bodies, for the series")
    _add_read_options(export)
    export.set_defaults(handler=_cmd_export)

    convert = sub.add_parser("convert", parents=[common], help="convert a report to another format",
                             description="Read a report and write it in another format.")
    convert.add_argument("file", metavar="FILE")
    convert.add_argument("--to", required=True, metavar="FORMAT",
                         help="output format (see `govdisclosure formats`)")
    convert.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    _add_read_options(convert)
    convert.set_defaults(handler=_cmd_convert)

    review = sub.add_parser("review", parents=[common],
                            help="write a report's review page (HTML, findings marked)",
                            description="Write a standalone HTML page of a report in the "
                            "official layout, with every failed or not-assessable cell marked "
                            "and the findings listed under each table. Exit 0: no errors; "
                            "1: errors found; 2: the input could not be read. Given a "
                            "folder, writes a site to -o SITE/: an index of every report, "
                            "each review page, and an overview with charts (exit 0).")
    review.add_argument("file", metavar="FILE_OR_DIR",
                        help="a report, or a folder: then a site is written to -o SITE/")
    review.add_argument("-o", "--output", metavar="OUT",
                        help="output file (default: stdout); for a folder, the site's folder")
    review.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="worker processes for a folder (default: all cores)")
    review.add_argument("--aliases", metavar="FILE",
                        help="CSV of `name,body`: other names of bodies, for the series")
    _add_read_options(review)
    review.set_defaults(handler=_cmd_review)

    formats = sub.add_parser("formats", parents=[common], help="list installed formats",
                             description="List every installed format and what it can do.")
    formats.set_defaults(handler=_cmd_formats)

    rules = sub.add_parser("rules", parents=[common], help="list the rules",
                           description="List the rule catalogue with stable ids.")
    rules.set_defaults(handler=_cmd_rules)

    schema = sub.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the report document",
        description="Print the JSON Schema (draft 2020-12) of the JSON report document, "
        "generated from the form: of one edition, or of either.")
    schema.add_argument("--edition", dest="schema_edition", choices=EDITIONS,
                        help="the schema of one edition's documents (default: either)")
    schema.set_defaults(handler=_cmd_schema)

    template = sub.add_parser(
        "template", parents=[common], help="write the form of one edition to fill in",
        description="Write the form of one edition to fill in, as `new` writes it: a "
        "placeholder in each of sections 一, 五 and 六 and tables 二, 三 and 四 with every "
        "cell blank; the title and introduction name the body and year given, or hold a "
        "placeholder for them. The format follows OUT's ending (or --to).")
    template.add_argument("template_edition", choices=EDITIONS, metavar="EDITION",
                          help="2019 or 2021")
    template.add_argument("--to", metavar="FORMAT",
                          help="output format (default: from OUT's ending, else json)")
    template.add_argument("--year", type=int, help="year covered (default: a placeholder)")
    template.add_argument("--agency", help="the body's name (default: a placeholder)")
    template.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    template.set_defaults(handler=_cmd_template)

    new = sub.add_parser("new", parents=[common], help="write a new report to fill in",
                         description="Write a new report for one body and year: the title "
                         "and introduction filled in, a placeholder in each of sections 一, "
                         "五 and 六 saying what goes there, and tables 二, 三 and 四 with "
                         "every cell blank. The format follows OUT's ending (or --to).")
    new.add_argument("--edition", dest="new_edition", choices=EDITIONS, default="2021",
                     help="the form's edition (default: 2021)")
    new.add_argument("--year", type=int, required=True, help="year covered")
    new.add_argument("--agency", required=True, help="the body's name")
    new.add_argument("--to", metavar="FORMAT",
                     help="output format (default: from OUT's ending, else json)")
    new.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    new.set_defaults(handler=_cmd_new)

    build = sub.add_parser(
        "build", parents=[common], help="count tables 三 and 四 from case registers",
        description="Count table 三 from an application register and table 四 from a "
        "review and litigation register (CSV, docs/registers.md; each file is told by its "
        "header) into a report: the report given with --report, or a new one (as `new` "
        "writes) for --year and --agency. Writes the report, then checks it. Exit 0: no "
        "errors; 1: errors found; 2: a register or the report could not be read.")
    build.add_argument("--registers", nargs="+", required=True, metavar="CSV",
                       help="the application register and/or the appeal register")
    build.add_argument("--report", metavar="FILE",
                       help="the report to count the tables into (default: a new one)")
    build.add_argument("--year", type=int, help="year covered (for a new report)")
    build.add_argument("--agency", help="the body's name (for a new report)")
    build.add_argument("--to", metavar="FORMAT",
                       help="output format (default: from OUT's ending, else json)")
    build.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    _add_read_options(build)
    build.set_defaults(handler=_cmd_build)
    _localise(parser, lang)
    return parser


def _localise(parser: argparse.ArgumentParser, lang: str) -> None:
    localise_parser(parser, lang)
    pending = [parser]
    while pending:
        p = pending.pop()
        if isinstance(p, _Parser):
            p.lang = lang
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend(action.choices.values())


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = lang_of(args_list)
    parser = build_parser(lang)
    debug = "--debug" in args_list
    try:
        args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help(out)
            return EXIT_UNREADABLE
        handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
        return handler(args, out, err)
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    except _UsageError as error:
        err.write(word("error", lang, translate_usage_error(str(error), lang)) + "\n"
                  + word("try_help", lang) + "\n")
        return EXIT_UNREADABLE
    except GovDisclosureError as error:
        if debug:
            _traceback(err)
        err.write(word("error", lang, error.text(lang)) + "\n")
        return EXIT_UNREADABLE
    except BrokenPipeError:  # the reader of our output went away (`| head`)
        return EXIT_OK
    except KeyboardInterrupt:
        err.write(word("interrupted", lang) + "\n")
        return 130
    except Exception as error:  # the CLI promises messages, not tracebacks
        if debug:
            _traceback(err)
        err.write(word("error", lang, word("unexpected", lang, kind=type(error).__name__,
                                           error=error)) + "\n")
        return EXIT_UNREADABLE
