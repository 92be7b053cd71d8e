"""The only cattrs configuration: reports to and from plain Python data.

The plain form is the JSON document of ``docs/json.md``: tables nested as the
data dictionary, counts as integers, amounts as decimal strings (exact), a
blank cell as ``null`` and a non-numeric cell as ``{"printed": "/"}``.
Unknown keys are refused; every problem is reported with its JSON path.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn

from .errors import Problem, ReadError
from .model.cells import Amount, Blank, CellRef, CellSource, Count
from .model.findings import Severity, Status
from .model.provenance import Provenance
from .model.report import EDITIONS, Edition, Report, Report2019, Report2021, Section
from .model.schema import assemble_report, form
from .model.tables import ExtraRow

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


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        known = ", ".join(repr(member.value) for member in cls)
        raise ValueError(f"expected one of {known}, got {value!r}") from None


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is not int:
        raise ValueError(f"expected an integer, got {type(value).__name__} {value!r}")
    return value


def _unstructure_source(src: CellSource) -> dict[str, Any]:
    # Only the fields that are set: most sources are just a line.
    out: dict[str, Any] = {}
    if src.line is not None:
        out["line"] = src.line
    if src.printed is not None:
        out["printed"] = src.printed
    if src.inferred_by is not None:
        out["inferred_by"] = src.inferred_by
    if src.page is not None:
        out["page"] = src.page
    if src.x is not None:
        out["x"] = src.x
    if src.y is not None:
        out["y"] = src.y
    return out


class _Nested(ValueError):
    """Problems found below the value a hook was given: ``(steps, error)`` pairs."""

    def __init__(self, items: list[tuple[list[Any], BaseException]]) -> None:
        super().__init__("; ".join(str(e) for _, e in items))
        self.items = items


def _structure_provenance(value: Any, _: Any) -> dict[CellRef, CellSource]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object keyed by \"table/row/column\", got {value!r}")
    out: dict[CellRef, CellSource] = {}
    errors: list[tuple[list[Any], BaseException]] = []
    for key, source in value.items():
        try:
            out[_structure_ref(key, CellRef)] = converter.structure(source, CellSource)
        except (ValueError, TypeError, cattrs.BaseValidationError,
                ForbiddenExtraKeysError) as error:
            errors.append(([key], error))
    if errors:
        raise _Nested(errors)
    return out


def _structure_finding_value(value: Any, _: Any) -> int | Decimal | str | None:
    if value is None or type(value) is int or isinstance(value, str):
        out: int | str | None = value
        return out
    if isinstance(value, dict) and set(value) == {"decimal"} and isinstance(value["decimal"], str):
        try:
            return Decimal(value["decimal"])
        except InvalidOperation:
            pass
    raise ValueError(
        f"expected an integer, a string, {{\"decimal\": \"1.5\"}} or null, got {value!r}"
    )


def _structure_strings(value: Any, _: Any) -> tuple[str, ...]:
    # cattrs would take a string as a sequence of one-character strings.
    if not isinstance(value, list):
        raise ValueError(f"expected a list of strings, got {type(value).__name__} {value!r}")
    errors = [([i], ValueError(f"expected a string, got {item!r}"))
              for i, item in enumerate(value) if not isinstance(item, str)]
    if errors:
        raise _Nested(errors)  # type: ignore[arg-type]  # ValueError is a BaseException
    return tuple(value)


def _objects_only(conv: cattrs.Converter) -> Callable[[type], Callable[[Any, Any], Any]]:
    # An attrs class is read from a JSON object only: anything else gets a
    # message instead of cattrs' AttributeError about ``.get``.
    def factory(cls: type) -> Callable[[Any, Any], Any]:
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                shown = repr(value)[:100]
                raise ValueError(f"expected an object, got {type(value).__name__} {shown}")
            return inner(value, cls)

        return structure

    return factory


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook_factory(attrs.has, _objects_only(conv))
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_strings)
    conv.register_structure_hook_func(lambda t: t == Count, _structure_count)
    conv.register_structure_hook_func(lambda t: t == Amount, _structure_amount)
    conv.register_unstructure_hook_func(lambda t: t in (Count, Amount), _unstructure_value)
    conv.register_structure_hook(str, _structure_str)
    # Severity and Status are str enums: without their own hooks the str hook
    # above would structure them as plain strings and accept any value.
    conv.register_structure_hook(Severity, _structure_enum)
    conv.register_structure_hook(Status, _structure_enum)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(CellRef, _structure_ref)
    conv.register_unstructure_hook(CellRef, str)
    conv.register_structure_hook_func(
        lambda t: t == Mapping[CellRef, CellSource], _structure_provenance
    )
    conv.register_unstructure_hook_func(
        lambda t: t == Mapping[CellRef, CellSource],
        lambda prov: {str(ref): _unstructure_source(src) for ref, src in prov.items()},
    )
    conv.register_structure_hook_func(
        lambda t: t == (int | Decimal | str | None), _structure_finding_value
    )
    conv.register_unstructure_hook_func(
        lambda t: t == (int | Decimal | str | None),
        lambda v: {"decimal": str(v)} if isinstance(v, Decimal) else v,
    )
    return conv


converter = _make_converter()

_RICH_TYPES: Mapping[str, Any] = {
    name: attrs.fields_dict(Report2019)[name].type for name in ("headings", "provenance",
                                                                 "read_findings")
}


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
    if isinstance(error, _Nested):
        return [p for steps, exc in error.items for p in _problems(exc, [*path, *steps])]
    if isinstance(error, KeyError):
        return [Problem(message="required key is missing", path=_path("$", path))]
    return [Problem(message=str(error), path=_path("$", path))]


class _Slow(Exception):
    """Raised inside the fast path: hand the document to the full path."""


def _fast_blank(value: Any) -> Blank:
    # Only the blank forms; an int never reaches here (the generated code keeps it).
    if value is None:
        return _BLANK
    if type(value) is dict and len(value) == 1 and type(value.get("printed")) is str:
        return Blank(value["printed"]) if value["printed"] else _BLANK
    raise _Slow


def _fast_amount(value: Any) -> Decimal | Blank:
    if type(value) is str:
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise _Slow from None
        if amount.is_finite():
            return amount
        raise _Slow
    if type(value) is int:
        return Decimal(value)
    return _fast_blank(value)


_BLANK = Blank("")


@cache
def _fast_cells(edition: Edition) -> Callable[[dict[str, Any]], list[Any]]:
    """A generated function reading every cell of a document's tables, in form order.

    It accepts only what is plainly valid (exact key sets, ints, decimal
    strings, null, ``{"printed": ...}``) and raises ``_Slow`` on anything else,
    so that the full path can report every problem with its path.
    """
    spec = form(edition)
    consts: dict[str, Any] = {"_Slow": _Slow, "cnt": _fast_blank, "amt": _fast_amount}
    lines = ["def cells(d):", "    v = []", "    ap = v.append"]

    def need(var: str, keys: frozenset[str], optional: frozenset[str] = frozenset()) -> None:
        name = f"K{len(consts)}"
        consts[name] = keys
        if optional:
            oname = f"K{len(consts)}"
            consts[oname] = keys | optional
            lines.append(f"    if type({var}) is not dict or not ({name} <= {var}.keys() <= "
                         f"{oname}): raise _Slow")
        else:
            lines.append(f"    if type({var}) is not dict or {var}.keys() != {name}: raise _Slow")

    for table in spec.tables:
        fields = [f.name for f in attrs.fields(table.table_class) if f.name != "extra_rows"]
        lines.append(f"    t = d[{table.key!r}]")
        need("t", frozenset(fields), frozenset({"extra_rows"}))
        groups: dict[str, list[str]] = {}
        for row in table.rows:
            if row.group is not None:
                groups.setdefault(row.group, []).append(row.path[1])
        seen: set[str] = set()
        for row in table.rows:
            if row.group is not None and row.group not in seen:
                seen.add(row.group)
                lines.append(f"    g = t[{row.group!r}]")
                need("g", frozenset(groups[row.group]))
            parent = "g" if row.group is not None else "t"
            lines.append(f"    r = {parent}[{row.path[-1]!r}]")
            need("r", frozenset(c.key for c in row.columns))
            for col in row.columns:
                conv = "amt" if col.kind == "amount" else "cnt"
                if col.kind == "amount":
                    lines.append(f"    ap({conv}(r[{col.key!r}]))")
                else:
                    lines.append(f"    x = r[{col.key!r}]; ap(x if type(x) is int else "
                                 f"{conv}(x))")
    lines.append("    return v")
    exec(compile("\n".join(lines), f"<govdisclosure json cells {edition}>", "exec"), consts)
    cells: Callable[[dict[str, Any]], list[Any]] = consts["cells"]
    return cells


_META_TYPES: Mapping[str, tuple[type, ...]] = {
    "year": (int, type(None)),
    "agency": (str, type(None)),
    "publisher": (str, type(None)),
    "title": (str, type(None)),
    "introduction": (str,),
}
_SECTIONS = ("overview", "problems", "other_matters")
_TABLES = ("active", "applications", "appeals")
_RICH = ("headings", "provenance", "read_findings")
_BODY_KEYS = frozenset((*_META_TYPES, *_SECTIONS, *_TABLES, *_RICH, "unplaced"))


_SOURCE_KEYS = frozenset(("line", "printed", "inferred_by"))


def _fast_provenance(value: Any, edition: Edition) -> Provenance:
    # Most entries are {"line": n}: they go straight into the compact lines
    # array, without a CellSource each. Anything unusual goes to the full path.
    if type(value) is not dict:
        raise _Slow
    refs = _refmap(edition)
    lines: dict[CellRef, int] = {}
    rich: dict[CellRef, CellSource] = {}
    for key, source in value.items():
        ref = refs.get(key)
        if ref is None or type(source) is not dict:
            raise _Slow
        if len(source) == 1 and type(source.get("line")) is int:
            lines[ref] = source["line"]
            continue
        if not source.keys() <= _SOURCE_KEYS:
            raise _Slow
        line = source.get("line")
        printed = source.get("printed")
        inferred = source.get("inferred_by")
        if ((line is not None and type(line) is not int)
                or (printed is not None and type(printed) is not str)
                or (inferred is not None and type(inferred) is not str)):
            raise _Slow
        rich[ref] = CellSource(line=line, printed=printed, inferred_by=inferred)
    return Provenance.from_parts(edition, lines, rich)


@cache
def _refmap(edition: Edition) -> Mapping[str, CellRef]:
    return {str(ref): ref for ref in form(edition).refs()}


def _fast_from_data(body: dict[str, Any], edition: Edition) -> Report:
    """The common case, fast: a valid document. Raises ``_Slow`` otherwise."""
    if not body.keys() <= _BODY_KEYS or not all(t in body for t in _TABLES):
        raise _Slow
    fields: dict[str, Any] = {}
    for key, types in _META_TYPES.items():
        if key in body:
            value = body[key]
            if type(value) not in types:
                raise _Slow
            fields[key] = value
    for key in _SECTIONS:
        section = body.get(key)
        if section is None:
            continue
        if (type(section) is not dict or not section.keys() <= {"heading", "body"}
                or type(section.get("heading")) is not str
                or type(section.get("body", "")) is not str):
            raise _Slow
        fields[key] = Section(heading=section["heading"], body=section.get("body", ""))
    unplaced = body.get("unplaced", ())
    if type(unplaced) not in (list, tuple) or any(type(u) is not str for u in unplaced):
        raise _Slow
    fields["unplaced"] = tuple(unplaced)
    try:
        values = _fast_cells(edition)(body)
    except (KeyError, TypeError):
        raise _Slow from None
    extra: dict[str, Any] = {}
    for table in _TABLES:
        rows = body[table].get("extra_rows", [])
        if type(rows) is not list:  # null, 0, "": the full path says what is wrong
            raise _Slow
        if rows:
            extra[table] = converter.structure(rows, tuple[ExtraRow, ...])
    for key in _RICH:
        value = body.get(key)
        if value is None and key not in body:
            continue
        if type(value) is not (list if key == "read_findings" else dict):
            raise _Slow  # null or another type: the full path says what is wrong
        if not value:
            continue
        if key == "provenance":
            fields[key] = _fast_provenance(body[key], edition)
        else:
            fields[key] = converter.structure(body[key], _RICH_TYPES[key])
    # Every value was checked above for its exact type (an int or a Blank for a
    # count, a Decimal or a Blank for an amount): the rows need not check again.
    return assemble_report(edition, values, extra, verified=True, **fields)


def from_data(data: Any, source: str | None = None) -> Report:
    """Build a report from plain Python data shaped as the JSON document.

    Raises :class:`ReadError` listing every problem with its JSON path.
    """
    if (type(data) is dict and data.get("format") == DOCUMENT_FORMAT
            and data.get("version") == DOCUMENT_VERSION and data.get("edition") in EDITIONS):
        body = {k: v for k, v in data.items() if k not in _HEADER_KEYS}
        try:
            report = _fast_from_data(body, data["edition"])
        except (_Slow, cattrs.BaseValidationError, ValueError, TypeError):
            pass  # the full path below reports every problem with its path
        else:
            return report  # _fast_provenance accepts only cells of the form
    return _full_from_data(data, source)


@cache
def _refset(edition: Edition) -> frozenset[CellRef]:
    return frozenset(form(edition).refs())


def _full_from_data(data: Any, source: str | None) -> Report:
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
