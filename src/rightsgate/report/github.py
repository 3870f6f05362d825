"""GitHub Actions workflow commands: one annotation per finding and per unreadable input."""

from __future__ import annotations

from ..model import DocumentResult, Severity
from ..scan import ScanSummary
from . import ReportInput

_COMMANDS = {Severity.BLOCK: "error", Severity.REVIEW: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_document(r: DocumentResult, *, color: bool = False, quiet: bool = False) -> str:
    lines = []
    path = _property(r.location.path)
    if r.error:
        lines.append(f"::error file={path},title=unreadable::{_data(f'{r.location}: {r.error}')}")
    for f in r.findings:
        where = f"file={path}"
        if f.line:
            where += f",line={f.line},col={f.column}"
        title = _property(f"rightsgate {f.rule_id}")
        message = _data(f"{r.location}: {f.category.value} ({f.source.value}): {f.snippet}")
        lines.append(f"::{_COMMANDS[f.severity]} {where},title={title}::{message}")
    return "".join(line + "\n" for line in lines)


def render_summary(s: ScanSummary) -> str:
    return (
        f"::notice title=rightsgate::{s.documents} documents: {s.block} block, {s.review} review, "
        f"{s.allow} allow, {s.errors} errors, {s.skipped} skipped\n"
    )


def render(report: ReportInput) -> str:
    return "".join(render_document(r) for r in report.results) + render_summary(report.summary)
