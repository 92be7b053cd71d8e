"""The only cattrs configuration: reports to and from plain Python data.

The plain form is the JSON document of ``docs/json.md``: tables nested as the
data dictionary, counts as integers, amounts as decimal strings (exact), a
blank cell as ``null`` and a non-numeric cell as ``{"printed": "/"}``.
Unknown keys are refused; every problem is reported with its JSON path.

The hooks of single values (counts, amounts, references, bounded integers)
are in :mod:`govdisclosure._jsonvalues`; this module puts them together with
the hooks of rows, tables, reports and provenance.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from ._jsonvalues import (
    MAX_INT_DIGITS,
    _lines_only,
    _Nested,
    _Said,
    _shown,
    _structure_amount,
    _structure_count,
    _structure_enum,
    _structure_finding_value,
    _structure_float,
    _structure_int,
    _structure_ref,
    _structure_str,
    _structure_strings,
    _unstructure_source,
    _unstructure_value,
    int_problem,
)
from .errors import Problem, ReadError
from .model.cells import Amount, CellRef, CellSource, Count
from .model.findings import Severity, Status
from .model.provenance import MAX_LINE, Provenance
from .model.report import EDITIONS, Edition, Report, Report2019, Report2021
from .model.schema import form

__all__ = ["DOCUMENT_FORMAT", "DOCUMENT_VERSION", "MAX_INT_DIGITS", "converter", "from_data",
           "int_problem", "to_data"]

#: The value of a document's ``"format"`` key.
DOCUMENT_FORMAT = "govdisclosure-report"
#: The version of the document layout; bumped on any incompatible change.
DOCUMENT_VERSION = 1

_HEADER_KEYS = ("format", "version", "edition")


def _structure_provenance(value: Any, edition: Edition) -> Provenance:
    """The provenance of a report of ``edition``: keys name cells of its form.

    Most entries are ``{"line": n}``: their lines go straight into the compact
    array of :class:`Provenance`, by the cell's place in the form, without a
    ``CellSource`` each. Any other entry is read as a ``CellSource``.
    """
    if type(value) is not dict:
        raise _Said(f"expected an object keyed by \"table/row/column\", got {_shown(value)}",
                    f"应为以 \"表/行/列\" 为键的对象，实为 {_shown(value, 'zh')}")
    lines = _lines_only(value, edition)
    if lines is not None:
        return Provenance.from_lines(edition, lines, {})
    places = _places(edition)
    lines = [0] * len(places)  # 0: no line (lines are 1-based)
    rich: dict[CellRef, CellSource] = {}
    errors: list[tuple[list[Any], BaseException]] = []
    for key, source in value.items():
        place = places.get(key)
        if place is None:
            try:
                _structure_ref(key, CellRef)
            except ValueError as error:
                errors.append(([key], error))
            else:
                errors.append(([key], _Said(f"no such cell in edition {edition}",
                                            f"{edition} 版表格中没有这个单元格")))
            continue
        if type(source) is dict and len(source) == 1:
            line = source.get("line")
            if type(line) is int and 0 < line <= MAX_LINE:
                lines[place[0]] = line
                continue
        try:
            rich[place[1]] = converter.structure(source, CellSource)
        except (ValueError, TypeError, cattrs.BaseValidationError,
                ForbiddenExtraKeysError) as error:
            errors.append(([key], error))
    if errors:
        raise _Nested(errors)
    return Provenance.from_lines(edition, lines, rich)


@cache
def _places(edition: Edition) -> Mapping[str, tuple[int, CellRef]]:
    # Each cell of the form by its key: its place in the form, and the cell.
    return {str(ref): (i, ref) for i, ref in enumerate(form(edition).refs())}


_NONE_TYPE = type(None)


def _is_optional(t: Any) -> bool:
    # ``X | None``: one type or null.
    return (typing.get_origin(t) in (typing.Union, types.UnionType)
            and len(t.__args__) == 2 and _NONE_TYPE in t.__args__)


def _optional(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    # ``X | None`` with the hook of ``X`` looked up once (cattrs' own looks it
    # up on every value).
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        inner_type = t.__args__[0] if t.__args__[1] is _NONE_TYPE else t.__args__[1]
        inner = conv.get_structure_hook(inner_type)

        def structure(value: Any, _: Any) -> Any:
            return None if value is None else inner(value, inner_type)

        return structure

    return factory


def _is_items(t: Any) -> bool:
    # ``tuple[X, ...]``: a JSON array of one kind of item.
    return (typing.get_origin(t) is tuple and len(t.__args__) == 2
            and t.__args__[1] is Ellipsis)


def _items(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    # ``tuple[X, ...]`` from a JSON array, the hook of ``X`` looked up once;
    # every item that fails is reported with its index.
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        item_type = t.__args__[0]
        item = conv.get_structure_hook(item_type)

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _Said(f"expected a list, got {type(value).__name__} {_shown(value)}",
                            f"应为列表，实为 {type(value).__name__} {_shown(value, 'zh')}")
            out = []
            errors: list[tuple[list[Any], BaseException]] = []
            for i, each in enumerate(value):
                try:
                    out.append(item(each, item_type))
                except Exception as error:  # as cattrs: every failing item, with its index
                    errors.append(([i], error))
            if errors:
                raise _Nested(errors)
            return tuple(out)

        return structure

    return factory


@cache
def _form_refs() -> Mapping[str, CellRef]:
    # Every cell of both editions' forms, by its key.
    return {str(ref): ref for edition in EDITIONS for ref in form(edition).refs()}


def _structure_refs(value: Any, _: Any) -> tuple[CellRef, ...]:
    """Cell references, most of them cells of the form: those are looked up by
    their key, in C; any other list is read item by item."""
    if type(value) is list:
        try:
            refs = list(map(_form_refs().get, value))
        except TypeError:  # an item that is not a key (an object, a list)
            pass
        else:
            if None not in refs:
                return tuple(refs)  # type: ignore[arg-type]  # no None, by the test above
    return _REFS_BY_ITEM(value, None)  # type: ignore[no-any-return]


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
                raise _Said(f"expected an object, got {type(value).__name__} {shown}",
                            f"应为对象，实为 {type(value).__name__} {shown}")
            return inner(value, cls)

        return structure

    return factory


def _row_hook(cls: type) -> Callable[[Any, Any], Any]:
    """The structure hook of a row of a table: every key one of its cells.

    A row is first built as it is, its amounts read from their decimal strings:
    its class's validators decide. When that fails (a blank, a wrong key or
    value), it is read cell by cell, and every problem is reported with its key.
    """
    kinds = {f.name: f.metadata["kind"] for f in attrs.fields(cls)}
    # An amount is read by _structure_amount (a decimal string to a Decimal; an
    # integer given for it bounded), the other cells as they are.
    amounts = tuple(key for key, kind in kinds.items() if kind == "amount")

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            shown = repr(value)[:100]
            raise _Said(f"expected an object, got {type(value).__name__} {shown}",
                        f"应为对象，实为 {type(value).__name__} {shown}")
        try:
            if not amounts:
                return cls(**value)
            cells: dict[str, Any] = dict(value)
            for key in amounts:
                cells[key] = _structure_amount(cells[key], None)
            return cls(**cells)
        except (KeyError, TypeError, ValueError):
            pass  # read cell by cell below, to say what is wrong where
        cells = {}
        errors: list[tuple[list[Any], BaseException]] = []
        for key in value.keys() - kinds.keys():
            errors.append(([], ForbiddenExtraKeysError("", cls, {key})))
        for key, kind in kinds.items():
            if key not in value:
                errors.append(([key], KeyError(key)))
                continue
            try:
                cells[key] = (_structure_amount if kind == "amount" else _structure_count)(
                    value[key], None)
            except ValueError as error:
                errors.append(([key], error))
        if errors:
            raise _Nested(errors)
        try:
            return cls(**cells)
        except (TypeError, ValueError) as error:  # a validator of the model refused a value
            raise _Nested([([], error)]) from None

    return structure


def _is_row(cls: Any) -> bool:
    return attrs.has(cls) and all("kind" in f.metadata for f in attrs.fields(cls))


def _report_hook(conv: cattrs.Converter, cls: type[Report2019] | type[Report2021]
                 ) -> Callable[[Any, Any], Any]:
    # The provenance of a report is read knowing its edition.
    edition = cls.edition
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True,
        provenance=override(struct_hook=lambda value, _: _structure_provenance(value, edition)),
    )
    return inner


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook_factory(attrs.has, _objects_only(conv))
    conv.register_structure_hook_factory(_is_row, _row_hook)
    conv.register_structure_hook_factory(_is_optional, _optional(conv))
    conv.register_structure_hook_factory(_is_items, _items(conv))
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
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(CellRef, _structure_ref)
    conv.register_structure_hook_func(lambda t: t == tuple[CellRef, ...], _structure_refs)
    conv.register_unstructure_hook(CellRef, str)
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
    for cls in (Report2019, Report2021):
        conv.register_structure_hook(cls, _report_hook(conv, cls))
    return conv


converter = _make_converter()
# Cell references item by item: what _structure_refs falls back to.
_REFS_BY_ITEM = _items(converter)(tuple[CellRef, ...])

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
            Problem(message=f"unknown key {key!r}", message_zh=f"未知的键 {key!r}",
                    path=_path("$", [*path, key]))
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
        return [Problem(message="required key is missing", message_zh="缺少必需的键",
                        path=_path("$", path))]
    return [Problem(message=str(error), message_zh=_zh(error), path=_path("$", path))]


def _zh(error: BaseException) -> str:
    """The Chinese of a refusal: a hook's own, or the model's words after a Chinese lead."""
    if isinstance(error, _Said):
        return error.zh
    return f"值不符合表格要求（{error}）"


def from_data(data: Any, source: str | None = None) -> Report:
    """Build a report from plain Python data shaped as the JSON document.

    Raises :class:`ReadError` listing every problem with its JSON path.
    """
    if not isinstance(data, dict):
        raise ReadError(
            [Problem(message=f"expected a JSON object, got {type(data).__name__}",
                     message_zh=f"应为 JSON 对象，实为 {type(data).__name__}", path="$")],
            source,
        )
    problems: list[Problem] = []
    if data.get("format") != DOCUMENT_FORMAT:
        problems.append(Problem(
            message=f"expected \"format\": \"{DOCUMENT_FORMAT}\", got {_shown(data.get('format'))}",
            message_zh=f"应为 \"format\": \"{DOCUMENT_FORMAT}\"，"
            f"实为 {_shown(data.get('format'), 'zh')}",
            path="$.format",
        ))
    version = data.get("version")
    if version != DOCUMENT_VERSION:
        problems.append(Problem(
            message=f"unsupported document version {_shown(version)}: this library reads "
            f"version {DOCUMENT_VERSION}",
            message_zh=f"不支持的文档版本 {_shown(version, 'zh')}："
            f"本库读取第 {DOCUMENT_VERSION} 版",
            path="$.version",
        ))
    edition = data.get("edition")
    if edition not in EDITIONS:
        problems.append(Problem(
            message=f"expected an edition, one of {', '.join(map(repr, EDITIONS))}, got "
            f"{_shown(edition)}",
            message_zh=f"应为表格版本 {'、'.join(map(repr, EDITIONS))} 之一，"
            f"实为 {_shown(edition, 'zh')}",
            path="$.edition",
        ))
        raise ReadError(problems, source)
    body = dict(data)
    for key in _HEADER_KEYS:
        body.pop(key, None)
    cls: type[Report2019] | type[Report2021] = Report2019 if edition == "2019" else Report2021
    try:
        report: Report = converter.structure(body, cls)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as error:
        problems.extend(_problems(error, []))
        raise ReadError(problems, source) from None
    except (TypeError, ValueError) as error:  # a validator of the model refused a value
        problems.append(Problem(message=str(error), message_zh=_zh(error), path="$"))
        raise ReadError(problems, source) from None
    if problems:
        raise ReadError(problems, source)
    return report
