"""Cells :func:`~govdisclosure.infer` filled, made visible as findings.

A report read with ``--infer`` has blank cells filled in, each marked in its
provenance with the identity that forced it. :func:`filled_findings` lists
each such cell as an ``inferred`` finding (severity ``info``), and
:func:`note_filled` completes the reader's findings about blank cells (a row
left blank because a value was missing) with what was filled in later, so no
message still says a cell is blank once it holds a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..model.cells import CellRef
from ..model.findings import Finding, Severity, Status
from ..model.provenance import inferred_cells
from ..model.report import Report
from ..model.schema import form_of, get_cell
from ._words import place

__all__ = ["RULE_ID", "filled_findings", "note_filled"]

#: The rule id of a filled cell's finding.
RULE_ID = "inferred"


def filled_findings(report: Report, filled: Mapping[CellRef, str] | None = None
                    ) -> tuple[Finding, ...]:
    """One ``inferred`` finding per filled cell of ``report``, in form order."""
    if filled is None:
        filled = inferred_cells(report.provenance)
    if not filled:
        return ()
    out = []
    for ref in form_of(report).refs():
        rule_id = filled.get(ref)
        if rule_id is None:
            continue
        value = get_cell(report, ref)
        where_zh, where_en = place(report.edition, ref.table, ref.row, ref.column)
        source = report.provenance.get(ref)
        out.append(Finding(
            rule=RULE_ID, severity=Severity.INFO, status=Status.FAILED,
            table=ref.table, row=ref.row, column=ref.column,
            line=source.line if source is not None else None, cells=(ref,),
            expected=rule_id, actual=value if isinstance(value, int) else None,
            message=f"{where_zh}：原为空白，由 {rule_id} 推算填入 {value}",
            message_en=f"{where_en}: blank in the report, filled in as {value} by {rule_id}",
        ))
    return tuple(out)


def note_filled(findings: Sequence[Finding], filled: Mapping[CellRef, str]
                ) -> tuple[Finding, ...]:
    """``findings`` with each one about blank cells saying which were filled later."""
    out = []
    for finding in findings:
        done = [ref for ref in finding.blanks if ref in filled]
        if not done:
            out.append(finding)
            continue
        rules = "、".join(dict.fromkeys(filled[ref] for ref in done))
        rules_en = ", ".join(dict.fromkeys(filled[ref] for ref in done))
        every = len(done) == len(finding.blanks)
        zh = f"；其后{'全部' if every else '其中'} {len(done)} 格由 {rules} 推算填入"
        en = (f"; {'all ' if every else ''}{len(done)} of its blank cells were later "
              f"filled in by {rules_en}")
        out.append(attrs.evolve(finding, message=finding.message + zh,
                                message_en=finding.message_en + en))
    return tuple(out)
