"""The pipeline without the CLI: documents in, one DocumentResult per document out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .engine import DEFAULT_TIMEOUT, RuleSet, TextMatch
from .model import Document, DocumentResult, Finding, Location, Source, Verdict
from .policy import Policy
from .rulepack import load_packs
from .sources import SourceOptions, iter_documents

SNIPPET_LIMIT = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanSummary:
    """Counts over a scan; they add up: documents = block + review + allow + errors + skipped."""

    documents: int = 0
    block: int = 0
    review: int = 0
    allow: int = 0
    errors: int = 0
    skipped: int = 0
    findings: int = 0
    bytes: int = 0
    failed: int = 0
    """Documents at or above the policy's fail-on verdict."""


def summarize(results: Iterable[DocumentResult], policy: Policy) -> ScanSummary:
    counts = dict.fromkeys(("documents", "block", "review", "allow", "errors", "skipped"), 0)
    findings = size = failed = 0
    for r in results:
        counts["documents"] += 1
        size += r.size
        if r.error:
            counts["errors"] += 1
        elif r.skipped:
            counts["skipped"] += 1
        else:
            counts[r.verdict.value] += 1
            findings += len(r.findings)
            failed += policy.fails(r.verdict)
    return ScanSummary(**counts, findings=findings, bytes=size, failed=failed)


class Scanner:
    """Judges documents against a rule set under a policy. Picklable, so workers can share it."""

    def __init__(
        self, rules: RuleSet, policy: Policy | None = None, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.rules = rules
        self.policy = policy or Policy()
        self.timeout = timeout

    @classmethod
    def from_packs(
        cls,
        rule_dirs: Sequence[str | Path] = (),
        *,
        bundled: bool = True,
        disabled: Iterable[str] = (),
        policy: Policy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Scanner:
        """A scanner over the bundled packs plus ``rule_dirs`` (raises RuleError)."""
        packs = load_packs([Path(d) for d in rule_dirs], bundled=bundled, disabled=disabled)
        return cls(RuleSet(packs), policy, timeout=timeout)

    def scan_text(
        self, text: str, *, path: str = "<text>", url: str | None = None
    ) -> DocumentResult:
        """Judge one piece of plain text."""
        return self.scan_document(Document(location=Location(path=path), text=text, url=url))

    def scan_html(
        self, html: str, *, path: str = "<html>", url: str | None = None
    ) -> DocumentResult:
        """Judge one HTML page."""
        return self.scan_document(Document(location=Location(path=path), html=html, url=url))

    def scan_paths(
        self,
        paths: Sequence[str],
        options: SourceOptions | None = None,
        *,
        stdin: BinaryIO | None = None,
    ) -> Iterator[DocumentResult]:
        """Judge every document under ``paths``, in a deterministic order."""
        for document in iter_documents(paths, options or SourceOptions(), stdin=stdin):
            yield self.scan_document(document)

    def scan_document(self, doc: Document) -> DocumentResult:
        """Judge one document; reading problems become a result with ``error`` set."""
        base = {"location": doc.location, "url": doc.url, "size": doc.size, "fields": doc.fields}
        if doc.error:
            return DocumentResult(**base, verdict=Verdict.ALLOW, error=doc.error, notes=doc.notes)
        if doc.skipped:
            return DocumentResult(
                **base, verdict=Verdict.ALLOW, skipped=doc.skipped, notes=doc.notes
            )
        page = None
        if doc.html is not None:
            from .extract import extract_html

            page = extract_html(doc.html)
            text = page.text
        else:
            text = doc.text or ""
        scan = self.rules.match_text(text, timeout=self.timeout)
        line_base = doc.location.record if doc.location.record_kind == "line" else 1
        findings = []
        for match in scan.matches:
            if page is not None:
                line = page.source_line(match.start)
                column = _html_column(doc.html or "", line, text[match.start : match.end])
            else:
                line, column = _line_column(text, match.start)
                line += line_base - 1
            findings.append(self._finding(match, text, line, column))
        findings.sort(key=lambda f: f.sort_key)
        return DocumentResult(
            **base,
            verdict=self.policy.verdict(findings),
            findings=tuple(findings),
            notes=doc.notes + scan.warnings,
        )

    def _finding(self, match: TextMatch, text: str, line: int, column: int) -> Finding:
        rule = match.rule
        return Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=self.policy.severity(rule),
            publisher=rule.publisher,
            source=Source.TEXT,
            start=match.start,
            end=match.end,
            line=line,
            column=column,
            snippet=make_snippet(text[match.start : match.end]),
            details=match.details,
        )


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _html_column(html: str, line: int, matched: str) -> int:
    """Best-effort column of the match in the HTML source line (1 when it cannot be found)."""
    lines = html.split("\n")
    if not 0 < line <= len(lines):
        return 1
    words = matched.split()[:3]
    if not words:
        return 1
    found = lines[line - 1].find(words[0])
    return found + 1 if found >= 0 else 1


def make_snippet(matched: str, limit: int = SNIPPET_LIMIT) -> str:
    """The matched original text on one line, shortened in the middle when long."""
    folded = " ".join(matched.split())
    if len(folded) <= limit:
        return folded
    head = limit * 2 // 3
    return f"{folded[:head]} … {folded[-(limit - head - 3) :]}"
