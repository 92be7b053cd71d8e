"""The form described as data: tables, rows and columns with their labels.

Everything here is read off the attrs classes of :mod:`.tables`, so the classes
are the single source of the data dictionary. Readers, writers and rules walk
these specs instead of naming fields one by one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    "blank_report",
    "build_report",
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
        return tuple(ref for t in self.tables for r in t.rows for ref in r.refs())

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


def iter_cells(report: Report) -> Iterator[tuple[CellRef, Value]]:
    """Every cell of ``report`` with its reference, in reading order."""
    for table in form_of(report).tables:
        tobj = getattr(report, table.key)
        for row in table.rows:
            obj: Any = tobj
            for part in row.path:
                obj = getattr(obj, part)
            for col in row.columns:
                yield CellRef(table.key, row.key, col.key), getattr(obj, col.key)


def _build_table(spec: TableSpec, values: Mapping[CellRef, Value], extra: Any) -> Any:
    parts: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {}
    for row in spec.rows:
        cells = {
            c.key: values.get(CellRef(spec.key, row.key, c.key), _BLANK) for c in row.columns
        }
        obj = row.row_class(**cells)
        if row.group is None:
            parts[row.path[0]] = obj
        else:
            groups.setdefault(row.path[0], {})[row.path[1]] = obj
    fields = attrs.fields_dict(spec.table_class)
    for name, members in groups.items():
        parts[name] = fields[name].type(**members)  # type: ignore[misc]  # a real class
    if extra:
        parts["extra_rows"] = extra
    return spec.table_class(**parts)


_BLANK = Blank("")


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
    spec = form(edition)
    values = values or {}
    known = set(spec.refs())
    unknown = [str(ref) for ref in values if ref not in known]
    if unknown:
        raise KeyError(f"edition {edition} has no cells {', '.join(sorted(unknown))}")
    extra_rows: Mapping[str, Any] = fields.pop("extra_rows", {})
    tables = {t.key: _build_table(t, values, extra_rows.get(t.key, ())) for t in spec.tables}
    return spec.report_class(**tables, **fields)


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
    spec = form_of(report)
    values = dict(iter_cells(report))
    for ref, value in changes.items():
        if ref not in values:
            raise KeyError(f"edition {report.edition} has no cell {ref}")
        values[ref] = value
    tables = {
        t.key: _build_table(t, values, getattr(report, t.key).extra_rows) for t in spec.tables
    }
    new_prov = dict(report.provenance)
    if provenance:
        new_prov.update(provenance)
    return attrs.evolve(report, provenance=new_prov, **tables)
