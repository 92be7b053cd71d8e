"""``govdisclosure new`` (a report to fill in) and ``build`` (tables from registers)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from editions import body
from govdisclosure import Blank, CellRef
from govdisclosure.cli import main
from govdisclosure.model import Edition
from govdisclosure.registers import (
    appeals_from_cases,
    applications_from_cases,
    read_appeal_register,
    read_application_register,
)
from govdisclosure.templates import PLACEHOLDER, new_report, placeholders

REGISTERS = Path(__file__).resolve().parent.parent / "examples" / "registers"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_new_report_has_a_placeholder_in_every_section(edition: Edition) -> None:
    report = new_report(edition, year=2025, agency="某县某局")
    assert report.title == "某县某局2025年政府信息公开工作年度报告"
    assert "2025年1月1日至2025年12月31日" in report.introduction
    for section in (report.overview, report.problems, report.other_matters):
        assert section is not None and PLACEHOLDER in section.body
    found = placeholders(report)
    assert len(found) == 7 and all(p.startswith(PLACEHOLDER) and p.endswith("】") for p in found)
    assert ("信息处理费" in body(report.other_matters)) == (edition == "2021")
    # Tables 二, 三 and 四: every cell blank, so nothing fails and nothing is 0.
    assert all(isinstance(v, Blank) for _, v in gd.iter_cells(report))
    assert gd.validate(report).ok


@pytest.mark.parametrize("suffix", [".json", ".md", ".txt", ".html"])
def test_new_command_writes_every_section_and_reads_back(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    code, printed, err = run("new", "--edition", "2021", "--year", "2025", "--agency", "某县某局",
                             "-o", str(out))
    assert code == 0, err
    assert printed == f"已写入 {out}\n"
    back = gd.load(out)
    assert back.edition == "2021" and back.year == 2025 and back.agency == "某县某局"
    assert len(placeholders(back)) == 7
    for key, heading in (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"),
                         ("other_matters", "六、其他需要报告的事项")):
        section = getattr(back, key)
        assert section is not None and section.heading == heading
    text = out.read_text("utf-8")
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"):
        assert heading in text or suffix == ".json"


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
def test_a_template_read_back_names_no_body_and_warns_of_each_placeholder(
        tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"form{suffix}"
    code, _, err = run("template", "2021", "-o", str(out))
    assert code == 0, err
    back = gd.load(out)
    # The title's 【请填写：机关名称】 is no body's name, and no year is given.
    assert back.agency is None and back.year is None
    warned = [f for f in gd.validate(back) if f.rule == "read-placeholder"]
    assert all(f.severity == "warning" and PLACEHOLDER in str(f.actual) for f in warned)
    if suffix == ".html":
        # the library's own page is read by its structure, without lines: one
        # finding for each part of the report that holds a placeholder
        assert [f.message.removesuffix("仍有待填写的占位文字") for f in warned] == [
            "标题", "引言", "一、总体情况", "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项"]
    else:
        # line by line: the title, the introduction, the overview's five parts,
        # sections 五 and 六
        assert len({f.line for f in warned}) == len(warned) == 9
        assert warned == [f for f in back.read_findings if f.rule == "read-placeholder"]


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_validate_names_each_part_still_holding_a_placeholder(edition: Edition) -> None:
    report = new_report(edition, year=2025, agency="某县某局")
    warned = [f for f in gd.validate(report) if f.rule == "read-placeholder"]
    # A report built in memory or read from JSON has no lines: one finding per
    # part (sections 一, 五 and 六), saying which.
    assert [f.message for f in warned] == [
        "一、总体情况仍有待填写的占位文字", "五、存在的主要问题及改进情况仍有待填写的占位文字",
        "六、其他需要报告的事项仍有待填写的占位文字"]
    assert all(f.severity == "warning" and str(f.actual).startswith(PLACEHOLDER)
               for f in warned)
    assert gd.validate(report).ok  # a warning: the draft is not wrong, only unfinished
    assert report.overview is not None
    written = attrs.evolve(report, overview=attrs.evolve(report.overview, body="本年度主动公开。"),
                           problems=None, other_matters=None)
    assert not [f for f in gd.validate(written) if f.rule == "read-placeholder"]


def test_a_template_for_a_body_reads_back_its_name(tmp_path: Path) -> None:
    out = tmp_path / "form.txt"
    code, _, err = run("template", "2019", "--agency", "某县某局", "-o", str(out))
    assert code == 0, err
    back = gd.load(out)
    assert back.agency == "某县某局" and back.year is None
    filled = out.read_text("utf-8").replace("【请填写：年度】", "2020")
    back = gd.loads(filled, "text")
    assert back.agency == "某县某局" and back.year == 2020


def test_new_needs_year_and_agency() -> None:
    code, _, err = run("new", "--year", "2025")
    assert code == 2 and "缺少必需的参数：--agency" in err


def test_build_counts_tables_3_and_4_from_the_registers(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code, printed, err = run("build", "--registers", str(REGISTERS / "applications.csv"),
                             str(REGISTERS / "appeals.csv"), "--year", "2023",
                             "--agency", "某县自然资源局", "-o", str(out))
    assert code == 0, err
    report = gd.load(out)
    cases = read_application_register((REGISTERS / "applications.csv").read_text("utf-8"))
    appeals = read_appeal_register((REGISTERS / "appeals.csv").read_text("utf-8"))
    assert report.applications == applications_from_cases(cases, "2021")
    assert report.appeals == appeals_from_cases(appeals)
    assert len(placeholders(report)) == 7  # a new report: the text is still to write
    first, summary = printed.splitlines()[:2]
    assert first == (f"已写入 {out}（表三计入 {len(cases)} 件申请，"
                     f"表四计入 {len(appeals)} 件案件）")
    blank = sum(1 for ref in gd.form("2021").refs() if ref.table == "active")  # table 二
    assert "错误 0 条" in summary and f"无法核对 {blank} 格（空白）" in summary
    result = gd.validate(report)
    assert result.ok and not [f for f in result if f.table in ("applications", "appeals")]


def test_build_into_an_existing_report_in_either_order(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    existing = gd.replace_cells(new_report("2019", year=2020, agency="某局"),
                                {CellRef("active", "art20_1.rules", "made"): 3})
    gd.dump(existing, base)
    out = tmp_path / "built.md"
    code, _, err = run("build", "--registers", str(REGISTERS / "appeals.csv"),
                       str(REGISTERS / "applications.csv"), "--report", str(base),
                       "-o", str(out), "--lang", "en")
    assert code == 0, err
    built = gd.load(out)
    assert built.edition == "2019" and gd.get_cell(
        built, CellRef("active", "art20_1.rules", "made")) == 3
    cases = read_application_register((REGISTERS / "applications.csv").read_text("utf-8"))
    assert built.applications == applications_from_cases(cases, "2019")


def test_build_with_one_register_leaves_the_other_table(tmp_path: Path) -> None:
    code, printed, err = run("build", "--registers", str(REGISTERS / "appeals.csv"),
                             "--year", "2023", "--agency", "某局")
    assert code == 0, err
    report = gd.loads(printed, "json")
    assert all(isinstance(v, Blank) for ref, v in gd.iter_cells(report)
               if ref.table == "applications")
    assert report.appeals.review.total == 2


def test_build_errors_are_clear(tmp_path: Path) -> None:
    apps = str(REGISTERS / "applications.csv")
    code, _, err = run("build", "--registers", apps, "--year", "2023")
    assert code == 2 and "新建报告需要 --year 和 --agency" in err
    copy = tmp_path / "copy.csv"
    shutil.copy(apps, copy)
    code, _, err = run("build", "--registers", apps, str(copy), "--year", "2023",
                       "--agency", "某局", "--lang", "en")
    assert code == 2 and "two files are an application register" in err
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run("build", "--registers", str(junk), "--year", "2023", "--agency", "某局")
    assert code == 2 and str(junk) in err and "既不是申请登记" in err
    assert "Traceback" not in err


def test_cli_doc_shows_the_real_build_output(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    doc = (REGISTERS.parent.parent / "docs" / "cli.md").read_text("utf-8")
    shown = re.search(r"## govdisclosure build.*?```text\n(.*?)```", doc, re.S)
    assert shown is not None
    monkeypatch.chdir(tmp_path)
    code, printed, _ = run("build", "--registers", str(REGISTERS / "applications.csv"),
                           str(REGISTERS / "appeals.csv"), "--year", "2023",
                           "--agency", "某县自然资源局", "-o", "report.md")
    assert code == 0 and printed == shown.group(1)
