"""The command line as a user meets it: reports, verdicts, exit codes, rule commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, SEED, TEST_PACKS, assert_blocked, document, run, scan_json

SAMPLES = ROOT / "samples"


@pytest.fixture(scope="module")
def samples_report() -> tuple[int, dict]:
    return scan_json(SAMPLES)


def test_samples_clause_bearing_are_blocked_and_clean_allowed(samples_report):
    code, report = samples_report
    assert code == 1
    for name in ["wp-article-en.txt", "wp-article-pl.txt", "footer-page.html"]:
        doc = document(report, name)
        assert doc["verdict"] == "block", doc
        assert any(f["category"] == "tdm-reservation" for f in doc["findings"])
    assert document(report, "clean-article.txt") == {
        **document(report, "clean-article.txt"),
        "verdict": "allow",
        "findings": [],
    }
    assert document(report, "news-about-ai-lawsuit.txt")["verdict"] != "block"


def test_samples_licences(samples_report):
    _, report = samples_report
    cc_by = document(report, "cc-by-article.md")
    assert cc_by["verdict"] == "allow"
    assert {f["category"] for f in cc_by["findings"]} == {"license-permissive"}
    nc_nd = document(report, "cc-by-nc-nd-article.txt")
    assert nc_nd["verdict"] == "review"
    assert "license-restricted" in {f["category"] for f in nc_nd["findings"]}


def test_wp_clause_points_at_its_line(samples_report):
    _, report = samples_report
    doc = assert_blocked(report, "wp-article-en.txt", "wp-reuse-consent-en")
    lines = (SAMPLES / "wp-article-en.txt").read_text(encoding="utf-8").splitlines()
    finding = next(f for f in doc["findings"] if f["rule_id"] == "wp-reuse-consent-en")
    assert "consent from Wirtualna Polska" in " ".join(
        lines[finding["line"] - 1 : finding["line"] + 3]
    )


def test_html_footer_finding_reports_the_source_line(samples_report):
    _, report = samples_report
    doc = document(report, "footer-page.html")
    source = (SAMPLES / "footer-page.html").read_text(encoding="utf-8").splitlines()
    footer_start = next(i for i, line in enumerate(source, 1) if "<footer" in line)
    assert all(
        f["line"] > footer_start for f in doc["findings"] if f["category"] == "tdm-reservation"
    )


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not beside the project")
def test_seed_article_is_blocked_at_its_footer():
    code, report = scan_json(SEED)
    assert code == 1
    (doc,) = report["documents"]
    assert doc["verdict"] == "block"
    footer_line = next(
        i
        for i, line in enumerate(SEED.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("Downloading, reproduction")
    )
    blocking = [f for f in doc["findings"] if f["severity"] == "block"]
    assert blocking and all(f["line"] == footer_line for f in blocking)


def test_text_report_lists_verdicts_findings_and_summary(samples_report):
    result = run("scan", SAMPLES)
    assert result.exit_code == 1
    out = result.stdout
    assert "BLOCK  " in out and "ALLOW  " in out
    assert "wp-reuse-consent-en" in out and "[tdm-reservation]" in out
    _, report = samples_report
    s = report["summary"]
    assert out.splitlines()[-1].startswith(
        f"{s['documents']} documents: {s['block']} block, {s['review']} review, {s['allow']} allow"
    )
    assert "MB/s" in result.stderr
    assert "\x1b[" not in out  # not a terminal: no colour


def test_quiet_hides_allowed_documents():
    out = run("scan", "--quiet", SAMPLES).stdout
    assert "clean-article.txt" not in out and "wp-article-en.txt" in out


def test_control_characters_in_snippets_are_made_harmless(tmp_path):
    evil = tmp_path / "evil.txt"
    pack_only = ["--no-bundled-rules", "--rules", TEST_PACKS]
    evil.write_text("© 2025 Acme News\u202e Ltd. All rights reserved.\x1b[31m")
    out = run("scan", *pack_only, "--color", "always", evil).stdout
    assert "\u202e" not in out and "\\u202e" in out


def test_color_always_paints_verdicts():
    out = run("scan", "--color", "always", SAMPLES / "clean-article.txt").stdout
    assert "\x1b[32mALLOW" in out


def test_fail_on_review_and_policy(tmp_path):
    nc_nd = SAMPLES / "cc-by-nc-nd-article.txt"
    assert run("scan", nc_nd).exit_code == 0
    assert run("scan", "--fail-on", "review", nc_nd).exit_code == 1
    assert run("scan", "--policy", "strict", nc_nd).exit_code == 1
    code, report = scan_json("--policy", "research", SAMPLES / "wp-article-en.txt")
    assert code == 0 and report["documents"][0]["verdict"] == "review"


def test_output_file_is_written_and_json_is_deterministic(tmp_path):
    out = tmp_path / "report.json"
    first = run("scan", "--format", "json", "--output", out, SAMPLES)
    assert first.exit_code == 1 and first.stdout == ""
    again = run("scan", "--format", "json", SAMPLES).stdout
    assert out.read_text(encoding="utf-8") == again
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left


def test_samples_golden_report(update_golden):
    golden = ROOT / "tests" / "golden" / "samples.json"
    # Paths in the report are as given: scan from the project root with a relative path.
    completed = subprocess.run(
        [sys.executable, "-m", "rightsgate", "scan", "--format", "json", "samples"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert completed.returncode == 1, completed.stderr
    report = completed.stdout
    if update_golden:
        golden.write_text(report, encoding="utf-8")
    assert report == golden.read_text(encoding="utf-8"), (
        "run pytest --update-golden and review the diff"
    )


def test_rules_list_show_and_test():
    listed = run("rules", "list")
    assert listed.exit_code == 0 and "wp-reuse-consent-en" in listed.stdout
    rows = json.loads(run("rules", "list", "--format", "json").stdout)
    assert len({r["id"] for r in rows}) == len(rows) > 10
    shown = run("rules", "show", "wp-reuse-consent-en")
    assert shown.exit_code == 0
    for heading in ["What it matches", "Example", "References", "Category: tdm-reservation"]:
        assert heading in shown.stdout
    assert run("rules", "show", "no-such-rule").exit_code == 2
    tested = run("rules", "test")
    assert tested.exit_code == 0, tested.stderr
    assert "examples pass" in tested.stdout


def test_version_and_module_entry_point():
    assert "rightsgate, version" in run("--version").stdout
    completed = subprocess.run(
        [sys.executable, "-m", "rightsgate", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.startswith("rightsgate, version")


def test_usage_error_exits_2():
    result = run("scan")
    assert result.exit_code == 2


def test_jobs_give_the_same_report_in_the_same_order(tmp_path):
    one = run("scan", "--format", "json", SAMPLES).stdout
    two = run("scan", "--format", "json", "--jobs", "2", SAMPLES).stdout
    assert one == two
    assert run("baseline", "-j", "2", SAMPLES, "-o", tmp_path / "b.json").exit_code == 0
    gated = run("scan", "-j", "2", "--baseline", tmp_path / "b.json", SAMPLES)
    assert gated.exit_code == 0, gated.stdout


def test_output_into_a_missing_folder_is_a_usage_error_before_scanning(tmp_path):
    result = run("scan", "--format", "json", "--output", tmp_path / "no" / "r.json", SAMPLES)
    assert result.exit_code == 2
    assert "the folder for --output does not exist" in result.stderr
    assert "Traceback" not in result.stderr
