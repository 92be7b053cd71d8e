"""What every bench shares: cold and warm timings, and the line a target prints.

**Cold** means a first read of distinct content. A bench that re-reads one
report would find the reader's content caches hot (each distinct table line is
cut into cells once; labels are looked up once), which no real corpus does,
since each of its reports is read once. So :func:`cold` clears every content
cache before each timed call: every bounded ``functools`` cache of
govdisclosure (the line caches of the text reader) and every ``_memo`` dict of
its objects (the lexicons' label lookups); with ``prime``, other reports are
then read untimed, so the read is the first of its report in a process that has
read others (the lines all reports share are cached, its own are not).
Unbounded per-edition caches (the form's specification, code compiled once per
edition) are kept: a process builds them once, whatever the number of reports
it reads. The generated corpora of ``bench_corpus.py`` are cold by
construction: every report differs.

**Warm** is the same call repeated, caches kept: a re-read.

Timings are CPU time of the benching process (``time.process_time``), not wall
time: the machine is shared, and time spent waiting for a core says nothing
about the code. Ratios are of timings taken in the same run.

Benches print figures; nothing is asserted. Helpers adding a target write a
function ``(runs: int) -> None`` that prints through :func:`line` and add it to
``TARGETS`` in ``bench_targets.py``.
"""

from __future__ import annotations

import functools
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["clear_content_caches", "cold", "line", "lxml_floor", "ms", "warm"]


def _content_caches() -> list[Callable[[], None]]:
    clearers: list[Callable[[], None]] = []
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper):
            module = getattr(obj, "__module__", None)
            if (isinstance(module, str) and module.startswith("govdisclosure")
                    and obj.cache_info().maxsize is not None):
                clearers.append(obj.cache_clear)
        elif str(type(obj).__module__).startswith("govdisclosure"):
            memo = getattr(obj, "_memo", None)
            if isinstance(memo, dict):
                clearers.append(memo.clear)
    return clearers


_CLEARERS: list[Callable[[], None]] | None = None


def clear_content_caches() -> int:
    """Empty every content cache of govdisclosure; returns how many there are.

    The caches are found once, after the first call of :func:`cold` has read
    something (lexicons are built on first use).
    """
    global _CLEARERS
    if _CLEARERS is None:
        _CLEARERS = _content_caches()
    for clear in _CLEARERS:
        clear()
    return len(_CLEARERS)


def cold(fn: Callable[[], Any], runs: int, prime: Callable[[], Any] | None = None) -> float:
    """Median seconds of ``fn`` as a first read: content caches cleared before each call.

    With ``prime``, the caches are then filled by ``prime`` (untimed: reading
    *other* reports), so that ``fn`` is the first read of its report in a
    process that has read others, as in a corpus: the lines every report
    shares (headers, labels) are known, its own are not.
    """
    fn()  # build the per-edition structures a process builds once
    times = []
    for _ in range(runs):
        clear_content_caches()
        if prime is not None:
            prime()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def warm(fn: Callable[[], Any], runs: int, inner: int = 1) -> float:
    """Median seconds of ``fn`` re-run with its caches kept (``inner`` calls a run)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.process_time()
        for _ in range(inner):
            fn()
        times.append((time.process_time() - start) / inner)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"


def line(name: str, figure: str, target: str, ok: bool | None) -> None:
    """One target: its name, the figure, the target and ``pass``/``miss`` (``-``: not judged)."""
    verdict = "-" if ok is None else ("pass" if ok else "miss")
    print(f"{name:<52} {figure:>12}   target {target:<10} {verdict}")


def lxml_floor(page: str) -> Callable[[], int]:
    """The least a reader on lxml can do: parse, then read every element's tag,
    text, tail and ``.sourceline`` once."""
    from lxml import etree

    data = page.encode("utf-8")

    def floor() -> int:
        count = 0
        root = etree.fromstring(data, etree.HTMLParser(encoding="utf-8"))
        for element in root.iter():
            _ = (element.tag, element.text, element.tail, element.sourceline)
            count += 1
        return count

    return floor
