"""The only cattrs configuration: reports to and from plain Python data.

The plain form is the JSON document of ``docs/json.md``: tables nested as the
data dictionary, counts as integers, amounts as decimal strings (exact), a
blank cell as ``null`` and a non-numeric cell as ``{"printed": "/"}``.
Unknown keys are refused; every problem is reported with its JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from .errors import Problem, ReadError
from .model.cells import Amount, Blank, CellRef, CellSource, Count
from .model.report import EDITIONS, Report, Report2019, Report2021
from .model.schema import form

__all__ = ["DOCUMENT_FORMAT", "DOCUMENT_VERSION", "converter", "from_data", "to_data"]

#: The value of a document's ``"format"`` key.
DOCUMENT_FORMAT = "govdisclosure-report"
#: The version of the document layout; bumped on any incompatible change.
DOCUMENT_VERSION = 1

_HEADER_KEYS = ("format", "version", "edition")


def _structure_count(value: Any, _: Any) -> int | Blank:
    if value is None:
        return Blank("")
    if type(value) is int:
        return value
    if isinstance(value, dict) and set(value) == {"printed"} and isinstance(value["printed"], str):
        return Blank(value["printed"])
    raise ValueError(
        f"expected an integer, null for a blank cell or {{\"printed\": text}}, got {value!r}"
    )


def _structure_amount(value: Any, _: Any) -> Decimal | Blank:
    if value is None:
        return Blank("")
    if type(value) is int:
        return Decimal(value)
    if isinstance(value, str):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if amount.is_finite():
                return amount
    if isinstance(value, dict) and set(value) == {"printed"} and isinstance(value["printed"], str):
        return Blank(value["printed"])
    hint = " (amounts are written as strings to stay exact)" if isinstance(value, float) else ""
    raise ValueError(
        f"expected a decimal string such as \"52.15\", null or {{\"printed\": text}}, "
        f"got {value!r}{hint}"
    )


def _unstructure_value(value: int | Decimal | Blank) -> Any:
    if isinstance(value, Blank):
        return None if value.printed == "" else {"printed": value.printed}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _structure_ref(value: Any, _: Any) -> CellRef:
    if isinstance(value, str):
        parts = value.split("/")
        if len(parts) == 3 and all(parts):
            return CellRef(*parts)
    raise ValueError(f"expected a cell reference \"table/row/column\", got {value!r}")


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__} {value!r}")
    return value


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is not int:
        raise ValueError(f"expected an integer, got {type(value).__name__} {value!r}")
    return value


def _structure_provenance(value: Any, _: Any) -> dict[CellRef, CellSource]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object keyed by \"table/row/column\", got {value!r}")
    return {
        _structure_ref(k, CellRef): converter.structure(v, CellSource) for k, v in value.items()
    }


def _structure_finding_value(value: Any, _: Any) -> int | Decimal | str | None:
    if value is None or type(value) is int or isinstance(value, str):
        out: int | str | None = value
        return out
    raise ValueError(f"expected an integer, a string or null, got {value!r}")


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook_func(lambda t: t == Count, _structure_count)
    conv.register_structure_hook_func(lambda t: t == Amount, _structure_amount)
    conv.register_unstructure_hook_func(lambda t: t in (Count, Amount), _unstructure_value)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(CellRef, _structure_ref)
    conv.register_unstructure_hook(CellRef, str)
    conv.register_structure_hook_func(
        lambda t: t == Mapping[CellRef, CellSource], _structure_provenance
    )
    conv.register_unstructure_hook_func(
        lambda t: t == Mapping[CellRef, CellSource],
        lambda prov: {str(ref): conv.unstructure(src, CellSource) for ref, src in prov.items()},
    )
    conv.register_structure_hook_func(
        lambda t: t == (int | Decimal | str | None), _structure_finding_value
    )
    conv.register_unstructure_hook_func(
        lambda t: t == (int | Decimal | str | None),
        lambda v: str(v) if isinstance(v, Decimal) else v,
    )
    return conv


converter = _make_converter()


def to_data(report: Report) -> dict[str, Any]:
    """``report`` as plain Python data: the JSON document of ``docs/json.md``.

    Provenance, printed headings and reader findings are included only when
    the report has them, so a hand-built report gives a compact document.
    """
    data: dict[str, Any] = {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "edition": report.edition,
    }
    body = converter.unstructure(report, type(report))
    for optional in ("headings", "provenance", "read_findings"):
        if not body[optional]:
            del body[optional]
    data.update(body)
    return data


def _path(prefix: str, steps: list[Any]) -> str:
    out = prefix
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else f".{step}"
    return out


def _problems(error: BaseException, path: list[Any]) -> list[Problem]:
    # Walk cattrs' exception tree; each leaf becomes a Problem with its JSON path.
    if isinstance(error, ForbiddenExtraKeysError):
        return [
            Problem(message=f"unknown key {key!r}", path=_path("$", [*path, key]))
            for key in sorted(error.extra_fields)
        ]
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        out: list[Problem] = []
        if isinstance(error, ClassValidationError):
            grouped = error.group_exceptions()
            for exc, note in grouped[0]:
                out.extend(_problems(exc, [*path, note.name]))
        else:
            grouped2 = error.group_exceptions()
            for exc, inote in grouped2[0]:
                out.extend(_problems(exc, [*path, inote.index]))
        for exc in (grouped[1] if isinstance(error, ClassValidationError) else grouped2[1]):
            out.extend(_problems(exc, path))
        return out
    if isinstance(error, KeyError):
        return [Problem(message="required key is missing", path=_path("$", path))]
    return [Problem(message=str(error), path=_path("$", path))]


def from_data(data: Any, source: str | None = None) -> Report:
    """Build a report from plain Python data shaped as the JSON document.

    Raises :class:`ReadError` listing every problem with its JSON path.
    """
    if not isinstance(data, dict):
        raise ReadError(
            [Problem(message=f"expected a JSON object, got {type(data).__name__}", path="$")],
            source,
        )
    problems: list[Problem] = []
    if data.get("format") != DOCUMENT_FORMAT:
        problems.append(Problem(
            message=f"expected \"format\": \"{DOCUMENT_FORMAT}\", got {data.get('format')!r}",
            path="$.format",
        ))
    version = data.get("version")
    if version != DOCUMENT_VERSION:
        problems.append(Problem(
            message=f"unsupported document version {version!r}: this library reads "
            f"version {DOCUMENT_VERSION}",
            path="$.version",
        ))
    edition = data.get("edition")
    if edition not in EDITIONS:
        problems.append(Problem(
            message=f"expected an edition, one of {', '.join(map(repr, EDITIONS))}, got "
            f"{edition!r}",
            path="$.edition",
        ))
        raise ReadError(problems, source)
    body = {k: v for k, v in data.items() if k not in _HEADER_KEYS}
    cls: type[Report2019] | type[Report2021] = Report2019 if edition == "2019" else Report2021
    try:
        report: Report = converter.structure(body, cls)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as error:
        problems.extend(_problems(error, []))
        raise ReadError(problems, source) from None
    except (TypeError, ValueError) as error:  # a validator of the model refused a value
        problems.append(Problem(message=str(error), path="$"))
        raise ReadError(problems, source) from None
    if problems:
        raise ReadError(problems, source)
    known = set(form(report.edition).refs())
    stray = sorted(str(ref) for ref in report.provenance if ref not in known)
    if stray:
        raise ReadError(
            [Problem(message=f"no such cell in edition {edition}", path=f"$.provenance.{ref}")
             for ref in stray],
            source,
        )
    return report
