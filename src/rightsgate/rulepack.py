"""Rule model, TOML rule-pack loading and validation, and bundled-pack discovery."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__, model
from .errors import RuleError, RuleProblem
from .model import Category, Severity
from .normalize import normalize

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc only from 3.11

    import regex


SCHEMA_VERSION = 1
E = TypeVar("E", Category, Severity)
_MODEL_FILE = model.__file__
_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_PACK_KEYS = {
    "id",
    "title",
    "description",
    "publisher",
    "domains",
    "languages",
    "references",
    "not_after",
    "url_category",
    "url_severity",
}
_RULE_KEYS = {
    "id",
    "title",
    "description",
    "category",
    "severity",
    "languages",
    "publisher",
    "keywords",
    "patterns",
    "case_sensitive",
    "fuzzy",
    "signal",
    "references",
    "examples",
    "quoted",
    "not_after",
}
_EXAMPLE_KEYS = {"match", "no_match"}
_SIGNAL_KEYS = {"kind", "name", "value"}
SIGNAL_KINDS = ("meta", "link", "jsonld", "header", "url", "tdmrep")
_MAX_FUZZY = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Signal:
    """A structured signal: a meta tag, link, JSON-LD key, HTTP header or URL."""

    kind: str
    """One of meta, link, jsonld, header, url."""
    name: str | None
    """Meta name, link rel, JSON-LD key or header name (lower-case)."""
    value: str | None
    """Pattern the value must match; None accepts any value. See ``compiled``."""

    def compiled(self) -> regex.Pattern[str] | None:
        return compile_pattern(self.value) if self.value is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One detector, as loaded and validated from a pack."""

    id: str
    """Stable kebab-case id: SARIF ruleId, baseline and allowlist key."""
    title: str
    """What the rule matches, in one line."""
    category: Category
    """Kind of rights statement."""
    severity: Severity | None
    """Severity set by the rule itself; None means by category."""
    pack: str
    """Id of the pack the rule came from."""
    source: str
    """File the rule was read from."""
    description: str = ""
    """Why it matters."""
    languages: tuple[str, ...] = ()
    """ISO 639-1 codes of the notice's language."""
    publisher: str | None = None
    """Publisher whose notice this is, if any."""
    keywords: tuple[str, ...] = ()
    """Lower-case literals; the patterns run only near one of them."""
    patterns: tuple[str, ...] = ()
    """Pattern sources, run on normalized text; see ``compiled``."""
    case_sensitive: bool = False
    """Patterns match case as written."""
    fuzzy: int = 0
    """Edits each pattern tolerates."""
    signal: Signal | None = None
    """A structured signal instead of patterns."""
    examples_match: tuple[str, ...] = ()
    """Texts that must produce a finding."""
    examples_no_match: tuple[str, ...] = ()
    """Texts that must not."""
    references: tuple[str, ...] = ()
    """Where the wording was read."""
    quoted: bool = False
    """Also report matches that stand inside a quotation (by default they are someone else's)."""
    not_after: str | None = None
    """Drop a match when this is found in the text just before it (a citation, a template)."""

    def context_pattern(self) -> regex.Pattern[str] | None:
        """``not_after`` compiled (on first use, then cached)."""
        return compile_pattern(self.not_after) if self.not_after is not None else None

    def compiled(self) -> tuple[regex.Pattern[str], ...]:
        """The compiled patterns (compiled on first use, then cached)."""
        return tuple(
            compile_pattern(p, case_sensitive=self.case_sensitive, fuzzy=self.fuzzy)
            for p in self.patterns
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Pack:
    """A rule pack file."""

    id: str
    title: str
    source: str
    bundled: bool
    publisher: str | None = None
    domains: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    description: str = ""
    not_after: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()


class _Collector:
    """Gathers problems for one file so a user sees all of them at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[RuleProblem] = []

    def add(self, rule_id: str | None, field: str | None, message: str) -> None:
        self.problems.append(RuleProblem(self.source, rule_id, field, message))


def _str(
    c: _Collector, data: Mapping[str, Any], key: str, rid: str | None, *, required: bool = False
) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            c.add(rid, key, "missing required field")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        c.add(rid, key, "must be a non-empty string")
        return None
    return value


def _str_list(c: _Collector, data: Mapping[str, Any], key: str, rid: str | None) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        c.add(rid, key, "must be a list of non-empty strings")
        return ()
    return tuple(value)


def _unknown(
    c: _Collector, data: Mapping[str, Any], allowed: set[str], rid: str | None, where: str
):
    for key in sorted(set(data) - allowed):
        c.add(rid, f"{where}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")


@functools.cache
def compile_pattern(
    pattern: str, *, case_sensitive: bool = False, fuzzy: int = 0
) -> regex.Pattern[str]:
    """Compile a rule pattern the way the engine runs it (raises regex.error)."""
    import regex  # here, not at the top: a scan that runs no rule never pays for it

    flags = regex.V0 | regex.UNICODE
    if not case_sensitive:
        flags |= regex.IGNORECASE
    if fuzzy:
        pattern = f"(?:{pattern}){{e<={fuzzy}}}"
    return regex.compile(pattern, flags)


def _choice(c: _Collector, rid: str | None, field: str, value: Any, kind: type[E]) -> E | None:
    """``value`` as a member of the enum ``kind``, or a problem listing the allowed values."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        what = field.rsplit(".", 1)[-1].removeprefix("url_")
        c.add(rid, field, f"unknown {what} {value!r} (allowed: {allowed})")
        return None


def pattern_problem(
    pattern: str, *, case_sensitive: bool = False, fuzzy: int = 0, may_be_empty: bool = False
) -> str | None:
    """Why a pattern cannot be used (it does not compile, or matches the empty string)."""
    import regex

    try:
        compiled = compile_pattern(pattern, case_sensitive=case_sensitive, fuzzy=fuzzy)
    except regex.error as e:
        pos = f" at position {e.pos}" if e.pos is not None else ""
        return f"invalid regular expression: {e.msg}{pos} — fix the pattern"
    if not may_be_empty and compiled.fullmatch("") is not None:
        return "matches the empty string, so it matches everywhere"
    return None


def _parse_signal(c: _Collector, raw: Any, rid: str, verify: bool) -> Signal | None:
    if not isinstance(raw, dict):
        c.add(rid, "signal", "must be a table such as { kind = 'meta', name = '…', value = '…' }")
        return None
    _unknown(c, raw, _SIGNAL_KEYS, rid, "signal.")
    kind = raw.get("kind")
    if kind not in SIGNAL_KINDS:
        c.add(rid, "signal.kind", f"must be one of {', '.join(SIGNAL_KINDS)}, not {kind!r}")
        return None
    name = raw.get("name")
    if name is not None and (not isinstance(name, str) or not name):
        c.add(rid, "signal.name", "must be a non-empty string")
        return None
    if name is None and kind != "url":
        c.add(rid, "signal.name", f"missing required field for kind {kind!r}")
        return None
    value = raw.get("value")
    if value is not None:
        if not isinstance(value, str):
            c.add(rid, "signal.value", "must be a regular expression string")
            return None
        problem = pattern_problem(value, may_be_empty=True) if verify else None
        if problem:
            c.add(rid, "signal.value", problem)
            return None
    return Signal(kind=kind, name=name.lower() if name else None, value=value)


def _parse_rule(c: _Collector, raw: Any, index: int, pack: Pack, verify: bool) -> Rule | None:
    where = f"rules[{index}]"
    if not isinstance(raw, dict):
        c.add(where, None, "each [[rules]] entry must be a table")
        return None
    rid = raw.get("id")
    if not isinstance(rid, str) or not re.fullmatch(_ID, rid):
        c.add(where, "id", "missing or not a kebab-case id (lower-case letters, digits, hyphens)")
        return None
    before = len(c.problems)
    _unknown(c, raw, _RULE_KEYS, rid, "")
    title = _str(c, raw, "title", rid, required=True) or ""
    description = _str(c, raw, "description", rid) or ""
    category = _choice(c, rid, "category", raw.get("category"), Category)
    severity = _choice(c, rid, "severity", raw["severity"], Severity) if "severity" in raw else None
    languages = _str_list(c, raw, "languages", rid) or pack.languages
    publisher = _str(c, raw, "publisher", rid) or pack.publisher
    references = _str_list(c, raw, "references", rid)
    keywords = _str_list(c, raw, "keywords", rid)
    for i, kw in enumerate(keywords):
        if kw != normalize(kw).text.lower():
            c.add(rid, f"keywords[{i}]", f"{kw!r} must be lower-case normalized text")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        c.add(rid, "case_sensitive", "must be true or false")
        case_sensitive = False
    fuzzy = raw.get("fuzzy", 0)
    if not isinstance(fuzzy, int) or isinstance(fuzzy, bool) or not 0 <= fuzzy <= _MAX_FUZZY:
        c.add(rid, "fuzzy", f"must be a whole number from 0 to {_MAX_FUZZY}")
        fuzzy = 0
    raw_patterns = raw.get("patterns")
    signal = None
    patterns: list[str] = []
    if "signal" in raw:
        if raw_patterns is not None:
            c.add(rid, "patterns", "a rule has either patterns or a signal, not both")
        signal = _parse_signal(c, raw["signal"], rid, verify)
    elif raw_patterns is None:
        c.add(rid, "patterns", "missing required field (or give a signal)")
    elif not isinstance(raw_patterns, list) or not raw_patterns:
        c.add(rid, "patterns", "must be a non-empty list of regular expressions")
    else:
        for i, pat in enumerate(raw_patterns):
            if not isinstance(pat, str) or not pat:
                c.add(rid, f"patterns[{i}]", "must be a non-empty string")
                continue
            if not verify:
                patterns.append(pat)
                continue
            problem = pattern_problem(pat, case_sensitive=case_sensitive, fuzzy=fuzzy)
            if problem:
                c.add(rid, f"patterns[{i}]", problem)
                continue
            patterns.append(pat)
    quoted = raw.get("quoted", False)
    if not isinstance(quoted, bool):
        c.add(rid, "quoted", "must be true or false")
        quoted = False
    not_after = None
    contexts = (*pack.not_after, *_str_list(c, raw, "not_after", rid))
    if contexts:
        not_after = "|".join(f"(?:{p})" for p in contexts)
        problem = pattern_problem(not_after, may_be_empty=True) if verify else None
        if problem:
            c.add(rid, "not_after", problem)
    examples = raw.get("examples", {})
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    if not isinstance(examples, dict):
        c.add(rid, "examples", "must be a table with match and no_match lists")
    else:
        _unknown(c, examples, _EXAMPLE_KEYS, rid, "examples.")
        match = _str_list(c, examples, "match", rid)
        no_match = _str_list(c, examples, "no_match", rid)
        if signal is None:
            if not match:
                c.add(rid, "examples.match", "missing: give at least one text the rule must match")
            if not no_match:
                c.add(rid, "examples.no_match", "missing: give at least one near miss")
    if len(c.problems) > before or category is None:
        return None
    return Rule(
        id=rid,
        title=title,
        description=description,
        category=category,
        severity=severity,
        pack=pack.id,
        source=pack.source,
        languages=languages,
        publisher=publisher,
        keywords=keywords,
        patterns=tuple(patterns),
        case_sensitive=case_sensitive,
        fuzzy=fuzzy,
        signal=signal,
        examples_match=match,
        examples_no_match=no_match,
        references=references,
        quoted=quoted,
        not_after=not_after,
    )


def parse_pack(
    data: Mapping[str, Any], source: str, *, bundled: bool = False, verify: bool = True
) -> Pack | list:
    """Validate a parsed TOML document; returns the Pack, or the list of problems.

    ``verify`` compiles every pattern now; without it patterns compile on first use (bundled
    packs, which CI has verified, so a one-file scan does not pay for all of them).
    """
    c = _Collector(source)
    _unknown(c, data, {"schema", "pack", "rules"}, None, "")
    if data.get("schema") != SCHEMA_VERSION:
        c.add(None, "schema", f"must be {SCHEMA_VERSION} (found {data.get('schema')!r})")
    meta = data.get("pack")
    if not isinstance(meta, dict):
        c.add(None, "pack", "missing [pack] table with at least an id")
        return c.problems
    _unknown(c, meta, _PACK_KEYS, None, "pack.")
    pid = meta.get("id")
    if not isinstance(pid, str) or not re.fullmatch(_ID, pid):
        c.add(None, "pack.id", "missing or not a kebab-case id")
        return c.problems
    pack = Pack(
        id=pid,
        title=_str(c, meta, "title", None) or pid,
        description=_str(c, meta, "description", None) or "",
        source=source,
        bundled=bundled,
        publisher=_str(c, meta, "publisher", None),
        domains=tuple(d.lower() for d in _str_list(c, meta, "domains", None)),
        languages=_str_list(c, meta, "languages", None),
        references=_str_list(c, meta, "references", None),
        not_after=_str_list(c, meta, "not_after", None),
    )
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        c.add(None, "rules", "a pack needs at least one [[rules]] entry")
        return c.problems
    rules = []
    seen: set[str] = set()
    domain_rule = _domain_rule(c, meta, pack)
    if domain_rule is not None:
        rules.append(domain_rule)
        seen.add(domain_rule.id)
    for i, raw in enumerate(raw_rules):
        rule = _parse_rule(c, raw, i, pack, verify)
        if rule is None:
            continue
        if rule.id in seen:
            c.add(rule.id, "id", "duplicate rule id in this pack")
            continue
        seen.add(rule.id)
        rules.append(rule)
    if c.problems:
        return c.problems
    return replace(pack, rules=tuple(rules))


def _domain_rule(c: _Collector, meta: Mapping[str, Any], pack: Pack) -> Rule | None:
    """The URL rule a publisher pack asks for with ``url_category``: pages on its domains."""
    raw_category = meta.get("url_category")
    if raw_category is None:
        if "url_severity" in meta:
            c.add(None, "pack.url_severity", "needs pack.url_category")
        return None
    category = _choice(c, None, "pack.url_category", raw_category, Category)
    severity = None
    if "url_severity" in meta:
        severity = _choice(c, None, "pack.url_severity", meta["url_severity"], Severity)
    if category is None or ("url_severity" in meta and severity is None):
        return None
    if not pack.domains:
        c.add(None, "pack.url_category", "needs pack.domains")
        return None
    hosts = "|".join(re.escape(d) for d in pack.domains)
    value = rf"^[a-z][a-z0-9+.-]*://(?:[^/@?#]*@)?(?:[^/?#:]*\.)?(?:{hosts})(?::\d+)?(?:[/?#]|$)"
    return Rule(
        id=f"{pack.id}-domain",
        title=f"Page on a domain of {pack.publisher or pack.id} (site-wide terms)",
        description="The publisher's site-wide terms reserve its content even where the "
        "extractor dropped the footer that says so.",
        category=category,
        severity=severity,
        pack=pack.id,
        source=pack.source,
        publisher=pack.publisher,
        languages=pack.languages,
        signal=Signal(kind="url", name=None, value=value),
        examples_match=tuple(f"https://www.{d}/news/article-1" for d in pack.domains[:2]),
        examples_no_match=("https://example.org/news/article-1",),
        references=pack.references,
    )


def load_pack_text(
    text: str, source: str, *, bundled: bool = False, verify: bool = True
) -> Pack | list:
    """Parse TOML text into a Pack, or the list of problems."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return [RuleProblem(source, None, None, f"invalid TOML: {e}")]
    return parse_pack(data, source, bundled=bundled, verify=verify)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _walk_toml(root: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(root.iterdir(), key=lambda t: t.name):
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            yield from _walk_toml(entry, name)
        elif entry.name.endswith(".toml"):
            yield name, entry


def bundled_pack_files() -> list[tuple[str, str]]:
    """(name such as rules/generic/en.toml, TOML text) of every bundled pack, in a stable order."""
    root = resources.files("rightsgate.rules")
    return [(name, entry.read_text(encoding="utf-8")) for name, entry in _walk_toml(root, "rules")]


def user_pack_files(directory: Path) -> list[tuple[str, str]]:
    """(display name, TOML text) of every pack under a user directory (or one file)."""
    if directory.is_file():
        files = [directory]
    elif directory.is_dir():
        files = sorted(p for p in directory.rglob("*.toml") if p.is_file())
    else:
        raise RuleError([RuleProblem(str(directory), None, None, "no such rules directory")])
    out = []
    for path in files:
        try:
            out.append((_display(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as e:
            raise RuleError([RuleProblem(_display(path), None, None, f"cannot read: {e}")]) from e
    return out


def cache_dir() -> Path:
    """Where parsed bundled packs are cached: $RIGHTSGATE_CACHE_DIR, else the user cache."""
    explicit = os.environ.get("RIGHTSGATE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rightsgate"


def _parse_bundled(files: list[tuple[str, str]], *, verify: bool) -> list[tuple[str, Pack | list]]:
    """Parse the bundled packs, through a cache keyed by a hash of their text and our version.

    Parsing TOML is most of a one-file scan's start-up; the cache holds plain data (patterns
    stay source strings), and any problem reading or writing it just means parsing again.
    """
    if verify:
        return [(n, load_pack_text(t, n, bundled=True, verify=True)) for n, t in files]
    digest = hashlib.sha256(f"{__version__}\0{SCHEMA_VERSION}".encode())
    # The loader's own code is part of the key: a changed Rule must never come from a stale pickle.
    for module in (__file__, _MODEL_FILE):
        digest.update(Path(module).read_bytes())
    for name, text in files:
        digest.update(f"\0{name}\0{text}".encode())
    path = cache_dir() / f"bundled-{digest.hexdigest()[:24]}.pickle"
    try:
        cached = pickle.loads(path.read_bytes())
        if isinstance(cached, list):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    parsed = [(n, load_pack_text(t, n, bundled=True, verify=False)) for n, t in files]
    try:
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bundled-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(parsed, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home is fine: we parse every time
    return parsed


def load_packs(
    user_dirs: Iterable[Path] = (),
    *,
    bundled: bool = True,
    disabled: Iterable[str] = (),
    verify_bundled: bool = False,
) -> tuple[Pack, ...]:
    """Load bundled and user packs; raises RuleError listing every problem found.

    User packs are always verified (every pattern compiled); bundled ones only when asked.
    """
    parsed: list[tuple[str, Pack | list]] = []
    if bundled:
        parsed += _parse_bundled(bundled_pack_files(), verify=verify_bundled)
    for d in user_dirs:
        parsed += [(n, load_pack_text(t, n)) for n, t in user_pack_files(Path(d))]
    problems: list[RuleProblem] = []
    packs: list[Pack] = []
    pack_ids: dict[str, str] = {}
    rule_ids: dict[str, str] = {}
    for name, result in parsed:
        if isinstance(result, list):
            problems += result
            continue
        if result.id in pack_ids:
            problems.append(
                RuleProblem(
                    name,
                    None,
                    "pack.id",
                    f"duplicate pack id {result.id!r}, also in {pack_ids[result.id]}",
                )
            )
            continue
        pack_ids[result.id] = name
        for rule in result.rules:
            if rule.id in rule_ids:
                problems.append(
                    RuleProblem(
                        name, rule.id, "id", f"duplicate rule id, also in {rule_ids[rule.id]}"
                    )
                )
            rule_ids[rule.id] = name
        packs.append(result)
    off = set(disabled)
    unknown = off - set(pack_ids) - set(rule_ids)
    for ident in sorted(unknown):
        problems.append(RuleProblem("--disable", ident, None, "no loaded pack or rule has this id"))
    if problems:
        raise RuleError(problems)
    out = []
    for pack in packs:
        if pack.id in off:
            continue
        rules = tuple(r for r in pack.rules if r.id not in off)
        out.append(replace(pack, rules=rules))
    return tuple(out)
