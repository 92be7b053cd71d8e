"""What every writer prints the same way: cells, the title, headings, labels.

Shared by the text, Markdown, CSV and HTML writers; no format owns it. The
form's printed words come from the lexicon (``model/labels.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ..model.cells import Blank, Value
from ..model.labels import (
    APPLICANTS,
    INFORMATION,
    LEGAL_PERSONS,
    LITIGATION,
    NOTE,
    RESULTS,
    TITLE_WORDS,
)
from ..model.report import SECTION_HEADINGS, TABLE_HEADINGS, Report, Section
from ..model.schema import TableSpec
from ..model.tables import ExtraRow

__all__ = [
    "APPLICANTS_LABEL",
    "APPLICATIONS_NOTE",
    "INFORMATION_LABEL",
    "LEGAL_PERSONS_LABEL",
    "LITIGATION_LABEL",
    "REPORT_TITLE",
    "RESULTS_LABEL",
    "cell_text",
    "extra_rows_after",
    "publisher_line",
    "section_heading",
    "table_heading",
    "title_of",
]

# The header cells the layout prints, from the form lexicon (the one home of
# the form's printed words), under the names the writers use.
INFORMATION_LABEL = INFORMATION
APPLICATIONS_NOTE = NOTE
APPLICANTS_LABEL = APPLICANTS
LEGAL_PERSONS_LABEL = LEGAL_PERSONS
RESULTS_LABEL = RESULTS
LITIGATION_LABEL = LITIGATION
#: The official name of the report, which a title ends with.
REPORT_TITLE = TITLE_WORDS[0]


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
    return f"{report.agency or ''}{year}{REPORT_TITLE}"


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


def section_heading(section: Section, field: str) -> str:
    """The heading to print for ``section`` (in report field ``field``): as
    printed, or the official one when the section has an empty heading."""
    return section.heading.strip() or SECTION_HEADINGS[field]
