"""Rebuilding a PDF's tables from the positions of its characters.

The text that PDF extractors give in reading order is no guide to a table's
rows (some print a table one column at a time). This module takes every
character with its box and rebuilds the page as the text reader expects it:
one pipe-flattened line per table row, each value in the column whose header
cells stand above it, blank cells kept as empty cells. It knows nothing of the
PDF library: :mod:`.pdf` hands it :class:`Glyph` records.

The steps:

- page numbers (``- 4 -``) and running headers in the page margins are dropped,
  and the pages are stacked into one column of text, so that a table split over
  a page break continues without a gap;
- characters are joined into lines by their vertical centre, and a line into
  words where a gap wider than most of a character opens;
- between the heading of table 二, 三 or 四 and the next section heading, the
  lines holding numbers are the table's rows; label text above, below or
  beside a row's numbers (a wrapped label, a label printed across two lines
  with the numbers centred between them) joins the row whose band it lies in;
- the value columns are the header cells' x-positions (the lowest header
  line first, then header cells standing alone higher up); each number goes to
  the column it overlaps, and a column with no number is an empty cell;
- a label standing left of the row labels (a group label such as
  ``（三）不予公开``, or ``三、本年度办理结果`` printed one character per line)
  opens the first row of the group it is centred on.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import TypeVar

import attrs

from ..model._normalise import key, strip_enumerator
from ._textread._layout import heading_number

__all__ = ["Glyph", "Placed", "Rebuilt", "Rule", "rebuild"]

_T = TypeVar("_T")


@attrs.frozen(slots=True)
class Glyph:
    """One character on a page: its text and box in points, y measured downwards."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float


@attrs.frozen(slots=True)
class Rule:
    """A line drawn on a page (a table's cell border), y measured downwards: a
    vertical one ends words, a horizontal one separates rows."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 <= 2.5 and self.bottom - self.top > 4

    @property
    def horizontal(self) -> bool:
        return self.bottom - self.top <= 2.5 and self.x1 - self.x0 > 4


@attrs.frozen(slots=True)
class Placed:
    """Where a piece of text stood: 1-based page, and x/y of its top-left in points."""

    page: int
    x: float
    y: float


@attrs.frozen(slots=True)
class Rebuilt:
    """The document as pipe-flattened lines, each with where it stood, the cells
    of each table row (``None`` for a line of text), and for a table row where
    each of its value cells stood (``None`` for an empty one)."""

    lines: tuple[str, ...]
    places: tuple[Placed, ...]
    values: tuple[tuple[Placed | None, ...] | None, ...]
    cells: tuple[tuple[str, ...] | None, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@attrs.define(slots=True)
class _Word:
    text: str
    page: int
    x0: float
    x1: float
    top: float  # on the stacked pages
    bottom: float
    page_top: float  # on its own page

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    def placed(self) -> Placed:
        return Placed(self.page + 1, round(self.x0, 1), round(self.page_top, 1))


class _Line:
    """Words on one line, in x order; a line is never changed once made."""

    __slots__ = ("bottom", "text", "top", "words", "y")

    def __init__(self, words: list[_Word]) -> None:
        self.words = words
        self.top = min(w.top for w in words)
        self.bottom = max(w.bottom for w in words)
        self.y = (self.top + self.bottom) / 2
        self.text = " ".join(w.text for w in words)


# A value cell: a count, a signed change, an amount with its unit, or a mark
# printed for nothing (FORMAT.md, "Non-numeric cells").
_NUMBER = re.compile(
    r"[-+－]?\d[\d,，]*(?:[.．]\d+)?(?:元|万元|笔|件|条|个|项|次|%)?|减\d+|增\d+|[-—–/／]|无"
)
# Page numbers as printed in the margins: ``- 4 -``, ``— 4 —``, ``4``, ``第4页``.
_PAGE_NUMBER = re.compile(r"[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?[-—–－\s]*(?:/\s*\d+\s*页?)?")
# A letter or a Chinese character: what a running header has and a row of numbers not.
_WORDS = re.compile(r"[^\W\d_]")
# The share of the page height at the top and at the bottom searched for furniture.
_MARGIN = 0.09


def _first(entry: tuple[float, float, object]) -> float:
    return entry[0]


def _rows_by_centre(
    items: Iterable[_T], box: Callable[[_T], tuple[float, float]]
) -> list[list[_T]]:
    """Items (glyphs, words) joined into lines: sorted by vertical centre, an item
    joins the line whose mean centre is within half the smaller height of it."""
    keyed = []
    for item in items:
        top, bottom = box(item)
        keyed.append(((top + bottom) / 2, bottom - top, item))
    keyed.sort(key=_first)
    out: list[list[_T]] = []
    mean = height = 0.0
    for y, h, item in keyed:
        if out and abs(y - mean) <= 0.45 * (h if h < height else height):
            line = out[-1]
            line.append(item)
            mean += (y - mean) / len(line)
            height = min(height, h)
            continue
        out.append([item])
        mean, height = y, h
    return out


def _lines(words: Iterable[_Word]) -> list[_Line]:
    """Words joined into lines by vertical centre (each line's words in x order)."""
    return [_Line(sorted(line, key=lambda w: w.x0))
            for line in _rows_by_centre(words, lambda w: (w.top, w.bottom))]


def _ruled(a: Glyph, b: Glyph, rules: _Borders) -> bool:
    """Whether a vertical rule (a cell border) stands between glyphs ``a`` and ``b``."""
    y = (a.top + a.bottom) / 2
    return any(r.top <= y <= r.bottom for r in rules.between_x(a.x1 - 1.0, b.x0 + 1.0))


def _words(glyphs: Sequence[Glyph], offset: float, origin: float,
           rules: Sequence[Rule] = ()) -> list[_Word]:
    """The glyphs of one page as words: runs of characters on one line without a
    gap wider than 0.4 of a character (header cells stand that close: 结果 其他),
    except that a word spaced out character by character (``总 计``, ``自 然 人``)
    stays one word; a vertical rule (a cell border) always ends a word.
    ``origin`` is the top of the page's content, ``offset`` where it starts on
    the stacked pages."""
    rows = _rows_by_centre(glyphs, lambda g: (g.top, g.bottom))
    borders = _Borders(rules)
    words: list[_Word] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        runs: list[list[Glyph]] = []
        for g in row:
            if runs:
                prev = runs[-1][-1]
                size = max(prev.bottom - prev.top, g.bottom - g.top)
                gap = g.x0 - prev.x1
                joined = gap <= 0.4 * size or (
                    gap <= size and g.text.isalpha() and prev.text.isalpha()
                    and (len(runs[-1]) == 1 or _spaced_out(runs[-1], size))
                )
                # a border needs room: glyphs that touch have none between them
                if joined and not (rules and gap > 0.5 and _ruled(prev, g, borders)):
                    runs[-1].append(g)
                    continue
            runs.append([g])
        words.extend(_word(run, offset, origin) for run in runs)
    return words


def _spaced_out(run: Sequence[Glyph], size: float) -> bool:
    """Whether every character of ``run`` stands apart from the next (``总 计``)."""
    return all(b.x0 - a.x1 > 0.4 * size for a, b in pairwise(run))


def _word(glyphs: Sequence[Glyph], offset: float, origin: float) -> _Word:
    """The glyphs of one run (in x order) as a word."""
    first = glyphs[0]
    top, bottom = first.top, first.bottom
    for g in glyphs:
        if g.top < top:
            top = g.top
        if g.bottom > bottom:
            bottom = g.bottom
    return _Word(
        text="".join([g.text for g in glyphs]),
        page=first.page,
        x0=first.x0,
        x1=max(g.x1 for g in glyphs),
        top=top - origin + offset,
        bottom=bottom - origin + offset,
        page_top=top,
    )


def _furniture(pages: Sequence[Sequence[Glyph]], heights: Sequence[float]) -> set[tuple[int, int]]:
    """The (page, index) of glyphs of page numbers and running headers and footers:
    lines in a page's top or bottom margin that are a page number, or whose words
    recur in the margins of other pages (numbers aside: ``第3页 共9页``). A line of
    numbers alone is no running header: it is a table row continued at the top of
    the page (``0 0 0 0 0 0 0`` recurs wherever a form's rows are zero)."""
    marginal: list[list[tuple[str, list[int]]]] = []
    for glyphs, height in zip(pages, heights, strict=True):
        found: dict[float, list[int]] = {}
        for i, g in enumerate(glyphs):
            y = (g.top + g.bottom) / 2
            if y < _MARGIN * height or y > (1 - _MARGIN) * height:
                found.setdefault(round(y / 4), []).append(i)
        marginal.append([
            ("".join(glyphs[i].text for i in sorted(ix, key=lambda i: glyphs[i].x0)), ix)
            for ix in found.values()
        ])
    seen: dict[str, int] = {}
    for lines in marginal:
        for text in {re.sub(r"\d+", "#", t) for t, _ in lines}:
            seen[text] = seen.get(text, 0) + 1
    drop: set[tuple[int, int]] = set()
    for p, lines in enumerate(marginal):
        for text, ix in lines:
            bare = text.replace(" ", "")
            if _PAGE_NUMBER.fullmatch(bare) or (
                len(pages) > 2 and seen[re.sub(r"\d+", "#", text)] > 1
                and _WORDS.search(text) is not None
            ):
                drop.update((p, i) for i in ix)
    return drop


def _stack(pages: Sequence[Sequence[Glyph]], heights: Sequence[float],
           rules: Sequence[Sequence[Rule]]) -> tuple[list[_Word], _Borders]:
    """Every page's words, pages stacked so that each page's content starts where the
    previous page's ends (a row continued over a page break is one line away), and
    the drawn lines on the stacked pages, cut to each page's content (a border
    never reaches over a page break)."""
    drop = _furniture(pages, heights)
    words: list[_Word] = []
    down: list[Rule] = []
    across: list[Rule] = []
    offset = 0.0
    for p, glyphs in enumerate(pages):
        kept = [g for i, g in enumerate(glyphs) if (p, i) not in drop and g.text.strip()]
        if not kept:
            continue
        origin = min(g.top for g in kept)
        end = max(g.bottom for g in kept)
        page_rules = rules[p] if p < len(rules) else ()
        words.extend(_words(kept, offset, origin, [r for r in page_rules if r.vertical]))
        # A border drawn between the content and the page's edge (a table's cells
        # closed at a page break) stands at the break.
        across.extend(
            Rule(r.x0, y, r.x1, y + r.bottom - r.top)
            for r in page_rules if r.horizontal
            for y in (min(max(r.top, origin - 0.5), end + 0.5) - origin + offset,)
        )
        down.extend(
            Rule(r.x0, max(r.top, origin) - origin + offset, r.x1,
                 min(r.bottom, end) - origin + offset)
            for r in page_rules if r.vertical and r.top < end and r.bottom > origin
        )
        offset += end - origin + 1.0
    return words, _Borders(down, across)


class _Borders:
    """The drawn lines on the stacked pages: vertical ones (``down``, by x) and
    horizontal ones (``across``, by y); a table drawn with cell borders has both."""

    __slots__ = ("across", "down", "xs", "ys")

    def __init__(self, down: Iterable[Rule] = (), across: Iterable[Rule] = ()) -> None:
        self.down = sorted(down, key=lambda r: r.x0 + r.x1)
        self.across = sorted(across, key=lambda r: r.top + r.bottom)
        self.xs = [(r.x0 + r.x1) / 2 for r in self.down]
        self.ys = [(r.top + r.bottom) / 2 for r in self.across]

    def within(self, top: float, bottom: float) -> _Borders:
        """The lines that reach into the band from ``top`` to ``bottom``."""
        return _Borders(
            (r for r in self.down if r.top < bottom and r.bottom > top),
            (r for r in self.across if top - 1 <= r.top <= bottom + 1),
        )

    def between_x(self, x0: float, x1: float) -> list[Rule]:
        return self.down[bisect_left(self.xs, x0):bisect_right(self.xs, x1)]

    def between_y(self, y0: float, y1: float) -> list[Rule]:
        return self.across[bisect_left(self.ys, y0):bisect_right(self.ys, y1)]

    def boxed(self, upper: _Word, lower: _Word, others: Sequence[_Word]) -> bool:
        """Whether ``upper`` and ``lower`` are in one drawn cell that holds no
        other of ``others``: no border between them, a horizontal border above
        the one and below the other, and none of ``others`` between those
        borders without a border parting it from them."""

        def under(r: Rule) -> bool:
            return r.x0 <= upper.xc <= r.x1 or r.x0 <= lower.xc <= r.x1

        if any(under(r) for r in self.between_y(upper.bottom - 1.0, lower.top + 1.0)) or (
                self.apart(upper, lower)):
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

    def apart(self, a: _Word, b: _Word) -> bool:
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


# --- Tables ------------------------------------------------------------------------


def _is_value(word: _Word) -> bool:
    return _NUMBER.fullmatch(word.text) is not None


def _vertical(words: list[_Word], ruled: _Borders | None = None) -> list[_Word]:
    """Labels printed one character per line (``三、本年度办理结果`` down a narrow
    cell) joined into one word: three or more single characters stacked at one x,
    each within a line's height of the one above and, where the cells are drawn
    (``ruled``), in its cell (the two-character lines of labels wrapped in a very
    narrow column are not one label)."""
    singles = sorted(
        (w for w in words if len(w.text) <= 2 and not w.text.isdigit()
         and w.x1 - w.x0 <= 1.5 * w.height),
        key=lambda w: w.top,
    )
    used: set[int] = set()
    joined: list[_Word] = []
    for start in singles:
        if id(start) in used:
            continue
        chain = [start]
        for w in singles:
            last = chain[-1]
            if id(w) in used or w is start or w.top <= last.top:
                continue
            if w.top - last.bottom > 1.2 * max(c.height for c in chain):
                continue
            if min(w.x1, last.x1) - max(w.x0, last.x0) > 0.3 * min(
                w.x1 - w.x0, last.x1 - last.x0
            ) and not (ruled is not None and ruled.apart(last, w)):
                chain.append(w)
        if len(chain) >= 3:
            used.update(id(w) for w in chain)
            joined.append(_Word(
                text="".join(w.text for w in chain),
                page=chain[0].page,
                x0=min(w.x0 for w in chain),
                x1=max(w.x1 for w in chain),
                top=chain[0].top,
                bottom=chain[-1].bottom,
                page_top=chain[0].page_top,
            ))
    if not joined:
        return words
    return [w for w in words if id(w) not in used] + joined



@attrs.define(slots=True)
class _Column:
    x0: float
    x1: float
    words: list[_Word]

    def overlap(self, word: _Word) -> float:
        return min(self.x1, word.x1) - max(self.x0, word.x0)


@attrs.define(slots=True)
class _Header:
    """A header band: its lines of text, and the value columns they define."""

    lines: list[_Line]
    columns: list[_Column] = attrs.field(factory=list)
    spanning: list[_Word] = attrs.field(factory=list)
    stub: list[_Word] = attrs.field(factory=list)  # the label column's header

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
                self.columns.append(_Column(word.x0, word.x1, [word]))
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

    def _within(self, column: _Column, word: _Word) -> bool:
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
            [w.text for w in line.words] for line in _lines(self.spanning)
        ]
        stub = "".join(w.text for w in sorted(self.stub, key=lambda w: (w.top, w.x0)))
        leaf = ["".join(w.text for w in sorted(c.words, key=lambda w: w.top))
                for c in self.columns]
        rows.append(([stub] if stub else []) + leaf)
        return rows


@attrs.frozen(slots=True)
class _Grid:
    """What tells a table's label cells apart: its drawn lines where its cells are
    drawn; else where label cells start (``starts``: the left edges that the
    labels of three lines or more share, such as the sub-row labels' column)
    and how far right the label text reaches (``right``)."""

    borders: _Borders | None = None
    starts: tuple[float, ...] = ()
    right: float = float("inf")

    def at_start(self, word: _Word) -> float | None:
        return next((x for x in self.starts if abs(word.x0 - x) <= 1.5), None)


def _label_grid(lines: Sequence[_Line], ruled: _Borders | None, left: float) -> _Grid:
    """The grid of a table's label lines (see :class:`_Grid`)."""
    if ruled is not None:
        return _Grid(ruled)
    xs = sorted(w.x0 for line in lines for w in line.words if w.x1 <= left)
    starts: list[float] = []
    run: list[float] = []
    for x in xs:
        if run and x - run[0] > 3.0:
            if len(run) >= 3:
                starts.append(run[0])
            run = []
        run.append(x)
    if len(run) >= 3:
        starts.append(run[0])
    right = max((w.x1 for line in lines for w in line.words if w.x1 <= left), default=left)
    return _Grid(None, tuple(starts), right)


def _parts(words: Sequence[_Word], grid: _Grid | None = None) -> list[list[_Word]]:
    """Label words as the cells they fill, left to right: words overlapping in x
    (a label wrapped over lines) or close on one line are one cell (see
    :func:`_one_cell` for what ``grid`` adds)."""
    parts: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for part in parts:
            if _one_cell(part, word, grid):
                part.append(word)
                break
        else:
            parts.append([word])
    parts.sort(key=lambda part: min(w.x0 for w in part))
    return parts


def _one_cell(part: Sequence[_Word], word: _Word, grid: _Grid | None) -> bool:
    """Whether ``word`` fills the same cell as the words of ``part``. In a table
    drawn with cell borders, words with a border between them are never one
    cell, and a line wrapped under the one above within its cell joins it
    wherever it starts (an indented first line: ``　二、上年结转…数`` / ``量``).
    Without borders, a word starting where a column of labels starts is not
    joined to the word before it on its line (``三、本`` ``（一）予以公开``), and a
    line starting at or left of the line above joins it when that one reaches
    the right of the label column (it wrapped there)."""
    x0 = min(p.x0 for p in part)
    x1 = max(p.x1 for p in part)
    last = part[-1]
    same_line = abs(last.y - word.y) < 0.5 * min(last.height, word.height)
    below = [p for p in part if 0 <= word.top - p.bottom < 0.8 * word.height]
    overlap = min(x1, word.x1) - max(x0, word.x0) > 0
    close = same_line and 0 <= word.x0 - last.x1 <= 0.65 * last.height
    if grid is None:
        return overlap or close
    if grid.borders is not None:
        if any(grid.borders.apart(p, word) for p in part):
            return False
        return overlap or close or bool(below)
    start = grid.at_start(word)
    if close and start is not None and start != grid.at_start(part[0]):
        close = False
    wrapped = any(p.x1 >= grid.right - 1.5 * p.height and word.x0 <= p.x0 + 0.5 * p.height
                  for p in below)
    return overlap or close or wrapped


def _merge(words: Sequence[_Word]) -> _Word:
    """Words of one cell as one word, their text joined top to bottom."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    return _Word(
        text="".join(w.text for w in ordered),
        page=ordered[0].page,
        x0=min(w.x0 for w in ordered),
        x1=max(w.x1 for w in ordered),
        top=ordered[0].top,
        bottom=max(w.bottom for w in ordered),
        page_top=ordered[0].page_top,
    )


@attrs.define(slots=True)
class _Row:
    """A table row: its numbers (none in a row printed all blank), where it stands
    (its numbers, or its label when it has none), and its labels."""

    values: list[_Word]
    top: float
    bottom: float
    height: float
    page: int
    labels: list[_Word] = attrs.field(factory=list)
    groups: list[_Word] = attrs.field(factory=list)
    header: _Header | None = None
    columns: list[_Column] | None = None  # its band's value columns
    grid: _Grid | None = None  # what tells its label cells apart

    @classmethod
    def of(cls, values: list[_Word]) -> _Row:
        return cls(values, min(v.top for v in values), max(v.bottom for v in values),
                   max(v.height for v in values), values[0].page)

    @classmethod
    def blank(cls, line: _Line) -> _Row:
        return cls([], line.top, line.bottom, line.bottom - line.top, line.words[0].page,
                   labels=list(line.words))

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2

    def label_cells(self) -> list[str]:
        """The row's label as cells: its group labels, then its own label's parts
        (a part wrapped over lines joined top to bottom)."""
        groups = [g.text for g in sorted(self.groups, key=lambda w: w.x0)]
        return groups + [_merge(part).text for part in _parts(self.labels, self.grid)]

    def value_cells(self) -> tuple[list[str], list[Placed | None]]:
        """The row's values by column: an empty cell where no number stands in a
        column; two numbers in one column are kept together in reading order
        (the decoder reads them as one number wrapped in its cell, or reports
        the cell)."""
        if not self.columns:
            ordered = sorted(self.values, key=lambda w: w.x0)
            return [w.text for w in ordered], [w.placed() for w in ordered]
        cells: list[list[_Word]] = [[] for _ in self.columns]
        for word in sorted(self.values, key=lambda w: w.x0):
            cells[_column_of(self.columns, word)].append(word)
        cells = [[w for line in _lines(ws) for w in line.words] if len(ws) > 1 else ws
                 for ws in cells]
        return (
            [" ".join(w.text for w in ws) for ws in cells],
            [ws[0].placed() if ws else None for ws in cells],
        )


def _column_of(columns: Sequence[_Column], word: _Word) -> int:
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


_Out = tuple[float, list[str], Placed, tuple[Placed | None, ...] | None]


def _table(words: list[_Word], borders: _Borders | None = None) -> list[_Out]:
    """A table region as lines of cells in reading order, each with its y, where it
    stood, and for a row where each value cell stood. ``borders`` are the lines
    drawn on the pages: a label never joins a row across a horizontal one, and
    where the table's cells are drawn, they give its cells (see :func:`_cuts`)."""
    if not words:
        return []
    borders = (borders or _Borders()).within(min(w.top for w in words) - 1.0,
                                             max(w.bottom for w in words) + 1.0)
    across = borders.across
    values = [w for w in words if _is_value(w)]
    texts = [w for w in words if not _is_value(w)]
    if not values:
        return [(line.y, [w.text for w in line.words], line.words[0].placed(), None)
                for line in _lines(_vertical(texts))]
    rows = [_Row.of(line.words) for line in _lines(values)]
    ruled = _drawn(rows, borders)
    texts = _vertical(texts, ruled)
    if ruled is not None:
        joined = _wrapped_numbers(values, ruled)
        if len(joined) < len(values):
            values = joined
            rows = [_Row.of(line.words) for line in _lines(values)]
    else:
        rows = _fragments_joined(rows)
    # Where the value columns start: at the first number, or further left at a
    # header line standing wholly right of every row label (columns with few
    # numbers, such as a table whose first columns are all blank).
    bands = [(r.y, 0.5 * r.height) for r in rows]
    label_right = max((w.x1 for w in texts
                       if any(abs(w.y - y) <= d for y, d in bands)), default=-1e9)
    left = min([w.x0 for w in values]
               + [ln.words[0].x0 for ln in _lines(texts)
                  if ln.bottom <= rows[0].top and ln.words[0].x0 >= label_right]) - 2.0
    # A table split over pages may print its header again on the next page: such
    # a repeat is dropped, line by line, its lines matched by text and x.
    text_lines = _lines(texts)
    heading = {(ln.text, round(ln.words[0].x0)) for ln in text_lines if ln.bottom <= rows[0].top}
    text_lines = [ln for ln in text_lines
                  if ln.bottom <= rows[0].top or (ln.text, round(ln.words[0].x0)) not in heading]
    # Header bands: text lines above the first row, and lines reaching into the
    # value columns away from every row (a block caption and header of table 二).
    headers: list[_Header] = []
    loose: list[_Line] = []
    labels: list[_Line] = []
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
                headers.append(_Header([line]))
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
    placed: list[tuple[_Line, _Row]] = []  # label lines given to a row, undrawn tables
    for line in labels:
        if ruled is not None and len(line.words) > 1:
            # In drawn cells each word joins the row of its own cell: a line of
            # text runs through the cells of several rows (the end of one row's
            # wrapped label beside the start of the next one's).
            homeless = []
            for word in line.words:
                alone = _Line([word])
                home = next((r for r in sorted(rows, key=lambda r: abs(r.y - word.y))
                             if not _parted(alone, r, borders)), None)
                if home is None:
                    homeless.append(word)
                else:
                    home.labels.append(word)
            if not homeless:
                continue
            line = _Line(homeless)
        near = sorted(rows, key=lambda r: abs(r.y - line.y))
        # In drawn cells, a label wrapped over many lines (a narrow column, a
        # row split by a page break) belongs to the row no border parts it from.
        row = next((r for r in (near if ruled else near[:3])
                    if not _parted(line, r, borders)), None)
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
            rows.append(_Row.blank(line))
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
    by_header: dict[int, list[_Row]] = {}
    for row in rows:
        over = [h for h in headers if h.bottom <= row.top + 0.5]
        row.header = over[-1] if over else None
        by_header.setdefault(id(row.header), []).append(row)
    # Where the cells are drawn, each band's value columns are the cells between
    # its borders, and a row's label cells are parted by them.
    grid = _label_grid(labels, ruled, left)
    for band in by_header.values():
        columns = _band_columns(band, ruled, left)
        for row in band:
            row.columns = columns
            row.grid = grid
    _groups(rows, grid)
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


def _touch(upper: _Line, lower: _Line, word: _Word) -> bool:
    """Whether ``lower`` is the line right under ``upper`` (less than half a line
    between them) with a word of ``upper`` over ``word`` of ``lower``."""
    return 0 <= lower.top - upper.bottom < 0.5 * word.height and any(
        min(w.x1, word.x1) - max(w.x0, word.x0) > 0 for w in upper.words)


def _continues(line: _Line, placed: Sequence[tuple[_Line, _Row]],
               labels: Sequence[_Line]) -> _Row | None:
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


def _wrapped_lines(lines: Sequence[_Line]) -> set[int]:
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


def _crosses(ys: Sequence[float], rule: Rule) -> bool:
    """Whether a vertical rule crosses one of the heights ``ys`` (sorted)."""
    i = bisect_left(ys, rule.top)
    return i < len(ys) and ys[i] <= rule.bottom


def _drawn(rows: Sequence[_Row], borders: _Borders) -> _Borders | None:
    """The table's drawn lines, when its cells are drawn: vertical borders at two
    places or more cross its rows of numbers (else ``None``: a table drawn with
    horizontal lines only, or none, is read by the positions of its text)."""
    top = min(r.top for r in rows)
    bottom = max(r.bottom for r in rows)
    mine = borders.within(top - 2 * rows[0].height, bottom + rows[-1].height)
    ys = sorted(row.y for row in rows if row.values)
    places = {round((r.x0 + r.x1) / 2) for r in mine.down if _crosses(ys, r)}
    return mine if len(places) >= 2 else None


def _band_columns(band: Sequence[_Row], ruled: _Borders | None,
                  left: float) -> list[_Column] | None:
    """A band's value columns: its drawn cells where they are drawn, else the
    columns its numbers stand in where those are certain and no fewer than the
    header's, else the header's (a column blank in every row has only a header
    cell to show it)."""
    header = band[0].header
    if ruled is not None:
        cuts = _cuts(band, ruled.down, left)
        if cuts is not None:
            return [_Column(a, b, []) for a, b in pairwise(cuts)]
    have = len(header.columns) if header is not None else 0
    found = _number_columns(band, have)
    if found is not None:
        return found
    return header.columns if header is not None and header.columns else None


def _number_columns(band: Sequence[_Row], have: int) -> list[_Column] | None:
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
    columns = [_Column(min(vs[i].x0 for vs in full), max(vs[i].x1 for vs in full), [])
               for i in range(most)]
    if any(a.x1 >= b.x0 for a, b in pairwise(columns)):
        return None
    for vs in ordered:
        at = [_column_of(columns, w) for w in vs]
        if len(vs) <= most and any(a >= b for a, b in pairwise(at)):
            return None
    return columns


def _fragments_joined(rows: list[_Row]) -> list[_Row]:
    """Rows of an undrawn table with a line of few numbers (under half the most
    any line holds) touching a fuller row joined to that row: the rest of a
    number wrapped in its narrow cell (``3`` / ``0`` around the ``27 0 0 2 0 1``
    of its row). Two numbers that then stand in one column are kept together
    and not read, rather than one of them read as a row of its own."""
    most = max(len(r.values) for r in rows)
    out: list[_Row] = []
    for row in rows:  # top to bottom
        few = 2 * len(row.values) < most
        if out and (few or 2 * len(out[-1].values) < most):
            prev = out[-1]
            gap = row.top - prev.bottom
            if gap < 0.25 * min(row.height, prev.height):
                out[-1] = _Row.of(prev.values + row.values)
                continue
        out.append(row)
    return out


def _wrapped_numbers(values: list[_Word], ruled: _Borders) -> list[_Word]:
    """The numbers with a number wrapped in its narrow cell (``3`` / ``0`` for
    ``30``) joined: digits with more of the number on the line below, both in
    one drawn cell that holds no other number."""
    out: list[_Word] = []  # by top: a joined number keeps the top of its first part
    for word in sorted(values, key=lambda w: (w.top, w.x0)):
        reach = word.top - 3 * word.height
        for k in range(len(out) - 1, -1, -1):
            above = out[k]
            if above.top < reach:
                out.append(word)
                break
            if (above.text.isdigit() and 0 <= word.top - above.bottom < 1.5 * word.height
                    and max(above.x0, word.x0) - min(above.x1, word.x1) < word.height
                    and _NUMBER.fullmatch(above.text + word.text) is not None
                    and ruled.boxed(above, word, values)):
                out[k] = _merge([above, word])
                break
        else:
            out.append(word)
    return out


def _cuts(band: Sequence[_Row], down: Sequence[Rule], left: float) -> list[float] | None:
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
    xs = sorted((r.x0 + r.x1) / 2 for r in down if _crosses(ys, r))
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
    return cuts


def _parted(line: _Line, row: _Row, borders: _Borders) -> bool:
    """Whether a horizontal rule under the line's text stands between it and the row."""
    x0 = min(w.x0 for w in line.words) + 1.0
    x1 = max(w.x1 for w in line.words) - 1.0
    low, high = sorted((line.y, row.y))
    return any(low < (r.top + r.bottom) / 2 < high and r.x0 <= x1 and r.x1 >= x0
               and not (line.top <= r.top <= line.bottom)
               for r in borders.between_y(low, high))


def _groups(rows: list[_Row], grid: _Grid | None = None) -> None:
    """Move the group labels among the rows' labels to the first row of their group.

    A row's own label is the rightmost cell of its label words; a cell left of it
    is a group label (``（三）不予公开`` beside its fourth row, ``三、本年度办理结果``
    printed down the rows, ``（四）无法提供`` on its first row). The labels of one
    column share out the run of rows around them whose own labels start right
    of that column: each group holds the row its label stands by, and each label
    stands at the middle of its group's rows on its page (a group split by a page
    break is centred on each part)."""
    floating: list[tuple[_Word, int]] = []
    for i, row in enumerate(rows):
        parts = _parts(row.labels, grid)
        if len(parts) < 2:
            continue
        row.labels = parts[-1]
        floating.extend((_merge(part), i) for part in parts[:-1])
    # A group label wrapped over lines in its narrow cell is one label.
    borders = grid.borders if grid is not None else None
    merged: list[tuple[_Word, int]] = []
    for word, at in sorted(floating, key=lambda f: f[0].top):
        for k, (prev, prev_at) in enumerate(merged):
            if min(prev.x1, word.x1) - max(prev.x0, word.x0) > 0 and (
                0 <= word.top - prev.bottom < 0.8 * word.height if borders is None
                else word.top >= prev.bottom - 1.0 and not borders.apart(prev, word)
            ):
                merged[k] = (_merge([prev, word]), prev_at)
                break
        else:
            merged.append((word, at))
    if borders is not None:
        # A drawn group cell spans its rows: its group starts at the first row
        # between the borders above and below its label.
        rest = []
        for word, at in merged:
            opens = _first_in_cell(rows, word, borders)
            if opens is None:
                rest.append((word, at))
            else:
                rows[opens].groups.append(word)
        merged = rest
    # Column by column: labels overlapping in x are one column's.
    pending = sorted(merged, key=lambda f: f[0].x0)
    while pending:
        first = pending[0][0]
        column = [f for f in pending if min(f[0].x1, first.x1) - max(f[0].x0, first.x0) > 0]
        pending = [f for f in pending if f not in column]
        x = min(f[0].x0 for f in column)
        runs: dict[tuple[int, int], list[tuple[_Word, int]]] = {}
        for word, at in column:
            start = end = at
            while start > 0 and _inside(rows[start - 1], x):
                start -= 1
            while end + 1 < len(rows) and _inside(rows[end + 1], x):
                end += 1
            runs.setdefault((start, end), []).append((word, at))
        for (start, end), labels in runs.items():
            labels.sort(key=lambda f: (f[1], f[0].y))
            for (word, _), first_row in zip(labels, _share(rows, start, end, labels),
                                            strict=True):
                rows[first_row].groups.append(word)


def _first_in_cell(rows: Sequence[_Row], word: _Word, borders: _Borders) -> int | None:
    """The first row standing within the drawn cell of group label ``word`` (the
    borders above and below it, at its x) whose own label starts right of it."""
    top, bottom = -1e9, 1e9
    for r in borders.across:
        if r.x0 <= word.xc <= r.x1:
            y = (r.top + r.bottom) / 2
            if top < y <= word.top + 1.0:
                top = y
            elif word.bottom - 1.0 <= y < bottom:
                bottom = y
    if top == -1e9 or bottom == 1e9:
        return None
    return next((i for i, row in enumerate(rows)
                 if top < row.y < bottom and _inside(row, word.x0)), None)


def _inside(row: _Row, x: float) -> bool:
    """Whether ``row`` can be in a group labelled at ``x``: its own label starts right of it."""
    return bool(row.labels) and min(w.x0 for w in row.labels) > x + 4.0


def _centre_gap(rows: Sequence[_Row], word: _Word) -> float:
    """How far ``word`` stands from the middle of ``rows`` on its page."""
    on_page = [r for r in rows if r.page == word.page]
    if not on_page:
        return 1e6
    return abs((on_page[0].top + on_page[-1].bottom) / 2 - word.y)


def _share(rows: Sequence[_Row], start: int, end: int,
           labels: Sequence[tuple[_Word, int]]) -> list[int]:
    """The first row of each label's group within rows ``start..end``, labels in order:
    the first group starts the run; each next one starts after the row the label
    before stands by and at or before its own, where the group before is best
    centred on its label (ties: where this one is)."""
    firsts = [start]
    for i in range(1, len(labels)):
        word, at = labels[i]
        prev_word, prev_at = labels[i - 1]
        stop = labels[i + 1][1] if i + 1 < len(labels) else end + 1
        lo, hi = max(prev_at + 1, firsts[-1] + 1), max(at, firsts[-1] + 1)
        best, best_cost = hi, (float("inf"), float("inf"))
        for s in range(lo, hi + 1):
            # The group before is whole once its end is chosen: centre it; where
            # that leaves a choice (its rows on another page), centre this one.
            cost = (round(_centre_gap(rows[firsts[-1]:s], prev_word)),
                    _centre_gap(rows[s:max(stop, s + 1)], word))
            if cost < best_cost:
                best, best_cost = s, cost
        firsts.append(min(best, end))
    return firsts


# --- The document ------------------------------------------------------------------


def _join(words: Sequence[_Word]) -> str:
    """A line of text outside tables: words apart by less than two characters are
    one run of text, wider gaps on one line a space; a title's lines run on."""
    out = [words[0].text]
    for a, b in pairwise(words):
        same_line = b.top < a.bottom and a.top < b.bottom
        if same_line and b.x0 - a.x1 >= 2 * max(a.height, b.height):
            out.append(" ")
        out.append(b.text)
    return "".join(out)


def _paragraphs(lines: list[_Line]) -> list[_Line]:
    """Narrative lines with a paragraph's wrapped lines joined: a line reaching the
    right margin runs on into the next line when that one starts at the left
    margin in the same size (a new paragraph is indented, a heading is short, a
    title larger)."""
    if not lines:
        return lines
    left = min(ln.words[0].x0 for ln in lines)
    right = max(ln.words[-1].x1 for ln in lines)
    out: list[_Line] = []
    for line in lines:
        if out:
            prev = out[-1]
            size = prev.words[-1].height
            if (prev.words[-1].x1 >= right - 1.5 * size and line.words[0].x0 <= left + 0.5 * size
                    and abs(line.words[0].height - size) <= 0.15 * size
                    and heading_number(line.text.replace(" ", "")) is None):
                out[-1] = _Line([*prev.words, *line.words])
                continue
        out.append(line)
    return out


def _cells_line(cells: Sequence[str]) -> str:
    return " ".join(f"{c} |" if c else "|" for c in cells)


def _title(lines: list[_Line]) -> list[_Line]:
    """The lines with a title printed over several lines at the top, in a larger
    size than the text (``淮安市洪泽区人民政府`` / ``2024年…年度报告``), joined
    into one line, as the text reader expects a title."""
    if not lines:
        return lines
    sizes = sorted(w.height for line in lines for w in line.words)
    body = sizes[len(sizes) // 2]
    n = 0
    while n < min(len(lines), 4) and min(w.height for w in lines[n].words) > 1.15 * body:
        n += 1
        if "报告" in lines[n - 1].text:
            break
    if n < 2 or "报告" not in lines[n - 1].text:
        return lines
    joined = _Line([w for line in lines[:n] for w in line.words])
    return [joined, *lines[n:]]


def _wrapped_headings(lines: list[_Line]) -> list[_Line]:
    """The lines with a section heading wrapped onto a second line on a narrow
    page (``四、政府信息公开行政复议、行政诉`` / ``讼情况``) joined into one line:
    a line of at most two words that reaches the right margin and is a heading
    only with the line below it."""
    if not lines:
        return lines
    right = max(ln.words[-1].x1 for ln in lines)
    out: list[_Line] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        below = lines[i + 1] if i + 1 < len(lines) else None
        if (below is not None and len(line.words) <= 2 and len(below.words) <= 2
                and line.words[-1].x1 >= right - 2 * line.words[-1].height
                and below.words[0].x0 <= line.words[0].x0 + 2 * line.words[0].height
                and heading_number(line.text.replace(" ", "")) is None
                and heading_number((line.text + below.text).replace(" ", "")) is not None):
            out.append(_Line([*line.words, *below.words]))
            skip = True
            continue
        out.append(line)
    return out


def rebuild(pages: Sequence[Sequence[Glyph]], heights: Sequence[float],
            rules: Sequence[Sequence[Rule]] = ()) -> Rebuilt:
    """The document as pipe-flattened text: narrative lines as they stand, each
    table row one line of cells (see the module's description). ``rules`` are
    each page's vertical cell borders, where the file draws them."""
    words, borders = _stack(pages, heights, rules)
    lines = _title(_lines(words))
    out_lines: list[str] = []
    places: list[Placed] = []
    values: list[tuple[Placed | None, ...] | None] = []
    row_cells: list[tuple[str, ...] | None] = []
    region: list[_Word] | None = None

    def close() -> None:
        if region is None:
            return
        for _, cells, place, vals in _table(region, borders):
            out_lines.append(_cells_line(cells))
            places.append(place)
            values.append(vals)
            row_cells.append(tuple(cells))

    narrative: list[_Line] = []

    def text() -> None:
        for line in _paragraphs(narrative):
            out_lines.append(_join(line.words))
            places.append(line.words[0].placed())
            values.append(None)
            row_cells.append(None)
        narrative.clear()

    lines = _wrapped_headings(lines)
    for line in lines:
        n = heading_number("".join(w.text for w in line.words)) if len(line.words) <= 2 else None
        if n is not None:
            text()
            close()
            region = [] if n in (2, 3, 4) else None
            out_lines.append(_join(line.words))
            places.append(line.words[0].placed())
            values.append(None)
            row_cells.append(None)
        elif region is not None:
            region.extend(line.words)
        else:
            narrative.append(line)
    text()
    close()
    return Rebuilt(tuple(out_lines), tuple(places), tuple(values), tuple(row_cells))
