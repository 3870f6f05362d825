"""WARC and ARC files (via warcio): one Document per response, resource or conversion record."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import BinaryIO

from ..model import Document, Location
from .encoding import decode_html, decode_text, looks_binary

SCANNED_TYPES = frozenset({"response", "resource", "conversion"})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/", "application/json", "application/ld+json", "application/xml")
_RESYNC_CHUNK = 1 << 20


def _content_type(value: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return parts[0].lower(), charset


def record_document(record, path: str, offset_of, max_bytes: int) -> Document | None:
    """A Document for one warcio record, or None for record types that carry no content.

    ``offset_of()`` gives the record's offset; warcio computes it by reading the record to its
    end, so it is asked only after the payload was read.
    """
    if record.rec_type not in SCANNED_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    headers: tuple[tuple[str, str], ...] = ()
    if record.http_headers is not None:
        headers = tuple((k, v) for k, v in record.http_headers.headers)
        ctype = record.http_headers.get_header("Content-Type")
    else:
        ctype = record.rec_headers.get_header("Content-Type")
    media, charset = _content_type(ctype)
    if media and not media.startswith(_TEXT_TYPES) and media not in _HTML_TYPES:
        data = None
    else:
        data = record.content_stream().read(max_bytes + 1)
    location = Location(path=path, record=offset_of(), record_kind="offset")
    base = {"location": location, "url": url, "headers": headers}
    if data is None:
        return Document(**base, skipped=f"non-text payload ({media})")
    if len(data) > max_bytes:
        return Document(
            **base, size=len(data), error=f"payload over the {max_bytes}-byte limit per record"
        )
    if looks_binary(data):
        return Document(**base, size=len(data), skipped="binary payload (NUL bytes)")
    if media in _HTML_TYPES or (not media and data.lstrip()[:1] == b"<"):
        html, notes = decode_html(data, declared=charset)
        return Document(**base, html=html, size=len(data), notes=notes)
    text, notes = decode_text(data, declared=charset)
    return Document(**base, text=text, size=len(data), notes=notes)


def iter_warc(raw: BinaryIO, path: str, max_bytes: int) -> Iterator[Document]:
    """Every content record of a WARC/ARC stream; a broken record is reported, then skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    base = 0
    while True:
        offset = end = base
        try:
            records = ArchiveIterator(raw, arc2warc=True)
            for record in records:
                if not record.rec_type:
                    offset = _offset(records, base)
                    raise ValueError("record has no WARC-Type header")
                doc = record_document(record, path, partial(_offset, records, base), max_bytes)
                offset = _offset(records, base)
                end = offset + records.get_record_length()
                if doc is not None:
                    yield doc
            if not _trailing_data(raw, end):
                return
            offset, reason = end, "unreadable data where a record should start"
        except (ArchiveLoadFailed, ValueError, OSError, EOFError) as e:
            reason = _reason(e)
        location = Location(path=path, record=offset, record_kind="offset")
        yield Document(location=location, error=f"broken WARC record: {reason}")
        resume = _next_record(raw, offset + 1) if raw.seekable() else None
        if resume is None:
            return
        raw.seek(resume)
        base = resume


def _trailing_data(raw: BinaryIO, end: int) -> bool:
    """Whether anything but white space follows the last record warcio could read."""
    if not raw.seekable():
        return False
    raw.seek(end)
    return bool(raw.read(4096).strip())


def _offset(records, base: int) -> int:
    return base + records.get_record_offset()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _next_record(raw: BinaryIO, start: int) -> int | None:
    """Offset of the next gzip member or WARC header after ``start``, if any."""
    raw.seek(start)
    position = start
    tail = b""
    while True:
        chunk = raw.read(_RESYNC_CHUNK)
        if not chunk:
            return None
        window = tail + chunk
        hits = [i for i in (window.find(b"\x1f\x8b\x08"), window.find(b"WARC/1.")) if i >= 0]
        if hits:
            return position - len(tail) + min(hits)
        tail = window[-8:]
        position += len(chunk)
