"""Cutting a table's region into cells, line by line.

Three ways of separating cells occur in the wild, decided per region:

- *pipe text*: ``text |`` ends each cell (one cell or a whole row per line); a
  line of only ``|`` is padding from merged cells, and a leading ``|`` is an
  empty cell (an expanded grid);
- *Markdown*: ``| a | b |`` rows with ``|---|`` separator lines, ``\\|`` escaped;
- *separator lines*: ``|`` alone on a line between cells, whose text may wrap
  over several lines (``本年新`` / ``制作数量``).

Lines without any ``|`` (PDF text, one cell per paragraph) give one cell, or a
label and the numbers after it (``行政许可 0``). Page footers (``— 4 —``) and
repeated captions (``表二：…``) are dropped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from ._layout import SourceLine, clean_heading
from ._normalise import Number, fold, key, parse_number

__all__ = ["Cell", "Line", "cells_of"]

#: What real reports print in a cell that holds no number (folded forms).
BLANK_KEYS = frozenset(
    {"-", "--", "---", "----", "/", "//", "\\", "无", "&nbsp;", "&nbsp", "空", "N/A", "n/a",
     "-/-", "×", "x", "X", "—", "——", "/-"}
)


class Cell:
    """One cell: its text as printed (trimmed), its key, line and number."""

    __slots__ = ("blank", "key", "line", "number", "text")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line
        if text.isdigit() and text.isascii():  # the common case, made cheap
            self.key = text
            # No count has 40 digits: such a run is kept as printed, not computed with.
            self.number: Number | None = parse_number(text) if len(text) < 40 else None
            self.blank = self.number is None
            return
        self.key = key(text)
        self.number = parse_number(text) if text else None
        self.blank = self.number is None and (not self.key or self.key in BLANK_KEYS)

    @property
    def is_value(self) -> bool:
        """Whether the cell holds a value: a number, a blank mark, or nothing."""
        return self.number is not None or self.blank

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, {self.line})"


class Line:
    """The cells of one source line. ``kind`` is ``cells``, ``pad`` (a line of
    only ``|``) or ``header`` (a Markdown header row)."""

    __slots__ = ("cells", "kind", "number")

    def __init__(self, cells: Sequence[Cell], number: int,
                 kind: Literal["cells", "pad", "header"] = "cells") -> None:
        self.cells = tuple(cells)
        self.number = number
        self.kind = kind

    @property
    def has_data(self) -> bool:
        """Whether a cell holds a number or a blank mark (not just nothing)."""
        return any(c.number is not None or (c.blank and c.text) for c in self.cells)


_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_FOOTER = re.compile(r"^-+\s*\d{1,4}\s*-+$|^第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?$")
_CAPTION = re.compile(r"^表[一二三四1-4][:：.]")
_PLAIN = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")


def _split_escaped(text: str) -> list[str]:
    if "\\" not in text:
        return text.split("|")
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "|\\":
            current.append(text[i + 1])
            i += 2
            continue
        if ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _loose(text: str, number: int) -> list[Cell]:
    # A line with no "|": one cell, or a label followed by numbers.
    tokens = text.split()
    k = len(tokens)
    while k > 0 and _PLAIN.match(fold(tokens[k - 1])):
        k -= 1
    if k == len(tokens) or len(tokens) == 1:
        return [Cell(text, number)]
    cells = [Cell(" ".join(tokens[:k]), number)] if k else []
    cells.extend(Cell(t, number) for t in tokens[k:])
    return cells


#: Most cells read from one table's region. The form's largest table has under
#: 300 cells; a region far beyond that is not a table of the form, and what
#: follows the limit is kept whole as unplaced text instead of cut into cells.
MAX_CELLS = 5000


def cells_of(lines: Sequence[SourceLine]) -> tuple[list[Line], list[SourceLine]]:
    """The cells of a table's region, line by line, and the lines beyond
    :data:`MAX_CELLS` (not cut into cells)."""
    budget = 0
    texts: list[tuple[int, str]] = []
    rest: list[SourceLine] = []
    markdown = False
    lone = mixed = 0
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        pipes = t.count("|")
        budget += pipes + 1
        if budget > MAX_CELLS:
            rest = list(lines[i:])
            break
        texts.append((ln.number, t))
        if pipes:
            if t == "|":
                lone += 1
            elif t.strip("| \t"):
                mixed += 1
                if not markdown and t[0] == "|" and "-" in t and _SEPARATOR.match(t):
                    markdown = True
            elif "-" in t and t[0] == "|" and _SEPARATOR.match(t):
                markdown = True
    if lone >= 2 and not mixed:
        return _separator_lines(texts), rest
    out: list[Line] = []
    last_pipe: Line | None = None
    for number, t in texts:
        if not t:
            continue
        if "|" not in t:
            if t.startswith("#"):
                t = clean_heading(t)
            if not t or _FOOTER.match(fold(t)) or _CAPTION.match(key(t)):
                continue
            out.append(Line(_loose(t, number), number))
            continue
        if markdown and "-" in t and _SEPARATOR.match(t):
            if last_pipe is not None and last_pipe is (out[-1] if out else None):
                last_pipe.kind = "header"
            continue
        if not t.strip("| \t"):
            if t.count("|") >= 2:
                # Kept as empty cells: table 四 of a blank form is one such row.
                width = t.count("|") - (1 if markdown and t.startswith("|") else 0)
                out.append(Line([Cell("", number)] * width, number, "pad"))
            else:
                out.append(Line([Cell("", number)], number))
            continue
        if not markdown and t.count("|") == 1 and t[-1] == "|":
            line = Line([Cell(t[:-1].rstrip(), number)], number)  # the common "0 |"
            out.append(line)
            last_pipe = line
            continue
        parts = _split_escaped(t) if markdown else t.split("|")
        if markdown and t.startswith("|"):
            parts = parts[1:]
        if t.endswith("|") and not t.endswith("\\|"):
            parts = parts[:-1]
        if markdown:
            parts = [p.replace("<br>", "\n") for p in parts]
        line = Line([Cell(p.strip(), number) for p in parts], number)
        out.append(line)
        last_pipe = line
    return out, rest


def _separator_lines(texts: Sequence[tuple[int, str]]) -> list[Line]:
    out: list[Line] = []
    buffer: list[str] = []
    first = 0
    for number, t in texts:
        if t == "|":
            if buffer:
                out.append(Line([Cell("".join(buffer), first)], first))
                buffer = []
            continue
        if not t or _FOOTER.match(fold(t)):
            continue
        if not buffer:
            first = number
        buffer.append(t)
    if buffer:
        out.append(Line([Cell("".join(buffer), first)], first))
    return out
