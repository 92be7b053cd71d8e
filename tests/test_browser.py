"""The review page in a real browser: headless Chromium renders what we mean.

Chromium is driven over its DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages ending in NUL on fds 3 and 4), so
no Python package is needed. One browser serves every test of the module.
Without Chromium the tests are skipped, except when the environment variable
``CI`` is set: there a missing browser is a failure. Screenshots are saved in
the directory named by ``GOVDISCLOSURE_SCREENSHOTS`` (default: pytest's tmp
directory for this module) as ``review-<case>.png``.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govdisclosure import (
    CellRef,
    Report,
    form,
    load,
    replace_cells,
    validate,
)
from govdisclosure.review import review_page
from govdisclosure.testing.samples import sample_report

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parent / "corpus"
# A generous bound on waiting for one protocol reply, only so that a wedged
# browser ends the test instead of hanging CI; nothing asserts on time.
_WAIT = 60.0


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A headless Chromium and one page, driven over the DevTools pipe."""

    def __init__(self, executable: str, profile: str) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # runs in the child: the protocol wants fds 3 and 4
            # Copy both ends above 4 first, so neither is overwritten by the other.
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [
                executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--hide-scrollbars", "--remote-debugging-pipe",
                f"--user-data-dir={profile}", "about:blank",
            ],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # fds 3 and 4 are kept open in the child once ``fds`` has set them.
            preexec_fn=fds, pass_fds=(3, 4),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call(
            "Target.attachToTarget", targetId=page["targetId"], flatten=True
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_child], [], [], _WAIT)
            if not ready:
                raise RuntimeError("Chromium stopped answering on the DevTools pipe")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[i]
                return event
        while True:
            event = self._read_message()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        errors = []
        for event in self.events:
            method = event.get("method")
            params = event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error", "assert"
            ):
                errors.append(json.dumps(params.get("args"), ensure_ascii=False))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(str(params["entry"].get("text")))
        return errors

    def screenshot(self, path: Path) -> None:
        size = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        self.call(
            "Emulation.setDeviceMetricsOverride", session=True,
            width=max(int(size[0]), 800), height=min(int(size[1]), 6000),
            deviceScaleFactor=1, mobile=False,
        )
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        self.call("Emulation.clearDeviceMetricsOverride", session=True)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=_WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no chromium is installed (apt-get install chromium)")
        pytest.skip("no chromium installed")
    with tempfile.TemporaryDirectory(prefix="gd-chromium-") as profile:
        b = Browser(executable, profile)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    named = os.environ.get("GOVDISCLOSURE_SCREENSHOTS")
    path = Path(named) if named else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


# What the page looks like once rendered: grid sizes of the three tables (rows
# and the widest row, counting colspans), marked cells and listed findings.
_PROBE = """
(() => {
  const grid = (t) => {
    const rows = Array.from(t.rows);
    const widths = rows.map(r => Array.from(r.cells).reduce((n, c) => n + c.colSpan, 0));
    // Cells covered by a rowspan from above add to a row's width.
    const cover = new Array(rows.length).fill(0);
    rows.forEach((r, i) => Array.from(r.cells).forEach(c => {
      for (let k = 1; k < c.rowSpan && i + k < rows.length; k++) cover[i + k] += c.colSpan;
    }));
    const full = widths.map((w, i) => w + cover[i]);
    return {rows: rows.length, width: Math.max(...full), narrow: Math.min(...full),
            dataRows: rows.filter(r => r.querySelector('td[data-cell]')).length};
  };
  const tables = {};
  document.querySelectorAll('table.gd-table').forEach(t => tables[t.dataset.table] = grid(t));
  const marked = (cls) => Array.from(document.querySelectorAll('td.' + cls)).map(td => {
    const s = getComputedStyle(td); const r = td.getBoundingClientRect();
    return {cell: td.dataset.cell, background: s.backgroundColor, title: td.title,
            visible: r.width > 0 && r.height > 0};
  });
  return {
    tables,
    failed: marked('gd-fail'), notAssessable: marked('gd-na'), inferred: marked('gd-inferred'),
    likely: marked('gd-likely'), notes: marked('gd-note'),
    findings: Array.from(document.querySelectorAll('ol.gd-findings li')).map(li => ({
      rule: li.dataset.rule, status: li.dataset.status, text: li.textContent, number: li.value,
      visible: li.getBoundingClientRect().height > 0})),
    scripts: document.scripts.length,
    external: Array.from(document.querySelectorAll('link[href],img[src],script[src]')).length,
    overflowsA4: document.documentElement.scrollWidth,
  };
})()
"""

_SHAPES = {  # rows (header included), widest grid row, data rows
    "2019": {"active": (18, 4, 8), "applications": (26, 10, 23), "appeals": (4, 15, 1)},
    "2021": {"active": (14, 4, 6), "applications": (28, 10, 25), "appeals": (4, 15, 1)},
}


def _render(browser: Browser, shots: Path, name: str, report: Report) -> dict[str, Any]:
    page = shots / f"review-{name}.html"
    page.write_text(review_page(report), encoding="utf-8")
    browser.open(page.as_uri())
    probe: dict[str, Any] = browser.evaluate(_PROBE)
    browser.screenshot(shots / f"review-{name}.png")
    probe["console"] = browser.console_errors()
    return probe


def _check_layout(probe: dict[str, Any], report: Report) -> None:
    assert probe["console"] == []
    assert probe["scripts"] == 0
    assert probe["external"] == 0
    for table, (rows, width, data_rows) in _SHAPES[report.edition].items():
        extras = getattr(report, table).extra_rows
        extra = len(extras)
        got = probe["tables"][table]
        # An extra row prints its cells as text (data-extra, no data-cell), after
        # its label (which spans the form's label columns): a garbled reading's
        # extra row may be wider than the form.
        label_span = 3 if table == "applications" else 1
        widest = max([width, *(label_span + len(e.cells) for e in extras)])
        assert (got["rows"], got["width"], got["dataRows"]) == (
            rows + extra, widest, data_rows
        ), table
        assert got["narrow"] == width or extra, table  # every row fills the grid


def test_shapes_match_the_form() -> None:
    # The expected shapes above are the form's: data rows per table and edition.
    for edition, tables in _SHAPES.items():
        spec = form(edition)
        assert tables["applications"][2] == len(spec.table("applications").rows)
        assert tables["active"][2] == len(spec.table("active").rows)


def test_broken_identity_is_marked(browser: Browser, shots: Path) -> None:
    report = sample_report(7, "2021")
    ref = CellRef("applications", "not_processed.duplicate", "total")
    value = report.applications.not_processed.duplicate.total
    assert isinstance(value, int)
    broken = replace_cells(report, {ref: value + 3})
    probe = _render(browser, shots, "broken-identity", broken)
    _check_layout(probe, broken)
    failed = {c["cell"]: c for c in probe["failed"] + probe["likely"]}
    assert str(ref) in failed
    assert failed[str(ref)]["visible"]
    assert failed[str(ref)]["background"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert "I3" in failed[str(ref)]["title"]
    rules = {f["rule"] for f in probe["findings"] if f["visible"]}
    assert {"I2", "I3"} <= rules
    assert any("2.重复申请" in f["text"] for f in probe["findings"])
    assert len(probe["findings"]) == len(validate(broken).findings)


def test_one_wrong_cell_is_marked_as_the_likely_culprit(browser: Browser, shots: Path) -> None:
    # The Pingtan 2020-style break: 总计 of 自然人 printed 20 where its outcomes add to 26.
    report = sample_report(7, "2021")
    ref = CellRef("applications", "total_handled", "natural_person")
    value = report.applications.total_handled.natural_person
    assert isinstance(value, int)
    broken = replace_cells(report, {ref: value + 6})
    probe = _render(browser, shots, "likely-cell", broken)
    _check_layout(probe, broken)
    (likely,) = probe["likely"]
    assert likely["cell"] == str(ref) and likely["visible"]
    assert "likely-cell" in likely["title"]
    # The other cells of the failed identities are marked too, but lightly.
    others = {c["background"] for c in probe["failed"]}
    assert len(probe["failed"]) > 10 and likely["background"] not in others
    assert others and all(b not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") for b in others)
    # Numbered as shown, the diagnosis first under table 三.
    assert [f["number"] for f in probe["findings"]] == list(
        range(1, len(probe["findings"]) + 1))
    first_in_table = next(f for f in probe["findings"] if f["rule"] != "T1")
    assert first_in_table["rule"] == "likely-cell"
    assert "错误" in "".join(f["text"] for f in probe["findings"])


def test_ulanqab_review_page(browser: Browser, shots: Path) -> None:
    report = load(CORPUS / "ulanqab-2020.txt")
    probe = _render(browser, shots, "ulanqab-2020", report)
    _check_layout(probe, report)
    duplicate = [f for f in probe["findings"] if "2.重复申请" in f["text"]]
    assert duplicate and all(f["visible"] for f in duplicate)
    marked = {c["cell"] for c in probe["failed"] + probe["notAssessable"] + probe["likely"]}
    assert any(cell.startswith("applications/not_processed.duplicate/") for cell in marked)


def _corpus() -> list[Path]:
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html")
        and p.name != "SOURCES.md"
    )


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_review_page_renders(browser: Browser, shots: Path, path: Path) -> None:
    report = load(path)
    name = str(path.relative_to(CORPUS)).replace("/", "-").rsplit(".", 1)[0]
    probe = _render(browser, shots, name, report)
    _check_layout(probe, report)
    result = validate(report)
    assert len(probe["findings"]) == len(result.findings)
    shown = {c["cell"] for kind in ("failed", "notAssessable", "likely", "notes", "inferred")
             for c in probe[kind]}
    for finding in result.findings:
        for ref in finding.blanks or finding.cells:
            assert str(ref) in shown
