"""The page model: what :mod:`..pdf` hands over (:class:`Glyph`, :class:`Rule`),
what the rebuilding gives back (:class:`Rebuilt`, :class:`Placed`), and the
words and lines that every step works on.

A :class:`Word` is a run of characters with its box on the stacked pages (and
on its own page, for provenance); a :class:`Line` is words sharing a vertical
centre. :data:`NUMBER` tells a value cell from label text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

from ..._methods import fields_eq, fields_hash, fields_repr

_T = TypeVar("_T")


@attrs.frozen(slots=True)
class Glyph:
    """One character on a page: its text and box in points, y measured downwards."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

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

    __repr__ = fields_repr

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

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    page: int
    x: float
    y: float


@attrs.frozen(slots=True)
class Rebuilt:
    """The document as pipe-flattened lines, each with where it stood, the cells
    of each table row (``None`` for a line of text), and for a table row where
    each of its value cells stood (``None`` for an empty one)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    lines: tuple[str, ...]
    places: tuple[Placed, ...]
    values: tuple[tuple[Placed | None, ...] | None, ...]
    cells: tuple[tuple[str, ...] | None, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@attrs.define(slots=True)
class Word:
    __repr__ = fields_repr
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


class Line:
    """Words on one line, in x order; a line is never changed once made."""

    __slots__ = ("bottom", "text", "top", "words", "y")

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.top = min(w.top for w in words)
        self.bottom = max(w.bottom for w in words)
        self.y = (self.top + self.bottom) / 2
        self.text = " ".join(w.text for w in words)


# A value cell: a count, a signed change, an amount with its unit, or a mark
# printed for nothing (FORMAT.md, "Non-numeric cells").
NUMBER = re.compile(
    r"[-+－]?\d[\d,，]*(?:[.．]\d+)?(?:元|万元|笔|件|条|个|项|次|%)?|减\d+|增\d+|[-—–/／]|无"
)


def is_value(word: Word) -> bool:
    return NUMBER.fullmatch(word.text) is not None


def _first(entry: tuple[float, float, object]) -> float:
    return entry[0]


def rows_by_centre(
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


def lines_of(words: Iterable[Word]) -> list[Line]:
    """Words joined into lines by vertical centre (each line's words in x order)."""
    return [Line(sorted(line, key=lambda w: w.x0))
            for line in rows_by_centre(words, lambda w: (w.top, w.bottom))]


def merge(words: Sequence[Word]) -> Word:
    """Words of one cell as one word, their text joined top to bottom."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    return Word(
        text="".join(w.text for w in ordered),
        page=ordered[0].page,
        x0=min(w.x0 for w in ordered),
        x1=max(w.x1 for w in ordered),
        top=ordered[0].top,
        bottom=max(w.bottom for w in ordered),
        page_top=ordered[0].page_top,
    )
