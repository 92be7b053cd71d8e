"""The corpus review site: an index of every report, each report's review page,
and an overview with charts.

``write_site(paths, site)`` checks the files as ``check DIR`` does (same
workers, order, series and duplicates), then writes, in a second pass over the
same workers, each report's review page (:func:`govdisclosure.review.review_page`).
Charts are drawn with matplotlib (extra ``charts``) into inline SVG; the site
is static files with inline CSS, no script and nothing fetched from a network.
"""

from __future__ import annotations

import html
import importlib
import io
import logging
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs

from .. import _files
from .._corpus import (
    CheckOptions,
    FileResult,
    SeriesResult,
    _load,
    _ordered,
    check_paths,
    is_error,
)
from .._methods import fields_eq, fields_hash, fields_repr
from .._summary import Summary, coverage_text
from ..bodies import Aliases
from ..errors import GovDisclosureError, MissingExtra
from ..model._normalise import key, strip_enumerator
from ..model.cells import Blank, CellRef
from ..model.report import Edition
from ..model.schema import form, get_cell
from ..validation import validate
from ._export import file_status
from ._rows import path_list

__all__ = ["SiteResult", "write_site"]

#: The rows of table 三 whose 总计 each series' chart follows over the years.
SERIES_ROWS = ("received", "granted", "carried_over")
#: Each row's name in the charts' legend (the form's label without its
#: numbering, and its English name).
SERIES_COUNTS = tuple(
    (row.key, strip_enumerator(key(row.label)), row.en)
    for row in (form("2021").table("applications").row(r) for r in SERIES_ROWS)
)
#: Series drawn on the overview, those with the most years first.
MAX_SERIES_CHARTS = 40
# Fonts with Chinese glyphs, asked of the browser (the SVG keeps text as text).
_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
          "PingFang SC", "SimHei", "DejaVu Sans", "sans-serif"]

_WORDS = {
    "zh": {
        "index": "报告一览", "overview": "概览", "body": "机关", "year": "年度",
        "edition": "版本", "coverage": "读取", "errors": "错误", "warnings": "警告",
        "na": "无法判断", "file": "文件", "status": "状态", "report": "报告",
        "duplicate": "同一报告（另见 {}）", "unreadable": "无法读取", "not-report": "不是报告",
        "by_year": "各年度报告数（按版本）", "by_rule": "各规则的发现（不成立与无法判断）",
        "series": "各系列的主要数字（表三 总计）", "no_charts": "没有可画的数据。",
        "more_series": "另有 {} 个系列未画出。", "files": "文件 {} 个，报告 {} 份",
        "failed": "不成立", "not_assessable": "无法判断", "reports": "份",
    },
    "en": {
        "index": "Reports", "overview": "Overview", "body": "Body", "year": "Year",
        "edition": "Edition", "coverage": "Read", "errors": "errors", "warnings": "warnings",
        "na": "not assessable", "file": "File", "status": "Status", "report": "report",
        "duplicate": "the same report (see {})", "unreadable": "unreadable",
        "not-report": "not a report",
        "by_year": "Reports by year and edition", "by_rule": "Findings by rule",
        "series": "Main counts of each series (table 三, totals)", "no_charts": "Nothing to draw.",
        "more_series": "{} more series not drawn.", "files": "{} files, {} reports",
        "failed": "failed", "not_assessable": "not assessable", "reports": "reports",
    },
}

_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
  "Microsoft YaHei", "PingFang SC", sans-serif; margin: 1.5em; color: #222; }
nav a { margin-right: 1em; }
table.gd-index { border-collapse: collapse; font-size: 14px; }
table.gd-index th, table.gd-index td { border: 1px solid #bbb; padding: 3px 8px; }
table.gd-index th { background: #eee; }
td.gd-num { text-align: right; font-variant-numeric: tabular-nums; }
tr.gd-errors td.gd-errors-count { background: #fbd5d5; }
tr.gd-off td { color: #777; }
figure { margin: 1em 0 2em; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; margin-bottom: .4em; }
.gd-series { display: flex; flex-wrap: wrap; gap: 1em; }
.gd-series figure { width: 380px; margin: 0; }
"""


@attrs.define(kw_only=True)
class SiteResult:
    """What :func:`write_site` wrote: the index, and how many pages and charts."""

    __repr__ = fields_repr

    index: str
    pages: int = 0
    charts: int = 0
    summary: Summary = attrs.field(factory=Summary)


@attrs.frozen(slots=True)
class _PageOptions:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    site: str
    options: CheckOptions


@attrs.frozen(slots=True)
class _Page:
    """What the page pass sends back: the page's name and the series' counts."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    file: str
    page: str | None
    counts: tuple[int | None, ...] = ()


def _page_name(number: int, path: str) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(path).stem)[:60] or "report"
    return f"reports/{number:05d}-{stem}.html"


def _write_page(number: int, path: str, options: _PageOptions) -> _Page:
    from ..review import review_page

    try:
        report, _ = _load(path, options.options)
    except GovDisclosureError:
        return _Page(path, None)
    result = validate(report)
    name = _page_name(number, path)
    _files.write_text(os.path.join(options.site, name),
                      review_page(report, result, lang=options.options.lang))
    counts = []
    for row, _, _ in SERIES_COUNTS:
        value = get_cell(report, CellRef("applications", row, "total"))
        counts.append(None if isinstance(value, Blank) else int(value))
    return _Page(path, name, tuple(counts))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _document(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{_e(title)}</title>\n<style>{_CSS}</style>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _matplotlib() -> Any:
    try:
        return importlib.import_module("matplotlib")
    except ImportError:
        raise MissingExtra("the overview's charts", "matplotlib", "charts",
                           what_zh="概览的图表") from None


def _svg(draw: Callable[[Any], None], size: tuple[float, float]) -> str:
    """A chart as inline SVG: ``draw`` fills the axes of a new figure."""
    matplotlib = _matplotlib()
    figure_module = importlib.import_module("matplotlib.figure")
    rc = {"svg.fonttype": "none", "svg.hashsalt": "govdisclosure",
          "font.family": "sans-serif", "font.sans-serif": _FONTS, "font.size": 9}
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # Glyphs or weights the layout font lacks: the SVG keeps text as text, and
        # the browser draws it in a font it has.
        warnings.filterwarnings("ignore", message=".*[Gg]lyph.*missing.*")
        fonts.setLevel(logging.ERROR)
        try:
            figure = figure_module.Figure(figsize=size, layout="constrained")
            draw(figure.subplots())
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            fonts.setLevel(level)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _by_year_chart(counts: Counter[tuple[str, int | None]], lang: str) -> str:
    years = sorted({y for _, y in counts if y is not None})
    editions = sorted({e for e, _ in counts})

    def draw(ax: Any) -> None:
        bottom = [0] * len(years)
        for edition in editions:
            heights = [counts.get((edition, y), 0) for y in years]
            ax.bar([str(y) for y in years], heights, bottom=bottom, label=f"{edition}")
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_ylabel(_WORDS[lang]["reports"])
        ax.legend(title=_WORDS[lang]["edition"])

    return _svg(draw, (6, 3))


def _by_rule_chart(counts: Counter[tuple[str, str]], lang: str) -> str:
    rules = sorted({r for r, _ in counts})

    def draw(ax: Any) -> None:
        failed = [counts.get((r, "failed"), 0) for r in rules]
        na = [counts.get((r, "not_assessable"), 0) for r in rules]
        ax.barh(rules, failed, label=_WORDS[lang]["failed"], color="#c0392b")
        ax.barh(rules, na, left=failed, label=_WORDS[lang]["not_assessable"], color="#e0a800")
        ax.invert_yaxis()
        ax.legend()

    return _svg(draw, (6, max(2.0, 0.28 * len(rules) + 1)))


def _series_chart(points: Sequence[tuple[int, tuple[int | None, ...]]], lang: str) -> str:
    years = [y for y, _ in points]

    def draw(ax: Any) -> None:
        for i, (_, zh, en) in enumerate(SERIES_COUNTS):
            # A blank count is a gap in the line, never a 0.
            values = [c[i] if c[i] is not None else float("nan") for _, c in points]
            ax.plot(years, values, marker="o", label=zh if lang == "zh" else en)
        ax.set_xticks(range(min(years), max(years) + 1))
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)

    return _svg(draw, (4, 2.4))


def _shown(path: str, folders: Sequence[str]) -> str:
    """``path`` inside the folder it was found in, else as given."""
    for folder in folders:
        inside = os.path.relpath(path, folder)
        if not inside.startswith(os.pardir):
            return inside
    return path


def write_site(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    site: str | os.PathLike[str],
    *,
    jobs: int = 1,
    format: str | None = None,
    edition: Edition | None = None,
    infer: bool = False,
    aliases: Aliases | None = None,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> SiteResult:
    """Write the review site of every file under ``paths`` into the folder ``site``:
    ``index.html`` (every file: body, year, edition, coverage, findings by
    severity, a link to its review page), ``reports/*.html`` (the review pages)
    and ``overview.html`` (charts: reports by year and edition, findings by rule,
    each series' main counts over the years; extra ``charts``).
    """
    _matplotlib()  # before any work: say which extra is missing first
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}: expected 'zh' or 'en'")
    words = _WORDS[lang]
    root = Path(site)
    _files.make_folder(root / "reports")
    options = CheckOptions(format=format, edition=edition, infer=infer, lang=lang,
                           aliases=aliases)
    files = path_list(paths)
    checked: list[FileResult] = []
    series: list[SeriesResult] = []
    summary = Summary()
    for result in check_paths(files, options, jobs, series=True):
        if isinstance(result, SeriesResult):
            series.append(result)
            summary.add_series(result, result.findings)
        else:
            summary.add(result, result.findings)
            # Only what the index counts is kept: the review page holds the findings.
            slim = tuple({"severity": f["severity"], "status": f["status"]}
                         for f in result.findings)
            checked.append(attrs.evolve(result, findings=slim, numbers=None))
            if progress is not None:
                progress(result.file)
    readable = [(n, r.file) for n, r in enumerate(checked, 1) if r.readable]
    pages: dict[str, _Page] = {}
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        page_options = _PageOptions(os.fspath(root), options)
        for page in _ordered(pool, _write_page,
                             ((n, path, page_options) for n, path in readable), jobs):
            pages[page.file] = page
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    # The index: files named by their path inside the folder given.
    folders = [f for f in files if os.path.isdir(f)]
    rows = []
    for result in checked:
        written = pages.get(result.file)
        status = file_status(result)
        errors = sum(1 for f in result.findings if is_error(f))
        warned = sum(1 for f in result.findings
                     if f["severity"] == "warning" and f["status"] == "failed")
        na = sum(1 for f in result.findings if f["status"] == "not_assessable")
        shown = _shown(result.file, folders)
        link = (f'<a href="{_e(written.page)}" title="{_e(result.file)}">{_e(shown)}</a>'
                if written is not None and written.page else _e(shown))
        if status == "duplicate":
            said = words["duplicate"].format(result.duplicate_of)
        else:
            said = words[status] if status != "report" else ""
        problem = result.not_report or result.error or ""
        cls = "gd-errors" if errors else ("gd-off" if status != "report" else "")
        coverage = coverage_text(result.coverage, lang) if result.coverage else ""
        rows.append(
            f'<tr class="{cls}" data-status="{status}">'
            f"<td>{link}</td><td>{_e(result.agency or '')}</td>"
            f'<td class="gd-num">{_e(result.year if result.year is not None else "")}</td>'
            f"<td>{_e(result.edition or '')}</td><td>{_e(coverage)}</td>"
            f'<td class="gd-num gd-errors-count">{errors if result.readable else ""}</td>'
            f'<td class="gd-num">{warned if result.readable else ""}</td>'
            f'<td class="gd-num">{na if result.readable else ""}</td>'
            f'<td title="{_e(problem)}">{_e(said)}</td></tr>'
        )
    head = "".join(f"<th>{_e(words[k])}</th>" for k in (
        "file", "body", "year", "edition", "coverage", "errors", "warnings", "na", "status"))
    nav = (f'<nav><a href="index.html">{_e(words["index"])}</a>'
           f'<a href="overview.html">{_e(words["overview"])}</a></nav>')
    counted = sum(1 for r in checked if file_status(r) == "report")
    index = (
        f"{nav}<h1>{_e(words['index'])}</h1>"
        f"<p>{_e(words['files'].format(len(checked), counted))}</p>"
        f'<table class="gd-index"><thead><tr>{head}</tr></thead><tbody>'
        + "\n".join(rows) + "</tbody></table>"
        + "<pre class=\"gd-summary\">" + _e("\n".join(summary.lines(lang))) + "</pre>"
    )
    _files.write_text(root / "index.html", _document(words["index"], index, lang))

    # The overview.
    charts: list[str] = []
    if summary.by_edition_year:
        charts.append(f"<figure><figcaption>{_e(words['by_year'])}</figcaption>"
                      f"{_by_year_chart(summary.by_edition_year, lang)}</figure>")
    if summary.by_rule:
        charts.append(f"<figure><figcaption>{_e(words['by_rule'])}</figcaption>"
                      f"{_by_rule_chart(summary.by_rule, lang)}</figure>")
    drawn = sorted(series, key=lambda s: (-len(s.files), s.body))[:MAX_SERIES_CHARTS]
    small = []
    for one in drawn:
        points = [(y, pages[f].counts) for f, y in zip(one.files, one.years, strict=True)
                  if y is not None and f in pages and pages[f].page]
        if len(points) >= 2:
            small.append(f'<figure data-series="{_e(one.body)}"><figcaption>{_e(one.body)}'
                         f"</figcaption>{_series_chart(points, lang)}</figure>")
    if small:
        charts.append(f"<h2>{_e(words['series'])}</h2><div class=\"gd-series\">"
                      + "".join(small) + "</div>")
        if len(series) > len(drawn):
            charts.append(f"<p>{_e(words['more_series'].format(len(series) - len(drawn)))}</p>")
    overview = f"{nav}<h1>{_e(words['overview'])}</h1>" + (
        "".join(charts) or f"<p>{_e(words['no_charts'])}</p>")
    _files.write_text(root / "overview.html", _document(words["overview"], overview, lang))
    return SiteResult(index=os.fspath(root / "index.html"),
                      pages=sum(1 for p in pages.values() if p.page),
                      charts=overview.count("<svg"), summary=summary)
