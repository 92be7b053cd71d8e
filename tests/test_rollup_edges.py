"""Roll-ups and S1 at their edges: what a sum records of its blanks, a published 0
against a sum that is not 0, the year a sum takes, and when identical tables or
short texts are no copy.

Each test failed with a planted bug that test_aggregate.py and test_prose.py let
through.
"""

from __future__ import annotations

from govdisclosure import Blank, CellRef, Report, Status, build_report, iter_cells
from govdisclosure.model.cells import Value
from govdisclosure.testing.samples import sample_report
from govdisclosure.validation.aggregate import aggregate, compare
from govdisclosure.validation.similar import check_similar

CELL = CellRef("applications", "received", "commercial")


def _values(seed: int) -> dict[CellRef, Value]:
    return dict(iter_cells(sample_report(seed, "2021")))


def _report(values: dict[CellRef, Value], agency: str, year: int | None = 2022) -> Report:
    return build_report("2021", values, year=year, agency=agency)


def test_a_sum_names_the_reports_in_which_a_cell_was_blank() -> None:
    first, second = _values(1), _values(2)
    second[CELL] = Blank("—")
    rollup = aggregate({"a": _report(first, "甲局"), "b": _report(second, "乙局")})
    assert rollup.coverage.blanks == {CELL: ("b",)}
    assert not rollup.coverage.complete
    (finding,) = [f for f in compare(rollup, _report(first, "某县")).findings
                  if (f.table, f.row, f.column) == CELL]
    assert finding.status is Status.NOT_ASSESSABLE and "blank in b" in finding.message_en


def test_a_published_zero_against_a_sum_that_is_not_zero_fails() -> None:
    first, second = _values(1), _values(2)
    first[CELL], second[CELL] = 2, 3
    rollup = aggregate({"a": _report(first, "甲局"), "b": _report(second, "乙局")})
    published = dict(iter_cells(rollup.report))
    published[CELL] = 0
    (finding,) = compare(rollup, _report(published, "某县")).findings
    # The cell named as every rule names it (validation/_words.py).
    assert finding.message.startswith("三 / 一 / 商业企业：")
    assert finding.message_en.startswith("applications / received this year / businesses: ")
    assert (finding.status, finding.expected, finding.actual) == (Status.FAILED, 5, 0)


def test_a_sum_takes_the_parts_year_unless_given_one() -> None:
    parts = {"a": _report(_values(1), "甲局"), "b": _report(_values(2), "乙局", year=None)}
    assert aggregate(parts).report.year == 2022
    assert aggregate(parts, year=2030).report.year == 2030


def test_identical_tables_with_few_numbers_that_are_not_zero_are_no_copy() -> None:
    zeros: dict[CellRef, Value] = {ref: 0 for ref, _ in iter_cells(sample_report(1, "2021"))}
    zeros[CELL] = 4
    zeros[CellRef("applications", "received", "total")] = 4
    old, new = _report(zeros, "甲局", 2021), _report(zeros, "甲局", 2022)
    assert list(check_similar(new, old)) == []
    zeros[CellRef("applications", "received", "natural_person")] = 1
    zeros[CellRef("applications", "received", "total")] = 5
    old, new = _report(zeros, "甲局", 2021), _report(zeros, "甲局", 2022)
    (finding,) = check_similar(new, old)
    assert finding.actual == "identical numbers"


def test_short_texts_alike_are_no_copy() -> None:
    from govdisclosure.model.report import Section

    old = _report(_values(1), "甲局", 2021)
    new = _report(_values(2), "甲局", 2022)
    short = "本年度无其他需要报告的事项。"
    long = "本机关认真贯彻落实政府信息公开条例，" * 8
    def with_text(report: Report, text: str) -> Report:
        import attrs

        return attrs.evolve(report, overview=Section(heading="一、总体情况", body=text))

    assert list(check_similar(with_text(new, short), with_text(old, short))) == []
    (finding,) = check_similar(with_text(new, long), with_text(old, long))
    assert finding.rule == "S1" and finding.actual is not None
