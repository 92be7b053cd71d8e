"""The corpus review site of tests/corpus, rendered in headless Chromium with its charts."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from govdisclosure.cli import main
from govdisclosure.dataset import write_site
from test_browser import Browser, browser, shots  # noqa: F401  (fixtures)

pytest.importorskip("matplotlib")
pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parent / "corpus"

_PROBE_INDEX = """
(() => ({
  rows: Array.from(document.querySelectorAll('table.gd-index tbody tr')).map(tr => ({
    status: tr.dataset.status, link: tr.querySelector('a') ? tr.querySelector('a').href : null,
    cells: Array.from(tr.cells).map(td => td.textContent)})),
  scripts: document.scripts.length,
  external: document.querySelectorAll('link[href],img[src],script[src],iframe').length,
}))()
"""

_PROBE_OVERVIEW = """
(() => ({
  charts: Array.from(document.querySelectorAll('figure')).map(f => {
    const svg = f.querySelector('svg'); const box = svg.getBoundingClientRect();
    const marks = Array.from(svg.querySelectorAll('path, rect, use')).filter(e => {
      const r = e.getBoundingClientRect(); return r.width > 0 || r.height > 0; });
    return {caption: f.querySelector('figcaption').textContent, series: f.dataset.series || null,
            width: box.width, height: box.height, marks: marks.length,
            text: Array.from(svg.querySelectorAll('text')).map(t => t.textContent).join(' ')};
  }),
  scripts: document.scripts.length,
  external: document.querySelectorAll('link[href],img[src],script[src],iframe').length,
}))()
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write_site([CORPUS], root, jobs=1)
    return root


def _corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(CORPUS).parts))


def test_index_lists_every_file_and_links_its_page(
    browser: Browser, shots: Path, site: Path  # noqa: F811
) -> None:
    browser.open((site / "index.html").as_uri())
    probe: dict[str, Any] = browser.evaluate(_PROBE_INDEX)
    browser.screenshot(shots / "site-index.png")
    assert browser.console_errors() == []
    assert probe["scripts"] == 0 and probe["external"] == 0
    rows = probe["rows"]
    assert len(rows) == len(_corpus_files())
    by_status = {r["status"] for r in rows}
    assert {"report", "duplicate", "not-report"} <= by_status
    linked = [r for r in rows if r["link"]]
    assert linked and all(r["status"] in ("report", "duplicate") for r in linked)
    pingtan = next(r for r in rows if r["cells"][0] == "pingtan-2019.txt")  # inside the folder
    assert any(r["cells"][0] == "partial/P01.txt" for r in rows)
    assert pingtan["cells"][1] == "平潭综合实验区" and pingtan["cells"][2] == "2019"
    assert "格" in pingtan["cells"][4]  # coverage
    # A link opens the report's review page, with its three tables.
    browser.open(pingtan["link"])
    tables = browser.evaluate("document.querySelectorAll('table.gd-table').length")
    assert tables == 3
    assert browser.console_errors() == []


def test_overview_draws_its_charts(
    browser: Browser, shots: Path, site: Path  # noqa: F811
) -> None:
    browser.open((site / "overview.html").as_uri())
    probe: dict[str, Any] = browser.evaluate(_PROBE_OVERVIEW)
    browser.screenshot(shots / "site-overview.png")
    assert browser.console_errors() == []
    assert probe["scripts"] == 0 and probe["external"] == 0
    charts = probe["charts"]
    captions = [c["caption"] for c in charts]
    assert captions[:2] == ["各年度报告数（按版本）", "各规则的发现（不成立与无法判断）"]
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 50, chart["caption"]
        assert chart["marks"] > 5, chart["caption"]
    by_year = charts[0]["text"]
    assert "2019" in by_year and "2025" in by_year
    assert "D1" in charts[1]["text"] and "read-missing-table" in charts[1]["text"]
    series = [c for c in charts if c["series"]]
    assert [c["series"] for c in series] == ["平潭综合实验区"]
    assert "本年新收政府信息公开申请数量" in series[0]["text"] and "2021" in series[0]["text"]


def test_review_command_writes_a_site(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--lang", "en", "review", "--jobs", "1", str(CORPUS), "-o",
                 str(tmp_path / "site")], out, err)
    assert code == 0, err.getvalue()
    assert out.getvalue().endswith(f"wrote {tmp_path / 'site' / 'index.html'}\n")
    assert (tmp_path / "site" / "overview.html").read_text("utf-8").count("<svg") >= 3
    pages = sorted(p.name for p in (tmp_path / "site" / "reports").iterdir())
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    linked = sorted(Path(href).name for href in re.findall(r'href="(reports/[^"]+)"', index))
    assert pages == linked
    read = len(re.findall(r'data-status="(?:report|duplicate)"', index))
    assert len(pages) == read and any(p.endswith("hongze-2024.html") for p in pages)
    code = main(["review", str(CORPUS)], io.StringIO(), err := io.StringIO())
    assert code == 2 and "-o SITE/" in err.getvalue()


def test_without_matplotlib_the_extra_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    err = io.StringIO()
    code = main(["review", str(CORPUS), "-o", str(tmp_path / "site")], io.StringIO(), err)
    assert code == 2
    assert "pip install 'govdisclosure[charts]'" in err.getvalue()
    assert "概览的图表需要 matplotlib" in err.getvalue()
    assert "unexpected" not in err.getvalue()
