"""Layout variants of real reports, each built from its description.

A valid sample report is written as text by the library's own writer, then
reshaped as the variant describes (FORMAT.md, "Layout variants"); reading it
back must give exactly the sample's cells, with the findings the variant calls
for. Each test names what it would catch if the reader regressed.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
import pytest

import govdisclosure as gd
from editions import of_2019, of_2021
from govdisclosure import Blank, CellRef, Report, infer, read_coverage, validate
from govdisclosure.model import Edition, get_cell, iter_cells
from govdisclosure.model.report import TABLE_HEADINGS
from govdisclosure.testing.samples import sample_report

APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
              "legal_services", "other", "total")


def sample(edition: Edition, seed: int = 3) -> Report:
    return sample_report(seed, edition)


def cells(report: Report) -> dict[CellRef, object]:
    return dict(iter_cells(report))


def codes(report: Report) -> list[str]:
    return [f.rule for f in report.read_findings]


def parts(text: str) -> dict[str, str]:
    """The written text cut at its section headings: ``front``, ``一`` … ``六``."""
    heads = {"一": "一、总体情况", "二": TABLE_HEADINGS["active"],
             "三": TABLE_HEADINGS["applications"], "四": TABLE_HEADINGS["appeals"],
             "五": "五、存在的主要问题及改进情况", "六": "六、其他需要报告的事项"}
    at = {name: text.index(head + "\n") for name, head in heads.items()}
    names = sorted(at, key=at.__getitem__)
    out = {"front": text[: at[names[0]]]}
    for name, nxt in zip(names, [*names[1:], None], strict=True):
        start = at[name] + len(heads[name]) + 1
        out[name] = text[start: at[nxt] if nxt else len(text)]
    return out


def read(text: str) -> Report:
    return gd.loads(text, "text")


# --- sections numbered by the report's own scheme, tables in an annex ----------


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_tables_titled_by_caption_after_prose_sections_of_their_own(edition: Edition) -> None:
    # Lost whole tables before: the captions 表二/表三/表四 were no headings, and
    # they came after sections 三 and 四 of the report's own numbering.
    report = sample(edition)
    p = parts(gd.dumps(report, "text"))
    text = (p["front"] + "一、总体情况\n" + p["一"] + "二、工作机制保障\n建立了公开工作制度。\n"
            "三、存在的主要问题及改进措施\n人员不足。\n四、其他需要报告的事项\n无。\n附件\n"
            "表二：主动公开政府信息情况\n" + p["二"]
            + "表三：收到和处理政府信息公开申请情况\n" + p["三"]
            + "表四：政府信息公开行政复议、行政诉讼情况\n" + p["四"])
    read_back = read(text)
    assert cells(read_back) == cells(report)
    assert read_coverage(read_back).tables_found == ("active", "applications", "appeals")
    assert validate(read_back).ok
    assert read_back.problems is not None
    assert read_back.problems.heading == "三、存在的主要问题及改进措施"
    assert read_back.other_matters is not None and read_back.other_matters.body == "无。\n附件"
    assert read_back.headings["applications"] == "表三：收到和处理政府信息公开申请情况"


def test_tables_with_their_headings_after_the_narrative_sections() -> None:
    report = sample("2021", 5)
    p = parts(gd.dumps(report, "text"))
    text = (p["front"] + "一、总体情况\n" + p["一"] + "五、存在的主要问题及改进情况\n无。\n"
            "六、其他需要报告的事项\n无。\n附件\n"
            + "".join(f"{TABLE_HEADINGS[t]}\n{p[n]}" for t, n in (
                ("active", "二"), ("applications", "三"), ("appeals", "四"))))
    read_back = read(text)
    assert cells(read_back) == cells(report)
    assert "read-missing-table" not in codes(read_back)


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_tables_under_an_annex_without_headings(edition: Edition) -> None:
    # 附件 followed by the three tables alone: each starts at its own first cells.
    report = sample(edition, 7)
    p = parts(gd.dumps(report, "text"))
    text = (p["front"] + "一、总体情况\n" + p["一"] + "五、存在的主要问题及改进情况\n无。\n"
            "六、其他需要报告的事项\n无。\n附件：政府信息公开情况统计表\n"
            + p["二"] + p["三"] + p["四"])
    read_back = read(text)
    assert cells(read_back) == cells(report)
    assert read_coverage(read_back).tables_found == ("active", "applications", "appeals")
    assert read_back.headings == {}  # no heading was printed, none is invented
    assert read_back.other_matters is not None
    assert read_back.other_matters.body == "无。\n附件：政府信息公开情况统计表"


def test_a_report_without_its_tables_is_not_ok_even_with_an_annex_line() -> None:
    report = sample("2021")
    p = parts(gd.dumps(report, "text"))
    text = p["front"] + "一、总体情况\n" + p["一"] + "五、存在的主要问题及改进情况\n无。\n附件\n"
    assert not validate(read(text)).ok


# --- heading variants ------------------------------------------------------------


def test_a_typo_in_the_heading_of_section_four() -> None:
    report = sample("2019")
    typo = "四、政府信息公开行政法复议、行政诉讼情况"
    text = gd.dumps(report, "text").replace(TABLE_HEADINGS["appeals"], typo)
    read_back = read(text)
    assert cells(read_back) == cells(report)
    assert read_back.headings["appeals"] == typo


@pytest.mark.parametrize("title", [
    "五、存在的主要问题及明年工作计划",
    "五、存在问题及改进措施",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "五、存在的主要问题和下一步工作打算",
])
def test_section_five_titles(title: str) -> None:
    report = sample("2021")
    text = gd.dumps(report, "text").replace("五、存在的主要问题及改进情况", title)
    read_back = read(text)
    assert read_back.problems is not None and read_back.problems.heading == title
    assert read_back.problems.body == "无。"


@pytest.mark.parametrize("title", ["五、存在的主要问题及明年工作计划", "一、基本情况"])
def test_variant_headings_inside_a_crawlers_long_line(title: str) -> None:
    # A crawler's text holds the whole narrative on one line: headings are found
    # inside it.
    body = "。".join(["本机关认真贯彻条例规定，做好政府信息公开工作"] * 8) + "。"
    text = ("某局2021年政府信息公开工作年度报告\n一、总体情况 " + body + " " + title + " " + body
            + " 六、其他需要报告的事项 无。\n")
    if title.startswith("一"):
        text = text.replace("一、总体情况", title)
    read_back = read(text)
    section = read_back.overview if title.startswith("一") else read_back.problems
    assert section is not None and section.heading == title


# --- table 三 with a 法人或其他组织 小计 column ---------------------------------------


def _with_subtotal(text: str, wrong_row: str | None = None) -> str:
    out = []
    for line in text.splitlines():
        cells_ = [c.strip() for c in line.split("|")]
        at = [i for i, c in enumerate(cells_) if re.fullmatch(r"\d+", c)]
        if len(at) == 7:
            subtotal = sum(int(cells_[i]) for i in at[1:6])
            if wrong_row is not None and line.startswith(wrong_row):
                subtotal += 1
            cells_.insert(at[6], str(subtotal))
            line = " | ".join(cells_)
        elif line.startswith("自然人 | 法人或其他组织 | 总计"):
            line = "自然人 | 法人或其他组织 | 总计 |"
        elif line.startswith("商业企业 |"):
            line = "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 小计 |"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_table_three_with_a_subtotal_column(edition: Edition) -> None:
    # Eight value columns for seven: read the seven of the form, the 小计 checked.
    report = sample(edition)
    p = parts(gd.dumps(report, "text"))
    text = gd.dumps(report, "text").replace(p["三"], _with_subtotal(p["三"]))
    assert "小计" in text
    read_back = read(text)
    assert cells(read_back) == cells(report)
    assert "read-long-row" not in codes(read_back)
    assert "read-subtotal-mismatch" not in codes(read_back)


def test_a_wrong_subtotal_is_a_finding_and_the_row_is_still_read() -> None:
    report = sample("2021")
    p = parts(gd.dumps(report, "text"))
    text = gd.dumps(report, "text").replace(p["三"], _with_subtotal(p["三"], "2.重复申请"))
    read_back = read(text)
    assert cells(read_back) == cells(report)
    [f] = [f for f in read_back.read_findings if f.rule == "read-subtotal-mismatch"]
    assert f.row == "not_processed.duplicate" and f.table == "applications"


# --- a 2021 table 三 whose （六）其他处理 is printed as one row ------------------------

_SUBS = ("other_handling.no_correction", "other_handling.fee_unpaid", "other_handling.other")


def _other_handling_zero(report: Report) -> Report:
    # The sample with its three （六） rows 0, the totals moved to carried_forward
    # so that every identity still holds.
    changes: dict[CellRef, int] = {}
    for column in APPLICANTS:
        moved = 0
        for row in _SUBS:
            ref = CellRef("applications", row, column)
            value = get_cell(report, ref)
            assert isinstance(value, int)
            moved += value
            changes[ref] = 0
        for row, sign in (("total_handled", -1), ("carried_forward", 1)):
            ref = CellRef("applications", row, column)
            value = get_cell(report, ref)
            assert isinstance(value, int)
            changes[ref] = value + sign * moved
    return gd.replace_cells(report, changes)


def _count(report: Report, ref: CellRef) -> int:
    value = get_cell(report, ref)
    assert isinstance(value, int), (ref, value)
    return value


def _combined(text: str, report: Report) -> str:
    sums = [sum(_count(report, CellRef("applications", r, c)) for r in _SUBS)
            for c in APPLICANTS]
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("（六）其他处理"))
    row = "（六）其他处理 | " + " | ".join(map(str, sums)) + " |"
    return "\n".join([*lines[:start], row, *lines[start + 3:]]) + "\n"


def test_other_handling_printed_as_one_row_zero() -> None:
    report = _other_handling_zero(sample("2021"))
    assert not [f for f in validate(report) if f.failed]
    read_back = read(_combined(gd.dumps(report, "text"), report))
    for row in _SUBS:  # the sub-rows are not given: blank, never the printed sum
        for column in APPLICANTS:
            assert get_cell(read_back, CellRef("applications", row, column)) == Blank("")
    [f] = [f for f in read_back.read_findings if f.rule == "read-combined-row"]
    assert f.row == "other_handling" and len(f.blanks) == 21
    assert f.actual == " | ".join(["0"] * 7)
    assert "read-row-by-position" not in codes(read_back)
    others = {ref: v for ref, v in cells(report).items() if ref.row not in _SUBS}
    assert {ref: v for ref, v in cells(read_back).items() if ref.row not in _SUBS} == others
    # Every other row holds, so the sum of the three is forced: 0, so each is 0.
    filled = infer(read_back)
    assert cells(filled) == cells(report)
    assert filled.provenance[CellRef("applications", _SUBS[0], "total")].inferred_by


def test_other_handling_printed_as_one_row_nonzero_stays_blank() -> None:
    report = sample("2021")
    sums = sum(_count(report, CellRef("applications", r, "total")) for r in _SUBS)
    assert sums > 0
    read_back = read(_combined(gd.dumps(report, "text"), report))
    assert "read-combined-row" in codes(read_back)
    filled = infer(read_back)
    assert get_cell(filled, CellRef("applications", _SUBS[2], "total")) == Blank("")
    assert read_coverage(read_back).cells_read == read_coverage(read_back).cells_total - 21


# --- units in table 二 cells -------------------------------------------------------


def test_units_in_table_two_cells() -> None:
    report = sample("2019")
    text = gd.dumps(report, "text")
    old = next(ln for ln in text.splitlines() if ln.startswith("政府集中采购 |"))
    text = text.replace(old, "政府集中采购 | 2笔 | 984361元 ||")
    read_back = of_2019(read(text))
    assert read_back.active.art20_9.procurement.projects == 2
    assert read_back.active.art20_9.procurement.amount == Decimal("984361")
    ref = CellRef("active", "art20_9.procurement", "projects")
    assert read_back.provenance[ref].printed == "2笔"


def test_units_in_a_loose_line_of_table_two() -> None:
    report = sample("2021")
    text = gd.dumps(report, "text")
    old = next(ln for ln in text.splitlines() if ln.startswith("行政事业性收费 |"))
    read_back = of_2021(read(text.replace(old, "行政事业性收费 96.5万元")))
    assert read_back.active.art20_8.fees.amount == Decimal("96.5")
    assert "read-unknown-row" not in codes(read_back)


# --- labels with missing characters, placed by the form's row order ---------------


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_a_label_with_missing_characters_is_placed_by_row_order(edition: Edition) -> None:
    report = sample(edition)
    text = gd.dumps(report, "text").replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    read_back = read(text)
    assert cells(read_back) == cells(report)
    [f] = [f for f in read_back.read_findings if f.rule == "read-label-by-order"]
    assert f.row == "withheld.prohibited_by_law"
    assert "read-unknown-row" not in codes(read_back)


def test_a_garbled_label_with_another_number_is_not_placed_by_order() -> None:
    report = sample("2021")
    text = gd.dumps(report, "text").replace("2.其他法律行政法规禁止公开", "5.其他法律行政止公开")
    read_back = read(text)
    assert "read-label-by-order" not in codes(read_back)
    assert get_cell(read_back, CellRef("applications", "withheld.prohibited_by_law",
                                       "total")) == Blank("")
    assert "read-unknown-row" in codes(read_back)


# --- blank cells written as empty paragraphs (counted) ------------------------------


_MARK = "BLANKCELL"


def _paragraphs(report: Report) -> str:
    """``report``'s text with its tables in the crawler's paragraph form: each
    cell followed by three newlines, each row by two more. Padding cells are
    dropped; a blank cell of the form stays as an empty paragraph."""
    marked = gd.replace_cells(report, {ref: Blank(_MARK) for ref, v in iter_cells(report)
                                       if v == Blank("")})
    out: list[str] = []
    for line in gd.dumps(marked, "text").splitlines():
        if "|" not in line:
            out.append(line + "\n")
            continue
        row = [c.strip() for c in line.split("|")][:-1]
        while row and not row[-1]:
            row.pop()
        out.append("".join(("" if c == _MARK else c) + "\n\n\n" for c in row) + "\n\n")
    return "".join(out)


def _with_blanks(report: Report) -> Report:
    blank = Blank("")
    refs = [CellRef("applications", "granted", c) for c in APPLICANTS]  # a whole row
    refs += [CellRef("applications", "received", "research")]  # one inside a row
    refs += [CellRef("applications", "carried_forward", "total")]  # one at a row's end
    refs += [CellRef("appeals", "review", c) for c in ("upheld", "corrected", "other",
                                                         "pending")]  # leading blanks
    return gd.replace_cells(report, dict.fromkeys(refs, blank))


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_empty_paragraphs_are_counted_as_blank_cells(edition: Edition) -> None:
    # Dropping the empty paragraphs would make these rows short and blank them.
    report = _with_blanks(sample(edition))
    text = _paragraphs(report)
    assert "\n\n\n\n\n\n\n" in text
    read_back = read(text)
    assert cells(read_back) == cells(report)
    assert not {"read-short-row", "read-long-row", "read-missing-row"} & set(codes(read_back))
    ref = CellRef("applications", "received", "research")
    assert ref in read_back.provenance  # a blank read in its place, not a lost one
    assert read_coverage(read_back).cells_read == read_coverage(read_back).cells_total


# --- table 四 split per group, groups in any order -----------------------------------


def test_table_four_groups_are_placed_by_their_labels() -> None:
    # Would fail if the group labels were ignored (values taken in print order)
    # or swapped (复议后起诉 read as 未经复议直接起诉).
    report = sample("2021")
    values = {g: [get_cell(report, CellRef("appeals", g, c)) for c in
                  ("upheld", "corrected", "other", "pending", "total")]
              for g in ("review", "litigation_direct", "litigation_after_review")}
    changes = {CellRef("appeals", g, c): 10 * i + j
               for i, g in enumerate(values, 1)
               for j, c in enumerate(("upheld", "corrected", "other", "pending"), 1)}
    for i, g in enumerate(values, 1):
        changes[CellRef("appeals", g, "total")] = sum(10 * i + j for j in range(1, 5))
    report = gd.replace_cells(report, changes)
    p = parts(gd.dumps(report, "text"))

    def group(label: str, g: str) -> str:
        row = [str(get_cell(report, CellRef("appeals", g, c))) for c in
               ("upheld", "corrected", "other", "pending", "total")]
        header = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |"
        return f"{label} |\n{header}\n" + " | ".join(row) + " |\n"

    table = (group("复议后起诉", "litigation_after_review") + group("行政复议", "review")
             + group("未经复议直接起诉", "litigation_direct"))
    read_back = read(gd.dumps(report, "text").replace(p["四"], table))
    assert cells(read_back) == cells(report)
    assert read_back.appeals.litigation_after_review.upheld == 31
    assert read_back.appeals.review.upheld == 11


def test_publisher_is_kept_apart_from_the_body() -> None:
    report = attrs.evolve(sample("2021"), publisher="某市人民政府办公室")
    text = gd.dumps(report, "text")
    assert text.startswith("发布机构：某市人民政府办公室\n")
    read_back = read(text)
    assert (read_back.agency, read_back.publisher) == (report.agency, "某市人民政府办公室")
