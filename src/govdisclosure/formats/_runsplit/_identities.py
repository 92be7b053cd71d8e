"""The identities of table 三 narrow the readings of its rows.

I1 (received + carried over = handled + carried forward) and I2 (handled = the
sum of the outcome rows) hold in every column. A reading of a row that no
choice of readings of the other rows completes to a sum that holds, column by
column, is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import compress

from ...model.cells import Blank, CellRef, Value
from ...model.report import Edition
from ._readings import GONE, Split
from ._runs import Run

#: Most sums followed for one column of one identity; beyond, the column is not used.
SUMSET_CAP = 4_096
#: Most passes narrowing the rows of table 三 with its identities.
MAX_NARROWING_ROUNDS = 8


def applications_constraints(keys: Sequence[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    heads = ("received", "carried_over", "total_handled", "carried_forward")
    outcomes = tuple(k for k in keys if k not in heads)
    return [
        (("received", "carried_over"), ("total_handled", "carried_forward")),  # I1
        (("total_handled",), outcomes),  # I2
    ]


def _column_value(value: Value) -> int | None:
    """A cell's worth in a column sum: a vanished blank is nothing, a printed
    blank mark is unknown (``None``)."""
    if value is GONE:
        return 0
    if isinstance(value, Blank) or not isinstance(value, int):
        return None
    return value


def _worths(split: Split) -> tuple[int | None, ...]:
    """Each cell's worth in a column sum (:func:`_column_value`)."""
    return tuple(0 if v is GONE else v if type(v) is int else None for v, _ in split)


def _supported(domains: Sequence[set[int]], signs: Sequence[int],
               target: int) -> list[set[int]] | None:
    """For each row, the values of its domain that some choice of the others
    completes to ``sum(sign * value) == target``; ``None`` when the sums grow
    too large to follow (the column is then not used)."""
    count = len(domains)
    if count == 2:  # the common case, directly: each row's values against the other's
        (first, second), (sign1, sign2) = domains, signs
        seconds = {sign2 * w for w in second}
        firsts = {sign1 * v for v in first}
        return [{v for v in first if target - sign1 * v in seconds},
                {w for w in second if target - sign2 * w in firsts}]
    prefix: list[set[int]] = [{0}]
    for i in range(count):
        nxt = {p + signs[i] * v for p in prefix[-1] for v in domains[i]}
        if len(nxt) > SUMSET_CAP:
            return None
        prefix.append(nxt)
    suffix: list[set[int]] = [{0}] * (count + 1)
    for i in range(count - 1, -1, -1):
        nxt = {s + signs[i] * v for s in suffix[i + 1] for v in domains[i]}
        if len(nxt) > SUMSET_CAP:
            return None
        suffix[i] = nxt
    out: list[set[int]] = []
    for i in range(count):
        before, after = prefix[i], suffix[i + 1]
        out.append({v for v in domains[i]
                    if any(target - signs[i] * v - p in after for p in before)})
    return out


def solve(
    runs: Mapping[str, Run],
    constraints: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
    ncols: int,
) -> None:
    """Narrow the readings of linked rows with the column identities.

    Each identity is a sum per column over some rows. A reading of a row
    survives when, in every column, its value can be completed to a sum that
    holds by values the other rows' readings allow. This keeps every reading
    that occurs in some consistent combination (and perhaps a few more: columns
    are weighed one at a time), so narrowing never loses the truth; it is
    repeated until nothing changes. Rows with one reading are constants of
    the sums; only columns where some row is still open are weighed. When the
    printed numbers break an identity (a row has no reading left), the
    identities cannot choose, and each row keeps its own readings.
    """
    domains: dict[str, list[Split]] = {}
    for key, run in runs.items():
        if run.chosen is not None:
            domains[key] = [run.chosen]
        elif run.ambiguous is not None and run.complete and not run.loose:
            domains[key] = list(run.ambiguous)
    usable = [(lhs, rhs) for lhs, rhs in constraints
              if all(k in domains for k in (*lhs, *rhs))
              and any(len(domains[k]) > 1 for k in (*lhs, *rhs))]
    if not usable:
        return
    # Rows share splits (every row of zeros, rows printed alike): each is weighed once.
    weighed: dict[int, tuple[int | None, ...]] = {}
    values: dict[str, list[tuple[int | None, ...]]] = {}
    for k, d in domains.items():
        values[k] = row = []
        for split in d:
            worths = weighed.get(id(split))
            if worths is None:
                worths = weighed[id(split)] = _worths(split)
            row.append(worths)
    alive = {k: [True] * len(d) for k, d in domains.items() if len(d) > 1}
    # Per identity and column: the rows still open, with their signs, and the
    # sum the open rows must make up (the fixed rows are constants of it).
    checks: list[tuple[int, list[tuple[str, int]], int]] = []
    for lhs, rhs in usable:
        open_rows = [(k, 1) for k in lhs if k in alive] + [(k, -1) for k in rhs if k in alive]
        # The fixed rows' columns, on each side.
        plus = [values[k][0] for k in lhs if k not in alive]
        minus = [values[k][0] for k in rhs if k not in alive]
        for col, (added, taken) in enumerate(zip(
                zip(*plus, strict=True) if plus else [()] * ncols,
                zip(*minus, strict=True) if minus else [()] * ncols, strict=True)):
            if None in added or None in taken:
                continue  # a printed blank mark: the sum cannot be checked
            checks.append((col, open_rows, sum(taken) - sum(added)))
    # An open row's readings column by column.
    columns = {k: list(zip(*values[k], strict=True)) for k in alive}
    for _ in range(MAX_NARROWING_ROUNDS):
        changed = False
        for col, open_rows, target in checks:
            if _narrow(col, open_rows, target, columns, alive):
                changed = True
        if any(not any(flags) for flags in alive.values()):
            return  # the printed numbers break an identity
        if not changed:
            break
    for key, flags in alive.items():
        run = runs[key]
        left = [s for s, ok in zip(domains[key], flags, strict=True) if ok]
        if len(left) == 1:
            run.chosen, run.ambiguous = left[0], None
        else:
            run.ambiguous = left


def _narrow(col: int, open_rows: Sequence[tuple[str, int]], target: int,
            columns: Mapping[str, list[tuple[int | None, ...]]],
            alive: Mapping[str, list[bool]]) -> bool:
    """Drop the readings that one column of one identity rules out; whether any was.

    The open rows' values in column ``col`` (``columns[row][col]``, one per
    reading), signed, must sum to ``target``.
    """
    keys: list[str] = []
    signs: list[int] = []
    sets: list[set[int]] = []
    for key, sign in open_rows:
        column = set(compress(columns[key][col], alive[key]))
        if None in column:
            return False  # a printed blank mark: the sum cannot be checked
        if len(column) == 1:
            target -= sign * next(iter(column))  # type: ignore[operator]
        else:
            keys.append(key)
            signs.append(sign)
            sets.append(column)  # type: ignore[arg-type]
    if not keys:
        return False
    kept = _supported(sets, signs, target)
    if kept is None:
        return False
    changed = False
    for key, allowed, seen in zip(keys, kept, sets, strict=True):
        if len(allowed) == len(seen):
            continue  # every value seen is allowed
        flags = alive[key]
        for i, value in enumerate(columns[key][col]):
            if flags[i] and value not in allowed:
                flags[i] = False
                changed = True
    return changed


def stated(overview: str, edition: Edition, runs: Sequence[Run]) -> bool:
    """Narrow readings with the counts the overview states; whether any was.

    A quote (``被申请行政复议1件``) says that some sum of cells (one of the
    quote's readings) equals its number. When the cells of a quote lie in one
    run with several readings (the others fixed), the readings that no sum
    of the quote makes equal to it are dropped, unless that would drop them
    all (the sentence then counts something else, as
    ``依申请公开信息数182条`` counts items, not applications).
    """
    from ...validation.prose import quotable_cells, quoted_cells, quotes

    # Reading the overview costs more than splitting: only when some open run's
    # readings differ on a cell a quote may name.
    quotable = quotable_cells(edition)
    if not any(ref in quotable and len({s[i][0] for s in run.ambiguous}) > 1
               for run in runs if run.ambiguous and run.complete
               for i, ref in enumerate(run.refs)):
        return False
    # The cells of the runs still open: a quote naming none of them has nothing
    # to decide (and the index of every cell is built only for one that does).
    unsettled = {ref for run in runs if run.found and run.chosen is None for ref in run.refs}
    where: dict[CellRef, tuple[Run, int]] = {}
    narrowed = False
    for quote in quotes(overview):
        named = quoted_cells(quote.quantity, edition)
        if not any(ref in unsettled for cells in named for ref in cells):
            continue
        if not where:
            where = {ref: (run, i) for run in runs if run.found
                     for i, ref in enumerate(run.refs)}
        sums = [cells for cells in named if all(ref in where for ref in cells)]
        involved = {id(where[ref][0]): where[ref][0] for cells in sums for ref in cells}
        open_runs = [r for r in involved.values() if r.chosen is None]
        if len(open_runs) != 1 or not open_runs[0].ambiguous or not open_runs[0].complete:
            continue
        run = open_runs[0]
        kept = [s for s in run.ambiguous or () if _says(quote.value, sums, run, s, where)]
        if kept and len(kept) < len(run.ambiguous or ()):
            narrowed = True
            if len(kept) == 1:
                run.chosen, run.ambiguous = kept[0], None
            else:
                run.ambiguous = kept
    return narrowed


def _says(value: int, sums: Sequence[tuple[CellRef, ...]], run: Run, split: Split,
          where: Mapping[CellRef, tuple[Run, int]]) -> bool:
    """Whether some sum of a quote comes to ``value`` when ``run`` reads as ``split``."""
    for cells in sums:
        total = 0
        for ref in cells:
            owner, i = where[ref]
            chosen = split if owner is run else owner.chosen
            worth = _column_value(chosen[i][0]) if chosen is not None else None
            if worth is None:
                return True  # a printed blank mark: the quote cannot be checked
            total += worth
        if total == value:
            return True
    return False
