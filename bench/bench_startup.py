"""Start-up of the command line: ``govdisclosure check FILE`` against ``python -c pass``.

Run on demand: ``.venv/bin/python bench/bench_startup.py [--runs 15]``. Each
command runs in a fresh process, one after the other, alternating so that a
busy moment hurts them alike; the medians of wall time are printed, with the
target of 100 ms for checking one small file. Nothing is asserted (the tests
check by behaviour that one file loads no corpus machinery:
``tests/test_startup.py``).

Every command runs with compiled bytecode, as an installed package does (pip
compiles ``.pyc`` files on install; Python writes them on first import): the
children get ``PYTHONPYCACHEPREFIX`` set to a temporary folder and
``PYTHONDONTWRITEBYTECODE`` removed, and the warm-up run writes the cache.
Without this, an environment that forbids bytecode files (this project's
sandbox sets ``PYTHONDONTWRITEBYTECODE=1``) compiles every module from
source on every start, which costs more than the imports themselves.
``python -c 'import attrs'`` is the floor no attrs-based package goes below.

``--instructions`` counts instead the instructions each command runs, with
valgrind's callgrind (when valgrind is installed; each command once, about 50
times slower than itself): a count does not change with the machine's load,
so it compares two trees, or two steps, on a busy machine where times cannot.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
TARGET_MS = 100.0

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import attrs'": [sys.executable, "-c", "import attrs"],
    "python -c 'import govdisclosure'": [sys.executable, "-c", "import govdisclosure"],
    "govdisclosure --help": [sys.executable, "-m", "govdisclosure", "--help"],
    "check ulanqab-2020.txt (2 kB text)": [
        sys.executable, "-m", "govdisclosure", "check", str(CORPUS / "ulanqab-2020.txt")],
    "check pingtan-2021.html (367 kB page)": [
        sys.executable, "-m", "govdisclosure", "check", str(CORPUS / "pingtan-2021.html")],
}


def wall(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of ``command`` and its CPU seconds (user and system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--from-source", action="store_true",
                        help="forbid bytecode files: every module compiled on every start")
    parser.add_argument("--instructions", action="store_true",
                        help="count each command's instructions with valgrind (load-proof)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govdisclosure-pyc-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        if args.from_source:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = cache
        if args.instructions:
            count_instructions(env)
        else:
            measure(args.runs, env, "compiled from source" if args.from_source else "bytecode")


def instructions(command: list[str], env: dict[str, str]) -> int:
    """The instructions ``command`` runs, as valgrind's callgrind counts them."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False, env=env)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count for {command}:\n{done.stderr[-500:]}")
    return int(found.group(1))


def count_instructions(env: dict[str, str]) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    env = {**env, "PYTHONHASHSEED": "0"}  # the same dictionaries in every run
    for command in COMMANDS.values():
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False, env=env)  # write the bytecode first
    print("millions of instructions (valgrind callgrind, PYTHONHASHSEED=0; load-proof)")
    base = instructions(COMMANDS["python -c pass"], env)
    for name, command in COMMANDS.items():
        count = instructions(command, env)
        extra = "" if name == "python -c pass" else f"  (+{(count - base) / 1e6:.0f})"
        print(f"  {name:<40} {count / 1e6:8.1f}{extra}")


def measure(runs: int, env: dict[str, str], how: str) -> None:
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        wall(command, env)  # warm the file cache and write the bytecode
    for _ in range(runs):
        for name, command in COMMANDS.items():
            seconds, cpu = wall(command, env)
            times[name].append(seconds)
            cpus[name].append(cpu)
    base = statistics.median(times["python -c pass"])
    print(f"medians of {runs} runs each (fresh processes, {how}); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  {'':<40} {'wall':>9} {'CPU':>9}")
    for name, values in times.items():
        ms = statistics.median(values) * 1e3
        cpu_ms = statistics.median(cpus[name]) * 1e3
        extra = "" if name == "python -c pass" else f"  (+{ms - base * 1e3:.0f} ms wall)"
        print(f"  {name:<40} {ms:6.1f} ms {cpu_ms:6.1f} ms{extra}")
    key = "check ulanqab-2020.txt (2 kB text)"
    check_ms = statistics.median(times[key]) * 1e3
    check_cpu = statistics.median(cpus[key]) * 1e3
    verdict = "pass" if check_ms <= TARGET_MS else "miss"
    print(f"check FILE on one small file: {check_ms:.0f} ms wall ({check_cpu:.0f} ms CPU), "
          f"target <= {TARGET_MS:.0f} ms wall: {verdict} (judge on a quiet machine)")


if __name__ == "__main__":
    main()
