"""The lines drawn on the pages: cell borders, and what they part.

A table drawn with cell borders has vertical lines (``down``) and horizontal
ones (``across``). :class:`Borders` holds them on the stacked pages and says
whether two words are in different cells or in one drawn cell;
:func:`drawn` decides whether a table's cells are drawn at all (else it is read
by the positions of its text), and :func:`parted` whether a rule stands between
a label line and a row.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ._page import Line, Rule, Word

if TYPE_CHECKING:
    from ._rows import Row


class Borders:
    """The drawn lines on the stacked pages: vertical ones (``down``, by x) and
    horizontal ones (``across``, by y); a table drawn with cell borders has both."""

    __slots__ = ("across", "down", "xs", "ys")

    def __init__(self, down: Iterable[Rule] = (), across: Iterable[Rule] = ()) -> None:
        self.down = sorted(down, key=lambda r: r.x0 + r.x1)
        self.across = sorted(across, key=lambda r: r.top + r.bottom)
        self.xs = [(r.x0 + r.x1) / 2 for r in self.down]
        self.ys = [(r.top + r.bottom) / 2 for r in self.across]

    def within(self, top: float, bottom: float) -> Borders:
        """The lines that reach into the band from ``top`` to ``bottom``."""
        return Borders(
            (r for r in self.down if r.top < bottom and r.bottom > top),
            (r for r in self.across if top - 1 <= r.top <= bottom + 1),
        )

    def between_x(self, x0: float, x1: float) -> list[Rule]:
        return self.down[bisect_left(self.xs, x0):bisect_right(self.xs, x1)]

    def between_y(self, y0: float, y1: float) -> list[Rule]:
        return self.across[bisect_left(self.ys, y0):bisect_right(self.ys, y1)]

    def boxed(self, upper: Word, lower: Word, others: Sequence[Word]) -> bool:
        """Whether ``upper`` and ``lower`` are in one drawn cell that holds no
        other of ``others``: no border between them, a horizontal border above
        the one and below the other, and none of ``others`` between those
        borders without a border parting it from them."""

        def under(r: Rule) -> bool:
            return r.x0 <= upper.xc <= r.x1 or r.x0 <= lower.xc <= r.x1

        if self.apart(upper, lower):
            return False
        above = [y for r, y in zip(self.across, self.ys, strict=True)
                 if y <= upper.top + 1.0 and under(r)]
        below = [y for r, y in zip(self.across, self.ys, strict=True)
                 if y >= lower.bottom - 1.0 and under(r)]
        if not above or not below:
            return False
        top, bottom = max(above), min(below)
        return not any(w is not upper and w is not lower and top < w.y < bottom
                       and not self.apart(w, upper) for w in others)

    def apart(self, a: Word, b: Word) -> bool:
        """Whether a drawn line stands between words ``a`` and ``b``: a vertical
        one between their facing edges beside either of them, or a horizontal
        one between their lines under either of them (so they are in different
        cells)."""
        left, right = (a, b) if a.xc <= b.xc else (b, a)
        if right.x0 - left.x1 > -1.0:
            for r in self.between_x(left.x1 - 1.0, right.x0 + 1.0):
                if r.top <= a.y <= r.bottom or r.top <= b.y <= r.bottom:
                    return True
        upper, lower = (a, b) if a.y <= b.y else (b, a)
        if lower.top - upper.bottom > -1.0:
            for r in self.between_y(upper.bottom - 1.0, lower.top + 1.0):
                if (r.x0 <= a.xc <= r.x1) or (r.x0 <= b.xc <= r.x1):
                    return True
        return False


def crosses(ys: Sequence[float], rule: Rule) -> bool:
    """Whether a vertical rule crosses one of the heights ``ys`` (sorted)."""
    i = bisect_left(ys, rule.top)
    return i < len(ys) and ys[i] <= rule.bottom


def drawn(rows: Sequence[Row], borders: Borders) -> Borders | None:
    """The table's drawn lines, when its cells are drawn: vertical borders at two
    places or more cross its rows of numbers (else ``None``: a table drawn with
    horizontal lines only, or none, is read by the positions of its text). The
    first horizontal line under the last row is its bottom border, however far
    under it (``borders`` end at the table's bottom rule: see :func:`._rows.table`)."""
    top = min(r.top for r in rows)
    bottom = max(r.bottom for r in rows)
    end = bottom + rows[-1].height
    under = borders.between_y(bottom + 1.0, float("inf"))
    if under:
        end = max(end, under[0].top)
    mine = borders.within(top - 2 * rows[0].height, end)
    ys = sorted(row.y for row in rows if row.values)
    places = {round((r.x0 + r.x1) / 2) for r in mine.down if crosses(ys, r)}
    return mine if len(places) >= 2 else None


def parted(line: Line, row: Row, borders: Borders) -> bool:
    """Whether a horizontal rule under the line's text stands between it and the row."""
    x0 = min(w.x0 for w in line.words) + 1.0
    x1 = max(w.x1 for w in line.words) - 1.0
    low, high = sorted((line.y, row.y))
    return any(low < (r.top + r.bottom) / 2 < high and r.x0 <= x1 and r.x1 >= x0
               and not (line.top <= r.top <= line.bottom)
               for r in borders.between_y(low, high))
