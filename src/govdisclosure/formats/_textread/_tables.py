"""Placing cells into the rows of a table: one pass over the region's cells.

A label opens a row and the values after it fill it, up to the next label, a
padding line or the end of a row line. A row is filled only when its number of
values is exactly the number of its columns (after dropping padding); a row
with fewer or more is reported and left blank, because which cell is missing
cannot be known. Values with no label go to the next row of the form (the
*cursor*) when they fill whole rows; labels cut or wrapped by PDF extraction are
matched loosely, the candidate nearest the cursor winning.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from ...model.cells import Blank, CellRef, CellSource, Value
from ...model.findings import Finding
from ...model.schema import Kind, RowSpec
from ...model.tables import ExtraRow
from ._cells import Cell, Line
from ._findings import finding
from ._lexicon import Entry, Lexicon

__all__ = ["Sink", "read_appeals", "read_grid"]

_TABLE_ZH = {"active": "二", "applications": "三", "appeals": "四"}
#: Most unplaced pieces reported one finding each, per table; the rest are counted.
MAX_UNPLACED = 50


class Sink:
    """Everything the reader finds: cell values with their sources, findings,
    extra rows per table, and text it could not place."""

    def __init__(self) -> None:
        self.values: dict[CellRef, Value] = {}
        self.provenance: dict[CellRef, CellSource] = {}
        self.findings: list[Finding] = []
        self.extra_rows: dict[str, list[ExtraRow]] = {}
        self.unplaced: list[str] = []
        self.unplaced_count: dict[str, int] = {}

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

    def set(self, ref: CellRef, kind: Kind, cell: Cell | None, line: int) -> None:
        """Store one cell, converted for its column's kind."""
        if cell is None:
            self.values[ref] = Blank("")
            self.provenance[ref] = CellSource(line=line)
            return
        number = cell.number
        value: Value
        printed: str | None = None
        if number is None:
            value = Blank(cell.text)
        elif kind == "amount":
            value = number.value
            printed = cell.text if number.decorated else None
        elif number.integral:
            value = int(number.value)
            printed = cell.text if number.decorated else None
        else:
            value = Blank(cell.text)  # a fraction in a count: kept as printed
        self.values[ref] = value
        self.provenance[ref] = CellSource(line=cell.line, printed=printed)

    def unplace(self, cells: Sequence[Cell], table: str, values: bool) -> None:
        """Keep text that could not be placed, with a finding (past
        :data:`MAX_UNPLACED` findings per table, one finding counts the rest)."""
        if not cells:
            return
        count = self.unplaced_count.get(table, 0) + 1
        self.unplaced_count[table] = count
        if count > MAX_UNPLACED:
            self.unplaced.append(("\n" if not values else " | ").join(c.text for c in cells))
            return
        if values:
            text = " | ".join(c.text for c in cells)
            code = "read-unplaced-values"
            zh = f"表{_TABLE_ZH[table]}第 {cells[0].line} 行：数值“{_short(text)}”无法归入任何一行"
            en = f"table {table}, line {cells[0].line}: values {_short(text)!r} fit no row"
        else:
            text = "\n".join(c.text for c in cells)
            code = "read-unplaced-text"
            zh = f"表{_TABLE_ZH[table]}第 {cells[0].line} 行：文字“{_short(text)}”无法归位"
            en = f"table {table}, line {cells[0].line}: text {_short(text)!r} could not be placed"
        self.unplaced.append(text)
        self.findings.append(finding(code, zh, en, table=table, line=cells[0].line, actual=text))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Pending:
    __slots__ = ("extra", "label", "loose", "row", "values")

    def __init__(self, row: int | None, label: Cell | None, loose: bool = False,
                 extra: bool = False) -> None:
        self.row = row
        self.label = label
        self.loose = loose
        self.extra = extra
        self.values: list[Cell] = []


def _trim(values: list[Cell], n: int) -> list[Cell]:
    # Padding: empty cells beyond the row's width, at its end, then its start.
    vals = list(values)
    while len(vals) > n and not vals[-1].text:
        vals.pop()
    while len(vals) > n and not vals[0].text:
        vals.pop(0)
    return vals


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
        self.block: list[Cell] = []

    # --- helpers -------------------------------------------------------------

    def where(self, index: int) -> tuple[str, str]:
        row = self.rows[index]
        return f"表{_TABLE_ZH[self.table]}“{row.label}”", f"table {self.table}, row {row.key}"

    def close_block(self) -> None:
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

    def fill(self, index: int, values: Sequence[Cell | None], line: int) -> None:
        row: RowSpec = self.rows[index]
        for column, cell in zip(row.columns, values, strict=True):
            self.sink.set(CellRef(self.table, row.key, column.key), column.kind, cell, line)
        self.filled[index] = line
        self.cursor = max(self.cursor, index + 1)
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
        index, line = p.row, p.label.line
        n = len(self.rows[index].columns)
        vals = _trim(p.values, n)
        if not any(c.text for c in vals) and len(vals) < n:
            return  # a label alone (a heading, a wrapped label): its row comes later
        self.close_block()
        if index in self.filled:
            self.report("read-duplicate-row", index, line,
                        f"此行已在第 {self.filled[index]} 行读过，保留先读到的数值",
                        f"already read on line {self.filled[index]}; the first is kept",
                        actual=" | ".join(c.text for c in vals))
            return
        if p.loose:
            self.report("read-loose-label", index, line,
                        f"标签“{p.label.text}”与表格标签不完全一致，按此行读取",
                        f"label {p.label.text!r} matched loosely", actual=p.label.text)
        if len(vals) == n:
            self.fill(index, vals, line)
            return
        k = len(vals) // n
        if len(vals) > n and len(vals) % n == 0 and self.free(index + 1, k - 1, n):
            self.fill(index, vals[:n], line)
            self.place_run(vals[n:], index + 1, n)
            return
        printed = " | ".join(c.text for c in vals)
        if len(vals) < n:
            self.report("read-short-row", index, line,
                        f"应有 {n} 个数值，只有 {len(vals)} 个（{_short(printed)}），"
                        "无法判断缺少哪一格，整行留空",
                        f"expected {n} values, found {len(vals)} ({_short(printed)}); "
                        "which is missing cannot be known, so the row is left blank",
                        actual=printed, blank=True)
        else:
            self.report("read-long-row", index, line,
                        f"应有 {n} 个数值，却有 {len(vals)} 个（{_short(printed)}），整行留空",
                        f"expected {n} values, found {len(vals)} ({_short(printed)}); "
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

    def place_run(self, vals: Sequence[Cell], start: int, n: int) -> None:
        for j in range(len(vals) // n):
            chunk = vals[j * n:(j + 1) * n]
            index = start + j
            line = chunk[0].line
            self.report("read-row-by-position", index, line,
                        "数值没有可用的标签，按位置放入此行",
                        "values with no usable label, placed in this row by position",
                        actual=" | ".join(c.text for c in chunk))
            self.fill(index, chunk, line)

    def place_unlabelled(self, values: list[Cell]) -> None:
        vals = list(values)
        while vals and not vals[-1].text:
            vals.pop()
        if not vals:
            return
        self.close_block()
        if self.cursor < len(self.rows):
            n = len(self.rows[self.cursor].columns)
            if len(vals) % n == 0 and self.free(self.cursor, len(vals) // n, n):
                self.place_run(vals, self.cursor, n)
                return
        self.sink.unplace(vals, self.table, values=True)

    def place_extra(self, p: _Pending) -> None:
        assert p.label is not None
        vals = list(p.values)
        while vals and not vals[-1].text:
            vals.pop()
        if not vals:
            self.block.append(p.label)
            return
        self.close_block()
        after = self.rows[self.last].key if self.last is not None else None
        label = p.label.text
        self.sink.extra_rows.setdefault(self.table, []).append(
            ExtraRow(label=label, cells=tuple(c.text for c in vals), after=after,
                     line=p.label.line)
        )
        printed = " | ".join(c.text for c in vals)
        self.sink.findings.append(finding(
            "read-unknown-row",
            f"表{_TABLE_ZH[self.table]}第 {p.label.line} 行：“{_short(label)}”不是表格中的行，"
            "作为附加行保留",
            f"table {self.table}, line {p.label.line}: {_short(label)!r} is not a row of "
            "the form; kept as an extra row",
            table=self.table, row=after, line=p.label.line, actual=f"{label} | {printed}",
        ))

    def text(self, cell: Cell) -> None:
        m = self.lex.lookup(cell.key)
        if m is None:
            self.flush()
            if cell.key.startswith("(") and cell.key.endswith(")"):
                self.block.append(cell)  # a note in brackets labels no row
            else:
                self.pending = _Pending(None, cell, extra=True)
            return
        if m.kind == "fragment":
            return
        if m.kind == "header":
            self.flush()
            return
        if m.kind == "group":
            self.flush()
            self.close_block()
            index = self.resolve(m.entries)
            self.cursor = max(self.cursor, index)
            return
        index = self.resolve(m.entries)
        p = self.pending
        if p is not None and p.row == index and not any(c.text for c in p.values):
            p.loose = p.loose and m.loose
            return
        self.flush()
        self.pending = _Pending(index, cell, loose=m.loose)

    def line(self, line: Line) -> None:
        if line.kind == "pad":
            self.flush()
            return
        if line.kind == "header" and not line.has_data:
            self.flush()
            return
        for cell in line.cells:
            if not cell.text:
                p = self.pending
                if p is not None:
                    p.values.append(cell)
                continue
            if cell.is_value:
                if self.pending is None:
                    self.pending = _Pending(None, None)
                self.pending.values.append(cell)
                continue
            self.text(cell)
        if len(line.cells) >= 2:
            self.flush()

    def finish(self) -> None:
        self.flush()
        self.close_block()


def read_grid(lex: Lexicon, lines: Sequence[Line], sink: Sink) -> set[int]:
    """Read table 二 or 三 from its cells into ``sink``; the indices of rows read."""
    grid = _Grid(lex, sink)
    for line in lines:
        grid.line(line)
    grid.finish()
    return set(grid.filled)


def _appeal_group(cell_key: str) -> int | None:
    if "未经复议" in cell_key or "直接起诉" in cell_key:
        return 1
    if "复议后" in cell_key:
        return 2
    if "行政复议" in cell_key and "诉讼" not in cell_key:
        return 0
    return None


def read_appeals(lex: Lexicon, lines: Sequence[Line], sink: Sink) -> bool:
    """Read table 四: fifteen values in a row (or five after each group label).
    Whether any value was found."""
    rows = lex.rows
    n = sum(len(r.columns) for r in rows)
    values: list[Cell] = []
    marks: list[tuple[int, int]] = []
    block: list[Cell] = []
    empty_row: Line | None = None  # a row of exactly n empty cells: a blank table
    for line in lines:
        if len(line.cells) == n and not any(c.text for c in line.cells):
            empty_row = line
        if line.kind == "pad" or (line.kind == "header" and not line.has_data):
            continue
        data = line.has_data
        for cell in line.cells:
            if not cell.text:
                if data:
                    values.append(cell)
                continue
            if cell.is_value:
                sink.unplace(block, "appeals", values=False)
                block = []
                values.append(cell)
                continue
            group = _appeal_group(cell.key)
            if group is not None and len(cell.key) <= 16:
                marks.append((len(values), group))
                continue
            m = lex.lookup(cell.key)
            if m is not None and m.kind in ("header", "fragment", "group"):
                continue
            block.append(cell)
    sink.unplace(block, "appeals", values=False)
    if not values and empty_row is not None:
        values = list(empty_row.cells)
    vals = _trim(values, n)
    placed: set[int] = set()

    def fill(index: int, cells: Sequence[Cell]) -> None:
        row = rows[index]
        for column, cell in zip(row.columns, cells, strict=True):
            sink.set(CellRef("appeals", row.key, column.key), column.kind, cell, cell.line)
        placed.add(index)

    if len(vals) == n:
        width = len(rows[0].columns)
        for i in range(len(rows)):
            fill(i, vals[i * width:(i + 1) * width])
        return True
    if not vals:
        return False
    # Runs of values after group labels (one small table per group).
    bounds = [*marks, (len(values), -1)]
    for (start, group), (end, _) in pairwise(bounds):
        run = _trim(values[start:end], len(rows[group].columns))
        if len(run) == len(rows[group].columns) and group not in placed:
            fill(group, run)
    if len(placed) == len(rows):
        return True
    for index in placed:  # a partial split by labels is not trusted
        for column in rows[index].columns:
            ref = CellRef("appeals", rows[index].key, column.key)
            sink.values.pop(ref, None)
            sink.provenance.pop(ref, None)
    placed.clear()
    printed = " | ".join(c.text for c in vals)
    code = "read-short-row" if len(vals) < n else "read-long-row"
    refs = [ref for r in rows for ref in r.refs()]
    first = vals[0].line
    for ref in refs:
        sink.set(ref, "count", None, first)
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

