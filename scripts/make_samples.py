"""Regenerate the binary and record-based samples: JSONL shards and a small WARC crawl.

    python scripts/make_samples.py

Every text here was written for rightsgate's samples. Output is deterministic
(fixed gzip timestamps and WARC dates), so regenerating changes nothing unless
this script changed.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DATE = "2026-11-20T08:00:00Z"

ARTICLE = (
    "The regional rail operator will add two early trains on the coast line from March. "
    "Commuters had asked for a service that reaches the city before seven."
)
RECORDS = [
    {"id": "r1", "url": "https://news.example/rail", "text": ARTICLE},
    {
        "id": "r2",
        "url": "https://news.example/market",
        "text": "Market stalls return to the old square on Saturdays.\n\n"
        "All content on this site is protected by copyright. Any use of our content, including "
        "for text and data mining or for training artificial intelligence systems, is expressly "
        "prohibited without our prior written consent.",
    },
    {
        "id": "r3",
        "url": "https://news.example/garden",
        "html": '<html><head><meta name="tdm-reservation" content="1"></head>'
        "<body><p>The community garden opens a second plot for schools.</p></body></html>",
    },
    {"id": "r4", "text": "Weather: mild and dry, with a light breeze in the afternoon."},
]

WARC_PAGES = [
    (
        "https://news.example/bridge",
        [("X-Robots-Tag", "noai")],
        "text/html; charset=utf-8",
        "<html><body><p>The footbridge reopens after repairs.</p></body></html>",
    ),
    (
        "https://news.example/library",
        [("tdm-reservation", "1")],
        "text/html; charset=utf-8",
        "<html><body><p>The library extends its opening hours.</p></body></html>",
    ),
    (
        "https://news.example/theatre",
        [],
        "text/html; charset=windows-1250",
        '<html><head><meta name="tdm-reservation" content="1"></head>'
        "<body><p>Teatr ogłasza nowy sezon. Spółka dziękuje widzom.</p></body></html>",
    ),
    (
        "https://news.example/pool",
        [],
        "text/html; charset=utf-8",
        '<html><head><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", '
        '"headline": "Pool", "isAccessibleForFree": false}]}</script></head>'
        "<body><p>The outdoor pool opens in June. Subscribe to read more.</p></body></html>",
    ),
    (
        "https://news.example/park",
        [],
        "text/html; charset=utf-8",
        "<html><body><p>New benches were installed in the park.</p></body></html>",
    ),
    ("https://news.example/logo.png", [], "image/png", None),
]


def write_jsonl() -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS).encode()
    (SAMPLES / "shard.jsonl").write_bytes(lines)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        gz.write(lines)
    (SAMPLES / "shard-compressed.jsonl.gz").write_bytes(buffer.getvalue())


def write_warc() -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, extra, ctype, body in WARC_PAGES:
        charset = ctype.partition("charset=")[2] or "utf-8"
        payload = body.encode(charset) if body else b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", ctype), ("Content-Length", str(len(payload))), *extra],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": DATE, "WARC-Record-ID": f"<urn:uuid:{_uuid(url)}>"},
        )
        writer.write_record(record)
    (SAMPLES / "crawl.warc.gz").write_bytes(buffer.getvalue())


def _uuid(url: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, url))


if __name__ == "__main__":
    write_jsonl()
    write_warc()
    print(f"wrote samples to {SAMPLES}")
