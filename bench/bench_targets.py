"""The performance targets, measured as ratios in one run on this machine.

Run on demand: ``.venv/bin/python bench/bench_targets.py [--quick]``. Each line
prints a figure next to its target and ``pass`` or ``miss``; nothing is
asserted. Ratios of two timings taken in the same run hold on a noisy machine
better than absolute times. ``docs/performance.md`` explains the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs

import govdisclosure as gd
from govdisclosure.testing.samples import sample_reports

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def median_time(fn: Callable[[], object], runs: int, inner: int = 1) -> float:
    """Median seconds of ``fn`` over ``runs`` runs (each ``inner`` calls)."""
    fn()  # warm caches and generated code
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def line(name: str, figure: str, target: str, ok: bool | None) -> None:
    verdict = "-" if ok is None else ("pass" if ok else "miss")
    print(f"{name:<46} {figure:>22}   target {target:<14} {verdict}")


def text_targets(runs: int) -> None:
    text = (CORPUS / "ulanqab-2020.txt").read_text("utf-8")
    report = gd.loads(text, "text")
    as_json = gd.dumps(report, "json")
    t_json = median_time(lambda: json.loads(as_json), runs, 20)
    t_read = median_time(lambda: gd.loads(text, "text"), runs, 5)
    t_validate = median_time(lambda: gd.validate(report), runs, 20)
    t_infer = median_time(lambda: gd.validate(gd.infer(report)), runs, 20)
    t_jread = median_time(lambda: gd.loads(as_json, "json"), runs, 20)
    ratio1 = (t_read + t_validate) / t_json
    line("1 text read+validate / json.loads (ulanqab)", f"{ratio1:.1f}x", "<= 5x", ratio1 <= 5)
    print(f"{'':<6}text read {t_read * 1e6:,.0f} us ({1 / t_read:,.0f} reads/s), validate "
          f"{t_validate * 1e6:,.0f} us, json.loads {t_json * 1e6:,.0f} us")
    ratio2 = t_infer / t_read
    line("2 validate+infer / text read", f"{ratio2:.0%}", "<= 10%", ratio2 <= 0.10)
    ratio3 = t_jread / t_json
    line("3 JSON read / json.loads (ulanqab JSON)", f"{ratio3:.1f}x", "<= 3x", ratio3 <= 3)
    big = next(r for r in sample_reports(400) if r.applications.received.total > 1000)  # type: ignore[operator]
    big_json = gd.dumps(big, "json")
    t_bj = median_time(lambda: json.loads(big_json), runs, 20)
    t_br = median_time(lambda: gd.loads(big_json, "json"), runs, 20)
    line("3 JSON read / json.loads (large body)", f"{t_br / t_bj:.1f}x", "<= 3x",
         t_br / t_bj <= 3)
    big_text = gd.dumps(big, "text")
    t_bt = median_time(lambda: gd.loads(big_text, "text"), runs, 5)
    print(f"{'':<6}a body with {big.applications.received.total:,} applications: text read "
          f"{t_bt * 1e6:,.0f} us")
    # Memory of one loaded report of the Ulanqab size, with its provenance.
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [gd.loads(text, "text") for _ in range(20)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per = (after - before) / len(kept)
    line("6 memory of a loaded Ulanqab report", f"{per / 1000:.1f} kB", "<= 30 kB",
         per <= 30_000)


def html_targets(runs: int) -> None:
    page = (CORPUS / "pingtan-2021.html").read_text("utf-8")
    try:
        gd.get_format("html")
    except gd.FormatError:
        line("4 HTML read / fastest parser", "no html format", "<= 2x", None)
        return
    t_read = median_time(lambda: gd.loads(page, "html"), max(3, runs // 4))
    parsers: dict[str, Callable[[], object]] = {}
    try:
        from selectolax.parser import HTMLParser  # type: ignore[import-not-found]

        parsers["selectolax"] = lambda: HTMLParser(page)
    except ImportError:
        pass
    try:
        import lxml.html  # type: ignore[import-untyped]

        parsers["lxml"] = lambda: lxml.html.fromstring(page)
    except ImportError:
        pass
    if not parsers:
        from html.parser import HTMLParser as StdParser

        def std() -> None:
            parser = StdParser()
            parser.feed(page)
            parser.close()

        parsers["html.parser"] = std
    timings = {name: median_time(fn, runs) for name, fn in parsers.items()}
    fastest = min(timings, key=lambda name: timings[name])
    ratio = t_read / timings[fastest]
    line(f"4 HTML read / {fastest} parse (pingtan page)", f"{ratio:.1f}x", "<= 2x", ratio <= 2)
    print(f"{'':<6}html read {t_read * 1e3:.1f} ms; parse only: "
          + ", ".join(f"{n} {t * 1e3:.1f} ms" for n, t in timings.items()))


def _load_validate(path: str) -> int:
    return len(gd.validate(gd.load(path)))


def corpus_target(files: int, jobs: int) -> None:
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
    line(f"5 check DIR / in-process loop ({files:,} files, {jobs} jobs)", f"{ratio:.0%}",
         ">= 80%", ratio >= 0.8)
    print(f"{'':<6}check DIR {files / t_cli:,.0f} files/s; loop {files / t_loop:,.0f} files/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, fewer files")
    parser.add_argument("--files", type=int, default=10_000, help="files for target 5")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    runs = 15 if args.quick else 60
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    text_targets(runs)
    html_targets(runs)
    corpus_target(1_000 if args.quick else args.files, args.jobs)


if __name__ == "__main__":
    main()
