"""A compact, read-only map from cells to where their values came from.

Readers record a source line for every cell; kept as a dict of ``CellSource``
objects that costs about 23 kB a report, more than the tables themselves. This
map keeps the lines in one array indexed by the cell's place in the form, and
full :class:`CellSource` objects only for the few cells that also carry printed
text or an inference mark.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

from .cells import CellRef, CellSource

if TYPE_CHECKING:
    from .report import Edition

__all__ = ["MAX_LINE", "Provenance", "compact", "first_line", "inferred_cells"]

_NONE = 0  # lines are 1-based, so 0 can mean "no line"
#: The largest line kept in the compact array: what an ``array("l")`` holds on
#: every platform. A source with another line (0, negative, huge) stays a ``CellSource``.
MAX_LINE = 2**31 - 1


def _fits(line: int) -> bool:
    # A line the array can hold; any other (0, negative, huge) stays a CellSource.
    return 0 < line <= MAX_LINE


@cache
def _index(edition: Edition) -> tuple[tuple[CellRef, ...], Mapping[CellRef, int]]:
    from .schema import form

    refs = form(edition).refs()
    return refs, {ref: i for i, ref in enumerate(refs)}


class Provenance(Mapping[CellRef, CellSource]):
    """A ``Mapping[CellRef, CellSource]`` that stores lines compactly.

    ``_lines`` holds the line of every cell whose source is only a line;
    ``_rich`` holds the others: a full :class:`CellSource`, or, for a cell
    :func:`~govdisclosure.infer` filled, just the rule id, its line staying in
    ``_lines`` (the source is then made when asked for).
    """

    __slots__ = ("_edition", "_lines", "_rich")

    def __init__(self, edition: Edition, sources: Mapping[CellRef, CellSource]) -> None:
        refs, index = _index(edition)
        self._edition = edition
        self._lines = array("l", [_NONE]) * len(refs) if sources else array("l")
        self._rich: dict[CellRef, CellSource | str] = {}
        for ref, src in sources.items():
            i = index.get(ref)
            if (i is None or src.printed is not None or src.inferred_by is not None
                    or src.page is not None or src.line is None or not _fits(src.line)):
                self._rich[ref] = src
            else:
                self._lines[i] = src.line

    @classmethod
    def from_lines(
        cls, edition: Edition, lines: Sequence[int], rich: Mapping[CellRef, CellSource]
    ) -> Provenance:
        """Build from one line per cell in form order (0: no line) and full sources.

        The fast way for a reader that keeps its lines in form order: the array is
        made in one call. Sources in ``rich`` take precedence over the lines.
        """
        refs, index = _index(edition)
        if len(lines) != len(refs):
            raise ValueError(f"edition {edition} has {len(refs)} cells, got {len(lines)} lines")
        self = cls(edition, {})
        if any(lines):
            if max(lines) > MAX_LINE or min(lines) < 0:
                return cls(edition, {**{refs[i]: CellSource(line=line)
                                        for i, line in enumerate(lines) if line}, **rich})
            self._lines = array("l", lines)
            for ref in rich:
                i = index.get(ref)
                if i is not None:
                    self._lines[i] = _NONE
        self._rich.update(rich)
        return self

    def updated(self, changes: Mapping[CellRef, CellSource]) -> Provenance:
        """A copy with ``changes`` applied, without unpacking every entry."""
        new = Provenance(self._edition, {})
        new._lines = array("l", self._lines)
        new._rich = dict(self._rich)
        index = _index(self._edition)[1]
        for ref, src in changes.items():
            i = index.get(ref)
            if (i is not None and new._lines and src.printed is None
                    and src.inferred_by is None and src.page is None and src.line is not None
                    and _fits(src.line)):
                new._lines[i] = src.line
                new._rich.pop(ref, None)
            else:
                if i is not None and new._lines:
                    new._lines[i] = _NONE
                new._rich[ref] = src
        return new

    def _marked(self, i: int, rule_id: str) -> CellSource:
        # The source of a cell marked as inferred, at position ``i``.
        line = self._lines[i] if self._lines else _NONE
        return CellSource(line=line if line != _NONE else None, inferred_by=rule_id)

    def inferred_at(self, filled: Mapping[int, str]) -> Provenance:
        """A copy in which each cell at position ``i`` of ``filled`` is marked as
        inferred by the rule ``filled[i]``, keeping its line and printed text."""
        refs = _index(self._edition)[0]
        new = Provenance(self._edition, {})
        new._lines = array("l", self._lines)
        rich = new._rich = dict(self._rich)
        for i, rule_id in filled.items():
            ref = refs[i]
            old = rich.get(ref)
            if old is None or isinstance(old, str):
                rich[ref] = rule_id  # the line, if any, stays in the array
            else:
                rich[ref] = CellSource(line=old.line, printed=old.printed,
                                             inferred_by=rule_id)
        return new

    def inferred(self) -> dict[CellRef, str]:
        """The cells :func:`~govdisclosure.infer` filled, with the rule that forced each.

        Looks only at the few cells kept apart, not at every line."""
        out: dict[CellRef, str] = {}
        for ref, rich in self._rich.items():
            rule_id = rich if isinstance(rich, str) else rich.inferred_by
            if rule_id is not None:
                out[ref] = rule_id
        return out

    def line_at(self, i: int, ref: CellRef) -> int | None:
        """The source line of ``ref``, the cell at position ``i`` of the form."""
        rich = self._rich.get(ref)
        if rich is not None and not isinstance(rich, str):
            return rich.line
        if self._lines and self._lines[i] != _NONE:
            return self._lines[i]
        return None

    def __getitem__(self, ref: CellRef) -> CellSource:
        rich = self._rich.get(ref)
        if rich is not None:
            if isinstance(rich, str):
                return self._marked(_index(self._edition)[1][ref], rich)
            return rich
        if self._lines:
            i = _index(self._edition)[1].get(ref)
            if i is not None and self._lines[i] != _NONE:
                return CellSource(line=self._lines[i])
        raise KeyError(ref)

    def __contains__(self, ref: object) -> bool:
        # What ``ref in self`` would find through ``__getitem__``, without
        # making the source.
        if ref in self._rich:
            return True
        if self._lines:
            i = _index(self._edition)[1].get(ref)  # type: ignore[call-overload]
            return i is not None and self._lines[i] != _NONE
        return False

    def __bool__(self) -> bool:
        # Not empty: a source kept apart, or any line (0 is "no line").
        return bool(self._rich) or any(self._lines)

    def __iter__(self) -> Iterator[CellRef]:
        refs = _index(self._edition)[0]
        lines = self._lines
        rich = self._rich
        for i in range(len(lines)):
            if lines[i] != _NONE and refs[i] not in rich:
                yield refs[i]
        yield from rich

    def __len__(self) -> int:
        refs = _index(self._edition)[0]
        count = sum(1 for i, line in enumerate(self._lines)
                    if line != _NONE and refs[i] not in self._rich)
        return count + len(self._rich)

    def __repr__(self) -> str:
        return f"Provenance({self._edition!r}, {dict(self.items())!r})"


def compact(
    edition: Edition, sources: Mapping[CellRef, CellSource]
) -> Mapping[CellRef, CellSource]:
    """``sources`` as a :class:`Provenance` (an empty mapping stays a plain dict)."""
    if isinstance(sources, Provenance) or not sources:
        return sources
    return Provenance(edition, sources)


def first_line(
    provenance: Mapping[CellRef, CellSource], refs: Sequence[CellRef]
) -> int | None:
    """The source line of the first of ``refs`` that has one (for a finding's ``line``)."""
    for ref in refs:
        src = provenance.get(ref)
        if src is not None and src.line is not None:
            return src.line
    return None


def inferred_cells(provenance: Mapping[CellRef, CellSource]) -> dict[CellRef, str]:
    """The cells of ``provenance`` marked as inferred, with the rule that forced each."""
    if isinstance(provenance, Provenance):
        return provenance.inferred()
    return {ref: src.inferred_by for ref, src in provenance.items()
            if src.inferred_by is not None}
