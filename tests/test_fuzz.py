"""Fuzzing every reader with mutated reports (issue 11).

Two properties, with a bounded number of examples (the hypothesis profile in
``conftest.py``; deterministic in CI):

- whatever the mutation, a reader answers with a report or a ``ReadError``
  (never another exception), and every writer and ``validate`` accept what it
  read;
- a mutation that touches no digit (separators, line breaks, stray letters or
  markup) either reads the same numbers, or the report says something is
  wrong: a reader finding, a failed rule or a cell not assessable.

``bench/fuzz.py`` runs the same mutations for longer and prints the crashes
and the slowest input.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.errors import ReadError
from govdisclosure.model.cells import Blank
from govdisclosure.model.schema import cell_values
from govdisclosure.testing.samples import sample_report

CORPUS = Path(__file__).parent / "corpus"

SOURCES: dict[str, str] = {
    "text": (CORPUS / "ulanqab-2020.txt").read_text("utf-8"),
    "markdown": (CORPUS / "shanghai-office-2025.md").read_text("utf-8"),
    "html": (CORPUS / "pingtan-2021.html").read_text("utf-8"),
    "json": gd.dumps(sample_report(3, "2021")),
    "generated html": gd.dumps(sample_report(4, "2019"), "html"),
}
FORMAT = {"generated html": "html"}
#: What a mutation may insert: separators, breaks, markup, letters, hostile characters.
PIECES = ["|", "｜", "\t", " ", "\n", "\n\n", "<td>", "</tr>", "<div>", "<", "&", "&#0;",
          "—", "/", "无", "一、", "总计", "x", "\"", "{", "]", ",", "\x00", "\ud800", "\ufeff",
          "1", "9" * 40, "1e999999999", "NaN", "-"]
#: The same without digits: a mutation that changes no number the page printed.
NO_DIGITS = [p for p in PIECES if not any(c.isdigit() for c in p)
             and p not in ("&#0;", "NaN", "\x00", "\ud800")]


@st.composite
def mutated(draw: st.DrawFn, text: str, pieces: list[str], digits: bool = True) -> str:
    """``text`` with one to four edits: a piece inserted, a character deleted,
    a line dropped or doubled (a digit, or a line with one, only when ``digits``)."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("insert", "delete", "drop", "double")))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(pieces)) + text[at:]
        elif kind == "delete" and text and (digits or not text[at].isdigit()):
            text = text[:at] + text[at + 1:]
        elif kind in ("drop", "double"):
            lines = text.split("\n")
            i = at % len(lines)
            if not digits and any(c.isdigit() for c in lines[i]):
                pass  # doubling a line of markup with a digit makes 3 into 33
            elif kind == "double":
                lines[i:i + 1] = [lines[i], lines[i]]
            else:
                lines[i:i + 1] = []
            text = "\n".join(lines)
    return text


def _numbers(report: gd.Report) -> tuple[object, ...]:
    return tuple(None if isinstance(v, Blank) else v for v in cell_values(report))


def _says_something(report: gd.Report) -> bool:
    return any(f.failed or f.status.value == "not_assessable"
               for f in gd.validate(report).findings)


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("source", list(SOURCES))
@FUZZ
@given(data=st.data())
def test_readers_answer_with_a_report_or_a_read_error(source: str, data: st.DataObject) -> None:
    text = data.draw(mutated(SOURCES[source], PIECES))
    try:
        report = gd.loads(text, FORMAT.get(source, source))
    except ReadError as error:
        str(error).encode("utf-8")  # a message that prints
        return
    gd.validate(report)
    for fmt in ("json", "text", "markdown", "csv", "html"):
        gd.dumps(report, fmt).encode("utf-8")


@pytest.mark.parametrize("source", ["text", "markdown", "html", "generated html"])
@FUZZ
@given(data=st.data())
def test_a_mutation_reads_the_same_numbers_or_is_reported(source: str,
                                                          data: st.DataObject) -> None:
    fmt = FORMAT.get(source, source)
    original = gd.loads(SOURCES[source], fmt)
    text = data.draw(mutated(SOURCES[source], NO_DIGITS, digits=False))
    try:
        report = gd.loads(text, fmt)
    except ReadError:
        return
    if _numbers(report) != _numbers(original):
        assert _says_something(report), "numbers changed and nothing was reported"


@FUZZ
@given(data=st.data())
def test_json_mutations_are_read_or_refused_with_a_path(data: st.DataObject) -> None:
    document = json.loads(SOURCES["json"])
    text = data.draw(mutated(json.dumps(document, ensure_ascii=False), PIECES))
    try:
        gd.loads(text)
    except ReadError as error:
        assert all(p.path is not None or p.line is not None for p in error.problems), error
