"""The ``html`` format: grids, table detection, reading pages, writing pages."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editions import of_2021
from govdisclosure import (
    Blank,
    CellRef,
    Finding,
    ReadError,
    Report,
    dumps,
    get_cell,
    infer,
    iter_cells,
    load,
    loads,
    replace_cells,
    validate,
)
from govdisclosure.formats import format_for_path, get_format
from govdisclosure.formats._htmlgrid import Cell, Table, check_size, table_of, tables
from govdisclosure.formats._htmltext import blocks
from govdisclosure.formats._htmltree import MAX_DEPTH, parse
from govdisclosure.formats.html import MAX_CHARS, find_report_tables, flatten
from govdisclosure.model import Edition
from govdisclosure.model.schema import cell_values
from govdisclosure.review import review_page
from govdisclosure.testing import strategies
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"
PINGTAN = CORPUS / "pingtan-2021.html"


def _expected(name: str) -> dict[CellRef, str]:
    with (CORPUS / "expected" / f"{name}.csv").open(encoding="utf-8") as f:
        return {
            CellRef(row["table"], row["row"], row["column"]): row["value"]
            for row in csv.DictReader(f)
        }


def _printed(value: object) -> str:
    return value.printed if isinstance(value, Blank) else str(value)


# --- Cells ------------------------------------------------------------------------


def _cells(html: str) -> list[list[tuple[str, int, int]]]:
    table = table_of(tables(parse(html))[0])
    return [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.rows]


def test_cells_keep_their_text_and_spans() -> None:
    html = (
        "<table><tr><td rowspan=3 colspan=2>note</td><td colspan=3>申请人情况</td></tr>"
        "<tr><td rowspan=2>自然人</td><td>商业<br>企业</td><td rowspan=2>总计</td></tr>"
        "<tr><td><p>科研</p><p>机构</p></td></tr>"
        "<tr><td>一</td><td>&nbsp;</td><td>&nbsp;6</td><td>0</td><td>6</td></tr></table>"
    )
    assert _cells(html) == [
        [("note", 3, 2), ("申请人情况", 1, 3)],
        [("自然人", 2, 1), ("商业 企业", 1, 1), ("总计", 2, 1)],
        [("科研 机构", 1, 1)],
        [("一", 1, 1), ("", 1, 1), ("6", 1, 1), ("0", 1, 1), ("6", 1, 1)],
    ]


def test_spans_that_are_not_numbers_count_as_one() -> None:
    html = '<table><tr><td colspan="x">a</td><td rowspan="-3">b</td><td colspan="2;">c</td>'
    assert _cells(html) == [[("a", 1, 1), ("b", 1, 1), ("c", 1, 2)]]  # "2;" reads as 2


def test_unclosed_cells_rows_and_paragraphs_close_like_a_browser() -> None:
    html = "<table><tr><td><p>1<td>2<p>3<tr><td>4</table><p>after"
    root = parse(html)
    table = table_of(tables(root)[0])
    assert [[c.text for c in row] for row in table.rows] == [["1", "2 3"], ["4"]]
    assert list(blocks(root, [table.element])) == [table.element, ("after", 1)]


def test_cells_keep_their_source_lines() -> None:
    html = "<table>\n<tr>\n<td>a</td>\n<td>\nb</td></tr>\n</table>"
    table = table_of(tables(parse(html))[0])
    assert [c.line for c in table.rows[0]] == [3, 4]


def test_a_huge_grid_is_refused() -> None:
    element = tables(parse("<table></table>"))[0]
    table = Table(element, ((Cell("x", 1, 1000),),) * 500)
    with pytest.raises(ValueError, match="grid cells"):
        check_size(table)
    check_size(Table(element, ((Cell("x", 9, 1000),),) * 2))  # spans cut at the end


# --- Finding the report's tables --------------------------------------------------


def test_the_corpus_page_has_three_report_tables_and_no_others() -> None:
    found = find_report_tables(parse(PINGTAN.read_text(encoding="utf-8")))
    assert [sorted(t.kinds) for t in found] == [["active"], ["applications"], ["appeals"]]


def test_a_layout_table_around_the_report_is_skipped() -> None:
    page = PINGTAN.read_text(encoding="utf-8")
    body = page[page.index("<body>") + 6: page.index("</body>")]
    quote = "<p>本年新收政府信息公开申请70件，行政复议结果维持1件，申请人情况见下表。</p>"
    wrapped = (
        f"<html><body><table><tr><td>menu</td><td>{quote}{body}</td></tr></table></body></html>"
    )
    found = find_report_tables(parse(wrapped))
    assert [sorted(t.kinds) for t in found] == [["active"], ["applications"], ["appeals"]]


def test_the_innermost_tables_are_taken_when_a_layout_cell_quotes_labels() -> None:
    page = PINGTAN.read_text(encoding="utf-8")
    tables_html = re.findall(r"<table.*?</table>", page, re.S)
    quote = "<p>本年新收申请人情况，行政复议结果维持</p>"
    wrapped = f"<table><tr><td>{quote}{''.join(tables_html)}</td></tr></table>"
    found = find_report_tables(parse(wrapped))
    assert [sorted(t.kinds) for t in found] == [["active"], ["applications"], ["appeals"]]


def test_the_page_is_rows_of_cells_with_html_lines() -> None:
    flat = flatten(parse(PINGTAN.read_text(encoding="utf-8")))
    rows = {row.cells: row for row in flat.rows}
    repeated = rows["2.重复申请", "0", "0", "0", "0", "0", "0", "0"]
    assert repeated.table and repeated.line == 1722
    assert ("1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0") in rows
    title = flat.rows[0]
    assert not title.table and title.cells == ("平潭综合实验区2021年度政府信息公开工作年度报告",)
    assert ("一、总体情况",) in rows and ("六、其他需要报告的事项",) in rows
    assert not any("省政协" in line or "新媒体矩阵" in line for line in flat.lines)  # navigation
    # what flatten(...).lines shows for people: a row's cells each "text |"
    assert "2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in flat.lines


def test_two_reports_on_one_page_are_refused() -> None:
    page = PINGTAN.read_text(encoding="utf-8")
    body = page[page.index("<body>") + 6: page.index("</body>")]
    with pytest.raises(ReadError) as info:
        loads(f"<html><body>{body}<hr>{body}</body></html>", "html")
    text = str(info.value)
    assert "read-multiple-reports" in text
    assert "table 三" in text and "table 四" in text


# --- Reading published pages ---------------------------------------------------------


def test_pingtan_page_reads_the_expected_values() -> None:
    report = load(PINGTAN)
    assert report.edition == "2021"
    for ref, value in _expected("pingtan-2021").items():
        assert _printed(get_cell(report, ref)) == value, ref


def test_pingtan_page_reads_like_its_text_copy_where_both_are_whole() -> None:
    report = of_2021(load(PINGTAN))
    assert report.year == 2021
    assert report.title == "平潭综合实验区2021年度政府信息公开工作年度报告"
    assert report.active.art20_1.normative_documents.in_force == 665
    assert report.active.art20_8.fees.amount == Decimal("24252.311082")
    assert report.overview is not None and report.problems is not None
    assert "信息处理费" in (report.other_matters.body if report.other_matters else "")


def test_provenance_points_at_html_lines() -> None:
    report = load(PINGTAN)
    source = report.provenance[CellRef("applications", "not_processed.duplicate", "total")]
    assert source.line == 1722
    appeals = report.provenance[CellRef("appeals", "review", "upheld")]
    assert appeals.line == 2618


def test_reads_like_the_text_copy_of_the_same_report() -> None:
    # An independent witness: the site's own text copy of the report, read by
    # the text reader. Every cell agrees, except the three the text copy ran
    # together ambiguously (left blank there, with its finding).
    page = load(PINGTAN)
    copy = load(CORPUS / "pingtan-2021.txt")
    differ = [ref for (ref, a), (_, b) in zip(iter_cells(page), iter_cells(copy), strict=True)
              if a != b]
    assert differ == [CellRef("active", "art20_1.normative_documents", c)
                      for c in ("issued", "repealed", "in_force")]
    assert all(isinstance(get_cell(copy, ref), Blank) for ref in differ)
    assert [f.rule for f in copy.read_findings] == ["read-ambiguous-split"]
    assert page.read_findings == ()
    assert (page.year, page.title, page.agency) == (copy.year, copy.title, copy.agency)


def test_gbk_copy_reads_identically(tmp_path: Path) -> None:
    original = load(PINGTAN)
    text = PINGTAN.read_text(encoding="utf-8")
    for encoding, declared in (("gbk", "gbk"), ("gb2312", "gb2312"), ("gb18030", None)):
        page = text.replace('charset="utf-8"', f'charset="{declared}"' if declared else "")
        path = tmp_path / f"pingtan-{encoding}.html"
        # GB2312 lacks some characters of the site's markup (開): pages in it
        # write those as character references, as here.
        path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))
        copy = load(path)
        assert copy == original
        assert copy.provenance == original.provenance
        assert copy.read_findings == original.read_findings


def test_a_fragment_reads_like_the_page() -> None:
    text = PINGTAN.read_text(encoding="utf-8")
    start = text.index('<div class="article_content')
    end = text.index("2021年，无收取信息处理费情况")
    fragment = text[start:end + 200]
    report = loads(fragment, "html")
    page = load(PINGTAN)
    assert report.applications == page.applications
    assert report.appeals == page.appeals
    assert report.active == page.active


def test_a_page_without_report_tables_gives_a_finding() -> None:
    report = loads("<html><body><p>一、总体情况</p><p>本年无。</p></body></html>", "html")
    assert report.read_findings[0].rule == "read-no-tables"
    assert "no report tables" in report.read_findings[0].message_en


def test_same_findings_as_the_text_reader_on_the_same_rows() -> None:
    # Drop a cell from the 2.重复申请 row: the text reader's short-row finding,
    # with the HTML line of the row.
    text = PINGTAN.read_text(encoding="utf-8")
    row_at = text.index("2.重复申请")
    cell_end = text.index("</td>", text.index("<td", row_at)) + 5
    broken = text[:text.index("<td", row_at)] + text[cell_end:]
    report = loads(broken, "html")
    (finding,) = report.read_findings
    assert finding.line == 1722
    # The text reader's finding for the same short row of ulanqab-2020.txt,
    # an independent report: the same code, place, cells, blanks and words.
    (text_finding,) = [f for f in load(CORPUS / "ulanqab-2020.txt").read_findings
                       if f.rule == "read-short-row"]

    def what(f: Finding) -> tuple[object, ...]:
        return (f.rule, f.severity, f.status, f.table, f.row, f.cells, f.blanks)

    assert what(finding) == what(text_finding)
    assert finding.message_en.startswith(
        "table applications, row not_processed.duplicate (line 1722): expected 7 values, "
        "found 6")
    assert all(isinstance(get_cell(report, ref), Blank) for ref in finding.cells)


# --- Hostile input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        pytest.param("<table><tr><td>" * 10_000 + "x" + "</td></tr></table>" * 10_000,
                     f"nested more than {MAX_DEPTH} deep", id="10000-nested-tables"),
        pytest.param("<p>" + "&amp;&nbsp;&#20013;&#x4e2d;" * 200_000,
                     "refused unread", id="entities"),
        pytest.param("<table><tr><td>申请人情况<td><div><span><b>" * 3000,
                     f"nested more than {MAX_DEPTH} deep", id="unclosed"),
        pytest.param("<<<>>>&&&;;</td></tr></table></p><td><tr>" * 5000,
                     "none of the section headings", id="garbage"),
        pytest.param(
            '<table><tr><td rowspan="65534" colspan="1000">申请人情况 本年新收</td></tr>'
            + "<tr><td>1</td></tr>" * 300 + "</table>", "grid cells", id="huge-spans",
        ),
    ],
)
def test_hostile_pages_are_refused_with_their_reason(page: str, reason: str) -> None:
    with pytest.raises(ReadError, match=reason) as caught:
        loads(page, "html")
    [problem] = caught.value.problems
    if reason != "refused unread":  # a page refused unread has no line to point at
        assert problem.line == 1


def test_a_page_over_the_limit_is_refused_unread() -> None:
    with pytest.raises(ReadError, match="refused unread"):
        loads(" " * (MAX_CHARS + 1), "html")


def test_a_20_mb_page_is_refused_at_once_and_a_large_real_one_read() -> None:
    page = PINGTAN.read_text(encoding="utf-8")
    body = page[page.index("<body>") + 6: page.index("</body>")]
    with pytest.raises(ReadError, match="refused unread"):
        loads("<div><p>导航</p></div>" * 1_000_000, "html")
    # Text-heavy filler, as real pages have, up to just under the limit.
    filler = ("<p>" + "政务公开" * 60 + "</p>\n") * ((MAX_CHARS - len(body)) // 260)
    big = f"<html><body>{filler}{body}</body></html>"
    assert len(big) <= MAX_CHARS
    assert loads(big, "html").applications == load(PINGTAN).applications


# --- Writing ---------------------------------------------------------------------------


def test_the_format_is_registered_for_both_extensions() -> None:
    fmt = get_format("html")
    assert fmt.can_read and fmt.can_write
    assert format_for_path("a.HTM") is fmt and format_for_path("b.html") is fmt


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(strategies.reports(blanks=True, provenance=True))
def test_round_trip(report: Report) -> None:
    page = dumps(report, "html")
    back = loads(page, "html")
    assert back == report
    assert dict(back.headings) == dict(report.headings)
    assert dumps(back, "html") == page  # deterministic


@settings(max_examples=20, deadline=None)
@given(strategies.reports(blanks=True))
def test_the_page_is_standalone(report: Report) -> None:
    page = dumps(report, "html")
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=|url\(|@import""", page)
    assert page.count("data-cell=") == sum(1 for _ in iter_cells(report))


def test_the_official_merged_headers_are_written() -> None:
    page = dumps(sample_report(1, "2021"), "html")
    assert '<th rowspan="3" colspan="3">（本列数据的勾稽关系为' in page
    assert '<th rowspan="22">三、本年度办理结果</th>' in page
    assert '<th class="gd-label" rowspan="8">（三）不予公开</th>' in page
    assert '<th colspan="5">行政复议</th><th colspan="10">行政诉讼</th>' in page
    page_2019 = dumps(sample_report(1, "2019"), "html")
    assert '<th rowspan="20">三、本年度办理结果</th>' in page_2019


def test_a_generated_page_reads_through_labels_too() -> None:
    # Strip the generator mark: the page must still read as a published page.
    report = sample_report(5, "2021")
    page = dumps(report, "html").replace('<meta name="generator" content="govdisclosure">', "")
    back = loads(page, "html")
    assert back.applications == report.applications
    assert back.appeals == report.appeals


@given(st.sampled_from(["2019", "2021"]), st.integers(0, 50))
def test_an_edited_cell_that_is_not_a_number_is_a_finding(edition: Edition, seed: int) -> None:
    report = sample_report(seed, edition)
    ref = CellRef("appeals", "review", "upheld")
    page = dumps(report, "html")
    cell = f'data-cell="{ref}">{get_cell(report, ref)}</td>'
    assert cell in page
    back = loads(page.replace(cell, f'data-cell="{ref}">十二</td>'), "html")
    assert get_cell(back, ref) == Blank("十二")
    assert [f.rule for f in back.read_findings] == ["read-not-a-number"]


# --- Review page ------------------------------------------------------------------------


def test_review_page_marks_failed_cells_and_lists_findings() -> None:
    report = sample_report(3, "2019")
    ref = CellRef("applications", "not_processed.duplicate", "total")
    value = get_cell(report, ref)
    assert isinstance(value, int)
    broken = replace_cells(report, {ref: value + 1})
    page = review_page(broken)
    cell = re.search(rf'<td class="([^"]*)" data-cell="{re.escape(str(ref))}"[^>]*>', page)
    # The changed cell is the one the diagnosis names: marked apart from the
    # other cells of the failed rules.
    assert cell is not None and cell.group(1) == "gd-likely"
    assert "likely-cell: " in cell.group(0) and "I3: " in cell.group(0)
    others = re.findall(r'<td class="([^"]*)" data-cell="applications/[^"]*"', page)
    assert others.count("gd-likely") == 1 and "gd-fail" in others
    assert page.count('<li id="gd-f') == len(validate(broken).findings)
    assert "2.重复申请" in page
    assert "<script" not in page
    assert loads(page, "html") == broken  # the review page still reads as the report


def test_review_page_marks_inferred_and_not_assessable_cells_apart() -> None:
    report = sample_report(4, "2021")
    a = CellRef("applications", "granted", "research")
    b = CellRef("applications", "granted", "commercial")
    inferred = infer(replace_cells(report, {a: Blank("")}))
    assert inferred.provenance[a].inferred_by
    blanked = replace_cells(report, {a: Blank("/"), b: Blank("")})
    for page, ref, css in ((review_page(inferred), a, "gd-inferred"),
                           (review_page(blanked), a, "gd-na")):
        cell = re.search(rf'<td class="([^"]*)" data-cell="{re.escape(str(ref))}"', page)
        assert cell is not None and css in cell.group(1).split()


def test_review_page_lists_reader_findings_with_lines() -> None:
    text = PINGTAN.read_text(encoding="utf-8")
    row_at = text.index("2.重复申请")
    cell_end = text.index("</td>", text.index("<td", row_at)) + 5
    report = loads(text[:text.index("<td", row_at)] + text[cell_end:], "html")
    page = review_page(report, lang="en")
    section = page[page.index('class="gd-reader-findings"'):]
    assert "line 1722" in section


def test_review_page_languages() -> None:
    report = sample_report(2)
    assert "检查结果" in review_page(report)
    assert "Check results" in review_page(report, lang="en")
    with pytest.raises(ValueError, match="unknown language"):
        review_page(report, lang="fr")


def test_review_page_numbers_findings_as_shown_in_its_language() -> None:
    from govdisclosure import infer

    report = infer(load(CORPUS / "ulanqab-2020.txt"))
    broken = replace_cells(report, {CellRef("appeals", "review", "upheld"): 4,
                                    CellRef("active", "art20_1.rules", "published"): 9})
    for lang, words in (("zh", ("错误", "提示", "不成立")), ("en", ("error", "info", "failed"))):
        page = review_page(broken, lang=lang)
        items = re.findall(r'<li id="gd-f(\d+)"[^>]*data-rule="([^"]+)" '
                           r'data-severity="(\w+)"[^>]*>(.*?)</li>', page)
        assert [int(n) for n, *_ in items] == list(range(1, len(items) + 1))
        tables = re.findall(r'<ol class="gd-findings" data-table="(\w+)"', page)
        assert tables == ["active", "applications", "appeals", "reader"]  # then the reader
        error, info, failed = words
        for _, _, severity, text in items:
            label = text.split("</span> ", 1)[1]
            if severity == "info":  # notes, not failures
                assert label.startswith(info) and failed not in label.split(" · ")[1:2]
            elif severity == "error":
                assert label.startswith(f"{error} · ")
        rules = [rule for _, rule, _, _ in items]
        # The diagnosis heads its table's list; the filled cells are listed.
        assert rules[0] == "T2" and rules[1:8] == ["inferred"] * 7
        assert rules[8:10] == ["likely-cell", "I4"]


_TOKENS = st.sampled_from([
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td rowspan="3">',
    '<td colspan="2">', "<th>", "<p>", "</p>", "<br>", "<div>", "</div>", "&nbsp;", "&#20013;",
    "&bogus;", "<!--", "-->", "<script>", "</script>", "申请人情况", "本年新收", "结果维持",
    "第二十条第（一）项", "一、总体情况", "2.重复申请", "0", "12", "|", "<", ">", "\n",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(_TOKENS, max_size=80).map("".join))
def test_any_markup_is_read_or_refused_without_a_traceback(page: str) -> None:
    try:
        report = loads(page, "html")
    except ReadError as error:
        # Each problem says where, unless there is nothing to point at.
        assert all(p.line is not None or "empty" in p.message for p in error.problems), error
        return
    # Markup soup holds no three report tables: never ok, and every number read
    # is one the page prints (no cell read as 0 that printed nothing).
    assert not validate(report).ok
    printed = set(re.findall(r"\d+", page))
    assert all(str(v) in printed for v in cell_values(report) if not isinstance(v, Blank))


@settings(max_examples=25, deadline=None)
@given(strategies.reports(blanks=True).flatmap(strategies.broken_cell))
def test_every_failed_cell_is_marked_and_every_finding_listed(
    change: strategies.CellChange,
) -> None:
    report = change.report
    result = validate(report)
    page = review_page(report, result)
    assert page.count('<li id="gd-f') == len(result.findings)
    for finding in result.findings:
        # A cell shows its strongest mark: likely wrong, failed, not assessable.
        shown = ["gd-likely"] if finding.rule == "likely-cell" else (
            ["gd-likely", "gd-fail"] if finding.failed else ["gd-likely", "gd-fail", "gd-na"])
        for ref in finding.cells if finding.failed else finding.blanks:
            cell = re.search(rf'<td class="([^"]*)" data-cell="{re.escape(str(ref))}"', page)
            assert cell is not None, ref
            assert any(css in cell.group(1).split() for css in shown)
    assert loads(page, "html") == report


# --- The review command -------------------------------------------------------------


def test_review_command_writes_the_page(tmp_path: Path) -> None:
    from govdisclosure.cli import main

    out = tmp_path / "review.html"
    assert main(["review", str(CORPUS / "ulanqab-2020.txt"), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page == review_page(load(CORPUS / "ulanqab-2020.txt"))
    assert "2.重复申请" in page and "read-short-row" in page


def test_review_command_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from govdisclosure.cli import main

    broken = replace_cells(sample_report(2, "2021"), {
        CellRef("appeals", "review", "total"): 999,
    })
    src = tmp_path / "broken.html"
    src.write_text(dumps(broken, "html"), encoding="utf-8")
    assert main(["review", str(src)]) == 1
    assert "gd-fail" in capsys.readouterr().out
    assert main(["review", str(tmp_path / "missing.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govdisclosure：错误：") and "Traceback" not in err
