"""The validation core: the catalogue of rules and finding codes, ``validate``,
``infer``, and the checks across reports (series, narrative, roll-ups)."""

from typing import TYPE_CHECKING, Any

from ..model.findings import Finding, Severity, Status
from .catalogue import CODES, RULES, Identity, Rule, Sides, code, rule
from .engine import ValidationResult, infer, validate
from .rules import Check, checks, checks_involving

if TYPE_CHECKING:
    from .diagnosis import diagnose

__all__ = [
    "CODES",
    "RULES",
    "Check",
    "Finding",
    "Identity",
    "Rule",
    "Severity",
    "Sides",
    "Status",
    "ValidationResult",
    "checks",
    "checks_involving",
    "code",
    "diagnose",
    "infer",
    "rule",
    "validate",
]


def __getattr__(name: str) -> Any:
    # The diagnosis (a solver over fractions) is imported on first use: checking a
    # report whose identities hold never needs it.
    if name == "diagnose":
        from .diagnosis import diagnose

        return diagnose
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
