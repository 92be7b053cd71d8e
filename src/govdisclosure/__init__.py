"""govdisclosure: read, check and write 政府信息公开工作年度报告.

The curated public API. See ``docs/`` for the guide.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._api import dump, dumpb, dumps, load, loads
from .errors import (
    FormatError,
    GovDisclosureError,
    MissingExtra,
    Problem,
    ReadError,
    WriteError,
)
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
    ReadCoverage,
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
    read_coverage,
    replace_cells,
)
from .validation import RULES, ValidationResult, diagnose, infer, validate
from .validation.aggregate import Coverage, Rollup, aggregate, compare
from .validation.prose import validate_prose
from .validation.series import Series, group_series, validate_series

if TYPE_CHECKING:
    from ._converter import from_data, to_data
    from ._jsonschema import json_schema
    from .dataset import export, read_many, to_frame
    from .registers import (
        AppealCase,
        ApplicationCase,
        appeals_from_cases,
        applications_from_cases,
        read_appeal_register,
        read_application_register,
        with_registers,
    )

    __version__: str

# Imported on first use, so that the command line starts fast: the JSON
# converter (cattrs), the case registers and the package metadata.
_LAZY = {
    "export": "dataset",
    "read_many": "dataset",
    "to_frame": "dataset",
    "from_data": "_converter",
    "to_data": "_converter",
    "json_schema": "_jsonschema",
    "AppealCase": "registers",
    "ApplicationCase": "registers",
    "appeals_from_cases": "registers",
    "applications_from_cases": "registers",
    "read_appeal_register": "registers",
    "read_application_register": "registers",
    "with_registers": "registers",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("govdisclosure")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0.0.0+unknown"
    elif name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'govdisclosure' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

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
    "MissingExtra",
    "Problem",
    "ReadCoverage",
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
    "diagnose",
    "dump",
    "dumpb",
    "dumps",
    "export",
    "form",
    "from_data",
    "get_cell",
    "get_format",
    "group_series",
    "infer",
    "iter_cells",
    "json_schema",
    "load",
    "loads",
    "read_appeal_register",
    "read_application_register",
    "read_coverage",
    "read_many",
    "register",
    "replace_cells",
    "to_data",
    "to_frame",
    "validate",
    "validate_prose",
    "validate_series",
    "with_registers",
]
