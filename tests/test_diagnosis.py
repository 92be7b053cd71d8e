"""The diagnosis: the smallest set of cells whose change makes every identity hold.

The oracle here is ``validate`` itself: a correction the diagnosis proposes is
applied to the report and must leave no failed identity (I1–I4); and for
minimality, every one-cell change that could repair a failed identity is tried
by brute force.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from govdisclosure import (
    EDITIONS,
    Blank,
    CellRef,
    Finding,
    Report,
    Severity,
    Status,
    form,
    get_cell,
    replace_cells,
    validate,
)
from govdisclosure.testing.samples import sample_report
from govdisclosure.testing.strategies import reports
from govdisclosure.validation.diagnosis import (
    MAX_ALTERNATIVES,
    MAX_CELLS,
    RULE_ID,
    diagnose,
    diagnose_report,
)
from test_validation import A, zeros

IDENTITIES = {"I1", "I2", "I3", "I4"}


def holds(report: Report) -> bool:
    """No identity of ``report`` fails (the independent check of a correction)."""
    return not failed(report)


def failed(report: Report, part: tuple[str, ...] | None = None) -> list[Finding]:
    """The failed identities of ``report`` (in one independent part, when given)."""
    return [f for f in validate(report) if f.rule in IDENTITIES and f.status is Status.FAILED
            and (part is None or part_of(f.table, f.row) == part)]


def part_of(table: str | None, row: str | None) -> tuple[str, ...]:
    """The independent part a cell or identity belongs to: table 三, or one group of 四."""
    return ("applications",) if table == "applications" else ("appeals", row or "")


def counts(report: Report) -> list[CellRef]:
    return [ref for ref in form(report.edition).refs() if ref.table != "active"
            and type(get_cell(report, ref)) is int]


def one_cell_repairs(report: Report, part: tuple[str, ...]) -> set[CellRef]:
    """Brute force: every cell that, changed alone, repairs ``part`` of ``report``.

    A failed identity's two sides differ by ``expected - actual``; a cell of it
    can only repair it by moving that difference, one way or the other.
    """
    gaps = failed(report, part)
    if not gaps:
        return set()
    gap = gaps[0]
    assert isinstance(gap.expected, int) and isinstance(gap.actual, int)
    out = set()
    for ref in gap.cells:
        old = get_cell(report, ref)
        if type(old) is not int:
            continue
        for new in (old + gap.expected - gap.actual, old - gap.expected + gap.actual):
            if new >= 0 and new != old and not failed(replace_cells(report, {ref: new}), part):
                out.add(ref)
    return out


# --- the Pingtan 2020-style break --------------------------------------------


def pingtan_style() -> tuple[Report, Report]:
    """Outcome rows add to 26 for 自然人, the balance says 26, 总计 prints 20."""
    rows = {"received": 24, "carried_over": 2, "granted": 17, "partially_granted": 3,
            "unavailable.not_held": 6, "total_handled": 26}
    changes: dict[CellRef, int | Decimal | Blank] = {}
    for row, value in rows.items():
        changes[A(row, "natural_person")] = value
        changes[A(row, "total")] = value
    valid = replace_cells(zeros("2019"), changes)
    return valid, replace_cells(valid, {A("total_handled", "natural_person"): 20})


def test_pingtan_style_total_is_the_culprit() -> None:
    valid, broken = pingtan_style()
    assert holds(valid) and not holds(broken)
    result = validate(broken)
    (likely,) = result.by_rule(RULE_ID)
    assert likely is result.findings[0]  # the first thing a reviewer reads
    assert likely.cells == (A("total_handled", "natural_person"),)
    assert (likely.expected, likely.actual) == (26, 20)
    assert likely.severity is Severity.INFO and result.errors  # it fails nothing itself
    assert (likely.table, likely.row, likely.column) == (
        "applications", "total_handled", "natural_person")
    assert likely.message == (
        "可能出错的格：三 / （七）总计 / 自然人 印为 20，改为 26，则全部 3 条不成立的等式成立"
    )
    assert likely.message_en == (
        "likely wrong cell: applications / total handled / natural persons printed 20; 26 "
        "makes all 3 failing identities hold"
    )
    assert holds(replace_cells(broken, {A("total_handled", "natural_person"): 26}))


def test_the_same_break_in_a_busy_report() -> None:
    report = sample_report(11, "2021")
    ref = A("total_handled", "natural_person")
    old = get_cell(report, ref)
    assert isinstance(old, int)
    (diagnosis,) = diagnose_report(replace_cells(report, {ref: old + 6}))
    assert diagnosis.size == 1 and diagnosis.count == 1
    assert [c.changes for c in diagnosis.corrections] == [((ref, old + 6, old),)]


# --- every single cell --------------------------------------------------------


def test_every_cell_of_table_3_is_found_alone() -> None:
    # In table 三 every cell is the only one in its pair of identities (its row
    # and its column), so one changed cell is always the unique smallest fix.
    for edition in EDITIONS:
        report = sample_report(3, edition)
        for ref in counts(report):
            if ref.table != "applications":
                continue
            old = get_cell(report, ref)
            assert isinstance(old, int)
            for new in {old + 1, old + 37} | ({old - 1} if old else set()):
                findings = diagnose(replace_cells(report, {ref: new}))
                assert [(f.cells, f.expected, f.actual) for f in findings] == [
                    ((ref,), old, new)], (edition, ref, new)


def test_table_4_ties_are_reported_as_ties() -> None:
    ref = CellRef("appeals", "review", "upheld")
    broken = replace_cells(zeros(), {ref: 3})
    (diagnosis,) = diagnose_report(broken)
    assert diagnosis.size == 1 and diagnosis.count == 2
    assert [c.cells for c in diagnosis.corrections] == [
        (ref,), (CellRef("appeals", "review", "total"),)]
    (finding,) = diagnose(broken)
    assert set(finding.cells) == {ref, CellRef("appeals", "review", "total")}
    assert finding.expected is None  # no single value: two ways
    assert "2 种同样小的改法" in finding.message
    assert "四 / 行政复议 / 结果维持 印为 3，改为 0" in finding.message
    assert "2 equally small ways" in finding.message_en


def test_too_many_ties_name_no_cell_and_say_so() -> None:
    parts = dict.fromkeys(("upheld", "corrected", "other", "pending"), 5)
    changes: dict[CellRef, int | Decimal | Blank] = {
        CellRef("appeals", "litigation_direct", c): v for c, v in parts.items()}
    changes[CellRef("appeals", "litigation_direct", "total")] = 16
    (diagnosis,) = diagnose_report(replace_cells(zeros(), changes))
    assert diagnosis.size == 1 and diagnosis.count == 5 > MAX_ALTERNATIVES
    assert not diagnosis.named
    (finding,) = diagnose(replace_cells(zeros(), changes))
    assert finding.cells == ()
    assert "未能指出可能出错的格" in finding.message and "5 种" in finding.message
    assert "no likely cell named" in finding.message_en


def test_beyond_the_bound_names_no_cell_and_says_so() -> None:
    report = sample_report(5, "2021")
    scattered = [A("granted", "natural_person"), A("withheld.state_secret", "commercial"),
                 A("unavailable.not_held", "research"), A("not_processed.duplicate", "other")]
    changes: dict[CellRef, int | Decimal | Blank] = {}
    for k, ref in enumerate(scattered):
        old = get_cell(report, ref)
        assert isinstance(old, int)
        changes[ref] = old + 10 + k
    (diagnosis,) = diagnose_report(replace_cells(report, changes))
    assert diagnosis.size is None and not diagnosis.named
    (finding,) = diagnose(replace_cells(report, changes))
    assert f"改动 {MAX_CELLS} 格以内" in finding.message


def test_tables_3_and_4_are_diagnosed_apart() -> None:
    _, broken = pingtan_style()
    both = replace_cells(broken, {CellRef("appeals", "review", "total"): 4})
    diagnoses = diagnose_report(both)
    assert [d.table for d in diagnoses] == ["applications", "appeals"]
    assert diagnoses[0].corrections[0].cells == (A("total_handled", "natural_person"),)


def test_identities_with_blanks_are_left_out() -> None:
    # A blank makes its identities not assessable; the rest still point at the cell.
    _, broken = pingtan_style()
    blanked = replace_cells(broken, {A("not_processed.duplicate", "commercial"): Blank("")})
    (finding,) = diagnose(blanked)
    assert finding.cells == (A("total_handled", "natural_person"),)


def test_a_report_that_holds_has_no_diagnosis() -> None:
    valid, _ = pingtan_style()
    assert diagnose(valid) == ()
    assert validate(valid).by_rule(RULE_ID) == ()


# --- the property: k random cells changed ------------------------------------


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[Report, Report, dict[CellRef, int]]:
    report = draw(reports())
    k = draw(st.sampled_from((1, 2)))
    cells = draw(st.lists(st.sampled_from(counts(report)), min_size=k, max_size=k, unique=True))
    changes: dict[CellRef, int] = {}
    for ref in cells:
        old = get_cell(report, ref)
        assert isinstance(old, int)
        step = draw(st.integers(1, 60))
        changes[ref] = old - step if draw(st.booleans()) and old >= step else old + step
    return report, replace_cells(report, changes), changes


def _check(original: Report, broken: Report, changes: dict[CellRef, int]) -> None:
    diagnoses = diagnose_report(broken)
    # One diagnosis per part with failed identities, in form order.
    parts = list(dict.fromkeys(part_of(f.table, f.row) for f in failed(broken)))
    assert len(diagnoses) == len(parts)
    for part, d in zip(parts, diagnoses, strict=True):
        true = {ref: get_cell(original, ref) for ref in changes
                if part_of(ref.table, ref.row) == part}
        assert d.size is not None and d.size <= len(true)  # the changed cells repair it
        for correction in d.corrections:
            assert len(correction.cells) == d.size
            assert all(get_cell(broken, ref) == printed for ref, printed, _ in correction.changes)
            assert not failed(replace_cells(broken, correction.as_mapping()), part)
        if d.size == len(true) and d.count <= MAX_ALTERNATIVES:
            # The changed cells are among the smallest corrections...
            assert frozenset(true) in {frozenset(c.cells) for c in d.corrections}
            if d.count == 1:
                # ...and when they are the only one, the diagnosis names them, put back.
                assert d.corrections[0].as_mapping() == true
        if d.size >= 2:
            assert one_cell_repairs(broken, part) == set()  # truly no smaller correction


@given(corrupted())
def test_changed_cells_are_named_when_they_are_the_unique_smallest_fix(
    case: tuple[Report, Report, dict[CellRef, int]],
) -> None:
    _check(*case)


def test_two_cells_in_different_rows_and_columns_are_named() -> None:
    # Not left to chance: a two-cell typo the diagnosis must name exactly.
    for seed in range(6):
        report = sample_report(seed, "2021")
        a, b = A("granted", "natural_person"), A("unavailable.not_held", "research")
        old_a, old_b = get_cell(report, a), get_cell(report, b)
        assert isinstance(old_a, int) and isinstance(old_b, int)
        broken = replace_cells(report, {a: old_a + 4, b: old_b + 9})
        (diagnosis,) = diagnose_report(broken)
        assert diagnosis.count == 1, seed
        assert diagnosis.corrections[0].as_mapping() == {a: old_a, b: old_b}


def test_a_correction_may_need_a_cell_outside_the_failing_identities() -> None:
    # Five applications moved from 自然人/（一） to 商业企业/（一） and to
    # 自然人/（三）1: row （一） and column 自然人 still hold, column 商业企业 and
    # row （三）1 fail. Their shared cell (0) cannot go down by 5, so the smallest
    # corrections change three cells, some of them in no failing identity: the
    # three moved cells, and (a tie) 商业企业 and 总计 of （一） with 总计 of （三）1.
    valid = replace_cells(zeros("2021"), {
        A(row, column): 5 for row in ("granted", "total_handled", "received")
        for column in ("natural_person", "total")
    })
    assert holds(valid)
    moved = {A("granted", "natural_person"): 0, A("granted", "commercial"): 5,
             A("withheld.state_secret", "natural_person"): 5}
    broken = replace_cells(valid, moved)
    named = {c for f in failed(broken) for c in f.cells}
    assert A("granted", "natural_person") not in named
    (diagnosis,) = diagnose_report(broken)
    assert (diagnosis.size, diagnosis.count) == (3, 2)
    first, second = (c.as_mapping() for c in diagnosis.corrections)
    assert first == {ref: get_cell(valid, ref) for ref in moved}
    assert second == {A("granted", "commercial"): 0, A("granted", "total"): 0,
                      A("withheld.state_secret", "total"): 5}
    for correction in diagnosis.corrections:
        assert holds(replace_cells(broken, correction.as_mapping()))
