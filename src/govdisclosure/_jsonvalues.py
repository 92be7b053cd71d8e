"""Each value of the JSON document to its model value, and back.

The hooks :mod:`govdisclosure._converter` registers with cattrs for single
values: counts, amounts, cell references, strings, enums, integers, finding
values, and the usual provenance's lines. Each refuses what it cannot take
with a message in English and in Chinese (:class:`_Said`); problems below the
value it was given are raised together with their steps (:class:`_Nested`).

Integers come as the json module's C parser made them; every hook that takes
one bounds it to :data:`MAX_INT_DIGITS` digits (:func:`int_problem`), so a
document's integers are bounded where they are read, with their path.
"""

from __future__ import annotations

import enum
import operator
from collections import deque
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .model.cells import Blank, CellRef, CellSource, amount_problem, count_problem
from .model.provenance import MAX_LINE
from .model.report import Edition
from .model.schema import form

__all__ = ["MAX_INT_DIGITS", "int_problem"]

#: The most digits an integer of a document may have. Cells are bounded more
#: tightly by the model; this bound keeps a year of 20 digits readable (and
#: reported by rule Y1) while a number of thousands of digits is refused.
MAX_INT_DIGITS = 30
_INT_LIMIT = 10**MAX_INT_DIGITS


def int_problem(value: int, lang: str = "en") -> str | None:
    """Why the integer ``value`` has no place in a document, or ``None``: over
    :data:`MAX_INT_DIGITS` digits (``lang`` ``"zh"``: in Chinese)."""
    if abs(value) < _INT_LIMIT:
        return None
    digits = len(str(abs(value)))
    if lang == "zh":
        return f"整数有 {digits:,} 位：超过报告文档允许的 {MAX_INT_DIGITS} 位"
    return f"an integer of {digits:,} digits: more than the {MAX_INT_DIGITS} a report " \
        "document allows"


def _shown(value: Any, lang: str = "en") -> str:
    # A value in a message: an integer over the bound by its size, anything else
    # by its repr, cut short.
    if type(value) is int and int_problem(value) is not None:
        digits = len(str(abs(value)))
        return f"{digits:,} 位的整数" if lang == "zh" else f"an integer of {digits:,} digits"
    text = repr(value)
    return text if len(text) <= 100 else text[:100] + "…"


class _Said(ValueError):
    """A value a hook refused, said in English (the message) and in Chinese (``zh``)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def _bound(value: int) -> None:
    # Refuse an integer of more than MAX_INT_DIGITS digits, in both languages.
    if (problem := int_problem(value)) is not None:
        raise _Said(problem, str(int_problem(value, "zh")))


def _text(value: str) -> str:
    """``value``, a string of the document, refused when it holds a lone
    surrogate: no writer can encode one.

    Every string a report keeps from a document passes here (the hooks of
    strings, lists of strings, printed blanks, cell references and finding
    values), so the JSON reader need not search the whole text for a
    surrogate. An ASCII string, known without a look at its characters,
    holds none; any other is encoded, and the encoder stops at a surrogate.
    """
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            code = ord(value[error.start])
            raise _Said(f"the string holds a lone surrogate \\u{code:04x}, which is not a "
                        "character",
                        f"字符串含有单独的代理码位 \\u{code:04x}，不是字符") from None
    return value


def _structure_count(value: Any, _: Any) -> int | Blank:
    if value is None:
        return Blank("")
    if type(value) is int:
        if (problem := count_problem(value)) is not None:
            raise _Said(problem, str(count_problem(value, "zh")))
        return value
    if isinstance(value, dict) and set(value) == {"printed"} and isinstance(value["printed"], str):
        return Blank(_text(value["printed"]))
    raise _Said(
        f"expected an integer, null for a blank cell or {{\"printed\": text}}, "
        f"got {_shown(value)}",
        f"应为整数、null（空白格）或 {{\"printed\": 文字}}，实为 {_shown(value, 'zh')}",
    )


def _structure_amount(value: Any, _: Any) -> Decimal | Blank:
    if value is None:
        return Blank("")
    if type(value) is int:
        _bound(value)
        return Decimal(value)
    if isinstance(value, str):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if amount.is_finite():
                if (problem := amount_problem(amount)) is not None:
                    raise _Said(problem, str(amount_problem(amount, "zh")))
                return amount
    if isinstance(value, dict) and set(value) == {"printed"} and isinstance(value["printed"], str):
        return Blank(_text(value["printed"]))
    hint = " (amounts are written as strings to stay exact)" if isinstance(value, float) else ""
    hint_zh = "（金额写成字符串才能保持精确）" if isinstance(value, float) else ""
    raise _Said(
        f"expected a decimal string such as \"52.15\", null or {{\"printed\": text}}, "
        f"got {_shown(value)}{hint}",
        f"应为十进制数字符串（如 \"52.15\"）、null 或 {{\"printed\": 文字}}，"
        f"实为 {_shown(value, 'zh')}{hint_zh}",
    )


def _unstructure_value(value: int | Decimal | Blank) -> Any:
    if isinstance(value, Blank):
        return None if value.printed == "" else {"printed": value.printed}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _structure_ref(value: Any, _: Any) -> CellRef:
    if isinstance(value, str):
        parts = _text(value).split("/")
        if len(parts) == 3 and all(parts):
            return CellRef(*parts)
    raise _Said(f"expected a cell reference \"table/row/column\", got {value!r}",
                f"应为单元格引用 \"表/行/列\"，实为 {value!r}")


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise _Said(f"expected a string, got {type(value).__name__} {value!r}",
                    f"应为字符串，实为 {type(value).__name__} {value!r}")
    return _text(value)


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        known = ", ".join(repr(member.value) for member in cls)
        raise _Said(f"expected one of {known}, got {value!r}",
                    f"应为 {known} 之一，实为 {value!r}") from None


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is not int:
        raise _Said(f"expected an integer, got {type(value).__name__} {_shown(value)}",
                    f"应为整数，实为 {type(value).__name__} {_shown(value, 'zh')}")
    _bound(value)
    return value


def _structure_float(value: Any, _: Any) -> float:
    # A coordinate: a JSON number, an integer within the bound.
    if type(value) is float:
        return value
    return float(_structure_int(value, int))


def _unstructure_source(src: CellSource) -> dict[str, Any]:
    # Only the fields that are set: most sources are just a line.
    out: dict[str, Any] = {}
    if src.line is not None:
        out["line"] = src.line
    if src.printed is not None:
        out["printed"] = src.printed
    if src.inferred_by is not None:
        out["inferred_by"] = src.inferred_by
    if src.page is not None:
        out["page"] = src.page
    if src.x is not None:
        out["x"] = src.x
    if src.y is not None:
        out["y"] = src.y
    return out


class _Nested(ValueError):
    """Problems found below the value a hook was given: ``(steps, error)`` pairs."""

    def __init__(self, items: list[tuple[list[Any], BaseException]]) -> None:
        super().__init__("; ".join(str(e) for _, e in items))
        self.items = items


_LINE = operator.itemgetter("line")


def _lines_only(value: dict[str, Any], edition: Edition) -> list[int] | None:
    """The line of every cell of the form (0: none) when every entry of ``value``
    names a cell and is ``{"line": n}`` with ``n`` a line :class:`Provenance` keeps;
    else ``None`` (the entries are then read one by one).

    The usual provenance, read with C-level ``map`` and no call per entry. When
    it names every cell of the form in the form's order (as a document written
    from a read report does), its lines are already in place.
    """
    places, keys = _positions(edition)
    sources = value.values()
    try:
        found = list(map(_LINE, sources))  # KeyError, TypeError: an entry without "line"
    except (KeyError, TypeError):
        return None
    # Each entry has "line": if their lengths add up to one each, it is all they have.
    if (sum(map(len, sources)) != len(found) or set(map(type, found)) != {int}
            or min(found) < 1 or max(found) > MAX_LINE):
        return None
    if len(found) == len(keys) and tuple(value) == keys:
        return found
    try:
        where = list(map(places.__getitem__, value))  # KeyError: no such cell
    except KeyError:
        return None
    lines = [0] * len(keys)
    deque(map(lines.__setitem__, where, found), maxlen=0)  # lines[where[i]] = found[i]
    return lines


@cache
def _positions(edition: Edition) -> tuple[Mapping[str, int], tuple[str, ...]]:
    # Each cell of the form by its key: its place in the form; and the keys in form order.
    keys = tuple(map(str, form(edition).refs()))
    return {key: i for i, key in enumerate(keys)}, keys


def _structure_finding_value(value: Any, _: Any) -> int | Decimal | str | None:
    if type(value) is int:
        _bound(value)
    if isinstance(value, str):
        return _text(value)
    if value is None or type(value) is int:
        out: int | None = value
        return out
    if isinstance(value, dict) and set(value) == {"decimal"} and isinstance(value["decimal"], str):
        try:
            return Decimal(value["decimal"])
        except InvalidOperation:
            pass
    raise _Said(
        f"expected an integer, a string, {{\"decimal\": \"1.5\"}} or null, got {_shown(value)}",
        f"应为整数、字符串、{{\"decimal\": \"1.5\"}} 或 null，实为 {_shown(value, 'zh')}",
    )


def _structure_strings(value: Any, _: Any) -> tuple[str, ...]:
    # cattrs would take a string as a sequence of one-character strings.
    if not isinstance(value, list):
        raise _Said(f"expected a list of strings, got {type(value).__name__} {value!r}",
                    f"应为字符串列表，实为 {type(value).__name__} {value!r}")
    errors: list[tuple[list[Any], BaseException]] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            errors.append(([i], _Said(f"expected a string, got {item!r}",
                                      f"应为字符串，实为 {item!r}")))
        elif not item.isascii():
            try:
                _text(item)
            except _Said as error:
                errors.append(([i], error))
    if errors:
        raise _Nested(errors)
    return tuple(value)
