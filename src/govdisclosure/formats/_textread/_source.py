"""The decoder's input: rows of cells with where they stood in the source.

Every reader is a *source* in front of one decoder (:func:`decode`): it turns
its input into :class:`SourceRow` objects, one per table row or paragraph, in
reading order, and the decoder finds the sections and tables, matches labels
with the lexicon and the form's row order, places values and reports what it
could not place. Text and Markdown are their own rows (one per line); the HTML
reader gives one row per ``<tr>`` (its cells, empty ones included) and one per
paragraph; a PDF or Word reader gives the rows it rebuilt, with their page and
position. A source keeps its own cell boundaries: cells are never re-split.

``docs/reading.md`` ("Adding a source") shows how to write one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ...errors import ReadError
from ...model.cells import CellRef, CellSource
from ...model.findings import Finding
from ...model.report import Report
from .. import ReadOptions

__all__ = ["SourceRow", "decode", "render"]


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


def _cell(text: str) -> str:
    # A cell's text on one rendered line: "|" would end the cell and a line
    # break the row, so they become "｜" and a space (as the text writer does).
    return " ".join(text.replace("|", "｜").split())


def render(rows: Sequence[SourceRow]) -> tuple[str, list[int]]:
    """The rows as the decoder's line form, and for each line the index of the
    row it came from.

    A text row is its text (a paragraph's lines each a line); a table row is
    one pipe line, each cell ``text |``, empty cells kept (``| | 0 |`` is two
    empty cells and a 0)."""
    lines: list[str] = []
    back: list[int] = []
    for index, row in enumerate(rows):
        if not row.table:
            for part in row.cells[0].splitlines() or [""]:
                lines.append(part)
                back.append(index)
            continue
        lines.append(" ".join(f"{_cell(c)} |" if c.strip() else "|" for c in row.cells))
        back.append(index)
    return "\n".join(lines) + "\n", back


class _Back:
    """Rendered line numbers back to the rows' own lines and positions."""

    def __init__(self, rows: Sequence[SourceRow], back: Sequence[int]) -> None:
        self.rows = rows
        self.back = back

    def row(self, line: int | None) -> SourceRow | None:
        if line is None or not 1 <= line <= len(self.back):
            return None
        return self.rows[self.back[line - 1]]

    def line(self, line: int | None) -> int | None:
        if line is None or not 1 <= line <= len(self.back):
            return line
        index = self.back[line - 1]
        own = self.rows[index].line
        return own if own is not None else index + 1


_POSITIONED = {"page", "x", "y"} <= set(attrs.fields_dict(CellSource))


def _source(src: CellSource, back: _Back) -> CellSource:
    row = back.row(src.line)
    changes: dict[str, Any] = {"line": back.line(src.line)}
    if _POSITIONED and row is not None and row.page is not None:
        changes.update(page=row.page, x=row.x, y=row.y)
    return attrs.evolve(src, **changes)


def decode(rows: Sequence[SourceRow], options: ReadOptions) -> Report:
    """Read a report from a source's rows: sections, tables, labels, values.

    Raises :class:`~govdisclosure.errors.ReadError` only when the rows hold no
    report at all (empty, or none of the section headings), with the rows' own
    lines. Provenance, findings and extra rows carry the rows' lines (and, for
    a source that knows them, pages and positions).
    """
    from . import read_text  # the decoder proper

    text, index = render(rows)
    back = _Back(rows, index)
    try:
        report = read_text(text, options)
    except ReadError as error:
        raise ReadError(
            [attrs.evolve(p, line=back.line(p.line)) for p in error.problems], error.source
        ) from None
    provenance: dict[CellRef, CellSource] = {
        ref: _source(src, back) for ref, src in report.provenance.items()
    }
    findings: tuple[Finding, ...] = tuple(
        attrs.evolve(f, line=back.line(f.line)) for f in report.read_findings
    )
    tables = {
        key: attrs.evolve(
            getattr(report, key),
            extra_rows=tuple(attrs.evolve(r, line=back.line(r.line))
                             for r in getattr(report, key).extra_rows),
        )
        for key in ("active", "applications", "appeals")
    }
    return attrs.evolve(report, provenance=provenance, read_findings=findings, **tables)
