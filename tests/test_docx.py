"""The Word format: real table grids in, the official layout out.

Reading is tested on the official 2021 form as a blank Word template
(``tests/corpus/forms/template-2021.docx``) filled in here, cell by cell, from
generated reports; writing by reading back what was written, over generated
reports, and by the shape of the tables python-docx sees.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import docx
import pytest
from hypothesis import given, settings

import govdisclosure as gd
from editions import of_2021
from govdisclosure import CellRef, Report
from govdisclosure.cli import main
from govdisclosure.errors import FormatError, ReadError
from govdisclosure.formats._writing import cell_text
from govdisclosure.formats.docx import flatten
from govdisclosure.model import iter_cells
from govdisclosure.templates import new_report
from govdisclosure.testing import strategies
from govdisclosure.testing.samples import sample_report
from test_roundtrip import named_reports, representable

TEMPLATE = Path(__file__).parent / "corpus" / "forms" / "template-2021.docx"


# --- The official template, filled in code --------------------------------------------


def _unique(cells: Sequence[Any]) -> list[Any]:
    """A row's cells, a cell merged over several columns once."""
    out: list[Any] = []
    for cell in cells:
        if not out or out[-1]._tc is not cell._tc:
            out.append(cell)
    return out


def _label(text: str) -> str:
    return "".join(text.split())


def fill_template(report: Report) -> bytes:
    """The template with every value cell, the title and the narrative filled in
    from ``report``; a row of the form missing from the template fails."""
    document = docx.Document(str(TEMPLATE))
    spec = gd.form(report.edition)
    active, applications, appeals = document.tables
    filled: set[CellRef] = set()

    def put(cells: Sequence[Any], row_key: str, table: str) -> None:
        refs = spec.row(table, row_key).refs()
        assert len(cells) == len(refs), (table, row_key, len(cells))
        for cell, ref in zip(cells, refs, strict=True):
            cell.text = cell_text(gd.get_cell(report, ref))
            filled.add(ref)

    rows_by_label = {
        (t.key, _label(r.label)): r.key for t in spec.tables for r in t.rows
    }
    for table_key, table in (("active", active), ("applications", applications)):
        for row in table.rows:
            cells = _unique(row.cells)
            # the row's label is the last cell naming a row of the form
            for cut in range(len(cells) - 1, 0, -1):
                key = rows_by_label.get((table_key, _label(cells[cut - 1].text)))
                if key is not None:
                    put(cells[cut:], key, table_key)
                    break
    last = _unique(appeals.rows[-1].cells)
    refs = [ref for row in spec.table("appeals").rows for ref in row.refs()]
    assert len(last) == len(refs)
    for cell, ref in zip(last, refs, strict=True):
        cell.text = cell_text(gd.get_cell(report, ref))
        filled.add(ref)
    assert filled == set(spec.refs()), set(spec.refs()) - filled
    # the narrative: the title, and each section's text in place of （文字描述）
    paragraphs = document.paragraphs
    bodies = {"一、总体情况": report.overview, "五、存在的主要问题及改进情况": report.problems,
              "六、其他需要报告的事项": report.other_matters}
    for i, paragraph in enumerate(paragraphs):
        if paragraph.text == "政府信息公开工作年度报告格式模板":
            paragraph.text = report.title or ""
        section = bodies.get(paragraph.text)
        if section is not None:
            paragraphs[i + 1].text = section.body
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _assert_same_cells(read: Report, report: Report) -> None:
    wrong = [(str(ref), value, gd.get_cell(read, ref)) for ref, value in iter_cells(report)
             if gd.get_cell(read, ref) != value]
    assert not wrong


def test_the_filled_template_reads_back_exactly() -> None:
    report = sample_report(0)
    assert report.edition == "2021"
    read = gd.loads(fill_template(report), "docx")
    _assert_same_cells(read, report)
    assert (read.title, read.agency, read.year) == (report.title, report.agency, report.year)
    assert read.overview is not None and report.overview is not None
    assert read.overview.body == report.overview.body
    assert [f.rule for f in read.read_findings] == []


@settings(max_examples=10)
@given(report=strategies.reports("2021", blanks=True))
def test_any_filled_template_reads_back_its_cells(report: Report) -> None:
    report = attrs.evolve(report, title="某县人民政府2022年政府信息公开工作年度报告")
    _assert_same_cells(gd.loads(fill_template(report), "docx"), report)


def test_merged_cells_appear_once_in_their_first_row_and_column() -> None:
    lines = flatten(TEMPLATE.read_bytes()).lines
    assert "第二十条第（五）项 |" in lines  # a caption merged over four columns
    assert "信息内容 | 本年处理决定数量 |" in lines
    # a group label merged down its rows opens the first only
    first = next(ln for ln in lines if "1.属于国家秘密" in ln)
    assert first.startswith("（三）不予公开 | 1.属于国家秘密 |")
    second = next(ln for ln in lines if "2.其他法律行政法规禁止公开" in ln)
    assert second.startswith("2.其他法律行政法规禁止公开 |")
    assert sum("三、本年度办理结果" in ln for ln in lines) == 1
    # an empty value cell stays an empty cell
    assert "规章 | | | |" in lines


# --- Writing ---------------------------------------------------------------------------


@settings(max_examples=12)
@given(report=named_reports())
def test_written_documents_read_back_the_same_report(report: Report) -> None:
    data = gd.dumpb(report, "docx")
    assert gd.loads(data, "docx") == representable(report)
    assert gd.dumpb(report, "docx") == data  # deterministic, to the byte


@pytest.mark.parametrize("seed", [0, 1])
def test_written_tables_have_the_official_merged_layout(seed: int) -> None:
    report = sample_report(seed)
    document = docx.Document(io.BytesIO(gd.dumpb(report, "docx")))
    _, applications, appeals = document.tables
    assert len(applications.columns) == 10 and len(appeals.columns) == 15
    head = applications.rows[0].cells
    assert head[0]._tc is head[2]._tc is applications.rows[2].cells[0]._tc  # the note
    assert head[3].text == "申请人情况" and head[3]._tc is head[9]._tc
    results = [r.cells[0] for r in applications.rows if r.cells[0].text == "三、本年度办理结果"]
    assert len({c._tc for c in results}) == 1  # one cell down the outcome rows
    assert len(results) == len(gd.form(report.edition).table("applications").rows) - 3
    assert appeals.rows[0].cells[5].text == "行政诉讼"
    assert appeals.rows[0].cells[5]._tc is appeals.rows[0].cells[14]._tc
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name == "Heading 1"]
    assert headings[:4] == ["一、总体情况", "二、主动公开政府信息情况",
                            "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况"]


def test_dump_writes_bytes_and_dumps_points_to_dumpb(tmp_path: Path) -> None:
    report = sample_report(1)
    path = tmp_path / "report.docx"
    gd.dump(report, path)
    assert path.read_bytes() == gd.dumpb(report, "docx")
    assert gd.load(path) == report
    with pytest.raises(FormatError, match="dumpb"):
        gd.dumps(report, "docx")
    assert gd.dumpb(report, "json") == gd.dumps(report, "json").encode("utf-8")


def test_nothing_is_written_under_a_legacy_doc_name(tmp_path: Path) -> None:
    report = sample_report(1)
    with pytest.raises(FormatError, match=r"\.docx"):
        gd.dump(report, tmp_path / "report.doc")
    with pytest.raises(FormatError, match=r"\.docx"):
        gd.dump(report, tmp_path / "REPORT.DOC", "docx")
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "other.doc"
    source = tmp_path / "report.json"
    gd.dump(report, source)
    assert main(["convert", str(source), "--to", "docx", "-o", str(target)], out, err) == 2
    assert ".docx" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not (tmp_path / "report.doc").exists() and not target.exists()


def test_cli_converts_to_and_from_word(tmp_path: Path) -> None:
    source = tmp_path / "report.json"
    gd.dump(sample_report(0), source)
    target = tmp_path / "report.docx"
    out, err = io.StringIO(), io.StringIO()
    assert main(["convert", str(source), "--to", "docx", "-o", str(target)], out, err) == 0
    assert gd.load(target) == gd.load(source)
    code = main(["convert", str(source), "--to", "docx"], out, err)
    assert code == 2 and "-o" in err.getvalue()  # bytes are not printed to a terminal


# --- Refused input ------------------------------------------------------------------------


def test_legacy_doc_names_the_conversion(tmp_path: Path) -> None:
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ReadError, match="soffice --headless --convert-to docx"):
        gd.load(path)


def test_bytes_that_are_no_word_document_are_refused() -> None:
    with pytest.raises(ReadError, match=r"not a Word \.docx"):
        gd.loads(b"plain text", "docx")
    with pytest.raises(ReadError, match="cannot open the Word document"):
        gd.loads(b"PK\x03\x04 broken", "docx")


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ReadError, match=r"pip install 'govdisclosure\[docx\]'"):
        gd.loads(TEMPLATE.read_bytes(), "docx")


@pytest.mark.parametrize("text", ["a | b", "一行\n两行", "甲|乙\n丙"])
def test_a_cell_keeps_its_text_exactly(text: str) -> None:
    # A "|" or a line break inside a cell is the cell's text: the Word table
    # row goes to the decoder as its cells, never as a line to split again.
    sample = of_2021(sample_report(1, "2021"))
    extra = gd.ExtraRow(label=text, cells=("1",) * 7, after=None)
    table = attrs.evolve(sample.applications, extra_rows=(extra,))
    report = attrs.evolve(sample, applications=table)
    data = gd.dumpb(report, "docx")
    rows = flatten(data).rows
    assert any(row.table and row.cells[:2] == (text, "1") for row in rows)
    [read] = gd.loads(data, "docx").applications.extra_rows
    assert (read.label, read.cells) == (text, extra.cells)


def test_cli_template_writes_the_blank_form_as_word(tmp_path: Path) -> None:
    target = tmp_path / "blank.docx"
    code = main(["template", "2021", "--year", "2025", "--agency", "某县人民政府",
                 "--to", "docx", "-o", str(target)], io.StringIO(), io.StringIO())
    assert code == 0
    blank = gd.load(target)
    form = new_report("2021", year=2025, agency="某县人民政府")
    assert blank == representable(form)
    # what a reader says of the blank form (sections it lacks) as for its text layout
    as_text = gd.loads(gd.dumps(form, "text"), "text")
    assert [f.rule for f in blank.read_findings] == [f.rule for f in as_text.read_findings]


CORPUS = Path(__file__).parent / "corpus"
# Every complete report of the corpus, whatever its source format.
CORPUS_FILES = sorted(
    str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*")
    if p.suffix in (".txt", ".md", ".html", ".pdf")
    and (CORPUS / "expected" / (p.stem + ".csv")).exists()
)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_report_as_word_reads_back_equal(name: str) -> None:
    report = gd.load(CORPUS / name)
    data = gd.dumpb(report, "docx")
    assert len(docx.Document(io.BytesIO(data)).tables) == 3
    assert gd.loads(data, "docx") == representable(report)
