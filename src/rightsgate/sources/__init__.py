"""Walk the inputs, pick a reader by format and yield one Document per file or record."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..model import Document, Location
from .encoding import decode_html, decode_text, looks_binary

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".rst": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
"""Suffix -> reader, for files found by walking a directory."""

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
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceOptions:
    """How inputs are found."""

    excludes: tuple[str, ...] = ()
    """Glob patterns matched against names and relative paths."""
    default_excludes: bool = True
    """Skip VCS folders, virtualenvs and node_modules."""


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
            for child in _walk(path, given, options):
                yield _read_file(child, FORMATS[_suffix(child)])
        elif path.exists() or path.is_symlink():
            yield _read_file(given, FORMATS.get(_suffix(given)))
        else:
            yield Document(location=Location(path=given), error="no such file or directory")


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _excluded(name: str, rel: str, options: SourceOptions) -> bool:
    if options.default_excludes and name in DEFAULT_EXCLUDES:
        return True
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in options.excludes)


def _walk(root: Path, given: str, options: SourceOptions) -> Iterator[str]:
    """Files under ``root`` with a known suffix, sorted by name at every level."""
    pending = [(root, given, "")]
    while pending:
        directory, shown, rel = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            entry_rel = f"{rel}{entry.name}"
            if _excluded(entry.name, entry_rel, options):
                continue
            entry_shown = os.path.join(shown, entry.name)
            if entry.is_dir(follow_symlinks=False):
                subdirs.append((Path(entry.path), entry_shown, entry_rel + "/"))
            elif _suffix(entry.name) in FORMATS:
                yield entry_shown
        pending.extend(reversed(subdirs))


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "html"
    return "text"


def _read_file(shown: str, fmt: str | None) -> Document:
    location = Location(path=shown)
    try:
        size = os.path.getsize(shown)
        if size > MAX_FILE_BYTES:
            return Document(
                location=location,
                size=size,
                error=f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit per document",
            )
        with open(shown, "rb") as f:
            data = f.read()
    except OSError as e:
        return Document(location=location, error=f"cannot read: {e.strerror or e}")
    return document_from_bytes(data, location, fmt)


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
