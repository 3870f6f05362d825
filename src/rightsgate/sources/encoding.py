"""Decode bytes: BOM, declared charset, UTF-8, then detection; a bad guess never crashes."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I
)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """True for content with NUL bytes that is not BOM-marked UTF-16/32 text."""
    return b"\x00" in data[:8192] and _bom(data) is None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode plain text: BOM, then a declared charset, then UTF-8 with replacement."""
    found = _bom(data)
    if found:
        name, skip = found
        return data[skip:].decode(name, "replace"), ()
    if declared and (codec := _known(declared)) and codec != "utf-8":
        return _decode_declared(data, codec)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as e:
        note = f"invalid UTF-8 at byte {e.start}; decoded with replacement characters"
        return data.decode("utf-8", "replace"), (note,)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode a page: BOM, HTTP charset, meta charset, UTF-8, then BeautifulSoup's detection."""
    found = _bom(data)
    if found:
        name, skip = found
        return data[skip:].decode(name, "replace"), ()
    for candidate in (declared, _meta_charset(data)):
        if candidate and (codec := _known(candidate)):
            if codec == "utf-8":
                break
            return _decode_declared(data, codec)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    from bs4 import UnicodeDammit

    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is None:
        return data.decode("utf-8", "replace"), (
            "encoding not detected; decoded as UTF-8 with replacement characters",
        )
    return dammit.unicode_markup, (
        f"no valid charset declared; detected {dammit.original_encoding}",
    )


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _decode_declared(data: bytes, codec: str) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode(codec), ()
    except UnicodeDecodeError as e:
        note = f"invalid {codec} at byte {e.start}; decoded with replacement characters"
        return data.decode(codec, "replace"), (note,)
