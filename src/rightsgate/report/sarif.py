"""SARIF 2.1.0: rules with help text, results with physical (and, for WARC, logical) locations."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import DocumentResult, Finding, Severity
from ..rulepack import Rule
from ..suppress import fingerprint
from . import ReportInput

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.BLOCK: "error", Severity.REVIEW: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A relative URI reference for an input path (SARIF viewers resolve it against the repo)."""
    if path == "-":
        return "stdin"
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return quote(posix)


def _help(rule: Rule) -> str:
    lines = [rule.title, "", "What it matches:"]
    if rule.signal is not None:
        value = rule.signal.value or "any value"
        lines.append(f"  {rule.signal.kind} {rule.signal.name or ''} matching {value}")
    else:
        lines.append(f"  keywords: {', '.join(rule.keywords) or '(none)'}")
    if rule.description:
        lines += ["", "Why it matters:", f"  {rule.description}"]
    if rule.examples_match:
        lines += ["", "Example:", f"  {rule.examples_match[0]}"]
    if rule.references:
        lines += ["", "References:", *(f"  {ref}" for ref in rule.references)]
    return "\n".join(lines)


def _rule(rule: Rule, level: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": _help(rule)},
        "defaultConfiguration": {"level": level},
        "properties": {
            "category": rule.category.value,
            "pack": rule.pack,
            "tags": ["rights", rule.category.value, *rule.languages],
        },
    }


def _location(r: DocumentResult, finding: Finding | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(r.location.path)}}
    location: dict[str, Any] = {"physicalLocation": physical}
    if r.location.record_kind == "offset":
        physical["region"] = {"byteOffset": r.location.record}
        name = r.url or str(r.location)
        location["logicalLocations"] = [{"fullyQualifiedName": name, "kind": "resource"}]
    elif finding is not None and finding.line:
        physical["region"] = {
            "startLine": finding.line,
            "startColumn": max(1, finding.column),
            "snippet": {"text": finding.snippet},
        }
    elif r.location.record_kind == "line" and r.location.record:
        physical["region"] = {"startLine": r.location.record}
    return location


def _result(
    r: DocumentResult, f: Finding, index: int, rule: Rule | None, reason: str | None
) -> dict[str, Any]:
    title = rule.title if rule else f.rule_id
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": _LEVELS[f.severity],
        "message": {"text": f"{f.category.value}: {title} ({r.location}): {f.snippet}"},
        "locations": [_location(r, f)],
        "partialFingerprints": {"rightsgate/v1": fingerprint(r.location.path, f)},
        "properties": {"category": f.category.value, "source": f.source.value},
    }
    if reason is not None:
        result["suppressions"] = [{"kind": "external", "justification": reason}]
    return result


def render(report: ReportInput) -> str:
    pairs = [(r, f, None) for r in report.results for f in r.findings] + [
        (r, s.finding, s.reason) for r in report.results for s in r.suppressed
    ]
    used = sorted({f.rule_id for _, f, _ in pairs})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    rules = []
    for rule_id in used:
        rule = report.rules.by_id.get(rule_id)
        if rule is not None:
            severity = next(f.severity for _, f, _ in pairs if f.rule_id == rule_id)
            rules.append(_rule(rule, _LEVELS[severity]))
        else:
            rules.append({"id": rule_id})
    results = []
    for r in report.results:
        for f in r.findings:
            results.append(_result(r, f, index[f.rule_id], report.rules.by_id.get(f.rule_id), None))
        for s in r.suppressed:
            rule = report.rules.by_id.get(s.finding.rule_id)
            results.append(_result(r, s.finding, index[s.finding.rule_id], rule, s.reason))
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{r.location}: {r.error}"},
            "locations": [_location(r)],
        }
        for r in report.results
        if r.error
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "rightsgate",
                "version": __version__,
                "rules": rules,
            }
        },
        "results": results,
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
