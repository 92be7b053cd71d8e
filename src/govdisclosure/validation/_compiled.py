"""The one module that writes Python source: two hot functions, generated.

``validate(infer(report))`` on a clean report is two flat reads of its 200
cells and one clean-check. Written out as straight-line code, the flat read
costs about 2 µs and the clean-check about 6 µs; their plain references
(:func:`govdisclosure.model.cell_values`, one ``attrgetter`` over dotted paths,
and :func:`.engine.plain_clean`, ``map`` over itemgetters) cost about 8 µs and
19 µs, because only attribute access and arithmetic in Python code get the
interpreter's specialised instructions (figures in ``docs/performance.md``).
Both are generated from data alone, the form and the identity checks of
:func:`.rules.checks`, never from per-rule text: changing a rule is changing
its declaration. Property tests hold each equal to its plain reference;
``flatten_source`` and ``clean_source`` show the code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from ..model.cells import Value
from ..model.report import Edition, Report
from ..model.schema import form

__all__ = ["clean_source", "compile_clean", "flatten_source", "flattener"]


def _compile(text: str, name: str, label: str, namespace: dict[str, Any]) -> Any:
    exec(compile(text, f"<govdisclosure {label}>", "exec"), namespace)
    return namespace[name]


def flatten_source(edition: Edition) -> str:
    """The source of the flat read of ``edition``: one local per row, then
    every cell, in form order."""
    lines = ["def flatten(r):"]
    rows: dict[tuple[str, ...], str] = {}
    cells: list[str] = []
    for t in form(edition).tables:
        for r in t.rows:
            row = (t.key, *r.path)
            rows[row] = f"x{len(rows)}"
            lines.append(f"    {rows[row]} = r.{'.'.join(row)}")
            cells.extend(f"{rows[row]}.{c.key}" for c in r.columns)
    lines.append(f"    return ({', '.join(cells)},)")
    return "\n".join(lines) + "\n"


@cache
def flattener(edition: Edition) -> Callable[[Report], tuple[Value, ...]]:
    """The compiled flat read of ``edition``: what ``cell_values`` gives."""
    flatten: Callable[[Report], tuple[Value, ...]] = _compile(
        flatten_source(edition), "flatten", f"flatten {edition}", {})
    return flatten


#: One identity for the clean-check: its relation and the positions on each side.
Identity = tuple[str, Sequence[int], Sequence[int]]


def clean_source(
    counts: Sequence[int], kinds: Sequence[tuple[int, str]] | None,
    identities: Sequence[Identity],
) -> str:
    """The source of a clean-check: ``counts`` are the positions of the count
    cells and ``kinds`` the other cells with their kind (``None``: no domain
    check), ``identities`` each ``(relation, lhs, rhs)``. The function returns
    whether every value is in its domain and every identity holds."""
    lines = ["def clean(v):"]
    if kinds is not None:
        # A count holds an int or a Blank (the model checks that) and a Blank
        # does not compare with an int: one ``min`` finds a blank and a negative.
        lines += ["    try:", "        if min(counts(v)) < 0: return False",
                  "    except TypeError:", "        return False"]
        for i, kind in kinds:
            if kind == "amount":
                lines.append(f"    if type(v[{i}]) is not Decimal or not v[{i}].is_finite() "
                             f"or v[{i}] < 0: return False")
            else:
                lines.append(f"    if type(v[{i}]) is not int: return False")
    lines.append("    try:")
    for relation, lhs, rhs in identities:
        op = "!=" if relation == "eq" else ">"
        left = " + ".join(f"v[{i}]" for i in lhs) or "0"
        right = " + ".join(f"v[{i}]" for i in rhs) or "0"
        lines.append(f"        if {left} {op} {right}: return False")
    lines += ["    except (TypeError, ArithmeticError):", "        return False",
              "    return True"]
    return "\n".join(lines) + "\n"


def compile_clean(
    counts: Callable[[Sequence[Any]], tuple[Any, ...]],
    source: str,
) -> Callable[[Sequence[Any]], bool]:
    """Compile a clean-check written by :func:`clean_source`; ``counts`` gets
    the count cells as a tuple."""
    clean: Callable[[Sequence[Any]], bool] = _compile(
        source, "clean", "clean-check", {"Decimal": Decimal, "counts": counts})
    return clean
