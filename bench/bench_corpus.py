"""``govdisclosure check DIR`` over generated corpora: workers, memory, a national year.

Run on demand::

    .venv/bin/python bench/bench_corpus.py                      # 10,000 files, jobs 1 and 2
    .venv/bin/python bench/bench_corpus.py --files 100000 --jobs-only 2   # a national year
    .venv/bin/python bench/bench_corpus.py --large 50000        # memory: 10,000 vs 50,000

The corpus mixes text reports, published-style pages (``--html-share``,
default one half) and PDF (``--pdf-share``, default a tenth): every report is
generated and distinct (each read is a cold
first read), one body each, about one in five with a previous year so that
series form. A page is the standalone page govdisclosure writes, without its
generator mark (so it is read through its labels, like a published page),
inside a site's navigation and footer. The command line runs in a child
process; its peak memory (own and largest worker's maximum resident set size)
comes from the operating system. The projection for a national year (100,000
reports) is the measured rate with ``--jobs 2``; ``bench_targets.py`` gives the
cost of a Word-export page the size of Pingtan's for the projection's other
end. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

import govdisclosure as gd
from govdisclosure.testing.samples import sample_reports

NATIONAL_YEAR = 100_000
_LAST_CPU = [0.0]  # CPU seconds of the last run

_CHILD = """
import resource, sys
from govdisclosure.cli import main
code = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF)
them = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + them.ru_utime + them.ru_stime
print(f"MAXRSS {me.ru_maxrss} {them.ru_maxrss} {cpu}", file=sys.stderr)
sys.exit(0 if code in (0, 1) else code)
"""

_GENERATOR = re.compile(r'<meta name="generator"[^>]*>\n?')
_NAV = "".join(
    f'<li><a href="/zwgk/{i:04d}.html" title="政务公开栏目{i}">政务公开栏目{i}</a></li>\n'
    for i in range(120)
)


def published_page(report: gd.Report) -> str:
    """The page govdisclosure writes, unmarked, inside a site's navigation and footer."""
    page = _GENERATOR.sub("", gd.dumps(report, "html"), count=1)
    at = page.index(">", page.index("<body")) + 1
    end = page.rindex("</body>")
    return (page[:at] + f'\n<div class="header"><ul class="nav">\n{_NAV}</ul></div>\n'
            + '<div class="main">' + page[at:end] + "</div>\n"
            + '<div class="footer"><p>主办单位：某某人民政府办公室</p><p>网站标识码：0000000000</p>'
            + "</div>\n" + page[end:])


PDF = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "pdf" / "hongze-2024.pdf"


def make_corpus(root: Path, files: int, html_share: float, pdf_share: float = 0.0,
                seed: int = 50_000) -> dict[str, int]:
    """Write ``files`` reports; returns how many of each kind and their bytes.

    Nothing writes PDF, so the PDF share is copies of the corpus PDF: after the
    first, a worker finds its lines in the text reader's caches, so they read a
    little faster than distinct PDFs would.
    """
    counts = dict.fromkeys(("text", "html", "pdf", "text bytes", "html bytes", "pdf bytes"), 0)
    every = round(1 / html_share) if html_share > 0 else 0
    every_pdf = round(1 / pdf_share) if pdf_share > 0 else 0
    pdf = PDF.read_bytes() if every_pdf else b""
    for i, report in enumerate(sample_reports(files, seed=seed)):
        body = f"{report.agency}{i // 5 * 5 if i % 5 == 1 else i}"
        year = (report.year or 2022) + (1 if i % 5 == 1 else 0)
        report = attrs.evolve(report, agency=body, year=year, title=None)
        if every_pdf and i % every_pdf == 1:
            data, kind, name = pdf, "pdf", f"r{i:06d}.pdf"
        elif every and i % every == 0:
            data = published_page(report).encode("utf-8")
            kind, name = "html", f"r{i:06d}.html"
        else:
            data = gd.dumps(report, "text").encode("utf-8")
            kind, name = "text", f"r{i:06d}.txt"
        (root / name).write_bytes(data)
        counts[kind] += 1
        counts[f"{kind} bytes"] += len(data)
    return counts


def run_check(root: Path, jobs: int) -> tuple[float, int, int]:
    """Seconds, and the peak resident kB of the main process and of its largest worker.

    Also prints the CPU seconds of the run (main process and workers together).
    """
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "check", "--jsonl", "--jobs", str(jobs), str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
    )
    seconds = time.perf_counter() - start
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("MAXRSS")), None)
    if line is None:
        raise SystemExit(f"check failed ({proc.returncode}): {proc.stderr[-2000:]}")
    own, workers, cpu = line.split()[1:]
    _LAST_CPU[0] = float(cpu)
    files = sum(1 for _ in root.iterdir())
    print(f"      --jobs {jobs}: {seconds:.1f} s wall, {float(cpu):.1f} s CPU "
          f"({float(cpu) / files * 1e3:.2f} ms CPU a file)")
    return seconds, int(own), int(workers)


def _describe(counts: dict[str, int]) -> str:
    parts = []
    for kind in ("text", "html", "pdf"):
        if counts[kind]:
            mean = counts[kind + " bytes"] / counts[kind] / 1000
            parts.append(f"{counts[kind]:,} {kind} (mean {mean:.0f} kB)")
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--html-share", type=float, default=0.5,
                        help="the share of published-style pages (default 0.5)")
    parser.add_argument("--pdf-share", type=float, default=0.1,
                        help="the share of PDF reports (default 0.1; copies of the corpus PDF)")
    parser.add_argument("--jobs-only", type=int, default=0,
                        help="run with this many jobs only (no --jobs 1 comparison)")
    parser.add_argument("--large", type=int, default=0,
                        help="a larger corpus for the memory comparison (0: skip)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="govdisclosure-corpus-") as tmp:
        root = Path(tmp) / "small"
        root.mkdir()
        start = time.perf_counter()
        counts = make_corpus(root, args.files, args.html_share, args.pdf_share)
        print(f"generated {args.files:,} files in {time.perf_counter() - start:.0f} s: "
              f"{_describe(counts)}")
        if args.jobs_only:
            t, own, workers = run_check(root, args.jobs_only)
        else:
            t1, own1, _ = run_check(root, 1)
            t, own, workers = run_check(root, 2)
            speedup = t1 / t
            print(f"check DIR, {args.files:,} files: --jobs 1 {t1:.1f} s "
                  f"({args.files / t1:,.0f} files/s), --jobs 2 {t:.1f} s "
                  f"({args.files / t:,.0f} files/s): speed-up {speedup:.2f}x "
                  f"(target >= 1.8x: {'pass' if speedup >= 1.8 else 'miss'}; "
                  f"{os.cpu_count()} cores)")
            print(f"peak memory, --jobs 1: main {own1 / 1024:.0f} MB")
        jobs = args.jobs_only or 2
        print(f"peak memory, --jobs {jobs}: main {own / 1024:.0f} MB, largest worker "
              f"{workers / 1024:.0f} MB")
        projected = NATIONAL_YEAR / (args.files / t)
        cpu_file = _LAST_CPU[0] / args.files
        print(f"on two idle cores, from the CPU time: {NATIONAL_YEAR * cpu_file / 2 / 60:.1f} "
              f"min for {NATIONAL_YEAR:,} reports")
        print(f"a national year ({NATIONAL_YEAR:,} reports, this mix) with --jobs {jobs}: "
              f"{projected / 60:.1f} min{' (measured)' if args.files >= NATIONAL_YEAR else ''} "
              f"(target < 5 min: {'pass' if projected < 300 else 'miss'})")
        if args.large:
            big = Path(tmp) / "large"
            big.mkdir()
            make_corpus(big, args.large, args.html_share, args.pdf_share, seed=60_000)
            t3, own3, w3 = run_check(big, jobs)
            growth = max(own3 / own, w3 / workers) - 1
            print(f"peak memory, {args.large:,} files, --jobs {jobs}: main {own3 / 1024:.0f} "
                  f"MB, largest worker {w3 / 1024:.0f} MB; growth over {args.files:,} files "
                  f"{growth:+.1%} (flat: within 10%: {'pass' if growth <= 0.10 else 'miss'}); "
                  f"{args.large / t3:,.0f} files/s")
    print(f"load average after: {os.getloadavg()[0]:.1f} (other work on the machine "
          "slows every figure; the speed-up needs two idle cores)")


if __name__ == "__main__":
    main()
