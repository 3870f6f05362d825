"""Walk the inputs, pick a reader by format and yield one Document per file or record."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from ..model import Document, Location
from .encoding import decode_html, decode_text, looks_binary
from .jsonl import RecordFields, iter_json_array, iter_jsonl
from .streams import TooLarge, decompression_error, open_stream, read_limited, split_compression
from .tdmrep import WELL_KNOWN, SitePolicy, load_site_policy

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".rst": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".warc": "warc",
    ".arc": "warc",
}
"""Suffix -> reader (after a .gz or .zst suffix is taken off), for files found by walking."""

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "site-packages",
)
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Default limit on one document's (decompressed) size: a guard against bombs."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceOptions:
    """How inputs are found."""

    excludes: tuple[str, ...] = ()
    """Glob patterns matched against names and relative paths."""
    default_excludes: bool = True
    """Skip VCS folders, virtualenvs and node_modules."""
    fields: RecordFields = field(default_factory=RecordFields)
    """Where JSONL/JSON records keep their text, HTML, URL and id."""
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    """Largest (decompressed) document or record; larger ones are reported, not read."""


def iter_documents(
    paths: Sequence[str], options: SourceOptions | None = None, *, stdin: BinaryIO | None = None
) -> Iterator[Document]:
    """Documents for every input path, in a deterministic order; ``-`` reads standard input."""
    options = options or SourceOptions()
    for given in paths:
        if given == "-":
            yield _from_stdin(stdin)
            continue
        path = Path(given)
        if path.is_dir():
            for child, site, problem in _walk(path, given, options):
                if problem is not None:
                    yield Document(location=Location(path=child), error=problem)
                    continue
                for doc in _read_file(child, format_of(child), options):
                    yield _with_site_policy(doc, child, site)
        elif path.exists() or path.is_symlink():
            yield from _read_file(given, format_of(given), options)
        else:
            yield Document(location=Location(path=given), error="no such file or directory")


def format_of(path: str) -> str | None:
    """The reader for a file name (compression suffixes looked through), or None."""
    stem, _ = split_compression(path)
    return FORMATS.get(os.path.splitext(stem)[1].lower())


def _excluded(name: str, rel: str, options: SourceOptions) -> bool:
    if options.default_excludes and name in DEFAULT_EXCLUDES:
        return True
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in options.excludes)


def _with_site_policy(doc: Document, shown: str, site: SitePolicy | None) -> Document:
    """Attach the tdmrep.json entry that covers a mirrored page (never to records with URLs)."""
    if site is None or doc.location.record is not None:
        return doc
    if site.problem:
        return replace(doc, notes=(*doc.notes, site.problem))
    url_path = "/" + os.path.relpath(shown, site.root).replace(os.sep, "/")
    entry = site.covering(url_path)
    return replace(doc, site_tdmrep=entry) if entry else doc


def _walk(
    root: Path, given: str, options: SourceOptions
) -> Iterator[tuple[str, SitePolicy | None, str | None]]:
    """Files under ``root`` with a known suffix, sorted by name at every level, each with the
    tdmrep.json of the nearest mirrored site root above it; a folder that cannot be listed
    comes out as (folder, None, reason) so the scan reports it instead of passing over it."""
    pending: list[tuple[Path, str, str, SitePolicy | None]] = [(root, given, "", None)]
    while pending:
        directory, shown, rel, site = pending.pop()
        site = load_site_policy(directory, shown) or site
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as e:
            yield shown, None, f"cannot list folder: {e.strerror or e}"
            continue
        subdirs = []
        for entry in entries:
            entry_rel = f"{rel}{entry.name}"
            if _excluded(entry.name, entry_rel, options):
                continue
            entry_shown = os.path.join(shown, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if entry.name != WELL_KNOWN[0]:  # site metadata, read as a site policy
                    subdirs.append((Path(entry.path), entry_shown, entry_rel + "/", site))
            elif format_of(entry.name) is not None:
                yield entry_shown, site, None
        pending.extend(reversed(subdirs))


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "html"
    return "text"


def _read_file(shown: str, fmt: str | None, options: SourceOptions) -> Iterator[Document]:
    """Documents of one file; nothing raised: problems become Documents with ``error``."""
    location = Location(path=shown)
    produced = 0
    try:
        if not stat.S_ISREG(os.stat(shown).st_mode):  # a pipe or device would block or never end
            yield Document(location=location, error="not a regular file")
            return
        with open_stream(shown) as stream:
            if fmt == "jsonl":
                for doc in iter_jsonl(stream, shown, options.fields, options.max_document_bytes):
                    produced += 1
                    yield doc
            elif fmt == "warc":
                from .warc import iter_warc

                for doc in iter_warc(stream, shown, options.max_document_bytes):
                    produced += 1
                    yield doc
            else:
                data = read_limited(stream, options.max_document_bytes)
                if fmt == "json":
                    yield from iter_json_array(data, shown, options.fields)
                else:
                    yield document_from_bytes(data, location, fmt)
    except TooLarge as e:
        yield Document(location=location, error=str(e))
    except Exception as e:  # OS and decompressor errors become the file's error, never a crash
        reason = decompression_error(e)
        if reason is None and isinstance(e, OSError):
            reason = f"cannot read: {e.strerror or e or type(e).__name__}"
        if reason is None:
            raise
        if produced:
            reason += f" after {produced} records"
        yield Document(location=location, error=reason)


def _from_stdin(stdin: BinaryIO | None) -> Document:
    location = Location(path="-")
    if stdin is None:
        return Document(location=location, error="standard input is not available")
    return document_from_bytes(stdin.read(), location, None)


def document_from_bytes(data: bytes, location: Location, fmt: str | None) -> Document:
    """A Document from raw bytes: binary check, format sniffing, decoding."""
    if looks_binary(data):
        return Document(location=location, size=len(data), skipped="binary file (NUL bytes)")
    fmt = fmt or _sniff(data)
    if fmt == "html":
        html, notes = decode_html(data)
        return Document(location=location, html=html, size=len(data), notes=notes)
    text, notes = decode_text(data)
    return Document(location=location, text=text, size=len(data), notes=notes)
