"""Properties of the rule catalogue, checked on generated reports.

The oracle below says which rule instances involve a cell. It is written from
FORMAT.md (the identities I1–I4 and T2), not from ``govdisclosure.validation``,
so removing or weakening a rule makes these properties fail. A rule instance is
named by the location of its findings: (rule, table, row, column).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from editions import of_2019, of_2021
from govdisclosure import (
    EDITIONS,
    Blank,
    CellRef,
    Finding,
    Report,
    Severity,
    Status,
    blank_report,
    form,
    get_cell,
    infer,
    iter_cells,
    replace_cells,
    validate,
)
from govdisclosure.model import Edition, form_of
from govdisclosure.testing.strategies import (
    CellChange,
    active_tables,
    appeals_tables,
    applications_tables,
    blanked_cell,
    broken_cell,
    reports,
)

Instance = tuple[str, str | None, str | None, str | None]

# FORMAT.md, I1: received + carried_over == total_handled + carried_forward, per column.
I1_ROWS = frozenset({"received", "carried_over", "total_handled", "carried_forward"})
# FORMAT.md, I2: total_handled == the sum of every outcome row, per column. The
# outcome rows are every row of table 三 except these three and total_handled.
NOT_OUTCOMES = frozenset({"received", "carried_over", "carried_forward"})
# FORMAT.md, T2: published <= total_published in the 2019 block art20_1.
T2_ROWS = frozenset({"art20_1.rules", "art20_1.normative_documents"})
T2_COLUMNS = frozenset({"published", "total_published"})

SEVERITY = {"I1": Severity.ERROR, "I2": Severity.ERROR, "I3": Severity.ERROR,
            "I4": Severity.ERROR, "D1": Severity.ERROR, "T2": Severity.WARNING}


def involving(edition: str, ref: CellRef) -> set[Instance]:
    """The rule instances whose inputs include ``ref``, per FORMAT.md."""
    table, row, column = ref
    out: set[Instance] = set()
    if table == "applications":
        out.add(("I3", "applications", row, "total"))
        if row in I1_ROWS:
            out.add(("I1", "applications", None, column))
        if row not in NOT_OUTCOMES:
            out.add(("I2", "applications", "total_handled", column))
    elif table == "appeals":
        out.add(("I4", "appeals", row, "total"))
    elif edition == "2019" and row in T2_ROWS and column in T2_COLUMNS:
        out.add(("T2", "active", row, "published"))
    return out


def instance(finding: Finding) -> Instance:
    return (finding.rule, finding.table, finding.row, finding.column)


def assert_breaks_exactly(change: CellChange) -> None:
    """Changing one count of a valid report fails exactly the rules involving it."""
    report, ref, old, new = change
    assert isinstance(old, int) and isinstance(new, int) and new != old and new >= 0
    everything = validate(report).findings
    # validate runs T1 too: when the generated overview quotes the changed count,
    # T1 fails for that cell, and only for it (tests/test_prose.py covers T1).
    quoted = [f for f in everything if f.rule == "T1"]
    assert all(f.status is Status.FAILED and f.cells == (ref,) for f in quoted)
    findings = [f for f in everything if f.rule not in ("likely-cell", "T1")]
    assert {instance(f) for f in findings} == involving(report.edition, ref)
    # The diagnosis points at the changed cell: alone in table 三 (where every
    # cell sits in its own pair of identities), among equals in table 四.
    likely = [f for f in everything if f.rule == "likely-cell"]
    if ref.table == "applications":
        assert [(f.cells, f.expected, f.actual) for f in likely] == [((ref,), old, new)]
    elif ref.table == "appeals":
        (diagnosis,) = likely
        assert diagnosis.severity is Severity.INFO
        # It names the changed cell among equals, or says that several corrections tie.
        assert ref in diagnosis.cells if diagnosis.cells else "tie" in diagnosis.message_en
    for f in findings:
        assert f.status is Status.FAILED
        assert f.severity is SEVERITY[f.rule]
        assert ref in f.cells, f"{f.rule} does not name the changed cell {ref}"
        assert isinstance(f.expected, int) and isinstance(f.actual, int)
        # The two sides differ by exactly the change: no tolerance, no rounding.
        assert abs(f.expected - f.actual) == abs(new - old)


def assert_blank_is_not_assessable(change: CellChange) -> None:
    """A blank makes exactly the rules involving it (and D1 for it) not assessable."""
    report, ref, _, _ = change
    everything = validate(report).findings
    assert all(f.status is Status.NOT_ASSESSABLE for f in everything)
    # T1 meets the blank too when the overview quotes that count.
    assert all(f.blanks == (ref,) for f in everything if f.rule == "T1")
    findings = [f for f in everything if f.rule != "T1"]
    assert all(f.blanks == (ref,) and ref in f.cells for f in findings)
    d1 = [f for f in findings if f.rule == "D1"]
    assert [(f.table, f.row, f.column) for f in d1] == [ref]
    others = {instance(f) for f in findings if f.rule != "D1"}
    assert others == involving(report.edition, ref)
    assert len(others) == len(findings) - 1  # one finding per instance


def assert_infer_restores(change: CellChange) -> None:
    """``infer`` puts back the value wherever an identity pins it, and only there."""
    report, ref, old, _ = change
    inferred = infer(report)
    pinned = {i for i in involving(report.edition, ref) if i[0] != "T2"}
    if not pinned:  # table 二: nothing but an inequality involves the cell
        assert isinstance(get_cell(inferred, ref), Blank)
        assert inferred == report
        return
    assert get_cell(inferred, ref) == old
    assert inferred == change.original()
    assert inferred.provenance[ref].inferred_by in {rule for rule, *_ in pinned}
    # Nothing fails; the filled cell is listed with the identity that forced it.
    assert [(f.rule, f.cells) for f in validate(inferred).findings] == [("inferred", (ref,))]


# --- the four properties of the issue ------------------------------------------


@given(reports())
def test_generated_report_has_no_findings(report: Report) -> None:
    assert validate(report).findings == ()


@given(reports(blanks=True))
def test_blank_cells_never_fail_a_rule(report: Report) -> None:
    # A blank is never read as 0: with blanks only, nothing can be *failed*.
    result = validate(report)
    assert result.ok
    blanks = {ref for ref, value in _cells(report) if isinstance(value, Blank)}
    for f in result.findings:
        assert f.status is Status.NOT_ASSESSABLE
        assert f.blanks and set(f.blanks) <= blanks


@given(reports().flatmap(broken_cell))
def test_breaking_one_cell_fails_exactly_the_rules_involving_it(change: CellChange) -> None:
    assert_breaks_exactly(change)


@given(reports().flatmap(blanked_cell))
def test_blanking_one_cell_makes_exactly_its_rules_not_assessable(change: CellChange) -> None:
    assert_blank_is_not_assessable(change)
    assert_infer_restores(change)


# --- the same, exhaustively over every cell of a few reports -------------------
# Drawing one cell per example may miss a rare row; these visit them all.

_FEW = max(2, settings().max_examples // 20)


@settings(max_examples=_FEW)
@given(reports())
def test_every_count_of_tables_3_and_4_breaks_exactly_its_rules(report: Report) -> None:
    for ref, old in _cells(report):
        if ref.table == "active":
            continue
        assert isinstance(old, int)
        for new in {old + 1, old - 1, old + 1000} - {-1}:
            assert_breaks_exactly(CellChange(replace_cells(report, {ref: new}), ref, old, new))


@settings(max_examples=_FEW)
@given(reports(), st.sampled_from(["", "/", "—"]))
def test_every_blank_cell_is_not_assessable_and_inferred(report: Report, printed: str) -> None:
    for ref, old in _cells(report):
        change = CellChange(replace_cells(report, {ref: Blank(printed)}), ref, old, Blank(printed))
        assert_blank_is_not_assessable(change)
        assert_infer_restores(change)


def _cells(report: Report) -> list[tuple[CellRef, int | Decimal | Blank]]:
    spec = form_of(report)
    return [(ref, get_cell(report, ref)) for ref in spec.refs()]


# --- the oracle against the form ----------------------------------------------


def test_oracle_covers_every_cell_of_tables_3_and_4() -> None:
    # Every count of tables 三 and 四 takes part in at least one identity, and the
    # outcome rows the oracle infers are the 19 (2019) or 21 (2021) of FORMAT.md.
    for edition in EDITIONS:
        spec = form(edition)
        for ref in spec.refs():
            if ref.table != "active":
                assert involving(edition, ref), ref
        outcomes = [r.key for r in spec.table("applications").rows
                    if r.key not in NOT_OUTCOMES | {"total_handled"}]
        assert len(outcomes) == (19 if edition == "2019" else 21)


# --- the strategies reach what they promise -------------------------------------

# Reaching an example is enough: shrinking large reports would take minutes.
_FIND = settings(derandomize=True, database=None, max_examples=3000, phases=[Phase.generate])


def _applications_total(report: Report) -> int:
    total = report.applications.total_handled.total
    assert isinstance(total, int)
    return total


@pytest.mark.parametrize(
    ("what", "strategy", "condition"),
    [
        ("a body handling thousands", reports(), lambda r: _applications_total(r) >= 1000),
        ("no application at all", reports(),
         lambda r: all(v == 0 for ref, v in _cells(r) if ref.table == "applications")),
        ("a decrease in 2019", reports("2019"),
         lambda r: any(isinstance(v, int) and v < 0 for _, v in _cells(r))),
        ("an amount with decimals", reports(),
         lambda r: any(isinstance(v, Decimal) and v and v != v.to_integral_value()
                       for _, v in _cells(r))),
        ("a body with | and newlines", reports(),
         lambda r: r.overview is not None and "|" in r.overview.body
         and "\n" in r.overview.body),
        ("no year", reports(), lambda r: r.year is None),
        ("a cell printed as /", reports(blanks=True),
         lambda r: any(v == Blank("/") for _, v in _cells(r))),
        ("a printed decrease", reports("2019", provenance=True),
         lambda r: any((s.printed or "").startswith("减") for s in r.provenance.values())),
    ],
)
def test_strategy_reaches(what: str, strategy: st.SearchStrategy[Report],
                          condition: Callable[[Report], bool]) -> None:
    # find() fails the test when no example reaches the condition; what it finds
    # must still be what the strategy promises: a report with no failed rule.
    found = find(strategy, condition, settings=_FIND)
    failed = [f.rule for f in validate(found) if f.status is Status.FAILED]
    assert failed == [], (what, failed)


def _tables(data: st.DataObject, edition: Edition) -> Report:
    """Tables 二, 三 and 四 of ``edition``, each drawn from its own strategy."""
    appeals = data.draw(appeals_tables(), label="table 四")
    if edition == "2019":
        return attrs.evolve(
            of_2019(blank_report("2019")), appeals=appeals,
            active=data.draw(active_tables("2019"), label="table 二"),
            applications=data.draw(applications_tables("2019"), label="table 三"))
    return attrs.evolve(
        of_2021(blank_report("2021")), appeals=appeals,
        active=data.draw(active_tables("2021"), label="table 二"),
        applications=data.draw(applications_tables("2021"), label="table 三"))


@given(st.data())
def test_tables_strategies_hold_their_rules(data: st.DataObject) -> None:
    # Every table strategy of both editions is complete: no cell blank, every
    # identity over its table holds (I1-I4, T2) and every cell is in its domain (D1).
    for edition in EDITIONS:
        report = _tables(data, edition)
        assert report.edition == edition
        assert [ref for ref, value in iter_cells(report) if isinstance(value, Blank)] == []
        tables = {t.key for t in form(edition).tables}
        assert tables == {"active", "applications", "appeals"}
        findings = [(f.rule, f.table, f.row, f.column) for f in validate(report)
                    if f.table in tables]
        assert findings == [], (edition, findings)


def test_strategy_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown edition '2020'"):
        reports("2020")  # type: ignore[call-overload]
    report = blank_report("2021")
    with pytest.raises(ValueError, match="unknown tables"):
        broken_cell(report, tables=("summary",))
    with pytest.raises(ValueError, match="no cell to change"):
        blanked_cell(report)  # every cell is blank already


def test_core_modules_do_not_import_hypothesis() -> None:
    code = (
        "import sys, govdisclosure, govdisclosure.testing, govdisclosure.formats.json\n"
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
