"""Rules on the narrative: T1 (counts quoted in the overview), and S1 (copied
reports, in :mod:`.similar`) through :func:`validate_prose`.

T1 reads the sentences of 一、总体情况 and, where a sentence clearly states a
count the tables hold (``收到依申请公开政府信息6件``, ``予以公开30件``,
``被申请行政复议2件``), compares it with the table; the finding quotes the
sentence. The patterns are deliberately narrow: a number is taken only when
it sits right after (or right before) the words naming the quantity, within
one clause, so that counts of hotline calls or review cases the body decided
as a review office are left alone.

S1 (:mod:`.similar`) compares a report with the same body's previous report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache

import attrs

from ..model.cells import Blank, CellRef
from ..model.findings import Finding, Status
from ..model.report import Edition, Report
from ..model.schema import build_report, form_of, get_cell
from ._words import blank_words, cell_place, normalise
from .catalogue import rule
from .engine import ValidationResult
from .similar import (
    S1_MIN_CHARS,
    S1_MIN_NONZERO,
    S1_THRESHOLD,
    SectionSimilarity,
    Similarity,
    check_similar,
    report_similarity,
    similarity,
)

__all__ = [
    "S1_MIN_CHARS",
    "S1_MIN_NONZERO",
    "S1_THRESHOLD",
    "Quote",
    "SectionSimilarity",
    "Similarity",
    "check_overview",
    "check_similar",
    "quotable_cells",
    "quoted_cells",
    "quotes",
    "report_similarity",
    "sentences",
    "similarity",
    "validate_prose",
]

# --- sentences ------------------------------------------------------------------

_HEADING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|#)"
)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_HEADING_MAX = 30


def sentences(text: str) -> list[str]:
    """Split narrative text into sentences, joining lines broken mid-sentence.

    PDF extraction breaks lines anywhere, so a line joins the previous one
    unless a blank line or a heading (``（二）``, ``三、``) starts it; a short
    heading alone on its line stands alone. The result is split after 。！？；.
    """
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            paragraphs.append([])
            continue
        heading = _HEADING.match(stripped) is not None
        if heading and paragraphs[-1]:
            paragraphs.append([])
        paragraphs[-1].append(stripped)
        if heading and len(stripped) <= _HEADING_MAX and not _SENTENCE_END.search(stripped):
            paragraphs.append([])  # a heading on its own line is a sentence of its own
    out: list[str] = []
    for lines in paragraphs:
        if not lines:
            continue
        joined = "".join(lines)
        out.extend(part.strip() for part in _SENTENCE_END.split(joined) if part.strip())
    return out


def _normalise(sentence: str) -> str:
    return normalise(sentence)


# --- T1: what a sentence says -----------------------------------------------------

# After NFKC, full-width ，；：！？ are ASCII; 。 and 、 stay. A gap never crosses
# a clause and never holds a digit, so the number is the one the words name.
_GAP = r"[^,;。:!?\d]"
_N = r"(\d{1,3}(?:,\d{3})+|\d+)件"
_NOT_APPLICATIONS = ("复议", "诉讼", "信访", "举报", "投诉", "来电", "来信", "热线", "求助")

Targets = Callable[[Report], Sequence[tuple[CellRef, ...]]]


@attrs.frozen(slots=True)
class _Quantity:
    """A quantity the tables hold and the phrasings that state it.

    ``targets`` gives the acceptable readings as sums of cells: the stated
    count must equal one of them (``受理`` counts sometimes include carry-over).
    ``needs`` are words the sentence must contain, ``avoid`` words the matched
    phrase must not contain.
    """

    key: str
    zh: str
    en: str
    patterns: tuple[re.Pattern[str], ...]
    targets: Targets
    needs: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    zero: bool = False


def _rows(report: Report, prefix: str, column: str = "total") -> tuple[CellRef, ...]:
    table = form_of(report).table("applications")
    return tuple(
        CellRef("applications", r.key, column)
        for r in table.rows
        if r.key == prefix or r.key.startswith(prefix + ".")
    )


def _cell(table: str, row: str, column: str) -> Targets:
    ref = CellRef(table, row, column)
    return lambda _report: ((ref,),)


def _group(prefix: str) -> Targets:
    return lambda report: (_rows(report, prefix),)


def _received(report: Report) -> Sequence[tuple[CellRef, ...]]:
    new = CellRef("applications", "received", "total")
    return ((new,), (new, CellRef("applications", "carried_over", "total")))


_REVIEW = (CellRef("appeals", "review", "total"),)
_LITIGATION = (
    CellRef("appeals", "litigation_direct", "total"),
    CellRef("appeals", "litigation_after_review", "total"),
)


def _active(edition: str, row: str, column: str) -> Targets:
    ref = CellRef("active", row, column)
    return lambda report: ((ref,),) if report.edition == edition else ()


def _p(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_DOCS = r"(?:行政)?规范性文件"
_QUANTITIES: tuple[_Quantity, ...] = (
    _Quantity(
        "received_new", "本年新收申请", "applications received this year",
        _p(f"新收{_GAP}{{0,16}}?申请{_GAP}{{0,10}}?{_N}",
           f"新收{_GAP}{{0,6}}?{_N}{_GAP}{{0,6}}?申请"),
        _cell("applications", "received", "total"), avoid=_NOT_APPLICATIONS,
    ),
    _Quantity(
        "received", "收到申请", "applications received",
        _p(f"(?:收到|受理|接收|接到){_GAP}{{0,16}}?申请{_GAP}{{0,10}}?{_N}",
           f"(?:收到|受理|接收|接到){_GAP}{{0,8}}?{_N}{_GAP}{{0,6}}?申请"),
        _received, avoid=(*_NOT_APPLICATIONS, "新收"),
    ),
    _Quantity(
        "carried_over", "上年结转", "carried over",
        _p(f"上年结转{_GAP}{{0,10}}?{_N}"), _cell("applications", "carried_over", "total"),
        needs=("申请",),
    ),
    _Quantity(
        "total_handled", "办结申请", "applications handled",
        _p(f"办结{_GAP}{{0,8}}?{_N}"), _cell("applications", "total_handled", "total"),
        needs=("申请",), avoid=_NOT_APPLICATIONS,
    ),
    _Quantity(
        "carried_forward", "结转下年度", "carried forward",
        _p(f"{_N}(?:申请)?结转下", f"结转(?:至|到)?下(?:一)?年(?:度)?{_GAP}{{0,8}}?{_N}"),
        _cell("applications", "carried_forward", "total"), needs=("申请",),
    ),
    _Quantity(
        "granted_or_partly", "予以公开及部分公开", "granted in full or in part",
        _p(f"予以公开(?:及|和|与|、|或)部分公开(?:的)?{_N}"),
        lambda _r: ((CellRef("applications", "granted", "total"),
                     CellRef("applications", "partially_granted", "total")),),
    ),
    _Quantity(
        "granted", "予以公开", "granted",
        _p(f"(?<![不])(?:予以公开|同意公开)(?:的)?{_N}"),
        _cell("applications", "granted", "total"),
    ),
    _Quantity(
        "partially_granted", "部分公开", "partially granted",
        _p(f"(?<![及和与、或])部分公开(?:的)?{_N}"),
        _cell("applications", "partially_granted", "total"),
    ),
    _Quantity("withheld", "不予公开", "withheld", _p(f"不予公开(?:的)?{_N}"),
              _group("withheld")),
    _Quantity("unavailable", "无法提供", "cannot be provided", _p(f"无法提供(?:的)?{_N}"),
              _group("unavailable")),
    _Quantity("not_processed", "不予处理", "not processed", _p(f"不予处理(?:的)?{_N}"),
              _group("not_processed"), needs=("申请",)),
    _Quantity("other_handling", "其他处理", "other handling", _p(f"其他处理(?:的)?{_N}"),
              _group("other_handling"), needs=("申请",)),
    _Quantity(
        "review", "行政复议", "administrative reviews",
        _p(f"行政复议(?:案件|申请)?{_GAP}{{0,4}}?{_N}"),
        lambda _r: (_REVIEW,), needs=("公开",), avoid=("诉讼", "纠正", "纠错", "维持"),
    ),
    _Quantity(
        "litigation", "行政诉讼", "lawsuits",
        _p(f"行政诉讼(?:案件)?{_GAP}{{0,4}}?{_N}"),
        lambda _r: (_LITIGATION,), needs=("公开",), avoid=("复议", "败诉", "胜诉"),
    ),
    _Quantity(
        "no_appeals", "未被申请行政复议、提起行政诉讼", "no reviews or lawsuits",
        _p(r"(?:没有|未发生|未有|无)(?:因)?政府信息公开[^,;。:!?\d]{0,8}?被?申请行政复议"
           r"(?:[、和及与或]|以及)?(?:被)?(?:提起)?行政诉讼(?:的)?(?:情况|案件|情形)"),
        lambda _r: (_REVIEW + _LITIGATION,), needs=("行政复议", "行政诉讼"), zero=True,
    ),
    _Quantity("issued", "制发规范性文件", "normative documents issued",
              _p(f"制发{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2021", "art20_1.normative_documents", "issued")),
    _Quantity("repealed", "废止规范性文件", "normative documents repealed",
              _p(f"废止{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2021", "art20_1.normative_documents", "repealed")),
    _Quantity("in_force", "现行有效规范性文件", "normative documents in force",
              _p(f"现行有效(?:的)?{_DOCS}{_N}"),
              _active("2021", "art20_1.normative_documents", "in_force")),
    _Quantity("rules_issued", "制发规章", "rules issued", _p(f"制发规章{_N}"),
              _active("2021", "art20_1.rules", "issued")),
    _Quantity("made", "新制作规范性文件", "normative documents made",
              _p(f"新制作{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2019", "art20_1.normative_documents", "made")),
    _Quantity("published", "新公开规范性文件", "normative documents published",
              _p(f"新公开{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2019", "art20_1.normative_documents", "published")),
    _Quantity("licensing", "行政许可决定", "licensing decisions",
              _p(f"(?:作出|做出)行政许可(?:处理)?决定{_N}"),
              lambda r: ((CellRef("active", "art20_5.licensing", "decisions"),),)),
    _Quantity("penalties", "行政处罚决定", "penalty decisions",
              _p(f"(?:作出|做出)行政处罚(?:处理)?决定{_N}"),
              lambda r: ((CellRef("active", "art20_6.penalties", "decisions"),),)),
)


@attrs.frozen(kw_only=True, slots=True)
class Quote:
    """A count a sentence states: which quantity, the number, and the sentence."""

    quantity: str
    label: str
    label_en: str
    value: int
    sentence: str
    phrase: str


_COUNT_HINT = re.compile(r"\d件")


def quotes(text: str) -> list[Quote]:
    """Every count of a table quantity that ``text`` states clearly, in order."""
    out: list[Quote] = []
    for sentence in sentences(text):
        # Every count ends in 件, and the one zero quantity needs 行政复议 and
        # 行政诉讼; no other character becomes 件, 复 or 诉 under NFKC. So a
        # sentence without them states nothing here, and is not normalised (NFKC
        # is the slow part): most narrative sentences are skipped this way.
        if "件" not in sentence and ("复" not in sentence or "诉" not in sentence):
            continue
        norm = _normalise(sentence)
        # Every pattern of a count ends in a number and 件: a sentence with no
        # digit before 件 can only state a zero (most narrative sentences).
        counts = _COUNT_HINT.search(norm) is not None
        contains = norm.__contains__
        for q in _QUANTITIES:
            if (counts or q.zero) and all(map(contains, q.needs)):
                out.extend(_stated(q, sentence, norm))
    return _unique(out)


def _stated(q: _Quantity, sentence: str, norm: str) -> Iterator[Quote]:
    """What the patterns of ``q`` find in ``sentence`` (``norm`` its normal form)."""
    for pattern in q.patterns:
        for match in pattern.finditer(norm):
            phrase = match.group(0)
            if any(word in phrase for word in q.avoid):
                continue
            value = 0 if q.zero else int(match.group(1).replace(",", ""))
            yield Quote(quantity=q.key, label=q.zh, label_en=q.en, value=value,
                        sentence=sentence, phrase=phrase)


def _unique(found: Iterable[Quote]) -> list[Quote]:
    """The first quote of each quantity, value and sentence."""
    seen: set[tuple[str, int, str]] = set()
    unique: list[Quote] = []
    for quote in found:
        key = (quote.quantity, quote.value, quote.sentence)
        if key not in seen:
            seen.add(key)
            unique.append(quote)
    return unique


_BY_KEY = {q.key: q for q in _QUANTITIES}


@cache
def quoted_cells(quantity: str, edition: Edition) -> tuple[tuple[CellRef, ...], ...]:
    """The sums of cells a quote of ``quantity`` may state (it must equal one of
    them), in ``edition``'s form; the run splitter uses them to choose placements."""
    return tuple(_BY_KEY[quantity].targets(build_report(edition)))


@cache
def quotable_cells(edition: Edition) -> frozenset[CellRef]:
    """Every cell some quote may name, in ``edition``'s form."""
    return frozenset(ref for q in _BY_KEY for cells in quoted_cells(q, edition)
                     for ref in cells)


def _describe(report: Report, refs: tuple[CellRef, ...]) -> tuple[str, str]:
    spec = form_of(report)
    zh, en = [], []
    for ref in refs:
        table = spec.table(ref.table)
        row = table.row(ref.row)
        col = row.column(ref.column)
        zh.append(f"{table.short} / {row.short} / {col.label}")
        en.append(f"{table.key} / {row.en} / {col.en}")
    return " + ".join(zh), " + ".join(en)


def check_overview(report: Report) -> Iterator[Finding]:
    """T1: every clearly stated count in 一、总体情况 against the tables.

    A count that matches one of its readings passes; one whose every reading
    involves a blank cell is *not assessable*; otherwise the finding quotes
    the sentence and gives the table's figure as ``expected``.
    """
    if report.overview is None:
        return
    severity = rule("T1").severity
    for quote in quotes(report.overview.body):
        readings = _BY_KEY[quote.quantity].targets(report)
        if not readings:
            continue
        sums: list[tuple[tuple[CellRef, ...], int]] = []
        blank_readings: list[tuple[CellRef, ...]] = []
        for refs in readings:
            values = [get_cell(report, ref) for ref in refs]
            numbers = [int(v) for v in values if not isinstance(v, Blank)]
            if len(numbers) < len(values):
                blank_readings.append(refs)
                continue
            sums.append((refs, sum(numbers)))
        if any(total == quote.value for _, total in sums):
            continue
        first = readings[0]
        where_zh, where_en = _describe(report, first)
        head = first[0]
        if blank_readings:
            blanks = tuple(dict.fromkeys(r for refs in blank_readings for r in refs
                                         if isinstance(get_cell(report, r), Blank)))
            # Name the blank cell itself (a reading may add up several cells).
            value = get_cell(report, blanks[0])
            assert isinstance(value, Blank)
            bz, be = blank_words(value)
            cz, ce = cell_place(report.edition, blanks[0])
            more_zh = f"等 {len(blanks)} 格" if len(blanks) > 1 else ""
            more_en = f" (and {len(blanks) - 1} more)" if len(blanks) > 1 else ""
            yield Finding(
                rule="T1", severity=severity, status=Status.NOT_ASSESSABLE,
                table=head.table, row=head.row, column=head.column,
                cells=first, blanks=blanks, actual=quote.value,
                message=f"一、总体情况写“{quote.sentence}”，但 {cz}{more_zh} {bz}，无法核对",
                message_en=f"the overview says “{quote.sentence}” ({quote.label_en}: "
                f"{quote.value}), but {ce}{more_en} {be}: no number to check it against",
            )
            continue
        refs, expected = sums[0]
        yield Finding(
            rule="T1", severity=severity, status=Status.FAILED,
            table=head.table, row=head.row, column=head.column,
            cells=refs, expected=expected, actual=quote.value,
            message=f"一、总体情况写“{quote.sentence}”（{quote.label} {quote.value} 件），"
            f"但表中 {where_zh} = {expected}",
            message_en=f"the overview says “{quote.sentence}” ({quote.label_en}: "
            f"{quote.value}), but the table has {where_en} = {expected}",
        )


def validate_prose(
    report: Report, previous: Report | None = None, *, threshold: float = S1_THRESHOLD
) -> ValidationResult:
    """Run T1 on ``report``, and S1 against ``previous`` when it is given.

    ``previous`` should be the same body's report of the year before;
    :func:`govdisclosure.validate_series` finds it for a whole series.
    """
    findings = list(check_overview(report))
    if previous is not None:
        findings.extend(check_similar(report, previous, threshold=threshold))
    return ValidationResult(findings=tuple(findings))
