"""A table region's rows: numbers into rows, labels onto them, rows across pages.

Between the heading of table 二, 三 or 四 and the next section heading, the
lines holding numbers are the table's rows (:class:`Row`); a number wrapped in
its narrow cell is joined first. Header bands are found above and beside the
rows (a header printed again on the next page is dropped), and label text
above, below or beside a row's numbers (a wrapped label, a label printed
across two lines with the numbers centred between them, a label split by a
page break) joins the row whose band it lies in; a label line standing apart
from every row is a row printed all blank. :func:`table` gives the region as
lines of cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..._methods import fields_repr
from ...model._normalise import key, strip_enumerator
from ._borders import Borders, drawn, parted
from ._columns import Column, Header, band_columns, column_of
from ._labels import Grid, label_grid, label_parts, place_groups, vertical
from ._page import NUMBER, Line, Placed, Word, is_value, lines_of, merge


@attrs.define(slots=True)
class Row:
    """A table row: its numbers (none in a row printed all blank), where it stands
    (its numbers, or its label when it has none), and its labels."""

    __repr__ = fields_repr

    values: list[Word]
    top: float
    bottom: float
    height: float
    page: int
    labels: list[Word] = attrs.field(factory=list)
    groups: list[Word] = attrs.field(factory=list)
    header: Header | None = None
    columns: list[Column] | None = None  # its band's value columns
    grid: Grid | None = None  # what tells its label cells apart

    @classmethod
    def of(cls, values: list[Word]) -> Row:
        return cls(values, min(v.top for v in values), max(v.bottom for v in values),
                   max(v.height for v in values), values[0].page)

    @classmethod
    def blank(cls, line: Line) -> Row:
        return cls([], line.top, line.bottom, line.bottom - line.top, line.words[0].page,
                   labels=list(line.words))

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2

    def label_cells(self) -> list[str]:
        """The row's label as cells: its group labels, then its own label's parts
        (a part wrapped over lines joined top to bottom)."""
        groups = [g.text for g in sorted(self.groups, key=lambda w: w.x0)]
        return groups + [merge(part).text for part in label_parts(self.labels, self.grid)]

    def value_cells(self) -> tuple[list[str], list[Placed | None]]:
        """The row's values by column: an empty cell where no number stands in a
        column; two numbers in one column are kept together in reading order
        (the decoder reads them as one number wrapped in its cell, or reports
        the cell)."""
        if not self.columns:
            ordered = sorted(self.values, key=lambda w: w.x0)
            return [w.text for w in ordered], [w.placed() for w in ordered]
        cells: list[list[Word]] = [[] for _ in self.columns]
        for word in sorted(self.values, key=lambda w: w.x0):
            cells[column_of(self.columns, word)].append(word)
        cells = [[w for line in lines_of(ws) for w in line.words] if len(ws) > 1 else ws
                 for ws in cells]
        return (
            [" ".join(w.text for w in ws) for ws in cells],
            [ws[0].placed() if ws else None for ws in cells],
        )


_Out = tuple[float, list[str], Placed, tuple[Placed | None, ...] | None]


def table(words: list[Word], borders: Borders | None = None,
          below: float = float("inf")) -> list[_Out]:
    """A table region as lines of cells in reading order, each with its y, where it
    stood, and for a row where each value cell stood. ``borders`` are the lines
    drawn on the pages: a label never joins a row across a horizontal one, and
    where the table's cells are drawn, they give its cells (see
    :func:`._columns.band_columns`). ``below`` is where the next text after the
    region stands: the first horizontal line under the region's text and above
    it is the table's bottom rule, however far under the last line it is drawn."""
    if not words:
        return []
    borders = borders or Borders()
    bottom = max(w.bottom for w in words)
    under = [r for r in borders.between_y(bottom + 1.0, below) if r.bottom < below]
    if under:
        bottom = max(bottom, under[0].top)
    borders = borders.within(min(w.top for w in words) - 1.0, bottom + 1.0)
    across = borders.across
    values = [w for w in words if is_value(w)]
    texts = [w for w in words if not is_value(w)]
    if not values:
        return [(line.y, [w.text for w in line.words], line.words[0].placed(), None)
                for line in lines_of(vertical(texts))]
    rows = [Row.of(line.words) for line in lines_of(values)]
    ruled = drawn(rows, borders)
    texts = vertical(texts, ruled)
    if ruled is not None:
        joined = wrapped_numbers(values, ruled)
        if len(joined) < len(values):
            values = joined
            rows = [Row.of(line.words) for line in lines_of(values)]
    else:
        rows = fragments_joined(rows)
    # Where the value columns start: at the first number, or further left at a
    # header line standing wholly right of every row label (columns with few
    # numbers, such as a table whose first columns are all blank).
    bands = [(r.y, 0.5 * r.height) for r in rows]
    label_right = max((w.x1 for w in texts
                       if any(abs(w.y - y) <= d for y, d in bands)), default=-1e9)
    left = min([w.x0 for w in values]
               + [ln.words[0].x0 for ln in lines_of(texts)
                  if ln.bottom <= rows[0].top and ln.words[0].x0 >= label_right]) - 2.0
    # A table split over pages may print its header again on the next page: such
    # a repeat is dropped, line by line, its lines matched by text and x.
    text_lines = lines_of(texts)
    heading = {(ln.text, round(ln.words[0].x0)) for ln in text_lines if ln.bottom <= rows[0].top}
    text_lines = [ln for ln in text_lines
                  if ln.bottom <= rows[0].top or (ln.text, round(ln.words[0].x0)) not in heading]
    # Header bands: text lines above the first row, and lines reaching into the
    # value columns away from every row (a block caption and header of table 二).
    headers: list[Header] = []
    loose: list[Line] = []
    labels: list[Line] = []
    # Below the header's lowest cell over the value columns, label text above the
    # first row is a row's label (rows printed all blank come first).
    header_end = max((ln.bottom for ln in text_lines if ln.bottom <= rows[0].top
                      and any(w.x1 >= left for w in ln.words)), default=-1e9)
    for line in text_lines:
        beside = any(r.top - r.height <= line.y <= r.bottom + r.height for r in rows)
        level = any(r.top - 0.25 * r.height <= line.y <= r.bottom + 0.25 * r.height
                    for r in rows)
        above_all = line.bottom <= rows[0].top and not beside and line.top < header_end
        if above_all or (not level and any(w.x1 >= left for w in line.words)):
            after = [r for r in rows if r.bottom <= line.top]
            if headers and not any(r.top >= headers[-1].bottom for r in after):
                headers[-1].lines.append(line)
            else:
                headers.append(Header([line]))
        else:
            labels.append(line)
    for header in headers:
        header.build(left)
    # Label lines join the nearest row not parted from them by a rule, when near
    # enough to be its label; a label line level with no row, parted by rules
    # from the rows beside it (or, where no rules are drawn, over one and a half
    # rows away from them), is a row printed all blank.
    valued = list(rows)
    wrapped = _wrapped_lines(labels)
    placed: list[tuple[Line, Row]] = []  # label lines given to a row, undrawn tables
    for line in labels:
        if ruled is not None and len(line.words) > 1:
            # In drawn cells each word joins the row of its own cell: a line of
            # text runs through the cells of several rows (the end of one row's
            # wrapped label beside the start of the next one's).
            homeless = []
            for word in line.words:
                alone = Line([word])
                home = next((r for r in sorted(rows, key=lambda r: abs(r.y - word.y))
                             if not parted(alone, r, borders)), None)
                if home is None:
                    homeless.append(word)
                else:
                    home.labels.append(word)
            if not homeless:
                continue
            line = Line(homeless)
        near = sorted(rows, key=lambda r: abs(r.y - line.y))
        # In drawn cells, a label wrapped over many lines (a narrow column, a
        # row split by a page break) belongs to the row no border parts it from.
        row = next((r for r in (near if ruled else near[:3])
                    if not parted(line, r, borders)), None)
        level = any(abs(r.y - line.y) <= 0.6 * r.height for r in valued)
        if ruled is None and not level:
            # Without borders, the last line of a label wrapped in its cell
            # (touching the line above, not the line below, and not starting a
            # label of its own) goes on that label, however near the next row.
            above = _continues(line, placed, labels)
            if above is not None:
                above.labels.extend(line.words)
                placed.append((line, above))
                continue
        tall = line.bottom - line.top > 2 * near[0].height
        if not level and not tall and (
            (across and row is None)
            or (not across and id(line) not in wrapped
                and abs(near[0].y - line.y) > 1.6 * near[0].height)
        ):
            rows.append(Row.blank(line))
            rows.sort(key=lambda r: r.top)
            continue
        # Inside ruled cells a label wraps over many lines around its numbers.
        reach = 6.0 if (row is not None and across) or id(line) in wrapped else 2.5
        if row is not None and ruled is not None:
            reach = float("inf")
        row = row or near[0]
        if abs(row.y - line.y) <= reach * row.height or tall:
            row.labels.extend(line.words)
            placed.append((line, row))
        else:
            loose.append(line)
    by_header: dict[int, list[Row]] = {}
    for row in rows:
        over = [h for h in headers if h.bottom <= row.top + 0.5]
        row.header = over[-1] if over else None
        by_header.setdefault(id(row.header), []).append(row)
    # Where the cells are drawn, each band's value columns are the cells between
    # its borders, and a row's label cells are parted by them.
    grid = label_grid(labels, ruled, left)
    for band in by_header.values():
        columns = band_columns(band, ruled, left)
        for row in band:
            row.columns = columns
            row.grid = grid
    place_groups(rows, grid)
    out: list[_Out] = []
    for header in headers:
        for i, cells in enumerate(header.cells()):
            out.append((header.top + i * 0.01, cells, header.lines[0].words[0].placed(), None))
    for row in rows:
        vtexts, vplaces = row.value_cells()
        first = min([*row.labels, *row.groups, *row.values], key=lambda w: (w.top, w.x0))
        out.append((row.top, [*row.label_cells(), *vtexts], first.placed(), tuple(vplaces)))
    for line in loose:
        out.append((line.y, [w.text for w in line.words], line.words[0].placed(), None))
    out.sort(key=lambda item: item[0])
    return out


def _touch(upper: Line, lower: Line, word: Word) -> bool:
    """Whether ``lower`` is the line right under ``upper`` (less than half a line
    between them) with a word of ``upper`` over ``word`` of ``lower``."""
    return 0 <= lower.top - upper.bottom < 0.5 * word.height and any(
        min(w.x1, word.x1) - max(w.x0, word.x0) > 0 for w in upper.words)


def _continues(line: Line, placed: Sequence[tuple[Line, Row]],
               labels: Sequence[Line]) -> Row | None:
    """The row whose label ``line`` ends: a label line just above it holds a word
    over its first word, no label line stands just below it, and it does not
    start with an enumerator (``2.`` ``（三）`` ``四、``). In a table whose rows
    stand as close as the lines of a label, every line touches the next: none
    is taken for the end of a label there."""
    first = line.words[0]
    if strip_enumerator(key(first.text)) != key(first.text):
        return None
    if any(other is not line and _touch(line, other, first) for other in labels):
        return None
    for prev, row in reversed(placed):
        if line.top - prev.bottom > 2 * first.height:
            break
        if _touch(prev, line, first):
            return row
    return None


def _wrapped_lines(lines: Sequence[Line]) -> set[int]:
    """The ids of label lines that touch the line above or below them under the
    same text (a label wrapped over lines, whose lines stand far from its
    numbers), as a row printed all blank does not."""
    out: set[int] = set()
    ordered = sorted(lines, key=lambda ln: ln.top)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            h = min(a.bottom - a.top, b.bottom - b.top)
            if b.top - a.bottom >= 0.5 * h:
                if b.top - a.bottom >= 2 * h:
                    break
                continue
            if (b.top - a.bottom >= 0 and min(a.words[-1].x1, b.words[-1].x1)
                    > max(a.words[0].x0, b.words[0].x0)):
                out.update((id(a), id(b)))
    return out


def fragments_joined(rows: list[Row]) -> list[Row]:
    """Rows of an undrawn table with a line of few numbers (under half the most
    any line holds) touching a fuller row joined to that row: the rest of a
    number wrapped in its narrow cell (``3`` / ``0`` around the ``27 0 0 2 0 1``
    of its row). Two numbers that then stand in one column are kept together
    and not read, rather than one of them read as a row of its own."""
    most = max(len(r.values) for r in rows)
    out: list[Row] = []
    for row in rows:  # top to bottom
        few = 2 * len(row.values) < most
        if out and (few or 2 * len(out[-1].values) < most):
            prev = out[-1]
            gap = row.top - prev.bottom
            if gap < 0.25 * min(row.height, prev.height):
                out[-1] = Row.of(prev.values + row.values)
                continue
        out.append(row)
    return out


def wrapped_numbers(values: list[Word], ruled: Borders) -> list[Word]:
    """The numbers with a number wrapped in its narrow cell (``3`` / ``0`` for
    ``30``) joined: digits with more of the number on the line below, both in
    one drawn cell that holds no other number."""
    out: list[Word] = []  # by top: a joined number keeps the top of its first part
    for word in sorted(values, key=lambda w: (w.top, w.x0)):
        reach = word.top - 3 * word.height
        for k in range(len(out) - 1, -1, -1):
            above = out[k]
            if above.top < reach:
                out.append(word)
                break
            if (above.text.isdigit() and 0 <= word.top - above.bottom < 1.5 * word.height
                    and max(above.x0, word.x0) - min(above.x1, word.x1) < word.height
                    and NUMBER.fullmatch(above.text + word.text) is not None
                    and ruled.boxed(above, word, values)):
                out[k] = merge([above, word])
                break
        else:
            out.append(word)
    return out
