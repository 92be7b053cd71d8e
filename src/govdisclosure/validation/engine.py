"""``validate`` and ``infer``: the single-report rules applied to a report."""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from itertools import compress, count, repeat
from typing import Any

import attrs

from ..model.cells import Blank, CellRef, CellSource, Value
from ..model.findings import Finding, Severity, Status, make_finding
from ..model.provenance import Provenance, first_line, inferred_cells
from ..model.report import Edition, Report
from ..model.schema import cell_values, form, form_of, rebuild_from_values
from .diagnosis import DIAGNOSED_RULES, diagnose
from .filled import filled_findings, note_filled
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


@cache
def _place(edition: Edition, table: str, row: str | None, column: str | None
           ) -> tuple[str, str]:
    """Where, in words: ``三 / 自然人`` and ``applications / natural persons``."""
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


@attrs.frozen(slots=True)
class _CheckPlan:
    """One identity check with what wording its findings needs, computed once."""

    index: int  # of ``check`` in ``checks(edition)``
    check: Check
    severity: Severity
    cells: tuple[CellRef, ...]
    positions: tuple[int, ...]  # of ``cells`` in the flat values
    lhs: tuple[int, ...]
    rhs: tuple[int, ...]
    where: tuple[str, str]


@attrs.frozen(slots=True)
class _CellPlan:
    """One cell for D1: its reference, kind and place in words."""

    ref: CellRef
    kind: str
    where: tuple[str, str]


@cache
def _check_plans(edition: Edition) -> tuple[_CheckPlan, ...]:
    refs = form(edition).refs()
    index = {ref: i for i, ref in enumerate(refs)}
    return tuple(
        _CheckPlan(
            index=k, check=c, severity=rule(c.rule).severity, cells=c.cells,
            positions=tuple(index[ref] for ref in c.cells),
            lhs=tuple(index[ref] for ref in c.lhs), rhs=tuple(index[ref] for ref in c.rhs),
            where=_place(edition, c.table, c.row, c.column),
        )
        for k, c in enumerate(checks(edition))
    )


@cache
def _cell_plans(edition: Edition) -> tuple[_CellPlan, ...]:
    spec = form(edition)
    return tuple(
        _CellPlan(ref, spec.column_kind(ref), _place(edition, ref.table, ref.row, ref.column))
        for ref in spec.refs()
    )


def _first_line(report: Report, positions: Sequence[int]) -> int | None:
    """The source line of the first cell at ``positions`` that has one."""
    provenance = report.provenance
    refs = form_of(report).refs()
    if isinstance(provenance, Provenance):
        for i in positions:
            line = provenance.line_at(i, refs[i])
            if line is not None:
                return line
        return None
    return first_line(provenance, [refs[i] for i in positions])


# The words of not-assessable findings, by what decides them: the same blanks
# recur across a corpus (a row left empty, a column of "/"). Bounded, since
# the printed text comes from the input.
_WORDS: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_WORDS_MAX = 4096


def _remember(key: tuple[Any, ...], words: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    _WORDS[key] = words
    return words


def _blank_words(value: Blank) -> tuple[str, str]:
    if value.printed.strip():
        return f"印为“{value.printed}”", f"printed as {value.printed!r}"
    return "为空白", "is blank"


def _check_findings(
    report: Report, flat: Sequence[Value], only: Sequence[int] | None = None,
) -> Iterator[Finding]:
    """Findings of the identity checks (all, or those at the positions in ``only``)."""
    plans = _check_plans(report.edition)
    for plan in plans if only is None else (plans[k] for k in only):
        finding = _evaluate(report, plan, flat)
        if finding is not None:
            yield finding


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


def _not_assessable_words(
    edition: Edition, plan: _CheckPlan, blanks: Sequence[int], first: Blank, mixed: bool,
) -> tuple[tuple[CellRef, ...], str, str]:
    """The blank cells and the two messages of a check that meets blanks."""
    rule_id = plan.check.rule
    where_zh, where_en = plan.where
    bz, be = _blank_words(first)
    if mixed:
        bz, be = "为空白或不是数字", "are blank or not numbers"
    cz, ce = _cell_plans(edition)[blanks[0]].where
    refs = form(edition).refs()
    more_zh = f"等 {len(blanks)} 格" if len(blanks) > 1 else ""
    more_en = f" (and {len(blanks) - 1} more)" if len(blanks) > 1 else ""
    return (
        tuple(refs[i] for i in blanks),
        f"{where_zh}：无法判断 {rule_id}，因为 {cz}{more_zh} {bz}",
        f"{where_en}: {rule_id} not assessable: {ce}{more_en} {be}",
    )


def _evaluate(report: Report, plan: _CheckPlan, flat: Sequence[Value]) -> Finding | None:
    check = plan.check
    blanks = [i for i in plan.positions if type(flat[i]) is Blank]
    if blanks:
        first = flat[blanks[0]]
        assert isinstance(first, Blank)
        mixed = any(flat[i] != first for i in blanks[1:])
        key = ("check", report.edition, plan.index, first.printed, mixed, *blanks)
        words = _WORDS.get(key) or _remember(key, _not_assessable_words(
            report.edition, plan, blanks, first, mixed))
        return make_finding(
            rule=check.rule, severity=plan.severity, status=Status.NOT_ASSESSABLE,
            table=check.table, row=check.row, column=check.column,
            line=_first_line(report, blanks), cells=plan.cells,
            blanks=words[0], message=words[1], message_en=words[2],
        )
    lhs: Any = sum(flat[i] for i in plan.lhs)
    rhs: Any = sum(flat[i] for i in plan.rhs)
    holds = lhs == rhs if check.relation == "eq" else lhs <= rhs
    if holds:
        return None
    where_zh, where_en = plan.where
    lz, le = check.lhs_text
    rz, re_ = check.rhs_text
    if check.relation == "eq":
        zh = f"{where_zh}：{lz} = {lhs}，但 {rz} = {rhs}"
        en = f"{where_en}: {le} = {lhs} but {re_} = {rhs}"
    else:
        zh = f"{where_zh}：{lz} = {lhs}，大于 {rz} = {rhs}"
        en = f"{where_en}: {le} = {lhs} exceeds {re_} = {rhs}"
    return make_finding(
        rule=check.rule, severity=plan.severity, status=Status.FAILED,
        table=check.table, row=check.row, column=check.column,
        line=_first_line(report, plan.rhs + plan.lhs), cells=plan.cells,
        expected=lhs, actual=rhs, message=zh, message_en=en,
    )


def _domain_findings(
    report: Report, flat: Sequence[Value], only: Sequence[int] | None = None,
) -> Iterator[Finding]:
    """D1 findings, for every cell or for the cells at the positions in ``only``."""
    severity = rule("D1").severity
    plans = _cell_plans(report.edition)
    for i in range(len(plans)) if only is None else only:
        value = flat[i]
        if type(value) is int and value >= 0:
            continue  # the common case, decided without a lookup or words
        plan = plans[i]
        kind = plan.kind
        if type(value) is int and kind == "signed":
            continue
        ref = plan.ref
        where_zh, where_en = plan.where
        if isinstance(value, Blank):
            key = ("D1", report.edition, i, value.printed)
            words = _WORDS.get(key)
            if words is None:
                bz, be = _blank_words(value)
                words = _remember(key, ((ref,), f"{where_zh}：{bz}，无法判断数值",
                                        f"{where_en}: {be}, no value to check"))
            yield make_finding(
                rule="D1", severity=severity, status=Status.NOT_ASSESSABLE,
                table=ref.table, row=ref.row, column=ref.column,
                line=_first_line(report, (i,)), cells=words[0], blanks=words[0],
                message=words[1], message_en=words[2],
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
            yield make_finding(
                rule="D1", severity=severity, status=Status.FAILED,
                table=ref.table, row=ref.row, column=ref.column,
                line=_first_line(report, (i,)), cells=(ref,),
                expected=want_en, actual=value,
                message=f"{where_zh}：应为{want_zh}，实际为 {value}",
                message_en=f"{where_en}: expected {want_en}, found {value}",
            )


@cache
def _quick(edition: Edition) -> Callable[[Sequence[Value]], bool]:
    """A generated function telling, fast, whether a report has no finding at all.

    Most reports in a corpus are clean; for them :func:`validate` needs no
    finding objects, only this straight-line pass over the flat cell values.
    Anything it does not pass goes through the full, slower path.
    """
    spec = form(edition)
    index = {ref: i for i, ref in enumerate(spec.refs())}
    counts = tuple(i for ref, i in index.items() if spec.column_kind(ref) == "count")
    # A count cell holds an int or a Blank, nothing else (the model checks
    # that), and a Blank does not compare with an int: so one ``min`` in C
    # over every count both finds a blank (TypeError) and a negative count.
    lines = [
        "def quick(v):",
        "    try:",
        "        if min(counts(v)) < 0: return False",
        "    except TypeError:",
        "        return False",
    ]
    for ref, i in index.items():
        kind = spec.column_kind(ref)
        if kind == "amount":
            lines.append(f"    if type(v[{i}]) is not Decimal or not v[{i}].is_finite() "
                         f"or v[{i}] < 0: return False")
        elif kind == "signed":
            lines.append(f"    if type(v[{i}]) is not int: return False")
    for check in checks(edition):
        lhs = " + ".join(f"v[{index[ref]}]" for ref in check.lhs)
        rhs = " + ".join(f"v[{index[ref]}]" for ref in check.rhs)
        op = "!=" if check.relation == "eq" else ">"
        lines.append(f"    if {lhs} {op} {rhs}: return False")
    lines.append("    return True")
    # Every edition has hundreds of counts, so itemgetter gives them as a tuple.
    assert len(counts) > 1
    namespace: dict[str, Any] = {"Decimal": Decimal, "counts": operator.itemgetter(*counts)}
    exec(compile("\n".join(lines), f"<govdisclosure quick check {edition}>", "exec"), namespace)
    quick: Callable[[Sequence[Value]], bool] = namespace["quick"]
    return quick


def _overview_findings(report: Report) -> tuple[Finding, ...]:
    """T1, when the report has an overview (一、总体情况) to quote counts from."""
    if report.overview is None:
        return ()
    from .prose import check_overview  # prose builds on this module

    return tuple(check_overview(report))


def validate(report: Report) -> ValidationResult:
    """Run every single-report rule on ``report`` and collect every finding.

    Never raises for bad data. The reader's findings (``report.read_findings``)
    come first, then the diagnosis of failing identities (``likely-cell``, see
    :mod:`.diagnosis`), then D1 cell by cell, then the identities in catalogue
    order, then T1 when the report has an overview, then one ``inferred``
    finding per cell :func:`infer` filled (see :mod:`.filled`).
    """
    flat = cell_values(report)
    filled = inferred_cells(report.provenance)
    read = note_filled(report.read_findings, filled) if filled else report.read_findings
    if _quick(report.edition)(flat):
        overview = _overview_findings(report)
        if not overview and not filled:
            return ValidationResult(findings=read)
        return ValidationResult(
            findings=(*read, *overview, *filled_findings(report, filled)))
    domain = list(_domain_findings(report, flat, _domain_suspects(report.edition)(flat)))
    identities = list(_check_findings(report, flat, _suspects(report.edition)(flat)))
    findings = list(read)
    if any(f.rule in DIAGNOSED_RULES and f.status is Status.FAILED for f in identities):
        findings.extend(diagnose(report))
    findings.extend(domain)
    findings.extend(identities)
    findings.extend(_overview_findings(report))
    findings.extend(filled_findings(report, filled))
    return ValidationResult(findings=tuple(findings))


@attrs.frozen(slots=True)
class _Solver:
    """The identities of an edition as :func:`infer` uses them.

    ``rules[e]`` is the rule of identity ``e``; ``known[e]`` is generated code
    adding up its left-hand side minus its right-hand side from the flat cell
    values; ``by_cell[i]`` lists the identities that cell ``i`` is a term of,
    with its sign (``+1`` on the left-hand side, ``-1`` on the right).
    """

    rules: tuple[str, ...]
    known: tuple[Callable[[Sequence[Any]], int], ...]
    by_cell: dict[int, tuple[tuple[int, int], ...]]


@cache
def _solver(edition: Edition) -> _Solver:
    spec = form(edition)
    position = {ref: i for i, ref in enumerate(spec.refs())}
    rules: list[str] = []
    lines: list[str] = []
    by_cell: dict[int, list[tuple[int, int]]] = {}
    for check in checks(edition):
        if check.relation != "eq":
            continue
        # Every cell of an identity is a count, so it holds an int or a Blank
        # (the model checks that): infer meets no other value in them.
        assert all(spec.column_kind(ref) == "count" for ref in check.cells)
        e = len(rules)
        rules.append(check.rule)
        plus = [position[r] for r in check.lhs]
        minus = [position[r] for r in check.rhs]
        lines.append(f"def known_{e}(v):\n    return ("
                     + " + ".join(f"v[{i}]" for i in plus) + ") - ("
                     + " + ".join(f"v[{i}]" for i in minus) + ")")
        for i in plus:
            by_cell.setdefault(i, []).append((e, 1))
        for i in minus:
            by_cell.setdefault(i, []).append((e, -1))
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<govdisclosure infer {edition}>", "exec"), namespace)
    known = tuple(namespace[f"known_{e}"] for e in range(len(rules)))
    return _Solver(tuple(rules), known, {i: tuple(v) for i, v in by_cell.items()})


def infer(report: Report) -> Report:
    """Fill the blank cells that the identities determine uniquely.

    A blank is filled when an identity has it as its only unknown, or when an
    identity's unknowns all sit on one side and must add up to 0 (counts are
    non-negative, so each is 0). Filled cells are marked in ``provenance`` with
    the rule that forced them; every other blank is left alone, and nothing is
    filled with a negative number. Identities are tried in catalogue order, and
    again whenever a cell of theirs is filled.
    """
    values = cell_values(report)
    blanks = list(compress(count(), map(operator.is_, map(type, values), repeat(Blank))))
    if not blanks:
        return report  # nothing to fill
    solver = _solver(report.edition)
    by_cell = solver.by_cell
    unknowns: dict[int, list[tuple[int, int]]] = {}
    for i in blanks:
        for e, sign in by_cell.get(i, ()):
            terms = unknowns.get(e)
            if terms is None:
                unknowns[e] = [(i, sign)]
            else:
                terms.append((i, sign))
    # The values with every unfilled blank read as 0, for adding up the known
    # terms of an identity (generated code, left minus right); filled cells
    # get their value here as they are filled.
    zeroed = list(values)
    for i in blanks:
        zeroed[i] = 0
    known = solver.known
    pending = sorted(unknowns)  # a sorted list is a heap
    queued = set(pending)
    filled: dict[int, int] = {}  # position: value
    marks: dict[int, str] = {}  # position: the rule that forced it
    pop, push = heapq.heappop, heapq.heappush
    while pending:
        e = pop(pending)
        queued.discard(e)
        terms = unknowns[e]
        if len(terms) == 1:
            i, sign = terms[0]
            value = -known[e](zeroed) * sign
            if value < 0:
                continue
            solved: tuple[tuple[int, int], ...] = ((i, value),)
        elif terms and len({sign for _, sign in terms}) == 1 and known[e](zeroed) == 0:
            solved = tuple((i, 0) for i, _ in terms)
        else:
            continue
        rule_id = solver.rules[e]
        for i, value in solved:
            if i in filled:
                continue  # a cell on one side twice
            filled[i] = zeroed[i] = value
            marks[i] = rule_id
            # This identity is now fully known; the others of the cell may have
            # lost their last unknown.
            for other, sign in by_cell[i]:
                if other != e:
                    unknowns[other].remove((i, sign))
                    if other not in queued:
                        queued.add(other)
                        push(pending, other)
    if not filled:
        return report
    provenance = report.provenance
    if isinstance(provenance, Provenance):
        new_provenance: Mapping[CellRef, CellSource] = provenance.inferred_at(marks)
    else:
        refs = form_of(report).refs()
        new_provenance = dict(provenance)
        for i, rule_id in marks.items():
            old = provenance.get(refs[i])
            new_provenance[refs[i]] = CellSource(
                line=old.line if old else None,
                printed=old.printed if old else None,
                inferred_by=rule_id,
            )
    for i in blanks:
        if i not in filled:
            zeroed[i] = values[i]  # blank again
    return rebuild_from_values(report, filled, zeroed, new_provenance)
