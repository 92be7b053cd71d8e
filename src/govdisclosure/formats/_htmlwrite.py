"""The standalone HTML page of a report: the official table layout, inline CSS.

Shared by the ``html`` writer and the review page (:mod:`govdisclosure.review`),
which passes marks for cells and extra blocks to print after each table. The
page needs no network and no script. Every data cell carries its key in
``data-cell`` (``applications/received/natural_person``) and blank cells carry
``data-blank``, so the ``html`` reader reads a generated page back exactly.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model.cells import Blank, CellRef
from ..model.report import TABLE_HEADINGS, Report, Section
from ..model.schema import FormSpec, RowSpec, TableSpec, form_of, get_cell
from ..model.tables import ExtraRow
from ._writing import (
    APPLICANTS_LABEL,
    APPLICATIONS_NOTE,
    INFORMATION_LABEL,
    LEGAL_PERSONS_LABEL,
    LITIGATION_LABEL,
    REPORT_TITLE,
    RESULTS_LABEL,
    cell_text,
    title_of,
)

__all__ = ["GENERATOR", "Mark", "render_page"]

#: The ``<meta name="generator">`` of generated pages; the reader looks for it.
GENERATOR = "govdisclosure"
#: Class of the element that holds a generated report's data.
REPORT_CLASS = "gd-report"

CSS = """
@page { size: A4; margin: 15mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif;
  color: #111; background: #fff; margin: 0; padding: 1.5em; line-height: 1.6; }
article.gd-report { max-width: 60em; margin: 0 auto; }
h1 { font-size: 1.5em; text-align: center; margin: 0.5em 0 1em; }
h2 { font-size: 1.15em; margin: 1.2em 0 0.5em; }
.gd-text { white-space: pre-wrap; margin: 0 0 0.8em; }
table.gd-table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em;
  font-size: 0.85em; page-break-inside: auto; }
table.gd-table th, table.gd-table td { border: 1px solid #333; padding: 0.2em 0.35em;
  text-align: center; vertical-align: middle; }
table.gd-table th { font-weight: normal; background: #f3f3f3; }
table.gd-table th.gd-label { text-align: left; }
table.gd-table td { font-variant-numeric: tabular-nums; min-width: 2.2em; white-space: nowrap; }
table.gd-table tr { page-break-inside: avoid; break-inside: avoid; }
table.gd-table thead { display: table-header-group; }
td.gd-blank { color: #777; }
tr.gd-extra th { font-style: italic; }
td.gd-fail { background: #ffe8e8; outline: 1px solid #e39a9a; outline-offset: -1px; }
td.gd-likely { background: #b00000; color: #fff; font-weight: bold;
  outline: 3px solid #500; outline-offset: -3px; }
td.gd-na { background: #fff1c2; outline: 2px dashed #b58900; outline-offset: -2px; }
td.gd-inferred { background: #d9ecff; font-style: italic; }
td.gd-note { outline: 1px dotted #555; outline-offset: -2px; }
td[data-n]::after { content: " " attr(data-n); font-size: 0.7em; vertical-align: super;
  color: #a00; }
td.gd-likely[data-n]::after { color: #fff; }
.gd-legend span { display: inline-block; padding: 0 0.5em; margin-right: 0.6em;
  border: 1px solid #999; }
.gd-legend .gd-fail { background: #ffe8e8; }
.gd-legend .gd-likely { background: #b00000; color: #fff; font-weight: bold; }
.gd-legend .gd-na { background: #fff1c2; }
.gd-legend .gd-inferred { background: #d9ecff; }
ol.gd-findings { font-size: 0.9em; margin: 0 0 1.2em; padding-left: 2em; }
ol.gd-findings li.gd-fail { color: #a00; }
ol.gd-findings li.gd-na { color: #7a5c00; }
ol.gd-findings li.gd-likely { color: #700; font-weight: bold; }
ol.gd-findings li.gd-note { color: #333; }
.gd-diagnosis { margin: 0.4em 0; padding: 0.3em 0.6em; border-left: 4px solid #b00000; }
.gd-rule { font-family: monospace; font-weight: bold; }
.gd-summary { border: 1px solid #999; padding: 0.5em 1em; margin: 1em 0; }
@media print {
  body { padding: 0; font-size: 10.5pt; }
  td.gd-fail, td.gd-likely, td.gd-na, td.gd-inferred, th { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  h2 { page-break-after: avoid; break-after: avoid; }
}
""".strip()


@attrs.frozen(slots=True, kw_only=True)
class Mark:
    """How the review page marks a cell: a CSS class, a hover text, a footnote number."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    css: str
    title: str = ""
    number: str = ""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class _Page:
    def __init__(self, report: Report, marks: Mapping[CellRef, Mark]) -> None:
        self.report = report
        self.spec: FormSpec = form_of(report)
        self.marks = marks
        self.out: list[str] = []

    def w(self, text: str) -> None:
        self.out.append(text)

    def cell(self, ref: CellRef, colspan: int = 1) -> str:
        value = get_cell(self.report, ref)
        classes = []
        attrs_ = [f'data-cell="{_e(str(ref))}"']
        if colspan > 1:
            attrs_.append(f'colspan="{colspan}"')
        if isinstance(value, Blank):
            classes.append("gd-blank")
            attrs_.append("data-blank")
        mark = self.marks.get(ref)
        if mark is not None:
            classes.append(mark.css)
            if mark.title:
                attrs_.append(f'title="{_e(mark.title)}"')
            if mark.number:
                attrs_.append(f'data-n="{_e(mark.number)}"')
        if classes:
            attrs_.insert(0, f'class="{" ".join(classes)}"')
        return f"<td {' '.join(attrs_)}>{_e(cell_text(value))}</td>"

    def extra(self, table: str, row: ExtraRow, label_span: int) -> str:
        parts = [f'<tr class="gd-extra" data-extra="{_e(table)}"']
        if row.after is not None:
            parts.append(f' data-after="{_e(row.after)}"')
        if row.line is not None:
            parts.append(f' data-line="{row.line}"')
        parts.append(">")
        span = f' colspan="{label_span}"' if label_span > 1 else ""
        parts.append(f'<th class="gd-label"{span}>{_e(row.label)}</th>')
        parts.extend(f"<td>{_e(c)}</td>" for c in row.cells)
        parts.append("</tr>")
        return "".join(parts)


def _active(page: _Page, spec: TableSpec) -> None:
    page.w('<table class="gd-table" data-table="active">')
    page.w("<tbody>")
    blocks: dict[str, list[RowSpec]] = {}
    for row in spec.rows:
        blocks.setdefault(row.group or row.key, []).append(row)
    for rows in blocks.values():
        first = rows[0]
        cols = first.columns
        page.w(f'<tr class="gd-caption"><th colspan="4">{_e(first.group_label or "")}</th></tr>')
        head = [f'<tr class="gd-head"><th>{_e(INFORMATION_LABEL)}</th>']
        if len(cols) == 1:
            head.append(f'<th colspan="3">{_e(cols[0].label)}</th>')
        else:
            head.extend(f"<th>{_e(c.label)}</th>" for c in cols)
            head.extend("<th></th>" for _ in range(3 - len(cols)))
        head.append("</tr>")
        page.w("".join(head))
        for row in rows:
            line = [f'<tr data-row="{_e(row.key)}"><th class="gd-label">{_e(row.label)}</th>']
            refs = row.refs()
            cells = [page.cell(ref, 3 if len(refs) == 1 else 1) for ref in refs]
            line.extend(cells)
            line.extend("<td></td>" for _ in range(3 - len(cells)) if len(cells) > 1)
            line.append("</tr>")
            page.w("".join(line))
    for extra in page.report.active.extra_rows:
        page.w(page.extra("active", extra, 1))
    page.w("</tbody></table>")


def _applications(page: _Page, spec: TableSpec) -> None:
    cols = spec.rows[0].columns
    page.w('<table class="gd-table" data-table="applications">')
    page.w("<thead>")
    page.w(
        f'<tr><th rowspan="3" colspan="3">{_e(APPLICATIONS_NOTE)}</th>'
        f'<th colspan="{len(cols)}">{_e(APPLICANTS_LABEL)}</th></tr>'
    )
    page.w(
        f'<tr><th rowspan="2">{_e(cols[0].label)}</th>'
        f'<th colspan="{len(cols) - 2}">{_e(LEGAL_PERSONS_LABEL)}</th>'
        f'<th rowspan="2">{_e(cols[-1].label)}</th></tr>'
    )
    page.w("<tr>" + "".join(f"<th>{_e(c.label)}</th>" for c in cols[1:-1]) + "</tr>")
    page.w("</thead><tbody>")
    rows = list(spec.rows)
    keys = [r.key for r in rows]
    first_outcome = keys.index("granted")
    last_outcome = keys.index("total_handled")
    outcome_span = last_outcome - first_outcome + 1
    group_sizes: dict[str, int] = {}
    for r in rows:
        if r.group:
            group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    seen_groups: set[str] = set()
    for i, row in enumerate(rows):
        parts = [f'<tr data-row="{_e(row.key)}">']
        if i == first_outcome:
            parts.append(f'<th rowspan="{outcome_span}">{_e(RESULTS_LABEL)}</th>')
        inside = first_outcome <= i <= last_outcome
        if row.group is None:
            span = 2 if inside else 3
            parts.append(f'<th class="gd-label" colspan="{span}">{_e(row.label)}</th>')
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                parts.append(
                    f'<th class="gd-label" rowspan="{group_sizes[row.group]}">'
                    f"{_e(row.group_label or '')}</th>"
                )
            parts.append(f'<th class="gd-label">{_e(row.label)}</th>')
        parts.extend(page.cell(ref) for ref in row.refs())
        parts.append("</tr>")
        page.w("".join(parts))
    for extra in page.report.applications.extra_rows:
        page.w(page.extra("applications", extra, 3))
    page.w("</tbody></table>")


def _appeals(page: _Page, spec: TableSpec) -> None:
    rows = spec.rows
    cols = rows[0].columns
    n = len(cols)
    page.w('<table class="gd-table" data-table="appeals">')
    page.w("<thead>")
    page.w(
        f'<tr><th colspan="{n}">{_e(rows[0].label)}</th>'
        f'<th colspan="{2 * n}">{_e(LITIGATION_LABEL)}</th></tr>'
    )
    page.w(
        "<tr>" + "".join(f'<th rowspan="2">{_e(c.label)}</th>' for c in cols)
        + "".join(f'<th colspan="{n}">{_e(row.label.split("/", 1)[-1])}</th>'
                  for row in rows[1:])
        + "</tr>"
    )
    page.w("<tr>" + "".join(f"<th>{_e(c.label)}</th>" for c in cols) * 2 + "</tr>")
    page.w("</thead><tbody>")
    page.w(
        '<tr data-row="' + " ".join(r.key for r in rows) + '">'
        + "".join(page.cell(ref) for r in rows for ref in r.refs()) + "</tr>"
    )
    for extra in page.report.appeals.extra_rows:
        page.w(page.extra("appeals", extra, 1))
    page.w("</tbody></table>")


_TABLE_WRITERS: Mapping[str, Callable[[_Page, TableSpec], None]] = {
    "active": _active,
    "applications": _applications,
    "appeals": _appeals,
}


def _text_block(page: _Page, field: str, text: str) -> None:
    page.w(f'<div class="gd-text" data-field="{field}">{_e(text)}</div>')


def _section(page: _Page, field: str, section: Section | None) -> None:
    if section is None:
        return
    page.w(f'<section data-section="{field}">')
    page.w(f'<h2 data-field="heading">{_e(section.heading)}</h2>')
    _text_block(page, "body", section.body)
    page.w("</section>")


def render_page(
    report: Report,
    *,
    marks: Mapping[CellRef, Mark] | None = None,
    after_table: Callable[[str], str] | None = None,
    before: str = "",
    after: str = "",
    page_title: str | None = None,
    lang: str = "zh",
) -> str:
    """The whole page of ``report``; deterministic (same report, same text).

    ``marks`` decorate data cells, ``after_table(table_key)`` returns HTML to
    print after each table, and ``before``/``after`` are HTML blocks outside the
    report's own data (the review page's summary and findings).
    """
    page = _Page(report, marks or {})
    title = title_of(report) or REPORT_TITLE
    page.w("<!DOCTYPE html>")
    page.w(f'<html lang="{"en" if lang == "en" else "zh-CN"}">')
    page.w("<head>")
    page.w('<meta charset="utf-8">')
    page.w(f'<meta name="generator" content="{GENERATOR}">')
    page.w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    page.w(f"<title>{_e(page_title or title)}</title>")
    page.w(f"<style>\n{CSS}\n</style>")
    page.w("</head>")
    page.w("<body>")
    if before:
        page.w(before)
    attrs_ = [f'class="{REPORT_CLASS}"', f'data-edition="{report.edition}"']
    if report.year is not None:
        attrs_.append(f'data-year="{report.year}"')
    if report.agency is not None:
        attrs_.append(f'data-agency="{_e(report.agency)}"')
    if report.publisher is not None:
        attrs_.append(f'data-publisher="{_e(report.publisher)}"')
    page.w(f"<article {' '.join(attrs_)}>")
    if report.title is not None:
        page.w(f'<h1 data-field="title">{_e(report.title)}</h1>')
    else:
        page.w(f"<h1>{_e(title)}</h1>")
    if report.introduction:
        _text_block(page, "introduction", report.introduction)
    _section(page, "overview", report.overview)
    for table in page.spec.tables:
        heading = report.headings.get(table.key, TABLE_HEADINGS[table.key])
        page.w(f'<h2 data-heading="{table.key}">{_e(heading)}</h2>')
        _TABLE_WRITERS[table.key](page, table)
        if after_table is not None:
            page.w(after_table(table.key))
    _section(page, "problems", report.problems)
    _section(page, "other_matters", report.other_matters)
    if report.unplaced:
        page.w('<section class="gd-unplaced">')
        page.w("<h2>未能归入各部分的文字</h2>" if lang != "en" else "<h2>Text not placed</h2>")
        for text in report.unplaced:
            _text_block(page, "unplaced", text)
        page.w("</section>")
    page.w("</article>")
    if after:
        page.w(after)
    page.w("</body>")
    page.w("</html>")
    return "\n".join(page.out) + "\n"
