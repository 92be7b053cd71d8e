"""A new report to fill in: every section of the form, with placeholders.

:func:`new_report` is what ``govdisclosure new`` (and ``template``) writes: the
title and the introduction filled from the body and the year (a placeholder for
either not given); sections 一, 五 and 六 with
their official headings and a placeholder (``【请填写：…】``) saying what goes
there; tables 二, 三 and 四 with every cell blank (blank is never 0: a cell left
blank makes its rules *not assessable*). :func:`placeholders` finds the
placeholders left in a report.
"""

from __future__ import annotations

import re

import attrs

from .model.labels import PLACEHOLDER
from .model.report import SECTION_HEADINGS, Edition, Report, Section
from .model.schema import blank_report

__all__ = ["PLACEHOLDER", "new_report", "placeholders"]

_OVERVIEW = (
    "（一）主动公开\n【请填写：本年度主动公开政府信息的情况】\n"
    "（二）依申请公开\n【请填写：收到和处理政府信息公开申请的情况】\n"
    "（三）政府信息管理\n【请填写：政府信息管理的情况】\n"
    "（四）政府信息公开平台建设\n【请填写：政府信息公开平台建设的情况】\n"
    "（五）监督保障\n【请填写：监督保障的情况】"
)
_PROBLEMS = "【请填写：本年度政府信息公开工作存在的主要问题及改进情况】"
_OTHER = {
    "2019": "【请填写：其他需要报告的事项；没有的，写“无。”】",
    "2021": "【请填写：本年度收取信息处理费的情况（未收取的，写明“未收取信息处理费”），"
            "以及其他需要报告的事项】",
}
_AGENCY = "【请填写：机关名称】"
_YEAR = "【请填写：年度】"
_FOUND = re.compile(r"【请填写[^】]*】")


def new_report(edition: Edition, *, year: int | None = None,
               agency: str | None = None) -> Report:
    """A report of ``edition`` for ``agency``'s ``year``, ready to be filled in.

    Without ``agency`` or ``year`` (a form for any body, ``govdisclosure
    template``) the title and the introduction hold a placeholder in its place.
    """
    who = _AGENCY if agency is None else agency
    when = _YEAR if year is None else str(year)
    report = blank_report(edition, year=year, agency=agency,
                          title=f"{who}{when}年政府信息公开工作年度报告")
    return attrs.evolve(
        report,
        introduction=(f"本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自"
                      f"{when}年1月1日至{when}年12月31日。"),
        overview=Section(heading=SECTION_HEADINGS["overview"], body=_OVERVIEW),
        problems=Section(heading=SECTION_HEADINGS["problems"], body=_PROBLEMS),
        other_matters=Section(heading=SECTION_HEADINGS["other_matters"], body=_OTHER[edition]),
    )


def placeholders(report: Report) -> list[str]:
    """The placeholders still in ``report``'s text, in reading order."""
    texts = [report.title or "", report.introduction]
    texts += [s.body for s in (report.overview, report.problems, report.other_matters)
              if s is not None]
    return [m.group(0) for text in texts for m in _FOUND.finditer(text)]
