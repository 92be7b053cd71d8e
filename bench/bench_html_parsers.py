"""Compare HTML parsers for the ``html`` reader: speed and robustness.

Two parts. **Speed on the same pages** (``tests/corpus/pingtan-2021.html`` and
the 2 MB page of ``bench_targets.py``): govdisclosure's whole read (a cold first
read: the report with a source line for every cell) beside what a data person
would try first (``pandas.read_html``, BeautifulSoup with lxml and with
``html.parser``) and the bare parsers (lxml, selectolax's lexbor, the standard
library's tokeniser), which give no report at all. **Robustness**: each parser
is asked the one thing the reader needs — every ``<table>`` as rows of cell
texts with their ``rowspan``/``colspan``, nested tables kept apart — on broken
variants of the report's table and on hostile input.

Run from the repository root; what is not installed is skipped::

    pip install -e '.[bench]'      # BeautifulSoup, selectolax, pandas
    python bench/bench_html_parsers.py
    python bench/bench_html_parsers.py --floor   # the selectolax floor only

The figures are recorded in ``docs/html.md`` and ``docs/performance.md``.
"""

from __future__ import annotations

import io
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from _measure import cold, warm  # noqa: E402
from _measure import lxml_floor as _lxml_floor  # noqa: E402
from bench_targets import large_page  # noqa: E402

import govdisclosure as gd  # noqa: E402
from govdisclosure.formats import _htmlgrid, _htmltext, _htmltree  # noqa: E402

Rows = list[list[tuple[str, int, int]]]
Extract = Callable[[str], list[Rows]]


def _clean(text: str) -> str:
    return _htmltext.clean(text)


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1


def ours(html: str) -> list[Rows]:
    """govdisclosure's tree (lxml, copied with source lines)."""
    root = _htmltree.parse(html)
    out = []
    for element in _htmlgrid.tables(root):
        table = _htmlgrid.table_of(element)
        out.append([[(c.text, c.rowspan, c.colspan) for c in row] for row in table.rows])
    return out


def lxml_parser(html: str) -> list[Rows]:
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    out = []
    for table in doc.iter("table"):
        rows = []
        for tr in table.iter("tr"):
            if next(tr.iterancestors("table")) is not table:
                continue
            cells = []
            for td in tr:
                if td.tag in ("td", "th"):
                    cells.append((_clean(td.text_content()), _span(td.get("rowspan")),
                                  _span(td.get("colspan"))))
            rows.append(cells)
        out.append(rows)
    return out


def selectolax_parser(html: str) -> list[Rows]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    out = []
    for table in tree.css("table"):
        rows = []
        for tr in table.css("tr"):
            node = tr.parent
            while node is not None and node.tag != "table":
                node = node.parent
            if node is None or node.mem_id != table.mem_id:
                continue
            cells = []
            for td in tr.iter():
                if td.tag in ("td", "th"):
                    cells.append((_clean(td.text(separator=" ")), _span(td.attributes.get(
                        "rowspan")), _span(td.attributes.get("colspan"))))
            rows.append(cells)
        out.append(rows)
    return out


PARSERS: dict[str, Extract] = {
    "govdisclosure tree (lxml)": ours,
    "lxml": lxml_parser,
    "selectolax (lexbor)": selectolax_parser,
}

_TABLE = (
    '<table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>'
    "<td>27</td><td>0</td></tr><tr><td>（二）部分公开</td><td>&nbsp;5</td><td>0</td></tr>"
    "</table>"
)
_EXPECTED: Rows = [
    [("三、本年度办理结果", 2, 1), ("（一）予以公开", 1, 2), ("27", 1, 1), ("0", 1, 1)],
    [("（二）部分公开", 1, 1), ("5", 1, 1), ("0", 1, 1)],
]
BROKEN: dict[str, str] = {
    "clean": _TABLE,
    "no </td> or </tr>": _TABLE.replace("</td>", "").replace("</tr>", ""),
    "no </table>": _TABLE.replace("</table>", "") + "<p>五、存在的主要问题</p>",
    "stray </div></p>": _TABLE.replace("<td>27</td>", "<td>27</div></p></td>"),
    "<p> left open in cells": _TABLE.replace("<td>27</td>", "<td><p>27</td>"),
    "unquoted, upper-case": _TABLE.upper().replace('"', "").replace("&NBSP;", "&nbsp;"),
    "table in a layout table": f"<table><tr><td>{_TABLE}</td></tr></table>",
}


def _innermost(found: list[Rows]) -> Rows | None:
    # The last match in document order is the innermost table.
    match = None
    for rows in found:
        if rows and rows[0] and rows[0][0][0].startswith("三"):
            match = rows
    return match


def robustness(extract: Extract) -> dict[str, str]:
    results = {}
    for name, html in BROKEN.items():
        try:
            got = _innermost(extract(html))
        except Exception as error:  # a bench reports every failure, of any kind
            results[name] = f"error: {type(error).__name__}"
            continue
        if got is None:
            results[name] = "table lost"
        else:
            got = [[(t.upper(), r, c) for t, r, c in row] for row in got]
            want = [[(t.upper(), r, c) for t, r, c in row] for row in _EXPECTED]
            results[name] = "ok" if got == want else "wrong cells"
    return results


def hostile(extract: Extract) -> dict[str, str]:
    cases = {
        "10,000 nested tables": "<table><tr><td>" * 10_000 + "x" + "</td></tr></table>" * 10_000,
        "1,000,000 entities": "<p>" + "&amp;&nbsp;&#20013;" * 1_000_000 + "</p>",
    }
    out = {}
    for name, html in cases.items():
        start = time.perf_counter()
        try:
            extract(html)
            out[name] = f"{time.perf_counter() - start:.2f} s"
        except Exception as error:  # a bench reports every failure, of any kind
            out[name] = f"error: {type(error).__name__}"
    return out


def timing(extract: Extract, html: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        extract(html)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- The floor: the least a reader on selectolax would cost -----------------------
#
# What govdisclosure's reader does after parsing, done on lexbor's tree with no
# source lines at all: find the report tables by their labels, one pipe line per
# row (merged cells once, in their first row), the rest of the report as lines
# broken at block elements, then the text reader. No reader built on lexbor can
# be faster than parse + this walk + the text reader, so the ratio of that sum
# to the parse alone says whether "2 x the parse" is reachable at all.


def _children(node: Any) -> list[Any]:
    out = []
    child = node.first_child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def _lexbor_lines(node: Any, replaced: dict[int, list[str]], skip_tables: bool) -> list[str]:
    """Text lines below ``node``, as html.py's ``_walk`` and ``text_lines`` make them.

    Blocks break lines; a table in ``replaced`` (by ``mem_id``) gives its own
    lines; tables are left out with ``skip_tables``; comments and SKIP elements
    are left out.
    """
    lines: list[str] = []
    parts: list[str] = []
    # A marker None after a block's children ends its line.
    stack: list[Any] = _children(node)[::-1]
    while stack:
        node = stack.pop()
        if node is not None:
            tag = node.tag
            if tag == "-text":
                parts.append(node.text_content or "")
                continue
            if tag[0] == "-" or tag in _htmltree.SKIP or (skip_tables and tag == "table"):
                continue
            if tag not in _htmltree.BLOCK:
                stack.extend(_children(node)[::-1])
                continue
        text = _htmltext.clean("".join(parts))  # a block starts or ends
        if text:
            lines.append(text)
        parts = []
        if node is None:
            continue
        if node.mem_id in replaced:
            lines.extend(replaced[node.mem_id])
        else:
            stack.append(None)
            stack.extend(_children(node)[::-1])
    text = _htmltext.clean("".join(parts))
    if text:
        lines.append(text)
    return lines


def _lexbor_rows(table: Any) -> list[list[str]]:
    """The cell texts of the table's own rows (not those of nested tables)."""
    rows = []
    stack = list(table.iter())[::-1]
    while stack:
        node = stack.pop()
        if node.tag == "tr":
            rows.append([
                " ".join(_lexbor_lines(cell, {}, True)).replace("|", "｜")
                for cell in node.iter() if cell.tag in ("td", "th")
            ])
        elif node.tag in ("tbody", "thead", "tfoot", "form", "div", "span", "font"):
            stack.extend(list(node.iter())[::-1])
    return rows


def floor_flatten(tree: Any) -> list[str]:
    """The report's pipe-flattened lines from a lexbor tree, as html.flatten finds them."""
    from govdisclosure.formats import html

    found: list[tuple[Any, list[list[str]]]] = []
    for table in tree.css("table"):
        if not html._kinds(html._norm(table.text())):
            continue  # quick: not even the whole table, nested ones included, has labels
        rows = _lexbor_rows(table)
        label_text = "\n".join(
            html._norm(c) for row in rows for c in row if len(c) <= html._LABEL_CELL
        )
        if html._kinds(label_text):
            found.append((table, rows))
    holds: set[int] = set()  # keep the innermost, as find_report_tables does
    for table, _ in found:
        node = table.parent
        while node is not None and node.mem_id not in holds:
            holds.add(node.mem_id)
            node = node.parent
    found = [(t, rows) for t, rows in found if t.mem_id not in holds]
    replaced = {
        t.mem_id: [" ".join(f"{c} |" if c else "|" for c in row) for row in rows if row]
        for t, rows in found
    }
    # The container: the lowest element holding the tables and section 一's heading.
    body = tree.body
    anchors = [t for t, _ in found]
    for node in body.traverse(include_text=True):
        if node.tag == "-text" and "总体情况" in html._norm(node.text_content or ""):
            parent = node.parent
            if not any(a.tag in _htmltree.SKIP for a in _ancestors(parent)):
                anchors.append(parent)
                break
    container = body
    if found:
        paths = [[a, *_ancestors(a)][::-1] for a in anchors]
        common = [n.mem_id for n in paths[0]]
        for path in paths[1:]:
            n = 0
            while n < min(len(common), len(path)) and common[n] == path[n].mem_id:
                n += 1
            common = common[:n]
        container = paths[0][len(common) - 1]
    lines = _lexbor_lines(container, replaced, False)
    if not lines or "报告" not in lines[0] or len(lines[0]) > 100:
        title = _lexbor_title(tree, container)
        if title is not None:
            lines.insert(0, title)
    return lines


def _ancestors(node: Any) -> list[Any]:
    out = []
    node = node.parent
    while node is not None:
        out.append(node)
        node = node.parent
    return out


def _lexbor_title(tree: Any, container: Any) -> str | None:
    """The report's title above the container (as html._title_line finds it)."""
    for node in tree.css("h1, h2, h3, [class*=title]"):
        if any(a.mem_id == container.mem_id for a in _ancestors(node)):
            continue
        text = _htmltext.clean(node.text(separator=" "))
        if "报告" in text and len(text) <= 100:
            return text
    for node in tree.css("meta"):
        if (node.attributes.get("name") or "").lower() == "articletitle":
            text = _htmltext.clean(node.attributes.get("content") or "")
            if "报告" in text:
                return text
    title = tree.css_first("title")
    if title is not None:
        head = re.split(r"\s*[_|]\s*|\s+-\s+", _htmltext.clean(title.text()))[0]
        if "报告" in head:
            return head
    return None


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(page: str, runs: int = 30) -> None:
    """Print the floor: lexbor parse, the walk, the text reader, and their sum."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        print("\nfloor: selectolax is not installed, skipped")
        return
    from govdisclosure.formats import ReadOptions, html
    from govdisclosure.formats._textread import read_text

    tree = LexborHTMLParser(page)
    lines = floor_flatten(tree)
    text = "\n".join(lines) + "\n"
    options = ReadOptions()
    t_parse = _median(lambda: LexborHTMLParser(page), runs)
    t_walk = _median(lambda: floor_flatten(tree), runs)
    t_read = _median(lambda: read_text(text, options), runs)
    t_total = t_parse + t_walk + t_read
    ours = html.flatten(_htmltree.parse(page)).lines
    print(f"\nfloor: selectolax (lexbor) parse + walk + text reader, no source lines "
          f"(medians of {runs})")
    print(f"  lexbor parse:      {t_parse * 1000:.2f} ms")
    print(f"  floor walk:        {t_walk * 1000:.2f} ms")
    print(f"  text reader:       {t_read * 1000:.2f} ms")
    print(f"  floor total:       {t_total * 1000:.2f} ms = {t_total / t_parse:.1f} x the parse")
    same = tuple(lines) == ours
    print(f"  flattened text the same as html.flatten's: {'yes' if same else 'no'}")
    if not same:
        diff = next((i for i, (a, b) in enumerate(zip(lines, ours, strict=False)) if a != b),
                    min(len(lines), len(ours)))
        print(f"    {len(lines)} lines against {len(ours)}; first difference at line {diff + 1}")
    lxml_floor(page, t_parse, runs)


def lxml_floor(page: str, t_lexbor: float, runs: int) -> None:
    """lxml keeps source lines; the least a reader on it costs is its parse plus a
    look at every element (tag, text, tail, line), before any work is done."""
    try:
        import lxml.html
    except ImportError:
        print("  lxml is not installed: its floor is skipped")
        return

    def touch() -> int:
        count = 0
        for element in lxml.html.document_fromstring(page).iter():
            _ = (element.tag, element.text, element.tail, element.sourceline)
            count += 1
        return count

    t_touch = _median(touch, runs)
    print(f"  lxml parse + touching each of its {touch():,} elements: {t_touch * 1000:.2f} ms "
          f"= {t_touch / t_lexbor:.1f} x the lexbor parse, with no reading done yet")


def _contenders(page: str) -> dict[str, Callable[[], object] | None]:
    """Everything timed on a page; ``None`` where the library is not installed."""
    from html.parser import HTMLParser as Tokeniser

    def tokenise() -> None:
        tokeniser = Tokeniser()
        tokeniser.feed(page)
        tokeniser.close()

    out: dict[str, Callable[[], object] | None] = {
        "govdisclosure read (cold; report, source lines)": partial(gd.loads, page, "html"),
    }
    try:
        import pandas as pd

        out["pandas.read_html (lxml): raw tables only"] = lambda: pd.read_html(
            io.StringIO(page))
    except ImportError:
        out["pandas.read_html (lxml): raw tables only"] = None
    try:
        from bs4 import BeautifulSoup

        out["BeautifulSoup(page, 'lxml'): a tree"] = partial(BeautifulSoup, page, "lxml")
        out["BeautifulSoup(page, 'html.parser'): a tree"] = partial(
            BeautifulSoup, page, "html.parser")
    except ImportError:
        out["BeautifulSoup: a tree"] = None
    out["lxml parse + .sourceline walk (the target's floor)"] = _lxml_floor(page)
    import lxml.html

    out["lxml.html parse: a tree"] = partial(lxml.html.document_fromstring, page)
    try:
        from selectolax.lexbor import LexborHTMLParser

        out["selectolax (lexbor) parse: a tree, no lines"] = partial(LexborHTMLParser, page)
    except ImportError:
        out["selectolax (lexbor) parse: a tree, no lines"] = None
    out["html.parser: tokens only"] = tokenise
    return out


def speed(pages: dict[str, str], runs: int) -> None:
    """Each contender on each page, medians; govdisclosure's read cold."""
    print("\nspeed on the same pages (ms, medians; ratio to govdisclosure's read)")
    for name, page in pages.items():
        n = runs if len(page) < 1_000_000 else max(3, runs // 5)
        print(f"  {name}: {len(page):,} characters, medians of {n}")
        ours_time = None
        for label, fn in _contenders(page).items():
            if fn is None:
                print(f"    {label:<54} not installed")
                continue
            t = cold(fn, n) if label.startswith("govdisclosure") else warm(fn, n)
            ours_time = ours_time or t
            print(f"    {label:<54} {t * 1e3:8.2f}  {t / ours_time:5.2f}x")


def main() -> None:
    page = (ROOT / "tests" / "corpus" / "pingtan-2021.html").read_text(encoding="utf-8")
    if "--speed" in sys.argv[1:]:  # the speed comparison only
        speed({"pingtan-2021.html": page, "2 MB page": large_page()}, 21)
        return
    big = page * (20_000_000 // len(page) + 1)
    print(f"Python {platform.python_version()} on {platform.machine()}; "
          f"corpus page {len(page):,} chars, big page {len(big):,} chars")
    if "--floor" in sys.argv[1:]:  # the floor only
        floor(page)
        return
    speed({"pingtan-2021.html": page, "2 MB page": large_page()}, 21)
    for name, extract in PARSERS.items():
        try:
            extract("<table><tr><td>x</td></tr></table>")
        except ImportError:
            print(f"\n{name}: not installed, skipped")
            continue
        print(f"\n{name}")
        print(f"  corpus page: {timing(extract, page, 20) * 1000:.1f} ms (median of 20)")
        print(f"  20 MB page:  {timing(extract, big, 3):.2f} s (median of 3)")
        for case, result in robustness(extract).items():
            print(f"  broken markup, {case}: {result}")
        for case, result in hostile(extract).items():
            print(f"  hostile, {case}: {result}")
    floor(page)


if __name__ == "__main__":
    main()
