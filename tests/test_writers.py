"""The text, Markdown and CSV writers: golden files, layout details, totality.

Golden files live in ``tests/golden/<case>/report.{txt,md,csv}``. They are
compared byte for byte and rewritten only on purpose:
``GOVDISCLOSURE_REGEN_GOLDEN=1 pytest tests/test_writers.py`` (then review the
diff). Cases are a few hand-built reports and, once the text reader can read
them, the complete reports of the corpus.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given

import govdisclosure as gd
from govdisclosure import Blank, CellRef, ExtraRow, Report, Section, build_report
from govdisclosure.errors import FormatError
from govdisclosure.formats import ReadOptions, available, format_for_path, get_format
from govdisclosure.formats._tabulate import escape_cell, pipe_table
from govdisclosure.formats._writing import cell_text
from govdisclosure.model import Edition, Value, form, iter_cells
from govdisclosure.testing import strategies
from govdisclosure.testing.samples import sample_report

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
CORPUS = HERE / "corpus"
REGEN = os.environ.get("GOVDISCLOSURE_REGEN_GOLDEN", "") not in ("", "0")
SUFFIXES = {"text": "txt", "markdown": "md", "csv": "csv"}
WRITERS = tuple(SUFFIXES)


# --- hand-built reports ----------------------------------------------------------


def blank_2019() -> Report:
    """The empty 2019 form, as a body would start filling it in."""
    return gd.blank_report("2019", year=2020, agency="某市人民政府办公室")


def _applications(edition: Edition, per_column: dict[str, int]) -> dict[CellRef, Value]:
    # A consistent table 三: every application granted, nothing carried.
    values: dict[CellRef, Value] = {}
    for row in form(edition).table("applications").rows:
        for column in row.columns:
            n = per_column.get(column.key, 0) if column.key != "total" else sum(
                per_column.values()
            )
            value = n if row.key in ("received", "granted", "total_handled") else 0
            values[CellRef("applications", row.key, column.key)] = value
    return values


def values_2021() -> Report:
    """A 2021 report with values, blanks, a non-numeric cell, a decimal amount,
    a printed heading variant and an extra row."""
    cells: dict[CellRef, Value] = {
        ref: 0 for ref in form("2021").refs() if ref.table != "applications"
    }
    cells.update(_applications("2021", {"natural_person": 12, "commercial": 3}))
    cells.update({
        CellRef("active", "art20_1.normative_documents", "issued"): 6,
        CellRef("active", "art20_1.normative_documents", "repealed"): 1,
        CellRef("active", "art20_1.normative_documents", "in_force"): 32,
        CellRef("active", "art20_6.penalties", "decisions"): 693957,
        CellRef("active", "art20_8.fees", "amount"): Decimal("96171.60"),
        CellRef("active", "art20_1.rules", "issued"): Blank("/"),
        CellRef("active", "art20_1.rules", "repealed"): Blank("/"),
        CellRef("active", "art20_1.rules", "in_force"): Blank("/"),
        CellRef("applications", "withheld.state_secret", "research"): Blank(""),
        CellRef("applications", "other_handling.fee_unpaid", "other"): Blank("无"),
        CellRef("appeals", "review", "upheld"): 2,
        CellRef("appeals", "review", "total"): 2,
    })
    return build_report(
        "2021",
        cells,
        year=2022,
        agency="某县自然资源局",
        title="某县自然资源局2022年政府信息公开工作年度报告",
        introduction="本报告所列数据的统计期限自2022年1月1日至2022年12月31日。",
        overview=Section(
            heading="一、总体情况",
            body="（一）主动公开\n全年主动公开政府信息1200条。\n（二）依申请公开\n收到申请15件。",
        ),
        problems=Section(heading="五、存在的主要问题及改进情况", body="公开内容有待深化。"),
        other_matters=Section(heading="六、其他需要报告的事项", body="本年度未收取信息处理费。"),
        headings={"appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
        extra_rows={
            "active": (
                ExtraRow(
                    label="其他主动公开文件",
                    cells=("4", "0", "17"),
                    after="art20_1.normative_documents",
                ),
            ),
        },
    )


NARRATIVE = "2020年收到依申请公开政府信息6件 | 已全部答复。\n一是加强组织领导。\n\n二是健全机制。"


def change_2019() -> Report:
    """A 2019 report with a negative 本年增/减, a procurement amount, a narrative
    holding ``|`` and line breaks, no printed title, section 六 missing and an
    extra row in table 三."""
    cells: dict[CellRef, Value] = dict.fromkeys(form("2019").refs(), 0)
    cells.update(_applications("2019", {"natural_person": 6}))
    cells.update({
        CellRef("active", "art20_1.normative_documents", "made"): 9,
        CellRef("active", "art20_1.normative_documents", "published"): 9,
        CellRef("active", "art20_1.normative_documents", "total_published"): 40,
        CellRef("active", "art20_5.licensing", "previous_items"): 120,
        CellRef("active", "art20_5.licensing", "change"): -8,
        CellRef("active", "art20_5.licensing", "decisions"): 4521,
        CellRef("active", "art20_9.procurement", "projects"): 3,
        CellRef("active", "art20_9.procurement", "amount"): Decimal("52.15"),
        CellRef("active", "art20_8.fees", "change"): Blank("—"),
    })
    return build_report(
        "2019",
        cells,
        year=2020,
        agency="乌兰察布市政府办公室",
        title=None,
        introduction="现向社会公布2020年乌兰察布市政府办公室信息公开工作年度报告。",
        overview=Section(
            heading="一、总体情况",
            body=NARRATIVE,
        ),
        problems=Section(heading="五、存在问题及改进措施", body="解读形式单一。"),
        extra_rows={
            "applications": (
                ExtraRow(label="其中：网上申请", cells=("6", "0", "0", "0", "0", "0", "6"),
                         after="received"),
            ),
        },
    )


CASES: dict[str, Callable[[], Report]] = {
    "blank-2019": blank_2019,
    "values-2021": values_2021,
    "change-2019": change_2019,
}


# --- golden files ----------------------------------------------------------------


def _check_golden(path: Path, written: str) -> None:
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(written.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(
            f"no golden file {path.relative_to(HERE)}: create it with "
            "GOVDISCLOSURE_REGEN_GOLDEN=1 pytest tests/test_writers.py and review it"
        )
    expected = path.read_bytes().decode("utf-8")
    assert written == expected, (
        f"{path.relative_to(HERE)} differs from what the writer gives now; if the change "
        "is meant, regenerate with GOVDISCLOSURE_REGEN_GOLDEN=1 and review the diff"
    )


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_hand_built(case: str, writer: str) -> None:
    written = gd.dumps(CASES[case](), writer)
    _check_golden(GOLDEN / case / f"report.{SUFFIXES[writer]}", written)


CORPUS_REPORTS = ("ulanqab-2020.txt", "pingtan-2019.txt", "pingtan-2021.txt",
                  "shuyang-2025.md", "shanghai-office-2025.md")


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("name", CORPUS_REPORTS)
def test_golden_corpus(name: str, writer: str) -> None:
    report = gd.load(CORPUS / name)
    stem = name.rsplit(".", 1)[0]
    _check_golden(GOLDEN / f"corpus-{stem}" / f"report.{SUFFIXES[writer]}",
                  gd.dumps(report, writer))


# --- registry ----------------------------------------------------------------


def test_formats_are_registered_with_their_extensions() -> None:
    assert format_for_path("a/report.txt").name == "text"
    assert format_for_path("REPORT.MD").name == "markdown"
    assert format_for_path("cells.csv").name == "csv"
    for name in WRITERS:
        assert get_format(name).can_write


def test_csv_cannot_be_read() -> None:
    fmt = get_format("csv")
    assert not fmt.can_read
    with pytest.raises(FormatError, match="cannot be read"):
        gd.loads("table,row,column,value,row_label,column_label\n", "csv")


def test_text_and_markdown_read_through_the_text_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govdisclosure.formats import _textread

    assert get_format("text").can_read and get_format("markdown").can_read
    read = _textread.read_text
    given: list[str] = []

    def spy(text: str, options: ReadOptions) -> Report:
        given.append(text)
        return read(text, options)

    monkeypatch.setattr(_textread, "read_text", spy)
    page = gd.dumps(sample_report(1, "2021"), "markdown")
    assert gd.loads(page, "markdown") == gd.loads(page, "text")
    assert given == [page, page]  # one reader, the text reader, for both


def test_docs_list_every_built_in_format() -> None:
    doc = (HERE.parent / "docs" / "formats.md").read_text("utf-8")
    listed = {
        m[0]: (m[1] == "yes", m[2] == "yes", tuple(re.findall(r"`([^`]+)`", m[3])))
        for m in re.findall(r"^\| `(\w+)` \| (yes|no) \| (yes|no) \| ([^|]*) \|", doc, re.M)
    }
    installed = {
        f.name: (f.can_read, f.can_write, f.extensions)
        for f in available() if f.origin == "govdisclosure"
    }
    assert listed == installed


# --- text layout -------------------------------------------------------------


def _lines(report: Report, writer: str = "text") -> list[str]:
    return gd.dumps(report, writer).splitlines()


def test_text_blocks_of_table_two_in_the_published_layout() -> None:
    lines = _lines(change_2019())
    start = lines.index("二、主动公开政府信息情况")
    assert lines[start + 1:start + 5] == [
        "第二十条第（一）项 ||||",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "规章 | 0 | 0 | 0 |",
        "规范性文件 | 9 | 9 | 40 |",
    ]
    assert "行政许可 | 120 | -8 | 4521 |" in lines
    # Blocks (八) and (九) have two value columns: the grid's third is empty.
    assert "信息内容 | 上一年项目数量 | 本年增/减 ||" in lines
    assert "行政事业性收费 | 0 | — ||" in lines
    assert "政府集中采购 | 3 | 52.15 ||" in lines


def test_text_table_three_puts_group_labels_on_their_first_row() -> None:
    lines = _lines(change_2019())
    assert "三、本年度办理结果 | （一）予以公开 | 6 | 0 | 0 | 0 | 0 | 0 | 6 ||" in lines
    assert "（三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 ||" in lines
    assert "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |||" in lines
    assert "（六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |||" in lines  # one row in 2019
    lines21 = _lines(values_2021())
    assert any(line.startswith("（六）其他处理 | 1.申请人无正当理由逾期不补正") for line in lines21)
    # An empty cell prints as nothing between two bars; a non-numeric one as printed.
    assert "（三）不予公开 | 1.属于国家秘密 | 0 | 0 || 0 | 0 | 0 | 0 ||" in lines21
    fee = next(line for line in lines21 if line.startswith("2.申请人逾期未按收费通知"))
    assert fee.endswith(" | 0 | 0 | 0 | 0 | 0 | 无 | 0 |||")


def test_text_header_rows_are_padded_like_the_published_pages() -> None:
    lines = _lines(blank_2019())
    note = next(line for line in lines if line.startswith("（本列数据的勾稽关系为"))
    assert note.endswith(" | 申请人情况 " + "|" * 9)
    assert "自然人 | 法人或其他组织 | 总计 " + "|" * 8 in lines
    assert "行政复议 | 行政诉讼 " + "|" * 14 in lines
    # The one data row of table 四: fifteen empty cells.
    assert lines[-1] == "|" * 15


def test_text_table_four_is_one_row_of_fifteen_values() -> None:
    lines = _lines(values_2021())
    heading = lines.index("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    assert lines[heading + 4] == " | ".join(["2", "0", "0", "0", "2"] + ["0"] * 10) + " |"


def test_text_sections_in_order_with_printed_headings() -> None:
    text = gd.dumps(values_2021(), "text")
    order = ["某县自然资源局2022年政府信息公开工作年度报告", "本报告所列数据", "一、总体情况",
             "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、因政府信息公开工作被申请行政复议", "五、存在的主要问题及改进情况",
             "六、其他需要报告的事项"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "四、政府信息公开行政复议、行政诉讼情况" not in text


def test_text_title_made_from_agency_and_year_when_not_printed() -> None:
    assert _lines(change_2019())[0] == "乌兰察布市政府办公室2020年政府信息公开工作年度报告"
    no_names = gd.blank_report("2021")
    assert _lines(no_names)[0] == "二、主动公开政府信息情况"


def test_text_missing_sections_are_left_out_and_empty_ones_keep_their_heading() -> None:
    text = gd.dumps(change_2019(), "text")
    assert "六、" not in text
    empty = build_report("2021", overview=Section(heading="一、总体情况"))
    lines = _lines(empty)
    assert lines[0] == "一、总体情况" and lines[1] == "二、主动公开政府信息情况"


def test_text_extra_rows_follow_the_row_they_came_after() -> None:
    lines = _lines(values_2021())
    at = lines.index("行政规范性文件 | 6 | 1 | 32 |")
    assert lines[at + 1] == "其他主动公开文件 | 4 | 0 | 17 |"
    lines19 = _lines(change_2019())
    at = lines19.index("一、本年新收政府信息公开申请数量 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |||")
    assert lines19[at + 1] == "其中：网上申请 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |||"
    # Table 四 prints its three groups on one row: extra rows follow that row.
    appeals = build_report("2021", extra_rows={"appeals": (
        ExtraRow(label="备注", cells=("无",), after="review"),
    )})
    assert _lines(appeals)[-2:] == ["|" * 15, "备注 | 无 " + "|" * 14]


def test_extra_rows_after_a_group_or_nowhere() -> None:
    report = build_report("2019", extra_rows={"applications": (
        ExtraRow(label="甲", cells=("1",), after="nonsense"),
        ExtraRow(label="乙", cells=("2",), after="withheld"),
        ExtraRow(label="丙", cells=(), after=None),
    )})
    lines = _lines(report)
    at = lines.index("乙 | 2 " + "|" * 9)
    assert lines[at - 1].startswith("8.属于行政查询事项 ")
    assert lines[at + 1].startswith("（四）无法提供 | 1.本机关不掌握相关政府信息 ")
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    assert lines[end - 2:end] == ["甲 | 1 " + "|" * 9, "丙 " + "|" * 10]
    keys = [(r["row"], r["row_label"], r["column"]) for r in _csv(report)
            if r["row"].startswith("extra.")]
    assert keys == [("extra.1", "乙", "1"), ("extra.2", "甲", "1"), ("extra.3", "丙", "")]


def test_text_cells_cannot_hold_a_bar_or_a_line_break() -> None:
    report = build_report("2021", {CellRef("appeals", "review", "upheld"): Blank("a|b\nc")})
    assert _lines(report)[-1].startswith("a｜b c |")


def test_text_narrative_is_written_verbatim() -> None:
    text = gd.dumps(change_2019(), "text")
    assert f"一、总体情况\n{NARRATIVE}\n二、" in text


# --- Markdown ----------------------------------------------------------------


def test_markdown_title_sections_and_block_captions() -> None:
    lines = _lines(values_2021(), "markdown")
    assert lines[0] == "# 某县自然资源局2022年政府信息公开工作年度报告"
    assert "## 一、总体情况" in lines
    assert "## 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况" in lines
    assert "### 第二十条第（八）项" in lines


def _row(lines: list[str], label: str) -> list[str]:
    # The first Markdown table line whose first cell starts with ``label``, split into cells.
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in lines if line.startswith("| ")]
    return next(row for row in rows if row[0].startswith(label))


def test_markdown_flattens_multi_level_headers() -> None:
    lines = _lines(values_2021(), "markdown")
    header = _row(lines, "（本列数据的勾稽关系为")
    assert header[1:] == ["自然人", "法人或其他组织 / 商业企业", "法人或其他组织 / 科研机构",
                          "法人或其他组织 / 社会公益组织", "法人或其他组织 / 法律服务机构",
                          "法人或其他组织 / 其他", "总计"]
    appeals = _row(lines, "行政复议 / 结果维持")
    assert appeals[5] == "行政诉讼 / 未经复议直接起诉 / 结果维持"
    assert appeals[-1] == "行政诉讼 / 复议后起诉 / 总计"
    assert len(appeals) == 15


def test_markdown_group_labels_are_rows_of_their_own() -> None:
    lines = _lines(values_2021(), "markdown")
    assert _row(lines, "（三）不予公开") == ["（三）不予公开"] + [""] * 7
    assert _row(lines, "三、本年度办理结果") == ["三、本年度办理结果"] + [""] * 7
    assert _row(lines, "1.属于国家秘密") == ["1.属于国家秘密", "0", "0", "", "0", "0", "0", "0"]
    assert _row(lines, "行政事业性收费") == ["行政事业性收费", "96171.60"]


def test_markdown_escapes_bars_and_keeps_cells_as_text() -> None:
    report = build_report("2019", {
        CellRef("active", "art20_1.rules", "made"): Blank("a|b"),
        CellRef("active", "art20_1.rules", "published"): Blank("007"),
        CellRef("active", "art20_1.rules", "total_published"): Blank("1,234.50"),
        CellRef("active", "art20_9.procurement", "amount"): Decimal("0.10"),
    })
    lines = _lines(report, "markdown")
    assert _row(lines, "规章") == ["规章", "a\\", "b", "007", "1,234.50"]  # split on the raw bar
    line = next(line for line in lines if line.startswith("| 规章 "))
    assert "a\\|b" in line
    assert _row(lines, "政府集中采购")[2] == "0.10"


def test_tabulate_helper() -> None:
    assert escape_cell("a|b\\c\nd") == "a\\|b\\\\c<br>d"
    table = pipe_table(["x", "y"], [["007", "0.10"]])
    assert table.splitlines()[2] == "| 007 | 0.10 |"
    with pytest.raises(ValueError, match="table row 1 has 1 cells, expected 2"):
        pipe_table(["x", "y"], [["1"]])


# --- CSV ---------------------------------------------------------------------


def _csv(report: Report) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(gd.dumps(report, "csv"))))


def test_csv_header_and_line_ends() -> None:
    text = gd.dumps(blank_2019(), "csv")
    assert text.startswith("table,row,column,value,row_label,column_label\n")
    assert "\r" not in text and text.endswith("\n")


def test_csv_keys_labels_and_values() -> None:
    rows = {(r["table"], r["row"], r["column"]): r for r in _csv(change_2019())}
    change = rows["active", "art20_5.licensing", "change"]
    assert change["value"] == "-8"
    assert change["row_label"] == "第二十条第（五）项 / 行政许可"
    assert change["column_label"] == "本年增/减"
    assert rows["active", "art20_9.procurement", "amount"]["value"] == "52.15"
    assert rows["active", "art20_8.fees", "change"]["value"] == "—"
    secret = rows["applications", "withheld.state_secret", "commercial"]
    assert secret["row_label"] == "（三）不予公开 / 1.属于国家秘密"
    assert secret["column_label"] == "法人或其他组织 / 商业企业"
    received = rows["applications", "received", "total"]
    assert received["row_label"] == "一、本年新收政府信息公开申请数量"
    after = rows["appeals", "litigation_after_review", "total"]
    assert after["row_label"] == "行政诉讼 / 复议后起诉" and after["column_label"] == "总计"
    blank = {(r["table"], r["row"], r["column"]): r for r in _csv(values_2021())}
    assert blank["applications", "withheld.state_secret", "research"]["value"] == ""
    assert blank["active", "art20_8.fees", "amount"]["value"] == "96171.60"


def test_csv_extra_rows_follow_their_row() -> None:
    rows = _csv(change_2019())
    keys = [(r["table"], r["row"]) for r in rows]
    at = keys.index(("applications", "extra.1"))
    assert keys[at - 1] == ("applications", "received")
    extra = [r for r in rows if r["row"] == "extra.1" and r["table"] == "applications"]
    assert [r["column"] for r in extra] == ["1", "2", "3", "4", "5", "6", "7"]
    assert extra[0]["row_label"] == "其中：网上申请" and extra[0]["value"] == "6"


# --- properties ----------------------------------------------------------------


# One property draws the reports for all writers: drawing costs far more than writing.
@given(strategies.reports(blanks=True))
def test_writers_are_total_deterministic_and_well_formed(report: Report) -> None:
    written = {name: gd.dumps(report, name) for name in WRITERS}
    for name, text in written.items():
        assert text == gd.dumps(report, name)
        assert text.endswith("\n")
    _check_csv_cells(report)
    _check_markdown_tables(written["markdown"])


def _check_csv_cells(report: Report) -> None:
    # Every cell of the form once, in reading order, with its value as printed.
    rows = [r for r in _csv(report) if not r["row"].startswith("extra.")]
    assert [(r["table"], r["row"], r["column"]) for r in rows] == [
        tuple(ref) for ref in form(report.edition).refs()
    ]
    assert [r["value"] for r in rows] == [cell_text(v) for _, v in iter_cells(report)]


def _check_markdown_tables(markdown: str) -> None:
    # Every line of a table has as many cell boundaries as its header.
    table: list[int] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            # Escaped bars (\|) are inside cells; the others delimit them.
            table.append(line.replace("\\\\", "").replace("\\|", "").count("|"))
        elif table:
            assert len(set(table)) == 1, table
            table = []


def test_a_section_with_an_empty_heading_gets_the_official_one() -> None:
    report = build_report("2021", problems=Section(heading="", body="无。"))
    assert _lines(report)[-2:] == ["五、存在的主要问题及改进情况", "无。"]
    assert _lines(report, "markdown")[-3:] == ["## 五、存在的主要问题及改进情况", "", "无。"]


# --- the two litigation groups of table 四 stay apart ------------------------------------


def _appeals(report: Report, group: str) -> tuple[object, ...]:
    row = getattr(report.appeals, group)
    return (row.upheld, row.corrected, row.other, row.pending, row.total)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "csv"])
def test_litigation_groups_are_written_and_read_in_their_own_place(fmt: str) -> None:
    # Distinct numbers in the two groups: a writer or reader that swapped them
    # (or the form's order or labels) gives them back in the other group.
    values: dict[CellRef, Value] = {}
    for group, base in (("review", 7100), ("litigation_direct", 8100),
                        ("litigation_after_review", 9100)):
        parts = [base + k for k in range(4)]
        for column, value in zip(("upheld", "corrected", "other", "pending"), parts,
                                 strict=True):
            values[CellRef("appeals", group, column)] = value
        values[CellRef("appeals", group, "total")] = sum(parts)
    report = build_report("2021", values, year=2021, agency="某县人民政府")
    written = gd.dumps(report, fmt)
    # In the page as printed, the direct group comes first, under its own label.
    assert written.index("8100") < written.index("9100")
    if fmt != "json":
        assert written.index("未经复议直接起诉") < written.index("复议后起诉")
    if fmt == "csv":
        row = next(r for r in csv.reader(io.StringIO(written)) if "8100" in r)
        assert row[:3] == ["appeals", "litigation_direct", "upheld"]
        assert "未经复议直接起诉" in ",".join(row)
        return
    back = gd.loads(written, fmt)
    for group in ("review", "litigation_direct", "litigation_after_review"):
        assert _appeals(back, group) == _appeals(report, group)
