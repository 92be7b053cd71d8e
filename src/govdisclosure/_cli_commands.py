"""The commands of ``govdisclosure``: one function each, called by :mod:`.cli`.

Each takes the parsed arguments and the two output streams and returns the exit
status: 0 when no errors were found, 1 when errors were found, 2 when an input
could not be read or the usage is wrong. ``check`` of one file or of folders is
a loop over :func:`govdisclosure._corpus.check_paths`; the others read, convert
or write one report (``export`` and ``review DIR``: many).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import _files
from ._api import load
from ._cli_words import display_width, word
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
from .model.report import Edition, Report
from .validation import RULES, infer

if TYPE_CHECKING:
    from ._baseline import Baseline

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


class UsageError(GovDisclosureError):
    """Bad usage found after parsing (argparse's own errors are routed here too)."""


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


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
        raise UsageError(word("binary_needs_o", lang, to))
    else:
        fmt.check_write_path(output)
        _files.write_bytes(output, fmt.write_bytes(report))


def cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = get_format(args.to)
    if not fmt.can_write:
        fmt.writer()  # says the format cannot be written
    if fmt.write_bytes is not None and args.output is None:
        raise UsageError(word("binary_needs_o", args.lang, args.to))
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


def cmd_review_site(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the review site of a folder: index, review pages, overview with charts."""
    from .dataset import write_site

    if not args.output:
        raise UsageError(word("site_needs_o", args.lang))
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


def cmd_review(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write a report's review page: the official layout with its findings marked."""
    if os.path.isdir(args.file):
        return cmd_review_site(args, out, err)
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


def cmd_formats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for fmt in available():
        can = "/".join(word(w, args.lang) for w, ok in (("can_read", fmt.can_read),
                                                         ("can_write", fmt.can_write)) if ok)
        exts = " ".join(fmt.extensions) or "-"
        origin = "" if fmt.origin == "govdisclosure" else f"  [{fmt.origin}]"
        can += " " * (10 - _width(can))
        out.write(f"{fmt.name:<10} {can} {exts:<12} {fmt.describe(args.lang)}{origin}\n")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for rule in RULES:
        editions = ",".join(rule.editions)
        statement = rule.statement_en if args.lang == "en" else rule.statement
        severity = word(f"sev_{rule.severity.value}", args.lang)
        severity += " " * (8 - _width(severity))
        out.write(f"{rule.id:<4} {severity} {editions:<10} {statement}\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._jsonschema import json_schema

    out.write(_json(json_schema(args.schema_edition), indent=2) + "\n")
    return EXIT_OK


def cmd_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Count tables 三 and 四 from case registers into a report, check it, write it."""
    from .registers import with_registers
    from .templates import new_report
    from .validation import validate

    registers: dict[str, tuple[Any, ...]] = {}
    for path in args.registers:
        kind, cases = _read_register(path)
        if kind in registers:
            raise UsageError(word("two_registers", args.lang, kind=word(kind, args.lang)))
        registers[kind] = cases
    if args.report:
        report = _read(args.report, args)
    elif args.year is None or args.agency is None:
        raise UsageError(word("build_needs", args.lang))
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
