"""Reporters: pure functions from scan results to text, one per output format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..engine import RuleSet
from ..model import DocumentResult
from ..scan import ScanSummary


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportInput:
    """Everything a reporter may use; nothing about wall-clock time or the machine."""

    results: Sequence[DocumentResult]
    summary: ScanSummary
    rules: RuleSet
    color: bool = False
    quiet: bool = False
    """Leave allowed documents without findings out of human-readable listings."""


Reporter = Callable[[ReportInput], str]


def reporter(name: str) -> Reporter:
    """The reporter for a format name (imported lazily)."""
    if name == "text":
        from .text import render
    elif name == "json":
        from .json import render
    else:
        raise ValueError(f"unknown report format {name!r}")
    return render


FORMATS = ("text", "json")
