"""rightsgate: keep content whose publisher reserved its rights out of AI training corpora."""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import RuleSet
from .errors import ConfigError, InputError, RightsgateError, RuleError
from .model import Category, Document, DocumentResult, Finding, Location, Severity, Verdict
from .policy import Policy
from .rulepack import load_packs
from .scan import Scanner, ScanSummary, summarize

__all__ = [
    "Category",
    "ConfigError",
    "Document",
    "DocumentResult",
    "Finding",
    "InputError",
    "Location",
    "Policy",
    "RightsgateError",
    "RuleError",
    "RuleSet",
    "ScanSummary",
    "Scanner",
    "Severity",
    "Verdict",
    "__version__",
    "load_packs",
    "summarize",
]
