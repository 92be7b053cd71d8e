"""The one place that touches paths, bytes and encodings.

Everything else in govdisclosure takes and returns ``str``, except the
binary formats (PDF, Word), whose readers and writers take and give the
file's bytes as :func:`read_bytes` and :func:`write_bytes` pass them.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from .errors import Problem, ReadError

__all__ = ["decode", "read_bytes", "read_text", "write_bytes", "write_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A charset declared in an HTML <meta> or an XML prolog, within the first bytes.
_PRESCAN = 4096
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Government sites label GBK pages as gb2312 or gbk; GB18030 is a superset of both.
_CHINESE = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
            "cp936": "gb18030", "euc-cn": "gb18030"}
# Characters of real reports: CJK ideographs, CJK and full-width punctuation,
# Latin-1 punctuation (·, ×) and general punctuation (“”、—).
_COMMON_CJK = (
    "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u00a0-\u00ff\u2000-\u206f"
    "\u2150-\u218f\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff\u3400-\u4dbf"
)
# Any other non-ASCII character: rare in a real report, common in mojibake.
_UNCOMMON = re.compile(f"[^\x00-\x7f{_COMMON_CJK}]")
_SAMPLE = 200_000
# Single-byte charsets that decode any bytes, so their declaration proves nothing.
_WESTERN = {"latin-1", "iso8859-1", "cp1252", "iso8859-15"}


def decode(data: bytes, source: str | None = None) -> str:
    """Decode report bytes: a BOM, then UTF-8, then a declared charset, then GB18030.

    Valid UTF-8 that reads as Chinese wins over a declaration because CMS templates often declare
    ``gb2312`` over pages they serve as UTF-8, and GB18030 would turn such bytes
    into plausible-looking nonsense instead of failing. GB2312 and GBK are read
    as GB18030, their superset. Raises :class:`ReadError` when no encoding gives
    text, or when the bytes are not text at all (NUL bytes, control bytes).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    else:
        # Short GBK runs can be valid UTF-8 by chance (实 is CA B5, which is ʵ):
        # prefer GB18030 only when it gives Chinese and UTF-8 gives none.
        if not _plausible_chinese(text):
            try:
                gb_text = data.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                if _plausible_chinese(gb_text):
                    return _check_text(gb_text, source)
        return _check_text(text, source)
    declared = _declared(data)
    if declared in _WESTERN and _plausible_chinese(data.decode("gb18030", "replace")):
        declared = None  # a Word export's template charset over Chinese bytes
    if declared and declared != "gb18030":
        try:
            return _check_text(data.decode(declared), source)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall through to detection
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        gb_error: UnicodeDecodeError | None = error
    else:
        gb_error = None
        if declared == "gb18030" or _plausible_chinese(text):
            return _check_text(text, source)
    said = f" (the page declares {declared})" if declared else ""
    gb_words = (
        f"nor as GBK/GB18030 (invalid byte at offset {gb_error.start})" if gb_error
        else "and as GBK/GB18030 it gives no readable Chinese text"
    )
    raise ReadError(
        [Problem(
            message=f"cannot decode the bytes{said}: not UTF-8 (invalid byte at offset "
            f"{utf8_error.start}) {gb_words}; expected a text, Markdown, HTML or JSON "
            "report in UTF-8 or GBK",
        )],
        source,
    ) from None


def _declared(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML prolog declares, as a codec name."""
    match = _DECLARED.search(data[:_PRESCAN])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    encoding = _CHINESE.get(name, name)
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _plausible_chinese(text: str) -> bool:
    """Whether undeclared bytes read as GB18030 look like a Chinese report.

    GB18030 maps almost any byte pair to some character, so a successful decode
    proves little: require that nearly all non-ASCII characters are common CJK
    ideographs or punctuation, as they are in every real report.
    """
    sample = text[:_SAMPLE]
    if sample.isascii():
        return True
    # Counted in C: the non-ASCII characters, and those of them that are not
    # common (few, so finding them all costs little).
    wide = len(sample) - len(sample.encode("ascii", "ignore"))
    uncommon = len(_UNCOMMON.findall(sample))
    return wide - uncommon >= 0.9 * wide


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
    return decode(read_bytes(path), str(path))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the file at ``path``; a :class:`ReadError` naming it when it cannot be read."""
    p = Path(path)
    try:
        # Only regular files are opened: a FIFO would block, a device never end.
        if p.exists() and not p.is_dir() and not stat.S_ISREG(p.stat().st_mode):
            raise ReadError([Problem(message="is not a regular file (a FIFO, device or "
                                     "socket): expected a report file")], str(path))
        return p.read_bytes()
    except FileNotFoundError:
        raise ReadError([Problem(message="no such file")], str(path)) from None
    except IsADirectoryError:
        raise ReadError([Problem(message="is a directory, expected a file")], str(path)) from None
    except OSError as error:
        raise ReadError([Problem(message=f"cannot read: {error.strerror}")], str(path)) from None


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line ends."""
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a binary format's ``data`` to ``path`` as it is."""
    Path(path).write_bytes(data)
