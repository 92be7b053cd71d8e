"""Fill a blank 2021 report from an office's own numbers, check it, write JSON.

Run: python examples/build_from_numbers.py [OUT.json]
"""

from __future__ import annotations

import sys
from decimal import Decimal

import govdisclosure as gd
from govdisclosure import CellRef

# This year's applications by applicant type, and how they were handled.
received = {"natural_person": 12, "commercial": 2}
granted = {"natural_person": 7, "commercial": 1}
not_held = {"natural_person": 4, "commercial": 1}
carried_forward = {"natural_person": 1}

columns = ("natural_person", "commercial", "research", "public_interest", "legal_services",
           "other")
values: dict[CellRef, int] = {}
for column in columns:
    rows = {
        "received": received.get(column, 0),
        "carried_over": 0,
        "granted": granted.get(column, 0),
        "unavailable.not_held": not_held.get(column, 0),
        "carried_forward": carried_forward.get(column, 0),
    }
    for row, value in rows.items():
        values[CellRef("applications", row, column)] = value

# No reviews or lawsuits this year; a few documents and decisions published.
for group in ("review", "litigation_direct", "litigation_after_review"):
    for column in ("upheld", "corrected", "other", "pending", "total"):
        values[CellRef("appeals", group, column)] = 0
active = {
    ("art20_1.rules", "issued"): 0, ("art20_1.rules", "repealed"): 0,
    ("art20_1.rules", "in_force"): 0,
    ("art20_1.normative_documents", "issued"): 3,
    ("art20_1.normative_documents", "repealed"): 1,
    ("art20_1.normative_documents", "in_force"): 25,
    ("art20_5.licensing", "decisions"): 140, ("art20_6.penalties", "decisions"): 12,
    ("art20_6.coercive_measures", "decisions"): 0,
}
for (row, column), value in active.items():
    values[CellRef("active", row, column)] = value
values_with_fees: dict[CellRef, int | Decimal] = {
    **values, CellRef("active", "art20_8.fees", "amount"): Decimal("12.5"),
}

report = gd.build_report("2021", values_with_fees, year=2025, agency="某县某局")
# Every cell not given is blank; the identities pin down zeros and totals.
filled = gd.infer(report)
result = gd.validate(filled)
print(f"errors: {len(result.errors)}, not assessable: {len(result.not_assessable)}")
for finding in result.errors:
    print(finding.rule, finding.message)
print("total handled:", filled.applications.total_handled.total)

if len(sys.argv) > 1:
    gd.dump(filled, sys.argv[1])
    print("written to", sys.argv[1])
