"""Every script in examples/ runs and does what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import govdisclosure as gd

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_runs(script: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out.json")],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_build_from_numbers_gives_a_clean_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    subprocess.run([sys.executable, str(EXAMPLES / "build_from_numbers.py"), str(out)],
                   check=True, capture_output=True)
    report = gd.load(out)
    result = gd.validate(report)
    # Nothing fails; every cell the identities filled is listed as such.
    assert result.ok and {f.rule for f in result} == {"inferred"}
    assert len(result) == sum(1 for src in report.provenance.values() if src.inferred_by)
    assert report.applications.total_handled.total == 13
    assert report.provenance  # the inferred cells say so
    assert all(src.inferred_by for src in report.provenance.values())
