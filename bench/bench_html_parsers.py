"""Compare HTML parsers for the ``html`` reader: speed and robustness.

Each parser is asked the one thing the reader needs: every ``<table>`` as rows
of cell texts with their ``rowspan``/``colspan``, nested tables kept apart.
Speed is measured on the corpus page (``tests/corpus/pingtan-2021.html``) and
on a 20 MB page; robustness on broken variants of the report's table, where a
parser passes when it finds the same rows and cells as in the clean table.

Run from the repository root; parsers that are not installed are skipped::

    python bench/bench_html_parsers.py
    pip install lxml selectolax   # to measure them too

The figures are recorded in ``docs/html.md``.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from govdisclosure.formats import _htmlgrid  # noqa: E402

Rows = list[list[tuple[str, int, int]]]
Extract = Callable[[str], list[Rows]]


def _clean(text: str) -> str:
    return _htmlgrid.clean(text)


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1


def stdlib(html: str) -> list[Rows]:
    """html.parser through the reader's own tree builder."""
    root = _htmlgrid.parse(html)
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
    "html.parser (stdlib)": stdlib,
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


def main() -> None:
    page = (ROOT / "tests" / "corpus" / "pingtan-2021.html").read_text(encoding="utf-8")
    big = page * (20_000_000 // len(page) + 1)
    print(f"Python {platform.python_version()} on {platform.machine()}; "
          f"corpus page {len(page):,} chars, big page {len(big):,} chars")
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


if __name__ == "__main__":
    main()
