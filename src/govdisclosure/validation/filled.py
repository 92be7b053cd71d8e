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

from ..model.cells import CellRef, Value
from ..model.findings import Finding, Severity, Status
from ..model.provenance import Provenance, inferred_cells
from ..model.report import Report
from ..model.schema import cell_values, form
from ._words import cell_places, positions

__all__ = ["RULE_ID", "filled_findings", "note_filled"]

#: The rule id of a filled cell's finding.
RULE_ID = "inferred"


def filled_findings(report: Report, filled: Mapping[CellRef, str] | None = None,
                    values: Sequence[Value] | None = None) -> tuple[Finding, ...]:
    """One ``inferred`` finding per filled cell of ``report``, in form order.

    ``values`` are the report's cell values in form order when the caller has
    them (:func:`~govdisclosure.model.cell_values`)."""
    if filled is None:
        filled = inferred_cells(report.provenance)
    if not filled:
        return ()
    edition = report.edition
    if values is None:
        values = cell_values(report)
    refs = form(edition).refs()
    places = cell_places(edition)
    provenance = report.provenance
    out = []
    # Only the filled cells, by position; a mark on a cell the form lacks is skipped.
    for i in sorted(i for i in map(positions(edition).get, filled) if i is not None):
        ref = refs[i]
        rule_id = filled[ref]
        value = values[i]
        where_zh, where_en = places[i]
        if isinstance(provenance, Provenance):
            line = provenance.line_at(i, ref)
        else:
            source = provenance.get(ref)
            line = source.line if source is not None else None
        out.append(Finding(
            rule=RULE_ID, severity=Severity.INFO, status=Status.FAILED,
            table=ref.table, row=ref.row, column=ref.column,
            line=line, cells=(ref,),
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
