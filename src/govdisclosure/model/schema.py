"""The form described as data: tables, rows and columns with their labels.

Everything here is read off the attrs classes of :mod:`.tables`, so the classes
are the single source of the data dictionary. Readers, writers and rules walk
these specs instead of naming fields one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Literal

import attrs

from .cells import Blank, CellRef, CellSource, Value
from .report import EDITIONS, Edition, Report, Report2019, Report2021

__all__ = [
    "ColumnSpec",
    "FormSpec",
    "RowSpec",
    "TableSpec",
    "assemble_report",
    "blank_report",
    "build_report",
    "cell_values",
    "form",
    "form_of",
    "get_cell",
    "iter_cells",
    "replace_cells",
]

Kind = Literal["count", "signed", "amount"]

_TABLE_LABELS: Mapping[str, tuple[str, str, str]] = {
    "active": ("二、主动公开政府信息情况", "proactive disclosure", "二"),
    "applications": ("三、收到和处理政府信息公开申请情况", "applications", "三"),
    "appeals": ("四、政府信息公开行政复议、行政诉讼情况", "reviews and lawsuits", "四"),
}


@attrs.frozen(slots=True)
class ColumnSpec:
    """A column: its key, official label, English label and kind of value."""

    key: str
    label: str
    en: str
    kind: Kind


@attrs.frozen(slots=True)
class RowSpec:
    """A data row: dotted key, labels, and the group it belongs to, if any.

    ``short`` is the compact label used in messages (``一``, ``（三）1``).
    ``group`` is the key of the block or group (``art20_1``, ``withheld``), with
    its label in ``group_label``.
    """

    table: str
    key: str
    label: str
    en: str
    short: str
    group: str | None
    group_label: str | None
    columns: tuple[ColumnSpec, ...]
    path: tuple[str, ...]
    row_class: type

    def column(self, key: str) -> ColumnSpec:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"row {self.table}/{self.key} has no column {key!r}")

    def refs(self) -> tuple[CellRef, ...]:
        return tuple(CellRef(self.table, self.key, c.key) for c in self.columns)


@attrs.frozen(slots=True)
class TableSpec:
    """A table: key (``active``, ``applications``, ``appeals``), labels, rows."""

    key: str
    label: str
    en: str
    short: str
    rows: tuple[RowSpec, ...]
    table_class: type

    def row(self, key: str) -> RowSpec:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(f"table {self.key} has no row {key!r}")


@attrs.frozen(slots=True)
class FormSpec:
    """The whole form of one edition."""

    edition: Edition
    report_class: type[Report2019] | type[Report2021]
    tables: tuple[TableSpec, ...]

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"edition {self.edition} has no table {key!r}")

    def row(self, table: str, key: str) -> RowSpec:
        return self.table(table).row(key)

    def refs(self) -> tuple[CellRef, ...]:
        """Every cell of the form, in reading order."""
        return _refs(self.edition)

    def column_kind(self, ref: CellRef) -> Kind:
        return self.row(ref.table, ref.row).column(ref.column).kind


def _is_row_class(cls: type) -> bool:
    return all("kind" in f.metadata for f in attrs.fields(cls))


def _columns(cls: type) -> tuple[ColumnSpec, ...]:
    return tuple(
        ColumnSpec(f.name, f.metadata["label"], f.metadata["en"], f.metadata["kind"])
        for f in attrs.fields(cls)
    )


def _table_spec(key: str, cls: type) -> TableSpec:
    rows: list[RowSpec] = []
    for f in attrs.fields(cls):
        if "label" not in f.metadata:
            continue  # extra_rows
        part: type = f.type  # real classes: tables.py has no string annotations
        md = f.metadata
        if _is_row_class(part):
            rows.append(
                RowSpec(key, f.name, md["label"], md["en"], md["short"], None, None,
                        _columns(part), (f.name,), part)
            )
            continue
        for sub in attrs.fields(part):
            row_cls: type = sub.type
            smd = sub.metadata
            short = smd["short"] if key == "applications" else md["short"] + smd["label"]
            rows.append(
                RowSpec(key, f"{f.name}.{sub.name}", smd["label"], smd["en"], short, f.name,
                        md["label"], _columns(row_cls), (f.name, sub.name), row_cls)
            )
    label, en, short = _TABLE_LABELS[key]
    return TableSpec(key, label, en, short, tuple(rows), cls)


@cache
def form(edition: Edition) -> FormSpec:
    """The form of ``edition`` (``"2019"`` or ``"2021"``)."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: expected one of {', '.join(EDITIONS)}")
    cls: type[Report2019] | type[Report2021] = Report2019 if edition == "2019" else Report2021
    fields = attrs.fields_dict(cls)
    tables = tuple(
        _table_spec(name, fields[name].type)  # type: ignore[arg-type]  # resolved below
        for name in ("active", "applications", "appeals")
    )
    return FormSpec(edition, cls, tables)


def form_of(report: Report) -> FormSpec:
    """The form of ``report``'s edition."""
    return form(report.edition)


def _resolve() -> None:
    # report.py uses string annotations; resolve them once so ``form`` sees classes.
    for cls in (Report2019, Report2021):
        attrs.resolve_types(cls)


_resolve()


def get_cell(report: Report, ref: CellRef) -> Value:
    """The value of one cell, by reference."""
    obj: Any = getattr(report, ref.table)
    for part in form_of(report).row(ref.table, ref.row).path:
        obj = getattr(obj, part)
    value: Value = getattr(obj, ref.column)
    return value


def cell_values(report: Report) -> tuple[Value, ...]:
    """Every cell value of ``report``, in the order of ``form_of(report).refs()``."""
    from ._compiled import compiled

    return compiled(report.edition).flatten(report)


def iter_cells(report: Report) -> Iterator[tuple[CellRef, Value]]:
    """Every cell of ``report`` with its reference, in reading order."""
    return zip(_refs(report.edition), cell_values(report), strict=True)


@cache
def _refs(edition: Edition) -> tuple[CellRef, ...]:
    return tuple(ref for t in form(edition).tables for r in t.rows for ref in r.refs())


@cache
def _ref_index(edition: Edition) -> Mapping[CellRef, int]:
    return {ref: i for i, ref in enumerate(_refs(edition))}


_BLANK = Blank("")


def assemble_report(
    edition: Edition,
    values: Sequence[Value],
    extra_rows: Mapping[str, Any] | None = None,
    *,
    verified: bool = False,
    **fields: Any,
) -> Report:
    """Build a report of ``edition`` from all its cell values, given in
    ``form(edition).refs()`` order: the fast way for readers that place every cell.

    ``verified`` skips the rows' validators: only for a caller that has just
    checked that every count is exactly an ``int`` or a ``Blank`` and every
    amount exactly a ``Decimal`` or a ``Blank``.
    """
    from ._compiled import compiled

    if len(values) != len(_refs(edition)):
        raise ValueError(
            f"edition {edition} has {len(_refs(edition))} cells, got {len(values)} values"
        )
    code = compiled(edition)
    build = code.assemble_verified if verified else code.assemble
    return build(values, dict(extra_rows or {}), fields)


def build_report(
    edition: Edition,
    values: Mapping[CellRef, Value] | None = None,
    **fields: Any,
) -> Report:
    """Build a report of ``edition`` from cell values; cells not given are blank.

    ``fields`` are the report's other fields (``year``, ``agency``, ``title``,
    sections, ``provenance``, ...); ``extra_rows`` may be given as a mapping
    from table key to a tuple of :class:`~.tables.ExtraRow`.
    """
    index = _ref_index(form(edition).edition)
    flat: list[Value] = [_BLANK] * len(index)
    if values:
        unknown = []
        for ref, value in values.items():
            i = index.get(ref)
            if i is None:
                unknown.append(str(ref))
            else:
                flat[i] = value
        if unknown:
            raise KeyError(f"edition {edition} has no cells {', '.join(sorted(unknown))}")
    extra_rows: Mapping[str, Any] = fields.pop("extra_rows", {})
    return assemble_report(edition, flat, extra_rows, **fields)


def blank_report(
    edition: Edition,
    *,
    year: int | None = None,
    agency: str | None = None,
    title: str | None = None,
) -> Report:
    """A report of ``edition`` with every cell blank, for filling in."""
    return build_report(edition, None, year=year, agency=agency, title=title)


def replace_cells(
    report: Report,
    changes: Mapping[CellRef, Value],
    provenance: Mapping[CellRef, CellSource] | None = None,
) -> Report:
    """A copy of ``report`` with some cells changed.

    ``provenance``, when given, is merged into the report's provenance for the
    changed cells.
    """
    index = _ref_index(report.edition)
    by_row: dict[tuple[str, str], dict[str, Value]] = {}
    for ref, value in changes.items():
        if ref not in index:
            raise KeyError(f"edition {report.edition} has no cell {ref}")
        cells = by_row.get((ref.table, ref.row))
        if cells is None:
            by_row[(ref.table, ref.row)] = {ref.column: value}
        else:
            cells[ref.column] = value
    from .provenance import Provenance

    new_prov: Mapping[CellRef, CellSource]
    if not provenance:
        new_prov = report.provenance
    elif isinstance(report.provenance, Provenance):
        new_prov = report.provenance.updated(provenance)
    else:
        new_prov = {**report.provenance, **provenance}
    return rebuild_rows(report, by_row, new_prov)


def rebuild_rows(
    report: Report,
    by_row: Mapping[tuple[str, str], dict[str, Value]],
    provenance: Mapping[CellRef, CellSource],
) -> Report:
    """A copy of ``report`` with new values in some rows (by table and row key, a
    dict of column key to value each) and the given provenance.

    The core of :func:`replace_cells` for callers that have checked the cells
    exist: only the rows that change and the objects above them are rebuilt,
    each through its class's ``__init__``.
    """
    tables: dict[str, Any] = {}
    for (table, row_key), cells in by_row.items():
        rebuild = _row_rebuilder(report.edition, table, row_key, False)
        tables[table] = rebuild(tables.get(table) or getattr(report, table), cells)
    cls: type = type(report)
    result: Report = _report_with(cls, tuple(tables))(report, tables, provenance)
    return result


def rebuild_from_values(
    report: Report,
    changed: Iterable[int],
    values: Sequence[Value],
    provenance: Mapping[CellRef, CellSource],
) -> Report:
    """A copy of ``report`` whose cells are ``values`` (all of them, in form
    order), of which only those at the positions ``changed`` differ, with the
    given provenance. Only the rows holding changed cells are rebuilt."""
    edition = report.edition
    row_of = _row_of_position(edition)
    tables: dict[str, Any] = {}
    for table, row_key in {row_of[i]: None for i in changed}:
        rebuild = _row_rebuilder(edition, table, row_key, True)
        tables[table] = rebuild(tables.get(table) or getattr(report, table), values)
    cls: type = type(report)
    result: Report = _report_with(cls, tuple(tables))(report, tables, provenance)
    return result


@cache
def _row_of_position(edition: Edition) -> tuple[tuple[str, str], ...]:
    """The (table, row key) of the cell at each position of the form."""
    return tuple((ref.table, ref.row) for ref in _refs(edition))


@cache
def _row_rebuilder(
    edition: Edition, table: str, row_key: str, from_values: bool
) -> Callable[[Any, Any], Any]:
    """A generated function giving a copy of a table with new values in one row.

    With ``from_values`` the row is built from the flat cell values (the second
    argument) at its positions; otherwise from the row's own values and a dict
    of changed columns. Each object between the row and the table gets the
    one field that changes. All are built through their own ``__init__``, so
    the row's validators run.
    """
    spec = form(edition)
    path = _row_paths(edition)[(table, row_key)]
    classes: list[type] = [spec.table(table).table_class]
    for part in path:
        field_type = attrs.fields_dict(classes[-1])[part].type
        assert isinstance(field_type, type)
        classes.append(field_type)
    namespace: dict[str, Any] = {"evolve_row": _evolver(classes[-1]), "row_cls": classes[-1]}
    lines = ["def rebuild(t, c):", "    o0 = t"]
    for k, part in enumerate(path):
        lines.append(f"    o{k + 1} = o{k}.{part}")
    if from_values:
        index = _ref_index(edition)
        args = ", ".join(f"{col.key}=c[{index[CellRef(table, row_key, col.key)]}]"
                         for col in spec.row(table, row_key).columns)
        lines.append(f"    new = row_cls({args})")
    else:
        lines.append(f"    new = evolve_row(o{len(path)}, c)")
    for k in range(len(path) - 1, -1, -1):
        namespace[f"with_{k}"] = _with_field(classes[k], path[k])
        lines.append(f"    new = with_{k}(o{k}, new)")
    lines.append("    return new")
    exec(compile("\n".join(lines), f"<govdisclosure rebuild {table}/{row_key}>", "exec"),
         namespace)
    rebuild: Callable[[Any, Any], Any] = namespace["rebuild"]
    return rebuild


@cache
def _report_with(cls: type, tables: tuple[str, ...]) -> Callable[[Any, Any, Any], Any]:
    """A generated ``attrs.evolve(report, provenance=p, **tables)`` for ``cls``."""
    def value(a: attrs.Attribute[Any]) -> str:
        if a.name == "provenance":
            return "p"
        return f"t[{a.name!r}]" if a.name in tables else f"o.{a.name}"

    return _constructor_call(cls, "o, t, p", value, f"{cls.__name__} with {sorted(tables)}")


def _constructor_call(
    cls: type, params: str, value: Callable[[attrs.Attribute[Any]], str], label: str
) -> Callable[..., Any]:
    """A generated function of ``params`` calling ``cls`` with each init field
    given as the expression ``value(field)``."""
    args = ", ".join(f"{a.alias}={value(a)}" for a in attrs.fields(cls) if a.init)
    namespace: dict[str, Any] = {"cls": cls}
    exec(compile(f"def build({params}):\n    return cls({args})\n",
                 f"<govdisclosure {label}>", "exec"), namespace)
    build: Callable[..., Any] = namespace["build"]
    return build


@cache
def _row_paths(edition: Edition) -> Mapping[tuple[str, str], tuple[str, ...]]:
    """The attribute path from its table to each row, by (table, row key)."""
    return {(t.key, r.key): r.path for t in form(edition).tables for r in t.rows}


@cache
def _evolver(cls: type) -> Callable[[Any, dict[str, Any]], Any]:
    """A generated ``attrs.evolve`` for ``cls``: its fields are written out once,
    and the class's own ``__init__`` (validators included) builds the copy."""
    return _constructor_call(
        cls, "o, c", lambda a: f"c[{a.alias!r}] if {a.alias!r} in c else o.{a.name}",
        f"evolve {cls.__name__}",
    )


@cache
def _with_field(cls: type, name: str) -> Callable[[Any, Any], Any]:
    """A generated ``attrs.evolve(o, name=x)`` for ``cls``, one field replaced."""
    return _constructor_call(
        cls, "o, x", lambda a: "x" if a.name == name else f"o.{a.name}",
        f"{cls.__name__} with {name}",
    )


def _evolve(obj: Any, changes: dict[str, Any]) -> Any:
    """``attrs.evolve(obj, **changes)``, faster."""
    cls: type = type(obj)
    return _evolver(cls)(obj, changes)
