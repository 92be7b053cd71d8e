"""The ``text`` format: pipe-flattened text in the layout of the published pages.

Real reports reach users as text scraped from their web pages, where each
table cell became ``text |`` and each table row a line (FORMAT.md, "How reports
look in the wild"). The writer prints a report in that layout, one table row
per line, every row padded with empty cells to the width of the table's grid,
so that what it writes reads back through the text reader
(``loads(dumps(r, "text"), "text") == r``). The layout is described in
``docs/formats.md``.

The helpers :func:`cell_text`, :func:`title_of`, :func:`table_heading`,
:func:`section_heading` and :func:`extra_rows_after` are shared with the Markdown and CSV writers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from ..model.cells import Blank, CellRef, Value
from ..model.report import SECTION_HEADINGS, TABLE_HEADINGS, Report, Section
from ..model.schema import RowSpec, TableSpec, form_of, get_cell
from ..model.tables import ExtraRow
from . import Format, ReadOptions
from ._textread._lexicon import (
    APPLICANTS,
    INFORMATION,
    LEGAL_PERSONS,
    LITIGATION,
    NOTE,
    RESULTS,
)

__all__ = [
    "APPLICANTS_LABEL",
    "APPLICATIONS_NOTE",
    "FORMAT",
    "INFORMATION_LABEL",
    "LEGAL_PERSONS_LABEL",
    "LITIGATION_LABEL",
    "RESULTS_LABEL",
    "cell_text",
    "extra_rows_after",
    "publisher_line",
    "read",
    "section_heading",
    "table_heading",
    "title_of",
    "write",
]

# The header cells the layout prints, from the form lexicon (the one home of
# the form's printed words), under the names the writers use.
INFORMATION_LABEL = INFORMATION
APPLICATIONS_NOTE = NOTE
APPLICANTS_LABEL = APPLICANTS
LEGAL_PERSONS_LABEL = LEGAL_PERSONS
RESULTS_LABEL = RESULTS
LITIGATION_LABEL = LITIGATION

# Widths of the published grids, in cells: table 二 is 信息内容 and three value
# columns; table 三 has three label columns (三、本年度办理结果 / （三）不予公开 /
# 1.属于国家秘密) and seven data columns; table 四 has fifteen data columns.
_WIDTHS: Mapping[str, int] = {"active": 4, "applications": 10, "appeals": 15}
# The row of table 三 that opens the 三、本年度办理结果 block.
_FIRST_RESULT_ROW = "granted"


def cell_text(value: Value) -> str:
    """A cell as printed: counts in decimal digits (``-8`` for a decrease),
    amounts in positional notation keeping their scale (``0.10``, never
    ``1E+3``), and a blank cell as the text it printed."""
    if isinstance(value, Blank):
        return value.printed
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def title_of(report: Report) -> str | None:
    """The title line: the printed title, else one made from the agency and year
    in the official pattern, else ``None`` when the report names neither."""
    if report.title is not None:
        return report.title
    if report.agency is None and report.year is None:
        return None
    year = f"{report.year}年" if report.year is not None else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def publisher_line(report: Report) -> str | None:
    """The line naming the publisher, as a crawler's header prints it
    (``发布机构：…``), or ``None`` when the report names none."""
    if report.publisher is None:
        return None
    return f"发布机构：{' '.join(report.publisher.split())}"


def table_heading(report: Report, table: str) -> str:
    """The heading of the section holding ``table``: as printed when the report
    kept it, else the official one."""
    return report.headings.get(table) or TABLE_HEADINGS[table]


def extra_rows_after(
    table: TableSpec, extra: Sequence[ExtraRow]
) -> tuple[Mapping[str, tuple[ExtraRow, ...]], tuple[ExtraRow, ...]]:
    """Extra rows placed by the row they followed, and those for the table's end.

    An extra row whose ``after`` is a row key goes after that row; one whose
    ``after`` is a group key (``art20_1``, ``withheld``) goes after the group's
    last row; any other goes at the end of the table. Order among rows placed
    at the same spot is kept.
    """
    last_of_group: dict[str, str] = {}
    keys: set[str] = set()
    for row in table.rows:
        keys.add(row.key)
        if row.group is not None:
            last_of_group[row.group] = row.key
    placed: dict[str, list[ExtraRow]] = {}
    at_end: list[ExtraRow] = []
    for extra_row in extra:
        after = extra_row.after
        if after is not None and after not in keys:
            after = last_of_group.get(after)
        if after is None:
            at_end.append(extra_row)
        else:
            placed.setdefault(after, []).append(extra_row)
    return {k: tuple(v) for k, v in placed.items()}, tuple(at_end)


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
        yield _line([*labels, *_values(report, row)], width)
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


def section_heading(section: Section, field: str) -> str:
    """The heading to print for ``section`` (in report field ``field``): as
    printed, or the official one when the section has an empty heading."""
    return section.heading.strip() or SECTION_HEADINGS[field]


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
    extensions=(".txt",),
    read=read,
    write=write,
)
