"""The HTML tree builder: generated pages whose every element and text line is known.

The pages are generated as trees and written out with the liberties real pages
take (start tags broken over lines, end tags of cells, rows, list items and
paragraphs left out, comments and blank lines between elements, entities); the
tree built from the page must hold every element with the line its start tag
begins on, and every text with the line it begins on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govdisclosure import ReadError, loads
from govdisclosure.formats._htmlgrid import cell_text, table_of, tables, walked_text
from govdisclosure.formats._htmllines import _AFTER_NAME, _StartLines
from govdisclosure.formats._htmltext import blocks, clean, find_text
from govdisclosure.formats._htmltree import BLOCK, MAX_DEPTH, SKIP, Element, TextNode, parse

# What each element may hold: "flow" (blocks, inline and text), "inline"
# (inline and text), or one element kind.
_HOLDS = {
    "div": "flow", "td": "flow", "li": "flow", "p": "inline",
    "span": "inline", "b": "inline", "font": "inline",
    "table": "tr", "tr": "td", "ul": "li",
}
_BLOCKS = ("div", "p", "table", "ul")
_INLINE = ("span", "b", "font")
# End tags a page may leave out, and what must follow for the omission to be safe.
_OPTIONAL_END = {"td", "li", "tr", "p"}


@dataclass
class Node:
    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node | str] = field(default_factory=list)


_TEXT = st.text(alphabet="中文数字一二三12 &<>\n\u3000", min_size=1, max_size=12).filter(
    lambda s: s.strip(" \n\u3000") != ""
)
_ATTR_VALUE = st.text(alphabet="ab1 :;\n", max_size=10)


@st.composite
def _node(draw: st.DrawFn, tag: str, depth: int) -> Node:
    names = draw(st.lists(st.sampled_from(["class", "style", "width", "title"]), unique=True,
                          max_size=3))
    node = Node(tag, [(name, draw(_ATTR_VALUE)) for name in names])
    holds = _HOLDS[tag]
    if holds in ("tr", "td", "li"):
        node.children = [draw(_node(holds, depth + 1)) for _ in range(draw(st.integers(1, 3)))]
        return node
    kinds = [*_INLINE, "br", "#text"]
    if holds == "flow":
        kinds += list(_BLOCKS)
    if depth >= 5:
        kinds = ["#text", "br"]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(kinds))
        if kind == "#text":
            if node.children and isinstance(node.children[-1], str):
                continue  # two texts in a row are one text
            node.children.append(draw(_TEXT))
        elif kind == "br":
            node.children.append(Node("br", []))
        else:
            node.children.append(draw(_node(kind, depth + 1)))
    return node


@dataclass
class Page:
    html: str
    elements: list[tuple[str, int]]  # (tag, line of the start tag's "<"), document order
    texts: list[tuple[str, int]]  # (text, line where it begins), document order


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "\u3000", "&#12288;"
    )


def _write(root: Node, draw: st.DrawFn) -> Page:
    out: list[str] = []
    elements: list[tuple[str, int]] = []
    texts: list[tuple[str, int]] = []
    line = 1

    def emit(chunk: str) -> None:
        nonlocal line
        out.append(chunk)
        line += chunk.count("\n")

    def write(node: Node, omit_end: bool) -> None:
        elements.append((node.tag, line))
        emit("<" + node.tag)
        for name, value in node.attrs:
            emit(draw(st.sampled_from([" ", "\n", "\n  "])) + f'{name}="{value}"')
        emit(draw(st.sampled_from([">", "\n>"])) if node.attrs else ">")
        if node.tag == "br":
            return
        for i, child in enumerate(node.children):
            if isinstance(child, str):
                texts.append((child.strip(" \n\u3000"), line))
                emit(_escape(child))
                continue
            following = node.children[i + 1] if i + 1 < len(node.children) else None
            # An end tag may be left out where what follows closes the element anyway:
            # a cell before a cell, an item before an item, a row before a row, a
            # paragraph before a block.
            safe = (
                child.tag in _OPTIONAL_END
                and (following is None or not isinstance(following, str))
                and (
                    (following is None and child.tag != "p")
                    or (isinstance(following, Node) and following.tag == child.tag)
                    or (child.tag == "p" and isinstance(following, Node)
                        and following.tag in _BLOCKS)
                )
            )
            write(child, safe and draw(st.booleans()))
            if following is not None and not isinstance(following, str) and not (
                safe and child.tag == "p"
            ):
                emit(draw(st.sampled_from(["", "\n", "\n\n  ", "<!-- a\nb -->", " "])))
        if not omit_end:
            emit(f"</{node.tag}>")

    emit("<html><body>\n")
    write(root, False)
    emit("\n</body></html>\n")
    return Page("".join(out), elements, texts)


@st.composite
def pages(draw: st.DrawFn) -> Page:
    return _write(draw(_node("div", 0)), draw)


def _seen(root: Element) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    elements: list[tuple[str, int]] = []
    texts: list[tuple[str, int]] = []
    stack: list[Element | TextNode] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            if node.text.strip(" \n\u3000"):  # whitespace between elements may join it
                texts.append((node.text.strip(" \n\u3000"), node.line))
            continue
        if node.tag not in ("#document", "html", "body"):
            elements.append((node.tag, node.line))
        stack.extend(reversed(node.children))
    return elements, texts


@settings(max_examples=150, deadline=None)
@given(page=pages())
def test_every_element_and_text_keeps_its_line(page: Page) -> None:
    elements, texts = _seen(parse(page.html))
    assert elements == page.elements
    assert texts == page.texts


@settings(max_examples=100, deadline=None)
@given(page=pages())
def test_every_element_is_iterated_once_in_document_order(page: Page) -> None:
    root = parse(page.html)
    walked: list[Element] = []
    stack: list[Element] = [root]
    while stack:
        element = stack.pop()
        walked.append(element)
        stack.extend(c for c in reversed(element.children) if isinstance(c, Element))
    assert list(root.iter()) == walked
    for element in walked:  # each element's own iter() is its subtree
        below = list(element.iter())
        assert below[0] is element
        assert all(element in e.ancestors() for e in below[1:])


def test_a_cell_s_text_is_its_lines_joined_by_a_space() -> None:
    root = parse("<table><tr><td> 商业<br>企业<p>科研</p>机构<table><tr><td>嵌</td></tr>"
                 "</table><script>x</script></td></tr></table>")
    cell = next(e for e in root.iter() if e.tag == "td")  # the outer cell
    assert cell_text(cell) == "商业 企业 科研 机构"


@pytest.mark.parametrize(
    ("content", "text"),
    [
        pytest.param("甲 <b>乙</b>", "甲 乙", id="no-block"),
        pytest.param("\n <p>甲<span>乙</span></p>\u3000", "甲乙", id="one-block-child"),
        pytest.param("丙<p>甲</p>", "丙 甲", id="text-before-the-block"),
        pytest.param("<p>甲</p>丙", "甲 丙", id="text-after-the-block"),
        pytest.param("<span>丙<p>甲</p></span>", "丙 甲", id="block-below-an-inline"),
        pytest.param("<p>甲<br>乙</p>", "甲 乙", id="block-in-the-block"),
        pytest.param("<p>甲</p><p>乙</p>", "甲 乙", id="two-blocks"),
        pytest.param("甲<script>x</script>乙", "甲乙", id="script"),
        pytest.param("<p>甲<script>x</script></p>", "甲", id="script-in-the-block"),
        pytest.param("<table><tr><td>嵌</td></tr></table>", "", id="nested-table"),
        pytest.param("甲<!-- x -->乙", "甲乙", id="comment"),
    ],
)
def test_a_cell_s_text_is_the_walk_s_where_libxml2_gives_it(content: str, text: str) -> None:
    table = next(parse(f"<table><tr><td>{content}</td><td>x</td></tr></table>").iter("table"))
    cell = next(table.iter("td"))
    assert cell_text(cell) == walked_text(cell._node) == text
    assert table_of(table).rows[0][0].text == text


_IN_CELLS = ("<script>甲\n</script>", "<style>乙</style>", "<!-- 丙 -->", "\n", "&nbsp;",
             "\u200b", "<p>丁</p>", "<br>", "<table><tr><td>嵌</td></tr></table>", " 戊 ",
             "<span>己</span>", "</p>")


@settings(max_examples=150, deadline=None)
@given(page=pages(), data=st.data())
def test_every_cell_s_text_is_the_walk_of_its_nodes(page: Page, data: st.DataObject) -> None:
    # Cells holding no block, or all their text in one block child, take
    # libxml2's text content (in C); every cell must read as the walk reads it.
    html = page.html
    for _ in range(data.draw(st.integers(0, 6))):
        at = data.draw(st.sampled_from([i for i, c in enumerate(html) if c == "<"]))
        html = html[:at] + data.draw(st.sampled_from(_IN_CELLS)) + html[at:]
    root = parse(html)
    for cell in root.iter("td"):
        assert cell_text(cell) == walked_text(cell._node)
    for table in tables(root):  # each table's cells, read together
        for row in table_of(table).rows:
            assert [c.text for c in row] == [walked_text(c._node) for c in row]


def _start_by_search(data: bytes, tag: str, end_line: int) -> int:
    # What _StartLines finds on the page's lines, found by searching the whole page.
    starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    if not 2 <= end_line <= len(starts):
        return end_line
    offset = starts[end_line - 1]
    close = data.find(b">", offset)
    if close < 0 or data.find(b"<", offset, close) >= 0:
        return end_line
    opening = data.rfind(b"<", 0, offset) + 1
    name_end = opening + len(tag)
    if (not opening or data[opening:name_end].lower() != tag.encode()
            or data[name_end:name_end + 1] not in _AFTER_NAME):
        return end_line
    return end_line - data.count(b"\n", opening, offset)


_MARKUP = st.lists(st.sampled_from([b"<td", b"<p", b"\n", b"\n", b' a="1"', b">", b"<", b"TD",
                                    b"x", b"/", b"\r", b"<tdx"]), max_size=30).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(data=_MARKUP, tag=st.sampled_from(["td", "p"]), end_line=st.integers(0, 12))
@example(data=b'<td a="1"\n\n>', tag="td", end_line=2)  # no ">" on the line: the next one's
@example(data=b"<td\n\n<p>", tag="td", end_line=2)  # a tag begins before the next ">"
@example(data=b"<td\n\n", tag="td", end_line=2)  # no ">" at all
@example(data=b"x\n<tdx\n>", tag="td", end_line=3)  # another name
def test_a_start_line_is_found_as_a_search_of_the_whole_page_finds_it(
    data: bytes, tag: str, end_line: int
) -> None:
    assert _StartLines(data).start(tag, end_line) == _start_by_search(data, tag, end_line)


def test_a_start_tag_over_several_lines_begins_on_its_first() -> None:
    html = '<table><tr><td\n width="1"\n style="a:\nb">x</td><td>y</td></tr></table>'
    (cell_x, cell_y), = table_of(tables(parse(html))[0]).rows
    assert (cell_x.line, cell_y.line) == (1, 4)


@pytest.mark.parametrize("page", [
    "<div>" * 20_000,
    "<table><tr><td>" * 10_000 + "x",
    "<p>\n" + "<span>" * (MAX_DEPTH + 10) + "深",
])
def test_nesting_past_the_bound_is_a_read_error_with_a_line(page: str) -> None:
    with pytest.raises(ReadError, match=f"nested more than {MAX_DEPTH} deep") as caught:
        loads(page, "html")
    assert caught.value.problems[0].line is not None


def test_nesting_up_to_the_bound_is_read() -> None:
    depth = MAX_DEPTH - 10
    root = parse("<div>" * depth + "深" + "</div>" * depth)
    deepest = max(len(list(e.ancestors())) for e in root.iter())
    assert deepest >= depth
    assert [n.text for e in root.iter() for n in e.children if isinstance(n, TextNode)] == ["深"]


def test_sibling_items_and_paragraphs_do_not_nest() -> None:
    # Left open, each <li> and <p> closes the one before: 10,000 of them are
    # 10,000 siblings, not 10,000 levels (read in linear time, not refused).
    for tag in ("li", "p"):
        root = parse(f"<{tag}>x" * 10_000)
        assert sum(1 for e in root.iter() if e.tag == tag) == 10_000
        assert max(len(list(e.ancestors())) for e in root.iter()) < 10


def test_a_lone_surrogate_is_a_read_error_with_its_line() -> None:
    with pytest.raises(ReadError, match="surrogate") as caught:
        parse("<p>一</p>\n<p>\ud800</p>")
    assert caught.value.problems[0].line == 2


@settings(max_examples=100, deadline=None)
@given(page=pages())
def test_lines_from_neighbours_are_the_lines_counted_from_the_start(page: Page) -> None:
    # Lines are found from each node's neighbours; past libxml2's last line they
    # are counted in one pass over the page. Both must give the same lines.
    counted = parse(page.html)
    counted._page.lines._count()
    assert _seen(counted) == _seen(parse(page.html))


def test_lines_past_libxml2_s_count_are_counted_from_the_text() -> None:
    # libxml2 stops counting at line 65,535: later lines come from the text.
    filler = "<p>x</p>\n" * 70_000
    root = parse(f"<div>{filler}<table><tr><td>甲</td>\n<td>乙</td></tr></table></div>")
    (cell_a, cell_b), = table_of(tables(root)[0]).rows
    assert (cell_a.line, cell_b.line) == (70_001, 70_002)
    texts = [n for e in root.iter() for n in e.children if isinstance(n, TextNode)]
    assert [n.line for n in texts if n.text == "乙"] == [70_002]


@settings(max_examples=100, deadline=None)
@given(page=pages())
def test_find_text_finds_the_first_text_node_as_children_give_them(page: Page) -> None:
    root = parse(page.html)
    body = next(root.iter("body"))
    holders: dict[str, Element] = {}  # each text's first holder, in document order
    stack: list[tuple[Element | TextNode, Element]] = [(body, body)]
    while stack:
        node, holder = stack.pop()
        if isinstance(node, TextNode):
            holders.setdefault(node.text, holder)
        else:
            stack.extend((c, node) for c in reversed(node.children))
    for text, holder in holders.items():
        assert find_text(body, text.__eq__) is holder
    assert find_text(body, lambda t: False) is None


def _first_passing_tests(c: str) -> list[Callable[[str], bool]]:
    return [lambda t: c in t, lambda t: t.endswith(c), lambda t: t.startswith(c)]


@settings(max_examples=100, deadline=None)
@given(page=pages())
def test_find_text_passing_over_texts_without_a_string_finds_the_same(page: Page) -> None:
    # With ``holds``, texts are looked for by lxml's iteration (tails met before
    # the elements below them) and only those holding a string are joined and
    # tested: the first text node found must be the one the full walk finds.
    root = parse(page.html)
    for top in (root, next(root.iter("body"))):
        for c in "中文数字一二三12&<>":
            for test in _first_passing_tests(c):
                assert find_text(top, test, (c,)) is find_text(top, test)


@pytest.mark.parametrize("html", [
    "<div>甲<script>乙</script>乙<!--x-->乙丙<p>乙</p></div>",
    "<div><span>前<b>乙</b>后</span>乙</div>",
    "<div><span>x</span>乙<span>乙</span>丁</div>",
    "<div><style>乙</style><p>丁乙</p>乙</div>",
    "<p>甲<!--c-->乙</p><p>乙</p>",
    "<div><select><option>乙</option></select>乙<i>乙</i></div>",
])
def test_find_text_holding_leaves_out_scripts_and_joins_across_comments(html: str) -> None:
    root = parse(html)
    for top in (root, next(root.iter("body"))):
        for test in (*_first_passing_tests("乙"), "甲乙".__eq__, "乙丙".__eq__):
            assert find_text(top, test, ("乙",)) is find_text(top, test)
    assert find_text(root, "甲乙".__eq__, ("乙",)) is not None or "甲<!--" not in html


def _reference_blocks(
    element: Element, stops: Collection[Element]
) -> list[tuple[str, int] | Element]:
    # The lines of ``element`` read from the views' children and text nodes:
    # what blocks() must give, walking lxml's tree instead.
    out: list[tuple[str, int] | Element] = []
    parts: list[str] = []
    line = element.line
    stack: list[Element | TextNode | None] = list(reversed(element.children))

    def flush() -> None:
        text = clean("".join(parts))
        if text:
            out.append((text, line))
        parts.clear()

    while stack:
        node = stack.pop()
        if node is None or (isinstance(node, Element) and node in stops):
            flush()
            if node is not None:
                out.append(node)
            continue
        if isinstance(node, TextNode):
            if not parts or not clean("".join(parts)):
                line = node.line
            parts.append(node.text)
        elif node.tag not in SKIP:
            inner = list(reversed(node.children))
            stack.extend([None, *inner, None] if node.tag in BLOCK else inner)
    flush()
    return out


_SKIPPED = ("<script>甲\n</script>", "<style>\n乙</style>", "<!-- 丙\n -->", "\n",
            "\n<!-- 丁\n -->戊")


@settings(max_examples=150, deadline=None)
@given(page=pages(), data=st.data())
def test_blocks_are_the_lines_the_views_give(page: Page, data: st.DataObject) -> None:
    # Scripts, styles and comments put at random places between elements.
    html = page.html
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.sampled_from([i for i, c in enumerate(html) if c == "<"]))
        html = html[:at] + data.draw(st.sampled_from(_SKIPPED)) + html[at:]
    root = parse(html)
    candidates = [e for e in root.iter() if e.tag in ("table", "p", "div", "span")]
    stops = data.draw(st.lists(st.sampled_from(candidates), unique=True, max_size=3)
                      if candidates else st.just([]))
    for element in (root, next(root.iter("body")), *candidates[:3]):
        assert list(blocks(element, stops)) == _reference_blocks(element, stops)
