"""The checks that make a placement by position certain, and withdraw it.

Values with no label fill the rows after the cursor only when the layout shows
them row by row (:func:`layout_order`) and every identity that can be checked on
each row holds (I3, :meth:`Certainty.doubt`). A label of a row placed so, or a
column identity (I1, I2) that fails once the table is read
(:meth:`Certainty.verify`), withdraws the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Literal

from ...model.findings import Finding
from ...model.labels import Lexicon, lexicon
from ...model.report import Edition
from ...model.schema import Kind, RowSpec
from ...validation.rules import Check, checks
from ._cells import Cell, CellAt
from ._findings import finding
from ._sink import TABLE_ZH, Sink, cell_index, short, texts

__all__ = ["Certainty", "Order", "Run", "layout_order", "row_ends_at"]

Order = Literal["rows", "columns", "unknown"]


def _line_counts(vals: Sequence[CellAt]) -> list[int]:
    """How many of ``vals`` each line holds, line by line."""
    return [sum(1 for _ in group) for _, group in groupby(vals, key=itemgetter(1))]


def _blocks(vals: Sequence[CellAt]) -> list[int]:
    """The sizes of the runs of ``vals`` printed on the same or adjacent lines
    (a blank or padding line ends a run)."""
    sizes = [1]
    for (_, a), (_, b) in pairwise(vals):
        if b - a > 1:
            sizes.append(1)
        else:
            sizes[-1] += 1
    return sizes


def layout_order(vals: Sequence[CellAt], n: int) -> Order:
    """Whether the layout shows ``vals`` (whole rows of ``n``, two rows or
    more) printed row by row, column by column, or neither.

    Row by row: every line holds one row (``0 | 0 | … |``), or the values
    come in runs of one row each, set apart by blank or padding lines. Column
    by column: every line, or every run, holds as many values as there are
    rows. One value per paragraph, or one unbroken run, shows no order."""
    k = len(vals) // n
    counts = _line_counts(vals)
    if len(counts) > 1 and all(c == n for c in counts):
        return "rows"
    if len(counts) > 1 and k != n and all(c == k for c in counts):
        return "columns"
    if any(c != 1 for c in counts):
        return "unknown"
    sizes = _blocks(vals)
    if len(sizes) > 1 and all(s == n for s in sizes):
        return "rows"
    if len(sizes) > 1 and k not in (1, n) and all(s == k for s in sizes):
        return "columns"
    return "unknown"


def row_ends_at(vals: Sequence[CellAt], n: int) -> bool:
    """Whether the layout sets the first ``n`` of ``vals`` apart from the rest:
    a blank or padding line follows them (unless every value stands alone
    between blank lines, which sets nothing apart), or a new line of cells
    does (unless every line holds one value)."""
    if len(vals) <= n:
        return True
    (_, a), (_, b) = vals[n - 1], vals[n]
    if a == b:
        return False
    if b - a > 1:
        return any(size != 1 for size in _blocks(vals))
    return not all(c == 1 for c in _line_counts(vals[: n + 1]))


def _number(cell: Cell, kind: Kind) -> int | None:
    value = cell.amount_value if kind == "amount" else cell.count_value
    return value if isinstance(value, int) else None


class Run:
    """Rows placed by position from one run of values: withdrawn together."""

    __slots__ = ("findings", "line", "rows", "values")

    def __init__(self, rows: list[int], values: Sequence[CellAt]) -> None:
        self.rows = rows
        self.values = list(values)
        self.line = values[0][1]
        self.findings: list[Finding] = []



@cache
def _row_identities(edition: Edition,
                    table: str) -> dict[int, list[tuple[Check, list[int], list[int]]]]:
    """The identities of ``table`` whose cells all lie in one row, by row, each
    with the places of its two sides' cells in the row: the same for every
    report of ``edition``, so found once."""
    rows = lexicon(edition, table).rows
    found: dict[int, list[tuple[Check, list[int], list[int]]]] = {}
    where = {row.key: i for i, row in enumerate(rows)}
    for check in checks(edition):
        i = where.get(check.row or "")
        if check.table != table or i is None:
            continue
        refs = rows[i].refs()
        if all(ref in refs for ref in check.cells):
            found.setdefault(i, []).append((
                check, [refs.index(r) for r in check.lhs],
                [refs.index(r) for r in check.rhs]))
    return found


@cache
def _column_identities(edition: Edition, table: str
                       ) -> list[tuple[Check, tuple[int, ...], list[int], list[int]]]:
    """The identities of ``table``, each with the rows its cells lie in (in the
    order of its cells) and the places of its two sides' cells in form order."""
    where = {row.key: i for i, row in enumerate(lexicon(edition, table).rows)}
    index = cell_index(edition)[1]
    return [
        (check, tuple(dict.fromkeys(where[ref.row] for ref in check.cells if ref.row in where)),
         [index[ref] for ref in check.lhs], [index[ref] for ref in check.rhs])
        for check in checks(edition) if check.table == table
    ]


class Certainty:
    """What a table's reader needs to place values by position with certainty:
    the checks of :meth:`doubt` and :meth:`verify`, and :meth:`withdraw`."""

    lex: Lexicon
    sink: Sink
    table: str
    rows: Sequence[RowSpec]
    filled: dict[int, int]
    runs: dict[int, Run]
    withdrawn: set[int]
    alone: int
    # Table 三 prints its 总计 first; its rows printed whole on a line were
    # put in the form's order, the others were not.
    total_first: bool

    def row_checks(self, index: int) -> list[tuple[Check, list[int], list[int]]]:
        """The identities (I3) whose cells all lie in row ``index``: each with
        the places of its two sides' cells in the row."""
        edition = self.sink.edition
        return [] if edition is None else _row_identities(edition, self.table).get(index, [])

    def broken(self, index: int, chunk: Sequence[CellAt]) -> Check | None:
        """The first identity of row ``index`` that ``chunk``, read as that
        row, breaks; ``None`` when every one that can be checked holds."""
        kinds = self.lex.kinds[index]
        for check, lhs, rhs in self.row_checks(index):
            left = [_number(chunk[j][0], kinds[j]) for j in lhs]
            right = [_number(chunk[j][0], kinds[j]) for j in rhs]
            if None in left or None in right:
                continue  # a blank or a fraction: the check cannot be made
            a = sum(v for v in left if v is not None)
            b = sum(v for v in right if v is not None)
            if (a != b) if check.relation == "eq" else a > b:
                return check
        return None

    def doubt(self, vals: Sequence[CellAt], start: int, n: int) -> tuple[str, str, str] | None:
        """Why whole rows of values with no label cannot be placed by position
        in the rows from ``start``: a finding code and the reason (zh, en);
        ``None`` when their place is certain."""
        k = len(vals) // n
        if self.total_first and any(c != n for c in _line_counts(vals)):
            return ("read-position-uncertain",
                    "表格先印总计，这些数值不是一行一行地印出",
                    "in a table printing its total first, not printed a row a line")
        if k >= 2:
            order = layout_order(vals, n)
            if order == "columns":
                return ("read-column-order",
                        f"每 {k} 个一段排列（按列而非按行输出的文字）",
                        f"printed in runs of {k}, one value per row (text given column "
                        "by column)")
            if order == "unknown":
                return ("read-position-uncertain",
                        f"可按 {k} 行读，但版式看不出是按行还是按列排列（每段一个数值或连成一串）",
                        f"would fill {k} rows, but the layout shows neither rows nor "
                        "columns (one value per paragraph, or one unbroken run)")
        for j in range(k):
            index = start + j
            check = self.broken(index, vals[j * n:(j + 1) * n])
            if check is not None:
                return ("read-position-uncertain",
                        f"按位置放入“{self.rows[index].label}”时，该行"
                        f"{check.lhs_text[0]}不等于{check.rhs_text[0]}（{check.rule}）",
                        f"placed by position in row {self.rows[index].key} they would "
                        f"break {check.rule} ({check.lhs_text[1]} != {check.rhs_text[1]})")
        return None

    def refuse(self, vals: Sequence[CellAt], code: str, zh: str, en: str) -> None:
        """Keep values whose rows are not certain unplaced, with a finding."""
        line = vals[0][1]
        printed = texts(vals)
        self.sink.unplaced.append(printed)
        self.sink.findings.append(finding(
            code,
            f"表{TABLE_ZH[self.table]}（第 {line} 行起）：{len(vals)} 个数值没有可用的标签，"
            f"{zh}：无法确定各值所在的行，不按位置填入（已保留）",
            f"table {self.table} (from line {line}): {len(vals)} values with no usable "
            f"label {en}: their rows cannot be known, so they are not placed by position "
            "(kept in the report's unplaced text)",
            table=self.table, line=line, actual=short(printed, 200),
        ))

    def withdraw(self, run: Run, zh: str, en: str) -> None:
        """Undo a placement by position that a label or an identity contradicts:
        the rows are blank again and the values kept unplaced."""
        for i in run.rows:
            first = self.lex.offsets[i]
            for c in range(first, first + self.lex.widths[i]):
                self.sink.forget(c)
            self.filled.pop(i, None)
            self.runs.pop(i, None)
            self.withdrawn.add(i)
        found = self.sink.findings
        for f in run.findings:
            found.remove(f)
        printed = texts(run.values)
        self.sink.unplaced.append(printed)
        refs = [ref for i in run.rows for ref in self.rows[i].refs()]
        names = "、".join(f"“{self.rows[i].label}”" for i in run.rows)
        keys = ", ".join(self.rows[i].key for i in run.rows)
        found.append(finding(
            "read-position-uncertain",
            f"表{TABLE_ZH[self.table]}（第 {run.line} 行起）：{zh}（{names}）有误，"
            "撤回：这些行留空，数值保留为无法归位的文字",
            f"table {self.table} (from line {run.line}): {en} ({keys}) cannot be right and "
            "are withdrawn: those rows are left blank and the values kept as unplaced text",
            table=self.table, line=run.line, cells=refs, blanks=refs,
            actual=short(printed, 200),
        ))

    def verify(self) -> None:
        """Withdraw the rows placed by position that break a column identity
        (I1, I2) whose cells are all read, once the table is read."""
        edition = self.sink.edition
        if not self.runs or edition is None:
            return
        values = self.sink.values
        for check, rows, lhs, rhs in _column_identities(edition, self.table):
            runs = {id(r): r for i in rows if (r := self.runs.get(i)) is not None}
            if not runs:
                continue
            left = [values[i] for i in lhs]
            right = [values[i] for i in rhs]
            if not all(type(v) is int for v in (*left, *right)):
                continue  # a cell not read: the check cannot be made
            a = sum(v for v in left if isinstance(v, int))
            b = sum(v for v in right if isinstance(v, int))
            if (a == b) if check.relation == "eq" else a <= b:
                continue
            where_zh = f"{check.column}列" if check.column else ""
            for run in runs.values():
                self.withdraw(
                    run, f"{where_zh}{check.lhs_text[0]}不等于{check.rhs_text[0]}"
                    f"（{check.rule}），按位置放入的数值",
                    f"{check.rule} fails ({check.lhs_text[1]} != {check.rhs_text[1]}"
                    f"{', column ' + check.column if check.column else ''}), so the values "
                    "placed by position")

    def column_order(self, vals: Sequence[CellAt]) -> None:
        """Values in one run after labels in another: their rows cannot be known
        (text in column order), so they are kept unplaced and the rows blank."""
        line = vals[0][1]
        printed = texts(vals)
        self.sink.unplaced.append(printed)
        self.sink.findings.append(finding(
            "read-column-order",
            f"表{TABLE_ZH[self.table]}（第 {line} 行起）：{self.alone} 个行标签连续出现"
            f"而没有数值，其后 {len(vals)} 个数值连成一串（按列而非按行输出的文字？），"
            "无法确定各值所在的行，不按位置填入",
            f"table {self.table} (from line {line}): {self.alone} row labels in a row with no "
            f"values, then a run of {len(vals)} values (text given column by column?): their "
            "rows cannot be known, so they are not placed by position",
            table=self.table, line=line, actual=short(printed, 200),
        ))
        self.alone = 0
