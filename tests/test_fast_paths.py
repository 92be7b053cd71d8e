"""The generated fast paths agree with the plain, cell-by-cell definitions."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import govdisclosure as gd
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
    spec = gd.model.form_of(report)
    values = dict(gd.iter_cells(report))
    return (*engine._domain_findings(report, spec, values),
            *engine._check_findings(report, spec, values))


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
        assert gd.validate(broken).findings == slow


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
        spec = gd.model.form_of(broken)
        values = dict(gd.iter_cells(broken))
        every = list(engine._check_findings(broken, spec, values))
        only = list(engine._check_findings(
            broken, spec, values, engine._suspects(broken.edition)(gd.model.cell_values(broken))))
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
        values = dict(gd.iter_cells(broken))
        every = list(engine._domain_findings(broken, spec, values))
        only = list(engine._domain_findings(
            broken, spec, values,
            engine._domain_suspects(broken.edition)(gd.model.cell_values(broken))))
        assert only == every
