"""Finding a run-together table's rows: labels, the characters after each, lines.

The segment is folded (:func:`govdisclosure.model._normalise.fold`, one character for
one) and its whitespace taken out; each row label of the form lexicon is found
in order, and the characters after it (the form's header words and group labels
taken out) are the row's run. Every position maps back to the segment, so that
cells get their source line and runs their printed text.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from itertools import accumulate

import attrs

from ..._methods import fields_eq, fields_hash, fields_repr
from ...model._normalise import fold
from ...model.cells import CellRef
from ...model.labels import lexicon
from ...model.report import Edition
from ...model.schema import TableSpec
from ...model.tables import ExtraRow
from ._readings import Group
from ._runs import Run, row_groups, widest

#: Most extra (unknown, labelled) rows kept for one table; the rest is noise.
MAX_EXTRA_ROWS = 100

# Characters a run may hold once whitespace is gone and the text is folded:
# digits, decimal point, signs, units and the marks printed for empty cells.
_RUN = re.compile(r"[0-9.\-减/无万元]+")
#: A run of table 二, whose counts may carry units (``2笔``).
_ACTIVE_RUN = re.compile(r"[0-9.\-减/无万元笔件个项条份]+")
_DIGIT = re.compile(r"[0-9]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CHUNK = re.compile(r"\S+")
_VISIBLE = re.compile(r"\S")


class _Text:
    """The segment folded for matching, with every whitespace character taken out.

    ``chars`` is the folded text, ``raw`` the same characters as printed (folding
    maps one character to one and keeps whitespace whitespace, so both have the
    same positions). ``origin(i)`` is the index in the segment of character
    ``i`` and ``gap(i)`` says whitespace stood before it; both are found from
    where each stretch of text between whitespace starts, so that a long run
    costs no per-character work.
    """

    def __init__(self, segment: str) -> None:
        folded = fold(segment)
        chunks = folded.split()
        if len(chunks) <= 1 and (not chunks or len(chunks[0]) == len(folded)):
            # No whitespace at all (or only whitespace).
            self._norm_starts, self._orig_starts = [0], [0]
            self.chars, self.raw = (folded, segment) if chunks else ("", "")
            return
        # Where each stretch between whitespace starts, in ``chars`` and in the segment.
        self._norm_starts = list(accumulate(map(len, chunks[:-1]), initial=0))
        self._orig_starts = [m.start() for m in _CHUNK.finditer(folded)]
        self.chars = "".join(chunks)
        self.raw = "".join(segment.split())

    def origin(self, i: int) -> int:
        k = bisect.bisect_right(self._norm_starts, i) - 1
        return self._orig_starts[k] + i - self._norm_starts[k]

    def gap(self, i: int) -> bool:
        # Whitespace stands before every stretch but the first.
        k = bisect.bisect_right(self._norm_starts, i) - 1
        return k > 0 and self._norm_starts[k] == i


class Lines:
    """Maps a segment index to its 1-based source line."""

    def __init__(self, segment: str, first_line: int) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", segment)]
        self._first = first_line

    def at(self, index: int) -> int:
        return self._first + bisect.bisect_left(self._newlines, index)


@attrs.frozen(slots=True)
class _Row:
    """What every run of one row starts with."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    refs: tuple[CellRef, ...]
    groups: tuple[Group, ...]
    key: str | None
    short: str
    label: str
    widest: int

    def run(self) -> Run:
        # refs, groups, row, label, full_label, widest: positional arguments
        # build a run in half the time of keywords, and a table has 26 of them.
        return Run(self.refs, self.groups, self.key, self.short, self.label, self.widest)


@attrs.frozen(slots=True)
class _Labels:
    """What the lexicon gives one table: each row's label keys, and the form's
    other words (headers, group labels) that sit between rows; and the rows."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    rows: tuple[tuple[str, ...], ...]
    noise: re.Pattern[str]
    templates: tuple[_Row, ...]
    whole: _Row  # the table as one run (table 四: three groups of five)


@cache
def _labels(edition: Edition, table: str) -> _Labels:
    lex = lexicon(edition, table)
    keys = {entry.index: k for k, entry in lex.labels if entry.kind == "row"}
    rows = tuple(_variants(keys[i]) if i in keys else () for i in range(len(lex.rows)))
    other = sorted({k for k, entry in lex.labels if entry.kind != "row" and k},
                   key=len, reverse=True)
    templates = tuple(
        _Row(row.refs(), groups, row.key, row.short, row.label, widest(groups))
        for row in lex.rows for groups in (row_groups(table, row),)
    )
    groups = tuple(Group(tuple(c.kind for c in row.columns), summed=True) for row in lex.rows)
    whole = _Row(tuple(ref for row in lex.rows for ref in row.refs()), groups, None, "", "",
                 widest(groups))
    return _Labels(rows, re.compile("|".join(re.escape(k) for k in other)), templates, whole)


def _variants(label_key: str) -> tuple[str, ...]:
    """A row label's key, and the key cut before its own note (``(二)部分公开``)."""
    cut = label_key.find("(", 3)
    if cut > 1:
        return (label_key, label_key[:cut])
    return (label_key,)


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
    """Text between two labels with the noise taken out, mapped back to ``_Text``.

    The kept stretches are joined; ``_p`` holds where each starts in ``chars``
    and ``_t`` where it starts in the text.
    """

    def __init__(self, text: _Text, start: int, end: int, noise: re.Pattern[str]) -> None:
        sub = text.chars[start:end]
        self.text = text
        #: Where (in ``chars``) form text was first taken out; -1 if none was.
        self.first_cut = -1
        self._p = [0]
        self._t = [start]
        self.chars = sub
        self.raw = text.raw[start:end]
        cuts = [m.span() for m in noise.finditer(sub)]
        if not cuts:
            return
        kept: list[tuple[int, int]] = []
        last = 0
        size = 0
        for cut_start, cut_end in cuts:
            kept.append((last, cut_start))
            size += cut_start - last
            if self.first_cut < 0:
                self.first_cut = size
            last = cut_end
            self._p.append(size)
            self._t.append(start + last)
        kept.append((last, len(sub)))
        self.chars = "".join(sub[x:y] for x, y in kept)
        raw = self.raw
        self.raw = "".join(raw[x:y] for x, y in kept)

    def _at(self, p: int) -> int:
        k = bisect.bisect_right(self._p, p) - 1
        return self._t[k] + p - self._p[k]

    def gap(self, p: int) -> bool:
        """Whether whitespace or removed form text stood before ``chars[p]``."""
        if p > 0 and len(self._p) > 1:
            k = bisect.bisect_right(self._p, p) - 1
            if k > 0 and self._p[k] == p:
                return True
        return self.text.gap(self._at(p))

    def origin(self, p: int) -> int:
        return self.text.origin(self._at(p))


def _fill(run: Run, piece: _Piece | _Text, a: int, b: int, segment: str, lines: Lines) -> None:
    """Give ``run`` the characters ``a:b`` of ``piece`` (or of the whole text) as
    its printed run."""
    run.compact = piece.chars[a:b]
    run.printed = piece.raw[a:b]
    lo = piece.origin(a)
    run.raw = segment[lo: piece.origin(b - 1) + 1]
    run.line = lines.at(lo)
    run.base = lo
    if len(run.raw) == b - a or b - a > run.widest:
        return  # nothing between its characters (or too long to be split)
    chunks = run.raw.split()
    if sum(map(len, chunks)) == b - a:
        # Only whitespace inside the run: its chunks give the boundaries.
        run.gaps = frozenset(accumulate(len(c) for c in chunks[:-1]))
        if "\n" in run.raw:  # cells on several lines: each needs its own
            run.origin = tuple(m.start() + lo for m in _VISIBLE.finditer(run.raw))
        return
    # Form text inside the run: map each character back.
    run.origin = tuple(piece.origin(p) for p in range(a, b))
    run.gaps = frozenset(p - a for p in range(a + 1, b) if piece.gap(p))


@attrs.define(slots=True)
class Located:
    """A table's rows found in its text: a run per row (one for table 四), the
    labelled rows the form does not have, and the way back to source lines."""

    __repr__ = fields_repr

    runs: list[Run]
    extra: list[ExtraRow]
    lines: Lines


def locate(segment: str, edition: Edition, spec: TableSpec, first_line: int,
           open_end: bool = False) -> Located:
    """Find the rows of ``spec`` in ``segment`` (which starts on ``first_line``).
    ``open_end``: the text ends with the segment, not even a line break after
    it, so the row it ends in may be cut off (its run is marked ``cut``)."""
    text = _Text(segment)
    lines = Lines(segment, first_line)
    labels = _labels(edition, spec.key)
    if spec.key == "appeals":
        run = appeals_run(spec, labels, text, segment, lines)
        if open_end and run.found:
            run.cut = not segment[run.base + len(run.raw):].strip()
        return Located([run], [], lines)
    runs, extra, last = labelled_runs(spec, labels, text, segment, lines)
    if open_end and last is not None:
        # The last row found: its label with no numbers after it (the text may
        # end inside its note, or just before its numbers), or its numbers
        # with nothing after them.
        run = runs[last]
        run.cut = not run.compact or not segment[run.base + len(run.raw):].strip()
    return Located(runs, extra, lines)


def labelled_runs(
    spec: TableSpec, labels: _Labels, text: _Text, segment: str, lines: Lines
) -> tuple[list[Run], list[ExtraRow], int | None]:
    """Find each row label in order and cut out the run that follows it; also
    the index of the last row found (``None`` when none is)."""
    noise = labels.noise
    runs = [template.run() for template in labels.templates]
    found: list[tuple[int, int, int]] = []  # (start, end, run index)
    cursor = 0
    for i, variants in enumerate(labels.rows):
        for variant in variants:
            at = text.chars.find(variant, cursor)
            if at >= 0:
                found.append((at, at + len(variant), i))
                cursor = at + len(variant)
                break
        else:
            runs[i].found = False
    extra: list[ExtraRow] = []
    run_chars = _ACTIVE_RUN if spec.key == "active" else _RUN
    chars = text.chars
    for n, (_start, end, i) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(chars)
        run = runs[i]
        # The common case: the numbers right after the label (and its note), and
        # nothing a run is made of before the next label; no form text to take out.
        at = _matching_paren(chars, end, stop) if end < stop and chars[end] == "(" else end
        direct = run_chars.match(chars, at, stop)
        if direct is None:
            if run_chars.search(chars, end, stop) is None:
                # Nothing a run is made of up to the next label: no run.
                run.line = lines.at(text.origin(_start))  # the label's
                continue
        else:
            a, b = direct.span()
            if _DIGIT.search(chars, a, b) and run_chars.search(chars, b, stop) is None:
                _fill(run, text, a, b, segment, lines)
                continue
        piece = _Piece(text, end, stop, noise)
        begin = _matching_paren(piece.chars, 0, len(piece.chars))
        blocks = (m.span() for m in run_chars.finditer(piece.chars, begin))
        span = next(
            ((a, b) for a, b in blocks if a == begin or _DIGIT.search(piece.chars, a, b)),
            None,
        )
        if span is None:
            run.line = lines.at(text.origin(_start))  # the label's: no run follows it
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
    return runs, extra, found[-1][2] if found else None


def appeals_run(
    spec: TableSpec, labels: _Labels, text: _Text, segment: str, lines: Lines
) -> Run:
    """The one unlabelled run of table 四: 15 numbers, three groups of five."""
    run = labels.whole.run()
    piece = _Piece(text, 0, len(text.chars), labels.noise)
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
