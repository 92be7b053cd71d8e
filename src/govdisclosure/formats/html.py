"""The HTML format: published report pages in, a standalone page out.

Reading a published page (a report inside site navigation, or a bare
fragment) finds the report's tables among layout tables by the lexicon's table
markers (:data:`~govdisclosure.model.labels.TABLE_MARKERS`), then turns each
table row and each paragraph into a row for the decoder
(:func:`._textread.decode`), which places rows and cells for every source.
Merged cells are not resolved: a merged cell appears once, in its first row, as
in text copied from the page, and the decoder reads such rows as it reads
copied text. Each row keeps its HTML line (and a ``<tr>`` its empty cells), so
provenance and findings name lines of the HTML source. A page
this module wrote (``<meta name="generator" content="govdisclosure">``) is read
back exactly from its ``data-cell`` keys (:mod:`._htmlgenerated`).
:func:`render_page` (with :class:`Mark`) is the writer's public page API, which
the review page uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import unescape

import attrs

from .._files import check_text
from .._methods import fields_eq, fields_hash, fields_repr
from ..errors import Problem, ReadError
from ..model._normalise import FOLD_TABLE
from ..model.findings import Finding, Severity
from ..model.labels import APPLICANTS, TABLE_MARKERS, TABLE_OPENERS, key
from ..model.report import Report
from . import Format, ReadOptions
from ._htmlgenerated import generated_article, read_generated
from ._htmlgrid import HtmlLimitError, Table, table_of, table_rows, tables
from ._htmltext import blocks, clean, find_text
from ._htmltree import SKIP, Element, TextNode, common_ancestor, innermost, parse
from ._htmlwrite import Mark, render_page
from ._textread._findings import kept_unplaced
from ._textread._source import SourceRow, decode

__all__ = [
    "FORMAT",
    "MAX_CHARS",
    "Flattened",
    "Mark",
    "flatten",
    "read",
    "render_page",
    "write",
]

#: The largest page read, in characters. Real report pages, Word exports with
#: their ``mso-*`` markup included, are well under 1 MB; the standard library's
#: parser needs about 2 s per million characters of the densest markup, so a
#: larger page is refused at once rather than read for minutes.
MAX_CHARS = 5_000_000

_KIND_LABELS = TABLE_MARKERS  # what makes a table one of the report's (the lexicon)
_OPENERS = TABLE_OPENERS  # what opens a table's own copy of the form
_TABLE_NAMES = {"active": "二", "applications": "三", "appeals": "四"}


def _norm(text: str) -> str:
    """Text for label matching: the lexicon's one key (FORMAT.md's folding)."""
    return key(text)


# --- Finding the report's tables ----------------------------------------------


# A label cell is short; a layout table's cell holding the whole article is not,
# and must not make the layout table look like a report table because its
# narrative quotes a label (收到本年新收申请…).
_LABEL_CELL = 100


def _label_text(table: Table) -> str:
    """The table's short cells (nested tables left out), normalised for matching."""
    return "\n".join(
        _norm(cell.text) for row in table.rows for cell in row if len(cell.text) <= _LABEL_CELL
    )


def _kinds(text: str) -> frozenset[str]:
    return frozenset(
        kind for kind, alternatives in _KIND_LABELS.items()
        if any(all(label in text for label in alt) for alt in alternatives)
    )


@attrs.frozen(slots=True)
class ReportTable:
    """A table the reader takes as part of the report, with the parts it holds."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: Table
    kinds: frozenset[str]
    text: str

    @property
    def element(self) -> Element:
        return self.table.element


def find_report_tables(root: Element) -> list[ReportTable]:
    """The report's tables: those whose own cells hold the form's labels.

    A layout table wrapping the report holds the labels only inside its nested
    tables, which are not its own cells, so it never matches; a table nested in
    a cell of a report table is taken on its own as well.
    """
    found = []
    for element in tables(root):
        table = table_of(element)
        text = _label_text(table)
        kinds = _kinds(text)
        if kinds:
            found.append(ReportTable(table, kinds, text))
    if len(found) < 2:
        return found
    # Keep the innermost: drop a table holding another found table (a layout
    # table whose own short cells happen to quote a label).
    kept = set(innermost([t.element for t in found]))
    return [t for t in found if t.element in kept]


def _check_one_report(found: Sequence[ReportTable], source: str | None) -> None:
    problems = []
    for kind, openers in _OPENERS.items():
        holders = [t for t in found if any(o in t.text for o in openers)]
        if len(holders) > 1:
            lines = ", ".join(str(t.element.line) for t in holders)
            problems.append(Problem(
                message=f"the page holds {len(holders)} copies of table "
                f"{_TABLE_NAMES[kind]} (at lines {lines}): it looks like several reports "
                "on one page (read-multiple-reports); save each report as its own page",
                message_zh=f"网页中有 {len(holders)} 份表{_TABLE_NAMES[kind]}（在第 {lines} 行）："
                "像是一页中有多份报告（read-multiple-reports）；请把每份报告存为单独的网页",
                line=holders[1].element.line,
            ))
    if problems:
        raise ReadError(problems, source)


# --- The page as the decoder's rows ---------------------------------------------------


@attrs.frozen(slots=True)
class Flattened:
    """The page as the decoder's rows (one per table row or paragraph, with its
    HTML line) and the report tables found on it."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    rows: tuple[SourceRow, ...]
    tables: tuple[ReportTable, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """The rows as lines for people to read (:meth:`SourceRow.show`)."""
        return tuple(row.show() for row in self.rows)

    @property
    def sources(self) -> tuple[int, ...]:
        """Each row's HTML line."""
        return tuple(row.line or 0 for row in self.rows)


def _body(root: Element) -> Element:
    return next(root.iter("body"), root)


def _container(root: Element, found: Sequence[ReportTable]) -> Element:
    """The element holding the report: its tables and the heading of section 一."""
    body = _body(root)
    if not found:
        return body
    anchors = [t.element for t in found]
    heading = find_text(body, _is_overview, _OVERVIEW_FIRST)
    if heading is not None:
        anchors.append(heading)
    return common_ancestor(anchors)


_OVERVIEW = "总体情况"
# A text whose key holds 总体情况 holds a character that folds to 总: the texts
# before the heading, most of a page, are passed over with a search in C.
_OVERVIEW_FIRST = (_OVERVIEW[0], *(
    chr(c) for c, folded in FOLD_TABLE.items() if _OVERVIEW[0] in folded
))


def _is_overview(text: str) -> bool:
    """Whether ``text`` is the heading of section 一 (or holds it)."""
    return _OVERVIEW in _norm(text)


def _short_text(element: Element, limit: int) -> str | None:
    """The element's text, or ``None`` as soon as it exceeds ``limit`` characters."""
    parts: list[str] = []
    size = 0
    stack: list[Element | TextNode] = list(reversed(element.children))
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            parts.append(node.text)
            size += len(node.text.strip())
            if size > limit:
                return None
        elif node.tag not in SKIP:
            stack.extend(reversed(node.children))
    return clean(" ".join(parts))


def _walk(
    element: Element, replaced: Mapping[Element, list[SourceRow]]
) -> Iterator[SourceRow]:
    """Text lines of ``element``: blocks break lines, report tables are replaced."""
    for item in blocks(element, replaced):
        if isinstance(item, Element):
            yield from replaced[item]
        else:
            yield SourceRow.text(*item)


def _title_line(root: Element, container: Element) -> tuple[str, int] | None:
    """The report's title when the container lacks it.

    Sites print it above the article: a heading or an element whose class
    names a title (the first of either), else the CMS's ``<meta
    name="ArticleTitle">``, else the part of ``<title>`` before the site's name.
    """
    by_tag = _heading(root.iter("h1", "h2", "h3"), container)
    by_class = _heading(root.with_class("title"), container)
    if by_tag is not None and (by_class is None or by_tag[0].precedes(by_class[0])):
        by_class = by_tag
    if by_class is not None:
        element, text = by_class
        return text, next((c.line for c in element.iter_text()), element.line)
    meta: tuple[str, int] | None = None
    page_title: tuple[str, int] | None = None
    for element in root.iter("meta", "title"):
        if element.within(container):
            continue
        if element.tag == "meta":
            if meta is None and element.attrs.get("name", "").lower() == "articletitle":
                text = clean(element.attrs.get("content", ""))
                if "报告" in text:
                    meta = text, element.line
        elif page_title is None:
            text = clean("".join(c.text for c in element.children if isinstance(c, TextNode)))
            head = re.split(r"\s*[_|]\s*|\s+-\s+", text)[0]
            if "报告" in head:
                page_title = head, element.line
    return meta or page_title


def _heading(elements: Iterable[Element], container: Element) -> tuple[Element, str] | None:
    """The first of ``elements`` outside ``container`` whose short text names a report."""
    for element in elements:
        if not element.within(container):
            text = _short_text(element, 100)
            if text and "报告" in text:
                return element, text
    return None


def flatten(root: Element, source: str | None = None) -> Flattened:
    """The report part of a parsed page as the decoder's rows.

    Raises :class:`ReadError` when the page holds two reports' tables or a
    table too large to be a report's.
    """
    found = find_report_tables(root)
    _check_one_report(found, source)
    replaced: dict[Element, list[SourceRow]] = {}
    try:
        for t in found:
            replaced[t.element] = table_rows(t.table)
    except HtmlLimitError as error:
        raise ReadError([Problem(message=str(error), message_zh=error.zh, line=error.line)],
                        source) from None
    container = _container(root, found)
    rows = list(_walk(container, replaced))
    first = " ".join(rows[0].cells) if rows else ""
    if "报告" not in first or len(first) > 100:  # the first line is not a title
        title = _title_line(root, container)
        if title is not None:
            rows.insert(0, SourceRow.text(*title))
    return Flattened(rows=tuple(rows), tables=tuple(found))


# --- Reading -----------------------------------------------------------------------


def _no_tables_finding(flat: Flattened) -> Finding:
    return Finding(
        rule="read-no-tables",
        severity=Severity.ERROR,
        line=flat.rows[0].line if flat.rows else None,
        message=f"页面中没有报告表格：没有任何 <table> 含有“{APPLICANTS}”“第二十条”"
        "“行政复议”等表格标签",
        message_en="the page has no report tables: no <table> holds the form's labels "
        f"({APPLICANTS}, 第二十条, 行政复议)",
    )


def read(text: str, options: ReadOptions) -> Report:
    """Read a report page; generated pages exactly, published ones through labels."""
    if len(text) > MAX_CHARS:
        check_text(text, options.source)  # NUL and surrogates first, as for any text
        raise ReadError(
            [Problem(message=f"the page has {len(text):,} characters; a report page has "
                     f"well under {MAX_CHARS:,}, so this is refused unread",
                     message_zh=f"网页有 {len(text):,} 个字符；报告网页远少于 {MAX_CHARS:,} 个，"
                     "因此不予读取")],
            options.source,
        )
    text, cut = _cut_off_row(text)
    root = parse(text, options.source)
    try:
        article = generated_article(root)
        if article is not None:
            report = read_generated(article, options)
            return report if cut is None else _with_cut_row(report, cut)
        flat = flatten(root, options.source)
    finally:
        root.release()  # the page is freed here, not by the cycle collector
    report = decode(list(flat.rows), options)
    if not flat.tables:
        # The text reader reports each missing table; say why for the page as a whole.
        report = attrs.evolve(
            report, read_findings=(_no_tables_finding(flat), *report.read_findings)
        )
    return report if cut is None else _with_cut_row(report, cut)


# A table row's start tag (any case) and any tag, for a page cut off in a row.
_ROW_START = re.compile(r"<tr\b", re.I)
_TAG = re.compile(r"<[^>]*>?")
_OPENS = ("<table", "<TABLE", "<Table")
_CLOSES = ("</table", "</TABLE", "</Table")


def _cut_off_row(text: str) -> tuple[str, tuple[int, str] | None]:
    """The page without the table row it ends in, when it ends inside a table
    it opened (a page saved at a fixed size, or cut off in transfer): that
    row's last cell may be cut inside a number (``1`` of ``1139``), so the row
    is not read. Returns the page to read and, when a row was taken off, its
    line and its text."""
    # From the end: the last close (one search when the page's case is the
    # usual one), then any table opened after it and not closed.
    closed = -1
    for close in _CLOSES:
        closed = text.rfind(close)
        if closed >= 0:
            break
    opened = max(text.rfind(tag, closed + 1) for tag in _OPENS)
    if opened < 0 or any(text.find(close, opened) >= 0 for close in _CLOSES):
        return text, None
    rows = [m.start() for m in _ROW_START.finditer(text, opened)]
    if not rows:
        return text, None
    start = rows[-1]
    words = " ".join(unescape(_TAG.sub(" ", text[start:])).split())
    return text[:start], (text.count("\n", 0, start) + 1, words)


def _with_cut_row(report: Report, cut: tuple[int, str]) -> Report:
    """``report`` with the row its page was cut off in kept as unplaced text,
    and a finding that says so."""
    line, words = cut
    return kept_unplaced(
        report, words, line,
        f"第 {line} 行：网页在表格的这一行中结束（可能被截断），该行不予读取"
        + (f"，其文字“{words}”保留为无法归位的文字" if words else ""),
        f"line {line}: the page ends inside this table row (it may be cut off), so "
        "the row is not read" + (f"; its text {words!r} is kept as unplaced text"
                                 if words else ""),
    )


# --- Writing ---------------------------------------------------------------------------


def write(report: Report) -> str:
    """A standalone page: the official layout with merged headers, inline CSS, no script."""
    return render_page(report)


FORMAT = Format(
    name="html",
    description="web page: published report pages (read), a standalone page (write)",
    description_zh="网页：读取发布的报告网页，写出独立的网页",
    extensions=(".html", ".htm"),
    read=read,
    write=write,
    read_checks_text=True,  # parse encodes the page for lxml: that is the check
)
