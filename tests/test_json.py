"""The JSON document: round trips, exact amounts, blanks, and broken input."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure import (
    Blank,
    CellRef,
    CellSource,
    Finding,
    GovDisclosureError,
    ReadError,
    Report,
    Severity,
    Status,
    build_report,
    dumps,
    form,
    from_data,
    get_cell,
    load,
    loads,
    to_data,
    validate,
)
from govdisclosure.model import Edition
from govdisclosure.testing.strategies import reports

AMOUNT = CellRef("active", "art20_8.fees", "amount")
NATURAL = CellRef("applications", "received", "natural_person")


def zeros(edition: Edition = "2021") -> Report:
    """A valid report with every count 0 and every amount 0."""
    spec = form(edition)
    values = {
        ref: Decimal(0) if spec.column_kind(ref) == "amount" else 0 for ref in spec.refs()
    }
    return build_report(spec.edition, values, year=2021, agency="某县人民政府")


def document(report: Report | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(report or zeros()))
    return data


def problems(text: str) -> list[tuple[str | None, str]]:
    with pytest.raises(ReadError) as caught:
        loads(text)
    return [(p.path, p.message) for p in caught.value.problems]


# --- round trips ----------------------------------------------------------------


@given(reports(blanks=True, provenance=True))
def test_json_round_trip(report: Report) -> None:
    text = dumps(report)
    back = loads(text)
    assert back == report
    # Fields that take no part in equality survive too.
    assert back.provenance == report.provenance
    assert back.headings == report.headings
    assert back.read_findings == report.read_findings
    assert dumps(back) == text  # writing is deterministic


@given(reports())
def test_plain_data_round_trip(report: Report) -> None:
    assert from_data(to_data(report)) == report


def test_header_keys_come_first_and_name_the_document() -> None:
    data = document()
    assert list(data)[:3] == ["format", "version", "edition"]
    assert data["format"] == "govdisclosure-report"
    assert data["version"] == 1
    assert data["edition"] == "2021"


def test_optional_keys_are_left_out_when_empty() -> None:
    data = document()
    assert not {"headings", "provenance", "read_findings"} & set(data)


def test_amounts_stay_exact() -> None:
    report = build_report("2021", {AMOUNT: Decimal("0.10")})
    data = document(report)
    assert data["active"]["art20_8"]["fees"]["amount"] == "0.10"
    back = get_cell(loads(dumps(report)), AMOUNT)
    assert isinstance(back, Decimal) and str(back) == "0.10"


def test_an_integer_amount_is_read_as_a_decimal() -> None:
    data = document()
    data["active"]["art20_8"]["fees"]["amount"] = 251000
    assert get_cell(loads(json.dumps(data)), AMOUNT) == Decimal(251000)


def test_blank_and_printed_cells_survive() -> None:
    report = build_report("2021", {NATURAL: Blank("/")})  # every other cell is Blank("")
    data = document(report)
    assert data["applications"]["received"]["natural_person"] == {"printed": "/"}
    assert data["applications"]["received"]["total"] is None
    back = loads(dumps(report))
    assert get_cell(back, NATURAL) == Blank("/")
    assert get_cell(back, CellRef("applications", "received", "total")) == Blank("")


def test_reader_findings_survive_with_their_enums() -> None:
    finding = Finding(
        rule="read-short-row", severity=Severity.ERROR, status=Status.FAILED,
        table="applications", row="not_processed.duplicate", line=41,
        cells=(CellRef("applications", "not_processed.duplicate", "total"),),
        expected="7 cells", actual=6, message="（五）2 只有 6 格", message_en="6 cells of 7",
    )
    report = attrs.evolve(zeros(), read_findings=(finding,))
    back = loads(dumps(report))
    assert back.read_findings == (finding,)
    assert back.read_findings[0].severity is Severity.ERROR
    # A reader's error still makes the report fail after a round trip.
    assert not validate(back).ok


def test_decimal_finding_values_survive() -> None:
    finding = Finding(rule="read-x", severity=Severity.WARNING, expected=Decimal("1.5"))
    report = attrs.evolve(zeros(), read_findings=(finding,))
    assert loads(dumps(report)).read_findings == (finding,)


def test_provenance_and_headings_survive() -> None:
    report = attrs.evolve(
        zeros(),
        headings={"appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
        provenance={NATURAL: CellSource(line=12, printed="6件"),
                    AMOUNT: CellSource(inferred_by="I1")},
    )
    data = document(report)
    assert data["provenance"] == {
        "applications/received/natural_person": {"line": 12, "printed": "6件"},
        "active/art20_8.fees/amount": {"inferred_by": "I1"},
    }
    back = loads(dumps(report))
    assert back.provenance == report.provenance
    assert back.headings == report.headings


def test_the_complete_document_of_the_docs_reads_and_writes_back() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text("utf-8")
    [block] = re.findall(r"## A complete document\n.*?```json\n(.*?)```", text, re.S)
    report = loads(block)
    assert json.loads(dumps(report)) == json.loads(block)
    assert report.agency == "龙口镇人民政府" and report.year == 2022
    assert get_cell(report, CellRef("active", "art20_8.fees", "amount")) == Decimal("0.10")
    assert get_cell(report, CellRef("applications", "not_processed.duplicate", "commercial")) == (
        Blank("/")
    )
    result = validate(report)
    assert result.ok and {f.status for f in result.findings} == {Status.NOT_ASSESSABLE}


def test_the_fragments_of_the_docs_read() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "json.md").read_text("utf-8")
    fragments = re.findall(r"```json\n(\".*?)```", text, re.S)
    assert len(fragments) == 2
    for fragment in fragments:
        data = document()
        data.update(json.loads("{" + fragment + "}"))
        report = loads(json.dumps(data))
        assert report.provenance or report.read_findings


# --- broken documents -------------------------------------------------------------


def test_wrong_types_are_all_reported_with_their_paths() -> None:
    data = document()
    data["applications"]["received"]["natural_person"] = "3"
    data["appeals"]["review"]["total"] = 1.0
    data["applications"]["granted"]["other"] = True
    data["year"] = "2021"
    data["unplaced"] = [1]
    found = dict(problems(json.dumps(data)))
    assert set(found) == {
        "$.applications.received.natural_person",
        "$.appeals.review.total",
        "$.applications.granted.other",
        "$.year",
        "$.unplaced[0]",
    }
    assert "'3'" in found["$.applications.received.natural_person"]


def test_a_float_amount_is_refused_with_a_hint() -> None:
    data = document()
    data["active"]["art20_8"]["fees"]["amount"] = 0.1
    [(path, message)] = problems(json.dumps(data))
    assert path == "$.active.art20_8.fees.amount"
    assert "strings" in message


@pytest.mark.parametrize("printed", [3, None, ["/"]])
def test_printed_must_be_text(printed: object) -> None:
    data = document()
    data["applications"]["received"]["total"] = {"printed": printed}
    assert [p for p, _ in problems(json.dumps(data))] == ["$.applications.received.total"]


def test_unknown_keys_are_refused_with_their_paths() -> None:
    data = document()
    data["colour"] = "red"
    data["applications"]["received"]["subtotal"] = 0
    data["appeals"]["arbitration"] = {}
    found = problems(json.dumps(data))
    assert sorted(path or "" for path, _ in found) == [
        "$.appeals.arbitration", "$.applications.received.subtotal", "$.colour",
    ]
    assert all("unknown key" in message for _, message in found)


def test_a_missing_table_is_reported() -> None:
    data = document()
    del data["appeals"]
    del data["applications"]["carried_forward"]
    assert sorted(problems(json.dumps(data))) == [
        ("$.appeals", "required key is missing"),
        ("$.applications.carried_forward", "required key is missing"),
    ]


def test_a_cell_of_the_other_edition_is_unknown() -> None:
    data = document(zeros("2019"))
    data["edition"] = "2021"
    paths = {path for path, _ in problems(json.dumps(data))}
    assert "$.active.art20_9" in paths  # block （九） exists only in 2019


def test_wrong_header_values() -> None:
    data = document()
    data["format"] = "something-else"
    data["version"] = 2
    found = dict(problems(json.dumps(data)))
    assert set(found) == {"$.format", "$.version"}
    assert "version 2" in found["$.version"]
    data = document()
    data["edition"] = "2020"
    [(path, message)] = problems(json.dumps(data))
    assert path == "$.edition" and "'2019', '2021'" in message


def test_reader_finding_with_unknown_severity() -> None:
    data = document()
    data["read_findings"] = [{"rule": "read-short-row", "severity": "fatal", "status": 3}]
    assert sorted(problems(json.dumps(data))) == [
        ("$.read_findings[0].severity", "expected one of 'error', 'warning', 'info', got 'fatal'"),
        ("$.read_findings[0].status", "expected one of 'failed', 'not_assessable', got 3"),
    ]


def test_provenance_of_a_cell_that_does_not_exist() -> None:
    data = document()
    data["provenance"] = {"applications/received/nobody": {"line": 3}}
    assert [p for p, _ in problems(json.dumps(data))] == [
        "$.provenance.applications/received/nobody"
    ]
    data["provenance"] = {"received": {"line": 3}}
    [(path, message)] = problems(json.dumps(data))
    assert path == "$.provenance.received" and "table/row/column" in message


def test_a_provenance_entry_that_is_not_an_object() -> None:
    data = document()
    data["provenance"] = {"appeals/review/total": ""}
    [(path, message)] = problems(json.dumps(data))
    assert path == "$.provenance.appeals/review/total" and "expected an object" in message


@pytest.mark.parametrize("key", ["headings", "provenance", "read_findings"])
def test_optional_keys_are_left_out_not_null(key: str) -> None:
    data = document()
    data[key] = None
    assert [p for p, _ in problems(json.dumps(data))] == [f"$.{key}"]


@pytest.mark.parametrize("rows", [None, 0])
def test_extra_rows_must_be_a_list(rows: object) -> None:
    data = document()
    data["appeals"]["extra_rows"] = rows
    assert [p for p, _ in problems(json.dumps(data))] == ["$.appeals.extra_rows"]


@pytest.mark.parametrize("line", [0, -1, 10**20])
def test_unusual_line_numbers_are_kept(line: int) -> None:
    data = document()
    data["provenance"] = {"appeals/review/total": {"line": line},
                          "appeals/review/upheld": {"line": 4}}
    report = loads(json.dumps(data))
    assert dict(report.provenance) == {
        CellRef("appeals", "review", "total"): CellSource(line=line),
        CellRef("appeals", "review", "upheld"): CellSource(line=4),
    }
    assert loads(dumps(report)).provenance == report.provenance


@pytest.mark.parametrize("order", ["form", "reversed", "one left out", "one line 0"])
def test_a_provenance_of_every_cell_reads_in_any_order(order: str) -> None:
    # A document written from a read report names every cell in the form's
    # order; any other order, a cell left out or an unusual line reads the same.
    refs = list(form("2021").refs())
    expected = {ref: CellSource(line=i + 1) for i, ref in enumerate(refs)}
    if order == "reversed":
        refs.reverse()
    elif order == "one left out":
        del expected[refs.pop(5)]
    elif order == "one line 0":
        expected[refs[5]] = CellSource(line=0)
    data = document()
    data["provenance"] = {str(ref): {"line": expected[ref].line} for ref in refs}
    report = loads(json.dumps(data))
    assert dict(report.provenance) == expected
    assert loads(dumps(report)).provenance == report.provenance


@pytest.mark.parametrize("findings", [{"rule": "read-x"}, "abc", 3])
def test_read_findings_must_be_a_list(findings: object) -> None:
    data = document()
    data["read_findings"] = findings
    [(path, message)] = problems(json.dumps(data))
    assert path == "$.read_findings" and "expected a list" in message


def test_a_finding_names_any_cell_and_each_bad_one_by_its_index() -> None:
    data = document()
    finding: dict[str, Any] = {"rule": "read-x", "severity": "info",
               "cells": ["applications/received/total", "extra/row/cell"]}
    data["read_findings"] = [finding]
    [read] = loads(json.dumps(data)).read_findings
    assert read.cells == (CellRef("applications", "received", "total"),
                          CellRef("extra", "row", "cell"))
    finding["cells"] = ["applications/received/total", "x", 3, {}]
    assert [p for p, _ in problems(json.dumps(data))] == [
        f"$.read_findings[0].cells[{i}]" for i in (1, 2, 3)]


def test_unplaced_must_be_a_list() -> None:
    data = document()
    data["unplaced"] = "abc"
    assert [p for p, _ in problems(json.dumps(data))] == ["$.unplaced"]


def test_a_table_that_is_not_an_object_says_so() -> None:
    data = document()
    data["appeals"] = []
    [(path, message)] = problems(json.dumps(data))
    assert path == "$.appeals" and "expected an object" in message


def test_a_bad_provenance_field_names_its_cell() -> None:
    data = document()
    data["provenance"] = {"appeals/review/total": {"line": "x"}}
    [(path, _)] = problems(json.dumps(data))
    assert path == "$.provenance.appeals/review/total.line"


def test_truncated_document() -> None:
    text = dumps(zeros())
    with pytest.raises(ReadError) as caught:
        loads(text.rstrip()[:-1])  # the closing brace is missing
    [problem] = caught.value.problems
    assert "truncated" in problem.message and problem.line is not None
    with pytest.raises(ReadError) as caught:
        loads(text[: len(text) // 2])
    [problem] = caught.value.problems
    assert problem.line is not None and problem.line > 1


@pytest.mark.parametrize(("text", "message", "place"), [
    ("hello", "not valid JSON: Expecting value", (1, 1)),
    ("", "the document ends too early", (1, 1)),
    ("{'format': 1}", "not valid JSON: Expecting property name", (1, 2)),
    ("[" * 100_000, "not a report: the JSON nests too deeply", (None, None)),
])
def test_not_json_at_all(text: str, message: str, place: tuple[int | None, int | None]) -> None:
    with pytest.raises(ReadError) as caught:
        loads(text)
    [problem] = caught.value.problems
    assert problem.message.startswith(message)
    assert (problem.line, problem.column) == place


@pytest.mark.parametrize("text", ["[1, 2]", '"report"', "3", "null"])
def test_json_that_is_not_an_object(text: str) -> None:
    assert [p for p, _ in problems(text)] == ["$"]


def test_read_error_is_a_value_error_naming_the_path() -> None:
    data = document()
    data["appeals"]["review"]["upheld"] = -1.5
    with pytest.raises(ValueError, match=r"\$\.appeals\.review\.upheld") as caught:
        loads(json.dumps(data), source="report.json")
    assert isinstance(caught.value, GovDisclosureError)
    assert str(caught.value).startswith("report.json: ")


def test_a_50_mb_file_fails_with_paths(tmp_path: Path) -> None:
    data = document()
    data["applications"]["received"]["natural_person"] = "many"
    data["padding"] = ["政府信息公开" * 100] * 30_000  # about 54 MB in UTF-8
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    with pytest.raises(ReadError) as caught:
        load(path)
    assert caught.value.source == str(path)
    assert sorted(p.path or "" for p in caught.value.problems) == [
        "$.applications.received.natural_person", "$.padding",
    ]



# --- any change to a document is read, or refused with its place ------------------

JUNK = st.sampled_from([
    None, True, False, 0, -1, 7, 10**20, 1.5, "", "1", "0.10", "1e3", "NaN", "-2",
    [], [1], ["x"], {}, {"printed": "/"}, {"printed": ""}, {"printed": 1}, {"x": 1},
    {"heading": "一、总体情况"}, {"line": 3}, {"line": 0}, {"line": -1}, {"line": None},
])


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _outcome(read: Any) -> tuple[Any, ...]:
    try:
        report = read()
    except ReadError as error:
        return ("error", sorted((p.path or "", p.message) for p in error.problems))
    return ("ok", report, dict(report.provenance), dict(report.headings), report.read_findings)


def changed_document(report: Report, data: Any) -> dict[str, Any]:
    """The document of ``report`` with one value replaced, deleted or added."""
    doc: dict[str, Any] = json.loads(dumps(report))
    path = data.draw(st.sampled_from(_paths(doc)[1:]), label="path")
    parent: Any = doc
    for step in path[:-1]:
        parent = parent[step]
    action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="action")
    if action == "replace":
        parent[path[-1]] = data.draw(JUNK, label="value")
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent["unexpected"] = data.draw(JUNK, label="value")
    else:
        parent.append(data.draw(JUNK, label="value"))
    return doc


@given(reports(blanks=True, provenance=True), st.data())
def test_a_changed_document_is_read_or_refused_with_its_place(report: Report, data: Any) -> None:
    doc = changed_document(report, data)
    outcome = _outcome(lambda: from_data(doc))
    if outcome[0] == "error":
        assert outcome[1] and all(path.startswith("$") for path, _ in outcome[1])
    else:
        # What was read writes back to a document that reads to the same report.
        assert _outcome(lambda: from_data(to_data(outcome[1]))) == outcome
