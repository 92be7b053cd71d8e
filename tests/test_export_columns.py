"""export: what each column of reports, cells and findings holds, value by value.

The round trip of test_export.py checks numbers; these check the columns a
user filters and joins on: a cell's state, position and labels, the counts
and names of the reports row, the series findings and what an export run
again adds. One small folder, exported once to SQLite for the module.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure import Blank, CellRef
from govdisclosure.dataset import export
from govdisclosure.model.schema import build_report, cell_values, form
from govdisclosure.model.tables import ExtraRow
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"
AGENCY = "某县 财政局"  # its body key has no space
BODY = "某县财政局"


def _report(seed: int, year: int, changes: dict[CellRef, Any], **fields: Any) -> gd.Report:
    values = dict(zip(form("2021").refs(), cell_values(sample_report(seed, "2021")),
                      strict=True))
    values.update(changes)
    return build_report("2021", values, year=year, agency=AGENCY, **fields)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("columns") / "in"
    folder.mkdir()
    first = _report(1, 2021, {
        CellRef("applications", "received", "commercial"): Blank("—"),
        CellRef("applications", "received", "research"): Blank("见附件"),
        CellRef("applications", "received", "other"): Blank(""),
    }, extra_rows={"applications": (ExtraRow(label="其他情况", cells=("3", "见说明")),)})
    # Two years of one body whose numbers do not carry over: series findings.
    (folder / "a-2021.json").write_text(gd.dumps(first, "json"), encoding="utf-8")
    (folder / "b-2022.json").write_text(gd.dumps(_report(2, 2022, {}), "json"),
                                        encoding="utf-8")
    # Warnings without infos, and an info without warnings.
    for name in ("pingtan-2019.txt", "hebei-edu-2019.txt"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    return folder


def _rows(db: sqlite3.Connection, sql: str, *args: Any) -> list[dict[str, Any]]:
    cursor = db.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def store(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store") / "out.sqlite"
    export([folder], out)
    return out


@pytest.fixture
def db(store: Path) -> Any:
    with sqlite3.connect(store) as connection:
        yield connection


def _report_id(db: sqlite3.Connection, name: str) -> int:
    (row,) = _rows(db, "SELECT report_id FROM reports WHERE file LIKE ?", f"%{name}")
    return int(row["report_id"])


def test_a_mark_for_nothing_is_blank_and_other_text_is_unreadable(db: Any) -> None:
    report_id = _report_id(db, "a-2021.json")
    cells = {r["column"]: r for r in _rows(
        db, "SELECT * FROM cells WHERE report_id = ? AND \"table\" = 'applications' "
        "AND \"row\" = 'received'", report_id)}
    assert (cells["commercial"]["state"], cells["commercial"]["printed"]) == ("blank", "—")
    assert (cells["other"]["state"], cells["other"]["printed"]) == ("blank", "")
    assert (cells["research"]["state"], cells["research"]["printed"]) == (
        "unreadable", "见附件")
    for column in ("commercial", "research", "other"):
        assert cells[column]["value"] is None and cells[column]["value_text"] is None
    assert cells["natural_person"]["state"] == "printed"


def test_positions_follow_the_form_then_the_extra_rows(db: Any) -> None:
    report_id = _report_id(db, "a-2021.json")
    rows = _rows(db, 'SELECT "table", "row", "column", position, printed, state, row_label '
                 "FROM cells WHERE report_id = ? ORDER BY position", report_id)
    refs = form("2021").refs()
    assert [r["position"] for r in rows] == list(range(len(refs) + 2))
    assert [CellRef(r["table"], r["row"], r["column"]) for r in rows[:len(refs)]] == list(refs)
    extra = [(r["table"], r["row"], r["column"], r["printed"], r["state"], r["row_label"])
             for r in rows[len(refs):]]
    assert extra == [
        ("applications", "extra.1", "1", "3", "extra", "其他情况"),
        ("applications", "extra.1", "2", "见说明", "extra", "其他情况"),
    ]


def test_cells_carry_the_group_and_the_row_label_of_the_form(db: Any) -> None:
    report_id = _report_id(db, "b-2022.json")
    spec = form("2021")
    grouped = [(t.key, row) for t in spec.tables for row in t.rows if row.group_label]
    assert grouped
    for table, row in grouped:
        cells = _rows(db, "SELECT table_label, group_label, row_label, column_label "
                      'FROM cells WHERE report_id = ? AND "table" = ? AND "row" = ?',
                      report_id, table, row.key)
        assert {(c["group_label"], c["row_label"]) for c in cells} == {
            (row.group_label, row.label)}, row.key
        assert [c["column_label"] for c in cells] == [c.label for c in row.columns]


def test_the_reports_row_keeps_the_body_key_apart_from_the_name_printed(db: Any) -> None:
    (row,) = _rows(db, "SELECT body, agency FROM reports WHERE file LIKE '%b-2022.json'")
    assert row == {"body": BODY, "agency": AGENCY}


def test_the_reports_row_counts_cells_read_of_the_form(db: Any) -> None:
    report = gd.load(next(p for p in _files(db) if p.endswith("a-2021.json")))
    coverage = gd.read_coverage(report)
    (row,) = _rows(db, "SELECT coverage, cells_read, cells_total FROM reports "
                   "WHERE file LIKE '%a-2021.json'")
    assert (row["cells_read"], row["cells_total"]) == (coverage.cells_read,
                                                       coverage.cells_total)
    assert row["cells_read"] == row["cells_total"] - 3  # the three blanks
    assert row["coverage"] == pytest.approx(coverage.ratio, abs=1e-6)


def _files(db: sqlite3.Connection) -> list[str]:
    return [r["file"] for r in _rows(db, "SELECT file FROM reports")]


def test_the_reports_row_counts_findings_by_severity(db: Any) -> None:
    counted: dict[str, tuple[int, int, int, int]] = {}
    for report in _rows(db, "SELECT * FROM reports"):
        findings = _rows(db, "SELECT severity, status FROM findings WHERE report_id = ?",
                         report["report_id"])
        failed = [f["severity"] for f in findings if f["status"] == "failed"]
        expected = (failed.count("error"), failed.count("warning"), failed.count("info"),
                    sum(1 for f in findings if f["status"] == "not_assessable"))
        got = (report["errors"], report["warnings"], report["infos"],
               report["not_assessable"])
        assert got == expected, report["file"]
        counted[Path(report["file"]).name] = got
    # The folder holds a report with warnings and no info, and one the other way.
    assert counted["pingtan-2019.txt"][1] > 0 == counted["pingtan-2019.txt"][2]
    assert counted["hebei-edu-2019.txt"][2] > 0 == counted["hebei-edu-2019.txt"][1]


def test_series_findings_name_the_body_and_both_files(db: Any) -> None:
    findings = _rows(db, "SELECT * FROM findings WHERE series IS NOT NULL")
    assert {f["rule"] for f in findings} >= {"X1"}
    files = sorted(f for f in _files(db) if Path(f).name in ("a-2021.json", "b-2022.json"))
    for finding in findings:
        assert finding["report_id"] is None and finding["file"] is None
        assert finding["series"] == BODY
        assert json.loads(finding["reports"]) == files


def test_findings_of_one_report_name_no_series_and_no_reports(db: Any) -> None:
    findings = _rows(db, "SELECT * FROM findings WHERE report_id IS NOT NULL")
    assert findings
    for finding in findings:
        assert finding["series"] is None and finding["reports"] is None
        assert finding["file"] in _files(db)


def test_exporting_the_same_folder_again_adds_nothing(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.sqlite"
    first = export([folder], out)
    assert (first.added, first.skipped) == (4, 0)
    with sqlite3.connect(out) as db:
        before = {t: _rows(db, f"SELECT * FROM {t}") for t in ("reports", "findings")}
    again = export([folder], out)
    assert (again.added, again.skipped) == (0, 4)
    with sqlite3.connect(out) as db:
        after = {t: _rows(db, f"SELECT * FROM {t}") for t in ("reports", "findings")}
    assert after == before  # no series finding written twice
    ids = [r["report_id"] for r in before["reports"]]
    assert sorted(ids) == [1, 2, 3, 4]


def test_a_new_year_of_a_body_writes_its_series_findings_again(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "grow.sqlite"
    export([folder / "a-2021.json"], out)
    with sqlite3.connect(out) as db:
        assert _rows(db, "SELECT * FROM findings WHERE series IS NOT NULL") == []
    grown = export([folder / "a-2021.json", folder / "b-2022.json"], out)
    assert (grown.added, grown.skipped) == (1, 1)
    with sqlite3.connect(out) as db:
        series = _rows(db, "SELECT rule FROM findings WHERE series IS NOT NULL")
        ids = [r["report_id"] for r in _rows(db, "SELECT report_id FROM reports")]
    assert series and sorted(ids) == [1, 2]


def test_the_same_bytes_twice_in_one_run_are_stored_once(folder: Path, tmp_path: Path) -> None:
    twice = tmp_path / "twice"
    twice.mkdir()
    data = (folder / "b-2022.json").read_bytes()
    (twice / "one.json").write_bytes(data)
    (twice / "copy.json").write_bytes(data)
    out = tmp_path / "twice.sqlite"
    result = export([twice], out)
    assert (result.added, result.skipped) == (1, 1)
    with sqlite3.connect(out) as db:
        files = [Path(f).name for f in _files(db)]
        (cells,) = db.execute("SELECT COUNT(*) FROM cells").fetchone()
    assert files == ["copy.json"]  # the first in path order
    assert cells == len(form("2021").refs())
