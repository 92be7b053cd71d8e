"""A page cut off inside a table (saved at a fixed size, or cut in transfer).

The row the page ends in may end inside a number (``1`` of ``1139``): it is
not read, its text is kept as unplaced text with a finding, no cell is ever
read other than the whole page reads it, and a report that lost a cell so is
not ``ok``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import govdisclosure as gd
from cutting import read_cut
from govdisclosure import validate
from govdisclosure.model import Blank, CellRef, get_cell, iter_cells

CORPUS = Path(__file__).resolve().parent / "corpus"


def _written(name: str) -> str:
    return gd.dumps(gd.load(CORPUS / name), "html")


def _published(name: str) -> str:
    return (CORPUS / name).read_text("utf-8")


PAGES = {
    # The page this library writes (read back by its cell keys) and a real
    # published Word-export page (read through its labels).
    "written-shanghai": lambda: _written("shanghai-office-2025.md"),
    "written-pingtan": lambda: _written("pingtan-2021.txt"),
    "published-pingtan": lambda: _published("pingtan-2021.html"),
}


def _cuts(page: str) -> list[int]:
    """Places in table 三's last rows and table 四 to cut the page at: after
    every digit of a cell's number (inside it or at its end), and every 251st
    place (inside tags, labels, between rows)."""
    first = page.index("（七）总计")
    last = page.index("</table>", page.index("行政诉讼", first))
    numbers = [at for m in re.finditer(r">\s*(\d+)<", page[first:last])
               for at in range(first + m.start(1) + 1, first + m.end(1) + 1)]
    return sorted({*numbers, *range(first, last + 8, 251)})


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_cut_off_in_a_table_reads_no_wrong_number(name: str) -> None:
    page = PAGES[name]()
    whole = dict(iter_cells(gd.loads(page, "html")))
    cut_numbers = 0
    for at in _cuts(page):
        report = read_cut(page, "html", at, whole)
        number = re.search(r">\s*(\d+)$", page[:at])
        if number is not None:  # cut in a cell's number
            found = [f for f in report.read_findings if f.rule == "read-unplaced-values"]
            assert found, (at, page[at - 40:at])
            actual = found[-1].actual
            assert isinstance(actual, str) and actual in report.unplaced
            assert actual.endswith(number[1]), (at, actual)
            cut_numbers += 1
    assert cut_numbers > 10


def test_a_whole_page_and_a_page_cut_between_tables_have_no_cut_finding() -> None:
    page = _published("pingtan-2021.html")
    for text in (page, page[: page.index("</table>") + len("</table>")]):
        report = gd.loads(text, "html")
        assert not [f for f in report.read_findings
                    if f.rule == "read-unplaced-values" and "截断" in f.message]


def test_the_cut_row_is_named_with_its_line_and_text() -> None:
    page = _written("shanghai-office-2025.md")
    at = page.index(">1139<") + len(">11")
    report = gd.loads(page[:at], "html")
    [f] = [f for f in report.read_findings if f.rule == "read-unplaced-values"]
    row_start = page.rindex("<tr", 0, at)
    assert f.line == page.count("\n", 0, row_start) + 1
    assert isinstance(f.actual, str) and f.actual.endswith("11") and "总计" in f.actual
    assert "cut off" in f.message_en and "截断" in f.message


@pytest.mark.parametrize("case", [str.upper, str.title])
def test_table_tags_in_any_case_are_seen_cut(case: Callable[[str], str]) -> None:
    page = re.sub(r"</?table\b|<tr\b", lambda m: case(m[0]), _written("shanghai-office-2025.md"))
    at = page.index(">1139<") + len(">11")
    report = gd.loads(page[:at], "html")
    [f] = [f for f in report.read_findings if f.rule == "read-unplaced-values"]
    assert isinstance(f.actual, str) and f.actual.endswith("11")
    assert get_cell(report, CellRef("applications", "total_handled", "natural_person")) == Blank("")
    assert not validate(report).ok
    whole = gd.loads(page, "html")
    assert not [f for f in whole.read_findings if f.rule == "read-unplaced-values"]
