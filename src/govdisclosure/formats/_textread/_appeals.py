"""Reading table 四: fifteen values in a row, or five after each group label."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from ...model.labels import Lexicon, appeal_group, key
from ._cells import CellAt, Line
from ._findings import finding
from ._sink import Sink, short, texts, trim

__all__ = ["read_appeals"]


def _appeal_totals_break(vals: Sequence[CellAt], width: int) -> bool:
    """Whether, taken in order, some group's total (its last value) is not the
    sum of its results (I3 of table 四); blanks and non-numbers break nothing."""
    for start in range(0, len(vals), width):
        counts = [v for cell, _ in vals[start:start + width]
                  if isinstance(v := cell.count_value, int)]
        if len(counts) == width and sum(counts[:-1]) != counts[-1]:
            return True
    return False


def _total_last(vals: Sequence[CellAt], width: int) -> list[CellAt]:
    """Values whose groups print their 总计 first, each group in the form's
    order (the 总计 last)."""
    out: list[CellAt] = []
    for start in range(0, len(vals), width):
        group = vals[start:start + width]
        out += [*group[1:], *group[:1]]
    return out


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
    # The first and last column's header words, in the order first printed:
    # a header printing 总计 before 结果维持 prints each group's 总计 first.
    ends = (key(rows[0].columns[0].label), key(rows[0].columns[-1].label))
    order: list[str] = []
    for line in lines:
        number, shape = line
        if len(shape.cells) == n and not any(c.text for c in shape.cells):
            empty_row = line
        if shape.kind == "pad" or (shape.kind == "header" and not shape.data):
            continue
        data = shape.data
        cells = shape.cells
        for j, cell in enumerate(cells):
            if not cell.text:
                if data:
                    values.append((cell, number))
                continue
            if cell.is_value:
                if block:
                    sink.unplace(block, "appeals", values=False)
                    block = []
                values.append((cell, number))
                interleaved = interleaved or between
                continue
            if len(order) < 2:  # (a header line's words may be one cell)
                order += [e for _, e in sorted((cell.key.find(e), e) for e in ends
                                               if e in cell.key and e not in order)]
            group = appeal_group(cell.key)
            if group is not None and len(cell.key) <= 16:
                marks.append((len(values), group))
                continue
            m = lex.lookup(cell.key)
            if m is not None and m.kind in ("header", "fragment", "group"):
                between = bool(values)
                continue
            if m is None and values and values[-1][1] == number and (
                    any(c.is_value and c.text for c in cells[j + 1:])
                    or sum(at == number for _, at in values) + 1 == n):
                # Words among the row's values (暂无, &#160;), or as its last
                # cell: a blank in its place.
                values.append((cell, number))
                continue
            block.append((cell, number))
            between = bool(values)
    sink.unplace(block, "appeals", values=False)
    if not values and empty_row is not None:
        values = [(cell, empty_row[0]) for cell in empty_row[1].cells]
    vals = trim(values, n)
    width = len(rows[0].columns)
    total_first = order == [ends[1], ends[0]] and not (
        # unless, taken in the form's order, every group's total adds up
        # and, moved, some does not
        len(vals) == n and not _appeal_totals_break(vals, width)
        and _appeal_totals_break(_total_last(vals, width), width))
    if total_first and len(vals) % width == 0:
        vals = _total_last(vals, width)
    placed: set[int] = set()

    def fill(index: int, cells: Sequence[CellAt]) -> None:
        sink.put(lex.offsets[index], lex.kinds[index], cells, 0)  # every cell has its line
        placed.add(index)

    # Runs of values after group labels (one small table per group, in any
    # order): each label places its own five values.
    runs: dict[int, list[CellAt]] = {}
    bounds = [*marks, (len(values), -1)]
    for (start, group), (end, _) in pairwise(bounds):
        run = trim(values[start:end], len(rows[group].columns))
        if len(run) == len(rows[group].columns) and group not in runs:
            runs[group] = _total_last(run, width) if total_first else run
    if len(runs) == len(rows):
        for group, run in runs.items():
            fill(group, run)
        return True
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
        printed = texts(vals)
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
            actual=short(printed, 200),
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
    printed = texts(vals)
    code = "read-short-row" if len(vals) < n else "read-long-row"
    first = blank_all()
    word_zh = "只有" if len(vals) < n else "却有"
    sink.findings.append(finding(
        code,
        f"表四（第 {first} 行）：应有 {n} 个数值，{word_zh} {len(vals)} 个（{short(printed)}），"
        "无法判断对应关系，全部留空",
        f"table appeals (line {first}): expected {n} values, found {len(vals)} "
        f"({short(printed)}); the cells are left blank",
        table="appeals", line=first, cells=refs, blanks=refs, expected=n, actual=printed,
    ))
    return True
