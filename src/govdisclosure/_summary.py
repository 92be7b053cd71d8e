"""What ``check`` prints at the end of a run: totals, weak reads, series, rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs

from . import _files
from ._cli_words import word
from ._corpus import FileResult, SeriesResult
from ._methods import fields_repr
from .model.coverage import ReadCoverage

__all__ = ["MAX_WEAK_SHOWN", "WEAK_READ", "Summary", "coverage_text", "result_key"]

#: A report whose reading found fewer of the form's cells than this share is a
#: weak read, named in the summary of ``check``.
WEAK_READ = 0.9
#: How many of the weakest reads the summary names.
MAX_WEAK_SHOWN = 10
_TABLE_ZH = {"active": "二", "applications": "三", "appeals": "四"}


def result_key(finding: dict[str, Any]) -> str:
    """The key of the one word said of a finding (JSON form): ``res_na`` for a rule
    that could not be checked, else by severity (``res_error``, ``res_warning``,
    ``res_info``: a note, never a failure)."""
    if finding["status"] == "not_assessable":
        return "res_na"
    return f"res_{finding['severity']}"


def coverage_text(coverage: ReadCoverage, lang: str = "zh") -> str:
    """A coverage in words: ``读到 322/322 格（100%）`` or ``read 322 of 322 cells (100%)``,
    with the tables not found."""
    share = f"{coverage.ratio:.0%}"
    missing = coverage.tables_missing
    if lang == "en":
        text = f"read {coverage.cells_read} of {coverage.cells_total} cells ({share})"
        if missing:
            text += ", tables not found: " + ", ".join(missing)
        return text
    text = f"读到 {coverage.cells_read}/{coverage.cells_total} 格（{share}）"
    if missing:
        text += "，未找到表" + "、".join(_TABLE_ZH[t] for t in missing)
    return text


@attrs.define
class Summary:
    """Running totals over checked files, printed at the end of ``check``."""

    __repr__ = fields_repr

    files: int = 0
    unreadable: int = 0
    with_errors: int = 0
    hidden: int = 0
    series: int = 0
    by_edition_year: Counter[tuple[str, int | None]] = attrs.field(factory=Counter)
    by_rule: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    #: Findings by rule and the one word said of each (``res_error``, ``res_warning``,
    #: ``res_info``, ``res_na``: as in the findings table).
    by_result: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    #: Files that are not reports, with the reason.
    not_reports: list[tuple[str, str]] = attrs.field(factory=list)
    #: Files holding a report an earlier file held: (file, earlier file).
    duplicates: list[tuple[str, str]] = attrs.field(factory=list)
    #: Each series: body, years and files.
    series_list: list[tuple[str, tuple[int | None, ...], tuple[str, ...]]] = attrs.field(
        factory=list)
    cells_read: int = 0
    cells_total: int = 0
    #: Files whose reading missed a table or read under WEAK_READ of the form's
    #: cells, with their coverage (the weakest few are named in the summary).
    weak: list[tuple[float, str, ReadCoverage]] = attrs.field(factory=list)

    def add_series(self, result: SeriesResult, shown: Sequence[dict[str, Any]]) -> None:
        self.series += 1
        self.series_list.append((result.body, result.years, result.files))
        self.hidden += len(result.findings) - len(shown)
        for finding in shown:
            self.by_rule[(finding["rule"], finding["status"])] += 1
            self.by_result[(finding["rule"], result_key(finding))] += 1

    def add(self, result: FileResult, shown: Sequence[dict[str, Any]]) -> None:
        self.files += 1
        if result.not_report is not None:
            self.not_reports.append((result.shown, result.not_report))
            return
        if not result.readable:
            self.unreadable += 1
            return
        if result.duplicate_of is not None:
            # One report seen twice counts once; its findings are the first file's.
            self.duplicates.append((result.shown, _files.display_path(result.duplicate_of)))
            return
        if not result.ok:
            self.with_errors += 1
        self.by_edition_year[(result.edition or "?", result.year)] += 1
        coverage = result.coverage
        if coverage is not None:
            self.cells_read += coverage.cells_read
            self.cells_total += coverage.cells_total
            if coverage.tables_missing or coverage.ratio < WEAK_READ:
                self.weak.append((coverage.ratio, result.shown, coverage))
        self.hidden += len(result.findings) - len(shown)
        for finding in shown:
            self.by_rule[(finding["rule"], finding["status"])] += 1
            self.by_result[(finding["rule"], result_key(finding))] += 1

    def lines(self, lang: str = "zh") -> list[str]:
        en = lang == "en"
        others = len(self.not_reports)
        read = self.files - self.unreadable - others
        out = [
            (f"files read: {read}, unreadable: {self.unreadable}, "
             f"with errors: {self.with_errors}, not reports: {others}") if en else
            (f"读取文件 {read} 个，无法读取 {self.unreadable} 个，"
             f"有错误 {self.with_errors} 个，不是报告 {others} 个"),
        ]
        for path, why in self.not_reports:
            out.append(f"  not a report: {path}: {why}" if en else f"  不是报告：{path}：{why}")
        if self.duplicates:
            out.append(f"  reports: {read - len(self.duplicates)} (the same report in two files "
                       f"counts once)" if en else
                       f"  报告 {read - len(self.duplicates)} 份（同一报告存为多个文件的只计一次）")
        for path, earlier in self.duplicates:
            out.append(f"  the same report seen twice: {path} = {earlier}" if en
                       else f"  同一报告出现两次：{path} = {earlier}")
        if self.cells_total:
            share = f"{self.cells_read / self.cells_total:.1%}"
            out.append(
                f"  cells read: {self.cells_read} of {self.cells_total} in the forms ({share})"
                if en else
                f"  读到的单元格：共 {self.cells_total} 格，读到 {self.cells_read} 格（{share}）")
        if self.weak:
            out.append(
                f"  weak reads (a table missing or under {WEAK_READ:.0%} of the cells read): "
                f"{len(self.weak)}" if en else
                f"  读取不全（缺表格或读到不足 {WEAK_READ:.0%} 的格）：{len(self.weak)} 份")
            for _, file, coverage in sorted(self.weak)[:MAX_WEAK_SHOWN]:
                out.append(f"    {file}{': ' if en else '：'}{coverage_text(coverage, lang)}")
        if self.series:
            out.append(f"  bodies with several years checked as series: {self.series}" if en
                       else f"  按系列检查的多年度机关：{self.series} 个")
        for body, years, files in self.series_list:
            shown = ", ".join("?" if y is None else str(y) for y in years)
            out.append(f"  series {body}: {shown} ({', '.join(files)})" if en
                       else f"  系列 {body}：{shown.replace(', ', '、')} 年（{'、'.join(files)}）")
        for (edition, year), n in sorted(self.by_edition_year.items(),
                                         key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            y = "?" if year is None else str(year)
            out.append(f"  edition {edition}, year {y}: {n}" if en
                       else f"  {edition} 版 {y} 年度：{n} 份")
        for (rule, result), n in sorted(self.by_result.items()):
            out.append(f"  {rule} {word(result, lang)}: {n}" if en
                       else f"  {rule} {word(result, lang)}：{n} 条")
        if self.hidden:
            out.append(f"  hidden by the baseline: {self.hidden}" if en
                       else f"  基线中已审阅而隐藏：{self.hidden} 条")
        return out
