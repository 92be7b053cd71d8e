"""The review page: a report's page with its findings marked on the cells.

Reviewers read reports in a browser. :func:`review_page` writes the same
standalone page as the ``html`` writer (official layout, inline CSS, no
script) and marks each cell a failed or not-assessable finding involves, with
the messages on hover and in a numbered list under each table. The cells the
diagnosis names as likely wrong stand out from the other cells of failed
rules; cells that :func:`govdisclosure.infer` filled in are marked apart and
listed with the identity that forced them, and the reader's own findings are
listed with their source lines.
"""

from __future__ import annotations

import html

from .formats.html import Mark, render_page  # the html writer's public page API
from .model.cells import CellRef
from .model.findings import Finding, Severity, Status
from .model.provenance import inferred_cells
from .model.report import Report
from .model.schema import FormSpec, form_of
from .validation import ValidationResult, validate
from .validation.diagnosis import RULE_ID as LIKELY
from .validation.filled import RULE_ID as INFERRED

__all__ = ["review_page"]

_WORDS = {
    "zh": {
        "title": "审阅",
        "summary": "检查结果",
        "errors": "错误",
        "warnings": "警告",
        "na": "无法判断",
        "inferred": "推算填入",
        "likely": "可能出错的格",
        "reader": "读取时发现的问题",
        "line": "第 {} 行",
        "none": "未发现问题。",
        "fail": "不成立",
        "not_assessable": "无法判断",
        "legend": "图例：",
        "inferred_by": "此格原为空白，由 {} 推算填入",
        "findings": "本表发现的问题",
        "other": "其他发现",
        "source": "来源",
        "see": "见第 {} 条",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
    },
    "en": {
        "title": "Review",
        "summary": "Check results",
        "errors": "errors",
        "warnings": "warnings",
        "na": "not assessable",
        "inferred": "inferred",
        "likely": "likely wrong cells",
        "reader": "Problems met while reading",
        "line": "line {}",
        "none": "No findings.",
        "fail": "failed",
        "not_assessable": "not assessable",
        "legend": "Legend: ",
        "inferred_by": "blank in the report; filled in by {}",
        "findings": "Findings in this table",
        "other": "Other findings",
        "source": "source",
        "see": "see {}",
        "error": "error",
        "warning": "warning",
        "info": "info",
    },
}

_TABLES = ("active", "applications", "appeals")
# How strongly a cell is marked, weakest first: a cell shows its strongest mark.
_STRENGTH = {"gd-note": 0, "gd-inferred": 1, "gd-na": 2, "gd-fail": 3, "gd-likely": 4}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _css(finding: Finding) -> str:
    if finding.rule == LIKELY:
        return "gd-likely"
    if finding.rule == INFERRED:
        return "gd-inferred"
    if finding.severity is Severity.INFO:
        return "gd-note"
    return "gd-fail" if finding.status is Status.FAILED else "gd-na"


def _is_reader(finding: Finding) -> bool:
    return finding.rule.startswith("read-")


def _where(spec: FormSpec, finding: Finding, lang: str) -> str:
    """The finding's place in the form's own labels (表三 · （五）不予处理 · 2.重复申请)."""
    if finding.table is None:
        return ""
    try:
        table = spec.table(finding.table)
    except KeyError:
        return finding.table
    parts = [f"表{table.short}" if lang == "zh" else f"table {table.short}"]
    row = None
    if finding.row is not None:
        try:
            row = table.row(finding.row)
        except KeyError:
            parts.append(finding.row)
    if row is not None:
        if row.group_label and finding.table == "applications":
            parts.append(row.group_label)
        parts.append(row.label if lang == "zh" else row.en)
    if finding.column is not None:
        columns = row.columns if row is not None else table.rows[0].columns
        label = next((c.label if lang == "zh" else c.en for c in columns
                      if c.key == finding.column), finding.column)
        parts.append(label)
    return " · ".join(parts)


def _item(spec: FormSpec, finding: Finding, number: int, lang: str) -> str:
    words = _WORDS[lang]
    severity = words[finding.severity.value]
    if finding.severity is Severity.INFO:
        status = ""  # a note, not a rule that failed
    elif finding.status is Status.FAILED:
        status = f" · {words['fail']}"
    else:
        status = f" · {words['not_assessable']}"
    where = f" ({_e(words['line'].format(finding.line))})" if finding.line is not None else ""
    place = _where(spec, finding, lang)
    place_html = f'<span class="gd-where">{_e(place)}</span> · ' if place else ""
    return (
        f'<li id="gd-f{number}" class="{_css(finding)}" value="{number}" '
        f'data-rule="{_e(finding.rule)}" data-severity="{finding.severity.value}" '
        f'data-status="{finding.status.value}">'
        f'<span class="gd-rule">{_e(finding.rule)}</span> {_e(severity)}'
        f"{status}{where} · {place_html}{_e(finding.text(lang))}</li>"
    )


def _in_table_order(spec: FormSpec, findings: tuple[Finding, ...]) -> list[Finding]:
    """The findings in the order the page shows them.

    Under each table in turn: the diagnosis first, then the others by the first
    cell they involve in reading order; then the reader's findings, then the
    rest, each in the order :func:`validate` gave them.
    """
    position = {ref: i for i, ref in enumerate(spec.refs())}
    last = len(position)

    def key(item: tuple[int, Finding]) -> tuple[int, int, int, int]:
        k, f = item
        if _is_reader(f):
            return (len(_TABLES), 0, 0, k)
        if f.table not in _TABLES:
            return (len(_TABLES) + 1, 0, 0, k)
        first = min((position.get(ref, last) for ref in f.cells), default=last)
        return (_TABLES.index(f.table), 0 if f.rule == LIKELY else 1, first, k)

    return [f for _, f in sorted(enumerate(findings), key=key)]


def review_page(report: Report, result: ValidationResult | None = None, lang: str = "zh") -> str:
    """The review page of ``report`` as one standalone HTML document.

    ``result`` is what :func:`govdisclosure.validate` returned for it (run here
    when not given). ``lang`` is ``"zh"`` or ``"en"`` for the page's own words
    and the findings' messages. The cells the diagnosis names as likely wrong
    are marked strongly (dark red), the other cells of failed rules lightly
    (pale red), not-assessable ones amber, inferred ones blue. Findings are
    listed under their table and numbered in the order shown; the diagnosis
    also heads the page. The page prints on A4.
    """
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}: expected 'zh' or 'en'")
    words = _WORDS[lang]
    spec = form_of(report)
    if result is None:
        result = validate(report)
    numbered = list(enumerate(_in_table_order(spec, result.findings), start=1))

    marks: dict[CellRef, Mark] = {}
    titles: dict[CellRef, list[str]] = {}
    numbers: dict[CellRef, list[str]] = {}
    strongest: dict[CellRef, str] = {}
    for number, finding in numbered:
        css = _css(finding)
        cells = finding.blanks if finding.status is Status.NOT_ASSESSABLE and finding.blanks \
            else finding.cells
        for ref in cells:
            titles.setdefault(ref, []).append(f"{finding.rule}: {finding.text(lang)}")
            numbers.setdefault(ref, []).append(str(number))
            if _STRENGTH[css] > _STRENGTH.get(strongest.get(ref, ""), -1):
                strongest[ref] = css
    for ref, rule_id in inferred_cells(report.provenance).items():
        if ref not in strongest:
            strongest[ref] = "gd-inferred"
        if ref not in titles:
            titles[ref] = [words["inferred_by"].format(rule_id)]
    for ref, css in strongest.items():
        listed = numbers.get(ref, [])
        # Two numbers at most inside a cell; the hover text and the lists hold all.
        shown = ",".join(listed[:2]) + ("…" if len(listed) > 2 else "")
        marks[ref] = Mark(css=css, title="\n".join(titles.get(ref, [])), number=shown)

    def after_table(table: str) -> str:
        items = [
            _item(spec, f, n, lang) for n, f in numbered
            if f.table == table and not _is_reader(f)
        ]
        if not items:
            return ""
        return (
            f'<ol class="gd-findings" data-table="{table}" '
            f'aria-label="{_e(words["findings"])}">' + "".join(items) + "</ol>"
        )

    reader = [(n, f) for n, f in numbered if _is_reader(f)]
    rest = [(n, f) for n, f in numbered if f.table not in _TABLES and not _is_reader(f)]

    errors = len(result.errors)
    warnings = sum(
        1 for f in result.findings
        if f.severity is Severity.WARNING and f.status is Status.FAILED
    )
    na = len(result.not_assessable)
    inferred = len(inferred_cells(report.provenance))
    before = [
        '<aside class="gd-summary" id="gd-summary">',
        f"<strong>{_e(words['summary'])}</strong>：",
        f'<span data-count="errors">{errors}</span> {_e(words["errors"])} · ',
        f'<span data-count="warnings">{warnings}</span> {_e(words["warnings"])} · ',
        f'<span data-count="not-assessable">{na}</span> {_e(words["na"])} · ',
        f'<span data-count="inferred">{inferred}</span> {_e(words["inferred"])}',
    ]
    for n, f in numbered:
        if f.rule == LIKELY:
            before.append(
                f'<p class="gd-diagnosis" data-rule="{LIKELY}">'
                f'<a href="#gd-f{n}">{_e(words["see"].format(n))}</a> · '
                f"<strong>{_e(f.text(lang))}</strong></p>"
            )
    before.append(
        f'<div class="gd-legend">{_e(words["legend"])}'
        f'<span class="gd-likely">{_e(words["likely"])}</span>'
        f'<span class="gd-fail">{_e(words["fail"])}</span>'
        f'<span class="gd-na">{_e(words["not_assessable"])}</span>'
        f'<span class="gd-inferred">{_e(words["inferred"])}</span></div>'
    )
    if not result.findings:
        before.append(f"<p>{_e(words['none'])}</p>")
    before.append("</aside>")
    after: list[str] = []
    for kind, in_section in (("reader", reader), ("other", rest)):
        if in_section:
            after.append(f'<section class="gd-{kind}-findings">')
            after.append(f"<h2>{_e(words[kind])}</h2>")
            after.append(f'<ol class="gd-findings" data-table="{kind}">')
            after.extend(_item(spec, f, n, lang) for n, f in in_section)
            after.append("</ol></section>")
    title = f"{words['title']}：{report.title or report.agency or ''}".rstrip("：")
    return render_page(
        report,
        marks=marks,
        after_table=after_table,
        before="\n".join(before),
        after="\n".join(after),
        page_title=title,
        lang=lang,
    )
