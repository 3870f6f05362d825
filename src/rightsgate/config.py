"""Find and check the configuration: --config, .rightsgate.toml or [tool.rightsgate]."""

from __future__ import annotations

import datetime as dt
import fnmatch
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import Category, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = ".rightsgate.toml"
PROFILES = ("default", "strict", "research")
_TOP_KEYS = {
    "rules": list,
    "disable": list,
    "no_bundled_rules": bool,
    "policy": str,
    "fail_on": str,
    "exclude": list,
    "timeout": (int, float),
    "max_document_mb": (int, float),
    "severity": dict,
    "fields": dict,
    "allow": list,
}
_FIELD_KEYS = ("text", "html", "url", "id")
_ALLOW_KEYS = {"rule", "pack", "category", "publisher", "paths", "urls", "reason", "expires"}
_SCOPES = ("rule", "pack", "category", "publisher")


@dataclass(frozen=True, slots=True, kw_only=True)
class AllowEntry:
    """Findings this entry suppresses, and why."""

    index: int
    """Position in the config's [[allow]] list (0-based), for messages."""
    reason: str
    rule: str | None = None
    pack: str | None = None
    category: str | None = None
    publisher: str | None = None
    paths: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    expires: dt.date | None = None

    def covers(
        self,
        *,
        rule_id: str,
        pack: str,
        category: str,
        publishers: frozenset[str],
        path: str,
        url: str | None,
    ) -> bool:
        """Whether a finding of this rule in this document is allowed.

        A publisher scope covers every finding of a document that is that publisher's: one
        in which a rule of the publisher's pack (its notice, its domain) found something.
        """
        if self.rule is not None and self.rule != rule_id:
            return False
        if self.pack is not None and self.pack != pack:
            return False
        if self.category is not None and self.category != category:
            return False
        if self.publisher is not None and self.publisher.casefold() not in publishers:
            return False
        if self.paths and not any(_glob(path, g) for g in self.paths):
            return False
        return not self.urls or (
            url is not None and any(fnmatch.fnmatchcase(url, g) for g in self.urls)
        )


def _glob(path: str, pattern: str) -> bool:
    """Path glob where ``**`` crosses folders; a pattern also matches anything under it."""
    path = path.replace("\\", "/").removeprefix("./")
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(
        path, pattern.rstrip("/") + "/*"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """Settings from a config file; every field has the CLI's default."""

    source: str | None = None
    """The file the settings came from, if any."""
    rules: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    no_bundled_rules: bool = False
    policy: str | None = None
    fail_on: str | None = None
    exclude: tuple[str, ...] = ()
    timeout: float | None = None
    max_document_mb: float | None = None
    category_severity: Mapping[Category, Severity] = field(default_factory=dict)
    rule_severity: Mapping[str, Severity] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)
    allow: tuple[AllowEntry, ...] = ()


def find_config(start: Path) -> Path | None:
    """The nearest .rightsgate.toml, or pyproject.toml with [tool.rightsgate], from ``start`` up."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "rightsgate" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from e


def load_config(explicit: str | None, cwd: Path, *, today: dt.date | None = None) -> Config:
    """The configuration in force: ``explicit``, else the nearest one found, else defaults."""
    path = Path(explicit) if explicit else find_config(cwd)
    if path is None:
        return Config()
    if explicit and not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("rightsgate", {})
        where = f"{path}: [tool.rightsgate]"
    else:
        where = str(path)
    return parse_config(data, where, path.parent, today=today or dt.date.today())


def _fail(where: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"{where}: {key}: {message}")


def parse_config(data: Mapping[str, Any], where: str, base: Path, *, today: dt.date) -> Config:
    """Validate a config table; every error names the key."""
    for key, value in data.items():
        if key not in _TOP_KEYS:
            allowed = ", ".join(sorted(_TOP_KEYS))
            raise _fail(where, key, f"unknown key (allowed: {allowed})")
        expected = _TOP_KEYS[key]
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise _fail(where, key, f"must be {_type_name(expected)}, not {type(value).__name__}")
    for key in ("rules", "disable", "exclude"):
        if not all(isinstance(v, str) and v for v in data.get(key, [])):
            raise _fail(where, key, "must be a list of non-empty strings")
    policy = data.get("policy")
    if policy is not None and policy not in PROFILES:
        raise _fail(where, "policy", f"must be one of {', '.join(PROFILES)}, not {policy!r}")
    fail_on = data.get("fail_on")
    if fail_on is not None and fail_on not in ("block", "review"):
        raise _fail(where, "fail_on", f"must be 'block' or 'review', not {fail_on!r}")
    categories: dict[Category, Severity] = {}
    rules: dict[str, Severity] = {}
    for name, value in data.get("severity", {}).items():
        try:
            severity = Severity(value)
        except ValueError:
            raise _fail(
                where, f"severity.{name}", f"must be block, review or info, not {value!r}"
            ) from None
        try:
            categories[Category(name)] = severity
        except ValueError:
            rules[name] = severity  # a rule id; checked against the loaded rules later
    fields = data.get("fields", {})
    for name, value in fields.items():
        if name not in _FIELD_KEYS:
            raise _fail(where, f"fields.{name}", f"unknown key (allowed: {', '.join(_FIELD_KEYS)})")
        if not isinstance(value, str) or not value:
            raise _fail(where, f"fields.{name}", "must be a dotted field path")
    allow = tuple(_parse_allow(where, i, raw, today) for i, raw in enumerate(data.get("allow", [])))
    return Config(
        source=where,
        rules=tuple(str(base / r) for r in data.get("rules", [])),
        disable=tuple(data.get("disable", [])),
        no_bundled_rules=data.get("no_bundled_rules", False),
        policy=policy,
        fail_on=fail_on,
        exclude=tuple(data.get("exclude", [])),
        timeout=float(data["timeout"]) if "timeout" in data else None,
        max_document_mb=float(data["max_document_mb"]) if "max_document_mb" in data else None,
        category_severity=categories,
        rule_severity=rules,
        fields=dict(fields),
        allow=allow,
    )


def _type_name(expected: Any) -> str:
    names = {list: "a list", bool: "true or false", str: "a string", dict: "a table"}
    if isinstance(expected, tuple):
        return "a number"
    return names[expected]


def _parse_allow(where: str, index: int, raw: Any, today: dt.date) -> AllowEntry:
    key = f"allow[{index}]"
    if not isinstance(raw, dict):
        raise _fail(where, key, "must be a table ([[allow]])")
    for name in raw:
        if name not in _ALLOW_KEYS:
            raise _fail(
                where, f"{key}.{name}", f"unknown key (allowed: {', '.join(sorted(_ALLOW_KEYS))})"
            )
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise _fail(where, f"{key}.reason", "required: say why these findings are allowed")
    scopes = {s: raw[s] for s in _SCOPES if s in raw}
    if not scopes:
        raise _fail(where, key, f"needs a scope: one of {', '.join(_SCOPES)}")
    for name, value in scopes.items():
        if not isinstance(value, str) or not value:
            raise _fail(where, f"{key}.{name}", "must be a non-empty string")
    if "category" in scopes and scopes["category"] not in {c.value for c in Category}:
        raise _fail(where, f"{key}.category", f"unknown category {scopes['category']!r}")
    for name in ("paths", "urls"):
        value = raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise _fail(where, f"{key}.{name}", "must be a list of glob patterns")
    expires = raw.get("expires")
    if expires is not None:
        if isinstance(expires, dt.datetime) or not isinstance(expires, dt.date):
            raise _fail(where, f"{key}.expires", "must be a date such as 2026-12-31")
        if expires < today:
            label = (
                scopes.get("rule")
                or scopes.get("pack")
                or scopes.get("publisher")
                or scopes.get("category")
            )
            raise _fail(
                where,
                f"{key}.expires",
                f"the allowlist entry for {label!r} ({reason.strip()!r}) expired on {expires} "
                "— renew the agreement and the date, or remove the entry",
            )
    return AllowEntry(
        index=index,
        reason=reason.strip(),
        paths=tuple(raw.get("paths", [])),
        urls=tuple(raw.get("urls", [])),
        expires=expires,
        **scopes,
    )
