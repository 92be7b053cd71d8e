"""Reports per second for JSON read, validate and JSON write.

Run on demand: ``.venv/bin/python bench/bench_core.py [--count N]``. It prints
figures; it asserts nothing. The reports are generated valid reports
(``govdisclosure.testing.samples``), the same on every run.
"""

from __future__ import annotations

import argparse
import json
import time

import govdisclosure as gd
from govdisclosure.testing.samples import sample_reports


def _rate(label: str, count: int, seconds: float) -> None:
    print(f"{label:<28} {count / seconds:>10,.0f} reports/s   ({seconds:.2f} s for {count:,})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000, help="reports (default 10,000)")
    args = parser.parse_args()

    start = time.perf_counter()
    reports = list(sample_reports(args.count))
    _rate("generate", args.count, time.perf_counter() - start)

    start = time.perf_counter()
    texts = [gd.dumps(r, "json") for r in reports]
    _rate("JSON write (dumps)", args.count, time.perf_counter() - start)

    start = time.perf_counter()
    for text in texts:
        json.loads(text)
    _rate("json.loads alone (floor)", args.count, time.perf_counter() - start)

    start = time.perf_counter()
    loaded = [gd.loads(t, "json") for t in texts]
    _rate("JSON read (loads)", args.count, time.perf_counter() - start)

    start = time.perf_counter()
    findings = sum(len(gd.validate(r)) for r in loaded)
    _rate("validate", args.count, time.perf_counter() - start)
    print(f"findings on valid generated reports: {findings} (expected 0)")


if __name__ == "__main__":
    main()
