"""Constructors for hot paths, written out from an attrs class's own fields.

An attrs class that is frozen and slotted sets each field in ``__init__``
through ``object.__setattr__``, the price of being frozen: about 80 ns a field.
For the few small classes that the validation engine makes by the thousand
(findings, cell sources), :func:`fast_constructor` writes a function with the
same keyword parameters and defaults that sets the slots directly, which is a
third faster. It builds exactly what the class's ``__init__`` builds, so it is
only made for classes with nothing else in ``__init__``: no validators,
converters, factories or ``__attrs_post_init__``, which it checks. The one
exception is explicit: a reader that has just checked the exact type of every
cell value (the JSON reader's fast path) builds rows without running the
same checks a second time in their validators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs

__all__ = ["fast_constructor"]

T = TypeVar("T")


def fast_constructor(cls: type[T], *, verified: bool = False) -> Callable[..., T]:
    """A function building ``cls(**kwargs)`` by setting its slots directly.

    With ``verified``, a class with validators and converters is accepted too,
    and they are skipped: only for callers that have just checked every value
    as the validators would and given it the type the converters would.
    """
    fields = attrs.fields(cast(Any, cls))
    plain = all(
        f.init and (verified or (f.validator is None and f.converter is None))
        and not isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
        for f in fields
    )
    if not plain or hasattr(cls, "__attrs_post_init__") or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} does more in __init__ than set its fields")
    params = ", ".join(
        f.alias if f.default is attrs.NOTHING else f"{f.alias}=default_{f.name}" for f in fields
    )
    lines = [f"def make(*, {params}):", "    obj = new(cls)"]
    lines += [f"    set_{f.name}(obj, {f.alias})" for f in fields]
    lines.append("    return obj")
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    for f in fields:
        namespace[f"set_{f.name}"] = cls.__dict__[f.name].__set__
        namespace[f"default_{f.name}"] = f.default
    name = f"<govdisclosure make {cls.__name__}{' verified' if verified else ''}>"
    exec(compile("\n".join(lines), name, "exec"), namespace)
    made: Callable[..., T] = namespace["make"]
    return made
