"""The words every rule's messages share: places on the form and blank cells."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from ..model.cells import Blank, CellRef
from ..model.report import Edition
from ..model.schema import form

__all__ = ["blank_words", "cell_place", "cell_places", "place", "positions"]


@cache
def place(edition: Edition, table: str, row: str | None, column: str | None
          ) -> tuple[str, str]:
    """Where, in words: ``三 / 自然人`` and ``applications / natural persons``."""
    t = form(edition).table(table)
    zh, en = [t.short], [t.key]
    if row is not None:
        r = t.row(row)
        zh.append(r.short)
        en.append(r.en)
        if column is not None:
            c = r.column(column)
            zh.append(c.label)
            en.append(c.en)
    elif column is not None:
        c = t.rows[0].column(column)
        zh.append(c.label)
        en.append(c.en)
    return " / ".join(zh), " / ".join(en)


def cell_place(edition: Edition, ref: CellRef) -> tuple[str, str]:
    """Where one cell is, in words (``三 / 一 / 自然人``)."""
    return place(edition, ref.table, ref.row, ref.column)


@cache
def cell_places(edition: Edition) -> tuple[tuple[str, str], ...]:
    """Where each cell of ``edition``'s form is, in words, in form order: what
    :func:`cell_place` says of each, worded once per edition."""
    return tuple(cell_place(edition, ref) for ref in form(edition).refs())


@cache
def positions(edition: Edition) -> Mapping[CellRef, int]:
    """The position of each cell of ``edition``'s form in form order (in the
    flat cell values)."""
    return {ref: i for i, ref in enumerate(form(edition).refs())}


def blank_words(value: Blank) -> tuple[str, str]:
    """What a blank cell holds, in words: ``为空白`` / ``is blank``, or what it printed."""
    if value.printed.strip():
        return f"印为“{value.printed}”", f"is printed as {value.printed!r}"
    return "为空白", "is blank"
