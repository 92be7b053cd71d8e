"""Valid sample reports from a seed, without hypothesis.

For benchmarks, demos and generated corpora: ``sample_report(seed)`` always
gives the same valid report for the same seed (every identity holds, zeros
dominate, a few bodies receive thousands of applications). Property tests use
:mod:`govdisclosure.testing.strategies` instead, which shrinks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal

from ..model.cells import CellRef, Value
from ..model.report import EDITIONS, Edition, Report, Section
from ..model.schema import build_report, form

__all__ = ["sample_report", "sample_reports"]

_APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
               "legal_services", "other")
_AGENCIES = ("某市人民政府办公室", "某县自然资源局", "某区市场监督管理局", "某镇人民政府",
             "某市生态环境局", "某县教育局", "某市公安局", "某区住房和城乡建设局")


def _count(rng: random.Random, scale: int) -> int:
    # Mostly zero; otherwise a small count, now and then a large one.
    roll = rng.random()
    if roll < 0.6:
        return 0
    if roll < 0.97:
        return rng.randint(1, 9 * scale)
    return rng.randint(10 * scale, 300 * scale)


def _applications(rng: random.Random, edition: Edition, scale: int) -> dict[CellRef, Value]:
    # Outcomes per column first; then totals and the two sides of I1 follow.
    spec = form(edition).table("applications")
    outcome_rows = [r.key for r in spec.rows
                    if r.key not in ("received", "carried_over", "total_handled",
                                     "carried_forward")]
    values: dict[CellRef, int] = {}
    for col in _APPLICANTS:
        outcomes = {row: _count(rng, scale) for row in outcome_rows}
        handled = sum(outcomes.values())
        forward = _count(rng, 1)
        incoming = handled + forward
        carried_over = rng.randint(0, min(incoming, 5))
        for row, value in outcomes.items():
            values[CellRef("applications", row, col)] = value
        values[CellRef("applications", "total_handled", col)] = handled
        values[CellRef("applications", "carried_forward", col)] = forward
        values[CellRef("applications", "carried_over", col)] = carried_over
        values[CellRef("applications", "received", col)] = incoming - carried_over
    for row_spec in spec.rows:
        values[CellRef("applications", row_spec.key, "total")] = sum(
            values[CellRef("applications", row_spec.key, c)] for c in _APPLICANTS
        )
    return dict(values)


def _appeals(rng: random.Random) -> dict[CellRef, Value]:
    values: dict[CellRef, Value] = {}
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = {c: _count(rng, 1) for c in ("upheld", "corrected", "other", "pending")}
        for col, value in parts.items():
            values[CellRef("appeals", group, col)] = value
        values[CellRef("appeals", group, "total")] = sum(parts.values())
    return values


def _active(rng: random.Random, edition: Edition) -> dict[CellRef, Value]:
    values: dict[CellRef, Value] = {}
    for row in form(edition).table("active").rows:
        for col in row.columns:
            ref = CellRef("active", row.key, col.key)
            if col.kind == "amount":
                values[ref] = Decimal(rng.randint(0, 10**7)).scaleb(-2)
            elif col.kind == "signed":
                values[ref] = rng.randint(-20, 20)
            else:
                values[ref] = _count(rng, 3)
        if edition == "2019" and row.group == "art20_1":
            total = CellRef("active", row.key, "total_published")
            published = values[CellRef("active", row.key, "published")]
            values[total] = published + rng.randint(0, 50)  # type: ignore[operator]  # an int here
    return values


def sample_report(seed: int, edition: Edition | None = None) -> Report:
    """A valid report, the same for the same ``seed`` (and ``edition``)."""
    rng = random.Random(seed)
    chosen: Edition = rng.choice(EDITIONS) if edition is None else edition
    scale = 100 if rng.random() < 0.05 else 1
    values = {**_active(rng, chosen), **_applications(rng, chosen, scale), **_appeals(rng)}
    year = rng.randint(2019, 2020) if chosen == "2019" else rng.randint(2021, 2025)
    agency = rng.choice(_AGENCIES)
    received = values[CellRef("applications", "received", "total")]
    return build_report(
        chosen,
        values,
        year=year,
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        introduction=f"本报告所列数据的统计期限自{year}年1月1日至{year}年12月31日。",
        overview=Section(heading="一、总体情况",
                         body=f"{year}年，本机关收到政府信息公开申请{received}件。"),
        problems=Section(heading="五、存在的主要问题及改进情况", body="无。"),
        other_matters=Section(heading="六、其他需要报告的事项", body="无。"),
    )


def sample_reports(count: int, seed: int = 0, edition: Edition | None = None) -> Iterator[Report]:
    """``count`` valid reports from consecutive seeds starting at ``seed``."""
    for i in range(count):
        yield sample_report(seed + i, edition)
