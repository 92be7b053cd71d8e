"""The identities of table 三 narrow the readings of its rows.

I1 (received + carried over = handled + carried forward) and I2 (handled = the
sum of the outcome rows) hold in every column. A reading of a row that no
choice of readings of the other rows completes to a sum that holds, column by
column, is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...model.cells import Blank, Value
from ._readings import GONE, Run, Split, values_of

#: Most sums followed for one column of one identity; beyond, the column is not used.
SUMSET_CAP = 4_096
#: Most passes narrowing the rows of table 三 with its identities.


#: Most passes narrowing the rows of table 三 with its identities.
MAX_NARROWING_ROUNDS = 8
#: Most extra (unknown, labelled) rows kept for one table; the rest is noise.


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


def _supported(domains: Sequence[set[int]], signs: Sequence[int]) -> list[set[int]] | None:
    """For each row, the values of its domain that some choice of the others
    completes to ``sum(sign * value) == 0``; ``None`` when the sums grow too large
    to follow (the column is then not used)."""
    count = len(domains)
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
                    if any(-signs[i] * v - p in after for p in before)})
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
    repeated until nothing changes. When the printed numbers break an identity
    (a row has no reading left), the identities cannot choose, and each row
    keeps its own readings.
    """
    domains: dict[str, list[Split]] = {}
    for key, run in runs.items():
        if run.chosen is not None:
            domains[key] = [run.chosen]
        elif run.ambiguous is not None and run.complete and not run.loose:
            domains[key] = list(run.ambiguous)
    usable = [(lhs, rhs) for lhs, rhs in constraints
              if all(k in domains for k in (*lhs, *rhs))]
    if not usable or all(len(domains[k]) == 1 for c in usable for k in (*c[0], *c[1])):
        return
    values = {k: [tuple(_column_value(v) for v in values_of(s)) for s in d]
              for k, d in domains.items()}
    alive = {k: [True] * len(d) for k, d in domains.items()}
    for _ in range(MAX_NARROWING_ROUNDS):
        changed = False
        for lhs, rhs in usable:
            keys = (*lhs, *rhs)
            signs = (1,) * len(lhs) + (-1,) * len(rhs)
            for col in range(ncols):
                cols = [[vals[col] for vals, ok in zip(values[k], alive[k], strict=True) if ok]
                        for k in keys]
                if any(v is None for c in cols for v in c):
                    continue  # a printed blank mark: the sum cannot be checked
                sets = [{v for v in c if v is not None} for c in cols]
                kept = _supported(sets, signs)
                if kept is None:
                    continue
                for k, allowed in zip(keys, kept, strict=True):
                    for i, vals in enumerate(values[k]):
                        if alive[k][i] and vals[col] not in allowed:
                            alive[k][i] = False
                            changed = True
        if any(not any(flags) for flags in alive.values()):
            return  # the printed numbers break an identity
        if not changed:
            break
    for key, flags in alive.items():
        run = runs[key]
        if run.chosen is not None:
            continue
        left = [s for s, ok in zip(domains[key], flags, strict=True) if ok]
        if len(left) == 1:
            run.chosen, run.ambiguous = left[0], None
        else:
            run.ambiguous = left
