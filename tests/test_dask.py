"""govdisclosure.dask on Dask's local scheduler: the same rows as the local export."""

from __future__ import annotations

import math
import sqlite3
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.dataset._rows import COLUMNS
from govdisclosure.testing.samples import sample_report, sample_reports

dask = pytest.importorskip("dask")
gdd = pytest.importorskip("govdisclosure.dask")

#: A cell that infer fills from its identity (I2: the row's total).
BLANKED = gd.CellRef("applications", "granted", "research")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dask") / "reports"
    (root / "sub").mkdir(parents=True)
    for i, report in enumerate(sample_reports(30, seed=4_000)):
        report = attrs.evolve(report, agency=f"某县第{i}局", title=None)
        fmt, suffix = (("text", ".txt") if i % 3 == 0 else ("json", ".json"))
        where = root / "sub" if i % 4 == 0 else root
        (where / f"r{i:03d}{suffix}").write_text(gd.dumps(report, fmt), encoding="utf-8")
    (root / "junk.json").write_text("{not json", encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG")
    (root / ".hidden.txt").write_text("skipped", encoding="utf-8")
    # A report in a hidden folder is skipped as check skips it; a report that
    # fails its rules and one with a blank cell infer fills have their rows too.
    (root / ".cache").mkdir()
    (root / ".cache" / "r900.txt").write_text(gd.dumps(sample_report(900), "text"), "utf-8")
    report = attrs.evolve(sample_report(901), agency="某县第901局", title=None)
    total = gd.CellRef("appeals", "review", "total")
    value = gd.get_cell(report, total)
    assert isinstance(value, int)
    (root / "broken.json").write_text(
        gd.dumps(gd.replace_cells(report, {total: value + 7}), "json"), encoding="utf-8")
    blanked = attrs.evolve(sample_report(902), agency="某县第902局", title=None)
    (root / "blank.json").write_text(
        gd.dumps(gd.replace_cells(blanked, {BLANKED: gd.Blank("")}), "json"), encoding="utf-8")
    return root


def _normal(value: Any) -> Any:
    if value is None or value is getattr(sys.modules.get("pandas"), "NA", object()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _rows(frame: Any) -> list[tuple[Any, ...]]:
    return [tuple(_normal(v) for v in row) for row in frame.itertuples(index=False)]


def test_dask_tables_hold_the_rows_of_the_local_export(folder: Path, tmp_path: Path) -> None:
    tables = gdd.read_many(str(folder), files_per_partition=7)
    assert tables.cells.npartitions == 5  # 34 files, 7 a partition
    reports, cells, findings = dask.compute(tables.reports, tables.cells, tables.findings,
                                            scheduler="threads")
    out = tmp_path / "local.sqlite"
    gd.export([folder], out, series=False)
    with sqlite3.connect(out) as db:
        local = {t: db.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
                 for t in COLUMNS}
    assert list(reports.columns) == [name for name, _ in COLUMNS["reports"]]
    assert _rows(reports) == [tuple(_normal(v) for v in row) for row in local["reports"]]
    assert _rows(cells) == [tuple(_normal(v) for v in row) for row in local["cells"]]
    assert _rows(findings) == [tuple(_normal(v) for v in row) for row in local["findings"]]
    status = dict(zip(reports["file"].map(lambda f: Path(f).name), reports["status"],
                      strict=True))
    assert status["junk.json"] == "unreadable" and status["photo.png"] == "not-report"
    assert ".hidden.txt" not in status and "r900.txt" not in status
    assert status["broken.json"] == "report"
    broken = reports[reports["file"].map(lambda f: Path(f).name) == "broken.json"]
    assert not broken["ok"].iloc[0] and broken["errors"].iloc[0] > 0
    assert len(cells[cells["report_id"] == broken["report_id"].iloc[0]]) > 0


def test_infer_and_lang_reach_every_partition(folder: Path, tmp_path: Path) -> None:
    tables = gdd.read_many(str(folder), infer=True, lang="en", files_per_partition=5)
    reports, cells, findings = dask.compute(tables.reports, tables.cells, tables.findings,
                                            scheduler="synchronous")
    out = tmp_path / "local.sqlite"
    gd.export([folder], out, series=False, infer=True, lang="en")
    with sqlite3.connect(out) as db:
        local = {t: db.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
                 for t in COLUMNS}
    assert _rows(cells) == [tuple(_normal(v) for v in row) for row in local["cells"]]
    assert _rows(findings) == [tuple(_normal(v) for v in row) for row in local["findings"]]
    blank = reports[reports["file"].map(lambda f: Path(f).name) == "blank.json"]
    mine = cells[cells["report_id"] == blank["report_id"].iloc[0]]
    filled = mine[(mine["table"] == BLANKED.table) & (mine["row"] == BLANKED.row)
                  & (mine["column"] == BLANKED.column)]
    assert list(filled["state"]) == ["inferred"]
    messages = list(findings["message"])
    assert messages and not any("表" in m for m in messages)  # English, as asked


def test_frames_have_the_declared_column_types(folder: Path) -> None:
    # The partitions' column types are the declared ones (meta), not what
    # pandas would guess from each partition's values.
    tables = gdd.read_many(str(folder), files_per_partition=9)
    types = {"int": "Int64", "float": "float64", "text": "string", "bool": "boolean"}
    for table, frame in zip(("reports", "cells", "findings"), dask.compute(
            tables.reports, tables.cells, tables.findings, scheduler="synchronous"),
            strict=True):
        want = [types[kind] for _, kind in COLUMNS[table]]
        assert [str(t) for t in frame.dtypes] == want, table
        lazy = getattr(tables, table)
        assert [str(t) for t in lazy.dtypes] == want, table


def test_a_folder_is_read_in_path_order_whatever_the_listing_order(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fsspec.implementations.local import LocalFileSystem  # type: ignore[import-untyped]

    real = LocalFileSystem.find

    def find(self: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        return list(reversed(list(real(self, path, *args, **kwargs))))

    monkeypatch.setattr(LocalFileSystem, "find", find)
    reports = gdd.read_many(str(folder), files_per_partition=4).reports.compute(
        scheduler="synchronous")
    files = list(reports["file"])
    assert len(files) == 34 and files == sorted(files)
    assert list(reports["report_id"]) == list(range(1, 35))


def test_a_file_that_cannot_be_read_is_a_reports_row(folder: Path) -> None:
    missing = folder / "gone.txt"
    reports = gdd.read_many([str(folder / "r001.json"), str(missing)]).reports.compute(
        scheduler="synchronous")
    row = reports[reports["file"] == str(missing)].iloc[0]
    assert row["status"] == "unreadable"
    assert "无法读取" in row["problem"] and "内部错误" not in row["problem"]


def test_cells_equal_load_and_partitions_compute_alone(folder: Path) -> None:
    tables = gdd.read_many([str(folder / "r001.json"), str(folder / "sub" / "*.txt")],
                           files_per_partition=2)
    cells = tables.cells.compute(scheduler="synchronous")
    reports = tables.reports.compute(scheduler="synchronous")
    files = dict(zip(reports["report_id"], reports["file"], strict=True))
    assert Path(files[1]).name == "r001.json"
    assert all(Path(f).suffix == ".txt" for i, f in files.items() if i > 1)
    for report_id, file in files.items():
        report = gd.load(file)
        mine = cells[cells["report_id"] == report_id]
        got = {(r.table, r.row, r.column): r.value_text for r in mine.itertuples()}
        want = {tuple(ref): (None if isinstance(v, gd.Blank) else str(v))
                for ref, v in gd.iter_cells(report)}
        assert {k: _normal(v) for k, v in got.items()} == want


def test_an_empty_folder_gives_empty_frames(tmp_path: Path) -> None:
    tables = gdd.read_many(str(tmp_path))
    assert len(tables.cells.compute(scheduler="synchronous")) == 0
    assert list(tables.findings.columns) == [name for name, _ in COLUMNS["findings"]]


def test_without_dask_the_extra_is_named(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ImportError, match=r"govdisclosure\[dask\]"):
        gdd.read_many(str(folder))
