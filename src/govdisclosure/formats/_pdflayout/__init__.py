"""Rebuilding a PDF's tables from the positions of its characters.

The text that PDF extractors give in reading order is no guide to a table's
rows (some print a table one column at a time). This package takes every
character with its box and rebuilds the page as the text reader expects it:
one pipe-flattened line per table row, each value in the column whose header
cells stand above it, blank cells kept as empty cells. It knows nothing of the
PDF library: :mod:`..pdf` hands it :class:`Glyph` records. This module holds
:func:`rebuild`, which cuts the document into narrative and table regions
(and joins the narrative's wrapped lines, title and headings); each step has
its own module:

- :mod:`._page`: the page model (glyphs, drawn lines, words, lines) and
  what :func:`rebuild` gives back;
- :mod:`._stack`: page numbers (``- 4 -``) and running headers in the page
  margins are dropped, characters are joined into words where no gap wider
  than most of a character opens, and the pages are stacked into one column
  of text, so that a table split over a page break continues without a gap;
- :mod:`._borders`: the drawn cell borders, and what they part;
- :mod:`._rows`: between the heading of table 二, 三 or 四 and the next
  section heading, the lines holding numbers are the table's rows; label text
  above, below or beside a row's numbers (a wrapped label, a label printed
  across two lines with the numbers centred between them) joins the row whose
  band it lies in;
- :mod:`._columns`: the value columns are the drawn cells, or the header
  cells' x-positions (the lowest header line first, then header cells
  standing alone higher up), or where the numbers stand; each number goes to
  the column it overlaps, and a column with no number is an empty cell;
- :mod:`._labels`: a row's label cells, and a label standing left of the row
  labels (a group label such as ``（三）不予公开``, or ``三、本年度办理结果``
  printed one character per line) opens the first row of the group it is
  centred on.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from .._textread._layout import heading_number
from ._page import Glyph, Line, Placed, Rebuilt, Rule, Word, lines_of, merge
from ._rows import table
from ._stack import stack

__all__ = ["Glyph", "Placed", "Rebuilt", "Rule", "rebuild"]


def _join(words: Sequence[Word]) -> str:
    """A line of text outside tables: words apart by less than two characters are
    one run of text, wider gaps on one line a space; a title's lines run on."""
    out = [words[0].text]
    for a, b in pairwise(words):
        same_line = b.top < a.bottom and a.top < b.bottom
        if same_line and b.x0 - a.x1 >= 2 * max(a.height, b.height):
            out.append(" ")
        out.append(b.text)
    return "".join(out)


def _paragraphs(lines: list[Line]) -> list[Line]:
    """Narrative lines with a paragraph's wrapped lines joined: a line reaching the
    right margin runs on into the next line when that one starts at the left
    margin in the same size (a new paragraph is indented, a heading is short, a
    title larger)."""
    if not lines:
        return lines
    left = min(ln.words[0].x0 for ln in lines)
    right = max(ln.words[-1].x1 for ln in lines)
    out: list[Line] = []
    for line in lines:
        if out:
            prev = out[-1]
            size = prev.words[-1].height
            if (prev.words[-1].x1 >= right - 1.5 * size and line.words[0].x0 <= left + 0.5 * size
                    and abs(line.words[0].height - size) <= 0.15 * size
                    and heading_number(line.text.replace(" ", "")) is None):
                out[-1] = Line([*prev.words, *line.words])
                continue
        out.append(line)
    return out


def _cells_line(cells: Sequence[str]) -> str:
    return " ".join(f"{c} |" if c else "|" for c in cells)


def _title(lines: list[Line]) -> list[Line]:
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
    joined = Line([w for line in lines[:n] for w in line.words])
    return [joined, *lines[n:]]


def _wrapped_headings(lines: list[Line]) -> list[Line]:
    """The lines with a section heading wrapped onto a second line on a narrow
    page (``四、政府信息公开行政复议、行政诉`` / ``讼情况``) joined into one line:
    a line of at most two words that reaches the right margin and is a heading
    only with the line below it (which is no heading on its own: a row whose
    last number reaches the margin stands above the next heading)."""
    if not lines:
        return lines
    right = max(ln.words[-1].x1 for ln in lines)
    out: list[Line] = []
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
                and heading_number(below.text.replace(" ", "")) is None
                and heading_number((line.text + below.text).replace(" ", "")) is not None):
            # one word, so that the heading is read as one (its first line may
            # hold two: ``四、`` set apart from its text)
            out.append(Line([merge([*line.words, *below.words])]))
            skip = True
            continue
        out.append(line)
    return out


def rebuild(pages: Sequence[Sequence[Glyph]], heights: Sequence[float],
            rules: Sequence[Sequence[Rule]] = ()) -> Rebuilt:
    """The document as pipe-flattened text: narrative lines as they stand, each
    table row one line of cells (see the package's description). ``rules`` are
    each page's vertical cell borders, where the file draws them."""
    words, borders = stack(pages, heights, rules)
    lines = _title(lines_of(words))
    out_lines: list[str] = []
    places: list[Placed] = []
    values: list[tuple[Placed | None, ...] | None] = []
    row_cells: list[tuple[str, ...] | None] = []
    region: list[Word] | None = None

    def close(below: float = float("inf")) -> None:
        # ``below``: where the next text stands (the next heading's top).
        if region is None:
            return
        for _, cells, place, vals in table(region, borders, below):
            out_lines.append(_cells_line(cells))
            places.append(place)
            values.append(vals)
            row_cells.append(tuple(cells))

    narrative: list[Line] = []

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
            close(line.top)
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
