"""HTML to a tree, tables to grids: the part of the HTML reader that knows markup.

lxml (libxml2's HTML parser, in C) parses the page and closes what real pages
leave open (``<p>``, ``<td>``, ``<tr>``) the way browsers do; this module copies
its tree into small :class:`Element`/:class:`TextNode` objects that carry the
line each start tag and each text begins on (libxml2 records where a start tag
*ends*; :class:`_StartLines` finds where it began), reads each table's cells
with their ``rowspan``/``colspan``, and bounds the size of its grid. Nesting
deeper than :data:`MAX_DEPTH` is a :class:`ReadError`, since libxml2 stops
reading there. ``docs/html.md`` records the measurements behind the choice of
parser. Everything is iterative, never recursive. No label of the form is known here.
"""

from __future__ import annotations

import gc
import re
from array import array
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from lxml import etree

from ..errors import ReadError

__all__ = [
    "Cell",
    "Element",
    "HtmlLimitError",
    "Table",
    "TextNode",
    "check_size",
    "parse",
    "tables",
]

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

#: Limits against hostile input: grid positions per table, colspan, rowspan.
MAX_GRID = 200_000
MAX_COLSPAN = 1_000
MAX_ROWSPAN = 65_534

#: The deepest nesting read: libxml2's own bound, past which it stops reading.
MAX_DEPTH = 256
_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT
#: libxml2's line numbers stop here in lxml's HTML parser (no big-lines option).
_LAST_LINE = 65_535
_NEWLINE = re.compile("\n")
_MATCH_START = re.Match.start
_AFTER_NAME = frozenset(("", " ", "\t", "\n", "\r", "\f", "/", ">"))

_NO_ATTRS: dict[str, str] = {}  # shared by elements without attributes; never mutated
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


class HtmlLimitError(ValueError):
    """A table is too large to be a report table (hostile or broken markup)."""

    def __init__(self, message: str, line: int, zh: str) -> None:
        super().__init__(message)
        self.line = line
        self.zh = zh


class TextNode:
    """A run of character data and the source line it starts on."""

    __slots__ = ("line", "text")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line


class Element:
    """An element: tag, attributes, the source line of its start tag, children."""

    __slots__ = (
        "_end", "_line", "_order", "_start", "_starts", "attrs", "children", "parent", "tag",
    )

    def __init__(
        self, tag: str, attrs: Mapping[str, str], line: int, parent: Element | None,
        order: list[Element] | None = None, starts: _StartLines | None = None,
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self._line = line
        # Set when ``line`` is where the start tag ends and it may have begun
        # earlier: looked up on first use, since few elements' lines are used.
        self._starts = starts
        self.parent = parent
        self.children: list[Element | TextNode] = []
        # Every element of the document in document order; this one and those
        # below it are ``order[_start:_end]`` (the builder sets ``_end``).
        if order is None:
            order = []
        self._start = len(order)
        self._end = self._start + 1
        order.append(self)
        self._order = order

    @property
    def line(self) -> int:
        """The line the element's start tag begins on."""
        starts = self._starts
        if starts is not None:
            self._starts = None
            self._line = starts.start(self.tag, self._line)
        return self._line

    def __repr__(self) -> str:
        return f"<{self.tag} line {self.line}>"

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        return iter(self._order[self._start:self._end])

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
            zh=f"文本含有 {html[error.start]!r}，不是字符（单独的代理码位），无法读取",
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
                zh=f"元素嵌套超过 {MAX_DEPTH} 层；报告网页不会嵌套这么深，因此整页不予读取，"
                "而不是只读一部分",
                line=entry.line,
            )
    root = Element("#document", _NO_ATTRS, 1, None)
    if top is not None:
        # The copy allocates tens of thousands of objects, all kept, that the
        # cyclic collector would scan again and again for nothing (40 % of a
        # 2 MB page's read); it runs once the tree is built instead.
        collecting = gc.isenabled()
        gc.disable()
        try:
            _convert(top, root, _StartLines(html))
        finally:
            if collecting:
                gc.enable()
    return root


class _StartLines:
    """The line a start tag begins on, from the line libxml2 gives: where it ends.

    Word exports break long ``style`` attributes over several lines; such a tag
    begins on an earlier line than the one libxml2 records. :func:`_convert`
    asks only for an element that is the first thing ending on its line L (the
    content before it ended on an earlier line). A start tag that began before
    line L leaves no ``<`` on line L before the first ``>``: then the last
    ``<`` before line L opens it, if it opens a tag of that name. Each question
    looks at line L and back to that ``<`` only, so the work is linear in the page.
    """

    __slots__ = ("_newlines", "html")

    def __init__(self, html: str) -> None:
        self.html = html
        self._newlines: array[int] | None = None

    def start(self, tag: str, end_line: int) -> int:
        """The line where a ``tag`` start tag ending on ``end_line`` began."""
        newlines = self._newlines
        if newlines is None:  # the offset of every newline: line L starts after [L - 2]
            newlines = self._newlines = array("q", map(_MATCH_START, _NEWLINE.finditer(self.html)))
        if not 2 <= end_line <= len(newlines) + 1:
            return end_line
        html = self.html
        offset = newlines[end_line - 2] + 1
        close = html.find(">", offset)
        if close < 0 or html.find("<", offset, close) >= 0:
            return end_line  # a tag begins on this line before the first ">"
        opening = html.rfind("<", 0, offset) + 1
        name_end = opening + len(tag)
        if (
            not opening
            or html[opening:name_end].lower() != tag
            or html[name_end:name_end + 1] not in _AFTER_NAME
        ):
            return end_line
        return end_line - html.count("\n", opening, offset)


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
    order = root._order
    # Per open element: ours, libxml2's, the iterator over libxml2's children.
    stack: list[tuple[Element, Any, Iterator[Any]]] = [(root, None, iter((top,)))]
    while stack:
        parent, source, children = stack[-1]
        append = parent.children.append
        for node in children:
            tag = node.tag
            ends = node.sourceline
            if ends is not None and ends < _LAST_LINE:
                begins, line = line, ends
            else:
                begins = line
            if tag.__class__ is str:
                element = Element(tag, node.attrib, line, parent, order,
                                  None if begins >= line else starts)
                append(element)
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
            stack.pop()
            parent._end = len(order)
            if stack:  # the element's own content is done: the text after it
                tail = source.tail
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


_BREAK = TextNode(" ", 0)  # where a block starts or ends inside a cell


def cell_text(cell: Element) -> str:
    """A cell's text: its lines (as :func:`text_lines` breaks them) joined by a space."""
    parts: list[str] = []
    stack: list[Element | TextNode] = list(reversed(cell.children))
    while stack:
        node = stack.pop()
        if node.__class__ is TextNode:
            parts.append(node.text)
            continue
        tag = node.tag  # type: ignore[union-attr]
        if tag in SKIP or tag == "table":
            continue
        children = node.children  # type: ignore[union-attr]
        if tag in BLOCK:
            stack.append(_BREAK)
            stack.extend(reversed(children))
            stack.append(_BREAK)
        else:
            stack.extend(reversed(children))
    return clean("".join(parts))


def table_of(element: Element) -> Table:
    """The rows and cells of one ``<table>`` element."""
    rows: list[tuple[Cell, ...]] = []
    lines: list[int] = []
    for tr in _rows_of(element):
        cells = []
        for child in tr.children:
            if isinstance(child, Element) and child.tag in _CELLS:
                cells.append(Cell(
                    text=cell_text(child).replace("|", "｜"),
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
