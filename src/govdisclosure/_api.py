"""The functions of the public API: load, loads, dump, dumps, dumpb."""

from __future__ import annotations

import os

from . import _files
from .errors import FormatError, ReadError
from .formats import ReadOptions, format_for_path, get_format
from .model.report import Edition, Report

__all__ = ["dump", "dumpb", "dumps", "load", "loads"]


def loads(
    data: str | bytes,
    format: str = "json",
    *,
    edition: Edition | None = None,
    year: int | None = None,
    agency: str | None = None,
    source: str | None = None,
) -> Report:
    """Read a report from ``data`` in ``format``.

    ``data`` is ``str`` for a text format, or the file's ``bytes`` for any
    format: binary formats (``pdf``, ``docx``) take only bytes, and bytes for a
    text format are decoded as :func:`load` decodes a file. ``edition``,
    ``year`` and ``agency`` override what the reader finds in the content;
    ``source`` names the input in error messages. Raises
    :class:`~govdisclosure.errors.ReadError` listing every problem; text
    holding a NUL character or a lone surrogate is refused before any reader
    sees it.
    """
    fmt = get_format(format)
    options = ReadOptions(edition=edition, year=year, agency=agency, source=source)
    if isinstance(data, bytes):
        return fmt.bytes_reader()(data, options)
    if not fmt.read_checks_text:  # else the reader checks it as it reads
        _files.check_text(data, source)
    return fmt.reader()(data, options)


def dumps(report: Report, format: str = "json") -> str:
    """Write ``report`` as ``str`` in a text ``format``.

    A binary format (``docx``) raises :class:`~govdisclosure.errors.FormatError`
    naming :func:`dumpb`: ``dumps`` always returns ``str``.
    """
    return get_format(format).writer()(report)


def dumpb(report: Report, format: str) -> bytes:
    """Write ``report`` as the bytes of a file in ``format``.

    A binary format (``docx``) gives its file's bytes; a text format gives its
    text encoded as UTF-8, the bytes :func:`dump` writes.
    """
    return get_format(format).bytes_writer()(report)


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
    bytes of a text format are decoded in one place (UTF-8 with or without BOM,
    GBK/GB18030); a binary format (PDF, Word) gets them as they are.
    """
    fmt = get_format(format) if format else format_for_path(os.fspath(path))
    return load_data(_files.read_bytes(path), _files.display_path(path), fmt.name,
                     edition=edition, year=year, agency=agency)


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
    options = ReadOptions(edition=edition, year=year, agency=agency, source=name)
    try:
        if fmt.read_bytes is not None:
            return fmt.read_bytes(data, options)
        return fmt.reader()(_files.decode(data, name), options)
    except ReadError as error:
        raise error if error.source else error.with_source(name) from None


def dump(report: Report, path: str | os.PathLike[str], format: str | None = None) -> None:
    """Write ``report`` to the file at ``path`` (format from the extension unless given)."""
    name = os.fspath(path)
    fmt = get_format(format) if format else format_for_path(name)
    fmt.check_write_path(name)
    if fmt.write_bytes is not None:
        _files.write_bytes(path, fmt.write_bytes(report))
    elif fmt.write is not None:
        _files.write_text(path, fmt.write(report))
    else:
        raise FormatError(f"format {fmt.name!r} cannot be written, only read",
                          zh=f"格式 {fmt.name!r} 只能读取，不能写出")
