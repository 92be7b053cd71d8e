"""From an office's case registers (CSV) to a finished report in Markdown and HTML.

An office keeps a register of disclosure applications and one of review and
litigation cases (examples/registers/*.csv, described in docs/registers.md).
Tables 三 and 四 are counted from them, so every identity holds by
construction; table 二 and the narrative come from the office's own figures.

Run: python examples/register_to_report.py [OUT]
Writes OUT with the suffixes .md and .html (default: report.md and report.html).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import attrs

import govdisclosure as gd
from govdisclosure import CellRef, Section, validate_prose
from govdisclosure.registers import (
    read_appeal_register,
    read_application_register,
    with_registers,
)

REGISTERS = Path(__file__).resolve().parent / "registers"
AGENCY = "某县自然资源局"
YEAR = 2023


def read_registers() -> tuple[gd.Report, int]:
    """Build the report from the two registers; the int counts the cases read."""
    try:
        applications = read_application_register(
            (REGISTERS / "applications.csv").read_text(encoding="utf-8"),
            source="applications.csv",
        )
        appeals = read_appeal_register(
            (REGISTERS / "appeals.csv").read_text(encoding="utf-8"), source="appeals.csv"
        )
    except gd.ReadError as error:
        sys.exit(f"register_to_report: {error}")

    # Table 二 is not kept in a register: the office's own figures for the year.
    active: dict[CellRef, int | Decimal] = {
        CellRef("active", "art20_1.rules", "issued"): 0,
        CellRef("active", "art20_1.rules", "repealed"): 0,
        CellRef("active", "art20_1.rules", "in_force"): 0,
        CellRef("active", "art20_1.normative_documents", "issued"): 4,
        CellRef("active", "art20_1.normative_documents", "repealed"): 1,
        CellRef("active", "art20_1.normative_documents", "in_force"): 27,
        CellRef("active", "art20_5.licensing", "decisions"): 312,
        CellRef("active", "art20_6.penalties", "decisions"): 41,
        CellRef("active", "art20_6.coercive_measures", "decisions"): 2,
        CellRef("active", "art20_8.fees", "amount"): Decimal("86.35"),
    }
    report = gd.build_report("2021", active, year=YEAR, agency=AGENCY,
                             title=f"{AGENCY}{YEAR}年政府信息公开工作年度报告")
    # Tables 三 and 四 are counted from the registers, in the report's edition.
    report = with_registers(report, applications=applications, appeals=appeals)
    return report, len(applications) + len(appeals)


def narrative(report: gd.Report) -> gd.Report:
    """Sections 一, 五 and 六, quoting the counts of the tables (rule T1 checks them)."""
    apps, appeals = report.applications, report.appeals
    lawsuits = sum(
        row.total for row in (appeals.litigation_direct, appeals.litigation_after_review)
        if isinstance(row.total, int)  # counted from a register: never blank
    )
    overview = (
        f"{YEAR}年，{AGENCY}深入贯彻《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。\n"
        "（一）主动公开\n"
        "全年制发行政规范性文件4件，废止规范性文件1件，均在政府门户网站公开。\n"
        "（二）依申请公开\n"
        f"全年新收政府信息公开申请{apps.received.total}件，上年结转{apps.carried_over.total}件，"
        f"办结{apps.total_handled.total}件，{apps.carried_forward.total}件结转下年度继续办理。"
        f"其中予以公开{apps.granted.total}件，部分公开{apps.partially_granted.total}件。\n"
        f"因政府信息公开工作被申请行政复议{appeals.review.total}件，"
        f"被提起行政诉讼{lawsuits}件。"
    )
    return attrs.evolve(
        report,
        introduction=f"本报告所列数据的统计期限自{YEAR}年1月1日至{YEAR}年12月31日。",
        overview=Section(heading="一、总体情况", body=overview),
        problems=Section(
            heading="五、存在的主要问题及改进情况",
            body="政策解读形式较为单一。下一步将丰富图解、视频等解读形式，提升公众知晓度。",
        ),
        other_matters=Section(heading="六、其他需要报告的事项", body="本年度未收取信息处理费。"),
    )


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("report")
    report, cases = read_registers()
    report = narrative(report)
    findings = [*gd.validate(report), *validate_prose(report)]
    print(f"{cases} cases read; {len(findings)} findings")
    for finding in findings:
        print(f"  {finding.rule} {finding.severity}: {finding.message}")
    if findings:
        return 1
    for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
        path = out.with_suffix(suffix)
        path.write_text(gd.dumps(report, fmt), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
