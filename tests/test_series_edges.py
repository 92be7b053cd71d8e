"""Series rules at their edges: X2's allowance rounded up, a single missing year,
S1 naming the earlier report first, and group_series' order of bodies and years.

Each test failed with a planted bug that the property tests of test_series.py
let through.
"""

from __future__ import annotations

from govdisclosure import CellRef, Report, build_report
from govdisclosure.model.cells import Value
from govdisclosure.testing.samples import sample_report
from govdisclosure.validation.series import group_series, validate_series

AGENCY = "某县财政局"
COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services",
           "other", "total")


def _two_years(*, before: int, in_force: int) -> list[Report]:
    row = "art20_1.normative_documents"
    zeros = {CellRef("applications", "carried_forward", c): 0 for c in COLUMNS}
    zeros |= {CellRef("applications", "carried_over", c): 0 for c in COLUMNS}
    zeros |= {CellRef("active", "art20_1.rules", c): 0 for c in ("issued", "repealed", "in_force")}
    first = build_report("2021", {**zeros, CellRef("active", row, "in_force"): before},
                         year=2022, agency=AGENCY)
    second = build_report("2021", {
        **zeros, CellRef("active", row, "issued"): 0, CellRef("active", row, "repealed"): 0,
        CellRef("active", row, "in_force"): in_force,
    }, year=2023, agency=AGENCY)
    return [first, second]


def test_x2_lets_a_quarter_rounded_up_expire_and_no_more() -> None:
    # A quarter of 10 is 2.5: three documents may expire.
    assert list(validate_series(_two_years(before=10, in_force=7), rules=["X2"])) == []
    (finding,) = validate_series(_two_years(before=10, in_force=6), rules=["X2"])
    assert (finding.rule, finding.expected, finding.actual) == ("X2", 10, 6)


def test_one_missing_year_is_a_gap_and_nothing_is_compared_across_it() -> None:
    first = sample_report(1, "2021")
    reports = {"a": build_report("2021", dict(_cells(first)), year=2021, agency=AGENCY),
               "c": build_report("2021", dict(_cells(sample_report(2, "2021"))), year=2023,
                                 agency=AGENCY)}
    findings = list(validate_series(reports))
    assert [f.rule for f in findings] == ["series-gap"]
    assert "2022" in findings[0].message_en and findings[0].reports == ("a", "c")


def _cells(report: Report) -> list[tuple[CellRef, Value]]:
    from govdisclosure import iter_cells

    return list(iter_cells(report))


def test_s1_names_the_earlier_report_first() -> None:
    values = dict(_cells(sample_report(3, "2021")))
    reports = {"old.json": build_report("2021", values, year=2021, agency=AGENCY),
               "new.json": build_report("2021", values, year=2022, agency=AGENCY)}
    (finding,) = list(validate_series(reports, rules=["S1"]))
    assert finding.reports == ("old.json", "new.json")
    assert finding.message_en.startswith("every number in the tables of new.json")


def test_group_series_orders_bodies_by_key_and_years_with_no_year_last() -> None:
    def report(agency: str, year: int | None) -> Report:
        return build_report("2021", {}, year=year, agency=agency)

    groups = group_series({"a1": report("甲局", None), "z1": report("乙局", 2022),
                           "a2": report("甲局", 2021), "z2": report("乙局", 2021)})
    assert [(g.body, list(g.reports)) for g in groups] == [
        ("乙局", ["z2", "z1"]), ("甲局", ["a2", "a1"])]
