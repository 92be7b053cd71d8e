"""HTML to a tree: lxml's parse, seen through views that carry source lines.

lxml (libxml2's HTML parser, in C) parses the page and closes what real pages
leave open (``<p>``, ``<td>``, ``<tr>``) the way browsers do. Its tree is not
copied: :class:`Element` is a view of one of its elements, made when the reader
first reaches it, that gives the element's children as elements and
:class:`TextNode` objects carrying the line each start tag and each text begins
on (:mod:`._htmllines`). The reader looks at a few hundred of a page's
thousands of elements, so only those get a Python object; title candidates,
the elements holding others and the text (:mod:`._htmltext`) are found on
lxml's own tree. Nesting deeper than :data:`MAX_DEPTH` is a
:class:`ReadError`, since libxml2 stops reading there. ``docs/html.md`` records
the measurements behind the choice of parser. Everything is iterative, never
recursive. No label of the form is known here; tables as grids are
:mod:`._htmlgrid`'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from lxml import etree

from .._files import check_text
from ..errors import ReadError
from ._htmllines import Lines

__all__ = [
    "BLOCK",
    "MAX_DEPTH",
    "SKIP",
    "Element",
    "TextNode",
    "common_ancestor",
    "innermost",
    "parse",
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

#: The deepest nesting read: libxml2's own bound, past which it stops reading.
MAX_DEPTH = 256
_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT
_WITH_CLASS = etree.XPath("descendant-or-self::*/@class[contains(., $word)]/..")
_NO_ATTRS: dict[str, str] = {}  # the document's attributes; never mutated


class TextNode:
    """A run of character data and the source line it starts on."""

    __slots__ = ("line", "text")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line


class Element:
    """An element: tag, attributes, the source line of its start tag, children.

    A view of one of lxml's elements (``#document`` for the page itself), one
    per element, made on first use: its children (elements and text nodes,
    comments left out and the texts around a comment joined) are listed when
    first asked for.
    """

    __slots__ = ("_children", "_line", "_node", "_page", "tag")

    def __init__(self, node: Any, page: _Page) -> None:
        self._node = node
        self._page = page
        self.tag: str = "#document" if node is None else node.tag
        self._line: int | None = None if node is not None else 1
        self._children: list[Element | TextNode] | None = None

    @property
    def attrs(self) -> Mapping[str, str]:
        node = self._node
        return _NO_ATTRS if node is None else node.attrib

    @property
    def line(self) -> int:
        """The line the element's start tag begins on."""
        line = self._line
        if line is None:
            line = self._line = self._page.lines.start(self._node)
        return line

    @property
    def children(self) -> list[Element | TextNode]:
        children = self._children
        if children is None:
            children = self._children = self._page.children(self._node)
        return children

    @property
    def parent(self) -> Element | None:
        node = self._node
        if node is None:
            return None
        page = self._page
        return page.view(None if node is page.top else node.getparent())

    def __repr__(self) -> str:
        return f"<{self.tag} line {self.line}>"

    def iter(self, *tags: str) -> Iterator[Element]:
        """This element and every element below it in document order; with
        ``tags``, only the elements of those names (found by lxml, in C)."""
        page = self._page
        node = self._node
        if node is None:
            if not tags:
                yield self
            node = page.top
            if node is None:
                return
        view = page.view
        for below in node.iter(*tags) if tags else node.iter(etree.Element):
            yield view(below)

    def with_class(self, word: str) -> list[Element]:
        """This element and those below it whose ``class`` holds ``word``, in
        document order (found by lxml, in C)."""
        node = self._node if self._node is not None else self._page.top
        if node is None:
            return []
        view = self._page.view
        found: list[Any] = _WITH_CLASS(node, word=word)  # type: ignore[assignment]
        return [view(e) for e in found]

    def precedes(self, other: Element) -> bool:
        """Whether this element's start tag comes before ``other``'s."""
        if self is other or other._node is None:
            return False
        if self._node is None:
            return True
        mine = [self._node, *self._node.iterancestors()][::-1]
        theirs = [other._node, *other._node.iterancestors()][::-1]
        n = 0
        while n < min(len(mine), len(theirs)) and mine[n] is theirs[n]:
            n += 1
        if n == len(mine) or n == len(theirs):  # one holds the other
            return n == len(mine)
        parent = mine[n - 1]
        return parent.index(mine[n]) < parent.index(theirs[n])  # type: ignore[no-any-return]

    def release(self) -> None:
        """Let go of the page's views, which refer to the page as it refers to
        them: the page and lxml's tree are then freed as soon as the reader is
        done with them, not later by the cycle collector. No view of the page may
        be used after."""
        self._page.views.clear()

    def within(self, other: Element) -> bool:
        """Whether this element is ``other`` or below it."""
        node, above = self._node, other._node
        if above is None or node is above:
            return True
        return node is not None and any(a is above for a in node.iterancestors())

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


def parse(html: str, source: str | None = None) -> Element:
    """The element tree of ``html``, built by lxml (libxml2's HTML parser).

    Never raises on malformed markup; raises :class:`ReadError` (with a line) for
    nesting deeper than :data:`MAX_DEPTH`, and for text holding NUL or a lone
    surrogate as every reader refuses it (:func:`~.._files.check_text`, with
    ``source``): the page's UTF-8 for lxml is the check, so text read as HTML
    is not checked first (:attr:`~.Format.read_checks_text`).
    """
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        data = b"\x00"  # a lone surrogate: refused below, as a NUL is
    if b"\x00" in data:
        check_text(html, source)  # raises: the first NUL or surrogate, line and column
    parser = etree.HTMLParser(encoding="utf-8", remove_pis=True, no_network=True,
                              collect_ids=False)
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
    return _Page(data, top).view(None)


class _Page:
    """One parsed page: lxml's top element, its lines, and the views made so far
    (the page itself under ``None``)."""

    __slots__ = ("lines", "top", "views")

    def __init__(self, data: bytes, top: Any) -> None:
        self.top = top
        self.lines = Lines(data, top)
        self.views: dict[Any, Element] = {}

    def view(self, node: Any) -> Element:
        """The one view of lxml's ``node`` (``None``: of the page)."""
        element = self.views.get(node)
        if element is None:
            element = self.views[node] = Element(node, self)
        return element

    def children(self, node: Any) -> list[Element | TextNode]:
        """The children of ``node`` (``None``: the page): elements, and texts with
        their lines, a text after a comment joined to the text before it."""
        lines = self.lines
        out: list[Element | TextNode] = []
        if node is None:
            node = self.top
            if node is None:
                return out
            children: Any = (node,)
        else:
            text = node.text
            if text:
                out.append(TextNode(text, lines.at(node)))
            children = node
        for child in children:
            if child.tag.__class__ is str:
                out.append(self.view(child))
            tail = child.tail
            if tail:
                last = out[-1] if out else None
                if last.__class__ is TextNode:
                    last.text += tail
                else:
                    out.append(TextNode(tail, lines.after(child)))
        return out


def common_ancestor(elements: Sequence[Element]) -> Element:
    """The innermost element holding all of ``elements`` (an element holds
    itself), found on lxml's tree."""
    page = elements[0]._page
    common: list[Any] | None = None
    for element in elements:
        node = element._node
        if node is None:
            return page.view(None)
        path = [node, *node.iterancestors()][::-1]
        if common is None:
            common = path
            continue
        n = 0
        while n < min(len(common), len(path)) and common[n] is path[n]:
            n += 1
        del common[n:]
    return page.view(common[-1] if common else None)


def innermost(elements: Sequence[Element]) -> list[Element]:
    """Those of ``elements`` that hold none of the others, in their order.

    Each element marks its ancestors, stopping at one already marked (whose
    ancestors are marked too), so that deep nesting costs no more than the
    tree's size."""
    holders: set[Any] = set()
    for element in elements:
        node = element._node
        if node is None:
            continue
        for above in node.iterancestors():
            if above in holders:
                break
            holders.add(above)
    if any(e._node is None for e in elements) and len(elements) > 1:
        holders.add(None)  # the page holds every element
    return [e for e in elements if e._node not in holders]
