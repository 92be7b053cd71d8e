"""The ``csv`` format (write only): tidy data, one line per cell.

Columns are ``table,row,column,value,row_label,column_label``: the cell's
data-dictionary keys (FORMAT.md), its value as printed (empty for an empty
cell, the printed text for a non-numeric one), and the official labels. Every
cell of the form is written, in reading order, so the same report always gives
the same bytes and any two reports of an edition have the same first four
columns but the values. Rows a report added to the form (extra rows) follow
the row they came after, as rows ``extra.1``, ``extra.2``... with columns
``1``, ``2``... for the cells they printed. The layout is described in
``docs/formats.md``; CSV is not read back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..model.cells import CellRef
from ..model.report import Report
from ..model.schema import ColumnSpec, RowSpec, TableSpec, form_of, get_cell
from ..model.tables import ExtraRow
from . import Format
from ._writing import LEGAL_PERSONS_LABEL, cell_text, extra_rows_after

__all__ = ["COLUMNS", "FORMAT", "LABEL_SEPARATOR", "column_label", "row_label", "write"]

#: The header line of every CSV document.
COLUMNS: tuple[str, ...] = ("table", "row", "column", "value", "row_label", "column_label")
#: What joins a group label to a row or column label.
LABEL_SEPARATOR = " / "
# Columns of table 三 printed under 法人或其他组织.
_LEGAL_PERSONS = frozenset({"commercial", "research", "public_interest", "legal_services", "other"})


def row_label(row: RowSpec) -> str:
    """The official label of ``row``, with its group first when it has one.

    ``（三）不予公开 / 1.属于国家秘密``, ``第二十条第（一）项 / 规章``,
    ``行政诉讼 / 复议后起诉``; a row of no group is its label alone
    (``一、本年新收政府信息公开申请数量``).
    """
    parts = [row.group_label] if row.group_label else []
    parts.extend(row.label.split("/") if row.table == "appeals" else [row.label])
    return LABEL_SEPARATOR.join(parts)


def column_label(row: RowSpec, column: ColumnSpec) -> str:
    """The official label of ``column``, with 法人或其他组织 first for the five
    organisation columns of table 三 (``法人或其他组织 / 商业企业``)."""
    if row.table == "applications" and column.key in _LEGAL_PERSONS:
        return f"{LEGAL_PERSONS_LABEL}{LABEL_SEPARATOR}{column.label}"
    return column.label


def _extra_lines(table: str, rows: tuple[ExtraRow, ...], first: int) -> Iterator[list[str]]:
    for number, extra_row in enumerate(rows, first):
        key = f"extra.{number}"
        if not extra_row.cells:
            yield [table, key, "", "", extra_row.label, ""]
        for position, printed in enumerate(extra_row.cells, 1):
            yield [table, key, str(position), printed, extra_row.label, ""]


def _table_lines(report: Report, table: TableSpec) -> Iterator[list[str]]:
    # Extra rows are numbered in the order they are written: extra.1, extra.2...
    placed, at_end = extra_rows_after(table, getattr(report, table.key).extra_rows)
    written = 0
    for row in table.rows:
        label = row_label(row)
        for column in row.columns:
            value = get_cell(report, CellRef(table.key, row.key, column.key))
            yield [table.key, row.key, column.key, cell_text(value), label,
                   column_label(row, column)]
        here = placed.get(row.key, ())
        yield from _extra_lines(table.key, here, written + 1)
        written += len(here)
    yield from _extra_lines(table.key, at_end, written + 1)


def write(report: Report) -> str:
    """Every cell of ``report`` as a CSV line under the :data:`COLUMNS` header,
    with ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for table in form_of(report).tables:
        writer.writerows(_table_lines(report, table))
    return out.getvalue()


FORMAT = Format(
    name="csv",
    description="tidy CSV, one line per cell, written only (docs/formats.md)",
    description_zh="整齐的 CSV，每格一行，只写不读（见 docs/formats.md）",
    extensions=(".csv",),
    read=None,
    write=write,
)
