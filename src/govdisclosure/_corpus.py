"""Checking many files: walking folders, parallel workers, fingerprints, summaries.

The CLI's ``check`` is a loop over :func:`check_paths`; a script can use the
same generator. Workers return small picklable :class:`FileResult` objects, so
memory stays flat however many files there are: no report outlives the worker
call that read it.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import sqlite3
import tempfile
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs

from . import _files
from ._api import load
from .errors import GovDisclosureError, ReadError
from .model.findings import Finding, Severity, Status
from .model.report import Edition, Report
from .prose import validate_prose
from .series import body_key, validate_series
from .validation import infer, validate

T = TypeVar("T")

__all__ = [
    "REPORT_SUFFIXES",
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
    "finding_to_json",
    "iter_report_files",
]

#: File name endings that ``check DIR`` picks up in a folder.
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json")


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

    format: str | None = None
    edition: Edition | None = None
    infer: bool = False
    lang: str = "zh"


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

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def shown(self) -> str:
        """The file name fit to print (bytes that are not UTF-8 as ``\\xNN``)."""
        return _files.display_path(self.file)

    def to_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"file": self.shown, "ok": False, "error": self.error}
        return {
            "file": self.shown, "ok": self.ok, "edition": self.edition, "year": self.year,
            "agency": self.agency, "findings": list(self.findings),
        }


def _load(path: str, options: CheckOptions) -> Report:
    report = load(path, options.format, edition=options.edition)
    return infer(report) if options.infer else report


def check_file(path: str, options: CheckOptions) -> FileResult:
    """Read and check one file: the report's rules, then the prose rule T1.

    A file that cannot be read gives a result with ``error``.
    """
    try:
        report = _load(path, options)
        findings = [*validate(report), *validate_prose(report)]
    except ReadError as error:
        return FileResult(file=path, ok=False, error=str(error))
    except GovDisclosureError as error:  # e.g. no format for the extension
        return FileResult(file=path, ok=False, error=f"{_files.display_path(path)}: {error}")
    except Exception as error:  # one file's bug must not end a folder's run
        return FileResult(file=path, ok=False, error=(
            f"{_files.display_path(path)}: internal error {type(error).__name__}: "
            f"{str(error)[:300]} (please report it with this file)"))
    return FileResult(
        file=path,
        ok=not any(f.severity is Severity.ERROR and f.status is Status.FAILED
                   for f in findings),
        edition=report.edition,
        year=report.year,
        agency=report.agency,
        findings=tuple(finding_to_json(f, options.lang) for f in findings),
    )


@attrs.frozen(slots=True, kw_only=True)
class SeriesResult:
    """The series rules over one body's reports (X1–X3, S1), files oldest first."""

    body: str
    files: tuple[str, ...]
    findings: tuple[dict[str, Any], ...] = ()

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
            reports[_files.display_path(path)] = _load(path, options)
        except GovDisclosureError:
            continue
    findings = []
    for finding in validate_series(reports):
        data = finding_to_json(finding, options.lang)
        data["reports"] = [_files.display_path(r) for r in finding.reports]
        findings.append(data)
    return SeriesResult(body=body, files=tuple(reports), findings=tuple(findings))


class SeriesIndex:
    """Which files belong to which body, kept in a temporary SQLite file.

    A corpus may hold 100,000 files; keeping the index on disk keeps the
    checking process's memory flat however many there are.
    """

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="govdisclosure-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "series.sqlite"))
        # A small page cache: the index is written once and read once, in order.
        self._db.execute("PRAGMA cache_size = -256")
        self._db.execute("PRAGMA journal_mode = OFF")
        # Paths are kept as bytes: a name that is not UTF-8 has no SQLite text form.
        self._db.execute("CREATE TABLE f (body TEXT, year INTEGER, seq INTEGER, path BLOB)")
        self._seq = 0
        self._pending: list[tuple[str, int | None, int, bytes]] = []

    def add(self, result: FileResult) -> None:
        body = body_key(result.agency)
        if result.readable and body is not None:
            self._seq += 1
            self._pending.append((body, result.year, self._seq, os.fsencode(result.file)))
            if len(self._pending) >= _SQL_BATCH:
                self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO f VALUES (?, ?, ?, ?)", self._pending)
        self._pending.clear()

    def groups(self) -> Iterator[tuple[str, list[str]]]:
        """Bodies with more than one file, in name order, files oldest first."""
        self._flush()
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


def _walk(folder: str) -> Iterator[tuple[str, str | None]]:
    """The report files below ``folder`` (in no particular order), each with ``None``,
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
            yield current, f"cannot open the folder: {error.strerror}"
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError as error:  # a link that loops on itself
                    yield entry.path, f"cannot follow: {error.strerror}"
                    continue
                if not is_dir:
                    if entry.name.lower().endswith(REPORT_SUFFIXES):
                        yield entry.path, None  # reading it says what else is wrong
                    continue
                try:
                    info = entry.stat()
                except OSError as error:
                    yield entry.path, f"cannot open the folder: {error.strerror}"
                    continue
                if (info.st_dev, info.st_ino) in seen:
                    yield entry.path, ("a link to a folder already checked (a symbolic link "
                                       "loop?): not checked again")
                    continue
                seen.add((info.st_dev, info.st_ino))
                pending.append(entry.path)


def _entries(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    # Each file as given, each folder's entries sorted by path (see iter_report_files).
    for given in paths:
        if not os.path.isdir(given):
            yield given, None
            continue
        with _DiskList() as found:
            for path, problem in _walk(given):
                found.add(path, problem)
            yield from found.sorted()


def iter_report_files(paths: Iterable[str]) -> Iterator[str]:
    """The files to check: each file as given, each folder's report files sorted by path.

    A folder's files are sorted in a temporary SQLite file rather than in a
    list, so that a folder of 100,000 reports costs no more memory than one of 100.
    Entries that cannot be walked are left out (``check_paths`` reports them).
    """
    return (path for path, problem in _entries(paths) if problem is None)


def count_report_files(paths: Iterable[str]) -> int:
    """How many files :func:`iter_report_files` will give (a quick walk, nothing kept)."""
    return sum(sum(1 for _ in _walk(p)) if os.path.isdir(p) else 1 for p in paths)


# Rows written to and read from the temporary SQLite files at a time: few
# enough to keep memory flat, enough to make the calls cheap.
_SQL_BATCH = 512


class _DiskList:
    """Paths (with an optional problem each) kept in a temporary SQLite file, read
    back sorted."""

    def __enter__(self) -> _DiskList:
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
        return FileResult(file=path, ok=False, error=f"{_files.display_path(path)}: {problem}")
    return check_file(path, options)


def _watch_parent() -> None:
    """In a worker: exit as soon as the checking process is gone, however it went.

    A worker waits for work on a queue that its dead parent can never close,
    so without this it would live on after a ``kill -9`` of the parent.
    """
    parent = os.getppid()
    sentinel = getattr(multiprocessing.parent_process(), "sentinel", None)

    def watch() -> None:
        while True:
            if sentinel is not None:
                multiprocessing.connection.wait([sentinel], timeout=1.0)
            else:
                threading.Event().wait(1.0)
            # Siblings forked later may hold the sentinel's other end open: a
            # changed parent id (the orphan was adopted) tells the rest.
            if os.getppid() != parent or (sentinel is not None and _ready(sentinel)):
                os._exit(1)

    threading.Thread(target=watch, name="govdisclosure-parent-watch", daemon=True).start()


def _ready(sentinel: int) -> bool:
    return bool(multiprocessing.connection.wait([sentinel], timeout=0))


def check_paths(
    paths: Iterable[str], options: CheckOptions, jobs: int = 1, *, series: bool = True
) -> Iterator[FileResult | SeriesResult]:
    """Check every file under ``paths`` in ``jobs`` processes, results in input order;
    then, when ``series`` is true, each body's reports across years.

    Files are handed out lazily, a bounded number at a time, and the body index
    lives on disk, so neither the list of files nor the results pile up in memory.
    """
    index = SeriesIndex() if series else None
    pool = (ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent)
            if jobs > 1 else None)
    try:
        calls = ((p, options, problem) for p, problem in _entries(paths))
        for result in _ordered(pool, _check_entry, calls, jobs):
            if index is not None:
                index.add(result)
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

    def add_series(self, result: SeriesResult, shown: Sequence[dict[str, Any]]) -> None:
        self.series += 1
        self.hidden += len(result.findings) - len(shown)
        for finding in shown:
            self.by_rule[(finding["rule"], finding["status"])] += 1

    def add(self, result: FileResult, shown: Sequence[dict[str, Any]]) -> None:
        self.files += 1
        if not result.readable:
            self.unreadable += 1
            return
        if not result.ok:
            self.with_errors += 1
        self.by_edition_year[(result.edition or "?", result.year)] += 1
        self.hidden += len(result.findings) - len(shown)
        for finding in shown:
            self.by_rule[(finding["rule"], finding["status"])] += 1

    def lines(self, lang: str = "zh") -> list[str]:
        en = lang == "en"
        out = [
            (f"files read: {self.files - self.unreadable}, unreadable: {self.unreadable}, "
             f"with errors: {self.with_errors}") if en else
            (f"读取文件 {self.files - self.unreadable} 个，无法读取 {self.unreadable} 个，"
             f"有错误 {self.with_errors} 个"),
        ]
        if self.series:
            out.append(f"  bodies with several years checked as series: {self.series}" if en
                       else f"  按系列检查的多年度机关：{self.series} 个")
        for (edition, year), n in sorted(self.by_edition_year.items(),
                                         key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            y = "?" if year is None else str(year)
            out.append(f"  edition {edition}, year {y}: {n}" if en
                       else f"  {edition} 版 {y} 年度：{n} 份")
        for (rule, status), n in sorted(self.by_rule.items()):
            out.append(f"  {rule} {status}: {n}")
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
                'expected a baseline: {"version": 1, "fingerprints": ["…"]}', path
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
