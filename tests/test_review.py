"""The review page, item by item: what a reviewer reads on it.

Each test pins something a planted mutation of ``review.py`` changed on the
page while the broader tests in ``test_html.py`` still passed: the words and
place of each finding, their order and numbers, the summary counts, the
links of the diagnosis, the marks and hover texts of the cells, and that no
text of the report or of a finding is read as markup.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import lxml.html
import pytest

from govdisclosure import Blank, CellRef, infer, replace_cells
from govdisclosure.model.findings import Finding, Severity, Status
from govdisclosure.model.provenance import inferred_cells
from govdisclosure.model.report import Report
from govdisclosure.review import review_page
from govdisclosure.testing.samples import sample_report
from govdisclosure.validation import ValidationResult

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
NA = Status.NOT_ASSESSABLE

DUP = CellRef("applications", "not_processed.duplicate", "total")
NP_TOTAL = CellRef("applications", "not_processed.duplicate", "natural_person")
RECEIVED = CellRef("applications", "received", "total")
RESEARCH = CellRef("applications", "granted", "research")  # blanked, then inferred
RULES = CellRef("active", "art20_1.rules", "in_force")
LICENSING = CellRef("active", "art20_5.licensing", "decisions")
UPHELD = CellRef("appeals", "review", "upheld")
REVIEW_TOTAL = CellRef("appeals", "review", "total")
UNREADABLE = CellRef("appeals", "litigation_direct", "other")

AGENCY = '某县<b>自然资源</b>局 & "测绘"'
CELL_TEXT = "<i>七</i>"


def _f(rule: str, severity: Severity, *, status: Status = Status.FAILED,
       zh: str | None = None, en: str | None = None, table: str | None = None,
       row: str | None = None, column: str | None = None, line: int | None = None,
       cells: tuple[CellRef, ...] = (), blanks: tuple[CellRef, ...] = ()) -> Finding:
    return Finding(rule=rule, severity=severity, status=status, table=table, row=row,
                   column=column, line=line, cells=cells, blanks=blanks,
                   message=f"{rule} 的说明" if zh is None else zh,
                   message_en=f"about {rule}" if en is None else en)


# Given in an order the page does not keep: it shows them table by table.
FINDINGS = (
    _f("I3", ERROR, table="applications", row="not_processed.duplicate", column="total",
       cells=(DUP, NP_TOTAL), zh="重复申请<b>不符</b> & 总计", en="duplicates <b>off</b> & total"),
    _f("other-rule", ERROR, table="<elsewhere>", zh="别处", en="elsewhere"),
    _f("I2", ERROR, table="applications", row="received", column="total",
       cells=(RECEIVED, DUP, RESEARCH)),
    _f("likely-cell", ERROR, table="applications", row="not_processed.duplicate",
       column="total", cells=(DUP,), zh="可能<b>出错</b>", en="likely <b>wrong</b>"),
    _f("read-not-a-number", WARNING, table="appeals", row="litigation_direct",
       column="other", line=12, cells=(UNREADABLE,)),
    _f("A1", WARNING, table="active", row="art20_1.rules", column="in_force",
       cells=(RULES,)),
    _f("I4", ERROR, status=NA, table="appeals", row="review", column="total",
       cells=(UPHELD, REVIEW_TOTAL), blanks=(UPHELD,)),
    _f("D1", INFO, status=NA, table="appeals", row="review", column="upheld",
       cells=(UPHELD,), blanks=(UPHELD,)),
    _f("A2", ERROR, table="active", row="art20_5.licensing", column="decisions",
       cells=(LICENSING,)),
    _f("T1", INFO, zh="提示一条", en="a note"),
    _f("I5", WARNING, status=NA, table="applications", row="extra.1", column="total"),
    _f("read-short-row", INFO, table="applications", line=30),
    _f("I6", ERROR, table="applications", row="received", column="total", cells=(RECEIVED,)),
)

#: The rules in the order the page lists them, numbered from 1.
SHOWN = ["A1", "A2",  # table 二
         "likely-cell", "I2", "I6", "I3", "I5",  # table 三: the diagnosis, then reading order
         "I4", "D1",  # table 四: the same first cell, so in the order given
         "read-not-a-number", "read-short-row",  # the reader's, in the order given
         "other-rule", "T1"]  # the rest, in the order given


@pytest.fixture(scope="module")
def report() -> Report:
    base = sample_report(3, "2021")
    filled = replace_cells(infer(replace_cells(base, {RESEARCH: Blank("")})),
                           {UNREADABLE: Blank(CELL_TEXT)})
    assert list(inferred_cells(filled.provenance)) == [RESEARCH]
    return attrs.evolve(filled, agency=AGENCY, title=None)


def _page(report: Report, lang: str = "zh", findings: tuple[Finding, ...] = FINDINGS) -> str:
    return review_page(report, ValidationResult(findings=findings), lang=lang)


def _x(node: Any, path: str) -> list[Any]:
    found = node.xpath(path)
    assert isinstance(found, list)
    return found


def _items(page: str) -> list[Any]:
    return _x(lxml.html.fromstring(page), '//li[starts-with(@id, "gd-f")]')


def _cell(page: str, ref: CellRef) -> Any:
    (td,) = _x(lxml.html.fromstring(page), f'//td[@data-cell="{ref}"]')
    return td


def test_findings_are_listed_table_by_table_numbered_as_shown(report: Report) -> None:
    page = _page(report)
    items = _items(page)
    assert [li.get("data-rule") for li in items] == SHOWN
    assert [li.get("id") for li in items] == [f"gd-f{n}" for n in range(1, len(SHOWN) + 1)]
    assert [li.get("value") for li in items] == [str(n) for n in range(1, len(SHOWN) + 1)]
    tree = lxml.html.fromstring(page)
    lists = [(ol.get("data-table"), [li.get("data-rule") for li in ol.findall("li")])
             for ol in _x(tree, '//ol[@class="gd-findings"]')]
    assert lists == [("active", SHOWN[:2]), ("applications", SHOWN[2:7]),
                     ("appeals", SHOWN[7:9]), ("reader", SHOWN[9:11]), ("other", SHOWN[11:])]
    # The sections come in that order too, each with its heading.
    headings = [h.text_content() for h in _x(tree, "//section/h2")]
    assert headings[-2:] == ["读取时发现的问题", "其他发现"]
    for ol in _x(tree, '//ol[@class="gd-findings"][@aria-label]'):
        assert ol.get("aria-label") == "本表发现的问题"


def test_each_finding_says_its_rule_result_line_and_place(report: Report) -> None:
    texts = {li.get("data-rule"): li.text_content() for li in _items(_page(report))}
    assert texts["I3"] == ("I3 错误 · 不成立 · 表三 · （五）不予处理 · 2.重复申请 · 总计 · "
                           "重复申请<b>不符</b> & 总计")
    assert texts["A1"] == "A1 警告 · 不成立 · 表二 · 规章 · 现行有效件数 · A1 的说明"
    assert texts["A2"] == "A2 错误 · 不成立 · 表二 · 行政许可 · 本年处理决定数量 · A2 的说明"
    assert texts["D1"] == "D1 提示 · 表四 · 行政复议 · 结果维持 · D1 的说明"
    assert texts["I4"] == "I4 错误 · 无法判断 · 表四 · 行政复议 · 总计 · I4 的说明"
    assert texts["I5"] == "I5 警告 · 无法判断 · 表三 · extra.1 · 总计 · I5 的说明"
    assert texts["read-not-a-number"] == (
        "read-not-a-number 警告 · 不成立 (第 12 行) · 表四 · 行政诉讼/未经复议直接起诉 · "
        "其他结果 · read-not-a-number 的说明")
    assert texts["read-short-row"] == (
        "read-short-row 提示 (第 30 行) · 表三 · read-short-row 的说明")
    assert texts["other-rule"] == "other-rule 错误 · 不成立 · <elsewhere> · 别处"
    assert texts["T1"] == "T1 提示 · 提示一条"
    en = {li.get("data-rule"): li.text_content() for li in _items(_page(report, "en"))}
    assert en["I3"] == ("I3 error · failed · table 三 · （五）不予处理 · duplicate applications · "
                        "total · "
                        "duplicates <b>off</b> & total")
    assert en["I4"] == "I4 error · not assessable · table 四 · administrative review · total · " \
        "about I4"
    assert en["read-short-row"] == "read-short-row info (line 30) · table 三 · about read-short-row"


def test_the_summary_counts_each_kind_once(report: Report) -> None:
    tree = lxml.html.fromstring(_page(report))
    counts = {s.get("data-count"): s.text for s in _x(tree, "//span[@data-count]")}
    # Errors that failed; warnings that failed; not assessable of any severity;
    # cells filled by infer.
    assert counts == {"errors": "6", "warnings": "2", "not-assessable": "3", "inferred": "1"}
    legend = [s.text for s in _x(tree, '//div[@class="gd-legend"]/span')]
    assert legend == ["可能出错的格", "不成立", "无法判断", "推算填入"]
    assert "未发现问题" not in _page(report)
    clean = lxml.html.fromstring(_page(report, findings=()))
    assert "未发现问题。" in _x(clean, '//aside[@id="gd-summary"]')[0].text_content()


def test_the_diagnosis_heads_the_page_and_links_its_item(report: Report) -> None:
    for lang, see in (("zh", "见第 3 条"), ("en", "see 3")):
        page = _page(report, lang)
        tree = lxml.html.fromstring(page)
        (diagnosis,) = _x(tree, '//aside//p[@class="gd-diagnosis"]')
        link = diagnosis.find("a")
        assert link.text == see and link.get("href") == "#gd-f3"
        (target,) = _x(tree, '//li[@id="gd-f3"]')
        assert target.get("data-rule") == "likely-cell"
        words = "可能<b>出错</b>" if lang == "zh" else "likely <b>wrong</b>"
        assert diagnosis.find("strong").text == words


def test_cells_show_their_strongest_mark_numbers_and_every_message(report: Report) -> None:
    page = _page(report)
    dup = _cell(page, DUP)
    # Three findings involve it (items 3, 4 and 6): two numbers in the cell, all on hover.
    assert dup.get("class") == "gd-likely"
    assert dup.get("data-n") == "3,4…"
    assert dup.get("title") == ("likely-cell: 可能<b>出错</b>\nI2: I2 的说明\n"
                                "I3: 重复申请<b>不符</b> & 总计")
    assert _cell(page, NP_TOTAL).get("data-n") == "6"
    assert _cell(page, NP_TOTAL).get("class") == "gd-fail"
    assert _cell(page, RECEIVED).get("data-n") == "4,5"
    assert _cell(page, RULES).get("class") == "gd-fail"
    # Not assessable: only the blank cell is marked, not every cell of the rule;
    # a note on the same cell does not weaken its mark.
    assert _cell(page, UPHELD).get("class") == "gd-na"
    assert _cell(page, UPHELD).get("data-n") == "8,9"
    assert _cell(page, REVIEW_TOTAL).get("class") is None
    # A filled cell a failed rule involves shows the failure, with its message.
    research = _cell(page, RESEARCH)
    assert research.get("class") == "gd-fail" and research.get("title") == "I2: I2 的说明"


def test_a_filled_cell_alone_says_which_identity_filled_it(report: Report) -> None:
    (rule,) = set(inferred_cells(report.provenance).values())
    for lang, words in (("zh", f"此格原为空白，由 {rule} 推算填入"),
                        ("en", f"blank in the report; filled in by {rule}")):
        research = _cell(_page(report, lang, findings=()), RESEARCH)
        assert research.get("class") == "gd-inferred" and research.get("title") == words
        assert research.get("data-n") is None


def test_a_note_marks_its_cell_as_a_note_and_a_filled_cell_as_filled(report: Report) -> None:
    note = _f("read-note", INFO, table="appeals", row="review", column="total",
              cells=(REVIEW_TOTAL,))
    filled = _f("inferred", INFO, table="applications", row="granted", column="research",
                cells=(RESEARCH,))
    page = _page(report, findings=(note, filled))
    assert _cell(page, REVIEW_TOTAL).get("class") == "gd-note"
    assert _cell(page, RESEARCH).get("class") == "gd-inferred"
    assert [(li.get("data-rule"), li.get("class")) for li in _items(page)] == [
        ("inferred", "gd-inferred"), ("read-note", "gd-note")]


def test_nothing_of_the_report_or_a_finding_is_read_as_markup(report: Report) -> None:
    for lang in ("zh", "en"):
        page = _page(report, lang)
        tree = lxml.html.fromstring(page)
        # Only the page's own markup: no element came from the agency's name,
        # a cell's text or a finding's message.
        assert not _x(tree, "//b | //i")
        article = _x(tree, "//article")[0]
        assert article.get("data-agency") == AGENCY
        assert tree.findtext(".//title") == ("审阅：" if lang == "zh" else "Review：") + AGENCY
        assert _cell(page, UNREADABLE).text_content() == CELL_TEXT
        assert f"&lt;b&gt;{'不符' if lang == 'zh' else 'off'}&lt;/b&gt;" in page


def test_the_page_title_names_the_report_then_the_body(report: Report) -> None:
    titled = attrs.evolve(report, title="某县<2021>年报告")
    assert lxml.html.fromstring(_page(titled)).findtext(".//title") == "审阅：某县<2021>年报告"
    bare = attrs.evolve(report, title=None, agency=None)
    assert lxml.html.fromstring(_page(bare)).findtext(".//title") == "审阅"
    assert lxml.html.fromstring(_page(bare, "en")).findtext(".//title") == "Review"


def test_the_page_is_in_the_language_asked_for(report: Report) -> None:
    for lang, html_lang in (("zh", "zh-CN"), ("en", "en")):
        tree = lxml.html.fromstring(_page(report, lang))
        assert tree.get("lang") == html_lang
    assert re.search(r"<h2>Problems met while reading</h2>", _page(report, "en"))
