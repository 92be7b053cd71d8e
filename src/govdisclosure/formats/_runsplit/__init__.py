"""Recover the cells of a table whose cell separators were lost.

Naive scrapers turn a table row such as ``| 23 | 0 | 0 | 0 | 0 | 0 | 23 |`` into
``230 000023``: the row label survives, the boundaries between its numbers do not.
:func:`split_table` finds each row label of one table in such text
(:mod:`._locate`), lists every reading of the digits after it as the row's cells
(:mod:`._readings`; each run and what is decided of it: :mod:`._runs`), narrows
the readings of table 三 with its column identities
(:mod:`._identities`), and keeps each cell that every remaining reading agrees on.
The other cells stay blank and a finding lists the readings that remained.
Spaces inside a run are never trusted as boundaries, but among consistent
readings the one that puts every space on a boundary is taken when there is
exactly one. :func:`split_tables` reads a report's tables together, so that one
table showing that empty cells vanished tells how to read the others.

Split into modules because the three steps are separate concerns, each with
its own bounds; this module only orchestrates and reports.

The functions here are pure and total: any string gives a :class:`RunTable`
quickly (the searches are bounded and report ambiguity when a bound is hit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..._methods import fields_eq, fields_hash, fields_repr
from ...model.cells import Blank, CellRef, CellSource, Value
from ...model.findings import Finding
from ...model.report import Edition
from ...model.schema import TableSpec, form
from ...model.tables import ExtraRow
from ...validation.catalogue import CODES as _CATALOGUE
from .._textread._findings import finding
from ._identities import applications_constraints, solve, stated
from ._locate import Lines, Located, locate
from ._readings import GONE, Group, Split
from ._runs import Known, Run, agreed, apply_hint, decide_locally, gone
from ._runs import drops_blanks as drops_blanks_in

__all__ = ["CODES", "RunTable", "split_table", "split_tables"]

#: The finding codes this module emits, with their meaning (from the catalogue).
CODES: Mapping[str, str] = {
    code: _CATALOGUE[code].statement_en
    for code in ("read-ambiguous-split", "read-unsplittable-row", "read-missing-row",
                 "read-missing-table", "read-unplaced-values")
}

#: How many candidates a finding's message shows.
SHOWN_CANDIDATES = 5


_BLANK = Blank("")


@attrs.frozen(kw_only=True, slots=True)
class RunTable:
    """What :func:`split_table` recovered from one table's text.

    ``values`` has every cell of the table (blank where nothing could be
    recovered), ``provenance`` the line of each cell and the row's run as
    printed, ``findings`` the problems met (a ``read-ambiguous-split``
    finding's ``expected`` lists the readings that remained, ``|`` between
    them), and ``extra_rows`` labelled rows the form does not have (their
    numbers kept unsplit). ``drops_blanks`` tells that the table was read as
    one whose empty cells vanished from the text. ``unplaced`` holds the run
    of a row the text may be cut off in (not read: its cells are blank).
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    values: Mapping[CellRef, Value]
    provenance: Mapping[CellRef, CellSource]
    findings: tuple[Finding, ...]
    extra_rows: tuple[ExtraRow, ...]
    drops_blanks: bool = False
    unplaced: tuple[str, ...] = ()


def split_table(segment: str, edition: Edition, table: str, first_line: int, *,
                drops_blanks: bool | None = None, open_end: bool = False) -> RunTable:
    """Recover the cells of ``table`` from ``segment``, text whose separators were lost.

    ``segment`` is the raw text of the table's region (after its section heading,
    up to the next one), ``first_line`` the source line it starts on.
    ``drops_blanks`` says whether empty cells vanished from the text; ``None``
    lets the table's own text tell (a row too short for its cells).
    ``open_end`` says the text ends with the segment, not even a line break
    after it: the row it ends in may be cut off, and is not read. Never
    raises for any text; an unknown ``edition`` or ``table`` is a programmer
    error (:class:`KeyError` or :class:`ValueError`).
    """
    spec = form(edition).table(table)
    located = locate(segment, edition, spec, first_line, open_end)
    vanish = drops_blanks if drops_blanks is not None else drops_blanks_in(located.runs)
    _decide(spec, located, vanish)
    return _report(spec, located, vanish, first_line)


def split_tables(
    segments: Mapping[str, tuple[str, int]], edition: Edition, overview: str = "",
    open_end: str | None = None,
) -> dict[str, RunTable]:
    """:func:`split_table` for several tables of one report: ``segments`` maps a
    table to its text and first line. One crawler printed them all, so when one
    table shows that empty cells vanished, every table is read so. ``overview``
    is the text of 一、总体情况: a count it states clearly
    (``被申请行政复议1件``, see :func:`govdisclosure.validation.prose.quotes`)
    narrows the readings of the rows it sums when it leaves some of them.
    ``open_end`` names the table whose text ends the input, not even a line
    break after it (see :func:`split_table`)."""
    found = {
        table: (form(edition).table(table), locate(segment, edition,
                                                   form(edition).table(table), first,
                                                   table == open_end))
        for table, (segment, first) in segments.items()
    }
    vanish = any(drops_blanks_in(located.runs) for _, located in found.values())
    for spec, located in found.values():
        _decide(spec, located, vanish)
    if overview and any(run.ambiguous for _, loc in found.values() for run in loc.runs):
        runs = [run for _, located in found.values() for run in located.runs]
        if stated(overview, edition, runs) and "applications" in found:
            spec, located = found["applications"]
            _solve(spec, located.runs)
    return {table: _report(spec, located, vanish, segments[table][1])
            for table, (spec, located) in found.items()}


def _decide(spec: TableSpec, located: Located, vanish: bool) -> None:
    """Each run's readings, narrowed by the table's identities."""
    units = spec.key == "active"
    known: Known = {}
    for run in located.runs:
        run.vanish = vanish
        decide_locally(run, units, known)
    if spec.key == "applications":
        _solve(spec, located.runs)


def _solve(spec: TableSpec, runs: Sequence[Run]) -> None:
    solve({r.row: r for r in runs if r.row is not None},
          applications_constraints([r.key for r in spec.rows]),
          ncols=len(spec.rows[0].columns))


def _report(spec: TableSpec, located: Located, vanish: bool, first_line: int) -> RunTable:
    runs = located.runs
    for run in runs:
        apply_hint(run)
    if not any(run.found for run in runs):
        refs = tuple(ref for row in spec.rows for ref in row.refs())
        return RunTable(
            values=dict.fromkeys(refs, _BLANK), provenance={}, extra_rows=(),
            findings=(finding(
                "read-missing-table",
                f"第{first_line}行：表{spec.short}的内容未找到，单元格留空。",
                f"line {first_line}: table {spec.key} was not found in its section; its "
                "cells are blank.",
                table=spec.key, line=first_line, cells=refs, blanks=refs,
            ),),
            drops_blanks=vanish,
        )
    values, provenance, findings = _finish(spec, runs, located.lines)
    return RunTable(values=values, provenance=provenance, findings=tuple(findings),
                    extra_rows=tuple(located.extra), drops_blanks=vanish,
                    unplaced=tuple(run.raw for run in runs if run.cut and run.raw))


def _shown(splits: Sequence[Split], groups: Sequence[Group]) -> list[str]:
    """:func:`_show` of each split (of a one-group run: every value at once)."""
    if len(groups) != 1:
        return [_show(split, groups) for split in splits]
    width = len(groups[0].kinds)
    # A number never prints empty; a blank prints its mark, or 空 when it has none.
    texts = [str(v) or "空" for split in splits for v, _ in split]
    return [",".join(texts[at: at + width]) for at in range(0, len(texts), width)]


def _show(split: Split, groups: Sequence[Group]) -> str:
    # A number never prints empty; a blank prints its mark, or 空 when it has none.
    vals = [str(v) or "空" for v, _ in split]
    if len(groups) == 1:
        return ",".join(vals)
    parts: list[str] = []
    at = 0
    for g in groups:
        parts.append(",".join(vals[at: at + len(g.kinds)]))
        at += len(g.kinds)
    return " / ".join(parts)


def _where(table: TableSpec, run: Run) -> tuple[str, str]:
    zh_row = f"表{table.short}" + (f"「{run.label}」" if run.label else "")
    en_row = f"{table.key}" + (f"/{run.row}" if run.row else "")
    line = f"第{run.line}行" if run.line is not None else ""
    en_line = f" (line {run.line})" if run.line is not None else ""
    return zh_row + line, en_row + en_line


def _as_printed(run: Run, value: Value, start: int) -> Value:
    """A blank mark as printed (the search sees it folded: ``—`` as ``-``)."""
    if isinstance(value, Blank) and value is not GONE:
        return Blank(run.printed[start: start + len(value.printed)])
    return value


def _finish(
    table: TableSpec, runs: Sequence[Run], lines: Lines,
) -> tuple[dict[CellRef, Value], dict[CellRef, CellSource], list[Finding]]:
    values: dict[CellRef, Value] = {}
    provenance: dict[CellRef, CellSource] = {}
    findings: list[Finding] = []
    # Runs printed alike share their list of readings (each list is worded once)
    # and, on one line, their source (a CellSource is frozen).
    worded: dict[int, list[str]] = {}
    sources: dict[tuple[int | None, str], CellSource] = {}
    for run in runs:
        chosen = run.chosen
        if chosen is not None:
            _chosen(run, chosen, values, provenance, lines, sources)
            continue
        for ref in run.refs:
            values[ref] = _BLANK
        if not run.found:
            zh, en = _where(table, run)
            findings.append(finding(
                "read-missing-row", f"{zh}：未找到该行，单元格留空。",
                f"{en}: the row was not found; its cells are left blank.",
                table=table.key, row=run.row, cells=run.refs, blanks=run.refs,
                expected=run.full_label or None,
            ))
            continue
        if run.cut:
            findings.append(_cut_off(table, run))
            continue
        shared = CellSource(line=run.line, printed=run.raw or None)
        for ref in run.refs:
            provenance[ref] = shared
        if run.compact:  # else nothing printed: the cells are blank as printed
            findings.append(_unsettled(table, run, values, worded))
    return values, provenance, findings


def _chosen(run: Run, chosen: Split, values: dict[CellRef, Value],
            provenance: dict[CellRef, CellSource], lines: Lines,
            sources: dict[tuple[int | None, str], CellSource]) -> None:
    """The cells of a run read one way, and the line each was printed on
    (``sources``: the sources made so far, by line and run)."""
    if chosen is gone(len(run.refs)):  # nothing printed: every cell vanished
        values.update(dict.fromkeys(run.refs, GONE))
        return
    one_line = "\n" not in run.raw
    source = sources.get((run.line, run.raw))
    if source is None:
        source = sources[run.line, run.raw] = CellSource(line=run.line, printed=run.raw)
    for ref, (value, start) in zip(run.refs, chosen, strict=True):
        values[ref] = _as_printed(run, value, start) if isinstance(value, Blank) else value
        if value is GONE:
            continue  # nothing printed for this cell
        if not one_line:
            line = lines.at(run.at(start))
            source = sources.get((line, run.raw)) or sources.setdefault(
                (line, run.raw), CellSource(line=line, printed=run.raw))
        provenance[ref] = source


def _cut_off(table: TableSpec, run: Run) -> Finding:
    """The finding for a row the text ends in: it may be cut off there."""
    zh, en = _where(table, run)
    if run.raw:
        what_zh, what_en = f"在其数字“{run.raw}”处", f"in its numbers {run.raw!r}"
    else:
        what_zh, what_en = "在其标签之后", "after its label"
    return finding(
        "read-unplaced-values",
        f"{zh}：文本{what_zh}结束，其后连换行也没有，可能被截断，不予读取，单元格留空。",
        f"{en}: the text ends {what_en} with nothing after it, not even a line break: "
        "it may be cut off, so the row is not read and its cells are left blank.",
        table=table.key, row=run.row, line=run.line, cells=run.refs, blanks=run.refs,
        actual=run.raw or None,
    )


def _unsettled(table: TableSpec, run: Run, values: dict[CellRef, Value],
               worded: dict[int, list[str]]) -> Finding:
    """Keep the cells every reading of ``run`` agrees on; the finding for the rest.
    ``worded`` holds the readings already shown, by list."""
    splits = run.ambiguous if run.ambiguous is not None else run.unchecked
    first = splits[0] if splits else None
    kept: list[CellRef] = []
    left: list[CellRef] = []
    for i, (ref, v) in enumerate(zip(run.refs, agreed(run), strict=True)):
        if v is None:
            left.append(ref)
        else:
            values[ref] = _as_printed(run, v, first[i][1]) if first else v
            kept.append(ref)
    uncertain = tuple(left)
    zh, en = _where(table, run)
    if run.ambiguous is not None:
        every = worded.get(id(run.ambiguous))
        if every is None:
            every = worded[id(run.ambiguous)] = _shown(run.ambiguous, run.groups)
        shown = "; ".join(every[:SHOWN_CANDIDATES])
        more = "" if run.complete and len(run.ambiguous) <= SHOWN_CANDIDATES else " …"
        readings = " | ".join(every)
        if not run.complete:
            readings += " | …"
        names = "、".join(_column_zh(table, ref) for ref in kept)
        keep_zh = f"各种拆分一致的{names}保留，其余" if kept else ""
        keep_en = (f"the cells every split agrees on ({', '.join(r.column for r in kept)}) "
                   "are kept, the others" if kept else "its cells")
        return finding(
            "read-ambiguous-split",
            (f"{zh}：数字“{run.raw}”可按多种方式拆分为单元格（{shown}{more}），"
             f"无法确定，{keep_zh}单元格留空。"),
            (f"{en}: the run {run.raw!r} splits into cells in several ways "
             f"consistent with the totals ({shown}{more}); {keep_en} are left blank."),
            table=table.key, row=run.row, line=run.line, cells=run.refs,
            blanks=uncertain, expected=readings, actual=run.raw,
        )
    why_zh = "拆分方式过多" if not run.complete else "没有与总计一致的拆分方式"
    why_en = ("it has too many possible splits" if not run.complete
              else "no split into its cells is consistent with the totals")
    return finding(
        "read-unsplittable-row",
        (f"{zh}：数字“{run.raw}”无法拆分为{len(run.refs)}个单元格（{why_zh}），"
         + (f"各种拆分一致的{len(kept)}格保留，其余" if kept else "") + "单元格留空。"),
        (f"{en}: the run {run.raw!r} cannot be split into {len(run.refs)} cells: "
         f"{why_en}; " + (f"the {len(kept)} cells every split agrees on are kept, the "
                          "others " if kept else "its cells ") + "are left blank."),
        table=table.key, row=run.row, line=run.line, cells=run.refs, blanks=uncertain,
        actual=run.raw,
    )


def _column_zh(table: TableSpec, ref: CellRef) -> str:
    label = table.row(ref.row).column(ref.column).label
    return f"{table.row(ref.row).label.split('/')[-1]}「{label}」" if table.key == "appeals" \
        else label
