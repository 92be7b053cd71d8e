"""Cold reads of the run-together corpus reports against the seed (issue 15, item 3).

Run on demand: ``.venv/bin/python bench/bench_runsplit.py [--reads 200]``.

Target: a report whose table cells run together (the crawler form of
``pingtan-*.txt``, ``pingtan-finance-2020.txt``, ``hebei-miit-2019.txt``) reads
within 2x the cold read of the seed, ``ulanqab-2020.txt``.

Every read is a *first* read of distinct content: each iteration reads a copy of
the report whose introduction carries a sentence of its own, and whose table
numbers are changed where that keeps the report readable (one count of table 二
is replaced by the iteration number, so the splitter sees a new run). No cache
holds a whole input; what stays warm is what stays warm over a real corpus (the
form's label tables, built once per process). Reads of the files are
interleaved, and timed in CPU time (``time.process_time``), so that a busy
machine (this one is shared) slows them alike; the ratios are the figures to
trust. ``splitter µs`` is the time inside the run splitter, ``rest × seed`` the
rest of the read against the seed's whole read. It prints figures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import govdisclosure as gd
from govdisclosure.formats import _runsplit

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
SEED = "ulanqab-2020.txt"
RUN_TOGETHER = ("pingtan-2019.txt", "pingtan-2021.txt", "pingtan-finance-2020.txt",
                "hebei-miit-2019.txt")
# A row of table 二 whose first count can be changed without touching the rest
# of the report (规章 is the first row of table 二 in both editions).
_RULES_ROW = re.compile(r"(规章\s*)(\d)")


def variants(name: str) -> Iterator[str]:
    """Endless distinct copies of a corpus report."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    at = text.index("根据") if "根据" in text else 0
    k = 0
    while True:
        k += 1
        copy = text[:at] + f"本报告为第{k}份副本。" + text[at:]
        if name != SEED:
            # A new run for the splitter: the first count of 规章 becomes k % 10.
            copy = _RULES_ROW.sub(lambda m, d=k % 10: m.group(1) + str(d), copy, count=1)
        yield copy


class _Clock:
    """CPU time spent inside the splitter during a read (it wraps ``split_tables``)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._inner = _runsplit.split_tables

    def __call__(self, *args: object, **kwargs: object) -> object:
        start = time.process_time()
        try:
            return self._inner(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            self.spent += time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200, help="reads of each report")
    args = parser.parse_args()
    names = (SEED, *RUN_TOGETHER)
    clock = _Clock()
    _runsplit.split_tables = clock  # type: ignore[assignment]  # measured, same behaviour
    sources = {name: variants(name) for name in names}
    for name in names:  # the process's first read builds the form's tables
        gd.loads(next(sources[name]), "text")
    times: dict[str, list[float]] = {name: [] for name in names}
    split: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.reads):
        for name in names:
            text = next(sources[name])
            clock.spent = 0.0
            start = time.process_time()
            gd.loads(text, "text")
            times[name].append(time.process_time() - start)
            split[name].append(clock.spent)
    seed = statistics.median(times[SEED])
    print(f"cold first reads of distinct copies, CPU time, median of {args.reads} "
          "(interleaved)")
    print(f"{'report':28} {'read µs':>8} {'× seed':>7} {'splitter µs':>12} "
          f"{'rest × seed':>12}  target ≤ 2×")
    for name in names:
        median = statistics.median(times[name])
        in_split = statistics.median(split[name])
        verdict = "" if name == SEED else ("met" if median <= 2 * seed else "NOT met")
        print(f"{name:28} {median * 1e6:8.0f} {median / seed:7.2f} {in_split * 1e6:12.0f} "
              f"{(median - in_split) / seed:12.2f}  {verdict}")


if __name__ == "__main__":
    main()
