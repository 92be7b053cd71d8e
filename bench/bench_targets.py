"""The performance targets, measured as ratios in one run on this machine.

Run on demand: ``.venv/bin/python bench/bench_targets.py [--quick] [--only NAME ...]``.
Each line prints a figure next to its target and ``pass`` or ``miss``; nothing
is asserted. Ratios of two timings taken in the same run hold on a noisy
machine better than absolute times. Every per-report figure is a **cold** read
(the first read of a report after the other reports, see ``_measure.py``),
printed beside the read with every content cache empty and the **warm** re-read.
``docs/performance.md`` explains the figures.

To add a target: write a function ``(runs: int) -> None`` that prints through
``_measure.line`` and add it to ``TARGETS`` below.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import attrs
from _measure import clear_content_caches, cold, line, lxml_floor, ms, warm

import govdisclosure as gd
from govdisclosure.testing.samples import sample_reports

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def _fmt(path: Path) -> str:
    return "markdown" if path.suffix == ".md" else "text"


def text_reports() -> list[Path]:
    """Every text and Markdown report of the corpus."""
    return sorted(p for p in CORPUS.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "SOURCES.md")


def _read_validate(text: str, fmt: str) -> object:
    return gd.validate(gd.loads(text, fmt))


def text_targets(runs: int) -> None:
    """1: cold text read + validate <= 5 x json.loads of the report's JSON, every corpus
    text and Markdown report; 2: validate(infer) <= 10 % of the cold read; 3: JSON read."""
    print("per report, read + validate: cold (first read after the other reports), "
          "empty caches, warm re-read; json.loads of its JSON")
    texts = {p: (p.read_text("utf-8"), _fmt(p)) for p in text_reports()}
    for path, (text, fmt) in texts.items():
        report = gd.loads(text, fmt)
        as_json = gd.dumps(report, "json")
        others = [partial(gd.loads, t, f) for p, (t, f) in texts.items() if p != path]
        t_json = warm(partial(json.loads, as_json), runs, 10)
        t_cold = cold(partial(_read_validate, text, fmt), runs,
                      prime=lambda others=others: [read() for read in others])
        t_empty = cold(partial(_read_validate, text, fmt), runs)
        t_warm = warm(partial(_read_validate, text, fmt), runs, 3)
        ratio = t_cold / t_json
        line(f"1 cold read+validate / json.loads ({path.stem})", f"{ratio:.1f}x", "<= 5x",
             ratio <= 5)
        print(f"{'':<6}cold {t_cold * 1e6:,.0f} us, empty caches {t_empty * 1e6:,.0f} us, "
              f"warm {t_warm * 1e6:,.0f} us; json.loads {t_json * 1e6:,.0f} us")
    ulanqab = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    report = gd.loads(ulanqab, "text")
    _issue_13_text(ulanqab, report, runs)
    t_read = cold(partial(gd.loads, ulanqab, "text"), runs)
    t_infer = warm(lambda: gd.validate(gd.infer(report)), runs, 10)
    ratio2 = t_infer / t_read
    line("2 validate+infer / cold text read (ulanqab)", f"{ratio2:.1%}", "<= 10%",
         ratio2 <= 0.10)
    for name, rep in (("ulanqab", report), ("large body", _large_body())):
        as_json = gd.dumps(rep, "json")
        t_json = warm(partial(json.loads, as_json), runs, 10)
        t_jcold = cold(partial(gd.loads, as_json, "json"), runs)
        t_jwarm = warm(partial(gd.loads, as_json, "json"), runs, 5)
        ratio3 = t_jcold / t_json
        line(f"3 cold JSON read / json.loads ({name})", f"{ratio3:.1f}x", "<= 3x",
             ratio3 <= 3)
        print(f"{'':<6}cold {t_jcold * 1e6:,.0f} us, warm {t_jwarm * 1e6:,.0f} us")


def _issue_13_text(text: str, report: gd.Report, runs: int) -> None:
    """Issue 13's bound on the text read: the warm read + validate (a re-read,
    as the figures it was set against were) at most 1.3 x its 4.5-4.7 x
    json.loads. T1, which validate took on later (issue 14), is timed beside it."""
    from govdisclosure.validation.prose import check_overview

    t_json = warm(partial(json.loads, gd.dumps(report, "json")), runs, 10)
    t_warm = warm(partial(_read_validate, text, "text"), runs, 3)
    flat = gd.model.cell_values(report)
    t_t1 = warm(lambda: list(check_overview(report, flat)), runs, 10)
    ratio = t_warm / t_json
    line("13 warm read+validate / json.loads (ulanqab)", f"{ratio:.1f}x", "<= ~6.1x",
         ratio <= 6.1)
    print(f"{'':<6}warm {t_warm * 1e6:,.0f} us, json.loads {t_json * 1e6:,.0f} us; of it T1 "
          f"(issue 14, after the bound) {t_t1 * 1e6:,.0f} us: without T1 "
          f"{(t_warm - t_t1) / t_json:.1f}x")


def _large_body() -> gd.Report:
    return next(r for r in sample_reports(400)
                if r.applications.received.total > 1000)  # type: ignore[operator]


def memory_target(runs: int) -> None:
    """6: memory of one loaded report of the Ulanqab size, with its provenance."""
    text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    gd.loads(text, "text")
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [gd.loads(text, "text") for _ in range(20)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per = (after - before) / len(kept)
    line("6 memory of a loaded Ulanqab report", f"{per / 1000:.1f} kB", "<= 30 kB",
         per <= 30_000)


def large_page(size: int = 2_000_000) -> str:
    """The Pingtan page with a site's long list of news links before the report,
    until it has ``size`` bytes of UTF-8: a large page that still holds one report."""
    page = (CORPUS / "pingtan-2021.html").read_text("utf-8")
    links: list[str] = []
    total, i = len(page.encode("utf-8")), 0
    while total < size:
        item = (f'<li class="news"><a href="/zwgk/tzgg/{i:06d}.html" target="_blank" '
                f'title="关于做好第{i}批政务公开工作的通知">关于做好第{i}批政务公开工作的'
                f'通知</a><span class="date">2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}</span></li>\n')
        links.append(item)
        total += len(item.encode("utf-8"))
        i += 1
    at = page.index(">", page.index("<body")) + 1
    return page[:at] + '<ul class="sidebar">\n' + "".join(links) + "</ul>\n" + page[at:]


def html_targets(runs: int) -> None:
    """4: HTML read <= 2 x (lxml parse + a walk reading every element's .sourceline)."""
    pages = {
        "pingtan": (CORPUS / "pingtan-2021.html").read_text("utf-8"),
        "2 MB page": large_page(),
    }
    for name, page in pages.items():
        n = runs if len(page) < 1_000_000 else max(3, runs // 6)
        t_floor = warm(lxml_floor(page), n)
        t_cold = cold(partial(gd.loads, page, "html"), n)
        t_warm = warm(partial(gd.loads, page, "html"), n)
        ratio = t_cold / t_floor
        line(f"4 cold HTML read / lxml parse+walk ({name})", f"{ratio:.1f}x", "<= 2x",
             ratio <= 2)
        print(f"{'':<6}cold read {ms(t_cold)}, warm {ms(t_warm)}; lxml parse + .sourceline "
              f"walk {ms(t_floor)}; {len(page):,} characters")


def _load_validate(path: str) -> int:
    return len(gd.validate(gd.load(path)))


def corpus_target(files: int, jobs: int) -> None:
    """5: check DIR >= 80 % of an in-process loop of load + validate, same processes."""
    with tempfile.TemporaryDirectory(prefix="govdisclosure-bench-") as tmp:
        root = Path(tmp)
        for i, report in enumerate(sample_reports(files, seed=10_000)):
            # One report per body, as in a year's corpus (series are tested elsewhere).
            report = attrs.evolve(report, agency=f"{report.agency}{i}", title=None)
            (root / f"r{i:06d}.txt").write_text(gd.dumps(report, "text"), encoding="utf-8")
        paths = sorted(str(p) for p in root.iterdir())
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            sum(pool.map(_load_validate, paths, chunksize=64))
        t_loop = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "govdisclosure", "check", "--jsonl", "--jobs", str(jobs), tmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )
        t_cli = time.perf_counter() - start
    ratio = t_loop / t_cli
    # With fewer files the command line's start-up (about 0.1 s) weighs too much
    # for the figure to say anything about the target: it is shown, not judged.
    judged = files >= 10_000
    line(f"5 check DIR / in-process loop ({files:,} files, {jobs} jobs)", f"{ratio:.0%}",
         ">= 80%", ratio >= 0.8 if judged else None)
    if not judged:
        print(f"{'':<6}not judged: the target is measured on 10,000 files or more "
              "(start-up weighs too much in a smaller run)")
    print(f"{'':<6}check DIR {files / t_cli:,.0f} files/s; loop {files / t_loop:,.0f} files/s")


#: Every target: name -> function of the number of runs. Add yours here.
TARGETS: dict[str, Callable[[int], None]] = {
    "text": text_targets,
    "memory": memory_target,
    "html": html_targets,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, fewer files")
    parser.add_argument("--only", nargs="+", choices=[*TARGETS, "corpus"],
                        help="run these targets only")
    parser.add_argument("--files", type=int, default=10_000, help="files for target 5")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    runs = 11 if args.quick else 41
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of {runs} runs")
    for name, target in TARGETS.items():
        if args.only is None or name in args.only:
            target(runs)
    print(f"{'':<6}(cold: {clear_content_caches()} content caches cleared before each read)")
    if args.only is None or "corpus" in args.only:
        corpus_target(1_000 if args.quick else args.files, args.jobs)


if __name__ == "__main__":
    main()
