"""Typed access for tests to what a known file holds: the edition of a report
read from it, and a section it has. A test names the fields of its file's
edition; these say which edition that is, and fail when it is not."""

from __future__ import annotations

from govdisclosure.model.report import Report, Report2019, Report2021, Section


def of_2019(report: Report) -> Report2019:
    """``report``, which must be of the 2019 edition."""
    assert isinstance(report, Report2019), f"a {report.edition} report, expected 2019"
    return report


def of_2021(report: Report) -> Report2021:
    """``report``, which must be of the 2021 edition."""
    assert isinstance(report, Report2021), f"a {report.edition} report, expected 2021"
    return report


def body(section: Section | None) -> str:
    """The body of a section that must be there."""
    assert section is not None, "the section is missing"
    return section.body
