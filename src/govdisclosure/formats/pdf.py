"""The ``pdf`` format: published PDF reports in (needs ``pip install 'govdisclosure[pdf]'``).

The characters of each page and their boxes come from pdfium (through
pypdfium2, chosen by measurement: ``docs/pdf.md``); :mod:`._pdflayout`
rebuilds the tables from those positions, never from the order in which the
file stores its text, and the rebuilt rows of cells go to the one decoder
(:class:`~._textread.SourceRow`), as the HTML format's do. Every cell's
provenance names the page and the position it was printed at. A PDF without
a text layer (a scan) is refused with a clear error: reading images (OCR) is
out of scope.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, ReadError
from ..model.cells import CellRef, CellSource
from ..model.report import Report
from ..model.schema import form
from . import Format, ReadOptions
from ._pdflayout import Glyph, Placed, Rebuilt, Rule, rebuild
from ._textread import SourceRow, decode

if TYPE_CHECKING:
    from ..model.findings import Finding

__all__ = ["FORMAT", "extract", "flatten", "read"]

#: What to run when pypdfium2 is missing.
INSTALL = "pip install 'govdisclosure[pdf]'"
#: The largest PDF read, in pages: a report has a handful; a book is refused.
MAX_PAGES = 200


def _pdfium() -> Any:
    try:
        import pypdfium2  # type: ignore[import-untyped]  # no type information shipped
    except ImportError:
        raise ReadError(
            [Problem(message=f"reading PDF needs the pdf extra: {INSTALL}",
                     message_zh=f"读取 PDF 需要 pdf 扩展：{INSTALL}")], None
        ) from None
    return pypdfium2


def extract(
    data: bytes, source: str | None = None
) -> tuple[list[list[Glyph]], list[float], list[list[Rule]]]:
    """Every character of every page with its box (y measured down from the top of
    its page), each page's height, and the lines drawn on each page. Raises
    :class:`ReadError` for bytes that are no PDF or that pdfium cannot open
    (damaged, encrypted), and for a PDF without a text layer."""
    pdfium = _pdfium()
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReadError([Problem(message="not a PDF file (it does not start with %PDF)",
                                 message_zh="不是 PDF 文件（开头不是 %PDF）")],
                        source)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        why = ("有密码保护" if "password" in str(error).lower()
               else "文件已损坏或不是有效的 PDF")
        raise ReadError([Problem(message=f"cannot open the PDF: {error}",
                                 message_zh=f"无法打开 PDF：{why}")], source) from None
    pages: list[list[Glyph]] = []
    heights: list[float] = []
    rules: list[list[Rule]] = []
    try:
        if len(document) > MAX_PAGES:
            raise ReadError([Problem(message=f"the PDF has {len(document)} pages; a report has "
                                     f"far fewer than {MAX_PAGES}, so it is refused unread",
                                     message_zh=f"PDF 有 {len(document)} 页；报告远少于 "
                                     f"{MAX_PAGES} 页，因此不予读取")],
                            source)
        for index in range(len(document)):
            page = document[index]
            height = page.get_height()
            textpage = page.get_textpage()
            glyphs = _glyphs(pdfium.raw, textpage, index, height)
            pages.append(glyphs)
            heights.append(height)
            rules.append(_rules(pdfium.raw, page, height) if glyphs else [])
            textpage.close()
            page.close()
    finally:
        document.close()
    if not any(pages):
        raise ReadError(
            [Problem(message=f"the PDF has {len(pages)} page(s) but no text layer: it is a scan "
                     "or images of text, and reading images (OCR) is not supported; run OCR "
                     "first and read the text it gives",
                     message_zh=f"PDF 有 {len(pages)} 页，但没有文字层：是扫描件或文字的图片，"
                     "本库不支持识别图片（OCR）；请先做 OCR，再读取得到的文字")],
            source,
        )
    return pages, heights, rules


def _glyphs(raw: Any, textpage: Any, index: int, height: float) -> list[Glyph]:
    """The page's characters with their boxes, through pdfium's own calls (one box
    reused for every character: the wrappers' per-call objects cost most of the
    time). A character's box is the font's extent at its size, so that the
    characters of a line share a top and bottom; where that extent is far larger
    than the glyph (a vertical run in some fonts), the glyph's own box, squared."""
    count = textpage.count_chars()
    if not count:
        return []
    # One text unit per character index, except that pdfium adds line breaks
    # of its own; those are skipped with the other spaces.
    text = textpage.get_text_range(0, count)
    handle = textpage.raw
    box = raw.FS_RECTF()
    tight = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(d) for d in tight]
    loose_box = raw.FPDFText_GetLooseCharBox
    glyphs: list[Glyph] = []
    for i in range(min(count, len(text))):
        ch = text[i]
        if ch.isspace() or ch == "\ufffe":
            continue
        loose_box(handle, i, ctypes.byref(box))
        left, right, top, bottom = box.left, box.right, box.top, box.bottom
        if max(right - left, top - bottom) > 40.0:
            raw.FPDFText_GetCharBox(handle, i, *refs)
            tl, tr, tb, tt = (d.value for d in tight)
            size = max(tr - tl, tt - tb)
            if max(right - left, top - bottom) > 3 * size:
                middle = (tt + tb) / 2
                left, right = tl, tr
                bottom, top = middle - size / 2, middle + size / 2
        if right <= left:
            continue
        glyphs.append(Glyph(ch, index, left, right, height - top, height - bottom))
    return glyphs


def _rules(raw: Any, page: Any, height: float) -> list[Rule]:
    """The page's drawn lines: paths at most 2.5 points thick (table borders; the
    boxes of whole tables and cells, drawn as one path, are not taken)."""
    out = []
    handle = page.raw
    bounds = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(b) for b in bounds]
    path = raw.FPDF_PAGEOBJ_PATH
    for k in range(raw.FPDFPage_CountObjects(handle)):
        obj = raw.FPDFPage_GetObject(handle, k)
        if raw.FPDFPageObj_GetType(obj) != path:
            continue
        raw.FPDFPageObj_GetBounds(obj, *refs)
        left, bottom, right, top = (b.value for b in bounds)
        rule = Rule(left, height - top, right, height - bottom)
        if rule.vertical or rule.horizontal:
            out.append(rule)
    return out


def flatten(data: bytes, source: str | None = None) -> Rebuilt:
    """The PDF rebuilt as pipe-flattened lines, each with the page and position it
    stood at (``flatten(data).text`` is what the text reader is given)."""
    pages, heights, rules = extract(data, source)
    return rebuild(pages, heights, rules)


def _where(place: Placed, lang: str = "en") -> str:
    if lang == "zh":
        return f"第 {place.page} 页，x {place.x:g}，y {place.y:g}"
    return f"page {place.page}, x {place.x:g}, y {place.y:g}"


def _cell_places(report: Report, flat: Rebuilt) -> dict[CellRef, CellSource]:
    """Each cell's source: the rebuilt line it was read from, the page, and where
    its number stood (a row's cells in form order are its value cells in order;
    a line whose cells do not pair up so names where the line starts)."""
    by_line: dict[int, list[CellRef]] = {}
    for ref in form(report.edition).refs():
        src = report.provenance.get(ref)
        if src is not None and src.line is not None:
            by_line.setdefault(src.line, []).append(ref)
    out: dict[CellRef, CellSource] = {}
    for line, refs in by_line.items():
        if not 1 <= line <= len(flat.places):
            continue
        values = flat.values[line - 1]
        paired = values is not None and len(values) == len(refs)
        for i, ref in enumerate(refs):
            place = flat.places[line - 1]
            if paired and values is not None:
                place = values[i] or place
            out[ref] = attrs.evolve(report.provenance[ref], page=place.page, x=place.x,
                                    y=place.y)
    return out


def _remap_findings(findings: Sequence[Finding], flat: Rebuilt) -> tuple[Finding, ...]:
    out = []
    for f in findings:
        if f.line is not None and 1 <= f.line <= len(flat.places):
            where = _where(flat.places[f.line - 1])
            f = attrs.evolve(f, message=f"{f.message}（{where}）",
                             message_en=f"{f.message_en} ({where})")
        out.append(f)
    return tuple(out)


def rows_of(flat: Rebuilt) -> list[SourceRow]:
    """The rebuilt document as the decoder's rows: a table row's cells, or a line
    of text, each with the page and position it starts at."""
    return [
        SourceRow(cells=cells, page=place.page, x=place.x, y=place.y) if cells is not None
        else SourceRow(cells=(line,), page=place.page, x=place.x, y=place.y, table=False)
        for line, cells, place in zip(flat.lines, flat.cells, flat.places, strict=True)
    ]


def read(data: bytes, options: ReadOptions) -> Report:
    """Read a report from the bytes of a PDF file."""
    flat = flatten(data, options.source)
    try:
        report = decode(rows_of(flat), options)
    except ReadError as error:
        raise ReadError(
            [attrs.evolve(p, message=f"{p.message} ({_where(flat.places[p.line - 1])})",
                          message_zh=f"{p.message_zh or p.message}"
                          f"（{_where(flat.places[p.line - 1], 'zh')}）")
             if p.line is not None and 1 <= p.line <= len(flat.places) else p
             for p in error.problems],
            error.source,
        ) from None
    return attrs.evolve(
        report,
        provenance={**report.provenance, **_cell_places(report, flat)},
        read_findings=_remap_findings(report.read_findings, flat),
    )


FORMAT = Format(
    name="pdf",
    description="PDF: published reports with a text layer (read; needs the pdf extra)",
    description_zh="PDF：读取带文字层的发布报告（需要 pdf 扩展）",
    extensions=(".pdf",),
    read_bytes=read,
)
