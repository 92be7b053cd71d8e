"""Every file of the test corpus, one by one: cold and warm read, and validate.

Run on demand: ``.venv/bin/python bench/bench_files.py [--runs 21]``. Each file
is read through ``govdisclosure.load`` in the format its extension names (so
PDF and Word files join the table as soon as their formats exist); **cold** is
a first read (content caches cleared before each call, see ``_measure.py``),
**warm** a re-read. Bytes are read from disk each time (the operating system's
file cache is warm). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path

from _measure import cold, warm

import govdisclosure as gd
from govdisclosure.formats import format_for_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def corpus_files() -> list[Path]:
    """The corpus files some format reads (``SOURCES.md`` and ``expected/`` left out)."""
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.name == "SOURCES.md" or "expected" in path.parts:
            continue
        try:
            format_for_path(str(path))
        except gd.FormatError:
            continue
        found.append(path)
    return found


def _load_validate(path: Path) -> object:
    return gd.validate(gd.load(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    print(f"{'file':<34} {'kB':>6} {'cold read':>10} {'warm read':>10} {'validate':>9} "
          f"{'cold/warm':>9}")
    for path in corpus_files():
        name = str(path.relative_to(CORPUS))
        try:
            report = gd.load(path)
        except gd.ReadError as error:
            print(f"{name:<34} not read: {str(error).splitlines()[0][:60]}")
            continue
        t_cold = cold(partial(gd.load, path), args.runs)
        t_warm = warm(partial(gd.load, path), args.runs)
        t_validate = warm(partial(gd.validate, report), args.runs)
        print(f"{name:<34} {path.stat().st_size / 1000:6.0f} {t_cold * 1e3:8.2f}ms "
              f"{t_warm * 1e3:8.2f}ms {t_validate * 1e3:7.2f}ms {t_cold / t_warm:8.1f}x")


if __name__ == "__main__":
    main()
