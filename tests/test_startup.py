"""Start-up of the command line: checking one file loads no corpus machinery.

The time itself is measured by ``bench/bench_startup.py`` (never asserted
here); what keeps it short is checked by behaviour: which modules a run loads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"

# Workers, the on-disk indexes of a folder's files and bodies, and the optional
# outputs: none is needed to check a file named on the command line.
_HEAVY = ("concurrent.futures.process", "multiprocessing", "sqlite3", "pandas", "pyarrow")

_PROBE = """
import io, sys
from govdisclosure.cli import main
code = main(sys.argv[1:], io.StringIO(), io.StringIO())
print(code, " ".join(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=_HEAVY), *args],
        capture_output=True, text=True, check=True,
    )
    code, *modules = done.stdout.split()
    return int(code), set(modules)


def test_checking_one_file_starts_no_workers_and_no_index() -> None:
    for name in ("ulanqab-2020.txt", "pingtan-2021.html"):
        code, modules = _loaded("check", str(CORPUS / name))
        assert code in (0, 1)
        assert modules == set(), name


def test_checking_a_folder_starts_workers(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text((CORPUS / "ulanqab-2020.txt").read_text("utf-8"), "utf-8")
    code, modules = _loaded("check", "--jobs", "2", str(tmp_path))
    assert code in (0, 1)
    assert {"concurrent.futures.process", "sqlite3"} <= modules
