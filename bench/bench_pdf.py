"""PDF and Word reading speed, and the PDF library comparison of docs/pdf.md.

Prints, for each corpus PDF (``tests/corpus/pdf/``: a published PDF, and a web
page printed by Chromium):

- pages per second of ``govdisclosure.loads(data, "pdf")`` (open, characters,
  rebuild, text reader) beside the bare character extraction it is built on
  (pypdfium2: every character with its box, and the drawn lines), and the
  ratio (issue 15's target: at most 2);
- with ``--compare`` (needs pdfplumber installed), the same rebuild fed with
  pdfplumber's characters and lines: how many of the expected cells each
  library's characters give, and pages per second of each bare extraction;
- Word reports per second (``loads(data, "docx")``) on documents written by
  the docx writer from distinct generated reports.

Every timed read is a cold first read: PDF reading keeps no cache, and each
Word document is a distinct report. Medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import govdisclosure as gd
from govdisclosure.formats._pdflayout import Glyph, Rule, rebuild
from govdisclosure.formats.pdf import extract
from govdisclosure.model import Blank, CellRef, get_cell

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "tests" / "corpus" / "pdf").glob("*.pdf"))
EXPECTED = ROOT / "tests" / "corpus" / "expected" / "hongze-2024.csv"


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _correct(report: gd.Report) -> tuple[int, int]:
    """Cells of the expected file read exactly (``0|``: 0 or blank), of all."""
    right = total = 0
    with EXPECTED.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            got = get_cell(report, CellRef(row["table"], row["row"], row["column"]))
            shown = got.printed if isinstance(got, Blank) else str(got)
            total += 1
            right += any((v == "") == isinstance(got, Blank) and shown == v
                         for v in row["value"].split("|"))
    return right, total


def _pdfplumber(data: bytes) -> tuple[list[list[Glyph]], list[float], list[list[Rule]]]:
    import io

    import pdfplumber  # type: ignore[import-not-found]  # only for --compare

    pages: list[list[Glyph]] = []
    heights: list[float] = []
    rules: list[list[Rule]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i, page in enumerate(pdf.pages):
            pages.append([Glyph(c["text"], i, c["x0"], c["x1"], c["top"], c["bottom"])
                          for c in page.chars if c["text"].strip()])
            heights.append(page.height)
            rules.append([Rule(e["x0"], e["top"], e["x1"], e["bottom"])
                          for e in page.edges])
    return pages, heights, rules


def _bare(data: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    """pypdfium2's bare character extraction through its public API: every
    character of every page with its box."""
    import pypdfium2  # type: ignore[import-untyped]  # no type information shipped

    out = []
    document = pypdfium2.PdfDocument(data)
    for page in document:
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count)
        out.extend((text[i], textpage.get_charbox(i)) for i in range(min(count, len(text))))
    return out


def bench_pdf(repeat: int, compare: bool) -> None:
    for path in PDFS:
        _bench_one(path, repeat, compare and path.name == "hongze-2024.pdf")


def _bench_one(path: Path, repeat: int, compare: bool) -> None:
    data = path.read_bytes()
    pages = len(extract(data)[0])
    ours = _median(lambda: gd.loads(data, "pdf"), repeat)
    bare = _median(lambda: _bare(data), repeat)
    chars = _median(lambda: extract(data), repeat)
    print(f"PDF {path.name}: {pages} pages")
    print(f"  govdisclosure read             {pages / ours:8.1f} pages/s  ({ours * 1000:.1f} ms)")
    print(f"  pypdfium2 bare characters      {pages / bare:8.1f} pages/s  ({bare * 1000:.1f} ms)")
    print(f"  ratio (issue 15 target <= 2)   {ours / bare:8.2f}")
    print(f"  of which our extraction        {pages / chars:8.1f} pages/s  "
          f"({chars * 1000:.1f} ms: characters, boxes and drawn lines)")
    if not compare:
        return
    from govdisclosure.formats import ReadOptions
    from govdisclosure.formats._textread import read_text

    for name, source in (("pypdfium2", extract), ("pdfplumber", _pdfplumber)):
        chars, heights, rules = source(data)
        report = read_text(rebuild(chars, heights, rules).text, ReadOptions())
        right, total = _correct(report)
        took = _median(lambda source=source: source(data), max(1, repeat // 4))
        print(f"  {name:<11} cells right {right}/{total}; characters and lines "
              f"{pages / took:7.1f} pages/s ({took * 1000:.1f} ms)")


def bench_docx(count: int) -> None:
    if count <= 0:
        return
    try:
        from govdisclosure.testing.samples import sample_report

        documents = [gd.dumpb(sample_report(seed), "docx") for seed in range(count)]
    except gd.FormatError as error:
        print(f"DOCX: {error}")
        return
    start = time.perf_counter()
    for data in documents:
        gd.loads(data, "docx")
    took = time.perf_counter() - start
    print(f"DOCX: {count} distinct generated reports, {count / took:.1f} reports/s "
          f"({took / count * 1000:.1f} ms each)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--docx", type=int, default=40, help="Word documents to read")
    parser.add_argument("--compare", action="store_true",
                        help="also rebuild from pdfplumber's characters (if installed)")
    args = parser.parse_args(argv)
    bench_pdf(args.repeat, args.compare)
    bench_docx(args.docx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
