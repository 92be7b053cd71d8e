"""Recover the cells of a table whose cell separators were lost.

Naive scrapers turn a table row such as ``| 23 | 0 | 0 | 0 | 0 | 0 | 23 |`` into
``230 000023``: the row label survives, the boundaries between its numbers do not.
:func:`split_table` finds each row label of one table in such text and splits the
digits that follow it back into the row's columns, using only what the form
guarantees: no count has a leading zero, a row's 总计 is the sum of its parts
(I3, I4), and the columns of table 三 add up (I1, I2). A row is filled in only
where exactly one split is consistent; otherwise its cells stay blank and a
finding lists the candidates. Spaces inside a run are never trusted as
boundaries, but among consistent splits the one that puts every space on a
boundary is preferred when there is exactly one.

The functions here are pure and total: any string gives a :class:`RunTable`
quickly (the searches are bounded and report ambiguity when a bound is hit).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from ..model.cells import Blank, CellRef, CellSource, Value
from ..model.findings import Finding
from ..model.report import Edition
from ..model.schema import Kind, RowSpec, TableSpec, form
from ..model.tables import ExtraRow
from ..validation.catalogue import CODES as _CATALOGUE
from ._textread._findings import finding

__all__ = ["CODES", "RunTable", "split_table"]

#: The finding codes this module emits, with their meaning (from the catalogue).
CODES: Mapping[str, str] = {
    code: _CATALOGUE[code].statement_en
    for code in ("read-ambiguous-split", "read-unsplittable-row", "read-missing-row",
                 "read-missing-table")
}

#: Longest integer part of a number, in digits; longer runs cannot be one cell.
MAX_INT_DIGITS = 12
#: Longest fractional part of an amount, in digits.
MAX_FRACTION_DIGITS = 10
#: Most splits kept for one row; beyond this a row is reported as ambiguous.
ROW_CANDIDATE_CAP = 64
#: Most search steps spent splitting one row, per pass.
ROW_STEP_BUDGET = 20_000
#: Most search nodes spent combining the candidate rows of one table.
TABLE_NODE_BUDGET = 200_000
#: Most consistent combinations collected for one group of linked rows.
SOLUTION_CAP = 4_096
#: Most extra (unknown, labelled) rows kept for one table; the rest is noise.
MAX_EXTRA_ROWS = 100
#: How many candidates a finding's message shows.
SHOWN_CANDIDATES = 5

_BLANK = Blank("")
#: A cell whose blank vanished from the text (only in a table that drops its
#: empty cells): blank in the result, nothing in a sum while searching.
_GONE = Blank("")
#: Units printed after a count of table 二 (``2笔``).
_COUNT_UNITS = "笔件个项条份"
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": '"', "’": '"', "'": '"', "″": '"'})
_BLANK_MARKS = "/—–-无"
# Characters a run may hold once whitespace is gone: digits, decimal point, signs,
# units and the marks printed for empty cells.
_RUN = re.compile(r"[0-9.\-减/—–无万元]+")
#: A run of table 二, whose counts may carry units (``2笔``).
_ACTIVE_RUN = re.compile(r"[0-9.\-减/—–无万元笔件个项条份]+")
_DIGIT = re.compile(r"[0-9]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")

# Header and group texts that carry no numbers and sit between rows.
_EXTRA_NOISE: Mapping[str, tuple[str, ...]] = {
    "active": ("信息内容",),
    "applications": (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
        "三、本年度办理结果",
        "申请人情况",
        "法人或其他组织",
    ),
    "appeals": ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"),
}


# --- Results ------------------------------------------------------------------


@attrs.frozen(kw_only=True, slots=True)
class RunTable:
    """What :func:`split_table` recovered from one table's text.

    ``values`` has every cell of the table (blank where nothing could be
    recovered), ``provenance`` the line of each cell and the row's run as
    printed, ``findings`` the problems met (a ``read-ambiguous-split``
    finding's ``expected`` lists the readings that remained, ``|`` between
    them), and ``extra_rows`` labelled rows the form does not have (their
    numbers kept unsplit).
    """

    values: Mapping[CellRef, Value]
    provenance: Mapping[CellRef, CellSource]
    findings: tuple[Finding, ...]
    extra_rows: tuple[ExtraRow, ...]


# --- Text normalisation with a map back to the source -----------------------


class _Text:
    """The segment normalised for matching: NFKC, quotes folded, no whitespace.

    ``origin(i)`` is the index in the segment of normalised character ``i`` and
    ``gap(i)`` says whitespace stood before it. Both are kept per stretch of
    text between whitespace, so that a long run costs no per-character work.
    """

    def __init__(self, segment: str) -> None:
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._linear: list[bool] = []
        self._gaps: set[int] = set()
        table = _char_table(segment)
        if table is None:
            self.chars = self._per_word(segment)
            return
        # Every character normalises to one character: positions carry over, and
        # only the whitespace runs need mapping.
        folded = segment.translate(table)
        spaces = [m.span() for m in _SPACES.finditer(folded)]
        removed = 0
        self._add(0, 0, True)
        for start, end in spaces:
            removed += end - start
            self._norm_starts.append(end - removed)
            self._orig_starts.append(end)
            self._linear.append(True)
            if start > 0:
                self._gaps.add(end - removed)
        self.chars = _SPACES.sub("", folded)

    def _per_word(self, segment: str) -> str:
        parts: list[str] = []
        size = 0
        for m in _WORD.finditer(segment):
            word = m.group()
            n = unicodedata.normalize("NFKC", word).translate(_QUOTES)
            if m.start() > 0 and segment[m.start() - 1].isspace():
                self._gaps.add(size)
            if len(n) == len(word) and not _SPACE.search(n):
                self._add(size, m.start(), True)
                parts.append(n)
                size += len(n)
                continue
            for k, ch in enumerate(word):
                piece = "".join(
                    unicodedata.normalize("NFKC", ch).translate(_QUOTES).split()
                )
                if piece:
                    self._add(size, m.start() + k, len(piece) == 1)
                    parts.append(piece)
                    size += len(piece)
        return "".join(parts)

    def _add(self, norm: int, orig: int, linear: bool) -> None:
        self._norm_starts.append(norm)
        self._orig_starts.append(orig)
        self._linear.append(linear)

    def origin(self, i: int) -> int:
        k = bisect.bisect_right(self._norm_starts, i) - 1
        if self._linear[k]:
            return self._orig_starts[k] + i - self._norm_starts[k]
        return self._orig_starts[k]

    def gap(self, i: int) -> bool:
        return i in self._gaps


def _char_table(segment: str) -> dict[int, str] | None:
    """A translation table doing NFKC and quote folding character by character.

    ``None`` when some character normalises to several (``㈠``), so that
    positions would not carry over.
    """
    table: dict[int, str] = {}
    for ch in set(segment):
        if ch.isascii():
            continue
        n = unicodedata.normalize("NFKC", ch).translate(_QUOTES)
        if n != ch:
            if len(n) != 1:
                return None
            table[ord(ch)] = n
    table[ord("'")] = '"'
    return table


def _norm(text: str) -> str:
    """``text`` as labels are compared: NFKC, quotes folded, whitespace deleted."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return "".join(folded.split())


class _Lines:
    """Maps a segment index to its 1-based source line."""

    def __init__(self, segment: str, first_line: int) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", segment)]
        self._first = first_line

    def at(self, index: int) -> int:
        return self._first + bisect.bisect_left(self._newlines, index)


# --- Splitting one run ----------------------------------------------------------

#: One split: a (value, start offset in the run) per cell.
_Split = tuple[tuple[Value, int], ...]


@attrs.frozen(slots=True)
class _Group:
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
    else:
        for e in _int_ends(s, i):
            out.append((e, int(s[i:e])))
            if units and e < len(s) and s[e] in _COUNT_UNITS:
                out.append((e + 1, int(s[i:e])))
    return out


def _max_len(kind: Kind) -> int:
    if kind == "amount":
        return MAX_INT_DIGITS + 1 + MAX_FRACTION_DIGITS + 2
    return MAX_INT_DIGITS + (1 if kind == "signed" else 0)


class _Exhausted(Exception):
    """A search bound was hit (raised and caught inside :func:`_enumerate` only)."""


def _enumerate(
    s: str, groups: Sequence[_Group], strict: bool, vanish: bool = False, units: bool = False,
) -> tuple[list[_Split], bool]:
    """Splits of ``s`` into the cells of ``groups``; and whether the list is complete.

    ``strict`` enforces the sums of summed groups. There the total of a group
    is placed first (its length and where it starts), so that its value bounds
    every part before it and fixes the last one. With ``vanish`` any cell may
    be missing from the text (:data:`_GONE`, nothing in a sum): a table that
    drops its empty cells. ``units`` lets a count carry a unit (``2笔``). The
    search stops after :data:`ROW_STEP_BUDGET` steps or
    :data:`ROW_CANDIDATE_CAP` results.
    """
    n = len(s)
    least = 0 if vanish else 1  # fewest characters a cell takes
    sizes = [len(g.kinds) * least for g in groups]
    # Fewest and most characters the groups from gi on can take.
    min_rest = [sum(sizes[gi:]) for gi in range(len(groups) + 1)]
    max_rest = [sum(_max_len(k) for g in groups[gi:] for k in g.kinds)
                for gi in range(len(groups) + 1)]
    if not groups or not min_rest[0] <= n <= max_rest[0]:
        return [], True
    results: list[_Split] = []
    cells: list[tuple[Value, int]] = []
    steps = [ROW_STEP_BUDGET]
    # Digit sums of prefixes: a number is congruent to its digit sum modulo 9, so
    # however digits are cut into parts, their sum is congruent to the digits'
    # sum. A total placement that breaks this needs no search.
    digit_sum = [0]
    non_digits = [0]
    for ch in s:
        digit = "0" <= ch <= "9"
        digit_sum.append(digit_sum[-1] + (ord(ch) - 48 if digit else 0))
        non_digits.append(non_digits[-1] + (0 if digit else 1))
    cache: dict[tuple[int, Kind], list[tuple[int, Value]]] = {}

    def options(pos: int, kind: Kind) -> list[tuple[int, Value]]:
        got = cache.get((pos, kind))
        if got is None:
            got = _options(s, pos, kind, units) if pos < n else []
            if vanish:
                got = [(pos, _GONE), *got]
            cache[pos, kind] = got
        return got

    def tick() -> None:
        steps[0] -= 1
        if steps[0] < 0:
            raise _Exhausted

    def free(kinds: Sequence[Kind], k: int, pos: int, stop: int,
             then: Callable[[int], None]) -> None:
        # Cells kinds[k:] anywhere in s[pos:stop] (stop: how far they may reach).
        tick()
        if k == len(kinds):
            then(pos)
            return
        for end, value in options(pos, kinds[k]):
            if end <= stop:
                cells.append((value, pos))
                free(kinds, k + 1, end, stop, then)
                cells.pop()

    def parts(kinds: Sequence[Kind], k: int, pos: int, stop: int, partial: int | None,
              target: int | None, widest: int, longest: int, then: Callable[[], None]) -> None:
        # Parts kinds[k:] exactly filling s[pos:stop], summing to ``target``.
        tick()
        left, count = stop - pos, len(kinds) - k
        if count == 0:
            if left == 0 and (target is None or partial is None or partial == target):
                then()
            return
        if left < count * least or left > count * widest:
            return
        if target is not None and partial is not None:
            most = -(-left // count)  # some part left has at least this many digits
            if most > 1 and target - partial < 10 ** (most - 1):
                return
            # At most nine parts sum to at most one digit more than the longest.
            if (not vanish and len(kinds) <= 9 and longest < widest - 1
                    and left - count + 1 < widest - 1):
                return
        for end, value in options(pos, kinds[k]):
            if end > stop or end - pos > widest:
                continue
            if count == 1 and end != stop:
                continue
            nxt: int | None = partial
            if partial is not None and not isinstance(value, Blank):
                nxt = partial + int(value)
                if target is not None and nxt > target:
                    continue
            elif value is not _GONE:
                nxt = None  # a printed blank mark: the sum cannot be checked
            cells.append((value, pos))
            parts(kinds, k + 1, end, stop, nxt, target, widest, max(longest, end - pos), then)
            cells.pop()

    def group(gi: int, pos: int) -> None:
        if gi == len(groups):
            if pos == n:
                results.append(tuple(cells))
                if len(results) > ROW_CANDIDATE_CAP:
                    raise _Exhausted
            return
        left = n - pos
        if not min_rest[gi] <= left <= max_rest[gi]:
            return
        g = groups[gi]
        if not (strict and g.summed):
            free(g.kinds, 0, pos, n, lambda end: group(gi + 1, end))
            return
        nparts, total_kind = len(g.kinds) - 1, g.kinds[-1]
        longest_part = max(_max_len(k) for k in g.kinds[:-1])
        for start in range(pos + nparts * least, min(n, pos + nparts * longest_part) + 1):
            if n - start < min_rest[gi + 1] + least:
                break
            for end, total in options(start, total_kind):
                if not min_rest[gi + 1] <= n - end <= max_rest[gi + 1]:
                    continue
                if total is _GONE:
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

                def place_total(end: int = end, total: Value = total, start: int = start) -> None:
                    cells.append((total, start))
                    group(gi + 1, end)
                    cells.pop()

                parts(g.kinds[:-1], 0, pos, start, 0, target, widest, 0, place_total)

    try:
        group(0, 0)
    except _Exhausted:
        return results[:ROW_CANDIDATE_CAP + 1], False
    return results, True


def _values(split: _Split) -> tuple[Value, ...]:
    return tuple(v for v, _ in split)


def _respects(split: _Split, gaps: frozenset[int]) -> bool:
    """Whether every space inside the run falls on a cell boundary of ``split``."""
    return gaps <= {start for _, start in split}


# --- Rows of a table ------------------------------------------------------------


@attrs.define(slots=True)
class _Run:
    """One run of digits to split: the cells it covers and what was printed."""

    refs: tuple[CellRef, ...]
    groups: tuple[_Group, ...]
    row: str | None
    label: str
    full_label: str = ""
    compact: str = ""
    raw: str = ""
    origin: tuple[int, ...] = ()
    gaps: frozenset[int] = frozenset()
    line: int | None = None
    found: bool = True
    complete: bool = True
    loose: bool = False  # the split breaks the row's sums: printed numbers kept as facts
    chosen: _Split | None = None
    ambiguous: list[_Split] | None = None
    solved: bool = False  # the identities were applied: spaces were weighed jointly
    vanish: bool = False  # read as a row whose empty cells may have vanished
    # Every split into cells, totals ignored, when none keeps them (printed facts).
    unchecked: list[_Split] | None = None


def _row_groups(table: str, row: RowSpec) -> tuple[_Group, ...]:
    kinds = tuple(c.kind for c in row.columns)
    return (_Group(kinds, summed=table in ("applications", "appeals")),)


def _noise(spec: TableSpec) -> re.Pattern[str]:
    texts = {spec.label, *_EXTRA_NOISE.get(spec.key, ())}
    for row in spec.rows:
        texts.update(c.label for c in row.columns)
        if row.group_label:
            texts.add(row.group_label)
        if spec.key == "appeals":
            texts.add(row.label)
    normed = sorted({_norm(t) for t in texts if _norm(t)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in normed))


def _label_variants(label: str) -> tuple[str, ...]:
    full = _norm(label)
    cut = full.find("(", 3)
    if cut > 1:
        return (full, full[:cut])
    return (full,)


def _matching_paren(chars: str, pos: int, end: int) -> int:
    """End of a bracketed note opening at ``pos`` (or ``pos`` when there is none)."""
    if pos >= end or chars[pos] != "(":
        return pos
    depth = 0
    for k in range(pos, min(end, pos + 300)):
        if chars[k] == "(":
            depth += 1
        elif chars[k] == ")":
            depth -= 1
            if depth == 0:
                return k + 1
    return pos


class _Piece:
    """Text between two labels with the noise taken out, mapped back to ``_Text``."""

    def __init__(self, text: _Text, start: int, end: int, noise: re.Pattern[str]) -> None:
        sub = text.chars[start:end]
        keep: list[int] = []
        last = 0
        #: Where (in ``chars``) form text was first taken out; -1 if none was.
        self.first_cut = -1
        for m in noise.finditer(sub):
            keep.extend(range(start + last, start + m.start()))
            if self.first_cut < 0:
                self.first_cut = len(keep)
            last = m.end()
        self.text = text
        self._start = start
        # Position in text.chars of each character; None when no noise was removed.
        self._index: list[int] | None = None
        self.chars = sub
        if last:
            keep.extend(range(start + last, end))
            self._index = keep
            self.chars = "".join(text.chars[k] for k in keep)

    def _at(self, p: int) -> int:
        return self._start + p if self._index is None else self._index[p]

    def gap(self, p: int) -> bool:
        k = self._at(p)
        return self.text.gap(k) or (p > 0 and self._at(p - 1) != k - 1)

    def origin(self, p: int) -> int:
        return self.text.origin(self._at(p))


def _fill(run: _Run, piece: _Piece, a: int, b: int, segment: str, lines: _Lines) -> None:
    """Give ``run`` the characters ``a:b`` of ``piece`` as its printed run."""
    run.compact = piece.chars[a:b]
    run.raw = segment[piece.origin(a): piece.origin(b - 1) + 1]
    run.line = lines.at(piece.origin(a))
    if b - a <= sum(_max_len(k) for g in run.groups for k in g.kinds):
        # Only a run short enough to be split needs its map back to the source.
        run.origin = tuple(piece.origin(p) for p in range(a, b))
        run.gaps = frozenset(p - a for p in range(a + 1, b) if piece.gap(p))


# --- The search across rows (table 三) ------------------------------------------


def _applications_constraints(keys: Sequence[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    heads = ("received", "carried_over", "total_handled", "carried_forward")
    outcomes = tuple(k for k in keys if k not in heads)
    return [
        (("received", "carried_over"), ("total_handled", "carried_forward")),  # I1
        (("total_handled",), outcomes),  # I2
    ]


def _side_sum(vals: Iterable[tuple[Value, ...]], col: int) -> int | None:
    total = 0
    for row in vals:
        v = row[col]
        if v is _GONE:
            continue  # a vanished blank adds nothing
        if isinstance(v, Blank) or not isinstance(v, int):
            return None
        total += v
    return total


def _solve(
    runs: Mapping[str, _Run],
    constraints: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
    ncols: int,
) -> None:
    """Choose among the candidate splits of linked rows using the column identities.

    Rows with one candidate are fixed; a constraint naming a row that has no
    usable candidates is dropped. Linked open rows are searched together; each
    keeps the candidates that occur in some consistent combination.
    """
    fixed: dict[str, tuple[Value, ...]] = {}
    open_rows: dict[str, list[_Split]] = {}
    for key, run in runs.items():
        if run.chosen is not None:
            fixed[key] = _values(run.chosen)
        elif run.ambiguous is not None and run.complete and not run.loose:
            open_rows[key] = run.ambiguous
    usable = [
        (lhs, rhs) for lhs, rhs in constraints
        if all(k in fixed or k in open_rows for k in (*lhs, *rhs))
        and any(k in open_rows for k in (*lhs, *rhs))
    ]
    # Connected components of open rows, linked through usable constraints.
    parent = {k: k for k in open_rows}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for lhs, rhs in usable:
        members = [k for k in (*lhs, *rhs) if k in open_rows]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    components: dict[str, list[str]] = {}
    for k in open_rows:
        components.setdefault(find(k), []).append(k)
    budget = [TABLE_NODE_BUDGET]
    for members in components.values():
        cons = [c for c in usable if any(k in members for k in (*c[0], *c[1]))]
        if not cons:
            continue
        _solve_component(members, cons, fixed, open_rows, runs, ncols, budget)


def _solve_component(
    members: list[str],
    cons: list[tuple[tuple[str, ...], tuple[str, ...]]],
    fixed: Mapping[str, tuple[Value, ...]],
    open_rows: Mapping[str, list[_Split]],
    runs: Mapping[str, _Run],
    ncols: int,
    budget: list[int],
) -> None:
    # total_handled first: it bounds the sum of every outcome row.
    order = sorted(members, key=lambda k: (k != "total_handled", k not in ("received",
                   "carried_over", "carried_forward")))
    domains = [[_values(s) for s in open_rows[k]] for k in order]
    position = {k: i for i, k in enumerate(order)}
    assigned: dict[str, tuple[Value, ...]] = dict(fixed)
    # A constraint is checked in full once its last open row is assigned, and
    # pruned (all cells non-negative) whenever one side is complete.
    checks_at: list[list[int]] = [[] for _ in order]
    for ci, (lhs, rhs) in enumerate(cons):
        last = max(position[k] for k in (*lhs, *rhs) if k in position)
        checks_at[last].append(ci)
    solutions: list[tuple[int, ...]] = []
    choice: list[int] = []

    def holds(ci: int, full: bool) -> bool:
        lhs, rhs = cons[ci]
        for col in range(ncols):
            sides = []
            for side in (lhs, rhs):
                got = [assigned[k] for k in side if k in assigned]
                sides.append((_side_sum(got, col), len(got) == len(side)))
            (a, a_full), (b, b_full) = sides
            if a is None or b is None:
                continue
            if full and a != b:
                return False
            if (a_full and b > a) or (b_full and a > b):
                return False
        return True

    def rec(i: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if i == len(order):
            solutions.append(tuple(choice))
            return len(solutions) < SOLUTION_CAP
        key = order[i]
        for idx, vals in enumerate(domains[i]):
            assigned[key] = vals
            if all(holds(ci, True) for ci in checks_at[i]) and all(
                holds(ci, False) for ci in range(len(cons)) if ci not in checks_at[i]
            ):
                choice.append(idx)
                ok = rec(i + 1)
                choice.pop()
                if not ok:
                    del assigned[key]
                    return False
            del assigned[key]
        return True

    complete = rec(0)
    if not complete or not solutions:
        # A bound was hit, or the printed numbers break an identity: the
        # identities cannot choose, so each row keeps its own candidates.
        return
    hinted = [k for k in order
              if any(_respects(s, runs[k].gaps) for s in open_rows[k]) and runs[k].gaps]
    preferred = [
        sol for sol in solutions
        if all(_respects(open_rows[k][sol[position[k]]], runs[k].gaps) for k in hinted)
    ]
    pool = preferred or solutions
    for k in order:
        used = sorted({sol[position[k]] for sol in pool})
        splits = [open_rows[k][u] for u in used]
        run = runs[k]
        run.solved = True
        if len(splits) == 1:
            run.chosen, run.ambiguous = splits[0], None
        else:
            run.ambiguous = [open_rows[k][u] for u in sorted({s[position[k]] for s in solutions})]


# --- The table ------------------------------------------------------------------


def _decide_locally(run: _Run, units: bool = False) -> None:
    """Split ``run`` on its own: its cell formats and its own sums."""
    run.chosen, run.ambiguous, run.complete, run.loose = None, None, True, False
    run.unchecked = None
    if not run.found:
        return
    if not run.compact:
        if run.vanish:  # nothing printed in a table that drops empty cells
            run.chosen = tuple((_GONE, 0) for _ in run.refs)
        return
    splits, complete = _enumerate(run.compact, run.groups, strict=True, vanish=run.vanish,
                                  units=units)
    if not splits and complete:
        if run.vanish:
            return
        loose, loose_complete = _enumerate(run.compact, run.groups, strict=False,
                                           units=units)
        if len(loose) == 1 and loose_complete:
            run.chosen, run.loose = loose[0], True
            return
        run.complete = loose_complete
        run.unchecked = loose
        return
    unique = {_values(s): s for s in splits}
    splits = list(unique.values())
    run.complete = complete
    if len(splits) == 1 and complete:
        run.chosen = splits[0]
    elif splits:
        run.ambiguous = splits


def _drops_blanks(runs: Sequence[_Run]) -> bool:
    """Whether the table's text shows that its empty cells vanished.

    A table that prints every cell never has a labelled row with nothing after
    it, nor one with fewer characters than cells.
    """
    return any(run.found and run.refs and len(run.compact) < len(run.refs) for run in runs)


def _agreed(run: _Run) -> tuple[Value | None, ...]:
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
    columns = zip(*(_values(s) for s in splits), strict=True)
    out: list[Value | None] = []
    for values in columns:
        first_value = values[0]
        same = all(type(v) is type(first_value) and v == first_value
                   and str(v) == str(first_value) for v in values[1:])
        out.append(first_value if same else None)
    return tuple(out)


def _apply_hint(run: _Run) -> None:
    """Among the remaining splits, take the only one that honours every space."""
    if run.ambiguous is None or not run.gaps or run.solved:
        return
    respecting = [s for s in run.ambiguous if _respects(s, run.gaps)]
    if len(respecting) == 1 and run.complete:
        run.chosen, run.ambiguous = respecting[0], None


def _show(split: _Split, groups: Sequence[_Group]) -> str:
    vals = [str(v) if not isinstance(v, Blank) else (v.printed or "空") for v, _ in split]
    parts: list[str] = []
    at = 0
    for g in groups:
        parts.append(",".join(vals[at: at + len(g.kinds)]))
        at += len(g.kinds)
    return " / ".join(parts)


def _where(table: TableSpec, run: _Run) -> tuple[str, str]:
    zh_row = f"表{table.short}" + (f"「{run.label}」" if run.label else "")
    en_row = f"{table.key}" + (f"/{run.row}" if run.row else "")
    line = f"第{run.line}行" if run.line is not None else ""
    en_line = f" (line {run.line})" if run.line is not None else ""
    return zh_row + line, en_row + en_line


def _finish(
    table: TableSpec,
    runs: Sequence[_Run],
    lines: _Lines,
) -> tuple[dict[CellRef, Value], dict[CellRef, CellSource], list[Finding]]:
    values: dict[CellRef, Value] = {}
    provenance: dict[CellRef, CellSource] = {}
    findings: list[Finding] = []
    for run in runs:
        zh, en = _where(table, run)
        for ref in run.refs:
            values[ref] = _BLANK
        if not run.found:
            findings.append(finding(
                "read-missing-row", f"{zh}：未找到该行，单元格留空。",
                f"{en}: the row was not found; its cells are left blank.",
                table=table.key, row=run.row, cells=run.refs, blanks=run.refs,
                expected=run.full_label or None,
            ))
            continue
        if run.chosen is not None:
            sources: dict[int, CellSource] = {}
            for ref, (value, start) in zip(run.refs, run.chosen, strict=True):
                values[ref] = value
                if value is _GONE:
                    continue  # nothing printed for this cell
                line = lines.at(run.origin[start])
                source = sources.get(line)
                if source is None:
                    source = sources[line] = CellSource(line=line, printed=run.raw)
                provenance[ref] = source
            continue
        shared = CellSource(line=run.line, printed=run.raw or None)
        for ref in run.refs:
            provenance[ref] = shared
        if not run.compact:
            continue  # nothing printed: the cells are blank as printed
        if run.ambiguous is not None:
            agreed = _agreed(run)
            kept = [ref for ref, v in zip(run.refs, agreed, strict=True) if v is not None]
            for ref, v in zip(run.refs, agreed, strict=True):
                if v is not None:
                    values[ref] = v
            uncertain = tuple(ref for ref, v in zip(run.refs, agreed, strict=True) if v is None)
            shown = "; ".join(_show(s, run.groups) for s in run.ambiguous[:SHOWN_CANDIDATES])
            more = "" if run.complete and len(run.ambiguous) <= SHOWN_CANDIDATES else " …"
            readings = " | ".join(_show(s, run.groups) for s in run.ambiguous)
            if not run.complete:
                readings += " | …"
            names = "、".join(_column_zh(table, ref) for ref in kept)
            names_en = ", ".join(ref.column for ref in kept)
            keep_zh = f"各种拆分一致的{names}保留，其余" if kept else ""
            keep_en = (f"the cells every split agrees on ({names_en}) are kept, the others"
                       if kept else "its cells")
            findings.append(finding(
                "read-ambiguous-split",
                (f"{zh}：数字“{run.raw}”可按多种方式拆分为单元格（{shown}{more}），"
                 f"无法确定，{keep_zh}单元格留空。"),
                (f"{en}: the run {run.raw!r} splits into cells in several ways "
                 f"consistent with the totals ({shown}{more}); {keep_en} are left blank."),
                table=table.key, row=run.row, line=run.line, cells=run.refs,
                blanks=uncertain, expected=readings, actual=run.raw,
            ))
            continue
        why_zh = "拆分方式过多" if not run.complete else "没有与总计一致的拆分方式"
        why_en = ("it has too many possible splits" if not run.complete
                  else "no split into its cells is consistent with the totals")
        agreed = _agreed(run)
        for ref, v in zip(run.refs, agreed, strict=True):
            if v is not None:
                values[ref] = v
        uncertain = tuple(ref for ref, v in zip(run.refs, agreed, strict=True) if v is None)
        certain = len(run.refs) - len(uncertain)
        findings.append(finding(
            "read-unsplittable-row",
            (f"{zh}：数字“{run.raw}”无法拆分为{len(run.refs)}个单元格（{why_zh}），"
             + (f"各种拆分一致的{certain}格保留，其余" if certain else "") + "单元格留空。"),
            (f"{en}: the run {run.raw!r} cannot be split into {len(run.refs)} "
             f"cells: {why_en}; "
             + (f"the {certain} cells every split agrees on are kept, the others "
                if certain else "its cells ") + "are left blank."),
            table=table.key, row=run.row, line=run.line, cells=run.refs, blanks=uncertain,
            actual=run.raw,
        ))
    return values, provenance, findings


def _column_zh(table: TableSpec, ref: CellRef) -> str:
    for row in table.rows:
        if row.key == ref.row:
            label = row.column(ref.column).label
            return f"{row.label.split('/')[-1]}「{label}」" if table.key == "appeals" else label
    return ref.column


def _labelled_runs(
    spec: TableSpec, text: _Text, segment: str, lines: _Lines
) -> tuple[list[_Run], list[ExtraRow]]:
    """Find each row label in order and cut out the run that follows it."""
    noise = _noise(spec)
    runs = [
        _Run(refs=row.refs(), groups=_row_groups(spec.key, row), row=row.key, label=row.short,
             full_label=row.label)
        for row in spec.rows
    ]
    found: list[tuple[int, int, int]] = []  # (start, end, run index)
    cursor = 0
    for i, row in enumerate(spec.rows):
        for variant in _label_variants(row.label):
            at = text.chars.find(variant, cursor)
            if at >= 0:
                found.append((at, at + len(variant), i))
                cursor = at + len(variant)
                break
        else:
            runs[i].found = False
    extra: list[ExtraRow] = []
    for n, (_start, end, i) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(text.chars)
        run = runs[i]
        run.line = lines.at(text.origin(_start))
        piece = _Piece(text, end, stop, noise)
        begin = _matching_paren(piece.chars, 0, len(piece.chars))
        run_chars = _ACTIVE_RUN if spec.key == "active" else _RUN
        blocks = (m.span() for m in run_chars.finditer(piece.chars, begin))
        span = next(
            ((a, b) for a, b in blocks if a == begin or _DIGIT.search(piece.chars, a, b)),
            None,
        )
        if span is None:
            continue
        a, b = span
        _fill(run, piece, a, b, segment, lines)
        # Labelled text after the run, followed by numbers: a row the form lacks.
        prev_end = b
        for a2, b2 in blocks:
            if len(extra) >= MAX_EXTRA_ROWS:
                break
            if not _DIGIT.search(piece.chars, a2, b2):
                continue
            if _CJK.search(piece.chars, prev_end, a2):
                lo = piece.origin(prev_end)
                hi = piece.origin(a2 - 1) + 1
                num_lo = piece.origin(a2)
                num_hi = piece.origin(b2 - 1) + 1
                extra.append(ExtraRow(
                    label=segment[lo:hi].strip(), cells=(segment[num_lo:num_hi],),
                    after=run.row, line=lines.at(lo),
                ))
            prev_end = b2
    return runs, extra


def _appeals_run(spec: TableSpec, text: _Text, segment: str, lines: _Lines) -> _Run:
    """The one unlabelled run of table 四: 15 numbers, three groups of five."""
    refs = tuple(ref for row in spec.rows for ref in row.refs())
    groups = tuple(_Group(tuple(c.kind for c in row.columns), summed=True) for row in spec.rows)
    run = _Run(refs=refs, groups=groups, row=None, label="")
    piece = _Piece(text, 0, len(text.chars), _noise(spec))
    first = next(
        (m for m in _RUN.finditer(piece.chars) if _DIGIT.search(piece.chars, m.start(), m.end())),
        None,
    )
    # The numbers count only right after the table's header: a year or a count
    # in a sentence saying there were no cases is not the table.
    if (first is None or not 0 <= piece.first_cut <= first.start()
            or _CJK.search(piece.chars, 0, first.start())):
        run.found = False
        return run
    a, b = first.span()
    _fill(run, piece, a, b, segment, lines)
    return run


def split_table(segment: str, edition: Edition, table: str, first_line: int) -> RunTable:
    """Recover the cells of ``table`` from ``segment``, text whose separators were lost.

    ``segment`` is the raw text of the table's region (after its section heading,
    up to the next one), ``first_line`` the source line it starts on. Never
    raises for any text; an unknown ``edition`` or ``table`` is a programmer
    error (:class:`KeyError` or :class:`ValueError`).
    """
    spec = form(edition).table(table)
    text = _Text(segment)
    lines = _Lines(segment, first_line)
    extra: list[ExtraRow] = []
    if table == "appeals":
        runs = [_appeals_run(spec, text, segment, lines)]
    else:
        runs, extra = _labelled_runs(spec, text, segment, lines)
    units = table == "active"
    if _drops_blanks(runs):
        for run in runs:
            run.vanish = True
    for run in runs:
        _decide_locally(run, units)
    if table == "applications":
        keys = [r.key for r in spec.rows]
        _solve({r.row: r for r in runs if r.row is not None},
               _applications_constraints(keys), ncols=len(spec.rows[0].columns))
    for run in runs:
        _apply_hint(run)
    if not any(run.found for run in runs):
        refs = tuple(ref for row in spec.rows for ref in row.refs())
        where = f"第{first_line}行" if first_line else ""
        return RunTable(
            values=dict.fromkeys(refs, _BLANK), provenance={}, extra_rows=(),
            findings=(finding(
                "read-missing-table",
                f"{where}表{spec.short}的内容未找到，单元格留空。",
                f"line {first_line}: table {table} was not found in its section; its cells "
                "are blank.",
                table=table, line=first_line, cells=refs, blanks=refs,
            ),),
        )
    values, provenance, findings = _finish(spec, runs, lines)
    return RunTable(
        values=values, provenance=provenance, findings=tuple(findings),
        extra_rows=tuple(extra),
    )
