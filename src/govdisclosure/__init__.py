"""govdisclosure: read, check and write 政府信息公开工作年度报告.

The curated public API. See ``docs/`` for the guide.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._api import dump, dumpb, dumps, load, loads
    from ._converter import from_data, to_data
    from ._jsonschema import json_schema
    from .dataset import export, read_many, to_frame
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
    from .registers import (
        AppealCase,
        ApplicationCase,
        appeals_from_cases,
        applications_from_cases,
        read_appeal_register,
        read_application_register,
        with_registers,
    )
    from .validation import RULES, ValidationResult, diagnose, infer, validate
    from .validation.aggregate import Coverage, Rollup, aggregate, compare
    from .validation.prose import validate_prose
    from .validation.series import Series, group_series, validate_series

    __version__: str

# Every public name is imported from its module on first use, so that
# ``import govdisclosure`` costs nearly nothing and a command loads only the
# modules it needs (checking one text file needs no series, roll-up, JSON
# converter, HTML parser or case registers). The module holding each name:
_LAZY = {
    **dict.fromkeys(("dump", "dumpb", "dumps", "load", "loads"), "_api"),
    **dict.fromkeys(("from_data", "to_data"), "_converter"),
    "json_schema": "_jsonschema",
    **dict.fromkeys(("export", "read_many", "to_frame"), "dataset"),
    **dict.fromkeys(
        ("FormatError", "GovDisclosureError", "MissingExtra", "Problem", "ReadError",
         "WriteError"),
        "errors",
    ),
    **dict.fromkeys(("Format", "ReadOptions", "available", "get_format", "register"), "formats"),
    **dict.fromkeys(
        ("EDITIONS", "Active2019", "Active2021", "AppealRow", "Appeals", "ApplicantRow",
         "Applications2019", "Applications2021", "Blank", "CellRef", "CellSource", "ExtraRow",
         "Finding", "ReadCoverage", "Report", "Report2019", "Report2021", "Section", "Severity",
         "Status", "blank_report", "build_report", "form", "get_cell", "iter_cells",
         "read_coverage", "replace_cells"),
        "model",
    ),
    **dict.fromkeys(
        ("AppealCase", "ApplicationCase", "appeals_from_cases", "applications_from_cases",
         "read_appeal_register", "read_application_register", "with_registers"),
        "registers",
    ),
    **dict.fromkeys(("RULES", "ValidationResult", "diagnose", "infer", "validate"), "validation"),
    **dict.fromkeys(("Coverage", "Rollup", "aggregate", "compare"), "validation.aggregate"),
    "validate_prose": "validation.prose",
    **dict.fromkeys(("Series", "group_series", "validate_series"), "validation.series"),
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
