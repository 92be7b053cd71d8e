"""HTML to a tree, tables to grids: the part of the HTML reader that knows markup.

lxml (libxml2's HTML parser, in C) parses the page and closes what real pages
leave open (``<p>``, ``<td>``, ``<tr>``) the way browsers do; this module copies
its tree into small :class:`Element`/:class:`TextNode` objects that carry the
line each start tag and each text begins on (libxml2 records where a start tag
*ends*; :class:`_StartLines` finds where it began), and resolves
``rowspan``/``colspan`` into a grid. Nesting deeper than :data:`MAX_DEPTH` is a
:class:`ReadError`, since libxml2 stops reading there. ``docs/html.md``
records the measurements behind the choice of parser. Everything is
iterative, never recursive. No label of the form is known here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

import attrs
from lxml import etree

from ..errors import ReadError

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

#: The deepest nesting read: libxml2's own bound, past which it stops reading.
MAX_DEPTH = 256
_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT
#: libxml2's line numbers stop here in lxml's HTML parser (no big-lines option).
_LAST_LINE = 65_535
_TAG_NAME = re.compile(r"<([^\s/>]+)")

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
        self, tag: str, attrs: Mapping[str, str], line: int, parent: Element | None
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


def parse_stdlib(html: str) -> Element:
    """The element tree of ``html`` built from :mod:`html.parser`'s tokens."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def parse(html: str) -> Element:
    """The element tree of ``html``, built by lxml (libxml2's HTML parser).

    Never raises on malformed markup; raises :class:`ReadError` (with a line) for
    nesting deeper than :data:`MAX_DEPTH` and for text that cannot be encoded
    (a lone surrogate).
    """
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError as error:
        line = html.count("\n", 0, error.start) + 1
        raise ReadError.single(
            f"the text holds {html[error.start]!r}, which is not a character "
            "(a lone surrogate); it cannot be read", line=line,
        ) from None
    parser = etree.HTMLParser(encoding="utf-8", remove_pis=True, no_network=True)
    try:
        top = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:  # no element at all ("", "<!-- -->")
        top = None
    for entry in parser.error_log:
        if entry.type == _RESOURCE_LIMIT:
            raise ReadError.single(
                f"elements are nested more than {MAX_DEPTH} deep; no report page nests "
                "that deep, so the page is refused rather than read in part",
                line=entry.line,
            )
    root = Element("#document", _NO_ATTRS, 1, None)
    if top is not None:
        _convert(top, root, _StartLines(html))
    return root


class _StartLines:
    """The line a start tag begins on, from the line libxml2 gives: where it ends.

    Word exports break long ``style`` attributes over several lines; such a tag
    begins on an earlier line than the one libxml2 records. A start tag that
    ends on line L but began before it leaves no ``<`` on line L before the
    first ``>``: then the last ``<`` before line L opens it, and the first
    element ending on L with that tag name began there. Every other element
    began on the line where its start tag ends. Lines are visited in order,
    each once, so the work is linear in the page.
    """

    __slots__ = ("html", "line", "offset", "pending")

    def __init__(self, html: str) -> None:
        self.html = html
        self.line = 1  # the line last visited, starting at ``offset``
        self.offset = 0
        self.pending: tuple[str, int] | None = None  # the tag spanning onto ``line``

    def start(self, tag: str, end_line: int) -> int:
        """The line where the start tag of a ``tag`` element ending on ``end_line`` began."""
        if end_line > self.line:
            self.pending = self._spanning(end_line)
        pending = self.pending
        if pending is not None and pending[0] == tag:
            self.pending = None
            return pending[1]
        return end_line

    def _spanning(self, line: int) -> tuple[str, int] | None:
        html = self.html
        offset = self.offset
        while self.line < line:
            offset = html.find("\n", offset) + 1
            if not offset:  # past the last line
                self.offset = len(html)
                self.line = line
                return None
            self.line += 1
        self.offset = offset
        close = html.find(">", offset)
        if close < 0 or html.find("<", offset, close) >= 0:
            return None
        opening = html.rfind("<", 0, offset)
        match = _TAG_NAME.match(html, opening) if opening >= 0 else None
        if match is None:
            return None
        return match.group(1).lower(), line - html.count("\n", opening, offset)


def _convert(top: Any, root: Element, starts: _StartLines) -> None:
    """Copy libxml2's tree below ``root``, giving every text node its line.

    libxml2 keeps the line of each element and comment (where its start tag or
    the comment ends), not of text. A text begins where the tag or comment
    before it ends: the element's line for its own text, and the running count
    of newlines since for the text after an end tag. When the content before a
    start tag ended on the line where the tag ends, the tag began there too;
    otherwise :class:`_StartLines` finds where it began. Past
    :data:`_LAST_LINE`, where libxml2's count stops, lines are counted from
    the text alone (newlines inside tags are then missed).
    """
    line = 1
    # Per open element: ours, libxml2's, the iterator over libxml2's children.
    stack: list[tuple[Element, Any, Iterator[Any]]] = [(root, None, iter((top,)))]
    while stack:
        parent, _, children = stack[-1]
        for node in children:
            tag = node.tag
            ends = node.sourceline
            if ends is not None and ends < _LAST_LINE:
                begins, line = line, ends
            else:
                begins = line
            if isinstance(tag, str):
                element = Element(
                    tag, node.attrib, line if begins >= line else starts.start(tag, line),
                    parent,
                )
                parent.children.append(element)
                text = node.text
                if text:
                    element.children.append(TextNode(text, line))
                    line += text.count("\n")
                if len(node):
                    stack.append((element, node, iter(node)))
                    break
            tail = node.tail
            if tail:
                line = _add_text(parent, tail, line)
        else:
            _, done, _ = stack.pop()
            if done is not None:
                tail = done.tail
                if tail:
                    line = _add_text(stack[-1][0], tail, line)


def _add_text(parent: Element, text: str, line: int) -> int:
    """Append ``text`` to ``parent`` (joining a text node before it); the line after it."""
    children = parent.children
    last = children[-1] if children else None
    if isinstance(last, TextNode):
        last.text += text
    else:
        children.append(TextNode(text, line))
    return line + text.count("\n")


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
