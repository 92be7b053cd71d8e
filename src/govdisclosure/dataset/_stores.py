"""Where an export goes: a folder of CSV files, SQLite, Parquet or DuckDB.

Each store takes rows of the three tables (:data:`._rows.COLUMNS`) a batch at
a time, so memory stays flat however many reports there are, and knows the
content hashes it already holds, so that exporting a folder again adds only
what is new. The optional stores import their package when opened and say
which extra to install when it is missing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from .._files import replacing, strerror_zh, sync_folder
from ..errors import GovDisclosureError, MissingExtra
from ._rows import COLUMNS
from ._sql import (
    DUCK_TYPES,
    INDEXES,
    SQL_TYPES,
    applications_view_sql,
    ddl,
    series_view_sql,
    sqlite_series_view,
)

__all__ = ["STORE_KINDS", "Store", "open_store", "store_kind"]

Row = Sequence[Any]

#: Rows kept before they are written: enough to make writing cheap, few enough
#: to keep memory flat (a report has about 250 cells).
BATCH = 20_000


class ExportError(GovDisclosureError, ValueError):
    """An export cannot be written where it was asked to go."""


class Store(Protocol):
    """What :func:`govdisclosure.export` writes to."""

    #: ``csv``, ``sqlite``, ``parquet`` or ``duckdb``.
    kind: str

    def known(self) -> set[str]:
        """Keys of the files already held: content hashes, and ``file:PATH`` for
        files whose bytes were never read (no format reads them)."""

    def next_id(self) -> int:
        """The first free ``report_id``."""

    def add(self, table: str, rows: Iterable[Row]) -> None:
        """Add rows to ``table`` (written a batch at a time)."""

    def close(self) -> None:
        """Write what is pending and finish (indexes, views): the run's rows appear."""

    def abort(self) -> None:
        """Drop this run's rows: the store is left as it was before the run (a
        store the run created is removed)."""


#: File name endings that choose a store; anything else is a folder of CSV files.
STORE_KINDS = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite",
               ".parquet": "parquet", ".duckdb": "duckdb"}


def store_kind(out: str) -> str:
    """The kind of store ``out`` names, by its ending (a folder of CSV files by default)."""
    return STORE_KINDS.get(Path(out).suffix.lower(), "csv")


def open_store(out: str, kind: str | None = None) -> Store:
    """Open (or create) the store at ``out``."""
    kind = kind or store_kind(out)
    if kind == "csv":
        return CsvStore(out)
    if kind == "sqlite":
        return SqliteStore(out)
    if kind == "parquet":
        return ParquetStore(out)
    if kind == "duckdb":
        return DuckdbStore(out)
    raise ExportError(f"unknown store {kind!r}: expected csv, sqlite, parquet or duckdb",
                      zh=f"未知的存储类型 {kind!r}：应为 csv、sqlite、parquet 或 duckdb")


def _needs(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"writing {extra}", f"the {module} package", extra,
                           what_zh=f"写出 {extra}") from None


def _names(table: str) -> list[str]:
    return [name for name, _ in COLUMNS[table]]


def _remove(path: str, *companions: str) -> None:
    """Remove a file a failed run created, with its companions (``-wal`` etc.)."""
    for name in (path, *(path + c for c in companions)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _key(content_hash: str | None, file: str) -> str:
    return content_hash if content_hash else f"file:{file}"


class _Buffered:
    """Rows kept per table until a batch is full."""

    def __init__(self) -> None:
        self._pending: dict[str, list[Row]] = {t: [] for t in COLUMNS}

    def add(self, table: str, rows: Iterable[Row]) -> None:
        pending = self._pending[table]
        pending.extend(rows)
        if len(pending) >= BATCH:
            self._write(table, pending)
            pending.clear()

    def _flush(self) -> None:
        for table, pending in self._pending.items():
            if pending:
                self._write(table, pending)
                pending.clear()

    def _write(self, table: str, rows: list[Row]) -> None:
        raise NotImplementedError  # pragma: no cover - each store writes its own way


# --- CSV -----------------------------------------------------------------------------


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CsvStore(_Buffered):
    """A folder with ``reports.csv``, ``cells.csv`` and ``findings.csv`` (UTF-8, a
    header line); appended to. An empty field is a null.

    Nothing is written in place: a new folder is built under a temporary name
    beside it and renamed when the run ends; in an existing folder, a table
    that gets rows is copied to a temporary file with the rows added and
    renamed over the old one (:func:`govdisclosure._files.replacing`)."""

    kind = "csv"

    def __init__(self, out: str) -> None:
        super().__init__()
        self.target = Path(out)
        if self.target.exists() and not self.target.is_dir():
            raise ExportError(f"{out}: expected a folder for CSV files (or a name ending in "
                              ".sqlite, .parquet or .duckdb), found a file",
                              zh=f"{out}：应为存放 CSV 文件的文件夹（或以 .sqlite、.parquet、"
                              ".duckdb 结尾的文件名），实为文件")
        existing = self.target.is_dir() and (self.target / "reports.csv").exists()
        if self.target.is_dir() and not existing and any(self.target.iterdir()):
            raise ExportError(f"{out}: the folder holds other files and no reports.csv; "
                              "export to a new or empty folder, or to an earlier export",
                              zh=f"{out}：文件夹中有其他文件但没有 reports.csv；请导出到新的或"
                              "空的文件夹，或之前导出的文件夹")
        for table in COLUMNS:
            path = self.target / f"{table}.csv"
            if path.exists():
                with path.open(encoding="utf-8", newline="") as f:
                    header = next(csv.reader(f), [])
                if header != _names(table):
                    expected = ",".join(_names(table))
                    raise ExportError(f"{path}: not a table of this export (its header is "
                                      f"{','.join(header)!r}, expected {expected!r})",
                                      zh=f"{path}：不是本导出的表（表头为 "
                                      f"{','.join(header)!r}，应为 {expected!r}）")
        self.building: Path | None = None
        self.folder = self.target
        if not self.target.exists():
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.building = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.",
                                                  suffix=".tmp", dir=self.target.parent))
            self.folder = self.building
        self._files = contextlib.ExitStack()
        self._streams: dict[str, Any] = {}

    def _existing(self) -> Iterator[dict[str, str]]:
        path = self.target / "reports.csv"
        if not path.exists():
            return
        with path.open(encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)

    def known(self) -> set[str]:
        return {_key(r["content_hash"], r["file"]) for r in self._existing()}

    def next_id(self) -> int:
        return max((int(r["report_id"]) for r in self._existing()), default=0) + 1

    def _stream(self, table: str) -> Any:
        """The table's replacement: the old file's bytes (or a header), then new rows."""
        stream = self._streams.get(table)
        if stream is None:
            old = self.target / f"{table}.csv"
            raw = self._files.enter_context(replacing(self.folder / f"{table}.csv"))
            if old.exists():
                with old.open("rb") as f:
                    shutil.copyfileobj(f, raw)
            stream = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            if not old.exists():
                csv.writer(stream).writerow(_names(table))
            self._streams[table] = stream
        return stream

    def _write(self, table: str, rows: list[Row]) -> None:
        csv.writer(self._stream(table)).writerows([_csv_text(v) for v in row] for row in rows)

    def close(self) -> None:
        try:
            self._flush()
            for table in COLUMNS:
                if not (self.target / f"{table}.csv").exists():
                    self._stream(table)  # an empty table still has its header
            for stream in self._streams.values():
                stream.flush()
        except BaseException:
            self.abort()
            raise
        self._files.close()  # each table renamed over the old one, whole
        if self.building is not None:
            try:
                os.rename(self.building, self.target)
            except OSError as error:
                shutil.rmtree(self.building, ignore_errors=True)
                raise ExportError(f"{self.target}: cannot create the folder: "
                                  f"{error.strerror}",
                                  zh=f"{self.target}：无法创建文件夹：{strerror_zh(error)}"
                                  ) from None

    def abort(self) -> None:
        # Leaving the files' contexts by an exception removes each temporary file.
        with contextlib.suppress(KeyboardInterrupt):
            self._files.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)
        if self.building is not None:
            shutil.rmtree(self.building, ignore_errors=True)


# --- SQLite --------------------------------------------------------------------------


class SqliteStore(_Buffered):
    """One SQLite file: the three tables, indexes, and the views ``applications``
    (table 三 wide) and ``series``."""

    kind = "sqlite"

    def __init__(self, out: str) -> None:
        super().__init__()
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.new = not Path(out).exists()
        try:
            self.db = sqlite3.connect(out)
            self.db.execute("PRAGMA journal_mode = WAL")
            for table in COLUMNS:
                self.db.execute(ddl(table, SQL_TYPES))
                self._check_columns(out, table)
        except sqlite3.DatabaseError as error:
            raise ExportError(f"{out}: not an SQLite export ({error})",
                              zh=f"{out}：不是 SQLite 导出文件") from None

    def _check_columns(self, out: str, table: str) -> None:
        found = [row[1] for row in self.db.execute(f'PRAGMA table_info("{table}")')]
        if found != _names(table):
            raise ExportError(f"{out}: table {table} is not one of this export (columns "
                              f"{', '.join(found)})",
                              zh=f"{out}：表 {table} 不是本导出的表（列为 {'、'.join(found)}）")

    def known(self) -> set[str]:
        rows = self.db.execute("SELECT content_hash, file FROM reports")
        return {_key(h, f) for h, f in rows}

    def next_id(self) -> int:
        (top,) = self.db.execute("SELECT MAX(report_id) FROM reports").fetchone()
        return int(top or 0) + 1

    def _write(self, table: str, rows: list[Row]) -> None:
        # No commit here: the whole run is one transaction, committed by close().
        marks = ", ".join("?" * len(COLUMNS[table]))
        self.db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)

    def close(self) -> None:
        self._flush()
        with self.db:
            for table, columns in INDEXES:
                name = f"{table}_{columns.replace(chr(34), '').replace(', ', '_')}"
                self.db.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')
            self.db.execute("DROP VIEW IF EXISTS applications")
            self.db.execute(f"CREATE VIEW applications AS {applications_view_sql()}")
            self.db.execute("DROP VIEW IF EXISTS series")
            self.db.execute(f"CREATE VIEW series AS {sqlite_series_view()}")
        self.db.close()

    def abort(self) -> None:
        self.db.rollback()
        self.db.close()
        if self.new:
            _remove(self.out, "-wal", "-shm", "-journal")


# --- Parquet -------------------------------------------------------------------------


class ParquetStore(_Buffered):
    """A folder ``OUT.parquet/`` with one dataset folder per table
    (``reports/``, ``cells/``, ``findings/``); each run adds one part file to
    each, written a row group at a time. ``pandas.read_parquet(OUT / "cells")``,
    ``pyarrow.dataset`` and DuckDB read each folder as one table."""

    kind = "parquet"

    def __init__(self, out: str) -> None:
        super().__init__()
        self.pa = _needs("pyarrow", "parquet")
        self.pq = _needs("pyarrow.parquet", "parquet")
        self.folder = Path(out)
        if self.folder.exists() and not self.folder.is_dir():
            raise ExportError(f"{out}: expected a folder of Parquet datasets, found a file",
                              zh=f"{out}：应为存放 Parquet 数据集的文件夹，实为文件")
        types = {"int": self.pa.int64(), "float": self.pa.float64(),
                 "text": self.pa.string(), "bool": self.pa.bool_()}
        self.schemas = {
            table: self.pa.schema([(name, types[kind]) for name, kind in columns])
            for table, columns in COLUMNS.items()
        }
        self.created = not self.folder.exists()
        run = 0
        for table in COLUMNS:
            (self.folder / table).mkdir(parents=True, exist_ok=True)
            run = max(run, len(list((self.folder / table).glob("part-*.parquet"))))
        self.part = f"part-{run:05d}.parquet"
        self.writers: dict[str, Any] = {}

    def _parts(self, table: str) -> list[Path]:
        return sorted((self.folder / table).glob("part-*.parquet"))

    def known(self) -> set[str]:
        keys: set[str] = set()
        for part in self._parts("reports"):
            data = self.pq.read_table(part, columns=["content_hash", "file"]).to_pydict()
            keys.update(_key(h, f) for h, f in zip(data["content_hash"], data["file"],
                                                   strict=True))
        return keys

    def next_id(self) -> int:
        top = 0
        for part in self._parts("reports"):
            ids = self.pq.read_table(part, columns=["report_id"]).column(0).to_pylist()
            top = max([top, *ids])
        return top + 1

    def _write(self, table: str, rows: list[Row]) -> None:
        names = _names(table)
        columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
        batch = self.pa.Table.from_pydict(columns, schema=self.schemas[table])
        writer = self.writers.get(table)
        if writer is None:
            # A hidden name (readers of the folder skip names starting with "."),
            # renamed to the part's name by close().
            writer = self.pq.ParquetWriter(self._temporary(table), self.schemas[table])
            self.writers[table] = writer
        writer.write_table(batch)

    def close(self) -> None:
        self._flush()
        for table in COLUMNS:
            if table not in self.writers and not self._parts(table):
                self._write(table, [])  # an empty table still has its columns
            if table in self.writers:
                self.writers[table].close()
        for table in self.writers:
            temporary = self._temporary(table)
            with open(temporary, "rb") as f:
                os.fsync(f.fileno())
            os.replace(temporary, self.folder / table / self.part)
        for table in self.writers:
            sync_folder(self.folder / table)

    def _temporary(self, table: str) -> Path:
        return self.folder / table / f".{self.part}.tmp"

    def abort(self) -> None:
        for table, writer in self.writers.items():
            with contextlib.suppress(Exception):
                writer.close()
            _remove(str(self._temporary(table)))
        if self.created:
            shutil.rmtree(self.folder, ignore_errors=True)


# --- DuckDB --------------------------------------------------------------------------

_NULL = "\\N"


class DuckdbStore(_Buffered):
    """One DuckDB file: the three tables and the views ``applications`` and
    ``series``. Rows go in a batch at a time through a temporary CSV file and
    ``COPY`` (DuckDB's fast path, with no other package needed)."""

    kind = "duckdb"

    def __init__(self, out: str) -> None:
        super().__init__()
        duckdb = _needs("duckdb", "duckdb")
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        existed = Path(out).exists()
        try:
            self.db = duckdb.connect(out)
        except duckdb.Error as error:
            raise ExportError(f"{out}: not a DuckDB export ({error})",
                              zh=f"{out}：不是 DuckDB 导出文件") from None
        for table in COLUMNS:
            self.db.execute(ddl(table, DUCK_TYPES))
            found = [r[0] for r in self.db.execute(f'DESCRIBE "{table}"').fetchall()]
            if found != _names(table):
                raise ExportError(f"{out}: table {table} is not one of this export",
                                  zh=f"{out}：表 {table} 不是本导出的表")
        self.out = out
        self.new = not existed
        self.db.execute("BEGIN TRANSACTION")  # the whole run, committed by close()
        self._tmp = tempfile.TemporaryDirectory(prefix="govdisclosure-duckdb-")

    def known(self) -> set[str]:
        rows = self.db.execute("SELECT content_hash, file FROM reports").fetchall()
        return {_key(h, f) for h, f in rows}

    def next_id(self) -> int:
        (top,) = self.db.execute("SELECT MAX(report_id) FROM reports").fetchone()
        return int(top or 0) + 1

    def _write(self, table: str, rows: list[Row]) -> None:
        path = os.path.join(self._tmp.name, f"{table}.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerows(
                [_NULL if v is None else ("true" if v is True else "false" if v is False
                                          else v) for v in row]
                for row in rows
            )
        self.db.execute(
            f"COPY \"{table}\" FROM '{path}' (FORMAT csv, HEADER false, NULL '\\N', "
            "QUOTE '\"', ESCAPE '\"')"
        )

    def close(self) -> None:
        self._flush()
        self.db.execute(f"CREATE OR REPLACE VIEW applications AS {applications_view_sql()}")
        self.db.execute(f"CREATE OR REPLACE VIEW series AS {series_view_sql()}")
        self.db.execute("COMMIT")
        self.db.close()
        self._tmp.cleanup()

    def abort(self) -> None:
        self.db.execute("ROLLBACK")
        self.db.close()
        self._tmp.cleanup()
        if self.new:
            _remove(self.out, ".wal")
