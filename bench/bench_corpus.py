"""``govdisclosure check DIR`` over generated corpora: speed-up with workers, and memory.

Run on demand: ``.venv/bin/python bench/bench_corpus.py [--files 10000] [--large 50000]``.
It writes generated reports (text, one body each, about one in five with a
previous year so that series are formed) into a temporary folder, then runs the
command line in a child process and reads the child's peak memory (its own
and its workers' maximum resident set size) from the operating system. It
prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

import govdisclosure as gd
from govdisclosure.testing.samples import sample_reports

_CHILD = """
import resource, sys
from govdisclosure.cli import main
code = main(sys.argv[1:])
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"MAXRSS {own} {workers}", file=sys.stderr)
sys.exit(0 if code in (0, 1) else code)
"""


def make_corpus(root: Path, files: int) -> None:
    for i, report in enumerate(sample_reports(files, seed=50_000)):
        body = f"{report.agency}{i // 5 * 5 if i % 5 == 1 else i}"
        year = (report.year or 2022) + (1 if i % 5 == 1 else 0)
        report = attrs.evolve(report, agency=body, year=year, title=None)
        (root / f"r{i:06d}.txt").write_text(gd.dumps(report, "text"), encoding="utf-8")


def run_check(root: Path, jobs: int) -> tuple[float, int, int]:
    """Seconds, and the peak resident kB of the main process and of its largest worker."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "check", "--jsonl", "--jobs", str(jobs), str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
    )
    seconds = time.perf_counter() - start
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("MAXRSS")), None)
    if line is None:
        raise SystemExit(f"check failed ({proc.returncode}): {proc.stderr[-2000:]}")
    own, workers = (int(x) for x in line.split()[1:])
    return seconds, own, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=50_000,
                        help="the larger corpus for the memory comparison (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govdisclosure-corpus-") as tmp:
        root = Path(tmp) / "small"
        root.mkdir()
        start = time.perf_counter()
        make_corpus(root, args.files)
        print(f"generated {args.files:,} files in {time.perf_counter() - start:.0f} s")
        t1 = run_check(root, 1)[0]
        t2, own2, w2 = run_check(root, 2)
        speedup = t1 / t2
        print(f"check DIR, {args.files:,} files: --jobs 1 {args.files / t1:,.0f} files/s, "
              f"--jobs 2 {args.files / t2:,.0f} files/s: speed-up {speedup:.2f}x "
              f"(target >= 1.7x: {'pass' if speedup >= 1.7 else 'miss'}; "
              f"{os.cpu_count()} cores)")
        print(f"peak memory, {args.files:,} files, --jobs 2: main {own2 / 1024:.0f} MB, "
              f"largest worker {w2 / 1024:.0f} MB")
        if args.large:
            big = Path(tmp) / "large"
            big.mkdir()
            make_corpus(big, args.large)
            t3, own3, w3 = run_check(big, 2)
            growth = max(own3 / own2, w3 / w2) - 1
            print(f"peak memory, {args.large:,} files, --jobs 2: main {own3 / 1024:.0f} MB, "
                  f"largest worker {w3 / 1024:.0f} MB; growth over {args.files:,} files "
                  f"{growth:+.1%} (target within 10%: {'pass' if growth <= 0.10 else 'miss'})")
            print(f"      {args.large / t3:,.0f} files/s")


if __name__ == "__main__":
    main()
