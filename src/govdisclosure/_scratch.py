"""Scratch stores: SQLite files in a private temporary folder, gone when closed.

Checking a folder of 100,000 reports must not keep 100,000 of anything in
memory. What the corpus code needs to remember across files (the paths to
check, sorted; which files belong to which body) goes into one of these
stores, written a batch at a time and read back in order. Nothing here knows
about reports: the corpus code (:mod:`govdisclosure._corpus`) gives plain
values and decides what they mean.

Paths are kept as bytes: a name that is not UTF-8 has no SQLite text form.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator

from .errors import Problem

__all__ = ["BodyIndex", "ScratchDb", "SortedPaths"]

# Rows written to and read from a scratch store at a time: few enough to keep
# memory flat, enough to make the calls cheap.
BATCH = 512


class ScratchDb:
    """One SQLite file in its own temporary folder, removed by :meth:`close`.

    Written once and read once, in order: a small page cache, no journal.
    """

    def __init__(self, name: str, *schema: str) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="govdisclosure-")
        try:
            self.db = sqlite3.connect(os.path.join(self._dir.name, f"{name}.sqlite"))
            self.db.execute("PRAGMA cache_size = -256")
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            for statement in schema:
                self.db.execute(statement)
        except BaseException:
            self._dir.cleanup()
            raise

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()


class SortedPaths:
    """Paths, each with an optional problem (why it cannot be walked, in English
    and Chinese), read back sorted (a context manager).

    A folder's files are sorted here rather than in a list, so that a folder of
    100,000 reports costs no more memory than one of 100.
    """

    def __enter__(self) -> SortedPaths:
        self._store = ScratchDb("paths", "CREATE TABLE p (path BLOB, en TEXT, zh TEXT)")
        self._pending: list[tuple[bytes, str | None, str | None]] = []
        return self

    def add(self, path: str, problem: Problem | None = None) -> None:
        if problem is None:
            self._pending.append((os.fsencode(path), None, None))
        else:
            self._pending.append((os.fsencode(path), problem.message, problem.message_zh))
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._store.db.executemany("INSERT INTO p VALUES (?, ?, ?)", self._pending)
        self._pending.clear()

    def sorted(self) -> Iterator[tuple[str, Problem | None]]:
        """Every path added, with its problem, in the order of Python's ``sorted()``."""
        # BLOBs compare as bytes: for UTF-8 names, the order of code points.
        self._flush()
        rows = self._store.db.execute("SELECT path, en, zh FROM p ORDER BY path")
        while batch := rows.fetchmany(BATCH):
            for path, en, zh in batch:
                yield os.fsdecode(path), (None if en is None
                                          else Problem(message=en, message_zh=zh))

    def __exit__(self, *exc: object) -> None:
        self._store.close()


class BodyIndex:
    """Which files hold which body's reports, by year, in the order they were added."""

    def __init__(self) -> None:
        self._store = ScratchDb(
            "series",
            "CREATE TABLE f (body TEXT, year INTEGER, seq INTEGER, path BLOB, edition TEXT, "
            "numbers TEXT)",
            "CREATE INDEX f_body_year ON f (body, year)",
        )
        self._seq = 0

    def add(self, path: str, body: str, year: int | None, edition: str | None,
            numbers: str | None, same: Callable[[str, str], bool]) -> str | None:
        """Add ``path`` unless an earlier file of the same body, year and edition
        (none when ``edition`` is ``None``) has numbers that ``same`` holds equal
        to ``numbers``: then that file's path, and ``path`` is not added."""
        db = self._store.db
        rows = db.execute(
            "SELECT path, numbers FROM f WHERE body = ? AND year IS ? AND edition = ? "
            "ORDER BY seq", (body, year, edition),
        ).fetchall()
        for earlier, their_numbers in rows:
            if numbers is not None and same(their_numbers, numbers):
                return os.fsdecode(earlier)
        self._seq += 1
        db.execute("INSERT INTO f VALUES (?, ?, ?, ?, ?, ?)",
                   (body, year, self._seq, os.fsencode(path), edition, numbers or ""))
        return None

    def groups(self) -> Iterator[tuple[str, list[str]]]:
        """Bodies with more than one file, in name order, files oldest first."""
        rows = self._store.db.execute(
            "SELECT body, path FROM f WHERE body IN "
            "(SELECT body FROM f GROUP BY body HAVING COUNT(*) > 1) "
            "ORDER BY body, year IS NULL, year, seq"
        )
        current: str | None = None
        files: list[str] = []
        for body, path in rows:
            if body != current and current is not None:
                yield current, files
                files = []
            current = body
            files.append(os.fsdecode(path))
        if current is not None:
            yield current, files

    def close(self) -> None:
        self._store.close()
