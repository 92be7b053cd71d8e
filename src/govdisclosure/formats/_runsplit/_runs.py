"""One run of a table's text and what is decided about it.

A :class:`Run` is a row's digits as printed, the cells they cover and, once
:func:`decide_locally` has split it (:func:`._readings.enumerate_splits`), its
one reading (``chosen``) or the readings that remain (``ambiguous``). The
identities (:mod:`._identities`) and the overview narrow those further; what
every remaining reading agrees on is kept (:func:`agreed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache

import attrs

from ..._methods import fields_repr
from ...model.cells import CellRef, Value
from ...model.schema import RowSpec
from ._readings import GONE, Group, Split, enumerate_splits, max_len


def values_of(split: Split) -> tuple[Value, ...]:
    """The values of ``split``, cell by cell (its first column)."""
    return next(zip(*split, strict=True), ())


def respects(split: Split, gaps: frozenset[int]) -> bool:
    """Whether every space inside the run falls on a cell boundary of ``split``."""
    return gaps <= {start for _, start in split}


@attrs.define(slots=True)
class Run:
    """One run of digits to split: the cells it covers and what was printed."""

    __repr__ = fields_repr

    refs: tuple[CellRef, ...]
    groups: tuple[Group, ...]
    row: str | None
    label: str
    full_label: str = ""
    widest: int = 0  # the most characters the row's cells can take
    compact: str = ""  # the run folded, whitespace taken out
    printed: str = ""  # the same characters as printed
    raw: str = ""  # the run as it stands in the text
    base: int = 0  # where the run starts in the text
    # Where each character of the run stands in the text, when that is not
    # simply ``base`` on (form text inside the run, or whitespace in a run over
    # several lines; on one line only the run's start is ever asked for).
    origin: tuple[int, ...] | None = None
    gaps: frozenset[int] = frozenset()
    line: int | None = None
    found: bool = True
    complete: bool = True
    loose: bool = False  # the split breaks the row's sums: printed numbers kept as facts
    chosen: Split | None = None
    ambiguous: list[Split] | None = None
    vanish: bool = False  # read as a row whose empty cells may have vanished
    # Every split into cells, totals ignored, when none keeps them (printed facts).
    unchecked: list[Split] | None = None
    # The text ends in this row (its numbers, or its label with nothing after),
    # not even a line break after it: it may be cut off there, so it is not read.
    cut: bool = False

    def at(self, start: int) -> int:
        """Where character ``start`` of the run stands in the text."""
        return self.origin[start] if self.origin is not None else self.base + start


def widest(groups: Sequence[Group]) -> int:
    """The most characters the cells of ``groups`` can take."""
    return sum(max_len(k) for g in groups for k in g.kinds)


def row_groups(table: str, row: RowSpec) -> tuple[Group, ...]:
    kinds = tuple(c.kind for c in row.columns)
    return (Group(kinds, summed=table in ("applications", "appeals")),)


#: What :func:`decide_locally` found for a run: chosen, ambiguous, complete,
#: loose and unchecked, by the run's characters, groups, ``vanish`` and ``units``.
Known = dict[tuple[str, tuple[Group, ...], bool, bool],
             tuple[Split | None, list[Split] | None, bool, bool, list[Split] | None]]


def decide_locally(run: Run, units: bool = False, known: Known | None = None) -> None:
    """Split ``run`` on its own: its cell formats and its own sums.

    ``known`` holds what earlier runs of the same report were split into: a
    run printed like one before (rows of one report often repeat each other:
    ``received`` and ``total_handled``, rows of a single ``1``) is not split
    again. The lists are shared, never changed in place.
    """
    run.chosen, run.ambiguous, run.complete, run.loose = None, None, True, False
    run.unchecked = None
    if not run.found or run.cut:
        return
    if not run.compact:
        if run.vanish:  # nothing printed in a table that drops empty cells
            run.chosen = gone(len(run.refs))
        return
    if not run.vanish and len(run.compact) == len(run.refs) and not run.compact.strip("0"):
        run.chosen = _zeros(run.groups)  # most rows: a 0 in every cell
        return
    if known is None:
        _split(run, units)
        return
    key = (run.compact, run.groups, run.vanish, units)
    got = known.get(key)
    if got is None:
        _split(run, units)
        known[key] = (run.chosen, run.ambiguous, run.complete, run.loose, run.unchecked)
    else:
        run.chosen, run.ambiguous, run.complete, run.loose, run.unchecked = got


def _split(run: Run, units: bool) -> None:
    """:func:`decide_locally` for a run with something printed."""
    splits, complete = enumerate_splits(run.compact, run.groups, strict=True, vanish=run.vanish,
                                        units=units)
    if not splits and complete:
        if run.vanish:
            return
        loose, loose_complete = enumerate_splits(run.compact, run.groups, strict=False,
                                                 units=units)
        if len(loose) == 1 and loose_complete:
            run.chosen, run.loose = loose[0], True
            return
        run.complete = loose_complete
        run.unchecked = loose
        return
    if len(splits) > 1:
        splits = list({values_of(s): s for s in splits}.values())
    run.complete = complete
    if len(splits) == 1 and complete:
        run.chosen = splits[0]
    elif splits:
        run.ambiguous = splits


@cache
def gone(cells: int) -> Split:
    """The one split of a run with nothing printed in a table that drops empty
    cells: every cell vanished (built once per row width)."""
    return ((GONE, 0),) * cells


@cache
def _zeros(groups: tuple[Group, ...]) -> Split:
    """The one split of a run of one ``0`` per cell (the form's rows: built once)."""
    return tuple((Decimal(0) if kind == "amount" else 0, at)
                 for at, kind in enumerate(k for g in groups for k in g.kinds))


def drops_blanks(runs: Sequence[Run]) -> bool:
    """Whether the table's text shows that its empty cells vanished.

    A table that prints every cell never has a labelled row with nothing after
    it, nor one with fewer characters than cells (a row the text may be cut
    off in tells nothing).
    """
    return any(run.found and run.refs and len(run.compact) < len(run.refs) and not run.cut
               for run in runs)


def agreed(run: Run) -> tuple[Value | None, ...]:
    """Each cell's value where every remaining reading agrees, else ``None``.

    The readings are the splits consistent with the totals, or when there are
    none every split into the row's cells (the printed numbers are facts).
    Without a complete list only the structure is certain: a run that starts
    with ``0`` (not ``0.5``) in a table printing every cell starts with a cell
    ``0``.
    """
    splits = run.ambiguous if run.ambiguous is not None else run.unchecked
    if not run.complete or not splits:
        s = run.compact
        first = run.groups[0].kinds[0]
        if (not run.vanish and s[:1] == "0" and first != "amount"
                and len(s) >= len(run.refs)):
            return (0, *(None,) * (len(run.refs) - 1))
        return (None,) * len(run.refs)
    out: list[Value | None] = []
    for column in zip(*splits, strict=True):
        first_value = column[0][0]
        for v, _ in column:
            if v is not first_value and not (type(v) is type(first_value) and v == first_value
                                             and str(v) == str(first_value)):
                out.append(None)
                break
        else:
            out.append(first_value)
    return tuple(out)


def apply_hint(run: Run) -> None:
    """Among the remaining splits, take the only one that honours every space."""
    if run.ambiguous is None or not run.gaps:
        return
    respecting = [s for s in run.ambiguous if respects(s, run.gaps)]
    if len(respecting) == 1 and run.complete:
        run.chosen, run.ambiguous = respecting[0], None
