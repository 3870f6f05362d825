"""JSONL / NDJSON shards and JSON arrays: one Document per record, located by file:line."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from ..model import Document, Location
from .encoding import decode_text


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordFields:
    """Dotted paths of the fields that hold a record's content and identity."""

    text: str = "text"
    html: str = "html"
    url: str = "url"
    id: str = "id"


def lookup(record: Any, dotted: str) -> Any:
    """``record['a']['b']`` for ``a.b``; None when any step is missing."""
    value = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def record_document(
    record: Any, location: Location, fields: RecordFields, size: int, notes: tuple[str, ...] = ()
) -> Document:
    """A Document from one parsed JSON record."""
    if not isinstance(record, Mapping):
        return Document(
            location=location,
            size=size,
            error=f"record is a JSON {type(record).__name__}, not an object",
        )
    text, html = lookup(record, fields.text), lookup(record, fields.html)
    url, ident = lookup(record, fields.url), lookup(record, fields.id)
    if not isinstance(text, str) and not isinstance(html, str):
        return Document(
            location=location,
            size=size,
            skipped=f"no text in field {fields.text!r} or html in field {fields.html!r}",
        )
    meta = {"id": ident} if ident is not None else {}
    return Document(
        location=location,
        text=text if isinstance(text, str) and not isinstance(html, str) else None,
        html=html if isinstance(html, str) else None,
        url=url if isinstance(url, str) else None,
        fields=meta,
        size=size,
        notes=notes,
    )


def iter_jsonl(
    stream: BinaryIO, path: str, fields: RecordFields, max_record_bytes: int
) -> Iterator[Document]:
    """Every line of a JSONL stream as a Document; bad lines become error Documents."""
    line_no = 0
    while True:
        raw = stream.readline(max_record_bytes + 1)
        if not raw:
            return
        line_no += 1
        location = Location(path=path, record=line_no, record_kind="line")
        if len(raw) > max_record_bytes and not raw.endswith(b"\n"):
            skipped = len(raw)
            while raw and not raw.endswith(b"\n"):  # skip the rest of the oversized line
                raw = stream.readline(1 << 20)
                skipped += len(raw)
            yield Document(
                location=location,
                size=skipped,
                error=f"record is {skipped} bytes, over the {max_record_bytes}-byte limit",
            )
            continue
        if not raw.strip():
            continue
        text, notes = decode_text(raw)
        try:
            record = json.loads(text)
        except json.JSONDecodeError as e:
            yield Document(
                location=location, size=len(raw), error=f"invalid JSON: {e.msg} at column {e.colno}"
            )
            continue
        yield record_document(record, location, fields, len(raw), notes)


def iter_json_array(data: bytes, path: str, fields: RecordFields) -> Iterator[Document]:
    """A .json file: an array of records (each located by its 1-based index), or one record."""
    text, notes = decode_text(data)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as e:
        yield Document(
            location=Location(path=path),
            size=len(data),
            error=f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}",
        )
        return
    if not isinstance(parsed, list):
        yield record_document(parsed, Location(path=path), fields, len(data), notes)
        return
    for i, record in enumerate(parsed, 1):
        location = Location(path=path, record=i, record_kind="index")
        yield record_document(record, location, fields, 0, notes)
