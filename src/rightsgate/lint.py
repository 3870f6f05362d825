"""Rule-pack lint: checks that examples alone cannot make, for speed, selectivity and overlap."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from .engine import COMMON_WORDS, RuleSet, gate_word
from .normalize import normalize
from .rulepack import Pack, Rule

MIN_EXAMPLES = 2
ADVERSARIAL_TIMEOUT = 0.25
"""Seconds a pattern may spend on one adversarial input before it counts as catastrophic."""
MIN_SPEED_MB_S = 2.5
"""Slower than this, a pattern costs more than ~2 ms per 4 KB window around each keyword hit."""
SPEED_RUNS = 3
MIN_GATE_LENGTH = 3


@dataclass(frozen=True, slots=True)
class LintProblem:
    """One lint finding, printed as ``file: rule-id: field: message``."""

    source: str
    rule_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.rule_id}: {self.field}: {self.message}"


def lint_packs(packs: Iterable[Pack]) -> list[LintProblem]:
    """Every lint problem of every rule, in pack and rule order."""
    packs = tuple(packs)
    problems: list[LintProblem] = []
    for pack in packs:
        for rule in pack.rules:
            problems += _lint_rule(rule)
    problems += _near_duplicates(packs)
    return problems


def _lint_rule(rule: Rule) -> list[LintProblem]:
    out: list[LintProblem] = []

    def add(field: str, message: str) -> None:
        out.append(LintProblem(rule.source, rule.id, field, message))

    if rule.signal is not None:
        return out
    if len(rule.examples_match) < MIN_EXAMPLES:
        add("examples.match", f"give at least {MIN_EXAMPLES} texts the rule must match")
    if len(rule.examples_no_match) < MIN_EXAMPLES:
        add("examples.no_match", f"give at least {MIN_EXAMPLES} near misses")
    if not rule.keywords:
        add("keywords", "none: the rule's patterns run on every document — add selective keywords")
    examples = [normalize(t).text.lower() for t in rule.examples_match]
    for i, keyword in enumerate(rule.keywords):
        if not any(keyword in text for text in examples):
            add(f"keywords[{i}]", f"{keyword!r} occurs in none of the rule's match examples")
        gate = gate_word(keyword)
        if gate in COMMON_WORDS or (len(gate) < MIN_GATE_LENGTH and gate.isalpha()):
            add(
                f"keywords[{i}]",
                f"{keyword!r} is gated on the common word {gate!r}; choose a rarer word",
            )
    for i, pattern in enumerate(rule.compiled()):
        problem = _catastrophic(pattern, rule)
        if problem:
            add(f"patterns[{i}]", problem)
            continue
        speed = _speed(pattern, rule)
        if speed < MIN_SPEED_MB_S:
            add(
                f"patterns[{i}]",
                f"scans ordinary text at {speed:.1f} MB/s (minimum {MIN_SPEED_MB_S:g}): a "
                "leading lookbehind or a broad first token is tried at every position — "
                "start with a literal and move context checks to not_after",
            )
    return out


def _adversarial_inputs(rule: Rule) -> list[str]:
    inputs = ["a" * 5000, "a " * 3000, " " * 5000, "-" * 5000, "word, " * 1000]
    for text in rule.examples_match[:2]:
        folded = normalize(text).text
        half = folded[: max(1, len(folded) // 2)]
        inputs.append((half + " ") * max(1, 4000 // len(half)))
        inputs.append(folded[:-1] * max(1, 3000 // max(1, len(folded))))
        # A notice that starts right and then runs on in one endless word or line.
        inputs.append(half + "a" * 3000)
        inputs.append(half + " a" * 1500)
        inputs.append(folded.replace(" ", "") * max(1, 3000 // max(1, len(folded))))
        # The notice's own words around a long run that almost fits: backtracking's worst case.
        spaces = [i for i, ch in enumerate(folded) if ch == " "][:8]
        inputs += [f"{folded[:i]}{'a' * 30}!{folded[i:]}" for i in spaces]
    return inputs


def _catastrophic(pattern: regex.Pattern[str], rule: Rule) -> str | None:
    for text in _adversarial_inputs(rule):
        try:
            pattern.search(text, timeout=ADVERSARIAL_TIMEOUT)
        except TimeoutError:
            sample = text[:30].replace("\n", " ")
            return (
                f"exceeds the {ADVERSARIAL_TIMEOUT:g} s timeout on an adversarial input "
                f"({sample!r}…, {len(text)} characters): catastrophic backtracking"
            )
    return None


def _speed(pattern: regex.Pattern[str], rule: Rule) -> float:
    """MB/s of one pattern over ordinary text made of the rule's own near misses."""
    base = " ".join(normalize(t).text for t in rule.examples_no_match) or "plain text"
    text = (base + " ") * max(1, 50_000 // (len(base) + 1))
    best = float("inf")
    for _ in range(SPEED_RUNS):  # the best of a few runs: a busy machine must not fail a rule
        started = time.process_time()  # CPU time: other processes must not fail a rule
        try:
            for _ in pattern.finditer(text, timeout=5.0):
                pass
        except TimeoutError:
            return 0.0
        best = min(best, time.process_time() - started)
        if len(text) / 1e6 / max(best, 1e-6) >= 2 * MIN_SPEED_MB_S:
            break
    return len(text) / 1e6 / max(best, 1e-6)


def _near_duplicates(packs: tuple[Pack, ...]) -> list[LintProblem]:
    """Two rules of one category whose patterns each match all of the other's examples."""
    rules = [r for p in packs for r in p.rules if r.patterns]
    singles = {r.id: RuleSet.of_rule(r) for r in rules}
    out = []
    by_category: dict[str, list[Rule]] = {}
    for r in rules:
        by_category.setdefault(r.category.value, []).append(r)
    for group in by_category.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _covers(singles[a.id], b) and _covers(singles[b.id], a):
                    out.append(
                        LintProblem(
                            b.source, b.id, "patterns", f"near-duplicate of {a.id} ({a.source})"
                        )
                    )
    return out


def _covers(matcher: RuleSet, rule: Rule) -> bool:
    return all(matcher.match_text(t).matches for t in rule.examples_match)
