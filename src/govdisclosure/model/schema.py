"""The form described as data: tables, rows and columns with their labels.

Everything here is read off the attrs classes of :mod:`.tables`, so the classes
are the single source of the data dictionary. Readers, writers and rules walk
these specs instead of naming fields one by one.
"""

from __future__ import annotations

import operator
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
        _table_spec(name, _real_type(fields[name].type))
        for name in ("active", "applications", "appeals")
    )
    return FormSpec(edition, cls, tables)


def _real_type(annotation: object) -> type:
    # report.py and tables.py have no string annotations: fields carry classes.
    assert isinstance(annotation, type), annotation
    return annotation


def form_of(report: Report) -> FormSpec:
    """The form of ``report``'s edition."""
    return form(report.edition)


def get_cell(report: Report, ref: CellRef) -> Value:
    """The value of one cell, by reference."""
    obj: Any = getattr(report, ref.table)
    for part in form_of(report).row(ref.table, ref.row).path:
        obj = getattr(obj, part)
    value: Value = getattr(obj, ref.column)
    return value


def cell_values(report: Report) -> tuple[Value, ...]:
    """Every cell value of ``report``, in the order of ``form_of(report).refs()``."""
    values: tuple[Value, ...] = _getter(report.edition)(report)
    return values


@cache
def _getter(edition: Edition) -> Callable[[Report], tuple[Value, ...]]:
    # One attrgetter of every cell's dotted path (validation has a faster one).
    paths = [".".join((t.key, *r.path, c.key))
             for t in form(edition).tables for r in t.rows for c in r.columns]
    getter: Callable[[Report], tuple[Value, ...]] = operator.attrgetter(*paths)
    return getter


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
    **fields: Any,
) -> Report:
    """Build a report of ``edition`` from all its cell values, given in
    ``form(edition).refs()`` order: the way for readers that place every cell.

    Every row is built through its class, so the rows' validators run.
    """
    if len(values) != len(_refs(edition)):
        raise ValueError(
            f"edition {edition} has {len(_refs(edition))} cells, got {len(values)} values"
        )
    extra = extra_rows or {}
    spec = form(edition)
    tables = {
        table.key: _build_table(table, _layout(edition)[table.key], values,
                                extra.get(table.key, ()))
        for table in spec.tables
    }
    report: Report = spec.report_class(**tables, **fields)
    return report


#: How a table is built from flat values: for each top-level field, either a
#: row (its class, column keys and first position) or a group of such rows.
_RowPlan = tuple[str, type, tuple[str, ...], int]
_TopPlan = tuple[str, type | None, tuple[_RowPlan, ...]]


@cache
def _layout(edition: Edition) -> Mapping[str, tuple[_TopPlan, ...]]:
    index = _ref_index(edition)
    out: dict[str, tuple[_TopPlan, ...]] = {}
    for table in form(edition).tables:
        fields = attrs.fields_dict(table.table_class)
        tops: dict[str, list[_RowPlan]] = {}
        group_class: dict[str, type | None] = {}
        for row in table.rows:
            first = index[CellRef(table.key, row.key, row.columns[0].key)]
            plan: _RowPlan = (row.path[-1], row.row_class,
                              tuple(c.key for c in row.columns), first)
            tops.setdefault(row.path[0], []).append(plan)
            group_type = fields[row.path[0]].type
            group_class[row.path[0]] = (
                group_type if row.group is not None and isinstance(group_type, type) else None
            )
        out[table.key] = tuple((top, group_class[top], tuple(rows))
                               for top, rows in tops.items())
    return out


def _build_row(plan: _RowPlan, values: Sequence[Value]) -> Any:
    _, cls, keys, first = plan
    return cls(**dict(zip(keys, values[first:first + len(keys)], strict=True)))


def _build_table(
    table: TableSpec, layout: tuple[_TopPlan, ...], values: Sequence[Value], extra: Any
) -> Any:
    parts: dict[str, Any] = {}
    for top, group_cls, rows in layout:
        if group_cls is None:
            parts[top] = _build_row(rows[0], values)
        else:
            parts[top] = group_cls(**{plan[0]: _build_row(plan, values) for plan in rows})
    return table.table_class(**parts, extra_rows=extra)


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
    each through its class's ``__init__``, so the rows' validators run.
    """
    spec = form_of(report)
    # Each changed row is rebuilt first, in the order given; then each object
    # above them once, with all its changed parts (a table with ten changed
    # rows is built once, not ten times).
    tree: dict[str, dict[str, Any]] = {}
    for (table, row_key), cells in by_row.items():
        path = spec.row(table, row_key).path
        obj = getattr(report, table)
        node = tree.setdefault(table, {})
        for part in path[:-1]:
            obj = getattr(obj, part)
            node = node.setdefault(part, {})
        node[path[-1]] = attrs.evolve(getattr(obj, path[-1]), **cells)
    tables = {table: _rebuilt(getattr(report, table), node) for table, node in tree.items()}
    result: Report = attrs.evolve(report, provenance=provenance, **tables)
    return result


def _rebuilt(obj: Any, changes: dict[str, Any]) -> Any:
    """A copy of ``obj`` with the parts in ``changes``: a new row, or (a dict)
    the changes of a part that holds rows."""
    return attrs.evolve(obj, **{
        part: _rebuilt(getattr(obj, part), change) if isinstance(change, dict) else change
        for part, change in changes.items()
    })


def rebuild_from_values(
    report: Report,
    changed: Iterable[int],
    values: Sequence[Value],
    provenance: Mapping[CellRef, CellSource],
) -> Report:
    """A copy of ``report`` whose cells are ``values`` (all of them, in form
    order), of which only those at the positions ``changed`` differ, with the
    given provenance. Only the rows holding changed cells are rebuilt."""
    refs = _refs(report.edition)
    by_row: dict[tuple[str, str], dict[str, Value]] = {}
    for i in changed:
        ref = refs[i]
        by_row.setdefault((ref.table, ref.row), {})[ref.column] = values[i]
    return rebuild_rows(report, by_row, provenance)
