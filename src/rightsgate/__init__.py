"""rightsgate: keep content whose publisher reserved its rights out of AI training corpora."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public API, imported on first use so that `rightsgate --version` and a one-file
# scan do not pay for modules they never touch.
_EXPORTS = {
    "Category": "model",
    "Document": "model",
    "DocumentResult": "model",
    "Finding": "model",
    "Location": "model",
    "Severity": "model",
    "Verdict": "model",
    "ConfigError": "errors",
    "InputError": "errors",
    "RightsgateError": "errors",
    "RuleError": "errors",
    "RuleSet": "engine",
    "Policy": "policy",
    "load_packs": "rulepack",
    "Scanner": "scan",
    "ScanSummary": "scan",
    "summarize": "scan",
}

if TYPE_CHECKING:
    from .engine import RuleSet
    from .errors import ConfigError, InputError, RightsgateError, RuleError
    from .model import Category, Document, DocumentResult, Finding, Location, Severity, Verdict
    from .policy import Policy
    from .rulepack import load_packs
    from .scan import Scanner, ScanSummary, summarize


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rightsgate' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [  # noqa: RUF022 - grouped as _EXPORTS
    "__version__",
    "Category",
    "Document",
    "DocumentResult",
    "Finding",
    "Location",
    "Severity",
    "Verdict",
    "ConfigError",
    "InputError",
    "RightsgateError",
    "RuleError",
    "RuleSet",
    "Policy",
    "load_packs",
    "Scanner",
    "ScanSummary",
    "summarize",
]
