"""Findings: what a rule or a reader has to say about one place in a report."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from .cells import CellRef

__all__ = ["Finding", "Severity", "Status"]


class Severity(enum.StrEnum):
    """How much a finding matters: errors make a report fail a check."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


class Status(enum.StrEnum):
    """``failed``: the rule was checked and does not hold (or a reader met a
    problem). ``not_assessable``: a cell the rule needs is blank or not a
    number, so the rule neither passes nor fails."""

    FAILED = "failed"
    NOT_ASSESSABLE = "not_assessable"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True, slots=True)
class Finding:
    """One finding, with a stable rule id and a structured location.

    ``cells`` are the cells the rule involves; ``blanks`` the ones among them
    that held no number (set when ``status`` is ``not_assessable``).
    ``expected`` and ``actual`` are the two sides the rule compared.
    ``message`` is one sentence in Chinese naming the official labels,
    ``message_en`` the same in English. ``reports`` names the reports a
    finding across reports compares (series, roll-up), earlier first; it is
    empty for a finding about one report.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    rule: str
    severity: Severity
    status: Status = Status.FAILED
    table: str | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None
    cells: tuple[CellRef, ...] = ()
    blanks: tuple[CellRef, ...] = ()
    expected: int | Decimal | str | None = None
    actual: int | Decimal | str | None = None
    message: str = ""
    message_en: str = ""
    reports: tuple[str, ...] = ()

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.message_en if lang == "en" else self.message

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED

