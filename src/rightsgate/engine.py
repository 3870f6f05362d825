"""Find rule matches in text: keyword prefilter (Aho-Corasick), then patterns near the hits.

Three steps keep clean text cheap:

1. Does any whole keyword occur? The lower-cased text, as UTF-8 bytes with spacing, quotes and
   dashes folded by byte operations, goes through one Aho-Corasick search. Most documents stop.
2. Where? One rare word of each keyword (its *gate*, never split by spacing) is searched in the
   lower-cased original, and a *region* around each hit is normalized with its offset map.
3. In each region the real keywords are found again, and a rule's patterns run in windows
   around its own keyword hits.

Text that could hide a word from steps 1-2 (invisible characters, entities, hyphenation,
non-NFKC forms) is normalized whole instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick_rs

from .normalize import needs_folding, non_ascii_bytes, normalize
from .rulepack import Pack, Rule

if TYPE_CHECKING:
    import regex

    from .signals import Observation

WINDOW = 2000
"""Patterns run this many characters either side of a keyword hit."""
CONTEXT = 200
"""Characters before a match searched for a rule's ``not_after`` patterns."""
QUOTE_LOOKBACK = 400
"""Characters before a match searched for an open quotation."""
REGION = WINDOW + 1000
CHUNK = 1 << 20
"""Texts longer than this are scanned in chunks of this many characters..."""
CHUNK_OVERLAP = 2 * REGION
"""...each reaching this far into the next, so a notice across a boundary is seen whole."""
"""Original text normalized either side of a gate hit (normalization only ever shortens ASCII)."""
# What normalization does to spacing, quotes and dashes, done on UTF-8 bytes for the prefilter.
_UTF8_FOLDS = tuple(
    (typographic.encode("utf-8"), plain.encode("ascii"))
    for plain, chars in (
        (" ", "\u00a0\u2009\u202f\u2007\u3000"),
        ("'", "\u2018\u2019\u02bc"),
        ('"', "\u201c\u201d\u201e"),
        ("-", "\u2010\u2011\u2013\u2014\u2212"),
    )
    for typographic in chars
)

_PLAIN = dict(_UTF8_FOLDS)
_TYPOGRAPHIC_PREFIXES = tuple(sorted({t[:2] for t, _ in _UTF8_FOLDS}))


@functools.cache
def _typographic_re() -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(t) for t, _ in _UTF8_FOLDS))


def _plain_bytes(m: re.Match[bytes]) -> bytes:
    return _PLAIN[m.group()]


_GATE_SEPARATORS = str.maketrans("'\"-", "   ")
# Words so common in news text that gating on them would run the patterns on most documents.
COMMON_WORDS = frozenset(
    """
    about after also before company could first from have here into like more most news
    only other over read said says some such than that their them then there these they
    this those time used very were what when where which while will with would year your
    auch dass eine einer für mehr nach oder sich sind über und wird
    avec dans des est les mais pour plus que qui sont sur une
    como del las los más para por que una
    anche come con del della per più che una
    dat een het meer met niet voor zijn
    com das dos mais não para por uma
    jak jest nie oraz przez się także więcej
    jako není nebo pro při také více
    att och för med mer som till
    """.split()
)

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
class SignalMatch:
    """A signal rule satisfied by an observed signal."""

    rule: Rule
    observation: Observation
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
        self.signal_rules = tuple(r for r in self.rules if r.signal is not None)
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
        self._gates = sorted({gate_word(k) for k in self._keywords})
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._gate: ahocorasick_rs.AhoCorasick | None = None
        self._gate_bytes: ahocorasick_rs.BytesAhoCorasick | None = None
        self._keyword_bytes: ahocorasick_rs.BytesAhoCorasick | None = None

    @classmethod
    def of_rule(cls, rule: Rule) -> RuleSet:
        """A rule set holding one rule, to test or compare it on its own."""
        pack = Pack(id=rule.pack, title=rule.pack, source=rule.source, bundled=False, rules=(rule,))
        return cls([pack])

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for lazy in ("_automaton", "_gate", "_gate_bytes", "_keyword_bytes"):
            state[lazy] = None  # automata are rebuilt lazily in the worker
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

    def match_signals(self, observations: Iterable[Observation]) -> list[SignalMatch]:
        """Every signal rule that an observed signal satisfies."""
        out = []
        for o in observations:
            for rule in self.signal_rules:
                signal = rule.signal
                if signal.kind != o.kind or (signal.name is not None and signal.name != o.name):
                    continue
                details: tuple[tuple[str, str], ...] = ()
                pattern = signal.compiled()
                if pattern is not None:
                    m = pattern.search(o.value)
                    if m is None:
                        continue
                    details = _details(m)
                out.append(SignalMatch(rule, o, details))
        return out

    def _regions(self, text: str) -> list[tuple[int, int]]:
        """Spans of the original text worth normalizing: around gate hits, or all of it."""
        whole = [(0, len(text))] if text else []
        if self._unfiltered:
            return whole
        if not self._gates:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):
            return whole
        data = lowered.encode("utf-8")
        if needs_folding(text, data):
            return whole
        ascii_only = lowered.isascii()
        if not self._any_keyword(data, ascii_only):
            return []
        if ascii_only:  # byte offsets are character offsets
            if self._gate_bytes is None:
                self._gate_bytes = _fast_bytes_automaton([g.encode() for g in self._gates])
            hits = self._gate_bytes.find_matches_as_indexes(data)
        else:
            if self._gate is None:
                self._gate = ahocorasick_rs.AhoCorasick(
                    self._gates, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_FIRST
                )
            hits = self._gate.find_matches_as_indexes(lowered)
        if not hits:
            return []
        spans = [(start, end) for _, start, end in hits]
        return _merge(spans, REGION, len(text))

    def _any_keyword(self, data: bytes, ascii_only: bool) -> bool:
        """Whether any whole keyword occurs in lower-cased UTF-8 ``data``, spacing, quotes and
        dashes folded with byte-level operations only."""
        rest = b"" if ascii_only else non_ascii_bytes(data)
        if rest and any(prefix in rest for prefix in _TYPOGRAPHIC_PREFIXES):
            data = _typographic_re().sub(_plain_bytes, data)
        data = b" ".join(data.split())  # every run of ASCII white space becomes one space
        if self._keyword_bytes is None:
            self._keyword_bytes = _fast_bytes_automaton([k.encode("utf-8") for k in self._keywords])
        return bool(self._keyword_bytes.find_matches_as_indexes(data))

    def match_text(self, text: str, *, timeout: float = DEFAULT_TIMEOUT) -> TextScan:
        """Every match of every text rule in ``text``, in document order."""
        matches: list[TextMatch] = []
        warnings: list[str] = []
        for start, end in self._chunked_regions(text):
            self._match_region(text, start, end, timeout, matches, warnings)
        matches.sort(key=lambda m: (m.rule.id, m.start, -m.end))
        kept: list[TextMatch] = []
        per_rule = 0
        for m in matches:  # overlapping chunks can find one notice twice: keep the first, longest
            last = kept[-1] if kept else None
            if last is not None and last.rule is m.rule:
                if m.start < last.end or per_rule >= MAX_MATCHES_PER_RULE:
                    continue
                per_rule += 1
            else:
                per_rule = 1
            kept.append(m)
        kept.sort(key=lambda m: (m.start, m.end, m.rule.id))
        return TextScan(tuple(kept), tuple(dict.fromkeys(warnings)))

    def _chunked_regions(self, text: str) -> list[tuple[int, int]]:
        """Regions of a text; a large one is taken in overlapping chunks, so that one odd
        character does not send megabytes through normalization and memory stays bounded."""
        if len(text) <= CHUNK + CHUNK_OVERLAP:
            return self._regions(text)
        regions = []
        for start in range(0, len(text), CHUNK):
            chunk = text[start : start + CHUNK + CHUNK_OVERLAP]
            regions += [(start + a, start + b) for a, b in self._regions(chunk)]
        return regions

    def _match_region(
        self,
        text: str,
        region_start: int,
        region_end: int,
        timeout: float,
        matches: list[TextMatch],
        warnings: list[str],
    ) -> None:
        norm = normalize(text[region_start:region_end])
        folded = norm.text
        lowered = folded.lower()
        candidates = self._candidates(lowered, len(lowered) == len(folded))
        size = len(folded)
        for ri in sorted(candidates):
            rule = self.text_rules[ri]
            spans: list[tuple[int, int]] = []
            for pos, endpos in _merge(candidates[ri], WINDOW, size):
                for pattern in rule.compiled():
                    try:
                        for m in pattern.finditer(folded, pos, endpos, timeout=timeout):
                            s, e = m.span()
                            if e > s and not any(s < b and a < e for a, b in spans):
                                if _someone_elses(rule, folded, s, e):
                                    continue
                                spans.append((s, e))
                                start, end = norm.original_span(s, e)
                                matches.append(
                                    TextMatch(
                                        rule, region_start + start, region_start + end, _details(m)
                                    )
                                )
                            if len(spans) >= MAX_MATCHES_PER_RULE:
                                break
                    except TimeoutError:
                        warnings.append(
                            f"rule {rule.id}: pattern search timed out after {timeout:g} s;"
                            " this document was not fully checked by it"
                        )


def _details(m: regex.Match[str]) -> tuple[tuple[str, str], ...]:
    """The named groups a pattern matched, sorted: recorded on the finding (e.g. a version)."""
    return tuple((k, v) for k, v in sorted(m.groupdict().items()) if v)


def _someone_elses(rule: Rule, folded: str, start: int, end: int) -> bool:
    """Whether a match is quoted or cited rather than the page's own notice."""
    context = rule.context_pattern()
    if context is not None and context.search(folded, max(0, start - CONTEXT), start):
        return True
    return not rule.quoted and inside_quotation(folded, start, end)


def inside_quotation(folded: str, start: int, end: int | None = None) -> bool:
    """Whether the match at ``start`` stands inside a quotation that it does not outlast.

    A quotation that closes before the match ends quotes a word of the notice itself
    (Das „Scrapen“ dieser Website ist untersagt), not the notice.

    Normalization turns the double quotes “ ” „ into ``"``; such a quote opens a quotation when
    it follows a space or an opening bracket and precedes a non-space (a closing quote or an
    inch mark does not). « opens and » closes whatever the spacing.
    """
    lo = max(0, start - QUOTE_LOOKBACK)
    q = max(folded.rfind(mark, lo, start) for mark in '"«»')
    if q < 0 or folded[q] == "»":
        return False
    if folded[q] == '"':
        before = folded[q - 1] if q > 0 else " "
        after = folded[q + 1] if q + 1 < len(folded) else " "
        if not (before.isspace() or before in "([{:-") or after.isspace():
            return False
    closing = folded.find("»" if folded[q] == "«" else '"', start)
    return end is None or closing < 0 or closing >= end


def _fast_bytes_automaton(needles: list[bytes]) -> ahocorasick_rs.BytesAhoCorasick:
    """Where a hit is, not which overlapping ones: leftmost-first on a DFA is the fastest scan."""
    return ahocorasick_rs.BytesAhoCorasick(
        needles,
        matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_FIRST,
        implementation=ahocorasick_rs.Implementation.DFA,
    )


def gate_word(keyword: str) -> str:
    """The piece of a keyword that spacing, quotes or dashes never split; the longest rare one."""
    pieces = keyword.translate(_GATE_SEPARATORS).split() or [keyword]
    return max(pieces, key=lambda p: (p not in COMMON_WORDS and len(p) >= 4, len(p)))


def _merge(spans: list[tuple[int, int]], margin: int, size: int) -> list[tuple[int, int]]:
    """Spans widened by ``margin`` on both sides, clipped to ``size``, overlaps merged."""
    spans.sort()
    out: list[list[int]] = []
    for start, end in spans:
        lo, hi = max(0, start - margin), min(size, end + margin)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]
