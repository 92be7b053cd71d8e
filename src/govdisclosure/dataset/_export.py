"""``export``: a folder of reports into the tables ``reports``, ``cells`` and ``findings``.

One run over files and folders with the machinery of ``check DIR``
(:func:`govdisclosure._corpus.check_paths`: the same workers, order, series
and duplicate detection); each worker sends back its report's rows, and the
main process writes them to the store a batch at a time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from .._corpus import CheckOptions, FileResult, SeriesResult, check_paths
from .._methods import fields_repr
from .._summary import Summary
from ..bodies import Aliases
from ..model.report import Edition
from ._rows import count_findings, finding_row, path_list
from ._stores import Store, open_store, store_kind

__all__ = ["ExportResult", "export"]


@attrs.define(kw_only=True)
class ExportResult:
    """What an export did: the store, reports added, files skipped as already there,
    and the same :class:`~govdisclosure._summary.Summary` ``check`` prints."""

    __repr__ = fields_repr

    out: str
    kind: str
    added: int = 0
    skipped: int = 0
    summary: Summary = attrs.field(factory=Summary)

    def lines(self, lang: str = "zh") -> list[str]:
        """The summary, then what was written."""
        if lang == "en":
            done = (f"exported to {self.out} ({self.kind}): {self.added} files added, "
                    f"{self.skipped} already there")
        else:
            done = (f"已导出到 {self.out}（{self.kind}）：新增文件 {self.added} 个，"
                    f"已有而跳过 {self.skipped} 个")
        return [*self.summary.lines(lang), done]


def file_status(result: FileResult) -> str:
    """What a file turned out to be: report, duplicate, unreadable or not-report."""
    if result.not_report is not None:
        return "not-report"
    if result.error is not None:
        return "unreadable"
    if result.duplicate_of is not None:
        return "duplicate"
    return "report"


def report_row(report_id: int, result: FileResult) -> tuple[Any, ...]:
    """The ``reports`` row of a checked file."""
    cov = result.coverage
    errors, warnings, infos, na = count_findings(result.findings)
    return (
        report_id, result.file, result.content_hash, file_status(result),
        result.not_report or result.error, result.duplicate_of, result.body, result.agency,
        result.publisher, result.title, result.year, result.edition, result.format,
        None if cov is None else round(cov.ratio, 6),
        None if cov is None else cov.cells_read, None if cov is None else cov.cells_total,
        None if cov is None else ",".join(cov.tables_found),
        result.ok, errors, warnings, infos, na,
    )


def export(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    jobs: int = 1,
    store: str | None = None,
    format: str | None = None,
    edition: Edition | None = None,
    infer: bool = False,
    aliases: Aliases | None = None,
    series: bool = True,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Read and check every file under ``paths`` and write the tables to ``out``.

    ``out`` ending in ``.sqlite``/``.db`` is an SQLite file, ``.parquet`` a folder
    of Parquet datasets (extra ``parquet``), ``.duckdb`` a DuckDB file (extra
    ``duckdb``), anything else a folder of CSV files; ``store`` names the kind
    instead. An existing store is appended to: files whose content hash it holds
    already are skipped. ``jobs`` worker processes read the files; rows are
    written in the order of the files whatever ``jobs`` is. Files that are not
    reports and files that cannot be read get a ``reports`` row with their
    ``status`` and ``problem``; a file holding a report an earlier file held is
    ``duplicate`` and names it in ``duplicate_of``. Series findings (``series``)
    have no ``report_id``.
    """
    target = os.fspath(out)
    kind = store or store_kind(target)
    sink: Store = open_store(target, kind)
    result = ExportResult(out=target, kind=kind)
    options = CheckOptions(format=format, edition=edition, infer=infer, lang=lang,
                           aliases=aliases, rows=True)
    try:
        known = sink.known()
        next_id = sink.next_id()
        files = path_list(paths)
        added: set[str] = set()  # files added in this run, whose series are written
        for checked in check_paths(files, options, jobs, series=series):
            if isinstance(checked, SeriesResult):
                result.summary.add_series(checked, checked.findings)
                if not added.intersection(checked.files):
                    continue  # every file was there already, and so are its findings
                sink.add("findings", (
                    (None, *finding_row(f, file=None, series=checked.body))
                    for f in checked.findings
                ))
                continue
            if progress is not None:
                progress(checked.file)
            result.summary.add(checked, checked.findings)
            key = checked.content_hash or f"file:{checked.file}"
            if key in known:
                result.skipped += 1
                continue
            known.add(key)
            added.add(checked.file)
            report_id = next_id
            next_id += 1
            sink.add("reports", [report_row(report_id, checked)])
            if checked.rows is not None:
                sink.add("cells", ((report_id, *row) for row in checked.rows.cells))
                sink.add("findings", ((report_id, *row) for row in checked.rows.findings))
            result.added += 1
    except BaseException:
        sink.abort()  # an interrupted or failed run adds nothing
        raise
    sink.close()
    return result
