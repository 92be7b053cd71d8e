"""The JSON format: the versioned document of ``docs/json.md``, through cattrs."""

from __future__ import annotations

import json

from .._converter import from_data, to_data
from ..errors import Problem, ReadError
from ..model.report import Report
from . import Format, ReadOptions

__all__ = ["FORMAT", "read", "write"]


def read(text: str, options: ReadOptions) -> Report:
    """Parse a JSON report document; every problem is reported with its path."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        what = "the document ends too early (truncated?)" if error.pos >= len(text.rstrip()) \
            else f"not valid JSON: {error.msg}"
        raise ReadError(
            [Problem(message=what, line=error.lineno, column=error.colno)], options.source
        ) from None
    except RecursionError:
        raise ReadError(
            [Problem(message="not a report: the JSON nests too deeply")], options.source
        ) from None
    return from_data(data, options.source)


def write(report: Report) -> str:
    """The report as an indented JSON document, keys in data-dictionary order."""
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"


FORMAT = Format(
    name="json",
    description="govdisclosure's JSON document (docs/json.md)",
    extensions=(".json",),
    read=read,
    write=write,
)
