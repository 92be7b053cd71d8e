"""Cases in an office's registers, and counting them into tables 三 and 四.

An application is counted in its applicant type's column by its intake and its
outcome (or as carried forward while open); a review or lawsuit in its group's
outcome column. Counting builds the tables through the form, so every identity
(I1–I4) holds by construction.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Literal, TypeVar, overload

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model.cells import CellRef
from ..model.labels import REGISTER_INTAKES
from ..model.report import Edition, Report2019, Report2021
from ..model.schema import build_report, form
from ..model.tables import AppealRow, Appeals, Applications2019, Applications2021


class ApplicantType(enum.Enum):
    """Who applied: the columns of table 三 (value: the column key)."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICES = "legal_services"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The official Chinese label (``自然人``)."""
        return form("2021").row("applications", "received").column(self.value).label


class Intake(enum.Enum):
    """How an application entered the year: received this year or carried over."""

    RECEIVED = "received"
    CARRIED_OVER = "carried_over"

    @property
    def label(self) -> str:
        """The Chinese name used in registers (``本年新收``, ``上年结转``)."""
        return REGISTER_INTAKES[self.value][0]


class Outcome(enum.Enum):
    """How an application was handled: an outcome row of table 三 (value: its 2021 key).

    In the 2019 edition the three kinds of other handling are one row,
    ``other_handling``; :func:`applications_from_cases` counts them there.
    """

    GRANTED = "granted"
    PARTIALLY_GRANTED = "partially_granted"
    STATE_SECRET = "withheld.state_secret"
    PROHIBITED_BY_LAW = "withheld.prohibited_by_law"
    SECURITY_STABILITY = "withheld.security_stability"
    THIRD_PARTY_RIGHTS = "withheld.third_party_rights"
    INTERNAL_AFFAIRS = "withheld.internal_affairs"
    PROCESS_INFORMATION = "withheld.process_information"
    ENFORCEMENT_FILES = "withheld.enforcement_files"
    QUERY_MATTERS = "withheld.query_matters"
    NOT_HELD = "unavailable.not_held"
    NEEDS_CREATION = "unavailable.needs_creation"
    STILL_UNCLEAR = "unavailable.still_unclear"
    PETITION = "not_processed.petition"
    DUPLICATE = "not_processed.duplicate"
    PUBLICATION = "not_processed.publication"
    EXCESSIVE = "not_processed.excessive"
    CONFIRMATION = "not_processed.confirmation"
    NO_CORRECTION = "other_handling.no_correction"
    FEE_UNPAID = "other_handling.fee_unpaid"
    OTHER_HANDLING = "other_handling.other"

    @property
    def label(self) -> str:
        """The official Chinese label of the row (``1.属于国家秘密``)."""
        return form("2021").row("applications", self.value).label

    def row(self, edition: Edition) -> str:
        """The row key of table 三 this outcome is counted in, in ``edition``."""
        if edition == "2019" and self.value.startswith("other_handling."):
            return "other_handling"
        return self.value


class AppealKind(enum.Enum):
    """Which group of table 四 a case belongs to (value: the row key)."""

    REVIEW = "review"
    LITIGATION_DIRECT = "litigation_direct"
    LITIGATION_AFTER_REVIEW = "litigation_after_review"

    @property
    def label(self) -> str:
        """The official Chinese label (``行政复议``, ``行政诉讼/未经复议直接起诉``)."""
        return form("2021").row("appeals", self.value).label


class AppealOutcome(enum.Enum):
    """How a review or lawsuit ended, or that it is still pending (value: the column key)."""

    UPHELD = "upheld"
    CORRECTED = "corrected"
    OTHER = "other"
    PENDING = "pending"

    @property
    def label(self) -> str:
        """The official Chinese label (``结果维持``)."""
        return form("2021").row("appeals", "review").column(self.value).label


@attrs.frozen(kw_only=True, slots=True)
class ApplicationCase:
    """One application in the register.

    ``outcome`` is ``None`` while the application is still open at the end of
    the year (it is then carried forward). ``line`` is the register line it was
    read from, when read from CSV.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    id: str
    applicant: ApplicantType
    intake: Intake = Intake.RECEIVED
    outcome: Outcome | None = None
    line: int | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True, slots=True)
class AppealCase:
    """One administrative review or lawsuit about the body's disclosure work.

    Count only cases against this body's own decisions: where a review body is
    co-defendant, the case belongs to the original acting body
    (国办公开办函〔2016〕201号).
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    id: str
    kind: AppealKind
    outcome: AppealOutcome = AppealOutcome.PENDING
    line: int | None = attrs.field(default=None, eq=False)


def _check_ids(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    twice: list[str] = []
    for case_id in ids:
        if case_id in seen:
            twice.append(case_id)
        seen.add(case_id)
    if twice:
        raise ValueError(
            f"{what} {', '.join(sorted(set(twice)))} appear more than once: each case is "
            "counted once"
        )


@overload
def applications_from_cases(
    cases: Iterable[ApplicationCase], edition: Literal["2019"]
) -> Applications2019: ...
@overload
def applications_from_cases(
    cases: Iterable[ApplicationCase], edition: Literal["2021"]
) -> Applications2021: ...
@overload
def applications_from_cases(
    cases: Iterable[ApplicationCase], edition: Edition
) -> Applications2019 | Applications2021: ...
def applications_from_cases(
    cases: Iterable[ApplicationCase], edition: Edition
) -> Applications2019 | Applications2021:
    """Count the application register into table 三 of ``edition``.

    Every case is counted in its applicant type's column and in 总计: in row
    一 or 二 by its intake, and in its outcome row and （七）总计 when it has an
    outcome, or in row 四 (carried forward) while still open. Raises
    :class:`ValueError` when a case id appears twice.
    """
    cases = list(cases)
    _check_ids((c.id for c in cases), "application ids")
    table = form(edition).table("applications")
    counts: dict[CellRef, int] = {ref: 0 for row in table.rows for ref in row.refs()}
    for case in cases:
        rows = [case.intake.value]
        rows += ["carried_forward"] if case.outcome is None else [
            case.outcome.row(edition), "total_handled"
        ]
        for row in rows:
            for column in (case.applicant.value, "total"):
                ref = CellRef("applications", row, column)
                counts[ref] += 1
    tables = build_report(edition, counts)
    return tables.applications


def appeals_from_cases(cases: Iterable[AppealCase]) -> Appeals:
    """Count the review and litigation register into table 四.

    Each case counts in its group's outcome column and 总计. Raises
    :class:`ValueError` when a case id appears twice.
    """
    cases = list(cases)
    _check_ids((c.id for c in cases), "case ids")
    counts: dict[str, dict[str, int]] = {
        k.value: {o.value: 0 for o in AppealOutcome} for k in AppealKind
    }
    for case in cases:
        counts[case.kind.value][case.outcome.value] += 1
    rows = {kind: AppealRow(**values, total=sum(values.values()))
            for kind, values in counts.items()}
    return Appeals(review=rows["review"], litigation_direct=rows["litigation_direct"],
                   litigation_after_review=rows["litigation_after_review"])


R = TypeVar("R", bound=Report2019 | Report2021)


def with_registers(
    report: R,
    *,
    applications: Iterable[ApplicationCase] | None = None,
    appeals: Iterable[AppealCase] | None = None,
) -> R:
    """A copy of ``report`` with table 三 and/or 四 counted from registers.

    Table 三 is counted in the report's own edition; a table whose register is
    not given is left as it was.
    """
    changes: dict[str, Any] = {}
    if applications is not None:
        changes["applications"] = applications_from_cases(applications, report.edition)
    if appeals is not None:
        changes["appeals"] = appeals_from_cases(appeals)
    return attrs.evolve(report, **changes)
