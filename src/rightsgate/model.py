"""Core value types shared by every pipeline stage."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How much a finding weighs; compare by ``rank``, never by value."""

    INFO = "info"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.REVIEW: 1, Severity.BLOCK: 2}


class Verdict(str, enum.Enum):
    """What to do with a document."""

    ALLOW = "allow"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _VERDICT_RANK[self]


_VERDICT_RANK = {Verdict.ALLOW: 0, Verdict.REVIEW: 1, Verdict.BLOCK: 2}

VERDICT_FOR_SEVERITY = {
    Severity.INFO: Verdict.ALLOW,
    Severity.REVIEW: Verdict.REVIEW,
    Severity.BLOCK: Verdict.BLOCK,
}


class Category(str, enum.Enum):
    """What kind of rights statement a rule detects."""

    TDM_RESERVATION = "tdm-reservation"
    REPRODUCTION_PROHIBITED = "reproduction-prohibited"
    ALL_RIGHTS_RESERVED = "all-rights-reserved"
    LICENSE_RESTRICTED = "license-restricted"
    PAYWALL = "paywall"
    SYNDICATION = "syndication"
    LICENSE_PERMISSIVE = "license-permissive"
    BOILERPLATE = "boilerplate"


DEFAULT_SEVERITY = {
    Category.TDM_RESERVATION: Severity.BLOCK,
    Category.REPRODUCTION_PROHIBITED: Severity.BLOCK,
    Category.ALL_RIGHTS_RESERVED: Severity.REVIEW,
    Category.LICENSE_RESTRICTED: Severity.REVIEW,
    Category.PAYWALL: Severity.REVIEW,
    Category.SYNDICATION: Severity.REVIEW,
    Category.LICENSE_PERMISSIVE: Severity.INFO,
    Category.BOILERPLATE: Severity.INFO,
}


class Source(str, enum.Enum):
    """Where in a document a finding was made."""

    TEXT = "text"
    META = "meta"
    LINK = "link"
    JSONLD = "jsonld"
    HEADER = "header"
    URL = "url"
    SITE = "site"
    """A site-wide file such as /.well-known/tdmrep.json."""


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Location:
    """Where a document came from: a path, plus a record for JSONL lines or WARC offsets."""

    path: str
    """The path as the user gave it (relative stays relative); ``-`` for standard input."""
    record: int | None = None
    """JSONL line number or WARC byte offset; None for a whole file."""
    record_kind: str | None = None
    """``line`` or ``offset``: how ``record`` is written."""

    def __str__(self) -> str:
        if self.record is None:
            return self.path
        return f"{self.path}{_RECORD_SEPARATORS.get(self.record_kind, ':')}{self.record}"


_RECORD_SEPARATORS = {"line": ":", "offset": "@", "index": "#"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One unit to judge: a file, a JSONL record or a WARC record."""

    location: Location
    """Where the document came from."""
    text: str | None = None
    """Already-extracted text, when the source is not HTML."""
    html: str | None = None
    """Raw HTML, extracted later by the extract stage."""
    url: str | None = None
    """The document's URL, when known."""
    headers: tuple[tuple[str, str], ...] = ()
    """HTTP response headers (name, value), every occurrence kept."""
    fields: Mapping[str, Any] = field(default_factory=dict)
    """Metadata carried along for reports (JSONL fields)."""
    size: int = 0
    """Bytes read for this document."""
    notes: tuple[str, ...] = ()
    """Warnings from reading, e.g. replaced invalid UTF-8."""
    skipped: str | None = None
    """Why the document was deliberately not scanned (e.g. a binary file)."""
    error: str | None = None
    """Why the document could not be read; it is then reported, not scanned."""
    site_tdmrep: SiteTdmRep | None = None
    """The entry of a site's /.well-known/tdmrep.json that covers this document, if any."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteTdmRep:
    """One matching entry of a site's tdmrep.json."""

    file: str
    """Path of the tdmrep.json file."""
    location: str
    """The entry's location pattern."""
    reservation: str
    """The entry's tdm-reservation value as written."""
    policy: str | None = None
    """The entry's tdm-policy URL, if any."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One piece of evidence: a rule that matched, and where."""

    rule_id: str
    """The matching rule's stable id."""
    category: Category
    """The rule's category."""
    severity: Severity
    """Severity after the policy was applied."""
    publisher: str | None
    """The publisher whose pack the rule belongs to, if any."""
    source: Source
    """Which part of the document matched."""
    start: int
    """Offset into the original (not normalized) text."""
    end: int
    """End offset (exclusive) into the original text."""
    line: int
    """1-based line in the input file (or record)."""
    column: int
    """1-based column in that line."""
    snippet: str
    """The original text that matched, whitespace folded, shortened if long."""
    details: tuple[tuple[str, str], ...] = ()
    """Named groups of the pattern (e.g. a licence version)."""

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppressed:
    """A finding an allowlist or baseline hid, with the reason."""

    finding: Finding
    """The hidden finding."""
    reason: str
    """Why it was hidden."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentResult:
    """The verdict on one document, with its evidence."""

    location: Location
    """Where the document came from."""
    verdict: Verdict
    """allow, review or block."""
    url: str | None = None
    """The document's URL, when known."""
    findings: tuple[Finding, ...] = ()
    """Unsuppressed findings, in document order."""
    suppressed: tuple[Suppressed, ...] = ()
    """Findings hidden by an allowlist or baseline."""
    notes: tuple[str, ...] = ()
    """Warnings: replaced bytes, pattern timeouts."""
    skipped: str | None = None
    """Why the document was deliberately not scanned."""
    error: str | None = None
    """Why the document could not be read."""
    size: int = 0
    """Bytes read."""
    fields: Mapping[str, Any] = field(default_factory=dict)
    """Metadata carried from the source."""
