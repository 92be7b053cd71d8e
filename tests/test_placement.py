"""Values with no usable label are placed by position only when their place is
certain: text that prints a group's sub-row labels in one run and their values
column by column (as ``pdftotext`` does on some PDFs) gives blanks and a reader
finding, never a number in a wrong row; rows placed by position are withdrawn
when their label follows.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure import Blank, CellRef, Report
from govdisclosure.model import get_cell, iter_cells
from govdisclosure.testing.samples import sample_report
from govdisclosure.testing.strategies import reports

#: Groups of table 三 whose sub-rows are printed labels first, values after.
GROUPS = ("withheld", "unavailable", "not_processed", "other_handling")


def _printed(report: Report, ref: CellRef) -> str:
    value = get_cell(report, ref)
    return value.printed or "/" if isinstance(value, Blank) else str(value)


def _column_by_column(report: Report, group: str, labels: bool, gap: bool, pipes: bool,
                      page: str) -> str | None:
    """``report``'s text with the sub-rows of ``group`` printed as one PDF
    extractor gives them: the group label, the sub-row labels in one run (when
    ``labels``), a page number line, then the values column by column, one per
    line (``0 |`` when ``pipes``), with a blank line after each column when
    ``gap``. ``None`` when the edition has no such group."""
    spec = gd.form(report.edition).table("applications")
    members = [row for row in spec.rows if row.group == group]
    if len(members) < 2:
        return None
    text = gd.dumps(report, "text")
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines)
                 if ln.startswith(f"{members[0].group_label} | {members[0].label} |"))
    new = [str(members[0].group_label)]
    if labels:
        new += [row.label for row in members]
    new.append(page)
    for column in range(len(members[0].columns)):
        for row in members:
            value = _printed(report, row.refs()[column])
            new.append(f"{value} |" if pipes else value)
        if gap:
            new.append("")
    return "\n".join([*lines[:first], *new, *lines[first + len(members):]]) + "\n"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(report=reports(blanks=True), group=st.sampled_from(GROUPS), labels=st.booleans(),
       gap=st.booleans(), pipes=st.booleans(), page=st.sampled_from(["-3-", "- 3 -", "第 3 页"]))
def test_sub_rows_printed_column_by_column_give_no_wrong_number(
        report: Report, group: str, labels: bool, gap: bool, pipes: bool, page: str) -> None:
    text = _column_by_column(report, group, labels, gap, pipes, page)
    if text is None:
        return
    read = gd.loads(text, "text")
    wrong = [f"{ref}: read {value!r}, printed {get_cell(report, ref)!r}"
             for ref, value in iter_cells(read)
             if not isinstance(value, Blank) and value != get_cell(report, ref)]
    assert not wrong, "\n".join(wrong)
    # The group's values are not placed, and the reader says why.
    spec = gd.form(report.edition).table("applications")
    for row in spec.rows:
        if row.group == group:
            assert all(isinstance(get_cell(read, ref), Blank) for ref in row.refs())
    codes = {f.rule for f in read.read_findings}
    assert codes & {"read-column-order", "read-position-uncertain", "read-long-row"}
    # Every other table is read whole.
    assert read.appeals == report.appeals


def test_a_label_after_values_placed_in_its_row_withdraws_them() -> None:
    # Values with no label go to the next row, (一)予以公开; then that row's own
    # label comes with other values: the values placed by position were not
    # its, so the label's are kept and the others are unplaced, never kept.
    report = sample_report(5, "2021")
    text = gd.dumps(report, "text")
    heading = "三、本年度办理结果 | "
    line = next(ln for ln in text.splitlines() if ln.startswith(heading + "（一）予以公开"))
    stray = "2 | 0 | 0 | 0 | 0 | 0 | 2 |"
    read = gd.loads(text.replace(line, f"{heading}\n{stray}\n||\n{line[len(heading):]}"),
                    "text")
    assert dict(iter_cells(read)) == dict(iter_cells(report))
    [f] = [f for f in read.read_findings if f.rule == "read-position-uncertain"]
    assert f.row is None and f.table == "applications"
    assert "granted" in f.message_en and "label" in f.message_en
    assert stray.removesuffix(" |") in read.unplaced
    codes = [f.rule for f in read.read_findings]
    assert "read-row-by-position" not in codes and "read-duplicate-row" not in codes



def _without_labels(report: Report, group: str) -> str | None:
    """``report``'s text with the sub-rows of ``group`` printed without their
    labels, one row of values per line under the group label."""
    spec = gd.form(report.edition).table("applications")
    members = [row for row in spec.rows if row.group == group]
    if len(members) < 2:
        return None
    lines = gd.dumps(report, "text").splitlines()
    first = next(i for i, ln in enumerate(lines)
                 if ln.startswith(f"{members[0].group_label} | {members[0].label} |"))
    new = [f"{members[0].group_label} |"]
    new += [" | ".join(_printed(report, ref) for ref in row.refs()) + " |" for row in members]
    return "\n".join([*lines[:first], *new, *lines[first + len(members):]]) + "\n"


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(blanks=True), group=st.sampled_from(GROUPS))
def test_sub_rows_printed_row_by_row_without_labels_are_placed(
        report: Report, group: str) -> None:
    # The layout shows rows and the identities hold: the place is certain.
    text = _without_labels(report, group)
    if text is None:
        return
    read = gd.loads(text, "text")
    # An empty cell is printed as "/" here, so blanks compare as blanks.
    assert _numbers(read) == _numbers(report)
    placed = [f.row for f in read.read_findings if f.rule == "read-row-by-position"]
    spec = gd.form(report.edition).table("applications")
    assert placed == [row.key for row in spec.rows if row.group == group]


def _numbers(report: Report) -> dict[CellRef, object]:
    return {ref: None if isinstance(v, Blank) else v for ref, v in iter_cells(report)}
