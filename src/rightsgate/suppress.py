"""Allowlists and baselines: accepted findings, hidden from the gate but kept in reports."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import __version__
from .config import AllowEntry
from .errors import ConfigError
from .model import DocumentResult, Finding, Suppressed

BASELINE_SCHEMA = 1


def fingerprint(path: str, finding: Finding) -> str:
    """Stable identity of a finding: file, rule and matched text — not its line or record number,
    so edits elsewhere in the file and re-ordered JSONL records keep it."""
    text = " ".join(finding.snippet.split()).casefold()
    digest = hashlib.sha256(f"{path}\0{finding.rule_id}\0{text}".encode()).hexdigest()
    return digest[:32]


@dataclass(frozen=True, slots=True)
class Allowlist:
    """The config's [[allow]] entries, with the pack of every rule to scope by pack."""

    entries: tuple[AllowEntry, ...]
    rule_packs: dict[str, str]

    def reason(
        self, path: str, url: str | None, finding: Finding, publishers: frozenset[str]
    ) -> str | None:
        for entry in self.entries:
            if entry.covers(
                rule_id=finding.rule_id,
                pack=self.rule_packs.get(finding.rule_id, ""),
                category=finding.category.value,
                publishers=publishers,
                path=path,
                url=url,
            ):
                return f"allowlist: {entry.reason}"
        return None


class BaselineMatcher:
    """Consumes a baseline's fingerprints during one scan: each recorded finding hides one."""

    def __init__(self, counts: Counter[str]) -> None:
        self.remaining = Counter(counts)

    def known(self, path: str, finding: Finding) -> bool:
        fp = fingerprint(path, finding)
        if self.remaining[fp] > 0:
            self.remaining[fp] -= 1
            return True
        return False


def load_baseline(path: str) -> Counter[str]:
    """Fingerprint counts from a baseline file (ConfigError when it is unusable)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"{path}: cannot read baseline: {e}") from e
    if not isinstance(data, dict) or data.get("schema_version") != BASELINE_SCHEMA:
        raise ConfigError(f"{path}: not a rightsgate baseline (schema_version {BASELINE_SCHEMA})")
    counts: Counter[str] = Counter()
    for entry in data.get("findings", []):
        try:
            counts[str(entry["fingerprint"])] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"{path}: malformed baseline entry: {entry!r}") from e
    return counts


def render_baseline(results: Iterable[DocumentResult]) -> str:
    """A baseline of every finding (suppressed ones too), as deterministic JSON."""
    entries: dict[str, dict[str, Any]] = {}
    for r in results:
        for f in (*r.findings, *(s.finding for s in r.suppressed)):
            fp = fingerprint(r.location.path, f)
            entry = entries.setdefault(
                fp,
                {
                    "fingerprint": fp,
                    "path": r.location.path,
                    "rule_id": f.rule_id,
                    "snippet": f.snippet,
                    "count": 0,
                },
            )
            entry["count"] += 1
    doc = {
        "schema_version": BASELINE_SCHEMA,
        "tool": {"name": "rightsgate", "version": __version__},
        "findings": sorted(
            entries.values(), key=lambda e: (e["path"], e["rule_id"], e["fingerprint"])
        ),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def split(
    path: str,
    url: str | None,
    findings: Sequence[Finding],
    allowlist: Allowlist | None,
    baseline: BaselineMatcher | None,
) -> tuple[list[Finding], list[Suppressed]]:
    """(findings that count, findings hidden with their reason)."""
    kept: list[Finding] = []
    hidden: list[Suppressed] = []
    publishers = frozenset(f.publisher.casefold() for f in findings if f.publisher)
    for f in findings:
        reason = allowlist.reason(path, url, f, publishers) if allowlist else None
        if reason is None and baseline is not None and baseline.known(path, f):
            reason = "baseline: accepted when the baseline was recorded"
        if reason is None:
            kept.append(f)
        else:
            hidden.append(Suppressed(finding=f, reason=reason))
    return kept, hidden
