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
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from . import _files
from ._api import load
from .errors import GovDisclosureError, ReadError
from .model.findings import Finding, Severity, Status
from .model.report import Edition
from .validation import infer, validate

__all__ = [
    "REPORT_SUFFIXES",
    "Baseline",
    "CheckOptions",
    "FileResult",
    "Summary",
    "check_file",
    "check_paths",
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

    def to_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"file": self.file, "ok": False, "error": self.error}
        return {
            "file": self.file, "ok": self.ok, "edition": self.edition, "year": self.year,
            "agency": self.agency, "findings": list(self.findings),
        }


def check_file(path: str, options: CheckOptions) -> FileResult:
    """Read and check one file; a file that cannot be read gives a result with ``error``."""
    try:
        report = load(path, options.format, edition=options.edition)
    except ReadError as error:
        return FileResult(file=path, ok=False, error=str(error))
    except GovDisclosureError as error:  # e.g. no format for the extension
        return FileResult(file=path, ok=False, error=f"{path}: {error}")
    if options.infer:
        report = infer(report)
    result = validate(report)
    return FileResult(
        file=path,
        ok=result.ok,
        edition=report.edition,
        year=report.year,
        agency=report.agency,
        findings=tuple(finding_to_json(f, options.lang) for f in result),
    )


def iter_report_files(paths: Iterable[str]) -> Iterator[str]:
    """The files to check: each file as given, each folder walked in sorted order."""
    for given in paths:
        if not os.path.isdir(given):
            yield given
            continue
        for root, dirs, files in os.walk(given):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(REPORT_SUFFIXES) and not name.startswith("."):
                    yield os.path.join(root, name)


def check_paths(
    paths: Iterable[str], options: CheckOptions, jobs: int = 1
) -> Iterator[FileResult]:
    """Check every file under ``paths``, in ``jobs`` processes, results in input order.

    Files are handed out lazily, a bounded number at a time, so neither the list
    of files nor the results pile up in memory.
    """
    files = iter_report_files(paths)
    if jobs <= 1:
        for path in files:
            yield check_file(path, options)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        window: list[Any] = []
        limit = jobs * 16
        for path in files:
            window.append(pool.submit(check_file, path, options))
            if len(window) >= limit:
                yield window.pop(0).result()
        for future in window:
            yield future.result()


# --- summaries and fingerprints ---------------------------------------------------


@attrs.define
class Summary:
    """Running totals over checked files, printed at the end of ``check``."""

    files: int = 0
    unreadable: int = 0
    with_errors: int = 0
    hidden: int = 0
    by_edition_year: Counter[tuple[str, int | None]] = attrs.field(factory=Counter)
    by_rule: Counter[tuple[str, str]] = attrs.field(factory=Counter)

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


def _norm_agency(agency: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", agency or "").split())


def fingerprint(result: FileResult, finding: dict[str, Any]) -> str:
    """A stable fingerprint of a finding: the body, year, rule, place and numbers.

    The file name is left out so that renaming or moving a file keeps its
    reviewed findings; a changed number makes a new fingerprint.
    """
    key = [
        _norm_agency(result.agency) or Path(result.file).name,
        result.edition, result.year, finding["rule"], finding["status"], finding["table"],
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

    def hides(self, result: FileResult, finding: dict[str, Any]) -> bool:
        return fingerprint(result, finding) in self.fingerprints


def is_error(finding: dict[str, Any]) -> bool:
    """Whether a finding (JSON form) is an error that failed."""
    return bool(finding["severity"] == Severity.ERROR.value
                and finding["status"] == Status.FAILED.value)
