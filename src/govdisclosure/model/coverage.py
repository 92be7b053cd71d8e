"""How much of the form a reader read: cells read and tables found.

A report read from a damaged page may hold few numbers and still break no
rule (a blank cell makes a rule not assessable, never failed). Coverage makes
such weak reads visible: :func:`read_coverage` counts the cells of the form the
reader read and names the tables it found.
"""

from __future__ import annotations

from functools import cache
from itertools import compress, count, repeat

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from .cells import Blank, CellRef
from .findings import Status
from .report import Edition, Report
from .schema import cell_values, form, form_of

__all__ = [
    "LEFT_BLANK", "MISSING_TABLE", "TABLES", "UNREAD_SHARE", "ReadCoverage", "read_coverage",
    "unread_tables",
]

#: The reader finding that says a table was not found (an error: such a report
#: is never ``ok``).
MISSING_TABLE = "read-missing-table"
#: Reader findings that leave the cells they name blank for want of a certain
#: reading (besides any finding's ``blanks``): those cells are not read. A
#: reader adding such a code lists it here.
LEFT_BLANK = frozenset((
    "read-short-row", "read-long-row", "read-missing-row", MISSING_TABLE,
    "read-ambiguous-split", "read-unsplittable-row",
    "read-not-a-number", "read-combined-row",
))
#: The form's tables, in the order of the report.
TABLES: tuple[str, ...] = ("active", "applications", "appeals")


@attrs.frozen(kw_only=True, slots=True)
class ReadCoverage:
    """The cells read of the cells in the form, and the tables found.

    ``cells_total`` counts every cell of the report's edition of the form;
    ``tables_found`` lists, in form order, the tables the reader found.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    cells_read: int
    cells_total: int
    tables_found: tuple[str, ...]

    @property
    def ratio(self) -> float:
        """``cells_read / cells_total`` (0.0 for a form without cells)."""
        return self.cells_read / self.cells_total if self.cells_total else 0.0

    @property
    def tables_missing(self) -> tuple[str, ...]:
        """The tables of the form the reader did not find, in form order."""
        return tuple(t for t in TABLES if t not in self.tables_found)

    @property
    def complete(self) -> bool:
        """True when every table was found and every cell read."""
        return self.cells_read == self.cells_total and len(self.tables_found) == len(TABLES)


def read_coverage(report: Report) -> ReadCoverage:
    """The coverage of ``report``'s reading.

    A cell is *read* when it holds a number, or when it is blank as printed in
    its place (the reader recorded its source, as for an empty cell or a
    ``-``). A blank cell is *not read* when the reader never met it (no
    source), or left it blank for want of a certain reading: a failed reader
    finding lists it among its ``blanks``, or names it and is one of
    :data:`LEFT_BLANK` (a short row, a missing row, an ambiguous split). A
    table is found unless a ``read-missing-table`` finding names it; none of
    its cells is read.
    A report built by hand or from JSON without provenance has its numbers
    read and its blanks unread.
    """
    counts, missing = _table_counts(report)
    return ReadCoverage(
        cells_read=sum(read for read, _ in counts.values()),
        cells_total=sum(total for _, total in counts.values()),
        tables_found=tuple(t for t in TABLES if t not in missing),
    )


#: A table found with fewer than this share of its cells read was not read.
UNREAD_SHARE = 0.5


def unread_tables(report: Report) -> tuple[tuple[str, int, int], ...]:
    """The tables a reader found but mostly could not read, in form order.

    Each entry is ``(table, cells read, cells in the table)`` for a table
    found with fewer than :data:`UNREAD_SHARE` of its cells read. Only a report
    that came from a reader (it has provenance or reader findings) is judged:
    a template or a report built in code has nothing to read.
    """
    if not report.provenance and not report.read_findings:
        return ()
    counts, missing = _table_counts(report)
    return tuple(
        (table, read, total) for table, (read, total) in counts.items()
        if table not in missing and total and read < UNREAD_SHARE * total
    )


def _table_counts(report: Report) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Per table (form order), the cells read and the cells in it; and the
    tables not found."""
    unread: set[CellRef] = set()
    missing: set[str] = set()
    for finding in report.read_findings:
        if finding.status is not Status.FAILED:
            continue
        unread.update(finding.blanks)
        if finding.rule in LEFT_BLANK:
            unread.update(finding.cells)
        if finding.rule == MISSING_TABLE and finding.table is not None:
            missing.add(finding.table)
    provenance = report.provenance
    refs = form_of(report).refs()
    values = cell_values(report)
    counts = dict.fromkeys(TABLES, (0, 0))
    for table, total in _totals(report.edition).items():
        counts[table] = (0 if table in missing else total, total)
    # Every cell with a number is read (in a table found); of the blank ones,
    # those recorded in their place and not left blank by a finding.
    for i in compress(count(), map(isinstance, values, repeat(Blank))):
        ref = refs[i]
        if ref.table not in missing and (ref not in provenance or ref in unread):
            read, total = counts[ref.table]
            counts[ref.table] = (read - 1, total)
    return counts, missing


@cache
def _totals(edition: Edition) -> dict[str, int]:
    """The cells of each table of ``edition``'s form, in form order."""
    totals: dict[str, int] = {}
    for ref in form(edition).refs():
        totals[ref.table] = totals.get(ref.table, 0) + 1
    return totals
