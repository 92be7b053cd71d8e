"""What every test of input cut off (a report saved at a fixed size) asserts."""

from __future__ import annotations

from collections.abc import Mapping

import govdisclosure as gd
from govdisclosure import validate
from govdisclosure.model import Blank, CellRef, Report, Value, iter_cells


def read_cut(text: str, fmt: str, at: int, whole: Mapping[CellRef, Value]) -> Report:
    """``text`` cut at ``at`` and read as ``fmt``: no cell is read other than
    the whole text reads it (``whole``), and a report that lost a cell so is
    not ``ok``."""
    report = gd.loads(text[:at], fmt)
    read = dict(iter_cells(report))
    wrong = {ref: v for ref, v in read.items() if not isinstance(v, Blank) and v != whole[ref]}
    assert wrong == {}, (at, text[at - 40:at])
    lost = [ref for ref, v in read.items()
            if isinstance(v, Blank) and not isinstance(whole[ref], Blank)]
    assert not (lost and validate(report).ok), (at, text[at - 40:at])
    return report
