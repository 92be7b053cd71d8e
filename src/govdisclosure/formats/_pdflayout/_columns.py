"""A table's value columns: from its header cells, its drawn cells, or where
its numbers stand.

:class:`Header` builds the columns of a header band from its cells' x-positions
(the lowest header line first, then header cells standing alone higher up);
:func:`band_columns` chooses, for the rows under one header, between the drawn
cells (:func:`_cuts`), the columns the numbers themselves fill
(:func:`_number_columns`) and the header's; :func:`column_of` puts a number in
its column.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import attrs

from ..._methods import fields_repr
from ._borders import Borders, crosses
from ._page import Line, Rule, Word, lines_of

if TYPE_CHECKING:
    from ._rows import Row


@attrs.define(slots=True)
class Column:
    __repr__ = fields_repr
    x0: float
    x1: float
    words: list[Word]

    def overlap(self, word: Word) -> float:
        return min(self.x1, word.x1) - max(self.x0, word.x0)


@attrs.define(slots=True)
class Header:
    """A header band: its lines of text, and the value columns they define."""

    __repr__ = fields_repr

    lines: list[Line]
    columns: list[Column] = attrs.field(factory=list)
    spanning: list[Word] = attrs.field(factory=list)
    stub: list[Word] = attrs.field(factory=list)  # the label column's header

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)

    @property
    def bottom(self) -> float:
        return max(line.bottom for line in self.lines)

    def build(self, left: float) -> None:
        """The value columns: the lowest header cells first, then each cell higher up
        standing over no column found yet; a cell over several columns (法人或其他组织)
        spans them and adds none. Cells wholly left of the first value are the
        label column's header."""
        words = [w for line in self.lines for w in line.words]
        for word in sorted(words, key=lambda w: -w.bottom):
            if word.xc < left:
                self.stub.append(word)
                continue
            over = [c for c in self.columns if c.overlap(word) > 0]
            if not over:
                self.columns.append(Column(word.x0, word.x1, [word]))
            elif len(over) == 1 and self._within(over[0], word) and (
                over[0].overlap(word) >= 0.6 * (word.x1 - word.x0)
                or 0 <= min(w.top for w in over[0].words) - word.bottom < 0.8 * word.height
            ):
                c = over[0]  # one cell printed over two lines (商业 / 企业, 结果维 / 持)
                c.x0, c.x1 = min(c.x0, word.x0), max(c.x1, word.x1)
                c.words.append(word)
            else:
                self.spanning.append(word)
        self.columns.sort(key=lambda c: c.x0)

    def _within(self, column: Column, word: Word) -> bool:
        """Whether ``word`` stays within ``column``'s cell: not past halfway to the
        columns beside it (a header centred over several narrow columns is not)."""
        left = [c.x1 for c in self.columns if c.x1 <= column.x0]
        right = [c.x0 for c in self.columns if c.x0 >= column.x1]
        return ((not left or word.x0 >= (max(left) + column.x0) / 2)
                and (not right or word.x1 <= (column.x1 + min(right)) / 2))

    def cells(self) -> list[list[str]]:
        """The band as header rows: the spanning cells line by line, then one row of
        the label column's header and every column's text."""
        rows: list[list[str]] = [
            [w.text for w in line.words] for line in lines_of(self.spanning)
        ]
        stub = "".join(w.text for w in sorted(self.stub, key=lambda w: (w.top, w.x0)))
        leaf = ["".join(w.text for w in sorted(c.words, key=lambda w: w.top))
                for c in self.columns]
        rows.append(([stub] if stub else []) + leaf)
        return rows


def column_of(columns: Sequence[Column], word: Word) -> int:
    """The column a number stands in: the one its middle is in, else the one it
    overlaps most, else the nearest."""
    for i, c in enumerate(columns):
        if c.x0 <= word.xc <= c.x1:
            return i
    best, best_overlap = -1, 0.0
    for i, c in enumerate(columns):
        overlap = c.overlap(word)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    if best >= 0:
        return best
    return min(range(len(columns)),
               key=lambda i: abs((columns[i].x0 + columns[i].x1) / 2 - word.xc))


def band_columns(band: Sequence[Row], ruled: Borders | None,
                 left: float) -> list[Column] | None:
    """A band's value columns: its drawn cells where they are drawn, else the
    columns its numbers stand in where those are certain and no fewer than the
    header's, else the header's (a column blank in every row has only a header
    cell to show it)."""
    header = band[0].header
    if ruled is not None:
        cuts = _cuts(band, ruled.down, left)
        if cuts is not None:
            return [Column(a, b, []) for a, b in pairwise(cuts)]
    have = len(header.columns) if header is not None else 0
    found = _number_columns(band, have)
    if found is not None:
        return found
    return header.columns if header is not None and header.columns else None


def _number_columns(band: Sequence[Row], have: int) -> list[Column] | None:
    """The columns the band's numbers stand in: as many as the most numbers that
    two rows hold (or the one row, in a band of one), each column the span of
    those rows' numbers in it, when every row with fewer numbers then has them
    in distinct columns in order (a row with more holds two numbers in one
    cell: they are kept together there). ``None`` when that fails, or when the
    rows fill fewer columns than the header has (``have``)."""
    ordered = [sorted(r.values, key=lambda w: w.x0) for r in band if r.values]
    if not ordered:
        return None
    counts = sorted((len(vs) for vs in ordered), reverse=True)
    most = counts[1] if len(counts) > 1 else counts[0]
    if most < have or most == 0:
        return None
    full = [vs for vs in ordered if len(vs) == most]
    columns = [Column(min(vs[i].x0 for vs in full), max(vs[i].x1 for vs in full), [])
               for i in range(most)]
    if any(a.x1 >= b.x0 for a, b in pairwise(columns)):
        return None
    for vs in ordered:
        at = [column_of(columns, w) for w in vs]
        if len(vs) <= most and any(a >= b for a, b in pairwise(at)):
            return None
    return columns


def _cuts(band: Sequence[Row], down: Sequence[Rule], left: float) -> list[float] | None:
    """The borders of a band's value columns, where its cells are drawn: the
    vertical borders crossing its rows of numbers (a border drawn twice, or by
    cells on two pages, is one), from the border at the left of the value
    columns (``left``: the first number, or a header cell right of every row
    label) to the table's right edge. Each number then goes to the cell it
    stands in, wherever in the cell it is printed, and the header's text does not
    decide the columns (a header cell wider than its column, a header whose
    cells do not line up with the cells below). ``None`` where a number stands
    outside those cells: the header's columns are used instead."""
    valued = [r for r in band if r.values]
    if not valued:
        return None
    ys = sorted(row.y for row in valued)
    xs = sorted((r.x0 + r.x1) / 2 for r in down if crosses(ys, r))
    places: list[float] = []
    for x in xs:
        if places and x - places[-1] <= 3.0:
            continue
        places.append(x)
    start = [x for x in places if x <= left + 2.5]
    if not start:
        return None
    cuts = [x for x in places if x >= start[-1]]
    if len(cuts) < 2 or any(
        not cuts[0] < w.xc < cuts[-1] for row in valued for w in row.values
    ):
        return None
    # Borders that leave numbers side by side on one line in one cell (a table in
    # a frame without lines between its columns) do not draw its columns.
    for row in valued:
        ordered = sorted(row.values, key=lambda w: w.x0)
        for a, b in pairwise(ordered):
            if b.top < a.bottom and a.top < b.bottom and not any(
                    a.xc < x < b.xc for x in cuts):
                return None
    return cuts
