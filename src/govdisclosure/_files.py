"""The one place that touches paths, bytes and encodings.

Everything else in govdisclosure takes and returns ``str``.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from .errors import Problem, ReadError

__all__ = ["decode", "read_text", "write_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A charset declared in an HTML <meta> or an XML prolog, within the first 4 kB.
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Government sites label GBK pages as gb2312 or gbk; GB18030 is a superset of both.
_CHINESE = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
            "cp936": "gb18030", "euc-cn": "gb18030"}


def decode(data: bytes, source: str | None = None) -> str:
    """Decode report bytes: a BOM, then a declared charset, then UTF-8, then GB18030.

    Raises :class:`ReadError` when none of them decodes the bytes, or when the
    bytes are not text at all (NUL bytes).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, source)
    declared = _DECLARED.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        encoding = _CHINESE.get(name, name)
        try:
            codecs.lookup(encoding)
        except LookupError:
            encoding = ""
        if encoding:
            try:
                return _check_text(data.decode(encoding), source)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common; fall through to detection
    try:
        return _check_text(data.decode("utf-8"), source)
    except UnicodeDecodeError as utf8_error:
        try:
            return _check_text(data.decode("gb18030"), source)
        except UnicodeDecodeError:
            raise ReadError(
                [Problem(
                    message=f"cannot decode the bytes as UTF-8 (invalid byte at offset "
                    f"{utf8_error.start}) nor as GBK/GB18030; expected a text, Markdown, "
                    "HTML or JSON report",
                )],
                source,
            ) from None


def _strict(data: bytes, encoding: str, source: str | None) -> str:
    try:
        return _check_text(data.decode(encoding), source)
    except UnicodeDecodeError as error:
        raise ReadError(
            [Problem(message=f"the file starts with a {encoding} byte-order mark but byte "
                     f"{error.start} is not valid {encoding}")],
            source,
        ) from None


def _check_text(text: str, source: str | None) -> str:
    if "\x00" in text[:65536]:
        raise ReadError(
            [Problem(message="the input contains NUL bytes: it is binary data, not a report")],
            source,
        )
    return text


def read_text(path: str | os.PathLike[str]) -> str:
    """Read and decode the file at ``path``."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError([Problem(message="no such file")], str(path)) from None
    except IsADirectoryError:
        raise ReadError([Problem(message="is a directory, expected a file")], str(path)) from None
    except OSError as error:
        raise ReadError([Problem(message=f"cannot read: {error.strerror}")], str(path)) from None
    return decode(data, str(path))


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line ends."""
    Path(path).write_text(text, encoding="utf-8", newline="\n")
