"""The generated fast paths agree with the plain, cell-by-cell definitions."""

from __future__ import annotations

import random
from decimal import Decimal

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import CellRef
from govdisclosure.model import form
from govdisclosure.model._compiled import compiled, source
from govdisclosure.model.schema import get_cell
from govdisclosure.testing.samples import sample_report
from govdisclosure.validation import engine


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_flatten_and_assemble_follow_the_form(edition: str) -> None:
    report = sample_report(7, edition)  # type: ignore[arg-type]
    refs = form(edition).refs()  # type: ignore[arg-type]
    flat = compiled(edition).flatten(report)  # type: ignore[arg-type]
    assert flat == tuple(get_cell(report, ref) for ref in refs)
    rebuilt = gd.build_report(edition, dict(zip(refs, flat, strict=True)),  # type: ignore[arg-type]
                              year=report.year, agency=report.agency, title=report.title,
                              introduction=report.introduction, overview=report.overview,
                              problems=report.problems, other_matters=report.other_matters)
    assert rebuilt == report
    assert "def flatten(r):" in source(edition)  # type: ignore[arg-type]


def _slow(report: gd.Report) -> tuple[gd.Finding, ...]:
    flat = gd.model.cell_values(report)
    return (*engine._domain_findings(report, flat), *engine._check_findings(report, flat))


BAD_VALUES = [-1, 1, 10**6, gd.Blank(""), gd.Blank("/"), Decimal("-0.5"), Decimal("Infinity"),
              Decimal("NaN")]


def test_quick_check_agrees_with_the_full_rules() -> None:
    rng = random.Random(3)
    for seed in range(150):
        report = sample_report(seed)
        refs = form(report.edition).refs()
        assert engine._quick(report.edition)(gd.model.cell_values(report)) is (not _slow(report))
        ref = rng.choice(refs)
        kind = form(report.edition).column_kind(ref)
        value = rng.choice(BAD_VALUES)
        if kind == "amount" and type(value) is int:
            value = Decimal(value)
        if kind != "amount" and isinstance(value, Decimal):
            continue
        old = get_cell(report, ref)
        if isinstance(old, int) and isinstance(value, int) and not isinstance(value, bool):
            value = old + value
        broken = gd.replace_cells(report, {ref: value})
        slow = _slow(broken)
        assert engine._quick(broken.edition)(gd.model.cell_values(broken)) is (not slow)
        found = gd.validate(broken).findings
        assert tuple(f for f in found if f.rule not in ("likely-cell", "T1")) == slow
        assert tuple(f for f in found if f.rule == "likely-cell") == gd.diagnose(broken)


def test_json_fast_path_agrees_with_the_full_converter() -> None:
    from govdisclosure import _converter

    rng = random.Random(5)
    for seed in range(60):
        report = sample_report(seed)
        refs = form(report.edition).refs()
        changes = {rng.choice(refs): rng.choice([gd.Blank(""), gd.Blank("—")])
                   for _ in range(3)}
        prov = {ref: gd.CellSource(line=i + 1, printed="减4" if i == 0 else None)
                for i, ref in enumerate(refs[:5])}
        extra = gd.ExtraRow(label="其他主动公开文件", cells=("3", "", "/"), after="art20_1.rules",
                            line=9)
        report = gd.replace_cells(report, changes, prov)
        report = gd.build_report(
            report.edition, dict(gd.iter_cells(report)), extra_rows={"active": (extra,)},
            year=report.year, agency=report.agency, title=report.title,
            provenance=report.provenance,
            headings={"appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
        )
        data = gd.to_data(report)
        fast = gd.from_data(data)
        full = _converter._full_from_data(data, None)
        assert fast == full == report
        assert fast.provenance == full.provenance == report.provenance
        assert fast.headings == full.headings
        assert fast.active.extra_rows == (extra,)


def test_provenance_is_stored_compactly_and_reads_back_the_same() -> None:
    from govdisclosure.model.provenance import Provenance

    report = sample_report(11, "2021")
    refs = form("2021").refs()
    sources = {ref: gd.CellSource(line=10 + i) for i, ref in enumerate(refs)}
    sources[refs[2]] = gd.CellSource(line=12, printed="—")
    sources[refs[5]] = gd.CellSource(inferred_by="I2")
    del sources[refs[7]]
    with_prov = gd.replace_cells(report, {}, sources)
    assert isinstance(with_prov.provenance, Provenance)
    assert dict(with_prov.provenance) == sources
    assert len(with_prov.provenance) == len(sources)
    assert refs[7] not in with_prov.provenance
    with pytest.raises(KeyError):
        with_prov.provenance[refs[7]]
    assert gd.loads(gd.dumps(with_prov)).provenance == with_prov.provenance


def test_provenance_from_lines_matches_the_mapping_form() -> None:
    from govdisclosure.model.provenance import Provenance

    refs = form("2019").refs()
    lines = [0 if i % 7 == 0 else 100 + i for i in range(len(refs))]
    rich = {refs[3]: gd.CellSource(line=103, printed="减4"), refs[7]: gd.CellSource(line=9)}
    fast = Provenance.from_lines("2019", lines, rich)
    expected = {refs[i]: gd.CellSource(line=line) for i, line in enumerate(lines) if line}
    expected.update(rich)
    assert dict(fast) == expected
    huge = Provenance.from_lines("2019", [2**40] + [0] * (len(refs) - 1), {})
    assert dict(huge) == {refs[0]: gd.CellSource(line=2**40)}
    with pytest.raises(ValueError, match="cells"):
        Provenance.from_lines("2019", [1, 2], {})


def test_suspect_checks_cover_every_check_that_makes_a_finding() -> None:
    rng = random.Random(9)
    for seed in range(120):
        report = sample_report(seed)
        refs = form(report.edition).refs()
        changes = {rng.choice(refs): rng.choice(BAD_VALUES[:5]) for _ in range(rng.randint(1, 4))}
        changes = {ref: (Decimal(v) if form(report.edition).column_kind(ref) == "amount"
                         and type(v) is int else v) for ref, v in changes.items()}
        broken = gd.replace_cells(report, changes)
        flat = gd.model.cell_values(broken)
        every = list(engine._check_findings(broken, flat))
        only = list(engine._check_findings(broken, flat, engine._suspects(broken.edition)(flat)))
        assert only == every


def test_domain_suspects_cover_every_cell_d1_reports() -> None:
    rng = random.Random(13)
    for seed in range(120):
        report = sample_report(seed)
        spec = form(report.edition)
        refs = spec.refs()
        changes = {}
        for ref in rng.sample(refs, 4):
            value = rng.choice(BAD_VALUES)
            if spec.column_kind(ref) == "amount" and type(value) is int:
                value = Decimal(value)
            if spec.column_kind(ref) != "amount" and isinstance(value, Decimal):
                continue
            changes[ref] = value
        broken = gd.replace_cells(report, changes)
        flat = gd.model.cell_values(broken)
        every = list(engine._domain_findings(broken, flat))
        suspects = engine._domain_suspects(broken.edition)(flat)
        only = list(engine._domain_findings(broken, flat, suspects))
        assert only == every


# --- infer against a plain solver ------------------------------------------------------


def _plain_infer(report: gd.Report) -> dict[gd.CellRef, tuple[int, str]]:
    """The cells ``infer`` must fill, by the rule its docstring states, done plainly:
    identities in catalogue order, each re-tried when a cell of it is filled."""
    from govdisclosure.validation.rules import checks

    values = dict(gd.iter_cells(report))
    eqs = [c for c in checks(report.edition) if c.relation == "eq"]
    filled: dict[gd.CellRef, tuple[int, str]] = {}
    pending = list(range(len(eqs)))
    while pending:
        k = min(pending)
        pending.remove(k)
        terms = [(ref, 1) for ref in eqs[k].lhs] + [(ref, -1) for ref in eqs[k].rhs]
        unknown = [(ref, sign) for ref, sign in terms if isinstance(values[ref], gd.Blank)]
        known = sum(sign * values[ref] for ref, sign in terms  # type: ignore[misc]
                    if not isinstance(values[ref], gd.Blank))
        solved: list[tuple[gd.CellRef, int]] = []
        if len(unknown) == 1 and -known * unknown[0][1] >= 0:
            solved = [(unknown[0][0], -known * unknown[0][1])]
        elif unknown and known == 0 and len({sign for _, sign in unknown}) == 1:
            solved = [(ref, 0) for ref, _ in unknown]
        for ref, value in solved:
            if ref in filled:
                continue
            values[ref] = value
            filled[ref] = (value, eqs[k].rule)
            for j, other in enumerate(eqs):
                if j != k and ref in other.cells and j not in pending:
                    pending.append(j)
    return filled


def test_infer_agrees_with_a_plain_solver() -> None:
    rng = random.Random(17)
    for seed in range(80):
        report = sample_report(seed)
        refs = form(report.edition).refs()
        for _ in range(4):
            count = rng.choice([1, 3, 7, 20, 60])
            changes: dict[gd.CellRef, gd.Value] = {}
            for ref in rng.sample(refs, count):
                if form(report.edition).column_kind(ref) == "amount":
                    continue
                changes[ref] = gd.Blank(rng.choice(["", "/"])) if rng.random() < 0.9 else -2
            prov = {ref: gd.CellSource(line=i + 1, printed="/" if i % 3 == 0 else None)
                    for i, ref in enumerate(changes)}
            broken = gd.replace_cells(report, changes, prov)
            expected = _plain_infer(broken)
            inferred = gd.infer(broken)
            for ref, value in gd.iter_cells(inferred):
                if ref in expected:
                    assert value == expected[ref][0]
                    old = broken.provenance.get(ref)
                    assert inferred.provenance[ref] == gd.CellSource(
                        line=old.line if old else None, printed=old.printed if old else None,
                        inferred_by=expected[ref][1])
                else:
                    assert value == get_cell(broken, ref)
                    assert inferred.provenance.get(ref) == broken.provenance.get(ref)
            assert len(inferred.provenance) == len(dict(inferred.provenance.items()))
            # What infer marks survives JSON and further changes.
            assert gd.loads(gd.dumps(inferred)).provenance == inferred.provenance
            if expected:
                ref = next(iter(expected))
                moved = gd.replace_cells(inferred, {}, {ref: gd.CellSource(line=99)})
                assert moved.provenance[ref] == gd.CellSource(line=99)
                assert dict(moved.provenance) == {**dict(inferred.provenance),
                                                  ref: gd.CellSource(line=99)}


# --- rebuilding rows and constructors --------------------------------------------------


def test_replace_cells_builds_what_build_report_builds() -> None:
    rng = random.Random(23)
    for seed in range(60):
        report = sample_report(seed)
        refs = form(report.edition).refs()
        changes = {ref: (Decimal(rng.randint(0, 9)) if form(report.edition).column_kind(ref)
                         == "amount" else rng.choice([rng.randint(0, 9), gd.Blank("")]))
                   for ref in rng.sample(refs, rng.randint(1, 30))}
        changed = gd.replace_cells(report, changes)
        values = {**dict(gd.iter_cells(report)), **changes}
        assert changed == gd.build_report(report.edition, values, year=report.year,
                                          agency=report.agency, title=report.title,
                                          introduction=report.introduction,
                                          overview=report.overview, problems=report.problems,
                                          other_matters=report.other_matters)
        assert changed.provenance == report.provenance
        with pytest.raises(TypeError, match="expected an int or a Blank"):
            gd.replace_cells(report, {CellRef("appeals", "review", "total"): 1.5})


def test_fast_constructors_build_what_the_classes_build() -> None:
    from govdisclosure.model._fast import fast_constructor
    from govdisclosure.model.cells import make_cell_source
    from govdisclosure.model.findings import make_finding

    ref = CellRef("appeals", "review", "total")
    kwargs = {"rule": "I4", "severity": gd.Severity.ERROR, "table": "appeals", "row": "review",
                  "column": "total", "line": 4, "cells": (ref,), "expected": 3, "actual": 2,
                  "message": "四", "message_en": "four"}
    made = make_finding(**kwargs)
    assert type(made) is gd.Finding
    assert made == gd.Finding(**kwargs)  # type: ignore[arg-type]
    assert repr(made) == repr(gd.Finding(**kwargs))  # type: ignore[arg-type]
    assert make_finding(rule="D1", severity=gd.Severity.WARNING) == gd.Finding(
        rule="D1", severity=gd.Severity.WARNING)
    with pytest.raises(TypeError):
        make_finding(rule="D1")  # severity is required, as in Finding
    assert make_cell_source(line=3) == gd.CellSource(line=3)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.line = 5  # type: ignore[misc]
    # A class whose __init__ does more than set fields gets no fast constructor,
    # unless the caller says it has checked the values already.
    row = report_row()
    with pytest.raises(TypeError, match="does more"):
        fast_constructor(type(row))
    verified = fast_constructor(type(row), verified=True)
    assert verified(**attrs.asdict(row, recurse=False)) == row
    with pytest.raises(TypeError, match="does more"):
        fast_constructor(type(sample_report(1)), verified=True)  # it has a post-init


def report_row() -> object:
    return sample_report(1).applications.received


def test_not_assessable_words_are_cached_within_bounds() -> None:
    report = sample_report(4)
    ref = CellRef("applications", "received", "natural_person")
    seen = set()
    for k in range(engine._WORDS_MAX + 50):
        broken = gd.replace_cells(report, {ref: gd.Blank(f"x{k}")})
        findings = gd.validate(broken).findings
        assert all(f"x{k}" in f.message for f in findings if f.status.value == "not_assessable")
        seen.add(findings[0].message)
        assert len(engine._WORDS) <= engine._WORDS_MAX
    assert len(seen) == engine._WORDS_MAX + 50
