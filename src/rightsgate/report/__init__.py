"""Reporters: pure functions from scan results to text, one per output format."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

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


FORMATS = ("text", "json", "jsonl", "sarif", "github")
STREAMED = ("text", "jsonl", "github")
"""Formats written document by document, so a scan of any size runs in constant memory."""


def _module(name: str):
    if name not in FORMATS:
        raise ValueError(f"unknown report format {name!r}")
    return importlib.import_module(f".{name}", __name__)  # lazily: only the format in use


def reporter(name: str) -> Reporter:
    """The whole-report renderer for a format."""
    return _module(name).render


def streamer(
    name: str, *, color: bool = False, quiet: bool = False
) -> tuple[DocumentWriter, SummaryWriter]:
    """Per-document and closing renderers of a streamable format."""
    if name not in STREAMED:
        raise ValueError(f"report format {name!r} cannot be streamed")
    module = _module(name)
    return partial(module.render_document, color=color, quiet=quiet), module.render_summary
