"""The JSON format: the versioned document of ``docs/json.md``, through cattrs.

Decoding is strict: a key given twice in one object, an integer longer than
:data:`MAX_INT_DIGITS` digits, ``NaN`` or ``Infinity``, and strings holding
NUL or a lone surrogate are refused, each with its JSON path.

The json module's C parser does the work with no Python hook on the way of a
usual document (:func:`decode`): hooks called for each of a report's 400
integers and 250 objects cost more than the parse. Integers are bounded where
they are read instead (:mod:`govdisclosure._converter`); an integer longer than
Python converts at all (4,300 digits), a constant, a repeated key or a suspect
escape sends the text to a second parse with hooks that name each with its path.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import typing
from typing import Any

import attrs

from .._converter import MAX_INT_DIGITS, from_data, to_data
from .._files import check_text
from ..errors import Problem, ReadError
from ..model.report import Report, Report2019, Report2021
from . import Format, ReadOptions

__all__ = ["FORMAT", "MAX_INT_DIGITS", "read", "write"]

# An escape that may decode to NUL or to a surrogate: only then are the
# strings walked (a backslash before it makes a false alarm, never a miss).
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _suspect_escape(text: str) -> bool:
    # Most documents hold no backslash at all, which a search for one character
    # shows faster than the regex can.
    return "\\" in text and _SUSPECT_ESCAPE.search(text) is not None


class _Refused:
    """A value decoding refused, kept in place so that its path can be named."""

    __slots__ = ("message", "message_zh")

    def __init__(self, message: str, message_zh: str) -> None:
        self.message = message
        self.message_zh = message_zh


class _Decoder:
    """One document's decoding hooks and what they refused."""

    def __init__(self) -> None:
        self.duplicates: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set[str] = set()
            twice = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]  # set.add returns None: records each key as it goes
            self.duplicates[id(out)] = (out, twice)
        return out

    def integer(self, text: str) -> int | _Refused:
        digits = len(text.lstrip("-"))
        if digits > MAX_INT_DIGITS:
            return _Refused(f"an integer of {digits:,} digits: more than the "
                            f"{MAX_INT_DIGITS} a report document allows",
                            f"整数有 {digits:,} 位：超过报告文档允许的 {MAX_INT_DIGITS} 位")
        return int(text)

    def constant(self, text: str) -> _Refused:
        return _Refused(f"{text} is not a number JSON allows: expected a finite number, "
                        "and amounts as decimal strings such as \"52.15\"",
                        f"{text} 不是 JSON 允许的数：应为有限的数，金额写成字符串，如 \"52.15\"")


#: The Chinese of the JSON decoder's complaints.
_SYNTAX_ZH = {
    "Expecting value": "此处应为一个值",
    "Expecting ',' delimiter": "此处应为逗号",
    "Expecting ':' delimiter": "此处应为冒号",
    "Expecting property name enclosed in double quotes": "此处应为双引号括起的键",
    "Extra data": "文档结束后还有多余内容",
    "Invalid control character at": "字符串中有无效的控制字符",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid \\escape": "无效的转义",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Illegal trailing comma before end of object": "对象末尾不能有逗号",
    "Illegal trailing comma before end of array": "数组末尾不能有逗号",
}


def _path(parent: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{parent}[{step}]"
    if "\x00" in step or _SURROGATE.search(step):
        step = step.encode("utf-8", "backslashreplace").decode().replace("\x00", "\\u0000")
    return f"{parent}.{step}"


def _walk(data: Any, decoder: _Decoder, strings: bool) -> list[Problem]:
    # Every refused value, repeated key and (when asked) bad string, with its path.
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            repeated = decoder.duplicates.get(id(value))
            if repeated is not None and repeated[0] is value:
                problems.extend(
                    Problem(message=f"the key {key!r} is given more than once in this object",
                            message_zh=f"键 {key!r} 在此对象中出现了不止一次",
                            path=_path(path, key))
                    for key in dict.fromkeys(repeated[1])
                )
            for key, item in value.items():
                if strings:
                    problems.extend(_string_problems(key, _path(path, key), "key"))
                stack.append((item, _path(path, key)))
        elif isinstance(value, list):
            stack.extend((item, _path(path, i)) for i, item in enumerate(value))
        elif isinstance(value, _Refused):
            problems.append(Problem(message=value.message, message_zh=value.message_zh,
                                    path=path))
        elif strings and isinstance(value, str):
            problems.extend(_string_problems(value, path, "string"))
    problems.sort(key=lambda p: p.path or "")
    return problems


def _string_problems(text: str, path: str, what: str) -> list[Problem]:
    what_zh = "键" if what == "key" else "字符串"
    if "\x00" in text:
        return [Problem(message=f"the {what} holds a NUL character (\\u0000)",
                        message_zh=f"{what_zh}含有 NUL 字符（\\u0000）", path=path)]
    found = _SURROGATE.search(text)
    if found is not None:
        return [Problem(message=f"the {what} holds a lone surrogate "
                        f"\\u{ord(found.group()):04x}, which is not a character",
                        message_zh=f"{what_zh}含有单独的代理码位 \\u{ord(found.group()):04x}，"
                        "不是字符", path=path)]
    return []


def decode(text: str, source: str | None = None) -> Any:
    """The JSON value of ``text``, refusing what no report document holds.

    Raises :class:`ReadError` naming the line and column of a syntax error,
    or the JSON path of each refused value.

    The text is parsed first with no hook but the one for ``NaN`` and
    ``Infinity`` (never called on a report), then shown cheaply to hold no
    repeated key and no escape of NUL or a surrogate (:func:`_plain`). When that
    cannot be shown, it is parsed again with hooks that record every repeated
    key and refused value, so that each is named with its path.
    """
    if _MEMO is not None:
        _MEMO.update(_KEYS)  # the parser empties it after each parse
    try:
        data = _parse(text, source, _FIRST)
    except ReadError:
        raise
    except ValueError:  # NaN or Infinity, or an integer longer than Python converts
        pass
    else:
        if _plain(text, data):
            return data
    return _strict(text, source)


def _refuse(text: str) -> Any:
    raise ValueError(f"{text} is refused")  # named with its path by _strict


# The first parse: the C parser with no hook that a report document calls.
_FIRST = json.JSONDecoder(parse_constant=_refuse)


def _keys() -> dict[str, str]:
    """Each key an object of a report document may have (a field of the
    model's classes, ``printed``, ``decimal``), mapped to itself."""
    names = {"printed": "printed", "decimal": "decimal"}
    seen: set[Any] = set()
    todo: list[Any] = [Report2019, Report2021]
    while todo:
        kind = todo.pop()
        if kind in seen:
            continue
        seen.add(kind)
        todo.extend(typing.get_args(kind))
        if isinstance(kind, type) and attrs.has(kind):
            for field in attrs.fields(kind):
                names[field.name] = field.name
                todo.append(field.type)
    return names


def _key_memo(decoder: json.JSONDecoder) -> dict[str, str] | None:
    """The dict in which the C parser of ``decoder`` keeps the keys of the text
    it parses, so that each distinct key is one string; ``None`` when it cannot
    be shown to be that (the parser's internals differ).

    Before each parse the field names of the model are put in it: the keys of a
    document are then those very strings, which Python compares by identity
    where a class's ``__init__`` matches keyword arguments and a dict looks a key
    up (a row of seven counts built from ``**value``: about 4,700 instructions
    less). The parser only ever asks the memo for a string equal to the one it
    read, so what it returns is equal whatever the memo holds: no value, key or
    check of a document changes, only which equal string object a key is.
    """
    scanner = vars(decoder).get("scan_once")  # the C scanner (not in the type stubs)
    memos = [r for r in gc.get_referents(scanner) if type(r) is dict and not r]
    if len(memos) != 1:
        return None
    memo: dict[str, str] = memos[0]
    name = sys.intern("total")
    memo[name] = name
    try:
        (key,) = decoder.decode('{"total": 0}')
    except ValueError:
        return None
    return memo if key is name and not memo else None


_MEMO = _key_memo(_FIRST)
_KEYS = _keys()


def _parse(text: str, source: str | None, decoder: json.JSONDecoder) -> Any:
    # Decode, with a syntax error as a ReadError naming its line and column.
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        truncated = error.pos >= len(text.rstrip())
        what = "the document ends too early (truncated?)" if truncated \
            else f"not valid JSON: {error.msg}"
        what_zh = "文档提前结束（被截断？）" if truncated \
            else f"不是有效的 JSON：{_SYNTAX_ZH.get(error.msg, error.msg)}"
        raise ReadError(
            [Problem(message=what, message_zh=what_zh, line=error.lineno, column=error.colno)],
            source,
        ) from None
    except RecursionError:
        raise ReadError(
            [Problem(message="not a report: the JSON nests too deeply",
                     message_zh="不是报告：JSON 嵌套过深")], source
        ) from None


def _strict(text: str, source: str | None) -> Any:
    # Parse again with hooks that record every repeated key and refused value.
    decoder = _Decoder()
    data = _parse(text, source, json.JSONDecoder(
        object_pairs_hook=decoder.pairs, parse_int=decoder.integer,
        parse_constant=decoder.constant))
    problems = _walk(data, decoder, _suspect_escape(text))
    if problems:
        raise ReadError(problems, source)
    return data


# A colon only a string can hold. Outside strings, a colon follows a key's
# closing quote or whitespace; one after any other character is inside a string.
# Written to start with the colon, which the regex engine then finds by a plain
# search (a class first would be tried at every character).
_STRING_COLON = re.compile(r':(?<![" \t\n\r]:)')
# The most colons in strings that are looked for one by one; a text with more
# (no report's prose has that many) takes the exact parse.
_MAX_STRING_COLONS = 10_000


def _plain(text: str, data: Any) -> bool:
    """Whether ``text`` is shown to hold no repeated key and no escape that may
    decode to NUL or a surrogate; ``data`` is what it decoded to.

    A repeated key is decoded once, so a text with one holds more keys than
    ``data``. Outside strings, a colon follows each key and nothing else: the
    colons of the text are its keys plus the colons inside its strings. When
    they are as many as the keys decoded, there is no repeated key. When
    strings hold colons (prose often does), those that follow a character no
    key ends with (anything but ``"`` and whitespace) are surely inside a
    string and are taken off: what is left is at least the text's keys, and
    when it equals the keys decoded, no key is repeated. A colon in a string
    after a quote or a space is left counted as a key: the counts then differ
    and the text takes the exact, slower parse, as does a text whose strings
    hold more than :data:`_MAX_STRING_COLONS` colons. A false alarm costs time,
    never a miss.
    """
    if _suspect_escape(text):
        return False
    # The colons over the keys decoded: at least those in strings, so the
    # regex finds no more than these (a bounded list).
    extra = text.count(":") - _count_keys(data)
    return extra == 0 or (extra <= _MAX_STRING_COLONS
                          and len(_STRING_COLON.findall(text)) == extra)


_is_dict = dict.__instancecheck__


def _count_keys(data: Any) -> int:
    """The number of keys of all objects in ``data``, a decoded JSON value.

    Level by level, in C: ``gc.get_referents`` of the containers of one level
    gives the values of its objects and the items of its arrays. Only the
    containers the garbage collector tracks are opened: an object holding only
    numbers, strings and null is not tracked, and its keys are counted by its
    length. (A Python loop over a report's 700 values cost as much as the parse.
    Were an object not opened that should be, the count would be short and the
    text would take the exact parse; it can never be too high.)
    """
    count = 0
    level = [data]
    while level:
        count += sum(map(len, filter(_is_dict, level)))
        level = gc.get_referents(*filter(gc.is_tracked, level))
    return count


def read(text: str, options: ReadOptions) -> Report:
    """Parse a JSON report document; every problem is reported with its path.

    Text holding NUL or a lone surrogate is refused as every reader refuses
    it (:func:`~govdisclosure._files.check_text`), without a search of the
    whole text on the way of a document that reads: NUL is no JSON (the
    parser refuses it in a string and anywhere else), a surrogate can only be
    inside a string, and every string a report keeps is checked where the
    converter reads it (an ASCII string in constant time). A document that
    does not read is checked whole before its problems are said, so that
    NUL and surrogates are said as for every format.
    """
    try:
        return from_data(decode(text, options.source), options.source)
    except ReadError:
        check_text(text, options.source)
        raise


def write(report: Report) -> str:
    """The report as an indented JSON document, keys in data-dictionary order."""
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"


FORMAT = Format(
    name="json",
    description="govdisclosure's JSON document (docs/json.md)",
    description_zh="govdisclosure 的 JSON 文档（见 docs/json.md）",
    extensions=(".json",),
    read=read,
    read_checks_text=True,  # refused as they are read (see read)
    write=write,
)
