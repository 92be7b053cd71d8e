"""Reading a page this library wrote: back exactly from its ``data-cell`` keys.

A page written by the HTML format (``<meta name="generator"
content="govdisclosure">``) holds the report in an ``<article>`` whose cells
carry their keys and whose sections, extra rows and unplaced text are marked,
so it is read back exactly, whatever its blanks, extra rows and texts; a cell
edited by hand into something that is not a number is a blank with the finding
``read-not-a-number``. Published pages go through the decoder instead
(:mod:`.html`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from ..errors import Problem, ReadError
from ..model.cells import Blank, CellRef, CellSource, Value, amount_problem, count_problem
from ..model.findings import Finding, Severity
from ..model.report import EDITIONS, TABLE_HEADINGS, Edition, Report, Section
from ..model.schema import build_report, form
from ..model.tables import ExtraRow
from . import ReadOptions
from ._htmltree import SKIP, Element, TextNode
from ._htmlwrite import GENERATOR, REPORT_CLASS

__all__ = ["generated_article", "read_generated"]


def generated_article(root: Element) -> Element | None:
    """The report's ``<article>`` when the page is one this library wrote, else ``None``."""
    generated = any(
        e.attrs.get("name") == "generator"
        and e.attrs.get("content", "").split(" ")[0] == GENERATOR
        for e in root.iter("meta")
    )
    if not generated:
        return None
    for element in root.iter("article"):
        if REPORT_CLASS in element.attrs.get("class", "").split():
            return element
    return None


def _raw(element: Element) -> str:
    """An element's text exactly as written (entities decoded, nothing trimmed)."""
    parts: list[str] = []
    stack: list[Element | TextNode] = list(reversed(element.children))
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            parts.append(node.text)
        elif node.tag not in SKIP:
            stack.extend(reversed(node.children))
    return "".join(parts)


_INT = re.compile(r"-?[0-9]+")
# Longer integers are refused without converting them: still over any bound.
_MAX_INT_TEXT = 40
_TOO_LONG: int = 10**_MAX_INT_TEXT


def _value(text: str, kind: str) -> Value | None:
    if kind == "amount":
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    if len(text) > _MAX_INT_TEXT:  # int() of thousands of digits raises ValueError
        return _TOO_LONG
    return int(text) if _INT.fullmatch(text) else None


def read_generated(article: Element, options: ReadOptions) -> Report:
    problems: list[Problem] = []
    edition_text = article.attrs.get("data-edition", "")
    if edition_text not in EDITIONS:
        raise ReadError(
            [Problem(message=f"the report's data-edition is {edition_text!r}; expected one "
                     f"of {', '.join(EDITIONS)}",
                     message_zh=f"报告的 data-edition 为 {edition_text!r}；应为 "
                     f"{'、'.join(EDITIONS)} 之一", line=article.line)],
            options.source,
        )
    edition: Edition = "2019" if edition_text == "2019" else "2021"
    if options.edition is not None and options.edition != edition:
        raise ReadError(
            [Problem(message=f"the page holds an edition {edition} report, not edition "
                     f"{options.edition} as asked",
                     message_zh=f"网页中是 {edition} 版报告，不是所要求的 {options.edition} 版",
                     line=article.line)],
            options.source,
        )
    spec = form(edition)
    kinds = {ref: spec.column_kind(ref) for ref in spec.refs()}
    values: dict[CellRef, Value] = {}
    provenance: dict[CellRef, CellSource] = {}
    findings: list[Finding] = []
    fields: dict[str, object] = {}
    sections: dict[str, Section] = {}
    unplaced: list[str] = []
    extra: dict[str, list[ExtraRow]] = {}
    headings: dict[str, str] = {}
    year_text = article.attrs.get("data-year")
    if year_text is not None:
        if _INT.fullmatch(year_text) and len(year_text) <= _MAX_INT_TEXT:
            fields["year"] = int(year_text)
        else:
            problems.append(Problem(message=f"data-year is {year_text!r}, expected a year",
                                    message_zh=f"data-year 为 {year_text!r}，应为年份",
                                    line=article.line))
    if "data-agency" in article.attrs:
        fields["agency"] = article.attrs["data-agency"]
    if "data-publisher" in article.attrs:
        fields["publisher"] = article.attrs["data-publisher"]
    for element in article.iter():
        attrs_ = element.attrs
        field = attrs_.get("data-field")
        if "data-cell" in attrs_:
            _generated_cell(element, kinds, values, provenance, findings, problems)
        elif field == "title" and element.tag == "h1":
            fields["title"] = _raw(element)
        elif field == "introduction":
            fields["introduction"] = _raw(element)
        elif field == "unplaced":
            unplaced.append(_raw(element))
        elif element.tag == "section" and attrs_.get("data-section") in (
            "overview", "problems", "other_matters"
        ):
            heading = body = ""
            for child in element.iter():
                if child.attrs.get("data-field") == "heading":
                    heading = _raw(child)
                elif child.attrs.get("data-field") == "body":
                    body = _raw(child)
            sections[attrs_["data-section"]] = Section(heading=heading, body=body)
        elif "data-heading" in attrs_:
            text = _raw(element)
            if text != TABLE_HEADINGS.get(attrs_["data-heading"]):
                headings[attrs_["data-heading"]] = text
        elif "data-extra" in attrs_:
            row = _generated_extra(element, problems)
            if row is not None:
                extra.setdefault(attrs_["data-extra"], []).append(row)
    if problems:
        raise ReadError(problems, options.source)
    if options.year is not None:
        fields["year"] = options.year
    if options.agency is not None:
        fields["agency"] = options.agency
    return build_report(
        edition, values,
        **fields,
        **sections,
        unplaced=tuple(unplaced),
        headings=headings,
        extra_rows={k: tuple(v) for k, v in extra.items()},
        provenance=provenance,
        read_findings=tuple(findings),
    )


def _generated_cell(
    element: Element,
    kinds: Mapping[CellRef, str],
    values: dict[CellRef, Value],
    provenance: dict[CellRef, CellSource],
    findings: list[Finding],
    problems: list[Problem],
) -> None:
    key = element.attrs["data-cell"]
    parts = key.split("/")
    ref = CellRef(*parts) if len(parts) == 3 else None
    if ref is None or ref not in kinds:
        problems.append(Problem(
            message=f"data-cell {key!r} names no cell of this edition's form",
            message_zh=f"data-cell {key!r} 不是本版表格中的单元格",
            line=element.line,
        ))
        return
    if ref in values:
        problems.append(Problem(message=f"cell {key} appears twice",
                                message_zh=f"单元格 {key} 出现两次", line=element.line))
        return
    text = _raw(element)
    if "data-blank" in element.attrs:
        values[ref] = Blank(text)
    else:
        value = _value(text.strip(), kinds[ref])
        problem = (None if value is None or isinstance(value, Blank) else
                   count_problem(value) if isinstance(value, int) else amount_problem(value))
        if problem is not None:
            assert value is not None and not isinstance(value, Blank)  # as problem says
            zh = count_problem(value, "zh") if isinstance(value, int) else \
                amount_problem(value, "zh")
            problems.append(Problem(message=f"cell {key}: {problem}",
                                    message_zh=f"单元格 {key}：{zh}", line=element.line))
            return
        if value is None:
            values[ref] = Blank(text)
            findings.append(Finding(
                rule="read-not-a-number", severity=Severity.ERROR, table=ref.table,
                row=ref.row, column=ref.column, line=element.line, cells=(ref,),
                actual=text,
                message=f"{ref}：“{text}”不是数字，按空白读入",
                message_en=f"{ref}: {text!r} is not a number; read as a blank",
            ))
        else:
            values[ref] = value
    provenance[ref] = CellSource(line=element.line)


def _generated_extra(element: Element, problems: list[Problem]) -> ExtraRow | None:
    label = ""
    cells: list[str] = []
    for child in element.children:
        if isinstance(child, Element) and child.tag == "th":
            label = _raw(child)
        elif isinstance(child, Element) and child.tag == "td":
            cells.append(_raw(child))
    line_text = element.attrs.get("data-line")
    line = None
    if line_text is not None:
        if not _INT.fullmatch(line_text) or len(line_text) > _MAX_INT_TEXT:
            problems.append(Problem(message=f"data-line is {line_text!r}, expected a number",
                                    message_zh=f"data-line 为 {line_text!r}，应为数字",
                                    line=element.line))
            return None
        line = int(line_text)
    return ExtraRow(label=label, cells=tuple(cells), after=element.attrs.get("data-after"),
                    line=line)


