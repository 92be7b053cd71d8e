"""Roll-ups: aggregate() sums reports exactly, with coverage; compare() checks a summary (R1)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure import (
    Blank,
    CellRef,
    Report,
    Status,
    build_report,
    form,
    get_cell,
    iter_cells,
    replace_cells,
    validate,
)
from govdisclosure.model import Edition, Value
from govdisclosure.testing.strategies import reports
from govdisclosure.validation.aggregate import aggregate, compare


@st.composite
def parts(draw: st.DrawFn, *, blanks: bool = False) -> list[Report]:
    """2 or 3 reports of one edition and year, from distinct bodies."""
    edition: Edition = draw(st.sampled_from(("2019", "2021")))
    count = draw(st.integers(2, 3))
    year = 2020 if edition == "2019" else 2023
    drawn: list[Report] = draw(
        st.lists(reports(edition, blanks=blanks), min_size=count, max_size=count)
    )
    return [attrs.evolve(r, agency=f"第{i}镇", year=year) for i, r in enumerate(drawn)]


def _number(value: Value) -> int | Decimal:
    assert not isinstance(value, Blank), value
    return value


# Drawing whole reports is the slow part; a few examples cover the sums.
@settings(max_examples=15)
@given(parts())
def test_the_sum_of_valid_reports_is_valid_and_exact(summed: list[Report]) -> None:
    rollup = aggregate(summed, agency="某县")
    assert rollup.coverage.complete
    assert rollup.coverage.bodies == tuple(f"第{i}镇 {r.year}年" for i, r in enumerate(summed))
    for ref, value in iter_cells(rollup.report):
        assert value == sum(_number(get_cell(r, ref)) for r in summed)
    # the identities are linear, so they hold for the sum too
    assert list(validate(rollup.report)) == []
    assert (rollup.report.agency, rollup.report.year) == ("某县", summed[0].year)


@settings(max_examples=15)
@given(parts())
def test_a_summary_equal_to_its_parts_has_no_findings(summed: list[Report]) -> None:
    rollup = aggregate(summed)
    published = attrs.evolve(rollup.report, agency="某县")
    assert list(compare(rollup, published)) == []


@settings(max_examples=15)
@given(parts(), st.data())
def test_a_summary_cell_off_by_some_fires_r1_there_only(
    summed: list[Report], data: st.DataObject
) -> None:
    rollup = aggregate(summed)
    refs = [ref for ref, value in iter_cells(rollup.report) if isinstance(value, int)]
    ref = data.draw(st.sampled_from(refs), label="cell")
    by = data.draw(st.integers(1, 100), label="by")
    value = get_cell(rollup.report, ref)
    assert isinstance(value, int)
    published = replace_cells(attrs.evolve(rollup.report, agency="某县"), {ref: value + by})
    result = compare(rollup, published, label="某县汇总.txt")
    (finding,) = result
    assert (finding.rule, finding.status, finding.cells) == ("R1", Status.FAILED, (ref,))
    assert (finding.expected, finding.actual) == (value, value + by)
    assert finding.reports == (f"{len(summed)} 份报告之和", "某县汇总.txt")


@settings(max_examples=15)
@given(parts(blanks=True))
def test_a_blank_part_makes_the_sum_not_assessable(summed: list[Report]) -> None:
    rollup = aggregate(summed)
    for ref, value in iter_cells(rollup.report):
        blank_in = tuple(f"第{i}镇 {r.year}年" for i, r in enumerate(summed)
                         if isinstance(get_cell(r, ref), Blank))
        assert isinstance(value, Blank) == bool(blank_in)
        assert rollup.coverage.blanks.get(ref, ()) == blank_in
    result = compare(rollup, rollup.report)
    assert all(f.status is Status.NOT_ASSESSABLE for f in result)
    assert {f.cells[0] for f in result} == set(rollup.coverage.blanks)


def test_amounts_add_up_exactly() -> None:
    amount = CellRef("active", "art20_8.fees", "amount")
    big = Decimal("12345678901234567890123456789.0001")
    towns = [build_report("2021", {amount: Decimal(v)}, year=2023, agency=f"镇{i}")
             for i, v in enumerate(("0.1", "0.2", "0.0001"))]
    assert get_cell(aggregate(towns).report, amount) == Decimal("0.3001")
    towns.append(build_report("2021", {amount: big}, year=2023, agency="镇9"))
    exact = Decimal("12345678901234567890123456789.3002")  # 32 digits: beyond the context's 28
    assert get_cell(aggregate(towns).report, amount) == exact


def test_what_cannot_be_summed_is_refused() -> None:
    a = build_report("2021", year=2023, agency="甲镇")
    with pytest.raises(ValueError, match="at least one"):
        aggregate([])
    with pytest.raises(ValueError, match="editions 2019 and 2021"):
        aggregate([a, build_report("2019", year=2020, agency="乙镇")])
    with pytest.raises(ValueError, match="different years"):
        aggregate([a, attrs.evolve(a, agency="乙镇", year=2024)])
    with pytest.raises(ValueError, match="counted twice"):
        aggregate({"a.txt": a, "b.txt": attrs.evolve(a, agency=" 甲镇")})
    rollup = aggregate([a])
    with pytest.raises(ValueError, match="edition"):
        compare(rollup, build_report("2019", year=2023))
    with pytest.raises(ValueError, match="for 2023 with a report for 2024"):
        compare(rollup, attrs.evolve(a, year=2024))


def test_rows_beyond_the_form_are_listed_not_summed() -> None:
    from govdisclosure import ExtraRow

    extra = ExtraRow(label="其他主动公开文件", cells=("3", "1"))
    a = build_report("2021", year=2023, agency="甲镇", extra_rows={"active": (extra,)})
    rollup = aggregate({"a.txt": a, "b.txt": attrs.evolve(a, agency="乙镇")})
    assert rollup.coverage.extra_rows == (("a.txt", "其他主动公开文件"),
                                          ("b.txt", "其他主动公开文件"))
    assert rollup.report.active.extra_rows == ()
    assert len(form("2021").refs()) == len(rollup.coverage.blanks)  # every cell was blank
