"""Prose rules: T1 (counts quoted in 一、总体情况) and S1 (a copy of last year's report)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from editions import body
from govdisclosure import (
    Blank,
    CellRef,
    Report,
    Section,
    Status,
    build_report,
    form,
    get_cell,
    load,
    replace_cells,
)
from govdisclosure.model import Edition
from govdisclosure.validation.prose import (
    S1_MIN_NONZERO,
    Quote,
    check_overview,
    check_similar,
    quotes,
    report_similarity,
    sentences,
    similarity,
    validate_prose,
)
from govdisclosure.validation.series import validate_series
from strategies_series import series

CORPUS = Path(__file__).parent / "corpus"

# Real reports whose overview states counts, with the edition of their tables.
REAL = {
    "ulanqab-2020.txt": ("2019", 2020, {"received", "no_appeals"}),
    "pingtan-2021.txt": ("2021", 2021, {"received", "total_handled", "carried_forward"}),
    "shuyang-2025.md": ("2021", 2025, {"received"}),
    "shanghai-office-2025.md": ("2021", 2025, {
        "received", "carried_over", "total_handled", "granted_or_partly", "withheld",
        "unavailable", "not_processed", "other_handling",
    }),
}


def _real_report(name: str) -> Report:
    """The report's tables from its hand-checked values, and its overview as printed."""
    edition, year, _ = REAL[name]
    values: dict[CellRef, int | Decimal | Blank] = {}
    with (CORPUS / "expected" / f"{Path(name).stem}.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ref = CellRef(row["table"], row["row"], row["column"])
            text = row["value"]
            if not text:
                values[ref] = Blank("")
            elif row["column"] == "amount":
                values[ref] = Decimal(text)
            else:
                values[ref] = int(text)
    text = (CORPUS / name).read_text(encoding="utf-8")
    start = text.index("总体情况")
    end = text.index("二、主动公开政府信息情况", start)
    overview = Section(heading="一、总体情况", body=text[start + len("总体情况"):end])
    edition_: Edition = "2019" if edition == "2019" else "2021"
    return build_report(edition_, values, year=year, agency=name, overview=overview)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_overviews_match_their_tables(name: str) -> None:
    report = _real_report(name)
    found = {q.quantity for q in quotes(body(report.overview))}
    assert found == REAL[name][2]
    assert [f for f in check_overview(report) if f.status is Status.FAILED] == []


def test_a_table_that_disagrees_with_the_overview_is_found_and_the_sentence_quoted() -> None:
    report = _real_report("ulanqab-2020.txt")
    changed = replace_cells(report, {CellRef("applications", "received", "total"): 7})
    (finding,) = [f for f in check_overview(changed) if f.status is Status.FAILED]
    assert (finding.rule, finding.expected, finding.actual) == ("T1", 7, 6)
    assert (finding.table, finding.row, finding.column) == ("applications", "received", "total")
    assert "收到依申请公开政府信息6件,已全部给予回复。" in finding.message


def test_receipts_may_include_the_carry_over() -> None:
    # 沭阳 says 受理 749: 713 new + 36 carried over. Saying 713 is also fine; 750 is not.
    report = _real_report("shuyang-2025.md")
    assert list(check_overview(report)) == []
    for stated, fires in ((713, False), (749, False), (750, True)):
        body = f"全县全年共受理政府信息公开申请 {stated} 件。"
        result = validate_prose(attrs.evolve(report, overview=Section(heading="一", body=body)))
        assert bool(result.findings) is fires
    # The failing count names the cell it is checked against as every rule does.
    (finding,) = result.findings
    assert finding.message.endswith("但表中 三 / 一 / 总计 = 713")
    assert finding.message_en.endswith("the table has applications / received this year / "
                                       "total = 713")


def test_a_blank_cell_makes_t1_not_assessable() -> None:
    report = _real_report("pingtan-2021.txt")
    blanked = replace_cells(report, {CellRef("applications", "total_handled", "total"): Blank()})
    (finding,) = check_overview(blanked)
    assert (finding.rule, finding.status, finding.actual) == ("T1", Status.NOT_ASSESSABLE, 69)
    assert finding.blanks == (CellRef("applications", "total_handled", "total"),)


@pytest.mark.parametrize("sentence", [
    "2020年,12345政府服务热线共收到群众有效来电53855件(以工单形式转办35560件)。",
    "2020年“市长信箱”办理群众求助和投诉323件,办结率100%。",
    "依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件。",
    "全年收到行政复议申请12件，均依法办理。",
    "全年主动公开政府信息2645条。",
    "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
    "办结群众诉求5000件。",
])
def test_sentences_that_state_no_table_count_are_left_alone(sentence: str) -> None:
    assert quotes(sentence) == []


@pytest.mark.parametrize(("sentence", "quantity", "value"), [
    ("本年度全区共收到70件申请。", "received", 70),
    ("本年新收政府信息公开申请1,295件。", "received_new", 1295),
    ("其中，予以公开及部分公开 208 件（17.46%）。", "granted_or_partly", 208),
    ("予以公开30件，部分公开5件。", "granted", 30),
    ("予以公开30件，部分公开5件。", "partially_granted", 5),
    ("因政府信息公开工作被申请行政复议2件。", "review", 2),
    ("因政府信息公开被提起行政诉讼3件。", "litigation", 3),
    ("全年制发行政规范性文件12件，废止规范性文件3件。", "issued", 12),
    ("全年制发行政规范性文件12件，废止规范性文件3件。", "repealed", 3),
])
def test_clear_statements_are_read(sentence: str, quantity: str, value: int) -> None:
    assert (quantity, value) in {(q.quantity, q.value) for q in quotes(sentence)}


def test_sentences_join_broken_lines_and_keep_headings_apart() -> None:
    text = ("（二）依申请公开方面\n市政府共受理政府信息公开申请 1295 件，办结 1191 件（含\n"
            "上年结转 189 件）。其他。\n\n三是加强")
    assert sentences(text) == [
        "（二）依申请公开方面",
        "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件）。",
        "其他。",
        "三是加强",
    ]


@given(series(min_size=1, max_size=1))
def test_generated_overviews_agree_with_their_tables(reports: list[Report]) -> None:
    assert list(validate_prose(reports[0])) == []


@given(series(min_size=1, max_size=1), st.integers(1, 500))
def test_a_wrong_count_in_the_overview_fires_exactly_t1(reports: list[Report], by: int) -> None:
    report = reports[0]
    assert report.overview is not None
    body = report.overview.body
    match = re.search(r"不予公开(\d+)件", body)
    assert match is not None
    right = int(match.group(1))
    wrong = body.replace(match.group(0), f"不予公开{right + by}件")
    changed = attrs.evolve(report, overview=Section(heading="一、总体情况", body=wrong))
    (finding,) = validate_prose(changed)
    assert (finding.rule, finding.status, finding.expected, finding.actual) == (
        "T1", Status.FAILED, right, right + by,
    )
    assert f"不予公开{right + by}件" in finding.message
    assert finding.cells[0] == CellRef("applications", "withheld.state_secret", "total")


# --- S1 -------------------------------------------------------------------------


@given(st.text(max_size=200), st.text(max_size=200))
def test_similarity_is_a_symmetric_figure_between_0_and_1(a: str, b: str) -> None:
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, b) == similarity(b, a)
    assert similarity(a, a) == 1.0


def test_similarity_ignores_the_figures() -> None:
    assert similarity("2020年收到申请6件，全部办结。", "2021年收到申请17件，全部办结。") == 1.0
    assert similarity("加强组织领导，健全工作机制。", "推进平台建设，做好政策解读。") < 0.2


@given(series(min_size=2, max_size=2))
def test_a_report_copied_from_last_year_fires_s1_with_its_figure(reports: list[Report]) -> None:
    earlier, later = reports
    # Two generated years can print the same numbers; that is S1's other case.
    assume(not report_similarity(later, earlier).tables_identical)
    copied = attrs.evolve(later, overview=earlier.overview)
    findings = list(check_similar(copied, earlier, labels=("2023.txt", "2024.txt")))
    assert [(f.rule, f.actual, f.reports) for f in findings] == [
        ("S1", Decimal("1.00"), ("2023.txt", "2024.txt"))
    ]
    assert "1.00" in findings[0].message
    # validate_series runs S1 between consecutive years too
    series_findings = validate_series([earlier, copied]).by_rule("S1")
    assert len(series_findings) == 1
    # and the original, rewritten each year, is not a copy
    assert list(check_similar(later, earlier)) == []


def _tables(values: dict[tuple[str, str, str], int], year: int) -> Report:
    return build_report("2021", {CellRef(*k): v for k, v in values.items()}, year=year,
                        agency="某局")


def test_identical_tables_fire_s1_unless_they_are_all_zeros() -> None:
    zeros = {(ref.table, ref.row, ref.column): 0 for ref in _all_refs()}
    busy = dict(zeros)
    for row in ("received", "granted", "total_handled"):
        busy[("applications", row, "natural_person")] = 4
        busy[("applications", row, "total")] = 4
    assert report_similarity(_tables(busy, 2024), _tables(busy, 2023)).tables_identical
    (finding,) = check_similar(_tables(busy, 2024), _tables(busy, 2023))
    assert finding.actual == "identical numbers"
    assert not report_similarity(_tables(zeros, 2024), _tables(zeros, 2023)).tables_identical
    nearly = dict(busy)
    nearly[("applications", "granted", "total")] = 5
    assert list(check_similar(_tables(nearly, 2024), _tables(busy, 2023))) == []
    assert S1_MIN_NONZERO == 3


def _all_refs() -> list[CellRef]:
    return list(form("2021").refs())


def test_short_identical_sections_are_not_a_copy() -> None:
    a = build_report("2021", year=2023, agency="某局",
                     other_matters=Section(heading="六、其他需要报告的事项", body="无。"))
    b = attrs.evolve(a, year=2024)
    assert list(check_similar(b, a)) == []
    assert get_cell(a, CellRef("appeals", "review", "total")) == Blank()


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_reports_read_from_their_files_pass_t1(name: str) -> None:
    # End to end: the reader places 一、总体情况, and T1 reads what it states.
    report = load(CORPUS / name)
    assert report.overview is not None
    assert {q.quantity for q in quotes(report.overview.body)} == REAL[name][2]
    assert list(validate_prose(report)) == []


def test_the_prefilters_are_sound() -> None:
    # quotes() tries a quantity on a sentence only when the sentence's key holds
    # 件 or 诉, one of the quantity's cue words, and (for a count) a digit and 件.
    from govdisclosure.model._normalise import FOLD_TABLE, fold
    from govdisclosure.validation import prose

    for q in prose._QUANTITIES:
        for pattern in q.patterns:
            # the cue group is a required part of every pattern
            cue = prose._w(q.cue)
            assert cue in pattern, q.key
            assert not pattern.split(cue, 1)[1].startswith(("?", "*", "{0")), q.key
            if q.zero:
                assert all(word in pattern for word in q.needs)
                assert "诉" in pattern
            else:
                assert pattern.count(prose._N) == 1, q.key
    # ... every character whose key is 件 or 诉 is a mark (fold is one
    # character for one, so position i of the folded text is code point i)
    everything = "".join(map(chr, range(0x110000)))
    folded = fold(everything)
    assert folded == everything.translate(FOLD_TABLE)
    marks = {everything[i] for i, c in enumerate(folded) if c in "件诉"}
    assert marks == set(prose._MARKS) == set(prose._MARK.pattern.strip("[]")) == {"件", "诉", "訴"}
    # and together they change nothing on real or generated overviews
    stated = 0
    for name in ("pingtan-2021.txt", "ulanqab-2020.txt", "shuyang-2025.md",
                 "shanghai-office-2025.md", "pingtan-2019.txt", "hebei-edu-2019.txt"):
        report = load(CORPUS / name)
        assert report.overview is not None
        body = report.overview.body
        found = prose.quotes(body)
        assert found == _all_quotes(body)
        stated += len(found)
    assert stated >= 5


@pytest.mark.parametrize("body", [
    "（一）收到政府信息公开申请6件",  # a heading alone on its line
    "一、总体情况\n本年度共收到\n政府信息公开申请6件，予以公开5件。\n\n没有行政诉讼。",
    "二是全年收到申请6件；\n\n（三）办理情况\n予以公开5件。未被申请行政复议，也无行政诉讼情况。",
])
def test_only_sentences_with_a_mark_are_cut_and_tried(body: str) -> None:
    # quotes() cuts only the paragraphs, and keeps only the sentences, that hold
    # 件 or 诉: the same quotes as trying every sentence.
    found = quotes(body)
    assert found == _all_quotes(body)
    assert found and found[0].quantity == "received" and found[0].value == 6


@given(series(min_size=1, max_size=1))
def test_the_prefilters_change_nothing_on_generated_overviews(reports: list[Report]) -> None:
    assert reports[0].overview is not None
    body = reports[0].overview.body
    assert quotes(body) == _all_quotes(body) != []


def _all_quotes(text: str) -> list[Quote]:
    """quotes() without the prefilters: every quantity's patterns on every sentence."""
    from govdisclosure.model._normalise import sentence_key
    from govdisclosure.validation import prose

    found: list[Quote] = []
    for sentence in prose.sentences(text):
        norm = sentence_key(sentence)
        for q in prose._QUANTITIES:
            if all(word in norm for word in q.needs):
                found.extend(prose._stated(q, sentence, norm, 0, len(norm)))
    return prose._unique(found)


@pytest.mark.parametrize(("sentence", "stated"), [
    # traditional characters and full-width forms read as simplified ones
    ("本年度全區共收到７０件申請。", {("received", 70)}),
    ("因政府資訊公開被申請行政復議２件。", {("review", 2)}),
    # 、 joins the words of one clause, ， ends a clause
    ("予以公开、部分公开的５件。", {("granted_or_partly", 5)}),
    ("予以公开，部分公开５件。", {("partially_granted", 5)}),
    ("没有因政府信息公开被申请行政复议、提起行政诉讼的情况。", {("no_appeals", 0)}),
    ("没有因政府信息公开被申请行政复议，提起行政诉讼的情况。", set()),
    # cue words that overlap (新收 and 收到) are both found
    ("本年新收到政府信息公开申请5件。", {("received_new", 5), ("received", 5)}),
    # words spaced out by a PDF extractor
    ("收 到 政 府 信 息 公 开 申 请 1 2 件 。", {("received", 12)}),
])
def test_sentences_are_matched_on_their_key(sentence: str, stated: set[tuple[str, int]]) -> None:
    assert {(q.quantity, q.value) for q in quotes(sentence)} == stated


def test_t1_names_the_blank_cell_not_the_cell_it_checks_first() -> None:
    # 受理 749 reads as received alone or received + carried over; with the
    # carried-over cell printed as "/", the finding names that cell.
    report = _real_report("shuyang-2025.md")
    over = CellRef("applications", "carried_over", "total")
    blanked = replace_cells(report, {over: Blank("/")})
    body = "全县全年共受理政府信息公开申请 750 件。"
    (finding,) = check_overview(attrs.evolve(blanked, overview=Section(heading="一", body=body)))
    assert finding.status is Status.NOT_ASSESSABLE
    assert finding.blanks == (over,)
    assert "但 三 / 二 / 总计 印为“/”" in finding.message
    assert "but applications / carried over from last year / total is printed as '/'" in (
        finding.message_en)
