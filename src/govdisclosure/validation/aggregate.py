"""Roll-ups: the sum of several bodies' reports, and a published summary checked against it.

A county publishes a report for the whole county; its departments and towns
publish their own. :func:`aggregate` sums reports of one edition cell by cell
(amounts as exact decimals) and says what it covered: which bodies, and which
cells were blank in which report. A blank part makes the summed cell blank
(not assessable), never a silent 0. :func:`compare` checks a published
summary against such a sum, cell by cell (rule R1).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model.cells import Blank, CellRef, Value
from ..model.findings import Finding, Status
from ..model.report import Report
from ..model.schema import build_report, form, form_of, get_cell
from ._words import cell_place
from .engine import ValidationResult
from .rules import rule
from .series import ReportsIn, body_key, label_reports

__all__ = ["Coverage", "Rollup", "aggregate", "compare"]


@attrs.frozen(kw_only=True, slots=True)
class Coverage:
    """What a roll-up summed.

    ``bodies`` labels the reports summed, in the order given; ``blanks`` maps
    each cell that was blank (or not a number) in some report to the labels of
    those reports; ``extra_rows`` lists ``(label, row label)`` for rows a report
    printed beyond the national form, which are not summed.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    bodies: tuple[str, ...]
    blanks: Mapping[CellRef, tuple[str, ...]] = attrs.field(factory=dict)
    extra_rows: tuple[tuple[str, str], ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every cell of every report summed held a number."""
        return not self.blanks


@attrs.frozen(kw_only=True, slots=True)
class Rollup:
    """The sum of several reports (``report``) and what it covered (``coverage``)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    report: Report
    coverage: Coverage

    @property
    def label(self) -> str:
        """How findings name the sum: ``3 份报告之和``."""
        return f"{len(self.coverage.bodies)} 份报告之和"


def _exact_sum(values: list[Value]) -> int | Decimal:
    # Amounts add exactly: no context precision may round a large sum.
    with decimal.localcontext() as ctx:
        ctx.prec = decimal.MAX_PREC
        ctx.traps[decimal.Inexact] = True
        total: int | Decimal = 0
        for value in values:
            assert not isinstance(value, Blank)
            total += value
        return total


def aggregate(
    reports: ReportsIn, *, agency: str | None = None, year: int | None = None
) -> Rollup:
    """Sum reports of one edition into one report, with its coverage.

    ``reports`` is a mapping from labels (file names) to reports, or the
    reports alone. The sum takes ``agency`` and ``year`` as given (``year``
    defaults to the reports' common year). Raises :class:`ValueError` when
    there is nothing to sum, when the reports are of different editions or
    years (their cells mean different things), or when one body appears twice
    (it would be counted twice).
    """
    labelled = label_reports(reports)
    if not labelled:
        raise ValueError("aggregate needs at least one report to sum")
    editions = sorted({r.edition for _, r in labelled})
    if len(editions) > 1:
        detail = "; ".join(f"{label}: {r.edition}" for label, r in labelled)
        raise ValueError(
            f"cannot sum reports of editions {' and '.join(editions)}: their cells mean "
            f"different things ({detail})"
        )
    years = sorted({r.year for _, r in labelled if r.year is not None})
    if len(years) > 1:
        raise ValueError(
            f"cannot sum reports of different years ({', '.join(map(str, years))}); "
            "sum one year at a time"
        )
    seen: dict[str, str] = {}
    for label, report in labelled:
        key = body_key(report.agency)
        if key is None:
            continue
        if key in seen:
            raise ValueError(
                f"{report.agency!r} appears twice ({seen[key]} and {label}): "
                "its numbers would be counted twice"
            )
        seen[key] = label
    edition = labelled[0][1].edition
    values: dict[CellRef, Value] = {}
    blanks: dict[CellRef, tuple[str, ...]] = {}
    for ref in form(edition).refs():
        parts = [(label, get_cell(report, ref)) for label, report in labelled]
        missing = tuple(label for label, value in parts if isinstance(value, Blank))
        if missing:
            blanks[ref] = missing
            values[ref] = Blank("")
        else:
            values[ref] = _exact_sum([value for _, value in parts])
    extra = tuple(
        (label, row.label)
        for label, report in labelled
        for table in ("active", "applications", "appeals")
        for row in getattr(report, table).extra_rows
    )
    summed = build_report(
        edition, values, year=year if year is not None else (years[0] if years else None),
        agency=agency,
    )
    coverage = Coverage(
        bodies=tuple(label for label, _ in labelled), blanks=blanks, extra_rows=extra
    )
    return Rollup(report=summed, coverage=coverage)


def _compare(rollup: Rollup, published: Report, label: str) -> Iterator[Finding]:
    severity = rule("R1").severity
    names = (rollup.label, label)
    for ref in form_of(published).refs():
        total, printed = get_cell(rollup.report, ref), get_cell(published, ref)
        where_zh, where_en = cell_place(published.edition, ref)
        src = published.provenance.get(ref)
        line = src.line if src is not None else None
        base = Finding(rule="R1", severity=severity, table=ref.table, row=ref.row,
                       column=ref.column, line=line, cells=(ref,), reports=names)
        if isinstance(total, Blank):
            who = "、".join(rollup.coverage.blanks.get(ref, ()))
            yield attrs.evolve(
                base, status=Status.NOT_ASSESSABLE, blanks=(ref,), actual=_plain(printed),
                message=f"{where_zh}：无法核对汇总数，因为 {who} 中此格为空白",
                message_en=f"{where_en}: the sum cannot be checked because the cell is "
                f"blank in {', '.join(rollup.coverage.blanks.get(ref, ()))}",
            )
            continue
        if isinstance(printed, Blank):
            yield attrs.evolve(
                base, status=Status.NOT_ASSESSABLE, blanks=(ref,), expected=total,
                message=f"{where_zh}：{label} 此格为空白，各部分之和为 {total}",
                message_en=f"{where_en}: blank in {label}; the parts add up to {total}",
            )
            continue
        if total == printed:
            continue
        yield attrs.evolve(
            base, status=Status.FAILED, expected=total, actual=printed,
            message=f"{where_zh}：{label} 为 {printed}，但各部分之和为 {total}",
            message_en=f"{where_en}: {label} has {printed}, but the parts add up to {total}",
        )


def _plain(value: Value) -> str | None:
    return value.printed if isinstance(value, Blank) else str(value)


def compare(
    rollup: Rollup, published: Report, *, label: str | None = None
) -> ValidationResult:
    """Check a published summary report against the sum of its parts (rule R1).

    Every cell is compared: a cell that differs is a failed finding (the sum
    in ``expected``, the published figure in ``actual``); a cell blank in the
    summary or in any part is *not assessable*, naming the reports where it was
    blank. ``label`` names the published report (default ``agency year``).
    Raises :class:`ValueError` when the editions or years differ.
    """
    if rollup.report.edition != published.edition:
        raise ValueError(
            f"cannot compare a sum of edition {rollup.report.edition} with a report of "
            f"edition {published.edition}"
        )
    ry, py = rollup.report.year, published.year
    if ry is not None and py is not None and ry != py:
        raise ValueError(f"cannot compare a sum for {ry} with a report for {py}")
    name = label if label is not None else label_reports([published])[0][0]
    return ValidationResult(findings=tuple(_compare(rollup, published, name)))
