"""The errors govdisclosure raises: one base class, each leaf also a builtin."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "FormatError",
    "GovDisclosureError",
    "MissingExtra",
    "Problem",
    "ReadError",
    "WriteError",
]


class GovDisclosureError(Exception):
    """Base class of every error govdisclosure raises on purpose."""


@attrs.frozen(slots=True, kw_only=True)
class Problem:
    """One problem found while reading: where it is and what was expected.

    ``path`` is a JSON path (``$.tables.appeals.review.total``) for JSON input,
    ``line`` a 1-based source line for text input; either may be ``None``.
    """

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.path is not None:
            where.append(self.path)
        return f"{'; '.join(where)}: {self.message}" if where else self.message


class ReadError(GovDisclosureError, ValueError):
    """An input could not be read as a report. ``problems`` lists every problem."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._text())

    def __reduce__(self) -> tuple[type[ReadError], tuple[tuple[Problem, ...], str | None]]:
        # Pickled with its problems, so that it crosses to and from worker processes.
        return (type(self), (self.problems, self.source))

    def _text(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return f"{head}{self.problems[0]}"
        lines = [f"{head}{len(self.problems)} problems:"]
        lines.extend(f"  {p}" for p in self.problems[:50])
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)

    @classmethod
    def single(cls, message: str, source: str | None = None, *, line: int | None = None,
               path: str | None = None) -> ReadError:
        """An error with one problem."""
        return cls([Problem(message=message, line=line, path=path)], source)

    def with_source(self, source: str) -> ReadError:
        """The same error, naming the file it came from."""
        return ReadError(self.problems, source)


class WriteError(GovDisclosureError, ValueError):
    """A report could not be written in the format asked for."""


class FormatError(GovDisclosureError, LookupError):
    """A format is unknown, or cannot do what was asked (read or write)."""


class MissingExtra(GovDisclosureError, ImportError):
    """An optional package is not installed; the message names the extra to install
    (``pip install 'govdisclosure[parquet]'``)."""

    def __init__(self, what: str, package: str, extra: str) -> None:
        super().__init__(f"{what} needs {package}: pip install 'govdisclosure[{extra}]'")
