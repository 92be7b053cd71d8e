"""One validation entry point: ``check``, ``review`` and ``validate`` agree.

For every report of the test corpus, the findings ``govdisclosure check --json``
prints, the findings the review page lists, and ``validate(load(file))`` are
the same, in rule and message (T1 included when the report has an overview).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import attrs
import pytest

from govdisclosure import Section, load, validate
from govdisclosure.cli import main
from govdisclosure.review import review_page

CORPUS = Path(__file__).parent / "corpus"


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file()
                  and p.suffix in (".txt", ".md", ".html") and p.name != "SOURCES.md")


def _run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    main(list(argv), out, err)
    assert err.getvalue() == ""
    return out.getvalue()


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_check_review_and_validate_agree(path: Path, tmp_path: Path) -> None:
    result = validate(load(path))
    expected = [(f.rule, f.status.value, f.message) for f in result.findings]

    (document,) = json.loads(_run("check", "--json", "--jobs", "1", str(path)))
    assert [(f["rule"], f["status"], f["message"]) for f in document["findings"]] == expected
    assert document["ok"] == result.ok

    page = tmp_path / "review.html"
    _run("review", str(path), "-o", str(page))
    listed = re.findall(r'<li id="gd-f\d+"[^>]* data-rule="([^"]+)"', page.read_text("utf-8"))
    assert sorted(listed) == sorted(rule for rule, _, _ in expected)
    assert review_page(load(path)) == page.read_text("utf-8")


def test_t1_is_part_of_validate() -> None:
    # ulanqab-2020 quotes its counts in the overview: T1 runs, and holds.
    report = load(CORPUS / "ulanqab-2020.txt")
    assert report.overview is not None
    body = report.overview.body.replace("收到依申请公开政府信息6件", "收到依申请公开政府信息9件")
    assert body != report.overview.body
    changed = attrs.evolve(report, overview=Section(heading=report.overview.heading, body=body))
    (t1,) = validate(changed).by_rule("T1")
    assert (t1.expected, t1.actual) == (6, 9)
    assert validate(report).by_rule("T1") == ()
