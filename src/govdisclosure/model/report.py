"""The annual report: metadata, narrative sections and the three tables.

Both report classes have the same fields. ``year`` is the year covered (not the
publishing date); ``agency`` the body the report is about (named in its
title); ``publisher`` the office that published it when a source names one
separately (a crawler's ``发布机构``); ``title`` the title as printed.
``introduction`` is the text before 一; ``overview``, ``problems`` and
``other_matters`` are sections 一, 五 and 六 (``None`` when the report has
none); ``unplaced`` keeps every piece of text a reader could not place.
``headings`` keeps the headings of sections 二–四 as printed when they differ
from the official ones. ``provenance`` maps cells to where their values came
from, and ``read_findings`` holds what a reader reported; none of these three
takes part in equality, so a report read from a file equals the same report
built by hand.
"""

# No ``from __future__ import annotations``: schema introspection reads the
# real field types.

from collections.abc import Mapping
from typing import ClassVar, Literal, TypeAlias

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from .cells import CellRef, CellSource
from .findings import Finding
from .provenance import compact
from .tables import (
    Active2019,
    Active2021,
    Appeals,
    Applications2019,
    Applications2021,
)

__all__ = ["EDITIONS", "Edition", "Report", "Report2019", "Report2021", "Section"]

Edition: TypeAlias = Literal["2019", "2021"]
#: The editions of the national form, oldest first.
EDITIONS: tuple[Edition, ...] = ("2019", "2021")


def _compact_2019(sources: Mapping[CellRef, CellSource]) -> Mapping[CellRef, CellSource]:
    # Any mapping given is stored compactly (see provenance.py).
    return compact("2019", sources)


def _compact_2021(sources: Mapping[CellRef, CellSource]) -> Mapping[CellRef, CellSource]:
    return compact("2021", sources)


@attrs.frozen(kw_only=True, slots=True)
class Section:
    """A narrative section: its heading as printed and its text, verbatim."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    heading: str
    body: str = ""


#: Official headings of the narrative sections, by the report field holding them.
SECTION_HEADINGS: Mapping[str, str] = {
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}
#: Official headings of the sections holding the tables, by table key.
TABLE_HEADINGS: Mapping[str, str] = {
    "active": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}


@attrs.frozen(kw_only=True, slots=True)
class Report2019:
    """A report in the 2019 edition of the form (years 2019 and 2020)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    edition: ClassVar[Literal["2019"]] = "2019"

    year: int | None = None
    agency: str | None = None
    publisher: str | None = None
    title: str | None = None
    introduction: str = ""
    overview: Section | None = None
    problems: Section | None = None
    other_matters: Section | None = None
    unplaced: tuple[str, ...] = ()
    active: Active2019
    applications: Applications2019
    appeals: Appeals
    headings: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    provenance: Mapping[CellRef, CellSource] = attrs.field(
        factory=dict, converter=_compact_2019, eq=False, repr=False)
    read_findings: tuple[Finding, ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen(kw_only=True, slots=True)
class Report2021:
    """A report in the 2021 edition of the form (years 2021 onward)."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    edition: ClassVar[Literal["2021"]] = "2021"

    year: int | None = None
    agency: str | None = None
    publisher: str | None = None
    title: str | None = None
    introduction: str = ""
    overview: Section | None = None
    problems: Section | None = None
    other_matters: Section | None = None
    unplaced: tuple[str, ...] = ()
    active: Active2021
    applications: Applications2021
    appeals: Appeals
    headings: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    provenance: Mapping[CellRef, CellSource] = attrs.field(
        factory=dict, converter=_compact_2021, eq=False, repr=False)
    read_findings: tuple[Finding, ...] = attrs.field(default=(), eq=False, repr=False)


#: A report of either edition.
Report: TypeAlias = Report2019 | Report2021
