"""The three report tables, per edition, as frozen attrs classes.

Field names are the data-dictionary keys of FORMAT.md; each field carries its
official Chinese label (and an English one) in its metadata, which
:mod:`govdisclosure.model.schema` reads to describe the form. Editions are
distinct types: nothing here maps one edition's cells onto the other's.
"""

# No ``from __future__ import annotations``: schema introspection reads the
# real field types.

from decimal import Decimal
from typing import Any

import attrs

from .cells import (
    COUNT_LIMIT,
    Amount,
    Blank,
    Count,
    SignedCount,
    amount_problem,
    count_problem,
)

__all__ = [
    "Active2019",
    "Active2021",
    "AppealRow",
    "Appeals",
    "ApplicantRow",
    "Applications2019",
    "Applications2021",
    "Art20_1_2019",
    "Art20_1_2021",
    "Art20_5_2019",
    "Art20_5_2021",
    "Art20_6_2019",
    "Art20_6_2021",
    "Art20_8_2019",
    "Art20_8_2021",
    "Art20_9_2019",
    "DecisionsRow2021",
    "DocumentsRow2021",
    "ExtraRow",
    "FeeAmountRow2021",
    "FeeItemsRow2019",
    "ItemsRow2019",
    "NotProcessed",
    "OtherHandling2021",
    "ProcurementRow2019",
    "PublishingRow2019",
    "Unavailable",
    "Withheld",
]


def _check_count(_obj: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    # Only the type is checked here; whether a count is negative is rule D1's
    # business, so that a report that prints -3 can still be read and reported.
    # Exactly int or Blank (no bool, no subclass): the validation engine's fast
    # path relies on a count never comparing with an int unless it is one.
    # Called for every cell a report is built with: the usual case, a count
    # within its bound, is decided first and with no further call. The first
    # bounds are one-digit ints (below 2**30), which CPython compares without
    # a call; a larger count is then held to the bound itself.
    if type(value) is int:
        if -1073741823 <= value <= 1073741823 or abs(value) < COUNT_LIMIT:
            return
        raise ValueError(f"{attribute.name}: {count_problem(value)}")
    if type(value) is not Blank:
        raise TypeError(
            f"{attribute.name}: expected an int or a Blank, got {type(value).__name__} {value!r}"
        )


def _to_amount(value: object) -> object:
    if type(value) is int:
        return Decimal(value)
    return value


def _check_amount(_obj: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if not isinstance(value, (Decimal, Blank)):
        raise TypeError(
            f"{attribute.name}: expected a Decimal or a Blank (never a float), "
            f"got {type(value).__name__} {value!r}"
        )
    if isinstance(value, Decimal) and (problem := amount_problem(value)) is not None:
        raise ValueError(f"{attribute.name}: {problem}")


def _cell(label: str, en: str, kind: str = "count") -> Any:
    # ``kind`` is one of "count" (non-negative integer), "signed" (integer that
    # may be negative) and "amount" (decimal; an int is taken as a Decimal).
    metadata = {"label": label, "en": en, "kind": kind}
    if kind == "amount":
        return attrs.field(metadata=metadata, converter=_to_amount, validator=_check_amount)
    return attrs.field(metadata=metadata, validator=_check_count)


def _part(label: str, en: str, short: str | None = None) -> Any:
    return attrs.field(metadata={"label": label, "en": en, "short": short or label})




@attrs.frozen(kw_only=True, slots=True)
class ExtraRow:
    """A row a report printed that the national form does not have.

    Provincial customisations add rows (``其他主动公开文件``); a reader keeps
    them with their cells exactly as printed. ``after`` is the key of the
    standard row it followed, when known; ``line``, where a reader found it,
    takes no part in equality (like ``Report.provenance``).
    """

    label: str
    cells: tuple[str, ...] = ()
    after: str | None = None
    line: int | None = attrs.field(default=None, eq=False)


# --- Table active (二、主动公开政府信息情况), edition 2019 --------------------


@attrs.frozen(kw_only=True, slots=True)
class PublishingRow2019:
    made: Count = _cell("本年新制作数量", "made this year")
    published: Count = _cell("本年新公开数量", "published this year")
    total_published: Count = _cell("对外公开总数量", "total published")


@attrs.frozen(kw_only=True, slots=True)
class ItemsRow2019:
    previous_items: Count = _cell("上一年项目数量", "items last year")
    change: SignedCount = _cell("本年增/减", "change this year", "signed")
    decisions: Count = _cell("处理决定数量", "decisions")


@attrs.frozen(kw_only=True, slots=True)
class FeeItemsRow2019:
    previous_items: Count = _cell("上一年项目数量", "items last year")
    change: SignedCount = _cell("本年增/减", "change this year", "signed")


@attrs.frozen(kw_only=True, slots=True)
class ProcurementRow2019:
    projects: Count = _cell("采购项目数量", "procurement projects")
    amount: Amount = _cell("采购总金额", "total procurement amount", "amount")


@attrs.frozen(kw_only=True, slots=True)
class Art20_1_2019:
    rules: PublishingRow2019 = _part("规章", "rules")
    normative_documents: PublishingRow2019 = _part("规范性文件", "normative documents")


@attrs.frozen(kw_only=True, slots=True)
class Art20_5_2019:
    licensing: ItemsRow2019 = _part("行政许可", "administrative licensing")
    other_services: ItemsRow2019 = _part("其他对外管理服务事项", "other public services")


@attrs.frozen(kw_only=True, slots=True)
class Art20_6_2019:
    penalties: ItemsRow2019 = _part("行政处罚", "administrative penalties")
    coercive_measures: ItemsRow2019 = _part("行政强制", "administrative coercion")


@attrs.frozen(kw_only=True, slots=True)
class Art20_8_2019:
    fees: FeeItemsRow2019 = _part("行政事业性收费", "administrative fees")


@attrs.frozen(kw_only=True, slots=True)
class Art20_9_2019:
    procurement: ProcurementRow2019 = _part("政府集中采购", "centralised government procurement")


@attrs.frozen(kw_only=True, slots=True)
class Active2019:
    """Table 二 (主动公开政府信息情况), edition 2019."""

    art20_1: Art20_1_2019 = _part("第二十条第（一）项", "article 20 (1)", "（一）")
    art20_5: Art20_5_2019 = _part("第二十条第（五）项", "article 20 (5)", "（五）")
    art20_6: Art20_6_2019 = _part("第二十条第（六）项", "article 20 (6)", "（六）")
    art20_8: Art20_8_2019 = _part("第二十条第（八）项", "article 20 (8)", "（八）")
    art20_9: Art20_9_2019 = _part("第二十条第（九）项", "article 20 (9)", "（九）")
    extra_rows: tuple[ExtraRow, ...] = attrs.field(default=())


# --- Table active, edition 2021 ----------------------------------------------


@attrs.frozen(kw_only=True, slots=True)
class DocumentsRow2021:
    issued: Count = _cell("本年制发件数", "issued this year")
    repealed: Count = _cell("本年废止件数", "repealed this year")
    in_force: Count = _cell("现行有效件数", "in force")


@attrs.frozen(kw_only=True, slots=True)
class DecisionsRow2021:
    decisions: Count = _cell("本年处理决定数量", "decisions this year")


@attrs.frozen(kw_only=True, slots=True)
class FeeAmountRow2021:
    amount: Amount = _cell("本年收费金额（单位：万元）", "fees this year (10,000 yuan)", "amount")


@attrs.frozen(kw_only=True, slots=True)
class Art20_1_2021:
    rules: DocumentsRow2021 = _part("规章", "rules")
    normative_documents: DocumentsRow2021 = _part("行政规范性文件", "normative documents")


@attrs.frozen(kw_only=True, slots=True)
class Art20_5_2021:
    licensing: DecisionsRow2021 = _part("行政许可", "administrative licensing")


@attrs.frozen(kw_only=True, slots=True)
class Art20_6_2021:
    penalties: DecisionsRow2021 = _part("行政处罚", "administrative penalties")
    coercive_measures: DecisionsRow2021 = _part("行政强制", "administrative coercion")


@attrs.frozen(kw_only=True, slots=True)
class Art20_8_2021:
    fees: FeeAmountRow2021 = _part("行政事业性收费", "administrative fees")


@attrs.frozen(kw_only=True, slots=True)
class Active2021:
    """Table 二 (主动公开政府信息情况), edition 2021."""

    art20_1: Art20_1_2021 = _part("第二十条第（一）项", "article 20 (1)", "（一）")
    art20_5: Art20_5_2021 = _part("第二十条第（五）项", "article 20 (5)", "（五）")
    art20_6: Art20_6_2021 = _part("第二十条第（六）项", "article 20 (6)", "（六）")
    art20_8: Art20_8_2021 = _part("第二十条第（八）项", "article 20 (8)", "（八）")
    extra_rows: tuple[ExtraRow, ...] = attrs.field(default=())


# --- Table applications (三、收到和处理政府信息公开申请情况) -----------------


@attrs.frozen(kw_only=True, slots=True)
class ApplicantRow:
    """One row of table 三: a count per applicant type and the 总计."""

    natural_person: Count = _cell("自然人", "natural persons")
    commercial: Count = _cell("商业企业", "businesses")
    research: Count = _cell("科研机构", "research institutions")
    public_interest: Count = _cell("社会公益组织", "public-interest organisations")
    legal_services: Count = _cell("法律服务机构", "legal services")
    other: Count = _cell("其他", "other organisations")
    total: Count = _cell("总计", "total")


@attrs.frozen(kw_only=True, slots=True)
class Withheld:
    state_secret: ApplicantRow = _part("1.属于国家秘密", "state secret", "（三）1")
    prohibited_by_law: ApplicantRow = _part(
        "2.其他法律行政法规禁止公开", "prohibited by other laws", "（三）2"
    )
    security_stability: ApplicantRow = _part(
        "3.危及“三安全一稳定”", "endangers security or stability", "（三）3"
    )
    third_party_rights: ApplicantRow = _part(
        "4.保护第三方合法权益", "third-party rights", "（三）4"
    )
    internal_affairs: ApplicantRow = _part(
        "5.属于三类内部事务信息", "internal affairs", "（三）5"
    )
    process_information: ApplicantRow = _part(
        "6.属于四类过程性信息", "process information", "（三）6"
    )
    enforcement_files: ApplicantRow = _part(
        "7.属于行政执法案卷", "law-enforcement files", "（三）7"
    )
    query_matters: ApplicantRow = _part("8.属于行政查询事项", "administrative queries", "（三）8")


@attrs.frozen(kw_only=True, slots=True)
class Unavailable:
    not_held: ApplicantRow = _part("1.本机关不掌握相关政府信息", "not held", "（四）1")
    needs_creation: ApplicantRow = _part(
        "2.没有现成信息需要另行制作", "would need to be created", "（四）2"
    )
    still_unclear: ApplicantRow = _part(
        "3.补正后申请内容仍不明确", "still unclear after correction", "（四）3"
    )


@attrs.frozen(kw_only=True, slots=True)
class NotProcessed:
    petition: ApplicantRow = _part("1.信访举报投诉类申请", "petitions and complaints", "（五）1")
    duplicate: ApplicantRow = _part("2.重复申请", "duplicate applications", "（五）2")
    publication: ApplicantRow = _part("3.要求提供公开出版物", "published material", "（五）3")
    excessive: ApplicantRow = _part(
        "4.无正当理由大量反复申请", "excessive repeated applications", "（五）4"
    )
    confirmation: ApplicantRow = _part(
        "5.要求行政机关确认或重新出具已获取信息",
        "confirmation of information already obtained",
        "（五）5",
    )


@attrs.frozen(kw_only=True, slots=True)
class OtherHandling2021:
    no_correction: ApplicantRow = _part(
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "no correction in time",
        "（六）1",
    )
    fee_unpaid: ApplicantRow = _part(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "fee not paid in time",
        "（六）2",
    )
    other: ApplicantRow = _part("3.其他", "other", "（六）3")


_RECEIVED = ("一、本年新收政府信息公开申请数量", "received this year", "一")
_CARRIED_OVER = ("二、上年结转政府信息公开申请数量", "carried over from last year", "二")
_GRANTED = ("（一）予以公开", "granted", "（一）")
_PARTIALLY = (
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "partially granted",
    "（二）",
)
_WITHHELD = ("（三）不予公开", "withheld", "（三）")
_UNAVAILABLE = ("（四）无法提供", "cannot be provided", "（四）")
_NOT_PROCESSED = ("（五）不予处理", "not processed", "（五）")
_OTHER_HANDLING = ("（六）其他处理", "other handling", "（六）")
_TOTAL_HANDLED = ("（七）总计", "total handled", "（七）总计")
_CARRIED_FORWARD = ("四、结转下年度继续办理", "carried forward to next year", "四")


@attrs.frozen(kw_only=True, slots=True)
class Applications2019:
    """Table 三 (收到和处理政府信息公开申请情况), edition 2019: 23 data rows."""

    received: ApplicantRow = _part(*_RECEIVED)
    carried_over: ApplicantRow = _part(*_CARRIED_OVER)
    granted: ApplicantRow = _part(*_GRANTED)
    partially_granted: ApplicantRow = _part(*_PARTIALLY)
    withheld: Withheld = _part(*_WITHHELD)
    unavailable: Unavailable = _part(*_UNAVAILABLE)
    not_processed: NotProcessed = _part(*_NOT_PROCESSED)
    other_handling: ApplicantRow = _part(*_OTHER_HANDLING)
    total_handled: ApplicantRow = _part(*_TOTAL_HANDLED)
    carried_forward: ApplicantRow = _part(*_CARRIED_FORWARD)
    extra_rows: tuple[ExtraRow, ...] = attrs.field(default=())


@attrs.frozen(kw_only=True, slots=True)
class Applications2021:
    """Table 三 (收到和处理政府信息公开申请情况), edition 2021: 25 data rows."""

    received: ApplicantRow = _part(*_RECEIVED)
    carried_over: ApplicantRow = _part(*_CARRIED_OVER)
    granted: ApplicantRow = _part(*_GRANTED)
    partially_granted: ApplicantRow = _part(*_PARTIALLY)
    withheld: Withheld = _part(*_WITHHELD)
    unavailable: Unavailable = _part(*_UNAVAILABLE)
    not_processed: NotProcessed = _part(*_NOT_PROCESSED)
    other_handling: OtherHandling2021 = _part(*_OTHER_HANDLING)
    total_handled: ApplicantRow = _part(*_TOTAL_HANDLED)
    carried_forward: ApplicantRow = _part(*_CARRIED_FORWARD)
    extra_rows: tuple[ExtraRow, ...] = attrs.field(default=())


# --- Table appeals (四、政府信息公开行政复议、行政诉讼情况) ---------------


@attrs.frozen(kw_only=True, slots=True)
class AppealRow:
    """One group of table 四: outcomes and their 总计."""

    upheld: Count = _cell("结果维持", "upheld")
    corrected: Count = _cell("结果纠正", "corrected")
    other: Count = _cell("其他结果", "other outcome")
    pending: Count = _cell("尚未审结", "pending")
    total: Count = _cell("总计", "total")


@attrs.frozen(kw_only=True, slots=True)
class Appeals:
    """Table 四 (行政复议、行政诉讼情况): the same in both editions."""

    review: AppealRow = _part("行政复议", "administrative review", "行政复议")
    litigation_direct: AppealRow = _part(
        "行政诉讼/未经复议直接起诉", "litigation without review", "直接起诉"
    )
    litigation_after_review: AppealRow = _part(
        "行政诉讼/复议后起诉", "litigation after review", "复议后起诉"
    )
    extra_rows: tuple[ExtraRow, ...] = attrs.field(default=())
