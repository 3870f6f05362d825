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
DocumentWriter = Callable[[DocumentResult], str]
SummaryWriter = Callable[[ScanSummary], str]


def reporter(name: str) -> Reporter:
    """The whole-report renderer for a format (imported lazily)."""
    if name == "text":
        from .text import render
    elif name == "json":
        from .json import render
    elif name == "jsonl":
        from .jsonl import render
    elif name == "sarif":
        from .sarif import render
    elif name == "github":
        from .github import render
    else:
        raise ValueError(f"unknown report format {name!r}")
    return render


def streamer(
    name: str, *, color: bool = False, quiet: bool = False
) -> tuple[DocumentWriter, SummaryWriter]:
    """Per-document and closing renderers of a streamable format."""
    if name == "text":
        from .text import render_document, render_summary

        return (lambda r: render_document(r, color=color, quiet=quiet)), render_summary
    if name == "jsonl":
        from .jsonl import render_document

        return render_document, lambda s: ""
    if name == "github":
        from .github import render_document, render_summary

        return render_document, render_summary
    raise ValueError(f"report format {name!r} cannot be streamed")
