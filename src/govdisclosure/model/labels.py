"""The form lexicon: every word the form prints, and its labels as lookups.

This module is the one home of the form's printed text outside the model's
row and column labels (``model/tables.py``): section headings and their
variants, header cells, the words that tell an edition or a table, the labels
the writers print, and the names case registers use. Readers, writers, the
run splitter and the registers import them from here; matching is always on
:func:`key` (one normaliser: full-width to ASCII, quotes, ``、``, traditional
characters to simplified ones, whitespace deleted).

Per table and edition, :func:`lexicon` indexes every label of the form (rows,
group labels, block captions, header cells) by its key, and also without its
enumerator (``予以公开`` for ``（一）予以公开``). :meth:`Lexicon.lookup` tries,
in order: an exact key; a key that starts with a label (a provincial note
after it, ``规章(设区的市…)``); a piece of a label (a label wrapped or cut by
PDF extraction, ``行政机关不再处理其政府信息公``); and finally any fragment of
the form's text (``予公开``, ``企业``), which is form text carrying no data.
The form's fixed row order (a row between ``1.`` and ``3.`` of a group is
``2.``) is applied by the decoder (``_tables.py``) on top of these lookups.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Literal

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ._normalise import key, strip_enumerator
from .report import TABLE_HEADINGS, Edition
from .schema import Kind as ColumnKind
from .schema import RowSpec, form

__all__ = [
    "APPLICANTS",
    "APPLICANT_HEADERS",
    "BLANK_MARKS",
    "EDITION_2019_WORDS",
    "EDITION_2021_WORDS",
    "INFORMATION",
    "INLINE_HEADINGS",
    "LEGAL_PERSONS",
    "LITIGATION",
    "NOTE",
    "NOTE_MARKS",
    "NUMBER_MARKS",
    "OVERVIEW_NAMES",
    "OVERVIEW_WORDS",
    "REGISTER_APPEAL_KINDS",
    "REGISTER_APPEAL_OUTCOMES",
    "REGISTER_APPLICANTS",
    "REGISTER_INTAKES",
    "REGISTER_OPEN",
    "REGISTER_OUTCOMES",
    "REPORT_NAME",
    "RESULTS",
    "ROW_VARIANTS",
    "SUBTOTAL",
    "TABLE_MARKERS",
    "TABLE_OPENERS",
    "TABLE_STARTS",
    "TABLE_TITLES",
    "TITLE_WORDS",
    "Entry",
    "Lexicon",
    "Match",
    "appeal_group",
    "key",
    "lexicon",
    "prints_a_number",
    "section_of",
]

Kind = Literal["row", "group", "header"]

# --- Header cells and labels the writers print -------------------------------------

#: How every fill-in placeholder begins (``【请填写：机关名称】``): what ``new`` and
#: ``template`` write where the office's own words go.
PLACEHOLDER = "【请填写"

#: The top-left note cell of table 三.
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
#: The label of rows （一）…（七） of table 三 as a whole.
RESULTS = "三、本年度办理结果"
#: Table 二's header cell over the row labels of each block.
INFORMATION = "信息内容"
#: Table 三's header cell over the seven applicant columns.
APPLICANTS = "申请人情况"
#: Table 三's header cell over the five organisation columns.
LEGAL_PERSONS = "法人或其他组织"
#: Table 四's header cell over its two litigation groups.
LITIGATION = "行政诉讼"
#: 小计: the 法人或其他组织 subtotal some tables print as an eighth column.
SUBTOTAL = "小计"
_APPLICATION_HEADERS = (NOTE, APPLICANTS, LEGAL_PERSONS, SUBTOTAL)
_ACTIVE_HEADERS = (INFORMATION,)
_APPEAL_HEADERS = (LITIGATION,)
#: Table 三's column headers as printed (keys), the 小计 column included.
APPLICANT_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
                     SUBTOTAL, "总计")
#: What real reports print in a cell that holds no number (keys).
BLANK_MARKS = frozenset(
    {"-", "--", "---", "----", "/", "//", "\\", "无", "&nbsp;", "&nbsp", "空", "N/A", "n/a",
     "-/-", "×", "x", "X", "—", "——", "/-"}
)

#: What real reports print in a cell for a number that no cell can hold as
#: printed (keys): digits with a mark, a note or a word of one or two
#: characters after them that is no unit a cell keeps (``1295*``,
#: ``1295（注1）``, ``64%``, ``64人次``; ``1.`` of a label ``1.属于…`` is
#: none), digits grouped other than by thousands (``12,34``) or with
#: a point (``1.259``, ``1295.0`` where a count stands), a dash around a zero
#: (``-0-``), the letter O or ``〇``/``零`` for zero, and Chinese numerals
#: (``四``, ``十二``; ``一`` alone is a dash typed, a blank mark).
NUMBER_MARKS = re.compile(
    r"[+-]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:[*#※%]+|\([^()]{0,12}\)|[^\d\s.,:()|*#%-]{1,2})?"
    r"|-+0-+|o|[〇零一二三四五六七八九十百千两]*[〇零二三四五六七八九十][〇零一二三四五六七八九十百千两]*"
)


#: A cell that refers to a note instead of printing a value (keys): ``(注)``,
#: ``注1``, ``*``. Short: a label's own note in brackets is longer
#: (``(区分处理的,只计这一情形,不计其他情形)``).
NOTE_MARKS = re.compile(r"\(?注\d{0,2}\)?|\(\d{1,2}\)|[*※]+")


_NUMERALS = "〇零一二三四五六七八九十百千两"
# The characters such a key starts and ends with: most labels fail these two
# set lookups, before the pattern is tried.
_NUMBER_FIRST = frozenset("+-0123456789o" + _NUMERALS)
_NUMBER_LAST = frozenset("0123456789*#※)-o" + _NUMERALS)
# (or it is short: a number with a word after it, ``64人次``)
_NUMBER_WORD = 14


def prints_a_number(cell_key: str) -> bool:
    """Whether a cell (by its key) that holds no value printed a number all the
    same (:data:`NUMBER_MARKS`): a blank that was printed as a number, which
    rule D1 fails, never a blank mark."""
    return (cell_key[:1] in _NUMBER_FIRST
            and (cell_key[-1:] in _NUMBER_LAST or len(cell_key) <= _NUMBER_WORD)
            and NUMBER_MARKS.fullmatch(cell_key) is not None)

#: Other wordings of the form's row labels that real reports print, by table
#: and row key: the other edition's word (2019 ``规范性文件``, 2021
#: ``行政规范性文件``), traditional-script mirrors whose words differ
#: (``規範性檔案``), and short forms. Each is looked up like the label itself.
ROW_VARIANTS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "active": {
        "art20_1.normative_documents": ("规范性文件", "行政规范性文件", "規範性檔案"),
        "art20_9.procurement": ("政府采购",),
    },
    "applications": {
        "received": ("一、本年新收申请数量", "一、本年新收政府信息公开申请"),
        "carried_over": ("二、上年结转申请数量", "二、上年结转政府信息公开申请"),
        "total_handled": ("（七）合计", "（七）总数"),
        "carried_forward": ("四、结转下年度办理", "四、结转下一年度继续办理"),
    },
}

# --- Section headings ----------------------------------------------------------------


def section_of(title_key: str) -> int | None:
    """The section (1–6) a heading's title (its key, without the enumerator)
    names, by its words: the official titles and the variants real reports
    print (``基本情况``, ``…行政法复议…``, ``存在的主要问题及明年工作计划``)."""
    body = title_key
    if body.startswith(("总体情况", "基本情况")) and len(body) <= 20:
        return 1
    if body.startswith("主动公开政府信息") and len(body) <= 20:
        return 2
    if body.startswith("收到和处理政府信息公开申请") and len(body) <= 24:
        return 3
    if "复议" in body and "诉讼" in body and len(body) <= 40:
        return 4  # 行政复议 misprinted (行政法复议) still names 复议
    if "问题" in body and len(body) <= 30 and any(
            w in body for w in ("改进", "措施", "整改", "计划", "打算", "思路")):
        return 5
    if "其他需要报告" in body and len(body) <= 30:
        return 6
    return None


#: Headings inside a crawler's long line, as a pattern on folded text.
INLINE_HEADINGS = (
    r"一\s*[,.]\s*(?:总体|基本)情况"
    r"|二\s*[,.]\s*主动公开政府信息情况"
    r"|三\s*[,.]\s*收到和处理政府信息公开申请情况"
    r"|四\s*[,.]\s*因?政府信息公开[^。\n]{0,12}?行政法?复议,?(?:提起)?行政诉讼的?情况"
    r"|五\s*[,.]\s*(?:政府信息公开工作)?存在的?主要问题(?:及|和)"
    r"(?:改进(?:情况|措施)|明年工作计划|下一步工作(?:计划|打算))"
    r"|五\s*[,.]\s*存在问题及改进(?:情况|措施)"
    r"|六\s*[,.]\s*其他需要报告的事项"
)

#: How a report's title ends, longest first: the body's name precedes it.
TITLE_WORDS = ("政府信息公开工作年度报告", "政府信息公开年度报告", "信息公开工作年度报告",
               "政务公开工作年度报告", "信息公开年度报告", "工作年度报告", "年度报告")

#: The report's own name in a title, after the body's (a pattern on keys):
#: ``政府信息公开工作年度报告``, ``政务公开年度报告``, ``信息公开年报``.
REPORT_NAME = r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"

# --- Words that tell an edition or a table -------------------------------------------

#: Keys of labels only the 2021 edition prints.
EDITION_2021_WORDS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
                      "本年收费金额", "逾期不补正", "逾期未按收费通知")
#: Keys of labels only the 2019 edition prints.
EDITION_2019_WORDS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                      "本年增/减", "第二十条第(九)项", "政府集中采购", "其他对外管理服务事项")
#: What makes a page's table one of the report's (keys): each table lists
#: alternatives; one alternative matches when all its words occur.
TABLE_MARKERS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "active": (("第二十条",), (INFORMATION, "行政许可"), (INFORMATION, "规章")),
    "applications": ((APPLICANTS,), ("本年新收",), ("予以公开", "不予公开")),
    "appeals": (("行政复议", "结果维持"), (LITIGATION, "结果维持")),
}
#: The first cells of each table's section (keys, prefixes), by section
#: number: where a table under an annex (附件) with no heading starts.
TABLE_STARTS: Mapping[int, tuple[str, ...]] = {
    2: ("第二十条第(一)项", "第二十条"),
    3: (key(NOTE)[:9], APPLICANTS),
    4: ("行政复议",),
}
#: The official heading of each table's section, by section number.
TABLE_TITLES: Mapping[int, str] = {
    2: TABLE_HEADINGS["active"], 3: TABLE_HEADINGS["applications"],
    4: TABLE_HEADINGS["appeals"],
}
#: Words that open a table's own copy of the form (keys): two tables holding
#: the same opener are two reports.
TABLE_OPENERS: Mapping[str, tuple[str, ...]] = {
    "active": ("第二十条第(一)项",),
    "applications": ("本年新收",),
    "appeals": ("结果维持",),
}


def appeal_group(cell_key: str) -> int | None:
    """The group of table 四 a group label names (0 review, 1 direct
    litigation, 2 litigation after review), or ``None``."""
    if "未经复议" in cell_key or "直接起诉" in cell_key:
        return 1
    if "复议后" in cell_key:
        return 2
    if "行政复议" in cell_key and "诉讼" not in cell_key:
        return 0
    return None


# --- The names case registers use (docs/registers.md) --------------------------------

#: Other names of the applicant columns, by column key.
REGISTER_APPLICANTS: Mapping[str, tuple[str, ...]] = {
    "other": ("其他组织",),
    "commercial": ("企业", "business"),
    "research": ("research_institution",),
    "natural_person": ("个人", "person"),
}
#: Names of the two intakes (本年新收, 上年结转), by row key.
REGISTER_INTAKES: Mapping[str, tuple[str, ...]] = {
    "received": ("本年新收", "新收", "本年", "received", "new"),
    "carried_over": ("上年结转", "结转", "carried_over", "carried over"),
}
#: Other names of the outcome rows, by row key.
REGISTER_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "granted": ("公开", "全部公开"),
    "partially_granted": ("partial",),
    "withheld.state_secret": ("国家秘密",),
    "withheld.prohibited_by_law": ("法律行政法规禁止公开",),
    "withheld.security_stability": ("危及三安全一稳定", "三安全一稳定"),
    "withheld.third_party_rights": ("第三方合法权益",),
    "withheld.internal_affairs": ("内部事务信息",),
    "withheld.process_information": ("过程性信息",),
    "withheld.enforcement_files": ("行政执法案卷",),
    "withheld.query_matters": ("行政查询事项",),
    "unavailable.not_held": ("不掌握相关政府信息", "本机关不掌握"),
    "unavailable.needs_creation": ("需要另行制作",),
    "unavailable.still_unclear": ("补正后仍不明确",),
    "not_processed.petition": ("信访举报投诉",),
    "other_handling.no_correction": ("逾期不补正",),
    "other_handling.fee_unpaid": ("逾期未缴费", "逾期未缴纳费用"),
    "other_handling": ("其他处理", "other_handling"),
}
#: What a register prints for a case still open at the year's end.
REGISTER_OPEN = ("", "办理中", "未办结", "在办", "结转下年度", "结转下年度继续办理",
                 "四、结转下年度继续办理", "open", "pending", "carried_forward")
#: Names of the appeal kinds (the groups of table 四), by group key.
REGISTER_APPEAL_KINDS: Mapping[str, tuple[str, ...]] = {
    "review": ("行政复议", "复议", "review", "REVIEW"),
    "litigation_direct": (
        "行政诉讼/未经复议直接起诉", "未经复议直接起诉", "直接起诉", "行政诉讼（未经复议直接起诉）",
        "litigation_direct", "LITIGATION_DIRECT",
    ),
    "litigation_after_review": (
        "行政诉讼/复议后起诉", "复议后起诉", "行政诉讼（复议后起诉）",
        "litigation_after_review", "LITIGATION_AFTER_REVIEW",
    ),
}
#: Names of the appeal outcomes (the columns of table 四), by column key.
REGISTER_APPEAL_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "upheld": ("结果维持", "维持", "upheld"),
    "corrected": ("结果纠正", "纠正", "corrected"),
    "other": ("其他结果", "其他", "other"),
    "pending": ("尚未审结", "未审结", "审理中", "pending"),
}

# --- The counts an overview states (rule T1) -------------------------------------------

#: The words 一、总体情况 states the tables' counts with (keys), each with the
#: variants reports print, by what they name. Rule T1 (``validation/prose.py``)
#: builds its phrases from them; the grammar around them (the gap before the
#: number, the number, 件) is its own.
OVERVIEW_WORDS: Mapping[str, tuple[str, ...]] = {
    "new": ("新收",),
    "receive": ("收到", "受理", "接收", "接到"),
    "application": ("申请",),
    "carried_over": ("上年结转",),
    "handled": ("办结",),
    "carried_forward": (
        "结转至下一年度", "结转到下一年度", "结转下一年度", "结转至下年度", "结转到下年度",
        "结转下年度", "结转至下一年", "结转到下一年", "结转下一年", "结转至下年", "结转到下年",
        "结转下年",
    ),
    "granted": ("予以公开", "同意公开"),
    "partially_granted": ("部分公开",),
    "withheld": ("不予公开",),
    "unavailable": ("无法提供",),
    "not_processed": ("不予处理",),
    "other_handling": ("其他处理",),
    "review": ("行政复议",),
    "litigation": ("行政诉讼",),
    "disclosure": ("公开",),
    "information_disclosure": ("政府信息公开",),
    "documents": ("行政规范性文件", "规范性文件"),
    "rules": ("规章",),
    "issue": ("制发",),
    "repeal": ("废止",),
    "in_force": ("现行有效",),
    "make": ("新制作",),
    "publish": ("新公开",),
    "licensing": ("行政许可",),
    "penalties": ("行政处罚",),
    "decide": ("作出", "做出"),
    "decision": ("处理决定", "决定"),
    "none": ("没有", "未发生", "未有", "无"),
    #: Words of counts that are not the form's applications (hotline calls,
    #: petitions, review cases).
    "not_applications": ("复议", "诉讼", "信访", "举报", "投诉", "来电", "来信", "热线", "求助"),
    #: Words of review and litigation counts that are outcomes, not cases.
    "not_review_cases": ("诉讼", "纠正", "纠错", "维持"),
    "not_litigation_cases": ("复议", "败诉", "胜诉"),
}
#: What T1's messages call each quantity an overview states.
OVERVIEW_NAMES: Mapping[str, str] = {
    "received_new": "本年新收申请",
    "received": "收到申请",
    "carried_over": "上年结转",
    "total_handled": "办结申请",
    "carried_forward": "结转下年度",
    "granted_or_partly": "予以公开及部分公开",
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other_handling": "其他处理",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "no_appeals": "未被申请行政复议、提起行政诉讼",
    "issued": "制发规范性文件",
    "repealed": "废止规范性文件",
    "in_force": "现行有效规范性文件",
    "rules_issued": "制发规章",
    "made": "新制作规范性文件",
    "published": "新公开规范性文件",
    "licensing": "行政许可决定",
    "penalties": "行政处罚决定",
}

# Shortest piece of a label that may stand for the label (shorter pieces are
# only form text).
_MIN_PIECE = 4
# Memoised lookups: keys up to this length, this many per lexicon at most.
_MEMO_KEY = 200
_MEMO_SIZE = 4096


@attrs.frozen(slots=True)
class Entry:
    """What a label names: a data row, a group (by its first row), or a header."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: Kind
    index: int = -1


@attrs.frozen(slots=True)
class Match:
    """The result of a lookup. ``entries`` are the candidates (several only for
    a loose match); ``loose`` tells that the text is not the label itself."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: Kind | Literal["fragment"]
    entries: tuple[Entry, ...] = ()
    loose: bool = False


@attrs.frozen(slots=True)
class Lexicon:
    """The labels of one table of one edition."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: str
    rows: tuple[RowSpec, ...]
    exact: Mapping[str, Entry]
    labels: tuple[tuple[str, Entry], ...]
    lengths: tuple[int, ...]
    #: The first two characters of every key of ``lengths``' lengths.
    heads: frozenset[str]
    form_text: str
    #: Where each label's key starts in ``form_text`` (the keys joined by NUL).
    starts: tuple[int, ...]
    #: Where each row's first cell sits among the form's cells (form order).
    offsets: tuple[int, ...]
    #: The kind of each row's columns.
    kinds: tuple[tuple[ColumnKind, ...], ...]
    #: How many columns each row has.
    widths: tuple[int, ...]
    #: Rows and groups by their enumerator's number and their key without it
    #: (``3\x00其他``), for labels whose bare words are also a header word:
    #: ``3、其他`` is row ``3.其他`` and ``七、总计`` is ``（七）总计``.
    numbered: Mapping[str, Entry]
    # Lookups by key, memoised: the same labels come back in every report.
    _memo: dict[str, Match | None] = attrs.field(factory=dict, eq=False, repr=False)

    def lookup(self, text_key: str) -> Match | None:
        """What the cell whose key is ``text_key`` names, if anything."""
        try:
            return self._memo[text_key]
        except KeyError:
            pass
        found = self._lookup(text_key)
        if len(text_key) <= _MEMO_KEY:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[text_key] = found
        return found

    def _lookup(self, text_key: str) -> Match | None:
        if not text_key:
            return None
        entry = self.exact.get(text_key)
        if entry is not None:
            return Match(entry.kind, (entry,))
        core = strip_enumerator(text_key)
        if core != text_key:
            entry = self.exact.get(core)
            # A numbered text is a row or a group, never a bare header word.
            if entry is not None and entry.kind != "header":
                return Match(entry.kind, (entry,))
            entry = self.numbered.get(_numbered(text_key, core))
            if entry is not None:
                return Match(entry.kind, (entry,))
        for candidate in (text_key, core) if core != text_key else (text_key,):
            if candidate[:2] not in self.heads:
                continue  # no key of two characters or more starts the text
            n = len(candidate)
            for length in self.lengths:
                if length >= n:
                    continue
                entry = self.exact.get(candidate[:length])
                if entry is None:
                    continue
                if entry.kind == "header":
                    if length >= _MIN_PIECE:
                        return Match("header", (entry,))
                    continue
                return Match(entry.kind, (entry,), loose=True)
        if len(text_key) >= _MIN_PIECE:
            pieces = (text_key, core) if len(core) >= _MIN_PIECE else (text_key,)
            found = self._holding(pieces)
            rows = tuple(e for e in found if e.kind == "row")
            if rows:
                return Match("row", _unique(rows), loose=True)
            groups = tuple(e for e in found if e.kind == "group")
            if groups:
                return Match("group", _unique(groups), loose=True)
            if found:
                return Match("header", (found[0],))
        if text_key in self.form_text:
            return Match("fragment")
        return None


    def _holding(self, pieces: Sequence[str]) -> list[Entry]:
        """The entries whose label's key holds one of ``pieces``, in label order:
        one search of ``form_text`` a piece, rather than one a label. No key
        holds NUL, so a piece never matches across two keys."""
        text, starts = self.form_text, self.starts
        hits: set[int] = set()
        for piece in pieces:
            if "\x00" in piece:
                continue
            at = text.find(piece)
            while at >= 0:
                j = bisect_right(starts, at) - 1
                hits.add(j)
                at = text.find(piece, starts[j + 1]) if j + 1 < len(starts) else -1
        return [self.labels[j][1] for j in sorted(hits)]


def _numbered(label_key: str, core: str) -> str:
    """``label_key``'s enumerator reduced to its number (``3,``, ``3.``, ``(3)``
    and ``三,``, ``(三)`` alike), joined to ``core``, the key without it."""
    return label_key[: len(label_key) - len(core)].strip("().,:") + "\x00" + core


def _unique(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    return tuple(dict.fromkeys(entries))


@cache
def lexicon(edition: Edition, table: str) -> Lexicon:
    """The lexicon of ``table`` in ``edition``'s form."""
    spec = form(edition).table(table)
    rows = spec.rows
    headers: list[str] = []
    groups: list[tuple[str, int]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.group is not None and row.group not in seen:
            seen.add(row.group)
            groups.append((row.group_label or "", i))
    if table == "active":
        headers.extend(_ACTIVE_HEADERS)
        headers.extend(c.label for r in rows for c in r.columns)
    elif table == "applications":
        headers.extend(_APPLICATION_HEADERS)
        headers.extend(c.label for c in rows[0].columns)
        groups.append((RESULTS, next(i for i, r in enumerate(rows) if r.key == "granted")))
    else:
        headers.extend(_APPEAL_HEADERS)
        headers.extend(c.label for c in rows[0].columns)
        groups = [(r.label.split("/")[-1], i) for i, r in enumerate(rows)]
    exact: dict[str, Entry] = {}
    labels: list[tuple[str, Entry]] = []
    for text in headers:
        exact.setdefault(key(text), Entry("header"))
    full: list[tuple[str, Entry]] = [
        (key(label), Entry("group", i)) for label, i in groups
    ]
    if table != "appeals":
        full.extend((key(r.label), Entry("row", i)) for i, r in enumerate(rows))
    for k, entry in full:
        exact[k] = entry
        labels.append((k, entry))
    # Other wordings are found exactly (and without their enumerator), never
    # as pieces: the labels and the form's text stay the form's own.
    variants = ROW_VARIANTS.get(table, {})
    for i, r in enumerate(rows):
        for text in variants.get(r.key, ()):
            k = key(text)
            exact.setdefault(k, Entry("row", i))
            core = strip_enumerator(k)
            if len(core) >= _MIN_PIECE:  # a bare 合计 is a column's header
                exact.setdefault(core, Entry("row", i))
    numbered: dict[str, Entry] = {}
    for k, entry in full:
        core = strip_enumerator(k)
        if core != k:
            numbered[_numbered(k, core)] = entry
            if core not in exact:
                exact[core] = entry
    for text in headers:
        labels.append((key(text), Entry("header")))
    lengths = tuple(sorted({len(k) for k in exact if len(k) >= 2}, reverse=True))
    form_text = "\x00".join(k for k, _ in labels)
    starts = [0]
    for k, _ in labels[:-1]:
        starts.append(starts[-1] + len(k) + 1)
    first = 0
    for other in form(edition).tables:
        if other.key == table:
            break
        first += sum(len(r.columns) for r in other.rows)
    offsets = []
    for row in rows:
        offsets.append(first)
        first += len(row.columns)
    return Lexicon(
        table=table,
        rows=rows,
        exact=exact,
        labels=tuple(labels),
        lengths=lengths,
        heads=frozenset(k[:2] for k in exact if len(k) >= 2),
        form_text=form_text,
        starts=tuple(starts),
        offsets=tuple(offsets),
        kinds=tuple(tuple(c.kind for c in r.columns) for r in rows),
        widths=tuple(len(r.columns) for r in rows),
        numbered=numbered,
    )
