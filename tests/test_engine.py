"""The engine's quick paths agree with the plain, cell-by-cell definitions."""

from __future__ import annotations

import random
from decimal import Decimal

import attrs
import pytest

import govdisclosure as gd
from govdisclosure import CellRef
from govdisclosure.model import Edition, form
from govdisclosure.model.schema import get_cell
from govdisclosure.testing.samples import sample_report
from govdisclosure.validation import _compiled, engine


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_flatten_and_assemble_follow_the_form(edition: Edition) -> None:
    report = sample_report(7, edition)
    refs = form(edition).refs()
    flat = gd.model.cell_values(report)
    assert flat == tuple(get_cell(report, ref) for ref in refs)
    rebuilt = gd.build_report(edition, dict(zip(refs, flat, strict=True)),
                              year=report.year, agency=report.agency, title=report.title,
                              introduction=report.introduction, overview=report.overview,
                              problems=report.problems, other_matters=report.other_matters)
    assert rebuilt == report
    assert gd.model.assemble_report(report.edition, flat, year=report.year) == attrs.evolve(
        report, agency=None, title=None, introduction="", overview=None, problems=None,
        other_matters=None)


def _slow(report: gd.Report) -> tuple[gd.Finding, ...]:
    """Every finding of the rules, evaluated in full without the quick check."""
    flat = gd.model.cell_values(report)
    plan = engine._plan(report.edition, gd.RULES)
    checked = (engine._evaluate(report, plan, k, flat) for k in range(len(plan.checks)))
    every = range(len(flat))
    return (*engine._domain_findings(report, plan, flat, every), *(f for f in checked if f))


def _quick(report: gd.Report) -> bool:
    """The clean-check, compiled; asserted equal to its plain reference."""
    plan = engine._plan(report.edition, gd.RULES)
    flat = gd.model.cell_values(report)
    assert _compiled.flattener(report.edition)(report) == flat
    assert plan.clean(flat) is engine.plain_clean(plan, flat)
    return plan.clean(flat)


# (A non-finite amount cannot be put in a report: the model refuses it.)
BAD_VALUES = [-1, 1, 10**6, gd.Blank(""), gd.Blank("/"), Decimal("-0.5")]


def test_quick_check_agrees_with_the_full_rules() -> None:
    rng = random.Random(3)
    for seed in range(150):
        report = sample_report(seed)
        refs = form(report.edition).refs()
        assert _quick(report) is (not _slow(report))
        ref = rng.choice(refs)
        kind = form(report.edition).column_kind(ref)
        value: gd.Value = rng.choice(BAD_VALUES)
        if kind == "amount" and type(value) is int:
            value = Decimal(value)
        if kind != "amount" and isinstance(value, Decimal):
            continue
        old = get_cell(report, ref)
        if isinstance(old, int) and isinstance(value, int) and not isinstance(value, bool):
            value = old + value
        broken = gd.replace_cells(report, {ref: value})
        slow = _slow(broken)
        assert _quick(broken) is (not slow)
        found = gd.validate(broken).findings
        assert tuple(f for f in found if f.rule not in ("likely-cell", "T1")) == slow
        assert tuple(f for f in found if f.rule == "likely-cell") == gd.diagnose(broken)


def _broken(report: gd.Report, rng: random.Random, count: int, blanks: bool) -> gd.Report:
    """``report`` with ``count`` cells changed: blanked (all of them, when
    ``blanks``), or a bad value of their kind."""
    spec = form(report.edition)
    changes: dict[CellRef, gd.Value] = {}
    for ref in rng.sample(spec.refs(), count):
        kind = spec.column_kind(ref)
        value: gd.Value = rng.choice(BAD_VALUES[3:5] if blanks else BAD_VALUES)
        if kind == "amount" and type(value) is int:
            value = Decimal(value)
        if kind != "amount" and isinstance(value, Decimal):
            value = gd.Blank("")
        old = get_cell(report, ref)
        if isinstance(old, int) and isinstance(value, int):
            value = old + value
        changes[ref] = value
    return gd.replace_cells(report, changes)


def test_validate_finds_what_the_full_rules_find_with_several_cells_broken() -> None:
    # Several blanks at once, with or without a failing identity or a cell out
    # of its domain: each way ``_suspects`` sorts the cells and checks out
    # (with the blanks read as 0 the clean-check passes, or it does not).
    rng = random.Random(5)
    passed = failed = 0
    for seed in range(120):
        report = _broken(sample_report(seed), rng, rng.choice((2, 3, 5)), seed % 2 == 0)
        plan = engine._plan(report.edition, gd.RULES)
        flat = gd.model.cell_values(report)
        zeroed = [plan.zeros[i] if isinstance(v, gd.Blank) else v for i, v in enumerate(flat)]
        if plan.clean(zeroed):
            passed += 1
        else:
            failed += 1
        found = gd.validate(report).findings
        assert tuple(f for f in found if f.rule not in ("likely-cell", "T1")) == _slow(report)
    assert passed > 10 and failed > 10  # both ways are taken


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
        known = 0
        for ref, sign in terms:
            value = values[ref]
            if isinstance(value, int):  # identities hold counts only
                known += sign * value
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
        kind = form(report.edition).column_kind
        changes: dict[CellRef, gd.Value] = {
            ref: (Decimal(rng.randint(0, 9)) if kind(ref) == "amount"
                  else rng.choice([rng.randint(0, 9), gd.Blank("")]))
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
            gd.replace_cells(report, {CellRef("appeals", "review", "total"): 1.5})  # type: ignore[dict-item]  # the wrong type on purpose
