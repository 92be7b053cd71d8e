"""The decoder that every source feeds: rows of cells in, a report out.

Sources (text, Markdown, HTML, PDF, Word) hand :func:`decode` rows of cells
with their lines; these tests feed it directly, check that blank cells are
never dropped, and that text whose numbers cannot be placed with certainty
(a table given column by column) gives blanks and a finding, never numbers in
the wrong rows.
"""

from __future__ import annotations

import html

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import Blank, CellRef, Report
from govdisclosure.formats import ReadOptions
from govdisclosure.formats._textread import SourceRow, decode
from govdisclosure.model import Edition, get_cell, iter_cells
from govdisclosure.model.report import TABLE_HEADINGS
from govdisclosure.testing.samples import sample_report

APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
              "legal_services", "other", "total")


def sample(edition: Edition = "2021", seed: int = 3) -> Report:
    return sample_report(seed, edition)


def rows_of(text: str, start: int = 100) -> list[SourceRow]:
    """The written text as a source's rows: pipe lines as table rows (empty
    cells kept, padding at the end dropped), other lines as text; lines from
    ``start`` on."""
    rows = []
    for i, line in enumerate(text.splitlines()):
        if "|" in line:
            cells = [c.strip() for c in line.split("|")][:-1]
            while cells and not cells[-1]:
                cells.pop()
            rows.append(SourceRow(cells=tuple(cells), line=start + i))
        else:
            rows.append(SourceRow.text(line, start + i))
    return rows


def with_blank(report: Report, ref: CellRef) -> Report:
    return gd.replace_cells(report, {ref: Blank("")})


def test_rows_read_exactly_with_their_own_lines() -> None:
    report = sample()
    rows = rows_of(gd.dumps(report, "text"))
    read = decode(rows, ReadOptions())
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    ref = CellRef("applications", "received", "total")
    line = read.provenance[ref].line
    assert line is not None and line >= 100
    row = next(r for r in rows if r.line == line)
    assert row.cells[0] == "一、本年新收政府信息公开申请数量"


def test_rows_without_lines_are_numbered_by_index() -> None:
    report = sample()
    rows = [SourceRow(cells=r.cells, table=r.table) for r in rows_of(gd.dumps(report, "text"))]
    read = decode(rows, ReadOptions())
    line = read.provenance[CellRef("applications", "received", "total")].line
    assert line is not None
    assert rows[line - 1].cells[0] == "一、本年新收政府信息公开申请数量"


def test_an_empty_cell_inside_a_row_is_a_blank_in_its_place() -> None:
    # Dropping the empty cell would make the row short (all blank) or shift 3
    # into the commercial column.
    report = with_blank(sample(), CellRef("applications", "granted", "commercial"))
    read = decode(rows_of(gd.dumps(report, "text")), ReadOptions())
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    assert "read-short-row" not in [f.rule for f in read.read_findings]


def test_no_report_is_a_read_error_with_the_rows_lines() -> None:
    with pytest.raises(gd.ReadError) as info:
        decode([SourceRow.text("", 7)], ReadOptions())
    assert "empty" in str(info.value)


# --- text in column order ----------------------------------------------------------


def _column_order(report: Report, pipes: bool) -> str:
    """``report``'s text with table 三 printed column by column, as one PDF
    extractor gives it: the row labels in one run, then every 自然人 value,
    then every 商业企业 value, ..."""
    text = gd.dumps(report, "text")
    start = text.index(TABLE_HEADINGS["applications"])
    end = text.index(TABLE_HEADINGS["appeals"])
    spec = gd.form(report.edition).table("applications")
    lines = [TABLE_HEADINGS["applications"], "申请人情况", "自然人", "商业企业", "科研机构",
             "社会公益组织", "法律服务机构", "其他", "总计"]
    lines += [row.label for row in spec.rows]
    for column in APPLICANTS:
        for row in spec.rows:
            value = str(get_cell(report, CellRef("applications", row.key, column)))
            lines.append(f"{value} |" if pipes else value)
    return text[:start] + "\n".join(lines) + "\n" + text[end:]


@pytest.mark.parametrize("edition", ["2019", "2021"])
@pytest.mark.parametrize("pipes", [False, True])
def test_text_in_column_order_gives_blanks_and_a_finding(edition: Edition, pipes: bool) -> None:
    report = sample(edition, 11)
    read = gd.loads(_column_order(report, pipes), "text")
    numbers = [(ref, v) for ref, v in iter_cells(read)
               if ref.table == "applications" and not isinstance(v, Blank)]
    assert numbers == []  # never a number in a wrong row
    [f] = [f for f in read.read_findings if f.rule == "read-column-order"]
    assert f.table == "applications"
    assert any(str(get_cell(report, CellRef("applications", "received", "natural_person")))
               in text for text in read.unplaced)
    # The other tables are still read.
    assert read.active == report.active and read.appeals == report.appeals
    assert gd.read_coverage(read).cells_read == gd.read_coverage(read).cells_total - len(
        [r for r in gd.form(edition).refs() if r.table == "applications"])


def test_labels_wrapped_before_their_values_are_not_column_order() -> None:
    # Two labels alone (a wrapped label and a heading) are not yet column order.
    report = sample()
    text = gd.dumps(report, "text").replace(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） |",
        "（二）部分公开 |\n（区分处理的，只计这一情形，不计其他情形） |")
    read = gd.loads(text, "text")
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    assert "read-column-order" not in [f.rule for f in read.read_findings]


# --- HTML: a <tr> keeps its empty <td>s ----------------------------------------------


def _page(report: Report) -> str:
    """A published-style page of ``report``: its text, every pipe line a
    ``<tr>`` of ``<td>``s (a blank cell an empty ``<td>``), other lines ``<p>``."""
    out = ["<html><head><meta charset='utf-8'></head><body>"]
    table: list[str] = []

    def close() -> None:
        if table:
            out.append("<table>" + "".join(table) + "</table>")
            table.clear()

    for line in gd.dumps(report, "text").splitlines():
        if "|" in line:
            cells = [c.strip() for c in line.split("|")][:-1]
            table.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                         + "</tr>")
        else:
            close()
            out.append(f"<p>{html.escape(line)}</p>")
    close()
    return "\n".join([*out, "</body></html>"])


@pytest.mark.parametrize("ref", [
    CellRef("applications", "granted", "commercial"),
    CellRef("applications", "carried_forward", "total"),
    CellRef("appeals", "review", "upheld"),
])
def test_html_empty_td_is_a_blank_in_its_place(ref: CellRef) -> None:
    report = with_blank(sample(), ref)
    read = gd.loads(_page(report), "html")
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    assert not {"read-short-row", "read-missing-table"} & {f.rule for f in read.read_findings}


def test_the_tsv_source_of_the_docs_reads_exactly() -> None:
    # docs/reading.md, "Adding a source": a source is a function to rows.
    report = with_blank(sample(), CellRef("applications", "granted", "research"))
    tsv = "\n".join("\t".join(c.strip() for c in line.split("|")[:-1]) if "|" in line
                    else line for line in gd.dumps(report, "text").splitlines())
    rows = []
    for number, line in enumerate(tsv.splitlines(), 1):
        cells = tuple(line.split("\t"))
        rows.append(SourceRow(cells=cells, line=number) if len(cells) > 1
                    else SourceRow.text(line, number))
    assert dict(iter_cells(decode(rows, ReadOptions()))) == dict(iter_cells(report))


def test_html_text_with_a_pipe_is_kept_exactly() -> None:
    # A <tr> goes to the decoder as its cells: a "|" in a cell is text, never
    # a cell boundary to split at, and a paragraph keeps it too.
    report = sample()
    page = _page(report)
    at = page.index("<tr><td>四、结转下年度继续办理")
    page = (page[:at] + "<tr><td>其他|事项</td>" + "<td>1</td>" * 7 + "</tr>"
            + "<tr><td>注：丙 | 丁</td></tr>" + page[at:])
    at = page.index(f"<p>{TABLE_HEADINGS['active']}")
    page = page[:at] + "<p>另有甲|乙两项工作。</p>\n" + page[at:]
    read = gd.loads(page, "html")
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    [extra] = read.applications.extra_rows
    assert (extra.label, extra.cells) == ("其他|事项", ("1",) * 7)
    assert read.unplaced == ("注：丙 | 丁",)
    assert read.overview is not None
    assert read.overview.body.endswith("另有甲|乙两项工作。")


def test_a_table_row_is_read_from_its_cells_not_its_text() -> None:
    # Cells holding "|" and line breaks: read as the cells they are (the row's
    # text, its cells joined with " | ", is only what layout reads).
    report = sample()
    rows = rows_of(gd.dumps(report, "text"))
    spec = gd.form(report.edition).table("applications")
    label = next(r.label for r in spec.rows if r.key == "granted")
    at = next(i for i, r in enumerate(rows) if label in r.cells)
    cells = rows[at].cells
    wrapped = label.replace("）", "）\n", 1)  # (一)予以公开 on two lines of its cell
    rows[at] = SourceRow(cells=tuple(wrapped if c == label else c for c in cells),
                         line=rows[at].line)
    rows.insert(at + 1, SourceRow(cells=("其他 | 说明\n第二行", "2 | 3", ""), line=1))
    read = decode(rows, ReadOptions())
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    assert read.unplaced == ("其他 | 说明\n第二行\n2 | 3",)  # the row's pieces, one per line


def test_provenance_and_findings_carry_the_rows_own_lines_and_positions() -> None:
    report = sample()
    rows = [attrs.evolve(r, page=2, x=10.0, y=float(r.line or 0)) if r.table else r
            for r in rows_of(gd.dumps(report, "text"))]
    at = next(i for i, r in enumerate(rows) if r.cells[0] == "（七）总计")
    rows.insert(at, SourceRow(cells=("其他说明", *["1"] * 7), line=7777, page=3, x=1.0, y=2.0))
    read = decode(rows, ReadOptions())
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    ref = CellRef("applications", "received", "total")
    src = read.provenance[ref]
    row = next(r for r in rows if r.line == src.line)
    assert row.cells[0] == "一、本年新收政府信息公开申请数量"
    assert (src.page, src.x, src.y) == (2, 10.0, float(row.line or 0))
    [unknown] = [f for f in read.read_findings if f.rule == "read-unknown-row"]
    assert unknown.line == 7777
    [extra] = read.applications.extra_rows
    assert (extra.label, extra.line) == ("其他说明", 7777)
