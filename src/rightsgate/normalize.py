"""Fold Unicode, whitespace and hyphenation so notices match, keeping a map back to the original."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

# Same-length replacements, applied first so the original's offsets still hold.
_SAME_LENGTH = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4\u0060", "'"),
        # « and » stay: they say which side of a quotation they stand on.
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58", "-"),
        **dict.fromkeys(
            "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
            "\u200a\u202f\u205f\u3000\x0b\x0c\x85\u2028\u2029",
            " ",
        ),
    }
)
# Applied last: single line breaks and tabs become spaces (runs were already folded).
_SPACES = str.maketrans(dict.fromkeys("\n\r\t", " "))

# Soft hyphen, zero-width characters and bidi controls: invisible, often used to hide text.
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Every edit starts with one of a few characters; testing that class first keeps the scan fast.
_EDITS = (
    rf"[-&\s{_INVISIBLE}]"
    r"(?:(?<=[^\W\d_]-)[ \t]*\r?\n[ \t]*(?=[^\W\d_])"  # hyphenation across a line break
    rf"|(?<=[{_INVISIBLE}])[{_INVISIBLE}]*"  # soft hyphens, zero-width characters
    r"|(?<=\s)\s+"  # whitespace runs
    r"|(?<=&)(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"  # entities
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_INVISIBLE_UTF8 = tuple(sorted({c.encode("utf-8")[:2] for c in _INVISIBLE}))
_ASCII_BYTES = bytes(range(128))
_ENTITY_RE = re.compile(r"&(?:#[0-9]|#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]{1,31};)")
_HYPHEN_BREAK_RE = re.compile(r"-[ \t]*\r?\n")
_GRAPHEME = r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*"


@functools.cache
def _edit_re(nfkc: bool) -> re.Pattern[str]:
    """The edit finder, compiled on first use (a clean document never needs it)."""
    return re.compile(_EDITS + r"|[\x00-\x7f]?[^\x00-\x7f]+" if nfkc else _EDITS)


@functools.cache
def _grapheme_re() -> re.Pattern[str]:
    return re.compile(_GRAPHEME, re.S)


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Segments of normalized text, each copied verbatim or replacing a span of the original."""

    norm_starts: tuple[int, ...]
    """Start of each segment in the normalized text, plus its total length."""
    orig_starts: tuple[int, ...]
    """Start of each segment in the original text, plus its total length."""
    verbatim: tuple[bool, ...]
    """Whether each segment is a verbatim copy (offsets inside it shift by a constant)."""

    def to_original_start(self, pos: int) -> int:
        """Map a normalized start offset to the original text."""
        if pos >= self.norm_starts[-1]:
            return self.orig_starts[-1]
        k = bisect_right(self.norm_starts, pos) - 1
        if self.verbatim[k]:
            return self.orig_starts[k] + pos - self.norm_starts[k]
        return self.orig_starts[k]

    def to_original_end(self, pos: int) -> int:
        """Map a normalized (exclusive) end offset to the original text."""
        if pos <= 0:
            return 0
        k = bisect_right(self.norm_starts, pos - 1) - 1
        if self.verbatim[k]:
            return self.orig_starts[k] + pos - self.norm_starts[k]
        return self.orig_starts[k + 1]


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text and the map that leads its offsets back to the original."""

    text: str
    offsets: OffsetMap

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span a normalized span came from (empty spans stay empty)."""
        first = self.offsets.to_original_start(start)
        if end <= start:
            return first, first
        return first, max(first, self.offsets.to_original_end(end))


def _fold_grapheme(grapheme: str) -> str:
    if grapheme[0] in _INVISIBLE:
        return ""
    return unicodedata.normalize("NFKC", grapheme).translate(_SAME_LENGTH)


def _replacement(fragment: str) -> str:
    first = fragment[0]
    if first == "&":
        return html.unescape(fragment).translate(_SAME_LENGTH)
    if first in _INVISIBLE:
        return ""
    if first == "-":
        return ""
    if fragment.isspace():
        return " "
    return unicodedata.normalize("NFKC", fragment).translate(_SAME_LENGTH)


def non_ascii_bytes(utf8: bytes) -> bytes:
    """Only the multi-byte characters of UTF-8 text, for fast presence checks (the lead and
    first continuation byte of a character stay together, so a 2-byte prefix is never faked)."""
    return utf8.translate(None, _ASCII_BYTES)


def needs_folding(text: str, utf8: bytes | None = None) -> bool:
    """Whether ``text`` holds anything that could hide a word from a plain lower-case search.

    Invisible characters, entities, a word hyphenated across a line break, or text that is not
    in NFKC form. Quotes, dashes and spacing do not count: they never sit inside a word.
    ``utf8`` is the text (or its lower-cased form) encoded, when the caller has it already.
    """
    if not text.isascii():
        rest = non_ascii_bytes(text.encode("utf-8") if utf8 is None else utf8)
        # A few bytes to look through; the character-class search only if one may be there.
        if any(prefix in rest for prefix in _INVISIBLE_UTF8) and _INVISIBLE_RE.search(text):
            return True
        if not unicodedata.is_normalized("NFKC", text):
            return True
    if "&" in text and _ENTITY_RE.search(text):
        return True
    return "-" in text and _HYPHEN_BREAK_RE.search(text) is not None


def normalize(original: str) -> NormalizedText:
    """Normalize text for matching: NFKC, invisible characters, quotes, dashes, spaces, hyphens."""
    text = original.translate(_SAME_LENGTH)
    edit_re = _edit_re(not unicodedata.is_normalized("NFKC", text))
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    verbatim: list[bool] = []
    norm_len = 0
    last = 0

    def copy(upto: int) -> None:
        nonlocal norm_len, last
        if upto > last:
            norm_starts.append(norm_len)
            orig_starts.append(last)
            verbatim.append(True)
            pieces.append(text[last:upto])
            norm_len += upto - last
            last = upto

    def replace(start: int, end: int, new: str) -> None:
        nonlocal norm_len, last
        copy(start)
        norm_starts.append(norm_len)
        orig_starts.append(start)
        verbatim.append(False)
        pieces.append(new)
        norm_len += len(new)
        last = end

    for m in edit_re.finditer(text):
        fragment = m.group()
        if fragment[-1] > "\x7f" and fragment[0] not in _INVISIBLE and not fragment.isspace():
            # A run of non-ASCII text: fold grapheme by grapheme so offsets stay precise.
            base = m.start()
            for g in _grapheme_re().finditer(fragment):
                folded = _fold_grapheme(g.group())
                if folded != g.group():
                    replace(base + g.start(), base + g.end(), folded)
            continue
        new = _replacement(fragment)
        if new != fragment:
            replace(m.start(), m.end(), new)
    copy(len(text))
    norm_starts.append(norm_len)
    orig_starts.append(len(text))
    if not verbatim:  # empty input
        verbatim.append(True)
    return NormalizedText(
        "".join(pieces).translate(_SPACES),
        OffsetMap(tuple(norm_starts), tuple(orig_starts), tuple(verbatim)),
    )
