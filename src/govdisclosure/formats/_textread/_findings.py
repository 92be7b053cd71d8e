"""The reader's finding codes and the one function that makes reader findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ...model.cells import CellRef
from ...model.findings import Finding, Severity, Status
from ...model.report import Report
from ...validation.catalogue import CODES

__all__ = ["READ_CODES", "SEVERITIES", "finding", "kept_unplaced"]

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


def kept_unplaced(report: Report, kept: str, line: int, zh: str, en: str) -> Report:
    """``report`` with ``kept`` (text the input may have been cut off in, so not
    read as cells) added to its unplaced text, unless empty, and the
    ``read-unplaced-values`` finding on ``line`` that says why (``zh``, ``en``)."""
    return attrs.evolve(
        report,
        unplaced=(*report.unplaced, kept) if kept else report.unplaced,
        read_findings=(*report.read_findings, finding(
            "read-unplaced-values", zh, en, line=line, actual=kept or None)),
    )
