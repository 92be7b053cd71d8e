"""The PDF format: tables rebuilt from where characters stand, not from text order.

Three kinds of input: the real published PDF of ``tests/corpus/pdf``; pages of
characters laid out here (``Glyph`` records), handed to the layout in any
order; and PDFs that headless Chromium prints from this project's own HTML
writer in several layouts (narrow columns that wrap labels and headers, a small
page that splits table 三 over pages and repeats its header). Without Chromium
the last are skipped, except when ``CI`` is set: there a missing browser fails.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.cli import main
from govdisclosure.errors import FormatError, ReadError
from govdisclosure.formats._pdflayout import Glyph, Rule, rebuild
from govdisclosure.formats.pdf import flatten
from govdisclosure.model import Blank, iter_cells
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"
HONGZE = CORPUS / "pdf" / "hongze-2024.pdf"


# --- The published PDF ------------------------------------------------------------


@pytest.fixture(scope="module")
def hongze_lines() -> tuple[str, ...]:
    return flatten(HONGZE.read_bytes()).lines


def test_hongze_rows_are_rebuilt_one_line_each(hongze_lines: tuple[str, ...]) -> None:
    lines = set(hongze_lines)
    zeros = " | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    for expected in (
        # a label wrapped over two lines, its numbers printed between them
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
        # the row-group label printed one character per line, down the rows
        "三、本年度办理结果 | （一）予以公开 | 50 | 0 | 0 | 0 | 0 | 0 | 50 |",
        # a group label printed beside its fourth row moves to its first
        "（三）不予公开 | 1.属于国家秘密" + zeros,
        # a group split by a page break; its label on the part before it
        "（四）无法提供 | 1.本机关不掌握相关政府信息 | 31 | 0 | 0 | 0 | 0 | 0 | 31 |",
        "2.没有现成信息需要另行制作 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        # a group label centred on its rows, on the next page
        "（五）不予处理 | 1.信访举报投诉类申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "5.要求行政机关确认或重新出具已获取信息" + zeros,
        # the label with characters missing is kept as printed
        "2.其他法律行政止公开" + zeros,
        # table 四: fifteen values under a header printed over many lines
        "1 | 1 | 0 | 0 | 2 | 1 | 0 | 0 | 0 | 1 | 2 | 0 | 1 | 0 | 3 |",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "行政许可 | 9487 |",
    ):
        assert expected in lines, expected
    header = [ln for ln in hongze_lines if "结果维持" in ln]
    columns = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert header == [" | ".join(columns) + " |"]


def test_hongze_page_numbers_are_dropped_and_the_title_joined(
    hongze_lines: tuple[str, ...],
) -> None:
    assert hongze_lines[0] == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    assert not any(ln.strip("-— 0123456789") == "" for ln in hongze_lines)
    # a paragraph wrapped over lines and a page break is one line
    assert any(ln.startswith("2024年，全区政府信息公开工作虽取得一定成绩，但对照上级要求")
               for ln in hongze_lines)


def test_hongze_provenance_names_page_and_position() -> None:
    report = gd.load(HONGZE)
    assert report.edition == "2021"
    src = report.provenance[gd.CellRef("applications", "unavailable.not_held", "natural_person")]
    assert src.page == 3 and src.x is not None and src.y is not None
    below = report.provenance[gd.CellRef("applications", "unavailable.needs_creation",
                                         "natural_person")]
    assert below.page == 4 and below.x is not None
    assert abs(below.x - src.x) < 10  # the same column, the next page
    total_ref = gd.CellRef("applications", "unavailable.not_held", "total")
    total = report.provenance[total_ref]
    assert total.page == 3 and total.y == src.y and total.x is not None and total.x > src.x
    for ref, value in iter_cells(report):
        if not isinstance(value, Blank):
            assert report.provenance[ref].page is not None, ref
    # provenance survives JSON
    again = gd.loads(gd.dumps(report, "json"), "json")
    assert again.provenance[total_ref] == total


# --- Characters laid out here ---------------------------------------------------------

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
ROWS = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
        "（一）予以公开", "（二）部分公开", "（七）总计", "四、结转下年度继续办理")
SIZE = 10.0


def _text(text: str, x: float, y: float, page: int = 0) -> list[Glyph]:
    return [Glyph(ch, page, x + i * SIZE, x + (i + 1) * SIZE, y, y + SIZE)
            for i, ch in enumerate(text)]


def _number(text: str, right: float, y: float) -> list[Glyph]:
    # digits are half as wide and right-aligned, as most forms print them
    w = SIZE / 2
    start = right - len(text) * w
    return [Glyph(ch, 0, start + i * w, start + (i + 1) * w, y, y + SIZE)
            for i, ch in enumerate(text)]


def _page(values: Sequence[Sequence[int | None]]) -> list[Glyph]:
    glyphs = _text("三、收到和处理政府信息公开申请情况", 40, 20)
    for c, name in enumerate(COLUMNS):
        x = 330 + 45 * c
        if len(name) > 3:  # wrapped in its narrow cell
            glyphs += _text(name[:2], x, 50) + _text(name[2:], x, 62)
        else:
            glyphs += _text(name, x, 56)
    for r, (label, row) in enumerate(zip(ROWS, values, strict=True)):
        y = 90 + 22 * r
        glyphs += _text(label, 40, y)
        for c, value in enumerate(row):
            if value is not None:
                glyphs += _number(str(value), 330 + 45 * c + 30, y)
    glyphs += _text("四、政府信息公开行政复议、行政诉讼情况", 40, 90 + 22 * len(ROWS) + 20)
    return glyphs


def _expected_lines(values: Sequence[Sequence[int | None]]) -> list[str]:
    return [
        " ".join([f"{label} |", *("|" if v is None else f"{v} |" for v in row)])
        for label, row in zip(ROWS, values, strict=True)
    ]


_TABLE = st.lists(
    st.lists(st.one_of(st.none(), st.integers(0, 99999)), min_size=7, max_size=7),
    min_size=len(ROWS), max_size=len(ROWS),
).filter(lambda rows: any(v is not None for row in rows for v in row))


@given(values=_TABLE, seed=st.integers(0, 2**32 - 1))
def test_any_order_of_the_characters_gives_the_same_rows(
    values: list[list[int | None]], seed: int
) -> None:
    """Numbers land in their own row and column whatever order the file stores
    the characters in; blanks stay empty cells where they stand, and a row
    printed all blank stays a row of its own."""
    glyphs = _page(values)
    random.Random(seed).shuffle(glyphs)
    lines = rebuild([glyphs], [842.0]).lines
    rows = [ln for ln in lines if ln.split(" |")[0] in ROWS]
    assert rows == _expected_lines(values)
    assert lines[lines.index(rows[0]) - 1] == " | ".join(COLUMNS) + " |"


def test_a_table_stored_one_column_at_a_time_reads_by_position() -> None:
    values = [[r * 10 + c for c in range(7)] for r in range(len(ROWS))]
    glyphs = _page(values)
    # the order some extractors give: all 自然人 values, then all 商业企业 values …
    glyphs.sort(key=lambda g: (g.x0 // 45, g.top))
    assert [ln for ln in rebuild([glyphs], [842.0]).lines
            if ln.split(" |")[0] in ROWS] == _expected_lines(values)


def test_a_row_continued_on_the_next_page_is_the_next_row() -> None:
    values = [[1, 0, 0, 0, 0, 0, 1]] * len(ROWS)
    glyphs = _page(values)
    cut = 90 + 22 * 3
    first = [g for g in glyphs if g.top < cut]
    # the rest printed on page 2 near its top, below a page number on page 1
    second = [Glyph(g.text, 1, g.x0, g.x1, g.top - cut + 60, g.bottom - cut + 60)
              for g in glyphs if g.top >= cut]
    first += _text("- 1 -", 280, 800)
    lines = rebuild([first, second], [842.0, 842.0]).lines
    assert [ln for ln in lines if ln.split(" |")[0] in ROWS] == _expected_lines(values)
    assert "- 1 -" not in "".join(lines)


def test_running_headers_and_page_numbers_are_dropped() -> None:
    pages = []
    for p in range(3):
        glyphs = [Glyph(g.text, p, g.x0, g.x1, g.top, g.bottom)
                  for g in _text("某县人民政府信息公开年报", 40, 30)  # the running header
                  + _text(f"第{p + 1}页", 280, 810)                  # the page number
                  + _text(f"正文第{'一二三'[p]}页的文字。", 40, 200)]
        pages.append(glyphs)
    lines = rebuild(pages, [842.0] * 3).lines
    # a paragraph running over the page breaks is one line, the margins dropped
    assert lines == ("正文第一页的文字。正文第二页的文字。正文第三页的文字。",)


def _drawn_table(values: Sequence[Sequence[int | None]]) -> tuple[list[Glyph], list[Rule]]:
    """Table 三 drawn with cell borders: 自然人 printed wider than its column (over
    the border to 商业企业), the organisation headers wrapped in their narrow
    cells, and each number at the left of its cell."""
    borders = [300.0 + 45 * c for c in range(8)]
    glyphs = _text("三、收到和处理政府信息公开申请情况", 40, 20)
    glyphs += _text("自然人", 322, 56)  # from 322 to 352: over the border at 345
    for c, name in enumerate(COLUMNS[1:], start=1):
        x = borders[c] + 3
        glyphs += _text(name[:2], x, 50) + _text(name[2:4], x, 62) + _text(name[4:], x, 74)
    rules = [Rule(x, 45, x + 0.75, 90 + 22 * len(ROWS)) for x in [40.0, *borders]]
    for r, (label, row) in enumerate(zip(ROWS, values, strict=True)):
        y = 90 + 22 * r
        rules.append(Rule(40, y - 5, borders[-1], y - 4.25))
        glyphs += _text(label, 42, y)
        for c, value in enumerate(row):
            if value is not None:
                glyphs += _number(str(value), borders[c] + 3 + len(str(value)) * SIZE / 2, y)
    rules.append(Rule(40, 90 + 22 * len(ROWS) - 5, borders[-1], 90 + 22 * len(ROWS) - 4.25))
    glyphs += _text("四、政府信息公开行政复议、行政诉讼情况", 40, 90 + 22 * len(ROWS) + 20)
    return glyphs, rules


@given(values=_TABLE)
def test_drawn_cells_give_the_columns_whatever_the_header(
    values: list[list[int | None]],
) -> None:
    """Where the cells are drawn, each number goes to the cell it stands in: a
    header cell wider than its column, and a column blank in every row (here
    科研机构), change nothing."""
    values = [[None if c == 2 else v for c, v in enumerate(row)] for row in values]
    assume(any(v is not None for row in values for v in row))
    glyphs, rules = _drawn_table(values)
    lines = rebuild([glyphs], [842.0], [rules]).lines
    assert [ln for ln in lines if ln.split(" |")[0] in ROWS] == _expected_lines(values)


@given(values=st.lists(st.lists(st.integers(0, 99999), min_size=7, max_size=7),
                       min_size=len(ROWS), max_size=len(ROWS)))
def test_without_borders_the_numbers_give_the_columns(values: list[list[int]]) -> None:
    """With no cells drawn, a header cell printed over two columns (自然人 over
    商业企业) would merge them; the numbers, at the left of their cells, stand in
    seven columns in every row, and those are the columns."""
    glyphs, _ = _drawn_table(values)
    lines = rebuild([glyphs], [842.0]).lines
    assert [ln for ln in lines if ln.split(" |")[0] in ROWS] == _expected_lines(values)


def test_a_line_of_numbers_at_the_top_of_pages_is_kept() -> None:
    """Rows of zeros continued at the top of two pages recur in the margins, as a
    running header does; numbers alone are no running header."""
    zeros = [[0] * 7] * len(ROWS)
    # each label a little below its numbers, so the numbers are a line of their own
    glyphs = [Glyph(g.text, g.page, g.x0, g.x1, g.top + 6, g.bottom + 6)
              if g.x0 < 300 and g.top >= 90 else g for g in _page(zeros)]
    pages = [[g for g in glyphs if g.top < 90 + 22 * 2]]
    for p, rows in ((1, (2, 3)), (2, (4, 5))):
        top = 90 + 22 * rows[0]
        pages.append([Glyph(g.text, p, g.x0, g.x1, g.top - top + 30, g.bottom - top + 30)
                      for g in glyphs if top <= g.top < 90 + 22 * (rows[1] + 1)
                      or (rows[1] == 5 and g.top >= top)])
    lines = rebuild(pages, [842.0] * 3).lines
    assert [ln for ln in lines if ln.split(" |")[0] in ROWS] == _expected_lines(zeros)


# --- Errors -----------------------------------------------------------------------------


def test_bytes_that_are_no_pdf_are_refused() -> None:
    with pytest.raises(ReadError, match="not a PDF"):
        gd.loads(b"<html>not a pdf</html>", "pdf")
    with pytest.raises(ReadError, match="cannot open the PDF"):
        gd.loads(b"%PDF-1.7\n garbage", "pdf")


def test_a_scan_without_text_is_refused_naming_ocr() -> None:
    import pypdfium2  # type: ignore[import-untyped]  # no type information shipped

    document = pypdfium2.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(ReadError, match="no text layer") as info:
        gd.loads(buffer.getvalue(), "pdf", source="scan.pdf")
    assert "OCR" in str(info.value) and "scan.pdf" in str(info.value)


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(ReadError, match=r"pip install 'govdisclosure\[pdf\]'"):
        gd.load(HONGZE)


def test_text_for_a_binary_format_and_writing_pdf_are_refused() -> None:
    with pytest.raises(FormatError, match="reads bytes"):
        gd.loads("%PDF-1.7", "pdf")
    with pytest.raises(FormatError, match="cannot be written"):
        gd.dumps(sample_report(1), "pdf")
    # bytes work for a text format too: decoded as a file would be
    report = sample_report(1)
    assert gd.loads(gd.dumps(report, "json").encode("utf-8"), "json") == report


def test_cli_checks_and_converts_a_pdf(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(HONGZE)], out, err)
    assert code in (0, 1) and not err.getvalue()
    assert "hongze-2024.pdf" in out.getvalue()
    target = tmp_path / "hongze.json"
    assert main(["convert", str(HONGZE), "--to", "json", "-o", str(target)],
                io.StringIO(), io.StringIO()) == 0
    assert gd.load(target) == gd.load(HONGZE)


# --- PDFs that Chromium prints from our HTML --------------------------------------------

#: Page layouts: CSS added to the writer's page before printing.
LAYOUTS = {
    "plain": "",
    # narrow columns: labels, headers and group labels wrap over lines
    "narrow": "body{width:430px} table.gd-table td{min-width:0;white-space:normal}",
    # a small page: table 三 is split over pages and its header printed again
    "split": "@page{size:A5} body{font-size:13px}",
}
def _blank_rows() -> gd.Report:
    """A report with whole rows printed blank, and blank and ``/`` cells."""
    report = sample_report(0)
    spec = gd.form(report.edition)
    changes: dict[gd.CellRef, gd.Blank] = {}
    for row in ("withheld.state_secret", "not_processed.duplicate"):
        changes.update((ref, gd.Blank("")) for ref in spec.row("applications", row).refs())
    changes[gd.CellRef("applications", "received", "research")] = gd.Blank("")
    changes[gd.CellRef("appeals", "review", "pending")] = gd.Blank("/")
    return gd.replace_cells(report, changes)


REPORTS = {0: lambda: sample_report(0), 1: lambda: sample_report(1), 2: _blank_rows}
SEEDS = tuple(REPORTS)  # one report of each edition, and one with blank rows


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[int, str], Path]]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no chromium is installed (apt-get install chromium)")
        pytest.skip("no chromium installed")
    folder = tmp_path_factory.mktemp("printed")
    out: dict[tuple[int, str], Path] = {}
    for seed in SEEDS:
        page = gd.dumps(REPORTS[seed](), "html")
        for name, css in LAYOUTS.items():
            html = folder / f"{seed}-{name}.html"
            html.write_text(page.replace("</style>", css + "</style>", 1), encoding="utf-8")
            pdf = folder / f"{seed}-{name}.pdf"
            subprocess.run(
                [executable, "--headless", "--no-sandbox", "--disable-gpu",
                 "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
                check=True, capture_output=True, timeout=120,
            )
            out[seed, name] = pdf
    yield out


@pytest.mark.browser
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_printed_pages_read_back_the_report(
    printed: dict[tuple[int, str], Path], seed: int, layout: str
) -> None:
    report = REPORTS[seed]()
    back = gd.load(printed[seed, layout])
    wrong = [(str(ref), value, gd.get_cell(back, ref)) for ref, value in iter_cells(report)
             if gd.get_cell(back, ref) != value]
    assert not wrong
    assert back == report  # title, sections and every cell
    # every row found whole where the form has it: nothing left to report
    # (a row printed all blank joined to the next one reads the same cells, but
    # leaves its label unplaced)
    assert [f"{f.rule}: {f.message}" for f in back.read_findings] == []


@pytest.mark.browser
def test_printed_layouts_are_what_they_claim(printed: dict[tuple[int, str], Path]) -> None:
    import pypdfium2

    pages = {name: len(pypdfium2.PdfDocument(printed[0, name])) for name in LAYOUTS}
    assert pages["split"] > pages["plain"]
    for layout in LAYOUTS:
        lines = flatten(printed[0, layout].read_bytes()).lines
        # each group label opens the first row of its group, wrapped or split
        for opening in ("三、本年度办理结果 | （一）予以公开 |",
                        "（三）不予公开 | 1.属于国家秘密 |",
                        "（四）无法提供 | 1.本机关不掌握相关政府信息 |",
                        "（五）不予处理 | 1.信访举报投诉类申请 |",
                        "（六）其他处理 | 1.申请人无正当理由"):
            assert any(ln.startswith(opening) for ln in lines), (layout, opening)
        # the header printed again on a new page is dropped
        assert sum("申请人情况" in ln for ln in lines) == 1, layout


# --- A published web page printed by a browser ---------------------------------------

PINGTAN_HTML = CORPUS / "pingtan-2021.html"
PINGTAN_PDF = CORPUS / "pdf" / "pingtan-2021-chromium.pdf"


def _pingtan_expected() -> list[tuple[gd.CellRef, str]]:
    with (CORPUS / "expected" / "pingtan-2021.csv").open(encoding="utf-8", newline="") as f:
        return [(gd.CellRef(r["table"], r["row"], r["column"]), r["value"])
                for r in csv.DictReader(f)]


def _misread(report: gd.Report) -> tuple[list[str], list[gd.CellRef]]:
    """The cells read wrong, and the cells left blank that hold a number."""
    wrong: list[str] = []
    blank: list[gd.CellRef] = []
    for ref, value in _pingtan_expected():
        got = gd.get_cell(report, ref)
        if isinstance(got, Blank):
            if got.printed != value:
                blank.append(ref)
        elif str(got) != value:
            wrong.append(f"{ref}: read {got!r}, expected {value!r}")
    return wrong, blank


def _reported(report: gd.Report, ref: gd.CellRef) -> bool:
    """Whether a reader finding names the cell, or its row."""
    return any(f.rule.startswith("read-") and (
        ref in f.cells or ref in f.blanks or (f.table, f.row) == (ref.table, ref.row))
        for f in report.read_findings)


def test_a_published_page_printed_by_chromium_reads_exactly() -> None:
    """The site's own page printed to PDF: a header whose cells do not line up with
    the values (自然人 over two columns, the organisation columns wrapped in narrow
    cells), values placed anywhere in their cells, rows continued over page
    breaks without the header, group labels wrapped in narrow cells."""
    report = gd.load(PINGTAN_PDF)
    assert _misread(report) == ([], [])
    # every cell as the web page itself reads
    page = gd.load(PINGTAN_HTML)
    assert [(str(ref), v, gd.get_cell(report, ref)) for ref, v in iter_cells(page)
            if gd.get_cell(report, ref) != v] == []
    assert gd.read_coverage(report).ratio == 1.0


def test_a_published_page_printed_by_chromium_rebuilds_its_rows() -> None:
    lines = set(flatten(PINGTAN_PDF.read_bytes()).lines)
    for expected in (
        # 自然人 and 商业企业 apart, though the header cell 自然人 spans both
        "一、本年新收政府信息公开申请数量 | 64 | 0 | 0 | 2 | 0 | 4 | 70 |",
        # the row at the top of the next page: a line of numbers alone in the
        # top margin of two pages is no running header; its label wraps
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        # a group label wrapped in its narrow cell beside the first sub-row
        "三、本年度办理结果 | （一）予以公开 | 27 | 0 | 0 | 2 | 0 | 1 | 30 |",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
        "（三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "（四）无法提供 | 1.本机关不掌握相关政府信息 | 22 | 0 | 0 | 0 | 0 | 3 | 25 |",
        "2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "1 | 0 | 2 | 0 | 3 | 12 | 0 | 0 | 0 | 12 | 0 | 0 | 0 | 0 | 0 |",
    ):
        assert expected in lines, expected


#: The page printed again in other sizes, with and without its cell borders.
PINGTAN_LAYOUTS = {
    "a4-landscape": "@page{size:A4 landscape}",
    # a narrow page: labels wrap over many lines, a row is split over a page
    # break, a number wraps in its cell (``3`` / ``0``)
    "a5": "@page{size:148mm 210mm}",
    # no cell borders: columns from where the numbers stand
    "borderless": "table,td,th{border:none !important}",
    "borderless-a5": "@page{size:148mm 210mm} table,td,th{border:none !important}",
    # a very narrow page: section headings wrap, numbers wrap in tall cells, a
    # line of text runs through the cells of two rows, table 四 is cut at the edge
    "narrow-90": "@page{size:90mm 160mm}",
    "borderless-90": "@page{size:90mm 160mm} table,td,th{border:none !important}",
}
#: The fewest cells each layout must read right (the others blank and reported).
PINGTAN_FLOOR = {"a4-landscape": 190, "a5": 190, "borderless": 190, "borderless-a5": 176,
                 "narrow-90": 175, "borderless-90": 0}


@pytest.fixture(scope="module")
def pingtan_printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no chromium is installed (apt-get install chromium)")
        pytest.skip("no chromium installed")
    folder = tmp_path_factory.mktemp("pingtan")
    page = PINGTAN_HTML.read_text(encoding="utf-8")
    out: dict[str, Path] = {}
    for name, css in PINGTAN_LAYOUTS.items():
        html = folder / f"{name}.html"
        html.write_text(page.replace("</head>", f"<style>{css}</style></head>", 1),
                        encoding="utf-8")
        pdf = folder / f"{name}.pdf"
        subprocess.run(
            [executable, "--headless", "--no-sandbox", "--disable-gpu",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        out[name] = pdf
    return out


#: How many of the page's table lines (header lines and rows) each layout
#: rebuilds as the page's own print does: every cell whole, in its place.
PINGTAN_ROWS = {"a4-landscape": 41, "a5": 36, "borderless": 36, "borderless-a5": 25,
                "narrow-90": 33, "borderless-90": 7}


@pytest.mark.browser
@pytest.mark.parametrize("layout", list(PINGTAN_LAYOUTS))
def test_the_page_in_other_layouts_rebuilds_its_rows(
    pingtan_printed: dict[str, Path], layout: str
) -> None:
    """Each table line as the page's own print rebuilds it (the committed print,
    read exactly above): a label wrapped over many lines in a narrow cell, or
    ending beside the next row's numbers, stays whole on its own row, and a
    header cell wrapped over lines stays one cell. The lines each layout gets
    right are pinned (the rest are left to the decoder, which places their
    numbers by the form or reports them)."""
    table = [ln for ln in flatten(PINGTAN_PDF.read_bytes()).lines if " | " in ln]
    assert len(table) == 41
    got = set(flatten(pingtan_printed[layout].read_bytes()).lines)
    assert sum(ln in got for ln in table) >= PINGTAN_ROWS[layout]


@pytest.mark.browser
@pytest.mark.parametrize("layout", list(PINGTAN_LAYOUTS))
def test_the_page_in_other_layouts_reads_no_wrong_number(
    pingtan_printed: dict[str, Path], layout: str
) -> None:
    report = gd.load(pingtan_printed[layout])
    wrong, blank = _misread(report)
    assert wrong == []
    assert [ref for ref in blank if not _reported(report, ref)] == []
    assert len(_pingtan_expected()) - len(blank) >= PINGTAN_FLOOR[layout]
