"""A longer fuzz run of every reader: mutated reports, crashes, the slowest input.

Each input is a corpus report (text, Markdown, HTML), a generated JSON document
or a generated page, with one to six random edits (a separator, markup, stray
or hostile characters inserted; a character deleted; a line dropped or
doubled). A crash is any exception other than ``ReadError`` from the reader,
or any exception from ``validate`` and the writers on what was read.

    python bench/fuzz.py [--inputs N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import govdisclosure as gd  # noqa: E402  # after the path is set
from govdisclosure.errors import ReadError  # noqa: E402
from govdisclosure.testing.samples import sample_report  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
PIECES = ["|", "｜", "\t", " ", "\n", "\n\n", "<td>", "</tr>", "<div>" * 50, "<", "&", "&#0;",
          "—", "/", "无", "一、", "总计", "x", "\"", "{", "]", ",", "\x00", "\ud800", "\ufeff",
          "1", "9" * 40, "1e999999999", "NaN", "-", "<li>" * 200]


def sources() -> dict[str, tuple[str, str]]:
    """Name -> (format, text) of every input mutated."""
    out = {p.name: ("markdown" if p.suffix == ".md" else "html" if p.suffix == ".html"
                    else "text", p.read_text("utf-8"))
           for p in sorted(CORPUS.glob("*.*"))
           if p.suffix in (".txt", ".md", ".html") and p.name != "SOURCES.md"}
    for seed in range(3):
        out[f"generated-{seed}.json"] = ("json", gd.dumps(sample_report(seed)))
        out[f"generated-{seed}.html"] = ("html", gd.dumps(sample_report(seed), "html"))
    return out


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(max(len(text), 1))
        kind = rng.choice(("insert", "delete", "drop", "double"))
        if kind == "insert":
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1:]
        else:
            lines = text.split("\n")
            i = at % len(lines)
            lines[i:i + 1] = [] if kind == "drop" else [lines[i], lines[i]]
            text = "\n".join(lines)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=2000, help="inputs to try (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    inputs = sources()
    names = list(inputs)
    crashes: list[tuple[str, str]] = []
    refused = 0
    slowest = (0.0, "", "")
    start = time.perf_counter()
    for n in range(args.inputs):
        name = names[n % len(names)]
        fmt, text = inputs[name]
        mutated = mutate(text, rng)
        t0 = time.perf_counter()
        try:
            report = gd.loads(mutated, fmt)
            gd.validate(report)
            for writer in ("json", "text", "markdown", "csv", "html"):
                gd.dumps(report, writer)
        except ReadError:
            refused += 1
        except Exception:  # what the run is looking for
            crashes.append((name, traceback.format_exc(limit=3)))
        elapsed = time.perf_counter() - t0
        if elapsed > slowest[0]:
            slowest = (elapsed, name, f"{len(mutated):,} characters")
    total = time.perf_counter() - start
    print(f"inputs tried: {args.inputs:,} (from {len(names)} reports, seed {args.seed}) "
          f"in {total:.1f} s")
    print(f"refused with a ReadError: {refused:,}; read: {args.inputs - refused - len(crashes):,}")
    print(f"crashes: {len(crashes)}")
    for name, trace in crashes[:10]:
        print(f"--- {name}\n{trace}")
    print(f"slowest input: {slowest[0] * 1000:.0f} ms ({slowest[1]}, {slowest[2]})")


if __name__ == "__main__":
    main()
