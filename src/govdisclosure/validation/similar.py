"""S1: a report copied from the same body's previous report.

The sections are compared one by one (character-trigram similarity, numbers
ignored) and the tables cell by cell. :func:`check_similar` makes the
findings; ``validate_prose`` and ``validate_series`` run it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model._normalise import sentence_key
from ..model.cells import Blank, CellRef
from ..model.findings import Finding, Status
from ..model.report import Report
from ..model.schema import form, get_cell, iter_cells
from .catalogue import rule

__all__ = [
    "S1_MIN_CHARS",
    "S1_MIN_NONZERO",
    "S1_THRESHOLD",
    "SectionSimilarity",
    "Similarity",
    "check_similar",
    "report_similarity",
    "similarity",
]

#: S1 fires when the sections' similarity reaches this figure (0 to 1).
S1_THRESHOLD = 0.9
#: S1 compares text only when the sections compared hold at least this many
#: characters: two reports that both say ``无。`` are not copies.
S1_MIN_CHARS = 100
#: S1 calls identical tables a copy only when at least this many cells are not
#: 0: a small office that received nothing prints the same zeros every year.
S1_MIN_NONZERO = 3

_DIGITS = re.compile(r"\d+")


def _grams(text: str) -> set[str]:
    norm = _DIGITS.sub("#", sentence_key(text))
    if len(norm) < 3:
        return {norm} if norm else set()
    return {norm[i:i + 3] for i in range(len(norm) - 2)}


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same).

    The Jaccard index of their character trigrams on their keys (the lexicon's
    :func:`~govdisclosure.model._normalise.sentence_key`: full-width forms,
    traditional characters and whitespace folded as for labels) with every
    number read as the same token, so that a copy with this
    year's figures pasted in still counts as a copy. Two empty texts are 1.
    """
    ga, gb = _grams(a), _grams(b)
    if not ga and not gb:
        return 1.0
    return len(ga & gb) / len(ga | gb)


@attrs.frozen(kw_only=True, slots=True)
class SectionSimilarity:
    """One section's similarity, and how many characters it weighs."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    section: str
    similarity: float
    weight: int


@attrs.frozen(kw_only=True, slots=True)
class Similarity:
    """How alike two reports are: per section, overall, and in their tables.

    ``overall`` is the mean of the sections' figures weighted by their length
    (``None`` when no section holds text in both); ``tables_identical`` is
    true when every number of the tables both reports have is the same and at
    least :data:`S1_MIN_NONZERO` of them are not 0.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    sections: tuple[SectionSimilarity, ...]
    overall: float | None
    weight: int
    tables_identical: bool


_SECTIONS = ("introduction", "overview", "problems", "other_matters")
_SECTION_NAMES = {"introduction": ("引言", "introduction"), "overview": ("一", "section 一"),
                  "problems": ("五", "section 五"), "other_matters": ("六", "section 六")}


def _section_text(report: Report, name: str) -> str:
    value = getattr(report, name)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value.body)


def _comparable_cells(report: Report, previous: Report) -> list[CellRef]:
    tables = ("active", "applications", "appeals") if report.edition == previous.edition \
        else ("applications", "appeals")
    other = set(form(previous.edition).refs())
    return [ref for ref, _ in iter_cells(report) if ref.table in tables and ref in other]


def report_similarity(report: Report, previous: Report) -> Similarity:
    """Compare two reports section by section and table by table (for S1)."""
    parts: list[SectionSimilarity] = []
    for name in _SECTIONS:
        a, b = _section_text(report, name), _section_text(previous, name)
        weight = max(len(sentence_key(a)), len(sentence_key(b)))
        if not a.strip() or not b.strip():
            continue
        parts.append(SectionSimilarity(section=name, similarity=similarity(a, b), weight=weight))
    weight = sum(p.weight for p in parts)
    overall = sum(p.similarity * p.weight for p in parts) / weight if weight else None
    refs = _comparable_cells(report, previous)
    nonzero = 0
    identical = bool(refs)
    for ref in refs:
        x, y = get_cell(report, ref), get_cell(previous, ref)
        if isinstance(x, Blank) or isinstance(y, Blank) or x != y:
            identical = False
            break
        if x != 0:
            nonzero += 1
    return Similarity(sections=tuple(parts), overall=overall, weight=weight,
                      tables_identical=identical and nonzero >= S1_MIN_NONZERO)


def _label(report: Report) -> str:
    year = f"{report.year}年" if report.year is not None else "年份不详"
    return f"{report.agency} {year}" if report.agency else f"报告 {year}"


def check_similar(
    report: Report,
    previous: Report,
    *,
    labels: tuple[str, str] | None = None,
    threshold: float = S1_THRESHOLD,
) -> Iterator[Finding]:
    """S1: whether ``report`` copies ``previous`` (the same body's report of the year before).

    ``labels`` name the two reports in findings, previous first. Yields one
    finding for the text (with the similarity figure, rounded to two places,
    in ``actual`` and each section's figure in the message) and one for the
    tables, each only when it fires.
    """
    earlier, later = labels if labels is not None else (_label(previous), _label(report))
    sim = report_similarity(report, previous)
    severity = rule("S1").severity
    if sim.overall is not None and sim.weight >= S1_MIN_CHARS and sim.overall >= threshold:
        figure = Decimal(sim.overall).quantize(Decimal("0.01"))
        detail_zh = "，".join(
            f"{_SECTION_NAMES[p.section][0]} {p.similarity:.2f}" for p in sim.sections
        )
        detail_en = ", ".join(
            f"{_SECTION_NAMES[p.section][1]} {p.similarity:.2f}" for p in sim.sections
        )
        yield Finding(
            rule="S1", severity=severity, status=Status.FAILED,
            expected=Decimal(str(threshold)), actual=figure, reports=(earlier, later),
            message=f"{later} 与 {earlier} 的文字相似度为 {sim.overall:.2f}（{detail_zh}），"
            "内容雷同",
            message_en=f"{later} reads like {earlier}: text similarity {sim.overall:.2f} "
            f"({detail_en})",
        )
    if sim.tables_identical:
        yield Finding(
            rule="S1", severity=severity, status=Status.FAILED,
            expected="different numbers", actual="identical numbers",
            reports=(earlier, later),
            message=f"{later} 表格中的数字与 {earlier} 完全相同",
            message_en=f"every number in the tables of {later} is the same as in {earlier}",
        )
