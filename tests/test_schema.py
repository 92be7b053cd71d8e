"""The JSON Schema of the document: generated, valid, and agreeing with the reader."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure import ReadError, Report, dumps, from_data, json_schema
from govdisclosure.cli import main
from govdisclosure.model import Edition
from govdisclosure.testing.strategies import reports
from test_json import changed_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def _errors(document: Any, edition: Edition | None = None) -> list[str]:
    validator = VALIDATOR if edition is None else jsonschema.Draft202012Validator(
        json_schema(edition))
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize("edition", [None, "2019", "2021"])
def test_the_schema_is_a_valid_draft_2020_12_schema(edition: Edition | None) -> None:
    schema = json_schema(edition)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_follows_the_form() -> None:
    # Every cell of the form is in the schema, with its kind: nothing is listed by hand.
    for edition in gd.EDITIONS:
        schema = json_schema(edition)
        for ref in gd.form(edition).refs():
            node = schema["properties"][ref.table]
            for part in ref.row.split("."):
                node = node["properties"][part]
            assert ref.column in node["required"]
        prov = schema["properties"]["provenance"]["propertyNames"]["enum"]
        assert prov == [str(ref) for ref in gd.form(edition).refs()]


@pytest.mark.parametrize("path", sorted(
    p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx")
    and "expected" not in p.parts), ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_report_passes(path: Path) -> None:
    report = gd.load(path)
    document = json.loads(dumps(report, "json"))
    assert _errors(document) == []
    assert _errors(document, report.edition) == []
    other: Edition = "2019" if report.edition == "2021" else "2021"
    assert _errors(document, other)  # an edition's schema takes only its documents


@given(reports(blanks=True, provenance=True))
def test_every_generated_report_passes(report: Report) -> None:
    assert _errors(json.loads(dumps(report, "json"))) == []


def _refused(document: Any) -> bool:
    try:
        from_data(document)
    except ReadError:
        return True
    return False


def _integral_float(node: Any) -> bool:
    """Whether ``node`` holds a float with no fraction: JSON Schema's ``integer``
    takes ``1.0``, the reader does not (docs/json.md)."""
    if isinstance(node, float):
        return node.is_integer()
    if isinstance(node, dict):
        return any(_integral_float(v) for v in node.values())
    if isinstance(node, list):
        return any(_integral_float(v) for v in node)
    return False


@given(reports(blanks=True, provenance=True), st.data())
def test_what_the_reader_refuses_the_schema_refuses(report: Report, data: Any) -> None:
    document = changed_document(report, data)
    if _refused(document) and not _integral_float(document):
        assert _errors(document), json.dumps(document, ensure_ascii=False)[:300]


@pytest.mark.parametrize("change", [
    lambda d: d["applications"]["received"].update(natural_person=True),
    lambda d: d["applications"]["received"].update(natural_person="3"),
    lambda d: d["applications"]["received"].update(natural_person=10**15),
    lambda d: d["active"]["art20_8"]["fees"].update(amount=10**40),
    lambda d: d["applications"]["received"].pop("total"),
    lambda d: d["applications"].update(unexpected=1),
    lambda d: d["appeals"]["review"].update(total={"printed": 3}),
    lambda d: d["active"]["art20_8"]["fees"].update(amount="NaN"),
    lambda d: d["active"]["art20_8"]["fees"].update(amount=1.5),
    lambda d: d.update(edition="2020"),
    lambda d: d.update(version=2),
    lambda d: d.update(provenance={"applications/nowhere/total": {"line": 3}}),
    lambda d: d.update(read_findings=[{"rule": "I1", "severity": "fatal"}]),
])
def test_broken_documents_are_refused_by_both(change: Any) -> None:
    report = gd.build_report("2021", {}, year=2021)
    document = json.loads(dumps(report, "json"))
    change(document)
    assert _refused(document)
    assert _errors(document)


def test_the_schema_in_the_docs_is_what_the_command_prints() -> None:
    out = io.StringIO()
    assert main(["schema"], stdout=out) == 0
    kept = (Path(__file__).resolve().parent.parent / "docs" / "report.schema.json")
    assert kept.read_text("utf-8") == out.getvalue(), (
        "docs/report.schema.json is out of date: regenerate it with "
        "govdisclosure schema > docs/report.schema.json")


def test_the_schema_command_prints_the_schema() -> None:
    cases: list[tuple[list[str], Edition | None]] = [
        (["schema"], None), (["schema", "--edition", "2021"], "2021")]
    for argv, edition in cases:
        out = io.StringIO()
        assert main(argv, stdout=out) == 0
        assert json.loads(out.getvalue()) == json_schema(edition)
