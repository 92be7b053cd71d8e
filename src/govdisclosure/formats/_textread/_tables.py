"""Placing cells into the rows of a table: one pass over the region's cells.

A label opens a row and the values after it fill it, up to the next label, a
padding line or the end of a row line. A row is filled only when its number of
values is exactly the number of its columns (after dropping padding); a row
with fewer or more is reported and left blank, because which cell is missing
cannot be known. Labels cut or wrapped by PDF extraction are matched loosely,
the candidate nearest the cursor winning.

Values with no label go to the next rows of the form (the *cursor*) only when
their place is certain (:meth:`_Grid.doubt`): they fill whole rows, the layout
shows them row by row (several rows: each row on its own line, or set apart by
blank lines; never one value per paragraph, nor runs as long as a column), and
every identity that can be checked on each row holds (I3). Rows placed so are
withdrawn when a label of one of them follows, or when a column identity (I1,
I2) whose cells are all read fails at the end of the table. Otherwise the
values stay unplaced and the rows blank, with a finding: a number is never put
in a row it may not belong to.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Literal

from ...model._normalise import key
from ...model.cells import Blank, CellRef, CellSource, Value
from ...model.findings import Finding
from ...model.labels import (
    APPLICANT_HEADERS,
    LEGAL_PERSONS,
    SUBTOTAL,
    Entry,
    Lexicon,
    appeal_group,
)
from ...model.provenance import Provenance
from ...model.report import Edition
from ...model.schema import Kind, form
from ...model.tables import ExtraRow
from ...validation.rules import Check, checks
from ._cells import Cell, CellAt, Line
from ._findings import finding

__all__ = ["Sink", "read_appeals", "read_grid"]

_TABLE_ZH = {"active": "二", "applications": "三", "appeals": "四"}
#: Most unplaced pieces reported one finding each, per table; the rest are counted.
MAX_UNPLACED = 50


_BLANK = Blank("")


@cache
def cell_index(edition: Edition) -> tuple[tuple[CellRef, ...], Mapping[CellRef, int]]:
    """The cells of ``edition``'s form in form order, and each one's place in it."""
    refs = form(edition).refs()
    return refs, {ref: i for i, ref in enumerate(refs)}


class Sink:
    """Everything the reader finds: cell values with their sources, findings,
    extra rows per table, and text it could not place.

    Values and source lines are kept in flat lists in form order (see
    :func:`cell_index`), the shape :func:`~govdisclosure.model.schema.assemble_report`
    and :meth:`Provenance.from_lines` take: no ``CellRef`` or ``CellSource`` is
    made per cell. A line of 0 means the cell was never read."""

    def __init__(self) -> None:
        self.edition: Edition | None = None
        self.values: list[Value] = []
        self.lines: list[int] = []
        self.rich: dict[int, CellSource] = {}  # sources with more than a line
        self.findings: list[Finding] = []
        self.extra_rows: dict[str, list[ExtraRow]] = {}
        self.unplaced: list[str] = []
        self.unplaced_count: dict[str, int] = {}

    def start(self, edition: Edition) -> None:
        """Make room for every cell of ``edition``, all blank and unread."""
        self.edition = edition
        size = len(cell_index(edition)[0])
        self.values = [_BLANK] * size
        self.lines = [0] * size
        self.rich = {}

    def merge(self, values: Mapping[CellRef, Value],
              provenance: Mapping[CellRef, CellSource]) -> None:
        """Store cells read elsewhere (the splitter of run-together tables)."""
        assert self.edition is not None
        index = cell_index(self.edition)[1]
        for ref, value in values.items():
            self.values[index[ref]] = value
        for ref, src in provenance.items():
            i = index[ref]
            self.lines[i] = src.line or 0
            self.rich[i] = src

    def forget(self, i: int) -> None:
        """Undo the reading of cell ``i``."""
        self.values[i] = _BLANK
        self.lines[i] = 0
        self.rich.pop(i, None)

    def provenance(self) -> Provenance:
        """The sources of the cells read, compactly."""
        assert self.edition is not None
        refs = cell_index(self.edition)[0]
        rich = {refs[i]: src for i, src in self.rich.items()}
        return Provenance.from_lines(self.edition, self.lines, rich)

    def finish(self) -> None:
        """Count, in one finding per table, the unplaced pieces not reported singly."""
        for table, count in self.unplaced_count.items():
            if count <= MAX_UNPLACED:
                continue
            more = count - MAX_UNPLACED
            self.findings.append(finding(
                "read-unplaced-text",
                f"表{_TABLE_ZH[table]}：另有 {more} 段文字或数值无法归位（已保留）",
                f"table {table}: {more} more pieces of text or values could not be placed "
                "(kept in the report's unplaced text)",
                table=table, actual=more,
            ))

    def put(self, first: int, kinds: Sequence[Kind], row: Sequence[CellAt | None],
            line: int) -> None:
        """Store the cells of one row from cell ``first`` on (in form order),
        converted for their columns' kinds; ``None`` stores a blank read on ``line``."""
        end = first + len(row)
        if self.rich:
            for i in range(first, end):
                self.rich.pop(i, None)
        values, lines, rich = self.values, self.lines, self.rich
        for i, kind, at in zip(range(first, end), kinds, row, strict=True):
            if at is None:
                values[i] = _BLANK
                lines[i] = line
                continue
            cell, lines[i] = at
            if kind == "amount":
                values[i] = cell.amount_value
                printed = cell.amount_printed
            else:
                values[i] = cell.count_value
                printed = cell.count_printed
            if printed is not None:
                rich[i] = CellSource(line=at[1], printed=printed)

    def unplace(self, cells: Sequence[CellAt], table: str, values: bool) -> None:
        """Keep text that could not be placed, with a finding (past
        :data:`MAX_UNPLACED` findings per table, one finding counts the rest)."""
        if not cells:
            return
        count = self.unplaced_count.get(table, 0) + 1
        self.unplaced_count[table] = count
        if count > MAX_UNPLACED:
            self.unplaced.append(("\n" if not values else " | ").join(c.text for c, _ in cells))
            return
        line = cells[0][1]
        if values:
            text = " | ".join(c.text for c, _ in cells)
            code = "read-unplaced-values"
            zh = f"表{_TABLE_ZH[table]}第 {line} 行：数值“{_short(text)}”无法归入任何一行"
            en = f"table {table}, line {line}: values {_short(text)!r} fit no row"
        else:
            text = "\n".join(c.text for c, _ in cells)
            code = "read-unplaced-text"
            zh = f"表{_TABLE_ZH[table]}第 {line} 行：文字“{_short(text)}”无法归位"
            en = f"table {table}, line {line}: text {_short(text)!r} could not be placed"
        self.unplaced.append(text)
        self.findings.append(finding(code, zh, en, table=table, line=line, actual=text))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _texts(cells: Sequence[CellAt]) -> str:
    return " | ".join(c.text for c, _ in cells)


class _Pending:
    """A row being read: its label (if any) and the values after it."""

    __slots__ = ("extra", "label", "loose", "row", "values")

    def __init__(self, row: int | None, label: CellAt | None, loose: bool = False,
                 extra: bool = False) -> None:
        self.row = row
        self.label = label
        self.loose = loose
        self.extra = extra
        self.values: list[CellAt] = []


def _trim(values: list[CellAt], n: int) -> list[CellAt]:
    # Padding: empty cells beyond the row's width, at its end, then its start.
    vals = list(values)
    while len(vals) > n and not vals[-1][0].text:
        vals.pop()
    while len(vals) > n and not vals[0][0].text:
        vals.pop(0)
    return vals


def _unpadded(vals: list[CellAt], label_line: int) -> list[CellAt]:
    """A row's values without an empty first or last cell that is a line of its
    own (``|`` alone, after the label or after the values): padding from merged
    cells and a blank cell cannot be told apart there, so such a cell does not
    make a short row whole."""
    count = Counter(at for _, at in vals)
    count[label_line] += 1

    def alone(cell: CellAt) -> bool:
        return not cell[0].text and count[cell[1]] == 1

    if len(vals) >= 2 and alone(vals[-1]):
        vals = vals[:-1]
    if len(vals) >= 2 and alone(vals[0]):
        vals = vals[1:]
    return vals


def _strip_end(values: list[CellAt]) -> list[CellAt]:
    vals = list(values)
    while vals and not vals[-1][0].text:
        vals.pop()
    return vals


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


def _row_ends_at(vals: Sequence[CellAt], n: int) -> bool:
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


class _Run:
    """Rows placed by position from one run of values: withdrawn together."""

    __slots__ = ("findings", "line", "rows", "values")

    def __init__(self, rows: list[int], values: Sequence[CellAt]) -> None:
        self.rows = rows
        self.values = list(values)
        self.line = values[0][1]
        self.findings: list[Finding] = []


class _Grid:
    """The state of reading one of the tables 二 and 三."""

    def __init__(self, lex: Lexicon, sink: Sink) -> None:
        self.lex = lex
        self.sink = sink
        self.table = lex.table
        self.rows = lex.rows
        self.filled: dict[int, int] = {}
        self.cursor = 0
        self.last: int | None = None
        self.pending: _Pending | None = None
        self.block: list[CellAt] = []
        # The group label just read (its first row and the label), while no
        # other label has followed: values right after it may be the group's
        # rows printed as one (a 2021 table with （六）其他处理 on one row).
        self.group_open: tuple[int, CellAt] | None = None
        # Where table 三's extra 法人或其他组织 小计 column sits among a row's
        # values, when the table prints one (8 value columns for 7).
        self.subtotal: int | None = None
        # One row of values right after a group label, held until what follows
        # tells: more rows of values (the sub-labels are missing: by position)
        # or a label (the group printed as one row).
        self.deferred: tuple[int, CellAt, list[CellAt]] | None = None
        # Row labels met in a row with no values between them: text that
        # prints the labels in one run and the values in another (a PDF table
        # extracted one column at a time) cannot be placed by position.
        self.alone = 0
        # Rows placed by position, each with its run (withdrawn together when
        # a label or a column identity contradicts it), and rows withdrawn.
        self.runs: dict[int, _Run] = {}
        self.withdrawn: set[int] = set()
        self._row_checks: dict[int, list[tuple[Check, list[int], list[int]]]] | None = None

    # --- helpers -------------------------------------------------------------

    def where(self, index: int) -> tuple[str, str]:
        row = self.rows[index]
        return f"表{_TABLE_ZH[self.table]}“{row.label}”", f"table {self.table}, row {row.key}"

    def close_block(self) -> None:
        if self.block:
            self.sink.unplace(self.block, self.table, values=False)
            self.block = []

    def resolve(self, entries: Sequence[Entry]) -> int:
        for e in entries:
            if e.index >= self.cursor and e.index not in self.filled:
                return e.index
        for e in entries:
            if e.index not in self.filled:
                return e.index
        return entries[0].index

    def fill(self, index: int, values: Sequence[CellAt | None], line: int) -> None:
        self.alone = 0
        self.sink.put(self.lex.offsets[index], self.lex.kinds[index], values, line)
        self.filled[index] = line
        if index >= self.cursor:
            self.cursor = index + 1
        self.last = index

    def report(self, code: str, index: int, line: int, zh: str, en: str,
               actual: str | None = None, blank: bool = False) -> None:
        row = self.rows[index]
        refs = row.refs()
        wz, we = self.where(index)
        self.sink.findings.append(finding(
            code, f"{wz}（第 {line} 行）：{zh}", f"{we} (line {line}): {en}",
            table=self.table, row=row.key, line=line, cells=refs,
            blanks=refs if blank else (), expected=len(row.columns) if blank else None,
            actual=actual,
        ))

    # --- events --------------------------------------------------------------

    def flush(self) -> None:
        p, self.pending = self.pending, None
        if p is None:
            return
        if p.row is not None:
            self.place_labelled(p)
        elif p.extra:
            self.place_extra(p)
        else:
            self.place_unlabelled(p.values)

    def place_labelled(self, p: _Pending) -> None:
        assert p.row is not None and p.label is not None
        index, (label, line) = p.row, p.label
        n = self.lex.widths[index]
        vals = p.values if len(p.values) <= n else _trim(p.values, n)
        if self.subtotal is not None and len(vals) == n + 1:
            vals = self.take_subtotal(index, vals, line)
        if len(vals) < n and not any(c.text for c, _ in vals):
            self.alone += 1
            return  # a label alone (a heading, a wrapped label): its row comes later
        if self.block:
            self.close_block()
        run = self.runs.get(index)
        if run is not None:
            self.withdraw(
                run, f"第 {line} 行是“{self.rows[index].label}”的标签及其数值，"
                "而此前按位置放入该行的数值",
                f"the label of row {self.rows[index].key} on line {line} follows values placed "
                "in it by position, so the values placed by position")
        if index in self.filled:
            self.report("read-duplicate-row", index, line,
                        f"此行已在第 {self.filled[index]} 行读过，保留先读到的数值",
                        f"already read on line {self.filled[index]}; the first is kept",
                        actual=_texts(vals))
            return
        if p.loose:
            self.report("read-loose-label", index, line,
                        f"标签“{label.text}”与表格标签不完全一致，按此行读取",
                        f"label {label.text!r} matched loosely", actual=label.text)
        if len(vals) == n:
            unpadded = _unpadded(vals, line)
            if len(unpadded) == n:
                self.fill(index, vals, line)
                return
            vals = unpadded  # a padding line counted as a cell: a short row
        if len(vals) > n and self.alone >= _COLUMN_ORDER:
            self.column_order(vals)  # the labels' values, all after the last label
            return
        if len(vals) > n and _row_ends_at(vals, n) and self.broken(index, vals[:n]) is None:
            # The label's row, set apart by the layout; the rest has no label.
            self.fill(index, vals[:n], line)
            self.place_unlabelled(vals[n:])
            return
        k = len(vals) // n
        reason = None
        if len(vals) > n and len(vals) % n == 0 and self.free(index + 1, k - 1, n):
            reason = self.doubt(vals, index, n)
            if reason is None:
                self.fill(index, vals[:n], line)
                self.place_run(vals[n:], index + 1, n)
                return
        printed = _texts(vals)
        if len(vals) < n:
            self.report("read-short-row", index, line,
                        f"应有 {n} 个数值，只有 {len(vals)} 个（{_short(printed)}），"
                        "无法判断缺少哪一格，整行留空",
                        f"expected {n} values, found {len(vals)} ({_short(printed)}); "
                        "which is missing cannot be known, so the row is left blank",
                        actual=printed, blank=True)
        else:
            why_zh = f"；这些数值{reason[1]}，无法按位置分入以下各行" if reason else ""
            why_en = (f"; the values, {reason[2]}, cannot be placed in the rows below by "
                      "position") if reason else ""
            self.report("read-long-row", index, line,
                        f"应有 {n} 个数值，却有 {len(vals)} 个（{_short(printed)}）{why_zh}，"
                        "整行留空",
                        f"expected {n} values, found {len(vals)} ({_short(printed)}){why_en}; "
                        "the row is left blank", actual=printed, blank=True)
        self.fill(index, [None] * n, line)

    def free(self, start: int, count: int, n: int) -> bool:
        """Whether ``count`` rows from ``start`` exist, are unread and ``n`` wide."""
        if start + count > len(self.rows):
            return False
        return all(
            i not in self.filled and len(self.rows[i].columns) == n
            for i in range(start, start + count)
        )

    def place_run(self, vals: Sequence[CellAt], start: int, n: int) -> None:
        """Place whole rows of values with no label from row ``start`` on (their
        place checked certain by :meth:`doubt`)."""
        run = _Run(list(range(start, start + len(vals) // n)), vals)
        for j, index in enumerate(run.rows):
            chunk = vals[j * n:(j + 1) * n]
            line = chunk[0][1]
            self.report("read-row-by-position", index, line,
                        "数值没有可用的标签，按位置放入此行",
                        "values with no usable label, placed in this row by position",
                        actual=_texts(chunk))
            run.findings.append(self.sink.findings[-1])
            self.fill(index, chunk, line)
            self.runs[index] = run

    # --- certainty of a placement by position ----------------------------------

    def row_checks(self, index: int) -> list[tuple[Check, list[int], list[int]]]:
        """The identities (I3) whose cells all lie in row ``index``: each with
        the places of its two sides' cells in the row."""
        if self._row_checks is None:
            found: dict[int, list[tuple[Check, list[int], list[int]]]] = {}
            where = {row.key: i for i, row in enumerate(self.rows)}
            edition = self.sink.edition
            for check in checks(edition) if edition is not None else ():
                i = where.get(check.row or "")
                if check.table != self.table or i is None:
                    continue
                refs = self.rows[i].refs()
                if all(ref in refs for ref in check.cells):
                    found.setdefault(i, []).append((
                        check, [refs.index(r) for r in check.lhs],
                        [refs.index(r) for r in check.rhs]))
            self._row_checks = found
        return self._row_checks.get(index, [])

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
        printed = _texts(vals)
        self.sink.unplaced.append(printed)
        self.sink.findings.append(finding(
            code,
            f"表{_TABLE_ZH[self.table]}（第 {line} 行起）：{len(vals)} 个数值没有可用的标签，"
            f"{zh}：无法确定各值所在的行，不按位置填入（已保留）",
            f"table {self.table} (from line {line}): {len(vals)} values with no usable "
            f"label {en}: their rows cannot be known, so they are not placed by position "
            "(kept in the report's unplaced text)",
            table=self.table, line=line, actual=_short(printed, 200),
        ))

    def withdraw(self, run: _Run, zh: str, en: str) -> None:
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
        printed = _texts(run.values)
        self.sink.unplaced.append(printed)
        refs = [ref for i in run.rows for ref in self.rows[i].refs()]
        names = "、".join(f"“{self.rows[i].label}”" for i in run.rows)
        keys = ", ".join(self.rows[i].key for i in run.rows)
        found.append(finding(
            "read-position-uncertain",
            f"表{_TABLE_ZH[self.table]}（第 {run.line} 行起）：{zh}（{names}）有误，"
            "撤回：这些行留空，数值保留为无法归位的文字",
            f"table {self.table} (from line {run.line}): {en} ({keys}) cannot be right and "
            "are withdrawn: those rows are left blank and the values kept as unplaced text",
            table=self.table, line=run.line, cells=refs, blanks=refs,
            actual=_short(printed, 200),
        ))

    def verify(self) -> None:
        """Withdraw the rows placed by position that break a column identity
        (I1, I2) whose cells are all read, once the table is read."""
        edition = self.sink.edition
        if not self.runs or edition is None:
            return
        where = {row.key: i for i, row in enumerate(self.rows)}
        index = cell_index(edition)[1]
        values = self.sink.values
        for check in checks(edition):
            if check.table != self.table:
                continue
            runs = {id(r): r for ref in check.cells
                    if (r := self.runs.get(where.get(ref.row, -1))) is not None}
            if not runs:
                continue
            left = [values[index[ref]] for ref in check.lhs]
            right = [values[index[ref]] for ref in check.rhs]
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

    def take_subtotal(self, index: int, vals: list[CellAt], line: int) -> list[CellAt]:
        """The row's values without its 小计, which is checked against the sum
        of the five organisation columns (an identity the form does not have)."""
        assert self.subtotal is not None
        vals = list(vals)
        subtotal = vals.pop(self.subtotal)[0]
        parts = [c.number for c, _ in vals[1:6]]
        if subtotal.number is None or any(p is None or not p.integral for p in parts):
            return vals  # a blank or a fraction: the check cannot be made
        total = sum(p.value for p in parts if p is not None)
        if total != subtotal.number.value:
            self.report("read-subtotal-mismatch", index, line,
                        f"“{LEGAL_PERSONS} {SUBTOTAL}”为 {subtotal.text}，但五类组织之和为 {total}",
                        f"the {LEGAL_PERSONS} subtotal is {subtotal.text}, but the five "
                        f"organisation columns add up to {total}",
                        actual=subtotal.text)
        return vals

    def settle(self) -> None:
        """A held row after a group label, followed by a label or the end: the
        group printed as one row; else (the group cannot be) by position."""
        held, self.deferred = self.deferred, None
        if held is not None and not self.place_combined(*held):
            self.place_unlabelled(held[2])

    def place_combined(self, first: int, label: CellAt, vals: Sequence[CellAt]) -> bool:
        """A group label followed by one row of values: the group's rows printed
        as one (their sum). The rows are left blank, with the values in a
        finding; ``infer`` fills them when the sum forces it (0). Whether the
        values were taken so."""
        group = self.rows[first].group
        if group is None:  # 三、本年度办理结果: a heading, not a sum of rows
            return False
        members = [i for i in range(first, len(self.rows)) if self.rows[i].group == group]
        n = self.lex.widths[first]
        if (len(members) < 2 or len(vals) != n or any(i in self.filled for i in members)
                or any(self.lex.widths[i] != n for i in members)):
            return False
        line = vals[0][1]
        refs = [ref for i in members for ref in self.rows[i].refs()]
        for i in members:
            self.fill(i, [None] * n, line)
        printed = _texts(vals)
        name = label[0].text
        self.sink.findings.append(finding(
            "read-combined-row",
            f"表{_TABLE_ZH[self.table]}（第 {line} 行）：“{name}”印成一行（{_short(printed)}），"
            f"是其 {len(members)} 个分项之和；分项各格留空（和为 0 时 infer 可填为 0）",
            f"table {self.table} (line {line}): {name!r} is printed as one row "
            f"({_short(printed)}), the sum of its {len(members)} sub-rows; the sub-rows are "
            "left blank (infer fills them when the sum is 0)",
            table=self.table, row=self.rows[first].group, line=line, cells=refs, blanks=refs,
            actual=printed,
        ))
        return True

    def place_unlabelled(self, values: list[CellAt]) -> None:
        vals = _strip_end(values)
        if not vals:
            return
        self.close_block()
        opened, self.group_open = self.group_open, None
        if self.deferred is not None:
            vals = [*self.deferred[2], *vals]
            self.deferred = None
        elif (opened is not None and opened[0] == self.cursor
              and len(vals) == self.lex.widths[opened[0]]):
            self.deferred = (opened[0], opened[1], vals)
            return
        if self.alone >= _COLUMN_ORDER and len(vals) >= 2 * min(self.lex.widths):
            self.column_order(vals)  # more than a row's values after labels alone
            return
        if self.cursor < len(self.rows):
            n = len(self.rows[self.cursor].columns)
            if len(vals) % n == 0 and self.free(self.cursor, len(vals) // n, n):
                reason = self.doubt(vals, self.cursor, n)
                if reason is None:
                    self.place_run(vals, self.cursor, n)
                else:
                    self.refuse(vals, *reason)
                return
        self.sink.unplace(vals, self.table, values=True)

    def column_order(self, vals: Sequence[CellAt]) -> None:
        """Values in one run after labels in another: their rows cannot be known
        (text in column order), so they are kept unplaced and the rows blank."""
        line = vals[0][1]
        printed = _texts(vals)
        self.sink.unplaced.append(printed)
        self.sink.findings.append(finding(
            "read-column-order",
            f"表{_TABLE_ZH[self.table]}（第 {line} 行起）：{self.alone} 个行标签连续出现"
            f"而没有数值，其后 {len(vals)} 个数值连成一串（按列而非按行输出的文字？），"
            "无法确定各值所在的行，不按位置填入",
            f"table {self.table} (from line {line}): {self.alone} row labels in a row with no "
            f"values, then a run of {len(vals)} values (text given column by column?): their "
            "rows cannot be known, so they are not placed by position",
            table=self.table, line=line, actual=_short(printed, 200),
        ))
        self.alone = 0

    def place_extra(self, p: _Pending) -> None:
        assert p.label is not None
        vals = _strip_end(p.values)
        if not vals:
            self.block.append(p.label)
            return
        self.close_block()
        after = self.rows[self.last].key if self.last is not None else None
        label, line = p.label[0].text, p.label[1]
        self.sink.extra_rows.setdefault(self.table, []).append(
            ExtraRow(label=label, cells=tuple(c.text for c, _ in vals), after=after, line=line)
        )
        self.sink.findings.append(finding(
            "read-unknown-row",
            f"表{_TABLE_ZH[self.table]}第 {line} 行：“{_short(label)}”不是表格中的行，"
            "作为附加行保留",
            f"table {self.table}, line {line}: {_short(label)!r} is not a row of "
            "the form; kept as an extra row",
            table=self.table, row=after, line=line, actual=f"{label} | {_texts(vals)}",
        ))

    def text(self, cell: Cell, line: int) -> None:
        """A cell that is not a value: a label, a header or form text."""
        if self.deferred is not None:
            self.flush()
            self.settle()
        m = self.lex.lookup(cell.key)
        if m is None:
            index = self.by_order(cell.key)
            if index is not None:
                self.flush()
                self.group_open = None
                self.pending = _Pending(index, (cell, line))
                self.report("read-label-by-order", index, line,
                            f"标签“{cell.text}”与表格标签不一致，按表格固定的行序认作此行",
                            f"label {cell.text!r} does not match; it is this row by the "
                            "form's fixed row order", actual=cell.text)
                return
            self.flush()
            if cell.key.startswith("(") and cell.key.endswith(")"):
                self.block.append((cell, line))  # a note in brackets labels no row
            else:
                self.pending = _Pending(None, (cell, line), extra=True)
            return
        if m.kind == "fragment":
            return
        if m.kind == "header":
            self.flush()
            self.group_open = None
            return
        if m.kind == "group":
            self.flush()
            self.close_block()
            index = self.resolve(m.entries)
            self.cursor = max(self.cursor, index)
            self.group_open = (index, (cell, line))
            return
        self.group_open = None
        index = self.resolve(m.entries)
        p = self.pending
        if p is not None and p.row == index and not any(c.text for c, _ in p.values):
            p.loose = p.loose and m.loose
            return
        self.flush()
        self.pending = _Pending(index, (cell, line), loose=m.loose)

    def by_order(self, text_key: str) -> int | None:
        """The row a numbered label that matches no label is, by the form's fixed
        row order: the next row of the form, when it is an item of a group with
        the same number (``2.其他法律行政止公开`` after ``1.属于国家秘密``),
        shares most of the label's characters, and shares more of them than any
        other row of that number (else which row it is cannot be known)."""
        m = _ITEM.match(text_key)
        i = self.cursor
        if m is None or i >= len(self.rows) or i in self.filled:
            return None
        row = self.rows[i]
        number = m.group(0)
        if row.group is None or not key(row.label).startswith(number):
            return None
        words = set(text_key[m.end():])

        def shared(index: int) -> int:
            return len(words & set(key(self.rows[index].label)[m.end():]))

        best = shared(i)
        if not words or best * 3 < len(words) * 2:
            return None
        rivals = (j for j, r in enumerate(self.rows)
                  if j != i and key(r.label).startswith(number))
        return None if any(shared(j) >= best for j in rivals) else i

    def read(self, lines: Sequence[Line]) -> None:
        """Read every line: the loop that runs once per line of a table."""
        for number, shape in lines:
            if shape.value is not None:  # the common line: one value, nothing else
                p = self.pending
                if p is None:
                    p = self.pending = _Pending(None, None)
                p.values.append((shape.value, number))
                continue
            kind = shape.kind
            if kind == "pad" or (kind == "header" and not shape.data):
                self.flush()
                continue
            for cell in shape.cells:
                if cell.is_value or not cell.text:
                    # Values (and empty cells, within a row) go to the pending row;
                    # values with no label open an unlabelled one.
                    p = self.pending
                    if p is None:
                        if not cell.text:
                            continue
                        p = self.pending = _Pending(None, None)
                    p.values.append((cell, number))
                    continue
                self.text(cell, number)
            if len(shape.cells) >= 2:
                self.flush()
        self.flush()
        self.settle()
        self.close_block()
        self.verify()


_ITEM = re.compile(r"\d{1,2}[.,:]")
#: Row labels in a row with no values that mark text given column by column.
_COLUMN_ORDER = 3


def _subtotal_column(lines: Sequence[Line]) -> int | None:
    """Where table 三's 小计 column sits among a row's eight values, when its
    header prints one: before the five organisation columns when printed before
    商业企业, else after them (before 总计)."""
    order: list[str] = []
    for _, shape in lines:
        for cell in shape.cells:
            k = cell.key
            if k in APPLICANT_HEADERS and k not in order:
                order.append(k)
    if SUBTOTAL not in order:
        return None
    first = APPLICANT_HEADERS[1]  # the first of the five organisation columns
    if first in order and order.index(SUBTOTAL) < order.index(first):
        return 1
    return len(APPLICANT_HEADERS) - 2


def read_grid(lex: Lexicon, lines: Sequence[Line], sink: Sink) -> set[int]:
    """Read table 二 or 三 from its cells into ``sink``; the indices of rows read."""
    grid = _Grid(lex, sink)
    if lex.table == "applications":
        grid.subtotal = _subtotal_column(lines)
    grid.read(lines)
    return set(grid.filled) | grid.withdrawn


def _appeal_totals_break(vals: Sequence[CellAt], width: int) -> bool:
    """Whether, taken in order, some group's total (its last value) is not the
    sum of its results (I3 of table 四); blanks and non-numbers break nothing."""
    for start in range(0, len(vals), width):
        counts = [v for cell, _ in vals[start:start + width]
                  if isinstance(v := cell.count_value, int)]
        if len(counts) == width and sum(counts[:-1]) != counts[-1]:
            return True
    return False


def read_appeals(lex: Lexicon, lines: Sequence[Line], sink: Sink) -> bool:
    """Read table 四: fifteen values in a row (or five after each group label).
    Whether any value was found."""
    rows = lex.rows
    n = sum(len(r.columns) for r in rows)
    values: list[CellAt] = []
    marks: list[tuple[int, int]] = []
    block: list[CellAt] = []
    empty_row: Line | None = None  # a row of exactly n empty cells: a blank table
    # Whether header text stands between values: extracted text that prints
    # the header's words among the numbers (a PDF's cells one by one), where
    # the values' order is no longer certain to be the form's.
    between = interleaved = False
    for line in lines:
        number, shape = line
        if len(shape.cells) == n and not any(c.text for c in shape.cells):
            empty_row = line
        if shape.kind == "pad" or (shape.kind == "header" and not shape.data):
            continue
        data = shape.data
        for cell in shape.cells:
            if not cell.text:
                if data:
                    values.append((cell, number))
                continue
            if cell.is_value:
                sink.unplace(block, "appeals", values=False)
                block = []
                values.append((cell, number))
                interleaved = interleaved or between
                continue
            group = appeal_group(cell.key)
            if group is not None and len(cell.key) <= 16:
                marks.append((len(values), group))
                continue
            m = lex.lookup(cell.key)
            if m is not None and m.kind in ("header", "fragment", "group"):
                between = bool(values)
                continue
            block.append((cell, number))
            between = bool(values)
    sink.unplace(block, "appeals", values=False)
    if not values and empty_row is not None:
        values = [(cell, empty_row[0]) for cell in empty_row[1].cells]
    vals = _trim(values, n)
    placed: set[int] = set()

    def fill(index: int, cells: Sequence[CellAt]) -> None:
        sink.put(lex.offsets[index], lex.kinds[index], cells, 0)  # every cell has its line
        placed.add(index)

    # Runs of values after group labels (one small table per group, in any
    # order): each label places its own five values.
    runs: dict[int, list[CellAt]] = {}
    bounds = [*marks, (len(values), -1)]
    for (start, group), (end, _) in pairwise(bounds):
        run = _trim(values[start:end], len(rows[group].columns))
        if len(run) == len(rows[group].columns) and group not in runs:
            runs[group] = run
    if len(runs) == len(rows):
        for group, run in runs.items():
            fill(group, run)
        return True
    width = len(rows[0].columns)
    if len(vals) == n and not (interleaved and _appeal_totals_break(vals, width)):
        # One row of fifteen, under the header. Printed as one run, it is read
        # as printed (a total that does not add up is the report's, and rule
        # I3 says so); with header words among the numbers, only when every
        # group's total adds up, so that the order is certainly the form's.
        for i in range(len(rows)):
            fill(i, vals[i * width:(i + 1) * width])
        return True
    refs = [ref for r in rows for ref in r.refs()]

    def blank_all() -> int:
        """Leave every cell blank, as read at the first value's line; that line."""
        line = vals[0][1]
        for r in range(len(rows)):
            sink.put(lex.offsets[r], lex.kinds[r], [None] * len(rows[r].columns), line)
        return line

    if len(vals) == n:
        first = blank_all()
        printed = _texts(vals)
        sink.unplaced.append(printed)
        sink.findings.append(finding(
            "read-position-uncertain",
            f"表四（第 {first} 行起）：15 个数值与表头文字交错，按顺序放入时各组总计不等于"
            "分项之和，对应关系不确定，全部留空，数值保留为无法归位的文字",
            f"table appeals (from line {first}): the 15 values stand among the header's "
            "words and, taken in order, a group's total is not the sum of its results, so "
            "where each belongs is uncertain: the cells are left blank and the values kept "
            "as unplaced text",
            table="appeals", line=first, cells=refs, blanks=refs,
            actual=_short(printed, 200),
        ))
        return True
    if not vals:
        return False
    for group, run in runs.items():
        fill(group, run)
    if len(placed) == len(rows):
        return True
    for index in placed:  # a partial split by labels is not trusted
        first = lex.offsets[index]
        for i in range(first, first + len(rows[index].columns)):
            sink.forget(i)
    placed.clear()
    printed = _texts(vals)
    code = "read-short-row" if len(vals) < n else "read-long-row"
    first = blank_all()
    word_zh = "只有" if len(vals) < n else "却有"
    sink.findings.append(finding(
        code,
        f"表四（第 {first} 行）：应有 {n} 个数值，{word_zh} {len(vals)} 个（{_short(printed)}），"
        "无法判断对应关系，全部留空",
        f"table appeals (line {first}): expected {n} values, found {len(vals)} "
        f"({_short(printed)}); the cells are left blank",
        table="appeals", line=first, cells=refs, blanks=refs, expected=n, actual=printed,
    ))
    return True
