"""Hypothesis strategies for series of one body's reports over several years.

:func:`series` draws reports that are consistent across years: every X1, X2
and X3 holds (carry-overs equal last year's carry-forwards, documents in force
carry on, item counts carry on), each report is valid on its own (tables 三
and 四 are counted from generated case registers), and each overview states
the table's counts in sentences T1 reads, around filler that differs from
year to year so that S1 stays silent. The bulk numbers come from a seeded
``random.Random`` whose seed hypothesis draws, which keeps drawing fast.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from govdisclosure import CellRef, Report, Section, build_report, iter_cells
from govdisclosure.model import Edition
from govdisclosure.registers import (
    AppealCase,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    ApplicationCase,
    Intake,
    Outcome,
    with_registers,
)

AGENCY = "某某县人民政府办公室"

_FILLER = (
    "深入推进决策公开和政策解读工作", "持续加强政府网站和政务新媒体建设",
    "严格落实保密审查制度", "扎实开展基层政务公开标准化规范化建设",
    "积极回应社会关切和群众诉求", "组织开展政务公开业务培训",
    "完善政府信息公开指南和目录", "推进重点领域信息公开",
    "加强政府公报编辑出版工作", "规范依申请公开办理流程",
    "健全政务公开考核评估机制", "强化政务服务事项公开",
    "做好财政预决算信息公开", "推动公共企事业单位信息公开",
    "加大公众参与力度", "提升政策文件解读质量",
    "加强政务舆情回应", "优化政府信息公开专栏",
    "推进行政执法公示制度", "落实重大行政决策预公开",
    "开展政府开放日活动", "完善依申请公开答复文书",
    "加强档案管理和信息管理", "推进政务数据开放共享",
    "开展政务公开第三方评估", "推进乡镇政务公开专区建设",
    "规范政府信息发布审核流程", "加强政府信息公开工作人员队伍建设",
)


def edition_of(year: int) -> Edition:
    """The edition of the form a report for ``year`` uses."""
    return "2019" if year <= 2020 else "2021"


def _applications(
    rng: random.Random, year: int, carried: list[ApplicantType]
) -> tuple[list[ApplicationCase], list[ApplicantType]]:
    cases = [
        ApplicationCase(id=f"{year}-c{i}", applicant=who, intake=Intake.CARRIED_OVER,
                        outcome=_outcome(rng))
        for i, who in enumerate(carried)
    ]
    weights = (8, 3, 1, 1, 2, 1)
    for i in range(rng.choice((0, 2, 5, 12, 40))):
        who = rng.choices(list(ApplicantType), weights)[0]
        cases.append(ApplicationCase(id=f"{year}-n{i}", applicant=who,
                                     intake=Intake.RECEIVED, outcome=_outcome(rng)))
    still_open = [c.applicant for c in cases if c.outcome is None]
    return cases, still_open


def _outcome(rng: random.Random) -> Outcome | None:
    if rng.random() < 0.2:
        return None
    return rng.choice(list(Outcome))


def _appeals(rng: random.Random, year: int) -> list[AppealCase]:
    return [
        AppealCase(id=f"{year}-a{i}", kind=rng.choice(list(AppealKind)),
                   outcome=rng.choice(list(AppealOutcome)))
        for i in range(rng.choice((0, 0, 1, 3)))
    ]


def _active(
    rng: random.Random, edition: Edition, state: dict[str, int]
) -> dict[CellRef, int | Decimal]:
    """Table 二 for one year; ``state`` carries counts over from the year before."""
    cells: dict[CellRef, int | Decimal] = {}
    if edition == "2019":
        for row in ("rules", "normative_documents"):
            made = rng.randint(0, 10)
            published = rng.randint(0, made)
            cells[CellRef("active", f"art20_1.{row}", "made")] = made
            cells[CellRef("active", f"art20_1.{row}", "published")] = published
            cells[CellRef("active", f"art20_1.{row}", "total_published")] = (
                published + rng.randint(0, 50)
            )
        for row in ("art20_5.licensing", "art20_5.other_services", "art20_6.penalties",
                    "art20_6.coercive_measures", "art20_8.fees"):
            key = f"2019:{row}"
            previous = rng.randint(0, 60) if key not in state else state[key]
            change = rng.randint(-previous, 15)
            state[key] = previous + change
            cells[CellRef("active", row, "previous_items")] = previous
            cells[CellRef("active", row, "change")] = change
            if not row.startswith("art20_8"):
                cells[CellRef("active", row, "decisions")] = rng.randint(0, 300)
        cells[CellRef("active", "art20_9.procurement", "projects")] = rng.randint(0, 20)
        cells[CellRef("active", "art20_9.procurement", "amount")] = Decimal(
            rng.randint(0, 10**7)
        ).scaleb(-2)
        return cells
    for row in ("rules", "normative_documents"):
        key = f"2021:{row}"
        before = state[key] if key in state else rng.randint(0, 80)
        issued = rng.randint(0, 12)
        repealed = rng.randint(0, before)
        room = before + issued - repealed
        expired = rng.randint(0, min(math.ceil(before * 0.25), room))
        in_force = room - expired
        state[key] = in_force
        cells[CellRef("active", f"art20_1.{row}", "issued")] = issued
        cells[CellRef("active", f"art20_1.{row}", "repealed")] = repealed
        cells[CellRef("active", f"art20_1.{row}", "in_force")] = in_force
    for row in ("art20_5.licensing", "art20_6.penalties", "art20_6.coercive_measures"):
        cells[CellRef("active", row, "decisions")] = rng.randint(0, 500)
    cells[CellRef("active", "art20_8.fees", "amount")] = Decimal(rng.randint(0, 10**6)).scaleb(-1)
    return cells


def _number(report: Report, table: str, prefix: str) -> int:
    """The sum of the 总计 cells of the rows of ``table`` whose key starts with ``prefix``."""
    total = 0
    for ref, value in iter_cells(report):
        if ref.table == table and ref.row.startswith(prefix) and ref.column == "total":
            assert isinstance(value, int)  # counted from registers: never blank
            total += value
    return total


def overview_text(rng: random.Random, report: Report) -> str:
    """An overview stating the report's counts (as T1 reads them) amid varied filler."""
    apps, appeals = report.applications, report.appeals
    withheld = _number(report, "applications", "withheld.")
    litigation = _number(report, "appeals", "litigation_")
    stated = (
        f"本年度共收到政府信息公开申请{apps.received.total}件，"
        f"办结{apps.total_handled.total}件，{apps.carried_forward.total}件结转下年度继续办理。"
        f"其中予以公开{apps.granted.total}件，不予公开{withheld}件。"
        f"因政府信息公开工作被申请行政复议{appeals.review.total}件，"
        f"被提起行政诉讼{litigation}件。"
    )
    filler = "；".join(rng.sample(_FILLER, 10))
    return f"{report.year}年，我办{filler}。\n{stated}"


@st.composite
def series(
    draw: st.DrawFn, *, min_size: int = 2, max_size: int = 5,
    first_years: tuple[int, int] = (2017, 2024),
) -> list[Report]:
    """Consistent reports of one body over consecutive years, oldest first."""
    size = draw(st.integers(min_size, max_size))
    start = draw(st.integers(*first_years))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    carried: list[ApplicantType] = [
        rng.choice(list(ApplicantType)) for _ in range(rng.choice((0, 1, 3)))
    ]
    state: dict[str, int] = {}
    out: list[Report] = []
    for year in range(start, start + size):
        edition = edition_of(year)
        cases, carried = _applications(rng, year, carried)
        cells = _active(rng, edition, state)
        base = build_report(edition, cells, year=year, agency=AGENCY)
        report = with_registers(base, applications=cases, appeals=_appeals(rng, year))
        report = attrs.evolve(
            report,
            overview=Section(heading="一、总体情况", body=overview_text(rng, report)),
        )
        out.append(report)
    return out
