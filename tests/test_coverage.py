"""``read_coverage`` and ``ok``: a report is ok only when its three tables were found."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure import CellRef, ReadCoverage, read_coverage
from govdisclosure.cli import main
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
    assert any(line.strip().startswith(str(tmp_path / "P04.txt") + ": 读到") for line in lines)
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
