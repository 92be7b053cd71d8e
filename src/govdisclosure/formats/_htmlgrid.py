"""Tables as grids: each ``<table>``'s rows of cells with their spans and lines.

Read on lxml's tree under the views of :mod:`._htmltree`: a cell's text is one
walk of its nodes (blocks break it with a space, nested tables and scripts left
out), its ``rowspan``/``colspan`` are bounded and so is the size of a table's
grid. A cell's line is found only when asked for. No label of the form is
known here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from itertools import pairwise
from typing import Any

import attrs
from lxml import etree

from .._methods import fields_eq, fields_hash, fields_repr
from ._htmllines import Lines
from ._htmltext import BLANK as _BLANK
from ._htmltext import clean
from ._htmltree import BLOCK, SKIP, Element
from ._textread._source import SourceRow

__all__ = [
    "Cell",
    "HtmlLimitError",
    "Table",
    "cell_text",
    "check_size",
    "table_of",
    "table_rows",
    "tables",
]

_TABLE_SECTIONS = frozenset({"tbody", "thead", "tfoot"})
# Some CMSs wrap rows in stray <form>/<div> elements; browsers hoist them.
_ROW_HOLDERS = _TABLE_SECTIONS | {"form", "div", "span", "font"}
_CELLS = frozenset({"td", "th"})
#: What a cell's text leaves out: scripts and the like, and nested tables.
_LEFT_OUT = SKIP | {"table"}
#: Elements a cell's text is walked for: blocks (a space at their bounds) and
#: what is left out.
_MARKED = tuple(sorted(BLOCK | _LEFT_OUT))
_content = etree.tostring  # with method="text": libxml2's text content of a node, in C

#: Limits against hostile input: grid positions per table, colspan, rowspan.
MAX_GRID = 200_000
MAX_COLSPAN = 1_000
MAX_ROWSPAN = 65_534


class HtmlLimitError(ValueError):
    """A table is too large to be a report table (hostile or broken markup)."""

    def __init__(self, message: str, line: int, zh: str) -> None:
        super().__init__(message)
        self.line = line
        self.zh = zh


class Cell:
    """A ``<td>``/``<th>``: its text (lines joined by a space), spans and source line.

    The line is found when asked for: the reader asks only for each row's
    first cell's, and a start tag spread over lines costs a look at the page.
    """

    __slots__ = ("_lines", "_node", "colspan", "rowspan", "text")

    def __init__(self, text: str, rowspan: int = 1, colspan: int = 1, node: Any = None,
                 lines: Lines | None = None) -> None:
        self.text = text
        self.rowspan = rowspan
        self.colspan = colspan
        self._node = node  # lxml's element, and the page's lines, when read from a page
        self._lines = lines

    @property
    def line(self) -> int:
        """The line the cell's start tag begins on."""
        if self._lines is None:
            raise ValueError("the cell was not read from a page: it has no line")
        return self._lines.start(self._node)

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, rowspan={self.rowspan}, colspan={self.colspan})"


@attrs.frozen(slots=True)
class Table:
    """A ``<table>`` as rows of cells, not counting the rows of nested tables."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    element: Element
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def line(self) -> int:
        return self.element.line


def _span(value: str, limit: int) -> int:
    try:
        n = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    return max(1, min(n, limit))


def _rows_of(table: Any) -> Iterator[Any]:
    stack = [c for c in reversed(table) if c.tag.__class__ is str]
    while stack:
        node = stack.pop()
        if node.tag == "tr":
            yield node
        elif node.tag in _ROW_HOLDERS:
            stack.extend(c for c in reversed(node) if c.tag.__class__ is str)


def cell_text(cell: Element) -> str:
    """A cell's text: its lines (as :func:`blocks` breaks them) joined by a space,
    nested tables left out."""
    node = cell._node
    return _cell_text(node, _following(node), frozenset())


def _following(node: Any) -> dict[Any, Any]:
    """``node`` and the elements below it that a cell's walk must see (blocks and
    what is left out), each mapped to the next of them in document order
    (found by lxml, in C)."""
    return dict(pairwise(node.iter(*_MARKED)))


def _cell_text(cell: Any, following: dict[Any, Any], ends: Collection[Any]) -> str:
    # Most cells hold nothing a walk must see (no block, nothing left out), or
    # hold it all in one block child with only blanks around it, whose bounds
    # then add only blanks at the ends: their text is libxml2's text content of
    # the cell, or of that child, gathered in C. Any other cell is walked.
    # Everything below the cell comes after it in document order and before
    # anything that is not below it: when the next element to see after the
    # cell is none or one of ``ends`` (elements known not to be below the
    # cell), the cell holds none.
    after = following.get(cell)
    if after is None or after in ends:
        return clean(_content(cell, method="text", encoding=str, with_tail=False))
    if after.tag not in _LEFT_OUT and len(cell) == 1 and cell[0] is after:
        beyond = following.get(after)
        if (beyond is None or beyond in ends) and _blank(cell.text) and _blank(after.tail):
            return clean(_content(after, method="text", encoding=str, with_tail=False))
    return walked_text(cell)


def walked_text(cell: Any) -> str:
    """The text of lxml's ``cell`` by a walk of its nodes (what :func:`cell_text`
    gives every cell)."""
    # On lxml's tree: each element's text, its children, then its tail; a space
    # where a block starts or ends; nested tables and scripts left out (their
    # tails kept), comments too. Per open element: it and its children's iterator.
    parts: list[str] = []
    add = parts.append
    text = cell.text
    if text:
        add(text)
    stack: list[tuple[Any, Iterator[Any]]] = [(cell, iter(cell))]
    while stack:
        node, children = stack[-1]
        for child in children:
            tag = child.tag
            if tag.__class__ is str and tag not in _LEFT_OUT:
                if tag in BLOCK:
                    add(" ")
                text = child.text
                if text:
                    add(text)
                if len(child):
                    stack.append((child, iter(child)))
                    break
                if tag in BLOCK:
                    add(" ")
            tail = child.tail
            if tail:
                add(tail)
        else:
            stack.pop()
            if stack:  # the element's content ended: not the cell itself
                if node.tag in BLOCK:
                    add(" ")
                tail = node.tail
                if tail:
                    add(tail)
    return clean("".join(parts))


def _blank(text: str | None) -> bool:
    return not text or _BLANK(text) is not None


def table_of(element: Element) -> Table:
    """The rows and cells of one ``<table>`` element."""
    lines = element._page.lines
    trs = list(_rows_of(element._node))
    cells_of = [[child for child in tr if child.tag in _CELLS] for tr in trs]
    # The table's rows and cells are below none of its cells.
    ends = {*trs, *(cell for cells in cells_of for cell in cells)}
    following = _following(element._node)
    rows: list[tuple[Cell, ...]] = []
    for cells in cells_of:
        row = []
        for child in cells:
            rowspan = child.get("rowspan")
            colspan = child.get("colspan")
            row.append(Cell(
                _cell_text(child, following, ends),
                1 if rowspan is None else _span(rowspan, MAX_ROWSPAN),
                1 if colspan is None else _span(colspan, MAX_COLSPAN),
                child, lines,
            ))
        rows.append(tuple(row))
    return Table(element, tuple(rows))


def tables(root: Element) -> list[Element]:
    """Every ``<table>`` element below ``root``, in document order."""
    return list(root.iter("table"))


def check_size(table: Table) -> None:
    """Raise :class:`HtmlLimitError` when the table's grid would exceed :data:`MAX_GRID`.

    The size counts every position each cell covers, its rowspan cut at the last
    row (as browsers do), overlapping cells counted twice.
    """
    nrows = len(table.rows)
    total = sum(
        min(cell.rowspan, nrows - r) * cell.colspan
        for r, row in enumerate(table.rows)
        for cell in row
    )
    if total > MAX_GRID:
        raise HtmlLimitError(
            f"the table at line {table.line} spans more than {MAX_GRID} grid "
            "cells; no report table is that large",
            table.line,
            f"第 {table.line} 行的表格超过 {MAX_GRID} 个格；报告的表格不会这么大",
        )


def table_rows(table: Table) -> list[SourceRow]:
    """The decoder's rows of ``table``: one per ``<tr>``, its cells' texts, empty
    cells kept (the HTML reader, and the text reader for HTML tables in text).

    Merged cells appear once, in their first row, as in text copied from the
    page; the grid's size is checked first so that a table too large to be a
    report is refused before anything else is done with it.
    """
    check_size(table)
    out = []
    for row in table.rows:
        if not row:
            continue
        out.append(SourceRow(cells=tuple(c.text for c in row), line=row[0].line))
    return out
