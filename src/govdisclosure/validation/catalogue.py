"""The catalogue: every finding code the library can emit, each declared once.

A *rule* (``I1``) is a statement of FORMAT.md; reader codes (``read-*``) and
series codes (``series-*``) say what a reader or the series check met. Every
code has one entry here with its severity, scope and wording in Chinese and
English. An identity rule's entry also declares the cells on each side of it
and the relation between them (:class:`Identity`); ``validate``, its quick
clean-check, ``infer``, the messages and ``docs/rules.md`` all derive from that
one declaration. Codes are API: documented, never renamed.

To add a reader code, add one line to ``_READER`` (or ``_SERIES``); to add an
identity, add one :class:`Rule` with an :class:`Identity` to ``RULES``
(``docs/rules.md``, "How to add a rule").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Literal

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model.cells import CellRef
from ..model.findings import Severity
from ..model.report import EDITIONS, Edition
from ..model.schema import FormSpec

__all__ = [
    "CODES",
    "RULES",
    "Identity",
    "Rule",
    "Sides",
    "code",
    "rule",
]

Scope = Literal["report", "reader", "series", "prose", "rollup"]


@attrs.frozen(slots=True, kw_only=True)
class Sides:
    """One instance of an identity: where it sits and the cells on each side.

    ``row`` is ``None`` for an identity over a whole column, ``column`` is
    ``None`` for one over a whole row.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: str
    row: str | None
    column: str | None
    lhs: tuple[CellRef, ...]
    rhs: tuple[CellRef, ...]


@attrs.frozen(slots=True, kw_only=True)
class Identity:
    """The cells of an identity rule: ``sum(lhs) == sum(rhs)`` (or ``<=``).

    ``instances(form)`` gives every instance on one edition's form;
    ``lhs_text`` and ``rhs_text`` name the two sides in messages (zh, en).
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    relation: Literal["eq", "le"]
    instances: Callable[[FormSpec], Iterable[Sides]]
    lhs_text: tuple[str, str]
    rhs_text: tuple[str, str]


@attrs.frozen(slots=True, kw_only=True, cache_hash=True)
class Rule:
    """A code of the catalogue: id, severity, the editions it applies to, and
    what it says in Chinese and English (reader and series codes have their
    meaning in English only: ``title`` and ``statement`` are empty).

    ``identity`` is set for a rule checked as an identity on one report.
    """

    __repr__ = fields_repr

    id: str
    severity: Severity
    editions: tuple[Edition, ...]
    scope: Scope
    title: str
    title_en: str
    statement: str
    statement_en: str
    identity: Identity | None = None


_E = Severity.ERROR
_W = Severity.WARNING
_I = Severity.INFO

# --- the cells of each identity, read off the form ---------------------------------

_OUTCOME_PREFIXES = ("granted", "partially_granted", "withheld.", "unavailable.",
                     "not_processed.", "other_handling")


def _is_outcome(row_key: str) -> bool:
    return any(row_key == p or row_key.startswith(p) for p in _OUTCOME_PREFIXES)


def _columns(spec: FormSpec) -> Iterator[str]:
    return (c.key for c in spec.table("applications").rows[0].columns)


def _i1(spec: FormSpec) -> Iterator[Sides]:
    for c in _columns(spec):
        def ref(row: str, c: str = c) -> CellRef:
            return CellRef("applications", row, c)

        yield Sides(table="applications", row=None, column=c,
                    lhs=(ref("received"), ref("carried_over")),
                    rhs=(ref("total_handled"), ref("carried_forward")))


def _i2(spec: FormSpec) -> Iterator[Sides]:
    rows = spec.table("applications").rows
    for c in _columns(spec):
        yield Sides(table="applications", row="total_handled", column=c,
                    lhs=tuple(CellRef("applications", r.key, c) for r in rows
                              if _is_outcome(r.key)),
                    rhs=(CellRef("applications", "total_handled", c),))


def _row_totals(table: str) -> Callable[[FormSpec], Iterator[Sides]]:
    """Every row of ``table``: the last column is the sum of the others."""
    def instances(spec: FormSpec) -> Iterator[Sides]:
        for row in spec.table(table).rows:
            yield Sides(table=table, row=row.key, column="total",
                        lhs=tuple(CellRef(table, row.key, k.key) for k in row.columns[:-1]),
                        rhs=(CellRef(table, row.key, "total"),))

    return instances


def _t2(spec: FormSpec) -> Iterator[Sides]:
    for row in spec.table("active").rows:
        if row.group == "art20_1":
            yield Sides(table="active", row=row.key, column="published",
                        lhs=(CellRef("active", row.key, "published"),),
                        rhs=(CellRef("active", row.key, "total_published"),))


#: Every rule, in catalogue order.
RULES: tuple[Rule, ...] = (
    Rule(
        id="I1", severity=_E, editions=EDITIONS, scope="report",
        title="申请数量勾稽关系", title_en="applications balance",
        statement="表三每一列：一 + 二 = （七）总计 + 四（表中注明的勾稽关系）",
        statement_en="Table 三, every column: received + carried over = "
        "total handled + carried forward (the note printed in the form).",
        identity=Identity(relation="eq", instances=_i1,
                          lhs_text=("一 + 二", "received + carried over"),
                          rhs_text=("（七）总计 + 四", "total handled + carried forward")),
    ),
    Rule(
        id="I2", severity=_E, editions=EDITIONS, scope="report",
        title="办理结果合计", title_en="outcomes add up to the total handled",
        statement="表三每一列：（七）总计 = （一）至（六）各办理结果行之和",
        statement_en="Table 三, every column: total handled = the sum of every outcome "
        "row (一) to (六) (other handling is one row in 2019, three in 2021).",
        identity=Identity(relation="eq", instances=_i2,
                          lhs_text=("（一）至（六）之和", "sum of outcomes (一) to (六)"),
                          rhs_text=("（七）总计", "total handled")),
    ),
    Rule(
        id="I3", severity=_E, editions=EDITIONS, scope="report",
        title="申请人合计", title_en="applicant types add up to the total",
        statement="表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + "
        "法律服务机构 + 其他",
        statement_en="Table 三, every row: total = natural persons + businesses + research "
        "institutions + public-interest organisations + legal services + other.",
        identity=Identity(relation="eq", instances=_row_totals("applications"),
                          lhs_text=("自然人至其他之和", "sum of applicant types"),
                          rhs_text=("总计", "total")),
    ),
    Rule(
        id="I4", severity=_E, editions=EDITIONS, scope="report",
        title="复议诉讼合计", title_en="review and litigation totals",
        statement="表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        statement_en="Table 四, every group: total = upheld + corrected + other outcome + "
        "pending.",
        identity=Identity(relation="eq", instances=_row_totals("appeals"),
                          lhs_text=("结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                                    "upheld + corrected + other + pending"),
                          rhs_text=("总计", "total")),
    ),
    Rule(
        id="D1", severity=_E, editions=EDITIONS, scope="report",
        title="数值域", title_en="cell domain",
        statement="表三、表四每一格及表二的件数为非负整数；金额为非负小数；"
        "2019 版“本年增/减”可为负数；空白格印有数值却无法读出（1295*、1.259、四、O）"
        "即不通过",
        statement_en="Every cell of tables 三 and 四 and every count of table 二 is a "
        "non-negative integer; amounts are non-negative decimals; the 2019 'change' "
        "column may be negative. A blank cell that printed a number no cell holds as "
        "printed (1295*, 1.259, 四, O for 0) fails.",
    ),
    Rule(
        id="Y1", severity=_E, editions=EDITIONS, scope="report",
        title="报告年度在合理范围内", title_en="a plausible year",
        statement="报告所述年度在 2008 年（《政府信息公开条例》施行之年）至次年之间",
        statement_en="The year a report covers lies between 2008 (when the regulations "
        "took effect) and next year.",
    ),
    Rule(
        id="T2", severity=_W, editions=("2019",), scope="report",
        title="新公开数量不超过公开总数", title_en="published within total published",
        statement="2019 版表二第（一）项：本年新公开数量 ≤ 对外公开总数量",
        statement_en="2019 edition, table 二 block (一): published this year <= "
        "total published.",
        identity=Identity(relation="le", instances=_t2,
                          lhs_text=("本年新公开数量", "published this year"),
                          rhs_text=("对外公开总数量", "total published")),
    ),
    Rule(
        id="X1", severity=_W, editions=EDITIONS, scope="series",
        title="上年结转与上一年结转下年度一致",
        title_en="carry-over matches last year's carry-forward",
        statement="同一机关相邻两年，表三每一列：本年“二、上年结转” = "
        "上一年“四、结转下年度继续办理”（跨 2020→2021 版本交界同样适用）",
        statement_en="Same body, consecutive years, table 三, every column: carried over "
        "(year N) = carried forward (year N-1); holds across the 2020-2021 edition boundary.",
    ),
    Rule(
        id="X2", severity=_W, editions=("2021",), scope="series",
        title="现行有效件数衔接", title_en="documents in force carry on",
        statement="同一机关相邻两年均为 2021 版，表二第（一）项：现行有效件数(N) ≈ "
        "现行有效件数(N-1) + 本年制发件数(N) − 本年废止件数(N)"
        "（文件也会到期失效，故不超过且不远低于）",
        statement_en="Same body, consecutive 2021-edition years, table 二 block (一): in force "
        "(N) is at most in force (N-1) + issued (N) - repealed (N), and not far below it "
        "(documents also expire).",
    ),
    Rule(
        id="X3", severity=_W, editions=("2019",), scope="series",
        title="上一年项目数量衔接", title_en="item counts carry on",
        statement="同一机关相邻两年均为 2019 版，表二第（五）（六）（八）项：上一年项目数量(N) = "
        "上一年项目数量(N-1) + 本年增/减(N-1)",
        statement_en="Same body, consecutive 2019-edition years, table 二 blocks (五), (六), "
        "(八): items last year (N) = items last year (N-1) + change (N-1).",
    ),
    Rule(
        id="T1", severity=_W, editions=EDITIONS, scope="prose",
        title="总体情况所述数字与表格一致", title_en="counts in the overview match the tables",
        statement="“一、总体情况”中明确写出的件数（收到申请、予以公开、不予公开、行政复议、行政诉讼、"
        "制发规范性文件等）与表格一致",
        statement_en="A count the overview (一、总体情况) clearly states (applications received, "
        "granted, withheld, reviews, lawsuits, documents issued...) equals the table.",
    ),
    Rule(
        id="S1", severity=_W, editions=EDITIONS, scope="prose",
        title="内容雷同", title_en="copied from last year",
        statement="报告与同一机关上一年报告几乎相同：各部分文字相似度达到阈值，或表格数字完全相同",
        statement_en="A report nearly identical to the same body's previous report: the "
        "sections' text similarity reaches the threshold, or every number of the tables "
        "is the same.",
    ),
    Rule(
        id="R1", severity=_W, editions=EDITIONS, scope="rollup",
        title="汇总报告与各部分之和一致", title_en="summary equals the sum of its parts",
        statement="汇总发布的报告每一格 = 所汇总各报告同一格之和",
        statement_en="Every cell of a published summary report equals the sum of the same "
        "cell over the reports it sums.",
    ),
)


def _code(code_id: str, severity: Severity, scope: Scope, meaning: str) -> Rule:
    return Rule(id=code_id, severity=severity, editions=EDITIONS, scope=scope, title="",
                title_en=meaning, statement="", statement_en=meaning)


#: What readers report (``read_findings``): lost or doubtful numbers warn,
#: recoveries inform, and a table not found (or no table at all) is an error:
#: such a report is not ok. One line per code.
_READER: tuple[Rule, ...] = (
    _code("read-short-row", _W, "reader", "a row has fewer values than its columns; which "
          "one is missing cannot be known, so all its cells are left blank"),
    _code("read-long-row", _W, "reader", "a row has more values than its columns; all its "
          "cells are left blank"),
    _code("read-unknown-row", _I, "reader", "a labelled row the form does not have; kept as "
          "an extra row of its table"),
    _code("read-loose-label", _I, "reader", "a row or group label matched only loosely (a "
          "note after it, wrapped, cut, or without its numbering); the row is placed"),
    _code("read-row-by-position", _W, "reader", "values with no usable label, placed in the "
          "next row of the form by their position"),
    _code("read-duplicate-row", _W, "reader", "a row that was already read appears again; "
          "the first is kept"),
    _code("read-conflicting-row", _E, "reader", "a row that was already read appears again "
          "with other numbers (two copies of a table that differ): which is right cannot be "
          "told; the first is kept"),
    _code("read-unplaced-values", _W, "reader", "values that belong to no row and could not "
          "be placed by position; kept in the report's unplaced text"),
    _code("read-unplaced-text", _I, "reader", "text inside a table's section that is neither "
          "a cell, a label nor form text; kept in the report's unplaced text"),
    _code("read-missing-table", _E, "reader", "a table, or its section heading, was not "
          "found; its cells are blank and the report is not ok"),
    _code("read-table-unread", _E, "reader", "a table was found but fewer than half of its "
          "cells could be read; the report was not read, so it is not ok"),
    _code("read-missing-row", _W, "reader", "a row of the form was not found in its table; "
          "its cells are blank"),
    _code("read-missing-section", _I, "reader", "a narrative section (一, 五 or 六) was not "
          "found"),
    _code("read-missing-metadata", _I, "reader", "the year covered or the body's name was "
          "not found"),
    _code("read-placeholder", _W, "reader", "a line still holds a placeholder that "
          "`new` or `template` wrote (【请填写：…】): text of the report not written yet"),
    _code("read-edition-unknown", _W, "reader", "neither the tables nor the year tell the "
          "edition; 2021 is assumed"),
    _code("read-edition-mixed", _W, "reader", "the tables carry labels of both editions; the "
          "majority decides"),
    _code("read-edition-override", _I, "reader", "the edition given by the caller differs "
          "from the one the content shows"),
    _code("read-ambiguous-split", _W, "reader", "a row's numbers ran together and several "
          "splits into cells fit the totals; the cells every split agrees on are kept, the "
          "others left blank, and the splits are listed"),
    _code("read-unsplittable-row", _W, "reader", "a row's numbers ran together and no split "
          "into its cells fits the totals (or there are too many to search); the cells every "
          "split agrees on (a leading 0) are kept, the others left blank"),
    _code("read-label-by-order", _I, "reader", "a numbered row label that matches no label "
          "of the form, taken as the next row of its group by the form's fixed row order "
          "(same number, most of its characters)"),
    _code("read-subtotal-mismatch", _W, "reader", "table 三 prints an extra 法人或其他组织 "
          "小计 column; in this row it is not the sum of the five organisation columns (the "
          "小计 is read as a check, not as a cell)"),
    _code("read-combined-row", _W, "reader", "a group label followed by one row of values (a "
          "2021 table printing （六）其他处理 as one row): the sum of the group's rows, which "
          "are left blank; infer fills them when the sum is 0"),
    _code("read-column-order", _W, "reader", "row labels printed in one run and the values "
          "in another, or values with no label printed in runs as long as a column (a table "
          "extracted column by column): the values are not placed by position; the rows stay "
          "blank and the values are kept as unplaced text"),
    _code("read-position-uncertain", _W, "reader", "values with no usable label whose rows "
          "are not certain (the layout does not show them row by row, a row they would fill "
          "breaks its total I3, a label of that row follows, or a column identity I1/I2 "
          "fails): not placed by position; the rows stay blank and the values are kept as "
          "unplaced text"),
    _code("read-no-tables", _E, "reader", "(HTML) the page has no table holding the form's "
          "labels; the report's cells are blank"),
    _code("read-not-a-number", _E, "reader", "(HTML) a cell of a page written by "
          "govdisclosure was edited to something that is not a number; the cell is kept "
          "blank with what it says"),
)

#: What the series check reports about the reports it was given (no rule is
#: checked across them). One line per code.
_SERIES: tuple[Rule, ...] = (
    _code("series-gap", _W, "series", "a year is missing: the years on either side are not "
          "compared (a gap is reported, never bridged)"),
    _code("series-duplicate-year", _W, "series", "two reports cover the same year: neither "
          "is compared"),
    _code("series-no-year", _W, "series", "a report states no year"),
)

#: What ``validate`` adds to the rules' findings about one report: notes for
#: the reviewer, never failures. One line per code.
_NOTES: tuple[Rule, ...] = (
    _code("likely-cell", _I, "report", "when identities fail: the smallest set of cells "
          "whose change makes every identity I1–I4 hold, with the corrected values (ties "
          "listed; no cell named when too many tie or none is near)"),
    _code("inferred", _I, "report", "a blank cell infer filled, with the identity that "
          "forced its value"),
)

#: Every finding code the library can emit, rules first, by id.
CODES: Mapping[str, Rule] = {c.id: c for c in (*RULES, *_READER, *_SERIES, *_NOTES)}


def code(code_id: str) -> Rule:
    """The catalogue entry for any finding code (rule, reader or series code)."""
    try:
        return CODES[code_id]
    except KeyError:
        raise KeyError(
            f"unknown finding code {code_id!r}: expected one of {', '.join(CODES)}"
        ) from None


def rule(rule_id: str) -> Rule:
    """The catalogue entry for the rule ``rule_id`` (``I1`` … ``R1``)."""
    found = CODES.get(rule_id)
    if found is None or found not in RULES:
        known = ", ".join(r.id for r in RULES)
        raise KeyError(f"unknown rule {rule_id!r}: expected one of {known}")
    return found
