"""check DIR: which files are reports, which are one report twice, series order,
results in input order, the summary's weak reads and hidden findings, baselines.

Each test is one behaviour a planted bug in ``_corpus``, ``_scratch``,
``_summary`` or ``_baseline`` broke while the other tests passed.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure import Blank, CellRef
from govdisclosure._baseline import Baseline
from govdisclosure._corpus import CheckOptions, FileResult, SeriesResult, _ordered, check_paths
from govdisclosure._summary import MAX_WEAK_SHOWN, Summary
from govdisclosure.cli import main
from govdisclosure.errors import ReadError
from govdisclosure.model.coverage import ReadCoverage
from govdisclosure.model.schema import build_report, cell_values, form
from govdisclosure.testing.samples import sample_report

BODY = "某县财政局"


def _values(seed: int) -> dict[CellRef, Any]:
    return dict(zip(form("2021").refs(), cell_values(sample_report(seed, "2021")), strict=True))


def _write(folder: Path, name: str, report: gd.Report) -> Path:
    path = folder / name
    path.write_text(gd.dumps(report, "json"), encoding="utf-8")
    return path


def _checked(*paths: Path) -> tuple[list[FileResult], list[SeriesResult]]:
    files: list[FileResult] = []
    series: list[SeriesResult] = []
    for result in check_paths([str(p) for p in paths], CheckOptions(), jobs=1):
        if isinstance(result, FileResult):
            files.append(result)
        else:
            series.append(result)
    return files, series


# --- which files are reports ----------------------------------------------------------


def test_a_report_whose_errors_are_only_not_assessable_is_ok(tmp_path: Path) -> None:
    values = _values(1)
    values[CellRef("applications", "received", "commercial")] = Blank("")
    path = _write(tmp_path, "r.json", build_report("2021", values, year=2021, agency=BODY))
    (result,), _ = _checked(path)
    assert any(f["severity"] == "error" and f["status"] == "not_assessable"
               for f in result.findings)
    assert result.ok
    assert main(["check", str(path)], io.StringIO(), io.StringIO()) == 0


def test_tables_without_a_year_a_body_or_a_title_are_still_a_report(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.json", build_report("2021", _values(2)))
    (result,), _ = _checked(path)
    assert result.not_report is None and result.error is None
    assert result.ok


def test_a_broken_report_in_traditional_characters_is_unreadable_not_a_non_report(
    tmp_path: Path,
) -> None:
    text = gd.dumps(sample_report(9), "text")
    broken = text[: len(text) // 50].replace("信息公开", "信息公開")
    assert "信息公开" not in broken and "信息公開" in broken
    (tmp_path / "broken.txt").write_text(broken, encoding="utf-8")
    (result,), _ = _checked(tmp_path)
    assert result.not_report is None and result.error is not None


# --- one report twice, and series ------------------------------------------------------


def test_a_report_repeating_last_years_numbers_is_no_duplicate_and_s1_sees_it(
    tmp_path: Path,
) -> None:
    values = _values(3)
    _write(tmp_path, "a.json", build_report("2021", values, year=2021, agency=BODY))
    _write(tmp_path, "b.json", build_report("2021", values, year=2022, agency=BODY))
    files, (series,) = _checked(tmp_path)
    assert [f.duplicate_of for f in files] == [None, None]
    assert series.years == (2021, 2022)
    assert [f["actual"] for f in series.findings if f["rule"] == "S1"] == ["identical numbers"]


def test_two_reports_of_one_year_sharing_no_number_are_not_one_report(tmp_path: Path) -> None:
    _write(tmp_path, "a.json", build_report("2021", {}, year=2021, agency=BODY))  # all blank
    _write(tmp_path, "b.json", build_report("2021", _values(4), year=2021, agency=BODY))
    files, (series,) = _checked(tmp_path)
    assert [f.duplicate_of for f in files] == [None, None]
    assert [f["rule"] for f in series.findings] == ["series-duplicate-year"]


def test_a_report_with_no_year_comes_last_in_its_series(tmp_path: Path) -> None:
    _write(tmp_path, "a.json", build_report("2021", _values(5), agency=BODY))
    _write(tmp_path, "b.json", build_report("2021", _values(6), year=2022, agency=BODY))
    _write(tmp_path, "c.json", build_report("2021", _values(7), year=2021, agency=BODY))
    _, (series,) = _checked(tmp_path)
    assert series.years == (2021, 2022, None)
    assert [Path(f).name for f in series.files] == ["c.json", "b.json", "a.json"]


def _square(x: int) -> int:
    return x * x


def test_results_come_in_input_order_however_many_are_in_flight() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        got = list(_ordered(pool, _square, ((i,) for i in range(20)), jobs=1, batch_size=1))
    assert got == [i * i for i in range(20)]


# --- the summary ------------------------------------------------------------------------


def _result(name: str, read: int, tables: tuple[str, ...] = ("active", "applications",
                                                              "appeals")) -> FileResult:
    return FileResult(file=name, ok=True, edition="2021", year=2021, agency=BODY,
                      coverage=ReadCoverage(cells_read=read, cells_total=100,
                                            tables_found=tables))


def test_weak_reads_are_those_missing_a_table_or_under_the_share_weakest_first() -> None:
    summary = Summary()
    summary.add(_result("full.json", 100), [])
    summary.add(_result("half.json", 50), [])
    summary.add(_result("most.json", 89), [])
    summary.add(_result("no-appeals.json", 95, ("active", "applications")), [])
    summary.add(_result("enough.json", 90), [])
    lines = summary.lines("en")
    start = next(i for i, line in enumerate(lines) if line.startswith("  weak reads"))
    assert lines[start].endswith(": 3")
    named = [line.split(":")[0].strip() for line in lines[start + 1:start + 4]]
    assert named == ["half.json", "most.json", "no-appeals.json"]


def test_the_summary_names_the_weakest_reads_only() -> None:
    summary = Summary()
    for i in range(MAX_WEAK_SHOWN + 2):
        summary.add(_result(f"r{i:02d}.json", 10 + i), [])
    text = "\n".join(summary.lines("en"))
    assert f"weak reads (a table missing or under 90% of the cells read): {MAX_WEAK_SHOWN + 2}" \
        in text
    assert "r00.json" in text and f"r{MAX_WEAK_SHOWN - 1:02d}.json" in text
    assert f"r{MAX_WEAK_SHOWN:02d}.json" not in text  # the strongest of the weak


def test_findings_the_baseline_hides_are_counted_for_files_and_series() -> None:
    finding = {"rule": "X1", "severity": "warning", "status": "failed"}
    summary = Summary()
    summary.add(attrs_evolve(_result("a.json", 100), findings=(finding, finding)), [finding])
    summary.add_series(SeriesResult(body=BODY, files=("a.json", "b.json"),
                                    findings=(finding, finding, finding), years=(2021, 2022)),
                       [])
    assert summary.hidden == 1 + 3
    assert "  hidden by the baseline: 4" in summary.lines("en")


def attrs_evolve(result: FileResult, **changes: Any) -> FileResult:
    import attrs

    return attrs.evolve(result, **changes)


# --- the baseline -----------------------------------------------------------------------


def _finding() -> dict[str, Any]:
    return {"rule": "I4", "severity": "error", "status": "failed", "table": "appeals",
            "row": "review", "column": "total", "expected": 5, "actual": 7}


def test_a_finding_reviewed_for_one_year_is_not_hidden_in_the_next() -> None:
    baseline = Baseline()
    finding = _finding()
    this_year = attrs_evolve(_result("a.json", 100), year=2021)
    next_year = attrs_evolve(_result("b.json", 100), year=2022)
    from govdisclosure._baseline import fingerprint

    baseline.fingerprints.add(fingerprint(this_year, finding))
    assert baseline.hides(this_year, finding)
    assert not baseline.hides(next_year, finding)
    moved = attrs_evolve(this_year, file="elsewhere/renamed.json")
    assert baseline.hides(moved, finding)  # the file's name is no part of it


def test_a_finding_reviewed_for_one_body_is_not_hidden_for_another() -> None:
    from govdisclosure._baseline import fingerprint

    finding = _finding()
    ours = _result("a.json", 100)
    theirs = attrs_evolve(ours, agency="另一局")
    assert fingerprint(ours, finding) != fingerprint(theirs, finding)
    other_cell = {**finding, "column": "natural_person"}
    other_rule = {**finding, "rule": "I3"}
    assert len({fingerprint(ours, f) for f in (finding, other_cell, other_rule)}) == 3


def test_a_series_finding_is_keyed_by_its_body_and_the_file_names(tmp_path: Path) -> None:
    from govdisclosure._baseline import fingerprint

    finding = {**_finding(), "rule": "X1", "reports": ["x/a.json", "x/b.json"]}
    ours = SeriesResult(body=BODY, files=("x/a.json", "x/b.json"))
    theirs = SeriesResult(body="另一局", files=("x/a.json", "x/b.json"))
    moved = {**finding, "reports": ["y/a.json", "y/b.json"]}
    assert fingerprint(ours, finding) != fingerprint(theirs, finding)
    assert fingerprint(ours, finding) == fingerprint(ours, moved)


def test_a_baseline_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 2, "fingerprints": []}), encoding="utf-8")
    with pytest.raises(ReadError, match="expected a baseline"):
        Baseline.read(str(path))
    path.write_text(json.dumps({"version": 1, "fingerprints": ["abc"]}), encoding="utf-8")
    assert Baseline.read(str(path)).fingerprints == {"abc"}


def test_the_summary_counts_reports_by_edition_then_year_in_order() -> None:
    summary = Summary()
    for year, edition in ((2022, "2021"), (2020, "2019"), (2021, "2021"), (2022, "2021")):
        summary.add(attrs_evolve(_result("r.json", 100), year=year, edition=edition), [])
    counts = [line.strip() for line in summary.lines("en") if line.startswith("  edition")]
    assert counts == ["edition 2019, year 2020: 1", "edition 2021, year 2021: 1",
                      "edition 2021, year 2022: 2"]
