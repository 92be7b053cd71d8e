"""Examples of the rules, ``validate`` and ``infer``; the rule catalogue's docs."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from govdisclosure import (
    RULES,
    Blank,
    CellRef,
    CellSource,
    Finding,
    Report,
    Severity,
    Status,
    blank_report,
    build_report,
    form,
    get_cell,
    infer,
    replace_cells,
    validate,
)
from govdisclosure.model import Edition
from govdisclosure.model.schema import FormSpec
from govdisclosure.validation import Identity, Rule, Sides
from govdisclosure.validation._doc import rules_markdown

ROOT = Path(__file__).resolve().parent.parent
APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
              "legal_services", "other", "total")


def A(row: str, column: str) -> CellRef:
    return CellRef("applications", row, column)


def zeros(edition: Edition = "2019") -> Report:
    """A valid report: every count 0, every amount 0."""
    spec = form(edition)
    return build_report(
        edition,
        {ref: Decimal(0) if spec.column_kind(ref) == "amount" else 0 for ref in spec.refs()},
    )


def valid_column(report: Report, column: str, rows: dict[str, int]) -> Report:
    """``report`` with ``rows`` set in ``column`` and in the 总计 column alike.

    Used on an all-zero report, this keeps I3 true for every row; I1 and I2 hold
    when ``rows`` balance.
    """
    changes: dict[CellRef, int | Decimal | Blank] = {}
    for row, value in rows.items():
        changes[A(row, column)] = value
        changes[A(row, "total")] = value
    return replace_cells(report, changes)


# --- messages -----------------------------------------------------------------


def test_i1_message_names_the_labels_in_both_languages() -> None:
    report = replace_cells(zeros(), {
        A("received", "natural_person"): 4, A("carried_over", "natural_person"): 2,
        A("granted", "natural_person"): 5, A("total_handled", "natural_person"): 5,
    })
    [finding] = [f for f in validate(report) if f.rule == "I1"]
    assert finding.message == "三 / 自然人：一 + 二 = 6，但 （七）总计 + 四 = 5"
    assert finding.message_en == (
        "applications / natural persons: received + carried over = 6 "
        "but total handled + carried forward = 5"
    )
    assert finding.text("en") == finding.message_en and finding.text() == finding.message
    assert (finding.expected, finding.actual) == (6, 5)
    assert (finding.table, finding.row, finding.column) == ("applications", None, "natural_person")
    assert finding.severity is Severity.ERROR and finding.status is Status.FAILED
    assert set(finding.cells) == {A(r, "natural_person") for r in
                                  ("received", "carried_over", "total_handled", "carried_forward")}


def test_i2_i3_i4_name_their_places() -> None:
    report = replace_cells(zeros("2021"), {
        A("other_handling.fee_unpaid", "research"): 2,
        CellRef("appeals", "litigation_direct", "pending"): 1,
    })
    found = {f.rule: f for f in validate(report) if f.rule != "likely-cell"}
    assert set(found) == {"I2", "I3", "I4"}
    assert found["I2"].message == (
        "三 / （七）总计 / 科研机构：（一）至（六）之和 = 2，但 （七）总计 = 0"
    )
    assert (found["I2"].row, found["I2"].column) == ("total_handled", "research")
    assert found["I3"].row == "other_handling.fee_unpaid"
    assert found["I3"].message == "三 / （六）2 / 总计：自然人至其他之和 = 2，但 总计 = 0"
    assert found["I4"].message == (
        "四 / 直接起诉 / 总计：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 1，但 总计 = 0"
    )
    assert found["I4"].message_en.startswith("appeals / litigation without review / total:")


def test_line_comes_from_provenance() -> None:
    ref = CellRef("appeals", "review", "upheld")
    report = replace_cells(zeros(), {ref: 3}, {ref: CellSource(line=88)})
    likely, finding = validate(report).findings
    assert finding.rule == "I4" and finding.line == 88
    assert likely.rule == "likely-cell" and likely.line == 88


# --- not assessable -------------------------------------------------------------


def test_a_blank_cell_makes_its_rules_not_assessable_and_is_named() -> None:
    ref = A("received", "natural_person")
    report = replace_cells(zeros(), {ref: Blank("/")})
    result = validate(report)
    assert result.ok
    assert {f.rule for f in result.findings} == {"D1", "I1", "I3"}
    for f in result.findings:
        assert f.status is Status.NOT_ASSESSABLE
        assert f.blanks == (ref,)
        assert "三 / 一 / 自然人" in f.message and "“/”" in f.message
        assert "printed as '/'" in f.message_en
        assert f.expected is None and f.actual is None
    i1 = result.by_rule("I1")[0]
    assert i1.message == "三 / 自然人：无法判断 I1，因为 三 / 一 / 自然人 印为“/”"
    assert result.not_assessable == result.findings


def test_an_empty_cell_is_blank_not_zero() -> None:
    ref = CellRef("appeals", "review", "total")
    report = replace_cells(zeros(), {ref: Blank("")})
    findings = validate(report).findings
    assert [f.rule for f in findings] == ["D1", "I4"]
    assert all(f.status is Status.NOT_ASSESSABLE for f in findings)
    assert "为空白" in findings[1].message and "is blank" in findings[1].message_en


# --- ok, errors, warnings -------------------------------------------------------


def test_ok_semantics() -> None:
    assert validate(zeros()).ok and len(validate(zeros())) == 0
    broken = validate(replace_cells(zeros(), {CellRef("appeals", "review", "total"): 1}))
    assert not broken.ok
    assert broken.errors == broken.findings[1:] and len(broken) == 2
    assert broken.findings[0].severity is Severity.INFO  # the diagnosis fails nothing
    assert list(broken) == list(broken.findings)


def test_t2_is_a_warning_that_does_not_fail_the_report() -> None:
    report = replace_cells(zeros("2019"), {
        CellRef("active", "art20_1.rules", "published"): 5,
        CellRef("active", "art20_1.rules", "total_published"): 3,
    })
    result = validate(report)
    [finding] = result.findings
    assert finding.rule == "T2" and finding.severity is Severity.WARNING
    assert finding.status is Status.FAILED
    assert (finding.expected, finding.actual) == (5, 3)
    assert finding.message == (
        "二 / （一）规章 / 本年新公开数量：本年新公开数量 = 5，大于 对外公开总数量 = 3"
    )
    assert result.ok and result.errors == ()


def test_t2_holds_when_published_equals_the_total() -> None:
    report = replace_cells(zeros("2019"), {
        CellRef("active", "art20_1.normative_documents", "published"): 4,
        CellRef("active", "art20_1.normative_documents", "total_published"): 4,
    })
    assert validate(report).findings == ()


def test_t2_does_not_exist_in_2021() -> None:
    report = replace_cells(zeros("2021"), {
        CellRef("active", "art20_1.rules", "issued"): 5,
        CellRef("active", "art20_1.rules", "in_force"): 0,
    })
    assert validate(report).findings == ()


# --- D1 -------------------------------------------------------------------------


def test_d1_negative_count() -> None:
    ref = CellRef("appeals", "review", "upheld")
    report = replace_cells(zeros(), {ref: -1, CellRef("appeals", "review", "corrected"): 1})
    [finding] = validate(report).findings  # I4 holds: -1 + 1 + 0 + 0 == 0
    assert finding.rule == "D1" and finding.status is Status.FAILED
    assert finding.cells == (ref,)
    assert (finding.expected, finding.actual) == ("a non-negative integer", -1)
    assert finding.message == "四 / 行政复议 / 结果维持：应为非负整数，实际为 -1"


def test_d1_signed_change_may_be_negative_in_2019() -> None:
    report = replace_cells(zeros("2019"), {CellRef("active", "art20_5.licensing", "change"): -8})
    assert validate(report).findings == ()


def test_d1_amounts_must_be_non_negative() -> None:
    ref = CellRef("active", "art20_8.fees", "amount")
    [finding] = validate(replace_cells(zeros("2021"), {ref: Decimal("-1.5")})).findings
    assert finding.rule == "D1" and finding.status is Status.FAILED and finding.cells == (ref,)
    assert finding.expected == "a non-negative amount"


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("1E+99")])
def test_non_finite_or_unbounded_amounts_never_enter_a_report(amount: Decimal) -> None:
    # A one-value invariant of the model (model/cells.py), so no reader lets one in.
    ref = CellRef("active", "art20_8.fees", "amount")
    with pytest.raises(ValueError, match="amount"):
        replace_cells(zeros("2021"), {ref: amount})


def test_d1_non_numeric_cell_is_not_assessable() -> None:
    ref = CellRef("active", "art20_9.procurement", "amount")
    [finding] = validate(replace_cells(zeros("2019"), {ref: Blank("无")})).findings
    assert finding.rule == "D1" and finding.status is Status.NOT_ASSESSABLE
    assert finding.message == "二 / （九）政府集中采购 / 采购总金额：印为“无”，无法判断数值"


def test_reader_findings_come_first() -> None:
    read = Finding(rule="read-short-row", severity=Severity.ERROR, line=41,
                   message="（五）2 只有 6 格")
    report = attrs.evolve(
        replace_cells(zeros(), {CellRef("appeals", "review", "total"): 1}), read_findings=(read,)
    )
    findings = validate(report).findings
    assert findings[0] is read
    assert [f.rule for f in findings] == ["read-short-row", "likely-cell", "I4"]


# --- infer ------------------------------------------------------------------------


def test_infer_fills_a_whole_row_of_seven_blanks() -> None:
    # ulanqab-2020: 2.重复申请 printed 6 values for 7 columns; the row is read blank
    # and every cell is forced by I2 (the column sums) to its value.
    report = valid_column(zeros(), "natural_person", {
        "received": 3, "not_processed.duplicate": 3, "total_handled": 3,
    })
    row = {A("not_processed.duplicate", c): Blank("") for c in APPLICANTS}
    blanked = replace_cells(report, row)
    filled = infer(blanked)
    assert filled == report
    for ref in row:
        assert filled.provenance[ref].inferred_by == "I2"
    assert get_cell(filled, A("not_processed.duplicate", "natural_person")) == 3
    # Nothing fails; each filled cell is listed with the identity that forced it.
    assert [(f.rule, f.cells, f.expected) for f in validate(filled)] == [
        ("inferred", (ref,), "I2") for ref in row]


def test_infer_keeps_the_line_and_printed_text_of_a_filled_cell() -> None:
    ref = A("carried_forward", "other")
    report = replace_cells(zeros(), {ref: Blank("-")}, {ref: CellSource(line=9, printed="-")})
    filled = infer(report)
    assert get_cell(filled, ref) == 0
    assert filled.provenance[ref] == CellSource(line=9, printed="-", inferred_by="I1")


def test_infer_solves_a_chain_of_identities() -> None:
    # received.total is pinned by I3 only once received.natural_person is known
    # from I1; both are blank.
    report = valid_column(zeros(), "natural_person", {
        "received": 2, "granted": 2, "total_handled": 2,
    })
    blanked = replace_cells(report, {
        A("received", "natural_person"): Blank(""), A("received", "total"): Blank(""),
        A("total_handled", "total"): Blank(""),
    })
    assert infer(blanked) == report


def test_infer_leaves_undetermined_blanks_alone() -> None:
    # Two blanks on the same side of both I1 and I3 that add up to 5: either split works.
    report = valid_column(zeros(), "natural_person", {
        "received": 3, "carried_over": 1, "granted": 4, "total_handled": 4,
    })
    report = valid_column(report, "commercial", {
        "received": 2, "carried_over": 1, "granted": 3, "total_handled": 3,
    })
    report = replace_cells(report, {
        A("received", "total"): 5, A("carried_over", "total"): 2,
        A("granted", "total"): 7, A("total_handled", "total"): 7,
    })
    assert validate(report).findings == ()
    cycle = {A(r, c): Blank("") for r in ("received", "carried_over")
             for c in ("natural_person", "commercial")}
    blanked = replace_cells(report, cycle)
    filled = infer(blanked)
    assert filled == blanked
    assert all(isinstance(get_cell(filled, ref), Blank) for ref in cycle)
    assert not any(src.inferred_by for src in filled.provenance.values())


def test_infer_leaves_a_blank_report_alone() -> None:
    report = blank_report("2021")
    assert infer(report) is report


def test_infer_never_fills_a_negative_number() -> None:
    # 2 carried over, nothing handled, nothing carried forward: received would be -2.
    report = replace_cells(zeros(), {
        A("carried_over", "natural_person"): 2, A("carried_over", "total"): 2,
        A("received", "natural_person"): Blank(""), A("received", "total"): Blank(""),
    })
    filled = infer(report)
    assert filled == report
    assert isinstance(get_cell(filled, A("received", "natural_person")), Blank)


def test_infer_fills_zeros_when_the_unknowns_must_add_up_to_nothing() -> None:
    # total_handled is 0, so every blank outcome of that column is 0.
    blanks = {A(row, column): Blank("") for row in ("granted", "withheld.state_secret")
              for column in ("research", "total")}
    filled = infer(replace_cells(zeros(), blanks))
    assert filled == zeros()


# --- the catalogue and its docs -----------------------------------------------------


def test_the_rule_ids_of_format_md_are_in_the_catalogue() -> None:
    ids = [r.id for r in RULES]
    assert {"I1", "I2", "I3", "I4", "D1", "T2"} <= set(ids)
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.statement and rule.statement_en and rule.title and rule.title_en


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    text = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert text == rules_markdown(), (
        "docs/rules.md is out of date: regenerate it with "
        "python -m govdisclosure.validation._doc > docs/rules.md"
    )


def test_rules_markdown_lists_every_rule() -> None:
    text = rules_markdown()
    for rule in RULES:
        assert f"### {rule.id}: {rule.title_en} ({rule.title})" in text
        assert f"| {rule.id} | {rule.scope} | {rule.severity.value} |" in text
        assert rule.statement in text and rule.statement_en in text
    assert "not_assessable" in text
    assert "Checks: 7 in 2019, 7 in 2021" in text  # I1: one per column of table 三
    assert "23 in 2019, 25 in 2021" in text  # I3: one per row of table 三


# Named like codes, but none: a reader's refusal (a ReadError: nothing is read,
# so there is no finding to list it in), and an English word.
_NOT_CODES = {"read-multiple-reports", "read-only"}


def test_every_code_named_in_the_source_and_docs_is_in_the_one_catalogue() -> None:
    # Reader, splitter, series and rule codes alike: a code written anywhere
    # (emitted, documented, or listed as leaving cells blank) is declared once.
    from govdisclosure.model.coverage import LEFT_BLANK
    from govdisclosure.validation import CODES

    named = re.compile(r"\b(?:read|series)-[a-z]+(?:-[a-z]+)*\b")
    seen: dict[str, str] = {}
    for path in [*(ROOT / "src").rglob("*.py"), *(ROOT / "docs").glob("*.md")]:
        for code in named.findall(path.read_text("utf-8")):
            seen.setdefault(code, path.name)
    unknown = {c: f for c, f in seen.items() if c not in CODES and c not in _NOT_CODES}
    assert unknown == {}
    assert {c for c, entry in CODES.items() if entry.scope == "reader"} >= LEFT_BLANK
    # and every code of the catalogue is emitted or documented somewhere
    assert {c for c in CODES if c.startswith(("read-", "series-"))} <= set(seen)
    # Whatever its name: a code given as a finding's rule, or asked of the
    # catalogue, in the source is one of the catalogue's.
    emitted = set()
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.keyword) and node.arg == "rule"
                    and isinstance(node.value, ast.Constant)):
                emitted.add(node.value.value)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("finding", "code", "rule") and node.args
                  and isinstance(node.args[0], ast.Constant)):
                emitted.add(node.args[0].value)
    assert len(emitted) > 20 and emitted <= CODES.keys(), emitted - CODES.keys()


def test_rules_markdown_lists_the_reader_codes() -> None:
    from govdisclosure.formats._textread._findings import READ_CODES

    text = rules_markdown()
    for code in READ_CODES:
        assert f"| `{code}` |" in text


def test_filled_cells_are_listed_in_form_order_with_their_lines() -> None:
    from govdisclosure.model.provenance import Provenance
    from govdisclosure.validation.filled import filled_findings

    # Marked in the order infer filled them (here: backwards), listed in form order.
    row = [A("not_processed.duplicate", c) for c in APPLICANTS]
    report = replace_cells(zeros(), dict.fromkeys(row, 0),
                           {ref: CellSource(line=40 + k, inferred_by="I2")
                            for k, ref in reversed(list(enumerate(row)))})
    found = filled_findings(report)
    assert [f.cells for f in found] == [(ref,) for ref in row]
    assert [f.line for f in found] == [40 + k for k in range(len(row))]
    # A mark on a cell the form lacks is left out; a plain dict of sources reads the same.
    stray = {CellRef("applications", "nowhere", "total"): "I2", **dict.fromkeys(row, "I2")}
    assert filled_findings(report, stray) == found
    assert isinstance(report.provenance, Provenance)
    plain = attrs.evolve(report, provenance=dict(report.provenance))
    assert filled_findings(plain) == found


def test_filled_cells_are_listed_and_the_blank_row_message_says_so() -> None:
    from govdisclosure import load

    report = infer(load(ROOT / "tests" / "corpus" / "ulanqab-2020.txt"))
    result = validate(report)
    filled = result.by_rule("inferred")
    row = [A("not_processed.duplicate", c) for c in APPLICANTS]
    assert [f.cells for f in filled] == [(ref,) for ref in row]
    assert all(f.severity is Severity.INFO and f.expected == "I2" and f.actual == 0
               for f in filled)
    assert filled[0].message == "三 / （五）2 / 自然人：原为空白，由 I2 推算填入 0"
    (short,) = result.by_rule("read-short-row")
    assert short.message.endswith("整行留空；其后全部 7 格由 I2 推算填入")
    assert short.message_en.endswith("; all 7 of its blank cells were later filled in by I2")
    # Without --infer the row is blank and the message says only that.
    (plain,) = validate(load(ROOT / "tests" / "corpus" / "ulanqab-2020.txt")).by_rule(
        "read-short-row")
    assert plain.message.endswith("整行留空")
    assert validate(load(ROOT / "tests" / "corpus" / "ulanqab-2020.txt")).by_rule(
        "inferred") == ()
# --- a toy rule: one declaration reaches every use ---------------------------------------


def _z1(spec: FormSpec) -> Iterator[Sides]:
    # Every edition: lawsuits filed directly never exceed the reviews... as an
    # equality, so that infer can use it: direct lawsuits' total = reviews' total.
    yield Sides(table="appeals", row=None, column="total",
                lhs=(CellRef("appeals", "litigation_direct", "total"),),
                rhs=(CellRef("appeals", "review", "total"),))


def _toy_rules() -> tuple[Rule, ...]:
    toy = Rule(
        id="Z1", severity=Severity.WARNING, editions=("2019", "2021"), scope="report",
        title="诉讼与复议相等", title_en="lawsuits equal reviews",
        statement="表四：直接起诉总计 = 行政复议总计", statement_en="Table 四: direct "
        "lawsuits' total = reviews' total.",
        identity=Identity(relation="eq", instances=_z1,
                          lhs_text=("直接起诉总计", "lawsuits filed directly"),
                          rhs_text=("行政复议总计", "reviews")),
    )
    return (*RULES, toy)


def _appeals_total(report: Report, group: str, value: int | Blank) -> Report:
    changes: dict[CellRef, int | Decimal | Blank] = {
        CellRef("appeals", group, "upheld"): value, CellRef("appeals", group, "total"): value,
    }
    return replace_cells(report, changes)


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_a_toy_rule_declared_once_reaches_validate_infer_the_quick_check_and_docs(
    edition: Edition,
) -> None:
    from govdisclosure.validation import _compiled, checks, engine

    rules = _toy_rules()
    report = _appeals_total(zeros(edition), "review", 3)  # I4 holds; Z1 does not
    assert validate(report).ok and not validate(report).findings
    # The quick check passes it under the catalogue, not under the toy one.
    flat = _compiled.flattener(edition)(report)
    assert engine._plan(edition, RULES).clean(flat)
    toy_plan = engine._plan(edition, rules)
    assert not toy_plan.clean(flat) and not engine.plain_clean(toy_plan, flat)
    # validate: exactly its finding, in its words.
    (finding,) = validate(report, rules=rules).findings
    assert (finding.rule, finding.severity, finding.status) == (
        "Z1", Severity.WARNING, Status.FAILED)
    assert (finding.expected, finding.actual) == (0, 3)
    assert "直接起诉总计 = 0，但 行政复议总计 = 3" in finding.message
    assert finding.message_en.endswith("lawsuits filed directly = 0 but reviews = 3")
    # checks: its instance as plain data.
    (check,) = [c for c in checks(edition, rules) if c.rule == "Z1"]
    assert check.lhs == (CellRef("appeals", "litigation_direct", "total"),)
    # infer: a blank it pins down is filled and marked with it.
    ref = CellRef("appeals", "litigation_direct", "total")
    blank = replace_cells(report, {
        CellRef("appeals", "litigation_direct", column): Blank("")
        for column in ("upheld", "corrected", "other", "pending", "total")})
    assert get_cell(infer(blank), ref) == Blank("")  # I4 alone cannot pin it
    filled = infer(blank, rules=rules)
    assert get_cell(filled, ref) == 3
    assert filled.provenance[ref].inferred_by == "Z1"
    # the docs: its row in the table and its section.
    text = rules_markdown(rules)
    row = "| Z1 | report | warning | 2019, 2021 | lawsuits equal reviews | 诉讼与复议相等 |"
    assert row in text
    assert "### Z1: lawsuits equal reviews (诉讼与复议相等)" in text
    assert "| Z1 |" not in rules_markdown()


def test_the_rule_shown_in_how_to_add_a_rule_works_as_shown() -> None:
    # docs/rules.md's example declaration, run as printed: with it, a report whose
    # direct lawsuits exceed its reviews gets its one finding, and its row is in
    # the docs table.
    from govdisclosure.model.report import EDITIONS

    text = (ROOT / "docs" / "rules.md").read_text("utf-8")
    section = text[text.index("## How to add a rule"):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None
    tree = ast.parse(match.group(1))
    *defs, last = tree.body
    assert isinstance(last, ast.Expr)
    names: dict[str, object] = {"Sides": Sides, "CellRef": CellRef, "Rule": Rule,
                                "Identity": Identity, "Severity": Severity,
                                "EDITIONS": EDITIONS}
    exec(compile(ast.Module(body=defs, type_ignores=[]), "rules.md", "exec"), names)
    example = eval(compile(ast.Expression(last.value), "rules.md", "eval"), names)
    assert isinstance(example, Rule)
    rules = (*RULES, example)
    for edition in EDITIONS:
        report = _appeals_total(zeros(edition), "litigation_direct", 3)
        assert validate(report).ok
        (finding,) = validate(report, rules=rules).findings
        assert (finding.rule, finding.status) == (example.id, Status.FAILED)
        assert validate(_appeals_total(report, "review", 3), rules=rules).findings == ()
    assert f"| {example.id} | report | warning |" in rules_markdown(rules)
