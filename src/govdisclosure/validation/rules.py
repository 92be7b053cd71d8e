"""The identity checks of an edition, derived from the catalogue's declarations.

A *rule* (``I1``) is a statement of FORMAT.md, declared once in
:mod:`.catalogue`; a *check* is one instance of an identity rule on one
edition's form (``I1`` for the 自然人 column). :func:`checks` gives every
instance as plain data (the cells on each side and the relation), which is
what ``validate``, ``infer`` and any diagnosis built on the identities read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Literal

import attrs

from .._methods import fields_repr
from ..model.cells import CellRef
from ..model.report import Edition
from ..model.schema import form
from .catalogue import RULES, Rule, rule

__all__ = ["RULES", "Check", "Rule", "checks", "checks_involving", "rule"]


@attrs.frozen(slots=True, kw_only=True)
class Check:
    """One instance of an identity rule: ``sum(lhs) == sum(rhs)`` (or ``<=``).

    ``table``, ``row`` and ``column`` locate it (``row`` is ``None`` for a rule
    over a whole column, ``column`` is ``None`` for one over a whole row).
    ``lhs_text`` and ``rhs_text`` name the two sides in messages (zh, en).
    """

    __repr__ = fields_repr

    rule: str
    relation: Literal["eq", "le"]
    table: str
    row: str | None
    column: str | None
    lhs: tuple[CellRef, ...]
    rhs: tuple[CellRef, ...]
    lhs_text: tuple[str, str]
    rhs_text: tuple[str, str]

    @property
    def key(self) -> tuple[str, str, str | None, str | None]:
        """Identifies the instance: rule id and location."""
        return (self.rule, self.table, self.row, self.column)

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.lhs + self.rhs


def checks(edition: Edition, rules: Sequence[Rule] = RULES) -> tuple[Check, ...]:
    """Every identity check of ``edition``'s form (I1–I4, T2 by default), in
    catalogue order: the cells on each side of each identity, as plain data.

    ``rules`` is the catalogue to read the identities from (a test may add
    one). D1 applies to single cells and is evaluated cell by cell, not listed
    here.
    """
    return _checks(edition, tuple(rules))


@cache
def _checks(edition: Edition, rules: tuple[Rule, ...]) -> tuple[Check, ...]:
    spec = form(edition)
    out: list[Check] = []
    for r in rules:
        identity = r.identity
        if identity is None or edition not in r.editions:
            continue
        for sides in identity.instances(spec):
            out.append(Check(
                rule=r.id, relation=identity.relation, table=sides.table, row=sides.row,
                column=sides.column, lhs=sides.lhs, rhs=sides.rhs,
                lhs_text=identity.lhs_text, rhs_text=identity.rhs_text,
            ))
    return tuple(out)


@cache
def _involving(edition: Edition) -> Mapping[CellRef, tuple[Check, ...]]:
    index: dict[CellRef, list[Check]] = {}
    for check in checks(edition):
        for ref in check.cells:
            index.setdefault(ref, []).append(check)
    return {ref: tuple(found) for ref, found in index.items()}


def checks_involving(edition: Edition, ref: CellRef) -> tuple[Check, ...]:
    """The checks of ``edition`` whose inputs include the cell ``ref``."""
    return _involving(edition).get(ref, ())
