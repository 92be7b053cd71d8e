"""``read_many`` (a result per file, report or error) and ``to_frame`` (pandas)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal

import attrs

from .. import _files
from .._api import load_data
from .._corpus import _ordered, finding_to_json, unwalkable
from ..bodies import Aliases, body_key
from ..errors import FormatError, GovDisclosureError, MissingExtra, Problem, ReadError
from ..formats import format_for_path, get_format
from ..model.coverage import read_coverage
from ..model.report import Edition, Report
from ..validation import infer as infer_blanks
from ..validation import validate
from ._rows import COLUMNS, cell_rows, count_findings, finding_row, path_list

__all__ = ["ReadResult", "read_many", "to_frame"]


@attrs.frozen(slots=True, kw_only=True)
class ReadResult:
    """One file of :func:`read_many`: its report, or why there is none.

    ``report`` is set when the file was read; otherwise ``error`` (a
    :class:`~govdisclosure.ReadError`) says why it could not be, or
    ``not_report`` that no format reads files like it.
    """

    file: str
    report: Report | None = None
    error: ReadError | None = None
    not_report: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file was read (not whether the report holds: see ``validate``)."""
        return self.report is not None


@attrs.frozen(slots=True)
class _ReadOptions:
    format: str | None
    edition: Edition | None
    infer: bool


def _read_one(path: str, options: _ReadOptions, problem: Problem | None = None) -> ReadResult:
    if problem is not None:  # a folder entry that cannot be walked
        return ReadResult(file=path, error=unwalkable(path, problem))
    try:
        fmt = get_format(options.format) if options.format else format_for_path(path)
    except FormatError as error:
        if options.format:
            raise
        return ReadResult(file=path, not_report=str(error))
    try:
        report = load_data(_files.read_bytes(path), path, fmt.name, edition=options.edition)
    except ReadError as error:
        return ReadResult(file=path, error=error)
    except GovDisclosureError as error:
        return ReadResult(file=path, error=ReadError.single(str(error), path,
                                                            zh=error.text("zh")))
    return ReadResult(file=path, report=infer_blanks(report) if options.infer else report)


def read_many(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    format: str | None = None,
    edition: Edition | None = None,
    infer: bool = False,
    jobs: int = 1,
) -> Iterator[ReadResult]:
    """Read every file under ``paths``: files as given, folders walked as ``check``
    walks them (every file, sorted by path). Yields one :class:`ReadResult` per
    file, in that order, whatever ``jobs`` (worker processes) is; never raises
    for a bad file. A folder entry that cannot be walked (a subfolder that
    cannot be opened, a link loop) gives a result with ``error``, as ``check``
    reports it: nothing given is left out. ``format``, ``edition`` and
    ``infer`` as for ``load``.
    """
    entries = _files.entries(path_list(paths))
    options = _ReadOptions(format, edition, infer)
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        yield from _ordered(pool, _read_one, ((p, options, problem) for p, problem in entries),
                            jobs)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


Reports = Mapping[str, Report] | Iterable[Report | ReadResult]
Table = Literal["reports", "cells", "findings", "active", "applications", "appeals"]
_FORM_TABLES = ("active", "applications", "appeals")
_META = ("report", "body", "year", "edition")


def _findings(report: Report) -> list[dict[str, Any]]:
    # What check and export report for one file (validate runs T1 too).
    return [finding_to_json(f) for f in validate(report)]


def _pandas() -> Any:
    try:
        # Through importlib: pandas ships no type information for mypy to read.
        return importlib.import_module("pandas")
    except ImportError:
        raise MissingExtra("to_frame", "pandas", "pandas", what_zh="to_frame") from None


def _labelled(reports: Reports) -> Iterator[tuple[str, Report | None, ReadResult | None]]:
    if isinstance(reports, Mapping):
        for label, report in reports.items():
            yield label, report, None
        return
    for i, item in enumerate(reports):
        if isinstance(item, ReadResult):
            yield item.file, item.report, item
        else:
            yield str(i), item, None


def to_frame(
    reports: Reports,
    table: Table = "cells",
    *,
    wide: bool = False,
    aliases: Aliases | None = None,
) -> Any:
    """The reports as a ``pandas.DataFrame`` (extra ``pandas``; typed ``Any`` because
    pandas ships no type information of its own).

    ``reports`` is a mapping from labels (file names) to reports, reports alone
    (labelled ``0``, ``1``…), or what :func:`read_many` yields (labelled by file;
    files that were not read appear only in ``table="reports"``). Every frame
    starts with ``report`` (the label), ``body`` (the body key), ``year`` and
    ``edition``.

    ``table`` is ``"cells"`` (every cell of the form: the ``cells`` columns of
    ``export``), ``"reports"`` (one row per report: body, title, coverage, ok and
    counts of findings), ``"findings"`` (the keys of ``check --json``), or one
    of the form's tables, ``"active"``, ``"applications"``, ``"appeals"`` (its
    cells). ``wide=True`` pivots cells: one row per report and row of the form,
    a column per column key (``natural_person`` … ``total``); for ``"cells"``,
    one row per report with a column per ``table/row/column``. Values are
    numbers (``float``; ``value_text`` in the long form keeps them exact) and
    NaN for a blank or unreadable cell, never 0.
    """
    pd = _pandas()
    if table not in ("reports", "cells", "findings", *_FORM_TABLES):
        raise ValueError(f"unknown table {table!r}: expected reports, cells, findings, "
                         "active, applications or appeals")
    if wide and table in ("reports", "findings"):
        raise ValueError(f"table {table!r} has no wide form: wide pivots cells")
    rows: list[tuple[Any, ...]] = []
    for label, report, read in _labelled(reports):
        if report is None:
            if table == "reports" and read is not None:
                problem = read.not_report or (str(read.error) if read.error else None)
                rows.append((label, None, None, None, None, None, None, problem, None, False,
                             None, None, None, None))
            continue
        meta = (label, body_key(report.agency, aliases), report.year, report.edition)
        if table == "reports":
            found = _findings(report)
            errors, warnings, infos, na = count_findings(found)
            rows.append((*meta, report.agency, report.publisher, report.title, None,
                         read_coverage(report).ratio, errors == 0, errors, warnings, infos,
                         na))
        elif table == "findings":
            for finding in _findings(report):
                rows.append((*meta, *finding_row(finding, file=label)[2:12]))
        else:
            for row in cell_rows(report):
                if table == "cells" or row[0] == table:
                    rows.append((*meta, *row))
    if table == "reports":
        columns = [*_META, "agency", "publisher", "title", "problem", "coverage", "ok",
                   "errors", "warnings", "infos", "not_assessable"]
    elif table == "findings":
        columns = [*_META, *(name for name, _ in COLUMNS["findings"][3:13])]
    else:
        columns = [*_META, *(name for name, _ in COLUMNS["cells"][1:])]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    if table in ("reports", "findings"):
        return frame
    frame["value"] = frame["value"].astype("float64")
    if not wide:
        return frame
    frame = frame[frame["state"] != "extra"]
    # Pivot on the labels alone (unique per report), then put back the report's
    # columns, in the order of the reports and of the form.
    if table == "cells":
        frame = frame.assign(cell=frame["table"] + "/" + frame["row"] + "/" + frame["column"])
        keys, across = ["report"], "cell"
        described = frame[list(_META)].drop_duplicates("report")
    else:
        keys, across = ["report", "row"], "column"
        described = frame[[*_META, "row", "group_label", "row_label"]].drop_duplicates(
            ["report", "row"])
    order = list(dict.fromkeys(frame[across]))
    values = frame.set_index([*keys, across])["value"].unstack(across)
    values = values.reindex(columns=order).rename_axis(columns=None).reset_index()
    return described.merge(values, on=keys, how="left").reset_index(drop=True)
