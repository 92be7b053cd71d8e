"""The layout of a report: its rows, section headings, regions and metadata.

A report is cut into regions at its section headings (一 … 六, in order, with
the variants real reports print). Lines longer than a page line, as a crawler
writes them, are first cut at headings found inside them, so that every region
still knows its source line. Title, agency and year come from the title line,
the lines a crawler puts before the text (``标题:``), and the introduction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import attrs

from ..._methods import fields_eq, fields_hash, fields_repr
from ...model._normalise import FOLD_TABLE, WHITESPACE, fold, key
from ...model.labels import INLINE_HEADINGS, TABLE_STARTS, TABLE_TITLES, TITLE_WORDS, section_of

__all__ = [
    "EMPTY",
    "Layout",
    "Region",
    "RowCells",
    "SourceLine",
    "agency_from",
    "clean_heading",
    "heading",
    "heading_number",
    "layout",
    "quoted_title",
    "signature",
    "title_metadata",
    "trim_blank",
    "year_from",
]

#: Lines longer than this may hold several sections (crawler text).
LONG_LINE = 200


class SourceLine(NamedTuple):
    """One line of input (or one piece of a long line), with its 1-based number."""

    number: int
    text: str


#: A table row's own cells, or ``None`` for a line of text.
RowCells = tuple[str, ...] | None


class Region(NamedTuple):
    """Consecutive rows of input: their line numbers, their texts and, for the
    rows a source gave as table rows, their own cells, side by side.

    Parallel sequences rather than an object per row: a report has hundreds of
    rows, and the sequences are made and sliced at C speed (a piece of a long
    line keeps the number of the line it came from). A table row's text is its
    cells joined with `` | ``; layout (headings, sections, the title) reads the
    texts, the table reader a table row's own cells. ``cells`` is ``None`` when
    every row is a line of text (the text source), so that text pays nothing
    for it."""

    numbers: Sequence[int]
    texts: Sequence[str]
    cells: Sequence[RowCells] | None = None

    def lines(self) -> list[SourceLine]:
        """The lines one by one."""
        return list(map(SourceLine, self.numbers, self.texts))

    def part(self, start: int, end: int | None = None) -> Region:
        """The rows from ``start`` up to ``end``."""
        cells = self.cells
        return Region(self.numbers[start:end], self.texts[start:end],
                      None if cells is None else cells[start:end])

    def table_rows(self) -> bool:
        """Whether any row is a table row with its own cells."""
        cells = self.cells
        return cells is not None and cells.count(None) != len(cells)

    def trimmed(self) -> Region:
        """The region without the blank lines at either end."""
        texts = self.texts
        a, b = 0, len(texts)
        while a < b and not texts[a].strip():
            a += 1
        while b > a and not texts[b - 1].strip():
            b -= 1
        return self.part(a, b)


#: A region of no lines.
EMPTY = Region((), ())


@attrs.frozen(slots=True)
class Heading:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    number: int  # 1..6
    text: str  # as printed, markdown marks removed
    line: int


@attrs.frozen(slots=True)
class Layout:
    """The regions of a report: what precedes 一, and each section's lines."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    crawler: dict[str, str]
    front: Region
    headings: dict[int, Heading]
    bodies: dict[int, Region]


_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_ENUM = re.compile(r"([一二三四五六])[,.:]")


def clean_heading(text: str) -> str:
    """A heading line without Markdown marks (``## ``, ``**``) and outer spaces."""
    text = _MD_HEADING.sub("", text).strip()
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text = text[2:-2].strip()
    return text


_MAYBE_HEADING = re.compile(r"^[\s#*]*(?:[一二三四五六]|附?表)")
#: The first characters a heading line can start with: most lines are narrative
#: or cells and are dismissed by this one test, before any regular expression.
_HEADING_START = frozenset("一二三四五六表附#*" + WHITESPACE)
_NUMERALS = "一二三四五六"
_TABLE_SECTIONS = (2, 3, 4)
# A table's caption standing for its section's heading: 表二：… 表3 … 附表1、…
_TABLE_CAPTION = re.compile(r"附?表([一二三四1-4])[,.:]?")


@lru_cache(maxsize=2048)  # headings and indented lines repeat from report to report
def heading(text: str) -> tuple[int, bool] | None:
    """The section (1–6) a line is the heading of, and whether it is a table's
    caption (``表二：主动公开政府信息情况``), or ``None``.

    A heading is an enumerator (``一、``) and a section's title; its words decide
    the section. The enumerator must agree, except for the titles of 五 and 六 under
    the report's own numbering (``三、存在的主要问题及改进措施`` after prose
    sections of its own). A caption names its table by its words whatever its
    number. Meant for lines of at most 120 characters (longer ones are no
    heading)."""
    if not _MAYBE_HEADING.match(text):
        return None
    k = key(clean_heading(text))
    if len(k) > 45 or len(k) < 4:
        return None
    m = _ENUM.match(k)
    if m is not None:
        n = section_of(k[m.end():])
        printed = _NUMERALS.index(m.group(1)) + 1
        if n is not None and (n == printed or n in (5, 6)):
            return n, False
        return None
    m = _TABLE_CAPTION.match(k)
    if m is not None:
        n = section_of(k[m.end():])
        if n in (2, 3, 4):
            return n, True
    return None


def heading_number(text: str) -> int | None:
    """The section (1–6) a line is the heading of, or ``None`` (see :func:`heading`)."""
    found = heading(text)
    return None if found is None else found[0]


# Headings inside a long line, matched on folded text (same offsets as the raw).
_INLINE = re.compile(INLINE_HEADINGS)


def _folding_to(targets: str) -> str:
    # Every character that folds to one of ``targets`` (itself included).
    chars = set(targets) | {chr(c) for c, to in FOLD_TABLE.items() if to in targets}
    return "".join(sorted(chars))


# A cheap test on the raw text that every match of _INLINE passes (an enumerator
# then , or . once folded): folding a long narrative line costs far more than
# this scan, and most long lines hold no heading at all.
_INLINE_HINT = re.compile(
    f"[{re.escape(_folding_to('一二三四五六'))}]\\s*[{re.escape(_folding_to(',.'))}]"
)


def _split_long(text: str) -> list[str]:
    if _INLINE_HINT.search(text) is None:
        return [text]
    folded = fold(text)
    cuts = list(_INLINE.finditer(folded))
    if not cuts:
        return [text]
    out: list[str] = []
    start = 0
    for m in cuts:
        if m.start() > start:
            out.append(text[start:m.start()])
        out.append(text[m.start():m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


_CRAWLER = re.compile(
    r"^\s*(标题|發布時間|发布时间|文号|發布機構|发布机构|栏目|原文链接|本地目录|来源|索引号|"
    r"发文日期|成文日期|主题分类|页面链接)\s*[:：]?\s*(.*)$"
)
_RULE = re.compile(r"^\s*[=\-*_]{3,}.*[=\-*_]{3,}\s*$")


def layout(rows: Region) -> Layout:
    """Cut the rows of a source into their regions."""
    whole = rows
    texts = rows.texts
    # Long lines of text (crawler text, long paragraphs) may hold headings:
    # replaced by their pieces, from the end so that earlier indices stay
    # valid. A table row is never cut: its cells are the source's own.
    longs = [i for i, n in enumerate(map(len, texts))
             if n > LONG_LINE and (rows.cells is None or rows.cells[i] is None)]
    if longs:
        lines, cut = list(rows.numbers), list(texts)
        cells = None if rows.cells is None else list(rows.cells)
        for i in reversed(longs):
            pieces = _split_long(cut[i])
            if len(pieces) > 1:
                cut[i:i + 1] = pieces
                lines[i:i + 1] = [lines[i]] * len(pieces)
                if cells is not None:
                    cells[i:i + 1] = [None] * len(pieces)
        whole = Region(lines, cut, cells)
        texts = cut
    numbers = whole.numbers
    crawler: dict[str, str] = {}
    start = 0
    # A crawler's header block: ``key: value`` lines up to a rule line.
    for i, line in enumerate(texts[:20]):
        m = _CRAWLER.match(line)
        if m and len(line) < LONG_LINE:
            crawler.setdefault(m.group(1), m.group(2).strip())
            start = i + 1
            continue
        if crawler and _RULE.match(line):
            start = i + 1
            continue
        if line.strip() or not crawler:
            break
    headings: dict[int, Heading] = {}
    cuts: list[tuple[int, int]] = []  # (index in texts, section number)
    last = 0
    # Most lines are narrative or cells, dismissed by their first character.
    candidates = [i for i, t in enumerate(texts) if t[:1] in _HEADING_START]
    for i in candidates:
        line = texts[i]
        found = heading(line) if i >= start and len(line) <= 120 else None
        if found is None:
            continue
        n = found[0]
        # In order; a table's section may also follow the narrative ones
        # (tables in an annex, after prose sections of the report's own).
        if n > last or (n in _TABLE_SECTIONS and n not in headings):
            last = max(last, n)
            headings[n] = Heading(n, clean_heading(line), numbers[i])
            cuts.append((i, n))
    # Tables in an annex (附件) without headings or captions start at their
    # own first cells (第二十条第（一）项, the note of table 三, 行政复议).
    opened = _annexed_tables(texts, start, headings, cuts)
    for i, n in opened:
        headings[n] = Heading(n, TABLE_TITLES[n], numbers[i])
    cuts = sorted([*cuts, *opened])
    inclusive = {i for i, _ in opened}  # the table's first line is its own
    # Each region is a slice between headings: no line is touched twice.
    ends = [i for i, _ in cuts[1:]] + [len(texts)] if cuts else []
    bodies = {
        n: whole.part(i + (i not in inclusive), end)
        for (i, n), end in zip(cuts, ends, strict=True)
    }
    first = cuts[0][0] if cuts else len(texts)
    return Layout(
        crawler=crawler,
        front=whole.part(start, first),
        headings=headings,
        bodies=bodies,
    )


def _annexed_tables(texts: Sequence[str], start: int, headings: dict[int, Heading],
                    cuts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the tables missing a heading start, after an ``附件`` line: each at
    the first line (after the previous one) that opens it (the lexicon's
    :data:`TABLE_STARTS`), in the form's order."""
    missing = [n for n in TABLE_STARTS if n not in headings]
    if not missing:
        return []
    annex = next((i for i in range(start, len(texts))
                  if len(texts[i]) <= 60 and clean_heading(texts[i]).startswith("附件")),
                 None)
    if annex is None:
        return []
    taken = {i for i, _ in cuts}
    out: list[tuple[int, int]] = []
    at = annex + 1
    for n in missing:
        for i in range(at, len(texts)):
            if i in taken:
                break  # another section's heading: the table is not in the annex
            k = key(texts[i]).lstrip("|#*")
            if k.startswith(TABLE_STARTS[n]):
                out.append((i, n))
                at = i + 1
                break
    return out


def trim_blank(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """``lines`` without the blank lines at either end."""
    a, b = 0, len(lines)
    while a < b and not lines[a].text.strip():
        a += 1
    while b > a and not lines[b - 1].text.strip():
        b -= 1
    return list(lines[a:b])


_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)\s*年")
_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|周期)[^0-9]{0,12}?(?<!\d)(20\d\d)(?!\d)\s*年")


def year_from(text: str, period_only: bool = False, folded: str | None = None,
              ) -> int | None:
    """The year named in ``text``: by its statistics period, else (unless
    ``period_only``) by the first ``20XX年``. Dates printed without 年 (the
    ``2021926`` of a broken CMS) are never read as years. ``folded`` is
    ``fold(text)`` when the caller has it already."""
    folded = fold(text) if folded is None else folded
    m = _PERIOD.search(folded)
    if m is None and not period_only:
        m = _YEAR.search(folded)
    if m is None:
        return None
    year = int(m.group(1))
    return year if 2000 <= year <= 2100 else None


_ANCHORS = TITLE_WORDS
_TITLE = re.compile(r"^(.*)(20\d\d)(?!\d)\s*年度?(.*)$", re.S)
_YEAR_PART = re.compile(r"(?<!\d)20\d\d(?!\d)\s*年度?")
_CUTS = re.compile(r".*(?:[,。;:《》\"()]|现将|公布|发布)")


def _anchor(folded: str, last: bool = False) -> int:
    for anchor in _ANCHORS:
        at = folded.rfind(anchor) if last else folded.find(anchor)
        if at >= 0:
            return at
    return -1


def title_metadata(title: str) -> tuple[str | None, int | None]:
    """The agency and year a title names (``平潭综合实验区2019年度政府信息公开
    工作年度报告``): the body is all that precedes the year (or, when the year
    comes first, what lies between it and 政府信息公开…报告)."""
    folded = fold(title)
    at = _anchor(folded, last=True)
    head = folded[:at] if at >= 0 else folded
    m = _TITLE.match(head)
    if m is None:
        agency = title[: len(head)].strip()
        return agency or None, None
    year = int(m.group(2))
    before = title[: m.start(2)].strip()
    after = title[m.start(3): m.end(3)].strip()
    agency = before or after
    return agency or None, year if 2000 <= year <= 2100 else None


def agency_from(text: str, folded: str | None = None) -> str | None:
    """The body named before 政府信息公开工作年度报告 in an introduction
    (``现向社会公布2020年乌兰察布市政府办公室信息公开工作年度报告``), without
    the year and the verbs around it. ``folded`` is ``fold(text)`` when the
    caller has it already."""
    folded = fold(text) if folded is None else folded
    at = _anchor(folded)
    if at < 0:
        return None
    start = max(0, at - 60)
    m = _CUTS.match(folded[start:at])
    offset = start + (m.end() if m else 0)
    raw = text[offset:at]
    pieces: list[str] = []
    pos = 0
    for y in _YEAR_PART.finditer(folded[offset:at]):  # folding keeps offsets
        pieces.append(raw[pos:y.start()])
        pos = y.end()
    pieces.append(raw[pos:])
    agency = "".join(pieces).strip().removesuffix("的").strip()
    # "我厅编写了…", "本机关…": the body speaks of itself and names no one.
    if not agency or agency[0] in _SELF or any(v in agency for v in _VERBS):
        return None
    return agency


#: First characters of a body speaking of itself (我厅, 本局) rather than naming itself.
_SELF = frozenset("我本今该")
#: Verbs that show a candidate is a clause, not a body's name.
_VERBS = ("编写", "编制", "发布", "公布", "印发", "形成")
_QUOTED_TITLE = re.compile(r"《([^《》]{4,80}?报告)》")


def quoted_title(text: str) -> str | None:
    """A report title quoted in ``text`` (``编写了《河北省…2019年度政府信息公开
    工作报告》``) that names a year: the introduction's own title."""
    for m in _QUOTED_TITLE.finditer(text):
        inner = m.group(1)
        if "信息公开" in inner and _YEAR_PART.search(fold(inner)):
            return inner
    return None


_DATE_LINE = re.compile(r"^\s*(?<!\d)20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def signature(text: str) -> str | None:
    """The body that signs the report: a short line just before the closing date
    line (``河北省教育厅`` / ``2020年1月15日``) among the last lines of ``text``."""
    lines = [t.strip() for t in text.strip().splitlines()[-6:] if t.strip()]
    for before, after in itertools.pairwise(lines):
        if (_DATE_LINE.match(fold(after)) and 2 <= len(before) <= 30
                and not any(p in before for p in "。，,;；：:")):
            return before
    return None
