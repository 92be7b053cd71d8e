"""The decoder every source feeds, and the text source in front of it.

:func:`read_rows` reads a report as real pages give it (FORMAT.md, "How
reports look in the wild") in one pass over a source's rows: the layout
(title, introduction, sections) first, then each table's region cell by cell
(a table row by its own cells, a line of text cut as text), labels matched
through precomputed keys. :func:`read_text` is the text and Markdown source
(a row per line); :func:`decode` takes the rows of the other sources. It
never guesses a number: a row that cannot be read exactly is left blank and
reported. Every problem is a finding
with a code of :data:`READ_CODES`, a location and a line; the findings are in
``Report.read_findings`` and come first in :func:`govdisclosure.validate`.
The workings and the codes are described in ``docs/reading.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from ...errors import Problem, ReadError
from ...model._normalise import fold, key
from ...model.labels import EDITION_2019_WORDS, EDITION_2021_WORDS, PLACEHOLDER, lexicon
from ...model.report import TABLE_HEADINGS, Edition, Report, Section
from ...model.schema import RowSpec, assemble_report, form
from .. import ReadOptions
from ._appeals import read_appeals
from ._cells import Line, cells_of, label_text
from ._findings import READ_CODES, finding, kept_unplaced
from ._layout import (
    EMPTY,
    Layout,
    Region,
    RowCells,
    SourceLine,
    agency_from,
    clean_heading,
    layout,
    quoted_title,
    signature,
    title_metadata,
    trim_blank,
    year_from,
)
from ._sink import Sink
from ._source import SourceRow, decode
from ._tables import read_grid

if TYPE_CHECKING:
    from .._runsplit import RunTable

__all__ = ["READ_CODES", "SourceRow", "decode", "read_rows", "read_text"]

_TABLES = (("active", 2), ("applications", 3), ("appeals", 4))
_SECTIONS = (("overview", 1), ("problems", 5), ("other_matters", 6))
_SECTION_ZH = {1: "一、总体情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
_ZH = {"active": "二", "applications": "三", "appeals": "四"}

def read_text(text: str, options: ReadOptions) -> Report:
    """Read a report from text or Markdown: the text source.

    Each line is a row of text for the decoder (:func:`read_rows`), numbered
    from 1; cutting a table's lines into cells (pipes, Markdown rows,
    separator lines, a label and its numbers) is the decoder's handling of
    lines of text. ``options`` may fix the edition, year and agency; otherwise
    they come from the content. Raises :class:`~govdisclosure.errors.ReadError`
    only when the input is no report at all (empty, or none of the section
    headings).
    """
    text = text.removeprefix("\ufeff")
    if "</table>" in text or "</TABLE>" in text:
        return read_rows(_with_html_tables(text, options), options)
    open_end = not text.endswith(("\n", "\r"))  # the text may be cut off
    cut = _CUT.search(text, text.rfind("\n") + 1)
    if cut is not None:
        text = text[: len(text) - len(cut.group(1))]
    elif open_end and text.endswith("|"):
        # Empty cells that end the text may be padding cut short (``0 | |``
        # of ``0 | |||``): the row is not taken to end with a blank cell.
        text = _OPEN_PADDING.sub("|", text)
    lines = text.splitlines()
    numbers = range(1, len(lines) + 1)
    if "\t" in text:
        cells = list(map(_tab_cells, lines))
        if cells.count(None) != len(cells):
            return _cut_off(read_rows(Region(numbers, lines, cells), options, open_end),
                            cut, text)
    return _cut_off(read_rows(Region(numbers, lines), options, open_end), cut, text)


# A number alone in a cell (after a "|", a space or alone on its line) with
# nothing after it, not even a line break, ends the text: the text may be cut
# off inside that number (``12`` of ``1295``, ``24252.3`` of ``24252.311082``;
# reports saved at a fixed size).
_CUT = re.compile(r"(?:^|[|\s])[ \t]*([+\-]?\d[\d.,]*)$", re.M)
_OPEN_PADDING = re.compile(r"\|(?:[ \t]*\|)+\Z")


def _cut_off(report: Report, cut: re.Match[str] | None, text: str) -> Report:
    """``report`` with the number that ended its text, when it may be cut off,
    kept as unplaced text with a finding rather than read as a cell."""
    if cut is None:
        return report
    number = cut.group(1)
    line = text.count("\n") + 1
    return kept_unplaced(
        report, number, line,
        f"第 {line} 行：文本在数字“{number}”处结束，其后连换行也没有，可能被截断，"
        "该数字不予读取，保留为无法归位的文字",
        f"line {line}: the text ends in the number {number!r} with nothing after it, "
        "not even a line break: it may be cut off, so it is not read and is kept as "
        "unplaced text",
    )


_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)


def _with_html_tables(text: str, options: ReadOptions) -> Region:
    """The rows of a text holding HTML tables, as tools that turn PDF into
    Markdown write tables with merged cells: each ``<table>…</table>`` block
    is read as the HTML reader reads a page's table (one row per ``<tr>``, its
    cells as they are, empty ones kept) with the text's own line numbers; the
    text around the blocks is lines of text, as always."""
    from .._htmlgrid import HtmlLimitError, table_of, table_rows
    from .._htmltree import parse

    numbers: list[int] = []
    texts: list[str] = []
    cells: list[RowCells] = []

    def add_text(part: str, line: int) -> None:
        for i, piece in enumerate(part.splitlines()):
            numbers.append(line + i)
            texts.append(piece)
            cells.append(_tab_cells(piece))

    at, line = 0, 1
    for match in _HTML_TABLE.finditer(text):
        before = text[at:match.start()]
        add_text(before, line)
        line += before.count("\n")
        element = next(parse(match.group()).iter("table"), None)
        if element is not None:
            try:
                rows = table_rows(table_of(element))
            except HtmlLimitError as error:
                raise ReadError([Problem(message=str(error), message_zh=error.zh,
                                         line=line + error.line - 1)],
                                options.source) from None
            for row in rows:
                numbers.append(line + (row.line or 1) - 1)
                texts.append(" | ".join(row.cells))
                cells.append(row.cells)
        line += match.group().count("\n")
        at = match.end()
    add_text(text[at:], line)
    return Region(numbers, texts, cells)


def _tab_cells(line: str) -> tuple[str, ...] | None:
    """A line's cells when tabs separate them, else ``None``.

    A table copied from a page, a spreadsheet or a Word document into text
    keeps its cells apart with tabs, empty cells included (two tabs in a row,
    or a tab at the end). Such a line is a table row with its own cells, never
    re-split; a line with pipes, or whose only tabs indent it, is a line of
    text. The line's text itself is kept as it is (layout and the narrative
    read it)."""
    if "|" in line or "\t" not in line.lstrip(" \t"):
        return None
    return tuple(line.split("\t"))


def read_rows(rows: Region, options: ReadOptions, open_end: bool = False) -> Report:
    """The decoder: read a report from a source's rows, given as columns.

    Every source ends here: the text source directly (:func:`read_text`), the
    others through :func:`decode` (their :class:`SourceRow` objects). Layout
    reads the rows' texts; each table's region is cut into cells, a table row
    by its own cells. Provenance, findings and extra rows carry the rows' own
    line numbers. ``open_end`` says the text has no line break at its end (it
    may be cut off: see :func:`read_text`). Raises
    :class:`~govdisclosure.errors.ReadError` only when the rows hold no report
    at all.
    """
    if not any(t and not t.isspace() for t in rows.texts):
        raise ReadError(
            [Problem(message="the input is empty: expected a report with the sections "
                     "一、总体情况 to 六、其他需要报告的事项",
                     message_zh="输入是空的：应为含有一、总体情况至六、其他需要报告的事项各部分的报告")],
            options.source,
        )
    lay = layout(rows)
    if not lay.headings:
        raise ReadError(
            [Problem(message="not a report: none of the section headings was found "
                     "(expected lines such as 一、总体情况, 二、主动公开政府信息情况, "
                     "三、收到和处理政府信息公开申请情况)",
                     message_zh="不是报告：没有找到任何部分标题（应有一、总体情况，"
                     "二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况等行）",
                     line=rows.numbers[0])],
            options.source,
        )
    sink = Sink()
    title, intro, preamble = _front(lay)
    if preamble:
        sink.unplaced.append("\n".join(ln.text for ln in preamble))
        sink.findings.append(finding(
            "read-unplaced-text",
            f"第 {preamble[0].number} 行：标题前的文字无法归位",
            f"line {preamble[0].number}: text before the title could not be placed",
            line=preamble[0].number, actual="\n".join(ln.text for ln in preamble),
        ))
    cut: dict[str, list[Line] | None] = {}
    for table, number in _TABLES:
        if number in lay.headings:
            cut[table] = _cut(lay.bodies.get(number, EMPTY), table, sink)
    # The keys of each table's labels, run together (they tell the edition).
    labels = {table: label_text(lines) for table, lines in cut.items() if lines is not None}
    edition = _edition(lay, cut, labels, options, title, intro, sink)
    sink.start(edition)
    headings: dict[str, str] = {}
    split = _split_runs(lay, cut, edition, open_end)
    for table, number in _TABLES:
        _read_table(lay, table, number, edition, cut.get(table), labels.get(table, ""), sink,
                    headings, split)
    sections: dict[str, Section | None] = {}
    for name, number in _SECTIONS:
        sections[name] = _section(lay, number, sink)
    year, agency = _metadata(lay, options, title, intro, sections, sink)
    _placeholders(lay, sink)
    publisher = lay.crawler.get("发布机构") or lay.crawler.get("發布機構") or None
    sink.finish()
    return assemble_report(
        edition,
        sink.values,
        {t: tuple(rows) for t, rows in sink.extra_rows.items()},
        year=year,
        agency=agency,
        publisher=publisher,
        title=title,
        introduction=intro,
        overview=sections["overview"],
        problems=sections["problems"],
        other_matters=sections["other_matters"],
        unplaced=tuple(sink.unplaced),
        headings=headings,
        provenance=sink.provenance(),
        read_findings=tuple(sink.findings),
    )


def _is_title(text: str, first: bool) -> bool:
    k = key(text)
    if not k.endswith(("报告", "年报")) or len(k) > 150:
        return False
    return first or "。" not in text


#: How many lines before the first section heading are searched for a title
#: that follows a page's navigation text (a whole page saved as text or printed).
_CHROME_LINES = 200


def _title_after_chrome(lines: Sequence[SourceLine], nonempty: Sequence[int]) -> int | None:
    """The index of the report's title when text precedes it, or ``None``.

    A page saved or printed whole starts with its site's navigation (menus, a
    breadcrumb); the title is then the last line before the introduction that
    names a disclosure report (``…政府信息公开…报告``) and is no sentence. The
    lines before it are kept as unplaced text by the caller."""
    candidates = nonempty[4:][-_CHROME_LINES:]
    for i in reversed(candidates):
        text = clean_heading(lines[i].text)
        k = key(text)
        if (len(k) <= 60 and "政府信息公开" in k and ":" not in k
                and _is_title(text, False)):
            return i
    return None


def _front(lay: Layout) -> tuple[str | None, str, list[SourceLine]]:
    """The title, the introduction and any text before the title."""
    lines = lay.front.lines()  # a few lines: the title and the introduction
    title = lay.crawler.get("标题") or None
    preamble: list[SourceLine] = []
    nonempty = [i for i, ln in enumerate(lines) if ln.text.strip()]
    if title is None:
        for rank, i in enumerate(nonempty[:4]):
            text = clean_heading(lines[i].text)
            if "。" in text and rank > 0:
                break
            if not _is_title(text, rank == 0):
                continue
            start = i
            if rank > 0:
                prev = nonempty[rank - 1]
                p = lines[prev].text.strip()
                if (len(p) <= 40 and "。" not in p and "，" not in p
                        and not key(p).endswith("报告") and len(key(text)) <= 12):
                    text = p + text
                    start = prev
                elif "年度报告" not in key(text):
                    continue
            title = text
            preamble = [ln for ln in lines[:start] if ln.text.strip()]
            lines = lines[i + 1:]
            break
    if title is None:
        found = _title_after_chrome(lines, nonempty)
        if found is not None:
            title = clean_heading(lines[found].text)
            preamble = [ln for ln in lines[:found] if ln.text.strip()]
            lines = lines[found + 1:]
    rest = trim_blank(lines)
    if rest and len(rest[0].text) > 60:
        # A crawler puts the title at the start of the text: "…年度报告 根据…".
        head, _, tail = rest[0].text.strip().partition(" ")
        same = title is None or title_metadata(head) == title_metadata(title)
        if tail and len(head) <= 60 and key(head).endswith("报告") and same:
            title = title or head
            rest[0] = SourceLine(rest[0].number, tail.lstrip())
    intro = "\n".join(ln.text for ln in rest)
    return title, intro, preamble


def _edition(lay: Layout, cut: Mapping[str, list[Line] | None], labels: Mapping[str, str],
             options: ReadOptions, title: str | None, intro: str, sink: Sink) -> Edition:
    parts: list[str] = []
    for table, number in _TABLES:
        if table not in cut:
            continue
        lines = cut[table]
        if lines is None:  # cells run together: fold the raw text
            parts.append(key("".join(lay.bodies.get(number, EMPTY).texts)))
        else:
            parts.append(labels[table])
    text = "".join(parts)
    s21 = sum(1 for k in EDITION_2021_WORDS if k in text)
    s19 = sum(1 for k in EDITION_2019_WORDS if k in text)
    found: Edition | None = None
    if s21 != s19:
        found = "2021" if s21 > s19 else "2019"
        if min(s21, s19) > 0 and options.edition is None:
            sink.findings.append(finding(
                "read-edition-mixed",
                f"表格同时含有 2019 版（{s19} 处）和 2021 版（{s21} 处）的标签，按 {found} 版读取",
                f"the tables carry labels of both editions (2019: {s19}, 2021: {s21}); "
                f"read as edition {found}",
                expected=found,
            ))
    if options.edition is not None:
        if found is not None and found != options.edition:
            sink.findings.append(finding(
                "read-edition-override",
                f"内容显示为 {found} 版，按调用者指定的 {options.edition} 版读取",
                f"the content shows edition {found}; read as edition {options.edition} "
                "as asked",
                expected=options.edition, actual=found,
            ))
        return options.edition
    if found is not None:
        return found
    year = options.year
    if year is None and title:
        year = title_metadata(title)[1]
    if year is None:
        year = year_from(intro)
    if year is not None and year >= 2019:
        return "2021" if year >= 2021 else "2019"
    sink.findings.append(finding(
        "read-edition-unknown",
        "表格标签和年份都不能确定格式版本，按 2021 版读取",
        "neither the table labels nor the year tell the edition; read as edition 2021",
        expected="2021",
    ))
    return "2021"


def _run_together(region: Region) -> bool:
    # A crawler's text: no separators at all, the table on one or a few lines.
    # At most four non-empty lines are looked at: a fourth already says no.
    if region.table_rows():
        return False  # a source's own cells never run together
    nonempty = list(islice((t for t in region.texts if t.strip()), 4))
    return (
        bool(nonempty)
        and len(nonempty) <= 3
        and not any("|" in t or "｜" in t for t in nonempty)
        and any(ch.isdigit() for t in nonempty for ch in t)
        and sum(len(t) for t in nonempty) >= 30
    )


def _cut(region: Region, table: str, sink: Sink) -> list[Line] | None:
    """The cells of a table's region, or ``None`` when they run together."""
    if _run_together(region):
        return None
    lines, rest = cells_of(region)
    if rest.texts:
        text = "\n".join(rest.texts)
        sink.unplaced.append(text)
        sink.findings.append(finding(
            "read-unplaced-text",
            f"第 {rest.numbers[0]} 行起：表{_ZH[table]}所在部分过长，"
            "其后的文字不再拆成单元格，原样保留",
            f"from line {rest.numbers[0]}: the section of table {table} is far longer than "
            "any table of the form; the rest is kept whole as unplaced text",
            table=table, line=rest.numbers[0], actual=f"{len(text)} characters",
        ))
    return lines


def _read_table(lay: Layout, table: str, number: int, edition: Edition,
                lines: list[Line] | None, labels: str, sink: Sink, headings: dict[str, str],
                split: Mapping[str, RunTable]) -> None:
    heading = lay.headings.get(number)
    spec = form(edition).table(table)
    if heading is None:
        refs = [ref for r in spec.rows for ref in r.refs()]
        sink.findings.append(finding(
            "read-missing-table",
            f"未找到“{TABLE_HEADINGS[table]}”及其表格，表中各格留空",
            f"the section {TABLE_HEADINGS[table]} and its table were not found; "
            "its cells are blank",
            table=table, cells=refs, blanks=refs,
        ))
        return
    if heading.text != TABLE_HEADINGS[table]:
        headings[table] = heading.text
    lex = lexicon(edition, table)
    if lines is None:
        _merge_runs(table, split[table], sink)
        return
    if table == "appeals":
        if not read_appeals(lex, lines, sink):
            _missing_table(table, spec.rows, heading.line, sink)
        return
    filled = read_grid(lex, lines, sink, labels)
    if not filled:
        _missing_table(table, spec.rows, heading.line, sink)
        return
    for index, row in enumerate(spec.rows):
        if index in filled:
            continue
        refs = list(row.refs())
        sink.findings.append(finding(
            "read-missing-row",
            f"表{_ZH[table]}未找到“{row.label}”这一行，各格留空",
            f"table {table}: the row {row.key} ({row.label}) was not found; its cells are "
            "blank",
            table=table, row=row.key, cells=refs, blanks=refs,
        ))



def _missing_table(table: str, rows: Sequence[RowSpec], line: int, sink: Sink) -> None:
    refs = [ref for r in rows for ref in r.refs()]
    sink.findings.append(finding(
        "read-missing-table",
        f"第 {line} 行“{TABLE_HEADINGS[table]}”之下没有找到表格，表中各格留空",
        f"line {line}: no table was found under {TABLE_HEADINGS[table]}; its cells are blank",
        table=table, line=line, cells=refs, blanks=refs,
    ))


def _first_line(region: Region) -> int:
    return next((n for n, t in zip(region.numbers, region.texts, strict=True) if t.strip()),
                region.numbers[0])


def _split_runs(lay: Layout, cut: Mapping[str, list[Line] | None],
                edition: Edition, open_end: bool) -> Mapping[str, RunTable]:
    """The tables whose cells run together, split together: one table showing
    that empty cells vanished tells how to read the others. ``open_end``: the
    text has no line break at its end, so the table whose section ends it may
    be cut off in its last row."""
    segments = {
        table: ("\n".join(lay.bodies.get(number, EMPTY).texts),
                _first_line(lay.bodies.get(number, EMPTY)))
        for table, number in _TABLES if number in lay.headings and cut.get(table) is None
    }
    if not segments:
        return {}
    from .._runsplit import split_tables  # it imports from this package: import late

    # The counts 一、总体情况 states help to place numbers (split_tables).
    overview = "\n".join(lay.bodies.get(1, EMPTY).texts) if 1 in lay.headings else ""
    last = max(lay.headings)
    ends = next((table for table, number in _TABLES if number == last), None)
    return split_tables(segments, edition, overview, ends if open_end else None)


def _merge_runs(table: str, result: RunTable, sink: Sink) -> None:
    sink.merge(result.values, result.provenance)
    sink.findings.extend(result.findings)
    sink.unplaced.extend(result.unplaced)
    if result.extra_rows:
        sink.extra_rows.setdefault(table, []).extend(result.extra_rows)


def _section(lay: Layout, number: int, sink: Sink) -> Section | None:
    heading = lay.headings.get(number)
    if heading is None:
        sink.findings.append(finding(
            "read-missing-section",
            f"未找到“{_SECTION_ZH[number]}”一节",
            f"the section {_SECTION_ZH[number]} was not found",
        ))
        return None
    body = lay.bodies.get(number, EMPTY).trimmed()
    return Section(heading=heading.text, body="\n".join(body.texts))


def _metadata(lay: Layout, options: ReadOptions, title: str | None, intro: str,
              sections: Mapping[str, Section | None], sink: Sink,
              ) -> tuple[int | None, str | None]:
    t_agency, t_year = title_metadata(title) if title else (None, None)
    year = options.year if options.year is not None else t_year
    # The body is the one the title names; a crawler's 发布机构 is the office
    # that published the page (kept as the publisher), which may be another.
    agency = options.agency or t_agency
    # Folded once for both searches: folding is the costly part of each.
    folded = fold(intro) if year is None or agency is None else ""
    if year is None:
        year = year_from(intro, folded=folded)
    overview = sections.get("overview")
    if year is None and overview is not None:
        year = year_from(overview.body[:500])
    if agency is None:
        quoted = quoted_title(intro[:600])
        agency = title_metadata(quoted)[0] if quoted else None
    if agency is None:
        agency = agency_from(intro[:600], folded[:600])
    if agency is None:
        last = next((s for s in (sections.get("other_matters"), sections.get("problems"))
                     if s is not None), None)
        agency = signature(last.body) if last is not None else None
    if agency is not None and PLACEHOLDER in agency:
        # A form still to fill in (``template``): the name is what precedes the
        # placeholder, if anything does.
        agency = agency[: agency.index(PLACEHOLDER)].strip() or None
    missing = [w for w, v in (("year", year), ("agency", agency)) if v is None]
    if missing:
        zh = "、".join({"year": "年度", "agency": "机关名称"}[w] for w in missing)
        sink.findings.append(finding(
            "read-missing-metadata",
            f"未能从标题和引言中找到{zh}",
            f"the {' and the '.join(missing)} could not be found in the title or introduction",
        ))
    return year, agency


def _placeholders(lay: Layout, sink: Sink) -> None:
    """A warning for each line still holding a placeholder of ``new`` or
    ``template`` (``【请填写：…】``): a draft whose text is not written yet.

    Only the title, the introduction and sections 一, 五 and 六 are searched:
    those are where ``new`` writes placeholders (the tables' cells are blank),
    and they are a small part of a report's lines."""
    regions = [lay.front, *(lay.bodies[n] for _, n in _SECTIONS if n in lay.bodies)]
    for region in regions:
        if PLACEHOLDER not in "\n".join(region.texts):  # the usual report: one search in C
            continue
        for number, text in zip(region.numbers, region.texts, strict=True):
            if PLACEHOLDER in text:
                sink.findings.append(finding(
                    "read-placeholder",
                    f"第 {number} 行：仍是待填写的占位文字",
                    f"line {number}: a placeholder still to be filled in",
                    line=number, actual=text,
                ))

