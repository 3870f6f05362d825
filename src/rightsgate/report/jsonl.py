"""JSON Lines: one document object per line (the JSON report's document schema), streamed."""

from __future__ import annotations

import json

from ..model import DocumentResult
from . import ReportInput
from .json import document_dict


def render_document(r: DocumentResult) -> str:
    return json.dumps(document_dict(r), ensure_ascii=False) + "\n"


def render(report: ReportInput) -> str:
    return "".join(render_document(r) for r in report.results)
