"""Tables 三 and 四 built from an office's case registers.

Offices keep a register of applications (依申请公开登记台账): one row per
application, with the applicant type, whether it was received this year or
carried over from last year, and its outcome (or still open). They keep one of
review and litigation cases too. :func:`applications_from_cases` and
:func:`appeals_from_cases` count them into tables 三 and 四, so that every
identity (I1–I4) holds by construction. :func:`read_application_register` and
:func:`read_appeal_register` read such registers as CSV text with a header in
Chinese or English (``docs/registers.md``), reporting every bad line.

The package's modules: :mod:`._cases` (what a case is, and counting cases into
the tables), :mod:`._vocabulary` (a register's columns and the names its
values may take, in Chinese and English) and :mod:`._reading` (reading CSV
registers, collecting every problem).
"""

from __future__ import annotations

from ._cases import (
    AppealCase,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    ApplicationCase,
    Intake,
    Outcome,
    appeals_from_cases,
    applications_from_cases,
    with_registers,
)
from ._reading import read_appeal_register, read_application_register
from ._vocabulary import APPEAL_COLUMNS, APPLICATION_COLUMNS

__all__ = [
    "APPEAL_COLUMNS",
    "APPLICATION_COLUMNS",
    "AppealCase",
    "AppealKind",
    "AppealOutcome",
    "ApplicantType",
    "ApplicationCase",
    "Intake",
    "Outcome",
    "appeals_from_cases",
    "applications_from_cases",
    "read_appeal_register",
    "read_application_register",
    "with_registers",
]
