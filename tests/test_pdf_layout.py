"""The PDF layout rules, one behaviour at a time, on small pages laid out here.

Each test builds a page of characters (``Glyph``) and drawn lines (``Rule``)
with only what the behaviour it names needs, and checks what a reader relies
on: which row a label or group label opens, which column a number lands in,
what stays one word, one line or one row. These tests were written by planting
bugs in ``formats/_pdflayout`` (a changed threshold, a dropped condition) that
``tests/test_pdf.py`` did not catch (docs/pdf.md, "What the tests pin"); each
fails with its bug planted.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from govdisclosure.formats._pdflayout import Glyph, Placed, Rule, rebuild

SIZE = 10.0
PAGE = 842.0
TABLE_3 = "三、收到和处理政府信息公开申请情况"
TABLE_4 = "四、政府信息公开行政复议、行政诉讼情况"


def text(s: str, x: float, y: float, page: int = 0, size: float = SIZE,
         spacing: float = 0.0) -> list[Glyph]:
    """``s`` printed from ``x`` on the line whose top is ``y``: square characters,
    ``spacing`` apart (a justified line spreads its characters)."""
    pitch = size + spacing
    return [Glyph(ch, page, x + i * pitch, x + i * pitch + size, y, y + size)
            for i, ch in enumerate(s)]


def number(s: str, right: float, y: float, page: int = 0) -> list[Glyph]:
    """``s`` right-aligned at ``right``: digits half as wide as a character."""
    w = SIZE / 2
    start = right - len(s) * w
    return [Glyph(ch, page, start + i * w, start + (i + 1) * w, y, y + SIZE)
            for i, ch in enumerate(s)]


def values(row: Sequence[str | None], y: float, at: float = 330.0,
           step: float = 45.0) -> list[Glyph]:
    """A row's numbers, each right-aligned in its column (``None``: left blank)."""
    out: list[Glyph] = []
    for c, v in enumerate(row):
        if v is not None:
            out += number(v, at + step * c + 30, y)
    return out


def header(names: Sequence[str], y: float = 56.0, at: float = 330.0,
           step: float = 45.0) -> list[Glyph]:
    out: list[Glyph] = []
    for c, name in enumerate(names):
        out += text(name, at + step * c, y)
    return out


def lines(pages: Sequence[Sequence[Glyph]], rules: Sequence[Sequence[Rule]] = ()) -> list[str]:
    return list(rebuild(pages, [PAGE] * len(pages), rules).lines)


def row_starting(all_lines: Sequence[str], start: str) -> str:
    found = [ln for ln in all_lines if ln.startswith(start)]
    assert len(found) == 1, (start, all_lines)
    return found[0]


# --- Group labels --------------------------------------------------------------------


def _grouped_table() -> list[Glyph]:
    """Table 三's rows around a group: ``（二）部分公开`` and ``（七）总计`` span the
    label columns from x=60; the group label ``（三）不予公开`` stands in a narrow
    cell at x=60, wrapped over three lines and centred on its four sub-rows, whose
    labels start at x=100 (36 points right of it)."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    rows = ("（二）部分公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”", "4.保护第三方合法权益", "（七）总计")
    for r, label in enumerate(rows):
        y = 90 + 22 * r
        glyphs += text(label, 60 if r in (0, 5) else 100, y)
        glyphs += values((str(r), "0", str(r)), y)
    for k, part in enumerate(("（三）", "不予公", "开")):
        glyphs += text(part, 60, 130 + 12 * k)
    glyphs += text(TABLE_4, 40, 250)
    return glyphs


def test_a_group_label_in_a_narrow_cell_opens_the_first_row_of_its_group() -> None:
    """The group label stands beside the middle rows of its group, close to the
    sub-row labels (a narrow cell): it opens the group's first sub-row, and no
    row spanning the label columns above or below it joins the group."""
    got = lines([_grouped_table()])
    assert row_starting(got, "（三）不予公开") == "（三）不予公开 | 1.属于国家秘密 | 1 | 0 | 1 |"
    assert "（二）部分公开 | 0 | 0 | 0 |" in got
    assert "2.其他法律行政法规禁止公开 | 2 | 0 | 2 |" in got
    assert "（七）总计 | 5 | 0 | 5 |" in got


def test_a_row_opened_by_a_group_label_printed_lower_stands_where_the_row_does() -> None:
    """The group label printed beside its group's middle rows opens the first
    row; that row's place (where a finding about it points) is still the row's
    own, not the group label's further down."""
    got = rebuild([_grouped_table()], [PAGE], [])
    at = [i for i, ln in enumerate(got.lines) if ln.startswith("（三）不予公开")]
    assert len(at) == 1 and got.places[at[0]] == Placed(1, 100.0, 112.0)


def test_a_first_row_printed_all_blank_is_a_row_not_header() -> None:
    """Table 三's first row printed all blank under the header, without borders:
    it is a row of blank cells, not part of the header above it."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("一、本年新收政府信息公开申请数量", 40, 90)
    glyphs += text("二、上年结转政府信息公开申请数量", 40, 112) + values(("1", "0", "1"), 112)
    glyphs += text("四、结转下年度继续办理", 40, 134) + values(("0", "0", "0"), 134)
    glyphs += text(TABLE_4, 40, 170)
    assert lines([glyphs])[1:4] == ["自然人 | 其他 | 总计 |",
                                    "一、本年新收政府信息公开申请数量 | | | |",
                                    "二、上年结转政府信息公开申请数量 | 1 | 0 | 1 |"]


GROUPED = ("（二）部分公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
           "3.危及“三安全一稳定”", "4.保护第三方合法权益", "（四）无法提供")


def _group_between_rows(pitch: float, blank: int | None = None) -> list[str]:
    """Table 三 without borders, rows ``pitch`` apart: ``（三）不予公开`` printed on
    one line centred on its four rows (between the second and the third, right
    under the second's label, which fills the label column); row ``blank``
    printed all blank."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    for r, label in enumerate(GROUPED):
        y = 90 + pitch * r
        glyphs += text(label, 60 if r in (0, 5) else 150, y)
        if r != blank:
            glyphs += values((str(r), "0", str(r)), y)
    glyphs += text("（三）不予公开", 60, 90 + pitch * 2.5)
    glyphs += text(TABLE_4, 40, 90 + pitch * 6 + 20)
    return lines([glyphs])[2:-1]


def _grouped_rows(blank: int | None = None) -> list[str]:
    rows = [f"{label} | | | |" if r == blank else f"{label} | {r} | 0 | {r} |"
            for r, label in enumerate(GROUPED)]
    rows[1] = "（三）不予公开 | " + rows[1]
    return rows


def test_a_group_label_between_two_of_its_rows_is_no_wrapped_label_s_rest() -> None:
    """The group label under a label filling the label column is the group's
    label, opening its first row, not the rest of the label above it (a wrapped
    label's rest never starts with an enumerator); rows set far apart leave it
    no row printed all blank."""
    for pitch in (22.0, 26.0):
        assert _group_between_rows(pitch) == _grouped_rows(), pitch


def test_rows_printed_all_blank_beside_a_group_label_stay_rows() -> None:
    """A row of the group printed all blank right under the group label (touching
    it, in another column), or with less than a line between it and the rows
    around it: a row of blank cells, its label joined to no other row."""
    for pitch, blank in ((22.0, 3), (18.0, 3), (22.0, 2)):
        assert _group_between_rows(pitch, blank) == _grouped_rows(blank), (pitch, blank)


# --- Values ------------------------------------------------------------------------------


def test_a_cell_printed_wu_is_a_value_in_its_column() -> None:
    """``无`` (nothing) printed in a cell is that cell's value, not label text: the
    numbers after it keep their columns."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("一、本年新收政府信息公开申请数量", 40, 90) + values(("3", None, "3"), 90)
    glyphs += text("四、结转下年度继续办理", 40, 112) + text("无", 330 + 45 + 20, 112)
    glyphs += values(("0", None, "0"), 112)
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs])
    assert "四、结转下年度继续办理 | 0 | 无 | 0 |" in got


def test_an_amount_with_its_unit_is_one_value_in_its_column() -> None:
    """An amount printed with its unit (``12.5万元``, ``80%``) is a value like a
    bare number: it takes its own column, and the columns after it keep theirs."""
    glyphs = text("二、主动公开政府信息情况", 40, 20) + header(("本年收费", "比例", "件数"))
    glyphs += text("行政事业性收费", 40, 90) + values(("1", "2", "3"), 90)
    glyphs += text("行政许可", 40, 112) + values(("12.5万元", "80%", "7"), 112)
    glyphs += text(TABLE_3, 40, 150)
    got = lines([glyphs])
    assert "行政许可 | 12.5万元 | 80% | 7 |" in got


def test_two_numbers_in_one_column_stay_two_numbers() -> None:
    """A line of one number touching a fuller row (the rest of a number wrapped in
    its narrow cell, or not) joins that row; the two numbers then in one column
    are kept apart by a space, never run into one number (``27 3``, not ``273``)."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("27", "0", "27"), 90)
    glyphs += number("3", 375, 100.5)  # touching the row above, under its first column
    glyphs += text("2.办理", 40, 120) + values(("1", "0", "1"), 120)
    glyphs += text(TABLE_4, 40, 160)
    got = lines([glyphs])
    assert "1.申请 | 27 3 | 0 | 27 |" in got
    assert "2.办理 | 1 | 0 | 1 |" in got


def test_a_number_wrapped_in_its_undrawn_cell_is_placed_where_it_starts() -> None:
    """A total wrapped in its narrow cell (``3`` over ``0``) around its row's
    numbers, no borders drawn: the cell holds both parts in reading order, and
    its place (the provenance a reader hands on) is the number's first part."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("2", "0", None), 90)
    glyphs += number("3", 465, 84) + number("0", 465, 96)
    glyphs += text("2.办理", 40, 120) + values(("1", "0", "1"), 120)
    glyphs += text(TABLE_4, 40, 160)
    got = rebuild([glyphs], [PAGE], [])
    at = got.lines.index("1.申请 | 2 | 0 | 3 0 |")
    assert got.values[at] == (Placed(1, 355.0, 90.0), Placed(1, 400.0, 90.0),
                              Placed(1, 460.0, 84.0))


def _narrow_labels(pitch: float) -> list[str]:
    """Table 三 without borders, its labels wrapped three characters a line in a
    narrow column, ``pitch`` apart, each row's numbers centred on its label."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    y = 90.0
    for label, nums in (
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("5", "0", "5")),
        ("2.申请人逾期未按收费通知要求缴纳费用", ("2", "0", "2")),
        ("3.其他", ("3", "0", "3")),
    ):
        parts = [label[i:i + 3] for i in range(0, len(label), 3)]
        for k, part in enumerate(parts):
            glyphs += text(part, 40, y + k * pitch)
        glyphs += values(nums, y + (len(parts) - 1) * pitch / 2)
        y += (len(parts) - 1) * pitch + SIZE + 8
    glyphs += text(TABLE_4, 40, y + 30)
    return lines([glyphs])


def test_a_label_wrapped_over_many_lines_without_borders_stays_whole() -> None:
    """Labels wrapped over up to nine lines in a narrow undrawn column, lines a
    quarter to a third of a line apart, the numbers centred on them: each label
    is one row's label, whole, with nothing left over as a row of its own (its
    outer lines stand four and more rows' heights from its numbers; its last
    line stands nearer the next row's first)."""
    for pitch in (11.0, 12.5):
        assert _narrow_labels(pitch)[2:-1] == [
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 5 | 0 | 5 |",
            "2.申请人逾期未按收费通知要求缴纳费用 | 2 | 0 | 2 |",
            "3.其他 | 3 | 0 | 3 |",
        ], pitch


def test_a_row_with_few_numbers_close_under_a_full_one_is_its_own_row() -> None:
    """Rows set a third of a line apart without borders, the middle one with a
    single number: it is a row of its own, not the rest of a number wrapped in
    the row above (that touches the row it belongs to)."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("3", "0", "3"), 90)
    glyphs += text("2.办理", 40, 103) + values((None, None, "4"), 103)
    glyphs += text("3.答复", 40, 116) + values(("2", "0", "2"), 116)
    glyphs += text(TABLE_4, 40, 160)
    assert lines([glyphs])[2:-1] == ["1.申请 | 3 | 0 | 3 |", "2.办理 | | | 4 |",
                                     "3.答复 | 2 | 0 | 2 |"]


def test_a_note_far_under_a_table_is_kept_as_its_lines() -> None:
    """A note of two lines printed far under an undrawn table (no row's label) is
    kept, each line in its place after the rows: no text of the region is lost."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("2", "0", "2"), 90)
    glyphs += text("2.办理", 40, 112) + values(("1", "0", "1"), 112)
    glyphs += text("注：本表数据截至十二月", 40, 220) + text("三十一日。", 40, 230)
    glyphs += text(TABLE_4, 40, 300)
    got = lines([glyphs])
    at = got.index("2.办理 | 1 | 0 | 1 |")
    assert got[at + 1:at + 4] == ["注：本表数据截至十二月 |", "三十一日。 |", TABLE_4]


# --- Words, lines and headings ----------------------------------------------------------


def test_a_heading_under_a_drawn_table_is_not_cut_by_its_borders() -> None:
    """The vertical borders of table 三's label columns end above the next heading;
    the heading that runs across their x-positions (its characters spread a
    little, as a justified line's are) is one heading, and the rows after it are
    table 四's."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    xs = (35.0, 94.2, 160.0, 325.0, 370.0, 415.0, 460.0)
    rules = [Rule(x, 45, x + 0.75, 134) for x in xs]
    rules += [Rule(35, y, 460, y + 0.75) for y in (45, 85, 107, 129)]
    glyphs += text("三、本年", 40, 90) + text("（一）予", 105, 90) + text("1.自行公开", 165, 90)
    glyphs += values(("1", "0", "1"), 90)
    glyphs += text("办理结果", 40, 112) + text("以公开", 105, 112) + text("2.其他", 165, 112)
    glyphs += values(("2", "0", "2"), 112)
    glyphs += text(TABLE_4, 40, 150, spacing=1.0)
    glyphs += header(("维持", "纠正", "总计"), 175) + values(("4", "5", "9"), 200)
    got = lines([glyphs], [rules])
    assert TABLE_4 in got
    assert "4 | 5 | 9 |" in got[got.index(TABLE_4):]


def test_a_sentence_with_figures_in_another_font_reads_in_order() -> None:
    """Figures printed in a Latin font sit a little lower than the Chinese text
    around them: the line still reads left to right."""
    glyphs = text("一、总体情况", 40, 20)
    glyphs += text("全年共收到申请", 40, 60)
    glyphs += [Glyph(ch, 0, 116 + 5 * i, 121 + 5 * i, 60.6, 70.6) for i, ch in enumerate("128")]
    glyphs += text("件，均已办结。", 137, 60)
    got = lines([glyphs])
    assert "全年共收到申请128件，均已办结。" in got


def _grid(xs: Sequence[float], ys: Sequence[float]) -> list[Rule]:
    """Cell borders: a vertical line at each of ``xs`` and a horizontal one at each of
    ``ys``, spanning the grid."""
    return ([Rule(x, ys[0], x + 0.75, ys[-1]) for x in xs]
            + [Rule(xs[0], y, xs[-1], y + 0.75) for y in ys])


def test_a_border_parts_a_label_from_the_number_just_after_it() -> None:
    """A label filling its drawn cell up to the border, and a number printed just
    past the border: the border parts them, the number is the row's first value."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"), at=155, step=45)
    glyphs += text("1.本机关不掌握相关政府", 30, 90)  # from 30 to the border at 150
    glyphs += number("7", 157, 90) + number("0", 202, 90) + number("7", 247, 90)
    glyphs += text("2.没有现成信息", 30, 112)
    glyphs += number("1", 157, 112) + number("0", 202, 112) + number("1", 247, 112)
    glyphs += text(TABLE_4, 40, 150)
    rules = _grid((25.0, 150.0, 195.0, 240.0, 285.0), (45.0, 85.0, 107.0, 129.0))
    got = lines([glyphs], [rules])
    assert "1.本机关不掌握相关政府 | 7 | 0 | 7 |" in got


def test_a_header_cell_printed_over_a_border_stays_one_cell() -> None:
    """A header cell printed wider than its drawn cell, its characters running on
    over the border (``自然人`` from one cell into the next), is one header cell."""
    glyphs = text(TABLE_3, 40, 20)
    glyphs += text("自然人", 340, 56) + text("其他", 380, 56) + text("总计", 440, 56)
    for r, y in enumerate((90.0, 112.0)):
        glyphs += text(f"{r + 1}.申请", 40, y)
        glyphs += number(str(r + 1), 330, y) + number("0", 390, y) + number(str(r + 1), 450, y)
    glyphs += text(TABLE_4, 40, 150)
    rules = _grid((35.0, 300.0, 360.0, 420.0, 480.0), (45.0, 85.0, 107.0, 129.0))
    got = lines([glyphs], [rules])
    assert "自然人 | 其他 | 总计 |" in got
    assert "2.申请 | 2 | 0 | 2 |" in got


def test_a_header_spaced_out_character_by_character_is_one_cell() -> None:
    """A header cell printed with a space after each character (``自 然 人``,
    ``总 计``) is one cell, as printed without the spaces."""
    glyphs = text(TABLE_3, 40, 20)
    glyphs += text("自然人", 320, 56, spacing=5.0) + text("其他", 380, 56)
    glyphs += text("总计", 425, 56, spacing=5.0)
    for r, y in enumerate((90.0, 112.0)):
        glyphs += text(f"{r + 1}.申请", 40, y)
        glyphs += values((str(r + 1), None, str(r + 1)), y, at=320.0, step=55.0)
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs])
    assert "自然人 | 其他 | 总计 |" in got
    assert "2.申请 | 2 | | 2 |" in got


def test_spaces_handed_over_as_characters_change_nothing() -> None:
    """An extractor that hands over the spaces between cells as characters gives
    the same rows as one that leaves them out."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("3", "0", "3"), 90)
    glyphs += text(TABLE_4, 40, 150)
    spaced = list(glyphs)
    for a, b in pairwise(glyphs):
        if a.top == b.top and b.x0 - a.x1 > 1:
            spaced.append(Glyph(" ", 0, a.x1, b.x0, a.top, a.bottom))
    assert lines([spaced]) == lines([glyphs])
    assert "1.申请 | 3 | 0 | 3 |" in lines([spaced])


# --- Pages -------------------------------------------------------------------------------


def test_a_two_page_report_drops_its_page_numbers_printed_with_di_and_ye() -> None:
    """``第1页`` / ``第2页`` in the bottom margin of a two-page report are page
    numbers (too few pages to tell a running footer by recurrence)."""
    pages = [text(f"第{p + 1}页", 280, 810, page=p)
             + text(f"正文第{p + 1}页的文字。", 40, 200, page=p) for p in range(2)]
    assert lines(pages) == ["正文第1页的文字。正文第2页的文字。"]


def test_a_label_wrapped_over_a_page_break_joins_its_row() -> None:
    """A row at the foot of a page whose label wraps onto the top of the next page:
    the label's end joins the row, and the next row is the next row."""
    first = text(TABLE_3, 40, 600) + header(("自然人", "其他", "总计"), y=640)
    first += text("一、本年新收政府信息公开申请数", 40, 700) + values(("5", "0", "5"), 700)
    second = [Glyph(g.text, 1, g.x0, g.x1, g.top, g.bottom) for g in
              text("量", 40, 60) + text("二、上年结转政府信息公开申请数", 40, 90)
              + values(("1", "0", "1"), 90) + text("量", 40, 102) + text(TABLE_4, 40, 150)]
    got = lines([first, second])
    assert "一、本年新收政府信息公开申请数量 | 5 | 0 | 5 |" in got
    assert "二、上年结转政府信息公开申请数量 | 1 | 0 | 1 |" in got



def test_an_indented_paragraph_is_not_run_into_the_one_before() -> None:
    """A line reaching the right margin runs on into the next line, unless that
    one is indented two characters: a new paragraph."""
    glyphs = text("一、总体情况", 40, 20)
    glyphs += text("本年度全区政府信息公开工作稳步推进，主动公开", 40, 60)
    glyphs += text("信息一千条，依申请公开信息三百条，均已办结。", 40, 74)
    glyphs += text("全年共收到申请五十件，均已按时办结。", 60, 88)
    got = lines([glyphs])
    assert got[1:] == ["本年度全区政府信息公开工作稳步推进，主动公开"
                       "信息一千条，依申请公开信息三百条，均已办结。",
                       "全年共收到申请五十件，均已按时办结。"]


def test_a_heading_in_several_runs_is_not_run_into_the_paragraph_before() -> None:
    """A paragraph reaching the right margin, then a section heading printed in
    runs with gaps between them (too many to be read as a heading on its own):
    the heading stays a line of its own."""
    glyphs = text("一、总体情况", 40, 20)
    glyphs += text("本年度未发生行政复议、行政诉讼案件，无相关情况", 40, 60)
    glyphs += text("五、", 40, 74) + text("存在的主要问题", 68, 74) + text("及改进情况", 146, 74)
    got = lines([glyphs])
    assert got[-1] == "五、存在的主要问题及改进情况"


def test_a_heading_wrapped_after_a_gap_is_one_heading() -> None:
    """On a narrow page a section heading wraps (``四、 政府信息公开行政复议、行政诉``
    / ``讼情况``), its enumerator set apart by a gap: it is one heading, and table
    四's rows follow it."""
    narrow = {"at": 120.0, "step": 30.0}
    glyphs = text(TABLE_3, 40, 20) + header(("自然", "其他", "总计"), **narrow)
    glyphs += text("1.申请", 40, 90) + values(("5", "0", "5"), 90, **narrow)
    glyphs += text("四、", 40, 130) + text("政府信息公开行政复议、行政诉", 66, 130)
    glyphs += text("讼情况", 40, 144)
    glyphs += header(("维持", "纠正", "总计"), 170, **narrow)
    glyphs += values(("4", "5", "9"), 195, **narrow)
    got = lines([glyphs])
    assert "四、政府信息公开行政复议、行政诉讼情况" in got
    assert "4 | 5 | 9 |" in got[got.index("四、政府信息公开行政复议、行政诉讼情况"):]


# --- Drawn cells -------------------------------------------------------------------------


def _close_rows_with_column_lines() -> tuple[list[Glyph], list[Rule]]:
    """Table 三's three rows set 11.5 pt apart, with vertical lines only."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    for r, (label, nums) in enumerate((("1.申请", ("3", "0", "3")),
                                       ("2.办理", ("0", "1", "1")),
                                       ("3.答复", ("2", "0", "2")))):
        y = 90 + 11.5 * r
        glyphs += text(label, 40, y) + values(nums, y)
    rules = [Rule(x, 45, x + 0.75, 130) for x in (35.0, 325.0, 370.0, 415.0, 460.0)]
    return glyphs, rules


def test_with_column_lines_only_numbers_of_close_rows_stay_apart() -> None:
    """A table drawn with vertical lines only (no line between rows) and rows set
    close: a number is not joined to the number under it as if wrapped in its
    cell (``3`` over ``0`` is two rows, not ``30``)."""
    glyphs, rules = _close_rows_with_column_lines()
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs], [rules])
    assert "1.申请 | 3 | 0 | 3 |" in got
    assert "2.办理 | 0 | 1 | 1 |" in got
    assert "3.答复 | 2 | 0 | 2 |" in got


def test_a_drawn_group_cell_and_the_row_label_touching_its_border_are_two_cells() -> None:
    """A group label filling its drawn cell up to the border, and the row label
    beside it starting right at that border: two label cells, the group label
    opening its group."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("（三）不予公开", 30, 101)  # from 30 to the border at 100
    for r, label in enumerate(("1.属于国家秘密", "2.其他法律行政法规禁止公开")):
        y = 90 + 22 * r
        glyphs += text(label, 100.8, y) + values((str(r + 1), "0", str(r + 1)), y)
    rules = _grid((25.0, 100.0, 325.0, 370.0, 415.0, 460.0), (45.0, 85.0, 129.0))
    rules += [Rule(100, 107, 460, 107.75)]
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs], [rules])
    assert "（三）不予公开 | 1.属于国家秘密 | 1 | 0 | 1 |" in got
    assert "2.其他法律行政法规禁止公开 | 2 | 0 | 2 |" in got


def test_with_rules_between_rows_only_a_long_label_s_first_line_stays_on_its_row() -> None:
    """A table drawn with a rule between rows and no column lines, a label wrapped
    over six lines around its numbers: its first line stands nearer the row above
    than its own numbers, but the rule parts it from that row; it opens its own
    row's label (not a row printed all blank)."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("4.其他", 40, 90) + values(("4", "0", "4"), 90)
    label = "5.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    for k in range(6):
        glyphs += text(label[7 * k:7 * k + 7], 40, 110 + 12 * k)
    glyphs += values(("5", "0", "5"), 140) + text("（七）总计", 40, 188)
    glyphs += values(("9", "0", "9"), 188) + text(TABLE_4, 40, 230)
    rules = [Rule(35, y, 460, y + 0.75) for y in (45.0, 86.0, 105.0, 184.0, 202.0)]
    assert lines([glyphs], [rules])[2:-1] == [
        "4.其他 | 4 | 0 | 4 |",
        "5.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 5 | 0 | 5 |",
        "（七）总计 | 9 | 0 | 9 |"]


def test_a_table_in_a_frame_without_column_lines_is_read_by_its_numbers() -> None:
    """A table drawn with an outer frame only (vertical lines at its left and right
    edges, none between the columns): the frame parts no cells, and the numbers
    give the columns."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    for r, y in enumerate((90.0, 112.0)):
        glyphs += text(f"{r + 1}.申请", 40, y) + values((str(r + 1), "0", str(r + 1)), y)
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs], [_grid((35.0, 460.0), (45.0, 134.0))])
    assert "1.申请 | 1 | 0 | 1 |" in got
    assert "2.申请 | 2 | 0 | 2 |" in got


def test_with_a_rule_only_above_and_below_stacked_numbers_stay_apart() -> None:
    """A table with column lines and a rule only above and below it, its rows set
    close: a number over another in its cell is no wrapped number while a third
    stands between the same rules (the cell is not the number's own)."""
    glyphs, rules = _close_rows_with_column_lines()
    rules += [Rule(35, y, 460, y + 0.75) for y in (85.0, 124.0)]
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs], [rules])
    assert "1.申请 | 3 | 0 | 3 |" in got
    assert "2.办理 | 0 | 1 | 1 |" in got
    assert "3.答复 | 2 | 0 | 2 |" in got


def _wrapped_total(bottom: float | None, after: float | None = None) -> list[str]:
    """Table 三 drawn in cells, its last row's total ``32`` wrapped in its narrow
    cell (``3`` over ``2``), the last text ending at 133; the table's bottom
    border at ``bottom``, a rule of the next table at ``after`` (under the next
    heading, which stands at 160)."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("1", "0", "1"), 90)
    glyphs += text("2.办理", 40, 117) + values(("2", "0", None), 117)
    glyphs += number("3", 450, 112) + number("2", 450, 123)
    glyphs += text(TABLE_4, 40, 160)
    xs = (35.0, 325.0, 370.0, 415.0, 460.0)
    if bottom is None:  # the column lines run on to 135, no rule closes the cells
        rules = [Rule(x, 45, x + 0.75, 135) for x in xs]
        rules += [Rule(35, y, 460, y + 0.75) for y in (45.0, 85.0, 107.0)]
    else:
        rules = _grid(xs, (45.0, 85.0, 107.0, bottom))
    if after is not None:
        rules += _grid(xs, (after, after + 30))
    return lines([glyphs], [rules])


def test_a_bottom_rule_drawn_well_under_the_last_line_is_the_table_s() -> None:
    """The table's bottom border closes the last row's cells however far under
    its text it is drawn (nothing else stands between): a number wrapped in the
    last row's cell is joined there as in any other row."""
    for bottom in (133.2, 134.0, 136.0, 140.0, 150.0, 158.0):  # 133.2: tight under the text
        got = _wrapped_total(bottom)
        assert row_starting(got, "2.办理") == "2.办理 | 2 | 0 | 32 |", bottom
        assert "| | 3 |" not in got


def test_a_rule_under_the_next_heading_is_not_the_table_s_bottom_rule() -> None:
    """A rule drawn under the next heading (the next table's top border) does not
    close the cells above the heading: the table reads as with no bottom rule
    (where close rows' numbers are not joined, see above)."""
    alone = _wrapped_total(None)
    assert "| | 3 |" in alone
    assert _wrapped_total(None, after=175.0) == alone


def test_a_number_wrapped_in_a_double_spaced_drawn_cell_is_one_number() -> None:
    """A total wrapped in its drawn cell (``3`` over ``2``) with its lines set
    double spaced (more than a line's height between them): one number, ``32``."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("1.申请", 40, 90) + values(("1", "0", "1"), 90)
    glyphs += text("2.办理", 40, 131) + values(("2", "0", None), 131)
    glyphs += number("3", 450, 120) + number("2", 450, 142)
    glyphs += text(TABLE_4, 40, 190)
    xs = (35.0, 325.0, 370.0, 415.0, 460.0)
    got = lines([glyphs], [_grid(xs, (45.0, 85.0, 112.0, 158.0))])
    assert row_starting(got, "2.办理") == "2.办理 | 2 | 0 | 32 |"


def test_a_header_cell_wrapped_under_a_wider_first_line_is_one_cell() -> None:
    """A header cell wrapped in its narrow column with its first line the wider
    (``社会公益`` over ``组织``) is one header cell, not a cell over several
    columns."""
    glyphs = text(TABLE_3, 40, 20)
    glyphs += text("自然人", 320, 56) + text("社会公益", 370, 50) + text("组织", 380, 62)
    glyphs += text("总计", 440, 56)
    for r, y in enumerate((90.0, 112.0)):
        glyphs += text(f"{r + 1}.申请", 40, y)
        glyphs += number(str(r + 1), 350, y) + number("0", 400, y) + number(str(r + 1), 460, y)
    glyphs += text(TABLE_4, 40, 150)
    got = lines([glyphs])
    assert "自然人 | 社会公益组织 | 总计 |" in got


def test_words_far_apart_on_a_line_of_text_keep_a_space() -> None:
    """Outside tables, words on one line set far apart (a signature and its date)
    are parted by a space; characters close together run on without one."""
    glyphs = text("六、其他需要报告的事项", 40, 20) + text("本年度无其他需要报告的事项。", 40, 60)
    glyphs += text("某县人民政府办公室", 40, 100) + text("2025年1月20日", 300, 100)
    got = lines([glyphs])
    assert got[-1] == "某县人民政府办公室 2025年1月20日"


def test_a_row_reaching_the_right_margin_above_a_heading_keeps_both() -> None:
    """The last row of table 三, its total at the right margin, stands right above
    the heading of table 四: the row keeps its numbers, the heading starts table
    四 (it is no wrapped heading's second line)."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    glyphs += text("四、结转下年度继续办理", 40, 90) + values(("0", None, "0"), 90)
    glyphs += text(TABLE_4, 40, 104)
    glyphs += header(("维持", "纠正", "总计"), 130) + values(("4", "5", "9"), 150)
    got = lines([glyphs])
    assert "四、结转下年度继续办理 | 0 | | 0 |" in got
    assert TABLE_4 in got
    assert "4 | 5 | 9 |" in got[got.index(TABLE_4):]


def test_a_label_printed_one_character_per_line_opens_its_group() -> None:
    """``三、本年度办理结果`` printed down a narrow column, one character per line
    with most of a line between them, beside the rows it groups: one label,
    opening the first of them."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    rows = ("（一）予以公开", "（二）部分公开", "（三）不予公开", "（四）无法提供",
            "（五）不予处理", "（六）其他处理", "（七）总计", "（八）合计")
    for r, label in enumerate(rows):
        y = 90 + 22 * r
        glyphs += text(label, 70, y) + values((str(r + 1), "0", str(r + 1)), y)
    for k, ch in enumerate("三、本年度办理结果"):
        glyphs += text(ch, 40, 96 + 19 * k)
    glyphs += text(TABLE_4, 40, 280)
    got = lines([glyphs])
    assert "三、本年度办理结果 | （一）予以公开 | 1 | 0 | 1 |" in got
    assert "（二）部分公开 | 2 | 0 | 2 |" in got


def test_a_label_printed_down_rows_far_apart_opens_its_group() -> None:
    """``三、本年度办理结果`` printed one character per line beside four rows whose
    labels wrap over four and five lines: centred on its rows, its middle falls
    between two rows, over two rows' heights from either; it still opens the
    first of them, and the rows' labels stay whole."""
    glyphs = text(TABLE_3, 40, 20) + header(("自然人", "其他", "总计"))
    rows = ("（一）予以公开（全文公开的政府信息）", "（二）部分公开（区分处理的，只计这一情形）",
            "（三）不予公开（依法不予公开的政府信息）", "（四）无法提供（本机关不掌握的政府信息）")
    y = 90.0
    for r, label in enumerate(rows):
        parts = [label[i:i + 5] for i in range(0, len(label), 5)]
        for k, part in enumerate(parts):
            glyphs += text(part, 70, y + 12 * k)
        glyphs += values((str(r + 1), "0", str(r + 1)), y + 12 * (len(parts) - 1) / 2)
        y += 12 * (len(parts) - 1) + 20
    top = (80 + y) / 2 - 81  # the label's middle halfway down the rows
    for k, ch in enumerate("三、本年度办理结果"):
        glyphs += text(ch, 40, top + 19 * k)
    glyphs += text(TABLE_4, 40, y + 40)
    assert lines([glyphs])[2:-1] == [
        "三、本年度办理结果 | （一）予以公开（全文公开的政府信息） | 1 | 0 | 1 |",
        "（二）部分公开（区分处理的，只计这一情形） | 2 | 0 | 2 |",
        "（三）不予公开（依法不予公开的政府信息） | 3 | 0 | 3 |",
        "（四）无法提供（本机关不掌握的政府信息） | 4 | 0 | 4 |"]


def test_a_tight_row_holding_half_the_numbers_of_the_fullest_is_its_own_row() -> None:
    """Rows set with barely any space between them, no borders, one column blank
    in every row (six numbers at most): a row holding three of them is a row of
    its own, not the rest of numbers wrapped in the row above."""
    columns = ("自然人", "商业", "科研", "公益", "法律", "其他", "总计")
    glyphs = text(TABLE_3, 40, 20) + header(columns, step=40)
    glyphs += text("1.申请", 40, 90) + values(("3", "1", None, "1", "1", "1", "7"), 90, step=40)
    glyphs += text("2.办理", 40, 102) + values(("4", None, None, None, None, "1", "5"), 102,
                                             step=40)
    glyphs += text("3.答复", 40, 114) + values(("2", "0", None, "0", "0", "0", "2"), 114, step=40)
    glyphs += text(TABLE_4, 40, 160)
    assert lines([glyphs])[2:-1] == ["1.申请 | 3 | 1 | | 1 | 1 | 1 | 7 |",
                                     "2.办理 | 4 | | | | | 1 | 5 |",
                                     "3.答复 | 2 | 0 | | 0 | 0 | 0 | 2 |"]
