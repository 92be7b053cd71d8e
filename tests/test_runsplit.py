"""Recovering table cells whose separators were lost (formats/_runsplit.py).

The pingtan corpus files are crawler text where ``| 23 | 0 | … | 23 |`` became
``230 000023``. These tests cut each table's text out of them and check the
recovered cells against the hand-checked expected values; properties check that
any text gives a result, and that generated tables split back to themselves
(or to an ambiguity that names them).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.formats._runsplit import CODES, RunTable, split_table, split_tables
from govdisclosure.model import Blank, CellRef, Finding, Severity, Status, Value, form
from govdisclosure.model.report import EDITIONS, TABLE_HEADINGS, Edition

CORPUS = Path(__file__).parent / "corpus"
HEADINGS = {**TABLE_HEADINGS, "end": "五、存在的主要问题及改进情况"}
APPLICATIONS_HEADER = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人"
    "法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
)
APPEALS_HEADER = (
    "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
    "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
)


# --- Helpers ----------------------------------------------------------------------


def corpus_segment(name: str, table: str) -> tuple[str, int]:
    """The text of ``table``'s section in a corpus file, and its first line."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    order = ["active", "applications", "appeals", "end"]
    start = text.index(HEADINGS[table]) + len(HEADINGS[table])
    end = text.index(HEADINGS[order[order.index(table) + 1]], start)
    return text[start:end], text.count("\n", 0, start) + 1


def expected(name: str) -> dict[CellRef, str]:
    with (CORPUS / "expected" / name).open(encoding="utf-8") as f:
        return {CellRef(r["table"], r["row"], r["column"]): r["value"] for r in csv.DictReader(f)}


def cell_text(value: Value) -> str:
    return value.printed if isinstance(value, Blank) else str(value)


def rules(result: RunTable) -> list[str]:
    return [f.rule for f in result.findings]


def readings(finding: Finding) -> tuple[list[tuple[str, ...]], bool]:
    """The readings an ambiguous-split finding lists, and whether the list is complete."""
    assert isinstance(finding.expected, str)
    shown = finding.expected.split(" | ")
    complete = shown[-1] != "…"
    return [tuple(s.replace(" / ", ",").split(",")) for s in shown if s != "…"], complete


def row_values(result: RunTable, table: str, row: str, edition: Edition) -> tuple[Value, ...]:
    return tuple(result.values[ref] for ref in form(edition).row(table, row).refs())


# --- The corpus ---------------------------------------------------------------------

PINGTAN = [("pingtan-2019.txt", "2019"), ("pingtan-2021.txt", "2021")]


@pytest.mark.parametrize(("name", "edition"), PINGTAN)
@pytest.mark.parametrize("table", ["applications", "appeals"])
def test_pingtan_tables_match_expected(name: str, edition: Edition, table: str) -> None:
    segment, first_line = corpus_segment(name, table)
    result = split_table(segment, edition, table, first_line)
    want = {ref: v for ref, v in expected(name.replace(".txt", ".csv")).items()
            if ref.table == table}
    got = {ref: cell_text(v) for ref, v in result.values.items()}
    assert got == want
    assert result.findings == ()
    assert result.extra_rows == ()


def test_pingtan_2021_stray_space_and_provenance() -> None:
    segment, first_line = corpus_segment("pingtan-2021.txt", "applications")
    result = split_table(segment, "2021", "applications", first_line)
    assert row_values(result, "applications", "partially_granted", "2021") == (5, 0, 0, 0, 0, 0, 5)
    source = result.provenance[CellRef("applications", "partially_granted", "total")]
    assert source.printed == "500000 5"
    assert source.line == 10  # the body of the crawler file is its 10th line


def test_pingtan_2021_rows_resolved_by_column_identities() -> None:
    # Both rows split two ways on their own (27,0,0,2,0,1,30 or 2,7,0,0,20,1,30);
    # only one choice makes each column of （七）总计 the sum of the outcome rows.
    segment, first_line = corpus_segment("pingtan-2021.txt", "applications")
    result = split_table(segment, "2021", "applications", first_line)
    assert row_values(result, "applications", "granted", "2021") == (27, 0, 0, 2, 0, 1, 30)
    assert row_values(result, "applications", "unavailable.not_held", "2021") == (
        22, 0, 0, 0, 0, 3, 25,
    )


def test_pingtan_2021_appeals_seventeen_digits() -> None:
    segment, first_line = corpus_segment("pingtan-2021.txt", "appeals")
    result = split_table(segment, "2021", "appeals", first_line)
    values = [result.values[ref] for ref in form("2021").table("appeals").rows[0].refs()]
    assert values == [1, 0, 2, 0, 3]
    assert result.provenance[CellRef("appeals", "review", "upheld")].printed == (
        "10203120001200000"
    )


@pytest.mark.parametrize(("name", "edition"), PINGTAN)
def test_pingtan_active_unique_rows_split_and_others_reported(name: str, edition: Edition) -> None:
    segment, first_line = corpus_segment(name, "active")
    result = split_table(segment, edition, "active", first_line)
    assert row_values(result, "active", "art20_1.rules", edition) == (0, 0, 0)
    assert set(rules(result)) == {"read-ambiguous-split"}
    for finding in result.findings:
        assert finding.severity is Severity.WARNING
        assert finding.status is Status.FAILED
        assert finding.line == 10
        assert finding.row is not None
        assert finding.blanks and set(finding.blanks) <= set(finding.cells)
        assert all(isinstance(result.values[ref], Blank) for ref in finding.blanks)
        assert "第10行" in finding.message
        assert "line 10" in finding.message_en


def test_pingtan_2021_active_single_column_rows() -> None:
    segment, first_line = corpus_segment("pingtan-2021.txt", "active")
    result = split_table(segment, "2021", "active", first_line)
    assert row_values(result, "active", "art20_5.licensing", "2021") == (2293,)
    assert row_values(result, "active", "art20_6.penalties", "2021") == (1282,)
    assert row_values(result, "active", "art20_6.coercive_measures", "2021") == (42,)
    assert row_values(result, "active", "art20_8.fees", "2021") == (Decimal("24252.311082"),)
    ambiguous = [f.row for f in result.findings]
    assert ambiguous == ["art20_1.normative_documents"]
    found, complete = readings(result.findings[0])
    assert ("69", "36", "65") in found and complete


def test_readings_are_listed_in_the_order_of_their_boundaries() -> None:
    # The first cell's end first, then the second's: a finding reads the same
    # however the splits are searched.
    segment, first_line = corpus_segment("pingtan-2021.txt", "active")
    result = split_table(segment, "2021", "active", first_line)
    assert result.findings[0].expected == (
        "6,9,3665 | 6,93,665 | 6,936,65 | 6,9366,5 | 69,3,665 | 69,36,65 | 69,366,5 | "
        "693,6,65 | 693,66,5 | 6936,6,5")


def test_a_row_without_sums_lists_only_well_formed_cells() -> None:
    # A count is one digit, or at most twelve led by 1-9: no 02, no 13 digits.
    result = split_table("规章1020", "2021", "active", 1)
    assert result.findings[0].expected == "1,0,20 | 10,2,0"
    result = split_table("行政事业性收费12345678901234", "2019", "active", 1)
    (finding,) = [f for f in result.findings if f.row == "art20_8.fees"]
    assert finding.expected == (
        "12,345678901234 | 123,45678901234 | 1234,5678901234 | 12345,678901234 | "
        "123456,78901234 | 1234567,8901234 | 12345678,901234 | 1234567890,1234 | "
        "12345678901,234 | 123456789012,34")


def test_rows_printed_alike_are_read_each_in_its_own_cells() -> None:
    # A run read once serves the rows printed alike: only rows of the same cells.
    result = split_table("规章101规范性文件101行政事业性收费101", "2019", "active", 1)
    assert row_values(result, "active", "art20_1.rules", "2019") == (1, 0, 1)
    assert row_values(result, "active", "art20_1.normative_documents", "2019") == (1, 0, 1)
    assert row_values(result, "active", "art20_8.fees", "2019") == (10, 1)
    # Ambiguous rows printed alike list the same readings; others their own.
    result = split_table("规章898989规范性文件898989行政许可1020", "2019", "active", 1)
    shown = {f.row: f.expected for f in result.findings if f.rule == "read-ambiguous-split"}
    assert shown["art20_1.rules"] == shown["art20_1.normative_documents"]
    assert shown["art20_5.licensing"] == "1,0,20 | 10,2,0"


@pytest.mark.parametrize(("name", "edition"), PINGTAN)
def test_pingtan_end_to_end(name: str, edition: Edition) -> None:
    import govdisclosure
    from govdisclosure.model import iter_cells

    report = govdisclosure.load(CORPUS / name)
    assert report.edition == edition
    want = expected(name.replace(".txt", ".csv"))
    got = {ref: cell_text(v) for ref, v in iter_cells(report) if ref in want}
    assert got == want


# --- Examples -------------------------------------------------------------------


def applications_text(rows: Mapping[str, str], edition: Edition = "2021") -> str:
    """Crawler-style table 三: labels and runs, with group labels in between."""
    parts = [APPLICATIONS_HEADER]
    seen_groups: set[str] = set()
    for row in form(edition).table("applications").rows:
        if row.key == "granted":
            parts.append("三、本年度办理结果")
        if row.group_label and row.group not in seen_groups:
            seen_groups.add(row.group or "")
            parts.append(row.group_label)
        if row.key in rows:
            parts.append(row.label + rows[row.key])
    return "".join(parts)


ZERO_ROWS = {r.key: "0000000" for r in form("2021").table("applications").rows}
EMPTY_2019 = [r.key for r in form("2019").table("applications").rows]


def test_unsplittable_row() -> None:
    result = split_table(applications_text({**ZERO_ROWS, "received": "12"}), "2021",
                         "applications", 1)
    (finding,) = result.findings
    assert finding.rule == "read-unsplittable-row"
    assert finding.row == "received"
    assert finding.actual == "12"
    assert row_values(result, "applications", "received", "2021") == (Blank(""),) * 7


def test_row_that_breaks_its_total_is_kept_as_printed() -> None:
    # Seven digits for seven cells: only one split, though 1+2+3 != 7. The
    # printed numbers are facts; rule I3 will report them.
    result = split_table(applications_text({**ZERO_ROWS, "carried_over": "1230007"}), "2021",
                         "applications", 1)
    assert row_values(result, "applications", "carried_over", "2021") == (1, 2, 3, 0, 0, 0, 7)
    assert result.findings == ()


def test_ambiguous_row_keeps_the_agreed_cells_and_lists_the_readings() -> None:
    # received and carried_forward both split two ways, and I1 holds either way.
    # 11,0,0,0,0,0,11 or 1,10,0,0,0,0,11: the last five cells are certain.
    rows = {**ZERO_ROWS, "received": "110000011", "carried_forward": "110000011"}
    result = split_table(applications_text(rows), "2021", "applications", 7)
    assert rules(result) == ["read-ambiguous-split", "read-ambiguous-split"]
    finding = result.findings[0]
    assert finding.row == "received" and finding.line == 7
    assert "11,0,0,0,0,0,11" in finding.message and "1,10,0,0,0,0,11" in finding.message
    blank = Blank("")
    assert row_values(result, "applications", "received", "2021") == (
        blank, blank, 0, 0, 0, 0, 11)
    spec = form("2021").row("applications", "received")
    assert finding.blanks == spec.refs()[:2]
    found, complete = readings(finding)
    assert set(found) == {
        ("11", "0", "0", "0", "0", "0", "11"), ("1", "10", "0", "0", "0", "0", "11")}
    assert complete


def test_identities_choose_between_splits() -> None:
    # granted alone is 27,0,0,2,0,1,30 or 2,7,0,0,20,1,30, and （七）总计 (with
    # received) is 28,0,0,2,0,1,31 or 2,8,0,0,20,1,31; only the first pair adds
    # up with the 1 of （二） (I2), so I1 then fixes received too.
    rows = {**ZERO_ROWS, "received": "280020131", "granted": "270020130",
            "partially_granted": "1000001", "total_handled": "280020131"}
    result = split_table(applications_text(rows), "2021", "applications", 1)
    assert result.findings == ()
    assert row_values(result, "applications", "granted", "2021") == (27, 0, 0, 2, 0, 1, 30)
    for key in ("received", "total_handled"):
        assert row_values(result, "applications", key, "2021") == (28, 0, 0, 2, 0, 1, 31)


def test_vanished_blanks_keep_the_certain_totals() -> None:
    # hebei-miit-2019: empty cells vanish, so `数量22` is one applicant cell 2 and
    # its 总计 2. Which applicant column holds the 2 cannot be known.
    rows = dict.fromkeys(EMPTY_2019, "") | {"received": "22", "granted": "22",
                                          "total_handled": "22"}
    result = split_table(applications_text(rows, "2019"), "2019", "applications", 1)
    blank = Blank("")
    for key in ("received", "granted", "total_handled"):
        assert row_values(result, "applications", key, "2019") == (blank,) * 6 + (2,)
    assert row_values(result, "applications", "carried_over", "2019") == (blank,) * 7
    assert rules(result) == ["read-ambiguous-split"] * 3
    found, complete = readings(result.findings[0])
    assert complete and len(found) == 6
    # A 2 under 总计 with no part, or two parts 2 and no 总计, breaks the row's sum.
    assert all(r[-1] == "2" and r[:-1].count("2") == 1 for r in found)


def test_vanished_blanks_and_the_column_identities() -> None:
    # received 3 (one applicant cell) + carried over 1 (one cell) is handled 4:
    # I1 puts both cells in the column of the 4 once the total row is known.
    rows = dict.fromkeys(EMPTY_2019, "") | {
        "received": "33", "carried_over": "11", "granted": "4000004",
        "total_handled": "4000004"}
    result = split_table(applications_text(rows, "2019"), "2019", "applications", 1)
    blank = Blank("")
    assert row_values(result, "applications", "received", "2019") == (3,) + (blank,) * 5 + (3,)
    assert row_values(result, "applications", "carried_over", "2019") == (
        1,) + (blank,) * 5 + (1,)
    assert result.findings == ()


def test_a_leading_zero_is_a_certain_cell() -> None:
    # No split of this run into seven cells adds up, and there are many; every
    # one starts with the cell 0 (a count has no leading zero).
    result = split_table("(二)部分公开(只计这一情形)0" + "12" * 8, "2021", "applications", 1)
    (finding,) = [f for f in result.findings if f.row == "partially_granted"]
    assert finding.rule == "read-unsplittable-row"
    got = row_values(result, "applications", "partially_granted", "2021")
    assert got == (0,) + (Blank(""),) * 6
    assert finding.blanks == form("2021").row("applications", "partially_granted").refs()[1:]


def test_units_in_table_two_cells() -> None:
    # pingtan-finance-2020: `政府集中采购 2笔 984361元`, with or without the spaces.
    for text in ("政府集中采购 2笔 984361元", "政府集中采购2笔984361元"):
        result = split_table(text, "2019", "active", 1)
        assert row_values(result, "active", "art20_9.procurement", "2019") == (
            2, Decimal(984361))
        assert result.provenance[CellRef("active", "art20_9.procurement", "projects")].printed \
            == text[6:].strip()


def test_missing_row() -> None:
    rows = dict(ZERO_ROWS)
    del rows["not_processed.duplicate"]
    result = split_table(applications_text(rows), "2021", "applications", 1)
    (finding,) = result.findings
    assert finding.rule == "read-missing-row"
    assert finding.row == "not_processed.duplicate"
    assert finding.expected == "2.重复申请"
    assert row_values(result, "applications", "total_handled", "2021") == (0,) * 7


def test_spaces_decide_only_among_consistent_splits() -> None:
    result = split_table("规章 12 3 45规范性文件 000", "2019", "active", 1)
    assert row_values(result, "active", "art20_1.rules", "2019") == (12, 3, 45)
    assert row_values(result, "active", "art20_1.normative_documents", "2019") == (0, 0, 0)
    # A space that fits no split (inside the only possible cell) is ignored.
    result = split_table("行政许可22 93", "2021", "active", 1)
    assert row_values(result, "active", "art20_5.licensing", "2021") == (2293,)


def test_active_cells_of_every_kind() -> None:
    text = (
        "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章///"
        "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费5-8"
        "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购0 251000元"
    )
    result = split_table(text, "2019", "active", 1)
    assert row_values(result, "active", "art20_1.rules", "2019") == (Blank("/"),) * 3
    assert row_values(result, "active", "art20_8.fees", "2019") == (5, -8)
    assert row_values(result, "active", "art20_9.procurement", "2019") == (0, Decimal(251000))
    source = result.provenance[CellRef("active", "art20_9.procurement", "amount")]
    assert source.printed == "0 251000元"
    assert rules(result) == ["read-missing-row"] * 5  # the rows not in the text


def test_extra_row_is_kept() -> None:
    text = "规章000其他主动公开文件（含通知）56 7规范性文件111"
    result = split_table(text, "2019", "active", 3)
    (extra,) = result.extra_rows
    assert extra.label == "其他主动公开文件（含通知）"
    assert extra.cells == ("56 7",)
    assert extra.after == "art20_1.rules"
    assert extra.line == 3
    assert row_values(result, "active", "art20_1.normative_documents", "2019") == (1, 1, 1)


def test_lines_and_halfwidth_labels() -> None:
    # Lines 20 and 21 are empty; a run may go on over a line break.
    text = "\n\n(一)予以公开\n700\n0007\n(二)部分公开(区分处理的,只计这一情形,不计其他情形)1000001"
    result = split_table(text, "2021", "applications", 20)
    assert row_values(result, "applications", "granted", "2021") == (7, 0, 0, 0, 0, 0, 7)
    assert result.provenance[CellRef("applications", "granted", "natural_person")].line == 23
    assert result.provenance[CellRef("applications", "granted", "total")].line == 24
    assert result.provenance[CellRef("applications", "granted", "total")].printed == "700\n0007"
    assert row_values(result, "applications", "partially_granted", "2021") == (1, 0, 0, 0, 0, 0, 1)
    assert result.provenance[CellRef("applications", "partially_granted", "other")].line == 25


def test_label_with_note_matched_by_prefix() -> None:
    text = "(二)部分公开(只计这一情形)1000001"
    result = split_table(text, "2021", "applications", 1)
    assert row_values(result, "applications", "partially_granted", "2021") == (1, 0, 0, 0, 0, 0, 1)


def test_appeals_ambiguous_run() -> None:
    # 1,10,2,11 and 11,0,2,11 both add up to 24 in the second group.
    result = split_table(APPEALS_HEADER + "\n010100201102112410010020", "2021", "appeals", 4)
    (finding,) = result.findings
    assert finding.rule == "read-ambiguous-split"
    assert finding.line == 5 and finding.row is None and len(finding.cells) == 15
    assert "0,10,10,0,20 / 1,10,2,11,24 / 10,0,10,0,20" in finding.message_en
    assert "0,10,10,0,20 / 11,0,2,11,24 / 10,0,10,0,20" in finding.message
    # Only the first two cells of the second group differ between the readings.
    direct = form("2021").row("appeals", "litigation_direct").refs()
    assert finding.blanks == direct[:2]
    assert [result.values[ref] for ref in direct] == [Blank(""), Blank(""), 2, 11, 24]
    review = form("2021").row("appeals", "review").refs()
    assert [result.values[ref] for ref in review] == [0, 10, 10, 0, 20]


def test_overview_counts_place_vanished_numbers() -> None:
    # Table 四 as `11` with its empty cells gone: one group holds a case (a part 1
    # and its 总计 1), but which group cannot be told from the table alone.
    segments = {"appeals": (APPEALS_HEADER + "11", 5)}
    alone = split_tables(segments, "2019")["appeals"]
    (finding,) = alone.findings
    assert finding.rule == "read-ambiguous-split" and len(finding.blanks) == 15
    # The overview says the case was an administrative review.
    told = split_tables(segments, "2019", "本年度因政府信息公开被申请行政复议1件。")["appeals"]
    review = form("2019").row("appeals", "review").refs()
    assert told.values[review[-1]] == 1
    (finding,) = told.findings
    assert set(finding.blanks) == set(review[:4])  # which result, still unknown
    for row in ("litigation_direct", "litigation_after_review"):
        assert all(told.values[ref] == Blank("")
                   for ref in form("2019").row("appeals", row).refs())
    # A count that fits no reading (it counts something else) is left aside.
    other = split_tables(segments, "2019", "本年度因政府信息公开被申请行政复议7件。")["appeals"]
    assert other.values == alone.values


def test_appeals_not_found() -> None:
    result = split_table(APPEALS_HEADER + "无", "2019", "appeals", 1)
    (finding,) = result.findings
    assert finding.rule == "read-missing-table"
    assert all(v == Blank("") for v in result.values.values())
    assert len(result.values) == 15


def test_appeals_numbers_in_a_sentence_are_not_the_table() -> None:
    # No header: the year of a sentence saying there were no cases is no table.
    text = "2020年本机关未发生政府信息公开行政复议、行政诉讼案件。"
    result = split_table(text, "2019", "appeals", 3)
    assert rules(result) == ["read-missing-table"]
    assert all(v == Blank("") for v in result.values.values())
    # After its header, the same numbers are the table.
    result = split_table(APPEALS_HEADER + "000000000000000", "2019", "appeals", 3)
    assert result.findings == ()


def test_long_inputs_give_findings() -> None:
    digits = "1234567890" * 200_000  # 2 MB
    for table in ("active", "applications", "appeals"):
        result = split_table(digits, "2021", table, 1)
        assert set(rules(result)) <= set(CODES)
        assert len(result.values) == sum(len(r.columns) for r in form("2021").table(table).rows)
        assert all(v == Blank("") for v in result.values.values())
    long_label = "\n".join(["一、本年新收政府信息公开申请数量" * 3] * 200) + "1" * 5000
    result = split_table(long_label, "2021", "applications", 1)
    assert "read-unsplittable-row" in rules(result)


def test_codes_are_documented() -> None:
    for code in CODES:
        assert code.startswith("read-") and code == code.lower()


# --- Properties -------------------------------------------------------------------

LABELS = sorted(
    {row.label for e in EDITIONS for t in form(e).tables for row in t.rows}
    | {"三、本年度办理结果", "（三）不予公开", "信息内容", APPEALS_HEADER[:8]}
)
junk = st.lists(
    st.one_of(
        st.sampled_from(LABELS),
        st.text(alphabet="0123456789 \n", max_size=40),
        st.text(alphabet="0123456789.-/—无元万减（）() |", max_size=12),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)


@given(junk, st.sampled_from(["2019", "2021"]), st.sampled_from(["active", "applications",
                                                                    "appeals"]))
def test_any_text_gives_a_table(text: str, edition: Edition, table: str) -> None:
    result = split_table(text, edition, table, 1)
    refs = {ref for row in form(edition).table(table).rows for ref in row.refs()}
    assert set(result.values) == refs
    assert set(rules(result)) <= set(CODES)
    for finding in result.findings:
        assert finding.table == table
        assert set(finding.cells) <= refs
    assert set(result.provenance) <= refs


small = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 300))


@st.composite
def applicant_row(draw: st.DrawFn) -> tuple[int, ...]:
    parts = draw(st.lists(small, min_size=6, max_size=6))
    return (*parts, sum(parts))


@st.composite
def applications_tables(draw: st.DrawFn, edition: Edition) -> dict[str, tuple[int, ...]]:
    """A table 三 that keeps I1, I2 and I3."""
    keys = [r.key for r in form(edition).table("applications").rows]
    heads = ("received", "carried_over", "total_handled", "carried_forward")
    rows = {k: draw(applicant_row()) for k in keys if k not in heads}
    handled = tuple(sum(col) for col in zip(*rows.values(), strict=True))
    forward = draw(applicant_row())
    over_parts = [draw(st.integers(0, handled[c] + forward[c])) for c in range(6)]
    over = (*over_parts, sum(over_parts))
    received = tuple(handled[c] + forward[c] - over[c] for c in range(7))
    rows.update(received=received, carried_over=over, total_handled=handled,
                carried_forward=forward)
    return rows


def run_text(draw: Callable[..., Any], cells: Sequence[str], stray: bool) -> str:
    """Cells run together; spaces drawn at boundaries (and inside cells if ``stray``)."""
    out = []
    for i, cell in enumerate(cells):
        if stray and len(cell) > 1 and draw(st.booleans()):
            cut = draw(st.integers(1, len(cell) - 1))
            cell = cell[:cut] + " " + cell[cut:]
        out.append(cell)
        if i < len(cells) - 1 and draw(st.booleans()):
            out.append(draw(st.sampled_from([" ", "  ", "\n"])))
    return "".join(out)


def check_against_truth(
    result: RunTable, truth: Mapping[tuple[CellRef, ...], tuple[Value, ...]], exact: bool
) -> None:
    """Each run is either recovered exactly, or ambiguous with the truth among the
    readings listed and every cell kept the true one."""
    assert not {"read-unsplittable-row", "read-missing-row"} & set(rules(result))
    ambiguous = {f.cells: f for f in result.findings if f.rule == "read-ambiguous-split"}
    for refs, want in truth.items():
        if refs in ambiguous:
            finding = ambiguous[refs]
            found, complete = readings(finding)
            if complete:
                assert tuple(cell_text(v) for v in want) in found
            for ref, value in zip(refs, want, strict=True):
                if ref in finding.blanks:
                    assert result.values[ref] == Blank("")
                elif exact:
                    assert result.values[ref] == value
        elif exact:
            assert tuple(result.values[r] for r in refs) == want


@given(st.data(), st.sampled_from(["2019", "2021"]), st.booleans())
def test_generated_applications_split_back(data: st.DataObject, edition: Edition,
                                           stray: bool) -> None:
    table = data.draw(applications_tables(edition))
    runs = {k: run_text(data.draw, [str(v) for v in vals], stray) for k, vals in table.items()}
    result = split_table(applications_text(runs, edition), edition, "applications", 1)
    spec = form(edition).table("applications")
    truth = {row.refs(): table[row.key] for row in spec.rows}
    # Spaces inside a cell may mislead the spacing hint, so only then is a
    # recovered row allowed to differ from the truth.
    check_against_truth(result, truth, exact=not stray)


@given(st.data(), st.sampled_from(["2019", "2021"]))
def test_generated_appeals_split_back(data: st.DataObject, edition: Edition) -> None:
    groups = [data.draw(st.lists(small, min_size=4, max_size=4)) for _ in range(3)]
    values = tuple(v for g in groups for v in (*g, sum(g)))
    text = APPEALS_HEADER + run_text(data.draw, [str(v) for v in values], stray=False)
    result = split_table(text, edition, "appeals", 1)
    refs = tuple(ref for row in form(edition).table("appeals").rows for ref in row.refs())
    check_against_truth(result, {refs: values}, exact=True)


def active_cell(kind: str) -> st.SearchStrategy[Value]:
    if kind == "signed":
        return st.integers(-50, 500)
    if kind == "amount":
        return st.one_of(
            st.integers(0, 10**6).map(Decimal),
            st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(
                lambda t: Decimal(f"{t[0]}.{t[1]:02d}")),
        )
    return small


@given(st.data(), st.sampled_from(["2019", "2021"]))
def test_generated_active_split_back(data: st.DataObject, edition: Edition) -> None:
    spec = form(edition).table("active")
    truth: dict[tuple[CellRef, ...], tuple[Value, ...]] = {}
    parts = []
    group = None
    for row in spec.rows:
        if row.group != group:
            group = row.group
            parts.append(f"{row.group_label}信息内容" + "".join(c.label for c in row.columns))
        values = tuple(data.draw(active_cell(c.kind)) for c in row.columns)
        truth[row.refs()] = values
        parts.append(row.label + run_text(data.draw, [str(v) for v in values], stray=False))
    result = split_table("".join(parts), edition, "active", 1)
    check_against_truth(result, truth, exact=True)
    for refs in truth:
        if len(refs) == 1:  # a single-column row is never ambiguous
            assert refs not in {f.cells for f in result.findings}
