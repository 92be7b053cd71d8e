"""The validation core: the catalogue of rules and finding codes, ``validate``,
``infer``, and the checks across reports (series, narrative, roll-ups)."""

from ..model.findings import Finding, Severity, Status
from .catalogue import CODES, RULES, Identity, Rule, Sides, code, rule
from .diagnosis import diagnose
from .engine import ValidationResult, infer, validate
from .rules import Check, checks, checks_involving

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
