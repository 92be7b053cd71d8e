"""A report as rows of the three dataset tables: ``reports``, ``cells`` and ``findings``.

Pure functions of a report (no I/O), shared by the local export and the Dask
path, so both write the same rows. Each table's columns are declared once in
:data:`COLUMNS` with a storage type (``int``, ``float``, ``text``, ``bool``)
that every store maps to its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model._normalise import key
from ..model.cells import Blank, CellRef
from ..model.findings import Severity, Status
from ..model.labels import BLANK_MARKS
from ..model.report import Edition, Report
from ..model.schema import cell_values, form

__all__ = [
    "COLUMNS",
    "ReportRows",
    "cell_rows",
    "cell_state",
]

# Rows of each table: name and storage type of every column, in order.
COLUMNS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "reports": (
        ("report_id", "int"), ("file", "text"), ("content_hash", "text"), ("status", "text"),
        ("problem", "text"), ("duplicate_of", "text"), ("body", "text"), ("agency", "text"),
        ("publisher", "text"), ("title", "text"), ("year", "int"), ("edition", "text"),
        ("format", "text"), ("coverage", "float"), ("cells_read", "int"),
        ("cells_total", "int"), ("tables_found", "text"), ("ok", "bool"), ("errors", "int"),
        ("warnings", "int"), ("infos", "int"), ("not_assessable", "int"),
    ),
    "cells": (
        ("report_id", "int"), ("table", "text"), ("row", "text"), ("column", "text"),
        ("position", "int"), ("value", "float"), ("value_text", "text"), ("printed", "text"),
        ("state", "text"), ("line", "int"), ("table_label", "text"), ("group_label", "text"),
        ("row_label", "text"), ("column_label", "text"),
    ),
    "findings": (
        ("report_id", "int"), ("file", "text"), ("series", "text"), ("rule", "text"),
        ("severity", "text"), ("status", "text"), ("table", "text"), ("row", "text"),
        ("column", "text"), ("line", "int"), ("expected", "text"), ("actual", "text"),
        ("message", "text"), ("reports", "text"),
    ),
}


# The states of a cell, in the ``state`` column.
PRINTED, BLANK, INFERRED, UNREADABLE, EXTRA = "printed", "blank", "inferred", "unreadable", \
    "extra"


@attrs.frozen(slots=True, kw_only=True)
class ReportRows:
    """One report's ``cells`` and ``findings`` rows, without their ``report_id``
    (a store numbers reports as it adds them). Small and picklable."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    cells: tuple[tuple[Any, ...], ...] = ()
    findings: tuple[tuple[Any, ...], ...] = ()


def cell_state(value: Blank) -> str:
    """The state of a cell that holds no number: ``blank`` (empty, or a mark
    reports print for "nothing": the lexicon's ``BLANK_MARKS``) or
    ``unreadable`` (other text)."""
    text = key(value.printed)
    return BLANK if not text or text in BLANK_MARKS else UNREADABLE


@cache
def _fixed(edition: Edition) -> tuple[tuple[CellRef, tuple[Any, ...], tuple[str, ...]], ...]:
    # Per cell of the form, what every report shares: its reference, the leading
    # columns (table, row, column, position) and the labels.
    out = []
    refs = form(edition).refs()
    for table in form(edition).tables:
        for row in table.rows:
            for column in row.columns:
                ref = CellRef(table.key, row.key, column.key)
                out.append((ref, (*ref, refs.index(ref)),
                            (table.label, row.group_label or "", row.label, column.label)))
    return tuple(out)


def cell_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """The ``cells`` rows of ``report`` (all but ``report_id``): every cell of the
    form, then the cells of rows printed beyond the form (state ``extra``)."""
    spec = form(report.edition)
    refs = spec.refs()
    provenance = report.provenance
    for (ref, head, labels), value in zip(_fixed(report.edition), cell_values(report),
                                          strict=True):
        source = provenance.get(ref)
        inferred = source is not None and source.inferred_by is not None
        if isinstance(value, Blank):
            yield (*head, None, None, value.printed, cell_state(value),
                   source.line if source is not None else None, *labels)
            continue
        text = str(value)
        printed = source.printed if source is not None and source.printed else (
            None if inferred else text)
        yield (*head, float(value) if isinstance(value, Decimal) else value, text, printed,
               INFERRED if inferred else PRINTED,
               source.line if source is not None else None, *labels)
    position = len(refs)
    for table in spec.tables:
        for index, extra in enumerate(getattr(report, table.key).extra_rows):
            for column, text in enumerate(extra.cells):
                yield (
                    table.key, f"extra.{index + 1}", str(column + 1), position, None, None,
                    text, EXTRA, extra.line, table.label, "", extra.label, "",
                )
                position += 1


def finding_row(
    data: Mapping[str, Any], *, file: str | None, series: str | None = None
) -> tuple[Any, ...]:
    """A ``findings`` row (all but ``report_id``) from a finding's JSON form."""
    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    reports: Sequence[str] | None = data.get("reports")
    return (
        file, series, data["rule"], data["severity"], data["status"], data["table"],
        data["row"], data["column"], data["line"], text(data["expected"]),
        text(data["actual"]), data["message"],
        json.dumps(list(reports), ensure_ascii=False) if reports else None,
    )


def path_list(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """Paths as strings; one path given alone is a list of one (not of its letters)."""
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def count_findings(findings: Iterable[Mapping[str, Any]]) -> tuple[int, int, int, int]:
    """Failed errors, warnings and infos, and not-assessable findings (JSON forms)."""
    by = {Severity.ERROR.value: 0, Severity.WARNING.value: 0, Severity.INFO.value: 0}
    na = 0
    for f in findings:
        if f["status"] == Status.FAILED.value:
            by[f["severity"]] += 1
        elif f["status"] == Status.NOT_ASSESSABLE.value:
            na += 1
    return by[Severity.ERROR.value], by[Severity.WARNING.value], by[Severity.INFO.value], na
