"""Crawler output: JSONL shards, WARC records, compression, and machine-readable opt-outs."""

from __future__ import annotations

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .conftest import ROOT, run, scan_json

SAMPLES = ROOT / "samples"
CLEAN_HTML = "<html><body><p>The park has new benches.</p></body></html>"


def write_warc(path, pages, *, compress=True):
    """pages: (url, extra headers, content type, body bytes)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, extra, ctype, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path


def findings_by_source(doc):
    return {(f["rule_id"], f["source"]) for f in doc["findings"]}


def test_warc_header_signals_block_a_page_without_notice(tmp_path):
    warc = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            (
                "https://a.example/1",
                [("X-Robots-Tag", "otherbot: noindex, noai")],
                "text/html",
                CLEAN_HTML.encode(),
            ),
            (
                "https://a.example/2",
                [("X-Robots-Tag", "noindex"), ("X-Robots-Tag", "noai")],
                "text/html",
                CLEAN_HTML.encode(),
            ),
            ("https://a.example/3", [("tdm-reservation", "1")], "text/html", CLEAN_HTML.encode()),
            ("https://a.example/4", [], "text/html", CLEAN_HTML.encode()),
        ],
    )
    code, report = scan_json(warc)
    assert code == 1
    first, second, third, clean = report["documents"]
    assert first["verdict"] == second["verdict"] == third["verdict"] == "block"
    assert ("robots-noai-header", "header") in findings_by_source(first)
    assert ("robots-noai-header", "header") in findings_by_source(second)  # every occurrence read
    assert ("tdmrep-reservation", "header") in findings_by_source(third)
    assert third["findings"][0]["snippet"] == "tdm-reservation: 1"
    assert clean["verdict"] == "allow"
    assert first["url"] == "https://a.example/1" and first["record"] == 0
    assert second["record"] > 0


def test_meta_jsonld_and_layer_precedence(tmp_path):
    meta = '<html><head><meta content="1" name="tdm-reservation"></head><body>x</body></html>'
    override = '<html><head><meta name="tdm-reservation" content="0"></head><body>x</body></html>'
    paywall = (
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
        ' "isAccessibleForFree": "False"}]}</script></head><body>x</body></html>'
    )
    warc = write_warc(
        tmp_path / "c.warc",
        [
            ("https://a.example/m", [], "text/html", meta.encode()),
            ("https://a.example/o", [("tdm-reservation", "1")], "text/html", override.encode()),
            ("https://a.example/p", [], "text/html; charset=utf-8", paywall.encode()),
        ],
        compress=False,
    )
    _, report = scan_json(warc)
    meta_doc, override_doc, paywall_doc = report["documents"]
    assert meta_doc["verdict"] == "block"
    assert ("tdmrep-reservation", "meta") in findings_by_source(meta_doc)
    assert override_doc["verdict"] == "allow"  # the page's own meta overrides the header
    assert paywall_doc["verdict"] == "review"
    assert ("jsonld-not-free", "jsonld") in findings_by_source(paywall_doc)


def test_tdmrep_json_covers_pages_of_a_mirrored_site(tmp_path):
    site = tmp_path / "news.example"
    (site / ".well-known").mkdir(parents=True)
    (site / ".well-known" / "tdmrep.json").write_text(
        json.dumps(
            [
                {"location": "/open/*", "tdm-reservation": 0},
                {
                    "location": "/*",
                    "tdm-reservation": 1,
                    "tdm-policy": "https://news.example/p.json",
                },
            ]
        )
    )
    (site / "open").mkdir()
    (site / "open" / "a.html").write_text(CLEAN_HTML)
    (site / "news").mkdir()
    (site / "news" / "b.html").write_text(CLEAN_HTML)
    code, report = scan_json(site)
    assert code == 1
    assert [d["path"].split("news.example")[1] for d in report["documents"]] == [
        "/news/b.html",
        "/open/a.html",
    ]
    covered, open_doc = report["documents"]
    assert covered["verdict"] == "block"
    assert {f["source"] for f in covered["findings"]} == {"site"}
    assert open_doc["verdict"] == "allow"


def test_jsonl_findings_point_at_file_line(tmp_path):
    shard = tmp_path / "shard.jsonl"
    lines = [
        {"id": "a", "text": "Clean."},
        {"id": "b", "meta": {"body": "We prohibit the use of our content for training AI."}},
        {
            "id": "c",
            "meta": {
                "body": "Any use of this content, including by machine learning or"
                " artificial intelligence programs, requires prior and explicit"
                " consent from the publisher."
            },
        },
    ]
    shard.write_text("".join(json.dumps(x) + "\n" for x in lines))
    _, report = scan_json("--text-field", "meta.body", shard)
    docs = report["documents"]
    assert docs[0]["skipped"] and docs[2]["verdict"] == "block"
    assert docs[2]["record"] == 3 and docs[2]["fields"] == {"id": "c"}
    assert all(f["line"] == 3 for f in docs[2]["findings"])
    text = run("scan", "--text-field", "meta.body", shard).stdout
    assert f"BLOCK  {shard}:3" in text


def test_bad_records_never_lose_the_rest(tmp_path):
    good = json.dumps({"text": "requires prior and explicit consent from Wirtualna Polska Media"})
    lines = [good, "{not json", json.dumps({"text": "x" * 5000}), good]
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(data)[:-40])  # truncated
    warc = write_warc(
        tmp_path / "c.warc",
        [("https://a.example/x", [("tdm-reservation", "1")], "text/html", CLEAN_HTML.encode())] * 3,
        compress=False,
    )
    raw = warc.read_bytes()
    second = raw.index(b"WARC/1.0", 10)
    warc.write_bytes(raw[:second] + b"WARC/1.0\r\nBroken: yes\r\n\r\n" + raw[second + 10 :])
    code, report = scan_json("--max-document-mb", "0.004", str(tmp_path))
    errors = [
        (d["path"].rsplit("/", 1)[1], d["record"], d["error"])
        for d in report["documents"]
        if d["error"]
    ]
    assert (
        "a.jsonl",
        2,
        "invalid JSON: Expecting property name enclosed in double quotes at column 2",
    ) in errors
    assert any(
        e[0] == "a.jsonl" and e[1] == 3 and "over the 4194-byte limit" in e[2] for e in errors
    )
    assert any(e[0] == "b.jsonl.gz" and e[1] is None and "truncated" in e[2] for e in errors)
    assert any(e[0] == "c.warc" and "broken WARC record" in e[2] for e in errors)
    blocked = [
        (d["path"].rsplit("/", 1)[1], d["record"])
        for d in report["documents"]
        if d["verdict"] == "block"
    ]
    assert ("a.jsonl", 1) in blocked and ("a.jsonl", 4) in blocked
    assert sum(1 for p, _ in blocked if p == "c.warc") >= 2  # records after the broken one too
    assert report["summary"]["errors"] == len(errors)
    assert code == 1


def test_samples_records_and_crawl():
    _, report = scan_json(
        SAMPLES / "shard.jsonl", SAMPLES / "shard-compressed.jsonl.gz", SAMPLES / "crawl.warc.gz"
    )
    verdicts = [d["verdict"] for d in report["documents"]]
    assert verdicts[:4] == ["allow", "block", "block", "allow"]
    assert verdicts[4:8] == verdicts[:4]
    assert verdicts[8:] == ["block", "block", "block", "review", "allow", "allow"]
    assert report["documents"][-1]["skipped"] == "non-text payload (image/png)"


def test_publisher_domain_rule_catches_a_page_whose_footer_was_dropped(tmp_path):
    shard = tmp_path / "s.jsonl"
    records = [
        {"url": "https://www.essanews.com/news/123", "text": "North Korea plans more satellites."},
        {"url": "https://example.org/news/123", "text": "North Korea plans more satellites."},
    ]
    shard.write_text("".join(json.dumps(r) + "\n" for r in records))
    _, report = scan_json(shard)
    wp, other = report["documents"]
    assert wp["verdict"] == "block"
    assert [(f["rule_id"], f["source"]) for f in wp["findings"]] == [
        ("wirtualna-polska-domain", "url")
    ]
    assert other["verdict"] == "allow"


def test_zstd_compressed_shard_is_streamed(tmp_path):
    import zstandard

    shard = tmp_path / "s.jsonl.zst"
    data = (
        json.dumps({"text": "clean"})
        + "\n"
        + json.dumps({"text": "x", "url": "https://wp.pl/a"})
        + "\n"
    ).encode()
    shard.write_bytes(zstandard.ZstdCompressor().compress(data))
    code, report = scan_json(shard)
    assert [(d["record"], d["verdict"]) for d in report["documents"]] == [
        (1, "allow"),
        (2, "block"),
    ]
    (tmp_path / "bad.jsonl.zst").write_bytes(b"not zstd at all")
    code, report = scan_json(tmp_path / "bad.jsonl.zst")
    assert code == 3 and "zstandard" in report["documents"][0]["error"]


def test_rights_text_in_metas_and_jsonld_is_scanned_like_body_text(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><meta name="copyright" content="© 2025 Example Media. All rights reserved.">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "copyrightNotice": '
        '"Any use of this content, including by machine learning or artificial intelligence '
        'programs, requires prior and explicit consent from the publisher."}</script></head>'
        "<body><p>Clean body.</p></body></html>"
    )
    code, report = scan_json(page)
    (doc,) = report["documents"]
    sources = {(f["category"], f["source"]) for f in doc["findings"]}
    assert ("all-rights-reserved", "meta") in sources
    assert ("tdm-reservation", "jsonld") in sources
    assert doc["verdict"] == "block" and code == 1


def test_text_report_names_a_record_by_offset_and_url():
    out = run("scan", SAMPLES / "crawl.warc.gz").stdout
    assert f"BLOCK  {SAMPLES / 'crawl.warc.gz'}@0  https://news.example/bridge" in out


def test_arc_files_are_read_like_warc(tmp_path):
    def arc_record(fields, body):
        return (" ".join([*fields, str(len(body))]) + "\n").encode() + body + b"\n"

    version = b"1 0 rightsgate-test\nURL IP-address Archive-date Content-type Archive-length\n"
    http = (
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Robots-Tag: noai\r\n\r\n"
        + CLEAN_HTML.encode()
    )
    arc = tmp_path / "old-crawl.arc"
    arc.write_bytes(
        arc_record(["filedesc://old-crawl.arc", "0.0.0.0", "20260101000000", "text/plain"], version)
        + b"\n"
        + arc_record(["http://example.org/a", "127.0.0.1", "20260101000000", "text/html"], http)
    )
    code, report = scan_json(arc)
    (doc,) = report["documents"]
    assert code == 1 and doc["verdict"] == "block"
    assert doc["url"] == "http://example.org/a" and doc["record"] > 0
    assert [f["rule_id"] for f in doc["findings"]] == ["robots-noai-header"]
