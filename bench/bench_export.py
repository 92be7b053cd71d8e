"""``govdisclosure export`` over a generated corpus: reports per second to each store,
``--jobs 1`` and ``--jobs 2``, peak memory, and the Dask path's overhead.

Run on demand: ``.venv/bin/python bench/bench_export.py [--files 10000]``.
It writes generated reports (text and JSON, a body for each two years, so that
series form) into a temporary folder, then runs each export in a child process
(cold: a fresh interpreter, every file read for the first time by it) and reads
the child's peak memory (its own and its largest worker's maximum resident set
size) from the operating system. The Dask path (``govdisclosure.dask``, local
process scheduler, as many workers as ``--jobs``) writes the same tables to
Parquet and is compared with ``export`` to Parquet. It prints figures; it
asserts nothing.
"""

from __future__ import annotations

import argparse
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
code = None
if sys.argv[1] == "dask":
    import dask
    import govdisclosure.dask as gdd
    tables = gdd.read_many(sys.argv[2])
    out = sys.argv[3]
    dask.compute(
        tables.reports.to_parquet(out + "/reports", compute=False),
        tables.cells.to_parquet(out + "/cells", compute=False),
        tables.findings.to_parquet(out + "/findings", compute=False),
        scheduler="processes", num_workers=int(sys.argv[4]),
    )
    code = 0
else:
    from govdisclosure.cli import main
    code = main(sys.argv[1:])
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"MAXRSS {own} {workers}", file=sys.stderr)
sys.exit(code)
"""

STORES = (("csv", "out-csv"), ("sqlite", "out.sqlite"), ("parquet", "out.parquet"),
          ("duckdb", "out.duckdb"))


def make_corpus(root: Path, files: int) -> None:
    for i, report in enumerate(sample_reports(files, seed=70_000)):
        report = attrs.evolve(report, agency=f"某县第{i // 2}局", year=2021 + i % 2, title=None)
        fmt, suffix = ("text", ".txt") if i % 2 else ("json", ".json")
        (root / f"r{i:06d}{suffix}").write_text(gd.dumps(report, fmt), encoding="utf-8")


def run(argv: list[str]) -> tuple[float, int, int]:
    """Seconds, and the peak resident kB of the main process and of its largest worker."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *argv], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("MAXRSS")), None)
    if line is None or proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    own, workers = (int(x) for x in line.split()[1:])
    return seconds, own, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--stores", default="csv,sqlite,parquet,duckdb",
                        help="comma-separated stores to measure")
    args = parser.parse_args()
    wanted = set(args.stores.split(","))
    with tempfile.TemporaryDirectory(prefix="govdisclosure-export-") as tmp:
        root = Path(tmp) / "reports"
        root.mkdir()
        start = time.perf_counter()
        make_corpus(root, args.files)
        print(f"generated {args.files:,} files (half text, half JSON) in "
              f"{time.perf_counter() - start:.0f} s")
        local_parquet: dict[int, float] = {}
        for kind, name in STORES:
            if kind not in wanted:
                continue
            for jobs in (1, 2):
                out = Path(tmp) / f"{jobs}-{name}"
                seconds, own, workers = run(["export", "--jobs", str(jobs), str(root),
                                             "-o", str(out)])
                if kind == "parquet":
                    local_parquet[jobs] = seconds
                print(f"export to {kind:<8} --jobs {jobs}: {args.files / seconds:6,.0f} "
                      f"reports/s ({seconds:5.1f} s); peak memory: main {own / 1024:.0f} MB, "
                      f"largest worker {workers / 1024:.0f} MB")
        for jobs in (1, 2):
            out = Path(tmp) / f"dask-{jobs}"
            seconds, own, workers = run(["dask", str(root), str(out), str(jobs)])
            against = local_parquet.get(jobs)
            overhead = (f"; overhead against export to Parquet --jobs {jobs}: "
                        f"{seconds / against:.2f}x" if against else "")
            print(f"dask (processes, {jobs} workers) to Parquet: {args.files / seconds:6,.0f} "
                  f"reports/s ({seconds:5.1f} s){overhead}; peak memory: main "
                  f"{own / 1024:.0f} MB, largest worker {workers / 1024:.0f} MB")


if __name__ == "__main__":
    main()
