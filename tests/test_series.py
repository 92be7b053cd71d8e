"""Series rules X1, X2, X3 across years, group_series, and series diagnostics."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure import Blank, CellRef, Report, Status, get_cell, replace_cells
from govdisclosure.validation.series import (
    body_key,
    group_series,
    label_reports,
    validate_series,
)
from strategies_series import AGENCY, series

COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services",
           "other", "total")
X3_ROWS = ("art20_5.licensing", "art20_5.other_services", "art20_6.penalties",
           "art20_6.coercive_measures", "art20_8.fees")


def _bump(report: Report, ref: CellRef, by: int) -> Report:
    value = get_cell(report, ref)
    assert isinstance(value, int)
    return replace_cells(report, {ref: value + by})


@given(series())
def test_consistent_series_has_no_findings(reports: list[Report]) -> None:
    assert list(validate_series(reports)) == []


@given(series(), st.data())
def test_breaking_a_carry_over_fires_exactly_x1(reports: list[Report], data: st.DataObject) -> None:
    k = data.draw(st.integers(1, len(reports) - 1), label="year index")
    column = data.draw(st.sampled_from(COLUMNS), label="column")
    by = data.draw(st.integers(1, 50), label="by")
    ref = CellRef("applications", "carried_over", column)
    broken = [*reports[:k], _bump(reports[k], ref, by), *reports[k + 1:]]
    result = validate_series(broken, rules=("X1", "X2", "X3"))
    assert [(f.rule, f.column, f.status) for f in result] == [("X1", column, Status.FAILED)]
    (finding,) = result
    labels = [label for label, _ in label_reports(broken)]
    assert finding.reports == (labels[k - 1], labels[k])
    assert finding.cells == (CellRef("applications", "carried_forward", column), ref)
    assert isinstance(finding.expected, int)
    assert finding.actual == finding.expected + by
    assert labels[k] in finding.message and labels[k - 1] in finding.message


@given(series(min_size=2, first_years=(2017, 2019)), st.data())
def test_breaking_a_change_fires_exactly_x3(reports: list[Report], data: st.DataObject) -> None:
    pairs = [k for k in range(1, len(reports))
             if reports[k].edition == reports[k - 1].edition == "2019"]
    k = data.draw(st.sampled_from(pairs), label="year index")
    row = data.draw(st.sampled_from(X3_ROWS), label="row")
    change = CellRef("active", row, "change")
    broken = [*reports[:k - 1], _bump(reports[k - 1], change, 1), *reports[k:]]
    result = validate_series(broken)
    assert [(f.rule, f.row) for f in result] == [("X3", row)]
    (finding,) = result
    assert isinstance(finding.actual, int)
    assert finding.expected == finding.actual + 1
    previous = CellRef("active", row, "previous_items")
    assert finding.cells == (previous, change, previous)
    labels = [label for label, _ in label_reports(broken)]
    assert finding.reports == (labels[k - 1], labels[k])


@given(series(min_size=2, first_years=(2021, 2024)), st.data())
def test_in_force_beyond_what_was_issued_fires_x2(
    reports: list[Report], data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, len(reports) - 1), label="year index")
    row = data.draw(st.sampled_from(("art20_1.rules", "art20_1.normative_documents")))
    by = data.draw(st.integers(1, 30), label="by")
    before = get_cell(reports[k - 1], CellRef("active", row, "in_force"))
    issued = get_cell(reports[k], CellRef("active", row, "issued"))
    repealed = get_cell(reports[k], CellRef("active", row, "repealed"))
    assert isinstance(before, int) and isinstance(issued, int) and isinstance(repealed, int)
    predicted = before + issued - repealed
    ref = CellRef("active", row, "in_force")
    broken = [*reports[:k], replace_cells(reports[k], {ref: predicted + by}), *reports[k + 1:]]
    result = validate_series(broken)
    label = label_reports(broken)[k][0]
    assert [(f.rule, f.row, f.expected, f.actual) for f in result if f.reports[-1] == label] == [
        ("X2", row, predicted, predicted + by)
    ]
    # the changed figure also feeds the next year's X2, and nothing else
    assert {f.rule for f in result} == {"X2"}


def test_x2_allows_documents_to_expire() -> None:
    reports = _two_years_2021(before=100, issued=10, repealed=5, in_force=80)
    assert list(validate_series(reports)) == []  # 25 of 100 may expire: 105 - 25 = 80
    reports = _two_years_2021(before=100, issued=10, repealed=5, in_force=79)
    (finding,) = validate_series(reports)
    assert (finding.rule, finding.expected, finding.actual) == ("X2", 105, 79)
    assert "超过可到期失效的 25 件" in finding.message


def _two_years_2021(*, before: int, issued: int, repealed: int, in_force: int) -> list[Report]:
    from govdisclosure import build_report

    row = "art20_1.normative_documents"
    zeros = {CellRef("applications", "carried_forward", c): 0 for c in COLUMNS}
    zeros |= {CellRef("applications", "carried_over", c): 0 for c in COLUMNS}
    zeros |= {CellRef("active", "art20_1.rules", c): 0 for c in ("issued", "repealed", "in_force")}
    first = build_report("2021", {**zeros, CellRef("active", row, "in_force"): before},
                         year=2022, agency=AGENCY)
    second = build_report("2021", {
        **zeros, CellRef("active", row, "issued"): issued,
        CellRef("active", row, "repealed"): repealed,
        CellRef("active", row, "in_force"): in_force,
    }, year=2023, agency=AGENCY)
    return [first, second]


@given(series(min_size=2, first_years=(2019, 2020)))
def test_edition_boundary_x1_holds_across_x2_x3_do_not(reports: list[Report]) -> None:
    # Break everything X2 and X3 could look at in the first 2021-edition year:
    # neither rule compares across the boundary, while X1 still does.
    k = next((i for i, r in enumerate(reports) if r.edition == "2021"), 0)
    if k == 0:
        return  # the series ends before 2021
    changes = {CellRef("active", "art20_1.rules", "in_force"): 10**6,
               CellRef("applications", "carried_over", "total"): 10**6}
    broken = [*reports[:k], replace_cells(reports[k], changes), *reports[k + 1:]]
    result = validate_series(broken, rules=("X1", "X2", "X3"))
    k_label = label_reports(broken)[k][0]
    across = [f for f in result if f.reports[-1] == k_label]
    assert [(f.rule, f.column) for f in across] == [("X1", "total")]


@given(series(min_size=3))
def test_a_missing_year_is_reported_not_bridged(reports: list[Report]) -> None:
    # Break the year after the gap so that a bridged comparison would fire X1.
    gap = len(reports) // 2
    after = _bump(reports[gap + 1], CellRef("applications", "carried_over", "total"), 7)
    kept = [*reports[:gap], after, *reports[gap + 2:]]
    result = validate_series(kept)
    gaps = result.by_rule("series-gap")
    assert len(gaps) == 1
    assert gaps[0].status is Status.NOT_ASSESSABLE
    assert str(reports[gap].year) in gaps[0].message
    labels = label_reports(kept)
    assert gaps[0].reports == (labels[gap - 1][0], labels[gap][0])
    assert [f for f in result if f.rule != "series-gap"] == []


@given(series(), st.data())
def test_a_blank_cell_makes_x1_not_assessable(reports: list[Report], data: st.DataObject) -> None:
    k = data.draw(st.integers(1, len(reports) - 1))
    ref = CellRef("applications", "carried_over", "research")
    broken = [*reports[:k], replace_cells(reports[k], {ref: Blank("/")}), *reports[k + 1:]]
    result = validate_series(broken)
    (finding,) = result
    assert (finding.rule, finding.status, finding.blanks) == ("X1", Status.NOT_ASSESSABLE, (ref,))
    assert "“/”" in finding.message


@settings(max_examples=5)
@given(series(min_size=3, max_size=3))
def test_duplicate_year_and_no_year_are_reported(reports: list[Report]) -> None:
    twin = attrs.evolve(reports[1], title="另一份")
    undated = attrs.evolve(reports[2], year=None)
    result = validate_series({"a.txt": reports[0], "b.txt": reports[1], "b2.txt": twin,
                              "c.txt": undated})
    rules = sorted(f.rule for f in result)
    assert rules == ["series-duplicate-year", "series-no-year"]
    dup = result.by_rule("series-duplicate-year")[0]
    assert dup.reports == ("b.txt", "b2.txt")


@settings(max_examples=5)
@given(series(min_size=2, max_size=2))
def test_reports_of_several_bodies_are_refused(reports: list[Report]) -> None:
    other = attrs.evolve(reports[1], agency="另一个局")
    with pytest.raises(ValueError, match="group_series"):
        validate_series([reports[0], other])
    with pytest.raises(ValueError, match="unknown series rules"):
        validate_series(reports, rules=("X9",))  # type: ignore[arg-type]


@settings(max_examples=5)
@given(series(min_size=3, max_size=3))
def test_group_series_normalises_names_and_orders_years(reports: list[Report]) -> None:
    spaced = attrs.evolve(reports[0], agency=" 某某县 人民政府办公室 ")
    fullwidth = attrs.evolve(reports[2], agency="某某县人民政府办公室\u3000")
    other = attrs.evolve(reports[1], agency="某某县财政局")
    anonymous = attrs.evolve(reports[1], agency=None)
    groups = group_series({"3": fullwidth, "none": anonymous, "1": spaced, "x": other,
                           "2": reports[1]})
    assert [g.body for g in groups] == ["某某县人民政府办公室", "某某县财政局", None]
    assert list(groups[0].reports) == ["1", "2", "3"]
    assert list(groups[2].reports) == ["none"]
    assert body_key("Ａ局 ") == body_key("a局") == "a局"
    assert body_key("  ") is None


@settings(max_examples=5)
@given(series(min_size=2, max_size=2))
def test_series_from_reports_alone_get_labels(reports: list[Report]) -> None:
    labels = [label for label, _ in label_reports(reports)]
    assert labels == [f"{AGENCY} {r.year}年" for r in reports]
    assert [label for label, _ in label_reports([reports[0], reports[0]])] == [
        labels[0], f"{labels[0]} #2"
    ]
