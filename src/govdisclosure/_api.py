"""The functions of the public API: load, loads, dump, dumps."""

from __future__ import annotations

import os

from . import _files
from .errors import ReadError
from .formats import ReadOptions, format_for_path, get_format
from .model.report import Edition, Report

__all__ = ["dump", "dumps", "load", "loads"]


def loads(
    text: str,
    format: str = "json",
    *,
    edition: Edition | None = None,
    year: int | None = None,
    agency: str | None = None,
    source: str | None = None,
) -> Report:
    """Read a report from ``text`` in ``format``.

    ``edition``, ``year`` and ``agency`` override what the reader finds in the
    content; ``source`` names the input in error messages. Raises
    :class:`~govdisclosure.errors.ReadError` listing every problem.
    """
    reader = get_format(format).reader()
    return reader(text, ReadOptions(edition=edition, year=year, agency=agency, source=source))


def dumps(report: Report, format: str = "json") -> str:
    """Write ``report`` as ``str`` in ``format``."""
    return get_format(format).writer()(report)


def load(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    edition: Edition | None = None,
    year: int | None = None,
    agency: str | None = None,
) -> Report:
    """Read the report in the file at ``path``.

    The format comes from the file's extension unless ``format`` is given; the
    bytes are decoded in one place (UTF-8 with or without BOM, GBK/GB18030).
    """
    name = os.fspath(path)
    fmt = get_format(format) if format else format_for_path(name)
    return load_data(_files.read_bytes(path), name, fmt.name, edition=edition, year=year,
                     agency=agency)


def load_data(
    data: bytes,
    name: str,
    format: str | None = None,
    *,
    edition: Edition | None = None,
    year: int | None = None,
    agency: str | None = None,
) -> Report:
    """Read the report in ``data``, the bytes of the file called ``name``.

    What :func:`load` does once it has the bytes: the format comes from
    ``name``'s extension unless ``format`` is given. For callers that hold
    the bytes already (hashing them, or reading them from a remote store).
    """
    fmt = get_format(format) if format else format_for_path(name)
    text = _files.decode(data, name)
    try:
        return fmt.reader()(
            text, ReadOptions(edition=edition, year=year, agency=agency, source=name)
        )
    except ReadError as error:
        raise error if error.source else error.with_source(name) from None


def dump(report: Report, path: str | os.PathLike[str], format: str | None = None) -> None:
    """Write ``report`` to the file at ``path`` (format from the extension unless given)."""
    name = os.fspath(path)
    fmt = get_format(format) if format else format_for_path(name)
    _files.write_text(path, fmt.writer()(report))
