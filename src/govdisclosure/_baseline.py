"""Findings already reviewed: fingerprints kept in a JSON file (``check --baseline``)."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import attrs

from . import _files
from ._corpus import FileResult, SeriesResult
from ._methods import fields_repr
from .bodies import body_key
from .errors import ReadError

__all__ = ["Baseline", "fingerprint"]


def fingerprint(result: FileResult | SeriesResult, finding: dict[str, Any]) -> str:
    """A stable fingerprint of a finding: the body, year, rule, place and numbers.

    The file name is left out (unless the report names no body) so that renaming
    or moving a file keeps its reviewed findings; a changed number makes a new
    fingerprint. A series finding is keyed by its body and the reports it names.
    """
    if isinstance(result, SeriesResult):
        whose: list[Any] = [result.body, *(os.path.basename(r) for r in finding.get("reports", ()))]
    else:
        whose = [body_key(result.agency) or os.path.basename(result.shown), result.edition,
                 result.year]
    key = [
        *whose, finding["rule"], finding["status"], finding["table"],
        finding["row"], finding["column"], finding["expected"], finding["actual"],
    ]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:20]


@attrs.define
class Baseline:
    """Findings already reviewed, by fingerprint, kept in a JSON file."""

    __repr__ = fields_repr

    fingerprints: set[str] = attrs.field(factory=set)

    @classmethod
    def read(cls, path: str) -> Baseline:
        text = _files.read_text(path)
        try:
            data = json.loads(text)
            prints = data["fingerprints"]
            if data.get("version") != 1 or not all(isinstance(p, str) for p in prints):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise ReadError.single(
                'expected a baseline: {"version": 1, "fingerprints": ["…"]}', path,
                zh='应为基线文件：{"version": 1, "fingerprints": ["…"]}',
            ) from None
        return cls(set(prints))

    def write(self, path: str) -> None:
        """Replace the file at ``path`` by this baseline, atomically (never half-written)."""
        data = {"version": 1, "fingerprints": sorted(self.fingerprints)}
        _files.write_text(path, json.dumps(data, indent=1) + "\n")

    def save(self, path: str, started_from: frozenset[str] | None) -> int:
        """Write this baseline to ``path``, merging what another run wrote meanwhile.

        ``started_from`` is what the file held when this run read it (``None``
        when it did not exist). Writers hold a lock; when the file no longer
        holds ``started_from``, another run has written it since, and its
        fingerprints are kept beside these instead of being dropped. Returns
        how many fingerprints were merged in that way.
        """
        with _files.locked(path):
            try:
                now: frozenset[str] | None = frozenset(Baseline.read(path).fingerprints)
            except ReadError:
                now = None  # absent or unreadable: nothing to keep
            merged = 0
            if now is not None and now != started_from:
                merged = len(now - self.fingerprints)
                self.fingerprints |= now
            self.write(path)
        return merged

    def hides(self, result: FileResult | SeriesResult, finding: dict[str, Any]) -> bool:
        return fingerprint(result, finding) in self.fingerprints
