"""Checking many files: one file's result, parallel workers, series, duplicates.

The CLI's ``check`` is a loop over :func:`check_paths`; a script can use the
same generator. Workers return small picklable :class:`FileResult` objects, so
memory stays flat however many files there are: no report outlives the worker
call that read it.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from . import _files
from ._api import load_data
from ._methods import fields_eq, fields_hash, fields_repr
from .bodies import Aliases, body_key
from .errors import FormatError, GovDisclosureError, Problem, ReadError
from .formats import format_for_path, get_format
from .model.cells import Blank
from .model.coverage import ReadCoverage, read_coverage
from .model.findings import Finding, Severity, Status
from .model.report import Edition, Report
from .model.schema import cell_values
from .validation import infer, validate

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .dataset._rows import ReportRows

T = TypeVar("T")

__all__ = [
    "CheckOptions",
    "FileResult",
    "SeriesResult",
    "check_file",
    "check_paths",
    "check_series",
    "count_report_files",
    "coverage_to_json",
    "finding_to_json",
    "is_error",
    "unwalkable",
]

def _json_value(value: int | Decimal | str | None) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def finding_to_json(finding: Finding, lang: str = "zh") -> dict[str, Any]:
    """A finding as the JSON object of ``check --json``."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "table": finding.table,
        "row": finding.row,
        "column": finding.column,
        "line": finding.line,
        "expected": _json_value(finding.expected),
        "actual": _json_value(finding.actual),
        "message": finding.text(lang),
    }


@attrs.frozen(slots=True, kw_only=True)
class CheckOptions:
    """How to read and check each file (picklable, sent to workers)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    format: str | None = None
    edition: Edition | None = None
    infer: bool = False
    lang: str = "zh"
    #: Renamings of bodies, for the series (``--aliases``).
    aliases: Aliases | None = None
    #: Whether each result carries the report's dataset rows (``export``).
    rows: bool = False


@attrs.frozen(slots=True, kw_only=True)
class FileResult:
    """The outcome of checking one file: small, picklable, JSON-ready."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    file: str
    ok: bool
    edition: str | None = None
    year: int | None = None
    agency: str | None = None
    findings: tuple[dict[str, Any], ...] = ()
    error: str | None = None
    #: Why the file is not a report (no format reads it, or nothing of a report
    #: was found in it); such a file is listed, never skipped silently.
    not_report: str | None = None
    #: The body key (:func:`govdisclosure.bodies.body_key`) of the body in the title.
    body: str | None = None
    publisher: str | None = None
    title: str | None = None
    format: str | None = None
    #: SHA-256 of the file's bytes.
    content_hash: str | None = None
    #: The report's numbers (see :func:`govdisclosure.dataset._rows.numbers_text`),
    #: to tell one report saved twice from two reports of one year.
    numbers: str | None = None
    #: An earlier file holding the same report (same body, year and numbers).
    duplicate_of: str | None = None
    #: The dataset rows, when :attr:`CheckOptions.rows` asked for them.
    rows: ReportRows | None = None
    #: How much of the form was read (before any ``infer``).
    coverage: ReadCoverage | None = None

    @property
    def readable(self) -> bool:
        return self.error is None and self.not_report is None

    @property
    def shown(self) -> str:
        """The file name fit to print (bytes that are not UTF-8 as ``\\xNN``)."""
        return _files.display_path(self.file)

    def to_json(self) -> dict[str, Any]:
        if self.not_report is not None:
            return {"file": self.shown, "ok": False, "not_report": self.not_report}
        if self.error is not None:
            return {"file": self.shown, "ok": False, "error": self.error}
        data = {
            "file": self.shown, "ok": self.ok, "edition": self.edition, "year": self.year,
            "agency": self.agency, "coverage": coverage_to_json(self.coverage),
            "findings": list(self.findings),
        }
        if self.duplicate_of is not None:
            data["duplicate_of"] = _files.display_path(self.duplicate_of)
        return data


def coverage_to_json(coverage: ReadCoverage | None) -> dict[str, Any] | None:
    """A coverage as the JSON object of ``check --json``."""
    if coverage is None:
        return None
    return {
        "cells_read": coverage.cells_read,
        "cells_total": coverage.cells_total,
        "ratio": round(coverage.ratio, 4),
        "tables_found": list(coverage.tables_found),
    }


def _load(path: str, options: CheckOptions) -> tuple[Report, ReadCoverage]:
    return _load_data(_files.read_bytes(path), path, options)


def _load_data(data: bytes, path: str, options: CheckOptions) -> tuple[Report, ReadCoverage]:
    report = load_data(data, path, options.format, edition=options.edition)
    coverage = read_coverage(report)  # of the reading, before infer fills cells
    return (infer(report) if options.infer else report), coverage


def numbers_text(report: Report) -> str:
    """The report's numbers in form order, ``,``-separated, blanks empty: what two
    files of one report have in common however each was read."""
    return ",".join("" if isinstance(v, Blank) else str(v) for v in cell_values(report))


def _mentions_disclosure(data: bytes, path: str) -> bool:
    """Whether a file a reader refused still speaks of 政府信息公开 (a broken report,
    an error) or not at all (some other file: a note, a list of links)."""
    try:
        text = _files.decode(data, path)
    except ReadError:
        return False
    return "信息公开" in text or "信息公開" in text


def _nothing_found(report: Report, coverage: ReadCoverage) -> bool:
    """Whether a read found nothing of a report: no year, no body, no title, no table."""
    return (report.year is None and report.agency is None and report.title is None
            and not coverage.tables_found)


def check_file(
    path: str, options: CheckOptions, read: Callable[[str], bytes] = _files.read_bytes
) -> FileResult:
    """Read and check one file: every single-report rule (:func:`validate`).

    A file that cannot be read gives a result with ``error``; a file no format
    reads, or in which nothing of a report was found, one with ``not_report``.
    ``read`` gives a file's bytes (or raises :class:`ReadError`): the local
    file system by default, another for files elsewhere (``govdisclosure.dask``).
    """
    zh = options.lang != "en"
    try:
        fmt = get_format(options.format) if options.format else format_for_path(path)
    except FormatError as error:
        if options.format:
            return FileResult(file=path, ok=False, error=_where(path, error.text(options.lang),
                                                               zh))
        return FileResult(file=path, ok=False, not_report=error.text(options.lang))
    if not fmt.can_read:  # a table of expected values beside the reports, say
        return FileResult(file=path, ok=False, format=fmt.name, not_report=(
            f"govdisclosure 只写出、不读取 {fmt.name} 文件" if zh
            else f"{fmt.name} files are written, not read, by govdisclosure"))
    data = b""
    try:
        data = read(path)
        return check_data(data, path, options, fmt.name)
    except GovDisclosureError as error:
        digest = hashlib.sha256(data).hexdigest() if data else None
        # Only for text read as text: a JSON document is structured, and the
        # bytes of a binary format (PDF, Word) say nothing read as text.
        if (isinstance(error, ReadError) and fmt.name != "json" and fmt.read_bytes is None
                and data and not _mentions_disclosure(data, path)):
            why = error.problems[0].text(options.lang)
            return FileResult(file=path, ok=False, format=fmt.name, content_hash=digest,
                              not_report=f"没有找到报告（{why}）" if zh
                              else f"no report found ({why})")
        text = (error.text(options.lang) if isinstance(error, ReadError)
                else _where(path, error.text(options.lang), zh))
        return FileResult(file=path, ok=False, error=text, format=fmt.name,
                          content_hash=digest)
    except Exception as error:  # one file's bug must not end a folder's run
        return FileResult(file=path, ok=False, format=fmt.name, error=_where(path, (
            f"内部错误 {type(error).__name__}：{str(error)[:300]}（请连同此文件报告这个问题）"
            if zh else f"internal error {type(error).__name__}: {str(error)[:300]} "
            "(please report it with this file)"), zh))


def _where(path: str, message: str, zh: bool) -> str:
    """``message`` after the name of the file it is about."""
    return f"{_files.display_path(path)}{'：' if zh else ': '}{message}"


def check_data(data: bytes, path: str, options: CheckOptions, format: str) -> FileResult:
    """Check the report in ``data``, the bytes of the file ``path`` (see :func:`check_file`).

    Raises :class:`ReadError` when the bytes are not a report in ``format``.
    """
    report, coverage = _load_data(data, path, attrs.evolve(options, format=format))
    if _nothing_found(report, coverage):
        return FileResult(file=path, ok=False, format=format,
                          content_hash=hashlib.sha256(data).hexdigest(),
                          not_report=f"这个 {format} 文件中没有找到报告"
                          if options.lang != "en" else f"no report found in this {format} file")
    findings = validate(report).findings  # T1 included
    as_json = tuple(finding_to_json(f, options.lang) for f in findings)
    rows = None
    if options.rows:
        from .dataset._rows import ReportRows, cell_rows, finding_row

        rows = ReportRows(
            cells=tuple(cell_rows(report)),
            findings=tuple(finding_row(f, file=path) for f in as_json),
        )
    return FileResult(
        file=path,
        ok=not any(f.severity is Severity.ERROR and f.status is Status.FAILED
                   for f in findings),
        edition=report.edition,
        year=report.year,
        agency=report.agency,
        findings=as_json,
        body=body_key(report.agency, options.aliases),
        publisher=report.publisher,
        title=report.title,
        format=format,
        content_hash=hashlib.sha256(data).hexdigest(),
        numbers=numbers_text(report),
        rows=rows,
        coverage=coverage,
    )


@attrs.frozen(slots=True, kw_only=True)
class SeriesResult:
    """The series rules over one body's reports (X1–X3, S1), files oldest first."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    body: str
    files: tuple[str, ...]
    findings: tuple[dict[str, Any], ...] = ()
    #: The year of each file in ``files``.
    years: tuple[int | None, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(is_error(f) for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"series": self.body, "files": [_files.display_path(f) for f in self.files],
                "ok": self.ok,
                "findings": list(self.findings)}


def check_series(body: str, files: Sequence[str], options: CheckOptions) -> SeriesResult:
    """Read one body's files again and run the series rules over them.

    Unreadable files were reported in the first pass and are left out here.
    """
    reports: dict[str, Report] = {}
    for path in files:
        try:
            # Keyed by the printable name: the keys go into messages and output.
            reports[_files.display_path(path)] = _load(path, options)[0]
        except GovDisclosureError:
            continue
    from .validation.series import validate_series  # only folders have series

    findings = []
    for finding in validate_series(reports, aliases=options.aliases):
        data = finding_to_json(finding, options.lang)
        data["reports"] = [_files.display_path(r) for r in finding.reports]
        findings.append(data)
    return SeriesResult(body=body, files=tuple(reports), findings=tuple(findings),
                        years=tuple(r.year for r in reports.values()))


def same_numbers(a: str, b: str) -> bool:
    """Whether two files' numbers (:attr:`FileResult.numbers`) are of one report:
    every cell both hold a number in has the same one, and there is such a cell.

    One file may have lost cells the other kept (a crawler's text beside the
    page), so a blank on one side is no difference.
    """
    xs, ys = a.split(","), b.split(",")
    if len(xs) != len(ys):
        return False
    shared = False
    for x, y in zip(xs, ys, strict=True):
        if x and y:
            if x != y:
                return False
            shared = True
    return shared


def count_report_files(paths: Iterable[str]) -> int:
    """How many entries :func:`check_paths` will give (a quick walk, nothing kept)."""
    return _files.count_entries(paths)


def _run_batch(fn: Callable[..., T], batch: list[tuple[Any, ...]]) -> list[T]:
    return [fn(*args) for args in batch]


def _ordered(
    pool: ProcessPoolExecutor | None, fn: Callable[..., T], calls: Iterable[tuple[Any, ...]],
    jobs: int, batch_size: int = 32,
) -> Iterator[T]:
    # Results in submission order. Calls go to workers in batches (one message
    # per batch, not per file) with a bounded number of batches in flight.
    if pool is None:
        for args in calls:
            yield fn(*args)
        return
    window: deque[Future[list[T]]] = deque()
    batch: list[tuple[Any, ...]] = []
    for args in calls:
        batch.append(args)
        if len(batch) >= batch_size:
            window.append(pool.submit(_run_batch, fn, batch))
            batch = []
            if len(window) >= jobs * 4:
                yield from window.popleft().result()
    if batch:
        window.append(pool.submit(_run_batch, fn, batch))
    while window:
        yield from window.popleft().result()


def _check_entry(path: str, options: CheckOptions, problem: Problem | None) -> FileResult:
    if problem is not None:  # a folder entry that cannot be walked
        return FileResult(file=path, ok=False, error=unwalkable(path, problem).text(options.lang))
    return check_file(path, options)


def unwalkable(path: str, problem: Problem) -> ReadError:
    """The error of a folder entry that cannot be walked (:func:`._files.entries`):
    what ``check`` prints and ``read_many`` gives for it."""
    return ReadError([problem], _files.display_path(path))


def _watch_parent() -> None:
    """In a worker: exit as soon as the checking process is gone, however it went.

    A worker waits for work on a queue that its dead parent can never close,
    so without this it would live on after a ``kill -9`` of the parent.
    """
    import multiprocessing
    import threading

    parent = os.getppid()
    sentinel = getattr(multiprocessing.parent_process(), "sentinel", None)

    def watch() -> None:
        while True:
            if sentinel is not None:
                _ready(sentinel, timeout=1.0)
            else:
                threading.Event().wait(1.0)
            # Siblings forked later may hold the sentinel's other end open: a
            # changed parent id (the orphan was adopted) tells the rest.
            if os.getppid() != parent or (sentinel is not None and _ready(sentinel)):
                os._exit(1)

    threading.Thread(target=watch, name="govdisclosure-parent-watch", daemon=True).start()


def _ready(sentinel: int, timeout: float = 0) -> bool:
    import multiprocessing.connection

    return bool(multiprocessing.connection.wait([sentinel], timeout=timeout))


def check_paths(
    paths: Iterable[str], options: CheckOptions, jobs: int = 1, *, series: bool = True
) -> Iterator[FileResult | SeriesResult]:
    """Check every file under ``paths`` in ``jobs`` processes, results in input order;
    then, when ``series`` is true, each body's reports across years.

    With ``series``, a file holding a report an earlier file held (same body,
    year and numbers: one report saved as text and as a page) has
    ``duplicate_of`` set and is left out of its series.

    Files are handed out lazily, a bounded number at a time, and the body index
    lives on disk, so neither the list of files nor the results pile up in memory.
    """
    index = None
    if series:
        from ._scratch import BodyIndex  # here: checking one file needs no SQLite

        index = BodyIndex()
    pool: ProcessPoolExecutor | None = None
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent)
    try:
        calls = ((p, options, problem) for p, problem in _files.entries(paths))
        for result in _ordered(pool, _check_entry, calls, jobs):
            if index is not None and result.readable and result.body is not None:
                # The same report saved twice counts once: the later file is left
                # out of its series.
                earlier = index.add(result.file, result.body, result.year, result.edition,
                                    result.numbers, same_numbers)
                if earlier is not None:
                    result = attrs.evolve(result, duplicate_of=earlier)
            yield result
        if index is not None:
            yield from _ordered(
                pool, check_series, ((body, group, options) for body, group in index.groups()),
                jobs, batch_size=1,
            )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if index is not None:
            index.close()


def is_error(finding: dict[str, Any]) -> bool:
    """Whether a finding (JSON form) is an error that failed."""
    return bool(finding["severity"] == Severity.ERROR.value
                and finding["status"] == Status.FAILED.value)
