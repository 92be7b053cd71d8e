"""Bytes into text: the encodings of published reports, and what no report holds.

A BOM decides; else UTF-8 unless it gives no Chinese where GB18030 does; else
a charset the page declares; else GB18030 (GB2312 and GBK read as their
superset). Text holding a NUL or a lone surrogate is refused with its line and
column. :func:`decode` and :func:`check_text` are imported from :mod:`.._files`.
"""

from __future__ import annotations

import codecs
import re

from ..errors import Problem, ReadError

__all__ = ["check_text", "decode"]

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
# Compiled on first use (by re's cache): only bytes that are not UTF-8, or are
# both UTF-8 and GB18030, need it.
_UNCOMMON = f"[^\x00-\x7f{_COMMON_CJK}]"
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
        # prefer GB18030 only when it gives Chinese and UTF-8 gives none. Chinese
        # in UTF-8 is almost never valid GB18030 (every corpus report fails to
        # decode within its first 500 bytes), so that is tried first: the test of
        # plausible Chinese, whose pattern takes 4 ms to compile, is then needed
        # only for bytes that are both.
        try:
            gb_text = data.decode("gb18030")
        except UnicodeDecodeError:
            return _check_text(text, source)
        if not _plausible_chinese(text) and _plausible_chinese(gb_text):
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
    said_zh = f"（网页声明的编码为 {declared}）" if declared else ""
    gb_zh = (f"也不是 GBK/GB18030（第 {gb_error.start} 字节无效）" if gb_error
             else "按 GBK/GB18030 解码也得不到可读的中文")
    raise ReadError(
        [Problem(
            message=f"cannot decode the bytes{said}: not UTF-8 (invalid byte at offset "
            f"{utf8_error.start}) {gb_words}; expected a text, Markdown, HTML or JSON "
            "report in UTF-8 or GBK",
            message_zh=f"无法解码{said_zh}：不是 UTF-8（第 {utf8_error.start} 字节无效），"
            f"{gb_zh}；应为 UTF-8 或 GBK 编码的文本、Markdown、HTML 或 JSON 报告",
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
    uncommon = len(re.findall(_UNCOMMON, sample))
    return wide - uncommon >= 0.9 * wide


def _strict(data: bytes, encoding: str, source: str | None) -> str:
    try:
        return _check_text(data.decode(encoding), source)
    except UnicodeDecodeError as error:
        raise ReadError(
            [Problem(message=f"the file starts with a {encoding} byte-order mark but byte "
                     f"{error.start} is not valid {encoding}",
                     message_zh=f"文件以 {encoding} 字节顺序标记开头，但第 {error.start} 字节"
                     f"不是有效的 {encoding}")],
            source,
        ) from None


def _check_text(text: str, source: str | None) -> str:
    check_text(text, source)
    return text


def _line_column(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def check_text(text: str, source: str | None = None) -> None:
    """Refuse text no report holds: a NUL character anywhere, or a lone surrogate.

    Both are refused on read, with their line and column, because NUL marks
    binary data and a surrogate cannot be encoded by any writer.
    """
    nul, surrogate = _scan(text)
    if nul is not None:
        line, column = _line_column(text, nul)
        raise ReadError(
            [Problem(message="the input contains NUL bytes: it is binary data, not a report",
                     message_zh="输入含有 NUL 字节：是二进制数据，不是报告",
                     line=line, column=column)],
            source,
        )
    if surrogate is not None:
        line, column = _line_column(text, surrogate)
        raise ReadError(
            [Problem(message=f"the text holds a lone surrogate U+{ord(text[surrogate]):04X}, "
                     "which is not a character: expected Unicode text",
                     message_zh=f"文本含有单独的代理码位 U+{ord(text[surrogate]):04X}，"
                     "不是字符：应为 Unicode 文本",
                     line=line, column=column)],
            source,
        )


# Characters encoded at a time by _scan: memory stays small for a large input,
# and one piece holds any report.
_PIECE = 1 << 20


def _scan(text: str) -> tuple[int | None, int | None]:
    """The index of the first NUL and of the first surrogate in ``text`` (``None``
    for none).

    Text that is not ASCII is encoded to UTF-8, in C: the encoder stops at the
    first surrogate, and NUL is then looked for in the bytes (``memchr``).
    Both are several times faster than searching the characters themselves
    (a regex over a class is tried at every character; ``str.find`` of NUL in
    Chinese text compares character by character).
    """
    if text.isascii():
        nul = text.find("\x00")
        return (nul if nul >= 0 else None), None
    for start in range(0, len(text), _PIECE):
        try:
            data = text[start:start + _PIECE].encode("utf-8")
        except UnicodeEncodeError as error:
            nul = text.find("\x00")
            return (nul if nul >= 0 else None), start + error.start
        if b"\x00" in data:
            return text.find("\x00"), None
    return None, None
