"""JSON report, schema_version 1 (docs/REPORT-SCHEMA.md): names are stable, add never rename."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..model import DocumentResult, Finding
from . import ReportInput

SCHEMA_VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule_id": f.rule_id,
        "category": f.category.value,
        "severity": f.severity.value,
        "source": f.source.value,
        "publisher": f.publisher,
        "line": f.line,
        "column": f.column,
        "start": f.start,
        "end": f.end,
        "snippet": f.snippet,
    }
    if f.details:
        out["details"] = dict(f.details)
    return out


def document_dict(r: DocumentResult) -> dict[str, Any]:
    return {
        "path": r.location.path,
        "record": r.location.record,
        "url": r.url,
        "verdict": r.verdict.value,
        "findings": [finding_dict(f) for f in r.findings],
        "suppressed": [{**finding_dict(s.finding), "reason": s.reason} for s in r.suppressed],
        "fields": dict(r.fields),
        "notes": list(r.notes),
        "skipped": r.skipped,
        "error": r.error,
    }


def render(report: ReportInput) -> str:
    s = report.summary
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "rightsgate", "version": __version__},
        "summary": {
            "documents": s.documents,
            "block": s.block,
            "review": s.review,
            "allow": s.allow,
            "errors": s.errors,
            "skipped": s.skipped,
            "findings": s.findings,
        },
        "documents": [document_dict(r) for r in report.results],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
