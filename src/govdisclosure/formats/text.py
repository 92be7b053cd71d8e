"""The ``text`` format: pipe-flattened text in the layout of the published pages.

Real reports reach users as text scraped from their web pages, where each
table cell became ``text |`` and each table row a line (FORMAT.md, "How reports
look in the wild"). The writer prints a report in that layout, one table row
per line, every row padded with empty cells to the width of the table's grid,
so that what it writes reads back through the text reader
(``loads(dumps(r, "text"), "text") == r``). The layout is described in
``docs/formats.md``.

The helpers every writer shares (how a cell, the title and the headings are
printed) are in :mod:`._writing`, which no format owns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from ..model.cells import CellRef
from ..model.report import Report, Section
from ..model.schema import RowSpec, TableSpec, form_of, get_cell
from ..model.tables import ExtraRow
from . import Format, ReadOptions
from ._writing import (
    APPLICANTS_LABEL,
    APPLICATIONS_NOTE,
    INFORMATION_LABEL,
    LEGAL_PERSONS_LABEL,
    LITIGATION_LABEL,
    RESULTS_LABEL,
    cell_text,
    extra_rows_after,
    publisher_line,
    section_heading,
    table_heading,
    title_of,
)

__all__ = ["FORMAT", "read", "write"]

# Widths of the published grids, in cells: table 二 is 信息内容 and three value
# columns; table 三 has three label columns (三、本年度办理结果 / （三）不予公开 /
# 1.属于国家秘密) and seven data columns; table 四 has fifteen data columns.
_WIDTHS: Mapping[str, int] = {"active": 4, "applications": 10, "appeals": 15}
# The row of table 三 that opens the 三、本年度办理结果 block.
_FIRST_RESULT_ROW = "granted"


def _flat(text: str) -> str:
    # A pipe-text cell is one line and holds no "|": there is no escape, so a
    # "|" becomes the full-width "｜" and a line break a space (docs/formats.md).
    return " ".join(text.replace("|", "｜").splitlines())


def _line(cells: Sequence[str], width: int) -> str:
    """One table row: ``text |`` per cell and ``|`` per empty cell, padded to ``width``."""
    padded = [*cells, *[""] * (width - len(cells))]
    parts: list[str] = []
    for cell in padded:
        text = _flat(cell).strip()
        if text:
            parts.append(f" {text} |" if parts else f"{text} |")
        else:
            parts.append("|")
    return "".join(parts)


def _values(report: Report, row: RowSpec) -> list[str]:
    return [cell_text(get_cell(report, CellRef(row.table, row.key, c.key))) for c in row.columns]


def _extra_lines(rows: Sequence[ExtraRow], width: int) -> Iterator[str]:
    for extra_row in rows:
        yield _line([extra_row.label, *extra_row.cells], width)


def _active_lines(report: Report, table: TableSpec) -> Iterator[str]:
    width = _WIDTHS["active"]
    placed, at_end = extra_rows_after(table, report.active.extra_rows)
    group: str | None = None
    for row in table.rows:
        if row.group != group:
            group = row.group
            yield _line([row.group_label or ""], width)
            yield _line([INFORMATION_LABEL, *(c.label for c in row.columns)], width)
        yield _line([row.label, *_values(report, row)], width)
        yield from _extra_lines(placed.get(row.key, ()), width)
    yield from _extra_lines(at_end, width)


def _applications_lines(report: Report, table: TableSpec) -> Iterator[str]:
    width = _WIDTHS["applications"]
    columns = table.rows[0].columns
    yield _line([APPLICATIONS_NOTE, APPLICANTS_LABEL], width)
    yield _line([columns[0].label, LEGAL_PERSONS_LABEL, columns[-1].label], width)
    yield _line([c.label for c in columns[1:-1]], width)
    placed, at_end = extra_rows_after(table, report.applications.extra_rows)
    group: str | None = None
    for row in table.rows:
        labels = [row.label]
        if row.group is not None and row.group != group:
            # A rowspan label appears only on its group's first line.
            labels.insert(0, row.group_label or "")
        if row.key == _FIRST_RESULT_ROW:
            labels.insert(0, RESULTS_LABEL)
        group = row.group
        values = _values(report, row)
        # A blank 总计 after numbers is not followed by padding: padding after
        # it would read as a row short of a cell (docs/reading.md).
        yield _line([*labels, *values], 0 if not values[-1] and any(values) else width)
        yield from _extra_lines(placed.get(row.key, ()), width)
    yield from _extra_lines(at_end, width)


def _litigation_parts(table: TableSpec) -> list[str]:
    # "行政诉讼/未经复议直接起诉" -> "未经复议直接起诉": the second header level.
    return [row.label.split("/", 1)[-1] for row in table.rows[1:]]


def _appeals_lines(report: Report, table: TableSpec) -> Iterator[str]:
    width = _WIDTHS["appeals"]
    first, *rest = table.rows
    yield _line([first.label, LITIGATION_LABEL], width)
    yield _line([*(c.label for c in first.columns), *_litigation_parts(table)], width)
    yield _line([c.label for row in rest for c in row.columns], width)
    yield _line([value for row in table.rows for value in _values(report, row)], width)
    placed, at_end = extra_rows_after(table, report.appeals.extra_rows)
    # The three groups share one printed row, so every placed extra row follows it.
    for row in table.rows:
        yield from _extra_lines(placed.get(row.key, ()), width)
    yield from _extra_lines(at_end, width)


_TABLE_LINES = {
    "active": _active_lines,
    "applications": _applications_lines,
    "appeals": _appeals_lines,
}


def _section_lines(report: Report, field: str) -> Iterator[str]:
    section: Section | None = getattr(report, field)
    if section is None:
        return
    yield section_heading(section, field)
    if section.body:
        yield section.body


def write(report: Report) -> str:
    """The report as pipe-flattened text, in the layout of the published pages.

    The publisher's line (when the report names one), title, introduction, 一
    with its text, 二–四 with their tables (caption, header and data rows,
    padded), then 五 and 六; sections the report lacks are left out. The same
    report always gives the same text.
    """
    lines: list[str] = []
    publisher = publisher_line(report)
    if publisher is not None:
        lines.append(publisher)
    title = title_of(report)
    if title is not None:
        lines.append(title)
    if report.introduction:
        lines.append(report.introduction)
    lines.extend(_section_lines(report, "overview"))
    for table in form_of(report).tables:
        lines.append(table_heading(report, table.key))
        lines.extend(_TABLE_LINES[table.key](report, table))
    lines.extend(_section_lines(report, "problems"))
    lines.extend(_section_lines(report, "other_matters"))
    return "\n".join(lines) + "\n"


def read(text: str, options: ReadOptions) -> Report:
    """Read a text report through the text reader (imported on first use)."""
    from ._textread import read_text

    return read_text(text, options)


FORMAT = Format(
    name="text",
    description="pipe-flattened text as scraped from the published pages (docs/formats.md)",
    description_zh="从发布网页抓取、以竖线分隔表格的文本（见 docs/formats.md）",
    extensions=(".txt",),
    read=read,
    write=write,
)
