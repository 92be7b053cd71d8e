"""Cutting a table's region into cells, row by row.

A table row a source gave with its own cells (an HTML ``<tr>``, a Word grid
row, a rebuilt PDF row) is taken as it is (:func:`row_shape`): its cells are
never re-split, an empty one is a blank in its place. Lines of text (the text
source's lines, a paragraph between table rows) are cut here. Three ways of
separating cells occur in the wild in text, decided per region:

- *pipe text*: ``text |`` ends each cell (one cell or a whole row per line); a
  line of only ``|`` is padding from merged cells, and a leading ``|`` is an
  empty cell (an expanded grid);
- *Markdown*: ``| a | b |`` rows with ``|---|`` separator lines, ``\\|`` escaped;
- *separator lines*: ``|`` alone on a line between cells, whose text may wrap
  over several lines (``本年新`` / ``制作数量``).

Lines without any ``|`` (PDF text, one cell per paragraph) give one cell, or a
label and the numbers after it (``行政许可 0``). A crawler form that writes each
cell as a paragraph followed by two blank lines, and each row with two more,
keeps its empty cells as empty paragraphs: they are counted back into rows.
Page footers (``— 4 —``) and repeated captions (``表二：…``) are dropped here.

Tables repeat the same few line texts (``0 |``, ``||``, the form's labels) from
row to row and from report to report, so a line's cells depend on its text
alone and are computed once per distinct text (:func:`_shape`); a region is cut
by mapping that cached function over its lines, without a Python call per line.
The line number is kept beside the cells, never inside them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from ...model._normalise import UNITS, Number, fold, key, parse_number
from ...model.cells import MAX_COUNT_DIGITS, Blank, Value
from ...model.labels import BLANK_MARKS, prints_a_number
from ._layout import EMPTY, Region, clean_heading

__all__ = ["Cell", "CellAt", "Line", "Shape", "cells_of", "label_text", "make_cell", "row_shape"]

#: What real reports print in a cell that holds no number (folded forms).
BLANK_KEYS = BLANK_MARKS


class Cell:
    """What a cell's text (as printed, trimmed) tells: the same for every cell
    printing it, so one ``Cell`` serves them all (see :func:`make_cell`).

    ``key`` is the matching key, ``number`` the number printed (if any),
    ``blank`` whether the cell holds no number but may stand for a value (empty,
    ``/``, ``—``, ``无``), and ``is_value`` whether it holds a value at all (a
    number or a blank mark): otherwise it is a label or form text.
    ``count_value`` and ``amount_value`` are what a count or an amount column
    stores, and ``count_printed`` and ``amount_printed`` the text kept as
    provenance when it is more than the bare number (``减4``).

    A class with slots rather than a named tuple: the reader reads these
    attributes for every cell of every table, and the interpreter specialises
    reading a slot (a named tuple's field is a descriptor it does not, about
    eight times slower). Cells are never changed once made.
    """

    __slots__ = ("amount_printed", "amount_value", "blank", "count_printed", "count_value",
                 "is_value", "key", "number", "text")

    def __init__(self, text: str, key: str, number: Number | None, blank: bool,
                 is_value: bool, count_value: Value, count_printed: str | None,
                 amount_value: Value, amount_printed: str | None) -> None:
        self.text = text
        self.key = key
        self.number = number
        self.blank = blank
        self.is_value = is_value
        self.count_value = count_value
        self.count_printed = count_printed
        self.amount_value = amount_value
        self.amount_printed = amount_printed

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, key={self.key!r}, is_value={self.is_value})"


#: A cell with the 1-based line it was printed on.
CellAt = tuple[Cell, int]

#: Lines (and their cells) longer than this are cut each time, not memoised:
#: the memos then hold at most a few megabytes, whatever the input.
_MEMO_LINE = 200


def _make_cell(text: str) -> Cell:
    if text.isdigit() and text.isascii():  # the common case, made cheap
        if len(text) <= MAX_COUNT_DIGITS:  # within every bound: read at once
            value = Decimal(text)
            return Cell(text, text, Number(value, True, False), False, True, int(text), None,
                        value, None)
        k = text
        # No count has 40 digits: such a run is kept as printed, not computed with.
        number = parse_number(text) if len(text) < 40 else None
        blank = number is None
    else:
        k = key(text)
        number = parse_number(text) if text else None
        # A blank mark, or a number no cell holds as printed (``1295*``, ``四``,
        # ``O`` for 0): a blank in its place either way, never a label.
        blank = number is None and (not k or k in BLANK_KEYS or prints_a_number(k))
    if number is None:
        kept = Blank(text)
        return Cell(text, k, None, blank, blank, kept, None, kept, None)
    printed = text if number.decorated else None
    if not number.integral:  # a fraction in a count column is kept as printed
        return Cell(text, k, number, False, True, Blank(text), None, number.value, printed)
    return Cell(text, k, number, False, True, int(number.value), printed, number.value,
                printed)


_cached_cell = lru_cache(maxsize=2048)(_make_cell)


def make_cell(text: str) -> Cell:
    """The cell printing ``text`` (memoised: short texts repeat across reports)."""
    return _cached_cell(text) if len(text) <= _MEMO_LINE else _make_cell(text)


class Shape:
    """The cells of one line and its kind: ``cells``, ``pad`` (a line of only
    ``|``), ``header`` (a Markdown header row) or ``separator`` (a Markdown
    ``|---|`` row, dropped once it has marked the header). ``labels`` joins the
    keys of the cells that are not values (they tell the form's edition).
    ``value`` is the cell of a line that holds one non-empty value and nothing
    else, the most common line of all, which readers take in one step.
    ``data`` tells whether a cell holds a number or a blank mark (not just
    nothing). A class with slots, as :class:`Cell` is; never changed once made."""

    __slots__ = ("cells", "data", "kind", "labels", "value")

    def __init__(self, cells: tuple[Cell, ...],
                 kind: Literal["cells", "pad", "header", "separator"] = "cells",
                 labels: str = "", value: Cell | None = None, data: bool = False) -> None:
        self.cells = cells
        self.kind = kind
        self.labels = labels
        self.value = value
        self.data = data

    def __repr__(self) -> str:
        return f"Shape({self.cells!r}, kind={self.kind!r})"


def _shape_of(cells: Sequence[Cell], kind: Literal["cells", "pad"] = "cells") -> Shape:
    if len(cells) == 1 and kind == "cells":
        (alone,) = cells
        value = alone if alone.is_value and alone.text else None
        return Shape((alone,), kind, "" if alone.is_value else alone.key, value,
                     alone.number is not None or (alone.blank and bool(alone.text)))
    return Shape(
        tuple(cells), kind, "".join([c.key for c in cells if not c.is_value]), None,
        any(c.number is not None or (c.blank and c.text) for c in cells),
    )


#: A line of the region: its number and its cells.
Line = tuple[int, Shape]


# (A last cell of one dash or none, with no "|" after it: the line is cut off.)
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\||\|\s*:?-)?$")
_FOOTER = re.compile(r"^-+\s*\d{1,4}\s*-+$|^第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?$")
_CAPTION = re.compile(r"^表[一二三四1-4][:：.]")
# A number alone in a loose line, with a unit or 增/减 as cells print them.
_PLAIN = re.compile(
    r"^(?:[+-]|[增减])?\d[\d,]*(?:\.\d+)?(?:" + "|".join(UNITS) + r")?$"
)


def _footer(t: str) -> bool:
    """Whether the stripped line ``t`` is a page footer (``— 4 —``, ``第 4 页``).
    Folding maps one character to one, so a line whose first character does not
    fold to ``-`` or ``第`` is none, and a long narrative line is not folded."""
    return fold(t[0]) in "-第" and _FOOTER.match(fold(t)) is not None


def _split_escaped(text: str) -> list[str]:
    if "\\" not in text:
        return text.split("|")
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "|\\":
            current.append(text[i + 1])
            i += 2
            continue
        if ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


# A word that opens with an enumerator (folded): a new label starts there.
_ENUMERATED = re.compile(
    r"\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3},|\d{1,2}[.,](?!\d)"
)


def _labels(tokens: Sequence[str]) -> list[Cell]:
    """The label cells of a line's words: one, or one per enumerated label when
    a group label shares the line with its first item (``（三）不予公开 1.属于国家秘密``,
    as PDF text and space-separated copies print them)."""
    cells: list[Cell] = []
    start = 0
    for i in range(1, len(tokens)):
        if _ENUMERATED.match(fold(tokens[i])):
            cells.append(make_cell(" ".join(tokens[start:i])))
            start = i
    cells.append(make_cell(" ".join(tokens[start:])))
    return cells


def _loose(text: str) -> list[Cell]:
    # A line with no "|": one cell, or labels followed by numbers (blank marks
    # among them, ``3 — 0``, when a number is there too).
    tokens = text.split()
    k = len(tokens)
    numbers = False
    while k > 0:
        token = tokens[k - 1]
        if _PLAIN.match(fold(token)):
            numbers = True
        elif key(token) not in BLANK_KEYS:
            break
        k -= 1
    if not numbers:
        k = len(tokens)
    if len(tokens) == 1:
        return [make_cell(text)]
    if k == len(tokens):
        labels = _labels(tokens)
        return [make_cell(text)] if len(labels) == 1 else labels
    cells = _labels(tokens[:k]) if k else []
    cells.extend(make_cell(t) for t in tokens[k:])
    return cells


#: A line that holds no cells (blank, a page footer, a repeated caption): kept
#: in place rather than filtered out, since readers pass over it at no cost.
NOTHING = Shape(())


def _shape(t: str, markdown: bool) -> Shape:
    """The cells of a stripped line ``t`` (:data:`NOTHING` if it holds none)."""
    if not t:
        return NOTHING
    if not markdown and t[-1] == "|" and t.count("|") == 1:
        return _shape_of([make_cell(t[:-1].rstrip())])  # the common "0 |" (or "|")
    if "|" not in t:
        if t.startswith("#"):
            t = clean_heading(t)
        if not t or _footer(t) or _CAPTION.match(key(t)):
            return NOTHING
        return _shape_of(_loose(t))
    if markdown and "-" in t and _SEPARATOR.match(t):
        return Shape((), "separator")
    if not t.strip("| \t"):
        if t.count("|") >= 2:
            # Kept as empty cells: table 四 of a blank form is one such row.
            width = t.count("|") - (1 if markdown and t.startswith("|") else 0)
            return _shape_of([make_cell("")] * width, "pad")
        return _shape_of([make_cell("")])
    parts = _split_escaped(t) if markdown else t.split("|")
    if markdown and t.startswith("|"):
        parts = parts[1:]
    if t.endswith("|") and not t.endswith("\\|"):
        parts = parts[:-1]
    if markdown and "<br>" in t:
        parts = [p.replace("<br>", "\n") for p in parts]
    # A row of numbers is new in every report: its cells, short, are memoised.
    cell = _cached_cell if len(t) <= _MEMO_LINE else make_cell
    return _shape_of(list(map(cell, map(str.strip, parts))))


def _pipe_shape(t: str) -> Shape:
    if t[-1:] == "|" and t.count("|") == 1:  # the common "0 |" (or "|"), taken first
        text = t[:-1].rstrip()
        return _shape_of([_cached_cell(text) if len(text) <= _MEMO_LINE else _make_cell(text)])
    return _shape(t, False)


def _markdown_shape(t: str) -> Shape:
    return _shape(t, True)


# One memo per mode: a one-argument lru_cache looks its argument up directly,
# without building a key tuple, which halves the cost of a hit.
_SHAPES = (lru_cache(maxsize=2048)(_pipe_shape), lru_cache(maxsize=1024)(_markdown_shape))


#: Most cells read from one table's region. The form's largest table has under
#: 300 cells; a region far beyond that is not a table of the form, and what
#: follows the limit is kept whole as unplaced text instead of cut into cells.
MAX_CELLS = 5000


def row_shape(cells: Sequence[str]) -> Shape:
    """The shape of a table row a source gave with its own cells: each cell as
    it is (trimmed), empty ones kept as blanks; a row of two or more empty
    cells is padding (a merged cell's rows, or table 四 printed all blank)."""
    if not cells:
        return NOTHING
    made = [make_cell(c.strip()) for c in cells]
    if len(made) > 1 and not any(c.text for c in made):
        return _shape_of(made, "pad")
    return _shape_of(made)


def cells_of(region: Region) -> tuple[list[Line], Region]:
    """The cells of a table's region, row by row, and the rows beyond
    :data:`MAX_CELLS` (not cut into cells)."""
    if region.table_rows():
        return _table_rows(region)
    numbers = region.numbers
    texts = list(map(str.strip, region.texts))
    rest = EMPTY
    joined = "\n".join(texts)
    if "｜" in joined and "|" not in joined:
        # Full-width pipes as the only separators (a page that printed them, or
        # a converter): cells as with "|". Where "|" separates, "｜" is text.
        texts = [t.replace("｜", "|") for t in texts]
        joined = joined.replace("｜", "|")
    # Each line costs its pipes plus one cell; only a region over budget is
    # walked line by line to find where the budget runs out.
    if joined.count("|") + len(texts) > MAX_CELLS:
        budget = 0
        for i, t in enumerate(texts):
            budget += t.count("|") + 1
            if budget > MAX_CELLS:
                rest = Region(numbers[i:], region.texts[i:])
                del texts[i:]
                break
    # Markdown shows itself by a separator row (``|---|---|``).
    markdown = "--" in joined and any(
        t[:1] == "|" and "--" in t and _SEPARATOR.match(t) for t in texts
    )
    # One cell per paragraph with blank cells as empty paragraphs: counted.
    if "|" not in joined and _counted_paragraphs(texts):
        return _paragraph_rows(numbers, texts), rest
    # Lone "|" lines and no other pipes: the lines between them are cells.
    if texts.count("|") >= 2 and not any("|" in t and t.strip("| \t") for t in texts):
        return _separator_lines(list(zip(numbers, texts, strict=False))), rest
    cached = _SHAPES[markdown]
    if max(map(len, texts), default=0) <= _MEMO_LINE:
        shapes = list(map(cached, texts))
    else:
        shapes = [cached(t) if len(t) <= _MEMO_LINE else _shape(t, markdown) for t in texts]
    if markdown:
        return _markdown_lines(numbers, texts, shapes), rest
    return list(zip(numbers, shapes, strict=False)), rest


def _table_rows(region: Region) -> tuple[list[Line], Region]:
    """The cells of a region holding table rows: each table row its own cells
    (:func:`row_shape`), each line of text between them (a caption, a note, a
    paragraph) cut as a line of pipe text."""
    numbers, texts, cells = region
    assert cells is not None
    rest = EMPTY
    budget = 0
    for i, (t, own) in enumerate(zip(texts, cells, strict=True)):
        budget += len(own) if own is not None else t.count("|") + 1
        if budget > MAX_CELLS:
            rest = region.part(i)
            numbers, texts, cells = numbers[:i], texts[:i], cells[:i]
            break
    cached = _SHAPES[False]
    lines: list[Line] = []
    for number, t, own in zip(numbers, texts, cells, strict=True):
        if own is not None:
            lines.append((number, row_shape(own)))
        else:
            t = t.strip()
            lines.append((number, cached(t) if len(t) <= _MEMO_LINE else _shape(t, False)))
    return lines, rest


#: Blank lines after each paragraph cell, and more after the last of a row, in
#: the crawler form that writes one cell per paragraph (``hebei-edu-2019.txt``):
#: an empty cell is then a run of :data:`_CELL_GAP` + 1 blank lines.
_CELL_GAP = 2
_ROW_GAP = 4
_CELL_STEP = _CELL_GAP + 1


def _gaps(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """The indices of the non-empty lines, and the blank lines between each two."""
    filled = [i for i, t in enumerate(texts) if t]
    return filled, [b - a - 1 for a, b in itertools.pairwise(filled)]


def _counted_paragraphs(texts: Sequence[str]) -> bool:
    """Whether the cells are paragraphs in the counted form: every gap between
    two cells is :data:`_CELL_GAP` or :data:`_ROW_GAP` blank lines plus
    :data:`_CELL_STEP` per empty cell, and most are the plain cell gap."""
    _, gaps = _gaps(texts)
    if len(gaps) < 8:
        return False
    plain = 0
    for g in gaps:
        if g < _CELL_GAP or ((g - _CELL_GAP) % _CELL_STEP and (g - _ROW_GAP) % _CELL_STEP):
            return False
        plain += g == _CELL_GAP
    return plain * 2 >= len(gaps)


def _paragraph_rows(numbers: Sequence[int], texts: Sequence[str]) -> list[Line]:
    """One line per row of the counted paragraph form, empty cells restored.

    Between two cells of a row, each :data:`_CELL_STEP` blank lines beyond the
    plain gap is an empty cell; a gap with the row's extra blank lines ends the
    row, and its empty cells close that row, or open the next one when that row
    starts with a value (table 四's data row, whose first cells are blank)."""
    filled, gaps = _gaps(texts)
    rows: list[Line] = []
    cells: list[Cell] = []
    first = numbers[filled[0]] if filled else 0
    empty = make_cell("")
    # The blank lines after the last cell close the table's last row.
    tail = len(texts) - 1 - filled[-1] if filled else 0
    for j, i in enumerate(filled):
        cells.append(make_cell(texts[i]))
        g = gaps[j] if j < len(gaps) else tail
        if j == len(gaps):
            if g >= _ROW_GAP and (g - _ROW_GAP) % _CELL_STEP == 0:
                cells.extend([empty] * ((g - _ROW_GAP) // _CELL_STEP))
            break
        if (g - _CELL_GAP) % _CELL_STEP == 0:
            cells.extend([empty] * ((g - _CELL_GAP) // _CELL_STEP))
            continue
        k = (g - _ROW_GAP) // _CELL_STEP
        opens = make_cell(texts[filled[j + 1]]).is_value
        if not opens:
            cells.extend([empty] * k)
        rows.append((first, _shape_of(cells)))
        cells = [empty] * k if opens else []
        first = numbers[i + 1 + g - _CELL_STEP * k] if opens and k else numbers[filled[j + 1]]
    if cells:
        rows.append((first, _shape_of(cells)))
    return rows


def _markdown_lines(numbers: Sequence[int], texts: Sequence[str],
                    shapes: Sequence[Shape]) -> list[Line]:
    # A separator row makes the row just before it the header, when that row
    # was split at its pipes (not a padding line nor a line without pipes).
    out: list[Line] = []
    split = False  # whether out[-1] is a row split at its pipes
    for number, t, shape in zip(numbers, texts, shapes, strict=False):
        if shape is NOTHING:
            continue
        if shape.kind == "separator":
            if split:
                row = out[-1][1]
                out[-1] = (out[-1][0], Shape(row.cells, "header", row.labels, row.value, row.data))
            continue
        out.append((number, shape))
        split = "|" in t and bool(t.strip("| \t"))
    return out


def _separator_lines(texts: Sequence[tuple[int, str]]) -> list[Line]:
    out: list[Line] = []
    buffer: list[str] = []
    first = 0
    for number, t in texts:
        if t == "|":
            if buffer:
                out.append((first, _shape_of([make_cell("".join(buffer))])))
                buffer = []
            continue
        if not t or _footer(t):
            continue
        if not buffer:
            first = number
        buffer.append(t)
    if buffer:
        out.append((first, _shape_of([make_cell("".join(buffer))])))
    return out


def label_text(lines: Sequence[Line]) -> str:
    """The keys of every label in ``lines``, run together."""
    # (A comprehension reads a slot faster than ``map`` over an ``attrgetter``.)
    return "".join([shape.labels for _, shape in lines])
