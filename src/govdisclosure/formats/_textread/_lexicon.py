"""The labels of each table as lookup structures, built once per edition.

Every label of the form (rows, group labels, block captions, header cells) is
indexed by its key (:func:`._normalise.key`), and also without its enumerator
(``予以公开`` for ``（一）予以公开``). :meth:`Lexicon.lookup` tries, in order: an
exact key; a key that starts with a label (a provincial note after it,
``规章(设区的市…)``); a piece of a label (a label wrapped or cut by PDF
extraction, ``行政机关不再处理其政府信息公``); and finally any fragment of the
form's text (``予公开``, ``企业``), which is form text carrying no data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Literal

import attrs

from ...model.report import Edition
from ...model.schema import Kind as ColumnKind
from ...model.schema import RowSpec, form
from ._normalise import key, strip_enumerator

__all__ = ["Entry", "Lexicon", "Match", "lexicon"]

Kind = Literal["row", "group", "header"]

#: The top-left note cell of table 三.
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
#: The label of rows （一）…（七） of table 三 as a whole.
RESULTS = "三、本年度办理结果"
#: 小计: the 法人或其他组织 subtotal some tables print as an eighth column.
_APPLICATION_HEADERS = (NOTE, "申请人情况", "法人或其他组织", "小计")
_ACTIVE_HEADERS = ("信息内容",)
_APPEAL_HEADERS = ("行政诉讼",)
# Shortest piece of a label that may stand for the label (shorter pieces are
# only form text).
_MIN_PIECE = 4
# Memoised lookups: keys up to this length, this many per lexicon at most.
_MEMO_KEY = 200
_MEMO_SIZE = 4096


@attrs.frozen(slots=True)
class Entry:
    """What a label names: a data row, a group (by its first row), or a header."""

    kind: Kind
    index: int = -1


@attrs.frozen(slots=True)
class Match:
    """The result of a lookup. ``entries`` are the candidates (several only for
    a loose match); ``loose`` tells that the text is not the label itself."""

    kind: Kind | Literal["fragment"]
    entries: tuple[Entry, ...] = ()
    loose: bool = False


@attrs.frozen(slots=True)
class Lexicon:
    """The labels of one table of one edition."""

    table: str
    rows: tuple[RowSpec, ...]
    exact: Mapping[str, Entry]
    labels: tuple[tuple[str, Entry], ...]
    lengths: tuple[int, ...]
    form_text: str
    #: Where each row's first cell sits among the form's cells (form order).
    offsets: tuple[int, ...]
    #: The kind of each row's columns.
    kinds: tuple[tuple[ColumnKind, ...], ...]
    #: How many columns each row has.
    widths: tuple[int, ...]
    # Lookups by key, memoised: the same labels come back in every report.
    _memo: dict[str, Match | None] = attrs.field(factory=dict, eq=False, repr=False)

    def lookup(self, text_key: str) -> Match | None:
        """What the cell whose key is ``text_key`` names, if anything."""
        try:
            return self._memo[text_key]
        except KeyError:
            pass
        found = self._lookup(text_key)
        if len(text_key) <= _MEMO_KEY:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[text_key] = found
        return found

    def _lookup(self, text_key: str) -> Match | None:
        if not text_key:
            return None
        entry = self.exact.get(text_key)
        if entry is not None:
            return Match(entry.kind, (entry,))
        core = strip_enumerator(text_key)
        if core != text_key:
            entry = self.exact.get(core)
            # A numbered text is a row or a group, never a bare header word.
            if entry is not None and entry.kind != "header":
                return Match(entry.kind, (entry,))
        for candidate in (text_key, core) if core != text_key else (text_key,):
            for length in self.lengths:
                if length >= len(candidate):
                    continue
                entry = self.exact.get(candidate[:length])
                if entry is None:
                    continue
                if entry.kind == "header":
                    if length >= _MIN_PIECE:
                        return Match("header", (entry,))
                    continue
                return Match(entry.kind, (entry,), loose=True)
        if len(text_key) >= _MIN_PIECE:
            pieces = (text_key, core) if len(core) >= _MIN_PIECE else (text_key,)
            found = [e for k, e in self.labels if any(p in k for p in pieces)]
            rows = tuple(e for e in found if e.kind == "row")
            if rows:
                return Match("row", _unique(rows), loose=True)
            groups = tuple(e for e in found if e.kind == "group")
            if groups:
                return Match("group", _unique(groups), loose=True)
            if found:
                return Match("header", (found[0],))
        if text_key in self.form_text:
            return Match("fragment")
        return None


def _unique(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    return tuple(dict.fromkeys(entries))


@cache
def lexicon(edition: Edition, table: str) -> Lexicon:
    """The lexicon of ``table`` in ``edition``'s form."""
    spec = form(edition).table(table)
    rows = spec.rows
    headers: list[str] = []
    groups: list[tuple[str, int]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.group is not None and row.group not in seen:
            seen.add(row.group)
            groups.append((row.group_label or "", i))
    if table == "active":
        headers.extend(_ACTIVE_HEADERS)
        headers.extend(c.label for r in rows for c in r.columns)
    elif table == "applications":
        headers.extend(_APPLICATION_HEADERS)
        headers.extend(c.label for c in rows[0].columns)
        groups.append((RESULTS, next(i for i, r in enumerate(rows) if r.key == "granted")))
    else:
        headers.extend(_APPEAL_HEADERS)
        headers.extend(c.label for c in rows[0].columns)
        groups = [(r.label.split("/")[-1], i) for i, r in enumerate(rows)]
    exact: dict[str, Entry] = {}
    labels: list[tuple[str, Entry]] = []
    for text in headers:
        exact.setdefault(key(text), Entry("header"))
    full: list[tuple[str, Entry]] = [
        (key(label), Entry("group", i)) for label, i in groups
    ]
    if table != "appeals":
        full.extend((key(r.label), Entry("row", i)) for i, r in enumerate(rows))
    for k, entry in full:
        exact[k] = entry
        labels.append((k, entry))
    for k, entry in full:
        core = strip_enumerator(k)
        if core != k and core not in exact:
            exact[core] = entry
    for text in headers:
        labels.append((key(text), Entry("header")))
    lengths = tuple(sorted({len(k) for k in exact if len(k) >= 2}, reverse=True))
    form_text = "\x00".join(k for k, _ in labels)
    first = 0
    for other in form(edition).tables:
        if other.key == table:
            break
        first += sum(len(r.columns) for r in other.rows)
    offsets = []
    for row in rows:
        offsets.append(first)
        first += len(row.columns)
    return Lexicon(
        table=table,
        rows=rows,
        exact=exact,
        labels=tuple(labels),
        lengths=lengths,
        form_text=form_text,
        offsets=tuple(offsets),
        kinds=tuple(tuple(c.kind for c in r.columns) for r in rows),
        widths=tuple(len(r.columns) for r in rows),
    )
