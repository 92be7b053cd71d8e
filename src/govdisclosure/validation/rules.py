"""The rule catalogue: every rule with its stable id, and its instances per edition.

A *rule* (``I1``) is a statement of FORMAT.md; a *check* is one instance of it
on one edition's form (``I1`` for the 自然人 column). Rule ids are API: they are
documented in ``docs/rules.md`` and never renamed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Literal

import attrs

from ..model.cells import CellRef
from ..model.findings import Severity
from ..model.report import EDITIONS, Edition
from ..model.schema import form

__all__ = ["RULES", "Check", "Rule", "checks", "checks_involving", "rule"]


@attrs.frozen(slots=True, kw_only=True)
class Rule:
    """A rule of the catalogue: id, severity, the editions it applies to, and
    what it says in Chinese and English."""

    id: str
    severity: Severity
    editions: tuple[Edition, ...]
    scope: Literal["report", "reader", "series", "prose", "rollup"]
    title: str
    title_en: str
    statement: str
    statement_en: str


_E = Severity.ERROR
_W = Severity.WARNING

#: Every single-report rule, in catalogue order.
RULES: tuple[Rule, ...] = (
    Rule(
        id="I1", severity=_E, editions=EDITIONS, scope="report",
        title="申请数量勾稽关系", title_en="applications balance",
        statement="表三每一列：一 + 二 = （七）总计 + 四（表中注明的勾稽关系）",
        statement_en="Table 三, every column: received + carried over = "
        "total handled + carried forward (the note printed in the form).",
    ),
    Rule(
        id="I2", severity=_E, editions=EDITIONS, scope="report",
        title="办理结果合计", title_en="outcomes add up to the total handled",
        statement="表三每一列：（七）总计 = （一）至（六）各办理结果行之和",
        statement_en="Table 三, every column: total handled = the sum of every outcome "
        "row (一) to (六) (other handling is one row in 2019, three in 2021).",
    ),
    Rule(
        id="I3", severity=_E, editions=EDITIONS, scope="report",
        title="申请人合计", title_en="applicant types add up to the total",
        statement="表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + "
        "法律服务机构 + 其他",
        statement_en="Table 三, every row: total = natural persons + businesses + research "
        "institutions + public-interest organisations + legal services + other.",
    ),
    Rule(
        id="I4", severity=_E, editions=EDITIONS, scope="report",
        title="复议诉讼合计", title_en="review and litigation totals",
        statement="表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        statement_en="Table 四, every group: total = upheld + corrected + other outcome + "
        "pending.",
    ),
    Rule(
        id="D1", severity=_E, editions=EDITIONS, scope="report",
        title="数值域", title_en="cell domain",
        statement="表三、表四每一格及表二的件数为非负整数；金额为非负小数；"
        "2019 版“本年增/减”可为负数",
        statement_en="Every cell of tables 三 and 四 and every count of table 二 is a "
        "non-negative integer; amounts are non-negative decimals; the 2019 'change' "
        "column may be negative.",
    ),
    Rule(
        id="T2", severity=_W, editions=("2019",), scope="report",
        title="新公开数量不超过公开总数", title_en="published within total published",
        statement="2019 版表二第（一）项：本年新公开数量 ≤ 对外公开总数量",
        statement_en="2019 edition, table 二 block (一): published this year <= "
        "total published.",
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

_BY_ID: Mapping[str, Rule] = {r.id: r for r in RULES}


def rule(rule_id: str) -> Rule:
    """The catalogue entry for ``rule_id``."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(
            f"unknown rule {rule_id!r}: expected one of {', '.join(_BY_ID)}"
        ) from None


@attrs.frozen(slots=True, kw_only=True)
class Check:
    """One instance of a rule: ``sum(lhs) == sum(rhs)`` (or ``<=``).

    ``table``, ``row`` and ``column`` locate it (``row`` is ``None`` for a rule
    over a whole column, ``column`` is ``None`` for one over a whole row).
    ``lhs_text`` and ``rhs_text`` name the two sides in messages.
    """

    rule: str
    relation: Literal["eq", "le"]
    table: str
    row: str | None
    column: str | None
    lhs: tuple[CellRef, ...]
    rhs: tuple[CellRef, ...]
    lhs_text: tuple[str, str]  # (zh, en)
    rhs_text: tuple[str, str]

    @property
    def key(self) -> tuple[str, str, str | None, str | None]:
        """Identifies the instance: rule id and location."""
        return (self.rule, self.table, self.row, self.column)

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.lhs + self.rhs


_OUTCOME_PREFIXES = ("granted", "partially_granted", "withheld.", "unavailable.",
                     "not_processed.", "other_handling")


def _is_outcome(row_key: str) -> bool:
    return any(row_key == p or row_key.startswith(p) for p in _OUTCOME_PREFIXES)


@cache
def checks(edition: Edition) -> tuple[Check, ...]:
    """Every identity check (I1–I4, T2) of ``edition``'s form, in a stable order.

    D1 applies to single cells and is evaluated cell by cell, not listed here.
    """
    spec = form(edition)
    apps = spec.table("applications")
    columns = apps.rows[0].columns
    out: list[Check] = []
    for col in columns:
        c = col.key

        def ref(row: str, c: str = c) -> CellRef:
            return CellRef("applications", row, c)

        out.append(Check(
            rule="I1", relation="eq", table="applications", row=None, column=c,
            lhs=(ref("received"), ref("carried_over")),
            rhs=(ref("total_handled"), ref("carried_forward")),
            lhs_text=("一 + 二", "received + carried over"),
            rhs_text=("（七）总计 + 四", "total handled + carried forward"),
        ))
    for col in columns:
        c = col.key
        outcomes = tuple(
            CellRef("applications", r.key, c) for r in apps.rows if _is_outcome(r.key)
        )
        out.append(Check(
            rule="I2", relation="eq", table="applications", row="total_handled", column=c,
            lhs=outcomes, rhs=(CellRef("applications", "total_handled", c),),
            lhs_text=("（一）至（六）之和", "sum of outcomes (一) to (六)"),
            rhs_text=("（七）总计", "total handled"),
        ))
    for row in apps.rows:
        parts = tuple(CellRef("applications", row.key, k.key) for k in row.columns[:-1])
        out.append(Check(
            rule="I3", relation="eq", table="applications", row=row.key, column="total",
            lhs=parts, rhs=(CellRef("applications", row.key, "total"),),
            lhs_text=("自然人至其他之和", "sum of applicant types"),
            rhs_text=("总计", "total"),
        ))
    for row in spec.table("appeals").rows:
        parts = tuple(CellRef("appeals", row.key, k.key) for k in row.columns[:-1])
        out.append(Check(
            rule="I4", relation="eq", table="appeals", row=row.key, column="total",
            lhs=parts, rhs=(CellRef("appeals", row.key, "total"),),
            lhs_text=("结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                      "upheld + corrected + other + pending"),
            rhs_text=("总计", "total"),
        ))
    if edition == "2019":
        for row in spec.table("active").rows:
            if row.group != "art20_1":
                continue
            out.append(Check(
                rule="T2", relation="le", table="active", row=row.key, column="published",
                lhs=(CellRef("active", row.key, "published"),),
                rhs=(CellRef("active", row.key, "total_published"),),
                lhs_text=("本年新公开数量", "published this year"),
                rhs_text=("对外公开总数量", "total published"),
            ))
    return tuple(out)


@cache
def _involving(edition: Edition) -> Mapping[CellRef, tuple[Check, ...]]:
    index: dict[CellRef, list[Check]] = {}
    for check in checks(edition):
        for ref in check.cells:
            index.setdefault(ref, []).append(check)
    return {ref: tuple(found) for ref, found in index.items()}


def checks_involving(edition: Edition, ref: CellRef) -> tuple[Check, ...]:
    """The checks of ``edition`` whose inputs include the cell ``ref``."""
    return _involving(edition).get(ref, ())
