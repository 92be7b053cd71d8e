"""The reader's finding codes and the one function that makes reader findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ...model.cells import CellRef
from ...model.findings import Finding, Severity, Status
from ...validation.catalogue import CODES

__all__ = ["READ_CODES", "SEVERITIES", "finding"]

#: Every finding code the readers emit, with its meaning, and its severity:
#: read off the catalogue (``validation/catalogue.py``), where a new code is
#: one line. Codes are API: documented in ``docs/reading.md`` and never renamed.
READ_CODES: Mapping[str, str] = {
    c.id: c.statement_en for c in CODES.values() if c.scope == "reader"
}
SEVERITIES: Mapping[str, Severity] = {
    c.id: c.severity for c in CODES.values() if c.scope == "reader"
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
