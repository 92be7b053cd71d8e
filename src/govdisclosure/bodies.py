"""Which body a report belongs to: the normalised body key, and aliases for renamings.

Reports of one body over the years form a series. The body is the one named
in the report's title (``Report.agency``), never a crawler's ``发布机构`` line
(``Report.publisher``): a zone's portal publishes its offices' reports under
its own name. Names are written differently from year to year (spaces,
full-width letters, traditional characters, the title's own words left on),
so bodies are compared on a *key*; a body that was renamed is joined to its
new name through an aliases file.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping

import attrs

from . import _files
from ._methods import fields_eq, fields_hash, fields_repr
from .errors import Problem, ReadError
from .model._normalise import key
from .model.labels import REPORT_NAME

__all__ = ["Aliases", "body_key", "read_aliases"]

# The title's words after (or before) the body's name: a year, and the name of
# the report itself, in the forms titles use (keys: brackets are ASCII).
_YEAR = r"[(\[]?\d{4}年?度?[)\]]?"
_TRAILING = re.compile(rf"(?:关于)?(?:{_YEAR})?的?{REPORT_NAME}$")
_LEADING_YEAR = re.compile(rf"^{_YEAR}")


def body_key(name: str | None, aliases: Aliases | None = None) -> str | None:
    """The key of a body's name; two reports are of one body when their keys are equal.

    The name's key is the lexicon's (:func:`govdisclosure.model._normalise.key`:
    full-width forms, traditional characters to simplified, whitespace deleted,
    curly quotes straightened, Latin letters case-folded), and the words of the
    report's title are taken off (``2020年度政府信息公开工作年度
    报告``), so that a title and the name in it give the same key. ``aliases``
    maps old names to new ones. ``None`` when there is no name.
    """
    if name is None:
        return None
    text = key(name)
    text = _TRAILING.sub("", text)
    text = _LEADING_YEAR.sub("", text)
    if not text:
        return None
    return aliases.resolve(text) if aliases is not None else text


@attrs.frozen(slots=True)
class Aliases:
    """Renamings: the key of a name to the key of the body it is now part of.

    Built by :func:`read_aliases` or :meth:`from_pairs`; picklable, so that
    worker processes can use it.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    keys: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Aliases:
        """Aliases from ``(name, body)`` pairs: ``name`` is another name of ``body``."""
        keys: dict[str, str] = {}
        for name, body in pairs:
            old, new = body_key(name), body_key(body)
            if old is not None and new is not None and old != new:
                keys[old] = new
        return cls(keys)

    def resolve(self, key: str) -> str:
        """The body ``key`` stands for, following chains of renamings."""
        seen = {key}
        while key in self.keys:
            key = self.keys[key]
            if key in seen:  # a cycle: stop where it closes
                break
            seen.add(key)
        return key


def read_aliases(path: str | os.PathLike[str]) -> Aliases:
    """Read an aliases file: CSV with two columns, ``name,body``, one renaming a line.

    A first line ``name,body`` is a header and is skipped. Raises
    :class:`~govdisclosure.ReadError` naming every line that is not two names.
    """
    text = _files.read_text(path)
    pairs: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and [c.lower() for c in cells] == ["name", "body"]):
            continue
        if len(cells) != 2 or not all(cells):
            problems.append(Problem(
                message=f"expected two names, `name,body`, got {len(cells)} field(s): "
                f"{','.join(row)!r}",
                message_zh=f"应为两个名称 `名称,机关`，实为 {len(cells)} 个字段："
                f"{','.join(row)!r}",
                line=number,
            ))
            continue
        pairs.append((cells[0], cells[1]))
    if problems:
        raise ReadError(problems, os.fspath(path))
    return Aliases.from_pairs(pairs)
