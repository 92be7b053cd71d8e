"""A table's label cells: what parts them, and group labels.

:class:`Grid` is what tells label cells apart (the drawn lines, or where label
columns start and how far label text reaches); :func:`label_parts` cuts a
row's label words into cells; :func:`vertical` joins a label printed one
character per line; :func:`place_groups` moves a label standing left of the
row labels (a group label such as ``（三）不予公开``, or ``三、本年度办理结果``
printed down the rows) to the first row of the group it is centred on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from ..._methods import fields_eq, fields_hash, fields_repr
from ...model._normalise import key, strip_enumerator
from ._borders import Borders
from ._page import Line, Word, merge

if TYPE_CHECKING:
    from ._rows import Row


def vertical(words: list[Word], ruled: Borders | None = None) -> list[Word]:
    """Labels printed one character per line (``三、本年度办理结果`` down a narrow
    cell) joined into one word: three or more single characters stacked at one x,
    each within a line's height of the one above and, where the cells are drawn
    (``ruled``), in its cell (the two-character lines of labels wrapped in a very
    narrow column are not one label)."""
    singles = sorted(
        (w for w in words if len(w.text) <= 2 and not w.text.isdigit()
         and w.x1 - w.x0 <= 1.5 * w.height),
        key=lambda w: w.top,
    )
    used: set[int] = set()
    joined: list[Word] = []
    for start in singles:
        if id(start) in used:
            continue
        chain = [start]
        for w in singles:
            last = chain[-1]
            if id(w) in used or w is start or w.top <= last.top:
                continue
            if w.top - last.bottom > 1.2 * max(c.height for c in chain):
                continue
            if min(w.x1, last.x1) - max(w.x0, last.x0) > 0.3 * min(
                w.x1 - w.x0, last.x1 - last.x0
            ) and not (ruled is not None and ruled.apart(last, w)):
                chain.append(w)
        if len(chain) >= 3:
            used.update(id(w) for w in chain)
            joined.append(Word(
                text="".join(w.text for w in chain),
                page=chain[0].page,
                x0=min(w.x0 for w in chain),
                x1=max(w.x1 for w in chain),
                top=chain[0].top,
                bottom=chain[-1].bottom,
                page_top=chain[0].page_top,
            ))
    if not joined:
        return words
    return [w for w in words if id(w) not in used] + joined


@attrs.frozen(slots=True)
class Grid:
    """What tells a table's label cells apart: its drawn lines where its cells are
    drawn; else where label cells start (``starts``: the left edges that the
    labels of three lines or more share, such as the sub-row labels' column)
    and how far right the label text reaches (``right``)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    borders: Borders | None = None
    starts: tuple[float, ...] = ()
    right: float = float("inf")

    def at_start(self, word: Word) -> float | None:
        return next((x for x in self.starts if abs(word.x0 - x) <= 1.5), None)


def label_grid(lines: Sequence[Line], ruled: Borders | None, left: float) -> Grid:
    """The grid of a table's label lines (see :class:`Grid`)."""
    if ruled is not None:
        return Grid(ruled)
    xs = sorted(w.x0 for line in lines for w in line.words if w.x1 <= left)
    starts: list[float] = []
    run: list[float] = []
    for x in xs:
        if run and x - run[0] > 3.0:
            if len(run) >= 3:
                starts.append(run[0])
            run = []
        run.append(x)
    if len(run) >= 3:
        starts.append(run[0])
    right = max((w.x1 for line in lines for w in line.words if w.x1 <= left), default=left)
    return Grid(None, tuple(starts), right)


def enumerated(word: Word) -> bool:
    """Whether ``word`` starts with an enumerator (``2.`` ``（三）`` ``四、``)."""
    return strip_enumerator(key(word.text)) != key(word.text)


def label_parts(words: Sequence[Word], grid: Grid | None = None) -> list[list[Word]]:
    """Label words as the cells they fill, left to right: words overlapping in x
    (a label wrapped over lines) or close on one line are one cell (see
    :func:`_one_cell` for what ``grid`` adds)."""
    parts: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for part in parts:
            if _one_cell(part, word, grid):
                part.append(word)
                break
        else:
            parts.append([word])
    parts.sort(key=lambda part: min(w.x0 for w in part))
    return parts


def _one_cell(part: Sequence[Word], word: Word, grid: Grid | None) -> bool:
    """Whether ``word`` fills the same cell as the words of ``part``. In a table
    drawn with cell borders, words with a border between them are never one
    cell, and a line wrapped under the one above within its cell joins it
    wherever it starts (an indented first line: ``　二、上年结转…数`` / ``量``).
    Without borders, a word starting where a column of labels starts is not
    joined to the word before it on its line (``三、本`` ``（一）予以公开``), and a
    line starting at or left of the line above joins it when that one reaches
    the right of the label column (it wrapped there)."""
    x0 = min(p.x0 for p in part)
    x1 = max(p.x1 for p in part)
    last = part[-1]
    same_line = abs(last.y - word.y) < 0.5 * min(last.height, word.height)
    below = [p for p in part if 0 <= word.top - p.bottom < 0.8 * word.height]
    overlap = min(x1, word.x1) - max(x0, word.x0) > 0
    close = same_line and 0 <= word.x0 - last.x1 <= 0.65 * last.height
    if grid is None:
        return overlap or close
    if grid.borders is not None:
        if any(grid.borders.apart(p, word) for p in part):
            return False
        return overlap or close or bool(below)
    start = grid.at_start(word)
    if close and start is not None and start != grid.at_start(part[0]):
        close = False
    wrapped = any(p.x1 >= grid.right - 1.5 * p.height and word.x0 <= p.x0 + 0.5 * p.height
                  for p in below)
    if wrapped and not (overlap or close) and enumerated(word):
        # A label starting with an enumerator under one reaching the right of the
        # column (``（三）不予公开`` centred between two of its rows) starts a
        # label of its own; the rest of a wrapped label never starts so.
        return False
    return overlap or close or wrapped


def place_groups(rows: list[Row], grid: Grid | None = None) -> None:
    """Move the group labels among the rows' labels to the first row of their group.

    A row's own label is the rightmost cell of its label words; a cell left of it
    is a group label (``（三）不予公开`` beside its fourth row, ``三、本年度办理结果``
    printed down the rows, ``（四）无法提供`` on its first row). The labels of one
    column share out the run of rows around them whose own labels start right
    of that column: each group holds the row its label stands by, and each label
    stands at the middle of its group's rows on its page (a group split by a page
    break is centred on each part)."""
    floating: list[tuple[Word, int]] = []
    for i, row in enumerate(rows):
        parts = label_parts(row.labels, grid)
        if len(parts) < 2:
            continue
        row.labels = parts[-1]
        floating.extend((merge(part), i) for part in parts[:-1])
    # A group label wrapped over lines in its narrow cell is one label.
    borders = grid.borders if grid is not None else None
    merged: list[tuple[Word, int]] = []
    for word, at in sorted(floating, key=lambda f: f[0].top):
        for k, (prev, prev_at) in enumerate(merged):
            if min(prev.x1, word.x1) - max(prev.x0, word.x0) > 0 and (
                0 <= word.top - prev.bottom < 0.8 * word.height if borders is None
                else word.top >= prev.bottom - 1.0 and not borders.apart(prev, word)
            ):
                merged[k] = (merge([prev, word]), prev_at)
                break
        else:
            merged.append((word, at))
    if borders is not None:
        # A drawn group cell spans its rows: its group starts at the first row
        # between the borders above and below its label.
        rest = []
        for word, at in merged:
            opens = _first_in_cell(rows, word, borders)
            if opens is None:
                rest.append((word, at))
            else:
                rows[opens].groups.append(word)
        merged = rest
    # Column by column: labels overlapping in x are one column's.
    pending = sorted(merged, key=lambda f: f[0].x0)
    while pending:
        first = pending[0][0]
        column = [f for f in pending if min(f[0].x1, first.x1) - max(f[0].x0, first.x0) > 0]
        pending = [f for f in pending if f not in column]
        x = min(f[0].x0 for f in column)
        runs: dict[tuple[int, int], list[tuple[Word, int]]] = {}
        for word, at in column:
            start = end = at
            while start > 0 and _inside(rows[start - 1], x):
                start -= 1
            while end + 1 < len(rows) and _inside(rows[end + 1], x):
                end += 1
            runs.setdefault((start, end), []).append((word, at))
        for (start, end), labels in runs.items():
            labels.sort(key=lambda f: (f[1], f[0].y))
            for (word, _), first_row in zip(labels, _share(rows, start, end, labels),
                                            strict=True):
                rows[first_row].groups.append(word)


def _first_in_cell(rows: Sequence[Row], word: Word, borders: Borders) -> int | None:
    """The first row standing within the drawn cell of group label ``word`` (the
    borders above and below it, at its x) whose own label starts right of it."""
    top, bottom = -1e9, 1e9
    for r in borders.across:
        if r.x0 <= word.xc <= r.x1:
            y = (r.top + r.bottom) / 2
            if top < y <= word.top + 1.0:
                top = y
            elif word.bottom - 1.0 <= y < bottom:
                bottom = y
    if top == -1e9 or bottom == 1e9:
        return None
    return next((i for i, row in enumerate(rows)
                 if top < row.y < bottom and _inside(row, word.x0)), None)


def _inside(row: Row, x: float) -> bool:
    """Whether ``row`` can be in a group labelled at ``x``: its own label starts right of it."""
    return bool(row.labels) and min(w.x0 for w in row.labels) > x + 4.0


def _centre_gap(rows: Sequence[Row], word: Word) -> float:
    """How far ``word`` stands from the middle of ``rows`` on its page."""
    on_page = [r for r in rows if r.page == word.page]
    if not on_page:
        return 1e6
    return abs((on_page[0].top + on_page[-1].bottom) / 2 - word.y)


def _share(rows: Sequence[Row], start: int, end: int,
           labels: Sequence[tuple[Word, int]]) -> list[int]:
    """The first row of each label's group within rows ``start..end``, labels in order:
    the first group starts the run; each next one starts after the row the label
    before stands by and at or before its own, where the group before is best
    centred on its label (ties: where this one is)."""
    firsts = [start]
    for i in range(1, len(labels)):
        word, at = labels[i]
        prev_word, prev_at = labels[i - 1]
        stop = labels[i + 1][1] if i + 1 < len(labels) else end + 1
        lo, hi = max(prev_at + 1, firsts[-1] + 1), max(at, firsts[-1] + 1)
        best, best_cost = hi, (float("inf"), float("inf"))
        for s in range(lo, hi + 1):
            # The group before is whole once its end is chosen: centre it; where
            # that leaves a choice (its rows on another page), centre this one.
            cost = (round(_centre_gap(rows[firsts[-1]:s], prev_word)),
                    _centre_gap(rows[s:max(stop, s + 1)], word))
            if cost < best_cost:
                best, best_cost = s, cost
        firsts.append(min(best, end))
    return firsts
