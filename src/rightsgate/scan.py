"""The pipeline without the CLI: documents in, one DocumentResult per document out."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .engine import DEFAULT_TIMEOUT, RuleSet, TextMatch
from .errors import RuleProblem
from .model import Document, DocumentResult, Finding, Location, Source, Verdict
from .policy import Policy
from .rulepack import Pack, Rule, load_packs
from .sources import SourceOptions, iter_documents

if TYPE_CHECKING:
    from .suppress import Allowlist, BaselineMatcher

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


class SummaryCounter:
    """Counts results as they stream by, so a scan's memory does not grow with the corpus."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.counts = dict.fromkeys((f.name for f in fields(ScanSummary)), 0)

    def add(self, r: DocumentResult) -> DocumentResult:
        counts = self.counts
        counts["documents"] += 1
        counts["bytes"] += r.size
        if r.error:
            counts["errors"] += 1
        elif r.skipped:
            counts["skipped"] += 1
        else:
            counts[r.verdict.value] += 1
            counts["findings"] += len(r.findings)
            counts["failed"] += self.policy.fails(r.verdict)
        return r

    def summary(self) -> ScanSummary:
        return ScanSummary(**self.counts)


def summarize(results: Iterable[DocumentResult], policy: Policy) -> ScanSummary:
    counter = SummaryCounter(policy)
    for r in results:
        counter.add(r)
    return counter.summary()


class Scanner:
    """Judges documents against a rule set under a policy. Picklable, so workers can share it."""

    def __init__(
        self,
        rules: RuleSet,
        policy: Policy | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allowlist: Allowlist | None = None,
        baseline: BaselineMatcher | None = None,
    ) -> None:
        self.rules = rules
        self.policy = policy or Policy()
        self.timeout = timeout
        self.allowlist = allowlist
        self.baseline = baseline
        """Consumed as documents are judged: one Scanner per scan when a baseline is used."""

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
        jobs: int = 1,
    ) -> Iterator[DocumentResult]:
        """Judge every document under ``paths``, in a deterministic order.

        With ``jobs`` > 1, documents are judged in worker processes, in batches with a bounded
        number in flight (memory does not grow with the corpus); results come back in input
        order, and allowlist and baseline are applied here, in order, as without workers.
        """
        documents = iter_documents(paths, options or SourceOptions(), stdin=stdin)
        if jobs <= 1:
            for document in documents:
                yield self.scan_document(document)
            return
        from concurrent.futures import ProcessPoolExecutor

        judge = Scanner(self.rules, self.policy, timeout=self.timeout)
        pending: deque = deque()
        with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(judge,)) as pool:
            for batch in _batches(documents):
                pending.append(pool.submit(_judge_batch, batch))
                while len(pending) >= jobs * 4:
                    yield from map(self.suppress, pending.popleft().result())
            while pending:
                yield from map(self.suppress, pending.popleft().result())

    def scan_document(self, doc: Document) -> DocumentResult:
        """Judge one document; reading problems become a result with ``error`` set."""
        return self.suppress(self.judge(doc))

    def suppress(self, result: DocumentResult) -> DocumentResult:
        """Move findings the allowlist or baseline accepts into ``suppressed``; re-weigh."""
        if not result.findings or (self.allowlist is None and self.baseline is None):
            return result
        from .suppress import split

        kept, hidden = split(
            result.location.path, result.url, result.findings, self.allowlist, self.baseline
        )
        return replace(
            result,
            verdict=self.policy.verdict(kept),
            findings=tuple(kept),
            suppressed=(*result.suppressed, *hidden),
        )

    def judge(self, doc: Document) -> DocumentResult:
        """Every finding of one document and its verdict, before allowlist and baseline."""
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
        lines = None
        if page is not None and scan.matches:
            from .extract import source_lines

            lines = source_lines(doc.html or "")
            if lines.text != text:  # never expected; if the two walks differ, trust the slow one
                text = lines.text
                scan = self.rules.match_text(text, timeout=self.timeout)
        findings = []
        notes = list(doc.notes + scan.warnings)
        if page is not None or doc.headers or doc.url or doc.site_tdmrep is not None:
            findings += self._signal_findings(doc, page, notes)
        html_lines = (doc.html or "").split("\n") if lines is not None else []
        for match in scan.matches:
            if lines is not None:
                line = lines.line(match.start)
                column = _html_column(html_lines, line, text[match.start : match.end])
            else:
                line, column = _line_column(text, match.start)
            findings.append(self._finding(match, text, line, column))
        if doc.location.record_kind == "line":
            # A JSONL record is one line of its file: that line is where every finding is.
            findings = [replace(f, line=doc.location.record, column=1) for f in findings]
        findings.sort(key=lambda f: f.sort_key)
        return DocumentResult(
            **base,
            verdict=self.policy.verdict(findings),
            findings=tuple(findings),
            notes=tuple(dict.fromkeys(notes)),
        )

    def _signal_findings(self, doc: Document, page, notes: list[str]) -> list[Finding]:
        """Findings from meta tags, links, JSON-LD, headers, the URL and TDMRep."""
        from .signals import collect

        found = collect(doc, page)
        notes += found.notes
        findings = []
        for match in self.rules.match_signals(found.observations):
            o = match.observation
            findings.append(
                self._finding_at(
                    match.rule, o.source, 0, 0, *_where(o.line), o.snippet, match.details
                )
            )
        for rights in found.texts:
            scan = self.rules.match_text(rights.text, timeout=self.timeout)
            notes += scan.warnings
            for m in scan.matches:
                snippet = make_snippet(rights.text[m.start : m.end])
                findings.append(
                    self._finding_at(
                        m.rule,
                        rights.source,
                        m.start,
                        m.end,
                        *_where(rights.line),
                        snippet,
                        m.details,
                    )
                )
        return findings

    def _finding_at(self, rule, source, start, end, line, column, snippet, details) -> Finding:
        return Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=self.policy.severity(rule),
            publisher=rule.publisher,
            source=source,
            start=start,
            end=end,
            line=line,
            column=column,
            snippet=snippet,
            details=details,
        )

    def _finding(self, match: TextMatch, text: str, line: int, column: int) -> Finding:
        snippet = make_snippet(text[match.start : match.end])
        return self._finding_at(
            match.rule, Source.TEXT, match.start, match.end, line, column, snippet, match.details
        )


_WORKER: Scanner | None = None
BATCH_DOCUMENTS = 64
BATCH_BYTES = 4 << 20


def _start_worker(scanner: Scanner) -> None:
    global _WORKER  # one scanner per worker process, received once
    _WORKER = scanner


def _judge_batch(batch: list[Document]) -> list[DocumentResult]:
    assert _WORKER is not None
    return [_WORKER.judge(doc) for doc in batch]


def _batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    """Documents grouped so that each batch is worth a trip to a worker, and none is huge."""
    batch: list[Document] = []
    size = 0
    for doc in documents:
        batch.append(doc)
        size += doc.size
        if len(batch) >= BATCH_DOCUMENTS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _where(line: int) -> tuple[int, int]:
    """(line, column) of a signal in the input: 0, 0 when it is not in the text (a header)."""
    return (line, 1) if line else (0, 0)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _html_column(html_lines: list[str], line: int, matched: str) -> int:
    """Best-effort column of the match's first word in its HTML source line (else 1)."""
    words = matched.split(maxsplit=1)
    if not words or not 0 < line <= len(html_lines):
        return 1
    return html_lines[line - 1].find(words[0]) + 1 or 1


def make_snippet(matched: str, limit: int = SNIPPET_LIMIT) -> str:
    """The matched original text on one line, shortened in the middle when long."""
    folded = " ".join(matched.split())
    if len(folded) <= limit:
        return folded
    head = limit * 2 // 3
    return f"{folded[:head]} … {folded[-(limit - head - 3) :]}"


def example_problems(
    packs: Iterable[Pack], *, timeout: float = DEFAULT_TIMEOUT
) -> list[RuleProblem]:
    """Run every rule's own examples through the real pipeline; one problem per failing example.

    Text rules get the example as text. A signal rule's example is a page (starts with ``<``),
    HTTP header lines (``Name: value``) or a URL, as its kind needs.
    """
    problems = []
    for pack in packs:
        for rule in pack.rules:
            scanner = Scanner(RuleSet.of_rule(rule), timeout=timeout)
            for field, examples, wanted in (
                ("examples.match", rule.examples_match, True),
                ("examples.no_match", rule.examples_no_match, False),
            ):
                for i, example in enumerate(examples):
                    found = any(
                        f.rule_id == rule.id
                        for f in scanner.scan_document(example_document(rule, example)).findings
                    )
                    if found != wanted:
                        verb = "does not match" if wanted else "matches but must not"
                        problems.append(
                            RuleProblem(
                                rule.source, rule.id, f"{field}[{i}]", f"{verb}: {_short(example)}"
                            )
                        )
    return problems


def example_document(rule: Rule, example: str) -> Document:
    """The document a rule example stands for."""
    location = Location(path=f"<example of {rule.id}>")
    if rule.signal is None:
        return Document(location=location, text=example)
    if example.lstrip().startswith("<"):
        return Document(location=location, html=example)
    if rule.signal.kind == "url":
        return Document(location=location, url=example.strip())
    headers = tuple(
        (name.strip(), value.strip())
        for name, _, value in (line.partition(":") for line in example.splitlines() if ":" in line)
    )
    return Document(location=location, headers=headers)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
