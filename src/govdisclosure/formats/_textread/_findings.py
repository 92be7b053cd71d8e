"""The reader's finding codes and the one function that makes reader findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ...model.cells import CellRef
from ...model.findings import Finding, Severity, Status

__all__ = ["READ_CODES", "SEVERITIES", "finding"]

#: Every finding code the readers emit (the text reader, and the HTML reader
#: for the codes marked so), with its meaning. Codes are API:
#: documented in ``docs/reading.md`` and never renamed.
READ_CODES: Mapping[str, str] = {
    "read-short-row": "a row has fewer values than its columns; which one is missing "
    "cannot be known, so all its cells are left blank",
    "read-long-row": "a row has more values than its columns; all its cells are left blank",
    "read-unknown-row": "a labelled row the form does not have; kept as an extra row of "
    "its table",
    "read-loose-label": "a row or group label matched only loosely (a note after it, "
    "wrapped, cut, or without its numbering); the row is placed",
    "read-row-by-position": "values with no usable label, placed in the next row of the "
    "form by their position",
    "read-duplicate-row": "a row that was already read appears again; the first is kept",
    "read-unplaced-values": "values that belong to no row and could not be placed by "
    "position; kept in the report's unplaced text",
    "read-unplaced-text": "text inside a table's section that is neither a cell, a label "
    "nor form text; kept in the report's unplaced text",
    "read-missing-table": "a table, or its section heading, was not found; its cells "
    "are blank and the report is not ok",
    "read-missing-row": "a row of the form was not found in its table; its cells are blank",
    "read-missing-section": "a narrative section (一, 五 or 六) was not found",
    "read-missing-metadata": "the year covered or the body's name was not found",
    "read-edition-unknown": "neither the tables nor the year tell the edition; 2021 is "
    "assumed",
    "read-edition-mixed": "the tables carry labels of both editions; the majority decides",
    "read-edition-override": "the edition given by the caller differs from the one the "
    "content shows",
    "read-cells-run-together": "a table's cells run together with no separator and "
    "could not be split; its cells are blank",
    "read-ambiguous-split": "a row's numbers ran together and several splits into cells "
    "fit the totals; the row is left blank and the candidates are listed",
    "read-unsplittable-row": "a row's numbers ran together and no split into its cells "
    "fits; the row is left blank",
    "read-label-by-order": "a numbered row label that matches no label of the form, "
    "taken as the next row of its group by the form's fixed row order (same number, "
    "most of its characters)",
    "read-subtotal-mismatch": "table 三 prints an extra 法人或其他组织 小计 column; in "
    "this row it is not the sum of the five organisation columns (the 小计 is read as "
    "a check, not as a cell)",
    "read-combined-row": "a group label followed by one row of values (a 2021 table "
    "printing （六）其他处理 as one row): the sum of the group's rows, which are left "
    "blank; infer fills them when the sum is 0",
    "read-no-tables": "(HTML) the page has no table holding the form's labels; the report's "
    "cells are blank",
    "read-not-a-number": "(HTML) a cell of a page written by govdisclosure was edited to "
    "something that is not a number; the cell is kept blank with what it says",
}

_W, _I = Severity.WARNING, Severity.INFO
#: The severity of each code: lost or doubtful numbers warn, recoveries inform,
#: and a table not found (or no table at all) is an error: such a report is not ok.
SEVERITIES: Mapping[str, Severity] = {
    "read-short-row": _W,
    "read-long-row": _W,
    "read-unknown-row": _I,
    "read-loose-label": _I,
    "read-row-by-position": _W,
    "read-duplicate-row": _W,
    "read-unplaced-values": _W,
    "read-unplaced-text": _I,
    "read-missing-table": Severity.ERROR,
    "read-missing-row": _W,
    "read-missing-section": _I,
    "read-missing-metadata": _I,
    "read-edition-unknown": _W,
    "read-edition-mixed": _W,
    "read-edition-override": _I,
    "read-cells-run-together": _W,
    "read-ambiguous-split": _W,
    "read-unsplittable-row": _W,
    "read-label-by-order": _I,
    "read-subtotal-mismatch": _W,
    "read-combined-row": _W,
    "read-no-tables": Severity.ERROR,
    "read-not-a-number": Severity.ERROR,
}


def finding(
    code: str,
    zh: str,
    en: str,
    *,
    table: str | None = None,
    row: str | None = None,
    column: str | None = None,
    line: int | None = None,
    cells: Sequence[CellRef] = (),
    blanks: Sequence[CellRef] = (),
    expected: int | Decimal | str | None = None,
    actual: int | Decimal | str | None = None,
) -> Finding:
    """A reader finding: always ``failed``, with the code's severity."""
    return Finding(
        rule=code,
        severity=SEVERITIES[code],
        status=Status.FAILED,
        table=table,
        row=row,
        column=column,
        line=line,
        cells=tuple(cells),
        blanks=tuple(blanks),
        expected=expected,
        actual=actual,
        message=zh,
        message_en=en,
    )
