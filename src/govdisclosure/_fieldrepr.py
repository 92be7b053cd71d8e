"""One ``__repr__`` for the package's attrs classes, in place of one generated per class.

attrs writes and compiles a ``__repr__`` for every class it builds; that source
is a third of all it compiles, and compiling it was a tenth of the start-up of
``govdisclosure check FILE`` (``docs/performance.md``, *Start-up*). A class
that sets ``__repr__ = fields_repr`` in its body gets none generated (attrs
leaves alone what a class defines itself) and the same text: the class name
and every field shown in the order attrs shows it, a field declared with
``repr=False`` left out, and ``...`` for an instance already being shown
further up the same repr.
"""

from __future__ import annotations

import threading
from typing import Any

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
