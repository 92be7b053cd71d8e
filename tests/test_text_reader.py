"""The text reader: layouts, variations of real reports, findings, bad input."""

from __future__ import annotations

import doctest
import random
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import govdisclosure
from editions import of_2019
from govdisclosure import infer, validate
from govdisclosure.errors import ReadError
from govdisclosure.formats import ReadOptions
from govdisclosure.formats._textread import READ_CODES, read_text
from govdisclosure.model import Blank, CellRef, Report, get_cell, iter_cells
from govdisclosure.model.report import Edition
from govdisclosure.model.tables import ExtraRow
from govdisclosure.testing.strategies import reports

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def read(text: str, **options: object) -> Report:
    return read_text(text, ReadOptions(**options))  # type: ignore[arg-type]


def codes(report: Report) -> list[str]:
    return [f.rule for f in report.read_findings]


def ulanqab() -> Report:
    return read((CORPUS / "ulanqab-2020.txt").read_text("utf-8"))


# A minimal 2019 report around a table 三 given as text; rows not given are missing.
_HEAD = "某局2020年政府信息公开工作年度报告\n一、总体情况\n概述。\n二、主动公开政府信息情况\n"
_ACTIVE_2019 = """第二十条第(一)项 |
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 1 | 1 | 3 |
"""
_APPEALS = "四、政府信息公开行政复议、行政诉讼情况\n" + " | ".join(["0"] * 15) + " |\n"


def report_2019(table3: str, active: str = _ACTIVE_2019, appeals: str = _APPEALS) -> Report:
    text = _HEAD + active + "三、收到和处理政府信息公开申请情况\n" + table3 + appeals
    return read(text + "五、存在问题及改进措施\n无。\n")


def row_values(report: Report, row: str) -> list[object]:
    return [v for ref, v in iter_cells(report) if ref.table == "applications" and ref.row == row]


# --- ulanqab-2020.txt, the reference case -----------------------------------


def test_short_row_is_a_finding_with_its_line_and_blank_cells() -> None:
    report = ulanqab()
    found = [f for f in report.read_findings if f.rule == "read-short-row"]
    assert len(found) == 1
    f = found[0]
    assert (f.table, f.row, f.line) == ("applications", "not_processed.duplicate", 242)
    assert len(f.blanks) == 7 and f.expected == 7
    assert f.actual == "0 | 0 | 0 | 0 | 0 | 0"
    for ref in f.blanks:
        assert get_cell(report, ref) == Blank("")
        assert report.provenance[ref].line == 242


@pytest.mark.parametrize("where", ["below the label", "after the values"])
def test_a_padding_line_beside_a_short_row_does_not_complete_it(where: str) -> None:
    # A lone ``|`` (padding, or a blank cell: they cannot be told apart) at the
    # edge of 2.重复申请's six values would make seven, placed by position.
    lines = (CORPUS / "ulanqab-2020.txt").read_text("utf-8").split("\n")
    label = lines.index("2.重复申请 |")
    if where == "below the label":
        pad = label - 1
        assert lines[pad] == "|"
        lines[pad], lines[label] = lines[label], lines[pad]
        label -= 1
    else:
        assert lines[label + 7] == "|||"
        lines[label + 7] = "|"
    report = read("\n".join(lines))
    found = [f for f in report.read_findings if f.rule == "read-short-row"]
    assert [(f.row, f.line, f.actual) for f in found] == [
        ("not_processed.duplicate", label + 1, "0 | 0 | 0 | 0 | 0 | 0")]
    assert row_values(report, "not_processed.duplicate") == [Blank("")] * 7


def test_infer_fills_the_short_row_with_zeros_and_marks_them() -> None:
    filled = infer(ulanqab())
    refs = [CellRef("applications", "not_processed.duplicate", c) for c in (
        "natural_person", "commercial", "research", "public_interest", "legal_services",
        "other", "total")]
    for ref in refs:
        assert get_cell(filled, ref) == 0
        assert filled.provenance[ref].inferred_by is not None
        assert filled.provenance[ref].line == 242
    assert {f.rule for f in validate(filled) if not f.rule.startswith("read-")} == {"inferred"}


def test_every_cell_read_knows_its_line() -> None:
    report = ulanqab()
    for ref, _ in iter_cells(report):
        assert report.provenance[ref].line is not None, ref
    assert report.provenance[CellRef("applications", "received", "natural_person")].line == 95
    assert report.provenance[CellRef("appeals", "litigation_after_review", "total")].line == 340
    assert report.provenance[CellRef("active", "art20_1.normative_documents", "made")].line == 30


def test_ulanqab_metadata_and_sections() -> None:
    report = ulanqab()
    assert report.edition == "2019"
    assert (report.year, report.agency, report.title) == (2020, "乌兰察布市政府办公室", None)
    assert report.introduction.startswith("根据《中华人民共和国政府信息公开条例》")
    assert report.overview is not None and report.overview.heading == "一、总体情况"
    assert report.overview.body.startswith("2020年,乌兰察布市人民政府办公室")
    assert report.overview.body.endswith("没有因政府信息公开工作被申请行政复议、提起行政诉讼情况。")
    assert "(五)推进政务公开平台建设" in report.overview.body.splitlines()
    assert report.problems is not None and report.problems.heading == "五、存在问题及改进措施"
    assert report.other_matters is None
    assert "read-missing-section" in codes(report)
    assert report.headings == {"appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"}


def test_options_override_the_content() -> None:
    text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    report = read(text, year=2021, agency="某机关")
    assert (report.year, report.agency) == (2021, "某机关")
    forced = read(text, edition="2021")
    assert forced.edition == "2021"
    assert "read-edition-override" in codes(forced)


def test_loads_through_the_text_format() -> None:
    text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    assert govdisclosure.loads(text, "text") == ulanqab()


# --- Variations of pipe-flattened text ---------------------------------------

_ROWS_2019 = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "(一)予以公开",
    "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "1.属于国家秘密",
    "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息", "(六)其他处理", "(七)总计", "四、结转下年度继续办理",
]
_ZEROS = " | ".join(["0"] * 7) + " |"


def _table3(rows: dict[str, str] | None = None, groups: bool = True) -> str:
    rows = rows or {}
    note = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
    lines = [f"{note} | 申请人情况 ||||||||",
             "自然人 | 法人或其他组织 | 总计 |||||||",
             "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 ||||||"]
    for label in _ROWS_2019:
        prefix = ""
        if groups and label == "(一)予以公开":
            prefix = "三、本年度办理结果 | "
        elif groups and label == "1.属于国家秘密":
            prefix = "(三)不予公开 | "
        elif groups and label == "1.本机关不掌握相关政府信息":
            prefix = "(四)无法提供 | "
        elif groups and label == "1.信访举报投诉类申请":
            prefix = "(五)不予处理 | "
        lines.append(prefix + rows.get(label, f"{label} | {_ZEROS}"))
    return "\n".join(lines) + "\n"


def test_row_per_line_with_group_labels_on_the_first_item() -> None:
    report = report_2019(_table3({"2.重复申请": "2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |||"}))
    assert row_values(report, "not_processed.duplicate") == [1, 0, 0, 0, 0, 0, 1]
    assert not [f for f in report.read_findings if f.table == "applications"]


def test_expanded_grid_with_leading_empty_cells() -> None:
    line = "| | 2.其他法律行政法规禁止公开 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |"
    report = report_2019(_table3({"2.其他法律行政法规禁止公开": line}))
    assert row_values(report, "withheld.prohibited_by_law") == [3, 0, 0, 0, 0, 0, 3]


def test_labels_broken_by_spaces_and_full_width_punctuation() -> None:
    report = report_2019(_table3({
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)":
            "（二）部分 公开（区分处理的，只计这一情形，不计其他情形） | 2 | 0 | 0 | 0 | 0 "
            "| 0 | 2 |",
        "3.危及“三安全一稳定”": "3．危及\"三安全一稳定\" | ４ | 0 | 0 | 0 | 0 | 0 | ４ |",
    }))
    assert row_values(report, "partially_granted") == [2, 0, 0, 0, 0, 0, 2]
    assert row_values(report, "withheld.security_stability") == [4, 0, 0, 0, 0, 0, 4]
    assert report.provenance[CellRef("applications", "withheld.security_stability",
                                     "total")].printed == "４"


def test_one_cell_per_line_with_padding_lines() -> None:
    text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    assert "\n||\n" in text and "\n|||\n" in text
    report = ulanqab()
    assert row_values(report, "unavailable.not_held") == [6, 0, 0, 0, 0, 0, 6]


def _withheld_without_labels(consistent: bool = True) -> str:
    """Table 三 whose （三） rows are printed without their labels, one cell per
    line and a padding line after each row; received and handled hold 36 (the
    sum of those rows) when ``consistent``, so that I1 and I2 hold."""
    numbers = "\n".join(f"{i} |\n0 |\n0 |\n0 |\n0 |\n0 |\n{i} |\n||" for i in range(1, 9))
    total = " | ".join(["36", "0", "0", "0", "0", "0", "36"]) + " |"
    received = "一、本年新收政府信息公开申请数量"
    table = _table3({received: f"{received} | {total}",
                     "(七)总计": f"(七)总计 | {total}"} if consistent else None)
    start = table.index("(三)不予公开 | 1.属于国家秘密")
    end = table.index("(四)无法提供")
    return table[:start] + "(三)不予公开 |\n" + numbers + "\n" + table[end:]


def test_sub_labels_missing_rows_placed_by_position() -> None:
    report = report_2019(_withheld_without_labels())
    for i, row in enumerate(("state_secret", "prohibited_by_law", "security_stability",
                             "third_party_rights", "internal_affairs", "process_information",
                             "enforcement_files", "query_matters"), 1):
        assert row_values(report, f"withheld.{row}") == [i, 0, 0, 0, 0, 0, i]
    placed = [f for f in report.read_findings if f.rule == "read-row-by-position"]
    assert [f.row for f in placed][:2] == ["withheld.state_secret", "withheld.prohibited_by_law"]
    assert all(f.line is not None for f in placed)
    assert "read-position-uncertain" not in [f.rule for f in report.read_findings]


def test_rows_placed_by_position_are_withdrawn_when_a_column_identity_fails() -> None:
    # The same rows, but received and handled are 0: I2 (and I1) cannot hold
    # with them, so their place is not certain: blank, never the values.
    report = report_2019(_withheld_without_labels(consistent=False))
    for row in ("state_secret", "query_matters"):
        assert row_values(report, f"withheld.{row}") == [Blank("")] * 7
    found = [f for f in report.read_findings if f.rule == "read-position-uncertain"]
    assert found and all("I2" in f.message_en for f in found)
    assert "read-row-by-position" not in [f.rule for f in report.read_findings]
    assert any(text.startswith("8 | 0") for text in report.unplaced)
    # The labelled rows are kept.
    assert row_values(report, "granted") == [0] * 7


def test_rows_by_position_that_break_their_total_are_not_placed() -> None:
    numbers = "\n".join(f"{i} |\n0 |\n0 |\n0 |\n0 |\n0 |\n{i + 1} |\n||" for i in range(1, 9))
    table = _table3()
    start = table.index("(三)不予公开 | 1.属于国家秘密")
    end = table.index("(四)无法提供")
    report = report_2019(table[:start] + "(三)不予公开 |\n" + numbers + "\n" + table[end:])
    assert row_values(report, "withheld.state_secret") == [Blank("")] * 7
    found = [f for f in report.read_findings if f.rule == "read-position-uncertain"]
    assert found and "I3" in found[0].message_en


def test_provincial_customisations() -> None:
    active = (
        "第二十条第(一)项 |\n"
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "规章(设区的市、自治州人民政府应提供相关数据) | 0 | 0 | 0 |\n"
        "规范性文件 | 1 | 1 | 3 |\n"
        "其他主动公开文件(如有) | 5 | 5 | 9 |\n"
        "第二十条第(五)项 |\n"
        "信息内容 | 上一年项目数量 | 本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8) "
        "| 处理决定数量 |\n"
        "行政许可 | 10 | -8 | 7 |\n"
        "其他对外管理服务事项 | 3 | 减2 | 0 |\n"
        "第二十条第(九)项 |\n"
        "信息内容 | 采购项目数量 | 采购总金额 |\n"
        "政府集中采购 | 2 | 251000元 |\n"
    )
    report = of_2019(report_2019(_table3(), active=active))
    assert report.active.art20_1.rules.made == 0
    assert report.active.extra_rows == (
        ExtraRow(label="其他主动公开文件(如有)", cells=("5", "5", "9"),
                 after="art20_1.normative_documents"),
    )
    assert report.active.extra_rows[0].line is not None
    assert report.active.art20_5.licensing.change == -8
    assert report.active.art20_5.other_services.change == -2
    assert report.provenance[CellRef("active", "art20_5.other_services", "change")].printed == "减2"
    assert report.active.art20_9.procurement.amount == Decimal(251000)
    amount = CellRef("active", "art20_9.procurement", "amount")
    assert report.provenance[amount].printed == "251000元"
    found = codes(report)
    assert "read-loose-label" in found and "read-unknown-row" in found


def test_non_numeric_cells_are_kept_as_printed() -> None:
    row = "(一)予以公开 | - | / | 无 | — | &nbsp; | | 0 |"
    report = report_2019(_table3({"(一)予以公开": row}))
    assert row_values(report, "granted") == [Blank("-"), Blank("/"), Blank("无"), Blank("—"),
                                            Blank("&nbsp;"), Blank(""), 0]
    statuses = {f.status.value for f in validate(report) if f.rule in ("I1", "I2", "I3")}
    assert statuses == {"not_assessable"}


def test_rows_with_too_many_values_and_repeated_rows() -> None:
    report = report_2019(_table3({
        "(一)予以公开": "(一)予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | 5 |",
        "(七)总计": f"(七)总计 | {_ZEROS}\n(七)总计 | 9 | 9 | 9 | 9 | 9 | 9 | 9 |",
    }))
    assert row_values(report, "granted") == [Blank("")] * 7
    assert row_values(report, "total_handled") == [0] * 7
    found = codes(report)
    # 总计 printed twice with other numbers: which is right cannot be told.
    assert "read-long-row" in found and "read-conflicting-row" in found
    assert "read-duplicate-row" not in found
    assert not validate(report).ok


def test_a_row_printed_twice_alike_is_a_duplicate_and_stays_ok() -> None:
    twice = f"(七)总计 | {_ZEROS}\n(七)总计 | {_ZEROS}"
    report = report_2019(_table3({"(七)总计": twice}))
    assert row_values(report, "total_handled") == [0] * 7
    found = codes(report)
    assert "read-duplicate-row" in found and "read-conflicting-row" not in found
    # The same row with one number changed conflicts, and the report is not ok.
    other = twice[: twice.rindex("0")] + "1 |"
    conflicting = report_2019(_table3({"(七)总计": other}))
    assert row_values(conflicting, "total_handled") == [0] * 7  # the first is kept
    [f] = [f for f in conflicting.read_findings if f.rule == "read-conflicting-row"]
    assert f.severity.value == "error" and f.row == "total_handled"
    assert not validate(conflicting).ok


def test_traditional_characters() -> None:
    text = (CORPUS / "partial" / "P04.txt").read_text("utf-8")
    report = read(text)
    assert report.edition == "2021"
    assert report.active.art20_6.penalties.decisions == 4
    assert report.active.art20_8.fees.amount == Decimal("190.457379")
    assert "read-unplaced-text" not in codes(report)


def test_separator_lines_and_wrapped_header_cells() -> None:
    report = read((CORPUS / "partial" / "P02.txt").read_text("utf-8"))
    assert report.edition == "2019"
    assert (report.active.art20_1.normative_documents.made,
            report.active.art20_1.normative_documents.published,
            report.active.art20_1.normative_documents.total_published) == (2, 2, 2)
    assert row_values(report, "partially_granted") == [0] * 7


def test_markdown_with_footers_captions_and_leaking_labels() -> None:
    text = (CORPUS / "shanghai-office-2025.md").read_text("utf-8")
    report = govdisclosure.loads(text, "markdown")
    assert report.title == "2025 年上海市人民政府办公厅政府信息公开工作年度报告"
    assert (report.agency, report.year, report.edition) == ("上海市人民政府办公厅", 2025, "2021")
    assert row_values(report, "not_processed.confirmation") == [0] * 7
    assert row_values(report, "other_handling.fee_unpaid") == [0] * 7
    loose = {f.row for f in report.read_findings if f.rule == "read-loose-label"}
    assert {"other_handling.no_correction", "other_handling.fee_unpaid"} <= loose
    assert report.provenance[CellRef("applications", "carried_forward", "total")].line == 169


def test_markdown_escaped_pipes_in_cells() -> None:
    active = (
        "### 第二十条第（一）项\n\n"
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n| 规范性文件 | 1 | 1 | 3 |\n"
        "| 其他文件 \\| 附表 | 2 | 2 | 2 |\n"
    )
    report = report_2019(_table3(), active=active)
    assert report.active.extra_rows[0].label == "其他文件 | 附表"


def test_year_is_never_read_from_a_date_without_nian() -> None:
    text = ("根据国办公开办函〔2021〕30号(2021926),编制本报告。\n一、总体情况\n2022年,本镇…\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n")
    report = read(text)
    assert report.year == 2022


def test_crawler_header_lines() -> None:
    report = read((CORPUS / "pingtan-2021.txt").read_text("utf-8"))
    assert report.title == "平潭综合实验区2021年度政府信息公开工作年度报告"
    assert (report.agency, report.year, report.edition) == ("平潭综合实验区", 2021, "2021")
    assert "本报告所列数据的统计期限" in report.introduction or "统计期限" in report.introduction
    assert not report.introduction.startswith("标题")
    assert report.other_matters is not None
    assert report.other_matters.body.startswith("2021年，无收取信息处理费情况")


# A site's navigation before the title, as a whole page saved as text or printed
# gives it: menus, a login line, a breadcrumb that ends in the title, the title.
_CHROME = ["国务院 省政府 省人大", "移动版", "登录 注册", "首页", "政务公开", "互动交流",
           "请输入搜索内容", "热门搜索：",
           "当前位置：首页 > 政务公开 > 某县2019年度政府信息公开工作年度报告",
           "首页", "政府信息公开年报"]


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_a_title_after_a_pages_navigation_text(edition: Edition) -> None:
    from govdisclosure.testing.samples import sample_report

    report = attrs.evolve(sample_report(3, edition), title="某县2021年度政府信息公开工作年度报告",
                          agency="某县", year=2021)
    text = govdisclosure.dumps(report, "text")
    assert text.startswith("某县2021年度")
    read_back = read("\n".join(_CHROME) + "\n" + text)
    assert (read_back.title, read_back.agency, read_back.year) == (report.title, "某县", 2021)
    assert dict(iter_cells(read_back)) == dict(iter_cells(report))
    # Nothing is lost: the navigation is kept as unplaced text, with its line.
    assert read_back.unplaced[0] == "\n".join(_CHROME)
    [first] = [f for f in read_back.read_findings if f.rule == "read-unplaced-text"][:1]
    assert first.line == 1


# --- Tables copied with tabs ------------------------------------------------


def _copied(page: str) -> str:
    """What copying ``page`` from a browser into a text file gives: each table
    row its cells separated by tabs (empty cells kept, a merged cell once),
    each other block a line."""
    from govdisclosure.formats._htmltree import parse
    from govdisclosure.formats.html import flatten

    lines = []
    for row in flatten(parse(page)).rows:
        if row.table:
            lines.append("\t".join(" ".join(c.split()) for c in row.cells))
        else:
            lines.extend(row.cells[0].splitlines())
    return "\n".join(lines) + "\n"


def _published(report: Report) -> str:
    """A published-style page of ``report``: every pipe line of its text a
    ``<tr>`` (a blank cell an empty ``<td>``), every other line a ``<p>``."""
    import html

    out = ["<html><head><meta charset='utf-8'></head><body>"]
    for line in govdisclosure.dumps(report, "text").splitlines():
        if "|" in line:
            cells = [c.strip() for c in line.split("|")][:-1]
            out.append("<table><tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                       + "</tr></table>")
        else:
            out.append(f"<p>{html.escape(line)}</p>")
    return "\n".join([*out, "</body></html>"]).replace("</table>\n<table>", "")


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(reports(blanks=True))
def test_a_page_copied_with_tabs_reads_as_the_page(report: Report) -> None:
    page = _published(report)
    copied = _copied(page)
    assert "\t" in copied
    as_text = read(copied)
    assert dict(iter_cells(as_text)) == dict(iter_cells(govdisclosure.loads(page, "html")))
    assert dict(iter_cells(as_text)) == dict(iter_cells(report))


def test_the_real_page_copied_with_tabs_reads_exactly() -> None:
    page = (CORPUS / "pingtan-2021.html").read_text("utf-8")
    as_text = read(_copied(page))
    assert dict(iter_cells(as_text)) == dict(iter_cells(govdisclosure.loads(page, "html")))
    assert govdisclosure.read_coverage(as_text).cells_read == 200
    assert (as_text.year, as_text.agency) == (2021, "平潭综合实验区")


def test_tabs_in_narrative_are_kept_and_indenting_tabs_cut_nothing() -> None:
    text = ulanqab_text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    at = ulanqab_text.index("二、主动公开政府信息情况")
    text = text[:at] + "联系电话：\t0474-8888888\t（工作日）\n\t另起一段。\n" + text[at:]
    report = read(text)
    assert report.overview is not None
    assert report.overview.body.endswith("联系电话：\t0474-8888888\t（工作日）\n\t另起一段。")
    assert dict(iter_cells(report)) == dict(iter_cells(ulanqab()))


# --- Markdown with HTML tables ------------------------------------------------


def _markdown_with_html_tables(report: Report) -> str:
    """``report`` as tools that turn PDF into Markdown write it: paragraphs as
    lines, each table as one line of HTML (a blank cell an empty ``<td>``)."""
    import html

    out: list[str] = []
    table: list[str] = []
    for line in [*govdisclosure.dumps(report, "text").splitlines(), ""]:
        if "|" in line:
            cells = [c.strip() for c in line.split("|")][:-1]
            table.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                         + "</tr>")
            continue
        if table:
            out.append("<table>" + "".join(table) + "</table>")
            table.clear()
        out.append(line)
    return "\n".join(out)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(reports(blanks=True))
def test_markdown_with_html_tables_reads_exactly(report: Report) -> None:
    # (The helper takes every line with a pipe for a table row.)
    narrative = [report.introduction, *(s.body for s in (
        report.overview, report.problems, report.other_matters) if s is not None)]
    assume(not any("|" in text for text in narrative))
    text = _markdown_with_html_tables(report)
    read_back = govdisclosure.loads(text, "markdown")
    assert dict(iter_cells(read_back)) == dict(iter_cells(report))
    assert read_back.overview == report.overview
    # A cell's line is the line of its table in the Markdown.
    lines = text.splitlines()
    for ref, source in read_back.provenance.items():
        assert source.line is not None and lines[source.line - 1].startswith("<table>"), ref


def test_markdown_with_the_real_pages_tables_reads_as_the_page() -> None:
    # pingtan-2021.html's three tables (rowspan, colspan, mso markup) as raw
    # HTML inside Markdown, the page's paragraphs around them.
    from govdisclosure.formats._htmltree import parse
    from govdisclosure.formats.html import flatten

    page = (CORPUS / "pingtan-2021.html").read_text("utf-8")
    blocks = iter(re.findall(r"<table\b.*?</table\s*>", page, re.I | re.S))
    out: list[str] = []
    in_table = False
    for row in flatten(parse(page)).rows:
        if row.table and not in_table:
            out.append(next(blocks))
        elif not row.table:
            out.append(row.cells[0])
        in_table = row.table
    read_back = govdisclosure.loads("\n\n".join(out), "markdown")
    assert dict(iter_cells(read_back)) == dict(iter_cells(govdisclosure.loads(page, "html")))
    assert govdisclosure.read_coverage(read_back).cells_read == 200
    assert (read_back.year, read_back.agency) == (2021, "平潭综合实验区")


# --- Bad input -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff"])
def test_empty_input_is_a_read_error(text: str) -> None:
    with pytest.raises(ReadError, match="empty"):
        read(text)


def test_binary_junk_is_a_read_error() -> None:
    junk = bytes(random.Random(7).randrange(256) for _ in range(20000)).decode("latin-1")
    with pytest.raises(ReadError, match="not a report"):
        read(junk)


def test_a_missing_table_is_a_finding() -> None:
    text = _HEAD + _ACTIVE_2019 + _APPEALS + "五、存在问题及改进措施\n无。\n"
    report = read(text)
    missing = [f for f in report.read_findings if f.rule == "read-missing-table"]
    assert [f.table for f in missing] == ["applications"]
    assert len(missing[0].blanks) == 23 * 7


def test_a_truncated_table_reads_what_is_there() -> None:
    report = read((CORPUS / "partial" / "P01.txt").read_text("utf-8"))
    assert row_values(report, "carried_over") == [0] * 7
    rows = [f.row for f in report.read_findings if f.rule == "read-missing-row"]
    assert rows[0] == "granted" and rows[-1] == "carried_forward"
    assert [f.table for f in report.read_findings if f.rule == "read-missing-table"] == ["appeals"]


def test_random_pipes_and_digits() -> None:
    rng = random.Random(11)
    junk = "".join(rng.choice("|0123456789\n ") for _ in range(2_000_000))
    with pytest.raises(ReadError):
        read(junk)
    report = report_2019(junk)
    assert "read-unplaced-text" in codes(report)
    one_line = "".join(rng.choice("|0123456789") for _ in range(2_000_000))
    assert report_2019(one_line + "\n").unplaced


def test_a_200_line_label() -> None:
    label = "\n".join(["很长的标签文字"] * 200)
    report = report_2019(_table3({"(一)予以公开": label + " | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"}))
    assert report.edition == "2019"
    assert "read-unknown-row" in codes(report) or "read-unplaced-text" in codes(report)


_PIECES = (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在问题及改进措施", "六、其他需要报告的事项",
    "第二十条第（一）项", "规章", "（三）不予公开", "1.属于国家秘密", "2.重复申请", "（七）总计",
    "行政复议", "总计", "|", "||", "\n", " ", "0", "12", "-8", "减4", "52.15", "—", "无",
    "| 0 | 0 |", "|---|---|", "### ", "标题: x", "— 4 —", "2020年", "本年制发件数", "\\|",
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=60)
       .map("".join), st.sampled_from([None, "2019", "2021"]))
def test_any_text_reads_or_raises_read_error(text: str, edition: str | None) -> None:
    try:
        report = read(text, edition=edition)
    except ReadError:
        return
    assert set(codes(report)) <= set(READ_CODES)
    validate(report)


# --- Round trips with the text and Markdown writers ---------------------------


def _comparable(report: Report) -> Report:
    # ``unplaced`` is not written by the writers (see the report of this change).
    return attrs.evolve(report, unplaced=())


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=40)
@given(data=st.data())
def test_round_trip(fmt: str, data: st.DataObject) -> None:
    report = data.draw(reports(blanks=True))
    # A writer prints a title made from agency and year when the report has
    # none; such a title reads back as printed.
    assume(report.title is not None or (report.agency is None and report.year is None))
    # Without a year, a statistics period anywhere in the text names the year.
    written = govdisclosure.dumps(report, fmt)
    assume(report.year is not None or "统计期限" not in written)
    back = govdisclosure.loads(written, fmt)
    assert _comparable(back) == _comparable(report)
    assert not [f for f in back.read_findings if f.rule in (
        "read-short-row", "read-long-row", "read-unplaced-values", "read-row-by-position")]


# --- Documentation -------------------------------------------------------------

_DOCS = ROOT / "docs" / "reading.md"


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    # Listed once, in docs/rules.md (generated from the catalogue); reading.md links there.
    assert "(rules.md#reader-findings)" in _DOCS.read_text("utf-8")
    rules = (ROOT / "docs" / "rules.md").read_text("utf-8")
    rows = re.findall(r"^\| `(read-[a-z-]+)` \| (\w+) \| (.+) \|$", rules, re.M)
    assert [code for code, _, _ in rows] == list(READ_CODES)
    from govdisclosure.formats._textread._findings import SEVERITIES

    for code, severity, meaning in rows:
        assert SEVERITIES[code].value == severity
        assert READ_CODES[code] == meaning


def test_the_run_splitter_codes_are_reader_codes() -> None:
    from govdisclosure.formats import _runsplit

    assert set(_runsplit.CODES) <= set(READ_CODES)


def test_reading_doc_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(_DOCS.read_text("utf-8").replace("```python", "").replace(
        "```", ""), {}, "reading.md", str(_DOCS), 0)
    result = doctest.DocTestRunner().run(test)
    assert result.failed == 0 and result.attempted > 0
