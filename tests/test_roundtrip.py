"""Round trips through the text and Markdown formats, over generated reports.

``loads(dumps(r, "text"), "text") == r`` and the same for ``"markdown"``, for
every report :func:`govdisclosure.testing.strategies.reports` generates, once
brought to what the two layouts can hold (:func:`representable`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure import Report
from govdisclosure.formats._writing import title_of
from govdisclosure.model import Edition
from govdisclosure.testing import strategies
from test_writers import CASES, CORPUS_REPORTS

FORMATS = ("text", "markdown")

# Names of bodies as reports print them: no digits, so none holds a year.
AGENCIES = ("乌兰察布市人民政府办公室", "平潭综合实验区管理委员会", "沭阳县人民政府",
            "上海市人民政府办公厅", "龙口镇人民政府", "桃江县审计局", "某市生态环境局")


def representable(report: Report) -> Report:
    """``report`` as the text and Markdown layouts can hold it.

    They have no place for ``unplaced`` text (what a reader could not place is
    not part of the report's layout), and a report without a printed title
    gets one made from its agency and year (``title_of``), which reads back as
    printed. Everything else must survive as it is.
    """
    return attrs.evolve(report, unplaced=(), title=title_of(report))


@st.composite
def named_reports(draw: st.DrawFn) -> Report:
    """Generated reports that name their body and year in the title.

    A reader finds the agency and the year in the title line (and the year in
    the statistics period of the introduction); a report that names neither,
    or whose agency holds a year, cannot be written so that they are found
    again, so those two fields are drawn here from names real reports print.
    """
    report = draw(strategies.reports(blanks=True))
    year = report.year
    if year is None:
        year = draw(st.sampled_from((2019, 2020)) if report.edition == "2019"
                    else st.integers(2021, 2030))
    agency = draw(st.sampled_from(AGENCIES))
    return representable(attrs.evolve(report, year=year, agency=agency, title=None))


def _round_trip(report: Report, fmt: str) -> Report:
    expected = representable(report)
    read = gd.loads(gd.dumps(expected, fmt), fmt)
    assert read == expected
    return read


def _expected_findings(report: Report) -> Counter[str]:
    # What a reader must say of a written report: each missing narrative
    # section, and each row the national form does not have.
    expected = Counter[str]()
    for field in ("overview", "problems", "other_matters"):
        if getattr(report, field) is None:
            expected["read-missing-section"] += 1
    for table in ("active", "applications", "appeals"):
        expected["read-unknown-row"] += len(getattr(report, table).extra_rows)
    return expected


@pytest.mark.parametrize("fmt", FORMATS)
@given(report=named_reports())
def test_round_trip(fmt: str, report: Report) -> None:
    _round_trip(report, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_hand_built_reports_round_trip(case: str, fmt: str) -> None:
    report = CASES[case]()
    read = _round_trip(report, fmt)
    assert Counter(f.rule for f in read.read_findings) == _expected_findings(report), [
        str(f) for f in read.read_findings
    ]


@pytest.mark.parametrize("edition", ["2019", "2021"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_template_round_trip(edition: Edition, fmt: str) -> None:
    report = gd.blank_report(edition, year=2022 if edition == "2021" else 2020,
                             agency="某县人民政府")
    _round_trip(report, fmt)


CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", CORPUS_REPORTS)
def test_corpus_reports_round_trip(name: str, fmt: str) -> None:
    # Real narratives (wrapped lines, sub-headings, stray characters) and the
    # values a reader found, blanks included, must all survive being rewritten.
    _round_trip(gd.load(CORPUS / name), fmt)
