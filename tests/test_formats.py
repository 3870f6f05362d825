"""Report formats CI systems read: SARIF 2.1.0 (validated), GitHub annotations, JSON Lines."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest

from .conftest import FIXTURES, ROOT, run

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SAMPLES = ROOT / "samples"


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    """Text, HTML, JSONL and WARC inputs, one allowlisted finding, one unreadable file."""
    monkeypatch.chdir(tmp_path)
    for name in [
        "wp-article-en.txt",
        "footer-page.html",
        "shard.jsonl",
        "crawl.warc.gz",
        "clean-article.txt",
    ]:
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing")
    (tmp_path / ".rightsgate.toml").write_text(
        textwrap.dedent(
            """
            [[allow]]
            rule = "en-boilerplate-related-content"
            reason = "page furniture is stripped downstream"
            """
        )
    )
    return tmp_path


def test_sarif_validates_and_carries_locations_and_suppressions(mixed):
    result = run("scan", "--format", "sarif", ".")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    jsonschema.Draft7Validator(SCHEMA).validate(sarif)
    (run_,) = sarif["runs"]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert "wp-reuse-consent-en" in rules and rules["wp-reuse-consent-en"]["help"]["text"]
    results = run_["results"]
    by_uri = {}
    for r in results:
        by_uri.setdefault(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], []
        ).append(r)
    text_hit = next(r for r in by_uri["wp-article-en.txt"] if r["ruleId"] == "wp-reuse-consent-en")
    assert text_hit["level"] == "error"
    assert text_hit["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    html_hit = by_uri["footer-page.html"][0]
    assert html_hit["locations"][0]["physicalLocation"]["region"]["startLine"] > 20
    jsonl_lines = {
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in by_uri["shard.jsonl"]
    }
    assert jsonl_lines == {2, 3}
    warc = by_uri["crawl.warc.gz"][0]["locations"][0]
    assert warc["logicalLocations"][0]["fullyQualifiedName"].startswith("https://news.example/")
    suppressed = [r for r in results if "suppressions" in r]
    assert suppressed and all(
        s["suppressions"][0]["justification"] == "allowlist: page furniture is stripped downstream"
        for s in suppressed
    )
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert any("broken.txt" in n["message"]["text"] for n in notes)
    assert [r for r in results if r["ruleIndex"] >= len(rules)] == []


def test_sarif_is_deterministic(mixed):
    assert (
        run("scan", "--format", "sarif", ".").stdout == run("scan", "--format", "sarif", ".").stdout
    )


def test_github_annotations(mixed):
    out = run("scan", "--format", "github", "wp-article-en.txt", "crawl.warc.gz").stdout
    assert "::error file=wp-article-en.txt,line=" in out
    assert ",title=rightsgate wp-reuse-consent-en::" in out
    assert "::error file=crawl.warc.gz,title=rightsgate robots-noai-header::crawl.warc.gz@0" in out
    assert out.splitlines()[-1].startswith("::notice title=rightsgate::")


def test_jsonl_streams_one_document_per_line(mixed):
    out = run("scan", "--format", "jsonl", "shard.jsonl", "clean-article.txt").stdout
    docs = [json.loads(line) for line in out.splitlines()]
    assert [(d["path"], d["record"], d["verdict"]) for d in docs] == [
        ("shard.jsonl", 1, "allow"),
        ("shard.jsonl", 2, "block"),
        ("shard.jsonl", 3, "block"),
        ("shard.jsonl", 4, "allow"),
        ("clean-article.txt", None, "allow"),
    ]
