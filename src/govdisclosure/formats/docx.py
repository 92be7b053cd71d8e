"""The ``docx`` format: Word reports in and out (needs ``pip install 'govdisclosure[docx]'``).

Reading walks the document body in order: each paragraph is a row of text, each
table row a row of the cells of its real grid (a merged cell once, in the first
row and column it covers, as python-docx repeats it in every grid cell), each
cell's text as written; the rows go to the one decoder every source feeds, as
the HTML and PDF formats' do.
Writing prints the official layout: the title, sections 一 to 六 as headings
and paragraphs, and the three tables with their merged header cells and row
groups; what it writes reads back as the same report. A legacy ``.doc`` file
is refused with the command that converts it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..errors import Problem, ReadError
from ..model.report import Report, Section
from ..model.schema import RowSpec, TableSpec, form_of, get_cell
from ..model.tables import ExtraRow
from . import Format, ReadOptions
from ._textread import SourceRow, decode
from ._writing import (
    APPLICANTS_LABEL,
    APPLICATIONS_NOTE,
    INFORMATION_LABEL,
    LEGAL_PERSONS_LABEL,
    LITIGATION_LABEL,
    RESULTS_LABEL,
    cell_text,
    extra_rows_after,
    publisher_line,
    section_heading,
    table_heading,
    title_of,
)

if TYPE_CHECKING:
    from ..model.findings import Finding

__all__ = ["FORMAT", "INSTALL", "flatten", "read", "write"]

#: What to run when python-docx is missing.
INSTALL = "pip install 'govdisclosure[docx]'"
#: What converts a legacy ``.doc`` (or RTF) file into one this format reads.
CONVERT = "soffice --headless --convert-to docx FILE"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(source: str | None) -> Any:
    try:
        import docx
    except ImportError:
        raise ReadError(
            [Problem(message=f"reading and writing Word files needs the docx extra: {INSTALL}",
                     message_zh=f"读写 Word 文件需要 docx 扩展：{INSTALL}")],
            source,
        ) from None
    return docx


# --- Reading -------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Flattened:
    """The document as the decoder's rows (a paragraph, or a table row's cells),
    each with where it stood (``段落 3`` / ``表 2 第 5 行``, and in English)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    rows: tuple[SourceRow, ...]
    places: tuple[tuple[str, str], ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """The rows as lines for people to read (:meth:`SourceRow.show`)."""
        return tuple(row.show() for row in self.rows)


def _row_lines(table: Any, paragraph_text: Any) -> Iterator[list[str]]:
    """Each row of a table (a ``w:tbl`` element) as its cells in grid order, a
    merged cell once, in the first row and column it covers: a cell spanning
    columns (``gridSpan``) is one ``w:tc``, and the rows a cell spans downwards
    (``vMerge`` continued) are skipped. Read from the XML, which python-docx's
    grid (the text repeated in every grid cell) would rebuild for every row."""
    for tr in table.iterchildren(f"{_W}tr"):
        out: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            properties = tc.find(f"{_W}tcPr")
            merge = properties.find(f"{_W}vMerge") if properties is not None else None
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                continue
            # the cell's text as written: its paragraphs one per line
            out.append("\n".join(paragraph_text(p) for p in tc.iterchildren(f"{_W}p")).strip())
        # a row of empty cells is kept: a table 四 printed all blank is such a row
        yield out


_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text: its runs' text in order, a tab as a space and a line
    break as a new line (hyperlinks and fields included, deleted text not)."""
    parts: list[str] = []
    for element in paragraph.iter(_T, _TAB, _BR, _CR):
        tag = element.tag
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of the body in order, content controls opened."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                yield from _blocks(content)


def flatten(data: bytes, source: str | None = None) -> Flattened:
    """A Word document as the decoder's rows: each line of a paragraph a row of
    text, each table row its cells. Raises :class:`ReadError` for a legacy ``.doc``
    and for bytes that are no Word document."""
    docx = _docx(source)
    if data.startswith(_OLE2) or data.lstrip().startswith(b"{\\rtf"):
        raise ReadError([Problem(
            message=f"this is a legacy Word .doc (or RTF) file, not .docx; convert it first: "
            f"{CONVERT}",
            message_zh=f"这是旧版 Word .doc（或 RTF）文件，不是 .docx；请先转换：{CONVERT}",
        )], source)
    if not data.startswith(_ZIP):
        raise ReadError([Problem(message="not a Word .docx file (a .docx is a ZIP package)",
                                 message_zh="不是 Word .docx 文件（.docx 是 ZIP 包）")],
                        source)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zip, XML and key errors alike
        raise ReadError([Problem(message=f"cannot open the Word document: {error}",
                                 message_zh="无法打开 Word 文档：文件已损坏或不完整"
                                 f"（{type(error).__name__}）")],
                        source) from None
    paragraph_text = _paragraph_text

    rows: list[SourceRow] = []
    places: list[tuple[str, str]] = []
    paragraph = table_number = 0
    for block in _blocks(document.element.body):
        if block.tag == f"{_W}p":
            paragraph += 1
            # a line break inside a paragraph is a line of its own
            for text in paragraph_text(block).split("\n"):
                rows.append(SourceRow.text(text))
                places.append((f"段落 {paragraph}", f"paragraph {paragraph}"))
        else:
            table_number += 1
            for r, cells in enumerate(_row_lines(block, paragraph_text), 1):
                rows.append(SourceRow(cells=tuple(cells)))
                places.append((f"表 {table_number} 第 {r} 行", f"table {table_number}, row {r}"))
    return Flattened(tuple(rows), tuple(places))


def _remap(findings: Sequence[Finding], flat: Flattened) -> tuple[Finding, ...]:
    out = []
    for f in findings:
        if f.line is not None and 1 <= f.line <= len(flat.places):
            zh, en = flat.places[f.line - 1]
            f = attrs.evolve(f, message=f"{f.message}（{zh}）", message_en=f"{f.message_en} ({en})")
        out.append(f)
    return tuple(out)


def read(data: bytes, options: ReadOptions) -> Report:
    """Read a report from the bytes of a ``.docx`` file."""
    flat = flatten(data, options.source)
    try:
        report = decode(flat.rows, options)
    except ReadError as error:
        raise ReadError(
            [attrs.evolve(p, message=f"{p.message} ({flat.places[p.line - 1][1]})",
                          message_zh=f"{p.message_zh or p.message}（{flat.places[p.line - 1][0]}）")
             if p.line is not None and 1 <= p.line <= len(flat.places) else p
             for p in error.problems],
            error.source,
        ) from None
    return attrs.evolve(report, read_findings=_remap(report.read_findings, flat))


# --- Writing -------------------------------------------------------------------------


@attrs.define(slots=True)
class _Grid:
    """A table's cells before it is drawn: each cell at a row and column, with the
    number of columns and rows it covers."""

    __repr__ = fields_repr

    width: int
    rows: int = 0
    cells: list[tuple[int, int, str, int, int]] = attrs.field(factory=list)

    def row(self) -> int:
        self.rows += 1
        return self.rows - 1

    def put(self, row: int, col: int, text: str, cols: int = 1, rows: int = 1) -> None:
        self.cells.append((row, col, text, cols, rows))
        self.width = max(self.width, col + cols)

    def extra(self, row: int, first: int, label_to: int, extra: ExtraRow) -> None:
        """An extra row: its label from column ``first`` to ``label_to``, then its cells."""
        self.put(row, first, extra.label, label_to - first + 1)
        for k, text in enumerate(extra.cells):
            self.put(row, label_to + 1 + k, text)


def _values(report: Report, row: RowSpec) -> list[str]:
    return [cell_text(get_cell(report, ref)) for ref in row.refs()]


def _active_grid(report: Report, table: TableSpec) -> _Grid:
    grid = _Grid(4)
    placed, at_end = extra_rows_after(table, report.active.extra_rows)
    group: str | None = None
    for row in table.rows:
        if row.group != group:
            group = row.group
            grid.put(grid.row(), 0, row.group_label or "", 4)
            r = grid.row()
            grid.put(r, 0, INFORMATION_LABEL)
            if len(row.columns) == 1:
                grid.put(r, 1, row.columns[0].label, 3)
            else:
                for k, column in enumerate(row.columns):
                    grid.put(r, 1 + k, column.label)
        r = grid.row()
        grid.put(r, 0, row.label)
        values = _values(report, row)
        if len(values) == 1:
            grid.put(r, 1, values[0], 3)
        else:
            for k, value in enumerate(values):
                grid.put(r, 1 + k, value)
        for extra in placed.get(row.key, ()):
            grid.extra(grid.row(), 0, 0, extra)
    for extra in at_end:
        grid.extra(grid.row(), 0, 0, extra)
    return grid


def _applications_grid(report: Report, table: TableSpec) -> _Grid:
    columns = table.rows[0].columns
    n = len(columns)
    grid = _Grid(3 + n)
    h1, h2, h3 = grid.row(), grid.row(), grid.row()
    grid.put(h1, 0, APPLICATIONS_NOTE, 3, 3)
    grid.put(h1, 3, APPLICANTS_LABEL, n)
    grid.put(h2, 3, columns[0].label, 1, 2)
    grid.put(h2, 4, LEGAL_PERSONS_LABEL, n - 2)
    grid.put(h2, 3 + n - 1, columns[-1].label, 1, 2)
    for k, column in enumerate(columns[1:-1]):
        grid.put(h3, 4 + k, column.label)
    placed, at_end = extra_rows_after(table, report.applications.extra_rows)
    # The rows in print order, extra rows in their places, to know the spans.
    sequence: list[RowSpec | ExtraRow] = []
    for row in table.rows:
        sequence.append(row)
        sequence.extend(placed.get(row.key, ()))
    sequence.extend(at_end)
    index = {id(item): i for i, item in enumerate(sequence)}
    keys = [row.key for row in table.rows]
    first = index[id(table.rows[keys.index("granted")])]
    last = index[id(table.rows[keys.index("total_handled")])]
    groups: dict[str, tuple[int, int]] = {}
    for row in table.rows:
        if row.group is not None:
            start, _ = groups.get(row.group, (index[id(row)], 0))
            groups[row.group] = (start, index[id(row)])
    for i, item in enumerate(sequence):
        r = grid.row()
        inside = first <= i <= last
        in_group = any(a <= i <= b for a, b in groups.values())
        if i == first:
            grid.put(r, 0, RESULTS_LABEL, 1, last - first + 1)
        if isinstance(item, ExtraRow):
            grid.extra(r, 2 if in_group else 1 if inside else 0, 2, item)
            continue
        if item.group is None:
            grid.put(r, 1 if inside else 0, item.label, 2 if inside else 3)
        else:
            a, b = groups[item.group]
            if i == a:
                grid.put(r, 1, item.group_label or "", 1, b - a + 1)
            grid.put(r, 2, item.label)
        for k, value in enumerate(_values(report, item)):
            grid.put(r, 3 + k, value)
    return grid


def _appeals_grid(report: Report, table: TableSpec) -> _Grid:
    first, *rest = table.rows
    n = len(first.columns)
    grid = _Grid(3 * n)
    h1, h2, h3, values = grid.row(), grid.row(), grid.row(), grid.row()
    grid.put(h1, 0, first.label, n)
    grid.put(h1, n, LITIGATION_LABEL, 2 * n)
    for k, column in enumerate(first.columns):
        grid.put(h2, k, column.label, 1, 2)
    for g, row in enumerate(rest):
        grid.put(h2, n * (g + 1), row.label.split("/", 1)[-1], n)
        for k, column in enumerate(row.columns):
            grid.put(h3, n * (g + 1) + k, column.label)
    for k, value in enumerate(v for row in table.rows for v in _values(report, row)):
        grid.put(values, k, value)
    placed, at_end = extra_rows_after(table, report.appeals.extra_rows)
    for row in table.rows:
        for extra in placed.get(row.key, ()):
            grid.extra(grid.row(), 0, 0, extra)
    for extra in at_end:
        grid.extra(grid.row(), 0, 0, extra)
    return grid


_GRIDS = {"active": _active_grid, "applications": _applications_grid, "appeals": _appeals_grid}


def _tc(text: str, cols: int, merge: str | None) -> Any:
    """A table cell element spanning ``cols`` grid columns; ``merge`` is
    ``restart`` for the first row of a cell spanning rows, ``continue`` below."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc = OxmlElement("w:tc")
    properties = OxmlElement("w:tcPr")
    if cols > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(cols))
        properties.append(span)
    if merge is not None:
        vmerge = OxmlElement("w:vMerge")
        if merge == "restart":
            vmerge.set(qn("w:val"), "restart")
        properties.append(vmerge)
    tc.append(properties)
    # the text as it is: each of its lines a paragraph (a cell holds at least one)
    for line in text.split("\n"):
        paragraph = OxmlElement("w:p")
        if line:
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = line
            t.set(qn("xml:space"), "preserve")
            run.append(t)
            paragraph.append(run)
        tc.append(paragraph)
    return tc


def _draw(document: Any, grid: _Grid) -> None:
    """The grid as a Word table with a border on every cell: a cell spanning
    columns is one ``w:tc`` with ``gridSpan``, one spanning rows is continued
    (``vMerge``) in the rows below (python-docx's own merging costs a search of
    the table for every merge)."""
    from docx.oxml import OxmlElement

    table = document.add_table(rows=0, cols=grid.width)
    table.style = document.styles["Table Grid"]
    starts = {(r, c): (text, cols, rows) for r, c, text, cols, rows in grid.cells}
    below = {(r + k, c): cols for r, c, _, cols, rows in grid.cells for k in range(1, rows)}
    for r in range(grid.rows):
        tr = OxmlElement("w:tr")
        c = 0
        while c < grid.width:
            if (r, c) in starts:
                text, cols, rows = starts[r, c]
                tr.append(_tc(text, cols, "restart" if rows > 1 else None))
            elif (r, c) in below:
                cols = below[r, c]
                tr.append(_tc("", cols, "continue"))
            else:
                cols = 1
                tr.append(_tc("", 1, None))
            c += cols
        table._tbl.append(tr)


def _paragraph(document: Any, text: str, style: str | None = None) -> None:
    """A paragraph, its style set by id (looking a style up by name costs a
    search of the styles part each time)."""
    paragraph = document.add_paragraph(text)
    if style is not None:
        paragraph._p.get_or_add_pPr().style = style


def _paragraphs(document: Any, text: str) -> None:
    for line in text.split("\n"):
        _paragraph(document, line)


def _section(document: Any, report: Report, field: str) -> None:
    section: Section | None = getattr(report, field)
    if section is None:
        return
    _paragraph(document, section_heading(section, field), "Heading1")
    if section.body:
        _paragraphs(document, section.body)


def write(report: Report) -> bytes:
    """The report as a Word document in the official layout, read back as the same
    report; deterministic (the same report gives the same bytes: the document's
    dates and the package's file times are fixed)."""
    docx = _docx(None)
    from docx.oxml.ns import qn

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    publisher = publisher_line(report)
    if publisher is not None:
        _paragraph(document, publisher)
    title = title_of(report)
    if title is not None:
        _paragraph(document, title, "Title")
    if report.introduction:
        _paragraphs(document, report.introduction)
    _section(document, report, "overview")
    for table in form_of(report).tables:
        _paragraph(document, table_heading(report, table.key), "Heading1")
        _draw(document, _GRIDS[table.key](report, table))
    _section(document, report, "problems")
    _section(document, report, "other_matters")
    properties = document.core_properties
    properties.title = title or ""
    properties.author = properties.last_modified_by = "govdisclosure"
    import datetime

    fixed = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    properties.created = properties.modified = fixed
    properties.revision = 1
    saved = io.BytesIO()
    document.save(saved)
    return _fixed_times(saved.getvalue())


def _fixed_times(package: bytes) -> bytes:
    """The package rewritten with every member dated 1980-01-01 (ZIP's epoch)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


FORMAT = Format(
    name="docx",
    description="Word: .docx reports (read and write); a legacy .doc is refused with the "
    "command that converts it (needs the docx extra)",
    description_zh="Word：读写 .docx 报告；旧版 .doc 不读，并给出转换的命令（需要 docx 扩展）",
    extensions=(".docx", ".doc"),
    read_only_extensions=(".doc",),
    read_bytes=read,
    write_bytes=write,
)
