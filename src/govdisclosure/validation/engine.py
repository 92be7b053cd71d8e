"""``validate`` and ``infer``: the single-report rules applied to a report.

Everything here is read off the catalogue's declarations (:mod:`.catalogue`):
the identity checks of :func:`.rules.checks`, each cell's kind for D1. Per
edition (and catalogue) a plan is made once: for each check, the positions of
its cells in the flat cell values (:func:`~govdisclosure.model.cell_values`).
A clean report, the common case, is passed by a clean-check without making a
finding (:func:`plain_clean`, compiled in :mod:`._compiled`); any other has
its suspect cells and checks found (:func:`_suspects`) and evaluated in full.
"""

from __future__ import annotations

import heapq
import operator
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from itertools import compress, count, repeat
from typing import Any

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model.cells import Blank, CellRef, CellSource, Value
from ..model.coverage import unread_tables
from ..model.findings import Finding, Severity, Status
from ..model.labels import key, prints_a_number
from ..model.provenance import Provenance, first_line, inferred_cells
from ..model.report import Edition, Report
from ..model.schema import form, form_of, rebuild_from_values
from ._compiled import clean_source, compile_clean, flattener
from ._words import blank_words, cell_places, place
from .catalogue import RULES, Rule
from .drafts import placeholder_findings
from .filled import filled_findings, note_filled
from .rules import Check, checks

__all__ = ["ValidationResult", "infer", "validate"]


@attrs.frozen(slots=True, kw_only=True)
class ValidationResult:
    """What :func:`validate` found.

    ``ok`` is true when no finding is an error that failed; warnings and
    not-assessable findings do not make a report fail.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

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



#: Gets some of the flat values, always as a tuple.
_Get = Callable[[Sequence[Any]], tuple[Any, ...]]


def _getter(positions: Sequence[int]) -> _Get:
    """A getter of the values at ``positions`` as a tuple (even for one position)."""
    first = positions[0]
    if list(positions) == list(range(first, first + len(positions))):
        return operator.itemgetter(slice(first, first + len(positions)))
    return operator.itemgetter(*positions)


@attrs.frozen(slots=True)
class _CheckPlan:
    """One identity check with the positions of its cells in the flat values."""

    __repr__ = fields_repr

    check: Check
    severity: Severity
    positions: tuple[int, ...]  # of ``check.cells``
    lhs: tuple[int, ...]
    rhs: tuple[int, ...]
    where: tuple[str, str]


#: D1, by the kind of a column: whether a value is in its domain, and the words
#: for what is expected.
_DOMAINS: Mapping[str, tuple[Callable[[Value], bool], str, str]] = {
    "count": (lambda v: type(v) is int and v >= 0, "非负整数", "a non-negative integer"),
    "signed": (lambda v: type(v) is int, "整数", "an integer"),
    "amount": (lambda v: type(v) is Decimal and v.is_finite() and v >= 0,
               "非负数额", "a non-negative amount"),
}


@attrs.frozen(slots=True)
class _Plan:
    """The rules of one edition laid out on the flat cell values.

    ``sums``, ``totals`` and ``rest`` serve the quick check: the identities
    whose right-hand side is one cell (``sum(lhs) == that cell``) are compared
    all at once, the others one by one.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    checks: tuple[_CheckPlan, ...]
    d1: Rule | None
    kinds: tuple[str, ...]  # of every cell, in form order
    count_runs: tuple[slice, ...]  # the count cells, as runs of positions
    others: tuple[int, ...]  # positions of the cells that are not counts
    sums: tuple[_Get, ...]  # left-hand sides of the equalities onto one cell
    totals: Callable[[Sequence[Any]], Any]  # ... and those cells
    rest: tuple[tuple[_Get, _Get, Callable[[Any, Any], bool]], ...]
    # Every check's two sides and relation, and the checks of each cell.
    lhs: tuple[_Get, ...]
    rhs: tuple[_Get, ...]
    relations: tuple[Callable[[Any, Any], bool], ...]
    by_cell: Mapping[int, tuple[int, ...]]
    clean: Callable[[Sequence[Any]], bool]  # plain_clean, compiled
    # Every cell in form order, where it is in words (for findings), and D1's
    # messages for it when it is empty (worded once per edition).
    refs: tuple[CellRef, ...]
    places: tuple[tuple[str, str], ...]
    empty: tuple[tuple[str, str], ...]
    # What a blank reads as when blanks are read as 0: 0, or Decimal 0 for an
    # amount (so that the clean-check's domain test passes it).
    zeros: tuple[int | Decimal, ...]


def _runs(positions: Sequence[int]) -> tuple[slice, ...]:
    """``positions`` (ascending) as slices of consecutive positions."""
    runs: list[slice] = []
    for i in positions:
        if runs and runs[-1].stop == i:
            runs[-1] = slice(runs[-1].start, i + 1)
        else:
            runs.append(slice(i, i + 1))
    return tuple(runs)


@cache
def _plan(edition: Edition, rules: tuple[Rule, ...]) -> _Plan:
    spec = form(edition)
    refs = spec.refs()
    index = {ref: i for i, ref in enumerate(refs)}
    by_id = {r.id: r for r in rules}
    plans = tuple(
        _CheckPlan(
            check=c, severity=by_id[c.rule].severity,
            positions=tuple(index[ref] for ref in c.cells),
            lhs=tuple(index[ref] for ref in c.lhs), rhs=tuple(index[ref] for ref in c.rhs),
            where=place(edition, c.table, c.row, c.column),
        )
        for c in checks(edition, rules)
    )
    kinds = tuple(spec.column_kind(ref) for ref in refs)
    d1 = by_id.get("D1")
    counts = [i for i, kind in enumerate(kinds) if kind == "count"]
    others = [i for i, kind in enumerate(kinds) if kind != "count"]
    d1_applies = d1 is not None and edition in d1.editions
    onto = [p for p in plans if p.check.relation == "eq" and len(p.rhs) == 1]
    by_cell: dict[int, list[int]] = {}
    for k, p in enumerate(plans):
        for i in p.positions:
            by_cell.setdefault(i, []).append(k)
    totals = [p.rhs[0] for p in onto]
    return _Plan(
        checks=plans,
        d1=d1 if d1_applies else None,
        kinds=kinds,
        count_runs=_runs(counts),
        others=tuple(others),
        sums=tuple(_getter(p.lhs) for p in onto),
        totals=(lambda flat: ()) if not totals else _getter(totals),
        rest=tuple(
            (_getter(p.lhs), _getter(p.rhs),
             operator.eq if p.check.relation == "eq" else operator.le)
            for p in plans if p not in onto
        ),
        lhs=tuple(_getter(p.lhs) for p in plans),
        rhs=tuple(_getter(p.rhs) for p in plans),
        relations=tuple(operator.eq if p.check.relation == "eq" else operator.le
                        for p in plans),
        by_cell={i: tuple(ks) for i, ks in by_cell.items()},
        clean=compile_clean(
            _getter(counts) if counts else lambda flat: (0,),
            clean_source(counts, [(i, kinds[i]) for i in others] if d1_applies else None,
                         [(p.check.relation, p.lhs, p.rhs) for p in plans]),
        ),
        refs=refs,
        places=cell_places(edition),
        empty=tuple(_d1_blank(where, blank_words(_EMPTY)) for where in cell_places(edition)),
        zeros=tuple(Decimal(0) if kind == "amount" else 0 for kind in kinds),
    )


_EMPTY = Blank("")


def _d1_blank(where: tuple[str, str], words: tuple[str, str]) -> tuple[str, str]:
    """D1's messages for a blank cell at ``where`` that holds ``words``."""
    return f"{where[0]}：{words[0]}，无法判断数值", f"{where[1]}: {words[1]}, no value to check"


def plain_clean(plan: _Plan, flat: Sequence[Any]) -> bool:
    """Whether the rules of ``plan`` would make no finding at all on ``flat``.

    Most reports in a corpus are clean: for them this pass decides without
    making a finding. It is the same rules as the full evaluation, read off the
    same plan. ``plan.clean`` is the same check compiled (:mod:`._compiled`);
    this is the plain reference a property test holds it equal to.
    """
    if plan.d1 is not None:
        try:
            # A count holds an int or a Blank (the model checks that), and a
            # Blank does not compare with an int: ``min`` finds both a blank
            # and a negative count.
            for run in plan.count_runs:
                if min(flat[run]) < 0:
                    return False
        except TypeError:
            return False
        domains = _DOMAINS
        kinds = plan.kinds
        for i in plan.others:
            if not domains[kinds[i]][0](flat[i]):
                return False
    try:
        if list(map(sum, map(operator.call, plan.sums, repeat(flat)))) != list(
                plan.totals(flat)):
            return False
        for lhs, rhs, relation in plan.rest:
            if not relation(sum(lhs(flat)), sum(rhs(flat))):
                return False
    except TypeError:  # a blank in an identity: not assessable, so not clean
        return False
    return True


def _first_line(report: Report, refs: Sequence[CellRef], positions: Sequence[int]
                ) -> int | None:
    """The source line of the first cell at ``positions`` that has one (``refs``:
    every cell of the form, in form order)."""
    provenance = report.provenance
    if isinstance(provenance, Provenance):
        for i in positions:
            line = provenance.line_at(i, refs[i])
            if line is not None:
                return line
        return None
    return first_line(provenance, [refs[i] for i in positions])


def _evaluate(report: Report, plan: _Plan, k: int, flat: Sequence[Value]) -> Finding | None:
    """The finding of identity check ``k`` of ``plan``, or ``None`` when it holds."""
    checked = plan.checks[k]
    check = checked.check
    where_zh, where_en = checked.where
    blanks = [i for i in checked.positions if type(flat[i]) is Blank]
    if blanks:
        first = flat[blanks[0]]
        assert isinstance(first, Blank)
        # (Every one is a Blank: equal when they printed the same.)
        printed = first.printed
        if len(blanks) > 1 and any(
                flat[i].printed != printed for i in blanks[1:]):  # type: ignore[union-attr]
            bz, be = "为空白或不是数字", "are blank or not numbers"
        else:
            bz, be = blank_words(first)
        refs = plan.refs
        cz, ce = plan.places[blanks[0]]
        more_zh = f"等 {len(blanks)} 格" if len(blanks) > 1 else ""
        more_en = f" (and {len(blanks) - 1} more)" if len(blanks) > 1 else ""
        return Finding(
            rule=check.rule, severity=checked.severity, status=Status.NOT_ASSESSABLE,
            table=check.table, row=check.row, column=check.column,
            line=_first_line(report, refs, blanks), cells=check.cells,
            blanks=tuple(map(refs.__getitem__, blanks)),
            message=f"{where_zh}：无法判断 {check.rule}，因为 {cz}{more_zh} {bz}",
            message_en=f"{where_en}: {check.rule} not assessable: {ce}{more_en} {be}",
        )
    lhs: Any = sum(flat[i] for i in checked.lhs)
    rhs: Any = sum(flat[i] for i in checked.rhs)
    if (lhs == rhs) if check.relation == "eq" else (lhs <= rhs):
        return None
    lz, le = check.lhs_text
    rz, re_ = check.rhs_text
    if check.relation == "eq":
        zh = f"{where_zh}：{lz} = {lhs}，但 {rz} = {rhs}"
        en = f"{where_en}: {le} = {lhs} but {re_} = {rhs}"
    else:
        zh = f"{where_zh}：{lz} = {lhs}，大于 {rz} = {rhs}"
        en = f"{where_en}: {le} = {lhs} exceeds {re_} = {rhs}"
    return Finding(
        rule=check.rule, severity=checked.severity, status=Status.FAILED,
        table=check.table, row=check.row, column=check.column,
        line=_first_line(report, plan.refs, checked.rhs + checked.lhs), cells=check.cells,
        expected=lhs, actual=rhs, message=zh, message_en=en,
    )


def _suspects(plan: _Plan, flat: Sequence[Any]) -> tuple[list[int], list[int], int]:
    """The cells D1 may report and the checks that may make a finding, in
    order, and how many cells are blank.

    Every cell that is not an int or is negative, and every check that has a
    blank or does not hold on the values (blanks read as 0, for this sorting
    only): a superset of what the full evaluation reports, found with loops in
    C, so that only these are evaluated in full. When the clean-check passes
    the values with their blanks read as 0 (a report whose only trouble is
    blank cells, the usual unclean one), no cell is negative or out of its
    domain and every check holds: the suspects are the cells that are not ints
    and the checks of the blank cells, found without evaluating each check.
    """
    n = len(flat)
    odd = list(compress(range(n), map(operator.is_not, map(type, flat), repeat(int))))
    blanks = [i for i in odd if type(flat[i]) is Blank]
    zeroed = list(flat)
    zeros = plan.zeros
    for i in blanks:
        zeroed[i] = zeros[i]
    touched = {k for i in blanks for k in plan.by_cell.get(i, ())}
    if plan.clean(zeroed):
        return odd, sorted(touched), len(blanks)
    try:
        negative = list(compress(range(n), map(operator.lt, zeroed, repeat(0))))
        held = list(map(operator.call, plan.relations,
                        map(sum, map(operator.call, plan.lhs, repeat(zeroed))),
                        map(sum, map(operator.call, plan.rhs, repeat(zeroed)))))
    except ArithmeticError:  # a NaN amount does not compare: evaluate everything
        return list(range(n)), list(range(len(plan.checks))), len(blanks)
    cells = sorted({*odd, *negative})
    return cells, [k for k, ok in enumerate(held) if not ok or k in touched], len(blanks)


def _domain_findings(
    report: Report, plan: _Plan, flat: Sequence[Value], only: Sequence[int]
) -> Iterator[Finding]:
    """D1 findings for the cells at the positions in ``only``."""
    if plan.d1 is None:
        return
    severity = plan.d1.severity
    refs = plan.refs
    places = plan.places
    provenance = report.provenance
    lines = provenance.line_at if isinstance(provenance, Provenance) else None
    for i in only:
        value = flat[i]
        if isinstance(value, Blank):  # in no column's domain
            ref = refs[i]
            line = lines(i, ref) if lines is not None else first_line(provenance, (ref,))
            printed = value.printed
            if printed and prints_a_number(key(printed)):
                # A number printed as no cell holds it (1295*, 1.259, 四, O):
                # the number on the page was not read, so the report is not ok.
                _, want_zh, want_en = _DOMAINS[plan.kinds[i]]
                where_zh, where_en = places[i]
                yield Finding(
                    rule="D1", severity=severity, status=Status.FAILED,
                    table=ref.table, row=ref.row, column=ref.column,
                    line=line, cells=(ref,), blanks=(ref,), expected=want_en, actual=printed,
                    message=f"{where_zh}：印为“{printed}”，应为{want_zh}，未读作数值",
                    message_en=f"{where_en}: printed {printed!r}, expected {want_en}; "
                               "not read as a number",
                )
                continue
            zh, en = (plan.empty[i] if not printed.strip()
                      else _d1_blank(places[i], blank_words(value)))
            yield Finding(
                rule="D1", severity=severity, status=Status.NOT_ASSESSABLE,
                table=ref.table, row=ref.row, column=ref.column,
                line=line, cells=(ref,), blanks=(ref,), message=zh, message_en=en,
            )
            continue
        good, want_zh, want_en = _DOMAINS[plan.kinds[i]]
        if good(value):
            continue
        ref = refs[i]
        line = lines(i, ref) if lines is not None else first_line(provenance, (ref,))
        where_zh, where_en = places[i]
        yield Finding(
            rule="D1", severity=severity, status=Status.FAILED,
            table=ref.table, row=ref.row, column=ref.column,
            line=line, cells=(ref,),
            expected=want_en, actual=value,
            message=f"{where_zh}：应为{want_zh}，实际为 {value}",
            message_en=f"{where_en}: expected {want_en}, found {value}",
        )


#: The first year a report can cover: the regulations took effect in 2008.
FIRST_YEAR = 2008
_Y1 = next(r for r in RULES if r.id == "Y1")


def _year_finding(report: Report) -> Finding | None:
    """Rule Y1: the year lies between :data:`FIRST_YEAR` and next year."""
    year = report.year
    last = time.localtime().tm_year + 1
    if year is None or FIRST_YEAR <= year <= last:
        return None
    # A year of thousands of digits has no decimal form (int's digit limit).
    shown: int | str = year if abs(year) < 10**30 else "a number of more than 30 digits"
    return Finding(
        rule="Y1", severity=Severity.ERROR, expected=f"{FIRST_YEAR}–{last}", actual=shown,
        message=f"报告年度为 {shown}，应在 {FIRST_YEAR} 年至 {last} 年之间",
        message_en=f"the report's year is {shown}; expected a year from {FIRST_YEAR} to {last}",
    )


_TABLE_ZH = {"active": "二", "applications": "三", "appeals": "四"}


@cache
def _smallest_table(edition: Edition) -> int:
    """The number of cells of ``edition``'s smallest table."""
    return min(sum(len(row.columns) for row in table.rows) for table in form(edition).tables)


def _unread_findings(report: Report, blanks: int) -> Iterator[Finding]:
    """``read-table-unread`` for each table a reader found but mostly could not
    read: such a report was not read, and is never ok.

    A table is unread only when more than half its cells are blank, so a report
    with fewer blanks (``blanks``: how many of its cells are) than half its
    smallest table has none, and is not counted cell by cell."""
    if 2 * blanks <= _smallest_table(report.edition):
        return
    for table, read, total in unread_tables(report):
        yield Finding(
            rule="read-table-unread", severity=Severity.ERROR, table=table,
            expected=f">= {total // 2 + total % 2}", actual=read,
            message=f"表{_TABLE_ZH[table]}找到了，但 {total} 格中只读出 {read} 格（不到一半）："
                    "报告没有读出，不能视为通过",
            message_en=f"table {table} was found but only {read} of its {total} cells could "
                       "be read (fewer than half): the report was not read, so it is not ok",
        )


def _overview_findings(report: Report, flat: Sequence[Value]) -> tuple[Finding, ...]:
    """T1, when the report has an overview (一、总体情况) to quote counts from
    (``flat``: its cell values in form order)."""
    if report.overview is None:
        return ()
    from .prose import check_overview  # prose builds on this module

    return tuple(check_overview(report, flat))


def validate(report: Report, *, rules: Sequence[Rule] = RULES) -> ValidationResult:
    """Run every single-report rule on ``report`` and collect every finding.

    Never raises for bad data. The reader's findings (``report.read_findings``)
    come first, then the year (Y1), then the diagnosis of failing identities
    (``likely-cell``, see :mod:`.diagnosis`), then D1 cell by cell, then the identities in catalogue
    order, then T1 when the report has an overview, then one ``inferred``
    finding per cell :func:`infer` filled (see :mod:`.filled`). ``rules`` is
    the catalogue to check (the rules of scope ``report`` in it).
    """
    plan = _plan(report.edition, tuple(rules))
    flat = flattener(report.edition)(report)
    filled = inferred_cells(report.provenance)
    clean = plan.clean(flat)
    read = note_filled(report.read_findings, filled) if filled else report.read_findings
    if not clean:
        cells, suspects, blanks = _suspects(plan, flat)
        read = (*read, *_unread_findings(report, blanks))
    elif plan.d1 is None:
        # (A clean-check with D1 has found no blank cell: no table is unread.)
        read = (*read, *_unread_findings(report, list(map(type, flat)).count(Blank)))
    read = (*read, *placeholder_findings(report, read))
    year = (_year_finding(report)
            if report.year is not None and (rules is RULES or _Y1 in rules) else None)
    if year is not None:
        read = (*read, year)
    if clean:
        overview = _overview_findings(report, flat)
        if not overview and not filled:
            return ValidationResult(findings=read)
        return ValidationResult(
            findings=(*read, *overview, *filled_findings(report, filled, flat)))
    domain = list(_domain_findings(report, plan, flat, cells))
    identities = []
    for k in suspects:
        finding = _evaluate(report, plan, k, flat)
        if finding is not None:
            identities.append(finding)
    findings = list(read)
    if any(f.status is Status.FAILED for f in identities):
        # The solver (and fractions) is loaded when an identity first fails.
        from .diagnosis import DIAGNOSED_RULES, diagnose

        if any(f.rule in DIAGNOSED_RULES and f.status is Status.FAILED for f in identities):
            findings.extend(diagnose(report, rules=rules))
    findings.extend(domain)
    findings.extend(identities)
    findings.extend(_overview_findings(report, flat))
    findings.extend(filled_findings(report, filled, flat))
    return ValidationResult(findings=tuple(findings))


@attrs.frozen(slots=True)
class _Solver:
    """The equalities of an edition as :func:`infer` uses them.

    ``rules[e]`` is the rule of equality ``e``; ``plus[e]`` and ``minus[e]``
    get its left- and right-hand side from the flat values; ``by_cell[i]``
    lists the equalities that cell ``i`` is a term of, with its sign (``+1`` on
    the left-hand side, ``-1`` on the right).
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    rules: tuple[str, ...]
    plus: tuple[_Get, ...]
    minus: tuple[_Get, ...]
    by_cell: dict[int, tuple[tuple[int, int], ...]]

    def known(self, e: int, values: Sequence[Any]) -> Any:
        """Left minus right of equality ``e`` on ``values``."""
        return sum(self.plus[e](values)) - sum(self.minus[e](values))


@cache
def _solver(edition: Edition, rules: tuple[Rule, ...]) -> _Solver:
    plan = _plan(edition, rules)
    ids: list[str] = []
    plus: list[_Get] = []
    minus: list[_Get] = []
    by_cell: dict[int, list[tuple[int, int]]] = {}
    for k, check in enumerate(plan.checks):
        if check.check.relation != "eq":
            continue
        e = len(ids)
        ids.append(check.check.rule)
        plus.append(plan.lhs[k])
        minus.append(plan.rhs[k])
        for i in check.lhs:
            by_cell.setdefault(i, []).append((e, 1))
        for i in check.rhs:
            by_cell.setdefault(i, []).append((e, -1))
    return _Solver(tuple(ids), tuple(plus), tuple(minus),
                   {i: tuple(v) for i, v in by_cell.items()})


def infer(report: Report, *, rules: Sequence[Rule] = RULES) -> Report:
    """Fill the blank cells that the identities determine uniquely.

    A blank is filled when an identity has it as its only unknown, or when an
    identity's unknowns all sit on one side and must add up to 0 (counts are
    non-negative, so each is 0). Filled cells are marked in ``provenance`` with
    the rule that forced them; every other blank is left alone, and nothing is
    filled with a negative number. Identities are tried in catalogue order, and
    again whenever a cell of theirs is filled.
    """
    values = flattener(report.edition)(report)
    blanks = list(compress(count(), map(operator.is_, map(type, values), repeat(Blank))))
    if not blanks:
        return report  # nothing to fill
    solver = _solver(report.edition, tuple(rules))
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
    # terms of an identity (left minus right); filled cells
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
            value = -known(e, zeroed) * sign
            if value < 0:
                continue
            solved: tuple[tuple[int, int], ...] = ((i, value),)
        elif terms and len({sign for _, sign in terms}) == 1 and known(e, zeroed) == 0:
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
