"""The ``markdown`` format: a readable document with the three tables as pipe tables.

The title is a level-1 heading, each section a level-2 heading, and each block
of table 二 a level-3 heading over its own table, as reports converted to
Markdown usually look. Multi-level headers are flattened into one header row
(``法人或其他组织 / 商业企业``, ``行政诉讼 / 复议后起诉 / 总计``); group labels of
table 三 (``（三）不予公开``) are rows of their own with empty cells. Tables go
through :mod:`._tabulate`, so cells are never parsed as numbers and a ``|``
inside a cell is escaped. Markdown is read back by the same reader as text.
The layout is described in ``docs/formats.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model.cells import CellRef
from ..model.report import Report, Section
from ..model.schema import RowSpec, TableSpec, form_of, get_cell
from ..model.tables import ExtraRow
from . import Format, ReadOptions
from ._tabulate import pipe_table
from ._writing import (
    APPLICATIONS_NOTE,
    INFORMATION_LABEL,
    LEGAL_PERSONS_LABEL,
    RESULTS_LABEL,
    cell_text,
    extra_rows_after,
    publisher_line,
    section_heading,
    table_heading,
    title_of,
)

__all__ = ["FORMAT", "HEADER_SEPARATOR", "read", "write"]

#: What joins the levels of a flattened multi-level header.
HEADER_SEPARATOR = " / "


def _values(report: Report, row: RowSpec) -> list[str]:
    return [cell_text(get_cell(report, CellRef(row.table, row.key, c.key))) for c in row.columns]


def _extra(rows: Sequence[ExtraRow]) -> list[list[str]]:
    return [[row.label, *row.cells] for row in rows]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    # Extra rows may print more cells than the form has columns: widen the
    # table (with empty headers) rather than drop what they printed.
    width = max([len(headers), *(len(r) for r in rows)])
    return pipe_table(
        [*headers, *[""] * (width - len(headers))],
        [[*r, *[""] * (width - len(r))] for r in rows],
    )


def _active(report: Report, table: TableSpec) -> Iterator[str]:
    placed, at_end = extra_rows_after(table, report.active.extra_rows)
    blocks: list[tuple[str, list[RowSpec]]] = []
    for row in table.rows:
        if not blocks or blocks[-1][1][0].group != row.group:
            blocks.append((row.group_label or "", []))
        blocks[-1][1].append(row)
    for number, (caption, rows) in enumerate(blocks, 1):
        body: list[list[str]] = []
        for row in rows:
            body.append([row.label, *_values(report, row)])
            body.extend(_extra(placed.get(row.key, ())))
        if number == len(blocks):
            body.extend(_extra(at_end))
        yield f"### {caption}"
        yield _table([INFORMATION_LABEL, *(c.label for c in rows[0].columns)], body)


def _applications(report: Report, table: TableSpec) -> Iterator[str]:
    columns = table.rows[0].columns
    headers = [
        APPLICATIONS_NOTE,
        columns[0].label,
        *(f"{LEGAL_PERSONS_LABEL}{HEADER_SEPARATOR}{c.label}" for c in columns[1:-1]),
        columns[-1].label,
    ]
    empty = [""] * len(columns)
    placed, at_end = extra_rows_after(table, report.applications.extra_rows)
    body: list[list[str]] = []
    group: str | None = None
    for row in table.rows:
        if row.key == "granted":
            body.append([RESULTS_LABEL, *empty])
        if row.group is not None and row.group != group:
            body.append([row.group_label or "", *empty])
        group = row.group
        body.append([row.label, *_values(report, row)])
        body.extend(_extra(placed.get(row.key, ())))
    body.extend(_extra(at_end))
    yield _table(headers, body)


def _appeals(report: Report, table: TableSpec) -> Iterator[str]:
    headers: list[str] = []
    for row in table.rows:
        # "行政诉讼/复议后起诉" is two header levels: print them like the others.
        group = HEADER_SEPARATOR.join(part for part in row.label.split("/"))
        headers.extend(f"{group}{HEADER_SEPARATOR}{c.label}" for c in row.columns)
    placed, at_end = extra_rows_after(table, report.appeals.extra_rows)
    body = [[value for row in table.rows for value in _values(report, row)]]
    for row in table.rows:
        body.extend(_extra(placed.get(row.key, ())))
    body.extend(_extra(at_end))
    yield _table(headers, body)


_TABLES = {"active": _active, "applications": _applications, "appeals": _appeals}


def _section(report: Report, field: str) -> Iterator[str]:
    section: Section | None = getattr(report, field)
    if section is None:
        return
    yield f"## {section_heading(section, field)}"
    if section.body:
        yield section.body


def write(report: Report) -> str:
    """The report as a Markdown document: title, sections and the three tables.

    Narrative text is written as it is (it is already prose); blocks are
    separated by one empty line. The same report always gives the same text.
    """
    blocks: list[str] = []
    publisher = publisher_line(report)
    if publisher is not None:
        blocks.append(publisher)
    title = title_of(report)
    if title is not None:
        blocks.append(f"# {title}")
    if report.introduction:
        blocks.append(report.introduction)
    blocks.extend(_section(report, "overview"))
    for table in form_of(report).tables:
        blocks.append(f"## {table_heading(report, table.key)}")
        blocks.extend(_TABLES[table.key](report, table))
    blocks.extend(_section(report, "problems"))
    blocks.extend(_section(report, "other_matters"))
    return "\n\n".join(blocks) + "\n"


def read(text: str, options: ReadOptions) -> Report:
    """Read Markdown through the text reader (imported on first use): pipe
    tables and headings are lines of text to it."""
    from ._textread import read_text

    return read_text(text, options)


FORMAT = Format(
    name="markdown",
    description="a Markdown document with pipe tables (docs/formats.md)",
    description_zh="带竖线表格的 Markdown 文档（见 docs/formats.md）",
    extensions=(".md",),
    read=read,
    write=write,
)
