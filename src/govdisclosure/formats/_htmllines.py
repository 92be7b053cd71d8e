"""Source lines of lxml's nodes: where a start tag begins, where a text begins.

libxml2 records the line where a start tag *ends*; :class:`Lines` counts from
there, from a node's neighbours only, and finds where a tag spread over lines
began from the page's UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["Lines"]

#: libxml2's line numbers stop here in lxml's HTML parser (no big-lines option).
_LAST_LINE = 65_535
_AFTER_NAME = frozenset((b"", b" ", b"\t", b"\n", b"\r", b"\f", b"/", b">"))


class Lines:
    """Lines in the page of lxml's elements and comments, and of the text around them.

    libxml2 gives each element and comment the line where its start tag (or
    the comment) *ends*: :meth:`at`, where its text begins. A text after an
    end tag begins where the content before it ended, plus the newlines of
    the texts in between: :meth:`after` finds that from the last element
    ending inside, and :meth:`before` from the element or text just before.
    Both look at a node's neighbours only, so that the lines of the few nodes
    the reader uses cost no walk over the page. Past :data:`_LAST_LINE`, where
    libxml2's count stops, the lines of every node are counted in one pass from
    the text alone (newlines inside tags are then missed).
    """

    __slots__ = ("_counted", "_starts", "_top")

    def __init__(self, data: bytes, top: Any) -> None:
        self._starts = _StartLines(data)
        self._top = top
        # Per node: the line before it, at it and after its content, when counted.
        self._counted: dict[Any, tuple[int, int, int]] | None = None

    def at(self, node: Any) -> int:
        """The line where ``node``'s start tag (or the comment) ends."""
        counted = self._counted
        if counted is None:
            ends = node.sourceline
            if ends is not None and ends < _LAST_LINE:
                return ends  # type: ignore[no-any-return]
            counted = self._count()
        return counted[node][1]

    def before(self, node: Any) -> int:
        """The line where the content before ``node`` ends."""
        counted = self._counted
        if counted is not None:
            return counted[node][0]
        if node is self._top:
            return 1
        previous = node.getprevious()
        if previous is not None:
            tail = previous.tail
            return self.after(previous) + (tail.count("\n") if tail else 0)
        parent = node.getparent()
        text = parent.text
        return self.at(parent) + (text.count("\n") if text else 0)

    def after(self, node: Any) -> int:
        """The line where ``node``'s content ends (where a text after it begins)."""
        counted = self._counted
        if counted is not None:
            return counted[node][2]
        # The content ends with the last element at the bottom of the last children.
        tails = 0
        while node.tag.__class__ is str and len(node):
            node = node[-1]
            tail = node.tail
            if tail:
                tails += tail.count("\n")
        text = node.text if node.tag.__class__ is str else None
        return self.at(node) + (text.count("\n") if text else 0) + tails

    def start(self, node: Any) -> int:
        """The line where an element's start tag begins."""
        line = self.at(node)
        if self.before(node) < line:  # the tag may have begun on an earlier line
            return self._starts.start(node.tag, line)
        return line

    def _count(self) -> dict[Any, tuple[int, int, int]]:
        """Every node's lines, counted in document order from the page's start."""
        counted: dict[Any, tuple[int, int, int]] = {}
        top = self._top
        line = 1
        # Per open element: libxml2's element, the line at it, the line before it,
        # and the iterator over its children.
        stack: list[tuple[Any, int, int, Iterator[Any]]] = [(None, 0, 0, iter((top,)))]
        while stack:
            parent, at_parent, before_parent, children = stack[-1]
            for node in children:
                before = line
                ends = node.sourceline
                if ends is not None and ends < _LAST_LINE:
                    line = ends
                at = line
                if node.tag.__class__ is str:
                    text = node.text
                    if text:
                        line += text.count("\n")
                    if len(node):
                        stack.append((node, at, before, iter(node)))
                        break
                counted[node] = (before, at, line)
                tail = node.tail
                if tail:
                    line += tail.count("\n")
            else:
                stack.pop()
                if parent is not None:
                    counted[parent] = (before_parent, at_parent, line)
                    tail = parent.tail
                    if tail:
                        line += tail.count("\n")
        self._counted = counted
        return counted


class _StartLines:
    """The line a start tag begins on, from the line libxml2 gives: where it ends.

    Word exports break long ``style`` attributes over several lines; such a tag
    begins on an earlier line than the one libxml2 records. :class:`_Lines`
    asks only for an element that is the first thing ending on its line L (the
    content before it ended on an earlier line). A start tag that began before
    line L leaves no ``<`` on line L before the first ``>``: then the last
    ``<`` before line L opens it, if it opens a tag of that name. Each question
    looks at line L and back to that ``<`` only, on the page's lines (its UTF-8
    split once at newlines), so the work is linear in the page.
    """

    __slots__ = ("_lines", "data")

    def __init__(self, data: bytes) -> None:
        self.data = data  # the page's UTF-8, as lxml parsed it
        self._lines: list[bytes] | None = None

    def start(self, tag: str, end_line: int) -> int:
        """The line where a ``tag`` start tag ending on ``end_line`` began."""
        lines = self._lines
        if lines is None:
            lines = self._lines = self.data.split(b"\n")
        if not 2 <= end_line <= len(lines):
            return end_line
        # The first ">" from line end_line on: no "<" may come before it.
        at = end_line - 1
        while True:
            line = lines[at]
            close = line.find(b">")
            if line.find(b"<", 0, close if close >= 0 else len(line)) >= 0:
                return end_line  # a tag begins on this line before the first ">"
            if close >= 0:
                break
            at += 1
            if at == len(lines):
                return end_line
        # The last "<" before line end_line, and the name after it.
        at = end_line - 2
        opening = lines[at].rfind(b"<")
        while opening < 0:
            at -= 1
            if at < 0:
                return end_line
            opening = lines[at].rfind(b"<")
        line = lines[at]
        name = tag.encode()
        name_end = opening + 1 + len(name)
        if (
            line[opening + 1:name_end].lower() != name
            or line[name_end:name_end + 1] not in _AFTER_NAME
        ):
            return end_line
        return at + 1
