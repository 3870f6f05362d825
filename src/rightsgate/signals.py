"""Machine-readable rights signals of a document: meta tags, links, JSON-LD, HTTP headers, URL.

Also resolves the TDM Reservation Protocol across its layers: the site's tdmrep.json, then the
HTTP header, then the document's own meta tag; each present, valid value overrides the one
before, and an absent or invalid value never resets an earlier one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import Document, Source

if TYPE_CHECKING:
    from .extract import ExtractedPage

TDM_PROPERTIES = ("tdm-reservation", "tdm-policy")
# Free-text rights statements, scanned with the text rules like body text.
RIGHTS_METAS = frozenset({"copyright", "dc.rights", "dcterms.rights", "rights", "dc.rights.usage"})
RIGHTS_JSONLD = frozenset({"copyrightnotice", "copyrightholder", "usageinfo", "credittext"})


@dataclass(frozen=True, slots=True)
class Observation:
    """One signal as found: what kind, its name, its value and where it stood."""

    kind: str
    """meta, link, jsonld, header, url or tdmrep."""
    name: str | None
    """Lower-cased meta name, link rel, JSON-LD key or header name; None for the URL."""
    value: str
    source: Source
    line: int
    """Line in the input (0 when the signal is not in the document's text, e.g. a header)."""
    snippet: str


@dataclass(frozen=True, slots=True)
class RightsText:
    """Free text from a signal (a copyright meta, a JSON-LD copyrightNotice) to scan as text."""

    text: str
    source: Source
    line: int


@dataclass(frozen=True, slots=True)
class Signals:
    observations: tuple[Observation, ...]
    texts: tuple[RightsText, ...]
    notes: tuple[str, ...]


def collect(doc: Document, page: ExtractedPage | None) -> Signals:
    """Every signal a document carries, with TDMRep resolved."""
    obs: list[Observation] = []
    texts: list[RightsText] = []
    notes: list[str] = []
    for name, value in doc.headers:
        key = name.strip().lower()
        obs.append(Observation("header", key, value.strip(), Source.HEADER, 0, f"{name}: {value}"))
    if doc.url:
        obs.append(Observation("url", None, doc.url, Source.URL, 0, doc.url))
    if page is not None:
        for name, content, line in page.metas:
            snippet = f'<meta name="{name}" content="{content}">'
            obs.append(Observation("meta", name, content.strip(), Source.META, line, snippet))
            if name in RIGHTS_METAS and content.strip():
                texts.append(RightsText(content, Source.META, line))
        for rel, href, line in page.links:
            obs.append(
                Observation("link", rel, href, Source.LINK, line, f'rel="{rel}" href="{href}"')
            )
        for raw, line in page.jsonld:
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, RecursionError) as e:
                notes.append(f"line {line}: invalid JSON-LD ignored: {getattr(e, 'msg', e)}")
                continue
            for key, value in _walk_jsonld(data):
                snippet = f'"{key}": {json.dumps(value, ensure_ascii=False)[:160]}'
                text = _scalar(value)
                obs.append(Observation("jsonld", key.lower(), text, Source.JSONLD, line, snippet))
                if key.lower() in RIGHTS_JSONLD and text and not text.startswith("http"):
                    texts.append(RightsText(text, Source.JSONLD, line))
    obs += _tdmrep(doc, obs, notes)
    return Signals(tuple(obs), tuple(texts), tuple(notes))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = value.get("@id") or value.get("url") or value.get("name")
        return inner if isinstance(inner, str) else ""
    return "" if value is None else str(value)


def _walk_jsonld(data: Any, depth: int = 0) -> Iterator[tuple[str, Any]]:
    """(key, value) of every property, through @graph, arrays and nested objects."""
    if depth > 20:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                if isinstance(value, dict) and _scalar(value):
                    yield key, value
                yield from _walk_jsonld(value, depth + 1)
            else:
                yield key, value


def _tdmrep(doc: Document, obs: list[Observation], notes: list[str]) -> list[Observation]:
    """The effective TDMRep properties, each one ``tdmrep`` observation from its winning layer."""
    layers: list[tuple[Source, dict[str, tuple[str, int, str]]]] = []
    site = doc.site_tdmrep
    if site is not None:
        values = {
            "tdm-reservation": (site.reservation, 0, f"{site.file}: location {site.location}")
        }
        if site.policy:
            values["tdm-policy"] = (site.policy, 0, f"{site.file}: location {site.location}")
        layers.append((Source.SITE, values))
    for kind, source in (("header", Source.HEADER), ("meta", Source.META)):
        values = {}
        for o in obs:
            if o.kind == kind and o.name in TDM_PROPERTIES:
                values.setdefault(o.name, (o.value, o.line, o.snippet))
        layers.append((source, values))
    resolved: dict[str, tuple[str, Source, int, str]] = {}
    for source, values in layers:
        for prop, (value, line, snippet) in values.items():
            if prop == "tdm-reservation" and value.strip() not in ("0", "1"):
                notes.append(f"{snippet}: tdm-reservation must be 0 or 1; ignored (TDMRep)")
                continue
            resolved[prop] = (value.strip(), source, line, snippet)
    out = []
    reservation = resolved.get("tdm-reservation")
    for prop, (value, source, line, snippet) in sorted(resolved.items()):
        if prop == "tdm-policy" and (reservation is None or reservation[0] != "1"):
            continue  # a policy means nothing without a reservation
        out.append(Observation("tdmrep", prop, value, source, line, snippet))
    return out
