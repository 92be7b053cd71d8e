"""read_many (a result per file) and to_frame (pandas, long and wide)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure import Blank, CellRef
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"
APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_services",
              "other", "total")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    gd.dump(sample_report(1, "2021"), tmp_path / "a.json")
    gd.dump(sample_report(2, "2019"), tmp_path / "b.txt")
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "d.png").write_bytes(b"\x89PNG")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.txt").write_bytes((CORPUS / "ulanqab-2020.txt").read_bytes())
    return tmp_path


def test_read_many_gives_a_result_per_file_in_order(folder: Path) -> None:
    for jobs in (1, 2):
        results = list(gd.read_many([folder], jobs=jobs))
        assert [Path(r.file).relative_to(folder).as_posix() for r in results] == [
            "a.json", "b.txt", "c.json", "d.png", "sub/e.txt"]
        a, b, c, d, e = results
        assert a.ok and a.report == sample_report(1, "2021")
        assert b.ok and b.report is not None and b.report.edition == "2019"
        assert not c.ok and isinstance(c.error, gd.ReadError) and "c.json" in str(c.error)
        assert not d.ok and d.error is None and d.not_report and "no format" in d.not_report
        assert e.ok and e.report == gd.load(folder / "sub" / "e.txt")


def test_read_many_infer_fills_blanks(folder: Path) -> None:
    (plain,) = gd.read_many([folder / "sub" / "e.txt"])
    (filled,) = gd.read_many([folder / "sub" / "e.txt"], infer=True)
    assert plain.report is not None and filled.report == gd.infer(plain.report)


def test_to_frame_long_cells_equal_the_reports(folder: Path) -> None:
    results = list(gd.read_many([folder]))
    frame = gd.to_frame(results)
    assert list(frame.columns[:4]) == ["report", "body", "year", "edition"]
    read = [r for r in results if r.report is not None]
    assert sorted(set(frame["report"])) == sorted(r.file for r in read)
    for result in read:
        assert result.report is not None
        mine = frame[(frame["report"] == result.file) & (frame["state"] != "extra")]
        cells = dict(gd.iter_cells(result.report))
        assert len(mine) == len(cells)
        for row in mine.itertuples():
            value = cells[CellRef(row.table, row.row, row.column)]
            if isinstance(value, Blank):
                assert math.isnan(row.value)  # never 0
            else:
                assert row.value == float(value) and row.value_text == str(value)


def test_to_frame_wide_applications(folder: Path) -> None:
    report = sample_report(1, "2021")
    frame = gd.to_frame({"a": report, "b": sample_report(2, "2019")}, "applications",
                        wide=True)
    mine = frame[frame["report"] == "a"]
    spec = gd.form("2021").table("applications")
    assert list(mine["row"]) == [r.key for r in spec.rows]  # the form's order
    assert list(frame.columns[-7:]) == list(APPLICANTS)
    received = mine[mine["row"] == "received"].iloc[0]
    for column in APPLICANTS:
        assert received[column] == gd.get_cell(report, CellRef("applications", "received",
                                                               column))


def test_to_frame_wide_cells_one_row_per_report() -> None:
    reports = [sample_report(i, "2021") for i in range(3)]
    frame = gd.to_frame(reports, "cells", wide=True)
    assert list(frame["report"]) == ["0", "1", "2"]
    assert "appeals/review/total" in frame.columns
    refs = gd.form("2021").refs()
    assert len(frame.columns) == 4 + len(refs)
    assert frame.loc[1, "appeals/review/total"] == gd.get_cell(
        reports[1], CellRef("appeals", "review", "total"))


def test_to_frame_blank_is_nan_in_the_wide_form() -> None:
    report = gd.load(CORPUS / "ulanqab-2020.txt")
    blanks = [ref for ref, v in gd.iter_cells(report) if isinstance(v, Blank)]
    assert blanks
    frame = gd.to_frame([report], "cells", wide=True)
    ref = blanks[0]
    assert math.isnan(frame.loc[0, f"{ref.table}/{ref.row}/{ref.column}"])


def test_to_frame_reports_and_findings(folder: Path) -> None:
    results = list(gd.read_many([folder]))
    reports = gd.to_frame(results, "reports")
    assert len(reports) == 5
    bad = reports[reports["report"].str.endswith("c.json")].iloc[0]
    assert bad["problem"] and not bad["ok"]
    good = reports[reports["report"].str.endswith("a.json")].iloc[0]
    assert good["ok"] and good["coverage"] == 1.0
    findings = gd.to_frame(results, "findings")
    ulanqab = findings[findings["report"].str.endswith("e.txt")]
    assert set(ulanqab["rule"]) >= {"D1"}
    assert {"rule", "severity", "status", "message", "expected", "actual"} <= set(
        findings.columns)


def test_to_frame_refuses_what_it_cannot_do() -> None:
    with pytest.raises(ValueError, match="unknown table"):
        gd.to_frame([], "nosuch")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no wide form"):
        gd.to_frame([], "findings", wide=True)


def test_to_frame_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"govdisclosure\[pandas\]"):
        gd.to_frame([sample_report(1)])


def test_one_path_alone_is_one_path(folder: Path, tmp_path: Path) -> None:
    assert [r.file for r in gd.read_many(str(folder))] == [
        r.file for r in gd.read_many([folder])]
    assert gd.export(folder / "a.json", tmp_path / "out").added == 1
