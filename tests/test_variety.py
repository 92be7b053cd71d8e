"""Real reports of ``tests/corpus`` reshaped the ways other real reports differ.

FORMAT.md ("How reports look in the wild") and ``corpus/SOURCES.md`` describe
how reports we have not seen vary: separators, enumerators, whitespace, page
layout. Each variant here is one of the corpus reports rewritten in one such
way; reading it must give exactly the hand-checked values of its
``expected/NAME.csv`` (a cell the variant cannot carry is blank with a
finding, never a wrong number), and ``ok`` only when every table was read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import govdisclosure as gd
from cutting import read_cut
from govdisclosure import validate
from govdisclosure.model import Blank, CellRef, Report, form, get_cell, iter_cells
from govdisclosure.model.report import TABLE_HEADINGS

CORPUS = Path(__file__).resolve().parent / "corpus"


def expected(name: str) -> list[tuple[CellRef, str]]:
    path = CORPUS / "expected" / (Path(name).stem + ".csv")
    with path.open(encoding="utf-8", newline="") as f:
        return [(CellRef(r["table"], r["row"], r["column"]), r["value"]) for r in csv.DictReader(f)]


def differences(report: Report, name: str) -> list[str]:
    """Every expected cell ``report`` does not hold: a wrong number, a number
    where the page printed none, or a blank where it printed one."""
    out = []
    for ref, value in expected(name):
        got = get_cell(report, ref)
        printed = got.printed if isinstance(got, Blank) else str(got)
        if not any((v == "") == isinstance(got, Blank) and printed == v
                   for v in value.split("|")):
            out.append(f"{ref.table}/{ref.row}/{ref.column}: read {got!r}, expected {value!r}")
    return out


def source(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def written(name: str) -> str:
    """The corpus report ``name`` as the text writer prints it: one table row a
    line, cells apart with `` | ``."""
    return gd.dumps(gd.load(CORPUS / name), "text")


def written_markdown(name: str) -> str:
    """The corpus report ``name`` as the Markdown writer prints it."""
    return gd.dumps(gd.load(CORPUS / name), "markdown")


def row_lines(text: str) -> str:
    """Pipe text with one cell a line (``0 |``) joined into one row a line, as
    other scrapes of the same pages print it: a row ends at a padding line
    (``||``) or where a label follows a value."""
    out: list[str] = []
    row: list[str] = []
    number = re.compile(r"[\d.\-]+")

    def end() -> None:
        if row:
            out.append(" ".join(row))
            row.clear()

    for line in text.splitlines():
        cell = line.rstrip("|").strip()
        if not line.endswith("|"):
            end()
            out.append(line)
            continue
        if cell and row and not number.fullmatch(cell) and number.fullmatch(
                row[-1].rstrip("| ")):
            end()
        row.append(line)
        if not cell:
            end()
    end()
    return "\n".join(out) + "\n"


Variant = Callable[[str], str]

# (id, corpus file, how the text is got, the variant, format)
VARIANTS: list[tuple[str, str, Callable[[str], str], Variant, str]] = [
    # Full-width pipes as the only separators.
    ("fullwidth-pipes-one-cell-a-line", "ulanqab-2020.txt", source,
     lambda t: t.replace("|", "｜"), "text"),
    ("fullwidth-pipes-a-row-a-line", "shanghai-office-2025.md", written,
     lambda t: t.replace("|", "｜"), "text"),
    ("fullwidth-pipes-markdown", "pingtan-2021.txt", written_markdown,
     lambda t: t.replace("|", "｜"), "markdown"),
    # One row a line: the reference case's short row (2.重复申请, six values for
    # seven columns, then padding) stays short, never a blank 总计.
    ("a-row-a-line", "ulanqab-2020.txt", source, row_lines, "text"),
    # Enumerators of other forms: 1、 for 1., (1) for 1., 七、 for （七）.
    ("items-numbered-1-dun", "shanghai-office-2025.md", source,
     lambda t: re.sub(r"(\| ?)(\d)\.", r"\1\2、", t), "markdown"),
    ("items-numbered-paren-1", "ulanqab-2020.txt", source,
     lambda t: re.sub(r"(?m)^(\d)\.", r"(\1)", t), "text"),
    ("items-numbered-paren-1", "shanghai-office-2025.md", source,
     lambda t: re.sub(r"(\| ?)(\d)\.", r"\1（\2）", t), "markdown"),
    ("groups-numbered-dun", "ulanqab-2020.txt", source,
     lambda t: re.sub(r"(?m)^\(([一二三四五六七])\)", r"\1、", t), "text"),
    ("groups-numbered-dun", "shanghai-office-2025.md", source,
     lambda t: re.sub(r"（([一二三四五六七])）(?=[^项])", r"\1、", t), "markdown"),
    # Other wordings of row labels: the other edition's, traditional-script
    # mirrors, short forms; 合计 for 总计 everywhere (a column header too).
    ("label-of-edition-2021", "ulanqab-2020.txt", source,
     lambda t: t.replace("规范性文件", "行政规范性文件"), "text"),
    ("label-in-traditional-words", "ulanqab-2020.txt", source,
     lambda t: t.replace("规范性文件", "規範性檔案").replace("处理", "處理"), "text"),
    ("labels-short", "ulanqab-2020.txt", source,
     lambda t: t.replace("政府集中采购", "政府采购")
     .replace("一、本年新收政府信息公开申请数量", "一、本年新收申请数量")
     .replace("二、上年结转政府信息公开申请数量", "二、上年结转申请数量")
     .replace("四、结转下年度继续办理", "四、结转下年度办理"), "text"),
    ("total-as-heji", "ulanqab-2020.txt", source, lambda t: t.replace("总计", "合计"), "text"),
    ("total-as-heji", "pingtan-2021.txt", written, lambda t: t.replace("总计", "合计"), "text"),
    # Rows on lines, cells apart with spaces (pdftotext -layout, copied text):
    # a group label and its first item are two labels on one line.
    ("cells-apart-with-spaces", "pingtan-2021.txt", written,
     lambda t: re.sub(r" *\| *", "    ", t), "text"),
    ("cells-apart-with-one-space", "pingtan-2021.txt", written,
     lambda t: re.sub(r" *\| *", " ", t), "text"),
]


@pytest.mark.parametrize(("name", "text_of", "variant", "fmt"),
                         [v[1:] for v in VARIANTS], ids=[f"{v[0]}-{v[1]}" for v in VARIANTS])
def test_a_variant_reads_exactly_the_expected_values(
        name: str, text_of: Callable[[str], str], variant: Variant, fmt: str) -> None:
    base = text_of(name)
    text = variant(base)
    assert text != base
    report, unchanged = gd.loads(text, fmt), gd.loads(base, fmt)
    assert differences(report, name) == []
    # Cells the expected file leaves out (table 二) read as from the unchanged text.
    assert dict(iter_cells(report)) == dict(iter_cells(unchanged))
    assert validate(report).ok == validate(unchanged).ok


def test_fullwidth_pipes_inside_pipe_text_stay_text() -> None:
    # Where "|" separates the cells, "｜" is a character of a cell (the text
    # writer prints a "|" of a cell so): the row is not cut there.
    text = written("shanghai-office-2025.md").replace("3.其他 |", "3.其他｜其它 |")
    report = gd.loads(text, "text")
    assert differences(report, "shanghai-office-2025.md") == []
    assert {f.rule for f in report.read_findings if f.row == "other_handling.other"} <= {
        "read-loose-label"}


def test_two_labels_on_a_line_without_values_are_both_read() -> None:
    # PDF text prints a group label beside its first item, the values on the
    # next line: the item's row takes them.
    text = re.sub(r" *\| *", " ", written("shanghai-office-2025.md"))
    text = text.replace("（四）无法提供 1.本机关不掌握相关政府信息 484",
                        "（四）无法提供 1.本机关不掌握相关政府信息\n484")
    assert "政府信息\n484 28" in text
    report = gd.loads(text, "text")
    assert differences(report, "shanghai-office-2025.md") == []


def test_cells_apart_with_spaces_whose_blanks_left_nothing_are_not_ok() -> None:
    # Shanghai's table 二 has blank cells: with spaces for separators they
    # vanish, so its rows are short. Tables 三 and 四 still read exactly; the
    # report is not ok, and the finding names table 二.
    name = "shanghai-office-2025.md"
    report = gd.loads(re.sub(r" *\| *", "    ", written(name)), "text")
    assert differences(report, name) == []
    assert [(f.rule, f.table) for f in validate(report).errors] == [
        ("read-table-unread", "active")]


SHORT = "二、上年结转政府信息公开申请数量 | 170 | 15 | 0 | 0 | 4 | 0 | 189 |||"


@pytest.mark.parametrize("row", [
    "二、上年结转政府信息公开申请数量 | 170 | 0 | 0 | 4 | 0 | 189 ||||",
    "二、上年结转政府信息公开申请数量 | 170 | 0 | 0 | 4 | 0 | 189 |||",
])
def test_a_padded_row_short_of_a_cell_is_short_not_a_blank_total(row: str) -> None:
    # Padding after a row's values cannot be told from its empty cells: six
    # values and padding, the last of them the 总计, are a short row (which
    # cell is missing cannot be known), never 189 read as 其他.
    name = "shanghai-office-2025.md"
    assert SHORT in written(name)
    report = gd.loads(written(name).replace(SHORT, row), "text")
    [f] = [f for f in report.read_findings if f.row == "carried_over"]
    assert f.rule == "read-short-row"
    assert all(isinstance(get_cell(report, ref), Blank)
               for ref in form("2021").row("applications", "carried_over").refs())
    others = [d for d in differences(report, name) if "/carried_over/" not in d]
    assert others == []


def test_a_blank_total_after_numbers_is_written_unpadded_and_read_back() -> None:
    report = gd.load(CORPUS / "shanghai-office-2025.md")
    report = gd.replace_cells(report, {CellRef("applications", "carried_over", "total"): Blank("")})
    text = gd.dumps(report, "text")
    assert "二、上年结转政府信息公开申请数量 | 170 | 15 | 0 | 0 | 4 | 0 ||\n" in text
    assert dict(iter_cells(gd.loads(text, "text"))) == dict(iter_cells(report))


COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services",
           "other", "total")


def _print_in_short_row(printed: str, column: str) -> Report:
    """Shanghai as the text writer prints it, with ``printed`` in table 三's
    carried_over row at ``column``."""
    cells = SHORT.split(" | ")
    at = COLUMNS.index(column) + 1
    cells[at] = cells[at].replace(cells[at].rstrip("| "), printed, 1)  # "189 |||": keep the pads
    return gd.loads(written("shanghai-office-2025.md").replace(SHORT, " | ".join(cells)), "text")


@pytest.mark.parametrize("column", ["natural_person", "legal_services", "total"])
@pytest.mark.parametrize("printed", ["一", "暂无", "未发生", "&#160;", "(注)", "（注1）", "*"])
def test_words_printed_for_a_count_are_a_blank_in_their_place(printed: str, column: str) -> None:
    # A cell of words where a count stands (一 typed for a dash, 暂无, an
    # entity left over, a mark that refers to a note): a blank with its text,
    # and the values after it stay in their columns (dropped, it shifted them:
    # 189 read as 其他; taken for the label's note, the row was short). The
    # page printed no number there: the report is ok.
    name = "shanghai-office-2025.md"
    report = _print_in_short_row(printed, column)
    assert get_cell(report, CellRef("applications", "carried_over", column)) == Blank(printed)
    assert [d for d in differences(report, name) if f"/carried_over/{column}:" not in d] == []
    assert validate(report).ok


@pytest.mark.parametrize("column", ["natural_person", "legal_services", "total"])
@pytest.mark.parametrize("printed", [
    "四", "十二", "O", "〇", "零", "-0-", "170*", "170（注1）", "170.0", "1.170", "12,34",
    "170%", "170人次"])
def test_a_number_no_count_holds_is_a_blank_in_its_place_and_not_ok(
        printed: str, column: str) -> None:
    # A number printed so that no count holds it (a mark or a note after it, a
    # point, O or 〇 for 0, Chinese numerals): a blank with its text in its
    # place (never a label: the row stays whole), and since a number printed on
    # the page was not read, rule D1 fails it and the report is not ok.
    name = "shanghai-office-2025.md"
    report = _print_in_short_row(printed, column)
    ref = CellRef("applications", "carried_over", column)
    assert get_cell(report, ref) == Blank(printed)
    assert [d for d in differences(report, name) if f"/carried_over/{column}:" not in d] == []
    result = validate(report)
    assert [(f.rule, f.cells, f.actual) for f in result.errors] == [("D1", (ref,), printed)]


#: Shanghai's reshapes that print numbers no count holds, every such cell:
#: (id, what is replaced, by what).
NUMBERS_PRINTED: list[tuple[str, str, Callable[[re.Match[str]], str]]] = [
    ("thousands-dot", r"(?<=\| )(\d)(\d{3})(?= \|)", lambda m: f"{m[1]}.{m[2]}"),
    ("star", r"(?<=\| )1295(?= \|)", lambda m: "1295*"),
    ("note", r"(?<=\| )1295(?= \|)", lambda m: "1295（注1）"),
    ("decimal", r"(?<=\| )1295(?= \|)", lambda m: "1295.0"),
    ("zero-as-letter-o", r"(?<=\| )0(?= \|)", lambda m: "O"),
    ("zero-as-ideograph", r"(?<=\| )0(?= \|)", lambda m: "〇"),
    ("chinese-numeral", r"(?<=\| )4(?= \|)", lambda m: "四"),
]


@pytest.mark.parametrize(("pattern", "replace"), [v[1:] for v in NUMBERS_PRINTED],
                         ids=[v[0] for v in NUMBERS_PRINTED])
def test_numbers_no_count_holds_are_never_lost_from_an_ok_report(
        pattern: str, replace: Callable[[re.Match[str]], str]) -> None:
    # Every such cell (a row may hold several, its last among them) is a blank
    # with what it printed, in its place; every other cell reads as before;
    # each of them fails D1, so the report is not ok.
    name = "shanghai-office-2025.md"
    text, n = re.subn(pattern, replace, written(name))
    assert n
    report, unchanged = gd.loads(text, "text"), gd.loads(written(name), "text")
    changed = {ref: value for ref, value in iter_cells(report)
               if value != get_cell(unchanged, ref)}
    assert len(changed) == n
    assert all(isinstance(v, Blank) and v.printed for v in changed.values())
    assert {f.rule for f in report.read_findings} <= {"read-missing-section"}
    errors = validate(report).errors
    assert {f.cells[0]: f.actual for f in errors} == {
        ref: v.printed for ref, v in changed.items() if isinstance(v, Blank)}
    assert {f.rule for f in errors} == {"D1"}


@pytest.mark.parametrize("at", [1, 14])
@pytest.mark.parametrize("printed", ["暂无", "&#160;"])
def test_words_printed_for_a_count_in_table_four(printed: str, at: int) -> None:
    name = "shanghai-office-2025.md"
    row = "40 | 0 | 10 | 5 | 55 | 2 | 0 | 4 | 6 | 12 | 6 | 0 | 9 | 7 | 22 |"
    assert row in written(name)
    cells = row.split(" | ")
    cells[at] = printed + (" |" if at == 14 else "")
    report = gd.loads(written(name).replace(row, " | ".join(cells)), "text")
    group, column = ("review", "corrected") if at == 1 else ("litigation_after_review", "total")
    assert get_cell(report, CellRef("appeals", group, column)) == Blank(printed)
    assert [d for d in differences(report, name) if f"/{group}/{column}:" not in d] == []


@pytest.mark.parametrize("mark", ["—", "无", "/", "-"])
@pytest.mark.parametrize("column", ["natural_person", "research", "total"])
def test_blank_marks_in_a_row_of_cells_apart_with_spaces(mark: str, column: str) -> None:
    # pdftotext -layout and copied text print a blank cell's mark between the
    # numbers: a blank in its place, not the end of the row's label.
    name = "pingtan-2021.txt"
    text = re.sub(r" *\| *", "  ", written(name))
    line = next(ln for ln in text.splitlines() if ln.startswith("一、本年新收"))
    cells = line.split("  ")
    cells[COLUMNS.index(column) + 1] = mark
    report = gd.loads(text.replace(line, "  ".join(cells)), "text")
    assert get_cell(report, CellRef("applications", "received", column)) == Blank(mark)
    assert [d for d in differences(report, name) if f"/received/{column}:" not in d] == []


@pytest.mark.parametrize(("name", "fmt", "before", "number", "ref"), [
    ("shanghai-office-2025.md", "markdown", "| 1259 | 36 | 0 | 0 | 0 | 0 | ", "12",
     CellRef("applications", "received", "total")),
    ("ulanqab-2020.txt", "text", "一、本年新收政府信息公开申请数量 |\n", "6",
     CellRef("applications", "received", "natural_person")),
])
def test_a_text_cut_off_after_a_number_does_not_read_it(
        name: str, fmt: str, before: str, number: str, ref: CellRef) -> None:
    # Reports saved at a fixed size end anywhere (corpus/partial): a number
    # that ends the text with nothing after it may be cut (12 of 1295), so it
    # is kept as unplaced text with a finding, never read.
    text = source(name)
    cut = text[: text.index(before) + len(before)] + number
    assert text.startswith(cut)
    report = gd.loads(cut, fmt)
    assert get_cell(report, ref) == Blank("")
    assert number in report.unplaced
    assert number in [f.actual for f in report.read_findings if f.rule == "read-unplaced-values"]
    # Followed by a line break, the number was printed whole: it is a value.
    whole = gd.loads(cut + "\n", fmt)
    assert number not in [f.actual for f in whole.read_findings
                          if f.rule == "read-unplaced-values"]


#: Reports in the forms texts take, to cut off: the run-together reports (a
#: crawler ran each table's cells together) as they are, and others rewritten
#: as pipe text a row a line, a cell a line joined into rows, cells apart with
#: spaces, and Markdown: (id, corpus file, how the text is got, format).
CUT_FORMS: list[tuple[str, str, Callable[[str], str], str]] = [
    *((f"run-together-{name}", name, source, "text") for name in (
        "pingtan-2019.txt", "pingtan-2021.txt", "pingtan-finance-2020.txt",
        "hebei-miit-2019.txt")),
    ("pipes-a-row-a-line", "pingtan-2021.txt", written, "text"),
    ("pipes-rows-joined", "ulanqab-2020.txt", lambda n: row_lines(source(n)), "text"),
    ("spaces", "shanghai-office-2025.md", lambda n: re.sub(r" *\| *", "  ", written(n)), "text"),
    ("one-space", "pingtan-2021.txt", lambda n: re.sub(r" *\| *", " ", written(n)), "text"),
    ("markdown", "shanghai-office-2025.md", source, "markdown"),
]
#: Where each table's section begins, where its last rows begin, and where
#: the table ends (patterns: headings and labels vary).
LAST_ROWS = {
    "active": ("二、主动公开", "行政事业性收费", "三、收到和处理"),
    "applications": ("三、收到和处理", "[(（]七[)）]总计", "四、因?政府信息公开"),
    "appeals": ("四、因?政府信息公开", "四、因?政府信息公开", "[五六]、"),
}


def _found(pattern: str, text: str, start: int) -> int:
    """Where ``pattern`` is first found in ``text`` from ``start`` on."""
    m = re.compile(pattern).search(text, start)
    assert m is not None, pattern
    return m.start()


@pytest.mark.parametrize("table", list(LAST_ROWS))
@pytest.mark.parametrize(("name", "text_of", "fmt"), [f[1:] for f in CUT_FORMS],
                         ids=[f[0] for f in CUT_FORMS])
def test_a_text_cut_off_in_a_last_row_reads_no_wrong_number(
        name: str, text_of: Callable[[str], str], fmt: str, table: str) -> None:
    # Reports saved at a fixed size end anywhere: cut at every position of a
    # table's last rows (numbers, labels, units, padding, a Markdown separator),
    # no cell is ever read other than the whole text reads it, and a report
    # that lost a cell so is not ok. The row the text ends in is not read: a
    # run cut short splits into other cells (23 0 00 0 0 read 2, 3, 0 …), a
    # label with nothing after it looked like a table dropping its blanks, a
    # number after a space or with a point may be cut (行政许可 2 of 2293,
    # 24252.3), the padding of a short row cut short looked like a blank
    # 总计, and a cut separator line like a row of blank marks.
    text = text_of(name)
    whole = dict(iter_cells(gd.loads(text, fmt)))
    section, rows, end = LAST_ROWS[table]
    first = _found(rows, text, _found(section, text, 0))
    cut_rows = 0
    for at in range(first, _found(end, text, first + 1) + 1):
        report = read_cut(text, fmt, at, whole)
        for f in report.read_findings:
            if f.rule == "read-unplaced-values" and f.table in (table, None):
                cut_rows += 1  # the row's numbers kept, as unplaced text
                assert f.actual is None or f.actual in report.unplaced
    # (Hebei's section 四 is a sentence: no case, no table, nothing to cut.)
    assert cut_rows or all(isinstance(v, Blank) for ref, v in whole.items() if ref.table == table)


def test_a_row_the_text_may_be_cut_off_in_does_not_tell_that_blanks_vanished() -> None:
    # A labelled row with nothing after it is what a table dropping its empty
    # cells prints, and then every table is read so; but where the text ends
    # right after the label, the numbers may just be cut off.
    from govdisclosure.formats._runsplit import split_table

    text = source("pingtan-2021.txt")
    start = text.index(TABLE_HEADINGS["applications"]) + len(TABLE_HEADINGS["applications"])
    segment = text[start: text.index("（七）总计", start) + len("（七）总计")]
    closed = split_table(segment, "2021", "applications", 1)
    cut = split_table(segment, "2021", "applications", 1, open_end=True)
    assert closed.drops_blanks and not cut.drops_blanks
    assert cut.unplaced == ()
    [f] = [f for f in cut.findings if f.rule == "read-unplaced-values"]
    assert f.row == "total_handled" and f.blanks == f.cells
    # Cut inside its numbers, the row is not read: 6300204 is no row of 63, 0, 2, 4.
    cut = split_table(segment + "6300204", "2021", "applications", 1, open_end=True)
    assert cut.unplaced == ("6300204",)
    assert all(isinstance(cut.values[ref], Blank)
               for ref in form("2021").row("applications", "total_handled").refs())
    closed = split_table(segment + "6300204", "2021", "applications", 1)
    assert not isinstance(closed.values[CellRef("applications", "total_handled", "total")], Blank)


def test_a_markdown_separator_line_cut_off_is_no_row_of_blanks() -> None:
    # Cut inside table 四's |---|---| line, the line is a separator whose
    # last cell lost its dashes, not a row of 15 blank marks: table 四 has no
    # row, and the report is not ok.
    text = written_markdown("pingtan-2019.txt")
    heading = text.index(TABLE_HEADINGS["appeals"])
    line_end = text.index("\n", text.index("|--", heading))  # after its closing "|"
    end = text.rindex("|", heading, line_end - 1) + 2
    assert text[end - 4: end] == "--|-"
    report = gd.loads(text[:end], "markdown")
    assert {f.rule for f in validate(report).errors if f.table == "appeals"} == {
        "read-missing-table"}


def test_a_short_row_whose_padding_is_cut_off_stays_short() -> None:
    # Ulanqab's 2.重复申请 prints six values for seven columns, then padding
    # (``| 0 | |||``); cut inside the padding (``| 0 | |``), its last empty
    # cell is no blank 总计: the row stays short, all its cells blank.
    text = row_lines(source("ulanqab-2020.txt"))
    row = "2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | |||"
    assert row in text
    report = gd.loads(text[: text.index(row) + len(row) - 2], "text")
    refs = form("2019").row("applications", "not_processed.duplicate").refs()
    assert all(get_cell(report, ref) == Blank("") for ref in refs)
    assert "read-short-row" in {f.rule for f in report.read_findings
                                if f.row == "not_processed.duplicate"}


def _total_column_first(text: str) -> str:
    """Pipe text whose table 三 prints its 总计 column first, header and rows."""
    start, end = text.index(TABLE_HEADINGS["applications"]), text.index("四、政府信息公开")

    def moved(m: re.Match[str]) -> str:
        cells = m[2].split(" | ")
        return m[1] + " | ".join([cells[-1], *cells[:-1]]) + m[3]

    table = re.sub(r"(?m)^(.*? \| )((?:\d+ \| ){6}\d+)( \|+)$", moved, text[start:end])
    table = table.replace("自然人 | 法人或其他组织 | 总计", "总计 | 自然人 | 法人或其他组织")
    assert table != text[start:end]
    return text[:start] + table + text[end:]


def _cell_a_line(text: str) -> str:
    """Pipe text whose table 三 prints one cell a line."""
    start, end = text.index(TABLE_HEADINGS["applications"]), text.index("四、政府信息公开")
    return text[:start] + text[start:end].replace(" | ", " |\n") + text[end:]


TOTAL_FIRST_REPORTS = ["pingtan-2021.txt", "shanghai-office-2025.md", "pingtan-2019.txt"]
#: Layouts of a table 三 printing its 总计 first.
TOTAL_FIRST: dict[str, Callable[[str], str]] = {
    "a-row-a-line": lambda t: t,
    "spaces": lambda t: re.sub(r" *\| *", "  ", t),
    "a-cell-a-line": _cell_a_line,
    # Rows with no label (placed by position), printed a row a line.
    "items-unlabelled": lambda t: re.sub(r"(?m)^[2-8]\.[^|\n]*\| ", "", t),
}


@pytest.mark.parametrize("layout", list(TOTAL_FIRST))
@pytest.mark.parametrize("name", TOTAL_FIRST_REPORTS)
def test_a_total_column_printed_first_is_read_as_the_total(name: str, layout: str) -> None:
    # Some tables print 总计 before the applicant columns: the header says so,
    # and each row's first value is its 总计 (read by position, 70 | 64 | 0 …
    # gave 自然人 70 and 总计 4).
    text = TOTAL_FIRST[layout](_total_column_first(written(name)))
    report = gd.loads(text, "text")
    assert differences(report, name) == []
    assert dict(iter_cells(report)) == dict(iter_cells(gd.loads(written(name), "text")))


@pytest.mark.parametrize("name", TOTAL_FIRST_REPORTS)
def test_rows_with_no_label_a_cell_a_line_under_a_total_first_header_stay_unplaced(
        name: str) -> None:
    # Rows with no label, one cell a line, are placed by position only when
    # their own 总计 (I3) holds; under a header printing 总计 first that check
    # would be made on values not yet in the form's order (5 0 0 0 0 0 5 holds
    # either way): they are not placed, never read in the wrong columns.
    text = re.sub(r"(?m)^[2-8]\.[^|\n]*\|\n", "", _cell_a_line(_total_column_first(written(name))))
    report = gd.loads(text, "text")
    assert [d for d in differences(report, name) if "read Blank" not in d] == []
    assert "read-position-uncertain" in {f.rule for f in report.read_findings}
    assert not validate(report).ok


def test_a_header_with_the_total_first_over_rows_that_end_with_it_is_not_followed() -> None:
    # The header's order alone (a header extracted out of order) does not move
    # the 总计 where the rows print it last: 64 | 0 | 0 | 2 | 0 | 4 | 70 ends
    # with the sum of the others, and starts with none.
    name = "pingtan-2021.txt"
    text = written(name).replace("自然人 | 法人或其他组织 | 总计", "总计 | 自然人 | 法人或其他组织")
    assert text != written(name)
    unchanged = gd.loads(written(name), "text")
    assert dict(iter_cells(gd.loads(text, "text"))) == dict(iter_cells(unchanged))


APPEALS_HEADER = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"


def _appeals_total_first(text: str, values: bool = True) -> str:
    """Pipe text whose table 四 prints each group's 总计 first: its header, and
    (``values``) its row of fifteen."""
    row = next(ln for ln in text.splitlines() if re.fullmatch(r"(?:\d+ \| ){15}", ln + " "))
    cells = row.rstrip(" |").split(" | ")
    moved = [c for g in range(0, 15, 5) for c in (cells[g + 4], *cells[g:g + 4])]
    if values:
        text = text.replace(row, " | ".join(moved) + " |")
    return text.replace(APPEALS_HEADER, "总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结")


def _appeal_groups_labelled(table: str) -> str:
    """Table 四's row of fifteen as three rows of five, each after its group's
    label (one small table per group)."""
    row = next(ln for ln in table.splitlines() if re.fullmatch(r"(?:\d+ \| ){15}", ln + " "))
    cells = row.rstrip(" |").split(" | ")
    groups = ("行政复议", "未经复议直接起诉", "复议后起诉")
    rows = [f"{label} | " + " | ".join(cells[g * 5:g * 5 + 5]) + " |"
            for g, label in enumerate(groups)]
    return table.replace(row, "\n".join(rows))


@pytest.mark.parametrize("layout", ["a-row-a-line", "spaces", "a-cell-a-line", "groups"])
@pytest.mark.parametrize("name", TOTAL_FIRST_REPORTS)
def test_appeal_totals_printed_first_are_read_as_the_totals(name: str, layout: str) -> None:
    # Table 四's header printing each group's 总计 first (总计 | 结果维持 | …):
    # each group's first value is its 总计 (by position, 55 | 40 | 0 | 10 | 5
    # gave 结果维持 55 and 总计 5).
    text = _appeals_total_first(written(name))
    start = text.index(TABLE_HEADINGS["appeals"])
    table = text[start:]
    if layout == "spaces":
        table = re.sub(r" *\| *", "  ", table)
    elif layout == "a-cell-a-line":
        table = table.replace(" | ", " |\n")
    elif layout == "groups":
        table = _appeal_groups_labelled(table)
    report = gd.loads(text[:start] + table, "text")
    assert differences(report, name) == []
    assert dict(iter_cells(report)) == dict(iter_cells(gd.loads(written(name), "text")))


@pytest.mark.parametrize("name", TOTAL_FIRST_REPORTS)
def test_an_appeals_header_with_totals_first_over_values_in_the_forms_order(name: str) -> None:
    # The header alone does not move the totals where every group, as printed,
    # ends with the sum of its results (and would not, moved).
    text = _appeals_total_first(written(name), values=False)
    assert text != written(name)
    report = gd.loads(text, "text")
    assert dict(iter_cells(report)) == dict(iter_cells(gd.loads(written(name), "text")))
