"""The gate a team can live with: config, allowlists, baselines."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from rightsgate.config import parse_config
from rightsgate.errors import ConfigError

from .conftest import run

WP = (
    "Any use of content available on this website requires prior and explicit consent from "
    "Wirtualna Polska Media Spółka Akcyjna, regardless of the technique used (manual or "
    "automated, including the use of machine learning or artificial intelligence programs)."
)
OTHER = (
    "All content on this site is protected by copyright. Any use of our content, including for "
    "text and data mining or for training artificial intelligence systems, is expressly "
    "prohibited without our prior written consent."
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus" / "wp").mkdir(parents=True)
    (tmp_path / "corpus" / "wp" / "a.txt").write_text(f"A story.\n\n{WP}\n")
    (tmp_path / "corpus" / "other.txt").write_text(f"Another story.\n\n{OTHER}\n")
    return tmp_path


def write_config(path, body):
    path.write_text(textwrap.dedent(body), encoding="utf-8")


def scan(*args):
    result = run("scan", "--format", "json", *args)
    return result, (json.loads(result.stdout) if result.stdout else None)


def test_allowlisted_publisher_passes_with_findings_kept_and_reasoned(project):
    write_config(
        project / ".rightsgate.toml",
        """
        [[allow]]
        publisher = "Wirtualna Polska Media S.A."
        paths = ["corpus/wp/**"]
        reason = "Licensed from WP under contract 2026-17"
        expires = 2099-12-31
        """,
    )
    result, report = scan("corpus/wp")
    assert result.exit_code == 0
    (doc,) = report["documents"]
    assert doc["verdict"] == "allow" and doc["findings"] == []
    reasons = {s["reason"] for s in doc["suppressed"]}
    assert reasons == {"allowlist: Licensed from WP under contract 2026-17"}
    assert any(s["rule_id"] == "wp-reuse-consent-en" for s in doc["suppressed"])
    # The same notice outside the allowed paths still fails the gate.
    result, report = scan("corpus")
    assert result.exit_code == 1
    assert [d["verdict"] for d in report["documents"]] == ["block", "allow"]


def test_expired_allowlist_entry_exits_2_and_names_it(project):
    write_config(
        project / ".rightsgate.toml",
        """
        [[allow]]
        publisher = "Wirtualna Polska Media S.A."
        reason = "Trial licence"
        expires = 2020-01-31
        """,
    )
    result = run("scan", "corpus")
    assert result.exit_code == 2
    assert "allow[0].expires" in result.stderr
    assert (
        "'Wirtualna Polska Media S.A.'" in result.stderr
        and "expired on 2020-01-31" in result.stderr
    )


def test_config_found_upward_and_in_pyproject(project, monkeypatch):
    write_config(
        project / "pyproject.toml", '[tool.rightsgate]\nfail_on = "review"\nexclude = ["wp"]\n'
    )
    (project / "corpus" / "review.txt").write_text("© 2025 Example Media. All rights reserved.\n")
    monkeypatch.chdir(project / "corpus")
    result, report = scan(".")
    assert [d["path"] for d in report["documents"]] == ["./other.txt", "./review.txt"]
    assert result.exit_code == 1
    write_config(project / ".rightsgate.toml", 'policy = "research"\n')  # wins over pyproject
    result, report = scan("other.txt")
    assert result.exit_code == 0 and report["documents"][0]["verdict"] == "review"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("colour = 'red'\n", "colour: unknown key"),
        ("fail_on = 1\n", "fail_on: must be a string, not int"),
        ("exclude = 'x'\n", "exclude: must be a list, not str"),
        ("policy = 'lenient'\n", "policy: must be one of default, strict, research"),
        ("[severity]\npaywall = 'loud'\n", "severity.paywall: must be block, review or info"),
        (
            "[severity]\nno-such-rule = 'block'\n",
            "severity.no-such-rule: neither a category nor a loaded rule id",
        ),
        ("[fields]\nbody = 'x'\n", "fields.body: unknown key"),
        ("[[allow]]\nrule = 'wp-reuse-consent-en'\n", "allow[0].reason: required"),
        ("[[allow]]\nreason = 'x'\n", "allow[0]: needs a scope"),
        ("[[allow]]\nrule = 'nope'\nreason = 'x'\n", "allow[0].rule: no loaded rule 'nope'"),
        ("[[allow]]\ncategory = 'x'\nreason = 'x'\n", "allow[0].category: unknown category"),
    ],
)
def test_bad_config_is_an_error_naming_the_key(project, body, message):
    write_config(project / ".rightsgate.toml", body)
    result = run("scan", "corpus")
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_severity_overrides_and_field_defaults(project):
    write_config(
        project / ".rightsgate.toml",
        """
        [severity]
        tdm-reservation = "review"
        [fields]
        text = "body"
        """,
    )
    (project / "s.jsonl").write_text(json.dumps({"body": WP}) + "\n")
    result, report = scan("s.jsonl")
    assert result.exit_code == 0
    assert report["documents"][0]["verdict"] == "review"


def test_parse_config_rejects_datetime_expiry():
    with pytest.raises(ConfigError, match=r"allow\[0\]\.expires: must be a date"):
        parse_config(
            {"allow": [{"rule": "x", "reason": "r", "expires": dt.datetime(2030, 1, 1)}]},
            "cfg",
            Path("."),
            today=dt.date(2026, 1, 1),
        )


def test_baseline_survives_line_shifts_and_catches_new_notices(project):
    made = run("baseline", "corpus", "--output", "baseline.json")
    assert made.exit_code == 0, made.stderr
    assert run("scan", "--baseline", "baseline.json", "corpus").exit_code == 0
    wp = project / "corpus" / "wp" / "a.txt"
    wp.write_text("New intro line.\nAnother.\nAnd another.\n\n" + wp.read_text())
    result, report = scan("--baseline", "baseline.json", "corpus")
    assert result.exit_code == 0
    assert all(
        s["reason"].startswith("baseline") for d in report["documents"] for s in d["suppressed"]
    )
    (project / "corpus" / "new.txt").write_text(OTHER)
    result, report = scan("--baseline", "baseline.json", "corpus")
    assert result.exit_code == 1
    assert [d["path"] for d in report["documents"] if d["verdict"] == "block"] == ["corpus/new.txt"]


def test_baseline_survives_reordered_jsonl_records(project):
    records = [{"id": 1, "text": WP}, {"id": 2, "text": "clean"}, {"id": 3, "text": OTHER}]
    shard = project / "shard.jsonl"
    shard.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert run("baseline", "shard.jsonl", "-o", "b.json").exit_code == 0
    shard.write_text("".join(json.dumps(r) + "\n" for r in reversed(records)))
    assert run("scan", "--baseline", "b.json", "shard.jsonl").exit_code == 0
    shard.write_text(shard.read_text() + json.dumps({"id": 4, "text": WP}) + "\n")
    assert run("scan", "--baseline", "b.json", "shard.jsonl").exit_code == 1


def test_unreadable_baseline_is_a_usage_error(project):
    (project / "b.json").write_text("[]")
    result = run("scan", "--baseline", "b.json", "corpus")
    assert result.exit_code == 2 and "not a rightsgate baseline" in result.stderr


def test_allowlist_by_url_glob_and_rule(project):
    records = [
        {"url": "https://licensed.example/a", "text": OTHER},
        {"url": "https://other.example/b", "text": OTHER},
    ]
    (project / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    write_config(
        project / ".rightsgate.toml",
        """
        [[allow]]
        category = "tdm-reservation"
        urls = ["https://licensed.example/*"]
        reason = "Licence 42"
        """,
    )
    result, report = scan("s.jsonl")
    assert [d["verdict"] for d in report["documents"]] == ["allow", "block"]
    assert result.exit_code == 1


def test_a_text_scan_never_imports_html_or_warc_libraries(project):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rightsgate.cli import main\n"
        "sys.argv = ['rightsgate', 'scan', 'corpus/other.txt']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('bs4', 'lxml', 'warcio', 'zstandard') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout
