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
from collections.abc import Sequence
from decimal import Decimal

from ...model._normalise import key
from ...model.labels import (
    APPLICANT_HEADERS,
    LEGAL_PERSONS,
    NOTE_MARKS,
    SUBTOTAL,
    Entry,
    Lexicon,
)
from ...model.tables import ExtraRow
from ._cells import Cell, CellAt, Line, Shape
from ._findings import finding
from ._placement import Certainty, Run, row_ends_at
from ._sink import TABLE_ZH, Sink, short, strip_end, texts, trim, unpadded

__all__ = ["read_grid"]


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



class _Grid(Certainty):
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
        self.total_first = False
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
        self.runs: dict[int, Run] = {}
        self.withdrawn: set[int] = set()

    # --- helpers -------------------------------------------------------------

    def where(self, index: int) -> tuple[str, str]:
        row = self.rows[index]
        return f"表{TABLE_ZH[self.table]}“{row.label}”", f"table {self.table}, row {row.key}"

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

    def conflicts(self, index: int, vals: Sequence[CellAt]) -> bool:
        """Whether a row read again holds a number other than the one its first
        reading stored in the same cell (blanks and rows of another width are
        not compared)."""
        kinds = self.lex.kinds[index]
        if len(vals) != len(kinds):
            return False
        first = self.lex.offsets[index]
        stored = self.sink.values[first:first + len(kinds)]
        for kind, (cell, _), old in zip(kinds, vals, stored, strict=True):
            new = cell.amount_value if kind == "amount" else cell.count_value
            if isinstance(new, (int, Decimal)) and isinstance(old, (int, Decimal)) and new != old:
                return True
        return False

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
        vals = p.values
        if (len(vals) == n and not self.block and index not in self.filled and not p.loose
                and (n < 2 or (vals[0][0].text and vals[-1][0].text))):
            # The common row: exactly its values, no empty cell at either end
            # (:func:`unpadded`), nothing to withdraw (a row placed by position
            # is filled) or report: what the steps below come to for it.
            self.fill(index, vals, line)
            return
        vals = p.values if len(p.values) <= n else trim(p.values, n)
        if vals is not p.values and self.table == "applications" and _total_printed(vals):
            vals = strip_end(vals)  # padding, not a blank 总计: a cell is missing
        if self.subtotal is not None and len(vals) == n + 1:
            vals = self.take_subtotal(index, vals, line)
        if self.total_first and len(vals) == n and vals[0][1] != vals[-1][1]:
            vals = [*vals[1:], vals[0]]  # 总计 first, over several lines (see read_grid)
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
            first = self.filled[index]
            if self.conflicts(index, vals):
                self.report("read-conflicting-row", index, line,
                            f"此行已在第 {first} 行读过，此处数值不同，无法确定哪一份正确；"
                            "保留先读到的数值",
                            f"already read on line {first} with other numbers; which copy is "
                            "right cannot be told, the first is kept", actual=texts(vals))
            else:
                self.report("read-duplicate-row", index, line,
                            f"此行已在第 {first} 行读过，保留先读到的数值",
                            f"already read on line {first}; the first is kept",
                            actual=texts(vals))
            return
        if p.loose:
            self.report("read-loose-label", index, line,
                        f"标签“{label.text}”与表格标签不完全一致，按此行读取",
                        f"label {label.text!r} matched loosely", actual=label.text)
        if len(vals) == n:
            kept = unpadded(vals, line)
            if len(kept) == n:
                self.fill(index, vals, line)
                return
            vals = kept  # a padding line counted as a cell: a short row
        if len(vals) > n and self.alone >= _COLUMN_ORDER:
            self.column_order(vals)  # the labels' values, all after the last label
            return
        if len(vals) > n and row_ends_at(vals, n) and self.broken(index, vals[:n]) is None:
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
        printed = texts(vals)
        if len(vals) < n:
            self.report("read-short-row", index, line,
                        f"应有 {n} 个数值，只有 {len(vals)} 个（{short(printed)}），"
                        "无法判断缺少哪一格，整行留空",
                        f"expected {n} values, found {len(vals)} ({short(printed)}); "
                        "which is missing cannot be known, so the row is left blank",
                        actual=printed, blank=True)
        else:
            why_zh = f"；这些数值{reason[1]}，无法按位置分入以下各行" if reason else ""
            why_en = (f"; the values, {reason[2]}, cannot be placed in the rows below by "
                      "position") if reason else ""
            self.report("read-long-row", index, line,
                        f"应有 {n} 个数值，却有 {len(vals)} 个（{short(printed)}）{why_zh}，"
                        "整行留空",
                        f"expected {n} values, found {len(vals)} ({short(printed)}){why_en}; "
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
        run = Run(list(range(start, start + len(vals) // n)), vals)
        for j, index in enumerate(run.rows):
            chunk = vals[j * n:(j + 1) * n]
            line = chunk[0][1]
            self.report("read-row-by-position", index, line,
                        "数值没有可用的标签，按位置放入此行",
                        "values with no usable label, placed in this row by position",
                        actual=texts(chunk))
            run.findings.append(self.sink.findings[-1])
            self.fill(index, chunk, line)
            self.runs[index] = run

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
        printed = texts(vals)
        name = label[0].text
        self.sink.findings.append(finding(
            "read-combined-row",
            f"表{TABLE_ZH[self.table]}（第 {line} 行）：“{name}”印成一行（{short(printed)}），"
            f"是其 {len(members)} 个分项之和；分项各格留空（和为 0 时 infer 可填为 0）",
            f"table {self.table} (line {line}): {name!r} is printed as one row "
            f"({short(printed)}), the sum of its {len(members)} sub-rows; the sub-rows are "
            "left blank (infer fills them when the sum is 0)",
            table=self.table, row=self.rows[first].group, line=line, cells=refs, blanks=refs,
            actual=printed,
        ))
        return True

    def place_unlabelled(self, values: list[CellAt]) -> None:
        vals = strip_end(values)
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

    def place_extra(self, p: _Pending) -> None:
        assert p.label is not None
        vals = strip_end(p.values)
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
            f"表{TABLE_ZH[self.table]}第 {line} 行：“{short(label)}”不是表格中的行，"
            "作为附加行保留",
            f"table {self.table}, line {line}: {short(label)!r} is not a row of "
            "the form; kept as an extra row",
            table=self.table, row=after, line=line, actual=f"{label} | {texts(vals)}",
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
        kind = m.kind
        if kind == "fragment":
            return
        if kind == "header":
            self.flush()
            self.group_open = None
            return
        if kind == "group":
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

    def amid(self, cells: Sequence[Cell], j: int, line: int) -> bool:
        """Whether the text cell ``cells[j]`` is a cell of the labelled row being
        read that holds words where a number stands (``一`` typed for a dash,
        ``暂无``, ``&#160;``): the row's label or values before it on its line,
        and with the values after it (up to the last) it makes the row exactly
        as wide as the form's; it holds no label of the form, nor a note in
        brackets right after the label (the label's own note, unless it is a
        mark such as ``(注)``). It is then read as a blank with its text in its place:
        dropping it would shift the values after it a column left."""
        p = self.pending
        if p is None or p.row is None or p.label is None:
            return False
        values = p.values
        if (values[0][1] != line) if values else (p.label[1] != line):
            return False  # the row's values (or its label) began on another line
        before = sum(at == line for _, at in values)
        if before != len(values):
            return False
        after = 0
        for k in range(len(cells) - 1, j, -1):
            if cells[k].is_value and cells[k].text:
                after = k - j
                break
        if before + 1 + after != self.lex.widths[p.row]:
            return False
        text_key = cells[j].key
        m = self.lex.lookup(text_key)
        if m is None:
            # A note in brackets right after the label may be the label's own;
            # after values, or a note mark (``(注)``), it is the row's cell.
            return (not text_key.startswith("(") or before > 0
                    or NOTE_MARKS.fullmatch(text_key) is not None)
        return m.kind == "fragment"

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
        # The values of the pending row while no other line has been read
        # (any other line may close it or open another).
        values: list[CellAt] | None = None
        for number, shape in lines:
            value = shape.value
            if value is not None:  # the common line: one value, nothing else
                if values is None:
                    p = self.pending
                    if p is None:
                        p = self.pending = _Pending(None, None)
                    values = p.values
                values.append((value, number))
                continue
            values = None
            kind = shape.kind
            if kind == "pad" or (kind == "header" and not shape.data):
                self.flush()
                continue
            cells = shape.cells
            for j, cell in enumerate(cells):
                if cell.is_value or not cell.text or self.amid(cells, j, number):
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


def _total_printed(vals: Sequence[CellAt]) -> bool:
    """Whether a row of table 三 whose trailing empty cells were partly padding
    (pipe text pads rows to the grid's width) may print its 总计 before them:
    its last number is at least the sum of the numbers before it, as a 总计 is
    when a cell is missing (``2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 |||``). The empty
    cells after it may then all be padding, the row short by a cell (which one
    cannot be known), and reading the last as a blank 总计 would put the total
    in 其他: the row is short. (The text writer pads no row whose 总计 is blank.)"""
    if not vals or vals[-1][0].text:
        return False
    numbers = [c.count_value for c, _ in strip_end(list(vals))]
    counts = [v for v in numbers if isinstance(v, int)]
    if len(counts) < 2 or len(counts) != len(numbers):
        return False
    return counts[-1] >= sum(counts[:-1])


#: Row labels in a row with no values that mark text given column by column.
_COLUMN_ORDER = 3


def _subtotal_column(lines: Sequence[Line], labels: str) -> int | None:
    """Where table 三's 小计 column sits among a row's eight values, when its
    header prints one: before the five organisation columns when printed before
    商业企业, else after them (before 总计). ``labels`` is the lines' label
    text (:func:`label_text`)."""
    # A 小计 cell is a label: its key is in the lines' label text (most tables
    # print no 小计, and are done here).
    if SUBTOTAL not in labels:
        return None
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


def _total_first(lines: Sequence[Line], labels: str) -> bool:
    """Whether table 三's header prints its 总计 column first, before 自然人
    (``labels``: the lines' label text, in which the header comes before the
    row label （七）总计), and no row printed whole on a line says otherwise
    (its last value the sum of the others, its first not). Only rows printed
    whole on a line are then moved (:func:`_total_last`)."""
    total = labels.find(APPLICANT_HEADERS[-1])
    if not 0 <= total < labels.find(APPLICANT_HEADERS[0]):
        return False
    width = len(APPLICANT_HEADERS) - 1  # the seven columns, no 小计
    for _, shape in lines:
        ints = [v for c in shape.cells if isinstance(v := c.count_value, int)]
        if (len(ints) == width and ints[-1] == sum(ints[:-1])
                and ints[0] != sum(ints[1:])):
            return False
    return True


def _total_last(shape: Shape) -> Shape:
    """A line of table 三 that prints a row's seven values with the 总计
    first, with the 总计 moved last (the form's order); other lines as they are."""
    cells = shape.cells
    at = [j for j, c in enumerate(cells) if c.is_value and c.text]
    if len(at) != len(APPLICANT_HEADERS) - 1 or at[-1] - at[0] != len(at) - 1:
        return shape
    first, last = at[0], at[-1]
    moved = (*cells[:first], *cells[first + 1: last + 1], cells[first], *cells[last + 1:])
    return Shape(moved, shape.kind, shape.labels, shape.value, shape.data)


def read_grid(lex: Lexicon, lines: Sequence[Line], sink: Sink, labels: str) -> set[int]:
    """Read table 二 or 三 from its cells into ``sink``; the indices of rows read.
    ``labels`` is the lines' label text (:func:`~._cells.label_text`)."""
    grid = _Grid(lex, sink)
    if lex.table == "applications":
        grid.subtotal = _subtotal_column(lines, labels)
        if grid.subtotal is None and _total_first(lines, labels):
            grid.total_first = True
            lines = [(number, _total_last(shape)) for number, shape in lines]
    grid.read(lines)
    return set(grid.filled) | grid.withdrawn

