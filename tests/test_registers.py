"""Tables 三 and 四 from case registers, and reading registers from CSV."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure import CellRef, ReadError, Report, build_report, form, get_cell, validate
from govdisclosure.model import Edition
from govdisclosure.registers import (
    AppealCase,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    ApplicationCase,
    Intake,
    Outcome,
    appeals_from_cases,
    applications_from_cases,
    read_appeal_register,
    read_application_register,
    with_registers,
)

application_cases = st.lists(
    st.builds(
        ApplicationCase,
        id=st.just(""),
        applicant=st.sampled_from(ApplicantType),
        intake=st.sampled_from(Intake),
        outcome=st.none() | st.sampled_from(Outcome),
    ),
    max_size=60,
).map(lambda cases: [attrs.evolve(c, id=str(i)) for i, c in enumerate(cases)])
appeal_cases = st.lists(
    st.builds(AppealCase, id=st.just(""), kind=st.sampled_from(AppealKind),
              outcome=st.sampled_from(AppealOutcome)),
    max_size=30,
).map(lambda cases: [attrs.evolve(c, id=str(i)) for i, c in enumerate(cases)])


def _report(
    edition: Edition, apps: Sequence[ApplicationCase], appeals: Sequence[AppealCase]
) -> Report:
    """A whole report: table 二 all zeros, tables 三 and 四 from the registers."""
    zeros = {ref: 0 for ref in form(edition).refs() if ref.table == "active"}
    base = build_report(edition, zeros, year=2023, agency="某局")
    return with_registers(base, applications=apps, appeals=appeals)


@given(st.sampled_from(("2019", "2021")), application_cases, appeal_cases)
def test_tables_from_registers_satisfy_every_identity(
    edition: Edition, apps: list[ApplicationCase], appeals: list[AppealCase]
) -> None:
    report = _report(edition, apps, appeals)
    assert list(validate(report)) == []
    total = CellRef("applications", "received", "total")
    assert get_cell(report, total) == sum(c.intake is Intake.RECEIVED for c in apps)
    forward = CellRef("applications", "carried_forward", "total")
    assert get_cell(report, forward) == sum(c.outcome is None for c in apps)
    assert report.appeals.review.total == sum(c.kind is AppealKind.REVIEW for c in appeals)


def test_other_handling_is_one_row_in_2019_and_three_in_2021() -> None:
    cases = [ApplicationCase(id=str(i), applicant=ApplicantType.COMMERCIAL, outcome=o)
             for i, o in enumerate((Outcome.NO_CORRECTION, Outcome.FEE_UNPAID,
                                    Outcome.OTHER_HANDLING))]
    old = applications_from_cases(cases, "2019")
    new = applications_from_cases(cases, "2021")
    assert old.other_handling.commercial == 3
    handled = new.other_handling
    assert (handled.no_correction.total, handled.fee_unpaid.total, handled.other.total) == (
        1, 1, 1,
    )


def test_a_case_counted_twice_is_refused() -> None:
    case = ApplicationCase(id="7", applicant=ApplicantType.OTHER)
    with pytest.raises(ValueError, match="7"):
        applications_from_cases([case, case], "2021")
    appeal = AppealCase(id="A", kind=AppealKind.REVIEW)
    with pytest.raises(ValueError, match="A"):
        appeals_from_cases([appeal, appeal])


# --- CSV ----------------------------------------------------------------------------

ZH_HEADER = ("编号", "申请人类型", "收案类别", "办理结果")
EN_HEADER = ("id", "applicant_type", "intake", "outcome")


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _row(case: ApplicationCase, chinese: bool) -> tuple[str, str, str, str]:
    outcome = "" if case.outcome is None else (
        case.outcome.label if chinese else case.outcome.value
    )
    if chinese:
        return (case.id, case.applicant.label, case.intake.label, outcome)
    return (case.id, case.applicant.value, case.intake.value, outcome)


@given(application_cases, st.booleans())
def test_registers_round_trip_through_csv(apps: list[ApplicationCase], chinese: bool) -> None:
    text = _csv(ZH_HEADER if chinese else EN_HEADER, [_row(c, chinese) for c in apps])
    assert read_application_register(text) == tuple(apps)


def test_ten_thousand_cases_build_a_report_without_findings() -> None:
    rng = random.Random(20231231)
    outcomes = [*Outcome]
    appeal_outcomes = [*AppealOutcome]
    rows = []
    for i in range(10_000):
        applicant = rng.choices([*ApplicantType], weights=(60, 20, 3, 3, 10, 4))[0]
        intake = Intake.CARRIED_OVER if rng.random() < 0.05 else Intake.RECEIVED
        outcome = None if rng.random() < 0.04 else rng.choice(outcomes)
        rows.append(_row(ApplicationCase(id=f"2023-{i:05d}", applicant=applicant,
                                         intake=intake, outcome=outcome), chinese=i % 2 == 0))
    register = _csv(ZH_HEADER, rows)
    appeals_text = _csv(("案号", "案件类型", "审理结果"), [
        (f"A{i}", rng.choice(("行政复议", "未经复议直接起诉", "复议后起诉")),
         rng.choice([o.label for o in appeal_outcomes] + [""]))
        for i in range(300)
    ])
    apps = read_application_register(register)
    appeals = read_appeal_register(appeals_text)
    assert len(apps) == 10_000 and len(appeals) == 300
    report = _report("2021", apps, appeals)
    assert list(validate(report)) == []
    handled = get_cell(report, CellRef("applications", "total_handled", "total"))
    forward = get_cell(report, CellRef("applications", "carried_forward", "total"))
    assert (handled, forward) == (sum(c.outcome is not None for c in apps),
                                  sum(c.outcome is None for c in apps))
    assert len(apps) == 10_000


def test_headers_in_any_order_with_extra_columns_bom_and_tabs() -> None:
    text = "\ufeff申请日期\t办理结果\t申请人类别\t序号\t收案类别\t申请内容\n" \
           "2023-01-05\t部分公开\t法律服务机构\t1\t本年新收\t某某文件\n" \
           "\n" \
           "2023-02-05\t\t自然人\t2\t上年结转\t\n"
    assert read_application_register(text) == (
        ApplicationCase(id="1", applicant=ApplicantType.LEGAL_SERVICES,
                        outcome=Outcome.PARTIALLY_GRANTED),
        ApplicationCase(id="2", applicant=ApplicantType.NATURAL_PERSON,
                        intake=Intake.CARRIED_OVER),
    )


@pytest.mark.parametrize(("value", "outcome"), [
    ("（一）予以公开", Outcome.GRANTED),
    ("1.属于国家秘密", Outcome.STATE_SECRET),
    ("危及\"三安全一稳定\"", Outcome.SECURITY_STABILITY),
    ("本机关不掌握相关政府信息", Outcome.NOT_HELD),
    ("2. 重复申请", Outcome.DUPLICATE),
    ("逾期不补正", Outcome.NO_CORRECTION),
    ("withheld.third_party_rights", Outcome.THIRD_PARTY_RIGHTS),
    ("OTHER_HANDLING", Outcome.OTHER_HANDLING),
    ("办理中", None),
])
def test_outcomes_are_read_in_chinese_or_english(value: str, outcome: Outcome | None) -> None:
    (case,) = read_application_register(_csv(EN_HEADER, [("1", "自然人", "新收", value)]))
    assert case.outcome is outcome


def test_every_bad_line_is_reported_with_its_line_and_column() -> None:
    text = _csv(EN_HEADER, [
        ("1", "person", "received", "granted"),
        ("1", "natural_person", "received", "granted"),
        ("2", "外星人", "received", ""),
        ("3", "自然人", "昨天", "不知道"),
        ("", "自然人", "received", ""),
    ]) + "4,自然人\n"
    with pytest.raises(ReadError) as info:
        read_application_register(text, source="台账.csv")
    problems = [(p.line, p.column) for p in info.value.problems]
    assert problems == [(3, 1), (4, 2), (5, 3), (5, 4), (6, 1), (7, None)]
    message = str(info.value)
    assert message.startswith("台账.csv: 6 problems:")
    assert "first on line 2" in message
    assert "unknown value '外星人'" in message and "自然人、商业企业" in message
    assert "unknown value '不知道'" in message
    assert "line 7: the row has 2 fields" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("", "the register is empty"),
    ("name,date\nx,y\n", "the header has no column 编号 (id), 申请人类型 (applicant_type)"),
    ("编号,id,申请人类型,收案类别,办理结果\n", "appears twice"),
    ('id,applicant_type,intake,outcome\n1,"自然人,received,granted\n', "not valid CSV"),
])
def test_header_and_syntax_problems_are_explained(text: str, expected: str) -> None:
    with pytest.raises(ReadError, match=re.escape(expected)) as info:
        read_application_register(text)
    assert all(p.line is not None for p in info.value.problems)


def test_appeal_register_reads_chinese_and_english_and_reports_bad_lines() -> None:
    text = "编号,案件类型,审理结果\nA1,行政复议,结果维持\nA2,直接起诉,\nA3,复议后起诉,纠正\n" \
           "A4,litigation_direct,other\n"
    cases = read_appeal_register(text)
    table = appeals_from_cases(cases)
    assert (table.review.upheld, table.litigation_direct.pending, table.litigation_direct.other,
            table.litigation_after_review.corrected) == (1, 1, 1, 1)
    assert table.litigation_direct.total == 2
    with pytest.raises(ReadError) as info:
        read_appeal_register("id,case_type,outcome\nA1,仲裁,维持\nA2,review,赢了\n")
    assert [(p.line, p.column) for p in info.value.problems] == [(2, 2), (3, 3)]
    assert "行政复议、未经复议直接起诉、复议后起诉" in str(info.value)


def test_the_register_example_writes_markdown_and_html(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "examples" / "register_to_report.py"
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "report")],
                          capture_output=True, text=True, check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "44 cases read; 0 findings" in proc.stdout
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "全年新收政府信息公开申请37件" in markdown
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
