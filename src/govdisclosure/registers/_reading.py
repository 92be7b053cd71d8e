"""Reading registers from CSV (or tab-separated) text, every problem collected.

The first non-empty row is the header, naming the columns in Chinese or English
in any order; each later row is a case. A bad header, a short row, an unknown
or missing value and a repeated case id are each a :class:`~..errors.Problem`
with its line and field; any problem raises one :class:`~..errors.ReadError`
listing them all.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Mapping
from typing import TypeVar

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..errors import Problem, ReadError
from ._cases import AppealCase, AppealOutcome, ApplicationCase, Outcome
from ._vocabulary import (
    APPEAL_ALIASES,
    APPEAL_COLUMNS,
    APPEAL_OUTCOME_CHOICES,
    APPEAL_OUTCOME_NAMES,
    APPLICANT_CHOICES,
    APPLICANT_NAMES,
    APPLICATION_ALIASES,
    APPLICATION_COLUMNS,
    INTAKE_CHOICES,
    INTAKE_NAMES,
    KIND_CHOICES,
    KIND_NAMES,
    OPEN_NAMES,
    OUTCOME_CHOICES,
    OUTCOME_NAMES,
    Column,
    bare,
    norm,
    register_columns,
)

E = TypeVar("E", bound=enum.Enum)


@attrs.frozen(slots=True)
class _Row:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    line: int
    fields: Mapping[str, tuple[int, str]]  # key -> (1-based field number, text)


def _rows(
    text: str, columns: tuple[Column, ...], problems: list[Problem]
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


def _column(columns: tuple[Column, ...], key: str) -> Column:
    return next(c for c in columns if c.key == key)


def _header(
    record: list[str], columns: tuple[Column, ...], line: int, problems: list[Problem]
) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(record):
        name = norm(cell)
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
    row: _Row, column: Column, names: Mapping[str, E], expected: tuple[str, str],
    problems: list[Problem],
) -> E | None:
    index, text = row.fields[column.key]
    found = names.get(norm(text)) or names.get(bare(text))
    if found is None:
        what = f"unknown value {text!r}" if text else "no value"
        what_zh = f"无法识别的值 {text!r}" if text else "没有值"
        problems.append(Problem(
            message=f"column {column.zh} ({column.en}): {what}; expected one of {expected[0]}",
            message_zh=f"{column.zh}（{column.en}）列：{what_zh}；应为以下之一：{expected[1]}",
            line=row.line, column=index,
        ))
    return found


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
    make: Callable[[_Row, tuple[Column, ...], list[Problem]], T | None], source: str | None,
) -> tuple[T, ...]:
    columns = register_columns(spec, aliases)
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
        row: _Row, columns: tuple[Column, ...], problems: list[Problem]
    ) -> ApplicationCase | None:
        applicant = _value(row, _column(columns, "applicant"), APPLICANT_NAMES,
                           APPLICANT_CHOICES, problems)
        intake = _value(row, _column(columns, "intake"), INTAKE_NAMES, INTAKE_CHOICES,
                        problems)
        outcome: Outcome | None = None
        if norm(row.fields["outcome"][1]) not in OPEN_NAMES:
            outcome = _value(row, _column(columns, "outcome"), OUTCOME_NAMES,
                             OUTCOME_CHOICES, problems)
            if outcome is None:
                return None
        if applicant is None or intake is None:
            return None
        return ApplicationCase(id=row.fields["id"][1], applicant=applicant, intake=intake,
                               outcome=outcome, line=row.line)

    return _read(text, APPLICATION_COLUMNS, APPLICATION_ALIASES, make, source)


def read_appeal_register(text: str, *, source: str | None = None) -> tuple[AppealCase, ...]:
    """Read a review and litigation register from CSV text (``docs/registers.md``).

    The header must name 编号 (id), 案件类型 (case_type) and 审理结果 (outcome);
    an empty outcome means the case is still pending (尚未审结). Raises
    :class:`ReadError` with a :class:`Problem` for every bad line.
    """
    def make(
        row: _Row, columns: tuple[Column, ...], problems: list[Problem]
    ) -> AppealCase | None:
        kind = _value(row, _column(columns, "kind"), KIND_NAMES, KIND_CHOICES, problems)
        outcome: AppealOutcome | None = AppealOutcome.PENDING
        if norm(row.fields["outcome"][1]):
            outcome = _value(row, _column(columns, "outcome"), APPEAL_OUTCOME_NAMES,
                             APPEAL_OUTCOME_CHOICES, problems)
        if kind is None or outcome is None:
            return None
        return AppealCase(id=row.fields["id"][1], kind=kind, outcome=outcome, line=row.line)

    return _read(text, APPEAL_COLUMNS, APPEAL_ALIASES, make, source)
