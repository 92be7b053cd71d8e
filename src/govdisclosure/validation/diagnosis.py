"""Diagnosis: the cells most likely wrong when identities fail.

One typo in （七）总计 breaks its column, its row and the balance of its column;
the failed identities then name some thirty cells, and the one actually wrong
is hard to see. :func:`diagnose` finds the *smallest* set of cells whose change
makes every failing identity hold again, without breaking one that holds:

- The identities are the equalities I1–I4 of the catalogue, read off their
  declarations (:func:`~govdisclosure.validation.rules.checks`); nothing about
  the form is listed here.
  An identity with a blank cell is not assessable and is left out: the
  diagnosis rests only on identities whose every cell holds a number.
- A correction changes some cells to other non-negative integers; every
  assessable identity must hold afterwards. Its size is the number of cells
  it changes. Only corrections whose new values the identities fix (one
  value per cell) are considered: a set of cells the identities cannot pin
  down cannot say what the right numbers are.
- Identities that share no cell (table 三, and each group of table 四) are
  diagnosed apart: the smallest correction of a report is the union of the
  smallest corrections of its independent parts.

The search is exact and bounded. Sets of 1, then 2, then up to
:data:`MAX_CELLS` cells are tried; a set is only grown by a cell of a failing
identity it does not touch yet, or by a cell of an identity it touches (any
larger correction must do one of the two), and each candidate is solved with
exact rational arithmetic. Every correction of the smallest size is found, so
ties are reported as ties. When the smallest size is above :data:`MAX_CELLS`,
when more than :data:`MAX_ALTERNATIVES` sets tie, or when the search meets its
budget of :data:`MAX_CANDIDATES` candidate sets, no cell is named and the
finding says why.

Each independent part with failing identities gives one finding of the rule
``likely-cell`` (severity ``info``): its ``cells`` are the cells of the
correction(s), ``expected`` and ``actual`` the corrected and printed value
when a single cell is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import cache

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model.cells import CellRef, Value
from ..model.findings import Finding, Severity, Status
from ..model.provenance import first_line
from ..model.report import Edition, Report
from ..model.schema import cell_values, form
from ._words import place
from .catalogue import RULES, Rule
from .rules import checks

__all__ = [
    "DIAGNOSED_RULES",
    "MAX_ALTERNATIVES",
    "MAX_CANDIDATES",
    "MAX_CELLS",
    "RULE_ID",
    "Correction",
    "Diagnosis",
    "diagnose",
    "diagnose_report",
]

#: The rule id of diagnosis findings.
RULE_ID = "likely-cell"
#: The identities the diagnosis reasons with.
DIAGNOSED_RULES = ("I1", "I2", "I3", "I4")
#: The largest correction searched, in cells.
MAX_CELLS = 3
#: More equally small corrections than this name no cell.
MAX_ALTERNATIVES = 3
#: The most candidate sets solved for one independent part of a report.
MAX_CANDIDATES = 20_000


@attrs.frozen(slots=True)
class _Identity:
    """One identity as the search uses it: ``sum(sign * value) == 0``."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    rule: str
    terms: tuple[tuple[int, int], ...]  # (position in the flat values, +1 or -1)


@attrs.frozen(slots=True)
class _System:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    identities: tuple[_Identity, ...]
    by_cell: Mapping[int, tuple[tuple[int, int], ...]]  # position: ((identity, sign), ...)
    refs: tuple[CellRef, ...]


@cache
def _system(edition: Edition, rules: tuple[Rule, ...]) -> _System:
    refs = form(edition).refs()
    index = {ref: i for i, ref in enumerate(refs)}
    identities: list[_Identity] = []
    by_cell: dict[int, list[tuple[int, int]]] = {}
    for check in checks(edition, rules):
        if check.rule not in DIAGNOSED_RULES or check.relation != "eq":
            continue
        terms: dict[int, int] = {}
        for ref in check.lhs:
            terms[index[ref]] = terms.get(index[ref], 0) + 1
        for ref in check.rhs:
            terms[index[ref]] = terms.get(index[ref], 0) - 1
        e = len(identities)
        kept = tuple((i, s) for i, s in terms.items() if s)
        identities.append(_Identity(check.rule, kept))
        for i, s in kept:
            by_cell.setdefault(i, []).append((e, s))
    return _System(tuple(identities), {i: tuple(v) for i, v in by_cell.items()}, refs)


@attrs.frozen(slots=True)
class Correction:
    """A set of cells and the values that make every identity hold.

    ``changes`` maps each cell to ``(printed, corrected)``, cells in form order.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    changes: tuple[tuple[CellRef, int, int], ...]

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return tuple(ref for ref, _, _ in self.changes)

    def as_mapping(self) -> dict[CellRef, int]:
        """The corrected values, for :func:`govdisclosure.replace_cells`."""
        return {ref: new for ref, _, new in self.changes}


@attrs.frozen(slots=True)
class Diagnosis:
    """The diagnosis of one independent part of a report.

    ``failing`` are the failing identities (rule ids, one per identity);
    ``size`` the number of cells of the smallest correction (``None`` when none
    was found within the bounds); ``corrections`` every correction of that size,
    or none when there were more than :data:`MAX_ALTERNATIVES` (``count`` says
    how many). ``exhausted`` is true when the search met :data:`MAX_CANDIDATES`.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: str
    failing: tuple[str, ...]
    size: int | None
    corrections: tuple[Correction, ...]
    count: int
    exhausted: bool = False

    @property
    def named(self) -> bool:
        """Whether the diagnosis names cells (a unique correction or a few ties)."""
        return bool(self.corrections)


class _Budget(Exception):
    pass


def _solve(n: int, rows: Sequence[tuple[Sequence[int], int]]) -> list[Fraction] | None:
    """The unique solution ``x`` (``n`` unknowns) of ``sum(a[j] * x[j]) == b`` for
    every ``(a, b)`` in ``rows``; ``None`` when there is none or more than one.

    Exact: Gauss-Jordan elimination in fractions.
    """
    matrix = [[Fraction(a) for a in coefficients] + [Fraction(b)] for coefficients, b in rows]
    pivot_row = 0
    for col in range(n):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if found is None:
            return None  # a free variable: the values are not fixed
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[pivot_row],
                                                            strict=True)]
        pivot_row += 1
    if any(row[n] != 0 for row in matrix[pivot_row:]):
        return None  # inconsistent
    return [matrix[k][n] for k in range(n)]


class _Search:
    """The bounded search over one independent part (see the module docstring)."""

    def __init__(self, system: _System, values: Sequence[int | None],
                 residual: Mapping[int, int], failing: Sequence[int]) -> None:
        self.system = system
        self.values = values
        self.residual = residual  # identity: lhs - rhs, assessable ones only
        self.failing = failing
        self.most = max((len(self._touching(i)) for i in self._cells_of(failing)), default=1)
        self.candidates = 0

    def _touching(self, cell: int) -> list[tuple[int, int]]:
        return [(e, s) for e, s in self.system.by_cell.get(cell, ()) if e in self.residual]

    def _cells_of(self, identities: Sequence[int]) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        for e in identities:
            for i, _ in self.system.identities[e].terms:
                if i not in seen and self.values[i] is not None:
                    seen.add(i)
                    out.append(i)
        return out

    def _evaluate(self, chosen: tuple[int, ...]) -> Correction | None:
        self.candidates += 1
        if self.candidates > MAX_CANDIDATES:
            raise _Budget
        touched: dict[int, dict[int, int]] = {}
        for j, cell in enumerate(chosen):
            for e, s in self._touching(cell):
                touched.setdefault(e, {})[j] = s
        # Most identities hold one chosen cell, which forces its change: settle
        # those first in integers, and solve in fractions only what is left.
        forced: dict[int, int] = {}
        for e, coefficients in touched.items():
            if len(coefficients) == 1:
                [(j, s)] = coefficients.items()
                delta = -self.residual[e] * s
                if forced.setdefault(j, delta) != delta:
                    return None
        deltas: Sequence[Fraction | int] | None
        if len(forced) == len(chosen):
            deltas = [forced[j] for j in range(len(chosen))]
            for e, coefficients in touched.items():
                if sum(s * deltas[j] for j, s in coefficients.items()) != -self.residual[e]:
                    return None
        else:
            rows = [([coefficients.get(j, 0) for j in range(len(chosen))], -self.residual[e])
                    for e, coefficients in touched.items()]
            deltas = _solve(len(chosen), rows)
            if deltas is None:
                return None
        changes = []
        for cell, change in zip(chosen, deltas, strict=True):
            old = self.values[cell]
            assert old is not None
            if change == 0 or int(change) != change or old + change < 0:
                return None
            changes.append((self.system.refs[cell], old, old + int(change)))
        order = sorted(range(len(chosen)), key=lambda j: chosen[j])
        return Correction(tuple(changes[j] for j in order))

    def _grow(self, chosen: tuple[int, ...], size: int, seen: set[frozenset[int]],
              found: dict[frozenset[int], Correction]) -> None:
        key = frozenset(chosen)
        if key in seen:
            return
        seen.add(key)
        if len(chosen) == size:
            correction = self._evaluate(chosen)
            if correction is not None:
                found[key] = correction
            return
        touched = {e for cell in chosen for e, _ in self._touching(cell)}
        uncovered = [e for e in self.failing if e not in touched]
        if len(uncovered) > (size - len(chosen)) * self.most:
            return  # too few cells left to reach every failing identity
        branch = self._cells_of(uncovered[:1] if uncovered else sorted(touched))
        for cell in branch:
            if cell not in key:
                self._grow((*chosen, cell), size, seen, found)

    def run(self) -> tuple[int | None, list[Correction], bool]:
        for size in range(1, MAX_CELLS + 1):
            found: dict[frozenset[int], Correction] = {}
            try:
                self._grow((), size, set(), found)
            except _Budget:
                return None, [], True
            if found:
                corrections = sorted(
                    found.values(),
                    key=lambda c: [self.system.refs.index(ref) for ref in c.cells])
                return size, corrections, False
        return None, [], False


def _components(system: _System, assessable: Sequence[int]) -> list[list[int]]:
    """The assessable identities grouped into parts that share no cell."""
    parent = {e: e for e in assessable}

    def root(e: int) -> int:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    owner: dict[int, int] = {}
    for e in assessable:
        for i, _ in system.identities[e].terms:
            if i in owner:
                parent[root(e)] = root(owner[i])
            else:
                owner[i] = e
    groups: dict[int, list[int]] = {}
    for e in assessable:
        groups.setdefault(root(e), []).append(e)
    return list(groups.values())


def diagnose_report(report: Report, *, rules: Sequence[Rule] = RULES
                    ) -> tuple[Diagnosis, ...]:
    """The diagnosis of every independent part of ``report`` with failing identities.

    Empty when every assessable identity holds. ``rules`` is the catalogue whose
    identities (I1–I4 among them) the diagnosis reasons with.
    """
    system = _system(report.edition, tuple(rules))
    flat: Sequence[Value] = cell_values(report)
    values: list[int | None] = [v if type(v) is int else None for v in flat]
    residual: dict[int, int] = {}
    for e, identity in enumerate(system.identities):
        total = 0
        for i, s in identity.terms:
            v = values[i]
            if v is None:
                break
            total += s * v
        else:
            residual[e] = total
    if not any(residual.values()):
        return ()
    out = []
    for part in _components(system, sorted(residual)):
        failing = [e for e in part if residual[e] != 0]
        if not failing:
            continue
        local = {e: residual[e] for e in part}
        search = _Search(system, values, local, failing)
        size, corrections, exhausted = search.run()
        table = system.refs[system.identities[failing[0]].terms[0][0]].table
        out.append(Diagnosis(
            table=table,
            failing=tuple(system.identities[e].rule for e in failing),
            size=size,
            corrections=tuple(corrections) if len(corrections) <= MAX_ALTERNATIVES else (),
            count=len(corrections),
            exhausted=exhausted,
        ))
    return tuple(out)


# --- findings ----------------------------------------------------------------------


def _change_words(edition: Edition, correction: Correction) -> tuple[str, str]:
    zh, en = [], []
    for ref, old, new in correction.changes:
        where_zh, where_en = place(edition, ref.table, ref.row, ref.column)
        zh.append(f"{where_zh} 印为 {old}，改为 {new}")
        en.append(f"{where_en} printed {old}; {new}")
    return "；".join(zh), "; ".join(en)


def _finding(report: Report, diagnosis: Diagnosis) -> Finding:
    edition = report.edition
    n = len(diagnosis.failing)
    failing_zh = f"全部 {n} 条不成立的等式" if n > 1 else "不成立的等式"
    failing_en = f"all {n} failing identities hold" if n > 1 else "the failing identity hold"
    table_zh, table_en = place(edition, diagnosis.table, None, None)
    line = None
    row = column = None
    expected = actual = None
    cells: tuple[CellRef, ...] = ()
    if len(diagnosis.corrections) == 1:
        correction = diagnosis.corrections[0]
        zh, en = _change_words(edition, correction)
        cells = correction.cells
        if len(cells) == 1:
            ref, old, new = correction.changes[0]
            row, column, expected, actual = ref.row, ref.column, new, old
            message = f"可能出错的格：{zh}，则{failing_zh}成立"
            message_en = f"likely wrong cell: {en} makes {failing_en}"
        else:
            message = f"可能出错的 {len(cells)} 格：{zh}，则{failing_zh}成立"
            message_en = f"likely wrong cells ({len(cells)}): {en} makes {failing_en}"
    elif diagnosis.corrections:
        options = [_change_words(edition, c) for c in diagnosis.corrections]
        seen: dict[CellRef, None] = {}
        for c in diagnosis.corrections:
            seen.update(dict.fromkeys(c.cells))
        cells = tuple(seen)
        size = diagnosis.size
        message = (f"{table_zh}：最少改 {size} 格即可使{failing_zh}成立，有 "
                   f"{len(options)} 种同样小的改法："
                   + "；或 ".join(f"（{zh}）" for zh, _ in options))
        message_en = (f"{table_en}: changing {size} cell(s) makes {failing_en}, "
                      f"{len(options)} equally small ways: "
                      + "; or ".join(f"({en})" for _, en in options))
    elif diagnosis.exhausted:
        message = (f"{table_zh}：未能指出可能出错的格（搜索达到 {MAX_CANDIDATES} 种组合的上限）")
        message_en = (f"{table_en}: no likely cell named (the search reached its limit of "
                      f"{MAX_CANDIDATES} candidate sets)")
    elif diagnosis.size is None:
        message = (f"{table_zh}：未能指出可能出错的格：改动 {MAX_CELLS} 格以内无法使"
                   f"{failing_zh}成立")
        message_en = (f"{table_en}: no likely cell named: no change of {MAX_CELLS} cells or "
                      f"fewer makes {failing_en}")
    else:
        message = (f"{table_zh}：未能指出可能出错的格：最少改 {diagnosis.size} 格，但有 "
                   f"{diagnosis.count} 种同样小的改法")
        message_en = (f"{table_en}: no likely cell named: the smallest correction changes "
                      f"{diagnosis.size} cell(s), but {diagnosis.count} ways tie")
    if cells:
        line = first_line(report.provenance, cells)
    return Finding(
        rule=RULE_ID, severity=Severity.INFO, status=Status.FAILED,
        table=diagnosis.table, row=row, column=column, line=line, cells=cells,
        expected=expected, actual=actual, message=message, message_en=message_en,
    )


def diagnose(report: Report, *, rules: Sequence[Rule] = RULES) -> tuple[Finding, ...]:
    """The ``likely-cell`` findings of ``report``: one per independent part with
    failing identities (see the module docstring). Empty when all hold."""
    return tuple(_finding(report, d) for d in diagnose_report(report, rules=rules))


