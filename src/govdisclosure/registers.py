"""Tables 三 and 四 built from an office's case registers.

Offices keep a register of applications (依申请公开登记台账): one row per
application, with the applicant type, whether it was received this year or
carried over from last year, and its outcome (or still open). They keep one of
review and litigation cases too. :func:`applications_from_cases` and
:func:`appeals_from_cases` count them into tables 三 and 四, so that every
identity (I1–I4) holds by construction. :func:`read_application_register` and
:func:`read_appeal_register` read such registers as CSV text with a header in
Chinese or English (``docs/registers.md``), reporting every bad line.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar, overload

import attrs

from .errors import Problem, ReadError
from .model._normalise import strip_enumerator
from .model.cells import CellRef
from .model.labels import (
    APPLICANTS,
    REGISTER_APPEAL_KINDS,
    REGISTER_APPEAL_OUTCOMES,
    REGISTER_APPLICANTS,
    REGISTER_INTAKES,
    REGISTER_OPEN,
    REGISTER_OUTCOMES,
    key,
)
from .model.report import Edition, Report2019, Report2021
from .model.schema import build_report, form
from .model.tables import AppealRow, Appeals, Applications2019, Applications2021

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


# --- reading CSV registers ------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）])?(?:\d+[.、．,]?)?")
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
_QUOTES = str.maketrans("", "", "\"'")  # key() folds curly quotes to these


def _norm(text: str) -> str:
    """A register value or header as compared: the lexicon's key, without
    quotes, in lower case."""
    return key(text).translate(_QUOTES)


def _bare(label: str) -> str:
    """A label without its numbering and bracketed notes (``部分公开``)."""
    return _PAREN.sub("", _NUMBERING.sub("", _norm(label)))


E = TypeVar("E", bound=enum.Enum)


def _aliases(pairs: Iterable[tuple[E, Iterable[str]]]) -> dict[str, E]:
    out: dict[str, E] = {}
    for member, names in pairs:
        for name in names:
            for form_ in {_norm(name), _bare(name)}:
                if form_:
                    out[form_] = member
    return out


_APPLICANT_NAMES = _aliases(
    (t, (t.label, t.value, t.name, *REGISTER_APPLICANTS.get(t.value, ())))
    for t in ApplicantType
)
_INTAKE_NAMES = _aliases((i, REGISTER_INTAKES[i.value]) for i in Intake)
_OUTCOME_NAMES = _aliases(
    (o, (o.label, o.value, o.value.rsplit(".", 1)[-1], o.name,
         *REGISTER_OUTCOMES.get(o.value, ()),
         # the 2019 edition's one row of other handling names the third kind
         *(REGISTER_OUTCOMES["other_handling"] if o is Outcome.OTHER_HANDLING else ())))
    for o in Outcome
)
_OPEN = {_norm(t) for t in REGISTER_OPEN}
_KIND_NAMES = _aliases((k, REGISTER_APPEAL_KINDS[k.value]) for k in AppealKind)
_APPEAL_OUTCOME_NAMES = _aliases(
    (o, REGISTER_APPEAL_OUTCOMES[o.value]) for o in AppealOutcome
)


@attrs.frozen(slots=True)
class _Column:
    """A register column: key, Chinese and English header, and other accepted headers."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.zh, self.en, self.key, *self.aliases)}


#: The columns of an application register: (key, Chinese header, English header).
APPLICATION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "编号", "id"),
    ("applicant", "申请人类型", "applicant_type"),
    ("intake", "收案类别", "intake"),
    ("outcome", "办理结果", "outcome"),
)
#: The columns of a review and litigation register.
APPEAL_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "编号", "id"),
    ("kind", "案件类型", "case_type"),
    ("outcome", "审理结果", "outcome"),
)
_APPLICATION_ALIASES = {
    "id": ("序号", "登记编号", "申请编号", "case_id", "no"),
    "applicant": ("申请人类别", APPLICANTS, "applicant"),
    "intake": ("来源", "收案情况"),
    "outcome": ("处理结果", "答复结果", "result"),
}
_APPEAL_ALIASES = {
    "id": ("序号", "案号", "case_id", "no"),
    "kind": ("类型", "案件类别", "kind"),
    "outcome": ("结果", "办理结果", "案件结果", "result"),
}


def _columns(
    spec: tuple[tuple[str, str, str], ...], aliases: Mapping[str, tuple[str, ...]]
) -> tuple[_Column, ...]:
    return tuple(_Column(k, zh, en, aliases.get(k, ())) for k, zh, en in spec)


def _choices(
    members: Iterable[enum.Enum], labels: Callable[[enum.Enum], str]
) -> tuple[str, str]:
    """The values a column takes, said in English and in Chinese."""
    members = list(members)
    zh = "、".join(labels(m) for m in members)
    en = ", ".join(str(m.value) for m in members)
    return f"{zh} (or {en})", f"{zh}（或 {en}）"


@attrs.frozen(slots=True)
class _Row:
    line: int
    fields: Mapping[str, tuple[int, str]]  # key -> (1-based field number, text)


def _rows(
    text: str, columns: tuple[_Column, ...], problems: list[Problem]
) -> list[_Row]:
    """The data rows of a register, by column key; header problems are collected."""
    text = text.removeprefix("\ufeff")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: dict[str, int] | None = None
    header_line = 0
    rows: list[_Row] = []
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header_line = start
                header = _header(record, columns, start, problems)
                if header is None:
                    return []
                continue
            fields: dict[str, tuple[int, str]] = {}
            short: list[str] = []
            for key, index in header.items():
                if index < len(record):
                    fields[key] = (index + 1, record[index].strip())
                else:
                    short.append(key)
            if short:
                names = ", ".join(_column(columns, k).zh for k in short)
                problems.append(Problem(
                    message=f"the row has {len(record)} fields, but the header (line "
                    f"{header_line}) puts {names} further right; expected a value for "
                    f"every column",
                    message_zh=f"该行只有 {len(record)} 个字段，但表头（第 {header_line} 行）"
                    f"中 {names} 在更右边；每一列都应有值",
                    line=start,
                ))
                continue
            rows.append(_Row(start, fields))
    except csv.Error as error:
        problems.append(Problem(
            message=f"not valid CSV ({error}); expected comma-separated fields, with "
            "double quotes around any field that holds a comma or a line break",
            message_zh="不是有效的 CSV：字段应以逗号分隔，含逗号或换行的字段应加双引号",
            line=last + 1,
        ))
    if header is None and not problems:
        problems.append(Problem(
            message="the register is empty; expected a header row naming the columns "
            + ", ".join(f"{c.zh} ({c.en})" for c in columns),
            message_zh="登记是空的；应有一行表头，列出"
            + "、".join(f"{c.zh}（{c.en}）" for c in columns),
            line=1,
        ))
    return rows


def _column(columns: tuple[_Column, ...], key: str) -> _Column:
    return next(c for c in columns if c.key == key)


def _header(
    record: list[str], columns: tuple[_Column, ...], line: int, problems: list[Problem]
) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(record):
        name = _norm(cell)
        for column in columns:
            if name in column.names():
                if column.key in found:
                    problems.append(Problem(
                        message=f"column {column.zh} ({column.en}) appears twice in the "
                        f"header (fields {found[column.key] + 1} and {index + 1})",
                        message_zh=f"表头中 {column.zh}（{column.en}）列出现两次（第 "
                        f"{found[column.key] + 1} 和第 {index + 1} 个字段）",
                        line=line, column=index + 1,
                    ))
                found[column.key] = index
    missing = [c for c in columns if c.key not in found]
    if missing:
        problems.append(Problem(
            message="the header has no column "
            + ", ".join(f"{c.zh} ({c.en})" for c in missing)
            + f"; found {', '.join(repr(c) for c in record)}",
            message_zh="表头缺少"
            + "、".join(f"{c.zh}（{c.en}）" for c in missing)
            + f"列；表头为 {'、'.join(repr(c) for c in record)}",
            line=line,
        ))
        return None
    return found


def _value(
    row: _Row, column: _Column, names: Mapping[str, E], expected: tuple[str, str],
    problems: list[Problem],
) -> E | None:
    index, text = row.fields[column.key]
    found = names.get(_norm(text)) or names.get(_bare(text))
    if found is None:
        what = f"unknown value {text!r}" if text else "no value"
        what_zh = f"无法识别的值 {text!r}" if text else "没有值"
        problems.append(Problem(
            message=f"column {column.zh} ({column.en}): {what}; expected one of {expected[0]}",
            message_zh=f"{column.zh}（{column.en}）列：{what_zh}；应为以下之一：{expected[1]}",
            line=row.line, column=index,
        ))
    return found


def _label(member: enum.Enum) -> str:
    label: str = getattr(member, "label")  # noqa: B009  # every register enum has one
    return label


_APPLICANT_CHOICES = _choices(ApplicantType, _label)
_INTAKE_CHOICES = _choices(Intake, _label)


def _outcome_name(row: str) -> str:
    """An outcome row's label without its enumerator and its note (``部分公开``)."""
    label = strip_enumerator(key(form("2019").row("applications", row).label))
    return label.split("(", 1)[0]


_OUTCOME_EXAMPLES = tuple(map(_outcome_name, (
    "granted", "partially_granted", "withheld.state_secret", "unavailable.not_held",
    "not_processed.duplicate", "other_handling")))
_OUTCOME_CHOICES = (
    "the label of an outcome row of table 三 (" + ", ".join(_OUTCOME_EXAMPLES) + "…) or its key "
    "(granted, withheld.state_secret, …), or empty while the application is open",
    "表三某一办理结果行的名称（" + "、".join(_OUTCOME_EXAMPLES) + "……）或其键"
    "（granted、withheld.state_secret……），尚在办理的留空",
)
_KIND_CHOICES = (
    "行政复议、未经复议直接起诉、复议后起诉 (or review, litigation_direct, "
    "litigation_after_review)",
    "行政复议、未经复议直接起诉、复议后起诉（或 review、litigation_direct、"
    "litigation_after_review）",
)
_APPEAL_OUTCOME_CHOICES = (_choices(AppealOutcome, _label)[0] + " or empty while pending",
                           _choices(AppealOutcome, _label)[1] + "，案件未结的留空")


def _ids(rows: list[_Row], problems: list[Problem]) -> dict[int, str]:
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for row in rows:
        index, case_id = row.fields["id"]
        if not case_id:
            problems.append(Problem(
                message="column 编号 (id) is empty; expected the case's number",
                message_zh="编号（id）列为空；应填案件编号",
                line=row.line, column=index,
            ))
            continue
        if case_id in seen:
            problems.append(Problem(
                message=f"case {case_id!r} appears again (first on line {seen[case_id]}); "
                "expected each case once",
                message_zh=f"案件 {case_id!r} 重复出现（首次在第 {seen[case_id]} 行）；"
                "每个案件只应登记一次",
                line=row.line, column=index,
            ))
            continue
        seen[case_id] = row.line
        out[row.line] = case_id
    return out


T = TypeVar("T")


def _read(
    text: str, spec: tuple[tuple[str, str, str], ...], aliases: Mapping[str, tuple[str, ...]],
    make: Callable[[_Row, tuple[_Column, ...], list[Problem]], T | None], source: str | None,
) -> tuple[T, ...]:
    columns = _columns(spec, aliases)
    problems: list[Problem] = []
    rows = _rows(text, columns, problems)
    ids = _ids(rows, problems)
    out: list[T] = []
    for row in rows:
        case = make(row, columns, problems)
        if case is not None and row.line in ids:
            out.append(case)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise ReadError(problems, source)
    return tuple(out)


def read_application_register(
    text: str, *, source: str | None = None
) -> tuple[ApplicationCase, ...]:
    """Read an application register from CSV text (``docs/registers.md``).

    The first non-empty row is the header; it must name the columns 编号 (id),
    申请人类型 (applicant_type), 收案类别 (intake) and 办理结果 (outcome), in
    Chinese or English, in any order; other columns are ignored. Raises
    :class:`ReadError` with a :class:`Problem` for every bad line.
    """
    def make(
        row: _Row, columns: tuple[_Column, ...], problems: list[Problem]
    ) -> ApplicationCase | None:
        applicant = _value(row, _column(columns, "applicant"), _APPLICANT_NAMES,
                           _APPLICANT_CHOICES, problems)
        intake = _value(row, _column(columns, "intake"), _INTAKE_NAMES, _INTAKE_CHOICES,
                        problems)
        outcome: Outcome | None = None
        if _norm(row.fields["outcome"][1]) not in _OPEN:
            outcome = _value(row, _column(columns, "outcome"), _OUTCOME_NAMES,
                             _OUTCOME_CHOICES, problems)
            if outcome is None:
                return None
        if applicant is None or intake is None:
            return None
        return ApplicationCase(id=row.fields["id"][1], applicant=applicant, intake=intake,
                               outcome=outcome, line=row.line)

    return _read(text, APPLICATION_COLUMNS, _APPLICATION_ALIASES, make, source)


def read_appeal_register(text: str, *, source: str | None = None) -> tuple[AppealCase, ...]:
    """Read a review and litigation register from CSV text (``docs/registers.md``).

    The header must name 编号 (id), 案件类型 (case_type) and 审理结果 (outcome);
    an empty outcome means the case is still pending (尚未审结). Raises
    :class:`ReadError` with a :class:`Problem` for every bad line.
    """
    def make(
        row: _Row, columns: tuple[_Column, ...], problems: list[Problem]
    ) -> AppealCase | None:
        kind = _value(row, _column(columns, "kind"), _KIND_NAMES, _KIND_CHOICES, problems)
        outcome: AppealOutcome | None = AppealOutcome.PENDING
        if _norm(row.fields["outcome"][1]):
            outcome = _value(row, _column(columns, "outcome"), _APPEAL_OUTCOME_NAMES,
                             _APPEAL_OUTCOME_CHOICES, problems)
        if kind is None or outcome is None:
            return None
        return AppealCase(id=row.fields["id"][1], kind=kind, outcome=outcome, line=row.line)

    return _read(text, APPEAL_COLUMNS, _APPEAL_ALIASES, make, source)
