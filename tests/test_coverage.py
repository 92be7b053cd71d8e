"""``read_coverage`` and ``ok``: a report is ok only when its three tables were found."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import CellRef, ReadCoverage, read_coverage
from govdisclosure.cli import main
from govdisclosure.model.report import TABLE_HEADINGS
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).resolve().parent / "corpus"
ALL = ("active", "applications", "appeals")


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue()


def test_ratio_and_missing_tables() -> None:
    coverage = ReadCoverage(cells_read=99, cells_total=198, tables_found=("active", "appeals"))
    assert coverage.ratio == 0.5
    assert coverage.tables_missing == ("applications",)
    assert not coverage.complete
    assert ReadCoverage(cells_read=0, cells_total=0, tables_found=()).ratio == 0.0


def test_a_short_row_is_not_read() -> None:
    # ulanqab-2020: row 2.重复申请 prints 6 values for 7 columns; its cells are blank.
    report = gd.load(CORPUS / "ulanqab-2020.txt")
    coverage = read_coverage(report)
    assert coverage == ReadCoverage(cells_read=198 - 7, cells_total=198, tables_found=ALL)
    assert gd.validate(report).ok


def test_printed_blanks_are_read_but_ambiguous_splits_are_not() -> None:
    report = gd.load(CORPUS / "pingtan-2019.txt")
    ambiguous = {ref for f in report.read_findings if f.rule == "read-ambiguous-split"
                 for ref in f.cells}
    blanks = {ref for ref, v in gd.iter_cells(report) if isinstance(v, gd.Blank)}
    assert ambiguous and ambiguous <= blanks
    coverage = read_coverage(report)
    assert coverage.cells_read == 198 - len(blanks)
    assert coverage.tables_found == ALL


def test_numbers_filled_by_infer_do_not_come_from_reading() -> None:
    # Coverage is of the reading: the CLI takes it before infer (see below); on
    # the inferred report the cells hold numbers, so they count.
    report = gd.load(CORPUS / "ulanqab-2020.txt")
    assert read_coverage(gd.infer(report)).cells_read == 198


def test_a_missing_table_makes_the_report_not_ok() -> None:
    report = gd.load(CORPUS / "partial" / "P04.txt")
    coverage = read_coverage(report)
    assert coverage.tables_found == ("active",)
    assert coverage.tables_missing == ("applications", "appeals")
    assert coverage.cells_read <= len([r for r in gd.form("2021").refs() if r.table == "active"])
    result = gd.validate(report)
    assert not result.ok
    assert {f.table for f in result.errors if f.rule == "read-missing-table"} == {
        "applications", "appeals"}


def test_a_report_without_tables_is_never_ok() -> None:
    text = ("某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n本年度无申请。\n"
            "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n")
    report = gd.loads(text, "text")
    coverage = read_coverage(report)
    assert coverage.cells_read == 0 and coverage.tables_found == ()
    result = gd.validate(report)
    assert not result.ok
    assert [f.table for f in result.errors] == list(ALL)


def test_html_without_tables_is_never_ok() -> None:
    page = ("<html><body><h1>某县人民政府2022年政府信息公开工作年度报告</h1>"
            "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>无。</p></body></html>")
    report = gd.loads(page, "html")
    assert read_coverage(report).tables_found == ()
    assert not gd.validate(report).ok


def test_a_hand_built_report_counts_its_numbers() -> None:
    report = sample_report(1, "2021")
    coverage = read_coverage(report)
    assert coverage.cells_read == coverage.cells_total == len(gd.form("2021").refs())
    assert coverage.complete
    blank = gd.blank_report("2019")
    assert read_coverage(blank) == ReadCoverage(cells_read=0, cells_total=198, tables_found=ALL)
    ref = CellRef("appeals", "review", "total")
    assert read_coverage(gd.replace_cells(blank, {ref: 3})).cells_read == 1


def test_check_shows_coverage_per_report_and_in_the_summary(tmp_path: Path) -> None:
    for name in ("ulanqab-2020.txt", "pingtan-2021.txt"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    (tmp_path / "P04.txt").write_bytes((CORPUS / "partial" / "P04.txt").read_bytes())
    code, out = run("check", "--no-series", str(tmp_path))
    assert code == 1  # P04 misses two tables
    lines = out.splitlines()
    ulanqab = next(line for line in lines if line.startswith(str(tmp_path / "ulanqab")))
    assert ulanqab.endswith("读到 191/198 格（96%）")
    p04 = next(line for line in lines if line.startswith(str(tmp_path / "P04")))
    assert "未找到表三、四" in p04
    assert any(line.startswith("  读取不全") and line.endswith("1 份") for line in lines)
    assert any(line.strip().startswith(str(tmp_path / "P04.txt") + "：读到") for line in lines)
    _, out = run("check", "--no-series", "--lang", "en", str(tmp_path))
    assert "read 191 of 198 cells (96%)" in out
    assert "tables not found: applications, appeals" in out


@pytest.mark.parametrize("infer", [False, True])
def test_check_json_coverage(tmp_path: Path, infer: bool) -> None:
    path = tmp_path / "ulanqab-2020.txt"
    path.write_bytes((CORPUS / "ulanqab-2020.txt").read_bytes())
    _, out = run("check", "--json", *(["--infer"] if infer else []), str(path))
    [doc] = json.loads(out)
    assert doc["coverage"] == {"cells_read": 191, "cells_total": 198, "ratio": 0.9646,
                               "tables_found": list(ALL)}


# --- a table found but mostly unread: the report was not read ------------------------


def _long_rows(text: str) -> str:
    """``text`` with two values too many on every row of table 三: which of a
    row's nine values are its seven cannot be known, so no row can be read."""
    start = text.index(TABLE_HEADINGS["applications"])
    end = text.index(TABLE_HEADINGS["appeals"])
    rows = re.sub(r"(\d) \|\|+$", r"\1 | 1 | 1 |", text[start:end], flags=re.M)
    return text[:start] + rows + text[end:]


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_a_table_found_but_unread_makes_the_report_not_ok(edition: gd.Edition) -> None:
    report = sample_report(2, edition)
    text = gd.dumps(report, "text")
    assert "read-table-unread" not in [f.rule for f in gd.validate(gd.loads(text, "text"))]
    garbled = gd.loads(_long_rows(text), "text")
    assert read_coverage(garbled).tables_found == ALL  # found, yet not read
    result = gd.validate(garbled)
    assert not result.ok
    [finding] = [f for f in result.errors if f.rule == "read-table-unread"]
    total = len([r for r in gd.form(edition).refs() if r.table == "applications"])
    assert (finding.table, finding.actual) == ("applications", 0)
    assert f"{total} 格中只读出 0 格" in finding.message
    assert f"only 0 of its {total} cells" in finding.message_en
    # A JSON round trip keeps what the reading found.
    again = gd.loads(gd.dumps(garbled, "json"), "json")
    assert [f.rule for f in gd.validate(again).errors] == [f.rule for f in result.errors]


def test_half_a_table_read_is_a_reading() -> None:
    # The threshold: a table with exactly half its cells read is read (with
    # warnings); one cell fewer is not.
    from govdisclosure.model.coverage import unread_tables

    report = gd.loads(gd.dumps(sample_report(2, "2021"), "text"), "text")
    refs = [r for r in gd.form("2021").refs() if r.table == "appeals"]  # 15 cells

    def lose(count: int) -> gd.Report:
        lost = gd.Finding(rule="read-short-row", severity=gd.Severity.WARNING,
                          status=gd.Status.FAILED, table="appeals",
                          blanks=tuple(refs[:count]), message="", message_en="")
        blanked = gd.replace_cells(report, {ref: gd.Blank("") for ref in refs[:count]})
        return attrs.evolve(blanked, read_findings=(*report.read_findings, lost))

    assert unread_tables(lose(7)) == ()
    assert unread_tables(lose(8)) == (("appeals", 7, 15),)
    assert not gd.validate(lose(8)).ok


def test_a_template_or_built_report_is_not_judged_as_read() -> None:
    # Nothing came from a reader: a blank template or a built report is not "unread".
    for report in (gd.blank_report("2021"), gd.build_report("2019", {}, year=2020)):
        assert "read-table-unread" not in [f.rule for f in gd.validate(report)]
        assert gd.validate(report).ok


def test_check_of_a_table_with_long_rows_fails(tmp_path: Path) -> None:
    report = sample_report(2, "2021")
    path = tmp_path / "long-rows.txt"
    path.write_text(_long_rows(gd.dumps(report, "text")), "utf-8")
    code, out = run("check", str(path))
    assert code == 1
    assert "read-table-unread" in out and "表三找到了" in out


@pytest.mark.parametrize(("name", "read", "total"), [
    ("pingtan-2019.txt", 3, 22),  # table 二's numbers run together, no split certain
    ("shanghai-office-2025.md", 4, 10),  # table 二 scattered over loose lines and footers
])
def test_real_reports_whose_table_two_could_not_be_read(name: str, read: int,
                                                        total: int) -> None:
    result = gd.validate(gd.load(CORPUS / name))
    assert [(f.table, f.actual) for f in result.errors if f.rule == "read-table-unread"] == [
        ("active", read)]
    assert any(f"{total} 格中只读出 {read} 格" in f.message for f in result.errors)
    assert not result.ok
