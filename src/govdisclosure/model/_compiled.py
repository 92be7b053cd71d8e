"""Straight-line functions generated from the form, one set per edition.

Walking the specs cell by cell costs a dictionary lookup and an object per
cell; a report has about 200 cells and a corpus has 100,000 reports. So, once
per edition, this module writes out as Python source the functions that read
every cell of a report into a flat tuple (in :meth:`FormSpec.refs` order) and
that build a report from such a tuple, and compiles them. The generated source
is plain attribute access and constructor calls; ``source(edition)`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import attrs

from ._fast import fast_constructor
from .cells import Value
from .report import Edition, Report
from .schema import form

__all__ = ["Compiled", "compiled", "source"]


@attrs.frozen(slots=True)
class Compiled:
    """``flatten(report)`` gives every cell value in form order; ``assemble(values,
    extra, fields)`` builds the report back (``extra`` maps table key to extra rows).
    ``assemble_verified`` does the same without running the rows' validators, for a
    caller that has just checked the exact type of every value (see ``_fast.py``)."""

    flatten: Callable[[Report], tuple[Value, ...]]
    assemble: Callable[[Sequence[Value], dict[str, Any], dict[str, Any]], Report]
    assemble_verified: Callable[[Sequence[Value], dict[str, Any], dict[str, Any]], Report]
    source: str


def _generate(edition: Edition) -> tuple[str, dict[str, Any]]:
    spec = form(edition)
    names: dict[str, Any] = {spec.report_class.__name__: spec.report_class}
    flat = ["def flatten(r):"]
    values: list[str] = []
    build_tables: list[str] = []
    verified_tables: list[str] = []  # rows without their validators: see _fast.py
    index = 0
    for t_i, table in enumerate(spec.tables):
        flat.append(f"    t{t_i} = r.{table.key}")
        names[table.table_class.__name__] = table.table_class
        fields = attrs.fields_dict(table.table_class)
        parts: dict[str, list[str]] = {}  # top-level field -> constructor pieces
        verified_parts: dict[str, list[str]] = {}
        grouped: dict[str, bool] = {}
        for r_i, row in enumerate(table.rows):
            var = f"x{t_i}_{r_i}"
            flat.append(f"    {var} = t{t_i}." + ".".join(row.path))
            names[row.row_class.__name__] = row.row_class
            names[f"verified_{row.row_class.__name__}"] = fast_constructor(
                row.row_class, verified=True)
            args = []
            for col in row.columns:
                values.append(f"{var}.{col.key}")
                args.append(f"{col.key}=v[{index}]")
                index += 1
            top = row.path[0]
            grouped[top] = row.group is not None
            for prefix, into in (("", parts), ("verified_", verified_parts)):
                ctor = f"{prefix}{row.row_class.__name__}({', '.join(args)})"
                into.setdefault(top, []).append(
                    ctor if row.group is None else f"{row.path[1]}={ctor}"
                )
        for from_parts, tables_out in ((parts, build_tables), (verified_parts, verified_tables)):
            pieces = []
            for top in from_parts:  # insertion order is the form's order
                if not grouped[top]:
                    pieces.append(f"{top}={from_parts[top][0]}")
                else:
                    group_cls = fields[top].type
                    assert isinstance(group_cls, type)
                    names[group_cls.__name__] = group_cls
                    pieces.append(f"{top}={group_cls.__name__}({', '.join(from_parts[top])})")
            pieces.append(f"extra_rows=extra.get({table.key!r}, ())")
            tables_out.append(f"{table.key}={table.table_class.__name__}({', '.join(pieces)})")
    flat.append("    return (" + ", ".join(values) + ",)")
    build = [
        "def assemble(v, extra, fields):",
        f"    return {spec.report_class.__name__}(" + ", ".join(build_tables) + ", **fields)",
        "",
        "",
        "def assemble_verified(v, extra, fields):",
        f"    return {spec.report_class.__name__}(" + ", ".join(verified_tables) + ", **fields)",
    ]
    return "\n".join(flat) + "\n\n" + "\n".join(build) + "\n", names


@cache
def compiled(edition: Edition) -> Compiled:
    """The generated functions of ``edition``."""
    text, names = _generate(edition)
    namespace: dict[str, Any] = dict(names)
    exec(compile(text, f"<govdisclosure form {edition}>", "exec"), namespace)
    return Compiled(namespace["flatten"], namespace["assemble"], namespace["assemble_verified"],
                    text)


def source(edition: Edition) -> str:
    """The generated source for ``edition``, for reading and debugging."""
    return compiled(edition).source
