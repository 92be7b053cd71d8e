"""The report model: the form of each edition, construction, cells and blanks."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure import (
    EDITIONS,
    AppealRow,
    ApplicantRow,
    Blank,
    CellRef,
    CellSource,
    Report,
    Report2019,
    Report2021,
    Status,
    blank_report,
    build_report,
    form,
    get_cell,
    iter_cells,
    replace_cells,
    validate,
)
from govdisclosure.model import Edition, FeeAmountRow2021, ItemsRow2019, ProcurementRow2019
from govdisclosure.model.provenance import Provenance
from govdisclosure.testing.strategies import reports

# The data dictionary of FORMAT.md, written out here so that the model is
# checked against the contract rather than against itself.
APPLICANTS = ["natural_person", "commercial", "research", "public_interest",
              "legal_services", "other", "total"]
WITHHELD = ["state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
            "internal_affairs", "process_information", "enforcement_files", "query_matters"]
UNAVAILABLE = ["not_held", "needs_creation", "still_unclear"]
NOT_PROCESSED = ["petition", "duplicate", "publication", "excessive", "confirmation"]
OTHER_HANDLING = {
    "2019": ["other_handling"],
    "2021": ["other_handling.no_correction", "other_handling.fee_unpaid",
             "other_handling.other"],
}


def application_rows(edition: str) -> list[str]:
    return [
        "received", "carried_over", "granted", "partially_granted",
        *(f"withheld.{k}" for k in WITHHELD),
        *(f"unavailable.{k}" for k in UNAVAILABLE),
        *(f"not_processed.{k}" for k in NOT_PROCESSED),
        *OTHER_HANDLING[edition],
        "total_handled", "carried_forward",
    ]


ACTIVE = {
    "2019": {
        "art20_1.rules": ["made", "published", "total_published"],
        "art20_1.normative_documents": ["made", "published", "total_published"],
        "art20_5.licensing": ["previous_items", "change", "decisions"],
        "art20_5.other_services": ["previous_items", "change", "decisions"],
        "art20_6.penalties": ["previous_items", "change", "decisions"],
        "art20_6.coercive_measures": ["previous_items", "change", "decisions"],
        "art20_8.fees": ["previous_items", "change"],
        "art20_9.procurement": ["projects", "amount"],
    },
    "2021": {
        "art20_1.rules": ["issued", "repealed", "in_force"],
        "art20_1.normative_documents": ["issued", "repealed", "in_force"],
        "art20_5.licensing": ["decisions"],
        "art20_6.penalties": ["decisions"],
        "art20_6.coercive_measures": ["decisions"],
        "art20_8.fees": ["amount"],
    },
}
APPEALS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]


# --- the form ---------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_form_matches_the_data_dictionary(edition: Edition) -> None:
    spec = form(edition)
    apps = spec.table("applications")
    assert [r.key for r in apps.rows] == application_rows(edition)
    assert len(apps.rows) == {"2019": 23, "2021": 25}[edition]
    assert all([c.key for c in r.columns] == APPLICANTS for r in apps.rows)
    active = spec.table("active")
    assert {r.key: [c.key for c in r.columns] for r in active.rows} == ACTIVE[edition]
    appeals = spec.table("appeals")
    assert [r.key for r in appeals.rows] == APPEALS
    assert all([c.key for c in r.columns] == APPEAL_COLUMNS for r in appeals.rows)


def test_labels_are_the_official_ones() -> None:
    spec = form("2021")
    assert spec.table("applications").label == "三、收到和处理政府信息公开申请情况"
    row = spec.row("applications", "partially_granted")
    assert row.label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert row.column("natural_person").label == "自然人"
    assert spec.row("active", "art20_8.fees").column("amount").label == (
        "本年收费金额（单位：万元）"
    )
    assert spec.row("applications", "withheld.state_secret").group_label == "（三）不予公开"


def test_column_kinds() -> None:
    assert form("2019").column_kind(CellRef("active", "art20_5.licensing", "change")) == "signed"
    assert form("2019").column_kind(CellRef("active", "art20_9.procurement", "amount")) == (
        "amount"
    )
    assert form("2021").column_kind(CellRef("appeals", "review", "total")) == "count"


def test_unknown_edition() -> None:
    with pytest.raises(ValueError, match="2019, 2021"):
        form("2020")


def test_editions_are_distinct() -> None:
    # The 2019 and 2021 art20_1 columns mean different things: never the same keys.
    old = form("2019").row("active", "art20_1.rules").columns
    new = form("2021").row("active", "art20_1.rules").columns
    assert not {c.key for c in old} & {c.key for c in new}
    assert Report2019.edition == "2019" and Report2021.edition == "2021"
    a, b = blank_report("2019"), blank_report("2021")
    assert a != b
    assert type(a.applications) is not type(b.applications)
    assert a.appeals == b.appeals  # table 四 is the same in both editions


# --- construction -----------------------------------------------------------------


def test_blank_report_has_every_cell_blank() -> None:
    report = blank_report("2021", year=2022, agency="龙口镇人民政府", title="2022年年报")
    assert (report.year, report.agency, report.title) == (2022, "龙口镇人民政府", "2022年年报")
    cells = list(iter_cells(report))
    assert len(cells) == len(form("2021").refs())
    assert all(value == Blank("") for _, value in cells)
    # Blank is never 0: nothing fails, everything is not assessable.
    result = validate(report)
    assert result.ok and result.findings
    assert all(f.status is Status.NOT_ASSESSABLE for f in result.findings)


def test_build_report_fills_given_cells_and_leaves_others_blank() -> None:
    ref = CellRef("appeals", "review", "upheld")
    report = build_report("2019", {ref: 2}, year=2020, agency="乌兰察布市人民政府办公室")
    assert get_cell(report, ref) == 2
    assert report.appeals.review.upheld == 2
    assert get_cell(report, CellRef("appeals", "review", "total")) == Blank("")
    assert isinstance(report, Report2019) and report.year == 2020


def test_build_report_refuses_cells_the_edition_does_not_have() -> None:
    procurement = CellRef("active", "art20_9.procurement", "projects")
    with pytest.raises(KeyError, match="edition 2021 has no cells active/art20_9"):
        build_report("2021", {procurement: 1})
    with pytest.raises(KeyError, match="applications/received/nobody"):
        build_report("2019", {CellRef("applications", "received", "nobody"): 1})


def test_build_report_refuses_unknown_fields() -> None:
    with pytest.raises(TypeError):
        build_report("2021", {}, colour="red")


@pytest.mark.parametrize("bad", [1.0, True, "3", None, Decimal(3)])
def test_count_cells_refuse_anything_but_int_or_blank(bad: Any) -> None:
    with pytest.raises(TypeError, match="natural_person: expected an int or a Blank"):
        attrs.evolve(_row(), natural_person=bad)
    with pytest.raises(TypeError, match="expected an int or a Blank"):
        build_report("2021", {CellRef("appeals", "review", "total"): bad})


def test_count_cells_refuse_subclasses_of_int_and_blank() -> None:
    # Exactly int or Blank: the validation engine's fast path relies on it.
    class Printed(Blank):
        pass

    class Big(int):
        pass

    for bad in (Printed("/"), Big(3)):
        with pytest.raises(TypeError, match="expected an int or a Blank"):
            attrs.evolve(_row(), natural_person=bad)


def test_negative_counts_are_kept_for_d1_to_report() -> None:
    report = build_report("2021", {CellRef("appeals", "review", "pending"): -3})
    assert get_cell(report, CellRef("appeals", "review", "pending")) == -3


@pytest.mark.parametrize("bad", [0.1, "0.1", True])
def test_amount_cells_refuse_floats(bad: Any) -> None:
    with pytest.raises(TypeError, match="amount: expected a Decimal or a Blank"):
        FeeAmountRow2021(amount=bad)


def test_amount_cells_take_an_int_as_a_decimal() -> None:
    # The converter takes an int; the annotation names the type it becomes.
    row = ProcurementRow2019(projects=3, amount=251000)  # type: ignore[arg-type]
    assert row.amount == Decimal(251000) and isinstance(row.amount, Decimal)
    exact = ProcurementRow2019(projects=3, amount=Decimal("52.10"))
    assert str(exact.amount) == "52.10"


def test_signed_change_may_be_negative() -> None:
    row = ItemsRow2019(previous_items=10, change=-8, decisions=0)
    assert row.change == -8


def test_classes_are_frozen_and_keyword_only() -> None:
    row = AppealRow(upheld=0, corrected=0, other=0, pending=0, total=0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        row.total = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        AppealRow(0, 0, 0, 0, 0)  # type: ignore[call-arg]  # positional: the point of the test


def _row() -> ApplicantRow:
    return ApplicantRow(
        natural_person=0, commercial=0, research=0, public_interest=0,
        legal_services=0, other=0, total=0,
    )


# --- Blank ------------------------------------------------------------------------


def test_blank_keeps_what_was_printed() -> None:
    assert Blank() == Blank("")
    assert Blank("/") != Blank("")
    assert Blank("—").printed == "—"
    assert str(Blank("无")) == "无"
    assert Blank("") != 0  # type: ignore[comparison-overlap]  # never read as 0
    report = build_report("2021", {CellRef("appeals", "review", "total"): Blank("/")})
    assert get_cell(report, CellRef("appeals", "review", "total")) == Blank("/")


# --- cells, equality, provenance ----------------------------------------------------


@given(reports())
def test_iter_cells_and_build_report_round_trip(report: Report) -> None:
    fields = {
        name: getattr(report, name)
        for name in ("year", "agency", "publisher", "title", "introduction", "overview",
                     "problems", "other_matters", "unplaced")
    }
    extra = {t: getattr(report, t).extra_rows for t in ("active", "applications", "appeals")}
    rebuilt = build_report(report.edition, dict(iter_cells(report)), extra_rows=extra, **fields)
    assert rebuilt == report
    assert [ref for ref, _ in iter_cells(report)] == list(form(report.edition).refs())


@given(reports())
def test_replace_cells_changes_only_the_given_cells(report: Report) -> None:
    ref = CellRef("appeals", "review", "upheld")
    before = dict(iter_cells(report))
    changed = replace_cells(report, {ref: Blank("/")}, {ref: CellSource(line=7)})
    after = dict(iter_cells(changed))
    assert after[ref] == Blank("/")
    assert {k for k in before if before[k] != after[k]} == {ref}
    assert changed.provenance[ref] == CellSource(line=7)
    assert dict(iter_cells(report)) == before  # the original is untouched


@given(reports(), st.lists(st.integers(0, 10**6), min_size=1, max_size=12))
def test_replace_cells_of_many_rows_is_each_replaced_in_turn(
        report: Report, picks: list[int]) -> None:
    # A table is rebuilt once for all its changed rows: the same report as
    # changing the cells one at a time.
    refs = form(report.edition).refs()
    changes = {refs[p % len(refs)]: Blank(str(k)) for k, p in enumerate(picks)}
    one_by_one = report
    for ref, value in changes.items():
        one_by_one = replace_cells(one_by_one, {ref: value})
    assert replace_cells(report, changes) == one_by_one
    assert dict(iter_cells(replace_cells(report, changes))) == dict(iter_cells(one_by_one))


@given(st.sampled_from(["2019", "2021"]), st.data())
def test_compact_provenance_answers_in_and_bool_as_a_mapping_does(
        edition: Edition, data: st.DataObject) -> None:
    refs = form(edition).refs()
    kinds = st.sampled_from(["line", "printed", "inferred", "none"])
    sources: dict[CellRef, CellSource] = {}
    for ref in data.draw(st.lists(st.sampled_from(refs), max_size=20)):
        kind = data.draw(kinds)
        if kind == "line":
            sources[ref] = CellSource(line=data.draw(st.integers(1, 50)))
        elif kind == "printed":
            sources[ref] = CellSource(line=3, printed="-")
        elif kind == "inferred":
            sources[ref] = CellSource(inferred_by="I2")
        else:
            sources[ref] = CellSource()
    prov = Provenance(edition, sources)
    marked = prov.inferred_at({data.draw(st.integers(0, len(refs) - 1)): "I1"})
    for p in (prov, marked):
        for ref in (*refs, CellRef("active", "nowhere", "total")):
            assert (ref in p) is (p.get(ref) is not None)
        assert bool(p) is (len(p) > 0)


def test_replace_cells_refuses_unknown_cells() -> None:
    with pytest.raises(KeyError, match="edition 2019 has no cell"):
        replace_cells(blank_report("2019"), {CellRef("active", "art20_8.fees", "amount"): 1})


def test_provenance_headings_and_read_findings_take_no_part_in_equality() -> None:
    ref = CellRef("appeals", "review", "total")
    plain = build_report("2021", {ref: 1})
    read = attrs.evolve(
        plain,
        provenance={ref: CellSource(line=3, printed="1件")},
        headings={"appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
    )
    assert read == plain
    assert read != attrs.evolve(plain, agency="某局")


# --- the docs' examples run and print what the docs say -----------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs"
_EXAMPLE = re.compile(r"```python\n(.*?)```(?:\n\nprints\n\n```\n(.*?)```)?", re.S)


@pytest.mark.parametrize("name", ["model.md", "json.md"])
def test_docs_examples_print_what_they_say(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = _EXAMPLE.findall((DOCS / name).read_text("utf-8"))
    assert examples
    for code, printed in examples:
        exec(compile(code, f"docs/{name}", "exec"), {})
        assert capsys.readouterr().out == printed, code
