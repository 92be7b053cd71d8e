"""The ``govdisclosure`` command line: a thin layer over the library.

Every command calls public functions; nothing here computes what the library
cannot. Exit status: 0 when no errors were found, 1 when errors were found,
2 when an input could not be read or the usage is wrong. This module builds the
parser and runs a command; the commands are in :mod:`._cli_commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from ._cli_commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    UsageError,
    cmd_build,
    cmd_check,
    cmd_convert,
    cmd_export,
    cmd_formats,
    cmd_new,
    cmd_review,
    cmd_rules,
    cmd_schema,
    cmd_template,
)
from ._cli_words import lang_of, localise_parser, translate_usage_error, word
from ._corpus import finding_to_json
from .errors import GovDisclosureError
from .model.report import EDITIONS

__all__ = [  # finding_to_json and the exit statuses: kept importable here
    "EXIT_FINDINGS", "EXIT_OK", "EXIT_UNREADABLE", "build_parser", "finding_to_json", "main",
]


def _traceback(err: TextIO) -> None:
    import traceback  # only --debug shows one

    traceback.print_exc(file=err)


# --- parser ----------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    # argparse exits by itself on bad usage; route that through main's handling
    # so the exit status is 2 and the message has the usual prefix.
    lang = "en"  # set by localise_parser's caller, for argparse's own "usage: "

    def error(self, message: str) -> Any:
        raise UsageError(message)

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


def _add_series_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-series", action="store_true",
                   help="do not group reports of the same body into series")
    p.add_argument("--aliases", metavar="FILE",
                   help="CSV of `name,body`: other names of bodies, for the series")


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


def build_parser(lang: str = "zh", command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``govdisclosure`` command, its help in ``lang``.

    With ``command``, the parser of that command alone is built under the top
    level's: all that parsing it needs (``main`` falls back on the whole parser
    to word a usage error). Building the other ten was a twentieth of starting
    to check a file.
    """
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

    if command in (None, "check"):
        check = sub.add_parser(
            "check", parents=[common], help="check reports against the form's rules",
            description="Check reports: every identity of the form (勾稽关系), cell domains, "
            "and what the reader met. A folder is walked for every file; files that are not "
            "reports are listed. Exit 0: no errors; 1: errors found; 2: an input could not be "
            "read.")
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
        _add_series_options(check)
        _add_read_options(check)
        check.set_defaults(handler=cmd_check)

    if command in (None, "export"):
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
        _add_series_options(export)
        _add_read_options(export)
        export.set_defaults(handler=cmd_export)

    if command in (None, "convert"):
        convert = sub.add_parser(
            "convert", parents=[common], help="convert a report to another format",
            description="Read a report and write it in another format.")
        convert.add_argument("file", metavar="FILE")
        convert.add_argument("--to", required=True, metavar="FORMAT",
                             help="output format (see `govdisclosure formats`)")
        convert.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
        _add_read_options(convert)
        convert.set_defaults(handler=cmd_convert)

    if command in (None, "review"):
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
        review.set_defaults(handler=cmd_review)

    if command in (None, "formats"):
        formats = sub.add_parser("formats", parents=[common], help="list installed formats",
                                 description="List every installed format and what it can do.")
        formats.set_defaults(handler=cmd_formats)

    if command in (None, "rules"):
        rules = sub.add_parser("rules", parents=[common], help="list the rules",
                               description="List the rule catalogue with stable ids.")
        rules.set_defaults(handler=cmd_rules)

    if command in (None, "schema"):
        schema = sub.add_parser(
            "schema", parents=[common], help="print the JSON Schema of the report document",
            description="Print the JSON Schema (draft 2020-12) of the JSON report document, "
            "generated from the form: of one edition, or of either.")
        schema.add_argument("--edition", dest="schema_edition", choices=EDITIONS,
                            help="the schema of one edition's documents (default: either)")
        schema.set_defaults(handler=cmd_schema)

    if command in (None, "template"):
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
        template.set_defaults(handler=cmd_template)

    if command in (None, "new"):
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
        new.set_defaults(handler=cmd_new)

    if command in (None, "build"):
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
        build.set_defaults(handler=cmd_build)
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


def _command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, when no option before it asks for the whole
    parser (its help); ``None`` when unsure."""
    options = iter(argv)
    for arg in options:
        if arg == "--lang":
            next(options, None)
        elif arg.startswith(("-h", "--h")):
            return None  # the top level's help lists every command
        elif not arg.startswith("-"):
            return arg if arg in _COMMANDS else None
    return None


_COMMANDS = frozenset(
    ("check", "export", "convert", "review", "formats", "rules", "schema", "template", "new",
     "build"))


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
    command = _command_of(args_list)
    parser = build_parser(lang, command)
    debug = "--debug" in args_list
    try:
        try:
            args = parser.parse_args(args_list)
        except UsageError:
            if command is None:
                raise
            parser = build_parser(lang)  # the whole parser words the error as always
            args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help(out)
            return EXIT_UNREADABLE
        handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
        return handler(args, out, err)
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    except UsageError as error:
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
