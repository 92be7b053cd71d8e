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
import sqlite3
import tempfile
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
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".pdf")


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

    def to_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"file": self.file, "ok": False, "error": self.error}
        return {
            "file": self.file, "ok": self.ok, "edition": self.edition, "year": self.year,
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
    except ReadError as error:
        return FileResult(file=path, ok=False, error=str(error))
    except GovDisclosureError as error:  # e.g. no format for the extension
        return FileResult(file=path, ok=False, error=f"{path}: {error}")
    findings = [*validate(report), *validate_prose(report)]
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
        return {"series": self.body, "files": list(self.files), "ok": self.ok,
                "findings": list(self.findings)}


def check_series(body: str, files: Sequence[str], options: CheckOptions) -> SeriesResult:
    """Read one body's files again and run the series rules over them.

    Unreadable files were reported in the first pass and are left out here.
    """
    reports: dict[str, Report] = {}
    for path in files:
        try:
            reports[path] = _load(path, options)
        except GovDisclosureError:
            continue
    findings = []
    for finding in validate_series(reports):
        data = finding_to_json(finding, options.lang)
        data["reports"] = list(finding.reports)
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
        self._db.execute("CREATE TABLE f (body TEXT, year INTEGER, seq INTEGER, path TEXT)")
        self._seq = 0
        self._pending: list[tuple[str, int | None, int, str]] = []

    def add(self, result: FileResult) -> None:
        body = body_key(result.agency)
        if result.readable and body is not None:
            self._seq += 1
            self._pending.append((body, result.year, self._seq, result.file))
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
            files.append(path)
        if current is not None:
            yield current, files

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def _walk(folder: str) -> Iterator[str]:
    """The report files below ``folder``, in no particular order; hidden ones skipped."""
    pending = [folder]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue  # an unreadable folder: nothing in it to check
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    pending.append(entry.path)
                elif entry.name.lower().endswith(REPORT_SUFFIXES):
                    yield entry.path


def iter_report_files(paths: Iterable[str]) -> Iterator[str]:
    """The files to check: each file as given, each folder's report files sorted by path.

    A folder's files are sorted in a temporary SQLite file rather than in a
    list, so that a folder of 100,000 reports costs no more memory than one of 100.
    """
    for given in paths:
        if not os.path.isdir(given):
            yield given
            continue
        with _DiskList() as found:
            for path in _walk(given):
                found.add(path)
            yield from found.sorted()


def count_report_files(paths: Iterable[str]) -> int:
    """How many files :func:`iter_report_files` will give (a quick walk, nothing kept)."""
    return sum(sum(1 for _ in _walk(p)) if os.path.isdir(p) else 1 for p in paths)


# Rows written to and read from the temporary SQLite files at a time: few
# enough to keep memory flat, enough to make the calls cheap.
_SQL_BATCH = 512


class _DiskList:
    """Strings kept in a temporary SQLite file, read back sorted."""

    def __enter__(self) -> _DiskList:
        self._dir = tempfile.TemporaryDirectory(prefix="govdisclosure-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "paths.sqlite"))
        self._db.execute("PRAGMA cache_size = -256")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("CREATE TABLE p (path TEXT)")
        self._pending: list[tuple[str]] = []
        return self

    def add(self, text: str) -> None:
        self._pending.append((text,))
        if len(self._pending) >= _SQL_BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO p VALUES (?)", self._pending)
        self._pending.clear()

    def sorted(self) -> Iterator[str]:
        # SQLite's default (binary) collation compares UTF-8 bytes, which is
        # the order of code points: the same as Python's sorted().
        self._flush()
        rows = self._db.execute("SELECT path FROM p ORDER BY path")
        while batch := rows.fetchmany(_SQL_BATCH):
            for (path,) in batch:
                yield path

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


def check_paths(
    paths: Iterable[str], options: CheckOptions, jobs: int = 1, *, series: bool = True
) -> Iterator[FileResult | SeriesResult]:
    """Check every file under ``paths`` in ``jobs`` processes, results in input order;
    then, when ``series`` is true, each body's reports across years.

    Files are handed out lazily, a bounded number at a time, and the body index
    lives on disk, so neither the list of files nor the results pile up in memory.
    """
    files = iter_report_files(paths)
    index = SeriesIndex() if series else None
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        for result in _ordered(pool, check_file, ((p, options) for p in files), jobs):
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
        whose = [body_key(result.agency) or Path(result.file).name, result.edition,
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
        data = {"version": 1, "fingerprints": sorted(self.fingerprints)}
        _files.write_text(path, json.dumps(data, indent=1) + "\n")

    def hides(self, result: FileResult | SeriesResult, finding: dict[str, Any]) -> bool:
        return fingerprint(result, finding) in self.fingerprints


def is_error(finding: dict[str, Any]) -> bool:
    """Whether a finding (JSON form) is an error that failed."""
    return bool(finding["severity"] == Severity.ERROR.value
                and finding["status"] == Status.FAILED.value)
