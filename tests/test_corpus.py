"""The real reports of ``tests/corpus``: read values, metadata and findings.

Every complete report must read with exactly the values of its hand-checked
``expected/NAME.csv``, cell by cell; the partial ones read what they contain
and report what is missing; the rule findings on them are the true ones.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import govdisclosure
from editions import of_2019, of_2021
from govdisclosure import infer, validate
from govdisclosure.formats._textread import READ_CODES
from govdisclosure.model import Blank, CellRef, Report, form, get_cell, iter_cells

CORPUS = Path(__file__).resolve().parent / "corpus"

# file, edition, year, agency
COMPLETE = [
    ("ulanqab-2020.txt", "2019", 2020, "乌兰察布市政府办公室"),
    ("pingtan-2019.txt", "2019", 2019, "平潭综合实验区"),
    ("pingtan-2021.txt", "2021", 2021, "平潭综合实验区"),
    ("shuyang-2025.md", "2021", 2025, "沐阳县人民政府"),
    ("shanghai-office-2025.md", "2021", 2025, "上海市人民政府办公厅"),
    ("pingtan-finance-2020.txt", "2019", 2020, "平潭综合实验区财政金融局"),
    ("hebei-edu-2019.txt", "2019", 2019, "河北省教育厅"),
    ("pdf/hongze-2024.pdf", "2021", 2024, "淮安市洪泽区人民政府"),
]
PARTIAL = [
    ("P01.txt", "2021", 2022, "龙口镇"),
    ("P02.txt", "2019", 2020, None),
    ("P03.txt", "2021", 2022, "太平镇人民政府"),
    ("P04.txt", "2021", 2022, "北坡鎮"),
]
NAMES = [name for name, *_ in COMPLETE]


def load(name: str) -> Report:
    path = CORPUS / name if (CORPUS / name).exists() else CORPUS / "partial" / name
    return govdisclosure.load(path)


def expected(name: str) -> list[tuple[CellRef, str]]:
    path = CORPUS / "expected" / (Path(name).stem + ".csv")
    with path.open(encoding="utf-8", newline="") as f:
        return [(CellRef(r["table"], r["row"], r["column"]), r["value"]) for r in csv.DictReader(f)]


def printed(value: object) -> str:
    return value.printed if isinstance(value, Blank) else str(value)


def matches(got: object, value: str) -> bool:
    """An empty expected value is a blank cell as printed, any other a number;
    ``0|`` accepts either 0 or a blank (cells the report does not give)."""
    return any((v == "") == isinstance(got, Blank) and printed(got) == v
               for v in value.split("|"))


@pytest.mark.parametrize("name", NAMES)
def test_complete_report_reads_exactly_the_expected_values(name: str) -> None:
    report = load(name)
    cells = expected(name)
    wrong = []
    for ref, value in cells:
        got = get_cell(report, ref)
        if not matches(got, value):
            wrong.append(f"{ref}: read {got!r}, expected {value!r}")
    assert not wrong, "\n".join(wrong)
    spec = form(report.edition)
    checked = {ref for ref, _ in cells}
    for table in ("applications", "appeals"):
        assert {r for r in spec.refs() if r.table == table} <= checked


@pytest.mark.parametrize(("name", "edition", "year", "agency"), [
    *COMPLETE, *PARTIAL, ("hebei-miit-2019.txt", "2019", 2019, "河北省工业和信息化厅")])
def test_metadata(name: str, edition: str, year: int, agency: str | None) -> None:
    report = load(name)
    assert (report.edition, report.year, report.agency) == (edition, year, agency)


@pytest.mark.parametrize("name", NAMES)
def test_consistent_reports_get_no_failed_rule_findings(name: str) -> None:
    result = validate(load(name))
    rules = [f for f in result if not f.rule.startswith("read-")]
    # hongze's overview quotes the government office's own 17 applications,
    # while its table counts the district's 95: T1 says so, and only T1.
    known = {"pdf/hongze-2024.pdf": ["T1"]}.get(name, [])
    assert [f.rule for f in rules if f.failed] == known, [f.message_en for f in rules if f.failed]
    rules = [f for f in rules if not f.failed]
    # Blank cells make rules not assessable, never failed.
    assert all(f.status.value == "not_assessable" and f.blanks for f in rules)


def test_ulanqab_findings_are_exactly_those_of_the_short_row() -> None:
    report = load("ulanqab-2020.txt")
    rules = [f for f in validate(report) if not f.rule.startswith("read-")]
    row = "not_processed.duplicate"
    assert {(f.rule, f.status.value) for f in rules} == {
        ("D1", "not_assessable"), ("I2", "not_assessable"), ("I3", "not_assessable")}
    assert all(any(ref.row == row for ref in f.blanks) for f in rules)
    filled = [f for f in validate(infer(report)) if not f.rule.startswith("read-")]
    assert {(f.rule, f.row) for f in filled} == {("inferred", row)} and len(filled) == 7


# Complete reports whose tables are not all printed (table 四 is a sentence).
NO_APPEALS = ["hebei-miit-2019.txt"]


@pytest.mark.parametrize("name", NO_APPEALS)
def test_report_without_table_four_reads_exactly_the_expected_values(name: str) -> None:
    report = load(name)
    wrong = [f"{ref}: read {get_cell(report, ref)!r}, expected {value!r}"
             for ref, value in expected(name)
             if (value == "") != isinstance(get_cell(report, ref), Blank)
             or printed(get_cell(report, ref)) != value]
    assert not wrong, "\n".join(wrong)
    spec = form(report.edition)
    assert {r for r in spec.refs() if r.table == "applications"} <= {r for r, _ in expected(name)}
    assert [f.table for f in report.read_findings if f.rule == "read-missing-table"] == [
        "appeals"]


def test_hebei_miit_vanished_blanks_keep_the_totals_and_list_the_readings() -> None:
    # `一、本年新收政府信息公开申请数量22二、…`: one applicant cell 2 and 总计 2, the
    # empty cells gone. The totals are certain, the applicant column is not.
    report = load("hebei-miit-2019.txt")
    for row in ("received", "granted", "total_handled"):
        (f,) = [f for f in report.read_findings if f.row == row]
        assert f.rule == "read-ambiguous-split"
        refs = form("2019").row("applications", row).refs()
        assert f.blanks == refs[:6]
        assert isinstance(f.expected, str) and len(f.expected.split(" | ")) == 6
        assert "空,空,空,空,空,2,2" in f.expected and "2,空,空,空,空,空,2" in f.expected
    assert report.applications.carried_over.total == Blank("")
    assert report.applications.partially_granted.natural_person == Blank("")


@pytest.mark.parametrize("name", NAMES + NO_APPEALS + [name for name, *_ in PARTIAL])
def test_reader_findings_have_codes_and_places(name: str) -> None:
    report = load(name)
    unlocated = {"read-missing-section", "read-missing-metadata", "read-edition-unknown",
                 "read-edition-mixed", "read-edition-override"}
    for f in report.read_findings:
        assert f.rule in READ_CODES
        assert f.message and f.message_en
        assert f.status.value == "failed"
        if f.rule not in unlocated:
            assert f.table is not None or f.line is not None, f


@pytest.mark.parametrize("name", NAMES + NO_APPEALS + [name for name, *_ in PARTIAL])
def test_every_value_read_knows_its_line(name: str) -> None:
    report = load(name)
    for ref, value in report.provenance.items():
        assert value.line is not None, ref


def test_partial_p01_reads_what_it_has_and_reports_the_rest() -> None:
    report = of_2021(load("P01.txt"))
    assert report.active.art20_8.fees.amount == 0
    assert report.applications.carried_over.total == 0
    missing = {f.row for f in report.read_findings if f.rule == "read-missing-row"}
    assert "granted" in missing and "carried_forward" in missing
    assert "received" not in missing
    assert [f.table for f in report.read_findings if f.rule == "read-missing-table"] == ["appeals"]
    assert report.problems is None and report.other_matters is None


def test_partial_p02_separator_lines() -> None:
    report = of_2019(load("P02.txt"))
    assert report.active.art20_1.normative_documents.total_published == 2
    assert report.applications.partially_granted.total == 0
    assert report.applications.withheld.state_secret.total == Blank("")


def test_partial_p03_content_decides_the_edition() -> None:
    text = (CORPUS / "partial" / "P03.txt").read_text("utf-8")
    assert "国办公开办函〔2019〕60号" in text  # it cites the 2019 notice...
    report = load("P03.txt")
    assert report.edition == "2021"  # ...but prints the 2021 table
    assert report.title == "太平镇人民政府2022年政府信息公开工作年度报告"
    assert report.applications.withheld.security_stability.total == 0


def test_partial_p04_traditional_characters() -> None:
    report = load("P04.txt")
    assert report.active.art20_6.penalties.decisions == 4
    assert [f.table for f in report.read_findings if f.rule == "read-missing-table"] == [
        "applications", "appeals"]


def test_shanghai_section_five_missing_is_kept_as_unplaced_text() -> None:
    report = load("shanghai-office-2025.md")
    assert report.problems is None
    assert any("2025 年工作中存在的主要问题" in text for text in report.unplaced)
    assert "read-missing-section" in [f.rule for f in report.read_findings]


# --- text extracted from the PDF by the user --------------------------------------

# The text of pdf/hongze-2024.pdf as extractors give it (SOURCES.md), and how
# many of its expected cells each reads. Never a wrong number; the counts are
# pinned so that a reader blanking more than it must fails too. The default
# pdftotext mode prints part of table 三 column by column: those rows stay
# blank (with findings) rather than take numbers of other rows. The other
# modes print `（四）无法提供 1.本机关不掌握相关政府信息 31 0 …` on one line: a
# group label and its first item, two labels (158 read before they were split).
EXTRACTED = [
    ("extracted/hongze-2024-pdftotext.txt", "hongze-2024.pdf", 60),
    ("extracted/hongze-2024-pdftotext-raw.txt", "hongze-2024.pdf", 179),
    ("extracted/hongze-2024-pdftotext-layout.txt", "hongze-2024.pdf", 179),
    ("extracted/hongze-2024-pdfium.txt", "hongze-2024.pdf", 179),
    # Table 四's values among its header's characters, in an order that is not
    # the form's: blank with a finding (its groups' totals do not add up in order).
    ("extracted/pingtan-2021-chromium-pdftotext.txt", "pingtan-2021.html", 14),
    ("extracted/pingtan-2021-chromium-pdftotext-raw.txt", "pingtan-2021.html", 190),
]


@pytest.mark.parametrize(("name", "source", "right"), EXTRACTED)
def test_extracted_pdf_text_reads_no_wrong_number(name: str, source: str, right: int) -> None:
    report = govdisclosure.loads((CORPUS / name).read_text("utf-8"), "text")
    wrong, read = [], 0
    for ref, value in expected(source):
        got = get_cell(report, ref)
        if isinstance(got, Blank):
            continue
        if matches(got, value):
            read += 1
        else:
            wrong.append(f"{ref}: read {got!r}, expected {value!r}")
    assert not wrong, "\n".join(wrong)
    assert read == right


def test_table_four_among_its_header_words_is_blank_with_a_finding() -> None:
    report = govdisclosure.loads(
        (CORPUS / "extracted/pingtan-2021-chromium-pdftotext.txt").read_text("utf-8"), "text")
    [f] = [f for f in report.read_findings
           if f.table == "appeals" and f.rule == "read-position-uncertain"]
    assert len(f.blanks) == 15
    assert all(isinstance(v, Blank) for ref, v in iter_cells(report) if ref.table == "appeals")
    assert any(text.startswith("1 | 0 | 2 | 0 | 3 | 12") for text in report.unplaced)


def test_text_in_column_order_from_pdftotext_is_reported() -> None:
    report = govdisclosure.loads(
        (CORPUS / "extracted/hongze-2024-pdftotext.txt").read_text("utf-8"), "text")
    codes = [f.rule for f in report.read_findings if f.table == "applications"]
    assert codes.count("read-column-order") == 2
    # The 自然人 values of the nine rows from （三）1. on, kept as printed.
    assert any(text.startswith("0 | 0 | 1 | 0 | 0 | 1 | 1 | 0 | 31 | 0")
               for text in report.unplaced)
    for row in ("withheld.state_secret", "unavailable.not_held", "total_handled"):
        for column in ("natural_person", "total"):
            assert get_cell(report, CellRef("applications", row, column)) == Blank("")
