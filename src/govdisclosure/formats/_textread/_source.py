"""The decoder's input: rows of cells with where they stood in the source.

Every reader is a *source* in front of one decoder: it turns its input into
:class:`SourceRow` objects, one per table row or paragraph, in reading order,
and :func:`decode` hands them, as columns (:func:`columns`), to the decoder
proper (:func:`~._textread.read_rows`), which finds the sections and tables,
matches labels with the lexicon and the form's row order, places values and
reports what it could not place. The HTML reader gives one row per ``<tr>``
(its cells, empty ones included) and one per paragraph; a PDF or Word reader
gives the rows it rebuilt, with their page and position. A table row's cells
are read as they are, never re-split. Text and Markdown, one row per line,
build the columns directly (:func:`~._textread.read_text`).

``docs/reading.md`` ("Adding a source") shows how to write one.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..._methods import fields_eq, fields_hash, fields_repr
from ...model.cells import CellRef, CellSource
from ...model.report import Report
from .. import ReadOptions
from ._layout import Region, RowCells

__all__ = ["SourceRow", "columns", "decode"]


@attrs.frozen(slots=True, kw_only=True)
class SourceRow:
    """One row of a source: a table row's cells, or one cell holding a line or
    paragraph of text (a heading, narrative).

    ``cells`` are the source's own cells, in order, empty ones included (an
    empty cell is a blank, never dropped). ``line`` is where the row stands in
    the source (1-based); readers report it in provenance and findings. When
    it is ``None`` the row's 1-based index among the rows is used, so that a
    source can map it back to pages and positions. ``page``, ``x`` and ``y``
    are the position of the row's first cell where the source knows it (PDF).
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    cells: tuple[str, ...]
    line: int | None = None
    page: int | None = None
    x: float | None = None
    y: float | None = None
    #: Whether the row is a table row (its cells are cells even when there is
    #: one, a caption) or a line or paragraph of text.
    table: bool = True

    @classmethod
    def text(cls, text: str, line: int | None = None) -> SourceRow:
        """A row holding one line or paragraph of text."""
        return cls(cells=(text,), line=line, table=False)

    def show(self) -> str:
        """The row as one line for people to read (tests, benches, debugging):
        a table row's cells each ``text |``, an empty one ``|``; a line of
        text as it is. The decoder never reads this."""
        if not self.table:
            return self.cells[0]
        return " ".join(f"{c} |" if c.strip() else "|" for c in self.cells)


def columns(rows: Sequence[SourceRow]) -> Region:
    """The rows as the decoder reads them: line numbers, texts and cells side
    by side (:class:`~._layout.Region`).

    A row's number is its ``line``, or its 1-based index among the rows. A
    line or paragraph of text holding line breaks gives one text per line,
    each with the row's number; a table row gives one text, its cells joined
    with `` | `` (what layout reads: headings, sections, the title), and its
    cells as they are (what the table reader reads)."""
    numbers: list[int] = []
    texts: list[str] = []
    cells: list[RowCells] = []
    for index, row in enumerate(rows, 1):
        number = index if row.line is None else row.line
        if row.table:
            numbers.append(number)
            texts.append(" | ".join(row.cells))
            cells.append(row.cells)
            continue
        parts = row.cells[0].splitlines() or [""]
        numbers.extend([number] * len(parts))
        texts.extend(parts)
        cells.extend([None] * len(parts))
    return Region(numbers, texts, cells)


def decode(rows: Sequence[SourceRow], options: ReadOptions) -> Report:
    """Read a report from a source's rows: sections, tables, labels, values.

    Raises :class:`~govdisclosure.errors.ReadError` only when the rows hold no
    report at all (empty, or none of the section headings), with the rows' own
    lines. Provenance, findings and extra rows carry the rows' lines, and each
    cell's source the page and position of its row when the source knows them.
    """
    from . import read_rows  # the decoder proper, which imports this module

    report = read_rows(columns(rows), options)
    placed = {
        index if row.line is None else row.line: row
        for index, row in enumerate(rows, 1) if row.page is not None
    }
    if not placed:
        return report
    provenance: dict[CellRef, CellSource] = {}
    for ref, src in report.provenance.items():
        row = placed.get(src.line) if src.line is not None else None
        if row is not None:
            src = attrs.evolve(src, page=row.page, x=row.x, y=row.y)
        provenance[ref] = src
    return attrs.evolve(report, provenance=provenance)
