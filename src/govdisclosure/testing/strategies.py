"""Hypothesis strategies that generate reports of both editions of the form.

:func:`reports` draws valid reports: identities I1–I4, D1 and T2 all hold, so
:func:`govdisclosure.validate` finds nothing in them. Their numbers look like
real ones (most cells are 0, a few bodies handle thousands of applications),
and their narrative sections carry Chinese prose with full- and half-width
punctuation, ``|`` and newlines, so that writers meet what real reports hold.

:func:`broken_cell` and :func:`blanked_cell` change one cell of a given report,
for properties such as "breaking one cell fires exactly the rules involving it".
Tables are built by construction, not by filtering, so drawing stays fast.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Literal, NamedTuple, overload

import attrs

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on what is installed
    raise ImportError(
        "govdisclosure.testing.strategies needs hypothesis: "
        "install it with pip install 'govdisclosure[test]'"
    ) from error

from ..model.cells import Blank, CellRef, CellSource, Value
from ..model.report import (
    EDITIONS,
    SECTION_HEADINGS,
    Edition,
    Report,
    Report2019,
    Report2021,
    Section,
)
from ..model.schema import build_report, form, form_of, get_cell, replace_cells
from ..model.tables import (
    Active2019,
    Active2021,
    Appeals,
    Applications2019,
    Applications2021,
    ExtraRow,
)

__all__ = [
    "BLANK_TEXTS",
    "CellChange",
    "active_tables",
    "amounts",
    "appeals_tables",
    "applications_tables",
    "blanked_cell",
    "broken_cell",
    "counts",
    "reports",
    "texts",
]

#: What real reports print in a cell that holds no number.
BLANK_TEXTS: tuple[str, ...] = ("", "/", "—", "-", "无", "&nbsp;")

# Rows of table 三 that are not outcomes: the two inflows, the total handled and
# the carry-forward. Every other row is an outcome row (FORMAT.md, I2).
_BALANCE_ROWS = ("received", "carried_over", "total_handled", "carried_forward")

# The largest count one column (or one row of tables 二 and 四) may hold. Most
# columns of most reports are all zeros; a few bodies receive thousands.
_CAPS = (0, 0, 0, 3, 9, 40, 300, 5000)
_APPEAL_CAPS = (0, 0, 0, 2, 5, 30)

_TABLES = ("active", "applications", "appeals")


# --- numbers ------------------------------------------------------------------


def _sometimes(draw: st.DrawFn, one_in: int) -> bool:
    # True once in ``one_in`` draws; shrinks to False, the common case.
    return draw(st.integers(0, one_in - 1)) == one_in - 1


@st.composite
def _counts(draw: st.DrawFn, max_value: int) -> int:
    tier = draw(st.integers(0, 9))
    if max_value <= 0 or tier < 6:
        return 0
    if tier < 9:
        return draw(st.integers(1, min(9, max_value)))
    return draw(st.integers(1, max_value))


def counts(*, max_value: int = 5000) -> st.SearchStrategy[int]:
    """Non-negative counts as reports print them: mostly 0, often a few, rarely up
    to ``max_value``. Shrinks towards 0."""
    if max_value < 0:
        raise ValueError(f"max_value must be non-negative, got {max_value}")
    return _counts(max_value)


@st.composite
def _amounts(draw: st.DrawFn, max_units: int) -> Decimal:
    places = draw(st.integers(0, 4))
    units = draw(_counts(max_units))
    # scaleb keeps the exponent, so 0 with 2 places is Decimal("0.00"), as printed.
    return Decimal(units).scaleb(-places)


def amounts(*, max_units: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Non-negative exact amounts with 0 to 4 decimal places (``52.15``, ``0.00``,
    ``251000``), mostly zero; ``max_units`` bounds the digits read as an integer."""
    if max_units < 0:
        raise ValueError(f"max_units must be non-negative, got {max_units}")
    return _amounts(max_units)


@st.composite
def _signed(draw: st.DrawFn, max_value: int, floor: int) -> int:
    # A 2019 本年增/减: a change that never takes the item count below zero.
    magnitude = draw(_counts(max_value))
    if draw(st.booleans()):
        return -min(magnitude, floor)
    return magnitude


# --- tables -------------------------------------------------------------------


def _check_edition(edition: Edition) -> Edition:
    if edition not in EDITIONS:
        raise ValueError(
            f"unknown edition {edition!r}: expected one of {', '.join(EDITIONS)} or None"
        )
    return edition


@st.composite
def _active_cells(draw: st.DrawFn, edition: Edition) -> dict[CellRef, Value]:
    cells: dict[CellRef, Value] = {}
    for row in form(edition).table("active").rows:
        cap = draw(st.sampled_from(_CAPS))
        keys = [c.key for c in row.columns]
        for column in row.columns:
            ref = CellRef("active", row.key, column.key)
            if column.kind == "amount":
                cells[ref] = draw(_amounts(10**9))
            elif column.kind == "signed":
                previous = cells.get(CellRef("active", row.key, "previous_items"), 0)
                floor = previous if isinstance(previous, int) else 0
                cells[ref] = draw(_signed(cap, floor))
            else:
                cells[ref] = draw(_counts(cap))
        if "published" in keys and "total_published" in keys:
            # T2: what was published this year is part of everything published.
            published = cells[CellRef("active", row.key, "published")]
            assert isinstance(published, int)
            cells[CellRef("active", row.key, "total_published")] = published + draw(
                _counts(max(cap, 9) * 10)
            )
    return cells


@st.composite
def _applications_cells(draw: st.DrawFn, edition: Edition) -> dict[CellRef, Value]:
    table = form(edition).table("applications")
    columns = [c.key for c in table.rows[0].columns if c.key != "total"]
    outcomes = [r.key for r in table.rows if r.key not in _BALANCE_ROWS]
    cells: dict[CellRef, int] = {}
    # Many bodies (a township, a small bureau) receive no application at all.
    quiet = _sometimes(draw, 6)
    for column in columns:
        cap = 0 if quiet else draw(st.sampled_from(_CAPS))
        handled = 0
        for row in outcomes:
            value = draw(_counts(cap))
            cells[CellRef("applications", row, column)] = value
            handled += value
        carried_forward = draw(_counts(cap))
        # I1: received + carried_over == handled + carried_forward, received >= 0.
        carried_over = min(draw(_counts(cap)), handled + carried_forward)
        cells[CellRef("applications", "total_handled", column)] = handled
        cells[CellRef("applications", "carried_forward", column)] = carried_forward
        cells[CellRef("applications", "carried_over", column)] = carried_over
        cells[CellRef("applications", "received", column)] = (
            handled + carried_forward - carried_over
        )
    for row_spec in table.rows:
        cells[CellRef("applications", row_spec.key, "total")] = sum(
            cells[CellRef("applications", row_spec.key, c)] for c in columns
        )
    return dict[CellRef, Value](cells)


@st.composite
def _appeals_cells(draw: st.DrawFn) -> dict[CellRef, Value]:
    # Table 四 is the same in both editions.
    cells: dict[CellRef, Value] = {}
    for row in form("2021").table("appeals").rows:
        cap = draw(st.sampled_from(_APPEAL_CAPS))
        total = 0
        for column in row.columns:
            if column.key == "total":
                continue
            value = draw(_counts(cap))
            cells[CellRef("appeals", row.key, column.key)] = value
            total += value
        cells[CellRef("appeals", row.key, "total")] = total
    return cells


@st.composite
def _active_table(draw: st.DrawFn, edition: Edition) -> Active2019 | Active2021:
    report = build_report(edition, draw(_active_cells(edition)))
    return report.active


@st.composite
def _applications_table(
    draw: st.DrawFn, edition: Edition
) -> Applications2019 | Applications2021:
    report = build_report(edition, draw(_applications_cells(edition)))
    return report.applications


@overload
def active_tables(edition: Literal["2019"]) -> st.SearchStrategy[Active2019]: ...
@overload
def active_tables(edition: Literal["2021"]) -> st.SearchStrategy[Active2021]: ...
def active_tables(edition: Edition) -> st.SearchStrategy[Active2019 | Active2021]:
    """Tables 二 of ``edition`` with no blank cell, in which T2 holds (2019)."""
    return _active_table(_check_edition(edition))


@overload
def applications_tables(edition: Literal["2019"]) -> st.SearchStrategy[Applications2019]: ...
@overload
def applications_tables(edition: Literal["2021"]) -> st.SearchStrategy[Applications2021]: ...
def applications_tables(
    edition: Edition,
) -> st.SearchStrategy[Applications2019 | Applications2021]:
    """Tables 三 of ``edition`` in which I1, I2, I3 and D1 hold.

    Built by construction: each applicant column draws its outcome rows, their
    sum is the total handled, the carry-over and carry-forward are drawn and
    the new applications follow from I1; the 总计 column adds up each row.
    """
    return _applications_table(_check_edition(edition))


def appeals_tables() -> st.SearchStrategy[Appeals]:
    """Tables 四 (the same in both editions) in which I4 and D1 hold."""
    return _appeals_cells().map(lambda cells: build_report("2021", cells).appeals)


# --- text ---------------------------------------------------------------------

# A count the overview quotes (rule T1); reports quote their own table's figure.
_QUOTED = "收到依申请公开政府信息6件"

# Fragments of the prose real reports print. None starts like a section heading
# (一、 … 六、), so a reader can tell narrative from headings.
_PHRASES = (
    "本机关",
    "认真贯彻落实《中华人民共和国政府信息公开条例》",
    "主动公开政府信息",
    _QUOTED,
    "全部按时答复",
    "（一）主动公开",
    "（二）依申请公开",
    "(三)政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
    "统计期限自2020年1月1日至12月31日",
    "未发生行政复议、行政诉讼情况",
    "未收取信息处理费",
    "无。",
    "一是",
    "二是",
    "详见下表 | 单位：件",
    "“三安全一稳定”",
    "公开率100%",
    "http://www.example.gov.cn/zwgk/",
)
_ALPHABET = (
    "的是在了和有政府信息公开申请工作年度报告本机关按照规定办理情况网站平台"
    "，。、；：“”‘’（）《》—…！？,.;:()/-|%0123456789ACxyz "
)
_fragments = st.one_of(
    st.sampled_from(_PHRASES), st.text(alphabet=_ALPHABET, min_size=1, max_size=12)
)
_lines = st.lists(_fragments, min_size=1, max_size=5).map(lambda parts: "".join(parts).strip())


def texts(*, max_lines: int = 4) -> st.SearchStrategy[str]:
    """Narrative text: up to ``max_lines`` non-empty lines of Chinese prose joined
    by ``\\n``, with ``|`` and punctuation inside; no line has leading or trailing
    whitespace, so writers and readers may trim lines without losing anything."""
    line = _lines.map(lambda text: text or "。")
    return st.lists(line, max_size=max_lines).map("\n".join)


_OVERVIEW_HEADINGS = (SECTION_HEADINGS["overview"], "一、总体情况概述")
_PROBLEMS_HEADINGS = (
    SECTION_HEADINGS["problems"],
    "五、存在问题及改进措施",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "五、存在问题及改进情况",
)
_OTHER_HEADINGS = (SECTION_HEADINGS["other_matters"],)
_APPEALS_HEADINGS = (
    "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "四、因政府信息公开工作被申请行政复议提起行政诉讼情况",
)
_AGENCIES = (
    "乌兰察布市人民政府办公室",
    "平潭综合实验区管理委员会",
    "沭阳县人民政府",
    "上海市人民政府办公厅",
    "龙口镇人民政府",
    "桃江县审计局",
)
# Offices that publish other bodies' reports (a crawler's 发布机构).
_PUBLISHERS = ("平潭综合实验区党群工作部", "河北省人民政府办公厅", "某县政务公开办公室")


def _sections(
    headings: tuple[str, ...], body: st.SearchStrategy[str]
) -> st.SearchStrategy[Section]:
    return st.builds(Section, heading=st.sampled_from(headings), body=body)


# --- reports ------------------------------------------------------------------


@st.composite
def _reports(
    draw: st.DrawFn, edition: Edition | None, blanks: bool, provenance: bool
) -> Report:
    ed: Edition = edition if edition is not None else draw(st.sampled_from(EDITIONS))
    cells: dict[CellRef, Value] = {
        **draw(_active_cells(ed)),
        **draw(_applications_cells(ed)),
        **draw(_appeals_cells()),
    }
    refs = form(ed).refs()
    if blanks:
        for ref in draw(st.lists(st.sampled_from(refs), max_size=8, unique=True)):
            cells[ref] = Blank(draw(st.sampled_from(BLANK_TEXTS)))

    # Rule Y1: a year no later than next year.
    year = None if _sometimes(draw, 10) else draw(
        st.sampled_from((2019, 2020)) if ed == "2019" else st.integers(2021, 2026)
    )
    agency = None if _sometimes(draw, 10) else draw(
        st.one_of(st.sampled_from(_AGENCIES), _lines.filter(bool))
    )
    title = None
    if agency is not None and year is not None and not _sometimes(draw, 5):
        title = f"{agency}{year}年政府信息公开工作年度报告"
    other_body = st.one_of(st.just("无。"), texts(max_lines=2))

    fields: dict[str, object] = {
        "year": year,
        "agency": agency,
        "publisher": draw(st.sampled_from(_PUBLISHERS)) if _sometimes(draw, 5) else None,
        "title": title,
        "introduction": draw(texts(max_lines=2)),
        "overview": None if _sometimes(draw, 10) else draw(_sections(_OVERVIEW_HEADINGS, texts())),
        "problems": None if _sometimes(draw, 10) else draw(_sections(_PROBLEMS_HEADINGS, texts())),
        "other_matters": None if _sometimes(draw, 3) else draw(
            _sections(_OTHER_HEADINGS, other_body)
        ),
        "unplaced": tuple(draw(st.lists(_lines.filter(bool), max_size=2)))
        if _sometimes(draw, 5) else (),
    }
    overview = fields["overview"]
    received = cells[CellRef("applications", "received", "total")]
    if isinstance(overview, Section) and type(received) is int:
        # The overview quotes the table (rule T1), as a report that holds does.
        quoted = overview.body.replace(_QUOTED, f"收到依申请公开政府信息{received}件")
        fields["overview"] = Section(heading=overview.heading, body=quoted)
    if _sometimes(draw, 4):
        fields["headings"] = {"appeals": draw(st.sampled_from(_APPEALS_HEADINGS))}
    if _sometimes(draw, 6):
        row = ExtraRow(
            label="其他主动公开文件（如有）",
            cells=tuple(str(draw(_counts(40))) for _ in range(3)),
            after="art20_1.normative_documents",
        )
        fields["extra_rows"] = {"active": (row,)}
    if provenance:
        fields["provenance"] = draw(_provenance(cells, refs))
    return build_report(ed, cells, **fields)


@st.composite
def _provenance(
    draw: st.DrawFn, cells: dict[CellRef, Value], refs: tuple[CellRef, ...]
) -> dict[CellRef, CellSource]:
    # Lines rise in reading order, as a reader of a real page would find them.
    out: dict[CellRef, CellSource] = {}
    line = draw(st.integers(1, 60))
    for ref in refs:
        line += draw(st.integers(0, 2))
        if not draw(st.booleans()):
            continue
        value = cells[ref]
        printed = None
        if isinstance(value, Decimal) and _sometimes(draw, 3):
            printed = f"{value}元"
        elif type(value) is int and value < 0 and _sometimes(draw, 2):
            printed = f"减{-value}"
        out[ref] = CellSource(line=line, printed=printed)
    return out


@overload
def reports(
    edition: Literal["2019"], *, blanks: bool = ..., provenance: bool = ...
) -> st.SearchStrategy[Report2019]: ...
@overload
def reports(
    edition: Literal["2021"], *, blanks: bool = ..., provenance: bool = ...
) -> st.SearchStrategy[Report2021]: ...
@overload
def reports(
    edition: None = ..., *, blanks: bool = ..., provenance: bool = ...
) -> st.SearchStrategy[Report]: ...
def reports(
    edition: Edition | None = None, *, blanks: bool = False, provenance: bool = False
) -> st.SearchStrategy[Report]:
    """Valid reports of ``edition`` (either edition when ``None``).

    Every identity (I1–I4), D1 and T2 holds and no cell is blank, so
    :func:`govdisclosure.validate` returns no finding. Metadata is random and
    sometimes missing; sections use official and real-world heading variants.
    ``blanks=True`` leaves up to 8 cells blank or printed as ``/``, ``—``, ``无``…
    (such reports have *not assessable* findings, never failed ones).
    ``provenance=True`` adds source lines (and printed forms like ``减4``) for
    about half the cells.
    """
    if edition is not None:
        _check_edition(edition)
    return _reports(edition, blanks, provenance)


# --- one cell changed ---------------------------------------------------------


class CellChange(NamedTuple):
    """A report with one cell changed: ``report`` is the changed report, ``ref``
    the cell, ``old`` and ``new`` its value before and after."""

    report: Report
    ref: CellRef
    old: Value
    new: Value

    def original(self) -> Report:
        """The report as it was before the change (provenance aside)."""
        return replace_cells(self.report, {self.ref: self.old})


def _changed(report: Report, ref: CellRef, new: Value) -> Report:
    changed = replace_cells(report, {ref: new})
    if ref not in changed.provenance:
        return changed
    # The old source no longer describes the cell.
    kept = {k: v for k, v in changed.provenance.items() if k != ref}
    return attrs.evolve(changed, provenance=kept)


def _refs(report: Report, tables: Collection[str], numbers_only: bool) -> list[CellRef]:
    unknown = sorted(set(tables) - set(_TABLES))
    if unknown:
        raise ValueError(f"unknown tables {unknown}: expected some of {', '.join(_TABLES)}")
    refs = [ref for ref in form_of(report).refs() if ref.table in tables]
    if numbers_only:
        refs = [ref for ref in refs if not isinstance(get_cell(report, ref), Blank)]
    if not refs:
        raise ValueError(f"the report has no cell to change in tables {', '.join(tables)}")
    return refs


@st.composite
def _broken(draw: st.DrawFn, report: Report, refs: list[CellRef]) -> CellChange:
    ref = draw(st.sampled_from(refs))
    kind = form_of(report).column_kind(ref)
    old = get_cell(report, ref)
    new: Value
    if kind == "amount":
        base = old if isinstance(old, Decimal) else Decimal(0)
        delta = draw(_amounts(10**6)) or Decimal(1)
        down = draw(st.booleans())
        new = base - delta if down and base - delta >= 0 else base + delta
    elif type(old) is not int:
        new = draw(_counts(5000))
    else:
        step = draw(_counts(5000)) + 1
        down = draw(st.booleans())
        new = old - step if down and (kind == "signed" or old - step >= 0) else old + step
    return CellChange(_changed(report, ref, new), ref, old, new)


def broken_cell(
    report: Report, *, tables: Collection[str] = ("applications", "appeals")
) -> st.SearchStrategy[CellChange]:
    """One cell of ``report`` (in ``tables``) set to a different value its column
    allows: a non-negative integer for counts, any integer for a 2019 本年增/减,
    a non-negative decimal for amounts. Use as ``reports().flatmap(broken_cell)``."""
    return _broken(report, _refs(report, tables, numbers_only=False))


@st.composite
def _blanked(draw: st.DrawFn, report: Report, refs: list[CellRef]) -> CellChange:
    ref = draw(st.sampled_from(refs))
    new = Blank(draw(st.sampled_from(BLANK_TEXTS)))
    return CellChange(_changed(report, ref, new), ref, get_cell(report, ref), new)


def blanked_cell(
    report: Report, *, tables: Collection[str] = _TABLES
) -> st.SearchStrategy[CellChange]:
    """One numeric cell of ``report`` (in ``tables``) made blank, or printed as one
    of :data:`BLANK_TEXTS`. Use as ``reports().flatmap(blanked_cell)``."""
    return _blanked(report, _refs(report, tables, numbers_only=True))
