"""Hostile inputs against the command line: the answer and the time of each.

Prints the table of docs/reliability.md (Markdown). Each case runs
``python -m govdisclosure`` in a fresh process (start-up included) with a
time limit; the answer is the exit status and the first line of the message.

    python bench/hostile.py [--limit SECONDS]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def _document() -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    from govdisclosure import dumps
    from govdisclosure.testing.samples import sample_report

    data: dict[str, object] = json.loads(dumps(sample_report(1, "2021")))
    return data


def _json_with(**changes: object) -> str:
    data = _document()
    data.update(changes)
    return json.dumps(data, ensure_ascii=False)


def _amount(value: str) -> str:
    data = _document()
    active = data["active"]
    assert isinstance(active, dict)
    active["art20_8"] = {"fees": {"amount": value}}
    return json.dumps(data)


def _count(value: int) -> str:
    data = _document()
    applications = data["applications"]
    assert isinstance(applications, dict)
    applications["received"]["natural_person"] = value
    return json.dumps(data)


def _sparse(path: Path) -> None:
    with path.open("wb") as stream:
        stream.truncate(100 << 20)


def _page_amount(value: str) -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from govdisclosure import dumps
    from govdisclosure.testing.samples import sample_report

    page = dumps(sample_report(1, "2021"), "html")
    cell = page.index('data-cell="active/art20_8.fees/amount"')
    start = page.index(">", cell) + 1
    return page[:start] + value + page[page.index("<", start):]


def _folder(base: Path) -> Path:
    folder = base / "folder"
    (folder / "sub").mkdir(parents=True)
    good = (CORPUS / "pingtan-2021.txt").read_bytes()
    (folder / "good.txt").write_bytes(good)
    os.mkfifo(folder / "pipe.txt")
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "sub" / "up").symlink_to("..")
    Path(os.fsdecode(bytes(folder) + b"/bad\xff.txt")).write_bytes(good)
    (folder / "dup.json").write_text('{"a": 1, "a": 2}', "utf-8")
    return folder


# (case, file name, how to make it, extra arguments, command)
Make = Callable[[Path], object]
CASES: list[tuple[str, str, Make, tuple[str, ...], str]] = [
    ("`<div>` × 20,000 (100 kB)", "div.html",
     lambda p: p.write_text("<div>" * 20_000), (), "check"),
    ("`<div>` × 40,000", "div40.html", lambda p: p.write_text("<div>" * 40_000), (), "check"),
    ("`<div>` × 980,000 (4.9 MB)", "div49.html",
     lambda p: p.write_text("<div>" * 980_000), (), "check"),
    ("`<li>` × 10,000", "li.html", lambda p: p.write_text("<li>" * 10_000), (), "check"),
    ("`<table><tr><td>` × 20,000 (nested tables)", "tables.html",
     lambda p: p.write_text("<table><tr><td>" * 20_000), (), "check"),
    ("JSON amount `\"1e999999999\"`", "exp.json",
     lambda p: p.write_text(_amount("1e999999999")), (), "check"),
    ("same, `convert --to text`", "exp2.json",
     lambda p: p.write_text(_amount("1e999999999")), ("--to", "text"), "convert"),
    ("JSON amount `\"NaN\"`", "nan.json", lambda p: p.write_text(_amount("NaN")), (), "check"),
    ("JSON literal `NaN` as the year", "nanlit.json",
     lambda p: p.write_text(_json_with(year=0).replace('"year": 0', '"year": NaN')), (),
     "check"),
    ("JSON year of 5,000 digits", "year.json",
     lambda p: p.write_text(_json_with(year=0).replace('"year": 0', '"year": ' + "9" * 5000)),
     (), "check"),
    ("JSON count of 20 digits", "count.json", lambda p: p.write_text(_count(10**19)), (),
     "check"),
    ("JSON string `\"\\ud800\"` (lone surrogate)", "sur.json",
     lambda p: p.write_text(_json_with(agency="A").replace('"A"', '"\\ud800"')), (), "check"),
    ("JSON key given twice", "dup.json",
     lambda p: p.write_text(_json_with().replace('"year":', '"year": 1, "year":', 1)), (),
     "check"),
    ("JSON nested 100,000 deep", "deep.json",
     lambda p: p.write_text("[" * 100_000 + "]" * 100_000), (), "check"),
    ("generated page, amount `1e999999999`", "page.html",
     lambda p: p.write_text(_page_amount("1e999999999")), (), "check"),
    ("generated page, amount `Infinity`", "pageinf.html",
     lambda p: p.write_text(_page_amount("Infinity")), (), "check"),
    ("text report, NUL after 64 K characters", "nul.txt",
     lambda p: p.write_text((CORPUS / "pingtan-2021.txt").read_text("utf-8")
                            + "\n" * 70_000 + "\x00"), (), "check"),
    ("empty file", "empty.txt", lambda p: p.write_text(""), (), "check"),
    ("1 MB of random bytes", "random.txt", lambda p: p.write_bytes(os.urandom(1 << 20)), (),
     "check"),
    ("100 MB file (sparse)", "big.txt", _sparse,
     (), "check"),
    ("a FIFO on the command line", "pipe.txt", lambda p: os.mkfifo(p), (), "check"),
    ("`--from text /dev/zero`", "/dev/zero", lambda p: None, ("--from", "text"), "check"),
    ("a folder: FIFO, link loops, non-UTF-8 name, bad JSON, one good report", "",
     lambda p: None, (), "folder"),
]


def run_case(base: Path, name: str, make: Make, extra: tuple[str, ...], command: str,
             limit: float) -> tuple[str, float]:
    if command == "folder":
        target = str(_folder(base))
        argv = ["check", "--lang", "en", "--jobs", "2", target]
    else:
        target = name if name.startswith("/") else str(base / name)
        if not name.startswith("/"):
            make(Path(target))
        argv = [command, "--lang", "en", *extra, target]
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "govdisclosure", *argv],
                              capture_output=True, text=True, timeout=limit,
                              errors="backslashreplace", cwd=base)
    except subprocess.TimeoutExpired:
        return f"no answer within {limit:.0f} s", time.perf_counter() - start
    elapsed = time.perf_counter() - start
    lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
    if command == "folder":
        shown = "; ".join(ln.split(": ", 2)[-1] for ln in lines if "error:" in ln)
        summary = next((ln for ln in lines if ln.startswith("files read")), "")
        message = f"{summary}; {shown}"
    elif command == "convert" and done.returncode == 0:
        message = f"{len(done.stdout):,} characters written"
    else:
        first = lines[0] if lines else ""
        message = first.replace(str(base) + "/", "").replace("govdisclosure: error: ", "")
    message = message.replace("|", "\\|")
    if len(message) > 160:
        message = message[:157] + "…"
    return f"exit {done.returncode}: {message}", elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=120.0,
                        help="seconds allowed per case (default 120)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores; wall time per case, start-up included.\n")
    print("| case | command | answer | time |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        base = Path(tmp)
        for case, name, make, extra, command in CASES:
            answer, elapsed = run_case(base, name, make, extra, command, args.limit)
            shown = "check DIR" if command == "folder" else " ".join((command, *extra))
            print(f"| {case} | `{shown}` | {answer} | {elapsed:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
