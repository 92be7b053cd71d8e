"""The validation core: the rule catalogue, ``validate`` and ``infer``."""

from ..model.findings import Finding, Severity, Status
from .diagnosis import diagnose
from .engine import ValidationResult, infer, validate
from .rules import RULES, Check, Rule, checks, checks_involving, rule

__all__ = [
    "RULES",
    "Check",
    "Finding",
    "Rule",
    "Severity",
    "Status",
    "ValidationResult",
    "checks",
    "checks_involving",
    "diagnose",
    "infer",
    "rule",
    "validate",
]
