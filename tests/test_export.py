"""export: a folder of reports into reports/cells/findings in every store, round trip.

Every store (CSV, SQLite, Parquet, DuckDB) exports the same folder of 1,000
generated reports, generated once for the module, and is checked cell by cell
against ``load`` of each file (loaded once for the module); exporting the folder
again must add nothing. An interrupted export leaves every store as it was.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import Blank
from govdisclosure.cli import main
from govdisclosure.dataset import export
from govdisclosure.dataset._rows import COLUMNS
from govdisclosure.testing.samples import sample_reports

CORPUS = Path(__file__).parent / "corpus"
_FORMATS = (("json", ".json"), ("text", ".txt"), ("json", ".json"))


def _generate(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for i, report in enumerate(sample_reports(count, seed=12_000)):
        # Bodies of one or two years, so that some series form.
        body = f"某县第{i // 2}局"
        year = 2021 + i % 2
        report = attrs.evolve(report, agency=body, year=year, title=None)
        fmt, suffix = _FORMATS[i % len(_FORMATS)]
        (folder / f"r{i:05d}{suffix}").write_text(gd.dumps(report, fmt), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("export") / "reports", 1000)


Expected = dict[str, list[tuple[tuple[str, str, str], Any]]]


@pytest.fixture(scope="module")
def expected(thousand: Path) -> Expected:
    """Each file's cells as ``load`` reads them, for every store's round trip."""
    return {str(path): [((r.table, r.row, r.column), v) for r, v in gd.iter_cells(gd.load(path))]
            for path in sorted(thousand.iterdir())}


# --- reading a store back -------------------------------------------------------------


def _csv_rows(folder: Path, table: str) -> list[dict[str, Any]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    types = dict(COLUMNS[table])
    for row in rows:
        for name, text in row.items():
            if text == "" and types[name] != "text":
                row[name] = None
            elif types[name] == "int":
                row[name] = int(text)
            elif types[name] == "float":
                row[name] = float(text)
            elif types[name] == "bool":
                row[name] = text == "true"
    return rows


def _sql_rows(connect: Any, table: str) -> list[dict[str, Any]]:
    cursor = connect.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _read_store(out: Path, kind: str) -> dict[str, list[dict[str, Any]]]:
    if kind == "csv":
        return {t: _csv_rows(out, t) for t in COLUMNS}
    if kind == "sqlite":
        with sqlite3.connect(out) as db:
            return {t: _sql_rows(db, t) for t in COLUMNS}
    if kind == "duckdb":
        import duckdb

        duck = duckdb.connect(str(out), read_only=True)
        try:
            return {t: _sql_rows(duck, t) for t in COLUMNS}
        finally:
            duck.close()
    import pyarrow.dataset as ds

    return {t: ds.dataset(out / t).to_table().to_pylist() for t in COLUMNS}


def _cells_by_file(store: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    files = {r["report_id"]: r["file"] for r in store["reports"]}
    out: dict[str, list[dict[str, Any]]] = {}
    for cell in store["cells"]:
        out.setdefault(files[cell["report_id"]], []).append(cell)
    return out


def _assert_round_trip(store: dict[str, list[dict[str, Any]]], expected: Expected) -> None:
    by_file = _cells_by_file(store)
    assert sorted(by_file) == sorted(expected)
    for path, refs in expected.items():
        cells = {(c["table"], c["row"], c["column"]): c for c in by_file[path]
                 if c["state"] != "extra"}
        assert len(cells) == len(refs), path
        for ref, value in refs:
            cell = cells[ref]
            if isinstance(value, Blank):
                assert cell["value"] is None or math.isnan(cell["value"]), (path, ref)
                assert cell["value_text"] is None, (path, ref)
                assert cell["printed"] == value.printed, (path, ref)
                assert cell["state"] in ("blank", "unreadable"), (path, ref)
            else:
                assert cell["value_text"] == str(value), (path, ref)
                assert cell["value"] == float(value), (path, ref)
                assert cell["state"] == "printed", (path, ref)


def _round_trip(folder: Path, out: Path, kind: str, expected: Expected) -> None:
    files = sorted(folder.iterdir())
    first = export([folder], out, jobs=2)
    assert (first.kind, first.added, first.skipped) == (kind, len(files), 0)
    store = _read_store(out, kind)
    assert [r["report_id"] for r in store["reports"]] == list(range(1, len(files) + 1))
    assert [r["file"] for r in store["reports"]] == [str(p) for p in files]
    assert all(r["status"] == "report" and r["ok"] for r in store["reports"])
    assert all(len(r["content_hash"]) == 64 for r in store["reports"])
    _assert_round_trip(store, expected)
    # Series findings came too (the bodies have two years): no report_id, a body.
    series = [f for f in store["findings"] if f["report_id"] is None]
    assert all(f["series"] for f in series)
    again = export([folder], out, jobs=2)
    assert (again.added, again.skipped) == (0, len(files))
    after = _read_store(out, kind)
    assert {t: len(rows) for t, rows in after.items()} == {
        t: len(rows) for t, rows in store.items()}


@pytest.mark.parametrize("name", ["out", "out.sqlite", "out.parquet", "out.duckdb"])
def test_round_trip_of_1000_reports_and_again(
    thousand: Path, expected: Expected, tmp_path: Path, name: str
) -> None:
    kind = name.split(".")[1] if "." in name else "csv"
    _round_trip(thousand, tmp_path / name, kind, expected)
    if kind == "parquet":
        parts = sorted(p.name for p in (tmp_path / name / "cells").iterdir())
        assert parts == ["part-00000.parquet"]  # the append added nothing, not even a part
    if kind in ("sqlite", "duckdb"):
        _check_views(thousand, tmp_path / name, kind)


def _check_views(folder: Path, out: Path, kind: str) -> None:
    if kind == "sqlite":
        db: Any = sqlite3.connect(out)
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"reports_content_hash", "cells_report_id", "findings_rule"} <= indexes
    else:
        import duckdb

        db = duckdb.connect(str(out), read_only=True)
    try:
        wide = db.execute(
            "SELECT natural_person, total FROM applications a JOIN reports r "
            "USING (report_id) WHERE r.file = ? AND a.row = 'received'",
            (str(folder / "r00000.json"),)).fetchall()
        (series,) = db.execute("SELECT COUNT(*) FROM series WHERE reports = 2").fetchone()
        (rows,) = db.execute("SELECT COUNT(*) FROM applications").fetchone()
        editions = [e for (e,) in db.execute("SELECT edition FROM reports").fetchall()]
    finally:
        db.close()
    report = gd.load(folder / "r00000.json")
    assert [tuple(w) for w in wide] == [
        tuple(gd.get_cell(report, gd.CellRef("applications", "received", c))
              for c in ("natural_person", "total"))]
    assert series == 500  # 1,000 reports, a body for each two years
    assert rows == sum(len(gd.form(e).table("applications").rows) for e in editions)


# --- an interrupted export ---------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (temporary files included) and its bytes."""
    if not root.exists():
        return {}
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["out", "out.sqlite", "out.parquet", "out.duckdb"])
def test_an_interrupted_export_leaves_the_store_as_it_was(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govdisclosure.dataset._stores as stores

    monkeypatch.setattr(stores, "BATCH", 1)  # rows are written file by file
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "ulanqab-2020.txt").write_bytes((CORPUS / "ulanqab-2020.txt").read_bytes())
    for file in ("pingtan-2019.txt", "pingtan-finance-2020.txt", "pingtan-2021.html"):
        (second / file).write_bytes((CORPUS / file).read_bytes())
    kind = name.split(".")[1] if "." in name else "csv"
    seen: list[str] = []

    def interrupt(file: str) -> None:
        seen.append(file)
        if len(seen) == 3:  # two reports' rows are written by now
            raise KeyboardInterrupt

    # A new store that is interrupted does not appear at all.
    out = tmp_path / name
    with pytest.raises(KeyboardInterrupt):
        export([second], out, progress=interrupt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    # An existing store is left as it was, byte for byte, with no temporary file.
    export([first], out)
    before = _snapshot(out)
    seen.clear()
    with pytest.raises(KeyboardInterrupt):
        export([second], out, progress=interrupt)
    assert len(seen) == 3
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a", "b", name])
    store = _read_store(out, kind)
    assert [Path(r["file"]).name for r in store["reports"]] == ["ulanqab-2020.txt"]
    # And the next run adds the lot.
    assert export([second], out).added == 3


# --- what is in the tables -------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("pingtan-2019.txt", "pingtan-2021.txt", "pingtan-2021.html",
                 "pingtan-finance-2020.txt", "ulanqab-2020.txt", "SOURCES.md"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    (folder / "expected.csv").write_text("table,row,column,value\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    (folder / "junk.json").write_text("{not json", encoding="utf-8")
    return folder


def test_every_file_gets_a_reports_row_with_its_status(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = export([mixed], out, lang="en")
    store = _read_store(out, "csv")
    # (In CSV an empty field is a null.)
    status = {Path(r["file"]).name: (r["status"], r["duplicate_of"] or None)
              for r in store["reports"]}
    assert status == {
        "SOURCES.md": ("not-report", None),
        "expected.csv": ("not-report", None),
        "junk.json": ("unreadable", None),
        "photo.png": ("not-report", None),
        "pingtan-2019.txt": ("report", None),
        "pingtan-2021.html": ("report", None),
        "pingtan-2021.txt": ("duplicate", str(mixed / "pingtan-2021.html")),
        "pingtan-finance-2020.txt": ("report", None),
        "ulanqab-2020.txt": ("report", None),
    }
    problems = {Path(r["file"]).name: r["problem"] for r in store["reports"]}
    assert "no format reads" in problems["photo.png"]
    assert "junk.json" in problems["junk.json"]
    assert result.summary.not_reports and result.summary.duplicates
    # The non-reports are in the summary too, and an append skips them.
    lines = "\n".join(result.lines("en"))
    assert "not reports: 3" in lines and "photo.png" in lines
    assert export([mixed], out).added == 0


def test_the_series_view_names_the_bodies_in_the_titles(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    export([mixed], out)
    with sqlite3.connect(out) as db:
        series = db.execute("SELECT body, reports, years FROM series ORDER BY body").fetchall()
    assert series == [
        ("乌兰察布市政府办公室", 1, "2020"),
        ("平潭综合实验区", 2, "2019,2021"),  # the page and the text of 2021 count once
        ("平潭综合实验区财政金融局", 1, "2020"),
    ]


def test_cells_are_tidy_with_states_and_chinese_labels(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    export([mixed / "ulanqab-2020.txt"], out)
    report = gd.load(mixed / "ulanqab-2020.txt")
    with sqlite3.connect(out) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute('SELECT * FROM cells ORDER BY position').fetchall()
        (reports,) = db.execute("SELECT * FROM reports").fetchall()
    assert reports["body"] == "乌兰察布市政府办公室"
    assert reports["edition"] == "2019" and reports["year"] == 2020
    assert 0 < reports["coverage"] <= 1 and reports["format"] == "text"
    first = rows[0]
    assert first["table_label"] == "二、主动公开政府信息情况"
    assert first["column_label"] and first["row_label"]
    blanks = [r for r in rows if r["state"] in ("blank", "unreadable")]
    for row in blanks:
        value = gd.get_cell(report, gd.CellRef(row["table"], row["row"], row["column"]))
        assert isinstance(value, Blank) and row["value"] is None
    lines = {r["line"] for r in rows if r["state"] == "printed"}
    assert None not in lines  # every printed cell has its source line


def test_inferred_cells_are_marked(tmp_path: Path) -> None:
    report = gd.load(CORPUS / "ulanqab-2020.txt")
    inferred = gd.infer(report)
    filled = [ref for ref, v in gd.iter_cells(inferred)
              if isinstance(gd.get_cell(report, ref), Blank) and not isinstance(v, Blank)]
    assert filled
    out = tmp_path / "out"
    export([CORPUS / "ulanqab-2020.txt"], out, infer=True)
    cells = {(c["table"], c["row"], c["column"]): c for c in _read_store(out, "csv")["cells"]}
    for ref in filled:
        cell = cells[(ref.table, ref.row, ref.column)]
        assert cell["state"] == "inferred"
        assert cell["printed"] is None or cell["printed"] == ""


def test_findings_have_the_keys_of_check_json(tmp_path: Path) -> None:
    path = CORPUS / "ulanqab-2020.txt"
    out = tmp_path / "out"
    export([path], out)
    stored = [f for f in _read_store(out, "csv")["findings"] if f["report_id"] == 1]
    buffer = io.StringIO()
    main(["check", "--json", str(path)], buffer, io.StringIO())
    (document,) = json.loads(buffer.getvalue())
    assert len(stored) == len(document["findings"])
    for row, finding in zip(stored, document["findings"], strict=True):
        for key in ("rule", "severity", "status", "table", "row", "column", "message"):
            assert (row[key] or None) == finding[key], key
        assert row["line"] == finding["line"]
        for key in ("expected", "actual"):
            assert (row[key] or None) == (None if finding[key] is None else str(finding[key]))


def test_a_store_that_is_not_an_export_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(gd.GovDisclosureError, match="holds other files"):
        export([CORPUS / "ulanqab-2020.txt"], other)
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database", encoding="utf-8")
    code = main(["export", str(CORPUS / "ulanqab-2020.txt"), "-o", str(bad)],
                io.StringIO(), err := io.StringIO())
    assert code == 2 and "不是 SQLite 导出文件" in err.getvalue()
    code = main(["export", str(CORPUS / "ulanqab-2020.txt"), "-o", str(bad), "--lang", "en"],
                io.StringIO(), err := io.StringIO())
    assert code == 2 and "not an SQLite export" in err.getvalue()


def test_a_missing_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A module set to None in sys.modules cannot be imported: as if not installed.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(gd.GovDisclosureError, match=r"pip install 'govdisclosure\[parquet\]'"):
        export([CORPUS / "ulanqab-2020.txt"], tmp_path / "x.parquet")


def test_export_command(tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    buffer = io.StringIO()
    code = main(["--lang", "en", "export", "--jobs", "1", str(CORPUS), "-o", str(out)],
                buffer, io.StringIO())
    assert code == 0
    assert f"exported to {out} (sqlite):" in buffer.getvalue()
    assert "series 平潭综合实验区: 2019, 2021" in buffer.getvalue()


@pytest.mark.parametrize("name", ["out", "out.sqlite", "out.parquet", "out.duckdb"])
def test_a_second_folder_is_added_to_the_store(tmp_path: Path, name: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for folder, files in ((first, ("ulanqab-2020.txt",)),
                          (second, ("ulanqab-2020.txt", "pingtan-2019.txt"))):
        for file in files:
            (folder / file).write_bytes((CORPUS / file).read_bytes())
    out = tmp_path / name
    kind = name.split(".")[1] if "." in name else "csv"
    assert export([first], out).added == 1
    again = export([second], out)
    assert (again.added, again.skipped) == (1, 1)  # the same ulanqab bytes are there
    store = _read_store(out, kind)
    assert sorted((r["report_id"], Path(r["file"]).name) for r in store["reports"]) == [
        (1, "ulanqab-2020.txt"), (2, "pingtan-2019.txt")]
    assert {c["report_id"] for c in store["cells"]} == {1, 2}
