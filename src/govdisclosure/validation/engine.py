"""``validate`` and ``infer``: the single-report rules applied to a report."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

import attrs

from ..model.cells import Blank, CellRef, CellSource, Value
from ..model.findings import Finding, Severity, Status
from ..model.provenance import first_line
from ..model.report import Edition, Report
from ..model.schema import FormSpec, cell_values, form, form_of, replace_cells
from .rules import Check, checks, rule

__all__ = ["ValidationResult", "infer", "validate"]


@attrs.frozen(slots=True, kw_only=True)
class ValidationResult:
    """What :func:`validate` found.

    ``ok`` is true when no finding is an error that failed; warnings and
    not-assessable findings do not make a report fail.
    """

    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(
            f for f in self.findings if f.severity is Severity.ERROR and f.status is Status.FAILED
        )

    @property
    def not_assessable(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is Status.NOT_ASSESSABLE)

    def by_rule(self, rule_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule == rule_id)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


def _place(spec: FormSpec, table: str, row: str | None, column: str | None) -> tuple[str, str]:
    """Where, in words: ``三 / 自然人`` and ``applications / natural persons``."""
    return _place_in(spec.edition, table, row, column)


@cache
def _place_in(edition: Edition, table: str, row: str | None, column: str | None
              ) -> tuple[str, str]:
    t = form(edition).table(table)
    zh, en = [t.short], [t.key]
    if row is not None:
        r = t.row(row)
        zh.append(r.short)
        en.append(r.en)
        if column is not None:
            c = r.column(column)
            zh.append(c.label)
            en.append(c.en)
    elif column is not None:
        c = t.rows[0].column(column)
        zh.append(c.label)
        en.append(c.en)
    return " / ".join(zh), " / ".join(en)


def _cell_place(spec: FormSpec, ref: CellRef) -> tuple[str, str]:
    return _place(spec, ref.table, ref.row, ref.column)


def _sum(values: dict[CellRef, Value], refs: Sequence[CellRef]) -> int | Decimal:
    total: int | Decimal = 0
    for ref in refs:
        value = values[ref]
        assert not isinstance(value, Blank)  # callers check for blanks first
        total += value
    return total


def _fmt(value: int | Decimal) -> str:
    return str(value)


def _line(report: Report, refs: Sequence[CellRef]) -> int | None:
    return first_line(report.provenance, refs)


def _blank_words(value: Blank) -> tuple[str, str]:
    if value.printed.strip():
        return f"印为“{value.printed}”", f"printed as {value.printed!r}"
    return "为空白", "is blank"


def _check_findings(
    report: Report, spec: FormSpec, values: dict[CellRef, Value],
    only: Sequence[int] | None = None,
) -> Iterator[Finding]:
    """Findings of the identity checks (all, or those at the positions in ``only``)."""
    all_checks = checks(report.edition)
    for check in all_checks if only is None else (all_checks[k] for k in only):
        yield from _evaluate(report, spec, check, values)


@cache
def _domain_suspects(edition: Edition) -> Callable[[Sequence[Value]], list[int]]:
    """A generated function giving the positions of the cells D1 may report."""
    spec = form(edition)
    lines = ["def domain_suspects(v):", "    out = []"]
    for i, ref in enumerate(spec.refs()):
        kind = spec.column_kind(ref)
        if kind == "amount":
            test = f"type(v[{i}]) is not Decimal or not v[{i}].is_finite() or v[{i}] < 0"
        elif kind == "signed":
            test = f"type(v[{i}]) is not int"
        else:
            test = f"type(v[{i}]) is not int or v[{i}] < 0"
        lines.append(f"    if {test}: out.append({i})")
    lines.append("    return out")
    namespace: dict[str, Any] = {"Decimal": Decimal}
    exec(compile("\n".join(lines), f"<govdisclosure D1 suspects {edition}>", "exec"),
         namespace)
    found: Callable[[Sequence[Value]], list[int]] = namespace["domain_suspects"]
    return found


@cache
def _suspects(edition: Edition) -> Callable[[Sequence[Value]], list[int]]:
    """A generated function giving the positions of the checks that may make a finding.

    Each check is written out as arithmetic on the flat cell values; a blank
    cell makes the arithmetic raise ``TypeError`` (``Blank`` does not add), which
    marks the check as a suspect too. Only suspects are then evaluated in full.
    """
    index = {ref: i for i, ref in enumerate(form(edition).refs())}
    lines = ["def suspects(v):", "    out = []"]
    for k, check in enumerate(checks(edition)):
        lhs = " + ".join(f"v[{index[ref]}]" for ref in check.lhs)
        rhs = " + ".join(f"v[{index[ref]}]" for ref in check.rhs)
        op = "!=" if check.relation == "eq" else ">"
        lines += [
            "    try:",
            f"        if {lhs} {op} {rhs}: out.append({k})",
            "    except TypeError:",
            f"        out.append({k})",
        ]
    lines.append("    return out")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<govdisclosure suspects {edition}>", "exec"), namespace)
    suspects: Callable[[Sequence[Value]], list[int]] = namespace["suspects"]
    return suspects


def _evaluate(
    report: Report, spec: FormSpec, check: Check, values: dict[CellRef, Value]
) -> Iterator[Finding]:
    r = rule(check.rule)
    blanks = tuple(ref for ref in check.cells if type(values[ref]) is Blank)
    if blanks:
        where_zh, where_en = _place(spec, check.table, check.row, check.column)
        first = values[blanks[0]]
        assert isinstance(first, Blank)
        bz, be = _blank_words(first)
        if any(values[ref] != first for ref in blanks[1:]):
            bz, be = "为空白或不是数字", "are blank or not numbers"
        cz, ce = _cell_place(spec, blanks[0])
        more_zh = f"等 {len(blanks)} 格" if len(blanks) > 1 else ""
        more_en = f" (and {len(blanks) - 1} more)" if len(blanks) > 1 else ""
        yield Finding(
            rule=check.rule, severity=r.severity, status=Status.NOT_ASSESSABLE,
            table=check.table, row=check.row, column=check.column,
            line=_line(report, blanks), cells=check.cells, blanks=blanks,
            message=f"{where_zh}：无法判断 {check.rule}，因为 {cz}{more_zh} {bz}",
            message_en=f"{where_en}: {check.rule} not assessable: {ce}{more_en} {be}",
        )
        return
    lhs = _sum(values, check.lhs)
    rhs = _sum(values, check.rhs)
    holds = lhs == rhs if check.relation == "eq" else lhs <= rhs
    if holds:
        return
    where_zh, where_en = _place(spec, check.table, check.row, check.column)
    lz, le = check.lhs_text
    rz, re_ = check.rhs_text
    if check.relation == "eq":
        zh = f"{where_zh}：{lz} = {_fmt(lhs)}，但 {rz} = {_fmt(rhs)}"
        en = f"{where_en}: {le} = {_fmt(lhs)} but {re_} = {_fmt(rhs)}"
    else:
        zh = f"{where_zh}：{lz} = {_fmt(lhs)}，大于 {rz} = {_fmt(rhs)}"
        en = f"{where_en}: {le} = {_fmt(lhs)} exceeds {re_} = {_fmt(rhs)}"
    yield Finding(
        rule=check.rule, severity=r.severity, status=Status.FAILED,
        table=check.table, row=check.row, column=check.column,
        line=_line(report, check.rhs + check.lhs), cells=check.cells,
        expected=lhs, actual=rhs, message=zh, message_en=en,
    )


def _domain_findings(
    report: Report, spec: FormSpec, values: dict[CellRef, Value],
    only: Sequence[int] | None = None,
) -> Iterator[Finding]:
    """D1 findings, for every cell or for the cells at the positions in ``only``."""
    severity = rule("D1").severity
    kinds = _kinds(spec.edition)
    refs = spec.refs()
    for ref in refs if only is None else (refs[i] for i in only):
        value = values[ref]
        if type(value) is int and value >= 0:
            continue  # the common case, decided without a lookup or words
        kind = kinds[ref]
        if type(value) is int and kind == "signed":
            continue
        where_zh, where_en = _cell_place(spec, ref)
        if isinstance(value, Blank):
            bz, be = _blank_words(value)
            yield Finding(
                rule="D1", severity=severity, status=Status.NOT_ASSESSABLE,
                table=ref.table, row=ref.row, column=ref.column,
                line=_line(report, (ref,)), cells=(ref,), blanks=(ref,),
                message=f"{where_zh}：{bz}，无法判断数值",
                message_en=f"{where_en}: {be}, no value to check",
            )
            continue
        if kind == "amount":
            good = isinstance(value, Decimal) and value.is_finite() and value >= 0
            want_zh, want_en = "非负数额", "a non-negative amount"
        elif kind == "signed":
            good = isinstance(value, int)
            want_zh, want_en = "整数", "an integer"
        else:
            good = isinstance(value, int) and value >= 0
            want_zh, want_en = "非负整数", "a non-negative integer"
        if not good:
            yield Finding(
                rule="D1", severity=severity, status=Status.FAILED,
                table=ref.table, row=ref.row, column=ref.column,
                line=_line(report, (ref,)), cells=(ref,),
                expected=want_en, actual=value,
                message=f"{where_zh}：应为{want_zh}，实际为 {value}",
                message_en=f"{where_en}: expected {want_en}, found {value}",
            )


@cache
def _kinds(edition: Edition) -> dict[CellRef, str]:
    spec = form(edition)
    return {ref: spec.column_kind(ref) for ref in spec.refs()}


@cache
def _quick(edition: Edition) -> Callable[[Sequence[Value]], bool]:
    """A generated function telling, fast, whether a report has no finding at all.

    Most reports in a corpus are clean; for them :func:`validate` needs no
    finding objects, only this straight-line pass over the flat cell values.
    Anything it does not pass goes through the full, slower path.
    """
    spec = form(edition)
    index = {ref: i for i, ref in enumerate(spec.refs())}
    lines = ["def quick(v):"]
    for ref, i in index.items():
        kind = spec.column_kind(ref)
        if kind == "amount":
            lines.append(f"    if type(v[{i}]) is not Decimal or not v[{i}].is_finite() "
                         f"or v[{i}] < 0: return False")
        elif kind == "signed":
            lines.append(f"    if type(v[{i}]) is not int: return False")
        else:
            lines.append(f"    if type(v[{i}]) is not int or v[{i}] < 0: return False")
    for check in checks(edition):
        lhs = " + ".join(f"v[{index[ref]}]" for ref in check.lhs)
        rhs = " + ".join(f"v[{index[ref]}]" for ref in check.rhs)
        op = "!=" if check.relation == "eq" else ">"
        lines.append(f"    if {lhs} {op} {rhs}: return False")
    lines.append("    return True")
    namespace: dict[str, Any] = {"Decimal": Decimal}
    exec(compile("\n".join(lines), f"<govdisclosure quick check {edition}>", "exec"), namespace)
    quick: Callable[[Sequence[Value]], bool] = namespace["quick"]
    return quick


def validate(report: Report) -> ValidationResult:
    """Run every single-report rule on ``report`` and collect every finding.

    Never raises for bad data. The reader's findings (``report.read_findings``)
    come first, then D1 cell by cell, then the identities in catalogue order.
    """
    flat = cell_values(report)
    if _quick(report.edition)(flat):
        return ValidationResult(findings=tuple(report.read_findings))
    spec = form_of(report)
    values = dict(zip(spec.refs(), flat, strict=True))
    findings = list(report.read_findings)
    findings.extend(_domain_findings(report, spec, values, _domain_suspects(report.edition)(flat)))
    findings.extend(_check_findings(report, spec, values, _suspects(report.edition)(flat)))
    return ValidationResult(findings=tuple(findings))


@cache
def _equations(
    edition: Edition,
) -> tuple[tuple[tuple[str, tuple[tuple[int, int], ...]], ...], dict[int, tuple[int, ...]]]:
    """The identities as signed cell positions, and which identities each cell is in."""
    position = {ref: i for i, ref in enumerate(form(edition).refs())}
    eqs = tuple(
        (c.rule, tuple((position[r], 1) for r in c.lhs) + tuple((position[r], -1) for r in c.rhs))
        for c in checks(edition) if c.relation == "eq"
    )
    by_cell: dict[int, list[int]] = {}
    for e, (_, terms) in enumerate(eqs):
        for i, _sign in terms:
            by_cell.setdefault(i, []).append(e)
    return eqs, {i: tuple(es) for i, es in by_cell.items()}


def infer(report: Report) -> Report:
    """Fill the blank cells that the identities determine uniquely.

    A blank is filled when an identity has it as its only unknown, or when an
    identity's unknowns all sit on one side and must add up to 0 (counts are
    non-negative, so each is 0). Filled cells are marked in ``provenance`` with
    the rule that forced them; every other blank is left alone, and nothing is
    filled with a negative number. Identities are tried in catalogue order, and
    again whenever a cell of theirs is filled.
    """
    values = list(cell_values(report))
    blanks = [i for i, v in enumerate(values) if type(v) is Blank]
    if not blanks:
        return report  # nothing to fill
    eqs, by_cell = _equations(report.edition)
    pending = sorted({e for i in blanks for e in by_cell.get(i, ())})
    heapq.heapify(pending)
    queued = set(pending)
    filled: dict[int, tuple[int, str]] = {}
    while pending:
        e = heapq.heappop(pending)
        queued.discard(e)
        rule_id, terms = eqs[e]
        unknown: list[tuple[int, int]] = []
        residual = 0
        for i, sign in terms:
            value = values[i]
            if type(value) is int:
                residual += value * sign
            elif type(value) is Blank:
                unknown.append((i, sign))
            else:
                break  # a non-integer in a count: D1 reports it; solve nothing here
        else:
            solved: list[tuple[int, int]] = []
            if len(unknown) == 1:
                i, sign = unknown[0]
                if -residual * sign >= 0:
                    solved = [(i, -residual * sign)]
            elif unknown and residual == 0 and len({sign for _, sign in unknown}) == 1:
                solved = [(i, 0) for i, _ in unknown]
            for i, value in solved:
                values[i] = value
                filled[i] = (value, rule_id)
                for other in by_cell.get(i, ()):
                    # This identity is now fully known; the others of the cell may
                    # have lost their last unknown.
                    if other != e and other not in queued:
                        queued.add(other)
                        heapq.heappush(pending, other)
    if not filled:
        return report
    refs = form_of(report).refs()
    sources: dict[CellRef, CellSource] = {}
    for i, (_value, rule_id) in filled.items():
        old = report.provenance.get(refs[i])
        sources[refs[i]] = CellSource(
            line=old.line if old else None,
            printed=old.printed if old else None,
            inferred_by=rule_id,
        )
    return replace_cells(report, {refs[i]: v for i, (v, _) in filled.items()}, sources)
