"""export: the views of SQLite and DuckDB, and what every store keeps of a column.

``applications`` pivots table 三 (a column per applicant, reports counted once,
rows beyond the form left out) and ``series`` lists each body's reports in year
order; an empty table still has its columns; ``ok`` reads back as written in
every store.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure import Blank, CellRef
from govdisclosure.dataset import export
from govdisclosure.dataset._rows import COLUMNS
from govdisclosure.model.schema import build_report, cell_values, form
from govdisclosure.model.tables import ExtraRow
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"
APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
              "legal_services", "other", "total")


def _report(seed: int, year: int, **fields: Any) -> gd.Report:
    values = dict(zip(form("2021").refs(), cell_values(sample_report(seed, "2021")),
                      strict=True))
    return build_report("2021", values, year=year, agency="某县财政局", **fields)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("views") / "in"
    folder.mkdir()
    extra = {"applications": (ExtraRow(label="其他情况", cells=("3",) * 7),)}
    (folder / "a-2021.json").write_text(gd.dumps(_report(1, 2021, extra_rows=extra), "json"),
                                        encoding="utf-8")
    (folder / "b-2022.json").write_text(gd.dumps(_report(2, 2022), "json"), encoding="utf-8")
    # The page and its text are one report (the text a duplicate), beside 2019.
    for name in ("pingtan-2019.txt", "pingtan-2021.html", "pingtan-2021.txt"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    return folder


def _connect(out: Path, kind: str) -> Any:
    if kind == "sqlite":
        return sqlite3.connect(out)
    import duckdb

    return duckdb.connect(str(out), read_only=True)


def _rows(db: Any, sql: str) -> list[dict[str, Any]]:
    cursor = db.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.parametrize("kind", ["sqlite", "duckdb"])
def test_the_applications_view_is_table_three_wide_for_reports_counted_once(
    folder: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"out.{kind}"
    export([folder], out)
    db = _connect(out, kind)
    try:
        view = _rows(db, "SELECT * FROM applications")
        cells = _rows(db, 'SELECT c.report_id, c."row", c."column", c.value, c.state, r.status '
                      "FROM cells c JOIN reports r USING (report_id) "
                      "WHERE c.\"table\" = 'applications'")
        files = {r["report_id"]: Path(r["file"]).name
                 for r in _rows(db, "SELECT report_id, file FROM reports")}
    finally:
        db.close()
    expected: dict[tuple[int, str], dict[str, Any]] = {}
    for c in cells:
        if c["status"] == "report" and c["state"] != "extra":
            expected.setdefault((c["report_id"], c["row"]), {})[c["column"]] = c["value"]
    got = {(v["report_id"], v["row"]): {a: v[a] for a in APPLICANTS if v[a] is not None}
           for v in view}
    assert got == expected
    # The text of 2021 is the page's duplicate; the extra row is not the form's.
    assert {files[report_id] for report_id, _ in got} == {
        "a-2021.json", "b-2022.json", "pingtan-2019.txt", "pingtan-2021.html"}
    assert not any(row.startswith("extra") for _, row in got)
    report = gd.load(folder / "b-2022.json")
    (received,) = [v for v in view if files[v["report_id"]] == "b-2022.json"
                   and v["row"] == "received"]
    for applicant in APPLICANTS:
        value = gd.get_cell(report, CellRef("applications", "received", applicant))
        assert not isinstance(value, Blank)
        assert received[applicant] == value, applicant


@pytest.mark.parametrize("kind", ["sqlite", "duckdb"])
def test_the_series_view_lists_each_body_in_year_order_counted_once(
    folder: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"out.{kind}"
    export([folder], out)
    db = _connect(out, kind)
    try:
        series = {r["body"]: r for r in _rows(db, "SELECT * FROM series")}
    finally:
        db.close()
    ours = series["某县财政局"]
    assert (ours["reports"], ours["first_year"], ours["last_year"], ours["years"]) == (
        2, 2021, 2022, "2021,2022")
    assert [Path(f).name for f in ours["files"].split(",")] == ["a-2021.json", "b-2022.json"]
    pingtan = series["平潭综合实验区"]
    assert (pingtan["reports"], pingtan["years"]) == (2, "2019,2021")
    assert [Path(f).name for f in pingtan["files"].split(",")] == [
        "pingtan-2019.txt", "pingtan-2021.html"]


def test_an_empty_table_still_has_its_columns(folder: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "b-2022.json").write_bytes((folder / "b-2022.json").read_bytes())
    assert gd.validate(gd.load(clean / "b-2022.json")).findings == ()
    export([clean], tmp_path / "out")
    with (tmp_path / "out" / "findings.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [[name for name, _ in COLUMNS["findings"]]]
    import pyarrow.dataset as ds

    export([clean], tmp_path / "out.parquet")
    table = ds.dataset(tmp_path / "out.parquet" / "findings").to_table()
    assert table.num_rows == 0
    assert table.column_names == [name for name, _ in COLUMNS["findings"]]


@pytest.mark.parametrize("name", ["out", "out.sqlite", "out.parquet", "out.duckdb"])
def test_ok_reads_back_as_written_in_every_store(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = _report(3, 2021)
    values = dict(zip(form("2021").refs(), cell_values(good), strict=True))
    total = CellRef("applications", "received", "total")
    received = values[total]
    assert isinstance(received, int)
    bad = build_report("2021", {**values, total: received + 1}, year=2022, agency="另一局")
    (folder / "bad.json").write_text(gd.dumps(bad, "json"), encoding="utf-8")
    (folder / "good.json").write_text(gd.dumps(good, "json"), encoding="utf-8")
    out = tmp_path / name
    export([folder], out)
    if name == "out":
        with (out / "reports.csv").open(encoding="utf-8", newline="") as f:
            ok = {Path(r["file"]).name: r["ok"] for r in csv.DictReader(f)}
        assert ok == {"bad.json": "false", "good.json": "true"}
        return
    if name.endswith(".parquet"):
        import pyarrow.dataset as ds

        rows = ds.dataset(out / "reports").to_table().to_pylist()
    else:
        db = _connect(out, name.split(".")[1])
        try:
            rows = _rows(db, "SELECT file, ok FROM reports")
        finally:
            db.close()
    assert {Path(r["file"]).name: bool(r["ok"]) for r in rows} == {
        "bad.json": False, "good.json": True}


def test_a_csv_folder_whose_table_has_other_columns_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "reports.csv").write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(gd.GovDisclosureError, match="not a table of this export"):
        export([CORPUS / "ulanqab-2020.txt"], out)
    assert (out / "reports.csv").read_text(encoding="utf-8") == "id,name\n1,x\n"
