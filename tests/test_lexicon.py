"""The form lexicon: one key, one home for the form's printed words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from govdisclosure.model import form
from govdisclosure.model import labels as _lexicon
from govdisclosure.model.labels import key, lexicon, section_of

SRC = Path(__file__).resolve().parent.parent / "src" / "govdisclosure"

# Modules that read or write the form's labels and must take them from the
# lexicon (the model describes the form; the run splitter switches to the
# lexicon in its own work; prose rules hold a sentence grammar, not labels).
USERS = [
    "formats/_textread/__init__.py", "formats/_textread/_layout.py",
    "formats/_textread/_cells.py", "formats/_textread/_tables.py",
    "formats/_textread/_source.py", "formats/html.py", "formats/text.py",
    "formats/markdown.py", "registers.py",
]


def _labels() -> set[str]:
    """Printed words of the form: header cells, row, group and column labels."""
    words = {_lexicon.NOTE, _lexicon.RESULTS, _lexicon.INFORMATION, _lexicon.APPLICANTS,
             _lexicon.LEGAL_PERSONS, *(w for w in _lexicon.APPLICANT_HEADERS if len(w) > 2),
             *_lexicon.EDITION_2019_WORDS, *_lexicon.EDITION_2021_WORDS}
    for edition in ("2019", "2021"):
        for table in form(edition).tables:
            for row in table.rows:
                if table.key != "appeals":
                    words.add(row.label)
                words.update(c.label for c in row.columns if len(c.label) > 2)
    return {w for w in words if len(w) >= 4}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


@pytest.mark.parametrize("module", USERS)
def test_no_module_but_the_lexicon_holds_label_text(module: str) -> None:
    tree = ast.parse((SRC / module).read_text("utf-8"))
    labels = _labels()
    found = [(line, text) for line, text in _strings(tree)
             for label in labels if key(label) in key(text) and len(text) < 200]
    assert not found, found


def test_the_check_would_catch_a_copied_label() -> None:
    tree = ast.parse('x = "（一）予以公开"\ny = "2.其他法律行政法规禁止公开 |"\n')
    labels = _labels()
    assert [t for _, t in _strings(tree) if any(key(lb) in key(t) for lb in labels)] == [
        "（一）予以公开", "2.其他法律行政法规禁止公开 |"]


@pytest.mark.parametrize(("printed", "folded"), [
    ("（一）予以公开", "(一)予以公开"),
    ("自 然 人", "自然人"),
    ("處理決定數量", "处理决定数量"),
    ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),
    ("1、属于国家秘密", "1,属于国家秘密"),
    ("商业\n企业", "商业企业"),
])
def test_one_key_folds_what_pages_print(printed: str, folded: str) -> None:
    assert key(printed) == folded


@pytest.mark.parametrize(("title", "section"), [
    ("总体情况", 1), ("基本情况", 1), ("主动公开政府信息情况", 2),
    ("收到和处理政府信息公开申请情况", 3), ("政府信息公开行政复议、行政诉讼情况", 4),
    ("政府信息公开行政法复议、行政诉讼情况", 4), ("存在的主要问题及改进情况", 5),
    ("存在的主要问题及明年工作计划", 5), ("其他需要报告的事项", 6),
    ("工作机制保障", None), ("存在的主要问题", None),
])
def test_section_titles_and_their_variants(title: str, section: int | None) -> None:
    assert section_of(key(title)) == section


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_every_row_label_of_both_editions_is_found_in_every_printed_form(edition: str) -> None:
    lex = lexicon(edition, "applications")
    for index, row in enumerate(lex.rows):
        for printed in (row.label, row.label.replace("（", "(").replace("）", ")"),
                        " ".join(row.label)):
            match = lex.lookup(key(printed))
            assert match is not None and match.kind == "row", printed
            assert index in [e.index for e in match.entries], printed
