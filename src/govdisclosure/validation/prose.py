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
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from itertools import accumulate, compress

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model._normalise import FOLD_TABLE, sentence_keys
from ..model.cells import Blank, CellRef, Value
from ..model.findings import Finding, Status
from ..model.labels import OVERVIEW_NAMES, OVERVIEW_WORDS
from ..model.report import Edition, Report
from ..model.schema import build_report, cell_values, form_of, get_cell
from ._words import blank_words, cell_place, positions
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
_END = "。！？；!?;"
_ENDS = re.compile(f"[{_END}]")
# A sentence: up to and with the next end mark, or the rest of the paragraph.
_SENTENCE = re.compile(f"[^{_END}]*[{_END}]|[^{_END}]+")
_HEADING_MAX = 30


def sentences(text: str) -> list[str]:
    """Split narrative text into sentences, joining lines broken mid-sentence.

    PDF extraction breaks lines anywhere, so a line joins the previous one
    unless a blank line or a heading (``（二）``, ``三、``) starts it; a short
    heading alone on its line stands alone. The result is split after 。！？；.
    """
    return _sentences(text, marked=False)


def _sentences(text: str, *, marked: bool) -> list[str]:
    """:func:`sentences`; when ``marked``, only those that hold a mark (件 or
    诉, :data:`_MARKS`), and a paragraph without one is not split at all."""
    out: list[str] = []
    lines: list[str] = []  # the paragraph so far
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or _HEADING.match(stripped) is not None:
            if lines:
                _split(lines, out, marked)
                lines = []
            if not stripped:
                continue
            if len(stripped) <= _HEADING_MAX and _ENDS.search(stripped) is None:
                # A heading on its own line is a sentence of its own.
                if not marked or _MARK.search(stripped) is not None:
                    out.append(stripped)
                continue
        lines.append(stripped)
    if lines:
        _split(lines, out, marked)
    return out


def _split(lines: list[str], out: list[str], marked: bool) -> None:
    """The sentences of one paragraph's lines, added to ``out`` (when
    ``marked``, only those that hold a mark)."""
    paragraph = "".join(lines)
    parts: Iterable[str]
    if not marked:
        parts = _SENTENCE.findall(paragraph)
    elif not any(map(paragraph.__contains__, _MARKS)):  # one search a mark, in C
        return
    else:
        parts = _SENTENCE.findall(paragraph)
        # A mark is never white space: the parts are sorted out before stripping.
        parts = compress(parts, map(_MARK.search, parts))
    for part in parts:
        part = part.strip()
        if part:
            out.append(part)


# --- T1: what a sentence says -----------------------------------------------------

# Sentences are matched on their sentence_key (the lexicon's fold: full-width
# ，；：！？ are ASCII, ``、`` and 。 stay, whitespace is gone), joined by "\n". A
# gap never crosses a clause or a sentence and never holds a digit, so the
# number is the one the words name.
_GAP = r"[^,;。:!?\d\n]"
_N = r"(\d{1,3}(?:,\d{3})+|\d+)件"

Targets = Callable[[Report], Sequence[tuple[CellRef, ...]]]


def _w(name: str) -> str:
    """The lexicon's words for ``name`` as one group of the pattern."""
    return "(?:" + "|".join(map(re.escape, OVERVIEW_WORDS[name])) + ")"


@attrs.frozen(slots=True)
class _Quantity:
    """A quantity the tables hold and the phrasings that state it.

    ``patterns`` are the sources of the regular expressions that find a
    statement of it (compiled when the quantity is first tried: :func:`_compiled`).
    ``targets`` gives the acceptable readings as sums of cells: the stated
    count must equal one of them (``受理`` counts sometimes include carry-over).
    ``cue`` names the lexicon's words every pattern of the quantity contains:
    a sentence without one of them is not tried. ``needs`` are words the
    sentence must contain, ``avoid`` words the matched phrase must not contain.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    key: str
    en: str
    cue: str
    patterns: tuple[str, ...]
    targets: Targets
    needs: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    zero: bool = False

    @property
    def zh(self) -> str:
        """The quantity's name in messages."""
        return OVERVIEW_NAMES[self.key]


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


def _p(*patterns: str) -> tuple[str, ...]:
    return patterns


_W = OVERVIEW_WORDS
_APPLICATION = _W["application"][0]
_DISCLOSURE = _W["disclosure"][0]
_NOT_APPLICATIONS = _W["not_applications"]
_RECEIVE, _NEW, _DOCS, _DECIDE = _w("receive"), _w("new"), _w("documents"), _w("decide")
_QUANTITIES: tuple[_Quantity, ...] = (
    _Quantity(
        "received_new", "applications received this year", "new",
        _p(f"{_NEW}{_GAP}{{0,16}}?{_w('application')}{_GAP}{{0,10}}?{_N}",
           f"{_NEW}{_GAP}{{0,6}}?{_N}{_GAP}{{0,6}}?{_w('application')}"),
        _cell("applications", "received", "total"), needs=(_APPLICATION,),
        avoid=_NOT_APPLICATIONS,
    ),
    _Quantity(
        "received", "applications received", "receive",
        _p(f"{_RECEIVE}{_GAP}{{0,16}}?{_w('application')}{_GAP}{{0,10}}?{_N}",
           f"{_RECEIVE}{_GAP}{{0,8}}?{_N}{_GAP}{{0,6}}?{_w('application')}"),
        _received, needs=(_APPLICATION,), avoid=(*_NOT_APPLICATIONS, *_W["new"]),
    ),
    _Quantity(
        "carried_over", "carried over", "carried_over",
        _p(f"{_w('carried_over')}{_GAP}{{0,10}}?{_N}"),
        _cell("applications", "carried_over", "total"), needs=(_APPLICATION,),
    ),
    _Quantity(
        "total_handled", "applications handled", "handled",
        _p(f"{_w('handled')}{_GAP}{{0,8}}?{_N}"),
        _cell("applications", "total_handled", "total"),
        needs=(_APPLICATION,), avoid=_NOT_APPLICATIONS,
    ),
    _Quantity(
        "carried_forward", "carried forward", "carried_forward",
        _p(f"{_N}{_w('application')}?{_w('carried_forward')}",
           f"{_w('carried_forward')}{_GAP}{{0,8}}?{_N}"),
        _cell("applications", "carried_forward", "total"), needs=(_APPLICATION,),
    ),
    _Quantity(
        "granted_or_partly", "granted in full or in part", "granted",
        _p(f"{_w('granted')}(?:及|和|与|、|或){_w('partially_granted')}(?:的)?{_N}"),
        lambda _r: ((CellRef("applications", "granted", "total"),
                     CellRef("applications", "partially_granted", "total")),),
    ),
    _Quantity(
        "granted", "granted", "granted",
        _p(f"(?<![不]){_w('granted')}(?:的)?{_N}"),
        _cell("applications", "granted", "total"),
    ),
    _Quantity(
        "partially_granted", "partially granted", "partially_granted",
        _p(f"(?<![及和与、或]){_w('partially_granted')}(?:的)?{_N}"),
        _cell("applications", "partially_granted", "total"),
    ),
    _Quantity("withheld", "withheld", "withheld", _p(f"{_w('withheld')}(?:的)?{_N}"),
              _group("withheld")),
    _Quantity("unavailable", "cannot be provided", "unavailable",
              _p(f"{_w('unavailable')}(?:的)?{_N}"), _group("unavailable")),
    _Quantity("not_processed", "not processed", "not_processed",
              _p(f"{_w('not_processed')}(?:的)?{_N}"), _group("not_processed"),
              needs=(_APPLICATION,)),
    _Quantity("other_handling", "other handling", "other_handling",
              _p(f"{_w('other_handling')}(?:的)?{_N}"), _group("other_handling"),
              needs=(_APPLICATION,)),
    _Quantity(
        "review", "administrative reviews", "review",
        _p(f"{_w('review')}(?:案件|{_w('application')})?{_GAP}{{0,4}}?{_N}"),
        lambda _r: (_REVIEW,), needs=(_DISCLOSURE,), avoid=_W["not_review_cases"],
    ),
    _Quantity(
        "litigation", "lawsuits", "litigation",
        _p(f"{_w('litigation')}(?:案件)?{_GAP}{{0,4}}?{_N}"),
        lambda _r: (_LITIGATION,), needs=(_DISCLOSURE,), avoid=_W["not_litigation_cases"],
    ),
    _Quantity(
        "no_appeals", "no reviews or lawsuits", "litigation",
        _p(f"{_w('none')}(?:因)?{_w('information_disclosure')}{_GAP}{{0,8}}?被?"
           f"{_w('application')}{_w('review')}(?:[、和及与或]|以及)?(?:被)?(?:提起)?"
           f"{_w('litigation')}(?:的)?(?:情况|案件|情形)"),
        lambda _r: (_REVIEW + _LITIGATION,),
        needs=(*_W["review"], *_W["litigation"]), zero=True,
    ),
    _Quantity("issued", "normative documents issued", "issue",
              _p(f"{_w('issue')}{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2021", "art20_1.normative_documents", "issued")),
    _Quantity("repealed", "normative documents repealed", "repeal",
              _p(f"{_w('repeal')}{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2021", "art20_1.normative_documents", "repealed")),
    _Quantity("in_force", "normative documents in force", "in_force",
              _p(f"{_w('in_force')}(?:的)?{_DOCS}{_N}"),
              _active("2021", "art20_1.normative_documents", "in_force")),
    _Quantity("rules_issued", "rules issued", "issue", _p(f"{_w('issue')}{_w('rules')}{_N}"),
              _active("2021", "art20_1.rules", "issued")),
    _Quantity("made", "normative documents made", "make",
              _p(f"{_w('make')}{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2019", "art20_1.normative_documents", "made")),
    _Quantity("published", "normative documents published", "publish",
              _p(f"{_w('publish')}{_GAP}{{0,4}}?{_DOCS}{_N}"),
              _active("2019", "art20_1.normative_documents", "published")),
    _Quantity("licensing", "licensing decisions", "licensing",
              _p(f"{_DECIDE}{_w('licensing')}{_w('decision')}{_N}"),
              lambda r: ((CellRef("active", "art20_5.licensing", "decisions"),),)),
    _Quantity("penalties", "penalty decisions", "penalties",
              _p(f"{_DECIDE}{_w('penalties')}{_w('decision')}{_N}"),
              lambda r: ((CellRef("active", "art20_6.penalties", "decisions"),),)),
)


def _cues() -> tuple[re.Pattern[str], Mapping[str, tuple[int, ...]]]:
    """One pattern of every cue word (the longest first), and the quantities
    (indices into ``_QUANTITIES``) each word cues.

    Where the pattern finds a word, every shorter cue that starts there is a
    prefix of it, so a word cues its own quantities and those of every cue that
    begins it.
    """
    by_word: dict[str, set[int]] = {}
    for index, q in enumerate(_QUANTITIES):
        for word in OVERVIEW_WORDS[q.cue]:
            by_word.setdefault(word, set()).add(index)
    words = sorted(by_word, key=lambda w: (-len(w), w))
    cued = {word: tuple(sorted({i for other in words if word.startswith(other)
                                for i in by_word[other]})) for word in words}
    return re.compile("|".join(map(re.escape, words))), cued


_CUE, _CUED = _cues()


@attrs.frozen(kw_only=True, slots=True)
class Quote:
    """A count a sentence states: which quantity, the number, and the sentence."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    quantity: str
    label: str
    label_en: str
    value: int
    sentence: str
    phrase: str


def quotes(text: str) -> list[Quote]:
    """Every count of a table quantity that ``text`` states clearly, in order."""
    # Every count pattern ends in a number and 件, and the one zero quantity
    # needs 行政诉讼: a sentence whose key holds neither 件 nor 诉 states nothing.
    said = _sentences(text, marked=True)
    keys = sentence_keys(said)
    norm = "\n".join(keys)
    # Sentence i is norm[bounds[i]:bounds[i + 1] - 1].
    bounds = list(accumulate((len(k) + 1 for k in keys), initial=0))
    # One scan finds every cue word, overlapping ones included (the next search
    # starts one character on); only the quantities cued in a sentence are
    # tried on it.
    tried: dict[int, set[int]] = {}
    cue = _CUE.search(norm)
    while cue is not None:
        at = cue.start()
        tried.setdefault(bisect_right(bounds, at) - 1, set()).update(_CUED[cue.group()])
        cue = _CUE.search(norm, at + 1)
    out: list[Quote] = []
    for index in sorted(tried):
        start, end = bounds[index], bounds[index + 1] - 1
        # Every count pattern ends in a number and 件: without one, a sentence
        # can only state a zero.
        counts = _COUNT.search(norm, start, end) is not None
        for q_index in sorted(tried[index]):
            q = _QUANTITIES[q_index]
            if (counts or q.zero) and all(norm.find(w, start, end) >= 0 for w in q.needs):
                out.extend(_stated(q, said[index], norm, start, end))
    return _unique(out)


_COUNT = re.compile(r"\d件")
# 件, 诉 and every character whose key is one of them.
_MARKS = tuple(sorted(
    {"件", "诉", *(chr(c) for c, to in FOLD_TABLE.items() if to in ("件", "诉"))}))
_MARK = re.compile("[" + "".join(_MARKS) + "]")


def _stated(q: _Quantity, sentence: str, norm: str, start: int, end: int
            ) -> Iterator[Quote]:
    """What the patterns of ``q`` find in ``sentence``, which is ``norm[start:end]``."""
    for pattern in _compiled(q.key):
        for match in pattern.finditer(norm, start, end):
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
_T1 = rule("T1")


@cache
def _compiled(quantity: str) -> tuple[re.Pattern[str], ...]:
    """The patterns of ``quantity``, compiled when it is first tried.

    An overview cues a few of the 23 quantities; compiling all their patterns
    when this module is imported was a fifth of starting to check one file.
    """
    return tuple(map(re.compile, _BY_KEY[quantity].patterns))


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
    places = [cell_place(report.edition, ref) for ref in refs]
    return " + ".join(zh for zh, _ in places), " + ".join(en for _, en in places)


def check_overview(report: Report, values: Sequence[Value] | None = None
                   ) -> Iterator[Finding]:
    """T1: every clearly stated count in 一、总体情况 against the tables.

    A count that matches one of its readings passes; one whose every reading
    involves a blank cell is *not assessable*; otherwise the finding quotes
    the sentence and gives the table's figure as ``expected``. ``values`` are
    the report's cell values in form order when the caller has them
    (:func:`~govdisclosure.model.cell_values`).
    """
    if report.overview is None:
        return
    severity = _T1.severity
    at = positions(report.edition)
    for quote in quotes(report.overview.body):
        readings = quoted_cells(quote.quantity, report.edition)
        if not readings:
            continue
        if values is None:
            values = cell_values(report)
        sums: list[tuple[tuple[CellRef, ...], int]] = []
        blank_readings: list[tuple[CellRef, ...]] = []
        for refs in readings:
            cells = [values[at[ref]] for ref in refs]
            numbers = [int(v) for v in cells if not isinstance(v, Blank)]
            if len(numbers) < len(cells):
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
