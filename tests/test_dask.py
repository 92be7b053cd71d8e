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
from govdisclosure.testing.samples import sample_reports

dask = pytest.importorskip("dask")
gdd = pytest.importorskip("govdisclosure.dask")


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
    assert tables.cells.npartitions == 5  # 32 files, 7 a partition
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
    assert ".hidden.txt" not in status


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
