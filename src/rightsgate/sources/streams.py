"""Open inputs as byte streams, decompressing .gz and .zst on the fly, never fully in memory."""

from __future__ import annotations

import gzip
import io
import os
from typing import BinaryIO

COMPRESSIONS = (".gz", ".zst")
READ_CHUNK = 1 << 20


class TooLarge(Exception):
    """A document decompressed past the size limit (a possible decompression bomb)."""


def split_compression(path: str) -> tuple[str, str | None]:
    """(path without the compression suffix, compression suffix or None)."""
    stem, suffix = os.path.splitext(path)
    suffix = suffix.lower()
    return (stem, suffix) if suffix in COMPRESSIONS else (path, None)


def open_stream(path: str) -> BinaryIO:
    """A binary stream of the file's (decompressed) content."""
    _, compression = split_compression(path)
    raw = open(path, "rb")  # noqa: SIM115 - the returned stream owns it
    if compression == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if compression == ".zst":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        # The zstd reader has no readline; buffering gives it one (JSONL reads by line).
        return io.BufferedReader(reader, buffer_size=READ_CHUNK)  # type: ignore[arg-type]
    return raw


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Read the whole stream, refusing more than ``limit`` bytes."""
    chunks = []
    total = 0
    while True:
        chunk = stream.read(READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise TooLarge(f"decompresses to more than {limit} bytes (the per-document limit)")
        chunks.append(chunk)


def decompression_error(exc: BaseException) -> str | None:
    """A one-line reason when ``exc`` means corrupt or truncated compressed input."""
    if isinstance(exc, EOFError):
        return "compressed stream ends early (truncated file)"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not a valid gzip stream: {exc}"
    if type(exc).__name__ == "ZstdError":
        return f"not a valid zstandard stream: {exc}"
    return None
