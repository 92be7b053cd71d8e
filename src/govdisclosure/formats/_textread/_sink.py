"""What the placing of cells finds, and the small helpers every table's reader shares.

:class:`Sink` holds the cell values read (flat, in form order), their sources,
the findings, extra rows and the text that could not be placed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import cast

from ...model.cells import Blank, CellRef, CellSource, Value
from ...model.findings import Finding
from ...model.provenance import Provenance
from ...model.report import Edition
from ...model.schema import Kind, form
from ...model.tables import ExtraRow
from ._cells import CellAt
from ._findings import finding

__all__ = [
    "MAX_UNPLACED", "TABLE_ZH", "Sink", "cell_index", "short", "strip_end", "texts", "trim",
    "unpadded",
]

TABLE_ZH = {"active": "二", "applications": "三", "appeals": "四"}
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
                f"表{TABLE_ZH[table]}：另有 {more} 段文字或数值无法归位（已保留）",
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
        if None not in row and "amount" not in kinds:  # the common row: counts, all read
            cells = cast("Sequence[CellAt]", row)
            for i, (cell, at_line) in zip(range(first, end), cells, strict=True):
                values[i] = cell.count_value
                lines[i] = at_line
                if cell.count_printed is not None:
                    rich[i] = CellSource(line=at_line, printed=cell.count_printed)
            return
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
            zh = f"表{TABLE_ZH[table]}第 {line} 行：数值“{short(text)}”无法归入任何一行"
            en = f"table {table}, line {line}: values {short(text)!r} fit no row"
        else:
            text = "\n".join(c.text for c, _ in cells)
            code = "read-unplaced-text"
            zh = f"表{TABLE_ZH[table]}第 {line} 行：文字“{short(text)}”无法归位"
            en = f"table {table}, line {line}: text {short(text)!r} could not be placed"
        self.unplaced.append(text)
        self.findings.append(finding(code, zh, en, table=table, line=line, actual=text))


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def texts(cells: Sequence[CellAt]) -> str:
    return " | ".join(c.text for c, _ in cells)



def trim(values: list[CellAt], n: int) -> list[CellAt]:
    # Padding: empty cells beyond the row's width, at its end, then its start.
    vals = list(values)
    while len(vals) > n and not vals[-1][0].text:
        vals.pop()
    while len(vals) > n and not vals[0][0].text:
        vals.pop(0)
    return vals


def unpadded(vals: list[CellAt], label_line: int) -> list[CellAt]:
    """A row's values without an empty first or last cell that is a line of its
    own (``|`` alone, after the label or after the values): padding from merged
    cells and a blank cell cannot be told apart there, so such a cell does not
    make a short row whole."""
    if len(vals) < 2 or (vals[0][0].text and vals[-1][0].text):
        return vals  # the common row: no empty cell at either end
    lines = [at for _, at in vals]

    def alone(cell: CellAt) -> bool:
        return not cell[0].text and cell[1] != label_line and lines.count(cell[1]) == 1

    if len(vals) >= 2 and alone(vals[-1]):
        vals = vals[:-1]
    if len(vals) >= 2 and alone(vals[0]):
        vals = vals[1:]
    return vals


def strip_end(values: list[CellAt]) -> list[CellAt]:
    vals = list(values)
    while vals and not vals[-1][0].text:
        vals.pop()
    return vals
