"""Human-readable report grouped by document; colour only when the CLI asks (on a terminal)."""

from __future__ import annotations

import re

from ..model import DocumentResult, Verdict
from ..scan import ScanSummary
from . import ReportInput

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_COLORS = {Verdict.BLOCK: "31", Verdict.REVIEW: "33", Verdict.ALLOW: "32"}


def harmless(text: str) -> str:
    """Escape control characters and bidi overrides so a snippet cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _status(r: DocumentResult, color: bool) -> str:
    if r.error:
        return _paint("ERROR ", "1;31", color)
    if r.skipped:
        return _paint("SKIP  ", "2", color)
    return _paint(f"{r.verdict.value.upper():<6}", _COLORS[r.verdict], color)


def render_document(r: DocumentResult, *, color: bool = False, quiet: bool = False) -> str:
    """One document's block of the report ('' when quiet and there is nothing to say)."""
    if quiet and r.verdict is Verdict.ALLOW and not (r.error or r.notes):
        return ""
    where = harmless(str(r.location)) + (f"  {harmless(r.url)}" if r.url else "")
    lines = [f"{_status(r, color)} {where}"]
    if r.error:
        lines.append(f"    error: {harmless(r.error)}")
    if r.skipped:
        lines.append(f"    skipped: {harmless(r.skipped)}")
    for note in r.notes:
        lines.append(f"    warning: {harmless(note)}")
    for f in r.findings:
        where = f"{f.line}:{f.column}" if f.line else f.source.value
        lines.append(f"    {where:<9} {f.severity.value:<7} {f.rule_id}  [{f.category.value}]")
        lines.append(f'              "{harmless(f.snippet)}"')
    for s in r.suppressed:
        lines.append(f"    suppressed {s.finding.rule_id}: {harmless(s.reason)}")
    return "\n".join(lines) + "\n"


def render_summary(s: ScanSummary) -> str:
    """The closing line with the counts."""
    return (
        f"{s.documents} document{'s' if s.documents != 1 else ''}: {s.block} block, "
        f"{s.review} review, {s.allow} allow, {s.errors} error{'s' if s.errors != 1 else ''}, "
        f"{s.skipped} skipped; {s.findings} finding{'s' if s.findings != 1 else ''}\n"
    )


def render(report: ReportInput) -> str:
    body = "".join(
        render_document(r, color=report.color, quiet=report.quiet) for r in report.results
    )
    return body + render_summary(report.summary)
