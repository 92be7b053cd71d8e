"""A folder of reports as a dataset: export to tables, read many, data frames.

``export(paths, out)`` writes the tables ``reports``, ``cells`` and
``findings`` to a folder of CSV files, SQLite, Parquet or DuckDB;
``read_many(paths)`` reads files one by one, a result per file;
``to_frame(reports, table=...)`` gives a pandas DataFrame. See ``docs/export.md``.
"""

from ._export import ExportResult, export
from ._frames import ReadResult, read_many, to_frame
from ._site import SiteResult, write_site

__all__ = ["ExportResult", "ReadResult", "SiteResult", "export", "read_many", "to_frame",
           "write_site"]
