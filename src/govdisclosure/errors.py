"""The errors govdisclosure raises: one base class, each leaf also a builtin.

Every message has an English text (``str(error)``) and, where the raiser gave
one, a Chinese text; :meth:`GovDisclosureError.text` picks by language (the
command line prints the language of ``--lang``, Chinese by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ._methods import fields_eq, fields_hash, fields_repr

__all__ = [
    "FormatError",
    "GovDisclosureError",
    "MissingExtra",
    "Problem",
    "ReadError",
    "WriteError",
]


class GovDisclosureError(Exception):
    """Base class of every error govdisclosure raises on purpose.

    ``zh`` is the Chinese of the message (the first argument, in English).
    """

    def __init__(self, *args: object, zh: str | None = None) -> None:
        super().__init__(*args)
        self.message_zh = zh

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``); English when no Chinese was given."""
        if lang == "zh" and self.message_zh is not None:
            return self.message_zh
        return str(self)


@attrs.frozen(slots=True, kw_only=True)
class Problem:
    """One problem found while reading: where it is and what was expected.

    ``path`` is a JSON path (``$.tables.appeals.review.total``) for JSON input,
    ``line`` a 1-based source line for text input; either may be ``None``.
    ``message`` is in English, ``message_zh`` the same in Chinese.
    """

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    message: str
    message_zh: str | None = None
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """Where and what, in ``lang``: ``line 3, column 2: …`` or ``第 3 行第 2 列：…``."""
        zh = lang == "zh"
        where = []
        if self.line is not None:
            if zh:
                where.append(f"第 {self.line} 行" + (f"第 {self.column} 列" if self.column else ""))
            else:
                where.append(f"line {self.line}"
                             + (f", column {self.column}" if self.column else ""))
        if self.path is not None:
            where.append(self.path)
        message = self.message_zh if zh and self.message_zh is not None else self.message
        if not where:
            return message
        return ("；".join(where) + "：" + message) if zh else f"{'; '.join(where)}: {message}"


class ReadError(GovDisclosureError, ValueError):
    """An input could not be read as a report. ``problems`` lists every problem."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.text("en"))

    def __reduce__(self) -> tuple[type[ReadError], tuple[tuple[Problem, ...], str | None]]:
        # Pickled with its problems, so that it crosses to and from worker processes.
        return (type(self), (self.problems, self.source))

    def text(self, lang: str = "en") -> str:
        """Every problem in ``lang``, after the source's name."""
        zh = lang == "zh"
        head = (f"{self.source}：" if zh else f"{self.source}: ") if self.source else ""
        if len(self.problems) == 1:
            return f"{head}{self.problems[0].text(lang)}"
        n = len(self.problems)
        lines = [f"{head}{n} 个问题：" if zh else f"{head}{n} problems:"]
        lines.extend(f"  {p.text(lang)}" for p in self.problems[:50])
        if n > 50:
            lines.append(f"  ……另有 {n - 50} 个" if zh else f"  ... and {n - 50} more")
        return "\n".join(lines)

    @classmethod
    def single(cls, message: str, source: str | None = None, *, zh: str | None = None,
               line: int | None = None, path: str | None = None) -> ReadError:
        """An error with one problem (``zh``: its message in Chinese)."""
        return cls([Problem(message=message, message_zh=zh, line=line, path=path)], source)

    def with_source(self, source: str) -> ReadError:
        """The same error, naming the file it came from."""
        return ReadError(self.problems, source)


class WriteError(GovDisclosureError, ValueError):
    """A report could not be written in the format asked for."""


class FormatError(GovDisclosureError, LookupError):
    """A format is unknown, or cannot do what was asked (read or write)."""


class MissingExtra(GovDisclosureError, ImportError):
    """An optional package is not installed; the message names the extra to install
    (``pip install 'govdisclosure[parquet]'``). ``what_zh`` is ``what`` in Chinese."""

    def __init__(self, what: str, package: str, extra: str, *,
                 what_zh: str | None = None) -> None:
        install = f"pip install 'govdisclosure[{extra}]'"
        super().__init__(f"{what} needs {package}: {install}",
                         zh=f"{what_zh or what}需要 {package}：{install}")
        self._args = (what, package, extra, what_zh)

    def __reduce__(self) -> tuple[Any, ...]:
        what, package, extra, what_zh = self._args
        return (_missing_extra, (what, package, extra, what_zh))


def _missing_extra(what: str, package: str, extra: str, what_zh: str | None) -> MissingExtra:
    return MissingExtra(what, package, extra, what_zh=what_zh)
