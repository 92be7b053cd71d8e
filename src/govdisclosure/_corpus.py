"""Checking many files: walking folders, parallel workers, fingerprints, summaries.

The CLI's ``check`` is a loop over :func:`check_paths`; a script can use the
same generator. Workers return small picklable :class:`FileResult` objects, so
memory stays flat however many files there are: no report outlives the worker
call that read it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from . import _files
from ._api import load_data
from ._cli_words import word
from .bodies import Aliases, body_key
from .errors import FormatError, GovDisclosureError, ReadError
from .formats import format_for_path, get_format
from .model.cells import Blank
from .model.coverage import ReadCoverage, read_coverage
from .model.findings import Finding, Severity, Status
from .model.report import Edition, Report
from .model.schema import cell_values
from .validation import infer, validate
from .validation.series import validate_series

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .dataset._rows import ReportRows

T = TypeVar("T")

__all__ = [
    "Baseline",
    "CheckOptions",
    "FileResult",
    "SeriesIndex",
    "SeriesResult",
    "Summary",
    "check_file",
    "check_paths",
    "check_series",
    "count_report_files",
    "coverage_text",
    "coverage_to_json",
    "finding_to_json",
    "iter_report_files",
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


#: A report whose reading found fewer of the form's cells than this share is a
#: weak read, named in the summary of ``check``.
WEAK_READ = 0.9
#: How many of the weakest reads the summary names.
MAX_WEAK_SHOWN = 10
_TABLE_ZH = {"active": "二", "applications": "三", "appeals": "四"}


def coverage_text(coverage: ReadCoverage, lang: str = "zh") -> str:
    """A coverage in words: ``读到 322/322 格（100%）`` or ``read 322 of 322 cells (100%)``,
    with the tables not found."""
    share = f"{coverage.ratio:.0%}"
    missing = coverage.tables_missing
    if lang == "en":
        text = f"read {coverage.cells_read} of {coverage.cells_total} cells ({share})"
        if missing:
            text += ", tables not found: " + ", ".join(missing)
        return text
    text = f"读到 {coverage.cells_read}/{coverage.cells_total} 格（{share}）"
    if missing:
        text += "，未找到表" + "、".join(_TABLE_ZH[t] for t in missing)
    return text


@attrs.frozen(slots=True, kw_only=True)
class CheckOptions:
    """How to read and check each file (picklable, sent to workers)."""

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


class SeriesIndex:
    """Which files belong to which body, kept in a temporary SQLite file.

    A corpus may hold 100,000 files; keeping the index on disk keeps the
    checking process's memory flat however many there are. The index also
    tells when a file holds a report an earlier file held (same body, year,
    edition and numbers): the same report saved twice counts once.
    """

    def __init__(self) -> None:
        import sqlite3  # here: checking one file needs neither SQLite nor workers
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="govdisclosure-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "series.sqlite"))
        # A small page cache: the index is written once and read once, in order.
        self._db.execute("PRAGMA cache_size = -256")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            # Paths as bytes: a name that is not UTF-8 has no SQLite text form.
            "CREATE TABLE f (body TEXT, year INTEGER, seq INTEGER, path BLOB, edition TEXT, "
            "numbers TEXT)"
        )
        self._db.execute("CREATE INDEX f_body_year ON f (body, year)")
        self._seq = 0

    def add(self, result: FileResult) -> str | None:
        """Index a checked file; the earlier file holding the same report, if any
        (the file is then left out of its series)."""
        body = result.body
        if not result.readable or body is None:
            return None
        rows = self._db.execute(
            "SELECT path, numbers FROM f WHERE body = ? AND year IS ? AND edition = ? "
            "ORDER BY seq", (body, result.year, result.edition),
        ).fetchall()
        for path, numbers in rows:
            if result.numbers is not None and same_numbers(numbers, result.numbers):
                return os.fsdecode(path)
        self._seq += 1
        self._db.execute("INSERT INTO f VALUES (?, ?, ?, ?, ?, ?)", (
            body, result.year, self._seq, os.fsencode(result.file), result.edition,
            result.numbers or ""))
        return None

    def groups(self) -> Iterator[tuple[str, list[str]]]:
        """Bodies with more than one report, in name order, files oldest first."""
        rows = self._db.execute(
            "SELECT body, path FROM f WHERE body IN "
            "(SELECT body FROM f GROUP BY body HAVING COUNT(*) > 1) "
            "ORDER BY body, year IS NULL, year, seq"
        )
        current: str | None = None
        files: list[str] = []
        for body, path in rows:
            if body != current and current is not None:
                yield current, files
                files = []
            current = body
            files.append(os.fsdecode(path))
        if current is not None:
            yield current, files

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def _walk(folder: str, lang: str = "en") -> Iterator[tuple[str, str | None]]:
    """The files below ``folder`` (in no particular order), each with ``None``,
    and the entries that cannot be walked, each with what is wrong.

    Hidden entries are skipped. Links to folders are followed once: a folder
    reached again (a symbolic link loop) is reported, not walked again.
    """
    pending = [folder]
    try:
        top = os.stat(folder)
        seen = {(top.st_dev, top.st_ino)}
    except OSError:
        seen = set()
    while pending:
        current = pending.pop()
        try:
            entries = os.scandir(current)
        except OSError as error:
            yield current, _walk_words("open", error, lang)
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError as error:  # a link that loops on itself
                    yield entry.path, _walk_words("follow", error, lang)
                    continue
                if not is_dir:
                    yield entry.path, None  # reading it says what else is wrong
                    continue
                try:
                    info = entry.stat()
                except OSError as error:
                    yield entry.path, _walk_words("open", error, lang)
                    continue
                if (info.st_dev, info.st_ino) in seen:
                    yield entry.path, ("指向已检查过的文件夹的链接（符号链接循环？）：不再检查"
                                       if lang == "zh" else
                                       "a link to a folder already checked (a symbolic link "
                                       "loop?): not checked again")
                    continue
                seen.add((info.st_dev, info.st_ino))
                pending.append(entry.path)


def _walk_words(what: str, error: OSError, lang: str) -> str:
    if lang == "zh":
        doing = "无法打开文件夹" if what == "open" else "无法跟随链接"
        return f"{doing}：{_files.strerror_zh(error)}"
    doing = "cannot open the folder" if what == "open" else "cannot follow"
    return f"{doing}: {error.strerror}"


def _entries(paths: Iterable[str], lang: str = "en") -> Iterator[tuple[str, str | None]]:
    # Each file as given, each folder's entries sorted by path (see iter_report_files).
    for given in paths:
        if not os.path.isdir(given):
            yield given, None
            continue
        with _DiskList() as found:
            for path, problem in _walk(given, lang):
                found.add(path, problem)
            yield from found.sorted()


def iter_report_files(paths: Iterable[str]) -> Iterator[str]:
    """The files to check: each file as given, each folder's files sorted by path.

    Every file below a folder is given, not only those with a report's suffix:
    :func:`check_file` says which are not reports, so none is skipped silently.
    Entries that cannot be walked (:func:`check_paths` reports them) are left out.

    A folder's files are sorted in a temporary SQLite file rather than in a
    list, so that a folder of 100,000 reports costs no more memory than one of 100.
    """
    return (path for path, problem in _entries(paths) if problem is None)


def count_report_files(paths: Iterable[str]) -> int:
    """How many entries :func:`check_paths` will give (a quick walk, nothing kept)."""
    return sum(sum(1 for _ in _walk(p)) if os.path.isdir(p) else 1 for p in paths)


# Rows written to and read from the temporary SQLite files at a time: few
# enough to keep memory flat, enough to make the calls cheap.
_SQL_BATCH = 512


class _DiskList:
    """Paths (with an optional problem each) kept in a temporary SQLite file, read
    back sorted."""

    def __enter__(self) -> _DiskList:
        import sqlite3
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="govdisclosure-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "paths.sqlite"))
        self._db.execute("PRAGMA cache_size = -256")
        self._db.execute("PRAGMA journal_mode = OFF")
        # As bytes: a name that is not UTF-8 has no SQLite text form.
        self._db.execute("CREATE TABLE p (path BLOB, problem TEXT)")
        self._pending: list[tuple[bytes, str | None]] = []
        return self

    def add(self, path: str, problem: str | None = None) -> None:
        self._pending.append((os.fsencode(path), problem))
        if len(self._pending) >= _SQL_BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO p VALUES (?, ?)", self._pending)
        self._pending.clear()

    def sorted(self) -> Iterator[tuple[str, str | None]]:
        # BLOBs compare as bytes: for UTF-8 names, the order of code points,
        # the same as Python's sorted().
        self._flush()
        rows = self._db.execute("SELECT path, problem FROM p ORDER BY path")
        while batch := rows.fetchmany(_SQL_BATCH):
            for path, problem in batch:
                yield os.fsdecode(path), problem

    def __exit__(self, *exc: object) -> None:
        self._db.close()
        self._dir.cleanup()


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


def _check_entry(path: str, options: CheckOptions, problem: str | None) -> FileResult:
    if problem is not None:
        return FileResult(file=path, ok=False, error=_where(path, problem, options.lang != "en"))
    return check_file(path, options)


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
    index = SeriesIndex() if series else None
    pool: ProcessPoolExecutor | None = None
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent)
    try:
        calls = ((p, options, problem) for p, problem in _entries(paths, options.lang))
        for result in _ordered(pool, _check_entry, calls, jobs):
            if index is not None:
                earlier = index.add(result)
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


# --- summaries and fingerprints ---------------------------------------------------


@attrs.define
class Summary:
    """Running totals over checked files, printed at the end of ``check``."""

    files: int = 0
    unreadable: int = 0
    with_errors: int = 0
    hidden: int = 0
    series: int = 0
    by_edition_year: Counter[tuple[str, int | None]] = attrs.field(factory=Counter)
    by_rule: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    #: Files that are not reports, with the reason.
    not_reports: list[tuple[str, str]] = attrs.field(factory=list)
    #: Files holding a report an earlier file held: (file, earlier file).
    duplicates: list[tuple[str, str]] = attrs.field(factory=list)
    #: Each series: body, years and files.
    series_list: list[tuple[str, tuple[int | None, ...], tuple[str, ...]]] = attrs.field(
        factory=list)
    cells_read: int = 0
    cells_total: int = 0
    #: Files whose reading missed a table or read under WEAK_READ of the form's
    #: cells, with their coverage (the weakest few are named in the summary).
    weak: list[tuple[float, str, ReadCoverage]] = attrs.field(factory=list)

    def add_series(self, result: SeriesResult, shown: Sequence[dict[str, Any]]) -> None:
        self.series += 1
        self.series_list.append((result.body, result.years, result.files))
        self.hidden += len(result.findings) - len(shown)
        for finding in shown:
            self.by_rule[(finding["rule"], finding["status"])] += 1

    def add(self, result: FileResult, shown: Sequence[dict[str, Any]]) -> None:
        self.files += 1
        if result.not_report is not None:
            self.not_reports.append((result.shown, result.not_report))
            return
        if not result.readable:
            self.unreadable += 1
            return
        if result.duplicate_of is not None:
            # One report seen twice counts once; its findings are the first file's.
            self.duplicates.append((result.shown, _files.display_path(result.duplicate_of)))
            return
        if not result.ok:
            self.with_errors += 1
        self.by_edition_year[(result.edition or "?", result.year)] += 1
        coverage = result.coverage
        if coverage is not None:
            self.cells_read += coverage.cells_read
            self.cells_total += coverage.cells_total
            if coverage.tables_missing or coverage.ratio < WEAK_READ:
                self.weak.append((coverage.ratio, result.shown, coverage))
        self.hidden += len(result.findings) - len(shown)
        for finding in shown:
            self.by_rule[(finding["rule"], finding["status"])] += 1

    def lines(self, lang: str = "zh") -> list[str]:
        en = lang == "en"
        others = len(self.not_reports)
        read = self.files - self.unreadable - others
        out = [
            (f"files read: {read}, unreadable: {self.unreadable}, "
             f"with errors: {self.with_errors}, not reports: {others}") if en else
            (f"读取文件 {read} 个，无法读取 {self.unreadable} 个，"
             f"有错误 {self.with_errors} 个，不是报告 {others} 个"),
        ]
        for path, why in self.not_reports:
            out.append(f"  not a report: {path}: {why}" if en else f"  不是报告：{path}：{why}")
        if self.duplicates:
            out.append(f"  reports: {read - len(self.duplicates)} (the same report in two files "
                       f"counts once)" if en else
                       f"  报告 {read - len(self.duplicates)} 份（同一报告存为多个文件的只计一次）")
        for path, earlier in self.duplicates:
            out.append(f"  the same report seen twice: {path} = {earlier}" if en
                       else f"  同一报告出现两次：{path} = {earlier}")
        if self.cells_total:
            share = f"{self.cells_read / self.cells_total:.1%}"
            out.append(
                f"  cells read: {self.cells_read} of {self.cells_total} in the forms ({share})"
                if en else
                f"  读到的单元格：共 {self.cells_total} 格，读到 {self.cells_read} 格（{share}）")
        if self.weak:
            out.append(
                f"  weak reads (a table missing or under {WEAK_READ:.0%} of the cells read): "
                f"{len(self.weak)}" if en else
                f"  读取不全（缺表格或读到不足 {WEAK_READ:.0%} 的格）：{len(self.weak)} 份")
            for _, file, coverage in sorted(self.weak)[:MAX_WEAK_SHOWN]:
                out.append(f"    {file}: {coverage_text(coverage, lang)}")
        if self.series:
            out.append(f"  bodies with several years checked as series: {self.series}" if en
                       else f"  按系列检查的多年度机关：{self.series} 个")
        for body, years, files in self.series_list:
            shown = ", ".join("?" if y is None else str(y) for y in years)
            out.append(f"  series {body}: {shown} ({', '.join(files)})" if en
                       else f"  系列 {body}：{shown.replace(', ', '、')} 年（{'、'.join(files)}）")
        for (edition, year), n in sorted(self.by_edition_year.items(),
                                         key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            y = "?" if year is None else str(year)
            out.append(f"  edition {edition}, year {y}: {n}" if en
                       else f"  {edition} 版 {y} 年度：{n} 份")
        for (rule, status), n in sorted(self.by_rule.items()):
            out.append(f"  {rule} {word(f'status_{status}', lang)}: {n}")
        if self.hidden:
            out.append(f"  hidden by the baseline: {self.hidden}" if en
                       else f"  基线中已审阅而隐藏：{self.hidden} 条")
        return out


def fingerprint(result: FileResult | SeriesResult, finding: dict[str, Any]) -> str:
    """A stable fingerprint of a finding: the body, year, rule, place and numbers.

    The file name is left out (unless the report names no body) so that renaming
    or moving a file keeps its reviewed findings; a changed number makes a new
    fingerprint. A series finding is keyed by its body and the reports it names.
    """
    if isinstance(result, SeriesResult):
        whose: list[Any] = [result.body, *(Path(r).name for r in finding.get("reports", ()))]
    else:
        whose = [body_key(result.agency) or Path(result.shown).name, result.edition,
                 result.year]
    key = [
        *whose, finding["rule"], finding["status"], finding["table"],
        finding["row"], finding["column"], finding["expected"], finding["actual"],
    ]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:20]


@attrs.define
class Baseline:
    """Findings already reviewed, by fingerprint, kept in a JSON file."""

    fingerprints: set[str] = attrs.field(factory=set)

    @classmethod
    def read(cls, path: str) -> Baseline:
        text = _files.read_text(path)
        try:
            data = json.loads(text)
            prints = data["fingerprints"]
            if data.get("version") != 1 or not all(isinstance(p, str) for p in prints):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise ReadError.single(
                'expected a baseline: {"version": 1, "fingerprints": ["…"]}', path,
                zh='应为基线文件：{"version": 1, "fingerprints": ["…"]}',
            ) from None
        return cls(set(prints))

    def write(self, path: str) -> None:
        """Replace the file at ``path`` by this baseline, atomically (never half-written)."""
        data = {"version": 1, "fingerprints": sorted(self.fingerprints)}
        _files.write_text(path, json.dumps(data, indent=1) + "\n")

    def save(self, path: str, started_from: frozenset[str] | None) -> int:
        """Write this baseline to ``path``, merging what another run wrote meanwhile.

        ``started_from`` is what the file held when this run read it (``None``
        when it did not exist). Writers hold a lock; when the file no longer
        holds ``started_from``, another run has written it since, and its
        fingerprints are kept beside these instead of being dropped. Returns
        how many fingerprints were merged in that way.
        """
        with _files.locked(path):
            try:
                now: frozenset[str] | None = frozenset(Baseline.read(path).fingerprints)
            except ReadError:
                now = None  # absent or unreadable: nothing to keep
            merged = 0
            if now is not None and now != started_from:
                merged = len(now - self.fingerprints)
                self.fingerprints |= now
            self.write(path)
        return merged

    def hides(self, result: FileResult | SeriesResult, finding: dict[str, Any]) -> bool:
        return fingerprint(result, finding) in self.fingerprints


def is_error(finding: dict[str, Any]) -> bool:
    """Whether a finding (JSON form) is an error that failed."""
    return bool(finding["severity"] == Severity.ERROR.value
                and finding["status"] == Status.FAILED.value)
