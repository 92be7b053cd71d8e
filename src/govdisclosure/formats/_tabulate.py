"""The one place that calls tabulate: Markdown pipe tables with cells kept as text.

tabulate is called with number parsing off, because it would otherwise rewrite
cells such as ``007``, ``0.10`` or ``1,234.50``; and every cell is escaped so
that a ``|`` inside it cannot split the row.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

__all__ = ["escape_cell", "pipe_table"]


def escape_cell(text: str) -> str:
    r"""``text`` made safe inside a Markdown table cell.

    A backslash becomes ``\\`` and a ``|`` becomes ``\|`` (so the escaping can
    be undone exactly); a line break becomes ``<br>``, since a table row is
    one line.
    """
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def pipe_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table of ``rows`` under ``headers``.

    Cells are written as given (escaped, never parsed as numbers); every row
    must have as many cells as ``headers``. The result has no trailing newline.
    """
    width = len(headers)
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            raise ValueError(f"table row {number} has {len(row)} cells, expected {width}")
    return tabulate(
        [[escape_cell(cell) for cell in row] for row in rows],
        headers=[escape_cell(h) for h in headers],
        tablefmt="github",
        disable_numparse=True,
        stralign="left",
    )
