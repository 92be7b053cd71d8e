"""Text on lxml's tree: the first text passing a test, and a container's lines.

What the reader needs from a page's text besides its tables, found on lxml's
own tree under the views of :mod:`._htmltree`: the element holding the first
text node that passes a test (:func:`find_text`: the heading of section 一) and
the text of the report's container as lines broken where blocks start and end
(:func:`blocks`), each with the line it begins on. Text nodes are the ones
:attr:`~._htmltree.Element.children` gives: the texts around a comment joined,
scripts and the like left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from typing import Any

from ._htmllines import Lines
from ._htmltree import BLOCK, SKIP, Element

__all__ = ["BLANK", "blocks", "clean", "find_text"]

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
#: Whether a text is blank as :func:`clean` sees it (``fullmatch``: a match or ``None``).
BLANK = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]*").fullmatch


def find_text(
    element: Element, test: Callable[[str], bool], holds: tuple[str, ...] = ()
) -> Element | None:
    """The element holding the first text node below ``element`` (scripts and the
    like left out) whose text passes ``test``, as :attr:`Element.children` joins
    text nodes; found on lxml's tree, without a view of each element passed.

    With ``holds`` (strings, one of which every text that passes holds), the
    texts holding none of them are passed over without joining or testing them.
    """
    if holds:
        return _find_holding(element, test, holds)
    page = element._page
    node = element._node
    if node is None:  # the page: its one element, then the text after it
        top = page.top
        if top is None:
            return None
        frames: list[tuple[Any, Iterator[Any], list[str]]] = [(None, iter((top,)), [])]
    else:
        frames = [(node, iter(node), [node.text] if node.text else [])]
    # Per open element: lxml's element, the iterator over its children, and the
    # pieces of the text node being gathered (texts with only comments between).
    while frames:
        holder, children, run = frames[-1]
        for child in children:
            if child.tag.__class__ is str:
                if run:
                    if test("".join(run)):
                        return page.view(holder)
                    run.clear()
                if child.tag not in SKIP:
                    text = child.text
                    frames.append((child, iter(child), [text] if text else []))
                    break
            tail = child.tail
            if tail:
                run.append(tail)
        else:
            frames.pop()
            if run and test("".join(run)):
                return page.view(holder)
            if frames and holder is not None:
                tail = holder.tail
                if tail:
                    frames[-1][2].append(tail)
    return None


def _find_holding(
    element: Element, test: Callable[[str], bool], holds: tuple[str, ...]
) -> Element | None:
    # lxml's iteration (in C) meets an element's text where it stands, but its
    # tail before the elements below it: a text node found in a tail is the
    # answer only if none below that element passes.
    page = element._page
    limit = element._node  # below it (below the page: from its element), no SKIP
    root = page.top if limit is None else limit
    if root is None:
        return None
    holding = re.compile("|".join(map(re.escape, holds))).search  # compiled once (re's cache)
    best: Element | None = None
    elements: Iterator[Any] = root.iter()
    searching = True
    while searching:
        searching = False
        for node in elements:
            if node.tag.__class__ is str:
                text = node.text
                if text and holding(text) and _passes(node, None, test, limit):
                    return page.view(node)
            if node is root:
                continue
            tail = node.tail
            if tail and holding(tail):
                holder = node.getparent()
                if _passes(holder, node, test, limit):
                    best = page.view(holder)
                    elements = node.iterdescendants()  # earlier: a text below node
                    searching = True
                    break
    if best is None and limit is None:  # the text after the page's element
        tail = root.tail
        if tail and holding(tail) and test(tail):
            return page.view(None)
    return best


def _passes(holder: Any, after: Any, test: Callable[[str], bool], limit: Any) -> bool:
    """Whether the text node of ``holder`` that begins with its text (``after``
    None) or with the tail of its child ``after`` is searched and passes ``test``:
    the pieces of text with only comments between them, as :meth:`_Page.children`
    joins them."""
    above = holder
    while above is not limit:
        if above.tag in SKIP:
            return False
        above = above.getparent()
    while after is not None and after.tag.__class__ is not str:  # back to the start
        after = after.getprevious()
    if after is None:
        pieces = [holder.text]
        child = holder[0] if len(holder) else None
    else:
        pieces = [after.tail]
        child = after.getnext()
    while child is not None and child.tag.__class__ is not str:
        pieces.append(child.tail)
        child = child.getnext()
    return test("".join(filter(None, pieces)))


def blocks(
    element: Element, stops: Collection[Element] = ()
) -> Iterator[tuple[str, int] | Element]:
    """The text of ``element`` as lines broken where blocks start and end, each
    with the line its first text node that is not blank begins on (text nodes as
    :attr:`Element.children` gives them); each of ``stops`` met ends a line and
    is given in its place, its content unread. Walked on lxml's tree: a text
    node's line is found only when it begins a line.
    """
    page = element._page
    lines = page.lines
    stopping = {e._node: e for e in stops}
    parts: list[str] = []
    blank = True  # the line so far holds no text but blanks
    # Where the line's first text node not blank begins: after the node's start
    # tag (its text) or after its content (its tail).
    begins: tuple[Any, bool] = (None, False)
    top = element._node
    # Per open element: lxml's element, its children's iterator, and whether the
    # last of its children read was text (a comment's tail then continues it).
    frames: list[list[Any]]
    if top is None:  # the page: its element and the text after it
        if page.top is None:
            return
        frames = [[None, iter((page.top,)), False]]
    else:
        frames = [[top, iter(top), False]]
        text = top.text
        if text:
            parts.append(text)
            begins = (top, False)
            blank = BLANK(text) is not None
            frames[0][2] = True
    while frames:
        frame = frames[-1]
        for child in frame[1]:
            tag = child.tag
            if tag.__class__ is str:
                frame[2] = False
                stop = stopping.get(child)
                if stop is not None or tag in BLOCK:
                    if not blank:
                        yield clean("".join(parts)), _line_of(lines, begins)
                    parts, blank = [], True
                    if stop is not None:
                        yield stop
                if stop is None and tag not in SKIP:
                    text = child.text
                    frames.append([child, iter(child), bool(text)])
                    if text:
                        if blank:
                            begins = (child, False)
                            blank = BLANK(text) is not None
                        parts.append(text)
                    break
            tail = child.tail
            if tail:  # after a comment, text goes on
                if blank and (tag.__class__ is str or not frame[2]):
                    begins = (child, True)
                    blank = BLANK(tail) is not None
                elif blank:
                    blank = BLANK(tail) is not None
                parts.append(tail)
                frame[2] = True
        else:
            frames.pop()
            ended = frame[0]
            if not frames or ended is None:
                break
            if ended.tag in BLOCK:
                if not blank:
                    yield clean("".join(parts)), _line_of(lines, begins)
                parts, blank = [], True
            tail = ended.tail
            if tail:
                if blank:
                    begins = (ended, True)
                    blank = BLANK(tail) is not None
                parts.append(tail)
                frames[-1][2] = True
    if not blank:
        yield clean("".join(parts)), _line_of(lines, begins)


def _line_of(lines: Lines, begins: tuple[Any, bool]) -> int:
    node, after = begins
    return lines.after(node) if after else lines.at(node)


def clean(text: str) -> str:
    """Whitespace runs (``&nbsp;``, full-width space, zero-width) as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()
