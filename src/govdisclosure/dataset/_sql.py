"""The SQL of the SQLite and DuckDB stores: column types, tables, indexes, views.

Both databases hold the three tables of :data:`._rows.COLUMNS` and two views:
``applications`` (table 三 wide, a column per applicant) and ``series`` (each
body's reports, years and files). SQLite's view is written apart because its
``group_concat`` takes no ``ORDER BY`` before 3.44.
"""

from __future__ import annotations

from ._rows import COLUMNS

# NUMERIC keeps a count an integer and an amount a real number.
SQL_TYPES = {"int": "INTEGER", "float": "NUMERIC", "text": "TEXT", "bool": "INTEGER"}
DUCK_TYPES = {"int": "BIGINT", "float": "DOUBLE", "text": "VARCHAR", "bool": "BOOLEAN"}
_APPLICANTS = ("natural_person", "commercial", "research", "public_interest",
               "legal_services", "other", "total")


def ddl(table: str, types: dict[str, str]) -> str:
    """``CREATE TABLE`` for ``table``, its column kinds named by ``types``."""
    columns = ", ".join(f'"{name}" {types[kind]}' for name, kind in COLUMNS[table])
    return f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})'


def applications_view_sql() -> str:
    """The ``applications`` view: table 三 wide, a row per report and row of the
    form, a column per applicant (the reports counted once)."""
    pivot = ", ".join(
        f"MAX(CASE WHEN c.\"column\" = '{c}' THEN c.value END) AS \"{c}\"" for c in _APPLICANTS
    )
    return (
        'SELECT c.report_id AS report_id, r.file AS file, r.body AS body, r.year AS year, '
        'r.edition AS edition, c."row" AS "row", MIN(c.position) AS position, '
        f'c.group_label AS group_label, c.row_label AS row_label, {pivot} '
        'FROM cells c JOIN reports r ON r.report_id = c.report_id '
        "WHERE c.\"table\" = 'applications' AND c.state <> 'extra' AND r.status = 'report' "
        'GROUP BY c.report_id, r.file, r.body, r.year, r.edition, c."row", c.group_label, '
        'c.row_label'
    )


def series_view_sql() -> str:
    """The ``series`` view: each body's reports (counted once), years and files."""
    return (
        "SELECT body, COUNT(*) AS reports, MIN(year) AS first_year, MAX(year) AS last_year, "
        "string_agg(CAST(year AS TEXT), ',' ORDER BY year) AS years, "
        "string_agg(file, ',' ORDER BY year) AS files "
        "FROM reports WHERE status = 'report' AND body IS NOT NULL GROUP BY body"
    )


#: The indexes made when a run closes: (table, columns).
INDEXES = (
    ('reports', 'content_hash'), ('reports', 'body, year'), ('cells', 'report_id'),
    ('cells', '"table", "row", "column"'), ('findings', 'report_id'), ('findings', 'rule'),
)


def sqlite_series_view() -> str:
    """The ``series`` view in SQLite, whose ``group_concat`` takes no ``ORDER BY``
    before 3.44: the years are ordered in a subquery."""
    return (
        "SELECT body, COUNT(*) AS reports, MIN(year) AS first_year, MAX(year) AS last_year, "
        "group_concat(year, ',') AS years, group_concat(file, ',') AS files "
        "FROM (SELECT * FROM reports WHERE status = 'report' AND body IS NOT NULL "
        "ORDER BY body, year, report_id) GROUP BY body"
    )
