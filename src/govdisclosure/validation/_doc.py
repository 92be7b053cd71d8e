"""Render ``docs/rules.md`` from the catalogue of finding codes, so the docs cannot rot.

Regenerate with ``python -m govdisclosure.validation._doc > docs/rules.md``;
a test fails when the file and :func:`rules_markdown` disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..model.schema import form
from .catalogue import CODES, RULES, Rule
from .diagnosis import MAX_ALTERNATIVES, MAX_CANDIDATES, MAX_CELLS, RULE_ID
from .rules import Check, checks

__all__ = ["rules_markdown"]

_COMMAND = "python -m govdisclosure.validation._doc > docs/rules.md"

# Each scope of rule: its heading and what checks it, in the order shown.
_SCOPES: dict[str, tuple[str, str]] = {
    "report": (
        "Rules checked on one report",
        "`validate(report)` checks these on every report, and adds these notes (see "
        "[the diagnosis](#diagnosis-the-likely-wrong-cells) below):",
    ),
    "reader": (
        "Reader findings",
        "Readers report what they met in the input with these codes, in the report's "
        "`read_findings`, always with status `failed`; `validate` returns them first.",
    ),
    "series": (
        "Rules across years",
        "Checked on the reports of one body over consecutive years "
        "(`validate_series`). What it met in the reports it was given has these codes "
        "(status `not_assessable`: no rule is checked across them):",
    ),
    "prose": (
        "Rules on the narrative",
        "Checked on the text of the sections, against the tables or last year's report. "
        "`validate(report)` checks T1 on every report that has an overview (一、总体情况).",
    ),
    "rollup": (
        "Rules on summary reports",
        "Checked on a report that sums the reports of several bodies.",
    ),
}

_INTRO = """\
Every finding govdisclosure makes names one of the rules below by its id.
`govdisclosure.validate(report)` runs the rules checked on one report and returns
a `ValidationResult` listing every finding; it never raises for bad data.
`result.ok` is true when no finding is a failed error: warnings and *not
assessable* findings do not make a report fail. The ids are API: they are never
renamed and never change meaning.

Each finding carries the rule id, the severity, the status, a location
(`table`, `row`, `column`, and the source `line` where a reader recorded one),
the cells the rule involves (`cells`), the blank ones among them (`blanks`),
the two sides it compared (`expected`, `actual`), and one sentence naming the
official labels in Chinese (`message`) and English (`message_en`), for example
`三 / 自然人：一 + 二 = 6，但 （七）总计 + 四 = 5`.
"""

_STATUSES = """\
## Statuses

- `failed`: the rule was checked and does not hold (or a reader met a problem).
- `not_assessable`: a cell the rule needs is blank or holds no number (`/`, `—`,
  `无`, an empty cell). Such a cell is never read as 0, so the rule neither
  passes nor fails; the finding names the blank cells in `blanks`. D1 reports
  each blank cell once as `not_assessable`, except a blank that printed a
  number no cell holds as printed (`1295*`, `1.259`, `四`, `O` for 0): that
  number was not read, so D1 fails it (an error: the report is not ok).

`govdisclosure.infer(report)` fills the blank cells that the equalities (I1–I4)
pin down uniquely and records the rule that forced each value in the report's
provenance (`inferred_by`); it never fills a cell with a negative number.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _pattern(found: Sequence[Check], attr: str, placeholder: str) -> str:
    values = {getattr(c, attr) for c in found}
    if len(values) > 1:
        return placeholder
    (value,) = values
    return "–" if value is None else f"`{value}`"


def _instances(rule: Rule, rules: Sequence[Rule]) -> tuple[str, str]:
    """How many checks the rule makes per edition, and where its findings point."""
    if rule.id == "D1":
        counts = [f"{len(form(ed).refs())} in {ed}" for ed in rule.editions]
        return "one per cell: " + ", ".join(counts), "the cell's table / row / column"
    per_edition = []
    location = ""
    for ed in rule.editions:
        found = [c for c in checks(ed, rules) if c.rule == rule.id]
        if not found:
            continue
        per_edition.append(f"{len(found)} in {ed}")
        location = " / ".join((
            _pattern(found, "table", "any table"),
            _pattern(found, "row", "each row checked"),
            _pattern(found, "column", "each column checked"),
        ))
    return ", ".join(per_edition) or "none", location or "–"


def _rule_section(rule: Rule, rules: Sequence[Rule]) -> list[str]:
    lines = [
        f"### {rule.id}: {rule.title_en} ({rule.title})",
        "",
        f"- Severity: {rule.severity.value}",
        f"- Editions: {', '.join(rule.editions)}",
    ]
    if rule.identity is not None:
        lines.append(f"- Relation: {_RELATIONS[rule.identity.relation]}")
    if rule.scope == "report":
        checked, location = _instances(rule, rules)
        lines.append(f"- Checks: {checked}")
        lines.append(f"- Findings point at (table / row / column): {location}")
    return [
        *lines,
        "",
        f"{rule.statement_en}",
        "",
        f"{rule.statement}",
        "",
    ]


_RELATIONS = {"eq": "left side = right side", "le": "left side <= right side"}


def _codes(scope: str) -> list[str]:
    """The table of the finding codes of ``scope`` that are not rules."""
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    for entry in CODES.values():
        if entry.scope == scope and entry not in RULES:
            lines.append(f"| `{entry.id}` | {entry.severity.value} | "
                         f"{_cell(entry.statement_en)} |")
    lines.append("")
    return lines


_HOW_TO_ADD = """\
## How to add a rule

Every finding code is declared once, in `src/govdisclosure/validation/catalogue.py`;
this page, `validate`, its quick clean-check, `infer` and the messages are read off
that declaration.

- A reader or series code is one line in `_READER` or `_SERIES`: the code, its
  severity, and what it means. Then emit it (the readers' `finding(code, ...)`
  takes the severity from the catalogue) and regenerate this page.
- An identity on one report is one `Rule` in `RULES` with an `Identity`: the
  relation (`eq` or `le`), the words for each side in Chinese and English, and a
  function that gives, for one edition's form, every instance (`Sides`: where it
  sits and the cells on each side). For example, a rule that the lawsuits of
  table 四 never exceed its reviews would be:

```python
def _z1(spec):
    yield Sides(table="appeals", row=None, column="total",
                lhs=(CellRef("appeals", "litigation_direct", "total"),),
                rhs=(CellRef("appeals", "review", "total"),))

Rule(id="Z1", severity=Severity.WARNING, editions=EDITIONS, scope="report",
     title="诉讼不多于复议", title_en="lawsuits within reviews",
     statement="...", statement_en="...",
     identity=Identity(relation="le", instances=_z1,
                       lhs_text=("直接起诉总计", "lawsuits filed directly"),
                       rhs_text=("行政复议总计", "reviews")))
```

  Then add its tests: a report that breaks it gets exactly its finding, and a
  blank cell in it makes it *not assessable* (`tests/test_validation.py` declares
  such a toy rule and checks it in `validate`, `infer`, the quick check and this
  page). Regenerate this page with the command at its top.

`checks(edition)` (exported from `govdisclosure.validation`) gives every
identity instance of an edition as plain data: rule id, relation, location and
the cells on each side (`lhs`, `rhs`). Anything built on the identities (a
diagnosis of which cells are wrong, for instance) reads them there.
"""


_DIAGNOSIS = f"""\
## Diagnosis: the likely wrong cells

One wrong number in （七）总计 breaks its column, its row and its column's
balance, so the failed identities name some thirty cells. When identities fail,
`validate` adds, right after the reader's findings, one finding `{RULE_ID}`
(severity `info`: it fails nothing by itself) per independent part of the
report (table 三, each group of table 四) that has failed identities. It names
the **smallest set of cells whose change makes every identity of I1–I4 hold**,
with the printed and the corrected values, for example
`可能出错的格：三 / （七）总计 / 自然人 印为 20，改为 26，则全部 3 条不成立的等式成立`
(`expected` is the corrected value, `actual` the printed one, when one cell is named).

- Only identities whose every cell holds a number take part; corrected values
  are non-negative integers; a correction must not break an identity that holds.
- Every correction of the smallest size is found: when up to {MAX_ALTERNATIVES}
  tie, the finding lists them all (its `cells` are all their cells); when more
  tie, or the smallest correction changes more than {MAX_CELLS} cells, or the
  search meets its budget, the finding names no cell and says why.
- Exact and bounded: sets of 1, 2, then {MAX_CELLS} cells are searched, each set
  grown only by a cell of a failing identity it does not touch yet or of an
  identity it touches (every larger correction does one of the two), each
  candidate solved in exact integer and rational arithmetic; at most
  {MAX_CANDIDATES:,} candidate sets per part. Sets whose new values the identities
  do not fix are not reported (they could not say what the right numbers are).
- The identities are read off the catalogue (`checks(edition)`), nothing else.
  `govdisclosure.diagnose(report)` returns these findings alone;
  `govdisclosure.validation.diagnosis.diagnose_report` the structured result.
"""


def rules_markdown(rules: Sequence[Rule] = RULES) -> str:
    """The text of ``docs/rules.md``: every rule of ``rules`` (the catalogue's by
    default) and every other finding code, grouped by scope."""
    lines = [
        "# Rules",
        "",
        f"<!-- Generated from the rule catalogue by `{_COMMAND}`. Do not edit by hand. -->",
        "",
        _INTRO,
        "| id | scope | severity | editions | rule | 规则 |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(
            f"| {rule.id} | {rule.scope} | {rule.severity.value} | {', '.join(rule.editions)} | "
            f"{_cell(rule.title_en)} | {_cell(rule.title)} |"
        )
    lines.append("")
    lines.append(_STATUSES)
    scopes = list(_SCOPES) + sorted({r.scope for r in rules} - set(_SCOPES))
    for scope in scopes:
        heading, what = _SCOPES.get(scope, (f"Scope {scope}", ""))
        lines.append(f"## {heading}")
        lines.append("")
        if what:
            lines.append(what)
            lines.append("")
        members = [r for r in rules if r.scope == scope]
        if scope in ("reader", "series", "report"):
            lines.extend(_codes(scope))
        for rule in members:
            lines.extend(_rule_section(rule, rules))
    lines.append(_DIAGNOSIS)
    lines.append(_HOW_TO_ADD)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(rules_markdown())
