"""govdisclosure: read, check and write 政府信息公开工作年度报告.

The curated public API. See ``docs/`` for the guide.
"""

from importlib.metadata import PackageNotFoundError, version

from ._api import dump, dumps, load, loads
from ._converter import from_data, to_data
from .aggregate import Coverage, Rollup, aggregate, compare
from .errors import FormatError, GovDisclosureError, Problem, ReadError, WriteError
from .formats import Format, ReadOptions, available, get_format, register
from .model import (
    EDITIONS,
    Active2019,
    Active2021,
    AppealRow,
    Appeals,
    ApplicantRow,
    Applications2019,
    Applications2021,
    Blank,
    CellRef,
    CellSource,
    ExtraRow,
    Finding,
    Report,
    Report2019,
    Report2021,
    Section,
    Severity,
    Status,
    blank_report,
    build_report,
    form,
    get_cell,
    iter_cells,
    replace_cells,
)
from .prose import validate_prose
from .registers import (
    AppealCase,
    ApplicationCase,
    appeals_from_cases,
    applications_from_cases,
    read_appeal_register,
    read_application_register,
    with_registers,
)
from .series import Series, group_series, validate_series
from .validation import RULES, ValidationResult, infer, validate

try:
    __version__ = version("govdisclosure")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "EDITIONS",
    "RULES",
    "Active2019",
    "Active2021",
    "AppealCase",
    "AppealRow",
    "Appeals",
    "ApplicantRow",
    "ApplicationCase",
    "Applications2019",
    "Applications2021",
    "Blank",
    "CellRef",
    "CellSource",
    "Coverage",
    "ExtraRow",
    "Finding",
    "Format",
    "FormatError",
    "GovDisclosureError",
    "Problem",
    "ReadError",
    "ReadOptions",
    "Report",
    "Report2019",
    "Report2021",
    "Rollup",
    "Section",
    "Series",
    "Severity",
    "Status",
    "ValidationResult",
    "WriteError",
    "__version__",
    "aggregate",
    "appeals_from_cases",
    "applications_from_cases",
    "available",
    "blank_report",
    "build_report",
    "compare",
    "dump",
    "dumps",
    "form",
    "from_data",
    "get_cell",
    "get_format",
    "group_series",
    "infer",
    "iter_cells",
    "load",
    "loads",
    "read_appeal_register",
    "read_application_register",
    "register",
    "replace_cells",
    "to_data",
    "validate",
    "validate_prose",
    "validate_series",
    "with_registers",
]
