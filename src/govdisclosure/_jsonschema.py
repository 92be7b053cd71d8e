"""The JSON Schema (draft 2020-12) of the report document, generated.

Nothing here is written per field: the tables come from the form description
(:func:`~govdisclosure.model.form`), everything else from the attrs classes'
fields and their types, mapped the way :mod:`._converter` maps them. So the
schema follows the model as the converter does. The schema checks the shape
of a document; the rules (identities, D1) are ``validate``'s business, and
``docs/json.md`` lists where the schema and the reader differ.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._converter import DOCUMENT_FORMAT, DOCUMENT_VERSION
from .model.cells import MAX_AMOUNT_DIGITS, MAX_COUNT_DIGITS, CellRef, CellSource
from .model.report import EDITIONS, Edition
from .model.schema import FormSpec, TableSpec, form

__all__ = ["json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ID = "https://govdisclosure.invalid/schema/report-{}.json"

#: A decimal number as a string, as ``Decimal`` reads it without surrounding
#: spaces or digit separators (the reader also takes those; docs/json.md).
DECIMAL_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
#: A cell reference ``table/row/column``.
REF_PATTERN = r"^[^/]+/[^/]+/[^/]+$"

_PRINTED = {
    "type": "object",
    "properties": {"printed": {"type": "string"}},
    "required": ["printed"],
    "additionalProperties": False,
    "description": "a cell that holds no number, with what it printed",
}
#: A count as the model bounds it (``model/cells.py``): at most 15 digits.
_COUNT = {"type": "integer", "minimum": -(10**MAX_COUNT_DIGITS - 1),
          "maximum": 10**MAX_COUNT_DIGITS - 1}
#: An amount given as an integer: at most 40 digits.
_WHOLE_AMOUNT = {"type": "integer", "minimum": -(10**MAX_AMOUNT_DIGITS - 1),
                 "maximum": 10**MAX_AMOUNT_DIGITS - 1}
_CELL_KINDS: Mapping[str, dict[str, Any]] = {
    "count": {"anyOf": [_COUNT, {"type": "null"}, {"$ref": "#/$defs/printed"}]},
    "signed": {"anyOf": [_COUNT, {"type": "null"}, {"$ref": "#/$defs/printed"}]},
    "amount": {"anyOf": [{"type": "string", "pattern": DECIMAL_PATTERN}, _WHOLE_AMOUNT,
                         {"type": "null"}, {"$ref": "#/$defs/printed"}]},
}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


class _Types:
    """Maps field types to schemas, collecting attrs classes in ``defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {"printed": _PRINTED}

    def of(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is str:
            return {"type": "string"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is CellRef:
            return {"type": "string", "pattern": REF_PATTERN}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [member.value for member in tp]}
        if origin in (typing.Union, types.UnionType):
            if set(args) == {int, Decimal, str, type(None)}:  # a finding's two sides
                decimal = {"type": "object", "properties": {"decimal": {
                    "type": "string", "pattern": DECIMAL_PATTERN}},
                    "required": ["decimal"], "additionalProperties": False}
                return {"anyOf": [{"type": "integer"}, {"type": "string"}, decimal,
                                  {"type": "null"}]}
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1 and len(args) == 2:
                return _nullable(self.of(rest[0]))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.of(args[0])}
        if origin is Mapping and args == (str, str):
            return {"type": "object", "additionalProperties": {"type": "string"}}
        if attrs.has(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {}  # placeholder while its fields are mapped
                self.defs[name] = self.object(tp)
            return {"$ref": f"#/$defs/{name}"}
        raise TypeError(f"no JSON Schema for the type {tp!r}")

    def object(self, cls: type, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """An attrs class as an object: its fields, required when they have no default."""
        fields = [f for f in attrs.fields(cls) if f.init and f.name not in skip]
        hints = typing.get_type_hints(cls)
        out: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: self.of(hints[f.name]) for f in fields},
            "additionalProperties": False,
        }
        required = [f.name for f in fields if f.default is attrs.NOTHING]
        if required:
            out["required"] = required
        return out


def _table(table: TableSpec, types_: _Types) -> dict[str, Any]:
    """A table from the form: rows (some in groups) of cells of their kind."""
    properties: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {}
    for row in table.rows:
        cells = {
            "type": "object",
            "properties": {c.key: _CELL_KINDS[c.kind] for c in row.columns},
            "required": [c.key for c in row.columns],
            "additionalProperties": False,
            "description": row.label,
        }
        if row.group is None:
            properties[row.key] = cells
        else:
            group = groups.setdefault(row.group, {
                "type": "object", "properties": {}, "required": [],
                "additionalProperties": False, "description": row.group_label,
            })
            group["properties"][row.path[1]] = cells
            group["required"].append(row.path[1])
            properties.setdefault(row.group, group)
    required = list(properties)
    properties["extra_rows"] = types_.of(
        typing.get_type_hints(table.table_class)["extra_rows"])
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False, "description": table.label}


def _edition_schema(spec: FormSpec, types_: _Types) -> dict[str, Any]:
    body = types_.object(spec.report_class,
                         skip=("provenance", *(t.key for t in spec.tables)))
    body["properties"] = {
        "format": {"const": DOCUMENT_FORMAT},
        "version": {"const": DOCUMENT_VERSION},
        "edition": {"const": spec.edition},
        **body["properties"],
    }
    for table in spec.tables:
        body["properties"][table.key] = _table(table, types_)
    source = types_.object(CellSource)
    body["properties"]["provenance"] = {
        "type": "object",
        "propertyNames": {"enum": [str(ref) for ref in spec.refs()]},
        "additionalProperties": source,
    }
    body["required"] = ["format", "version", "edition",
                        *(t.key for t in spec.tables)]
    return body


def json_schema(edition: Edition | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the report document of ``docs/json.md``.

    With ``edition``, the schema of that edition's documents; without, one that
    takes a document of either edition (chosen by its ``"edition"``).
    """
    editions = EDITIONS if edition is None else (edition,)
    if edition is not None and edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: expected one of {', '.join(EDITIONS)}")
    types_ = _Types()
    bodies = {ed: _edition_schema(form(ed), types_) for ed in editions}
    schema: dict[str, Any] = {
        "$schema": _DIALECT,
        "$id": _ID.format(edition or "any"),
        "title": "govdisclosure report document"
        + (f", edition {edition}" if edition else ""),
    }
    if edition is not None:
        schema.update(bodies[edition])
    else:
        schema["type"] = "object"
        schema["required"] = ["edition"]
        schema["oneOf"] = [{"$ref": f"#/$defs/report-{ed}"} for ed in editions]
        for ed, body in bodies.items():
            types_.defs[f"report-{ed}"] = body
    schema["$defs"] = types_.defs
    return schema
