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
    "Amount",
    "Blank",
    "CellRef",
    "CellSource",
    "Count",
    "SignedCount",
    "Value",
    "is_number",
]


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
