"""Rules across the years of one body's reports: X1, X2, X3 (and S1).

A *series* is the reports of one body over several years. :func:`group_series`
sorts a pile of reports into series by the body's normalised name;
:func:`validate_series` checks consecutive years against each other, aware of
the edition boundary: X1 holds across 2020→2021, X2 only between two
2021-edition years, X3 only between two 2019-edition years. A missing year is
reported (``series-gap``), never bridged.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..bodies import Aliases, body_key
from ..model.cells import Blank, CellRef, Value
from ..model.findings import Finding, Status
from ..model.provenance import first_line
from ..model.report import Report
from ..model.schema import form, get_cell
from ._words import blank_words, cell_place
from .catalogue import code, rule
from .engine import ValidationResult
from .similar import check_similar

__all__ = [
    "X2_EXPIRY",
    "Series",
    "body_key",
    "group_series",
    "label_reports",
    "validate_series",
]

#: X2: the share of last year's documents in force that may expire in a year
#: without a finding (normative documents often carry a validity of a few years).
X2_EXPIRY = 0.25

_APPLICANT_COLUMNS = (
    "natural_person", "commercial", "research", "public_interest", "legal_services", "other",
    "total",
)
_X3_ROWS = (
    "art20_5.licensing", "art20_5.other_services", "art20_6.penalties",
    "art20_6.coercive_measures", "art20_8.fees",
)
_X2_ROWS = ("art20_1.rules", "art20_1.normative_documents")

ReportsIn = Mapping[str, Report] | Iterable[Report]


def _default_label(report: Report, index: int) -> str:
    body = report.agency.strip() if report.agency and report.agency.strip() else None
    year = f"{report.year}年" if report.year is not None else "年份不详"
    return f"{body} {year}" if body else f"第{index + 1}份报告 {year}"


def label_reports(reports: ReportsIn) -> list[tuple[str, Report]]:
    """``(label, report)`` pairs: a mapping's keys (file names), else ``agency year``.

    Labels name reports in findings that compare several of them; duplicates
    get ``#2``, ``#3``… so that every label is distinct.
    """
    if isinstance(reports, Mapping):
        pairs = list(reports.items())
    else:
        pairs = [(_default_label(r, i), r) for i, r in enumerate(reports)]
    seen: dict[str, int] = {}
    out: list[tuple[str, Report]] = []
    for label, report in pairs:
        seen[label] = seen.get(label, 0) + 1
        out.append((label if seen[label] == 1 else f"{label} #{seen[label]}", report))
    return out


@attrs.frozen(kw_only=True, slots=True)
class Series:
    """The reports of one body, by year.

    ``body`` is the normalised name (:func:`body_key`), or ``None`` for a
    report that names no body (such a report is a series of its own: it cannot
    be matched with any other). ``reports`` maps labels to reports, oldest
    first; reports with no year come last.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    body: str | None
    reports: Mapping[str, Report]


def _year_order(item: tuple[str, Report]) -> tuple[int, int]:
    year = item[1].year
    return (0, year) if year is not None else (1, 0)


def group_series(reports: ReportsIn, *, aliases: Aliases | None = None) -> tuple[Series, ...]:
    """Sort reports into series by body, each series in year order.

    ``aliases`` (:func:`govdisclosure.bodies.read_aliases`) joins a renamed
    body's names into one series.

    Bodies are matched on :func:`body_key` (so ``乌兰察布市 政府办公室`` and
    ``乌兰察布市政府办公室`` are one body); series come out in order of that key,
    reports that name no body last, one series each.
    """
    groups: dict[str, list[tuple[str, Report]]] = {}
    alone: list[Series] = []
    for label, report in label_reports(reports):
        key = body_key(report.agency, aliases)
        if key is None:
            alone.append(Series(body=None, reports={label: report}))
        else:
            groups.setdefault(key, []).append((label, report))
    out = [
        Series(body=key, reports=dict(sorted(members, key=_year_order)))
        for key, members in sorted(groups.items())
    ]
    return (*out, *alone)


# --- findings -----------------------------------------------------------------


def _line(report: Report, refs: Sequence[CellRef]) -> int | None:
    return first_line(report.provenance, refs)


@attrs.frozen(slots=True)
class _Side:
    """The cells one report contributes to a cross-year check."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    label: str
    report: Report
    refs: tuple[CellRef, ...]


def _not_assessable(
    rule_id: str, earlier: _Side, later: _Side, at: CellRef
) -> Finding | None:
    for side in (earlier, later):
        for ref in side.refs:
            value = get_cell(side.report, ref)
            if isinstance(value, Blank):
                bz, be = blank_words(value)
                cz, ce = cell_place(side.report.edition, ref)
                return Finding(
                    rule=rule_id, severity=rule(rule_id).severity,
                    status=Status.NOT_ASSESSABLE, table=at.table, row=at.row, column=at.column,
                    line=_line(side.report, (ref,)) if side is later else None,
                    cells=earlier.refs + later.refs,
                    blanks=tuple(
                        r for s in (earlier, later) for r in s.refs
                        if isinstance(get_cell(s.report, r), Blank)
                    ),
                    reports=(earlier.label, later.label),
                    message=f"{earlier.label} → {later.label}：无法判断 {rule_id}，"
                    f"因为 {side.label} 的 {cz} {bz}",
                    message_en=f"{earlier.label} -> {later.label}: {rule_id} not assessable: "
                    f"{ce} of {side.label} {be}",
                )
    return None


def _number(report: Report, ref: CellRef) -> int:
    value: Value = get_cell(report, ref)
    assert isinstance(value, int)  # blanks were reported before any arithmetic
    return value


def _x1(earlier: tuple[str, Report], later: tuple[str, Report]) -> Iterator[Finding]:
    (el, er), (ll, lr) = earlier, later
    for c in _APPLICANT_COLUMNS:
        fwd = CellRef("applications", "carried_forward", c)
        over = CellRef("applications", "carried_over", c)
        a, b = _Side(el, er, (fwd,)), _Side(ll, lr, (over,))
        blank = _not_assessable("X1", a, b, over)
        if blank is not None:
            yield blank
            continue
        expected, actual = _number(er, fwd), _number(lr, over)
        if expected == actual:
            continue
        col = form(lr.edition).row("applications", "carried_over").column(c)
        forward = form(er.edition).row("applications", "carried_forward").label
        over_label = form(lr.edition).row("applications", "carried_over").label
        yield Finding(
            rule="X1", severity=rule("X1").severity, table="applications",
            row="carried_over", column=c, line=_line(lr, (over,)), cells=(fwd, over),
            expected=expected, actual=actual, reports=(el, ll),
            message=f"三 / {col.label}：{ll} 的“{over_label}” = {actual}，"
            f"但 {el} 的“{forward}” = {expected}",
            message_en=f"applications / {col.en}: carried over in {ll} = {actual}, "
            f"but carried forward in {el} = {expected}",
        )


def _x2(earlier: tuple[str, Report], later: tuple[str, Report]) -> Iterator[Finding]:
    (el, er), (ll, lr) = earlier, later
    for row in _X2_ROWS:
        prev = CellRef("active", row, "in_force")
        now = CellRef("active", row, "in_force")
        issued = CellRef("active", row, "issued")
        repealed = CellRef("active", row, "repealed")
        a, b = _Side(el, er, (prev,)), _Side(ll, lr, (issued, repealed, now))
        blank = _not_assessable("X2", a, b, now)
        if blank is not None:
            yield blank
            continue
        before = _number(er, prev)
        predicted = before + _number(lr, issued) - _number(lr, repealed)
        actual = _number(lr, now)
        floor = predicted - math.ceil(before * X2_EXPIRY)
        if floor <= actual <= predicted:
            continue
        spec_row = form("2021").row("active", row)
        steps_zh = (f"{el} 的 {before} + 本年制发 {_number(lr, issued)} − "
                    f"本年废止 {_number(lr, repealed)} = {predicted}")
        steps_en = (f"{before} in {el} + issued {_number(lr, issued)} - repealed "
                    f"{_number(lr, repealed)} = {predicted}")
        if actual > predicted:
            zh, en = f"多于 {steps_zh}", f"more than {steps_en}"
        else:
            allowance = predicted - floor
            zh = f"比 {steps_zh} 少 {predicted - actual} 件，超过可到期失效的 {allowance} 件"
            en = (f"{predicted - actual} fewer than {steps_en}, beyond the "
                  f"{allowance} that may have expired")
        yield Finding(
            rule="X2", severity=rule("X2").severity, table="active", row=row,
            column="in_force", line=_line(lr, (now, issued, repealed)),
            cells=(prev, issued, repealed, now), expected=predicted, actual=actual,
            reports=(el, ll),
            message=f"二 / （一）{spec_row.label} / {spec_row.column('in_force').label}："
            f"{ll} = {actual}，{zh}",
            message_en=f"active / {spec_row.en} / in force: {ll} = {actual}, {en}",
        )


def _x3(earlier: tuple[str, Report], later: tuple[str, Report]) -> Iterator[Finding]:
    (el, er), (ll, lr) = earlier, later
    for row in _X3_ROWS:
        prev = CellRef("active", row, "previous_items")
        change = CellRef("active", row, "change")
        now = CellRef("active", row, "previous_items")
        a, b = _Side(el, er, (prev, change)), _Side(ll, lr, (now,))
        blank = _not_assessable("X3", a, b, now)
        if blank is not None:
            yield blank
            continue
        expected = _number(er, prev) + _number(er, change)
        actual = _number(lr, now)
        if expected == actual:
            continue
        spec_row = form("2019").row("active", row)
        items = spec_row.column("previous_items").label
        yield Finding(
            rule="X3", severity=rule("X3").severity, table="active", row=row,
            column="previous_items", line=_line(lr, (now,)), cells=(prev, change, now),
            expected=expected, actual=actual, reports=(el, ll),
            message=f"二 / {spec_row.group_label}{spec_row.label} / {items}："
            f"{ll} = {actual}，但 {el} 的{items} {_number(er, prev)} + "
            f"{spec_row.column('change').label} {_number(er, change)} = {expected}",
            message_en=f"active / {spec_row.en} / items last year: {ll} = {actual}, but "
            f"{el} had {_number(er, prev)} items last year and a change of "
            f"{_number(er, change)}, so {expected}",
        )


def _diagnostic(
    code_id: str, message: str, message_en: str, reports: tuple[str, ...],
) -> Finding:
    return Finding(
        rule=code_id, severity=code(code_id).severity, status=Status.NOT_ASSESSABLE,
        reports=reports, message=message, message_en=message_en,
    )


Pair = tuple[tuple[str, Report], tuple[str, Report]]


def _pairs(
    labelled: list[tuple[str, Report]], findings: list[Finding]
) -> Iterator[Pair]:
    """Consecutive years, reporting reports with no year, duplicates and gaps."""
    by_year: dict[int, list[tuple[str, Report]]] = {}
    for label, report in labelled:
        if report.year is None:
            findings.append(_diagnostic(
                "series-no-year",
                f"{label}：报告未写明所属年度，无法与其他年度比对",
                f"{label}: the report states no year, so it cannot be compared across years",
                (label,),
            ))
            continue
        by_year.setdefault(report.year, []).append((label, report))
    for year, members in sorted(by_year.items()):
        if len(members) > 1:
            names = tuple(label for label, _ in members)
            findings.append(_diagnostic(
                "series-duplicate-year",
                f"{year}年有 {len(members)} 份报告（{'、'.join(names)}），无法确定用哪一份比对",
                f"{len(members)} reports cover {year} ({', '.join(names)}); "
                f"none is compared across years",
                names,
            ))
    years = sorted(y for y, members in by_year.items() if len(members) == 1)
    for before, after in itertools.pairwise(years):
        earlier, later = by_year[before][0], by_year[after][0]
        if after - before > 1:
            missing = "、".join(str(y) for y in range(before + 1, after))
            missing_en = ", ".join(str(y) for y in range(before + 1, after))
            findings.append(_diagnostic(
                "series-gap",
                f"缺少 {missing} 年的报告：{earlier[0]} 与 {later[0]} 之间不作跨年比对",
                f"no report for {missing_en}: {earlier[0]} and {later[0]} are not "
                f"compared across the gap",
                (earlier[0], later[0]),
            ))
            continue
        yield earlier, later


def _check_one_body(labelled: list[tuple[str, Report]], aliases: Aliases | None) -> None:
    bodies = {body_key(r.agency, aliases) for _, r in labelled} - {None}
    if len(bodies) > 1:
        names = sorted({r.agency or "" for _, r in labelled if r.agency})
        raise ValueError(
            f"validate_series expects the reports of one body, got {len(bodies)} bodies: "
            f"{', '.join(names)}; sort them with group_series() first"
        )


SeriesRule = Literal["X1", "X2", "X3", "S1"]
_ALL_RULES: tuple[SeriesRule, ...] = ("X1", "X2", "X3", "S1")


def validate_series(
    reports: ReportsIn, *, rules: Iterable[SeriesRule] = _ALL_RULES,
    aliases: Aliases | None = None,
) -> ValidationResult:
    """Check one body's reports across consecutive years (X1, X2, X3, S1).

    ``reports`` is a mapping from labels (file names) to reports, or the
    reports alone (labelled ``agency year``). Findings name both reports in
    ``reports`` (earlier first) and list the earlier report's cells in
    ``cells`` before the later one's. A report with no year, two reports of one
    year and a missing year are reported (``series-no-year``,
    ``series-duplicate-year``, ``series-gap``), and no rule is checked across
    them. Raises :class:`ValueError` when the reports name different bodies.
    Never raises for bad data.
    """
    wanted = set(rules)
    unknown = wanted - set(_ALL_RULES)
    if unknown:
        raise ValueError(
            f"unknown series rules {', '.join(sorted(unknown))}: expected some of "
            f"{', '.join(_ALL_RULES)}"
        )
    labelled = label_reports(reports)
    _check_one_body(labelled, aliases)
    findings: list[Finding] = []
    for earlier, later in list(_pairs(labelled, findings)):
        er, lr = earlier[1], later[1]
        if "X1" in wanted:
            findings.extend(_x1(earlier, later))
        if "X2" in wanted and er.edition == lr.edition == "2021":
            findings.extend(_x2(earlier, later))
        if "X3" in wanted and er.edition == lr.edition == "2019":
            findings.extend(_x3(earlier, later))
        if "S1" in wanted:
            findings.extend(check_similar(lr, er, labels=(earlier[0], later[0])))
    return ValidationResult(findings=tuple(findings))
