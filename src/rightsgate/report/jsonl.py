"""JSON Lines: one document object per line (the JSON report's document schema), streamed."""

from __future__ import annotations

import json

from ..model import DocumentResult
from ..scan import ScanSummary
from . import ReportInput
from .json import document_dict


def render_document(r: DocumentResult, *, color: bool = False, quiet: bool = False) -> str:
    return json.dumps(document_dict(r), ensure_ascii=False) + "\n"


def render_summary(summary: ScanSummary) -> str:
    return ""  # a line per document, nothing else: the summary is theirs to add up


def render(report: ReportInput) -> str:
    return "".join(render_document(r) for r in report.results)
