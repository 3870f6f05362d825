"""Find rule matches in text: keyword prefilter (Aho-Corasick), then patterns near the hits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from .errors import RuleProblem
from .normalize import normalize
from .rulepack import Pack, Rule

WINDOW = 2000
"""Patterns run this many characters either side of a keyword hit."""
MAX_MATCHES_PER_RULE = 20
"""A rule reports at most this many spans per document."""
DEFAULT_TIMEOUT = 1.0
"""Seconds a single pattern search may take."""


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A rule's pattern matched; offsets are in the original text."""

    rule: Rule
    start: int
    end: int
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TextScan:
    """What matching one text produced."""

    matches: tuple[TextMatch, ...]
    warnings: tuple[str, ...]


class RuleSet:
    """Compiled, picklable matcher over the text rules of the loaded packs."""

    def __init__(self, packs: Iterable[Pack]) -> None:
        self.packs: tuple[Pack, ...] = tuple(packs)
        self.rules: tuple[Rule, ...] = tuple(r for p in self.packs for r in p.rules)
        self.by_id = {r.id: r for r in self.rules}
        self.text_rules = tuple(r for r in self.rules if r.patterns)
        index: dict[str, list[int]] = {}
        unfiltered = []
        for i, rule in enumerate(self.text_rules):
            if not rule.keywords:
                unfiltered.append(i)
            for kw in rule.keywords:
                index.setdefault(kw, []).append(i)
        self._keywords = sorted(index)
        self._keyword_rules = tuple(tuple(index[k]) for k in self._keywords)
        self._unfiltered = tuple(unfiltered)
        self._automaton: ahocorasick_rs.AhoCorasick | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_automaton"] = None  # rebuilt lazily in the worker
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def _candidates(self, lowered: str, same_length: bool) -> dict[int, list[tuple[int, int]]]:
        hits: dict[int, list[tuple[int, int]]] = {}
        if self._keywords:
            if self._automaton is None:
                self._automaton = ahocorasick_rs.AhoCorasick(self._keywords)
            whole = (0, len(lowered))
            for kw, start, end in self._automaton.find_matches_as_indexes(
                lowered, overlapping=True
            ):
                span = (start, end) if same_length else whole
                for ri in self._keyword_rules[kw]:
                    hits.setdefault(ri, []).append(span)
        for ri in self._unfiltered:
            hits[ri] = [(0, len(lowered))]
        return hits

    def match_text(self, text: str, *, timeout: float = DEFAULT_TIMEOUT) -> TextScan:
        """Every match of every text rule in ``text``, in document order."""
        norm = normalize(text)
        folded = norm.text
        lowered = folded.lower()
        candidates = self._candidates(lowered, len(lowered) == len(folded))
        matches: list[TextMatch] = []
        warnings: list[str] = []
        size = len(folded)
        for ri in sorted(candidates):
            rule = self.text_rules[ri]
            spans: list[tuple[int, int]] = []
            for pos, endpos in _merge_windows(candidates[ri], size):
                for pattern in rule.patterns:
                    try:
                        for m in pattern.finditer(folded, pos, endpos, timeout=timeout):
                            s, e = m.span()
                            if e > s and not any(s < b and a < e for a, b in spans):
                                spans.append((s, e))
                                details = tuple(
                                    (k, v) for k, v in sorted(m.groupdict().items()) if v
                                )
                                start, end = norm.original_span(s, e)
                                matches.append(TextMatch(rule, start, end, details))
                            if len(spans) >= MAX_MATCHES_PER_RULE:
                                break
                    except TimeoutError:
                        warnings.append(
                            f"rule {rule.id}: pattern search timed out after {timeout:g} s;"
                            " this document was not fully checked by it"
                        )
        matches.sort(key=lambda m: (m.start, m.end, m.rule.id))
        return TextScan(tuple(matches), tuple(warnings))


def _merge_windows(spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    spans.sort()
    out: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - WINDOW), min(size, end + WINDOW)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def example_problems(
    packs: Iterable[Pack], *, timeout: float = DEFAULT_TIMEOUT
) -> list[RuleProblem]:
    """Run every rule's own examples through the real matcher; one problem per failing example."""
    problems = []
    for pack in packs:
        for rule in pack.rules:
            if not rule.patterns:
                continue
            single = RuleSet(
                [
                    Pack(
                        id=pack.id,
                        title=pack.title,
                        source=pack.source,
                        bundled=pack.bundled,
                        rules=(rule,),
                    )
                ]
            )
            for i, text in enumerate(rule.examples_match):
                if not single.match_text(text, timeout=timeout).matches:
                    problems.append(
                        RuleProblem(
                            rule.source,
                            rule.id,
                            f"examples.match[{i}]",
                            f"does not match: {_short(text)}",
                        )
                    )
            for i, text in enumerate(rule.examples_no_match):
                if single.match_text(text, timeout=timeout).matches:
                    problems.append(
                        RuleProblem(
                            rule.source,
                            rule.id,
                            f"examples.no_match[{i}]",
                            f"matches but must not: {_short(text)}",
                        )
                    )
    return problems


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
