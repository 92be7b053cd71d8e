"""The JSON format: the versioned document of ``docs/json.md``, through cattrs.

Decoding is strict before cattrs sees anything: a key given twice in one
object, an integer longer than :data:`MAX_INT_DIGITS` digits, ``NaN`` or
``Infinity``, and strings holding NUL or a lone surrogate are refused, each
with its JSON path.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .._converter import from_data, to_data
from ..errors import Problem, ReadError
from ..model.report import Report
from . import Format, ReadOptions

__all__ = ["FORMAT", "MAX_INT_DIGITS", "read", "write"]

#: The most digits a JSON integer may have. Cells are bounded more tightly by
#: the model; this bound keeps a year of 20 digits readable (and reported by
#: rule Y1) while a number of thousands of digits is refused as it is decoded.
MAX_INT_DIGITS = 30

# An escape that may decode to NUL or to a surrogate: only then are the
# strings walked (a backslash before it makes a false alarm, never a miss).
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused:
    """A value decoding refused, kept in place so that its path can be named."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Decoder:
    """One document's decoding hooks and what they refused."""

    def __init__(self) -> None:
        self.duplicates: dict[int, tuple[dict[str, Any], list[str]]] = {}
        self.refused = False

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
            self.refused = True
            return _Refused(f"an integer of {digits:,} digits: more than the "
                            f"{MAX_INT_DIGITS} a report document allows")
        return int(text)

    def constant(self, text: str) -> _Refused:
        self.refused = True
        return _Refused(f"{text} is not a number JSON allows: expected a finite number, "
                        "and amounts as decimal strings such as \"52.15\"")


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
            problems.append(Problem(message=value.message, path=path))
        elif strings and isinstance(value, str):
            problems.extend(_string_problems(value, path, "string"))
    problems.sort(key=lambda p: p.path or "")
    return problems


def _string_problems(text: str, path: str, what: str) -> list[Problem]:
    if "\x00" in text:
        return [Problem(message=f"the {what} holds a NUL character (\\u0000)", path=path)]
    found = _SURROGATE.search(text)
    if found is not None:
        return [Problem(message=f"the {what} holds a lone surrogate "
                        f"\\u{ord(found.group()):04x}, which is not a character", path=path)]
    return []


def decode(text: str, source: str | None = None) -> Any:
    """The JSON value of ``text``, refusing what no report document holds.

    Raises :class:`ReadError` naming the line and column of a syntax error,
    or the JSON path of each refused value.
    """
    decoder = _Decoder()
    try:
        data = json.loads(text, object_pairs_hook=decoder.pairs, parse_int=decoder.integer,
                          parse_constant=decoder.constant)
    except json.JSONDecodeError as error:
        what = "the document ends too early (truncated?)" if error.pos >= len(text.rstrip()) \
            else f"not valid JSON: {error.msg}"
        raise ReadError(
            [Problem(message=what, line=error.lineno, column=error.colno)], source
        ) from None
    except RecursionError:
        raise ReadError(
            [Problem(message="not a report: the JSON nests too deeply")], source
        ) from None
    strings = _SUSPECT_ESCAPE.search(text) is not None
    if decoder.duplicates or decoder.refused or strings:
        problems = _walk(data, decoder, strings)
        if problems:
            raise ReadError(problems, source)
    return data


def read(text: str, options: ReadOptions) -> Report:
    """Parse a JSON report document; every problem is reported with its path."""
    return from_data(decode(text, options.source), options.source)


def write(report: Report) -> str:
    """The report as an indented JSON document, keys in data-dictionary order."""
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"


FORMAT = Format(
    name="json",
    description="govdisclosure's JSON document (docs/json.md)",
    extensions=(".json",),
    read=read,
    write=write,
)
