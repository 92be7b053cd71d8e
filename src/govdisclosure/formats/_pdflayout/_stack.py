"""From each page's characters to the words of one column of text.

Page numbers (``- 4 -``) and running headers in the page margins are dropped
(:func:`_furniture`), characters are joined into words on each page
(:func:`_words`: a gap wider than most of a character, or a drawn border,
ends a word), and the pages are stacked (:func:`stack`) so that a table split
over a page break continues without a gap, its drawn lines cut to each
page's content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ._borders import Borders
from ._page import Glyph, Rule, Word, rows_by_centre

# Page numbers as printed in the margins: ``- 4 -``, ``— 4 —``, ``4``, ``第4页``.
_PAGE_NUMBER = re.compile(r"[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?[-—–－\s]*(?:/\s*\d+\s*页?)?")


# A letter or a Chinese character: what a running header has and a row of numbers not.
_WORDS = re.compile(r"[^\W\d_]")


# The share of the page height at the top and at the bottom searched for furniture.
_MARGIN = 0.09


def _ruled(a: Glyph, b: Glyph, rules: Borders) -> bool:
    """Whether a vertical rule (a cell border) stands between glyphs ``a`` and ``b``."""
    y = (a.top + a.bottom) / 2
    return any(r.top <= y <= r.bottom for r in rules.between_x(a.x1 - 1.0, b.x0 + 1.0))


def _words(glyphs: Sequence[Glyph], offset: float, origin: float,
           rules: Sequence[Rule] = ()) -> list[Word]:
    """The glyphs of one page as words: runs of characters on one line without a
    gap wider than 0.4 of a character (header cells stand that close: 结果 其他),
    except that a word spaced out character by character (``总 计``, ``自 然 人``)
    stays one word; a vertical rule (a cell border) always ends a word.
    ``origin`` is the top of the page's content, ``offset`` where it starts on
    the stacked pages."""
    rows = rows_by_centre(glyphs, lambda g: (g.top, g.bottom))
    borders = Borders(rules)
    words: list[Word] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        runs: list[list[Glyph]] = []
        for g in row:
            if runs:
                prev = runs[-1][-1]
                size = max(prev.bottom - prev.top, g.bottom - g.top)
                gap = g.x0 - prev.x1
                joined = gap <= 0.4 * size or (
                    gap <= size and g.text.isalpha() and prev.text.isalpha()
                    and (len(runs[-1]) == 1 or _spaced_out(runs[-1], size))
                )
                # a border needs room: glyphs that touch have none between them
                if joined and not (rules and gap > 0.5 and _ruled(prev, g, borders)):
                    runs[-1].append(g)
                    continue
            runs.append([g])
        words.extend(_word(run, offset, origin) for run in runs)
    return words


def _spaced_out(run: Sequence[Glyph], size: float) -> bool:
    """Whether every character of ``run`` stands apart from the next (``总 计``)."""
    return all(b.x0 - a.x1 > 0.4 * size for a, b in pairwise(run))


def _word(glyphs: Sequence[Glyph], offset: float, origin: float) -> Word:
    """The glyphs of one run (in x order) as a word."""
    first = glyphs[0]
    top, bottom = first.top, first.bottom
    for g in glyphs:
        if g.top < top:
            top = g.top
        if g.bottom > bottom:
            bottom = g.bottom
    return Word(
        text="".join([g.text for g in glyphs]),
        page=first.page,
        x0=first.x0,
        x1=max(g.x1 for g in glyphs),
        top=top - origin + offset,
        bottom=bottom - origin + offset,
        page_top=top,
    )


def _furniture(pages: Sequence[Sequence[Glyph]], heights: Sequence[float]) -> set[tuple[int, int]]:
    """The (page, index) of glyphs of page numbers and running headers and footers:
    lines in a page's top or bottom margin that are a page number, or whose words
    recur in the margins of other pages (numbers aside: ``第3页 共9页``). A line of
    numbers alone is no running header: it is a table row continued at the top of
    the page (``0 0 0 0 0 0 0`` recurs wherever a form's rows are zero)."""
    marginal: list[list[tuple[str, list[int]]]] = []
    for glyphs, height in zip(pages, heights, strict=True):
        found: dict[float, list[int]] = {}
        for i, g in enumerate(glyphs):
            y = (g.top + g.bottom) / 2
            if y < _MARGIN * height or y > (1 - _MARGIN) * height:
                found.setdefault(round(y / 4), []).append(i)
        marginal.append([
            ("".join(glyphs[i].text for i in sorted(ix, key=lambda i: glyphs[i].x0)), ix)
            for ix in found.values()
        ])
    seen: dict[str, int] = {}
    for lines in marginal:
        for text in {re.sub(r"\d+", "#", t) for t, _ in lines}:
            seen[text] = seen.get(text, 0) + 1
    drop: set[tuple[int, int]] = set()
    for p, lines in enumerate(marginal):
        for text, ix in lines:
            bare = text.replace(" ", "")
            if _PAGE_NUMBER.fullmatch(bare) or (
                len(pages) > 2 and seen[re.sub(r"\d+", "#", text)] > 1
                and _WORDS.search(text) is not None
            ):
                drop.update((p, i) for i in ix)
    return drop


def stack(pages: Sequence[Sequence[Glyph]], heights: Sequence[float],
          rules: Sequence[Sequence[Rule]]) -> tuple[list[Word], Borders]:
    """Every page's words, pages stacked so that each page's content starts where the
    previous page's ends (a row continued over a page break is one line away), and
    the drawn lines on the stacked pages, cut to each page's content (a border
    never reaches over a page break)."""
    drop = _furniture(pages, heights)
    words: list[Word] = []
    down: list[Rule] = []
    across: list[Rule] = []
    offset = 0.0
    for p, glyphs in enumerate(pages):
        kept = [g for i, g in enumerate(glyphs) if (p, i) not in drop and g.text.strip()]
        if not kept:
            continue
        origin = min(g.top for g in kept)
        end = max(g.bottom for g in kept)
        page_rules = rules[p] if p < len(rules) else ()
        words.extend(_words(kept, offset, origin, [r for r in page_rules if r.vertical]))
        # A border drawn between the content and the page's edge (a table's cells
        # closed at a page break) stands at the break.
        across.extend(
            Rule(r.x0, y, r.x1, y + r.bottom - r.top)
            for r in page_rules if r.horizontal
            for y in (min(max(r.top, origin - 0.5), end + 0.5) - origin + offset,)
        )
        down.extend(
            Rule(r.x0, max(r.top, origin) - origin + offset, r.x1,
                 min(r.bottom, end) - origin + offset)
            for r in page_rules if r.vertical and r.top < end and r.bottom > origin
        )
        offset += end - origin + 1.0
    return words, Borders(down, across)
