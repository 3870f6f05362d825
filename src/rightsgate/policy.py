"""Turn findings into severities and a verdict per document, by profile and overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import (
    DEFAULT_SEVERITY,
    VERDICT_FOR_SEVERITY,
    Category,
    Finding,
    Severity,
    Verdict,
)
from .rulepack import Rule

PROFILES: Mapping[str, str] = {
    "default": "severities as in the category table",
    "strict": "every review becomes block",
    "research": "tdm-reservation and reproduction-prohibited become review (research exception)",
}
_RESEARCH_REVIEW = frozenset({Category.TDM_RESERVATION, Category.REPRODUCTION_PROHIBITED})


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """How findings weigh and when the gate fails."""

    profile: str = "default"
    """One of PROFILES."""
    fail_on: Verdict = Verdict.BLOCK
    """The gate fails on a document whose verdict is at least this."""
    category_severity: Mapping[Category, Severity] = field(default_factory=dict)
    """Overrides per category (win over the profile)."""
    rule_severity: Mapping[str, Severity] = field(default_factory=dict)
    """Overrides per rule id (win over everything)."""

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown policy profile {self.profile!r}")

    def severity(self, rule: Rule) -> Severity:
        """The severity a finding of ``rule`` gets under this policy."""
        if rule.id in self.rule_severity:
            return self.rule_severity[rule.id]
        if rule.category in self.category_severity:
            return self.category_severity[rule.category]
        severity = rule.severity or DEFAULT_SEVERITY[rule.category]
        if self.profile == "strict" and severity is Severity.REVIEW:
            return Severity.BLOCK
        if self.profile == "research" and rule.category in _RESEARCH_REVIEW:
            return Severity.REVIEW
        return severity

    def verdict(self, findings: Iterable[Finding]) -> Verdict:
        """block > review > allow: the highest severity among the findings."""
        top = max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.INFO)
        return VERDICT_FOR_SEVERITY[top]

    def fails(self, verdict: Verdict) -> bool:
        """Whether a document with this verdict fails the gate."""
        return verdict.rank >= self.fail_on.rank and verdict is not Verdict.ALLOW
