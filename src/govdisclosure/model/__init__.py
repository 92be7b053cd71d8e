"""The report model: frozen attrs classes and the form described as data.

The model knows nothing of files or formats; readers and writers live in
:mod:`govdisclosure.formats`.
"""

from .cells import Amount, Blank, CellRef, CellSource, Count, SignedCount, Value, is_number
from .coverage import ReadCoverage, read_coverage
from .findings import Finding, Severity, Status
from .report import (
    EDITIONS,
    SECTION_HEADINGS,
    TABLE_HEADINGS,
    Edition,
    Report,
    Report2019,
    Report2021,
    Section,
)
from .schema import (
    ColumnSpec,
    FormSpec,
    RowSpec,
    TableSpec,
    assemble_report,
    blank_report,
    build_report,
    cell_values,
    form,
    form_of,
    get_cell,
    iter_cells,
    replace_cells,
)
from .tables import *  # noqa: F403  # the table classes are listed in tables.__all__
from .tables import __all__ as _tables_all

__all__ = [
    "EDITIONS",
    "SECTION_HEADINGS",
    "TABLE_HEADINGS",
    "Amount",
    "Blank",
    "CellRef",
    "CellSource",
    "ColumnSpec",
    "Count",
    "Edition",
    "Finding",
    "FormSpec",
    "Report",
    "Report2019",
    "ReadCoverage",
    "Report2021",
    "RowSpec",
    "Section",
    "Severity",
    "SignedCount",
    "Status",
    "TableSpec",
    "Value",
    "assemble_report",
    "blank_report",
    "build_report",
    "cell_values",
    "form",
    "form_of",
    "get_cell",
    "is_number",
    "read_coverage",
    "iter_cells",
    "replace_cells",
    *_tables_all,
]
