"""HTML to a tree, tables to grids: the part of the HTML reader that knows markup.

The standard library's :mod:`html.parser` tokenises (``docs/html.md`` records
why it was chosen over lxml and selectolax); this module builds a small element
tree from the tokens, closing what real pages leave open (``<p>``, ``<td>``,
``<tr>``) the way browsers do, and resolves ``rowspan``/``colspan`` into a grid.
Everything is iterative, never recursive, so deeply nested markup cannot
exhaust the stack. No label of the form is known here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import attrs

__all__ = [
    "Cell",
    "Element",
    "GridCell",
    "HtmlLimitError",
    "Table",
    "TextNode",
    "check_size",
    "grid",
    "parse",
    "tables",
]

#: Elements with no content and no end tag.
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen",
})
#: Elements whose content is never report text.
SKIP = frozenset({
    "script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg",
    "math", "select", "textarea", "button",
})
#: Elements that start a new line of text.
BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl",
    "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
_TABLE_SECTIONS = frozenset({"tbody", "thead", "tfoot"})
_CELLS = frozenset({"td", "th"})
_TABLE_ONLY = frozenset({"table"})
_ROW = frozenset({"tr"})
_P = frozenset({"p"})
_CELL_OR_ROW = _CELLS | _ROW
_CELL_OR_TABLE = _CELLS | _TABLE_ONLY
_SECTION_OR_ROW = _TABLE_SECTIONS | _ROW
_TABLE_PARTS = _CELLS | _ROW | _TABLE_SECTIONS
# An open <p> is closed by the start of any of these (HTML's "close a p element").
_CLOSES_P = BLOCK - {"br", "td", "th", "tr", "tbody", "thead", "tfoot", "caption"}

#: Limits against hostile input: grid positions per table, colspan, rowspan.
MAX_GRID = 200_000
MAX_COLSPAN = 1_000
MAX_ROWSPAN = 65_534

_NO_ATTRS: dict[str, str] = {}  # shared by elements without attributes; never mutated
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


class HtmlLimitError(ValueError):
    """A table is too large to be a report table (hostile or broken markup)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class TextNode:
    """A run of character data and the source line it starts on."""

    __slots__ = ("line", "text")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line


class Element:
    """An element: tag, attributes, the source line of its start tag, children."""

    __slots__ = ("attrs", "children", "line", "parent", "tag")

    def __init__(
        self, tag: str, attrs: dict[str, str], line: int, parent: Element | None
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.parent = parent
        self.children: list[Element | TextNode] = []

    def __repr__(self) -> str:
        return f"<{self.tag} line {self.line}>"

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        # One iterator over the children of each open element, innermost last.
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Element):
                    yield child
                    if child.children:
                        stack.append(iter(child.children))
                        break
            else:
                stack.pop()

    def iter_text(self) -> Iterator[TextNode]:
        """The non-blank text nodes below this element, in document order."""
        stack: list[Element | TextNode] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, TextNode):
                if node.text.strip():
                    yield node
            elif node.tag not in SKIP:
                stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    """Builds an :class:`Element` tree, closing unclosed elements like a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, 1, None)
        self.stack: list[Element] = [self.root]

    # The nearest open element among ``tags``, not looking past ``boundary`` tags.
    def _find_open(self, tags: frozenset[str], boundary: frozenset[str]) -> int:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in tags:
                return i
            if tag in boundary:
                return -1
        return -1

    def _push(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        stack = self.stack
        parent = stack[-1]
        values = {k: v or "" for k, v in attrs} if attrs else _NO_ATTRS
        element = Element(tag, values, self.lineno, parent)
        parent.children.append(element)
        if tag not in VOID:
            stack.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CELLS:
            i = self._find_open(_CELL_OR_ROW, _TABLE_ONLY)
            if i > 0 and self.stack[i].tag in _CELLS:
                del self.stack[i:]
            elif i < 0:
                self._push("tr", [])  # a cell outside a row: browsers imply the <tr>
        elif tag == "tr":
            i = self._find_open(_ROW, _TABLE_ONLY)
            if i > 0:
                del self.stack[i:]
        elif tag in _TABLE_SECTIONS:
            i = self._find_open(_SECTION_OR_ROW, _TABLE_ONLY)
            if i > 0:
                del self.stack[i:]
        elif tag in _CLOSES_P or tag == "table":
            i = self._find_open(_P, _CELL_OR_TABLE)
            if i > 0:
                del self.stack[i:]
        self._push(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        stack = self.stack
        if stack[-1].tag == tag and len(stack) > 1:  # the usual case: closing the last open
            stack.pop()
            return
        if tag == "br":  # </br> is a line break in every browser
            self._push("br", [])
            return
        if tag == "table":
            boundary: frozenset[str] = frozenset()
        elif tag in _TABLE_PARTS:
            boundary = _TABLE_ONLY
        else:
            boundary = _CELL_OR_TABLE
        i = self._find_open(frozenset((tag,)), boundary)
        if i > 0:
            del self.stack[i:]

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        last = parent.children[-1] if parent.children else None
        if isinstance(last, TextNode):
            last.text += data
        else:
            parent.children.append(TextNode(data, self.lineno))


def parse(html: str) -> Element:
    """The element tree of ``html``; never raises on malformed markup."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def text_lines(element: Element, *, skip_tables: bool = True) -> list[tuple[str, int]]:
    """The text of ``element`` as lines broken at block elements, with source lines.

    Whitespace runs (``&nbsp;`` included) become one space; empty lines are
    dropped. Nested tables are left out when ``skip_tables`` is set, since a
    cell's own text never includes them.
    """
    lines: list[tuple[str, int]] = []
    parts: list[str] = []  # the text of the line being gathered
    line = element.line
    # Iterative walk; a marker None after a block element's children ends its line.
    stack: list[Element | TextNode | None] = list(reversed(element.children))
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            if not parts:
                line = node.line
            parts.append(node.text)
            continue
        if node is not None:
            if node.tag in SKIP or (skip_tables and node.tag == "table"):
                continue
            if node.tag not in BLOCK:
                stack.extend(reversed(node.children))
                continue
            stack.append(None)
            stack.extend(reversed(node.children))
        # A block starts or ends: the line gathered so far is complete.
        if parts:
            _add_line(lines, parts, line)
            parts = []
    _add_line(lines, parts, line)
    return lines


def _add_line(lines: list[tuple[str, int]], parts: list[str], line: int) -> None:
    text = clean("".join(parts))
    if text:
        lines.append((text, line))


def clean(text: str) -> str:
    """Whitespace runs (``&nbsp;``, full-width space, zero-width) as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


@attrs.frozen(slots=True)
class Cell:
    """A ``<td>``/``<th>``: its text (lines joined by a space), spans and source line."""

    text: str
    line: int
    rowspan: int = 1
    colspan: int = 1


@attrs.frozen(slots=True)
class Table:
    """A ``<table>`` as rows of cells, not counting the rows of nested tables."""

    element: Element
    rows: tuple[tuple[Cell, ...], ...]
    row_lines: tuple[int, ...]

    @property
    def line(self) -> int:
        return self.element.line


def _span(value: str | None, limit: int) -> int:
    if value is None:
        return 1
    try:
        n = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    return max(1, min(n, limit))


def _rows_of(table: Element) -> Iterator[Element]:
    stack: list[Element] = [
        c for c in reversed(table.children) if isinstance(c, Element)
    ]
    while stack:
        node = stack.pop()
        if node.tag == "tr":
            yield node
        elif node.tag in _TABLE_SECTIONS or node.tag in ("form", "div", "span", "font"):
            # Some CMSs wrap rows in stray <form>/<div> elements; browsers hoist them.
            stack.extend(c for c in reversed(node.children) if isinstance(c, Element))


def table_of(element: Element) -> Table:
    """The rows and cells of one ``<table>`` element."""
    rows: list[tuple[Cell, ...]] = []
    lines: list[int] = []
    for tr in _rows_of(element):
        cells = []
        for child in tr.children:
            if isinstance(child, Element) and child.tag in _CELLS:
                text = " ".join(t for t, _ in text_lines(child))
                cells.append(Cell(
                    text=text.replace("|", "｜"),
                    line=child.line,
                    rowspan=_span(child.attrs.get("rowspan"), MAX_ROWSPAN),
                    colspan=_span(child.attrs.get("colspan"), MAX_COLSPAN),
                ))
        rows.append(tuple(cells))
        lines.append(tr.line)
    return Table(element, tuple(rows), tuple(lines))


def tables(root: Element) -> list[Element]:
    """Every ``<table>`` element below ``root``, in document order."""
    return [e for e in root.iter() if e.tag == "table"]


@attrs.frozen(slots=True)
class GridCell:
    """One grid position: the cell that covers it and whether it is the cell's origin."""

    cell: Cell
    origin: bool
    row: int
    column: int


def check_size(table: Table) -> None:
    """Raise :class:`HtmlLimitError` when the table's grid would exceed :data:`MAX_GRID`.

    The size counts every position each cell covers, its rowspan cut at the last
    row as in :func:`grid`, overlapping cells counted twice.
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
        )


def grid(table: Table) -> list[list[GridCell | None]]:
    """Resolve ``rowspan`` and ``colspan``: one entry per grid position.

    A position no cell covers (a short row) is ``None``. A rowspan reaching past
    the last row is cut there, as browsers do. Raises :class:`HtmlLimitError`
    when the grid would exceed :data:`MAX_GRID` positions.
    """
    check_size(table)
    nrows = len(table.rows)
    out: list[list[GridCell | None]] = [[] for _ in range(nrows)]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while c < len(out[r]) and out[r][c] is not None:
                c += 1
            height = min(cell.rowspan, nrows - r)
            for dr in range(height):
                target = out[r + dr]
                need = c + cell.colspan
                if len(target) < need:
                    target.extend([None] * (need - len(target)))
                for dc in range(cell.colspan):
                    if target[c + dc] is None:
                        target[c + dc] = GridCell(cell, dr == 0 and dc == 0, r, c)
            c += cell.colspan
    width = max((len(row) for row in out), default=0)
    for positions in out:
        positions.extend([None] * (width - len(positions)))
    return out
