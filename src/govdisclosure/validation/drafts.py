"""Text a draft has not written yet: the placeholders of ``new`` and ``template``.

An office fills in the report ``govdisclosure new`` wrote; a placeholder left
(``【请填写：…】``) is text not written. Readers of text, pages, Word and PDF
report each such line (``read-placeholder``, with its line); for reports that
come without lines (JSON, the library's own pages) :func:`placeholder_findings`
names the part of the report that still holds one.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.findings import Finding, Severity
from ..model.labels import PLACEHOLDER
from ..model.report import SECTION_HEADINGS, Report

__all__ = ["placeholder_findings"]


def _parts(report: Report) -> list[tuple[str, str, str]]:
    """Each part of the report's text: its name in Chinese, in English, its text."""
    parts = [("标题", "the title", report.title or ""),
             ("引言", "the introduction", report.introduction)]
    for name, heading in SECTION_HEADINGS.items():
        section = getattr(report, name)
        if section is not None:
            parts.append((heading, f"section {heading[0]}", section.body))
    return parts


def placeholder_findings(report: Report, read: Sequence[Finding]) -> tuple[Finding, ...]:
    """``read-placeholder`` for each part of ``report`` that still holds a
    placeholder, unless its reader (``read``: its findings) reported them line
    by line."""
    parts = _parts(report)
    if not any(PLACEHOLDER in text for _, _, text in parts):
        return ()
    if any(f.rule == "read-placeholder" for f in read):
        return ()
    return tuple(
        Finding(rule="read-placeholder", severity=Severity.WARNING,
                actual=text[text.index(PLACEHOLDER):].split("】", 1)[0] + "】",
                message=f"{zh}仍有待填写的占位文字",
                message_en=f"{en} still holds a placeholder to be filled in")
        for zh, en, text in parts if PLACEHOLDER in text
    )
