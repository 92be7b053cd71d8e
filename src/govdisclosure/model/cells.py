"""Cell values: counts, amounts, and cells that hold no number.

A blank or non-numeric cell is never zero: it is a :class:`Blank` that keeps
what the page printed, so that rules can say it is *not assessable* and writers
can print it back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, TypeAlias

import attrs

__all__ = [
    "COUNT_LIMIT",
    "MAX_AMOUNT_DIGITS",
    "MAX_COUNT_DIGITS",
    "Amount",
    "Blank",
    "CellRef",
    "CellSource",
    "Count",
    "SignedCount",
    "Value",
    "amount_problem",
    "count_problem",
    "is_number",
]

#: The most digits a count may have. Every count of a real report is far
#: below; 15 digits stay exact as a double (spreadsheets, JavaScript).
MAX_COUNT_DIGITS = 15
#: The most digits an amount may have written out in positional notation
#: (``0.10`` has 3), so that no writer prints more than this for one cell
#: whatever exponent it was read with.
MAX_AMOUNT_DIGITS = 40
#: The smallest count over the bound: a count lies strictly between ``-COUNT_LIMIT``
#: and ``COUNT_LIMIT``.
COUNT_LIMIT: int = 10**MAX_COUNT_DIGITS


@attrs.frozen(slots=True)
class Blank:
    """A cell with no number in it.

    ``printed`` is the text the report showed: ``""`` for an empty cell, or
    something like ``"/"``, ``"—"``, ``"无"`` or ``"-"``.
    """

    printed: str = ""

    def __str__(self) -> str:
        return self.printed


#: A count cell: a non-negative integer when valid (rule D1), or a blank.
Count: TypeAlias = int | Blank
#: A signed count (2019 ``change``, 本年增/减): negative means a decrease.
SignedCount: TypeAlias = int | Blank
#: An amount cell: an exact decimal, or a blank.
Amount: TypeAlias = Decimal | Blank
#: Any cell value.
Value: TypeAlias = int | Decimal | Blank


def count_problem(value: int, lang: str = "en") -> str | None:
    """Why ``value`` cannot be a count, or ``None``: over :data:`MAX_COUNT_DIGITS` digits.

    The sign is left to rule D1, so that a printed ``-3`` can be read and reported.
    ``lang`` ``"zh"`` says it in Chinese.
    """
    if abs(value) < COUNT_LIMIT:
        return None
    if lang == "zh":
        return f"计数超过 {MAX_COUNT_DIGITS} 位（最大为 {COUNT_LIMIT - 1:,}）"
    return f"a count of more than {MAX_COUNT_DIGITS} digits (at most {COUNT_LIMIT - 1:,})"


def amount_problem(value: Decimal, lang: str = "en") -> str | None:
    """Why ``value`` cannot be an amount, or ``None`` (``lang`` ``"zh"``: in Chinese).

    An amount is finite (no ``NaN``, no ``Infinity``) and takes at most
    :data:`MAX_AMOUNT_DIGITS` digits written out: ``1E+999999999`` would
    make a writer print a billion digits.
    """
    if not value.is_finite():
        if lang == "zh":
            return f"{value} 不是金额：应为有限的十进制数"
        return f"{value} is not an amount: expected a finite decimal number"
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite Decimal's exponent is an int
    width = max(len(digits) + exponent, 1) + max(-exponent, 0)
    if width > MAX_AMOUNT_DIGITS:
        if lang == "zh":
            return (f"金额写出来有 {width:,} 位（指数 {exponent:,}）：最多读取 "
                    f"{MAX_AMOUNT_DIGITS} 位")
        return (f"an amount of {width:,} digits written out (exponent {exponent:,}): "
                f"at most {MAX_AMOUNT_DIGITS} are read")
    return None


def is_number(value: Value) -> bool:
    """Whether ``value`` holds a number (and so can enter arithmetic)."""
    return not isinstance(value, Blank)


class CellRef(NamedTuple):
    """Where a cell sits, in data-dictionary keys.

    ``table`` is ``active``, ``applications`` or ``appeals``; ``row`` is the
    dotted row key (``withheld.state_secret``, ``art20_1.rules``); ``column`` is
    the column key (``natural_person``, ``total``).
    """

    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


@attrs.frozen(slots=True, kw_only=True)
class CellSource:
    """Where a cell's value came from.

    ``line`` is the 1-based source line a reader found it on, ``printed`` the
    exact text printed when it differs from the value's plain form (``减4``,
    ``251000元``), and ``inferred_by`` the rule id that forced a value
    :func:`govdisclosure.infer` filled in. A reader of a paged source (PDF)
    also names the 1-based ``page`` and the ``x``/``y`` of the number's
    top-left corner on it, in points from the page's top-left corner.
    """

    line: int | None = None
    printed: str | None = None
    inferred_by: str | None = None
    page: int | None = None
    x: float | None = None
    y: float | None = None
