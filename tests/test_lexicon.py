"""The form lexicon: one key, one home for the form's printed words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.model import form
from govdisclosure.model import labels as _lexicon
from govdisclosure.model._normalise import (
    FOLD_TABLE,
    WHITESPACE,
    fold,
    parse_number,
    sentence_key,
    sentence_keys,
    strip_enumerator,
)
from govdisclosure.model.labels import key, lexicon, section_of

SRC = Path(__file__).resolve().parent.parent / "src" / "govdisclosure"

# Modules that read or write the form's labels and must take them from the
# lexicon (the model describes the form; the run splitter switches to the
# lexicon in its own work). Under validation/ only the rule catalogue is left
# out: its descriptions are the rules' documentation (docs/rules.md is made
# from them), written for people.
USERS = [
    "formats/_textread/__init__.py", "formats/_textread/_layout.py",
    "formats/_textread/_cells.py", "formats/_textread/_tables.py",
    "formats/_textread/_source.py", "formats/html.py", "formats/text.py",
    "formats/markdown.py", "bodies.py",
    "formats/_writing.py", "formats/_htmlwrite.py", "formats/_htmlgenerated.py",
    "formats/docx.py", "formats/pdf.py", "formats/csv.py",
    "review.py", "templates.py", "dataset/_site.py",
    *sorted(str(p.relative_to(SRC)) for p in (SRC / "formats" / "_runsplit").glob("*.py")),
    *sorted(str(p.relative_to(SRC)) for p in (SRC / "formats" / "_pdflayout").glob("*.py")),
    *sorted(str(p.relative_to(SRC)) for p in (SRC / "registers").glob("*.py")),
    *sorted(str(p.relative_to(SRC)) for p in (SRC / "validation").glob("*.py")
            if p.name != "catalogue.py"),
]
# The rules on the narrative and the body keys: the words they match in
# sentences and names are the lexicon's too.
PROSE_USERS = [
    "bodies.py",
    *sorted(str(p.relative_to(SRC)) for p in (SRC / "validation").glob("*.py")
            if p.name != "catalogue.py"),
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
                    words.add(row.group_label or "")
                words.update(c.label for c in row.columns if len(c.label) > 2)
    # and each label without its enumerator (予以公开 for （一）予以公开)
    words.update(strip_enumerator(key(w)) for w in list(words))
    return {w for w in words if len(w) >= 4}


def _overview_words() -> set[str]:
    """The words the overview states counts with, and their names in messages."""
    words = {w for ws in _lexicon.OVERVIEW_WORDS.values() for w in ws}
    words.update(_lexicon.OVERVIEW_NAMES.values())
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


@pytest.mark.parametrize("module", PROSE_USERS)
def test_no_rule_holds_the_words_of_the_overview(module: str) -> None:
    tree = ast.parse((SRC / module).read_text("utf-8"))
    words = _overview_words()
    found = [(line, text) for line, text in _strings(tree)
             for word in words if word in key(text) and len(text) < 200]
    assert not found, found


def test_the_check_would_catch_a_copied_label() -> None:
    tree = ast.parse('x = "（一）予以公开"\ny = "2.其他法律行政法规禁止公开 |"\n'
                     'z = "不予公开(?:的)?"\n')
    labels = _labels()
    assert [t for _, t in _strings(tree) if any(key(lb) in key(t) for lb in labels)] == [
        "（一）予以公开", "2.其他法律行政法规禁止公开 |", "不予公开(?:的)?"]
    tree = ast.parse('x = f"(?:收到|受理){gap}申请"\ny = "行政复议(?:案件)?"\n')
    words = _overview_words()
    assert [t for _, t in _strings(tree) if any(w in key(t) for w in words)] == [
        "行政复议(?:案件)?"]


def test_whitespace_is_what_str_split_takes_for_it() -> None:
    assert "".join(c for c in map(chr, range(0x110000)) if c.isspace()) == WHITESPACE


def test_a_long_text_folds_character_by_character_as_a_short_one() -> None:
    # fold replaces the distinct characters a text holds that change, each in
    # one pass; key memoises short texts only.
    text = "".join(map(chr, FOLD_TABLE)) + "予以公开 \U0001f600\U00020000\uffff" * 20
    assert len(text) > 200
    assert fold(text) == "".join(fold(c) for c in text) == text.translate(FOLD_TABLE)
    assert key(text) == "".join(text.translate(FOLD_TABLE).split()).casefold()


@given(st.text(alphabet=st.sampled_from(
    sorted({*map(chr, FOLD_TABLE), *"予以公开处理两 \n1a,-\"\U0001f600"})), max_size=300))
def test_folding_applies_the_table_to_each_character(text: str) -> None:
    assert fold(text) == text.translate(FOLD_TABLE)
    assert key(text) == "".join(text.translate(FOLD_TABLE).split()).casefold()


@pytest.mark.parametrize("edition", ["2019", "2021"])
@pytest.mark.parametrize("table", ["active", "applications", "appeals"])
@given(data=st.data())
def test_a_loose_lookup_finds_every_label_holding_a_piece(edition: str, table: str,
                                                          data: st.DataObject) -> None:
    # One search of the joined keys finds what a scan of every label finds.
    lex = lexicon(edition, table)
    text = lex.form_text
    start = data.draw(st.integers(0, len(text) - 1))
    pieces = [text[start:start + data.draw(st.integers(1, 12))],
              data.draw(st.text(alphabet=sorted(set(text)), min_size=1, max_size=4))]
    assert lex._holding(pieces) == [e for k, e in lex.labels if any(p in k for p in pieces)]


def test_folding_makes_no_digit_of_a_character_that_is_not_one() -> None:
    # parse_number turns a text away at once when it holds no decimal digit.
    made = [chr(c) for c, v in FOLD_TABLE.items() if v.isdecimal() and not chr(c).isdecimal()]
    assert made == []
    assert parse_number("１２件") is not None and parse_number("十二件") is None


@given(st.text(alphabet=st.sampled_from("、，, 　\n予以公开處理Ａa⾏兩“”1１\u3000\xa0"),
               max_size=30))
def test_a_sentence_key_is_the_key_with_its_enumeration_commas_kept(text: str) -> None:
    assert sentence_key(text).replace("、", ",") == key(text)
    assert "、" not in text or "、" in sentence_key(text)
    assert sentence_keys([text, "收到 申请", text]) == [
        sentence_key(text), "收到申请", sentence_key(text)]


@pytest.mark.parametrize(("printed", "folded"), [
    ("（一）予以公开", "(一)予以公开"),
    ("自 然 人", "自然人"),
    ("處理決定數量", "处理决定数量"),
    ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),
    ("1、属于国家秘密", "1,属于国家秘密"),
    ("商业\n企业", "商业企业"),
    ("⾏政復議", "行政复议"),  # a Kangxi radical, as PDF text layers print it
    ("Ａ局 B", "a局b"),
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
