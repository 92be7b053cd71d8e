"""``__repr__``, ``__eq__`` and ``__hash__`` for the package's attrs classes, written once.

attrs writes and compiles these methods for every class it builds, and
compiling them was a sixth of the start-up of ``govdisclosure check FILE``
(``docs/performance.md``, *Start-up*). A class that sets them in its body gets
none generated (attrs leaves alone what a class defines itself) and the same
behaviour:

- :func:`fields_repr`: the class name and every field in order, a field
  declared ``repr=False`` left out, ``...`` for an instance already being shown
  further up the same repr. Every attrs class of the package uses it.
- :func:`fields_eq` and :func:`fields_hash`: equal when of the same class and
  equal in every field that takes part in equality; the hash of those fields.
  Frozen classes use them, except the few whose equality the reader and the
  rules use all the time (cache keys such as ``Rule`` and ``Check``, and
  ``Blank``), which keep attrs' faster generated ones.
"""

from __future__ import annotations

import threading
from typing import Any

import attrs

_showing = threading.local()  # ids of the instances whose repr is being written


def fields_repr(self: Any) -> str:
    """``Name(field=value, …)``: the repr attrs would generate for ``self``'s class."""
    try:
        showing: set[int] = _showing.ids
    except AttributeError:
        showing = _showing.ids = set()
    if id(self) in showing:
        return "..."
    showing.add(id(self))
    try:
        cls = self.__class__
        shown = ", ".join(
            f"{a.name}={(repr if a.repr is True else a.repr)(getattr(self, a.name))}"
            for a in cls.__attrs_attrs__ if a.repr is not False
        )
        return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({shown})"
    finally:
        showing.discard(id(self))


_COMPARED: dict[type, tuple[str, ...]] = {}


def _compared(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` that take part in equality and hashing."""
    names = _COMPARED.get(cls)
    if names is None:
        fields = attrs.fields(cls)
        if any(a.eq_key is not None or a.hash is not None for a in fields):
            raise TypeError(f"{cls.__qualname__}: a field sets eq= or hash= to a key or "
                            "on its own; let attrs write this class's __eq__ and __hash__")
        names = _COMPARED[cls] = tuple(a.name for a in fields if a.eq)
    return names


def fields_eq(self: Any, other: object) -> Any:
    """Whether ``other`` is of ``self``'s class and equal in every compared field
    (``NotImplemented`` for another class, as attrs' own ``__eq__`` answers)."""
    cls = self.__class__
    if other.__class__ is not cls:
        return NotImplemented
    return all(getattr(self, name) == getattr(other, name) for name in _compared(cls))


def fields_hash(self: Any) -> int:
    """The hash of ``self``'s class and compared fields (equal instances, equal hashes)."""
    cls = self.__class__
    return hash((cls, *[getattr(self, name) for name in _compared(cls)]))
