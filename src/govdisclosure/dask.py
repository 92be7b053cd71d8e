"""The export on Dask: a corpus too large for one machine, as Dask DataFrames.

``read_many(urlpath)`` lists the files (local or remote, through fsspec) and
gives the tables ``reports``, ``cells`` and ``findings`` of
:mod:`govdisclosure.dataset` as lazy Dask DataFrames. Each partition reads its
files with the library's pure per-file function (decode, ``load``,
``validate``, rows), the same one ``export`` runs in its workers; Dask does all
the distributing. Needs the ``dask`` extra. See ``docs/export.md``.
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Sequence
from typing import Any

import attrs

from ._corpus import CheckOptions, check_file
from ._files import strerror_zh
from ._methods import fields_eq, fields_hash, fields_repr
from .bodies import Aliases
from .errors import MissingExtra, ReadError
from .model.report import Edition

__all__ = ["Tables", "read_many"]

#: Files read by one task: enough to make a task worth scheduling, few enough
#: that a partition's rows stay small (a report has about 250 cells).
FILES_PER_PARTITION = 64


def _need(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra("govdisclosure.dask", module.split(".")[0], "dask",
                           what_zh="govdisclosure.dask") from None


@attrs.frozen(slots=True)
class Tables:
    """The three tables as Dask DataFrames (lazy). Compute them together
    (``dask.compute(t.reports, t.cells, t.findings)``) so that each file is
    read once."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    reports: Any
    cells: Any
    findings: Any


_PANDAS_TYPES = {"int": "Int64", "float": "float64", "text": "string", "bool": "boolean"}


def _frame(table: str, rows: Sequence[Sequence[Any]]) -> Any:
    from .dataset._rows import COLUMNS

    pd = _need("pandas")
    columns = COLUMNS[table]
    frame = pd.DataFrame.from_records(list(rows), columns=[name for name, _ in columns])
    return frame.astype({name: _PANDAS_TYPES[kind] for name, kind in columns})


@attrs.frozen(slots=True)
class _Reader:
    """A file's bytes from an fsspec file system (picklable, sent with the task)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    fs: Any

    def __call__(self, path: str) -> bytes:
        try:
            with self.fs.open(path, "rb") as f:
                data: bytes = f.read()
        except OSError as error:
            raise ReadError.single(f"cannot read: {error}", path,
                                   zh=f"无法读取：{strerror_zh(error)}") from None
        return data


def _partition(
    fs: Any, first_id: int, paths: Sequence[str], options: CheckOptions
) -> tuple[Any, Any, Any]:
    """The rows of the ``reports``, ``cells`` and ``findings`` tables for ``paths``."""
    from .dataset._export import report_row

    reports: list[tuple[Any, ...]] = []
    cells: list[tuple[Any, ...]] = []
    findings: list[tuple[Any, ...]] = []
    for offset, path in enumerate(paths):
        report_id = first_id + offset
        result = check_file(path, options, _Reader(fs))
        reports.append(report_row(report_id, result))
        if result.rows is not None:
            cells.extend((report_id, *row) for row in result.rows.cells)
            findings.extend((report_id, *row) for row in result.rows.findings)
    return _frame("reports", reports), _frame("cells", cells), _frame("findings", findings)


def _list_files(
    urlpath: str | Sequence[str], storage_options: dict[str, Any]
) -> tuple[Any, list[str]]:
    fsspec = _need("fsspec")
    given = [urlpath] if isinstance(urlpath, str) else list(urlpath)
    if not given:
        raise ValueError("read_many needs a path, a glob or a list of them")
    fs, _, _ = fsspec.core.get_fs_token_paths(given[0], storage_options=storage_options)
    files: list[str] = []
    for item in given:
        expanded = fs.glob(item) if any(c in item for c in "*?[") else [item]
        for path in expanded:
            if fs.isdir(path):
                found = fs.find(path)
                files.extend(sorted(
                    p for p in found
                    if not any(part.startswith(".")
                               for part in posixpath.relpath(p, path).split("/"))
                ))
            else:
                files.append(path)
    return fs, files


def read_many(
    urlpath: str | Sequence[str],
    *,
    format: str | None = None,
    edition: Edition | None = None,
    infer: bool = False,
    aliases: Aliases | None = None,
    lang: str = "zh",
    files_per_partition: int = FILES_PER_PARTITION,
    storage_options: dict[str, Any] | None = None,
) -> Tables:
    """The ``reports``, ``cells`` and ``findings`` tables of every file at ``urlpath``.

    ``urlpath`` is a path, a glob (``s3://bucket/reports/**/*.html``) or a list
    of them, read through fsspec (``storage_options`` go to it); a folder is
    walked for every file but hidden ones, sorted by path. Rows and columns are
    those of :func:`govdisclosure.export`, ``report_id`` numbering the files in
    that order. Files that are not reports or cannot be read have a ``reports``
    row with their ``status``. Series across years and the detection of one
    report in two files need a body's files together and are left to
    ``export``/``check``: here ``duplicate_of`` is null and there are no series
    findings. Nothing is read until the frames are computed.
    """
    dd = _need("dask.dataframe")
    dask = _need("dask")
    fs, files = _list_files(urlpath, storage_options or {})
    options = CheckOptions(format=format, edition=edition, infer=infer, lang=lang,
                           aliases=aliases, rows=True)
    step = max(1, files_per_partition)
    parts = [
        dask.delayed(_partition, pure=True)(fs, start + 1, files[start:start + step], options)
        for start in range(0, len(files), step)
    ] or [dask.delayed(_partition, pure=True)(fs, 1, [], options)]
    tables = []
    for index, table in enumerate(("reports", "cells", "findings")):
        tables.append(dd.from_delayed([part[index] for part in parts], meta=_frame(table, []),
                                      verify_meta=False))
    return Tables(*tables)
