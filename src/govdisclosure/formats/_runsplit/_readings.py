"""The readings of one run: every way its characters split into the row's cells.

A reading puts each cell of the row at a start in the run and gives its value.
Counts have no leading zero (``0`` is a cell of its own); amounts may carry a
fraction and ``元``/``万元``; a 2019 ``本年增/减`` may be negative (``-8``, ``减4``);
``/``, ``-`` and ``无`` are blank cells. In a summed group (a row of table 三, a
group of table 四) the last cell is the sum of the others. In a table that drops
its empty cells any cell may be missing (:data:`GONE`), adding nothing to a sum.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from math import comb

import attrs

from ...model.cells import Blank, Value
from ...model.schema import Kind

#: Longest integer part of a number, in digits; longer runs cannot be one cell.
MAX_INT_DIGITS = 12
#: Longest fractional part of an amount, in digits.
MAX_FRACTION_DIGITS = 10
#: Most splits kept for one row; beyond this a row is reported as ambiguous.
ROW_CANDIDATE_CAP = 64
#: Most boundary choices tried directly for a row with no sum (beyond: the search).
MAX_CUTS = 2_000
#: Most search steps spent splitting one row, per pass.
ROW_STEP_BUDGET = 20_000
#: A cell whose blank vanished from the text (only in a table that drops its
#: empty cells): blank in the result, nothing in a sum while searching.
GONE = Blank("")
#: A stretch not read yet (:func:`_cuts`).
_UNREAD = Blank("unread")
#: Units printed after a count of table 二 (``2笔``).
_COUNT_UNITS = "笔件个项条份"


# Marks printed for an empty cell, as folded (``—`` and ``–`` fold to ``-``).
_BLANK_MARKS = "/-无"


#: One split: a (value, start offset in the run) per cell.
Split = tuple[tuple[Value, int], ...]


@attrs.frozen(slots=True, cache_hash=True)
class Group:
    """Consecutive cells of a run; when ``summed`` the last is the sum of the rest."""

    kinds: tuple[Kind, ...]
    summed: bool


def _int_ends(s: str, j: int) -> list[int]:
    """Where an integer without leading zeros that starts at ``j`` may end."""
    n = len(s)
    if j >= n or not "0" <= s[j] <= "9":
        return []
    if s[j] == "0":
        return [j + 1]
    ends = []
    k = j
    while k < n and k - j < MAX_INT_DIGITS and "0" <= s[k] <= "9":
        k += 1
        ends.append(k)
    return ends


def _options(s: str, i: int, kind: Kind, units: bool = False) -> list[tuple[int, Value]]:
    """Every cell that may start at ``i``: (end, value), shortest first.

    With ``units`` a count may carry a unit (``2笔``).
    """
    out: list[tuple[int, Value]] = []
    if s.startswith("——", i):
        out.append((i + 2, Blank("——")))
    if s[i] in _BLANK_MARKS:
        out.append((i + 1, Blank(s[i])))
    if kind == "signed":
        sign, j = (-1, i + 1) if s[i] in "-减" else (1, i)
        out.extend((e, sign * int(s[j:e])) for e in _int_ends(s, j))
    elif kind == "amount":
        for e in _int_ends(s, i):
            ends = [e]
            if e < len(s) - 1 and s[e] == ".":
                f = e + 1
                while f < len(s) and f - e <= MAX_FRACTION_DIGITS and "0" <= s[f] <= "9":
                    f += 1
                    ends.append(f)
            for end in ends:
                value = Decimal(s[i:end])
                out.append((end, value))
                for unit in ("万元", "元"):
                    if s.startswith(unit, end):
                        out.append((end + len(unit), value))
    elif "1" <= s[i] <= "9":  # a count: each longer number is the last one and a digit
        n, number = len(s), 0
        for e in range(i + 1, min(n, i + MAX_INT_DIGITS) + 1):
            digit = s[e - 1]
            if not "0" <= digit <= "9":
                break
            number = number * 10 + ord(digit) - 48
            out.append((e, number))
            if units and e < n and s[e] in _COUNT_UNITS:
                out.append((e + 1, number))
    elif s[i] == "0":
        out.append((i + 1, 0))
        if units and i + 1 < len(s) and s[i + 1] in _COUNT_UNITS:
            out.append((i + 2, 0))
    return out


def max_len(kind: Kind) -> int:
    if kind == "amount":
        return MAX_INT_DIGITS + 1 + MAX_FRACTION_DIGITS + 2
    return MAX_INT_DIGITS + (1 if kind == "signed" else 0)


class _Exhausted(Exception):
    """A search bound was hit (raised and caught inside :func:`enumerate_splits` only)."""


def _one_char_cells(s: str, groups: Sequence[Group], strict: bool) -> tuple[list[Split], bool]:
    """The splits of a run as long as its cells: one character each, if that fits."""
    if s.isdigit() and s.isascii():  # the common case (``0000000``): no blank marks
        values: list[Value] = list(map(int, s))
        at = 0
        for g in groups:
            end = at + len(g.kinds)
            if strict and g.summed and sum(map(int, s[at: end - 1])) != values[end - 1]:
                return [], True
            if "amount" in g.kinds:
                for k, kind in enumerate(g.kinds, at):
                    if kind == "amount":
                        values[k] = Decimal(s[k])
            at = end
        return [tuple(zip(values, range(len(s)), strict=True))], True
    cells: list[tuple[Value, int]] = []
    at = 0
    for g in groups:
        total: int | None = 0
        for k, kind in enumerate(g.kinds):
            ch = s[at]
            value: Value
            if "0" <= ch <= "9":
                value = Decimal(ch) if kind == "amount" else int(ch)
            elif ch in _BLANK_MARKS:
                value = Blank(ch)
            else:
                return [], True
            if strict and g.summed and total is not None:
                if k == len(g.kinds) - 1:
                    if not isinstance(value, Blank) and value != total:
                        return [], True
                elif isinstance(value, Blank):
                    total = None  # a blank mark: the sum cannot be checked
                else:
                    total += int(value)
            cells.append((value, at))
            at += 1
    return [tuple(cells)], True


_COUNT_CELL = re.compile(r"(0|[1-9][0-9]{0,11})")
_UNIT_CELL = re.compile(r"(0|[1-9][0-9]{0,11})[" + _COUNT_UNITS + "]?")
_SIGNED_CELL = re.compile(r"([-减]?)(0|[1-9][0-9]{0,11})")
_AMOUNT_CELL = re.compile(r"((?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,10})?)(?:万元|元)?")


def _cell(s: str, start: int, end: int, kind: Kind, units: bool) -> Value | None:
    """``s[start:end]`` as one cell of ``kind``, or ``None`` when it is no such cell
    (the same cells as :func:`_options` gives)."""
    text = s[start:end]
    if text.isdigit() and text.isascii():  # the common case: digits alone
        if len(text) > MAX_INT_DIGITS or (text[0] == "0" and len(text) > 1):
            return None
        return Decimal(text) if kind == "amount" else int(text)
    if text in ("--", "/", "-", "无"):
        return Blank(text)
    if kind == "amount":
        m = _AMOUNT_CELL.fullmatch(text)
        return Decimal(m.group(1)) if m else None
    if kind == "signed":
        m = _SIGNED_CELL.fullmatch(text)
        return (-1 if m.group(1) else 1) * int(m.group(2)) if m else None
    m = (_UNIT_CELL if units else _COUNT_CELL).fullmatch(text)
    return int(m.group(1)) if m else None


def _cuts(s: str, kinds: Sequence[Kind], units: bool) -> tuple[list[Split], bool]:
    """The splits of ``s`` into cells of ``kinds`` with no sum to keep: every
    choice of boundaries whose cells are all well formed, in the order of the
    boundaries (the first cell's end first). A stretch of digits alone is a
    cell when it is one digit, or up to :data:`MAX_INT_DIGITS` digits led by
    1-9 (as :func:`_cell` reads it, without asking); any other stretch is read
    once, and so is the last cell (to the end of the run) from each start."""
    n, last = len(s), len(kinds) - 1
    if last == 0:
        value = _cell(s, 0, n, kinds[0], units)
        return ([((value, 0),)] if value is not None else []), True
    digits = [n] * (n + 1)  # where the digits that start at each place end
    for i in range(n - 1, -1, -1):
        digits[i] = digits[i + 1] if "0" <= s[i] <= "9" else i
    out: list[Split] = []
    try:
        _place(s, kinds, units, 0, 0, (), digits, [_UNREAD] * n, {}, out)
    except _Exhausted:
        return out, False
    return out, True


def _place(s: str, kinds: Sequence[Kind], units: bool, k: int, start: int,
           cells: tuple[tuple[Value, int], ...], digits: list[int], tails: list[Value | None],
           read: dict[tuple[int, int, Kind], Value | None], out: list[Split]) -> None:
    """:func:`_cuts` from cell ``k`` on (not the last), which starts at ``start``."""
    kind, n, last = kinds[k], len(s), len(kinds) - 1
    ends = digits[start]
    top = start if ends == start else start + 1 if s[start] == "0" else \
        min(ends, start + MAX_INT_DIGITS)
    value: Value | None
    # The cells after this one take at least a character each.
    for end in range(start + 1, n - last + k + 1):
        if end <= ends:  # digits alone
            if end > top:
                continue
            value = Decimal(s[start:end]) if kind == "amount" else int(s[start:end])
        else:
            value = read.get((start, end, kind), _UNREAD)
            if value is _UNREAD:
                value = read[start, end, kind] = _cell(s, start, end, kind, units)
            if value is None:
                continue
        if k + 1 < last:
            _place(s, kinds, units, k + 1, end, (*cells, (value, start)), digits, tails, read,
                   out)
            continue
        tail = tails[end]
        if tail is _UNREAD:
            tail = tails[end] = _cell(s, end, n, kinds[last], units)
        if tail is not None:
            out.append((*cells, (value, start), (tail, end)))
            if len(out) > ROW_CANDIDATE_CAP:
                raise _Exhausted


def enumerate_splits(
    s: str, groups: Sequence[Group], strict: bool, vanish: bool = False, units: bool = False,
) -> tuple[list[Split], bool]:
    """Splits of ``s`` into the cells of ``groups``; and whether the list is complete.

    ``strict`` enforces the sums of summed groups. There the total of a group
    is placed first (its length and where it starts), so that its value bounds
    every part before it and fixes the last one. With ``vanish`` any cell may
    be missing from the text (:data:`GONE`, nothing in a sum): a table that
    drops its empty cells. ``units`` lets a count carry a unit (``2笔``). The
    search stops after :data:`ROW_STEP_BUDGET` steps or
    :data:`ROW_CANDIDATE_CAP` results.
    """
    n = len(s)
    if not vanish and n == sum(len(g.kinds) for g in groups):
        return _one_char_cells(s, groups, strict)
    if (not vanish and len(groups) == 1 and not (strict and groups[0].summed)
            and 0 < len(groups[0].kinds) <= n
            and comb(n - 1, len(groups[0].kinds) - 1) <= MAX_CUTS):
        return _cuts(s, groups[0].kinds, units)
    if not groups:
        return [], True
    search = _Search(s, tuple(groups), strict, vanish, units)
    if not search.min_rest[0] <= n <= search.max_rest[0]:
        return [], True
    try:
        search.group(0, 0)
    except _Exhausted:
        return search.results[:ROW_CANDIDATE_CAP + 1], False
    return search.results, True


class _Search:
    """The search of :func:`enumerate_splits` over one run."""

    __slots__ = ("cache", "cells", "digit_sum", "gi", "groups", "kinds", "least", "longest",
                 "max_rest", "min_rest", "n", "non_digits", "results", "s", "spans", "steps",
                 "stop", "strict", "target", "total", "units", "vanish", "widest")

    def __init__(self, s: str, groups: tuple[Group, ...], strict: bool, vanish: bool,
                 units: bool) -> None:
        self.s, self.n, self.groups = s, len(s), groups
        self.strict, self.vanish, self.units = strict, vanish, units
        self.least = 0 if vanish else 1  # fewest characters a cell takes
        self.min_rest, self.max_rest, self.spans, self.longest = _reach(groups, self.least)
        self.results: list[Split] = []
        self.cells: list[tuple[Value, int]] = []
        self.steps = ROW_STEP_BUDGET
        # Digit sums of prefixes: a number is congruent to its digit sum modulo 9, so
        # however digits are cut into parts, their sum is congruent to the digits'
        # sum. A total placement that breaks this needs no search.
        digit_sum = [0]
        non_digits = [0]
        if strict and any(g.summed for g in groups):
            for ch in s:
                digit = "0" <= ch <= "9"
                digit_sum.append(digit_sum[-1] + (ord(ch) - 48 if digit else 0))
                non_digits.append(non_digits[-1] + (0 if digit else 1))
        self.digit_sum, self.non_digits = digit_sum, non_digits
        self.cache: dict[tuple[int, Kind], list[tuple[int, Value]]] = {}
        # The total a summed group's parts are being fitted to (:meth:`group`).
        self.kinds: tuple[Kind, ...] = ()
        self.target: int | None = None
        self.stop, self.widest, self.gi = 0, 0, 0
        self.total: tuple[Value, int, int] = (GONE, 0, 0)

    def options(self, pos: int, kind: Kind) -> list[tuple[int, Value]]:
        got = self.cache.get((pos, kind))
        if got is None:
            got = _options(self.s, pos, kind, self.units) if pos < self.n else []
            if self.vanish:
                got = [(pos, GONE), *got]
            self.cache[pos, kind] = got
        return got

    def free(self, gi: int, k: int, pos: int) -> None:
        # Cells k on of the group gi (no sum kept) from pos on, leaving between
        # lo[k] and hi[k] characters for themselves and the groups after them.
        self.steps -= 1
        if self.steps < 0:
            raise _Exhausted
        kinds = self.groups[gi].kinds
        if k == len(kinds):
            self.group(gi + 1, pos)
            return
        lo, hi = self.spans[gi]
        n, cells = self.n, self.cells
        for end, value in self.options(pos, kinds[k]):
            if lo[k + 1] <= n - end <= hi[k + 1]:
                cells.append((value, pos))
                self.free(gi, k + 1, end)
                cells.pop()

    def parts(self, k: int, pos: int, partial: int | None, longest: int) -> None:
        # The parts kinds[k:] of the total being placed, exactly filling
        # s[pos:stop] and summing to its value (``target``); then the total
        # itself and the groups after it.
        self.steps -= 1
        if self.steps < 0:
            raise _Exhausted
        kinds, stop, target, widest = self.kinds, self.stop, self.target, self.widest
        left, count = stop - pos, len(kinds) - k
        if count == 0:
            if left == 0 and (target is None or partial is None or partial == target):
                value, start, end = self.total
                self.cells.append((value, start))
                self.group(self.gi + 1, end)
                self.cells.pop()
            return
        if left < count * self.least or left > count * widest:
            return
        if target is not None and partial is not None:
            most = -(-left // count)  # some part left has at least this many digits
            if most > 1 and target - partial < 10 ** (most - 1):
                return
            # At most nine parts sum to at most one digit more than the longest.
            if (not self.vanish and len(kinds) <= 9 and longest < widest - 1
                    and left - count + 1 < widest - 1):
                return
        cells = self.cells
        for end, value in self.options(pos, kinds[k]):
            if end > stop or end - pos > widest:
                continue
            if count == 1 and end != stop:
                continue
            nxt: int | None = partial
            if partial is not None and not isinstance(value, Blank):
                nxt = partial + (value if type(value) is int else int(value))
                if target is not None and nxt > target:
                    continue
            elif value is not GONE:
                nxt = None  # a printed blank mark: the sum cannot be checked
            cells.append((value, pos))
            self.parts(k + 1, end, nxt, longest if longest >= end - pos else end - pos)
            cells.pop()

    def group(self, gi: int, pos: int) -> None:
        n, groups = self.n, self.groups
        if gi == len(groups):
            if pos == n:
                self.results.append(tuple(self.cells))
                if len(self.results) > ROW_CANDIDATE_CAP:
                    raise _Exhausted
            return
        left = n - pos
        min_rest, max_rest, least = self.min_rest, self.max_rest, self.least
        if not min_rest[gi] <= left <= max_rest[gi]:
            return
        g = groups[gi]
        if not (self.strict and g.summed):
            self.free(gi, 0, pos)
            return
        nparts, total_kind = len(g.kinds) - 1, g.kinds[-1]
        longest_part = self.longest[gi]
        digit_sum, non_digits = self.digit_sum, self.non_digits
        # The total being placed, for :meth:`parts`; a later group's placement
        # (from inside :meth:`parts`) puts back what it found.
        outer = (self.kinds, self.stop, self.target, self.widest, self.gi, self.total)
        self.kinds, self.gi = g.kinds[:-1], gi
        for start in range(pos + nparts * least, min(n, pos + nparts * longest_part) + 1):
            if n - start < min_rest[gi + 1] + least:
                break
            for end, total in self.options(start, total_kind):
                if not min_rest[gi + 1] <= n - end <= max_rest[gi + 1]:
                    continue
                if total is GONE:
                    # Under a vanished total the parts are blank or 0.
                    target: int | None = 0
                    widest = 1
                else:
                    target = None if isinstance(total, Blank) else int(total)
                    # No part is longer than a total it adds up to.
                    widest = end - start if target is not None else longest_part
                if start - pos > nparts * widest:
                    continue
                if (target is not None and non_digits[start] == non_digits[pos]
                        and (digit_sum[start] - digit_sum[pos] - target) % 9):
                    continue
                self.stop, self.target, self.widest = start, target, widest
                self.total = (total, start, end)
                self.parts(0, pos, 0, 0)
        self.kinds, self.stop, self.target, self.widest, self.gi, self.total = outer


@cache
def _reach(groups: tuple[Group, ...], least: int) -> tuple[
        list[int], list[int], list[tuple[list[int], list[int]]], list[int]]:
    """What :func:`enumerate_splits` knows of ``groups`` before reading a run
    (the form's rows: built once), when a cell takes at least ``least``
    characters: the fewest and the most characters the groups from each on can
    take; for each group, the fewest and the most its cells from each on and
    the groups after take; and its longest part (all but the last cell)."""
    min_rest = [sum(len(g.kinds) * least for g in groups[gi:]) for gi in range(len(groups) + 1)]
    max_rest = [sum(max_len(k) for g in groups[gi:] for k in g.kinds)
                for gi in range(len(groups) + 1)]
    spans = [([least * (len(g.kinds) - k) + min_rest[gi + 1] for k in range(len(g.kinds) + 1)],
              [sum(max_len(x) for x in g.kinds[k:]) + max_rest[gi + 1]
               for k in range(len(g.kinds) + 1)])
             for gi, g in enumerate(groups)]
    longest = [max((max_len(k) for k in g.kinds[:-1]), default=0) for g in groups]
    return min_rest, max_rest, spans, longest
